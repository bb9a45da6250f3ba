/* outmail: see outmail.h. */
#define _GNU_SOURCE
#include "outmail.h"

#include <errno.h>
#include <fcntl.h>
#include <netdb.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <spawn.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

extern char **environ;

#define OM_MAX_RCPTS 64

int om_parse(const char *spec, const char *sendmail_command, om_transport *t, char *err,
             size_t errlen)
{
    memset(t, 0, sizeof *t);
    t->timeout_ms = 30000;
    if (gethostname(t->helo, sizeof t->helo - 1) != 0 || !t->helo[0])
        snprintf(t->helo, sizeof t->helo, "localhost");
    if (!strcmp(spec, "sendmail")) {
        if (!sendmail_command || sendmail_command[0] != '/') {
            snprintf(err, errlen, "reply_transport sendmail: sendmail_command is not an absolute path");
            return -1;
        }
        if (strlen(sendmail_command) >= sizeof t->sendmail) {
            snprintf(err, errlen, "sendmail_command too long");
            return -1;
        }
        t->kind = OM_SENDMAIL;
        snprintf(t->sendmail, sizeof t->sendmail, "%s", sendmail_command);
        return 0;
    }
    if (strncmp(spec, "smtp:", 5) != 0) {
        snprintf(err, errlen, "reply_transport '%s': expected smtp:HOST[:PORT] or sendmail", spec);
        return -1;
    }
    t->kind = OM_SMTP;
    const char *h = spec + 5, *hend, *port = NULL;
    if (*h == '[') {
        hend = strchr(h, ']');
        if (!hend) {
            snprintf(err, errlen, "reply_transport '%s': unclosed '['", spec);
            return -1;
        }
        h++;
        port = hend[1] == ':' ? hend + 2 : NULL;
        if (hend[1] && hend[1] != ':') {
            snprintf(err, errlen, "reply_transport '%s': text after ']'", spec);
            return -1;
        }
    } else {
        hend = strchr(h, ':');
        if (hend)
            port = hend + 1;
        else
            hend = h + strlen(h);
    }
    size_t hl = (size_t)(hend - h);
    if (!hl || hl >= sizeof t->host) {
        snprintf(err, errlen, "reply_transport '%s': bad host", spec);
        return -1;
    }
    memcpy(t->host, h, hl);
    t->host[hl] = '\0';
    if (!port)
        port = "25";
    char *end;
    long p = strtol(port, &end, 10);
    if (!*port || *end || p < 1 || p > 65535) {
        snprintf(err, errlen, "reply_transport '%s': bad port", spec);
        return -1;
    }
    snprintf(t->port, sizeof t->port, "%ld", p);
    return 0;
}

/* ---- SMTP ---------------------------------------------------------------- */

typedef struct conn {
    int fd;
    int timeout_ms;
    char buf[4096];
    size_t len;
} conn;

static int wait_fd(conn *c, short ev)
{
    struct pollfd p = { .fd = c->fd, .events = ev };
    int r;
    while ((r = poll(&p, 1, c->timeout_ms)) < 0 && errno == EINTR)
        ;
    return r > 0 ? 0 : -1;
}

static int send_all(conn *c, const char *p, size_t n)
{
    while (n) {
        if (wait_fd(c, POLLOUT) != 0)
            return -1;
        ssize_t w = send(c->fd, p, n, MSG_NOSIGNAL);
        if (w < 0 && (errno == EINTR || errno == EAGAIN))
            continue;
        if (w <= 0)
            return -1;
        p += w;
        n -= (size_t)w;
    }
    return 0;
}

/* Reads one reply (all its lines); returns the code, -1 on a timeout or a
 * broken reply. The last line's text goes to text. */
static int reply(conn *c, char *text, size_t textlen)
{
    for (int lines = 0; lines < 100; lines++) {
        char *nl;
        while (!(nl = memchr(c->buf, '\n', c->len))) {
            if (c->len == sizeof c->buf)
                return -1;   /* a line longer than any SMTP reply may be */
            if (wait_fd(c, POLLIN) != 0)
                return -1;
            ssize_t r = recv(c->fd, c->buf + c->len, sizeof c->buf - c->len, 0);
            if (r < 0 && (errno == EINTR || errno == EAGAIN))
                continue;
            if (r <= 0)
                return -1;
            c->len += (size_t)r;
        }
        size_t l = (size_t)(nl - c->buf) + 1;
        char line[4097];
        memcpy(line, c->buf, l);
        line[l] = '\0';
        memmove(c->buf, c->buf + l, c->len - l);
        c->len -= l;
        line[strcspn(line, "\r\n")] = '\0';
        if (strlen(line) < 3 || line[0] < '2' || line[0] > '5' || line[1] < '0' ||
            line[1] > '9' || line[2] < '0' || line[2] > '9')
            return -1;
        if (line[3] == '-')
            continue;
        /* Keep the reply printable for logs. */
        for (char *p = line; *p; p++)
            if ((unsigned char)*p < 0x20 || (unsigned char)*p == 0x7f)
                *p = '?';
        snprintf(text, textlen, "%s", line);
        return (line[0] - '0') * 100 + (line[1] - '0') * 10 + (line[2] - '0');
    }
    return -1;
}

static int cmd(conn *c, int want, char *err, size_t errlen, const char *fmt, ...)
    __attribute__((format(printf, 5, 6)));

static int cmd(conn *c, int want, char *err, size_t errlen, const char *fmt, ...)
{
    char line[1200];
    if (fmt) {
        va_list ap;
        va_start(ap, fmt);
        int n = vsnprintf(line, sizeof line, fmt, ap);
        va_end(ap);
        if (n < 0 || (size_t)n >= sizeof line) {
            snprintf(err, errlen, "SMTP command too long");
            return -1;
        }
        if (send_all(c, line, (size_t)n) != 0) {
            snprintf(err, errlen, "SMTP: write failed or timed out");
            return -1;
        }
    }
    char text[600];
    int code = reply(c, text, sizeof text);
    if (code < 0) {
        snprintf(err, errlen, "SMTP: no valid reply (closed or timed out)");
        return -1;
    }
    if (code / 100 != want) {
        snprintf(err, errlen, "SMTP: %s", text);
        return -1;
    }
    return 0;
}

static int dial(const om_transport *t, char *err, size_t errlen)
{
    struct addrinfo hints = { .ai_socktype = SOCK_STREAM }, *res, *ai;
    int rc = getaddrinfo(t->host, t->port, &hints, &res);
    if (rc != 0) {
        snprintf(err, errlen, "%s: %s", t->host, gai_strerror(rc));
        return -1;
    }
    int fd = -1;
    for (ai = res; ai; ai = ai->ai_next) {
        fd = socket(ai->ai_family, ai->ai_socktype | SOCK_CLOEXEC | SOCK_NONBLOCK, ai->ai_protocol);
        if (fd < 0)
            continue;
        if (connect(fd, ai->ai_addr, ai->ai_addrlen) == 0)
            break;
        if (errno == EINPROGRESS) {
            struct pollfd p = { .fd = fd, .events = POLLOUT };
            int soerr = 0;
            socklen_t sl = sizeof soerr;
            if (poll(&p, 1, t->timeout_ms) == 1 &&
                getsockopt(fd, SOL_SOCKET, SO_ERROR, &soerr, &sl) == 0 && soerr == 0)
                break;
            errno = soerr ? soerr : ETIMEDOUT;
        }
        close(fd);
        fd = -1;
    }
    freeaddrinfo(res);
    if (fd < 0)
        snprintf(err, errlen, "connect to %s:%s: %s", t->host, t->port, strerror(errno));
    return fd;
}

/* Splits "a,b, c" into at most OM_MAX_RCPTS trimmed addresses in buf. */
static size_t split_rcpts(const char *rcpts, char *buf, size_t buflen, char **v)
{
    snprintf(buf, buflen, "%s", rcpts);
    size_t n = 0;
    for (char *s = strtok(buf, ","); s && n < OM_MAX_RCPTS; s = strtok(NULL, ",")) {
        while (*s == ' ')
            s++;
        size_t l = strlen(s);
        while (l && s[l - 1] == ' ')
            s[--l] = '\0';
        if (l)
            v[n++] = s;
    }
    return n;
}

/* An address fit for a MAIL or RCPT line: no brackets, no control bytes. */
static bool addr_ok(const char *a)
{
    for (const unsigned char *p = (const unsigned char *)a; *p; p++)
        if (*p < 0x21 || *p == 0x7f || *p == '<' || *p == '>')
            return false;
    return strlen(a) < 1000;
}

static int smtp_send(const om_transport *t, const char *from, char **rv, size_t nr,
                     const char *msg, size_t len, char *err, size_t errlen)
{
    conn c = { .fd = dial(t, err, errlen), .timeout_ms = t->timeout_ms };
    if (c.fd < 0)
        return -1;
    int rc = -1;
    if (cmd(&c, 2, err, errlen, NULL) != 0 ||
        cmd(&c, 2, err, errlen, "EHLO %s\r\n", t->helo) != 0 ||
        cmd(&c, 2, err, errlen, "MAIL FROM:<%s>\r\n", from) != 0)
        goto out;
    size_t ok = 0;
    char rerr[600] = "";
    for (size_t i = 0; i < nr; i++)
        if (cmd(&c, 2, rerr, sizeof rerr, "RCPT TO:<%s>\r\n", rv[i]) == 0)
            ok++;
    if (!ok) {
        snprintf(err, errlen, "%s", rerr);
        goto out;
    }
    if (cmd(&c, 3, err, errlen, "DATA\r\n") != 0)
        goto out;
    /* RFC 5321 4.5.2: a line starting with "." gets one more. */
    const char *p = msg, *end = msg + len;
    while (p < end) {
        const char *nl = memchr(p, '\n', (size_t)(end - p));
        size_t l = nl ? (size_t)(nl - p) + 1 : (size_t)(end - p);
        if (*p == '.' && send_all(&c, ".", 1) != 0)
            break;
        if (send_all(&c, p, l) != 0)
            break;
        p += l;
    }
    if (p < end) {
        snprintf(err, errlen, "SMTP: write failed or timed out in DATA");
        goto out;
    }
    const char *eod = len && msg[len - 1] == '\n' ? ".\r\n" : "\r\n.\r\n";
    if (send_all(&c, eod, strlen(eod)) != 0 || cmd(&c, 2, err, errlen, NULL) != 0)
        goto out;
    rc = 0;
    if (ok < nr)
        snprintf(err, errlen, "%zu of %zu recipients refused: %s", nr - ok, nr, rerr);
    cmd(&c, 2, rerr, sizeof rerr, "QUIT\r\n");
out:
    close(c.fd);
    return rc;
}

/* ---- sendmail ------------------------------------------------------------ */

static int sendmail_send(const om_transport *t, const char *from, char **rv, size_t nr,
                         const char *msg, size_t len, char *err, size_t errlen)
{
    char words[sizeof t->sendmail];
    char *argv[40 + OM_MAX_RCPTS];
    size_t argc = 0;
    snprintf(words, sizeof words, "%s", t->sendmail);
    for (char *w = strtok(words, " \t"); w && argc < 34; w = strtok(NULL, " \t"))
        argv[argc++] = w;
    argv[argc++] = "-i";
    argv[argc++] = "-f";
    argv[argc++] = (char *)(*from ? from : "<>");
    argv[argc++] = "--";
    for (size_t i = 0; i < nr; i++)
        argv[argc++] = rv[i];
    argv[argc] = NULL;
    int pfd[2];
    if (pipe2(pfd, O_CLOEXEC) != 0) {
        snprintf(err, errlen, "pipe: %s", strerror(errno));
        return -1;
    }
    posix_spawn_file_actions_t fa;
    posix_spawn_file_actions_init(&fa);
    posix_spawn_file_actions_adddup2(&fa, pfd[0], 0);
    pid_t pid;
    int rc = posix_spawn(&pid, argv[0], &fa, NULL, argv, environ);
    posix_spawn_file_actions_destroy(&fa);
    close(pfd[0]);
    if (rc != 0) {
        close(pfd[1]);
        snprintf(err, errlen, "%s: %s", argv[0], strerror(rc));
        return -1;
    }
    /* sendmail -i reads LF or CRLF lines alike. A program that exits early
     * makes the write fail with EPIPE and raise SIGPIPE: the signal is
     * blocked in this thread and taken back below, so the caller need not
     * ignore SIGPIPE (the daemon does; tests and other hosts may not); the
     * short write is the error. */
    sigset_t pipe_set, old_mask, pending;
    sigemptyset(&pipe_set);
    sigaddset(&pipe_set, SIGPIPE);
    pthread_sigmask(SIG_BLOCK, &pipe_set, &old_mask);
    sigpending(&pending);
    bool was_pending = sigismember(&pending, SIGPIPE);
    size_t off = 0;
    while (off < len) {
        ssize_t w = write(pfd[1], msg + off, len - off);
        if (w < 0 && errno == EINTR)
            continue;
        if (w <= 0)
            break;
        off += (size_t)w;
    }
    close(pfd[1]);
    if (off < len && !was_pending) {
        const struct timespec zero = { 0, 0 };
        while (sigtimedwait(&pipe_set, NULL, &zero) == SIGPIPE)
            ;
    }
    pthread_sigmask(SIG_SETMASK, &old_mask, NULL);
    int status = 0;
    while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
        ;
    if (off == len && WIFEXITED(status) && WEXITSTATUS(status) == 0)
        return 0;
    snprintf(err, errlen, "%s exited with status %d", argv[0],
             WIFEXITED(status) ? WEXITSTATUS(status) : -1);
    return -1;
}

int om_send(const om_transport *t, const char *mail_from, const char *rcpts, const char *msg,
            size_t len, char *err, size_t errlen)
{
    char buf[8192];
    char *rv[OM_MAX_RCPTS];
    size_t nr = split_rcpts(rcpts ? rcpts : "", buf, sizeof buf, rv);
    if (!nr) {
        snprintf(err, errlen, "no recipient");
        return -1;
    }
    if (!addr_ok(mail_from ? mail_from : "")) {
        snprintf(err, errlen, "unusable sender address");
        return -1;
    }
    for (size_t i = 0; i < nr; i++)
        if (!addr_ok(rv[i])) {
            snprintf(err, errlen, "unusable recipient address");
            return -1;
        }
    err[0] = '\0';
    if (t->kind == OM_SENDMAIL)
        return sendmail_send(t, mail_from ? mail_from : "", rv, nr, msg, len, err, errlen);
    return smtp_send(t, mail_from ? mail_from : "", rv, nr, msg, len, err, errlen);
}
