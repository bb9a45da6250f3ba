/* sieve-lint: the front end's errors plus lint warnings, without code
 * generation.
 *
 * For each file: parse, check, lint (lint.h), then print the diagnostics in
 * source order to standard output, as text like a C compiler or as one
 * JSON document for the whole run. Exit status is a published interface
 * (sieve-lint(1)): 0 no errors (warnings alone do not count unless
 * -Werror), 1 errors in some script, 2 usage or I/O error (wins over 1).
 */
#include <errno.h>
#include <getopt.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "diag.h"
#include "limits.h"
#include "lint.h"

#ifndef SIEVEC_VERSION
#define SIEVEC_VERSION "0.1.0"
#endif

#define EXIT_CLEAN 0
#define EXIT_SCRIPT_ERRORS 1
#define EXIT_USAGE 2

typedef enum { COLOR_AUTO, COLOR_ALWAYS, COLOR_NEVER } color_mode;
typedef enum { FORMAT_TEXT, FORMAT_JSON, FORMAT_JSONL } out_format;

typedef struct options {
    lint_config warnings;
    bool werror;
    color_mode color;
    out_format format;
    sieve_limits limits;
} options;

typedef struct totals {
    size_t errors, warnings;
    bool first_file;     /* JSON: no comma before the first file object */
} totals;

static void usage(FILE *out)
{
    fputs(
"Usage: sieve-lint [OPTIONS] FILE...\n"
"Report errors and likely mistakes in Sieve scripts (RFC 5228 and its\n"
"extensions) without compiling them.\n"
"\n"
"Each FILE is parsed and checked as sievec(1) would, and then examined for\n"
"constructs that are valid but probably not what was meant: branches and\n"
"commands that can never run, :matches keys without wildcards, actions that\n"
"conflict or repeat, requires nothing uses. FILE '-' reads standard input.\n"
"Diagnostics go to standard output in source order.\n"
"\n"
"Options:\n"
"  -W ID, -WID             enable warning ID\n"
"  -Wno-ID                 disable warning ID (errors cannot be disabled)\n"
"  -Wall                   enable every warning (the default)\n"
"  -w                      disable every warning\n"
"  -Werror                 report warnings as errors (exit status 1)\n"
"  -Wno-error              undo -Werror\n"
"  --list-warnings         print every warning ID with a description, and exit\n"
"  --format=text|json|jsonl\n"
"                          text: like a C compiler (default);\n"
"                          json: one JSON document for the whole run;\n"
"                          jsonl: one JSON object per diagnostic per line,\n"
"                          as sievec --diagnostics-format=jsonl\n"
"  --color=auto|always|never\n"
"                          colour text output (auto: when stdout is a terminal\n"
"                          and NO_COLOR is unset)\n"
"  --max-errors=N          keep at most N errors per script (default 20, 0: all)\n"
"  --limit NAME=VALUE      change a limit on untrusted scripts (see below)\n"
"  -h, --help              show this help and exit\n"
"  -V, --version           show the version and exit\n"
"\n"
"Options apply in order: '-Wno-contains-empty -Wcontains-empty' leaves the\n"
"warning on.\n"
"\n"
"Text output:\n"
"  FILE:LINE:COLUMN: warning: MESSAGE [ID]\n"
"      the source line\n"
"      ^~~~ under the offending text\n"
"  FILE:LINE:COLUMN: note: a related place or a suggested fix\n"
"\n"
"JSON output (--format=json), one document:\n"
"  {\"files\": [{\"file\": NAME, \"io_error\": null or TEXT,\n"
"               \"errors\": N, \"warnings\": N, \"truncated\": BOOL,\n"
"               \"diagnostics\": [{\"line\", \"column\", \"end_line\", \"end_column\",\n"
"                                \"severity\", \"id\", \"message\", \"notes\": [...]}]}],\n"
"   \"errors\": N, \"warnings\": N}\n"
"  Lines and columns count from 1, columns in characters; end_column is\n"
"  just past the span. A note without a place has null positions.\n"
"\n"
"Warnings (all enabled by default; --list-warnings adds the checker's own):\n", out);
    for (size_t i = 0; i < lint_warning_count(); i++) {
        const lint_warning_info *w = lint_warning_at(i);
        if (!w->front_end)
            fprintf(out, "  %-26s %s\n", w->id, w->summary);
    }
    fputs(
"\n"
"Examples:\n"
"  sieve-lint filter.sieve\n"
"  sieve-lint -Wno-unused-require --format=json *.sieve\n"
"  cat filter.sieve | sieve-lint -Werror -     (as an upload check)\n"
"\n"
"Limits (VALUE may end in K, M or G):\n", out);
    sieve_limits_print_help(out);
    fputs(
"\n"
"Exit status: 0 no errors (warnings alone give 0 unless -Werror),\n"
"1 some script has errors, 2 usage error or a file could not be read.\n", out);
}

static void list_warnings(FILE *out)
{
    size_t width = 0;
    for (size_t i = 0; i < lint_warning_count(); i++) {
        size_t l = strlen(lint_warning_at(i)->id);
        if (l > width)
            width = l;
    }
    for (size_t i = 0; i < lint_warning_count(); i++) {
        const lint_warning_info *w = lint_warning_at(i);
        fprintf(out, "%-*s  %s%s\n", (int)width, w->id, w->summary,
                w->front_end ? " (from the checker)" : "");
    }
}

static void valid_ids(FILE *out)
{
    fputs("valid warning IDs:", out);
    for (size_t i = 0; i < lint_warning_count(); i++)
        fprintf(out, " %s", lint_warning_at(i)->id);
    fputc('\n', out);
}

static bool use_color(const options *opt)
{
    switch (opt->color) {
    case COLOR_ALWAYS: return true;
    case COLOR_NEVER: return false;
    case COLOR_AUTO: break;
    }
    const char *term = getenv("TERM");
    return isatty(fileno(stdout)) && getenv("NO_COLOR") == NULL && term && strcmp(term, "dumb") != 0;
}

/* -W arguments; returns false on an unknown ID. */
static bool apply_w(options *opt, const char *arg)
{
    if (strcmp(arg, "all") == 0) {
        lint_config_set_all(&opt->warnings, true);
        return true;
    }
    if (strcmp(arg, "error") == 0) {
        opt->werror = true;
        return true;
    }
    if (strcmp(arg, "no-error") == 0) {
        opt->werror = false;
        return true;
    }
    if (strncmp(arg, "no-", 3) == 0)
        return lint_config_set(&opt->warnings, arg + 3, false);
    return lint_config_set(&opt->warnings, arg, true);
}

/* The sink's records ordered by position (stable), copied into a fresh
 * sink: the checker and lint report in separate passes, readers want the
 * source order. */
static diag_sink *sorted_copy(const diag_sink *d)
{
    size_t n = diag_count(d);
    size_t *idx = malloc((n ? n : 1) * sizeof *idx);
    if (!idx) {
        fputs("sieve-lint: out of memory\n", stderr);
        exit(EXIT_USAGE);
    }
    for (size_t i = 0; i < n; i++)
        idx[i] = i;
    /* Insertion sort: stable, and n is bounded by the error cap. */
    for (size_t i = 1; i < n; i++) {
        size_t v = idx[i], j = i;
        const diag_record *rv = diag_get(d, v);
        uint32_t key = rv->src ? rv->span.start : 0;
        while (j > 0) {
            const diag_record *rp = diag_get(d, idx[j - 1]);
            uint32_t pk = rp->src ? rp->span.start : 0;
            if (pk <= key)
                break;
            idx[j] = idx[j - 1];
            j--;
        }
        idx[j] = v;
    }
    diag_sink *out = diag_sink_new(0);
    for (size_t i = 0; i < n; i++) {
        const diag_record *r = diag_get(d, idx[i]);
        if (r->severity == DIAG_WARNING)
            diag_warning(out, r->src, r->span, r->id, "%s", r->message);
        else
            diag_error(out, r->src, r->span, r->id, "%s", r->message);
        for (size_t k = 0; k < r->nnotes; k++)
            diag_note(out, r->notes[k].src, r->notes[k].span, "%s", r->notes[k].message);
    }
    free(idx);
    return out;
}

static void json_string(FILE *out, const char *s)
{
    fputc('"', out);
    diag_json_escape(out, s, strlen(s));
    fputc('"', out);
}

static void json_place(FILE *out, const source *src, src_span span)
{
    if (!src) {
        fputs("\"line\":null,\"column\":null,\"end_line\":null,\"end_column\":null", out);
        return;
    }
    unsigned line, col, eline, ecol;
    source_position(src, span.start, &line, &col);
    source_position(src, span.end, &eline, &ecol);
    fprintf(out, "\"line\":%u,\"column\":%u,\"end_line\":%u,\"end_column\":%u", line, col, eline, ecol);
}

static const char *severity_word(diag_severity s)
{
    return s == DIAG_ERROR ? "error" : s == DIAG_WARNING ? "warning" : "note";
}

static void json_file(FILE *out, totals *t, const char *name, const char *io_error,
                      const diag_sink *d, size_t errors, size_t warnings, bool truncated)
{
    if (!t->first_file)
        fputc(',', out);
    t->first_file = false;
    fputs("\n  {\"file\":", out);
    json_string(out, name);
    fputs(",\"io_error\":", out);
    if (io_error)
        json_string(out, io_error);
    else
        fputs("null", out);
    fprintf(out, ",\"errors\":%zu,\"warnings\":%zu,\"truncated\":%s,\"diagnostics\":[", errors,
            warnings, truncated ? "true" : "false");
    size_t n = d ? diag_count(d) : 0;
    for (size_t i = 0; i < n; i++) {
        const diag_record *r = diag_get(d, i);
        fputs(i ? ",\n    {" : "\n    {", out);
        json_place(out, r->src, r->span);
        fprintf(out, ",\"severity\":\"%s\",\"id\":", severity_word(r->severity));
        json_string(out, r->id ? r->id : "");
        fputs(",\"message\":", out);
        json_string(out, r->message);
        fputs(",\"notes\":[", out);
        for (size_t k = 0; k < r->nnotes; k++) {
            if (k)
                fputc(',', out);
            fputc('{', out);
            json_place(out, r->notes[k].src, r->notes[k].span);
            fputs(",\"message\":", out);
            json_string(out, r->notes[k].message);
            fputc('}', out);
        }
        fputs("]}", out);
    }
    fputs(n ? "\n  ]}" : "]}", out);
}

/* Returns the exit status for one file. */
static int lint_one(const char *path, const options *opt, totals *t)
{
    source *src = NULL;
    const char *shown = strcmp(path, "-") == 0 ? "<stdin>" : path;
    switch (source_read_file(path, opt->limits.max_script_size, &src)) {
    case SOURCE_OK:
        break;
    case SOURCE_IO_ERROR: {
        const char *why = strerror(errno);
        fprintf(stderr, "sieve-lint: %s: %s\n", shown, why);
        if (opt->format == FORMAT_JSON)
            json_file(stdout, t, shown, why, NULL, 0, 0, false);
        return EXIT_USAGE;
    }
    case SOURCE_TOO_LARGE: {
        /* An over-size script is the script's fault, not a usage error. */
        diag_sink *d = diag_sink_new(0);
        diag_error(d, NULL, src_span_make(0, 0), "limit-exceeded",
                   "script is larger than the limit of %zu bytes", opt->limits.max_script_size);
        t->errors++;
        if (opt->format == FORMAT_JSON)
            json_file(stdout, t, shown, NULL, d, 1, 0, false);
        else if (opt->format == FORMAT_JSONL)
            diag_print_jsonl(d, stdout);
        else
            printf("%s: error: script is larger than the limit of %zu bytes [limit-exceeded]\n",
                   shown, opt->limits.max_script_size);
        diag_sink_free(&d);
        return EXIT_SCRIPT_ERRORS;
    }
    }

    diag_sink *diag = diag_sink_new(opt->limits.max_errors);
    diag_set_warning_filter(diag, lint_warning_filter, (void *)&opt->warnings);
    diag_set_warnings_as_errors(diag, opt->werror);
    lint_source(src, &opt->limits, diag);
    size_t errors = diag_error_count(diag), warnings = diag_warning_count(diag);
    t->errors += errors;
    t->warnings += warnings;

    diag_sink *sorted = sorted_copy(diag);
    switch (opt->format) {
    case FORMAT_TEXT:
        diag_print_text(sorted, stdout, use_color(opt));
        if (diag_truncated(diag))
            printf("%s: too many errors (%zu); only the first %zu are shown\n", shown, errors,
                   opt->limits.max_errors);
        break;
    case FORMAT_JSONL:
        diag_print_jsonl(sorted, stdout);
        break;
    case FORMAT_JSON:
        json_file(stdout, t, shown, NULL, sorted, errors, warnings, diag_truncated(diag));
        break;
    }
    diag_sink_free(&sorted);
    diag_sink_free(&diag);
    source_free(&src);
    return errors ? EXIT_SCRIPT_ERRORS : EXIT_CLEAN;
}

int main(int argc, char **argv)
{
    options opt = { .color = COLOR_AUTO, .format = FORMAT_TEXT };
    lint_config_default(&opt.warnings);
    sieve_limits_default(&opt.limits);

    enum { OPT_MAX_ERRORS = 256, OPT_LIMIT, OPT_FORMAT, OPT_COLOR, OPT_LIST };
    static const struct option longopts[] = {
        { "max-errors", required_argument, NULL, OPT_MAX_ERRORS },
        { "limit", required_argument, NULL, OPT_LIMIT },
        { "format", required_argument, NULL, OPT_FORMAT },
        { "color", required_argument, NULL, OPT_COLOR },
        { "colour", required_argument, NULL, OPT_COLOR },
        { "list-warnings", no_argument, NULL, OPT_LIST },
        { "help", no_argument, NULL, 'h' },
        { "version", no_argument, NULL, 'V' },
        { NULL, 0, NULL, 0 },
    };

    int c;
    while ((c = getopt_long(argc, argv, "hVwW:", longopts, NULL)) != -1) {
        switch (c) {
        case 'W':
            if (!apply_w(&opt, optarg)) {
                fprintf(stderr, "sieve-lint: -W%s: unknown warning ID '%s'\n", optarg,
                        strncmp(optarg, "no-", 3) == 0 ? optarg + 3 : optarg);
                valid_ids(stderr);
                return EXIT_USAGE;
            }
            break;
        case 'w':
            lint_config_set_all(&opt.warnings, false);
            break;
        case OPT_MAX_ERRORS: {
            char buf[64];
            snprintf(buf, sizeof buf, "errors=%s", optarg);
            if (!sieve_limits_set(&opt.limits, buf)) {
                fprintf(stderr, "sieve-lint: --max-errors: not a number: '%s'\n", optarg);
                return EXIT_USAGE;
            }
            break;
        }
        case OPT_LIMIT:
            if (!sieve_limits_set(&opt.limits, optarg)) {
                fprintf(stderr, "sieve-lint: --limit: expected NAME=VALUE with a known NAME and a number, got '%s'\n"
                                "Known limits:\n", optarg);
                sieve_limits_print_help(stderr);
                return EXIT_USAGE;
            }
            break;
        case OPT_FORMAT:
            if (strcmp(optarg, "text") == 0)
                opt.format = FORMAT_TEXT;
            else if (strcmp(optarg, "json") == 0)
                opt.format = FORMAT_JSON;
            else if (strcmp(optarg, "jsonl") == 0)
                opt.format = FORMAT_JSONL;
            else {
                fprintf(stderr, "sieve-lint: --format: expected 'text', 'json' or 'jsonl', got '%s'\n", optarg);
                return EXIT_USAGE;
            }
            break;
        case OPT_COLOR:
            if (strcmp(optarg, "auto") == 0)
                opt.color = COLOR_AUTO;
            else if (strcmp(optarg, "always") == 0)
                opt.color = COLOR_ALWAYS;
            else if (strcmp(optarg, "never") == 0)
                opt.color = COLOR_NEVER;
            else {
                fprintf(stderr, "sieve-lint: --color: expected 'auto', 'always' or 'never', got '%s'\n", optarg);
                return EXIT_USAGE;
            }
            break;
        case OPT_LIST:
            list_warnings(stdout);
            return EXIT_CLEAN;
        case 'h':
            usage(stdout);
            return EXIT_CLEAN;
        case 'V':
            printf("sieve-lint (sievec) %s\n", SIEVEC_VERSION);
            return EXIT_CLEAN;
        default:
            fputs("Try 'sieve-lint --help'.\n", stderr);
            return EXIT_USAGE;
        }
    }
    if (optind >= argc) {
        fputs("sieve-lint: no input files\nTry 'sieve-lint --help'.\n", stderr);
        return EXIT_USAGE;
    }

    totals t = { 0, 0, true };
    if (opt.format == FORMAT_JSON)
        fputs("{\"files\":[", stdout);
    int status = EXIT_CLEAN;
    for (int i = optind; i < argc; i++) {
        int s = lint_one(argv[i], &opt, &t);
        if (s == EXIT_USAGE || (s == EXIT_SCRIPT_ERRORS && status == EXIT_CLEAN))
            status = s;
    }
    if (opt.format == FORMAT_JSON)
        printf("\n ],\n \"errors\":%zu,\"warnings\":%zu}\n", t.errors, t.warnings);
    if (fflush(stdout) != 0 || ferror(stdout)) {
        fprintf(stderr, "sieve-lint: error writing output: %s\n", strerror(errno));
        return EXIT_USAGE;
    }
    return status;
}
