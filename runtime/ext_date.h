/* ext_date: the run-time half of the date (RFC 5260 4), currentdate
 * (RFC 5260 5) and environment (RFC 5183) tests, called by rt_test_eval
 * (tests.c) for SIEVE_TEST_DATE, SIEVE_TEST_CURRENTDATE and
 * SIEVE_TEST_ENVIRONMENT records (operands in abi.h).
 *
 * Dates come from datetime.c, never from libc's time zone machinery: the
 * "local" zone is sieve_settings.zone_offset and the current time
 * sieve_settings.now (or the clock). Values are built on the run's arena.
 * Each returns SIEVE_TRUE, SIEVE_OK (false) or SIEVE_ERROR.
 */
#ifndef SIEVE_RT_EXT_DATE_H
#define SIEVE_RT_EXT_DATE_H

#include "exec.h"

int32_t rt_test_date(rt_run *r, const rt_ptest *t);
int32_t rt_test_currentdate(rt_run *r, const rt_ptest *t);
int32_t rt_test_environment(rt_run *r, const rt_ptest *t);

#endif
