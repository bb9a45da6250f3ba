/* sieve/store_lmdb.h: the LMDB back end of sieve/store.h (the default).
 *
 * One database file (MDB_NOSUBDIR: PATH holds the data, PATH-lock LMDB's
 * reader table), created mode 0600. Each record is the runtime's opaque key
 * with an 8-byte value: the expiry, seconds since the epoch, big-endian. A
 * record whose expiry is not after `now` reads as absent; lookup deletes
 * such a record when it meets it, and sieve_store_lmdb_purge() deletes all
 * of them (the admin tool runs it from cron; record runs it by itself once
 * when the map is full before giving up).
 *
 * Thread-safe: one transaction per call (MDB_NOTLS), so any number of
 * threads share one handle; writers are serialised by LMDB itself. Several
 * processes may open the same file (LMDB's lock file coordinates them);
 * when one opens it with a larger map size and fills it beyond another's,
 * that other adopts the larger size. A handle must not be used in a child
 * after fork(): open the store in the process that uses it.
 *
 * Committed records survive a crash or kill of the process; with
 * SIEVE_STORE_LMDB_SYNC_FULL they also survive a crash of the machine,
 * with _META all but the last commit do, with _NONE the file may be lost
 * on a machine crash.
 *
 * Part of libsieve-store (static), not of libsieve-rt: only programs that
 * open a store link LMDB.
 */
#ifndef SIEVE_STORE_LMDB_H
#define SIEVE_STORE_LMDB_H

#include <stddef.h>
#include <stdint.h>

#include "sieve/store.h"

#ifdef __cplusplus
extern "C" {
#endif

#define SIEVE_STORE_LMDB_MAP_DEFAULT ((size_t)256 << 20) /* 256 MiB of address space */
#define SIEVE_STORE_LMDB_MAP_MIN ((size_t)64 << 10)

enum sieve_store_lmdb_sync {
    SIEVE_STORE_LMDB_SYNC_META = 0, /* default: fsync data, not the meta page */
    SIEVE_STORE_LMDB_SYNC_FULL,
    SIEVE_STORE_LMDB_SYNC_NONE,
};

typedef struct sieve_store_lmdb_options {
    size_t map_size; /* 0: SIEVE_STORE_LMDB_MAP_DEFAULT; the file's upper bound */
    enum sieve_store_lmdb_sync sync;
    int read_only;   /* open for stats/check only; record fails */
} sieve_store_lmdb_options;

/* Opens (creating when missing, unless read_only) the database file at
 * path. opt may be NULL for the defaults. NULL with a message in err when
 * the file cannot be opened or created or is not an LMDB file. The
 * returned store is freed by store->close(store->data) (or
 * sieve_store_free from sieve/store_spec.h). */
sieve_store *sieve_store_lmdb_open(const char *path, const sieve_store_lmdb_options *opt,
                                   char *err, size_t errlen);

/* True when s was opened by sieve_store_lmdb_open. */
int sieve_store_lmdb_owns(const sieve_store *s);

typedef struct sieve_store_lmdb_stats {
    uint64_t records;   /* all records, expired or not */
    uint64_t expired;   /* of which expired at `now` */
    uint64_t map_size;  /* bytes the file may grow to */
    uint64_t used;      /* bytes in use (pages in use x page size) */
} sieve_store_lmdb_stats;

/* Counts the records (a read transaction; writers go on meanwhile).
 * 0, or SIEVE_STORE_ERROR with a message in err. */
int sieve_store_lmdb_stats_get(sieve_store *s, int64_t now, sieve_store_lmdb_stats *st_r,
                               char *err, size_t errlen);

/* Deletes every record whose expiry is not after now (one write
 * transaction). 0 with the count in *purged_r (may be NULL), or
 * SIEVE_STORE_ERROR. */
int sieve_store_lmdb_purge(sieve_store *s, int64_t now, uint64_t *purged_r, char *err,
                           size_t errlen);

#ifdef __cplusplus
}
#endif

#endif
