/* End-to-end tests: sievec FILE -o X.so, sieve_filter_load, sieve_run.
 * Expected results follow RFC 5228 and Pigeonhole 0.5.19 (sieve-test),
 * except where result.h documents a deliberate difference. */
#define _GNU_SOURCE
#include <check.h>
#include <dirent.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "sieve/sieve.h"

static char DIR_[256];
static char KEY[300];
static sieve_load_options OPT;
static char ERR[1024];

static const char MSG[] =
    "Return-Path: <bounce@lists.example.org>\n"
    "From: \"Joe Doe\" <joe+sieve@Example.COM>\n"
    "To: team@example.org, boss@example.net\n"
    "Cc: x@y.z\n"
    "Subject: [list] Weekly report 42\n"
    "X-Spam-Score: 7\n"
    "Date: Mon, 23 Nov 2026 08:00:00 +0000\n"
    "Content-Type: text/plain; charset=utf-8\n"
    "\n"
    "Hello team,\n"
    "the numbers are in.\n";

static void setup(void)
{
    snprintf(DIR_, sizeof DIR_, "/tmp/test_runtime.XXXXXX");
    ck_assert_ptr_nonnull(mkdtemp(DIR_));
    snprintf(KEY, sizeof KEY, "%s/mac.key", DIR_);
    FILE *f = fopen(KEY, "wb");
    for (int i = 0; i < 32; i++)
        fputc(i * 13 + 5, f);
    fclose(f);
    chmod(KEY, 0600);
    static char cache[320];
    snprintf(cache, sizeof cache, "%s/cache", DIR_);
    memset(&OPT, 0, sizeof OPT);
    OPT.key_file = KEY;
    OPT.cache_dir = cache;
    OPT.check_owner = true;
    OPT.owner = geteuid();
}

static void teardown(void)
{
    char cmd[600];
    snprintf(cmd, sizeof cmd, "rm -rf %s", DIR_);
    ck_assert_int_eq(system(cmd), 0);
}

static int counter;

/* Compiles script; NULL with the compiler's output in ERR on failure. */
static sieve_filter *compile(const char *script)
{
    char src[320], so[320], log[320], cmd[1400];
    int n = counter++;
    snprintf(src, sizeof src, "%s/s%d.sieve", DIR_, n);
    snprintf(so, sizeof so, "%s/s%d.so", DIR_, n);
    snprintf(log, sizeof log, "%s/s%d.log", DIR_, n);
    FILE *f = fopen(src, "w");
    fputs(script, f);
    fclose(f);
    snprintf(cmd, sizeof cmd, "'%s' --key-file '%s' '%s' -o '%s' >'%s' 2>&1", SIEVEC_BIN, KEY, src, so, log);
    int rc = system(cmd);
    if (rc != 0) {
        f = fopen(log, "r");
        size_t k = f ? fread(ERR, 1, sizeof ERR - 1, f) : 0;
        ERR[k] = '\0';
        if (f)
            fclose(f);
        return NULL;
    }
    sieve_filter *flt = NULL;
    ck_assert_msg(sieve_filter_load(so, &OPT, &flt, ERR, sizeof ERR) == 0, "load: %s", ERR);
    return flt;
}

/* The result as "kind:arg[:copy]" items joined by " ; "; an error as
 * "ERROR <text> => <actions>". */
static void describe(const sieve_result *r, char *out, size_t outlen)
{
    size_t at = 0;
    out[0] = '\0';
    if (sieve_result_error(r))
        at += (size_t)snprintf(out + at, outlen - at, "ERROR %s => ", sieve_result_error(r));
    for (size_t i = 0; i < sieve_result_count(r) && at < outlen; i++) {
        const sieve_action *a = sieve_result_action(r, i);
        const char *sep = i ? " ; " : "";
        switch (a->kind) {
        case SIEVE_ACT_KEEP:
            at += (size_t)snprintf(out + at, outlen - at, "%s%s", sep, a->implicit ? "implicit-keep" : "keep");
            break;
        case SIEVE_ACT_FILEINTO:
            at += (size_t)snprintf(out + at, outlen - at, "%sfileinto:%s%s", sep, a->mailbox, a->copy ? ":copy" : "");
            break;
        case SIEVE_ACT_REDIRECT:
            at += (size_t)snprintf(out + at, outlen - at, "%sredirect:%s%s", sep, a->address, a->copy ? ":copy" : "");
            break;
        case SIEVE_ACT_DISCARD:
            at += (size_t)snprintf(out + at, outlen - at, "%sdiscard", sep);
            break;
        case SIEVE_ACT_REJECT:
        case SIEVE_ACT_EREJECT:
            at += (size_t)snprintf(out + at, outlen - at, "%s%s:%s", sep,
                                   a->kind == SIEVE_ACT_REJECT ? "reject" : "ereject", a->reason);
            break;
        default:
            at += (size_t)snprintf(out + at, outlen - at, "%s?%d", sep, a->kind);
        }
    }
}

typedef struct rcase {
    const char *name;
    const char *script;
    const char *want;          /* describe() output; prefix match for errors */
    const char *from, *to;     /* envelope; NULL: defaults */
    const char *msg;           /* NULL: MSG */
} rcase;

/* Cases name only the fields they need. */
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wmissing-field-initializers"
static const rcase CASES[] = {
    { "empty", "", "implicit-keep" },
    { "keep", "keep;", "keep" },
    { "discard", "discard;", "discard" },
    { "stop", "stop; discard;", "implicit-keep" },
    { "fileinto", "require \"fileinto\"; fileinto \"A\";", "fileinto:A" },
    { "fileinto copy", "require [\"fileinto\",\"copy\"]; fileinto :copy \"A\";", "fileinto:A:copy ; implicit-keep" },
    { "keep dup inbox", "require \"fileinto\"; keep; fileinto \"INBOX\"; fileinto \"A\"; fileinto \"A\"; discard;",
      "keep ; fileinto:A ; discard" },
    { "redirect", "redirect \"Joe <joe@Example.ORG>\";", "redirect:joe@example.org" },
    { "redirect dup", "redirect \"a@x.org\"; redirect \"a@x.org\"; redirect \"b@x.org\";",
      "redirect:a@x.org ; redirect:b@x.org" },
    { "redirect limit",
      "redirect \"a@x.org\"; redirect \"b@x.org\"; redirect \"c@x.org\"; redirect \"d@x.org\"; redirect \"e@x.org\";",
      "ERROR line 1: number of redirect actions exceeds policy limit (5 > 4) => implicit-keep" },
    { "reject keep", "require \"reject\"; reject \"no\"; keep;",
      "ERROR line 1: reject/ereject action conflicts with other action: the store action (line 1) tries to deliver the message => implicit-keep" },
    { "reject discard", "require \"reject\"; discard; reject \"go away\";", "discard ; reject:go away" },
    { "header is", "if header :is \"subject\" \"[LIST] weekly report 42\" { discard; }", "discard" },
    { "header octet", "if header :comparator \"i;octet\" :is \"subject\" \"[LIST] weekly report 42\" { discard; }",
      "implicit-keep" },
    { "header matches capture",
      "require [\"variables\",\"fileinto\"]; if header :matches \"Subject\" \"[*] * report *\" { fileinto \"${1}.${2}.${3}\"; }",
      "fileinto:list.Weekly.42" },
    { "regex capture",
      "require [\"variables\",\"fileinto\",\"regex\"]; if header :regex \"Subject\" \"([0-9]+)$\" { fileinto \"n${1}\"; }",
      "fileinto:n42" },
    { "address parts",
      "require [\"fileinto\",\"subaddress\"]; if address :user \"from\" \"joe\" { if address :detail \"from\" \"sieve\" { if address :domain \"from\" \"example.com\" { fileinto \"ok\"; } } }",
      "fileinto:ok" },
    { "address all list", "if address :all :is \"to\" \"boss@example.net\" { discard; }", "discard" },
    { "envelope", "require [\"envelope\",\"fileinto\"]; if envelope :domain \"from\" \"lists.example.org\" { fileinto \"lists\"; }",
      "fileinto:lists", "bounce@lists.example.org", "me@example.org" },
    { "envelope null", "require \"envelope\"; if envelope :is \"from\" \"\" { discard; }", "discard", "<>", "me@x.org" },
    { "envelope detail", "require [\"envelope\",\"subaddress\",\"fileinto\",\"variables\"]; if envelope :matches :detail \"to\" \"*\" { fileinto \"d-${0}\"; }",
      "fileinto:d-box", "a@b.c", "me+box@x.org" },
    { "exists", "if exists [\"cc\",\"x-spam-score\"] { discard; }", "discard" },
    { "exists not", "if exists [\"cc\",\"x-nothere\"] { discard; }", "implicit-keep" },
    { "size over", "if size :over 200 { discard; }", "discard" },
    { "size under", "if size :under 200 { discard; }", "implicit-keep" },
    { "not allof anyof", "if allof(not exists \"bcc\", anyof(false, header :contains \"to\" \"boss\")) { discard; }", "discard" },
    { "relational", "require [\"relational\",\"comparator-i;ascii-numeric\"]; if header :value \"ge\" :comparator \"i;ascii-numeric\" \"x-spam-score\" \"5\" { discard; }",
      "discard" },
    { "count", "require [\"relational\",\"comparator-i;ascii-numeric\"]; if address :count \"eq\" :comparator \"i;ascii-numeric\" [\"to\",\"cc\"] \"3\" { discard; }",
      "discard" },
    { "body", "require \"body\"; if body :contains \"numbers are\" { discard; }", "discard" },
    { "body raw", "require \"body\"; if body :raw :contains \"team,\" { discard; }", "discard" },
    { "set modifiers",
      "require [\"variables\",\"fileinto\"]; set \"a\" \"juMBlEd lETteRS\"; set :upperfirst :lower \"b\" \"${a}\"; set :length \"l\" \"${a}\"; fileinto \"${b}-${l}\";",
      "fileinto:Jumbled letters-15" },
    { "string count", "require [\"variables\",\"relational\"]; set \"e\" \"\"; if string :count \"eq\" [\"${e}\", \"x\", \"y\"] \"2\" { discard; }",
      "discard" },
    { "variable redirect invalid", "require \"variables\"; set \"a\" \"not valid\"; redirect \"${a}\";",
      "ERROR line 1: specified redirect address 'not valid' is invalid => implicit-keep" },
    { "encoded character", "require [\"encoded-character\",\"fileinto\"]; fileinto \"${hex:41 42}\";", "fileinto:AB" },
    { "unicode casemap", "require \"comparator-i;unicode-casemap\"; if header :comparator \"i;unicode-casemap\" :contains \"from\" \"JOE DOE\" { discard; }", "discard" },
    { "match vars survive failure",
      "require [\"variables\",\"fileinto\"]; if header :matches \"subject\" \"*report*\" {} if header :matches \"subject\" \"nomatch*\" {} fileinto \"x${2}\";",
      "fileinto:x 42" },
    { "variables in names keys parts",
      "require [\"fileinto\",\"variables\",\"regex\",\"envelope\"]; set \"h\" \"subject\"; set \"k\" \"(r[a-z]+)\"; set \"p\" \"FROM\";"
      " if header :regex \"${h}\" \"${k}\" { fileinto \"re-${1}\"; }"
      " if envelope :domain \"${p}\" \"example.org\" { fileinto \"env\"; }",
      "fileinto:re-report ; fileinto:env" },
    { "error keeps only implicit", "require [\"fileinto\",\"variables\"]; fileinto \"A\"; set \"a\" \"x y\"; redirect \"${a}\";",
      "ERROR line 1: specified redirect address 'x y' is invalid => implicit-keep" },
};
#pragma GCC diagnostic pop

START_TEST(scripts)
{
    sieve_session *s = sieve_session_new(NULL);
    const rcase *c = &CASES[_i];
    sieve_filter *f = compile(c->script);
    ck_assert_msg(f != NULL, "%s: does not compile: %s", c->name, ERR);
    sieve_envelope env = { c->from ? c->from : "sender@example.org", c->to ? c->to : "me@example.org", NULL, NULL, NULL, NULL };
    const char *msg = c->msg ? c->msg : MSG;
    const sieve_result *r;
    ck_assert_int_eq(sieve_run(s, f, msg, strlen(msg), &env, &r, ERR, sizeof ERR), 0);
    char got[2048];
    describe(r, got, sizeof got);
    ck_assert_msg(strcmp(got, c->want) == 0, "%s:\n got  %s\n want %s", c->name, got, c->want);
    /* the same session and filter, again: same answer */
    ck_assert_int_eq(sieve_run(s, f, msg, strlen(msg), &env, &r, ERR, sizeof ERR), 0);
    char again[2048];
    describe(r, again, sizeof again);
    ck_assert_str_eq(got, again);
    sieve_filter_unref(&f);
    sieve_session_free(&s);
}
END_TEST

/* A script reading more distinct header names than the runtime's header
 * index holds (RT_HDR_SET_MAX) still loads; names past the index are found
 * by scanning, so a match on the last one works. */
START_TEST(more_header_names_than_the_index)
{
    size_t cap = 6000 * 64 + 256, len = 0;
    char *script = malloc(cap);
    len += (size_t)snprintf(script + len, cap - len, "require \"fileinto\";\n");
    for (int i = 0; i < 6000; i++)
        len += (size_t)snprintf(script + len, cap - len,
                                "if header :is \"X-H%d\" \"v\" { fileinto \"f%d\"; }\n", i, i);
    sieve_filter *f = compile(script);
    free(script);
    ck_assert_msg(f != NULL, "does not compile: %s", ERR);
    sieve_session *s = sieve_session_new(NULL);
    const char msg[] = "From: a@example.org\nX-H5999: v\nX-H1: w\n\nbody\n";
    sieve_envelope env = { "a@example.org", "me@example.org", NULL, NULL, NULL, NULL };
    const sieve_result *r;
    ck_assert_int_eq(sieve_run(s, f, msg, strlen(msg), &env, &r, ERR, sizeof ERR), 0);
    char got[256];
    describe(r, got, sizeof got);
    ck_assert_str_eq(got, "fileinto:f5999");
    sieve_session_free(&s);
    sieve_filter_unref(&f);
}
END_TEST

START_TEST(no_allocation_compiled)
{
    sieve_filter *f = compile(
        "require [\"fileinto\",\"copy\",\"variables\",\"envelope\",\"subaddress\",\"body\",\"relational\"];\n"
        "if header :matches \"subject\" \"*report*\" { set \"x\" \"${1}\"; }\n"
        "if address :domain :is [\"from\",\"to\"] \"example.org\" { fileinto :copy \"org\"; }\n"
        "if envelope :user \"to\" \"me\" { fileinto \"me-${x}\"; }\n"
        "if body :text :contains \"numbers\" { keep; }\n"
        "if header :count \"ge\" \"received\" \"1\" { discard; }\n");
    ck_assert_msg(f != NULL, "%s", ERR);
    sieve_session *s = sieve_session_new(NULL);
    char msgs[6][800];
    for (int i = 0; i < 6; i++)
        snprintf(msgs[i], sizeof msgs[i],
                 "From: u%d@example.%s\nTo: t%d@example.org\nSubject: r%d report %d\n%s\nbody %d numbers\n",
                 i, i % 2 ? "org" : "com", i, i, i * 7, i % 3 ? "Received: x\n" : "", i);
    sieve_envelope env = { "s@x.org", "me+tag@example.org", NULL, NULL, NULL, NULL };
    const sieve_result *r;
    for (int i = 0; i < 30; i++)
        ck_assert_int_eq(sieve_run(s, f, msgs[i % 6], strlen(msgs[i % 6]), &env, &r, ERR, sizeof ERR), 0);
    uint64_t before = sieve_session_mallocs(s);
    for (int i = 0; i < 3000; i++) {
        ck_assert_int_eq(sieve_run(s, f, msgs[i % 6], strlen(msgs[i % 6]), &env, &r, ERR, sizeof ERR), 0);
        ck_assert_ptr_null(sieve_result_error(r));
    }
    ck_assert_uint_eq(sieve_session_mallocs(s), before);
    sieve_session_free(&s);
    sieve_filter_unref(&f);
}
END_TEST

/* date, currentdate, index and environment (RFC 5260, RFC 5183) in the
 * steady state: dates are parsed and formatted on the run's arena, so no
 * heap allocation per message either; and the answers follow
 * sieve_settings.now, zone_offset and the envelope's remote_ip. */
START_TEST(no_allocation_date)
{
    sieve_filter *f = compile(
        "require [\"fileinto\",\"variables\",\"date\",\"index\",\"environment\",\"relational\"];\n"
        "if date :originalzone :matches \"date\" \"iso8601\" \"*\" { set \"d\" \"${1}\"; }\n"
        "if date :index 1 :last :matches \"received\" \"time\" \"*\" { set \"h\" \"${1}\"; }\n"
        "if currentdate :matches \"std11\" \"*\" { set \"n\" \"${1}\"; }\n"
        "if environment :matches \"remote-ip\" \"*\" { set \"ip\" \"${1}\"; }\n"
        "fileinto \"${d}|${h}|${n}|${ip}\";\n");
    ck_assert_msg(f != NULL, "%s", ERR);
    sieve_settings st = { .now = 1767614400, .zone_offset = 60 };   /* 2026-01-05 12:00Z */
    sieve_session *s = sieve_session_new(&st);
    char msgs[4][400];
    for (int i = 0; i < 4; i++)
        snprintf(msgs[i], sizeof msgs[i],
                 "Received: from b by c; Mon, 5 Jan 2026 1%d:00:00 +0000\n"
                 "Received: from a by b; Mon, 5 Jan 2026 0%d:30:00 +0000\n"
                 "Date: Mon, %d Jan 26 0%d:00 EST\nSubject: s\n\nbody\n", i, i, i + 1, i);
    sieve_envelope env = { .mail_from = "s@example.org", .rcpt_to = "me@example.org",
                           .remote_ip = "192.0.2.7" };
    const sieve_result *r;
    ck_assert_int_eq(sieve_run(s, f, msgs[2], strlen(msgs[2]), &env, &r, ERR, sizeof ERR), 0);
    ck_assert_ptr_null(sieve_result_error(r));
    ck_assert_uint_eq(sieve_result_count(r), 1);
    ck_assert_str_eq(sieve_result_action(r, 0)->mailbox,
                     "2026-01-03T02:00:00-05:00|03:30:00|Mon, 05 Jan 2026 13:00:00 +0100|192.0.2.7");
    for (int i = 0; i < 20; i++)
        ck_assert_int_eq(sieve_run(s, f, msgs[i % 4], strlen(msgs[i % 4]), &env, &r, ERR, sizeof ERR), 0);
    uint64_t before = sieve_session_mallocs(s);
    for (int i = 0; i < 2000; i++) {
        ck_assert_int_eq(sieve_run(s, f, msgs[i % 4], strlen(msgs[i % 4]), &env, &r, ERR, sizeof ERR), 0);
        ck_assert_ptr_null(sieve_result_error(r));
    }
    ck_assert_uint_eq(sieve_session_mallocs(s), before);
    sieve_session_free(&s);
    sieve_filter_unref(&f);
}
END_TEST

/* One filter, many threads, a session each (sieve.h: filters are shared,
 * sessions are per thread). */
typedef struct worker {
    sieve_filter *f;
    int id;
    int bad;
} worker;

static void *work(void *arg)
{
    worker *w = arg;
    sieve_session *s = sieve_session_new(NULL);
    char msg[300], want[64];
    for (int i = 0; i < 400; i++) {
        int n = w->id * 1000 + i;
        snprintf(msg, sizeof msg, "From: a@b.c\nSubject: ticket %d open\n\nbody\n", n);
        snprintf(want, sizeof want, "t%d", n);
        const sieve_result *r;
        char err[256];
        if (sieve_run(s, w->f, msg, strlen(msg), NULL, &r, err, sizeof err) != 0 ||
            sieve_result_count(r) != 1 || !sieve_result_action(r, 0)->mailbox ||
            strcmp(sieve_result_action(r, 0)->mailbox, want) != 0)
            w->bad++;
    }
    sieve_session_free(&s);
    return NULL;
}

START_TEST(threads_share_a_filter)
{
    sieve_filter *f = compile("require [\"fileinto\",\"variables\"];\n"
                              "if header :matches \"subject\" \"ticket * open\" { fileinto \"t${1}\"; }\n");
    ck_assert_msg(f != NULL, "%s", ERR);
    pthread_t t[4];
    worker w[4];
    for (int i = 0; i < 4; i++) {
        w[i] = (worker){ f, i, 0 };
        ck_assert_int_eq(pthread_create(&t[i], NULL, work, &w[i]), 0);
    }
    for (int i = 0; i < 4; i++) {
        pthread_join(t[i], NULL);
        ck_assert_int_eq(w[i].bad, 0);
    }
    sieve_filter_unref(&f);
}
END_TEST

/* ---- the shared corpus: real mail, edge cases ------------------------- */

typedef struct corpus {
    char **msg;
    size_t *len;
    size_t n, cap;
} corpus;

static void corpus_dir(corpus *c, const char *dir)
{
    static const char *const subs[] = { "cur", "new" };
    for (int k = 0; k < 2; k++) {
        char path[600];
        snprintf(path, sizeof path, "%s/%s", dir, subs[k]);
        DIR *d = opendir(path);
        if (!d)
            continue;
        struct dirent *e;
        while ((e = readdir(d))) {
            if (e->d_name[0] == '.')
                continue;
            char file[1200];
            snprintf(file, sizeof file, "%s/%s", path, e->d_name);
            FILE *f = fopen(file, "rb");
            if (!f)
                continue;
            fseek(f, 0, SEEK_END);
            long n = ftell(f);
            fseek(f, 0, SEEK_SET);
            if (c->n == c->cap) {
                c->cap = c->cap ? 2 * c->cap : 256;
                c->msg = realloc(c->msg, c->cap * sizeof *c->msg);
                c->len = realloc(c->len, c->cap * sizeof *c->len);
            }
            c->msg[c->n] = malloc((size_t)n + 1);
            c->len[c->n] = fread(c->msg[c->n], 1, (size_t)n, f);
            c->n++;
            fclose(f);
        }
        closedir(d);
    }
}

/* Every message of the edge and bench-sample Maildirs, twice: the first
 * pass warms the arena up, the second may not call malloc at all. */
START_TEST(corpus_no_allocation)
{
    corpus c = { 0 };
    corpus_dir(&c, SIEVEC_CORPUS_DIR "/edge");
    corpus_dir(&c, SIEVEC_CORPUS_DIR "/bench-sample");
    if (c.n == 0) {
        fprintf(stderr, "corpus not found under %s: skipped\n", SIEVEC_CORPUS_DIR);
        return;
    }
    sieve_filter *f = compile(
        "require [\"fileinto\",\"copy\",\"variables\",\"envelope\",\"subaddress\",\"body\",\"relational\",\"regex\","
        "\"comparator-i;ascii-numeric\"];\n"
        "if header :matches \"subject\" \"*re*\" { set :lower :length \"x\" \"${2}\"; }\n"
        "if address :domain :is [\"from\",\"to\",\"cc\"] [\"example.org\",\"lists.sourceforge.net\"] { fileinto :copy \"org\"; }\n"
        "if address :detail :contains \"to\" \"a\" { fileinto :copy \"detail\"; }\n"
        "if envelope :user \"to\" \"me\" { fileinto :copy \"me-${x}\"; }\n"
        "if body :text :contains [\"unsubscribe\", \"viagra\"] { fileinto :copy \"body\"; }\n"
        "if header :count \"ge\" :comparator \"i;ascii-numeric\" \"received\" \"5\" { fileinto :copy \"hops\"; }\n"
        "if header :regex \"x-mailer\" \"^([A-Za-z]+)\" { set \"m\" \"${1}\"; }\n"
        "if allof(exists \"list-id\", size :over 10K) { fileinto :copy \"biglist\"; }\n"
        "if string :is \"${m}\" \"\" { keep; } else { fileinto \"mailer\"; }\n");
    ck_assert_msg(f != NULL, "%s", ERR);
    sieve_session *s = sieve_session_new(NULL);
    sieve_envelope env = { "sender@example.net", "me+tag@example.org", NULL, NULL, NULL, NULL };
    const sieve_result *r;
    size_t errors = 0, actions = 0;
    for (size_t i = 0; i < c.n; i++) {
        ck_assert_int_eq(sieve_run(s, f, c.msg[i], c.len[i], &env, &r, ERR, sizeof ERR), 0);
        errors += sieve_result_error(r) != NULL;
        actions += sieve_result_count(r);
    }
    ck_assert_uint_eq(errors, 0);
    ck_assert_uint_gt(actions, c.n);
    uint64_t before = sieve_session_mallocs(s);
    for (size_t i = 0; i < c.n; i++)
        ck_assert_int_eq(sieve_run(s, f, c.msg[i], c.len[i], &env, &r, ERR, sizeof ERR), 0);
    ck_assert_msg(sieve_session_mallocs(s) == before, "%llu mallocs in the steady state over %zu messages",
                  (unsigned long long)(sieve_session_mallocs(s) - before), c.n);
    sieve_session_free(&s);
    sieve_filter_unref(&f);
    for (size_t i = 0; i < c.n; i++)
        free(c.msg[i]);
    free(c.msg);
    free(c.len);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("runtime");
    TCase *tc = tcase_create("e2e");
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_set_timeout(tc, 120);
    tcase_add_loop_test(tc, scripts, 0, (int)(sizeof CASES / sizeof CASES[0]));
    tcase_add_test(tc, no_allocation_compiled);
    tcase_add_test(tc, no_allocation_date);
    tcase_add_test(tc, more_header_names_than_the_index);
    tcase_add_test(tc, threads_share_a_filter);
    tcase_add_test(tc, corpus_no_allocation);
    suite_add_tcase(s, tc);
    SRunner *sr = srunner_create(s);
    srunner_run_all(sr, CK_NORMAL);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
