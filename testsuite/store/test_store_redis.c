/* The Redis back end (sieve/store_redis.h) against a private redis-server
 * (redis_fixture.h): the common store behaviour over TCP and a unix
 * socket, what lands in Redis (prefix + binary key, EXAT expiry), 8
 * threads, database selection, AUTH, a dropped connection, a Redis
 * restart with persistence (the record survives, the old handle
 * reconnects), an unreachable Redis and one that never replies. Exits 77
 * when redis-server is not installed. */
#include "redis_fixture.h"
#include "tmpdir.h"

#include <errno.h>
#include <semaphore.h>
#include <sys/un.h>

#include "sieve/store_redis.h"
#include "sieve/store_spec.h"
#include "store_cases.h"

static struct redis_server shared; /* started by main for the "redis" case */

static sieve_store *open_spec(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static sieve_store *open_spec(const char *fmt, ...)
{
    char spec[512], err[512] = "";
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(spec, sizeof spec, fmt, ap);
    va_end(ap);
    sieve_store *s = sieve_store_open(spec, err, sizeof err);
    ck_assert_msg(s != NULL, "%s: %s", spec, err);
    ck_assert(sieve_store_redis_owns(s));
    return s;
}

static redisReply *raw_cmd(redisContext *c, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    redisReply *r = redisvCommand(c, fmt, ap);
    va_end(ap);
    ck_assert_msg(r != NULL, "raw command: %s", c->errstr);
    return r;
}

static long long raw_int(redisContext *c, const char *fmt, const void *k, size_t n)
{
    redisReply *r = raw_cmd(c, fmt, k, n);
    ck_assert_msg(r->type == REDIS_REPLY_INTEGER, "reply type %d", r->type);
    long long v = r->integer;
    freeReplyObject(r);
    return v;
}

START_TEST(redis_basic)
{
    sieve_store *s = open_spec("redis://127.0.0.1:%d/0?prefix=t1:&timeout=2s", shared.port);
    case_basic(s);
    case_bad_keys(s);

    /* In Redis: "t1:" + the binary key, the expiry as value and as EXAT. */
    unsigned char k[32], full[35];
    case_key(k, 1, 0);
    memcpy(full, "t1:", 3);
    memcpy(full + 3, k, 32);
    redisContext *c = redis_raw(&shared);
    ck_assert_ptr_nonnull(c);
    redisReply *r = raw_cmd(c, "GET %b", full, sizeof full);
    ck_assert_int_eq(r->type, REDIS_REPLY_STRING);
    ck_assert_str_eq(r->str, "1800000100");
    freeReplyObject(r);
    ck_assert_int_eq(raw_int(c, "EXPIRETIME %b", full, sizeof full), T0 + 100);
    ck_assert_int_eq(raw_int(c, "EXISTS %b", k, 32), 0); /* nothing without the prefix */

    /* A record already expired by Redis's clock is not kept. */
    case_key(k, 9, 9);
    memcpy(full + 3, k, 32);
    case_record(s, k, 32, (int64_t)time(NULL) - 10);
    ck_assert_int_eq(raw_int(c, "EXISTS %b", full, sizeof full), 0);
    case_record(s, k, 32, T0);
    ck_assert_int_eq(raw_int(c, "EXISTS %b", full, sizeof full), 1);
    case_record(s, k, 32, 0);
    ck_assert_int_eq(raw_int(c, "EXISTS %b", full, sizeof full), 0);

    /* A value that is not ours is an error, not a guess. */
    r = raw_cmd(c, "SET %b %s", full, sizeof full, "hello");
    freeReplyObject(r);
    char err[512] = "";
    ck_assert_int_eq(s->lookup(s->data, k, 32, T0, err, sizeof err), SIEVE_STORE_ERROR);
    ck_assert_ptr_nonnull(strstr(err, "not an expiry"));
    redisFree(c);
    sieve_store_free(&s);
}
END_TEST

/* Two milter hosts sharing one Redis (here two handles, over TCP and
 * the unix socket): what one records the other sees. */
START_TEST(redis_shared_between_hosts)
{
    sieve_store *a = open_spec("redis://127.0.0.1:%d/1?prefix=host:", shared.port);
    sieve_store *b = open_spec("redis+unix:%s?db=1&prefix=host:", shared.sock);
    unsigned char k[32];
    case_key(k, 11, 11);
    ck_assert_int_eq(case_lookup(b, k, 32, T0), SIEVE_STORE_ABSENT);
    case_record(a, k, 32, T0 + 100);
    ck_assert_int_eq(case_lookup(b, k, 32, T0), SIEVE_STORE_PRESENT);
    case_record(b, k, 32, T0 + 5);
    ck_assert_int_eq(case_lookup(a, k, 32, T0 + 50), SIEVE_STORE_ABSENT);
    sieve_store_free(&a);
    sieve_store_free(&b);
}
END_TEST

START_TEST(redis_threads)
{
    sieve_store *s = open_spec("redis://127.0.0.1:%d?prefix=t2:&pool=4&timeout=5s", shared.port);
    case_threads(s);
    sieve_store_free(&s);
    /* One connection shared by all threads works too. */
    s = open_spec("redis://127.0.0.1:%d?prefix=t2b:&pool=1&timeout=5s", shared.port);
    case_threads(s);
    sieve_store_free(&s);
}
END_TEST

START_TEST(redis_unix_socket)
{
    sieve_store *s = open_spec("redis+unix:%s?prefix=t3:", shared.sock);
    case_basic(s);
    sieve_store_free(&s);
}
END_TEST

START_TEST(redis_db_select)
{
    sieve_store *s = open_spec("redis://127.0.0.1:%d/5?prefix=t4:", shared.port);
    unsigned char k[32], full[35];
    case_key(k, 4, 4);
    case_record(s, k, 32, T0 + 10);
    memcpy(full, "t4:", 3);
    memcpy(full + 3, k, 32);
    redisContext *c = redis_raw(&shared);
    ck_assert_int_eq(raw_int(c, "EXISTS %b", full, sizeof full), 0);
    freeReplyObject(raw_cmd(c, "SELECT 5"));
    ck_assert_int_eq(raw_int(c, "EXISTS %b", full, sizeof full), 1);
    redisFree(c);
    sieve_store_free(&s);
}
END_TEST

START_TEST(redis_auth)
{
    redisContext *c = redis_raw(&shared);
    freeReplyObject(raw_cmd(c, "CONFIG SET requirepass %s", "s3cr3t-pw"));
    char spec[256], err[512] = "";
    snprintf(spec, sizeof spec, "redis://127.0.0.1:%d?prefix=t5:", shared.port);
    sieve_store *s = sieve_store_open(spec, err, sizeof err);
    ck_assert_ptr_null(s);
    ck_assert_msg(strstr(err, "NOAUTH") != NULL, "%s", err);
    snprintf(spec, sizeof spec, "redis://:wrong-pw@127.0.0.1:%d?prefix=t5:", shared.port);
    s = sieve_store_open(spec, err, sizeof err);
    ck_assert_ptr_null(s);
    ck_assert_msg(strstr(err, "authentication failed") != NULL, "%s", err);
    ck_assert(strstr(err, "wrong-pw") == NULL);
    s = open_spec("redis://:s3cr3t-pw@127.0.0.1:%d?prefix=t5:", shared.port);
    case_basic(s);
    sieve_store_free(&s);
    s = open_spec("redis://default:s3cr3t-pw@127.0.0.1:%d?prefix=t5b:", shared.port);
    sieve_store_free(&s);
    freeReplyObject(raw_cmd(c, "AUTH %s", "s3cr3t-pw"));
    freeReplyObject(raw_cmd(c, "CONFIG SET requirepass %s", ""));
    redisFree(c);
}
END_TEST

/* Redis closes the store's connections (CLIENT KILL, as after an idle
 * timeout): the next call reconnects and succeeds. */
START_TEST(redis_connection_dropped)
{
    sieve_store *s = open_spec("redis://127.0.0.1:%d?prefix=t6:&pool=1", shared.port);
    unsigned char k[32];
    case_key(k, 6, 6);
    case_record(s, k, 32, T0 + 10);
    redisContext *c = redis_raw(&shared);
    redisReply *r = raw_cmd(c, "CLIENT KILL TYPE normal");
    ck_assert_int_eq(r->type, REDIS_REPLY_INTEGER);
    ck_assert_int_ge(r->integer, 1);
    freeReplyObject(r);
    redisFree(c);
    ck_assert_int_eq(case_lookup(s, k, 32, T0), SIEVE_STORE_PRESENT);
    case_record(s, k, 32, T0 + 20);
    ck_assert_int_eq(case_lookup(s, k, 32, T0 + 15), SIEVE_STORE_PRESENT);
    sieve_store_free(&s);
}
END_TEST

START_TEST(redis_count)
{
    sieve_store *s = open_spec("redis://127.0.0.1:%d/7?prefix=c*%%5Bx%%5D:", shared.port);
    sieve_store *other = open_spec("redis://127.0.0.1:%d/7?prefix=cother:", shared.port);
    unsigned char k[32];
    for (unsigned i = 0; i < 2500; i++) {
        case_key(k, 1, i);
        case_record(s, k, 32, T0);
        if (i < 30)
            case_record(other, k, 32, T0);
    }
    uint64_t n = 0;
    char err[256];
    ck_assert_int_eq(sieve_store_redis_count(s, &n, err, sizeof err), 0);
    ck_assert_uint_eq(n, 2500);
    ck_assert_int_eq(sieve_store_redis_count(other, &n, err, sizeof err), 0);
    ck_assert_uint_eq(n, 30);
    sieve_store_free(&s);
    sieve_store_free(&other);
}
END_TEST

/* Nothing listens: open fails, a lazy store fails each call, both with a
 * message naming the address. */
START_TEST(redis_unreachable)
{
    int port = redis_free_port();
    char spec[256], err[512] = "", where[64];
    snprintf(spec, sizeof spec, "redis://127.0.0.1:%d?connect_timeout=300ms", port);
    snprintf(where, sizeof where, "Redis at 127.0.0.1:%d", port);
    ck_assert_ptr_null(sieve_store_open(spec, err, sizeof err));
    ck_assert_msg(strstr(err, where) && strstr(err, "cannot connect"), "%s", err);

    snprintf(spec, sizeof spec, "redis://127.0.0.1:%d?connect_timeout=300ms&lazy=1", port);
    sieve_store *s = sieve_store_open(spec, err, sizeof err);
    ck_assert_msg(s != NULL, "%s", err);
    unsigned char k[32];
    case_key(k, 1, 1);
    err[0] = '\0';
    ck_assert_int_eq(s->lookup(s->data, k, 32, T0, err, sizeof err), SIEVE_STORE_ERROR);
    ck_assert_msg(strstr(err, where) && strstr(err, "cannot connect"), "%s", err);
    err[0] = '\0';
    ck_assert_int_eq(s->record(s->data, k, 32, T0, err, sizeof err), SIEVE_STORE_ERROR);
    ck_assert_msg(strstr(err, "cannot connect"), "%s", err);
    sieve_store_free(&s);

    /* Down for retry_after after the failed connect. */
    snprintf(spec, sizeof spec, "redis://127.0.0.1:%d?lazy=1&retry_after=60s", port);
    s = sieve_store_open(spec, err, sizeof err);
    ck_assert_msg(s != NULL, "%s", err);
    ck_assert_int_eq(s->lookup(s->data, k, 32, T0, err, sizeof err), SIEVE_STORE_ERROR);
    ck_assert_msg(strstr(err, "cannot connect") && !strstr(err, "not retried"), "%s", err);
    ck_assert_int_eq(s->lookup(s->data, k, 32, T0, err, sizeof err), SIEVE_STORE_ERROR);
    ck_assert_msg(strstr(err, "cannot connect") && strstr(err, "not retried for another"), "%s",
                  err);
    sieve_store_free(&s);

    ck_assert_ptr_null(sieve_store_open("redis+unix:/nonexistent/redis.sock", err, sizeof err));
    ck_assert_msg(strstr(err, "unix:/nonexistent/redis.sock"), "%s", err);
}
END_TEST

/* A server that accepts (the kernel does) but never replies: the call
 * returns SIEVE_STORE_ERROR after the reply timeout instead of hanging
 * (a hang would trip ctest's timeout). */
START_TEST(redis_no_reply)
{
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    struct sockaddr_in a = {.sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
    socklen_t len = sizeof a;
    ck_assert_int_eq(bind(fd, (struct sockaddr *)&a, sizeof a), 0);
    ck_assert_int_eq(listen(fd, 16), 0);
    ck_assert_int_eq(getsockname(fd, (struct sockaddr *)&a, &len), 0);
    int port = ntohs(a.sin_port);

    char spec[256], err[512] = "";
    snprintf(spec, sizeof spec, "redis://127.0.0.1:%d?timeout=200ms", port);
    ck_assert_ptr_null(sieve_store_open(spec, err, sizeof err));
    ck_assert_msg(strstr(err, "no reply within 200 ms"), "%s", err);

    /* Without the retry pause every call waits for its own timeout. */
    snprintf(spec, sizeof spec, "redis://127.0.0.1:%d?timeout=200ms&lazy=1&retry_after=0", port);
    sieve_store *s = sieve_store_open(spec, err, sizeof err);
    ck_assert_msg(s != NULL, "%s", err);
    unsigned char k[32];
    case_key(k, 1, 1);
    ck_assert_int_eq(s->lookup(s->data, k, 32, T0, err, sizeof err), SIEVE_STORE_ERROR);
    ck_assert_msg(strstr(err, "GET: no reply within 200 ms"), "%s", err);
    ck_assert_int_eq(s->record(s->data, k, 32, T0, err, sizeof err), SIEVE_STORE_ERROR);
    ck_assert_msg(strstr(err, "SET: no reply within 200 ms"), "%s", err);
    sieve_store_free(&s);

    /* With it (60 s here, so the test does not depend on speed), the
     * calls after a timeout fail at once, saying why. */
    snprintf(spec, sizeof spec, "redis://127.0.0.1:%d?timeout=200ms&lazy=1&retry_after=60s",
             port);
    s = sieve_store_open(spec, err, sizeof err);
    ck_assert_msg(s != NULL, "%s", err);
    ck_assert_int_eq(s->lookup(s->data, k, 32, T0, err, sizeof err), SIEVE_STORE_ERROR);
    ck_assert_msg(strstr(err, "GET: no reply within 200 ms") && !strstr(err, "not retried"), "%s",
                  err);
    for (int i = 0; i < 8; i++) { /* every pooled connection */
        ck_assert_int_eq(s->record(s->data, k, 32, T0, err, sizeof err), SIEVE_STORE_ERROR);
        ck_assert_msg(strstr(err, "GET: no reply within 200 ms (not retried for another"), "%s",
                      err);
    }
    sieve_store_free(&s);
    close(fd);
}
END_TEST

/* A fake Redis on a unix socket for the SIGPIPE test: the first
 * connection gets +PONG and is closed, the second gets a nil reply. */
struct fake_unix {
    int lfd;
    sem_t first_closed;
};

static void *fake_unix_main(void *arg)
{
    struct fake_unix *f = arg;
    static const char *replies[2] = {"+PONG\r\n", "$-1\r\n"};
    for (int i = 0; i < 2; i++) {
        int fd = accept(f->lfd, NULL, NULL);
        if (fd < 0)
            return NULL;
        char buf[512];
        if (read(fd, buf, sizeof buf) > 0 && write(fd, replies[i], strlen(replies[i])) < 0)
            perror("fake redis");
        close(fd);
        if (i == 0)
            sem_post(&f->first_closed);
    }
    return NULL;
}

/* A write to a connection the server closed raises SIGPIPE; the store
 * must neither die of it (default disposition here) nor leave it pending
 * or blocked. On a unix socket the write fails with EPIPE as soon as the
 * peer has closed, so this happens every run. */
START_TEST(redis_sigpipe_contained)
{
    signal(SIGPIPE, SIG_DFL);
    struct fake_unix f;
    struct sockaddr_un a = {.sun_family = AF_UNIX};
    ck_assert_uint_lt(strlen(tmp_dir) + 10, sizeof a.sun_path);
    memcpy(a.sun_path, tmp_dir, strlen(tmp_dir));
    memcpy(a.sun_path + strlen(tmp_dir), "/fake.sock", 11);
    f.lfd = socket(AF_UNIX, SOCK_STREAM, 0);
    ck_assert_int_eq(bind(f.lfd, (struct sockaddr *)&a, sizeof a), 0);
    ck_assert_int_eq(listen(f.lfd, 4), 0);
    sem_init(&f.first_closed, 0, 0);
    pthread_t th;
    ck_assert_int_eq(pthread_create(&th, NULL, fake_unix_main, &f), 0);

    char spec[400], err[512] = "";
    snprintf(spec, sizeof spec, "redis+unix:%s?pool=1&timeout=5s", a.sun_path);
    sieve_store *s = sieve_store_open(spec, err, sizeof err);
    ck_assert_msg(s != NULL, "%s", err);
    sem_wait(&f.first_closed);
    unsigned char k[32];
    case_key(k, 1, 1);
    ck_assert_int_eq(case_lookup(s, k, 32, T0), SIEVE_STORE_ABSENT); /* after a reconnect */
    pthread_join(th, NULL);
    sigset_t pending, mask;
    sigpending(&pending);
    ck_assert(!sigismember(&pending, SIGPIPE));
    pthread_sigmask(SIG_SETMASK, NULL, &mask);
    ck_assert(!sigismember(&mask, SIGPIPE));
    sieve_store_free(&s);
    close(f.lfd);
}
END_TEST

/* The restart requirement on the shared side: Redis with its append-only
 * file goes down and comes back. While it is down calls fail with a
 * message; afterwards the same handle reconnects and the record is there,
 * and so it is for a new handle (a restarted milter). */
START_TEST(redis_restart_keeps_records)
{
    struct redis_server rs = {0};
    snprintf(rs.dir, sizeof rs.dir, "%s/restart", tmp_dir);
    ck_assert_int_eq(redis_start(&rs, 1), 0);
    sieve_store *s = open_spec("redis://127.0.0.1:%d?prefix=r:&pool=2&retry_after=0", rs.port);
    unsigned char k[32], k2[32];
    case_key(k, 42, 1);
    case_key(k2, 42, 2);
    case_record(s, k, 32, T0 + 3600);
    ck_assert_int_eq(case_lookup(s, k, 32, T0), SIEVE_STORE_PRESENT);

    redis_stop(&rs);
    char err[512] = "";
    ck_assert_int_eq(s->lookup(s->data, k, 32, T0, err, sizeof err), SIEVE_STORE_ERROR);
    ck_assert_msg(strstr(err, "Redis at 127.0.0.1:"), "%s", err);
    ck_assert_int_eq(s->record(s->data, k2, 32, T0, err, sizeof err), SIEVE_STORE_ERROR);

    ck_assert_int_eq(redis_start(&rs, 1), 0);
    for (int i = 0; i < 4; i++) /* every pooled connection */
        ck_assert_int_eq(case_lookup(s, k, 32, T0), SIEVE_STORE_PRESENT);
    ck_assert_int_eq(case_lookup(s, k2, 32, T0), SIEVE_STORE_ABSENT);
    sieve_store_free(&s);
    s = open_spec("redis://127.0.0.1:%d?prefix=r:", rs.port);
    ck_assert_int_eq(case_lookup(s, k, 32, T0), SIEVE_STORE_PRESENT);
    ck_assert_int_eq(case_lookup(s, k, 32, T0 + 3600), SIEVE_STORE_ABSENT);
    sieve_store_free(&s);
    redis_stop(&rs);
}
END_TEST

static Suite *redis_suite(void)
{
    Suite *s = suite_create("store_redis");
    TCase *tc = tcase_create("redis");
    tcase_set_timeout(tc, 120);
    tcase_add_test(tc, redis_basic);
    tcase_add_test(tc, redis_shared_between_hosts);
    tcase_add_test(tc, redis_threads);
    tcase_add_test(tc, redis_unix_socket);
    tcase_add_test(tc, redis_db_select);
    tcase_add_test(tc, redis_auth);
    tcase_add_test(tc, redis_connection_dropped);
    tcase_add_test(tc, redis_count);
    tcase_add_test(tc, redis_unreachable);
    tcase_add_test(tc, redis_no_reply);
    tcase_add_test(tc, redis_sigpipe_contained);
    suite_add_tcase(s, tc);
    TCase *rt = tcase_create("restart");
    tcase_set_timeout(rt, 120);
    tcase_add_test(rt, redis_restart_keeps_records);
    suite_add_tcase(s, rt);
    return s;
}

int main(void)
{
    if (redis_find() != 0) {
        printf("redis-server not found (Debian package redis-server; or set REDIS_SERVER): "
               "skipping the Redis store tests\n");
        return 77;
    }
    /* A write to a connection Redis closed must not kill the tests: the
     * store blocks SIGPIPE itself, this is for the raw connections. */
    signal(SIGPIPE, SIG_IGN);
    tmp_make();
    snprintf(shared.dir, sizeof shared.dir, "%s/shared", tmp_dir);
    if (redis_start(&shared, 0) != 0) {
        tmp_remove();
        return 1;
    }
    SRunner *sr = srunner_create(redis_suite());
    srunner_run_all(sr, CK_NORMAL);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    redis_stop(&shared);
    tmp_remove();
    return failed ? 1 : 0;
}
