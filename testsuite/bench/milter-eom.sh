#!/bin/bash
# milter-eom.sh: the time sieve-milter adds at end of message, p50/p99, with
# a real Postfix in front (run by hand, as root; not part of ctest).
#
#   testsuite/bench/milter-eom.sh [BUILD_DIR] [MESSAGES]
#
# Starts the private Postfix and the milter of testsuite/e2e (lib.sh) with
# log_eom_time = yes, sends MESSAGES messages (default 2000) per case with
# Postfix's smtp-source (4 sessions in parallel), and reads the
# microseconds each end-of-message callback took, from entry to the
# verdict, the message changes sent to Postfix included. Cases:
#   none       recipient without a script (no default): the floor
#   header     bob's header test (reject on a Subject word; here: keep), 4 KiB
#   body       gina's body :contains over a 64 KiB body (no match: keep)
#   fileinto   frank's fileinto (decided at RCPT; eom inserts the handoff header)
# The callback time leaves out what earlier callbacks do (buffering the
# headers and body) and the milter protocol's round trips, so the script
# also times whole transactions (smtp-source wall clock, header case) with
# and without the milter in Postfix.
set -u
BUILD=${1:-build}
N=${2:-2000}
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
SIEVEC=$ROOT/$BUILD/bin/sievec
MILTER=$ROOT/$BUILD/bin/sieve-milter
HERE=$ROOT/testsuite/e2e
command -v smtp-source >/dev/null || PATH=$PATH:/usr/sbin
command -v smtp-source >/dev/null || { echo "smtp-source (Debian postfix) not found"; exit 77; }
[ -x "$MILTER" ] || { echo "no $MILTER: build first"; exit 2; }
fail=0
. "$HERE/lib.sh"
e2e_init
for u in bob gina frank; do compile "$u" "$u" || exit 2; done
start_milter log_eom_time=yes log=stderr
start_postfix bob gina frank nobody

# pct FILE: p50 p99 max count of the numbers in FILE
pct() {
    sort -n "$1" | awk '{ v[NR] = $1 } END {
        if (NR == 0) { print "no samples"; exit }
        i50 = int(NR * 0.50); if (i50 < 1) i50 = 1
        i99 = int(NR * 0.99); if (i99 < 1) i99 = 1
        printf "p50 %6d us   p99 %6d us   max %6d us   (%d messages)\n", v[i50], v[i99], v[NR], NR }'
}

run_case() {   # NAME SIZE RECIPIENT
    local name=$1 size=$2 rcpt=$3 before
    before=$(wc -l < "$D/milter.log")
    smtp-source -s 4 -m "$N" -l "$size" -f bench@example.com -t "$rcpt" 127.0.0.1:"$PORT" ||
        { echo "$name: smtp-source failed"; return; }
    tail -n +"$((before + 1))" "$D/milter.log" | sed -n 's/.* eom_usec=\([0-9]*\)$/\1/p' > "$D/$name.us"
    printf '%-9s %6s bytes  ' "$name" "$size"
    pct "$D/$name.us"
}

echo "sieve-milter end-of-message time, $N messages per case, $(nproc) CPU(s)"
run_case none 4096 nobody@example.org
run_case header 4096 bob@example.org
run_case body 65536 gina@example.org
run_case fileinto 4096 frank@example.org

# Whole transactions, with and without the milter (Postfix reloaded between).
wall() {   # prints milliseconds per message for N messages to bob
    local t0 t1
    t0=$(date +%s%N)
    smtp-source -s 4 -m "$N" -l 4096 -f bench@example.com -t bob@example.org 127.0.0.1:"$PORT"
    t1=$(date +%s%N)
    awk -v ns=$((t1 - t0)) -v n="$N" 'BEGIN { printf "%.3f ms/message", ns / 1e6 / n }'
}
with=$(wall)
postconf -c "$D/etc" -e smtpd_milters= && postfix -c "$D/etc" reload >/dev/null 2>&1
sleep 1
without=$(wall)
echo "whole SMTP transactions, 4 sessions, header case: with milter $with, without $without"
