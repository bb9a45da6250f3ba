#include "charset.h"

#include <errno.h>
#include <iconv.h>
#include <pthread.h>
#include <stdint.h>
#include <string.h>

#define RT_CHARSET_NAME_MAX 48
#define RT_CHARSET_CACHE 32

static const char rt_fffd[3] = { (char)0xEF, (char)0xBF, (char)0xBD };

/* ---- UTF-8 ---------------------------------------------------------- */

/* Length of the valid UTF-8 sequence at p (RFC 3629 section 4: no
 * overlongs, no surrogates, nothing above U+10FFFF), or 0 when the bytes at
 * p do not start one. */
static size_t utf8_seq_len(const unsigned char *p, size_t left)
{
    unsigned char c = p[0];
    if (c < 0x80)
        return 1;
    if (c < 0xC2)
        return 0;
    if (c < 0xE0) {
        if (left < 2 || (p[1] & 0xC0) != 0x80)
            return 0;
        return 2;
    }
    if (c < 0xF0) {
        if (left < 3 || (p[1] & 0xC0) != 0x80 || (p[2] & 0xC0) != 0x80)
            return 0;
        if (c == 0xE0 && p[1] < 0xA0)
            return 0;
        if (c == 0xED && p[1] >= 0xA0)
            return 0;
        return 3;
    }
    if (c < 0xF5) {
        if (left < 4 || (p[1] & 0xC0) != 0x80 || (p[2] & 0xC0) != 0x80 ||
            (p[3] & 0xC0) != 0x80)
            return 0;
        if (c == 0xF0 && p[1] < 0x90)
            return 0;
        if (c == 0xF4 && p[1] >= 0x90)
            return 0;
        return 4;
    }
    return 0;
}

/* Offset of the first byte at or after i that is not ASCII (len when
 * none): eight bytes at a time, since most mail text is ASCII. */
static size_t ascii_run_end(const unsigned char *p, size_t i, size_t len)
{
    while (len - i >= 8) {
        uint64_t w;
        memcpy(&w, p + i, 8);
        if (w & UINT64_C(0x8080808080808080))
            break;
        i += 8;
    }
    while (i < len && p[i] < 0x80)
        i++;
    return i;
}

/* Offset of the first byte not part of valid UTF-8 (len when all valid). */
static size_t utf8_valid_prefix(const char *in, size_t len)
{
    const unsigned char *p = (const unsigned char *)in;
    size_t i = 0;
    while (i < len) {
        if (p[i] < 0x80) {
            i = ascii_run_end(p, i, len);
            continue;
        }
        size_t n = utf8_seq_len(p + i, len - i);
        if (n == 0)
            return i;
        i += n;
    }
    return len;
}

bool rt_utf8_is_valid(const char *in, size_t len)
{
    return utf8_valid_prefix(in, len) == len;
}

/* A run of invalid bytes becomes a single U+FFFD: this is what Dovecot does
 * (checked with Pigeonhole 0.5.19: "a\xff\xfeb" matches "a\uFFFDb"), and
 * the reference decides what scripts see. */
static void utf8_sanitize_into(rt_buf *b, const char *in, size_t len)
{
    const unsigned char *p = (const unsigned char *)in;
    size_t i = 0, start = 0;
    bool last_bad = false;
    while (i < len) {
        if (p[i] < 0x80) {
            i = ascii_run_end(p, i, len);
            last_bad = false;
            continue;
        }
        size_t n = utf8_seq_len(p + i, len - i);
        if (n) {
            i += n;
            last_bad = false;
            continue;
        }
        rt_buf_append(b, in + start, i - start);
        if (!last_bad)
            rt_buf_append(b, rt_fffd, 3);
        last_bad = true;
        i++;
        start = i;
    }
    rt_buf_append(b, in + start, i - start);
}

bool rt_utf8_sanitize(rt_arena *a, const char *in, size_t len, rt_str *out_r)
{
    size_t ok = utf8_valid_prefix(in, len);
    if (ok == len) {
        *out_r = rt_str_make(len ? in : "", len);
        return true;
    }
    rt_buf b;
    rt_buf_init(&b, a);
    rt_buf_append(&b, in, ok);
    utf8_sanitize_into(&b, in + ok, len - ok);
    *out_r = rt_buf_str(&b);
    return !b.failed;
}

/* ---- names ---------------------------------------------------------- */

typedef struct rt_charset_alias {
    const char *from, *to;
} rt_charset_alias;

/* Labels seen in real mail that iconv either lacks or maps to a subset of
 * what senders actually use (the superset decodes everything the subset
 * does). "-" as target means "UTF-8 path, no iconv". */
static const rt_charset_alias rt_charset_aliases[] = {
    { "UTF8", "-" },
    { "UTF-8", "-" },
    { "US-ASCII", "-" },
    { "ASCII", "-" },
    { "US", "-" },
    { "ANSI_X3.4-1968", "-" },
    { "UTF7", "UTF-7" },
    { "UNICODE-1-1-UTF-7", "UTF-7" },
    { "LATIN1", "ISO-8859-1" },
    { "L1", "ISO-8859-1" },
    { "ISO8859-1", "ISO-8859-1" },
    { "ISO-8859-8-I", "ISO-8859-8" },
    { "KS_C_5601-1987", "CP949" },
    { "KS_C_5601-1989", "CP949" },
    { "KS_C_5601", "CP949" },
    { "KSC5601", "CP949" },
    { "KSC_5601", "CP949" },
    { "EUC-KR", "CP949" },
    { "GB2312", "GBK" },
    { "EUC-CN", "GBK" },
    { "X-GBK", "GBK" },
    { "CN-GB", "GBK" },
    { "BIG5", "CP950" },
    { "BIG-5", "CP950" },
    { "X-X-BIG5", "CP950" },
    { "SHIFT_JIS", "CP932" },
    { "SHIFT-JIS", "CP932" },
    { "SJIS", "CP932" },
    { "X-SJIS", "CP932" },
    { "MS_KANJI", "CP932" },
    { "WINDOWS-31J", "CP932" },
};

static bool charset_char_ok(unsigned char c)
{
    return (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' ||
           c == '_' || c == '.' || c == ':' || c == '+' || c == '(' ||
           c == ')';
}

/* Upper case, trimmed, quotes and RFC 2231 section 5 "*lang" removed.
 * Only the characters that occur in registered charset names are allowed,
 * so nothing odd (a '/' selecting iconv suffixes, say) reaches iconv. */
static size_t charset_canon(const char *cs, size_t n, char *buf, size_t bufsize)
{
    if (!cs)
        return 0;
    while (n && (cs[0] == ' ' || cs[0] == '\t' || cs[0] == '"')) {
        cs++;
        n--;
    }
    const char *star = memchr(cs, '*', n);
    if (star)
        n = (size_t)(star - cs);
    while (n && (cs[n - 1] == ' ' || cs[n - 1] == '\t' || cs[n - 1] == '"'))
        n--;
    if (n == 0 || n >= bufsize)
        return 0;
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)cs[i];
        if (c >= 'a' && c <= 'z')
            c = (unsigned char)(c - 'a' + 'A');
        if (!charset_char_ok(c))
            return 0;
        buf[i] = (char)c;
    }
    buf[n] = '\0';
    return n;
}

size_t rt_charset_normalize(const char *charset, size_t charset_len,
                            char *buf, size_t bufsize)
{
    char tmp[RT_CHARSET_NAME_MAX];
    size_t n = charset_canon(charset, charset_len, tmp, sizeof tmp);
    if (n == 0)
        return 0;
    const char *name = tmp;
    for (size_t i = 0; i < sizeof rt_charset_aliases / sizeof rt_charset_aliases[0]; i++) {
        if (strcmp(tmp, rt_charset_aliases[i].from) == 0) {
            name = rt_charset_aliases[i].to;
            if (name[0] == '-')
                name = "UTF-8";
            break;
        }
    }
    n = strlen(name);
    if (n >= bufsize)
        return 0;
    memcpy(buf, name, n + 1);
    return n;
}

bool rt_charset_is_utf8(const char *charset, size_t charset_len)
{
    char buf[RT_CHARSET_NAME_MAX];
    size_t n = rt_charset_normalize(charset, charset_len, buf, sizeof buf);
    return n == 0 ? charset == NULL || charset_len == 0
                  : strcmp(buf, "UTF-8") == 0;
}

/* ---- per-thread iconv cache ---------------------------------------- */

typedef struct rt_cd_entry {
    char name[RT_CHARSET_NAME_MAX];
    iconv_t cd;           /* (iconv_t)-1: iconv does not know the name */
    uint64_t used;
} rt_cd_entry;

typedef struct rt_cd_cache {
    rt_cd_entry e[RT_CHARSET_CACHE];
    uint64_t clock;
    unsigned opens_left;      /* misses allowed until the next limit call */
    bool limited;
    bool registered;
} rt_cd_cache;

static _Thread_local rt_cd_cache rt_cd_tls;
static pthread_key_t rt_cd_key;
static pthread_once_t rt_cd_once = PTHREAD_ONCE_INIT;

static void cd_cache_close(rt_cd_cache *c)
{
    for (size_t i = 0; i < RT_CHARSET_CACHE; i++) {
        if (c->e[i].name[0] && c->e[i].cd != (iconv_t)-1)
            iconv_close(c->e[i].cd);
        c->e[i].name[0] = '\0';
        c->e[i].cd = (iconv_t)-1;
    }
}

/* Thread exit: the key's value is the thread's own cache. */
static void cd_cache_destructor(void *p)
{
    cd_cache_close(p);
}

static void cd_key_init(void)
{
    (void)pthread_key_create(&rt_cd_key, cd_cache_destructor);
}

void rt_charset_thread_cleanup(void)
{
    cd_cache_close(&rt_cd_tls);
}

void rt_charset_limit_opens(unsigned n)
{
    rt_cd_tls.limited = n != 0;
    rt_cd_tls.opens_left = n;
}

/* name is normalised and not UTF-8. Returns (iconv_t)-1 for unknown. */
static iconv_t cd_get(const char *name)
{
    rt_cd_cache *c = &rt_cd_tls;
    if (!c->registered) {
        pthread_once(&rt_cd_once, cd_key_init);
        (void)pthread_setspecific(rt_cd_key, c);
        c->registered = true;
    }
    c->clock++;
    rt_cd_entry *victim = &c->e[0];
    for (size_t i = 0; i < RT_CHARSET_CACHE; i++) {
        rt_cd_entry *e = &c->e[i];
        if (e->name[0] && strcmp(e->name, name) == 0) {
            e->used = c->clock;
            return e->cd;
        }
        if (!e->name[0] || e->used < victim->used)
            victim = e;
        if (!e->name[0])
            break;
    }
    /* iconv_open costs tens of microseconds (gconv module lookup, dlopen)
     * and allocates: a hostile header cycling through more charsets than
     * the cache holds would make every word a miss. Past the budget a
     * charset not in the cache is treated as unknown, and not cached. */
    if (c->limited) {
        if (c->opens_left == 0)
            return (iconv_t)-1;
        c->opens_left--;
    }
    if (victim->name[0] && victim->cd != (iconv_t)-1)
        iconv_close(victim->cd);
    victim->cd = iconv_open("UTF-8", name);
    strcpy(victim->name, name);
    victim->used = c->clock;
    return victim->cd;
}

bool rt_charset_is_known(const char *charset, size_t charset_len)
{
    char name[RT_CHARSET_NAME_MAX];
    if (rt_charset_normalize(charset, charset_len, name, sizeof name) == 0)
        return false;
    if (strcmp(name, "UTF-8") == 0)
        return true;
    return cd_get(name) != (iconv_t)-1;
}

/* ---- conversion ----------------------------------------------------- */

typedef struct rt_conv_out {
    rt_arena *a;
    char *buf;
    size_t cap;       /* excluding the byte kept for the NUL */
    char *op;
    size_t oleft;
} rt_conv_out;

static bool conv_grow(rt_conv_out *o, size_t need)
{
    size_t used = o->cap - o->oleft;
    size_t cap = o->cap * 2;
    if (cap < used + need)
        cap = used + need;
    if (cap < o->cap || cap + 1 < cap)
        return false;
    char *nb = rt_arena_alloc(o->a, cap + 1);
    if (!nb)
        return false;
    memcpy(nb, o->buf, used);
    o->buf = nb;
    o->cap = cap;
    o->op = nb + used;
    o->oleft = cap - used;
    return true;
}

/* Each byte iconv refuses (EILSEQ, or an incomplete sequence at the end)
 * is skipped and replaced; a run of them yields one U+FFFD as in Dovecot. */
static bool convert(rt_arena *a, iconv_t cd, const char *in, size_t len,
                    rt_str *out_r)
{
    rt_conv_out o;
    o.a = a;
    o.cap = len < ((size_t)1 << 20) ? len * 3 + 16 : len + len / 2 + 64;
    if (o.cap < len)
        return false;
    o.buf = rt_arena_alloc(a, o.cap + 1);
    if (!o.buf)
        return false;
    o.op = o.buf;
    o.oleft = o.cap;

    (void)iconv(cd, NULL, NULL, NULL, NULL);
    char *ip = (char *)in;
    size_t ileft = len;
    char *bad_at = NULL;   /* output position right after the last U+FFFD */
    while (ileft > 0) {
        size_t r = iconv(cd, &ip, &ileft, &o.op, &o.oleft);
        if (r != (size_t)-1)
            break;
        if (errno == E2BIG) {
            if (!conv_grow(&o, 16))
                return false;
            continue;
        }
        /* EILSEQ or EINVAL */
        if (o.op != bad_at) {
            if (o.oleft < 3 && !conv_grow(&o, 3))
                return false;
            memcpy(o.op, rt_fffd, 3);
            o.op += 3;
            o.oleft -= 3;
            bad_at = o.op;
        }
        ip++;
        ileft--;
    }
    /* Stateful encodings (ISO-2022-JP, UTF-7) may hold output back. */
    for (int tries = 0; tries < 8; tries++) {
        if (iconv(cd, NULL, NULL, &o.op, &o.oleft) != (size_t)-1)
            break;
        if (errno != E2BIG || !conv_grow(&o, 16))
            break;
    }
    *o.op = '\0';
    *out_r = rt_str_make(o.buf, (size_t)(o.op - o.buf));
    return true;
}

bool rt_charset_to_utf8(rt_arena *a, const char *charset, size_t charset_len,
                        const char *in, size_t len, rt_str *out_r)
{
    char name[RT_CHARSET_NAME_MAX];
    size_t n = rt_charset_normalize(charset, charset_len, name, sizeof name);
    iconv_t cd = (iconv_t)-1;
    if (n && strcmp(name, "UTF-8") != 0)
        cd = cd_get(name);
    bool ok;
    if (cd == (iconv_t)-1) {
        /* UTF-8, US-ASCII, unknown or unusable name: keep the bytes,
         * replace what is not UTF-8 (Dovecot's behaviour for unknown
         * charsets, checked with Pigeonhole 0.5.19). */
        rt_buf b;
        rt_buf_init(&b, a);
        utf8_sanitize_into(&b, in, len);
        *out_r = rt_buf_str(&b);
        ok = !b.failed;
    } else {
        ok = convert(a, cd, in, len, out_r);
    }
    if (!ok)
        *out_r = rt_str_make("", 0);
    return ok;
}
