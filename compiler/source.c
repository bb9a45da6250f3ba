#include "source.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void *xrealloc(void *p, size_t n)
{
    void *q = realloc(p, n);
    if (!q) {
        fputs("sievec: out of memory\n", stderr);
        abort();
    }
    return q;
}

static void build_line_map(source *src)
{
    size_t cap = 64, n = 0;
    uint32_t *starts = xrealloc(NULL, cap * sizeof *starts);
    starts[n++] = 0;
    for (size_t i = 0; i < src->len; i++) {
        /* CRLF, LF and a lone CR all end a line. */
        int eol = src->text[i] == '\n' ||
                  (src->text[i] == '\r' && (i + 1 >= src->len || src->text[i + 1] != '\n'));
        if (eol && i + 1 <= src->len) {
            if (n == cap) {
                cap *= 2;
                starts = xrealloc(starts, cap * sizeof *starts);
            }
            starts[n++] = (uint32_t)(i + 1);
        }
    }
    src->line_starts = starts;
    src->nlines = n;
}

static source *source_adopt(const char *name, char *text, size_t len)
{
    source *src = xrealloc(NULL, sizeof *src);
    src->name = strdup(name);
    if (!src->name) {
        fputs("sievec: out of memory\n", stderr);
        abort();
    }
    src->text = text;
    src->len = len;
    build_line_map(src);
    return src;
}

source *source_from_memory(const char *name, const char *text, size_t len)
{
    char *copy = xrealloc(NULL, len + 1);
    if (len)
        memcpy(copy, text, len);
    copy[len] = '\0';
    return source_adopt(name, copy, len);
}

enum source_status source_read_file(const char *path, size_t max_size, source **src_r)
{
    *src_r = NULL;
    int is_stdin = strcmp(path, "-") == 0;
    FILE *f = is_stdin ? stdin : fopen(path, "rb");
    if (!f)
        return SOURCE_IO_ERROR;
    size_t cap = 4096, len = 0;
    char *buf = xrealloc(NULL, cap + 1);
    for (;;) {
        if (len == cap) {
            if (cap > max_size)
                break;
            cap *= 2;
            buf = xrealloc(buf, cap + 1);
        }
        size_t got = fread(buf + len, 1, cap - len, f);
        len += got;
        if (got == 0)
            break;
    }
    int err = ferror(f) ? errno : 0;
    if (!is_stdin)
        fclose(f);
    if (err) {
        free(buf);
        errno = err;
        return SOURCE_IO_ERROR;
    }
    if (len > max_size) {
        free(buf);
        return SOURCE_TOO_LARGE;
    }
    buf[len] = '\0';
    *src_r = source_adopt(is_stdin ? "<stdin>" : path, buf, len);
    return SOURCE_OK;
}

void source_free(source **src_r)
{
    source *src = *src_r;
    if (!src)
        return;
    free(src->name);
    free(src->text);
    free(src->line_starts);
    free(src);
    *src_r = NULL;
}

void source_position(const source *src, uint32_t offset, unsigned *line_r, unsigned *col_r)
{
    if (offset > src->len)
        offset = (uint32_t)src->len;
    size_t lo = 0, hi = src->nlines;
    while (hi - lo > 1) {
        size_t mid = lo + (hi - lo) / 2;
        if (src->line_starts[mid] <= offset)
            lo = mid;
        else
            hi = mid;
    }
    unsigned col = 1;
    for (uint32_t i = src->line_starts[lo]; i < offset; i++)
        if (((unsigned char)src->text[i] & 0xC0) != 0x80)
            col++;
    *line_r = (unsigned)lo + 1;
    *col_r = col;
}

const char *source_line(const source *src, unsigned line, size_t *len_r)
{
    if (line == 0 || line > src->nlines)
        return NULL;
    uint32_t start = src->line_starts[line - 1];
    uint32_t end = line < src->nlines ? src->line_starts[line] : (uint32_t)src->len;
    while (end > start && (src->text[end - 1] == '\n' || src->text[end - 1] == '\r'))
        end--;
    *len_r = end - start;
    return src->text + start;
}
