#!/usr/bin/env bash
# ext-flags.sh: differential run of imap4flags and editheader scripts
# against Pigeonhole's sieve-test (run by hand; needs dovecot-core and
# dovecot-sieve, see spec/pigeonhole-oracle.md).
#
# Each script in ext-flags/ runs on ext-flags/message.eml through our
# sieve-replay and through sieve-test; the scripts report what they saw by
# filing into folders (header edits never appear among Pigeonhole's
# performed actions, so the later tests that see them decide where the
# message goes). Compared: the folders in order and, per folder, the flags
# (lower-cased, sorted: Pigeonhole prints system flags lower-cased).
# Prints one line per script and "agreement: A/N"; exits 1 on a
# disagreement, 77 when sieve-test is missing.
#
# Usage: ext-flags.sh BUILD/bin   (as root: sieve-test runs as the
# unprivileged user $PH_USER, default "sievetest", created when missing)
set -u
here=$(cd "$(dirname "$0")" && pwd)
bin=${1:?usage: ext-flags.sh BUILD/bin}
command -v sieve-test >/dev/null || { echo "sieve-test not installed: skipped"; exit 77; }
user=${PH_USER:-sievetest}
id "$user" >/dev/null 2>&1 || useradd -m "$user" || exit 2
T=$(mktemp -d) || exit 2
trap 'rm -rf "$T"' EXIT
chmod 755 "$T"
cat > "$T/dc.conf" <<'CONF'
ssl = no
protocols =
mail_location = maildir:~/Maildir
plugin {
  sieve_extensions = +vacation-seconds +editheader +special-use
}
CONF
cp "$here/ext-flags/"* "$T/"
chmod -R a+rwX "$T"
ours() {   # folder [flags...] per action, keep as INBOX
    "$bin/sieve-replay" --format=jsonl "$1" "$T/message.eml" 2>/dev/null | python3 -c '
import json, sys
for a in json.loads(sys.stdin.read())["actions"]:
    if a["type"] not in ("fileinto", "keep"): continue
    f = sorted(x.lower() for x in a.get("flags", []))
    print(a.get("mailbox", "INBOX"), " ".join(f))'
}
theirs() {
    setpriv --reuid="$user" --regid="$user" --init-groups env HOME="/home/$user" \
        sieve-test -c "$T/dc.conf" "$1" "$T/message.eml" 2>/dev/null | python3 -c '
import sys
out, cur = [], None
for l in sys.stdin:
    l = l.strip()
    if l.startswith("* store message in folder: "):
        cur = [l.split(": ", 1)[1], []]; out.append(cur)
    elif l.startswith("+ add IMAP flags: ") and cur:
        cur[1] = l.split(": ", 1)[1].split()
for m, f in out:
    print(m, " ".join(sorted(x.lower() for x in f)))'
}
n=0; agree=0
for s in "$T"/*.sieve; do
    n=$((n + 1))
    a=$(ours "$s"); b=$(theirs "$s")
    if [ "$a" = "$b" ]; then agree=$((agree + 1)); echo "agree: $(basename "$s")"
    else echo "DIFFER: $(basename "$s")"; diff <(echo "$a") <(echo "$b") | head; fi
done
echo "agreement: $agree/$n"
[ "$agree" -eq "$n" ]
