/* textsearch: substring search that ignores ASCII case.
 *
 * ASCII letters match in either case, other bytes only themselves, as
 * i;ascii-casemap and TRE's REG_ICASE in the C locale compare. The search
 * jumps with memchr to the needle's rarest
 * byte (by byte frequencies measured in real mail), in both cases, and
 * compares the whole needle around each hit, so a needle that starts with
 * a common letter costs little more than one memchr pass. No state, no
 * allocation.
 */
#ifndef SIEVE_RT_TEXTSEARCH_H
#define SIEVE_RT_TEXTSEARCH_H

#include <stdbool.h>
#include <stddef.h>

static inline unsigned char rt_fold_ascii(unsigned char c)
{
    return c >= 'A' && c <= 'Z' ? (unsigned char)(c + ('a' - 'A')) : c;
}

/* The offset in needle[0..len) where a search should start (its rarest
 * byte); 0 for an empty needle. */
size_t rt_textsearch_anchor(const char *needle, size_t len);

/* Whether hay[0..n) contains needle[0..m) ignoring ASCII case; anchor
 * from rt_textsearch_anchor. An empty needle is contained. */
bool rt_textsearch_icase(const char *hay, size_t n, const char *needle, size_t m, size_t anchor);
/* The same search, returning the first occurrence (hay for an empty
 * needle), or NULL. */
const char *rt_textsearch_icase_find(const char *hay, size_t n, const char *needle, size_t m,
                                     size_t anchor);

#endif
