/* Unit tests: charset conversion (rt_charset_) and RFC 2047 decoding. */
#include <check.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "charset.h"
#include "rfc2047.h"

static rt_arena *A;

static void setup(void)
{
    A = rt_arena_new(0);
}

static void teardown(void)
{
    rt_arena_free(&A);
}

#define FFFD "\xef\xbf\xbd"

static void expect_dec(const char *in, const char *want)
{
    rt_str out;
    ck_assert_msg(rt_rfc2047_decode(A, in, strlen(in), &out), "decode failed: %s", in);
    ck_assert_msg(out.len == strlen(want) && memcmp(out.p, want, out.len) == 0,
                  "decode(%s) = [%.*s], want [%s]", in, (int)out.len, out.p, want);
    ck_assert(rt_utf8_is_valid(out.p, out.len));
}

static const struct { const char *in, *want; } charsets[] = {
    { "=?utf-8?B?R3LDvMOfZSDigqw=?=", "Gr\xc3\xbc\xc3\x9f""e \xe2\x82\xac" },
    { "=?iso-8859-1?Q?Gr=FC=DFe_caf=E9?=", "Gr\xc3\xbc\xc3\x9f""e caf\xc3\xa9" },
    { "=?iso-8859-15?Q?prix_5=A4_=BDuvre?=", "prix 5\xe2\x82\xac \xc5\x93uvre" },
    { "=?windows-1252?Q?=93quoted=94_=96_dash_=80?=", "\xe2\x80\x9cquoted\xe2\x80\x9d \xe2\x80\x93 dash \xe2\x82\xac" },
    { "=?koi8-r?B?8NLJ18XUIM3J0g==?=", "\xd0\x9f\xd1\x80\xd0\xb8\xd0\xb2\xd0\xb5\xd1\x82 \xd0\xbc\xd0\xb8\xd1\x80" },
    { "=?gb2312?B?1tDOxNPKvP4=?=", "\xe4\xb8\xad\xe6\x96\x87\xe9\x82\xae\xe4\xbb\xb6" },
    { "=?big5?B?wWPF6aSkpOU=?=", "\xe7\xb9\x81\xe9\xab\x94\xe4\xb8\xad\xe6\x96\x87" },
    { "=?iso-2022-jp?B?GyRCRnxLXDhsJE4lYSE8JWsbKEI=?=", "\xe6\x97\xa5\xe6\x9c\xac\xe8\xaa\x9e\xe3\x81\xae\xe3\x83\xa1\xe3\x83\xbc\xe3\x83\xab" },
    { "=?utf-7?Q?Hi_Mom_=2D=2BJjo=2D=2D=21?=", "Hi Mom -\xe2\x98\xba-!" },
    { "=?ks_c_5601-1987?B?x9Gxub7u?=", "\xed\x95\x9c\xea\xb5\xad\xec\x96\xb4" },
    { "=?shift_jis?B?g2WDWINn?=", "\xe3\x83\x86\xe3\x82\xb9\xe3\x83\x88" },
    { "=?euc-kr?B?vsiz5w==?=", "\xec\x95\x88\xeb\x85\x95" },
    { "=?windows-1251?Q?=C7=E4=F0=E0=E2=F1=F2=E2=F3=E9=F2=E5?=", "\xd0\x97\xd0\xb4\xd1\x80\xd0\xb0\xd0\xb2\xd1\x81\xd1\x82\xd0\xb2\xd1\x83\xd0\xb9\xd1\x82\xd0\xb5" },
    { "=?iso-8859-2?Q?=AF=F3=B3=E6?=", "\xc5\xbb\xc3\xb3\xc5\x82\xc4\x87" },
    { "=?utf-16?B?//5IAOkA?=", "H\xc3\xa9" },
    { "=?gbk?B?6UY=?=", "\xe9\x95\x95" },
    { "=?ISO-8859-1*sv?Q?=C5sa?=", "\xc3\x85sa" },
    { "=?US-ASCII*EN?Q?Keith_Moore?=", "Keith Moore" },
    { "=?latin1?Q?=F1?=", "\xc3\xb1" },
    { "=?utf8?Q?=C3=BC?=", "\xc3\xbc" },
};

START_TEST(test_charsets)
{
    /* Each vector is decoded alone, then inside text. */
    expect_dec(charsets[_i].in, charsets[_i].want);
    char in[512], want[512];
    snprintf(in, sizeof in, "Re: %s [x]", charsets[_i].in);
    snprintf(want, sizeof want, "Re: %s [x]", charsets[_i].want);
    expect_dec(in, want);
}
END_TEST

START_TEST(test_plain)
{
    expect_dec("", "");
    expect_dec("hello world", "hello world");
    rt_str out;
    const char *in = "no words here";
    ck_assert(rt_rfc2047_decode(A, in, strlen(in), &out));
    ck_assert_ptr_eq(out.p, in);          /* no copy when nothing to do */
    expect_dec("caf\xc3\xa9", "caf\xc3\xa9");   /* raw UTF-8 kept */
    expect_dec("a\xff\xfe" "b", "a" FFFD "b");  /* run of bad bytes: one U+FFFD */
    expect_dec("a\xe9" "b\xe9", "a" FFFD "b" FFFD);
    ck_assert(rt_rfc2047_decode(A, "x\0y", 3, &out));  /* PH: raw NUL is U+FFFD */
    ck_assert_str_eq(out.p, "x" FFFD "y");
    ck_assert(rt_rfc2047_decode(A, "\0\0=?utf-8?q?a?=\0", 17, &out));
    ck_assert_str_eq(out.p, FFFD "a" FFFD);
}
END_TEST

START_TEST(test_whitespace_rules)
{
    /* RFC 2047 section 8 examples. */
    expect_dec("(=?ISO-8859-1?Q?a?=)", "(a)");
    expect_dec("(=?ISO-8859-1?Q?a?= b)", "(a b)");
    expect_dec("(=?ISO-8859-1?Q?a?= =?ISO-8859-1?Q?b?=)", "(ab)");
    expect_dec("(=?ISO-8859-1?Q?a?=  =?ISO-8859-1?Q?b?=)", "(ab)");
    expect_dec("(=?ISO-8859-1?Q?a?=\r\n    =?ISO-8859-1?Q?b?=)", "(ab)");
    expect_dec("(=?ISO-8859-1?Q?a_b?=)", "(a b)");
    expect_dec("(=?ISO-8859-1?Q?a?= =?ISO-8859-2?Q?_b?=)", "(a b)");
    expect_dec("a =?utf-8?q?b?= c", "a b c");
    expect_dec("=?utf-8?q?x?==?utf-8?q?y?=", "xy");
    /* Dovecot decodes words glued to text (checked with Pigeonhole). */
    expect_dec("abc=?utf-8?q?x?=def", "abcxdef");
    expect_dec("=?utf-8?q?a b?=", "a b");
}
END_TEST

START_TEST(test_split_multibyte)
{
    /* é split over two words of the same charset decodes as one. */
    expect_dec("=?utf-8?q?=C3?= =?utf-8?q?=A9?=", "\xc3\xa9");
    expect_dec("=?UTF-8?B?w6k=?= =?utf-8?b?w6k=?=", "\xc3\xa9\xc3\xa9");
    expect_dec("=?utf-8?b?5Lit?= =?utf-8?b?5paH?=", "\xe4\xb8\xad\xe6\x96\x87");
    expect_dec("=?utf-8?b?5Lg=?= =?utf-8?b?rQ==?=", "\xe4\xb8\xad");
    /* Different charsets are converted separately: the halves are bad. */
    expect_dec("=?utf-8?q?=C3?= =?iso-8859-1?q?=A9?=", FFFD "\xc2\xa9");
    /* Shift-JIS split between words. */
    expect_dec("=?shift_jis?q?=83?= =?shift_jis?q?=65?=", "\xe3\x83\x86");
}
END_TEST

START_TEST(test_malformed)
{
    expect_dec("=?", "=?");
    expect_dec("=?=", "=?=");
    expect_dec("=?" "?=", "=?" "?=");
    expect_dec("=?utf-8?=", "=?utf-8?=");
    expect_dec("=?utf-8?q?=", "=?utf-8?q?=");
    expect_dec("=?utf-8?q?abc", "=?utf-8?q?abc");
    expect_dec("=?utf-8?x?abc?=", "=?utf-8?x?abc?=");
    expect_dec("=?utf-8?qq?abc?=", "=?utf-8?qq?abc?=");
    expect_dec("=?utf 8?q?abc?=", "=?utf 8?q?abc?=");
    expect_dec("=?utf-8?q?abc?", "=?utf-8?q?abc?");
    expect_dec("=?utf-8?q?a?b?=", "=?utf-8?q?a?b?=");
    expect_dec("a=?utf-8?q?x?=?=", "ax?=");
    /* Empty text decodes to nothing. */
    expect_dec("[=?utf-8?q?" "?=]", "[]");
    /* Bad Q escapes are kept, bad base64 stops the data. */
    expect_dec("=?utf-8?q?a=ZZb=4?=", "a=ZZb=4");
    expect_dec("=?utf-8?q?=?=", "=");
    expect_dec("=?utf-8?b?YWJj*ZGVm?=", "abc");
    expect_dec("=?utf-8?b?YW?=", "a");
    expect_dec("=?utf-8?b?Y?=", "");
    expect_dec("=?utf-8?b?====?=", "");
    /* Decoded bytes that are not UTF-8. */
    expect_dec("=?utf-8?q?=FF=FE?=", FFFD);
    rt_str out;
    const char *nul = "=?utf-8?q?a=00b?=";
    ck_assert(rt_rfc2047_decode(A, nul, strlen(nul), &out));
    ck_assert_str_eq(out.p, "a b");          /* PH: a decoded NUL is a space */
    /* Unknown charsets: bytes taken as UTF-8, invalid ones replaced
     * (Dovecot; checked with Pigeonhole 0.5.19). */
    expect_dec("=?x-unknown?q?a=E9b?=", "a" FFFD "b");
    expect_dec("=?unknown-8bit?q?caf=C3=A9?=", "caf\xc3\xa9");
    expect_dec("=?fakescii?b?aGk=?=", "hi");
    expect_dec("=?../../etc/passwd?q?x?=", "x");
    expect_dec("=?UTF-8//TRANSLIT?q?x=E9?=", "x" FFFD);
    /* A charset token longer than the limit is not an encoded word. */
    char in[300];
    memset(in, 'a', sizeof in);
    memcpy(in, "=?", 2);
    memcpy(in + 200, "?q?x?=", 7);
    expect_dec(in, in);
}
END_TEST

START_TEST(test_invalid_in_charset)
{
    /* 0xA5 is unassigned in ISO-8859-3; EUC-JP with a cut sequence. */
    expect_dec("=?iso-8859-3?q?a=A5b?=", "a" FFFD "b");
    expect_dec("=?euc-jp?q?a=A4?=", "a" FFFD);
    expect_dec("=?euc-jp?q?=A4=A2=FF=FF=A4=A2?=", "\xe3\x81\x82" FFFD "\xe3\x81\x82");
    expect_dec("=?iso-2022-jp?q?=1B$B$\"=1B(B?=", "\xe3\x81\x82");
    expect_dec("=?utf-7?q?+AGEAYgBj-?=", "abc");
    expect_dec("=?utf-7?q?+AGE?=", "a");
}
END_TEST

START_TEST(test_charset_api)
{
    char buf[64];
    ck_assert_uint_eq(rt_charset_normalize("utf8", 4, buf, sizeof buf), 5);
    ck_assert_str_eq(buf, "UTF-8");
    rt_charset_normalize("ks_c_5601-1987", 14, buf, sizeof buf);
    ck_assert_str_eq(buf, "CP949");
    rt_charset_normalize("GB2312", 6, buf, sizeof buf);
    ck_assert_str_eq(buf, "GBK");
    rt_charset_normalize("\"iso-8859-1*sv\"", 15, buf, sizeof buf);
    ck_assert_str_eq(buf, "ISO-8859-1");
    rt_charset_normalize("Latin1", 6, buf, sizeof buf);
    ck_assert_str_eq(buf, "ISO-8859-1");
    ck_assert_uint_eq(rt_charset_normalize("a/b", 3, buf, sizeof buf), 0);
    ck_assert_uint_eq(rt_charset_normalize("", 0, buf, sizeof buf), 0);
    ck_assert_uint_eq(rt_charset_normalize("utf-8", 5, buf, 3), 0);
    ck_assert(rt_charset_is_utf8("us-ascii", 8));
    ck_assert(rt_charset_is_utf8("UTF-8", 5));
    ck_assert(!rt_charset_is_utf8("latin1", 6));
    ck_assert(rt_charset_is_known("koi8-r", 6));
    ck_assert(rt_charset_is_known("windows-1252", 12));
    ck_assert(!rt_charset_is_known("fakescii", 8));
    ck_assert(!rt_charset_is_known("x-unknown", 9));

    rt_str out;
    ck_assert(rt_charset_to_utf8(A, "iso-8859-1", 10, "\xe9t\xe9", 3, &out));
    ck_assert_str_eq(out.p, "\xc3\xa9t\xc3\xa9");
    ck_assert(rt_charset_to_utf8(A, NULL, 0, "ok\xff", 3, &out));
    ck_assert_str_eq(out.p, "ok" FFFD);
    ck_assert(rt_charset_to_utf8(A, "us-ascii", 8, "", 0, &out));
    ck_assert_uint_eq(out.len, 0);
    ck_assert(rt_charset_to_utf8(A, "utf-16le", 8, "a\0b", 3, &out));
    ck_assert_str_eq(out.p, "a" FFFD);

    /* Many charsets in turn exercise the descriptor cache eviction. */
    static const char *names[] = { "iso-8859-1", "iso-8859-2", "iso-8859-3",
        "iso-8859-4", "iso-8859-5", "iso-8859-7", "iso-8859-9", "koi8-r",
        "koi8-u", "windows-1250", "windows-1251", "cp850", "iso-8859-1" };
    for (int round = 0; round < 3; round++)
        for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
            ck_assert(rt_charset_to_utf8(A, names[i], strlen(names[i]), "abc", 3, &out));
            ck_assert_str_eq(out.p, "abc");
        }
    rt_charset_thread_cleanup();
    rt_charset_thread_cleanup();
    ck_assert(rt_charset_to_utf8(A, "koi8-r", 6, "\xf0", 1, &out));
    ck_assert_str_eq(out.p, "\xd0\x9f");
}
END_TEST

START_TEST(test_utf8)
{
    static const struct { const char *s; size_t n; bool ok; } v[] = {
        { "", 0, true }, { "abc", 3, true }, { "\xc3\xa9", 2, true },
        { "\xc3", 1, false }, { "\xc0\x80", 2, false }, { "\xe0\x80\x80", 3, false },
        { "\xed\xa0\x80", 3, false }, { "\xf4\x90\x80\x80", 4, false },
        { "\xf0\x9f\x98\x80", 4, true }, { "\xef\xbf\xbd", 3, true },
        { "\x80", 1, false }, { "\xf5\x80\x80\x80", 4, false },
    };
    for (size_t i = 0; i < sizeof v / sizeof v[0]; i++)
        ck_assert_msg(rt_utf8_is_valid(v[i].s, v[i].n) == v[i].ok, "case %zu", i);
    rt_str out;
    ck_assert(rt_utf8_sanitize(A, "\xc3(\xe2\x82", 4, &out));
    ck_assert_uint_eq(out.len, 7);
    ck_assert(memcmp(out.p, FFFD "(" FFFD, 7) == 0);
    ck_assert(rt_utf8_sanitize(A, "ok", 2, &out));
    ck_assert_uint_eq(out.len, 2);
}
END_TEST

/* Random bytes with many "=?" must neither crash nor emit invalid UTF-8,
 * and must take linear-ish time. */
/* RFC 3629 decoding written out plainly: the length of the valid sequence
 * at p, 0 when there is none. */
static size_t ref_seq(const unsigned char *p, size_t left)
{
    unsigned c = p[0];
    size_t n;
    unsigned long cp;
    if (c < 0x80)
        return 1;
    if ((c & 0xE0) == 0xC0) {
        n = 2;
        cp = c & 0x1F;
    } else if ((c & 0xF0) == 0xE0) {
        n = 3;
        cp = c & 0x0F;
    } else if ((c & 0xF8) == 0xF0) {
        n = 4;
        cp = c & 0x07;
    } else {
        return 0;
    }
    if (left < n)
        return 0;
    for (size_t k = 1; k < n; k++) {
        if ((p[k] & 0xC0) != 0x80)
            return 0;
        cp = cp << 6 | (p[k] & 0x3F);
    }
    if ((n == 2 && cp < 0x80) || (n == 3 && cp < 0x800) || (n == 4 && cp < 0x10000))
        return 0;
    if ((cp >= 0xD800 && cp <= 0xDFFF) || cp > 0x10FFFF)
        return 0;
    return n;
}

/* Sanitizing against the reference, with ASCII runs of every length around
 * invalid bytes (the ASCII runs are skipped eight bytes at a time). */
START_TEST(test_utf8_vs_reference)
{
    static const unsigned char alphabet[] = { 'a', 'b', 0, 0x7f, 0x80, 0xbf, 0xc2, 0xc3, 0xa9,
                                              0xe2, 0x82, 0xac, 0xed, 0xa0, 0xf0, 0x9f, 0xf4,
                                              0x90, 0xff, 0xc0 };
    unsigned seed = 3;
    for (int round = 0; round < 50000; round++) {
        unsigned char in[64];
        char want[64 * 3 + 1];
        size_t n = (size_t)(rand_r(&seed) % 64), w = 0;
        for (size_t i = 0; i < n; i++) {
            /* Mostly ASCII, in runs, so the word loop meets every alignment. */
            unsigned r = (unsigned)rand_r(&seed);
            in[i] = r % 3 ? (unsigned char)('a' + r % 26) : alphabet[r % sizeof alphabet];
        }
        bool bad_run = false, valid = true;
        for (size_t i = 0; i < n;) {
            size_t k = ref_seq(in + i, n - i);
            if (k) {
                memcpy(want + w, in + i, k);
                w += k;
                i += k;
                bad_run = false;
                continue;
            }
            valid = false;
            if (!bad_run)
                memcpy(want + w, "\xef\xbf\xbd", 3), w += 3;
            bad_run = true;
            i++;
        }
        rt_str out;
        ck_assert(rt_utf8_sanitize(A, (const char *)in, n, &out));
        ck_assert(out.len == w && memcmp(out.p, want, w) == 0);
        ck_assert(rt_utf8_is_valid((const char *)in, n) == valid);
        ck_assert(rt_charset_to_utf8(A, "utf-8", 5, (const char *)in, n, &out));
        ck_assert(out.len == w && memcmp(out.p, want, w) == 0 && out.p[w] == '\0');
        rt_arena_reset(A);
    }
}
END_TEST

START_TEST(test_hostile)
{
    static const char alphabet[] = "=?qQbB_ \t-utf8iso\xc3\xa9\xff" "abcAZ09+/";
    unsigned seed = 12345;
    char buf[4096];
    for (int round = 0; round < 2000; round++) {
        size_t n = (size_t)(round % 97) * 40 % sizeof buf;
        for (size_t i = 0; i < n; i++) {
            seed = seed * 1103515245u + 12345u;
            buf[i] = alphabet[(seed >> 16) % (sizeof alphabet - 1)];
        }
        rt_str out;
        ck_assert(rt_rfc2047_decode(A, buf, n, &out));
        ck_assert(rt_utf8_is_valid(out.p, out.len));
        if (round % 100 == 0)
            rt_arena_reset(A);
    }
    /* 1 MiB of "=?a?q?" with no end. */
    size_t big = 1 << 20;
    char *p = malloc(big);
    ck_assert_ptr_nonnull(p);
    for (size_t i = 0; i < big; i++)
        p[i] = "=?a?q?"[i % 6];
    rt_str out;
    ck_assert(rt_rfc2047_decode(A, p, big, &out));
    ck_assert(out.len >= big - 8);
    /* 1 MiB of valid adjacent words. */
    for (size_t i = 0; i + 12 <= big; i += 12)
        memcpy(p + i, &"=?utf-8?q?x?="[1], 12);
    ck_assert(rt_rfc2047_decode(A, p, big, &out));
    free(p);
}
END_TEST

START_TEST(test_arena_cap)
{
    rt_arena *small = rt_arena_new(4096);
    char buf[8192];
    memset(buf, 'a', sizeof buf);
    memcpy(buf, "=?utf-8?q?", 10);
    memcpy(buf + sizeof buf - 2, "?=", 2);
    rt_str out;
    ck_assert(!rt_rfc2047_decode(small, buf, sizeof buf, &out));
    ck_assert_uint_eq(out.len, 0);
    ck_assert(!rt_charset_to_utf8(small, "latin1", 6, buf, sizeof buf, &out));
    rt_arena_free(&small);
}
END_TEST

START_TEST(test_open_budget)
{
    rt_str out;
    rt_charset_thread_cleanup();          /* empty cache */
    rt_charset_limit_opens(2);
    ck_assert(rt_charset_to_utf8(A, "iso-8859-1", 10, "\xe9", 1, &out));
    ck_assert_str_eq(out.p, "\xc3\xa9");
    ck_assert(rt_charset_to_utf8(A, "koi8-r", 6, "\xf0", 1, &out));
    ck_assert_str_eq(out.p, "\xd0\x9f");
    /* Budget spent: a third charset reads as unknown. */
    ck_assert(rt_charset_to_utf8(A, "iso-8859-5", 10, "\xb0", 1, &out));
    ck_assert_str_eq(out.p, FFFD);
    /* Cached ones still convert. */
    ck_assert(rt_charset_to_utf8(A, "koi8-r", 6, "\xf0", 1, &out));
    ck_assert_str_eq(out.p, "\xd0\x9f");
    rt_charset_limit_opens(0);            /* unlimited again */
    ck_assert(rt_charset_to_utf8(A, "iso-8859-5", 10, "\xb0", 1, &out));
    ck_assert_str_eq(out.p, "\xd0\x90");
}
END_TEST

/* Each thread has its own descriptor cache and arena; results must not mix
 * and thread exit must release the cache (the sanitizer build checks). */
static void *thread_main(void *arg)
{
    size_t id = (size_t)arg;
    rt_arena *a = rt_arena_new(0);
    long bad = 0;
    for (int i = 0; i < 300; i++) {
        size_t k = (id + (size_t)i) % (sizeof charsets / sizeof charsets[0]);
        rt_str out;
        if (!rt_rfc2047_decode(a, charsets[k].in, strlen(charsets[k].in), &out) ||
            out.len != strlen(charsets[k].want) || memcmp(out.p, charsets[k].want, out.len) != 0)
            bad++;
        if (i % 50 == 0)
            rt_arena_reset(a);
    }
    rt_arena_free(&a);
    return (void *)bad;
}

START_TEST(test_threads)
{
    pthread_t t[4];
    for (size_t i = 0; i < 4; i++)
        ck_assert_int_eq(pthread_create(&t[i], NULL, thread_main, (void *)i), 0);
    for (size_t i = 0; i < 4; i++) {
        void *r;
        ck_assert_int_eq(pthread_join(t[i], &r), 0);
        ck_assert_ptr_null(r);
    }
}
END_TEST

int main(void)
{
    Suite *s = suite_create("rfc2047");
    TCase *tc = tcase_create("core");
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_add_loop_test(tc, test_charsets, 0, (int)(sizeof charsets / sizeof charsets[0]));
    tcase_add_test(tc, test_plain);
    tcase_add_test(tc, test_whitespace_rules);
    tcase_add_test(tc, test_split_multibyte);
    tcase_add_test(tc, test_malformed);
    tcase_add_test(tc, test_invalid_in_charset);
    tcase_add_test(tc, test_charset_api);
    tcase_add_test(tc, test_utf8);
    tcase_add_test(tc, test_utf8_vs_reference);
    tcase_add_test(tc, test_hostile);
    tcase_add_test(tc, test_arena_cap);
    tcase_add_test(tc, test_threads);
    tcase_add_test(tc, test_open_budget);
    suite_add_tcase(s, tc);
    SRunner *sr = srunner_create(s);
    srunner_run_all(sr, CK_NORMAL);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
