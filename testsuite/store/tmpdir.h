/* tmpdir.h: a private temporary directory per test, removed afterwards
 * (header-only helper of the store suites). */
#ifndef STORE_TMPDIR_H
#define STORE_TMPDIR_H

#define _GNU_SOURCE
#include <check.h>
#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static char tmp_dir[256];

static inline void tmp_make(void)
{
    const char *base = getenv("TMPDIR");
    snprintf(tmp_dir, sizeof tmp_dir, "%s/sieve-store-test.XXXXXX", base ? base : "/tmp");
    if (mkdtemp(tmp_dir) == NULL) { /* usable outside a test too */
        perror(tmp_dir);
        exit(1);
    }
}

static inline int tmp_rm_one(const char *p, const struct stat *sb, int flag, struct FTW *f)
{
    (void)sb;
    (void)flag;
    (void)f;
    return remove(p);
}

static inline void tmp_remove(void)
{
    if (tmp_dir[0] != '\0')
        nftw(tmp_dir, tmp_rm_one, 16, FTW_DEPTH | FTW_PHYS);
    tmp_dir[0] = '\0';
}

/* tmp_dir/name into buf. */
static inline const char *tmp_path(char *buf, size_t n, const char *name)
{
    snprintf(buf, n, "%s/%s", tmp_dir, name);
    return buf;
}

#endif
