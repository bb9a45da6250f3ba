/* exec: the prepared program and one run of a compiled filter (internal to
 * libsieve-rt; the public face is sieve/sieve.h).
 *
 * rt_program is what rt_program_prepare() (program.c) builds once per loaded
 * filter from the descriptor's program table: the validated word array plus,
 * per test record, the work that can be done before any message arrives
 * (prepared constant keys, interned header names, body specs). It is never
 * written after prepare, so all threads share it.
 *
 * rt_run is the context of one sieve_run(): its first member is the
 * sieve_abi_ctx the generated code sees, the rest is private to exec.c and
 * tests.c. It lives on the stack of sieve_run() and points into the
 * session (arena, result), which one thread owns at a time.
 */
#ifndef SIEVE_RT_EXEC_H
#define SIEVE_RT_EXEC_H

#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>

#include "body.h"
#include "match.h"
#include "message.h"
#include "mime.h"
#include "program.h"
#include "result.h"
#include "rt_arena.h"
#include "rt_str.h"
#include "sieve/abi.h"
#include "sieve/sieve.h"
#include "vars.h"

/* Bounds prepare enforces on a program table beyond "fits in the array". */
#define RT_PROGRAM_MAX_VARS 65536u
#define RT_PROGRAM_MAX_LIST 65536u
#define RT_PROGRAM_MAX_SCRIPTS 65536u

/* A header name operand resolved at load time. */
typedef struct rt_pname {
    rt_str name;
    int id;                /* header set id, -1: find by scanning */
} rt_pname;

typedef struct rt_ptest {
    const uint32_t *rec;   /* SIEVE_TEST_WORDS words */
    rt_match_keys *keys;   /* SIEVE_TF_KEYS_CONSTANT: prepared keys */
    rt_pname *names;       /* arg0 of header/address/exists when constant */
    uint32_t nnames;
    rt_body_spec *body;    /* body test with a constant :content list */
} rt_ptest;

struct rt_program {
    const sieve_abi_descriptor *desc;
    const uint32_t *w;
    uint32_t nw;
    const char *pool;
    uint32_t pool_bytes;
    const uint32_t *tests, *actions;
    uint32_t ntests, nactions, nvars;
    uint32_t nscripts;     /* include (RFC 6609): scripts numbered in the records, + 1 */
    rt_ptest *ptests;
    rt_hdr_set *hdrs;
    rt_arena *arena;       /* everything prepare allocated */
};

/* Reads a value / list validated by prepare. */
static inline uint32_t rt_list_count(const rt_program *p, uint32_t off)
{
    return off ? p->w[off] : 0;
}
static inline uint32_t rt_list_item(const rt_program *p, uint32_t off, uint32_t i)
{
    return p->w[off + 1 + i];
}
/* True and the text when the value has no variable part. */
bool rt_value_const(const rt_program *p, uint32_t off, rt_str *out_r);

typedef struct rt_run {
    sieve_abi_ctx abi;     /* first: the generated code reads only this */
    const rt_program *p;
    const sieve_settings *settings;
    rt_arena *a;
    rt_msg *msg;
    rt_mime *mime;         /* parsed on the first body test */
    const char *msg_data;
    size_t msg_len;
    const sieve_envelope *env;
    rt_vars vars;
    sieve_result *res;
    const char *separators;
    rt_str flags;          /* imap4flags: the internal variable (RFC 5232 3) */
    bool failed;
    /* currentdate's clock reading (RFC 5260 5), taken at its first use so
     * that every currentdate of one run sees the same instant; 0: not yet. */
    int64_t now;
    char error[RT_RESULT_ERROR_MAX];
    /* include (RFC 6609, ext_include.c): which scripts have run (a bit
     * per script number, for :once) and how deep the includes are now. */
    uint8_t *incl_ran;
    uint32_t incl_depth;
} rt_run;

/* Records a run-time error (RFC 5228 2.10.6) for the record at `line`;
 * the first one wins. Always returns SIEVE_ERROR. */
int32_t rt_run_error(rt_run *r, uint32_t line, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* The keys of list keys_off for test record rec, prepared on arena a: from
 * constant values (v NULL) or expanded with the run's variables. */
rt_match_keys *rt_prepare_keys(const rt_program *p, const uint32_t *rec, const rt_vars *v,
                               rt_arena *a, uint32_t keys_off, rt_rel rel, char *err,
                               size_t errlen);

/* ops->test: evaluates test record i (tests.c). */
int32_t rt_test_eval(rt_run *r, uint32_t i);

/* Matches n values against the keys of test t as the string test does
 * (tests.c); for host tests. */
int32_t rt_test_match_values(rt_run *r, const rt_ptest *t, const rt_str *v, size_t n);

/* include (ext_include.c): sets up the run's include state (arena);
 * false when out of memory. The ops include_enter / include_leave. */
bool rt_include_init(rt_run *r);
int32_t rt_include_enter(sieve_abi_ctx *ctx, uint32_t i);
int32_t rt_include_leave(sieve_abi_ctx *ctx, uint32_t i);

/* ihave (RFC 5463 4) with names known only at run time (ext_ihave.c). */
int32_t rt_ihave_test(rt_run *r, const rt_ptest *t);

/* Host records (host.c, sieve/host.h). */
int32_t rt_host_action(rt_run *r, const uint32_t *rec);
int32_t rt_host_test(rt_run *r, const rt_ptest *t);


#endif
