#!/bin/bash
# End-to-end test of sieve-milter's vacation replies with the private Postfix
# of run.sh (lib.sh) and an LMDB store:
#   vacation.sh SIEVEC SIEVE-MILTER
# vera@example.org's script answers with vacation. The milter submits the
# reply by SMTP to the same Postfix (reply_transport), which delivers it to
# sender@example.org's Maildir. A second message from the same sender gets
# no reply, nor does a third one after the milter was stopped and started
# again (the LMDB file remembers); a message from a mailing list gets none.
# Prints one line per check and "N passed, N failed"; exits 77 (skipped)
# without postfix or swaks, or when not root.
set -u
SIEVEC=$1
MILTER=$2
HERE=$(cd "$(dirname "$0")" && pwd)
pass=0
fail=0
ok() { pass=$((pass + 1)); echo "ok: $1"; }
bad() { fail=$((fail + 1)); echo "FAIL: $1"; }

. "$HERE/lib.sh"
e2e_init
compile vera vera || { echo "cannot compile vera.sieve"; exit 2; }
mkdir -p "$D/state"
chown "$MUSER" "$D/state"
start_postfix vera sender
MOPTS=("store=lmdb:$D/state/state.mdb" "reply_transport=smtp:127.0.0.1:$PORT")
start_milter "${MOPTS[@]}"

send() {   # FROM SUBJECT [extra swaks args]
    local from=$1 subj=$2; shift 2
    swaks --server 127.0.0.1 --port "$PORT" --helo client.example.com --timeout 30 \
        --from "$from" --to vera@example.org --header "Subject: $subj" \
        --header "Message-Id: <$(date +%s%N)@example.org>" --body "hello" "$@" > "$D/swaks.out" 2>&1 ||
        { bad "swaks: $subj"; cat "$D/swaks.out"; }
}
count() { ls "$D/mail/$1/new" 2>/dev/null | wc -l; }
wait_count() {   # USER N: waits until USER's Maildir holds N messages
    local i
    for i in $(seq 1 100); do [ "$(count "$1")" -ge "$2" ] && return 0; sleep 0.1; done
    return 1
}
wait_log() {   # PATTERN N: waits until the milter logged PATTERN N times
    local i
    for i in $(seq 1 100); do
        [ "$(grep -c -- "$1" "$D/milter.log")" -ge "$2" ] && return 0
        sleep 0.1
    done
    return 1
}

# 1. The first message is answered; the reply reaches the sender's Maildir.
send sender@example.org "first"
wait_count vera 1 && ok "vera got the first message" || bad "vera got nothing"
wait_count sender 1 && ok "the vacation reply reached sender's Maildir" ||
    bad "no vacation reply for sender"
r=$(ls "$D/mail/sender/new"/* 2>/dev/null | head -1)
if [ -n "$r" ] && grep -q '^Auto-Submitted: auto-replied' "$r" && grep -q '^Subject: Out of office' "$r" &&
    grep -q '^Return-Path: <>' "$r" && grep -q 'I am away until Monday' "$r"; then
    ok "the reply: null sender, Auto-Submitted, the script's subject and text"
else
    bad "the reply's headers"; [ -n "$r" ] && sed -n 1,30p "$r"
fi
grep -q 'vacation reply for <vera@example.org> sent to <sender@example.org>' "$D/milter.log" &&
    ok "the milter logged the reply" || bad "no 'sent' log line"

# 2. The same sender again: remembered, no second reply.
send sender@example.org "second"
wait_count vera 2 && ok "vera got the second message" || bad "vera's second message"
wait_log 'not sent (already-replied)' 1 && ok "second message: already replied" ||
    bad "second message: no already-replied line"

# 3. After a restart of the milter, still remembered (LMDB).
kill -TERM "$MILTER_PID"; wait "$MILTER_PID" 2>/dev/null
cat "$D/milter.log" >> "$D/milter-1.log"
rm -f "$D/milter.sock"
start_milter "${MOPTS[@]}"
send sender@example.org "third"
wait_count vera 3 && ok "vera got the third message (new milter)" || bad "vera's third message"
wait_log 'not sent (already-replied)' 1 && ok "after the restart: already replied" ||
    bad "after the restart: the store forgot"

# 4. A mailing list's post gets no reply.
send list@example.org "digest" --header "List-Id: <talk.example.org>"
wait_count vera 4 && ok "vera got the list post" || bad "vera's list post"
wait_log 'not sent (list)' 1 && ok "list post: no reply (list)" || bad "list post: no 'list' line"

sleep 1
[ "$(count sender)" -eq 1 ] && ok "sender's Maildir holds exactly one reply" ||
    bad "sender's Maildir holds $(count sender) messages"
[ "$(count list)" -eq 0 ] || bad "the list got a reply"

echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
