/* mcore: sieve-milter's decisions, independent of libmilter.
 *
 * The libmilter adapter (milter.c) calls one mc_* function per callback and
 * maps mc_status to SMFIS_*; the unit tests call the same functions with a
 * fake mc_io. See "SMTP-time semantics" in DESIGN.md and
 * sieve-milter(8) for the behaviour:
 *   - RCPT: the recipient's compiled script is found (layout, else the
 *     default script) and loaded through fcache. A filter that needs only
 *     the envelope runs now: reject/ereject answer 550 5.7.1 for this
 *     recipient. A broken .so answers 451 4.3.0 (or is ignored, a setting).
 *     Under the split policy a recipient whose filter could reach another
 *     verdict than the first accepted recipient's gets 452 4.5.3.
 *   - end of message: the other filters run (recipients with the same
 *     recipient-independent filter share one run); all refuse: 550 5.7.1
 *     with the reason made SMTP-safe; some refuse (accept-mixed): those
 *     recipients are removed and logged; discard removes a recipient (all:
 *     the message is discarded); redirect adds one under the redirect
 *     policy; fileinto becomes one header per recipient and folder, after
 *     every such header that came with the message was removed;
 *     editheader changes are applied when every recipient the message is
 *     delivered to ends with the same header (else logged and skipped).
 *   - a script's run-time error keeps the message (RFC 5228 2.10.6).
 *
 * Ownership: an mc_server is shared by all connections (thread-safe); an
 * mc_conn belongs to one connection and is used by one thread at a time
 * (libmilter's thread per connection). mc_close() is the one clean-up and is
 * idempotent; end of message and abort reset the message state.
 */
#ifndef SIEVE_MILTER_MCORE_H
#define SIEVE_MILTER_MCORE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "mconf.h"
#include "reply.h"
#include "sieve/sieve.h"

typedef enum {
    MC_CONTINUE,  /* go on (at end of message: accept with the changes) */
    MC_REJECT,    /* 5xx (the reply was set) */
    MC_TEMPFAIL,  /* 4xx (the reply was set) */
    MC_DISCARD,   /* accept and throw away (every recipient discarded) */
    MC_SKIP,      /* body: send no more body chunks */
} mc_status;

/* What the core asks of the MTA; each returns 0 or -1 (libmilter's
 * MI_SUCCESS/MI_FAILURE). */
typedef struct mc_io {
    void *h;
    int (*setreply)(void *h, const char *rcode, const char *xcode, const reply_text *text);
    int (*addrcpt)(void *h, const char *rcpt);
    int (*delrcpt)(void *h, const char *rcpt);
    /* Inserts a header field at position idx (0: first). */
    int (*insheader)(void *h, int idx, const char *name, const char *value);
    /* Appends a header field after the last one. */
    int (*addheader)(void *h, const char *name, const char *value);
    /* Changes (value NULL: deletes) the idx-th (from 1) field called name. */
    int (*chgheader)(void *h, const char *name, int idx, const char *value);
    /* A macro from the MTA ("i": the queue id), or NULL. */
    const char *(*symval)(void *h, const char *name);
} mc_io;

typedef struct mc_server mc_server;
typedef struct mc_conn mc_conn;

/* conf is copied; lopt (key file, cache dir, owner check) is fixed for the
 * server's life. */
mc_server *mc_server_new(const mconf *conf, const sieve_load_options *lopt, char *err,
                         size_t errlen);
void mc_server_free(mc_server **s_r);
/* New settings for messages that start from now on; drops every loaded
 * filter (mail in flight keeps its references). conf is copied. */
void mc_server_reload(mc_server *s, const mconf *conf);
/* Waits until every queued reply and notification was handed to the MTA
 * (or failed); tests and the graceful stop. */
void mc_server_drain_outbox(mc_server *s);
/* Connections open (counted from mc_connect to mc_close). */
unsigned mc_server_inflight(mc_server *s);
/* Current time, replaceable by tests (rate limit windows). */
void mc_server_set_clock(mc_server *s, int64_t (*now)(void));

/* client_host and client_ip (text; NULL when unknown, e.g. a unix socket)
 * feed the environment items remote-host and remote-ip (RFC 5183). */
mc_conn *mc_connect(mc_server *s, const char *client_host, const char *client_ip);
mc_status mc_helo(mc_conn *c, const char *helo);
mc_status mc_envfrom(mc_conn *c, const mc_io *io, char **argv);
mc_status mc_envrcpt(mc_conn *c, const mc_io *io, char **argv);
mc_status mc_header(mc_conn *c, const mc_io *io, const char *name, const char *value);
mc_status mc_eoh(mc_conn *c, const mc_io *io);
mc_status mc_body(mc_conn *c, const mc_io *io, const unsigned char *p, size_t n);
mc_status mc_eom(mc_conn *c, const mc_io *io);
mc_status mc_abort(mc_conn *c);
void mc_close(mc_conn **c_r);

/* Filled in by mc_eom when not NULL: microseconds spent in it (bench). */
uint64_t mc_conn_last_eom_usec(const mc_conn *c);

#endif
