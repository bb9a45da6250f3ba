/* jsonw: see jsonw.h. */
#include "jsonw.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

static void oom(void)
{
    fputs("out of memory\n", stderr);
    abort();
}

void jw_buf_free(jw_buf *b)
{
    free(b->p);
    b->p = NULL;
    b->len = b->cap = 0;
}

void jw_reserve(jw_buf *b, size_t extra)
{
    if (b->cap - b->len > extra)
        return;
    size_t cap = b->cap ? b->cap : 256;
    while (cap - b->len <= extra) {
        if (cap > SIZE_MAX / 2)
            oom();
        cap *= 2;
    }
    char *p = realloc(b->p, cap);
    if (!p)
        oom();
    b->p = p;
    b->cap = cap;
}

void jw_put(jw_buf *b, const void *p, size_t n)
{
    if (!n)
        return;
    jw_reserve(b, n);
    memcpy(b->p + b->len, p, n);
    b->len += n;
}

void jw_putc(jw_buf *b, char c)
{
    jw_reserve(b, 1);
    b->p[b->len++] = c;
}

void jw_puts(jw_buf *b, const char *s)
{
    jw_put(b, s, strlen(s));
}

void jw_put_u64(jw_buf *b, uint64_t v)
{
    char tmp[24];
    size_t i = sizeof tmp;
    do {
        tmp[--i] = (char)('0' + v % 10);
        v /= 10;
    } while (v);
    jw_put(b, tmp + i, sizeof tmp - i);
}

void jw_printf(jw_buf *b, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    char tmp[256];
    int n = vsnprintf(tmp, sizeof tmp, fmt, ap);
    va_end(ap);
    if (n < 0)
        return;
    if ((size_t)n < sizeof tmp) {
        jw_put(b, tmp, (size_t)n);
        return;
    }
    jw_reserve(b, (size_t)n + 1);
    va_start(ap, fmt);
    vsnprintf(b->p + b->len, (size_t)n + 1, fmt, ap);
    va_end(ap);
    b->len += (size_t)n;
}

int jw_flush(jw_buf *b, FILE *out)
{
    int rc = 0;
    if (b->len && fwrite(b->p, 1, b->len, out) != b->len)
        rc = -1;
    b->len = 0;
    return rc;
}

/* RFC 3629 section 4, the table of well-formed byte sequences. */
size_t jw_utf8_len(const unsigned char *p, size_t n)
{
    unsigned c = p[0];
    if (c < 0x80)
        return 1;
    if (c < 0xC2 || c > 0xF4)
        return 0;
    if (c < 0xE0)
        return n >= 2 && (p[1] & 0xC0) == 0x80 ? 2 : 0;
    if (c < 0xF0) {
        if (n < 3 || (p[2] & 0xC0) != 0x80)
            return 0;
        unsigned lo = 0x80, hi = 0xBF;
        if (c == 0xE0)
            lo = 0xA0;           /* overlong */
        else if (c == 0xED)
            hi = 0x9F;           /* surrogates */
        return p[1] >= lo && p[1] <= hi ? 3 : 0;
    }
    if (n < 4 || (p[2] & 0xC0) != 0x80 || (p[3] & 0xC0) != 0x80)
        return 0;
    unsigned lo = 0x80, hi = 0xBF;
    if (c == 0xF0)
        lo = 0x90;               /* overlong */
    else if (c == 0xF4)
        hi = 0x8F;               /* above U+10FFFF */
    return p[1] >= lo && p[1] <= hi ? 4 : 0;
}

static const char replacement[3] = { '\xEF', '\xBF', '\xBD' };

void jw_json_string(jw_buf *b, const char *s, size_t n)
{
    static const char hex[] = "0123456789abcdef";
    const unsigned char *p = (const unsigned char *)s;
    jw_reserve(b, n + 2);
    jw_putc(b, '"');
    size_t i = 0;
    while (i < n) {
        /* Copy the longest plain-ASCII run in one go. */
        size_t run = i;
        while (run < n && p[run] >= 0x20 && p[run] < 0x80 && p[run] != '"' && p[run] != '\\')
            run++;
        if (run > i) {
            jw_put(b, p + i, run - i);
            i = run;
            continue;
        }
        unsigned c = p[i];
        if (c == '"' || c == '\\') {
            char e[2] = { '\\', (char)c };
            jw_put(b, e, 2);
            i++;
        } else if (c < 0x20) {
            switch (c) {
            case '\n': jw_put(b, "\\n", 2); break;
            case '\r': jw_put(b, "\\r", 2); break;
            case '\t': jw_put(b, "\\t", 2); break;
            case '\b': jw_put(b, "\\b", 2); break;
            case '\f': jw_put(b, "\\f", 2); break;
            default: {
                char e[6] = { '\\', 'u', '0', '0', hex[c >> 4], hex[c & 15] };
                jw_put(b, e, 6);
            }
            }
            i++;
        } else {
            size_t l = jw_utf8_len(p + i, n - i);
            if (l) {
                jw_put(b, p + i, l);
                i += l;
            } else {
                jw_put(b, replacement, 3);
                i++;
            }
        }
    }
    jw_putc(b, '"');
}

void jw_sieve_string(jw_buf *b, const char *s, size_t n)
{
    static const char hex[] = "0123456789abcdef";
    const unsigned char *p = (const unsigned char *)s;
    jw_putc(b, '"');
    size_t i = 0;
    while (i < n) {
        unsigned c = p[i];
        if (c == '"' || c == '\\') {
            char e[2] = { '\\', (char)c };
            jw_put(b, e, 2);
            i++;
        } else if (c < 0x20 || c == 0x7f) {
            if (c == '\n')
                jw_put(b, "\\n", 2);
            else if (c == '\r')
                jw_put(b, "\\r", 2);
            else if (c == '\t')
                jw_put(b, "\\t", 2);
            else {
                char e[4] = { '\\', 'x', hex[c >> 4], hex[c & 15] };
                jw_put(b, e, 4);
            }
            i++;
        } else {
            size_t l = jw_utf8_len(p + i, n - i);
            if (l) {
                jw_put(b, p + i, l);
                i += l;
            } else {
                jw_put(b, replacement, 3);
                i++;
            }
        }
    }
    jw_putc(b, '"');
}
