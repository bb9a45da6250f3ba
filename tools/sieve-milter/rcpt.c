/* rcpt: see rcpt.h. */
#include "rcpt.h"

#include <stdio.h>
#include <string.h>

static char lower(char c)
{
    return c >= 'A' && c <= 'Z' ? (char)(c - 'A' + 'a') : c;
}

int rcpt_canonical(const char *addr, size_t len, const char *seps, rcpt_user *u, char *err,
                   size_t errlen)
{
    const char *p = addr, *end = addr + len;
    for (const char *q = p; q < end; q++)
        if ((unsigned char)*q < 0x20 || *q == 0x7f) {
            snprintf(err, errlen, "control character in address");
            return -1;
        }
    while (p < end && (*p == ' ' || *p == '\t'))
        p++;
    while (end > p && (end[-1] == ' ' || end[-1] == '\t'))
        end--;
    if (p < end && *p == '<') {
        if (end[-1] != '>') {
            snprintf(err, errlen, "unbalanced angle bracket");
            return -1;
        }
        p++, end--;
    }
    /* A source route (@a,@b:user@host) is obsolete; RFC 5321 C says to
     * ignore it. */
    if (p < end && *p == '@') {
        const char *colon = memchr(p, ':', (size_t)(end - p));
        if (!colon) {
            snprintf(err, errlen, "malformed source route");
            return -1;
        }
        p = colon + 1;
    }
    char local[RCPT_LOCAL_MAX + 1];
    size_t nl = 0;
    int quoted = p < end && *p == '"';
    if (quoted) {
        p++;
        for (;;) {
            if (p >= end) {
                snprintf(err, errlen, "unterminated quoted local part");
                return -1;
            }
            char c = *p++;
            if (c == '"')
                break;
            if (c == '\\') {
                if (p >= end) {
                    snprintf(err, errlen, "unterminated quoted local part");
                    return -1;
                }
                c = *p++;
            }
            if (nl == RCPT_LOCAL_MAX) {
                snprintf(err, errlen, "local part longer than %d bytes", RCPT_LOCAL_MAX);
                return -1;
            }
            local[nl++] = c;
        }
        if (p >= end || *p != '@') {
            snprintf(err, errlen, "no domain after quoted local part");
            return -1;
        }
    } else {
        /* The domain starts after the last '@' (an unquoted local part
         * cannot hold one, but be liberal in what is split). */
        const char *at = NULL;
        for (const char *q = p; q < end; q++)
            if (*q == '@')
                at = q;
        if (!at) {
            snprintf(err, errlen, "no domain");
            return -1;
        }
        if ((size_t)(at - p) > RCPT_LOCAL_MAX) {
            snprintf(err, errlen, "local part longer than %d bytes", RCPT_LOCAL_MAX);
            return -1;
        }
        memcpy(local, p, (size_t)(at - p));
        nl = (size_t)(at - p);
        p = at;
    }
    p++; /* '@' */
    size_t nd = (size_t)(end - p);
    if (nd == 0 || nd > RCPT_DOMAIN_MAX) {
        snprintf(err, errlen, nd ? "domain too long" : "empty domain");
        return -1;
    }
    /* RFC 5233: the detail starts at the first separator. */
    if (seps && *seps)
        for (size_t i = 0; i < nl; i++)
            if (local[i] && strchr(seps, local[i])) {
                nl = i;
                break;
            }
    if (nl == 0) {
        snprintf(err, errlen, "empty local part");
        return -1;
    }
    for (size_t i = 0; i < nl; i++)
        u->local[i] = lower(local[i]);
    u->local[nl] = '\0';
    for (size_t i = 0; i < nd; i++)
        u->domain[i] = lower(p[i]);
    u->domain[nd] = '\0';
    return 0;
}

/* Appends s, %XX-encoding every byte that could be unsafe in a path. */
static int put_safe(char *buf, size_t buflen, size_t *pos, const char *s)
{
    static const char hex[] = "0123456789ABCDEF";
    for (size_t i = 0; s[i]; i++) {
        unsigned char c = (unsigned char)s[i];
        int safe = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' || c == '-' ||
                   (c == '.' && i > 0);
        size_t need = safe ? 1 : 3;
        if (*pos + need >= buflen)
            return -1;
        if (safe)
            buf[(*pos)++] = (char)c;
        else {
            buf[(*pos)++] = '%';
            buf[(*pos)++] = hex[c >> 4];
            buf[(*pos)++] = hex[c & 15];
        }
    }
    return 0;
}

int rcpt_script_path(const char *layout, const rcpt_user *u, char *buf, size_t buflen)
{
    size_t pos = 0;
    for (const char *p = layout; *p; p++) {
        if (*p != '%') {
            if (pos + 1 >= buflen)
                return -1;
            buf[pos++] = *p;
            continue;
        }
        p++;
        int rc;
        switch (*p) {
        case 'd': rc = put_safe(buf, buflen, &pos, u->domain); break;
        case 'l': rc = put_safe(buf, buflen, &pos, u->local); break;
        case 'u':
            rc = put_safe(buf, buflen, &pos, u->local);
            if (rc == 0 && pos + 1 < buflen)
                buf[pos++] = '@';
            else
                rc = -1;
            if (rc == 0)
                rc = put_safe(buf, buflen, &pos, u->domain);
            break;
        case '%':
            rc = pos + 1 < buflen ? 0 : -1;
            if (rc == 0)
                buf[pos++] = '%';
            break;
        default: return -1;
        }
        if (rc != 0)
            return -1;
    }
    if (pos >= buflen)
        return -1;
    buf[pos] = '\0';
    return 0;
}

void rcpt_strip_brackets(const char *arg, char *buf, size_t buflen)
{
    size_t n = strlen(arg);
    if (n >= 2 && arg[0] == '<' && arg[n - 1] == '>')
        arg++, n -= 2;
    if (n >= buflen)
        n = buflen - 1;
    memcpy(buf, arg, n);
    buf[n] = '\0';
}
