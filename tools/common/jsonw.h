/* jsonw: a growable byte buffer and the string writers of the tools'
 * output: JSON strings (spec/replay-jsonl.md) and Sieve-style quoted
 * strings for the readable formats.
 *
 * Both writers emit UTF-8 only: every byte that does not start a complete,
 * well-formed UTF-8 sequence (RFC 3629 section 4: no overlongs, no
 * surrogates, nothing above U+10FFFF) becomes U+FFFD, one per invalid byte,
 * as the replay spec requires. Output is deterministic.
 *
 * A jw_buf owns its memory (free with jw_buf_free); an allocation failure
 * aborts the process (these are command-line tools). Not thread-safe; one
 * buffer per thread.
 */
#ifndef SIEVE_TOOLS_JSONW_H
#define SIEVE_TOOLS_JSONW_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

typedef struct jw_buf {
    char *p;
    size_t len, cap;
} jw_buf;

void jw_buf_free(jw_buf *b);
static inline void jw_reset(jw_buf *b) { b->len = 0; }
void jw_reserve(jw_buf *b, size_t extra);
void jw_put(jw_buf *b, const void *p, size_t n);
void jw_putc(jw_buf *b, char c);
void jw_puts(jw_buf *b, const char *s);
void jw_put_u64(jw_buf *b, uint64_t v);
void jw_printf(jw_buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Writes the buffer to out; returns 0, or -1 on a write error. */
int jw_flush(jw_buf *b, FILE *out);

/* Length of the well-formed UTF-8 sequence at p (1..4), or 0 when the byte
 * at p does not start one within n bytes. */
size_t jw_utf8_len(const unsigned char *p, size_t n);

/* "..." with JSON escapes (RFC 8259 section 7): '"', '\\' and control
 * characters escaped (\n \r \t \b \f, else \u00XX), invalid bytes as
 * U+FFFD. s may be NULL (written as an empty string). */
void jw_json_string(jw_buf *b, const char *s, size_t n);
static inline void jw_json_cstr(jw_buf *b, const char *s)
{
    jw_json_string(b, s, s ? strlen(s) : 0);
}

/* "..." as a Sieve quoted string (RFC 5228 section 2.4.2): '"' and '\\'
 * escaped; control characters shown as \n \r \t or \xNN (not Sieve, but
 * readable and unambiguous); invalid bytes as U+FFFD. */
void jw_sieve_string(jw_buf *b, const char *s, size_t n);

#endif
