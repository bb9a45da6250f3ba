/* ext_enotify: see ext_enotify.h. */
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "address.h"
#include "rt_str.h"
#include "ext_enotify.h"
#include "ext_vacation.h"
#include "sha256.h"
#include "sieve/store.h"

#define OOM "out of memory for this message"

/* Percent-decodes s into buf (cap bytes with the NUL); false on a
 * malformed escape, an encoded NUL or no room. */
static bool pct_decode_buf(rt_str s, char *buf, size_t cap, size_t *len_r)
{
    size_t o = 0;
    for (size_t i = 0; i < s.len; i++) {
        char c = s.p[i];
        if (c == '%') {
            if (s.len - i < 3 || rt_hexval(s.p[i + 1]) < 0 || rt_hexval(s.p[i + 2]) < 0)
                return false;
            c = (char)(rt_hexval(s.p[i + 1]) * 16 + rt_hexval(s.p[i + 2]));
            if (c == '\0')
                return false;
            i += 2;
        }
        if (o + 1 >= cap)
            return false;
        buf[o++] = c;
    }
    buf[o] = '\0';
    *len_r = o;
    return true;
}

/* The same into the arena (a NULL arena only checks). */
static bool pct_decode(rt_arena *a, rt_str s, rt_str *out_r)
{
    char *b = a ? rt_arena_alloc(a, s.len + 1) : NULL;
    if (a && !b)
        return false;
    size_t n;
    if (!b) {
        /* Check only: decode piecewise into nothing. */
        for (size_t i = 0; i < s.len; i++) {
            if (s.p[i] != '%')
                continue;
            if (s.len - i < 3 || rt_hexval(s.p[i + 1]) < 0 || rt_hexval(s.p[i + 2]) < 0 ||
                (rt_hexval(s.p[i + 1]) == 0 && rt_hexval(s.p[i + 2]) == 0))
                return false;
            i += 2;
        }
        return true;
    }
    if (!pct_decode_buf(s, b, s.len + 1, &n))
        return false;
    *out_r = rt_str_make(b, n);
    return true;
}

/* RFC 6068 2: qchar = unreserved / pct-encoded / some-delims. */
static bool is_qchar(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
           (c && strchr("-._~%!$'()*+,;:@", c));
}

/* An addr-spec: local@domain, both non-empty, no space or control. The
 * address parser decides the rest. */
static bool addr_spec(rt_str s)
{
    char buf[512];
    if (s.len == 0 || s.len >= sizeof buf)
        return false;
    for (size_t i = 0; i < s.len; i++)
        if ((unsigned char)s.p[i] <= ' ' || s.p[i] == 0x7f || s.p[i] == '<' || s.p[i] == '>' ||
            s.p[i] == ',')
            return false;
    const char *at = memchr(s.p, '@', s.len);
    if (!at || at == s.p || at == s.p + s.len - 1 || memchr(at + 1, '@', s.len - (size_t)(at - s.p) - 1))
        return false;
    /* dot-atom domain: no empty label */
    rt_str d = rt_str_make(at + 1, s.len - (size_t)(at - s.p) - 1);
    if (d.p[0] == '.' || d.p[d.len - 1] == '.')
        return false;
    for (size_t i = 0; i + 1 < d.len; i++)
        if (d.p[i] == '.' && d.p[i + 1] == '.')
            return false;
    for (size_t i = 0; i < d.len; i++)
        if (!((d.p[i] >= 'a' && d.p[i] <= 'z') || (d.p[i] >= 'A' && d.p[i] <= 'Z') ||
              (d.p[i] >= '0' && d.p[i] <= '9') || d.p[i] == '-' || d.p[i] == '.' ||
              d.p[i] == '[' || d.p[i] == ']' || d.p[i] == ':'))
            return false;
    return true;
}

/* Comma-separated recipients (RFC 6068 2 "to"), each an addr-spec once
 * decoded; kept (in the arena) when m is given. */
static bool add_rcpts(rt_arena *a, rt_str s, rt_mailto *m, size_t *n, unsigned char field)
{
    if (s.len == 0)
        return true;
    size_t i = 0;
    while (i <= s.len) {
        /* A separator is ',' or its encoding "%2C", as Pigeonhole reads. */
        size_t j = i, seplen = 1;
        while (j < s.len && s.p[j] != ',' &&
               !(s.p[j] == '%' && s.len - j >= 3 && s.p[j + 1] == '2' &&
                 (s.p[j + 2] == 'c' || s.p[j + 2] == 'C')))
            j++;
        if (j < s.len && s.p[j] == '%')
            seplen = 3;
        char tmp[512];
        size_t len;
        if (j == i || !pct_decode_buf(rt_str_make(s.p + i, j - i), tmp, sizeof tmp, &len) ||
            !addr_spec(rt_str_make(tmp, len)) || *n >= RT_MAILTO_MAX_RCPTS)
            return false;
        if (m && a) {
            char *c = rt_arena_dup(a, tmp, len + 1);
            if (!c)
                return false;
            m->rcpt[*n] = rt_str_make(c, len);
            m->field[*n] = field;
        }
        (*n)++;
        i = j + seplen;
    }
    return true;
}

static bool header_name(rt_str s)
{
    if (!s.len)
        return false;
    for (size_t i = 0; i < s.len; i++)
        if ((unsigned char)s.p[i] <= ' ' || (unsigned char)s.p[i] >= 0x7f || s.p[i] == ':')
            return false;
    return true;
}

bool rt_mailto_parse(rt_arena *a, rt_str uri, rt_mailto *out_r)
{
    if (out_r)
        memset(out_r, 0, sizeof *out_r);
    if (uri.len < 7 || strncasecmp(uri.p, "mailto:", 7) != 0)
        return false;
    rt_str rest = rt_str_make(uri.p + 7, uri.len - 7);
    const char *q = memchr(rest.p, '?', rest.len);
    rt_str to = rt_str_make(rest.p, q ? (size_t)(q - rest.p) : rest.len);
    for (size_t i = 0; i < to.len; i++)
        if (!is_qchar(to.p[i]) || to.p[i] == '?')
            return false;
    size_t n = 0;
    if (!add_rcpts(a, to, out_r, &n, RT_MAILTO_TO))
        return false;
    while (q) {
        const char *f = q + 1, *end = rest.p + rest.len;
        const char *amp = memchr(f, '&', (size_t)(end - f));
        const char *fend = amp ? amp : end;
        const char *eq = memchr(f, '=', (size_t)(fend - f));
        if (!eq)
            return false;
        for (const char *c = f; c < fend; c++)
            if (c != eq && (!is_qchar(*c) || *c == '='))
                return false;
        rt_str name = rt_str_make(f, (size_t)(eq - f)), value = rt_str_make(eq + 1, (size_t)(fend - eq - 1));
        char nb[128];
        size_t nlen;
        if (!pct_decode_buf(name, nb, sizeof nb, &nlen))
            return false;
        rt_str dn = rt_str_make(nb, nlen);
        if (!header_name(dn) || !pct_decode(NULL, value, &value))
            return false;
        bool is_to = dn.len == 2 && strncasecmp(dn.p, "to", 2) == 0;
        bool is_cc = dn.len == 2 && strncasecmp(dn.p, "cc", 2) == 0;
        bool is_bcc = dn.len == 3 && strncasecmp(dn.p, "bcc", 3) == 0;
        rt_str raw = rt_str_make(eq + 1, (size_t)(fend - eq - 1));
        if ((is_to || is_cc || is_bcc) &&
            !add_rcpts(a, raw, out_r, &n, is_cc ? RT_MAILTO_CC : is_bcc ? RT_MAILTO_BCC : RT_MAILTO_TO))
            return false;
        bool is_subject = dn.len == 7 && strncasecmp(dn.p, "subject", 7) == 0;
        bool is_body = dn.len == 4 && strncasecmp(dn.p, "body", 4) == 0;
        if (out_r && a && (is_subject || is_body)) {
            rt_str v;
            if (!pct_decode(a, raw, &v))
                return false;
            if (is_subject) {
                out_r->subject = v;
                out_r->has_subject = true;
            } else {
                out_r->body = v;
                out_r->has_body = true;
            }
        }
        q = amp;
    }
    if (out_r)
        out_r->nrcpt = n;
    /* RFC 5436 2.1: a notification needs someone to go to. */
    return n > 0;
}

static bool expand_c(rt_run *r, uint32_t off, rt_str *s_r, const char **c_r)
{
    rt_str s = rt_str_make("", 0);
    *c_r = NULL;
    if (!off)
        return true;
    char *c;
    if (!rt_vars_expand(r->p, &r->vars, r->a, off, &s) ||
        !(c = rt_arena_strndup(r->a, s.p, s.len)))
        return false;
    *c_r = c;
    if (s_r)
        *s_r = rt_str_make(c, s.len);
    return true;
}

static bool auto_submitted(rt_msg *m)
{
    rt_hdr_iter it;
    rt_msg_hdr_iter_name(m, "auto-submitted", 14, &it);
    for (rt_hdr_field *f; (f = rt_hdr_iter_next(&it));) {
        rt_str v;
        if (!rt_hdr_value(m, f, &v))
            return true;
        size_t i = 0, n;
        while (i < v.len && (v.p[i] == ' ' || v.p[i] == '\t'))
            i++;
        n = i;
        while (n < v.len && v.p[n] != ';' && v.p[n] != '(' && v.p[n] != ' ' && v.p[n] != '\t')
            n++;
        if (!(n - i == 2 && strncasecmp(v.p + i, "no", 2) == 0))
            return true;
    }
    return false;
}

int32_t rt_notify_action(rt_run *r, const uint32_t *rec, sieve_action *act)
{
    uint32_t line = rec[SIEVE_AR_LINE];
    rt_str method, from, imp;
    if (!expand_c(r, rec[SIEVE_AR_ARG0], &method, &act->address) ||
        !expand_c(r, rec[SIEVE_AR_ARG1], &from, &act->from) ||
        !expand_c(r, rec[SIEVE_AR_ARG2], &imp, &act->importance) ||
        !expand_c(r, rec[SIEVE_AR_ARG4], NULL, &act->reason) ||
        !expand_c(r, rec[SIEVE_AR_ARG5], NULL, &act->mailbox))
        return rt_run_error(r, line, OOM);
    if (!act->address)
        act->address = "";
    /* RFC 5435 3.? / RFC 5436 2.1: the method is checked when it is known;
     * an invalid one is a run-time error (Pigeonhole's words). */
    if (!rt_mailto_parse(NULL, method, NULL))
        return rt_run_error(r, line, "invalid notify method '%.200s'", act->address);
    if (act->from && !addr_spec(from)) {
        rt_addr_list l;
        if (!rt_addr_parse_list(r->a, from.p, from.len, &l) || l.n != 1 ||
            !(l.v[0].flags & RT_ADDR_VALID) || (l.v[0].flags & (RT_ADDR_GROUP | RT_ADDR_NULL)))
            return rt_run_error(r, line, "specified :from address '%.200s' is invalid", act->from);
    }
    /* RFC 5435 3.3: "1" high, "2" normal (default), "3" low. */
    if (act->importance && (imp.len != 1 || imp.p[0] < '1' || imp.p[0] > '3'))
        return rt_run_error(r, line, "invalid :importance '%.20s' (\"1\", \"2\" or \"3\")",
                            act->importance);
    uint32_t nopt = rt_list_count(r->p, rec[SIEVE_AR_ARG3]);
    if (nopt) {
        const char **opts = rt_arena_alloc(r->a, nopt * sizeof *opts);
        if (!opts)
            return rt_run_error(r, line, OOM);
        for (uint32_t i = 0; i < nopt; i++)
            if (!expand_c(r, rt_list_item(r->p, rec[SIEVE_AR_ARG3], i), NULL, &opts[i]))
                return rt_run_error(r, line, OOM);
        act->options = opts;
        act->noptions = nopt;
    }
    /* RFC 5436 2.7: never notify about automatically submitted mail. */
    if (auto_submitted(r->msg))
        act->suppressed = "auto-submitted";
    return SIEVE_OK;
}

int32_t rt_test_valid_notify_method(rt_run *r, const rt_ptest *t)
{
    const uint32_t *rec = t->rec;
    uint32_t n = rt_list_count(r->p, rec[SIEVE_TR_ARG0]);
    /* RFC 5435 5: true when every URI is valid and supported. */
    for (uint32_t i = 0; i < n; i++) {
        rt_str v;
        if (!rt_vars_expand(r->p, &r->vars, r->a, rt_list_item(r->p, rec[SIEVE_TR_ARG0], i), &v))
            return rt_run_error(r, rec[SIEVE_TR_LINE], OOM);
        if (!rt_mailto_parse(NULL, v, NULL))
            return SIEVE_OK;
    }
    return n ? SIEVE_TRUE : SIEVE_OK;
}

int32_t rt_test_notify_method_capability(rt_run *r, const rt_ptest *t)
{
    const uint32_t *rec = t->rec;
    rt_str uri, cap;
    if (!rt_vars_expand(r->p, &r->vars, r->a, rec[SIEVE_TR_ARG0], &uri) ||
        !rt_vars_expand(r->p, &r->vars, r->a, rec[SIEVE_TR_ARG1], &cap))
        return rt_run_error(r, rec[SIEVE_TR_LINE], OOM);
    /* RFC 5435 5: an invalid or unsupported URI makes the test false. */
    if (!rt_mailto_parse(NULL, uri, NULL))
        return SIEVE_OK;
    /* RFC 5436 2.5: mailto cannot tell whether the user is online. */
    rt_str values[1] = { rt_str_make("maybe", 5) };
    size_t nv = cap.len == 6 && strncasecmp(cap.p, "online", 6) == 0 ? 1 : 0;
    /* The keys are arg2 (abi.h): match through a copy with them in arg1. */
    uint32_t copy[SIEVE_TEST_WORDS];
    memcpy(copy, rec, sizeof copy);
    copy[SIEVE_TR_ARG1] = rec[SIEVE_TR_ARG2];
    rt_ptest tmp = { .rec = copy };
    return rt_test_match_values(r, &tmp, values, nv);
}

/* ---- duplicate (RFC 7352) ------------------------------------------------ */

static void put_len(rt_sha256_ctx *c, const char *p, size_t n)
{
    uint8_t len[8];
    for (int i = 0; i < 8; i++)
        len[i] = (uint8_t)((uint64_t)n >> (8 * i));
    rt_sha256_update(c, len, 8);
    rt_sha256_update(c, p, n);
}

int32_t rt_test_duplicate(rt_run *r, const rt_ptest *t)
{
    const uint32_t *rec = t->rec;
    uint32_t line = rec[SIEVE_TR_LINE];
    rt_str handle = rt_str_make("", 0), id;
    if (rec[SIEVE_TR_ARG0] && !rt_vars_expand(r->p, &r->vars, r->a, rec[SIEVE_TR_ARG0], &handle))
        return rt_run_error(r, line, OOM);
    if (rec[SIEVE_TR_ARG2]) {
        /* RFC 7352 3.2: :uniqueid is the identifier itself. */
        if (!rt_vars_expand(r->p, &r->vars, r->a, rec[SIEVE_TR_ARG2], &id))
            return rt_run_error(r, line, OOM);
    } else {
        /* RFC 7352 3.1: the (first) value of :header, Message-ID by
         * default; absent: not a duplicate, nothing remembered. */
        rt_str name = rt_str_make("message-id", 10);
        if (rec[SIEVE_TR_ARG1] && !rt_vars_expand(r->p, &r->vars, r->a, rec[SIEVE_TR_ARG1], &name))
            return rt_run_error(r, line, OOM);
        rt_hdr_field *f = name.len ? rt_msg_hdr_first(r->msg, name.p, name.len) : NULL;
        if (!f)
            return SIEVE_OK;
        if (!rt_hdr_value(r->msg, f, &id))
            return rt_run_error(r, line, OOM);
        while (id.len && (id.p[0] == ' ' || id.p[0] == '\t'))
            id = rt_str_make(id.p + 1, id.len - 1);
        while (id.len && (id.p[id.len - 1] == ' ' || id.p[id.len - 1] == '\t'))
            id.len--;
    }
    /* The key: per recipient (one store serves every user), per handle
     * (RFC 7352 3.4), per identifier; the tag keeps it apart from
     * vacation's keys. */
    static const char tag[] = "sievec duplicate v1";
    rt_sha256_ctx c;
    rt_sha256_init(&c);
    rt_sha256_update(&c, tag, sizeof tag);
    const char *rcpt = r->env->rcpt_to ? r->env->rcpt_to : "";
    put_len(&c, rcpt, strlen(rcpt));
    rt_sha256_update(&c, rec[SIEVE_TR_ARG0] ? "h" : "-", 1);
    put_len(&c, handle.p, handle.len);
    rt_sha256_update(&c, rec[SIEVE_TR_ARG2] ? "u" : "i", 1);
    put_len(&c, id.p, id.len);
    uint8_t key[RT_SHA256_BYTES];
    rt_sha256_final(&c, key);

    /* RFC 7352 3: the same test twice in one run answers the same. */
    rt_result_mark *m = rt_result_mark_find(r->res, key, sizeof key);
    if (m)
        return m->duplicate ? SIEVE_TRUE : SIEVE_OK;
    const sieve_settings *s = r->settings;
    uint64_t def = s->duplicate_default_period ? s->duplicate_default_period : 12 * 3600;
    uint64_t max = s->duplicate_max_period ? s->duplicate_max_period : 2 * 86400;
    uint64_t period = rec[SIEVE_TR_EXTRA] == UINT32_MAX ? def : rec[SIEVE_TR_EXTRA];
    if (period > max)
        period = max;
    int64_t now = rt_run_now(r);
    bool dup = false;
    const sieve_store *st = s->store;
    if (st) {
        char err[256] = "";
        int rc = st->lookup(st->data, key, sizeof key, now, err, sizeof err);
        if (rc == SIEVE_STORE_ERROR)
            return rt_run_error(r, line, "duplicate: store: %s", err);
        dup = rc == SIEVE_STORE_PRESENT;
    }
    if (!(m = rt_result_mark_add(r->res)))
        return rt_run_error(r, line, "more than %d distinct duplicate tests in one run",
                            RT_RESULT_MAX_MARKS);
    memcpy(m->key, key, sizeof key);
    m->keylen = sizeof key;
    m->duplicate = dup;
    /* RFC 7352 3.3: the period counts from the first occurrence, or from
     * the last one with :last. */
    m->record = (!dup || (rec[SIEVE_TR_FLAGS] & SIEVE_TF_LAST)) && period > 0;
    m->expires = rt_expiry(now, period);
    return dup ? SIEVE_TRUE : SIEVE_OK;
}
