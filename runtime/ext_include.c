/* include (RFC 6609) at run time: the ops include_enter / include_leave
 * that the code of an `include` command calls around the included
 * script's body, and sieve_filter_includes() (sieve/sieve.h).
 *
 * Included scripts are compiled into the same filter (sievec resolves
 * them), so nothing is read here: entering a script only decides whether
 * it runs (:once) and gives it fresh local variables. The state lives in
 * the run (rt_run.incl_ran, one bit per script, from the run's arena). */
#include <string.h>

#include "exec.h"

/* A guard only: sievec bounds the nesting (--limit include_depth), and a
 * script cannot include itself without :once, which skips it. */
#define RT_INCLUDE_MAX_DEPTH 1024u

bool rt_include_init(rt_run *r)
{
    r->incl_ran = NULL;
    r->incl_depth = 0;
    if (!r->p->nscripts)
        return true;
    size_t bytes = (r->p->nscripts + 7) / 8;
    r->incl_ran = rt_arena_alloc(r->a, bytes);
    if (!r->incl_ran)
        return false;
    memset(r->incl_ran, 0, bytes);
    r->incl_ran[0] = 1;   /* the main script is running */
    return true;
}

static const uint32_t *include_record(const rt_program *p, uint32_t i)
{
    if (i >= p->w[SIEVE_META_NINCLUDES])
        return NULL;
    return p->w + p->w[SIEVE_META_INCLUDES] + (size_t)i * SIEVE_INCLUDE_WORDS;
}

/* RFC 6609 3.2: runs the script unless :once and it already ran (by any
 * include, with :once or not); its local variables start empty each time
 * (RFC 6609 3.4: only `global` variables are shared), as Pigeonhole does. */
int32_t rt_include_enter(sieve_abi_ctx *ctx, uint32_t i)
{
    rt_run *r = (rt_run *)ctx;
    if (r->failed)
        return SIEVE_ERROR;
    const uint32_t *rec = include_record(r->p, i);
    if (!rec)
        return rt_run_error(r, 0, "include record %u out of range", i);
    uint32_t s = rec[SIEVE_IR_SCRIPT];
    if (!rec[SIEVE_IR_SHA256] || s >= r->p->nscripts || !r->incl_ran)
        return SIEVE_OK;   /* missing when compiled (:optional) */
    uint8_t bit = (uint8_t)(1u << (s % 8));
    if ((rec[SIEVE_IR_FLAGS] & SIEVE_IF_ONCE) && (r->incl_ran[s / 8] & bit))
        return SIEVE_OK;
    if (r->incl_depth >= RT_INCLUDE_MAX_DEPTH)
        return rt_run_error(r, rec[SIEVE_IR_LINE], "include nesting too deep");
    r->incl_ran[s / 8] |= bit;
    for (uint32_t k = 0; k < rec[SIEVE_IR_NVARS]; k++)
        r->vars.slots[rec[SIEVE_IR_VARS] + k] = rt_str_make("", 0);
    r->incl_depth++;
    return SIEVE_TRUE;
}

int32_t rt_include_leave(sieve_abi_ctx *ctx, uint32_t i)
{
    rt_run *r = (rt_run *)ctx;
    (void)i;
    if (r->incl_depth)
        r->incl_depth--;
    return r->failed ? SIEVE_ERROR : SIEVE_OK;
}

size_t sieve_filter_includes(const sieve_filter *f, sieve_include_info *out, size_t max)
{
    const rt_program *p = f ? rt_filter_program(f) : NULL;
    if (!p)
        return 0;
    uint32_t n = p->w[SIEVE_META_NINCLUDES];
    for (uint32_t i = 0; i < n && i < max; i++) {
        const uint32_t *rec = include_record(p, i);
        sieve_include_info *o = &out[i];
        rt_str name = rt_str_make("", 0);
        memset(o, 0, sizeof *o);
        /* Names are constants (sievec refuses variables there); the pool
         * keeps a NUL after each string. */
        o->name = rt_value_const(p, rec[SIEVE_IR_NAME], &name) && name.len ? name.p : "";
        o->global = rec[SIEVE_IR_LOCATION] == 1;
        o->once = rec[SIEVE_IR_FLAGS] & SIEVE_IF_ONCE;
        o->optional = rec[SIEVE_IR_FLAGS] & SIEVE_IF_OPTIONAL;
        o->sha256 = rec[SIEVE_IR_SHA256] ? (const uint8_t *)p->pool + rec[SIEVE_IR_SHA256] : NULL;
        o->line = rec[SIEVE_IR_LINE];
        o->script = rec[SIEVE_IR_SCRIPT];
    }
    return n;
}
