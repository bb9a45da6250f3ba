/* tests: evaluation of test records (ops->test), by kind. Values are taken
 * in script order (names outer, fields, then values), each tried against
 * every key by match.c, so the match variables come from the first pair
 * that matched, as in Pigeonhole (RFC 5229 3.2 leaves the order open).
 */
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "address.h"
#include "exec.h"
#include "ext_date.h"
#include "ext_enotify.h"
#include "ext_flags.h"

#define OOM "out of memory for this message"

typedef struct matcher {
    rt_run *r;
    const uint32_t *rec;
    rt_match_keys *keys;
    rt_match_keys *tmp;     /* keys built for this evaluation */
    bool count;             /* :count: only count the values */
    size_t n;
    bool capture;
    int result;             /* SIEVE_OK, SIEVE_TRUE, SIEVE_ERROR */
} matcher;

static int32_t matcher_begin(matcher *m, rt_run *r, const rt_ptest *t)
{
    const uint32_t *rec = t->rec;
    memset(m, 0, sizeof *m);
    m->r = r;
    m->rec = rec;
    m->result = SIEVE_OK;
    m->count = rec[SIEVE_TR_MATCH] == SIEVE_MATCH_COUNT;
    m->capture = (rec[SIEVE_TR_FLAGS] & SIEVE_TF_CAPTURE) &&
                 (rec[SIEVE_TR_MATCH] == SIEVE_MATCH_MATCHES || rec[SIEVE_TR_MATCH] == SIEVE_MATCH_REGEX);
    if (t->keys) {
        m->keys = t->keys;
        return SIEVE_OK;
    }
    uint32_t line = rec[SIEVE_TR_LINE], relop = rec[SIEVE_TR_RELOP];
    rt_rel rel = RT_REL_EQ;
    if (relop == SIEVE_REL_DYNAMIC) {
        /* RFC 5231 5: the operator came from a variable. */
        rt_str op;
        if (!rt_vars_expand(r->p, &r->vars, r->a, rec[SIEVE_TR_ARG3], &op))
            return rt_run_error(r, line, OOM);
        if (!rt_match_rel_lookup(op.p, op.len, &rel))
            return rt_run_error(r, line, "invalid relational operator '%.*s'",
                                (int)(op.len > 40 ? 40 : op.len), op.p);
    } else if (relop != SIEVE_REL_NONE) {
        rel = (rt_rel)(relop - SIEVE_REL_GT);
    }
    char err[200];
    m->tmp = rt_prepare_keys(r->p, rec, &r->vars, r->a, rec[SIEVE_TR_ARG1], rel, err, sizeof err);
    if (!m->tmp)
        return rt_run_error(r, line, "%s", err);
    m->keys = m->tmp;
    return SIEVE_OK;
}

/* Offers one value; true when the test is decided (a match or an error). */
static bool matcher_value(matcher *m, rt_str v)
{
    if (m->count) {
        m->n++;
        return false;
    }
    rt_match_vars mv;
    rt_match_result mr = rt_match_value(m->keys, m->r->a, v, m->capture ? &mv : NULL);
    if (mr == RT_MATCH_ERROR) {
        m->result = rt_run_error(m->r, m->rec[SIEVE_TR_LINE], "%s",
                                 m->rec[SIEVE_TR_MATCH] == SIEVE_MATCH_REGEX
                                     ? "regular expression matching failed" : OOM);
        return true;
    }
    if (mr == RT_MATCH_YES) {
        /* RFC 5229 3.2: only a successful match replaces ${0}..${9}. */
        if (m->capture)
            rt_vars_set_match(&m->r->vars, &mv);
        m->result = SIEVE_TRUE;
        return true;
    }
    return false;
}

static int32_t matcher_end(matcher *m)
{
    if (m->result == SIEVE_OK && m->count && !m->r->failed) {
        /* RFC 5231 4.2 */
        rt_match_result mr = rt_match_count(m->keys, m->r->a, m->n);
        if (mr == RT_MATCH_ERROR)
            m->result = rt_run_error(m->r, m->rec[SIEVE_TR_LINE], OOM);
        else
            m->result = mr == RT_MATCH_YES ? SIEVE_TRUE : SIEVE_OK;
    }
    if (m->tmp && rt_match_keys_type(m->tmp) == RT_MATCH_REGEX)
        rt_match_keys_free(&m->tmp);
    if (m->r->failed)
        return SIEVE_ERROR;
    return m->result;
}

/* Header-name operand i of test t: the load-time one or the expanded one. */
static bool name_at(rt_run *r, const rt_ptest *t, uint32_t i, rt_pname *out_r)
{
    if (t->names) {
        *out_r = t->names[i];
        return true;
    }
    out_r->id = -1;
    return rt_vars_expand(r->p, &r->vars, r->a, rt_list_item(r->p, t->rec[SIEVE_TR_ARG0], i),
                          &out_r->name);
}

static void iter_name(rt_run *r, const rt_pname *n, rt_hdr_iter *it)
{
    if (n->id >= 0)
        rt_msg_hdr_iter_id(r->msg, n->id, it);
    else
        rt_msg_hdr_iter_name(r->msg, n->name.p, n->name.len, it);
}

static size_t count_name(rt_run *r, const rt_pname *n)
{
    return n->id >= 0 ? rt_msg_hdr_count(r->msg, n->id)
                      : rt_msg_hdr_count_name(r->msg, n->name.p, n->name.len);
}

/* RFC 5260 6: with :index only the Nth field (from the end with :last) is
 * considered. With several header names the fields of each name follow
 * one another in name order and N counts over that whole list, as in
 * Pigeonhole. True when field number pos (1-based) of the list of total
 * fields is not the one. */
static bool skip_field(const rt_ptest *t, size_t total, size_t pos)
{
    uint32_t index = t->rec[SIEVE_TR_INDEX];
    if (!index)
        return false;
    if (t->rec[SIEVE_TR_FLAGS] & SIEVE_TF_LAST)
        return total < index || pos != total - index + 1;
    return pos != index;
}

/* The number of fields of all names of test t, for :last. */
static bool count_fields(rt_run *r, const rt_ptest *t, size_t *total_r)
{
    *total_r = 0;
    if (!t->rec[SIEVE_TR_INDEX] || !(t->rec[SIEVE_TR_FLAGS] & SIEVE_TF_LAST))
        return true;
    uint32_t nn = rt_list_count(r->p, t->rec[SIEVE_TR_ARG0]);
    for (uint32_t i = 0; i < nn; i++) {
        rt_pname n;
        if (!name_at(r, t, i, &n))
            return false;
        *total_r += count_name(r, &n);
    }
    return true;
}

/* RFC 5228 5.7 (header) and 5.1 (address). */
static int32_t test_fields(rt_run *r, const rt_ptest *t, bool address)
{
    matcher m;
    if (matcher_begin(&m, r, t) != SIEVE_OK)
        return SIEVE_ERROR;
    const uint32_t *rec = t->rec;
    uint32_t line = rec[SIEVE_TR_LINE];
    uint32_t nn = rt_list_count(r->p, rec[SIEVE_TR_ARG0]);
    rt_addr_part ap = (rt_addr_part)rec[SIEVE_TR_ADDRPART];
    bool done = false;
    size_t total, pos = 0;
    if (!count_fields(r, t, &total)) {
        rt_run_error(r, line, OOM);
        done = true;
    }
    for (uint32_t i = 0; i < nn && !done; i++) {
        rt_pname n;
        if (!name_at(r, t, i, &n)) {
            rt_run_error(r, line, OOM);
            break;
        }
        rt_hdr_iter it;
        iter_name(r, &n, &it);
        rt_hdr_field *f;
        while (!done && (f = rt_hdr_iter_next(&it))) {
            pos++;
            if (skip_field(t, total, pos))
                continue;
            if (!address) {
                rt_str v;
                if (!rt_hdr_value_utf8(r->msg, f, &v)) {
                    rt_run_error(r, line, OOM);
                    break;
                }
                done = matcher_value(&m, v);
                continue;
            }
            const rt_addr *av;
            size_t na;
            if (!rt_hdr_addresses(r->msg, f, &av, &na)) {
                rt_run_error(r, line, OOM);
                break;
            }
            for (size_t k = 0; k < na && !done; k++) {
                rt_str v;
                if (av[k].flags & RT_ADDR_GROUP)
                    continue;
                if (!rt_addr_get_part(r->a, &av[k], ap, r->separators, strlen(r->separators), &v))
                    continue;
                done = matcher_value(&m, v);
            }
        }
    }
    return matcher_end(&m);
}

/* RFC 5228 5.4. "auth" (Pigeonhole's third part) is compared as it is,
 * not as an address; an unknown part has no value. */
static int32_t test_envelope(rt_run *r, const rt_ptest *t)
{
    matcher m;
    if (matcher_begin(&m, r, t) != SIEVE_OK)
        return SIEVE_ERROR;
    const uint32_t *rec = t->rec;
    uint32_t line = rec[SIEVE_TR_LINE];
    uint32_t nn = rt_list_count(r->p, rec[SIEVE_TR_ARG0]);
    bool done = false;
    for (uint32_t i = 0; i < nn && !done; i++) {
        rt_str part;
        if (!rt_vars_expand(r->p, &r->vars, r->a, rt_list_item(r->p, rec[SIEVE_TR_ARG0], i), &part)) {
            rt_run_error(r, line, OOM);
            break;
        }
        const char *val = NULL;
        bool is_addr = true;
        if (part.len == 4 && strncasecmp(part.p, "from", 4) == 0)
            val = r->env->mail_from;
        else if (part.len == 2 && strncasecmp(part.p, "to", 2) == 0)
            val = r->env->rcpt_to;
        else if (part.len == 4 && strncasecmp(part.p, "auth", 4) == 0) {
            val = r->env->auth;
            is_addr = false;
        }
        if (!val)
            continue;
        if (!is_addr) {
            done = matcher_value(&m, rt_str_cstr(val));
            continue;
        }
        rt_addr_list l;
        if (!rt_addr_parse_path(r->a, val, strlen(val), &l)) {
            rt_run_error(r, line, OOM);
            break;
        }
        for (size_t k = 0; k < l.n && !done; k++) {
            rt_str v;
            /* RFC 5228 5.4: the null reverse-path "<>" is "" for every part. */
            if (!rt_addr_get_part(r->a, &l.v[k], (rt_addr_part)rec[SIEVE_TR_ADDRPART],
                                  r->separators, strlen(r->separators), &v))
                continue;
            done = matcher_value(&m, v);
        }
    }
    return matcher_end(&m);
}

/* RFC 5228 5.5: true when every named header exists. */
static int32_t test_exists(rt_run *r, const rt_ptest *t)
{
    uint32_t nn = rt_list_count(r->p, t->rec[SIEVE_TR_ARG0]);
    for (uint32_t i = 0; i < nn; i++) {
        rt_pname n;
        if (!name_at(r, t, i, &n))
            return rt_run_error(r, t->rec[SIEVE_TR_LINE], OOM);
        if (count_name(r, &n) == 0)
            return SIEVE_OK;
    }
    return SIEVE_TRUE;
}

/* RFC 5173 */
static int32_t test_body(rt_run *r, const rt_ptest *t)
{
    const uint32_t *rec = t->rec;
    uint32_t line = rec[SIEVE_TR_LINE];
    const rt_body_spec *spec = t->body;
    if (!spec) {
        uint32_t n = rt_list_count(r->p, rec[SIEVE_TR_ARG0]);
        rt_str *types = rt_arena_alloc(r->a, (n ? n : 1) * sizeof *types);
        if (!types)
            return rt_run_error(r, line, OOM);
        for (uint32_t i = 0; i < n; i++)
            if (!rt_vars_expand(r->p, &r->vars, r->a, rt_list_item(r->p, rec[SIEVE_TR_ARG0], i), &types[i]))
                return rt_run_error(r, line, OOM);
        static const rt_body_transform bt[] = { [SIEVE_BT_TEXT] = RT_BODY_TEXT,
                                                [SIEVE_BT_RAW] = RT_BODY_RAW,
                                                [SIEVE_BT_CONTENT] = RT_BODY_CONTENT };
        if (!(spec = rt_body_spec_new(r->a, bt[rec[SIEVE_TR_EXTRA]], types, n)))
            return rt_run_error(r, line, OOM);
    }
    if (!r->mime && !(r->mime = rt_mime_parse(r->a, rt_str_make(r->msg_data, r->msg_len))))
        return rt_run_error(r, line, OOM);
    matcher m;
    if (matcher_begin(&m, r, t) != SIEVE_OK)
        return SIEVE_ERROR;
    rt_body_iter it;
    rt_str s;
    int rc;
    rt_body_begin(&it, r->a, r->mime, spec);
    while ((rc = rt_body_next(&it, &s)) > 0)
        if (matcher_value(&m, s))
            break;
    if (rc < 0)
        rt_run_error(r, line, OOM);
    return matcher_end(&m);
}

/* RFC 5229 5: for :count, a string counts 1 unless it is empty. */
static int32_t test_string(rt_run *r, const rt_ptest *t)
{
    matcher m;
    if (matcher_begin(&m, r, t) != SIEVE_OK)
        return SIEVE_ERROR;
    const uint32_t *rec = t->rec;
    uint32_t n = rt_list_count(r->p, rec[SIEVE_TR_ARG0]);
    for (uint32_t i = 0; i < n; i++) {
        rt_str v;
        if (!rt_vars_expand(r->p, &r->vars, r->a, rt_list_item(r->p, rec[SIEVE_TR_ARG0], i), &v)) {
            rt_run_error(r, rec[SIEVE_TR_LINE], OOM);
            break;
        }
        if (m.count && v.len == 0)
            continue;
        if (matcher_value(&m, v))
            break;
    }
    return matcher_end(&m);
}

int32_t rt_test_eval(rt_run *r, uint32_t i)
{
    const rt_program *p = r->p;
    if (i >= p->ntests)
        return rt_run_error(r, 0, "test record %u out of range", i);
    const rt_ptest *t = &p->ptests[i];
    const uint32_t *rec = t->rec;
    switch (rec[SIEVE_TR_KIND]) {
    case SIEVE_TEST_HEADER:
        return test_fields(r, t, false);
    case SIEVE_TEST_ADDRESS:
        return test_fields(r, t, true);
    case SIEVE_TEST_ENVELOPE:
        return test_envelope(r, t);
    case SIEVE_TEST_EXISTS:
        return test_exists(r, t);
    case SIEVE_TEST_SIZE_OVER:
    case SIEVE_TEST_SIZE_UNDER: {
        /* RFC 5228 5.9: the size as received (rt_msg_size: the octets
         * handed to us, what Pigeonhole's sieve-test reports too). */
        uint64_t limit = (uint64_t)rec[SIEVE_TR_ARG0] << 32 | rec[SIEVE_TR_EXTRA];
        uint64_t size = rt_msg_size(r->msg);
        bool over = rec[SIEVE_TR_KIND] == SIEVE_TEST_SIZE_OVER;
        return (over ? size > limit : size < limit) ? SIEVE_TRUE : SIEVE_OK;
    }
    case SIEVE_TEST_BODY:
        return test_body(r, t);
    case SIEVE_TEST_STRING:
        return test_string(r, t);
    case SIEVE_TEST_HOST:
        return rt_host_test(r, t);
    case SIEVE_TEST_DATE:
        return rt_test_date(r, t);
    case SIEVE_TEST_CURRENTDATE:
        return rt_test_currentdate(r, t);
    case SIEVE_TEST_ENVIRONMENT:
        return rt_test_environment(r, t);
    case SIEVE_TEST_IHAVE:
        return rt_ihave_test(r, t);
    case SIEVE_TEST_DUPLICATE:
        return rt_test_duplicate(r, t);
    case SIEVE_TEST_VALID_NOTIFY_METHOD:
        return rt_test_valid_notify_method(r, t);
    case SIEVE_TEST_NOTIFY_METHOD_CAPABILITY:
        return rt_test_notify_method_capability(r, t);
    case SIEVE_TEST_HASFLAG:
        return rt_flags_hasflag(r, t);
    case SIEVE_TEST_MAILBOXEXISTS:
    case SIEVE_TEST_MAILBOXIDEXISTS:
        return rt_mailbox_test(r, t);
    default:
        return rt_run_error(r, rec[SIEVE_TR_LINE], "test %u is not supported by this runtime",
                            rec[SIEVE_TR_KIND]);
    }
}

int32_t rt_test_match_values(rt_run *r, const rt_ptest *t, const rt_str *v, size_t n)
{
    matcher m;
    int32_t rc = matcher_begin(&m, r, t);
    if (rc != SIEVE_OK)
        return rc;
    for (size_t i = 0; i < n; i++)
        if (matcher_value(&m, v[i]))
            break;
    return matcher_end(&m);
}
