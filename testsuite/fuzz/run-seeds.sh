#!/bin/bash
# run-seeds.sh MODE HARNESS SEED_ROOT...
#
# Runs every *.sieve file under the seed roots once through a fuzz harness
# (a ctest test; roots that do not exist are skipped). SEED_PATTERN picks
# other files (SEED_PATTERN='*': every file; dot files never count).
#   MODE libfuzzer: HARNESS is the libFuzzer binary; the seeds are copied to
#                   a scratch corpus and run with -runs=0, so nothing is
#                   mutated and nothing is written into the source tree.
#   MODE replay:    HARNESS is fuzz_frontend_replay; the files are passed
#                   as arguments.
# Fails when the harness fails (a crash, a sanitizer report, a leak) or when
# no seed was found.
set -euo pipefail

mode=$1 harness=$2
shift 2

seeds=()
for root in "$@"; do
    [ -d "$root" ] || continue
    while IFS= read -r -d '' f; do
        seeds+=("$f")
    done < <(find "$root" -type f -name "${SEED_PATTERN:-*.sieve}" ! -name '.*' -print0 | sort -z)
done
if [ ${#seeds[@]} -eq 0 ]; then
    echo "run-seeds.sh: no ${SEED_PATTERN:-*.sieve} seeds under: $*" >&2
    exit 1
fi
echo "run-seeds.sh: ${#seeds[@]} seed(s) through $harness"

export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=0}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}

case "$mode" in
replay)
    exec "$harness" "${seeds[@]}"
    ;;
libfuzzer)
    scratch=$(mktemp -d "${TMPDIR:-/tmp}/sievec-seeds.XXXXXX")
    trap 'rm -rf "$scratch"' EXIT
    mkdir "$scratch/corpus" "$scratch/artifacts"
    i=0
    for f in "${seeds[@]}"; do
        cp "$f" "$scratch/corpus/$(printf '%05d' $i)-$(basename "$f")"
        i=$((i + 1))
    done
    rc=0
    "$harness" -runs=0 -detect_leaks=1 -timeout=30 -rss_limit_mb=2048 -max_len=1048576 \
        -artifact_prefix="$scratch/artifacts/" "$scratch/corpus" || rc=$?
    if [ $rc -ne 0 ]; then
        # Keep the reproducers (the scratch folder goes away) and name the
        # seed each one came from.
        keep=$PWD/fuzz-artifacts
        mkdir -p "$keep"
        echo "run-seeds.sh: the harness failed (exit $rc)" >&2
        for a in "$scratch"/artifacts/*; do
            [ -e "$a" ] || continue
            cp "$a" "$keep/"
            for f in "${seeds[@]}"; do
                if cmp -s "$a" "$f"; then
                    echo "run-seeds.sh: finding on seed $f (copy: $keep/$(basename "$a"))" >&2
                fi
            done
        done
    fi
    exit $rc
    ;;
*)
    echo "run-seeds.sh: unknown mode '$mode'" >&2
    exit 2
    ;;
esac
