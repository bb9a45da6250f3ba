/* rcpt: recipient addresses (untrusted, from the SMTP client) to canonical
 * users and to the path of their compiled script.
 *
 * Canonical form: angle brackets and an RFC 5321 source route dropped, a
 * quoted local part unquoted (RFC 5321 4.1.2), the detail after the first
 * subaddress separator removed (RFC 5233), ASCII lower-cased. The script
 * path is built from a layout (`%d` domain, `%l` local part, `%u` both as
 * local@domain, `%%`); every byte of an address that is not [a-z0-9_-] (or
 * a '.' that is not the first byte of a component) is written as %XX, so an
 * address can never name `..`, a '/' or anything outside its directory,
 * and two different addresses never share a path.
 * Pure functions; thread-safe.
 */
#ifndef SIEVE_MILTER_RCPT_H
#define SIEVE_MILTER_RCPT_H

#include <stddef.h>

#define RCPT_LOCAL_MAX 64    /* RFC 5321 4.5.3.1.1 */
#define RCPT_DOMAIN_MAX 255  /* RFC 5321 4.5.3.1.2 */

typedef struct rcpt_user {
    char local[RCPT_LOCAL_MAX + 1];
    char domain[RCPT_DOMAIN_MAX + 1];
} rcpt_user;

/* Canonicalises addr[0..len). -1 (with a reason in err) for what is not a
 * usable mailbox address: NUL or control bytes, no domain, an empty or too
 * long part. The caller then treats the recipient as having no script of
 * its own. */
int rcpt_canonical(const char *addr, size_t len, const char *separators, rcpt_user *u,
                   char *err, size_t errlen);

/* Expands layout for u into buf. -1 when the result does not fit or the
 * layout has an unknown %-escape. */
int rcpt_script_path(const char *layout, const rcpt_user *u, char *buf, size_t buflen);

/* The address without angle brackets (for the Sieve envelope), in buf;
 * bytes outside printable ASCII are kept (the filter sees what was sent). */
void rcpt_strip_brackets(const char *arg, char *buf, size_t buflen);

#endif
