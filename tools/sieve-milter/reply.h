/* reply: a script's reject reason made safe for an SMTP reply given through
 * libmilter (RFC 5321 4.2, 4.5.3.1.5; smfi_setmlreply(3)).
 *
 * The reason is untrusted text. Output lines hold only printable ASCII
 * (tab becomes a space, other bytes '?'), '%' doubled (libmilter treats the
 * text as a format), no CR or LF: a line break in the reason starts a new
 * reply line, and a line longer than REPLY_LINE_MAX is wrapped. At most
 * REPLY_MAX_LINES lines (libmilter's limit); the last one says the rest was
 * cut. Pure; thread-safe.
 */
#ifndef SIEVE_MILTER_REPLY_H
#define SIEVE_MILTER_REPLY_H

#include <stddef.h>

#define REPLY_MAX_LINES 32
/* Text per line, before '%' doubling; with "550-5.7.1 " and CRLF it stays
 * well inside the 512-byte reply line limit even when every byte is '%'. */
#define REPLY_LINE_MAX 200

typedef struct reply_text {
    size_t nlines;
    char lines[REPLY_MAX_LINES][2 * REPLY_LINE_MAX + 1];
} reply_text;

/* fallback is used when reason is NULL or has no printable text. */
void reply_make(reply_text *r, const char *reason, const char *fallback);

#endif
