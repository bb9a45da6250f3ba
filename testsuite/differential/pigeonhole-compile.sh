#!/usr/bin/env bash
# pigeonhole-compile.sh: differential acceptance test against Pigeonhole.
#
# Compiles every script of testsuite/compile/{valid,invalid} with
# Pigeonhole's sievec (Dovecot's Sieve, the project's reference) and checks
# that it accepts exactly what ours accepts, except the documented
# departures listed in testsuite/compile/departures.tsv (script, RFC
# section, reason). Prints each disagreement, then
#     agreement: A/N (D documented departures)
# and exits 1 on an undocumented disagreement, 77 (ctest's skip code) when
# Pigeonhole's sievec is not installed.
#
# Usage: pigeonhole-compile.sh [PATH/TO/our/sievec]
#   With our sievec, "ours" is what `sievec --check` answers; without it,
#   "ours" is the script's directory (valid/ accepted, invalid/ refused),
#   which compile/scripts holds our sievec to.
# Environment: PIGEONHOLE_SIEVEC overrides where Pigeonhole's sievec is
# (default: sievec on PATH, or /usr/bin/sievec).

set -u

here=$(cd "$(dirname "$0")" && pwd)
compile_dir=$(cd "$here/../compile" && pwd)
ours=${1:-}
if [ -n "$ours" ]; then
    case "$ours" in /*) ;; *) ours="$PWD/$ours" ;; esac
    if [ ! -x "$ours" ]; then
        echo "pigeonhole-compile.sh: $ours is not an executable" >&2
        exit 2
    fi
fi

ph=${PIGEONHOLE_SIEVEC:-}
if [ -z "$ph" ]; then
    # Our own build also makes a `sievec`; Pigeonhole's is the one that
    # takes Dovecot's -c CONFIG and writes a binary, checked below.
    for cand in $(type -ap sievec) /usr/bin/sievec; do
        [ "$cand" = "$ours" ] && continue
        if [ -x "$cand" ]; then ph=$cand; break; fi
    done
fi
if [ -z "$ph" ] || [ ! -x "$ph" ]; then
    echo "SKIP: Pigeonhole's sievec is not installed (apt-get install dovecot-sieve)"
    exit 77
fi

tmp=$(mktemp -d "${TMPDIR:-/tmp}/ph-compile.XXXXXX")
trap 'rm -rf "$tmp"' EXIT

# The configuration of /work/shared/spec/pigeonhole-oracle.md, plus the
# extensions Pigeonhole has but leaves off by default (spamtest,
# spamtestplus, virustest), and a script directory so that include (RFC
# 6609), which Pigeonhole resolves at compile time, finds its scripts.
inc="$compile_dir/include-scripts"
cat >"$tmp/dovecot.conf" <<EOF
ssl = no
protocols =
mail_location = maildir:$tmp/Maildir
plugin {
  sieve = file:$inc
  sieve_global = $inc
  sieve_extensions = +vacation-seconds +editheader +special-use +mboxmetadata +servermetadata +spamtest +spamtestplus +virustest +vnd.dovecot.debug +vnd.dovecot.environment
  sieve_vacation_min_period = 0
  sieve_vacation_max_period = 0
}
EOF

# Is it really Pigeonhole? It must compile a trivial script to a binary.
printf 'keep;\n' >"$tmp/probe.sieve"
if ! HOME="$tmp" "$ph" -c "$tmp/dovecot.conf" "$tmp/probe.sieve" "$tmp/probe.svbin" \
        >"$tmp/probe.log" 2>&1 || [ ! -s "$tmp/probe.svbin" ]; then
    echo "SKIP: $ph does not work as Pigeonhole's sievec:"
    sed 's/^/    /' "$tmp/probe.log"
    exit 77
fi

declare -A departure
while IFS=$'\t' read -r name section reason; do
    case "$name" in ''|'#'*) continue ;; esac
    departure[$name]="$section: $reason"
done <"$compile_dir/departures.tsv"

total=0
agree=0
documented=0
undocumented=0
cd "$compile_dir" || exit 2
skipped=0
for script in valid/*.sieve invalid/*.sieve; do
    name=${script%.sieve}
    # Scripts run with sievec options ("# sievec-args: --limit ...") test
    # our own limits, not the language: nothing to compare.
    if head -n 5 "$script" | grep -q '^# sievec-args: '; then
        skipped=$((skipped + 1))
        continue
    fi
    total=$((total + 1))
    # The braces silence the shell's own "Segmentation fault" report when
    # Pigeonhole crashes; the exit status still says so.
    { HOME="$tmp" timeout 60 "$ph" -c "$tmp/dovecot.conf" "$script" "$tmp/out.svbin" \
        >"$tmp/ph.log" 2>&1; } 2>/dev/null
    phrc=$?
    # Pigeonhole exits 89 when it refuses a script; anything else but 0 is
    # a crash or a time-out, which is not a refusal.
    case $phrc in
    0) ph_acc=accepts ;;
    89) ph_acc=refuses ;;
    *) ph_acc="fails (exit $phrc)" ;;
    esac
    if [ -n "$ours" ]; then
        { timeout 60 "$ours" --check "$script" >/dev/null 2>&1; } 2>/dev/null
        ourrc=$?
        case $ourrc in
        0) our_acc=accepts ;;
        1) our_acc=refuses ;;
        *) our_acc="fails (exit $ourrc)" ;;
        esac
    else
        case "$name" in valid/*) our_acc=accepts ;; *) our_acc=refuses ;; esac
    fi
    if [ "$ph_acc" = "$our_acc" ]; then
        agree=$((agree + 1))
        if [ -n "${departure[$name]:-}" ]; then
            echo "note: $name: documented departure no longer differs (Pigeonhole $ph_acc it); update departures.tsv"
        fi
        continue
    fi
    if [ -n "${departure[$name]:-}" ]; then
        documented=$((documented + 1))
        echo "departure: $name: Pigeonhole $ph_acc, sievec $our_acc (${departure[$name]})"
    else
        undocumented=$((undocumented + 1))
        echo "DISAGREE: $name: Pigeonhole $ph_acc (exit $phrc), sievec $our_acc"
        grep -v -e '^sievec: Fatal' "$tmp/ph.log" | head -5 | sed 's/^/    /'
    fi
done

if [ $skipped -gt 0 ]; then
    echo "not compared: $skipped scripts that set sievec limits (# sievec-args:)"
fi
if [ $undocumented -gt 0 ]; then
    echo "$undocumented undocumented disagreement(s): fix sievec, or list the case in testsuite/compile/departures.tsv with its RFC section"
fi
echo "agreement: $agree/$total ($documented documented departures)"
[ $undocumented -eq 0 ]
