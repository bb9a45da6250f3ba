/* diag: the diagnostics sink every compiler phase reports into.
 *
 * Phases never print: they report errors and warnings, each with a stable
 * ID (kebab-case, e.g. "unknown-command", "missing-require"; tests, golden
 * files, `sieve-lint -W` and JSON output name them), a source span and a
 * message, optionally followed by notes (a hint, or "'{' opened here").
 * The sink keeps the records in order; a printer renders them afterwards,
 * like a C compiler:
 *
 *     script.sieve:3:1: error: unknown command 'fileinto' [missing-require]
 *         fileinto "x";
 *         ^~~~~~~~
 *     script.sieve:3:1: note: 'fileinto' needs require "fileinto"
 *
 * Errors beyond max_errors are counted but not kept, so a pathological
 * script cannot make the sink grow without bound. Warnings can be filtered
 * by ID. The sink owns its records; it is not thread-safe.
 */
#ifndef SIEVEC_DIAG_H
#define SIEVEC_DIAG_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "source.h"

typedef enum diag_severity {
    DIAG_ERROR,
    DIAG_WARNING,
    DIAG_NOTE,
} diag_severity;

/* No typedef: the name diag_note is the function below. */
struct diag_note {
    const source *src;  /* NULL when the note has no location */
    src_span span;
    char *message;
};

typedef struct diag_record {
    diag_severity severity;
    const char *id;      /* static string */
    const source *src;   /* NULL for a message about no particular place */
    src_span span;
    char *message;
    struct diag_note *notes;
    size_t nnotes;
} diag_record;

typedef struct diag_sink diag_sink;

/* max_errors: records kept (0 means unlimited). */
diag_sink *diag_sink_new(size_t max_errors);
void diag_sink_free(diag_sink **sink_r);

/* The sink takes src and frees it with itself, so that records about a
 * script read in passing (an included script, RFC 6609) stay printable
 * after the phase that read it is done. */
void diag_adopt_source(diag_sink *sink, source *src);

/* Warnings whose filter returns false are dropped (not counted). */
void diag_set_warning_filter(diag_sink *sink, bool (*enabled)(const char *id, void *ctx), void *ctx);
/* Turns every warning into an error (-Werror). */
void diag_set_warnings_as_errors(diag_sink *sink, bool on);

void diag_error(diag_sink *sink, const source *src, src_span span, const char *id,
                const char *fmt, ...) __attribute__((format(printf, 5, 6)));
void diag_warning(diag_sink *sink, const source *src, src_span span, const char *id,
                  const char *fmt, ...) __attribute__((format(printf, 5, 6)));
/* Attaches a note to the last error or warning reported (dropped if that
 * record was dropped). src may be NULL for a note without a location. */
void diag_note(diag_sink *sink, const source *src, src_span span,
               const char *fmt, ...) __attribute__((format(printf, 4, 5)));

/* The same with a va_list, for phases that wrap reporting in their own
 * helpers. */
void diag_verror(diag_sink *sink, const source *src, src_span span, const char *id,
                 const char *fmt, va_list ap) __attribute__((format(printf, 5, 0)));
void diag_vwarning(diag_sink *sink, const source *src, src_span span, const char *id,
                   const char *fmt, va_list ap) __attribute__((format(printf, 5, 0)));
void diag_vnote(diag_sink *sink, const source *src, src_span span,
                const char *fmt, va_list ap) __attribute__((format(printf, 4, 0)));
/* A heap-allocated formatted message (free() it); aborts when out of memory. */
char *diag_vformat(const char *fmt, va_list ap) __attribute__((format(printf, 1, 0)));

size_t diag_error_count(const diag_sink *sink);   /* including those not kept */
size_t diag_warning_count(const diag_sink *sink);
size_t diag_count(const diag_sink *sink);         /* records kept */
const diag_record *diag_get(const diag_sink *sink, size_t i);
/* True when the error cap was reached and later errors were not kept. */
bool diag_truncated(const diag_sink *sink);

/* C-compiler style text with source line and caret; color when asked. */
void diag_print_text(const diag_sink *sink, FILE *out, bool color);
/* One JSON object per record per line: file, line, column, end_line,
 * end_column, severity, id, message, notes[]. */
void diag_print_jsonl(const diag_sink *sink, FILE *out);
/* Escapes a string for a JSON string literal (without the quotes). */
void diag_json_escape(FILE *out, const char *s, size_t len);

#endif
