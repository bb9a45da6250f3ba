#include "diag.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

struct diag_sink {
    diag_record *recs;
    size_t nrecs, cap;
    size_t max_errors;
    size_t errors, warnings;
    bool truncated;
    bool last_dropped;       /* notes after a dropped record are dropped too */
    bool werror;
    bool (*enabled)(const char *id, void *ctx);
    void *enabled_ctx;
    source **adopted;        /* sources whose records live here (includes) */
    size_t nadopted;
};

static void *xrealloc(void *p, size_t n)
{
    void *q = realloc(p, n);
    if (!q) {
        fputs("sievec: out of memory\n", stderr);
        abort();
    }
    return q;
}

char *diag_vformat(const char *fmt, va_list ap)
{
    va_list ap2;
    va_copy(ap2, ap);
    int n = vsnprintf(NULL, 0, fmt, ap2);
    va_end(ap2);
    if (n < 0)
        n = 0;
    char *s = xrealloc(NULL, (size_t)n + 1);
    vsnprintf(s, (size_t)n + 1, fmt, ap);
    return s;
}

diag_sink *diag_sink_new(size_t max_errors)
{
    diag_sink *s = xrealloc(NULL, sizeof *s);
    memset(s, 0, sizeof *s);
    s->max_errors = max_errors;
    return s;
}

void diag_sink_free(diag_sink **sink_r)
{
    diag_sink *s = *sink_r;
    if (!s)
        return;
    for (size_t i = 0; i < s->nrecs; i++) {
        free(s->recs[i].message);
        for (size_t j = 0; j < s->recs[i].nnotes; j++)
            free(s->recs[i].notes[j].message);
        free(s->recs[i].notes);
    }
    free(s->recs);
    for (size_t i = 0; i < s->nadopted; i++)
        source_free(&s->adopted[i]);
    free(s->adopted);
    free(s);
    *sink_r = NULL;
}

void diag_adopt_source(diag_sink *sink, source *src)
{
    if (!src)
        return;
    sink->adopted = xrealloc(sink->adopted, (sink->nadopted + 1) * sizeof *sink->adopted);
    sink->adopted[sink->nadopted++] = src;
}

void diag_set_warning_filter(diag_sink *sink, bool (*enabled)(const char *id, void *ctx), void *ctx)
{
    sink->enabled = enabled;
    sink->enabled_ctx = ctx;
}

void diag_set_warnings_as_errors(diag_sink *sink, bool on)
{
    sink->werror = on;
}

static void report(diag_sink *s, diag_severity sev, const source *src, src_span span,
                   const char *id, const char *fmt, va_list ap) __attribute__((format(printf, 6, 0)));
static void report(diag_sink *s, diag_severity sev, const source *src, src_span span,
                   const char *id, const char *fmt, va_list ap)
{
    if (sev == DIAG_WARNING) {
        if (s->enabled && !s->enabled(id, s->enabled_ctx)) {
            s->last_dropped = true;
            return;
        }
        if (s->werror)
            sev = DIAG_ERROR;
    }
    if (sev == DIAG_ERROR) {
        s->errors++;
        if (s->max_errors && s->errors > s->max_errors) {
            s->truncated = true;
            s->last_dropped = true;
            return;
        }
    } else {
        s->warnings++;
        /* Warnings share the cap so the record array stays bounded. */
        if (s->max_errors && s->warnings > 10 * s->max_errors) {
            s->last_dropped = true;
            return;
        }
    }
    if (s->nrecs == s->cap) {
        s->cap = s->cap ? 2 * s->cap : 16;
        s->recs = xrealloc(s->recs, s->cap * sizeof *s->recs);
    }
    diag_record *r = &s->recs[s->nrecs++];
    memset(r, 0, sizeof *r);
    r->severity = sev;
    r->id = id;
    r->src = src;
    r->span = span;
    r->message = diag_vformat(fmt, ap);
    s->last_dropped = false;
}

void diag_error(diag_sink *sink, const source *src, src_span span, const char *id, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    report(sink, DIAG_ERROR, src, span, id, fmt, ap);
    va_end(ap);
}

void diag_warning(diag_sink *sink, const source *src, src_span span, const char *id, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    report(sink, DIAG_WARNING, src, span, id, fmt, ap);
    va_end(ap);
}

void diag_verror(diag_sink *sink, const source *src, src_span span, const char *id,
                 const char *fmt, va_list ap)
{
    report(sink, DIAG_ERROR, src, span, id, fmt, ap);
}

void diag_vwarning(diag_sink *sink, const source *src, src_span span, const char *id,
                   const char *fmt, va_list ap)
{
    report(sink, DIAG_WARNING, src, span, id, fmt, ap);
}

void diag_note(diag_sink *sink, const source *src, src_span span, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    diag_vnote(sink, src, span, fmt, ap);
    va_end(ap);
}

void diag_vnote(diag_sink *sink, const source *src, src_span span, const char *fmt, va_list ap)
{
    if (sink->last_dropped || sink->nrecs == 0)
        return;
    diag_record *r = &sink->recs[sink->nrecs - 1];
    r->notes = xrealloc(r->notes, (r->nnotes + 1) * sizeof *r->notes);
    struct diag_note *n = &r->notes[r->nnotes++];
    n->src = src;
    n->span = span;
    n->message = diag_vformat(fmt, ap);
}

size_t diag_error_count(const diag_sink *sink) { return sink->errors; }
size_t diag_warning_count(const diag_sink *sink) { return sink->warnings; }
size_t diag_count(const diag_sink *sink) { return sink->nrecs; }
bool diag_truncated(const diag_sink *sink) { return sink->truncated; }

const diag_record *diag_get(const diag_sink *sink, size_t i)
{
    return i < sink->nrecs ? &sink->recs[i] : NULL;
}

static const char *severity_name(diag_severity sev)
{
    switch (sev) {
    case DIAG_ERROR: return "error";
    case DIAG_WARNING: return "warning";
    case DIAG_NOTE: return "note";
    }
    return "error";
}

static const char *severity_color(diag_severity sev)
{
    switch (sev) {
    case DIAG_ERROR: return "\033[1;31m";
    case DIAG_WARNING: return "\033[1;35m";
    case DIAG_NOTE: return "\033[1;36m";
    }
    return "";
}

/* Prints the line holding span.start and a caret under the span (tildes up
 * to the end of the span or of the line). Tabs are echoed in the caret line
 * so the caret stays aligned whatever the tab width. Control bytes are shown
 * as '?' so a hostile script cannot drive the terminal. A very long line
 * (minified or hostile input) is cut to a window around the caret. */
#define EXCERPT_MAX 160
#define EXCERPT_BEFORE 60

static uint32_t char_start(const source *src, uint32_t i, uint32_t lo)
{
    while (i > lo && ((unsigned char)src->text[i] & 0xC0) == 0x80)
        i--;
    return i;
}

static void print_excerpt(FILE *out, const source *src, src_span span, bool color)
{
    unsigned line, col;
    source_position(src, span.start, &line, &col);
    size_t len;
    const char *text = source_line(src, line, &len);
    if (!text)
        return;
    uint32_t line_start = (uint32_t)(text - src->text);
    uint32_t line_end = line_start + (uint32_t)len;
    uint32_t from = line_start, to = line_end;
    if (len > EXCERPT_MAX) {
        if (span.start > line_start + EXCERPT_BEFORE)
            from = char_start(src, span.start - EXCERPT_BEFORE, line_start);
        if (to - from > EXCERPT_MAX)
            to = char_start(src, from + EXCERPT_MAX, from);
    }
    fputs(from > line_start ? "    ..." : "    ", out);
    for (uint32_t i = from; i < to; i++) {
        unsigned char c = (unsigned char)src->text[i];
        fputc(c == '\t' || c >= 0x20 ? (c == 0x7f ? '?' : c) : '?', out);
    }
    if (to < line_end)
        fputs("...", out);
    fputs(from > line_start ? "\n       " : "\n    ", out);
    for (uint32_t i = from; i < span.start && i < to; i++) {
        unsigned char c = (unsigned char)src->text[i];
        if ((c & 0xC0) == 0x80)
            continue;
        fputc(c == '\t' ? '\t' : ' ', out);
    }
    if (color)
        fputs("\033[1;32m", out);
    fputc('^', out);
    uint32_t end = span.end < to ? span.end : to;
    bool first = true;
    for (uint32_t i = span.start; i < end; i++) {
        if (((unsigned char)src->text[i] & 0xC0) == 0x80)
            continue;
        if (first) {
            first = false;
            continue;
        }
        fputc('~', out);
    }
    if (color)
        fputs("\033[0m", out);
    fputc('\n', out);
}

static void print_head(FILE *out, const source *src, src_span span, diag_severity sev,
                       const char *message, const char *id, bool color)
{
    if (color)
        fputs("\033[1m", out);
    if (src) {
        unsigned line, col;
        source_position(src, span.start, &line, &col);
        fprintf(out, "%s:%u:%u: ", src->name, line, col);
    } else {
        fputs("sievec: ", out);
    }
    if (color)
        fprintf(out, "%s%s:\033[0m\033[1m ", severity_color(sev), severity_name(sev));
    else
        fprintf(out, "%s: ", severity_name(sev));
    fputs(message, out);
    if (id)
        fprintf(out, " [%s]", id);
    if (color)
        fputs("\033[0m", out);
    fputc('\n', out);
}

void diag_print_text(const diag_sink *sink, FILE *out, bool color)
{
    for (size_t i = 0; i < sink->nrecs; i++) {
        const diag_record *r = &sink->recs[i];
        print_head(out, r->src, r->span, r->severity, r->message, r->id, color);
        if (r->src)
            print_excerpt(out, r->src, r->span, color);
        for (size_t j = 0; j < r->nnotes; j++) {
            const struct diag_note *n = &r->notes[j];
            print_head(out, n->src ? n->src : r->src, n->src ? n->span : r->span,
                       DIAG_NOTE, n->message, NULL, color);
            /* A note about the same place as its error needs no second excerpt. */
            bool same = n->src == r->src && n->span.start == r->span.start && n->span.end == r->span.end;
            if (n->src && !same)
                print_excerpt(out, n->src, n->span, color);
        }
    }
    if (sink->truncated)
        fprintf(out, "sievec: too many errors (%zu); only the first %zu are shown\n",
                sink->errors, sink->max_errors);
}

void diag_json_escape(FILE *out, const char *s, size_t len)
{
    for (size_t i = 0; i < len; i++) {
        unsigned char c = (unsigned char)s[i];
        switch (c) {
        case '"': fputs("\\\"", out); break;
        case '\\': fputs("\\\\", out); break;
        case '\n': fputs("\\n", out); break;
        case '\r': fputs("\\r", out); break;
        case '\t': fputs("\\t", out); break;
        default:
            if (c < 0x20 || c == 0x7f)
                fprintf(out, "\\u%04x", c);
            else
                fputc(c, out);
        }
    }
}

static void json_str(FILE *out, const char *s)
{
    fputc('"', out);
    diag_json_escape(out, s, strlen(s));
    fputc('"', out);
}

static void json_place(FILE *out, const source *src, src_span span)
{
    if (!src) {
        fputs("\"file\":null", out);
        return;
    }
    unsigned line, col, eline, ecol;
    source_position(src, span.start, &line, &col);
    source_position(src, span.end, &eline, &ecol);
    fputs("\"file\":", out);
    json_str(out, src->name);
    fprintf(out, ",\"line\":%u,\"column\":%u,\"end_line\":%u,\"end_column\":%u", line, col, eline, ecol);
}

void diag_print_jsonl(const diag_sink *sink, FILE *out)
{
    for (size_t i = 0; i < sink->nrecs; i++) {
        const diag_record *r = &sink->recs[i];
        fputc('{', out);
        json_place(out, r->src, r->span);
        fprintf(out, ",\"severity\":\"%s\",\"id\":", severity_name(r->severity));
        json_str(out, r->id ? r->id : "");
        fputs(",\"message\":", out);
        json_str(out, r->message);
        fputs(",\"notes\":[", out);
        for (size_t j = 0; j < r->nnotes; j++) {
            const struct diag_note *n = &r->notes[j];
            if (j)
                fputc(',', out);
            fputc('{', out);
            json_place(out, n->src, n->span);
            fputs(",\"message\":", out);
            json_str(out, n->message);
            fputc('}', out);
        }
        fputs("]}\n", out);
    }
}
