/* annotation: the names of IMAP METADATA entries (RFC 5464 3.2), as the
 * metadata tests of RFC 5490 take them. One rule for the checker (a
 * warning for a constant name, as Pigeonhole 0.5.19 gives) and the
 * runtime (the test is false for a name only known then). Pure; thread-safe.
 */
#ifndef SIEVE_RT_ANNOTATION_H
#define SIEVE_RT_ANNOTATION_H

#include <stddef.h>

/* Why s[0..len) is not a valid entry name (Pigeonhole's wording), or NULL
 * when it is one: "/private" or "/shared", then "/"-separated parts of
 * printable ASCII without '*' or '%', no empty part, no trailing '/'. */
const char *rt_annotation_problem(const char *s, size_t len);

#endif
