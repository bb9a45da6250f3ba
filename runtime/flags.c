/* flags: see flags.h. */
#include "flags.h"

#include <string.h>

static unsigned char lower(unsigned char c)
{
    return c >= 'A' && c <= 'Z' ? (unsigned char)(c + 32) : c;
}

bool rt_flags_same(rt_str x, rt_str y)
{
    if (x.len != y.len)
        return false;
    for (size_t i = 0; i < x.len; i++)
        if (lower((unsigned char)x.p[i]) != lower((unsigned char)y.p[i]))
            return false;
    return true;
}

/* RFC 5232 3 splits at spaces only; a TAB or line end is part of a name
 * (and makes it unstorable, see rt_flags_storable). */
bool rt_flags_next(rt_str s, size_t *pos, rt_str *flag_r)
{
    size_t k = *pos;
    while (k < s.len && s.p[k] == ' ')
        k++;
    size_t start = k;
    while (k < s.len && s.p[k] != ' ')
        k++;
    *pos = k;
    if (k == start)
        return false;
    *flag_r = rt_str_make(s.p + start, k - start);
    return true;
}

typedef struct flagset {
    rt_str v[RT_FLAGS_MAX];
    size_t n, bytes;
} flagset;

static bool has(const flagset *fs, rt_str f)
{
    for (size_t i = 0; i < fs->n; i++)
        if (rt_flags_same(fs->v[i], f))
            return true;
    return false;
}

static void put(flagset *fs, rt_str f)
{
    size_t need = fs->bytes + (fs->n ? 1 : 0) + f.len;
    if (fs->n == RT_FLAGS_MAX || need > RT_FLAGS_MAX_BYTES || has(fs, f))
        return;
    fs->v[fs->n++] = f;
    fs->bytes = need;
}

/* valid_only: the flags a script names (see rt_flags_apply). */
static void put_all(flagset *fs, rt_str s, bool valid_only)
{
    size_t pos = 0;
    rt_str f;
    while (rt_flags_next(s, &pos, &f))
        if (!valid_only || rt_flags_storable(f))
            put(fs, f);
}

/* Whether f is named by any flag of the n lists. */
static bool named(rt_str f, const rt_str *in, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        size_t pos = 0;
        rt_str g;
        while (rt_flags_next(in[i], &pos, &g))
            if (rt_flags_same(f, g))
                return true;
    }
    return false;
}

bool rt_flags_apply(rt_arena *a, rt_str cur, rt_flags_op op, const rt_str *in, size_t n,
                    rt_str *out_r)
{
    /* On the stack: 256 slices, 4 KiB; the run's arena gets the text. */
    flagset fs;
    fs.n = 0;
    fs.bytes = 0;
    switch (op) {
    case RT_FLAGS_SET:
        for (size_t i = 0; i < n; i++)
            put_all(&fs, in[i], true);
        break;
    case RT_FLAGS_ADD:
        put_all(&fs, cur, false);
        for (size_t i = 0; i < n; i++)
            put_all(&fs, in[i], true);
        break;
    case RT_FLAGS_REMOVE: {
        size_t pos = 0;
        rt_str f;
        while (rt_flags_next(cur, &pos, &f))
            if (!named(f, in, n))
                put(&fs, f);
        break;
    }
    }
    char *b = rt_arena_alloc(a, fs.bytes + 1);
    if (!b)
        return false;
    size_t o = 0;
    for (size_t i = 0; i < fs.n; i++) {
        if (i)
            b[o++] = ' ';
        memcpy(b + o, fs.v[i].p, fs.v[i].len);
        o += fs.v[i].len;
    }
    b[o] = '\0';
    *out_r = rt_str_make(b, o);
    return true;
}

bool rt_flags_storable(rt_str f)
{
    static const char *const sys[] = { "\\seen", "\\answered", "\\flagged", "\\deleted",
                                       "\\draft" };
    if (f.len == 0)
        return false;
    if (f.p[0] == '\\') {
        for (size_t i = 0; i < sizeof sys / sizeof sys[0]; i++)
            if (rt_flags_same(f, rt_str_cstr(sys[i])))
                return true;
        return false;
    }
    /* RFC 3501 9: atom = 1*ATOM-CHAR; ATOM-CHAR excludes atom-specials
     * ( ) { SP CTL % * " \ ] and, for a flag, nothing else. */
    for (size_t i = 0; i < f.len; i++) {
        unsigned char c = (unsigned char)f.p[i];
        if (c <= 0x20 || c >= 0x7f || strchr("(){%*\"\\]", c))
            return false;
    }
    return true;
}
