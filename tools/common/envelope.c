/* envelope: see envelope.h. */
#include "envelope.h"

#include <stddef.h>
#include <string.h>
#include <strings.h>

/* Copies the value that starts at p on the line ending at eol, with its
 * continuation lines (RFC 5322 section 2.2.3: unfolding), trimmed. */
static bool copy_value(const char *msg, size_t len, size_t p, size_t eol, char *buf, size_t buflen)
{
    size_t o = 0;
    for (;;) {
        for (; p < eol; p++) {
            char c = msg[p];
            if (c == '\r')
                continue;
            if (o + 1 >= buflen)
                return false;
            buf[o++] = c == '\t' ? ' ' : c;
        }
        if (eol + 1 >= len || (msg[eol + 1] != ' ' && msg[eol + 1] != '\t'))
            break;
        p = eol + 1;
        const char *nl = memchr(msg + p, '\n', len - p);
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

typedef struct wanted {
    const char *name;
    size_t nlen;
    char *buf;
    size_t buflen;
    bool *found;
} wanted;

/* RFC 5322 section 2.2: a field is "name:" value, continued on lines that
 * begin with white space; the header section ends at the first empty line.
 * One pass over the header for all the names; the first field of each
 * name wins. */
static void scan_header(const char *msg, size_t len, wanted *w, size_t nw)
{
    size_t i = 0, left = nw;
    while (i < len && left) {
        if (msg[i] == '\n' || (msg[i] == '\r' && i + 1 < len && msg[i + 1] == '\n'))
            return;   /* end of the header section */
        const char *nl = memchr(msg + i, '\n', len - i);
        size_t eol = nl ? (size_t)(nl - msg) : len;
        for (size_t k = 0; k < nw; k++) {
            size_t nlen = w[k].nlen;
            if (*w[k].found || eol - i <= nlen || msg[i + nlen] != ':' ||
                strncasecmp(msg + i, w[k].name, nlen) != 0)
                continue;
            *w[k].found = true;   /* even when it does not fit: no later one counts */
            if (!copy_value(msg, len, i + nlen + 1, eol, w[k].buf, w[k].buflen))
                w[k].buf[0] = '\1';   /* marks "too long" */
            left--;
        }
        i = eol + 1;
    }
}

bool envx_header(const char *msg, size_t len, const char *name, char *buf, size_t buflen)
{
    bool found = false;
    if (!buflen)
        return false;
    buf[0] = '\0';
    wanted w = { name, strlen(name), buf, buflen, &found };
    scan_header(msg, len, &w, 1);
    if (found && buf[0] == '\1') {
        buf[0] = '\0';
        return false;
    }
    return found;
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
    wanted w[3] = {
        { "Return-Path", 11, r->sender, sizeof r->sender, &r->has_sender },
        { "Delivered-To", 12, r->recipient, sizeof r->recipient, &r->has_recipient },
        { "X-Original-To", 13, r->orig, sizeof r->orig, &r->has_orig },
    };
    scan_header(msg, len, w, 3);
    if (r->has_sender && r->sender[0] == '\1')
        r->has_sender = false;
    if (r->has_sender)
        strip_angle(r->sender);
    if (r->has_orig && r->orig[0] != '\1')
        strip_angle(r->orig);
    r->has_orig = r->has_orig && r->orig[0] && r->orig[0] != '\1';
    if (r->has_recipient && r->recipient[0] != '\1')
        strip_angle(r->recipient);
    r->has_recipient = r->has_recipient && r->recipient[0] && r->recipient[0] != '\1';
    if (!r->has_recipient && r->has_orig) {
        memcpy(r->recipient, r->orig, strlen(r->orig) + 1);
        r->has_recipient = true;
    }
    if (!r->has_orig)
        r->orig[0] = '\0';
}
