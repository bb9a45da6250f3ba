/* ext_spamtest: RFC 5235 at run time; contracts in ext_spamtest.h and
 * sieve/spamtest.h. */
#include "ext_spamtest.h"

#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "regex.h"
#include "sieve/spamtest.h"

enum { ST_SCORE, ST_STRLEN, ST_TEXT };
#define ST_TEXT_VALUES 11

/* One field reference: "Name" or "Name: regex". */
typedef struct st_field {
    char *name;            /* NULL: not set */
    rt_regex *re;
} st_field;

typedef struct st_conf {
    int type;
    st_field status, max_field;
    float max_value;       /* 0: not set */
    char *text[ST_TEXT_VALUES];
} st_conf;

struct sieve_spamtest_conf {
    st_conf spam, virus;
};

static void field_clear(st_field *f)
{
    free(f->name);
    f->name = NULL;
    rt_regex_free(&f->re);
}

static void conf_clear(st_conf *c)
{
    field_clear(&c->status);
    field_clear(&c->max_field);
    for (int i = 0; i < ST_TEXT_VALUES; i++) {
        free(c->text[i]);
        c->text[i] = NULL;
    }
    c->type = ST_SCORE;
    c->max_value = 0;
}

sieve_spamtest_conf *sieve_spamtest_conf_new(void)
{
    return calloc(1, sizeof(sieve_spamtest_conf));
}

void sieve_spamtest_conf_clear(sieve_spamtest_conf *c)
{
    if (!c)
        return;
    conf_clear(&c->spam);
    conf_clear(&c->virus);
}

void sieve_spamtest_conf_free(sieve_spamtest_conf **c_r)
{
    if (!*c_r)
        return;
    sieve_spamtest_conf_clear(*c_r);
    free(*c_r);
    *c_r = NULL;
}

/* The decimal value rounded to double (exactly, as strtod would, but
 * without the locale's decimal point), then to float: Pigeonhole computes
 * in single precision, and the results at the boundaries depend on it
 * (".29" of 1 is 29 percent, ".73" is 73). */
bool rt_spamtest_number(rt_str s, float *out_r)
{
    size_t i = 0;
    bool neg = false;
    if (i < s.len && (s.p[i] == '+' || s.p[i] == '-'))
        neg = s.p[i++] == '-';
    uint64_t mant = 0;
    unsigned digits = 0, frac = 0;
    bool point = false;
    for (; i < s.len; i++) {
        char c = s.p[i];
        if (c >= '0' && c <= '9') {
            /* 18 digits fit in 2^63 and keep the division below exact. */
            if (++digits > 18)
                return false;
            mant = mant * 10 + (uint64_t)(c - '0');
            frac += point;
        } else if ((c == '.' || c == ',') && !point) {
            point = true;
        } else {
            return false;
        }
    }
    if (digits == 0 || (point && frac == 0))
        return false;
    static const double pow10[] = { 1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9,
                                    1e10, 1e11, 1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18 };
    double v = (double)mant / pow10[frac];
    *out_r = (float)(neg ? -v : v);
    return true;
}

static int field_set(st_field *f, const char *value, char *err, size_t errlen)
{
    field_clear(f);
    if (!value || !*value)
        return 0;
    const char *colon = strchr(value, ':');
    size_t nlen = colon ? (size_t)(colon - value) : strlen(value);
    while (nlen && (value[nlen - 1] == ' ' || value[nlen - 1] == '\t'))
        nlen--;
    if (nlen == 0) {
        snprintf(err, errlen, "no header name in '%s'", value);
        return -1;
    }
    if (colon) {
        const char *re = colon + 1;
        while (*re == ' ' || *re == '\t')
            re++;
        if (*re) {
            char rerr[200];
            f->re = rt_regex_compile(re, strlen(re), 0, rerr, sizeof rerr);
            if (!f->re) {
                snprintf(err, errlen, "bad regular expression '%s': %s", re, rerr);
                return -1;
            }
        }
    }
    f->name = strndup(value, nlen);
    if (!f->name) {
        rt_regex_free(&f->re);
        snprintf(err, errlen, "out of memory");
        return -1;
    }
    return 0;
}

static const char *after(const char *name, const char *prefix)
{
    size_t n = strlen(prefix);
    return strncmp(name, prefix, n) == 0 ? name + n : NULL;
}

/* The test's settings and the rest of the name after "sieve_X_". */
static st_conf *conf_of(sieve_spamtest_conf *c, const char *name, const char **rest_r, int *max_text_r)
{
    const char *rest;
    if ((rest = after(name, "sieve_spamtest_"))) {
        *rest_r = rest;
        *max_text_r = 10;
        return c ? &c->spam : (st_conf *)1;
    }
    if ((rest = after(name, "sieve_virustest_"))) {
        *rest_r = rest;
        *max_text_r = 5;
        return c ? &c->virus : (st_conf *)1;
    }
    return NULL;
}

/* Newer Pigeonhole names: "score_max_value", "score_max_header",
 * "text_value/N"; the rest of the name in the older form. */
static const char *canonical(const char *rest, char *buf, size_t buflen)
{
    const char *t;
    if ((t = after(rest, "score_max_")) && (strcmp(t, "value") == 0 || strcmp(t, "header") == 0)) {
        snprintf(buf, buflen, "max_%s", t);
        return buf;
    }
    if ((t = after(rest, "text_value/"))) {
        snprintf(buf, buflen, "text_value%s", t);
        return buf;
    }
    return rest;
}

static int text_index(const char *rest, int max)
{
    const char *d = after(rest, "text_value");
    if (!d || !*d || strlen(d) > 2)
        return -1;
    char *end;
    long n = strtol(d, &end, 10);
    if (*end || n < 0 || n > max || d[0] < '0' || d[0] > '9')
        return -1;
    return (int)n;
}

bool sieve_spamtest_conf_known(const char *name)
{
    const char *rest;
    int max;
    char buf[64];
    if (!name || !conf_of(NULL, name, &rest, &max))
        return false;
    rest = canonical(rest, buf, sizeof buf);
    return strcmp(rest, "status_type") == 0 || strcmp(rest, "status_header") == 0 ||
           strcmp(rest, "max_header") == 0 || strcmp(rest, "max_value") == 0 ||
           text_index(rest, max) >= 0;
}

int sieve_spamtest_conf_set(sieve_spamtest_conf *c, const char *name, const char *value,
                            char *err, size_t errlen)
{
    const char *rest;
    int max;
    char buf[64];
    st_conf *sc = sieve_spamtest_conf_known(name) ? conf_of(c, name, &rest, &max) : NULL;
    if (!sc) {
        snprintf(err, errlen, "unknown setting '%s'", name ? name : "");
        return -1;
    }
    rest = canonical(rest, buf, sizeof buf);
    if (strcmp(rest, "status_type") == 0) {
        if (!value || strcmp(value, "score") == 0)
            sc->type = ST_SCORE;
        else if (strcmp(value, "strlen") == 0)
            sc->type = ST_STRLEN;
        else if (strcmp(value, "text") == 0)
            sc->type = ST_TEXT;
        else {
            snprintf(err, errlen, "%s: '%s' is not score, strlen or text", name, value);
            return -1;
        }
        return 0;
    }
    if (strcmp(rest, "status_header") == 0)
        return field_set(&sc->status, value, err, errlen);
    if (strcmp(rest, "max_header") == 0)
        return field_set(&sc->max_field, value, err, errlen);
    if (strcmp(rest, "max_value") == 0) {
        float v = 0;
        if (value && *value && (!rt_spamtest_number(rt_str_cstr(value), &v) || v <= 0)) {
            snprintf(err, errlen, "%s: '%s' is not a number above 0", name, value);
            return -1;
        }
        sc->max_value = v;
        return 0;
    }
    int i = text_index(rest, max);
    char *copy = value ? strdup(value) : NULL;
    if (value && !copy) {
        snprintf(err, errlen, "out of memory");
        return -1;
    }
    free(sc->text[i]);
    sc->text[i] = copy;
    return 0;
}

unsigned rt_spamtest_scale(float score, float max, bool virus, bool percent)
{
    float ratio = max > 0 ? score / max : 0;
    if (!(ratio > 0))       /* also NaN */
        ratio = 0;
    if (ratio > 1)
        ratio = 1;
    if (percent)
        return (unsigned)floorf(ratio * 100);
    return (unsigned)floorf(ratio * (float)(virus ? 4 : 9) + 1);
}

/* The value of a configured field: the first one of its name, through its
 * regex when it has one. False when absent or not matched. */
static bool field_value(rt_run *r, const st_field *f, rt_str *out_r)
{
    if (!f->name)
        return false;
    rt_hdr_iter it;
    rt_msg_hdr_iter_name(r->msg, f->name, strlen(f->name), &it);
    rt_hdr_field *hf = rt_hdr_iter_next(&it);
    rt_str v;
    if (!hf || !rt_hdr_value_utf8(r->msg, hf, &v))
        return false;
    if (!f->re) {
        *out_r = v;
        return true;
    }
    rt_str caps[2];
    size_t nset = 0;
    if (rt_regex_exec(f->re, v, caps, 2, &nset) != 1)
        return false;
    *out_r = nset > 1 ? caps[1] : caps[0];
    return true;
}

/* RFC 5235 3.1-3.3: the number the keys are compared with; 0 when the
 * message was not tested (or nothing is configured). */
static unsigned result_of(rt_run *r, const st_conf *c, bool virus, bool percent)
{
    rt_str v;
    if (!field_value(r, &c->status, &v))
        return 0;
    int maxtext = virus ? 5 : 10;
    if (c->type == ST_TEXT) {
        for (int i = 0; i <= maxtext; i++)
            if (c->text[i] && strlen(c->text[i]) == v.len && memcmp(c->text[i], v.p, v.len) == 0)
                return percent ? (unsigned)(i * (100 / maxtext)) : (unsigned)i;
        return 0;
    }
    float score, max = c->max_value;
    if (c->type == ST_STRLEN)
        score = (float)v.len;
    else if (!rt_spamtest_number(v, &score))
        return 0;
    rt_str mv;
    if (c->max_field.name) {
        if (!field_value(r, &c->max_field, &mv) || !rt_spamtest_number(mv, &max))
            return 0;
    }
    if (!(max > 0))
        return 0;
    return rt_spamtest_scale(score, max, virus, percent);
}

int32_t rt_spamtest_eval(rt_run *r, const rt_ptest *t)
{
    const uint32_t *rec = t->rec;
    bool virus = rec[SIEVE_TR_KIND] == SIEVE_TEST_VIRUSTEST;
    bool percent = !virus && (rec[SIEVE_TR_FLAGS] & SIEVE_TF_PERCENT);
    const sieve_spamtest_conf *conf = r->settings->spamtest;
    unsigned n = conf ? result_of(r, virus ? &conf->virus : &conf->spam, virus, percent) : 0;
    char *b = rt_arena_alloc(r->a, 4);
    if (!b)
        return rt_run_error(r, rec[SIEVE_TR_LINE], "out of memory for this message");
    int len = snprintf(b, 4, "%u", n > 100 ? 100 : n);
    rt_str v = rt_str_make(b, (size_t)len);
    return rt_test_match_values(r, t, &v, 1);
}
