#!/bin/bash
# End-to-end test of sieve-milter with a real, private Postfix and swaks.
# Usage: run.sh SIEVEC SIEVE-MILTER
#
# Starts a Postfix of its own (configuration, queue, data and log in a
# temporary directory; see ../shared/spec/private-postfix.md) listening on
# a loopback port, delivering example.org into one Maildir per user and
# relaying nowhere, with sieve-milter on a unix socket; sends mail with
# swaks to recipients with different compiled scripts and checks every SMTP
# reply and what was delivered. Exits 77 (skipped) without postfix or swaks,
# or when not root (Postfix's master must start as root).
# Prints one line per check and ends with "N passed, N failed".
set -u
SIEVEC=$1
MILTER=$2
HERE=$(cd "$(dirname "$0")" && pwd)
export PATH=$PATH:/usr/sbin:/sbin

if ! command -v postfix >/dev/null || ! command -v swaks >/dev/null; then
    echo "SKIP: postfix or swaks not installed (Debian: apt-get install postfix swaks)"
    exit 77
fi
if [ "$(id -u)" -ne 0 ]; then
    echo "SKIP: a private Postfix must be started as root"
    exit 77
fi

pass=0
fail=0
ok() { pass=$((pass + 1)); echo "ok: $1"; }
bad() { fail=$((fail + 1)); echo "FAIL: $1"; }

D=$(mktemp -d /tmp/sieve-e2e.XXXXXX) || exit 2
chmod 755 "$D"
MILTER_PID=
cleanup() {
    postfix -c "$D/etc" stop >/dev/null 2>&1
    [ -n "$MILTER_PID" ] && kill "$MILTER_PID" 2>/dev/null && wait "$MILTER_PID" 2>/dev/null
    if [ "$fail" -ne 0 ] || [ -n "${KEEP_E2E:-}" ]; then
        echo "---- maillog (tail)"; tail -n 40 "$D/maillog" 2>/dev/null
        echo "---- milter log (tail)"; tail -n 40 "$D/milter.log" 2>/dev/null
    fi
    if [ -n "${KEEP_E2E:-}" ]; then echo "kept $D"; else rm -rf "$D"; fi
}
trap cleanup EXIT

# A port in 20000-29999 that nothing listens on.
PORT=
for try in $(seq 1 50); do
    p=$((20000 + (RANDOM % 10000)))
    if ! (exec 3<>"/dev/tcp/127.0.0.1/$p") 2>/dev/null; then PORT=$p; break; fi
done
[ -n "$PORT" ] || { echo "no free port"; exit 2; }

mkdir -p "$D/etc" "$D/queue" "$D/data" "$D/mail" "$D/scripts/example.org" "$D/cache"
PF_UID=$(id -u postfix)
PF_GID=$(id -g postfix)
MUSER=nobody

# ---- scripts, compiled with a private key, owned by root ------------------------
printf '%s\n' 000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f > "$D/mac.key"
chmod 600 "$D/mac.key"
compile() {   # compile NAME.sieve USER: into the layout, atomically
    "$SIEVEC" --key-file "$D/mac.key" -o "$D/scripts/example.org/.$2.tmp" "$HERE/scripts/$1.sieve" &&
        mv "$D/scripts/example.org/.$2.tmp" "$D/scripts/example.org/$2.so"
}
for u in alice bob gina carol dave erin frank; do
    compile "$u" "$u" || { echo "cannot compile $u.sieve"; exit 2; }
done
compile bob zoe || exit 2
# A broken .so: loads never; recipient harry gets 451.
printf '\177ELFgarbage' > "$D/scripts/example.org/harry.so"
# The milter runs as nobody: it reads the key and keeps its object cache.
chown "$MUSER" "$D/mac.key" "$D/cache"
chmod 700 "$D/cache"

cat > "$D/milter.conf" <<CONF
# sieve-milter.conf for the e2e test
socket = unix:$D/milter.sock
socket_mode = 0666
user = $MUSER
script_owner = root
script_layout = $D/scripts/%d/%l.so
key_file = $D/mac.key
cache_dir = $D/cache
multi_recipient = split
redirect_domains = example.org
redirect_rate = 100
log = stderr
CONF
"$MILTER" -c "$D/milter.conf" --check >/dev/null || { echo "milter config refused"; exit 2; }
"$MILTER" -c "$D/milter.conf" 2> "$D/milter.log" &
MILTER_PID=$!
for i in $(seq 1 100); do [ -S "$D/milter.sock" ] && break; sleep 0.1; done
[ -S "$D/milter.sock" ] || { echo "milter did not start"; cat "$D/milter.log"; exit 2; }

# ---- the private Postfix -------------------------------------------------------------
cp /etc/postfix/dynamicmaps.cf "$D/etc/"
# Our smtpd on the test port; nothing chrooted (the queue is in /tmp).
awk -v port="$PORT" '
    /^smtp[ \t]+inet/ { print "127.0.0.1:" port " inet n - n - - smtpd"; next }
    /^#/ || /^[ \t]/ || NF < 8 { print; next }
    { $5 = "n"; print }' /etc/postfix/master.cf > "$D/etc/master.cf"
for u in alice bob gina carol dave erin frank harry zoe friend nobody; do
    echo "$u@example.org $u/"
done > "$D/etc/mailboxes"
cat > "$D/etc/main.cf" <<CF
compatibility_level = 3.6
queue_directory = $D/queue
data_directory = $D/data
mail_owner = postfix
setgid_group = postdrop
myhostname = mx.example.net
mydomain = example.net
myorigin = \$myhostname
mydestination = localhost
inet_interfaces = 127.0.0.1
inet_protocols = ipv4
mynetworks = 127.0.0.0/8
maillog_file = $D/maillog
maillog_file_prefixes = /var, /dev/stdout, $D
virtual_mailbox_domains = example.org
virtual_transport = virtual
virtual_mailbox_base = $D/mail
virtual_mailbox_maps = texthash:$D/etc/mailboxes
virtual_uid_maps = static:$PF_UID
virtual_gid_maps = static:$PF_GID
recipient_delimiter = +
default_transport = error:no relaying in tests
relay_transport = error:no relaying in tests
alias_maps =
alias_database =
biff = no
smtpd_milters = unix:$D/milter.sock
milter_default_action = tempfail
CF
chown "$PF_UID:$PF_GID" "$D/mail" "$D/data"
if ! postfix -c "$D/etc" start > "$D/postfix-start.log" 2>&1; then
    echo "postfix did not start:"; cat "$D/postfix-start.log" "$D/maillog" 2>/dev/null
    exit 2
fi
for i in $(seq 1 100); do (exec 3<>"/dev/tcp/127.0.0.1/$PORT") 2>/dev/null && break; sleep 0.1; done

# ---- helpers -----------------------------------------------------------------------------
N=0
# send NAME SWAKS-ARGS...: transcript in $D/NAME.out
send() {
    local name=$1; shift
    swaks --server 127.0.0.1 --port "$PORT" --helo client.example.com --timeout 30 \
        "$@" > "$D/$name.out" 2>&1
}
# replied NAME PATTERN WHAT: a server reply line of NAME matches PATTERN
replied() {
    if grep -E '^<(-|\*\*) ' "$D/$1.out" | grep -qE -- "$2"; then ok "$3"
    else bad "$3: no reply /$2/ in"; grep -E '^(<|->|\*)' "$D/$1.out" | sed 's/^/    /'; fi
}
# delivered USER PATTERN WHAT: a message in USER's Maildir matches (waits for it)
delivered() {
    local i
    for i in $(seq 1 100); do
        if grep -rlqE -- "$2" "$D/mail/$1/new" 2>/dev/null; then ok "$3"; return; fi
        sleep 0.1
    done
    bad "$3: nothing matching /$2/ delivered to $1"
}
# maillog PATTERN WHAT: Postfix logged it (waits for it)
logged() {
    local file=$1 i; shift
    for i in $(seq 1 100); do
        if grep -qE -- "$1" "$file" 2>/dev/null; then ok "$2"; return; fi
        sleep 0.1
    done
    bad "$2: /$1/ not in $(basename "$file")"
}
count() { ls "$D/mail/$1/new" 2>/dev/null | wc -l; }

# ---- scenarios -------------------------------------------------------------------------------
# Privilege drop.
[ "$(ps -o user= -p "$MILTER_PID" | tr -d ' ')" = "$MUSER" ] && ok "milter runs as $MUSER" ||
    bad "milter runs as $(ps -o user= -p "$MILTER_PID")"

# 1. Envelope-only filter: refused at RCPT, per recipient.
send envreject --from spam@example.com --to alice@example.org,carol@example.org \
    --header "Subject: envelope" --body "first"
replied envreject '^<\*\* 550 5\.7\.1 No spam here' "envelope-only reject: 550 5.7.1 at RCPT"
replied envreject '^<-  250 .*queued as' "envelope-only reject: the other recipient's message queued"
delivered carol 'Subject: envelope' "envelope-only reject: carol got it"
logged "$D/maillog" 'NOQUEUE: milter-reject: RCPT from .*550 5\.7\.1 No spam here.* to=<alice@example\.org>' "envelope-only reject: Postfix logged the RCPT refusal"
send envpass --from friend@example.com --to Alice+lists@Example.org --header "Subject: for alice" --body "x"
delivered alice 'Subject: for alice' "envelope-only: another sender reaches alice (detail, case)"

# 2. The split: bob and gina have different filters that can refuse.
send split --from x@example.com --to bob@example.org,gina@example.org \
    --header "Subject: split test" --body "nothing to hide"
replied split '^<\*\* 452 4\.5\.3 ' "split: 452 4.5.3 for the second filter"
replied split '^<-  250 .*queued as' "split: accepted for the first recipient"
delivered bob 'Subject: split test' "split: bob got it"
[ "$(count gina)" -eq 0 ] && ok "split: gina not yet" || bad "split: gina got it in the first transaction"
send split-retry --from x@example.com --to gina@example.org --header "Subject: split test" --body "nothing to hide"
replied split-retry '^<-  250 .*queued as' "split: the retried transaction is accepted"
delivered gina 'Subject: split test' "split: gina got it in her own transaction"

# 3. Reject after DATA, reason made SMTP-safe (multi-line, %, non-ASCII).
send datareject --from x@example.com --to bob@example.org --header "Subject: buy now" --body "x"
replied datareject '^<\*\* 550-5\.7\.1 Line one: 100% bad' "reject after DATA: 550 5.7.1, first line, % intact"
replied datareject '^<\*\* 550 5\.7\.1 Second line, caf\?\?' "reject after DATA: second line, non-ASCII replaced"
logged "$D/maillog" 'milter-reject: END-OF-MESSAGE .*5\.7\.1' "reject after DATA: Postfix logged milter-reject"
send bodyreject --from x@example.com --to gina@example.org --header "Subject: hi" --body "the secret plan"
replied bodyreject '^<\*\* 550 5\.7\.1 body says no' "body filter ereject after DATA"

# 4. Discard.
send discard --from x@example.com --to carol@example.org --header "Subject: junk offer" --body "x"
replied discard '^<-  250 .*queued as' "discard: the client sees success"
logged "$D/maillog" 'milter-discard: END-OF-MESSAGE' "discard: Postfix discarded it"
sleep 1
grep -rlq 'junk offer' "$D/mail/carol/new" 2>/dev/null && bad "discard: carol got it" || ok "discard: nothing delivered to carol"

# 5. Redirect inside and outside the policy.
send redirect-in --from x@example.com --to dave@example.org --header "Subject: for dave" --body "x"
delivered friend 'Subject: for dave' "redirect in policy: delivered to friend@example.org"
[ "$(count dave)" -eq 0 ] && ok "redirect in policy: not to dave" || bad "redirect in policy: dave got a copy"
send redirect-out --from x@example.com --to erin@example.org --header "Subject: for erin" --body "x"
delivered erin 'Subject: for erin' "redirect outside policy: kept for erin"
logged "$D/milter.log" 'rcpt=<erin@example.org> redirect to <someone@example.com> refused by policy' "redirect outside policy: logged"
grep -q 'someone@example.com' "$D/maillog" && bad "redirect outside policy: Postfix saw someone@example.com" ||
    ok "redirect outside policy: no mail for someone@example.com"

# 6. fileinto handoff; a forged handoff header is removed.
send fileinto --from x@example.com --to frank@example.org --header "Subject: report" \
    --add-header "X-Sieve-Fileinto: frank@example.org; mailbox=Forged" --body "x"
delivered frank 'X-Sieve-Fileinto: frank@example\.org; mailbox=Work/Reports' "fileinto: handoff header delivered"
f=$(grep -rl 'Subject: report' "$D/mail/frank/new" 2>/dev/null | head -1)
[ -n "$f" ] && ! grep -q 'mailbox=Forged' "$f" && ok "fileinto: forged handoff header removed" ||
    bad "fileinto: forged header still there"
[ -n "$f" ] && [ "$(grep -c '^X-Sieve-Fileinto:' "$f")" -eq 1 ] && ok "fileinto: exactly one handoff header" ||
    bad "fileinto: handoff header count"

# 7. A broken .so: 451 4.3.0 at RCPT, not the default.
send broken --from x@example.com --to harry@example.org --header "Subject: broken" --body "x"
replied broken '^<\*\* 451 4\.3\.0 ' "broken .so: 451 4.3.0"
logged "$D/milter.log" 'rcpt=<harry@example.org> decision=tempfail' "broken .so: logged"

# 8. A script replaced while mail flows: zoe's filter goes from "reject
# buy" to "keep" during a stream of messages; every reply is 250 or 550,
# and after the replacement the mail is delivered.
(
    for i in $(seq 1 12); do
        send "flow$i" --from x@example.com --to zoe@example.org --header "Subject: buy $i" --body "x"
    done
) &
FLOW=$!
sleep 0.5
compile keep zoe
wait "$FLOW"
flowbad=0
for i in $(seq 1 12); do
    grep -qE '^<(-|\*\*) +(250|550)[ -].*(queued as|100% bad)' "$D/flow$i.out" || flowbad=$((flowbad + 1))
    grep -qE '^<\*\* +4' "$D/flow$i.out" && flowbad=$((flowbad + 1))
done
[ $flowbad -eq 0 ] && ok "replacement in flight: every reply is 250 or 550" || bad "replacement in flight: $flowbad odd replies"
send flow-after --from x@example.com --to zoe@example.org --header "Subject: buy after" --body "x"
replied flow-after '^<-  250 .*queued as' "replacement: the new generation accepts"
delivered zoe 'Subject: buy after' "replacement: delivered with the new script"

# 9. Decision log lines carry the queue id, the recipient and the decision.
logged "$D/milter.log" 'queue=[0-9A-F]+ rcpt=<bob@example\.org> decision=reject after DATA' "log: queue id, recipient, decision"

# 10. SIGUSR1 reloads; SIGTERM stops after the sessions in flight.
kill -USR1 "$MILTER_PID"
logged "$D/milter.log" 'reloaded .*milter\.conf' "SIGUSR1: reloaded"
send after-reload --from x@example.com --to carol@example.org --header "Subject: after reload" --body "x"
delivered carol 'Subject: after reload' "after reload: mail flows"
kill -TERM "$MILTER_PID"
wait "$MILTER_PID"
rc=$?
MILTER_PID=
[ $rc -eq 0 ] && ok "SIGTERM: clean exit" || bad "SIGTERM: exit status $rc"
logged "$D/milter.log" 'stopped \(0 session' "SIGTERM: no session cut off"

echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
