/* vars: see vars.h. */
#include <string.h>

#include "exec.h"
#include "regex.h"
#include "vars.h"

bool rt_vars_init(rt_vars *v, rt_arena *a, uint32_t nslots)
{
    v->nslots = nslots;
    v->match.n = 0;
    v->slots = NULL;
    if (!nslots)
        return true;
    v->slots = rt_arena_alloc(a, (size_t)nslots * sizeof *v->slots);
    if (!v->slots)
        return false;
    for (uint32_t i = 0; i < nslots; i++)
        v->slots[i] = rt_str_make("", 0);
    return true;
}

static rt_str part_value(const rt_program *p, const rt_vars *v, const uint32_t *part)
{
    switch (part[0]) {
    case SIEVE_PART_TEXT:
        return rt_str_make(p->pool + part[1], part[2]);
    case SIEVE_PART_VAR:
        return part[1] < v->nslots ? v->slots[part[1]] : rt_str_make("", 0);
    default:
        /* RFC 5229 3.2: a match variable not set by the last match is "". */
        return part[1] < v->match.n ? v->match.v[part[1]] : rt_str_make("", 0);
    }
}

bool rt_vars_expand(const rt_program *p, const rt_vars *v, rt_arena *a, uint32_t off,
                    rt_str *out_r)
{
    uint32_t n = off ? p->w[off] : 0;
    const uint32_t *parts = p->w + off + 1;
    if (n == 0) {
        *out_r = rt_str_make("", 0);
        return true;
    }
    if (n == 1) {
        *out_r = part_value(p, v, parts);
        return true;
    }
    size_t len = 0;
    for (uint32_t i = 0; i < n; i++)
        len += part_value(p, v, parts + 3 * i).len;
    char *buf = rt_arena_alloc(a, len + 1);
    if (!buf)
        return false;
    size_t at = 0;
    for (uint32_t i = 0; i < n; i++) {
        rt_str s = part_value(p, v, parts + 3 * i);
        if (s.len)
            memcpy(buf + at, s.p, s.len);
        at += s.len;
    }
    buf[at] = '\0';
    *out_r = rt_str_make(buf, at);
    return true;
}

rt_str rt_vars_truncate(rt_str s, size_t max)
{
    if (s.len <= max)
        return s;
    size_t n = max;
    /* Back up over continuation bytes to the start of the cut character. */
    while (n > 0 && ((unsigned char)s.p[n] & 0xC0) == 0x80)
        n--;
    return rt_str_make(s.p, n);
}

static char *copy_of(rt_arena *a, rt_str in)
{
    char *b = rt_arena_alloc(a, in.len + 1);
    if (!b)
        return NULL;
    if (in.len)
        memcpy(b, in.p, in.len);
    b[in.len] = '\0';
    return b;
}

static size_t utf8_seq_len(rt_str s, size_t i)
{
    unsigned char c = (unsigned char)s.p[i];
    size_t n = c < 0x80 ? 1 : (c & 0xE0) == 0xC0 ? 2 : (c & 0xF0) == 0xE0 ? 3 : (c & 0xF8) == 0xF0 ? 4 : 1;
    size_t k = 1;
    while (k < n && i + k < s.len && ((unsigned char)s.p[i + k] & 0xC0) == 0x80)
        k++;
    return k;
}

/* RFC 5435 6: percent-encode everything but RFC 3986 unreserved. */
static bool encode_url(rt_arena *a, rt_str in, rt_str *out_r)
{
    static const char hex[] = "0123456789ABCDEF";
    char *b = rt_arena_alloc(a, in.len * 3 + 1);
    if (!b)
        return false;
    size_t o = 0;
    for (size_t i = 0; i < in.len; i++) {
        unsigned char c = (unsigned char)in.p[i];
        if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
            c == '-' || c == '.' || c == '_' || c == '~') {
            b[o++] = (char)c;
        } else {
            b[o++] = '%';
            b[o++] = hex[c >> 4];
            b[o++] = hex[c & 15];
        }
    }
    b[o] = '\0';
    *out_r = rt_str_make(b, o);
    return true;
}

bool rt_vars_modify(rt_arena *a, rt_str in, uint32_t mods, rt_str *out_r)
{
    rt_str s = in;
    /* Precedence 40. Case changes are ASCII-only, as in Pigeonhole. */
    if (mods & (SIEVE_AF_MOD_LOWER | SIEVE_AF_MOD_UPPER)) {
        char *b = copy_of(a, s);
        if (!b)
            return false;
        for (size_t i = 0; i < s.len; i++) {
            if ((mods & SIEVE_AF_MOD_LOWER) && b[i] >= 'A' && b[i] <= 'Z')
                b[i] = (char)(b[i] + 32);
            else if ((mods & SIEVE_AF_MOD_UPPER) && b[i] >= 'a' && b[i] <= 'z')
                b[i] = (char)(b[i] - 32);
        }
        s = rt_str_make(b, s.len);
    }
    /* 30 */
    if ((mods & (SIEVE_AF_MOD_LOWERFIRST | SIEVE_AF_MOD_UPPERFIRST)) && s.len) {
        char *b = copy_of(a, s);
        if (!b)
            return false;
        if ((mods & SIEVE_AF_MOD_LOWERFIRST) && b[0] >= 'A' && b[0] <= 'Z')
            b[0] = (char)(b[0] + 32);
        else if ((mods & SIEVE_AF_MOD_UPPERFIRST) && b[0] >= 'a' && b[0] <= 'z')
            b[0] = (char)(b[0] - 32);
        s = rt_str_make(b, s.len);
    }
    /* 20 */
    if ((mods & SIEVE_AF_MOD_QUOTEWILDCARD) && !rt_match_quote_wildcard(a, s, &s))
        return false;
    if ((mods & SIEVE_AF_MOD_QUOTEREGEX) && !rt_regex_quote(a, s, &s))
        return false;
    /* 15 */
    if ((mods & SIEVE_AF_MOD_ENCODEURL) && !encode_url(a, s, &s))
        return false;
    /* 10: the length in characters (RFC 5229 4.1.4 counts characters). */
    if (mods & SIEVE_AF_MOD_LENGTH) {
        size_t chars = 0;
        for (size_t i = 0; i < s.len; i += utf8_seq_len(s, i))
            chars++;
        char *b = rt_arena_alloc(a, 24);
        if (!b)
            return false;
        size_t n = 0;
        char tmp[24];
        do {
            tmp[n++] = (char)('0' + chars % 10);
            chars /= 10;
        } while (chars);
        for (size_t i = 0; i < n; i++)
            b[i] = tmp[n - 1 - i];
        b[n] = '\0';
        s = rt_str_make(b, n);
    }
    *out_r = s;
    return true;
}

bool rt_vars_set(rt_vars *v, rt_arena *a, uint32_t slot, rt_str value, uint32_t mods)
{
    rt_str s;
    if (!rt_vars_modify(a, value, mods, &s))
        return false;
    s = rt_vars_truncate(s, RT_VAR_MAX_SIZE);
    /* A copy: the source may be a match variable or a slot that the next
     * set replaces, and slots must stay immutable once stored. */
    char *b = copy_of(a, s);
    if (!b)
        return false;
    if (slot < v->nslots)
        v->slots[slot] = rt_str_make(b, s.len);
    return true;
}

void rt_vars_set_match(rt_vars *v, const rt_match_vars *m)
{
    v->match = *m;
}
