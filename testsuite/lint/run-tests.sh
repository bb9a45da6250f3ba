#!/bin/sh
# Data-driven tests of the sieve-lint command line.
#
# Usage: run-tests.sh SIEVE_LINT CASES_DIR
#
# A case is NAME.sieve (run as `sieve-lint --color=never NAME.sieve`) or
# NAME.args (one line of arguments, run as given, from CASES_DIR). Expected:
#   NAME.out     standard output, exactly (required)
#   NAME.err     standard error, exactly (when absent, it must be empty)
#   NAME.status  exit status (when absent, 0)
#   NAME.stdin   fed to standard input (otherwise /dev/null)
# With SIEVE_LINT_UPDATE=1 the expected files are (re)written from the
# actual results instead; review the diff before committing.
# Ends with "N passed, N failed"; exit status 1 when a case failed.
set -u
lint=$1
cases=$2
case $lint in /*) ;; *) lint=$(pwd)/$lint ;; esac
cd "$cases" || exit 2
tmp=$(mktemp -d) || exit 2
trap 'rm -rf "$tmp"' EXIT
pass=0
fail=0

names=$( (ls *.sieve *.args 2>/dev/null) | sed 's/\.[a-z]*$//' | sort -u)
for name in $names; do
    if [ -f "$name.args" ]; then
        args=$(cat "$name.args")
    else
        args="--color=never $name.sieve"
    fi
    in=/dev/null
    [ -f "$name.stdin" ] && in=$name.stdin
    # Word splitting of $args is intended: the file holds an argument line.
    # shellcheck disable=SC2086
    NO_COLOR= "$lint" $args <"$in" >"$tmp/out" 2>"$tmp/err"
    status=$?
    if [ "${SIEVE_LINT_UPDATE:-}" = 1 ]; then
        cp "$tmp/out" "$name.out"
        if [ -s "$tmp/err" ]; then cp "$tmp/err" "$name.err"; else rm -f "$name.err"; fi
        if [ "$status" != 0 ]; then echo "$status" >"$name.status"; else rm -f "$name.status"; fi
    fi
    want_status=0
    [ -f "$name.status" ] && want_status=$(cat "$name.status")
    ok=1
    why=""
    if [ ! -f "$name.out" ]; then
        ok=0; why="no $name.out"
    elif ! cmp -s "$tmp/out" "$name.out"; then
        ok=0; why="standard output differs"
    fi
    if [ -f "$name.err" ]; then
        cmp -s "$tmp/err" "$name.err" || { ok=0; why="$why; standard error differs"; }
    elif [ -s "$tmp/err" ]; then
        ok=0; why="$why; unexpected standard error"
    fi
    [ "$status" = "$want_status" ] || { ok=0; why="$why; exit status $status, expected $want_status"; }
    # JSON output must also parse (checked when python3 is at hand).
    if command -v python3 >/dev/null 2>&1; then
        case "$args" in
        *--format=jsonl*)
            python3 -c 'import json,sys
for l in sys.stdin: json.loads(l)' <"$tmp/out" || { ok=0; why="$why; invalid JSON Lines"; } ;;
        *--format=json*)
            python3 -c 'import json,sys; json.load(sys.stdin)' <"$tmp/out" || { ok=0; why="$why; invalid JSON"; } ;;
        esac
    fi
    if [ $ok = 1 ]; then
        pass=$((pass + 1))
    else
        fail=$((fail + 1))
        echo "FAIL: $name: $why"
        [ -f "$name.out" ] && diff -u "$name.out" "$tmp/out" | head -40
        [ -f "$name.err" ] && diff -u "$name.err" "$tmp/err" | head -20
        [ ! -f "$name.err" ] && [ -s "$tmp/err" ] && head -20 "$tmp/err"
    fi
done
echo "$pass passed, $fail failed"
[ $fail = 0 ]
