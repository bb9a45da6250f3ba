#define _GNU_SOURCE
#include "match.h"
#include "textsearch.h"

#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include <unictype.h>
#include <unistr.h>

#include "regex.h"

/* A compiled :matches pattern (RFC 5228 2.7.1). The pattern is split at
 * each '*' into segments; a segment is a sequence of items, each a folded
 * literal run or a count of '?'. Wildcards are numbered 1.. in pattern order
 * for the match variables (RFC 5229 3.2). */
enum { MI_LIT, MI_ANY };

typedef struct mitem {
    uint32_t kind;
    uint32_t off, len;  /* MI_LIT: lits[off..off+len); MI_ANY: len = count */
    uint32_t var0;      /* MI_ANY: variable index of its first '?' */
} mitem;

typedef struct mseg {
    uint32_t item0, nitems;
    uint32_t star_var;  /* index of the '*' before this segment (not seg 0) */
} mseg;

enum pat_shape {
    PS_EXACT,     /* no wildcard */
    PS_PREFIX,    /* lit* */
    PS_SUFFIX,    /* *lit */
    PS_CONTAINS,  /* *lit* */
    PS_ALL,       /* only stars */
    PS_GENERAL,
};

typedef struct mpat {
    enum pat_shape shape;
    const char *lits;
    rt_str lit;  /* the one literal of the simple shapes */
    const mitem *items;
    const mseg *segs;
    uint32_t nsegs;
    uint32_t nvars;
} mpat;

typedef struct mkey {
    rt_cmp_key k;
    size_t anchor;   /* rt_textsearch_anchor of k, for :contains */
    mpat *pat;
    rt_regex *re;
} mkey;

struct rt_match_keys {
    rt_match_type type;
    rt_cmp_id cmp;
    rt_rel rel;
    size_t n;
    mkey *keys;
    size_t nvars;
};

#define NOPOS SIZE_MAX

static void set_err(char *err, size_t errsize, const char *msg)
{
    if (err && errsize)
        snprintf(err, errsize, "%s", msg);
}

bool rt_match_rel_lookup(const char *name, size_t len, rt_rel *rel_r)
{
    static const char *const names[] = { "gt", "ge", "lt", "le", "eq", "ne" };
    for (size_t i = 0; i < 6; i++) {
        if (len == 2 && strncasecmp(names[i], name, 2) == 0) {
            *rel_r = (rt_rel)i;
            return true;
        }
    }
    return false;
}

static bool rel_holds(rt_rel rel, int ord)
{
    switch (rel) {
    case RT_REL_GT: return ord > 0;
    case RT_REL_GE: return ord >= 0;
    case RT_REL_LT: return ord < 0;
    case RT_REL_LE: return ord <= 0;
    case RT_REL_EQ: return ord == 0;
    case RT_REL_NE: return ord != 0;
    }
    return false;
}

/* ---- :matches compilation ---- */

static bool flush_lit(rt_arena *a, rt_cmp_id cmp, rt_buf *raw, rt_buf *lits,
                      mitem *items, uint32_t *nitems)
{
    if (raw->len == 0)
        return true;
    rt_cmp_key f;
    if (!rt_cmp_fold(a, cmp, rt_str_make(raw->p, raw->len), &f))
        return false;
    mitem *it = &items[(*nitems)++];
    it->kind = MI_LIT;
    it->off = (uint32_t)lits->len;
    it->len = (uint32_t)f.s.len;
    it->var0 = 0;
    rt_buf_append(lits, f.s.p, f.s.len);
    raw->len = 0;
    return !lits->failed;
}

static mpat *pat_compile(rt_arena *a, rt_cmp_id cmp, rt_str key)
{
    if (key.len > UINT32_MAX / 4)
        return NULL;
    mpat *p = rt_arena_alloc(a, sizeof *p);
    mitem *items = rt_arena_alloc(a, (key.len + 1) * sizeof *items);
    mseg *segs = rt_arena_alloc(a, (key.len + 1) * sizeof *segs);
    if (!p || !items || !segs)
        return NULL;
    rt_buf raw, lits;
    rt_buf_init(&raw, a);
    rt_buf_init(&lits, a);
    uint32_t nitems = 0, nsegs = 1, var = 1;
    segs[0].item0 = 0;
    segs[0].star_var = 0;
    for (size_t i = 0; i < key.len; i++) {
        char c = key.p[i];
        if (c == '\\') {
            /* A trailing backslash has nothing to escape: keep it. */
            if (i + 1 < key.len)
                c = key.p[++i];
            rt_buf_putc(&raw, c);
            continue;
        }
        if (c != '*' && c != '?') {
            rt_buf_putc(&raw, c);
            continue;
        }
        if (raw.failed || !flush_lit(a, cmp, &raw, &lits, items, &nitems))
            return NULL;
        if (c == '?') {
            if (nitems > segs[nsegs - 1].item0 && items[nitems - 1].kind == MI_ANY) {
                items[nitems - 1].len++;
            } else {
                mitem *it = &items[nitems++];
                it->kind = MI_ANY;
                it->off = 0;
                it->len = 1;
                it->var0 = var;
            }
            var++;
        } else {
            segs[nsegs - 1].nitems = nitems - segs[nsegs - 1].item0;
            segs[nsegs].item0 = nitems;
            segs[nsegs].star_var = var++;
            nsegs++;
        }
    }
    if (raw.failed || !flush_lit(a, cmp, &raw, &lits, items, &nitems))
        return NULL;
    segs[nsegs - 1].nitems = nitems - segs[nsegs - 1].item0;
    rt_str l = rt_buf_str(&lits);
    if (lits.failed)
        return NULL;
    p->lits = l.p;
    p->items = items;
    p->segs = segs;
    p->nsegs = nsegs;
    p->nvars = var - 1;
    p->lit = rt_str_make(l.p, 0);

    /* Recognise the shapes that reduce to one comparator operation. */
    bool all_lit = true;
    for (uint32_t i = 0; i < nitems; i++)
        if (items[i].kind != MI_LIT)
            all_lit = false;
    for (uint32_t s = 0; s < nsegs; s++)
        if (segs[s].nitems > 1)
            all_lit = false;
    p->shape = PS_GENERAL;
    if (all_lit) {
        if (nitems == 1)
            p->lit = rt_str_make(l.p + items[0].off, items[0].len);
        uint32_t n0 = segs[0].nitems, nl = segs[nsegs - 1].nitems;
        if (nsegs == 1)
            p->shape = PS_EXACT;
        else if (nitems == 0)
            p->shape = PS_ALL;
        else if (nsegs == 2 && n0 == 1 && nl == 0)
            p->shape = PS_PREFIX;
        else if (nsegs == 2 && n0 == 0 && nl == 1)
            p->shape = PS_SUFFIX;
        else if (nsegs == 3 && n0 == 0 && nl == 0 && segs[1].nitems == 1)
            p->shape = PS_CONTAINS;
    }
    return p;
}

/* ---- :matches execution ---- */

/* '?' under i;unicode-casemap is one character of the value as written:
 * folding decomposes "\u00e9" into "E" + U+0301, so a step covers a base
 * character and the combining marks (canonical combining class > 0) that
 * follow it. The folded text is valid UTF-8. */
static size_t utf8_char_at(const char *s, size_t len, size_t i, ucs4_t *uc)
{
    int n = u8_mbtouc(uc, (const uint8_t *)s + i, len - i);
    return n > 0 ? (size_t)n : 1;
}

static size_t utf8_next(const char *s, size_t len, size_t i)
{
    ucs4_t uc;
    i += utf8_char_at(s, len, i, &uc);
    while (i < len && (uint8_t)s[i] >= 0x80) {
        size_t n = utf8_char_at(s, len, i, &uc);
        if (uc_combining_class(uc) == 0)
            break;
        i += n;
    }
    return i;
}

static size_t utf8_prev1(const char *s, size_t i)
{
    i--;
    for (int k = 0; k < 3 && i > 0 && ((uint8_t)s[i] & 0xC0) == 0x80; k++)
        i--;
    return i;
}

/* Steps back one character (with its combining marks), not below floor. */
static size_t utf8_prev(const char *s, size_t len, size_t i, size_t floor)
{
    for (;;) {
        i = utf8_prev1(s, i);
        ucs4_t uc;
        if (i <= floor || (uint8_t)s[i] < 0x80)
            return i;
        utf8_char_at(s, len, i, &uc);
        if (uc_combining_class(uc) == 0)
            return i;
    }
}

typedef size_t capv[2];

/* Matches segment sg at v[pos..]; returns its end or NOPOS. */
static size_t seg_fwd(const mpat *p, const mseg *sg, rt_str v, size_t pos, bool u8, capv *cap)
{
    for (uint32_t i = 0; i < sg->nitems; i++) {
        const mitem *it = &p->items[sg->item0 + i];
        if (it->kind == MI_LIT) {
            if (v.len - pos < it->len || memcmp(v.p + pos, p->lits + it->off, it->len) != 0)
                return NOPOS;
            pos += it->len;
            continue;
        }
        for (uint32_t j = 0; j < it->len; j++) {
            if (pos >= v.len)
                return NOPOS;
            size_t s = pos;
            pos = u8 ? utf8_next(v.p, v.len, pos) : pos + 1;
            if (cap && it->var0 + j < RT_MATCH_MAX_VARS) {
                cap[it->var0 + j][0] = s;
                cap[it->var0 + j][1] = pos;
            }
        }
    }
    return pos;
}

/* Matches segment sg so that it ends at v[end]; returns its start or NOPOS
 * (never before `floor`). */
static size_t seg_bwd(const mpat *p, const mseg *sg, rt_str v, size_t end, size_t floor,
                      bool u8, capv *cap)
{
    size_t pos = end;
    for (uint32_t i = sg->nitems; i-- > 0;) {
        const mitem *it = &p->items[sg->item0 + i];
        if (it->kind == MI_LIT) {
            if (pos - floor < it->len || memcmp(v.p + pos - it->len, p->lits + it->off, it->len) != 0)
                return NOPOS;
            pos -= it->len;
            continue;
        }
        for (uint32_t j = it->len; j-- > 0;) {
            if (pos <= floor)
                return NOPOS;
            size_t e = pos;
            pos = u8 ? utf8_prev(v.p, v.len, pos, floor) : pos - 1;
            if (pos < floor)
                return NOPOS;
            if (cap && it->var0 + j < RT_MATCH_MAX_VARS) {
                cap[it->var0 + j][0] = pos;
                cap[it->var0 + j][1] = e;
            }
        }
    }
    return pos;
}

/* RFC 5228 2.7.1 with RFC 5229 3.2's "wildcards match as little as
 * possible": the first segment is anchored at the start, the last at the
 * end, each middle segment takes its leftmost fit between them. Leftmost
 * fits are also the only placement that has to be tried: a segment placed
 * earlier leaves every later segment at least as much room, so there is no
 * backtracking and the cost is O(len(v) * len(pattern)). */
static bool pat_match(const mpat *p, rt_str v, bool u8, capv *cap)
{
    switch (p->shape) {
    case PS_EXACT:
        if (!cap)
            return v.len == p->lit.len && memcmp(v.p, p->lit.p, v.len) == 0;
        break;
    case PS_ALL:
        if (!cap)
            return true;
        break;
    case PS_PREFIX:
        if (!cap)
            return v.len >= p->lit.len && memcmp(v.p, p->lit.p, p->lit.len) == 0;
        break;
    case PS_SUFFIX:
        if (!cap)
            return v.len >= p->lit.len &&
                   memcmp(v.p + v.len - p->lit.len, p->lit.p, p->lit.len) == 0;
        break;
    case PS_CONTAINS:
        if (!cap)
            return memmem(v.p, v.len, p->lit.p, p->lit.len) != NULL;
        break;
    case PS_GENERAL:
        break;
    }
    const mseg *segs = p->segs;
    size_t pos = seg_fwd(p, &segs[0], v, 0, u8, cap);
    if (pos == NOPOS)
        return false;
    if (p->nsegs == 1)
        return pos == v.len;
    const mseg *last = &segs[p->nsegs - 1];
    size_t tail = seg_bwd(p, last, v, v.len, pos, u8, cap);
    if (tail == NOPOS)
        return false;
    rt_str win = rt_str_make(v.p, tail);
    for (uint32_t s = 1; s + 1 < p->nsegs; s++) {
        const mseg *sg = &segs[s];
        const mitem *first = sg->nitems ? &p->items[sg->item0] : NULL;
        size_t q = pos, e = NOPOS;
        for (;;) {
            if (first && first->kind == MI_LIT) {
                const char *f = memmem(v.p + q, tail - q, p->lits + first->off, first->len);
                if (!f)
                    return false;
                q = (size_t)(f - v.p);
            }
            e = seg_fwd(p, sg, win, q, u8, cap);
            if (e != NOPOS)
                break;
            if (q >= tail)
                return false;
            q = u8 ? utf8_next(v.p, tail, q) : q + 1;
        }
        if (cap && sg->star_var < RT_MATCH_MAX_VARS) {
            cap[sg->star_var][0] = pos;
            cap[sg->star_var][1] = q;
        }
        pos = e;
    }
    if (cap && last->star_var < RT_MATCH_MAX_VARS) {
        cap[last->star_var][0] = pos;
        cap[last->star_var][1] = tail;
    }
    return true;
}

/* Folds value for i;unicode-casemap while recording, for each folded byte,
 * the offset of the value character it came from, so that captures found
 * in the folded text can be cut from the original value. */
static bool fold_with_map(rt_arena *a, rt_str value, rt_str *fv_r, uint32_t **map_r)
{
    size_t cap = value.len * 2 + RT_CMP_UNI_MAX_EXPANSION;
    uint8_t *buf = rt_arena_alloc(a, cap);
    uint32_t *map = rt_arena_alloc(a, (cap + 1) * sizeof *map);
    if (!buf || !map)
        return false;
    const uint8_t *s = (const uint8_t *)value.p;
    size_t w = 0;
    for (size_t i = 0; i < value.len;) {
        if (cap - w < RT_CMP_UNI_MAX_EXPANSION) {
            size_t ncap = cap * 2;
            uint8_t *nb = rt_arena_alloc(a, ncap);
            uint32_t *nm = rt_arena_alloc(a, (ncap + 1) * sizeof *nm);
            if (!nb || !nm)
                return false;
            memcpy(nb, buf, w);
            memcpy(nm, map, w * sizeof *map);
            buf = nb;
            map = nm;
            cap = ncap;
        }
        ucs4_t uc;
        int n = 1;
        if (s[i] < 0x80)
            uc = s[i];
        else if ((n = u8_mbtouc(&uc, s + i, value.len - i)) <= 0)
            n = 1;
        size_t k = rt_cmp_uni_fold_char(uc, buf + w);
        for (size_t j = 0; j < k; j++)
            map[w + j] = (uint32_t)i;
        w += k;
        i += (size_t)n;
    }
    map[w] = (uint32_t)value.len;
    *fv_r = rt_str_make((const char *)buf, w);
    *map_r = map;
    return true;
}

static bool has_high(rt_str v)
{
    for (size_t i = 0; i < v.len; i++)
        if ((uint8_t)v.p[i] >= 0x80)
            return true;
    return false;
}

/* Fills vars from folded-text capture offsets. */
static bool set_match_vars(const rt_match_keys *k, const mpat *p, rt_arena *a, rt_str value,
                           rt_str fv, capv *cap, rt_match_vars *vars)
{
    uint32_t *map = NULL;
    if (k->cmp == RT_CMP_UNICODE_CASEMAP && has_high(value)) {
        rt_str fv2;
        if (!fold_with_map(a, value, &fv2, &map))
            return false;
        /* Same folding, char by char: offsets agree unless the arena ran
         * short earlier; guard anyway. */
        if (fv2.len != fv.len)
            map = NULL;
    }
    size_t n = p->nvars + 1;
    if (n > RT_MATCH_MAX_VARS)
        n = RT_MATCH_MAX_VARS;
    vars->v[0] = value;
    for (size_t i = 1; i < n; i++) {
        size_t s = cap[i][0], e = cap[i][1];
        if (map) {
            s = map[s];
            e = map[e];
        }
        if (s > value.len || e > value.len || e < s)
            s = e = 0;
        vars->v[i] = rt_str_make(value.p + s, e - s);
    }
    vars->n = n;
    return true;
}

/* ---- key lists ---- */

rt_match_keys *rt_match_keys_new(rt_arena *a, rt_match_type type, rt_cmp_id cmp, rt_rel rel,
                                 const rt_str *keys, size_t nkeys, char *err, size_t errsize)
{
    if ((type == RT_MATCH_CONTAINS || type == RT_MATCH_MATCHES) && !rt_cmp_has_substring(cmp)) {
        set_err(err, errsize, "comparator i;ascii-numeric does not support substring matching");
        return NULL;
    }
    if (type == RT_MATCH_REGEX && cmp != RT_CMP_OCTET && cmp != RT_CMP_ASCII_CASEMAP) {
        set_err(err, errsize, ":regex supports only the i;octet and i;ascii-casemap comparators");
        return NULL;
    }
    rt_match_keys *k = rt_arena_alloc(a, sizeof *k);
    mkey *mk = rt_arena_alloc(a, (nkeys ? nkeys : 1) * sizeof *mk);
    if (!k || !mk) {
        set_err(err, errsize, "out of memory");
        return NULL;
    }
    k->type = type;
    k->cmp = cmp;
    k->rel = rel;
    k->n = 0;
    k->keys = mk;
    k->nvars = 0;
    memset(mk, 0, (nkeys ? nkeys : 1) * sizeof *mk);
    for (size_t i = 0; i < nkeys; i++) {
        mkey *m = &mk[i];
        if (type == RT_MATCH_MATCHES) {
            m->pat = pat_compile(a, cmp, keys[i]);
            if (!m->pat) {
                set_err(err, errsize, "out of memory");
                goto fail;
            }
            size_t nv = (size_t)m->pat->nvars + 1;
            if (nv > k->nvars)
                k->nvars = nv > RT_MATCH_MAX_VARS ? RT_MATCH_MAX_VARS : nv;
        } else if (type == RT_MATCH_REGEX) {
            m->re = rt_regex_compile(keys[i].p, keys[i].len,
                                     cmp == RT_CMP_ASCII_CASEMAP ? RT_REGEX_ICASE : 0, err, errsize);
            if (!m->re)
                goto fail;
            size_t nv = rt_regex_ngroups(m->re) + 1;
            if (nv > k->nvars)
                k->nvars = nv > RT_MATCH_MAX_VARS ? RT_MATCH_MAX_VARS : nv;
        } else if (!rt_cmp_key_prepare(a, cmp, keys[i], &m->k)) {
            set_err(err, errsize, "out of memory");
            goto fail;
        } else {
            m->anchor = rt_textsearch_anchor(m->k.s.p, m->k.s.len);
        }
        k->n = i + 1;
    }
    return k;
fail:
    for (size_t i = 0; i < nkeys; i++)
        rt_regex_free(&mk[i].re);
    return NULL;
}

void rt_match_keys_free(rt_match_keys **k_r)
{
    rt_match_keys *k = *k_r;
    if (!k)
        return;
    if (k->type == RT_MATCH_REGEX)
        for (size_t i = 0; i < k->n; i++)
            rt_regex_free(&k->keys[i].re);
    *k_r = NULL;
}

rt_match_type rt_match_keys_type(const rt_match_keys *k)
{
    return k->type;
}

size_t rt_match_keys_nvars(const rt_match_keys *k)
{
    return k->nvars;
}

rt_match_result rt_match_value(const rt_match_keys *k, rt_arena *a, rt_str value,
                               rt_match_vars *vars_r)
{
    if (!value.p)
        value = rt_str_make("", 0);
    if (k->type == RT_MATCH_REGEX) {
        for (size_t i = 0; i < k->n; i++) {
            rt_str caps[RT_MATCH_MAX_VARS];
            size_t nset = 0;
            int rc = rt_regex_exec(k->keys[i].re, value, vars_r ? caps : NULL,
                                   vars_r ? RT_MATCH_MAX_VARS : 0, &nset);
            if (rc < 0)
                return RT_MATCH_ERROR;
            if (rc > 0) {
                if (vars_r) {
                    memcpy(vars_r->v, caps, nset * sizeof caps[0]);
                    vars_r->n = nset;
                }
                return RT_MATCH_YES;
            }
        }
        return RT_MATCH_NO;
    }
    if (k->type == RT_MATCH_COUNT)
        return RT_MATCH_ERROR;
    if (k->n == 0)
        return RT_MATCH_NO;
    if (k->type == RT_MATCH_CONTAINS && k->cmp == RT_CMP_ASCII_CASEMAP) {
        /* Searching the value as it is saves folding a copy of it (a whole
         * body for `body :contains`). */
        for (size_t i = 0; i < k->n; i++) {
            rt_str key = k->keys[i].k.s;
            if (rt_textsearch_icase(value.p, value.len, key.p, key.len, k->keys[i].anchor))
                return RT_MATCH_YES;
        }
        return RT_MATCH_NO;
    }
    rt_cmp_key fv;
    if (!rt_cmp_fold(a, k->cmp, value, &fv))
        return RT_MATCH_ERROR;
    bool u8 = k->cmp == RT_CMP_UNICODE_CASEMAP;
    for (size_t i = 0; i < k->n; i++) {
        const mkey *m = &k->keys[i];
        switch (k->type) {
        case RT_MATCH_IS:
            if (rt_cmp_equal(k->cmp, &fv, &m->k))
                return RT_MATCH_YES;
            break;
        case RT_MATCH_CONTAINS:
            if (rt_cmp_contains(k->cmp, &fv, &m->k))
                return RT_MATCH_YES;
            break;
        case RT_MATCH_VALUE:
            if (rel_holds(k->rel, rt_cmp_order(k->cmp, &fv, &m->k)))
                return RT_MATCH_YES;
            break;
        case RT_MATCH_MATCHES: {
            if (!vars_r) {
                if (pat_match(m->pat, fv.s, u8, NULL))
                    return RT_MATCH_YES;
                break;
            }
            capv cap[RT_MATCH_MAX_VARS];
            memset(cap, 0, sizeof cap);
            if (pat_match(m->pat, fv.s, u8, cap)) {
                if (!set_match_vars(k, m->pat, a, value, fv.s, cap, vars_r))
                    return RT_MATCH_ERROR;
                return RT_MATCH_YES;
            }
            break;
        }
        default:
            return RT_MATCH_ERROR;
        }
    }
    return RT_MATCH_NO;
}

rt_match_result rt_match_count(const rt_match_keys *k, rt_arena *a, size_t count)
{
    char buf[24];
    int n = snprintf(buf, sizeof buf, "%zu", count);
    rt_cmp_key fv;
    /* Digits fold to themselves under every comparator, so fv aliases buf,
     * which lives as long as this call needs it. */
    if (!rt_cmp_fold(a, k->cmp, rt_str_make(buf, (size_t)n), &fv))
        return RT_MATCH_ERROR;
    for (size_t i = 0; i < k->n; i++)
        if (rel_holds(k->rel, rt_cmp_order(k->cmp, &fv, &k->keys[i].k)))
            return RT_MATCH_YES;
    return RT_MATCH_NO;
}

rt_match_result rt_match_once(rt_arena *a, rt_match_type type, rt_cmp_id cmp, rt_rel rel,
                              rt_str value, rt_str key, rt_match_vars *vars_r)
{
    rt_match_keys *k = rt_match_keys_new(a, type, cmp, rel, &key, 1, NULL, 0);
    if (!k)
        return RT_MATCH_ERROR;
    rt_match_result r = type == RT_MATCH_COUNT ? RT_MATCH_ERROR : rt_match_value(k, a, value, vars_r);
    rt_match_keys_free(&k);
    return r;
}

bool rt_match_quote_wildcard(rt_arena *a, rt_str in, rt_str *out_r)
{
    rt_buf b;
    rt_buf_init(&b, a);
    for (size_t i = 0; i < in.len; i++) {
        char c = in.p[i];
        if (c == '*' || c == '?' || c == '\\')
            rt_buf_putc(&b, '\\');
        rt_buf_putc(&b, c);
    }
    *out_r = rt_buf_str(&b);
    return !b.failed;
}
