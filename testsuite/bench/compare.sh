#!/bin/bash
# compare.sh: what one Sieve script costs per message in sievec's compiled
# filter and in the peers, on the same mbox, in one run.
#
#   testsuite/bench/compare.sh [-r RUNS] [-b BUILD] [-u USER] [-n]
#                              SCRIPT MBOX
#
#   -r  timed runs of each process (default 3; the table shows the median;
#       every tool gets one untimed warm-up run first)
#   -b  the build folder with bin/sievec, bin/sieve-bench, bin/sieve-replay
#       (default: build/ of this tree)
#   -u  the unprivileged user Pigeonhole runs as (default sievebench; it is
#       created when missing and this runs as root)
#   -n  do not apt-get install missing peers (skip them instead)
#
# Measured, each over the whole MBOX:
#   sieve-bench     the compiled filter alone, messages in memory (ns per
#                   message, median of its runs) and the floor it is
#                   compared with (header scan, or one pass over the body)
#   sieve-replay    the whole process over the mbox: map, split, recover the
#                   envelope, run, write JSON lines to /dev/null
#   sieve-filter    Pigeonhole's mailbox filter (dovecot-sieve), one process
#                   for the whole mailbox, dry run: the mbox is copied to a
#                   folder it cannot write, INDEX and CONTROL point elsewhere;
#                   run twice, with SCRIPT and with a script of only "keep;",
#                   so the difference is Pigeonhole's cost of the script
#   sieve -n        GNU Mailutils' sieve, dry run over the mbox, when the
#                   script compiles there (else the table says why not)
# Every figure is given as wall time and as CPU time per message (perf stat
# task-clock for whole processes, thread CPU time inside sieve-bench): on a
# loaded machine the CPU time is the steadier one, so the ratios use it
# (wall-time ratios in brackets). Nothing is delivered or sent.
#
# The targets of the issue are printed at the end as met / missed; they are
# benchmark results, and the exit status is 0 whenever everything ran.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
build=$root/build runs=3 user=sievebench install=1

while getopts "r:b:u:nh" opt; do
    case $opt in
    r) runs=$OPTARG ;;
    b) build=$OPTARG ;;
    u) user=$OPTARG ;;
    n) install=0 ;;
    *) sed -n '2,33s/^# \{0,1\}//p' "$0"; exit 2 ;;
    esac
done
shift $((OPTIND - 1))
[ $# -eq 2 ] || { sed -n '2,33s/^# \{0,1\}//p' "$0"; exit 2; }
script=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
mbox=$(cd "$(dirname "$2")" && pwd)/$(basename "$2")
[ -r "$script" ] || { echo "compare.sh: $1: cannot read" >&2; exit 2; }
head -c 5 "$mbox" | grep -q '^From ' || { echo "compare.sh: $2: not an mbox" >&2; exit 2; }
for t in sievec sieve-bench sieve-replay; do
    [ -x "$build/bin/$t" ] || { echo "compare.sh: $build/bin/$t not found (build first, or -b)" >&2; exit 2; }
done
command -v perf >/dev/null || command -v /usr/bin/time >/dev/null ||
    { echo "compare.sh: needs perf (linux-perf) or GNU time (time)" >&2; exit 2; }

# ---- Peers -------------------------------------------------------------------
need_pkgs=()
command -v sieve-filter >/dev/null || need_pkgs+=(dovecot-core dovecot-sieve)
command -v sieve >/dev/null || need_pkgs+=(mailutils)
if [ ${#need_pkgs[@]} -gt 0 ] && [ $install -eq 1 ] && [ "$(id -u)" = 0 ]; then
    echo "compare.sh: installing ${need_pkgs[*]}" >&2
    DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends "${need_pkgs[@]}" >&2 ||
        echo "compare.sh: apt-get failed; missing peers are skipped" >&2
fi
have_ph=0 have_mu=0
command -v sieve-filter >/dev/null && have_ph=1
command -v sieve >/dev/null && have_mu=1
if [ $have_ph -eq 1 ] && ! id "$user" >/dev/null 2>&1; then
    if [ "$(id -u)" = 0 ]; then
        useradd -m -s /bin/sh "$user"
    else
        echo "compare.sh: user $user missing and not root: Pigeonhole skipped" >&2
        have_ph=0
    fi
fi
# Pigeonhole refuses to run as root: as_user is the prefix that drops to $user.
as_user=()
if [ "$(id -u)" = 0 ]; then
    as_user=(setpriv --reuid="$user" --regid="$user" --init-groups env HOME="$(getent passwd "$user" | cut -d: -f6)")
fi

T=$(mktemp -d "${TMPDIR:-/tmp}/sieve-compare.XXXXXX")
trap 'chmod -R u+w "$T" 2>/dev/null; rm -rf "$T"' EXIT
chmod 755 "$T"
mkdir "$T/mail" "$T/ph" "$T/keep"
cp "$mbox" "$T/mail/inbox"
chmod 444 "$T/mail/inbox"
chmod 555 "$T/mail"
cp "$script" "$T/ph/script.sieve"
printf 'keep;\n' > "$T/keep/script.sieve"
for d in ph keep; do
    printf 'ssl = no\nprotocols =\nmail_location = mbox:%s/mail:INBOX=%s/mail/inbox:INDEX=%s/%s/index:CONTROL=%s/%s/control\n' \
        "$T" "$T" "$T" "$d" "$T" "$d" > "$T/$d/dovecot.conf"
    chmod 644 "$T/$d/"*
    [ "$(id -u)" = 0 ] && chown "$user" "$T/$d"
done

# ---- Timing helpers ------------------------------------------------------------
# CPU time of a process and its children: perf stat's task-clock (a software
# counter, so it works where hardware counters do not; 1 us resolution),
# else GNU time (10 ms resolution).
have_perf=0
perf stat -x, -e task-clock -o /dev/null -- true >/dev/null 2>&1 && have_perf=1
# cpu_run OUT CMD...: runs CMD (stdout to /dev/null, stderr appended to
# $T/cur.err); writes "wall_s cpu_s" to OUT.
cpu_run() {
    local out=$1 t0 t1 cpu
    shift
    t0=${EPOCHREALTIME/[.,]/}
    if [ $have_perf -eq 1 ]; then
        perf stat -x, -e task-clock -o "$T/perf.out" -- "$@" > /dev/null 2>> "$T/cur.err" || return 1
        cpu=$(awk -F, '$3 == "task-clock" { printf "%.6f", $1 / 1000 }' "$T/perf.out")
    else
        /usr/bin/time -f '%U %S' -o "$T/time.out" "$@" > /dev/null 2>> "$T/cur.err" || return 1
        cpu=$(awk '{ printf "%.6f", $1 + $2 }' "$T/time.out")
    fi
    t1=${EPOCHREALTIME/[.,]/}
    awk -v w=$((t1 - t0)) -v c="$cpu" 'BEGIN { printf "%.6f %s\n", w / 1e6, c }' > "$out"
}
median() { sort -n | awk '{ v[NR] = $1 } END { printf "%.6f", (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }
# timed NAME CMD...: one warm-up run, then $runs timed runs; leaves
# "wall_median_s cpu_median_s" in $T/NAME.t, or fails with the command's
# error output in $T/NAME.err.
timed() {
    local name=$1 i
    shift
    : > "$T/cur.err"
    : > "$T/$name.samples"
    if ! "$@" > /dev/null 2> "$T/cur.err"; then
        mv "$T/cur.err" "$T/$name.err"
        return 1
    fi
    for ((i = 0; i < runs; i++)); do
        if ! cpu_run "$T/$name.one" "$@"; then
            mv "$T/cur.err" "$T/$name.err"
            return 1
        fi
        cat "$T/$name.one" >> "$T/$name.samples"
    done
    echo "$(cut -d' ' -f1 "$T/$name.samples" | median) $(cut -d' ' -f2 "$T/$name.samples" | median)" > "$T/$name.t"
}

us_per_msg() { awk -v s="$1" -v n="$messages" 'BEGIN { printf "%.2f", s * 1e6 / n }'; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (b > 0) printf "%.1f", a / b; else print "n/a" }'; }
jget() { sed -n "s/.*\"$1\":\\([^,}]*\\).*/\\1/p" "$T/bench.json"; }

# ---- Our side ------------------------------------------------------------------
t0=${EPOCHREALTIME/[.,]/}
"$build/bin/sievec" --limit script_size=64M "$script" -o "$T/filter.so"
t1=${EPOCHREALTIME/[.,]/}
compile_ms=$(awk -v d=$((t1 - t0)) 'BEGIN { printf "%.0f", d / 1000 }')
"$build/bin/sieve-bench" --json -n "$((runs < 5 ? 5 : runs))" "$T/filter.so" "$mbox" > "$T/bench.json"
messages=$(jget messages)
bench_ns=$(jget ns_per_msg)
bench_min=$(jget ns_per_msg_min)
bench_max=$(jget ns_per_msg_max)
floor_ns=$(jget floor_ns_per_msg)
floor_kind=$(jget floor | tr -d '"')
allocs=$(jget allocs_per_msg)
mallocs=$(jget malloc_calls_per_msg)
cpu_ns=$(jget cpu_ns_per_msg)
cpu_floor_ns=$(jget cpu_floor_ns_per_msg)

timed replay "$build/bin/sieve-replay" -q --format=jsonl "$T/filter.so" "$mbox"
read -r replay_wall replay_cpu < "$T/replay.t"

ph_status="not installed" mu_status="not installed"
if [ $have_ph -eq 1 ]; then
    # cd: sieve-filter compiles the script next to itself (a folder it owns)
    if (cd "$T/ph" && timed ph "${as_user[@]}" sieve-filter -c "$T/ph/dovecot.conf" "$T/ph/script.sieve" INBOX) &&
       (cd "$T/keep" && timed phkeep "${as_user[@]}" sieve-filter -c "$T/keep/dovecot.conf" "$T/keep/script.sieve" INBOX); then
        ph_status=ok
        read -r ph_wall ph_cpu < "$T/ph.t"
        read -r phk_wall phk_cpu < "$T/phkeep.t"
    else
        ph_status="failed: $(grep -v '^$' "$T/ph.err" "$T/phkeep.err" 2>/dev/null | head -1)"
    fi
fi
if [ $have_mu -eq 1 ]; then
    cp "$mbox" "$T/mu.mbox"
    # In a child shell, so that a crash of Mailutils (it segfaults on some
    # requires) is reported here rather than by this shell.
    mu_rc=0
    sh -c 'sieve -c "$1" > "$2" 2>&1' sh "$script" "$T/mu.check" 2> /dev/null || mu_rc=$?
    if [ $mu_rc -gt 128 ]; then
        mu_status="does not run there: sieve -c crashed (signal $((mu_rc - 128)))"
    elif [ $mu_rc -ne 0 ]; then
        mu_status="does not run there: $(head -1 "$T/mu.check")"
    elif timed mu sieve -n -f "$T/mu.mbox" "$script"; then
        mu_status=ok
        read -r mu_wall mu_cpu < "$T/mu.t"
    else
        mu_status="failed: $(head -1 "$T/mu.err")"
    fi
fi

# ---- Report --------------------------------------------------------------------
us() { awk -v n="$1" 'BEGIN { printf "%.3f", n / 1000 }'; }
echo "compare.sh: $(basename "$script") over $(basename "$mbox"): $messages messages, $runs timed runs each (median), $(nproc) CPU(s), load $(cut -d' ' -f1-3 /proc/loadavg)"
echo "sievec -O2 compile and link: ${compile_ms} ms (wall, whole process)"
printf '%-36s %10s %10s %12s %12s\n' "" "wall s" "CPU s" "us/msg wall" "us/msg CPU"
printf '%-36s %10s %10s %12s %12s\n' "sieve-bench: filter alone" "-" "-" "$(us "$bench_ns")" "$(us "$cpu_ns")"
printf '%-36s %10s %10s %12s %12s\n' "sieve-bench: floor ($floor_kind)" "-" "-" "$(us "$floor_ns")" "$(us "$cpu_floor_ns")"
row() { printf '%-36s %10.3f %10.3f %12s %12s\n' "$1" "$2" "$3" "$(us_per_msg "$2")" "$(us_per_msg "$3")"; }
row "sieve-replay (whole process)" "$replay_wall" "$replay_cpu"
if [ "$ph_status" = ok ]; then
    ph_script_wall=$(awk -v a="$ph_wall" -v b="$phk_wall" 'BEGIN { d = a - b; printf "%.6f", (d > 0 ? d : 0) }')
    ph_script_cpu=$(awk -v a="$ph_cpu" -v b="$phk_cpu" 'BEGIN { d = a - b; printf "%.6f", (d > 0 ? d : 0) }')
    row "Pigeonhole sieve-filter" "$ph_wall" "$ph_cpu"
    row "Pigeonhole sieve-filter, keep; only" "$phk_wall" "$phk_cpu"
    row "Pigeonhole script cost (difference)" "$ph_script_wall" "$ph_script_cpu"
else
    echo "Pigeonhole sieve-filter: $ph_status"
fi
if [ "$mu_status" = ok ]; then
    row "GNU Mailutils sieve -n" "$mu_wall" "$mu_cpu"
else
    echo "GNU Mailutils sieve -n: $mu_status"
fi
echo "sieve-bench spread: wall ns/msg median $bench_ns, min $bench_min, max $bench_max"
echo "heap allocations per message, steady state: session counter $allocs, all malloc calls $mallocs"

echo "ratios (CPU time per message; wall-time ratios in brackets):"
verdict() { awk -v v="$1" -v t="$2" -v dir="$3" 'BEGIN { ok = dir == ">=" ? v >= t : v <= t; print ok ? "met" : "missed" }'; }
per_ns() { awk -v s="$1" -v n="$messages" 'BEGIN { printf "%.3f", s * 1e9 / n }'; }
if [ "$ph_status" = ok ]; then
    r1=$(ratio "$(per_ns "$ph_cpu")" "$cpu_ns")
    r2=$(ratio "$(per_ns "$ph_script_cpu")" "$cpu_ns")
    r3=$(ratio "$ph_cpu" "$replay_cpu")
    echo "  Pigeonhole per message / our filter:          ${r1}x [$(ratio "$(per_ns "$ph_wall")" "$bench_ns")x]  (target >= 100: $(verdict "$r1" 100 '>='))"
    echo "  Pigeonhole script cost / our filter:          ${r2}x [$(ratio "$(per_ns "$ph_script_wall")" "$bench_ns")x]"
    echo "  sieve-filter / sieve-replay, whole processes: ${r3}x [$(ratio "$ph_wall" "$replay_wall")x]  (target >= 10: $(verdict "$r3" 10 '>='))"
fi
if [ "$mu_status" = ok ]; then
    echo "  Mailutils per message / our filter:           $(ratio "$(per_ns "$mu_cpu")" "$cpu_ns")x [$(ratio "$(per_ns "$mu_wall")" "$bench_ns")x]"
    echo "  Mailutils / sieve-replay, whole processes:    $(ratio "$mu_cpu" "$replay_cpu")x [$(ratio "$mu_wall" "$replay_wall")x]"
fi
rf=$(ratio "$cpu_ns" "$cpu_floor_ns")
echo "  our filter / $floor_kind floor:                  ${rf}x [$(ratio "$bench_ns" "$floor_ns")x]  (target <= 3: $(verdict "$rf" 3 '<='))"
echo "  steady-state heap allocations per message:    $allocs  (target 0: $(awk -v a="$allocs" 'BEGIN { print a == 0 ? "met" : "missed" }'))"
