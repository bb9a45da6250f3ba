#!/bin/bash
# bootstrap.sh: one command from a fresh Debian 12 machine to a result.
#
#   ./bootstrap.sh example   install what is missing, build, check the bundled
#                            example script (examples/mailing-list-guard.sieve),
#                            compile it and replay it over examples/messages/
#   ./bootstrap.sh test      install what is missing, build, run the whole
#                            test suite (ctest, 2 jobs), then the sanitizer
#                            stage
#   ./bootstrap.sh sanitize  only the sanitizer stage: build the runtime,
#                            sieve-replay and the runtime's tests with ASan
#                            and UBSan into build-asan/ and run them, with
#                            replays of the edge, lists and bench-sample
#                            corpora
#   ./bootstrap.sh deps      only install the missing Debian packages
#   ./bootstrap.sh build     deps, then configure and build into build/
#
# Run as root (it calls apt-get) or as a user for whom every package is
# already installed. Extra arguments after the command go to cmake's
# configure step, e.g. `./bootstrap.sh test -DSIEVEC_SANITIZE=ON`.
# Environment: BUILD_DIR (default build), SAN_BUILD_DIR (default
# build-asan), JOBS (default 2).
# Exits non-zero on the first failure.
set -euo pipefail

cd "$(dirname "$0")"
ROOT=$PWD
BUILD_DIR=${BUILD_DIR:-build}
SAN_BUILD_DIR=${SAN_BUILD_DIR:-build-asan}
JOBS=${JOBS:-2}

# Build and test dependencies (Debian 12 package names). dovecot-* is
# Pigeonhole, the reference implementation the differential tests run.
# liblmdb-dev and libhiredis-dev are the store back ends (runtime/store/);
# redis-server is only run by the Redis store tests, each on a private
# loopback port, so a system instance that apt may start does not matter.
BUILD_PKGS=(build-essential cmake flex bison llvm-dev clang libclang-rt-14-dev
            check pkg-config libtre-dev libunistring-dev liblmdb-dev libhiredis-dev
            libmilter-dev)
# postfix and swaks: the milter's end-to-end test runs a private Postfix;
# the load runs (testsuite/load) use postfix's smtp-source and a python3 client.
TEST_PKGS=(dovecot-core dovecot-sieve redis-server postfix swaks python3)

if [ -t 1 ]; then
    say() { printf '\033[1m==> %s\033[0m\n' "$*"; }
else
    say() { printf '==> %s\n' "$*"; }
fi
die() { printf 'bootstrap.sh: %s\n' "$*" >&2; exit 1; }

usage() {
    sed -n '2,23s/^# \{0,1\}//p' "$0"
    exit 2
}

# Installs only the packages dpkg does not report as installed.
install_missing() {
    local missing=() p
    for p in "$@"; do
        if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed'; then
            missing+=("$p")
        fi
    done
    if [ ${#missing[@]} -eq 0 ]; then
        say "all packages present"
        return 0
    fi
    say "installing: ${missing[*]}"
    if [ "$(id -u)" -ne 0 ]; then
        die "missing packages (${missing[*]}) and not root: run as root or install them"
    fi
    export DEBIAN_FRONTEND=noninteractive
    # Postfix asks how to configure the system's mail; "No configuration"
    # writes no main.cf, so the package's own instance does not start and
    # nothing listens on port 25 (the tests run a private instance).
    if command -v debconf-set-selections >/dev/null; then
        echo "postfix postfix/main_mailer_type select No configuration" | debconf-set-selections
    fi
    apt-get update -qq
    apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
}

deps() {
    command -v dpkg-query >/dev/null || die "dpkg-query not found: this script expects Debian 12"
    install_missing "${BUILD_PKGS[@]}" "$@"
}

build() {
    say "configuring $BUILD_DIR/"
    cmake -S "$ROOT" -B "$BUILD_DIR" "$@"
    say "building (-j$JOBS)"
    cmake --build "$BUILD_DIR" -j"$JOBS"
}

example() {
    say "the example: examples/mailing-list-guard.sieve (the project brief's list guard)"
    cat -n examples/mailing-list-guard.sieve
    echo
    # Checks both examples, compiles them, replays them over
    # examples/messages/ and compares with the expected verdicts.
    examples/run-example.sh "$BUILD_DIR"
}

run_tests() {
    say "ctest --test-dir $BUILD_DIR --output-on-failure -j$JOBS"
    ctest --test-dir "$BUILD_DIR" --output-on-failure -j"$JOBS"
}

# The sanitizer stage: a second tree with -DSIEVEC_SANITIZE=ON (ASan and
# UBSan, cmake/Warnings.cmake) that builds only what runs messages: the
# runtime's unit suites, the fuzz harnesses' seed replays (fuzz_message
# runs the edge corpus through compiled scripts) and sieve-replay, which
# replays message-heavy scripts over ../shared/corpus/edge.mbox,
# lists.mbox and bench-sample.mbox (sanitize/replay-corpora). Reports halt
# the run. The harness scripts are compiled by the main tree's sievec,
# which is not sanitized. About 2.5 minutes on 2 cores.
SAN_UNIT_TESTS=(test_address test_body test_compare test_crypto test_exec test_loader test_match
                test_message test_regex test_result test_rfc2047 test_vars test_mailsource)
sanitize() {
    say "sanitizers: configuring $SAN_BUILD_DIR/ (-DSIEVEC_SANITIZE=ON)"
    local sievec=$ROOT/$BUILD_DIR/bin/sievec fuzz_sievec=()
    [ -x "$sievec" ] && fuzz_sievec=(-DSIEVEC_FUZZ_SIEVEC="$sievec")
    cmake -S "$ROOT" -B "$SAN_BUILD_DIR" -DSIEVEC_SANITIZE=ON -DSIEVEC_FUZZ=OFF \
          "${fuzz_sievec[@]}" >/dev/null
    say "sanitizers: building (-j$JOBS) sieve-replay, the fuzz replays and the runtime's unit suites"
    cmake --build "$SAN_BUILD_DIR" -j"$JOBS" --target sieve-replay fuzz_frontend_replay \
          fuzz_message_replay "${SAN_UNIT_TESTS[@]}"
    local re
    re=$(IFS='|'; echo "${SAN_UNIT_TESTS[*]}")
    say "sanitizers: ctest over $SAN_BUILD_DIR/"
    ASAN_OPTIONS=halt_on_error=1:detect_leaks=1 UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1 \
        ctest --test-dir "$SAN_BUILD_DIR" --output-on-failure -j"$JOBS" \
              -R "^(sanitize/replay-corpora|fuzz/(frontend|message)-seeds-replay|unit/($re|test_body_corpus))\$"
}

[ $# -ge 1 ] || usage
cmd=$1
shift
case "$cmd" in
    deps)    deps "${TEST_PKGS[@]}" ;;
    build)   deps; build "$@" ;;
    example) deps; build "$@"; example ;;
    test)    deps "${TEST_PKGS[@]}"; build "$@"; run_tests; sanitize ;;
    sanitize) deps "${TEST_PKGS[@]}"; sanitize ;;
    -h|--help|help) usage ;;
    *) usage ;;
esac
