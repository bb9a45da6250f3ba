/* host: SIEVE_ACT_HOST / SIEVE_TEST_HOST records handed to the host
 * program, and the access to the run it gets (see sieve/host.h). The
 * runtime gives these records no meaning of its own. */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "exec.h"
#include "flags.h"
#include "sieve/host.h"

struct sieve_host_call {
    rt_run *r;
    const uint32_t *rec;   /* the action or test record */
    const rt_ptest *t;     /* tests only */
    bool is_test;
};

static int32_t no_host(rt_run *r, const uint32_t *rec, uint32_t line)
{
    (void)rec;
    return rt_run_error(r, line, "testsuite commands need a host program (sieve-testsuite)");
}

int32_t rt_host_action(rt_run *r, const uint32_t *rec)
{
    const sieve_host *h = r->settings->host;
    if (!h || !h->command)
        return no_host(r, rec, rec[SIEVE_AR_LINE]);
    sieve_host_call c = { r, rec, NULL, false };
    int32_t rc = h->command(h->data, &c);
    if (r->failed)
        return SIEVE_ERROR;
    return rc == SIEVE_OK ? SIEVE_OK : rt_run_error(r, rec[SIEVE_AR_LINE], "host command failed");
}

int32_t rt_host_test(rt_run *r, const rt_ptest *t)
{
    const sieve_host *h = r->settings->host;
    if (!h || !h->test)
        return no_host(r, t->rec, t->rec[SIEVE_TR_LINE]);
    sieve_host_call c = { r, t->rec, t, true };
    int32_t rc = h->test(h->data, &c);
    if (r->failed)
        return SIEVE_ERROR;
    if (rc != SIEVE_OK && rc != SIEVE_TRUE)
        return rt_run_error(r, t->rec[SIEVE_TR_LINE], "host test failed");
    return rc;
}

sieve_host_id sieve_host_call_id(const sieve_host_call *c)
{
    return (sieve_host_id)(c->is_test ? c->rec[SIEVE_TR_EXTRA] : c->rec[SIEVE_AR_NUMBER]);
}

unsigned sieve_host_call_line(const sieve_host_call *c)
{
    return c->rec[c->is_test ? SIEVE_TR_LINE : SIEVE_AR_LINE];
}

uint32_t sieve_host_call_flags(const sieve_host_call *c)
{
    return c->rec[c->is_test ? SIEVE_TR_FLAGS : SIEVE_AR_FLAGS];
}

uint32_t sieve_host_call_number(const sieve_host_call *c)
{
    return c->rec[c->is_test ? SIEVE_TR_ARG2 : SIEVE_AR_ARG2];
}

uint32_t sieve_host_call_index(const sieve_host_call *c)
{
    return c->is_test ? c->rec[SIEVE_TR_INDEX] : 0;
}

const char *sieve_host_call_arg(sieve_host_call *c, unsigned k, size_t *len_r)
{
    if (c->is_test ? k != 0 : k > 1)
        return NULL;
    uint32_t off = c->is_test ? c->rec[SIEVE_TR_ARG0] : c->rec[SIEVE_AR_ARG0 + k];
    if (!off)
        return NULL;
    rt_run *r = c->r;
    rt_str s;
    char *b;
    if (!rt_vars_expand(r->p, &r->vars, r->a, off, &s) || !(b = rt_arena_alloc(r->a, s.len + 1))) {
        rt_run_error(r, sieve_host_call_line(c), "out of memory for this message");
        return NULL;
    }
    if (s.len)
        memcpy(b, s.p, s.len);
    b[s.len] = '\0';
    if (len_r)
        *len_r = s.len;
    return b;
}

int32_t sieve_host_call_match(sieve_host_call *c, const char *const *values, size_t n)
{
    if (!c->is_test)
        return sieve_host_call_error(c, "match outside a test");
    rt_str *v = rt_arena_alloc(c->r->a, (n ? n : 1) * sizeof *v);
    if (!v)
        return rt_run_error(c->r, sieve_host_call_line(c), "out of memory for this message");
    for (size_t i = 0; i < n; i++)
        v[i] = rt_str_make(values[i], strlen(values[i]));
    return rt_test_match_values(c->r, c->t, v, n);
}

int32_t sieve_host_call_error(sieve_host_call *c, const char *fmt, ...)
{
    char msg[RT_RESULT_ERROR_MAX - 64];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    return rt_run_error(c->r, sieve_host_call_line(c), "%s", msg);
}

const sieve_result *sieve_host_result(const sieve_host_call *c)
{
    return c->r->res;
}

bool sieve_host_result_implicit_keep(const sieve_host_call *c)
{
    return rt_result_implicit_keep(c->r->res);
}

void sieve_host_result_reset(sieve_host_call *c)
{
    rt_result_reset(c->r->res);
}

static const char *dup_str(rt_arena *a, const char *s, bool *ok)
{
    if (!s)
        return NULL;
    size_t n = strlen(s);
    char *b = rt_arena_alloc(a, n + 1);
    if (!b) {
        *ok = false;
        return NULL;
    }
    memcpy(b, s, n + 1);
    return b;
}

int sieve_host_result_append(sieve_host_call *c, const sieve_action *a, char *err, size_t errlen)
{
    rt_arena *ar = c->r->a;
    bool ok = true;
    sieve_action x = *a;
    x.mailbox = dup_str(ar, a->mailbox, &ok);
    x.address = dup_str(ar, a->address, &ok);
    x.reason = dup_str(ar, a->reason, &ok);
    x.subject = dup_str(ar, a->subject, &ok);
    x.from = dup_str(ar, a->from, &ok);
    x.handle = dup_str(ar, a->handle, &ok);
    x.specialuse = dup_str(ar, a->specialuse, &ok);
    x.mailboxid = dup_str(ar, a->mailboxid, &ok);
    x.name = dup_str(ar, a->name, &ok);
    x.value = dup_str(ar, a->value, &ok);
    /* suppressed is a static string; the rest came from the other run. */
    x.importance = dup_str(ar, a->importance, &ok);
    x.in_reply_to = dup_str(ar, a->in_reply_to, &ok);
    x.recipient = dup_str(ar, a->recipient, &ok);
    x.references = dup_str(ar, a->references, &ok);
    if (a->noptions && a->options) {
        const char **o = rt_arena_alloc(ar, a->noptions * sizeof *o);
        if (!o)
            ok = false;
        for (size_t i = 0; o && i < a->noptions; i++)
            o[i] = dup_str(ar, a->options[i], &ok);
        x.options = o;
    }
    if (a->nflags && a->flags) {
        const char **f = rt_arena_alloc(ar, a->nflags * sizeof *f);
        if (!f)
            ok = false;
        for (size_t i = 0; f && i < a->nflags; i++)
            f[i] = dup_str(ar, a->flags[i], &ok);
        x.flags = f;
    }
    if (a->npatterns && a->patterns) {
        const char **f = rt_arena_alloc(ar, a->npatterns * sizeof *f);
        if (!f)
            ok = false;
        for (size_t i = 0; f && i < a->npatterns; i++)
            f[i] = dup_str(ar, a->patterns[i], &ok);
        x.patterns = f;
    }
    if (!ok) {
        snprintf(err, errlen, "out of memory for this message");
        return -1;
    }
    return rt_result_append(c->r->res, &x, err, errlen);
}

int sieve_host_set_message(sieve_host_call *c, const char *msg, size_t len)
{
    rt_run *r = c->r;
    rt_msg *m = rt_msg_open(r->a, r->p->hdrs, msg ? msg : "", len);
    if (!m)
        return -1;
    r->msg = m;
    r->mime = NULL;
    r->msg_data = msg ? msg : "";
    r->msg_len = len;
    /* Header edits and flags belonged to the message just replaced. */
    rt_result_set_header(r->res, NULL, 0);
    r->flags = rt_str_make("", 0);
    return 0;
}

const char *sieve_host_flags(sieve_host_call *c)
{
    rt_run *r = c->r;
    char *s = rt_arena_alloc(r->a, r->flags.len + 1);
    if (!s)
        return NULL;
    if (r->flags.len)
        memcpy(s, r->flags.p, r->flags.len);
    s[r->flags.len] = '\0';
    return s;
}

int sieve_host_set_flags(sieve_host_call *c, const char *flags)
{
    rt_run *r = c->r;
    rt_str in = rt_str_cstr(flags ? flags : "");
    return rt_flags_apply(r->a, rt_str_make("", 0), RT_FLAGS_SET, &in, 1, &r->flags) ? 0 : -1;
}
