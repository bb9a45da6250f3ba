/* regex_prefilter: literals that every match of a POSIX ERE must contain.
 *
 * rt_prefilter_build reads a pattern (already accepted by TRE) and derives
 * a set of at most RT_PREFILTER_MAX literal strings such that any text the
 * pattern matches contains at least one of them: "(viagra|cialis)" gives
 * {"viagra", "cialis"}, "\$[0-9]+" gives {"$"}. rt_prefilter_may_match
 * checks a value for them, so a value containing none is known not to
 * match without running TRE, which costs tens of nanoseconds per byte and
 * allocates its working state on the heap.
 *
 * The analysis is conservative: whatever it does not understand (bracket
 * expressions, ".", anchors, escapes of letters, TRE extensions) counts as
 * "any text", and a pattern whose necessary set would contain the empty
 * string or too many literals gets no prefilter (may_match is always
 * true). It never changes a result, only skips work: a value the prefilter
 * passes is still matched by TRE. Case-insensitive patterns (REG_ICASE)
 * keep folded literals and compare ASCII case-insensitively, as TRE does
 * in the C locale.
 *
 * An rt_prefilter is a plain value: no heap, read-only after building,
 * safe to share between threads.
 */
#ifndef SIEVE_RT_REGEX_PREFILTER_H
#define SIEVE_RT_REGEX_PREFILTER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "rt_str.h"

#define RT_PREFILTER_MAX 8        /* literals in a set */
#define RT_PREFILTER_LEN 32       /* bytes in one literal */

typedef struct rt_prefilter {
    bool active;                  /* false: every value may match */
    bool icase;
    uint8_t n;
    uint8_t len[RT_PREFILTER_MAX];
    uint8_t anchor[RT_PREFILTER_MAX];   /* offset of the rarest byte, searched first */
    char lit[RT_PREFILTER_MAX][RT_PREFILTER_LEN];
} rt_prefilter;

/* Analyses pattern[0..len); icase: the pattern is compiled with REG_ICASE. */
void rt_prefilter_build(rt_prefilter *pf, const char *pattern, size_t len, bool icase);

/* false only when value cannot match the pattern. */
bool rt_prefilter_may_match(const rt_prefilter *pf, rt_str value);

/* Given p[i] == '[', the index after the bracket expression's closing
 * ']' (classes such as [:alpha:] inside), or len when it is unterminated. */
size_t rt_ere_skip_bracket(const char *p, size_t len, size_t i);

#endif
