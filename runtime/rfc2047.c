#include "rfc2047.h"
#include "rt_str.h"

#include <string.h>
#include <strings.h>

#include "charset.h"

bool rt_rfc2047_has_encoded(const char *in, size_t len)
{
    const char *p = in, *end = in + len;
    while (p < end) {
        const char *q = memchr(p, '=', (size_t)(end - p));
        if (!q || q + 1 >= end)
            return false;
        if (q[1] == '?')
            return true;
        p = q + 1;
    }
    return false;
}

typedef struct rt_ew {
    const char *charset;
    size_t charset_len;
    char enc;               /* 'Q' or 'B' */
    const char *text;
    size_t text_len;
    size_t total;           /* bytes from "=?" through "?=" */
} rt_ew;

static bool is_ws(char c)
{
    return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

/* RFC 2047 section 2: encoded-word = "=?" charset "?" encoding "?"
 * encoded-text "?=". p points at "=?". The charset token must be short and
 * free of whitespace and controls; the text runs to the next '?', which must
 * be followed by '=' (lenient about spaces in the text, as Dovecot is). */
static bool ew_parse(const char *p, size_t left, rt_ew *ew)
{
    size_t i = 2;
    size_t cs_start = i;
    while (i < left && p[i] != '?') {
        unsigned char c = (unsigned char)p[i];
        if (c <= ' ' || c == 0x7f || i - cs_start >= RT_RFC2047_CHARSET_MAX)
            return false;
        i++;
    }
    if (i >= left || i == cs_start)
        return false;
    ew->charset = p + cs_start;
    ew->charset_len = i - cs_start;
    i++;
    if (i + 1 >= left || p[i + 1] != '?')
        return false;
    switch (p[i]) {
    case 'q': case 'Q': ew->enc = 'Q'; break;
    case 'b': case 'B': ew->enc = 'B'; break;
    default: return false;
    }
    i += 2;
    const char *q = memchr(p + i, '?', left - i);
    if (!q || (size_t)(q - p) + 1 >= left || q[1] != '=')
        return false;
    ew->text = p + i;
    ew->text_len = (size_t)(q - (p + i));
    ew->total = (size_t)(q - p) + 2;
    return true;
}

/* RFC 2047 section 4.2: "_" is space, "=XX" an octet; a stray '=' stays. */
static void q_decode(rt_buf *b, const char *s, size_t n)
{
    size_t start = 0;
    for (size_t i = 0; i < n; i++) {
        if (s[i] == '_') {
            rt_buf_append(b, s + start, i - start);
            rt_buf_putc(b, ' ');
            start = i + 1;
        } else if (s[i] == '=') {
            int h = i + 1 < n ? rt_hexval((unsigned char)s[i + 1]) : -1;
            int l = i + 2 < n ? rt_hexval((unsigned char)s[i + 2]) : -1;
            if (h < 0 || l < 0)
                continue;
            rt_buf_append(b, s + start, i - start);
            rt_buf_putc(b, (char)(h * 16 + l));
            i += 2;
            start = i + 1;
        }
    }
    rt_buf_append(b, s + start, n - start);
}

/* RFC 2047 section 4.1 (base64 of RFC 2045 6.8). Missing padding is
 * accepted; a character outside the alphabet ends the data. */
static void b_decode(rt_buf *b, const char *s, size_t n)
{
    unsigned acc = 0;
    int bits = 0;
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c == ' ' || c == '\t')
            continue;
        int v = rt_b64val(c);
        if (v < 0)
            break;
        acc = (acc << 6) | (unsigned)v;
        bits += 6;
        if (bits >= 8) {
            bits -= 8;
            rt_buf_putc(b, (char)((acc >> bits) & 0xff));
        }
        acc &= (1u << bits) - 1;
    }
}

static bool same_charset(const char *a, size_t alen, const char *b, size_t blen)
{
    char na[64], nb[64];
    size_t la = rt_charset_normalize(a, alen, na, sizeof na);
    size_t lb = rt_charset_normalize(b, blen, nb, sizeof nb);
    if (la == 0 || lb == 0)
        return alen == blen && strncasecmp(a, b, alen) == 0;
    return la == lb && memcmp(na, nb, la) == 0;
}

typedef struct rt_dec {
    rt_arena *a;
    rt_buf out;
    rt_buf pend;              /* decoded bytes of adjacent words */
    const char *pend_cs;
    size_t pend_cs_len;
    bool have_pend;
} rt_dec;

static void flush_pending(rt_dec *d)
{
    if (!d->have_pend)
        return;
    d->have_pend = false;
    if (d->pend.len == 0)
        return;
    rt_str s;
    if (!rt_charset_to_utf8(d->a, d->pend_cs, d->pend_cs_len, d->pend.p,
                            d->pend.len, &s)) {
        d->out.failed = true;
        return;
    }
    size_t at = d->out.len;
    rt_buf_append(&d->out, s.p, s.len);
    /* A NUL that decoding produced reads as a space (Pigeonhole:
     * "=?utf-8?q?c=00d?=" is "c d"). */
    if (!d->out.failed)
        for (size_t i = at; i < d->out.len; i++)
            if (d->out.p[i] == '\0')
                d->out.p[i] = ' ';
    d->pend.len = 0;
}

/* Raw text: invalid UTF-8 and NUL bytes become U+FFFD (Pigeonhole: a raw
 * NUL in a header reads as U+FFFD). */
static void append_plain(rt_dec *d, const char *p, size_t n)
{
    while (n) {
        const char *z = memchr(p, '\0', n);
        size_t k = z ? (size_t)(z - p) : n;
        rt_str s;
        if (k) {
            if (!rt_utf8_sanitize(d->a, p, k, &s)) {
                d->out.failed = true;
                return;
            }
            rt_buf_append(&d->out, s.p, s.len);
        }
        if (!z)
            return;
        rt_buf_append(&d->out, "\xef\xbf\xbd", 3);
        while (k < n && p[k] == '\0')
            k++;
        p += k;
        n -= k;
    }
}

static bool only_ws(const char *p, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (!is_ws(p[i]))
            return false;
    return true;
}

bool rt_rfc2047_decode(rt_arena *a, const char *in, size_t len, rt_str *out_r)
{
    if (!rt_rfc2047_has_encoded(in, len) && !memchr(in, '\0', len)) {
        if (!rt_utf8_sanitize(a, in, len, out_r)) {
            *out_r = rt_str_make("", 0);
            return false;
        }
        return true;
    }
    rt_dec d;
    d.a = a;
    rt_buf_init(&d.out, a);
    rt_buf_init(&d.pend, a);
    d.have_pend = false;
    d.pend_cs = NULL;
    d.pend_cs_len = 0;

    size_t pos = 0, start = 0;
    bool prev_was_word = false;
    while (pos + 1 < len) {
        const char *q = memchr(in + pos, '=', len - pos - 1);
        if (!q)
            break;
        pos = (size_t)(q - in);
        rt_ew ew;
        if (in[pos + 1] != '?' || !ew_parse(in + pos, len - pos, &ew)) {
            pos++;
            continue;
        }
        /* RFC 2047 6.2: linear whitespace between adjacent encoded words
         * is not displayed. */
        if (pos > start && !(prev_was_word && only_ws(in + start, pos - start))) {
            flush_pending(&d);
            append_plain(&d, in + start, pos - start);
        }
        if (d.have_pend && !same_charset(d.pend_cs, d.pend_cs_len, ew.charset,
                                         ew.charset_len))
            flush_pending(&d);
        if (!d.have_pend) {
            d.have_pend = true;
            d.pend_cs = ew.charset;
            d.pend_cs_len = ew.charset_len;
            d.pend.len = 0;
        }
        if (ew.enc == 'Q')
            q_decode(&d.pend, ew.text, ew.text_len);
        else
            b_decode(&d.pend, ew.text, ew.text_len);
        pos += ew.total;
        start = pos;
        prev_was_word = true;
    }
    flush_pending(&d);
    append_plain(&d, in + start, len - start);
    if (d.pend.failed)
        d.out.failed = true;
    *out_r = rt_buf_str(&d.out);
    return !d.out.failed;
}
