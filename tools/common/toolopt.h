/* toolopt: option value parsing shared by the command-line tools: counts
 * with a range, points in time (--now), sizes in human units.
 *
 * Every parser takes the whole string: trailing junk is an error. No
 * state; thread-safe.
 */
#ifndef SIEVE_TOOLS_TOOLOPT_H
#define SIEVE_TOOLS_TOOLOPT_H

#include <stdbool.h>
#include <stdint.h>

/* A decimal integer in [min, max]. */
bool topt_parse_uint(const char *s, uint64_t min, uint64_t max, uint64_t *v_r);

/* Seconds since the epoch, or ISO 8601 / RFC 3339:
 *   YYYY-MM-DD, YYYY-MM-DDTHH:MM, YYYY-MM-DDTHH:MM:SS (a space may replace
 *   the T; fractions of a second are ignored), followed by Z, +HH:MM,
 *   -HH:MM, +HHMM or nothing (UTC).
 * Also "@EPOCH" as date(1) writes it. */
bool topt_parse_time(const char *s, int64_t *t_r);

/* Days since 1970-01-01 of a proleptic Gregorian date. */
int64_t topt_days_from_civil(int64_t y, unsigned m, unsigned d);

#endif
