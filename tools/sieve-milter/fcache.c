/* fcache: see fcache.h. A small table with linear search per lookup would
 * not scale to 13,000 users, so entries are in a hash table (chained) and
 * on a doubly linked LRU list. */
#define _GNU_SOURCE
#include "fcache.h"

#include <errno.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

typedef struct entry {
    struct entry *hnext, *prev, *next;
    char *path;
    dev_t dev;
    ino_t ino;
    off_t size;
    struct timespec mtime;
    sieve_filter *f;        /* NULL: broken, see err */
    char *err;
} entry;

struct fcache {
    pthread_mutex_t mu;
    sieve_load_options opt;
    char *key_file, *cache_dir;   /* opt's strings, owned */
    unsigned max;
    size_t count, nbuckets;
    entry **buckets;
    entry *head, *tail;     /* head: most recently used */
};

static uint64_t hash(const char *s)
{
    uint64_t h = 1469598103934665603ull;   /* FNV-1a */
    for (; *s; s++)
        h = (h ^ (unsigned char)*s) * 1099511628211ull;
    return h;
}

fcache *fcache_new(const sieve_load_options *opt, unsigned max)
{
    fcache *c = calloc(1, sizeof *c);
    if (!c)
        return NULL;
    pthread_mutex_init(&c->mu, NULL);
    if (opt) {
        c->opt = *opt;
        c->key_file = opt->key_file ? strdup(opt->key_file) : NULL;
        c->cache_dir = opt->cache_dir ? strdup(opt->cache_dir) : NULL;
        c->opt.key_file = c->key_file;
        c->opt.cache_dir = c->cache_dir;
    }
    c->max = max ? max : 1;
    c->nbuckets = 1024;
    while (c->nbuckets < (size_t)c->max)
        c->nbuckets *= 2;
    c->buckets = calloc(c->nbuckets, sizeof *c->buckets);
    if (!c->buckets) {
        free(c);
        return NULL;
    }
    return c;
}

static void lru_unlink(fcache *c, entry *e)
{
    if (e->prev)
        e->prev->next = e->next;
    else
        c->head = e->next;
    if (e->next)
        e->next->prev = e->prev;
    else
        c->tail = e->prev;
    e->prev = e->next = NULL;
}

static void lru_front(fcache *c, entry *e)
{
    e->next = c->head;
    e->prev = NULL;
    if (c->head)
        c->head->prev = e;
    c->head = e;
    if (!c->tail)
        c->tail = e;
}

static void entry_remove(fcache *c, entry *e)
{
    entry **pp = &c->buckets[hash(e->path) & (c->nbuckets - 1)];
    while (*pp != e)
        pp = &(*pp)->hnext;
    *pp = e->hnext;
    lru_unlink(c, e);
    sieve_filter_unref(&e->f);
    free(e->err);
    free(e->path);
    free(e);
    c->count--;
}

void fcache_flush(fcache *c)
{
    pthread_mutex_lock(&c->mu);
    while (c->head)
        entry_remove(c, c->head);
    pthread_mutex_unlock(&c->mu);
}

void fcache_free(fcache **c_r)
{
    fcache *c = *c_r;
    if (!c)
        return;
    fcache_flush(c);
    free(c->buckets);
    free(c->key_file);
    free(c->cache_dir);
    pthread_mutex_destroy(&c->mu);
    free(c);
    *c_r = NULL;
}

size_t fcache_count(fcache *c)
{
    pthread_mutex_lock(&c->mu);
    size_t n = c->count;
    pthread_mutex_unlock(&c->mu);
    return n;
}

static int same_file(const entry *e, const struct stat *st)
{
    return e->dev == st->st_dev && e->ino == st->st_ino && e->size == st->st_size &&
           e->mtime.tv_sec == st->st_mtim.tv_sec && e->mtime.tv_nsec == st->st_mtim.tv_nsec;
}

fcache_status fcache_get(fcache *c, const char *path, sieve_filter **f_r, char *err,
                         size_t errlen)
{
    *f_r = NULL;
    struct stat st;
    if (stat(path, &st) != 0) {
        if (errno == ENOENT || errno == ENOTDIR)
            return FCACHE_MISSING;
        /* EACCES on the layout, ELOOP...: the script may exist but we
         * cannot tell, which is not the same as "no script". */
        snprintf(err, errlen, "%s: %s", path, strerror(errno));
        return FCACHE_BROKEN;
    }
    pthread_mutex_lock(&c->mu);
    entry *e = c->buckets[hash(path) & (c->nbuckets - 1)];
    while (e && strcmp(e->path, path) != 0)
        e = e->hnext;
    if (e && !same_file(e, &st)) {
        entry_remove(c, e);
        e = NULL;
    }
    if (!e) {
        e = calloc(1, sizeof *e);
        if (!e || !(e->path = strdup(path))) {
            free(e);
            pthread_mutex_unlock(&c->mu);
            snprintf(err, errlen, "out of memory");
            return FCACHE_BROKEN;
        }
        char lerr[512] = "";
        if (sieve_filter_load(path, &c->opt, &e->f, lerr, sizeof lerr) != 0)
            e->err = strdup(lerr[0] ? lerr : "load failed");
        /* The stat before the load: if the file changes during the load the
         * next lookup sees a different stamp and loads again. */
        e->dev = st.st_dev;
        e->ino = st.st_ino;
        e->size = st.st_size;
        e->mtime = st.st_mtim;
        size_t b = hash(path) & (c->nbuckets - 1);
        e->hnext = c->buckets[b];
        c->buckets[b] = e;
        lru_front(c, e);
        c->count++;
        while (c->count > c->max && c->tail != e)
            entry_remove(c, c->tail);
    } else {
        lru_unlink(c, e);
        lru_front(c, e);
    }
    fcache_status st_r;
    if (e->f) {
        sieve_filter_ref(e->f);
        *f_r = e->f;
        st_r = FCACHE_OK;
    } else {
        snprintf(err, errlen, "%s", e->err ? e->err : "out of memory");
        st_r = FCACHE_BROKEN;
    }
    pthread_mutex_unlock(&c->mu);
    return st_r;
}
