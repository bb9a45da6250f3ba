/* rpolicy: may a user's script redirect to an address? Redirect targets
 * must be in an allowed domain, and each user may redirect at most `rate`
 * messages an hour (a fixed window per user), so a user script cannot turn
 * the server into an open redirector or a mail cannon.
 * Thread-safe (a mutex around the counters). The counter table is bounded:
 * when full, windows that ended are dropped, and a user who cannot get a
 * counter is refused (fail closed).
 */
#ifndef SIEVE_MILTER_RPOLICY_H
#define SIEVE_MILTER_RPOLICY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef struct rpolicy rpolicy;

rpolicy *rpolicy_new(size_t max_users);
void rpolicy_free(rpolicy **p_r);

/* Is target's domain in domains[0..n) ("*" matches any; comparison is
 * ASCII case-insensitive)? */
bool rpolicy_domain_allowed(const char *target, char *const *domains, size_t n);
/* Counts one redirect for user at time now; false when the user already
 * made `rate` in the current hour (rate 0: unlimited). */
bool rpolicy_take(rpolicy *p, const char *user, unsigned rate, int64_t now);

#endif
