/* sieve/store_spec.h: opening a store from one configuration string, so
 * the milter, its configuration file and the tools name a store alike.
 *
 *   lmdb:PATH[?OPTIONS]          LMDB file (lmdb:///abs/path also works,
 *                                and a bare path starting with / or .)
 *       map_size=SIZE            upper bound of the file (64K..1T; K/M/G
 *                                suffixes are binary; default 256M)
 *       sync=meta|full|none      see sieve/store_lmdb.h (default meta)
 *       readonly=0|1
 *   redis://[[USER]:PASSWORD@]HOST[:PORT][/DB][?OPTIONS]
 *                                HOST a name, an IPv4 address or [IPv6]
 *   redis+unix:PATH[?OPTIONS]    Redis on a unix socket
 *       prefix=STR               key prefix (default "sievec:")
 *       timeout=DURATION         reply timeout (default 500ms)
 *       connect_timeout=DURATION (default 1000ms)
 *       pool=N                   connections (1..64, default 4)
 *       lazy=0|1                 open without connecting
 *       retry_after=DURATION     fail at once for this long after a failed
 *                                connect or a timeout (default 1s; 0: never)
 *       db=N, user=S, password=S (redis+unix; or in the redis:// URL)
 *
 * DURATION is a number with ms or s (a bare number is milliseconds). In
 * the URL parts and option values %XX stands for a byte (%26 for &,
 * %40 for @). Unknown schemes and options are errors, not ignored.
 *
 * Parsing allocates nothing and touches nothing; opening connects or
 * creates. Error messages never contain the password. Thread-safe.
 */
#ifndef SIEVE_STORE_SPEC_H
#define SIEVE_STORE_SPEC_H

#include <stddef.h>

#include "sieve/store.h"
#include "sieve/store_lmdb.h"
#include "sieve/store_redis.h"

#ifdef __cplusplus
extern "C" {
#endif

#define SIEVE_STORE_SPEC_MAX 4096 /* longest accepted specification */

typedef enum sieve_store_kind {
    SIEVE_STORE_KIND_LMDB = 1,
    SIEVE_STORE_KIND_REDIS,
} sieve_store_kind;

/* A parsed specification. The string pointers in redis are NULL here;
 * sieve_store_spec_open fills them from the buffers. */
typedef struct sieve_store_spec {
    sieve_store_kind kind;
    /* lmdb */
    char path[4096];
    sieve_store_lmdb_options lmdb;
    /* redis */
    sieve_store_redis_options redis;
    char host[256];
    char unix_path[108];
    char username[256];
    char password[256];
    char prefix[SIEVE_STORE_REDIS_PREFIX_MAX + 1];
    int has_username, has_password, has_prefix;
} sieve_store_spec;

/* 0 and *spec_r, or -1 with a message in err saying what is wrong. */
int sieve_store_spec_parse(const char *spec, sieve_store_spec *spec_r, char *err,
                           size_t errlen);

/* Opens the store a parsed specification names; NULL with a message. */
sieve_store *sieve_store_spec_open(const sieve_store_spec *spec, char *err, size_t errlen);

/* Parses and opens in one call; NULL with a message. */
sieve_store *sieve_store_open(const char *spec, char *err, size_t errlen);

/* Closes *s (any back end, through its close) and sets *s to NULL. */
void sieve_store_free(sieve_store **s);

/* The specification with the password replaced by "***", for logs. */
void sieve_store_spec_redact(const char *spec, char *out, size_t outlen);

#ifdef __cplusplus
}
#endif

#endif
