/* progbuild: a small builder of program tables (abi.h words) for the unit
 * tests of the executor, and a plan-driven entry function standing in for
 * generated code. Test-only, single-threaded (the plan is a global).
 *
 * Layout of a built table: header | values and lists | tests | actions |
 * string pool. Values use "${vN}" for variable slot N and "${mN}" for match
 * variable N inside pb_value() templates.
 */
#ifndef PROGBUILD_H
#define PROGBUILD_H

#include <stdarg.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "sieve/abi.h"

#define PB_MAX_WORDS 16384
#define PB_MAX_POOL 16384
#define PB_MAX_RECS 128

typedef struct pb {
    uint32_t w[PB_MAX_WORDS];
    uint32_t n;                 /* words used: header + data */
    char pool[PB_MAX_POOL];
    uint32_t npool;
    uint32_t tests[PB_MAX_RECS][SIEVE_TEST_WORDS];
    uint32_t ntests;
    uint32_t actions[PB_MAX_RECS][SIEVE_ACTION_WORDS];
    uint32_t nactions;
    uint32_t nvars;
    uint32_t headers;           /* list offset or 0 */
    uint32_t out[PB_MAX_WORDS]; /* the finished table */
    uint32_t nout;
    sieve_abi_descriptor desc;
    uint8_t sha[32];
} pb;

static inline void pb_init(pb *b)
{
    memset(b, 0, sizeof *b);
    b->n = SIEVE_META_HEADER_WORDS;
}

static inline uint32_t pb_pool(pb *b, const char *s, size_t len)
{
    uint32_t off = b->npool;
    memcpy(b->pool + off, s, len);
    b->pool[off + len] = '\0';
    b->npool += (uint32_t)len + 1;
    return off;
}

/* A value from a template ("a${v0}b${m1}"). */
static inline uint32_t pb_value(pb *b, const char *t)
{
    uint32_t off = b->n, nparts = 0;
    b->w[b->n++] = 0;
    const char *p = t;
    while (*p) {
        const char *v = strstr(p, "${");
        if (v && (v[2] == 'v' || v[2] == 'm') && strchr(v, '}')) {
            if (v > p) {
                b->w[b->n++] = SIEVE_PART_TEXT;
                b->w[b->n++] = pb_pool(b, p, (size_t)(v - p));
                b->w[b->n++] = (uint32_t)(v - p);
                nparts++;
            }
            b->w[b->n++] = v[2] == 'v' ? SIEVE_PART_VAR : SIEVE_PART_MATCH;
            b->w[b->n++] = (uint32_t)strtoul(v + 3, NULL, 10);
            b->w[b->n++] = 0;
            nparts++;
            p = strchr(v, '}') + 1;
        } else {
            size_t len = strlen(p);
            b->w[b->n++] = SIEVE_PART_TEXT;
            b->w[b->n++] = pb_pool(b, p, len);
            b->w[b->n++] = (uint32_t)len;
            nparts++;
            p += len;
        }
    }
    b->w[off] = nparts;
    return off;
}

/* A list of templates, NULL-terminated. */
static inline uint32_t pb_list(pb *b, const char *first, ...)
{
    uint32_t vals[64], n = 0;
    va_list ap;
    va_start(ap, first);
    for (const char *s = first; s; s = va_arg(ap, const char *))
        vals[n++] = pb_value(b, s);
    va_end(ap);
    uint32_t off = b->n;
    b->w[b->n++] = n;
    for (uint32_t i = 0; i < n; i++)
        b->w[b->n++] = vals[i];
    return off;
}

typedef struct pb_t {
    uint32_t kind, match, cmp, rel, ap, flags, index, extra, a0, a1, a2, a3, line;
} pb_t;

static inline uint32_t pb_test(pb *b, pb_t t)
{
    uint32_t *r = b->tests[b->ntests];
    r[SIEVE_TR_KIND] = t.kind;
    r[SIEVE_TR_MATCH] = t.match;
    r[SIEVE_TR_COMPARATOR] = t.cmp;
    r[SIEVE_TR_RELOP] = t.rel;
    r[SIEVE_TR_ADDRPART] = t.ap;
    r[SIEVE_TR_FLAGS] = t.flags;
    r[SIEVE_TR_INDEX] = t.index;
    r[SIEVE_TR_EXTRA] = t.extra;
    r[SIEVE_TR_ARG0] = t.a0;
    r[SIEVE_TR_ARG1] = t.a1;
    r[SIEVE_TR_ARG2] = t.a2;
    r[SIEVE_TR_ARG3] = t.a3;
    r[SIEVE_TR_LINE] = t.line ? t.line : b->ntests + 1;
    return b->ntests++;
}

typedef struct pb_a {
    uint32_t kind, flags, number, a0, a1, a2, a3, line;
} pb_a;

static inline uint32_t pb_action(pb *b, pb_a a)
{
    uint32_t *r = b->actions[b->nactions];
    memset(r, 0, SIEVE_ACTION_WORDS * sizeof *r);
    r[SIEVE_AR_KIND] = a.kind;
    r[SIEVE_AR_FLAGS] = a.flags;
    r[SIEVE_AR_NUMBER] = a.number;
    r[SIEVE_AR_ARG0] = a.a0;
    r[SIEVE_AR_ARG1] = a.a1;
    r[SIEVE_AR_ARG2] = a.a2;
    r[SIEVE_AR_ARG3] = a.a3;
    r[SIEVE_AR_LINE] = a.line ? a.line : 100 + b->nactions;
    return b->nactions++;
}

/* ---- plan-driven entry -------------------------------------------------- */

enum { PL_END, PL_TEST, PL_ACT, PL_IF, PL_STOP };
typedef struct pl_step {
    int op;
    uint32_t arg;
} pl_step;

static const pl_step *g_plan;
static int32_t g_res[PB_MAX_RECS];

/* PL_TEST evaluates a test (result kept in g_res and as the condition),
 * PL_IF performs an action when the last test was true, PL_ACT always. */
static int32_t pb_entry(sieve_abi_ctx *ctx)
{
    int32_t cond = 0;
    for (const pl_step *s = g_plan; s && s->op != PL_END; s++) {
        int32_t rc;
        switch (s->op) {
        case PL_TEST:
            rc = ctx->ops->test(ctx, s->arg);
            g_res[s->arg] = rc;
            if (rc == SIEVE_ERROR)
                return rc;
            cond = rc;
            break;
        case PL_IF:
        case PL_ACT:
            if (s->op == PL_IF && cond != SIEVE_TRUE)
                break;
            if (ctx->ops->action(ctx, s->arg) == SIEVE_ERROR)
                return SIEVE_ERROR;
            break;
        case PL_STOP:
            return SIEVE_STOP;
        }
    }
    return SIEVE_OK;
}

/* Lays the table out and fills b->desc; headers: NULL-terminated names the
 * script reads (or NULL). */
static inline const sieve_abi_descriptor *pb_finish(pb *b, const char *const *headers)
{
    uint32_t hl = 0;
    if (headers) {
        uint32_t vals[64], n = 0;
        for (; headers[n]; n++)
            vals[n] = pb_value(b, headers[n]);
        hl = b->n;
        b->w[b->n++] = n;
        for (uint32_t i = 0; i < n; i++)
            b->w[b->n++] = vals[i];
    }
    memcpy(b->out, b->w, b->n * sizeof *b->w);
    uint32_t at = b->n;
    uint32_t tests = at;
    for (uint32_t i = 0; i < b->ntests; i++)
        for (uint32_t k = 0; k < SIEVE_TEST_WORDS; k++)
            b->out[at++] = b->tests[i][k];
    uint32_t actions = at;
    for (uint32_t i = 0; i < b->nactions; i++)
        for (uint32_t k = 0; k < SIEVE_ACTION_WORDS; k++)
            b->out[at++] = b->actions[i][k];
    uint32_t pool = at;
    memcpy(b->out + at, b->pool, b->npool);
    at += (b->npool + 3) / 4;
    uint32_t *h = b->out;
    h[SIEVE_META_MAGIC] = SIEVE_ABI_MAGIC;
    h[SIEVE_META_STRPOOL] = pool;
    h[SIEVE_META_STRPOOL_BYTES] = b->npool;
    h[SIEVE_META_TESTS] = tests;
    h[SIEVE_META_NTESTS] = b->ntests;
    h[SIEVE_META_ACTIONS] = actions;
    h[SIEVE_META_NACTIONS] = b->nactions;
    h[SIEVE_META_LOOPS] = at;
    h[SIEVE_META_NLOOPS] = 0;
    h[SIEVE_META_INCLUDES] = at;
    h[SIEVE_META_NINCLUDES] = 0;
    h[SIEVE_META_HEADERS] = hl;
    h[SIEVE_META_EXTENSIONS] = 0;
    h[SIEVE_META_NVARS] = b->nvars;
    h[SIEVE_META_VARNAMES] = 0;
    h[SIEVE_META_NGLOBALS] = 0;
    b->nout = at;
    sieve_abi_descriptor *d = &b->desc;
    d->magic = SIEVE_ABI_MAGIC;
    d->abi_version = SIEVE_ABI_VERSION;
    d->descriptor_size = sizeof *d;
    d->meta_words = b->nout;
    d->compiler_version = "progbuild";
    d->target_triple = "";
    d->target_cpu = "generic";
    d->target_features = "";
    d->source_sha256 = b->sha;
    d->meta = b->out;
    d->entry = pb_entry;
    return d;
}

#endif
