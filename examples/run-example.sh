#!/bin/bash
# run-example.sh [BUILD_DIR]: the bundled examples end to end.
#
#   1. sievec --check examples/broken.sieve (must exit 1 and show errors)
#   2. for each example, mailing-list-guard.sieve (the project brief's list
#      guard, verbatim) and list-policy.sieve (a fuller list policy):
#      sievec --check (must be clean), sievec -o BUILD_DIR/examples/X.so,
#      sieve-replay over examples/messages/*.eml as the list address (the
#      sender comes from each Return-Path), and the verdicts must equal
#      examples/messages/expected-X.txt, which are also Pigeonhole's (see
#      examples/README.md)
# Used by `./bootstrap.sh example` and by the ctest test examples/run.
# Exits non-zero on the first difference.
set -euo pipefail
cd "$(dirname "$0")/.."
build=${1:-build}
sievec=$build/bin/sievec
replay=$build/bin/sieve-replay
out=$build/examples
mkdir -p "$out"

if [ -t 1 ]; then
    say() { printf '\033[1m==> %s\033[0m\n' "$*"; }
else
    say() { printf '==> %s\n' "$*"; }
fi
die() { printf 'run-example.sh: %s\n' "$*" >&2; exit 1; }

[ -x "$sievec" ] || die "$sievec was not built"

say "$sievec --check examples/broken.sieve (two mistakes: expect errors and exit 1)"
rc=0
"$sievec" --check examples/broken.sieve || rc=$?
[ $rc -eq 1 ] || die "expected exit 1 for examples/broken.sieve, got $rc"
[ -x "$replay" ] || die "$replay was not built"

# run_one NAME LIST_ADDRESS
run_one() {
    local name=$1 to=$2 script=examples/$1.sieve
    say "$sievec --check $script"
    "$sievec" --check "$script" || die "$script has errors"
    say "   no errors"
    say "$sievec $script -o $out/$name.so"
    "$sievec" "$script" -o "$out/$name.so"
    say "$replay --to=$to $out/$name.so examples/messages/*.eml"
    "$replay" -q --to="$to" "$out/$name.so" examples/messages/*.eml | tee "$out/$name.txt"
    if ! diff -u "examples/messages/expected-$name.txt" "$out/$name.txt"; then
        die "the verdicts of $name differ from examples/messages/expected-$name.txt"
    fi
    say "   all $(wc -l < "examples/messages/expected-$name.txt") verdicts as expected"
}

run_one mailing-list-guard listname@example.org
run_one list-policy dev@lists.example.org
