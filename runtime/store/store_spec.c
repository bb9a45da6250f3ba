/* store_spec.c: see sieve/store_spec.h. */
#include "sieve/store_spec.h"

#include <ctype.h>
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "store_util.h"

#define MAP_SIZE_MAX ((uint64_t)1 << 40) /* 1 TiB */

static int hexval(int c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    c = tolower(c);
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    return -1;
}

/* Copies [s, s+n) into dst (dstlen bytes with the NUL), decoding %XX.
 * -1 with a message naming `what` when it does not fit, a %-escape is
 * broken or it decodes to a NUL byte. */
static int decode(const char *s, size_t n, char *dst, size_t dstlen, const char *what, char *err,
                  size_t errlen)
{
    size_t o = 0;
    for (size_t i = 0; i < n; i++) {
        int c = (unsigned char)s[i];
        if (c == '%') {
            int hi = i + 1 < n ? hexval((unsigned char)s[i + 1]) : -1;
            int lo = i + 2 < n ? hexval((unsigned char)s[i + 2]) : -1;
            if (hi < 0 || lo < 0 || hi * 16 + lo == 0) {
                store_errf(err, errlen, "store spec: %s: bad %%-escape (or %%00)", what);
                return -1;
            }
            c = hi * 16 + lo;
            i += 2;
        }
        if (o + 1 >= dstlen) {
            store_errf(err, errlen, "store spec: %s longer than %zu bytes", what, dstlen - 1);
            return -1;
        }
        dst[o++] = (char)c;
    }
    dst[o] = '\0';
    return 0;
}

static int parse_uint(const char *v, uint64_t max, uint64_t *out)
{
    if (!isdigit((unsigned char)v[0]))
        return -1;
    errno = 0;
    char *end;
    unsigned long long n = strtoull(v, &end, 10);
    if (errno != 0 || *end != '\0' || n > max)
        return -1;
    *out = n;
    return 0;
}

/* NUMBER[ms|s]; a bare number is milliseconds. */
static int parse_ms0(const char *v, int *out, int min)
{
    char num[32];
    size_t n = strspn(v, "0123456789");
    if (n == 0 || n >= sizeof num)
        return -1;
    memcpy(num, v, n);
    num[n] = '\0';
    uint64_t x;
    if (parse_uint(num, 60000, &x) != 0)
        return -1;
    const char *unit = v + n;
    if (strcmp(unit, "s") == 0)
        x *= 1000;
    else if (strcmp(unit, "ms") != 0 && unit[0] != '\0')
        return -1;
    if (x < (uint64_t)min || x > 60000)
        return -1;
    *out = (int)x;
    return 0;
}

static int parse_ms(const char *v, int *out)
{
    return parse_ms0(v, out, 1);
}

/* NUMBER[K|M|G|T] (binary units); a bare number is bytes. */
static int parse_size(const char *v, size_t *out)
{
    char num[32];
    size_t n = strspn(v, "0123456789");
    if (n == 0 || n >= sizeof num)
        return -1;
    memcpy(num, v, n);
    num[n] = '\0';
    uint64_t x;
    if (parse_uint(num, MAP_SIZE_MAX, &x) != 0)
        return -1;
    const char *unit = v + n;
    unsigned shift = 0;
    if (unit[0] != '\0') {
        const char *units = "KMGT";
        const char *u = strchr(units, toupper((unsigned char)unit[0]));
        if (u == NULL || (unit[1] != '\0' && strcasecmp(unit + 1, "iB") != 0 &&
                          strcasecmp(unit + 1, "B") != 0))
            return -1;
        shift = 10 * (unsigned)(u - units + 1);
    }
    if (x > (MAP_SIZE_MAX >> shift))
        return -1;
    x <<= shift;
    if (x < SIEVE_STORE_LMDB_MAP_MIN || x > SIZE_MAX)
        return -1;
    *out = (size_t)x;
    return 0;
}

static int parse_bool(const char *v, int *out)
{
    if (strcmp(v, "1") == 0 || strcmp(v, "yes") == 0 || strcmp(v, "true") == 0)
        *out = 1;
    else if (strcmp(v, "0") == 0 || strcmp(v, "no") == 0 || strcmp(v, "false") == 0)
        *out = 0;
    else
        return -1;
    return 0;
}

static int bad_value(const char *name, const char *want, char *err, size_t errlen)
{
    store_errf(err, errlen, "store spec: option %s: %s expected", name, want);
    return -1;
}

static int lmdb_option(sieve_store_spec *sp, const char *name, const char *v, char *err,
                       size_t errlen)
{
    if (strcmp(name, "map_size") == 0) {
        if (parse_size(v, &sp->lmdb.map_size) != 0)
            return bad_value(name, "a size from 64K to 1T (e.g. 256M)", err, errlen);
    } else if (strcmp(name, "sync") == 0) {
        if (strcmp(v, "meta") == 0)
            sp->lmdb.sync = SIEVE_STORE_LMDB_SYNC_META;
        else if (strcmp(v, "full") == 0)
            sp->lmdb.sync = SIEVE_STORE_LMDB_SYNC_FULL;
        else if (strcmp(v, "none") == 0)
            sp->lmdb.sync = SIEVE_STORE_LMDB_SYNC_NONE;
        else
            return bad_value(name, "meta, full or none", err, errlen);
    } else if (strcmp(name, "readonly") == 0) {
        if (parse_bool(v, &sp->lmdb.read_only) != 0)
            return bad_value(name, "0 or 1", err, errlen);
    } else {
        store_errf(err, errlen, "store spec: unknown lmdb option '%s'", name);
        return -1;
    }
    return 0;
}

static int redis_option(sieve_store_spec *sp, const char *name, const char *v, char *err,
                        size_t errlen)
{
    sieve_store_redis_options *r = &sp->redis;
    uint64_t n;
    if (strcmp(name, "prefix") == 0) {
        if (strlen(v) >= sizeof sp->prefix)
            return bad_value(name, "at most 128 bytes", err, errlen);
        strcpy(sp->prefix, v);
        sp->has_prefix = 1;
    } else if (strcmp(name, "timeout") == 0) {
        if (parse_ms(v, &r->command_timeout_ms) != 0)
            return bad_value(name, "a duration from 1ms to 60s", err, errlen);
    } else if (strcmp(name, "connect_timeout") == 0) {
        if (parse_ms(v, &r->connect_timeout_ms) != 0)
            return bad_value(name, "a duration from 1ms to 60s", err, errlen);
    } else if (strcmp(name, "retry_after") == 0) {
        int ms;
        if (parse_ms0(v, &ms, 0) != 0)
            return bad_value(name, "a duration from 0 to 60s", err, errlen);
        r->retry_after_ms = ms == 0 ? -1 : ms;
    } else if (strcmp(name, "pool") == 0) {
        if (parse_uint(v, SIEVE_STORE_REDIS_POOL_MAX, &n) != 0 || n < 1)
            return bad_value(name, "1 to 64", err, errlen);
        r->pool = (int)n;
    } else if (strcmp(name, "lazy") == 0) {
        if (parse_bool(v, &r->lazy) != 0)
            return bad_value(name, "0 or 1", err, errlen);
    } else if (strcmp(name, "db") == 0) {
        if (parse_uint(v, 1000000, &n) != 0)
            return bad_value(name, "a database number", err, errlen);
        r->db = (int)n;
    } else if (strcmp(name, "password") == 0) {
        if (strlen(v) >= sizeof sp->password)
            return bad_value(name, "at most 255 bytes", err, errlen);
        strcpy(sp->password, v);
        sp->has_password = 1;
    } else if (strcmp(name, "user") == 0) {
        if (strlen(v) >= sizeof sp->username || v[0] == '\0')
            return bad_value(name, "1 to 255 bytes", err, errlen);
        strcpy(sp->username, v);
        sp->has_username = 1;
    } else {
        store_errf(err, errlen, "store spec: unknown redis option '%s'", name);
        return -1;
    }
    return 0;
}

/* Parses NAME=VALUE&... (q points after the '?'). */
static int parse_options(sieve_store_spec *sp, const char *q, char *err, size_t errlen)
{
    while (*q != '\0') {
        size_t len = strcspn(q, "&");
        const char *eq = memchr(q, '=', len);
        if (eq == NULL || eq == q) {
            store_errf(err, errlen, "store spec: option '%.*s' is not NAME=VALUE", (int)len, q);
            return -1;
        }
        char name[32], value[512];
        if (decode(q, (size_t)(eq - q), name, sizeof name, "option name", err, errlen) != 0 ||
            decode(eq + 1, len - (size_t)(eq - q) - 1, value, sizeof value, "option value", err,
                   errlen) != 0)
            return -1;
        int rc = sp->kind == SIEVE_STORE_KIND_LMDB ? lmdb_option(sp, name, value, err, errlen)
                                                   : redis_option(sp, name, value, err, errlen);
        explicit_bzero(value, sizeof value); /* it may have been the password */
        if (rc != 0)
            return -1;
        q += len;
        if (*q == '&')
            q++;
    }
    return 0;
}

/* [[USER]:PASSWORD@]HOST[:PORT][/DB] in [s, end). */
static int parse_redis_authority(sieve_store_spec *sp, const char *s, const char *end, char *err,
                                 size_t errlen)
{
    /* The last '@' ends the user part, so a password may hold '@' too. */
    const char *at = NULL;
    for (const char *p = s; p < end; p++)
        if (*p == '@')
            at = p;
    if (at != NULL) {
        const char *colon = memchr(s, ':', (size_t)(at - s));
        if (colon == NULL) {
            store_errf(err, errlen, "store spec: redis://USER@ needs :PASSWORD");
            return -1;
        }
        if (colon > s) {
            if (decode(s, (size_t)(colon - s), sp->username, sizeof sp->username, "user name",
                       err, errlen) != 0)
                return -1;
            sp->has_username = 1;
        }
        if (decode(colon + 1, (size_t)(at - colon - 1), sp->password, sizeof sp->password,
                   "password", err, errlen) != 0)
            return -1;
        sp->has_password = 1;
        s = at + 1;
    }
    const char *slash = memchr(s, '/', (size_t)(end - s));
    const char *hostend = slash ? slash : end;
    const char *portp = NULL;
    const char *h = s, *he;
    if (*s == '[') {
        const char *rb = memchr(s, ']', (size_t)(hostend - s));
        if (rb == NULL) {
            store_errf(err, errlen, "store spec: '[' without ']' in the host");
            return -1;
        }
        h = s + 1;
        he = rb;
        if (rb + 1 < hostend) {
            if (rb[1] != ':') {
                store_errf(err, errlen, "store spec: junk after ']' in the host");
                return -1;
            }
            portp = rb + 2;
        }
    } else {
        he = memchr(s, ':', (size_t)(hostend - s));
        if (he != NULL)
            portp = he + 1;
        else
            he = hostend;
    }
    if (he == h) {
        store_errf(err, errlen, "store spec: redis:// without a host");
        return -1;
    }
    for (const char *p = h; p < he; p++) {
        /* A host name, IPv4 or IPv6 address: nothing else belongs here. */
        if (!isalnum((unsigned char)*p) && strchr(".-_:", *p) == NULL) {
            store_errf(err, errlen, "store spec: bad character '%c' in the host", *p);
            return -1;
        }
    }
    if ((size_t)(he - h) >= sizeof sp->host) {
        store_errf(err, errlen, "store spec: host name too long");
        return -1;
    }
    memcpy(sp->host, h, (size_t)(he - h));
    sp->host[he - h] = '\0';
    if (portp != NULL) {
        char num[8];
        uint64_t port;
        size_t n = (size_t)(hostend - portp);
        if (n == 0 || n >= sizeof num) {
            store_errf(err, errlen, "store spec: bad port");
            return -1;
        }
        memcpy(num, portp, n);
        num[n] = '\0';
        if (parse_uint(num, 65535, &port) != 0 || port == 0) {
            store_errf(err, errlen, "store spec: bad port '%s' (1 to 65535)", num);
            return -1;
        }
        sp->redis.port = (int)port;
    }
    if (slash != NULL && slash + 1 < end) {
        char num[16];
        uint64_t db;
        size_t n = (size_t)(end - slash - 1);
        if (n >= sizeof num) {
            store_errf(err, errlen, "store spec: bad database number");
            return -1;
        }
        memcpy(num, slash + 1, n);
        num[n] = '\0';
        if (parse_uint(num, 1000000, &db) != 0) {
            store_errf(err, errlen, "store spec: bad database number '%s'", num);
            return -1;
        }
        sp->redis.db = (int)db;
    }
    return 0;
}

int sieve_store_spec_parse(const char *spec, sieve_store_spec *sp, char *err, size_t errlen)
{
    memset(sp, 0, sizeof *sp);
    if (spec == NULL || spec[0] == '\0') {
        store_errf(err, errlen, "store spec: empty");
        return -1;
    }
    if (strlen(spec) > SIEVE_STORE_SPEC_MAX) {
        store_errf(err, errlen, "store spec: longer than %d bytes", SIEVE_STORE_SPEC_MAX);
        return -1;
    }
    for (const char *p = spec; *p; p++) {
        if ((unsigned char)*p < 0x20 || *p == 0x7f) {
            store_errf(err, errlen, "store spec: control character (use %%XX)");
            return -1;
        }
    }
    const char *rest, *q;
    if (strncmp(spec, "lmdb:", 5) == 0 || spec[0] == '/' || spec[0] == '.') {
        sp->kind = SIEVE_STORE_KIND_LMDB;
        rest = spec[0] == '/' || spec[0] == '.' ? spec : spec + 5;
        if (strncmp(rest, "//", 2) == 0) {
            rest += 2; /* lmdb:///abs/path */
            if (rest[0] != '/') {
                store_errf(err, errlen, "store spec: lmdb:// must be followed by an absolute path");
                return -1;
            }
        }
        q = strchr(rest, '?');
        size_t n = q ? (size_t)(q - rest) : strlen(rest);
        if (n == 0) {
            store_errf(err, errlen, "store spec: lmdb: without a path");
            return -1;
        }
        if (decode(rest, n, sp->path, sizeof sp->path, "path", err, errlen) != 0)
            return -1;
        size_t pl = strlen(sp->path);
        if (sp->path[pl - 1] == '/') {
            store_errf(err, errlen, "store spec: lmdb path %s names a directory, not a file",
                       sp->path);
            return -1;
        }
    } else if (strncmp(spec, "redis://", 8) == 0) {
        sp->kind = SIEVE_STORE_KIND_REDIS;
        rest = spec + 8;
        q = strchr(rest, '?');
        const char *end = q ? q : rest + strlen(rest);
        if (parse_redis_authority(sp, rest, end, err, errlen) != 0)
            return -1;
    } else if (strncmp(spec, "redis+unix:", 11) == 0) {
        sp->kind = SIEVE_STORE_KIND_REDIS;
        rest = spec + 11;
        if (strncmp(rest, "//", 2) == 0)
            rest += 2;
        q = strchr(rest, '?');
        size_t n = q ? (size_t)(q - rest) : strlen(rest);
        if (n == 0) {
            store_errf(err, errlen, "store spec: redis+unix: without a socket path");
            return -1;
        }
        if (decode(rest, n, sp->unix_path, sizeof sp->unix_path, "socket path", err, errlen) !=
            0)
            return -1;
    } else if (strncmp(spec, "rediss://", 9) == 0) {
        store_errf(err, errlen,
                   "store spec: rediss:// (TLS) is not supported: use a unix socket or a "
                   "tunnel");
        return -1;
    } else {
        const char *colon = strchr(spec, ':');
        store_errf(err, errlen,
                   "store spec: unknown kind '%.*s' (lmdb:PATH, redis://HOST[:PORT][/DB] or "
                   "redis+unix:PATH)",
                   colon ? (int)(colon - spec > 32 ? 32 : colon - spec) : 32, spec);
        return -1;
    }
    if (q != NULL && parse_options(sp, q + 1, err, errlen) != 0) {
        explicit_bzero(sp->password, sizeof sp->password);
        return -1;
    }
    if (sp->has_username && !sp->has_password) {
        store_errf(err, errlen, "store spec: a user without a password");
        return -1;
    }
    return 0;
}

sieve_store *sieve_store_spec_open(const sieve_store_spec *sp, char *err, size_t errlen)
{
    if (sp->kind == SIEVE_STORE_KIND_LMDB)
        return sieve_store_lmdb_open(sp->path, &sp->lmdb, err, errlen);
    if (sp->kind == SIEVE_STORE_KIND_REDIS) {
        sieve_store_redis_options o = sp->redis;
        if (sp->unix_path[0] != '\0')
            o.unix_path = sp->unix_path;
        else
            o.host = sp->host;
        o.username = sp->has_username ? sp->username : NULL;
        o.password = sp->has_password ? sp->password : NULL;
        o.prefix = sp->has_prefix ? sp->prefix : NULL;
        return sieve_store_redis_open(&o, err, errlen);
    }
    store_errf(err, errlen, "store spec: not parsed");
    return NULL;
}

sieve_store *sieve_store_open(const char *spec, char *err, size_t errlen)
{
    sieve_store_spec *sp = malloc(sizeof *sp); /* some 5 KiB: not on a thread's stack */
    if (sp == NULL) {
        store_errf(err, errlen, "store spec: out of memory");
        return NULL;
    }
    sieve_store *s = NULL;
    if (sieve_store_spec_parse(spec, sp, err, errlen) == 0)
        s = sieve_store_spec_open(sp, err, errlen);
    explicit_bzero(sp->password, sizeof sp->password);
    free(sp);
    return s;
}

void sieve_store_free(sieve_store **s)
{
    if (s == NULL || *s == NULL)
        return;
    if ((*s)->close != NULL)
        (*s)->close((*s)->data);
    *s = NULL;
}

/* Copies spec to out with what follows "password=" up to '&', and the
 * part between "://...:" and '@', replaced by ***. */
void sieve_store_spec_redact(const char *spec, char *out, size_t outlen)
{
    if (outlen == 0)
        return;
    size_t o = 0;
    const char *p = spec;
    const char *q = strchr(spec, '?');
    const char *auth_end = NULL, *auth_colon = NULL;
    if (strncmp(spec, "redis://", 8) == 0) {
        const char *end = q ? q : spec + strlen(spec);
        for (const char *s = spec + 8; s < end; s++)
            if (*s == '@')
                auth_end = s;
        if (auth_end != NULL)
            auth_colon = memchr(spec + 8, ':', (size_t)(auth_end - spec - 8));
    }
    while (*p != '\0' && o + 1 < outlen) {
        int skip_to_amp = 0;
        if (auth_colon != NULL && p == auth_colon + 1) {
            p = auth_end;
            skip_to_amp = -1;
        } else if (q != NULL && p > q && strncmp(p, "password=", 9) == 0 &&
                   (p[-1] == '?' || p[-1] == '&')) {
            for (int i = 0; i < 9 && o + 1 < outlen; i++)
                out[o++] = *p++;
            p += strcspn(p, "&");
            skip_to_amp = 1;
        }
        if (skip_to_amp != 0) {
            for (const char *r = "***"; *r && o + 1 < outlen; r++)
                out[o++] = *r;
            continue;
        }
        out[o++] = *p++;
    }
    out[o] = '\0';
}
