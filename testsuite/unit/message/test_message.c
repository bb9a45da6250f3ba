/* Unit tests: the message model (rt_msg_, rt_hdr_), plus the edge corpus
 * run through header lookup, decoding and address parsing. */
#include <check.h>
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "address.h"
#include "charset.h"
#include "message.h"

/* Counting every heap allocation of the process needs our own malloc; the
 * sanitizers bring theirs, so the count is only checked without them. */
#if defined(__SANITIZE_ADDRESS__)
#define RT_TEST_HOOK 0
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define RT_TEST_HOOK 0
#endif
#endif
#ifndef RT_TEST_HOOK
#define RT_TEST_HOOK 1
#endif

static unsigned long heap_calls;
static int heap_counting;

#if RT_TEST_HOOK
extern void *__libc_malloc(size_t);
extern void *__libc_calloc(size_t, size_t);
extern void *__libc_realloc(void *, size_t);
extern void __libc_free(void *);
void *malloc(size_t n)
{
    if (heap_counting)
        heap_calls++;
    return __libc_malloc(n);
}
void *calloc(size_t n, size_t m)
{
    if (heap_counting)
        heap_calls++;
    return __libc_calloc(n, m);
}
void *realloc(void *p, size_t n)
{
    if (heap_counting)
        heap_calls++;
    return __libc_realloc(p, n);
}
void free(void *p)
{
    __libc_free(p);
}
#endif

static rt_arena *A;
static rt_hdr_set *SET;
enum { H_FROM, H_TO, H_CC, H_SUBJECT, H_RECEIVED, H_XSPAM, H_FROM2, H_NSET };
static const char *set_names[] = { "From", "to", "CC", "subject", "Received",
                                   "X-Spam-Flag", "FROM" };

static void setup(void)
{
    A = rt_arena_new(0);
    SET = rt_hdr_set_new(set_names, NULL, H_NSET);
    ck_assert_ptr_nonnull(SET);
}

static void teardown(void)
{
    rt_arena_free(&A);
    rt_hdr_set_free(&SET);
    ck_assert_ptr_null(SET);
}

static rt_msg *open_msg(const char *s)
{
    rt_msg *m = rt_msg_open(A, SET, s, strlen(s));
    ck_assert_ptr_nonnull(m);
    return m;
}

/* Values of every field of the name, "|"-joined. */
static const char *values(rt_msg *m, const char *name, bool decoded)
{
    static char buf[8192];
    size_t o = 0;
    buf[0] = '\0';
    rt_hdr_iter it;
    rt_msg_hdr_iter_name(m, name, strlen(name), &it);
    rt_hdr_field *f;
    bool first = true;
    while ((f = rt_hdr_iter_next(&it))) {
        rt_str v;
        ck_assert(decoded ? rt_hdr_value_utf8(m, f, &v) : rt_hdr_value(m, f, &v));
        o += (size_t)snprintf(buf + o, sizeof buf - o, "%s%.*s", first ? "" : "|",
                              (int)v.len, v.p);
        first = false;
    }
    return buf;
}

static void expect_body(rt_msg *m, const char *want)
{
    rt_str b = rt_msg_body(m);
    ck_assert_msg(b.len == strlen(want) && memcmp(b.p, want, b.len) == 0,
                  "body [%.*s] want [%s]", (int)b.len, b.p, want);
}

START_TEST(test_set)
{
    ck_assert_int_eq(rt_hdr_set_id(SET, "from", 4), 0);
    ck_assert_int_eq(rt_hdr_set_id(SET, "FROM", 4), 0);
    ck_assert_int_eq(rt_hdr_set_id(SET, "To", 2), 1);
    ck_assert_int_eq(rt_hdr_set_id(SET, "x-spam-flag", 11), H_XSPAM);
    ck_assert_int_eq(rt_hdr_set_id(SET, "x-spam", 6), -1);
    ck_assert_int_eq(rt_hdr_set_id(SET, "", 0), -1);
    ck_assert_int_eq(rt_hdr_set_id(NULL, "from", 4), -1);
    ck_assert_uint_eq(rt_hdr_set_size(SET), H_NSET);
    const char *bad[] = { "" };
    ck_assert_ptr_null(rt_hdr_set_new(bad, NULL, 1));
    rt_hdr_set *empty = rt_hdr_set_new(NULL, NULL, 0);
    ck_assert_ptr_nonnull(empty);
    rt_hdr_set_free(&empty);
    /* A big set. */
    static char names[3000][16];
    const char *ptrs[3000];
    for (int i = 0; i < 3000; i++) {
        snprintf(names[i], sizeof names[i], "X-H%d", i);
        ptrs[i] = names[i];
    }
    rt_hdr_set *big = rt_hdr_set_new(ptrs, NULL, 3000);
    ck_assert_ptr_nonnull(big);
    for (int i = 0; i < 3000; i++)
        ck_assert_int_eq(rt_hdr_set_id(big, names[i], strlen(names[i])), i);
    rt_hdr_set_free(&big);
}
END_TEST

START_TEST(test_basic_lf_crlf)
{
    static const char *msgs[] = {
        "From: a@b.c\nTo: x@y.z\nSubject:  Hello  world \nsubject: second\n\nbody\n",
        "From: a@b.c\r\nTo: x@y.z\r\nSubject:  Hello  world \r\nsubject: second\r\n\r\nbody\n",
    };
    for (int i = 0; i < 2; i++) {
        rt_msg *m = open_msg(msgs[i]);
        ck_assert_str_eq(values(m, "subject", false), "Hello  world|second");
        ck_assert_str_eq(values(m, "SUBJECT", true), "Hello  world|second");
        ck_assert_str_eq(values(m, "from", false), "a@b.c");
        ck_assert_uint_eq(rt_msg_hdr_count(m, H_SUBJECT), 2);
        ck_assert_uint_eq(rt_msg_hdr_count(m, H_FROM2), 1);   /* alias id */
        ck_assert_uint_eq(rt_msg_hdr_count(m, H_CC), 0);
        ck_assert_uint_eq(rt_msg_hdr_count(m, 99), 0);
        ck_assert_uint_eq(rt_msg_hdr_count(m, -1), 0);
        ck_assert_uint_eq(rt_msg_field_total(m), 4);
        expect_body(m, "body\n");
        ck_assert_uint_eq(rt_msg_size(m), strlen(msgs[i]));
        rt_arena_reset(A);
    }
}
END_TEST

START_TEST(test_folding)
{
    rt_msg *m = open_msg("Subject: one\n  two\n\tthree \n"
                         "X-Empty:\nX-Folded-Empty:\n \n"
                         "X-Lead:\n   value\n"
                         "X-Crlf: a\r\n b\r\n"
                         "X-Tabs: one\n\t\ttwo\n \tthree\n"
                         "\r\nbody");
    ck_assert_str_eq(values(m, "subject", false), "one  two three");   /* PH */
    ck_assert_str_eq(values(m, "x-empty", false), "");
    ck_assert_str_eq(values(m, "x-folded-empty", false), "");
    ck_assert_str_eq(values(m, "x-lead", false), "value");
    ck_assert_str_eq(values(m, "x-crlf", false), "a b");
    ck_assert_str_eq(values(m, "x-tabs", false), "one \ttwo \tthree");     /* PH */
    expect_body(m, "body");
    /* raw keeps the folding */
    rt_hdr_field *f = rt_msg_hdr_first(m, "subject", 7);
    ck_assert_ptr_nonnull(f);
    ck_assert_uint_eq(f->raw_len, strlen(" one\n  two\n\tthree "));
    ck_assert(memcmp(f->raw, " one\n  two\n\tthree ", f->raw_len) == 0);
    ck_assert_uint_eq(f->name_len, 7);
}
END_TEST

START_TEST(test_separators)
{
    rt_msg *m = open_msg("From: a@b.c\nSubject: x");     /* no blank line, no LF */
    ck_assert_str_eq(values(m, "subject", false), "x");
    expect_body(m, "");
    ck_assert_uint_eq(rt_msg_header_block(m).len, 22);
    rt_arena_reset(A);

    m = open_msg("\nFrom: not@header\n");                  /* no header at all */
    ck_assert_uint_eq(rt_msg_field_total(m), 0);
    ck_assert_str_eq(values(m, "from", false), "");
    expect_body(m, "From: not@header\n");
    rt_arena_reset(A);

    m = open_msg("\r\nbody");
    ck_assert_uint_eq(rt_msg_field_total(m), 0);
    expect_body(m, "body");
    rt_arena_reset(A);

    m = open_msg("");
    ck_assert_uint_eq(rt_msg_field_total(m), 0);
    expect_body(m, "");
    rt_arena_reset(A);

    m = rt_msg_open(A, SET, NULL, 0);
    ck_assert_ptr_nonnull(m);
    ck_assert_uint_eq(rt_msg_size(m), 0);
    rt_arena_reset(A);

    /* Bare CR is a byte, not a line end; a CR line "\r\n" is blank. */
    m = open_msg("Subject: a\rb\nX-A: c\r\r\n\r\nbody\r");
    ck_assert_str_eq(values(m, "subject", false), "a\rb");
    ck_assert_str_eq(values(m, "x-a", false), "c");
    expect_body(m, "body\r");
    rt_arena_reset(A);

    /* Whitespace-only line continues the field rather than ending the header. */
    m = open_msg("Subject: a\n \nTo: b@c\n\nbody");
    ck_assert_str_eq(values(m, "subject", false), "a");
    ck_assert_str_eq(values(m, "to", false), "b@c");
    rt_arena_reset(A);
}
END_TEST

START_TEST(test_odd_lines)
{
    const char msg[] = "From mbox line without colon\n"
                       " orphan continuation\n"
                       "Subject : obsolete space\n"
                       "Bad Name: x\n"
                       ": empty name\n"
                       "X-8bit: caf\xc3\xa9 \xe9t\xe9\n"
                       "X-Nul: a\0b\n"
                       "no colon here\n"
                       "To: t@x\n"
                       "\n"
                       "body";
    rt_msg *m = rt_msg_open(A, SET, msg, sizeof msg - 1);
    ck_assert_ptr_nonnull(m);
    ck_assert_str_eq(values(m, "subject", false), "obsolete space");
    ck_assert_str_eq(values(m, "bad name", false), "x");                  /* PH */
    ck_assert_str_eq(values(m, "to", false), "t@x");
    ck_assert_str_eq(values(m, "x-8bit", false), "caf\xc3\xa9 \xe9t\xe9");
    ck_assert_str_eq(values(m, "x-8bit", true), "caf\xc3\xa9 \xef\xbf\xbdt\xef\xbf\xbd");
    rt_hdr_field *f = rt_msg_hdr_first(m, "x-nul", 5);
    ck_assert_ptr_nonnull(f);
    rt_str v;
    ck_assert(rt_hdr_value(m, f, &v));
    ck_assert_uint_eq(v.len, 3);
    ck_assert(memcmp(v.p, "a\0b", 3) == 0);
    ck_assert(rt_hdr_value_utf8(m, f, &v));                                /* PH */
    ck_assert(v.len == 5 && memcmp(v.p, "a\xef\xbf\xbd" "b", 5) == 0);
    ck_assert_uint_eq(rt_msg_field_total(m), 5);
    expect_body(m, "body");
    /* All-fields iteration. */
    rt_hdr_iter it;
    rt_msg_hdr_iter_all(m, &it);
    int n = 0;
    while ((f = rt_hdr_iter_next(&it)))
        n++;
    ck_assert_int_eq(n, 5);
}
END_TEST

START_TEST(test_decoded_cache)
{
    rt_msg *m = open_msg("Subject: =?iso-8859-1?q?caf=E9?= =?utf-8?b?w6k=?=\n"
                         "X-Other: =?koi8-r?b?8NLJ18XU?=\n\n");
    rt_hdr_iter it;
    rt_msg_hdr_iter_id(m, H_SUBJECT, &it);
    rt_hdr_field *f = rt_hdr_iter_next(&it);
    ck_assert_ptr_nonnull(f);
    rt_str v1, v2;
    ck_assert(rt_hdr_value_utf8(m, f, &v1));
    ck_assert_str_eq(v1.p, "caf\xc3\xa9\xc3\xa9");
    size_t before = (size_t)rt_arena_mallocs(A);
    ck_assert(rt_hdr_value_utf8(m, f, &v2));
    ck_assert_ptr_eq(v1.p, v2.p);       /* cached: decoded once */
    ck_assert_uint_eq(rt_arena_mallocs(A), before);
    ck_assert_ptr_null(rt_hdr_iter_next(&it));
    ck_assert_str_eq(values(m, "x-other", true), "\xd0\x9f\xd1\x80\xd0\xb8\xd0\xb2\xd0\xb5\xd1\x82");
    /* Raw value keeps the encoded words. */
    ck_assert(rt_hdr_value(m, f, &v1));
    ck_assert_uint_eq(v1.len, strlen("=?iso-8859-1?q?caf=E9?= =?utf-8?b?w6k=?="));
    rt_arena_reset(A);
    m = open_msg("X-A: =?utf-8?q?__x__?=\nX-B: a =?utf-8?q?_?=\nX-C: =?utf-8?q?=09y=0A?=\n\n");
    ck_assert_str_eq(values(m, "x-a", true), "  x");                       /* PH */
    ck_assert_str_eq(values(m, "x-b", true), "a");                         /* PH */
    ck_assert_str_eq(values(m, "x-c", true), "\ty\n");                     /* PH */
}
END_TEST

/* A header cycling through more charsets than the descriptor cache holds:
 * rt_msg_open() caps the iconv_open calls, later words read as unknown. */
START_TEST(test_charset_churn)
{
    static const char *cs[] = { "iso-8859-1", "iso-8859-2", "iso-8859-3", "iso-8859-4",
        "iso-8859-9", "iso-8859-10", "iso-8859-13", "iso-8859-14", "iso-8859-15",
        "iso-8859-16", "windows-1250", "windows-1252", "windows-1254", "windows-1257",
        "cp850", "cp852", "cp437", "cp860", "cp863", "cp865", "mac", "hp-roman8" };
    size_t n = sizeof cs / sizeof cs[0];
    size_t cap = 1 << 20;
    char *msg = malloc(cap);
    ck_assert_ptr_nonnull(msg);
    size_t o = (size_t)sprintf(msg, "Subject:");
    for (int i = 0; i < 5000; i++)
        o += (size_t)sprintf(msg + o, " =?%s?q?a?=", cs[(size_t)i % n]);
    o += (size_t)sprintf(msg + o, "\n\n");
    rt_charset_thread_cleanup();
    rt_msg *m = rt_msg_open(A, SET, msg, o);
    ck_assert_ptr_nonnull(m);
    rt_hdr_field *f = rt_msg_hdr_first(m, "subject", 7);
    rt_str v;
    ck_assert(rt_hdr_value_utf8(m, f, &v));
    ck_assert_uint_eq(v.len, 5000);       /* every "a" survives either way */
    free(msg);
    rt_charset_limit_opens(0);
}
END_TEST

START_TEST(test_long_and_many)
{
    /* A 64 KB folded header value, a 2000-char line, 5000 fields. */
    size_t cap = 1 << 20;
    char *msg = malloc(cap);
    ck_assert_ptr_nonnull(msg);
    size_t o = 0;
    o += (size_t)sprintf(msg + o, "Subject: start");
    for (int i = 0; i < 4096; i++)
        o += (size_t)sprintf(msg + o, "\r\n\tword%05d", i);
    o += (size_t)sprintf(msg + o, "\r\nX-Long: ");
    memset(msg + o, 'L', 2000);
    o += 2000;
    o += (size_t)sprintf(msg + o, "\r\n");
    for (int i = 0; i < 5000; i++)
        o += (size_t)sprintf(msg + o, "%s: v%d\r\n", i % 2 ? "Received" : "X-Other", i);
    o += (size_t)sprintf(msg + o, "To: end@x\r\n\r\nbody");
    rt_msg *m = rt_msg_open(A, SET, msg, o);
    ck_assert_ptr_nonnull(m);
    rt_hdr_field *f = rt_msg_hdr_first(m, "subject", 7);
    rt_str v;
    ck_assert(rt_hdr_value(m, f, &v));
    ck_assert_uint_eq(v.len, 5 + 4096 * 10);
    ck_assert(memcmp(v.p + v.len - 10, " word04095", 10) == 0);
    ck_assert(rt_hdr_value_utf8(m, f, &v));
    ck_assert_uint_eq(rt_msg_hdr_count(m, H_RECEIVED), 2500);
    ck_assert_uint_eq(rt_msg_hdr_count_name(m, "x-other", 7), 2500);
    ck_assert_uint_eq(rt_msg_hdr_count_name(m, "x-long", 6), 1);
    ck_assert_str_eq(values(m, "to", false), "end@x");
    rt_hdr_iter it;
    rt_msg_hdr_iter_id(m, H_RECEIVED, &it);
    for (int i = 1; i < 5000; i += 2) {
        f = rt_hdr_iter_next(&it);
        ck_assert_ptr_nonnull(f);
        ck_assert(rt_hdr_value(m, f, &v));
        char want[16];
        snprintf(want, sizeof want, "v%d", i);
        ck_assert(v.len == strlen(want) && memcmp(v.p, want, v.len) == 0);
    }
    ck_assert_ptr_null(rt_hdr_iter_next(&it));
    expect_body(m, "body");
    ck_assert_uint_eq(rt_msg_size_crlf(m), o);
    free(msg);
}
END_TEST

START_TEST(test_size)
{
    rt_msg *m = open_msg("From: a@b.c\nSubject: x\n\nbody\n");
    ck_assert_uint_eq(rt_msg_size(m), 29);     /* Pigeonhole: 29 */
    ck_assert_uint_eq(rt_msg_size_crlf(m), 33);
    rt_msg_set_size(m, 1000);
    ck_assert_uint_eq(rt_msg_size(m), 1000);
    rt_arena_reset(A);
    m = open_msg("\nx\r\ny\n");
    ck_assert_uint_eq(rt_msg_size_crlf(m), 8);
}
END_TEST

START_TEST(test_null_set)
{
    rt_msg *m = rt_msg_open(A, NULL, "From: a@b\nFrom: c@d\n\n", 21);
    ck_assert_ptr_nonnull(m);
    ck_assert_str_eq(values(m, "from", false), "a@b|c@d");
    ck_assert_uint_eq(rt_msg_hdr_count_name(m, "FROM", 4), 2);
    ck_assert_uint_eq(rt_msg_hdr_count_name(m, "", 0), 0);
    ck_assert_uint_eq(rt_msg_hdr_count_name(m, NULL, 0), 0);
    rt_hdr_iter it;
    rt_msg_hdr_iter_id(m, 0, &it);
    ck_assert_ptr_null(rt_hdr_iter_next(&it));
}
END_TEST

START_TEST(test_arena_cap)
{
    rt_arena *small = rt_arena_new(1024);
    char msg[4096];
    size_t o = 0;
    for (int i = 0; i < 100; i++)
        o += (size_t)sprintf(msg + o, "To: a%d@b\n", i);
    rt_msg *m = rt_msg_open(small, SET, msg, o);
    ck_assert_ptr_null(m);             /* exhausted: the caller keeps the message */
    rt_arena_free(&small);
}
END_TEST

static const char steady_msg[] =
    "Received: from a by b; Mon, 1 Jan 2024 00:00:00 +0000\r\n"
    "Received: from c by d\r\n\tfolded; Mon, 1 Jan 2024 00:00:00 +0000\r\n"
    "From: =?iso-8859-1?q?Andr=E9?= <andre+lists@example.org>\r\n"
    "To: \"Doe, John\" <john@example.com>, jane@example.net,\r\n  Group: x@y.z;\r\n"
    "Cc: =?koi8-r?b?8NLJ18XU?= <ivan@example.ru>\r\n"
    "Subject: =?utf-8?q?caf=C3=A9?= =?iso-2022-jp?b?GyRCRnxLXDhsGyhC?=\r\n"
    "X-Spam-Flag: NO\r\n"
    "X-Not-In-Set: =?windows-1252?q?=93x=94?=\r\n"
    "\r\n"
    "body\r\n";

/* No ck_assert inside: check's success bookkeeping allocates, and this
 * runs while allocations are counted. Returns the number of failures. */
#define EXPECT(c) do { if (!(c)) bad++; } while (0)
static int run_steady(void)
{
    int bad = 0;
    rt_msg *m = rt_msg_open(A, SET, steady_msg, sizeof steady_msg - 1);
    if (!m)
        return 1;
    for (int id = 0; id < H_NSET; id++) {
        rt_hdr_iter it;
        rt_msg_hdr_iter_id(m, id, &it);
        rt_hdr_field *f;
        while ((f = rt_hdr_iter_next(&it))) {
            rt_str v;
            EXPECT(rt_hdr_value_utf8(m, f, &v));
            if (id == H_FROM || id == H_TO || id == H_CC) {
                const rt_addr *av = NULL, *first = NULL;
                size_t an = 0;
                for (int twice = 0; twice < 2; twice++) {
                    EXPECT(rt_hdr_addresses(m, f, &av, &an));
                    EXPECT(!twice || av == first);     /* parsed once */
                    first = av;
                }
                EXPECT(an >= 1);
                for (size_t k = 0; k < an; k++) {
                    rt_str part;
                    EXPECT(rt_addr_get_part(A, &av[k], RT_ADDR_PART_ALL, NULL, 0, &part));
                    EXPECT(rt_addr_display_name(A, &av[k], &part));
                }
            }
        }
    }
    /* A name from a variable: scan. */
    rt_hdr_field *f = rt_msg_hdr_first(m, "x-not-in-set", 12);
    if (!f)
        return bad + 1;
    rt_str v;
    EXPECT(rt_hdr_value_utf8(m, f, &v));
    EXPECT(strcmp(v.p, "\xe2\x80\x9cx\xe2\x80\x9d") == 0);
    rt_addr_list l;
    EXPECT(rt_addr_parse_path(A, "<user+d@example.org>", 20, &l));
    EXPECT(l.n == 1 && (l.v[0].flags & RT_ADDR_VALID));
    return bad;
}

START_TEST(test_steady_state_no_malloc)
{
    for (int i = 0; i < 3; i++) {
        ck_assert_int_eq(run_steady(), 0);
        rt_arena_reset(A);
    }
    uint64_t arena_before = rt_arena_mallocs(A);
    heap_calls = 0;
    heap_counting = 1;
    int bad = 0;
    for (int i = 0; i < 200; i++) {
        bad += run_steady();
        rt_arena_reset(A);
    }
    heap_counting = 0;
    ck_assert_int_eq(bad, 0);
    ck_assert_uint_eq(rt_arena_mallocs(A), arena_before);
#if RT_TEST_HOOK
    ck_assert_msg(heap_calls == 0, "%lu heap allocations in the steady state", heap_calls);
#endif
}
END_TEST

/* Every prefix of a message, each in a buffer of exactly that size (so the
 * sanitizers see any read past the end), and random bytes. */
START_TEST(test_hostile)
{
    size_t n = sizeof steady_msg - 1;
    for (size_t len = 0; len <= n; len++) {
        char *buf = malloc(len ? len : 1);
        ck_assert_ptr_nonnull(buf);
        memcpy(buf, steady_msg, len);
        rt_msg *m = rt_msg_open(A, SET, buf, len);
        ck_assert_ptr_nonnull(m);
        rt_hdr_iter it;
        rt_msg_hdr_iter_all(m, &it);
        rt_hdr_field *f;
        while ((f = rt_hdr_iter_next(&it))) {
            rt_str v;
            ck_assert(rt_hdr_value(m, f, &v));
            rt_addr_list l;
            ck_assert(rt_addr_parse_header(A, v.p, v.len, &l));
            ck_assert(rt_hdr_value_utf8(m, f, &v));
            ck_assert(rt_utf8_is_valid(v.p, v.len));
            ck_assert(!memchr(v.p, 0, v.len));
        }
        (void)rt_msg_size_crlf(m);
        rt_str body = rt_msg_body(m);
        ck_assert(body.p + body.len == buf + len);
        free(buf);
        rt_arena_reset(A);
    }
    static const char alphabet[] = "\r\n\n:: \t\0aFromTo=?q_\xff\xc3";
    unsigned seed = 99;
    for (int round = 0; round < 3000; round++) {
        size_t len = (size_t)(round * 13) % 1500;
        char *buf = malloc(len ? len : 1);
        for (size_t i = 0; i < len; i++) {
            seed = seed * 1103515245u + 12345u;
            buf[i] = alphabet[(seed >> 16) % (sizeof alphabet - 1)];
        }
        rt_msg *m = rt_msg_open(A, SET, buf, len);
        ck_assert_ptr_nonnull(m);
        rt_hdr_iter it;
        rt_msg_hdr_iter_all(m, &it);
        rt_hdr_field *f;
        size_t total = 0;
        while ((f = rt_hdr_iter_next(&it))) {
            rt_str v;
            ck_assert(rt_hdr_value_utf8(m, f, &v));
            ck_assert(!memchr(v.p, 0, v.len));
            total++;
        }
        ck_assert_uint_eq(total, rt_msg_field_total(m));
        for (int id = 0; id < H_NSET; id++) {
            rt_msg_hdr_iter_id(m, id, &it);
            size_t c = 0;
            while ((f = rt_hdr_iter_next(&it)))
                c++;
            ck_assert_uint_eq(c, rt_msg_hdr_count(m, id));
            ck_assert_uint_eq(c, rt_msg_hdr_count_name(m, set_names[id], strlen(set_names[id])));
        }
        free(buf);
        rt_arena_reset(A);
    }
}
END_TEST

/* ---- the index against a plain reference parser --------------------- */

/* RFC 5322 2.2 as the header documents it, written for clarity, line by
 * line: what rt_msg_open's scanner (tuned for speed) must agree with. */
typedef struct ref_field {
    size_t name, name_len, raw, raw_len;
} ref_field;

static size_t ref_line_end(const char *d, size_t n, size_t p)
{
    while (p < n && d[p] != '\n')
        p++;
    return p;
}

/* Content end of the line [p, e): a CR before its LF is not content. */
static size_t ref_content_end(const char *d, size_t n, size_t p, size_t e)
{
    return (e < n && e > p && d[e - 1] == '\r') ? e - 1 : e;
}

static size_t ref_parse(const char *d, size_t n, ref_field *out, size_t max,
                        size_t *body_r)
{
    size_t pos = 0, k = 0;
    *body_r = n;
    while (pos < n) {
        size_t e = ref_line_end(d, n, pos);
        size_t next = e < n ? e + 1 : n;
        if (e < n && ref_content_end(d, n, pos, e) == pos) {
            *body_r = next;
            break;
        }
        size_t colon = pos;
        while (colon < e && d[colon] != ':')
            colon++;
        size_t nend = colon;
        while (nend > pos && (d[nend - 1] == ' ' || d[nend - 1] == '\t'))
            nend--;
        if (d[pos] == ' ' || d[pos] == '\t' || colon == e || nend == pos) {
            pos = next;
            continue;
        }
        size_t raw_end = ref_content_end(d, n, pos, e);
        while (next < n && (d[next] == ' ' || d[next] == '\t')) {
            e = ref_line_end(d, n, next);
            raw_end = ref_content_end(d, n, next, e);
            next = e < n ? e + 1 : n;
        }
        if (k < max)
            out[k] = (ref_field){ pos, nend - pos, colon + 1,
                                  raw_end > colon + 1 ? raw_end - colon - 1 : 0 };
        k++;
        pos = next;
    }
    return k;
}

static bool ref_caseeq(const char *a, size_t an, const char *b)
{
    size_t bn = strlen(b);
    if (an != bn)
        return false;
    for (size_t i = 0; i < an; i++) {
        unsigned char x = (unsigned char)a[i], y = (unsigned char)b[i];
        if (x >= 'A' && x <= 'Z')
            x += 32;
        if (y >= 'A' && y <= 'Z')
            y += 32;
        if (x != y)
            return false;
    }
    return true;
}

static void check_against_ref(const char *buf, size_t len)
{
    static ref_field ref[4096];
    size_t body;
    size_t nref = ref_parse(buf, len, ref, 4096, &body);
    rt_msg *m = rt_msg_open(A, SET, buf, len);
    ck_assert_ptr_nonnull(m);
    ck_assert_uint_eq(rt_msg_field_total(m), nref);
    rt_str b = rt_msg_body(m);
    ck_assert_uint_eq((size_t)(b.p - buf), body);
    rt_hdr_iter it;
    rt_hdr_field *f;
    size_t k = 0;
    rt_msg_hdr_iter_all(m, &it);
    while ((f = rt_hdr_iter_next(&it)) && k < 4096) {
        ck_assert(f->name == buf + ref[k].name && f->name_len == ref[k].name_len);
        ck_assert(f->raw == buf + ref[k].raw && f->raw_len == ref[k].raw_len);
        k++;
    }
    /* The index: every field of each set name, in order, nothing else. */
    for (int id = 0; id < H_NSET; id++) {
        rt_msg_hdr_iter_id(m, id, &it);
        size_t c = 0, r = 0;
        while ((f = rt_hdr_iter_next(&it))) {
            while (r < nref && r < 4096 &&
                   !ref_caseeq(buf + ref[r].name, ref[r].name_len, set_names[id]))
                r++;
            ck_assert_uint_lt(r, nref);
            ck_assert(f->name == buf + ref[r].name && f->raw == buf + ref[r].raw);
            ck_assert_uint_eq(f->raw_len, ref[r].raw_len);
            r++;
            c++;
        }
        size_t want = 0;
        for (size_t i = 0; i < nref && i < 4096; i++)
            want += ref_caseeq(buf + ref[i].name, ref[i].name_len, set_names[id]);
        ck_assert_uint_eq(c, want);
        ck_assert_uint_eq(rt_msg_hdr_count(m, id), want);
    }
    rt_arena_reset(A);
}

START_TEST(test_index_vs_reference)
{
    /* Pieces that make names of the set (in any case), near misses, folds,
     * bare CR and LF, NUL, 8-bit bytes and obsolete "Name :" forms. */
    static const char *const pieces[] = {
        "From", "fROM", "to", "TO", "Cc", "X-Spam-Flag", "x-spam-flaG", "subject",
        "Received", "Fro", "Tox", "F", "T", ":", ":", ":", " ", "\t", "\r", "\n",
        "\n", "\r\n", "\r\n", "\n ", "\r\n\t", "\0", "x", "\xff", "\xc3\xa9", "a b",
    };
    const size_t np = sizeof pieces / sizeof pieces[0];
    unsigned seed = 4242;
    char *buf = malloc(4096);
    ck_assert_ptr_nonnull(buf);
    for (int round = 0; round < 20000; round++) {
        size_t len = 0, want = (size_t)(round % 97) * 8;
        while (len < want) {
            seed = seed * 1103515245u + 12345u;
            const char *pc = pieces[(seed >> 16) % np];
            size_t pl = pc[0] ? strlen(pc) : 1;   /* "\0" is one NUL byte */
            memcpy(buf + len, pc, pl);
            len += pl;
        }
        check_against_ref(buf, len);
    }
    free(buf);

    /* Giant names and values, long folds, no final line end. */
    size_t big = 1u << 20;
    char *g = malloc(big + 64);
    ck_assert_ptr_nonnull(g);
    memset(g, 'a', big);
    memcpy(g + big, ": v\n", 4);
    check_against_ref(g, big + 4);            /* a 1 MiB name */
    memcpy(g, "To:", 3);
    for (size_t i = 100; i + 2 < big; i += 100)
        memcpy(g + i, "\r\n ", 3);            /* 10,000 folded lines */
    check_against_ref(g, big);
    memset(g, 'b', big);                       /* one line, no colon */
    check_against_ref(g, big);
    free(g);
}
END_TEST

/* ---- the shared edge corpus ----------------------------------------- */

static char *read_file(const char *path, size_t *len_r)
{
    FILE *fp = fopen(path, "rb");
    if (!fp)
        return NULL;
    fseek(fp, 0, SEEK_END);
    long n = ftell(fp);
    fseek(fp, 0, SEEK_SET);
    char *buf = malloc(n > 0 ? (size_t)n : 1);
    if (!buf || (n > 0 && fread(buf, 1, (size_t)n, fp) != (size_t)n)) {
        free(buf);
        fclose(fp);
        return NULL;
    }
    fclose(fp);
    *len_r = (size_t)n;
    return buf;
}

static size_t corpus_messages, corpus_addrs;

static void corpus_one(const char *path)
{
    size_t len;
    char *data = read_file(path, &len);
    ck_assert_msg(data != NULL, "cannot read %s", path);
    rt_msg *m = rt_msg_open(A, SET, data, len);
    ck_assert_ptr_nonnull(m);
    rt_hdr_iter it;
    rt_msg_hdr_iter_all(m, &it);
    rt_hdr_field *f;
    size_t total = 0;
    while ((f = rt_hdr_iter_next(&it))) {
        rt_str v;
        ck_assert(rt_hdr_value_utf8(m, f, &v));
        ck_assert_msg(rt_utf8_is_valid(v.p, v.len), "%s: %.*s", path, (int)f->name_len, f->name);
        ck_assert(!memchr(v.p, 0, v.len));
        total++;
    }
    ck_assert_uint_eq(total, rt_msg_field_total(m));
    static const int addr_ids[] = { H_FROM, H_TO, H_CC };
    for (int k = 0; k < 3; k++) {
        rt_msg_hdr_iter_id(m, addr_ids[k], &it);
        while ((f = rt_hdr_iter_next(&it))) {
            rt_str v;
            ck_assert(rt_hdr_value(m, f, &v));
            rt_addr_list l;
            ck_assert(rt_addr_parse_header(A, v.p, v.len, &l));
            for (size_t i = 0; i < l.n; i++) {
                for (int p = 0; p <= RT_ADDR_PART_DETAIL; p++) {
                    rt_str s;
                    (void)rt_addr_get_part(A, &l.v[i], (rt_addr_part)p, NULL, 0, &s);
                }
                rt_str name;
                ck_assert(rt_addr_display_name(A, &l.v[i], &name));
                ck_assert(rt_utf8_is_valid(name.p, name.len));
                corpus_addrs++;
            }
        }
    }
    rt_str body = rt_msg_body(m);
    ck_assert(body.p + body.len == data + len);
    (void)rt_msg_size_crlf(m);
    rt_arena_reset(A);
    free(data);
    corpus_messages++;
}

START_TEST(test_edge_corpus)
{
    const char *shared = getenv("SIEVEC_SHARED_DIR");
    if (!shared)
        shared = SIEVEC_SHARED_DIR;
    char dir[4096];
    struct stat st;
    snprintf(dir, sizeof dir, "%s/corpus/edge", shared);
    if (stat(dir, &st) != 0) {
        fprintf(stderr, "test_edge_corpus: SKIPPED, %s is absent\n", dir);
        return;
    }
    static const char *subs[] = { "cur", "new" };
    for (int s = 0; s < 2; s++) {
        char sub[4200];
        snprintf(sub, sizeof sub, "%s/%s", dir, subs[s]);
        DIR *d = opendir(sub);
        if (!d)
            continue;
        struct dirent *e;
        while ((e = readdir(d))) {
            if (e->d_name[0] == '.')
                continue;
            char path[8400];
            snprintf(path, sizeof path, "%s/%s", sub, e->d_name);
            corpus_one(path);
        }
        closedir(d);
    }
    ck_assert_uint_gt(corpus_messages, 600);
    fprintf(stderr, "test_edge_corpus: %zu messages, %zu addresses\n", corpus_messages,
            corpus_addrs);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("message");
    TCase *tc = tcase_create("core");
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_set_timeout(tc, 120);
    tcase_add_test(tc, test_set);
    tcase_add_test(tc, test_basic_lf_crlf);
    tcase_add_test(tc, test_folding);
    tcase_add_test(tc, test_separators);
    tcase_add_test(tc, test_odd_lines);
    tcase_add_test(tc, test_decoded_cache);
    tcase_add_test(tc, test_long_and_many);
    tcase_add_test(tc, test_charset_churn);
    tcase_add_test(tc, test_size);
    tcase_add_test(tc, test_null_set);
    tcase_add_test(tc, test_arena_cap);
    tcase_add_test(tc, test_steady_state_no_malloc);
    tcase_add_test(tc, test_hostile);
    tcase_add_test(tc, test_index_vs_reference);
    tcase_add_test(tc, test_edge_corpus);
    suite_add_tcase(s, tc);
    SRunner *sr = srunner_create(s);
    srunner_run_all(sr, CK_NORMAL);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
