/* sieve/host.h: commands and tests a host program performs for a compiled
 * filter, and what the host may do to the run that called it.
 *
 * Filters compiled in testsuite mode (vnd.dovecot.testsuite, for
 * sieve-testsuite) contain SIEVE_ACT_HOST and SIEVE_TEST_HOST records
 * (abi.h). The runtime knows nothing of their meaning: it expands their
 * operands and hands each one to the sieve_host table given in
 * sieve_settings.host. A session without a host refuses them with a
 * run-time error.
 *
 * A sieve_host_call lives for one callback: it points into the run (its
 * arena, result, message), so none of it may be kept after the callback
 * returns. Strings the accessors return live in the run's arena until the
 * next sieve_run of the session. Callbacks run on the thread of sieve_run.
 */
#ifndef SIEVE_HOST_H
#define SIEVE_HOST_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "sieve/abi.h"
#include "sieve/sieve.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct sieve_host_call sieve_host_call;

typedef struct sieve_host {
    void *data;
    /* A host command: SIEVE_OK, or SIEVE_ERROR after sieve_host_call_error
     * (the run stops with that run-time error). */
    int32_t (*command)(void *data, sieve_host_call *c);
    /* A host test: SIEVE_TRUE, SIEVE_OK (false) or SIEVE_ERROR. */
    int32_t (*test)(void *data, sieve_host_call *c);
} sieve_host;

/* ---- The record ------------------------------------------------------- */

sieve_host_id sieve_host_call_id(const sieve_host_call *c);
unsigned sieve_host_call_line(const sieve_host_call *c);
/* SIEVE_TF_* of a test record, SIEVE_AF_* of an action record. */
uint32_t sieve_host_call_flags(const sieve_host_call *c);
/* The number operand (arg2) of the record; for tests the :index too. */
uint32_t sieve_host_call_number(const sieve_host_call *c);
uint32_t sieve_host_call_index(const sieve_host_call *c);
/* Value operand k (0 or 1) with the variables expanded, NUL-terminated;
 * NULL when the record has no such operand (or out of memory, after
 * recording a run-time error). */
const char *sieve_host_call_arg(sieve_host_call *c, unsigned k, size_t *len_r);
/* Matches values against the test's keys with its match type, comparator
 * and relation (RFC 5228 2.7, RFC 5231: :count counts the values), as the
 * string test does: SIEVE_TRUE, SIEVE_OK or SIEVE_ERROR. */
int32_t sieve_host_call_match(sieve_host_call *c, const char *const *values, size_t n);
/* Records a run-time error for this record; returns SIEVE_ERROR. */
int32_t sieve_host_call_error(sieve_host_call *c, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

/* ---- The run ---------------------------------------------------------- */

/* The result being built (actions so far, no implicit keep entry yet). */
const sieve_result *sieve_host_result(const sieve_host_call *c);
/* Whether the implicit keep still applies (RFC 5228 2.10.2). */
bool sieve_host_result_implicit_keep(const sieve_host_call *c);
/* Empties the result (as at the start of a run). */
void sieve_host_result_reset(sieve_host_call *c);
/* Adds an action performed elsewhere (another filter's run) to this
 * result: duplicates are merged and the implicit keep cancelled as by the
 * script itself (RFC 5228 2.10.3), but no limit is applied (the other run
 * applied its own). Strings are copied into the run's arena. 0 or -1
 * (out of memory, err says so). */
int sieve_host_result_append(sieve_host_call *c, const sieve_action *a, char *err,
                             size_t errlen);
/* Replaces the message the rest of the run sees (with no header edits and
 * an empty internal imap4flags variable); msg must stay valid
 * until the run ends. The envelope is the host's own sieve_envelope given
 * to sieve_run: changes the host makes to it are seen from then on. 0, or
 * -1 when the message exceeds the session's memory limit. */
int sieve_host_set_message(sieve_host_call *c, const char *msg, size_t len);
/* Sets the run's internal imap4flags variable (RFC 5232 3), e.g. to the
 * flags of a stored message the host selected, as Pigeonhole's
 * test_message :folder does. 0, or -1 when out of memory. */
int sieve_host_set_flags(sieve_host_call *c, const char *flags);
/* The internal imap4flags variable now (what the implicit keep would store
 * with), NUL-terminated in the run's arena; NULL when out of memory. */
const char *sieve_host_flags(sieve_host_call *c);

#ifdef __cplusplus
}
#endif

#endif
