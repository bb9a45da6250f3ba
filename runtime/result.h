/* result: the action list of one run, with the semantics of RFC 5228 2.10
 * and 4, RFC 3894 (:copy) and RFC 5429 (reject, ereject).
 *
 * Actions are added in script order with rt_result_add(), which applies:
 *   - implicit keep: cancelled by fileinto and redirect without :copy,
 *     discard, reject, ereject (RFC 5228 2.10.2, RFC 3894 3, RFC 5429 2.1);
 *     `keep` files into INBOX;
 *   - duplicates (RFC 5228 2.10.3): filing into the same mailbox twice
 *     ("INBOX" in any case; keep is a store into INBOX), redirecting to the
 *     same address twice, discard twice: the later one is dropped (its
 *     cancellation of the implicit keep still applies: RFC 5228 4.1);
 *     a duplicate does not count against the limits;
 *   - conflicts (RFC 5429 2.1/2.2): reject/ereject with a store or a
 *     redirect, either order, and a second reject are run-time errors, as
 *     Pigeonhole does; reject with discard is allowed;
 *   - limits: more than max_actions actions or max_redirects redirects is a
 *     run-time error (Pigeonhole's wording); header edits (editheader) are
 *     not counted as actions but bounded by RT_RESULT_MAX_EDITS.
 * rt_result_finish() appends the implicit keep when it survived and no
 * store into INBOX already delivers there. rt_result_fail() turns the
 * result into the implicit keep alone with an error text (RFC 5228 2.10.6).
 *
 * Strings in actions belong to the run's arena. A result belongs to its
 * session: one thread at a time.
 */
#ifndef SIEVE_RT_RESULT_H
#define SIEVE_RT_RESULT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "sieve/sieve.h"

#define RT_RESULT_ERROR_MAX 512
/* Highest max_actions setting honoured (larger ones are clamped). */
#define RT_RESULT_MAX_ACTIONS 100000u
/* addheader/deleteheader records one run may hold (not counted among the
 * max_actions); one more is a run-time error. */
#define RT_RESULT_MAX_EDITS 256u

/* NULL when out of memory; 0 limits mean the defaults (32, 4). */
sieve_result *rt_result_new(unsigned max_actions, unsigned max_redirects);
void rt_result_free(sieve_result **r_r);
void rt_result_reset(sieve_result *r);

/* Adds one action (copied); kind, copy, mailbox/address/reason set by the
 * caller. 0, or -1 with a run-time error text in err. */
int rt_result_add(sieve_result *r, const sieve_action *act, char *err, size_t errlen);
/* For a host (sieve/host.h): adds an action taken from another run's
 * result, merging duplicates and cancelling the implicit keep like
 * rt_result_add but without its limits and conflict checks (the other run
 * applied them); the array grows when needed, so this may allocate. The
 * strings must outlive the result's use. 0, or -1 (out of memory). */
int rt_result_append(sieve_result *r, const sieve_action *act, char *err, size_t errlen);
void rt_result_finish(sieve_result *r);
void rt_result_fail(sieve_result *r, const char *error);
bool rt_result_implicit_keep(const sieve_result *r);
/* imap4flags (RFC 5232 5): the implicit keep, if any, stores with these
 * flags (the internal variable's final value). */
void rt_result_implicit_flags(sieve_result *r, const char *const *flags, size_t n);
/* editheader: the edited header block sieve_result_header() returns. */
void rt_result_set_header(sieve_result *r, const char *header, size_t len);

/* duplicate (RFC 7352): what one run learnt about each (handle, id) it
 * tested. The same test twice in a run gives the same answer; the mark is
 * recorded by sieve_result_commit when the run completed. */
#define RT_RESULT_MAX_MARKS 32
typedef struct rt_result_mark {
    uint8_t key[32];
    size_t keylen;
    bool duplicate;          /* the answer the run gave */
    bool record;             /* record key until expires at commit */
    int64_t expires;
} rt_result_mark;
rt_result_mark *rt_result_mark_find(sieve_result *r, const uint8_t *key, size_t keylen);
/* A new zeroed mark, NULL when the run has RT_RESULT_MAX_MARKS already. */
rt_result_mark *rt_result_mark_add(sieve_result *r);
/* Two notify actions that count as one notification (same method URI). */
bool rt_notify_same(const sieve_action *x, const sieve_action *y);

#endif
