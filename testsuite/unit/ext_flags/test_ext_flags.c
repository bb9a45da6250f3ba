/* Unit tests of ext_flags (the run-time half of imap4flags, editheader and
 * the mailbox tests) through the public API: hand-built program tables
 * (../exec/progbuild.h) run on a message. What the edited header view
 * shows to later tests, what the result records, the settings that
 * protect fields and answer mailbox questions, the bound on edits, and no
 * heap allocation per message once warm. */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "program.h"
#include "progbuild.h"
#include "sieve/sieve.h"

static pb B;
static sieve_filter *F;
static char ERR[512];

static const char MSG[] =
    "From: joe@example.com\r\n"
    "Subject: Hello\r\n"
    "X-Score: 42\r\n"
    "X-Score: 7\r\n"
    "Received: from a.example.org\r\n"
    "\r\n"
    "Body.\r\n";

static const char *const HEADERS[] = { "X-Score", "X-New", "Subject", NULL };

static void setup(void)
{
    pb_init(&B);
    F = NULL;
}

static void teardown(void)
{
    sieve_filter_unref(&F);
}

static void load(void)
{
    const sieve_abi_descriptor *d = pb_finish(&B, HEADERS);
    ck_assert_msg(rt_filter_from_descriptor(d, &F, ERR, sizeof ERR) == 0, "%s", ERR);
}

static const sieve_result *run_with(sieve_session *s, const pl_step *plan)
{
    const sieve_result *r;
    g_plan = plan;
    memset(g_res, 0x55, sizeof g_res);
    ck_assert_msg(sieve_run(s, F, MSG, strlen(MSG), NULL, &r, ERR, sizeof ERR) == 0, "%s", ERR);
    return r;
}

static uint32_t header_test(const char *name, const char *key)
{
    return pb_test(&B, (pb_t){ .kind = SIEVE_TEST_HEADER, .flags = SIEVE_TF_KEYS_CONSTANT,
                               .a0 = pb_list(&B, name, NULL), .a1 = pb_list(&B, key, NULL) });
}

static const sieve_action *find(const sieve_result *r, sieve_action_kind k, size_t nth)
{
    for (size_t i = 0; i < sieve_result_count(r); i++) {
        const sieve_action *a = sieve_result_action(r, i);
        if (a->kind == k && nth-- == 0)
            return a;
    }
    return NULL;
}

/* ---- editheader ------------------------------------------------------------ */

START_TEST(edits_change_the_view)
{
    pb_action(&B, (pb_a){ .kind = SIEVE_ACT_ADDHEADER, .a0 = pb_value(&B, "X-New"),
                          .a1 = pb_value(&B, "v") });                               /* A0 */
    pb_action(&B, (pb_a){ .kind = SIEVE_ACT_DELETEHEADER, .number = 1,
                          .a0 = pb_value(&B, "x-score") });                         /* A1 */
    header_test("X-New", "v");                                                      /* T0 */
    header_test("X-Score", "42");                                                   /* T1 */
    header_test("X-Score", "7");                                                    /* T2 */
    load();
    sieve_session *s = sieve_session_new(NULL);
    static const pl_step plan[] = { { PL_TEST, 0 }, { PL_ACT, 0 }, { PL_TEST, 0 },
                                    { PL_ACT, 1 }, { PL_TEST, 1 }, { PL_TEST, 2 }, { PL_END, 0 } };
    const sieve_result *r = run_with(s, plan);
    ck_assert_ptr_null(sieve_result_error(r));
    ck_assert_int_eq(g_res[0], SIEVE_TRUE);   /* the last evaluation of T0 */
    ck_assert_int_eq(g_res[1], SIEVE_OK);
    ck_assert_int_eq(g_res[2], SIEVE_TRUE);
    size_t len;
    const char *h = sieve_result_header(r, &len);
    ck_assert_ptr_nonnull(h);
    static const char want[] = "X-New: v\r\nFrom: joe@example.com\r\nSubject: Hello\r\n"
                               "X-Score: 7\r\nReceived: from a.example.org\r\n";
    ck_assert_uint_eq(len, strlen(want));
    ck_assert(memcmp(h, want, len) == 0);
    const sieve_action *a = find(r, SIEVE_ACT_ADDHEADER, 0);
    ck_assert_ptr_nonnull(a);
    ck_assert_str_eq(a->name, "X-New");
    ck_assert_str_eq(a->value, "v");
    a = find(r, SIEVE_ACT_DELETEHEADER, 0);
    ck_assert_ptr_nonnull(a);
    ck_assert_uint_eq(a->index, 1);
    ck_assert_ptr_null(a->patterns);
    /* The edits do not cancel the implicit keep. */
    ck_assert_ptr_nonnull(find(r, SIEVE_ACT_KEEP, 0));
    sieve_session_free(&s);
}
END_TEST

START_TEST(before_the_first_test_the_view_is_unchanged)
{
    header_test("X-New", "v");
    load();
    sieve_session *s = sieve_session_new(NULL);
    static const pl_step plan[] = { { PL_TEST, 0 }, { PL_END, 0 } };
    const sieve_result *r = run_with(s, plan);
    ck_assert_int_eq(g_res[0], SIEVE_OK);
    ck_assert_ptr_null(sieve_result_header(r, NULL));
    sieve_session_free(&s);
}
END_TEST

START_TEST(deleteheader_patterns_through_the_match_record)
{
    uint32_t t = pb_test(&B, (pb_t){ .kind = SIEVE_TEST_STRING, .match = SIEVE_MATCH_MATCHES,
                                     .flags = SIEVE_TF_KEYS_CONSTANT, .a0 = pb_list(&B, NULL),
                                     .a1 = pb_list(&B, "4*", NULL) });
    uint32_t pats = pb_list(&B, "4*", NULL);
    pb_action(&B, (pb_a){ .kind = SIEVE_ACT_DELETEHEADER, .a0 = pb_value(&B, "X-Score"),
                          .a1 = pats, .a2 = t + 1 });
    header_test("X-Score", "42");   /* T1 */
    header_test("X-Score", "7");    /* T2 */
    load();
    sieve_session *s = sieve_session_new(NULL);
    static const pl_step plan[] = { { PL_ACT, 0 }, { PL_TEST, 1 }, { PL_TEST, 2 }, { PL_END, 0 } };
    const sieve_result *r = run_with(s, plan);
    ck_assert_ptr_null(sieve_result_error(r));
    ck_assert_int_eq(g_res[1], SIEVE_OK);
    ck_assert_int_eq(g_res[2], SIEVE_TRUE);
    const sieve_action *a = find(r, SIEVE_ACT_DELETEHEADER, 0);
    ck_assert_uint_eq(a->npatterns, 1);
    ck_assert_str_eq(a->patterns[0], "4*");
    sieve_session_free(&s);
}
END_TEST

START_TEST(protected_fields_from_settings)
{
    pb_action(&B, (pb_a){ .kind = SIEVE_ACT_DELETEHEADER, .a0 = pb_value(&B, "X-Score") });
    pb_action(&B, (pb_a){ .kind = SIEVE_ACT_ADDHEADER, .a0 = pb_value(&B, "x-score"),
                          .a1 = pb_value(&B, "99") });
    pb_action(&B, (pb_a){ .kind = SIEVE_ACT_DELETEHEADER, .a0 = pb_value(&B, "Received") });
    pb_action(&B, (pb_a){ .kind = SIEVE_ACT_ADDHEADER, .a0 = pb_value(&B, "Received"),
                          .a1 = pb_value(&B, "by sieve") });
    header_test("X-Score", "42");
    load();
    sieve_settings st = { .editheader_protected = "Auto-Submitted X-Score" };
    sieve_session *s = sieve_session_new(&st);
    static const pl_step plan[] = { { PL_ACT, 0 }, { PL_ACT, 1 }, { PL_ACT, 2 }, { PL_ACT, 3 },
                                    { PL_TEST, 0 }, { PL_END, 0 } };
    const sieve_result *r = run_with(s, plan);
    ck_assert_ptr_null(sieve_result_error(r));
    ck_assert_int_eq(g_res[0], SIEVE_TRUE);
    /* Only adding Received was allowed and recorded. */
    ck_assert_ptr_null(find(r, SIEVE_ACT_DELETEHEADER, 0));
    const sieve_action *a = find(r, SIEVE_ACT_ADDHEADER, 0);
    ck_assert_ptr_nonnull(a);
    ck_assert_str_eq(a->name, "Received");
    ck_assert_ptr_null(find(r, SIEVE_ACT_ADDHEADER, 1));
    const char *h = sieve_result_header(r, NULL);
    ck_assert_ptr_nonnull(strstr(h, "Received: from a.example.org"));
    ck_assert_ptr_nonnull(strstr(h, "X-Score: 42"));
    sieve_session_free(&s);
}
END_TEST

START_TEST(edits_are_bounded_but_not_actions)
{
    pb_action(&B, (pb_a){ .kind = SIEVE_ACT_ADDHEADER, .a0 = pb_value(&B, "X-Many"),
                          .a1 = pb_value(&B, "x") });
    pb_action(&B, (pb_a){ .kind = SIEVE_ACT_KEEP });
    load();
    sieve_settings st = { .max_actions = 2 };
    sieve_session *s = sieve_session_new(&st);
    /* 100 edits and a keep fit although max_actions is 2. */
    pl_step *plan = calloc(400, sizeof *plan);
    for (int i = 0; i < 100; i++)
        plan[i] = (pl_step){ PL_ACT, 0 };
    plan[100] = (pl_step){ PL_ACT, 1 };
    const sieve_result *r = run_with(s, plan);
    ck_assert_ptr_null(sieve_result_error(r));
    ck_assert_uint_eq(sieve_result_count(r), 101);
    /* More than 256 is a run-time error, not a crash or an overflow. */
    for (int i = 0; i < 300; i++)
        plan[i] = (pl_step){ PL_ACT, 0 };
    plan[300] = (pl_step){ PL_END, 0 };
    r = run_with(s, plan);
    ck_assert_ptr_nonnull(sieve_result_error(r));
    ck_assert_ptr_nonnull(strstr(sieve_result_error(r), "header edits"));
    ck_assert_uint_eq(sieve_result_count(r), 1);   /* the implicit keep */
    ck_assert_ptr_null(sieve_result_header(r, NULL));
    free(plan);
    sieve_session_free(&s);
}
END_TEST

START_TEST(no_allocation_once_warm)
{
    pb_action(&B, (pb_a){ .kind = SIEVE_ACT_ADDHEADER, .a0 = pb_value(&B, "X-New"),
                          .a1 = pb_value(&B, "Gr\xc3\xbc\xc3\x9f" "e") });
    pb_action(&B, (pb_a){ .kind = SIEVE_ACT_DELETEHEADER, .a0 = pb_value(&B, "X-Score") });
    pb_action(&B, (pb_a){ .kind = SIEVE_ACT_ADDFLAG, .a1 = pb_list(&B, "\\Seen $X", NULL) });
    header_test("X-New", "Gr\xc3\xbc\xc3\x9f" "e");
    load();
    sieve_session *s = sieve_session_new(NULL);
    static const pl_step plan[] = { { PL_ACT, 0 }, { PL_ACT, 1 }, { PL_ACT, 2 }, { PL_TEST, 0 },
                                    { PL_END, 0 } };
    run_with(s, plan);
    ck_assert_int_eq(g_res[0], SIEVE_TRUE);
    uint64_t warm = sieve_session_mallocs(s);
    for (int i = 0; i < 20; i++)
        run_with(s, plan);
    ck_assert_uint_eq(sieve_session_mallocs(s), warm);
    sieve_session_free(&s);
}
END_TEST

/* ---- imap4flags ------------------------------------------------------------- */

START_TEST(internal_flags_reach_stores)
{
    pb_action(&B, (pb_a){ .kind = SIEVE_ACT_SETFLAG, .a1 = pb_list(&B, "\\Seen $A \\Recent", NULL) });
    pb_action(&B, (pb_a){ .kind = SIEVE_ACT_FILEINTO, .flags = SIEVE_AF_COPY,
                          .a0 = pb_value(&B, "Box") });
    pb_action(&B, (pb_a){ .kind = SIEVE_ACT_REMOVEFLAG, .a1 = pb_list(&B, "$a", NULL) });
    pb_action(&B, (pb_a){ .kind = SIEVE_ACT_FILEINTO, .flags = SIEVE_AF_COPY | SIEVE_AF_FLAGS_GIVEN,
                          .a0 = pb_value(&B, "Other"), .a1 = pb_list(&B, "$Given", NULL) });
    pb_test(&B, (pb_t){ .kind = SIEVE_TEST_HASFLAG, .cmp = SIEVE_CMP_ASCII_CASEMAP,
                        .flags = SIEVE_TF_KEYS_CONSTANT, .a1 = pb_list(&B, "\\seen", NULL) });
    load();
    sieve_session *s = sieve_session_new(NULL);
    static const pl_step plan[] = { { PL_ACT, 0 }, { PL_ACT, 1 }, { PL_ACT, 2 }, { PL_ACT, 3 },
                                    { PL_TEST, 0 }, { PL_END, 0 } };
    const sieve_result *r = run_with(s, plan);
    ck_assert_ptr_null(sieve_result_error(r));
    ck_assert_int_eq(g_res[0], SIEVE_TRUE);
    const sieve_action *a = find(r, SIEVE_ACT_FILEINTO, 0);
    ck_assert_uint_eq(a->nflags, 2);   /* \Recent cannot be stored */
    ck_assert_str_eq(a->flags[0], "\\Seen");
    ck_assert_str_eq(a->flags[1], "$A");
    a = find(r, SIEVE_ACT_FILEINTO, 1);
    ck_assert_uint_eq(a->nflags, 1);
    ck_assert_str_eq(a->flags[0], "$Given");
    a = find(r, SIEVE_ACT_KEEP, 0);
    ck_assert(a->implicit);
    ck_assert_uint_eq(a->nflags, 1);
    ck_assert_str_eq(a->flags[0], "\\Seen");
    sieve_session_free(&s);
}
END_TEST

START_TEST(flags_reset_between_messages_and_on_error)
{
    pb_action(&B, (pb_a){ .kind = SIEVE_ACT_ADDFLAG, .a1 = pb_list(&B, "$Once", NULL) });
    pb_action(&B, (pb_a){ .kind = SIEVE_ACT_ERROR, .a0 = pb_value(&B, "boom") });
    pb_test(&B, (pb_t){ .kind = SIEVE_TEST_HASFLAG, .match = SIEVE_MATCH_COUNT,
                        .cmp = SIEVE_CMP_ASCII_NUMERIC, .rel = SIEVE_REL_EQ,
                        .flags = SIEVE_TF_KEYS_CONSTANT, .a1 = pb_list(&B, "0", NULL) });
    load();
    sieve_session *s = sieve_session_new(NULL);
    static const pl_step p1[] = { { PL_TEST, 0 }, { PL_ACT, 0 }, { PL_END, 0 } };
    run_with(s, p1);
    ck_assert_int_eq(g_res[0], SIEVE_TRUE);
    run_with(s, p1);
    ck_assert_int_eq(g_res[0], SIEVE_TRUE);   /* a new message starts with none */
    static const pl_step p2[] = { { PL_ACT, 0 }, { PL_ACT, 1 }, { PL_END, 0 } };
    const sieve_result *r = run_with(s, p2);
    ck_assert_ptr_nonnull(sieve_result_error(r));
    /* RFC 5228 2.10.6: the implicit keep of a failed run, without flags. */
    ck_assert_uint_eq(sieve_result_action(r, 0)->nflags, 0);
    sieve_session_free(&s);
}
END_TEST

/* ---- mailbox, special-use, mailboxid ---------------------------------------- */

static bool cb_exists(void *d, const char *m)
{
    (void)d;
    return strcasecmp(m, "INBOX") == 0 || strcmp(m, "Work") == 0 || strcmp(m, "Spam") == 0;
}

static bool cb_use(void *d, const char *m, const char *use)
{
    (void)d;
    return strcasecmp(use, "\\Junk") == 0 && (!m || strcmp(m, "Spam") == 0);
}

static bool cb_id(void *d, const char *id)
{
    (void)d;
    return strcmp(id, "F42") == 0;
}

START_TEST(mailbox_tests_ask_the_settings)
{
    pb_test(&B, (pb_t){ .kind = SIEVE_TEST_MAILBOXEXISTS, .a0 = pb_list(&B, "INBOX", "Work", NULL) });
    pb_test(&B, (pb_t){ .kind = SIEVE_TEST_MAILBOXEXISTS, .a0 = pb_list(&B, "Work", "Nope", NULL) });
    pb_test(&B, (pb_t){ .kind = SIEVE_TEST_MAILBOXEXISTS, .extra = 1,
                        .a0 = pb_list(&B, "\\junk", NULL) });
    pb_test(&B, (pb_t){ .kind = SIEVE_TEST_MAILBOXEXISTS, .extra = 1,
                        .a0 = pb_list(&B, "\\Junk", NULL), .a1 = pb_value(&B, "Work") });
    pb_test(&B, (pb_t){ .kind = SIEVE_TEST_MAILBOXEXISTS, .extra = 1,
                        .a0 = pb_list(&B, "\\Junk", NULL), .a1 = pb_value(&B, "Spam") });
    pb_test(&B, (pb_t){ .kind = SIEVE_TEST_MAILBOXIDEXISTS, .a0 = pb_list(&B, "F42", NULL) });
    pb_test(&B, (pb_t){ .kind = SIEVE_TEST_MAILBOXIDEXISTS, .a0 = pb_list(&B, "F42", "F43", NULL) });
    pb_test(&B, (pb_t){ .kind = SIEVE_TEST_MAILBOXEXISTS, .extra = 1,
                        .a0 = pb_list(&B, "Junk", NULL) });
    load();
    static const pl_step plan[] = { { PL_TEST, 0 }, { PL_TEST, 1 }, { PL_TEST, 2 }, { PL_TEST, 3 },
                                    { PL_TEST, 4 }, { PL_TEST, 5 }, { PL_TEST, 6 }, { PL_TEST, 7 },
                                    { PL_END, 0 } };
    sieve_mailboxes mb = { .exists = cb_exists, .specialuse_exists = cb_use,
                           .mailboxid_exists = cb_id };
    sieve_settings st = { .mailboxes = &mb };
    sieve_session *s = sieve_session_new(&st);
    run_with(s, plan);
    static const int32_t want[] = { SIEVE_TRUE, SIEVE_OK, SIEVE_TRUE, SIEVE_OK,
                                    SIEVE_TRUE, SIEVE_TRUE, SIEVE_OK, SIEVE_OK };
    for (int i = 0; i < 8; i++)
        ck_assert_msg(g_res[i] == want[i], "test %d: %d", i, g_res[i]);
    sieve_session_free(&s);
    /* No mailbox information: every one of them is false. */
    s = sieve_session_new(NULL);
    run_with(s, plan);
    for (int i = 0; i < 8; i++)
        ck_assert_int_eq(g_res[i], SIEVE_OK);
    sieve_session_free(&s);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("ext_flags");
    TCase *tc = tcase_create("editheader");
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_add_test(tc, edits_change_the_view);
    tcase_add_test(tc, before_the_first_test_the_view_is_unchanged);
    tcase_add_test(tc, deleteheader_patterns_through_the_match_record);
    tcase_add_test(tc, protected_fields_from_settings);
    tcase_add_test(tc, edits_are_bounded_but_not_actions);
    tcase_add_test(tc, no_allocation_once_warm);
    suite_add_tcase(s, tc);
    tc = tcase_create("imap4flags");
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_add_test(tc, internal_flags_reach_stores);
    tcase_add_test(tc, flags_reset_between_messages_and_on_error);
    suite_add_tcase(s, tc);
    tc = tcase_create("mailbox");
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_add_test(tc, mailbox_tests_ask_the_settings);
    suite_add_tcase(s, tc);
    SRunner *sr = srunner_create(s);
    srunner_run_all(sr, CK_NORMAL);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
