/* redis_fixture.h: a private redis-server for the Redis store suite, on a
 * free loopback port with its own directory, killed with its parent
 * (PR_SET_PDEATHSIG) so a failed test never leaves one running. Never the
 * system instance: tests always name their own port. Header-only. */
#ifndef REDIS_FIXTURE_H
#define REDIS_FIXTURE_H

#define _GNU_SOURCE
#include <arpa/inet.h>
#include <fcntl.h>
#include <hiredis/hiredis.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

struct redis_server {
    pid_t pid;
    int port;
    char dir[300];
    char sock[400];
};

static char redis_bin[512];

/* redis-server from $REDIS_SERVER or the PATH; 0 when found. */
static int redis_find(void)
{
    const char *env = getenv("REDIS_SERVER");
    if (env != NULL && access(env, X_OK) == 0) {
        snprintf(redis_bin, sizeof redis_bin, "%s", env);
        return 0;
    }
    const char *path = getenv("PATH");
    char buf[4096];
    snprintf(buf, sizeof buf, "%s:/usr/bin:/usr/sbin:/usr/local/bin", path ? path : "");
    for (char *save = NULL, *d = strtok_r(buf, ":", &save); d; d = strtok_r(NULL, ":", &save)) {
        snprintf(redis_bin, sizeof redis_bin, "%s/redis-server", d);
        if (access(redis_bin, X_OK) == 0)
            return 0;
    }
    redis_bin[0] = '\0';
    return -1;
}

/* A loopback port nothing listens on right now. */
static int redis_free_port(void)
{
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    struct sockaddr_in a = {.sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
    socklen_t len = sizeof a;
    if (fd < 0 || bind(fd, (struct sockaddr *)&a, sizeof a) != 0 ||
        getsockname(fd, (struct sockaddr *)&a, &len) != 0) {
        perror("redis_free_port");
        exit(1);
    }
    close(fd);
    return ntohs(a.sin_port);
}

static void redis_sleep_ms(int ms)
{
    struct timespec ts = {ms / 1000, (ms % 1000) * 1000000L};
    nanosleep(&ts, NULL);
}

/* A raw connection for inspecting what the store wrote; NULL if none. */
static redisContext *redis_raw(const struct redis_server *rs)
{
    struct timeval tv = {2, 0};
    redisContext *c = redisConnectWithTimeout("127.0.0.1", rs->port, tv);
    if (c != NULL && c->err) {
        redisFree(c);
        return NULL;
    }
    return c;
}

/* Starts redis-server in rs->dir (created if needed) on rs->port (a free
 * one when 0), with the append-only file when persistent, and waits until
 * it answers PING. 0, or -1 with the log on stderr. */
static int redis_start(struct redis_server *rs, int persistent)
{
    mkdir(rs->dir, 0700);
    if (rs->port == 0)
        rs->port = redis_free_port();
    snprintf(rs->sock, sizeof rs->sock, "%s/redis.sock", rs->dir);
    char port[16], log[400];
    snprintf(port, sizeof port, "%d", rs->port);
    snprintf(log, sizeof log, "%s/redis.log", rs->dir);
    pid_t parent = getpid();
    rs->pid = fork();
    if (rs->pid < 0)
        return -1;
    if (rs->pid == 0) {
        prctl(PR_SET_PDEATHSIG, SIGTERM);
        if (getppid() != parent)
            _exit(1);
        int fd = open(log, O_WRONLY | O_CREAT | O_APPEND, 0600);
        if (fd >= 0) {
            dup2(fd, 1);
            dup2(fd, 2);
        }
        execl(redis_bin, "redis-server", "--port", port, "--bind", "127.0.0.1", "--save", "",
              "--dir", rs->dir, "--unixsocket", rs->sock, "--unixsocketperm", "700",
              "--appendonly", persistent ? "yes" : "no", "--appendfsync", "always",
              "--daemonize", "no", "--logfile", "", (char *)NULL);
        _exit(127);
    }
    /* Readiness, not timing: poll until it answers or exits. */
    for (int i = 0; i < 300; i++) {
        int status;
        if (waitpid(rs->pid, &status, WNOHANG) == rs->pid) {
            fprintf(stderr, "redis-server exited (status %d); log %s\n", status, log);
            rs->pid = 0;
            return -1;
        }
        redisContext *c = redis_raw(rs);
        if (c != NULL) {
            redisReply *r = redisCommand(c, "PING");
            int ok = r != NULL && r->type == REDIS_REPLY_STATUS;
            if (r != NULL)
                freeReplyObject(r);
            redisFree(c);
            if (ok)
                return 0;
        }
        redis_sleep_ms(50);
    }
    fprintf(stderr, "redis-server on port %d did not answer; log %s\n", rs->port, log);
    return -1;
}

/* SIGTERM (Redis writes its append-only file and exits), then reap. */
static void redis_stop(struct redis_server *rs)
{
    if (rs->pid <= 0)
        return;
    kill(rs->pid, SIGTERM);
    for (int i = 0; i < 400; i++) {
        if (waitpid(rs->pid, NULL, WNOHANG) == rs->pid) {
            rs->pid = 0;
            return;
        }
        redis_sleep_ms(25);
    }
    kill(rs->pid, SIGKILL);
    waitpid(rs->pid, NULL, 0);
    rs->pid = 0;
}

#endif
