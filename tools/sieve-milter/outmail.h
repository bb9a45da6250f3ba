/* outmail: hands one message to the MTA, by SMTP (RFC 5321) to a host and
 * port, or through a sendmail(8) program. Used for vacation replies
 * (RFC 5230) and mailto notifications (RFC 5436) after the message that
 * caused them was accepted.
 *
 * A transport is named by one string (sieve-milter.conf's reply_transport):
 *   smtp:HOST:PORT   SMTP to HOST (a name or an IPv4 address; [v6] for an
 *                    IPv6 one) on PORT; "smtp:HOST" is port 25
 *   sendmail         the program of sendmail_command, with
 *                    "-i -f SENDER -- RCPT..." (SENDER "<>" for the null path)
 * om_send blocks (every SMTP step has a timeout) and is thread-safe. The
 * message must have CRLF line ends; SMTP dot-stuffing is done here.
 */
#ifndef SIEVE_MILTER_OUTMAIL_H
#define SIEVE_MILTER_OUTMAIL_H

#include <stddef.h>

typedef struct om_transport {
    enum { OM_SMTP, OM_SENDMAIL } kind;
    char host[256];
    char port[8];
    char sendmail[1024];   /* the command (words split at spaces) */
    char helo[256];        /* our name in EHLO */
    int timeout_ms;        /* per SMTP step */
} om_transport;

/* Parses spec; sendmail_command is used for "sendmail". 0 or -1 (err). */
int om_parse(const char *spec, const char *sendmail_command, om_transport *t, char *err,
             size_t errlen);

/* Sends msg from mail_from ("" is <>) to the comma-separated recipients.
 * 0 when the MTA took it (250 after DATA, or sendmail exited 0); -1 with
 * what went wrong in err (the MTA's reply when there was one). */
int om_send(const om_transport *t, const char *mail_from, const char *rcpts, const char *msg,
            size_t len, char *err, size_t errlen);

#endif
