/* End to end: scripts compiled by the library sievec uses, loaded by the
 * runtime's loader (ELF shape, MAC, owner checks, content-addressed copy),
 * run on messages; the result's actions must be what RFC 5228 and the
 * extensions say. This is the contract between the code generator's
 * program table and the runtime's executor, checked on real files. */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "compile.h"
#include "sieve/sieve.h"

static char tmpdir[256], keyfile[320], cachedir[320];
static unsigned counter;

static void setup(void)
{
    if (tmpdir[0])
        return;
    snprintf(tmpdir, sizeof tmpdir, "/tmp/native-run.XXXXXX");
    ck_assert_ptr_nonnull(mkdtemp(tmpdir));
    snprintf(keyfile, sizeof keyfile, "%s/key", tmpdir);
    snprintf(cachedir, sizeof cachedir, "%s/cache", tmpdir);
    FILE *f = fopen(keyfile, "w");
    ck_assert_ptr_nonnull(f);
    fputs("f0e1d2c3b4a5968778695a4b3c2d1e0f00112233445566778899aabbccddeeff\n", f);
    fclose(f);
    chmod(keyfile, 0600);
}

/* Compiles and loads a script. */
static sieve_filter *load_script(const char *text)
{
    setup();
    char out[400];
    snprintf(out, sizeof out, "%s/s%u.so", tmpdir, counter++);
    source *src = source_from_memory("t.sieve", text, strlen(text));
    diag_sink *diag = diag_sink_new(0);
    compile_options co = { .output = EMIT_SHARED, .opt_level = 2, .key_file = keyfile };
    int st = sievec_compile_source(src, out, &co, diag);
    if (st != COMPILE_OK)
        diag_print_text(diag, stderr, false);
    ck_assert_int_eq(st, COMPILE_OK);
    diag_sink_free(&diag);
    source_free(&src);
    sieve_load_options lo = { .key_file = keyfile, .cache_dir = cachedir, .check_owner = true,
                              .owner = getuid() };
    sieve_filter *f = NULL;
    char err[512];
    int rc = sieve_filter_load(out, &lo, &f, err, sizeof err);
    ck_assert_msg(rc == 0, "load: %s", err);
    return f;
}

/* Runs and renders the result: "fileinto:Junk keep(implicit) ..." */
static void run(const sieve_filter *f, const char *msg, const char *from, const char *to, char *out,
                size_t outlen)
{
    sieve_session *s = sieve_session_new(NULL);
    ck_assert_ptr_nonnull(s);
    sieve_envelope env = { .mail_from = from, .rcpt_to = to };
    const sieve_result *r = NULL;
    char err[512];
    ck_assert_msg(sieve_run(s, f, msg, strlen(msg), &env, &r, err, sizeof err) == 0, "run: %s", err);
    out[0] = '\0';
    for (size_t i = 0; i < sieve_result_count(r); i++) {
        const sieve_action *a = sieve_result_action(r, i);
        size_t n = strlen(out);
        const char *sep = n ? " " : "";
        switch (a->kind) {
        case SIEVE_ACT_KEEP:
            snprintf(out + n, outlen - n, "%skeep%s", sep, a->implicit ? "(implicit)" : "");
            break;
        case SIEVE_ACT_FILEINTO:
            snprintf(out + n, outlen - n, "%sfileinto:%s%s", sep, a->mailbox, a->copy ? "(copy)" : "");
            break;
        case SIEVE_ACT_REDIRECT:
            snprintf(out + n, outlen - n, "%sredirect:%s%s", sep, a->address, a->copy ? "(copy)" : "");
            break;
        case SIEVE_ACT_DISCARD:
            snprintf(out + n, outlen - n, "%sdiscard", sep);
            break;
        case SIEVE_ACT_REJECT:
        case SIEVE_ACT_EREJECT:
            snprintf(out + n, outlen - n, "%s%s:%s", sep, a->kind == SIEVE_ACT_REJECT ? "reject" : "ereject",
                     a->reason);
            break;
        default:
            snprintf(out + n, outlen - n, "%skind%d", sep, (int)a->kind);
        }
    }
    if (sieve_result_error(r)) {
        size_t n = strlen(out);
        snprintf(out + n, outlen - n, " ERROR");
    }
    sieve_session_free(&s);
}

static const char *const msg_spam =
    "From: Lucky <winner@spam.example>\r\n"
    "To: me@example.net\r\n"
    "Subject: You won the LOTTERY\r\n"
    "X-Spam-Score: 12\r\n"
    "List-Id: Foo list <foo.lists.example.org>\r\n"
    "Received: a\r\nReceived: b\r\nReceived: c\r\n"
    "\r\n"
    "Claim your prize now.\r\n";

static const char *const msg_plain =
    "From: Boss <boss@example.org>\r\n"
    "To: me@example.net\r\n"
    "Subject: meeting\r\n"
    "\r\n"
    "See you at 10.\r\n";

static const struct e2e_case {
    const char *script, *msg, *from, *to, *want;
} cases[] = {
    /* RFC 5228 2.10.2: nothing happens, the implicit keep */
    { "", msg_plain, "a@b.c", "me@example.net", "keep(implicit)" },
    { "require \"fileinto\"; if header :contains \"subject\" \"lottery\" { fileinto \"Junk\"; }",
      msg_spam, "x@y.z", "me@example.net", "fileinto:Junk" },
    { "require \"fileinto\"; if header :contains \"subject\" \"lottery\" { fileinto \"Junk\"; }",
      msg_plain, "x@y.z", "me@example.net", "keep(implicit)" },
    /* elsif chain, stop (RFC 5228 3.1, 3.3) */
    { "require [\"reject\", \"relational\", \"comparator-i;ascii-numeric\"];\n"
      "if header :value \"ge\" :comparator \"i;ascii-numeric\" \"x-spam-score\" \"10\" {\n"
      "  reject \"spam\"; stop; }\n"
      "elsif true { discard; }\n"
      "keep;",
      msg_spam, "x@y.z", "me@example.net", "reject:spam" },
    { "keep; stop; discard;", msg_plain, "a@b.c", "me@example.net", "keep" },
    /* envelope, copy (RFC 3894) */
    { "require [\"envelope\", \"copy\"];\n"
      "if envelope :is \"from\" \"boss@example.org\" { redirect :copy \"me@example.com\"; }",
      msg_plain, "boss@example.org", "me@example.net", "redirect:me@example.com(copy) keep(implicit)" },
    /* allof/anyof/not, address parts */
    { "if allof (address :domain \"from\" \"spam.example\", not exists \"x-none\",\n"
      "          anyof (false, header :is \"to\" \"me@example.net\")) { discard; }",
      msg_spam, "a@b.c", "me@example.net", "discard" },
    /* variables, :matches capture (RFC 5229 3.2), modifiers */
    { "require [\"variables\", \"fileinto\"];\n"
      "if header :matches \"list-id\" \"*<*.lists.*>\" { set :upperfirst \"l\" \"${2}\"; }\n"
      "fileinto \"lists.${l}\";",
      msg_spam, "a@b.c", "me@example.net", "fileinto:lists.Foo" },
    /* subaddress on the envelope recipient (RFC 5233) */
    { "require [\"envelope\", \"subaddress\", \"fileinto\", \"variables\"];\n"
      "if envelope :detail :matches \"to\" \"*\" { fileinto \"plus.${1}\"; }",
      msg_plain, "a@b.c", "me+news@example.net", "fileinto:plus.news" },
    /* body (RFC 5173) */
    { "require \"body\"; if body :contains \"prize\" { discard; }", msg_spam, "a@b.c", "me@x.y", "discard" },
    /* size (RFC 5228 5.9) */
    { "if size :over 10K { discard; } if size :under 10K { keep; }", msg_plain, "a@b.c", "me@x.y", "keep" },
    /* relational :count (RFC 5231) */
    { "require [\"relational\", \"comparator-i;ascii-numeric\"];\n"
      "if header :count \"eq\" :comparator \"i;ascii-numeric\" \"received\" \"3\" { discard; }",
      msg_spam, "a@b.c", "me@x.y", "discard" },
    /* regex */
    { "require [\"regex\", \"fileinto\"]; if header :regex \"subject\" \"w[aeiou]n\" { fileinto \"R\"; }",
      msg_spam, "a@b.c", "me@x.y", "fileinto:R" },
    /* ereject conflicts with an earlier fileinto: a run-time error keeps (RFC 5429) */
    { "require [\"ereject\", \"fileinto\"]; fileinto \"A\"; ereject \"no\";", msg_plain, "a@b.c", "me@x.y",
      "keep(implicit) ERROR" },
    /* ihave folds at compile time */
    { "require \"ihave\"; if ihave \"spamtest\" { keep; } else { discard; }", msg_plain, "a@b.c",
      "me@x.y", "discard" },
};

START_TEST(test_case)
{
    const struct e2e_case *c = &cases[_i];
    sieve_filter *f = load_script(c->script);
    char got[1024];
    run(f, c->msg, c->from, c->to, got, sizeof got);
    ck_assert_msg(strcmp(got, c->want) == 0, "script:\n%s\ngot  '%s'\nwant '%s'", c->script, got, c->want);
    sieve_filter_unref(&f);
}
END_TEST

/* A script big enough to be split into parts and long chains. */
START_TEST(test_large)
{
    size_t cap = 1 << 20, n = 0;
    char *s = malloc(cap);
    ck_assert_ptr_nonnull(s);
    n += (size_t)snprintf(s + n, cap - n, "require \"fileinto\";\n");
    for (int i = 0; i < 1500; i++)
        n += (size_t)snprintf(s + n, cap - n, "if header :is \"x-h%d\" \"v\" { fileinto \"f%d\"; }\n", i, i);
    n += (size_t)snprintf(s + n, cap - n, "if header :is \"subject\" \"a\" { fileinto \"a\"; }\n");
    for (int i = 0; i < 1500; i++)
        n += (size_t)snprintf(s + n, cap - n, "elsif header :is \"subject\" \"t%d\" { fileinto \"t%d\"; stop; }\n", i, i);
    n += (size_t)snprintf(s + n, cap - n, "fileinto \"end\";\n");
    sieve_filter *f = load_script(s);
    char got[1024];
    run(f, "X-H1400: v\r\nSubject: t1234\r\n\r\nx\r\n", "a@b.c", "me@x.y", got, sizeof got);
    ck_assert_str_eq(got, "fileinto:f1400 fileinto:t1234");
    run(f, "Subject: none\r\n\r\nx\r\n", "a@b.c", "me@x.y", got, sizeof got);
    ck_assert_str_eq(got, "fileinto:end");
    sieve_filter_unref(&f);
    free(s);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("native-run");
    TCase *tc = tcase_create("run");
    tcase_set_timeout(tc, 120);
    tcase_add_loop_test(tc, test_case, 0, sizeof cases / sizeof cases[0]);
    tcase_add_test(tc, test_large);
    suite_add_tcase(s, tc);
    SRunner *sr = srunner_create(s);
    srunner_set_fork_status(sr, CK_NOFORK);
    srunner_run_all(sr, CK_NORMAL);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    if (tmpdir[0]) {
        char cmd[600];
        snprintf(cmd, sizeof cmd, "rm -rf '%s'", tmpdir);
        if (system(cmd) != 0)
            failed++;
    }
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
