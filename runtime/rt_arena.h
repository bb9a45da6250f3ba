/* rt_arena: the per-message scratch allocator of the runtime.
 *
 * Everything a filter run needs beyond its fixed context (decoded header
 * values, parsed addresses, decoded body parts, variable values) comes from
 * here. rt_arena_reset() makes all of it reusable for the next message
 * without returning memory to the system, so in the steady state a message
 * costs no heap allocation: the arena only calls malloc when a message needs
 * more than any message before it on this arena. A hard cap bounds what one
 * hostile message can take; past it allocation returns NULL and callers
 * report a run-time error (the message is then kept, RFC 5228 2.10.6).
 * One arena per thread of execution: not thread-safe, never shared.
 */
#ifndef SIEVE_RT_ARENA_H
#define SIEVE_RT_ARENA_H

#include <stddef.h>
#include <stdint.h>

typedef struct rt_arena rt_arena;

/* cap: most bytes the arena may hold (0: 256 MiB). */
rt_arena *rt_arena_new(size_t cap);
void rt_arena_free(rt_arena **a_r);
void rt_arena_reset(rt_arena *a);

/* 16-byte aligned, NOT zeroed; NULL past the cap. */
void *rt_arena_alloc(rt_arena *a, size_t size);
void *rt_arena_dup(rt_arena *a, const void *p, size_t size);
/* p[0..len) copied and NUL-terminated (p need not be); NULL past the cap. */
char *rt_arena_strndup(rt_arena *a, const char *p, size_t len);
/* Malloc calls made since creation (for the no-allocation benchmark). */
uint64_t rt_arena_mallocs(const rt_arena *a);

#endif
