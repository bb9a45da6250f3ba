#include "arena.h"

#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define ARENA_ALIGN 16
#define ARENA_CHUNK (64 * 1024)

typedef struct chunk {
    struct chunk *next;
    size_t size, used;
    _Alignas(ARENA_ALIGN) unsigned char data[];
} chunk;

struct arena {
    chunk *head;
    size_t total;
};

static void *xmalloc(size_t n)
{
    void *p = malloc(n);
    if (!p) {
        fputs("sievec: out of memory\n", stderr);
        abort();
    }
    return p;
}

arena *arena_new(void)
{
    arena *a = xmalloc(sizeof *a);
    a->head = NULL;
    a->total = 0;
    return a;
}

void arena_free(arena **a_r)
{
    arena *a = *a_r;
    if (!a)
        return;
    for (chunk *c = a->head, *next; c; c = next) {
        next = c->next;
        free(c);
    }
    free(a);
    *a_r = NULL;
}

void *arena_alloc(arena *a, size_t size)
{
    size_t need = (size + ARENA_ALIGN - 1) & ~(size_t)(ARENA_ALIGN - 1);
    if (need < size) {
        fputs("sievec: allocation too large\n", stderr);
        abort();
    }
    chunk *c = a->head;
    if (!c || c->size - c->used < need) {
        size_t cap = need > ARENA_CHUNK / 4 ? need : ARENA_CHUNK;
        c = xmalloc(sizeof *c + cap);
        c->size = cap;
        c->used = 0;
        /* A large one-off block goes behind the current chunk so the
         * current chunk's free space is not wasted. */
        if (cap != ARENA_CHUNK && a->head) {
            c->next = a->head->next;
            a->head->next = c;
        } else {
            c->next = a->head;
            a->head = c;
        }
    }
    void *p = c->data + c->used;
    c->used += need;
    a->total += need;
    memset(p, 0, size);
    return p;
}

void *arena_calloc(arena *a, size_t count, size_t size)
{
    if (size && count > SIZE_MAX / size) {
        fputs("sievec: allocation too large\n", stderr);
        abort();
    }
    return arena_alloc(a, count * size);
}

void *arena_grow(arena *a, void *old, size_t old_size, size_t new_size)
{
    void *p = arena_alloc(a, new_size);
    if (old && old_size)
        memcpy(p, old, old_size < new_size ? old_size : new_size);
    return p;
}

char *arena_strndup(arena *a, const char *s, size_t len)
{
    char *p = arena_alloc(a, len + 1);
    if (len)
        memcpy(p, s, len);
    p[len] = '\0';
    return p;
}

char *arena_strdup(arena *a, const char *s)
{
    return arena_strndup(a, s, strlen(s));
}

char *arena_printf(arena *a, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    if (n < 0)
        return arena_strdup(a, "");
    char *p = arena_alloc(a, (size_t)n + 1);
    va_start(ap, fmt);
    vsnprintf(p, (size_t)n + 1, fmt, ap);
    va_end(ap);
    return p;
}

size_t arena_used(const arena *a)
{
    return a->total;
}
