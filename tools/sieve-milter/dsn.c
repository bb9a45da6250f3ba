/* dsn: see dsn.h. */
#define _GNU_SOURCE
#include "dsn.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "reply.h"

extern char **environ;

/* Only printable ASCII reaches the header and status fields. */
static void clean(char *dst, size_t n, const char *src)
{
    size_t k = 0;
    for (; src && *src && k + 1 < n; src++)
        dst[k++] = (*src >= 0x20 && *src < 0x7f) ? *src : '?';
    dst[k] = '\0';
}

/* reply_make doubles '%' for libmilter; mail wants it single. */
static void put_undoubled(FILE *f, const char *s)
{
    for (; *s; s++) {
        if (s[0] == '%' && s[1] == '%')
            s++;
        fputc(*s, f);
    }
}

char *dsn_build(const char *host, const char *sender, const char *qid, const dsn_refusal *r,
                size_t n)
{
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    if (!f)
        return NULL;
    char h[256], s[512], q[64], boundary[400];
    clean(h, sizeof h, host);
    clean(s, sizeof s, sender);
    clean(q, sizeof q, qid);
    snprintf(boundary, sizeof boundary, "%s.%ld/%s", q, (long)time(NULL), h);
    fprintf(f, "From: Mail Delivery System <MAILER-DAEMON@%s>\r\n", h);
    fprintf(f, "To: <%s>\r\n", s);
    fprintf(f, "Subject: Undelivered Mail: refused by the recipient's filter\r\n");
    fprintf(f, "Auto-Submitted: auto-replied\r\n");
    fprintf(f, "MIME-Version: 1.0\r\n");
    fprintf(f, "Content-Type: multipart/report; report-type=delivery-status;\r\n"
               "\tboundary=\"%s\"\r\n\r\n", boundary);
    fprintf(f, "--%s\r\nContent-Type: text/plain; charset=us-ascii\r\n\r\n", boundary);
    fprintf(f, "Your message (queue id %s) was accepted for its other recipients,\r\n"
               "but the filters of these recipients refused it:\r\n\r\n", q);
    reply_text *t = malloc(sizeof *t);
    for (size_t i = 0; i < n; i++) {
        char rc[512];
        clean(rc, sizeof rc, r[i].rcpt);
        fprintf(f, "<%s>:\r\n", rc);
        if (t) {
            reply_make(t, r[i].reason, "Rejected by the recipient's filter");
            for (size_t l = 0; l < t->nlines; l++) {
                fputs("    ", f);
                put_undoubled(f, t->lines[l]);
                fputs("\r\n", f);
            }
        }
    }
    fprintf(f, "\r\n--%s\r\nContent-Type: message/delivery-status\r\n\r\n", boundary);
    fprintf(f, "Reporting-MTA: dns; %s\r\n", h);
    if (q[0])
        fprintf(f, "X-Postfix-Queue-ID: %s\r\n", q);
    for (size_t i = 0; i < n; i++) {
        char rc[512];
        clean(rc, sizeof rc, r[i].rcpt);
        fprintf(f, "\r\nFinal-Recipient: rfc822; %s\r\nAction: failed\r\nStatus: 5.7.1\r\n", rc);
        if (t) {
            reply_make(t, r[i].reason, "Rejected by the recipient's filter");
            fputs("Diagnostic-Code: smtp; 550 5.7.1 ", f);
            put_undoubled(f, t->lines[0]);
            fputs("\r\n", f);
        }
    }
    fprintf(f, "\r\n--%s--\r\n", boundary);
    free(t);
    if (fclose(f) != 0) {
        free(buf);
        return NULL;
    }
    return buf;
}

int dsn_submit(const char *command, const char *sender, const char *text, char *err,
               size_t errlen)
{
    char *words = strdup(command);
    char *argv[40];
    size_t argc = 0;
    if (!words) {
        snprintf(err, errlen, "out of memory");
        return -1;
    }
    for (char *w = strtok(words, " \t"); w && argc < 34; w = strtok(NULL, " \t"))
        argv[argc++] = w;
    if (argc == 0) {
        free(words);
        snprintf(err, errlen, "empty sendmail command");
        return -1;
    }
    argv[argc++] = "-i";
    argv[argc++] = "-f";
    argv[argc++] = "<>";
    argv[argc++] = "--";
    argv[argc++] = (char *)sender;
    argv[argc] = NULL;
    int pfd[2];
    if (pipe2(pfd, O_CLOEXEC) != 0) {
        free(words);
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
        free(words);
        return -1;
    }
    /* A sendmail that exits early must not kill us with SIGPIPE: the
     * daemon ignores SIGPIPE (milter.c); here a short write is an error. */
    size_t len = strlen(text), off = 0;
    while (off < len) {
        ssize_t w = write(pfd[1], text + off, len - off);
        if (w < 0 && errno == EINTR)
            continue;
        if (w <= 0)
            break;
        off += (size_t)w;
    }
    close(pfd[1]);
    int status;
    while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
        ;
    int ok = off == len && WIFEXITED(status) && WEXITSTATUS(status) == 0;
    if (!ok)
        snprintf(err, errlen, "%s exited with status %d", argv[0],
                 WIFEXITED(status) ? WEXITSTATUS(status) : -1);
    free(words);
    return ok ? 0 : -1;
}
