#!/bin/sh
# Tests of the sieve-store command line over an LMDB store in a temporary
# directory (and an unreachable Redis): output, exit codes 0/1/2, the
# created file's mode, purge with --now, no password in messages.
#
# Usage: cli.sh SIEVE_STORE
set -u
tool=$1
tmp=$(mktemp -d) || exit 2
trap 'rm -rf "$tmp"' EXIT
pass=0
fail=0

# run EXPECTED_STATUS ARGS...: runs the tool, output in $tmp/out, $tmp/err
run() {
    want=$1
    shift
    "$tool" "$@" >"$tmp/out" 2>"$tmp/err"
    got=$?
    if [ "$got" -ne "$want" ]; then
        echo "FAIL: sieve-store $*: exit $got, expected $want"
        sed 's/^/  out: /' "$tmp/out"
        sed 's/^/  err: /' "$tmp/err"
        fail=$((fail + 1))
        return 1
    fi
    pass=$((pass + 1))
}

# expect FILE TEXT: FILE ($tmp/out or $tmp/err) contains the line TEXT
expect() {
    if grep -qxF -- "$2" "$1"; then
        pass=$((pass + 1))
    else
        echo "FAIL: $(basename "$1") lacks the line '$2':"
        sed 's/^/  /' "$1"
        fail=$((fail + 1))
    fi
}

# expect_has FILE TEXT: FILE contains TEXT somewhere
expect_has() {
    if grep -qF -- "$2" "$1"; then
        pass=$((pass + 1))
    else
        echo "FAIL: $(basename "$1") lacks '$2':"
        sed 's/^/  /' "$1"
        fail=$((fail + 1))
    fi
}

run 0 --help && expect_has "$tmp/out" "Usage: sieve-store"
run 0 --version && expect_has "$tmp/out" "sieve-store (sievec)"
run 2 && expect_has "$tmp/err" "Usage: sieve-store"
run 2 "lmdb:$tmp/a.mdb" && expect_has "$tmp/err" "Usage:"
run 2 "lmdb:$tmp/a.mdb" frobnicate && expect "$tmp/err" "sieve-store: unknown command 'frobnicate' (stats, purge or check)"
run 2 --bogus "lmdb:$tmp/a.mdb" stats
run 2 --now=yesterday "lmdb:$tmp/a.mdb" stats
run 2 "memcached://x" stats && expect_has "$tmp/err" "unknown kind 'memcached'"
run 2 "lmdb:$tmp/a.mdb?map_size=1" stats && expect_has "$tmp/err" "option map_size"
[ ! -e "$tmp/a.mdb" ] || { echo "FAIL: a bad command created the store"; fail=$((fail + 1)); }

# check creates the store (mode 0600 whatever the umask) and succeeds.
T=1800000000
(umask 022; "$tool" --now=$T "lmdb:$tmp/a.mdb" check >"$tmp/out" 2>"$tmp/err")
if [ $? -eq 0 ]; then pass=$((pass + 1)); else echo "FAIL: check"; cat "$tmp/err"; fail=$((fail + 1)); fi
expect "$tmp/out" "ok: lmdb:$tmp/a.mdb"
mode=$(stat -c %a "$tmp/a.mdb")
if [ "$mode" = 600 ]; then pass=$((pass + 1)); else echo "FAIL: mode $mode"; fail=$((fail + 1)); fi

# The probe lives 60 s: live at T, expired at T+120; purge removes it.
run 0 --now=$T "lmdb:$tmp/a.mdb" stats && expect "$tmp/out" "records: 1" && expect "$tmp/out" "expired: 0"
expect "$tmp/out" "backend: lmdb"
expect "$tmp/out" "map_size_bytes: 268435456"
run 0 --now=$((T + 120)) "$tmp/a.mdb" stats && expect "$tmp/out" "expired: 1"
run 1 --now=$((T + 120)) "lmdb:$tmp/a.mdb?readonly=1" purge && expect_has "$tmp/err" "read-only"
run 0 --now=$((T + 120)) "lmdb:$tmp/a.mdb" purge && expect "$tmp/out" "purged: 1"
run 0 --now=$((T + 120)) "lmdb:$tmp/a.mdb" stats && expect "$tmp/out" "records: 0"
run 0 "lmdb:$tmp/a.mdb?readonly=1" stats && expect "$tmp/out" "records: 0"

# Stores that cannot be opened: exit 1 with the reason.
run 1 "lmdb:$tmp/missing/a.mdb" check && expect_has "$tmp/err" "No such file"
run 1 "lmdb:$tmp/none.mdb?readonly=1" stats && expect_has "$tmp/err" "no such file"
printf 'this is not an LMDB file, it is only text %.0s' $(seq 200) >"$tmp/text.mdb"
run 1 "lmdb:$tmp/text.mdb" stats && expect_has "$tmp/err" "not an LMDB file"
run 1 "redis://:pw-s3cret@127.0.0.1:1?connect_timeout=500ms" check &&
    expect_has "$tmp/err" "Redis at 127.0.0.1:1: cannot connect"
if grep -q "pw-s3cret" "$tmp/err" "$tmp/out"; then
    echo "FAIL: the password in a message"; fail=$((fail + 1))
else
    pass=$((pass + 1))
fi

echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
