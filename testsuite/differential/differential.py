#!/usr/bin/env python3
"""differential.py: replay Sieve scripts with sievec's sieve-replay and with
Pigeonhole's sieve-test over the shared mail corpora and compare, message by
message, the sets of actions they would perform.

run-differential.sh is the entry point (see README for the options, the
normalisation and the classes of disagreement). Own code, standard library
only.

For each script (scripts/*.sieve, with an optional NAME.opts beside it):
  ours        one `sieve-replay --format=jsonl` per corpus mbox;
  Pigeonhole  one `sieve-test` per message, as an unprivileged user, on the
              message bytes split out of the mbox the way sieve-replay reads
              it (mboxrd), with the same envelope given explicitly; results
              are cached per script and corpus under --cache, so reruns only
              run what is new;
then both are normalised into sets of actions and compared. A disagreement
is either explained by one of the classes below (each documented in README
with an example) or "unexplained", which fails the run, as does a script
below the agreement threshold.

Exit status: 0 all good, 1 a script below the threshold or an unexplained
disagreement, 2 usage or set-up error, 77 Pigeonhole or the corpus absent.
"""

import argparse
import concurrent.futures
import hashlib
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile

SKIP = 77
CACHE_VERSION = "1"
# Pigeonhole's own defaults when a message names no sender or recipient;
# sieve-replay is given the same ones (--default-from/--default-to).
DEFAULT_FROM = "sender@example.com"
DEFAULT_TO = "recipient@example.com"
PH_CONF = """ssl = no
protocols =
mail_location = maildir:~/Maildir
plugin {
  sieve_extensions = +vacation-seconds +editheader +special-use +mboxmetadata +servermetadata
  sieve_vacation_min_period = 0
  sieve_vacation_max_period = 0
}
"""
FULL_CORPORA = ["bench", "lists", "edge"]
# The CI sample: bench-sample is every 20th message of bench. (Halving it
# would leave 08-body-content's three explained disagreements below
# 99.5 % of 555 messages.)
SAMPLE_CORPORA = ["bench-sample", "lists:150", "edge:150"]


def die(msg, code=2):
    print("run-differential: " + msg, file=sys.stderr)
    sys.exit(code)


# ---- mbox splitting, as tools/common/mailsource.c reads mboxrd -------------

SEP_TIME = re.compile(rb"[0-9]:[0-9][0-9]")


def separator_line(d, p):
    nl = d.find(b"\n", p)
    e = nl if nl >= 0 else len(d)
    w = p + 5
    while w < e and d[w:w + 1] not in (b" ", b"\t", b"\r"):
        w += 1
    if w == p + 5:
        return False
    return SEP_TIME.search(d, w, e) is not None


QUOTED = re.compile(rb"^>+From ", re.M)


def split_mbox(d):
    """The messages of an mbox (bytes), each as sieve-replay sees it."""
    out = []
    pos = 0
    n = len(d)
    cand = re.compile(rb"From ")
    while pos < n:
        nl = d.find(b"\n", pos)
        body = nl + 1 if nl >= 0 else n
        end = n
        for m in cand.finditer(d, body):
            p = m.start()
            if p != body and d[p - 1:p] != b"\n":
                continue
            prev_blank = (p == body or p - 1 == body or d[p - 2:p - 1] == b"\n" or
                          (d[p - 2:p - 1] == b"\r" and (p - 2 == body or d[p - 3:p - 2] == b"\n")))
            if prev_blank and separator_line(d, p):
                end = p
                break
        mend = end
        if mend - body == 1 and d[body:body + 1] == b"\n":
            mend = body
        elif mend - body == 2 and d[body:body + 2] == b"\r\n":
            mend = body
        elif mend - body >= 2 and d[mend - 2:mend] == b"\n\n":
            mend -= 1
        elif mend - body >= 4 and d[mend - 4:mend] == b"\r\n\r\n":
            mend -= 2
        msg = d[body:mend]
        # mboxrd: one '>' off every line matching ^>+From .
        msg = QUOTED.sub(lambda m: m.group(0)[1:], msg)
        out.append(msg)
        pos = end
    return out


# ---- the envelope, as tools/common/envelope.c recovers it ------------------

def header_section(msg):
    m = re.search(rb"\r?\n\r?\n", msg)
    head = msg[:m.start() + 1] if m else msg
    if msg.startswith(b"\n") or msg.startswith(b"\r\n"):
        head = b""
    return head


def first_field(head, name):
    pat = re.compile(rb"^" + re.escape(name) + rb"[ \t]*:(.*(?:\r?\n[ \t].*)*)", re.I | re.M)
    m = pat.search(head)
    if not m:
        return None
    v = re.sub(rb"\r?\n", b"", m.group(1)).strip(b" \t\r")
    if len(v) >= 1024:
        return None
    return v


def envelope(msg):
    head = header_section(msg)
    sender = first_field(head, b"Return-Path")
    if sender is not None:
        s = sender.strip()
        if s.startswith(b"<") and s.endswith(b">"):
            s = s[1:-1]
        sender = s
    rcpt = first_field(head, b"Delivered-To")
    if rcpt is None:
        rcpt = first_field(head, b"X-Original-To")
    return sender, rcpt


# ---- Pigeonhole ------------------------------------------------------------

class Pigeonhole:
    """Runs sieve-test in a private temporary directory, as nobody when
    started as root (Pigeonhole refuses to run as root)."""

    def __init__(self, sieve_test, workdir):
        self.bin = sieve_test
        self.dir = workdir
        os.chmod(workdir, 0o755)
        self.home = os.path.join(workdir, "home")
        os.mkdir(self.home)
        self.conf = os.path.join(workdir, "dovecot.conf")
        with open(self.conf, "w") as f:
            f.write(PH_CONF)
        os.chmod(self.conf, 0o644)
        self.user = None
        if os.geteuid() == 0:
            self.user = 65534  # nobody
            os.chown(self.home, self.user, self.user)
        self.msgdir = os.path.join(workdir, "msgs")
        os.mkdir(self.msgdir)
        os.chmod(self.msgdir, 0o755)

    def run(self, args, timeout=60):
        kw = {}
        if self.user is not None:
            kw = dict(user=self.user, group=self.user, extra_groups=[])
        env = {"HOME": self.home, "PATH": "/usr/bin:/bin", "LANG": "C.UTF-8"}
        return subprocess.run([self.bin, "-c", self.conf] + args, cwd=self.dir, env=env,
                              stdin=subprocess.DEVNULL, capture_output=True, timeout=timeout, **kw)

    def prepare_script(self, name, text):
        """Copies the script where sieve-test can save its binary, and
        compiles it once (sieve-test reuses a newer .svbin)."""
        d = os.path.join(self.dir, "s-" + name)
        os.mkdir(d)
        if self.user is not None:
            os.chown(d, self.user, self.user)
        path = os.path.join(d, name + ".sieve")
        with open(path, "w", encoding="utf-8") as f:
            f.write(text)
        os.chmod(path, 0o644)
        return path

    def write_message(self, key, data):
        path = os.path.join(self.msgdir, key + ".eml")
        if not os.path.exists(path):
            with open(path, "wb") as f:
                f.write(data)
            os.chmod(path, 0o644)
        return path


def parse_sieve_test(rc, out, err):
    """sieve-test's report as a raw record: the performed actions (one
    string per '*' line, '+' lines appended), the implicit keep, errors."""
    text = out.decode("utf-8", "replace")
    acts, implicit, section = [], [], None
    for line in text.splitlines():
        if line.startswith("Performed actions:"):
            section = acts
            continue
        if line.startswith("Implicit keep:"):
            section = implicit
            continue
        if section is None:
            continue
        s = line.strip()
        if s.startswith("* "):
            section.append(s[2:])
        elif s.startswith("+ ") and section:
            section[-1] += "\n" + s[2:]
        elif s and s != "(none)" and section:
            # Continuation lines (vacation details).
            section[-1] += "\n" + s
    errs = [l for l in err.decode("utf-8", "replace").splitlines()
            if ": error:" in l or "Error:" in l or "Fatal:" in l]
    return {"rc": rc, "actions": acts, "implicit": implicit, "errors": errs}


# ---- normalisation ----------------------------------------------------------

SANITIZE_MAX = 128


def ph_sanitize(s, maxlen=SANITIZE_MAX):
    """What Pigeonhole prints for a string: control characters as '?', and
    cut with '...' past maxlen bytes (at a character boundary)."""
    s = "".join("?" if (ord(c) < 0x20 or ord(c) == 0x7f) else c for c in s)
    b = s.encode("utf-8")
    if len(b) <= maxlen:
        return s
    cut = b[:maxlen - 3]
    return cut.decode("utf-8", "ignore") + "..."


def norm_ours(rec, subst, vacation_exec=False):
    """Our jsonl record as a sorted tuple of action strings. With
    vacation_exec, a vacation also says whether the reply is sent, and to
    whom (see vacation_outcome)."""
    out = set()
    for a in rec.get("actions", []):
        t = a["type"]
        t = subst.get(t, t)
        if t == "keep":
            out.add("keep" + flags_suffix(a))
        elif t == "fileinto":
            mb = a["mailbox"]
            if mb == "INBOX":
                out.add("keep" + flags_suffix(a))
                continue
            out.add("fileinto " + ph_sanitize(mb) + (" :copy" if a.get("copy") else "") + flags_suffix(a))
        elif t == "redirect":
            out.add("redirect " + a["address"] + (" :copy" if a.get("copy") else ""))
        elif t in ("reject", "ereject"):
            out.add("reject " + ph_sanitize(a.get("reason", "")))
        elif t == "discard":
            out.add("discard")
        elif t == "vacation":
            secs = a.get("seconds")
            if secs is None and a.get("days") is not None:
                secs = int(a["days"]) * 86400
            subj = a.get("subject")
            if subj and (subj.startswith("Auto: ") or subj == "Automated reply"):
                # Our jsonl gives the subject the reply will carry, the
                # default ("Auto: " + the message's, RFC 5230 4.4, or
                # "Automated reply" when it has none) when the script has
                # no :subject; sieve-test prints only an explicit :subject.
                subj = None
            key = vacation_key(secs, subj, a.get("from"), a.get("reason", ""))
            if vacation_exec:
                key += " not-sent" if a.get("suppressed") else " sent-to=" + a.get("to", "?")
            out.add(key)
        elif t in ("addheader", "deleteheader"):
            # sieve-test never shows header edits among its actions; they
            # are compared through the later tests that see them (README).
            continue
        else:
            out.add(t + " " + json.dumps({k: v for k, v in a.items() if k not in ("type", "suppressed")},
                                         sort_keys=True))
    if rec.get("errors"):
        out.add("error")
    return tuple(sorted(out))


def vacation_key(seconds, subject, from_, reason):
    """A vacation action as one string. The reason is compared line by line
    with blank lines and the lines' outer white space dropped, as
    sieve-test's report keeps it."""
    lines = [l.strip() for l in reason.replace("\r\n", "\n").split("\n") if l.strip()]
    return "vacation seconds=%s subject=%s from=%s reason=%s" % (
        seconds, ph_sanitize(subject).strip() if subject and subject.strip() else "-", ph_sanitize(from_) if from_ else "-",
        "|".join(lines))


def flags_suffix(a):
    f = a.get("flags")
    if not f:
        return ""
    return " flags=" + " ".join(sorted(x.lower() for x in f))


VACATION_LOG = re.compile(r"vacation action: (.*?)\.?$")


def parse_vacation_exec(out, err):
    """What sieve-test -e logged about vacation: the distinct messages after
    "vacation action: " ("sent vacation response to <a>", "discarding
    vacation response to mailinglist recipient <a>", ...)."""
    seen = []
    for line in (out + b"\n" + err).decode("utf-8", "replace").splitlines():
        m = VACATION_LOG.search(line)
        if m and m.group(1) not in seen:
            seen.append(m.group(1))
    return seen


def vacation_outcome(log):
    """" sent-to=A" when sieve-test -e sent the reply, else " not-sent"."""
    for e in log:
        m = re.match(r"sent vacation response to <(.*)>$", e)
        if m:
            return " sent-to=" + m.group(1)
    return " not-sent"


def norm_ph(raw):
    out = set()
    if raw["rc"] != 0:
        # A run-time error: Pigeonhole prints no result, and keeps.
        out.add("keep")
        out.add("error")
        return tuple(sorted(out))
    for a in raw["actions"] + raw["implicit"]:
        lines = a.split("\n")
        head, extra = lines[0], lines[1:]
        copy = any(e == "preserve implicit keep" for e in extra)
        flags = ""
        for e in extra:
            if e.startswith("add IMAP flags: "):
                flags = " flags=" + " ".join(sorted(e[16:].lower().split()))
        if head.startswith("store message in folder: "):
            mb = head[len("store message in folder: "):]
            if mb == "INBOX":
                out.add("keep" + flags)
            else:
                out.add("fileinto " + mb + (" :copy" if copy else "") + flags)
        elif head.startswith("redirect message to: "):
            addr = head[len("redirect message to: "):]
            if addr.startswith("<") and addr.endswith(">"):
                addr = addr[1:-1]
            out.add("redirect " + addr + (" :copy" if copy else ""))
        elif head.startswith("reject message with reason: "):
            out.add("reject " + head[len("reject message with reason: "):])
        elif head == "discard":
            out.add("discard")
        elif head == "send vacation message:":
            fields, body, inbody = {}, [], False
            for e in extra:
                if e == "START MESSAGE":
                    inbody = True
                elif e == "END MESSAGE":
                    inbody = False
                elif inbody:
                    body.append(e)
                elif e.startswith("=> "):
                    k, _, v = e[3:].partition(":")
                    fields[k.strip()] = v.strip()
            key = vacation_key(fields.get("seconds"), fields.get("subject"), fields.get("from"),
                               "\n".join(body))
            if "vacation_exec" in raw:
                key += vacation_outcome(raw["vacation_exec"])
            out.add(key)
        else:
            out.add("pigeonhole " + a.replace("\n", " | "))
    return tuple(sorted(out))


# ---- classes of disagreement -------------------------------------------------
# Each is (id, predicate(ctx) -> bool); ctx holds ours, ph (normalised
# tuples), raw Pigeonhole record, message bytes, script name. README explains
# every id with an example. The first that matches names the disagreement.

KNOWN_CTE = {b"7bit", b"8bit", b"binary", b"quoted-printable", b"base64"}
CTE_RE = re.compile(rb"^content-transfer-encoding[ \t]*:[ \t]*([^\r\n;]*)", re.I | re.M)


def ph_refused_envelope(ctx):
    """sieve-test refuses the message's Return-Path or Delivered-To as its
    -f/-a argument (no domain): the message cannot be run there."""
    return any("Invalid -f parameter" in e or "Invalid -a parameter" in e for e in ctx["raw"]["errors"])


def ph_panic(ctx):
    """sieve-test aborts on an assertion (editheader on edge.mbox#17:
    "Panic: file edit-mail.c: ... assertion failed: (body_offset > 0)")
    and gives no result to compare."""
    return ctx["raw"]["rc"] != 0 and any("Raw backtrace" in e for e in ctx["raw"]["errors"])


def uses_body(ctx):
    """The script reads the MIME structure: body, or the mime extension's
    :mime, foreverypart and extracttext (the same parser on both sides)."""
    return re.search(r"\bbody\b|:mime\b|\bforeverypart\b|\bextracttext\b", ctx["text"]) is not None


def digest_default_type(ctx):
    """Pigeonhole takes a part without Content-Type inside multipart/digest
    as text/plain, not message/rfc822 (RFC 2046 5.1.5), so body :text and
    :content see an extra empty string for each digest entry."""
    return uses_body(ctx) and re.search(rb"multipart/digest", ctx["msg"], re.I) is not None


def unknown_cte(ctx):
    """A part with an unknown Content-Transfer-Encoding: we treat it as
    application/octet-stream (RFC 2045 6.4); Pigeonhole keeps its declared
    type and yields an empty string for it."""
    if not uses_body(ctx):
        return False
    return any(v.strip().lower() not in KNOWN_CTE for v in CTE_RE.findall(ctx["msg"]))


def header_blocks(msg):
    """The header sections of the message and of its MIME parts, roughly:
    the text before each empty line that follows a delimiter or the start."""
    blocks = []
    for m in re.finditer(rb"(?:\A|\n--[^\r\n]*\r?\n)((?:[^\r\n]+\r?\n)+)", msg):
        blocks.append(m.group(1))
    return blocks


def duplicate_content_type(ctx):
    """A header section with two Content-Type fields: Dovecot's parser splits
    the MIME structure by the first, Pigeonhole's body test types the part by
    the last; we use the first for both."""
    if not uses_body(ctx):
        return False
    return any(len(re.findall(rb"^content-type[ \t]*:", b, re.I | re.M)) > 1 for b in header_blocks(ctx["msg"]))


def invalid_content_type(ctx):
    """A Content-Type with text after type/subtype but no ';' before it
    ("TEXT/PLAIN charset=US-ASCII"): Pigeonhole then does not see a text
    part at all; we read the type and subtype (RFC 2045 5.2 would take
    text/plain for a field it cannot parse, which is also text)."""
    if not uses_body(ctx):
        return False
    return re.search(rb"^content-type[ \t]*:[ \t]*[^;\s/]+/[^;\s]+(?:[ \t]|\r?\n[ \t])+[^; \t\r\n]",
                     ctx["msg"], re.I | re.M) is not None


B64_ALPHA = re.compile(rb"^[A-Za-z0-9+/=\s]*$")


def base64_junk(ctx):
    """Base64 content holding characters outside the alphabet: RFC 2045 6.8
    says to ignore them, and we do; Dovecot stops decoding at the first
    one, so Pigeonhole sees less (often an empty string)."""
    if not uses_body(ctx):
        return False
    msg = ctx["msg"]
    for m in re.finditer(rb"^content-transfer-encoding[ \t]*:[ \t]*base64[ \t]*\r?$", msg, re.I | re.M):
        start = msg.find(b"\n\n", m.end())
        start2 = msg.find(b"\n\r\n", m.end())
        starts = [x for x in (start, start2) if x >= 0]
        if not starts:
            continue
        body = msg[min(starts):]
        for line in body.split(b"\n")[1:]:
            if line.startswith(b"--"):
                break
            if not B64_ALPHA.match(line):
                return True
    return False


def nested_same_boundary(ctx):
    """A multipart nested in one with the same boundary (RFC 2046 5.1.2
    forbids it): which delimiter closes which part is a guess, and the
    guesses differ."""
    if not uses_body(ctx):
        return False
    bs = [b.strip(b'"') for b in re.findall(rb'boundary[ \t]*=[ \t]*("[^"]*"|[^;\s]+)', ctx["msg"], re.I)]
    return len(bs) != len(set(bs))


def html_of(msg):
    """The message bytes, quoted-printable decoded when it uses that
    (good enough to look for HTML constructs), or None without text/html."""
    if not re.search(rb"text/html", msg, re.I):
        return None
    if re.search(rb"quoted-printable", msg, re.I):
        import quopri
        msg = quopri.decodestring(msg)
    return msg


def html_comment_dashes(ctx):
    """An HTML comment written with more dashes ("<!--- x --->",
    "<!--------AD---->"): Dovecot's HTML-to-text, which Pigeonhole's body
    :text uses, counts dashes in pairs as SGML does, finds no end to the
    comment and drops the rest of the part; HTML (and browsers, and we)
    end a comment at the first "-->"."""
    h = html_of(ctx["msg"]) if uses_body(ctx) else None
    return h is not None and re.search(rb"<!---|[^-!]---+>", h) is not None


TAG_START = re.compile(rb"<[A-Za-z]")


def html_stray_quote(ctx):
    """An HTML tag whose unquoted attribute value holds a quote
    ('border=0">'): HTML ends the tag at the '>', as we do; Dovecot's
    HTML-to-text takes the quote as opening a string and drops text up to
    the next quote."""
    h = html_of(ctx["msg"]) if uses_body(ctx) else None
    if h is None:
        return False
    for m in TAG_START.finditer(h):
        i, n = m.start() + 1, min(len(h), m.start() + 4000)
        while i < n and h[i:i + 1] not in b" \t\r\n>":
            i += 1
        while i < n and h[i:i + 1] != b">":
            c = h[i:i + 1]
            if c in b"\"'":
                j = h.find(c, i + 1, n)
                if j < 0:
                    break
                i = j + 1
                continue
            if c == b"=":
                i += 1
                while i < n and h[i:i + 1] in b" \t\r\n":
                    i += 1
                if i < n and h[i:i + 1] in b"\"'":
                    continue
                while i < n and h[i:i + 1] not in b" \t\r\n>":
                    if h[i:i + 1] in b"\"'":
                        return True
                    i += 1
                continue
            i += 1
    return False


ADDR_FIELDS = {"from", "sender", "reply-to", "to", "cc", "bcc", "resent-from", "resent-sender",
               "resent-to", "resent-cc", "resent-bcc"}
ADDR_OK = re.compile(rb'^(?:(?:"[^"]*"|[^<>"])*<)?[ \t]*(?:"[^"]*"|[^\s<>@,;:"\\\[\]()]+)@'
                     rb'(?:[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*|\[[^\]]*\])[ \t]*>?[ \t]*$')


def address_list_recovery(ctx):
    """An address list with a malformed address among others
    ('jmrendle@loyno."edu\\]"'): Dovecot's parser stops there and
    Pigeonhole sees only the addresses before it; we skip the bad one and
    read on (RFC 5228 2.4.2.3 leaves invalid addresses to the
    implementation)."""
    if not re.search(r"\baddress\b", ctx["text"]):
        return False
    names = {n.lower() for n in re.findall(r'"([!-9;-~]+)"', ctx["text"])} & ADDR_FIELDS
    head = header_section(ctx["msg"])
    for name in names:
        pat = re.compile(rb"^" + name.encode() + rb"[ \t]*:(.*(?:\r?\n[ \t].*)*)", re.I | re.M)
        for m in pat.finditer(head):
            value = re.sub(rb"\([^()]*\)", b"", re.sub(rb"\r?\n", b" ", m.group(1)))
            items = [i.strip() for i in value.split(b",") if i.strip()]
            if len(items) > 1 and any(not ADDR_OK.match(i) and not i.endswith(b";") for i in items):
                return True
    return False


CASEMAP_ODD = re.compile(rb"^[!-9;-~]+[ \t]*:[ \t]*[\[\\\]^_`]", re.M)


def ascii_casemap_order(ctx):
    """:value with i;ascii-casemap on a value starting with one of [ \\ ] ^ _ `:
    RFC 4790 9.2 upper-cases letters before comparing (so "[" > "M"),
    Pigeonhole lower-cases them (so "[" < "m")."""
    # :value under i;ascii-numeric is no casemap order.
    text = re.sub(r':value\s+"[a-z]+"\s+:comparator\s+"i;ascii-numeric"|'
                  r':comparator\s+"i;ascii-numeric"\s+:value\s+"[a-z]+"', "", ctx["text"])
    return ":value" in text and CASEMAP_ODD.search(header_section(ctx["msg"])) is not None


DATE_FIELD = re.compile(rb"^date[ \t]*:(.*(?:\r?\n[ \t].*)*)", re.I | re.M)
ZONE_AT_END = re.compile(rb"([+-][0-9]{4}|[A-Za-z]{1,5})$")


def date_value(msg):
    m = DATE_FIELD.search(header_section(msg))
    if not m:
        return None
    v = re.sub(rb"\r?\n", b" ", m.group(1))
    return re.sub(rb"\([^()]*\)", b"", v).strip()


def date_unknown_zone(ctx):
    """A Date whose zone is "-0000" or missing: we keep "-0000" (RFC 5322
    3.3: UTC, local offset unknown) for the zone part and iso8601's offset;
    Pigeonhole gives "+0000". Only scripts that read the zone count."""
    if not re.search(r'"zone"|:originalzone', ctx["text"]):
        return False
    v = date_value(ctx["msg"])
    if v is None:
        return False
    m = ZONE_AT_END.search(v)
    return m is None or m.group(1) == b"-0000" or (
        m.group(1).isalpha() and m.group(1).upper() not in KNOWN_ZONES)


KNOWN_ZONES = {b"UT", b"GMT", b"EST", b"EDT", b"CST", b"CDT", b"MST", b"MDT", b"PST", b"PDT"}


def bidi_charset_label(ctx):
    """An RFC 2047 word in iso-8859-6-i/-e or iso-8859-8-i/-e (RFC 1556's
    labels for the same character sets): we decode them as ISO 8859-6/8;
    Dovecot's iconv does not know the labels and yields U+FFFD."""
    return re.search(rb"=\?iso-8859-[68]-[ie]\?", header_section(ctx["msg"]), re.I) is not None


ZONE_OK = re.compile(rb"^(?:[+-][0-9]{4}(?:[ \t].*)?|[A-Za-z]{1,16})?$")


def date_malformed_zone(ctx):
    """A Date whose zone is none of RFC 5322's forms ("+-0800", "GMT+1",
    "0530", "Arabian Standard Time"): we refuse the date, so date tests on
    it fail; Dovecot reads a date anyway."""
    if "date" not in ctx["text"]:
        return False
    v = date_value(ctx["msg"])
    m = v is not None and re.search(rb"[0-9]:[0-9]{2}(?::[0-9]{2})?[ \t]*(.*)$", v)
    return bool(m) and ZONE_OK.match(m.group(1).strip()) is None


FOLDED_FIRST = re.compile(rb"^[!-9;-~]+[ \t]*:[ \t]*\r?\n[ \t]", re.M)


def folded_leading_space(ctx):
    """A field whose value starts on a continuation line ("Message-ID:" LF
    SP "<...>"): Pigeonhole unfolds it to " <...>" with a leading space; we
    drop the whitespace after the colon, folded or not (RFC 5228 5.7:
    values are compared "ignoring leading and trailing whitespace"). Only
    fields the script names count."""
    names = {n.lower() for n in re.findall(r'"([!-9;-~]+)"', ctx["text"])}
    for m in FOLDED_FIRST.finditer(header_section(ctx["msg"])):
        name = m.group(0).split(b":")[0].strip().lower().decode("ascii", "replace")
        if name in names:
            return True
    return False


# Classes whose messages cannot be compared at all: counted apart, and left
# out of the agreement percentage.
NOT_COMPARED = {"ph-refuses-envelope", "ph-panic"}

CLASSES = [
    ("ph-refuses-envelope", ph_refused_envelope),
    ("ph-panic", ph_panic),
    ("folded-leading-space", folded_leading_space),
    ("ascii-casemap-order", ascii_casemap_order),
    ("date-malformed-zone", date_malformed_zone),
    ("date-unknown-zone", date_unknown_zone),
    ("bidi-charset-label", bidi_charset_label),
    ("digest-default-type", digest_default_type),
    ("unknown-cte", unknown_cte),
    ("duplicate-content-type", duplicate_content_type),
    ("invalid-content-type", invalid_content_type),
    ("address-list-recovery", address_list_recovery),
    ("html-comment-dashes", html_comment_dashes),
    ("html-stray-quote", html_stray_quote),
    ("nested-same-boundary", nested_same_boundary),
    ("base64-junk", base64_junk),
]


def disagreement_class(ctx):
    for cid, pred in CLASSES:
        try:
            if pred(ctx):
                return cid
        except Exception:  # a predicate must never break the comparison
            continue
    return None


# ---- the run -----------------------------------------------------------------

def load_opts(path):
    opts = {}
    if os.path.exists(path):
        with open(path, encoding="utf-8") as f:
            for line in f:
                line = line.strip()
                if not line or line.startswith("#"):
                    continue
                k, _, v = line.partition("=")
                opts[k.strip()] = v.strip()
    return opts


def find_sieve_test(arg):
    cand = arg or shutil.which("sieve-test") or "/usr/bin/sieve-test"
    return cand if os.path.isfile(cand) and os.access(cand, os.X_OK) else None


def sha256(b):
    return hashlib.sha256(b).hexdigest()


def main():
    here = os.path.dirname(os.path.abspath(__file__))
    root = os.path.abspath(os.path.join(here, "..", ".."))
    ap = argparse.ArgumentParser(prog="run-differential.sh", description=__doc__.split("\n")[0])
    ap.add_argument("--replay", default=os.path.join(root, "build", "bin", "sieve-replay"),
                    help="our sieve-replay (default build/bin/sieve-replay)")
    ap.add_argument("--sieve-test", default=None, help="Pigeonhole's sieve-test (default: on PATH)")
    ap.add_argument("--shared", default=os.path.join(root, "..", "shared"), help="the shared directory")
    ap.add_argument("--scripts", default=os.path.join(here, "scripts"), help="script directory")
    ap.add_argument("--script", action="append", default=[], help="only this script (name without .sieve); repeatable")
    ap.add_argument("--corpus", action="append", default=[],
                    help="NAME, NAME:N (the first N messages of NAME.mbox), NAME/K (every K-th "
                         "message) or file=PATH (an mbox elsewhere); repeatable; default: "
                         + ", ".join(FULL_CORPORA))
    ap.add_argument("--sample", action="store_true", help="the CI sample: " + ", ".join(SAMPLE_CORPORA))
    ap.add_argument("--cache", default=os.path.join(root, "build", "differential-cache"),
                    help="cache of Pigeonhole results (default build/differential-cache)")
    ap.add_argument("--report", default=None, help="report file (default CACHE/../differential-report.txt)")
    ap.add_argument("--min", type=float, default=99.5, help="agreement each script must reach, in %% (default 99.5)")
    ap.add_argument("-j", "--jobs", type=int, default=2, help="sieve-test processes at once (default 2)")
    ap.add_argument("-v", "--verbose", action="store_true", help="print every disagreement")
    args = ap.parse_args()

    sieve_test = find_sieve_test(args.sieve_test)
    if not sieve_test:
        print("SKIP: Pigeonhole's sieve-test is not installed (apt-get install dovecot-sieve)")
        return SKIP
    corpus_dir = os.path.join(args.shared, "corpus")
    if not os.path.isdir(corpus_dir):
        print("SKIP: no corpus at %s (the shared directory is absent)" % corpus_dir)
        return SKIP
    if not os.access(args.replay, os.X_OK):
        die("no sieve-replay at %s (build first, or give --replay)" % args.replay)
    corpora = args.corpus or (SAMPLE_CORPORA if args.sample else FULL_CORPORA)
    scripts = sorted(f[:-6] for f in os.listdir(args.scripts) if f.endswith(".sieve"))
    if args.script:
        scripts = [s for s in scripts if s in args.script]
    if not scripts:
        die("no script to run")
    os.makedirs(args.cache, exist_ok=True)
    report_path = args.report or os.path.join(os.path.dirname(os.path.abspath(args.cache)),
                                              "differential-report.txt")

    # A terminated run still removes its temporary directory.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    work = tempfile.mkdtemp(prefix="sievec-diff.")
    try:
        return run(args, sieve_test, corpus_dir, corpora, scripts, work, report_path)
    finally:
        shutil.rmtree(work, ignore_errors=True)


def run(args, sieve_test, corpus_dir, corpora, scripts, work, report_path):
    ph = Pigeonhole(sieve_test, work)
    # sieve-replay compiles each script on the fly: a private MAC key and
    # object cache, so that the run touches nothing of the user's.
    key = os.path.join(work, "mac.key")
    with open(key, "w") as f:
        f.write(os.urandom(32).hex() + "\n")
    os.chmod(key, 0o600)
    os.environ["SIEVEC_KEY_FILE"] = key
    os.environ["SIEVEC_CACHE_DIR"] = os.path.join(work, "objects")
    # Is it Pigeonhole, and does it run here?
    probe = ph.prepare_script("probe", "keep;\n")
    pm = ph.write_message("probe", b"From: a@example.org\nSubject: probe\n\nx\n")
    r = ph.run([probe, pm])
    if r.returncode != 0 or b"Performed actions" not in r.stdout:
        print("SKIP: %s does not run as Pigeonhole's sieve-test here:" % sieve_test)
        print(r.stdout.decode(errors="replace") + r.stderr.decode(errors="replace"))
        return SKIP

    # Corpora: mbox path, messages (a prefix when NAME:N), hash for the cache.
    sets = []
    for spec in corpora:
        if spec.startswith("file="):
            # An mbox of the tree (ext-flags/message.mbox), all of it.
            path = os.path.abspath(spec[5:])
            name, lim, stride = os.path.basename(path).rsplit(".", 1)[0], "", ""
        else:
            spec, _, stride = spec.partition("/")
            name, _, lim = spec.partition(":")
            path = os.path.join(corpus_dir, name + ".mbox")
        if not os.path.isfile(path):
            print("SKIP: no corpus %s" % path)
            return SKIP
        with open(path, "rb") as f:
            data = f.read()
        msgs = split_mbox(data)
        if lim:
            msgs = msgs[:int(lim)]
        # The positions compared (0-based); NAME/K keeps every K-th message.
        idx = list(range(0, len(msgs), int(stride) if stride else 1))
        sets.append({"name": name, "path": path, "msgs": msgs, "idx": idx, "hash": sha256(data)[:16],
                     "base": os.path.basename(path)})

    totals = {}
    failed = False
    rep_lines = []

    def say(s=""):
        print(s)
        rep_lines.append(s)

    say("differential: %d scripts over %s (sieve-test: %s)" % (
        len(scripts), ", ".join("%s (%d messages)" % (s["name"], len(s["idx"])) for s in sets), sieve_test))
    for sname in scripts:
        spath = os.path.join(args.scripts, sname + ".sieve")
        opts = load_opts(os.path.join(args.scripts, sname + ".opts"))
        with open(spath, encoding="utf-8") as f:
            text = f.read()
        ph_text, subst = text, {}
        if "pigeonhole-substitute" in opts:
            # "ereject reject": Pigeonhole runs the script with the word
            # replaced, and our action of that type counts as the other.
            a, b = opts["pigeonhole-substitute"].split()
            ph_text = re.sub(r"\b%s\b" % re.escape(a), b, text)
            subst[a] = b
        replay_extra = opts.get("replay-args", "").split()
        ph_extra = opts.get("sieve-test-args", "").split()
        # vacation-execute = yes: each message also runs under sieve-test -e
        # (delivering into the private home, replies printed, not sent), for
        # whether the reply would go out and to whom.
        vac_exec = opts.get("vacation-execute", "no") == "yes"
        key = sha256(("\0".join([CACHE_VERSION, ph_text, " ".join(ph_extra), "exec" if vac_exec else "", PH_CONF,
                                 DEFAULT_FROM, DEFAULT_TO])).encode())[:20]
        ph_script = ph.prepare_script(sname, ph_text)
        # Compile once, so the parallel runs find the binary.
        c = ph.run([ph_script, pm])
        if c.returncode != 0:
            say("%s: Pigeonhole cannot run it: %s" % (sname, c.stderr.decode(errors="replace").strip()))
            failed = True
            continue
        tot = agree = fired = 0
        classes = {}
        for s in sets:
            # Ours.
            cmd = [args.replay, "--format=jsonl", "-q", "--default-from=" + DEFAULT_FROM,
                   "--default-to=" + DEFAULT_TO] + replay_extra + [spath, s["path"]]
            rr = subprocess.run(cmd, capture_output=True)
            if rr.returncode != 0:
                say("%s: sieve-replay failed on %s (exit %d): %s" % (
                    sname, s["name"], rr.returncode, rr.stderr.decode(errors="replace").strip()[:500]))
                failed = True
                continue
            ours = {}
            for line in rr.stdout.decode("utf-8").splitlines():
                rec = json.loads(line)
                ours[rec["msg"]] = rec
            # Pigeonhole, from the cache where it has run before.
            cpath = os.path.join(args.cache, "%s-%s-%s.json" % (sname, key, s["hash"]))
            cache = {}
            if os.path.exists(cpath):
                with open(cpath) as f:
                    cache = json.load(f)
            todo = [i for i in s["idx"] if str(i + 1) not in cache]
            if todo:
                def one(i):
                    msg = s["msgs"][i]
                    mpath = ph.write_message("%s-%d" % (s["name"], i + 1), msg)
                    sender, rcpt = envelope(msg)
                    fa = ["-f", sender.decode("utf-8", "replace") if sender is not None else DEFAULT_FROM,
                          "-a", rcpt.decode("utf-8", "replace") if rcpt is not None else DEFAULT_TO]
                    try:
                        p = ph.run(ph_extra + fa + [ph_script, mpath])
                        res = parse_sieve_test(p.returncode, p.stdout, p.stderr)
                        if vac_exec:
                            # -r: the final recipient, which vacation checks
                            # the message is addressed to (-a alone is not).
                            p = ph.run(ph_extra + ["-e", "-r", fa[3]] + fa + [ph_script, mpath])
                            res["vacation_exec"] = parse_vacation_exec(p.stdout, p.stderr)
                        return i, res
                    except subprocess.TimeoutExpired:
                        return i, {"rc": -1, "actions": [], "implicit": [], "errors": ["timeout"]}
                def save():
                    tmpc = cpath + ".tmp"
                    with open(tmpc, "w") as f:
                        json.dump(cache, f)
                    os.replace(tmpc, cpath)
                ex = concurrent.futures.ThreadPoolExecutor(max_workers=max(1, args.jobs))
                try:
                    for k, (i, res) in enumerate(ex.map(one, todo)):
                        cache[str(i + 1)] = res
                        # Saved now and then, so an interrupted run keeps
                        # most of its work.
                        if k % 1000 == 999:
                            save()
                finally:
                    # Interrupted: drop what is queued, keep what is done.
                    ex.shutdown(wait=True, cancel_futures=True)
                    save()
            for i in s["idx"]:
                msg = s["msgs"][i]
                mid = "%s#%d" % (s["base"], i + 1)
                tot += 1
                rec = ours.get(mid)
                raw = cache[str(i + 1)]
                o = norm_ours(rec, subst, vac_exec) if rec else ("missing",)
                p = norm_ph(raw)
                if o != ("keep",):
                    fired += 1
                if o == p:
                    agree += 1
                    continue
                ctx = {"ours": o, "ph": p, "raw": raw, "rec": rec, "msg": msg, "script": sname,
                       "text": text}
                cid = disagreement_class(ctx) or "unexplained"
                ent = classes.setdefault(cid, [])
                ent.append(mid)
                if cid == "unexplained" or args.verbose:
                    rep_lines.append("  %s %s %s\n    ours: %s\n    pigeonhole: %s%s" % (
                        sname, mid, cid, list(o), list(p),
                        ("\n    pigeonhole errors: " + " / ".join(raw["errors"])[:300]) if raw["errors"] else ""))
        skipped = sum(len(v) for k, v in classes.items() if k in NOT_COMPARED)
        tot -= skipped
        pct = 100.0 * agree / tot if tot else 0.0
        bad = pct < args.min or "unexplained" in classes
        failed = failed or bad
        # "acts": the share of messages where the script does more than keep.
        say("%-22s %6d messages %7.2f %% agree  acts on %5.1f %%%s%s" % (
            sname, tot, pct, 100.0 * fired / (tot + skipped) if tot + skipped else 0.0,
            " (%d not compared)" % skipped if skipped else "", "  FAIL" if bad else ""))
        for cid in sorted(classes):
            ids = classes[cid]
            say("    %-24s %5d  e.g. %s" % (cid, len(ids), " ".join(ids[:3])))
            totals[cid] = totals.get(cid, 0) + len(ids)

    if totals:
        say("disagreements by class, all scripts:")
        for cid in sorted(totals):
            say("    %-24s %5d%s" % (cid, totals[cid], "  (not compared)" if cid in NOT_COMPARED else ""))
    with open(report_path, "w") as f:
        f.write("\n".join(rep_lines) + "\n")
    print("report: %s" % report_path)
    if failed:
        print("FAIL: a script below %.1f %% or a disagreement in no documented class (see the report)" % args.min)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
