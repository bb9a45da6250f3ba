/* Unit tests of vacation's reply rules (RFC 5230 4.5-4.6, RFC 3834), the
 * response-tracking key, the memory store (sieve/store_memory.h), mailto
 * URIs (RFC 6068, RFC 5436), sieve_result_commit and sieve_action_message,
 * with hostile inputs: huge or malformed headers, NUL bytes, header
 * injection, bad keys, many threads. */
#include <check.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ext_enotify.h"
#include "ext_vacation.h"
#include "result.h"
#include "rt_arena.h"
#include "sieve/store_memory.h"

static rt_arena *A;

static void setup(void)
{
    A = rt_arena_new(64u << 20);
    ck_assert_ptr_nonnull(A);
}

static void teardown(void)
{
    rt_arena_free(&A);
}

/* The reason for message text m (LF line ends), sender s, own addresses. */
static const char *why(const char *m, const char *s, const char *own1, const char *own2)
{
    rt_arena_reset(A);
    rt_msg *msg = rt_msg_open(A, NULL, m, strlen(m));
    ck_assert_ptr_nonnull(msg);
    rt_str own[2];
    size_t n = 0;
    if (own1)
        own[n++] = rt_str_cstr(own1);
    if (own2)
        own[n++] = rt_str_cstr(own2);
    return rt_vacation_suppress(msg, A, rt_str_cstr(s), own, n, NULL);
}

#define REASON(exp, m, s, o1, o2)                                              \
    do {                                                                       \
        const char *got_ = why(m, s, o1, o2);                                  \
        if (exp == NULL)                                                       \
            ck_assert_msg(got_ == NULL, "expected a reply, got %s", got_);     \
        else                                                                   \
            ck_assert_msg(got_ && strcmp(got_, exp ? exp : "") == 0,         \
                          "expected %s, got %s", exp, got_ ? got_ : "a reply"); \
    } while (0)

static const char *const NONE = NULL;

START_TEST(rules_reply)
{
    REASON(NONE, "From: a@example.com\nTo: bob@example.org\n\nx\n", "a@example.com",
           "bob@example.org", NULL);
    REASON(NONE, "To: Bob <BOB@EXAMPLE.ORG>\n\nx\n", "a@example.com", "bob@example.org", NULL);
    REASON(NONE, "To: x@example.com\nCc: y@example.com, bob@example.org\n\n", "a@example.com",
           "bob@example.org", NULL);
    REASON(NONE, "To: x@example.com\nResent-Bcc: alias@example.net\n\n", "a@example.com",
           "bob@example.org", "alias@example.net");
    REASON(NONE, "To: undisclosed-recipients:;\nBcc: bob@example.org\n\n", "a@example.com",
           "bob@example.org", NULL);
    REASON(NONE, "Auto-Submitted: No (person)\nTo: bob@example.org\n\n", "a@example.com",
           "bob@example.org", NULL);
}
END_TEST

START_TEST(rules_matched)
{
    rt_arena_reset(A);
    static const char m[] = "To: x@example.com\nCc: Alias <ALIAS@example.net>\n\n";
    rt_msg *msg = rt_msg_open(A, NULL, m, sizeof m - 1);
    rt_str own[2] = { rt_str_cstr("bob@example.org"), rt_str_cstr("alias@example.net") };
    rt_str got = rt_str_make("", 0);
    ck_assert_ptr_null(rt_vacation_suppress(msg, A, rt_str_cstr("a@example.com"), own, 2, &got));
    ck_assert_int_eq((int)got.len, 17);
    ck_assert(memcmp(got.p, "alias@example.net", 17) == 0);
}
END_TEST

START_TEST(rules_suppressed)
{
    const char *to = "To: bob@example.org\n";
    char m[512];
    snprintf(m, sizeof m, "%s\nx\n", to);
    REASON("not-addressed", "To: someone@example.com\n\n", "a@example.com", "bob@example.org", NULL);
    REASON("not-addressed", "Subject: bob@example.org\n\n", "a@example.com", "bob@example.org", NULL);
    REASON("not-addressed", m, "a@example.com", NULL, NULL);
    REASON("auto-submitted", m, "", "bob@example.org", NULL);
    REASON("auto-submitted", m, "MAILER-DAEMON@example.com", "bob@example.org", NULL);
    REASON("auto-submitted", m, "mailer-daemon", "bob@example.org", NULL);
    REASON("list", m, "owner-x@example.com", "bob@example.org", NULL);
    REASON("list", m, "x-request@example.com", "bob@example.org", NULL);
    REASON("list", m, "LISTSERV@example.com", "bob@example.org", NULL);
    REASON("own-address", m, "BOB@example.org", "bob@example.org", NULL);
    REASON("own-address", m, "alias@example.net", "bob@example.org", "alias@example.net");
    REASON("auto-submitted", "Auto-Submitted: auto-replied\nTo: bob@example.org\n\n",
           "a@example.com", "bob@example.org", NULL);
    REASON("auto-submitted", "Auto-Submitted: no\nAuto-Submitted: auto-generated\nTo: bob@example.org\n\n",
           "a@example.com", "bob@example.org", NULL);
    REASON("auto-submitted", "Auto-Submitted:\nTo: bob@example.org\n\n", "a@example.com",
           "bob@example.org", NULL);
    REASON("list", "List-Id: <x.example.com>\nTo: bob@example.org\n\n", "a@example.com",
           "bob@example.org", NULL);
    REASON("list", "LIST-ARCHIVE: <x>\nTo: bob@example.org\n\n", "a@example.com",
           "bob@example.org", NULL);
    REASON("list", "Precedence:  List \nTo: bob@example.org\n\n", "a@example.com",
           "bob@example.org", NULL);
    REASON("bulk", "Precedence: BULK\nTo: bob@example.org\n\n", "a@example.com",
           "bob@example.org", NULL);
    REASON("bulk", "Precedence: junk\nTo: bob@example.org\n\n", "a@example.com",
           "bob@example.org", NULL);
}
END_TEST

/* Garbage, huge and NUL-laden headers never crash and never address. */
START_TEST(rules_hostile)
{
    size_t n = 1u << 20;
    char *m = malloc(n + 64);
    ck_assert_ptr_nonnull(m);
    memcpy(m, "To: ", 4);
    for (size_t i = 4; i < n; i++)
        m[i] = "<>@,;:\"\\()[] \t.x\r"[i % 17];
    memcpy(m + n, "\n\nbody\n", 8);
    REASON("not-addressed", m, "a@example.com", "bob@example.org", NULL);
    /* 5000 addresses, the recipient last. */
    size_t off = 0;
    off += (size_t)sprintf(m + off, "To: ");
    for (int i = 0; i < 5000 && off < n - 64; i++)
        off += (size_t)sprintf(m + off, "u%d@example.com, ", i);
    sprintf(m + off, "bob@example.org\n\nx\n");
    /* The address parser caps entries per field: an address past the cap
     * does not count; either answer is acceptable, a crash is not. */
    (void)why(m, "a@example.com", "bob@example.org", NULL);
    free(m);
    static const char nul[] = "To: bob\0@example.org\nPrecedence: bu\0lk\n\n";
    rt_arena_reset(A);
    rt_msg *msg = rt_msg_open(A, NULL, nul, sizeof nul - 1);
    rt_str own = rt_str_cstr("bob@example.org");
    const char *r = rt_vacation_suppress(msg, A, rt_str_cstr("a@example.com"), &own, 1, NULL);
    ck_assert_str_eq(r, "not-addressed");
    REASON("not-addressed", "", "a@example.com", "bob@example.org", NULL);
    REASON("not-addressed", "To: bob@example.org", "a@example.com", "", NULL);
    REASON("list", "To: bob@example.org\n\n", "owner-", "bob@example.org", NULL);
    REASON(NONE, "To: bob@example.org\n\n", "@", "bob@example.org", NULL);
}
END_TEST

START_TEST(expiry_saturates)
{
    ck_assert(rt_expiry(100, 50) == 150);
    ck_assert(rt_expiry(INT64_MAX - 10, 20) == INT64_MAX);
    ck_assert(rt_expiry(-100, 50) == -50);
    ck_assert(rt_expiry(0, UINT64_MAX) == INT64_MAX);
    ck_assert(rt_expiry(INT64_MIN, (uint64_t)INT64_MAX) == -1);
}
END_TEST

START_TEST(key_separation)
{
    uint8_t k[8][32];
    rt_str e = rt_str_make("", 0);
    rt_vacation_key(rt_str_cstr("bob@example.org"), rt_str_cstr("a@example.com"), false, e,
                    rt_str_cstr("away"), e, e, false, k[0]);
    rt_vacation_key(rt_str_cstr("BOB@example.org"), rt_str_cstr("A@EXAMPLE.COM"), false, e,
                    rt_str_cstr("away"), e, e, false, k[1]);
    ck_assert_mem_eq(k[0], k[1], 32);   /* addresses ignore case */
    rt_vacation_key(rt_str_cstr("bob@example.org"), rt_str_cstr("a@example.com"), false, e,
                    rt_str_cstr("Away"), e, e, false, k[2]);
    ck_assert(memcmp(k[0], k[2], 32) != 0);   /* the reason does not */
    rt_vacation_key(rt_str_cstr("bob@example.org"), rt_str_cstr("a@example.com"), true,
                    rt_str_cstr("away"), e, e, e, false, k[3]);
    ck_assert(memcmp(k[0], k[3], 32) != 0);   /* handle vs default handle */
    rt_vacation_key(rt_str_cstr("bob@example.org"), rt_str_cstr("a@example.com"), true,
                    rt_str_cstr("away"), rt_str_cstr("other reason"), e, e, true, k[4]);
    ck_assert_mem_eq(k[3], k[4], 32);   /* :handle alone decides */
    /* Length prefixes: moving bytes between fields changes the key. */
    rt_vacation_key(rt_str_cstr("bob@example.orga"), rt_str_cstr("@example.com"), false, e,
                    rt_str_cstr("away"), e, e, false, k[5]);
    ck_assert(memcmp(k[0], k[5], 32) != 0);
    rt_vacation_key(rt_str_cstr("bob@example.org"), rt_str_cstr("a@example.com"), false, e,
                    rt_str_cstr("away"), e, e, true, k[6]);
    ck_assert(memcmp(k[0], k[6], 32) != 0);   /* :mime */
    rt_vacation_key(rt_str_cstr("bob@example.org"), rt_str_cstr("a@example.com"), false, e,
                    rt_str_cstr("away"), rt_str_cstr("s"), e, false, k[7]);
    ck_assert(memcmp(k[0], k[7], 32) != 0);   /* :subject */
}
END_TEST

/* ---- memory store ---------------------------------------------------------- */

static int lookup(sieve_store *st, const void *k, size_t n, int64_t now)
{
    char err[128];
    return st->lookup(st->data, k, n, now, err, sizeof err);
}

static int record(sieve_store *st, const void *k, size_t n, int64_t exp)
{
    char err[128];
    return st->record(st->data, k, n, exp, err, sizeof err);
}

START_TEST(store_basic)
{
    sieve_store *st = sieve_store_memory_new();
    ck_assert_ptr_nonnull(st);
    ck_assert_int_eq(lookup(st, "k1", 2, 100), SIEVE_STORE_ABSENT);
    ck_assert_int_eq(record(st, "k1", 2, 200), SIEVE_STORE_ABSENT);
    ck_assert_int_eq(lookup(st, "k1", 2, 100), SIEVE_STORE_PRESENT);
    ck_assert_int_eq(lookup(st, "k1", 2, 199), SIEVE_STORE_PRESENT);
    ck_assert_int_eq(lookup(st, "k1", 2, 200), SIEVE_STORE_ABSENT);   /* expired */
    ck_assert_int_eq(lookup(st, "k1x", 3, 100), SIEVE_STORE_ABSENT);
    ck_assert_int_eq(lookup(st, "k", 1, 100), SIEVE_STORE_ABSENT);
    ck_assert_int_eq(record(st, "k1", 2, 500), SIEVE_STORE_ABSENT);  /* replace */
    ck_assert_int_eq(lookup(st, "k1", 2, 300), SIEVE_STORE_PRESENT);
    ck_assert_uint_eq(sieve_store_memory_count(st), 1);
    /* Keys with NUL bytes are bytes like any other. */
    ck_assert_int_eq(record(st, "a\0b", 3, 500), SIEVE_STORE_ABSENT);
    ck_assert_int_eq(lookup(st, "a\0c", 3, 0), SIEVE_STORE_ABSENT);
    ck_assert_int_eq(lookup(st, "a\0b", 3, 0), SIEVE_STORE_PRESENT);
    sieve_store_memory_free(&st);
    ck_assert_ptr_null(st);
    sieve_store_memory_free(&st);   /* idempotent */
}
END_TEST

START_TEST(store_bad_keys)
{
    sieve_store *st = sieve_store_memory_new();
    char big[SIEVE_STORE_KEY_MAX + 1];
    memset(big, 'x', sizeof big);
    char err[128] = "";
    ck_assert_int_eq(st->lookup(st->data, big, sizeof big, 0, err, sizeof err), SIEVE_STORE_ERROR);
    ck_assert(strstr(err, "key") != NULL);
    ck_assert_int_eq(record(st, big, sizeof big, 10), SIEVE_STORE_ERROR);
    ck_assert_int_eq(record(st, big, 0, 10), SIEVE_STORE_ERROR);
    ck_assert_int_eq(record(st, NULL, 4, 10), SIEVE_STORE_ERROR);
    ck_assert_int_eq(record(st, big, SIEVE_STORE_KEY_MAX, 10), SIEVE_STORE_ABSENT);
    ck_assert_int_eq(lookup(st, big, SIEVE_STORE_KEY_MAX, 0), SIEVE_STORE_PRESENT);
    sieve_store_memory_free(&st);
}
END_TEST

/* Growing keeps every live record and drops the expired ones. */
START_TEST(store_growth_and_expiry)
{
    sieve_store *st = sieve_store_memory_new();
    uint32_t k;
    for (k = 0; k < 20000; k++)
        ck_assert_int_eq(record(st, &k, sizeof k, k < 10000 ? 50 : 1000), SIEVE_STORE_ABSENT);
    for (k = 0; k < 20000; k++)
        ck_assert_int_eq(lookup(st, &k, sizeof k, 10), SIEVE_STORE_PRESENT);
    /* The clock moves past the first half's expiry; new records make the
     * table drop them instead of growing without bound. */
    ck_assert_int_eq(lookup(st, &k, sizeof k, 100), SIEVE_STORE_ABSENT);
    for (k = 20000; k < 40000; k++)
        ck_assert_int_eq(record(st, &k, sizeof k, 1000), SIEVE_STORE_ABSENT);
    ck_assert_uint_le(sieve_store_memory_count(st), 30000);
    for (k = 0; k < 40000; k++)
        ck_assert_int_eq(lookup(st, &k, sizeof k, 100),
                         k < 10000 ? SIEVE_STORE_ABSENT : SIEVE_STORE_PRESENT);
    sieve_store_memory_free(&st);
}
END_TEST

typedef struct tharg {
    sieve_store *st;
    uint32_t base;
    int bad;
} tharg;

static void *worker(void *p)
{
    tharg *t = p;
    for (uint32_t i = 0; i < 5000; i++) {
        uint32_t k[2] = { t->base, i };
        if (record(t->st, k, sizeof k, 1000) != SIEVE_STORE_ABSENT)
            t->bad++;
        if (lookup(t->st, k, sizeof k, 1) != SIEVE_STORE_PRESENT)
            t->bad++;
    }
    return NULL;
}

START_TEST(store_threads)
{
    sieve_store *st = sieve_store_memory_new();
    pthread_t th[4];
    tharg args[4];
    for (int i = 0; i < 4; i++) {
        args[i] = (tharg){ st, (uint32_t)i, 0 };
        ck_assert_int_eq(pthread_create(&th[i], NULL, worker, &args[i]), 0);
    }
    for (int i = 0; i < 4; i++) {
        pthread_join(th[i], NULL);
        ck_assert_int_eq(args[i].bad, 0);
    }
    ck_assert_uint_eq(sieve_store_memory_count(st), 20000);
    sieve_store_memory_free(&st);
}
END_TEST

/* ---- mailto ------------------------------------------------------------------ */

static bool mailto(const char *u)
{
    return rt_mailto_parse(NULL, rt_str_cstr(u), NULL);
}

START_TEST(mailto_uris)
{
    ck_assert(mailto("mailto:a@example.com"));
    ck_assert(mailto("MailTo:a@example.com,b@example.org"));
    ck_assert(mailto("mailto:?to=a@example.com&cc=b@example.org"));
    ck_assert(mailto("mailto:a%40example.com"));
    ck_assert(mailto("mailto:a@example.com%2Cb@example.org%2cc@example.net"));
    ck_assert(!mailto("mailto:a@example.com%2C"));
    ck_assert(mailto("mailto:a@example.com?subject=%E2%82%AC&body="));
    ck_assert(!mailto("mailto:"));
    ck_assert(!mailto("mailto:?subject=x"));
    ck_assert(!mailto("mailto:a"));
    ck_assert(!mailto("mailto:a@"));
    ck_assert(!mailto("mailto:@example.com"));
    ck_assert(!mailto("mailto:a@b@example.com"));
    ck_assert(!mailto("mailto:a@example..com"));
    ck_assert(!mailto("mailto:a@example.com,"));
    ck_assert(!mailto("mailto:a@example.com,,b@example.com"));
    ck_assert(!mailto("mailto:a@example.com?subject"));
    ck_assert(!mailto("mailto:a@example.com?=x"));
    ck_assert(!mailto("mailto:a@example.com?sub ject=x"));
    ck_assert(!mailto("mailto:a@example.com?subject=%"));
    ck_assert(!mailto("mailto:a@example.com?subject=%0"));
    ck_assert(!mailto("mailto:a@example.com?subject=%00"));
    ck_assert(!mailto("mailto:a%00@example.com"));
    ck_assert(!mailto("mailto:a@example.com?to=%0D%0Ab@example.com"));
    ck_assert(!mailto("mailto:<a@example.com>"));
    ck_assert(!mailto("http://example.com/"));
    ck_assert(!mailto("mailto"));
    ck_assert(!mailto(""));
    /* 32 recipients are fine, 33 are not. */
    char u[4096] = "mailto:";
    for (int i = 0; i < 32; i++)
        sprintf(u + strlen(u), "%su%d@example.com", i ? "," : "", i);
    ck_assert(mailto(u));
    strcat(u, ",extra@example.com");
    ck_assert(!mailto(u));
    /* A long garbage URI. */
    char *g = malloc(100001);
    memcpy(g, "mailto:", 7);
    for (int i = 7; i < 100000; i++)
        g[i] = "%a@?&=,"[i % 7];
    g[100000] = '\0';
    ck_assert(!mailto(g));
    free(g);
}
END_TEST

START_TEST(mailto_decoded)
{
    rt_mailto m;
    ck_assert(rt_mailto_parse(A, rt_str_cstr("mailto:a%2Bb@example.com?cc=c@example.org&subject=Hi%20there&body=x%0Ay"), &m));
    ck_assert_uint_eq(m.nrcpt, 2);
    ck_assert_int_eq((int)m.rcpt[0].len, 15);
    ck_assert(memcmp(m.rcpt[0].p, "a+b@example.com", 15) == 0);
    ck_assert(m.has_subject && m.has_body);
    ck_assert_str_eq(m.subject.p, "Hi there");
    ck_assert_str_eq(m.body.p, "x\ny");
    ck_assert(rt_mailto_parse(A, rt_str_cstr("mailto:a@example.com%2Cb@example.org?bcc=c@example.net"), &m));
    ck_assert_uint_eq(m.nrcpt, 3);
    ck_assert_int_eq(m.field[1], RT_MAILTO_TO);
    ck_assert_int_eq(m.field[2], RT_MAILTO_BCC);
}
END_TEST

/* ---- result commit and composed messages --------------------------------------- */

START_TEST(commit_records)
{
    sieve_store *st = sieve_store_memory_new();
    sieve_result *r = rt_result_new(0, 0);
    char err[256];
    sieve_action a;
    memset(&a, 0, sizeof a);
    a.kind = SIEVE_ACT_VACATION;
    a.address = "a@example.com";
    memset(a.store_key, 7, 32);
    a.store_keylen = 32;
    a.store_expires = 1000;
    ck_assert_int_eq(rt_result_add(r, &a, err, sizeof err), 0);
    /* A second vacation is an error (RFC 5230 4.7). */
    ck_assert_int_eq(rt_result_add(r, &a, err, sizeof err), -1);
    ck_assert(strstr(err, "duplicate vacation") != NULL);
    rt_result_mark *m = rt_result_mark_add(r);
    memset(m->key, 9, 32);
    m->keylen = 32;
    m->record = true;
    m->expires = 1000;
    rt_result_finish(r);
    ck_assert_int_eq(sieve_result_commit(r, NULL, 10, err, sizeof err), 0);
    ck_assert_int_eq(sieve_result_commit(r, st, 10, err, sizeof err), 0);
    ck_assert_int_eq(lookup(st, a.store_key, 32, 10), SIEVE_STORE_PRESENT);
    ck_assert_int_eq(lookup(st, m->key, 32, 10), SIEVE_STORE_PRESENT);
    sieve_store_memory_free(&st);

    /* A failed run records no duplicate mark; a suppressed reply nothing. */
    st = sieve_store_memory_new();
    rt_result_reset(r);
    a.suppressed = "list";
    ck_assert_int_eq(rt_result_add(r, &a, err, sizeof err), 0);
    m = rt_result_mark_add(r);
    memset(m->key, 9, 32);
    m->keylen = 32;
    m->record = true;
    m->expires = 1000;
    ck_assert_int_eq(sieve_result_commit(r, st, 10, err, sizeof err), 0);
    ck_assert_uint_eq(sieve_store_memory_count(st), 1);
    rt_result_fail(r, "boom");
    m = rt_result_mark_add(r);
    ck_assert_ptr_nonnull(m);
    sieve_store_memory_free(&st);
    st = sieve_store_memory_new();
    memset(m->key, 5, 32);
    m->keylen = 32;
    m->record = true;
    m->expires = 1000;
    ck_assert_int_eq(sieve_result_commit(r, st, 10, err, sizeof err), 0);
    ck_assert_uint_eq(sieve_store_memory_count(st), 0);
    /* Marks are bounded. */
    rt_result_reset(r);
    for (int i = 0; i < RT_RESULT_MAX_MARKS; i++)
        ck_assert_ptr_nonnull(rt_result_mark_add(r));
    ck_assert_ptr_null(rt_result_mark_add(r));
    rt_result_free(&r);
    sieve_store_memory_free(&st);
}
END_TEST

START_TEST(message_no_injection)
{
    sieve_action a;
    memset(&a, 0, sizeof a);
    a.kind = SIEVE_ACT_VACATION;
    a.address = "a@example.com\r\nBcc: victim@example.com";
    sieve_envelope env0 = { .rcpt_to = "bob@example.org" };
    char *m0;
    size_t l0;
    char r0[64], f0[64];
    /* An address that could inject an SMTP command is refused. */
    ck_assert_int_eq(sieve_action_message(&a, &env0, 0, &m0, &l0, r0, sizeof r0, f0, sizeof f0), -1);
    a.address = "a@example.com";
    a.subject = "Hi\r\nBcc: victim@example.com";
    a.from = "bob@example.org\nX-Evil: 1";
    a.in_reply_to = "<x@example.com>\r\nX-Evil: 2";
    a.reason = "line1\nline2\r\n.\r\n";
    sieve_envelope env = { .rcpt_to = "bob@example.org" };
    char *msg;
    size_t len;
    char rcpt[256], mf[256];
    ck_assert_int_eq(sieve_action_message(&a, &env, 0, &msg, &len, rcpt, sizeof rcpt, mf, sizeof mf), 0);
    ck_assert_uint_eq(strlen(msg), len);
    ck_assert_str_eq(rcpt, "a@example.com");
    ck_assert_str_eq(mf, "");
    ck_assert_ptr_null(strstr(msg, "\nBcc:"));
    ck_assert_ptr_null(strstr(msg, "\nX-Evil"));
    ck_assert_ptr_nonnull(strstr(msg, "Date: Thu, 1 Jan 1970 00:00:00 +0000\r\n"));
    ck_assert_ptr_nonnull(strstr(msg, "\r\n\r\nline1\r\nline2\r\n"));
    /* Every LF is part of a CRLF. */
    for (size_t i = 0; i < len; i++)
        if (msg[i] == '\n')
            ck_assert(i > 0 && msg[i - 1] == '\r');
    free(msg);
    a.suppressed = "bulk";
    ck_assert_int_eq(sieve_action_message(&a, &env, 0, &msg, &len, rcpt, sizeof rcpt, mf, sizeof mf), -1);
    ck_assert_ptr_null(msg);
    a.suppressed = NULL;
    a.kind = SIEVE_ACT_KEEP;
    ck_assert_int_eq(sieve_action_message(&a, &env, 0, &msg, &len, rcpt, sizeof rcpt, mf, sizeof mf), -1);
}
END_TEST

START_TEST(message_notify)
{
    sieve_action a;
    memset(&a, 0, sizeof a);
    a.kind = SIEVE_ACT_NOTIFY;
    a.address = "mailto:c@example.com?cc=d@example.com&body=Hello";
    a.reason = "\xe2\x82\xac subject";
    a.importance = "1";
    char *msg;
    size_t len;
    char rcpt[256], mf[256];
    ck_assert_int_eq(sieve_action_message(&a, NULL, 0, &msg, &len, rcpt, sizeof rcpt, mf, sizeof mf), 0);
    ck_assert_str_eq(rcpt, "c@example.com,d@example.com");
    ck_assert_str_eq(mf, "postmaster");
    ck_assert_ptr_nonnull(strstr(msg, "To: <c@example.com>\r\nCc: <d@example.com>\r\n"));
    ck_assert_ptr_nonnull(strstr(msg, "Subject: =?utf-8?B?4oKsIHN1YmplY3Q=?=\r\n"));
    ck_assert_ptr_nonnull(strstr(msg, "Auto-Submitted: auto-notified\r\n"));
    ck_assert_ptr_nonnull(strstr(msg, "\r\n\r\nHello\r\n"));
    free(msg);
    /* A tiny recipient buffer is cut, never overrun. */
    char small[8];
    ck_assert_int_eq(sieve_action_message(&a, NULL, 0, &msg, &len, small, sizeof small, mf, sizeof mf), 0);
    ck_assert_uint_lt(strlen(small), sizeof small);
    free(msg);
    a.address = "mailto:";
    ck_assert_int_eq(sieve_action_message(&a, NULL, 0, &msg, &len, rcpt, sizeof rcpt, mf, sizeof mf), -1);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("vacation");
    TCase *t = tcase_create("rules");
    tcase_add_checked_fixture(t, setup, teardown);
    tcase_add_test(t, rules_reply);
    tcase_add_test(t, rules_suppressed);
    tcase_add_test(t, rules_matched);
    tcase_add_test(t, rules_hostile);
    tcase_add_test(t, key_separation);
    tcase_add_test(t, expiry_saturates);
    tcase_add_test(t, mailto_uris);
    tcase_add_test(t, mailto_decoded);
    suite_add_tcase(s, t);
    TCase *st = tcase_create("store");
    tcase_add_test(st, store_basic);
    tcase_add_test(st, store_bad_keys);
    tcase_add_test(st, store_growth_and_expiry);
    tcase_add_test(st, store_threads);
    suite_add_tcase(s, st);
    TCase *c = tcase_create("commit");
    tcase_add_test(c, commit_records);
    tcase_add_test(c, message_no_injection);
    tcase_add_test(c, message_notify);
    suite_add_tcase(s, c);
    SRunner *sr = srunner_create(s);
    srunner_run_all(sr, CK_NORMAL);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
