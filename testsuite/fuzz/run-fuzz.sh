#!/bin/bash
# run-fuzz.sh: a long libFuzzer campaign against the front end, or against
# the runtime's message path.
#
#   testsuite/fuzz/run-fuzz.sh [-H frontend|message] [-t SECONDS] [-b BUILD_DIR]
#                              [-c CORPUS_DIR] [-j JOBS] [-k] [-l MAX_LEN]
#                              [-- LIBFUZZER_ARGS...]
#
#   -H  the harness: frontend (default; fuzz_frontend, script text) or
#       message (fuzz_message, message bytes run through fixed compiled
#       scripts; seeded from testsuite/fuzz/message-seeds/ and the edge
#       corpus ../shared/corpus/edge; -l defaults to 65536 there)
#   -t  total time (default 1200 s)
#   -b  the main build directory (default: build); the harness is
#       BUILD_DIR/fuzz-build/bin/fuzz_frontend, built by `cmake --build`
#       when clang and libclang-rt-14-dev are installed
#   -c  the corpus, kept between campaigns, outside git (default:
#       ${SIEVEC_FUZZ_DIR:-/var/tmp/sievec-fuzz}/frontend/corpus); seeded from
#       testsuite/compile/**/*.sieve and testsuite/fuzz/seeds/
#   -j  parallel fuzzing processes (default 1; more than 1 implies -k)
#   -k  keep going after a finding (libFuzzer's -fork mode), to collect
#       several findings in one campaign
#   -l  longest input tried (default 8192 bytes)
#
# SIEVEC_FUZZ_LIMITS="nesting=4,list_items=3,errors=2" (any --limit names)
# lowers the front end's limits for the campaign, so limit paths are reached
# with short inputs.
#
# Crashes, leaks and timeouts land in the corpus's sibling artifacts/ folder
# (crash-*, leak-*, timeout-*, oom-*). Reproduce one with
#   BUILD_DIR/fuzz-build/bin/fuzz_NAME FILE            (clang, libFuzzer)
#   BUILD_DIR/testsuite/fuzz/fuzz_NAME_replay FILE     (any compiler)
# The exit status is libFuzzer's: 0 when the time ran out without a finding.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
secs=1200 build=$root/build jobs=1 keep=0 maxlen= corpus= name=frontend

while getopts "H:t:b:c:j:kl:h" opt; do
    case $opt in
    H) name=$OPTARG ;;
    t) secs=$OPTARG ;;
    b) build=$OPTARG ;;
    c) corpus=$OPTARG ;;
    j) jobs=$OPTARG ;;
    k) keep=1 ;;
    l) maxlen=$OPTARG ;;
    *) sed -n '2,34s/^# \{0,1\}//p' "$0"; exit 2 ;;
    esac
done
shift $((OPTIND - 1))
case $name in
frontend) maxlen=${maxlen:-8192} ;;
message) maxlen=${maxlen:-65536} ;;
*) echo "run-fuzz.sh: -H frontend or -H message" >&2; exit 2 ;;
esac
corpus=${corpus:-${SIEVEC_FUZZ_DIR:-/var/tmp/sievec-fuzz}/$name/corpus}

harness=$build/fuzz-build/bin/fuzz_$name
[ -x "$harness" ] || harness=$build/bin/fuzz_$name   # a tree configured with clang itself
if [ ! -x "$harness" ]; then
    echo "run-fuzz.sh: no harness in $build (install clang libclang-rt-14-dev, then cmake --build $build)" >&2
    exit 2
fi

artifacts=$(dirname "$corpus")/artifacts
mkdir -p "$corpus" "$artifacts"
# Seed (again: new seeds may have arrived); names by content, so re-seeding
# adds nothing twice.
n=0
while IFS= read -r -d '' f; do
    sum=$(sha1sum "$f" | cut -c1-40)
    [ -e "$corpus/$sum" ] || { cp "$f" "$corpus/$sum"; n=$((n + 1)); }
done < <(if [ "$name" = message ]; then
             find "$here/message-seeds" "$root/../shared/corpus/edge" -type f ! -name '.*' -print0 2>/dev/null
         else
             find "$root/testsuite/compile" "$here/seeds" -type f -name '*.sieve' -print0 2>/dev/null
         fi)
echo "run-fuzz.sh: $n new seed(s); corpus $corpus ($(ls "$corpus" | wc -l) inputs); artifacts $artifacts"
echo "run-fuzz.sh: $harness for $secs s"

export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}

dict=()
[ "$name" = frontend ] && dict=(-dict="$here/sieve.dict")
args=(-max_total_time="$secs" "${dict[@]}" -max_len="$maxlen"
      -timeout=10 -rss_limit_mb=2048 -detect_leaks=1 -print_final_stats=1
      -artifact_prefix="$artifacts/")
if [ "$jobs" -gt 1 ] || [ $keep -eq 1 ]; then
    # -fork keeps going after a finding, so one campaign can collect several.
    args+=(-fork="$jobs" -ignore_crashes=1 -ignore_ooms=1 -ignore_timeouts=1)
fi
rc=0
"$harness" "${args[@]}" "$@" "$corpus" || rc=$?
echo "run-fuzz.sh: libFuzzer exit $rc; findings:"
ls -l "$artifacts" | sed 1d || true
exit $rc
