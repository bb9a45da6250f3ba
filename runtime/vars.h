/* vars: variables of one run (RFC 5229): the slot values, the match
 * variables ${0}..${9} of the last successful :matches/:regex, expansion of
 * the value templates of the program table, and the set modifiers.
 *
 * Storage: every value lives in the run's arena; slot values are never
 * modified in place (set stores a new string), so a match variable or an
 * expansion that points at an old value stays valid for the whole run.
 * Limits follow Pigeonhole's defaults (checked with sieve-test 0.5.19: a
 * 7000-byte value set with :length reports 4096): a value is cut to
 * RT_VAR_MAX_SIZE bytes, at a UTF-8 character boundary.
 * One rt_vars belongs to one run: not thread-safe.
 */
#ifndef SIEVE_RT_VARS_H
#define SIEVE_RT_VARS_H

#include <stdbool.h>
#include <stdint.h>

#include "match.h"
#include "rt_arena.h"
#include "rt_str.h"

#define RT_VAR_MAX_SIZE 4096u
/* Match variables a template can name (RFC 5229 3.2: ${0}..${9}). */
#define RT_VAR_MAX_MATCH 10u

typedef struct rt_program rt_program;

typedef struct rt_vars {
    rt_str *slots;
    uint32_t nslots;
    rt_match_vars match;   /* match.n == 0: no successful match yet */
} rt_vars;

/* Slots all "" (RFC 5229 3: unset variables expand to the empty string).
 * False when the arena is exhausted. */
bool rt_vars_init(rt_vars *v, rt_arena *a, uint32_t nslots);

/* Expands the value template at word offset `off` (validated by prepare).
 * Constant text and a lone variable come back without copying. False when
 * the arena is exhausted. */
bool rt_vars_expand(const rt_program *p, const rt_vars *v, rt_arena *a, uint32_t off,
                    rt_str *out_r);

/* RFC 5229 4.1: applies SIEVE_AF_MOD_* bits in precedence order (40 :lower
 * :upper, 30 :lowerfirst :upperfirst, 20 :quotewildcard :quoteregex, 15
 * :encodeurl, 10 :length). */
bool rt_vars_modify(rt_arena *a, rt_str in, uint32_t mods, rt_str *out_r);

/* set: modifiers, then the size cap, then stores into the slot. */
bool rt_vars_set(rt_vars *v, rt_arena *a, uint32_t slot, rt_str value, uint32_t mods);

/* Cuts s to at most max bytes without splitting a UTF-8 sequence. */
rt_str rt_vars_truncate(rt_str s, size_t max);

/* Replaces the match variables after a successful :matches/:regex. */
void rt_vars_set_match(rt_vars *v, const rt_match_vars *m);

#endif
