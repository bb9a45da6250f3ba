/* compare: the Sieve comparators (RFC 5228 2.7.3, RFC 4790, RFC 5051).
 *
 * A comparator is reduced to a canonical form ("fold") under which equality
 * and substring search are plain byte operations and ordering is octet
 * order (numeric for i;ascii-numeric):
 *   i;octet            identity
 *   i;ascii-casemap    ASCII a-z upper-cased (RFC 4790 9.2: lower-case
 *                      letters "are changed to upper case"); Pigeonhole
 *                      lower-cases instead, so its ordering of [ \ ] ^ _ `
 *                      against letters differs (e.g. "a" :value "gt" "_")
 *   i;unicode-casemap  RFC 5051: each character mapped to titlecase, then
 *                      fully decomposed (NFKD), recursively; bytes that are
 *                      not valid UTF-8 each become U+FFFD
 *   i;ascii-numeric    RFC 4790 9.1: the value is the run of leading digits;
 *                      a string not starting with a digit is positive
 *                      infinity; infinities are equal; no substring match
 * Constant keys are prepared once (rt_cmp_key_prepare, at load time); a
 * runtime value is folded once per test (rt_cmp_fold) and then compared with
 * every prepared key.
 *
 * Memory: folded strings live in the caller's arena, or alias the input when
 * folding changes nothing (i;octet, all input of i;ascii-numeric). Folding
 * i;unicode-casemap never calls malloc.
 * Thread-safety: no shared mutable state; safe from any number of threads.
 */
#ifndef SIEVE_RT_COMPARE_H
#define SIEVE_RT_COMPARE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "rt_arena.h"
#include "rt_str.h"

typedef enum rt_cmp_id {
    RT_CMP_OCTET,
    RT_CMP_ASCII_CASEMAP,
    RT_CMP_ASCII_NUMERIC,
    RT_CMP_UNICODE_CASEMAP,
} rt_cmp_id;

/* A value in canonical form. For i;ascii-numeric `s` holds the significant
 * digits (leading zeros stripped, "" for zero) and `inf` says the value is
 * positive infinity; for the others `s` is the folded string. */
typedef struct rt_cmp_key {
    rt_str s;
    bool inf;
} rt_cmp_key;

/* Maps a comparator name ("i;octet", ...; RFC 4790 names are compared
 * case-insensitively) to its id. False when unknown. */
bool rt_cmp_lookup(const char *name, size_t len, rt_cmp_id *id_r);
const char *rt_cmp_name(rt_cmp_id id);
/* False for i;ascii-numeric: :contains and :matches are errors with it
 * (RFC 4790 9.1; the compiler rejects them). */
bool rt_cmp_has_substring(rt_cmp_id id);

/* Folds `in` for comparator `id` into *out_r (storage in `a` when needed).
 * False only when the arena is exhausted. */
bool rt_cmp_fold(rt_arena *a, rt_cmp_id id, rt_str in, rt_cmp_key *out_r);
/* Same for a constant key at load time; identical result, named apart so the
 * generated code reads as what it does. */
bool rt_cmp_key_prepare(rt_arena *a, rt_cmp_id id, rt_str in, rt_cmp_key *out_r);

/* Folding of one already-decoded character for i;unicode-casemap, appended
 * to `out` (at most RT_CMP_UNI_MAX_EXPANSION bytes). Returns bytes written.
 * Exposed for :matches, which folds patterns piecewise. */
#define RT_CMP_UNI_MAX_EXPANSION 128
size_t rt_cmp_uni_fold_char(uint32_t uc, uint8_t *out);

/* Equality of two folded values (RFC 4790 "equality"). */
bool rt_cmp_equal(rt_cmp_id id, const rt_cmp_key *v, const rt_cmp_key *k);
/* Ordering: <0, 0, >0 as v sorts before, equal to, after k. */
int rt_cmp_order(rt_cmp_id id, const rt_cmp_key *v, const rt_cmp_key *k);
/* Substring: true when k occurs in v (both folded). Always false for
 * i;ascii-numeric. */
bool rt_cmp_contains(rt_cmp_id id, const rt_cmp_key *v, const rt_cmp_key *k);

/* One-shot helpers that fold both sides (tests, rare non-constant paths). */
bool rt_cmp_str_equal(rt_arena *a, rt_cmp_id id, rt_str v, rt_str k, bool *eq_r);
bool rt_cmp_str_order(rt_arena *a, rt_cmp_id id, rt_str v, rt_str k, int *ord_r);

#endif
