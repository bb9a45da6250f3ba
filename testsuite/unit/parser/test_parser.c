/* Unit tests for the front end: scanner (lexer.l), grammar (parser.y),
 * tree building and limits (parse.c), and ast.c. */
#include <check.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "ast.h"
#include "diag.h"
#include "parse.h"

/* ---- Harness ------------------------------------------------------------ */

static source *g_src;
static diag_sink *g_diag;
static ast_script *g_script;
static size_t g_errors;
static sieve_limits g_lim;

static void reset(void)
{
    ast_script_free(&g_script);
    diag_sink_free(&g_diag);
    source_free(&g_src);
}

static void setup(void)
{
    sieve_limits_default(&g_lim);
}

static void teardown(void)
{
    reset();
}

static size_t parse_mem(const char *text, size_t len)
{
    reset();
    g_src = source_from_memory("t.sieve", text, len);
    g_diag = diag_sink_new(0);
    g_errors = parse_script(g_src, &g_lim, g_diag, &g_script);
    ck_assert_ptr_nonnull(g_script);
    ck_assert_uint_eq(g_errors, diag_error_count(g_diag));
    return g_errors;
}

/* For literals holding NUL bytes. */
#define PARSE_LIT(lit) parse_mem(lit, sizeof(lit) - 1)

static size_t parse(const char *text)
{
    return parse_mem(text, strlen(text));
}

static void parse_ok(const char *text)
{
    size_t n = parse(text);
    if (n) {
        diag_print_text(g_diag, stderr, false);
        ck_abort_msg("unexpected errors for: %s", text);
    }
}

static size_t count_id(const char *id)
{
    size_t n = 0;
    for (size_t i = 0; i < diag_count(g_diag); i++)
        if (strcmp(diag_get(g_diag, i)->id, id) == 0)
            n++;
    return n;
}

/* The only error is `id`, and its message contains `needle` (if given). */
static const diag_record *only_error(const char *id, const char *needle)
{
    if (g_errors != 1 || diag_count(g_diag) != 1) {
        diag_print_text(g_diag, stderr, false);
        ck_abort_msg("expected exactly one error %s, got %zu", id, g_errors);
    }
    const diag_record *r = diag_get(g_diag, 0);
    ck_assert_str_eq(r->id, id);
    if (needle && !strstr(r->message, needle))
        ck_abort_msg("message '%s' lacks '%s'", r->message, needle);
    return r;
}

static void at(uint32_t offset, unsigned line, unsigned col)
{
    unsigned l, c;
    source_position(g_src, offset, &l, &c);
    ck_assert_uint_eq(l, line);
    ck_assert_uint_eq(c, col);
}

static const ast_node *top(size_t i)
{
    ck_assert_uint_gt(g_script->top.count, i);
    return g_script->top.cmds[i];
}

static const ast_arg *arg(const ast_node *n, size_t i)
{
    ck_assert_uint_gt(n->nargs, i);
    return &n->args[i];
}

static char *dump(void)
{
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    ast_dump(g_script, f);
    fclose(f);
    return buf;
}

static char *repeat(const char *s, size_t n)
{
    size_t l = strlen(s);
    char *out = malloc(l * n + 1);
    for (size_t i = 0; i < n; i++)
        memcpy(out + i * l, s, l);
    out[l * n] = '\0';
    return out;
}

/* ---- Grammar ------------------------------------------------------------ */

START_TEST(empty_and_comments)
{
    parse_ok("");
    ck_assert_uint_eq(g_script->top.count, 0);
    parse_ok("  \t\r\n\n# only a comment\n/* and\n another */\n");
    ck_assert_uint_eq(g_script->top.count, 0);
    parse_ok("keep; # no newline at the end");
    ck_assert_uint_eq(g_script->top.count, 1);
    parse_ok("keep /* inside */ ; /***/ /* ** * / */ stop;#x");
    ck_assert_uint_eq(g_script->top.count, 2);
    ck_assert_str_eq(top(1)->name, "stop");
}
END_TEST

START_TEST(simple_command)
{
    parse_ok("keep;");
    const ast_node *n = top(0);
    ck_assert_int_eq(n->kind, AST_COMMAND);
    ck_assert_str_eq(n->name, "keep");
    ck_assert_uint_eq(n->nargs, 0);
    ck_assert_uint_eq(n->ntests, 0);
    ck_assert(!n->test_list);
    ck_assert_ptr_null(n->block);
    ck_assert_uint_eq(n->span.start, 0);
    ck_assert_uint_eq(n->span.end, 5);
    ck_assert_uint_eq(n->name_span.end, 4);
    parse_ok("_Under_9score;");
    ck_assert_str_eq(top(0)->name, "_Under_9score");
}
END_TEST

START_TEST(argument_kinds)
{
    parse_ok("x \"s\" 10 :Tag [\"a\", \"b\"] [\"one\"];");
    const ast_node *n = top(0);
    ck_assert_uint_eq(n->nargs, 5);
    ck_assert_int_eq(arg(n, 0)->kind, AST_ARG_STRING);
    ck_assert_str_eq(arg(n, 0)->u.string.text, "s");
    ck_assert_uint_eq(arg(n, 0)->u.string.len, 1);
    ck_assert(!arg(n, 0)->u.string.multiline);
    ck_assert_uint_eq(arg(n, 0)->span.start, 2);
    ck_assert_uint_eq(arg(n, 0)->span.end, 5);
    ck_assert_int_eq(arg(n, 1)->kind, AST_ARG_NUMBER);
    ck_assert_uint_eq(arg(n, 1)->u.number.value, 10);
    ck_assert_int_eq(arg(n, 2)->kind, AST_ARG_TAG);
    ck_assert_str_eq(arg(n, 2)->u.tag.name, "Tag");    /* spelling kept */
    ck_assert_int_eq(arg(n, 3)->kind, AST_ARG_STRING_LIST);
    ck_assert_uint_eq(arg(n, 3)->u.list.count, 2);
    ck_assert_str_eq(arg(n, 3)->u.list.items[0].text, "a");
    ck_assert_str_eq(arg(n, 3)->u.list.items[1].text, "b");
    ck_assert_uint_eq(arg(n, 3)->span.start, 14);
    ck_assert_uint_eq(arg(n, 3)->span.end, 24);
    ck_assert_uint_eq(arg(n, 3)->u.list.items[1].span.start, 20);
    /* A one-element list stays a list; only a bare string is a string. */
    ck_assert_int_eq(arg(n, 4)->kind, AST_ARG_STRING_LIST);
    ck_assert_uint_eq(arg(n, 4)->u.list.count, 1);
}
END_TEST

START_TEST(quoted_escapes)
{
    /* RFC 5228 2.4.2: \\ and \" are escapes; other backslashes are dropped. */
    parse_ok("x \"a\\\\b\\\"c\\d\\\\\";");
    ck_assert_str_eq(arg(top(0), 0)->u.string.text, "a\\b\"cd\\");
    ck_assert_uint_eq(arg(top(0), 0)->u.string.len, 7);
    parse_ok("x \"\";");
    ck_assert_str_eq(arg(top(0), 0)->u.string.text, "");
    ck_assert_uint_eq(arg(top(0), 0)->u.string.len, 0);
    /* Line ends inside quoted strings are kept as written. */
    parse_ok("x \"a\r\nb\nc\";");
    ck_assert_str_eq(arg(top(0), 0)->u.string.text, "a\r\nb\nc");
    /* Comment markers inside strings are text. */
    parse_ok("x \"# not /* a comment\";");
    ck_assert_str_eq(arg(top(0), 0)->u.string.text, "# not /* a comment");
    /* UTF-8 passes through. */
    parse_ok("x \"caf\xc3\xa9 \xf0\x9f\x93\xa7\";");
    ck_assert_str_eq(arg(top(0), 0)->u.string.text, "caf\xc3\xa9 \xf0\x9f\x93\xa7");
}
END_TEST

START_TEST(multiline_strings)
{
    parse_ok("x text:\nline one\n..dotted\n.kept\n\n.\n;");
    const ast_arg *a = arg(top(0), 0);
    ck_assert_int_eq(a->kind, AST_ARG_STRING);
    ck_assert(a->u.string.multiline);
    ck_assert_str_eq(a->u.string.text, "line one\r\n.dotted\r\n.kept\r\n\r\n");
    ck_assert_uint_eq(a->u.string.len, strlen("line one\r\n.dotted\r\n.kept\r\n\r\n"));
    ck_assert_uint_eq(a->span.start, 2);
    ck_assert_uint_eq(a->span.end, (uint32_t)strlen("x text:\nline one\n..dotted\n.kept\n\n."));

    /* Whitespace and a hash comment after "text:", CRLF input, any case. */
    parse_ok("x TEXT: \t# comment \"here\"\r\nA\r\n..\r\n.\r\n;");
    ck_assert_str_eq(arg(top(0), 0)->u.string.text, "A\r\n.\r\n");

    /* Empty, and lone CR line ends. */
    parse_ok("x text:\n.\n;");
    ck_assert_str_eq(arg(top(0), 0)->u.string.text, "");
    parse_ok("x text:\rA\r.\r;");
    ck_assert_str_eq(arg(top(0), 0)->u.string.text, "A\r\n");

    /* A multi-line string in a list, then more arguments. */
    parse_ok("x [text:\nA\n.\n, \"b\"] 2;");
    ck_assert_uint_eq(arg(top(0), 0)->u.list.count, 2);
    ck_assert_str_eq(arg(top(0), 0)->u.list.items[0].text, "A\r\n");
    ck_assert_uint_eq(arg(top(0), 1)->u.number.value, 2);

    /* Lines that look like syntax are text. */
    parse_ok("x text:\n\"}{;\n/* x\n# y\n. \n.\n;");
    ck_assert_str_eq(arg(top(0), 0)->u.string.text, "\"}{;\r\n/* x\r\n# y\r\n. \r\n");

    /* "text" alone is an identifier. */
    parse_ok("text;");
    ck_assert_str_eq(top(0)->name, "text");
}
END_TEST

START_TEST(numbers)
{
    parse_ok("x 0 10K 2M 3G 1k 1m 1g 18446744073709551615 17179869183G;");
    const ast_node *n = top(0);
    ck_assert_uint_eq(n->nargs, 9);
    ck_assert_uint_eq(arg(n, 0)->u.number.value, 0);
    ck_assert_uint_eq(arg(n, 1)->u.number.value, 10240);
    ck_assert_uint_eq(arg(n, 2)->u.number.value, 2u * 1024 * 1024);
    ck_assert_uint_eq(arg(n, 3)->u.number.value, 3ull << 30);
    ck_assert_uint_eq(arg(n, 4)->u.number.value, 1024);
    ck_assert_uint_eq(arg(n, 5)->u.number.value, 1u << 20);
    ck_assert_uint_eq(arg(n, 6)->u.number.value, 1u << 30);
    ck_assert_uint_eq(arg(n, 7)->u.number.value, UINT64_MAX);
    ck_assert_uint_eq(arg(n, 8)->u.number.value, 17179869183ull << 30);
    ck_assert_uint_eq(arg(n, 1)->span.end - arg(n, 1)->span.start, 3);

    /* "10q" is a number and a test, as in Pigeonhole. */
    parse_ok("x 10q;");
    ck_assert_uint_eq(top(0)->nargs, 1);
    ck_assert_uint_eq(top(0)->ntests, 1);
    ck_assert_str_eq(top(0)->tests[0]->name, "q");
}
END_TEST

START_TEST(number_overflow)
{
    parse("x 18446744073709551616;");
    only_error("number-too-large", "18446744073709551616");
    ck_assert_uint_eq(arg(top(0), 0)->u.number.value, UINT64_MAX);
    parse("x 17179869184G;");
    only_error("number-too-large", NULL);
    parse("x 99999999999999999999999999999999999999999999K;");
    only_error("number-too-large", NULL);
    parse("x 18014398509481984K;");
    only_error("number-too-large", NULL);
    parse("x 18014398509481983K;");
    ck_assert_uint_eq(g_errors, 0);
}
END_TEST

START_TEST(tests_and_blocks)
{
    parse_ok("if true { keep; }");
    const ast_node *n = top(0);
    ck_assert_uint_eq(n->ntests, 1);
    ck_assert(!n->test_list);
    ck_assert_int_eq(n->tests[0]->kind, AST_TEST);
    ck_assert_str_eq(n->tests[0]->name, "true");
    ck_assert_ptr_nonnull(n->block);
    ck_assert_uint_eq(n->block->count, 1);
    ck_assert_uint_eq(n->block->span.start, 8);
    ck_assert_uint_eq(n->block->span.end, 17);
    ck_assert_uint_eq(n->span.end, 17);

    /* A parenthesised single test is a test list. */
    parse_ok("if (true) {}");
    ck_assert(top(0)->test_list);
    ck_assert_uint_eq(top(0)->ntests, 1);
    ck_assert_uint_eq(top(0)->test_list_span.start, 3);
    ck_assert_uint_eq(top(0)->test_list_span.end, 9);
    ck_assert_uint_eq(top(0)->block->count, 0);

    parse_ok("if anyof (not exists \"a\", header :is \"b\" \"c\", allof(true, false)) { stop; }\n"
             "elsif size :over 1M { discard; } else { keep; }");
    ck_assert_uint_eq(g_script->top.count, 3);
    const ast_node *anyof = top(0)->tests[0];
    ck_assert_str_eq(anyof->name, "anyof");
    ck_assert(anyof->test_list);
    ck_assert_uint_eq(anyof->ntests, 3);
    ck_assert_str_eq(anyof->tests[0]->name, "not");
    ck_assert_uint_eq(anyof->tests[0]->ntests, 1);
    ck_assert(!anyof->tests[0]->test_list);
    ck_assert_str_eq(anyof->tests[0]->tests[0]->name, "exists");
    ck_assert_uint_eq(anyof->tests[1]->nargs, 3);
    ck_assert_uint_eq(anyof->tests[2]->ntests, 2);
    ck_assert_str_eq(top(1)->name, "elsif");
    ck_assert_str_eq(top(2)->name, "else");
    ck_assert_uint_eq(top(2)->ntests, 0);

    /* Nested blocks. */
    parse_ok("if true { if false { if true { keep; } } stop; }");
    const ast_block *b = top(0)->block;
    ck_assert_uint_eq(b->count, 2);
    ck_assert_str_eq(b->cmds[0]->block->cmds[0]->block->cmds[0]->name, "keep");

    /* A command ending with a block without a test (grammar allows it). */
    parse_ok("foo { bar; }");
    ck_assert_uint_eq(top(0)->block->count, 1);
}
END_TEST

START_TEST(spans_and_positions)
{
    const char *text = "require \"x\";\r\n"
                       "# comment\r\n"
                       "if header :is \"Subject\" \"caf\xc3\xa9\" {\r\n"
                       "\tfileinto text:\r\n"
                       "A\r\n"
                       ".\r\n"
                       ";\r\n"
                       "}\r\n";
    parse_ok(text);
    const ast_node *ifn = top(1);
    at(ifn->name_span.start, 3, 1);
    const ast_node *h = ifn->tests[0];
    at(h->name_span.start, 3, 4);
    at(h->args[0].span.start, 3, 11);
    at(h->args[2].span.start, 3, 25);
    at(h->args[2].span.end, 3, 31);    /* columns count characters */
    at(ifn->block->span.start, 3, 32);
    const ast_node *f = ifn->block->cmds[0];
    at(f->name_span.start, 4, 2);
    at(f->args[0].span.start, 4, 11);
    at(f->span.end - 1, 7, 1);
    at(ifn->span.end - 1, 8, 1);
    ck_assert_uint_eq(g_script->top.span.start, 0);
    ck_assert_uint_eq(g_script->top.span.end, strlen(text));
}
END_TEST

START_TEST(name_eq)
{
    ck_assert(ast_name_eq("fileinto", "FileInto"));
    ck_assert(ast_name_eq("", ""));
    ck_assert(!ast_name_eq("fileinto", "fileint"));
    ck_assert(!ast_name_eq("a", "b"));
    ck_assert(!ast_name_eq("\xc3\xa9", "\xc3\x89"));    /* ASCII only */
}
END_TEST

START_TEST(dump_format)
{
    parse_ok("require [\"fileinto\"];\n"
             "if anyof (header :contains \"Subject\" \"a\\\"b\", not size :over 10K) {\n"
             "  fileinto text:\nx\t1\n.\n;\n"
             "}\n");
    char *d = dump();
    const char *want =
        "command require @1:1 list(string(\"fileinto\"))\n"
        "command if @2:1\n"
        "  test anyof @2:4\n"
        "    test-list @2:10\n"
        "      test header @2:11 tag(:contains) string(\"Subject\") string(\"a\\\"b\")\n"
        "      test not @2:46\n"
        "        test size @2:50 tag(:over) number(10240)\n"
        "  block @2:66\n"
        "    command fileinto @3:3 text(\"x\\t1\\r\\n\")\n";
    ck_assert_str_eq(d, want);
    free(d);
}
END_TEST

/* ---- Errors ------------------------------------------------------------- */

START_TEST(syntax_error_messages)
{
    const diag_record *r;

    parse("keep");
    r = only_error("syntax-error", "expected ';' or '{' after the arguments of 'keep', but found end of input");
    ck_assert_uint_eq(r->span.start, 4);

    parse("if true {\n  keep \"x\"\n}\n");
    r = only_error("syntax-error", "after the arguments of 'keep', but found '}'");
    at(r->span.start, 3, 1);

    parse("keep;\n}\nstop;");
    only_error("syntax-error", "unexpected '}' without a matching '{'");
    ck_assert_uint_eq(g_script->top.count, 1);

    parse("x [];");
    only_error("syntax-error", "expected a string, but found ']'");

    parse("x [\"a\" \"foo\"];");
    only_error("syntax-error", "expected ',' or ']' in the string list, but found string \"foo\"");

    parse("x (a, );");
    only_error("syntax-error", "expected a test, but found ')'");

    parse("if anyof(a b :c \"d\" 1 ;) {}");
    only_error("syntax-error", "expected ',' or ')' in the test list, but found ';'");

    parse("{ keep; }");
    only_error("syntax-error", "expected a command, but found '{'");

    parse("if true { \"x\"; }");
    only_error("syntax-error", "expected a command or '}', but found string \"x\"");

    parse(":tag;");
    only_error("syntax-error", "found tag ':tag'");

    parse("42;");
    only_error("syntax-error", "found number 42");

    parse("x [\"a\", text:\nA\n.\n;");
    only_error("syntax-error", "found ';'");

    parse("x [\"a\" text:\nA\n.\n];");
    only_error("syntax-error", "found multi-line string");

    parse("x \"a very long string that will be cut in the message\" [ \"b\" \"cccccccccccccccccccccccccccccccccccccccccccc\" ];");
    r = only_error("syntax-error", "string \"ccccccccccccccccccccccccccccccc...");
    ck_assert_uint_lt(strlen(r->message), 200);

    parse("x text: junk\nA\n.\n;");
    r = only_error("syntax-error", "after 'text:'");
    ck_assert_uint_eq(r->span.start, 8);
}
END_TEST

START_TEST(unterminated)
{
    const diag_record *r;
    parse("keep;\nx \"abc\ndef");
    r = only_error("unterminated-string", NULL);
    at(r->span.start, 2, 3);

    parse("x \"abc\\\"");
    only_error("unterminated-string", NULL);
    parse("x \"abc\\");
    only_error("unterminated-string", NULL);

    parse("x text:\nabc\n");
    r = only_error("unterminated-string", "multi-line");
    ck_assert_uint_eq(r->span.start, 2);
    parse("x text:\nabc\n.");
    only_error("unterminated-string", NULL);
    parse("x text:");
    only_error("unterminated-string", NULL);
    parse("x text: # c");
    only_error("unterminated-string", NULL);

    parse("keep; /* abc\n * def");
    r = only_error("unterminated-comment", NULL);
    ck_assert_uint_eq(r->span.start, 6);
    parse("keep; /* abc **");
    only_error("unterminated-comment", NULL);
    parse("keep; /*/");
    only_error("unterminated-comment", NULL);
}
END_TEST

START_TEST(unclosed_brackets)
{
    const diag_record *r;
    parse("if true {\n  keep;\n");
    r = only_error("unclosed-bracket", "missing '}'");
    ck_assert_uint_eq(r->nnotes, 1);
    ck_assert_str_eq(r->notes[0].message, "'{' opened here");
    ck_assert_uint_eq(r->notes[0].span.start, 8);
    at(r->span.start, 2, 8);    /* right after the last token */

    parse("if true { if false {\n keep;\n}");
    r = only_error("unclosed-bracket", "missing '}'");
    ck_assert_uint_eq(r->notes[0].span.start, 8);

    parse("if anyof(true, false");
    r = only_error("unclosed-bracket", "missing ')'");
    ck_assert_str_eq(r->notes[0].message, "'(' opened here");
    ck_assert_uint_eq(r->notes[0].span.start, 8);

    parse("x [\"a\", \"b\"");
    r = only_error("unclosed-bracket", "missing ']'");
    ck_assert_str_eq(r->notes[0].message, "'[' opened here");
}
END_TEST

START_TEST(invalid_characters)
{
    const diag_record *r;
    parse("keep @;\nstop;");
    r = only_error("invalid-character", "'@'");
    ck_assert_uint_eq(r->span.start, 5);
    ck_assert_uint_eq(g_script->top.count, 2);

    parse("\xef\xbb\xbfkeep;");
    only_error("invalid-character", "byte order mark");
    parse("keep;\x01stop;");
    only_error("invalid-character", "control character 0x01");

    parse("keep;\xc3\xa9\xc3\xa9;\nstop;");
    r = only_error("invalid-character", "'\xc3\xa9' (U+00E9)");
    ck_assert_uint_eq(r->span.end - r->span.start, 4);

    PARSE_LIT("keep;\0stop;");
    only_error("invalid-character", "NUL");
    PARSE_LIT("x \"a\0b\";");
    r = only_error("invalid-character", "NUL byte in a string");
    ck_assert_uint_eq(r->span.start, 4);
    PARSE_LIT("x text:\na\0b\n.\n;");
    only_error("invalid-character", "NUL byte in a string");
    PARSE_LIT("# a\0b\nkeep;");
    r = only_error("invalid-character", "comment");
    ck_assert_uint_eq(r->span.start, 3);
    PARSE_LIT("/* a\0b */ keep;");
    only_error("invalid-character", "comment");
    PARSE_LIT("x text: # \0\nA\n.\n;");
    only_error("invalid-character", "comment");
}
END_TEST

START_TEST(invalid_utf8)
{
    const diag_record *r;
    parse("x \"ab\xff\";");
    r = only_error("invalid-utf8", "0xFF");
    ck_assert_uint_eq(r->span.start, 5);
    parse("x \"\xc0\x80\";");           /* overlong NUL */
    only_error("invalid-utf8", NULL);
    parse("x \"\xed\xa0\x80\";");       /* surrogate */
    only_error("invalid-utf8", NULL);
    parse("x \"\xf4\x90\x80\x80\";");   /* above U+10FFFF */
    only_error("invalid-utf8", NULL);
    parse("x \"ok \xe2\x82\";");        /* truncated */
    r = only_error("invalid-utf8", "0xE2");
    ck_assert_uint_eq(r->span.start, 6);
    parse("x text:\nfine\nbad \xfe here\n.\n;");
    r = only_error("invalid-utf8", "0xFE");
    at(r->span.start, 3, 5);
    parse("keep; \xff stop;");
    only_error("invalid-utf8", NULL);
    /* Comments are not checked (nor are they in Pigeonhole). */
    parse_ok("# \xff\xfe\nkeep; /* \xc0 */");
}
END_TEST

START_TEST(limits)
{
    const diag_record *r;
    g_lim.max_string_len = 4;
    parse_ok("x \"abcd\" \"a\\\\cd\";");
    parse("x \"abcde\";");
    r = only_error("limit-exceeded", "string_len=4");
    ck_assert_uint_eq(r->span.start, 2);
    ck_assert_uint_le(arg(top(0), 0)->u.string.len, 4);
    parse("x text:\nabc\n.\n;");    /* 5 bytes with CRLF */
    only_error("limit-exceeded", "string_len=4");
    parse_ok("x text:\nab\n.\n;");
    sieve_limits_default(&g_lim);

    g_lim.max_list_items = 3;
    parse_ok("x [\"a\", \"b\", \"c\"];");
    parse("x [\"a\", \"b\", \"c\", \"d\", \"e\"];");
    only_error("limit-exceeded", "list_items=3");
    ck_assert_uint_eq(arg(top(0), 0)->u.list.count, 3);
    sieve_limits_default(&g_lim);

    g_lim.max_commands = 3;
    parse_ok("a; b; c;");
    parse("a; b; c; d; e; f;");
    only_error("limit-exceeded", "commands=3");
    parse("if a { b; c; d; }");
    only_error("limit-exceeded", "commands=3");
    sieve_limits_default(&g_lim);

    g_lim.max_tests = 2;
    parse_ok("if not true {}");
    parse("if anyof(a, b, c) {}");
    only_error("limit-exceeded", "tests=2");
    sieve_limits_default(&g_lim);

    g_lim.max_script_size = 10;
    parse_ok("keep;keep;");
    parse("keep;keep;\n");
    only_error("limit-exceeded", "script_size=10");
}
END_TEST

START_TEST(nesting_limit)
{
    g_lim.max_nesting = 4;
    /* Exactly at the limit. */
    parse_ok("if true { if true { if true { if true { keep; } } } }");
    parse_ok("if not not not true {}");
    parse_ok("if true { if anyof(not true) {} }");
    parse_ok("if true { if true { if true { if true {} } } }");
    /* One more. */
    parse("if true { if true { if true { if true { if true {} } } } }");
    only_error("limit-exceeded", "nesting=4");
    parse("if not not not not true {}");
    only_error("limit-exceeded", "nesting=4");
    parse("if anyof(anyof(anyof(anyof(true)))) {}");
    only_error("limit-exceeded", "nesting=4");
    parse("if true { if true { if true { if not true {} } } }");
    const diag_record *r = only_error("limit-exceeded", "nesting=4");
    ck_assert_uint_eq(r->span.start, 37);    /* at "true", the fifth level */
    /* Sibling blocks do not add up. */
    parse_ok("if true { if true {} if true {} } if true { if not true {} }");
}
END_TEST

/* ---- Recovery ----------------------------------------------------------- */

START_TEST(recovery_counts)
{
    /* Three typos, three errors, and the good commands survive. */
    parse("keep;\n"
          "fileinto \"a\" ];\n"
          "redirect [\"a\" \"b\"];\n"
          "if anyof(true,) { keep; }\n"
          "stop;\n");
    ck_assert_uint_eq(g_errors, 3);
    ck_assert_uint_eq(count_id("syntax-error"), 3);
    ck_assert_uint_eq(g_script->top.count, 2);
    ck_assert_str_eq(top(1)->name, "stop");

    /* A typo inside a block does not lose the block or what follows. */
    parse("if true { keep \"a\" ] ; stop; } discard;");
    ck_assert_uint_eq(g_errors, 1);
    ck_assert_uint_eq(g_script->top.count, 2);
    ck_assert_uint_eq(top(0)->block->count, 1);
    ck_assert_str_eq(top(0)->block->cmds[0]->name, "stop");
    ck_assert_str_eq(top(1)->name, "discard");

    /* Missing ';' before '}' in a block. */
    parse("if true { keep } stop;");
    ck_assert_uint_eq(g_errors, 1);
    ck_assert_uint_eq(g_script->top.count, 2);

    /* A broken command that carries a block ends with the block. */
    parse("if true { x ] { keep; } stop; } discard;");
    ck_assert_uint_eq(g_errors, 1);
    ck_assert_uint_eq(top(0)->block->count, 1);
    ck_assert_uint_eq(g_script->top.count, 2);

    /* Brackets left open by a broken command are not blamed later. */
    parse("if anyof(true { keep; }\nstop");
    ck_assert_uint_eq(g_errors, 2);
    ck_assert_uint_eq(count_id("unclosed-bracket"), 0);
    ck_assert_ptr_nonnull(strstr(diag_get(g_diag, 1)->message, "after the arguments of 'stop'"));

    /* Errors in consecutive commands are each reported. */
    parse("a ]; b ]; c ];");
    ck_assert_uint_eq(g_errors, 3);

    /* Lexical errors are reported once, without a follow-up syntax error. */
    parse("keep; @ stop; $ discard; keep \"\xff\";");
    ck_assert_uint_eq(g_errors, 3);
    ck_assert_uint_eq(g_script->top.count, 4);
    parse("x 99999999999999999999 ; y;");
    ck_assert_uint_eq(g_errors, 1);
    ck_assert_uint_eq(g_script->top.count, 2);
}
END_TEST

/* ---- Hostile input ------------------------------------------------------ */

static uint64_t rng_state = 0x9E3779B97F4A7C15ull;
static uint32_t rng(void)
{
    rng_state ^= rng_state << 13;
    rng_state ^= rng_state >> 7;
    rng_state ^= rng_state << 17;
    return (uint32_t)(rng_state >> 16);
}

START_TEST(random_bytes)
{
    char buf[4096];
    for (int iter = 0; iter < 2000; iter++) {
        size_t len = rng() % sizeof buf;
        for (size_t i = 0; i < len; i++)
            buf[i] = (char)rng();
        parse_mem(buf, len);
        char *d = dump();
        free(d);
    }
}
END_TEST

START_TEST(random_tokens)
{
    static const char *toks[] = {
        "if", "not", "anyof", "keep", " ", "\n", "\r\n", "\r", "{", "}", "(", ")", "[", "]",
        ";", ",", "\"s\"", "\"", "\\", "text:", "text:\n", "\n.\n", ".", "..", ":is", ":",
        "10K", "99999999999999999999G", "#", "/*", "*/", "*", "/", "\xff", "\xc3\xa9", "\0",
    };
    char buf[8192];
    for (int iter = 0; iter < 3000; iter++) {
        size_t len = 0;
        size_t ntok = rng() % 200;
        for (size_t k = 0; k < ntok; k++) {
            const char *t = toks[rng() % (sizeof toks / sizeof toks[0])];
            size_t tl = t[0] ? strlen(t) : 1;
            if (len + tl > sizeof buf)
                break;
            memcpy(buf + len, t, tl);
            len += tl;
        }
        g_lim.max_nesting = rng() % 2 ? 3 : 32;
        parse_mem(buf, len);
        if (g_errors == 0) {
            char *d = dump();
            free(d);
        }
        /* The sink holds the records, each with a message. */
        for (size_t i = 0; i < diag_count(g_diag); i++)
            ck_assert_ptr_nonnull(diag_get(g_diag, i)->message);
    }
}
END_TEST

static void expect_one_error_for(const char *unit, size_t n, const char *prefix, const char *suffix)
{
    char *body = repeat(unit, n);
    size_t len = strlen(prefix) + strlen(body) + strlen(suffix);
    char *text = malloc(len + 1);
    strcpy(text, prefix);
    strcat(text, body);
    strcat(text, suffix);
    parse(text);
    if (g_errors != 1) {
        diag_sink *d = g_diag;
        for (size_t i = 0; i < diag_count(d) && i < 3; i++)
            fprintf(stderr, "%s: %s\n", diag_get(d, i)->id, diag_get(d, i)->message);
        ck_abort_msg("'%s' x %zu: %zu errors", unit, n, g_errors);
    }
    free(text);
    free(body);
}

START_TEST(deep_nesting)
{
    expect_one_error_for("{", 100000, "", "");
    expect_one_error_for("{", 100000, "if true ", "");
    expect_one_error_for("if true {", 100000, "", "");
    expect_one_error_for("(", 100000, "if anyof", "");
    expect_one_error_for("anyof(", 100000, "if ", "true) {}");
    expect_one_error_for("not ", 100000, "if ", "true {}");
    expect_one_error_for("[", 100000, "x ", "");
    expect_one_error_for("}", 100000, "", "");
    expect_one_error_for(")", 100000, "x ", "");
    expect_one_error_for("\"", 100001, "x ", "");

    /* With the nesting limit raised, the bison stack bound stops it. */
    g_lim.max_nesting = SIZE_MAX;
    parse_ok("if anyof(not true, header [\"a\"] \"b\") { if true {} }");
    g_lim.max_script_size = 64u << 20;
    expect_one_error_for("not ", 200000, "if ", "true {}");
    ck_assert_uint_eq(count_id("limit-exceeded"), 1);
    expect_one_error_for("if true {", 100000, "", "");
    ck_assert_uint_eq(count_id("limit-exceeded"), 1);
}
END_TEST

START_TEST(deep_tree_dump)
{
    /* A deep but allowed tree: dump and free must not recurse. */
    g_lim.max_nesting = 20000;
    char *open = repeat("if true {", 10000);
    char *close = repeat("}", 10000);
    char *text = malloc(strlen(open) + strlen(close) + 1);
    strcpy(text, open);
    strcat(text, close);
    parse_ok(text);
    char *d = dump();
    size_t lines = 0;
    for (char *p = d; *p; p++)
        lines += *p == '\n';
    ck_assert_uint_eq(lines, 30000);
    free(d);
    free(text);
    free(open);
    free(close);

    char *nots = repeat("not ", 10000);
    text = malloc(strlen(nots) + 32);
    sprintf(text, "if %strue {}", nots);
    parse_ok(text);
    d = dump();
    free(d);
    free(text);
    free(nots);
}
END_TEST

START_TEST(truncations)
{
    const char *full = "require [\"fileinto\", \"vacation\"];\r\n"
                       "# c\n/* c */\n"
                       "if anyof (header :contains \"Subject\" \"a\\\"b\", not size :over 10K) {\n"
                       "  fileinto \"x\";\n} elsif true { vacation text:\nhi\n..\n.\n; }\n";
    size_t len = strlen(full);
    parse_ok(full);
    for (size_t i = 0; i < len; i++) {
        parse_mem(full, i);
        /* A cut inside a command always leaves something unfinished. */
        for (size_t k = 0; k < diag_count(g_diag); k++)
            ck_assert_ptr_nonnull(diag_get(g_diag, k)->id);
    }
    parse_mem(full, len - 2);    /* cut before the last '}' */
    only_error("unclosed-bracket", NULL);
}
END_TEST

START_TEST(error_cap)
{
    /* A flood of errors is counted but the sink keeps only max_errors. */
    reset();
    char *text = repeat("@", 10000);
    g_src = source_from_memory("t.sieve", text, strlen(text));
    g_diag = diag_sink_new(20);
    g_errors = parse_script(g_src, &g_lim, g_diag, &g_script);
    ck_assert_uint_eq(g_errors, 10000);
    ck_assert_uint_eq(diag_count(g_diag), 20);
    ck_assert(diag_truncated(g_diag));
    free(text);
}
END_TEST

/* A 10,000-rule script parses completely (its speed is measured by
 * testsuite/bench/frontend.sh, never asserted in a test). */
START_TEST(parses_10k_rules)
{
    size_t cap = 4u << 20, len = 0;
    char *text = malloc(cap);
    len += (size_t)sprintf(text + len, "require [\"fileinto\", \"imap4flags\"];\n");
    for (int i = 0; i < 10000; i++)
        len += (size_t)sprintf(text + len,
                               "if anyof (header :contains [\"Subject\", \"X-Spam\"] [\"foo%d\", \"bar %d\"],\n"
                               "          address :is :domain \"from\" \"d%d.example\", size :over %dK) {\n"
                               "    fileinto \"Folder/%d\"; addflag \"\\\\Seen\"; stop;\n}\n",
                               i, i, i, i, i);
    g_lim.max_script_size = cap;
    parse_mem(text, len);
    ck_assert_uint_eq(g_errors, 0);
    ck_assert_uint_eq(g_script->top.count, 10001);
    free(text);
}
END_TEST

/* parse_script keeps no global state: threads parsing at once get the
 * same trees as one thread alone. */
static const char *thread_text =
    "require [\"fileinto\"];\n"
    "if anyof (header :contains \"Subject\" \"a\", not size :over 10K) { fileinto \"x\"; }\n"
    "bad ] ;\n"
    "vacation text:\nhi\n..\n.\n;\n";

static char *parse_and_dump(void)
{
    sieve_limits lim;
    sieve_limits_default(&lim);
    source *src = source_from_memory("t.sieve", thread_text, strlen(thread_text));
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    for (int i = 0; i < 200; i++) {
        diag_sink *d = diag_sink_new(0);
        ast_script *s = NULL;
        parse_script(src, &lim, d, &s);
        if (i == 0) {
            ast_dump(s, f);
            diag_print_text(d, f, false);
        }
        ast_script_free(&s);
        diag_sink_free(&d);
    }
    fclose(f);
    source_free(&src);
    return buf;
}

static void *thread_main(void *arg)
{
    *(char **)arg = parse_and_dump();
    return NULL;
}

START_TEST(threads)
{
    char *want = parse_and_dump();
    ck_assert_ptr_nonnull(strstr(want, "[syntax-error]"));
    pthread_t t[4];
    char *got[4];
    for (int i = 0; i < 4; i++)
        ck_assert_int_eq(pthread_create(&t[i], NULL, thread_main, &got[i]), 0);
    for (int i = 0; i < 4; i++) {
        pthread_join(t[i], NULL);
        ck_assert_str_eq(got[i], want);
        free(got[i]);
    }
    free(want);
}
END_TEST

static Suite *parser_suite(void)
{
    Suite *s = suite_create("parser");
    TCase *tc = tcase_create("grammar");
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_add_test(tc, empty_and_comments);
    tcase_add_test(tc, simple_command);
    tcase_add_test(tc, argument_kinds);
    tcase_add_test(tc, quoted_escapes);
    tcase_add_test(tc, multiline_strings);
    tcase_add_test(tc, numbers);
    tcase_add_test(tc, number_overflow);
    tcase_add_test(tc, tests_and_blocks);
    tcase_add_test(tc, spans_and_positions);
    tcase_add_test(tc, name_eq);
    tcase_add_test(tc, dump_format);
    suite_add_tcase(s, tc);

    tc = tcase_create("errors");
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_add_test(tc, syntax_error_messages);
    tcase_add_test(tc, unterminated);
    tcase_add_test(tc, unclosed_brackets);
    tcase_add_test(tc, invalid_characters);
    tcase_add_test(tc, invalid_utf8);
    tcase_add_test(tc, limits);
    tcase_add_test(tc, nesting_limit);
    tcase_add_test(tc, recovery_counts);
    suite_add_tcase(s, tc);

    tc = tcase_create("hostile");
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_set_timeout(tc, 120);
    tcase_add_test(tc, random_bytes);
    tcase_add_test(tc, random_tokens);
    tcase_add_test(tc, deep_nesting);
    tcase_add_test(tc, deep_tree_dump);
    tcase_add_test(tc, truncations);
    tcase_add_test(tc, error_cap);
    tcase_add_test(tc, parses_10k_rules);
    tcase_add_test(tc, threads);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    SRunner *sr = srunner_create(parser_suite());
    srunner_run_all(sr, CK_NORMAL);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
