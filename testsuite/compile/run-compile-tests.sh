#!/usr/bin/env bash
# run-compile-tests.sh: the data-driven compile tests of sievec.
#
# Runs `sievec --check` on every script under valid/ (must exit 0) and
# invalid/ (must exit 1 and print exactly the diagnostics listed in
# invalid/NAME.expected). Prints one line per failure with a diff, then a
# final line "N passed, N failed"; exits 1 when anything failed.
#
# Usage: run-compile-tests.sh [--bless] PATH/TO/sievec [NAME...]
#   --bless   rewrite invalid/NAME.expected from sievec's current output
#             (only for invalid scripts that exit 1). Every blessed file must
#             then be reviewed by hand against its script: see README.
#   NAME...   run only these scripts (e.g. valid/keep invalid/unknown-tag).
#
# The golden format (README has the details): one diagnostic per line,
#     LINE:COL: SEVERITY: ID: MESSAGE        errors and warnings
#     LINE:COL: note: MESSAGE                notes attached to the one above
# parsed from sievec's text output (the `file:line:col: severity: message
# [id]` head lines; source excerpts and caret lines are ignored).

set -u

here=$(cd "$(dirname "$0")" && pwd)
bless=0
while [ $# -gt 0 ]; do
    case "$1" in
    --bless) bless=1; shift ;;
    --help|-h) sed -n '2,20p' "$0"; exit 0 ;;
    --) shift; break ;;
    -*) echo "run-compile-tests.sh: unknown option $1" >&2; exit 2 ;;
    *) break ;;
    esac
done
if [ $# -lt 1 ]; then
    echo "usage: run-compile-tests.sh [--bless] PATH/TO/sievec [NAME...]" >&2
    exit 2
fi
sievec=$1; shift
case "$sievec" in /*) ;; *) sievec="$PWD/$sievec" ;; esac
if [ ! -x "$sievec" ]; then
    echo "run-compile-tests.sh: $sievec is not an executable" >&2
    exit 2
fi

tmp=$(mktemp -d "${TMPDIR:-/tmp}/compile-tests.XXXXXX")
trap 'rm -rf "$tmp"' EXIT

# normalize FILE < sievec-output > golden-lines
# Keeps the head lines of FILE's diagnostics and rewrites them into the
# golden format. A head line of a diagnostic without a place
# ("sievec: error: ...") becomes "0:0: ..."; other "sievec: " lines (the
# error cap's "too many errors") are kept as they are. A diagnostic about
# the whole file ("FILE: error: ...") becomes "0:0: ..." too.
normalize() {
    awk -v file="$1" '
    function emit(line, col, rest,    sev, msg, id) {
        if (match(rest, /^(error|warning|note): /) == 0)
            return
        sev = substr(rest, 1, RLENGTH - 2)
        msg = substr(rest, RLENGTH + 1)
        if (sev == "note") {
            print line ":" col ": note: " msg
            return
        }
        id = ""
        if (match(msg, / \[[A-Za-z0-9_.;-]+\]$/)) {
            id = substr(msg, RSTART + 2, RLENGTH - 3)
            msg = substr(msg, 1, RSTART - 1)
        }
        print line ":" col ": " sev ": " id ": " msg
    }
    {
        if (index($0, file ":") == 1) {
            rest = substr($0, length(file) + 2)
            if (match(rest, /^[0-9]+:[0-9]+: /)) {
                split(substr(rest, 1, RLENGTH - 2), lc, ":")
                emit(lc[1], lc[2], substr(rest, RLENGTH + 1))
            } else if (index(rest, " ") == 1) {
                emit(0, 0, substr(rest, 2))
            }
        } else if (index($0, "sievec: ") == 1) {
            rest = substr($0, 9)
            if (match(rest, /^(error|warning|note): /))
                emit(0, 0, rest)
            else
                print "sievec: " rest
        }
    }'
}

passed=0
failed=0
fail() {
    failed=$((failed + 1))
    echo "FAIL $1: $2"
    if [ -n "${3:-}" ]; then
        sed 's/^/    /' "$3"
    fi
}

cd "$here" || exit 2
if [ $# -gt 0 ]; then
    scripts=()
    for n in "$@"; do
        n=${n%.sieve}
        scripts+=("$n.sieve")
    done
else
    scripts=(valid/*.sieve invalid/*.sieve)
fi

for script in "${scripts[@]}"; do
    name=${script%.sieve}
    if [ ! -f "$script" ]; then
        fail "$name" "no such script $script"
        continue
    fi
    out="$tmp/out"
    # A script may ask for sievec options (e.g. a lower limit) on a line
    # "# sievec-args: ..." among its first five lines.
    args=$(head -n 5 "$script" | sed -n 's/^# sievec-args: //p' | head -n 1)
    # The braces keep the shell's "Segmentation fault" report out of the
    # way; a crash shows as its exit status (139) in the FAIL line.
    # $args is unquoted on purpose: it holds several options.
    { timeout 60 "$sievec" --check --color=never $args "$script" >"$out" 2>&1; } 2>/dev/null
    rc=$?
    case "$name" in
    valid/*)
        if [ $rc -eq 0 ]; then
            passed=$((passed + 1))
        else
            fail "$name" "expected exit 0 (clean), got $rc" "$out"
        fi
        ;;
    invalid/*)
        if [ $rc -ne 1 ]; then
            fail "$name" "expected exit 1 (script errors), got $rc" "$out"
            continue
        fi
        normalize "$script" <"$out" >"$tmp/got"
        expected="$name.expected"
        if [ $bless -eq 1 ]; then
            if ! cmp -s "$tmp/got" "$expected" 2>/dev/null; then
                cp "$tmp/got" "$expected"
                echo "blessed $expected (review it by hand)"
            fi
            passed=$((passed + 1))
            continue
        fi
        if [ ! -f "$expected" ]; then
            fail "$name" "missing golden file $expected; sievec printed:" "$tmp/got"
            continue
        fi
        if diff -u --label "$expected" --label "sievec --check $script" \
                "$expected" "$tmp/got" >"$tmp/diff"; then
            passed=$((passed + 1))
        else
            fail "$name" "diagnostics differ from $expected" "$tmp/diff"
        fi
        ;;
    *)
        fail "$name" "scripts live in valid/ or invalid/"
        ;;
    esac
done

echo "$passed passed, $failed failed"
[ $failed -eq 0 ]
