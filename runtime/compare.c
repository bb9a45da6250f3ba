#define _GNU_SOURCE
#include "compare.h"

#include <string.h>
#include <strings.h>

#include <unicase.h>
#include <uninorm.h>
#include <unistr.h>

static const char *const cmp_names[] = {
    [RT_CMP_OCTET] = "i;octet",
    [RT_CMP_ASCII_CASEMAP] = "i;ascii-casemap",
    [RT_CMP_ASCII_NUMERIC] = "i;ascii-numeric",
    [RT_CMP_UNICODE_CASEMAP] = "i;unicode-casemap",
};

bool rt_cmp_lookup(const char *name, size_t len, rt_cmp_id *id_r)
{
    for (size_t i = 0; i < sizeof cmp_names / sizeof cmp_names[0]; i++) {
        if (strlen(cmp_names[i]) == len && strncasecmp(cmp_names[i], name, len) == 0) {
            *id_r = (rt_cmp_id)i;
            return true;
        }
    }
    return false;
}

const char *rt_cmp_name(rt_cmp_id id)
{
    if ((size_t)id < sizeof cmp_names / sizeof cmp_names[0])
        return cmp_names[id];
    return "?";
}

bool rt_cmp_has_substring(rt_cmp_id id)
{
    return id != RT_CMP_ASCII_NUMERIC;
}

/* RFC 5051 2: map to titlecase; when the result has a decomposition mapping
 * (canonical or compatibility), replace it by the mapping and apply both
 * steps again to each character of it. Depth and size are bounded so a
 * hostile code point cannot run away (real mappings stay far below). */
static size_t uni_fold_rec(uint32_t uc, uint8_t *out, size_t room, int depth)
{
    ucs4_t t = uc_totitle(uc);
    if (depth < 8) {
        ucs4_t dec[UC_DECOMPOSITION_MAX_LENGTH];
        int tag;
        int n = uc_decomposition(t, &tag, dec);
        if (n > 0) {
            size_t w = 0;
            for (int i = 0; i < n; i++)
                w += uni_fold_rec(dec[i], out + w, room - w, depth + 1);
            return w;
        }
    }
    if (room < 4)
        return 0;
    int w = u8_uctomb(out, t, (ptrdiff_t)room);
    return w > 0 ? (size_t)w : 0;
}

size_t rt_cmp_uni_fold_char(uint32_t uc, uint8_t *out)
{
    if (uc < 0x80) {
        out[0] = (uint8_t)((uc >= 'a' && uc <= 'z') ? uc - 32 : uc);
        return 1;
    }
    return uni_fold_rec(uc, out, RT_CMP_UNI_MAX_EXPANSION, 0);
}

static bool fold_unicode(rt_arena *a, rt_str in, rt_str *out_r)
{
    const uint8_t *s = (const uint8_t *)in.p;
    size_t i = 0;
    /* Pure ASCII without lower case letters folds to itself. */
    while (i < in.len && s[i] < 0x80 && !(s[i] >= 'a' && s[i] <= 'z'))
        i++;
    if (i == in.len) {
        *out_r = in;
        return true;
    }
    size_t cap = in.len + in.len / 2 + RT_CMP_UNI_MAX_EXPANSION;
    uint8_t *buf = rt_arena_alloc(a, cap);
    if (!buf)
        return false;
    memcpy(buf, s, i);
    size_t w = i;
    while (i < in.len) {
        if (cap - w < RT_CMP_UNI_MAX_EXPANSION) {
            size_t ncap = cap * 2;
            uint8_t *nb = rt_arena_alloc(a, ncap);
            if (!nb)
                return false;
            memcpy(nb, buf, w);
            buf = nb;
            cap = ncap;
        }
        if (s[i] < 0x80) {
            uint8_t c = s[i++];
            buf[w++] = (c >= 'a' && c <= 'z') ? (uint8_t)(c - 32) : c;
            continue;
        }
        ucs4_t uc;
        /* Invalid sequences come back as U+FFFD with their length. */
        int n = u8_mbtouc(&uc, s + i, in.len - i);
        if (n <= 0)
            n = 1;
        i += (size_t)n;
        w += rt_cmp_uni_fold_char(uc, buf + w);
    }
    *out_r = rt_str_make((const char *)buf, w);
    return true;
}

static bool fold_ascii(rt_arena *a, rt_str in, rt_str *out_r)
{
    size_t i = 0;
    while (i < in.len && !(in.p[i] >= 'a' && in.p[i] <= 'z'))
        i++;
    if (i == in.len) {
        *out_r = in;
        return true;
    }
    char *buf = rt_arena_alloc(a, in.len ? in.len : 1);
    if (!buf)
        return false;
    memcpy(buf, in.p, i);
    for (; i < in.len; i++) {
        char c = in.p[i];
        buf[i] = (c >= 'a' && c <= 'z') ? (char)(c - 32) : c;
    }
    *out_r = rt_str_make(buf, in.len);
    return true;
}

/* RFC 4790 9.1.1: "the value is the number whose decimal representation is
 * the initial run of digits; a string not starting with a digit represents
 * positive infinity". */
static void fold_numeric(rt_str in, rt_cmp_key *out)
{
    size_t i = 0;
    if (in.len == 0 || in.p[0] < '0' || in.p[0] > '9') {
        out->s = rt_str_make(in.p, 0);
        out->inf = true;
        return;
    }
    while (i < in.len && in.p[i] == '0')
        i++;
    size_t start = i;
    while (i < in.len && in.p[i] >= '0' && in.p[i] <= '9')
        i++;
    out->s = rt_str_make(in.p + start, i - start);
    out->inf = false;
}

bool rt_cmp_fold(rt_arena *a, rt_cmp_id id, rt_str in, rt_cmp_key *out_r)
{
    out_r->inf = false;
    switch (id) {
    case RT_CMP_ASCII_CASEMAP:
        return fold_ascii(a, in, &out_r->s);
    case RT_CMP_UNICODE_CASEMAP:
        return fold_unicode(a, in, &out_r->s);
    case RT_CMP_ASCII_NUMERIC:
        fold_numeric(in, out_r);
        return true;
    case RT_CMP_OCTET:
    default:
        out_r->s = in;
        return true;
    }
}

bool rt_cmp_key_prepare(rt_arena *a, rt_cmp_id id, rt_str in, rt_cmp_key *out_r)
{
    return rt_cmp_fold(a, id, in, out_r);
}

static int octet_order(rt_str v, rt_str k)
{
    size_t n = v.len < k.len ? v.len : k.len;
    int c = n ? memcmp(v.p, k.p, n) : 0;
    if (c)
        return c < 0 ? -1 : 1;
    return v.len < k.len ? -1 : v.len > k.len ? 1 : 0;
}

int rt_cmp_order(rt_cmp_id id, const rt_cmp_key *v, const rt_cmp_key *k)
{
    if (id == RT_CMP_ASCII_NUMERIC) {
        if (v->inf || k->inf)
            return v->inf == k->inf ? 0 : v->inf ? 1 : -1;
        /* Leading zeros are stripped, so the longer run is the larger. */
        if (v->s.len != k->s.len)
            return v->s.len < k->s.len ? -1 : 1;
        return octet_order(v->s, k->s);
    }
    return octet_order(v->s, k->s);
}

bool rt_cmp_equal(rt_cmp_id id, const rt_cmp_key *v, const rt_cmp_key *k)
{
    if (id == RT_CMP_ASCII_NUMERIC)
        return rt_cmp_order(id, v, k) == 0;
    return v->s.len == k->s.len && (v->s.len == 0 || memcmp(v->s.p, k->s.p, v->s.len) == 0);
}

bool rt_cmp_contains(rt_cmp_id id, const rt_cmp_key *v, const rt_cmp_key *k)
{
    if (id == RT_CMP_ASCII_NUMERIC)
        return false;
    if (k->s.len == 0)
        return true;
    if (v->s.len < k->s.len)
        return false;
    return memmem(v->s.p, v->s.len, k->s.p, k->s.len) != NULL;
}

bool rt_cmp_str_equal(rt_arena *a, rt_cmp_id id, rt_str v, rt_str k, bool *eq_r)
{
    rt_cmp_key fv, fk;
    if (!rt_cmp_fold(a, id, v, &fv) || !rt_cmp_fold(a, id, k, &fk))
        return false;
    *eq_r = rt_cmp_equal(id, &fv, &fk);
    return true;
}

bool rt_cmp_str_order(rt_arena *a, rt_cmp_id id, rt_str v, rt_str k, int *ord_r)
{
    rt_cmp_key fv, fk;
    if (!rt_cmp_fold(a, id, v, &fv) || !rt_cmp_fold(a, id, k, &fk))
        return false;
    *ord_r = rt_cmp_order(id, &fv, &fk);
    return true;
}
