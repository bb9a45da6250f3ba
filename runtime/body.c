#define _GNU_SOURCE
#include "body.h"

#include <string.h>

static rt_str lower_copy(rt_arena *a, const char *p, size_t len)
{
    char *q = rt_arena_alloc(a, len + 1);
    if (!q)
        return rt_str_make(NULL, 0);
    for (size_t i = 0; i < len; i++)
        q[i] = (p[i] >= 'A' && p[i] <= 'Z') ? (char)(p[i] + 32) : p[i];
    q[len] = '\0';
    return rt_str_make(q, len);
}

rt_body_spec *rt_body_spec_new(rt_arena *a, rt_body_transform transform, const rt_str *types,
                               size_t ntypes)
{
    rt_body_spec *s = rt_arena_alloc(a, sizeof *s);
    if (!s)
        return NULL;
    s->transform = transform;
    s->ntypes = 0;
    s->types = NULL;
    if (transform != RT_BODY_CONTENT || ntypes == 0)
        return s;
    rt_body_type *t = rt_arena_alloc(a, ntypes * sizeof *t);
    if (!t)
        return NULL;
    for (size_t i = 0; i < ntypes; i++) {
        rt_str in = types[i];
        const char *slash = in.len ? memchr(in.p, '/', in.len) : NULL;
        size_t tl = slash ? (size_t)(slash - in.p) : in.len;
        t[i].type = lower_copy(a, in.p, tl);
        t[i].subtype = slash ? lower_copy(a, slash + 1, in.len - tl - 1) : lower_copy(a, "", 0);
        if (!t[i].type.p || !t[i].subtype.p)
            return NULL;
    }
    s->types = t;
    s->ntypes = ntypes;
    return s;
}

static bool str_eq(rt_str a, rt_str b)
{
    return a.len == b.len && (a.len == 0 || memcmp(a.p, b.p, a.len) == 0);
}

/* RFC 5173 5.2 */
bool rt_body_type_matches(const rt_body_spec *spec, const rt_mime_part *p)
{
    for (size_t i = 0; i < spec->ntypes; i++) {
        const rt_body_type *t = &spec->types[i];
        if (t->type.len == 0 && t->subtype.len == 0)
            return true;
        if (!str_eq(t->type, p->type))
            continue;
        if (t->subtype.len == 0 || str_eq(t->subtype, p->subtype))
            return true;
    }
    return false;
}

void rt_body_begin(rt_body_iter *it, rt_arena *a, rt_mime *mime, const rt_body_spec *spec)
{
    it->arena = a;
    it->mime = mime;
    it->spec = spec;
    it->part = 0;
    it->stage = 0;
    it->done = !mime || mime->nparts == 0;
}

/* ---- HTML to text ---- */

/* p[0..n) equals the lower-case ASCII name[0..n), ignoring ASCII case (the
 * locale's strncasecmp would also fold 8-bit bytes in some locales, and
 * costs a call per position). */
static bool ascii_caseeq_lower(const char *p, const char *name, size_t n)
{
    for (size_t k = 0; k < n; k++) {
        unsigned char c = (unsigned char)p[k];
        if ((c >= 'A' && c <= 'Z' ? c + 32 : c) != (unsigned char)name[k])
            return false;
    }
    return true;
}

static bool tag_is(const char *p, size_t len, const char *name)
{
    /* Names start with a lower-case letter: most fail on the first byte. */
    if (len == 0 || (unsigned char)(p[0] | 0x20) != (unsigned char)name[0])
        return false;
    size_t n = strlen(name);
    if (len < n || !ascii_caseeq_lower(p, name, n))
        return false;
    return len == n || p[n] == '>' || p[n] == ' ' || p[n] == '/' || p[n] == '\t' ||
           p[n] == '\r' || p[n] == '\n';
}

static void put_utf8(rt_buf *b, unsigned long cp)
{
    char u[4];
    if (cp == 0 || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
        cp = 0xFFFD;
    if (cp < 0x80) {
        rt_buf_putc(b, (char)cp);
    } else if (cp < 0x800) {
        u[0] = (char)(0xC0 | (cp >> 6));
        u[1] = (char)(0x80 | (cp & 0x3F));
        rt_buf_append(b, u, 2);
    } else if (cp < 0x10000) {
        u[0] = (char)(0xE0 | (cp >> 12));
        u[1] = (char)(0x80 | ((cp >> 6) & 0x3F));
        u[2] = (char)(0x80 | (cp & 0x3F));
        rt_buf_append(b, u, 3);
    } else {
        u[0] = (char)(0xF0 | (cp >> 18));
        u[1] = (char)(0x80 | ((cp >> 12) & 0x3F));
        u[2] = (char)(0x80 | ((cp >> 6) & 0x3F));
        u[3] = (char)(0x80 | (cp & 0x3F));
        rt_buf_append(b, u, 4);
    }
}

/* Decodes the entity at s[i] == '&'; returns the bytes consumed, 0 when it
 * is not one we know (the '&' is then kept). */
static size_t entity(const char *s, size_t len, size_t i, rt_buf *b)
{
    static const struct {
        const char *name;
        unsigned long cp;
    } named[] = {
        { "amp", '&' }, { "lt", '<' }, { "gt", '>' }, { "quot", '"' }, { "apos", '\'' },
        { "nbsp", ' ' }, { "copy", 0xA9 }, { "reg", 0xAE }, { "euro", 0x20AC },
        { "ndash", 0x2013 }, { "mdash", 0x2014 }, { "hellip", 0x2026 },
    };
    size_t j = i + 1;
    if (j < len && s[j] == '#') {
        j++;
        bool hex = j < len && (s[j] == 'x' || s[j] == 'X');
        if (hex)
            j++;
        unsigned long cp = 0;
        size_t d = 0;
        for (; j < len && d < 8; j++, d++) {
            char c = s[j];
            int v = (c >= '0' && c <= '9') ? c - '0'
                    : hex && (c | 32) >= 'a' && (c | 32) <= 'f' ? (c | 32) - 'a' + 10 : -1;
            if (v < 0)
                break;
            cp = cp * (hex ? 16 : 10) + (unsigned long)v;
        }
        if (d == 0)
            return 0;
        put_utf8(b, cp);
        return j < len && s[j] == ';' ? j + 1 - i : j - i;
    }
    for (size_t k = 0; k < sizeof named / sizeof named[0]; k++) {
        size_t n = strlen(named[k].name);
        if (len - j >= n && ascii_caseeq_lower(s + j, named[k].name, n)) {
            put_utf8(b, named[k].cp);
            j += n;
            return j < len && s[j] == ';' ? j + 1 - i : j - i;
        }
    }
    return 0;
}

/* First needle (lower case, starting with a byte that is not a letter) in
 * s[0..len), ignoring ASCII case: memchr to each candidate first byte. */
static const char *find_ci(const char *s, size_t len, const char *needle)
{
    size_t n = strlen(needle);
    const char *end = s + len, *p = s;
    while ((size_t)(end - p) >= n) {
        p = memchr(p, needle[0], (size_t)(end - p) - n + 1);
        if (!p)
            return NULL;
        if (ascii_caseeq_lower(p + 1, needle + 1, n - 1))
            return p;
        p++;
    }
    return NULL;
}

bool rt_body_html_to_text(rt_arena *a, rt_str html, rt_str *out_r)
{
    static const char *const breaks[] = { "br", "p", "div", "li", "tr", "td", "th", "table",
                                          "h1", "h2", "h3", "h4", "h5", "h6", "blockquote",
                                          "title", "hr", "ul", "ol" };
    rt_buf b;
    rt_buf_init(&b, a);
    const char *s = html.p;
    size_t len = html.len, i = 0;
    /* The next '<' and '&' at or after i (len: none), searched again only
     * once i has passed them: searching both from every text run would
     * rescan to the far one (often the end of the part) at every tag. */
    size_t next_lt = 0, next_amp = 0;
    bool have_lt = false, have_amp = false;
    while (i < len) {
        char c = s[i];
        if (c == '&') {
            size_t n = entity(s, len, i, &b);
            if (n) {
                i += n;
                continue;
            }
            rt_buf_putc(&b, c);
            i++;
            continue;
        }
        if (c != '<') {
            if (!have_lt || next_lt < i) {
                const char *lt = memchr(s + i, '<', len - i);
                next_lt = lt ? (size_t)(lt - s) : len;
                have_lt = true;
            }
            if (!have_amp || next_amp < i) {
                const char *amp = memchr(s + i, '&', len - i);
                next_amp = amp ? (size_t)(amp - s) : len;
                have_amp = true;
            }
            size_t stop = next_lt < next_amp ? next_lt : next_amp;
            rt_buf_append(&b, s + i, stop - i);
            i = stop;
            continue;
        }
        /* A tag, a comment or a script/style element. */
        if (len - i >= 4 && memcmp(s + i, "<!--", 4) == 0) {
            const char *e = memmem(s + i + 4, len - i - 4, "-->", 3);
            i = e ? (size_t)(e - s) + 3 : len;
            continue;
        }
        const char *t = s + i + 1;
        size_t tl = len - i - 1;
        bool closing = tl > 0 && *t == '/';
        if (closing) {
            t++;
            tl--;
        }
        if (!closing && (tag_is(t, tl, "script") || tag_is(t, tl, "style"))) {
            const char *e = find_ci(t, tl, tag_is(t, tl, "script") ? "</script" : "</style");
            if (!e) {
                i = len;
                continue;
            }
            const char *gt = memchr(e, '>', (size_t)(s + len - e));
            i = gt ? (size_t)(gt - s) + 1 : len;
            continue;
        }
        for (size_t k = 0; k < sizeof breaks / sizeof breaks[0]; k++) {
            if (tag_is(t, tl, breaks[k])) {
                rt_buf_putc(&b, '\n');
                break;
            }
        }
        const char *gt = memchr(s + i, '>', len - i);
        i = gt ? (size_t)(gt - s) + 1 : len;
    }
    *out_r = rt_buf_str(&b);
    return !b.failed;
}

/* ---- iteration ---- */

static bool is_type(const rt_mime_part *p, const char *t)
{
    size_t n = strlen(t);
    return p->type.len == n && memcmp(p->type.p, t, n) == 0;
}

static bool str_is_c(rt_str s, const char *c)
{
    size_t n = strlen(c);
    return s.len == n && memcmp(s.p, c, n) == 0;
}

static int text_of(rt_body_iter *it, size_t i, rt_str *text_r)
{
    rt_mime_part *p = &it->mime->parts[i];
    if (p->text_ok) {
        *text_r = p->text;
        return 1;
    }
    rt_str d;
    if (!rt_mime_decoded(it->mime, i, &d))
        return -1;
    p = &it->mime->parts[i];
    if (p->subtype.len == 4 && memcmp(p->subtype.p, "html", 4) == 0) {
        if (!rt_body_html_to_text(it->arena, d, &d))
            return -1;
    }
    p->text = d;
    p->text_ok = true;
    *text_r = d;
    return 1;
}

int rt_body_next(rt_body_iter *it, rt_str *text_r)
{
    if (it->done)
        return 0;
    rt_mime *m = it->mime;
    switch (it->spec->transform) {
    case RT_BODY_RAW:
        it->done = true;
        *text_r = m->raw_body;
        return 1;
    case RT_BODY_TEXT:
        while (it->part < m->nparts) {
            size_t i = it->part++;
            /* A part without even an empty line after its header has no
             * content to test (Pigeonhole skips it too). */
            if (is_type(&m->parts[i], "text") && m->parts[i].has_body)
                return text_of(it, i, text_r);
        }
        it->done = true;
        return 0;
    case RT_BODY_CONTENT:
        while (it->part < m->nparts) {
            size_t i = it->part;
            rt_mime_part *p = &m->parts[i];
            if (!rt_body_type_matches(it->spec, p)) {
                it->part++;
                continue;
            }
            if (p->multipart) {
                /* RFC 5173 5.2: preamble and epilogue as separate strings. */
                if (it->stage == 0) {
                    it->stage = 1;
                    *text_r = p->preamble;
                    return 1;
                }
                it->stage = 0;
                it->part++;
                *text_r = p->epilogue;
                return 1;
            }
            it->part++;
            if (is_type(p, "message") && str_is_c(p->subtype, "rfc822")) {
                /* RFC 5173 5.2: only the header of the nested message; one
                 * that was not parsed (transfer-encoded, too deep) has none
                 * to offer, as in Pigeonhole. */
                if (p->message && i + 1 < m->nparts && m->parts[i + 1].parent == (int32_t)i) {
                    *text_r = m->parts[i + 1].header;
                    return 1;
                }
                continue;
            }
            if (!p->has_body)
                continue;
            if (!rt_mime_decoded(m, i, text_r))
                return -1;
            return 1;
        }
        it->done = true;
        return 0;
    }
    it->done = true;
    return 0;
}
