#include "rt_arena.h"

#include <stdlib.h>
#include <string.h>

#include "rt_str.h"

#define RT_ARENA_ALIGN 16
#define RT_ARENA_FIRST (64 * 1024)
#define RT_ARENA_DEFAULT_CAP ((size_t)256 * 1024 * 1024)

typedef struct rt_chunk {
    struct rt_chunk *next;
    size_t size;
    _Alignas(RT_ARENA_ALIGN) unsigned char data[];
} rt_chunk;

struct rt_arena {
    rt_chunk *chunks;    /* all chunks, current first */
    rt_chunk *cur;
    size_t used;         /* in cur */
    size_t held, cap;    /* bytes held by all chunks; the ceiling */
    uint64_t mallocs;
};

rt_arena *rt_arena_new(size_t cap)
{
    rt_arena *a = calloc(1, sizeof *a);
    if (!a)
        return NULL;
    a->cap = cap ? cap : RT_ARENA_DEFAULT_CAP;
    return a;
}

void rt_arena_free(rt_arena **a_r)
{
    rt_arena *a = *a_r;
    if (!a)
        return;
    for (rt_chunk *c = a->chunks, *n; c; c = n) {
        n = c->next;
        free(c);
    }
    free(a);
    *a_r = NULL;
}

/* Keeps every chunk; the next message reuses them from the first on. */
void rt_arena_reset(rt_arena *a)
{
    a->cur = a->chunks;
    a->used = 0;
}

void *rt_arena_alloc(rt_arena *a, size_t size)
{
    size_t need = (size + RT_ARENA_ALIGN - 1) & ~(size_t)(RT_ARENA_ALIGN - 1);
    if (need < size)
        return NULL;
    while (a->cur && a->cur->size - a->used < need) {
        /* Move on to a later chunk kept from an earlier message. */
        if (!a->cur->next)
            break;
        a->cur = a->cur->next;
        a->used = 0;
    }
    if (!a->cur || a->cur->size - a->used < need) {
        size_t sz = a->cur ? a->cur->size * 2 : RT_ARENA_FIRST;
        while (sz < need)
            sz *= 2;
        if (a->held + sz > a->cap) {
            if (a->held + need > a->cap)
                return NULL;
            sz = need;
        }
        rt_chunk *c = malloc(sizeof *c + sz);
        if (!c)
            return NULL;
        a->mallocs++;
        c->size = sz;
        c->next = NULL;
        /* Append after cur so chunk order is the order of use. */
        if (a->cur) {
            c->next = a->cur->next;
            a->cur->next = c;
        } else {
            c->next = a->chunks;
            a->chunks = c;
        }
        a->held += sz;
        a->cur = c;
        a->used = 0;
    }
    void *p = a->cur->data + a->used;
    a->used += need;
    return p;
}

void *rt_arena_dup(rt_arena *a, const void *p, size_t size)
{
    void *q = rt_arena_alloc(a, size ? size : 1);
    if (q && size)
        memcpy(q, p, size);
    return q;
}

char *rt_arena_strndup(rt_arena *a, const char *p, size_t len)
{
    char *q = rt_arena_alloc(a, len + 1);
    if (!q)
        return NULL;
    if (len)
        memcpy(q, p, len);
    q[len] = '\0';
    return q;
}

uint64_t rt_arena_mallocs(const rt_arena *a)
{
    return a->mallocs;
}

void rt_buf_init(rt_buf *b, rt_arena *arena)
{
    b->arena = arena;
    b->p = NULL;
    b->len = b->cap = 0;
    b->failed = false;
}

void rt_buf_append(rt_buf *b, const char *p, size_t len)
{
    if (b->failed)
        return;
    if (b->len + len + 1 > b->cap) {
        size_t cap = b->cap ? b->cap * 2 : 64;
        while (cap < b->len + len + 1)
            cap *= 2;
        char *q = rt_arena_alloc(b->arena, cap);
        if (!q) {
            b->failed = true;
            return;
        }
        if (b->len)
            memcpy(q, b->p, b->len);
        b->p = q;
        b->cap = cap;
    }
    memcpy(b->p + b->len, p, len);
    b->len += len;
}

void rt_buf_putc(rt_buf *b, char c)
{
    rt_buf_append(b, &c, 1);
}

rt_str rt_buf_str(rt_buf *b)
{
    if (!b->p && !b->failed) {
        b->p = rt_arena_alloc(b->arena, 1);
        if (!b->p) {
            b->failed = true;
            return rt_str_make("", 0);
        }
    }
    if (b->failed)
        return rt_str_make("", 0);
    b->p[b->len] = '\0';
    return rt_str_make(b->p, b->len);
}
