#!/bin/bash
# load-run.sh: sieve-milter under load behind the e2e test's private Postfix,
# and the same load while the milter is killed with SIGKILL and restarted.
#
#   load-run.sh SIEVEC SIEVE-MILTER [--kill] [MESSAGES] [SESSIONS]
#
# MESSAGES (default 2000) messages, each to four recipients with different
# compiled scripts (scripts/: keep, envelope reject at RCPT, fileinto or
# discard, reject after DATA), half in group A and half in group B (see
# load-count.py for what each pair must become), over SESSIONS (default 20)
# concurrent SMTP sessions.
#   default   Postfix's smtp-source sends (two instances, one per group,
#             SESSIONS/2 sessions each), with multi_recipient = accept-mixed
#             so each message is one transaction; smtp-source never resends,
#             so no 4xx may happen.
#   --kill    load-client.py sends (it resends what got 4xx), under the
#             default split policy (4rcpt is deferred with 452 4.5.3 and
#             resent alone); the milter is killed with SIGKILL after a third
#             and after two thirds of the messages and restarted each time;
#             meanwhile Postfix answers 4xx (milter_default_action = tempfail).
# Then it waits for Postfix's queue to empty and counts every (message,
# recipient) pair from Postfix's maillog, the milter's log and the Maildirs
# (load-count.py): delivered + refused + discarded = sent, none lost, none
# duplicated. Times are printed, never asserted. Exits 0, 1 (a count is
# wrong), 2 (set-up failed) or 77 (skipped: no postfix, swaks, smtp-source,
# python3, or not root).
set -u
SIEVEC=$1
MILTER=$2
shift 2
KILL=0
if [ "${1:-}" = "--kill" ]; then KILL=1; shift; fi
N=${1:-2000}
S=${2:-20}
LOAD=$(cd "$(dirname "$0")" && pwd)
HERE=$LOAD/../e2e
export PATH=$PATH:/usr/sbin:/sbin
command -v smtp-source >/dev/null || { echo "SKIP: smtp-source (Debian postfix) not found"; exit 77; }
command -v python3 >/dev/null || { echo "SKIP: python3 not found"; exit 77; }
fail=0
. "$HERE/lib.sh"
e2e_init

compile_load() {   # SCRIPT USER
    "$SIEVEC" --key-file "$D/mac.key" -o "$D/scripts/example.org/.$2.tmp" "$LOAD/scripts/$1.sieve" &&
        mv "$D/scripts/example.org/.$2.tmp" "$D/scripts/example.org/$2.so"
}
compile_load keeper rcpt && compile_load guard 2rcpt && compile_load filer 3rcpt &&
    compile_load refuser 4rcpt || { echo "cannot compile the load scripts"; exit 2; }

NA=$(((N + 1) / 2))
NB=$((N / 2))
if [ "$KILL" -eq 1 ]; then start_milter; else start_milter multi_recipient=accept-mixed; fi
start_postfix rcpt 2rcpt 3rcpt 4rcpt

restart_milter() {   # SIGKILL, a moment of 4xx, a new milter on the same socket
    kill -KILL "$MILTER_PID"
    wait "$MILTER_PID" 2>/dev/null
    echo "milter $MILTER_PID killed (SIGKILL) after $(progress) messages"
    cat "$D/milter.log" >> "$D/milter-all.log"
    rm -f "$D/milter.sock"
    sleep 1
    start_milter
    echo "milter restarted as $MILTER_PID"
}

t0=$(date +%s%N)
if [ "$KILL" -eq 1 ]; then
    python3 "$LOAD/load-client.py" --port "$PORT" --messages "$N" --sessions "$S" \
        --ledger "$D/ledger" --progress "$D/progress" &
    CLIENT=$!
    progress() { local p; p=$(cat "$D/progress" 2>/dev/null); echo "${p:-0}"; }
    for third in 1 2; do
        while kill -0 "$CLIENT" 2>/dev/null && [ "$(progress)" -lt $((N * third / 3)) ]; do
            sleep 0.2
        done
        kill -0 "$CLIENT" 2>/dev/null || { echo "client ended before kill $third"; fail=1; break; }
        restart_milter
    done
    wait "$CLIENT" || { echo "load-client.py failed"; fail=1; }
else
    SA=$((S / 2)); SB=$((S - SA))
    smtp-source -A -s "$SA" -m "$NA" -r 4 -S "load A" -f news@example.com \
        -t rcpt@example.org 127.0.0.1:"$PORT" 2> "$D/source-a.err" &
    A=$!
    smtp-source -A -s "$SB" -m "$NB" -r 4 -S "load B" -f spam@example.net \
        -t rcpt@example.org 127.0.0.1:"$PORT" 2> "$D/source-b.err" &
    B=$!
    wait "$A" || { echo "smtp-source (group A) failed"; fail=1; }
    wait "$B" || { echo "smtp-source (group B) failed"; fail=1; }
    # Its warnings are the refusals it saw; anything else is shown.
    echo "smtp-source: $(cat "$D"/source-?.err | grep -c 'rejected: 5') refusals reported"
    grep -hv 'rejected: 5' "$D"/source-?.err | head -5
fi
t1=$(date +%s%N)

# Everything accepted leaves the queue (delivered, or bounced: none expected).
empty=0
for i in $(seq 1 600); do
    if postqueue -c "$D/etc" -p 2>/dev/null | grep -q 'Mail queue is empty'; then empty=1; break; fi
    sleep 0.5
done
t2=$(date +%s%N)
[ "$empty" -eq 1 ] || { echo "Postfix's queue did not empty"; postqueue -c "$D/etc" -p | tail -5; fail=1; }
sleep 1
cat "$D/milter.log" >> "$D/milter-all.log"

awk -v n="$N" -v s="$S" -v a=$((t1 - t0)) -v b=$((t2 - t0)) 'BEGIN {
    printf "%d messages over %d sessions: sent in %.1f s (%.1f messages/s), delivered by %.1f s\n",
        n, s, a / 1e9, n / (a / 1e9), b / 1e9 }'
ledger=()
[ "$KILL" -eq 1 ] && ledger=(--ledger "$D/ledger")
python3 "$LOAD/load-count.py" --mail "$D/mail" --maillog "$D/maillog" \
    --milter-log "$D/milter-all.log" --groups "$NA" "$NB" "${ledger[@]}" || fail=1
if [ "$KILL" -eq 1 ]; then
    echo "Postfix 4xx replies: $(grep -c 'milter-reject: .*: 452 4\.5\.3 ' "$D/maillog") split deferrals (452 4.5.3)," \
        "$(grep -c 'milter-reject: .*: 451 ' "$D/maillog") while the milter was down (451)"
fi
exit "$fail"
