/* Unit tests of the result: implicit keep, cancellation, duplicates,
 * reject conflicts and limits (RFC 5228 2.10 and 4, RFC 3894, RFC 5429),
 * each action list asserted exactly. Pigeonhole 0.5.19 behaviour was
 * checked with sieve-test (see result.h). */
#include <check.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "result.h"

static sieve_result *R;
static char ERR[512];
static unsigned LINE;

static void setup(void)
{
    R = rt_result_new(0, 0);
    ck_assert_ptr_nonnull(R);
    LINE = 1;
}

static void teardown(void)
{
    rt_result_free(&R);
    ck_assert_ptr_null(R);
}

static int add(sieve_action_kind kind, bool copy, const char *arg)
{
    sieve_action a;
    memset(&a, 0, sizeof a);
    a.kind = kind;
    a.copy = copy;
    a.line = LINE++;
    if (kind == SIEVE_ACT_FILEINTO)
        a.mailbox = arg;
    else if (kind == SIEVE_ACT_KEEP)
        a.mailbox = "INBOX";
    else if (kind == SIEVE_ACT_REDIRECT)
        a.address = arg;
    else
        a.reason = arg;
    ERR[0] = '\0';
    return rt_result_add(R, &a, ERR, sizeof ERR);
}

#define OK(kind, copy, arg) ck_assert_msg(add(kind, copy, arg) == 0, "%s", ERR)

/* Expected list: "k" keep, "K" implicit keep, "f:NAME", "F:NAME" (copy),
 * "r:ADDR", "R:ADDR" (copy), "d" discard, "j" reject. */
static void expect(const char *first, ...)
{
    rt_result_finish(R);
    va_list ap;
    va_start(ap, first);
    size_t n = 0;
    for (const char *e = first; e; e = va_arg(ap, const char *), n++) {
        const sieve_action *a = sieve_result_action(R, n);
        ck_assert_msg(a != NULL, "action %zu missing (want %s)", n, e);
        char got[300];
        switch (a->kind) {
        case SIEVE_ACT_KEEP: snprintf(got, sizeof got, "%s", a->implicit ? "K" : "k"); break;
        case SIEVE_ACT_FILEINTO: snprintf(got, sizeof got, "%c:%s", a->copy ? 'F' : 'f', a->mailbox); break;
        case SIEVE_ACT_REDIRECT: snprintf(got, sizeof got, "%c:%s", a->copy ? 'R' : 'r', a->address); break;
        case SIEVE_ACT_DISCARD: snprintf(got, sizeof got, "d"); break;
        case SIEVE_ACT_REJECT: case SIEVE_ACT_EREJECT: snprintf(got, sizeof got, "j"); break;
        default: snprintf(got, sizeof got, "?%d", a->kind); break;
        }
        ck_assert_msg(strcmp(got, e) == 0, "action %zu: got %s, want %s", n, got, e);
    }
    va_end(ap);
    ck_assert_uint_eq(sieve_result_count(R), n);
    ck_assert_ptr_null(sieve_result_error(R));
}

START_TEST(empty_keeps)
{
    expect("K", NULL);
    const sieve_action *a = sieve_result_action(R, 0);
    ck_assert_str_eq(a->mailbox, "INBOX");
    ck_assert_ptr_null(sieve_result_action(R, 1));
}
END_TEST

START_TEST(explicit_keep)
{
    OK(SIEVE_ACT_KEEP, false, NULL);
    expect("k", NULL);
}
END_TEST

START_TEST(fileinto_cancels)
{
    OK(SIEVE_ACT_FILEINTO, false, "A");
    expect("f:A", NULL);
}
END_TEST

START_TEST(fileinto_copy_keeps)
{
    OK(SIEVE_ACT_FILEINTO, true, "A");
    expect("F:A", "K", NULL);
}
END_TEST

START_TEST(redirect_cancels_copy_keeps)
{
    OK(SIEVE_ACT_REDIRECT, false, "a@x.org");
    expect("r:a@x.org", NULL);
    rt_result_reset(R);
    OK(SIEVE_ACT_REDIRECT, true, "a@x.org");
    expect("R:a@x.org", "K", NULL);
}
END_TEST

START_TEST(discard_cancels)
{
    OK(SIEVE_ACT_DISCARD, false, NULL);
    OK(SIEVE_ACT_DISCARD, false, NULL);
    expect("d", NULL);
}
END_TEST

START_TEST(discard_then_keep)
{
    /* Pigeonhole: both listed, the keep stores */
    OK(SIEVE_ACT_DISCARD, false, NULL);
    OK(SIEVE_ACT_KEEP, false, NULL);
    expect("d", "k", NULL);
}
END_TEST

START_TEST(keep_and_fileinto_inbox_merge)
{
    /* Pigeonhole: keep; fileinto "INBOX"; fileinto "inbox"; fileinto "A"
     * twice; discard -> store INBOX, store A, discard */
    OK(SIEVE_ACT_KEEP, false, NULL);
    OK(SIEVE_ACT_FILEINTO, false, "INBOX");
    OK(SIEVE_ACT_FILEINTO, false, "inbox");
    OK(SIEVE_ACT_FILEINTO, false, "A");
    OK(SIEVE_ACT_FILEINTO, false, "A");
    OK(SIEVE_ACT_DISCARD, false, NULL);
    expect("k", "f:A", "d", NULL);
}
END_TEST

START_TEST(mailbox_names_case_sensitive)
{
    OK(SIEVE_ACT_FILEINTO, false, "A");
    OK(SIEVE_ACT_FILEINTO, false, "a");
    expect("f:A", "f:a", NULL);
}
END_TEST

START_TEST(fileinto_copy_inbox_is_the_keep)
{
    OK(SIEVE_ACT_FILEINTO, true, "INBOX");
    expect("F:INBOX", NULL);
}
END_TEST

START_TEST(duplicate_still_cancels)
{
    /* RFC 5228 4.1: the later fileinto without :copy cancels the implicit
     * keep even though it is merged with the earlier one (Pigeonhole drops
     * it whole and keeps the implicit keep). */
    OK(SIEVE_ACT_FILEINTO, true, "A");
    OK(SIEVE_ACT_FILEINTO, false, "A");
    expect("F:A", NULL);
    rt_result_reset(R);
    OK(SIEVE_ACT_FILEINTO, false, "A");
    OK(SIEVE_ACT_FILEINTO, true, "A");
    expect("f:A", NULL);
}
END_TEST

START_TEST(redirect_duplicates)
{
    /* Pigeonhole: duplicates do not count against the redirect limit */
    OK(SIEVE_ACT_REDIRECT, false, "a@x.org");
    OK(SIEVE_ACT_REDIRECT, false, "a@x.org");
    OK(SIEVE_ACT_REDIRECT, false, "a@X.ORG");
    OK(SIEVE_ACT_REDIRECT, false, "a@x.org");
    OK(SIEVE_ACT_REDIRECT, false, "b@x.org");
    OK(SIEVE_ACT_REDIRECT, false, "c@x.org");
    OK(SIEVE_ACT_REDIRECT, false, "A@x.org"); /* local parts are case-sensitive */
    expect("r:a@x.org", "r:b@x.org", "r:c@x.org", "r:A@x.org", NULL);
}
END_TEST

START_TEST(redirect_limit)
{
    OK(SIEVE_ACT_REDIRECT, false, "a@x.org");
    OK(SIEVE_ACT_REDIRECT, false, "b@x.org");
    OK(SIEVE_ACT_REDIRECT, false, "c@x.org");
    OK(SIEVE_ACT_REDIRECT, false, "d@x.org");
    ck_assert_int_eq(add(SIEVE_ACT_REDIRECT, false, "e@x.org"), -1);
    ck_assert_str_eq(ERR, "number of redirect actions exceeds policy limit (5 > 4)");
}
END_TEST

START_TEST(action_limit)
{
    char names[40][8];
    for (int i = 0; i < 32; i++) {
        snprintf(names[i], sizeof names[i], "f%d", i);
        OK(SIEVE_ACT_FILEINTO, false, names[i]);
    }
    ck_assert_int_eq(add(SIEVE_ACT_FILEINTO, false, "f32"), -1);
    ck_assert_str_eq(ERR, "total number of actions exceeds policy limit (33 > 32)");
    /* a duplicate is not a new action */
    OK(SIEVE_ACT_FILEINTO, false, "f3");
}
END_TEST

START_TEST(implicit_keep_not_counted)
{
    /* Pigeonhole: 32 fileinto :copy plus the implicit keep is fine; 31
     * fileinto, discard and keep is 33 actions */
    char names[40][8];
    for (int i = 0; i < 32; i++) {
        snprintf(names[i], sizeof names[i], "f%d", i);
        OK(SIEVE_ACT_FILEINTO, true, names[i]);
    }
    rt_result_finish(R);
    ck_assert_uint_eq(sieve_result_count(R), 33);
    ck_assert(sieve_result_action(R, 32)->implicit);
    rt_result_reset(R);
    for (int i = 0; i < 31; i++)
        OK(SIEVE_ACT_FILEINTO, false, names[i]);
    OK(SIEVE_ACT_DISCARD, false, NULL);
    ck_assert_int_eq(add(SIEVE_ACT_KEEP, false, NULL), -1);
    ck_assert_str_eq(ERR, "total number of actions exceeds policy limit (33 > 32)");
}
END_TEST

START_TEST(configured_limits)
{
    rt_result_free(&R);
    R = rt_result_new(3, 1);
    OK(SIEVE_ACT_REDIRECT, false, "a@x.org");
    ck_assert_int_eq(add(SIEVE_ACT_REDIRECT, false, "b@x.org"), -1);
    OK(SIEVE_ACT_FILEINTO, false, "A");
    OK(SIEVE_ACT_DISCARD, false, NULL);
    ck_assert_int_eq(add(SIEVE_ACT_KEEP, false, NULL), -1);
    ck_assert_ptr_nonnull(strstr(ERR, "(4 > 3)"));
}
END_TEST

START_TEST(reject_conflicts)
{
    /* Pigeonhole: an error in either order, for keep, fileinto, redirect */
    static const sieve_action_kind deliver[] = { SIEVE_ACT_KEEP, SIEVE_ACT_FILEINTO, SIEVE_ACT_REDIRECT };
    static const char *const arg[] = { NULL, "A", "a@x.org" };
    for (int k = 0; k < 2; k++) {
        sieve_action_kind rj = k ? SIEVE_ACT_EREJECT : SIEVE_ACT_REJECT;
        for (int i = 0; i < 3; i++) {
            for (int copy = 0; copy < 2; copy++) {
                rt_result_reset(R);
                OK(rj, false, "no");
                ck_assert_int_eq(add(deliver[i], copy, arg[i]), -1);
                ck_assert_ptr_nonnull(strstr(ERR, "conflicts"));
                rt_result_reset(R);
                OK(deliver[i], copy, arg[i]);
                ck_assert_int_eq(add(rj, false, "no"), -1);
                ck_assert_ptr_nonnull(strstr(ERR, "tries to deliver"));
            }
        }
    }
}
END_TEST

START_TEST(reject_twice)
{
    OK(SIEVE_ACT_REJECT, false, "a");
    ck_assert_int_eq(add(SIEVE_ACT_EREJECT, false, "b"), -1);
    ck_assert_ptr_nonnull(strstr(ERR, "duplicate reject"));
}
END_TEST

START_TEST(reject_with_discard)
{
    OK(SIEVE_ACT_DISCARD, false, NULL);
    OK(SIEVE_ACT_REJECT, false, "no");
    expect("d", "j", NULL);
    const sieve_action *a = sieve_result_action(R, 1);
    ck_assert_str_eq(a->reason, "no");
    rt_result_reset(R);
    OK(SIEVE_ACT_EREJECT, false, "no");
    expect("j", NULL);
}
END_TEST

START_TEST(fail_keeps_only)
{
    OK(SIEVE_ACT_FILEINTO, false, "A");
    OK(SIEVE_ACT_REDIRECT, false, "a@x.org");
    rt_result_fail(R, "line 3: boom");
    ck_assert_uint_eq(sieve_result_count(R), 1);
    const sieve_action *a = sieve_result_action(R, 0);
    ck_assert_int_eq(a->kind, SIEVE_ACT_KEEP);
    ck_assert(a->implicit);
    ck_assert_str_eq(sieve_result_error(R), "line 3: boom");
    rt_result_reset(R);
    ck_assert_ptr_null(sieve_result_error(R));
    ck_assert_uint_eq(sieve_result_count(R), 0);
    rt_result_fail(R, "");
    ck_assert_str_eq(sieve_result_error(R), "run-time error");
}
END_TEST

START_TEST(null_safe_accessors)
{
    sieve_result *big = rt_result_new(~0u, ~0u);
    ck_assert_ptr_nonnull(big);
    rt_result_free(&big);
    ck_assert_uint_eq(sieve_result_count(NULL), 0);
    ck_assert_ptr_null(sieve_result_action(NULL, 0));
    ck_assert_ptr_null(sieve_result_error(NULL));
    sieve_result *r = NULL;
    rt_result_free(&r);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("result");
    TCase *tc = tcase_create("result");
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_add_test(tc, empty_keeps);
    tcase_add_test(tc, explicit_keep);
    tcase_add_test(tc, fileinto_cancels);
    tcase_add_test(tc, fileinto_copy_keeps);
    tcase_add_test(tc, redirect_cancels_copy_keeps);
    tcase_add_test(tc, discard_cancels);
    tcase_add_test(tc, discard_then_keep);
    tcase_add_test(tc, keep_and_fileinto_inbox_merge);
    tcase_add_test(tc, mailbox_names_case_sensitive);
    tcase_add_test(tc, fileinto_copy_inbox_is_the_keep);
    tcase_add_test(tc, duplicate_still_cancels);
    tcase_add_test(tc, redirect_duplicates);
    tcase_add_test(tc, redirect_limit);
    tcase_add_test(tc, action_limit);
    tcase_add_test(tc, configured_limits);
    tcase_add_test(tc, implicit_keep_not_counted);
    tcase_add_test(tc, reject_conflicts);
    tcase_add_test(tc, reject_twice);
    tcase_add_test(tc, reject_with_discard);
    tcase_add_test(tc, fail_keeps_only);
    tcase_add_test(tc, null_safe_accessors);
    suite_add_tcase(s, tc);
    SRunner *sr = srunner_create(s);
    srunner_run_all(sr, CK_NORMAL);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
