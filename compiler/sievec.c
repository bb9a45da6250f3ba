/* sievec: the compiler driver.
 *
 * Reads each script, runs the front end (parse, check) and, unless --check,
 * the back end (compile.h: LLVM code generation, link, MAC signing), and
 * reports diagnostics like a C compiler. Exit status is a published
 * interface that upload scripts rely on: 0 every script clean, 1 at least
 * one script has errors, 2 usage, I/O, code generation or link error
 * (which wins over 1).
 */
#include <errno.h>
#include <getopt.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "compile.h"
#include "diag.h"
#include "limits.h"
#include "parse.h"
#include "sema.h"

#define EXIT_CLEAN 0
#define EXIT_SCRIPT_ERRORS 1
#define EXIT_USAGE 2

typedef enum { COLOR_AUTO, COLOR_ALWAYS, COLOR_NEVER } color_mode;
typedef enum { FORMAT_TEXT, FORMAT_JSONL } diag_format;

typedef struct options {
    const char *out;            /* -o; NULL: derived from the script name */
    emit_kind output;
    unsigned opt_level;
    const char *cpu;
    const char *key_file;
    bool check_only;
    bool time_phases;
    bool dump_ast;
    bool no_warnings;
    bool werror;
    color_mode color;
    diag_format format;
    sieve_limits limits;
    const char *include_personal; /* --include-dir-personal */
    const char *include_global;   /* --include-dir-global */
    bool deps_only;             /* -M */
    bool deps_too;              /* -MD */
    bool deps_phony;            /* -MP */
    const char *deps_file;      /* -MF */
    const char *deps_target;    /* -MT */
} options;

static void usage(FILE *out)
{
    fputs(
"Usage: sievec [OPTIONS] FILE...\n"
"Compile Sieve scripts (RFC 5228 and extensions) to native shared objects.\n"
"\n"
"  -o OUT                  write the output to OUT (one FILE only; default:\n"
"                          FILE with its extension replaced by .so, .o or .ll)\n"
"  -c                      write an object file (.o) instead of a shared object\n"
"  --emit-llvm             write LLVM IR text (.ll) instead of a shared object\n"
"  -O0, -O1, -O2, -O3      optimisation level (default -O2)\n"
"  -mcpu=CPU               target CPU: 'generic' (default: runs on every host\n"
"                          of this architecture) or 'native' (this host's CPU\n"
"                          and features; recorded, the loader checks them)\n"
"  --key-file FILE         sign the .so with the MAC key in FILE (default:\n"
"                          $SIEVEC_KEY_FILE, /etc/sievec/mac.key, else\n"
"                          ~/.config/sievec/mac.key, created when missing)\n"
"  --check                 check the scripts without generating code (and\n"
"                          the scripts they include when an --include-dir\n"
"                          option is given)\n"
"  --include-dir-personal DIR\n"
"                          where `include :personal \"NAME\"` finds\n"
"                          DIR/NAME.sieve (default: the script's directory)\n"
"  --include-dir-global DIR\n"
"                          where `include :global \"NAME\"` finds\n"
"                          DIR/NAME.sieve (no default); included scripts are\n"
"                          compiled into the same shared object\n"
"  -M                      print the script's dependencies as a make rule\n"
"                          (the script and every script it includes) and\n"
"                          generate nothing\n"
"  -MD                     compile, and write the rule to OUT.d too\n"
"  -MF FILE                write the rule to FILE (default: standard output\n"
"                          for -M, OUT.d for -MD)\n"
"  -MT TARGET              the rule's target (default: the output file)\n"
"  -MP                     add an empty rule for each included script, so\n"
"                          make does not fail when one is removed\n"
"  --dump-ast              print the syntax tree of each script that parses\n"
"  --time-phases           with --check: print how long reading, parsing and\n"
"                          checking took (to standard error)\n"
"  -w                      do not report warnings\n"
"  -Werror                 treat warnings as errors\n"
"  --max-errors=N          show at most N errors per script (default 20, 0: all)\n"
"  --limit NAME=VALUE      change a limit on untrusted scripts (see below)\n"
"  --diagnostics-format=text|jsonl\n"
"                          how to print diagnostics (default text)\n"
"  --color=auto|always|never\n"
"                          colour diagnostics (default auto: on a terminal)\n"
"  -h, --help              show this help and exit\n"
"  -V, --version           show the version and exit\n"
"\n"
"FILE '-' reads the script from standard input.\n"
"\n"
"Diagnostics are printed to standard error as\n"
"  FILE:LINE:COLUMN: error: MESSAGE [ID]\n"
"followed by the source line and a caret under the offending text.\n"
"\n"
"Limits (VALUE may end in K, M or G):\n", out);
    sieve_limits_print_help(out);
    fputs(
"\n"
"The linker is the one found when sievec was built; SIEVEC_LD overrides it.\n"
"Scripts using extensions the code generator does not handle yet (vacation,\n"
"date, ...) get the error [not-yet-compilable].\n"
"\n"
"Exit status: 0 every script is clean, 1 a script has errors,\n"
"2 usage, I/O, code generation or link error.\n", out);
}

static bool use_color(const options *opt, FILE *out)
{
    switch (opt->color) {
    case COLOR_ALWAYS: return true;
    case COLOR_NEVER: return false;
    case COLOR_AUTO: break;
    }
    const char *term = getenv("TERM");
    return isatty(fileno(out)) && getenv("NO_COLOR") == NULL && term && strcmp(term, "dumb") != 0;
}

static bool warnings_off(const char *id, void *ctx)
{
    (void)id;
    (void)ctx;
    return false;
}

static void print_diags(const diag_sink *diag, const options *opt)
{
    if (opt->format == FORMAT_JSONL)
        diag_print_jsonl(diag, stderr);
    else
        diag_print_text(diag, stderr, use_color(opt, stderr));
}

static diag_sink *new_sink(const options *opt)
{
    diag_sink *diag = diag_sink_new(opt->limits.max_errors);
    if (opt->no_warnings)
        diag_set_warning_filter(diag, warnings_off, NULL);
    diag_set_warnings_as_errors(diag, opt->werror);
    return diag;
}

/* FILE.sieve -> FILE.so (.o, .ll): the extension of the last path
 * component is replaced, or the suffix appended. */
static char *default_output(const char *path, emit_kind kind)
{
    const char *suffix = kind == EMIT_OBJECT ? ".o" : kind == EMIT_LLVM_IR ? ".ll" : ".so";
    const char *slash = strrchr(path, '/');
    const char *base = slash ? slash + 1 : path;
    const char *dot = strrchr(base, '.');
    size_t keep = dot && dot != base ? (size_t)(dot - path) : strlen(path);
    char *out = malloc(keep + strlen(suffix) + 1);
    if (!out)
        return NULL;
    memcpy(out, path, keep);
    strcpy(out + keep, suffix);
    return out;
}

/* ---- Dependencies (-M, -MD) --------------------------------------------- */

typedef struct deps {
    char **v;
    size_t n;
} deps;

static void dep_add(const char *path, void *ctx)
{
    deps *d = ctx;
    char **v = realloc(d->v, (d->n + 1) * sizeof *v);
    char *c = strdup(path);
    if (!v || !c) {
        free(c);
        if (v)
            d->v = v;
        return;
    }
    d->v = v;
    d->v[d->n++] = c;
}

/* A file name in a make rule: spaces, '#' and ':' escaped, '$' doubled. */
static void make_word(FILE *f, const char *s)
{
    for (; *s; s++) {
        if (*s == '$')
            fputc('$', f);
        else if (*s == ' ' || *s == '#' || *s == ':')
            fputc('\\', f);
        fputc(*s, f);
    }
}

/* Writes `target: script included...`; returns 0 or EXIT_USAGE. */
static int write_deps(const deps *d, const char *target, const char *file, bool phony)
{
    FILE *f = file ? fopen(file, "w") : stdout;
    if (!f) {
        fprintf(stderr, "sievec: %s: %s\n", file, strerror(errno));
        return EXIT_USAGE;
    }
    make_word(f, target);
    fputc(':', f);
    for (size_t i = 0; i < d->n; i++) {
        fputs(" \\\n  ", f);
        make_word(f, d->v[i]);
    }
    fputc('\n', f);
    for (size_t i = 1; phony && i < d->n; i++) {
        fputc('\n', f);
        make_word(f, d->v[i]);
        fputs(":\n", f);
    }
    int st = 0;
    if (file ? fclose(f) != 0 : fflush(f) != 0) {
        fprintf(stderr, "sievec: %s: %s\n", file ? file : "standard output", strerror(errno));
        st = EXIT_USAGE;
    }
    return st;
}

static void deps_free(deps *d)
{
    for (size_t i = 0; i < d->n; i++)
        free(d->v[i]);
    free(d->v);
}

/* Compiles one script to native code; returns its exit status. */
static int build_one(const char *path, const options *opt)
{
    char *derived = NULL;
    const char *out = opt->out;
    if (!out) {
        if (strcmp(path, "-") == 0) {
            fputs("sievec: -o OUT is needed when the script is read from standard input\n", stderr);
            return EXIT_USAGE;
        }
        out = derived = default_output(path, opt->output);
        if (!out) {
            fputs("sievec: out of memory\n", stderr);
            return EXIT_USAGE;
        }
    }
    deps d = { 0 };
    bool want_deps = opt->deps_only || opt->deps_too;
    compile_options co = {
        .output = opt->output, .opt_level = opt->opt_level, .cpu = opt->cpu,
        .key_file = opt->key_file, .limits = &opt->limits,
        .include_dir_personal = opt->include_personal, .include_dir_global = opt->include_global,
        .on_dependency = want_deps ? dep_add : NULL, .dependency_ctx = &d,
        .dependencies_only = opt->deps_only || opt->check_only,
    };
    diag_sink *diag = new_sink(opt);
    source *src = NULL;
    int st = sievec_compile_file(path, out, &co, diag, &src);
    print_diags(diag, opt);
    diag_sink_free(&diag);
    source_free(&src);
    int rc = st == COMPILE_OK ? EXIT_CLEAN : st == COMPILE_SCRIPT_ERRORS ? EXIT_SCRIPT_ERRORS : EXIT_USAGE;
    if (rc == EXIT_CLEAN && want_deps && !opt->check_only) {
        char *dfile = NULL;
        const char *file = opt->deps_file;
        if (!file && opt->deps_too) {
            dfile = malloc(strlen(out) + 3);
            if (dfile)
                sprintf(dfile, "%s.d", out);
            file = dfile;
        }
        rc = write_deps(&d, opt->deps_target ? opt->deps_target : out, file, opt->deps_phony);
        free(dfile);
    }
    deps_free(&d);
    free(derived);
    return rc;
}

static double clock_ms(clockid_t clk)
{
    struct timespec ts;
    clock_gettime(clk, &ts);
    return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

static double now_ms(void)
{
    return clock_ms(CLOCK_MONOTONIC);
}

/* Returns the exit status for this one file. */
static int compile_one(const char *path, const options *opt)
{
    if (!opt->check_only && !opt->dump_ast)
        return build_one(path, opt);
    /* --check with an include directory: the included scripts too. */
    if (opt->check_only && !opt->dump_ast && !opt->time_phases &&
        (opt->include_personal || opt->include_global))
        return build_one(path, opt);

    double t0 = now_ms(), c0 = clock_ms(CLOCK_THREAD_CPUTIME_ID);
    source *src = NULL;
    switch (source_read_file(path, opt->limits.max_script_size, &src)) {
    case SOURCE_OK:
        break;
    case SOURCE_IO_ERROR:
        fprintf(stderr, "sievec: %s: %s\n", path, strerror(errno));
        return EXIT_USAGE;
    case SOURCE_TOO_LARGE:
        /* An over-size script is the script's fault, not a usage error. */
        fprintf(stderr, "%s: error: script is larger than the limit of %zu bytes [limit-exceeded]\n",
                path, opt->limits.max_script_size);
        return EXIT_SCRIPT_ERRORS;
    }

    diag_sink *diag = new_sink(opt);

    ast_script *script = NULL;
    sema_result *checked = NULL;
    double t1 = now_ms();
    size_t errors = parse_script(src, &opt->limits, diag, &script);
    double t2 = now_ms();
    if (errors == 0)
        errors = sema_check(script, &opt->limits, diag, &checked);
    double t3 = now_ms(), c3 = clock_ms(CLOCK_THREAD_CPUTIME_ID);
    /* For the front-end benchmark: the phases alone, without process
     * start-up (which includes loading LLVM's shared library). */
    if (opt->time_phases)
        fprintf(stderr, "sievec: %s: read %.2f ms, parse %.2f ms, check %.2f ms, "
                "front end %.2f ms (CPU %.2f ms)\n",
                path, t1 - t0, t2 - t1, t3 - t2, t3 - t0, c3 - c0);
    if (opt->dump_ast && script)
        ast_dump(script, stdout);

    print_diags(diag, opt);
    errors = diag_error_count(diag);

    sema_result_free(&checked);
    ast_script_free(&script);
    diag_sink_free(&diag);
    source_free(&src);
    return errors ? EXIT_SCRIPT_ERRORS : EXIT_CLEAN;
}

int main(int argc, char **argv)
{
    options opt = { .color = COLOR_AUTO, .format = FORMAT_TEXT, .output = EMIT_SHARED, .opt_level = 2 };
    sieve_limits_default(&opt.limits);

    enum { OPT_CHECK = 256, OPT_DUMP_AST, OPT_MAX_ERRORS, OPT_LIMIT, OPT_FORMAT, OPT_COLOR, OPT_WERROR,
           OPT_EMIT_LLVM, OPT_KEY_FILE, OPT_TIME_PHASES, OPT_INC_PERSONAL, OPT_INC_GLOBAL };
    static const struct option longopts[] = {
        { "check", no_argument, NULL, OPT_CHECK },
        { "dump-ast", no_argument, NULL, OPT_DUMP_AST },
        { "time-phases", no_argument, NULL, OPT_TIME_PHASES },
        { "max-errors", required_argument, NULL, OPT_MAX_ERRORS },
        { "limit", required_argument, NULL, OPT_LIMIT },
        { "diagnostics-format", required_argument, NULL, OPT_FORMAT },
        { "color", required_argument, NULL, OPT_COLOR },
        { "emit-llvm", no_argument, NULL, OPT_EMIT_LLVM },
        { "key-file", required_argument, NULL, OPT_KEY_FILE },
        { "include-dir-personal", required_argument, NULL, OPT_INC_PERSONAL },
        { "include-dir-global", required_argument, NULL, OPT_INC_GLOBAL },
        { "help", no_argument, NULL, 'h' },
        { "version", no_argument, NULL, 'V' },
        { NULL, 0, NULL, 0 },
    };

    /* -Werror, -O2 and -mcpu=X are spelled like gcc's; getopt would read
     * them as clusters of short options. */
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--") == 0)
            break;
        bool eat = false;
        int eat_next = 0;
        if (strcmp(argv[i], "-M") == 0) {
            opt.deps_only = true;
            eat = true;
        } else if (strcmp(argv[i], "-MD") == 0) {
            opt.deps_too = true;
            eat = true;
        } else if (strcmp(argv[i], "-MP") == 0) {
            opt.deps_phony = true;
            eat = true;
        } else if (strcmp(argv[i], "-MF") == 0 || strcmp(argv[i], "-MT") == 0) {
            if (i + 1 >= argc) {
                fprintf(stderr, "sievec: %s needs an argument\n", argv[i]);
                return EXIT_USAGE;
            }
            if (argv[i][2] == 'F')
                opt.deps_file = argv[i + 1];
            else
                opt.deps_target = argv[i + 1];
            eat = true;
            eat_next = 1;
        } else if (strcmp(argv[i], "-Werror") == 0) {
            opt.werror = true;
            eat = true;
        } else if (argv[i][0] == '-' && argv[i][1] == 'O' && argv[i][2] >= '0' && argv[i][2] <= '3' &&
                   argv[i][3] == '\0') {
            opt.opt_level = (unsigned)(argv[i][2] - '0');
            eat = true;
        } else if (strncmp(argv[i], "-mcpu=", 6) == 0) {
            opt.cpu = argv[i] + 6;
            if (strcmp(opt.cpu, "generic") != 0 && strcmp(opt.cpu, "native") != 0) {
                fprintf(stderr, "sievec: -mcpu=%s: use -mcpu=generic or -mcpu=native\n", opt.cpu);
                return EXIT_USAGE;
            }
            eat = true;
        } else if (argv[i][0] == '-' && argv[i][1] == 'O' && argv[i][2] != '\0') {
            fprintf(stderr, "sievec: unknown optimisation level '%s' (use -O0 to -O3)\n", argv[i]);
            return EXIT_USAGE;
        }
        if (eat) {
            int k = 1 + eat_next;
            memmove(&argv[i], &argv[i + k], (size_t)(argc - i - k + 1) * sizeof *argv);
            argc -= k;
            i--;
        }
    }

    int c;
    while ((c = getopt_long(argc, argv, "hVwco:", longopts, NULL)) != -1) {
        switch (c) {
        case 'o':
            opt.out = optarg;
            break;
        case 'c':
            opt.output = EMIT_OBJECT;
            break;
        case OPT_EMIT_LLVM:
            opt.output = EMIT_LLVM_IR;
            break;
        case OPT_KEY_FILE:
            opt.key_file = optarg;
            break;
        case OPT_INC_PERSONAL:
            opt.include_personal = optarg;
            break;
        case OPT_INC_GLOBAL:
            opt.include_global = optarg;
            break;
        case OPT_CHECK:
            opt.check_only = true;
            break;
        case OPT_DUMP_AST:
            opt.dump_ast = true;
            break;
        case OPT_TIME_PHASES:
            opt.time_phases = true;
            break;
        case OPT_MAX_ERRORS: {
            char buf[64];
            snprintf(buf, sizeof buf, "errors=%s", optarg);
            if (!sieve_limits_set(&opt.limits, buf)) {
                fprintf(stderr, "sievec: --max-errors: not a number: '%s'\n", optarg);
                return EXIT_USAGE;
            }
            break;
        }
        case OPT_LIMIT:
            if (!sieve_limits_set(&opt.limits, optarg)) {
                fprintf(stderr, "sievec: --limit: expected NAME=VALUE with a known NAME and a number, got '%s'\n"
                                "Known limits:\n", optarg);
                sieve_limits_print_help(stderr);
                return EXIT_USAGE;
            }
            break;
        case OPT_FORMAT:
            if (strcmp(optarg, "text") == 0)
                opt.format = FORMAT_TEXT;
            else if (strcmp(optarg, "jsonl") == 0 || strcmp(optarg, "json") == 0)
                opt.format = FORMAT_JSONL;
            else {
                fprintf(stderr, "sievec: --diagnostics-format: expected 'text' or 'jsonl', got '%s'\n", optarg);
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
                fprintf(stderr, "sievec: --color: expected 'auto', 'always' or 'never', got '%s'\n", optarg);
                return EXIT_USAGE;
            }
            break;
        case 'w':
            opt.no_warnings = true;
            break;
        case 'h':
            usage(stdout);
            return EXIT_CLEAN;
        case 'V':
            printf("%s\n", sievec_compiler_version());
            return EXIT_CLEAN;
        default:
            fputs("Try 'sievec --help' for more information.\n", stderr);
            return EXIT_USAGE;
        }
    }
    if (optind >= argc) {
        fputs("sievec: no input files\nTry 'sievec --help' for more information.\n", stderr);
        return EXIT_USAGE;
    }
    if ((opt.deps_file || opt.deps_target) && argc - optind > 1) {
        fputs("sievec: -MF and -MT name one rule, but several scripts were given\n", stderr);
        return EXIT_USAGE;
    }
    if (opt.out && argc - optind > 1 && !opt.check_only && !opt.dump_ast) {
        fputs("sievec: -o names one output, but several scripts were given\n", stderr);
        return EXIT_USAGE;
    }

    int status = EXIT_CLEAN;
    for (int i = optind; i < argc; i++) {
        int s = compile_one(argv[i], &opt);
        if (s > status)
            status = s;
    }
    return status;
}
