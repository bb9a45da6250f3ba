/* ext_mime and ext_spamtest: foreverypart's loop stack over hostile MIME
 * (deep nesting, unterminated boundaries, huge part counts), extracttext's
 * :first, and the spamtest settings and scaling. */
#define _GNU_SOURCE
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "exec.h"
#include "ext_mime.h"
#include "ext_spamtest.h"
#include "mime.h"
#include "sieve/spamtest.h"

static rt_arena *A;

static void setup(void)
{
    A = rt_arena_new(0);
}
static void teardown(void)
{
    rt_arena_free(&A);
}

/* A program table with nloops loop records and nothing else, and a run
 * over msg: enough for the loop ops. */
static uint32_t words[SIEVE_META_HEADER_WORDS + 8 * SIEVE_LOOP_WORDS];
static rt_program prog;

static void make_run(rt_run *r, const char *msg, size_t len, uint32_t nloops)
{
    memset(words, 0, sizeof words);
    words[SIEVE_META_LOOPS] = SIEVE_META_HEADER_WORDS;
    words[SIEVE_META_NLOOPS] = nloops;
    memset(&prog, 0, sizeof prog);
    prog.w = words;
    prog.nw = sizeof words / sizeof words[0];
    memset(r, 0, sizeof *r);
    r->p = &prog;
    r->a = A;
    r->msg_data = msg;
    r->msg_len = len;
}

/* Visits every part with one loop; returns the count (or -1 on error). */
static long visit_all(rt_run *r, uint32_t loop)
{
    if (rt_mime_loop_begin(r, loop) != SIEVE_OK)
        return -1;
    long n = 0;
    int32_t rc;
    while ((rc = rt_mime_loop_next(r, loop)) == SIEVE_TRUE) {
        ck_assert_uint_lt(r->loops[r->nloops - 1].part, r->mime->nparts);
        n++;
    }
    ck_assert_int_eq(rc, SIEVE_OK);
    ck_assert_int_eq(rt_mime_loop_end(r, loop), SIEVE_OK);
    return n;
}

static char *nested_message(int depth, bool close)
{
    size_t cap = (size_t)depth * 160 + 256;
    char *m = malloc(cap), *p = m;
    p += sprintf(p, "From: a@example.org\nContent-Type: multipart/mixed; boundary=b0\n\n");
    for (int i = 0; i < depth; i++)
        p += sprintf(p, "--b%d\nContent-Type: multipart/mixed; boundary=b%d\n\n", i, i + 1);
    p += sprintf(p, "--b%d\nContent-Type: text/plain\n\ndeep\n", depth);
    if (close)
        for (int i = depth; i >= 0; i--)
            p += sprintf(p, "--b%d--\n", i);
    return m;
}

START_TEST(deep_nesting_is_bounded)
{
    char *msg = nested_message(500, true);
    rt_run r;
    make_run(&r, msg, strlen(msg), 1);
    long n = visit_all(&r, 0);
    ck_assert_int_gt(n, 1);
    ck_assert(r.mime->truncated);
    ck_assert_uint_eq((unsigned long)n, r.mime->nparts);
    for (size_t i = 0; i < r.mime->nparts; i++) {
        ck_assert_uint_le(r.mime->parts[i].depth, RT_MIME_MAX_DEPTH);
        ck_assert_uint_le(r.mime->parts[i].end, r.mime->nparts);
        ck_assert_uint_gt(r.mime->parts[i].end, i);
    }
    ck_assert_int_eq(r.nloops, 0);
    free(msg);
}
END_TEST

START_TEST(unterminated_boundaries)
{
    char *msg = nested_message(10, false);
    rt_run r;
    make_run(&r, msg, strlen(msg), 2);
    /* A nested loop from each part visits exactly the parts below it. */
    ck_assert_int_eq(rt_mime_loop_begin(&r, 0), SIEVE_OK);
    size_t outer = 0;
    while (rt_mime_loop_next(&r, 0) == SIEVE_TRUE) {
        uint32_t cur = r.loops[0].part;
        long inner = visit_all(&r, 1);
        ck_assert_int_eq(inner, (long)(r.mime->parts[cur].end - cur - 1));
        ck_assert_uint_eq(r.loops[0].part, cur);   /* restored */
        outer++;
    }
    ck_assert_int_eq(rt_mime_loop_end(&r, 0), SIEVE_OK);
    ck_assert_uint_eq(outer, 12);  /* message, 10 multiparts, the text part */
    free(msg);
}
END_TEST

START_TEST(huge_part_count_is_bounded)
{
    size_t nparts = 20000;
    char *msg = malloc(nparts * 40 + 200), *p = msg;
    p += sprintf(p, "Content-Type: multipart/mixed; boundary=x\n\n");
    for (size_t i = 0; i < nparts; i++)
        p += sprintf(p, "--x\n\npart %zu\n", i);
    p += sprintf(p, "--x--\n");
    rt_run r;
    make_run(&r, msg, (size_t)(p - msg), 1);
    long n = visit_all(&r, 0);
    ck_assert_int_le(n, RT_MIME_MAX_PARTS);
    ck_assert(r.mime->truncated);
    free(msg);
}
END_TEST

START_TEST(loop_stack_is_bounded)
{
    const char *msg = "Subject: x\n\nbody\n";
    rt_run r;
    make_run(&r, msg, strlen(msg), 1);
    /* Every begin pushes a frame: past RT_LOOP_MAX it is a clean error. */
    for (int i = 0; i < RT_LOOP_MAX; i++) {
        ck_assert_int_eq(rt_mime_loop_begin(&r, 0), SIEVE_OK);
        r.loops[r.nloops - 1].part = 0;
    }
    ck_assert_int_eq(rt_mime_loop_begin(&r, 0), SIEVE_ERROR);
    ck_assert(r.failed);
    ck_assert_ptr_nonnull(strstr(r.error, "nested deeper"));
}
END_TEST

START_TEST(bad_loop_records)
{
    const char *msg = "Subject: x\n\nbody\n";
    rt_run r;
    make_run(&r, msg, strlen(msg), 1);
    ck_assert_int_eq(rt_mime_loop_begin(&r, 5), SIEVE_ERROR);
    make_run(&r, msg, strlen(msg), 1);
    ck_assert_int_eq(rt_mime_loop_next(&r, 0), SIEVE_ERROR);  /* never begun */
    make_run(&r, msg, strlen(msg), 1);
    ck_assert_int_eq(rt_mime_loop_end(&r, 0), SIEVE_ERROR);
}
END_TEST

START_TEST(first_chars)
{
    rt_str s = rt_str_cstr("\xc3\xa9l\xc3\xa8ve");  /* élève */
    ck_assert_uint_eq(rt_mime_first_chars(s, 0).len, 0);
    ck_assert_uint_eq(rt_mime_first_chars(s, 1).len, 2);
    ck_assert_uint_eq(rt_mime_first_chars(s, 2).len, 3);
    ck_assert_uint_eq(rt_mime_first_chars(s, 100).len, s.len);
    /* a truncated sequence at the end is not overrun */
    rt_str bad = rt_str_make("a\xe2\x82", 3);
    ck_assert_uint_eq(rt_mime_first_chars(bad, 5).len, 3);
}
END_TEST

START_TEST(spam_numbers)
{
    float v;
    ck_assert(rt_spamtest_number(rt_str_cstr("4.5"), &v) && v == 4.5f);
    ck_assert(rt_spamtest_number(rt_str_cstr("-3"), &v) && v == -3);
    ck_assert(rt_spamtest_number(rt_str_cstr("+3"), &v) && v == 3);
    ck_assert(rt_spamtest_number(rt_str_cstr(".5"), &v) && v == 0.5f);
    ck_assert(rt_spamtest_number(rt_str_cstr("2,5"), &v) && v == 2.5f);
    ck_assert(!rt_spamtest_number(rt_str_cstr("7xyz"), &v));
    ck_assert(!rt_spamtest_number(rt_str_cstr(""), &v));
    ck_assert(!rt_spamtest_number(rt_str_cstr("-"), &v));
    ck_assert(!rt_spamtest_number(rt_str_cstr("."), &v));
    ck_assert(!rt_spamtest_number(rt_str_cstr("1."), &v));
    ck_assert(!rt_spamtest_number(rt_str_cstr(" 7"), &v));
}
END_TEST

/* Pigeonhole 0.5.19's values (sieve-test with the same settings). */
START_TEST(spam_scale)
{
    ck_assert_uint_eq(rt_spamtest_scale(4.5, 10, false, false), 5);
    ck_assert_uint_eq(rt_spamtest_scale(5.5, 10, false, false), 5);
    ck_assert_uint_eq(rt_spamtest_scale(9.99, 10, false, false), 9);
    ck_assert_uint_eq(rt_spamtest_scale(12.5, 10, false, false), 10);
    ck_assert_uint_eq(rt_spamtest_scale(-3, 10, false, false), 1);
    ck_assert_uint_eq(rt_spamtest_scale(0, 10, false, false), 1);
    ck_assert_uint_eq(rt_spamtest_scale(4.56, 10, false, true), 45);
    ck_assert_uint_eq(rt_spamtest_scale(1, 10, false, true), 10);
    ck_assert_uint_eq(rt_spamtest_scale(0.01, 10, false, true), 0);
    ck_assert_uint_eq(rt_spamtest_scale(3.5, 5, true, false), 3);
    ck_assert_uint_eq(rt_spamtest_scale(4.9, 5, true, false), 4);
    ck_assert_uint_eq(rt_spamtest_scale(5, 5, true, false), 5);
    /* single precision: .29 of 1 is 29 percent, not 28 */
    float f;
    ck_assert(rt_spamtest_number(rt_str_cstr(".29"), &f));
    ck_assert_uint_eq(rt_spamtest_scale(f, 1, false, true), 29);
}
END_TEST

START_TEST(spam_settings)
{
    char err[300];
    sieve_spamtest_conf *c = sieve_spamtest_conf_new();
    ck_assert_ptr_nonnull(c);
    ck_assert(sieve_spamtest_conf_known("sieve_spamtest_status_header"));
    ck_assert(sieve_spamtest_conf_known("sieve_virustest_text_value5"));
    ck_assert(!sieve_spamtest_conf_known("sieve_virustest_text_value6"));
    ck_assert(!sieve_spamtest_conf_known("sieve_spamtest_text_value11"));
    ck_assert(!sieve_spamtest_conf_known("sieve_max_actions"));
    ck_assert(sieve_spamtest_conf_known("sieve_spamtest_score_max_value"));
    ck_assert(sieve_spamtest_conf_known("sieve_virustest_text_value/5"));
    ck_assert(!sieve_spamtest_conf_known("sieve_virustest_text_value/6"));
    ck_assert_int_eq(sieve_spamtest_conf_set(c, "sieve_spamtest_status_header",
                                             "X-Spam-Status: score=(-?[0-9.]+)", err, sizeof err), 0);
    ck_assert_int_eq(sieve_spamtest_conf_set(c, "sieve_spamtest_status_header", "X: (", err,
                                             sizeof err), -1);
    ck_assert_int_eq(sieve_spamtest_conf_set(c, "sieve_spamtest_status_header", ": x", err,
                                             sizeof err), -1);
    ck_assert_int_eq(sieve_spamtest_conf_set(c, "sieve_spamtest_status_type", "bogus", err,
                                             sizeof err), -1);
    ck_assert_int_eq(sieve_spamtest_conf_set(c, "sieve_spamtest_max_value", "0", err, sizeof err), -1);
    ck_assert_int_eq(sieve_spamtest_conf_set(c, "sieve_spamtest_max_value", "x", err, sizeof err), -1);
    ck_assert_int_eq(sieve_spamtest_conf_set(c, "sieve_spamtest_max_value", "15", err, sizeof err), 0);
    ck_assert_int_eq(sieve_spamtest_conf_set(c, "sieve_spamtest_text_value3", "maybe", err,
                                             sizeof err), 0);
    ck_assert_int_eq(sieve_spamtest_conf_set(c, "nothing", "1", err, sizeof err), -1);
    sieve_spamtest_conf_clear(c);
    sieve_spamtest_conf_free(&c);
    ck_assert_ptr_null(c);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("ext_mime");
    TCase *tc = tcase_create("core");
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_set_timeout(tc, 60);
    tcase_add_test(tc, deep_nesting_is_bounded);
    tcase_add_test(tc, unterminated_boundaries);
    tcase_add_test(tc, huge_part_count_is_bounded);
    tcase_add_test(tc, loop_stack_is_bounded);
    tcase_add_test(tc, bad_loop_records);
    tcase_add_test(tc, first_chars);
    tcase_add_test(tc, spam_numbers);
    tcase_add_test(tc, spam_scale);
    tcase_add_test(tc, spam_settings);
    suite_add_tcase(s, tc);
    SRunner *sr = srunner_create(s);
    srunner_run_all(sr, CK_NORMAL);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
