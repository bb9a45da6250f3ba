/* dsn: see dsn.h. */
#define _GNU_SOURCE
#include "dsn.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "outmail.h"
#include "reply.h"


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
    /* The same submission as vacation replies through sendmail: from the
     * null path, "-i -f <> -- SENDER". */
    om_transport t;
    if (om_parse("sendmail", command, &t, err, errlen) != 0)
        return -1;
    return om_send(&t, "", sender, text, strlen(text), err, errlen);
}
