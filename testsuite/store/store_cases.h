/* store_cases.h: behaviour every sieve/store.h back end must show, run by
 * the LMDB and the Redis suites against their own store (header-only so
 * each suite is one executable). The keys are binary, with NUL bytes, as
 * the runtime's hashed keys are. */
#ifndef STORE_CASES_H
#define STORE_CASES_H

#include <check.h>
#include <pthread.h>
#include <stdio.h>
#include <string.h>

#include "sieve/store.h"

#define T0 ((int64_t)1800000000) /* a fixed "now": 2027-01-15 */

/* A 32-byte key from (a, b), with NUL bytes in it. */
static inline void case_key(unsigned char k[32], unsigned a, unsigned b)
{
    memset(k, 0, 32);
    k[0] = 0xff;
    memcpy(k + 4, &a, sizeof a);
    memcpy(k + 12, &b, sizeof b);
    k[31] = 0x80;
}

static inline int case_lookup(sieve_store *s, const void *k, size_t n, int64_t now)
{
    char err[256] = "";
    int rc = s->lookup(s->data, k, n, now, err, sizeof err);
    ck_assert_msg(rc != SIEVE_STORE_ERROR, "lookup: %s", err);
    return rc;
}

static inline void case_record(sieve_store *s, const void *k, size_t n, int64_t expires)
{
    char err[256] = "";
    int rc = s->record(s->data, k, n, expires, err, sizeof err);
    ck_assert_msg(rc == SIEVE_STORE_ABSENT, "record: %s", err);
}

/* Absent, recorded, present until the expiry (exclusive), absent after;
 * overwriting moves the expiry both ways; keys differing in one byte or
 * in length are distinct. */
static inline void case_basic(sieve_store *s)
{
    unsigned char k1[32], k2[32];
    case_key(k1, 1, 0);
    case_key(k2, 2, 0);
    ck_assert_int_eq(case_lookup(s, k1, 32, T0), SIEVE_STORE_ABSENT);
    case_record(s, k1, 32, T0 + 100);
    ck_assert_int_eq(case_lookup(s, k1, 32, T0), SIEVE_STORE_PRESENT);
    ck_assert_int_eq(case_lookup(s, k1, 32, T0 + 99), SIEVE_STORE_PRESENT);
    ck_assert_int_eq(case_lookup(s, k2, 32, T0), SIEVE_STORE_ABSENT);
    ck_assert_int_eq(case_lookup(s, k1, 31, T0), SIEVE_STORE_ABSENT);
    ck_assert_int_eq(case_lookup(s, k1, 32, T0 + 100), SIEVE_STORE_ABSENT);
    ck_assert_int_eq(case_lookup(s, k1, 32, T0 + 1000), SIEVE_STORE_ABSENT);

    /* Overwrite: later, then earlier. */
    case_record(s, k2, 32, T0 + 10);
    case_record(s, k2, 32, T0 + 1000);
    ck_assert_int_eq(case_lookup(s, k2, 32, T0 + 500), SIEVE_STORE_PRESENT);
    case_record(s, k2, 32, T0 + 5);
    /* (Later times last: a back end may drop what it saw expired.) */
    ck_assert_int_eq(case_lookup(s, k2, 32, T0 + 4), SIEVE_STORE_PRESENT);
    ck_assert_int_eq(case_lookup(s, k2, 32, T0 + 6), SIEVE_STORE_ABSENT);

    /* "For ever" (the runtime's period overflow clamp). */
    unsigned char k3[32];
    case_key(k3, 3, 0);
    case_record(s, k3, 32, INT64_MAX);
    ck_assert_int_eq(case_lookup(s, k3, 32, INT64_MAX - 1), SIEVE_STORE_PRESENT);
    ck_assert_int_eq(case_lookup(s, k3, 32, INT64_MAX), SIEVE_STORE_ABSENT);

    /* A key of the largest size, and one of a single byte. */
    unsigned char big[SIEVE_STORE_KEY_MAX];
    memset(big, 0, sizeof big);
    big[SIEVE_STORE_KEY_MAX - 1] = 7;
    case_record(s, big, sizeof big, T0 + 50);
    ck_assert_int_eq(case_lookup(s, big, sizeof big, T0), SIEVE_STORE_PRESENT);
    case_record(s, "\0", 1, T0 + 50);
    ck_assert_int_eq(case_lookup(s, "\0", 1, T0), SIEVE_STORE_PRESENT);
    ck_assert_int_eq(case_lookup(s, "\1", 1, T0), SIEVE_STORE_ABSENT);
}

/* Keys of 0 or more than SIEVE_STORE_KEY_MAX bytes are refused. */
static inline void case_bad_keys(sieve_store *s)
{
    unsigned char big[SIEVE_STORE_KEY_MAX + 1];
    memset(big, 1, sizeof big);
    char err[256] = "";
    ck_assert_int_eq(s->lookup(s->data, big, 0, T0, err, sizeof err), SIEVE_STORE_ERROR);
    ck_assert_ptr_nonnull(strstr(err, "key"));
    err[0] = '\0';
    ck_assert_int_eq(s->record(s->data, big, sizeof big, T0 + 1, err, sizeof err),
                     SIEVE_STORE_ERROR);
    ck_assert_ptr_nonnull(strstr(err, "key"));
}

#define CASE_THREADS 8
#define CASE_OPS 1000

struct case_thread {
    sieve_store *s;
    unsigned id;
    int errors, wrong;
    char err[256];
};

/* Each thread records its own keys and reads them back, with lookups of
 * the other threads' keys in between. */
static void *case_thread_main(void *arg)
{
    struct case_thread *t = arg;
    unsigned char k[32];
    for (unsigned i = 0; i < CASE_OPS; i++) {
        case_key(k, 1000 + t->id, i);
        if (t->s->record(t->s->data, k, 32, T0 + 3600, t->err, sizeof t->err) != 0)
            t->errors++;
        int rc = t->s->lookup(t->s->data, k, 32, T0, t->err, sizeof t->err);
        if (rc == SIEVE_STORE_ERROR)
            t->errors++;
        else if (rc != SIEVE_STORE_PRESENT)
            t->wrong++;
        case_key(k, 1000 + (t->id + 1) % CASE_THREADS, i);
        if (t->s->lookup(t->s->data, k, 32, T0, t->err, sizeof t->err) == SIEVE_STORE_ERROR)
            t->errors++;
    }
    return NULL;
}

/* 8 threads x 1000 records on one store; afterwards every record is
 * there. */
static inline void case_threads(sieve_store *s)
{
    pthread_t th[CASE_THREADS];
    struct case_thread t[CASE_THREADS];
    for (unsigned i = 0; i < CASE_THREADS; i++) {
        t[i] = (struct case_thread){.s = s, .id = i};
        ck_assert_int_eq(pthread_create(&th[i], NULL, case_thread_main, &t[i]), 0);
    }
    for (unsigned i = 0; i < CASE_THREADS; i++) {
        pthread_join(th[i], NULL);
        ck_assert_msg(t[i].errors == 0, "thread %u: %d errors, last: %s", i, t[i].errors,
                      t[i].err);
        ck_assert_int_eq(t[i].wrong, 0);
    }
    unsigned char k[32];
    unsigned missing = 0;
    for (unsigned i = 0; i < CASE_THREADS; i++)
        for (unsigned j = 0; j < CASE_OPS; j++) {
            case_key(k, 1000 + i, j);
            if (case_lookup(s, k, 32, T0) != SIEVE_STORE_PRESENT)
                missing++;
        }
    ck_assert_uint_eq(missing, 0);
}

#endif
