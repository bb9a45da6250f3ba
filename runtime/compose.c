/* compose: the messages vacation (RFC 5230 5) and notify mailto (RFC 5436
 * 2) send, for callers that perform a result (sieve/sieve.h
 * sieve_action_message). Header values come from scripts and messages:
 * line breaks are removed so nothing can add a header field, and non-ASCII
 * text is RFC 2047-encoded. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "rt_arena.h"
#include "ext_enotify.h"
#include "sieve/sieve.h"

typedef struct obuf {
    char *p;
    size_t len, cap;
    bool failed;
} obuf;

static void put(obuf *b, const char *s, size_t n)
{
    if (b->failed)
        return;
    if (b->len + n + 1 > b->cap) {
        size_t cap = (b->cap ? b->cap * 2 : 1024) + n;
        char *p = realloc(b->p, cap);
        if (!p) {
            b->failed = true;
            return;
        }
        b->p = p;
        b->cap = cap;
    }
    memcpy(b->p + b->len, s, n);
    b->len += n;
    b->p[b->len] = '\0';
}

static void puts_(obuf *b, const char *s)
{
    put(b, s, strlen(s));
}

/* A header value on one line: CR and LF become spaces. */
static void put_line(obuf *b, const char *s)
{
    for (; s && *s; s++) {
        char c = *s == '\r' || *s == '\n' ? ' ' : *s;
        put(b, &c, 1);
    }
}

/* RFC 2047 4.1: "B" encoded words of at most 45 input bytes (60 output
 * characters + the wrapper), cut at UTF-8 character boundaries. */
static void put_encoded(obuf *b, const char *s)
{
    bool ascii = true;
    for (const unsigned char *p = (const unsigned char *)s; *p; p++)
        if (*p >= 0x80 || (*p < 0x20 && *p != '\t'))
            ascii = false;
    if (ascii) {
        put_line(b, s);
        return;
    }
    static const char b64[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    size_t n = strlen(s), i = 0;
    bool first = true;
    while (i < n) {
        size_t k = n - i > 45 ? 45 : n - i;
        while (i + k < n && k > 1 && ((unsigned char)s[i + k] & 0xC0) == 0x80)
            k--;
        if (!first)
            puts_(b, "\r\n ");
        first = false;
        puts_(b, "=?utf-8?B?");
        for (size_t j = 0; j < k; j += 3) {
            unsigned v = (unsigned char)(s[i + j] == '\r' || s[i + j] == '\n' ? ' ' : s[i + j]) << 16;
            size_t m = k - j;
            if (m > 1)
                v |= (unsigned)(unsigned char)s[i + j + 1] << 8;
            if (m > 2)
                v |= (unsigned char)s[i + j + 2];
            char q[4] = { b64[v >> 18 & 63], b64[v >> 12 & 63], m > 1 ? b64[v >> 6 & 63] : '=',
                          m > 2 ? b64[v & 63] : '=' };
            put(b, q, 4);
        }
        puts_(b, "?=");
        i += k;
    }
}

/* Body text with every line end as CRLF. */
static void put_body(obuf *b, const char *s)
{
    for (; s && *s; s++) {
        if (*s == '\r' && s[1] == '\n')
            continue;
        if (*s == '\n' || *s == '\r')
            puts_(b, "\r\n");
        else
            put(b, s, 1);
    }
}

static void put_date(obuf *b, int64_t now)
{
    time_t t = (time_t)now;
    struct tm tm;
    char d[64];
    static const char *const days[] = { "Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat" };
    static const char *const mons[] = { "Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                        "Jul", "Aug", "Sep", "Oct", "Nov", "Dec" };
    if (!gmtime_r(&t, &tm))
        memset(&tm, 0, sizeof tm);
    snprintf(d, sizeof d, "Date: %s, %d %s %d %02d:%02d:%02d +0000\r\n", days[tm.tm_wday % 7],
             tm.tm_mday, mons[tm.tm_mon % 12], tm.tm_year + 1900, tm.tm_hour, tm.tm_min,
             tm.tm_sec);
    puts_(b, d);
}

static void rcpt_copy(char *rcpt, size_t rcptlen, const char *s, size_t n, bool append)
{
    size_t have = append ? strlen(rcpt) : 0;
    if (append && have && have + 1 < rcptlen)
        rcpt[have++] = ',';
    if (have + n >= rcptlen)
        n = have < rcptlen ? rcptlen - have - 1 : 0;
    memcpy(rcpt + have, s, n);
    rcpt[have + n] = '\0';
}

static int vacation_message(const sieve_action *a, const sieve_envelope *env, int64_t now,
                            obuf *b, char *rcpt, size_t rcptlen)
{
    /* The address becomes an SMTP RCPT TO: no control characters. */
    if (!a->address || !*a->address)
        return -1;
    for (const unsigned char *p = (const unsigned char *)a->address; *p; p++)
        if (*p < 0x20 || *p == 0x7f || *p == '<' || *p == '>')
            return -1;
    const char *from = a->from ? a->from : a->recipient ? a->recipient
                       : env && env->rcpt_to ? env->rcpt_to : NULL;
    if (from) {
        puts_(b, "From: ");
        put_line(b, from);
        puts_(b, "\r\n");
    }
    puts_(b, "To: <");
    put_line(b, a->address);
    puts_(b, ">\r\nSubject: ");
    put_encoded(b, a->subject ? a->subject : "Automated reply");
    puts_(b, "\r\n");
    put_date(b, now);
    if (a->in_reply_to) {
        puts_(b, "In-Reply-To: ");
        put_line(b, a->in_reply_to);
        puts_(b, "\r\nReferences: ");
        put_line(b, a->references ? a->references : a->in_reply_to);
        puts_(b, "\r\n");
    }
    /* RFC 3834 5, RFC 5230 5. */
    puts_(b, "Auto-Submitted: auto-replied (vacation)\r\nPrecedence: bulk\r\n"
             "X-Sieve: sievec\r\nMIME-Version: 1.0\r\n");
    if (a->mime) {
        /* RFC 5230 4.? :mime: the reason is a MIME entity, headers first. */
        put_body(b, a->reason);
    } else {
        puts_(b, "Content-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: 8bit\r\n\r\n");
        put_body(b, a->reason);
    }
    puts_(b, "\r\n");
    rcpt_copy(rcpt, rcptlen, a->address, strlen(a->address), false);
    return 0;
}

static bool same_addr(rt_str x, rt_str y)
{
    return x.len == y.len && strncasecmp(x.p, y.p, x.len) == 0;
}

/* One header field (To or Cc) of the recipients of that field. */
static void put_rcpt_field(obuf *b, const char *name, const rt_mailto *mt, const bool *dup,
                           unsigned char field)
{
    bool any = false;
    for (size_t i = 0; i < mt->nrcpt; i++) {
        if (dup[i] || mt->field[i] != field)
            continue;
        puts_(b, any ? ", <" : name);
        if (!any)
            puts_(b, "<");
        any = true;
        put(b, mt->rcpt[i].p, mt->rcpt[i].len);
        puts_(b, ">");
    }
    if (any)
        puts_(b, "\r\n");
}

static int notify_message(const sieve_action *a, const sieve_envelope *env, int64_t now,
                          obuf *b, char *rcpt, size_t rcptlen, char *mail_from,
                          size_t mail_from_len)
{
    rt_arena *ar = rt_arena_new(1u << 20);
    if (!ar)
        return -1;
    rt_mailto mt;
    if (!a->address || !rt_mailto_parse(ar, rt_str_cstr(a->address), &mt)) {
        rt_arena_free(&ar);
        return -1;
    }
    /* A recipient named twice (to and cc) gets one copy (Pigeonhole too). */
    bool dup[RT_MAILTO_MAX_RCPTS] = { false };
    for (size_t i = 0; i < mt.nrcpt; i++)
        for (size_t j = 0; j < i && !dup[i]; j++)
            if (!dup[j] && same_addr(mt.rcpt[i], mt.rcpt[j]))
                dup[i] = true;
    const char *rdomain = env && env->rcpt_to ? strrchr(env->rcpt_to, '@') : NULL;
    const char *from = a->from ? a->from : env && env->rcpt_to ? env->rcpt_to : "postmaster";
    puts_(b, "From: ");
    put_line(b, from);
    puts_(b, "\r\n");
    put_rcpt_field(b, "To: ", &mt, dup, RT_MAILTO_TO);
    put_rcpt_field(b, "Cc: ", &mt, dup, RT_MAILTO_CC);
    rcpt[0] = '\0';
    bool first = true;
    for (size_t i = 0; i < mt.nrcpt; i++) {
        if (dup[i])
            continue;
        rcpt_copy(rcpt, rcptlen, mt.rcpt[i].p, mt.rcpt[i].len, !first);
        first = false;
    }
    /* RFC 5436 2.7 (and RFC 3834): never bounce a notification back to a
     * sender who had none; otherwise from :from, else from postmaster of
     * the recipient's domain, so failures reach someone responsible. */
    if (env && env->mail_from && (!*env->mail_from || strcmp(env->mail_from, "<>") == 0))
        snprintf(mail_from, mail_from_len, "%s", "");
    else if (a->from && strchr(a->from, '@') && !strchr(a->from, '<'))
        snprintf(mail_from, mail_from_len, "%s", a->from);
    else
        snprintf(mail_from, mail_from_len, "postmaster%s", rdomain ? rdomain : "");
    puts_(b, "Subject: ");
    /* RFC 5436 2.3: :message is the subject; without it, the URI's. */
    if (a->reason)
        put_encoded(b, a->reason);
    else if (mt.has_subject)
        put_encoded(b, mt.subject.p);
    else
        put_encoded(b, "[SIEVE] New mail notification");
    puts_(b, "\r\n");
    put_date(b, now);
    /* RFC 5436 2.7 */
    puts_(b, "Auto-Submitted: auto-notified\r\nX-Sieve: sievec\r\nMIME-Version: 1.0\r\n");
    /* RFC 5435 3.4: "2" (normal) when not given; X-Priority is what mail
     * readers show, Importance (RFC 2156) the standard field. */
    char imp = a->importance ? a->importance[0] : '2';
    puts_(b, imp == '1' ? "X-Priority: 1 (Highest)\r\nImportance: High\r\n"
             : imp == '3' ? "X-Priority: 5 (Lowest)\r\nImportance: Low\r\n"
                          : "X-Priority: 3 (Normal)\r\nImportance: Normal\r\n");
    puts_(b, "Content-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: 8bit\r\n\r\n");
    if (mt.has_body)
        put_body(b, mt.body.p);
    else
        put_body(b, a->reason ? a->reason : "Notification of new message.");
    puts_(b, "\r\n");
    rt_arena_free(&ar);
    return 0;
}

int sieve_action_message(const sieve_action *a, const sieve_envelope *env, int64_t now,
                         char **msg_r, size_t *len_r, char *rcpt, size_t rcptlen,
                         char *mail_from, size_t mail_from_len)
{
    *msg_r = NULL;
    *len_r = 0;
    if (!a || a->suppressed || !rcpt || !rcptlen || !mail_from || !mail_from_len)
        return -1;
    mail_from[0] = '\0';
    obuf b = { 0 };
    int rc = -1;
    if (a->kind == SIEVE_ACT_VACATION)
        rc = vacation_message(a, env, now, &b, rcpt, rcptlen);
    else if (a->kind == SIEVE_ACT_NOTIFY)
        rc = notify_message(a, env, now, &b, rcpt, rcptlen, mail_from, mail_from_len);
    if (rc != 0 || b.failed) {
        free(b.p);
        return -1;
    }
    *msg_r = b.p;
    *len_r = b.len;
    return 0;
}
