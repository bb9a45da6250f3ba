/* Unit tests for compiler/lint.c through lint.h: each warning fires on a
 * script that has the problem and stays silent on a near miss; the
 * warning list and configuration; hostile input. */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lint.h"
#include "parse.h"

/* Runs the whole front end plus lint on text; the caller frees both. */
typedef struct run {
    source *src;
    diag_sink *diag;
    size_t errors;
} run;

static run lint_text(const char *text, const lint_config *cfg)
{
    run r;
    r.src = source_from_memory("t.sieve", text, strlen(text));
    r.diag = diag_sink_new(0);
    if (cfg)
        diag_set_warning_filter(r.diag, lint_warning_filter, (void *)cfg);
    r.errors = lint_source(r.src, NULL, r.diag);
    return r;
}

static void run_free(run *r)
{
    diag_sink_free(&r->diag);
    source_free(&r->src);
}

static size_t count_id(const run *r, const char *id)
{
    size_t n = 0;
    for (size_t i = 0; i < diag_count(r->diag); i++) {
        const diag_record *d = diag_get(r->diag, i);
        if (d->id && strcmp(d->id, id) == 0)
            n++;
    }
    return n;
}

static const diag_record *first_id(const run *r, const char *id)
{
    for (size_t i = 0; i < diag_count(r->diag); i++) {
        const diag_record *d = diag_get(r->diag, i);
        if (d->id && strcmp(d->id, id) == 0)
            return d;
    }
    return NULL;
}

/* The text a record's span covers. */
static char *span_text(const run *r, const diag_record *d)
{
    return strndup(r->src->text + d->span.start, d->span.end - d->span.start);
}

static void expect(const char *script, const char *id, size_t n)
{
    run r = lint_text(script, NULL);
    ck_assert_msg(count_id(&r, id) == n, "%s: expected %zu x %s, got %zu in:\n%s", id, n, id,
                  count_id(&r, id), script);
    run_free(&r);
}

static void expect_span(const char *script, const char *id, const char *covered)
{
    run r = lint_text(script, NULL);
    const diag_record *d = first_id(&r, id);
    ck_assert_msg(d != NULL, "no %s in:\n%s", id, script);
    char *t = span_text(&r, d);
    ck_assert_str_eq(t, covered);
    free(t);
    run_free(&r);
}

/* ---- The list and the configuration ---------------------------------- */

START_TEST(list_has_published_ids)
{
    static const char *const ids[] = {
        "unused-require", "code-after-stop", "unreachable-branch", "matches-without-wildcards",
        "contains-empty", "ascii-numeric-non-digit", "invalid-header-name", "impossible-size",
        "duplicate-action", "conflicting-actions", "deprecated-extension", "vacation-without-days",
    };
    for (size_t i = 0; i < sizeof ids / sizeof ids[0]; i++) {
        const lint_warning_info *w = lint_warning_find(ids[i]);
        ck_assert_msg(w != NULL, "%s missing", ids[i]);
        ck_assert(!w->front_end);
        ck_assert(strlen(w->summary) > 10);
    }
    ck_assert_ptr_null(lint_warning_find("no-such-warning"));
    ck_assert_ptr_null(lint_warning_find(NULL));
    ck_assert_ptr_null(lint_warning_at(lint_warning_count()));
    for (size_t i = 0; i < lint_warning_count(); i++)
        for (size_t j = i + 1; j < lint_warning_count(); j++)
            ck_assert_str_ne(lint_warning_at(i)->id, lint_warning_at(j)->id);
}
END_TEST

START_TEST(config_set_and_filter)
{
    lint_config cfg;
    lint_config_default(&cfg);
    ck_assert(lint_config_enabled(&cfg, "contains-empty"));
    ck_assert(lint_config_set(&cfg, "contains-empty", false));
    ck_assert(!lint_config_enabled(&cfg, "contains-empty"));
    ck_assert(lint_config_enabled(&cfg, "unused-require"));
    ck_assert(!lint_config_set(&cfg, "bogus", false));
    /* IDs lint does not know (a newer checker's) stay on. */
    ck_assert(lint_config_enabled(&cfg, "bogus"));
    ck_assert(lint_config_set(&cfg, "contains-empty", true));
    ck_assert(lint_config_enabled(&cfg, "contains-empty"));
    lint_config_set_all(&cfg, false);
    ck_assert(!lint_warning_filter("unused-require", &cfg));
    lint_config_set_all(&cfg, true);
    ck_assert(lint_warning_filter("unused-require", &cfg));
}
END_TEST

START_TEST(config_drops_warning_in_sink)
{
    const char *s = "if header :contains \"from\" \"\" { keep; }\n";
    lint_config cfg;
    lint_config_default(&cfg);
    lint_config_set(&cfg, "contains-empty", false);
    run r = lint_text(s, &cfg);
    ck_assert_uint_eq(count_id(&r, "contains-empty"), 0);
    ck_assert_uint_eq(diag_warning_count(r.diag), 0);
    run_free(&r);
    lint_config_default(&cfg);
    r = lint_text(s, &cfg);
    ck_assert_uint_eq(count_id(&r, "contains-empty"), 1);
    run_free(&r);
}
END_TEST

/* ---- unused-require --------------------------------------------------- */

START_TEST(unused_require)
{
    expect("require [\"fileinto\", \"envelope\"];\nfileinto \"x\";\n", "unused-require", 1);
    expect_span("require [\"fileinto\", \"envelope\"];\nfileinto \"x\";\n", "unused-require", "\"envelope\"");
    expect("require \"fileinto\";\nfileinto \"x\";\n", "unused-require", 0);
    /* RFC 6131: vacation-seconds used through :seconds, or as the provider of vacation. */
    expect("require \"vacation-seconds\";\nvacation :seconds 60 \"x\";\n", "unused-require", 0);
    expect("require \"vacation-seconds\";\nvacation :days 1 \"x\";\n", "unused-require", 0);
    expect("require [\"vacation\", \"vacation-seconds\"];\nvacation :days 1 \"x\";\n", "unused-require", 1);
    /* comparators */
    expect("require \"comparator-i;octet\";\nif header :comparator \"i;octet\" :is \"a\" \"b\" { keep; }\n",
           "unused-require", 0);
    expect("require \"comparator-i;octet\";\nif header :is \"a\" \"b\" { keep; }\n", "unused-require", 1);
    expect("require [\"relational\", \"comparator-i;ascii-numeric\"];\n"
           "if header :value \"gt\" :comparator \"i;ascii-numeric\" \"x-priority\" \"3\" { keep; }\n",
           "unused-require", 0);
    /* encoded-character is used only where a string spells it */
    expect("require \"encoded-character\";\nif header :is \"a\" \"${hex:41}\" { keep; }\n", "unused-require", 0);
    expect("require \"encoded-character\";\nif header :is \"a\" \"${UNICODE:41}\" { keep; }\n", "unused-require", 0);
    expect("require \"encoded-character\";\nif header :is \"a\" \"b\" { keep; }\n", "unused-require", 1);
    /* variables used through a match variable only */
    expect("require [\"variables\", \"fileinto\"];\n"
           "if header :matches \"subject\" \"*\" { fileinto \"${1}\"; }\n", "unused-require", 0);
    expect("require [\"variables\"];\nkeep;\n", "unused-require", 1);
    /* several unused: one warning each */
    expect("require [\"body\", \"date\", \"copy\"];\nkeep;\n", "unused-require", 3);
}
END_TEST

/* ---- code-after-stop -------------------------------------------------- */

START_TEST(code_after_stop)
{
    expect("stop;\nkeep;\ndiscard;\n", "code-after-stop", 1);
    expect_span("stop;\nkeep;\ndiscard;\n", "code-after-stop", "keep;");
    expect("if true { stop; discard; }\nkeep;\n", "code-after-stop", 2);
    expect("if header :is \"a\" \"b\" { stop; } else { stop; }\nkeep;\n", "code-after-stop", 1);
    expect("require \"ihave\";\nerror \"bye\";\nkeep;\n", "code-after-stop", 1);
    expect("require [\"foreverypart\", \"fileinto\"];\nforeverypart { fileinto \"a\"; break; keep; }\n",
           "code-after-stop", 1);
    /* near misses */
    expect("require [\"foreverypart\", \"fileinto\"];\nforeverypart { if true { break; } }\nkeep;\n",
           "code-after-stop", 0);
    expect("keep;\nstop;\n", "code-after-stop", 0);
    expect("if header :is \"a\" \"b\" { stop; }\nkeep;\n", "code-after-stop", 0);
    expect("if header :is \"a\" \"b\" { stop; } elsif true { keep; }\nkeep;\n", "code-after-stop", 0);
}
END_TEST

/* ---- unreachable-branch ---------------------------------------------- */

START_TEST(unreachable_branch)
{
    expect("if header :is \"x\" \"y\" { keep; } elsif header :is \"x\" \"y\" { discard; }\n",
           "unreachable-branch", 1);
    /* tag order and one-string lists do not matter */
    expect("if header :is :comparator \"i;octet\" \"x\" \"y\" { keep; }\n"
           "elsif header :comparator \"i;octet\" :is [\"x\"] \"y\" { discard; }\n", "unreachable-branch", 1);
    expect("if true { keep; } else { discard; }\n", "unreachable-branch", 1);
    expect("if true { keep; } elsif header :is \"a\" \"b\" { discard; } else { stop; }\n",
           "unreachable-branch", 1);
    expect("if false { keep; }\n", "unreachable-branch", 1);
    expect("if not true { keep; }\n", "unreachable-branch", 1);
    expect("if allof(true, false) { keep; }\n", "unreachable-branch", 1);
    expect_span("if header :is \"a\" \"b\" { keep; } elsif header :is \"a\" \"b\" { discard; }\n",
                "unreachable-branch", "header :is \"a\" \"b\"");
    /* covered by an earlier anyof, or an allof that needs the earlier test */
    expect("if anyof(exists \"a\", exists \"b\") { keep; } elsif exists \"b\" { discard; }\n",
           "unreachable-branch", 1);
    expect("if exists \"a\" { keep; } elsif allof(exists \"b\", exists \"a\") { discard; }\n",
           "unreachable-branch", 1);
    expect("if exists \"a\" { keep; } elsif exists \"b\" { stop; } elsif anyof(exists \"b\", exists \"a\") { discard; }\n",
           "unreachable-branch", 1);
    /* near misses */
    expect("if allof(exists \"a\", exists \"b\") { keep; } elsif exists \"b\" { discard; }\n",
           "unreachable-branch", 0);
    expect("if exists \"a\" { keep; } elsif anyof(exists \"b\", exists \"a\") { discard; }\n",
           "unreachable-branch", 0);
    expect("if header :is \"x\" \"y\" { keep; } elsif header :is \"x\" \"z\" { discard; }\n",
           "unreachable-branch", 0);
    expect("if header :is \"x\" \"y\" { keep; } elsif header :contains \"x\" \"y\" { discard; }\n",
           "unreachable-branch", 0);
    expect("if header :is \"x\" \"y\" { keep; }\nif header :is \"x\" \"y\" { discard; }\n",
           "unreachable-branch", 0);
    expect("if true { keep; }\n", "unreachable-branch", 0);
    expect("if anyof(true, false) { keep; }\n", "unreachable-branch", 0);
    /* RFC 7352: duplicate changes state, so repeating it is not dead code */
    expect("require \"duplicate\";\nif duplicate { discard; } elsif duplicate { keep; }\n",
           "unreachable-branch", 0);
}
END_TEST

/* ---- matches / contains ------------------------------------------------ */

START_TEST(matches_without_wildcards)
{
    expect("if header :matches \"subject\" \"invoice\" { keep; }\n", "matches-without-wildcards", 1);
    expect_span("if header :matches \"subject\" [\"a*\", \"plain\"] { keep; }\n", "matches-without-wildcards",
                "\"plain\"");
    expect("if header :matches \"subject\" \"\\\\*\" { keep; }\n", "matches-without-wildcards", 1);
    expect("if header :matches \"subject\" \"inv*\" { keep; }\n", "matches-without-wildcards", 0);
    expect("if header :matches \"subject\" \"inv?ice\" { keep; }\n", "matches-without-wildcards", 0);
    expect("if header :is \"subject\" \"invoice\" { keep; }\n", "matches-without-wildcards", 0);
    /* a variable may hold wildcards */
    expect("require \"variables\";\nset \"p\" \"a*\";\nif header :matches \"subject\" \"${p}\" { keep; }\n",
           "matches-without-wildcards", 0);
}
END_TEST

START_TEST(contains_empty)
{
    expect("if header :contains \"from\" \"\" { keep; }\n", "contains-empty", 1);
    expect("if header :contains \"from\" [\"a\", \"\", \"\"] { keep; }\n", "contains-empty", 1);
    expect("require \"body\";\nif body :contains \"\" { keep; }\n", "contains-empty", 1);
    expect("if header :contains \"from\" \" \" { keep; }\n", "contains-empty", 0);
    expect("if header :is \"from\" \"\" { keep; }\n", "contains-empty", 0);
}
END_TEST

/* ---- ascii-numeric ----------------------------------------------------- */

START_TEST(ascii_numeric)
{
    const char *req = "require [\"relational\", \"comparator-i;ascii-numeric\"];\n";
    char buf[512];
    snprintf(buf, sizeof buf, "%sif header :value \"gt\" :comparator \"i;ascii-numeric\" \"X-Spam-Score\" \"5\" { discard; }\n", req);
    expect(buf, "ascii-numeric-non-digit", 1);
    expect_span(buf, "ascii-numeric-non-digit", "\"X-Spam-Score\"");
    snprintf(buf, sizeof buf, "%sif header :value \"lt\" :comparator \"i;ascii-numeric\" \"X-Foo\" \"5\" { discard; }\n", req);
    expect(buf, "ascii-numeric-non-digit", 1);
    /* a key that is not a number */
    snprintf(buf, sizeof buf, "%sif header :value \"gt\" :comparator \"i;ascii-numeric\" \"x-priority\" \"-1\" { discard; }\n", req);
    expect(buf, "ascii-numeric-non-digit", 1);
    expect_span(buf, "ascii-numeric-non-digit", "\"-1\"");
    snprintf(buf, sizeof buf, "%sif header :count \"gt\" :comparator \"i;ascii-numeric\" \"received\" \"many\" { discard; }\n", req);
    expect(buf, "ascii-numeric-non-digit", 1);
    /* near misses: known numeric field, :count on any field, other comparator */
    snprintf(buf, sizeof buf, "%sif header :value \"gt\" :comparator \"i;ascii-numeric\" \"x-priority\" \"3\" { discard; }\n", req);
    expect(buf, "ascii-numeric-non-digit", 0);
    snprintf(buf, sizeof buf, "%sif header :count \"gt\" :comparator \"i;ascii-numeric\" \"X-Spam-Score\" \"5\" { discard; }\n", req);
    expect(buf, "ascii-numeric-non-digit", 0);
    expect("require \"relational\";\nif header :value \"gt\" \"X-Spam-Score\" \"5\" { discard; }\n",
           "ascii-numeric-non-digit", 0);
}
END_TEST

/* ---- invalid-header-name ---------------------------------------------- */

START_TEST(invalid_header_name)
{
    /* The checker warns for constant names; lint must not repeat it. */
    expect("if exists \"X Spam\" { keep; }\n", "invalid-header-name", 1);
    expect("if header :is \"From:\" \"a\" { keep; }\n", "invalid-header-name", 1);
    expect("if address :is \"\" \"a\" { keep; }\n", "invalid-header-name", 1);
    /* with a variable, the fixed text can already rule it out (lint only) */
    expect("require \"variables\";\nset \"n\" \"x\";\nif exists \"X Spam-${n}\" { keep; }\n",
           "invalid-header-name", 1);
    expect("require \"variables\";\nset \"n\" \"x\";\nif exists \"X-Spam-${n}\" { keep; }\n",
           "invalid-header-name", 0);
    expect("if exists [\"X-Spam\", \"From\"] { keep; }\n", "invalid-header-name", 0);
}
END_TEST

/* ---- impossible-size --------------------------------------------------- */

START_TEST(impossible_size)
{
    expect("if size :under 0 { discard; }\n", "impossible-size", 1);
    expect("if allof(size :over 10K, size :under 5K) { discard; }\n", "impossible-size", 1);
    expect_span("if allof(size :over 10K, size :under 5K) { discard; }\n", "impossible-size", "size :under 5K");
    expect("if anyof(size :under 10K, size :over 5K) { discard; }\n", "impossible-size", 1);
    expect("if size :over 10K { if size :under 5K { discard; } }\n", "impossible-size", 1);
    expect("if size :over 10K { if size :over 5K { discard; } }\n", "impossible-size", 1);
    expect("if size :over 10K { keep; } elsif size :over 20K { discard; }\n", "impossible-size", 1);
    expect("if not size :over 10 { keep; } elsif size :under 5 { discard; }\n", "impossible-size", 1);
    /* a repeated test is unreachable-branch's, not also impossible-size's */
    expect("if size :over 10K { keep; } elsif size :over 10K { discard; }\n", "impossible-size", 0);
    expect("if size :over 10K { keep; } elsif size :over 10K { discard; }\n", "unreachable-branch", 1);
    /* near misses */
    expect("if size :under 1 { discard; }\n", "impossible-size", 0);
    expect("if allof(size :over 5K, size :under 10K) { discard; }\n", "impossible-size", 0);
    expect("if size :over 10K { keep; } elsif size :over 5K { discard; }\n", "impossible-size", 0);
    expect("if anyof(size :over 10K, size :under 5K) { discard; }\n", "impossible-size", 0);
    expect("if size :over 10K { keep; }\nif size :under 5K { discard; }\n", "impossible-size", 0);
}
END_TEST

/* ---- duplicate-action, conflicting-actions ----------------------------- */

START_TEST(duplicate_action)
{
    expect("require \"fileinto\";\nfileinto \"x\";\nfileinto \"x\";\n", "duplicate-action", 1);
    expect("keep;\nkeep;\n", "duplicate-action", 1);
    expect("require \"fileinto\";\nfileinto \"x\";\nif header :is \"a\" \"b\" { fileinto \"x\"; }\n",
           "duplicate-action", 1);
    expect("require \"fileinto\";\nif true { fileinto \"x\"; } \nfileinto \"x\";\n", "duplicate-action", 1);
    expect_span("keep;\nkeep;\n", "duplicate-action", "keep;");
    /* near misses: another path, other arguments, variables */
    expect("require \"fileinto\";\nif header :is \"a\" \"b\" { fileinto \"x\"; }\nfileinto \"x\";\n",
           "duplicate-action", 0);
    expect("require \"fileinto\";\nif header :is \"a\" \"b\" { fileinto \"x\"; } else { fileinto \"x\"; }\n",
           "duplicate-action", 0);
    expect("require \"fileinto\";\nfileinto \"x\";\nfileinto \"y\";\n", "duplicate-action", 0);
    expect("require [\"fileinto\", \"copy\"];\nfileinto \"x\";\nfileinto :copy \"x\";\n", "duplicate-action", 0);
    expect("require [\"fileinto\", \"variables\"];\nset \"f\" \"a\";\nfileinto \"${f}\";\nset \"f\" \"b\";\nfileinto \"${f}\";\n",
           "duplicate-action", 0);
    expect("keep;\nstop;\nkeep;\n", "duplicate-action", 0);
}
END_TEST

START_TEST(conflicting_actions)
{
    expect("require [\"reject\", \"fileinto\"];\nfileinto \"x\";\nreject \"no\";\n", "conflicting-actions", 1);
    expect("require \"reject\";\nif header :is \"a\" \"b\" { reject \"no\"; }\nkeep;\n", "conflicting-actions", 1);
    expect("require [\"ereject\", \"vacation\"];\nereject \"no\";\nvacation :days 1 \"away\";\n",
           "conflicting-actions", 1);
    expect("require \"reject\";\nreject \"a\";\nif true { reject \"b\"; }\n", "conflicting-actions", 1);
    /* Pigeonhole refuses a second vacation, even an identical one */
    expect("require \"vacation\";\nvacation :days 1 \"a\";\nif exists \"x\" { vacation :days 1 \"a\"; }\n",
           "conflicting-actions", 1);
    expect("require \"vacation\";\nvacation :days 1 \"a\";\nvacation :days 1 \"a\";\n", "duplicate-action", 0);
    expect("require \"vacation\";\nif exists \"x\" { vacation :days 1 \"a\"; } else { vacation :days 2 \"b\"; }\n",
           "conflicting-actions", 0);
    expect_span("require \"reject\";\nkeep;\nreject \"no\";\n", "conflicting-actions", "reject");
    /* near misses: stop in between, exclusive branches, discard */
    expect("require \"reject\";\nif header :is \"a\" \"b\" { reject \"no\"; stop; }\nkeep;\n", "conflicting-actions", 0);
    expect("require [\"reject\", \"fileinto\"];\nif header :is \"a\" \"b\" { reject \"no\"; } else { fileinto \"x\"; }\n",
           "conflicting-actions", 0);
    expect("require \"reject\";\ndiscard;\nreject \"no\";\n", "conflicting-actions", 0);
}
END_TEST

/* ---- deprecated, vacation ---------------------------------------------- */

START_TEST(deprecated_extension)
{
    /* The checker refuses it (an error); lint adds nothing. */
    run r = lint_text("require \"imapflags\";\nkeep;\n", NULL);
    ck_assert_uint_eq(count_id(&r, "deprecated-extension"), 1);
    run_free(&r);
    expect("require \"imap4flags\";\nkeep :flags \"\\\\Seen\";\n", "deprecated-extension", 0);

    /* Without the checker's verdict (lint_check alone, no sema), lint says it. */
    const char *text = "require \"notify\";\nkeep;\n";
    source *src = source_from_memory("t.sieve", text, strlen(text));
    diag_sink *d = diag_sink_new(0);
    ast_script *script = NULL;
    sieve_limits lim;
    sieve_limits_default(&lim);
    ck_assert_uint_eq(parse_script(src, &lim, d, &script), 0);
    ck_assert_uint_eq(lint_check(script, NULL, d), 1);
    ck_assert_str_eq(diag_get(d, 0)->id, "deprecated-extension");
    ck_assert_int_eq(diag_get(d, 0)->severity, DIAG_WARNING);
    ast_script_free(&script);
    diag_sink_free(&d);
    source_free(&src);
}
END_TEST

START_TEST(vacation_without_days)
{
    expect("require \"vacation\";\nvacation \"away\";\n", "vacation-without-days", 1);
    expect_span("require \"vacation\";\nvacation \"away\";\n", "vacation-without-days", "vacation");
    expect("require \"vacation\";\nvacation :days 7 \"away\";\n", "vacation-without-days", 0);
    expect("require \"vacation-seconds\";\nvacation :seconds 600 \"away\";\n", "vacation-without-days", 0);
}
END_TEST

/* ---- Whole runs -------------------------------------------------------- */

START_TEST(clean_script_is_silent)
{
    run r = lint_text("require [\"fileinto\", \"vacation\"];\n"
                      "if header :contains \"subject\" \"[list]\" { fileinto \"lists\"; stop; }\n"
                      "if address :is \"from\" \"boss@example.com\" { keep; }\n"
                      "elsif header :matches \"subject\" \"*money*\" { discard; stop; }\n"
                      "vacation :days 7 \"I am away\";\n", NULL);
    ck_assert_uint_eq(r.errors, 0);
    ck_assert_uint_eq(diag_count(r.diag), 0);
    run_free(&r);
}
END_TEST

START_TEST(findings_in_source_order)
{
    run r = lint_text("require [\"body\", \"fileinto\"];\n"
                      "if header :contains \"a\" \"\" { keep; }\n"
                      "if header :matches \"b\" \"c\" { keep; }\n"
                      "fileinto \"x\";\nfileinto \"x\";\n", NULL);
    uint32_t last = 0;
    size_t nw = 0;
    for (size_t i = 0; i < diag_count(r.diag); i++) {
        const diag_record *d = diag_get(r.diag, i);
        ck_assert_int_eq(d->severity, DIAG_WARNING);
        ck_assert_uint_ge(d->span.start, last);
        last = d->span.start;
        nw++;
    }
    ck_assert_uint_eq(nw, 4);  /* body unused, contains, matches, fileinto twice */
    run_free(&r);
}
END_TEST

START_TEST(errors_still_lint)
{
    /* sema errors do not stop lint; parse errors do. */
    run r = lint_text("require \"fileinto\";\nfileinto;\nif header :contains \"a\" \"\" { keep; }\n", NULL);
    ck_assert_uint_ge(r.errors, 1);
    ck_assert_uint_eq(count_id(&r, "contains-empty"), 1);
    run_free(&r);
    r = lint_text("if header :contains \"a\" \"\" { keep; \n", NULL);
    ck_assert_uint_ge(r.errors, 1);
    ck_assert_uint_eq(count_id(&r, "contains-empty"), 0);
    run_free(&r);
}
END_TEST

START_TEST(null_and_empty)
{
    ck_assert_uint_eq(lint_check(NULL, NULL, NULL), 0);
    run r = lint_text("", NULL);
    ck_assert_uint_eq(diag_count(r.diag), 0);
    run_free(&r);
    r = lint_text("# only a comment\n", NULL);
    ck_assert_uint_eq(diag_count(r.diag), 0);
    run_free(&r);
}
END_TEST

/* Hostile input: garbage, truncation, deep nesting, many rules. Nothing
 * may crash; sizes stay bounded. */
START_TEST(hostile_input)
{
    static const char *const bad[] = {
        "if", "if header", "if header :is", "if header :is \"a\"", "if header :is \"a\" \"b\" {",
        "}}}}", "\"unterminated", "text:\nno end", "if size :under 99999999999999999999999 { }",
        "if size :over 18446744073709551615 { discard; }", "if allof() { keep; }",
        "if anyof(not not not true) { } elsif else { }", "elsif true { } else { }",
        "\x01\x02\xff\xfe", "stop; stop; stop;", "require [];", "require \"\\0\";",
        "if not { }", "fileinto \"x\"; fileinto \"x\" \"y\";",
    };
    sieve_limits lim;
    sieve_limits_default(&lim);
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        run r = lint_text(bad[i], NULL);
        run_free(&r);
        /* lint_check on whatever partial tree the parser left, checked or not */
        source *src = source_from_memory("t.sieve", bad[i], strlen(bad[i]));
        diag_sink *d = diag_sink_new(0);
        ast_script *script = NULL;
        parse_script(src, &lim, d, &script);
        if (script) {
            lint_check(script, NULL, d);
            sema_result *res = NULL;
            sema_check(script, &lim, d, &res);
            lint_check(script, res, d);
            sema_result_free(&res);
        }
        ast_script_free(&script);
        diag_sink_free(&d);
        source_free(&src);
    }
    /* deep nesting of blocks and of tests */
    size_t depth = 2000;
    char *s = malloc(depth * 40 + 64);
    size_t o = 0;
    for (size_t i = 0; i < depth; i++)
        o += (size_t)sprintf(s + o, "if true {");
    for (size_t i = 0; i < depth; i++)
        s[o++] = '}';
    s[o] = '\0';
    run r = lint_text(s, NULL);
    ck_assert_uint_ge(r.errors, 1);   /* nesting limit */
    run_free(&r);
    o = (size_t)sprintf(s, "if ");
    for (size_t i = 0; i < depth; i++)
        o += (size_t)sprintf(s + o, "not ");
    o += (size_t)sprintf(s + o, "true { keep; }");
    r = lint_text(s, NULL);
    run_free(&r);
    free(s);

    /* 5000 rules with the same action: one warning per repeat, quickly */
    size_t n = 5000;
    s = malloc(n * 64 + 64);
    o = (size_t)sprintf(s, "require \"fileinto\";\n");
    for (size_t i = 0; i < n; i++)
        o += (size_t)sprintf(s + o, "if header :is \"h%zu\" \"v\" { fileinto \"f%zu\"; }\n", i, i % 7);
    r = lint_text(s, NULL);
    ck_assert_uint_eq(r.errors, 0);
    ck_assert_uint_eq(count_id(&r, "duplicate-action"), 0);
    run_free(&r);
    o = (size_t)sprintf(s, "require \"fileinto\";\n");
    for (size_t i = 0; i < n; i++)
        o += (size_t)sprintf(s + o, "fileinto \"f%zu\";\n", i);
    r = lint_text(s, NULL);
    ck_assert_uint_eq(r.errors, 0);
    ck_assert_uint_eq(count_id(&r, "duplicate-action"), 0);
    run_free(&r);
    free(s);
}
END_TEST

START_TEST(werror_turns_lint_into_errors)
{
    source *src = source_from_memory("t.sieve", "keep;\nkeep;\n", 12);
    diag_sink *d = diag_sink_new(0);
    diag_set_warnings_as_errors(d, true);
    ck_assert_uint_eq(lint_source(src, NULL, d), 1);
    ck_assert_str_eq(diag_get(d, 0)->id, "duplicate-action");
    ck_assert_int_eq(diag_get(d, 0)->severity, DIAG_ERROR);
    diag_sink_free(&d);
    source_free(&src);
}
END_TEST

static Suite *lint_suite(void)
{
    Suite *s = suite_create("lint");
    TCase *tc = tcase_create("core");
    tcase_set_timeout(tc, 60);
    tcase_add_test(tc, list_has_published_ids);
    tcase_add_test(tc, config_set_and_filter);
    tcase_add_test(tc, config_drops_warning_in_sink);
    tcase_add_test(tc, unused_require);
    tcase_add_test(tc, code_after_stop);
    tcase_add_test(tc, unreachable_branch);
    tcase_add_test(tc, matches_without_wildcards);
    tcase_add_test(tc, contains_empty);
    tcase_add_test(tc, ascii_numeric);
    tcase_add_test(tc, invalid_header_name);
    tcase_add_test(tc, impossible_size);
    tcase_add_test(tc, duplicate_action);
    tcase_add_test(tc, conflicting_actions);
    tcase_add_test(tc, deprecated_extension);
    tcase_add_test(tc, vacation_without_days);
    tcase_add_test(tc, clean_script_is_silent);
    tcase_add_test(tc, findings_in_source_order);
    tcase_add_test(tc, errors_still_lint);
    tcase_add_test(tc, null_and_empty);
    tcase_add_test(tc, hostile_input);
    tcase_add_test(tc, werror_turns_lint_into_errors);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    SRunner *sr = srunner_create(lint_suite());
    srunner_run_all(sr, CK_NORMAL);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
