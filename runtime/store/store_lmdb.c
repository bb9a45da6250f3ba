/* store_lmdb.c: sieve/store.h over one LMDB file (see sieve/store_lmdb.h). */
#include "sieve/store_lmdb.h"

#include <errno.h>
#include <limits.h>
#include <lmdb.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "store_util.h"

/* Readers each hold a slot of the lock file for the length of one lookup;
 * a milter runs a few hundred sessions at most. */
#define LMDB_MAX_READERS 1024
/* Deletes per write transaction in purge, so a large purge does not hold
 * the single writer lock against the milter's records for long. */
#define LMDB_PURGE_BATCH 1024
/* LMDB's default maximum key size is 511 bytes. */
#define LMDB_KEY_BUF 512

struct lmdb_store {
    sieve_store pub; /* first: pub.data points back at the whole struct */
    /* Every transaction holds it shared; adopting a map grown by another
     * process (mdb_env_set_mapsize(env, 0)) needs no transaction open in
     * this one, so it takes it exclusively. */
    pthread_rwlock_t resize;
    MDB_env *env;
    MDB_dbi dbi;
    int read_only;
    char path[];
};

static void lmdb_close(void *data);

static void lmdb_fail(char *err, size_t errlen, const struct lmdb_store *st, const char *what,
                      int rc)
{
    if (rc == MDB_MAP_FULL) {
        MDB_envinfo info;
        mdb_env_info(st->env, &info); /* the size in force, maybe not ours */
        store_errf(err, errlen,
                   "LMDB store %s is full (map size %zu KiB): purge expired records "
                   "(sieve-store SPEC purge) or open it with a larger map_size",
                   st->path, info.me_mapsize >> 10);
    } else if (rc == MDB_MAP_RESIZED) {
        store_errf(err, errlen,
                   "LMDB store %s: another process keeps growing its map_size; "
                   "use the same map_size everywhere",
                   st->path);
    } else if (rc == MDB_READERS_FULL) {
        store_errf(err, errlen, "LMDB store %s: %s: more than %d concurrent readers", st->path,
                   what, LMDB_MAX_READERS);
    } else {
        store_errf(err, errlen, "LMDB store %s: %s: %s", st->path, what, mdb_strerror(rc));
    }
}

/* mdb_txn_begin under the shared lock, which stays held until
 * txn_commit or txn_abort. Another process that opened the file with a
 * larger map_size and filled it beyond ours makes LMDB answer
 * MDB_MAP_RESIZED: adopt its size and begin again. */
static int txn_begin(struct lmdb_store *st, unsigned flags, MDB_txn **txn)
{
    pthread_rwlock_rdlock(&st->resize);
    int rc = mdb_txn_begin(st->env, NULL, flags, txn);
    if (rc == MDB_MAP_RESIZED) {
        pthread_rwlock_unlock(&st->resize);
        pthread_rwlock_wrlock(&st->resize);
        mdb_env_set_mapsize(st->env, 0);
        pthread_rwlock_unlock(&st->resize);
        pthread_rwlock_rdlock(&st->resize);
        rc = mdb_txn_begin(st->env, NULL, flags, txn);
    }
    if (rc != 0)
        pthread_rwlock_unlock(&st->resize);
    return rc;
}

static int txn_commit(struct lmdb_store *st, MDB_txn *txn)
{
    int rc = mdb_txn_commit(txn);
    pthread_rwlock_unlock(&st->resize);
    return rc;
}

static void txn_abort(struct lmdb_store *st, MDB_txn *txn)
{
    mdb_txn_abort(txn);
    pthread_rwlock_unlock(&st->resize);
}

static void put_be64(unsigned char *p, int64_t v)
{
    uint64_t u = (uint64_t)v;
    for (int i = 7; i >= 0; i--) {
        p[i] = (unsigned char)(u & 0xff);
        u >>= 8;
    }
}

static int64_t get_be64(const unsigned char *p)
{
    uint64_t u = 0;
    for (int i = 0; i < 8; i++)
        u = (u << 8) | p[i];
    return (int64_t)u;
}

/* Reads one record's expiry; 0 and *expires_r, MDB_NOTFOUND, or an LMDB
 * error (-1 for a value that is not ours). */
static int read_expiry(const MDB_val *v, int64_t *expires_r)
{
    if (v->mv_size != 8)
        return -1;
    *expires_r = get_be64(v->mv_data);
    return 0;
}

/* Deletes key when its record is still expired at now. Errors are
 * ignored: this is only house-keeping, the lookup already answered. */
static void purge_one(struct lmdb_store *st, const void *key, size_t keylen, int64_t now)
{
    MDB_txn *txn;
    if (txn_begin(st, 0, &txn) != 0)
        return;
    MDB_val k = {keylen, (void *)key}, v;
    int64_t expires;
    if (mdb_get(txn, st->dbi, &k, &v) == 0 && read_expiry(&v, &expires) == 0 &&
        expires <= now && mdb_del(txn, st->dbi, &k, NULL) == 0) {
        txn_commit(st, txn);
        return;
    }
    txn_abort(st, txn);
}

static int lmdb_lookup(void *data, const void *key, size_t keylen, int64_t now, char *err,
                       size_t errlen)
{
    struct lmdb_store *st = data;
    if (store_check_key(key, keylen, err, errlen) != 0)
        return SIEVE_STORE_ERROR;
    MDB_txn *txn;
    int rc = txn_begin(st, MDB_RDONLY, &txn);
    if (rc != 0) {
        lmdb_fail(err, errlen, st, "lookup", rc);
        return SIEVE_STORE_ERROR;
    }
    MDB_val k = {keylen, (void *)key}, v;
    rc = mdb_get(txn, st->dbi, &k, &v);
    if (rc == MDB_NOTFOUND) {
        txn_abort(st, txn);
        return SIEVE_STORE_ABSENT;
    }
    if (rc != 0) {
        txn_abort(st, txn);
        lmdb_fail(err, errlen, st, "lookup", rc);
        return SIEVE_STORE_ERROR;
    }
    int64_t expires;
    size_t vlen = v.mv_size;
    rc = read_expiry(&v, &expires);
    txn_abort(st, txn);
    if (rc != 0) {
        store_errf(err, errlen, "LMDB store %s: a record of %zu bytes, not 8: not a sievec store?",
                   st->path, vlen);
        return SIEVE_STORE_ERROR;
    }
    if (expires > now)
        return SIEVE_STORE_PRESENT;
    if (!st->read_only)
        purge_one(st, key, keylen, now);
    return SIEVE_STORE_ABSENT;
}

static int put_once(struct lmdb_store *st, const void *key, size_t keylen, int64_t expires)
{
    MDB_txn *txn;
    int rc = txn_begin(st, 0, &txn);
    if (rc != 0)
        return rc;
    unsigned char buf[8];
    put_be64(buf, expires);
    MDB_val k = {keylen, (void *)key}, v = {sizeof buf, buf};
    rc = mdb_put(txn, st->dbi, &k, &v, 0);
    if (rc != 0) {
        txn_abort(st, txn);
        return rc;
    }
    return txn_commit(st, txn); /* frees txn whatever it returns */
}

static int lmdb_record(void *data, const void *key, size_t keylen, int64_t expires, char *err,
                       size_t errlen)
{
    struct lmdb_store *st = data;
    if (store_check_key(key, keylen, err, errlen) != 0)
        return SIEVE_STORE_ERROR;
    if (st->read_only) {
        store_errf(err, errlen, "LMDB store %s: opened read-only", st->path);
        return SIEVE_STORE_ERROR;
    }
    int rc = put_once(st, key, keylen, expires);
    if (rc == MDB_MAP_FULL) {
        /* Expired records are dead weight: drop them (wall clock, as
         * the runtime's `now` is) and try once more before reporting. */
        uint64_t purged = 0;
        char perr[256];
        if (sieve_store_lmdb_purge(&st->pub, (int64_t)time(NULL), &purged, perr, sizeof perr) ==
                0 &&
            purged > 0)
            rc = put_once(st, key, keylen, expires);
    }
    if (rc != 0) {
        lmdb_fail(err, errlen, st, "record", rc);
        return SIEVE_STORE_ERROR;
    }
    return SIEVE_STORE_ABSENT;
}

int sieve_store_lmdb_owns(const sieve_store *s)
{
    return s != NULL && s->close == lmdb_close;
}

static struct lmdb_store *owned(sieve_store *s, char *err, size_t errlen)
{
    if (!sieve_store_lmdb_owns(s)) {
        store_errf(err, errlen, "not an LMDB store");
        return NULL;
    }
    return s->data;
}

int sieve_store_lmdb_stats_get(sieve_store *s, int64_t now, sieve_store_lmdb_stats *st_r,
                               char *err, size_t errlen)
{
    struct lmdb_store *st = owned(s, err, errlen);
    if (st == NULL)
        return SIEVE_STORE_ERROR;
    memset(st_r, 0, sizeof *st_r);
    MDB_txn *txn;
    MDB_cursor *cur;
    int rc = txn_begin(st, MDB_RDONLY, &txn);
    if (rc != 0) {
        lmdb_fail(err, errlen, st, "stats", rc);
        return SIEVE_STORE_ERROR;
    }
    rc = mdb_cursor_open(txn, st->dbi, &cur);
    if (rc != 0) {
        txn_abort(st, txn);
        lmdb_fail(err, errlen, st, "stats", rc);
        return SIEVE_STORE_ERROR;
    }
    MDB_val k, v;
    MDB_cursor_op op = MDB_FIRST;
    while ((rc = mdb_cursor_get(cur, &k, &v, op)) == 0) {
        op = MDB_NEXT;
        int64_t expires;
        st_r->records++;
        if (read_expiry(&v, &expires) != 0 || expires <= now)
            st_r->expired++;
    }
    mdb_cursor_close(cur);
    MDB_envinfo info;
    MDB_stat mst;
    mdb_env_info(st->env, &info);
    mdb_env_stat(st->env, &mst);
    txn_abort(st, txn);
    if (rc != MDB_NOTFOUND) {
        lmdb_fail(err, errlen, st, "stats", rc);
        return SIEVE_STORE_ERROR;
    }
    st_r->map_size = info.me_mapsize;
    st_r->used = ((uint64_t)info.me_last_pgno + 1) * mst.ms_psize;
    return 0;
}

/* One purge transaction from `from` (the key after which the previous batch
 * stopped; fromlen 0: the start). Sets *more_r when it stopped at the batch
 * limit, leaving the resume key in from. */
static int purge_batch(struct lmdb_store *st, int64_t now, unsigned char *from, size_t *fromlen,
                       int *more_r, uint64_t *purged)
{
    MDB_txn *txn;
    MDB_cursor *cur;
    *more_r = 0;
    int rc = txn_begin(st, 0, &txn);
    if (rc != 0)
        return rc;
    rc = mdb_cursor_open(txn, st->dbi, &cur);
    if (rc != 0) {
        txn_abort(st, txn);
        return rc;
    }
    MDB_val k = {*fromlen, from}, v;
    MDB_cursor_op op = *fromlen ? MDB_SET_RANGE : MDB_FIRST;
    unsigned deleted = 0;
    /* After mdb_cursor_del the cursor already sits on the next record and
     * MDB_NEXT returns that one, so the loop does not skip any. */
    while ((rc = mdb_cursor_get(cur, &k, &v, op)) == 0) {
        op = MDB_NEXT;
        int64_t expires;
        if (read_expiry(&v, &expires) != 0 || expires > now)
            continue; /* a value not ours is left alone */
        if (deleted == LMDB_PURGE_BATCH) {
            if (k.mv_size > LMDB_KEY_BUF)
                break; /* cannot resume from it; the next purge will */
            memcpy(from, k.mv_data, k.mv_size);
            *fromlen = k.mv_size;
            *more_r = 1;
            break;
        }
        rc = mdb_cursor_del(cur, 0);
        if (rc != 0)
            break;
        deleted++;
    }
    mdb_cursor_close(cur);
    if (rc != 0 && rc != MDB_NOTFOUND) {
        txn_abort(st, txn);
        *more_r = 0;
        return rc;
    }
    rc = txn_commit(st, txn);
    if (rc == 0)
        *purged += deleted;
    else
        *more_r = 0;
    return rc;
}

int sieve_store_lmdb_purge(sieve_store *s, int64_t now, uint64_t *purged_r, char *err,
                           size_t errlen)
{
    struct lmdb_store *st = owned(s, err, errlen);
    uint64_t purged = 0;
    if (purged_r != NULL)
        *purged_r = 0;
    if (st == NULL)
        return SIEVE_STORE_ERROR;
    if (st->read_only) {
        store_errf(err, errlen, "LMDB store %s: opened read-only", st->path);
        return SIEVE_STORE_ERROR;
    }
    unsigned char from[LMDB_KEY_BUF];
    size_t fromlen = 0;
    int more, rc;
    do {
        rc = purge_batch(st, now, from, &fromlen, &more, &purged);
    } while (rc == 0 && more);
    if (purged_r != NULL)
        *purged_r = purged;
    if (rc != 0) {
        lmdb_fail(err, errlen, st, "purge", rc);
        return SIEVE_STORE_ERROR;
    }
    return 0;
}

static void lmdb_close(void *data)
{
    struct lmdb_store *st = data;
    if (st == NULL)
        return;
    mdb_env_close(st->env); /* also closes the dbi */
    pthread_rwlock_destroy(&st->resize);
    free(st);
}

sieve_store *sieve_store_lmdb_open(const char *path, const sieve_store_lmdb_options *opt,
                                   char *err, size_t errlen)
{
    static const sieve_store_lmdb_options defaults = {0};
    if (opt == NULL)
        opt = &defaults;
    if (path == NULL || path[0] == '\0') {
        store_errf(err, errlen, "LMDB store: empty path");
        return NULL;
    }
    size_t plen = strlen(path);
    if (plen >= PATH_MAX) {
        store_errf(err, errlen, "LMDB store: path longer than %d bytes", PATH_MAX - 1);
        return NULL;
    }
    size_t map_size = opt->map_size ? opt->map_size : SIEVE_STORE_LMDB_MAP_DEFAULT;
    if (map_size < SIEVE_STORE_LMDB_MAP_MIN) {
        store_errf(err, errlen, "LMDB store %s: map_size %zu below the minimum %zu", path,
                   map_size, SIEVE_STORE_LMDB_MAP_MIN);
        return NULL;
    }
    struct lmdb_store *st = calloc(1, sizeof *st + plen + 1);
    if (st == NULL) {
        store_errf(err, errlen, "LMDB store %s: out of memory", path);
        return NULL;
    }
    memcpy(st->path, path, plen + 1);
    /* Writer-preferring, or a steady stream of lookups would starve the
     * (rare) resize. */
    pthread_rwlockattr_t ra;
    pthread_rwlockattr_init(&ra);
    pthread_rwlockattr_setkind_np(&ra, PTHREAD_RWLOCK_PREFER_WRITER_NONRECURSIVE_NP);
    pthread_rwlock_init(&st->resize, &ra);
    pthread_rwlockattr_destroy(&ra);
    st->read_only = opt->read_only != 0;

    unsigned flags = MDB_NOSUBDIR | MDB_NOTLS;
    if (st->read_only)
        flags |= MDB_RDONLY;
    if (opt->sync == SIEVE_STORE_LMDB_SYNC_META)
        flags |= MDB_NOMETASYNC;
    else if (opt->sync == SIEVE_STORE_LMDB_SYNC_NONE)
        flags |= MDB_NOSYNC;

    const char *step = "create";
    int rc = mdb_env_create(&st->env);
    if (rc == 0) {
        step = "set map size";
        rc = mdb_env_set_mapsize(st->env, map_size);
    }
    if (rc == 0) {
        step = "set readers";
        rc = mdb_env_set_maxreaders(st->env, LMDB_MAX_READERS);
    }
    if (rc == 0) {
        step = "open";
        /* 0600: the keys are hashes, but who got a reply is still nobody
         * else's business; the lock file gets the same mode. */
        rc = mdb_env_open(st->env, path, flags, 0600);
    }
    if (rc == 0) {
        /* Reader slots of processes that were killed (the milter after a
         * SIGKILL) would otherwise stay taken. */
        int dead;
        mdb_reader_check(st->env, &dead);
        MDB_txn *txn;
        step = "open";
        rc = txn_begin(st, MDB_RDONLY, &txn);
        if (rc == 0) {
            rc = mdb_dbi_open(txn, NULL, 0, &st->dbi);
            if (rc == 0)
                rc = txn_commit(st, txn);
            else
                txn_abort(st, txn);
        }
    }
    if (rc != 0) {
        if (rc == ENOENT && st->read_only)
            store_errf(err, errlen, "LMDB store %s: no such file", path);
        else
            lmdb_fail(err, errlen, st, step, rc);
        if (st->env != NULL)
            mdb_env_close(st->env);
        pthread_rwlock_destroy(&st->resize);
        free(st);
        return NULL;
    }
    st->pub.data = st;
    st->pub.lookup = lmdb_lookup;
    st->pub.record = lmdb_record;
    st->pub.close = lmdb_close;
    return &st->pub;
}
