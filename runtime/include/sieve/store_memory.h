/* sieve/store_memory.h: a sieve_store (sieve/store.h) kept in process
 * memory, for tests, sieve-testsuite and sieve-replay: nothing survives the
 * process.
 *
 * Thread-safe (one mutex). Expired records read as absent and are dropped
 * when the table grows. At most SIEVE_STORE_MEMORY_MAX records live at
 * once: a record beyond that, when none has expired, is an error, so a
 * hostile stream of distinct keys cannot exhaust memory.
 */
#ifndef SIEVE_STORE_MEMORY_H
#define SIEVE_STORE_MEMORY_H

#include "sieve/store.h"

#ifdef __cplusplus
extern "C" {
#endif

#define SIEVE_STORE_MEMORY_MAX 1000000u

/* A new empty store, NULL when out of memory. Free it with
 * sieve_store_memory_free (or its close slot). */
sieve_store *sieve_store_memory_new(void);
/* Closes the store and clears *st_r. */
void sieve_store_memory_free(sieve_store **st_r);
/* Records currently held (expired ones not yet dropped included). */
size_t sieve_store_memory_count(const sieve_store *st);

#ifdef __cplusplus
}
#endif

#endif
