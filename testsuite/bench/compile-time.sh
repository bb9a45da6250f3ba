#!/bin/bash
# compile-time.sh: how long `sievec -O LEVEL SCRIPT -o OUT.so` takes, the
# whole pipeline (read, parse, check, generate LLVM IR, optimise, emit the
# object, link, sign), on generated scripts of 50 and 10,000 rules.
#
#   testsuite/bench/compile-time.sh [-s SIEVEC] [-r REPS] [-n "50 10000"]
#                                   [-O LEVEL] [-o OUTDIR]
#
#   -s  the sievec to time (default: build/bin/sievec)
#   -r  repetitions per script (default 5); the table shows median and min
#   -n  rule counts (default "50 10000")
#   -O  optimisation level (default 2, sievec's default)
#   -o  where the scripts and objects go (default: a temporary folder)
#
# The scripts come from gen-rules.sh with the "native" profile (everything
# the code generator executes; deterministic). Wall-clock and CPU time
# (user + system of sievec and the linker it runs) of whole processes.
# Targets at -O2: 50 rules under 100 ms, 10,000 rules under 3 s. These are
# benchmark results: the exit status is 0 whenever every script compiled.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
sievec=$root/build/bin/sievec
reps=5 counts="50 10000" level=2 outdir=""

while getopts "s:r:n:O:o:h" opt; do
    case $opt in
    s) sievec=$OPTARG ;;
    r) reps=$OPTARG ;;
    n) counts=$OPTARG ;;
    O) level=$OPTARG ;;
    o) outdir=$OPTARG ;;
    *) sed -n '2,20s/^# \{0,1\}//p' "$0"; exit 2 ;;
    esac
done
[ -x "$sievec" ] || { echo "compile-time.sh: $sievec not found (build first, or -s)" >&2; exit 2; }
if [ -z "$outdir" ]; then
    outdir=$(mktemp -d "${TMPDIR:-/tmp}/sievec-ctime.XXXXXX")
    trap 'rm -rf "$outdir"' EXIT
fi
mkdir -p "$outdir"

# one_run SCRIPT: prints "wall_ms cpu_ms" of one compile. CPU time from
# perf stat's task-clock (sievec and the linker it runs), else from the
# children's times in /proc (10 ms ticks).
have_perf=0
perf stat -x, -e task-clock -o /dev/null -- true >/dev/null 2>&1 && have_perf=1
one_run() {
    local t0 t1 before after me=$BASHPID cpu
    before=$(awk '{ print $16 + $17 }' /proc/$me/stat)
    t0=${EPOCHREALTIME/[.,]/}
    if [ $have_perf -eq 1 ]; then
        perf stat -x, -e task-clock -o "$outdir/perf.out" -- \
            "$sievec" -O"$level" --limit script_size=64M "$1" -o "$outdir/out.so"
    else
        "$sievec" -O"$level" --limit script_size=64M "$1" -o "$outdir/out.so"
    fi
    t1=${EPOCHREALTIME/[.,]/}
    after=$(awk '{ print $16 + $17 }' /proc/$me/stat)
    if [ $have_perf -eq 1 ]; then
        cpu=$(awk -F, '$3 == "task-clock" { printf "%.1f", $1 }' "$outdir/perf.out")
    else
        cpu=$(awk -v c=$((after - before)) -v hz="$(getconf CLK_TCK)" 'BEGIN { printf "%.1f", c * 1000 / hz }')
    fi
    awk -v w=$((t1 - t0)) 'BEGIN { printf "%.1f ", w / 1000 }'
    echo "$cpu"
}

echo "sievec -O$level SCRIPT -o OUT.so: $sievec, $reps runs each, $(nproc) CPU(s), load $(cut -d' ' -f1-3 /proc/loadavg)"
printf '%8s %10s %12s %10s %12s  %s\n' rules bytes "median ms" "min ms" "CPU med ms" target
for n in $counts; do
    f=$outdir/rules-$n.sieve
    "$here/gen-rules.sh" "$n" 12345 native > "$f"
    one_run "$f" > /dev/null   # warm-up: page cache, the key file
    walls=() cpus=()
    for ((i = 0; i < reps; i++)); do
        read -r w c < <(one_run "$f")
        walls+=("$w") cpus+=("$c")
    done
    med() { printf '%s\n' "$@" | sort -n | awk '{ v[NR] = $1 } END { printf "%.1f", (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }
    wmed=$(med "${walls[@]}")
    wmin=$(printf '%s\n' "${walls[@]}" | sort -n | head -1)
    cmed=$(med "${cpus[@]}")
    limit=""
    case $n in 50) limit=100 ;; 10000) limit=3000 ;; esac
    verdict="-"
    if [ -n "$limit" ]; then
        # both clocks: wall on an idle host, CPU where other work competes
        verdict="wall $(awk -v m="$wmed" -v l="$limit" 'BEGIN { print (m < l) ? "met" : "missed" }'),"
        verdict="$verdict CPU $(awk -v m="$cmed" -v l="$limit" 'BEGIN { print (m < l) ? "met" : "missed" }') (< $limit ms)"
    fi
    printf '%8d %10d %12s %10s %12s  %s\n' "$n" "$(wc -c < "$f")" "$wmed" "$wmin" "$cmed" "$verdict"
done
