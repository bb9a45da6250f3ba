#include "message.h"

#include <stdlib.h>
#include <string.h>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

#include "address.h"
#include "charset.h"
#include "rfc2047.h"

#define RT_NO_FIELD UINT32_MAX
#define RT_F_HAVE_VALUE   1u
#define RT_F_HAVE_DECODED 2u
#define RT_F_HAVE_ADDRS   4u

static inline unsigned char ascii_lower(unsigned char c)
{
    return (c >= 'A' && c <= 'Z') ? (unsigned char)(c + 32) : c;
}

static bool ascii_caseeq(const char *a, const char *b, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (ascii_lower((unsigned char)a[i]) != ascii_lower((unsigned char)b[i]))
            return false;
    return true;
}

/* FNV-1a over the ASCII-lowered name. */
#define RT_HASH_INIT 2166136261u
static inline uint32_t hash_step(uint32_t h, unsigned char c)
{
    return (h ^ ascii_lower(c)) * 16777619u;
}

static uint32_t hash_name(const char *p, size_t n)
{
    uint32_t h = RT_HASH_INIT;
    for (size_t i = 0; i < n; i++)
        h = hash_step(h, (unsigned char)p[i]);
    return h;
}

/* ---- header set ----------------------------------------------------- */

typedef struct rt_hdr_slot {
    uint32_t hash;
    int32_t id;              /* -1: empty */
    const char *name;        /* owned by the set */
    size_t len;
} rt_hdr_slot;

struct rt_hdr_set {
    size_t n;                /* ids handed out: 0..n-1 */
    size_t mask;
    size_t max_len;
    rt_hdr_slot *slots;
    char *names;             /* all names, back to back */
    int32_t *canon;          /* id -> id of the first equal name */
    /* Bit min(len, 63) of lenmask[c] is set when a name of that length
     * starts with byte c (either case): most fields of a message are not
     * in the set, and this rejects them without hashing their names. */
    uint64_t lenmask[256];
};

static inline unsigned len_bit(size_t len)
{
    return len < 63 ? (unsigned)len : 63u;
}

static const rt_hdr_slot *set_find(const rt_hdr_set *set, uint32_t h,
                                   const char *name, size_t len)
{
    for (size_t i = h & set->mask;; i = (i + 1) & set->mask) {
        const rt_hdr_slot *s = &set->slots[i];
        if (s->id < 0)
            return NULL;
        if (s->hash == h && s->len == len && ascii_caseeq(s->name, name, len))
            return s;
    }
}

rt_hdr_set *rt_hdr_set_new(const char *const *names, const size_t *lens,
                           size_t n)
{
    if (n > RT_HDR_SET_MAX)
        return NULL;
    size_t total = 0;
    for (size_t i = 0; i < n; i++) {
        size_t l = lens ? lens[i] : strlen(names[i]);
        if (l == 0 || l > RT_HDR_NAME_MAX)
            return NULL;
        total += l;
    }
    rt_hdr_set *set = calloc(1, sizeof *set);
    if (!set)
        return NULL;
    size_t cap = 8;
    while (cap < 2 * n + 2)
        cap *= 2;
    set->slots = malloc(cap * sizeof *set->slots);
    set->names = malloc(total + 1);
    set->canon = malloc((n ? n : 1) * sizeof *set->canon);
    if (!set->slots || !set->names || !set->canon) {
        rt_hdr_set_free(&set);
        return NULL;
    }
    set->mask = cap - 1;
    for (size_t i = 0; i < cap; i++)
        set->slots[i].id = -1;
    size_t off = 0;
    for (size_t i = 0; i < n; i++) {
        size_t l = lens ? lens[i] : strlen(names[i]);
        uint32_t h = hash_name(names[i], l);
        const rt_hdr_slot *dup = set_find(set, h, names[i], l);
        if (dup) {
            set->canon[i] = dup->id;
            continue;
        }
        set->canon[i] = (int32_t)i;
        memcpy(set->names + off, names[i], l);
        size_t j = h & set->mask;
        while (set->slots[j].id >= 0)
            j = (j + 1) & set->mask;
        set->slots[j] = (rt_hdr_slot){ h, (int32_t)i, set->names + off, l };
        unsigned char c0 = (unsigned char)names[i][0];
        set->lenmask[ascii_lower(c0)] |= 1ull << len_bit(l);
        set->lenmask[c0 >= 'a' && c0 <= 'z' ? c0 - 32 : c0] |= 1ull << len_bit(l);
        off += l;
        if (l > set->max_len)
            set->max_len = l;
    }
    set->n = n;
    return set;
}

void rt_hdr_set_free(rt_hdr_set **set_r)
{
    rt_hdr_set *set = *set_r;
    if (!set)
        return;
    free(set->slots);
    free(set->names);
    free(set->canon);
    free(set);
    *set_r = NULL;
}

int rt_hdr_set_id(const rt_hdr_set *set, const char *name, size_t len)
{
    if (!set || len == 0 || len > set->max_len)
        return -1;
    const rt_hdr_slot *s = set_find(set, hash_name(name, len), name, len);
    return s ? s->id : -1;
}

size_t rt_hdr_set_size(const rt_hdr_set *set)
{
    return set ? set->n : 0;
}

/* ---- the header scanner --------------------------------------------- */

typedef struct rt_scan {
    const char *d;
    size_t end;
    size_t pos;
    size_t blank;            /* where the empty line starts, when found */
    size_t body;             /* first body byte, when found */
    bool found_blank;
} rt_scan;

/* Header lines are short: sixteen bytes at a time inline find most line
 * ends in one or a few steps, where a memchr call per line costs more than
 * the line; memchr takes over for what is left near the end. */
static inline size_t line_end(const rt_scan *s, size_t p)
{
#if defined(__SSE2__)
    const __m128i lf = _mm_set1_epi8('\n');
    for (int k = 0; k < 8 && s->end - p >= 16; k++, p += 16) {
        unsigned mask = (unsigned)_mm_movemask_epi8(
            _mm_cmpeq_epi8(_mm_loadu_si128((const __m128i *)(const void *)(s->d + p)), lf));
        if (mask)
            return p + (size_t)__builtin_ctz(mask);
    }
#endif
    const char *nl = memchr(s->d + p, '\n', s->end - p);
    return nl ? (size_t)(nl - s->d) : s->end;
}

/* End of the line's content: the LF and a CR right before it excluded. */
static inline size_t content_end(const rt_scan *s, size_t start, size_t eol)
{
    if (eol < s->end && eol > start && s->d[eol - 1] == '\r')
        return eol - 1;
    return eol;
}

/* Next field from s->pos (RFC 5322 2.2: name ":" body, continuation lines
 * start with WSP per 2.2.3). Returns false at the empty line ending the
 * header or at the end of the data.
 *
 * Cost: this runs over every line of every header, so it touches each byte
 * once. The name is short: one byte loop finds its colon (or the line end
 * when there is none) where a memchr call per line would cost more than the
 * name; memchr then finds the end of the value's lines. */
static bool scan_field(rt_scan *s, rt_hdr_field *f)
{
    const char *d = s->d;
    const size_t end = s->end;
    for (;;) {
        size_t p = s->pos;
        if (p >= end)
            return false;
        if (d[p] == '\n' || (d[p] == '\r' && p + 1 < end && d[p + 1] == '\n')) {
            s->found_blank = true;
            s->blank = p;
            s->body = p + (d[p] == '\n' ? 1 : 2);
            s->pos = end;
            return false;
        }
        if (d[p] == ' ' || d[p] == '\t') {
            size_t eol = line_end(s, p);
            s->pos = eol < end ? eol + 1 : end;   /* continuation without a field */
            continue;
        }
        size_t colon = p;
        while (colon < end && d[colon] != ':' && d[colon] != '\n')
            colon++;
        if (colon == end || d[colon] == '\n') {  /* no colon: not a field */
            s->pos = colon < end ? colon + 1 : end;
            continue;
        }
        size_t nend = colon;
        /* RFC 5322 4.5: obs-optional allows WSP before the colon. */
        while (nend > p && (d[nend - 1] == ' ' || d[nend - 1] == '\t'))
            nend--;
        size_t raw = colon + 1;
        size_t eol = line_end(s, raw);
        size_t next = eol < end ? eol + 1 : end;
        /* RFC 5322 3.6.8 wants printable ASCII in names; like Dovecot we
         * take any non-empty name (spaces, controls, 8-bit), since scripts
         * may still ask for it (Pigeonhole only warns). */
        if (nend == p) {
            s->pos = next;
            continue;
        }
        size_t raw_end = content_end(s, raw, eol);
        while (next < end && (d[next] == ' ' || d[next] == '\t')) {
            eol = line_end(s, next);
            raw_end = content_end(s, next, eol);
            next = eol < end ? eol + 1 : end;
        }
        s->pos = next;
        f->name = d + p;
        f->name_len = nend - p;
        f->raw = d + raw;
        f->raw_len = raw_end >= raw ? raw_end - raw : 0;
        f->id = -1;
        f->next = RT_NO_FIELD;
        f->flags = 0;
        return true;
    }
}

/* ---- message -------------------------------------------------------- */

struct rt_msg {
    rt_arena *a;
    const rt_hdr_set *set;
    const char *data;
    size_t size;
    size_t hdr_len, body_off;
    rt_hdr_field *fields;
    uint32_t nfields, cap;
    uint32_t *first, *last, *count;   /* per set id */
    size_t total;
    uint64_t size_override;
    bool has_size;
};

static bool push_field(rt_msg *m, const rt_hdr_field *f)
{
    if (m->nfields == m->cap) {
        uint32_t cap = m->cap ? m->cap * 2 : 32;
        if (cap <= m->cap)
            return false;
        rt_hdr_field *nf = rt_arena_alloc(m->a, (size_t)cap * sizeof *nf);
        if (!nf)
            return false;
        if (m->nfields)
            memcpy(nf, m->fields, (size_t)m->nfields * sizeof *nf);
        m->fields = nf;
        m->cap = cap;
    }
    m->fields[m->nfields++] = *f;
    return true;
}

static rt_msg *msg_open(rt_arena *a, const rt_hdr_set *set, const char *data, size_t size,
                        bool new_message);

rt_msg *rt_msg_open(rt_arena *a, const rt_hdr_set *set, const char *data,
                    size_t size)
{
    return msg_open(a, set, data, size, true);
}

rt_msg *rt_msg_open_part(rt_arena *a, const char *data, size_t size)
{
    return msg_open(a, NULL, data, size, false);
}

static rt_msg *msg_open(rt_arena *a, const rt_hdr_set *set, const char *data, size_t size,
                        bool new_message)
{
    rt_msg *m = rt_arena_alloc(a, sizeof *m);
    if (!m)
        return NULL;
    memset(m, 0, sizeof *m);
    m->a = a;
    m->set = set;
    m->data = data ? data : "";
    m->size = data ? size : 0;
    size_t n = set ? set->n : 0;
    if (n) {
        m->first = rt_arena_alloc(a, 3 * n * sizeof(uint32_t));
        if (!m->first)
            return NULL;
        m->last = m->first + n;
        m->count = m->last + n;
        memset(m->first, 0xff, 2 * n * sizeof(uint32_t));
        memset(m->count, 0, n * sizeof(uint32_t));
    }

    /* One message per thread at a time: its conversions share a budget
     * (a MIME part's header is part of the same message). */
    if (new_message)
        rt_charset_limit_opens(RT_CHARSET_OPENS_PER_MESSAGE);

    rt_scan s = { m->data, m->size, 0, 0, 0, false };
    rt_hdr_field f;
    while (scan_field(&s, &f)) {
        m->total++;
        if (!n || f.name_len > set->max_len ||
            !((set->lenmask[(unsigned char)f.name[0]] >> len_bit(f.name_len)) & 1))
            continue;
        const rt_hdr_slot *slot = set_find(set, hash_name(f.name, f.name_len),
                                           f.name, f.name_len);
        if (!slot)
            continue;
        uint32_t id = (uint32_t)slot->id;
        f.id = slot->id;
        if (m->nfields == RT_NO_FIELD - 1 || !push_field(m, &f))
            return NULL;
        uint32_t idx = m->nfields - 1;
        if (m->last[id] == RT_NO_FIELD)
            m->first[id] = idx;
        else
            m->fields[m->last[id]].next = idx;
        m->last[id] = idx;
        m->count[id]++;
    }
    if (s.found_blank) {
        m->hdr_len = s.blank;
        m->body_off = s.body;
    } else {
        m->hdr_len = m->size;
        m->body_off = m->size;
    }
    return m;
}

rt_arena *rt_msg_arena(const rt_msg *m)
{
    return m->a;
}

rt_str rt_msg_header_block(const rt_msg *m)
{
    return rt_str_make(m->data, m->hdr_len);
}

rt_str rt_msg_body(const rt_msg *m)
{
    return rt_str_make(m->data + m->body_off, m->size - m->body_off);
}

size_t rt_msg_field_total(const rt_msg *m)
{
    return m->total;
}

uint64_t rt_msg_size(const rt_msg *m)
{
    return m->has_size ? m->size_override : (uint64_t)m->size;
}

void rt_msg_set_size(rt_msg *m, uint64_t size)
{
    m->size_override = size;
    m->has_size = true;
}

uint64_t rt_msg_size_crlf(const rt_msg *m)
{
    uint64_t n = m->size;
    const char *p = m->data, *end = m->data + m->size;
    while (p < end) {
        const char *nl = memchr(p, '\n', (size_t)(end - p));
        if (!nl)
            break;
        if (nl == m->data || nl[-1] != '\r')
            n++;
        p = nl + 1;
    }
    return n;
}

size_t rt_msg_hdr_count(const rt_msg *m, int id)
{
    if (id < 0 || !m->set || (size_t)id >= m->set->n)
        return 0;
    return m->count[m->set->canon[id]];
}

static bool name_eq(const rt_hdr_field *f, const char *name, size_t len)
{
    return f->name_len == len && ascii_caseeq(f->name, name, len);
}

size_t rt_msg_hdr_count_name(rt_msg *m, const char *name, size_t len)
{
    int id = rt_hdr_set_id(m->set, name, len);
    if (id >= 0)
        return m->count[id];
    rt_hdr_iter it;
    rt_msg_hdr_iter_name(m, name, len, &it);
    size_t n = 0;
    while (rt_hdr_iter_next(&it))
        n++;
    return n;
}

void rt_msg_hdr_iter_id(rt_msg *m, int id, rt_hdr_iter *it)
{
    /* Index mode never reads it->tmp: clearing all of it (most of the
     * iterator) on every header test costs more than the walk. */
    it->m = m;
    it->name = NULL;
    it->name_len = 0;
    it->pos = 0;
    it->id = id;
    if (id >= 0 && m->set && (size_t)id < m->set->n) {
        it->next = m->first[m->set->canon[id]];
    } else {
        it->id = 0;
        it->next = RT_NO_FIELD;
    }
}

void rt_msg_hdr_iter_name(rt_msg *m, const char *name, size_t len,
                          rt_hdr_iter *it)
{
    int id = rt_hdr_set_id(m->set, name, len);
    if (id >= 0) {
        rt_msg_hdr_iter_id(m, id, it);
        return;
    }
    memset(it, 0, sizeof *it);
    it->m = m;
    it->id = -1;
    it->name = name ? name : "";
    it->name_len = name ? len : 0;
    it->pos = 0;
    if (it->name_len == 0)
        it->pos = m->hdr_len;   /* no field has an empty name */
}

void rt_msg_hdr_iter_all(rt_msg *m, rt_hdr_iter *it)
{
    memset(it, 0, sizeof *it);
    it->m = m;
    it->id = -1;
    it->name = NULL;
}

rt_hdr_field *rt_hdr_iter_next(rt_hdr_iter *it)
{
    rt_msg *m = it->m;
    if (it->id >= 0) {
        if (it->next == RT_NO_FIELD)
            return NULL;
        rt_hdr_field *f = &m->fields[it->next];
        it->next = f->next;
        return f;
    }
    rt_scan s = { m->data, m->hdr_len, it->pos, 0, 0, false };
    while (scan_field(&s, &it->tmp)) {
        if (!it->name || name_eq(&it->tmp, it->name, it->name_len)) {
            it->pos = s.pos;
            it->tmp.id = (int32_t)rt_hdr_set_id(m->set, it->tmp.name,
                                                it->tmp.name_len);
            return &it->tmp;
        }
    }
    it->pos = m->hdr_len;
    return NULL;
}

rt_hdr_field *rt_msg_hdr_first(rt_msg *m, const char *name, size_t len)
{
    rt_hdr_iter it;
    rt_msg_hdr_iter_name(m, name, len, &it);
    rt_hdr_field *f = rt_hdr_iter_next(&it);
    if (f && f == &it.tmp) {
        rt_hdr_field *copy = rt_arena_dup(m->a, f, sizeof *f);
        return copy;
    }
    return f;
}

static inline bool is_wsp(char c)
{
    return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

/* RFC 5322 2.2.3: unfolding removes each CRLF that is followed by WSP;
 * inside a field every line end is, so all of them go. Leading whitespace
 * goes too, across folds: Pigeonhole keeps what follows a fold right after
 * the colon ("X:\n\tv" is " v" there), which makes "Subject:\n Hello" fail
 * to match "Hello"; RFC 5228 compares the value, and this is it. */
static bool make_value(rt_arena *a, const char *raw, size_t n, rt_str *out_r)
{
    size_t i = 0, j = n;
    while (i < j && is_wsp(raw[i]))
        i++;
    while (j > i && is_wsp(raw[j - 1]))
        j--;
    const char *p = raw + i;
    size_t len = j - i;
    if (!memchr(p, '\n', len)) {
        *out_r = rt_str_make(len ? p : "", len);
        return true;
    }
    char *q = rt_arena_alloc(a, len + 1);
    if (!q)
        return false;
    size_t o = 0;
    for (size_t k = 0; k < len; k++) {
        if (p[k] == '\n') {
            if (o && q[o - 1] == '\r')
                o--;
            /* Dovecot turns the TAB starting a continuation line into a
             * space (checked with Pigeonhole: "a\n\tb" is "a b"), so a
             * tab-folded "foo bar" matches what the sender wrote. */
            if (k + 1 < len && p[k + 1] == '\t') {
                q[o++] = ' ';
                k++;
            }
            continue;
        }
        q[o++] = p[k];
    }
    q[o] = '\0';
    *out_r = rt_str_make(q, o);
    return true;
}

bool rt_hdr_value(rt_msg *m, rt_hdr_field *f, rt_str *out_r)
{
    if (f->flags & RT_F_HAVE_VALUE) {
        *out_r = f->value;
        return true;
    }
    if (!make_value(m->a, f->raw, f->raw_len, &f->value)) {
        *out_r = rt_str_make("", 0);
        return false;
    }
    f->flags |= RT_F_HAVE_VALUE;
    *out_r = f->value;
    return true;
}

bool rt_hdr_value_utf8(rt_msg *m, rt_hdr_field *f, rt_str *out_r)
{
    if (f->flags & RT_F_HAVE_DECODED) {
        *out_r = f->decoded;
        return true;
    }
    rt_str v;
    if (!rt_hdr_value(m, f, &v) || !rt_rfc2047_decode(m->a, v.p, v.len, &f->decoded)) {
        *out_r = rt_str_make("", 0);
        return false;
    }
    /* Pigeonhole drops trailing SP/TAB that decoding produced
     * ("=?utf-8?q?x_?=" is "x"); leading ones stay ("__x" is "  x"). */
    while (f->decoded.len && (f->decoded.p[f->decoded.len - 1] == ' ' ||
                              f->decoded.p[f->decoded.len - 1] == '\t'))
        f->decoded.len--;
    f->flags |= RT_F_HAVE_DECODED;
    *out_r = f->decoded;
    return true;
}

bool rt_hdr_addresses(rt_msg *m, rt_hdr_field *f, const struct rt_addr **v_r,
                      size_t *n_r)
{
    if (!(f->flags & RT_F_HAVE_ADDRS)) {
        rt_str v;
        rt_addr_list l;
        if (!rt_hdr_value(m, f, &v) || !rt_addr_parse_header(m->a, v.p, v.len, &l)) {
            *v_r = NULL;
            *n_r = 0;
            return false;
        }
        f->addrs = l.v;
        f->naddrs = l.n;
        f->flags |= RT_F_HAVE_ADDRS;
    }
    *v_r = f->addrs;
    *n_r = f->naddrs;
    return true;
}
