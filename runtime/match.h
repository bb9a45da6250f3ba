/* match: Sieve match types over prepared key lists (RFC 5228 2.7.1,
 * RFC 5229 3.2 match variables, RFC 5231 relational, :regex via regex.h).
 *
 * Use: at load time the filter prepares each constant key list once with
 * rt_match_keys_new() (keys folded for the comparator, :matches patterns
 * compiled into a small segment program, regexes compiled); per message,
 * for each value a test reads, rt_match_value() folds the value once and
 * tries every key in order (values outer, keys inner, as Pigeonhole, so the
 * match variables come from the first value/key pair that matched). :count
 * calls rt_match_count() once with the number of values instead.
 * A test with a non-constant key list (variables) prepares it on the
 * message arena the same way and calls rt_match_keys_free() afterwards only
 * when it is a :regex list (TRE keeps its compiled program on the heap).
 *
 * :matches runs in O(len(value) * len(pattern)) at worst: the pattern is
 * split at '*' into segments; the first is anchored at the start, the last
 * at the end, and each middle one is placed at its leftmost fit. That
 * placement is the one RFC 5229 3.2 asks for ("wildcards match as little as
 * possible") and what Pigeonhole produces. '?' is one octet under i;octet and
 * i;ascii-casemap (as Pigeonhole) and one character under
 * i;unicode-casemap (a base character with its combining marks, since that
 * comparator decomposes). A differential run of 300 random patterns against
 * Pigeonhole 0.5.19 agreed on every match and every ${n} except where
 * Pigeonhole is wrong: it matches "bbaab" with "?aa*a?" and "aaababab"
 * with "a?\*\**" (escaped stars taken as wildcards), and aborts on
 * "aba" with "a*?b\*" and "ba" with "*b*?a".
 *
 * Memory: a key list lives in the arena given to rt_match_keys_new (plus
 * TRE's heap for regexes); matching a constant key list takes no heap, and
 * arena space only to fold the value (none for i;octet, i;ascii-numeric and
 * values already in canonical form). Match variables point into the value
 * (or into the arena), never into the keys.
 * Thread-safety: a prepared key list is read-only after creation and may be
 * used from many threads at once, each with its own arena.
 */
#ifndef SIEVE_RT_MATCH_H
#define SIEVE_RT_MATCH_H

#include <stdbool.h>
#include <stddef.h>

#include "compare.h"
#include "rt_arena.h"
#include "rt_str.h"

typedef enum rt_match_type {
    RT_MATCH_IS,
    RT_MATCH_CONTAINS,
    RT_MATCH_MATCHES,
    RT_MATCH_REGEX,
    RT_MATCH_COUNT,  /* RFC 5231 4.2 */
    RT_MATCH_VALUE,  /* RFC 5231 4.1 */
} rt_match_type;

/* RFC 5231 5: relational operators. */
typedef enum rt_rel {
    RT_REL_GT,
    RT_REL_GE,
    RT_REL_LT,
    RT_REL_LE,
    RT_REL_EQ,
    RT_REL_NE,
} rt_rel;

typedef enum rt_match_result {
    RT_MATCH_ERROR = -1,  /* arena exhausted or regex engine failure */
    RT_MATCH_NO = 0,
    RT_MATCH_YES = 1,
} rt_match_result;

/* ${0}..${31}: more wildcards or groups than that are matched but not kept
 * (Pigeonhole keeps more than 10, so 10 would be too few). */
#define RT_MATCH_MAX_VARS 32

typedef struct rt_match_vars {
    size_t n;                     /* entries set in v; 0 after a failed match */
    rt_str v[RT_MATCH_MAX_VARS];  /* v[0]: the matched value */
} rt_match_vars;

typedef struct rt_match_keys rt_match_keys;

/* "gt" ... "ne", case-insensitive (RFC 5231 5). */
bool rt_match_rel_lookup(const char *name, size_t len, rt_rel *rel_r);

/* Prepares `nkeys` keys for one test. `rel` is read for :count and :value
 * only. Errors (NULL, message in err when errsize > 0): arena exhausted, a
 * substring match type with i;ascii-numeric, :regex with a comparator other
 * than i;octet / i;ascii-casemap, a regex refused by rt_regex_compile. The
 * list keeps pointers to nothing of `keys`. */
rt_match_keys *rt_match_keys_new(rt_arena *a, rt_match_type type, rt_cmp_id cmp,
                                 rt_rel rel, const rt_str *keys, size_t nkeys,
                                 char *err, size_t errsize);
/* Releases what the list holds outside its arena (compiled regexes) and
 * clears *k_r. The arena memory goes with the arena. */
void rt_match_keys_free(rt_match_keys **k_r);

rt_match_type rt_match_keys_type(const rt_match_keys *k);
/* Highest match variable index the list can set, plus one (0 when none):
 * lets the generated code skip capture work it would never read. */
size_t rt_match_keys_nvars(const rt_match_keys *k);

/* Tests one value against every key. When vars_r is not NULL and the result
 * is RT_MATCH_YES with :matches or :regex, *vars_r gets the match variables
 * (RFC 5229 3.2); otherwise *vars_r is left alone, so the previous
 * successful match's variables survive a failed test, as the RFC says.
 * Not for RT_MATCH_COUNT (see below). */
rt_match_result rt_match_value(const rt_match_keys *k, rt_arena *a, rt_str value,
                               rt_match_vars *vars_r);

/* RFC 5231 4.2: `count` (values or addresses the test saw) is compared as a
 * decimal string, with the comparator, to each key. */
rt_match_result rt_match_count(const rt_match_keys *k, rt_arena *a, size_t count);

/* One-shot: prepares `key` on the arena and tests `value` (tests, and the
 * "string" test with a variable key). No regex. */
rt_match_result rt_match_once(rt_arena *a, rt_match_type type, rt_cmp_id cmp, rt_rel rel,
                              rt_str value, rt_str key, rt_match_vars *vars_r);

/* RFC 5229 4.1.2 :quotewildcard: prefixes '*', '?' and '\' with '\'. */
bool rt_match_quote_wildcard(rt_arena *a, rt_str in, rt_str *out_r);

#endif
