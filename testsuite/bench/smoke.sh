#!/bin/sh
# bench/smoke: sieve-bench runs and reports. Usage: smoke.sh SIEVE-BENCH
# SIEVEC MBOX. Checks the JSON fields the comparison script reads, that a
# header-only filter makes no heap allocation per message in the steady
# state (the session counter and, where built in, every malloc of the
# process), that a body filter picks the body floor, the text report, and
# usage errors. No timing is asserted: these are benchmarks.
BENCH=$1
SIEVEC=$2
MBOX=$3
HERE=$(cd "$(dirname "$0")" && pwd)
pass=0
fail=0
T=$(mktemp -d "${TMPDIR:-/tmp}/bench-smoke.XXXXXX") || exit 2
trap 'rm -rf "$T"' EXIT
printf '%s\n' 000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f > "$T/mac.key"
chmod 600 "$T/mac.key"
SIEVEC_KEY_FILE=$T/mac.key
SIEVEC_CACHE_DIR=$T/cache
export SIEVEC_KEY_FILE SIEVEC_CACHE_DIR

ok() { pass=$((pass + 1)); echo "ok: $1"; }
bad() { fail=$((fail + 1)); echo "FAIL: $1"; }
# field FILE NAME: the raw JSON value of NAME
field() { sed -n "s/.*\"$2\":\\([^,}]*\\).*/\\1/p" "$1"; }

"$SIEVEC" "$HERE/scripts/header-50.sieve" -o "$T/h.so" || { bad "compile header-50"; exit 1; }
"$SIEVEC" "$HERE/scripts/body-regex.sieve" -o "$T/b.so" || { bad "compile body-regex"; exit 1; }

if "$BENCH" --json -n 2 "$T/h.so" "$MBOX" > "$T/h.json" 2> "$T/err"; then
    ok "header script runs"
else
    bad "header script: exit $?"; cat "$T/err"
fi
n=$(grep -c '^From ' "$MBOX")
for k in messages ns_per_msg floor_ns_per_msg allocs_per_msg msgs_per_sec ratio_to_floor \
         cpu_ns_per_msg peak_rss_kib instructions_per_msg cycles_per_msg malloc_calls_per_msg; do
    v=$(field "$T/h.json" "$k")
    if [ -n "$v" ]; then ok "field $k = $v"; else bad "field $k missing"; fi
done
[ "$(field "$T/h.json" messages)" = "$n" ] && ok "all $n messages loaded" || bad "messages: want $n"
[ "$(field "$T/h.json" floor)" = '"headers"' ] && ok "header floor" || bad "floor: $(field "$T/h.json" floor)"
a=$(field "$T/h.json" allocs_per_msg)
awk -v a="$a" 'BEGIN { exit !(a == 0) }' && ok "no session allocation per message" ||
    bad "allocs_per_msg = $a"
m=$(field "$T/h.json" malloc_calls_per_msg)
if [ "$m" = null ]; then
    ok "malloc interposer not built (sanitizer build)"
elif awk -v a="$m" 'BEGIN { exit !(a == 0) }'; then
    ok "no malloc call per message"
else
    bad "malloc_calls_per_msg = $m"
fi
awk -v a="$(field "$T/h.json" ns_per_msg)" 'BEGIN { exit !(a > 0) }' && ok "ns_per_msg > 0" ||
    bad "ns_per_msg not positive"

if "$BENCH" --json -n 1 "$T/b.so" "$MBOX" > "$T/b.json" 2> "$T/err"; then
    ok "body script runs"
else
    bad "body script: exit $?"; cat "$T/err"
fi
[ "$(field "$T/b.json" floor)" = '"body"' ] && ok "body floor" || bad "body floor: $(field "$T/b.json" floor)"
[ "$(field "$T/b.json" run_errors)" = 0 ] && ok "no run-time errors" || bad "run_errors: $(field "$T/b.json" run_errors)"

# a script compiled on the fly, text report
if "$BENCH" -n 1 --floor=body "$HERE/scripts/fileinto-200.sieve" "$MBOX" > "$T/t.txt" 2> "$T/err" &&
   grep -q "ns/message" "$T/t.txt" && grep -q "one pass over the whole message" "$T/t.txt"; then
    ok "text report, script compiled on the fly, --floor=body"
else
    bad "text report"; cat "$T/t.txt" "$T/err"
fi

"$BENCH" "$T/h.so" > /dev/null 2>&1; rc=$?
[ $rc = 2 ] && ok "no corpus: exit 2" || bad "no corpus: exit $rc"
"$BENCH" --runs=0 "$T/h.so" "$MBOX" > /dev/null 2>&1; rc=$?
[ $rc = 2 ] && ok "--runs=0: exit 2" || bad "--runs=0: exit $rc"
"$BENCH" "$T/h.so" "$T/nonexistent" > /dev/null 2>&1; rc=$?
[ $rc = 2 ] && ok "missing corpus: exit 2" || bad "missing corpus: exit $rc"
printf 'if header :is "x" { keep }\n' > "$T/broken.sieve"
"$BENCH" "$T/broken.sieve" "$MBOX" > /dev/null 2>&1; rc=$?
[ $rc = 1 ] && ok "script errors: exit 1" || bad "script errors: exit $rc"
: > "$T/empty"
"$BENCH" "$T/h.so" "$T/empty" > /dev/null 2>&1; rc=$?
[ $rc = 2 ] && ok "no message: exit 2" || bad "no message: exit $rc"

echo "$pass passed, $fail failed"
[ $fail = 0 ]
