#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "textsearch.h"

static bool has(const char *hay, const char *needle)
{
    size_t m = strlen(needle);
    return rt_textsearch_icase(hay, strlen(hay), needle, m, rt_textsearch_anchor(needle, m));
}

/* A plain reference: fold both and compare at every position. */
static bool naive(const char *hay, size_t n, const char *needle, size_t m)
{
    for (size_t i = 0; i + m <= n; i++) {
        size_t k = 0;
        while (k < m && rt_fold_ascii((unsigned char)hay[i + k]) ==
                            rt_fold_ascii((unsigned char)needle[k]))
            k++;
        if (k == m)
            return true;
    }
    return m == 0;
}

START_TEST(cases)
{
    ck_assert(has("Click HERE to be removed", "click here"));
    ck_assert(has("click here", "CLICK HERE"));
    ck_assert(has("x", ""));
    ck_assert(has("", ""));
    ck_assert(!has("", "a"));
    ck_assert(!has("ab", "abc"));
    ck_assert(has("xxabc", "ABC"));          /* at the very end */
    ck_assert(has("abcxx", "abc"));          /* at the very start */
    ck_assert(!has("abxabyabz", "abq"));
    ck_assert(has("\xc3\xa9t\xc3\xa9", "\xc3\xa9T"));   /* other bytes as they are */
    ck_assert(!has("\xc3\x89t", "\xc3\xa9t"));          /* no folding beyond ASCII */
    ck_assert(has("[PATCH v2]", "[patch"));
    ck_assert(!has("Signed-off-bx", "signed-off-by:"));
}
END_TEST

START_TEST(agrees_with_naive)
{
    unsigned seed = 7;
    const char alphabet[] = "aAbBzZ $.";
    for (int round = 0; round < 200000; round++) {
        char hay[40], needle[6];
        size_t n = (size_t)(rand_r(&seed) % sizeof hay), m = (size_t)(rand_r(&seed) % sizeof needle);
        for (size_t i = 0; i < n; i++)
            hay[i] = alphabet[rand_r(&seed) % (sizeof alphabet - 1)];
        for (size_t i = 0; i < m; i++)
            needle[i] = alphabet[rand_r(&seed) % (sizeof alphabet - 1)];
        bool got = rt_textsearch_icase(hay, n, needle, m, rt_textsearch_anchor(needle, m));
        ck_assert_msg(got == naive(hay, n, needle, m), "'%.*s' in '%.*s': %d", (int)m, needle,
                      (int)n, hay, got);
    }
}
END_TEST

/* The answer does not depend on the anchor (only the speed does): every
 * anchor of every needle, over punctuation, digits, CR/LF, NUL and 8-bit
 * bytes (the bytes the frequency table ranks). */
START_TEST(any_anchor)
{
    unsigned seed = 11;
    const char alphabet[] = "aAxX.-=/\"<:0\r\n\0\xc3\xa9 ";
    for (int round = 0; round < 100000; round++) {
        char hay[48], needle[7];
        size_t n = (size_t)(rand_r(&seed) % sizeof hay), m = 1 + (size_t)(rand_r(&seed) % 6);
        for (size_t i = 0; i < n; i++)
            hay[i] = alphabet[rand_r(&seed) % (sizeof alphabet - 1)];
        for (size_t i = 0; i < m; i++)
            needle[i] = alphabet[rand_r(&seed) % (sizeof alphabet - 1)];
        bool want = naive(hay, n, needle, m);
        ck_assert_uint_lt(rt_textsearch_anchor(needle, m), m);
        for (size_t a = 0; a < m; a++)
            ck_assert_msg(rt_textsearch_icase(hay, n, needle, m, a) == want,
                          "'%.*s' in '%.*s' anchored at %zu", (int)m, needle, (int)n, hay, a);
    }
    /* Punctuation is not taken for rare: '=' is common in mail bodies. */
    ck_assert_uint_eq(rt_textsearch_anchor("name=\"invoice.exe\"", 18), 15);   /* the x */
}
END_TEST

/* Long texts (the block loop, sixteen starts at a time, and its tail): the
 * first occurrence is the naive search's, for every anchor. */
START_TEST(first_occurrence)
{
    unsigned seed = 5;
    const char alphabet[] = "aAbB.-\n\0\xc3x";
    for (int round = 0; round < 20000; round++) {
        char hay[300], needle[9];
        size_t n = (size_t)(rand_r(&seed) % sizeof hay), m = 1 + (size_t)(rand_r(&seed) % 8);
        for (size_t i = 0; i < n; i++)
            hay[i] = alphabet[rand_r(&seed) % (sizeof alphabet - 1)];
        for (size_t i = 0; i < m; i++)
            needle[i] = alphabet[rand_r(&seed) % (sizeof alphabet - 1)];
        if (n >= m && rand_r(&seed) % 2) {   /* plant it, often near the end */
            size_t at = rand_r(&seed) % 2 ? n - m : (size_t)rand_r(&seed) % (n - m + 1);
            memcpy(hay + at, needle, m);
        }
        const char *want = NULL;
        for (size_t i = 0; !want && i + m <= n; i++)
            if (naive(hay + i, m, needle, m))
                want = hay + i;
        /* An exact-size copy, so a sanitizer sees any read past the end. */
        char *exact = malloc(n ? n : 1);
        ck_assert_ptr_nonnull(exact);
        memcpy(exact, hay, n);
        for (size_t a = 0; a < m; a++)
            ck_assert_msg(rt_textsearch_icase_find(exact, n, needle, m, a) ==
                              (want ? exact + (want - hay) : NULL),
                          "needle %zu bytes in %zu, anchor %zu", m, n, a);
        free(exact);
    }
}
END_TEST

int main(void)
{
    Suite *s = suite_create("textsearch");
    TCase *tc = tcase_create("core");
    tcase_add_test(tc, cases);
    tcase_add_test(tc, agrees_with_naive);
    tcase_add_test(tc, any_anchor);
    tcase_add_test(tc, first_occurrence);
    suite_add_tcase(s, tc);
    SRunner *sr = srunner_create(s);
    srunner_run_all(sr, CK_NORMAL);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
