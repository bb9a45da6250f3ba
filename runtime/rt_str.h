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

/* The value of a hexadecimal digit (either case), or -1. */
static inline int rt_hexval(int c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

/* The value of a base64 character (RFC 2045 6.8 alphabet), or -1. */
static inline int rt_b64val(int c)
{
    if (c >= 'A' && c <= 'Z')
        return c - 'A';
    if (c >= 'a' && c <= 'z')
        return c - 'a' + 26;
    if (c >= '0' && c <= '9')
        return c - '0' + 52;
    if (c == '+')
        return 62;
    if (c == '/')
        return 63;
    return -1;
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
