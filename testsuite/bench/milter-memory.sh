#!/bin/bash
# milter-memory.sh: sieve-milter's memory behind the private Postfix of
# testsuite/e2e (lib.sh); run by hand, as root; not part of ctest.
#
#   testsuite/bench/milter-memory.sh [BUILD_DIR] [FILTERS] [SESSIONS]
#
# 1. RSS with FILTERS (default 10000) distinct compiled filters loaded:
#    user uN's script is `gen-rules.sh 5 N native` (five generated rules, a
#    different seed each, so every .so is distinct), compiled by sievec into
#    the layout; cache_max is raised above FILTERS so the LRU keeps them all.
#    A python3 client names every uN as a recipient (500 per transaction,
#    multi_recipient = accept-mixed so none is deferred), which makes the
#    milter load each filter at RCPT; VmRSS is read from /proc before and
#    after.
# 2. Per-session memory for 10 MB messages: a fresh milter per case,
#    SESSIONS (default 10) concurrent smtp-source sessions each sending one
#    10,000,000-byte message, to a recipient whose filter reads the body
#    (buffered whole) and to one whose filter reads only the header (body
#    not buffered); (VmHWM - VmRSS at start) / SESSIONS.
set -u
BUILD=${1:-build}
K=${2:-10000}
S=${3:-10}
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
SIEVEC=$ROOT/$BUILD/bin/sievec
MILTER=$ROOT/$BUILD/bin/sieve-milter
HERE=$ROOT/testsuite/e2e
command -v smtp-source >/dev/null || PATH=$PATH:/usr/sbin
[ -x "$MILTER" ] || { echo "no $MILTER: build first"; exit 2; }
fail=0
. "$HERE/lib.sh"
e2e_init

kb() { awk -v k="$2" '$1 == k":" { print $2 }' "/proc/$1/status"; }

echo "sieve-milter memory, $(nproc) CPU(s), $(date -u '+%Y-%m-%d %H:%M UTC')"
# ---- 1. many filters ---------------------------------------------------------------
t0=$(date +%s)
seq 1 "$K" | xargs -P 2 -I{} sh -c '
    sh "$0/testsuite/bench/gen-rules.sh" 5 {} native > "$1/src.{}.sieve" &&
    "$2" --key-file "$1/mac.key" -o "$1/scripts/example.org/u{}.so" "$1/src.{}.sieve" &&
    rm -f "$1/src.{}.sieve"' "$ROOT" "$D" "$SIEVEC" || { echo "compiling failed"; exit 2; }
t1=$(date +%s)
n=$(ls "$D/scripts/example.org" | grep -c '^u[0-9]*\.so$')
bytes=$(du -sb "$D/scripts/example.org" | cut -f1)
distinct=$(sha256sum "$D"/scripts/example.org/u*.so | cut -d' ' -f1 | sort -u | wc -l)
echo "compiled $n filters ($distinct distinct, $((bytes / n)) bytes each on average) in $((t1 - t0)) s"

printf 'require ["body", "reject"];\nif body :contains "needle-not-there" { reject "no"; }\n' > "$D/body.sieve"
printf 'require "reject";\nif header :contains "subject" "needle-not-there" { reject "no"; }\n' > "$D/header.sieve"
for u in body header; do
    "$SIEVEC" --key-file "$D/mac.key" -o "$D/scripts/example.org/$u.so" "$D/$u.sieve" || exit 2
done

users=$(seq 1 "$K" | sed 's/^/u/')
start_milter multi_recipient=accept-mixed cache_max=$((K + 100)) store=none log=none
start_postfix $users body header
postconf -c "$D/etc" -e message_size_limit=30000000 smtpd_recipient_limit=1000 >/dev/null
postfix -c "$D/etc" reload >/dev/null 2>&1
sleep 1
rss0=$(kb "$MILTER_PID" VmRSS)
python3 - "$PORT" "$K" <<'PY'
import smtplib, sys
port, k = int(sys.argv[1]), int(sys.argv[2])
s = smtplib.SMTP("127.0.0.1", port, timeout=600)
s.ehlo("bench.example.com")
refused = 0
for start in range(1, k + 1, 500):
    s.mail("bench@example.com")
    for i in range(start, min(start + 500, k + 1)):
        code, _ = s.rcpt("u%d@example.org" % i)
        refused += code // 100 != 2
    s.rset()
s.quit()
print("recipients named: %d, refused: %d" % (k, refused))
PY
rss1=$(kb "$MILTER_PID" VmRSS)
echo "milter RSS: $rss0 kB at start, $rss1 kB with $K filters loaded:" \
    "$(((rss1 - rss0) / 1024)) MB more, $(((rss1 - rss0) * 1024 / K)) bytes per filter"

# ---- 2. 10 MB messages -----------------------------------------------------------------
for u in body header; do
    kill "$MILTER_PID"; wait "$MILTER_PID" 2>/dev/null
    rm -f "$D/milter.sock"
    start_milter multi_recipient=accept-mixed store=none log=none
    base=$(kb "$MILTER_PID" VmRSS)
    smtp-source -s "$S" -m "$S" -l 10000000 -f bench@example.com -t "$u@example.org" \
        127.0.0.1:"$PORT" || echo "smtp-source failed"
    hwm=$(kb "$MILTER_PID" VmHWM)
    echo "10 MB messages, $S concurrent sessions, filter reads the $u:" \
        "peak RSS $hwm kB (start $base kB): $(((hwm - base) / S)) kB per session"
done
