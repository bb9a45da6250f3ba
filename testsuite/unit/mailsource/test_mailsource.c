/* Unit tests for tools/common: mail sources (mbox, Maildir, files),
 * envelope recovery, JSON and Sieve string writers, option parsing. */
#define _GNU_SOURCE 1
#include <check.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "envelope.h"
#include "jsonw.h"
#include "mailsource.h"
#include "toolopt.h"

/* ---- helpers ---- */

typedef struct collected {
    size_t n;
    char *ids[64];
    char *data[64];
    size_t len[64];
    char *err[64];
    char *flags[64];
    char *folder[64];
    int is_new[64];
} collected;

static void collect(ms_source *s, collected *c)
{
    memset(c, 0, sizeof *c);
    ms_message m;
    while (ms_next(s, &m) == 1) {
        ck_assert_uint_lt(c->n, 64);
        ck_assert_uint_eq(m.index, c->n + 1);
        c->ids[c->n] = strdup(m.id);
        c->data[c->n] = m.data ? strndup(m.data, m.len) : NULL;
        c->len[c->n] = m.len;
        c->err[c->n] = m.error ? strdup(m.error) : NULL;
        c->flags[c->n] = m.flags ? strdup(m.flags) : NULL;
        c->folder[c->n] = m.folder ? strdup(m.folder) : NULL;
        c->is_new[c->n] = m.is_new;
        c->n++;
    }
}

static void collected_free(collected *c)
{
    for (size_t i = 0; i < c->n; i++) {
        free(c->ids[i]);
        free(c->data[i]);
        free(c->err[i]);
        free(c->flags[i]);
        free(c->folder[i]);
    }
}

static void mbox_collect(const char *text, size_t len, const ms_options *o, collected *c)
{
    ms_source *s;
    char err[256];
    ck_assert_int_eq(ms_open_memory("m.mbox", text, len, o, &s, err, sizeof err), 0);
    collect(s, c);
    ms_close(&s);
    ck_assert_ptr_null(s);
}

#define MBOX(lit, o, c) mbox_collect(lit, sizeof(lit) - 1, o, c)

/* ---- mbox ---- */

START_TEST(mbox_two_messages)
{
    collected c;
    MBOX("From alice@example.org Mon Nov 23 08:53:36 2026\n"
         "Subject: one\n\nbody 1\n\n"
         "From MAILER-DAEMON Tue Nov 24 08:53:36 2026\n"
         "Subject: two\n\nbody 2\n\n", NULL, &c);
    ck_assert_uint_eq(c.n, 2);
    ck_assert_str_eq(c.ids[0], "m.mbox#1");
    ck_assert_str_eq(c.ids[1], "m.mbox#2");
    ck_assert_str_eq(c.data[0], "Subject: one\n\nbody 1\n");
    ck_assert_str_eq(c.data[1], "Subject: two\n\nbody 2\n");
    collected_free(&c);
}
END_TEST

START_TEST(mbox_sender_word)
{
    static const char t[] = "From bob@example.org Mon Nov 23 08:53:36 2026\nX: y\n\n";
    ms_source *s;
    char err[256];
    ck_assert_int_eq(ms_open_memory("x", t, sizeof t - 1, NULL, &s, err, sizeof err), 0);
    ck_assert_int_eq(ms_source_kind(s), MS_KIND_MBOX);
    ms_message m;
    ck_assert_int_eq(ms_next(s, &m), 1);
    ck_assert_uint_eq(m.mbox_sender_len, strlen("bob@example.org"));
    ck_assert(memcmp(m.mbox_sender, "bob@example.org", m.mbox_sender_len) == 0);
    /* No quoted line: the message points into the caller's bytes. */
    ck_assert(m.data >= t && m.data < t + sizeof t);
    ck_assert_int_eq(ms_next(s, &m), 0);
    ck_assert_int_eq(ms_next(s, &m), 0);
    ms_close(&s);
}
END_TEST

START_TEST(mbox_rd_unquoting)
{
    collected c;
    MBOX("From a@example.org Mon Nov 23 08:53:36 2026\n"
         ">From the start\n"
         "x\n>From here\n>>From there\n>>>From far\n> quoted reply\n>From\n"
         "From a@example.org Mon Nov 23 08:53:37 2026\n\n", NULL, &c);
    /* The third line block holds an unquoted "From " that is not after an
     * empty line: it stays in the body. */
    ck_assert_uint_eq(c.n, 1);
    ck_assert_str_eq(c.data[0], "From the start\nx\nFrom here\n>From there\n>>From far\n"
                                "> quoted reply\n>From\n"
                                "From a@example.org Mon Nov 23 08:53:37 2026\n");
    collected_free(&c);
}
END_TEST

START_TEST(mbox_o_unquoting)
{
    ms_options o = { .quoting = MS_MBOXO };
    collected c;
    MBOX("From a@example.org Mon Nov 23 08:53:36 2026\n"
         "x\n>From here\n>>From there\n\n", &o, &c);
    ck_assert_uint_eq(c.n, 1);
    ck_assert_str_eq(c.data[0], "x\nFrom here\n>>From there\n");
    collected_free(&c);
}
END_TEST

START_TEST(mbox_from_in_body)
{
    collected c;
    /* After an empty line but without a date: a paragraph, not a separator. */
    MBOX("From a@example.org Mon Nov 23 08:53:36 2026\n"
         "Subject: s\n\nHello\n\nFrom here on, things change.\n\n"
         "From b@example.org Mon Nov 23 09:00:00 2026\n"
         "Subject: t\n\nbye\n", NULL, &c);
    ck_assert_uint_eq(c.n, 2);
    ck_assert_str_eq(c.data[0], "Subject: s\n\nHello\n\nFrom here on, things change.\n");
    ck_assert_str_eq(c.data[1], "Subject: t\n\nbye\n");
    collected_free(&c);
}
END_TEST

START_TEST(mbox_crlf)
{
    collected c;
    MBOX("From a@example.org Mon Nov 23 08:53:36 2026\r\n"
         "Subject: s\r\n\r\nbody\r\n\r\n"
         "From b@example.org Mon Nov 23 08:53:36 2026\r\n"
         "Subject: t\r\n\r\n>From x\r\n\r\n", NULL, &c);
    ck_assert_uint_eq(c.n, 2);
    ck_assert_str_eq(c.data[0], "Subject: s\r\n\r\nbody\r\n");
    ck_assert_str_eq(c.data[1], "Subject: t\r\n\r\nFrom x\r\n");
    collected_free(&c);
}
END_TEST

START_TEST(mbox_missing_final_newline)
{
    collected c;
    MBOX("From a@example.org Mon Nov 23 08:53:36 2026\nSubject: s\n\nno newline", NULL, &c);
    ck_assert_uint_eq(c.n, 1);
    ck_assert_str_eq(c.data[0], "Subject: s\n\nno newline");
    collected_free(&c);
    /* Only a From line, no line end at all. */
    MBOX("From a@example.org Mon Nov 23 08:53:36 2026", NULL, &c);
    ck_assert_uint_eq(c.n, 1);
    ck_assert_uint_eq(c.len[0], 0);
    collected_free(&c);
}
END_TEST

START_TEST(mbox_empty_message)
{
    collected c;
    MBOX("From a@example.org Mon Nov 23 08:53:36 2026\n"
         "From b@example.org Mon Nov 23 08:53:36 2026\n"
         "X: 1\n\n", NULL, &c);
    ck_assert_uint_eq(c.n, 2);
    ck_assert_uint_eq(c.len[0], 0);
    ck_assert_ptr_null(c.err[0]);
    ck_assert_str_eq(c.data[1], "X: 1\n");
    collected_free(&c);
}
END_TEST

START_TEST(mbox_empty_file)
{
    ms_options o = { .format = MS_FORMAT_MBOX };
    collected c;
    mbox_collect("", 0, &o, &c);
    ck_assert_uint_eq(c.n, 0);
    mbox_collect("", 0, NULL, &c);
    ck_assert_uint_eq(c.n, 0);
}
END_TEST

START_TEST(not_an_mbox)
{
    static const char t[] = "Subject: hi\n\nFrom a@example.org Mon Nov 23 08:53:36 2026\n";
    ms_options o = { .format = MS_FORMAT_MBOX };
    ms_source *s = (ms_source *)1;
    char err[256] = "";
    ck_assert_int_eq(ms_open_memory("x.mbox", t, sizeof t - 1, &o, &s, err, sizeof err), -1);
    ck_assert_ptr_null(s);
    ck_assert(strstr(err, "x.mbox: not an mbox") != NULL);
    /* Auto: one message, as it is. */
    collected c;
    mbox_collect(t, sizeof t - 1, NULL, &c);
    ck_assert_uint_eq(c.n, 1);
    ck_assert_str_eq(c.ids[0], "m.mbox");
    ck_assert_str_eq(c.data[0], t);
    collected_free(&c);
    /* Forced message: an mbox is read as one message too. */
    ms_options om = { .format = MS_FORMAT_MESSAGE };
    static const char mb[] = "From a@example.org Mon Nov 23 08:53:36 2026\nX: 1\n\n";
    mbox_collect(mb, sizeof mb - 1, &om, &c);
    ck_assert_uint_eq(c.n, 1);
    ck_assert_str_eq(c.data[0], mb);
    collected_free(&c);
}
END_TEST

START_TEST(size_cap)
{
    ms_options o = { .max_message_size = 8 };
    collected c;
    MBOX("From a@example.org Mon Nov 23 08:53:36 2026\nSubject: long enough\n\n"
         "From a@example.org Mon Nov 23 08:53:36 2026\nX: 1\n\n", &o, &c);
    ck_assert_uint_eq(c.n, 2);
    ck_assert_ptr_null(c.data[0]);
    ck_assert_ptr_nonnull(c.err[0]);
    ck_assert_str_eq(c.data[1], "X: 1\n");
    collected_free(&c);
}
END_TEST

/* Hostile input: random mixtures of the tokens the parser looks for. The
 * messages must tile the input: each lies inside it or in the copy, and
 * their lengths never exceed it. */
START_TEST(mbox_hostile)
{
    static const char *const tok[] = { "From ", "From a 1:23\n", ">", ">>From ", "\n", "\r\n",
                                       "x", "\n\n", "From a@b Mon Nov 23 08:53:36 2026\n", "\r" };
    unsigned seed = 12345;
    char *buf = malloc(8192);
    for (int iter = 0; iter < 3000; iter++) {
        size_t len = 0;
        if (iter & 1) {
            memcpy(buf, "From ", 5);
            len = 5;
        }
        int n = (int)(rand_r(&seed) % 200);
        for (int k = 0; k < n; k++) {
            const char *t = tok[rand_r(&seed) % (sizeof tok / sizeof *tok)];
            size_t l = strlen(t);
            if (len + l > 8000)
                break;
            memcpy(buf + len, t, l);
            len += l;
        }
        /* A private copy with no slack, so ASan sees any overread. */
        char *exact = malloc(len ? len : 1);
        memcpy(exact, buf, len);
        for (int q = 0; q < 2; q++) {
            ms_options o = { .quoting = q ? MS_MBOXO : MS_MBOXRD };
            ms_source *s;
            char err[128];
            ck_assert_int_eq(ms_open_memory("h", exact, len, &o, &s, err, sizeof err), 0);
            ms_message m;
            size_t total = 0, count = 0;
            while (ms_next(s, &m) == 1) {
                ck_assert_ptr_nonnull(m.data);
                ck_assert_uint_le(m.len, len);
                total += m.len;
                count++;
                ck_assert_uint_le(count, len + 1);
            }
            ck_assert_uint_le(total, len);
            ms_close(&s);
        }
        free(exact);
    }
    free(buf);
}
END_TEST

/* ---- Maildir ---- */

static char tmpdir[256];

static void write_file(const char *rel, const char *text)
{
    char path[512];
    snprintf(path, sizeof path, "%s/%s", tmpdir, rel);
    FILE *f = fopen(path, "w");
    ck_assert_ptr_nonnull(f);
    fputs(text, f);
    fclose(f);
}

static void make_dir(const char *rel)
{
    char path[512];
    snprintf(path, sizeof path, "%s/%s", tmpdir, rel);
    ck_assert_int_eq(mkdir(path, 0700), 0);
}

static void maildir_setup(void)
{
    strcpy(tmpdir, "/tmp/test_mailsource.XXXXXX");
    ck_assert_ptr_nonnull(mkdtemp(tmpdir));
    make_dir("cur");
    make_dir("new");
    make_dir("tmp");
    /* Digit runs compare by value: 999 before 1000 although '9' > '1'. */
    write_file("cur/1000.M2P1Q1.host:2,S", "Subject: c\n\n");
    write_file("cur/999.M5P1Q1.host,S=12,W=14:2,FRS", "Subject: b\n\n");
    write_file("new/1000.M10P1Q1.host", "Subject: d\n\n");
    write_file("new/998.M1P1Q1.host", "Subject: a\n\n");
    write_file("cur/.keep", "");
    write_file("tmp/1.M1P1.host", "Subject: in tmp\n\n");
    make_dir(".Lists.raid");
    make_dir(".Lists.raid/cur");
    write_file(".Lists.raid/cur/5.M1P1.host:2,", "Subject: sub\n\n");
    make_dir(".Archive");
    make_dir(".Archive/new");
    write_file(".Archive/new/7.M1P1.host", "Subject: arch\n\n");
    make_dir(".notamaildir");
}

static void maildir_teardown(void)
{
    char cmd[600];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", tmpdir);
    if (system(cmd) != 0)
        fprintf(stderr, "could not remove %s\n", tmpdir);
}

START_TEST(maildir_order_and_flags)
{
    ms_source *s;
    char err[256];
    ck_assert_int_eq(ms_open(tmpdir, NULL, &s, err, sizeof err), 0);
    ck_assert_int_eq(ms_source_kind(s), MS_KIND_MAILDIR);
    collected c;
    collect(s, &c);
    ms_close(&s);
    ck_assert_uint_eq(c.n, 4);
    ck_assert_str_eq(c.ids[0], "new/998.M1P1Q1.host");
    ck_assert_str_eq(c.ids[1], "cur/999.M5P1Q1.host,S=12,W=14:2,FRS");
    ck_assert_str_eq(c.ids[2], "cur/1000.M2P1Q1.host:2,S");
    ck_assert_str_eq(c.ids[3], "new/1000.M10P1Q1.host");
    ck_assert_str_eq(c.data[0], "Subject: a\n\n");
    ck_assert_str_eq(c.data[3], "Subject: d\n\n");
    ck_assert_str_eq(c.flags[0], "");
    ck_assert_str_eq(c.flags[1], "FRS");
    ck_assert_str_eq(c.flags[2], "S");
    ck_assert_int_eq(c.is_new[0], 1);
    ck_assert_int_eq(c.is_new[1], 0);
    ck_assert_str_eq(c.folder[0], "");
    collected_free(&c);
}
END_TEST

START_TEST(maildir_recursive)
{
    ms_options o = { .recursive = true };
    ms_source *s;
    char err[256];
    ck_assert_int_eq(ms_open(tmpdir, &o, &s, err, sizeof err), 0);
    collected c;
    collect(s, &c);
    ms_close(&s);
    ck_assert_uint_eq(c.n, 6);
    /* The root first, then subfolders by name. */
    ck_assert_str_eq(c.ids[4], ".Archive/new/7.M1P1.host");
    ck_assert_str_eq(c.folder[4], "Archive");
    ck_assert_str_eq(c.ids[5], ".Lists.raid/cur/5.M1P1.host:2,");
    ck_assert_str_eq(c.folder[5], "Lists.raid");
    ck_assert_str_eq(c.flags[5], "");
    ck_assert_str_eq(c.data[5], "Subject: sub\n\n");
    collected_free(&c);
}
END_TEST

START_TEST(maildir_unreadable_message)
{
    char path[512];
    snprintf(path, sizeof path, "%s/cur/1001.M1P1.host:2,S", tmpdir);
    ck_assert_int_eq(symlink("/nonexistent/target", path), 0);
    snprintf(path, sizeof path, "%s/cur/1002.M1P1.host:2,S", tmpdir);
    ck_assert_int_eq(mkdir(path, 0700), 0);
    ms_source *s;
    char err[256];
    ck_assert_int_eq(ms_open(tmpdir, NULL, &s, err, sizeof err), 0);
    collected c;
    collect(s, &c);
    ms_close(&s);
    ck_assert_uint_eq(c.n, 6);
    ck_assert_str_eq(c.ids[4], "cur/1001.M1P1.host:2,S");
    ck_assert_ptr_null(c.data[4]);
    ck_assert(strstr(c.err[4], "No such file") != NULL);
    ck_assert_str_eq(c.err[5], "not a regular file");
    collected_free(&c);
}
END_TEST

START_TEST(open_errors)
{
    ms_source *s = (ms_source *)1;
    char err[256];
    ck_assert_int_eq(ms_open("/nonexistent/corpus", NULL, &s, err, sizeof err), -1);
    ck_assert_ptr_null(s);
    ck_assert(strstr(err, "/nonexistent/corpus: No such file") != NULL);
    char path[512];
    snprintf(path, sizeof path, "%s/.notamaildir", tmpdir);
    ck_assert_int_eq(ms_open(path, NULL, &s, err, sizeof err), -1);
    ck_assert(strstr(err, "not a Maildir") != NULL);
}
END_TEST

START_TEST(single_file)
{
    char path[512];
    snprintf(path, sizeof path, "%s/cur/1000.M2P1Q1.host:2,S", tmpdir);
    ms_source *s;
    char err[256];
    ck_assert_int_eq(ms_open(path, NULL, &s, err, sizeof err), 0);
    ck_assert_int_eq(ms_source_kind(s), MS_KIND_MESSAGE);
    collected c;
    collect(s, &c);
    ms_close(&s);
    ck_assert_uint_eq(c.n, 1);
    ck_assert_str_eq(c.ids[0], path);
    ck_assert_str_eq(c.data[0], "Subject: c\n\n");
    collected_free(&c);
    /* An mbox file on disk is mapped and split. */
    snprintf(path, sizeof path, "%s/x.mbox", tmpdir);
    FILE *f = fopen(path, "w");
    fputs("From a@example.org Mon Nov 23 08:53:36 2026\nX: 1\n\n"
          "From a@example.org Mon Nov 23 08:53:36 2026\nX: 2\n\n", f);
    fclose(f);
    ck_assert_int_eq(ms_open(path, NULL, &s, err, sizeof err), 0);
    collect(s, &c);
    ms_close(&s);
    ck_assert_uint_eq(c.n, 2);
    ck_assert_str_eq(c.data[1], "X: 2\n");
    collected_free(&c);
}
END_TEST

START_TEST(natural_compare)
{
    ck_assert_int_lt(ms_natural_compare("9", "10"), 0);
    ck_assert_int_gt(ms_natural_compare("a10b", "a9c"), 0);
    ck_assert_int_eq(ms_natural_compare("a007", "a7"), 0);
    ck_assert_int_lt(ms_natural_compare("a7x", "a7y"), 0);
    ck_assert_int_lt(ms_natural_compare("abc", "abcd"), 0);
    ck_assert_int_eq(ms_natural_compare("", ""), 0);
    ck_assert_int_lt(ms_natural_compare("99999999999999999999999", "100000000000000000000000"), 0);
}
END_TEST

/* ---- corpus: mbox and Maildir hold the same bytes ---- */

START_TEST(corpus_mbox_matches_maildir)
{
    static const char *const sets[] = { "bench-sample", "edge", "lists" };
    for (size_t k = 0; k < 3; k++) {
        char mpath[1024], dpath[1024];
        snprintf(mpath, sizeof mpath, "%s/corpus/%s.mbox", SIEVEC_SHARED_DIR, sets[k]);
        snprintf(dpath, sizeof dpath, "%s/corpus/%s", SIEVEC_SHARED_DIR, sets[k]);
        if (access(mpath, R_OK) != 0) {
            fprintf(stderr, "skipped: %s is absent\n", mpath);
            return;
        }
        ms_source *a, *b;
        char err[256];
        ck_assert_int_eq(ms_open(mpath, NULL, &a, err, sizeof err), 0);
        ck_assert_int_eq(ms_open(dpath, NULL, &b, err, sizeof err), 0);
        ms_message ma, mb;
        size_t n = 0, plus_newline = 0;
        for (;;) {
            int ra = ms_next(a, &ma), rb = ms_next(b, &mb);
            ck_assert_int_eq(ra, rb);
            if (ra == 0)
                break;
            n++;
            ck_assert_ptr_null(ma.error);
            ck_assert_ptr_null(mb.error);
            /* The mbox writer added a line end where the file had none. */
            if (ma.len == mb.len + 1 && ma.data[mb.len] == '\n')
                plus_newline++;
            else
                ck_assert_msg(ma.len == mb.len, "%s: %s and %s differ in length (%zu, %zu)",
                              sets[k], ma.id, mb.id, ma.len, mb.len);
            ck_assert_msg(memcmp(ma.data, mb.data, mb.len) == 0, "%s and %s differ", ma.id, mb.id);
        }
        ms_close(&a);
        ms_close(&b);
        ck_assert_uint_eq(n, k == 0 ? 514 : k == 1 ? 668 : 694);
        ck_assert_uint_eq(plus_newline, k == 1 ? 26 : 0);
    }
}
END_TEST

/* ---- envelope ---- */

START_TEST(envelope_basic)
{
    static const char m[] = "Return-Path: <alice@example.org>\n"
                            "Delivered-To: bob+lists@example.org\n"
                            "X-Original-To: lists@example.org\n"
                            "Delivered-To: later@example.org\n"
                            "Subject: x\n\nReturn-Path: <body@example.org>\n";
    envx_result r;
    envx_extract(m, sizeof m - 1, &r);
    ck_assert(r.has_sender && r.has_recipient && r.has_orig);
    ck_assert_str_eq(r.sender, "alice@example.org");
    ck_assert_str_eq(r.recipient, "bob+lists@example.org");
    ck_assert_str_eq(r.orig, "lists@example.org");
}
END_TEST

START_TEST(envelope_null_sender_and_fallback)
{
    static const char m[] = "return-path:   <>\r\n"
                            "x-original-to: <carol@example.org>\r\n"
                            "\r\nDelivered-To: body@example.org\r\n";
    envx_result r;
    envx_extract(m, sizeof m - 1, &r);
    ck_assert(r.has_sender);
    ck_assert_str_eq(r.sender, "");
    ck_assert(r.has_recipient);
    ck_assert_str_eq(r.recipient, "carol@example.org");
}
END_TEST

START_TEST(envelope_folded_and_absent)
{
    static const char m[] = "Subject: x\nReturn-Path:\n <folded@example.org>\nX-Return-Path: <no@example.org>\n";
    envx_result r;
    envx_extract(m, sizeof m - 1, &r);
    ck_assert(r.has_sender);
    ck_assert_str_eq(r.sender, "folded@example.org");
    ck_assert(!r.has_recipient && !r.has_orig);
    /* No header at all, a truncated field, a value too long. */
    envx_extract("", 0, &r);
    ck_assert(!r.has_sender && !r.has_recipient);
    envx_extract("Return-Path", 11, &r);
    ck_assert(!r.has_sender);
    size_t n = ENVX_MAX * 3;
    char *big = malloc(n);
    memcpy(big, "Return-Path: <", 14);
    memset(big + 14, 'a', n - 14);
    envx_extract(big, n, &r);
    ck_assert(!r.has_sender);
    free(big);
    char buf[8];
    ck_assert(envx_header("Subject: hi\n", 12, "subject", buf, sizeof buf));
    ck_assert_str_eq(buf, "hi");
}
END_TEST

/* ---- JSON and Sieve strings ---- */

static char *json(const char *s, size_t n)
{
    jw_buf b = { 0 };
    jw_json_string(&b, s, n);
    jw_putc(&b, '\0');
    return b.p;
}

#define JSON_EQ(lit, want)                                  \
    do {                                                    \
        char *got_ = json(lit, sizeof(lit) - 1);            \
        ck_assert_str_eq(got_, want);                       \
        free(got_);                                         \
    } while (0)

START_TEST(json_escapes)
{
    JSON_EQ("plain", "\"plain\"");
    JSON_EQ("a\"b\\c", "\"a\\\"b\\\\c\"");
    JSON_EQ("\n\r\t\b\f\x01\x1f", "\"\\n\\r\\t\\b\\f\\u0001\\u001f\"");
    JSON_EQ("\x00", "\"\\u0000\"");
    JSON_EQ("caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80", "\"caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80\"");
    JSON_EQ("", "\"\"");
    char *n = json(NULL, 0);
    ck_assert_str_eq(n, "\"\"");
    free(n);
}
END_TEST

#define FFFD "\xef\xbf\xbd"

START_TEST(json_invalid_utf8)
{
    JSON_EQ("a\xff" "b", "\"a" FFFD "b\"");
    JSON_EQ("\xe2\x82" "A", "\"" FFFD FFFD "A\"");         /* truncated */
    JSON_EQ("\xc0\xaf", "\"" FFFD FFFD "\"");              /* overlong */
    JSON_EQ("\xe0\x80\xaf", "\"" FFFD FFFD FFFD "\"");     /* overlong */
    JSON_EQ("\xed\xa0\x80", "\"" FFFD FFFD FFFD "\"");     /* surrogate */
    JSON_EQ("\xf4\x90\x80\x80", "\"" FFFD FFFD FFFD FFFD "\""); /* > U+10FFFF */
    JSON_EQ("\x80", "\"" FFFD "\"");                        /* lone continuation */
    JSON_EQ("\xe9t\xe9", "\"" FFFD "t" FFFD "\"");          /* Latin-1 */
    JSON_EQ("\xf0\x9f\x98", "\"" FFFD FFFD FFFD "\"");      /* cut at the end */
}
END_TEST

START_TEST(json_every_byte)
{
    /* Every single byte and every pair: the output is valid UTF-8 with no
     * raw control character. */
    for (unsigned a = 0; a < 256; a++) {
        for (unsigned b2 = 0; b2 < 256; b2++) {
            char in[2] = { (char)a, (char)b2 };
            char *out = json(in, 2);
            size_t len = strlen(out);
            for (size_t i = 0; i < len;) {
                size_t l = jw_utf8_len((const unsigned char *)out + i, len - i);
                ck_assert_uint_gt(l, 0);
                ck_assert((unsigned char)out[i] >= 0x20);
                i += l;
            }
            free(out);
        }
    }
}
END_TEST

START_TEST(sieve_strings)
{
    jw_buf b = { 0 };
    jw_sieve_string(&b, "Spam \"x\" \\ \n\x01\xff", 14);
    jw_putc(&b, '\0');
    ck_assert_str_eq(b.p, "\"Spam \\\"x\\\" \\\\ \\n\\x01" FFFD "\"");
    jw_reset(&b);
    jw_put_u64(&b, 0);
    jw_putc(&b, ' ');
    jw_put_u64(&b, UINT64_MAX);
    jw_printf(&b, " %s", "x");
    jw_putc(&b, '\0');
    ck_assert_str_eq(b.p, "0 18446744073709551615 x");
    jw_buf_free(&b);
    ck_assert_ptr_null(b.p);
}
END_TEST

/* ---- options ---- */

START_TEST(parse_time)
{
    int64_t t;
    ck_assert(topt_parse_time("1700000000", &t) && t == 1700000000);
    ck_assert(topt_parse_time("@86400", &t) && t == 86400);
    ck_assert(topt_parse_time("-1", &t) && t == -1);
    ck_assert(topt_parse_time("1970-01-01", &t) && t == 0);
    ck_assert(topt_parse_time("2026-11-23T08:53:36Z", &t) && t == 1795424016);
    ck_assert(topt_parse_time("2026-11-23 09:53:36+01:00", &t) && t == 1795424016);
    ck_assert(topt_parse_time("2026-11-23T03:53:36.25-0500", &t) && t == 1795424016);
    ck_assert(topt_parse_time("2000-02-29T00:00", &t) && t == 951782400);
    ck_assert(!topt_parse_time("2001-02-29", &t));
    ck_assert(!topt_parse_time("2026-13-01", &t));
    ck_assert(!topt_parse_time("2026-11-23T24:00", &t));
    ck_assert(!topt_parse_time("2026-11-23Tjunk", &t));
    ck_assert(!topt_parse_time("2026-11-23T08:53Z+", &t));
    ck_assert(!topt_parse_time("", &t));
    ck_assert(!topt_parse_time("12ab", &t));
    ck_assert(!topt_parse_time("99999999999999999999999", &t));
}
END_TEST

START_TEST(parse_uint)
{
    uint64_t v;
    ck_assert(topt_parse_uint("42", 1, 100, &v) && v == 42);
    ck_assert(!topt_parse_uint("0", 1, 100, &v));
    ck_assert(!topt_parse_uint("101", 1, 100, &v));
    ck_assert(!topt_parse_uint("4x", 0, 100, &v));
    ck_assert(!topt_parse_uint("", 0, 100, &v));
    ck_assert(!topt_parse_uint("-1", 0, 100, &v));
    ck_assert(!topt_parse_uint("184467440737095516160", 0, UINT64_MAX, &v));
    ck_assert(topt_parse_uint("18446744073709551615", 0, UINT64_MAX, &v) && v == UINT64_MAX);
}
END_TEST

static Suite *suite(void)
{
    Suite *s = suite_create("mailsource");
    TCase *t = tcase_create("mbox");
    tcase_add_test(t, mbox_two_messages);
    tcase_add_test(t, mbox_sender_word);
    tcase_add_test(t, mbox_rd_unquoting);
    tcase_add_test(t, mbox_o_unquoting);
    tcase_add_test(t, mbox_from_in_body);
    tcase_add_test(t, mbox_crlf);
    tcase_add_test(t, mbox_missing_final_newline);
    tcase_add_test(t, mbox_empty_message);
    tcase_add_test(t, mbox_empty_file);
    tcase_add_test(t, not_an_mbox);
    tcase_add_test(t, size_cap);
    tcase_add_test(t, mbox_hostile);
    suite_add_tcase(s, t);
    t = tcase_create("maildir");
    tcase_add_checked_fixture(t, maildir_setup, maildir_teardown);
    tcase_add_test(t, maildir_order_and_flags);
    tcase_add_test(t, maildir_recursive);
    tcase_add_test(t, maildir_unreadable_message);
    tcase_add_test(t, open_errors);
    tcase_add_test(t, single_file);
    tcase_add_test(t, natural_compare);
    suite_add_tcase(s, t);
    t = tcase_create("corpus");
    tcase_set_timeout(t, 120);
    tcase_add_test(t, corpus_mbox_matches_maildir);
    suite_add_tcase(s, t);
    t = tcase_create("envelope");
    tcase_add_test(t, envelope_basic);
    tcase_add_test(t, envelope_null_sender_and_fallback);
    tcase_add_test(t, envelope_folded_and_absent);
    suite_add_tcase(s, t);
    t = tcase_create("json");
    tcase_add_test(t, json_escapes);
    tcase_add_test(t, json_invalid_utf8);
    tcase_add_test(t, json_every_byte);
    tcase_add_test(t, sieve_strings);
    suite_add_tcase(s, t);
    t = tcase_create("options");
    tcase_add_test(t, parse_time);
    tcase_add_test(t, parse_uint);
    suite_add_tcase(s, t);
    return s;
}

int main(void)
{
    SRunner *r = srunner_create(suite());
    srunner_run_all(r, CK_NORMAL);
    int failed = srunner_ntests_failed(r);
    srunner_free(r);
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
