/* ext_dsn: RFC 6009 at run time. Contract in ext_dsn.h. */
#include "ext_dsn.h"

#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "datetime.h"
#include "ext_vacation.h"

#define OOM "out of memory for this message"

static bool is_part(rt_str p, const char *name)
{
    return p.len == strlen(name) && strncasecmp(p.p, name, p.len) == 0;
}

/* n bytes of s, NUL-terminated, on the run's arena. */
static char *dupz(rt_run *r, const char *s, size_t n)
{
    char *p = rt_arena_alloc(r->a, n + 1);
    if (p) {
        memcpy(p, s, n);
        p[n] = '\0';
    }
    return p;
}

static bool dup_value(rt_run *r, const char *s, size_t n, rt_str *v_r)
{
    char *p = dupz(r, s, n);
    if (p)
        *v_r = rt_str_make(p, n);
    return p != NULL;
}

/* RFC 2852 4: "<by-time>;<by-mode>[T]", by-time an optionally signed
 * decimal of at most 9 digits, by-mode N or R. False when malformed. */
static bool parse_by(const char *s, int64_t *time_r, char *mode_r, bool *trace_r)
{
    size_t i = 0;
    bool neg = false;
    if (s[i] == '-' || s[i] == '+')
        neg = s[i++] == '-';
    size_t start = i;
    int64_t t = 0;
    while (s[i] >= '0' && s[i] <= '9' && i - start < 9)
        t = t * 10 + (s[i++] - '0');
    if (i == start || s[i] != ';')
        return false;
    i++;
    char m = s[i] >= 'a' && s[i] <= 'z' ? (char)(s[i] - 32) : s[i];
    if (m != 'N' && m != 'R')
        return false;
    i++;
    bool trace = false;
    if (s[i] == 'T' || s[i] == 't') {
        trace = true;
        i++;
    }
    if (s[i])
        return false;
    *time_r = neg ? -t : t;
    *mode_r = m;
    *trace_r = trace;
    return true;
}

int rt_dsn_envelope_part(rt_run *r, const uint32_t *rec, rt_str part, rt_str *v, bool *addr_r)
{
    const sieve_envelope *env = r->env;
    *addr_r = false;
    if (is_part(part, "notify")) {
        /* RFC 6009 example: envelope :count "eq" "notify" "1" counts the
         * keywords, so each is a value of its own. */
        const char *s = env->dsn_notify;
        if (!s || !*s)
            return 0;
        int n = 0;
        while (n < RT_DSN_MAX_VALUES) {
            const char *c = strchr(s, ',');
            size_t len = c ? (size_t)(c - s) : strlen(s);
            if (len && !dup_value(r, s, len, &v[n++]))
                return -1;
            if (!c)
                break;
            s = c + 1;
        }
        return n;
    }
    if (is_part(part, "orcpt")) {
        const char *o = env->orig_rcpt;
        if (!o || !*o)
            return 0;
        const char *semi = strchr(o, ';'), *at = strchr(o, '@');
        bool typed = semi && (!at || semi < at);
        if (rec[SIEVE_TR_ADDRPART] != SIEVE_AP_ALL) {
            /* Only an rfc822 address has local part and domain. */
            if (typed && !(semi - o == 6 && strncasecmp(o, "rfc822", 6) == 0))
                return 0;
            *addr_r = true;
            return dup_value(r, typed ? semi + 1 : o, strlen(typed ? semi + 1 : o), &v[0]) ? 1 : -1;
        }
        if (typed)
            return dup_value(r, o, strlen(o), &v[0]) ? 1 : -1;
        size_t n = strlen(o);
        char *p = rt_arena_alloc(r->a, n + 8);
        if (!p)
            return -1;
        memcpy(p, "rfc822;", 7);
        memcpy(p + 7, o, n + 1);
        v[0] = rt_str_make(p, n + 7);
        return 1;
    }
    int64_t by;
    char mode;
    bool trace;
    if (!env->deliver_by || !parse_by(env->deliver_by, &by, &mode, &trace))
        return 0;
    char buf[RT_DATEPART_MAX > 32 ? RT_DATEPART_MAX : 32];
    size_t n;
    if (is_part(part, "bytimerelative")) {
        n = (size_t)snprintf(buf, sizeof buf, "%lld", (long long)by);
    } else if (is_part(part, "bytimeabsolute")) {
        int zone = r->settings->zone_offset;
        if (rec[SIEVE_TR_ARG2]) {
            rt_str z;
            if (!rt_vars_expand(r->p, &r->vars, r->a, rec[SIEVE_TR_ARG2], &z))
                return -1;
            int zz;
            if (rt_datetime_zone_parse(z.p, z.len, &zz))
                zone = zz;
        }
        rt_datetime dt;
        if (!rt_datetime_from_unix(rt_run_now(r) + by, zone, &dt))
            return 0;
        n = rt_datetime_part(&dt, SIEVE_DP_ISO8601, buf);
    } else if (is_part(part, "bymode")) {
        n = (size_t)snprintf(buf, sizeof buf, "%s", mode == 'N' ? "notify" : "return");
    } else if (is_part(part, "bytrace")) {
        n = (size_t)snprintf(buf, sizeof buf, "%s", trace ? "on" : "off");
    } else {
        return 0;
    }
    return dup_value(r, buf, n, &v[0]) ? 1 : -1;
}

/* ---- redirect ---------------------------------------------------------- */

static const char *expand(rt_run *r, uint32_t off, uint32_t line)
{
    rt_str v;
    if (!rt_vars_expand(r->p, &r->vars, r->a, off, &v)) {
        rt_run_error(r, line, OOM);
        return NULL;
    }
    char *p = dupz(r, v.p, v.len);
    if (!p || memchr(v.p, '\0', v.len)) {
        rt_run_error(r, line, p ? "a NUL byte in a redirect parameter" : OOM);
        return NULL;
    }
    return p;
}

static void upper(char *s)
{
    for (; *s; s++)
        if (*s >= 'a' && *s <= 'z')
            *s = (char)(*s - 32);
}

/* RFC 3461 4.1, as the checker (compiler/ext_dsn.c) reads it. */
static bool notify_ok(const char *s)
{
    if (strcmp(s, "NEVER") == 0)
        return true;
    unsigned seen = 0;
    for (;;) {
        const char *c = strchr(s, ',');
        size_t len = c ? (size_t)(c - s) : strlen(s);
        unsigned bit = len == 7 && !strncmp(s, "SUCCESS", 7) ? 1u
                     : len == 7 && !strncmp(s, "FAILURE", 7) ? 2u
                     : len == 5 && !strncmp(s, "DELAY", 5) ? 4u : 0u;
        if (!bit || (seen & bit))
            return false;
        seen |= bit;
        if (!c)
            return true;
        s = c + 1;
    }
}

static int two(const char *s)
{
    return (s[0] - '0') * 10 + (s[1] - '0');
}

static bool digits(const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (s[i] < '0' || s[i] > '9')
            return false;
    return true;
}

/* RFC 3339 5.6 date-time to seconds since the epoch. */
static bool rfc3339(const char *s, int64_t *t_r)
{
    size_t len = strlen(s);
    if (len < 20 || !digits(s, 4) || s[4] != '-' || !digits(s + 5, 2) || s[7] != '-' ||
        !digits(s + 8, 2) || (s[10] != 'T' && s[10] != 't') || !digits(s + 11, 2) ||
        s[13] != ':' || !digits(s + 14, 2) || s[16] != ':' || !digits(s + 17, 2))
        return false;
    rt_datetime dt = { 0 };
    dt.year = two(s) * 100 + two(s + 2);
    dt.month = two(s + 5);
    dt.day = two(s + 8);
    dt.hour = two(s + 11);
    dt.minute = two(s + 14);
    dt.second = two(s + 17);
    size_t i = 19;
    if (s[i] == '.') {
        size_t j = ++i;
        while (s[i] >= '0' && s[i] <= '9')
            i++;
        if (i == j)
            return false;
    }
    if (i + 1 == len && (s[i] == 'Z' || s[i] == 'z')) {
        dt.zone = 0;
    } else if (i + 6 == len && (s[i] == '+' || s[i] == '-') && digits(s + i + 1, 2) &&
               s[i + 3] == ':' && digits(s + i + 4, 2) && two(s + i + 1) < 24 &&
               two(s + i + 4) < 60) {
        dt.zone = (two(s + i + 1) * 60 + two(s + i + 4)) * (s[i] == '-' ? -1 : 1);
    } else {
        return false;
    }
    static const int mdays[] = { 31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
    if (dt.month < 1 || dt.month > 12 || dt.day < 1 || dt.day > mdays[dt.month - 1] ||
        dt.hour > 23 || dt.minute > 59 || dt.second > 60)
        return false;
    *t_r = rt_datetime_to_unix(&dt);
    return true;
}

int32_t rt_dsn_redirect(rt_run *r, const uint32_t *rec, sieve_action *act)
{
    uint32_t line = rec[SIEVE_AR_LINE], flags = rec[SIEVE_AR_FLAGS];
    char *s;
    if (rec[SIEVE_AR_ARG1]) {
        if (!(s = (char *)expand(r, rec[SIEVE_AR_ARG1], line)))
            return SIEVE_ERROR;
        upper(s);
        if (!notify_ok(s))
            return rt_run_error(r, line, "invalid :notify value '%.100s' for redirect", s);
        act->dsn_notify = s;
    }
    if (rec[SIEVE_AR_ARG2]) {
        if (!(s = (char *)expand(r, rec[SIEVE_AR_ARG2], line)))
            return SIEVE_ERROR;
        upper(s);
        if (strcmp(s, "FULL") != 0 && strcmp(s, "HDRS") != 0)
            return rt_run_error(r, line, "invalid :ret value '%.100s' for redirect", s);
        act->dsn_ret = s;
    }
    int64_t now = rt_run_now(r);
    if (flags & SIEVE_AF_BYTIMERELATIVE) {
        act->by_time = true;
        act->by_relative = rec[SIEVE_AR_NUMBER];
        act->by_deadline = now + (int64_t)act->by_relative;
    } else if (rec[SIEVE_AR_ARG3]) {
        if (!(s = (char *)expand(r, rec[SIEVE_AR_ARG3], line)))
            return SIEVE_ERROR;
        if (!rfc3339(s, &act->by_deadline))
            return rt_run_error(r, line, "invalid :bytimeabsolute value '%.100s' for redirect", s);
        act->by_time = true;
        act->by_absolute = s;
    }
    if (rec[SIEVE_AR_ARG4]) {
        if (!(s = (char *)expand(r, rec[SIEVE_AR_ARG4], line)))
            return SIEVE_ERROR;
        for (char *c = s; *c; c++)
            if (*c >= 'A' && *c <= 'Z')
                *c = (char)(*c + 32);
        if (strcmp(s, "notify") != 0 && strcmp(s, "return") != 0)
            return rt_run_error(r, line, "invalid :bymode value '%.100s' for redirect", s);
        act->by_mode = s;
    }
    act->by_trace = flags & SIEVE_AF_BYTRACE;
    return SIEVE_OK;
}
