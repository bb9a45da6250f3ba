/* Unit tests of include (RFC 6609) through the library API: scripts in a
 * temporary personal and global directory are compiled into one .so with
 * sievec_compile_file, which is dlopen'ed here and wrapped as a filter
 * (rt_filter_from_descriptor), then
 *   - the descriptor: the include records (sieve_filter_includes: name,
 *     location, flags, SHA-256 of each included file, missing :optional),
 *     the extension and header lists covering the included scripts, the
 *     global slots first;
 *   - the run: actions of all scripts in order, globals, return, stop;
 *   - the dependencies reported (compile_options.on_dependency);
 *   - resolution errors by ID. */
#include <check.h>
#include <dlfcn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "compile.h"
#include "exec.h"
#include "sha256.h"
#include "sieve/abi.h"
#include "sieve/sieve.h"

static char tmpdir[256], pdir[300], gdir[300], keyfile[300];
static unsigned counter;

static void write_file(const char *dir, const char *name, const char *text)
{
    char path[600];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    FILE *f = fopen(path, "w");
    ck_assert_ptr_nonnull(f);
    fputs(text, f);
    fclose(f);
}

static void setup(void)
{
    snprintf(tmpdir, sizeof tmpdir, "/tmp/test_include.XXXXXX");
    ck_assert_ptr_nonnull(mkdtemp(tmpdir));
    snprintf(pdir, sizeof pdir, "%s/personal", tmpdir);
    snprintf(gdir, sizeof gdir, "%s/global", tmpdir);
    ck_assert_int_eq(mkdir(pdir, 0700), 0);
    ck_assert_int_eq(mkdir(gdir, 0700), 0);
    snprintf(keyfile, sizeof keyfile, "%s/key", tmpdir);
    write_file(tmpdir, "key", "000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f\n");
    chmod(keyfile, 0600);
    write_file(gdir, "spam.sieve",
               "require \"fileinto\";\n"
               "if header :is \"X-Spam\" \"yes\" { fileinto \"Spam\"; stop; }\n");
    write_file(pdir, "lists.sieve",
               "require [\"include\", \"variables\", \"fileinto\"];\n"
               "global \"box\";\n"
               "if not exists \"List-Id\" { return; }\n"
               "fileinto \"${box}\";\n");
}

static void teardown(void)
{
    char cmd[400];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", tmpdir);
    ck_assert_int_eq(system(cmd), 0);
}

typedef struct built {
    char so[600];
    void *handle;
    const sieve_abi_descriptor *d;
    sieve_filter *f;
    int status;
    diag_sink *diag;
    char deps[2048];
} built;

static void on_dep(const char *path, void *ctx)
{
    built *b = ctx;
    const char *base = strrchr(path, '/');
    strncat(b->deps, base ? base + 1 : path, sizeof b->deps - strlen(b->deps) - 2);
    strcat(b->deps, " ");
}

/* Writes main.sieve into the personal directory and compiles it. */
static void build(built *b, const char *main_text, bool global_dir)
{
    memset(b, 0, sizeof *b);
    write_file(pdir, "main.sieve", main_text);
    char script[600];
    snprintf(script, sizeof script, "%s/main.sieve", pdir);
    snprintf(b->so, sizeof b->so, "%s/f%u.so", tmpdir, counter++);
    b->diag = diag_sink_new(0);
    compile_options co = { .output = EMIT_SHARED, .opt_level = 1, .key_file = keyfile,
                           .include_dir_global = global_dir ? gdir : NULL,
                           .on_dependency = on_dep, .dependency_ctx = b };
    source *src = NULL;
    b->status = sievec_compile_file(script, b->so, &co, b->diag, &src);
    source_free(&src);
    if (b->status != COMPILE_OK)
        return;
    b->handle = dlopen(b->so, RTLD_NOW | RTLD_LOCAL);
    ck_assert_msg(b->handle != NULL, "dlopen: %s", dlerror());
    b->d = dlsym(b->handle, SIEVE_ABI_DESCRIPTOR_SYMBOL);
    ck_assert_ptr_nonnull(b->d);
    char err[256];
    ck_assert_msg(rt_filter_from_descriptor(b->d, &b->f, err, sizeof err) == 0, "%s", err);
}

static void unbuild(built *b)
{
    sieve_filter_unref(&b->f);
    if (b->handle)
        dlclose(b->handle);
    diag_sink_free(&b->diag);
}

static const char *first_error_id(const built *b)
{
    for (size_t i = 0; i < diag_count(b->diag); i++)
        if (diag_get(b->diag, i)->severity == DIAG_ERROR)
            return diag_get(b->diag, i)->id;
    return "";
}

/* The actions of one run as "kind:mailbox ..." */
static void run(const built *b, const char *msg, char *out, size_t outlen)
{
    sieve_session *s = sieve_session_new(NULL);
    ck_assert_ptr_nonnull(s);
    const sieve_result *r = NULL;
    char err[256];
    ck_assert_int_eq(sieve_run(s, b->f, msg, strlen(msg), NULL, &r, err, sizeof err), 0);
    out[0] = '\0';
    if (sieve_result_error(r))
        snprintf(out, outlen, "error:%s ", sieve_result_error(r));
    for (size_t i = 0; i < sieve_result_count(r); i++) {
        const sieve_action *a = sieve_result_action(r, i);
        size_t n = strlen(out);
        snprintf(out + n, outlen - n, "%d:%s ", (int)a->kind, a->mailbox ? a->mailbox : "");
    }
    sieve_session_free(&s);
}

static const char MAIN[] =
    "require [\"include\", \"variables\", \"fileinto\"];\n"
    "global \"box\";\n"
    "set \"box\" \"Lists\";\n"
    "include :global \"spam\";\n"
    "include \"lists\";\n"
    "include :once \"lists\";\n"
    "include :optional \"missing\";\n"
    "fileinto \"End\";\n";

START_TEST(test_records)
{
    built b;
    build(&b, MAIN, true);
    ck_assert_int_eq(b.status, COMPILE_OK);
    sieve_include_info inc[8];
    size_t n = sieve_filter_includes(b.f, inc, 8);
    ck_assert_uint_eq(n, 4);
    ck_assert_str_eq(inc[0].name, "spam");
    ck_assert(inc[0].global && !inc[0].once && !inc[0].optional);
    ck_assert_uint_eq(inc[0].line, 4);
    ck_assert_str_eq(inc[1].name, "lists");
    ck_assert(!inc[1].global);
    ck_assert(inc[2].once);
    ck_assert_uint_eq(inc[1].script, inc[2].script);
    ck_assert_uint_ne(inc[0].script, inc[1].script);
    ck_assert_str_eq(inc[3].name, "missing");
    ck_assert(inc[3].optional);
    ck_assert_ptr_null(inc[3].sha256);
    /* The SHA-256 of the file that was compiled in. */
    char path[600];
    snprintf(path, sizeof path, "%s/spam.sieve", gdir);
    FILE *f = fopen(path, "rb");
    char buf[4096];
    size_t len = fread(buf, 1, sizeof buf, f);
    fclose(f);
    uint8_t sha[32];
    rt_sha256(buf, len, sha);
    ck_assert_ptr_nonnull(inc[0].sha256);
    ck_assert_mem_eq(inc[0].sha256, sha, 32);
    ck_assert_uint_eq(sieve_filter_includes(b.f, NULL, 0), 4);
    unbuild(&b);
}
END_TEST

START_TEST(test_descriptor_lists)
{
    built b;
    build(&b, "require \"include\";\ninclude :global \"spam\";\n", true);
    ck_assert_int_eq(b.status, COMPILE_OK);
    const rt_program *p = rt_filter_program(b.f);
    /* fileinto and the X-Spam header are only in the included script. */
    const uint32_t *w = p->w;
    bool fileinto = false, xspam = false;
    uint32_t el = w[SIEVE_META_EXTENSIONS], hl = w[SIEVE_META_HEADERS];
    for (uint32_t i = 0; i < rt_list_count(p, el); i++) {
        rt_str s;
        ck_assert(rt_value_const(p, rt_list_item(p, el, i), &s));
        fileinto |= s.len == 8 && memcmp(s.p, "fileinto", 8) == 0;
    }
    for (uint32_t i = 0; i < rt_list_count(p, hl); i++) {
        rt_str s;
        ck_assert(rt_value_const(p, rt_list_item(p, hl, i), &s));
        xspam |= s.len == 6 && memcmp(s.p, "x-spam", 6) == 0;
    }
    ck_assert(fileinto);
    ck_assert(xspam);
    ck_assert(b.d->needs & SIEVE_NEEDS_HEADERS);
    unbuild(&b);
}
END_TEST

START_TEST(test_globals_first)
{
    built b;
    build(&b, MAIN, true);
    ck_assert_int_eq(b.status, COMPILE_OK);
    const rt_program *p = rt_filter_program(b.f);
    ck_assert_uint_eq(p->w[SIEVE_META_NGLOBALS], 1);
    rt_str s;
    uint32_t vl = p->w[SIEVE_META_VARNAMES];
    ck_assert(rt_value_const(p, rt_list_item(p, vl, 0), &s));
    ck_assert_uint_eq(s.len, 10);
    ck_assert(memcmp(s.p, "global.box", 10) == 0);
    unbuild(&b);
}
END_TEST

START_TEST(test_run)
{
    built b;
    build(&b, MAIN, true);
    ck_assert_int_eq(b.status, COMPILE_OK);
    char out[512];
    run(&b, "Subject: a\r\n\r\nbody\r\n", out, sizeof out);
    ck_assert_str_eq(out, "2:End ");
    run(&b, "List-Id: <l.example.org>\r\n\r\nbody\r\n", out, sizeof out);
    ck_assert_str_eq(out, "2:Lists 2:End ");
    run(&b, "X-Spam: yes\r\nList-Id: <l.example.org>\r\n\r\nbody\r\n", out, sizeof out);
    ck_assert_str_eq(out, "2:Spam ");
    unbuild(&b);
}
END_TEST

START_TEST(test_dependencies)
{
    built b;
    build(&b, MAIN, true);
    ck_assert_int_eq(b.status, COMPILE_OK);
    ck_assert_str_eq(b.deps, "main.sieve spam.sieve lists.sieve ");
    unbuild(&b);
}
END_TEST

static const struct {
    const char *text;
    bool global_dir;
    const char *id;
} errors[] = {
    { "require \"include\";\ninclude \"main\";\n", true, "include-cycle" },
    { "require \"include\";\ninclude \"nope\";\n", true, "include-not-found" },
    { "require \"include\";\ninclude :global \"spam\";\n", false, "include-not-found" },
    { "require \"include\";\ninclude \".\";\n", true, "invalid-include-name" },
    { "require [\"include\", \"variables\"];\ninclude \"${x}\";\n", true,
      "include-name-not-constant" },
};

START_TEST(test_errors)
{
    built b;
    build(&b, errors[_i].text, errors[_i].global_dir);
    ck_assert_int_eq(b.status, COMPILE_SCRIPT_ERRORS);
    ck_assert_str_eq(first_error_id(&b), errors[_i].id);
    ck_assert_int_ne(access(b.so, F_OK), 0);
    unbuild(&b);
}
END_TEST

START_TEST(test_once_self_is_fine)
{
    built b;
    build(&b, "require [\"include\", \"fileinto\"];\ninclude :once \"main\";\nfileinto \"M\";\n",
          true);
    ck_assert_int_eq(b.status, COMPILE_OK);
    char out[256];
    run(&b, "Subject: a\r\n\r\nbody\r\n", out, sizeof out);
    ck_assert_str_eq(out, "2:M ");
    unbuild(&b);
}
END_TEST

static Suite *suite(void)
{
    Suite *s = suite_create("include");
    TCase *tc = tcase_create("include");
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_set_timeout(tc, 60);
    tcase_add_test(tc, test_records);
    tcase_add_test(tc, test_descriptor_lists);
    tcase_add_test(tc, test_globals_first);
    tcase_add_test(tc, test_run);
    tcase_add_test(tc, test_dependencies);
    tcase_add_loop_test(tc, test_errors, 0, sizeof errors / sizeof errors[0]);
    tcase_add_test(tc, test_once_self_is_fine);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    SRunner *sr = srunner_create(suite());
    srunner_run_all(sr, CK_NORMAL);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
