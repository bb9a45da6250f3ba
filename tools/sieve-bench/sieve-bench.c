/* sieve-bench: what a compiled Sieve filter costs per message.
 *
 * Loads every message of the corpora into memory once (the read is not
 * timed), runs the filter over all of them in a warm-up pass and then N
 * timed passes, and reports nanoseconds per message (median over the
 * passes, with min and max), messages per second, instructions and cycles
 * per message (perf_event_open, where the kernel allows it), peak RSS and
 * heap allocations per message. In the same process it measures the floor
 * the filter is compared with: finding the end of each message's header
 * block (filters that read only the envelope or headers) or one pass over
 * every byte of the message (filters that read the body).
 *
 * Allocations are counted two ways: the session's own counter
 * (sieve_session_mallocs, the per-message arena and caches), and a
 * malloc/calloc/realloc/memalign interposer in this executable that counts
 * every heap allocation of the process while the timed passes run, so
 * allocations the runtime's libraries make outside the session arena (TRE,
 * iconv, libc) show too. The interposer is left out of sanitizer builds,
 * whose own allocator must not be wrapped.
 *
 * Single-threaded; the timed loop calls nothing but sieve_run.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <getopt.h>
#include <linux/perf_event.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#include "envelope.h"
#include "jsonw.h"
#include "mailsource.h"
#include "onthefly.h"
#include "sieve/sieve.h"
#include "toolopt.h"


#ifndef SIEVEC_VERSION
#define SIEVEC_VERSION "unknown"
#endif

enum { EXIT_OK = 0, EXIT_SCRIPT = 1, EXIT_USAGE = 2 };

/* ---- Counting malloc ----------------------------------------------------- */

#if defined(__SANITIZE_ADDRESS__) || defined(__SANITIZE_THREAD__)
#define BENCH_INTERPOSER 0
#elif defined(__has_feature)
#if __has_feature(address_sanitizer) || __has_feature(memory_sanitizer)
#define BENCH_INTERPOSER 0
#endif
#endif
#ifndef BENCH_INTERPOSER
#define BENCH_INTERPOSER 1
#endif

static volatile int bench_counting;
static uint64_t bench_malloc_calls;

#if BENCH_INTERPOSER
/* glibc exports its allocator under these names, so the wrappers need no
 * dlsym (which itself allocates) to reach it. */
extern void *__libc_malloc(size_t n);
extern void *__libc_calloc(size_t k, size_t n);
extern void *__libc_realloc(void *p, size_t n);
extern void *__libc_memalign(size_t align, size_t n);
void *memalign(size_t align, size_t n);

void *malloc(size_t n)
{
    if (bench_counting)
        bench_malloc_calls++;
    return __libc_malloc(n);
}

void *calloc(size_t k, size_t n)
{
    if (bench_counting)
        bench_malloc_calls++;
    return __libc_calloc(k, n);
}

void *realloc(void *p, size_t n)
{
    if (bench_counting)
        bench_malloc_calls++;
    return __libc_realloc(p, n);
}

void *memalign(size_t align, size_t n)
{
    if (bench_counting)
        bench_malloc_calls++;
    return __libc_memalign(align, n);
}

void *aligned_alloc(size_t align, size_t n)
{
    return memalign(align, n);
}

int posix_memalign(void **p_r, size_t align, size_t n)
{
    if (align < sizeof(void *) || (align & (align - 1)) != 0)
        return EINVAL;
    void *p = memalign(align, n);
    if (!p)
        return ENOMEM;
    *p_r = p;
    return 0;
}
#endif

/* ---- Performance counters ------------------------------------------------ */

/* Instructions and cycles of this thread in user space, as one group so
 * both cover the same interval. Many VMs and containers refuse
 * perf_event_open; then the figures are reported as n/a. */
typedef struct perfctr {
    int fd_ins, fd_cyc;
    bool ok;
} perfctr;

static int perf_open(uint64_t config, int group)
{
    struct perf_event_attr a;
    memset(&a, 0, sizeof a);
    a.size = sizeof a;
    a.type = PERF_TYPE_HARDWARE;
    a.config = config;
    a.disabled = group < 0;
    a.exclude_kernel = 1;
    a.exclude_hv = 1;
    a.read_format = PERF_FORMAT_GROUP;
    return (int)syscall(SYS_perf_event_open, &a, 0, -1, group, 0);
}

static void perf_init(perfctr *pc)
{
    pc->ok = false;
    pc->fd_cyc = -1;
    pc->fd_ins = perf_open(PERF_COUNT_HW_INSTRUCTIONS, -1);
    if (pc->fd_ins < 0)
        return;
    pc->fd_cyc = perf_open(PERF_COUNT_HW_CPU_CYCLES, pc->fd_ins);
    if (pc->fd_cyc < 0) {
        close(pc->fd_ins);
        pc->fd_ins = -1;
        return;
    }
    pc->ok = true;
}

static void perf_start(perfctr *pc)
{
    if (!pc->ok)
        return;
    ioctl(pc->fd_ins, PERF_EVENT_IOC_RESET, PERF_IOC_FLAG_GROUP);
    ioctl(pc->fd_ins, PERF_EVENT_IOC_ENABLE, PERF_IOC_FLAG_GROUP);
}

/* Stops the group; false when the counts cannot be read (or are zero,
 * which some hypervisors return instead of refusing). */
static bool perf_stop(perfctr *pc, uint64_t *ins_r, uint64_t *cyc_r)
{
    if (!pc->ok)
        return false;
    ioctl(pc->fd_ins, PERF_EVENT_IOC_DISABLE, PERF_IOC_FLAG_GROUP);
    uint64_t buf[3];
    if (read(pc->fd_ins, buf, sizeof buf) != (ssize_t)sizeof buf || buf[0] != 2 || buf[1] == 0)
        return false;
    *ins_r = buf[1];
    *cyc_r = buf[2];
    return true;
}

static void perf_close(perfctr *pc)
{
    if (pc->fd_cyc >= 0)
        close(pc->fd_cyc);
    if (pc->fd_ins >= 0)
        close(pc->fd_ins);
    pc->ok = false;
}

/* ---- The corpus in memory ------------------------------------------------ */

typedef struct bench_msg {
    size_t off, len;
    sieve_envelope env;
} bench_msg;

typedef struct corpus {
    char *data;
    size_t len, cap;
    bench_msg *msgs;
    size_t n, ncap;
    size_t unreadable;
} corpus;

static char *dup_or_null(bool has, const char *s)
{
    if (!has)
        return NULL;
    char *d = strdup(s);
    if (!d) {
        perror("sieve-bench");
        exit(EXIT_USAGE);
    }
    return d;
}

static void corpus_add(corpus *c, const ms_message *m, const sieve_envelope *over)
{
    if (c->len + m->len > c->cap) {
        size_t cap = c->cap ? c->cap : 1 << 20;
        while (cap < c->len + m->len)
            cap *= 2;
        char *p = realloc(c->data, cap);
        if (!p) {
            perror("sieve-bench: corpus");
            exit(EXIT_USAGE);
        }
        c->data = p;
        c->cap = cap;
    }
    if (c->n == c->ncap) {
        c->ncap = c->ncap ? c->ncap * 2 : 1024;
        bench_msg *p = realloc(c->msgs, c->ncap * sizeof *p);
        if (!p) {
            perror("sieve-bench: corpus");
            exit(EXIT_USAGE);
        }
        c->msgs = p;
    }
    memcpy(c->data + c->len, m->data, m->len);
    bench_msg *b = &c->msgs[c->n++];
    b->off = c->len;
    b->len = m->len;
    c->len += m->len;
    /* The envelope is recovered now, as sieve-replay does per message, so
     * the timed loop does only what an MTA's filter call would. */
    envx_result ex;
    envx_extract(m->data, m->len, &ex);
    b->env.mail_from = over->mail_from ? over->mail_from : dup_or_null(ex.has_sender, ex.sender);
    b->env.rcpt_to = over->rcpt_to ? over->rcpt_to : dup_or_null(ex.has_recipient, ex.recipient);
    b->env.orig_rcpt = dup_or_null(ex.has_orig, ex.orig);
    b->env.auth = NULL;
}

static int corpus_load(corpus *c, const char *path, const ms_options *mo, const sieve_envelope *over)
{
    char err[1024];
    ms_source *src = NULL;
    if (ms_open(path, mo, &src, err, sizeof err) != 0) {
        fprintf(stderr, "sieve-bench: %s\n", err);
        return -1;
    }
    ms_message m;
    while (ms_next(src, &m) == 1) {
        if (m.error || !m.data) {
            c->unreadable++;
            continue;
        }
        corpus_add(c, &m, over);
    }
    ms_close(&src);
    return 0;
}

static void corpus_free(corpus *c, const sieve_envelope *over)
{
    for (size_t i = 0; i < c->n; i++) {
        if (c->msgs[i].env.mail_from != over->mail_from)
            free((char *)c->msgs[i].env.mail_from);
        if (c->msgs[i].env.rcpt_to != over->rcpt_to)
            free((char *)c->msgs[i].env.rcpt_to);
        free((char *)c->msgs[i].env.orig_rcpt);
    }
    free(c->msgs);
    free(c->data);
    memset(c, 0, sizeof *c);
}

/* ---- The floors ---------------------------------------------------------- */

/* Offset of the end of the header block (RFC 5322 section 2.1: the first
 * empty line), LF or CRLF line ends; len when there is none. The least any
 * header-reading filter must do. */
static size_t floor_header_end(const char *p, size_t len)
{
    if (len > 0 && p[0] == '\n')
        return 0;
    if (len > 1 && p[0] == '\r' && p[1] == '\n')
        return 0;
    const char *end = p + len, *q = p;
    for (;;) {
        const char *nl = memchr(q, '\n', (size_t)(end - q));
        if (!nl)
            return len;
        q = nl + 1;
        if (q < end && *q == '\n')
            return (size_t)(q - p);
        if (q + 1 < end && q[0] == '\r' && q[1] == '\n')
            return (size_t)(q - p);
    }
}

/* One pass over every byte: the lines of the message, counted as a body
 * reader must find them. memchr is vectorised, so this is a lower bound. */
static size_t floor_body_pass(const char *p, size_t len)
{
    size_t lines = 0;
    const char *end = p + len;
    while (p < end) {
        const char *nl = memchr(p, '\n', (size_t)(end - p));
        if (!nl)
            break;
        lines++;
        p = nl + 1;
    }
    return lines;
}

/* ---- Timing -------------------------------------------------------------- */

static uint64_t now_ns(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

/* CPU time of this thread: steadier than the wall clock on a loaded host,
 * where the wall clock also counts the time other processes ran. */
static uint64_t cpu_ns(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
    return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

typedef struct stat3 {
    double median, min, max;
} stat3;

static stat3 summarize(double *v, unsigned n)
{
    qsort(v, n, sizeof *v, cmp_double);
    stat3 s = { .min = v[0], .max = v[n - 1] };
    s.median = n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
    return s;
}

typedef struct counters {
    bool ok;
    double ins, cyc;             /* per message, over all timed passes */
} counters;

typedef enum floor_kind { FLOOR_HEADERS, FLOOR_BODY } floor_kind;

static volatile size_t bench_sink;

/* Times `runs` passes of one floor; ns per message per pass into v. */
static void time_floor(const corpus *c, floor_kind k, unsigned runs, double *v, double *cv,
                       perfctr *pc, counters *ct_r)
{
    size_t acc = 0;
    for (size_t i = 0; i < c->n; i++)   /* warm-up */
        acc += k == FLOOR_HEADERS ? floor_header_end(c->data + c->msgs[i].off, c->msgs[i].len)
                                  : floor_body_pass(c->data + c->msgs[i].off, c->msgs[i].len);
    perf_start(pc);
    for (unsigned r = 0; r < runs; r++) {
        uint64_t t0 = now_ns(), c0 = cpu_ns();
        for (size_t i = 0; i < c->n; i++) {
            const char *p = c->data + c->msgs[i].off;
            acc += k == FLOOR_HEADERS ? floor_header_end(p, c->msgs[i].len)
                                      : floor_body_pass(p, c->msgs[i].len);
        }
        v[r] = (double)(now_ns() - t0) / (double)c->n;
        cv[r] = (double)(cpu_ns() - c0) / (double)c->n;
    }
    uint64_t ins, cyc;
    ct_r->ok = perf_stop(pc, &ins, &cyc);
    if (ct_r->ok) {
        ct_r->ins = (double)ins / ((double)runs * (double)c->n);
        ct_r->cyc = (double)cyc / ((double)runs * (double)c->n);
    }
    bench_sink = acc;
}

/* ---- Loading the filter -------------------------------------------------- */

typedef struct options {
    unsigned runs;
    unsigned opt_level;
    bool json;
    int floor;                   /* -1 auto, else floor_kind */
    const char *key_file;
    const char *from, *to;
    ms_options ms;
} options;

static bool is_elf(const char *path)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return false;
    unsigned char magic[4] = { 0 };
    size_t n = fread(magic, 1, 4, f);
    fclose(f);
    return n == 4 && memcmp(magic, "\177ELF", 4) == 0;
}

/* 0 loaded; 1 script errors; 2 anything else. compile_ms_r gets the time
 * the on-the-fly compile took (0 for a .so). */
static int load_filter(const options *o, const char *script, sieve_filter **f_r, double *compile_ms_r)
{
    char err[1024];
    sieve_load_options lo = { .key_file = o->key_file };
    *compile_ms_r = 0;
    if (is_elf(script)) {
        if (sieve_filter_load(script, &lo, f_r, err, sizeof err) != 0) {
            fprintf(stderr, "sieve-bench: %s\n", err);
            return EXIT_USAGE;
        }
        return 0;
    }
    /* Long generated scripts pass the default 1 MB script_size limit. */
    static const char *const big[] = { "--limit", "script_size=64M", NULL };
    otf_options oo = { .tool = "sieve-bench", .opt_level = o->opt_level, .key_file = o->key_file,
                       .extra_args = big };
    int rc = otf_compile_load(&oo, script, &lo, f_r, compile_ms_r);
    return rc == OTF_OK ? 0 : rc == OTF_SCRIPT_ERRORS ? EXIT_SCRIPT : EXIT_USAGE;
}

/* ---- Command line -------------------------------------------------------- */

static void usage(FILE *out)
{
    fputs(
"Usage: sieve-bench [OPTIONS] SCRIPT CORPUS...\n"
"Measure what a compiled Sieve filter costs per message.\n"
"\n"
"SCRIPT is a filter compiled by sievec(1) (a .so), or a Sieve script, which\n"
"is then compiled on the fly by sievec (beside sieve-bench, or $SIEVEC).\n"
"Each CORPUS is an mbox file, a Maildir or a message file, as for\n"
"sieve-replay(1). All messages are read into memory first; then the filter\n"
"runs over all of them once to warm up and RUNS more times, timed. Nothing\n"
"is delivered or sent.\n"
"\n"
"Reported: ns per message (median of the runs, min and max), messages/s,\n"
"instructions and cycles per message (n/a where perf counters are not\n"
"available), peak RSS, heap allocations per message (the session counter,\n"
"and every malloc of the process during the timed runs), and the floor:\n"
"the cost of finding the end of each header block (filters that read only\n"
"the envelope or headers) or of one pass over each whole message (filters\n"
"that read the body), with the filter's cost as a ratio to it.\n"
"\n"
"Options:\n"
"  -n, --runs=N            timed runs after the warm-up (default 5)\n"
"      --floor=auto|headers|body\n"
"                          the floor to compare with (default auto: from\n"
"                          what the compiled filter says it reads)\n"
"      --json              print the figures as one JSON object\n"
"      --from=ADDRESS      envelope sender for every message (default: the\n"
"                          message's Return-Path)\n"
"      --to=ADDRESS        envelope recipient (default: its Delivered-To,\n"
"                          else X-Original-To)\n"
"      --mbox=mboxrd|mboxo unquoting of \">From \" lines (default mboxrd)\n"
"      --key-file=PATH     the MAC key sievec signs filters with\n"
"  -O LEVEL                optimisation when compiling a script (0-3, default 2)\n"
"  -h, --help              show this help and exit\n"
"  -V, --version           show the version and exit\n"
"\n"
"Exit status: 0 measured; 1 the script has compile errors; 2 usage or I/O\n"
"errors, or no message could be read.\n",
        out);
}

enum { OPT_JSON = 256, OPT_FLOOR, OPT_FROM, OPT_TO, OPT_MBOX, OPT_KEY_FILE };

static int bad_value(const char *opt, const char *v)
{
    fprintf(stderr, "sieve-bench: invalid value '%s' for %s (try --help)\n", v, opt);
    return EXIT_USAGE;
}

/* -1 to go on, else an exit status. */
static int parse_options(int argc, char **argv, options *o)
{
    static const struct option longs[] = {
        { "runs", required_argument, NULL, 'n' },
        { "json", no_argument, NULL, OPT_JSON },
        { "floor", required_argument, NULL, OPT_FLOOR },
        { "from", required_argument, NULL, OPT_FROM },
        { "to", required_argument, NULL, OPT_TO },
        { "mbox", required_argument, NULL, OPT_MBOX },
        { "key-file", required_argument, NULL, OPT_KEY_FILE },
        { "help", no_argument, NULL, 'h' },
        { "version", no_argument, NULL, 'V' },
        { NULL, 0, NULL, 0 },
    };
    memset(o, 0, sizeof *o);
    o->runs = 5;
    o->opt_level = 2;
    o->floor = -1;
    int c;
    uint64_t v;
    while ((c = getopt_long(argc, argv, "n:O:hV", longs, NULL)) != -1) {
        switch (c) {
        case 'n':
            if (!topt_parse_uint(optarg, 1, 1000, &v))
                return bad_value("--runs", optarg);
            o->runs = (unsigned)v;
            break;
        case 'O':
            if (!topt_parse_uint(optarg, 0, 3, &v))
                return bad_value("-O", optarg);
            o->opt_level = (unsigned)v;
            break;
        case OPT_JSON:
            o->json = true;
            break;
        case OPT_FLOOR:
            if (strcmp(optarg, "auto") == 0)
                o->floor = -1;
            else if (strcmp(optarg, "headers") == 0)
                o->floor = FLOOR_HEADERS;
            else if (strcmp(optarg, "body") == 0)
                o->floor = FLOOR_BODY;
            else
                return bad_value("--floor", optarg);
            break;
        case OPT_FROM:
            o->from = optarg;
            break;
        case OPT_TO:
            o->to = optarg;
            break;
        case OPT_MBOX:
            if (strcmp(optarg, "mboxrd") == 0)
                o->ms.quoting = MS_MBOXRD;
            else if (strcmp(optarg, "mboxo") == 0)
                o->ms.quoting = MS_MBOXO;
            else
                return bad_value("--mbox", optarg);
            break;
        case OPT_KEY_FILE:
            o->key_file = optarg;
            break;
        case 'h':
            usage(stdout);
            return EXIT_OK;
        case 'V':
            printf("sieve-bench %s\n", SIEVEC_VERSION);
            return EXIT_OK;
        default:
            fputs("Try 'sieve-bench --help'.\n", stderr);
            return EXIT_USAGE;
        }
    }
    if (argc - optind < 2) {
        fputs("sieve-bench: a SCRIPT and at least one CORPUS are needed (try --help)\n", stderr);
        return EXIT_USAGE;
    }
    return -1;
}

/* ---- Report -------------------------------------------------------------- */

typedef struct report {
    const char *script;
    const sieve_abi_descriptor *desc;
    size_t messages, unreadable, bytes;
    unsigned runs;
    double compile_ms;
    stat3 filter, hfloor, bfloor;
    stat3 cfilter, chfloor, cbfloor;   /* the same in thread CPU time */
    floor_kind floor;
    counters fct, hct, bct;
    long peak_rss_kib;
    uint64_t session_allocs, warm_session_allocs, malloc_calls;
    size_t run_errors, actions;
} report;

static void json_num(jw_buf *b, const char *key, double v, bool ok)
{
    jw_printf(b, ",\"%s\":", key);
    if (ok)
        jw_printf(b, "%.3f", v);
    else
        jw_puts(b, "null");
}

static void print_json(const report *r)
{
    jw_buf b = { 0 };
    double per = (double)r->runs * (double)r->messages;
    const stat3 *fl = r->floor == FLOOR_HEADERS ? &r->hfloor : &r->bfloor;
    const counters *fc = r->floor == FLOOR_HEADERS ? &r->hct : &r->bct;
    jw_puts(&b, "{\"script\":");
    jw_json_cstr(&b, r->script);
    jw_printf(&b, ",\"messages\":%zu,\"unreadable\":%zu,\"bytes\":%zu,\"runs\":%u", r->messages,
              r->unreadable, r->bytes, r->runs);
    jw_printf(&b, ",\"needs\":\"%s%s%s%s\"", r->desc->needs & SIEVE_NEEDS_ENVELOPE ? "E" : "",
              r->desc->needs & SIEVE_NEEDS_HEADERS ? "H" : "",
              r->desc->needs & SIEVE_NEEDS_BODY ? "B" : "",
              r->desc->needs & SIEVE_NEEDS_SIZE ? "S" : "");
    jw_printf(&b, ",\"floor\":\"%s\"", r->floor == FLOOR_HEADERS ? "headers" : "body");
    json_num(&b, "compile_ms", r->compile_ms, r->compile_ms > 0);
    json_num(&b, "ns_per_msg", r->filter.median, true);
    json_num(&b, "ns_per_msg_min", r->filter.min, true);
    json_num(&b, "ns_per_msg_max", r->filter.max, true);
    json_num(&b, "msgs_per_sec", 1e9 / r->filter.median, true);
    json_num(&b, "floor_ns_per_msg", fl->median, true);
    json_num(&b, "floor_ns_per_msg_min", fl->min, true);
    json_num(&b, "floor_ns_per_msg_max", fl->max, true);
    json_num(&b, "ratio_to_floor", r->filter.median / fl->median, fl->median > 0);
    const stat3 *cfl = r->floor == FLOOR_HEADERS ? &r->chfloor : &r->cbfloor;
    json_num(&b, "cpu_ns_per_msg", r->cfilter.median, true);
    json_num(&b, "cpu_ns_per_msg_min", r->cfilter.min, true);
    json_num(&b, "cpu_floor_ns_per_msg", cfl->median, true);
    json_num(&b, "cpu_ratio_to_floor", r->cfilter.median / cfl->median, cfl->median > 0);
    json_num(&b, "header_floor_ns_per_msg", r->hfloor.median, true);
    json_num(&b, "body_floor_ns_per_msg", r->bfloor.median, true);
    json_num(&b, "instructions_per_msg", r->fct.ins, r->fct.ok);
    json_num(&b, "cycles_per_msg", r->fct.cyc, r->fct.ok);
    json_num(&b, "floor_instructions_per_msg", fc->ins, fc->ok);
    json_num(&b, "floor_cycles_per_msg", fc->cyc, fc->ok);
    jw_printf(&b, ",\"peak_rss_kib\":%ld", r->peak_rss_kib);
    json_num(&b, "allocs_per_msg", (double)r->session_allocs / per, true);
    jw_printf(&b, ",\"session_allocs_timed\":%llu,\"session_allocs_warmup\":%llu",
              (unsigned long long)r->session_allocs, (unsigned long long)r->warm_session_allocs);
    json_num(&b, "malloc_calls_per_msg", (double)r->malloc_calls / per, BENCH_INTERPOSER);
    jw_printf(&b, ",\"malloc_calls_timed\":%llu,\"malloc_counter\":\"%s\"",
              (unsigned long long)r->malloc_calls, BENCH_INTERPOSER ? "interposer" : "none");
    jw_printf(&b, ",\"run_errors\":%zu", r->run_errors);
    json_num(&b, "actions_per_msg", (double)r->actions / (double)r->messages, true);
    jw_puts(&b, "}\n");
    jw_flush(&b, stdout);
    jw_buf_free(&b);
}

static void print_text(const report *r)
{
    double per = (double)r->runs * (double)r->messages;
    const stat3 *fl = r->floor == FLOOR_HEADERS ? &r->hfloor : &r->bfloor;
    const counters *fc = r->floor == FLOOR_HEADERS ? &r->hct : &r->bct;
    printf("sieve-bench: %s\n", r->script);
    printf("  corpus            %zu messages, %zu bytes (mean %.0f)%s\n", r->messages, r->bytes,
           (double)r->bytes / (double)r->messages, r->unreadable ? ", some unreadable skipped" : "");
    printf("  filter reads      %s%s%s%s\n", r->desc->needs & SIEVE_NEEDS_ENVELOPE ? "envelope " : "",
           r->desc->needs & SIEVE_NEEDS_HEADERS ? "headers " : "",
           r->desc->needs & SIEVE_NEEDS_BODY ? "body " : "",
           r->desc->needs & SIEVE_NEEDS_SIZE ? "size" : "");
    if (r->compile_ms > 0)
        printf("  compiled in       %.1f ms (-O, on the fly)\n", r->compile_ms);
    printf("  runs              %u timed after one warm-up\n", r->runs);
    printf("  ns/message        %.1f median (min %.1f, max %.1f)\n", r->filter.median,
           r->filter.min, r->filter.max);
    printf("  messages/s        %.0f\n", 1e9 / r->filter.median);
    printf("  floor ns/message  %.1f median (min %.1f, max %.1f): %s\n", fl->median, fl->min,
           fl->max, r->floor == FLOOR_HEADERS ? "finding the end of the header block"
                                              : "one pass over the whole message");
    printf("  other floor       %.1f ns/message (%s)\n",
           r->floor == FLOOR_HEADERS ? r->bfloor.median : r->hfloor.median,
           r->floor == FLOOR_HEADERS ? "one pass over the message" : "header block");
    printf("  ratio to floor    %.2f\n", r->filter.median / fl->median);
    const stat3 *cfl = r->floor == FLOOR_HEADERS ? &r->chfloor : &r->cbfloor;
    printf("  CPU ns/message    %.1f median (min %.1f), floor %.1f, ratio %.2f (thread CPU "
           "time)\n", r->cfilter.median, r->cfilter.min, cfl->median,
           r->cfilter.median / cfl->median);
    if (r->fct.ok) {
        printf("  instructions/msg  %.0f (floor %.0f)\n", r->fct.ins, fc->ok ? fc->ins : 0.0);
        printf("  cycles/msg        %.0f (floor %.0f)\n", r->fct.cyc, fc->ok ? fc->cyc : 0.0);
    } else {
        printf("  instructions/msg  n/a\n  cycles/msg        n/a\n");
    }
    printf("  peak RSS          %ld KiB\n", r->peak_rss_kib);
    printf("  allocs/message    %.3f (session counter: %llu in the timed runs, %llu in the "
           "warm-up)\n", (double)r->session_allocs / per, (unsigned long long)r->session_allocs,
           (unsigned long long)r->warm_session_allocs);
    if (BENCH_INTERPOSER)
        printf("  malloc calls/msg  %.3f (%llu calls of malloc and friends by the whole process "
               "in the timed runs)\n", (double)r->malloc_calls / per,
               (unsigned long long)r->malloc_calls);
    else
        printf("  malloc calls/msg  n/a (sanitizer build)\n");
    printf("  run-time errors   %zu of %zu messages; %.2f actions per message\n", r->run_errors,
           r->messages, (double)r->actions / (double)r->messages);
}

/* ---- Main ---------------------------------------------------------------- */

int main(int argc, char **argv)
{
    options o;
    int rc = parse_options(argc, argv, &o);
    if (rc >= 0)
        return rc;
    const char *script = argv[optind];

    sieve_filter *f = NULL;
    report r;
    memset(&r, 0, sizeof r);
    r.script = script;
    r.runs = o.runs;
    rc = load_filter(&o, script, &f, &r.compile_ms);
    if (rc != 0)
        return rc;
    r.desc = sieve_filter_descriptor(f);

    sieve_envelope over = { .mail_from = o.from, .rcpt_to = o.to };
    corpus c;
    memset(&c, 0, sizeof c);
    for (int i = optind + 1; i < argc; i++) {
        if (corpus_load(&c, argv[i], &o.ms, &over) != 0) {
            corpus_free(&c, &over);
            sieve_filter_unref(&f);
            return EXIT_USAGE;
        }
    }
    if (c.n == 0) {
        fputs("sieve-bench: no message could be read\n", stderr);
        corpus_free(&c, &over);
        sieve_filter_unref(&f);
        return EXIT_USAGE;
    }
    r.messages = c.n;
    r.unreadable = c.unreadable;
    r.bytes = c.len;
    r.floor = o.floor >= 0 ? (floor_kind)o.floor
              : (r.desc->needs & SIEVE_NEEDS_BODY) ? FLOOR_BODY : FLOOR_HEADERS;

    sieve_session *s = sieve_session_new(NULL);
    if (!s) {
        fputs("sieve-bench: cannot create a session\n", stderr);
        corpus_free(&c, &over);
        sieve_filter_unref(&f);
        return EXIT_USAGE;
    }
    double *v = calloc(o.runs, sizeof *v), *cv = calloc(o.runs, sizeof *cv);
    if (!v || !cv) {
        perror("sieve-bench");
        return EXIT_USAGE;
    }
    perfctr pc;
    perf_init(&pc);
    char err[512];
    const sieve_result *res;

    /* Warm-up: page the corpus and the code in, let the session's arena
     * and caches grow to their steady size, and count what the filter does. */
    uint64_t m0 = sieve_session_mallocs(s);
    for (size_t i = 0; i < c.n; i++) {
        const bench_msg *m = &c.msgs[i];
        if (sieve_run(s, f, c.data + m->off, m->len, &m->env, &res, err, sizeof err) != 0) {
            fprintf(stderr, "sieve-bench: message %zu: %s\n", i + 1, err);
            rc = EXIT_USAGE;
            goto out;
        }
        if (sieve_result_error(res))
            r.run_errors++;
        r.actions += sieve_result_count(res);
    }
    r.warm_session_allocs = sieve_session_mallocs(s) - m0;

    m0 = sieve_session_mallocs(s);
    size_t acc = 0;
    bench_malloc_calls = 0;
    bench_counting = 1;
    perf_start(&pc);
    for (unsigned run = 0; run < o.runs; run++) {
        uint64_t t0 = now_ns(), c0 = cpu_ns();
        for (size_t i = 0; i < c.n; i++) {
            const bench_msg *m = &c.msgs[i];
            sieve_run(s, f, c.data + m->off, m->len, &m->env, &res, err, sizeof err);
            acc += sieve_result_count(res);
        }
        v[run] = (double)(now_ns() - t0) / (double)c.n;
        cv[run] = (double)(cpu_ns() - c0) / (double)c.n;
    }
    uint64_t ins, cyc;
    r.fct.ok = perf_stop(&pc, &ins, &cyc);
    bench_counting = 0;
    r.malloc_calls = bench_malloc_calls;
    r.session_allocs = sieve_session_mallocs(s) - m0;
    bench_sink = acc;
    if (r.fct.ok) {
        r.fct.ins = (double)ins / ((double)o.runs * (double)c.n);
        r.fct.cyc = (double)cyc / ((double)o.runs * (double)c.n);
    }
    r.filter = summarize(v, o.runs);
    r.cfilter = summarize(cv, o.runs);

    time_floor(&c, FLOOR_HEADERS, o.runs, v, cv, &pc, &r.hct);
    r.hfloor = summarize(v, o.runs);
    r.chfloor = summarize(cv, o.runs);
    time_floor(&c, FLOOR_BODY, o.runs, v, cv, &pc, &r.bct);
    r.bfloor = summarize(v, o.runs);
    r.cbfloor = summarize(cv, o.runs);

    struct rusage ru;
    getrusage(RUSAGE_SELF, &ru);
    r.peak_rss_kib = ru.ru_maxrss;
    if (o.json)
        print_json(&r);
    else
        print_text(&r);
    rc = fflush(stdout) == 0 ? EXIT_OK : EXIT_USAGE;
out:
    perf_close(&pc);
    free(v);
    free(cv);
    sieve_session_free(&s);
    corpus_free(&c, &over);
    sieve_filter_unref(&f);
    return rc;
}
