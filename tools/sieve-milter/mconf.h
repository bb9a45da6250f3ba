/* mconf: sieve-milter's settings, read from a key = value file
 * (sieve-milter.conf(5)) and overridden by command-line options.
 *
 * An mconf is a plain value: mconf_defaults() fills one, mconf_load_file()
 * and mconf_set() change fields, mconf_free() releases the strings it owns.
 * After start-up a loaded mconf is never changed in place: a reload builds a
 * new one (mcore swaps it), so a message in flight keeps the settings it
 * started with. Not thread-safe while being built.
 */
#ifndef SIEVE_MILTER_MCONF_H
#define SIEVE_MILTER_MCONF_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef enum { MCONF_SPLIT, MCONF_ACCEPT_MIXED } mconf_multi;
typedef enum { MCONF_INFRA_TEMPFAIL, MCONF_INFRA_ACCEPT } mconf_infra;
typedef enum { MCONF_NOTICE_LOG, MCONF_NOTICE_DSN } mconf_notice;
typedef enum { MCONF_LOG_SYSLOG, MCONF_LOG_STDERR, MCONF_LOG_NONE } mconf_log;
typedef enum { MCONF_STORE_TEMPFAIL, MCONF_STORE_SKIP } mconf_store_policy;

#define MCONF_MAX_DOMAINS 64

typedef struct mconf {
    char *socket;            /* libmilter spec: unix:/path, inet:port@host */
    unsigned socket_mode;    /* permissions of a unix socket (octal) */
    char *user;              /* drop privileges to this user; NULL: stay */
    char *script_layout;     /* path of a recipient's .so: %d %l %u %% */
    char *default_script;    /* .so for recipients without one; NULL: keep */
    char *key_file;          /* MAC key; NULL: the loader's default */
    char *cache_dir;         /* loader cache; NULL: the loader's default */
    char *script_owner;      /* user that must own the .so files; NULL: us */
    bool check_owner;
    char *subaddress_separators; /* "+" */
    char *fileinto_header;   /* "X-Sieve-Fileinto" */
    mconf_multi multi;
    mconf_infra infra;
    mconf_notice notice;     /* accept-mixed: how the sender learns */
    char *sendmail_command;  /* submits DSNs: "/usr/sbin/sendmail" */
    mconf_log log;
    char *redirect_domains[MCONF_MAX_DOMAINS]; /* "*" allows any */
    size_t nredirect_domains;
    unsigned redirect_rate;  /* redirects per user per hour; 0: no limit */
    unsigned max_redirects;  /* per run (the runtime's redirect limit) */
    unsigned cache_max;      /* loaded filters kept (LRU) */
    uint64_t max_message_bytes; /* larger messages are kept unfiltered */
    unsigned stop_timeout;   /* seconds to wait for sessions at stop */
    bool log_eom_time;       /* log microseconds spent per end of message */
    char *pid_file;
    /* Outgoing mail and state (vacation, notify, duplicate): read once at
     * start; a reload keeps the store and the transport it started with. */
    char *store;             /* sieve/store_spec.h; NULL ("none"): no memory */
    mconf_store_policy store_unreachable;
    char *reply_transport;   /* outmail.h: smtp:HOST[:PORT] or sendmail */
    unsigned reply_queue_max; /* replies waiting to be sent */
} mconf;

void mconf_defaults(mconf *c);
void mconf_free(mconf *c);
/* Sets one key from its text value (the file's and -o's syntax). */
int mconf_set(mconf *c, const char *key, const char *value, char *err, size_t errlen);
/* Reads a file: `key = value` lines, `#` comments, blank lines. Errors name
 * the file and line. */
int mconf_load_file(mconf *c, const char *path, char *err, size_t errlen);
/* Deep copy (for reload: defaults + file + the same command-line -o). */
int mconf_copy(mconf *dst, const mconf *src);
/* Checks the combination is usable (layout present, ...). */
int mconf_check(const mconf *c, char *err, size_t errlen);

#endif
