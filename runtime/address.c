#include "address.h"

#include <stdint.h>
#include <string.h>
#include <strings.h>

#include "rfc2047.h"

typedef struct rt_ap {
    const char *s;
    size_t n, i;
    rt_arena *a;
    bool skipped;     /* skip_cfws skipped something since last cleared */
    bool bad;         /* an unterminated comment or quote was met */
} rt_ap;

/* A growing vector of entries on the arena. */
typedef struct rt_addrv {
    rt_arena *a;
    rt_addr *v;
    size_t n, cap;
    bool failed;
} rt_addrv;

static void addrv_push(rt_addrv *av, const rt_addr *e)
{
    if (av->failed)
        return;
    if (av->n == av->cap) {
        size_t cap = av->cap ? av->cap * 2 : 8;
        rt_addr *nv = rt_arena_alloc(av->a, cap * sizeof *nv);
        if (!nv) {
            av->failed = true;
            return;
        }
        if (av->n)
            memcpy(nv, av->v, av->n * sizeof *nv);
        av->v = nv;
        av->cap = cap;
    }
    av->v[av->n++] = *e;
}

/* RFC 5322 3.2.3 atext (ALPHA DIGIT and !#$%&'*+-/=?^_`{|}~) as bit masks
 * over 0..63 and 64..127, plus 8-bit bytes (RFC 6532 3.2). */
#define RT_ATEXT_LO UINT64_C(0xa3ffacfa00000000)
#define RT_ATEXT_HI UINT64_C(0x7fffffffc7fffffe)

static inline bool is_atext(unsigned char c)
{
    if (c >= 0x80)
        return true;
    return c < 64 ? (RT_ATEXT_LO >> c) & 1 : (RT_ATEXT_HI >> (c - 64)) & 1;
}

static bool is_ws(char c)
{
    return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

/* RFC 5322 3.2.2: CFWS, comments nested, quoted-pairs inside. */
static void skip_cfws(rt_ap *p)
{
    while (p->i < p->n) {
        char c = p->s[p->i];
        if (is_ws(c)) {
            p->i++;
            p->skipped = true;
            continue;
        }
        if (c != '(')
            return;
        p->skipped = true;
        size_t depth = 0;
        while (p->i < p->n) {
            c = p->s[p->i++];
            if (c == '\\') {
                if (p->i < p->n)
                    p->i++;
            } else if (c == '(') {
                depth++;
            } else if (c == ')') {
                if (--depth == 0)
                    break;
            }
        }
        if (depth) {
            p->bad = true;   /* unterminated comment: runs to the end */
            return;
        }
    }
}

/* Appends an atom at p->i; false when there is none. */
static bool take_atom(rt_ap *p, rt_buf *b)
{
    size_t st = p->i;
    while (p->i < p->n && is_atext((unsigned char)p->s[p->i]))
        p->i++;
    if (p->i == st)
        return false;
    if (b)
        rt_buf_append(b, p->s + st, p->i - st);
    return true;
}

/* RFC 5322 3.2.4 quoted-string at p->i (which is '"'); appends the content
 * with quoted-pairs resolved and line ends removed. */
static bool take_qstring(rt_ap *p, rt_buf *b)
{
    p->i++;
    while (p->i < p->n) {
        char c = p->s[p->i++];
        if (c == '"')
            return true;
        if (c == '\\' && p->i < p->n)
            c = p->s[p->i++];
        else if (c == '\r' || c == '\n')
            continue;
        if (b)
            rt_buf_putc(b, c);
    }
    p->bad = true;
    return false;
}

typedef struct rt_words {
    size_t words, dots;
    bool adjacent;     /* two words with no dot between: not a local part */
    bool empty_word;   /* leading, trailing or double dot */
    bool qstring;
} rt_words;

/* Scans word *("." word) / obs-phrase without building, from p->i. */
static void scan_words(rt_ap *p, rt_words *w)
{
    memset(w, 0, sizeof *w);
    bool last_word = false, any = false;
    for (;;) {
        skip_cfws(p);
        if (p->bad || p->i >= p->n)
            break;
        char c = p->s[p->i];
        if (c == '"') {
            if (!take_qstring(p, NULL))
                break;
            w->qstring = true;
        } else if (c == '.') {
            p->i++;
            if (!last_word)
                w->empty_word = true;
            w->dots++;
            last_word = false;
            any = true;
            continue;
        } else if (!take_atom(p, NULL)) {
            break;
        }
        if (last_word)
            w->adjacent = true;
        last_word = true;
        w->words++;
        any = true;
    }
    if (any && !last_word)
        w->empty_word = true;
}

/* Builds the local part (RFC 5322 3.4.1, obs-local-part 4.4) from st up
 * to end, the '@'; w is what scan_words found there (the caller's scan,
 * not repeated). */
static rt_str build_local(rt_ap *p, size_t st, const rt_words *w, size_t end, bool *failed)
{
    p->i = end;
    /* Trailing CFWS before '@' is not part of the slice. */
    size_t e2 = end;
    while (e2 > st && is_ws(p->s[e2 - 1]))
        e2--;
    bool simple = !w->qstring;
    for (size_t k = st; simple && k < e2; k++)
        if (is_ws(p->s[k]) || p->s[k] == '(')
            simple = false;
    if (simple)
        return rt_str_make(p->s + st, e2 - st);
    rt_buf b;
    rt_buf_init(&b, p->a);
    p->i = st;
    for (;;) {
        skip_cfws(p);
        if (p->bad || p->i >= end)
            break;
        char c = p->s[p->i];
        if (c == '"') {
            if (!take_qstring(p, &b))
                break;
        } else if (c == '.') {
            rt_buf_putc(&b, '.');
            p->i++;
        } else if (!take_atom(p, &b)) {
            break;
        }
    }
    p->i = end;
    rt_str r = rt_buf_str(&b);
    if (b.failed)
        *failed = true;
    return r;
}

/* RFC 5322 3.4.1 domain = dot-atom / domain-literal / obs-domain. */
static bool parse_domain(rt_ap *p, rt_str *out, bool *failed)
{
    skip_cfws(p);
    if (p->bad || p->i >= p->n)
        return false;
    size_t st = p->i;
    if (p->s[p->i] == '[') {
        p->i++;
        while (p->i < p->n && p->s[p->i] != ']') {
            if (p->s[p->i] == '[')
                return false;
            if (p->s[p->i] == '\\' && p->i + 1 < p->n)
                p->i++;
            p->i++;
        }
        if (p->i >= p->n)
            return false;
        p->i++;
        *out = rt_str_make(p->s + st, p->i - st);
        return true;
    }
    size_t atoms = 0;
    bool simple = true;
    size_t last_end = st;
    for (;;) {
        if (!take_atom(p, NULL))
            return false;
        atoms++;
        last_end = p->i;
        size_t save = p->i;
        p->skipped = false;
        skip_cfws(p);
        if (p->bad)
            return false;
        if (p->i < p->n && p->s[p->i] == '.') {
            if (p->skipped)
                simple = false;
            p->i++;
            p->skipped = false;
            skip_cfws(p);
            if (p->skipped)
                simple = false;
            continue;
        }
        p->i = save;
        break;
    }
    if (simple) {
        *out = rt_str_make(p->s + st, last_end - st);
        return atoms > 0;
    }
    rt_buf b;
    rt_buf_init(&b, p->a);
    size_t end = p->i;
    p->i = st;
    while (p->i < end) {
        skip_cfws(p);
        if (p->i >= end)
            break;
        if (p->s[p->i] == '.') {
            rt_buf_putc(&b, '.');
            p->i++;
        } else if (!take_atom(p, &b)) {
            break;
        }
    }
    p->i = end;
    *out = rt_buf_str(&b);
    if (b.failed)
        *failed = true;
    return true;
}

/* addr-spec = local-part "@" domain, from st, where scan_words found w and
 * stopped at p->i. */
static bool parse_addr_spec_scanned(rt_ap *p, size_t st, const rt_words *w, rt_addr *e,
                                    bool *failed)
{
    if (p->bad || w->words == 0 || w->adjacent || p->i >= p->n || p->s[p->i] != '@')
        return false;
    size_t at = p->i;
    e->local_part = build_local(p, st, w, at, failed);
    /* An SMTP local part is ASCII (RFC 5321 4.1.2); Pigeonhole refuses 8-bit
     * ones (the address becomes invalid) while accepting 8-bit domains and
     * display names, and so do we. */
    for (size_t k = 0; k < e->local_part.len; k++)
        if ((unsigned char)e->local_part.p[k] >= 0x80)
            return false;
    p->i = at + 1;
    if (!parse_domain(p, &e->domain, failed))
        return false;
    return true;
}

/* addr-spec = local-part "@" domain, from p->i. */
static bool parse_addr_spec(rt_ap *p, rt_addr *e, bool *failed)
{
    size_t st = p->i;
    rt_words w;
    scan_words(p, &w);
    return parse_addr_spec_scanned(p, st, &w, e, failed);
}

/* RFC 5322 4.4 obs-route = obs-domain-list ":" ; p->i is at '@'. */
static bool skip_obs_route(rt_ap *p, bool *failed)
{
    for (;;) {
        skip_cfws(p);
        if (p->i >= p->n)
            return false;
        char c = p->s[p->i];
        if (c == ',') {
            p->i++;
            continue;
        }
        if (c == ':') {
            p->i++;
            return true;
        }
        if (c != '@')
            return false;
        p->i++;
        rt_str d;
        if (!parse_domain(p, &d, failed))
            return false;
    }
}

/* angle-addr = [CFWS] "<" [obs-route] addr-spec ">" [CFWS]; p->i at '<'. */
static bool parse_angle(rt_ap *p, rt_addr *e, bool *failed)
{
    p->i++;
    skip_cfws(p);
    if (p->i < p->n && p->s[p->i] == '@' && !skip_obs_route(p, failed))
        return false;
    if (!parse_addr_spec(p, e, failed))
        return false;
    skip_cfws(p);
    if (p->i >= p->n || p->s[p->i] != '>')
        return false;
    p->i++;
    return true;
}

static rt_str trimmed(const char *s, size_t a, size_t b)
{
    while (a < b && is_ws(s[a]))
        a++;
    while (b > a && is_ws(s[b - 1]))
        b--;
    return rt_str_make(s + a, b - a);
}

/* Skips to the next ',' (or ';' inside a group) that is not inside a
 * quoted string, a comment or angle brackets. */
static void skip_to_sep(rt_ap *p, bool in_group)
{
    size_t angle = 0;
    while (p->i < p->n) {
        char c = p->s[p->i];
        if (c == '"') {
            take_qstring(p, NULL);
            continue;
        }
        if (c == '(') {
            skip_cfws(p);
            continue;
        }
        if (c == '\\') {
            p->i += p->i + 1 < p->n ? 2 : 1;
            continue;
        }
        if (c == '<')
            angle++;
        else if (c == '>' && angle)
            angle--;
        else if (!angle && (c == ',' || (in_group && c == ';')))
            return;
        p->i++;
    }
}

typedef enum { ENTRY_BAD, ENTRY_MAILBOX, ENTRY_GROUP } rt_entry_kind;

/* mailbox / group start (RFC 5322 3.4), from p->i. */
static rt_entry_kind parse_entry(rt_ap *p, rt_addr *e, bool in_group,
                                 bool *failed)
{
    size_t st = p->i;
    rt_words w;
    scan_words(p, &w);
    if (p->bad || p->i >= p->n)
        return ENTRY_BAD;
    char c = p->s[p->i];
    if (c == '@')   /* the words scanned are the local part */
        return parse_addr_spec_scanned(p, st, &w, e, failed) ? ENTRY_MAILBOX : ENTRY_BAD;
    if (c == '<') {
        e->phrase = trimmed(p->s, st, p->i);
        return parse_angle(p, e, failed) ? ENTRY_MAILBOX : ENTRY_BAD;
    }
    if (c == ':' && w.words > 0 && !in_group) {
        e->phrase = trimmed(p->s, st, p->i);
        p->i++;
        return ENTRY_GROUP;
    }
    return ENTRY_BAD;
}

static bool parse_list(rt_ap *p, rt_addrv *av, size_t max, bool *saw_any)
{
    bool in_group = false;
    bool failed = false;
    *saw_any = false;
    while (!av->failed && !failed && av->n < max) {
        p->bad = false;
        skip_cfws(p);
        if (p->i >= p->n)
            break;
        char c = p->s[p->i];
        if (c == ',') {
            p->i++;
            continue;
        }
        if (c == ';') {
            /* RFC 5322 3.4 group end; a stray one is ignored. After a
             * group's end only a comma may follow, else the list ends
             * there (Dovecot does the same). */
            p->i++;
            if (in_group) {
                in_group = false;
                skip_cfws(p);
                if (p->i < p->n && p->s[p->i] != ',')
                    break;
            }
            continue;
        }
        size_t st = p->i;
        rt_addr e;
        memset(&e, 0, sizeof e);
        rt_entry_kind k = parse_entry(p, &e, in_group, &failed);
        *saw_any = true;
        if (k == ENTRY_GROUP) {
            e.flags = RT_ADDR_GROUP;
            e.raw = e.phrase;
            addrv_push(av, &e);
            in_group = true;
            continue;
        }
        if (k == ENTRY_MAILBOX) {
            size_t end = p->i;
            e.flags = RT_ADDR_VALID;
            e.raw = trimmed(p->s, st, end);
            addrv_push(av, &e);
            /* Junk after a complete mailbox ("x@y@z, a@b", "a@b c@d") ends
             * the list: the address is kept, the rest dropped. This is
             * what Dovecot's parser does (checked with Pigeonhole). */
            skip_cfws(p);
            if (p->i < p->n && p->s[p->i] != ',' && !(in_group && p->s[p->i] == ';'))
                break;
            continue;
        }
        memset(&e, 0, sizeof e);
        p->i = st;
        p->bad = false;
        skip_to_sep(p, in_group);
        e.raw = trimmed(p->s, st, p->i);
        addrv_push(av, &e);
    }
    return !failed && !av->failed;
}

static bool parse_list_max(rt_arena *a, const char *in, size_t len,
                           size_t max, rt_addr_list *out_r)
{
    rt_ap p = { in ? in : "", in ? len : 0, 0, a, false, false };
    rt_addrv av = { a, NULL, 0, 0, false };
    bool saw;
    bool ok = parse_list(&p, &av, max, &saw);
    out_r->v = av.v;
    out_r->n = ok ? av.n : 0;
    return ok;
}

bool rt_addr_parse_list(rt_arena *a, const char *in, size_t len,
                        rt_addr_list *out_r)
{
    return parse_list_max(a, in, len, SIZE_MAX, out_r);
}

bool rt_addr_parse_header(rt_arena *a, const char *in, size_t len,
                          rt_addr_list *out_r)
{
    rt_str v = trimmed(in ? in : "", 0, in ? len : 0);
    out_r->v = NULL;
    out_r->n = 0;
    if (v.len == 0) {
        rt_addr *e = rt_arena_alloc(a, sizeof *e);
        if (!e)
            return false;
        memset(e, 0, sizeof *e);
        e->flags = RT_ADDR_NULL;
        e->local_part = e->domain = e->raw = e->phrase = rt_str_make("", 0);
        out_r->v = e;
        out_r->n = 1;
        return true;
    }
    rt_addr_list all;
    if (!parse_list_max(a, v.p, v.len, RT_ADDR_HEADER_MAX, &all))
        return false;
    size_t valid = 0;
    for (size_t i = 0; i < all.n; i++) {
        if (all.v[i].flags & RT_ADDR_VALID)
            all.v[valid++] = all.v[i];
    }
    if (valid) {
        out_r->v = all.v;
        out_r->n = valid;
        return true;
    }
    if (all.n == 0)
        return true;     /* only comments/separators: nothing to test */
    all.v[0].flags = 0;
    all.v[0].raw = v;
    all.v[0].local_part = all.v[0].domain = all.v[0].phrase = rt_str_make("", 0);
    out_r->v = all.v;
    out_r->n = 1;
    return true;
}

/* RFC 5321 4.1.2 Reverse-path / Forward-path, leniently. */
bool rt_addr_parse_path(rt_arena *a, const char *in, size_t len,
                        rt_addr_list *out_r)
{
    rt_addr *e = rt_arena_alloc(a, sizeof *e);
    out_r->v = e;
    out_r->n = e ? 1 : 0;
    if (!e)
        return false;
    memset(e, 0, sizeof *e);
    rt_str v = trimmed(in ? in : "", 0, in ? len : 0);
    e->raw = v;
    e->local_part = e->domain = e->phrase = rt_str_make("", 0);
    if (v.len == 0 || (v.len == 2 && v.p[0] == '<' && v.p[1] == '>')) {
        e->flags = RT_ADDR_NULL | RT_ADDR_VALID;
        return true;
    }
    rt_ap p = { v.p, v.len, 0, a, false, false };
    bool failed = false;
    bool ok;
    rt_addr tmp;
    memset(&tmp, 0, sizeof tmp);
    if (v.p[0] == '<') {
        ok = parse_angle(&p, &tmp, &failed);
        if (!ok) {
            /* "<Postmaster>" (RFC 5321 4.1.1.3) */
            static const char pm[] = "<postmaster>";
            if (v.len == sizeof pm - 1 && strncasecmp(v.p, pm, v.len) == 0) {
                e->local_part = rt_str_make(v.p + 1, v.len - 2);
                e->flags = RT_ADDR_VALID;
                return true;
            }
        }
    } else {
        ok = parse_addr_spec(&p, &tmp, &failed);
        if (!ok && v.len == 10 && strncasecmp(v.p, "postmaster", 10) == 0) {
            e->local_part = v;
            e->flags = RT_ADDR_VALID;
            return true;
        }
    }
    if (failed)
        return false;
    skip_cfws(&p);
    if (ok && p.i == p.n) {
        e->local_part = tmp.local_part;
        e->domain = tmp.domain;
        e->flags = RT_ADDR_VALID;
    }
    return true;
}

/* RFC 5321 4.1.2 Dot-string: atoms of atext joined by single dots. */
static bool is_dot_string(rt_str s)
{
    if (s.len == 0 || s.p[0] == '.' || s.p[s.len - 1] == '.')
        return false;
    for (size_t i = 0; i < s.len; i++) {
        unsigned char c = (unsigned char)s.p[i];
        if (c == '.') {
            if (s.p[i - 1] == '.')
                return false;
        } else if (!is_atext(c)) {   /* 8-bit is atext: RFC 6531 */
            return false;
        }
    }
    return true;
}

static bool build_all(rt_arena *a, const rt_addr *ad, rt_str *out_r)
{
    rt_buf b;
    rt_buf_init(&b, a);
    if (is_dot_string(ad->local_part)) {
        rt_buf_append(&b, ad->local_part.p, ad->local_part.len);
    } else {
        rt_buf_putc(&b, '"');
        for (size_t i = 0; i < ad->local_part.len; i++) {
            char c = ad->local_part.p[i];
            if (c == '"' || c == '\\')
                rt_buf_putc(&b, '\\');
            rt_buf_putc(&b, c);
        }
        rt_buf_putc(&b, '"');
    }
    if (ad->domain.len) {
        rt_buf_putc(&b, '@');
        rt_buf_append(&b, ad->domain.p, ad->domain.len);
    }
    *out_r = rt_buf_str(&b);
    return !b.failed;
}

bool rt_addr_get_part(rt_arena *a, const rt_addr *ad, rt_addr_part part,
                      const char *delims, size_t delims_len, rt_str *out_r)
{
    *out_r = rt_str_make("", 0);
    if (ad->flags & RT_ADDR_NULL)
        return true;
    if (!(ad->flags & RT_ADDR_VALID)) {
        if (part != RT_ADDR_PART_ALL)
            return false;
        *out_r = ad->raw;
        return true;
    }
    if (!delims || !delims_len) {
        delims = RT_ADDR_DEFAULT_DELIMS;
        delims_len = sizeof RT_ADDR_DEFAULT_DELIMS - 1;
    }
    rt_str lp = ad->local_part;
    size_t cut = lp.len;
    if (part == RT_ADDR_PART_USER || part == RT_ADDR_PART_DETAIL) {
        for (size_t i = 0; i < lp.len && cut == lp.len; i++)
            if (memchr(delims, lp.p[i], delims_len))
                cut = i;
    }
    switch (part) {
    case RT_ADDR_PART_ALL:
        return build_all(a, ad, out_r);
    case RT_ADDR_PART_LOCALPART:
        *out_r = lp;
        return true;
    case RT_ADDR_PART_DOMAIN:
        *out_r = ad->domain;
        return true;
    case RT_ADDR_PART_USER:
        *out_r = rt_str_make(lp.p, cut);
        return true;
    case RT_ADDR_PART_DETAIL:
        /* RFC 5233 4: no separator, no detail (nothing matches). */
        if (cut == lp.len)
            return false;
        *out_r = rt_str_make(lp.p + cut + 1, lp.len - cut - 1);
        return true;
    }
    return false;
}

bool rt_addr_display_name(rt_arena *a, const rt_addr *ad, rt_str *out_r)
{
    *out_r = rt_str_make("", 0);
    if (ad->phrase.len == 0)
        return true;
    rt_ap p = { ad->phrase.p, ad->phrase.len, 0, a, false, false };
    rt_buf b;
    rt_buf_init(&b, a);
    bool need_space = false;
    while (p.i < p.n) {
        p.skipped = false;
        skip_cfws(&p);
        if (p.skipped && b.len)
            need_space = true;
        if (p.i >= p.n)
            break;
        if (need_space) {
            rt_buf_putc(&b, ' ');
            need_space = false;
        }
        char c = p.s[p.i];
        if (c == '"') {
            take_qstring(&p, &b);
        } else if (!take_atom(&p, &b)) {
            rt_buf_putc(&b, c);   /* '.', or a special in a broken phrase */
            p.i++;
        }
    }
    rt_str s = rt_buf_str(&b);
    if (b.failed)
        return false;
    return rt_rfc2047_decode(a, s.p, s.len, out_r);
}
