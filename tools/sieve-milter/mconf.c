/* mconf: see mconf.h. */
#define _GNU_SOURCE
#include "mconf.h"

#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "outmail.h"
#include "sieve/store_spec.h"

void mconf_defaults(mconf *c)
{
    memset(c, 0, sizeof *c);
    c->socket = strdup("unix:/run/sieve-milter/sieve-milter.sock");
    c->socket_mode = 0660;
    c->script_layout = strdup("/var/lib/sieve/%d/%l.so");
    c->subaddress_separators = strdup("+");
    c->fileinto_header = strdup("X-Sieve-Fileinto");
    c->sendmail_command = strdup("/usr/sbin/sendmail");
    c->check_owner = true;
    c->multi = MCONF_SPLIT;
    c->infra = MCONF_INFRA_TEMPFAIL;
    c->log = MCONF_LOG_SYSLOG;
    c->redirect_rate = 20;
    c->max_redirects = 4;
    c->cache_max = 1000;
    c->max_message_bytes = (uint64_t)64 << 20;
    c->stop_timeout = 30;
    c->store = strdup("lmdb:/var/lib/sievec/state.mdb");
    c->store_unreachable = MCONF_STORE_TEMPFAIL;
    c->reply_transport = strdup("smtp:127.0.0.1:25");
    c->reply_queue_max = 10000;
}

static void clear_domains(mconf *c)
{
    for (size_t i = 0; i < c->nredirect_domains; i++)
        free(c->redirect_domains[i]);
    c->nredirect_domains = 0;
}

void mconf_free(mconf *c)
{
    free(c->socket);
    free(c->user);
    free(c->script_layout);
    free(c->default_script);
    free(c->key_file);
    free(c->cache_dir);
    free(c->script_owner);
    free(c->subaddress_separators);
    free(c->fileinto_header);
    free(c->pid_file);
    free(c->sendmail_command);
    free(c->store);
    free(c->reply_transport);
    clear_domains(c);
    memset(c, 0, sizeof *c);
}

static int set_str(char **dst, const char *v)
{
    char *n = *v ? strdup(v) : NULL;
    if (*v && !n)
        return -1;
    free(*dst);
    *dst = n;
    return 0;
}

static int parse_bool(const char *v, bool *b)
{
    if (!strcmp(v, "yes") || !strcmp(v, "true") || !strcmp(v, "1") || !strcmp(v, "on"))
        *b = true;
    else if (!strcmp(v, "no") || !strcmp(v, "false") || !strcmp(v, "0") || !strcmp(v, "off"))
        *b = false;
    else
        return -1;
    return 0;
}

/* Unsigned with an optional K/M/G suffix (powers of 1024). */
static int parse_u64(const char *v, uint64_t max, uint64_t *out)
{
    if (!isdigit((unsigned char)*v))
        return -1;
    errno = 0;
    char *end;
    unsigned long long n = strtoull(v, &end, 10);
    if (errno)
        return -1;
    unsigned shift = 0;
    if (*end == 'K' || *end == 'k')
        shift = 10, end++;
    else if (*end == 'M' || *end == 'm')
        shift = 20, end++;
    else if (*end == 'G' || *end == 'g')
        shift = 30, end++;
    if (*end || n > (max >> shift))
        return -1;
    *out = (uint64_t)n << shift;
    return 0;
}

static int parse_uint(const char *v, unsigned *out)
{
    uint64_t n;
    if (parse_u64(v, 0xffffffffu, &n) != 0)
        return -1;
    *out = (unsigned)n;
    return 0;
}

/* Space- or comma-separated domain list, lower-cased. */
static int parse_domains(mconf *c, const char *v, char *err, size_t errlen)
{
    clear_domains(c);
    const char *p = v;
    while (*p) {
        while (*p == ' ' || *p == ',' || *p == '\t')
            p++;
        size_t n = strcspn(p, " ,\t");
        if (!n)
            break;
        if (c->nredirect_domains == MCONF_MAX_DOMAINS) {
            snprintf(err, errlen, "redirect_domains: more than %d domains", MCONF_MAX_DOMAINS);
            return -1;
        }
        char *d = strndup(p, n);
        if (!d)
            return -1;
        for (char *q = d; *q; q++)
            *q = (char)tolower((unsigned char)*q);
        c->redirect_domains[c->nredirect_domains++] = d;
        p += n;
    }
    return 0;
}

int mconf_set(mconf *c, const char *key, const char *v, char *err, size_t errlen)
{
    bool ok = true;
    char **str = NULL;
    if (!strcmp(key, "socket"))
        str = &c->socket;
    else if (!strcmp(key, "user"))
        str = &c->user;
    else if (!strcmp(key, "script_layout"))
        str = &c->script_layout;
    else if (!strcmp(key, "default_script"))
        str = &c->default_script;
    else if (!strcmp(key, "key_file"))
        str = &c->key_file;
    else if (!strcmp(key, "cache_dir"))
        str = &c->cache_dir;
    else if (!strcmp(key, "script_owner"))
        str = &c->script_owner;
    else if (!strcmp(key, "pid_file"))
        str = &c->pid_file;
    else if (!strcmp(key, "sendmail_command")) {
        ok = v[0] == '/';
        str = &c->sendmail_command;
    } else if (!strcmp(key, "mixed_refusal_notice")) {
        if (!strcmp(v, "log"))
            c->notice = MCONF_NOTICE_LOG;
        else if (!strcmp(v, "dsn"))
            c->notice = MCONF_NOTICE_DSN;
        else
            ok = false;
    }
    else if (!strcmp(key, "store")) {
        if (!strcmp(v, "none")) {
            free(c->store);
            c->store = NULL;
        } else {
            sieve_store_spec spec;
            char e[400];
            if (sieve_store_spec_parse(v, &spec, e, sizeof e) != 0) {
                snprintf(err, errlen, "store: %s", e);
                return -1;
            }
            str = &c->store;
        }
    } else if (!strcmp(key, "store_unreachable")) {
        if (!strcmp(v, "tempfail"))
            c->store_unreachable = MCONF_STORE_TEMPFAIL;
        else if (!strcmp(v, "skip"))
            c->store_unreachable = MCONF_STORE_SKIP;
        else
            ok = false;
    } else if (!strcmp(key, "reply_transport")) {
        om_transport t;
        char e[400];
        if (om_parse(v, c->sendmail_command ? c->sendmail_command : "/", &t, e, sizeof e) != 0 &&
            strcmp(v, "sendmail") != 0) {
            snprintf(err, errlen, "%s", e);
            return -1;
        }
        str = &c->reply_transport;
    } else if (!strcmp(key, "reply_queue_max"))
        ok = parse_uint(v, &c->reply_queue_max) == 0 && c->reply_queue_max > 0;
    else if (!strcmp(key, "subaddress_separators"))
        str = &c->subaddress_separators;
    else if (!strcmp(key, "fileinto_header")) {
        /* A header field name (RFC 5322 3.6.8 ftext, no colon). */
        for (const char *p = v; *p; p++)
            if (*p < 33 || *p > 126 || *p == ':')
                ok = false;
        ok = ok && *v;
        str = &c->fileinto_header;
    } else if (!strcmp(key, "check_owner"))
        ok = parse_bool(v, &c->check_owner) == 0;
    else if (!strcmp(key, "log_eom_time"))
        ok = parse_bool(v, &c->log_eom_time) == 0;
    else if (!strcmp(key, "multi_recipient")) {
        if (!strcmp(v, "split"))
            c->multi = MCONF_SPLIT;
        else if (!strcmp(v, "accept-mixed"))
            c->multi = MCONF_ACCEPT_MIXED;
        else
            ok = false;
    } else if (!strcmp(key, "on_infrastructure_error")) {
        if (!strcmp(v, "tempfail"))
            c->infra = MCONF_INFRA_TEMPFAIL;
        else if (!strcmp(v, "accept"))
            c->infra = MCONF_INFRA_ACCEPT;
        else
            ok = false;
    } else if (!strcmp(key, "log")) {
        if (!strcmp(v, "syslog"))
            c->log = MCONF_LOG_SYSLOG;
        else if (!strcmp(v, "stderr"))
            c->log = MCONF_LOG_STDERR;
        else if (!strcmp(v, "none"))
            c->log = MCONF_LOG_NONE;
        else
            ok = false;
    } else if (!strcmp(key, "redirect_domains"))
        return parse_domains(c, v, err, errlen);
    else if (!strcmp(key, "socket_mode")) {
        char *end;
        unsigned long m = strtoul(v, &end, 8);
        ok = *v && !*end && m <= 0777;
        if (ok)
            c->socket_mode = (unsigned)m;
    } else if (!strcmp(key, "redirect_rate"))
        ok = parse_uint(v, &c->redirect_rate) == 0;
    else if (!strcmp(key, "max_redirects"))
        ok = parse_uint(v, &c->max_redirects) == 0 && c->max_redirects > 0;
    else if (!strcmp(key, "cache_max"))
        ok = parse_uint(v, &c->cache_max) == 0 && c->cache_max > 0;
    else if (!strcmp(key, "stop_timeout"))
        ok = parse_uint(v, &c->stop_timeout) == 0;
    else if (!strcmp(key, "max_message_bytes"))
        ok = parse_u64(v, (uint64_t)1 << 40, &c->max_message_bytes) == 0 && c->max_message_bytes > 0;
    else {
        snprintf(err, errlen, "unknown setting '%s'", key);
        return -1;
    }
    if (ok && str && set_str(str, v) != 0) {
        snprintf(err, errlen, "out of memory");
        return -1;
    }
    if (!ok) {
        snprintf(err, errlen, "%s: invalid value '%s'", key, v);
        return -1;
    }
    return 0;
}

static char *trim(char *s)
{
    while (*s == ' ' || *s == '\t')
        s++;
    size_t n = strlen(s);
    while (n && (s[n - 1] == ' ' || s[n - 1] == '\t' || s[n - 1] == '\r' || s[n - 1] == '\n'))
        s[--n] = '\0';
    return s;
}

int mconf_load_file(mconf *c, const char *path, char *err, size_t errlen)
{
    FILE *f = fopen(path, "r");
    if (!f) {
        snprintf(err, errlen, "%s: %s", path, strerror(errno));
        return -1;
    }
    char line[4096], e[512];
    unsigned lineno = 0;
    int rc = 0;
    while (fgets(line, sizeof line, f)) {
        lineno++;
        if (!strchr(line, '\n') && !feof(f)) {
            snprintf(err, errlen, "%s:%u: line too long", path, lineno);
            rc = -1;
            break;
        }
        char *s = trim(line);
        if (!*s || *s == '#')
            continue;
        char *eq = strchr(s, '=');
        if (!eq) {
            snprintf(err, errlen, "%s:%u: expected 'key = value'", path, lineno);
            rc = -1;
            break;
        }
        *eq = '\0';
        if (mconf_set(c, trim(s), trim(eq + 1), e, sizeof e) != 0) {
            snprintf(err, errlen, "%s:%u: %s", path, lineno, e);
            rc = -1;
            break;
        }
    }
    fclose(f);
    return rc;
}

static char *dup_or_null(const char *s)
{
    return s ? strdup(s) : NULL;
}

int mconf_copy(mconf *d, const mconf *s)
{
    *d = *s;
    d->socket = dup_or_null(s->socket);
    d->user = dup_or_null(s->user);
    d->script_layout = dup_or_null(s->script_layout);
    d->default_script = dup_or_null(s->default_script);
    d->key_file = dup_or_null(s->key_file);
    d->cache_dir = dup_or_null(s->cache_dir);
    d->script_owner = dup_or_null(s->script_owner);
    d->subaddress_separators = dup_or_null(s->subaddress_separators);
    d->fileinto_header = dup_or_null(s->fileinto_header);
    d->pid_file = dup_or_null(s->pid_file);
    d->sendmail_command = dup_or_null(s->sendmail_command);
    d->store = dup_or_null(s->store);
    d->reply_transport = dup_or_null(s->reply_transport);
    for (size_t i = 0; i < s->nredirect_domains; i++)
        d->redirect_domains[i] = dup_or_null(s->redirect_domains[i]);
    return 0;
}

int mconf_check(const mconf *c, char *err, size_t errlen)
{
    if (!c->script_layout || c->script_layout[0] != '/') {
        snprintf(err, errlen, "script_layout must be an absolute path");
        return -1;
    }
    if (!strstr(c->script_layout, "%l") && !strstr(c->script_layout, "%u")) {
        snprintf(err, errlen, "script_layout must contain %%l or %%u (one script per user)");
        return -1;
    }
    if (c->default_script && c->default_script[0] != '/') {
        snprintf(err, errlen, "default_script must be an absolute path");
        return -1;
    }
    if (!c->socket || !*c->socket) {
        snprintf(err, errlen, "socket is not set");
        return -1;
    }
    return 0;
}
