/* sieve/store.h: the memory that vacation (RFC 5230) and duplicate
 * (RFC 7352) keep between messages, provided by the caller.
 *
 * The runtime never stores anything itself: it asks a sieve_store the
 * caller passes in sieve_settings.store. Keys are opaque byte strings of
 * at most SIEVE_STORE_KEY_MAX bytes built by the runtime (a
 * domain-separated SHA-256 of what identifies a reply or a message, so no
 * address or message-id is kept in clear). A record lives until an
 * absolute expiry time (seconds since the epoch); an expired record reads
 * as absent. A store is used by many threads at once (one per milter
 * session): every back end must be thread-safe.
 *
 * Errors are reported, never hidden: lookup and record return
 * SIEVE_STORE_ERROR with a message in err, and the caller's policy decides
 * what follows (temporary failure by default, or skip and log).
 *
 * Back ends: LMDB (one file, the default; sieve/store_lmdb.h), Redis
 * (shared by several hosts; sieve/store_redis.h), both in libsieve-store
 * and opened from one string by sieve/store_spec.h, and memory (tests and
 * replay; sieve/store_memory.h, in libsieve-rt).
 */
#ifndef SIEVE_STORE_H
#define SIEVE_STORE_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#define SIEVE_STORE_KEY_MAX 64

enum {
    SIEVE_STORE_ERROR = -1,
    SIEVE_STORE_ABSENT = 0,   /* also: recorded (for record) */
    SIEVE_STORE_PRESENT = 1,
};

typedef struct sieve_store {
    void *data;
    /* SIEVE_STORE_PRESENT when key has a record that expires after now,
     * SIEVE_STORE_ABSENT when not, SIEVE_STORE_ERROR (err says why). */
    int (*lookup)(void *data, const void *key, size_t keylen, int64_t now, char *err,
                  size_t errlen);
    /* Records key until expires (replacing an earlier record of the same
     * key). SIEVE_STORE_ABSENT (0) on success or SIEVE_STORE_ERROR. */
    int (*record)(void *data, const void *key, size_t keylen, int64_t expires, char *err,
                  size_t errlen);
    /* Frees the back end and its connection; may be NULL. */
    void (*close)(void *data);
} sieve_store;

#ifdef __cplusplus
}
#endif

#endif
