/* fcache: the loaded compiled filters, keyed by script path.
 *
 * A lookup stats the path; when the file (device, inode, size, mtime)
 * changed since it was loaded, the new generation is loaded through the
 * runtime loader (which verifies it and dlopens a content-addressed copy)
 * and replaces the entry. Lookups return a new reference
 * (sieve_filter_unref when done), so a message in flight keeps the
 * generation it started with while later mail gets the new one. A file that
 * fails to load is remembered with its error until it changes, so a broken
 * .so is not re-verified for every recipient. At most `max` entries stay
 * loaded: the least recently used one is dropped first.
 * Thread-safe (one mutex; loads happen under it).
 */
#ifndef SIEVE_MILTER_FCACHE_H
#define SIEVE_MILTER_FCACHE_H

#include <stddef.h>

#include "sieve/sieve.h"

typedef struct fcache fcache;

typedef enum {
    FCACHE_OK,        /* *f_r holds a reference */
    FCACHE_MISSING,   /* no such file: the recipient has no script */
    FCACHE_BROKEN,    /* unreadable, refused by the loader...: err says why */
} fcache_status;

/* opt is copied, strings included. */
fcache *fcache_new(const sieve_load_options *opt, unsigned max);
void fcache_free(fcache **c_r);
fcache_status fcache_get(fcache *c, const char *path, sieve_filter **f_r, char *err,
                         size_t errlen);
/* Drops every entry (SIGUSR1); references held elsewhere stay valid. */
void fcache_flush(fcache *c);
size_t fcache_count(fcache *c);

#endif
