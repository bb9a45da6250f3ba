/* ext_flags: see ext_flags.h. */
#include "ext_flags.h"

#include <string.h>

#include "flags.h"
#include "hedit.h"

#define OOM "out of memory for this message"

static const char *cstr(rt_arena *a, rt_str s)
{
    char *b = rt_arena_alloc(a, s.len + 1);
    if (!b)
        return NULL;
    if (s.len)
        memcpy(b, s.p, s.len);
    b[s.len] = '\0';
    return b;
}

/* ---- imap4flags ----------------------------------------------------------- */

/* The slot of a variable named by a constant value (the code generator
 * writes names lower-cased and gives each a slot), or UINT32_MAX. */
static uint32_t slot_of(const rt_program *p, uint32_t name_off)
{
    rt_str name, v;
    if (!rt_value_const(p, name_off, &name))
        return UINT32_MAX;
    uint32_t list = p->w[SIEVE_META_VARNAMES];
    uint32_t n = rt_list_count(p, list);
    for (uint32_t i = 0; i < n && i < p->nvars; i++)
        if (rt_value_const(p, rt_list_item(p, list, i), &v) && v.len == name.len &&
            memcmp(v.p, name.p, v.len) == 0)
            return i;
    return UINT32_MAX;
}

int32_t rt_flags_action(rt_run *r, const uint32_t *rec)
{
    const rt_program *p = r->p;
    uint32_t line = rec[SIEVE_AR_LINE], var = rec[SIEVE_AR_ARG0], list = rec[SIEVE_AR_ARG1];
    uint32_t slot = UINT32_MAX;
    rt_str cur = r->flags;
    if (var) {
        slot = slot_of(p, var);
        if (slot == UINT32_MAX)
            return rt_run_error(r, line, "flag variable not found in the program table");
        cur = r->vars.slots[slot];
    }
    uint32_t n = rt_list_count(p, list);
    rt_str *in = rt_arena_alloc(r->a, (n ? n : 1) * sizeof *in);
    if (!in)
        return rt_run_error(r, line, OOM);
    for (uint32_t i = 0; i < n; i++)
        if (!rt_vars_expand(p, &r->vars, r->a, rt_list_item(p, list, i), &in[i]))
            return rt_run_error(r, line, OOM);
    static const rt_flags_op ops[] = { [SIEVE_ACT_SETFLAG] = RT_FLAGS_SET,
                                       [SIEVE_ACT_ADDFLAG] = RT_FLAGS_ADD,
                                       [SIEVE_ACT_REMOVEFLAG] = RT_FLAGS_REMOVE };
    rt_str out;
    if (!rt_flags_apply(r->a, cur, ops[rec[SIEVE_AR_KIND]], in, n, &out))
        return rt_run_error(r, line, OOM);
    if (var) {
        if (!rt_vars_set(&r->vars, r->a, slot, out, 0))
            return rt_run_error(r, line, OOM);
    } else {
        r->flags = out;
    }
    return SIEVE_OK;
}

/* Every flag of the strings v[0..n), split (RFC 5232 4: hasflag looks at
 * the flags the variables hold, duplicates removed). */
static bool split_all(rt_run *r, const rt_str *v, size_t n, rt_str **out_r, size_t *nout_r)
{
    rt_str all;
    if (!rt_flags_apply(r->a, rt_str_make("", 0), RT_FLAGS_SET, v, n, &all))
        return false;
    size_t count = 0, pos = 0;
    rt_str f;
    while (rt_flags_next(all, &pos, &f))
        count++;
    rt_str *out = rt_arena_alloc(r->a, (count ? count : 1) * sizeof *out);
    if (!out)
        return false;
    pos = 0;
    count = 0;
    while (rt_flags_next(all, &pos, &f))
        out[count++] = f;
    *out_r = out;
    *nout_r = count;
    return true;
}

/* With :is and :contains each key is a flag list too: true when any of
 * its flags matches any flag held (Pigeonhole 0.5.19, checked: hasflag
 * :is "v" "Junk Nonexistent" is true when v holds Junk; :matches "* Junk"
 * and :value keys are not split). */
static int32_t match_split_keys(rt_run *r, const uint32_t *rec, const rt_str *flags, size_t nf)
{
    static const rt_cmp_id cmps[] = {
        [SIEVE_CMP_OCTET] = RT_CMP_OCTET, [SIEVE_CMP_ASCII_CASEMAP] = RT_CMP_ASCII_CASEMAP,
        [SIEVE_CMP_ASCII_NUMERIC] = RT_CMP_ASCII_NUMERIC,
        [SIEVE_CMP_UNICODE_CASEMAP] = RT_CMP_UNICODE_CASEMAP,
    };
    const rt_program *p = r->p;
    uint32_t line = rec[SIEVE_TR_LINE], keys = rec[SIEVE_TR_ARG1];
    uint32_t cmp = rec[SIEVE_TR_COMPARATOR];
    rt_match_type mt = rec[SIEVE_TR_MATCH] == SIEVE_MATCH_IS ? RT_MATCH_IS : RT_MATCH_CONTAINS;
    if (cmp >= sizeof cmps / sizeof cmps[0])
        return rt_run_error(r, line, "unknown comparator %u", cmp);
    uint32_t nk = rt_list_count(p, keys);
    for (uint32_t i = 0; i < nk; i++) {
        rt_str k, kf;
        if (!rt_vars_expand(p, &r->vars, r->a, rt_list_item(p, keys, i), &k))
            return rt_run_error(r, line, OOM);
        size_t pos = 0;
        while (rt_flags_next(k, &pos, &kf)) {
            for (size_t j = 0; j < nf; j++) {
                rt_match_result m = rt_match_once(r->a, mt, cmps[cmp], RT_REL_EQ, flags[j], kf, NULL);
                if (m == RT_MATCH_ERROR)
                    return rt_run_error(r, line, OOM);
                if (m == RT_MATCH_YES)
                    return SIEVE_TRUE;
            }
        }
    }
    return SIEVE_OK;
}

int32_t rt_flags_hasflag(rt_run *r, const rt_ptest *t)
{
    const rt_program *p = r->p;
    const uint32_t *rec = t->rec;
    uint32_t line = rec[SIEVE_TR_LINE], vars = rec[SIEVE_TR_ARG0];
    uint32_t n = vars ? rt_list_count(p, vars) : 1;
    rt_str *src = rt_arena_alloc(r->a, (n ? n : 1) * sizeof *src);
    if (!src)
        return rt_run_error(r, line, OOM);
    if (!vars) {
        src[0] = r->flags;
    } else {
        for (uint32_t i = 0; i < n; i++) {
            uint32_t slot = slot_of(p, rt_list_item(p, vars, i));
            if (slot == UINT32_MAX)
                return rt_run_error(r, line, "flag variable not found in the program table");
            src[i] = r->vars.slots[slot];
        }
    }
    rt_str *flags;
    size_t nf;
    if (!split_all(r, src, n, &flags, &nf))
        return rt_run_error(r, line, OOM);
    uint32_t mt = rec[SIEVE_TR_MATCH];
    if (mt == SIEVE_MATCH_IS || mt == SIEVE_MATCH_CONTAINS)
        return match_split_keys(r, rec, flags, nf);
    return rt_test_match_values(r, t, flags, nf);
}

/* The storable flags of the normalised list s as C strings. */
static int32_t store_flags(rt_run *r, rt_str s, uint32_t line, sieve_action *act)
{
    size_t count = 0, pos = 0;
    rt_str f;
    while (rt_flags_next(s, &pos, &f))
        count++;
    act->flags = NULL;
    act->nflags = 0;
    if (!count)
        return SIEVE_OK;
    const char **v = rt_arena_alloc(r->a, count * sizeof *v);
    if (!v)
        return rt_run_error(r, line, OOM);
    size_t n = 0;
    pos = 0;
    while (rt_flags_next(s, &pos, &f)) {
        /* An IMAP store refuses invalid flags; Pigeonhole drops them with
         * a warning, and so do we (without the warning). */
        if (!rt_flags_storable(f))
            continue;
        if (!(v[n++] = cstr(r->a, f)))
            return rt_run_error(r, line, OOM);
    }
    if (n) {
        act->flags = v;
        act->nflags = n;
    }
    return SIEVE_OK;
}

int32_t rt_flags_for_store(rt_run *r, uint32_t list, uint32_t line, sieve_action *act)
{
    if (!list)
        return store_flags(r, r->flags, line, act);
    const rt_program *p = r->p;
    uint32_t n = rt_list_count(p, list);
    rt_str *in = rt_arena_alloc(r->a, (n ? n : 1) * sizeof *in);
    if (!in)
        return rt_run_error(r, line, OOM);
    for (uint32_t i = 0; i < n; i++)
        if (!rt_vars_expand(p, &r->vars, r->a, rt_list_item(p, list, i), &in[i]))
            return rt_run_error(r, line, OOM);
    rt_str s;
    if (!rt_flags_apply(r->a, rt_str_make("", 0), RT_FLAGS_SET, in, n, &s))
        return rt_run_error(r, line, OOM);
    return store_flags(r, s, line, act);
}

int32_t rt_flags_finish(rt_run *r)
{
    if (!r->flags.len)
        return SIEVE_OK;
    sieve_action tmp;
    memset(&tmp, 0, sizeof tmp);
    if (store_flags(r, r->flags, 0, &tmp) != SIEVE_OK)
        return SIEVE_ERROR;
    rt_result_implicit_flags(r->res, tmp.flags, tmp.nflags);
    return SIEVE_OK;
}

/* ---- editheader ------------------------------------------------------------ */

/* The rest of the run sees block as the message header (RFC 5293 3) over
 * the body as received (body tests read that). The size test sees the
 * edited message's size, as in Pigeonhole (its addheader suite checks a
 * 76-byte message grows to 107 bytes). */
static int32_t reopen(rt_run *r, rt_str block, uint32_t line)
{
    uint64_t old_hdr = rt_msg_header_block(r->msg).len;
    uint64_t size = rt_msg_size(r->msg);
    size = size > old_hdr ? size - old_hdr : 0;
    const char *eol = rt_hedit_eol(block);
    rt_buf b;
    rt_buf_init(&b, r->a);
    rt_buf_append(&b, block.p, block.len);
    if (block.len && block.p[block.len - 1] != '\n')
        rt_buf_append(&b, eol, strlen(eol));
    rt_str hdr = rt_buf_str(&b);
    size_t hlen = hdr.len;
    rt_buf_append(&b, eol, strlen(eol));
    rt_str data = rt_buf_str(&b);
    if (b.failed)
        return rt_run_error(r, line, OOM);
    rt_msg *m = rt_msg_open(r->a, r->p->hdrs, data.p, data.len);
    if (!m)
        return rt_run_error(r, line, OOM);
    rt_msg_set_size(m, size + hlen);
    r->msg = m;
    rt_result_set_header(r->res, data.p, hlen);
    return SIEVE_OK;
}

static int32_t expand_name(rt_run *r, uint32_t off, uint32_t line, rt_str *name_r,
                           const char **c_r)
{
    if (!rt_vars_expand(r->p, &r->vars, r->a, off, name_r) || !(*c_r = cstr(r->a, *name_r)))
        return rt_run_error(r, line, OOM);
    /* RFC 5293 4, 5: an invalid name is a run-time error (the compiler
     * already refused constant ones). */
    if (!rt_hedit_name_ok(*name_r))
        return rt_run_error(r, line, "invalid header field name '%.80s'", *c_r);
    return SIEVE_OK;
}

static int32_t addheader(rt_run *r, const uint32_t *rec, sieve_action *act)
{
    uint32_t line = rec[SIEVE_AR_LINE];
    rt_str name, value;
    if (expand_name(r, rec[SIEVE_AR_ARG0], line, &name, &act->name) != SIEVE_OK)
        return SIEVE_ERROR;
    if (!rt_vars_expand(r->p, &r->vars, r->a, rec[SIEVE_AR_ARG1], &value) ||
        !(act->value = cstr(r->a, value)))
        return rt_run_error(r, line, OOM);
    act->last = rec[SIEVE_AR_FLAGS] & SIEVE_AF_LAST;
    if (rt_hedit_protected(name, r->settings->editheader_protected, false)) {
        act->kind = SIEVE_ACT__COUNT;   /* nothing done: nothing to record */
        return SIEVE_OK;
    }
    rt_str block = rt_msg_header_block(r->msg), field, out;
    switch (rt_hedit_field(r->a, name, value, rt_hedit_eol(block), &field)) {
    case RT_HEDIT_OK:
        break;
    case RT_HEDIT_NOMEM:
        return rt_run_error(r, line, OOM);
    case RT_HEDIT_TOO_LONG:
        return rt_run_error(r, line, "addheader: value of header field '%.80s' is too long "
                            "(more than %u bytes)", act->name, RT_HEDIT_MAX_VALUE);
    default:
        return rt_run_error(r, line, "addheader: value of header field '%.80s' is invalid "
                            "(NUL, a line end that is not a fold, or invalid UTF-8)",
                            act->name);
    }
    if (!rt_hedit_insert(r->a, block, field, act->last, &out))
        return rt_run_error(r, line, OOM);
    return reopen(r, out, line);
}

static int32_t deleteheader(rt_run *r, const uint32_t *rec, sieve_action *act)
{
    const rt_program *p = r->p;
    uint32_t line = rec[SIEVE_AR_LINE];
    rt_str name;
    if (expand_name(r, rec[SIEVE_AR_ARG0], line, &name, &act->name) != SIEVE_OK)
        return SIEVE_ERROR;
    act->index = rec[SIEVE_AR_NUMBER];
    act->last = (rec[SIEVE_AR_FLAGS] & SIEVE_AF_LAST) && act->index;
    uint32_t pats = rec[SIEVE_AR_ARG1], np = rt_list_count(p, pats);
    const rt_ptest *t = rec[SIEVE_AR_ARG2] ? &p->ptests[rec[SIEVE_AR_ARG2] - 1] : NULL;
    if (pats) {
        const char **v = rt_arena_alloc(r->a, (np ? np : 1) * sizeof *v);
        if (!v)
            return rt_run_error(r, line, OOM);
        for (uint32_t i = 0; i < np; i++) {
            rt_str s;
            if (!rt_vars_expand(p, &r->vars, r->a, rt_list_item(p, pats, i), &s) ||
                !(v[i] = cstr(r->a, s)))
                return rt_run_error(r, line, OOM);
        }
        act->patterns = v;
        act->npatterns = np;
    }
    /* Pigeonhole warns and does nothing; so do we, silently. */
    if (rt_hedit_protected(name, r->settings->editheader_protected, true)) {
        act->kind = SIEVE_ACT__COUNT;   /* nothing done: nothing to record */
        return SIEVE_OK;
    }
    rt_str block = rt_msg_header_block(r->msg);
    size_t total = rt_msg_hdr_count_name(r->msg, name.p, name.len);
    if (!total)
        return SIEVE_OK;
    /* RFC 5293 5: :index N picks the Nth field of the name (from the end
     * with :last) before any pattern is tried. */
    size_t want = 0;
    if (act->index) {
        if (act->index > total)
            return SIEVE_OK;
        want = act->last ? total - act->index + 1 : act->index;
    }
    size_t *start = rt_arena_alloc(r->a, 2 * total * sizeof *start);
    if (!start)
        return rt_run_error(r, line, OOM);
    size_t *end = start + total, ncut = 0, pos = 0;
    rt_hdr_iter it;
    rt_msg_hdr_iter_name(r->msg, name.p, name.len, &it);
    rt_hdr_field *f;
    while ((f = rt_hdr_iter_next(&it)) && ncut < total) {
        pos++;
        if (want && pos != want)
            continue;
        if (t && pats) {
            rt_str v;
            if (!rt_hdr_value_utf8(r->msg, f, &v))
                return rt_run_error(r, line, OOM);
            int32_t rc = rt_test_match_values(r, t, &v, 1);
            if (rc == SIEVE_ERROR)
                return SIEVE_ERROR;
            if (rc != SIEVE_TRUE)
                continue;
        }
        size_t s = (size_t)(f->name - block.p), e = (size_t)(f->raw + f->raw_len - block.p);
        if (e < block.len && block.p[e] == '\r' && e + 1 < block.len && block.p[e + 1] == '\n')
            e += 2;
        else if (e < block.len && block.p[e] == '\n')
            e++;
        start[ncut] = s;
        end[ncut] = e;
        ncut++;
    }
    if (!ncut)
        return SIEVE_OK;
    rt_str out;
    if (!rt_hedit_cut(r->a, block, start, end, ncut, &out))
        return rt_run_error(r, line, OOM);
    return reopen(r, out, line);
}

int32_t rt_editheader_action(rt_run *r, const uint32_t *rec)
{
    sieve_action act;
    memset(&act, 0, sizeof act);
    act.kind = (sieve_action_kind)rec[SIEVE_AR_KIND];
    act.line = rec[SIEVE_AR_LINE];
    int32_t rc = act.kind == SIEVE_ACT_ADDHEADER ? addheader(r, rec, &act)
                                                 : deleteheader(r, rec, &act);
    if (rc != SIEVE_OK || act.kind == SIEVE_ACT__COUNT)
        return rc;
    char err[RT_RESULT_ERROR_MAX];
    if (rt_result_add(r->res, &act, err, sizeof err) != 0)
        return rt_run_error(r, act.line, "%s", err);
    return SIEVE_OK;
}

/* ---- mailbox, special-use, mailboxid ---------------------------------------- */

int32_t rt_mailbox_test(rt_run *r, const rt_ptest *t)
{
    const rt_program *p = r->p;
    const uint32_t *rec = t->rec;
    uint32_t line = rec[SIEVE_TR_LINE], list = rec[SIEVE_TR_ARG0];
    const sieve_mailboxes *mb = r->settings->mailboxes;
    uint32_t kind = rec[SIEVE_TR_KIND];
    bool special = kind == SIEVE_TEST_MAILBOXEXISTS && rec[SIEVE_TR_EXTRA] == 1;
    const char *mailbox = NULL;
    if (special && rec[SIEVE_TR_ARG1]) {
        rt_str s;
        if (!rt_vars_expand(p, &r->vars, r->a, rec[SIEVE_TR_ARG1], &s) ||
            !(mailbox = cstr(r->a, s)))
            return rt_run_error(r, line, OOM);
    }
    /* Each test is true when every name of its list checks out. */
    uint32_t n = rt_list_count(p, list);
    for (uint32_t i = 0; i < n; i++) {
        rt_str s;
        const char *c;
        if (!rt_vars_expand(p, &r->vars, r->a, rt_list_item(p, list, i), &s) ||
            !(c = cstr(r->a, s)))
            return rt_run_error(r, line, OOM);
        bool ok;
        if (!mb || memchr(s.p, '\0', s.len))
            ok = false;
        else if (kind == SIEVE_TEST_MAILBOXIDEXISTS)
            ok = mb->mailboxid_exists && mb->mailboxid_exists(mb->data, c);
        else if (special)
            /* RFC 8579 3: an attribute is "\" and an atom. */
            ok = s.len > 1 && s.p[0] == '\\' && mb->specialuse_exists &&
                 (!mailbox || (mb->exists && mb->exists(mb->data, mailbox))) &&
                 mb->specialuse_exists(mb->data, mailbox, c);
        else
            ok = mb->exists && mb->exists(mb->data, c);
        if (!ok)
            return SIEVE_OK;
    }
    return SIEVE_TRUE;
}
