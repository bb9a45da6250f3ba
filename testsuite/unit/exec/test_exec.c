/* Unit tests of the executor: program tables built by hand (progbuild.h),
 * a plan-driven entry function, run on messages through the public API. */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "program.h"
#include "progbuild.h"
#include "sieve/sieve.h"

static pb B;
static sieve_filter *F;
static sieve_session *S;
static char ERR[512];

static const char MSG[] =
    "From: \"Joe\" <Joe.Doe+list@Example.COM>, bob@b.org\r\n"
    "To: x@y.z\r\n"
    "Subject: Hello World\r\n"
    "X-Score: 42\r\n"
    "X-Score: 7\r\n"
    "X-Enc: =?utf-8?q?caf=C3=A9?=\r\n"
    "Content-Type: multipart/mixed; boundary=\"b\"\r\n"
    "\r\n"
    "pre\r\n"
    "--b\r\n"
    "Content-Type: text/plain\r\n"
    "\r\n"
    "plain text here\r\n"
    "--b\r\n"
    "Content-Type: text/html\r\n"
    "\r\n"
    "<p>html &amp; stuff</p>\r\n"
    "--b--\r\n";

static void setup(void)
{
    pb_init(&B);
    F = NULL;
    S = sieve_session_new(NULL);
    ck_assert_ptr_nonnull(S);
}

static void teardown(void)
{
    sieve_filter_unref(&F);
    sieve_session_free(&S);
}

static void load(const char *const *headers)
{
    const sieve_abi_descriptor *d = pb_finish(&B, headers);
    ck_assert_msg(rt_filter_from_descriptor(d, &F, ERR, sizeof ERR) == 0, "%s", ERR);
}

static const sieve_result *run_env(const pl_step *plan, const char *msg, const sieve_envelope *env)
{
    const sieve_result *r;
    g_plan = plan;
    memset(g_res, 0x55, sizeof g_res);
    ck_assert_msg(sieve_run(S, F, msg, strlen(msg), env, &r, ERR, sizeof ERR) == 0, "%s", ERR);
    return r;
}

static const sieve_result *run(const pl_step *plan)
{
    return run_env(plan, MSG, NULL);
}

/* Evaluates test 0 alone. */
static int32_t eval1(void)
{
    static const pl_step plan[] = { { PL_TEST, 0 }, { PL_END, 0 } };
    run(plan);
    return g_res[0];
}

/* A one-test program: header/keys lists given. */
static int32_t header_test(uint32_t kind, uint32_t match, uint32_t cmp, uint32_t rel, uint32_t ap,
                           uint32_t names, uint32_t keys)
{
    pb_test(&B, (pb_t){ .kind = kind, .match = match, .cmp = cmp, .rel = rel, .ap = ap,
                        .flags = SIEVE_TF_KEYS_CONSTANT, .a0 = names, .a1 = keys });
    static const char *const hdrs[] = { "Subject", "From", "X-Score", NULL };
    load(hdrs);
    return eval1();
}

static const sieve_action *act(const sieve_result *r, size_t i)
{
    const sieve_action *a = sieve_result_action(r, i);
    ck_assert_ptr_nonnull(a);
    return a;
}

/* ---- header ------------------------------------------------------------ */

START_TEST(header_is_casemap)
{
    ck_assert_int_eq(header_test(SIEVE_TEST_HEADER, SIEVE_MATCH_IS, SIEVE_CMP_ASCII_CASEMAP, 0, 0,
                                 pb_list(&B, "subject", NULL), pb_list(&B, "x", "hello world", NULL)),
                     SIEVE_TRUE);
}
END_TEST

START_TEST(header_is_octet_false)
{
    ck_assert_int_eq(header_test(SIEVE_TEST_HEADER, SIEVE_MATCH_IS, SIEVE_CMP_OCTET, 0, 0,
                                 pb_list(&B, "Subject", NULL), pb_list(&B, "hello world", NULL)),
                     SIEVE_OK);
}
END_TEST

START_TEST(header_contains)
{
    ck_assert_int_eq(header_test(SIEVE_TEST_HEADER, SIEVE_MATCH_CONTAINS, SIEVE_CMP_OCTET, 0, 0,
                                 pb_list(&B, "Subject", NULL), pb_list(&B, "lo Wo", NULL)),
                     SIEVE_TRUE);
}
END_TEST

START_TEST(header_missing_false)
{
    ck_assert_int_eq(header_test(SIEVE_TEST_HEADER, SIEVE_MATCH_CONTAINS, SIEVE_CMP_OCTET, 0, 0,
                                 pb_list(&B, "X-None", NULL), pb_list(&B, "", NULL)),
                     SIEVE_OK);
}
END_TEST

START_TEST(header_decoded)
{
    /* RFC 5228 5.7 compares the decoded value (RFC 2047). */
    ck_assert_int_eq(header_test(SIEVE_TEST_HEADER, SIEVE_MATCH_IS, SIEVE_CMP_OCTET, 0, 0,
                                 pb_list(&B, "X-Enc", NULL), pb_list(&B, "caf\xc3\xa9", NULL)),
                     SIEVE_TRUE);
}
END_TEST

START_TEST(header_count)
{
    ck_assert_int_eq(header_test(SIEVE_TEST_HEADER, SIEVE_MATCH_COUNT, SIEVE_CMP_ASCII_NUMERIC,
                                 SIEVE_REL_EQ, 0, pb_list(&B, "X-Score", "Subject", NULL),
                                 pb_list(&B, "3", NULL)),
                     SIEVE_TRUE);
}
END_TEST

START_TEST(header_value_numeric)
{
    ck_assert_int_eq(header_test(SIEVE_TEST_HEADER, SIEVE_MATCH_VALUE, SIEVE_CMP_ASCII_NUMERIC,
                                 SIEVE_REL_GT, 0, pb_list(&B, "X-Score", NULL), pb_list(&B, "40", NULL)),
                     SIEVE_TRUE);
}
END_TEST

START_TEST(header_value_lt_false)
{
    ck_assert_int_eq(header_test(SIEVE_TEST_HEADER, SIEVE_MATCH_VALUE, SIEVE_CMP_ASCII_NUMERIC,
                                 SIEVE_REL_LT, 0, pb_list(&B, "X-Score", NULL), pb_list(&B, "7", NULL)),
                     SIEVE_OK);
}
END_TEST

START_TEST(header_index_last)
{
    /* :index 1 :last picks the second X-Score (7). */
    pb_test(&B, (pb_t){ .kind = SIEVE_TEST_HEADER, .match = SIEVE_MATCH_IS, .flags = SIEVE_TF_LAST,
                        .index = 1, .a0 = pb_list(&B, "X-Score", NULL), .a1 = pb_list(&B, "7", NULL) });
    pb_test(&B, (pb_t){ .kind = SIEVE_TEST_HEADER, .match = SIEVE_MATCH_IS, .index = 1,
                        .a0 = pb_list(&B, "X-Score", NULL), .a1 = pb_list(&B, "7", NULL) });
    load(NULL);
    static const pl_step plan[] = { { PL_TEST, 0 }, { PL_TEST, 1 }, { PL_END, 0 } };
    run(plan);
    ck_assert_int_eq(g_res[0], SIEVE_TRUE);
    ck_assert_int_eq(g_res[1], SIEVE_OK);
}
END_TEST

/* Test 0 captures, action 0 files into the template. */
static const sieve_action *capture_into(uint32_t match, const char *key, const char *tmpl)
{
    pb_test(&B, (pb_t){ .kind = SIEVE_TEST_HEADER, .match = match, .cmp = SIEVE_CMP_ASCII_CASEMAP,
                        .flags = SIEVE_TF_KEYS_CONSTANT | SIEVE_TF_CAPTURE,
                        .a0 = pb_list(&B, "Subject", NULL), .a1 = pb_list(&B, key, NULL) });
    pb_action(&B, (pb_a){ .kind = SIEVE_ACT_FILEINTO, .a0 = pb_value(&B, tmpl) });
    load(NULL);
    static const pl_step plan[] = { { PL_TEST, 0 }, { PL_IF, 0 }, { PL_END, 0 } };
    const sieve_result *r = run(plan);
    ck_assert_ptr_null(sieve_result_error(r));
    ck_assert_uint_eq(sieve_result_count(r), 1);
    return act(r, 0);
}

START_TEST(capture_matches)
{
    const sieve_action *a = capture_into(SIEVE_MATCH_MATCHES, "h*o ?orld", "[${m0}|${m1}|${m2}|${m3}]");
    ck_assert_int_eq(a->kind, SIEVE_ACT_FILEINTO);
    ck_assert_str_eq(a->mailbox, "[Hello World|ell|W|]");
}
END_TEST

START_TEST(capture_regex)
{
    const sieve_action *a = capture_into(SIEVE_MATCH_REGEX, "^([a-z]+) (w.*)$", "${m2}-${m1}");
    ck_assert_str_eq(a->mailbox, "World-Hello");
}
END_TEST

START_TEST(capture_failed_keeps_previous)
{
    /* RFC 5229 3.2: a failed match leaves the match variables alone. */
    pb_test(&B, (pb_t){ .kind = SIEVE_TEST_HEADER, .match = SIEVE_MATCH_MATCHES,
                        .flags = SIEVE_TF_KEYS_CONSTANT | SIEVE_TF_CAPTURE,
                        .a0 = pb_list(&B, "Subject", NULL), .a1 = pb_list(&B, "Hello *", NULL) });
    pb_test(&B, (pb_t){ .kind = SIEVE_TEST_HEADER, .match = SIEVE_MATCH_MATCHES,
                        .flags = SIEVE_TF_KEYS_CONSTANT | SIEVE_TF_CAPTURE,
                        .a0 = pb_list(&B, "To", NULL), .a1 = pb_list(&B, "nomatch*", NULL) });
    /* a successful :is does not touch them either */
    pb_test(&B, (pb_t){ .kind = SIEVE_TEST_HEADER, .match = SIEVE_MATCH_IS,
                        .flags = SIEVE_TF_KEYS_CONSTANT | SIEVE_TF_CAPTURE,
                        .a0 = pb_list(&B, "To", NULL), .a1 = pb_list(&B, "x@y.z", NULL) });
    pb_action(&B, (pb_a){ .kind = SIEVE_ACT_FILEINTO, .a0 = pb_value(&B, "${m1}") });
    load(NULL);
    static const pl_step plan[] = { { PL_TEST, 0 }, { PL_TEST, 1 }, { PL_TEST, 2 }, { PL_ACT, 0 },
                                    { PL_END, 0 } };
    const sieve_result *r = run(plan);
    ck_assert_int_eq(g_res[1], SIEVE_OK);
    ck_assert_int_eq(g_res[2], SIEVE_TRUE);
    ck_assert_str_eq(act(r, 0)->mailbox, "World");
}
END_TEST

START_TEST(no_capture_without_flag)
{
    pb_test(&B, (pb_t){ .kind = SIEVE_TEST_HEADER, .match = SIEVE_MATCH_MATCHES,
                        .flags = SIEVE_TF_KEYS_CONSTANT,
                        .a0 = pb_list(&B, "Subject", NULL), .a1 = pb_list(&B, "Hello *", NULL) });
    pb_action(&B, (pb_a){ .kind = SIEVE_ACT_FILEINTO, .a0 = pb_value(&B, "x${m1}") });
    load(NULL);
    static const pl_step plan[] = { { PL_TEST, 0 }, { PL_IF, 0 }, { PL_END, 0 } };
    ck_assert_str_eq(act(run(plan), 0)->mailbox, "x");
}
END_TEST

START_TEST(variable_keys_and_names)
{
    /* set v0 "World"; set v1 "subject"; header :contains "${v1}" "${v0}" */
    B.nvars = 2;
    pb_action(&B, (pb_a){ .kind = SIEVE_ACT_SET, .number = 0, .a0 = pb_value(&B, "World") });
    pb_action(&B, (pb_a){ .kind = SIEVE_ACT_SET, .number = 1, .a0 = pb_value(&B, "subject") });
    pb_test(&B, (pb_t){ .kind = SIEVE_TEST_HEADER, .match = SIEVE_MATCH_CONTAINS,
                        .a0 = pb_list(&B, "${v1}", NULL), .a1 = pb_list(&B, "${v0}", NULL) });
    pb_test(&B, (pb_t){ .kind = SIEVE_TEST_HEADER, .match = SIEVE_MATCH_REGEX,
                        .a0 = pb_list(&B, "${v1}", NULL), .a1 = pb_list(&B, "${v0}$", NULL) });
    pb_test(&B, (pb_t){ .kind = SIEVE_TEST_EXISTS, .a0 = pb_list(&B, "${v1}", "To", NULL) });
    load(NULL);
    static const pl_step plan[] = { { PL_ACT, 0 }, { PL_ACT, 1 }, { PL_TEST, 0 }, { PL_TEST, 1 },
                                    { PL_TEST, 2 }, { PL_END, 0 } };
    run(plan);
    ck_assert_int_eq(g_res[0], SIEVE_TRUE);
    ck_assert_int_eq(g_res[1], SIEVE_TRUE);
    ck_assert_int_eq(g_res[2], SIEVE_TRUE);
}
END_TEST

START_TEST(variable_keys_bad_comparator_is_runtime_error)
{
    /* :contains with i;ascii-numeric and variable keys: refused at run time. */
    B.nvars = 1;
    pb_test(&B, (pb_t){ .kind = SIEVE_TEST_HEADER, .match = SIEVE_MATCH_CONTAINS,
                        .cmp = SIEVE_CMP_ASCII_NUMERIC, .a0 = pb_list(&B, "Subject", NULL),
                        .a1 = pb_list(&B, "${v0}", NULL), .line = 9 });
    load(NULL);
    static const pl_step plan[] = { { PL_TEST, 0 }, { PL_END, 0 } };
    const sieve_result *r = run(plan);
    ck_assert_ptr_nonnull(sieve_result_error(r));
    ck_assert_ptr_nonnull(strstr(sieve_result_error(r), "line 9"));
    ck_assert_uint_eq(sieve_result_count(r), 1);
    ck_assert(act(r, 0)->implicit);
}
END_TEST

START_TEST(constant_bad_comparator_refused_at_load)
{
    pb_test(&B, (pb_t){ .kind = SIEVE_TEST_HEADER, .match = SIEVE_MATCH_MATCHES,
                        .cmp = SIEVE_CMP_ASCII_NUMERIC, .flags = SIEVE_TF_KEYS_CONSTANT,
                        .a0 = pb_list(&B, "Subject", NULL), .a1 = pb_list(&B, "*", NULL) });
    const sieve_abi_descriptor *d = pb_finish(&B, NULL);
    ck_assert_int_eq(rt_filter_from_descriptor(d, &F, ERR, sizeof ERR), -1);
    ck_assert(strlen(ERR) > 0);
}
END_TEST

START_TEST(bad_regex_refused_at_load)
{
    pb_test(&B, (pb_t){ .kind = SIEVE_TEST_HEADER, .match = SIEVE_MATCH_REGEX,
                        .flags = SIEVE_TF_KEYS_CONSTANT,
                        .a0 = pb_list(&B, "Subject", NULL), .a1 = pb_list(&B, "(a", NULL) });
    const sieve_abi_descriptor *d = pb_finish(&B, NULL);
    ck_assert_int_eq(rt_filter_from_descriptor(d, &F, ERR, sizeof ERR), -1);
}
END_TEST

START_TEST(relational_dynamic)
{
    B.nvars = 1;
    pb_action(&B, (pb_a){ .kind = SIEVE_ACT_SET, .number = 0, .a0 = pb_value(&B, "GE") });
    pb_test(&B, (pb_t){ .kind = SIEVE_TEST_HEADER, .match = SIEVE_MATCH_VALUE,
                        .cmp = SIEVE_CMP_ASCII_NUMERIC, .rel = SIEVE_REL_DYNAMIC,
                        .flags = SIEVE_TF_KEYS_CONSTANT, .a0 = pb_list(&B, "X-Score", NULL),
                        .a1 = pb_list(&B, "42", NULL), .a3 = pb_value(&B, "${v0}") });
    pb_action(&B, (pb_a){ .kind = SIEVE_ACT_SET, .number = 0, .a0 = pb_value(&B, "bogus") });
    load(NULL);
    static const pl_step plan[] = { { PL_ACT, 0 }, { PL_TEST, 0 }, { PL_ACT, 1 }, { PL_TEST, 0 },
                                    { PL_END, 0 } };
    const sieve_result *r = run(plan);
    ck_assert_ptr_nonnull(sieve_result_error(r));
    ck_assert_ptr_nonnull(strstr(sieve_result_error(r), "relational"));
    static const pl_step plan2[] = { { PL_ACT, 0 }, { PL_TEST, 0 }, { PL_END, 0 } };
    r = run(plan2);
    ck_assert_ptr_null(sieve_result_error(r));
    ck_assert_int_eq(g_res[0], SIEVE_TRUE);
}
END_TEST

/* ---- address / envelope -------------------------------------------------- */

START_TEST(address_parts)
{
    static const struct { uint32_t ap; const char *key; int32_t want; } cases[] = {
        { SIEVE_AP_ALL, "joe.doe+list@example.com", SIEVE_TRUE },
        { SIEVE_AP_LOCALPART, "joe.doe+list", SIEVE_TRUE },
        { SIEVE_AP_DOMAIN, "b.org", SIEVE_TRUE },
        { SIEVE_AP_USER, "joe.doe", SIEVE_TRUE },
        { SIEVE_AP_DETAIL, "list", SIEVE_TRUE },
        { SIEVE_AP_DETAIL, "", SIEVE_OK },       /* bob has no detail */
        { SIEVE_AP_DOMAIN, "y.z", SIEVE_OK },
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        teardown();
        setup();
        int32_t got = header_test(SIEVE_TEST_ADDRESS, SIEVE_MATCH_IS, SIEVE_CMP_ASCII_CASEMAP, 0,
                                  cases[i].ap, pb_list(&B, "from", NULL),
                                  pb_list(&B, cases[i].key, NULL));
        ck_assert_msg(got == cases[i].want, "case %zu: %d", i, got);
    }
}
END_TEST

START_TEST(address_count)
{
    ck_assert_int_eq(header_test(SIEVE_TEST_ADDRESS, SIEVE_MATCH_COUNT, SIEVE_CMP_ASCII_NUMERIC,
                                 SIEVE_REL_EQ, SIEVE_AP_ALL, pb_list(&B, "From", "To", NULL),
                                 pb_list(&B, "3", NULL)),
                     SIEVE_TRUE);
}
END_TEST

START_TEST(address_separator_setting)
{
    sieve_session_free(&S);
    sieve_settings set = { .subaddress_separators = "-" };
    S = sieve_session_new(&set);
    pb_test(&B, (pb_t){ .kind = SIEVE_TEST_ENVELOPE, .match = SIEVE_MATCH_IS, .ap = SIEVE_AP_DETAIL,
                        .flags = SIEVE_TF_KEYS_CONSTANT, .a0 = pb_list(&B, "to", NULL),
                        .a1 = pb_list(&B, "ext+x", NULL) });
    load(NULL);
    sieve_envelope env = { .mail_from = "a@b", .rcpt_to = "<user-ext+x@d.org>" };
    static const pl_step plan[] = { { PL_TEST, 0 }, { PL_END, 0 } };
    run_env(plan, MSG, &env);
    ck_assert_int_eq(g_res[0], SIEVE_TRUE);
}
END_TEST

static int32_t envelope_test(uint32_t ap, const char *part, const char *key, const sieve_envelope *env)
{
    pb_test(&B, (pb_t){ .kind = SIEVE_TEST_ENVELOPE, .match = SIEVE_MATCH_IS, .ap = ap,
                        .cmp = SIEVE_CMP_ASCII_CASEMAP, .flags = SIEVE_TF_KEYS_CONSTANT,
                        .a0 = pb_list(&B, part, NULL), .a1 = pb_list(&B, key, NULL) });
    load(NULL);
    static const pl_step plan[] = { { PL_TEST, 0 }, { PL_END, 0 } };
    run_env(plan, MSG, env);
    return g_res[0];
}

START_TEST(envelope_from_to)
{
    sieve_envelope env = { .mail_from = "<Sender@Ex.ORG>", .rcpt_to = "rcpt+d@ex.org" };
    ck_assert_int_eq(envelope_test(SIEVE_AP_ALL, "from", "sender@ex.org", &env), SIEVE_TRUE);
    teardown(); setup();
    ck_assert_int_eq(envelope_test(SIEVE_AP_DOMAIN, "FROM", "ex.org", &env), SIEVE_TRUE);
    teardown(); setup();
    ck_assert_int_eq(envelope_test(SIEVE_AP_USER, "to", "rcpt", &env), SIEVE_TRUE);
    teardown(); setup();
    ck_assert_int_eq(envelope_test(SIEVE_AP_DETAIL, "to", "d", &env), SIEVE_TRUE);
}
END_TEST

START_TEST(envelope_null_sender)
{
    sieve_envelope env = { .mail_from = "<>", .rcpt_to = "r@x" };
    ck_assert_int_eq(envelope_test(SIEVE_AP_ALL, "from", "", &env), SIEVE_TRUE);
    teardown(); setup();
    ck_assert_int_eq(envelope_test(SIEVE_AP_LOCALPART, "from", "", &env), SIEVE_TRUE);
    teardown(); setup();
    sieve_envelope env2 = { .mail_from = "", .rcpt_to = "r@x" };
    ck_assert_int_eq(envelope_test(SIEVE_AP_ALL, "from", "", &env2), SIEVE_TRUE);
}
END_TEST

START_TEST(envelope_unknown_and_auth)
{
    sieve_envelope env = { .rcpt_to = "r@x", .auth = "joe" };
    ck_assert_int_eq(envelope_test(SIEVE_AP_ALL, "from", "", &env), SIEVE_OK);
    teardown(); setup();
    ck_assert_int_eq(envelope_test(SIEVE_AP_ALL, "auth", "JOE", &env), SIEVE_TRUE);
    teardown(); setup();
    ck_assert_int_eq(envelope_test(SIEVE_AP_ALL, "orcpt", "", &env), SIEVE_OK);
    teardown(); setup();
    ck_assert_int_eq(envelope_test(SIEVE_AP_ALL, "to", "r@x", NULL), SIEVE_OK);
}
END_TEST

/* ---- exists, size, body, string ----------------------------------------- */

START_TEST(exists_all_must_exist)
{
    pb_test(&B, (pb_t){ .kind = SIEVE_TEST_EXISTS, .a0 = pb_list(&B, "to", "subject", NULL) });
    pb_test(&B, (pb_t){ .kind = SIEVE_TEST_EXISTS, .a0 = pb_list(&B, "to", "x-nope", NULL) });
    static const char *const hdrs[] = { "To", "Subject", NULL };
    load(hdrs);
    static const pl_step plan[] = { { PL_TEST, 0 }, { PL_TEST, 1 }, { PL_END, 0 } };
    run(plan);
    ck_assert_int_eq(g_res[0], SIEVE_TRUE);
    ck_assert_int_eq(g_res[1], SIEVE_OK);
}
END_TEST

START_TEST(size_over_under)
{
    uint32_t len = (uint32_t)strlen(MSG);
    pb_test(&B, (pb_t){ .kind = SIEVE_TEST_SIZE_OVER, .extra = len - 1 });
    pb_test(&B, (pb_t){ .kind = SIEVE_TEST_SIZE_OVER, .extra = len });
    pb_test(&B, (pb_t){ .kind = SIEVE_TEST_SIZE_UNDER, .extra = len + 1 });
    pb_test(&B, (pb_t){ .kind = SIEVE_TEST_SIZE_UNDER, .extra = len });
    pb_test(&B, (pb_t){ .kind = SIEVE_TEST_SIZE_UNDER, .extra = 0, .a0 = 1 }); /* 4 GiB */
    load(NULL);
    static const pl_step plan[] = { { PL_TEST, 0 }, { PL_TEST, 1 }, { PL_TEST, 2 }, { PL_TEST, 3 },
                                    { PL_TEST, 4 }, { PL_END, 0 } };
    run(plan);
    ck_assert_int_eq(g_res[0], SIEVE_TRUE);
    ck_assert_int_eq(g_res[1], SIEVE_OK);
    ck_assert_int_eq(g_res[2], SIEVE_TRUE);
    ck_assert_int_eq(g_res[3], SIEVE_OK);
    ck_assert_int_eq(g_res[4], SIEVE_TRUE);
}
END_TEST

START_TEST(body_transforms)
{
    pb_test(&B, (pb_t){ .kind = SIEVE_TEST_BODY, .match = SIEVE_MATCH_CONTAINS, .extra = SIEVE_BT_RAW,
                        .flags = SIEVE_TF_KEYS_CONSTANT, .a1 = pb_list(&B, "<p>html", NULL) });
    pb_test(&B, (pb_t){ .kind = SIEVE_TEST_BODY, .match = SIEVE_MATCH_CONTAINS, .extra = SIEVE_BT_TEXT,
                        .flags = SIEVE_TF_KEYS_CONSTANT, .a1 = pb_list(&B, "<p>", NULL) });
    pb_test(&B, (pb_t){ .kind = SIEVE_TEST_BODY, .match = SIEVE_MATCH_CONTAINS, .extra = SIEVE_BT_TEXT,
                        .flags = SIEVE_TF_KEYS_CONSTANT, .a1 = pb_list(&B, "html & stuff", NULL) });
    pb_test(&B, (pb_t){ .kind = SIEVE_TEST_BODY, .match = SIEVE_MATCH_CONTAINS,
                        .extra = SIEVE_BT_CONTENT, .flags = SIEVE_TF_KEYS_CONSTANT,
                        .a0 = pb_list(&B, "text/plain", NULL), .a1 = pb_list(&B, "html", NULL) });
    pb_test(&B, (pb_t){ .kind = SIEVE_TEST_BODY, .match = SIEVE_MATCH_CONTAINS,
                        .extra = SIEVE_BT_CONTENT, .flags = SIEVE_TF_KEYS_CONSTANT,
                        .a0 = pb_list(&B, "text/html", NULL), .a1 = pb_list(&B, "<p>", NULL) });
    load(NULL);
    static const pl_step plan[] = { { PL_TEST, 0 }, { PL_TEST, 1 }, { PL_TEST, 2 }, { PL_TEST, 3 },
                                    { PL_TEST, 4 }, { PL_END, 0 } };
    run(plan);
    ck_assert_int_eq(g_res[0], SIEVE_TRUE);
    ck_assert_int_eq(g_res[1], SIEVE_OK);
    ck_assert_int_eq(g_res[2], SIEVE_TRUE);
    ck_assert_int_eq(g_res[3], SIEVE_OK);
    ck_assert_int_eq(g_res[4], SIEVE_TRUE);
}
END_TEST

START_TEST(string_test_count)
{
    /* RFC 5229 5: the empty string counts 0. */
    B.nvars = 1;
    pb_test(&B, (pb_t){ .kind = SIEVE_TEST_STRING, .match = SIEVE_MATCH_COUNT,
                        .cmp = SIEVE_CMP_ASCII_NUMERIC, .rel = SIEVE_REL_EQ,
                        .flags = SIEVE_TF_KEYS_CONSTANT, .a0 = pb_list(&B, "${v0}", "", "a", "b", NULL),
                        .a1 = pb_list(&B, "2", NULL) });
    pb_test(&B, (pb_t){ .kind = SIEVE_TEST_STRING, .match = SIEVE_MATCH_IS,
                        .flags = SIEVE_TF_KEYS_CONSTANT, .a0 = pb_list(&B, "${v0}", NULL),
                        .a1 = pb_list(&B, "", NULL) });
    load(NULL);
    static const pl_step plan[] = { { PL_TEST, 0 }, { PL_TEST, 1 }, { PL_END, 0 } };
    run(plan);
    ck_assert_int_eq(g_res[0], SIEVE_TRUE);
    ck_assert_int_eq(g_res[1], SIEVE_TRUE);
}
END_TEST

START_TEST(unicode_casemap)
{
    ck_assert_int_eq(header_test(SIEVE_TEST_HEADER, SIEVE_MATCH_IS, SIEVE_CMP_UNICODE_CASEMAP, 0, 0,
                                 pb_list(&B, "X-Enc", NULL), pb_list(&B, "CAF\xc3\x89", NULL)),
                     SIEVE_TRUE);
}
END_TEST

START_TEST(unsupported_kind)
{
    pb_test(&B, (pb_t){ .kind = SIEVE_TEST_VIRUSTEST, .flags = SIEVE_TF_KEYS_CONSTANT,
                        .a1 = pb_list(&B, "5", NULL), .line = 4 });
    load(NULL);
    static const pl_step plan[] = { { PL_TEST, 0 }, { PL_END, 0 } };
    const sieve_result *r = run(plan);
    ck_assert_ptr_nonnull(strstr(sieve_result_error(r), "not supported by this runtime"));
    ck_assert_ptr_nonnull(strstr(sieve_result_error(r), "line 4"));
}
END_TEST

/* ---- actions --------------------------------------------------------------- */

START_TEST(actions_basic)
{
    pb_action(&B, (pb_a){ .kind = SIEVE_ACT_FILEINTO, .flags = SIEVE_AF_COPY | SIEVE_AF_CREATE,
                          .a0 = pb_value(&B, "Lists"), .a1 = pb_list(&B, "\\Seen  $Junk", "\\Flagged", NULL) });
    pb_action(&B, (pb_a){ .kind = SIEVE_ACT_REDIRECT, .a0 = pb_value(&B, "Joe <joe@Example.org>") });
    pb_action(&B, (pb_a){ .kind = SIEVE_ACT_KEEP });
    load(NULL);
    static const pl_step plan[] = { { PL_ACT, 0 }, { PL_ACT, 1 }, { PL_ACT, 2 }, { PL_END, 0 } };
    const sieve_result *r = run(plan);
    ck_assert_ptr_null(sieve_result_error(r));
    ck_assert_uint_eq(sieve_result_count(r), 3);
    const sieve_action *a = act(r, 0);
    ck_assert_int_eq(a->kind, SIEVE_ACT_FILEINTO);
    ck_assert(a->copy && a->create && !a->implicit);
    ck_assert_str_eq(a->mailbox, "Lists");
    ck_assert_uint_eq(a->nflags, 3);
    ck_assert_str_eq(a->flags[0], "\\Seen");
    ck_assert_str_eq(a->flags[1], "$Junk");
    ck_assert_str_eq(a->flags[2], "\\Flagged");
    ck_assert_uint_eq(a->line, 100);
    ck_assert_int_eq(act(r, 1)->kind, SIEVE_ACT_REDIRECT);
    ck_assert_str_eq(act(r, 1)->address, "joe@example.org");
    ck_assert_int_eq(act(r, 2)->kind, SIEVE_ACT_KEEP);
    ck_assert(!act(r, 2)->implicit);
}
END_TEST

START_TEST(redirect_invalid_variable)
{
    B.nvars = 1;
    pb_action(&B, (pb_a){ .kind = SIEVE_ACT_SET, .number = 0, .a0 = pb_value(&B, "not an address") });
    pb_action(&B, (pb_a){ .kind = SIEVE_ACT_REDIRECT, .a0 = pb_value(&B, "${v0}"), .line = 12 });
    pb_action(&B, (pb_a){ .kind = SIEVE_ACT_DISCARD });
    load(NULL);
    static const pl_step plan[] = { { PL_ACT, 2 }, { PL_ACT, 0 }, { PL_ACT, 1 }, { PL_END, 0 } };
    const sieve_result *r = run(plan);
    ck_assert_ptr_nonnull(sieve_result_error(r));
    ck_assert_ptr_nonnull(strstr(sieve_result_error(r), "line 12"));
    ck_assert_ptr_nonnull(strstr(sieve_result_error(r), "redirect"));
    ck_assert_uint_eq(sieve_result_count(r), 1);
    ck_assert(act(r, 0)->implicit);
}
END_TEST

START_TEST(reject_reason_and_error_action)
{
    B.nvars = 1;
    pb_action(&B, (pb_a){ .kind = SIEVE_ACT_SET, .number = 0, .a0 = pb_value(&B, "spam") });
    pb_action(&B, (pb_a){ .kind = SIEVE_ACT_REJECT, .a0 = pb_value(&B, "no ${v0} here") });
    pb_action(&B, (pb_a){ .kind = SIEVE_ACT_ERROR, .a0 = pb_value(&B, "boom ${v0}"), .line = 7 });
    load(NULL);
    static const pl_step plan[] = { { PL_ACT, 0 }, { PL_ACT, 1 }, { PL_END, 0 } };
    const sieve_result *r = run(plan);
    ck_assert_uint_eq(sieve_result_count(r), 1);
    ck_assert_int_eq(act(r, 0)->kind, SIEVE_ACT_REJECT);
    ck_assert_str_eq(act(r, 0)->reason, "no spam here");
    static const pl_step plan2[] = { { PL_ACT, 0 }, { PL_ACT, 1 }, { PL_ACT, 2 }, { PL_END, 0 } };
    r = run(plan2);
    ck_assert_str_eq(sieve_result_error(r), "line 7: boom spam");
    ck_assert_uint_eq(sieve_result_count(r), 1);
    ck_assert_int_eq(act(r, 0)->kind, SIEVE_ACT_KEEP);
    ck_assert(act(r, 0)->implicit);
}
END_TEST

START_TEST(stop_and_implicit_keep)
{
    pb_action(&B, (pb_a){ .kind = SIEVE_ACT_FILEINTO, .flags = SIEVE_AF_COPY, .a0 = pb_value(&B, "A") });
    pb_action(&B, (pb_a){ .kind = SIEVE_ACT_DISCARD });
    load(NULL);
    static const pl_step plan[] = { { PL_ACT, 0 }, { PL_STOP, 0 }, { PL_ACT, 1 }, { PL_END, 0 } };
    const sieve_result *r = run(plan);
    ck_assert_uint_eq(sieve_result_count(r), 2);
    ck_assert_str_eq(act(r, 0)->mailbox, "A");
    ck_assert(act(r, 1)->implicit);
    ck_assert_str_eq(act(r, 1)->mailbox, "INBOX");
}
END_TEST

START_TEST(fileinto_invalid_utf8_variable)
{
    B.nvars = 1;
    pb_action(&B, (pb_a){ .kind = SIEVE_ACT_SET, .number = 0, .a0 = pb_value(&B, "bad\xff") });
    pb_action(&B, (pb_a){ .kind = SIEVE_ACT_FILEINTO, .a0 = pb_value(&B, "${v0}") });
    load(NULL);
    static const pl_step plan[] = { { PL_ACT, 0 }, { PL_ACT, 1 }, { PL_END, 0 } };
    const sieve_result *r = run(plan);
    ck_assert_ptr_nonnull(sieve_result_error(r));
}
END_TEST

START_TEST(limits_from_settings)
{
    sieve_session_free(&S);
    sieve_settings set = { .max_actions = 2, .max_redirects = 1 };
    S = sieve_session_new(&set);
    pb_action(&B, (pb_a){ .kind = SIEVE_ACT_REDIRECT, .a0 = pb_value(&B, "a@x.org") });
    pb_action(&B, (pb_a){ .kind = SIEVE_ACT_REDIRECT, .a0 = pb_value(&B, "b@x.org"), .line = 3 });
    pb_action(&B, (pb_a){ .kind = SIEVE_ACT_FILEINTO, .a0 = pb_value(&B, "A") });
    pb_action(&B, (pb_a){ .kind = SIEVE_ACT_FILEINTO, .a0 = pb_value(&B, "B"), .line = 5 });
    load(NULL);
    static const pl_step p1[] = { { PL_ACT, 0 }, { PL_ACT, 0 }, { PL_ACT, 1 }, { PL_END, 0 } };
    const sieve_result *r = run(p1);
    ck_assert_str_eq(sieve_result_error(r), "line 3: number of redirect actions exceeds policy limit (2 > 1)");
    static const pl_step p2[] = { { PL_ACT, 0 }, { PL_ACT, 2 }, { PL_ACT, 3 }, { PL_END, 0 } };
    r = run(p2);
    ck_assert_str_eq(sieve_result_error(r), "line 5: total number of actions exceeds policy limit (3 > 2)");
    ck_assert_uint_eq(sieve_result_count(r), 1);
    /* the session is reusable after an error */
    static const pl_step p3[] = { { PL_ACT, 2 }, { PL_END, 0 } };
    r = run(p3);
    ck_assert_ptr_null(sieve_result_error(r));
    ck_assert_uint_eq(sieve_result_count(r), 1);
    ck_assert_str_eq(act(r, 0)->mailbox, "A");
}
END_TEST


/* ---- hostile tables --------------------------------------------------------- */

static void build_valid(void)
{
    B.nvars = 2;
    pb_test(&B, (pb_t){ .kind = SIEVE_TEST_HEADER, .match = SIEVE_MATCH_MATCHES,
                        .flags = SIEVE_TF_KEYS_CONSTANT | SIEVE_TF_CAPTURE,
                        .a0 = pb_list(&B, "Subject", "${v1}", NULL), .a1 = pb_list(&B, "*o*", NULL) });
    pb_test(&B, (pb_t){ .kind = SIEVE_TEST_ADDRESS, .match = SIEVE_MATCH_IS, .ap = SIEVE_AP_DOMAIN,
                        .a0 = pb_list(&B, "From", NULL), .a1 = pb_list(&B, "${v0}", NULL) });
    pb_test(&B, (pb_t){ .kind = SIEVE_TEST_BODY, .match = SIEVE_MATCH_REGEX, .extra = SIEVE_BT_TEXT,
                        .flags = SIEVE_TF_KEYS_CONSTANT, .a1 = pb_list(&B, "te(x)t", NULL) });
    pb_action(&B, (pb_a){ .kind = SIEVE_ACT_SET, .number = 0, .flags = SIEVE_AF_MOD_UPPER,
                          .a0 = pb_value(&B, "${m1}") });
    pb_action(&B, (pb_a){ .kind = SIEVE_ACT_FILEINTO, .a0 = pb_value(&B, "f${v0}") });
    pb_action(&B, (pb_a){ .kind = SIEVE_ACT_REDIRECT, .a0 = pb_value(&B, "a${v1}@b.org") });
    static const char *const hdrs[] = { "Subject", "From", NULL };
    pb_finish(&B, hdrs);
}

static int try_prepare(void)
{
    sieve_filter *f = NULL;
    int rc = rt_filter_from_descriptor(&B.desc, &f, ERR, sizeof ERR);
    if (rc == 0) {
        static const pl_step plan[] = { { PL_TEST, 0 }, { PL_TEST, 1 }, { PL_TEST, 2 }, { PL_ACT, 0 },
                                        { PL_ACT, 1 }, { PL_ACT, 2 }, { PL_END, 0 } };
        const sieve_result *r;
        g_plan = plan;
        ck_assert_int_eq(sieve_run(S, f, MSG, strlen(MSG), NULL, &r, ERR, sizeof ERR), 0);
        ck_assert_uint_ge(sieve_result_count(r), 1);
        sieve_filter_unref(&f);
    } else {
        ck_assert_msg(strlen(ERR) > 0, "refused without a message");
    }
    return rc;
}

START_TEST(hostile_valid_baseline)
{
    build_valid();
    ck_assert_int_eq(try_prepare(), 0);
}
END_TEST

START_TEST(hostile_specific)
{
    static const struct { int word; uint32_t value; const char *msg; } cases[] = {
        { SIEVE_META_MAGIC, 0, "magic" },
        { SIEVE_META_STRPOOL, 0xFFFFFFF0u, "string pool" },
        { SIEVE_META_STRPOOL_BYTES, 0xFFFFFFFFu, "string pool" },
        { SIEVE_META_NTESTS, 0x7FFFFFFFu, "test" },
        { SIEVE_META_TESTS, 0xFFFFFFFFu, "test" },
        { SIEVE_META_NACTIONS, 1000, "action" },
        { SIEVE_META_HEADERS, 0xFFFFFF00u, "header" },
        { SIEVE_META_NVARS, 0xFFFFFFFFu, "variables" },
        { SIEVE_META_NVARS, 1, "slot" },      /* ${v1} now out of range */
        { SIEVE_META_NLOOPS, 5, "loop" },
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        teardown();
        setup();
        build_valid();
        B.out[cases[i].word] = cases[i].value;
        ck_assert_int_eq(try_prepare(), -1);
        ck_assert_msg(strstr(ERR, cases[i].msg), "case %zu: %s", i, ERR);
    }
    /* record-level damage */
    uint32_t t0 = B.out[SIEVE_META_TESTS], a0 = B.out[SIEVE_META_ACTIONS];
    static const struct { int rec; int word; uint32_t value; } recs[] = {
        { 0, SIEVE_TR_KIND, 0 }, { 0, SIEVE_TR_KIND, 999 }, { 0, SIEVE_TR_MATCH, 77 },
        { 0, SIEVE_TR_COMPARATOR, 9 }, { 0, SIEVE_TR_RELOP, 3 }, { 0, SIEVE_TR_ARG0, 0 },
        { 0, SIEVE_TR_ARG1, 0xFFFFFFFFu }, { 0, SIEVE_TR_ADDRPART, 44 }, { 2, SIEVE_TR_EXTRA, 9 },
        { 1, SIEVE_TR_FLAGS, SIEVE_TF_KEYS_CONSTANT }, /* keys hold a variable */
        { -1, SIEVE_AR_KIND, 0 }, { -1, SIEVE_AR_NUMBER, 2 }, { -1, SIEVE_AR_ARG0, 3 },
    };
    for (size_t i = 0; i < sizeof recs / sizeof recs[0]; i++) {
        teardown();
        setup();
        build_valid();
        uint32_t at = recs[i].rec >= 0 ? t0 + (uint32_t)recs[i].rec * SIEVE_TEST_WORDS + (uint32_t)recs[i].word
                                       : a0 + (uint32_t)recs[i].word;
        B.out[at] = recs[i].value;
        ck_assert_msg(try_prepare() == -1, "record case %zu accepted", i);
        ck_assert_ptr_nonnull(strstr(ERR, "invalid program table") ? ERR : strstr(ERR, "line"));
    }
    /* part damage: a string reference past the pool, a bad part kind */
    teardown();
    setup();
    build_valid();
    uint32_t list = B.out[t0 + SIEVE_TR_ARG1];
    uint32_t val = B.out[list + 1];
    B.out[val + 2] = 0xFFFFFF00u;
    ck_assert_int_eq(try_prepare(), -1);
    ck_assert_ptr_nonnull(strstr(ERR, "pool"));
    teardown();
    setup();
    build_valid();
    B.out[val + 1] = 7;
    ck_assert_int_eq(try_prepare(), -1);
    ck_assert_ptr_nonnull(strstr(ERR, "part kind"));
}
END_TEST

START_TEST(hostile_random_words)
{
    /* Any single-word change, and short tables: refused or run, never a
     * crash (ASan build checks the reads). */
    srand(12345);
    for (int iter = 0; iter < 3000; iter++) {
        teardown();
        setup();
        build_valid();
        int changes = 1 + rand() % 3;
        for (int k = 0; k < changes; k++) {
            uint32_t at = (uint32_t)rand() % B.nout;
            uint32_t v;
            switch (rand() % 4) {
            case 0: v = (uint32_t)rand(); break;
            case 1: v = (uint32_t)(rand() % 64); break;
            case 2: v = B.out[at] + 1; break;
            default: v = 0xFFFFFFFFu - (uint32_t)(rand() % 4); break;
            }
            B.out[at] = v;
        }
        try_prepare();
    }
    for (uint32_t n = 0; n < B.nout; n++) {
        teardown();
        setup();
        build_valid();
        B.desc.meta_words = n;
        try_prepare();
    }
}
END_TEST

/* ---- no allocation in the steady state --------------------------------------- */

START_TEST(no_allocation_steady_state)
{
    build_valid();
    ck_assert_int_eq(rt_filter_from_descriptor(&B.desc, &F, ERR, sizeof ERR), 0);
    /* Regex keys are prepared at load; TRE's per-match memory is outside the
     * session's count (regex.h), so the plan avoids test 2. */
    static const pl_step plan[] = { { PL_TEST, 0 }, { PL_IF, 0 }, { PL_TEST, 1 }, { PL_ACT, 1 },
                                    { PL_ACT, 2 }, { PL_END, 0 } };
    char msgs[8][600];
    for (int i = 0; i < 8; i++)
        snprintf(msgs[i], sizeof msgs[i],
                 "From: user%d@dom%d.example\r\nSubject: %s number %d\r\n\r\nbody text %d\r\n",
                 i, i % 3, i % 2 ? "hello" : "ciao", i, i);
    sieve_envelope env = { .mail_from = "a@b.c", .rcpt_to = "d@e.f" };
    const sieve_result *r;
    g_plan = plan;
    for (int i = 0; i < 50; i++)
        ck_assert_int_eq(sieve_run(S, F, msgs[i % 8], strlen(msgs[i % 8]), &env, &r, ERR, sizeof ERR), 0);
    uint64_t before = sieve_session_mallocs(S);
    for (int i = 0; i < 5000; i++) {
        ck_assert_int_eq(sieve_run(S, F, msgs[i % 8], strlen(msgs[i % 8]), &env, &r, ERR, sizeof ERR), 0);
        ck_assert_ptr_null(sieve_result_error(r));
    }
    ck_assert_uint_eq(sieve_session_mallocs(S), before);
}
END_TEST

START_TEST(arena_cap_is_runtime_error)
{
    sieve_session_free(&S);
    sieve_settings set = { .max_message_memory = 4096 };
    S = sieve_session_new(&set);
    pb_test(&B, (pb_t){ .kind = SIEVE_TEST_BODY, .match = SIEVE_MATCH_CONTAINS, .extra = SIEVE_BT_TEXT,
                        .flags = SIEVE_TF_KEYS_CONSTANT, .a1 = pb_list(&B, "zzz", NULL) });
    load(NULL);
    size_t n = 200000;
    char *big = malloc(n + 1);
    static const char head[] = "Subject: x\r\nContent-Transfer-Encoding: base64\r\n\r\n";
    memcpy(big, head, sizeof head - 1);
    for (size_t i = sizeof head - 1; i < n; i++)
        big[i] = (i % 77 == 76) ? '\n' : 'Q';
    big[n] = '\0';
    static const pl_step plan[] = { { PL_TEST, 0 }, { PL_END, 0 } };
    const sieve_result *r = run_env(plan, big, NULL);
    ck_assert_ptr_nonnull(sieve_result_error(r));
    ck_assert(act(r, 0)->implicit);
    free(big);
}
END_TEST

static Suite *exec_suite(void)
{
    Suite *s = suite_create("exec");
    TCase *tc = tcase_create("tests");
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_add_test(tc, header_is_casemap);
    tcase_add_test(tc, header_is_octet_false);
    tcase_add_test(tc, header_contains);
    tcase_add_test(tc, header_missing_false);
    tcase_add_test(tc, header_decoded);
    tcase_add_test(tc, header_count);
    tcase_add_test(tc, header_value_numeric);
    tcase_add_test(tc, header_value_lt_false);
    tcase_add_test(tc, header_index_last);
    tcase_add_test(tc, capture_matches);
    tcase_add_test(tc, capture_regex);
    tcase_add_test(tc, capture_failed_keeps_previous);
    tcase_add_test(tc, no_capture_without_flag);
    tcase_add_test(tc, variable_keys_and_names);
    tcase_add_test(tc, variable_keys_bad_comparator_is_runtime_error);
    tcase_add_test(tc, constant_bad_comparator_refused_at_load);
    tcase_add_test(tc, bad_regex_refused_at_load);
    tcase_add_test(tc, relational_dynamic);
    tcase_add_test(tc, address_parts);
    tcase_add_test(tc, address_count);
    tcase_add_test(tc, address_separator_setting);
    tcase_add_test(tc, envelope_from_to);
    tcase_add_test(tc, envelope_null_sender);
    tcase_add_test(tc, envelope_unknown_and_auth);
    tcase_add_test(tc, exists_all_must_exist);
    tcase_add_test(tc, size_over_under);
    tcase_add_test(tc, body_transforms);
    tcase_add_test(tc, string_test_count);
    tcase_add_test(tc, unicode_casemap);
    tcase_add_test(tc, unsupported_kind);
    suite_add_tcase(s, tc);
    tc = tcase_create("actions");
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_add_test(tc, actions_basic);
    tcase_add_test(tc, redirect_invalid_variable);
    tcase_add_test(tc, reject_reason_and_error_action);
    tcase_add_test(tc, stop_and_implicit_keep);
    tcase_add_test(tc, fileinto_invalid_utf8_variable);
    tcase_add_test(tc, limits_from_settings);
    suite_add_tcase(s, tc);
    tc = tcase_create("hostile");
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_set_timeout(tc, 120);
    tcase_add_test(tc, hostile_valid_baseline);
    tcase_add_test(tc, hostile_specific);
    tcase_add_test(tc, hostile_random_words);
    tcase_add_test(tc, no_allocation_steady_state);
    tcase_add_test(tc, arena_cap_is_runtime_error);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    SRunner *sr = srunner_create(exec_suite());
    srunner_run_all(sr, CK_NORMAL);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
