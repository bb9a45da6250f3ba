/* ext_mime: foreverypart, :mime and extracttext at run time (RFC 5703);
 * contract in ext_mime.h. */
#include "ext_mime.h"

#include <string.h>
#include <strings.h>

#include "address.h"

#define OOM "out of memory for this message"

static bool ensure_mime(rt_run *r)
{
    if (!r->mime)
        r->mime = rt_mime_parse(r->a, rt_str_make(r->msg_data, r->msg_len));
    return r->mime != NULL;
}

/* ---- foreverypart (RFC 5703 3) ------------------------------------------ */

static bool loop_valid(const rt_run *r, uint32_t loop)
{
    return loop < r->p->w[SIEVE_META_NLOOPS];
}

static uint32_t loop_line(const rt_run *r, uint32_t loop)
{
    const uint32_t *w = r->p->w;
    return w[w[SIEVE_META_LOOPS] + loop * SIEVE_LOOP_WORDS + SIEVE_LR_LINE];
}

int32_t rt_mime_loop_begin(rt_run *r, uint32_t loop)
{
    if (r->failed)
        return SIEVE_ERROR;
    if (!loop_valid(r, loop))
        return rt_run_error(r, 0, "loop record %u out of range", loop);
    uint32_t line = loop_line(r, loop);
    if (r->nloops >= RT_LOOP_MAX)
        return rt_run_error(r, line, "foreverypart nested deeper than %d loops", RT_LOOP_MAX);
    if (!ensure_mime(r))
        return rt_run_error(r, line, OOM);
    rt_loop_frame *f = &r->loops[r->nloops];
    f->loop = loop;
    f->part = UINT32_MAX;
    if (r->nloops == 0) {
        f->next = 0;
        f->end = (uint32_t)r->mime->nparts;
    } else {
        uint32_t cur = r->loops[r->nloops - 1].part;
        /* A part the message no longer has (a host replaced the message
         * during the loop) has no parts below it. */
        f->next = f->end = 0;
        if (cur < r->mime->nparts) {
            f->next = cur + 1;
            f->end = r->mime->parts[cur].end;
        }
    }
    r->nloops++;
    return SIEVE_OK;
}

int32_t rt_mime_loop_next(rt_run *r, uint32_t loop)
{
    if (r->failed)
        return SIEVE_ERROR;
    if (r->nloops == 0 || r->loops[r->nloops - 1].loop != loop)
        return rt_run_error(r, 0, "loop record %u is not the innermost loop", loop);
    rt_loop_frame *f = &r->loops[r->nloops - 1];
    if (!ensure_mime(r))
        return rt_run_error(r, loop_line(r, loop), OOM);
    /* The message may have been replaced by a host since loop_begin: stop
     * where it ends. */
    if (f->next >= f->end || f->next >= r->mime->nparts)
        return SIEVE_OK;
    f->part = f->next++;
    return SIEVE_TRUE;
}

/* Also after break, stop and errors: the enclosing part is current again. */
int32_t rt_mime_loop_end(rt_run *r, uint32_t loop)
{
    if (r->nloops == 0 || r->loops[r->nloops - 1].loop != loop)
        return rt_run_error(r, 0, "loop record %u is not the innermost loop", loop);
    r->nloops--;
    return r->failed ? SIEVE_ERROR : SIEVE_OK;
}

/* ---- The parts a :mime test looks at ------------------------------------ */

/* [first, end) of part indexes; part 0 stands for the message header. */
static bool mime_range(rt_run *r, const rt_ptest *t, uint32_t *first_r, uint32_t *end_r)
{
    bool any = t->rec[SIEVE_TR_FLAGS] & SIEVE_TF_ANYCHILD;
    if (r->nloops == 0 && !any) {
        *first_r = 0;
        *end_r = 1;
        return true;
    }
    if (!ensure_mime(r))
        return false;
    uint32_t cur = r->nloops ? r->loops[r->nloops - 1].part : 0;
    if (cur >= r->mime->nparts) {
        /* The part is gone (a host replaced the message in the loop). */
        *first_r = *end_r = 0;
        return true;
    }
    *first_r = cur;
    *end_r = any ? r->mime->parts[cur].end : cur + 1;
    return true;
}

/* The header view of part i: the message's own for part 0 (the index the
 * filter prepared), a scan view of the part's header block otherwise. */
static rt_msg *part_msg(rt_run *r, uint32_t i)
{
    if (i == 0)
        return r->msg;
    if (!r->part_hdrs) {
        size_t n = r->mime->nparts;
        r->part_hdrs = rt_arena_alloc(r->a, n * sizeof *r->part_hdrs);
        if (!r->part_hdrs)
            return NULL;
        memset(r->part_hdrs, 0, n * sizeof *r->part_hdrs);
    }
    if (!r->part_hdrs[i]) {
        rt_str h = r->mime->parts[i].header;
        r->part_hdrs[i] = rt_msg_open_part(r->a, h.p, h.len);
    }
    return r->part_hdrs[i];
}

/* A growable array of values in the arena (old blocks are left to the
 * arena: a test offers few values). */
typedef struct valvec {
    rt_str *v;
    size_t n, cap;
} valvec;

static bool push(rt_arena *a, valvec *vv, rt_str s)
{
    if (vv->n == vv->cap) {
        size_t cap = vv->cap ? 2 * vv->cap : 16;
        rt_str *v = rt_arena_alloc(a, cap * sizeof *v);
        if (!v)
            return false;
        if (vv->n)
            memcpy(v, vv->v, vv->n * sizeof *v);
        vv->v = v;
        vv->cap = cap;
    }
    vv->v[vv->n++] = s;
    return true;
}

static bool token_char(char c)
{
    /* RFC 2045 5.1: any CHAR except SPACE, CTLs and tspecials. */
    return c > ' ' && c < 127 && !strchr("()<>@,;:\\\"/[]?=", c);
}

/* RFC 2045 5.1 "type/subtype" at the start of a Content-Type value, as
 * written (Pigeonhole keeps the case: "Message/Partial"); both empty when
 * the value does not start with one. For Content-Disposition (RFC 2183)
 * the type is the disposition type and the subtype is empty, as
 * Pigeonhole's suite expects. Comments are not skipped. */
static void content_type(rt_str v, bool disposition, rt_str *type_r, rt_str *subtype_r)
{
    size_t i = 0;
    *type_r = *subtype_r = rt_str_make("", 0);
    while (i < v.len && (v.p[i] == ' ' || v.p[i] == '\t'))
        i++;
    size_t t0 = i;
    while (i < v.len && token_char(v.p[i]))
        i++;
    size_t t1 = i;
    if (disposition) {
        *type_r = rt_str_make(v.p + t0, t1 - t0);
        return;
    }
    while (i < v.len && (v.p[i] == ' ' || v.p[i] == '\t'))
        i++;
    if (t1 == t0 || i >= v.len || v.p[i] != '/')
        return;
    i++;
    while (i < v.len && (v.p[i] == ' ' || v.p[i] == '\t'))
        i++;
    size_t s0 = i;
    while (i < v.len && token_char(v.p[i]))
        i++;
    if (i == s0)
        return;
    *type_r = rt_str_make(v.p + t0, t1 - t0);
    *subtype_r = rt_str_make(v.p + s0, i - s0);
}

/* RFC 5703 4.2: the values one field offers under the test's option.
 * Any field is parsed as a Content-Type value for :type/:subtype/
 * :contenttype (not "type/subtype": ""), as Pigeonhole does. :param
 * offers the value of each named parameter present, or "" when none is
 * (Pigeonhole 0.5.19 likewise). */
static bool field_values(rt_run *r, const rt_ptest *t, rt_msg *m, rt_hdr_field *f, valvec *vv)
{
    rt_str v;
    if (!rt_hdr_value_utf8(m, f, &v))
        return false;
    uint32_t opt = t->rec[SIEVE_TR_EXTRA];
    if (opt == SIEVE_MIME_OPT_NONE)
        return push(r->a, vv, v);
    if (opt == SIEVE_MIME_OPT_PARAM) {
        uint32_t list = t->rec[SIEVE_TR_ARG2];
        uint32_t n = rt_list_count(r->p, list);
        bool any = false;
        for (uint32_t i = 0; i < n; i++) {
            rt_str name, val;
            if (!rt_vars_expand(r->p, &r->vars, r->a, rt_list_item(r->p, list, i), &name))
                return false;
            /* rt_mime_param wants a C string name. */
            char *cname = rt_arena_alloc(r->a, name.len + 1);
            if (!cname)
                return false;
            memcpy(cname, name.p, name.len);
            cname[name.len] = '\0';
            if (memchr(name.p, '\0', name.len) || !rt_mime_param(r->a, v, cname, &val))
                continue;
            any = true;
            if (!push(r->a, vv, val))
                return false;
        }
        return any || push(r->a, vv, rt_str_make("", 0));
    }
    rt_str type, subtype;
    bool disposition = f->name_len == 19 && strncasecmp(f->name, "content-disposition", 19) == 0;
    content_type(v, disposition, &type, &subtype);
    if (opt == SIEVE_MIME_OPT_TYPE)
        return push(r->a, vv, type);
    if (opt == SIEVE_MIME_OPT_SUBTYPE)
        return push(r->a, vv, subtype);
    if (type.len == 0 || subtype.len == 0)
        return push(r->a, vv, type);
    /* "type/subtype": a slice of the value when written without spaces. */
    if (subtype.p == type.p + type.len + 1)
        return push(r->a, vv, rt_str_make(type.p, type.len + 1 + subtype.len));
    char *b = rt_arena_alloc(r->a, type.len + 1 + subtype.len);
    if (!b)
        return false;
    memcpy(b, type.p, type.len);
    b[type.len] = '/';
    memcpy(b + type.len + 1, subtype.p, subtype.len);
    return push(r->a, vv, rt_str_make(b, type.len + 1 + subtype.len));
}

static bool name_of(rt_run *r, const rt_ptest *t, uint32_t i, rt_str *out_r)
{
    if (t->names) {
        *out_r = t->names[i].name;
        return true;
    }
    return rt_vars_expand(r->p, &r->vars, r->a, rt_list_item(r->p, t->rec[SIEVE_TR_ARG0], i), out_r);
}

int32_t rt_mime_test_fields(rt_run *r, const rt_ptest *t, bool address)
{
    const uint32_t *rec = t->rec;
    uint32_t line = rec[SIEVE_TR_LINE];
    uint32_t first, end;
    if (!mime_range(r, t, &first, &end))
        return rt_run_error(r, line, OOM);
    uint32_t nn = rt_list_count(r->p, rec[SIEVE_TR_ARG0]);
    valvec vv = { 0 };
    for (uint32_t pi = first; pi < end; pi++) {
        rt_msg *m = part_msg(r, pi);
        if (!m)
            return rt_run_error(r, line, OOM);
        for (uint32_t i = 0; i < nn; i++) {
            rt_str name;
            if (!name_of(r, t, i, &name))
                return rt_run_error(r, line, OOM);
            rt_hdr_iter it;
            rt_msg_hdr_iter_name(m, name.p, name.len, &it);
            rt_hdr_field *f;
            while ((f = rt_hdr_iter_next(&it))) {
                if (!address) {
                    if (!field_values(r, t, m, f, &vv))
                        return rt_run_error(r, line, OOM);
                    continue;
                }
                const rt_addr *av;
                size_t na;
                if (!rt_hdr_addresses(m, f, &av, &na))
                    return rt_run_error(r, line, OOM);
                for (size_t k = 0; k < na; k++) {
                    rt_str v;
                    if (av[k].flags & RT_ADDR_GROUP)
                        continue;
                    if (!rt_addr_get_part(r->a, &av[k], (rt_addr_part)rec[SIEVE_TR_ADDRPART],
                                          r->separators, strlen(r->separators), &v))
                        continue;
                    if (!push(r->a, &vv, v))
                        return rt_run_error(r, line, OOM);
                }
            }
        }
    }
    return rt_test_match_values(r, t, vv.v, vv.n);
}

int32_t rt_mime_test_exists(rt_run *r, const rt_ptest *t)
{
    uint32_t line = t->rec[SIEVE_TR_LINE];
    uint32_t first, end;
    if (!mime_range(r, t, &first, &end))
        return rt_run_error(r, line, OOM);
    uint32_t nn = rt_list_count(r->p, t->rec[SIEVE_TR_ARG0]);
    /* Every name must exist, each in any of the parts considered (as
     * Pigeonhole's suite expects of :anychild). */
    for (uint32_t i = 0; i < nn; i++) {
        rt_str name;
        if (!name_of(r, t, i, &name))
            return rt_run_error(r, line, OOM);
        bool found = false;
        for (uint32_t pi = first; pi < end && !found; pi++) {
            rt_msg *m = part_msg(r, pi);
            if (!m)
                return rt_run_error(r, line, OOM);
            found = rt_msg_hdr_count_name(m, name.p, name.len) > 0;
        }
        if (!found)
            return SIEVE_OK;
    }
    return first < end ? SIEVE_TRUE : SIEVE_OK;
}

/* ---- extracttext (RFC 5703 7) ------------------------------------------- */

rt_str rt_mime_first_chars(rt_str s, uint64_t n)
{
    size_t i = 0;
    uint64_t chars = 0;
    while (i < s.len && chars < n) {
        unsigned char c = (unsigned char)s.p[i];
        size_t len = c < 0x80 ? 1 : (c & 0xE0) == 0xC0 ? 2 : (c & 0xF0) == 0xE0 ? 3
                   : (c & 0xF8) == 0xF0 ? 4 : 1;
        if (i + len > s.len)
            len = s.len - i;
        i += len;
        chars++;
    }
    return rt_str_make(s.p, i);
}

/* The content of the current part, transfer-decoded, text converted to
 * UTF-8 and HTML reduced to its text (as the body test's :text); a multipart or an encapsulated
 * message has none (""), as in Pigeonhole. Pigeonhole cuts :first at
 * octets and may split a character; RFC 5703 7 counts characters, and
 * so do we. */
int32_t rt_mime_extracttext(rt_run *r, const uint32_t *rec)
{
    uint32_t line = rec[SIEVE_AR_LINE];
    uint32_t slot = rec[SIEVE_AR_ARG1];
    if (slot >= r->p->nvars)
        return rt_run_error(r, line, "extracttext: variable slot %u out of range", slot);
    if (r->nloops == 0)
        return rt_run_error(r, line, "extracttext used outside foreverypart");
    uint32_t cur = r->loops[r->nloops - 1].part;
    if (!ensure_mime(r))
        return rt_run_error(r, line, OOM);
    if (cur >= r->mime->nparts) {
        /* The part is gone (a host replaced the message in the loop). */
        if (!rt_vars_set(&r->vars, r->a, slot, rt_str_make("", 0), rec[SIEVE_AR_FLAGS]))
            return rt_run_error(r, line, OOM);
        return SIEVE_OK;
    }
    rt_mime_part *p = &r->mime->parts[cur];
    rt_str text = rt_str_make("", 0);
    bool html = p->type.len == 4 && memcmp(p->type.p, "text", 4) == 0 && p->subtype.len == 4 &&
                memcmp(p->subtype.p, "html", 4) == 0;
    if (p->text_ok && html) {
        text = p->text;     /* the body test's :text of this part */
    } else if (!p->multipart && !p->message) {
        if (!rt_mime_decoded(r->mime, cur, &text))
            return rt_run_error(r, line, OOM);
        p = &r->mime->parts[cur];
        /* As Pigeonhole (and the body test's :text): HTML is reduced to
         * its text. */
        if (html) {
            if (!rt_body_html_to_text(r->a, text, &text))
                return rt_run_error(r, line, OOM);
            p->text = text;
            p->text_ok = true;
        }
    }
    if (rec[SIEVE_AR_NUMBER] != UINT32_MAX)
        text = rt_mime_first_chars(text, rec[SIEVE_AR_NUMBER]);
    if (!rt_vars_set(&r->vars, r->a, slot, text, rec[SIEVE_AR_FLAGS]))
        return rt_run_error(r, line, OOM);
    return SIEVE_OK;
}

/* ---- replace and enclose (RFC 5703 5, 6) -------------------------------- */

uint32_t rt_mime_current_part(const rt_run *r)
{
    if (r->nloops == 0)
        return 0;
    uint32_t cur = r->loops[r->nloops - 1].part;
    return cur == UINT32_MAX ? 0 : cur;
}

/* RFC 5703 6: each :headers item is a header field for the new message;
 * one without a field name and a colon, or with a line break that does not
 * fold, could inject header lines the script did not mean, so it is an
 * error. */
static bool header_line_ok(rt_str s)
{
    size_t i = 0;
    while (i < s.len && s.p[i] > ' ' && s.p[i] < 127 && s.p[i] != ':')
        i++;
    if (i == 0 || i >= s.len || s.p[i] != ':')
        return false;
    for (size_t k = i; k < s.len; k++) {
        if (s.p[k] == '\0')
            return false;
        if (s.p[k] == '\n' && (k + 1 >= s.len || (s.p[k + 1] != ' ' && s.p[k + 1] != '\t')))
            return false;
    }
    return true;
}

int32_t rt_mime_header_lines(rt_run *r, uint32_t list, uint32_t line, sieve_action *act)
{
    uint32_t n = rt_list_count(r->p, list);
    const char **v = rt_arena_alloc(r->a, (n ? n : 1) * sizeof *v);
    if (!v)
        return rt_run_error(r, line, OOM);
    for (uint32_t i = 0; i < n; i++) {
        rt_str s;
        if (!rt_vars_expand(r->p, &r->vars, r->a, rt_list_item(r->p, list, i), &s))
            return rt_run_error(r, line, OOM);
        if (!header_line_ok(s))
            return rt_run_error(r, line, "enclose: '%.*s' is not a header field",
                                (int)(s.len > 80 ? 80 : s.len), s.p);
        char *c = rt_arena_alloc(r->a, s.len + 1);
        if (!c)
            return rt_run_error(r, line, OOM);
        memcpy(c, s.p, s.len);
        c[s.len] = '\0';
        v[i] = c;
    }
    act->headers = v;
    act->nheaders = n;
    return SIEVE_OK;
}
