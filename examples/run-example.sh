#!/bin/bash
# run-example.sh [BUILD_DIR]: the bundled example end to end.
#
#   1. sievec --check examples/mailing-list-guard.sieve   (must be clean)
#   2. sievec --check examples/broken.sieve               (must exit 1)
#   3. sievec compiles the example to a shared object in BUILD_DIR/examples/
#   4. sieve-replay runs it over examples/messages/*.eml as the list address
#      dev@lists.example.org (the sender comes from each Return-Path)
#   5. the verdicts must equal examples/messages/expected.txt, which are
#      also Pigeonhole's (see examples/README.md)
# Used by `./bootstrap.sh example` and by the ctest test examples/run.
# Exits non-zero on the first difference.
set -euo pipefail
cd "$(dirname "$0")/.."
build=${1:-build}
sievec=$build/bin/sievec
replay=$build/bin/sieve-replay
script=examples/mailing-list-guard.sieve
out=$build/examples
mkdir -p "$out"

if [ -t 1 ]; then
    say() { printf '\033[1m==> %s\033[0m\n' "$*"; }
else
    say() { printf '==> %s\n' "$*"; }
fi
die() { printf 'run-example.sh: %s\n' "$*" >&2; exit 1; }

[ -x "$sievec" ] || die "$sievec was not built"

say "1. $sievec --check $script"
"$sievec" --check "$script" || die "the example has errors"
say "   no errors"

say "2. $sievec --check examples/broken.sieve (two mistakes: expect errors and exit 1)"
rc=0
"$sievec" --check examples/broken.sieve || rc=$?
[ $rc -eq 1 ] || die "expected exit 1 for examples/broken.sieve, got $rc"

say "3. $sievec $script -o $out/mailing-list-guard.so"
"$sievec" "$script" -o "$out/mailing-list-guard.so"
[ -x "$replay" ] || die "$replay was not built"

say "4. $replay --to=dev@lists.example.org $out/mailing-list-guard.so examples/messages/*.eml"
"$replay" -q --to=dev@lists.example.org "$out/mailing-list-guard.so" examples/messages/*.eml \
    | tee "$out/replay.txt"

say "5. compare with examples/messages/expected.txt"
if ! diff -u examples/messages/expected.txt "$out/replay.txt"; then
    die "the verdicts differ from examples/messages/expected.txt"
fi
say "   all $(wc -l < examples/messages/expected.txt) verdicts as expected"
