/* hedit: see hedit.h. */
#include "hedit.h"

#include <stdint.h>
#include <string.h>

static unsigned char lower(unsigned char c)
{
    return c >= 'A' && c <= 'Z' ? (unsigned char)(c + 32) : c;
}

static bool same_name(const char *x, size_t xn, const char *y, size_t yn)
{
    if (xn != yn)
        return false;
    for (size_t i = 0; i < xn; i++)
        if (lower((unsigned char)x[i]) != lower((unsigned char)y[i]))
            return false;
    return true;
}

bool rt_hedit_name_ok(rt_str name)
{
    if (name.len == 0 || name.len > RT_HEDIT_MAX_NAME)
        return false;
    for (size_t i = 0; i < name.len; i++) {
        unsigned char c = (unsigned char)name.p[i];
        if (c < 33 || c > 126 || c == ':')
            return false;
    }
    return true;
}

const char *rt_hedit_eol(rt_str block)
{
    const char *nl = block.len ? memchr(block.p, '\n', block.len) : NULL;
    if (!nl)
        return "\r\n";
    return nl > block.p && nl[-1] == '\r' ? "\r\n" : "\n";
}

/* Length of the UTF-8 sequence at s[i], 0 when it is not valid (overlong
 * forms, surrogates and values above U+10FFFF included). */
static size_t utf8_len(const unsigned char *s, size_t n, size_t i)
{
    unsigned c = s[i];
    size_t k;
    uint32_t cp;
    if (c < 0x80)
        return 1;
    if ((c & 0xE0) == 0xC0) {
        k = 2;
        cp = c & 0x1F;
    } else if ((c & 0xF0) == 0xE0) {
        k = 3;
        cp = c & 0x0F;
    } else if ((c & 0xF8) == 0xF0) {
        k = 4;
        cp = c & 0x07;
    } else {
        return 0;
    }
    if (i + k > n)
        return 0;
    for (size_t j = 1; j < k; j++) {
        if ((s[i + j] & 0xC0) != 0x80)
            return 0;
        cp = cp << 6 | (s[i + j] & 0x3F);
    }
    static const uint32_t min[] = { 0, 0, 0x80, 0x800, 0x10000 };
    if (cp < min[k] || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
        return 0;
    return k;
}

static void b64(rt_buf *b, const unsigned char *p, size_t n)
{
    static const char tab[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    for (size_t i = 0; i < n; i += 3) {
        uint32_t v = (uint32_t)p[i] << 16;
        if (i + 1 < n)
            v |= (uint32_t)p[i + 1] << 8;
        if (i + 2 < n)
            v |= p[i + 2];
        char o[4] = { tab[v >> 18 & 63], tab[v >> 12 & 63],
                      i + 1 < n ? tab[v >> 6 & 63] : '=', i + 2 < n ? tab[v & 63] : '=' };
        rt_buf_append(b, o, 4);
    }
}

/* RFC 2047 2: an encoded-word is at most 75 bytes; "=?UTF-8?B?" + "?="
 * take 12, leaving 63 base64 characters: 45 input bytes, fewer when a
 * character would straddle the cut. */
#define EW_INPUT 45

/* RFC 5322 2.1.1: lines SHOULD stay within 78 characters; `used` is what
 * the first line already holds ("Name: "). */
#define LINE_MAX_CHARS 78

static void encode_words(rt_buf *b, const unsigned char *p, size_t n, const char *eol,
                         size_t used)
{
    size_t i = 0;
    bool first = true;
    /* The first word shares its line with the name: fewer bytes, or none
     * (then it starts on a folded line) when the name is long. */
    size_t room = used + 12 < LINE_MAX_CHARS ? (LINE_MAX_CHARS - used - 12) / 4 * 3 : 0;
    if (room < 4) {
        if (!b->failed && b->len && b->p[b->len - 1] == ' ')
            b->len--;   /* no trailing space before the fold */
        rt_buf_append(b, eol, strlen(eol));
        rt_buf_putc(b, ' ');
        room = EW_INPUT;
    }
    if (room > EW_INPUT)
        room = EW_INPUT;
    while (i < n) {
        size_t j = i;
        while (j < n) {
            size_t k = utf8_len(p, n, j);
            if (j + k - i > room)
                break;
            j += k;
        }
        room = EW_INPUT;
        if (!first) {
            rt_buf_append(b, eol, strlen(eol));
            rt_buf_putc(b, ' ');
        }
        rt_buf_append(b, "=?UTF-8?B?", 10);
        b64(b, p + i, j - i);
        rt_buf_append(b, "?=", 2);
        first = false;
        i = j;
    }
}

rt_hedit_status rt_hedit_field(rt_arena *a, rt_str name, rt_str value, const char *eol,
                               rt_str *field_r)
{
    const unsigned char *v = (const unsigned char *)value.p;
    size_t n = value.len;
    if (n > RT_HEDIT_MAX_VALUE)
        return RT_HEDIT_TOO_LONG;
    if (memchr(v, '\0', n))
        return RT_HEDIT_BAD_VALUE;
    /* Trailing line ends and whitespace go (a text: string ends in one). */
    while (n && (v[n - 1] == '\r' || v[n - 1] == '\n' || v[n - 1] == ' ' || v[n - 1] == '\t'))
        n--;
    /* The normalised text: '\n' marks a fold (a line end before SP or
     * HTAB, RFC 5322 2.2.3); any other run of CR and LF is removed, so
     * no line of the value can start a field or end the header (header
     * injection), as Pigeonhole joins "a\nBcc: x" into "aBcc: x"; bytes
     * that are not UTF-8 are dropped, as Pigeonhole does. */
    unsigned char *u = rt_arena_alloc(a, n ? n : 1);
    if (!u)
        return RT_HEDIT_NOMEM;
    size_t un = 0;
    bool eight = false;
    for (size_t i = 0; i < n;) {
        unsigned char c = v[i];
        if (c == '\r' || c == '\n') {
            while (i < n && (v[i] == '\r' || v[i] == '\n'))
                i++;
            if (i < n && (v[i] == ' ' || v[i] == '\t') && un)
                u[un++] = '\n';
            continue;
        }
        size_t k = c < 0x80 ? 1 : utf8_len(v, n, i);
        if (!k) {
            i++;
            continue;
        }
        if (k > 1)
            eight = true;
        memcpy(u + un, v + i, k);
        un += k;
        i += k;
    }
    rt_buf b;
    rt_buf_init(&b, a);
    rt_buf_append(&b, name.p, name.len);
    rt_buf_append(&b, ": ", 2);
    if (eight) {
        /* Unfold (RFC 5322 2.2.3), then encode the text (RFC 2047). */
        size_t o = 0;
        for (size_t i = 0; i < un; i++)
            if (u[i] != '\n')
                u[o++] = u[i];
        encode_words(&b, u, o, eol, name.len + 2);
    } else {
        for (size_t i = 0; i < un; i++) {
            if (u[i] == '\n')
                rt_buf_append(&b, eol, strlen(eol));
            else
                rt_buf_putc(&b, (char)u[i]);
        }
    }
    rt_buf_append(&b, eol, strlen(eol));
    rt_str s = rt_buf_str(&b);
    if (b.failed)
        return RT_HEDIT_NOMEM;
    *field_r = s;
    return RT_HEDIT_OK;
}

bool rt_hedit_insert(rt_arena *a, rt_str block, rt_str field, bool last, rt_str *out_r)
{
    rt_buf b;
    rt_buf_init(&b, a);
    if (!last)
        rt_buf_append(&b, field.p, field.len);
    rt_buf_append(&b, block.p, block.len);
    if (last) {
        if (block.len && block.p[block.len - 1] != '\n') {
            const char *eol = rt_hedit_eol(block);
            rt_buf_append(&b, eol, strlen(eol));
        }
        rt_buf_append(&b, field.p, field.len);
    }
    *out_r = rt_buf_str(&b);
    return !b.failed;
}

bool rt_hedit_cut(rt_arena *a, rt_str block, const size_t *start, const size_t *end, size_t n,
                  rt_str *out_r)
{
    rt_buf b;
    rt_buf_init(&b, a);
    size_t at = 0;
    for (size_t i = 0; i < n; i++) {
        if (start[i] < at || end[i] < start[i] || end[i] > block.len)
            continue;   /* not ascending: the caller's bug, keep the bytes */
        rt_buf_append(&b, block.p + at, start[i] - at);
        at = end[i];
    }
    rt_buf_append(&b, block.p + at, block.len - at);
    *out_r = rt_buf_str(&b);
    return !b.failed;
}

bool rt_hedit_protected(rt_str name, const char *extra, bool deleting)
{
    if (deleting && (same_name(name.p, name.len, "received", 8) ||
                     same_name(name.p, name.len, "auto-submitted", 14)))
        return true;
    for (const char *p = extra; p && *p;) {
        while (*p == ' ' || *p == ',')
            p++;
        const char *q = p;
        while (*q && *q != ' ' && *q != ',')
            q++;
        if (q > p && same_name(name.p, name.len, p, (size_t)(q - p)))
            return true;
        p = q;
    }
    return false;
}
