/* ext_vacation: see ext_vacation.h. */
#include <stdio.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "address.h"
#include "ext_vacation.h"
#include "sha256.h"
#include "sieve/store.h"

#define OOM "out of memory for this message"
#define DAY 86400u

int64_t rt_run_now(const rt_run *r)
{
    return r->settings->now ? r->settings->now : (int64_t)time(NULL);
}

int64_t rt_expiry(int64_t now, uint64_t period)
{
    if (period > (uint64_t)INT64_MAX || now > INT64_MAX - (int64_t)period)
        return INT64_MAX;
    return now + (int64_t)period;
}

static bool str_ieq(rt_str x, const char *y)
{
    size_t n = strlen(y);
    return x.len == n && strncasecmp(x.p, y, n) == 0;
}

static rt_str trim(rt_str s)
{
    while (s.len && (s.p[0] == ' ' || s.p[0] == '\t'))
        s = rt_str_make(s.p + 1, s.len - 1);
    while (s.len && (s.p[s.len - 1] == ' ' || s.p[s.len - 1] == '\t'))
        s.len--;
    return s;
}

/* An address entry equals "local@domain" s, ignoring case (RFC 5230 4.5
 * leaves the comparison open; mail systems treat local parts as
 * case-insensitive in practice, as Pigeonhole does). */
static bool addr_is(const rt_addr *ad, rt_str s)
{
    if (!(ad->flags & RT_ADDR_VALID) || (ad->flags & (RT_ADDR_GROUP | RT_ADDR_NULL)))
        return false;
    const char *at = NULL;
    for (size_t i = s.len; i > 0; i--)
        if (s.p[i - 1] == '@') {
            at = s.p + i - 1;
            break;
        }
    if (!at)
        return ad->domain.len == 0 && ad->local_part.len == s.len &&
               strncasecmp(ad->local_part.p, s.p, s.len) == 0;
    size_t ll = (size_t)(at - s.p), dl = s.len - ll - 1;
    return ad->local_part.len == ll && ad->domain.len == dl &&
           strncasecmp(ad->local_part.p, s.p, ll) == 0 &&
           strncasecmp(ad->domain.p, at + 1, dl) == 0;
}

static bool has_field(rt_msg *m, const char *name)
{
    return rt_msg_hdr_first(m, name, strlen(name)) != NULL;
}

/* The first value of a field, trimmed; false when absent. */
static bool field_value(rt_msg *m, const char *name, rt_str *v_r)
{
    rt_hdr_field *f = rt_msg_hdr_first(m, name, strlen(name));
    if (!f || !rt_hdr_value(m, f, v_r))
        return false;
    *v_r = trim(*v_r);
    return true;
}

/* RFC 3834 5: Auto-Submitted is "no" or anything else, parameters after
 * ';' and comments aside. */
static bool auto_submitted(rt_msg *m)
{
    rt_hdr_iter it;
    rt_msg_hdr_iter_name(m, "auto-submitted", 14, &it);
    for (rt_hdr_field *f; (f = rt_hdr_iter_next(&it));) {
        rt_str v;
        if (!rt_hdr_value(m, f, &v))
            return true;
        size_t n = 0;
        while (n < v.len && v.p[n] != ';' && v.p[n] != '(')
            n++;
        if (!str_ieq(trim(rt_str_make(v.p, n)), "no"))
            return true;
    }
    return false;
}

/* RFC 2369, RFC 2919: any of these says the message came from a list. */
static const char *const list_fields[] = {
    "list-id", "list-help", "list-subscribe", "list-unsubscribe", "list-post", "list-owner",
    "list-archive",
};

/* Senders that are programs, not people (RFC 5230 4.6 "owner-",
 * "-request", MAILER-DAEMON; LISTSERV and majordomo as Pigeonhole). */
static const char *system_sender(rt_str sender)
{
    size_t ll = 0;
    while (ll < sender.len && sender.p[ll] != '@')
        ll++;
    rt_str local = rt_str_make(sender.p, ll);
    if (str_ieq(local, "mailer-daemon"))
        return "auto-submitted";
    if (str_ieq(local, "listserv") || str_ieq(local, "majordomo"))
        return "list";
    if (ll >= 6 && strncasecmp(local.p, "owner-", 6) == 0)
        return "list";
    if (ll >= 8 && strncasecmp(local.p + ll - 8, "-request", 8) == 0)
        return "list";
    return NULL;
}

/* RFC 5230 4.5 names these as where the recipient must appear. */
static const char *const addressed_fields[] = {
    "to", "cc", "bcc", "resent-to", "resent-cc", "resent-bcc",
};

const char *rt_vacation_suppress(rt_msg *m, rt_arena *a, rt_str sender, const rt_str *own,
                                 size_t nown, rt_str *matched_r)
{
    (void)a;
    /* RFC 3834 2: never answer automatic mail; the null path is a bounce
     * (RFC 5321 4.5.5), which is automatic too. */
    if (sender.len == 0 || auto_submitted(m))
        return "auto-submitted";
    /* RFC 5230 4.6: lists and bulk mail. */
    for (size_t i = 0; i < sizeof list_fields / sizeof list_fields[0]; i++)
        if (has_field(m, list_fields[i]))
            return "list";
    rt_str prec;
    if (field_value(m, "precedence", &prec)) {
        if (str_ieq(prec, "list"))
            return "list";
        if (str_ieq(prec, "bulk") || str_ieq(prec, "junk"))
            return "bulk";
    }
    const char *sys = system_sender(sender);
    if (sys)
        return sys;
    /* RFC 5230 4.5: not to one of the recipient's own addresses. */
    for (size_t i = 0; i < nown; i++)
        if (own[i].len == sender.len && strncasecmp(own[i].p, sender.p, sender.len) == 0)
            return "own-address";
    /* RFC 5230 4.5: only when one of them was addressed. */
    for (size_t k = 0; k < sizeof addressed_fields / sizeof addressed_fields[0]; k++) {
        rt_hdr_iter it;
        rt_msg_hdr_iter_name(m, addressed_fields[k], strlen(addressed_fields[k]), &it);
        for (rt_hdr_field *f; (f = rt_hdr_iter_next(&it));) {
            const rt_addr *v;
            size_t n;
            if (!rt_hdr_addresses(m, f, &v, &n))
                continue;
            for (size_t j = 0; j < n; j++)
                for (size_t i = 0; i < nown; i++)
                    if (addr_is(&v[j], own[i])) {
                        if (matched_r)
                            *matched_r = own[i];
                        return NULL;
                    }
        }
    }
    return "not-addressed";
}

static void put_field(rt_sha256_ctx *c, rt_str s, bool lower)
{
    uint8_t len[8];
    uint64_t n = s.len;
    for (int i = 0; i < 8; i++)
        len[i] = (uint8_t)(n >> (8 * i));
    rt_sha256_update(c, len, 8);
    if (!lower) {
        rt_sha256_update(c, s.p, s.len);
        return;
    }
    char tmp[64];
    for (size_t i = 0; i < s.len; i += sizeof tmp) {
        size_t k = s.len - i < sizeof tmp ? s.len - i : sizeof tmp;
        for (size_t j = 0; j < k; j++) {
            char ch = s.p[i + j];
            tmp[j] = ch >= 'A' && ch <= 'Z' ? (char)(ch + 32) : ch;
        }
        rt_sha256_update(c, tmp, k);
    }
}

void rt_vacation_key(rt_str recipient, rt_str sender, bool has_handle, rt_str handle,
                     rt_str reason, rt_str subject, rt_str from, bool mime, uint8_t out[32])
{
    /* The tag keeps vacation keys apart from duplicate keys (and from any
     * later use of the same store). */
    static const char tag[] = "sievec vacation v1";
    rt_sha256_ctx c;
    rt_sha256_init(&c);
    rt_sha256_update(&c, tag, sizeof tag);
    put_field(&c, recipient, true);
    put_field(&c, sender, true);
    if (has_handle) {
        rt_sha256_update(&c, "h", 1);
        put_field(&c, handle, false);
    } else {
        /* RFC 5230 4.2: without :handle, replies with the same content
         * count as one. */
        rt_sha256_update(&c, mime ? "M" : "d", 1);
        put_field(&c, reason, false);
        put_field(&c, subject, false);
        put_field(&c, from, false);
    }
    rt_sha256_final(&c, out);
}

/* Expands value off (0: absent -> "") into a NUL-terminated string. */
static bool expand(rt_run *r, uint32_t off, rt_str *s_r, const char **c_r)
{
    rt_str s = rt_str_make("", 0);
    if (off && !rt_vars_expand(r->p, &r->vars, r->a, off, &s))
        return false;
    char *c = rt_arena_strndup(r->a, s.p, s.len);
    if (!c)
        return false;
    *s_r = rt_str_make(c, s.len);
    if (c_r)
        *c_r = off ? c : NULL;
    return true;
}

/* One valid addr-spec in s, as "local@domain" in *out_r. */
static bool one_address(rt_run *r, rt_str s, rt_str *out_r)
{
    rt_addr_list l;
    if (!rt_addr_parse_list(r->a, s.p, s.len, &l) || l.n != 1)
        return false;
    const rt_addr *ad = &l.v[0];
    if (!(ad->flags & RT_ADDR_VALID) || (ad->flags & (RT_ADDR_GROUP | RT_ADDR_NULL)))
        return false;
    return rt_addr_get_part(r->a, ad, RT_ADDR_PART_ALL, NULL, 0, out_r);
}

/* The address the reply goes to: the envelope sender (RFC 5230 4.5: the
 * return path); unknown to the caller: Return-Path, else the first From. */
static bool reply_target(rt_run *r, rt_str *out_r)
{
    const char *mf = r->env->mail_from;
    rt_addr_list l;
    if (mf) {
        if (!rt_addr_parse_path(r->a, mf, strlen(mf), &l))
            return false;
    } else {
        rt_str v;
        if (field_value(r->msg, "return-path", &v)) {
            if (!rt_addr_parse_path(r->a, v.p, v.len, &l))
                return false;
        } else {
            rt_hdr_field *f = rt_msg_hdr_first(r->msg, "from", 4);
            const rt_addr *v2;
            size_t n;
            *out_r = rt_str_make("", 0);
            if (!f || !rt_hdr_addresses(r->msg, f, &v2, &n) || n == 0)
                return true;
            l.v = (rt_addr *)v2;
            l.n = n;
        }
    }
    *out_r = rt_str_make("", 0);
    if (l.n == 0 || (l.v[0].flags & RT_ADDR_NULL) || !(l.v[0].flags & RT_ADDR_VALID))
        return true;
    return rt_addr_get_part(r->a, &l.v[0], RT_ADDR_PART_ALL, NULL, 0, out_r);
}

/* RFC 5230 4.1, RFC 6131 2: the period in seconds, within the settings'
 * bounds. */
static uint64_t period_of(const rt_run *r, uint32_t number)
{
    const sieve_settings *s = r->settings;
    uint64_t def = s->vacation_default_period ? s->vacation_default_period : 7 * (uint64_t)DAY;
    uint64_t min = s->vacation_min_period == SIEVE_PERIOD_ZERO ? 0
                   : s->vacation_min_period ? s->vacation_min_period : DAY;
    uint64_t max = s->vacation_max_period;
    uint64_t p = number == UINT32_MAX ? def : number;
    if (p < min)
        p = min;
    if (max && p > max)
        p = max;
    return p;
}

/* RFC 5230 4.4: "Auto: " and the original subject, RFC 2047-decoded. */
static bool default_subject(rt_run *r, const char **out_r)
{
    rt_hdr_field *f = rt_msg_hdr_first(r->msg, "subject", 7);
    rt_str v;
    if (!f || !rt_hdr_value_utf8(r->msg, f, &v) || trim(v).len == 0) {
        *out_r = "Automated reply";
        return true;
    }
    v = trim(v);
    char *b = rt_arena_alloc(r->a, v.len + 7);
    if (!b)
        return false;
    memcpy(b, "Auto: ", 6);
    size_t o = 6;
    /* A decoded subject can hold line breaks: the reply's header cannot. */
    for (size_t i = 0; i < v.len; i++)
        b[o++] = v.p[i] == '\r' || v.p[i] == '\n' ? ' ' : v.p[i];
    b[o] = '\0';
    *out_r = b;
    return true;
}

int32_t rt_vacation_action(rt_run *r, const uint32_t *rec, sieve_action *act)
{
    uint32_t line = rec[SIEVE_AR_LINE], flags = rec[SIEVE_AR_FLAGS];
    rt_str reason, subject, from, handle, fcc;
    if (!expand(r, rec[SIEVE_AR_ARG0], &reason, &act->reason) ||
        !expand(r, rec[SIEVE_AR_ARG1], &subject, &act->subject) ||
        !expand(r, rec[SIEVE_AR_ARG2], &from, &act->from) ||
        !expand(r, rec[SIEVE_AR_ARG4], &handle, &act->handle) ||
        !expand(r, rec[SIEVE_AR_ARG5], &fcc, &act->mailbox))
        return rt_run_error(r, line, OOM);
    act->mime = flags & SIEVE_AF_MIME;
    /* RFC 5230 4.4: :from must be a valid address; a constant one was
     * checked by the compiler. */
    rt_str cf;
    if (act->from && !rt_value_const(r->p, rec[SIEVE_AR_ARG2], &cf) && !one_address(r, from, &cf))
        return rt_run_error(r, line, "specified :from address '%.200s' is invalid", act->from);
    if (!act->subject && !default_subject(r, &act->subject))
        return rt_run_error(r, line, OOM);
    uint64_t period = period_of(r, rec[SIEVE_AR_NUMBER]);
    act->period = period;
    act->period_in_days = !(flags & SIEVE_AF_SECONDS) && period % DAY == 0;
    rt_hdr_field *mid = rt_msg_hdr_first(r->msg, "message-id", 10);
    rt_str midv;
    if (mid && rt_hdr_value(r->msg, mid, &midv) && trim(midv).len) {
        rt_str t = trim(midv);
        char *c = rt_arena_strndup(r->a, t.p, t.len);
        if (!c)
            return rt_run_error(r, line, OOM);
        act->in_reply_to = c;
        /* RFC 5322 3.6.4: the parent's References (else its In-Reply-To
         * when that is one id), then the parent's Message-ID. */
        rt_str refs = rt_str_make("", 0);
        rt_hdr_field *rf = rt_msg_hdr_first(r->msg, "references", 10);
        if (!rf)
            rf = rt_msg_hdr_first(r->msg, "in-reply-to", 11);
        if (rf && !rt_hdr_value(r->msg, rf, &refs))
            return rt_run_error(r, line, OOM);
        refs = trim(refs);
        if (refs.len > 8192)
            refs.len = 0;   /* a pathological chain is not carried on */
        char *rb = rt_arena_alloc(r->a, refs.len + t.len + 2);
        if (!rb)
            return rt_run_error(r, line, OOM);
        size_t o = 0;
        for (size_t i = 0; i < refs.len; i++)
            rb[o++] = refs.p[i] == '\r' || refs.p[i] == '\n' || refs.p[i] == '\t' ? ' ' : refs.p[i];
        if (o)
            rb[o++] = ' ';
        memcpy(rb + o, t.p, t.len);
        rb[o + t.len] = '\0';
        act->references = rb;
    }

    /* The recipient's own addresses: the envelope recipient and
     * :addresses (RFC 5230 4.5). */
    uint32_t naddr = rt_list_count(r->p, rec[SIEVE_AR_ARG3]);
    rt_str *own = rt_arena_alloc(r->a, ((size_t)naddr + 2) * sizeof *own);
    if (!own)
        return rt_run_error(r, line, OOM);
    size_t nown = 0;
    rt_str rcpt = rt_str_make("", 0);
    if (r->env->rcpt_to) {
        rt_addr_list l;
        if (!rt_addr_parse_path(r->a, r->env->rcpt_to, strlen(r->env->rcpt_to), &l))
            return rt_run_error(r, line, OOM);
        if (l.n && (l.v[0].flags & RT_ADDR_VALID) && !(l.v[0].flags & RT_ADDR_NULL) &&
            rt_addr_get_part(r->a, &l.v[0], RT_ADDR_PART_ALL, NULL, 0, &rcpt))
            own[nown++] = rcpt;
    }
    if (r->settings->vacation_use_original_recipient && r->env->orig_rcpt) {
        rt_addr_list l;
        rt_str orig;
        if (!rt_addr_parse_path(r->a, r->env->orig_rcpt, strlen(r->env->orig_rcpt), &l))
            return rt_run_error(r, line, OOM);
        if (l.n && (l.v[0].flags & RT_ADDR_VALID) && !(l.v[0].flags & RT_ADDR_NULL) &&
            rt_addr_get_part(r->a, &l.v[0], RT_ADDR_PART_ALL, NULL, 0, &orig))
            own[nown++] = orig;
    }
    for (uint32_t i = 0; i < naddr; i++) {
        rt_str v, ad;
        if (!rt_vars_expand(r->p, &r->vars, r->a, rt_list_item(r->p, rec[SIEVE_AR_ARG3], i), &v))
            return rt_run_error(r, line, OOM);
        /* An address the parser cannot read is compared as written. */
        own[nown++] = one_address(r, v, &ad) ? ad : trim(v);
    }

    rt_str to;
    if (!reply_target(r, &to))
        return rt_run_error(r, line, OOM);
    if (to.len && !(act->address = rt_arena_strndup(r->a, to.p, to.len)))
        return rt_run_error(r, line, OOM);
    rt_str matched = rcpt;
    act->suppressed = rt_vacation_suppress(r->msg, r->a, to, own, nown, &matched);
    if (act->suppressed && strcmp(act->suppressed, "not-addressed") == 0 &&
        r->settings->vacation_dont_check_recipient)
        act->suppressed = NULL;
    /* RFC 5230 4.5: without :from, the reply comes from the address the
     * message was sent to (Pigeonhole does the same). */
    if (matched.len && !(act->recipient = rt_arena_strndup(r->a, matched.p, matched.len)))
        return rt_run_error(r, line, OOM);
    if (act->suppressed || period == 0)
        return SIEVE_OK;

    /* RFC 5230 4.2: one reply per sender and handle within the period. */
    rt_vacation_key(rcpt, to, act->handle != NULL, handle, reason, subject, from, act->mime,
                    act->store_key);
    act->store_keylen = RT_SHA256_BYTES;
    int64_t now = rt_run_now(r);
    act->store_expires = rt_expiry(now, period);
    const sieve_store *st = r->settings->store;
    if (st) {
        char err[256] = "";
        int rc = st->lookup(st->data, act->store_key, act->store_keylen, now, err, sizeof err);
        if (rc == SIEVE_STORE_ERROR)
            return rt_run_error(r, line, "vacation: response tracking store: %s", err);
        if (rc == SIEVE_STORE_PRESENT) {
            act->suppressed = "already-replied";
            act->store_keylen = 0;
        }
    }
    return SIEVE_OK;
}
