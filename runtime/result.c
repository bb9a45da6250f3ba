/* result: see result.h. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "result.h"
#include "sieve/store.h"

struct sieve_result {
    sieve_action *v;
    size_t n, cap;
    unsigned max_actions, max_redirects;
    unsigned nredirects;
    unsigned nedits;           /* addheader/deleteheader records */
    bool keep_cancelled;
    bool failed;
    char error[RT_RESULT_ERROR_MAX];
    rt_result_mark marks[RT_RESULT_MAX_MARKS];  /* duplicate (RFC 7352) */
    size_t nmarks;
    const char *header;        /* editheader: the edited header block */
    size_t header_len;
};

sieve_result *rt_result_new(unsigned max_actions, unsigned max_redirects)
{
    sieve_result *r = calloc(1, sizeof *r);
    if (!r)
        return NULL;
    /* The array below holds max_actions entries: a huge setting is a
     * mistake, not a reason to reserve gigabytes. */
    if (max_actions > RT_RESULT_MAX_ACTIONS)
        max_actions = RT_RESULT_MAX_ACTIONS;
    r->max_actions = max_actions ? max_actions : 32;
    r->max_redirects = max_redirects ? max_redirects : 4;
    /* Room for every action the limit allows plus the implicit keep: the
     * array never grows, so a run never calls malloc for it. */
    r->cap = (size_t)r->max_actions + 1 + RT_RESULT_MAX_EDITS;
    r->v = calloc(r->cap, sizeof *r->v);
    if (!r->v) {
        free(r);
        return NULL;
    }
    return r;
}

void rt_result_free(sieve_result **r_r)
{
    sieve_result *r = *r_r;
    if (!r)
        return;
    free(r->v);
    free(r);
    *r_r = NULL;
}

void rt_result_reset(sieve_result *r)
{
    r->n = 0;
    r->nredirects = 0;
    r->nedits = 0;
    r->keep_cancelled = false;
    r->failed = false;
    r->error[0] = '\0';
    r->nmarks = 0;
    r->header = NULL;
    r->header_len = 0;
}

static bool is_inbox(const char *m)
{
    return m && strcasecmp(m, "INBOX") == 0;
}

static bool is_store(const sieve_action *a)
{
    return a->kind == SIEVE_ACT_KEEP || a->kind == SIEVE_ACT_FILEINTO;
}

/* The mailbox a store delivers into; keep is INBOX. */
static const char *store_mailbox(const sieve_action *a)
{
    return a->kind == SIEVE_ACT_KEEP || !a->mailbox ? "INBOX" : a->mailbox;
}

static bool same_mailbox(const char *x, const char *y)
{
    if (is_inbox(x) && is_inbox(y))
        return true;
    return strcmp(x, y) == 0;
}

/* RFC 5321 2.4: the local part is case-sensitive, the domain is not. */
static bool same_address(const char *x, const char *y)
{
    const char *ax = strrchr(x, '@'), *ay = strrchr(y, '@');
    if (!ax || !ay)
        return strcmp(x, y) == 0;
    if (ax - x != ay - y || memcmp(x, y, (size_t)(ax - x)) != 0)
        return false;
    return strcasecmp(ax, ay) == 0;
}

static bool is_duplicate(const sieve_result *r, const sieve_action *act)
{
    for (size_t i = 0; i < r->n; i++) {
        const sieve_action *o = &r->v[i];
        if (is_store(act) && is_store(o) && same_mailbox(store_mailbox(o), store_mailbox(act)))
            return true;
        if (act->kind == SIEVE_ACT_REDIRECT && o->kind == SIEVE_ACT_REDIRECT &&
            same_address(o->address, act->address))
            return true;
        if (act->kind == SIEVE_ACT_DISCARD && o->kind == SIEVE_ACT_DISCARD)
            return true;
        if (act->kind == SIEVE_ACT_NOTIFY && o->kind == SIEVE_ACT_NOTIFY && rt_notify_same(o, act))
            return true;
    }
    return false;
}

static bool delivers(const sieve_action *a)
{
    return is_store(a) || a->kind == SIEVE_ACT_REDIRECT;
}

static bool is_reject(const sieve_action *a)
{
    return a->kind == SIEVE_ACT_REJECT || a->kind == SIEVE_ACT_EREJECT;
}

static const char *kind_name(const sieve_action *a)
{
    return is_store(a) ? "store" : a->kind == SIEVE_ACT_REDIRECT ? "redirect" : "other";
}

int rt_result_add(sieve_result *r, const sieve_action *act, char *err, size_t errlen)
{
    /* RFC 5429 2.1: reject refuses delivery, so it cannot stand with an
     * action that delivers; Pigeonhole makes either order an error. */
    for (size_t i = 0; i < r->n; i++) {
        const sieve_action *o = &r->v[i];
        /* RFC 5230 4.7 allows one vacation per run (Pigeonhole's words). */
        if (act->kind == SIEVE_ACT_VACATION && o->kind == SIEVE_ACT_VACATION) {
            snprintf(err, errlen, "duplicate vacation action not allowed "
                     "(previously triggered one was at line %u)", o->line);
            return -1;
        }
        /* RFC 5429 2.1: reject answers the sender, so does vacation;
         * Pigeonhole refuses the pair in either order. */
        if ((is_reject(act) && o->kind == SIEVE_ACT_VACATION) ||
            (is_reject(o) && act->kind == SIEVE_ACT_VACATION)) {
            const sieve_action *v = is_reject(act) ? o : act;
            snprintf(err, errlen, "reject/ereject action conflicts with other action: "
                     "the vacation action (line %u) also sends a response to the sender",
                     v->line);
            return -1;
        }
        if (is_reject(act) && is_reject(o)) {
            snprintf(err, errlen, "duplicate reject/ereject action not allowed "
                     "(previously triggered one was at line %u)", o->line);
            return -1;
        }
        if ((is_reject(act) && delivers(o)) || (is_reject(o) && delivers(act))) {
            const sieve_action *d = is_reject(act) ? o : act;
            snprintf(err, errlen, "reject/ereject action conflicts with other action: "
                     "the %s action (line %u) tries to deliver the message",
                     kind_name(d), d->line);
            return -1;
        }
    }
    bool cancels = act->kind == SIEVE_ACT_DISCARD || is_reject(act) ||
                   ((act->kind == SIEVE_ACT_FILEINTO || act->kind == SIEVE_ACT_REDIRECT) && !act->copy);
    if (is_duplicate(r, act)) {
        if (cancels)
            r->keep_cancelled = true;
        return 0;
    }
    if (act->kind == SIEVE_ACT_REDIRECT && r->nredirects >= r->max_redirects) {
        snprintf(err, errlen, "number of redirect actions exceeds policy limit (%u > %u)",
                 r->nredirects + 1, r->max_redirects);
        return -1;
    }
    /* Header edits change the message, not where it goes: like Pigeonhole
     * they do not count as actions, but have a bound of their own. */
    bool edit = act->kind == SIEVE_ACT_ADDHEADER || act->kind == SIEVE_ACT_DELETEHEADER;
    if (edit && r->nedits >= RT_RESULT_MAX_EDITS) {
        snprintf(err, errlen, "number of header edits exceeds the limit (%u > %u)",
                 r->nedits + 1, RT_RESULT_MAX_EDITS);
        return -1;
    }
    if (!edit && r->n - r->nedits >= r->max_actions) {
        snprintf(err, errlen, "total number of actions exceeds policy limit (%zu > %u)",
                 r->n - r->nedits + 1, r->max_actions);
        return -1;
    }
    if (edit)
        r->nedits++;
    r->v[r->n++] = *act;
    if (act->kind == SIEVE_ACT_REDIRECT)
        r->nredirects++;
    if (cancels)
        r->keep_cancelled = true;
    return 0;
}

int rt_result_append(sieve_result *r, const sieve_action *act, char *err, size_t errlen)
{
    if (act->implicit)
        return 0;
    bool cancels = act->kind == SIEVE_ACT_DISCARD || is_reject(act) ||
                   ((act->kind == SIEVE_ACT_FILEINTO || act->kind == SIEVE_ACT_REDIRECT) && !act->copy);
    if (cancels)
        r->keep_cancelled = true;
    if (is_duplicate(r, act))
        return 0;
    /* Room for this one and the implicit keep rt_result_finish may add. */
    if (r->n + 2 > r->cap) {
        size_t cap = r->cap * 2 + 2;
        sieve_action *v = realloc(r->v, cap * sizeof *v);
        if (!v) {
            snprintf(err, errlen, "out of memory");
            return -1;
        }
        r->v = v;
        r->cap = cap;
    }
    r->v[r->n++] = *act;
    if (act->kind == SIEVE_ACT_REDIRECT)
        r->nredirects++;
    if (act->kind == SIEVE_ACT_ADDHEADER || act->kind == SIEVE_ACT_DELETEHEADER)
        r->nedits++;
    return 0;
}

static void implicit_keep(sieve_action *a)
{
    memset(a, 0, sizeof *a);
    a->kind = SIEVE_ACT_KEEP;
    a->implicit = true;
    a->mailbox = "INBOX";
}

void rt_result_finish(sieve_result *r)
{
    if (r->keep_cancelled)
        return;
    /* A store into INBOX already delivers where the implicit keep would. */
    for (size_t i = 0; i < r->n; i++)
        if (is_store(&r->v[i]) && is_inbox(store_mailbox(&r->v[i])))
            return;
    implicit_keep(&r->v[r->n++]);
}

void rt_result_fail(sieve_result *r, const char *error)
{
    r->failed = true;
    snprintf(r->error, sizeof r->error, "%s", error && *error ? error : "run-time error");
    r->n = 0;
    r->nredirects = 0;
    r->nedits = 0;
    r->keep_cancelled = false;
    r->header = NULL;
    r->header_len = 0;
    implicit_keep(&r->v[r->n++]);
}

void rt_result_implicit_flags(sieve_result *r, const char *const *flags, size_t n)
{
    for (size_t i = 0; i < r->n; i++)
        if (r->v[i].implicit) {
            r->v[i].flags = n ? flags : NULL;
            r->v[i].nflags = n;
        }
}

void rt_result_set_header(sieve_result *r, const char *header, size_t len)
{
    r->header = header;
    r->header_len = len;
}

const char *sieve_result_header(const sieve_result *r, size_t *len_r)
{
    if (len_r)
        *len_r = r && !r->failed ? r->header_len : 0;
    return r && !r->failed ? r->header : NULL;
}

bool rt_result_implicit_keep(const sieve_result *r)
{
    return !r->keep_cancelled;
}

size_t sieve_result_count(const sieve_result *r)
{
    return r ? r->n : 0;
}

const sieve_action *sieve_result_action(const sieve_result *r, size_t i)
{
    return r && i < r->n ? &r->v[i] : NULL;
}

const char *sieve_result_error(const sieve_result *r)
{
    return r && r->failed ? r->error : NULL;
}

/* Notifications to the same method URI are sent once, the first one
 * winning: RFC 5435 leaves it open, and Pigeonhole 0.5.19 merges them
 * even when :message or :importance differ. */
bool rt_notify_same(const sieve_action *x, const sieve_action *y)
{
    return x->address && y->address && strcmp(x->address, y->address) == 0;
}

rt_result_mark *rt_result_mark_find(sieve_result *r, const uint8_t *key, size_t keylen)
{
    for (size_t i = 0; i < r->nmarks; i++)
        if (r->marks[i].keylen == keylen && memcmp(r->marks[i].key, key, keylen) == 0)
            return &r->marks[i];
    return NULL;
}

rt_result_mark *rt_result_mark_add(sieve_result *r)
{
    if (r->nmarks >= RT_RESULT_MAX_MARKS)
        return NULL;
    rt_result_mark *m = &r->marks[r->nmarks++];
    memset(m, 0, sizeof *m);
    return m;
}

int sieve_result_commit(const sieve_result *r, const struct sieve_store *st, int64_t now,
                        char *err, size_t errlen)
{
    if (!r || !st)
        return 0;
    /* RFC 7352 3: a run that failed leaves no duplicate marks. */
    if (!r->failed) {
        for (size_t i = 0; i < r->nmarks; i++) {
            const rt_result_mark *m = &r->marks[i];
            if (!m->record || m->expires <= now)
                continue;
            if (st->record(st->data, m->key, m->keylen, m->expires, err, errlen) != 0)
                return -1;
        }
    }
    for (size_t i = 0; i < r->n; i++) {
        const sieve_action *a = &r->v[i];
        if (a->kind != SIEVE_ACT_VACATION || a->suppressed || !a->store_keylen ||
            a->store_expires <= now)
            continue;
        if (st->record(st->data, a->store_key, a->store_keylen, a->store_expires, err,
                       errlen) != 0)
            return -1;
    }
    return 0;
}
