/* mstore: see mstore.h. */
#define _GNU_SOURCE
#include "mstore.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "mlog.h"
#include "sieve/store_spec.h"

struct ms_shared {
    pthread_mutex_t mu;
    char *spec;
    bool skip;
    sieve_store *st;       /* NULL while not open */
    int64_t next_try;      /* when to try opening again */
};

static void try_open(ms_shared *s, int64_t now)
{
    char err[512], shown[SIEVE_STORE_SPEC_MAX];
    s->next_try = now + 10;
    s->st = sieve_store_open(s->spec, err, sizeof err);
    sieve_store_spec_redact(s->spec, shown, sizeof shown);
    if (!s->st)
        mlog(LOG_ERR, "store %s cannot be opened: %s", shown, err);
    else
        mlog(LOG_INFO, "store %s open", shown);
}

ms_shared *ms_new(const char *spec, bool skip_policy)
{
    ms_shared *s = calloc(1, sizeof *s);
    if (!s)
        return NULL;
    pthread_mutex_init(&s->mu, NULL);
    s->skip = skip_policy;
    if (spec && !(s->spec = strdup(spec))) {
        free(s);
        return NULL;
    }
    if (s->spec)
        try_open(s, (int64_t)time(NULL));
    return s;
}

void ms_free(ms_shared **s_r)
{
    ms_shared *s = *s_r;
    if (!s)
        return;
    sieve_store_free(&s->st);
    free(s->spec);
    pthread_mutex_destroy(&s->mu);
    free(s);
    *s_r = NULL;
}

bool ms_skip_policy(const ms_shared *sh)
{
    return sh && sh->skip;
}

bool ms_configured(const ms_shared *sh)
{
    return sh && sh->spec;
}

/* The open store, or NULL (err says why). The back ends are thread-safe,
 * so the handle is used outside the lock; it is only closed by ms_free. */
static sieve_store *get(ms_shared *s, char *err, size_t errlen)
{
    pthread_mutex_lock(&s->mu);
    int64_t now = (int64_t)time(NULL);
    if (!s->st && now >= s->next_try)
        try_open(s, now);
    sieve_store *st = s->st;
    pthread_mutex_unlock(&s->mu);
    if (!st)
        snprintf(err, errlen, "store not open");
    return st;
}

int ms_record(ms_shared *s, const ms_key *k, char *err, size_t errlen)
{
    if (!s || !s->spec || !k->keylen)
        return 0;
    sieve_store *st = get(s, err, errlen);
    if (!st)
        return -1;
    return st->record(st->data, k->key, k->keylen, k->expires, err, errlen) == 0 ? 0 : -1;
}

static int proxy_lookup(void *data, const void *key, size_t keylen, int64_t now, char *err,
                        size_t errlen)
{
    ms_proxy *p = data;
    sieve_store *st = get(p->sh, err, errlen);
    int rc = st ? st->lookup(st->data, key, keylen, now, err, errlen) : SIEVE_STORE_ERROR;
    if (rc != SIEVE_STORE_ERROR)
        return rc;
    if (!p->failed)
        snprintf(p->err, sizeof p->err, "%s", err);
    p->failed = true;
    /* skip: the run goes on as if nothing was remembered; its replies are
     * then dropped by the caller, so nobody gets one twice. */
    return p->sh->skip ? SIEVE_STORE_ABSENT : SIEVE_STORE_ERROR;
}

static int proxy_record(void *data, const void *key, size_t keylen, int64_t expires, char *err,
                        size_t errlen)
{
    /* Records go through ms_capture and ms_record, never through here. */
    (void)data, (void)key, (void)keylen, (void)expires;
    snprintf(err, errlen, "record through the session proxy");
    return SIEVE_STORE_ERROR;
}

void ms_proxy_init(ms_proxy *p, ms_shared *sh)
{
    memset(p, 0, sizeof *p);
    p->sh = sh;
    p->iface.data = p;
    p->iface.lookup = proxy_lookup;
    p->iface.record = proxy_record;
}

void ms_proxy_reset(ms_proxy *p)
{
    p->failed = false;
    p->err[0] = '\0';
}

/* ---- capture --------------------------------------------------------- */

static int cap_lookup(void *data, const void *key, size_t keylen, int64_t now, char *err,
                      size_t errlen)
{
    (void)data, (void)key, (void)keylen, (void)now, (void)err, (void)errlen;
    return SIEVE_STORE_ABSENT;
}

static int cap_record(void *data, const void *key, size_t keylen, int64_t expires, char *err,
                      size_t errlen)
{
    ms_keys *k = data;
    if (keylen > SIEVE_STORE_KEY_MAX) {
        snprintf(err, errlen, "key too long");
        return SIEVE_STORE_ERROR;
    }
    if (k->n == k->cap) {
        size_t nc = k->cap ? 2 * k->cap : 4;
        ms_key *nv = realloc(k->v, nc * sizeof *nv);
        if (!nv) {
            snprintf(err, errlen, "out of memory");
            return SIEVE_STORE_ERROR;
        }
        k->v = nv;
        k->cap = nc;
    }
    ms_key *e = &k->v[k->n++];
    memcpy(e->key, key, keylen);
    e->keylen = keylen;
    e->expires = expires;
    return SIEVE_STORE_ABSENT;
}

int ms_capture(ms_keys *k, const sieve_result *result, int64_t now)
{
    sieve_store cap = { .data = k, .lookup = cap_lookup, .record = cap_record };
    char err[128];
    return sieve_result_commit(result, &cap, now, err, sizeof err);
}

void ms_keys_remove(ms_keys *k, const uint8_t *key, size_t keylen)
{
    for (size_t i = 0; i < k->n; i++)
        if (k->v[i].keylen == keylen && !memcmp(k->v[i].key, key, keylen)) {
            k->v[i] = k->v[--k->n];
            return;
        }
}

void ms_keys_clear(ms_keys *k)
{
    free(k->v);
    k->v = NULL;
    k->n = k->cap = 0;
}
