/* Unit tests for the diagnostics sink and its printers (diag.c). */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "diag.h"
#include "source.h"

static source *g_src;
static diag_sink *g_diag;

static void use(const char *text, size_t max_errors)
{
    source_free(&g_src);
    diag_sink_free(&g_diag);
    g_src = source_from_memory("f.sieve", text, strlen(text));
    g_diag = diag_sink_new(max_errors);
}

static void teardown(void)
{
    source_free(&g_src);
    diag_sink_free(&g_diag);
}

/* noinline: gcc 12 otherwise takes open_memstream's buffer for a dangling local. */
__attribute__((noinline)) static char *text_out(bool color)
{
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    diag_print_text(g_diag, f, color);
    fclose(f);
    return buf;
}

static char *jsonl_out(void)
{
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    diag_print_jsonl(g_diag, f);
    fclose(f);
    return buf;
}

static void expect_text(const char *want)
{
    char *got = text_out(false);
    ck_assert_str_eq(got, want);
    free(got);
}

START_TEST(caret_single)
{
    use("keep;\nkeep @;\n", 0);
    diag_error(g_diag, g_src, src_span_make(11, 12), "invalid-character", "unexpected character '%c'", '@');
    expect_text("f.sieve:2:6: error: unexpected character '@' [invalid-character]\n"
                "    keep @;\n"
                "         ^\n");
}
END_TEST

START_TEST(caret_range_and_line_end)
{
    use("fileinto \"Spam\";\n", 0);
    diag_error(g_diag, g_src, src_span_make(0, 8), "unknown-command", "unknown command 'fileinto'");
    expect_text("f.sieve:1:1: error: unknown command 'fileinto' [unknown-command]\n"
                "    fileinto \"Spam\";\n"
                "    ^~~~~~~~\n");

    /* A span running past the line end is cut at the line end. */
    use("x \"ab\ncd\";\n", 0);
    diag_error(g_diag, g_src, src_span_make(2, 9), "e", "m");
    expect_text("f.sieve:1:3: error: m [e]\n"
                "    x \"ab\n"
                "      ^~~\n");
}
END_TEST

START_TEST(caret_tabs_and_utf8)
{
    /* Tabs are echoed so the caret lines up whatever the tab width. */
    use("\tif\tx @", 0);
    diag_error(g_diag, g_src, src_span_make(6, 7), "e", "m");
    expect_text("f.sieve:1:7: error: m [e]\n"
                "    \tif\tx @\n"
                "    \t  \t  ^\n");

    /* Columns count characters, not bytes. */
    use("x \"caf\xc3\xa9\" @;", 0);
    diag_error(g_diag, g_src, src_span_make(9, 10), "e", "m");
    expect_text("f.sieve:1:9: error: m [e]\n"
                "    x \"caf\xc3\xa9\" @;\n"
                "            ^\n");

    /* A span over a multibyte character gets one caret, no tilde. */
    use("\xc3\xa9;", 0);
    diag_error(g_diag, g_src, src_span_make(0, 2), "e", "m");
    expect_text("f.sieve:1:1: error: m [e]\n"
                "    \xc3\xa9;\n"
                "    ^\n");
}
END_TEST

START_TEST(control_bytes_hidden)
{
    use("a\033[2Jb\x01;\n", 0);
    diag_error(g_diag, g_src, src_span_make(0, 1), "e", "m");
    expect_text("f.sieve:1:1: error: m [e]\n"
                "    a?[2Jb?;\n"
                "    ^\n");
}
END_TEST

START_TEST(notes)
{
    use("if true {\n  keep;\n", 0);
    diag_error(g_diag, g_src, src_span_make(17, 17), "unclosed-bracket", "unexpected end of input: missing '}'");
    diag_note(g_diag, g_src, src_span_make(8, 9), "'{' opened here");
    diag_note(g_diag, NULL, src_span_make(0, 0), "a hint without a place");
    expect_text("f.sieve:2:8: error: unexpected end of input: missing '}' [unclosed-bracket]\n"
                "      keep;\n"
                "           ^\n"
                "f.sieve:1:9: note: '{' opened here\n"
                "    if true {\n"
                "            ^\n"
                "f.sieve:2:8: note: a hint without a place\n");
    ck_assert_uint_eq(diag_count(g_diag), 1);
    ck_assert_uint_eq(diag_get(g_diag, 0)->nnotes, 2);
}
END_TEST

START_TEST(no_location)
{
    use("", 0);
    diag_error(g_diag, NULL, src_span_make(0, 0), "io", "cannot read %s", "x.sieve");
    expect_text("sievec: error: cannot read x.sieve [io]\n");
}
END_TEST

START_TEST(end_of_file_positions)
{
    /* An error at the very end, after the last line end. */
    use("keep;\n", 0);
    diag_error(g_diag, g_src, src_span_make(6, 6), "e", "m");
    expect_text("f.sieve:2:1: error: m [e]\n"
                "    \n"
                "    ^\n");
    /* Clamped past the end. */
    use("ab", 0);
    diag_error(g_diag, g_src, src_span_make(50, 60), "e", "m");
    char *got = text_out(false);
    ck_assert_ptr_nonnull(strstr(got, "f.sieve:1:3: error: m [e]\n"));
    free(got);
}
END_TEST

START_TEST(error_cap)
{
    use("a;\n", 2);
    for (int i = 0; i < 5; i++)
        diag_error(g_diag, g_src, src_span_make(0, 1), "e", "error %d", i);
    diag_note(g_diag, g_src, src_span_make(0, 1), "dropped with its record");
    ck_assert_uint_eq(diag_error_count(g_diag), 5);
    ck_assert_uint_eq(diag_count(g_diag), 2);
    ck_assert(diag_truncated(g_diag));
    ck_assert_uint_eq(diag_get(g_diag, 1)->nnotes, 0);
    ck_assert_ptr_null(diag_get(g_diag, 2));
    char *got = text_out(false);
    ck_assert_ptr_nonnull(strstr(got, "error 1 [e]"));
    ck_assert_ptr_null(strstr(got, "error 2"));
    const char *tail = "sievec: too many errors (5); only the first 2 are shown\n";
    ck_assert_str_eq(got + strlen(got) - strlen(tail), tail);
    free(got);
}
END_TEST

static bool only_unused(const char *id, void *ctx)
{
    (void)ctx;
    return strcmp(id, "unused") == 0;
}

START_TEST(warnings)
{
    use("a;\n", 0);
    diag_set_warning_filter(g_diag, only_unused, NULL);
    diag_warning(g_diag, g_src, src_span_make(0, 1), "style", "dropped");
    diag_note(g_diag, g_src, src_span_make(0, 1), "dropped too");
    diag_warning(g_diag, g_src, src_span_make(0, 1), "unused", "kept");
    ck_assert_uint_eq(diag_warning_count(g_diag), 1);
    ck_assert_uint_eq(diag_error_count(g_diag), 0);
    ck_assert_uint_eq(diag_count(g_diag), 1);
    ck_assert_int_eq(diag_get(g_diag, 0)->severity, DIAG_WARNING);
    expect_text("f.sieve:1:1: warning: kept [unused]\n"
                "    a;\n"
                "    ^\n");

    diag_set_warnings_as_errors(g_diag, true);
    diag_warning(g_diag, g_src, src_span_make(0, 1), "unused", "now an error");
    ck_assert_uint_eq(diag_error_count(g_diag), 1);
    ck_assert_int_eq(diag_get(g_diag, 1)->severity, DIAG_ERROR);
}
END_TEST

START_TEST(color)
{
    use("a;\n", 0);
    diag_error(g_diag, g_src, src_span_make(0, 1), "e", "m");
    char *got = text_out(true);
    ck_assert_ptr_nonnull(strstr(got, "\033[1;31merror:"));
    ck_assert_ptr_nonnull(strstr(got, "\033[1;32m^"));
    free(got);
    got = text_out(false);
    ck_assert_ptr_null(strchr(got, '\033'));
    free(got);
}
END_TEST

START_TEST(jsonl)
{
    use("if true {\n  keep \"a\tb\";\n", 0);
    diag_error(g_diag, g_src, src_span_make(12, 16), "syntax-error", "found \"x\"\\ and\ttab");
    diag_note(g_diag, g_src, src_span_make(8, 9), "'{' opened here");
    diag_error(g_diag, NULL, src_span_make(0, 0), "io", "no place");
    char *got = jsonl_out();
    const char *want =
        "{\"file\":\"f.sieve\",\"line\":2,\"column\":3,\"end_line\":2,\"end_column\":7,"
        "\"severity\":\"error\",\"id\":\"syntax-error\",\"message\":\"found \\\"x\\\"\\\\ and\\ttab\","
        "\"notes\":[{\"file\":\"f.sieve\",\"line\":1,\"column\":9,\"end_line\":1,\"end_column\":10,"
        "\"message\":\"'{' opened here\"}]}\n"
        "{\"file\":null,\"severity\":\"error\",\"id\":\"io\",\"message\":\"no place\",\"notes\":[]}\n";
    ck_assert_str_eq(got, want);
    free(got);
}
END_TEST

START_TEST(json_escape)
{
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    diag_json_escape(f, "a\0b\x1f\x7f\r\n\xc3\xa9", 9);
    fclose(f);
    ck_assert_str_eq(buf, "a\\u0000b\\u001f\\u007f\\r\\n\xc3\xa9");
    free(buf);
}
END_TEST

START_TEST(many_records)
{
    /* Unlimited sink: records grow without loss. */
    use("a;\n", 0);
    for (int i = 0; i < 5000; i++)
        diag_error(g_diag, g_src, src_span_make(0, 1), "e", "%d", i);
    ck_assert_uint_eq(diag_count(g_diag), 5000);
    ck_assert_str_eq(diag_get(g_diag, 4999)->message, "4999");
    ck_assert(!diag_truncated(g_diag));
}
END_TEST

START_TEST(note_at_same_place_has_no_second_excerpt)
{
    use("fileinto \"x\";\n", 0);
    diag_error(g_diag, g_src, src_span_make(0, 8), "missing-require", "unknown command 'fileinto'");
    diag_note(g_diag, g_src, src_span_make(0, 8), "'fileinto' needs require \"fileinto\"");
    expect_text("f.sieve:1:1: error: unknown command 'fileinto' [missing-require]\n"
                "    fileinto \"x\";\n"
                "    ^~~~~~~~\n"
                "f.sieve:1:1: note: 'fileinto' needs require \"fileinto\"\n");
}
END_TEST

/* A 10,000-byte line is shown as a window around the caret. */
START_TEST(long_line_window)
{
    char text[10010];
    memset(text, 'a', 10000);
    text[5000] = '@';
    strcpy(text + 10000, "\n");
    use(text, 0);
    diag_error(g_diag, g_src, src_span_make(5000, 5001), "invalid-character", "unexpected '@'");
    char *got = text_out(false);
    char *excerpt = strchr(got, '\n') + 1;
    char *caret_line = strchr(excerpt, '\n') + 1;
    ck_assert(strncmp(excerpt, "    ...", 7) == 0);
    ck_assert_uint_lt((size_t)(caret_line - excerpt), 200);
    /* The caret sits under the '@' of the window. */
    char *at = strchr(excerpt, '@');
    char *caret = strchr(caret_line, '^');
    ck_assert_ptr_nonnull(at);
    ck_assert_ptr_nonnull(caret);
    ck_assert_int_eq((int)(at - excerpt), (int)(caret - caret_line));
    free(got);
}
END_TEST

static Suite *diag_suite(void)
{
    Suite *s = suite_create("diag");
    TCase *tc = tcase_create("print");
    tcase_add_checked_fixture(tc, NULL, teardown);
    tcase_add_test(tc, caret_single);
    tcase_add_test(tc, caret_range_and_line_end);
    tcase_add_test(tc, caret_tabs_and_utf8);
    tcase_add_test(tc, control_bytes_hidden);
    tcase_add_test(tc, notes);
    tcase_add_test(tc, note_at_same_place_has_no_second_excerpt);
    tcase_add_test(tc, long_line_window);
    tcase_add_test(tc, no_location);
    tcase_add_test(tc, end_of_file_positions);
    tcase_add_test(tc, color);
    tcase_add_test(tc, jsonl);
    tcase_add_test(tc, json_escape);
    suite_add_tcase(s, tc);

    tc = tcase_create("sink");
    tcase_add_checked_fixture(tc, NULL, teardown);
    tcase_add_test(tc, error_cap);
    tcase_add_test(tc, warnings);
    tcase_add_test(tc, many_records);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    SRunner *sr = srunner_create(diag_suite());
    srunner_run_all(sr, CK_NORMAL);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
