#!/bin/bash
# frontend.sh: how long `sievec --check` takes on generated scripts of
# 50, 1,000 and 10,000 rules (the front end: read, parse, check).
#
#   testsuite/bench/frontend.sh [-s SIEVEC] [-r REPS] [-n "50 1000 10000"]
#                               [-o OUTDIR] [-p] [-c] [--smoke]
#
#   -s  the sievec to time (default: build/bin/sievec)
#   -r  repetitions per script (default 15); the table shows median and min
#   -n  rule counts (default "50 1000 10000")
#   -o  where the generated scripts go (default: a temporary folder)
#   -p  also time Pigeonhole's sievec (Debian's dovecot-sieve) on the same
#       scripts, as a reference (it writes a binary, so it does more work)
#   -c  also time compiling each script to a shared object (sievec -o, -O2;
#       3 runs; the scripts then leave out imap4flags, which the code
#       generator does not handle yet)
#   --smoke  only check that every generated script is accepted (exit 0);
#            this is what the ctest test bench/frontend-smoke runs
#
# The scripts come from gen-rules.sh (deterministic). A realistic
# 10,000-rule script is about 1.4 MB, more than the default script_size
# limit (1M), so the scripts are checked with --limit script_size=16M.
# Target: the front end (read, parse, check) of the 10,000-rule script under
# 200 ms, taken from `sievec --time-phases` (wall and CPU). The whole
# process, start-up included, is shown too. Run on an idle machine; on a
# loaded one the CPU column is the fair figure.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
sievec=$root/build/bin/sievec
reps=15 counts="50 1000 10000" outdir="" smoke=0 pigeonhole=0 compile=0

while [ $# -gt 0 ]; do
    case $1 in
    -s) sievec=$2; shift 2 ;;
    -r) reps=$2; shift 2 ;;
    -n) counts=$2; shift 2 ;;
    -o) outdir=$2; shift 2 ;;
    -p) pigeonhole=1; shift ;;
    -c) compile=1; shift ;;
    --smoke) smoke=1; shift ;;
    *) sed -n '2,25s/^# \{0,1\}//p' "$0"; exit 2 ;;
    esac
done

[ -x "$sievec" ] || { echo "frontend.sh: $sievec not found (build first, or -s)" >&2; exit 2; }
if [ -z "$outdir" ]; then
    outdir=$(mktemp -d "${TMPDIR:-/tmp}/sievec-bench.XXXXXX")
    trap 'rm -rf "$outdir"' EXIT
fi
mkdir -p "$outdir"
limits=(--limit script_size=16M)

# Microseconds since the epoch, without forking (bash 5).
now_us() { local t=${EPOCHREALTIME/[.,]/}; echo "$t"; }

# time_runs CMD...: runs CMD $reps times; prints "median_ms min_ms".
time_runs() {
    local i t0 t1 samples=()
    for ((i = 0; i < reps; i++)); do
        t0=$(now_us)
        "$@" >/dev/null 2>&1
        t1=$(now_us)
        samples+=($((t1 - t0)))
    done
    printf '%s\n' "${samples[@]}" | sort -n | awk '
        { v[NR] = $1 }
        END {
            med = (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2
            printf "%.1f %.1f\n", med / 1000, v[1] / 1000
        }'
}

fail=0
for n in $counts; do
    f=$outdir/rules-$n.sieve
    "$here/gen-rules.sh" "$n" > "$f"
    rc=0
    out=$("$sievec" --check "${limits[@]}" "$f" 2>&1) || rc=$?
    if [ $rc -ne 0 ]; then
        echo "frontend.sh: $f ($n rules) was refused (exit $rc):" >&2
        printf '%s\n' "$out" | head -20 >&2
        fail=1
    elif [ $smoke -eq 1 ]; then
        echo "ok: $n rules ($(wc -c < "$f") bytes) accepted"
    fi
done
[ $fail -eq 0 ] || exit 1
[ $smoke -eq 0 ] || exit 0

if [ $pigeonhole -eq 1 ]; then
    command -v /usr/bin/sievec >/dev/null || { echo "frontend.sh: -p needs Debian's dovecot-sieve" >&2; exit 2; }
    phconf=$outdir/pigeonhole.conf
    printf 'ssl = no\nprotocols =\nmail_location = maildir:/nonexistent\nplugin {\n  sieve_max_script_size = 64M\n}\n' > "$phconf"
fi

# phase_runs FILE: median of the in-process front-end time (read, parse,
# check) that `sievec --check --time-phases` reports, wall and CPU, without
# process start-up (which loads LLVM's shared library). Prints "wall cpu".
phase_runs() {
    local i line walls=() cpus=()
    for ((i = 0; i < reps; i++)); do
        line=$("$sievec" --check --time-phases "${limits[@]}" "$1" 2>&1 >/dev/null | grep 'front end')
        walls+=($(sed 's/.*front end \([0-9.]*\) ms.*/\1/' <<<"$line"))
        cpus+=($(sed 's/.*(CPU \([0-9.]*\) ms).*/\1/' <<<"$line"))
    done
    local mw mc
    mw=$(printf '%s\n' "${walls[@]}" | sort -n | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }')
    mc=$(printf '%s\n' "${cpus[@]}" | sort -n | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }')
    echo "$mw $mc"
}

echo "sievec --check: $(cd "$(dirname "$sievec")" && pwd)/$(basename "$sievec"), $reps runs each, $(nproc) CPU(s)"
echo "  process ms: the whole sievec process; front end ms: reading, parsing and"
echo "  checking alone (sievec --time-phases), wall and CPU; medians"
printf '%8s %10s %11s %9s %13s %12s %11s' rules bytes "median ms" "min ms" "us per rule" "front end ms" "fe CPU ms"
[ $pigeonhole -eq 0 ] || printf ' %16s' "pigeonhole med"
echo
status=0
for n in $counts; do
    f=$outdir/rules-$n.sieve
    read -r med min < <(time_runs "$sievec" --check "${limits[@]}" "$f")
    read -r femed fecpu < <(phase_runs "$f")
    printf '%8d %10d %11s %9s %13.1f %12s %11s' "$n" "$(wc -c < "$f")" "$med" "$min" \
        "$(awk -v m="$med" -v n="$n" 'BEGIN { print m * 1000 / n }')" "$femed" "$fecpu"
    if [ $pigeonhole -eq 1 ]; then
        read -r pmed _ < <(time_runs /usr/bin/sievec -c "$phconf" "$f" "$outdir/out.svbin")
        printf ' %16s' "$pmed"
    fi
    echo
    if [ "$n" = 10000 ]; then
        if awk -v m="$femed" 'BEGIN { exit !(m < 200) }'; then
            echo "target met: front end of 10,000 rules in ${femed} ms wall, ${fecpu} ms CPU (< 200 ms)"
        else
            echo "target missed: front end of 10,000 rules in ${femed} ms wall, ${fecpu} ms CPU (target < 200 ms; on a loaded machine compare the CPU time)"
            status=1
        fi
    fi
done

if [ $compile -eq 1 ]; then
    echo
    echo "sievec -o (compile to a shared object, -O2), 3 runs each, profile native (no imap4flags):"
    printf '%8s %10s %11s %9s %10s\n' rules bytes "median ms" "min ms" "so bytes"
    for n in $counts; do
        f=$outdir/rules-$n-compilable.sieve
        "$here/gen-rules.sh" "$n" 12345 native > "$f"
        if ! "$sievec" "${limits[@]}" "$f" -o "$outdir/rules-$n.so" >/dev/null 2>&1; then
            echo "frontend.sh: sievec could not compile $f:" >&2
            "$sievec" "${limits[@]}" "$f" -o "$outdir/rules-$n.so" 2>&1 | head -10 >&2
            status=1
            continue
        fi
        read -r med min < <(reps=3 time_runs "$sievec" "${limits[@]}" "$f" -o "$outdir/rules-$n.so")
        printf '%8d %10d %11s %9s %10d\n' "$n" "$(wc -c < "$f")" "$med" "$min" "$(wc -c < "$outdir/rules-$n.so")"
    done
fi
exit $status
