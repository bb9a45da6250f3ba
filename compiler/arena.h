/* arena: a bump allocator for everything that lives as long as one script
 * (the syntax tree, decoded strings, checker annotations).
 *
 * Contract: allocations are never freed one by one; arena_free() releases
 * them all at once and clears the caller's pointer. Allocation failure
 * aborts the process with a message (a compiler has nothing sensible to do
 * without memory; the limits in limits.h keep untrusted scripts bounded
 * long before that). Not thread-safe: one arena per compilation.
 */
#ifndef SIEVEC_ARENA_H
#define SIEVEC_ARENA_H

#include <stddef.h>

typedef struct arena arena;

arena *arena_new(void);
void arena_free(arena **a_r);

/* Zeroed memory, aligned for any type. */
void *arena_alloc(arena *a, size_t size);
void *arena_calloc(arena *a, size_t count, size_t size);
/* Grows an array allocated from this arena (the old block is abandoned). */
void *arena_grow(arena *a, void *old, size_t old_size, size_t new_size);
char *arena_strndup(arena *a, const char *s, size_t len);
char *arena_strdup(arena *a, const char *s);
char *arena_printf(arena *a, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* Bytes handed out so far (for tests and limits). */
size_t arena_used(const arena *a);

#endif
