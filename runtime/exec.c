/* exec: sessions, sieve_run() and the ops table the generated code calls
 * (see exec.h and sieve/sieve.h). Actions are performed here; tests are in
 * tests.c, the result semantics in result.c.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "address.h"
#include "exec.h"
#include "ext_enotify.h"
#include "ext_vacation.h"
#include "ext_flags.h"

#define RT_SEPARATORS_MAX 32

struct sieve_session {
    sieve_settings settings;
    char separators[RT_SEPARATORS_MAX + 1];
    rt_arena *arena;
    sieve_result *res;
};

sieve_session *sieve_session_new(const sieve_settings *settings)
{
    sieve_session *s = calloc(1, sizeof *s);
    if (!s)
        return NULL;
    if (settings)
        s->settings = *settings;
    const char *sep = s->settings.subaddress_separators;
    snprintf(s->separators, sizeof s->separators, "%s", sep && *sep ? sep : "+");
    s->settings.subaddress_separators = s->separators;
    s->arena = rt_arena_new((size_t)s->settings.max_message_memory);
    s->res = rt_result_new(s->settings.max_actions, s->settings.max_redirects);
    if (!s->arena || !s->res) {
        sieve_session_free(&s);
        return NULL;
    }
    return s;
}

void sieve_session_free(sieve_session **s_r)
{
    sieve_session *s = *s_r;
    if (!s)
        return;
    rt_arena_free(&s->arena);
    rt_result_free(&s->res);
    free(s);
    *s_r = NULL;
}

uint64_t sieve_session_mallocs(const sieve_session *s)
{
    /* The result array is allocated once by sieve_session_new; everything a
     * run needs comes from the arena. (TRE's per-match working memory for
     * :regex is outside our view: see regex.h.) */
    return rt_arena_mallocs(s->arena);
}

int32_t rt_run_error(rt_run *r, uint32_t line, const char *fmt, ...)
{
    if (r->failed)
        return SIEVE_ERROR;
    r->failed = true;
    char msg[RT_RESULT_ERROR_MAX - 32];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    if (line)
        snprintf(r->error, sizeof r->error, "line %u: %s", line, msg);
    else
        snprintf(r->error, sizeof r->error, "%s", msg);
    return SIEVE_ERROR;
}

/* A NUL-terminated copy in the arena (pool strings and slices of the
 * message need not be terminated). */
static const char *cstr(rt_arena *a, rt_str s)
{
    char *b = rt_arena_alloc(a, s.len + 1);
    if (!b)
        return NULL;
    if (s.len)
        memcpy(b, s.p, s.len);
    b[s.len] = '\0';
    return b;
}

static bool valid_utf8(rt_str s)
{
    const unsigned char *p = (const unsigned char *)s.p;
    size_t i = 0;
    while (i < s.len) {
        unsigned c = p[i];
        size_t n;
        uint32_t cp;
        if (c < 0x80) {
            i++;
            continue;
        } else if ((c & 0xE0) == 0xC0) {
            n = 1;
            cp = c & 0x1F;
        } else if ((c & 0xF0) == 0xE0) {
            n = 2;
            cp = c & 0x0F;
        } else if ((c & 0xF8) == 0xF0) {
            n = 3;
            cp = c & 0x07;
        } else {
            return false;
        }
        for (size_t k = 1; k <= n; k++) {
            if (i + k >= s.len || (p[i + k] & 0xC0) != 0x80)
                return false;
            cp = cp << 6 | (p[i + k] & 0x3F);
        }
        static const uint32_t min[] = { 0, 0x80, 0x800, 0x10000 };
        if (cp < min[n] || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
            return false;
        i += n + 1;
    }
    return true;
}

/* The expanded value at off as a C string; NULL after recording an error. */
static const char *expand_cstr(rt_run *r, uint32_t off, uint32_t line, rt_str *s_r)
{
    rt_str s;
    const char *c;
    if (!rt_vars_expand(r->p, &r->vars, r->a, off, &s) || !(c = cstr(r->a, s))) {
        rt_run_error(r, line, "out of memory for this message");
        return NULL;
    }
    if (s_r)
        *s_r = s;
    return c;
}

/* RFC 5228 4.2: the redirect target must be one valid address; when it
 * came from variables an invalid one is a run-time error. Stored as the
 * bare addr-spec. */
static int redirect_target(rt_run *r, uint32_t off, uint32_t line, sieve_action *act)
{
    rt_str s;
    const char *raw = expand_cstr(r, off, line, &s);
    if (!raw)
        return SIEVE_ERROR;
    rt_addr_list l;
    if (!rt_addr_parse_list(r->a, s.p, s.len, &l))
        return rt_run_error(r, line, "out of memory for this message");
    rt_str all;
    if (l.n != 1 || (l.v[0].flags & (RT_ADDR_GROUP | RT_ADDR_NULL)) ||
        !(l.v[0].flags & RT_ADDR_VALID) || l.v[0].domain.len == 0 ||
        !rt_addr_get_part(r->a, &l.v[0], RT_ADDR_PART_ALL, NULL, 0, &all)) {
        rt_str c;
        if (rt_value_const(r->p, off, &c)) {
            /* The compiler accepted it: pass it on as written. */
            act->address = raw;
            return SIEVE_OK;
        }
        return rt_run_error(r, line, "specified redirect address '%.200s' is invalid", raw);
    }
    char *addr = (char *)cstr(r->a, all);
    if (!addr)
        return rt_run_error(r, line, "out of memory for this message");
    /* Domains are case-insensitive; Pigeonhole prints them lower-cased
     * ("Joe <joe@Example.ORG>" -> <joe@example.org>), so do we. */
    for (char *at = strrchr(addr, '@'); at && *at; at++)
        if (*at >= 'A' && *at <= 'Z')
            *at = (char)(*at + 32);
    act->address = addr;
    return SIEVE_OK;
}

static int32_t add(rt_run *r, const sieve_action *act)
{
    char err[RT_RESULT_ERROR_MAX];
    if (rt_result_add(r->res, act, err, sizeof err) != 0)
        return rt_run_error(r, act->line, "%s", err);
    return SIEVE_OK;
}

static int32_t op_action(sieve_abi_ctx *ctx, uint32_t i)
{
    rt_run *r = (rt_run *)ctx;
    const rt_program *p = r->p;
    if (r->failed)
        return SIEVE_ERROR;
    if (i >= p->nactions)
        return rt_run_error(r, 0, "action record %u out of range", i);
    const uint32_t *rec = p->actions + (size_t)i * SIEVE_ACTION_WORDS;
    uint32_t line = rec[SIEVE_AR_LINE], flags = rec[SIEVE_AR_FLAGS];
    sieve_action act;
    memset(&act, 0, sizeof act);
    act.kind = (sieve_action_kind)rec[SIEVE_AR_KIND];
    act.line = line;
    act.copy = flags & SIEVE_AF_COPY;
    switch (rec[SIEVE_AR_KIND]) {
    case SIEVE_ACT_KEEP:
        act.mailbox = "INBOX";
        if (rt_flags_for_store(r, rec[SIEVE_AR_ARG0], line, &act) != SIEVE_OK)
            return SIEVE_ERROR;
        return add(r, &act);
    case SIEVE_ACT_FILEINTO: {
        rt_str m, c;
        if (!(act.mailbox = expand_cstr(r, rec[SIEVE_AR_ARG0], line, &m)))
            return SIEVE_ERROR;
        /* RFC 5228 4.1 names mailboxes in UTF-8 (RFC 3501 modified UTF-7
         * is the server's business); a variable can produce anything. */
        if (!rt_value_const(p, rec[SIEVE_AR_ARG0], &c) && (!valid_utf8(m) || m.len == 0 ||
                                                          memchr(m.p, '\0', m.len)))
            return rt_run_error(r, line, "invalid folder name '%.200s' specified", act.mailbox);
        act.create = flags & SIEVE_AF_CREATE;
        if (rt_flags_for_store(r, rec[SIEVE_AR_ARG1], line, &act) != SIEVE_OK)
            return SIEVE_ERROR;
        if (rec[SIEVE_AR_ARG2] && !(act.specialuse = expand_cstr(r, rec[SIEVE_AR_ARG2], line, NULL)))
            return SIEVE_ERROR;
        if (rec[SIEVE_AR_ARG3] && !(act.mailboxid = expand_cstr(r, rec[SIEVE_AR_ARG3], line, NULL)))
            return SIEVE_ERROR;
        return add(r, &act);
    }
    case SIEVE_ACT_REDIRECT:
        if (redirect_target(r, rec[SIEVE_AR_ARG0], line, &act) != SIEVE_OK)
            return SIEVE_ERROR;
        return add(r, &act);
    case SIEVE_ACT_DISCARD:
        return add(r, &act);
    case SIEVE_ACT_REJECT:
    case SIEVE_ACT_EREJECT:
        if (!(act.reason = expand_cstr(r, rec[SIEVE_AR_ARG0], line, NULL)))
            return SIEVE_ERROR;
        return add(r, &act);
    case SIEVE_ACT_SET: {
        /* RFC 5229 4 */
        rt_str v;
        if (!rt_vars_expand(p, &r->vars, r->a, rec[SIEVE_AR_ARG0], &v) ||
            !rt_vars_set(&r->vars, r->a, rec[SIEVE_AR_NUMBER], v, flags))
            return rt_run_error(r, line, "out of memory for this message");
        return SIEVE_OK;
    }
    case SIEVE_ACT_ERROR: {
        /* RFC 5463 5: the script fails with the given message. */
        rt_str v;
        if (!rt_vars_expand(p, &r->vars, r->a, rec[SIEVE_AR_ARG0], &v))
            return rt_run_error(r, line, "out of memory for this message");
        return rt_run_error(r, line, "%.*s", (int)(v.len > 400 ? 400 : v.len), v.p);
    }
    case SIEVE_ACT_VACATION:
        if (rt_vacation_action(r, rec, &act) != SIEVE_OK)
            return SIEVE_ERROR;
        return add(r, &act);
    case SIEVE_ACT_NOTIFY:
        if (rt_notify_action(r, rec, &act) != SIEVE_OK)
            return SIEVE_ERROR;
        return add(r, &act);
    case SIEVE_ACT_HOST:
        return rt_host_action(r, rec);
    case SIEVE_ACT_SETFLAG:
    case SIEVE_ACT_ADDFLAG:
    case SIEVE_ACT_REMOVEFLAG:
        return rt_flags_action(r, rec);
    case SIEVE_ACT_ADDHEADER:
    case SIEVE_ACT_DELETEHEADER:
        return rt_editheader_action(r, rec);
    default:
        return rt_run_error(r, line, "action %u is not supported by this runtime",
                            rec[SIEVE_AR_KIND]);
    }
}

static int32_t op_test(sieve_abi_ctx *ctx, uint32_t i)
{
    rt_run *r = (rt_run *)ctx;
    if (r->failed)
        return SIEVE_ERROR;
    return rt_test_eval(r, i);
}

static int32_t op_unsupported(sieve_abi_ctx *ctx, uint32_t i)
{
    (void)i;
    return rt_run_error((rt_run *)ctx, 0, "foreverypart is not supported by this runtime");
}

static const sieve_abi_ops rt_ops = {
    .abi_version = SIEVE_ABI_VERSION,
    .test = op_test,
    .action = op_action,
    .loop_begin = op_unsupported,
    .loop_next = op_unsupported,
    .loop_end = op_unsupported,
    .include_enter = rt_include_enter,
    .include_leave = rt_include_leave,
};

int sieve_run(sieve_session *s, const sieve_filter *f, const char *msg, size_t len,
              const sieve_envelope *env, const sieve_result **result_r, char *err, size_t errlen)
{
    static const sieve_envelope no_env = { 0 };
    if (result_r)
        *result_r = NULL;
    if (!s || !f || (!msg && len)) {
        snprintf(err, errlen, "sieve_run: no session, filter or message");
        return -1;
    }
    const rt_program *p = rt_filter_program(f);
    rt_arena_reset(s->arena);
    rt_result_reset(s->res);
    rt_run r;
    r.abi.ops = &rt_ops;
    r.p = p;
    r.settings = &s->settings;
    r.a = s->arena;
    r.mime = NULL;
    r.msg_data = msg ? msg : "";
    r.msg_len = len;
    r.env = env ? env : &no_env;
    r.res = s->res;
    r.separators = s->separators;
    r.flags = rt_str_make("", 0);
    r.failed = false;
    r.now = 0;
    r.error[0] = '\0';
    r.msg = rt_msg_open(r.a, p->hdrs, r.msg_data, len);
    if (!r.msg)
        rt_run_error(&r, 0, "message exceeds the memory limit of the session");
    else if (!rt_vars_init(&r.vars, r.a, p->nvars) || !rt_include_init(&r))
        rt_run_error(&r, 0, "out of memory for this message");
    else {
        int32_t rc = p->desc->entry(&r.abi);
        if (rc != SIEVE_OK && rc != SIEVE_STOP && !r.failed)
            rt_run_error(&r, 0, rc == SIEVE_ERROR ? "run-time error" : "filter returned %d", (int)rc);
    }
    if (r.failed) {
        rt_result_fail(s->res, r.error);
    } else {
        rt_result_finish(s->res);
        if (rt_flags_finish(&r) != SIEVE_OK)
            rt_result_fail(s->res, r.error);
    }
    if (result_r)
        *result_r = s->res;
    return 0;
}
