#!/bin/bash
# milter-throughput.sh: messages per second through the private Postfix of
# testsuite/e2e with and without sieve-milter, the milter's share of the
# cost, and the time it adds at end of message (p50/p99); then the full
# load and SIGKILL runs of testsuite/load. Run by hand, as root; not part
# of ctest; nothing here is asserted except the load runs' counts.
#
#   testsuite/bench/milter-throughput.sh [BUILD_DIR] [MESSAGES] [SESSIONS] [FULL]
#
# MESSAGES (default 5000) messages over SESSIONS (default 20) smtp-source
# sessions, each to the four load recipients (testsuite/load/scripts:
# keep, envelope reject at RCPT, fileinto/discard, body-reading reject
# after DATA; multi_recipient = accept-mixed so each message is one
# transaction), group A (accepted for all four) only, 2 KiB bodies.
#   with     smtpd_milters = the milter, log_eom_time = yes
#   without  smtpd_milters empty (Postfix reloaded), same traffic
# "sent" is the time smtp-source took (every message answered), "queue
# empty" adds the time until Postfix delivered everything. The milter's
# CPU time comes from /proc (utime + stime). FULL (default 20000) is the
# size of the load runs at the end (0 skips them).
set -u
BUILD=${1:-build}
N=${2:-5000}
S=${3:-20}
FULL=${4:-20000}
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
SIEVEC=$ROOT/$BUILD/bin/sievec
MILTER=$ROOT/$BUILD/bin/sieve-milter
HERE=$ROOT/testsuite/e2e
LOAD=$ROOT/testsuite/load
command -v smtp-source >/dev/null || PATH=$PATH:/usr/sbin
[ -x "$MILTER" ] || { echo "no $MILTER: build first"; exit 2; }

run_throughput() (
    fail=0
    . "$HERE/lib.sh"
    e2e_init
    c() { "$SIEVEC" --key-file "$D/mac.key" -o "$D/scripts/example.org/$2.so" "$LOAD/scripts/$1.sieve"; }
    c keeper rcpt && c guard 2rcpt && c filer 3rcpt && c refuser 4rcpt || exit 2
    start_milter multi_recipient=accept-mixed log_eom_time=yes store=none
    start_postfix rcpt 2rcpt 3rcpt 4rcpt
    hz=$(getconf CLK_TCK)
    cpu() { awk '{ print $14 + $15 }' "/proc/$MILTER_PID/stat"; }
    drain() {
        local i
        for i in $(seq 1 1200); do
            postqueue -c "$D/etc" -p 2>/dev/null | grep -q 'Mail queue is empty' && return
            sleep 0.25
        done
    }
    one() {   # LABEL: prints one line
        local t0 t1 t2 c0 c1
        c0=$(cpu)
        t0=$(date +%s%N)
        smtp-source -A -s "$S" -m "$N" -r 4 -l 2048 -S "load A" -f news@example.com \
            -t rcpt@example.org 127.0.0.1:"$PORT" 2> "$D/source.err"
        t1=$(date +%s%N)
        drain
        t2=$(date +%s%N)
        c1=$(cpu)
        awk -v l="$1" -v n="$N" -v a=$((t1 - t0)) -v b=$((t2 - t0)) -v cpu=$((c1 - c0)) -v hz="$hz" 'BEGIN {
            printf "%-8s %6.1f messages/s sent (%5.1f s), %6.1f messages/s delivered (%5.1f s); milter CPU %.2f s (%.0f us/message)\n",
                l, n / (a / 1e9), a / 1e9, n / (b / 1e9), b / 1e9, cpu / hz, cpu / hz / n * 1e6 }'
        echo "$1 $((t1 - t0)) $((c1 - c0))" >> "$D/times"
    }
    echo "throughput: $N messages x 4 recipients, $S sessions, 2 KiB bodies, $(nproc) CPU(s), load average $(cut -d' ' -f1-3 /proc/loadavg)"
    one with
    sed -n 's/.* eom_usec=\([0-9]*\)$/\1/p' "$D/milter.log" | sort -n > "$D/eom.us"
    postconf -c "$D/etc" -e smtpd_milters= && postfix -c "$D/etc" reload >/dev/null 2>&1
    sleep 2
    one without
    awk '{ t[$1] = $2 } END { if (t["with"] > 0)
        printf "milter share of the SMTP time: %.0f%% (with %.3f ms/message, without %.3f ms/message, %s sessions)\n",
            100 * (t["with"] - t["without"]) / t["with"], t["with"] / 1e6 / '"$N"', t["without"] / 1e6 / '"$N"', '"$S"' }' "$D/times"
    awk '{ v[NR] = $1 } END { if (!NR) { print "no eom samples"; exit }
        i50 = int(NR * 0.50); i99 = int(NR * 0.99); if (i50 < 1) i50 = 1; if (i99 < 1) i99 = 1
        printf "end of message (4 recipients, 3 filters run): p50 %d us, p99 %d us, max %d us (%d messages)\n",
            v[i50], v[i99], v[NR], NR }' "$D/eom.us"
    exit 0
)

run_throughput
if [ "$FULL" -gt 0 ]; then
    echo "---- full load run: $FULL messages, smtp-source, $S sessions"
    bash "$LOAD/load-run.sh" "$SIEVEC" "$MILTER" "$FULL" "$S" 2>&1 | grep -v '^smtp-source: warning'
    echo "---- full SIGKILL run: $FULL messages, load-client.py, $S sessions"
    bash "$LOAD/load-run.sh" "$SIEVEC" "$MILTER" --kill "$FULL" "$S" 2>&1
fi
