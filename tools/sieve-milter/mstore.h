/* mstore: sieve-milter's side of the vacation/duplicate store
 * (sieve/store.h): the shared handle named by `store` in
 * sieve-milter.conf, reopened when it could not be opened, a per-session
 * proxy that notes store failures and applies the store_unreachable
 * policy, and a capture that collects what a run would record until the
 * message is accepted.
 *
 *   tempfail (default)  a failed lookup is a run-time error of the script
 *                       and the milter answers 451 4.3.0, so the sender
 *                       retries and nobody gets a reply twice
 *   skip                a failed lookup reads as absent, the run goes on,
 *                       its replies and notifications are not sent (logged)
 *
 * ms_shared is thread-safe; an ms_proxy and an ms_keys belong to one
 * session (one thread at a time).
 */
#ifndef SIEVE_MILTER_MSTORE_H
#define SIEVE_MILTER_MSTORE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "sieve/sieve.h"
#include "sieve/store.h"

typedef struct ms_shared ms_shared;

typedef struct ms_key {
    uint8_t key[SIEVE_STORE_KEY_MAX];
    size_t keylen;
    int64_t expires;
} ms_key;

/* spec NULL: no store (nothing is remembered). Opening is tried now and,
 * while it fails, again at most every 10 seconds when the store is used. */
ms_shared *ms_new(const char *spec, bool skip_policy);
void ms_free(ms_shared **s_r);
/* Records one key; 0 or -1 (err). */
int ms_record(ms_shared *s, const ms_key *k, char *err, size_t errlen);

/* The store a session reads through. */
typedef struct ms_proxy {
    sieve_store iface;   /* give &iface to sieve_settings.store */
    ms_shared *sh;
    bool failed;         /* a lookup failed since ms_proxy_reset */
    char err[256];
} ms_proxy;
void ms_proxy_init(ms_proxy *p, ms_shared *sh);
void ms_proxy_reset(ms_proxy *p);
bool ms_skip_policy(const ms_shared *sh);
bool ms_configured(const ms_shared *sh);

/* What sieve_result_commit would record, kept until the message is
 * accepted. */
typedef struct ms_keys {
    ms_key *v;
    size_t n, cap;
} ms_keys;
/* Captures the records of a result: its duplicate marks and vacation keys. */
int ms_capture(ms_keys *k, const sieve_result *result, int64_t now);
void ms_keys_remove(ms_keys *k, const uint8_t *key, size_t keylen);
void ms_keys_clear(ms_keys *k);

#endif
