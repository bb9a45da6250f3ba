/* ext_dsn: the run-time half of RFC 6009. The envelope test's parts of
 * envelope-dsn ("notify", "orcpt") and envelope-deliverby
 * ("bytimeabsolute", "bytimerelative", "bymode", "bytrace"), read from
 * sieve_envelope.dsn_notify / orig_rcpt / deliver_by; and the redirect
 * parameters of redirect-dsn and redirect-deliverby, put on the action.
 * Values are built on the run's arena; nothing else is allocated.
 */
#ifndef SIEVE_RT_EXT_DSN_H
#define SIEVE_RT_EXT_DSN_H

#include "exec.h"

/* At most this many values per part ("notify" has up to three). */
#define RT_DSN_MAX_VALUES 3

/* The values of envelope part `part` (not "from", "to", "auth") for test
 * record rec, in v[0..n): n is returned, 0 when the part is unknown or
 * the envelope does not have it, -1 when out of memory. *addr_r is set
 * when the one value is an address the caller must take apart with the
 * test's address part ("orcpt" of type rfc822 with an address part other
 * than :all). */
int rt_dsn_envelope_part(rt_run *r, const uint32_t *rec, rt_str part, rt_str *v, bool *addr_r);

/* Puts the RFC 6009 parameters of redirect record rec on act; a value
 * only known at run time that is not valid is a run-time error
 * (SIEVE_ERROR), as an invalid constant is a compile error. */
int32_t rt_dsn_redirect(rt_run *r, const uint32_t *rec, sieve_action *act);

#endif
