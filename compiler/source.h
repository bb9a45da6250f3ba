/* source: one script's text, its name, and a line map.
 *
 * Locations everywhere in the compiler are byte offsets into the text
 * (src_span); line and column are computed only when a message is printed.
 * Columns count characters (UTF-8 code points), 1-based, so a caret lines up
 * under non-ASCII text. A source owns its text; sources are immutable once
 * loaded and may be shared between threads.
 */
#ifndef SIEVEC_SOURCE_H
#define SIEVEC_SOURCE_H

#include <stddef.h>
#include <stdint.h>

/* Half-open byte range [start, end) in one source's text. */
typedef struct src_span {
    uint32_t start, end;
} src_span;

typedef struct source {
    char *name;          /* as given on the command line; "<stdin>" for - */
    char *text;          /* NUL-terminated (the NUL is not part of len) */
    size_t len;
    uint32_t *line_starts; /* byte offset of each line's first byte */
    size_t nlines;
} source;

enum source_status {
    SOURCE_OK = 0,
    SOURCE_IO_ERROR,   /* errno says why */
    SOURCE_TOO_LARGE,  /* larger than max_size */
};

/* Reads a file ("-" is standard input). On failure *src_r is NULL and the
 * return value says why. */
enum source_status source_read_file(const char *path, size_t max_size, source **src_r);
/* Copies the text. */
source *source_from_memory(const char *name, const char *text, size_t len);
void source_free(source **src_r);

/* 1-based line and character column of a byte offset (clamped to the text). */
void source_position(const source *src, uint32_t offset, unsigned *line_r, unsigned *col_r);
/* The text of a 1-based line without its line end; NULL past the end. */
const char *source_line(const source *src, unsigned line, size_t *len_r);

static inline src_span src_span_make(uint32_t start, uint32_t end)
{
    src_span s = { start, end };
    return s;
}
static inline src_span src_span_join(src_span a, src_span b)
{
    src_span s = { a.start < b.start ? a.start : b.start, a.end > b.end ? a.end : b.end };
    return s;
}

#endif
