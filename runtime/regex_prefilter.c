#define _GNU_SOURCE
#include "regex_prefilter.h"
#include "textsearch.h"

#include <string.h>

#define MAX_DEPTH 64

/* A set of literals. As an "exact" set: the node matches exactly one of
 * them. As a "must" set: every match contains one of them; any = no
 * constraint. */
typedef struct lset {
    bool any;
    uint8_t n;
    uint8_t len[RT_PREFILTER_MAX];
    char s[RT_PREFILTER_MAX][RT_PREFILTER_LEN];
} lset;

typedef struct info {
    bool exact_ok;
    lset exact;
    lset must;
} info;

typedef struct parser {
    const char *p;
    size_t len, i;
    unsigned anchors;   /* "^" and "$" read so far */
    bool icase, bad;
} parser;

static bool lset_has(const lset *s, const char *str, size_t len)
{
    for (unsigned k = 0; k < s->n; k++)
        if (s->len[k] == len && memcmp(s->s[k], str, len) == 0)
            return true;
    return false;
}

/* Adds str unless present; false when the set is full or str too long. */
static bool lset_add(lset *s, const char *str, size_t len)
{
    if (lset_has(s, str, len))
        return true;
    if (s->n == RT_PREFILTER_MAX || len > RT_PREFILTER_LEN)
        return false;
    memcpy(s->s[s->n], str, len);
    s->len[s->n++] = (uint8_t)len;
    return true;
}

static info unknown(void)
{
    info r;
    r.exact_ok = false;
    r.exact.n = 0;
    r.must.any = true;
    r.must.n = 0;
    return r;
}

static info exact_of(const lset *s)
{
    info r = unknown();
    r.exact_ok = true;
    r.exact = *s;
    r.exact.any = false;
    return r;
}

static lset single(const char *str, size_t len)
{
    lset s = { .any = false, .n = 0 };
    lset_add(&s, str, len);
    return s;
}

/* An exact set read as a necessary set: a set holding "" says nothing. */
static lset must_of(const info *x)
{
    if (!x->exact_ok)
        return x->must;
    for (unsigned k = 0; k < x->exact.n; k++)
        if (x->exact.len[k] == 0)
            return (lset){ .any = true };
    if (x->exact.n == 0)
        return (lset){ .any = true };
    return x->exact;
}

/* The more selective of two necessary sets: longest shortest literal,
 * then fewer literals. */
static lset better(lset a, lset b)
{
    if (a.any)
        return b;
    if (b.any)
        return a;
    unsigned ma = RT_PREFILTER_LEN + 1, mb = RT_PREFILTER_LEN + 1;
    for (unsigned k = 0; k < a.n; k++)
        ma = a.len[k] < ma ? a.len[k] : ma;
    for (unsigned k = 0; k < b.n; k++)
        mb = b.len[k] < mb ? b.len[k] : mb;
    if (ma != mb)
        return ma > mb ? a : b;
    return a.n <= b.n ? a : b;
}

static bool cross(const lset *a, const lset *b, lset *out)
{
    out->any = false;
    out->n = 0;
    for (unsigned i = 0; i < a->n; i++)
        for (unsigned j = 0; j < b->n; j++) {
            size_t l = (size_t)a->len[i] + b->len[j];
            if (l > RT_PREFILTER_LEN)
                return false;
            char buf[RT_PREFILTER_LEN];
            memcpy(buf, a->s[i], a->len[i]);
            memcpy(buf + a->len[i], b->s[j], b->len[j]);
            if (!lset_add(out, buf, l))
                return false;
        }
    return true;
}

static bool merge(const lset *a, const lset *b, lset *out)
{
    *out = *a;
    for (unsigned j = 0; j < b->n; j++)
        if (!lset_add(out, b->s[j], b->len[j]))
            return false;
    return true;
}

static info alternation(const info *a, const info *b)
{
    lset u;
    if (a->exact_ok && b->exact_ok && merge(&a->exact, &b->exact, &u))
        return exact_of(&u);
    info r = unknown();
    lset ma = must_of(a), mb = must_of(b);
    if (!ma.any && !mb.any && merge(&ma, &mb, &u))
        r.must = u;
    return r;
}

size_t rt_ere_skip_bracket(const char *p, size_t len, size_t i)
{
    i++;
    if (i < len && p[i] == '^')
        i++;
    if (i < len && p[i] == ']')
        i++;
    while (i < len && p[i] != ']') {
        if (p[i] == '[' && i + 1 < len && (p[i + 1] == ':' || p[i + 1] == '.' || p[i + 1] == '=')) {
            char end = p[i + 1];
            i += 2;
            while (i + 1 < len && !(p[i] == end && p[i + 1] == ']'))
                i++;
            i += 2;
            continue;
        }
        i++;
    }
    return i < len ? i + 1 : len;
}

static info parse_alt(parser *ps, unsigned depth);

static info literal(parser *ps, unsigned char c)
{
    char ch = (char)(ps->icase ? rt_fold_ascii(c) : c);
    lset s = single(&ch, 1);
    return exact_of(&s);
}

static info parse_atom(parser *ps, unsigned depth)
{
    const char *p = ps->p;
    unsigned char c = (unsigned char)p[ps->i];
    switch (c) {
    case '(': {
        if (ps->i + 1 < ps->len && p[ps->i + 1] == '?') {
            ps->bad = true; /* TRE's (?flags) extension */
            return unknown();
        }
        if (depth + 1 > MAX_DEPTH) {
            ps->bad = true;
            return unknown();
        }
        ps->i++;
        info g = parse_alt(ps, depth + 1);
        if (ps->i >= ps->len || p[ps->i] != ')')
            ps->bad = true;
        else
            ps->i++;
        return g;
    }
    case '[':
        ps->i = rt_ere_skip_bracket(p, ps->len, ps->i);
        return unknown();
    case '\\':
        if (ps->i + 1 >= ps->len) {
            ps->bad = true;
            return unknown();
        }
        c = (unsigned char)p[ps->i + 1];
        ps->i += 2;
        /* \w, \d, \<, \b... are TRE classes and assertions, not letters. */
        if ((c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
            c == '<' || c == '>' || c == '`' || c == '\'')
            return unknown();
        return literal(ps, c);
    case '^':
    case '$':
        ps->anchors++;
        ps->i++;
        return unknown();
    case '.':
        ps->i++;
        return unknown();
    case '*':
    case '+':
    case '?':
    case '{':
        ps->bad = true; /* a repetition with nothing to repeat */
        return unknown();
    default:
        ps->i++;
        return literal(ps, c);
    }
}

/* Reads a bound "{m}", "{m,}" or "{m,n}" at ps->i; min_r gets m. */
static bool parse_bound(parser *ps, unsigned long *min_r)
{
    size_t j = ps->i + 1;
    unsigned long lo = 0;
    bool digits = false;
    while (j < ps->len && ps->p[j] >= '0' && ps->p[j] <= '9') {
        lo = lo < 100000 ? lo * 10 + (unsigned long)(ps->p[j] - '0') : lo;
        digits = true;
        j++;
    }
    if (j < ps->len && ps->p[j] == ',') {
        j++;
        while (j < ps->len && ps->p[j] >= '0' && ps->p[j] <= '9')
            j++;
    }
    if (!digits || j >= ps->len || ps->p[j] != '}')
        return false;
    ps->i = j + 1;
    *min_r = lo;
    return true;
}

static info quantified(parser *ps, info a)
{
    while (ps->i < ps->len && !ps->bad) {
        char q = ps->p[ps->i];
        unsigned long min;
        if (q == '*' || q == '+' || q == '?') {
            ps->i++;
            min = q == '+' ? 1 : 0;
        } else if (q == '{') {
            if (!parse_bound(ps, &min)) {
                ps->bad = true;
                break;
            }
        } else {
            break;
        }
        if (q == '?' && a.exact_ok) {
            lset e = single("", 0), u;
            a = merge(&a.exact, &e, &u) ? exact_of(&u) : unknown();
        } else if (min == 0) {
            a = unknown();
        } else {
            info r = unknown();
            r.must = must_of(&a);
            a = r;
        }
    }
    return a;
}

static info parse_concat(parser *ps, unsigned depth)
{
    lset run = single("", 0);
    lset best = { .any = true };
    bool whole_exact = true;
    while (ps->i < ps->len && !ps->bad && ps->p[ps->i] != '|' && ps->p[ps->i] != ')') {
        unsigned anchors = ps->anchors;
        info a = parse_atom(ps, depth);
        /* TRE mismatches repeated or optional assertions ("(x$?){2}"
         * matches text without x): keep TRE's answer, whatever it is. */
        if (ps->anchors != anchors && ps->i < ps->len && strchr("*+?{", ps->p[ps->i])) {
            ps->bad = true;
            break;
        }
        bool atom_exact = a.exact_ok;
        lset atom = a.exact;
        a = quantified(ps, a);
        lset joined;
        if (atom_exact && !a.exact_ok && !a.must.any) {
            /* x+ or x{n,}: one or more x, so the text starts and ends with
             * one of x's strings: "ab+c" needs "ab" and "bc". */
            whole_exact = false;
            info r = exact_of(&run);
            if (cross(&run, &atom, &joined))
                r = exact_of(&joined);
            best = better(best, must_of(&r));
            run = atom;
            continue;
        }
        if (a.exact_ok && cross(&run, &a.exact, &joined)) {
            run = joined;
            continue;
        }
        whole_exact = false;
        info r = exact_of(&run);
        best = better(best, must_of(&r));
        if (a.exact_ok) {
            run = a.exact;
        } else {
            best = better(best, a.must);
            run = single("", 0);
        }
    }
    if (whole_exact)
        return exact_of(&run);
    info r = exact_of(&run), out = unknown();
    out.must = better(best, must_of(&r));
    return out;
}

static info parse_alt(parser *ps, unsigned depth)
{
    info r = parse_concat(ps, depth);
    while (!ps->bad && ps->i < ps->len && ps->p[ps->i] == '|') {
        ps->i++;
        info b = parse_concat(ps, depth);
        r = alternation(&r, &b);
    }
    return r;
}

/* Finds literal k: memmem for exact case, else the folded search. */
static bool contains(const rt_prefilter *pf, unsigned k, const char *hay, size_t n)
{
    if (!pf->icase)
        return memmem(hay, n, pf->lit[k], pf->len[k]) != NULL;
    return rt_textsearch_icase(hay, n, pf->lit[k], pf->len[k], pf->anchor[k]);
}

void rt_prefilter_build(rt_prefilter *pf, const char *pattern, size_t len, bool icase)
{
    memset(pf, 0, sizeof *pf);
    parser ps = { .p = pattern, .len = len, .i = 0, .anchors = 0, .icase = icase, .bad = false };
    info root = parse_alt(&ps, 0);
    if (ps.bad || ps.i != len)
        return;
    lset m = must_of(&root);
    if (m.any || m.n == 0)
        return;
    for (unsigned k = 0; k < m.n; k++)
        if (m.len[k] == 0)
            return;
    pf->active = true;
    pf->icase = icase;
    pf->n = m.n;
    memcpy(pf->len, m.len, sizeof pf->len);
    memcpy(pf->lit, m.s, sizeof pf->lit);
    for (unsigned k = 0; k < m.n; k++)
        pf->anchor[k] = (uint8_t)rt_textsearch_anchor(m.s[k], m.len[k]);
}

bool rt_prefilter_may_match(const rt_prefilter *pf, rt_str value)
{
    if (!pf->active)
        return true;
    if (!value.p)
        return false;
    for (unsigned k = 0; k < pf->n; k++)
        if (contains(pf, k, value.p, value.len))
            return true;
    return false;
}
