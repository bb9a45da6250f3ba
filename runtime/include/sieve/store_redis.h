/* sieve/store_redis.h: the Redis back end of sieve/store.h, for several
 * milter hosts sharing one memory.
 *
 * A record is the string key PREFIX + the runtime's binary key (sent with
 * binary-safe arguments) holding its expiry in decimal seconds, set with
 * `SET key expiry EXAT expiry` so Redis drops it on time by itself (EXAT
 * needs Redis 6.2; Debian 12 ships 7.0). lookup is `GET key`, and a value
 * not after `now` reads as absent, so callers with a clock of their own
 * (tests, replay) see the same answers as with the other back ends.
 * Whether records survive a restart of Redis is Redis's configuration
 * (appendonly or save); they always survive a restart of the milter.
 *
 * Thread-safe: a small pool of connections, each behind its own mutex; a
 * call takes one, so at most `pool` commands are in flight. A connection
 * that was lost (Redis restarted, idle timeout) is opened again and the
 * command retried once; a command that got no reply within
 * command_timeout_ms is not retried. An unreachable Redis yields
 * SIEVE_STORE_ERROR with a message, never a wait beyond connect_timeout_ms
 * plus command_timeout_ms per attempt (name resolution of a host name
 * excepted: use an address or a unix socket where that matters). After a
 * failed connect or a timeout, Redis counts as down for retry_after_ms:
 * calls fail at once (the message says so) rather than each waiting for
 * a timeout of its own while queued for a connection. SIGPIPE
 * from a closed socket is blocked and discarded inside each call.
 *
 * Part of libsieve-store (static), not of libsieve-rt.
 */
#ifndef SIEVE_STORE_REDIS_H
#define SIEVE_STORE_REDIS_H

#include <stddef.h>
#include <stdint.h>

#include "sieve/store.h"

#ifdef __cplusplus
extern "C" {
#endif

#define SIEVE_STORE_REDIS_PREFIX_MAX 128
#define SIEVE_STORE_REDIS_POOL_MAX 64

typedef struct sieve_store_redis_options {
    const char *host;        /* NULL: 127.0.0.1 (ignored with unix_path) */
    int port;                /* 0: 6379 */
    const char *unix_path;   /* non-NULL: connect to this socket instead */
    const char *username;    /* NULL: AUTH password alone (Redis < 6 style) */
    const char *password;    /* NULL: no AUTH */
    int db;                  /* SELECT db when not 0 */
    const char *prefix;      /* NULL: "sievec:"; at most PREFIX_MAX bytes */
    int connect_timeout_ms;  /* 0: 1000 */
    int command_timeout_ms;  /* 0: 500 */
    int pool;                /* connections; 0: 4 */
    int lazy;                /* open without connecting (errors come on use) */
    int retry_after_ms;      /* after a failed connect or a timeout, fail at
                              * once for this long; 0: 1000, < 0: never */
} sieve_store_redis_options;

/* Connects (unless lazy), authenticates and selects the database. NULL
 * with a message in err when Redis cannot be reached or refuses. Freed by
 * store->close(store->data) (or sieve_store_free). */
sieve_store *sieve_store_redis_open(const sieve_store_redis_options *opt, char *err,
                                    size_t errlen);

/* True when s was opened by sieve_store_redis_open. */
int sieve_store_redis_owns(const sieve_store *s);

/* Counts the keys under the store's prefix (SCAN, so Redis keeps serving).
 * 0 with *keys_r, or SIEVE_STORE_ERROR. */
int sieve_store_redis_count(sieve_store *s, uint64_t *keys_r, char *err, size_t errlen);

#ifdef __cplusplus
}
#endif

#endif
