/* dsn: tells the sender which recipients refused a message that was
 * accepted for the others (multi_recipient = accept-mixed with
 * mixed_refusal_notice = dsn): a delivery status notification
 * (RFC 3464, multipart/report RFC 6522) from the null sender, handed to the
 * MTA's sendmail command.
 * dsn_build is pure; dsn_submit runs a program. Thread-safe.
 */
#ifndef SIEVE_MILTER_DSN_H
#define SIEVE_MILTER_DSN_H

#include <stddef.h>

typedef struct dsn_refusal {
    const char *rcpt;     /* the refused recipient */
    const char *reason;   /* the script's reason (untrusted), or NULL */
} dsn_refusal;

/* Builds the notification to `sender` into a malloc'd string (CRLF lines);
 * NULL when out of memory. host names the reporting MTA. */
char *dsn_build(const char *host, const char *sender, const char *qid,
                const dsn_refusal *r, size_t n);
/* Hands the text to `command` (an absolute path, then words split at
 * spaces) through outmail's sendmail transport, "-i -f <> -- sender";
 * 0 when it exited 0. */
int dsn_submit(const char *command, const char *sender, const char *text, char *err,
               size_t errlen);

#endif
