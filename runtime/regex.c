#define _GNU_SOURCE 1   /* memmem */
#include "regex.h"
#include "regex_prefilter.h"
#include "textsearch.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <tre/tre.h>

struct rt_regex {
    regex_t re;
    rt_prefilter pf;   /* literals every match contains */
    bool by_line;      /* no match spans a line end: match line by line */
};

/* ---- line-local patterns --------------------------------------------- */

/* POSIX classes without the line end ([:space:], [:cntrl:], [:print:] and
 * [:blank:] are left out, the first two hold it and the others are not
 * needed to be sure). */
static bool class_without_lf(const char *p, size_t n)
{
    static const char *const ok[] = { "alpha", "digit", "alnum", "upper", "lower", "xdigit",
                                      "punct" };
    for (size_t k = 0; k < sizeof ok / sizeof ok[0]; k++)
        if (strlen(ok[k]) == n && memcmp(ok[k], p, n) == 0)
            return true;
    return false;
}

/* Whether no text a pattern matches can contain a line feed, and matching
 * does not depend on what comes before or after the match (no anchors, no
 * assertions): then a match lies inside one line, and matching each line
 * alone finds the same leftmost match as matching the whole value. The
 * pattern was accepted by TRE. Conservative: "." (one octet, LF included),
 * negated or collating bracket items, escaped letters (\w \s \b \n, ...),
 * "^", "$", "(?" and anything unknown answer false. */
static bool line_local(const char *p, size_t len)
{
    for (size_t i = 0; i < len; i++) {
        unsigned char c = (unsigned char)p[i];
        switch (c) {
        case '.': case '^': case '$': case '\n':
            return false;
        case '\\':
            if (i + 1 >= len)
                return false;
            c = (unsigned char)p[++i];
            if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                c == '\n' || c >= 0x80)
                return false;
            break;
        case '(':
            if (i + 1 < len && p[i + 1] == '?')
                return false;
            break;
        case '{':
            while (i < len && p[i] != '}')
                i++;
            break;
        case '[': {
            size_t j = i + 1;
            if (j < len && p[j] == '^')
                return false;
            bool first = true;
            for (;;) {
                if (j >= len)
                    return false;
                unsigned char m = (unsigned char)p[j];
                if (m == ']' && !first)
                    break;
                first = false;
                if (m == '[' && j + 1 < len && (p[j + 1] == '.' || p[j + 1] == '='))
                    return false;
                if (m == '[' && j + 1 < len && p[j + 1] == ':') {
                    const char *e = memchr(p + j + 2, ':', len - j - 2);
                    if (!e || (size_t)(e - p) + 1 >= len || e[1] != ']' ||
                        !class_without_lf(p + j + 2, (size_t)(e - (p + j + 2))))
                        return false;
                    j = (size_t)(e - p) + 2;
                    continue;
                }
                if (m == '\\' || m == '\n')
                    return false;
                if (j + 2 < len && p[j + 1] == '-' && p[j + 2] != ']') {
                    unsigned char hi = (unsigned char)p[j + 2];
                    if (hi == '[' || hi == '\\' || (m <= '\n' && hi >= '\n'))
                        return false;
                    j += 3;
                    continue;
                }
                j++;
            }
            i = j;
            break;
        }
        default:
            break;
        }
    }
    return true;
}

static void set_err(char *err, size_t errsize, const char *msg)
{
    if (err && errsize)
        snprintf(err, errsize, "%s", msg);
}

/* Saturating arithmetic for the expansion estimate. */
static size_t sat_add(size_t a, size_t b)
{
    return a + b < a || a + b > RT_REGEX_MAX_EXPANSION * 2 ? RT_REGEX_MAX_EXPANSION * 2 : a + b;
}
static size_t sat_mul(size_t a, size_t b)
{
    if (a && b > (RT_REGEX_MAX_EXPANSION * 2) / a)
        return RT_REGEX_MAX_EXPANSION * 2;
    return a * b;
}

/* Scans the pattern before TRE sees it: refuses back-references and
 * approximate matching, and estimates the size of the automaton after TRE
 * expands bounded repetitions (each {m,n} copies its atom n times). */
static bool prescan(const char *p, size_t len, char *err, size_t errsize)
{
    enum { DEPTH = 64 };
    struct frame {
        size_t total, last;
    } st[DEPTH], cur = { 0, 0 };
    size_t depth = 0;
    for (size_t i = 0; i < len;) {
        char c = p[i];
        switch (c) {
        case '\\':
            if (i + 1 < len && p[i + 1] >= '1' && p[i + 1] <= '9') {
                set_err(err, errsize, "back-references are not supported in :regex patterns");
                return false;
            }
            cur.last = 1;
            cur.total = sat_add(cur.total, 1);
            i += 2;
            break;
        case '[':
            i = rt_ere_skip_bracket(p, len, i);
            cur.last = 1;
            cur.total = sat_add(cur.total, 1);
            break;
        case '(':
            if (depth == DEPTH) {
                set_err(err, errsize, ":regex pattern nests groups too deeply");
                return false;
            }
            st[depth++] = cur;
            cur.total = cur.last = 0;
            i++;
            break;
        case ')':
            if (depth > 0) {
                size_t g = sat_add(cur.total, 1);
                cur = st[--depth];
                cur.last = g;
                cur.total = sat_add(cur.total, g);
            } else {
                /* glibc refuses it too; TRE 0.8.0 loops forever on a
                 * backslash, a backslash, then an unmatched ")". */
                set_err(err, errsize, "invalid :regex pattern: unmatched ')'");
                return false;
            }
            i++;
            break;
        case '|':
            cur.last = 0;
            i++;
            break;
        case '*':
        case '+':
        case '?':
            cur.total = sat_add(cur.total, cur.last);
            i++;
            break;
        case '{': {
            size_t j = i + 1, lo = 0, hi = 0;
            bool have_hi = false, comma = false;
            if (j < len && p[j] == '~') {
                set_err(err, errsize, "approximate matching is not supported in :regex patterns");
                return false;
            }
            while (j < len && p[j] >= '0' && p[j] <= '9') {
                lo = lo < 100000 ? lo * 10 + (size_t)(p[j] - '0') : lo;
                j++;
            }
            if (j < len && p[j] == ',') {
                comma = true;
                j++;
                while (j < len && p[j] >= '0' && p[j] <= '9') {
                    hi = hi < 100000 ? hi * 10 + (size_t)(p[j] - '0') : hi;
                    have_hi = true;
                    j++;
                }
            }
            if (j < len && p[j] != '}') {
                /* TRE's extended bound syntax ({m,n cost}, weights) is
                 * approximate matching. */
                set_err(err, errsize, "unsupported repetition bound in :regex pattern");
                return false;
            }
            size_t k = have_hi ? hi : comma ? lo + 1 : lo;
            if (k < 1)
                k = 1;
            size_t grown = sat_mul(cur.last, k);
            cur.total = sat_add(cur.total, grown - (cur.last < grown ? cur.last : grown));
            cur.last = grown;
            i = j + 1;
            break;
        }
        default:
            cur.last = 1;
            cur.total = sat_add(cur.total, 1);
            i++;
            break;
        }
        if (cur.total > RT_REGEX_MAX_EXPANSION) {
            set_err(err, errsize, ":regex pattern expands too much (bounded repetitions)");
            return false;
        }
    }
    /* Unclosed groups count as closed for the estimate; TRE reports them. */
    while (depth > 0) {
        size_t g = cur.total;
        cur = st[--depth];
        cur.total = sat_add(cur.total, g);
    }
    if (cur.total > RT_REGEX_MAX_EXPANSION) {
        set_err(err, errsize, ":regex pattern expands too much (bounded repetitions)");
        return false;
    }
    return true;
}

rt_regex *rt_regex_compile(const char *pattern, size_t len, int flags, char *err, size_t errsize)
{
    if (len > RT_REGEX_MAX_LEN) {
        set_err(err, errsize, ":regex pattern too long");
        return NULL;
    }
    if (!prescan(pattern, len, err, errsize))
        return NULL;
    rt_regex *r = malloc(sizeof *r);
    if (!r) {
        set_err(err, errsize, "out of memory");
        return NULL;
    }
    int cflags = REG_EXTENDED | ((flags & RT_REGEX_ICASE) ? REG_ICASE : 0);
    int rc = tre_regncomp(&r->re, pattern, len, cflags);
    if (rc != REG_OK) {
        if (err && errsize) {
            char buf[128];
            tre_regerror(rc, NULL, buf, sizeof buf);
            snprintf(err, errsize, "invalid :regex pattern: %s", buf);
        }
        free(r);
        return NULL;
    }
    if (tre_have_backrefs(&r->re) || tre_have_approx(&r->re)) {
        set_err(err, errsize, "back-references and approximate matching are not supported in :regex patterns");
        tre_regfree(&r->re);
        free(r);
        return NULL;
    }
    rt_prefilter_build(&r->pf, pattern, len, flags & RT_REGEX_ICASE);
    r->by_line = r->pf.active && line_local(pattern, len);
    return r;
}

void rt_regex_free(rt_regex **re_r)
{
    if (!*re_r)
        return;
    tre_regfree(&(*re_r)->re);
    free(*re_r);
    *re_r = NULL;
}

size_t rt_regex_ngroups(const rt_regex *re)
{
    return re->re.re_nsub;
}

/* First occurrence of prefilter literal k in text[from..n), or n. */
static size_t lit_find(const rt_prefilter *pf, unsigned k, const char *text, size_t n,
                       size_t from)
{
    const char *h = pf->icase
                        ? rt_textsearch_icase_find(text + from, n - from, pf->lit[k], pf->len[k],
                                                   pf->anchor[k])
                        : memmem(text + from, n - from, pf->lit[k], pf->len[k]);
    return h ? (size_t)(h - text) : n;
}

/* Matches a line-local pattern (re->by_line) line by line, only on the
 * lines holding one of the prefilter's literals (every match holds one, and
 * lies inside one line). TRE costs tens of nanoseconds per byte, so a long
 * body where "bug" occurs on three lines is matched on those three lines.
 * The first line with a match has the leftmost match of the value, and the
 * same one: nothing in the pattern looks outside the match. */
static int exec_by_line(const rt_regex *re, rt_str value, size_t want, regmatch_t *m,
                        size_t *base_r)
{
    const rt_prefilter *pf = &re->pf;
    const char *t = value.p;
    size_t n = value.len, next[RT_PREFILTER_MAX];
    for (unsigned k = 0; k < pf->n; k++)
        next[k] = lit_find(pf, k, t, n, 0);
    size_t pos = 0;
    for (;;) {
        size_t q = n;
        for (unsigned k = 0; k < pf->n; k++)
            if (next[k] < q)
                q = next[k];
        if (q == n)
            return REG_NOMATCH;
        size_t ls = q;
        while (ls > pos && t[ls - 1] != '\n')
            ls--;
        const char *nl = memchr(t + q, '\n', n - q);
        size_t le = nl ? (size_t)(nl - t) : n;
        int rc = tre_regnexec(&re->re, t + ls, le - ls, want, want ? m : NULL, 0);
        if (rc != REG_NOMATCH) {
            *base_r = ls;
            return rc;
        }
        if (le == n)
            return REG_NOMATCH;
        pos = le + 1;
        for (unsigned k = 0; k < pf->n; k++)
            if (next[k] < pos)
                next[k] = lit_find(pf, k, t, n, pos);
    }
}

int rt_regex_exec(const rt_regex *re, rt_str value, rt_str *caps, size_t ncaps, size_t *nset_r)
{
    regmatch_t m[33];
    size_t want = 0;
    if (caps && ncaps) {
        want = re->re.re_nsub + 1;
        if (want > ncaps)
            want = ncaps;
        if (want > sizeof m / sizeof m[0])
            want = sizeof m / sizeof m[0];
    }
    size_t base = 0;   /* where the text TRE matched starts in value */
    int rc;
    if (re->by_line && value.p) {
        rc = exec_by_line(re, value, want, m, &base);
    } else {
        if (!rt_prefilter_may_match(&re->pf, value))
            return 0;
        rc = tre_regnexec(&re->re, value.p ? value.p : "", value.len, want, want ? m : NULL, 0);
    }
    if (rc == REG_NOMATCH)
        return 0;
    if (rc != REG_OK)
        return -1;
    for (size_t i = 0; i < want; i++) {
        if (m[i].rm_so < 0 || m[i].rm_eo < m[i].rm_so || base + (size_t)m[i].rm_eo > value.len)
            caps[i] = rt_str_make(value.p, 0);
        else
            caps[i] = rt_str_make(value.p + base + m[i].rm_so, (size_t)(m[i].rm_eo - m[i].rm_so));
    }
    if (nset_r)
        *nset_r = want;
    return 1;
}

bool rt_regex_quote(rt_arena *a, rt_str in, rt_str *out_r)
{
    size_t extra = 0;
    for (size_t i = 0; i < in.len; i++)
        if (strchr("\\.[](){}*+?^$|", in.p[i]) && in.p[i])
            extra++;
    char *buf = rt_arena_alloc(a, in.len + extra + 1);
    if (!buf)
        return false;
    size_t w = 0;
    for (size_t i = 0; i < in.len; i++) {
        if (in.p[i] && strchr("\\.[](){}*+?^$|", in.p[i]))
            buf[w++] = '\\';
        buf[w++] = in.p[i];
    }
    buf[w] = '\0';
    *out_r = rt_str_make(buf, w);
    return true;
}
