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
pass=0
fail=0
ok() { pass=$((pass + 1)); echo "ok: $1"; }
bad() { fail=$((fail + 1)); echo "FAIL: $1"; }

. "$HERE/lib.sh"
e2e_init
for u in alice bob gina carol dave erin frank; do
    compile "$u" "$u" || { echo "cannot compile $u.sieve"; exit 2; }
done
compile bob zoe || exit 2
# A broken .so: never loads; recipient harry gets 451.
printf '\177ELFgarbage' > "$D/scripts/example.org/harry.so"
start_milter
start_postfix alice bob gina carol dave erin frank harry zoe friend nobody sender

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
# (from /proc: a fresh Debian container may have no ps)
muid=$(awk '/^Uid:/ { print $2 }' "/proc/$MILTER_PID/status" 2>/dev/null)
[ "$muid" = "$(id -u "$MUSER")" ] && ok "milter runs as $MUSER" || bad "milter runs as uid $muid"

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
# 11. Editing the configuration file reloads it (no signal): accept-mixed,
# where bob's refusal removes only bob and the sender gets a DSN.
# Postfix's sendmail refuses another instance's -C for a user other than
# root (alternate_config_directories lives in the system's main.cf, which
# the test does not touch), so the milter (as nobody) submits the DSN over
# SMTP through a wrapper with sendmail's interface.
cat > "$D/smtp-sendmail" <<SH
#!/bin/sh
# sendmail -i -f <> -- RCPT, over SMTP to the private Postfix
for a; do rcpt=\$a; done
exec $(command -v swaks) --server 127.0.0.1 --port $PORT --helo mx.example.net --from '<>' \\
    --to "\$rcpt" --data - >/dev/null 2>&1
SH
chmod 755 "$D/smtp-sendmail"
printf '%s\n' "multi_recipient = accept-mixed" "mixed_refusal_notice = dsn" \
    "sendmail_command = $D/smtp-sendmail" >> "$D/milter.conf"
logged "$D/milter.log" 'milter\.conf changed' "config edit: noticed"
for i in $(seq 1 100); do [ "$(grep -c 'reloaded ' "$D/milter.log")" -ge 2 ] && break; sleep 0.1; done
send mixed --from sender@example.org --to bob@example.org,gina@example.org \
    --header "Subject: buy mixed" --body "nothing to hide"
replied mixed '^<-  250 .*queued as' "accept-mixed: no 452, accepted for the others"
delivered gina 'Subject: buy mixed' "accept-mixed: gina got it"
logged "$D/milter.log" 'rcpt=<bob@example\.org> decision=reject-mixed' "accept-mixed: bob's refusal logged"
sleep 1
grep -rlq 'buy mixed' "$D/mail/bob/new" 2>/dev/null && bad "accept-mixed: bob got it" || ok "accept-mixed: bob removed"
delivered sender 'Final-Recipient: rfc822; bob@example\.org' "accept-mixed: the sender's DSN names bob"
delivered sender 'Diagnostic-Code: smtp; 550 5\.7\.1 Line one: 100% bad' "accept-mixed: the DSN carries bob's reason"

# A session in flight when the stop comes: it is awaited and finishes.
smtp() { printf '%s\r\n' "$1" >&5; }
reply() {   # reads one (multi-line) reply, prints its last line
    local line
    while IFS= read -r -t 30 line <&5; do
        line=${line%$'\r'}
        case $line in [0-9][0-9][0-9]-*) continue ;; esac
        echo "$line"; return
    done
}
exec 5<>"/dev/tcp/127.0.0.1/$PORT"
reply >/dev/null
smtp "EHLO client.example.com"; reply >/dev/null
smtp "MAIL FROM:<x@example.com>"; reply >/dev/null
smtp "RCPT TO:<carol@example.org>"; r=$(reply)
case $r in 250*) ok "stop in flight: RCPT accepted before the stop" ;; *) bad "stop in flight: RCPT got $r" ;; esac
kill -TERM "$MILTER_PID"
logged "$D/milter.log" 'stopping: 1 session\(s\) in flight' "SIGTERM: the session in flight is counted"
smtp "DATA"; reply >/dev/null
smtp "Subject: in flight at stop"; smtp ""; smtp "body"; smtp "."
r=$(reply)
case $r in 250*) ok "stop in flight: the message is accepted ($r)" ;; *) bad "stop in flight: end of data got $r" ;; esac
smtp "QUIT"; reply >/dev/null
exec 5<&-
delivered carol 'Subject: in flight at stop' "stop in flight: delivered"
wait "$MILTER_PID"
rc=$?
MILTER_PID=
[ $rc -eq 0 ] && ok "SIGTERM: clean exit" || bad "SIGTERM: exit status $rc"
logged "$D/milter.log" 'stopped \(0 session' "SIGTERM: no session cut off"

echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
