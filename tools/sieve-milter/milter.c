/* sieve-milter: the daemon. A thin adapter from libmilter's callbacks to
 * mcore (where every decision is made and tested), plus start-up:
 * options and configuration file, the listening socket, privilege drop,
 * SIGUSR1 reload and a graceful stop. See sieve-milter(8).
 *
 * Threads: libmilter runs one thread per connection and its own signal
 * thread (SIGHUP, SIGTERM, SIGINT stop it); we add one thread that waits
 * for SIGUSR1. SIGUSR1 is blocked before any thread starts so only that
 * thread receives it.
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <getopt.h>
#include <grp.h>
#include <libmilter/mfapi.h>
#include <netinet/in.h>
#include <pthread.h>
#include <pwd.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "mconf.h"
#include "mcore.h"
#include "mlog.h"

#ifndef SIEVEC_VERSION
#define SIEVEC_VERSION "dev"
#endif
#define DEFAULT_CONF "/etc/sieve-milter/sieve-milter.conf"

static mc_server *g_srv;
/* libmilter runs a connection (negotiation included) on one thread: whether
 * this MTA accepted SMFIP_SKIP is that thread's. */
static __thread bool t_skip_ok;

/* ---- mc_io over libmilter ------------------------------------------------ */

static int io_setreply(void *h, const char *rcode, const char *xcode, const reply_text *t)
{
    SMFICTX *ctx = h;
    if (t->nlines <= 1)
        return smfi_setreply(ctx, (char *)rcode, (char *)xcode,
                             (char *)(t->nlines ? t->lines[0] : ""));
    const char *l[REPLY_MAX_LINES + 1] = { 0 };
    for (size_t i = 0; i < t->nlines; i++)
        l[i] = t->lines[i];
    /* The list ends at the first NULL; unused slots are NULL. */
    return smfi_setmlreply(ctx, rcode, xcode, l[0], l[1], l[2], l[3], l[4], l[5], l[6], l[7], l[8],
                           l[9], l[10], l[11], l[12], l[13], l[14], l[15], l[16], l[17], l[18],
                           l[19], l[20], l[21], l[22], l[23], l[24], l[25], l[26], l[27], l[28],
                           l[29], l[30], l[31], (char *)NULL);
}

static int io_addrcpt(void *h, const char *r)
{
    return smfi_addrcpt(h, (char *)r) == MI_SUCCESS ? 0 : -1;
}

static int io_delrcpt(void *h, const char *r)
{
    return smfi_delrcpt(h, (char *)r) == MI_SUCCESS ? 0 : -1;
}

static int io_insheader(void *h, int idx, const char *name, const char *value)
{
    return smfi_insheader(h, idx, (char *)name, (char *)value) == MI_SUCCESS ? 0 : -1;
}

static int io_chgheader(void *h, const char *name, int idx, const char *value)
{
    return smfi_chgheader(h, (char *)name, idx, (char *)value) == MI_SUCCESS ? 0 : -1;
}

static const char *io_symval(void *h, const char *name)
{
    return smfi_getsymval(h, (char *)name);
}

static mc_io make_io(SMFICTX *ctx)
{
    return (mc_io){ .h = ctx, .setreply = io_setreply, .addrcpt = io_addrcpt,
                    .delrcpt = io_delrcpt, .insheader = io_insheader,
                    .chgheader = io_chgheader, .symval = io_symval };
}

static sfsistat map(mc_status s)
{
    switch (s) {
    case MC_REJECT: return SMFIS_REJECT;
    case MC_TEMPFAIL: return SMFIS_TEMPFAIL;
    case MC_DISCARD: return SMFIS_DISCARD;
    /* Without SKIP negotiated, CONTINUE: the core ignores further chunks. */
    case MC_SKIP: return t_skip_ok ? SMFIS_SKIP : SMFIS_CONTINUE;
    default: return SMFIS_CONTINUE;
    }
}

#define CONN(ctx) ((mc_conn *)smfi_getpriv(ctx))

/* ---- the callback table ---------------------------------------------------- */

static atomic_bool g_draining;

static sfsistat cb_connect(SMFICTX *ctx, char *host, _SOCK_ADDR *sa)
{
    if (atomic_load(&g_draining))
        return SMFIS_TEMPFAIL;   /* stopping: the MTA tries again later */
    char ip[INET6_ADDRSTRLEN] = "";
    if (sa && sa->sa_family == AF_INET)
        inet_ntop(AF_INET, &((struct sockaddr_in *)(void *)sa)->sin_addr, ip, sizeof ip);
    else if (sa && sa->sa_family == AF_INET6)
        inet_ntop(AF_INET6, &((struct sockaddr_in6 *)(void *)sa)->sin6_addr, ip, sizeof ip);
    mc_conn *c = mc_connect(g_srv, host, ip[0] ? ip : NULL);
    if (!c)
        return SMFIS_TEMPFAIL;
    smfi_setpriv(ctx, c);
    return SMFIS_CONTINUE;
}

static sfsistat cb_helo(SMFICTX *ctx, char *helo)
{
    return CONN(ctx) ? map(mc_helo(CONN(ctx), helo)) : SMFIS_CONTINUE;
}

static sfsistat cb_envfrom(SMFICTX *ctx, char **argv)
{
    mc_io io = make_io(ctx);
    return CONN(ctx) ? map(mc_envfrom(CONN(ctx), &io, argv)) : SMFIS_TEMPFAIL;
}

static sfsistat cb_envrcpt(SMFICTX *ctx, char **argv)
{
    mc_io io = make_io(ctx);
    return CONN(ctx) ? map(mc_envrcpt(CONN(ctx), &io, argv)) : SMFIS_TEMPFAIL;
}

static sfsistat cb_header(SMFICTX *ctx, char *name, char *value)
{
    mc_io io = make_io(ctx);
    return CONN(ctx) ? map(mc_header(CONN(ctx), &io, name, value)) : SMFIS_CONTINUE;
}

static sfsistat cb_eoh(SMFICTX *ctx)
{
    mc_io io = make_io(ctx);
    return CONN(ctx) ? map(mc_eoh(CONN(ctx), &io)) : SMFIS_CONTINUE;
}

static sfsistat cb_body(SMFICTX *ctx, unsigned char *p, size_t n)
{
    mc_io io = make_io(ctx);
    return CONN(ctx) ? map(mc_body(CONN(ctx), &io, p, n)) : SMFIS_CONTINUE;
}

static bool g_log_eom_time;

static uint64_t usec_now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000000u + (uint64_t)ts.tv_nsec / 1000u;
}

/* With log_eom_time, the time from entering the callback to returning the
 * verdict, message changes sent to the MTA included (testsuite/bench). */
static sfsistat cb_eom(SMFICTX *ctx)
{
    if (!CONN(ctx))
        return SMFIS_CONTINUE;
    uint64_t t0 = g_log_eom_time ? usec_now() : 0;
    const char *q = g_log_eom_time ? smfi_getsymval(ctx, "i") : NULL;
    char qid[64];
    snprintf(qid, sizeof qid, "%s", q ? q : "NOQUEUE");
    mc_io io = make_io(ctx);
    sfsistat r = map(mc_eom(CONN(ctx), &io));
    if (g_log_eom_time)
        mlog(LOG_INFO, "queue=%s eom_usec=%llu", qid, (unsigned long long)(usec_now() - t0));
    return r;
}

static sfsistat cb_abort(SMFICTX *ctx)
{
    if (CONN(ctx))
        mc_abort(CONN(ctx));
    return SMFIS_CONTINUE;
}

static sfsistat cb_close(SMFICTX *ctx)
{
    mc_conn *c = CONN(ctx);
    smfi_setpriv(ctx, NULL);
    mc_close(&c);
    return SMFIS_CONTINUE;
}

/* Asks the MTA for what we use: recipient and header changes, and SKIP
 * (so a filter that reads no body does not make us receive it). */
static sfsistat cb_negotiate(SMFICTX *ctx, unsigned long f0, unsigned long f1,
                             unsigned long f2, unsigned long f3, unsigned long *pf0,
                             unsigned long *pf1, unsigned long *pf2, unsigned long *pf3)
{
    (void)ctx;
    (void)f2;
    (void)f3;
    unsigned long want = SMFIF_ADDRCPT | SMFIF_DELRCPT | SMFIF_ADDHDRS | SMFIF_CHGHDRS;
    if ((f0 & want) != want) {
        mlog(LOG_ERR, "the MTA does not offer recipient and header changes");
        return SMFIS_REJECT;
    }
    *pf0 = want;
    *pf1 = f1 & SMFIP_SKIP;
    t_skip_ok = (f1 & SMFIP_SKIP) != 0;
    *pf2 = *pf3 = 0;
    return SMFIS_CONTINUE;
}

static struct smfiDesc g_desc = {
    .xxfi_name = "sieve-milter",
    .xxfi_version = SMFI_VERSION,
    .xxfi_flags = SMFIF_ADDRCPT | SMFIF_DELRCPT | SMFIF_ADDHDRS | SMFIF_CHGHDRS,
    .xxfi_connect = cb_connect,      /* new connection: per-connection state */
    .xxfi_helo = cb_helo,            /* nothing decided there */
    .xxfi_envfrom = cb_envfrom,      /* new message: settings snapshot */
    .xxfi_envrcpt = cb_envrcpt,      /* script lookup, envelope-only decision, split */
    .xxfi_header = cb_header,        /* buffered when a filter reads headers */
    .xxfi_eoh = cb_eoh,
    .xxfi_body = cb_body,            /* buffered, or SKIP */
    .xxfi_eom = cb_eom,              /* the other filters run; reply and changes */
    .xxfi_abort = cb_abort,          /* message state reset */
    .xxfi_close = cb_close,          /* the one clean-up */
    .xxfi_negotiate = cb_negotiate,
};

/* ---- start-up ------------------------------------------------------------- */

static const char *g_conf_path;
static bool g_conf_explicit;
static char **g_overrides;
static size_t g_noverrides;

static void usage(FILE *f)
{
    fprintf(f,
"Usage: sieve-milter [OPTION]...\n"
"Runs each recipient's compiled Sieve script (sievec output) during the SMTP\n"
"dialogue, as a milter (Postfix smtpd_milters, Sendmail INPUT_MAIL_FILTER).\n"
"\n"
"  -c, --config FILE      configuration file (default " DEFAULT_CONF ",\n"
"                         optional when it does not exist)\n"
"  -o, --set KEY=VALUE    override one setting of the file (repeatable)\n"
"  -p, --socket SPEC      listen on SPEC: unix:/path or inet:port@host\n"
"  -u, --user USER        run as USER once the socket is open\n"
"  -l, --log WHERE        syslog, stderr or none\n"
"  -t, --check            check the configuration and exit\n"
"  -h, --help             this help\n"
"  -V, --version          version\n"
"\n"
"Signals: SIGUSR1 reloads the configuration and drops loaded scripts;\n"
"SIGTERM, SIGINT and SIGHUP stop accepting connections, wait for the\n"
"sessions in flight (stop_timeout) and exit.\n"
"See sieve-milter(8) and sieve-milter.conf(5).\n");
}

static int build_conf(mconf *c, char *err, size_t errlen)
{
    mconf_defaults(c);
    if (g_conf_explicit || access(g_conf_path, F_OK) == 0)
        if (mconf_load_file(c, g_conf_path, err, errlen) != 0)
            return -1;
    for (size_t i = 0; i < g_noverrides; i++) {
        char *kv = strdup(g_overrides[i]);
        char *eq = kv ? strchr(kv, '=') : NULL;
        if (!eq) {
            snprintf(err, errlen, "-o %s: expected KEY=VALUE", g_overrides[i]);
            free(kv);
            return -1;
        }
        *eq = '\0';
        char e[512];
        int rc = mconf_set(c, kv, eq + 1, e, sizeof e);
        free(kv);
        if (rc != 0) {
            snprintf(err, errlen, "-o %s: %s", g_overrides[i], e);
            return -1;
        }
    }
    return mconf_check(c, err, errlen);
}

static void reload(void)
{
    mconf c;
    char err[1024];
    if (build_conf(&c, err, sizeof err) != 0) {
        mlog(LOG_ERR, "reload refused, keeping the running settings: %s", err);
        mconf_free(&c);
        return;
    }
    mc_server_reload(g_srv, &c);
    mconf_free(&c);
    mlog(LOG_NOTICE, "reloaded %s; loaded scripts dropped", g_conf_path);
}

static int g_main_rc;
static pthread_t g_main_thread;

static void *milter_thread(void *arg)
{
    (void)arg;
    g_main_rc = smfi_main();
    /* libmilter stopped by itself (its own signal thread took a signal, or
     * a fatal error): wake the main thread so the process ends too. */
    pthread_kill(g_main_thread, SIGTERM);
    return NULL;
}

static const char *unix_path(const char *sock)
{
    if (!strncmp(sock, "unix:", 5) || !strncmp(sock, "local:", 6))
        return strchr(sock, ':') + 1;
    if (sock[0] == '/')
        return sock;
    return NULL;
}

static int drop_privileges(const char *user, const char *sock, char *err, size_t errlen)
{
    struct passwd *pw = getpwnam(user);
    if (!pw) {
        snprintf(err, errlen, "user %s: no such user", user);
        return -1;
    }
    /* The unix socket was created as root: the MTA talks to it as its own
     * user, and we may need to remove it at the next start. */
    const char *path = unix_path(sock);
    if (path) {
        if (chown(path, pw->pw_uid, pw->pw_gid) != 0) {
            snprintf(err, errlen, "chown %s: %s", path, strerror(errno));
            return -1;
        }
    }
    if (setgid(pw->pw_gid) != 0 || initgroups(pw->pw_name, pw->pw_gid) != 0 ||
        setuid(pw->pw_uid) != 0) {
        snprintf(err, errlen, "cannot become %s: %s", user, strerror(errno));
        return -1;
    }
    if (setuid(0) == 0) {
        snprintf(err, errlen, "privileges were not dropped");
        return -1;
    }
    return 0;
}

int main(int argc, char **argv)
{
    static const struct option opts[] = {
        { "config", required_argument, NULL, 'c' }, { "set", required_argument, NULL, 'o' },
        { "socket", required_argument, NULL, 'p' }, { "user", required_argument, NULL, 'u' },
        { "log", required_argument, NULL, 'l' },    { "check", no_argument, NULL, 't' },
        { "help", no_argument, NULL, 'h' },         { "version", no_argument, NULL, 'V' },
        { NULL, 0, NULL, 0 },
    };
    g_conf_path = DEFAULT_CONF;
    g_overrides = calloc((size_t)argc + 1, sizeof *g_overrides);
    bool check = false;
    int o;
    char *kv;
    while ((o = getopt_long(argc, argv, "c:o:p:u:l:thV", opts, NULL)) != -1) {
        switch (o) {
        case 'c': g_conf_path = optarg; g_conf_explicit = true; break;
        case 'o': g_overrides[g_noverrides++] = optarg; break;
        case 'p':
        case 'u':
        case 'l':
            if (asprintf(&kv, "%s=%s", o == 'p' ? "socket" : o == 'u' ? "user" : "log", optarg) < 0)
                return 1;
            g_overrides[g_noverrides++] = kv;
            break;
        case 't': check = true; break;
        case 'h': usage(stdout); return 0;
        case 'V': printf("sieve-milter %s\n", SIEVEC_VERSION); return 0;
        default: usage(stderr); return 2;
        }
    }
    if (optind < argc) {
        fprintf(stderr, "sieve-milter: unexpected argument '%s'\n", argv[optind]);
        usage(stderr);
        return 2;
    }
    mconf conf;
    char err[1024];
    if (build_conf(&conf, err, sizeof err) != 0) {
        fprintf(stderr, "sieve-milter: %s\n", err);
        return 1;
    }
    if (check) {
        printf("sieve-milter: configuration OK\n");
        mconf_free(&conf);
        return 0;
    }
    mlog_open(conf.log);
    /* A DSN's sendmail that exits early must give an error, not kill us. */
    signal(SIGPIPE, SIG_IGN);
    g_log_eom_time = conf.log_eom_time;

    sieve_load_options lopt = { .key_file = conf.key_file, .cache_dir = conf.cache_dir,
                                .check_owner = conf.check_owner };
    const char *owner = conf.script_owner ? conf.script_owner : conf.user;
    if (owner) {
        struct passwd *pw = getpwnam(owner);
        if (!pw) {
            fprintf(stderr, "sieve-milter: script owner %s: no such user\n", owner);
            return 1;
        }
        lopt.owner = pw->pw_uid;
    } else
        lopt.owner = geteuid();

    /* Blocked in every thread we start: libmilter's signal thread waits
     * for HUP, TERM and INT, ours for USR1; a thread that left one
     * unblocked would take the default action (death) instead. */
    sigset_t set, all;
    sigemptyset(&set);
    sigaddset(&set, SIGUSR1);
    all = set;
    sigaddset(&all, SIGHUP);
    sigaddset(&all, SIGTERM);
    sigaddset(&all, SIGINT);
    pthread_sigmask(SIG_BLOCK, &all, NULL);

    if (smfi_register(g_desc) == MI_FAILURE || smfi_setconn(conf.socket) == MI_FAILURE) {
        fprintf(stderr, "sieve-milter: cannot register with libmilter (socket %s)\n", conf.socket);
        return 1;
    }
    /* Open the socket (removing a stale unix socket) before dropping
     * privileges, so a socket directory owned by root works. */
    if (smfi_opensocket(true) == MI_FAILURE) {
        fprintf(stderr, "sieve-milter: cannot listen on %s\n", conf.socket);
        return 1;
    }
    /* The MTA connects as its own user: the mode is a setting. */
    const char *sp = unix_path(conf.socket);
    if (sp && chmod(sp, conf.socket_mode) != 0) {
        fprintf(stderr, "sieve-milter: chmod %s: %s\n", sp, strerror(errno));
        return 1;
    }
    if (conf.user && drop_privileges(conf.user, conf.socket, err, sizeof err) != 0) {
        fprintf(stderr, "sieve-milter: %s\n", err);
        return 1;
    }
    if (conf.pid_file) {
        FILE *pf = fopen(conf.pid_file, "w");
        if (pf) {
            fprintf(pf, "%ld\n", (long)getpid());
            fclose(pf);
        }
    }
    g_srv = mc_server_new(&conf, &lopt, err, sizeof err);
    if (!g_srv) {
        fprintf(stderr, "sieve-milter: %s\n", err);
        return 1;
    }
    /* libmilter runs in its own thread; this one waits for signals. A
     * process-directed signal goes first to the main thread when it waits
     * for it (Linux), so SIGTERM reaches us rather than libmilter's signal
     * thread, whose stop would leave sessions in flight unserved (Debian's
     * libmilter serves them from a worker pool that stops with it). */
    pthread_t th;
    g_main_thread = pthread_self();
    if (pthread_create(&th, NULL, milter_thread, NULL) != 0) {
        fprintf(stderr, "sieve-milter: cannot start libmilter's thread\n");
        return 1;
    }
    mlog(LOG_NOTICE, "sieve-milter %s listening on %s (layout %s, %s)", SIEVEC_VERSION,
         conf.socket, conf.script_layout,
         conf.multi == MCONF_SPLIT ? "split" : "accept-mixed");
    /* Between signals, the configuration file is watched (its mtime and
     * size, every 2 seconds): an edit reloads it like SIGUSR1. */
    struct stat cst;
    bool have_conf = stat(g_conf_path, &cst) == 0;
    int sig = 0;
    for (;;) {
        struct timespec tick = { 2, 0 };
        sig = sigtimedwait(&all, NULL, &tick);
        if (sig < 0) {
            struct stat now;
            bool have = stat(g_conf_path, &now) == 0;
            if (have && (!have_conf || now.st_mtim.tv_sec != cst.st_mtim.tv_sec ||
                         now.st_mtim.tv_nsec != cst.st_mtim.tv_nsec ||
                         now.st_size != cst.st_size)) {
                mlog(LOG_NOTICE, "%s changed", g_conf_path);
                reload();
            }
            have_conf = have;
            if (have)
                cst = now;
            continue;
        }
        if (sig == SIGUSR1) {
            reload();
            continue;
        }
        break;
    }
    /* Drain: new connections are refused with a temporary failure, the
     * sessions in flight finish (up to stop_timeout), then libmilter
     * stops. */
    atomic_store(&g_draining, true);
    mlog(LOG_NOTICE, "signal %d: stopping after %u session(s) in flight", sig,
         mc_server_inflight(g_srv));
    unsigned waited = 0;
    while (mc_server_inflight(g_srv) > 0 && waited < conf.stop_timeout * 10u) {
        if (waited % 50 == 0)
            mlog(LOG_NOTICE, "stopping: %u session(s) in flight", mc_server_inflight(g_srv));
        struct timespec ts = { 0, 100000000 };
        nanosleep(&ts, NULL);
        waited++;
    }
    unsigned left = mc_server_inflight(g_srv);
    smfi_stop();
    pthread_join(th, NULL);
    mlog(left ? LOG_WARNING : LOG_NOTICE, "stopped (%u session(s) cut off)", left);
    int rc = g_main_rc;
    if (conf.pid_file)
        unlink(conf.pid_file);
    /* libmilter's threads are gone (left sessions were cut off above). */
    if (!left)
        mc_server_free(&g_srv);
    mconf_free(&conf);
    return rc == MI_SUCCESS ? 0 : 1;
}
