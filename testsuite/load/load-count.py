#!/usr/bin/env python3
"""load-count.py: accounts for every (message, recipient) pair of a load run.

  load-count.py --mail DIR --maillog FILE --milter-log FILE --groups NA NB
                [--ledger FILE]

What is counted. A load run sends NA messages of group A and NB of group B,
each to the four recipients rcpt, 2rcpt, 3rcpt, 4rcpt @example.org, so it
sends 4 * (NA + NB) pairs. The recipients' scripts (scripts/*.sieve) make
each pair's fate known in advance:

              group A (news@example.com)     group B (spam@example.net)
    rcpt      delivered                      delivered
    2rcpt     delivered                      refused at RCPT (550, envelope)
    3rcpt     delivered, fileinto Load/A     discarded (accepted, not stored)
    4rcpt     delivered                      refused after DATA (550 or, under
                                             accept-mixed, removed and logged)

Every pair must end in exactly one of:
  delivered  one file in the recipient's Maildir (new/ or cur/) whose
             Message-ID is the message's; Postfix logged it "status=sent"
  refused    a 5xx the client saw: at RCPT (Postfix: "milter-reject: RCPT
             ... 5xx ... to=<r>") or after DATA; or, under accept-mixed, the
             milter removed the recipient ("rcpt=<r> decision=reject-mixed")
  discarded  accepted by SMTP and removed by the milter ("rcpt=<r>
             decision=discard")
and the check is: delivered + refused + discarded = sent, with no pair lost
(expected delivered, found nowhere), none duplicated (two files), none with
the wrong fate, and, for 3rcpt's group A copies, the fileinto handoff header.

Without --ledger (smtp-source, which never resends) the refusals and
discards are counted from the logs and there must be no 4xx at all. With
--ledger (load-client.py, which resends after 4xx) the client's ledger says
which pairs got a final 250 or 5xx, so each pair is checked by name
(X-Load-Id); 4xx replies are then expected and only reported.
Prints the table and "RESULT: ok" or "RESULT: FAIL (...)"; exits 0 or 1.
"""
import argparse
import collections
import os
import re
import sys

USERS = ["rcpt", "2rcpt", "3rcpt", "4rcpt"]
EXPECT = {
    ("A", "rcpt"): "deliver", ("A", "2rcpt"): "deliver",
    ("A", "3rcpt"): "fileinto", ("A", "4rcpt"): "deliver",
    ("B", "rcpt"): "deliver", ("B", "2rcpt"): "refuse",
    ("B", "3rcpt"): "discard", ("B", "4rcpt"): "refuse",
}


def headers(path):
    """The header fields of a stored message (unfolded), lower-case names."""
    h = collections.defaultdict(list)
    with open(path, "rb") as f:
        data = f.read(65536)
    head = data.split(b"\n\n", 1)[0].replace(b"\r\n", b"\n")
    cur = None
    for line in head.split(b"\n"):
        if line[:1] in (b" ", b"\t") and cur:
            h[cur][-1] += b" " + line.strip()
            continue
        if b":" in line:
            name, val = line.split(b":", 1)
            cur = name.strip().lower().decode("ascii", "replace")
            h[cur].append(val.strip())
    return {k: [v.decode("utf-8", "replace") for v in vs] for k, vs in h.items()}


def scan_mail(base):
    """(user, message-id) -> [header dicts], and the group of each id."""
    found = collections.defaultdict(list)
    group = {}
    for u in USERS:
        for sub in ("new", "cur"):
            d = os.path.join(base, u, sub)
            if not os.path.isdir(d):
                continue
            for name in os.listdir(d):
                h = headers(os.path.join(d, name))
                mid = (h.get("message-id") or ["?"])[0]
                subj = (h.get("subject") or [""])[0]
                g = "A" if subj.endswith("load A") else "B" if subj.endswith("load B") else "?"
                group[mid] = g
                found[(u, mid)].append(h)
    return found, group


def grep_count(path, regex):
    """Counts per recipient (the regex's group 1) of matching lines."""
    c = collections.Counter()
    r = re.compile(regex)
    with open(path, errors="replace") as f:
        for line in f:
            m = r.search(line)
            if m:
                c[m.group(1)] += 1
    return c


def local(addr):
    return addr.split("@", 1)[0].lower()


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--mail", required=True)
    ap.add_argument("--maillog", required=True)
    ap.add_argument("--milter-log", required=True)
    ap.add_argument("--groups", nargs=2, type=int, required=True, metavar=("NA", "NB"))
    ap.add_argument("--ledger")
    a = ap.parse_args()
    na, nb = a.groups
    sent = 4 * (na + nb)
    problems = []

    found, group = scan_mail(a.mail)
    files = collections.Counter()
    for (u, mid), hs in found.items():
        files[u] += len(hs)
    dup = sum(len(hs) - 1 for hs in found.values() if len(hs) > 1)
    wrongdeliv = sum(1 for (u, mid) in found if EXPECT.get((group[mid], u)) not in
                     ("deliver", "fileinto"))
    nofile = sum(1 for (u, mid), hs in found.items()
                 if EXPECT.get((group[mid], u)) == "fileinto" and
                 not any("mailbox=Load/A" in v for h in hs for v in h.get("x-sieve-fileinto", [])))
    delivered = sum(files.values())

    # Postfix's own count of deliveries agrees with the Maildirs.
    sentlog = grep_count(a.maillog, r"to=<([^>@]+)@example\.org>.*status=sent \(delivered to maildir\)")
    for u in USERS:
        if sentlog[u] != files[u]:
            problems.append("%s: maillog says %d delivered, Maildir holds %d" % (u, sentlog[u], files[u]))

    rcpt_refused = grep_count(a.maillog, r"milter-reject: RCPT from .*: 5\d\d .*to=<([^>@]+)@")
    tempfails = sum(grep_count(a.maillog, r"(milter-reject): \S+ from .*: 4\d\d ").values())
    mixed = grep_count(a.milter_log, r"rcpt=<([^>@]+)@[^>]*> decision=reject-mixed")
    eom_refused = grep_count(a.milter_log, r"rcpt=<([^>@]+)@[^>]*> decision=reject after DATA")
    discards = grep_count(a.milter_log, r"rcpt=<([^>@]+)@[^>]*> decision=discard")

    lost = 0
    gaveup = 0
    if a.ledger:
        # Each pair by name: the client's final answer, then the Maildir.
        fate = {}
        with open(a.ledger) as f:
            for line in f:
                k, r, outcome, code = line.split()
                key = (int(k), local(r))
                if key in fate:
                    problems.append("ledger: pair %s twice" % (key,))
                fate[key] = outcome
        refused = discarded = 0
        for k in range(na + nb):
            g = "A" if k % 2 == 0 else "B"
            mid = "<load-%d@example.com>" % k
            for u in USERS:
                exp = EXPECT[(g, u)]
                out = fate.get((k, u), "missing")
                n = len(found.get((u, mid), []))
                if out == "missing" or out == "gaveup":
                    gaveup += 1
                elif out == "refused":
                    refused += 1
                    if exp != "refuse":
                        problems.append("%s %s refused, expected %s" % (mid, u, exp))
                    if n:
                        problems.append("%s %s refused yet delivered" % (mid, u))
                elif n == 0:
                    if exp in ("deliver", "fileinto"):
                        lost += 1
                    else:
                        discarded += 1   # accepted, then removed by the milter
        if tempfails:
            print("tempfails seen (resent by the client): %d" % tempfails)
    else:
        refused = sum(rcpt_refused.values()) + sum(mixed.values()) + sum(eom_refused.values())
        discarded = sum(discards.values())
        if tempfails:
            problems.append("%d 4xx replies, and smtp-source does not resend" % tempfails)
        # Per recipient and group, the counts the scripts imply.
        want = {"rcpt": (na, nb), "2rcpt": (na, 0), "3rcpt": (na, 0), "4rcpt": (na, 0)}
        for u in USERS:
            got_a = sum(1 for (uu, mid) in found if uu == u and group[mid] == "A")
            got_b = sum(1 for (uu, mid) in found if uu == u and group[mid] == "B")
            lost += max(0, want[u][0] - got_a) + max(0, want[u][1] - got_b)
            if (got_a, got_b) != want[u]:
                problems.append("%s: %d A + %d B distinct messages delivered, expected %d + %d"
                                % (u, got_a, got_b, want[u][0], want[u][1]))
        for u, n in (("2rcpt", rcpt_refused["2rcpt"]), ("3rcpt", discards["3rcpt"]),
                     ("4rcpt", mixed["4rcpt"] + eom_refused["4rcpt"])):
            if n != nb:
                problems.append("%s: %d group B pairs refused or discarded, expected %d" % (u, n, nb))

    print("pairs sent (messages x 4 recipients): %d  (A %d, B %d messages)" % (sent, na, nb))
    print("delivered %d  (%s)" % (delivered, ", ".join("%s %d" % (u, files[u]) for u in USERS)))
    print("refused   %d  (at RCPT %d, after DATA %d, removed under accept-mixed %d)"
          % (refused, sum(rcpt_refused.values()), sum(eom_refused.values()), sum(mixed.values())))
    print("discarded %d" % discarded)
    print("lost %d  duplicated %d  wrong fate %d  fileinto header missing %d  no final answer %d"
          % (lost, dup, wrongdeliv, nofile, gaveup))
    total = delivered - dup + refused + discarded
    if total != sent:
        problems.append("delivered + refused + discarded = %d, sent %d" % (total, sent))
    for what, n in (("lost", lost), ("duplicated", dup), ("wrong fate", wrongdeliv),
                    ("fileinto header missing", nofile), ("no final answer", gaveup)):
        if n:
            problems.append("%s: %d" % (what, n))
    if problems:
        for p in problems:
            print("  problem: " + p)
        print("RESULT: FAIL (%d problems)" % len(problems))
        return 1
    print("RESULT: ok (delivered + refused + discarded = sent = %d)" % sent)
    return 0


if __name__ == "__main__":
    sys.exit(main())
