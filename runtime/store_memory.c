/* store_memory: see sieve/store_memory.h. An open hash table of
 * (key, expiry) rows with linear probing, rebuilt (dropping expired rows)
 * when it fills to three quarters. */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sieve/store_memory.h"

typedef struct mrow {
    int64_t expires;
    uint8_t keylen;          /* 0: empty slot */
    uint8_t key[SIEVE_STORE_KEY_MAX];
} mrow;

typedef struct mstore {
    pthread_mutex_t lock;
    mrow *rows;
    size_t cap, n;           /* cap a power of two */
    int64_t clock;           /* the latest `now` a lookup gave */
} mstore;

/* FNV-1a: keys are already hashes, any mixing will do. */
static size_t hash_key(const uint8_t *k, size_t n)
{
    uint64_t h = 1469598103934665603ull;
    for (size_t i = 0; i < n; i++)
        h = (h ^ k[i]) * 1099511628211ull;
    return (size_t)h;
}

static mrow *find_slot(mrow *rows, size_t cap, const uint8_t *key, size_t keylen)
{
    size_t i = hash_key(key, keylen) & (cap - 1);
    for (;;) {
        mrow *r = &rows[i];
        if (r->keylen == 0 || (r->keylen == keylen && memcmp(r->key, key, keylen) == 0))
            return r;
        i = (i + 1) & (cap - 1);
    }
}

/* Rebuilds into cap rows, keeping the rows that expire after now. */
static int rebuild(mstore *m, size_t cap, int64_t now)
{
    mrow *rows = calloc(cap, sizeof *rows);
    if (!rows)
        return -1;
    size_t n = 0;
    for (size_t i = 0; i < m->cap; i++) {
        mrow *r = &m->rows[i];
        if (r->keylen && r->expires > now) {
            *find_slot(rows, cap, r->key, r->keylen) = *r;
            n++;
        }
    }
    free(m->rows);
    m->rows = rows;
    m->cap = cap;
    m->n = n;
    return 0;
}

static int bad_key(const void *key, size_t keylen, char *err, size_t errlen)
{
    if (key && keylen > 0 && keylen <= SIEVE_STORE_KEY_MAX)
        return 0;
    snprintf(err, errlen, "memory store: key of %zu bytes (1 to %d)", keylen,
             SIEVE_STORE_KEY_MAX);
    return -1;
}

static int m_lookup(void *data, const void *key, size_t keylen, int64_t now, char *err,
                    size_t errlen)
{
    mstore *m = data;
    if (bad_key(key, keylen, err, errlen))
        return SIEVE_STORE_ERROR;
    pthread_mutex_lock(&m->lock);
    if (now > m->clock)
        m->clock = now;
    mrow *r = find_slot(m->rows, m->cap, key, keylen);
    int rc = r->keylen && r->expires > now ? SIEVE_STORE_PRESENT : SIEVE_STORE_ABSENT;
    pthread_mutex_unlock(&m->lock);
    return rc;
}

static int m_record(void *data, const void *key, size_t keylen, int64_t expires, char *err,
                    size_t errlen)
{
    mstore *m = data;
    if (bad_key(key, keylen, err, errlen))
        return SIEVE_STORE_ERROR;
    int rc = SIEVE_STORE_ABSENT;
    pthread_mutex_lock(&m->lock);
    mrow *r = find_slot(m->rows, m->cap, key, keylen);
    if (!r->keylen && (m->n + 1) * 4 > m->cap * 3) {
        /* The store has no clock of its own: what expired by the latest
         * lookup's time goes first; grow only when that is not enough. */
        if (rebuild(m, m->cap, m->clock) != 0) {
            snprintf(err, errlen, "memory store: out of memory");
            rc = SIEVE_STORE_ERROR;
        } else if ((m->n + 1) * 2 > m->cap) {
            /* Less than half free after dropping: grow, so the next
             * rebuild is far away (amortised O(1) per record). */
            if (m->n >= SIEVE_STORE_MEMORY_MAX) {
                snprintf(err, errlen, "memory store: more than %u records",
                         SIEVE_STORE_MEMORY_MAX);
                rc = SIEVE_STORE_ERROR;
            } else if (rebuild(m, m->cap * 2, m->clock) != 0) {
                snprintf(err, errlen, "memory store: out of memory");
                rc = SIEVE_STORE_ERROR;
            }
        }
        if (rc == SIEVE_STORE_ABSENT)
            r = find_slot(m->rows, m->cap, key, keylen);
    }
    if (rc == SIEVE_STORE_ABSENT) {
        if (!r->keylen)
            m->n++;
        r->keylen = (uint8_t)keylen;
        memcpy(r->key, key, keylen);
        r->expires = expires;
    }
    pthread_mutex_unlock(&m->lock);
    return rc;
}

static void m_close(void *data)
{
    mstore *m = data;
    if (!m)
        return;
    pthread_mutex_destroy(&m->lock);
    free(m->rows);
    free(m);
}

sieve_store *sieve_store_memory_new(void)
{
    sieve_store *st = calloc(1, sizeof *st);
    mstore *m = calloc(1, sizeof *m);
    if (!st || !m || pthread_mutex_init(&m->lock, NULL) != 0) {
        free(st);
        free(m);
        return NULL;
    }
    m->cap = 64;
    m->clock = INT64_MIN;
    m->rows = calloc(m->cap, sizeof *m->rows);
    if (!m->rows) {
        m_close(m);
        free(st);
        return NULL;
    }
    st->data = m;
    st->lookup = m_lookup;
    st->record = m_record;
    st->close = m_close;
    return st;
}

void sieve_store_memory_free(sieve_store **st_r)
{
    sieve_store *st = *st_r;
    if (!st)
        return;
    if (st->close)
        st->close(st->data);
    free(st);
    *st_r = NULL;
}

size_t sieve_store_memory_count(const sieve_store *st)
{
    mstore *m = st->data;
    pthread_mutex_lock(&m->lock);
    size_t n = m->n;
    pthread_mutex_unlock(&m->lock);
    return n;
}
