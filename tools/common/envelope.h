/* envelope: the SMTP envelope of a stored message, recovered from the
 * trace fields the delivery agent added (RFC 5321 section 4.4: Return-Path;
 * Delivered-To and X-Original-To, which Postfix and Dovecot add), for
 * replaying mail whose real envelope is gone.
 *
 *   sender     the topmost Return-Path, without its angle brackets ("" for
 *              the null path "<>")
 *   recipient  the topmost Delivered-To, else the topmost X-Original-To
 *   orig       the topmost X-Original-To (the recipient before aliasing)
 *
 * Only the header section is read (up to the first empty line); folded
 * fields are unfolded, names compare case-insensitively, CRLF and LF line
 * ends both work. Values longer than ENVX_MAX bytes are treated as absent.
 * The result holds copies; no allocation; thread-safe.
 */
#ifndef SIEVE_TOOLS_ENVELOPE_H
#define SIEVE_TOOLS_ENVELOPE_H

#include <stdbool.h>
#include <stddef.h>

#define ENVX_MAX 1024

typedef struct envx_result {
    bool has_sender, has_recipient, has_orig;
    char sender[ENVX_MAX];
    char recipient[ENVX_MAX];
    char orig[ENVX_MAX];
} envx_result;

void envx_extract(const char *msg, size_t len, envx_result *r);

/* The unfolded, trimmed value of the first field `name` in the header
 * section, copied to buf (NUL-terminated). Returns false when there is no
 * such field or its value does not fit. */
bool envx_header(const char *msg, size_t len, const char *name, char *buf, size_t buflen);

#endif
