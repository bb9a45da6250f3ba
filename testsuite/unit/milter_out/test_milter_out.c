/* Unit tests of sieve-milter's outgoing mail and state (outmail, outbox,
 * mstore and their use in mcore): vacation replies and notifications are
 * submitted to a fake SMTP server run by the test (a thread on a loopback
 * port) or to a fake sendmail program, only for accepted mail, never twice
 * within the period (LMDB store in a temporary directory, across a new
 * server), never to lists or automatic mail; an unreachable store follows
 * store_unreachable. Filters are compiled by the real sievec (SIEVEC_BIN). */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <check.h>
#include <netinet/in.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include "mconf.h"
#include "mcore.h"
#include "redis_fixture.h"
#include "mlog.h"
#include "outmail.h"

static char T[256], KEY[300], CACHE[300], LAYOUT[320], SCRIPTS[300];

/* ---- a fake SMTP server ------------------------------------------------------------ */

static pthread_mutex_t SMU = PTHREAD_MUTEX_INITIALIZER;
static char GOT[131072];      /* what the server saw, all transactions */
static int NTX;               /* transactions accepted (250 after DATA) */
static int DATA_CODE = 250;   /* the reply after the data */
static int RCPT_CODE = 250;
static int LFD = -1, PORT;
static pthread_t STHR;

static void got(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static void got(const char *fmt, ...)
{
    size_t n = strlen(GOT);
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(GOT + n, sizeof GOT - n, fmt, ap);
    va_end(ap);
}

static int readline(int fd, char *buf, size_t len)
{
    size_t n = 0;
    while (n + 1 < len) {
        char ch;
        if (read(fd, &ch, 1) != 1)
            return -1;
        buf[n++] = ch;
        if (ch == '\n')
            break;
    }
    buf[n] = '\0';
    return (int)n;
}

static void say(int fd, const char *s)
{
    if (write(fd, s, strlen(s)) < 0)
        return;
}

static void *server(void *arg)
{
    (void)arg;
    for (;;) {
        int fd = accept(LFD, NULL, NULL);
        if (fd < 0)
            return NULL;
        say(fd, "220 fake.example.org ESMTP\r\n");
        char line[2048], rep[64];
        while (readline(fd, line, sizeof line) > 0) {
            pthread_mutex_lock(&SMU);
            if (!strncasecmp(line, "EHLO", 4))
                say(fd, "250-fake.example.org\r\n250 8BITMIME\r\n");
            else if (!strncasecmp(line, "MAIL FROM:", 10)) {
                got("MAIL %s", line + 10);
                say(fd, "250 ok\r\n");
            } else if (!strncasecmp(line, "RCPT TO:", 8)) {
                got("RCPT %s", line + 8);
                snprintf(rep, sizeof rep, "%d rcpt\r\n", RCPT_CODE);
                say(fd, rep);
            } else if (!strncasecmp(line, "DATA", 4)) {
                say(fd, "354 go\r\n");
                got("DATA\n");
                pthread_mutex_unlock(&SMU);
                while (readline(fd, line, sizeof line) > 0 && strcmp(line, ".\r\n") != 0) {
                    pthread_mutex_lock(&SMU);
                    got("%s", line);
                    pthread_mutex_unlock(&SMU);
                }
                pthread_mutex_lock(&SMU);
                got("END\n");
                if (DATA_CODE == 250)
                    NTX++;
                snprintf(rep, sizeof rep, "%d done\r\n", DATA_CODE);
                say(fd, rep);
            } else if (!strncasecmp(line, "QUIT", 4)) {
                say(fd, "221 bye\r\n");
                pthread_mutex_unlock(&SMU);
                break;
            } else
                say(fd, "502 what\r\n");
            pthread_mutex_unlock(&SMU);
        }
        close(fd);
    }
}

static void server_start(void)
{
    LFD = socket(AF_INET, SOCK_STREAM, 0);
    ck_assert_int_ge(LFD, 0);
    struct sockaddr_in a = { .sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
    ck_assert_int_eq(bind(LFD, (struct sockaddr *)&a, sizeof a), 0);
    socklen_t al = sizeof a;
    getsockname(LFD, (struct sockaddr *)&a, &al);
    PORT = ntohs(a.sin_port);
    ck_assert_int_eq(listen(LFD, 8), 0);
    pthread_create(&STHR, NULL, server, NULL);
}

static void got_reset(void)
{
    pthread_mutex_lock(&SMU);
    GOT[0] = '\0';
    NTX = 0;
    DATA_CODE = RCPT_CODE = 250;
    pthread_mutex_unlock(&SMU);
}

/* ---- fixtures ---------------------------------------------------------------------- */

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

static void script(const char *user, const char *text)
{
    char src[600], so[600], cmd[4000];
    snprintf(src, sizeof src, "%s/src.sieve", T);
    snprintf(so, sizeof so, "%s/example.org/%s.so", SCRIPTS, user);
    write_text(src, text);
    snprintf(cmd, sizeof cmd, "%s --key-file %s -o %s.tmp %s && mv %s.tmp %s", SIEVEC_BIN, KEY, so,
             src, so, so);
    sh(cmd);
}

static const char S_VACATION[] =
    "require \"vacation\";\n"
    "vacation :days 3 :subject \"Away\" \"I am away until Monday.\";\n";
static const char S_NOTIFY[] =
    "require \"enotify\";\n"
    "notify :message \"new mail\" \"mailto:boss@example.com\";\n";
static const char S_DUP[] =
    "require \"duplicate\";\n"
    "if duplicate { discard; }\n";
/* Vacation, but a message whose subject says "buy" is refused. */
static const char S_VAC_OR_REJECT[] =
    "require [\"vacation\", \"reject\"];\n"
    "if header :contains \"subject\" \"buy\" { reject \"no\"; stop; }\n"
    "vacation \"away\";\n";

static void setup_all(void)
{
    snprintf(T, sizeof T, "/tmp/test_milter_out.XXXXXX");
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
    script("vera", S_VACATION);
    script("nina", S_NOTIFY);
    script("dora", S_DUP);
    script("rory", S_VAC_OR_REJECT);
    server_start();
}

static void teardown_all(void)
{
    char cmd[400];
    snprintf(cmd, sizeof cmd, "rm -rf %s", T);
    sh(cmd);
}

static mc_server *SRV;
static mconf CONF;
static char LOG[65536];

static void hook(int prio, const char *line, void *arg)
{
    (void)prio, (void)arg;
    pthread_mutex_lock(&SMU);
    size_t n = strlen(LOG);
    snprintf(LOG + n, sizeof LOG - n, "%s\n", line);
    pthread_mutex_unlock(&SMU);
}

/* A server whose replies go to the fake SMTP server and whose store is
 * T/state.mdb, with extra KEY=VALUE settings. */
static void server_with(const char *k1, const char *v1, const char *k2, const char *v2)
{
    char err[512], v[400];
    mconf_defaults(&CONF);
    ck_assert_int_eq(mconf_set(&CONF, "script_layout", LAYOUT, err, sizeof err), 0);
    ck_assert_int_eq(mconf_set(&CONF, "log", "none", err, sizeof err), 0);
    snprintf(v, sizeof v, "smtp:127.0.0.1:%d", PORT);
    ck_assert_int_eq(mconf_set(&CONF, "reply_transport", v, err, sizeof err), 0);
    snprintf(v, sizeof v, "lmdb:%s/state.mdb", T);
    ck_assert_int_eq(mconf_set(&CONF, "store", v, err, sizeof err), 0);
    if (k1)
        ck_assert_msg(mconf_set(&CONF, k1, v1, err, sizeof err) == 0, "%s", err);
    if (k2)
        ck_assert_msg(mconf_set(&CONF, k2, v2, err, sizeof err) == 0, "%s", err);
    sieve_load_options lo = { .key_file = KEY, .cache_dir = CACHE, .check_owner = true,
                              .owner = geteuid() };
    SRV = mc_server_new(&CONF, &lo, err, sizeof err);
    ck_assert_msg(SRV != NULL, "%s", err);
}

static void setup(void)
{
    mlog_open(MCONF_LOG_NONE);
    LOG[0] = '\0';
    mlog_set_hook(hook, NULL);
    got_reset();
    char cmd[700];
    snprintf(cmd, sizeof cmd, "rm -f %s/state.mdb %s/state.mdb-lock", T, T);
    sh(cmd);
    server_with(NULL, NULL, NULL, NULL);
}

static void teardown(void)
{
    mc_server_free(&SRV);
    mconf_free(&CONF);
    mlog_set_hook(NULL, NULL);
}

/* ---- the fake MTA side of the milter ------------------------------------------------- */

static char RCODE[8];
static int f_setreply(void *h, const char *rcode, const char *xcode, const reply_text *t)
{
    (void)h, (void)xcode, (void)t;
    snprintf(RCODE, sizeof RCODE, "%s", rcode);
    return 0;
}
static int f_ok(void *h, const char *r)
{
    (void)h, (void)r;
    return 0;
}
static int f_ins(void *h, int idx, const char *name, const char *value)
{
    (void)h, (void)idx, (void)name, (void)value;
    return 0;
}
static int f_chg(void *h, const char *name, int idx, const char *value)
{
    (void)h, (void)name, (void)idx, (void)value;
    return 0;
}
static const char *f_symval(void *h, const char *name)
{
    (void)h;
    return !strcmp(name, "i") ? "7QID" : NULL;
}
static const mc_io IO = { .setreply = f_setreply, .addrcpt = f_ok, .delrcpt = f_ok,
                          .insheader = f_ins, .chgheader = f_chg, .symval = f_symval };

/* One transaction from `from` to `to` with the header lines `headers`
 * (\n-separated); the end-of-message status. */
static mc_status mail(const char *from, const char *to, const char *headers)
{
    RCODE[0] = '\0';
    mc_conn *c = mc_connect(SRV, "client.example.com", "192.0.2.1");
    ck_assert_ptr_nonnull(c);
    char *fa[] = { (char *)from, NULL }, *ta[] = { (char *)to, NULL };
    ck_assert_int_eq(mc_envfrom(c, &IO, fa), MC_CONTINUE);
    mc_status st = mc_envrcpt(c, &IO, ta);
    if (st == MC_CONTINUE) {
        char *h = strdup(headers);
        for (char *line = strtok(h, "\n"); line; line = strtok(NULL, "\n")) {
            char *colon = strchr(line, ':');
            ck_assert_ptr_nonnull(colon);
            *colon = '\0';
            mc_header(c, &IO, line, colon + 2);
        }
        free(h);
        mc_eoh(c, &IO);
        mc_body(c, &IO, (const unsigned char *)"hello\r\n", 7);
        st = mc_eom(c, &IO);
    }
    mc_close(&c);
    mc_server_drain_outbox(SRV);
    return st;
}

static int ntx(void)
{
    pthread_mutex_lock(&SMU);
    int n = NTX;
    pthread_mutex_unlock(&SMU);
    return n;
}

#define GOT_HAS(s) ck_assert_msg(strstr(GOT, s) != NULL, "'%s' not in:\n%s", s, GOT)
#define GOT_HASNT(s) ck_assert_msg(strstr(GOT, s) == NULL, "'%s' in:\n%s", s, GOT)
#define LOG_HAS(s) ck_assert_msg(strstr(LOG, s) != NULL, "'%s' not in log:\n%s", s, LOG)

static const char H_PLAIN[] = "From: Sam <sam@example.com>\nTo: vera@example.org\n"
                              "Subject: lunch\nMessage-ID: <m1@example.com>";

/* ---- outmail ------------------------------------------------------------------------- */

START_TEST(transport_specs)
{
    om_transport t;
    char err[400];
    ck_assert_int_eq(om_parse("smtp:127.0.0.1:2525", "/usr/sbin/sendmail", &t, err, sizeof err), 0);
    ck_assert_int_eq(t.kind, OM_SMTP);
    ck_assert_str_eq(t.host, "127.0.0.1");
    ck_assert_str_eq(t.port, "2525");
    ck_assert_int_eq(om_parse("smtp:mx.example.org", "/x", &t, err, sizeof err), 0);
    ck_assert_str_eq(t.port, "25");
    ck_assert_int_eq(om_parse("smtp:[::1]:26", "/x", &t, err, sizeof err), 0);
    ck_assert_str_eq(t.host, "::1");
    ck_assert_str_eq(t.port, "26");
    ck_assert_int_eq(om_parse("sendmail", "/usr/sbin/sendmail -oi", &t, err, sizeof err), 0);
    ck_assert_int_eq(t.kind, OM_SENDMAIL);
    const char *bad[] = { "smtp:", "smtp:h:0", "smtp:h:70000", "smtp:h:x", "lmtp:h",
                          "smtp:[::1", "smtp:[::1]x", "" };
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++)
        ck_assert_msg(om_parse(bad[i], "/x", &t, err, sizeof err) == -1, "%s accepted", bad[i]);
    /* And through the configuration. */
    mconf c;
    mconf_defaults(&c);
    ck_assert_int_eq(mconf_set(&c, "reply_transport", "smtp:nohost:99999", err, sizeof err), -1);
    ck_assert_int_eq(mconf_set(&c, "store", "memcached://x", err, sizeof err), -1);
    ck_assert_int_eq(mconf_set(&c, "store_unreachable", "maybe", err, sizeof err), -1);
    ck_assert_int_eq(mconf_set(&c, "store", "none", err, sizeof err), 0);
    ck_assert_ptr_null(c.store);
    ck_assert_int_eq(mconf_set(&c, "store", "redis://127.0.0.1:6379/0", err, sizeof err), 0);
    mconf_free(&c);
}
END_TEST

START_TEST(smtp_submission_dot_stuffed)
{
    om_transport t;
    char err[400];
    char spec[64];
    snprintf(spec, sizeof spec, "smtp:127.0.0.1:%d", PORT);
    ck_assert_int_eq(om_parse(spec, "/x", &t, err, sizeof err), 0);
    const char msg[] = "Subject: x\r\n\r\n.leading dot\r\nlast";
    ck_assert_msg(om_send(&t, "", "a@example.com, b@example.com", msg, sizeof msg - 1, err,
                          sizeof err) == 0, "%s", err);
    GOT_HAS("MAIL <>");
    GOT_HAS("RCPT <a@example.com>");
    GOT_HAS("RCPT <b@example.com>");
    GOT_HAS("\r\n..leading dot\r\nlast\r\nEND");
    ck_assert_int_eq(ntx(), 1);
    /* A refusal after DATA is an error that names the reply. */
    DATA_CODE = 554;
    ck_assert_int_eq(om_send(&t, "x@example.com", "a@example.com", msg, sizeof msg - 1, err,
                             sizeof err), -1);
    ck_assert_msg(strstr(err, "554") != NULL, "%s", err);
    /* Every recipient refused: nothing sent. */
    DATA_CODE = 250;
    RCPT_CODE = 550;
    ck_assert_int_eq(om_send(&t, "", "a@example.com", msg, sizeof msg - 1, err, sizeof err), -1);
    ck_assert_msg(strstr(err, "550") != NULL, "%s", err);
    /* Addresses that would break the SMTP line are refused before sending. */
    RCPT_CODE = 250;
    ck_assert_int_eq(om_send(&t, "", "a@example.com>\r\nRSET", msg, sizeof msg - 1, err,
                             sizeof err), -1);
    ck_assert_int_eq(om_send(&t, "x y@example.com", "a@example.com", msg, sizeof msg - 1, err,
                             sizeof err), -1);
    ck_assert_int_eq(ntx(), 1);
    /* Nobody listening: an error, no hang. */
    ck_assert_int_eq(om_parse("smtp:127.0.0.1:1", "/x", &t, err, sizeof err), 0);
    ck_assert_int_eq(om_send(&t, "", "a@example.com", msg, sizeof msg - 1, err, sizeof err), -1);
}
END_TEST

START_TEST(sendmail_submission)
{
    char prog[300], out[300], cmd[2000];
    snprintf(prog, sizeof prog, "%s/fake-sendmail", T);
    snprintf(out, sizeof out, "%s/sendmail.out", T);
    snprintf(cmd, sizeof cmd, "printf '#!/bin/sh\\necho \"args: $*\" > %s\\ncat >> %s\\n' > %s && chmod 755 %s",
             out, out, prog, prog);
    sh(cmd);
    om_transport t;
    char err[400];
    ck_assert_int_eq(om_parse("sendmail", prog, &t, err, sizeof err), 0);
    const char msg[] = "Subject: x\r\n\r\nbody\r\n";
    ck_assert_msg(om_send(&t, "", "a@example.com,b@example.com", msg, sizeof msg - 1, err,
                          sizeof err) == 0, "%s", err);
    FILE *f = fopen(out, "r");
    ck_assert_ptr_nonnull(f);
    char buf[1000] = "";
    size_t n = fread(buf, 1, sizeof buf - 1, f);
    buf[n] = '\0';
    fclose(f);
    ck_assert_msg(strstr(buf, "args: -i -f <> -- a@example.com b@example.com\n") != NULL, "%s", buf);
    ck_assert_msg(strstr(buf, "Subject: x\r\n\r\nbody\r\n") != NULL, "%s", buf);
    /* A failing program is an error. */
    ck_assert_int_eq(om_parse("sendmail", "/bin/false", &t, err, sizeof err), 0);
    ck_assert_int_eq(om_send(&t, "", "a@example.com", msg, sizeof msg - 1, err, sizeof err), -1);
    /* One that exits without reading 4 MiB: the write meets a closed pipe;
     * SIGPIPE (not ignored by this test) must not kill the caller. */
    size_t big_len = 4u << 20;
    char *big = malloc(big_len);
    ck_assert_ptr_nonnull(big);
    memset(big, 'x', big_len);
    ck_assert_int_eq(om_send(&t, "", "a@example.com", big, big_len, err, sizeof err), -1);
    free(big);
}
END_TEST

/* ---- through the milter ---------------------------------------------------------------- */

START_TEST(vacation_once_per_period_and_across_restart)
{
    ck_assert_int_eq(mail("<sam@example.com>", "<vera@example.org>", H_PLAIN), MC_CONTINUE);
    ck_assert_int_eq(ntx(), 1);
    GOT_HAS("MAIL <>");                       /* RFC 3834 3.3: the null sender */
    GOT_HAS("RCPT <sam@example.com>");
    GOT_HAS("Auto-Submitted: auto-replied");
    GOT_HAS("In-Reply-To: <m1@example.com>");
    GOT_HAS("References: <m1@example.com>");
    GOT_HAS("Subject: Away");
    GOT_HAS("I am away until Monday.");
    LOG_HAS("queue=7QID vacation reply for <vera@example.org> sent to <sam@example.com>");
    /* Again within the period: remembered, no second reply. */
    ck_assert_int_eq(mail("<sam@example.com>", "<vera@example.org>", H_PLAIN), MC_CONTINUE);
    ck_assert_int_eq(ntx(), 1);
    LOG_HAS("not sent (already-replied)");
    /* A new milter on the same LMDB file still remembers. */
    mc_server_free(&SRV);
    mconf_free(&CONF);
    server_with(NULL, NULL, NULL, NULL);
    ck_assert_int_eq(mail("<sam@example.com>", "<vera@example.org>", H_PLAIN), MC_CONTINUE);
    ck_assert_int_eq(ntx(), 1);
    /* Another sender gets a reply of their own. */
    ck_assert_int_eq(mail("<tom@example.com>", "<vera@example.org>",
                          "From: tom@example.com\nTo: vera@example.org\nSubject: hi"),
                     MC_CONTINUE);
    ck_assert_int_eq(ntx(), 2);
}
END_TEST

START_TEST(vacation_never_to_lists_or_automatic_mail)
{
    ck_assert_int_eq(mail("<list-bounces@example.com>", "<vera@example.org>",
                          "From: a@example.com\nTo: vera@example.org\nSubject: digest\n"
                          "List-Id: <talk.example.com>"), MC_CONTINUE);
    ck_assert_int_eq(mail("<b@example.com>", "<vera@example.org>",
                          "From: b@example.com\nTo: vera@example.org\nSubject: re\n"
                          "Auto-Submitted: auto-replied"), MC_CONTINUE);
    ck_assert_int_eq(mail("<c@example.com>", "<vera@example.org>",
                          "From: c@example.com\nTo: vera@example.org\nSubject: news\n"
                          "Precedence: bulk"), MC_CONTINUE);
    /* Bounces (null sender) get no reply either. */
    ck_assert_int_eq(mail("<>", "<vera@example.org>",
                          "From: MAILER-DAEMON@example.com\nTo: vera@example.org\nSubject: x"),
                     MC_CONTINUE);
    /* Not addressed to vera in To/Cc. */
    ck_assert_int_eq(mail("<d@example.com>", "<vera@example.org>",
                          "From: d@example.com\nTo: other@example.net\nSubject: bcc"),
                     MC_CONTINUE);
    ck_assert_int_eq(ntx(), 0);
    LOG_HAS("(list)");
    LOG_HAS("(auto-submitted)");
    LOG_HAS("(bulk)");
    LOG_HAS("(not-addressed)");
}
END_TEST

START_TEST(only_accepted_mail_is_answered)
{
    /* Refused for the recipient: no reply. */
    ck_assert_int_eq(mail("<sam@example.com>", "<rory@example.org>",
                          "From: sam@example.com\nTo: rory@example.org\nSubject: buy now"),
                     MC_REJECT);
    ck_assert_int_eq(ntx(), 0);
    /* The same sender's accepted mail is answered: nothing was remembered. */
    ck_assert_int_eq(mail("<sam@example.com>", "<rory@example.org>",
                          "From: sam@example.com\nTo: rory@example.org\nSubject: hello"),
                     MC_CONTINUE);
    ck_assert_int_eq(ntx(), 1);
    /* An aborted transaction sends nothing. */
    mc_conn *c = mc_connect(SRV, "client.example.com", "192.0.2.1");
    char *fa[] = { "<zed@example.com>", NULL }, *ta[] = { "<rory@example.org>", NULL };
    mc_envfrom(c, &IO, fa);
    mc_envrcpt(c, &IO, ta);
    mc_header(c, &IO, "To", "rory@example.org");
    mc_abort(c);
    mc_close(&c);
    mc_server_drain_outbox(SRV);
    ck_assert_int_eq(ntx(), 1);
}
END_TEST

START_TEST(failed_submission_is_not_remembered)
{
    DATA_CODE = 451;
    ck_assert_int_eq(mail("<sam@example.com>", "<vera@example.org>", H_PLAIN), MC_CONTINUE);
    ck_assert_int_eq(ntx(), 0);
    LOG_HAS("not sent: SMTP: 451");
    /* The next message from sam is answered once the MTA takes mail. */
    DATA_CODE = 250;
    ck_assert_int_eq(mail("<sam@example.com>", "<vera@example.org>", H_PLAIN), MC_CONTINUE);
    ck_assert_int_eq(ntx(), 1);
}
END_TEST

START_TEST(notification_by_mailto)
{
    ck_assert_int_eq(mail("<sam@example.com>", "<nina@example.org>",
                          "From: sam@example.com\nTo: nina@example.org\nSubject: report"),
                     MC_CONTINUE);
    ck_assert_int_eq(ntx(), 1);
    GOT_HAS("RCPT <boss@example.com>");
    GOT_HAS("Auto-Submitted: auto-notified");
    /* RFC 5436 2.7: no notification about automatic mail. */
    ck_assert_int_eq(mail("<sam@example.com>", "<nina@example.org>",
                          "From: sam@example.com\nTo: nina@example.org\nSubject: x\n"
                          "Auto-Submitted: auto-generated"), MC_CONTINUE);
    ck_assert_int_eq(ntx(), 1);
}
END_TEST

START_TEST(duplicate_marks_recorded_once_accepted)
{
    const char *h = "From: sam@example.com\nTo: dora@example.org\nSubject: x\n"
                    "Message-ID: <same@example.com>";
    ck_assert_int_eq(mail("<sam@example.com>", "<dora@example.org>", h), MC_CONTINUE);
    /* The second copy is a duplicate: discarded. */
    ck_assert_int_eq(mail("<sam@example.com>", "<dora@example.org>", h), MC_DISCARD);
    /* Remembered across a new server on the same store. */
    mc_server_free(&SRV);
    mconf_free(&CONF);
    server_with(NULL, NULL, NULL, NULL);
    ck_assert_int_eq(mail("<sam@example.com>", "<dora@example.org>", h), MC_DISCARD);
}
END_TEST

START_TEST(unreachable_store_tempfails_by_default)
{
    mc_server_free(&SRV);
    mconf_free(&CONF);
    /* Nothing listens on port 1. */
    server_with("store", "redis://127.0.0.1:1/0?connect_timeout=100ms&retry_after=0", NULL, NULL);
    ck_assert_int_eq(mail("<sam@example.com>", "<vera@example.org>", H_PLAIN), MC_TEMPFAIL);
    ck_assert_str_eq(RCODE, "451");
    ck_assert_int_eq(ntx(), 0);
    LOG_HAS("decision=tempfail (store unreachable");
    /* A script that does not use the store is unaffected. */
    ck_assert_int_eq(mail("<sam@example.com>", "<nina@example.org>",
                          "From: sam@example.com\nTo: nina@example.org\nSubject: r"),
                     MC_CONTINUE);
    ck_assert_int_eq(ntx(), 1);
}
END_TEST

START_TEST(unreachable_store_skip_policy)
{
    mc_server_free(&SRV);
    mconf_free(&CONF);
    server_with("store", "redis://127.0.0.1:1/0?connect_timeout=100ms&retry_after=0",
                "store_unreachable", "skip");
    ck_assert_int_eq(mail("<sam@example.com>", "<vera@example.org>", H_PLAIN), MC_CONTINUE);
    ck_assert_int_eq(ntx(), 0);
    LOG_HAS("skipped: store unreachable");
    /* duplicate reads "not seen": the message is kept, never lost. */
    ck_assert_int_eq(mail("<sam@example.com>", "<dora@example.org>",
                          "From: sam@example.com\nTo: dora@example.org\nMessage-ID: <q@x>"),
                     MC_CONTINUE);
}
END_TEST

/* Two milter hosts sharing one Redis: the second does not answer again. */
START_TEST(vacation_shared_through_redis)
{
    if (redis_find() != 0) {
        printf("redis-server not found: vacation_shared_through_redis not run\n");
        return;
    }
    struct redis_server rs = { .port = 0 };
    snprintf(rs.dir, sizeof rs.dir, "%s/redis", T);
    ck_assert_int_eq(redis_start(&rs, 0), 0);
    char spec[200];
    snprintf(spec, sizeof spec, "redis://127.0.0.1:%d/0?prefix=milter-test:", rs.port);
    mc_server_free(&SRV);
    mconf_free(&CONF);
    server_with("store", spec, NULL, NULL);
    ck_assert_int_eq(mail("<sam@example.com>", "<vera@example.org>", H_PLAIN), MC_CONTINUE);
    ck_assert_int_eq(ntx(), 1);
    /* The other host: a server of its own on the same Redis. */
    mc_server *first = SRV;
    mconf first_conf = CONF;
    server_with("store", spec, NULL, NULL);
    ck_assert_int_eq(mail("<sam@example.com>", "<vera@example.org>", H_PLAIN), MC_CONTINUE);
    ck_assert_int_eq(ntx(), 1);
    LOG_HAS("not sent (already-replied)");
    mc_server_free(&first);
    mconf_free(&first_conf);
    redis_stop(&rs);
}
END_TEST

static Suite *suite(void)
{
    Suite *s = suite_create("milter_out");
    TCase *tc = tcase_create("outgoing");
    tcase_add_unchecked_fixture(tc, setup_all, teardown_all);
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_set_timeout(tc, 60);
    tcase_add_test(tc, transport_specs);
    tcase_add_test(tc, smtp_submission_dot_stuffed);
    tcase_add_test(tc, sendmail_submission);
    tcase_add_test(tc, vacation_once_per_period_and_across_restart);
    tcase_add_test(tc, vacation_never_to_lists_or_automatic_mail);
    tcase_add_test(tc, only_accepted_mail_is_answered);
    tcase_add_test(tc, failed_submission_is_not_remembered);
    tcase_add_test(tc, notification_by_mailto);
    tcase_add_test(tc, duplicate_marks_recorded_once_accepted);
    tcase_add_test(tc, unreachable_store_tempfails_by_default);
    tcase_add_test(tc, unreachable_store_skip_policy);
    tcase_add_test(tc, vacation_shared_through_redis);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    SRunner *sr = srunner_create(suite());
    /* One process: the fake SMTP server thread lives across tests. */
    srunner_set_fork_status(sr, CK_NOFORK);
    srunner_run_all(sr, CK_NORMAL);
    int nf = srunner_ntests_failed(sr);
    srunner_free(sr);
    return nf ? 1 : 0;
}
