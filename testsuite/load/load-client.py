#!/usr/bin/env python3
"""load-client.py: an SMTP load client that resends what was tempfailed.

smtp-source sends each message once and forgets it; a real client queues a
message refused with 4xx and sends it again. This one does, so a run can
kill the milter (Postfix then answers 4xx, milter_default_action =
tempfail) and still account for every message:

  load-client.py --port P --messages N --sessions S --ledger FILE

Message K (0 <= K < N) goes to the four load recipients (RCPTS); even K is
group A (from news@example.com, "Subject: load A"), odd K group B (from
spam@example.net, "Subject: load B"). Each carries "Message-ID:
<load-K@example.com>" and "X-Load-Id: K", so a delivered copy names its
message. For every (message, recipient) pair the client keeps sending until
the server gives a final answer, then writes one ledger line:

  K RCPT accepted CODE     250 after DATA with this recipient accepted
  K RCPT refused  CODE     5xx at RCPT, or 5xx after DATA
  K RCPT gaveup   CODE     no final answer within --give-up seconds

4xx at any stage (and a dropped connection) means: send again later, in a
new transaction, for the recipients still without an answer; the split
policy's 452 4.5.3 at RCPT is such a 4xx (sent again in the same session),
a 4xx at MAIL or after DATA closes the session first. Prints the counts of
transactions, tempfails and retries on exit. Only example.org/.com/.net.
"""
import argparse
import os
import random
import smtplib
import socket
import sys
import threading
import time

RCPTS = ["rcpt@example.org", "2rcpt@example.org", "3rcpt@example.org", "4rcpt@example.org"]


def message_text(k):
    group = "A" if k % 2 == 0 else "B"
    sender = "news@example.com" if group == "A" else "spam@example.net"
    lines = [
        "From: <%s>" % sender,
        "To: <rcpt@example.org>",
        "Subject: load %s" % group,
        "Message-ID: <load-%d@example.com>" % k,
        "X-Load-Id: %d" % k,
        "Date: Mon, 23 Nov 2026 12:00:00 +0000",
        "",
    ]
    lines += ["Load test body line %d of message %d." % (i, k) for i in range(20)]
    return sender, "\r\n".join(lines) + "\r\n"


class Stats:
    def __init__(self):
        self.mu = threading.Lock()
        self.transactions = 0
        self.tempfails = 0
        self.disconnects = 0
        self.lines = []

    def add(self, **kw):
        with self.mu:
            for k, v in kw.items():
                setattr(self, k, getattr(self, k) + v)

    def record(self, k, rcpt, outcome, code):
        with self.mu:
            self.lines.append("%d %s %s %d\n" % (k, rcpt, outcome, code))


def connect(port):
    s = smtplib.SMTP(timeout=60)
    s.connect("127.0.0.1", port)
    code, _ = s.ehlo("loadclient.example.com")
    if code // 100 != 2:
        s.close()
        raise smtplib.SMTPConnectError(code, "EHLO")
    return s


def one_message(conn_box, port, k, stats, give_up):
    """Sends message k until each recipient has a final answer."""
    sender, text = message_text(k)
    pending = list(RCPTS)
    deadline = time.monotonic() + give_up
    last_code = 0
    while pending:
        if time.monotonic() > deadline:
            for r in pending:
                stats.record(k, r, "gaveup", last_code)
            return
        try:
            if conn_box[0] is None:
                conn_box[0] = connect(port)
            s = conn_box[0]
            stats.add(transactions=1)
            code, _ = s.mail(sender)
            if code // 100 != 2:
                last_code = code
                raise TempFail(code)
            now = []
            for r in list(pending):
                code, _ = s.rcpt(r)
                if code // 100 == 2:
                    now.append(r)
                elif code // 100 == 5:
                    stats.record(k, r, "refused", code)
                    pending.remove(r)
                else:
                    last_code = code
                    stats.add(tempfails=1)
            if not now:
                s.rset()
                if pending:
                    time.sleep(random.uniform(0.05, 0.2))
                continue
            code, _ = s.data(text)
            if code // 100 == 2 or code // 100 == 5:
                for r in now:
                    stats.record(k, r, "accepted" if code // 100 == 2 else "refused", code)
                    pending.remove(r)
            else:
                last_code = code
                raise TempFail(code)
        except TempFail:
            # As an MTA's client does: the message waits in its queue and
            # goes out later over a new session (Postfix keeps a session
            # whose milter failed on the default action until it ends).
            stats.add(tempfails=1)
            try:
                conn_box[0].quit()
            except Exception:
                pass
            drop(conn_box)
            time.sleep(random.uniform(0.05, 0.2))
        except (smtplib.SMTPException, OSError, socket.timeout):
            # 421, a reset connection, a timeout: nothing was accepted that
            # the client saw accepted; connect again and resend.
            stats.add(disconnects=1)
            drop(conn_box)
            time.sleep(random.uniform(0.05, 0.2))


class TempFail(Exception):
    pass


def write_progress(path, n):
    # Whole or not at all: the shell reads it while the client runs.
    with open(path + ".tmp", "w") as f:
        f.write("%d\n" % n)
    os.replace(path + ".tmp", path)


def drop(conn_box):
    if conn_box[0] is not None:
        try:
            conn_box[0].close()
        except Exception:
            pass
    conn_box[0] = None


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--port", type=int, required=True)
    ap.add_argument("--messages", type=int, required=True)
    ap.add_argument("--sessions", type=int, default=20)
    ap.add_argument("--ledger", required=True)
    ap.add_argument("--give-up", type=float, default=300.0)
    ap.add_argument("--progress", default="", help="file: the count of messages done")
    a = ap.parse_args()

    stats = Stats()
    nxt = [0]
    done = [0]
    mu = threading.Lock()

    def worker():
        box = [None]
        while True:
            with mu:
                k = nxt[0]
                if k >= a.messages:
                    break
                nxt[0] += 1
            one_message(box, a.port, k, stats, a.give_up)
            with mu:
                done[0] += 1
                if a.progress and done[0] % 50 == 0:
                    write_progress(a.progress, done[0])
            # A new session now and then, as real clients do.
            if k % 10 == 9:
                if box[0] is not None:
                    try:
                        box[0].quit()
                    except Exception:
                        pass
                drop(box)
        if box[0] is not None:
            try:
                box[0].quit()
            except Exception:
                pass

    threads = [threading.Thread(target=worker) for _ in range(a.sessions)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    with open(a.ledger, "w") as f:
        f.writelines(sorted(stats.lines, key=lambda l: (int(l.split()[0]), l)))
    if a.progress:
        write_progress(a.progress, done[0])
    print("client: %d messages, %d transactions, %d tempfails (4xx), %d dropped connections"
          % (a.messages, stats.transactions, stats.tempfails, stats.disconnects))
    return 0


if __name__ == "__main__":
    sys.exit(main())
