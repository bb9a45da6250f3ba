#!/bin/sh
# sieve-milter's command line without an MTA: --help, --version, --check
# of good and bad configurations (errors name the file and line), bad
# options. Usage: cli.sh SIEVE-MILTER. Prints one line per check.
M=$1
T=$(mktemp -d "${TMPDIR:-/tmp}/milter-cli.XXXXXX") || exit 2
trap 'rm -rf "$T"' EXIT
pass=0
fail=0
ok() { pass=$((pass + 1)); echo "ok: $1"; }
bad() { fail=$((fail + 1)); echo "FAIL: $1"; }
# expect STATUS TEXT NAME CMD...: exit status and a line of output (both streams)
expect() {
    want=$1; text=$2; name=$3; shift 3
    "$@" > "$T/out" 2>&1
    rc=$?
    if [ $rc -ne "$want" ]; then bad "$name: exit $rc, wanted $want"; cat "$T/out"; return; fi
    if [ -n "$text" ] && ! grep -qF -- "$text" "$T/out"; then
        bad "$name: '$text' not in output"; cat "$T/out"; return
    fi
    ok "$name"
}
expect 0 "Usage: sieve-milter" "--help" "$M" --help
expect 0 "sieve-milter " "--version" "$M" --version
expect 2 "Usage:" "unknown option" "$M" --bogus
expect 2 "unexpected argument" "stray argument" "$M" stray
cat > "$T/good.conf" <<CONF
# a comment
socket = unix:$T/s.sock
script_layout = $T/%d/%l.so
multi_recipient = accept-mixed
redirect_domains = example.org
CONF
expect 0 "configuration OK" "--check good file" "$M" -c "$T/good.conf" --check
printf 'socket = unix:/x\nmulti_recipient = maybe\n' > "$T/bad.conf"
expect 1 "bad.conf:2: multi_recipient: invalid value 'maybe'" "--check bad value, with line" "$M" -c "$T/bad.conf" --check
printf 'nonsense = 1\n' > "$T/bad2.conf"
expect 1 "bad2.conf:1: unknown setting 'nonsense'" "--check unknown key" "$M" -c "$T/bad2.conf" --check
expect 1 "No such file" "--check missing explicit file" "$M" -c "$T/none.conf" --check
expect 1 "script_layout must contain" "-o overrides the file, then checked" "$M" -c "$T/good.conf" -o script_layout=/one.so --check
expect 1 "expected KEY=VALUE" "-o without =" "$M" -c "$T/good.conf" -o script_layout --check
expect 1 "log: invalid value" "-l bad" "$M" -c "$T/good.conf" -l nowhere --check
echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
