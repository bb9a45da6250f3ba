/* charset: conversion of text in a named MIME charset to UTF-8.
 *
 * Used for RFC 2047 encoded words, MIME body parts and raw 8-bit header
 * bytes. Output goes to the caller's per-message arena; the input is never
 * modified or retained. Conversion never fails on bad input: bytes that are
 * not valid in the source charset become U+FFFD, one per run of consecutive
 * invalid bytes (what Dovecot does; checked with Pigeonhole 0.5.19, where
 * "a\xff\xfeb" reads as "a\uFFFDb"). A charset name that
 * iconv does not know is not an error either: its bytes are taken as UTF-8
 * and sanitized (what Dovecot does: ASCII survives, the rest becomes U+FFFD
 * where it is not valid UTF-8).
 *
 * Names are normalised before lookup: case, RFC 2231 language suffix
 * ("iso-8859-1*sv"), common aliases (utf8, latin1, us-ascii, ks_c_5601-1987
 * -> CP949, gb2312 -> GBK, ...). iconv descriptors are cached per thread
 * (a small LRU keyed by normalised name) so the steady state does not
 * allocate; the cache lives in thread-local storage and is freed by
 * rt_charset_thread_cleanup() (optional; call at thread exit).
 *
 * Thread-safety: all functions are safe to call from many threads at once,
 * each with its own arena.
 */
#ifndef SIEVE_RT_CHARSET_H
#define SIEVE_RT_CHARSET_H

#include <stdbool.h>
#include <stddef.h>

#include "rt_arena.h"
#include "rt_str.h"

/* Converts `in` (len bytes in `charset`, which need not be NUL-terminated)
 * to UTF-8 in `a`; *out_r is NUL-terminated (NUL not counted). A NULL or
 * empty charset means US-ASCII/UTF-8 (sanitized). Returns false only when the
 * arena is exhausted (then *out_r is the empty string). */
bool rt_charset_to_utf8(rt_arena *a, const char *charset, size_t charset_len,
                        const char *in, size_t len, rt_str *out_r);

/* True when iconv can convert from `charset` (after normalisation). */
bool rt_charset_is_known(const char *charset, size_t charset_len);

/* True when the normalised name is UTF-8 or US-ASCII (no conversion needed). */
bool rt_charset_is_utf8(const char *charset, size_t charset_len);

/* Writes the normalised name (upper case, language suffix stripped, alias
 * applied) NUL-terminated into buf (at most bufsize bytes including the NUL).
 * Returns its length, or 0 when the name is empty or does not fit. */
size_t rt_charset_normalize(const char *charset, size_t charset_len,
                            char *buf, size_t bufsize);

/* True when in[0..len) is valid UTF-8 (no overlongs, no surrogates, nothing
 * above U+10FFFF). */
bool rt_utf8_is_valid(const char *in, size_t len);

/* Copies in[0..len) to *out_r replacing each run of bytes that do not belong
 * to a valid UTF-8 sequence by one U+FFFD. When the input is already valid it is
 * returned as is (no copy; not NUL-terminated then). Returns false only when
 * the arena is exhausted. */
bool rt_utf8_sanitize(rt_arena *a, const char *in, size_t len, rt_str *out_r);

/* Allows at most n descriptor-cache misses (iconv_open calls) on this
 * thread until the next call; past that, a charset not in the cache is
 * converted as an unknown one. rt_msg_open() sets RT_CHARSET_OPENS_PER_MESSAGE
 * so a hostile message cycling through hundreds of charsets costs a bounded
 * number of opens (each takes tens of microseconds and allocates).
 * 0 lifts the limit (the default for a thread that never calls this). */
#define RT_CHARSET_OPENS_PER_MESSAGE 32
void rt_charset_limit_opens(unsigned n);

/* Frees this thread's iconv descriptor cache (safe to call twice). */
void rt_charset_thread_cleanup(void);

#endif
