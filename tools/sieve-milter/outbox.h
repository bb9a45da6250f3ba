/* outbox: the replies (vacation) and notifications (notify mailto) of
 * accepted messages, sent by one background thread, so an end-of-message
 * callback never waits on the MTA it is answering (an SMTP submission to
 * the same MTA from inside its own transaction could deadlock when all its
 * smtpd processes are busy).
 *
 * A job owns its strings. After a vacation reply was sent, its tracking key
 * is recorded in the store (RFC 5230 4.2: the reply is remembered once it
 * went out); a failed submission records nothing, so a later message
 * triggers the reply again. The queue is bounded: a job pushed onto a full
 * queue is dropped and logged. Thread-safe.
 */
#ifndef SIEVE_MILTER_OUTBOX_H
#define SIEVE_MILTER_OUTBOX_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "mstore.h"
#include "outmail.h"

typedef struct ob_job {
    struct ob_job *next;
    char *from;          /* envelope sender, "" for <> */
    char *rcpts;         /* comma-separated envelope recipients */
    char *msg;           /* CRLF lines */
    size_t len;
    char what[160];      /* for the log: "vacation reply for <u>" */
    char qid[64];
    ms_key key;          /* keylen 0: nothing to record */
} ob_job;

typedef struct ob_outbox ob_outbox;

/* store may be NULL (nothing is recorded). */
ob_outbox *ob_new(const om_transport *t, ms_shared *store, unsigned max_jobs);
/* Sends what is queued (waiting at most timeout_s seconds), then stops. */
void ob_free(ob_outbox **o_r, unsigned timeout_s);
/* Takes the job (freed whatever happens). */
void ob_push(ob_outbox *o, ob_job *j);
void ob_job_free(ob_job *j);
/* Waits until the queue is empty and nothing is being sent (tests). */
void ob_drain(ob_outbox *o);
/* Jobs sent and failed so far. */
void ob_counts(ob_outbox *o, uint64_t *sent_r, uint64_t *failed_r);

#endif
