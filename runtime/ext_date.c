/* ext_date: date, currentdate and environment at run time. Contract in
 * ext_date.h. */
#include "ext_date.h"

#include <string.h>
#include <strings.h>
#include <time.h>

#include "datetime.h"

#ifndef SIEVEC_VERSION
#define SIEVEC_VERSION "0.1.0"
#endif

#define OOM "out of memory for this message"

/* The date part of record rec: the constant one, or the variable's value
 * looked up by name (SIEVE_DP_DYNAMIC). 0 when unknown: the test is then
 * false (RFC 5260 4.2 lists the parts; Pigeonhole also just fails). */
static int date_part(rt_run *r, const uint32_t *rec, bool *oom_r)
{
    *oom_r = false;
    if (rec[SIEVE_TR_EXTRA] != SIEVE_DP_DYNAMIC)
        return (int)rec[SIEVE_TR_EXTRA];
    rt_str name;
    if (!rt_vars_expand(r->p, &r->vars, r->a, rec[SIEVE_TR_ARG3], &name)) {
        *oom_r = true;
        return 0;
    }
    return rt_datepart_lookup(name.p, name.len);
}

/* The zone to show dates in: :zone (constant or variable), else the
 * session's local zone. A :zone that is not "+hhmm"/"-hhmm" means the
 * local zone too (RFC 5260 4.1.1 gives it no meaning; Pigeonhole does
 * the same, and the checker warns about a constant one). False only when
 * out of memory. */
static bool target_zone(rt_run *r, const uint32_t *rec, int *zone_r)
{
    *zone_r = r->settings->zone_offset;
    if (!rec[SIEVE_TR_ARG2])
        return true;
    rt_str z;
    if (!rt_vars_expand(r->p, &r->vars, r->a, rec[SIEVE_TR_ARG2], &z))
        return false;
    int zone;
    if (rt_datetime_zone_parse(z.p, z.len, &zone))
        *zone_r = zone;
    return true;
}

/* One value: part dp of dt, on the arena. */
static bool part_value(rt_run *r, const rt_datetime *dt, int dp, rt_str *v_r)
{
    char buf[RT_DATEPART_MAX];
    size_t n = rt_datetime_part(dt, dp, buf);
    char *p = rt_arena_dup(r->a, buf, n + 1);
    if (!p)
        return false;
    *v_r = rt_str_make(p, n);
    return true;
}

/* RFC 5260 6: with :index only the Nth field (from the end with :last). */
static bool skip_field(const uint32_t *rec, size_t total, size_t pos)
{
    uint32_t index = rec[SIEVE_TR_INDEX];
    if (!index)
        return false;
    if (rec[SIEVE_TR_FLAGS] & SIEVE_TF_LAST)
        return total < index || pos != total - index + 1;
    return pos != index;
}

/* RFC 5260 4.1: the date-time of the first field of the header (the Nth
 * with :index, RFC 5260 6), as Pigeonhole: a message with several Date
 * fields is malformed (RFC 5322 3.6), and a trace field's first instance
 * is the newest. A field that does not parse gives no value, so only
 * :count "eq" "0" and the like can be true. A Received field's
 * date-time follows its last ';' (RFC 5321 4.4), so that part is what
 * is parsed when there is one. */
int32_t rt_test_date(rt_run *r, const rt_ptest *t)
{
    const uint32_t *rec = t->rec;
    uint32_t line = rec[SIEVE_TR_LINE];
    bool oom;
    int dp = date_part(r, rec, &oom);
    if (oom)
        return rt_run_error(r, line, OOM);
    int zone = 0;
    bool original = (rec[SIEVE_TR_FLAGS] & SIEVE_TF_ORIGINALZONE) != 0;
    if (!original && !target_zone(r, rec, &zone))
        return rt_run_error(r, line, OOM);
    rt_str name;
    if (!rt_vars_expand(r->p, &r->vars, r->a, rec[SIEVE_TR_ARG0], &name))
        return rt_run_error(r, line, OOM);
    int id = rt_hdr_set_id(r->p->hdrs, name.p, name.len);
    size_t total = id >= 0 ? rt_msg_hdr_count(r->msg, id)
                           : rt_msg_hdr_count_name(r->msg, name.p, name.len);
    rt_str *vals = rt_arena_alloc(r->a, (total ? total : 1) * sizeof *vals);
    if (!vals)
        return rt_run_error(r, line, OOM);
    if (!rec[SIEVE_TR_INDEX] && total > 1)
        total = 1;
    size_t n = 0, pos = 0;
    if (dp) {
        rt_hdr_iter it;
        if (id >= 0)
            rt_msg_hdr_iter_id(r->msg, id, &it);
        else
            rt_msg_hdr_iter_name(r->msg, name.p, name.len, &it);
        rt_hdr_field *f;
        while ((f = rt_hdr_iter_next(&it)) && pos < total) {
            pos++;
            if (rec[SIEVE_TR_INDEX] && skip_field(rec, total, pos))
                continue;
            rt_str v;
            if (!rt_hdr_value(r->msg, f, &v))
                return rt_run_error(r, line, OOM);
            for (size_t k = v.len; k-- > 0;)
                if (v.p[k] == ';') {
                    v = rt_str_make(v.p + k + 1, v.len - k - 1);
                    break;
                }
            rt_datetime dt;
            if (!rt_datetime_parse(v.p, v.len, &dt))
                continue;
            if (!original && !rt_datetime_to_zone(&dt, zone, &dt))
                continue;
            if (!part_value(r, &dt, dp, &vals[n]))
                return rt_run_error(r, line, OOM);
            n++;
        }
    }
    /* An unknown part is false whatever the match type, as Pigeonhole;
     * no date is a count of 0. */
    if (!dp)
        return SIEVE_OK;
    return rt_test_match_values(r, t, vals, n);
}

/* RFC 5260 5: the time of the run (sieve_settings.now or the clock, read
 * once per run, so that "hour ge 9" and "hour lt 17" agree) in :zone or
 * the local zone. */
int32_t rt_test_currentdate(rt_run *r, const rt_ptest *t)
{
    const uint32_t *rec = t->rec;
    uint32_t line = rec[SIEVE_TR_LINE];
    bool oom;
    int dp = date_part(r, rec, &oom);
    if (oom)
        return rt_run_error(r, line, OOM);
    int zone = 0;
    if (!target_zone(r, rec, &zone))
        return rt_run_error(r, line, OOM);
    if (!dp)
        return SIEVE_OK;
    if (!r->now)
        r->now = r->settings->now ? r->settings->now : (int64_t)time(NULL);
    int64_t now = r->now;
    rt_datetime dt;
    if (!rt_datetime_from_unix(now, zone, &dt))
        return SIEVE_OK;
    rt_str v;
    if (!part_value(r, &dt, dp, &v))
        return rt_run_error(r, line, OOM);
    return rt_test_match_values(r, t, &v, 1);
}

/* RFC 5183 4.1: the value of item name, NULL when unknown here. Names are
 * compared without case, as Pigeonhole does. */
static const char *env_item(rt_run *r, rt_str name)
{
    const sieve_settings *s = r->settings;
    static const char *const names[] = {
        "domain", "host", "location", "name", "phase", "remote-host", "remote-ip", "version",
    };
    size_t i = 0;
    for (; i < sizeof names / sizeof names[0]; i++)
        if (strlen(names[i]) == name.len && strncasecmp(names[i], name.p, name.len) == 0)
            break;
    switch (i) {
    case 0: return s->env_domain;
    case 1: return s->env_host;
    case 2: return s->env_location ? s->env_location : "MTA";
    case 3: return "sievec";
    case 4: return s->env_phase ? s->env_phase : "pre";
    case 5: return r->env ? r->env->remote_host : NULL;
    case 6: return r->env ? r->env->remote_ip : NULL;
    case 7: return SIEVEC_VERSION;
    default: return NULL;
    }
}

/* RFC 5183 4: an unknown item makes the test false; for :count the count
 * is 0 when the value is empty, else 1. */
int32_t rt_test_environment(rt_run *r, const rt_ptest *t)
{
    const uint32_t *rec = t->rec;
    rt_str name;
    if (!rt_vars_expand(r->p, &r->vars, r->a, rec[SIEVE_TR_ARG0], &name))
        return rt_run_error(r, rec[SIEVE_TR_LINE], OOM);
    if (memchr(name.p, '\0', name.len))
        return SIEVE_OK;
    const char *val = env_item(r, name);
    if (!val)
        return SIEVE_OK;
    rt_str v = rt_str_cstr(val);
    bool count = rec[SIEVE_TR_MATCH] == SIEVE_MATCH_COUNT;
    return rt_test_match_values(r, t, &v, count && v.len == 0 ? 0 : 1);
}
