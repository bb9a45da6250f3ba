/* rt_str: the byte string the runtime passes around (not NUL-terminated,
 * may hold any byte), and a growable builder on a per-message arena. */
#ifndef SIEVE_RT_STR_H
#define SIEVE_RT_STR_H

#include <stdbool.h>
#include <stddef.h>
#include <string.h>

#include "rt_arena.h"

typedef struct rt_str {
    const char *p;
    size_t len;
} rt_str;

static inline rt_str rt_str_make(const char *p, size_t len)
{
    rt_str s = { p, len };
    return s;
}
static inline rt_str rt_str_cstr(const char *p)
{
    return rt_str_make(p, strlen(p));
}

/* Appends on an arena; on a failed allocation `failed` is set and further
 * appends are ignored, so callers check once at the end. */
typedef struct rt_buf {
    rt_arena *arena;
    char *p;
    size_t len, cap;
    bool failed;
} rt_buf;

void rt_buf_init(rt_buf *b, rt_arena *arena);
void rt_buf_append(rt_buf *b, const char *p, size_t len);
void rt_buf_putc(rt_buf *b, char c);
/* The bytes so far, NUL-terminated (NUL not counted). */
rt_str rt_buf_str(rt_buf *b);

#endif
