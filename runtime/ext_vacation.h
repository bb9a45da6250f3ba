/* ext_vacation: the vacation action (RFC 5230, RFC 6131 :seconds, RFC 8580
 * :fcc) at run time, and the rules that decide whether a reply is sent.
 *
 * The action is always added to the result (sieve-test and replay show
 * it); when no reply would be sent its `suppressed` says why. The store is
 * only read here: sieve_result_commit records the reply once the caller
 * sent it. Everything lives in the run's arena; no allocation otherwise.
 */
#ifndef SIEVE_RT_EXT_VACATION_H
#define SIEVE_RT_EXT_VACATION_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "exec.h"

/* The current time of a run: settings.now, else the clock. */
int64_t rt_run_now(const rt_run *r);
/* now + period, saturated at INT64_MAX. */
int64_t rt_expiry(int64_t now, uint64_t period);

/* RFC 5230 4.5-4.6, RFC 3834: the reason no reply may go to `sender` (the
 * reply's recipient, "" for the null path) for message m, whose recipient
 * is known by the addresses own[0..nown) (the envelope recipient and
 * :addresses); NULL when a reply may go, and then *matched_r (when not
 * NULL) is the own address the message was addressed to. Comparisons
 * ignore case. */
const char *rt_vacation_suppress(rt_msg *m, rt_arena *a, rt_str sender, const rt_str *own,
                                 size_t nown, rt_str *matched_r);

/* The response-tracking key (RFC 5230 4.2): SHA-256 over a domain tag and
 * the length-prefixed, lower-cased recipient and sender and the handle
 * (:handle, or the default one built from reason, :subject, :from, :mime). */
void rt_vacation_key(rt_str recipient, rt_str sender, bool has_handle, rt_str handle,
                     rt_str reason, rt_str subject, rt_str from, bool mime, uint8_t out[32]);

/* The vacation action record rec (ops->action). */
int32_t rt_vacation_action(rt_run *r, const uint32_t *rec, sieve_action *act);

#endif
