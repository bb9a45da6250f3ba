/* ext_spamtest: spamtest, spamtestplus and virustest at run time (RFC
 * 5235), configured through sieve/spamtest.h; internal to libsieve-rt.
 * The result string is computed from the message header and the session's
 * sieve_spamtest_conf, then matched against the keys like the string test
 * (so :value/:count and comparators apply as RFC 5235 3 says). Nothing is
 * allocated outside the run's arena. */
#ifndef SIEVE_RT_EXT_SPAMTEST_H
#define SIEVE_RT_EXT_SPAMTEST_H

#include <stdint.h>

#include "exec.h"

int32_t rt_spamtest_eval(rt_run *r, const rt_ptest *t);

/* The result as a number for a score/max pair (percent: 0..100), exposed
 * for the unit tests: spamtest 1..10, virustest 1..5. */
unsigned rt_spamtest_scale(float score, float max, bool virus, bool percent);
/* Parses [+-]digits[.digits] (also ".5" and a decimal comma; the whole of
 * s) in single precision as Pigeonhole does; false otherwise. */
bool rt_spamtest_number(rt_str s, float *out_r);

#endif
