/* Unit tests of vars: set modifiers (RFC 5229 4.1 examples, RFC 5435 6),
 * their precedence, the size cap, template expansion. Expected values were
 * checked against Pigeonhole 0.5.19's sieve-test where noted. */
#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "exec.h"
#include "vars.h"

static rt_arena *A;

static void setup(void)
{
    A = rt_arena_new(0);
}

static void teardown(void)
{
    rt_arena_free(&A);
}

static void check_mod(const char *in, uint32_t mods, const char *want)
{
    rt_str out;
    ck_assert(rt_vars_modify(A, rt_str_cstr(in), mods, &out));
    ck_assert_msg(out.len == strlen(want) && memcmp(out.p, want, out.len) == 0,
                  "'%s' mods %#x: got '%.*s', want '%s'", in, mods, (int)out.len, out.p, want);
}

START_TEST(rfc5229_examples)
{
    /* RFC 5229 4.1 */
    const char *a = "juMBlEd lETteRS";
    check_mod(a, SIEVE_AF_MOD_LENGTH, "15");
    check_mod(a, SIEVE_AF_MOD_LOWER, "jumbled letters");
    check_mod(a, SIEVE_AF_MOD_UPPERFIRST, "JuMBlEd lETteRS");
    check_mod(a, SIEVE_AF_MOD_UPPERFIRST | SIEVE_AF_MOD_LOWER, "Jumbled letters");
    check_mod("Rock*", SIEVE_AF_MOD_QUOTEWILDCARD, "Rock\\*");
}
END_TEST

START_TEST(pigeonhole_observed)
{
    /* sieve-test 0.5.19 results */
    check_mod("h\xc3\xa9llo", SIEVE_AF_MOD_UPPER, "H\xc3\xa9LLO");        /* ASCII only */
    check_mod("h\xc3\xa9llo", SIEVE_AF_MOD_LENGTH, "5");                   /* characters */
    check_mod("WORLD", SIEVE_AF_MOD_UPPERFIRST | SIEVE_AF_MOD_LOWER, "World");
    check_mod("a*b?c\\d", SIEVE_AF_MOD_QUOTEWILDCARD, "a\\*b\\?c\\\\d");
    check_mod("a b&c/\xc3\xa9~", SIEVE_AF_MOD_ENCODEURL, "a%20b%26c%2F%C3%A9~");
    check_mod("abc", SIEVE_AF_MOD_LOWERFIRST | SIEVE_AF_MOD_UPPER, "aBC");
    check_mod("abc", SIEVE_AF_MOD_LENGTH | SIEVE_AF_MOD_UPPER, "3");
    check_mod("A B", SIEVE_AF_MOD_ENCODEURL | SIEVE_AF_MOD_LOWER, "a%20b");
    check_mod("\xc3\x89" "COLE", SIEVE_AF_MOD_LOWER, "\xc3\x89" "cole");
    check_mod("\xc3\xa9lan", SIEVE_AF_MOD_UPPERFIRST, "\xc3\xa9lan");
}
END_TEST

START_TEST(other_modifiers)
{
    check_mod("", SIEVE_AF_MOD_LENGTH, "0");
    check_mod("", SIEVE_AF_MOD_UPPERFIRST, "");
    check_mod("a.b(c)", SIEVE_AF_MOD_QUOTEREGEX, "a\\.b\\(c\\)");
    /* quotewildcard (20) before encodeurl (15): the backslash is encoded */
    check_mod("a*", SIEVE_AF_MOD_QUOTEWILDCARD | SIEVE_AF_MOD_ENCODEURL, "a%5C%2A");
    /* everything then :length */
    check_mod("a*", SIEVE_AF_MOD_QUOTEWILDCARD | SIEVE_AF_MOD_LENGTH, "3");
    check_mod("Hello", 0, "Hello");
}
END_TEST

START_TEST(size_cap)
{
    rt_vars v;
    ck_assert(rt_vars_init(&v, A, 2));
    ck_assert_uint_eq(v.slots[0].len, 0);
    char *big = malloc(7001);
    memset(big, 'x', 7000);
    big[7000] = '\0';
    ck_assert(rt_vars_set(&v, A, 0, rt_str_cstr(big), 0));
    ck_assert_uint_eq(v.slots[0].len, RT_VAR_MAX_SIZE);
    ck_assert(rt_vars_set(&v, A, 1, rt_str_cstr(big), SIEVE_AF_MOD_LENGTH));
    ck_assert_str_eq(v.slots[1].p, "7000");
    /* never split a UTF-8 character */
    memset(big, 'a', RT_VAR_MAX_SIZE - 1);
    memcpy(big + RT_VAR_MAX_SIZE - 1, "\xc3\xa9zz", 5);
    ck_assert(rt_vars_set(&v, A, 0, rt_str_cstr(big), 0));
    ck_assert_uint_eq(v.slots[0].len, RT_VAR_MAX_SIZE - 1);
    free(big);
    /* slot out of range is ignored, not a crash */
    ck_assert(rt_vars_set(&v, A, 99, rt_str_cstr("x"), 0));
}
END_TEST

START_TEST(truncate_helper)
{
    rt_str s = rt_str_cstr("ab\xe2\x82\xac");
    ck_assert_uint_eq(rt_vars_truncate(s, 5).len, 5);
    ck_assert_uint_eq(rt_vars_truncate(s, 4).len, 2);
    ck_assert_uint_eq(rt_vars_truncate(s, 3).len, 2);
    ck_assert_uint_eq(rt_vars_truncate(s, 0).len, 0);
}
END_TEST

/* A hand-made table: value at word 1 = "a" ${v0} "-" ${m2}. */
START_TEST(expand_template)
{
    static const char pool[] = "a\0-\0";
    uint32_t w[32] = { 0 };
    uint32_t k = 1;
    w[k++] = 4;
    w[k++] = SIEVE_PART_TEXT; w[k++] = 0; w[k++] = 1;
    w[k++] = SIEVE_PART_VAR; w[k++] = 0; w[k++] = 0;
    w[k++] = SIEVE_PART_TEXT; w[k++] = 2; w[k++] = 1;
    w[k++] = SIEVE_PART_MATCH; w[k++] = 2; w[k++] = 0;
    uint32_t single = k;
    w[k++] = 1;
    w[k++] = SIEVE_PART_VAR; w[k++] = 0; w[k++] = 0;
    rt_program p;
    memset(&p, 0, sizeof p);
    p.w = w;
    p.nw = k;
    p.pool = pool;
    p.pool_bytes = sizeof pool;
    p.nvars = 1;
    rt_vars v;
    ck_assert(rt_vars_init(&v, A, 1));
    rt_str out;
    ck_assert(rt_vars_expand(&p, &v, A, 1, &out));
    ck_assert_uint_eq(out.len, 2);
    ck_assert(memcmp(out.p, "a-", 2) == 0);
    ck_assert(rt_vars_set(&v, A, 0, rt_str_cstr("X"), 0));
    rt_match_vars m = { .n = 3, .v = { rt_str_cstr("all"), rt_str_cstr("one"), rt_str_cstr("two") } };
    rt_vars_set_match(&v, &m);
    ck_assert(rt_vars_expand(&p, &v, A, 1, &out));
    ck_assert_str_eq(out.p, "aX-two");
    ck_assert(rt_vars_expand(&p, &v, A, single, &out));
    ck_assert_uint_eq(out.len, 1);
    ck_assert(rt_vars_expand(&p, &v, A, 0, &out));
    ck_assert_uint_eq(out.len, 0);
    /* a set from a match variable keeps its value after the match changes */
    ck_assert(rt_vars_set(&v, A, 0, m.v[1], 0));
    rt_match_vars m2 = { .n = 1, .v = { rt_str_cstr("zzz") } };
    rt_vars_set_match(&v, &m2);
    ck_assert(rt_vars_expand(&p, &v, A, 1, &out));
    ck_assert_str_eq(out.p, "aone-");
}
END_TEST

int main(void)
{
    Suite *s = suite_create("vars");
    TCase *tc = tcase_create("vars");
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_add_test(tc, rfc5229_examples);
    tcase_add_test(tc, pigeonhole_observed);
    tcase_add_test(tc, other_modifiers);
    tcase_add_test(tc, size_cap);
    tcase_add_test(tc, truncate_helper);
    tcase_add_test(tc, expand_template);
    suite_add_tcase(s, tc);
    SRunner *sr = srunner_create(s);
    srunner_run_all(sr, CK_NORMAL);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
