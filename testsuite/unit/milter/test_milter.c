/* Unit tests of sieve-milter's decision core (tools/sieve-milter): the
 * callbacks are driven as libmilter would, with a fake MTA that records
 * replies and message changes. Filters are compiled by the real sievec
 * (SIEVEC_BIN) with a private key into a private layout, once per run. */
#define _GNU_SOURCE
#include <check.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "fcache.h"
#include "mconf.h"
#include "mcore.h"
#include "mlog.h"
#include "rcpt.h"
#include "reply.h"
#include "rpolicy.h"

static char T[256];           /* temp dir: key, cache, scripts/ */
static char KEY[300], CACHE[300], LAYOUT[320], SCRIPTS[300];

/* ---- the fake MTA ---------------------------------------------------------- */

typedef struct fake {
    char log[16384];          /* one line per call */
    char rcode[8], xcode[16];
    reply_text reply;
    const char *qid;
} fake;

__attribute__((format(printf, 2, 3))) static void flog(fake *f, const char *fmt, ...)
{
    size_t n = strlen(f->log);
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(f->log + n, sizeof f->log - n, fmt, ap);
    va_end(ap);
}

static int f_setreply(void *h, const char *rcode, const char *xcode, const reply_text *t)
{
    fake *f = h;
    snprintf(f->rcode, sizeof f->rcode, "%s", rcode);
    snprintf(f->xcode, sizeof f->xcode, "%s", xcode);
    f->reply = *t;
    flog(f, "reply %s %s\n", rcode, xcode);
    return 0;
}
static int f_addrcpt(void *h, const char *r)
{
    flog(h, "addrcpt %s\n", r);
    return 0;
}
static int f_delrcpt(void *h, const char *r)
{
    flog(h, "delrcpt %s\n", r);
    return 0;
}
static int f_insheader(void *h, int idx, const char *name, const char *value)
{
    (void)idx;
    flog(h, "insheader %s: %s\n", name, value);
    return 0;
}
static int f_chgheader(void *h, const char *name, int idx, const char *value)
{
    flog(h, "chgheader %s %d %s\n", name, idx, value ? value : "(delete)");
    return 0;
}
static const char *f_symval(void *h, const char *name)
{
    fake *f = h;
    return !strcmp(name, "i") ? f->qid : NULL;
}

static mc_io IO;
static fake F;

static void fake_reset(void)
{
    memset(&F, 0, sizeof F);
    F.qid = "4ABC123";
    IO = (mc_io){ .h = &F, .setreply = f_setreply, .addrcpt = f_addrcpt,
                  .delrcpt = f_delrcpt, .insheader = f_insheader,
                  .chgheader = f_chgheader, .symval = f_symval };
}

/* ---- fixtures ---------------------------------------------------------------- */

static void sh(const char *cmd)
{
    int rc = system(cmd);
    ck_assert_msg(rc == 0, "command failed (%d): %s", rc, cmd);
}

static void write_text(const char *path, const char *text)
{
    FILE *f = fopen(path, "w");
    ck_assert_ptr_nonnull(f);
    fputs(text, f);
    fclose(f);
}

/* Compiles `text` into the layout as user@example.org's script (or into
 * the path `out` when it starts with '/'). */
static void script(const char *out, const char *text)
{
    char src[600], so[600], cmd[4000];
    snprintf(src, sizeof src, "%s/src.sieve", T);
    if (out[0] == '/')
        snprintf(so, sizeof so, "%s", out);
    else
        snprintf(so, sizeof so, "%s/example.org/%s.so", SCRIPTS, out);
    write_text(src, text);
    snprintf(cmd, sizeof cmd, "%s --key-file %s -o %s.tmp %s && mv %s.tmp %s", SIEVEC_BIN, KEY, so,
             src, so, so);
    sh(cmd);
}

static const char S_ENVREJECT[] =
    "require [\"envelope\", \"reject\"];\n"
    "if envelope :is \"from\" \"spam@example.com\" { reject \"No spam here\"; }\n";
static const char S_HDRREJECT[] =
    "require \"reject\";\n"
    "if header :contains \"subject\" \"buy\" {\n"
    "  reject text:\r\nLine one 100% bad\r\nSecond\tline \xc3\xa9t\xc3\xa9\r\n.\r\n;\n}\n";
static const char S_DISCARD[] =
    "if header :contains \"subject\" \"junk\" { discard; }\n";
static const char S_BODYREJECT[] =
    "require [\"body\", \"ereject\"];\n"
    "if body :contains \"secret\" { ereject \"body says no\"; }\n";
static const char S_REDIRECT[] = "redirect \"friend@example.com\";\n";
static const char S_REDIRECT_OUT[] = "redirect \"someone@elsewhere.test\";\n";
static const char S_REDIRECT_COPY[] =
    "require \"copy\";\nredirect :copy \"friend@example.com\";\n";
static const char S_FILEINTO[] =
    "require [\"fileinto\", \"imap4flags\"];\n"
    "fileinto :flags [\"\\\\Seen\", \"$Work\"] \"Work/Caf\xc3\xa9 ;x\";\n";
static const char S_DEFAULT[] = "require \"fileinto\";\nfileinto \"FromDefault\";\n";
/* More redirects than the limit (max_redirects = 4): a run-time error. */
static const char S_RTERROR[] =
    "if header :contains \"subject\" \"\" {\n"
    "redirect \"a@example.com\"; redirect \"b@example.com\"; redirect \"c@example.com\";\n"
    "redirect \"d@example.com\"; redirect \"e@example.com\"; redirect \"f@example.com\";\n}\n";

static const char S_REMOTE_IP[] =
    "require [\"environment\", \"reject\"];\n"
    "if environment :is \"remote-ip\" \"192.0.2.1\" { reject \"not from there\"; }\n";

static void setup_all(void)
{
    snprintf(T, sizeof T, "/tmp/test_milter.XXXXXX");
    ck_assert_ptr_nonnull(mkdtemp(T));
    snprintf(KEY, sizeof KEY, "%s/mac.key", T);
    snprintf(CACHE, sizeof CACHE, "%s/cache", T);
    snprintf(SCRIPTS, sizeof SCRIPTS, "%s/scripts", T);
    snprintf(LAYOUT, sizeof LAYOUT, "%s/%%d/%%l.so", SCRIPTS);
    write_text(KEY, "000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f\n");
    chmod(KEY, 0600);
    char d[400];
    snprintf(d, sizeof d, "%s/example.org", SCRIPTS);
    mkdir(SCRIPTS, 0755);
    mkdir(d, 0755);
    script("alice", S_ENVREJECT);
    script("bob", S_HDRREJECT);
    script("bob2", S_HDRREJECT);     /* same code, another user */
    script("carol", S_DISCARD);
    script("gina", S_BODYREJECT);
    script("dave", S_REDIRECT);
    script("erin", S_REDIRECT_OUT);
    script("erin2", S_REDIRECT_COPY);
    script("frank", S_FILEINTO);
    script("ivan", S_RTERROR);
    script("rita", S_REMOTE_IP);
    snprintf(d, sizeof d, "%s/default.so", T);
    script(d, S_DEFAULT);
    snprintf(d, sizeof d, "%s/example.org/harry.so", SCRIPTS);
    write_text(d, "\x7f" "ELF this is not an object\n");
    chmod(d, 0644);
}

static void teardown_all(void)
{
    char cmd[400];
    snprintf(cmd, sizeof cmd, "rm -rf %s", T);
    sh(cmd);
}

static mc_server *SRV;
static mconf CONF;

static int64_t NOW = 1700000000;
static int64_t test_clock(void)
{
    return NOW;
}

static void server_with(const char *key, const char *value)
{
    char err[512];
    mconf_defaults(&CONF);
    ck_assert_int_eq(mconf_set(&CONF, "script_layout", LAYOUT, err, sizeof err), 0);
    char d[400];
    snprintf(d, sizeof d, "%s/default.so", T);
    ck_assert_int_eq(mconf_set(&CONF, "default_script", d, err, sizeof err), 0);
    ck_assert_int_eq(mconf_set(&CONF, "redirect_domains", "example.com example.org", err,
                               sizeof err), 0);
    ck_assert_int_eq(mconf_set(&CONF, "log", "none", err, sizeof err), 0);
    if (key)
        ck_assert_msg(mconf_set(&CONF, key, value, err, sizeof err) == 0, "%s", err);
    sieve_load_options lo = { .key_file = KEY, .cache_dir = CACHE, .check_owner = true,
                              .owner = geteuid() };
    SRV = mc_server_new(&CONF, &lo, err, sizeof err);
    ck_assert_ptr_nonnull(SRV);
    mc_server_set_clock(SRV, test_clock);
    fake_reset();
}

static void setup(void)
{
    mlog_open(MCONF_LOG_NONE);
    server_with(NULL, NULL);
}

static void teardown(void)
{
    mc_server_free(&SRV);
    mconf_free(&CONF);
}

/* ---- driving a transaction ------------------------------------------------ */

static mc_conn *C;

static void begin(const char *from)
{
    if (!C)
        C = mc_connect(SRV, "client.example.com", "192.0.2.1");
    ck_assert_ptr_nonnull(C);
    ck_assert_int_eq(mc_helo(C, "client.example.com"), MC_CONTINUE);
    char *argv[] = { (char *)from, NULL };
    ck_assert_int_eq(mc_envfrom(C, &IO, argv), MC_CONTINUE);
}

static mc_status rcpt(const char *to)
{
    char *argv[] = { (char *)to, NULL };
    return mc_envrcpt(C, &IO, argv);
}

/* Sends headers (NAME: value lines, \n separated) and body; returns the
 * status of the end of message; *skipped says whether the body was
 * refused with SKIP. */
static mc_status data(const char *headers, const char *body, bool *skipped)
{
    char *h = strdup(headers);
    for (char *line = strtok(h, "\n"); line; line = strtok(NULL, "\n")) {
        char *colon = strchr(line, ':');
        ck_assert_ptr_nonnull(colon);
        *colon = '\0';
        const char *v = colon + 1;
        while (*v == ' ')
            v++;
        ck_assert_int_eq(mc_header(C, &IO, line, v), MC_CONTINUE);
    }
    free(h);
    ck_assert_int_eq(mc_eoh(C, &IO), MC_CONTINUE);
    mc_status b = mc_body(C, &IO, (const unsigned char *)body, strlen(body));
    if (skipped)
        *skipped = b == MC_SKIP;
    return mc_eom(C, &IO);
}

static void end(void)
{
    mc_close(&C);
    mc_close(&C);   /* idempotent */
    ck_assert_uint_eq(mc_server_inflight(SRV), 0);
}

#define HAS(s) ck_assert_msg(strstr(F.log, s) != NULL, "'%s' not in:\n%s", s, F.log)
#define HASNT(s) ck_assert_msg(strstr(F.log, s) == NULL, "'%s' in:\n%s", s, F.log)

/* ---- decisions ---------------------------------------------------------------- */

START_TEST(envelope_reject_at_rcpt)
{
    begin("<spam@example.com>");
    ck_assert_int_eq(rcpt("<alice@example.org>"), MC_REJECT);
    ck_assert_str_eq(F.rcode, "550");
    ck_assert_str_eq(F.xcode, "5.7.1");
    ck_assert_uint_eq(F.reply.nlines, 1);
    ck_assert_str_eq(F.reply.lines[0], "No spam here");
    /* Another recipient of the same transaction is unaffected. */
    ck_assert_int_eq(rcpt("<carol@example.org>"), MC_CONTINUE);
    ck_assert_int_eq(data("Subject: hello", "hi\r\n", NULL), MC_CONTINUE);
    HASNT("delrcpt");
    end();
    /* Another sender passes alice's filter. */
    fake_reset();
    begin("<friend@example.com>");
    ck_assert_int_eq(rcpt("<Alice+tag@Example.ORG>"), MC_CONTINUE);
    ck_assert_int_eq(data("Subject: hello", "hi\r\n", NULL), MC_CONTINUE);
    ck_assert_str_eq(F.log, "");
    end();
}
END_TEST

START_TEST(reject_after_data_smtp_safe)
{
    begin("<x@example.com>");
    ck_assert_int_eq(rcpt("<bob@example.org>"), MC_CONTINUE);
    ck_assert_int_eq(data("Subject: buy now", "hi\r\n", NULL), MC_REJECT);
    ck_assert_str_eq(F.rcode, "550");
    ck_assert_str_eq(F.xcode, "5.7.1");
    ck_assert_uint_eq(F.reply.nlines, 2);
    ck_assert_str_eq(F.reply.lines[0], "Line one 100%% bad");
    ck_assert_str_eq(F.reply.lines[1], "Second line ??t??");
    end();
    /* Not matching: accepted unchanged. */
    fake_reset();
    begin("<x@example.com>");
    ck_assert_int_eq(rcpt("<bob@example.org>"), MC_CONTINUE);
    ck_assert_int_eq(data("Subject: hello", "hi\r\n", NULL), MC_CONTINUE);
    ck_assert_str_eq(F.log, "");
    end();
}
END_TEST

START_TEST(body_filter_ereject_and_skip)
{
    bool skipped;
    begin("<x@example.com>");
    ck_assert_int_eq(rcpt("<gina@example.org>"), MC_CONTINUE);
    ck_assert_int_eq(data("Subject: hello", "the secret plan\r\n", &skipped), MC_REJECT);
    ck_assert(!skipped);
    ck_assert_str_eq(F.reply.lines[0], "body says no");
    end();
    /* A header-only filter does not want the body. */
    fake_reset();
    begin("<x@example.com>");
    ck_assert_int_eq(rcpt("<bob@example.org>"), MC_CONTINUE);
    ck_assert_int_eq(data("Subject: hello", "the secret plan\r\n", &skipped), MC_CONTINUE);
    ck_assert(skipped);
    end();
}
END_TEST

START_TEST(split_defers_other_filters)
{
    begin("<x@example.com>");
    ck_assert_int_eq(rcpt("<bob@example.org>"), MC_CONTINUE);
    /* Same compiled code at another path: shares the transaction. */
    ck_assert_int_eq(rcpt("<bob2@example.org>"), MC_CONTINUE);
    /* Another filter that can reject: 452 4.5.3, retried later. */
    ck_assert_int_eq(rcpt("<gina@example.org>"), MC_TEMPFAIL);
    ck_assert_str_eq(F.rcode, "452");
    ck_assert_str_eq(F.xcode, "4.5.3");
    /* A recipient that cannot be refused after DATA (no script of its own,
     * default script decided at RCPT) does not mix with a body verdict
     * either. */
    ck_assert_int_eq(rcpt("<nobody@example.org>"), MC_TEMPFAIL);
    ck_assert_int_eq(data("Subject: buy", "x\r\n", NULL), MC_REJECT);
    end();
    /* The retried transaction for gina alone. */
    fake_reset();
    begin("<x@example.com>");
    ck_assert_int_eq(rcpt("<gina@example.org>"), MC_CONTINUE);
    ck_assert_int_eq(data("Subject: buy", "x\r\n", NULL), MC_CONTINUE);
    end();
    /* FIXED recipients mix freely. */
    fake_reset();
    begin("<x@example.com>");
    ck_assert_int_eq(rcpt("<carol@example.org>"), MC_CONTINUE);
    ck_assert_int_eq(rcpt("<dave@example.org>"), MC_CONTINUE);
    ck_assert_int_eq(rcpt("<nobody@example.org>"), MC_CONTINUE);
    ck_assert_int_eq(rcpt("<bob@example.org>"), MC_TEMPFAIL);
    end();
}
END_TEST

START_TEST(accept_mixed_removes_refusers)
{
    teardown();
    server_with("multi_recipient", "accept-mixed");
    begin("<x@example.com>");
    ck_assert_int_eq(rcpt("<bob@example.org>"), MC_CONTINUE);
    ck_assert_int_eq(rcpt("<gina@example.org>"), MC_CONTINUE);
    ck_assert_int_eq(rcpt("<carol@example.org>"), MC_CONTINUE);
    ck_assert_int_eq(data("Subject: buy", "nothing\r\n", NULL), MC_CONTINUE);
    HAS("delrcpt bob@example.org\n");
    HASNT("delrcpt gina");
    HASNT("delrcpt carol");
    HASNT("reply");
    end();
    /* Every recipient refuses: one 550. */
    fake_reset();
    begin("<x@example.com>");
    ck_assert_int_eq(rcpt("<bob@example.org>"), MC_CONTINUE);
    ck_assert_int_eq(rcpt("<gina@example.org>"), MC_CONTINUE);
    ck_assert_int_eq(data("Subject: buy", "secret\r\n", NULL), MC_REJECT);
    ck_assert_str_eq(F.rcode, "550");
    end();
}
END_TEST

static char *slurp(const char *path)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    char *b = calloc(1, 65536);
    size_t n = fread(b, 1, 65535, f);
    b[n] = '\0';
    fclose(f);
    return b;
}

START_TEST(accept_mixed_dsn)
{
    char fake_sm[400], args[400], text[400];
    snprintf(fake_sm, sizeof fake_sm, "%s/fake-sendmail", T);
    snprintf(args, sizeof args, "%s/dsn.args", T);
    snprintf(text, sizeof text, "%s/dsn.txt", T);
    char body[1200];
    snprintf(body, sizeof body, "#!/bin/sh\necho \"$@\" > %s\ncat > %s\n", args, text);
    write_text(fake_sm, body);
    chmod(fake_sm, 0755);
    unlink(args);
    teardown();
    server_with("multi_recipient", "accept-mixed");
    char err[200];
    mconf n;
    mconf_copy(&n, &CONF);
    ck_assert_int_eq(mconf_set(&n, "mixed_refusal_notice", "dsn", err, sizeof err), 0);
    ck_assert_int_eq(mconf_set(&n, "sendmail_command", fake_sm, err, sizeof err), 0);
    mc_server_reload(SRV, &n);
    mconf_free(&n);
    begin("<sender@example.com>");
    ck_assert_int_eq(rcpt("<bob@example.org>"), MC_CONTINUE);
    ck_assert_int_eq(rcpt("<carol@example.org>"), MC_CONTINUE);
    ck_assert_int_eq(data("Subject: buy", "x\r\n", NULL), MC_CONTINUE);
    HAS("delrcpt bob@example.org\n");
    end();
    char *a = slurp(args), *t = slurp(text);
    ck_assert_ptr_nonnull(a);
    ck_assert_ptr_nonnull(t);
    ck_assert_str_eq(a, "-i -f <> -- sender@example.com\n");
    ck_assert_msg(strstr(t, "To: <sender@example.com>\r\n"), "%s", t);
    ck_assert_msg(strstr(t, "report-type=delivery-status"), "%s", t);
    ck_assert_msg(strstr(t, "\r\nFinal-Recipient: rfc822; bob@example.org\r\nAction: failed\r\n"
                            "Status: 5.7.1\r\n"), "%s", t);
    ck_assert_msg(strstr(t, "Diagnostic-Code: smtp; 550 5.7.1 Line one 100% bad\r\n"), "%s", t);
    ck_assert_msg(strstr(t, "    Second line ??t??\r\n"), "%s", t);
    ck_assert_msg(!strstr(t, "carol"), "%s", t);
    free(a);
    free(t);
    /* Never a DSN to the null sender. */
    unlink(args);
    fake_reset();
    begin("<>");
    ck_assert_int_eq(rcpt("<bob@example.org>"), MC_CONTINUE);
    ck_assert_int_eq(rcpt("<carol@example.org>"), MC_CONTINUE);
    ck_assert_int_eq(data("Subject: buy", "x\r\n", NULL), MC_CONTINUE);
    end();
    ck_assert_int_ne(access(args, F_OK), 0);
}
END_TEST

START_TEST(discard)
{
    begin("<x@example.com>");
    ck_assert_int_eq(rcpt("<carol@example.org>"), MC_CONTINUE);
    ck_assert_int_eq(data("Subject: junk mail", "x\r\n", NULL), MC_DISCARD);
    end();
    /* One of two discards: that recipient is removed. */
    fake_reset();
    begin("<x@example.com>");
    ck_assert_int_eq(rcpt("<carol@example.org>"), MC_CONTINUE);
    ck_assert_int_eq(rcpt("<nobody@example.org>"), MC_CONTINUE);
    ck_assert_int_eq(data("Subject: junk mail", "x\r\n", NULL), MC_CONTINUE);
    HAS("delrcpt carol@example.org\n");
    HASNT("delrcpt nobody");
    end();
}
END_TEST

START_TEST(redirect_policy)
{
    begin("<x@example.com>");
    ck_assert_int_eq(rcpt("<dave@example.org>"), MC_CONTINUE);
    ck_assert_int_eq(data("Subject: hi", "x\r\n", NULL), MC_CONTINUE);
    HAS("addrcpt <friend@example.com>\n");
    HAS("delrcpt dave@example.org\n");
    end();
    /* Outside the allowed domains: refused, and the message is kept. */
    fake_reset();
    begin("<x@example.com>");
    ck_assert_int_eq(rcpt("<erin@example.org>"), MC_CONTINUE);
    ck_assert_int_eq(data("Subject: hi", "x\r\n", NULL), MC_CONTINUE);
    HASNT("addrcpt");
    HASNT("delrcpt");
    end();
    /* :copy keeps the original. */
    fake_reset();
    begin("<x@example.com>");
    ck_assert_int_eq(rcpt("<erin2@example.org>"), MC_CONTINUE);
    ck_assert_int_eq(data("Subject: hi", "x\r\n", NULL), MC_CONTINUE);
    HAS("addrcpt <friend@example.com>\n");
    HASNT("delrcpt");
    end();
}
END_TEST

START_TEST(redirect_rate_limit)
{
    teardown();
    server_with("redirect_rate", "2");
    for (int i = 0; i < 3; i++) {
        fake_reset();
        begin("<x@example.com>");
        ck_assert_int_eq(rcpt(i == 1 ? "<Dave+x@example.org>" : "<dave@example.org>"),
                         MC_CONTINUE);
        ck_assert_int_eq(data("Subject: hi", "x\r\n", NULL), MC_CONTINUE);
        if (i < 2)
            HAS("addrcpt <friend@example.com>\n");
        else {
            /* Third in the hour (the detail counts as the same user). */
            HASNT("addrcpt");
            HASNT("delrcpt");
        }
        end();
    }
    NOW += 3600;   /* a new window */
    fake_reset();
    begin("<x@example.com>");
    ck_assert_int_eq(rcpt("<dave@example.org>"), MC_CONTINUE);
    ck_assert_int_eq(data("Subject: hi", "x\r\n", NULL), MC_CONTINUE);
    HAS("addrcpt <friend@example.com>\n");
    end();
}
END_TEST

START_TEST(fileinto_handoff_and_forged_headers)
{
    begin("<x@example.com>");
    ck_assert_int_eq(rcpt("<frank@example.org>"), MC_CONTINUE);
    ck_assert_int_eq(data("X-Sieve-Fileinto: frank@example.org; mailbox=Forged\n"
                          "Subject: hi\n"
                          "x-sieve-fileinto: again",
                          "x\r\n", NULL), MC_CONTINUE);
    /* Both forged fields removed, the last first. */
    HAS("chgheader X-Sieve-Fileinto 2 (delete)\nchgheader X-Sieve-Fileinto 1 (delete)\n");
    HAS("insheader X-Sieve-Fileinto: frank@example.org; mailbox=Work/Caf%C3%A9%20%3Bx; "
        "flags=%5CSeen%20$Work\n");
    HASNT("delrcpt");
    end();
}
END_TEST

START_TEST(missing_script_uses_default)
{
    begin("<x@example.com>");
    ck_assert_int_eq(rcpt("<nobody@example.org>"), MC_CONTINUE);
    ck_assert_int_eq(data("Subject: hi", "x\r\n", NULL), MC_CONTINUE);
    HAS("insheader X-Sieve-Fileinto: nobody@example.org; mailbox=FromDefault\n");
    end();
    /* No default either: kept, untouched. */
    teardown();
    server_with("default_script", "");
    begin("<x@example.com>");
    ck_assert_int_eq(rcpt("<nobody@example.org>"), MC_CONTINUE);
    ck_assert_int_eq(data("Subject: hi", "x\r\n", NULL), MC_CONTINUE);
    ck_assert_str_eq(F.log, "");
    end();
}
END_TEST

START_TEST(broken_so_tempfails)
{
    begin("<x@example.com>");
    ck_assert_int_eq(rcpt("<harry@example.org>"), MC_TEMPFAIL);
    ck_assert_str_eq(F.rcode, "451");
    ck_assert_str_eq(F.xcode, "4.3.0");
    /* It is not "no script": the default did not apply. */
    HASNT("FromDefault");
    ck_assert_int_eq(rcpt("<bob@example.org>"), MC_CONTINUE);
    end();
    /* A layout we may not read is an infrastructure error too. */
    if (geteuid() != 0) {
        char d[400];
        snprintf(d, sizeof d, "%s/example.org", SCRIPTS);
        chmod(d, 0);
        fake_reset();
        begin("<x@example.com>");
        ck_assert_int_eq(rcpt("<bob@example.org>"), MC_TEMPFAIL);
        chmod(d, 0755);
        end();
    }
    /* on_infrastructure_error = accept: the recipient is taken unfiltered. */
    teardown();
    server_with("on_infrastructure_error", "accept");
    begin("<x@example.com>");
    ck_assert_int_eq(rcpt("<harry@example.org>"), MC_CONTINUE);
    ck_assert_int_eq(data("Subject: hi", "x\r\n", NULL), MC_CONTINUE);
    ck_assert_str_eq(F.log, "");
    end();
}
END_TEST

START_TEST(runtime_error_keeps)
{
    begin("<x@example.com>");
    ck_assert_int_eq(rcpt("<ivan@example.org>"), MC_CONTINUE);
    ck_assert_int_eq(data("Subject: hi", "x\r\n", NULL), MC_CONTINUE);
    ck_assert_str_eq(F.log, "");   /* implicit keep: no change at all */
    end();
}
END_TEST

START_TEST(generation_swap_in_flight)
{
    char so[400];
    snprintf(so, sizeof so, "%s/example.org/zoe.so", SCRIPTS);
    script("zoe", S_HDRREJECT);
    begin("<x@example.com>");
    ck_assert_int_eq(rcpt("<zoe@example.org>"), MC_CONTINUE);
    /* The script is replaced while this message is in flight. */
    script("zoe", S_DISCARD);
    mc_conn *first = C;
    C = NULL;
    fake F1 = F;
    fake_reset();
    begin("<x@example.com>");
    ck_assert_int_eq(rcpt("<zoe@example.org>"), MC_CONTINUE);
    ck_assert_int_eq(data("Subject: buy junk", "x\r\n", NULL), MC_DISCARD);
    mc_close(&C);
    /* The first message finishes with the generation it started with. */
    C = first;
    F = F1;
    ck_assert_int_eq(data("Subject: buy junk", "x\r\n", NULL), MC_REJECT);
    end();
    unlink(so);
}
END_TEST

START_TEST(abort_and_reuse)
{
    begin("<x@example.com>");
    ck_assert_int_eq(rcpt("<bob@example.org>"), MC_CONTINUE);
    ck_assert_int_eq(mc_header(C, &IO, "Subject", "buy"), MC_CONTINUE);
    ck_assert_int_eq(mc_abort(C), MC_CONTINUE);
    ck_assert_int_eq(mc_abort(C), MC_CONTINUE);
    /* The next message on the connection starts clean. */
    begin("<x@example.com>");
    ck_assert_int_eq(rcpt("<gina@example.org>"), MC_CONTINUE);
    ck_assert_int_eq(data("Subject: hello", "fine\r\n", NULL), MC_CONTINUE);
    end();
}
END_TEST

START_TEST(reload_picks_new_settings)
{
    begin("<x@example.com>");
    ck_assert_int_eq(rcpt("<bob@example.org>"), MC_CONTINUE);
    mconf n;
    mconf_copy(&n, &CONF);
    char err[200];
    ck_assert_int_eq(mconf_set(&n, "multi_recipient", "accept-mixed", err, sizeof err), 0);
    mc_server_reload(SRV, &n);
    mconf_free(&n);
    /* This message keeps the settings it started with... */
    ck_assert_int_eq(rcpt("<gina@example.org>"), MC_TEMPFAIL);
    ck_assert_int_eq(data("Subject: hi", "x\r\n", NULL), MC_CONTINUE);
    /* ...the next one has the new ones. */
    begin("<x@example.com>");
    ck_assert_int_eq(rcpt("<bob@example.org>"), MC_CONTINUE);
    ck_assert_int_eq(rcpt("<gina@example.org>"), MC_CONTINUE);
    ck_assert_int_eq(data("Subject: hi", "x\r\n", NULL), MC_CONTINUE);
    end();
}
END_TEST

static char LOGBUF[8192];
static void log_hook(int prio, const char *line, void *arg)
{
    (void)prio;
    (void)arg;
    size_t n = strlen(LOGBUF);
    snprintf(LOGBUF + n, sizeof LOGBUF - n, "%s\n", line);
}

START_TEST(log_lines_name_queue_rcpt_decision)
{
    LOGBUF[0] = '\0';
    mlog_set_hook(log_hook, NULL);
    begin("<x@example.com>");
    ck_assert_int_eq(rcpt("<bob@example.org>"), MC_CONTINUE);
    ck_assert_int_eq(rcpt("<bob2@example.org>"), MC_CONTINUE);
    ck_assert_int_eq(data("Subject: buy", "x\r\n", NULL), MC_REJECT);
    end();
    mlog_set_hook(NULL, NULL);
    ck_assert_msg(strstr(LOGBUF, "queue=4ABC123 rcpt=<bob@example.org> decision=reject after DATA\n"),
                  "%s", LOGBUF);
    ck_assert_msg(strstr(LOGBUF, "queue=4ABC123 rcpt=<bob2@example.org> decision=reject after DATA\n"),
                  "%s", LOGBUF);
}
END_TEST

START_TEST(too_big_is_kept_unfiltered)
{
    teardown();
    server_with("max_message_bytes", "64");
    begin("<x@example.com>");
    ck_assert_int_eq(rcpt("<gina@example.org>"), MC_CONTINUE);
    ck_assert_int_eq(data("Subject: hello there, this header alone is long enough",
                          "a secret body that is over the limit\r\n", NULL), MC_CONTINUE);
    ck_assert_str_eq(F.log, "");
    end();
}
END_TEST

/* Global before/after scripts are compiled into the user's filter with
 * include (RFC 6609), as sieve-milter(8) documents: one filter, the
 * global script's stop ends the personal one. */
START_TEST(global_before_script_through_include)
{
    char cmd[3000];
    snprintf(cmd, sizeof cmd,
             "mkdir -p %s/inc/global %s/inc/pat && cd %s/inc && "
             "printf 'require [\"envelope\",\"reject\"];\\nif envelope :is \"from\" "
             "\"spam@example.com\" { reject \"global policy\"; stop; }\\n' > global/before.sieve && "
             "printf 'require \"fileinto\";\\nfileinto \"Lists\";\\n' > pat/main.sieve && "
             "printf 'require \"include\";\\ninclude :global \"before\";\\n"
             "include :personal \"main\";\\n' > wrapper.sieve && "
             "%s --key-file %s --include-dir-global global --include-dir-personal pat "
             "-o %s/example.org/pat.so wrapper.sieve",
             T, T, T, SIEVEC_BIN, KEY, SCRIPTS);
    sh(cmd);
    begin("<spam@example.com>");
    ck_assert_int_eq(rcpt("<pat@example.org>"), MC_REJECT);
    ck_assert_str_eq(F.reply.lines[0], "global policy");
    end();
    fake_reset();
    begin("<friend@example.com>");
    ck_assert_int_eq(rcpt("<pat@example.org>"), MC_CONTINUE);
    ck_assert_int_eq(data("Subject: hi", "x\r\n", NULL), MC_CONTINUE);
    HAS("insheader X-Sieve-Fileinto: pat@example.org; mailbox=Lists\n");
    end();
}
END_TEST

START_TEST(remote_ip_reaches_the_environment)
{
    begin("<x@example.com>");
    mc_status st = rcpt("<rita@example.org>");
    if (st == MC_CONTINUE)
        st = data("Subject: hi", "x\r\n", NULL);
    ck_assert_int_eq(st, MC_REJECT);
    ck_assert_str_eq(F.reply.lines[0], "not from there");
    end();
    /* Another client address passes. */
    fake_reset();
    C = mc_connect(SRV, "other.example.com", "198.51.100.7");
    begin("<x@example.com>");
    ck_assert_int_eq(rcpt("<rita@example.org>"), MC_CONTINUE);
    ck_assert_int_eq(data("Subject: hi", "x\r\n", NULL), MC_CONTINUE);
    end();
}
END_TEST

/* ---- recipients and paths --------------------------------------------------- */

static const char *path_of(const char *addr, size_t len)
{
    static char buf[4096];
    rcpt_user u;
    char err[200];
    if (rcpt_canonical(addr, len, "+", &u, err, sizeof err) != 0)
        return NULL;
    ck_assert_int_eq(rcpt_script_path("/var/lib/sieve/%d/%l.so", &u, buf, sizeof buf), 0);
    return buf;
}

START_TEST(canonical_paths)
{
    ck_assert_str_eq(path_of("<Bob+Detail@Example.ORG>", 24), "/var/lib/sieve/example.org/bob.so");
    ck_assert_str_eq(path_of("bob@example.org", 15), "/var/lib/sieve/example.org/bob.so");
    ck_assert_str_eq(path_of("<@relay.example:bob@example.org>", 32),
                     "/var/lib/sieve/example.org/bob.so");
    ck_assert_str_eq(path_of("\"Bob Smith\"@example.org", 23),
                     "/var/lib/sieve/example.org/bob%20smith.so");
    ck_assert_str_eq(path_of("\"a\\\"b\"@example.org", 18),
                     "/var/lib/sieve/example.org/a%22b.so");
    /* Hostile: never a '/' or a leading '.' from the address. */
    ck_assert_str_eq(path_of("../../etc/passwd@example.org", 28),
                     "/var/lib/sieve/example.org/%2E.%2F..%2Fetc%2Fpasswd.so");
    ck_assert_str_eq(path_of("\"../x\"@example.org", 18),
                     "/var/lib/sieve/example.org/%2E.%2Fx.so");
    ck_assert_str_eq(path_of("bob@..", 6), "/var/lib/sieve/%2E./bob.so");
    ck_assert_str_eq(path_of("bob@ex/../../root", 17),
                     "/var/lib/sieve/ex%2F..%2F..%2Froot/bob.so");
    ck_assert_str_eq(path_of("o'brien@example.org", 19),
                     "/var/lib/sieve/example.org/o%27brien.so");
    ck_assert_str_eq(path_of("b%6Fb@example.org", 17), "/var/lib/sieve/example.org/b%256fb.so");
    /* Unusable: no script of their own. */
    ck_assert_ptr_null(path_of("bob@example.org\0evil", 20));   /* NUL */
    ck_assert_ptr_null(path_of("bob\r\n@example.org", 17));
    ck_assert_ptr_null(path_of("bob", 3));
    ck_assert_ptr_null(path_of("@example.org", 12));
    ck_assert_ptr_null(path_of("+only@example.org", 17));
    ck_assert_ptr_null(path_of("bob@", 4));
    ck_assert_ptr_null(path_of("<bob@example.org", 16));
    ck_assert_ptr_null(path_of("\"unterminated@example.org", 25));
    char longl[200];
    memset(longl, 'a', 65);
    strcpy(longl + 65, "@example.org");
    ck_assert_ptr_null(path_of(longl, strlen(longl)));
    longl[1] = '+';   /* the detail is removed after the length check */
    ck_assert_ptr_null(path_of(longl, strlen(longl)));
    char longd[400] = "bob@";
    memset(longd + 4, 'd', 300);
    longd[304] = '\0';
    ck_assert_ptr_null(path_of(longd, strlen(longd)));
    /* A path that does not fit the buffer is an error, not a truncation. */
    rcpt_user u;
    char err[100], small[20];
    ck_assert_int_eq(rcpt_canonical("bob@example.org", 15, "+", &u, err, sizeof err), 0);
    ck_assert_int_eq(rcpt_script_path("/var/lib/sieve/%d/%l.so", &u, small, sizeof small), -1);
    ck_assert_int_eq(rcpt_script_path("/x/%q", &u, small, sizeof small), -1);
}
END_TEST

START_TEST(hostile_recipients_through_core)
{
    /* The default script applies (fileinto FromDefault); nothing escapes. */
    const char *bad[] = { "<../../../../tmp/x@example.org>", "<bob/../alice@example.org>",
                          "<\"../alice\"@example.org>", "<BOB@EXAMPLE.ORG/../..>" };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        fake_reset();
        begin("<spam@example.com>");
        ck_assert_int_eq(rcpt(bad[i]), MC_CONTINUE);
        ck_assert_int_eq(data("Subject: buy", "x\r\n", NULL), MC_CONTINUE);
        HAS("mailbox=FromDefault");
        end();
    }
}
END_TEST

/* Random addresses: whatever canonicalises gives a path with exactly the
 * layout's slashes, no component starting with '.', only safe bytes. */
START_TEST(random_addresses_stay_in_their_directory)
{
    static const char alphabet[] = "aZ09.+/@\"\\<>%: \t\x01\x7f\xc3\xa9-_'";
    unsigned seed = 12345;
    char addr[80], path[4096], err[100];
    size_t ok_count = 0;
    for (int iter = 0; iter < 200000; iter++) {
        size_t n = (size_t)(rand_r(&seed) % 40);
        for (size_t i = 0; i < n; i++)
            addr[i] = alphabet[rand_r(&seed) % (sizeof alphabet - 1)];
        addr[n] = '\0';
        rcpt_user u;
        if (rcpt_canonical(addr, n, "+", &u, err, sizeof err) != 0)
            continue;
        ok_count++;
        ck_assert_int_eq(rcpt_script_path("/s/%d/%l.so", &u, path, sizeof path), 0);
        int slashes = 0;
        for (const char *p = path; *p; p++) {
            unsigned char c = (unsigned char)*p;
            ck_assert_msg(c > 0x20 && c < 0x7f, "byte %02x in %s", c, path);
            if (c == '/') {
                slashes++;
                ck_assert_msg(p[1] != '.' && p[1] != '/', "'%s' gave %s", addr, path);
            }
        }
        ck_assert_msg(slashes == 3, "'%s' gave %s", addr, path);
    }
    ck_assert_uint_gt(ok_count, 1000);
}
END_TEST

/* Connections on several threads share the server while a script is
 * replaced and the settings reloaded: every verdict is one of the two
 * generations', nothing crashes, every session is counted out. */
typedef struct worker_arg {
    int id;
    int rejects, keeps, other;
} worker_arg;

static void *worker(void *p)
{
    worker_arg *w = p;
    fake f;
    memset(&f, 0, sizeof f);
    f.qid = "Q";
    mc_io io = { .h = &f, .setreply = f_setreply, .addrcpt = f_addrcpt, .delrcpt = f_delrcpt,
                 .insheader = f_insheader, .chgheader = f_chgheader, .symval = f_symval };
    for (int i = 0; i < 150; i++) {
        f.log[0] = '\0';
        mc_conn *c = mc_connect(SRV, "client", NULL);
        char *from[] = { "<x@example.com>", NULL };
        char *to[] = { (i + w->id) % 2 ? "<zoe@example.org>" : "<Zoe+t@example.org>", NULL };
        mc_envfrom(c, &io, from);
        mc_status st = mc_envrcpt(c, &io, to);
        if (st == MC_CONTINUE) {
            mc_header(c, &io, "Subject", "buy junk");
            mc_eoh(c, &io);
            mc_body(c, &io, (const unsigned char *)"x\r\n", 3);
            st = mc_eom(c, &io);
        }
        if (st == MC_REJECT)
            w->rejects++;
        else if (st == MC_DISCARD)
            w->keeps++;
        else
            w->other++;
        mc_close(&c);
    }
    return NULL;
}

START_TEST(threads_share_the_server)
{
    char so[400];
    snprintf(so, sizeof so, "%s/example.org/zoe.so", SCRIPTS);
    script("zoe", S_HDRREJECT);
    pthread_t th[4];
    worker_arg wa[4];
    for (int i = 0; i < 4; i++) {
        wa[i] = (worker_arg){ .id = i };
        ck_assert_int_eq(pthread_create(&th[i], NULL, worker, &wa[i]), 0);
    }
    for (int k = 0; k < 6; k++) {
        script("zoe", k % 2 ? S_HDRREJECT : S_DISCARD);
        mc_server_reload(SRV, &CONF);
    }
    int total = 0;
    for (int i = 0; i < 4; i++) {
        pthread_join(th[i], NULL);
        ck_assert_int_eq(wa[i].other, 0);
        total += wa[i].rejects + wa[i].keeps;
    }
    ck_assert_int_eq(total, 600);
    ck_assert_uint_eq(mc_server_inflight(SRV), 0);
    unlink(so);
}
END_TEST

/* ---- replies, policy, config ---------------------------------------------- */

START_TEST(reply_text_safe)
{
    reply_text r;
    reply_make(&r, "50% off\r\nsecond\nthird\rfourth\x01\xff", "fallback");
    ck_assert_uint_eq(r.nlines, 4);
    ck_assert_str_eq(r.lines[0], "50%% off");
    ck_assert_str_eq(r.lines[3], "fourth??");
    reply_make(&r, "", "fallback");
    ck_assert_str_eq(r.lines[0], "fallback");
    reply_make(&r, NULL, "fallback");
    ck_assert_str_eq(r.lines[0], "fallback");
    reply_make(&r, "\r\n\r\n", "fallback");
    ck_assert_uint_eq(r.nlines, 1);
    ck_assert_str_eq(r.lines[0], "fallback");
    /* Long: wrapped at REPLY_LINE_MAX, at most REPLY_MAX_LINES lines. */
    char *big = malloc(100000);
    memset(big, '%', 99999);
    big[99999] = '\0';
    reply_make(&r, big, "x");
    ck_assert_uint_eq(r.nlines, REPLY_MAX_LINES);
    ck_assert_uint_eq(strlen(r.lines[0]), 2 * REPLY_LINE_MAX);
    ck_assert_str_eq(r.lines[REPLY_MAX_LINES - 1], "(reason truncated)");
    for (size_t i = 0; i < r.nlines; i++)
        for (const char *p = r.lines[i]; *p; p++)
            ck_assert(*p >= 0x20 && *p < 0x7f);
    memset(big, '\n', 1000);
    big[1000] = 'x';
    big[1001] = '\0';
    reply_make(&r, big, "x");
    ck_assert_uint_le(r.nlines, REPLY_MAX_LINES);
    free(big);
}
END_TEST

START_TEST(redirect_domains)
{
    char *d[] = { "example.com", "example.org" };
    ck_assert(rpolicy_domain_allowed("a@Example.COM", d, 2));
    ck_assert(rpolicy_domain_allowed("<a@example.org>", d, 2));
    ck_assert(!rpolicy_domain_allowed("a@evil.example.com", d, 2));
    ck_assert(!rpolicy_domain_allowed("a@example.com.evil", d, 2));
    ck_assert(!rpolicy_domain_allowed("example.com", d, 2));
    ck_assert(!rpolicy_domain_allowed("a@", d, 2));
    ck_assert(!rpolicy_domain_allowed("a@example.com", d, 0));
    char *any[] = { "*" };
    ck_assert(rpolicy_domain_allowed("a@anything.test", any, 1));
    rpolicy *p = rpolicy_new(2);
    ck_assert(rpolicy_take(p, "u1", 1, 100));
    ck_assert(!rpolicy_take(p, "u1", 1, 200));
    ck_assert(rpolicy_take(p, "u2", 1, 200));
    /* Table full, no window ended: fail closed. */
    ck_assert(!rpolicy_take(p, "u3", 1, 300));
    ck_assert(rpolicy_take(p, "u3", 1, 100 + 3600));
    ck_assert(rpolicy_take(p, "u4", 0, 0));   /* rate 0: unlimited */
    rpolicy_free(&p);
    ck_assert_ptr_null(p);
}
END_TEST

START_TEST(config_file)
{
    char path[400], err[512];
    snprintf(path, sizeof path, "%s/milter.conf", T);
    write_text(path, "# comment\n\nsocket = inet:9999@127.0.0.1\n"
                     "script_layout = /srv/sieve/%d/%l.so\n"
                     "multi_recipient = accept-mixed\n"
                     "redirect_domains = Example.COM, example.org\n"
                     "max_message_bytes = 10M\n  log=stderr  \n");
    mconf c;
    mconf_defaults(&c);
    ck_assert_msg(mconf_load_file(&c, path, err, sizeof err) == 0, "%s", err);
    ck_assert_str_eq(c.socket, "inet:9999@127.0.0.1");
    ck_assert_int_eq(c.multi, MCONF_ACCEPT_MIXED);
    ck_assert_uint_eq(c.nredirect_domains, 2);
    ck_assert_str_eq(c.redirect_domains[0], "example.com");
    ck_assert_uint_eq(c.max_message_bytes, 10u << 20);
    ck_assert_int_eq(c.log, MCONF_LOG_STDERR);
    ck_assert_int_eq(mconf_check(&c, err, sizeof err), 0);
    mconf_free(&c);
    mconf_defaults(&c);
    write_text(path, "socket = x\nbogus = 1\n");
    ck_assert_int_eq(mconf_load_file(&c, path, err, sizeof err), -1);
    ck_assert_msg(strstr(err, "milter.conf:2: unknown setting 'bogus'"), "%s", err);
    write_text(path, "multi_recipient = sometimes\n");
    ck_assert_int_eq(mconf_load_file(&c, path, err, sizeof err), -1);
    ck_assert_msg(strstr(err, ":1: multi_recipient: invalid value"), "%s", err);
    write_text(path, "just words\n");
    ck_assert_int_eq(mconf_load_file(&c, path, err, sizeof err), -1);
    ck_assert_int_eq(mconf_set(&c, "max_message_bytes", "99999999999999999999", err, sizeof err), -1);
    ck_assert_int_eq(mconf_set(&c, "fileinto_header", "Bad: name", err, sizeof err), -1);
    ck_assert_int_eq(mconf_set(&c, "script_layout", "relative/%l", err, sizeof err), 0);
    ck_assert_int_eq(mconf_check(&c, err, sizeof err), -1);
    ck_assert_int_eq(mconf_set(&c, "script_layout", "/all/the/same.so", err, sizeof err), 0);
    ck_assert_int_eq(mconf_check(&c, err, sizeof err), -1);
    mconf_free(&c);
}
END_TEST

START_TEST(cache_lru_bound)
{
    sieve_load_options lo = { .key_file = KEY, .cache_dir = CACHE, .check_owner = true,
                              .owner = geteuid() };
    fcache *fc = fcache_new(&lo, 2);
    const char *users[] = { "bob", "carol", "gina", "bob" };
    char err[512], path[400];
    sieve_filter *keep = NULL;
    for (size_t i = 0; i < 4; i++) {
        snprintf(path, sizeof path, "%s/example.org/%s.so", SCRIPTS, users[i]);
        sieve_filter *f;
        ck_assert_msg(fcache_get(fc, path, &f, err, sizeof err) == FCACHE_OK, "%s", err);
        ck_assert_uint_le(fcache_count(fc), 2);
        if (i == 0)
            keep = f;   /* evicted later, but still ours */
        else
            sieve_filter_unref(&f);
    }
    ck_assert_ptr_nonnull(sieve_filter_descriptor(keep));
    sieve_filter_unref(&keep);
    snprintf(path, sizeof path, "%s/example.org/nobody.so", SCRIPTS);
    sieve_filter *f;
    ck_assert_int_eq(fcache_get(fc, path, &f, err, sizeof err), FCACHE_MISSING);
    snprintf(path, sizeof path, "%s/example.org/harry.so", SCRIPTS);
    ck_assert_int_eq(fcache_get(fc, path, &f, err, sizeof err), FCACHE_BROKEN);
    ck_assert_ptr_null(f);
    fcache_flush(fc);
    ck_assert_uint_eq(fcache_count(fc), 0);
    fcache_free(&fc);
}
END_TEST

static Suite *suite(void)
{
    Suite *s = suite_create("milter");
    TCase *tc = tcase_create("core");
    tcase_add_unchecked_fixture(tc, setup_all, teardown_all);
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_set_timeout(tc, 60);
    tcase_add_test(tc, envelope_reject_at_rcpt);
    tcase_add_test(tc, reject_after_data_smtp_safe);
    tcase_add_test(tc, body_filter_ereject_and_skip);
    tcase_add_test(tc, split_defers_other_filters);
    tcase_add_test(tc, accept_mixed_removes_refusers);
    tcase_add_test(tc, accept_mixed_dsn);
    tcase_add_test(tc, discard);
    tcase_add_test(tc, redirect_policy);
    tcase_add_test(tc, redirect_rate_limit);
    tcase_add_test(tc, fileinto_handoff_and_forged_headers);
    tcase_add_test(tc, missing_script_uses_default);
    tcase_add_test(tc, broken_so_tempfails);
    tcase_add_test(tc, runtime_error_keeps);
    tcase_add_test(tc, generation_swap_in_flight);
    tcase_add_test(tc, abort_and_reuse);
    tcase_add_test(tc, reload_picks_new_settings);
    tcase_add_test(tc, log_lines_name_queue_rcpt_decision);
    tcase_add_test(tc, too_big_is_kept_unfiltered);
    tcase_add_test(tc, global_before_script_through_include);
    tcase_add_test(tc, remote_ip_reaches_the_environment);
    tcase_add_test(tc, canonical_paths);
    tcase_add_test(tc, hostile_recipients_through_core);
    tcase_add_test(tc, random_addresses_stay_in_their_directory);
    tcase_add_test(tc, threads_share_the_server);
    tcase_add_test(tc, reply_text_safe);
    tcase_add_test(tc, redirect_domains);
    tcase_add_test(tc, config_file);
    tcase_add_test(tc, cache_lru_bound);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    SRunner *sr = srunner_create(suite());
    srunner_run_all(sr, CK_NORMAL);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? 1 : 0;
}
