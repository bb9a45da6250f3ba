/* sieve-replay: dry-run a compiled Sieve filter over stored mail.
 *
 * Loads a filter (a .so written by sievec, or a .sieve script compiled on
 * the fly into a private temporary directory), then runs it on every
 * message of each corpus path (mbox, Maildir, single message file, "-")
 * with one reused session, and prints what the result would do: one line
 * per message as text, or JSON Lines as ../../../shared/spec/replay-jsonl.md
 * defines them; optionally a summary with counts and the per-message cost.
 *
 * Nothing here delivers anything: there is no socket, no sendmail, no
 * file written outside the temporary compile directory. The corpora hold
 * real people's addresses, so this is a property, not an option.
 *
 * Exit status (sieve-replay(1)): 0 the replay ran (whatever the script
 * decided, and even when some messages could not be read), 1 the script has
 * compile errors, 2 usage or I/O errors (an unreadable corpus path, an
 * output write error, a filter that cannot be loaded), which wins over 1.
 */
#include <errno.h>
#include <getopt.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "sieve/sieve.h"
#include "sieve/store_memory.h"

#include "envelope.h"
#include "jsonw.h"
#include "mailsource.h"
#include "onthefly.h"
#include "toolopt.h"


#ifndef SIEVEC_VERSION
#define SIEVEC_VERSION "0.1.0"
#endif

#define EXIT_OK 0
#define EXIT_SCRIPT_ERRORS 1
#define EXIT_USAGE 2

typedef enum { FMT_TEXT, FMT_JSONL } out_format;

/* The mail store the script may ask about (mailboxexists, RFC 5490;
 * specialuse_exists, RFC 8579; mailboxidexists, RFC 9042), as given by
 * --mailbox, --special-use and --mailbox-id. Strings point into argv. */
typedef struct mbox_entry {
    const char *name, *use, *id;   /* use, id: NULL when not given */
} mbox_entry;

typedef struct mbox_table {
    mbox_entry *v;
    size_t n, cap;
} mbox_table;

typedef struct options {
    out_format format;
    bool summary, summary_only, quiet;
    bool no_store;
    const char *from, *to, *orig_to, *auth;
    const char *remote_ip, *remote_host;   /* environment (RFC 5183) */
    const char *key_file;
    const char *inc_personal, *inc_global;   /* include (RFC 6609) */
    unsigned opt_level;
    sieve_settings settings;
    ms_options src;
    mbox_table mailboxes;
    sieve_mailboxes mailbox_cb;
} options;

static bool same_mailbox_name(const char *x, const char *y)
{
    /* RFC 3501 5.1: INBOX in any case; other names as written. */
    if (strcasecmp(x, "INBOX") == 0 && strcasecmp(y, "INBOX") == 0)
        return true;
    return strcmp(x, y) == 0;
}

static bool mb_exists(void *data, const char *name)
{
    const mbox_table *t = data;
    if (strcasecmp(name, "INBOX") == 0)
        return true;
    for (size_t i = 0; i < t->n; i++)
        if (same_mailbox_name(t->v[i].name, name))
            return true;
    return false;
}

static bool mb_specialuse(void *data, const char *mailbox, const char *use)
{
    const mbox_table *t = data;
    for (size_t i = 0; i < t->n; i++)
        if (t->v[i].use && strcasecmp(t->v[i].use, use) == 0 &&
            (!mailbox || same_mailbox_name(t->v[i].name, mailbox)))
            return true;
    return false;
}

static bool mb_id(void *data, const char *id)
{
    const mbox_table *t = data;
    for (size_t i = 0; i < t->n; i++)
        if (t->v[i].id && strcmp(t->v[i].id, id) == 0)
            return true;
    return false;
}

/* Adds NAME, or with pair the "KEY=NAME" of --special-use (special) or
 * --mailbox-id; false when the value is malformed. */
static bool mb_add(mbox_table *t, const char *arg, bool pair, bool special)
{
    mbox_entry e = { arg, NULL, NULL };
    if (pair) {
        const char *eq = strchr(arg, '=');
        if (!eq || eq == arg || !eq[1])
            return false;
        size_t klen = (size_t)(eq - arg);
        char *key = malloc(klen + 1);
        if (!key)
            return false;
        memcpy(key, arg, klen);
        key[klen] = '\0';
        /* RFC 8579 2: a special-use attribute is "\" and an atom. */
        if (special && (key[0] != '\\' || klen < 2)) {
            free(key);
            return false;
        }
        e.name = eq + 1;
        if (special)
            e.use = key;
        else
            e.id = key;
    } else if (!*arg) {
        return false;
    }
    if (t->n == t->cap) {
        size_t cap = t->cap ? 2 * t->cap : 8;
        mbox_entry *v = realloc(t->v, cap * sizeof *v);
        if (!v)
            return false;
        t->v = v;
        t->cap = cap;
    }
    t->v[t->n++] = e;
    return true;
}

static void mb_free(mbox_table *t)
{
    for (size_t i = 0; i < t->n; i++) {
        free((char *)t->v[i].use);
        free((char *)t->v[i].id);
    }
    free(t->v);
    memset(t, 0, sizeof *t);
}

/* ---- Summary ------------------------------------------------------------- */

typedef struct folder_count {
    char *name;
    uint64_t n;
} folder_count;

typedef struct totals {
    uint64_t messages, unreadable, failed, runtime_errors;
    uint64_t bytes;
    uint64_t by_kind[SIEVE_ACT__COUNT + 1];
    uint64_t implicit_keeps;
    folder_count *folders;   /* open addressing, power-of-two size */
    size_t nfolders, folder_cap;
    uint64_t filter_ns;
    bool io_error;
} totals;

static uint64_t now_ns(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

static uint64_t cpu_ns(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
    return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

static uint64_t hash_str(const char *s)
{
    uint64_t h = 1469598103934665603u;   /* FNV-1a */
    for (; *s; s++)
        h = (h ^ (unsigned char)*s) * 1099511628211u;
    return h;
}

static void count_folder(totals *t, const char *name)
{
    if (t->nfolders * 2 >= t->folder_cap) {
        size_t cap = t->folder_cap ? t->folder_cap * 2 : 64;
        folder_count *n = calloc(cap, sizeof *n);
        if (!n)
            return;   /* the summary loses a folder rather than the run */
        for (size_t i = 0; i < t->folder_cap; i++) {
            if (!t->folders[i].name)
                continue;
            size_t j = hash_str(t->folders[i].name) & (cap - 1);
            while (n[j].name)
                j = (j + 1) & (cap - 1);
            n[j] = t->folders[i];
        }
        free(t->folders);
        t->folders = n;
        t->folder_cap = cap;
    }
    size_t j = hash_str(name) & (t->folder_cap - 1);
    while (t->folders[j].name) {
        if (strcmp(t->folders[j].name, name) == 0) {
            t->folders[j].n++;
            return;
        }
        j = (j + 1) & (t->folder_cap - 1);
    }
    char *copy = strdup(name);
    if (!copy)
        return;
    t->folders[j] = (folder_count){ copy, 1 };
    t->nfolders++;
}

static const char *kind_name(sieve_action_kind k)
{
    switch (k) {
    case SIEVE_ACT_KEEP: return "keep";
    case SIEVE_ACT_FILEINTO: return "fileinto";
    case SIEVE_ACT_REDIRECT: return "redirect";
    case SIEVE_ACT_DISCARD: return "discard";
    case SIEVE_ACT_REJECT: return "reject";
    case SIEVE_ACT_EREJECT: return "ereject";
    case SIEVE_ACT_VACATION: return "vacation";
    case SIEVE_ACT_NOTIFY: return "notify";
    case SIEVE_ACT_ADDHEADER: return "addheader";
    case SIEVE_ACT_DELETEHEADER: return "deleteheader";
    default: return NULL;
    }
}

static int folder_order(const void *a, const void *b)
{
    const folder_count *x = a, *y = b;
    if (x->n != y->n)
        return x->n > y->n ? -1 : 1;
    return strcmp(x->name, y->name);
}

static void print_summary(FILE *out, totals *t, uint64_t wall_ns, uint64_t cpu, uint64_t mallocs)
{
    jw_buf b = { 0 };
    fprintf(out, "Summary: %llu message%s", (unsigned long long)t->messages,
            t->messages == 1 ? "" : "s");
    fprintf(out, " (%llu bytes), %llu with run-time errors, %llu unreadable or not run\n",
            (unsigned long long)t->bytes, (unsigned long long)t->runtime_errors,
            (unsigned long long)(t->unreadable + t->failed));
    fputs("Actions:\n", out);
    if (t->implicit_keeps)
        fprintf(out, "  %-18s %10llu\n", "keep (implicit)", (unsigned long long)t->implicit_keeps);
    for (int k = 0; k <= SIEVE_ACT__COUNT; k++) {
        uint64_t n = t->by_kind[k];
        if (k == SIEVE_ACT_KEEP)
            n -= t->implicit_keeps;
        if (!n)
            continue;
        const char *name = kind_name((sieve_action_kind)k);
        fprintf(out, "  %-18s %10llu\n", name ? name : "other", (unsigned long long)n);
    }
    folder_count *list = malloc((t->nfolders ? t->nfolders : 1) * sizeof *list);
    size_t n = 0;
    for (size_t i = 0; list && i < t->folder_cap; i++)
        if (t->folders[i].name)
            list[n++] = t->folders[i];
    if (n) {
        qsort(list, n, sizeof *list, folder_order);
        fputs("Folders (messages stored):\n", out);
        for (size_t i = 0; i < n; i++) {
            jw_reset(&b);
            jw_sieve_string(&b, list[i].name, strlen(list[i].name));
            jw_putc(&b, '\0');
            fprintf(out, "  %-18s %10llu\n", b.p, (unsigned long long)list[i].n);
        }
    }
    free(list);
    jw_buf_free(&b);
    double wall = (double)wall_ns / 1e9;
    uint64_t ran = t->messages - t->unreadable - t->failed;
    /* Wall time suffers from whatever else the machine runs; CPU time of
     * the process is the steadier figure. */
    fprintf(out, "Time: %.3f s (CPU %.3f s) for %llu messages", wall, (double)cpu / 1e9,
            (unsigned long long)t->messages);
    if (t->messages && wall_ns)
        fprintf(out, ": %.0f messages/s, %.0f ns/message (CPU %.0f ns/message), reading and "
                "printing included", (double)t->messages / wall,
                (double)wall_ns / (double)t->messages, (double)cpu / (double)t->messages);
    fputc('\n', out);
    if (ran && t->filter_ns)
        fprintf(out, "Filter: %.0f ns/message, %.0f messages/s (sieve_run alone)\n",
                (double)t->filter_ns / (double)ran, (double)ran * 1e9 / (double)t->filter_ns);
    /* The steady state should allocate nothing (the per-message arena is
     * reset, not freed); a count growing with the corpus is a runtime bug. */
    fprintf(out, "Session heap allocations: %llu\n", (unsigned long long)mallocs);
}

static void totals_free(totals *t)
{
    for (size_t i = 0; i < t->folder_cap; i++)
        free(t->folders[i].name);
    free(t->folders);
}

/* ---- Output -------------------------------------------------------------- */

static void json_bool(jw_buf *b, const char *name, bool v)
{
    if (!v)
        return;
    jw_putc(b, ',');
    jw_json_cstr(b, name);
    jw_puts(b, ":true");
}

static void json_str(jw_buf *b, const char *name, const char *v)
{
    if (!v)
        return;
    jw_putc(b, ',');
    jw_json_cstr(b, name);
    jw_putc(b, ':');
    jw_json_cstr(b, v);
}

static void json_flags(jw_buf *b, const sieve_action *a)
{
    if (!a->flags || !a->nflags)
        return;
    jw_puts(b, ",\"flags\":[");
    for (size_t i = 0; i < a->nflags; i++) {
        if (i)
            jw_putc(b, ',');
        jw_json_cstr(b, a->flags[i]);
    }
    jw_putc(b, ']');
}

/* spec/replay-jsonl.md: the fields of each type, in the table's order,
 * left out at their defaults. */
static void json_action(jw_buf *b, const sieve_action *a)
{
    const char *name = kind_name(a->kind);
    jw_puts(b, "{\"type\":");
    jw_json_cstr(b, name ? name : "unknown");
    switch (a->kind) {
    case SIEVE_ACT_KEEP:
        json_bool(b, "implicit", a->implicit);
        json_flags(b, a);
        break;
    case SIEVE_ACT_FILEINTO:
        json_str(b, "mailbox", a->mailbox);
        json_bool(b, "copy", a->copy);
        json_bool(b, "create", a->create);
        json_flags(b, a);
        json_str(b, "specialuse", a->specialuse);
        json_str(b, "mailboxid", a->mailboxid);
        break;
    case SIEVE_ACT_REDIRECT:
        json_str(b, "address", a->address);
        json_bool(b, "copy", a->copy);
        break;
    case SIEVE_ACT_REJECT:
    case SIEVE_ACT_EREJECT:
        json_str(b, "reason", a->reason ? a->reason : "");
        break;
    case SIEVE_ACT_VACATION:
        json_str(b, "to", a->address);
        json_str(b, "from", a->from);
        json_str(b, "subject", a->subject);
        json_str(b, "reason", a->reason);
        if (a->period) {
            jw_puts(b, a->period_in_days ? ",\"days\":" : ",\"seconds\":");
            jw_put_u64(b, a->period_in_days ? a->period / 86400 : a->period);
        }
        json_bool(b, "mime", a->mime);
        json_str(b, "fcc", a->mailbox);
        json_str(b, "suppressed", a->suppressed);
        break;
    case SIEVE_ACT_NOTIFY:
        json_str(b, "method", a->address);
        json_str(b, "from", a->from);
        json_str(b, "importance", a->importance);
        json_str(b, "message", a->reason);
        if (a->noptions) {
            jw_puts(b, ",\"options\":[");
            for (size_t i = 0; i < a->noptions; i++) {
                if (i)
                    jw_putc(b, ',');
                jw_json_cstr(b, a->options[i]);
            }
            jw_putc(b, ']');
        }
        json_str(b, "fcc", a->mailbox);
        break;
    case SIEVE_ACT_ADDHEADER:
        json_str(b, "name", a->name);
        json_str(b, "value", a->value);
        json_bool(b, "last", a->last);
        break;
    case SIEVE_ACT_DELETEHEADER:
        json_str(b, "name", a->name);
        if (a->index) {
            jw_puts(b, ",\"index\":");
            jw_put_u64(b, a->index);
        }
        json_bool(b, "last", a->last);
        if (a->patterns) {
            jw_puts(b, ",\"patterns\":[");
            for (size_t i = 0; i < a->npatterns; i++) {
                if (i)
                    jw_putc(b, ',');
                jw_json_cstr(b, a->patterns[i]);
            }
            jw_putc(b, ']');
        }
        break;
    default:
        break;
    }
    jw_putc(b, '}');
}

static void text_str(jw_buf *b, const char *v)
{
    jw_putc(b, ' ');
    jw_sieve_string(b, v ? v : "", v ? strlen(v) : 0);
}

static void text_action(jw_buf *b, const sieve_action *a)
{
    const char *name = kind_name(a->kind);
    jw_puts(b, name ? name : "unknown");
    switch (a->kind) {
    case SIEVE_ACT_FILEINTO:
        text_str(b, a->mailbox);
        break;
    case SIEVE_ACT_REDIRECT:
        text_str(b, a->address);
        break;
    case SIEVE_ACT_REJECT:
    case SIEVE_ACT_EREJECT:
        text_str(b, a->reason);
        break;
    case SIEVE_ACT_VACATION:
        if (a->address)
            text_str(b, a->address);
        if (a->suppressed) {
            jw_puts(b, " (suppressed: ");
            jw_puts(b, a->suppressed);
            jw_putc(b, ')');
        }
        break;
    case SIEVE_ACT_NOTIFY:
        text_str(b, a->address);
        break;
    case SIEVE_ACT_ADDHEADER:
        text_str(b, a->name);
        text_str(b, a->value);
        break;
    case SIEVE_ACT_DELETEHEADER:
        text_str(b, a->name);
        break;
    default:
        break;
    }
    if (a->copy)
        jw_puts(b, " :copy");
    if (a->create)
        jw_puts(b, " :create");
    if (a->specialuse) {
        jw_puts(b, " :specialuse");
        text_str(b, a->specialuse);
    }
    if (a->mailboxid) {
        jw_puts(b, " :mailboxid");
        text_str(b, a->mailboxid);
    }
    if (a->kind == SIEVE_ACT_DELETEHEADER && a->index) {
        jw_puts(b, " :index ");
        jw_put_u64(b, a->index);
        if (a->last)
            jw_puts(b, " :last");
    }
    if (a->flags && a->nflags) {
        jw_puts(b, " :flags [");
        for (size_t i = 0; i < a->nflags; i++) {
            if (i)
                jw_puts(b, ", ");
            jw_sieve_string(b, a->flags[i], strlen(a->flags[i]));
        }
        jw_putc(b, ']');
    }
    if (a->kind == SIEVE_ACT_KEEP && a->implicit)
        jw_puts(b, " (implicit)");
}

/* The id as printed in text lines: control characters would break the
 * one-line-per-message shape. */
static void text_id(jw_buf *b, const char *id)
{
    for (const unsigned char *p = (const unsigned char *)id; *p; p++)
        jw_putc(b, *p < 0x20 || *p == 0x7f ? '?' : (char)*p);
}

static void emit(const options *o, jw_buf *b, const char *id, const sieve_result *r,
                 const char *error)
{
    if (o->summary_only)
        return;
    size_t n = r ? sieve_result_count(r) : 0;
    if (o->format == FMT_JSONL) {
        jw_puts(b, "{\"msg\":");
        jw_json_cstr(b, id);
        jw_puts(b, ",\"actions\":[");
        for (size_t i = 0; i < n; i++) {
            if (i)
                jw_putc(b, ',');
            json_action(b, sieve_result_action(r, i));
        }
        jw_puts(b, "],\"errors\":[");
        if (error)
            jw_json_cstr(b, error);
        jw_puts(b, "]}\n");
        return;
    }
    text_id(b, id);
    jw_putc(b, ':');
    for (size_t i = 0; i < n; i++) {
        jw_puts(b, i ? "; " : " ");
        text_action(b, sieve_result_action(r, i));
    }
    if (error) {
        jw_puts(b, n ? "; error: " : " error: ");
        jw_puts(b, error);
    }
    jw_putc(b, '\n');
}

/* ---- Progress ------------------------------------------------------------ */

typedef struct progress {
    bool on, shown;
    uint64_t start, last;
} progress;

static void progress_tick(progress *p, uint64_t done)
{
    if (!p->on || (done & 255))
        return;
    uint64_t t = now_ns();
    if (t - p->start < 500000000u || t - p->last < 250000000u)
        return;
    p->last = t;
    p->shown = true;
    double s = (double)(t - p->start) / 1e9;
    fprintf(stderr, "\r%llu messages, %.0f/s ", (unsigned long long)done, (double)done / s);
    fflush(stderr);
}

static void progress_end(progress *p)
{
    if (p->shown)
        fputs("\r\033[K", stderr);
    p->shown = false;
}

/* ---- Replay -------------------------------------------------------------- */

typedef struct replay {
    const options *o;
    const sieve_filter *filter;
    sieve_session *session;
    totals t;
    progress prog;
    jw_buf out;
    FILE *stream;
    sieve_store *store;      /* NULL with --no-store */
} replay;

static void account(replay *rp, const sieve_result *r)
{
    size_t n = sieve_result_count(r);
    for (size_t i = 0; i < n; i++) {
        const sieve_action *a = sieve_result_action(r, i);
        unsigned k = (unsigned)a->kind <= SIEVE_ACT__COUNT ? (unsigned)a->kind : SIEVE_ACT__COUNT;
        rp->t.by_kind[k]++;
        if (a->kind == SIEVE_ACT_KEEP) {
            if (a->implicit)
                rp->t.implicit_keeps++;
            count_folder(&rp->t, "INBOX");
        } else if (a->kind == SIEVE_ACT_FILEINTO) {
            count_folder(&rp->t, a->mailbox ? a->mailbox : "");
        }
    }
}

static void replay_message(replay *rp, const ms_message *m)
{
    const options *o = rp->o;
    rp->t.messages++;
    if (m->error) {
        rp->t.unreadable++;
        emit(o, &rp->out, m->id, NULL, m->error);
        return;
    }
    rp->t.bytes += m->len;
    envx_result ex;
    envx_extract(m->data, m->len, &ex);
    sieve_envelope env = {
        .mail_from = o->from ? o->from : ex.has_sender ? ex.sender : NULL,
        .rcpt_to = o->to ? o->to : ex.has_recipient ? ex.recipient : NULL,
        .orig_rcpt = o->orig_to ? o->orig_to : ex.has_orig ? ex.orig : NULL,
        .auth = o->auth,
        .remote_host = o->remote_host,
        .remote_ip = o->remote_ip,
    };
    const sieve_result *r = NULL;
    char err[512];
    uint64_t t0 = now_ns();
    int rc = sieve_run(rp->session, rp->filter, m->data, m->len, &env, &r, err, sizeof err);
    rp->t.filter_ns += now_ns() - t0;
    if (rc != 0) {
        rp->t.failed++;
        emit(o, &rp->out, m->id, NULL, err);
        return;
    }
    const char *rerr = sieve_result_error(r);
    if (rerr)
        rp->t.runtime_errors++;
    /* What a real run would remember once it sent its replies: the next
     * messages of the replay see it (spec/replay-jsonl.md). */
    if (rp->store) {
        int64_t now = o->settings.now ? o->settings.now : (int64_t)time(NULL);
        char serr[256];
        if (sieve_result_commit(r, rp->store, now, serr, sizeof serr) != 0)
            fprintf(stderr, "sieve-replay: %s: store: %s\n", m->id, serr);
    }
    account(rp, r);
    emit(o, &rp->out, m->id, r, rerr);
}

static int replay_path(replay *rp, const char *path)
{
    ms_source *src;
    char err[512];
    if (ms_open(path, &rp->o->src, &src, err, sizeof err) != 0) {
        progress_end(&rp->prog);
        fprintf(stderr, "sieve-replay: %s\n", err);
        return -1;
    }
    ms_message m;
    while (ms_next(src, &m) == 1) {
        replay_message(rp, &m);
        if (rp->stream && rp->out.len >= 65536 && jw_flush(&rp->out, rp->stream) != 0)
            rp->t.io_error = true;
        progress_tick(&rp->prog, rp->t.messages);
    }
    ms_close(&src);
    return 0;
}

/* ---- Loading the filter --------------------------------------------------- */

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

/* 0 loaded; 1 script errors; 2 anything else. */
static int load_filter(const options *o, const char *script, sieve_filter **f_r)
{
    char err[1024];
    sieve_load_options lo = { .key_file = o->key_file };
    if (is_elf(script)) {
        if (sieve_filter_load(script, &lo, f_r, err, sizeof err) != 0) {
            fprintf(stderr, "sieve-replay: %s\n", err);
            return 2;
        }
        return 0;
    }
    const char *args[5];
    size_t n = 0;
    if (o->inc_personal) {
        args[n++] = "--include-dir-personal";
        args[n++] = o->inc_personal;
    }
    if (o->inc_global) {
        args[n++] = "--include-dir-global";
        args[n++] = o->inc_global;
    }
    args[n] = NULL;
    otf_options oo = { .tool = "sieve-replay", .opt_level = o->opt_level, .key_file = o->key_file,
                       .extra_args = args };
    return otf_compile_load(&oo, script, &lo, f_r, NULL);
}

/* ---- Command line --------------------------------------------------------- */

static void usage(FILE *out)
{
    fputs(
"Usage: sieve-replay [OPTIONS] SCRIPT CORPUS...\n"
"Dry-run a Sieve filter over stored mail and print what it would do with\n"
"each message. Nothing is delivered, forwarded, rejected or sent.\n"
"\n"
"SCRIPT is a filter compiled by sievec(1) (a .so), or a Sieve script, which\n"
"is then compiled on the fly by sievec (the one beside sieve-replay, or\n"
"$SIEVEC) into a private temporary directory. Each CORPUS is an mbox file\n"
"(a file that begins with a \"From \" line; mboxrd quoting), a Maildir (a\n"
"directory with cur/ and new/; with -r also its Maildir++ subfolders\n"
".Sub.Folder), a file holding one message, or - for one message\n"
"(or an mbox) on standard input. Messages are replayed in a fixed order:\n"
"mbox order; Maildir files sorted by name, digit runs by value, so by\n"
"delivery time.\n"
"\n"
"The envelope of each message comes from the options below, else from the\n"
"message: the sender from the topmost Return-Path, the recipient from the\n"
"topmost Delivered-To, else X-Original-To. Missing parts stay unknown.\n"
"\n"
"Input and envelope:\n"
"  -r, --recursive         also replay the Maildir++ subfolders of a Maildir\n"
"      --input=auto|mbox|message\n"
"                          how to read a file: auto (default) decides by the\n"
"                          leading \"From \" line; mbox requires one; message\n"
"                          reads every file as one message\n"
"      --mbox=mboxrd|mboxo unquoting of \">From \" lines (default mboxrd: one\n"
"                          '>' is removed from every \">...>From \" line;\n"
"                          mboxo: only from \">From \")\n"
"      --from=ADDRESS      envelope sender (\"\" is the null sender <>)\n"
"      --to=ADDRESS        envelope recipient the script runs for\n"
"      --orig-to=ADDRESS   original recipient (ORCPT)\n"
"      --auth=USER         authenticated submitter\n"
"      --remote-ip=ADDR    the SMTP client's address, --remote-host=NAME its\n"
"                          name: the environment items remote-ip and\n"
"                          remote-host (RFC 5183; unknown without them)\n"
"      --domain=DOMAIN     the environment item domain (the server's mail\n"
"                          domain), --host=NAME the item host; location is\n"
"                          \"MTA\" and phase \"pre\" (SMTP time, before\n"
"                          final delivery)\n"
"\n"
"Run time:\n"
"      --now=TIME          the current time for the script: seconds since\n"
"                          the epoch, or ISO 8601 (2026-01-31T12:00:00Z;\n"
"                          no zone means UTC); vacation and duplicate\n"
"                          periods count from it\n"
"      --zone=+HHMM        the local time zone of date and currentdate\n"
"                          (RFC 5260) without :zone (default UTC; TZ is\n"
"                          never read)\n"
"      --no-store          forget vacation replies and duplicate marks\n"
"                          between messages (by default one memory store\n"
"                          lasts the whole replay: a second vacation reply\n"
"                          to a sender shows as suppressed, already-replied,\n"
"                          and duplicate sees the earlier messages)\n"
"      --max-actions=N     more actions is a run-time error (default 32)\n"
"      --max-redirects=N   more redirects is a run-time error (default 4)\n"
"      --subaddress-separator=CHARS\n"
"                          each character separates user and detail in\n"
"                          local parts (RFC 5233; default +)\n"
"      --include-dir-personal=DIR, --include-dir-global=DIR\n"
"                          where a SCRIPT's include :personal / :global finds\n"
"                          NAME.sieve (default: the script's directory / none)\n"
"      --mailbox=NAME      mailbox NAME exists, for mailboxexists (RFC 5490;\n"
"                          repeatable; INBOX always exists, no other does\n"
"                          unless named)\n"
"      --special-use=ATTR=NAME\n"
"                          mailbox NAME exists and has the special-use\n"
"                          attribute ATTR, e.g. '\\Junk=Spam', for\n"
"                          specialuse_exists (RFC 8579; repeatable)\n"
"      --mailbox-id=ID=NAME\n"
"                          mailbox NAME exists with object id ID, for\n"
"                          mailboxidexists (RFC 9042; repeatable)\n"
"      --key-file=PATH     the MAC key sievec signs filters with (default:\n"
"                          $SIEVEC_KEY_FILE, /etc/sievec/mac.key,\n"
"                          ~/.config/sievec/mac.key)\n"
"  -O LEVEL                optimisation when compiling a script (0-3, default 2)\n"
"\n"
"Output:\n"
"      --format=text|jsonl text (default): one line per message, its id then\n"
"                          the actions ('fileinto \"Spam\" :copy',\n"
"                          'keep (implicit)') and errors; jsonl: one JSON\n"
"                          object per message as in the replay-jsonl spec:\n"
"                          {\"msg\":...,\"actions\":[...],\"errors\":[...]}\n"
"      --summary           after the run, counts per action type and per\n"
"                          folder, and the cost: wall and CPU time,\n"
"                          messages/s and ns/message, overall and for the\n"
"                          filter alone (to standard error with\n"
"                          --format=jsonl)\n"
"      --summary-only      print only the summary, to standard output\n"
"  -q, --quiet             no progress line (shown on standard error only\n"
"                          when it is a terminal, during long runs)\n"
"  -h, --help              show this help and exit\n"
"  -V, --version           show the version and exit\n"
"\n"
"Message ids: \"FILE#N\" for the Nth message of an mbox, the path relative\n"
"to the Maildir root (cur/NAME) for a Maildir, the path as given for a\n"
"message file, - for standard input. A message that cannot be read is\n"
"reported with its id and an error, counted, and the replay goes on; a\n"
"run-time error of the script keeps the message (RFC 5228 2.10.6).\n"
"\n"
"Exit status: 0 the replay ran (even when the script rejects mail or some\n"
"messages could not be read); 1 the script has compile errors; 2 usage or\n"
"I/O errors, such as a corpus path that cannot be read or a filter that\n"
"cannot be loaded.\n"
"\n"
"Example:\n"
"  sieve-replay --format=jsonl --summary --now=2026-01-01 \\\n"
"      ~/.sieve/main.sieve ~/Maildir archive.mbox > result.jsonl\n",
        out);
}

enum {
    OPT_FORMAT = 256, OPT_SUMMARY, OPT_SUMMARY_ONLY, OPT_NOW, OPT_FROM, OPT_TO, OPT_ORIG_TO,
    OPT_AUTH, OPT_MAX_ACTIONS, OPT_MAX_REDIRECTS, OPT_SUBADDR, OPT_KEY_FILE, OPT_INPUT, OPT_MBOX,
    OPT_REMOTE_IP, OPT_REMOTE_HOST, OPT_DOMAIN, OPT_HOST, OPT_ZONE,
    OPT_INC_PERSONAL, OPT_INC_GLOBAL,
    OPT_NO_STORE,
    OPT_MAILBOX, OPT_SPECIAL_USE, OPT_MAILBOX_ID,
};

static int bad_value(const char *opt, const char *v)
{
    fprintf(stderr, "sieve-replay: invalid value '%s' for %s (try --help)\n", v, opt);
    return EXIT_USAGE;
}

/* Returns -1 to go on, else an exit status. */
static int parse_options(int argc, char **argv, options *o)
{
    static const struct option longs[] = {
        { "format", required_argument, NULL, OPT_FORMAT },
        { "summary", no_argument, NULL, OPT_SUMMARY },
        { "summary-only", no_argument, NULL, OPT_SUMMARY_ONLY },
        { "now", required_argument, NULL, OPT_NOW },
        { "no-store", no_argument, NULL, OPT_NO_STORE },
        { "from", required_argument, NULL, OPT_FROM },
        { "to", required_argument, NULL, OPT_TO },
        { "orig-to", required_argument, NULL, OPT_ORIG_TO },
        { "auth", required_argument, NULL, OPT_AUTH },
        { "remote-ip", required_argument, NULL, OPT_REMOTE_IP },
        { "remote-host", required_argument, NULL, OPT_REMOTE_HOST },
        { "domain", required_argument, NULL, OPT_DOMAIN },
        { "host", required_argument, NULL, OPT_HOST },
        { "zone", required_argument, NULL, OPT_ZONE },
        { "max-actions", required_argument, NULL, OPT_MAX_ACTIONS },
        { "max-redirects", required_argument, NULL, OPT_MAX_REDIRECTS },
        { "subaddress-separator", required_argument, NULL, OPT_SUBADDR },
        { "key-file", required_argument, NULL, OPT_KEY_FILE },
        { "include-dir-personal", required_argument, NULL, OPT_INC_PERSONAL },
        { "include-dir-global", required_argument, NULL, OPT_INC_GLOBAL },
        { "input", required_argument, NULL, OPT_INPUT },
        { "mbox", required_argument, NULL, OPT_MBOX },
        { "mailbox", required_argument, NULL, OPT_MAILBOX },
        { "special-use", required_argument, NULL, OPT_SPECIAL_USE },
        { "mailbox-id", required_argument, NULL, OPT_MAILBOX_ID },
        { "recursive", no_argument, NULL, 'r' },
        { "quiet", no_argument, NULL, 'q' },
        { "help", no_argument, NULL, 'h' },
        { "version", no_argument, NULL, 'V' },
        { NULL, 0, NULL, 0 },
    };
    o->opt_level = 2;
    int c;
    uint64_t v;
    int64_t t;
    while ((c = getopt_long(argc, argv, "rqhVO:", longs, NULL)) != -1) {
        switch (c) {
        case 'r': o->src.recursive = true; break;
        case 'q': o->quiet = true; break;
        case 'h': usage(stdout); return EXIT_OK;
        case 'V': printf("sieve-replay %s\n", SIEVEC_VERSION); return EXIT_OK;
        case 'O':
            if (!topt_parse_uint(optarg, 0, 3, &v))
                return bad_value("-O", optarg);
            o->opt_level = (unsigned)v;
            break;
        case OPT_FORMAT:
            if (!strcmp(optarg, "text"))
                o->format = FMT_TEXT;
            else if (!strcmp(optarg, "jsonl"))
                o->format = FMT_JSONL;
            else
                return bad_value("--format", optarg);
            break;
        case OPT_SUMMARY: o->summary = true; break;
        case OPT_SUMMARY_ONLY: o->summary = o->summary_only = true; break;
        case OPT_NOW:
            if (!topt_parse_time(optarg, &t))
                return bad_value("--now", optarg);
            /* The session reads 0 as "use the clock"; the epoch itself is
             * one second off, which no date test can tell from 0. */
            o->settings.now = t ? t : 1;
            break;
        case OPT_FROM: o->from = optarg; break;
        case OPT_TO: o->to = optarg; break;
        case OPT_ORIG_TO: o->orig_to = optarg; break;
        case OPT_AUTH: o->auth = optarg; break;
        case OPT_REMOTE_IP: o->remote_ip = optarg; break;
        case OPT_REMOTE_HOST: o->remote_host = optarg; break;
        case OPT_DOMAIN: o->settings.env_domain = optarg; break;
        case OPT_HOST: o->settings.env_host = optarg; break;
        case OPT_ZONE: {
            /* RFC 5260 4.1.1's form: exactly +hhmm or -hhmm. */
            const char *z = optarg;
            if (strlen(z) != 5 || (z[0] != '+' && z[0] != '-') ||
                strspn(z + 1, "0123456789") != 4 || z[3] > '5')
                return bad_value("--zone", optarg);
            int mins = ((z[1] - '0') * 10 + (z[2] - '0')) * 60 + (z[3] - '0') * 10 + (z[4] - '0');
            if (mins > 1439)
                return bad_value("--zone", optarg);
            o->settings.zone_offset = z[0] == '-' ? -mins : mins;
            break;
        }
        case OPT_MAX_ACTIONS:
            if (!topt_parse_uint(optarg, 1, 100000, &v))
                return bad_value("--max-actions", optarg);
            o->settings.max_actions = (unsigned)v;
            break;
        case OPT_MAX_REDIRECTS:
            if (!topt_parse_uint(optarg, 1, 100000, &v))
                return bad_value("--max-redirects", optarg);
            o->settings.max_redirects = (unsigned)v;
            break;
        case OPT_SUBADDR:
            if (!*optarg)
                return bad_value("--subaddress-separator", optarg);
            o->settings.subaddress_separators = optarg;
            break;
        case OPT_KEY_FILE: o->key_file = optarg; break;
        case OPT_INC_PERSONAL: o->inc_personal = optarg; break;
        case OPT_INC_GLOBAL: o->inc_global = optarg; break;
        case OPT_NO_STORE: o->no_store = true; break;
        case OPT_INPUT:
            if (!strcmp(optarg, "auto"))
                o->src.format = MS_FORMAT_AUTO;
            else if (!strcmp(optarg, "mbox"))
                o->src.format = MS_FORMAT_MBOX;
            else if (!strcmp(optarg, "message"))
                o->src.format = MS_FORMAT_MESSAGE;
            else
                return bad_value("--input", optarg);
            break;
        case OPT_MBOX:
            if (!strcmp(optarg, "mboxrd"))
                o->src.quoting = MS_MBOXRD;
            else if (!strcmp(optarg, "mboxo"))
                o->src.quoting = MS_MBOXO;
            else
                return bad_value("--mbox", optarg);
            break;
        case OPT_MAILBOX:
            if (!mb_add(&o->mailboxes, optarg, false, false))
                return bad_value("--mailbox", optarg);
            break;
        case OPT_SPECIAL_USE:
            if (!mb_add(&o->mailboxes, optarg, true, true))
                return bad_value("--special-use", optarg);
            break;
        case OPT_MAILBOX_ID:
            if (!mb_add(&o->mailboxes, optarg, true, false))
                return bad_value("--mailbox-id", optarg);
            break;
        default:
            fputs("Try 'sieve-replay --help'.\n", stderr);
            return EXIT_USAGE;
        }
    }
    if (argc - optind < 2) {
        fputs("sieve-replay: a script and at least one corpus path are needed\n"
              "Try 'sieve-replay --help'.\n", stderr);
        return EXIT_USAGE;
    }
    int stdin_uses = 0;
    for (int i = optind + 1; i < argc; i++)
        stdin_uses += strcmp(argv[i], "-") == 0;
    if (stdin_uses > 1) {
        fputs("sieve-replay: standard input (-) can be read only once\n", stderr);
        return EXIT_USAGE;
    }
    return -1;
}

int main(int argc, char **argv)
{
    options o = { 0 };
    int rc = parse_options(argc, argv, &o);
    if (rc >= 0) {
        mb_free(&o.mailboxes);
        return rc;
    }
    o.mailbox_cb = (sieve_mailboxes){ .data = &o.mailboxes, .exists = mb_exists,
                                      .specialuse_exists = mb_specialuse,
                                      .mailboxid_exists = mb_id };
    o.settings.mailboxes = &o.mailbox_cb;

    sieve_filter *filter = NULL;
    rc = load_filter(&o, argv[optind], &filter);
    if (rc != 0)
        return rc;

    replay rp = { .o = &o, .filter = filter, .stream = stdout };
    if (!o.no_store) {
        rp.store = sieve_store_memory_new();
        o.settings.store = rp.store;
    }
    rp.session = sieve_session_new(&o.settings);
    if (!rp.session || (!o.no_store && !rp.store)) {
        sieve_session_free(&rp.session);
        sieve_store_memory_free(&rp.store);
        fputs("sieve-replay: out of memory\n", stderr);
        sieve_filter_unref(&filter);
        return EXIT_USAGE;
    }
    static char obuf[1 << 20];
    setvbuf(stdout, obuf, _IOFBF, sizeof obuf);
    FILE *summary_out = o.format == FMT_JSONL && !o.summary_only ? stderr : stdout;
    if (o.summary_only)
        rp.stream = NULL;
    rp.prog.on = !o.quiet && isatty(STDERR_FILENO);
    rp.prog.start = rp.prog.last = now_ns();

    int status = EXIT_OK;
    uint64_t start = now_ns(), cpu_start = cpu_ns();
    for (int i = optind + 1; i < argc; i++) {
        if (replay_path(&rp, argv[i]) != 0)
            status = EXIT_USAGE;
    }
    if (rp.stream && jw_flush(&rp.out, rp.stream) != 0)
        rp.t.io_error = true;
    uint64_t wall = now_ns() - start, cpu = cpu_ns() - cpu_start;
    progress_end(&rp.prog);
    if (fflush(stdout) != 0 || rp.t.io_error) {
        fprintf(stderr, "sieve-replay: writing the output: %s\n", strerror(errno ? errno : EIO));
        status = EXIT_USAGE;
    }
    if (o.summary) {
        print_summary(summary_out, &rp.t, wall, cpu, sieve_session_mallocs(rp.session));
        fflush(summary_out);
    }

    jw_buf_free(&rp.out);
    totals_free(&rp.t);
    sieve_session_free(&rp.session);
    sieve_store_memory_free(&rp.store);
    sieve_filter_unref(&filter);
    mb_free(&o.mailboxes);
    return status;
}
