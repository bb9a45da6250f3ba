/* Unit tests of testsuite mode end to end: the registry gate, the code
 * generator's lowering of test blocks and test_fail, host records through
 * the real loader and runtime (sieve/host.h) with a fake host. */
#include <check.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "compile.h"
#include "registry.h"
#include "sieve/host.h"
#include "sieve/sieve.h"

static char tmpdir[256], keyfile[300], cachedir[300];
static unsigned counter;

static void setup_dir(void)
{
    if (tmpdir[0])
        return;
    snprintf(tmpdir, sizeof tmpdir, "/tmp/test_testsuite.XXXXXX");
    ck_assert_ptr_nonnull(mkdtemp(tmpdir));
    snprintf(keyfile, sizeof keyfile, "%s/key", tmpdir);
    snprintf(cachedir, sizeof cachedir, "%s/cache", tmpdir);
    mkdir(cachedir, 0700);
    FILE *f = fopen(keyfile, "w");
    ck_assert_ptr_nonnull(f);
    fputs("000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f\n", f);
    fclose(f);
    chmod(keyfile, 0600);
}

/* Compiles text (testsuite mode when ts) and loads it; returns the
 * compile status, *f_r set on success. */
static int build(const char *text, bool ts, sieve_filter **f_r, diag_sink **diag_r)
{
    setup_dir();
    char path[400];
    snprintf(path, sizeof path, "%s/f%u.so", tmpdir, counter++);
    source *src = source_from_memory("t.svtest", text, strlen(text));
    diag_sink *diag = diag_sink_new(0);
    compile_options co = { .output = EMIT_SHARED, .opt_level = 1, .key_file = keyfile,
                           .testsuite = ts };
    int st = sievec_compile_source(src, path, &co, diag);
    if (st == COMPILE_OK) {
        sieve_load_options lo = { .key_file = keyfile, .cache_dir = cachedir };
        char err[512];
        ck_assert_msg(sieve_filter_load(path, &lo, f_r, err, sizeof err) == 0, "%s", err);
    } else if (!diag_r) {
        for (size_t i = 0; i < diag_count(diag); i++)
            fprintf(stderr, "  [%s] %s\n", diag_get(diag, i)->id, diag_get(diag, i)->message);
    }
    if (diag_r)
        *diag_r = diag;
    else
        diag_sink_free(&diag);
    source_free(&src);
    unlink(path);
    return st;
}

/* ---- The fake host -------------------------------------------------------- */

typedef struct fake {
    char log[65536];
    const char *names[4];    /* what test_result_action matches */
    size_t nnames;
    char msg[256];
    unsigned fails;
} fake;

static void logf_(fake *h, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void logf_(fake *h, const char *fmt, ...)
{
    size_t n = strlen(h->log);
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(h->log + n, sizeof h->log - n, fmt, ap);
    va_end(ap);
}

static int32_t fake_command(void *data, sieve_host_call *c)
{
    fake *h = data;
    const char *a0 = sieve_host_call_arg(c, 0, NULL), *a1 = sieve_host_call_arg(c, 1, NULL);
    switch (sieve_host_call_id(c)) {
    case SIEVE_HOST_TEST_BEGIN: logf_(h, "B:%s ", a0); break;
    case SIEVE_HOST_TEST_END: logf_(h, "E:%s ", a0); break;
    case SIEVE_HOST_TEST_FAIL: h->fails++; logf_(h, "F:%s@%u ", a0, sieve_host_call_line(c)); break;
    case SIEVE_HOST_SET:
        logf_(h, "S:%s=%s ", a0, a1);
        if (strcmp(a0, "message") == 0) {
            snprintf(h->msg, sizeof h->msg, "%s", a1);
            ck_assert_int_eq(sieve_host_set_message(c, h->msg, strlen(h->msg)), 0);
        }
        break;
    case SIEVE_HOST_MESSAGE:
        logf_(h, "M:%s:%u ", a0 ? a0 : "smtp", sieve_host_call_number(c));
        break;
    case SIEVE_HOST_RESULT_RESET:
        sieve_host_result_reset(c);
        logf_(h, "R ");
        break;
    case SIEVE_HOST_CONFIG_SET: logf_(h, "C:%s=%s ", a0, a1); break;
    default: logf_(h, "?%u ", sieve_host_call_id(c)); break;
    }
    return SIEVE_OK;
}

static int32_t fake_test(void *data, sieve_host_call *c)
{
    fake *h = data;
    switch (sieve_host_call_id(c)) {
    case SIEVE_HOST_RESULT_ACTION: {
        const sieve_result *r = sieve_host_result(c);
        const char *v[40];
        size_t n = 0;
        for (size_t i = 0; i < sieve_result_count(r) && n < 40; i++)
            v[n++] = sieve_result_action(r, i)->kind == SIEVE_ACT_KEEP ? "keep" : "store";
        for (size_t i = 0; i < h->nnames && n < 40; i++)
            v[n++] = h->names[i];
        uint32_t ix = sieve_host_call_index(c);
        if (ix)
            return sieve_host_call_match(c, v + ix - 1, ix <= n ? 1 : 0);
        return sieve_host_call_match(c, v, n);
    }
    case SIEVE_HOST_SCRIPT_RUN: {
        sieve_action a = { .kind = SIEVE_ACT_FILEINTO, .mailbox = "Elsewhere", .line = 1 };
        char err[100];
        ck_assert_int_eq(sieve_host_result_append(c, &a, err, sizeof err), 0);
        logf_(h, "RUN%s ", (sieve_host_call_flags(c) & SIEVE_TF_APPEND_RESULT) ? "+" : "");
        return SIEVE_TRUE;
    }
    case SIEVE_HOST_SCRIPT_COMPILE:
        logf_(h, "SC:%s ", sieve_host_call_arg(c, 0, NULL));
        return SIEVE_TRUE;
    case SIEVE_HOST_MESSAGE_TEST:
        return SIEVE_OK;
    default:
        return SIEVE_OK;
    }
}

static const sieve_result *run_host(sieve_filter *f, fake *h, const char *msg)
{
    sieve_host host = { .data = h, .command = fake_command, .test = fake_test };
    sieve_settings st = { .host = h ? &host : NULL };
    static sieve_session *s;
    sieve_session_free(&s);
    s = sieve_session_new(&st);
    ck_assert_ptr_nonnull(s);
    const sieve_result *r = NULL;
    char err[256];
    ck_assert_int_eq(sieve_run(s, f, msg, strlen(msg), NULL, &r, err, sizeof err), 0);
    return r;
}

static const char MSG[] = "From: a@example.org\r\nSubject: first\r\n\r\nBody\r\n";

/* ---- Tests ----------------------------------------------------------------- */

START_TEST(test_registry_gate)
{
    ck_assert_ptr_null(reg_ext_lookup("vnd.dovecot.testsuite"));
    ck_assert_ptr_null(reg_def_lookup(REG_COMMAND, "test"));
    ck_assert_ptr_null(reg_def_lookup(REG_TEST, "test_result_action"));
    size_t plain = reg_def_count();
    ck_assert(!reg_testsuite_mode(true));
    ck_assert_ptr_nonnull(reg_ext_lookup("vnd.dovecot.testsuite"));
    ck_assert_ptr_nonnull(reg_def_lookup(REG_COMMAND, "test"));
    ck_assert_ptr_nonnull(reg_def_lookup(REG_COMMAND, "test_message"));
    ck_assert_ptr_nonnull(reg_def_lookup(REG_TEST, "test_message"));
    ck_assert_uint_gt(reg_def_count(), plain);
    ck_assert(reg_testsuite_mode(false));
    ck_assert_uint_eq(reg_def_count(), plain);
    ck_assert_ptr_null(reg_ext_lookup("vnd.dovecot.testsuite"));
}
END_TEST

START_TEST(test_normal_mode_refuses)
{
    sieve_filter *f = NULL;
    diag_sink *d = NULL;
    int st = build("require \"vnd.dovecot.testsuite\";\ntest \"x\" { test_fail \"y\"; }\n",
                   false, &f, &d);
    ck_assert_int_eq(st, COMPILE_SCRIPT_ERRORS);
    ck_assert_str_eq(diag_get(d, 0)->id, "unknown-extension");
    for (size_t i = 0; i < diag_count(d); i++)
        for (size_t k = 0; k < diag_get(d, i)->nnotes; k++)
            ck_assert_ptr_null(strstr(diag_get(d, i)->notes[k].message, "testsuite"));
    diag_sink_free(&d);
    ck_assert_ptr_null(f);
}
END_TEST

START_TEST(test_blocks_and_fail)
{
    sieve_filter *f = NULL;
    ck_assert_int_eq(build("require [\"vnd.dovecot.testsuite\", \"variables\"];\n"
                           "set \"v\" \"val\";\n"
                           "test \"one\" {\n"
                           "  if true { if not false { test_fail \"deep ${v}\"; } }\n"
                           "  test_fail \"not reached\";\n"
                           "}\n"
                           "test \"two\" { test_set \"envelope.from\" \"${v}@x\"; }\n"
                           "test_config_set \"k\" \"v\";\n",
                           true, &f, NULL), COMPILE_OK);
    fake h;
    memset(&h, 0, sizeof h);
    const sieve_result *r = run_host(f, &h, MSG);
    ck_assert_ptr_null(sieve_result_error(r));
    ck_assert_str_eq(h.log, "B:one F:deep val@4 E:one B:two S:envelope.from=val@x E:two C:k=v ");
    ck_assert_uint_eq(h.fails, 1);
    sieve_filter_unref(&f);
}
END_TEST

START_TEST(test_no_host)
{
    sieve_filter *f = NULL;
    ck_assert_int_eq(build("require \"vnd.dovecot.testsuite\";\ntest \"a\" { keep; }\n", true,
                           &f, NULL), COMPILE_OK);
    const sieve_result *r = run_host(f, NULL, MSG);
    ck_assert_ptr_nonnull(sieve_result_error(r));
    ck_assert_ptr_nonnull(strstr(sieve_result_error(r), "host"));
    /* RFC 5228 2.10.6: the implicit keep alone */
    ck_assert_uint_eq(sieve_result_count(r), 1);
    ck_assert(sieve_result_action(r, 0)->implicit);
    sieve_filter_unref(&f);
}
END_TEST

START_TEST(test_match_and_result)
{
    sieve_filter *f = NULL;
    ck_assert_int_eq(build("require [\"vnd.dovecot.testsuite\", \"relational\", "
                           "\"comparator-i;ascii-numeric\", \"fileinto\"];\n"
                           "test \"count\" {\n"
                           "  keep;\n"
                           "  if not test_result_action :count \"eq\" :comparator \"i;ascii-numeric\" \"3\""
                           " { test_fail \"count\"; }\n"
                           "  if not test_result_action :index 1 \"keep\" { test_fail \"index1\"; }\n"
                           "  if test_result_action :index 9 \"keep\" { test_fail \"index9\"; }\n"
                           "  if not test_result_action :contains \"redir\" { test_fail \"contains\"; }\n"
                           "  test_result_reset;\n"
                           "  if not test_result_action :count \"eq\" :comparator \"i;ascii-numeric\" \"2\""
                           " { test_fail \"reset\"; }\n"
                           "  if not test_script_run :append_result { test_fail \"run\"; }\n"
                           "  if not test_result_action :index 1 \"store\" { test_fail \"append\"; }\n"
                           "}\n",
                           true, &f, NULL), COMPILE_OK);
    fake h;
    memset(&h, 0, sizeof h);
    h.names[0] = "redirect";
    h.names[1] = "discard";
    h.nnames = 2;
    const sieve_result *r = run_host(f, &h, MSG);
    ck_assert_msg(sieve_result_error(r) == NULL, "%s", sieve_result_error(r));
    ck_assert_msg(h.fails == 0, "%s", h.log);
    ck_assert_str_eq(h.log, "B:count R RUN+ E:count ");
    /* fileinto "Elsewhere" appended by the host cancelled the implicit keep */
    ck_assert_uint_eq(sieve_result_count(r), 1);
    ck_assert_str_eq(sieve_result_action(r, 0)->mailbox, "Elsewhere");
    sieve_filter_unref(&f);
}
END_TEST

START_TEST(test_set_message)
{
    sieve_filter *f = NULL;
    ck_assert_int_eq(build("require \"vnd.dovecot.testsuite\";\n"
                           "test \"m\" {\n"
                           "  if not header :is \"subject\" \"first\" { test_fail \"before\"; }\n"
                           "  test_set \"message\" text:\r\nSubject: second\r\n\r\nx\r\n.\r\n;\n"
                           "  if not header :is \"subject\" \"second\" { test_fail \"after\"; }\n"
                           "  if exists \"from\" { test_fail \"old header\"; }\n"
                           "  if not size :under 30 { test_fail \"size\"; }\n"
                           "}\n",
                           true, &f, NULL), COMPILE_OK);
    fake h;
    memset(&h, 0, sizeof h);
    const sieve_result *r = run_host(f, &h, MSG);
    ck_assert_ptr_null(sieve_result_error(r));
    ck_assert_msg(h.fails == 0, "%s", h.log);
    sieve_filter_unref(&f);
}
END_TEST

/* Many blocks with failures: parts are outlined, and test_fail still ends
 * only its own block. */
START_TEST(test_many_blocks)
{
    size_t cap = 1 << 20, n = 0;
    char *s = malloc(cap);
    ck_assert_ptr_nonnull(s);
    n += (size_t)snprintf(s + n, cap - n, "require \"vnd.dovecot.testsuite\";\n");
    for (int i = 0; i < 400; i++)
        n += (size_t)snprintf(s + n, cap - n,
                              "test \"b%d\" { if header :contains \"subject\" \"%s\" "
                              "{ test_fail \"f\"; } keep; }\n",
                              i, i % 3 ? "zzz" : "fir");
    sieve_filter *f = NULL;
    ck_assert_int_eq(build(s, true, &f, NULL), COMPILE_OK);
    free(s);
    fake h;
    memset(&h, 0, sizeof h);
    const sieve_result *r = run_host(f, &h, MSG);
    ck_assert_ptr_null(sieve_result_error(r));
    ck_assert_uint_eq(h.fails, 134);   /* i = 0, 3, ..., 399 */
    ck_assert_ptr_nonnull(strstr(h.log, "B:b398 E:b398 B:b399 F:f@"));
    sieve_filter_unref(&f);
}
END_TEST

/* test_fail outside a block ends the script: an error, not a crash. */
START_TEST(test_fail_outside_block)
{
    sieve_filter *f = NULL;
    ck_assert_int_eq(build("require \"vnd.dovecot.testsuite\";\ntest_fail \"top\";\nkeep;\n", true,
                           &f, NULL), COMPILE_OK);
    fake h;
    memset(&h, 0, sizeof h);
    const sieve_result *r = run_host(f, &h, MSG);
    ck_assert_ptr_nonnull(sieve_result_error(r));
    ck_assert_uint_eq(h.fails, 1);
    sieve_filter_unref(&f);
}
END_TEST

START_TEST(test_bad_arguments)
{
    static const char *const bad[] = {
        "require \"vnd.dovecot.testsuite\";\ntest { }\n",
        "require \"vnd.dovecot.testsuite\";\ntest \"x\";\n",
        "require \"vnd.dovecot.testsuite\";\ntest_message :smtp :folder \"a\" 0;\n",
        "require \"vnd.dovecot.testsuite\";\ntest_set \"message\";\n",
        "require \"vnd.dovecot.testsuite\";\nif test_result_action :index \"x\" \"keep\" { }\n",
        "require \"vnd.dovecot.testsuite\";\ntest_result_execute;\n",
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        sieve_filter *f = NULL;
        diag_sink *d = NULL;
        ck_assert_msg(build(bad[i], true, &f, &d) == COMPILE_SCRIPT_ERRORS, "case %zu", i);
        diag_sink_free(&d);
        ck_assert_ptr_null(f);
    }
}
END_TEST

static Suite *suite(void)
{
    Suite *s = suite_create("testsuite");
    TCase *tc = tcase_create("core");
    tcase_set_timeout(tc, 120);
    tcase_add_test(tc, test_registry_gate);
    tcase_add_test(tc, test_normal_mode_refuses);
    tcase_add_test(tc, test_blocks_and_fail);
    tcase_add_test(tc, test_no_host);
    tcase_add_test(tc, test_match_and_result);
    tcase_add_test(tc, test_set_message);
    tcase_add_test(tc, test_many_blocks);
    tcase_add_test(tc, test_fail_outside_block);
    tcase_add_test(tc, test_bad_arguments);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    SRunner *sr = srunner_create(suite());
    srunner_run_all(sr, CK_NORMAL);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    if (tmpdir[0]) {
        char cmd[400];
        snprintf(cmd, sizeof cmd, "rm -rf '%s'", tmpdir);
        if (system(cmd) != 0)
            fprintf(stderr, "could not remove %s\n", tmpdir);
    }
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
