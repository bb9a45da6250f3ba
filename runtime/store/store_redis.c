/* store_redis.c: sieve/store.h over Redis (see sieve/store_redis.h). */
#include "sieve/store_redis.h"

#include <errno.h>
#include <hiredis/hiredis.h>
#include <inttypes.h>
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/un.h>
#include <time.h>

#include "store_util.h"

#define REDIS_HOST_MAX 256
#define REDIS_SECRET_MAX 256
#define REDIS_TIMEOUT_MAX_MS 60000
#define REDIS_EXAT_MAX ((int64_t)253402300799) /* 9999-12-31T23:59:59Z */

struct redis_conn {
    pthread_mutex_t mu;
    redisContext *c; /* NULL: not connected (yet, or any more) */
};

struct redis_store {
    sieve_store pub; /* first: pub.data points back at the whole struct */
    char host[REDIS_HOST_MAX];
    int port;
    char unix_path[sizeof(((struct sockaddr_un *)0)->sun_path)];
    int is_unix;
    char username[REDIS_SECRET_MAX];
    char password[REDIS_SECRET_MAX];
    int has_username, has_password;
    int db;
    char prefix[SIEVE_STORE_REDIS_PREFIX_MAX + 1];
    size_t prefixlen;
    int connect_ms, command_ms;
    char where[REDIS_HOST_MAX + sizeof(((struct sockaddr_un *)0)->sun_path) + 32];
    /* After a failed connect or a timeout Redis counts as down for
     * retry_ms: calls fail at once instead of queueing behind the pool's
     * mutexes for a timeout each (a burst of sessions would otherwise
     * wait sessions/pool timeouts). */
    int retry_ms;
    pthread_mutex_t down_mu;
    int64_t down_until_ms; /* CLOCK_MONOTONIC; 0: up */
    char down_err[256];
    atomic_uint next;
    int pool;
    struct redis_conn conns[];
};

static void redis_close(void *data);

static struct timeval ms_tv(int ms)
{
    struct timeval tv = {ms / 1000, (ms % 1000) * 1000};
    return tv;
}

/* Opens conn->c, authenticates and selects the database. */
static int conn_open(struct redis_store *st, struct redis_conn *conn, char *err, size_t errlen)
{
    struct timeval ct = ms_tv(st->connect_ms);
    redisContext *c = st->is_unix ? redisConnectUnixWithTimeout(st->unix_path, ct)
                                  : redisConnectWithTimeout(st->host, st->port, ct);
    if (c == NULL) {
        store_errf(err, errlen, "%s: out of memory", st->where);
        return -1;
    }
    if (c->err) {
        store_errf(err, errlen, "%s: cannot connect: %s", st->where, c->errstr);
        redisFree(c);
        return -1;
    }
    /* hiredis applies the connect timeout to connecting only; replies get
     * the command timeout (SO_RCVTIMEO/SO_SNDTIMEO). */
    if (redisSetTimeout(c, ms_tv(st->command_ms)) != REDIS_OK) {
        store_errf(err, errlen, "%s: cannot set the timeout: %s", st->where, c->errstr);
        redisFree(c);
        return -1;
    }
    redisReply *r = NULL;
    if (st->has_password) {
        if (st->has_username)
            r = redisCommand(c, "AUTH %s %s", st->username, st->password);
        else
            r = redisCommand(c, "AUTH %s", st->password);
        if (r == NULL || r->type == REDIS_REPLY_ERROR) {
            /* The reply never echoes the password. */
            store_errf(err, errlen, "%s: authentication failed: %s", st->where,
                       r ? r->str : c->errstr);
            goto fail;
        }
        freeReplyObject(r);
    }
    if (st->db != 0) {
        r = redisCommand(c, "SELECT %d", st->db);
        if (r == NULL || r->type == REDIS_REPLY_ERROR) {
            store_errf(err, errlen, "%s: SELECT %d failed: %s", st->where, st->db,
                       r ? r->str : c->errstr);
            goto fail;
        }
        freeReplyObject(r);
    }
    conn->c = c;
    return 0;
fail:
    if (r != NULL)
        freeReplyObject(r);
    redisFree(c);
    return -1;
}

static int64_t mono_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* 1 with a message when Redis counts as down. */
static int down_check(struct redis_store *st, char *err, size_t errlen)
{
    int down = 0;
    pthread_mutex_lock(&st->down_mu);
    if (st->down_until_ms != 0) {
        int64_t left = st->down_until_ms - mono_ms();
        if (left > 0) {
            store_errf(err, errlen, "%s (not retried for another %lld ms)", st->down_err,
                       (long long)left);
            down = 1;
        } else {
            st->down_until_ms = 0;
        }
    }
    pthread_mutex_unlock(&st->down_mu);
    return down;
}

static void down_mark(struct redis_store *st, const char *err)
{
    if (st->retry_ms == 0)
        return;
    pthread_mutex_lock(&st->down_mu);
    st->down_until_ms = mono_ms() + st->retry_ms;
    snprintf(st->down_err, sizeof st->down_err, "%s", err ? err : "unreachable");
    pthread_mutex_unlock(&st->down_mu);
}

/* Runs one command on a pooled connection: reconnects when needed and
 * retries once after a lost connection (every command here is
 * idempotent), never after a timeout. The reply, or NULL with err set. */
static redisReply *run(struct redis_store *st, int argc, const char **argv, const size_t *argvlen,
                       char *err, size_t errlen)
{
    struct redis_conn *conn = &st->conns[atomic_fetch_add(&st->next, 1) % (unsigned)st->pool];
    redisReply *r = NULL;

    /* hiredis writes with write(2): a peer that went away raises SIGPIPE,
     * which would kill a host that did not ignore it. Block it here and
     * discard one raised meanwhile. */
    sigset_t pipe_set, old_set, pending;
    sigemptyset(&pipe_set);
    sigaddset(&pipe_set, SIGPIPE);
    pthread_sigmask(SIG_BLOCK, &pipe_set, &old_set);
    sigpending(&pending);
    int was_pending = sigismember(&pending, SIGPIPE);

    char buf[256];
    if (err == NULL || errlen == 0) { /* down_mark needs the message */
        err = buf;
        errlen = sizeof buf;
    }
    pthread_mutex_lock(&conn->mu);
    for (int attempt = 0; attempt < 2; attempt++) {
        /* Checked under the mutex: a thread that waited for another's
         * failed attempt fails at once. */
        if (down_check(st, err, errlen))
            break;
        if (conn->c == NULL && conn_open(st, conn, err, errlen) != 0) {
            down_mark(st, err);
            break;
        }
        errno = 0;
        r = redisCommandArgv(conn->c, argc, argv, argvlen);
        if (r != NULL)
            break;
        int e = errno;
        int timed_out = conn->c->err == REDIS_ERR_IO &&
                        (e == EAGAIN || e == EWOULDBLOCK || e == ETIMEDOUT);
        if (timed_out)
            store_errf(err, errlen, "%s: %s: no reply within %d ms", st->where, argv[0],
                       st->command_ms);
        else
            store_errf(err, errlen, "%s: %s: connection lost: %s", st->where, argv[0],
                       conn->c->errstr);
        /* A connection that failed mid-command is out of step: drop it. */
        redisFree(conn->c);
        conn->c = NULL;
        if (timed_out) {
            down_mark(st, err);
            break;
        }
    }
    pthread_mutex_unlock(&conn->mu);

    if (!was_pending) {
        sigpending(&pending);
        if (sigismember(&pending, SIGPIPE)) {
            struct timespec zero = {0, 0};
            sigtimedwait(&pipe_set, NULL, &zero);
        }
    }
    pthread_sigmask(SIG_SETMASK, &old_set, NULL);
    return r;
}

/* PREFIX + key into buf (sized for the longest of both). */
static size_t make_key(const struct redis_store *st, unsigned char *buf, const void *key,
                       size_t keylen)
{
    memcpy(buf, st->prefix, st->prefixlen);
    memcpy(buf + st->prefixlen, key, keylen);
    return st->prefixlen + keylen;
}

static int reply_error(const struct redis_store *st, const char *cmd, const redisReply *r,
                       char *err, size_t errlen)
{
    if (r->type == REDIS_REPLY_ERROR)
        store_errf(err, errlen, "%s: %s: %s", st->where, cmd, r->str);
    else
        store_errf(err, errlen, "%s: %s: unexpected reply of type %d", st->where, cmd, r->type);
    return SIEVE_STORE_ERROR;
}

static int redis_lookup(void *data, const void *key, size_t keylen, int64_t now, char *err,
                        size_t errlen)
{
    struct redis_store *st = data;
    if (store_check_key(key, keylen, err, errlen) != 0)
        return SIEVE_STORE_ERROR;
    unsigned char kbuf[SIEVE_STORE_REDIS_PREFIX_MAX + SIEVE_STORE_KEY_MAX];
    const char *argv[2] = {"GET", (const char *)kbuf};
    size_t argvlen[2] = {3, make_key(st, kbuf, key, keylen)};
    redisReply *r = run(st, 2, argv, argvlen, err, errlen);
    if (r == NULL)
        return SIEVE_STORE_ERROR;
    int ret;
    if (r->type == REDIS_REPLY_NIL) {
        ret = SIEVE_STORE_ABSENT;
    } else if (r->type == REDIS_REPLY_STRING) {
        char num[24];
        char *end;
        size_t n = r->len < sizeof num - 1 ? (size_t)r->len : sizeof num - 1;
        memcpy(num, r->str, n);
        num[n] = '\0';
        errno = 0;
        long long expires = strtoll(num, &end, 10);
        if (n == 0 || *end != '\0' || errno != 0 || (size_t)r->len != n) {
            store_errf(err, errlen, "%s: GET: a value that is not an expiry: not a sievec key?",
                       st->where);
            ret = SIEVE_STORE_ERROR;
        } else {
            /* Redis drops the key at the expiry by its own clock; the
             * caller's clock decides the answer. */
            ret = expires > now ? SIEVE_STORE_PRESENT : SIEVE_STORE_ABSENT;
        }
    } else {
        ret = reply_error(st, "GET", r, err, errlen);
    }
    freeReplyObject(r);
    return ret;
}

static int redis_record(void *data, const void *key, size_t keylen, int64_t expires, char *err,
                        size_t errlen)
{
    struct redis_store *st = data;
    if (store_check_key(key, keylen, err, errlen) != 0)
        return SIEVE_STORE_ERROR;
    unsigned char kbuf[SIEVE_STORE_REDIS_PREFIX_MAX + SIEVE_STORE_KEY_MAX];
    size_t klen = make_key(st, kbuf, key, keylen);
    redisReply *r;
    const char *cmd;
    if (expires < 1) {
        /* Already expired and EXAT wants a positive time: the record
         * reads as absent either way, so drop any earlier one. */
        const char *argv[2] = {"DEL", (const char *)kbuf};
        size_t argvlen[2] = {3, klen};
        cmd = "DEL";
        r = run(st, 2, argv, argvlen, err, errlen);
    } else {
        /* Redis refuses an EXAT whose milliseconds overflow, and callers
         * say "for ever" with INT64_MAX: Redis keeps the key until the
         * end of year 9999 at most, the value keeps the exact expiry. */
        char num[24], at[24];
        int n = snprintf(num, sizeof num, "%" PRId64, expires);
        int an = snprintf(at, sizeof at, "%" PRId64,
                          expires > REDIS_EXAT_MAX ? REDIS_EXAT_MAX : expires);
        const char *argv[5] = {"SET", (const char *)kbuf, num, "EXAT", at};
        size_t argvlen[5] = {3, klen, (size_t)n, 4, (size_t)an};
        cmd = "SET";
        r = run(st, 5, argv, argvlen, err, errlen);
    }
    if (r == NULL)
        return SIEVE_STORE_ERROR;
    int ret = SIEVE_STORE_ABSENT;
    if (r->type == REDIS_REPLY_ERROR && strstr(r->str, "syntax") != NULL) {
        store_errf(err, errlen, "%s: SET ... EXAT refused (%s): Redis 6.2 or later is needed",
                   st->where, r->str);
        ret = SIEVE_STORE_ERROR;
    } else if (r->type == REDIS_REPLY_ERROR) {
        ret = reply_error(st, cmd, r, err, errlen);
    }
    freeReplyObject(r);
    return ret;
}

int sieve_store_redis_owns(const sieve_store *s)
{
    return s != NULL && s->close == redis_close;
}

int sieve_store_redis_count(sieve_store *s, uint64_t *keys_r, char *err, size_t errlen)
{
    *keys_r = 0;
    if (!sieve_store_redis_owns(s)) {
        store_errf(err, errlen, "not a Redis store");
        return SIEVE_STORE_ERROR;
    }
    struct redis_store *st = s->data;
    /* MATCH takes a glob: escape the prefix's special characters. */
    char pattern[2 * SIEVE_STORE_REDIS_PREFIX_MAX + 2];
    size_t plen = 0;
    for (size_t i = 0; i < st->prefixlen; i++) {
        if (strchr("*?[]\\", st->prefix[i]) != NULL)
            pattern[plen++] = '\\';
        pattern[plen++] = st->prefix[i];
    }
    pattern[plen++] = '*';
    char cursor[32] = "0";
    uint64_t keys = 0;
    do {
        const char *argv[6] = {"SCAN", cursor, "MATCH", pattern, "COUNT", "1000"};
        size_t argvlen[6] = {4, strlen(cursor), 5, plen, 5, 4};
        redisReply *r = run(st, 6, argv, argvlen, err, errlen);
        if (r == NULL)
            return SIEVE_STORE_ERROR;
        if (r->type != REDIS_REPLY_ARRAY || r->elements != 2 ||
            r->element[0]->type != REDIS_REPLY_STRING ||
            r->element[0]->len >= (int)sizeof cursor ||
            r->element[1]->type != REDIS_REPLY_ARRAY) {
            reply_error(st, "SCAN", r, err, errlen);
            freeReplyObject(r);
            return SIEVE_STORE_ERROR;
        }
        memcpy(cursor, r->element[0]->str, (size_t)r->element[0]->len);
        cursor[r->element[0]->len] = '\0';
        keys += r->element[1]->elements;
        freeReplyObject(r);
    } while (strcmp(cursor, "0") != 0);
    *keys_r = keys;
    return 0;
}

static void redis_close(void *data)
{
    struct redis_store *st = data;
    if (st == NULL)
        return;
    for (int i = 0; i < st->pool; i++) {
        if (st->conns[i].c != NULL)
            redisFree(st->conns[i].c);
        pthread_mutex_destroy(&st->conns[i].mu);
    }
    pthread_mutex_destroy(&st->down_mu);
    explicit_bzero(st->password, sizeof st->password);
    free(st);
}

static int copy_opt(char *dst, size_t dstlen, const char *src, const char *what, char *err,
                    size_t errlen)
{
    size_t n = strlen(src);
    if (n >= dstlen) {
        store_errf(err, errlen, "Redis store: %s longer than %zu bytes", what, dstlen - 1);
        return -1;
    }
    memcpy(dst, src, n + 1);
    return 0;
}

static int check_ms(int ms, int dflt, const char *what, int *out, char *err, size_t errlen)
{
    if (ms == 0)
        ms = dflt;
    if (ms < 1 || ms > REDIS_TIMEOUT_MAX_MS) {
        store_errf(err, errlen, "Redis store: %s of %d ms (1 to %d allowed)", what, ms,
                   REDIS_TIMEOUT_MAX_MS);
        return -1;
    }
    *out = ms;
    return 0;
}

sieve_store *sieve_store_redis_open(const sieve_store_redis_options *opt, char *err,
                                    size_t errlen)
{
    static const sieve_store_redis_options defaults = {0};
    if (opt == NULL)
        opt = &defaults;
    int pool = opt->pool ? opt->pool : 4;
    int retry_ms = opt->retry_after_ms < 0 ? 0 : opt->retry_after_ms ? opt->retry_after_ms : 1000;
    if (retry_ms > REDIS_TIMEOUT_MAX_MS) {
        store_errf(err, errlen, "Redis store: retry_after of %d ms (0 to %d allowed)", retry_ms,
                   REDIS_TIMEOUT_MAX_MS);
        return NULL;
    }
    if (pool < 1 || pool > SIEVE_STORE_REDIS_POOL_MAX) {
        store_errf(err, errlen, "Redis store: pool of %d connections (1 to %d allowed)", pool,
                   SIEVE_STORE_REDIS_POOL_MAX);
        return NULL;
    }
    if (opt->port < 0 || opt->port > 65535 || opt->db < 0) {
        store_errf(err, errlen, "Redis store: port %d or database %d out of range", opt->port,
                   opt->db);
        return NULL;
    }
    struct redis_store *st = calloc(1, sizeof *st + (size_t)pool * sizeof st->conns[0]);
    if (st == NULL) {
        store_errf(err, errlen, "Redis store: out of memory");
        return NULL;
    }
    st->pool = pool;
    st->retry_ms = retry_ms;
    st->port = opt->port ? opt->port : 6379;
    st->db = opt->db;
    const char *prefix = opt->prefix ? opt->prefix : "sievec:";
    int bad = copy_opt(st->prefix, sizeof st->prefix, prefix, "prefix", err, errlen) ||
              check_ms(opt->connect_timeout_ms, 1000, "connect timeout", &st->connect_ms, err,
                       errlen) ||
              check_ms(opt->command_timeout_ms, 500, "command timeout", &st->command_ms, err,
                       errlen);
    if (!bad && opt->unix_path != NULL) {
        st->is_unix = 1;
        bad = copy_opt(st->unix_path, sizeof st->unix_path, opt->unix_path, "socket path", err,
                       errlen);
    } else if (!bad) {
        bad = copy_opt(st->host, sizeof st->host, opt->host ? opt->host : "127.0.0.1", "host",
                       err, errlen);
    }
    if (!bad && opt->password != NULL) {
        st->has_password = 1;
        bad = copy_opt(st->password, sizeof st->password, opt->password, "password", err,
                       errlen);
    }
    if (!bad && opt->username != NULL) {
        st->has_username = 1;
        bad = copy_opt(st->username, sizeof st->username, opt->username, "user name", err,
                       errlen);
    }
    if (!bad && st->has_username && !st->has_password) {
        store_errf(err, errlen, "Redis store: a user name without a password");
        bad = 1;
    }
    if (bad) {
        explicit_bzero(st->password, sizeof st->password);
        free(st);
        return NULL;
    }
    st->prefixlen = strlen(st->prefix);
    if (st->is_unix)
        snprintf(st->where, sizeof st->where, "Redis at unix:%s", st->unix_path);
    else if (strchr(st->host, ':') != NULL)
        snprintf(st->where, sizeof st->where, "Redis at [%s]:%d", st->host, st->port);
    else
        snprintf(st->where, sizeof st->where, "Redis at %s:%d", st->host, st->port);
    for (int i = 0; i < pool; i++)
        pthread_mutex_init(&st->conns[i].mu, NULL);
    pthread_mutex_init(&st->down_mu, NULL);
    atomic_init(&st->next, 0);
    st->pub.data = st;
    st->pub.lookup = redis_lookup;
    st->pub.record = redis_record;
    st->pub.close = redis_close;
    if (!opt->lazy) {
        /* A wrong address or password shows at start-up, not with the
         * first vacation reply; PING proves the server answers. */
        const char *argv[1] = {"PING"};
        size_t argvlen[1] = {4};
        redisReply *r = run(st, 1, argv, argvlen, err, errlen);
        if (r == NULL || r->type == REDIS_REPLY_ERROR) {
            if (r != NULL) {
                reply_error(st, "PING", r, err, errlen);
                freeReplyObject(r);
            }
            redis_close(st);
            return NULL;
        }
        freeReplyObject(r);
    }
    return &st->pub;
}
