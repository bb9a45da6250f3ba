#include <check.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "match.h"

static rt_arena *A;

static void setup(void)
{
    A = rt_arena_new(0);
}
static void teardown(void)
{
    rt_arena_free(&A);
}

static rt_match_result m1(rt_match_type t, rt_cmp_id c, const char *v, const char *k)
{
    return rt_match_once(A, t, c, RT_REL_EQ, rt_str_cstr(v), rt_str_cstr(k), NULL);
}

static bool matches(rt_cmp_id c, const char *v, const char *k)
{
    rt_match_result r = m1(RT_MATCH_MATCHES, c, v, k);
    ck_assert_int_ne(r, RT_MATCH_ERROR);
    return r == RT_MATCH_YES;
}

/* Matches with variables and checks ${0}..: expected joined with '|'. */
static void vars_are(rt_cmp_id c, const char *v, const char *k, const char *expect)
{
    rt_match_vars mv;
    mv.n = 0;
    ck_assert_int_eq(rt_match_once(A, RT_MATCH_MATCHES, c, RT_REL_EQ, rt_str_cstr(v),
                                   rt_str_cstr(k), &mv), RT_MATCH_YES);
    char buf[1024];
    size_t w = 0;
    for (size_t i = 1; i < mv.n; i++) {
        if (i > 1)
            buf[w++] = '|';
        memcpy(buf + w, mv.v[i].p, mv.v[i].len);
        w += mv.v[i].len;
    }
    buf[w] = 0;
    ck_assert_str_eq(buf, expect);
    ck_assert_uint_eq(mv.v[0].len, strlen(v));
}

START_TEST(is_contains)
{
    ck_assert_int_eq(m1(RT_MATCH_IS, RT_CMP_ASCII_CASEMAP, "Hello", "hello"), RT_MATCH_YES);
    ck_assert_int_eq(m1(RT_MATCH_IS, RT_CMP_OCTET, "Hello", "hello"), RT_MATCH_NO);
    ck_assert_int_eq(m1(RT_MATCH_IS, RT_CMP_ASCII_CASEMAP, "", ""), RT_MATCH_YES);
    ck_assert_int_eq(m1(RT_MATCH_CONTAINS, RT_CMP_ASCII_CASEMAP, "Re: MONEY now", "money"), RT_MATCH_YES);
    ck_assert_int_eq(m1(RT_MATCH_CONTAINS, RT_CMP_ASCII_CASEMAP, "abc", ""), RT_MATCH_YES);
    ck_assert_int_eq(m1(RT_MATCH_CONTAINS, RT_CMP_OCTET, "", "a"), RT_MATCH_NO);
    /* Substring match types are refused with i;ascii-numeric. */
    ck_assert_int_eq(m1(RT_MATCH_CONTAINS, RT_CMP_ASCII_NUMERIC, "123", "2"), RT_MATCH_ERROR);
    char err[128] = "";
    rt_str k = rt_str_cstr("*");
    ck_assert_ptr_null(rt_match_keys_new(A, RT_MATCH_MATCHES, RT_CMP_ASCII_NUMERIC, RT_REL_EQ, &k, 1, err, sizeof err));
    ck_assert(strstr(err, "numeric") != NULL);
}
END_TEST

START_TEST(key_list)
{
    rt_str keys[] = { rt_str_cstr("foo"), rt_str_cstr("BAR"), rt_str_cstr("baz") };
    rt_arena *load = rt_arena_new(0);
    rt_match_keys *k = rt_match_keys_new(load, RT_MATCH_IS, RT_CMP_ASCII_CASEMAP, RT_REL_EQ, keys, 3, NULL, 0);
    ck_assert_ptr_nonnull(k);
    ck_assert_int_eq(rt_match_value(k, A, rt_str_cstr("bar"), NULL), RT_MATCH_YES);
    ck_assert_int_eq(rt_match_value(k, A, rt_str_cstr("BAZ"), NULL), RT_MATCH_YES);
    ck_assert_int_eq(rt_match_value(k, A, rt_str_cstr("qux"), NULL), RT_MATCH_NO);
    ck_assert_int_eq(rt_match_value(k, A, rt_str_make(NULL, 0), NULL), RT_MATCH_NO);
    /* Matching a constant key list never grows the arena (no malloc) once
     * warm, and with canonical input takes no arena space at all. */
    uint64_t before = rt_arena_mallocs(A);
    for (int i = 0; i < 100000; i++) {
        rt_arena_reset(A);
        ck_assert_int_eq(rt_match_value(k, A, rt_str_cstr("Foo"), NULL), RT_MATCH_YES);
    }
    ck_assert_uint_eq(rt_arena_mallocs(A), before);
    rt_match_keys_free(&k);
    ck_assert_ptr_null(k);
    rt_arena_free(&load);
    /* Empty list matches nothing. */
    k = rt_match_keys_new(A, RT_MATCH_CONTAINS, RT_CMP_OCTET, RT_REL_EQ, NULL, 0, NULL, 0);
    ck_assert_ptr_nonnull(k);
    ck_assert_int_eq(rt_match_value(k, A, rt_str_cstr("x"), NULL), RT_MATCH_NO);
}
END_TEST

START_TEST(matches_basic)
{
    /* RFC 5228 2.7.1 */
    ck_assert(matches(RT_CMP_ASCII_CASEMAP, "frobnitzm", "frob*"));
    ck_assert(matches(RT_CMP_ASCII_CASEMAP, "FROB", "frob*"));
    ck_assert(!matches(RT_CMP_ASCII_CASEMAP, "fro", "frob*"));
    ck_assert(matches(RT_CMP_ASCII_CASEMAP, "a.b@example.com", "*@example.com"));
    ck_assert(!matches(RT_CMP_ASCII_CASEMAP, "a@example.com.evil", "*@example.com"));
    ck_assert(matches(RT_CMP_ASCII_CASEMAP, "xx MONEY yy", "*money*"));
    ck_assert(matches(RT_CMP_ASCII_CASEMAP, "", "*"));
    ck_assert(matches(RT_CMP_ASCII_CASEMAP, "", "**"));
    ck_assert(!matches(RT_CMP_ASCII_CASEMAP, "", "?"));
    ck_assert(matches(RT_CMP_ASCII_CASEMAP, "abc", "???"));
    ck_assert(!matches(RT_CMP_ASCII_CASEMAP, "abcd", "???"));
    ck_assert(matches(RT_CMP_ASCII_CASEMAP, "abcd", "???*"));
    ck_assert(matches(RT_CMP_ASCII_CASEMAP, "abc", "a?c"));
    ck_assert(matches(RT_CMP_ASCII_CASEMAP, "abc", "abc"));
    ck_assert(!matches(RT_CMP_ASCII_CASEMAP, "abcx", "abc"));
    ck_assert(matches(RT_CMP_ASCII_CASEMAP, "ab", "*a*b*"));
    ck_assert(matches(RT_CMP_ASCII_CASEMAP, "aXbYa", "a*a"));
    ck_assert(!matches(RT_CMP_ASCII_CASEMAP, "a", "a*a"));  /* no overlap of prefix and suffix */
    ck_assert(matches(RT_CMP_ASCII_CASEMAP, "aa", "a*a"));
    /* Escapes. */
    ck_assert(matches(RT_CMP_OCTET, "a*b", "a\\*b"));
    ck_assert(!matches(RT_CMP_OCTET, "axb", "a\\*b"));
    ck_assert(matches(RT_CMP_OCTET, "a?", "a\\?"));
    ck_assert(!matches(RT_CMP_OCTET, "ab", "a\\?"));
    ck_assert(matches(RT_CMP_OCTET, "a\\b", "a\\\\b"));
    ck_assert(matches(RT_CMP_OCTET, "ab\\", "ab\\"));  /* trailing backslash */
    ck_assert(matches(RT_CMP_OCTET, "x[a]", "x[a]"));   /* '[' is literal (Pigeonhole) */
    ck_assert(!matches(RT_CMP_OCTET, "xa", "x[a]"));
    ck_assert(!matches(RT_CMP_OCTET, "ABC", "a*"));
}
END_TEST

START_TEST(matches_question_width)
{
    /* '?' is one octet under i;octet/i;ascii-casemap (Pigeonhole), one
     * character under i;unicode-casemap. "é" is two octets. */
    ck_assert(!matches(RT_CMP_ASCII_CASEMAP, "\xc3\xa9", "?"));
    ck_assert(matches(RT_CMP_ASCII_CASEMAP, "\xc3\xa9", "??"));
    ck_assert(matches(RT_CMP_UNICODE_CASEMAP, "\xc3\xa9", "?"));
    ck_assert(!matches(RT_CMP_UNICODE_CASEMAP, "\xc3\xa9", "??"));
    ck_assert(matches(RT_CMP_UNICODE_CASEMAP, "\xc3\x89t\xc3\xa9", "\xc3\xa9?\xc3\x89"));
    ck_assert(matches(RT_CMP_UNICODE_CASEMAP, "x\xe2\x82\xacy", "x?y"));  /* euro sign */
    ck_assert(matches(RT_CMP_UNICODE_CASEMAP, "\xff", "?"));           /* invalid byte = one U+FFFD */
    ck_assert(matches(RT_CMP_UNICODE_CASEMAP, "e\xcc\x81", "?"));       /* e + combining acute */
    ck_assert(matches(RT_CMP_UNICODE_CASEMAP, "\xc3\xa9", "E?"));       /* ... and its folded halves */
    ck_assert(matches(RT_CMP_UNICODE_CASEMAP, "a\xc3\xa9", "*?"));
    ck_assert(matches(RT_CMP_UNICODE_CASEMAP, "a\xc3\xa9", "?*"));
    ck_assert(!matches(RT_CMP_UNICODE_CASEMAP, "a\xc3\xa9", "???"));
    vars_are(RT_CMP_UNICODE_CASEMAP, "\xc3\x89t\xc3\xa9 !", "?*?", "\xc3\x89|t\xc3\xa9 |!");
    vars_are(RT_CMP_UNICODE_CASEMAP, "ab\xc3\xa9" "cd", "*\xc3\x89*", "ab|cd");
    /* Captures are cut from the value even where folding expands it. */
    vars_are(RT_CMP_UNICODE_CASEMAP, "a\xef\xac\x81" "b", "A*B", "\xef\xac\x81");   /* U+FB01 -> FI */
    vars_are(RT_CMP_UNICODE_CASEMAP, "\xc7\x85x", "*X", "\xc7\x85");               /* U+01C5 -> D + Z caron */
    vars_are(RT_CMP_UNICODE_CASEMAP, "\xef\xb7\xba!", "*!", "\xef\xb7\xba");     /* 18 characters */
    vars_are(RT_CMP_UNICODE_CASEMAP, "x\xc3\x89t\xc3\xa9y", "X?T?Y", "\xc3\x89|\xc3\xa9");
    /* RFC 5051 uses simple case mappings: sharp s is not "SS". */
    ck_assert(!matches(RT_CMP_UNICODE_CASEMAP, "Stra\xc3\x9f" "e", "*SS*"));
}
END_TEST

START_TEST(matches_vars)
{
    /* RFC 5229 3.2 examples. */
    vars_are(RT_CMP_ASCII_CASEMAP, "[acme-users] [fwd] version 1.0 is out", "[*] *",
             "acme-users|[fwd] version 1.0 is out");
    vars_are(RT_CMP_ASCII_CASEMAP, "coyote@ACME.Example.COM", "coyote@**.com", "|ACME.Example");
    vars_are(RT_CMP_ASCII_CASEMAP, "Acme <list@acme.example.org>", "*<*@*", "Acme |list|acme.example.org>");
    /* Results checked against Pigeonhole 0.5.19 (sieve-test). */
    vars_are(RT_CMP_ASCII_CASEMAP, "[acme-users] [fwd] v1", "*[*] *", "|acme-users|[fwd] v1");
    vars_are(RT_CMP_ASCII_CASEMAP, "[acme-users] [fwd] v1", "*[*]*", "|acme-users| [fwd] v1");
    vars_are(RT_CMP_ASCII_CASEMAP, "[acme-users] [fwd] v1", "*?*?", "|[|acme-users] [fwd] v|1");
    vars_are(RT_CMP_ASCII_CASEMAP, "[acme-users] [fwd] v1", "*a*?", "[|cme-users] [fwd] v|1");
    vars_are(RT_CMP_ASCII_CASEMAP, "[acme-users] [fwd] v1", "[*", "acme-users] [fwd] v1");
    vars_are(RT_CMP_ASCII_CASEMAP, "[acme-users] [fwd] v1", "*]*]*", "[acme-users| [fwd| v1");
    vars_are(RT_CMP_ASCII_CASEMAP, "abcdefghijklmn", "????????????*", "a|b|c|d|e|f|g|h|i|j|k|l|mn");
    /* Captures come from the value, not the folded text. */
    vars_are(RT_CMP_ASCII_CASEMAP, "Hello World", "h*O w*", "ell|orld");
    vars_are(RT_CMP_ASCII_CASEMAP, "abc", "abc", "");
    /* A failed match leaves earlier variables alone. */
    rt_match_vars mv;
    mv.n = 7;
    ck_assert_int_eq(rt_match_once(A, RT_MATCH_MATCHES, RT_CMP_OCTET, RT_REL_EQ, rt_str_cstr("x"),
                                   rt_str_cstr("y*"), &mv), RT_MATCH_NO);
    ck_assert_uint_eq(mv.n, 7);
    /* Many wildcards: the first RT_MATCH_MAX_VARS - 1 are kept. */
    char pat[101], val[101];
    memset(pat, '?', 100);
    pat[100] = 0;
    memset(val, 'z', 100);
    val[100] = 0;
    ck_assert_int_eq(rt_match_once(A, RT_MATCH_MATCHES, RT_CMP_OCTET, RT_REL_EQ, rt_str_cstr(val),
                                   rt_str_cstr(pat), &mv), RT_MATCH_YES);
    ck_assert_uint_eq(mv.n, RT_MATCH_MAX_VARS);
}
END_TEST

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec + ts.tv_nsec / 1e9;
}

START_TEST(matches_pathological)
{
    size_t n = 100 * 1024;
    char *v = malloc(n + 2);
    memset(v, 'a', n);
    v[n] = 0;
    const char *pats[] = { "*a*a*a*a*a*b", "*a?a*a?a*a*a*a*a*?b*", "*?*?*?*?*?*?*?*?*?*?*c", "a*a*a*a*a*a*a*a*ab",
                           "*aaaaaaaaaaaaaaaaaaaaaaaab*", "?*?*?*?*?*?*?*?*?*?*?*?*?*?*?*?*?*?*?*?*?*?*?*?*b" };
    double t0 = now();
    for (size_t i = 0; i < sizeof pats / sizeof pats[0]; i++) {
        rt_match_vars mv;
        ck_assert_int_eq(rt_match_once(A, RT_MATCH_MATCHES, RT_CMP_ASCII_CASEMAP, RT_REL_EQ,
                                       rt_str_make(v, n), rt_str_cstr(pats[i]), &mv), RT_MATCH_NO);
        ck_assert_int_eq(rt_match_once(A, RT_MATCH_MATCHES, RT_CMP_UNICODE_CASEMAP, RT_REL_EQ,
                                       rt_str_make(v, n), rt_str_cstr(pats[i]), NULL), RT_MATCH_NO);
    }
    /* Same with a 'b' at the end: the match succeeds. */
    v[n] = 'b';
    rt_match_vars mv;
    ck_assert_int_eq(rt_match_once(A, RT_MATCH_MATCHES, RT_CMP_OCTET, RT_REL_EQ, rt_str_make(v, n + 1),
                                   rt_str_cstr("*a*a*a*a*a*b"), &mv), RT_MATCH_YES);
    ck_assert_uint_eq(mv.v[6].len, n - 5);
    ck_assert_int_eq(rt_match_once(A, RT_MATCH_MATCHES, RT_CMP_OCTET, RT_REL_EQ, rt_str_make(v, n + 1),
                                   rt_str_cstr("*ab*ab*"), &mv), RT_MATCH_NO);
    double dt = now() - t0;
    ck_assert_msg(dt < 2.0, "pathological :matches took %.3f s", dt);
    free(v);
}
END_TEST

START_TEST(relational)
{
    /* RFC 5231 :value */
    struct { rt_cmp_id c; rt_rel r; const char *v, *k; rt_match_result want; } t[] = {
        { RT_CMP_ASCII_NUMERIC, RT_REL_GT, "10", "9", RT_MATCH_YES },
        { RT_CMP_ASCII_NUMERIC, RT_REL_LT, "10", "9", RT_MATCH_NO },
        { RT_CMP_ASCII_CASEMAP, RT_REL_GT, "10", "9", RT_MATCH_NO },  /* string order */
        { RT_CMP_ASCII_NUMERIC, RT_REL_GE, "-0.9", "10", RT_MATCH_YES },  /* infinity trap */
        { RT_CMP_ASCII_NUMERIC, RT_REL_EQ, "abc", "def", RT_MATCH_YES },
        { RT_CMP_ASCII_NUMERIC, RT_REL_NE, "abc", "5", RT_MATCH_YES },
        { RT_CMP_ASCII_NUMERIC, RT_REL_LE, "5", "5", RT_MATCH_YES },
        { RT_CMP_ASCII_NUMERIC, RT_REL_LT, "5", "5", RT_MATCH_NO },
        { RT_CMP_ASCII_NUMERIC, RT_REL_EQ, "07", "7abc", RT_MATCH_YES },
        { RT_CMP_ASCII_CASEMAP, RT_REL_EQ, "Abc", "aBC", RT_MATCH_YES },
        { RT_CMP_ASCII_CASEMAP, RT_REL_LT, "abc", "abd", RT_MATCH_YES },
        { RT_CMP_OCTET, RT_REL_GT, "a", "B", RT_MATCH_YES },
        { RT_CMP_UNICODE_CASEMAP, RT_REL_EQ, "\xc3\xa9", "\xc3\x89", RT_MATCH_YES },
    };
    for (size_t i = 0; i < sizeof t / sizeof t[0]; i++)
        ck_assert_msg(rt_match_once(A, RT_MATCH_VALUE, t[i].c, t[i].r, rt_str_cstr(t[i].v),
                                    rt_str_cstr(t[i].k), NULL) == t[i].want, "case %zu", i);
    rt_rel r;
    ck_assert(rt_match_rel_lookup("GE", 2, &r) && r == RT_REL_GE);
    ck_assert(rt_match_rel_lookup("ne", 2, &r) && r == RT_REL_NE);
    ck_assert(!rt_match_rel_lookup("gte", 3, &r));
}
END_TEST

START_TEST(count)
{
    rt_str k = rt_str_cstr("2");
    rt_match_keys *ks = rt_match_keys_new(A, RT_MATCH_COUNT, RT_CMP_ASCII_NUMERIC, RT_REL_GE, &k, 1, NULL, 0);
    ck_assert_ptr_nonnull(ks);
    ck_assert_int_eq(rt_match_count(ks, A, 3), RT_MATCH_YES);
    ck_assert_int_eq(rt_match_count(ks, A, 2), RT_MATCH_YES);
    ck_assert_int_eq(rt_match_count(ks, A, 1), RT_MATCH_NO);
    ck_assert_int_eq(rt_match_count(ks, A, 0), RT_MATCH_NO);
    ck_assert_int_eq(rt_match_value(ks, A, rt_str_cstr("x"), NULL), RT_MATCH_ERROR);
    /* With i;ascii-casemap the count compares as a string: "10" < "2". */
    ks = rt_match_keys_new(A, RT_MATCH_COUNT, RT_CMP_ASCII_CASEMAP, RT_REL_LT, &k, 1, NULL, 0);
    ck_assert_int_eq(rt_match_count(ks, A, 10), RT_MATCH_YES);
    /* A non-numeric key is infinity: every count is below it. */
    k = rt_str_cstr("many");
    ks = rt_match_keys_new(A, RT_MATCH_COUNT, RT_CMP_ASCII_NUMERIC, RT_REL_LT, &k, 1, NULL, 0);
    ck_assert_int_eq(rt_match_count(ks, A, 1000000), RT_MATCH_YES);
    k = rt_str_cstr("0");
    ks = rt_match_keys_new(A, RT_MATCH_COUNT, RT_CMP_ASCII_NUMERIC, RT_REL_EQ, &k, 1, NULL, 0);
    ck_assert_int_eq(rt_match_count(ks, A, 0), RT_MATCH_YES);
}
END_TEST

START_TEST(quote_wildcard)
{
    rt_str out;
    ck_assert(rt_match_quote_wildcard(A, rt_str_cstr("Rock*?\\x"), &out));
    ck_assert_str_eq(out.p, "Rock\\*\\?\\\\x");
    /* Quoted text matches itself literally. */
    ck_assert(matches(RT_CMP_OCTET, "Rock*?\\x", out.p));
    ck_assert(!matches(RT_CMP_OCTET, "Rockabc\\x", out.p));
}
END_TEST

START_TEST(regex_keys)
{
    rt_str keys[] = { rt_str_cstr("^foo(bar|baz)$"), rt_str_cstr("([0-9]+)-([0-9]+)") };
    rt_match_keys *k = rt_match_keys_new(A, RT_MATCH_REGEX, RT_CMP_ASCII_CASEMAP, RT_REL_EQ, keys, 2, NULL, 0);
    ck_assert_ptr_nonnull(k);
    ck_assert_uint_eq(rt_match_keys_nvars(k), 3);
    rt_match_vars mv;
    ck_assert_int_eq(rt_match_value(k, A, rt_str_cstr("FOOBAZ"), &mv), RT_MATCH_YES);
    ck_assert_uint_eq(mv.n, 2);
    ck_assert_int_eq(mv.v[1].len, 3);
    ck_assert(memcmp(mv.v[1].p, "BAZ", 3) == 0);
    ck_assert_int_eq(rt_match_value(k, A, rt_str_cstr("call 555-1234 now"), &mv), RT_MATCH_YES);
    ck_assert_uint_eq(mv.n, 3);
    ck_assert(mv.v[0].len == 8 && memcmp(mv.v[2].p, "1234", 4) == 0);
    ck_assert_int_eq(rt_match_value(k, A, rt_str_cstr("nothing"), &mv), RT_MATCH_NO);
    rt_match_keys_free(&k);
    char err[200] = "";
    rt_str bad = rt_str_cstr("(a)\\1");
    ck_assert_ptr_null(rt_match_keys_new(A, RT_MATCH_REGEX, RT_CMP_OCTET, RT_REL_EQ, &bad, 1, err, sizeof err));
    ck_assert(strstr(err, "back-reference") != NULL);
    rt_str ok = rt_str_cstr("a");
    ck_assert_ptr_null(rt_match_keys_new(A, RT_MATCH_REGEX, RT_CMP_UNICODE_CASEMAP, RT_REL_EQ, &ok, 1, err, sizeof err));
    /* Second key bad: the first one's regex is released (ASan would say). */
    rt_str two[] = { rt_str_cstr("a+"), rt_str_cstr("(") };
    ck_assert_ptr_null(rt_match_keys_new(A, RT_MATCH_REGEX, RT_CMP_OCTET, RT_REL_EQ, two, 2, err, sizeof err));
}
END_TEST

int main(void)
{
    Suite *s = suite_create("match");
    TCase *tc = tcase_create("core");
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_set_timeout(tc, 30);
    tcase_add_test(tc, is_contains);
    tcase_add_test(tc, key_list);
    tcase_add_test(tc, matches_basic);
    tcase_add_test(tc, matches_question_width);
    tcase_add_test(tc, matches_vars);
    tcase_add_test(tc, matches_pathological);
    tcase_add_test(tc, relational);
    tcase_add_test(tc, count);
    tcase_add_test(tc, quote_wildcard);
    tcase_add_test(tc, regex_keys);
    suite_add_tcase(s, tc);
    SRunner *sr = srunner_create(s);
    srunner_run_all(sr, CK_NORMAL);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
