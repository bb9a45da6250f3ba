/* mcore: see mcore.h. */
#define _GNU_SOURCE
#include "mcore.h"

#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include <unistd.h>

#include "dsn.h"
#include "fcache.h"
#include "hplan.h"
#include "mlog.h"
#include "mstore.h"
#include "outbox.h"
#include "rcpt.h"
#include "rpolicy.h"

/* Settings shared by the messages that started under them. */
typedef struct mc_conf {
    atomic_uint refs;
    mconf c;
} mc_conf;

struct mc_server {
    pthread_mutex_t mu;
    mc_conf *conf;
    fcache *cache;
    rpolicy *rp;
    atomic_uint inflight;
    int64_t (*now)(void);
    ms_shared *store;     /* vacation and duplicate memory (fixed at start) */
    ob_outbox *outbox;    /* replies and notifications of accepted mail */
    unsigned stop_timeout;
};

/* A recipient's class for the split policy: FIXED recipients cannot be
 * refused at end of message (no filter, decided at RCPT, or a filter with
 * no reject), so they mix with each other; a BODY recipient can only share
 * a transaction with the same recipient-independent filter. */
enum { CLS_FIXED = 1, CLS_BODY = 2 };

typedef struct mc_rcpt {
    char *addr;           /* as sent, without angle brackets */
    char *user;           /* canonical local@domain (or addr) for limits */
    sieve_filter *f;      /* NULL: no filter, keep */
    bool decided;         /* the filter has run */
    bool reject;
    char *reason;
    bool keep;            /* deliver to the default mailbox */
    char *keep_flags;     /* encoded imap4flags of keep, or NULL */
    char **folders;       /* encoded handoff header values */
    size_t nfolders;
    char **redirs;
    size_t nredirs;
    char *hdr;            /* final header block after editheader, or NULL */
    size_t hdrlen;
    size_t nadds;         /* addheader actions the run performed */
    ob_job *jobs;         /* replies and notifications, sent once accepted */
    ms_keys marks;        /* duplicate marks, recorded once accepted */
} mc_rcpt;

struct mc_conn {
    mc_server *srv;
    sieve_session *sess;
    char host[256];
    char ip[64];          /* "" when unknown */
    mc_conf *conf;        /* this message's settings */
    char *from;
    mc_rcpt *rcpts;
    size_t nrcpts, caprcpts;
    int cls;
    const sieve_filter *cls_filter;
    char *msg;
    size_t len, cap;
    bool too_big, in_body;
    unsigned nhandoff;    /* incoming handoff headers to strip */
    char qid[64];
    uint64_t eom_usec;
    ms_proxy sp;          /* the session's view of the store */
};

static int64_t real_now(void)
{
    return (int64_t)time(NULL);
}

static void conf_unref(mc_conf **c_r)
{
    mc_conf *c = *c_r;
    *c_r = NULL;
    if (c && atomic_fetch_sub(&c->refs, 1) == 1) {
        mconf_free(&c->c);
        free(c);
    }
}

static mc_conf *conf_new(const mconf *src)
{
    mc_conf *c = calloc(1, sizeof *c);
    if (!c)
        return NULL;
    atomic_init(&c->refs, 1);
    mconf_copy(&c->c, src);
    return c;
}

mc_server *mc_server_new(const mconf *conf, const sieve_load_options *lopt, char *err,
                         size_t errlen)
{
    mc_server *s = calloc(1, sizeof *s);
    if (!s || !(s->conf = conf_new(conf)) || !(s->cache = fcache_new(lopt, conf->cache_max)) ||
        !(s->rp = rpolicy_new(100000))) {
        snprintf(err, errlen, "out of memory");
        if (s) {
            conf_unref(&s->conf);
            fcache_free(&s->cache);
            free(s);
        }
        return NULL;
    }
    om_transport t;
    bool bad = om_parse(conf->reply_transport ? conf->reply_transport : "smtp:127.0.0.1:25",
                        conf->sendmail_command, &t, err, errlen) != 0;
    if (!bad && !(s->store = ms_new(conf->store, conf->store_unreachable == MCONF_STORE_SKIP))) {
        snprintf(err, errlen, "out of memory");
        bad = true;
    }
    if (!bad && !(s->outbox = ob_new(&t, s->store, conf->reply_queue_max))) {
        snprintf(err, errlen, "cannot start the outbox thread");
        bad = true;
    }
    if (bad) {
        ms_free(&s->store);
        conf_unref(&s->conf);
        fcache_free(&s->cache);
        rpolicy_free(&s->rp);
        free(s);
        return NULL;
    }
    s->stop_timeout = conf->stop_timeout;
    pthread_mutex_init(&s->mu, NULL);
    s->now = real_now;
    return s;
}

void mc_server_free(mc_server **s_r)
{
    mc_server *s = *s_r;
    if (!s)
        return;
    ob_free(&s->outbox, s->stop_timeout);
    ms_free(&s->store);
    conf_unref(&s->conf);
    fcache_free(&s->cache);
    rpolicy_free(&s->rp);
    pthread_mutex_destroy(&s->mu);
    free(s);
    *s_r = NULL;
}

void mc_server_reload(mc_server *s, const mconf *conf)
{
    mc_conf *n = conf_new(conf);
    if (!n)
        return;
    pthread_mutex_lock(&s->mu);
    mc_conf *old = s->conf;
    s->conf = n;
    pthread_mutex_unlock(&s->mu);
    conf_unref(&old);
    fcache_flush(s->cache);
}

void mc_server_drain_outbox(mc_server *s)
{
    ob_drain(s->outbox);
}

unsigned mc_server_inflight(mc_server *s)
{
    return atomic_load(&s->inflight);
}

void mc_server_set_clock(mc_server *s, int64_t (*now)(void))
{
    s->now = now ? now : real_now;
}

static mc_conf *server_conf(mc_server *s)
{
    pthread_mutex_lock(&s->mu);
    mc_conf *c = s->conf;
    atomic_fetch_add(&c->refs, 1);
    pthread_mutex_unlock(&s->mu);
    return c;
}

/* ---- per-message state --------------------------------------------- */

static void strv_free(char **v, size_t n)
{
    for (size_t i = 0; i < n; i++)
        free(v[i]);
    free(v);
}

static void rcpt_clear_decision(mc_rcpt *r)
{
    free(r->reason);
    free(r->keep_flags);
    strv_free(r->folders, r->nfolders);
    strv_free(r->redirs, r->nredirs);
    free(r->hdr);
    r->hdr = NULL;
    r->hdrlen = r->nadds = 0;
    while (r->jobs) {
        ob_job *j = r->jobs;
        r->jobs = j->next;
        ob_job_free(j);
    }
    ms_keys_clear(&r->marks);
    r->reason = r->keep_flags = NULL;
    r->folders = r->redirs = NULL;
    r->nfolders = r->nredirs = 0;
    r->reject = r->keep = false;
}

static void msg_reset(mc_conn *c)
{
    for (size_t i = 0; i < c->nrcpts; i++) {
        mc_rcpt *r = &c->rcpts[i];
        rcpt_clear_decision(r);
        free(r->addr);
        free(r->user);
        sieve_filter_unref(&r->f);
    }
    c->nrcpts = 0;
    free(c->from);
    c->from = NULL;
    c->cls = 0;
    c->cls_filter = NULL;
    c->len = 0;
    c->too_big = c->in_body = false;
    c->nhandoff = 0;
    c->qid[0] = '\0';
    ms_proxy_reset(&c->sp);
    conf_unref(&c->conf);
}

mc_conn *mc_connect(mc_server *s, const char *host, const char *ip)
{
    mc_conn *c = calloc(1, sizeof *c);
    if (!c)
        return NULL;
    c->srv = s;
    snprintf(c->host, sizeof c->host, "%s", host ? host : "");
    snprintf(c->ip, sizeof c->ip, "%s", ip ? ip : "");
    ms_proxy_init(&c->sp, s->store);
    atomic_fetch_add(&s->inflight, 1);
    return c;
}

void mc_close(mc_conn **c_r)
{
    mc_conn *c = *c_r;
    if (!c)
        return;
    msg_reset(c);
    free(c->rcpts);
    free(c->msg);
    sieve_session_free(&c->sess);
    atomic_fetch_sub(&c->srv->inflight, 1);
    free(c);
    *c_r = NULL;
}

uint64_t mc_conn_last_eom_usec(const mc_conn *c)
{
    return c->eom_usec;
}

mc_status mc_helo(mc_conn *c, const char *helo)
{
    (void)c;
    (void)helo;
    return MC_CONTINUE;
}

mc_status mc_abort(mc_conn *c)
{
    msg_reset(c);
    return MC_CONTINUE;
}

static const char *qid(mc_conn *c, const mc_io *io)
{
    if (!c->qid[0]) {
        const char *q = io && io->symval ? io->symval(io->h, "i") : NULL;
        if (q && *q)
            snprintf(c->qid, sizeof c->qid, "%s", q);
    }
    return c->qid[0] ? c->qid : "NOQUEUE";
}

static void set_reply(const mc_io *io, const char *rcode, const char *xcode, const char *reason,
                      const char *fallback)
{
    reply_text *t = malloc(sizeof *t);
    if (!t)
        return;
    reply_make(t, reason, fallback);
    if (io->setreply)
        io->setreply(io->h, rcode, xcode, t);
    free(t);
}

mc_status mc_envfrom(mc_conn *c, const mc_io *io, char **argv)
{
    (void)io;
    msg_reset(c);
    c->conf = server_conf(c->srv);
    char buf[1024];
    rcpt_strip_brackets(argv && argv[0] ? argv[0] : "", buf, sizeof buf);
    c->from = strdup(buf);
    if (!c->sess) {
        char me[256] = "";
        gethostname(me, sizeof me - 1);
        sieve_settings st = { .max_redirects = c->conf->c.max_redirects,
                              .subaddress_separators = c->conf->c.subaddress_separators,
                              .env_host = me[0] ? me : NULL,
                              .store = ms_configured(c->srv->store) ? &c->sp.iface : NULL };
        c->sess = sieve_session_new(&st);
    }
    if (!c->from || !c->sess) {
        set_reply(io, "451", "4.3.0", NULL, "Mail filter out of memory, try again later");
        return MC_TEMPFAIL;
    }
    return MC_CONTINUE;
}

/* ---- decisions --------------------------------------------------------- */

static bool has_action(const sieve_filter *f, uint32_t k1, uint32_t k2);
static bool can_edit_header(const sieve_filter *f);

/* A filter that may edit the header runs at end of message, on the real
 * header, even when it reads only the envelope. vacation and notify read
 * the header too (lists, Auto-Submitted, To/Cc, Message-ID: RFC 5230
 * 4.5-4.7, RFC 5436 2.7), so a filter with either is never decided at RCPT
 * either. */
static bool needs_message(const sieve_filter *f)
{
    return (sieve_filter_descriptor(f)->needs &
            (SIEVE_NEEDS_HEADERS | SIEVE_NEEDS_BODY | SIEVE_NEEDS_SIZE)) != 0 ||
           can_edit_header(f) || has_action(f, SIEVE_ACT_VACATION, SIEVE_ACT_NOTIFY);
}

static bool needs_body(const sieve_filter *f)
{
    return (sieve_filter_descriptor(f)->needs & (SIEVE_NEEDS_BODY | SIEVE_NEEDS_SIZE)) != 0;
}

static bool recipient_dependent(const sieve_filter *f)
{
    return (sieve_filter_descriptor(f)->flags & SIEVE_FLAG_RECIPIENT_DEPENDENT) != 0;
}

/* The same compiled code (content address), whichever path it came from:
 * it reaches the same verdict on the same message. */
static bool same_filter(const sieve_filter *a, const sieve_filter *b)
{
    return a == b || (a && b && !strcmp(sieve_filter_id(a), sieve_filter_id(b)));
}

/* Can the filter perform action k1 or k2 at all? Its program table lists
 * every action it may perform; no reject or ereject there means its verdict
 * is "accepted" whatever the message, so it splits nothing. The table was
 * validated by the loader. */
static bool has_action(const sieve_filter *f, uint32_t k1, uint32_t k2)
{
    const sieve_abi_descriptor *d = sieve_filter_descriptor(f);
    const uint32_t *m = d->meta;
    uint32_t off = m[SIEVE_META_ACTIONS], n = m[SIEVE_META_NACTIONS];
    for (uint32_t i = 0; i < n; i++) {
        uint32_t k = m[off + i * SIEVE_ACTION_WORDS + SIEVE_AR_KIND];
        if (k == k1 || k == k2)
            return true;
    }
    return false;
}

static bool can_reject(const sieve_filter *f)
{
    return has_action(f, SIEVE_ACT_REJECT, SIEVE_ACT_EREJECT);
}

/* Header edits are part of a verdict too: a message carries one header. */
static bool can_edit_header(const sieve_filter *f)
{
    return has_action(f, SIEVE_ACT_ADDHEADER, SIEVE_ACT_DELETEHEADER);
}

/* Handoff text: bytes outside printable ASCII and the separators of the
 * header's own syntax become %XX, so any UTF-8 folder name round-trips. */
static char *enc(const char *s)
{
    static const char hex[] = "0123456789ABCDEF";
    size_t n = strlen(s);
    char *o = malloc(3 * n + 1), *q = o;
    if (!o)
        return NULL;
    for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
        if (*p <= 0x20 || *p >= 0x7f || *p == '%' || *p == ';' || *p == '=' || *p == '"' ||
            *p == '\\' || *p == '<' || *p == '>') {
            *q++ = '%';
            *q++ = hex[*p >> 4];
            *q++ = hex[*p & 15];
        } else
            *q++ = (char)*p;
    }
    *q = '\0';
    return o;
}

static char *enc_flags(const sieve_action *a)
{
    if (!a->flags || !a->nflags)
        return NULL;
    size_t n = 1;
    for (size_t i = 0; i < a->nflags; i++)
        n += strlen(a->flags[i]) + 1;
    char *joined = malloc(n), *q = joined;
    if (!joined)
        return NULL;
    for (size_t i = 0; i < a->nflags; i++) {
        size_t l = strlen(a->flags[i]);
        if (i)
            *q++ = ' ';
        memcpy(q, a->flags[i], l);
        q += l;
    }
    *q = '\0';
    char *e = enc(joined);
    free(joined);
    return e;
}

static int push(char ***v, size_t *n, char *s)
{
    if (!s)
        return -1;
    char **nv = realloc(*v, (*n + 1) * sizeof **v);
    if (!nv) {
        free(s);
        return -1;
    }
    nv[(*n)++] = s;
    *v = nv;
    return 0;
}

/* A vacation reply or a notification: composed now (the action lives only
 * as long as the result) and queued on r; sent by send_outgoing once the
 * message is accepted for r. */
static void plan_outgoing(mc_conn *c, const mc_io *io, mc_rcpt *r, const sieve_action *a)
{
    const char *kind = a->kind == SIEVE_ACT_VACATION ? "vacation reply" : "notification";
    if (a->suppressed) {
        /* RFC 5230 4.5-4.7, RFC 5436 2.7: lists, bulk, automatic mail, own
         * mail, already replied. */
        mlog(LOG_INFO, "queue=%s rcpt=<%s> %s not sent (%s)", qid(c, io), r->addr, kind,
             a->suppressed);
        return;
    }
    sieve_envelope env = { .mail_from = c->from, .rcpt_to = r->addr };
    char rcpts[2048], from[1024];
    char *msg = NULL;
    size_t len = 0;
    ob_job *j = calloc(1, sizeof *j);
    if (!j || sieve_action_message(a, &env, c->srv->now(), &msg, &len, rcpts, sizeof rcpts,
                                   from, sizeof from) != 0 ||
        !(j->from = strdup(from)) || !(j->rcpts = strdup(rcpts))) {
        mlog(LOG_ERR, "queue=%s rcpt=<%s> %s not composed (out of memory or no recipient)",
             qid(c, io), r->addr, kind);
        free(msg);
        ob_job_free(j);
        return;
    }
    j->msg = msg;
    j->len = len;
    snprintf(j->what, sizeof j->what, "%s for <%.120s>", kind, r->addr);
    if (a->kind == SIEVE_ACT_VACATION && a->store_keylen && a->store_keylen <= SIEVE_STORE_KEY_MAX) {
        memcpy(j->key.key, a->store_key, a->store_keylen);
        j->key.keylen = a->store_keylen;
        j->key.expires = a->store_expires;
    }
    ob_job **tail = &r->jobs;
    while (*tail)
        tail = &(*tail)->next;
    *tail = j;
}

/* The message was accepted: each recipient that did not refuse it gets its
 * duplicate marks recorded and its replies and notifications queued. Under
 * store_unreachable = skip, a session whose store failed sends nothing. */
static void send_outgoing(mc_conn *c, const char *q)
{
    for (size_t i = 0; i < c->nrcpts; i++) {
        mc_rcpt *r = &c->rcpts[i];
        if (r->reject)
            continue;
        char err[512];
        for (size_t k = 0; k < r->marks.n; k++)
            if (ms_record(c->srv->store, &r->marks.v[k], err, sizeof err) != 0)
                mlog(LOG_ERR, "queue=%s rcpt=<%s> duplicate mark not recorded (store: %s)", q,
                     r->addr, err);
        while (r->jobs) {
            ob_job *j = r->jobs;
            r->jobs = j->next;
            if (c->sp.failed) {
                mlog(LOG_WARNING, "queue=%s rcpt=<%s> %s skipped: store unreachable (%s)", q,
                     r->addr, j->what, c->sp.err);
                ob_job_free(j);
                continue;
            }
            snprintf(j->qid, sizeof j->qid, "%s", q);
            ob_push(c->srv->outbox, j);
        }
    }
}

/* store_unreachable = tempfail: a run that could not read the store is
 * refused for now, so that nobody gets a reply twice or none at all. */
static bool store_tempfail(mc_conn *c, const mc_io *io, const char *addr)
{
    if (!c->sp.failed || ms_skip_policy(c->srv->store))
        return false;
    mlog(LOG_ERR, "queue=%s rcpt=<%s> decision=tempfail (store unreachable: %s)", qid(c, io),
         addr, c->sp.err);
    set_reply(io, "451", "4.3.0", NULL, "Mail filter state unavailable, try again later");
    return true;
}

/* Copies what the milter acts on from a result into r (the result is only
 * valid until the session's next run). Applies the redirect policy. */
static void take_result(mc_conn *c, const mc_io *io, mc_rcpt *r, const sieve_result *res)
{
    const mconf *cf = &c->conf->c;
    rcpt_clear_decision(r);
    r->decided = true;
    const char *e = sieve_result_error(res);
    if (e)
        mlog(LOG_WARNING, "queue=%s rcpt=<%s> run-time error, keeping the message: %s",
             qid(c, io), r->addr, e);
    size_t n = sieve_result_count(res);
    for (size_t i = 0; i < n; i++) {
        const sieve_action *a = sieve_result_action(res, i);
        switch (a->kind) {
        case SIEVE_ACT_KEEP:
            r->keep = true;
            if (!r->keep_flags)
                r->keep_flags = enc_flags(a);
            break;
        case SIEVE_ACT_FILEINTO: {
            char *mb = enc(a->mailbox ? a->mailbox : "INBOX");
            char *fl = enc_flags(a);
            char *v = NULL;
            if (mb && asprintf(&v, "%s; mailbox=%s%s%s%s", r->addr, mb, fl ? "; flags=" : "",
                               fl ? fl : "", a->create ? "; create" : "") < 0)
                v = NULL;
            free(mb);
            free(fl);
            if (push(&r->folders, &r->nfolders, v) != 0)
                r->keep = true;   /* out of memory: never lose the message */
            break;
        }
        case SIEVE_ACT_REDIRECT: {
            const char *t = a->address ? a->address : "";
            if (a->list) {
                /* RFC 6134 redirect :list: the address is a list name the
                 * milter cannot expand; never send to it, keep instead. */
                mlog(LOG_NOTICE, "queue=%s rcpt=<%s> redirect :list at line %u not performed "
                     "by the milter%s", qid(c, io), r->addr, a->line, a->copy ? "" : ", keeping");
                if (!a->copy)
                    r->keep = true;
                break;
            }
            bool dom = rpolicy_domain_allowed(t, cf->redirect_domains, cf->nredirect_domains);
            bool rate = dom && rpolicy_take(c->srv->rp, r->user, cf->redirect_rate, c->srv->now());
            if (!dom || !rate) {
                /* A refused redirect must not lose the message: it is kept
                 * for the recipient instead (unless :copy kept it anyway). */
                mlog(LOG_NOTICE, "queue=%s rcpt=<%s> redirect to <%s> refused by policy (%s)%s",
                     qid(c, io), r->addr, t, dom ? "rate limit" : "domain not allowed",
                     a->copy ? "" : ", keeping");
                if (!a->copy)
                    r->keep = true;
                break;
            }
            char *v = strdup(t);
            if (push(&r->redirs, &r->nredirs, v) != 0)
                r->keep = true;
            else if (a->copy)
                r->keep = true;
            break;
        }
        case SIEVE_ACT_DISCARD:
            break;
        case SIEVE_ACT_ADDHEADER:
            r->nadds++;
            break;
        case SIEVE_ACT_DELETEHEADER:
            break;
        case SIEVE_ACT_REJECT:
        case SIEVE_ACT_EREJECT:
            r->reject = true;
            free(r->reason);
            r->reason = a->reason ? strdup(a->reason) : NULL;
            break;
        case SIEVE_ACT_VACATION:
        case SIEVE_ACT_NOTIFY:
            plan_outgoing(c, io, r, a);
            break;
        default:
            break;
        }
    }
    if (r->reject) {
        /* RFC 5429 2.1: reject cancels the implicit keep and cannot be
         * combined with delivery; the protocol refusal is all that happens. */
        r->keep = false;
    } else if (!e && ms_configured(c->srv->store)) {
        /* What the run would record, kept until the message is accepted:
         * the duplicate marks now, the vacation keys with their replies
         * (recorded by the outbox once sent). */
        if (ms_capture(&r->marks, res, c->srv->now()) != 0)
            mlog(LOG_WARNING, "queue=%s rcpt=<%s> duplicate marks not kept (out of memory)",
                 qid(c, io), r->addr);
        for (ob_job *j = r->jobs; j; j = j->next)
            if (j->key.keylen)
                ms_keys_remove(&r->marks, j->key.key, j->key.keylen);
    }
    /* The header the run ended with (applied at end of message if every
     * delivered recipient agrees). */
    size_t hl = 0;
    const char *h = sieve_result_header(res, &hl);
    if (h && !r->reject) {
        if ((r->hdr = malloc(hl ? hl : 1)) != NULL) {
            memcpy(r->hdr, h, hl);
            r->hdrlen = hl;
        } else
            mlog(LOG_ERR, "queue=%s rcpt=<%s> header edits lost: out of memory", qid(c, io),
                 r->addr);
    }
}

static mc_status infra_error(mc_conn *c, const mc_io *io, const char *addr, const char *why)
{
    if (c->conf->c.infra == MCONF_INFRA_ACCEPT) {
        mlog(LOG_ERR, "queue=%s rcpt=<%s> decision=accept (filter unavailable: %s)", qid(c, io),
             addr, why);
        return MC_CONTINUE;
    }
    mlog(LOG_ERR, "queue=%s rcpt=<%s> decision=tempfail (filter unavailable: %s)", qid(c, io),
         addr, why);
    set_reply(io, "451", "4.3.0", NULL, "Mail filter temporarily unavailable, try again later");
    return MC_TEMPFAIL;
}

/* Finds the recipient's filter: FCACHE_MISSING means no script at all. */
static fcache_status find_filter(mc_conn *c, const mc_io *io, const char *addr,
                                 const rcpt_user *u, bool canon, sieve_filter **f_r, char *err,
                                 size_t errlen)
{
    const mconf *cf = &c->conf->c;
    *f_r = NULL;
    if (canon) {
        char path[4096];
        if (rcpt_script_path(cf->script_layout, u, path, sizeof path) != 0) {
            snprintf(err, errlen, "script path for this recipient too long");
            return FCACHE_BROKEN;
        }
        fcache_status st = fcache_get(c->srv->cache, path, f_r, err, errlen);
        if (st != FCACHE_MISSING)
            return st;
    }
    if (!cf->default_script)
        return FCACHE_MISSING;
    fcache_status st = fcache_get(c->srv->cache, cf->default_script, f_r, err, errlen);
    if (st == FCACHE_MISSING)
        mlog(LOG_WARNING, "queue=%s rcpt=<%s> default script %s missing", qid(c, io), addr,
             cf->default_script);
    return st;
}

mc_status mc_envrcpt(mc_conn *c, const mc_io *io, char **argv)
{
    if (!c->conf)
        return MC_CONTINUE;   /* no MAIL FROM seen: nothing to decide */
    const mconf *cf = &c->conf->c;
    char addr[1024], err[600];
    rcpt_strip_brackets(argv && argv[0] ? argv[0] : "", addr, sizeof addr);
    rcpt_user u;
    bool canon = rcpt_canonical(addr, strlen(addr), cf->subaddress_separators, &u, err,
                                sizeof err) == 0;
    if (!canon)
        mlog(LOG_INFO, "queue=%s rcpt=<%s> no script of its own: %s", qid(c, io), addr, err);
    sieve_filter *f = NULL;
    fcache_status st = find_filter(c, io, addr, &u, canon, &f, err, sizeof err);
    if (st == FCACHE_BROKEN) {
        mc_status rs = infra_error(c, io, addr, err);
        if (rs != MC_CONTINUE)
            return rs;
    }
    if (c->nrcpts == c->caprcpts) {
        size_t nc = c->caprcpts ? 2 * c->caprcpts : 8;
        mc_rcpt *n = realloc(c->rcpts, nc * sizeof *n);
        if (!n) {
            sieve_filter_unref(&f);
            set_reply(io, "452", "4.3.1", NULL, "Mail filter out of memory, try again later");
            return MC_TEMPFAIL;
        }
        c->rcpts = n;
        c->caprcpts = nc;
    }
    mc_rcpt *r = &c->rcpts[c->nrcpts];
    memset(r, 0, sizeof *r);
    r->addr = strdup(addr);
    char ubuf[RCPT_LOCAL_MAX + RCPT_DOMAIN_MAX + 2];
    if (canon)
        snprintf(ubuf, sizeof ubuf, "%s@%s", u.local, u.domain);
    r->user = strdup(canon ? ubuf : addr);
    r->f = f;
    if (!r->addr || !r->user) {
        free(r->addr);
        free(r->user);
        sieve_filter_unref(&r->f);
        set_reply(io, "452", "4.3.1", NULL, "Mail filter out of memory, try again later");
        return MC_TEMPFAIL;
    }
    int cls = CLS_FIXED;
    if (f && !needs_message(f)) {
        /* Envelope only: decide now, with an exact per-recipient reply. */
        sieve_envelope env = { .mail_from = c->from, .rcpt_to = r->addr,
                               .remote_host = c->host[0] ? c->host : NULL,
                               .remote_ip = c->ip[0] ? c->ip : NULL };
        const sieve_result *res;
        if (sieve_run(c->sess, f, "", 0, &env, &res, err, sizeof err) != 0) {
            mc_status rs = infra_error(c, io, addr, err);
            if (rs != MC_CONTINUE) {
                free(r->addr);
                free(r->user);
                sieve_filter_unref(&r->f);
                return rs;
            }
            r->keep = true;
            r->decided = true;
        } else if (store_tempfail(c, io, addr)) {
            ms_proxy_reset(&c->sp);   /* the next recipient may not need it */
            free(r->addr);
            free(r->user);
            sieve_filter_unref(&r->f);
            return MC_TEMPFAIL;
        } else
            take_result(c, io, r, res);
        if (r->reject) {
            mlog(LOG_INFO, "queue=%s rcpt=<%s> decision=reject at RCPT (filter %.12s)",
                 qid(c, io), addr, sieve_filter_id(f));
            set_reply(io, "550", "5.7.1", r->reason, "Rejected by the recipient's filter");
            rcpt_clear_decision(r);
            free(r->addr);
            free(r->user);
            sieve_filter_unref(&r->f);
            return MC_REJECT;
        }
    } else if (f && (can_reject(f) || can_edit_header(f)))
        cls = CLS_BODY;
    if (cf->multi == MCONF_SPLIT && c->nrcpts > 0) {
        bool same = cls == c->cls &&
                    (cls == CLS_FIXED ||
                     (same_filter(f, c->cls_filter) && !recipient_dependent(f)));
        if (!same) {
            mlog(LOG_INFO, "queue=%s rcpt=<%s> decision=defer (split: filter differs from the "
                 "first recipient's)", qid(c, io), addr);
            set_reply(io, "452", "4.5.3", NULL,
                      "Too many recipients with different filters, send again for this one");
            rcpt_clear_decision(r);
            free(r->addr);
            free(r->user);
            sieve_filter_unref(&r->f);
            return MC_TEMPFAIL;
        }
    }
    if (c->nrcpts == 0) {
        c->cls = cls;
        c->cls_filter = f;
    }
    c->nrcpts++;
    return MC_CONTINUE;
}

/* ---- the message --------------------------------------------------------- */

static bool any_pending(mc_conn *c, bool (*need)(const sieve_filter *))
{
    for (size_t i = 0; i < c->nrcpts; i++)
        if (c->rcpts[i].f && !c->rcpts[i].decided && need(c->rcpts[i].f))
            return true;
    return false;
}

static void append(mc_conn *c, const void *p, size_t n)
{
    if (c->too_big || !c->conf)
        return;
    if (c->len + n > c->conf->c.max_message_bytes) {
        c->too_big = true;
        return;
    }
    if (c->len + n > c->cap) {
        size_t nc = c->cap ? c->cap : 16384;
        while (nc < c->len + n)
            nc *= 2;
        char *m = realloc(c->msg, nc);
        if (!m) {
            c->too_big = true;
            return;
        }
        c->msg = m;
        c->cap = nc;
    }
    memcpy(c->msg + c->len, p, n);
    c->len += n;
}

mc_status mc_header(mc_conn *c, const mc_io *io, const char *name, const char *value)
{
    (void)io;
    if (!c->conf)
        return MC_CONTINUE;
    if (!strcasecmp(name, c->conf->c.fileinto_header))
        c->nhandoff++;   /* forged by the sender: removed at end of message */
    if (!any_pending(c, needs_message))
        return MC_CONTINUE;
    append(c, name, strlen(name));
    append(c, ": ", 2);
    /* libmilter hands folded values with bare LF line ends. */
    for (const char *p = value; *p; p++) {
        if (*p == '\n' && (p == value || p[-1] != '\r'))
            append(c, "\r", 1);
        append(c, p, 1);
    }
    append(c, "\r\n", 2);
    return MC_CONTINUE;
}

mc_status mc_eoh(mc_conn *c, const mc_io *io)
{
    (void)io;
    if (c->conf && any_pending(c, needs_message))
        append(c, "\r\n", 2);
    return MC_CONTINUE;
}

mc_status mc_body(mc_conn *c, const mc_io *io, const unsigned char *p, size_t n)
{
    (void)io;
    if (!c->conf || !any_pending(c, needs_body))
        return MC_SKIP;   /* nobody reads the body: do not buffer it */
    c->in_body = true;
    append(c, p, n);
    return MC_CONTINUE;
}

static uint64_t usec_now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000000u + (uint64_t)ts.tv_nsec / 1000u;
}

/* accept-mixed with mixed_refusal_notice = dsn: the sender learns which
 * recipients refused (never to the null sender: no DSN about a DSN). */
static void notify_refusals(mc_conn *c, const char *q, size_t nrej)
{
    if (!c->from || !*c->from) {
        mlog(LOG_NOTICE, "queue=%s no DSN for the refusals: null sender", q);
        return;
    }
    dsn_refusal *r = calloc(nrej, sizeof *r);
    if (!r)
        return;
    size_t k = 0;
    for (size_t i = 0; i < c->nrcpts && k < nrej; i++)
        if (c->rcpts[i].reject)
            r[k++] = (dsn_refusal){ c->rcpts[i].addr, c->rcpts[i].reason };
    char host[256] = "localhost", err[512];
    gethostname(host, sizeof host - 1);
    char *text = dsn_build(host, c->from, q, r, k);
    free(r);
    if (!text || dsn_submit(c->conf->c.sendmail_command, c->from, text, err, sizeof err) != 0)
        mlog(LOG_ERR, "queue=%s DSN to <%s> not sent: %s", q, c->from,
             text ? err : "out of memory");
    else
        mlog(LOG_INFO, "queue=%s DSN for %zu refused recipient(s) sent to <%s>", q, k, c->from);
    free(text);
}

/* ---- editheader ------------------------------------------------------------ */

static bool delivered(const mc_rcpt *r)
{
    return !r->reject && (r->keep || r->nfolders || r->nredirs);
}

static void edits_skipped(mc_conn *c, const char *q, const char *why)
{
    for (size_t i = 0; i < c->nrcpts; i++)
        if (delivered(&c->rcpts[i]))
            mlog(LOG_NOTICE, "queue=%s rcpt=<%s> header edits skipped: %s", q,
                 c->rcpts[i].addr, why);
}

/* editheader (RFC 5293): one message goes to every delivered recipient, so
 * its header can change only when all of them end with the same header.
 * The final header blocks are compared, not the edit lists: different
 * scripts may reach the same header (a deleteheader that matches nothing,
 * one field added by two scripts' different code paths), and the block is
 * exactly what would be delivered. Recipients without a script, unfiltered
 * ones and scripts without edits end with the original header. The change
 * is then replayed through the MTA (hplan.h): deletions first, from the
 * last field up, so the occurrence numbers of the fields still to delete do
 * not move; then the new fields on top (inserted at index 0, the last one
 * first) and at the bottom (appended). Received fields are never deleted,
 * a field named like the fileinto handoff header never added. */
static void apply_header_edits(mc_conn *c, const mc_io *io, const char *q)
{
    const mc_rcpt *first = NULL;
    size_t nadds = 0;
    bool any = false;
    for (size_t i = 0; i < c->nrcpts; i++) {
        const mc_rcpt *r = &c->rcpts[i];
        if (!delivered(r))
            continue;
        if (!first)
            first = r;
        any |= r->hdr != NULL;
        if (r->nadds > nadds)
            nadds = r->nadds;
    }
    if (!any)
        return;
    hp_field *of = NULL;
    long no = hp_fields(c->msg ? c->msg : "", c->msg ? c->len : 0, &of, HP_MAX_FIELDS);
    size_t olen = no > 0 ? (size_t)(of[no - 1].p + of[no - 1].len - c->msg) : 0;
    free(of);
    if (no < 0) {
        edits_skipped(c, q, "the message header has too many fields");
        return;
    }
    const char *fin = first->hdr ? first->hdr : c->msg;
    size_t flen = first->hdr ? first->hdrlen : olen;
    for (size_t i = 0; i < c->nrcpts; i++) {
        const mc_rcpt *r = &c->rcpts[i];
        if (!delivered(r))
            continue;
        const char *h = r->hdr ? r->hdr : c->msg;
        size_t hl = r->hdr ? r->hdrlen : olen;
        if (hl != flen || (hl && memcmp(h, fin, hl) != 0)) {
            edits_skipped(c, q, "recipients disagree");
            return;
        }
    }
    hp_plan p;
    if (hp_plan_make(c->msg ? c->msg : "", olen, fin, flen, nadds, &p) != 0) {
        edits_skipped(c, q, "the edited header does not follow from the original");
        return;
    }
    const char *hf = c->conf->c.fileinto_header;
    size_t nnew = p.ntop + p.nbottom;
    char (*names)[HP_NAME_MAX + 1] = NULL;
    char **values = calloc(nnew ? nnew : 1, sizeof *values);
    const char *why = NULL;
    if (!values || !(names = calloc(nnew ? nnew : 1, sizeof *names)))
        why = "out of memory";
    for (size_t j = 0; !why && j < p.norig; j++)
        if (p.deleted[j] && (hp_is(&p.orig[j], "Received") || !p.orig[j].namelen ||
                             p.orig[j].namelen > HP_NAME_MAX))
            why = "a Received field or an unnamed field would be deleted";
    for (size_t k = 0; !why && k < nnew; k++) {
        size_t y = k < p.ntop ? k : p.nfin - p.nbottom + (k - p.ntop);
        if (hp_split(&p.fin[y], names[k], sizeof names[k], &values[k]) != 0)
            why = "a new field is not safe for SMTP";
        else if (!strcasecmp(names[k], hf))
            why = "a new field has the fileinto handoff header's name";
    }
    if (!why) {
        char name[HP_NAME_MAX + 1];
        for (size_t j = p.norig; j-- > 0;) {
            if (!p.deleted[j] || hp_is(&p.orig[j], hf))
                continue;   /* handoff fields in the message are stripped anyway */
            memcpy(name, p.orig[j].p, p.orig[j].namelen);
            name[p.orig[j].namelen] = '\0';
            io->chgheader(io->h, name, hp_occurrence(&p, j), NULL);
        }
        for (size_t k = p.ntop; k-- > 0;)
            io->insheader(io->h, 0, names[k], values[k]);
        for (size_t k = p.ntop; k < nnew; k++)
            io->addheader(io->h, names[k], values[k]);
        for (size_t i = 0; (nnew || p.ndeleted) && i < c->nrcpts; i++)
            if (delivered(&c->rcpts[i]))
                mlog(LOG_INFO, "queue=%s rcpt=<%s> header edits applied (%zu added, %zu "
                     "deleted)", q, c->rcpts[i].addr, nnew, p.ndeleted);
    } else
        edits_skipped(c, q, why);
    for (size_t k = 0; values && k < nnew; k++)
        free(values[k]);
    free(values);
    free(names);
    hp_plan_free(&p);
}

static mc_status eom(mc_conn *c, const mc_io *io)
{
    const mconf *cf = &c->conf->c;
    const char *q = qid(c, io);
    /* Handoff headers in incoming mail are forgeries: strip them all, from
     * the last, so the indexes of the others do not move. */
    for (unsigned i = c->nhandoff; i >= 1; i--)
        if (io->chgheader)
            io->chgheader(io->h, cf->fileinto_header, (int)i, NULL);
    char err[600];
    for (size_t i = 0; i < c->nrcpts; i++) {
        mc_rcpt *r = &c->rcpts[i];
        if (r->decided)
            continue;
        if (!r->f) {
            r->keep = true;
            r->decided = true;
            continue;
        }
        if (c->too_big) {
            mlog(LOG_WARNING, "queue=%s rcpt=<%s> message over max_message_bytes, kept "
                 "unfiltered", q, r->addr);
            r->keep = true;
            r->decided = true;
            continue;
        }
        sieve_envelope env = { .mail_from = c->from, .rcpt_to = r->addr,
                               .remote_host = c->host[0] ? c->host : NULL,
                               .remote_ip = c->ip[0] ? c->ip : NULL };
        const sieve_result *res;
        if (sieve_run(c->sess, r->f, c->msg ? c->msg : "", c->len, &env, &res, err,
                      sizeof err) != 0) {
            if (cf->infra == MCONF_INFRA_TEMPFAIL) {
                mlog(LOG_ERR, "queue=%s rcpt=<%s> decision=tempfail (%s)", q, r->addr, err);
                set_reply(io, "451", "4.3.0", NULL,
                          "Mail filter temporarily unavailable, try again later");
                return MC_TEMPFAIL;
            }
            r->keep = true;
            r->decided = true;
            continue;
        }
        if (store_tempfail(c, io, r->addr))
            return MC_TEMPFAIL;
        /* Recipients with the same recipient-independent filter share the
         * run. */
        bool dep = recipient_dependent(r->f);
        for (size_t j = i; j < c->nrcpts; j++) {
            mc_rcpt *o = &c->rcpts[j];
            if (j == i || (!dep && !o->decided && o->f && same_filter(o->f, r->f)))
                take_result(c, io, o, res);
        }
    }
    size_t nrej = 0;
    const char *reason = NULL;
    for (size_t i = 0; i < c->nrcpts; i++)
        if (c->rcpts[i].reject) {
            if (!nrej)
                reason = c->rcpts[i].reason;
            nrej++;
        }
    if (nrej && nrej == c->nrcpts) {
        for (size_t i = 0; i < c->nrcpts; i++)
            mlog(LOG_INFO, "queue=%s rcpt=<%s> decision=reject after DATA", q, c->rcpts[i].addr);
        set_reply(io, "550", "5.7.1", reason, "Rejected by the recipient's filter");
        return MC_REJECT;
    }
    if (nrej && cf->notice == MCONF_NOTICE_DSN)
        notify_refusals(c, q, nrej);
    apply_header_edits(c, io, q);
    size_t remaining = 0;
    for (size_t i = 0; i < c->nrcpts; i++) {
        mc_rcpt *r = &c->rcpts[i];
        if (r->reject) {
            /* Mixed verdicts (accept-mixed, or split switched off by a
             * reload): the refusing recipient is removed, and logged. */
            io->delrcpt(io->h, r->addr);
            mlog(LOG_NOTICE, "queue=%s rcpt=<%s> decision=reject-mixed (removed; message "
                 "accepted for the others)", q, r->addr);
            continue;
        }
        for (size_t k = 0; k < r->nredirs; k++) {
            char br[1100];
            snprintf(br, sizeof br, "<%s>", r->redirs[k]);
            io->addrcpt(io->h, br);
            remaining++;
            mlog(LOG_INFO, "queue=%s rcpt=<%s> decision=redirect to <%s>", q, r->addr,
                 r->redirs[k]);
        }
        if (r->nfolders) {
            if (r->keep) {
                char *v = NULL;
                if (asprintf(&v, "%s; mailbox=INBOX%s%s", r->addr, r->keep_flags ? "; flags=" : "",
                             r->keep_flags ? r->keep_flags : "") >= 0) {
                    io->insheader(io->h, 0, cf->fileinto_header, v);
                    free(v);
                }
            }
            for (size_t k = 0; k < r->nfolders; k++) {
                io->insheader(io->h, 0, cf->fileinto_header, r->folders[k]);
                mlog(LOG_INFO, "queue=%s rcpt=<%s> decision=fileinto (%s)", q, r->addr,
                     r->folders[k]);
            }
        } else if (r->keep && r->keep_flags) {
            char *v = NULL;
            if (asprintf(&v, "%s; mailbox=INBOX; flags=%s", r->addr, r->keep_flags) >= 0) {
                io->insheader(io->h, 0, cf->fileinto_header, v);
                free(v);
            }
        }
        if (r->keep || r->nfolders) {
            remaining++;
            if (!r->nfolders)
                mlog(LOG_INFO, "queue=%s rcpt=<%s> decision=keep", q, r->addr);
        } else {
            io->delrcpt(io->h, r->addr);
            if (!r->nredirs)
                mlog(LOG_INFO, "queue=%s rcpt=<%s> decision=discard", q, r->addr);
        }
    }
    send_outgoing(c, q);
    if (remaining == 0) {
        mlog(LOG_INFO, "queue=%s decision=discard (no recipient left)", q);
        return MC_DISCARD;
    }
    return MC_CONTINUE;
}

mc_status mc_eom(mc_conn *c, const mc_io *io)
{
    if (!c->conf)
        return MC_CONTINUE;
    uint64_t t0 = usec_now();
    mc_status st = eom(c, io);
    c->eom_usec = usec_now() - t0;
    msg_reset(c);
    return st;
}
