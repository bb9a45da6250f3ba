#!/usr/bin/env python3
"""Differential check of header decoding and address parsing against
Pigeonhole (see ../shared/spec/pigeonhole-oracle.md for the set-up).

For each message of a Maildir, runs Pigeonhole's sieve-test with a trace of

    if header :is ["subject","from","to","cc"] "zzz" { keep; }
    if address :all :is ["from","to","cc"] "zzz" { keep; }

and compares the values it matched with what build/.../ph_dump prints.
Pigeonhole's trace cuts values to about 80 bytes ("...") and shows control
characters as '?': the comparison allows for both.

usage: pigeonhole-diff.py PH_DUMP MAILDIR [--user U] [--work DIR]
Exit status 1 when a message differs (details in DIR/report.txt).
Known, deliberate differences on ../shared/corpus/edge (6 messages):
charsets Dovecot 2.3 lacks (iso-8859-8-i, the RFC 2231 "*lang" suffix),
and values holding line ends or invalid UTF-8, which the trace prints
differently.
"""
import argparse, os, re, shutil, subprocess, sys, tempfile

ap = argparse.ArgumentParser()
ap.add_argument('dump')
ap.add_argument('maildir')
ap.add_argument('--user', default='sieveu')
ap.add_argument('--work', default=None)
args = ap.parse_args()
work = args.work or tempfile.mkdtemp(prefix='rt-ph-diff-')
os.chmod(work, 0o777)
with open(os.path.join(work, 'd.sieve'), 'w') as f:
    f.write('if header :is ["subject","from","to","cc"] "zzz" { keep; }\n'
            'if address :all :is ["from","to","cc"] "zzz" { keep; }\n')
with open(os.path.join(work, 'dovecot.conf'), 'w') as f:
    f.write('ssl = no\nprotocols =\nmail_location = maildir:~/Maildir\n')
for n in ('d.sieve', 'dovecot.conf'):
    os.chmod(os.path.join(work, n), 0o644)

def sanitize(b):
    s = b.decode('utf-8', 'replace')
    return ''.join('?' if (ord(c) < 0x20 or ord(c) == 0x7f) else c for c in s)

files = [os.path.join(args.maildir, s, f) for s in ('cur', 'new')
         if os.path.isdir(os.path.join(args.maildir, s))
         for f in sorted(os.listdir(os.path.join(args.maildir, s)))]
differ = 0
report = open(os.path.join(work, 'report.txt'), 'w')
msg = os.path.join(work, 'm.eml')
for path in files:
    shutil.copy(path, msg)
    os.chmod(msg, 0o644)
    r = subprocess.run(['setpriv', '--reuid=' + args.user, '--regid=' + args.user,
                        '--init-groups', 'env', 'HOME=/home/' + args.user,
                        'sieve-test', '-c', os.path.join(work, 'dovecot.conf'),
                        '-t', '-', '-Tlevel=matching',
                        os.path.join(work, 'd.sieve'), msg],
                       cwd=work, capture_output=True)
    ph = []
    for line in r.stdout.split(b'\n'):
        m = re.match(rb"\s*(\d+):\s+matching value `(.*)'$", line)
        if m:
            ph.append(('H' if m.group(1) == b'1' else 'A', m.group(2).decode('utf-8', 'replace')))
    ours = []
    for line in subprocess.run([args.dump, path], capture_output=True).stdout.split(b'\n'):
        if line:
            k, _, v = line.partition(b'\t')
            ours.append((k.decode(), sanitize(v)))
    ok = len(ph) == len(ours)
    for (k1, v1), (k2, v2) in zip(ph, ours) if ok else []:
        if k1 != k2 or not (v2.startswith(v1[:-3]) if v1.endswith('...') else v1 == v2):
            ok = False
            break
    if not ok:
        differ += 1
        report.write('=== %s\nPH: %r\nUS: %r\n' % (path, ph, ours))
print('%d messages, %d differ (report: %s)' % (len(files), differ, os.path.join(work, 'report.txt')))
sys.exit(1 if differ else 0)
