#!/bin/sh
# shape.sh SIEVEC SCRIPTS_DIR: end-to-end checks of the files sievec writes
# and of its exit codes. Tools come from the environment (NM, READELF,
# LLVM_AS, FILE; set by ctest), else from PATH.
set -u
SIEVEC=${1:?usage: shape.sh SIEVEC SCRIPTS_DIR}
SCRIPTS=${2:?usage: shape.sh SIEVEC SCRIPTS_DIR}
NM=${NM:-nm}
READELF=${READELF:-readelf}
LLVM_AS=${LLVM_AS:-llvm-as}
FILE=${FILE:-file}
case $NM in *NOTFOUND) NM=nm ;; esac
case $READELF in *NOTFOUND) READELF=readelf ;; esac
case $LLVM_AS in *NOTFOUND) LLVM_AS= ;; esac
case $FILE in *NOTFOUND) FILE= ;; esac

T=$(mktemp -d "${TMPDIR:-/tmp}/native-shape.XXXXXX") || exit 2
trap 'rm -rf "$T"' EXIT
fails=0
fail() { echo "FAIL: $*"; fails=$((fails + 1)); }
pass() { echo "ok: $*"; }

# A key of our own, so the test never touches ~/.config or /etc.
printf '%s\n' 00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff > "$T/key"
chmod 600 "$T/key"
SIEVEC_KEY_FILE="$T/key"; export SIEVEC_KEY_FILE
unset SIEVEC_LD

# run EXPECTED_STATUS DESCRIPTION -- ARGS...: runs sievec, output in $T/out $T/err
run() {
    want=$1; what=$2; shift 3
    "$SIEVEC" "$@" > "$T/out" 2> "$T/err"
    got=$?
    if [ "$got" -ne "$want" ]; then
        fail "$what: exit $got, want $want"; sed 's/^/    /' "$T/err"; return 1
    fi
    return 0
}

check_so() {  # check_so FILE DESCRIPTION
    so=$1; what=$2
    syms=$("$NM" -D --defined-only "$so" | awk '{print $NF}')
    [ "$syms" = "sieve_filter_descriptor" ] || fail "$what: exported symbols: $syms"
    undef=$("$NM" -D --undefined-only "$so")
    [ -z "$undef" ] || fail "$what: undefined symbols: $undef"
    dyn=$("$READELF" -d "$so")
    for tag in NEEDED TEXTREL INIT FINI INIT_ARRAY FINI_ARRAY PREINIT_ARRAY RPATH RUNPATH; do
        if echo "$dyn" | grep -q "($tag)"; then fail "$what: dynamic section has $tag"; fi
    done
    echo "$dyn" | grep -q "BIND_NOW" || fail "$what: not linked with -z now"
    "$READELF" -lW "$so" | grep GNU_STACK | grep -q RWE && fail "$what: executable stack"
    "$READELF" -lW "$so" | grep -q GNU_RELRO || fail "$what: no RELRO segment"
    [ "$(tail -c 8 "$so")" = "SIEVEMAC" ] || fail "$what: no MAC trailer"
    mode=$(stat -c %a "$so")
    [ "$mode" = 644 ] || fail "$what: mode $mode, want 644"
    pass "$what"
}

# Shared objects at every level, from every good script.
for s in spam vars empty; do
    for o in -O0 -O1 -O2 -O3; do
        run 0 "$s $o" -- $o -o "$T/$s$o.so" "$SCRIPTS/$s.sieve" && check_so "$T/$s$o.so" "$s $o .so"
    done
done

# Default output name: the script name with .so, beside it.
cp "$SCRIPTS/spam.sieve" "$T/copy.sieve"
run 0 "default output" -- "$T/copy.sieve" && { [ -f "$T/copy.so" ] && pass "default name copy.so" || fail "no copy.so"; }
run 0 "default -c output" -- -c "$T/copy.sieve" && { [ -f "$T/copy.o" ] && pass "default name copy.o" || fail "no copy.o"; }
run 0 "default .ll output" -- --emit-llvm "$T/copy.sieve" && { [ -f "$T/copy.ll" ] && pass "default name copy.ll" || fail "no copy.ll"; }

# --emit-llvm writes IR that llvm-as accepts.
if run 0 "--emit-llvm" -- --emit-llvm -o "$T/spam.ll" "$SCRIPTS/spam.sieve"; then
    grep -q '@sieve_filter_descriptor = ' "$T/spam.ll" || fail ".ll has no descriptor"
    if [ -n "$LLVM_AS" ]; then
        "$LLVM_AS" -o /dev/null "$T/spam.ll" && pass "llvm-as accepts the .ll" || fail "llvm-as rejects the .ll"
    fi
fi

# -c writes a relocatable object.
if run 0 "-c" -- -c -o "$T/spam.o" "$SCRIPTS/spam.sieve"; then
    if [ -n "$FILE" ]; then
        "$FILE" "$T/spam.o" | grep -q "relocatable" && pass "-c gives a relocatable object" || fail "-c: $("$FILE" "$T/spam.o")"
    fi
    "$READELF" -h "$T/spam.o" | grep -q "REL (Relocatable" || fail "-c: not ET_REL"
fi

# -mcpu=native is recorded; the default is generic.
grep -q 'c"generic\\00"' "$T/spam.ll" && pass "default cpu generic" || fail "default cpu is not generic"
if run 0 "-mcpu=native" -- -mcpu=native --emit-llvm -o "$T/native.ll" "$SCRIPTS/spam.sieve"; then
    grep '@sieve_target_cpu' "$T/native.ll" | grep -q 'c"generic\\00"' && fail "-mcpu=native recorded generic"
    grep '@sieve_target_features' "$T/native.ll" | grep -q '+' && pass "-mcpu=native records features" \
        || fail "-mcpu=native: no features recorded"
    # flags word (5th i32 of the descriptor) has SIEVE_FLAG_CPU_SPECIFIC (2)
    grep '@sieve_filter_descriptor = ' "$T/native.ll" | grep -Eq '\{ i32 [0-9]+, i32 1, i32 [0-9]+, i32 [0-9]+, i32 (2|3),' \
        && pass "-mcpu=native sets the CPU-specific flag" || fail "-mcpu=native: flag not set"
fi
run 0 "-mcpu=native .so" -- -mcpu=native -o "$T/native.so" "$SCRIPTS/spam.sieve" && check_so "$T/native.so" "-mcpu=native .so"

# Scripts outside the code generator's scope: exit 1, caret on the command.
if run 1 "spamtest" -- -o "$T/spamtest.so" "$SCRIPTS/spamtest.sieve"; then
    grep -q 'spamtest.sieve:3:8: error: .*not-yet-compilable' "$T/err" && pass "spamtest: not-yet-compilable" \
        || { fail "spamtest: message"; cat "$T/err"; }
    [ ! -e "$T/spamtest.so" ] || fail "spamtest: output written"
fi
run 0 "spamtest --check" -- --check "$SCRIPTS/spamtest.sieve" && pass "spamtest passes --check"
# vacation (RFC 5230) compiles since issue 4.
run 0 "vacation" -- -o "$T/vacation.so" "$SCRIPTS/vacation.sieve" && check_so "$T/vacation.so" "vacation .so"
run 0 "vacation --check" -- --check "$SCRIPTS/vacation.sieve" && pass "vacation passes --check"

# Front-end errors still give the front end's diagnostics.
if run 1 "broken" -- -o "$T/broken.so" "$SCRIPTS/broken.sieve"; then
    grep -q '^.*broken.sieve:2:[0-9]*: error: ' "$T/err" && grep -q '\^' "$T/err" \
        && pass "broken: front-end diagnostic with caret" || { fail "broken: message"; cat "$T/err"; }
fi

# Output problems: exit 2 and no file.
run 2 "missing output dir" -- -o "$T/no/such/dir/x.so" "$SCRIPTS/spam.sieve" && pass "missing output dir: exit 2"
touch "$T/plainfile"
run 2 "output dir is a file" -- -o "$T/plainfile/x.so" "$SCRIPTS/spam.sieve" && pass "output under a file: exit 2"
mkdir "$T/ro" && chmod 555 "$T/ro"
if [ "$(id -u)" -ne 0 ]; then
    run 2 "unwritable output dir" -- -o "$T/ro/x.so" "$SCRIPTS/spam.sieve" && pass "unwritable dir: exit 2"
fi
if SIEVEC_LD=/bin/false run 2 "failing linker" -- -o "$T/ld.so" "$SCRIPTS/spam.sieve"; then
    grep -q "linker" "$T/err" && pass "failing linker: exit 2 with message" || fail "linker message: $(cat "$T/err")"
fi
[ ! -e "$T/ld.so" ] || fail "failing linker left output"
leftover=$(ls -A "$T" | grep '^\.' || true)
[ -z "$leftover" ] && pass "no temporary files left" || fail "temporaries left: $leftover"
run 2 "unreadable key" -- --key-file "$T/no-key" -o "$T/k.so" "$SCRIPTS/spam.sieve" && pass "missing key: exit 2"

# Usage errors.
run 2 "-mcpu=foo" -- -mcpu=foo -o "$T/foo.so" "$SCRIPTS/spam.sieve" && pass "-mcpu=foo: exit 2"
run 2 "-O7" -- -O7 "$SCRIPTS/spam.sieve" && pass "-O7: exit 2"
run 2 "-o with two scripts" -- -o "$T/two.so" "$SCRIPTS/spam.sieve" "$SCRIPTS/vars.sieve" && pass "-o with two scripts: exit 2"
run 2 "missing script" -- -o "$T/m.so" "$T/missing.sieve" && pass "missing script: exit 2"
run 0 "--help" -- --help && grep -q -- "--emit-llvm" "$T/out" && pass "--help mentions --emit-llvm"

# The same script compiles to the same bytes (no build id, no timestamps).
run 0 "repeat" -- -o "$T/again.so" "$SCRIPTS/spam.sieve" && run 0 "repeat2" -- -o "$T/again2.so" "$SCRIPTS/spam.sieve" \
    && { cmp -s "$T/again.so" "$T/again2.so" && pass "reproducible output" || fail "two compiles differ"; }

echo "$fails failure(s)"
[ "$fails" -eq 0 ]
