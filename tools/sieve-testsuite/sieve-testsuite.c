/* sieve-testsuite: compiles and runs `.svtest` files (Pigeonhole's
 * vnd.dovecot.testsuite language) unmodified through the native pipeline:
 * each file is compiled in testsuite mode to a signed .so in a private
 * temporary directory (with a MAC key made for this run), loaded through
 * the real loader, and run once. Its test* commands reach this program as
 * host records (sieve/host.h); this program keeps the harness state:
 * the current message and envelope, in-memory mailboxes, the SMTP outbox,
 * the configuration, the nested script of test_script_compile/run and the
 * errors test_error reads.
 *
 * Single-threaded; all state is per file and freed after it.
 */
#define _GNU_SOURCE 1
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <getopt.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/random.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "compile.h"
#include "sieve/host.h"
#include "sieve/sieve.h"
#include "sieve/store_memory.h"

/* ---- Small helpers ------------------------------------------------------ */

static void *xmalloc(size_t n)
{
    void *p = malloc(n ? n : 1);
    if (!p) {
        fputs("sieve-testsuite: out of memory\n", stderr);
        exit(2);
    }
    return p;
}

static char *xstrndup(const char *s, size_t n)
{
    char *d = xmalloc(n + 1);
    memcpy(d, s, n);
    d[n] = '\0';
    return d;
}

static char *xstrdup(const char *s)
{
    return xstrndup(s, strlen(s));
}

static char *xprintf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static char *xprintf(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    char *s = NULL;
    if (vasprintf(&s, fmt, ap) < 0) {
        fputs("sieve-testsuite: out of memory\n", stderr);
        exit(2);
    }
    va_end(ap);
    return s;
}

/* A growable array of pointers. */
typedef struct ptrvec {
    void **v;
    size_t n, cap;
} ptrvec;

static void ptrvec_push(ptrvec *pv, void *p)
{
    if (pv->n == pv->cap) {
        pv->cap = pv->cap ? pv->cap * 2 : 16;
        void **v = realloc(pv->v, pv->cap * sizeof *v);
        if (!v) {
            fputs("sieve-testsuite: out of memory\n", stderr);
            exit(2);
        }
        pv->v = v;
    }
    pv->v[pv->n++] = p;
}

static void ptrvec_free(ptrvec *pv, void (*fn)(void *))
{
    for (size_t i = 0; i < pv->n; i++)
        fn(pv->v[i]);
    free(pv->v);
    memset(pv, 0, sizeof *pv);
}

/* ---- Harness state ----------------------------------------------------- */

typedef struct ts_mail {
    char *data;
    size_t len;
    char *from, *to;       /* the envelope it was sent or stored with */
    char *flags;           /* imap4flags it was stored with, space-separated */
} ts_mail;

typedef struct ts_folder {
    char *name;
    ptrvec mails;          /* ts_mail* */
} ts_folder;

typedef struct ts_binary {
    char *name, *path;
} ts_binary;

typedef struct options {
    bool expect_fail, verbose;
    bool no_store;         /* --no-store: remember no replies or marks */
    unsigned opt_level;
    const char *inc_personal, *inc_global;   /* --include-dir-* */
} options;

typedef struct ts_state {
    const options *o;
    const char *file;      /* the .svtest as given */
    char *dir;             /* its directory: nested scripts are relative to it */
    /* include (RFC 6609): where the file's own includes are found; see
     * usage(). Nested scripts use their own directory as personal one. */
    char *inc_personal, *inc_global;
    const char *tmp;       /* private temporary directory */
    char *key_file;
    sieve_load_options lo;
    /* Every string the main run may still point at (messages, envelope):
     * freed with the file. */
    ptrvec keep;
    const char *msg;
    size_t msg_len;
    char *env_from, *env_to, *env_orig, *env_auth;
    char *env_remote_host, *env_remote_ip;  /* environment items (RFC 5183) */
    sieve_envelope env;    /* what the runs see; rcpt_to is the original recipient */
    ptrvec folders;        /* ts_folder* */
    ptrvec outbox;         /* ts_mail* */
    /* configuration: pending (test_config_set) and active (after reload) */
    unsigned cfg_redirects, cfg_actions, max_redirects, max_actions;
    /* vacation periods (seconds; 0 = the runtime's default) */
    uint64_t cfg_vac[3], vac[3];
    bool cfg_vac_orig, cfg_vac_any, vac_orig, vac_any;
    /* vacation replies and duplicate marks of this file (sieve/store.h) */
    sieve_store *store;
    const sieve_result *nested_result;   /* of the last test_script_run */
    /* sieve_editheader_protected: pending, and the active value every
     * session's settings point at (so a reload reaches the main run too) */
    char cfg_protected[512], protected_active[512];
    /* the script of the last test_script_compile / test_binary_load */
    sieve_filter *nested;
    char *nested_path;     /* its .so */
    unsigned nsos;
    sieve_session *nested_session;
    ptrvec binaries;       /* ts_binary* */
    ptrvec errors;         /* char*: of the last compile or run */
    char *nested_header;   /* editheader result of the last test_script_run */
    sieve_mailboxes mailboxes; /* mailboxexists answered from folders */
    /* blocks */
    bool in_block, block_failed;
    char *block_name, *block_reason;
    unsigned block_line;
    unsigned passed, failed;
} ts_state;

static void mail_free(void *p)
{
    ts_mail *m = p;
    free(m->data);
    free(m->from);
    free(m->to);
    free(m->flags);
    free(m);
}

static void folder_free(void *p)
{
    ts_folder *f = p;
    free(f->name);
    ptrvec_free(&f->mails, mail_free);
    free(f);
}

static void binary_free(void *p)
{
    ts_binary *b = p;
    free(b->name);
    free(b->path);
    free(b);
}

static void errors_clear(ts_state *ts)
{
    ptrvec_free(&ts->errors, free);
}

static void error_add(ts_state *ts, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void error_add(ts_state *ts, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    char *s = NULL;
    if (vasprintf(&s, fmt, ap) < 0)
        s = NULL;
    va_end(ap);
    if (s)
        ptrvec_push(&ts->errors, s);
}

static const char *kept(ts_state *ts, char *s)
{
    ptrvec_push(&ts->keep, s);
    return s;
}

static void env_update(ts_state *ts)
{
    ts->env.mail_from = ts->env_from;
    /* Pigeonhole's envelope "to" is the original recipient (README). */
    ts->env.rcpt_to = ts->env_orig ? ts->env_orig : ts->env_to;
    ts->env.orig_rcpt = ts->env_orig;
    ts->env.auth = ts->env_auth;
    ts->env.remote_host = ts->env_remote_host;
    ts->env.remote_ip = ts->env_remote_ip;
}

/* The first address of a header field of msg, for the envelope a new
 * message implies (Pigeonhole: Return-path, Sender, From / Envelope-To,
 * To). Only the simple forms the suites use: <addr> or a bare addr-spec. */
static char *header_address(const char *msg, size_t len, const char *name)
{
    size_t nl = strlen(name);
    const char *p = msg, *end = msg + len;
    while (p < end) {
        const char *eol = memchr(p, '\n', (size_t)(end - p));
        const char *le = eol ? eol : end;
        if (le == p || (le == p + 1 && *p == '\r'))
            break;   /* end of the header */
        if ((size_t)(le - p) > nl && strncasecmp(p, name, nl) == 0 && p[nl] == ':') {
            const char *v = p + nl + 1, *ve = le;
            while (ve > v && (ve[-1] == '\r' || ve[-1] == ' ' || ve[-1] == '\t'))
                ve--;
            const char *lt = memchr(v, '<', (size_t)(ve - v));
            if (lt) {
                const char *gt = memchr(lt, '>', (size_t)(ve - lt));
                if (gt)
                    return xstrndup(lt + 1, (size_t)(gt - lt - 1));
            }
            while (v < ve && (*v == ' ' || *v == '\t'))
                v++;
            const char *sp = v;
            while (sp < ve && *sp != ' ' && *sp != ',')
                sp++;
            if (sp > v && memchr(v, '@', (size_t)(sp - v)))
                return xstrndup(v, (size_t)(sp - v));
            return NULL;
        }
        p = eol ? eol + 1 : end;
    }
    return NULL;
}

static void set_envelope_from_message(ts_state *ts)
{
    static const char *const senders[] = { "return-path", "sender", "from" };
    static const char *const rcpts[] = { "envelope-to", "to" };
    char *from = NULL, *to = NULL;
    for (size_t i = 0; i < 3 && !from; i++)
        from = header_address(ts->msg, ts->msg_len, senders[i]);
    for (size_t i = 0; i < 2 && !to; i++)
        to = header_address(ts->msg, ts->msg_len, rcpts[i]);
    ts->env_from = (char *)kept(ts, from ? from : xstrdup("sender@example.com"));
    ts->env_to = (char *)kept(ts, to ? to : xstrdup("recipient@example.com"));
    ts->env_orig = NULL;
    env_update(ts);
}

static int set_message(ts_state *ts, sieve_host_call *c, const char *data, size_t len,
                       bool derive_envelope)
{
    char *copy = (char *)kept(ts, xstrndup(data, len));
    ts->msg = copy;
    ts->msg_len = len;
    if (derive_envelope)
        set_envelope_from_message(ts);
    if (c && sieve_host_set_message(c, copy, len) != 0)
        return sieve_host_call_error(c, "message exceeds the memory limit of the session");
    return SIEVE_OK;
}

static ts_folder *folder_find(ts_state *ts, const char *name, bool create)
{
    for (size_t i = 0; i < ts->folders.n; i++) {
        ts_folder *f = ts->folders.v[i];
        if (strcmp(f->name, name) == 0 ||
            (strcasecmp(name, "INBOX") == 0 && strcasecmp(f->name, "INBOX") == 0))
            return f;
    }
    if (!create)
        return NULL;
    ts_folder *f = xmalloc(sizeof *f);
    memset(f, 0, sizeof *f);
    f->name = xstrdup(name);
    ptrvec_push(&ts->folders, f);
    return f;
}

static ts_mail *mail_new(const char *data, size_t len, const char *from, const char *to)
{
    ts_mail *m = xmalloc(sizeof *m);
    m->data = xstrndup(data, len);
    m->len = len;
    m->from = xstrdup(from ? from : "");
    m->to = xstrdup(to ? to : "");
    m->flags = NULL;
    return m;
}

/* RFC 5490 3.1: INBOX and the folders test_mailbox_create (or a
 * fileinto :create) made exist. No special-use attributes or mailbox ids
 * exist in this harness. */
static bool ts_mailbox_exists(void *data, const char *name)
{
    return strcasecmp(name, "INBOX") == 0 || folder_find(data, name, false) != NULL;
}

/* ---- Blocks ------------------------------------------------------------- */

static void block_end(ts_state *ts, const char *why)
{
    if (!ts->in_block)
        return;
    if (why && !ts->block_failed) {
        ts->block_failed = true;
        free(ts->block_reason);
        ts->block_reason = xstrdup(why);
    }
    bool ok = ts->o->expect_fail ? ts->block_failed : !ts->block_failed;
    if (ok) {
        ts->passed++;
        printf("PASS %s\n", ts->block_name);
    } else {
        ts->failed++;
        printf("FAIL %s (%s:%u): %s\n", ts->block_name, ts->file, ts->block_line,
               ts->o->expect_fail ? "expected to fail, but passed" : ts->block_reason);
    }
    fflush(stdout);
    free(ts->block_name);
    free(ts->block_reason);
    ts->block_name = ts->block_reason = NULL;
    ts->in_block = false;
}

/* ---- Nested scripts ------------------------------------------------------ */

static bool script_compile(ts_state *ts, const char *rel)
{
    errors_clear(ts);
    sieve_filter_unref(&ts->nested);
    char *path = rel[0] == '/' ? xstrdup(rel) : xprintf("%s/%s", ts->dir, rel);
    char *out = xprintf("%s/script-%u.so", ts->tmp, ts->nsos++);
    compile_options co = { .output = EMIT_SHARED, .opt_level = ts->o->opt_level,
                           .key_file = ts->key_file, .include_dir_global = ts->inc_global };
    diag_sink *sink = diag_sink_new(0);
    source *src = NULL;
    int rc = sievec_compile_file(path, out, &co, sink, &src);
    for (size_t i = 0; i < diag_count(sink); i++) {
        const diag_record *d = diag_get(sink, i);
        if (d->severity != DIAG_ERROR)
            continue;
        unsigned line = 0, col = 0;
        if (d->src)
            source_position(d->src, d->span.start, &line, &col);
        if (line)
            error_add(ts, "%s: line %u: error: %s", rel, line, d->message);
        else
            error_add(ts, "%s: error: %s", rel, d->message);
    }
    if (ts->o->verbose && diag_count(sink))
        diag_print_text(sink, stderr, false);
    diag_sink_free(&sink);
    source_free(&src);
    bool ok = false;
    if (rc == COMPILE_OK) {
        char err[1024];
        if (sieve_filter_load(out, &ts->lo, &ts->nested, err, sizeof err) != 0)
            error_add(ts, "%s: %s", rel, err);
        else
            ok = true;
    } else if (ts->errors.n == 0) {
        error_add(ts, "%s: compile failed", rel);
    }
    free(ts->nested_path);
    ts->nested_path = ok ? out : NULL;
    if (!ok) {
        unlink(out);
        free(out);
    }
    free(path);
    return ok;
}

static void nested_session_reset(ts_state *ts)
{
    ts->nested_result = NULL;
    sieve_session_free(&ts->nested_session);
}

static sieve_session *nested_session(ts_state *ts)
{
    if (!ts->nested_session) {
        sieve_settings st = { .max_actions = ts->max_actions, .max_redirects = ts->max_redirects,
                              .store = ts->store, .vacation_min_period = ts->vac[0],
                              .vacation_max_period = ts->vac[1],
                              .vacation_default_period = ts->vac[2],
                              .vacation_use_original_recipient = ts->vac_orig,
                              .vacation_dont_check_recipient = ts->vac_any,
                              .mailboxes = &ts->mailboxes,
                              .editheader_protected = ts->protected_active };
        ts->nested_session = sieve_session_new(&st);
    }
    return ts->nested_session;
}

static int32_t script_run(ts_state *ts, sieve_host_call *c)
{
    errors_clear(ts);
    if (!ts->nested) {
        error_add(ts, "no script compiled");
        return SIEVE_OK;
    }
    sieve_session *s = nested_session(ts);
    if (!s)
        return sieve_host_call_error(c, "cannot create a session");
    free(ts->nested_header);
    ts->nested_header = NULL;
    const sieve_result *res = NULL;
    char err[1024];
    if (sieve_run(s, ts->nested, ts->msg, ts->msg_len, &ts->env, &res, err, sizeof err) != 0) {
        error_add(ts, "%s", err);
        return SIEVE_OK;
    }
    ts->nested_result = res;
    if (!(sieve_host_call_flags(c) & SIEVE_TF_APPEND_RESULT))
        sieve_host_result_reset(c);
    const char *rerr = sieve_result_error(res);
    if (rerr) {
        /* RFC 5228 2.10.6: none of the failed run's actions; the implicit
         * keep stays. */
        error_add(ts, "%s", rerr);
        return SIEVE_OK;
    }
    for (size_t i = 0; i < sieve_result_count(res); i++) {
        const sieve_action *a = sieve_result_action(res, i);
        if (!a->implicit && sieve_host_result_append(c, a, err, sizeof err) != 0)
            return sieve_host_call_error(c, "%s", err);
    }
    size_t hlen;
    const char *hdr = sieve_result_header(res, &hlen);
    if (hdr)
        ts->nested_header = xstrndup(hdr, hlen);
    return SIEVE_TRUE;
}

static int copy_file(const char *from, const char *to)
{
    FILE *in = fopen(from, "rb");
    if (!in)
        return -1;
    FILE *out = fopen(to, "wb");
    if (!out) {
        fclose(in);
        return -1;
    }
    char buf[65536];
    size_t n;
    int rc = 0;
    while ((n = fread(buf, 1, sizeof buf, in)) > 0)
        if (fwrite(buf, 1, n, out) != n)
            rc = -1;
    if (ferror(in))
        rc = -1;
    fclose(in);
    if (fclose(out) != 0)
        rc = -1;
    return rc;
}

/* ---- The result ----------------------------------------------------------- */

static const char *action_name(const sieve_action *a)
{
    switch (a->kind) {
    case SIEVE_ACT_KEEP: return "keep";
    case SIEVE_ACT_FILEINTO: return "store";
    case SIEVE_ACT_REDIRECT: return "redirect";
    case SIEVE_ACT_DISCARD: return "discard";
    case SIEVE_ACT_REJECT: return "reject";
    case SIEVE_ACT_EREJECT: return "ereject";
    case SIEVE_ACT_VACATION: return "vacation";
    case SIEVE_ACT_NOTIFY: return "notify";
    default: return "other";
    }
}

/* Pigeonhole's result lists no editheader actions: they change the
 * message, not where it goes. */
static bool listed(const sieve_action *a)
{
    return !a->implicit && a->kind != SIEVE_ACT_ADDHEADER && a->kind != SIEVE_ACT_DELETEHEADER;
}

static char *join_flags(const sieve_action *a)
{
    if (!a || !a->flags || !a->nflags)
        return NULL;
    size_t n = 1;
    for (size_t i = 0; i < a->nflags; i++)
        n += strlen(a->flags[i]) + 1;
    char *s = xmalloc(n);
    s[0] = '\0';
    for (size_t i = 0; i < a->nflags; i++) {
        if (i)
            strcat(s, " ");
        strcat(s, a->flags[i]);
    }
    return s;
}

/* The message as stored: the edited header (RFC 5293), if any, over the
 * body of the current message. */
static char *stored_message(ts_state *ts, const char *hdr, size_t hlen, size_t *len_r)
{
    if (!hdr) {
        *len_r = ts->msg_len;
        return xstrndup(ts->msg, ts->msg_len);
    }
    const char *body = "";
    size_t blen = 0;
    for (size_t i = 0; i < ts->msg_len; i++) {
        if (ts->msg[i] != '\n')
            continue;
        size_t j = i + 1;
        if (j < ts->msg_len && ts->msg[j] == '\r')
            j++;
        if (j < ts->msg_len && ts->msg[j] == '\n') {
            body = ts->msg + j + 1;
            blen = ts->msg_len - (j + 1);
            break;
        }
    }
    const char *eol = hlen > 1 && hdr[hlen - 2] == '\r' ? "\r\n" : "\n";
    char *m = xprintf("%.*s%s%.*s", (int)hlen, hdr, eol, (int)blen, body);
    *len_r = strlen(m);
    return m;
}

/* INBOX always exists; other mailboxes only after test_mailbox_create
 * (or fileinto :create), as in Pigeonhole, where storing into a missing
 * one makes test_result_execute false. */
static bool store(ts_state *ts, sieve_host_call *c, const char *mailbox, bool create,
                  const sieve_action *a)
{
    ts_folder *f = folder_find(ts, mailbox, create || strcasecmp(mailbox, "INBOX") == 0);
    if (!f)
        return false;
    size_t hlen = 0, len;
    const char *hdr = sieve_result_header(sieve_host_result(c), &hlen);
    if (!hdr && ts->nested_header) {
        hdr = ts->nested_header;
        hlen = strlen(hdr);
    }
    char *data = stored_message(ts, hdr, hlen, &len);
    ts_mail *m = mail_new(data, len, ts->env_from, ts->env.rcpt_to);
    free(data);
    m->flags = join_flags(a);
    if (!a) {
        /* The implicit keep stores with the internal flags (RFC 5232 5);
         * as they are (the runtime's own implicit keep also drops flags
         * an IMAP store refuses). */
        const char *fl = sieve_host_flags(c);
        m->flags = fl && *fl ? xstrdup(fl) : NULL;
    }
    ptrvec_push(&f->mails, m);
    return true;
}

/* RFC 5429 2.2: the rejection notice goes to the envelope sender, never to
 * the null reverse-path. */
static void reject_notice(ts_state *ts, const sieve_action *a)
{
    if (!ts->env_from || !*ts->env_from)
        return;
    char *notice = xprintf("From: Mail Delivery Subsystem <postmaster@example.com>\r\n"
                           "To: <%s>\r\nSubject: Rejected: your message\r\n"
                           "Content-Type: text/plain; charset=utf-8\r\n\r\n"
                           "Your message to <%s> was automatically rejected:\r\n%s\r\n",
                           ts->env_from, ts->env.rcpt_to ? ts->env.rcpt_to : "",
                           a->reason ? a->reason : "");
    ts_mail *m = mail_new(notice, strlen(notice), "", ts->env_from);
    free(notice);
    ptrvec_push(&ts->outbox, m);
}

static int64_t ts_now(void)
{
    return (int64_t)time(NULL);
}

/* A vacation reply or a notification (sieve_action_message) joins the
 * SMTP outbox; a suppressed one sends nothing. */
static void send_reply(ts_state *ts, const sieve_action *a)
{
    char *msg;
    size_t len;
    char rcpt[4096], from[512];
    if (sieve_action_message(a, &ts->env, ts_now(), &msg, &len, rcpt, sizeof rcpt, from,
                             sizeof from) != 0)
        return;
    /* One copy per envelope recipient, as an MTA would deliver it. */
    for (char *p = rcpt, *comma; p && *p; p = comma ? comma + 1 : NULL) {
        comma = strchr(p, ',');
        if (comma)
            *comma = '\0';
        ptrvec_push(&ts->outbox, mail_new(msg, len, from, p));
    }
    free(msg);
}

static int32_t result_execute(ts_state *ts, sieve_host_call *c)
{
    const sieve_result *r = sieve_host_result(c);
    bool inbox = false, ok = true;
    for (size_t i = 0; i < sieve_result_count(r); i++) {
        const sieve_action *a = sieve_result_action(r, i);
        switch (a->kind) {
        case SIEVE_ACT_KEEP:
            if (!inbox)
                store(ts, c, "INBOX", true, a);
            inbox = true;
            break;
        case SIEVE_ACT_FILEINTO:
            if (strcasecmp(a->mailbox, "INBOX") == 0) {
                if (inbox)
                    break;
                inbox = true;
            }
            if (!store(ts, c, a->mailbox, a->create, a)) {
                error_add(ts, "mailbox '%s' does not exist", a->mailbox);
                ok = false;
            }
            break;
        case SIEVE_ACT_REDIRECT: {
            /* The message goes out as edited (RFC 5293 3). */
            size_t hlen = 0, len;
            const char *hdr = sieve_result_header(r, &hlen);
            if (!hdr && ts->nested_header) {
                hdr = ts->nested_header;
                hlen = strlen(hdr);
            }
            char *data = stored_message(ts, hdr, hlen, &len);
            ptrvec_push(&ts->outbox, mail_new(data, len, ts->env_from, a->address));
            free(data);
            break;
        }
        case SIEVE_ACT_REJECT:
        case SIEVE_ACT_EREJECT:
            reject_notice(ts, a);
            break;
        case SIEVE_ACT_VACATION:
        case SIEVE_ACT_NOTIFY:
            send_reply(ts, a);
            break;
        default:
            break;
        }
    }
    /* What was sent and which messages were seen is remembered for the
     * rest of the file (RFC 5230 4.2, RFC 7352 3). */
    char err[256];
    if (sieve_result_commit(r, ts->store, ts_now(), err, sizeof err) != 0 ||
        sieve_result_commit(ts->nested_result, ts->store, ts_now(), err, sizeof err) != 0) {
        error_add(ts, "store: %s", err);
        ok = false;
    }
    /* RFC 5228 2.10.2 */
    if (sieve_host_result_implicit_keep(c) && !inbox)
        store(ts, c, "INBOX", true, NULL);
    return ok ? SIEVE_TRUE : SIEVE_OK;
}

static void result_print(ts_state *ts, sieve_host_call *c)
{
    const sieve_result *r = sieve_host_result(c);
    printf("Result of %s, line %u:\n", ts->file, sieve_host_call_line(c));
    for (size_t i = 0; i < sieve_result_count(r); i++) {
        const sieve_action *a = sieve_result_action(r, i);
        printf("  %zu: %s%s%s%s\n", i + 1, action_name(a),
               a->mailbox || a->address ? " " : "",
               a->kind == SIEVE_ACT_REDIRECT ? (a->address ? a->address : "")
                                             : (a->mailbox ? a->mailbox : ""),
               a->copy ? " :copy" : "");
    }
    printf("  implicit keep: %s\n", sieve_host_result_implicit_keep(c) ? "yes" : "no");
}

/* ---- Host callbacks --------------------------------------------------------- */

static int32_t select_message(ts_state *ts, sieve_host_call *c, bool as_test)
{
    const char *folder = sieve_host_call_arg(c, 0, NULL);
    uint32_t n = sieve_host_call_number(c);
    const ts_mail *m = NULL;
    if (folder) {
        ts_folder *f = folder_find(ts, folder, false);
        if (f && n < f->mails.n)
            m = f->mails.v[n];
    } else if (n < ts->outbox.n) {
        m = ts->outbox.v[n];
    }
    if (!m) {
        if (as_test)
            return SIEVE_OK;
        char *why = folder ? xprintf("no message %u in folder '%s'", n, folder)
                           : xprintf("no outgoing SMTP message %u", n);
        if (ts->in_block && !ts->block_failed) {
            ts->block_failed = true;
            free(ts->block_reason);
            ts->block_reason = why;
        } else {
            free(why);
        }
        return SIEVE_OK;
    }
    int32_t rc = set_message(ts, c, m->data, m->len, folder != NULL);
    if (rc != SIEVE_OK)
        return rc;
    /* Pigeonhole: hasflag then sees the stored message's flags. */
    if (folder && sieve_host_set_flags(c, m->flags) != 0)
        return sieve_host_call_error(c, "out of memory");
    if (!folder) {
        ts->env_from = (char *)kept(ts, xstrdup(m->from));
        ts->env_to = (char *)kept(ts, xstrdup(m->to));
        ts->env_orig = NULL;
        env_update(ts);
    }
    return as_test ? SIEVE_TRUE : SIEVE_OK;
}

static bool parse_unsigned(const char *s, unsigned *out_r)
{
    char *end;
    errno = 0;
    unsigned long v = strtoul(s, &end, 10);
    if (errno || end == s || *end || v > 1000000u)
        return false;
    *out_r = (unsigned)v;
    return true;
}

/* Pigeonhole's time settings: a number with an optional unit (s, m, h,
 * d); "0" for the minimum means none at all. */
static bool parse_period(const char *s, bool is_min, uint64_t *out_r)
{
    char *end;
    if (!s)
        return false;
    errno = 0;
    unsigned long long v = strtoull(s, &end, 10);
    if (errno || end == s || v > 100000000ull)
        return false;
    uint64_t unit = 1;
    if (*end == 'm')
        unit = 60;
    else if (*end == 'h')
        unit = 3600;
    else if (*end == 'd')
        unit = 86400;
    else if (*end && *end != 's')
        return false;
    if (*end && end[1])
        return false;
    *out_r = v * unit;
    if (v == 0 && is_min)
        *out_r = SIEVE_PERIOD_ZERO;
    return true;
}

static int32_t host_command(void *data, sieve_host_call *c)
{
    ts_state *ts = data;
    size_t len = 0;
    switch (sieve_host_call_id(c)) {
    case SIEVE_HOST_TEST_BEGIN: {
        const char *name = sieve_host_call_arg(c, 0, NULL);
        block_end(ts, "block not ended");
        ts->in_block = true;
        ts->block_failed = false;
        ts->block_name = xstrdup(name ? name : "");
        ts->block_reason = NULL;
        ts->block_line = sieve_host_call_line(c);
        return SIEVE_OK;
    }
    case SIEVE_HOST_TEST_END:
        block_end(ts, NULL);
        return SIEVE_OK;
    case SIEVE_HOST_TEST_FAIL: {
        const char *reason = sieve_host_call_arg(c, 0, NULL);
        if (!ts->in_block) {
            ts->failed++;
            printf("FAIL (%s:%u): test_fail outside a test block: %s\n", ts->file,
                   sieve_host_call_line(c), reason ? reason : "");
            return SIEVE_OK;
        }
        if (!ts->block_failed) {
            ts->block_failed = true;
            free(ts->block_reason);
            ts->block_reason = xprintf("line %u: %s", sieve_host_call_line(c),
                                       reason ? reason : "");
        }
        return SIEVE_OK;
    }
    case SIEVE_HOST_SET: {
        const char *obj = sieve_host_call_arg(c, 0, NULL);
        const char *val = sieve_host_call_arg(c, 1, &len);
        if (!obj || !val)
            return SIEVE_ERROR;
        if (strcmp(obj, "message") == 0)
            return set_message(ts, c, val, len, true);
        char *v = (char *)kept(ts, xstrdup(val));
        if (strcmp(obj, "envelope.from") == 0) {
            ts->env_from = v;
        } else if (strcmp(obj, "envelope.to") == 0) {
            ts->env_to = v;
            ts->env_orig = NULL;
        } else if (strcmp(obj, "envelope.orig_to") == 0) {
            ts->env_orig = v;
        } else if (strcmp(obj, "envelope.auth") == 0) {
            ts->env_auth = v;
        } else if (strcmp(obj, "environment.remote-host") == 0) {
            /* RFC 5183 4.1: what the SMTP client would be (our own
             * objects: Pigeonhole's testsuite cannot set these). */
            ts->env_remote_host = v;
        } else if (strcmp(obj, "environment.remote-ip") == 0) {
            ts->env_remote_ip = v;
        } else {
            return sieve_host_call_error(c, "test_set: unknown object '%s'", obj);
        }
        env_update(ts);
        return SIEVE_OK;
    }
    case SIEVE_HOST_MESSAGE:
        return select_message(ts, c, false);
    case SIEVE_HOST_MAILBOX_CREATE: {
        const char *name = sieve_host_call_arg(c, 0, NULL);
        if (name)
            folder_find(ts, name, true);
        return SIEVE_OK;
    }
    case SIEVE_HOST_RESULT_RESET:
        sieve_host_result_reset(c);
        free(ts->nested_header);
        ts->nested_header = NULL;
        ptrvec_free(&ts->outbox, mail_free);
        return SIEVE_OK;
    case SIEVE_HOST_RESULT_PRINT:
        result_print(ts, c);
        return SIEVE_OK;
    case SIEVE_HOST_CONFIG_SET:
    case SIEVE_HOST_CONFIG_UNSET: {
        const char *key = sieve_host_call_arg(c, 0, NULL);
        const char *val = sieve_host_call_id(c) == SIEVE_HOST_CONFIG_SET
                              ? sieve_host_call_arg(c, 1, NULL) : NULL;
        unsigned *slot = NULL;
        if (key && strcmp(key, "sieve_max_redirects") == 0)
            slot = &ts->cfg_redirects;
        else if (key && strcmp(key, "sieve_max_actions") == 0)
            slot = &ts->cfg_actions;
        else if (key && strcmp(key, "sieve_editheader_protected") == 0)
            snprintf(ts->cfg_protected, sizeof ts->cfg_protected, "%s", val ? val : "");
        static const char *const vac_keys[] = { "sieve_vacation_min_period",
                                                "sieve_vacation_max_period",
                                                "sieve_vacation_default_period" };
        if (key && strcmp(key, "sieve_vacation_use_original_recipient") == 0)
            ts->cfg_vac_orig = val && strcmp(val, "yes") == 0;
        if (key && strcmp(key, "sieve_vacation_dont_check_recipient") == 0)
            ts->cfg_vac_any = val && strcmp(val, "yes") == 0;
        for (size_t k = 0; key && k < 3; k++)
            if (strcmp(key, vac_keys[k]) == 0 &&
                !parse_period(val, k == 0, &ts->cfg_vac[k]))
                ts->cfg_vac[k] = 0;
        /* Settings without a meaning here (sieve_extensions...) are
         * accepted and ignored. */
        if (slot && (!val || !parse_unsigned(val, slot)))
            *slot = 0;
        return SIEVE_OK;
    }
    case SIEVE_HOST_CONFIG_RELOAD:
        ts->max_redirects = ts->cfg_redirects;
        ts->max_actions = ts->cfg_actions;
        memcpy(ts->vac, ts->cfg_vac, sizeof ts->vac);
        ts->vac_orig = ts->cfg_vac_orig;
        ts->vac_any = ts->cfg_vac_any;
        memcpy(ts->protected_active, ts->cfg_protected, sizeof ts->protected_active);
        nested_session_reset(ts);
        return SIEVE_OK;
    case SIEVE_HOST_BINARY_SAVE: {
        const char *name = sieve_host_call_arg(c, 0, NULL);
        if (!name || !ts->nested_path)
            return sieve_host_call_error(c, "test_binary_save: no compiled script");
        ts_binary *b = xmalloc(sizeof *b);
        b->name = xstrdup(name);
        b->path = xprintf("%s/binary-%zu.so", ts->tmp, ts->binaries.n);
        if (copy_file(ts->nested_path, b->path) != 0) {
            binary_free(b);
            return sieve_host_call_error(c, "test_binary_save: cannot write: %s", strerror(errno));
        }
        ptrvec_push(&ts->binaries, b);
        return SIEVE_OK;
    }
    case SIEVE_HOST_BINARY_LOAD: {
        const char *name = sieve_host_call_arg(c, 0, NULL);
        const ts_binary *b = NULL;
        for (size_t i = ts->binaries.n; name && i-- > 0;)
            if (strcmp(((ts_binary *)ts->binaries.v[i])->name, name) == 0) {
                b = ts->binaries.v[i];
                break;
            }
        if (!b)
            return sieve_host_call_error(c, "test_binary_load: no binary '%s'", name ? name : "");
        sieve_filter_unref(&ts->nested);
        char err[1024];
        if (sieve_filter_load(b->path, &ts->lo, &ts->nested, err, sizeof err) != 0)
            return sieve_host_call_error(c, "test_binary_load: %s", err);
        free(ts->nested_path);
        ts->nested_path = xstrdup(b->path);
        return SIEVE_OK;
    }
    default:
        return sieve_host_call_error(c, "unknown testsuite command %u", sieve_host_call_id(c));
    }
}

static int32_t match_list(sieve_host_call *c, const char **v, size_t n)
{
    uint32_t index = sieve_host_call_index(c);
    if (index) {
        /* :index N: only the Nth (from 1) */
        if (index > n)
            return sieve_host_call_match(c, v, 0);
        return sieve_host_call_match(c, v + index - 1, 1);
    }
    return sieve_host_call_match(c, v, n);
}

static int32_t host_test(void *data, sieve_host_call *c)
{
    ts_state *ts = data;
    switch (sieve_host_call_id(c)) {
    case SIEVE_HOST_MESSAGE_TEST:
        return select_message(ts, c, true);
    case SIEVE_HOST_RESULT_ACTION: {
        const sieve_result *r = sieve_host_result(c);
        size_t n = 0, total = sieve_result_count(r);
        const char **v = xmalloc((total ? total : 1) * sizeof *v);
        for (size_t i = 0; i < total; i++) {
            const sieve_action *a = sieve_result_action(r, i);
            if (listed(a))
                v[n++] = action_name(a);
        }
        int32_t rc = match_list(c, v, n);
        free(v);
        return rc;
    }
    case SIEVE_HOST_RESULT_EXECUTE:
        return result_execute(ts, c);
    case SIEVE_HOST_ERROR:
        return match_list(c, (const char **)ts->errors.v, ts->errors.n);
    case SIEVE_HOST_SCRIPT_COMPILE: {
        const char *path = sieve_host_call_arg(c, 0, NULL);
        if (!path)
            return SIEVE_ERROR;
        return script_compile(ts, path) ? SIEVE_TRUE : SIEVE_OK;
    }
    case SIEVE_HOST_SCRIPT_RUN:
        return script_run(ts, c);
    default:
        return sieve_host_call_error(c, "unknown testsuite test %u", sieve_host_call_id(c));
    }
}

/* ---- One file ------------------------------------------------------------- */

static const char default_message[] =
    "From: sender@example.com\r\n"
    "To: recipient@example.com\r\n"
    "Subject: Frop!\r\n"
    "\r\n"
    "Frop!\r\n";

static int make_key(const char *path)
{
    uint8_t key[SIEVE_KEY_BYTES];
    if (getrandom(key, sizeof key, 0) != (ssize_t)sizeof key)
        return -1;
    int fd = open(path, O_WRONLY | O_CREAT | O_EXCL, 0600);
    if (fd < 0)
        return -1;
    ssize_t w = write(fd, key, sizeof key);
    memset(key, 0, sizeof key);
    if (close(fd) != 0 || w != (ssize_t)sizeof key)
        return -1;
    return 0;
}

static int rm_entry(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
    (void)st;
    (void)ftw;
    return flag == FTW_DP ? rmdir(path) : unlink(path);
}

/* Removes the private temporary directory (only what this run made in
 * it: the objects, the key, the loader's cache). */
static void rm_tree(const char *dir)
{
    if (nftw(dir, rm_entry, 8, FTW_DEPTH | FTW_PHYS) != 0)
        fprintf(stderr, "sieve-testsuite: could not remove %s: %s\n", dir, strerror(errno));
}

/* 0 every block passed, 1 some failed (or the file did not compile or
 * run), 2 I/O or setup trouble. */
static unsigned total_passed, total_failed;

static int run_file(const options *o, const char *file)
{
    const char *tmpbase = getenv("TMPDIR");
    char tmp[4096];
    snprintf(tmp, sizeof tmp, "%s/sieve-testsuite.XXXXXX", tmpbase && *tmpbase ? tmpbase : "/tmp");
    if (!mkdtemp(tmp)) {
        fprintf(stderr, "sieve-testsuite: cannot create a temporary directory: %s\n",
                strerror(errno));
        return 2;
    }
    ts_state ts;
    memset(&ts, 0, sizeof ts);
    ts.o = o;
    ts.file = file;
    ts.tmp = tmp;
    const char *slash = strrchr(file, '/');
    ts.dir = slash ? xstrndup(file, (size_t)(slash - file)) : xstrdup(".");
    if (slash == file)
        ts.dir[0] = '/', ts.dir[1] = '\0';
    {
        /* FILE.svtest includes from DIR/FILE/ (personal) and
         * DIR/FILE/global/ (global), the helper-script folder. */
        const char *base = slash ? slash + 1 : file;
        const char *dot = strrchr(base, '.');
        size_t stem = dot && dot != base ? (size_t)(dot - base) : strlen(base);
        ts.inc_personal = o->inc_personal ? xstrdup(o->inc_personal)
                                          : xprintf("%s/%.*s", ts.dir, (int)stem, base);
        ts.inc_global = o->inc_global ? xstrdup(o->inc_global)
                                      : xprintf("%s/global", ts.inc_personal);
    }
    ts.key_file = xprintf("%s/mac.key", tmp);
    char *cache = xprintf("%s/cache", tmp);
    char *main_so = xprintf("%s/main.so", tmp);
    int status = 0;
    if (make_key(ts.key_file) != 0 || mkdir(cache, 0700) != 0) {
        fprintf(stderr, "sieve-testsuite: cannot set up %s: %s\n", tmp, strerror(errno));
        status = 2;
        goto out;
    }
    ts.lo.key_file = ts.key_file;
    ts.lo.cache_dir = cache;
    ts.lo.check_owner = true;
    ts.lo.owner = geteuid();

    /* Compile the .svtest itself in testsuite mode. */
    compile_options co = { .output = EMIT_SHARED, .opt_level = o->opt_level,
                           .key_file = ts.key_file, .testsuite = true,
                           .include_dir_personal = ts.inc_personal,
                           .include_dir_global = ts.inc_global };
    diag_sink *sink = diag_sink_new(20);
    source *src = NULL;
    int rc = sievec_compile_file(file, main_so, &co, sink, &src);
    if (rc != COMPILE_OK) {
        diag_print_text(sink, stderr, false);
        diag_sink_free(&sink);
        source_free(&src);
        printf("FAIL %s: does not compile\n", file);
        status = rc == COMPILE_SCRIPT_ERRORS ? 1 : 2;
        goto out;
    }
    if (o->verbose)
        diag_print_text(sink, stderr, false);
    diag_sink_free(&sink);
    source_free(&src);

    sieve_filter *f = NULL;
    char err[1024];
    if (sieve_filter_load(main_so, &ts.lo, &f, err, sizeof err) != 0) {
        fprintf(stderr, "sieve-testsuite: %s\n", err);
        printf("FAIL %s: does not load\n", file);
        status = 2;
        goto out;
    }
    sieve_host host = { .data = &ts, .command = host_command, .test = host_test };
    /* The environment items a test can rely on (RFC 5183 4.1); the
     * remote-* items come from test_set "environment.remote-ip"... */
    ts.store = o->no_store ? NULL : sieve_store_memory_new();
    ts.mailboxes = (sieve_mailboxes){ .data = &ts, .exists = ts_mailbox_exists };
    sieve_settings st = { .host = &host, .store = ts.store, .env_domain = "example.com",
                          .env_host = "mx.example.com", .mailboxes = &ts.mailboxes,
                          .editheader_protected = ts.protected_active };
    sieve_session *s = ts.store || o->no_store ? sieve_session_new(&st) : NULL;
    if (!s) {
        sieve_filter_unref(&f);
        fputs("sieve-testsuite: cannot create a session\n", stderr);
        status = 2;
        goto out;
    }
    set_message(&ts, NULL, default_message, sizeof default_message - 1, true);
    const sieve_result *res = NULL;
    if (sieve_run(s, f, ts.msg, ts.msg_len, &ts.env, &res, err, sizeof err) != 0) {
        fprintf(stderr, "sieve-testsuite: %s\n", err);
        status = 2;
    } else if (sieve_result_error(res)) {
        char *why = xprintf("run-time error: %s", sieve_result_error(res));
        if (ts.in_block) {
            block_end(&ts, why);
        } else {
            ts.failed++;
            printf("FAIL %s: %s\n", file, why);
        }
        free(why);
        /* Like Pigeonhole, a run-time error of the file's own script ends
         * its run (RFC 5228 2.10.6): the blocks after it do not run. */
        printf("%s: the run stopped at this error; later blocks did not run\n", file);
    }
    block_end(&ts, "block not ended");
    sieve_session_free(&s);
    sieve_filter_unref(&f);
    printf("%s: %u passed, %u failed\n", file, ts.passed, ts.failed);
    total_passed += ts.passed;
    total_failed += ts.failed;
    if (status == 0 && ts.failed)
        status = 1;
out:
    sieve_filter_unref(&ts.nested);
    sieve_session_free(&ts.nested_session);
    sieve_store_memory_free(&ts.store);
    ptrvec_free(&ts.keep, free);
    ptrvec_free(&ts.folders, folder_free);
    ptrvec_free(&ts.outbox, mail_free);
    ptrvec_free(&ts.binaries, binary_free);
    errors_clear(&ts);
    free(ts.nested_header);
    free(ts.block_name);
    free(ts.block_reason);
    free(ts.nested_path);
    free(ts.dir);
    free(ts.inc_personal);
    free(ts.inc_global);
    free(ts.key_file);
    free(cache);
    free(main_so);
    rm_tree(tmp);
    return status;
}

/* ---- Command line ----------------------------------------------------------- */

static void usage(FILE *out)
{
    fputs("Usage: sieve-testsuite [OPTIONS] FILE.svtest...\n"
          "Compiles and runs Sieve test files (vnd.dovecot.testsuite) through the native\n"
          "pipeline, one run per file, and prints one line per test block.\n"
          "\n"
          "  -F            expect every test block to fail\n"
          "  -O LEVEL      optimisation level 0-3 (default 2)\n"
          "  -v            verbose: show compiler diagnostics\n"
          "  --include-dir-personal DIR, --include-dir-global DIR\n"
          "                where `include` finds scripts (RFC 6609); default for\n"
          "                DIR/NAME.svtest: DIR/NAME/ and DIR/NAME/global/ (scripts\n"
          "                compiled by test_script_compile: their own directory)\n"
          "      --no-store  remember no vacation replies or duplicate marks (by\n"
          "                default a memory store lasts for each file; Pigeonhole's\n"
          "                own suites expect none)\n"
          "  -h, --help    this help\n"
          "\n"
          "Exit status: 0 all blocks passed, 1 some failed or a file did not compile,\n"
          "2 usage or I/O error.\n", out);
}

int main(int argc, char **argv)
{
    options o = { .opt_level = 2 };
    static const struct option longopts[] = {
        { "help", no_argument, NULL, 'h' },
        { "include-dir-personal", required_argument, NULL, 'P' },
        { "include-dir-global", required_argument, NULL, 'G' },
        { "no-store", no_argument, NULL, 'S' },
        { NULL, 0, NULL, 0 },
    };
    int c;
    while ((c = getopt_long(argc, argv, "FO:vh", longopts, NULL)) != -1) {
        switch (c) {
        case 'F': o.expect_fail = true; break;
        case 'v': o.verbose = true; break;
        case 'P': o.inc_personal = optarg; break;
        case 'G': o.inc_global = optarg; break;
        case 'S': o.no_store = true; break;
        case 'O':
            if (optarg[0] < '0' || optarg[0] > '3' || optarg[1]) {
                fprintf(stderr, "sieve-testsuite: -O takes 0 to 3\n");
                return 2;
            }
            o.opt_level = (unsigned)(optarg[0] - '0');
            break;
        case 'h': usage(stdout); return 0;
        default: usage(stderr); return 2;
        }
    }
    if (optind >= argc) {
        usage(stderr);
        return 2;
    }
    int worst = 0;
    unsigned files_failed = 0;
    for (int i = optind; i < argc; i++) {
        if (access(argv[i], R_OK) != 0) {
            fprintf(stderr, "sieve-testsuite: %s: %s\n", argv[i], strerror(errno));
            worst = 2;
            continue;
        }
        int rc = run_file(&o, argv[i]);
        if (rc)
            files_failed++;
        if (rc > worst)
            worst = rc;
    }
    if (argc - optind > 1)
        printf("%u passed, %u failed (%d files, %u failed)\n", total_passed, total_failed,
               argc - optind, files_failed);
    return worst;
}
