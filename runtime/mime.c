#define _GNU_SOURCE
#include "mime.h"
#include "rt_str.h"

#include <string.h>
#include <strings.h>

#include "charset.h"

/* ---- lines and header fields ---- */

/* Length of the line end at s[i] (LF or CRLF), 0 when there is none. */
static size_t eol_at(const char *s, size_t len, size_t i)
{
    if (i < len && s[i] == '\n')
        return 1;
    if (i + 1 < len && s[i] == '\r' && s[i + 1] == '\n')
        return 2;
    return 0;
}

/* Index just past the line starting at i (after its LF), or len. */
static size_t next_line(const char *s, size_t len, size_t i)
{
    const char *nl = memchr(s + i, '\n', len - i);
    return nl ? (size_t)(nl - s) + 1 : len;
}

/* Returns false when no empty line ends the header: the entity then has
 * no body at all (RFC 2046 5.1.1: body-part := MIME-part-headers
 * [CRLF *OCTET]). */
static bool split_header(rt_str ent, rt_str *header_r, rt_str *body_r)
{
    size_t i = 0;
    while (i < ent.len) {
        size_t e = eol_at(ent.p, ent.len, i);
        if (e) {
            *header_r = rt_str_make(ent.p, i);
            *body_r = rt_str_make(ent.p + i + e, ent.len - i - e);
            return true;
        }
        i = next_line(ent.p, ent.len, i);
    }
    *header_r = ent;
    *body_r = rt_str_make(ent.p + ent.len, 0);
    return false;
}

/* Raw value of the first field called `name` (continuation lines included,
 * final line end excluded); *at_r (optional) gets where the field starts.
 * The first one, as Dovecot's parser ("use only the first Content-Type"). */
static bool find_field(rt_str h, const char *name, rt_str *value_r, size_t *at_r)
{
    size_t nlen = strlen(name);
    /* name starts with a letter: most lines are rejected by their first
     * byte, without a strncasecmp call. */
    unsigned char first = (unsigned char)(name[0] | 0x20);
    for (size_t i = 0; i < h.len; i = next_line(h.p, h.len, i)) {
        if ((unsigned char)(h.p[i] | 0x20) != first)
            continue;
        if (h.len - i <= nlen || strncasecmp(h.p + i, name, nlen) != 0)
            continue;
        size_t j = i + nlen;
        while (j < h.len && (h.p[j] == ' ' || h.p[j] == '\t'))
            j++;  /* obsolete "Name :" (RFC 5322 4.5.3) */
        if (j >= h.len || h.p[j] != ':')
            continue;
        size_t start = j + 1, end = next_line(h.p, h.len, start);
        while (end < h.len && (h.p[end] == ' ' || h.p[end] == '\t'))
            end = next_line(h.p, h.len, end);
        while (end > start && (h.p[end - 1] == '\n' || h.p[end - 1] == '\r'))
            end--;
        *value_r = rt_str_make(h.p + start, end - start);
        if (at_r)
            *at_r = i;
        return true;
    }
    return false;
}

/* ---- structured values (RFC 2045 5.1) ---- */

typedef struct scan {
    const char *p;
    size_t len, i;
} scan;

/* Skips white space, line ends and (nested) comments. */
static void skip_cfws(scan *s)
{
    while (s->i < s->len) {
        char c = s->p[s->i];
        if (c == ' ' || c == '\t' || c == '\r' || c == '\n') {
            s->i++;
        } else if (c == '(') {
            int depth = 0;
            while (s->i < s->len) {
                c = s->p[s->i++];
                if (c == '\\' && s->i < s->len)
                    s->i++;
                else if (c == '(')
                    depth++;
                else if (c == ')' && --depth == 0)
                    break;
            }
        } else {
            break;
        }
    }
}

static bool is_tspecial(char c)
{
    return strchr("()<>@,;:\\\"/[]?=", c) != NULL;
}

static rt_str scan_token(scan *s)
{
    skip_cfws(s);
    size_t st = s->i;
    while (s->i < s->len) {
        unsigned char c = (unsigned char)s->p[s->i];
        if (c <= ' ' || c == 127 || is_tspecial((char)c))
            break;
        s->i++;
    }
    return rt_str_make(s->p + st, s->i - st);
}

static rt_str lower_dup(rt_arena *a, rt_str in)
{
    char *p = rt_arena_alloc(a, in.len + 1);
    if (!p)
        return rt_str_make(NULL, 0);
    for (size_t i = 0; i < in.len; i++) {
        char c = in.p[i];
        p[i] = (c >= 'A' && c <= 'Z') ? (char)(c + 32) : c;
    }
    p[in.len] = '\0';
    return rt_str_make(p, in.len);
}

bool rt_mime_content_type(rt_arena *a, rt_str value, rt_str *type_r, rt_str *subtype_r)
{
    scan s = { value.p, value.len, 0 };
    rt_str t = scan_token(&s);
    skip_cfws(&s);
    rt_str st = rt_str_make("", 0);
    bool ok = t.len > 0 && s.i < s.len && s.p[s.i] == '/';
    if (ok) {
        s.i++;
        st = scan_token(&s);
        ok = st.len > 0;
    }
    if (!ok) {
        *type_r = *subtype_r = rt_str_make("", 0);
        return false;
    }
    *type_r = lower_dup(a, t);
    *subtype_r = lower_dup(a, st);
    return type_r->p && subtype_r->p;
}

/* Reads a parameter value (token or quoted string), unquoted into b
 * (skips it when b is NULL). */
static void scan_value(scan *s, rt_buf *b)
{
    skip_cfws(s);
    if (s->i < s->len && s->p[s->i] == '"') {
        s->i++;
        while (s->i < s->len && s->p[s->i] != '"') {
            char c = s->p[s->i++];
            if (c == '\\' && s->i < s->len)
                c = s->p[s->i++];
            if (c == '\r' || c == '\n')
                continue;  /* folded quoted string */
            if (b)
                rt_buf_putc(b, c);
        }
        if (s->i < s->len)
            s->i++;
        return;
    }
    size_t st = s->i;
    while (s->i < s->len) {
        unsigned char c = (unsigned char)s->p[s->i];
        /* Tolerate unquoted values with '/', '=' or '?', often seen in
         * boundaries; stop at ';' and space. */
        if (c <= ' ' || c == ';' || c == '"' || c == 127)
            break;
        s->i++;
    }
    if (b)
        rt_buf_append(b, s->p + st, s->i - st);
}

/* RFC 2231 4: charset'language'percent-encoded. */
static void decode_2231(rt_str v, bool first, rt_buf *out)
{
    size_t i = 0;
    if (first) {
        const char *q1 = memchr(v.p, '\'', v.len);
        const char *q2 = q1 ? memchr(q1 + 1, '\'', v.len - (size_t)(q1 + 1 - v.p)) : NULL;
        if (q2)
            i = (size_t)(q2 + 1 - v.p);
    }
    for (; i < v.len; i++) {
        if (v.p[i] == '%' && i + 2 < v.len && rt_hexval(v.p[i + 1]) >= 0 && rt_hexval(v.p[i + 2]) >= 0) {
            rt_buf_putc(out, (char)(rt_hexval(v.p[i + 1]) * 16 + rt_hexval(v.p[i + 2])));
            i += 2;
        } else {
            rt_buf_putc(out, v.p[i]);
        }
    }
}

bool rt_mime_param(rt_arena *a, rt_str value, const char *name, rt_str *out_r)
{
    size_t nlen = strlen(name);
    scan s = { value.p, value.len, 0 };
    rt_buf plain, ext;
    rt_buf_init(&plain, a);
    rt_buf_init(&ext, a);
    bool have_plain = false, have_ext = false;
    /* Skip the type/subtype (or disposition) up to the first ';'. */
    while (s.i < s.len && s.p[s.i] != ';') {
        if (s.p[s.i] == '"' || s.p[s.i] == '(') {
            if (s.p[s.i] == '(')
                skip_cfws(&s);
            else
                scan_value(&s, NULL);
            continue;
        }
        s.i++;
    }
    while (s.i < s.len) {
        if (s.p[s.i] != ';') {
            /* Garbage between parameters: resynchronise at the next ';'. */
            s.i++;
            continue;
        }
        s.i++;
        rt_str pn = scan_token(&s);
        skip_cfws(&s);
        if (s.i >= s.len || s.p[s.i] != '=')
            continue;
        s.i++;
        const char *star = memchr(pn.p, '*', pn.len);
        size_t base = star ? (size_t)(star - pn.p) : pn.len;
        bool match = base == nlen && strncasecmp(pn.p, name, nlen) == 0;
        if (!match) {
            scan_value(&s, NULL);
            continue;
        }
        rt_buf v;
        rt_buf_init(&v, a);
        scan_value(&s, &v);
        rt_str vs = rt_str_make(v.p ? v.p : "", v.len);
        if (!star) {
            if (!have_plain) {
                rt_buf_append(&plain, vs.p, vs.len);
                have_plain = true;
            }
            continue;
        }
        /* name*, name*N, name*N*: sections taken in the order given. */
        rt_str suf = rt_str_make(star + 1, pn.len - base - 1);
        bool encoded = suf.len == 0 || suf.p[suf.len - 1] == '*';
        bool first = suf.len == 0 || (suf.p[0] == '0' && (suf.len == 1 || suf.p[1] == '*'));
        if (encoded)
            decode_2231(vs, first, &ext);
        else
            rt_buf_append(&ext, vs.p, vs.len);
        have_ext = true;
    }
    if (have_ext) {
        *out_r = rt_buf_str(&ext);
        return !ext.failed;
    }
    if (have_plain) {
        *out_r = rt_buf_str(&plain);
        return !plain.failed;
    }
    return false;
}

/* RFC 2045 6.1 */
rt_mime_cte rt_mime_cte_parse(rt_str value)
{
    scan s = { value.p, value.len, 0 };
    rt_str t = scan_token(&s);
    skip_cfws(&s);
    /* "8 bit", "quoted printable": unknown; a stray ";" after the token
     * ("quoted-printable;") is accepted, as Dovecot does. */
    if (s.i < s.len && s.p[s.i] != ';')
        return RT_MIME_CTE_UNKNOWN;
    static const struct {
        const char *name;
        rt_mime_cte cte;
    } known[] = {
        { "7bit", RT_MIME_CTE_7BIT },
        { "8bit", RT_MIME_CTE_8BIT },
        { "binary", RT_MIME_CTE_BINARY },
        { "quoted-printable", RT_MIME_CTE_QP },
        { "base64", RT_MIME_CTE_BASE64 },
    };
    if (t.len == 0)
        return RT_MIME_CTE_UNKNOWN;  /* an empty field: Dovecot skips such bodies too */
    for (size_t i = 0; i < sizeof known / sizeof known[0]; i++)
        if (strlen(known[i].name) == t.len && strncasecmp(known[i].name, t.p, t.len) == 0)
            return known[i].cte;
    return RT_MIME_CTE_UNKNOWN;
}

/* ---- transfer decoding ---- */

/* RFC 2045 6.8 */
bool rt_mime_decode_base64(rt_arena *a, rt_str in, rt_str *out_r)
{
    char *o = rt_arena_alloc(a, in.len / 4 * 3 + 4);
    if (!o)
        return false;
    size_t w = 0;
    uint32_t acc = 0;
    int n = 0;
    for (size_t i = 0; i < in.len; i++) {
        unsigned char c = (unsigned char)in.p[i];
        if (c == '=')
            break;  /* padding: the end of the data */
        int v = rt_b64val(c);
        if (v < 0)
            continue;  /* "ignored" (RFC 2045 6.8): line ends, garbage */
        acc = (acc << 6) | (uint32_t)v;
        if (++n == 4) {
            o[w++] = (char)(acc >> 16);
            o[w++] = (char)(acc >> 8);
            o[w++] = (char)acc;
            acc = 0;
            n = 0;
        }
    }
    if (n == 2) {
        o[w++] = (char)(acc >> 4);
    } else if (n == 3) {
        o[w++] = (char)(acc >> 10);
        o[w++] = (char)(acc >> 2);
    }
    o[w] = '\0';
    *out_r = rt_str_make(o, w);
    return true;
}

/* RFC 2045 6.7 */
bool rt_mime_decode_qp(rt_arena *a, rt_str in, rt_str *out_r)
{
    char *o = rt_arena_alloc(a, in.len + 1);
    if (!o)
        return false;
    size_t w = 0, i = 0;
    const char *s = in.p;
    while (i < in.len) {
        char c = s[i];
        if (c == '=') {
            if (i + 2 < in.len && rt_hexval(s[i + 1]) >= 0 && rt_hexval(s[i + 2]) >= 0) {
                o[w++] = (char)(rt_hexval(s[i + 1]) * 16 + rt_hexval(s[i + 2]));
                i += 3;
                continue;
            }
            /* Soft line break: "=" then optional blanks then the line end
             * (or the end of the data). */
            size_t j = i + 1;
            while (j < in.len && (s[j] == ' ' || s[j] == '\t'))
                j++;
            size_t e = eol_at(s, in.len, j);
            if (e || j == in.len) {
                i = j + e;
                continue;
            }
            o[w++] = c;
            i++;
            continue;
        }
        if (c == ' ' || c == '\t') {
            /* Trailing blanks on a line are dropped (rule 3). */
            size_t j = i;
            while (j < in.len && (s[j] == ' ' || s[j] == '\t'))
                j++;
            if (j == in.len || eol_at(s, in.len, j)) {
                i = j;
                continue;
            }
            memcpy(o + w, s + i, j - i);
            w += j - i;
            i = j;
            continue;
        }
        o[w++] = c;
        i++;
    }
    o[w] = '\0';
    *out_r = rt_str_make(o, w);
    return true;
}

bool rt_mime_decode_cte(rt_arena *a, rt_mime_cte cte, rt_str in, rt_str *out_r)
{
    switch (cte) {
    case RT_MIME_CTE_BASE64:
        return rt_mime_decode_base64(a, in, out_r);
    case RT_MIME_CTE_QP:
        return rt_mime_decode_qp(a, in, out_r);
    default:
        *out_r = in;
        return true;
    }
}

/* ---- structure ---- */

typedef struct parser {
    rt_mime *m;
    size_t cap;
    bool failed;
    /* split_header of the whole message, done once by rt_mime_parse and
     * reused for the root entity (a scan of the top header's lines). */
    rt_str root, root_hdr, root_body;
    bool root_has_body;
} parser;

static size_t new_part(parser *ps)
{
    rt_mime *m = ps->m;
    if (m->nparts == ps->cap) {
        size_t ncap = ps->cap ? ps->cap * 2 : 16;
        rt_mime_part *np = rt_arena_alloc(m->arena, ncap * sizeof *np);
        if (!np) {
            ps->failed = true;
            return SIZE_MAX;
        }
        if (m->nparts)
            memcpy(np, m->parts, m->nparts * sizeof *np);
        m->parts = np;
        ps->cap = ncap;
    }
    rt_mime_part *p = &m->parts[m->nparts];
    memset(p, 0, sizeof *p);
    p->header = p->body = p->type = p->subtype = rt_str_make("", 0);
    p->charset = p->boundary = p->preamble = p->epilogue = p->decoded = p->text = rt_str_make("", 0);
    return m->nparts++;
}

/* A delimiter line at body[i] (a line start): "--" boundary, optional "--",
 * blanks, line end or end of data (RFC 2046 5.1.1). Returns its length
 * including the line end, 0 when it is not one; *close_r for "--b--". */
static size_t delimiter_at(rt_str body, size_t i, rt_str b, bool *close_r)
{
    if (body.len - i < b.len + 2 || body.p[i] != '-' || body.p[i + 1] != '-' ||
        memcmp(body.p + i + 2, b.p, b.len) != 0)
        return 0;
    size_t j = i + 2 + b.len;
    *close_r = false;
    if (j + 1 < body.len && body.p[j] == '-' && body.p[j + 1] == '-') {
        *close_r = true;
        j += 2;
    }
    while (j < body.len && (body.p[j] == ' ' || body.p[j] == '\t'))
        j++;
    if (j == body.len)
        return j - i;
    size_t e = eol_at(body.p, body.len, j);
    return e ? j + e - i : 0;
}

/* Finds the next delimiter line at or after `from`; returns its start or
 * SIZE_MAX. */
static size_t find_delimiter(rt_str body, size_t from, rt_str b, size_t *dlen_r, bool *close_r)
{
    size_t i = from;
    while (i + 2 + b.len <= body.len) {
        const char *hit = memmem(body.p + i, body.len - i, "--", 2);
        if (!hit)
            return SIZE_MAX;
        size_t k = (size_t)(hit - body.p);
        if ((k == 0 || body.p[k - 1] == '\n') && (*dlen_r = delimiter_at(body, k, b, close_r)))
            return k;
        i = k + 1;
    }
    return SIZE_MAX;
}

/* The line end before a delimiter belongs to it (RFC 2046 5.1.1). */
static size_t strip_eol_before(rt_str body, size_t k, size_t floor)
{
    if (k > floor && body.p[k - 1] == '\n') {
        k--;
        if (k > floor && body.p[k - 1] == '\r')
            k--;
    }
    return k;
}

static void parse_entity(parser *ps, rt_str ent, uint32_t depth, int32_t parent, bool digest_child);

static void parse_multipart(parser *ps, size_t idx, uint32_t depth)
{
    rt_mime *m = ps->m;
    rt_str body = m->parts[idx].body, b = m->parts[idx].boundary;
    size_t dlen;
    bool close = false;
    size_t k = find_delimiter(body, 0, b, &dlen, &close);
    if (k == SIZE_MAX) {
        m->parts[idx].preamble = body;
        return;
    }
    m->parts[idx].preamble = rt_str_make(body.p, strip_eol_before(body, k, 0));
    bool digest = m->parts[idx].subtype.len == 6 && memcmp(m->parts[idx].subtype.p, "digest", 6) == 0;
    while (!close) {
        size_t start = k + dlen;
        size_t nk = find_delimiter(body, start, b, &dlen, &close);
        size_t end = nk == SIZE_MAX ? body.len : strip_eol_before(body, nk, start);
        if (m->nparts >= RT_MIME_MAX_PARTS) {
            m->truncated = true;
            return;
        }
        parse_entity(ps, rt_str_make(body.p + start, end - start), depth + 1, (int32_t)idx, digest);
        if (ps->failed)
            return;
        if (nk == SIZE_MAX)
            return;  /* unterminated: the last part ran to the end */
        k = nk;
    }
    size_t after = k + dlen;
    m->parts[idx].epilogue = rt_str_make(body.p + after, body.len - after);
}

static void parse_entity(parser *ps, rt_str ent, uint32_t depth, int32_t parent, bool digest_child)
{
    rt_mime *m = ps->m;
    rt_arena *a = m->arena;
    size_t idx = new_part(ps);
    if (idx == SIZE_MAX)
        return;
    rt_mime_part *p = &m->parts[idx];
    p->depth = depth;
    p->parent = parent;
    if (ent.p == ps->root.p && ent.len == ps->root.len) {
        p->header = ps->root_hdr;
        p->body = ps->root_body;
        p->has_body = ps->root_has_body;
    } else {
        p->has_body = split_header(ent, &p->header, &p->body);
    }
    /* In a multipart the line end before a delimiter belongs to the
     * delimiter (RFC 2046 5.1.1), so "header LF LF --b" leaves the entity
     * "header LF": that header still ended with an empty line, and the
     * part has an empty body (as Dovecot's parser reads it). */
    if (!p->has_body && parent >= 0 && m->parts[parent].multipart && ent.len > 0 &&
        ent.p[ent.len - 1] == '\n')
        p->has_body = true;

    rt_str ct, cte, type, subtype;
    size_t ct_at = 0;
    bool have_ct = find_field(p->header, "Content-Type", &ct, &ct_at) &&
                   rt_mime_content_type(a, ct, &type, &subtype);
    if (!have_ct) {
        /* RFC 2045 5.2, RFC 2046 5.1.5 */
        type = rt_str_cstr(digest_child ? "message" : "text");
        subtype = rt_str_cstr(digest_child ? "rfc822" : "plain");
    }
    bool is_multipart = type.len == 9 && memcmp(type.p, "multipart", 9) == 0;
    if (is_multipart) {
        rt_str b;
        if (have_ct && rt_mime_param(a, ct, "boundary", &b) && b.len > 0) {
            p->boundary = b;
            /* A delimiter line of our own boundary inside our header ends the
             * header there, as in Dovecot's parser: mail whose header lacks
             * the empty line before the first part still splits. */
            size_t dlen, k;
            bool close;
            k = find_delimiter(p->header, ct_at, b, &dlen, &close);
            if (k != SIZE_MAX) {
                p->body = rt_str_make(p->header.p + k, (size_t)(ent.p + ent.len - (p->header.p + k)));
                p->header = rt_str_make(p->header.p, k);
                p->has_body = true;
            }
        }
    }
    p->cte = find_field(p->header, "Content-Transfer-Encoding", &cte, NULL) ? rt_mime_cte_parse(cte)
                                                                             : RT_MIME_CTE_7BIT;
    if (p->cte == RT_MIME_CTE_UNKNOWN) {
        /* RFC 2045 6.4 */
        type = rt_str_cstr("application");
        subtype = rt_str_cstr("octet-stream");
        have_ct = false;
        is_multipart = false;
        p->boundary = rt_str_make("", 0);
    }
    p->type = type;
    p->subtype = subtype;
    if (have_ct && !rt_mime_param(a, ct, "charset", &p->charset))
        p->charset = rt_str_make("", 0);
    bool is_message = type.len == 7 && memcmp(type.p, "message", 7) == 0 &&
                      ((subtype.len == 6 && memcmp(subtype.p, "rfc822", 6) == 0) ||
                       (subtype.len == 6 && memcmp(subtype.p, "global", 6) == 0));
    p->multipart = is_multipart;
    if (depth + 1 > RT_MIME_MAX_DEPTH && (is_multipart || is_message)) {
        m->truncated = true;
        if (is_multipart)
            p->preamble = p->body;
        p->end = (uint32_t)m->nparts;
        return;
    }
    if (is_multipart) {
        if (p->boundary.len > 0)
            parse_multipart(ps, idx, depth);
        else
            p->preamble = p->body;
    } else if (is_message && p->cte != RT_MIME_CTE_BASE64 && p->cte != RT_MIME_CTE_QP) {
        if (m->nparts >= RT_MIME_MAX_PARTS) {
            m->truncated = true;
        } else {
            m->parts[idx].message = true;
            parse_entity(ps, m->parts[idx].body, depth + 1, (int32_t)idx, false);
        }
    }
    m->parts[idx].end = (uint32_t)m->nparts;
}

rt_mime *rt_mime_parse(rt_arena *a, rt_str msg)
{
    rt_mime *m = rt_arena_alloc(a, sizeof *m);
    if (!m)
        return NULL;
    m->arena = a;
    m->parts = NULL;
    m->nparts = 0;
    m->truncated = false;
    if (!msg.p)
        msg = rt_str_make("", 0);
    rt_str hdr;
    bool has_body = split_header(msg, &hdr, &m->raw_body);
    parser ps = { m, 0, false, msg, hdr, m->raw_body, has_body };
    parse_entity(&ps, msg, 0, -1, false);
    return ps.failed || m->nparts == 0 ? NULL : m;
}

bool rt_mime_decoded(rt_mime *m, size_t i, rt_str *out_r)
{
    if (i >= m->nparts)
        return false;
    rt_mime_part *p = &m->parts[i];
    if (p->decoded_ok) {
        *out_r = p->decoded;
        return true;
    }
    rt_str d = rt_str_make("", 0);
    if (p->cte != RT_MIME_CTE_UNKNOWN && !rt_mime_decode_cte(m->arena, p->cte, p->body, &d))
        return false;
    if (p->type.len == 4 && memcmp(p->type.p, "text", 4) == 0 &&
        !(rt_charset_is_utf8(p->charset.p, p->charset.len) && rt_utf8_is_valid(d.p, d.len))) {
        /* (Valid UTF-8 declared as UTF-8 or US-ASCII is what conversion
         * would return, copied: it is used as it is.) */
        rt_str u;
        if (!rt_charset_to_utf8(m->arena, p->charset.p, p->charset.len, d.p, d.len, &u))
            return false;
        d = u;
    }
    p->decoded = d;
    p->decoded_ok = true;
    *out_r = d;
    return true;
}
