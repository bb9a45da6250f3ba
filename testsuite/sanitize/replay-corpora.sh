#!/bin/sh
# replay-corpora.sh SIEVE-REPLAY SHARED_DIR DIFF_SCRIPTS FUZZ_SCRIPTS
#
# Replays scripts that exercise the message path hardest (body :raw,
# :content and :text, regex, decoded headers, variables, addresses, the
# list guard, and fuzz_message's scripts) over ../shared/corpus/edge.mbox,
# lists.mbox and bench-sample.mbox with a sieve-replay built with
# -DSIEVEC_SANITIZE=ON.
# ASan and UBSan stop at the first report (halt_on_error), leaks count;
# the test fails on any report or a non-zero exit, and skips (77) without
# the corpus.
set -u
replay=$1 shared=$2 diff=$3 fuzz=$4
edge=$shared/corpus/edge.mbox
if [ ! -f "$edge" ]; then
    echo "SKIP: no corpus at $shared/corpus (the shared directory is absent)"
    exit 77
fi
corpora=$edge
for c in lists bench-sample; do
    [ -f "$shared/corpus/$c.mbox" ] && corpora="$corpora $shared/corpus/$c.mbox"
done

T=$(mktemp -d "${TMPDIR:-/tmp}/sanitize-replay.XXXXXX") || exit 2
trap 'rm -rf "$T"' EXIT
# A private MAC key and object cache for the scripts compiled on the fly.
printf '%s\n' 00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff > "$T/mac.key"
chmod 600 "$T/mac.key"
export SIEVEC_KEY_FILE=$T/mac.key SIEVEC_CACHE_DIR=$T/cache
export ASAN_OPTIONS=halt_on_error=1:abort_on_error=1:detect_leaks=1:print_summary=1
export UBSAN_OPTIONS=halt_on_error=1:abort_on_error=1:print_stacktrace=1

fail=0
n=0
for s in "$diff"/06-body-text.sieve "$diff"/07-body-raw.sieve "$diff"/08-body-content.sieve \
         "$diff"/09-regex.sieve "$diff"/10-decoded-headers.sieve "$diff"/12-variables.sieve \
         "$diff"/04-address-parts.sieve "$diff"/17-list-guard.sieve "$fuzz"/*.sieve; do
    [ -f "$s" ] || continue
    n=$((n + 1))
    # shellcheck disable=SC2086 # $corpora is a list of paths without blanks
    "$replay" --format=jsonl -q "$s" $corpora > "$T/out" 2> "$T/err"
    rc=$?
    msgs=$(wc -l < "$T/out")
    if [ $rc -ne 0 ] || grep -q -e 'ERROR: AddressSanitizer' -e 'runtime error:' \
            -e 'ERROR: LeakSanitizer' "$T/err"; then
        fail=$((fail + 1))
        echo "FAIL: $(basename "$s"): exit $rc after $msgs messages"
        head -40 "$T/err"
    else
        echo "ok: $(basename "$s"): $msgs messages"
    fi
done
echo "$n scripts, $fail failed"
[ $n -gt 0 ] && [ $fail -eq 0 ]
