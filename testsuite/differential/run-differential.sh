#!/bin/sh
# run-differential.sh: replays testsuite/differential/scripts/*.sieve with
# sieve-replay and with Pigeonhole's sieve-test over the shared corpora and
# compares the actions per message (see README; --help for the options).
# Exits 77 (ctest's skip) when python3, Pigeonhole or the corpus is absent.
if ! command -v python3 >/dev/null 2>&1; then
    echo "SKIP: python3 is not installed"
    exit 77
fi
exec python3 "$(dirname "$0")/differential.py" "$@"
