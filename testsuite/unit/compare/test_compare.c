#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "compare.h"

static rt_arena *A;

static void setup(void)
{
    A = rt_arena_new(0);
}
static void teardown(void)
{
    rt_arena_free(&A);
}

static int ord(rt_cmp_id id, const char *v, const char *k)
{
    int o = 99;
    ck_assert(rt_cmp_str_order(A, id, rt_str_cstr(v), rt_str_cstr(k), &o));
    return o;
}
static bool eq(rt_cmp_id id, const char *v, const char *k)
{
    bool e = false;
    ck_assert(rt_cmp_str_equal(A, id, rt_str_cstr(v), rt_str_cstr(k), &e));
    return e;
}
static bool contains(rt_cmp_id id, const char *v, const char *k)
{
    rt_cmp_key fv, fk;
    ck_assert(rt_cmp_fold(A, id, rt_str_cstr(v), &fv));
    ck_assert(rt_cmp_key_prepare(A, id, rt_str_cstr(k), &fk));
    return rt_cmp_contains(id, &fv, &fk);
}

START_TEST(lookup)
{
    rt_cmp_id id;
    ck_assert(rt_cmp_lookup("i;octet", 7, &id) && id == RT_CMP_OCTET);
    ck_assert(rt_cmp_lookup("I;ASCII-CASEMAP", 15, &id) && id == RT_CMP_ASCII_CASEMAP);
    ck_assert(rt_cmp_lookup("i;ascii-numeric", 15, &id) && id == RT_CMP_ASCII_NUMERIC);
    ck_assert(rt_cmp_lookup("i;unicode-casemap", 17, &id) && id == RT_CMP_UNICODE_CASEMAP);
    ck_assert(!rt_cmp_lookup("i;octe", 6, &id));
    ck_assert(!rt_cmp_lookup("i;octetx", 8, &id));
    ck_assert(!rt_cmp_lookup("", 0, &id));
    ck_assert_str_eq(rt_cmp_name(RT_CMP_ASCII_NUMERIC), "i;ascii-numeric");
    ck_assert(!rt_cmp_has_substring(RT_CMP_ASCII_NUMERIC));
    ck_assert(rt_cmp_has_substring(RT_CMP_OCTET));
}
END_TEST

START_TEST(octet)
{
    ck_assert(eq(RT_CMP_OCTET, "abc", "abc"));
    ck_assert(!eq(RT_CMP_OCTET, "abc", "ABC"));
    ck_assert(!eq(RT_CMP_OCTET, "abc", "abcd"));
    ck_assert_int_lt(ord(RT_CMP_OCTET, "ABC", "abc"), 0);
    ck_assert_int_lt(ord(RT_CMP_OCTET, "ab", "abc"), 0);
    ck_assert_int_gt(ord(RT_CMP_OCTET, "\xff", "a"), 0);  /* unsigned octets */
    ck_assert_int_eq(ord(RT_CMP_OCTET, "", ""), 0);
    ck_assert(contains(RT_CMP_OCTET, "hello", "ell"));
    ck_assert(!contains(RT_CMP_OCTET, "hello", "ELL"));
    ck_assert(contains(RT_CMP_OCTET, "hello", ""));
    ck_assert(contains(RT_CMP_OCTET, "", ""));
    /* Embedded NUL is an ordinary octet. */
    rt_cmp_key v, k;
    rt_cmp_fold(A, RT_CMP_OCTET, rt_str_make("a\0b", 3), &v);
    rt_cmp_fold(A, RT_CMP_OCTET, rt_str_make("\0b", 2), &k);
    ck_assert(rt_cmp_contains(RT_CMP_OCTET, &v, &k));
}
END_TEST

START_TEST(ascii_casemap)
{
    ck_assert(eq(RT_CMP_ASCII_CASEMAP, "Hello World", "hELLO wORLD"));
    ck_assert(!eq(RT_CMP_ASCII_CASEMAP, "\xc3\xa9", "\xc3\x89"));  /* é vs É: not ASCII */
    ck_assert(contains(RT_CMP_ASCII_CASEMAP, "Frobnitz", "OBNI"));
    /* RFC 4790 9.2: ordering as if upper-cased: '_' (0x5F) sorts after
     * letters, which upper-case to 0x41-0x5A. */
    ck_assert_int_lt(ord(RT_CMP_ASCII_CASEMAP, "a", "_"), 0);
    ck_assert_int_lt(ord(RT_CMP_ASCII_CASEMAP, "abc", "ABD"), 0);
    ck_assert_int_eq(ord(RT_CMP_ASCII_CASEMAP, "abc", "ABC"), 0);
}
END_TEST

START_TEST(ascii_numeric)
{
    /* RFC 4790 9.1 and its examples. */
    ck_assert(eq(RT_CMP_ASCII_NUMERIC, "0", "000"));
    ck_assert(eq(RT_CMP_ASCII_NUMERIC, "10", "010"));
    ck_assert(eq(RT_CMP_ASCII_NUMERIC, "123abc", "123"));
    ck_assert(!eq(RT_CMP_ASCII_NUMERIC, "123", "1234"));
    ck_assert_int_lt(ord(RT_CMP_ASCII_NUMERIC, "9", "10"), 0);
    ck_assert_int_gt(ord(RT_CMP_ASCII_NUMERIC, "100", "99"), 0);
    ck_assert_int_eq(ord(RT_CMP_ASCII_NUMERIC, "0", ""), -1);   /* "" is infinity */
    /* Strings not starting with a digit are positive infinity and equal. */
    ck_assert(eq(RT_CMP_ASCII_NUMERIC, "abc", "xyz"));
    ck_assert(eq(RT_CMP_ASCII_NUMERIC, "", "-1"));
    ck_assert_int_gt(ord(RT_CMP_ASCII_NUMERIC, "-0.9", "10"), 0);  /* the trap */
    ck_assert_int_gt(ord(RT_CMP_ASCII_NUMERIC, " 5", "10"), 0);
    ck_assert_int_gt(ord(RT_CMP_ASCII_NUMERIC, "x", "99999999999999999999999999"), 0);
    /* Beyond 64 bits. */
    ck_assert_int_gt(ord(RT_CMP_ASCII_NUMERIC, "100000000000000000000000000000", "99999999999999999999999999999"), 0);
    ck_assert(eq(RT_CMP_ASCII_NUMERIC, "000000000000000000000000000000000042", "42"));
    ck_assert(!contains(RT_CMP_ASCII_NUMERIC, "123", "2"));
}
END_TEST

START_TEST(unicode_casemap)
{
    /* RFC 5051: case and compatibility forms fold together. */
    ck_assert(eq(RT_CMP_UNICODE_CASEMAP, "\xc3\xa9t\xc3\xa9", "\xc3\x89T\xc3\x89"));   /* été ÉTÉ */
    ck_assert(eq(RT_CMP_UNICODE_CASEMAP, "e\xcc\x81", "\xc3\xa9"));                    /* e+U+0301 vs é */
    ck_assert(eq(RT_CMP_UNICODE_CASEMAP, "\xef\xac\x81", "FI"));                       /* U+FB01 ligature fi */
    ck_assert(eq(RT_CMP_UNICODE_CASEMAP, "Hello", "hELLO"));
    ck_assert(!eq(RT_CMP_UNICODE_CASEMAP, "\xc3\xa9", "e"));
    ck_assert(contains(RT_CMP_UNICODE_CASEMAP, "Stra\xc3\x9f" "e", "STRA"));
    ck_assert(contains(RT_CMP_UNICODE_CASEMAP, "xx\xce\xa3\xce\xb9yy", "\xcf\x83\xce\x99"));  /* Σι / σΙ */
    ck_assert_int_eq(ord(RT_CMP_UNICODE_CASEMAP, "abc", "ABC"), 0);
    /* Invalid UTF-8 never fails; each bad byte is U+FFFD. */
    ck_assert(eq(RT_CMP_UNICODE_CASEMAP, "a\xff", "A\xfe"));
    ck_assert(eq(RT_CMP_UNICODE_CASEMAP, "a\xff", "a\xef\xbf\xbd"));
    ck_assert(!eq(RT_CMP_UNICODE_CASEMAP, "a\xff\xff", "a\xff"));
    rt_cmp_key k;
    ck_assert(rt_cmp_fold(A, RT_CMP_UNICODE_CASEMAP, rt_str_make("\xe2\x82", 2), &k));  /* truncated */
    ck_assert(rt_cmp_fold(A, RT_CMP_UNICODE_CASEMAP, rt_str_make("\xf4\x90\x80\x80", 4), &k));  /* > U+10FFFF */
    ck_assert(rt_cmp_fold(A, RT_CMP_UNICODE_CASEMAP, rt_str_make("\xc0\xaf", 2), &k));  /* overlong */
    /* Long expansion (U+FDFA has an 18-character decomposition). */
    char big[3 * 5000 + 1];
    for (int i = 0; i < 5000; i++)
        memcpy(big + 3 * i, "\xef\xb7\xba", 3);
    ck_assert(rt_cmp_fold(A, RT_CMP_UNICODE_CASEMAP, rt_str_make(big, 15000), &k));
    ck_assert_uint_gt(k.s.len, 15000 * 5);
}
END_TEST

START_TEST(fold_aliases)
{
    /* No copy when folding changes nothing. */
    rt_str in = rt_str_cstr("ABC 123");
    rt_cmp_key k;
    ck_assert(rt_cmp_fold(A, RT_CMP_ASCII_CASEMAP, in, &k));
    ck_assert_ptr_eq(k.s.p, in.p);
    ck_assert(rt_cmp_fold(A, RT_CMP_UNICODE_CASEMAP, in, &k));
    ck_assert_ptr_eq(k.s.p, in.p);
    ck_assert(rt_cmp_fold(A, RT_CMP_OCTET, in, &k));
    ck_assert_ptr_eq(k.s.p, in.p);
}
END_TEST

START_TEST(arena_exhausted)
{
    rt_arena *small = rt_arena_new(1024);
    char buf[4096];
    memset(buf, 'a', sizeof buf);
    rt_cmp_key k;
    ck_assert(!rt_cmp_fold(small, RT_CMP_ASCII_CASEMAP, rt_str_make(buf, sizeof buf), &k));
    ck_assert(!rt_cmp_fold(small, RT_CMP_UNICODE_CASEMAP, rt_str_make(buf, sizeof buf), &k));
    rt_arena_free(&small);
    ck_assert_ptr_null(small);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("compare");
    TCase *tc = tcase_create("core");
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_add_test(tc, lookup);
    tcase_add_test(tc, octet);
    tcase_add_test(tc, ascii_casemap);
    tcase_add_test(tc, ascii_numeric);
    tcase_add_test(tc, unicode_casemap);
    tcase_add_test(tc, fold_aliases);
    tcase_add_test(tc, arena_exhausted);
    suite_add_tcase(s, tc);
    SRunner *sr = srunner_create(s);
    srunner_run_all(sr, CK_NORMAL);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
