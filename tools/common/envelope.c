/* envelope: see envelope.h. */
#include "envelope.h"

#include <stddef.h>
#include <string.h>
#include <strings.h>

/* RFC 5322 section 2.2: a field is "name:" value, continued on lines that
 * begin with white space; the header section ends at the first empty line. */
bool envx_header(const char *msg, size_t len, const char *name, char *buf, size_t buflen)
{
    size_t nlen = strlen(name);
    size_t i = 0;
    while (i < len) {
        if (msg[i] == '\n' || (msg[i] == '\r' && i + 1 < len && msg[i + 1] == '\n'))
            return false;   /* end of the header section */
        const char *nl = memchr(msg + i, '\n', len - i);
        size_t eol = nl ? (size_t)(nl - msg) : len;
        if (eol - i > nlen && msg[i + nlen] == ':' && strncasecmp(msg + i, name, nlen) == 0) {
            /* Gather the value with its continuation lines. */
            size_t o = 0;
            size_t p = i + nlen + 1;
            for (;;) {
                for (; p < eol; p++) {
                    char c = msg[p];
                    if (c == '\r' || c == '\n')
                        continue;
                    if (o + 1 >= buflen)
                        return false;
                    buf[o++] = c == '\t' ? ' ' : c;
                }
                if (eol >= len || eol + 1 >= len || (msg[eol + 1] != ' ' && msg[eol + 1] != '\t'))
                    break;
                p = eol + 1;
                nl = memchr(msg + p, '\n', len - p);
                eol = nl ? (size_t)(nl - msg) : len;
            }
            size_t b = 0;
            while (b < o && buf[b] == ' ')
                b++;
            while (o > b && buf[o - 1] == ' ')
                o--;
            memmove(buf, buf + b, o - b);
            buf[o - b] = '\0';
            return true;
        }
        i = eol + 1;
    }
    return false;
}

/* "<addr>" or "Name <addr>" -> addr; a bare address stays; "<>" -> "". */
static void strip_angle(char *v)
{
    char *lt = strchr(v, '<');
    if (lt) {
        char *gt = strchr(lt + 1, '>');
        size_t n = gt ? (size_t)(gt - lt - 1) : strlen(lt + 1);
        memmove(v, lt + 1, n);
        v[n] = '\0';
        return;
    }
    /* A bare value: the first word (drops a trailing comment). */
    size_t n = strcspn(v, " \t(");
    v[n] = '\0';
}

void envx_extract(const char *msg, size_t len, envx_result *r)
{
    memset(r, 0, offsetof(envx_result, sender));
    r->sender[0] = r->recipient[0] = r->orig[0] = '\0';
    if (envx_header(msg, len, "Return-Path", r->sender, sizeof r->sender)) {
        strip_angle(r->sender);
        r->has_sender = true;
    }
    if (envx_header(msg, len, "X-Original-To", r->orig, sizeof r->orig)) {
        strip_angle(r->orig);
        r->has_orig = r->orig[0] != '\0';
    }
    if (envx_header(msg, len, "Delivered-To", r->recipient, sizeof r->recipient)) {
        strip_angle(r->recipient);
        r->has_recipient = r->recipient[0] != '\0';
    }
    if (!r->has_recipient && r->has_orig) {
        memcpy(r->recipient, r->orig, strlen(r->orig) + 1);
        r->has_recipient = true;
    }
}
