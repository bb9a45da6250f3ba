#!/bin/sh
# sieve-replay CLI tests. Usage: run.sh SIEVE-REPLAY SIEVEC [SHARED_DIR]
# Run from testsuite/replay (ctest does). UPDATE_GOLDEN=1 rewrites the
# golden files under expected/ instead of comparing (review the diff!).
# Prints one line per check and ends with "N passed, N failed".
REPLAY=$1
SIEVEC=$2
SHARED=${3:-}
pass=0
fail=0
T=$(mktemp -d "${TMPDIR:-/tmp}/replay-test.XXXXXX") || exit 2
trap 'rm -rf "$T"' EXIT
# A private MAC key and object cache, so the tests touch nothing of the user's.
printf '%s\n' 000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f > "$T/mac.key"
chmod 600 "$T/mac.key"
SIEVEC_KEY_FILE=$T/mac.key
SIEVEC_CACHE_DIR=$T/cache
export SIEVEC_KEY_FILE SIEVEC_CACHE_DIR

ok() { pass=$((pass + 1)); echo "ok: $1"; }
bad() { fail=$((fail + 1)); echo "FAIL: $1"; }

# golden NAME CMD...: stdout of CMD must equal expected/NAME
golden() {
    name=$1; shift
    "$@" > "$T/out" 2> "$T/err"
    rc=$?
    if [ "${UPDATE_GOLDEN:-}" = 1 ]; then
        cp "$T/out" "expected/$name"
    fi
    if [ $rc -ne 0 ]; then
        bad "$name: exit status $rc"; cat "$T/err"
    elif cmp -s "$T/out" "expected/$name"; then
        ok "$name"
    else
        bad "$name: output differs"; diff "expected/$name" "$T/out" | head -20
    fi
}

# status WANT NAME CMD...: exit status of CMD must be WANT
status() {
    want=$1; name=$2; shift 2
    "$@" > "$T/out" 2> "$T/err"
    rc=$?
    if [ $rc -eq "$want" ]; then ok "$name (exit $rc)"; else bad "$name: exit $rc, wanted $want"; cat "$T/err"; fi
}

# contains FILE TEXT NAME
contains() {
    if grep -qF -- "$2" "$1"; then ok "$3"; else bad "$3: '$2' not in $(basename "$1")"; head -5 "$1"; fi
}

strip_ids() { sed 's/^{"msg":"[^"]*",//' "$@"; }

# ---- bundled samples: golden outputs -----------------------------------------
golden basic-mbox.jsonl "$REPLAY" --format=jsonl scripts/basic.sieve data/sample.mbox
golden basic-mbox.txt "$REPLAY" scripts/basic.sieve data/sample.mbox
golden basic-maildir.jsonl "$REPLAY" -r --format=jsonl scripts/basic.sieve data/Maildir
golden basic-messages.jsonl "$REPLAY" --format=jsonl scripts/basic.sieve data/messages/01-plain.eml \
    data/messages/04-latin1.eml data/messages/05-crlf-bounce.eml data/messages/07-malformed.eml
golden errors-mbox.jsonl "$REPLAY" --format=jsonl --max-redirects=2 scripts/errors.sieve data/sample.mbox
golden envelope-mbox.txt "$REPLAY" scripts/envelope.sieve data/sample.mbox
golden envelope-override.txt "$REPLAY" --from=alice@example.org --to=bob@example.net \
    scripts/envelope.sieve data/sample.mbox
# include (RFC 6609): scripts included from a personal and a global
# directory compiled into one filter; sievec -M lists them.
golden include-mbox.jsonl "$REPLAY" --format=jsonl --include-dir-personal=scripts/include \
    --include-dir-global=scripts/include/global scripts/include-main.sieve data/sample.mbox
golden include-deps.mk "$SIEVEC" -M --include-dir-personal scripts/include \
    --include-dir-global scripts/include/global -MT include.so scripts/include-main.sieve
# Without the global directory the script does not compile (exit 1).
status 1 "include without --include-dir-global" "$REPLAY" --include-dir-personal=scripts/include \
    scripts/include-main.sieve data/sample.mbox
# date, currentdate, index, environment (RFC 5260, RFC 5183): --now pins
# currentdate, --zone the local zone; at 23:30 UTC it is already the next
# day at +0100, which moves "today".
golden date-now.txt "$REPLAY" --now=2026-01-05T12:00:00Z --zone=+0100 --remote-ip=192.0.2.1 \
    scripts/date.sieve data/dates.mbox
golden date-zone.jsonl "$REPLAY" --format=jsonl --now=2026-01-05T23:30:00Z --zone=+0100 \
    scripts/date.sieve data/dates.mbox
status 2 "--zone=+2400 refused" "$REPLAY" --zone=+2400 scripts/date.sieve data/dates.mbox
status 2 "--zone=0100 refused" "$REPLAY" --zone=0100 scripts/date.sieve data/dates.mbox
status 2 "--zone=+0160 refused" "$REPLAY" --zone=+0160 scripts/date.sieve data/dates.mbox
# imap4flags, editheader, mailbox, special-use, mailboxid: the store the
# script asks about comes from --mailbox, --special-use, --mailbox-id.
golden ext-flags-mbox.jsonl "$REPLAY" --format=jsonl --mailbox=Lists '--special-use=\Junk=Spam' \
    --mailbox-id=F42=Archive scripts/ext-flags.sieve data/sample.mbox
golden ext-flags-nostore.jsonl "$REPLAY" --format=jsonl scripts/ext-flags.sieve data/sample.mbox
golden ext-flags-mbox.txt "$REPLAY" --mailbox=Lists '--special-use=\Junk=Spam' --mailbox-id=F42=Archive \
    scripts/ext-flags.sieve data/sample.mbox
status 2 "--special-use without a backslash" "$REPLAY" --special-use=Junk=Spam \
    scripts/ext-flags.sieve data/sample.mbox
status 2 "--mailbox-id without a name" "$REPLAY" --mailbox-id=F42 scripts/ext-flags.sieve data/sample.mbox

# Without -r the Maildir++ subfolder is left out.
"$REPLAY" --format=jsonl scripts/basic.sieve data/Maildir > "$T/flat"
n=$(wc -l < "$T/flat")
if [ "$n" -eq 7 ]; then ok "Maildir without -r: 7 messages"; else bad "Maildir without -r: $n messages"; fi
# The same messages as mbox and as Maildir give the same actions, in order
# once the Maildir's subfolder is accounted for.
strip_ids "expected/basic-mbox.jsonl" | sort > "$T/a"
strip_ids "expected/basic-maildir.jsonl" | sort > "$T/b"
if cmp -s "$T/a" "$T/b"; then ok "mbox and Maildir agree"; else bad "mbox and Maildir disagree"; diff "$T/a" "$T/b"; fi
# Every line is one JSON object with the fields in the spec's order.
if python3 -c 'import json,sys
for l in open(sys.argv[1]):
    o = json.loads(l)
    assert list(o) == ["msg", "actions", "errors"], list(o)
    for a in o["actions"]: assert list(a)[0] == "type"
' expected/basic-mbox.jsonl 2> "$T/err"; then ok "jsonl parses, field order"; else bad "jsonl does not parse"; cat "$T/err"; fi

# A compiled .so gives the same output as the script.
"$SIEVEC" scripts/basic.sieve -o "$T/basic.so" 2> "$T/err" || { bad "sievec"; cat "$T/err"; }
golden basic-mbox.jsonl "$REPLAY" --format=jsonl "$T/basic.so" data/sample.mbox

# ---- standard input ------------------------------------------------------------
"$REPLAY" --format=jsonl scripts/basic.sieve - < data/messages/06-money.eml > "$T/stdin" 2> "$T/err"
"$REPLAY" --format=jsonl scripts/basic.sieve data/messages/06-money.eml > "$T/file"
if [ "$(strip_ids "$T/stdin")" = "$(strip_ids "$T/file")" ] && grep -q '^{"msg":"-",' "$T/stdin"; then
    ok "stdin as one message, id -"
else
    bad "stdin"; cat "$T/stdin" "$T/err"
fi
"$REPLAY" --format=jsonl scripts/basic.sieve - < data/sample.mbox > "$T/stdin"
if [ "$(wc -l < "$T/stdin")" -eq 8 ] && grep -q '^{"msg":"-#8",' "$T/stdin"; then
    ok "stdin as an mbox"
else
    bad "stdin mbox"; cat "$T/stdin"
fi

# ---- exit codes ----------------------------------------------------------------
status 0 "a script that rejects mail" "$REPLAY" scripts/basic.sieve data/messages/06-money.eml
status 1 "compile error" "$REPLAY" scripts/broken.sieve data/sample.mbox
contains "$T/err" "broken.sieve:4:1: error:" "compile error is printed like a compiler's"
status 2 "missing corpus path" "$REPLAY" scripts/basic.sieve data/no-such.mbox
contains "$T/err" "data/no-such.mbox: No such file or directory" "missing path is named"
status 2 "missing path among good ones" "$REPLAY" scripts/basic.sieve data/sample.mbox data/no-such.mbox
if [ "$(wc -l < "$T/out")" -eq 8 ]; then ok "good paths still replayed"; else bad "good paths not replayed"; fi
status 2 "directory that is not a Maildir" "$REPLAY" scripts/basic.sieve scripts
status 2 "forced mbox that is not one" "$REPLAY" --input=mbox scripts/basic.sieve data/messages/01-plain.eml
status 2 "missing script" "$REPLAY" scripts/no-such.sieve data/sample.mbox
status 2 "no compiler for a source script" env SIEVEC=/nonexistent/sievec "$REPLAY" scripts/basic.sieve data/sample.mbox
contains "$T/err" "cannot run /nonexistent/sievec" "a missing compiler is named"
SIEVEC_SO="$T/basic.so"
"$SIEVEC" -o "$SIEVEC_SO" scripts/basic.sieve 2> "$T/err" || bad "sievec basic.sieve"
status 0 "a compiled filter needs no compiler" env SIEVEC=/nonexistent/sievec "$REPLAY" "$SIEVEC_SO" data/sample.mbox
status 2 "no corpus" "$REPLAY" scripts/basic.sieve
status 2 "bad --format" "$REPLAY" --format=xml scripts/basic.sieve data/sample.mbox
status 2 "bad --now" "$REPLAY" --now=yesterday scripts/basic.sieve data/sample.mbox
status 2 "bad --max-redirects" "$REPLAY" --max-redirects=x scripts/basic.sieve data/sample.mbox
status 2 "stdin twice" "$REPLAY" scripts/basic.sieve - -
status 0 "--now as ISO 8601" "$REPLAY" --now=2026-01-05T10:00:00Z scripts/basic.sieve data/sample.mbox
status 0 "--now as epoch" "$REPLAY" --now=1767607200 --subaddress-separator=+- --max-actions=5 \
    scripts/basic.sieve data/sample.mbox
status 0 "--help" "$REPLAY" --help
contains "$T/out" "Exit status:" "--help documents the exit status"

# ---- unreadable and malformed messages are counted, not fatal --------------------
cp -r data/Maildir "$T/md"
ln -s /nonexistent/message "$T/md/cur/1767607201.M9P1Q9.mail.example.org:2,S"
status 0 "unreadable message in a Maildir" "$REPLAY" --format=jsonl --summary scripts/basic.sieve "$T/md"
if [ "$(wc -l < "$T/out")" -eq 8 ] &&
   grep -q '^{"msg":"cur/1767607201.M9P1Q9.mail.example.org:2,S","actions":\[\],"errors":\["cannot read: No such file or directory"\]}$' "$T/out"; then
    ok "unreadable message reported in its line"
else
    bad "unreadable message line"; cat "$T/out"
fi
contains "$T/err" "1 unreadable or not run" "unreadable message counted in the summary"
contains "$T/err" "Summary: 8 messages" "summary on stderr with jsonl"
# 07-malformed has no header/body separator and a line without a colon; an
# empty mbox entry and a file of binary junk run too.
printf 'From a@example.org Mon Jan  5 10:00:00 2026\nFrom b@example.org Mon Jan  5 10:00:01 2026\n\001\002\377\000junk' > "$T/odd.mbox"
status 0 "malformed and empty messages" "$REPLAY" --format=jsonl scripts/basic.sieve "$T/odd.mbox" data/messages/07-malformed.eml
if [ "$(wc -l < "$T/out")" -eq 3 ]; then ok "malformed messages each get a line"; else bad "malformed lines"; cat "$T/out"; fi

# ---- summary and progress ------------------------------------------------------
status 0 "--summary-only" "$REPLAY" --summary-only scripts/basic.sieve data/sample.mbox
contains "$T/out" "Summary: 8 messages" "--summary-only prints the summary on stdout"
contains "$T/out" '"Lists"' "summary counts per folder"
contains "$T/out" "reject" "summary counts per action type"
contains "$T/out" "messages/s" "summary gives the rate"
if [ "$(grep -c '^{' "$T/out")" -eq 0 ]; then ok "--summary-only prints no message lines"; else bad "--summary-only printed lines"; fi
"$REPLAY" --summary scripts/basic.sieve data/sample.mbox > "$T/out" 2> "$T/err"
if [ "$(head -8 "$T/out")" = "$(cat expected/basic-mbox.txt)" ] && grep -q "^Summary:" "$T/out"; then
    ok "--summary with text output: lines, then the summary"
else
    bad "--summary text"; cat "$T/out"
fi
if [ ! -s "$T/err" ]; then ok "no progress line when stderr is not a terminal"; else bad "stderr not empty"; cat "$T/err"; fi

# ---- replay never sends mail -----------------------------------------------------
if command -v nm > /dev/null; then
    if nm -D --undefined-only "$REPLAY" | grep -Eqw 'socket|connect|sendmsg|sendto|getaddrinfo'; then
        bad "sieve-replay imports a network function"
    else
        ok "sieve-replay imports no network function"
    fi
fi

# ---- vacation, notify, duplicate: one memory store per replay ------------------
golden vacation-mbox.jsonl "$REPLAY" --format=jsonl --now=2026-01-01 --to=bob@example.org \
    scripts/vacation.sieve data/vacation.mbox
golden vacation-nostore.jsonl "$REPLAY" --format=jsonl --no-store --now=2026-01-01 \
    --to=bob@example.org scripts/vacation.sieve data/vacation.mbox
golden vacation-mbox.txt "$REPLAY" --now=2026-01-01 --to=bob@example.org \
    scripts/vacation.sieve data/vacation.mbox
# The store lasts across corpus paths: a second pass over the same mbox sees
# every Message-ID again (1 duplicate in the first pass, 11 in the second).
"$REPLAY" --format=jsonl --now=2026-01-01 --to=bob@example.org scripts/vacation.sieve \
    data/vacation.mbox data/vacation.mbox > "$T/vac2" 2>&1
n=$(grep -c '"Duplicates"' "$T/vac2")
if [ "$n" -eq 12 ]; then ok "vacation: one store for the replay"; else bad "vacation: one store for the replay ($n duplicates)"; fi

# ---- shared corpora --------------------------------------------------------------
if [ -n "$SHARED" ] && [ -f "$SHARED/corpus/bench-sample.mbox" ]; then
    C=$SHARED/corpus
    "$REPLAY" --format=jsonl "$T/basic.so" "$C/bench-sample.mbox" > "$T/bs-mbox" 2> "$T/err"
    "$REPLAY" --format=jsonl "$T/basic.so" "$C/bench-sample" > "$T/bs-md" 2>> "$T/err"
    a=$(wc -l < "$T/bs-mbox"); b=$(wc -l < "$T/bs-md")
    if [ "$a" -eq 514 ] && [ "$b" -eq 514 ]; then ok "bench-sample: 514 lines as mbox and as Maildir"; else bad "bench-sample: $a and $b lines"; cat "$T/err"; fi
    if [ "$(strip_ids "$T/bs-mbox")" = "$(strip_ids "$T/bs-md")" ]; then ok "bench-sample: mbox and Maildir agree"; else bad "bench-sample: mbox and Maildir disagree"; fi
    for set in lists:694 edge:668; do
        name=${set%%:*}; want=${set#*:}
        "$REPLAY" --format=jsonl "$T/basic.so" "$C/$name.mbox" > "$T/m" 2> "$T/err"
        rc1=$?
        "$REPLAY" --format=jsonl "$T/basic.so" "$C/$name" > "$T/d" 2>> "$T/err"
        rc2=$?
        a=$(wc -l < "$T/m"); b=$(wc -l < "$T/d")
        if [ $rc1 -eq 0 ] && [ $rc2 -eq 0 ] && [ "$a" -eq "$want" ] && [ "$b" -eq "$want" ]; then
            ok "$name: $want messages as mbox and as Maildir"
        else
            bad "$name: $a and $b lines (exit $rc1, $rc2), wanted $want"; head -5 "$T/err"
        fi
        if [ "$(strip_ids "$T/m")" = "$(strip_ids "$T/d")" ]; then ok "$name: mbox and Maildir agree"; else bad "$name: disagree"; fi
        if grep -q '"errors":\["cannot read' "$T/m" "$T/d"; then bad "$name: unreadable messages"; else ok "$name: every message read"; fi
    done
    "$REPLAY" --summary-only "$T/basic.so" "$C/bench-sample.mbox" > "$T/out"
    contains "$T/out" "Summary: 514 messages (3790450 bytes)" "bench-sample: count and bytes in the summary"
else
    echo "skipped: shared corpora not found (SIEVEC_SHARED_DIR=$SHARED)"
fi

echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
