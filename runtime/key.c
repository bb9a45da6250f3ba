/* The MAC key file: where it is, how it is read, and (for sievec only) how
 * a personal one is created. See sieve_key_path() in sieve/sieve.h. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <sys/stat.h>
#include <unistd.h>

#include "sha256.h"
#include "rt_str.h"
#include "sieve/sieve.h"

#define SYSTEM_KEY "/etc/sievec/mac.key"

static int personal_key_path(char *buf, size_t buflen, char *err, size_t errlen)
{
    const char *xdg = getenv("XDG_CONFIG_HOME");
    const char *home = getenv("HOME");
    int n;
    if (xdg && *xdg == '/')
        n = snprintf(buf, buflen, "%s/sievec/mac.key", xdg);
    else if (home && *home == '/')
        n = snprintf(buf, buflen, "%s/.config/sievec/mac.key", home);
    else {
        snprintf(err, errlen, "no MAC key: set SIEVEC_KEY_FILE, or create %s", SYSTEM_KEY);
        return -1;
    }
    if (n < 0 || (size_t)n >= buflen) {
        snprintf(err, errlen, "key file path too long");
        return -1;
    }
    return 0;
}

/* mkdir -p for the parent of path, mode 0700 for what it creates. */
static int make_parent(char *path, char *err, size_t errlen)
{
    char *slash = strrchr(path, '/');
    if (!slash || slash == path)
        return 0;
    *slash = '\0';
    struct stat st;
    int rc = 0;
    if (stat(path, &st) != 0) {
        rc = make_parent(path, err, errlen);
        if (rc == 0 && mkdir(path, 0700) != 0 && errno != EEXIST) {
            snprintf(err, errlen, "%s: %s", path, strerror(errno));
            rc = -1;
        }
    }
    *slash = '/';
    return rc;
}

static int create_key(const char *path, char *err, size_t errlen)
{
    char tmp[4096];
    if (strlen(path) + 1 > sizeof tmp) {
        snprintf(err, errlen, "key file path too long");
        return -1;
    }
    strcpy(tmp, path);
    if (make_parent(tmp, err, errlen) != 0)
        return -1;
    uint8_t key[SIEVE_KEY_BYTES];
    if (getrandom(key, sizeof key, 0) != (ssize_t)sizeof key) {
        snprintf(err, errlen, "cannot get random bytes for a key: %s", strerror(errno));
        return -1;
    }
    char hex[2 * SIEVE_KEY_BYTES + 2];
    rt_hex(key, sizeof key, hex);
    strcat(hex, "\n");
    int fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, 0600);
    if (fd < 0) {
        if (errno == EEXIST)
            return 0;  /* another sievec made it first: use theirs */
        snprintf(err, errlen, "%s: %s", path, strerror(errno));
        return -1;
    }
    ssize_t w = write(fd, hex, strlen(hex));
    int ok = w == (ssize_t)strlen(hex) && fsync(fd) == 0;
    close(fd);
    if (!ok) {
        unlink(path);
        snprintf(err, errlen, "%s: cannot write the key", path);
        return -1;
    }
    return 0;
}

int sieve_key_path(char *buf, size_t buflen, bool create, char *err, size_t errlen)
{
    const char *env = getenv("SIEVEC_KEY_FILE");
    if (env && *env) {
        if ((size_t)snprintf(buf, buflen, "%s", env) >= buflen) {
            snprintf(err, errlen, "SIEVEC_KEY_FILE is too long");
            return -1;
        }
        return 0;
    }
    if (access(SYSTEM_KEY, F_OK) == 0) {
        snprintf(buf, buflen, "%s", SYSTEM_KEY);
        return 0;
    }
    if (personal_key_path(buf, buflen, err, errlen) != 0)
        return -1;
    if (access(buf, F_OK) == 0)
        return 0;
    if (!create) {
        snprintf(err, errlen, "no MAC key: %s does not exist (sievec creates it; or set SIEVEC_KEY_FILE)", buf);
        return -1;
    }
    return create_key(buf, err, errlen);
}

/* A key file holds 64 hex digits (and optional trailing whitespace) or 32
 * raw bytes. Anything readable by group or others is refused: whoever can
 * read the key can make the milter run their code. */
int sieve_key_read(const char *path, uint8_t key[SIEVE_KEY_BYTES], char *err, size_t errlen)
{
    int fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
    if (fd < 0) {
        snprintf(err, errlen, "key file %s: %s", path, strerror(errno));
        return -1;
    }
    struct stat st;
    if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
        snprintf(err, errlen, "key file %s: not a regular file", path);
        close(fd);
        return -1;
    }
    if (st.st_mode & 077) {
        snprintf(err, errlen, "key file %s: readable or writable by group or others (mode %03o); chmod 600 it",
                 path, (unsigned)(st.st_mode & 0777));
        close(fd);
        return -1;
    }
    char buf[200];
    ssize_t n = read(fd, buf, sizeof buf);
    close(fd);
    if (n == SIEVE_KEY_BYTES) {
        memcpy(key, buf, SIEVE_KEY_BYTES);
        return 0;
    }
    if (n >= 2 * SIEVE_KEY_BYTES) {
        bool ok = true;
        for (ssize_t i = 2 * SIEVE_KEY_BYTES; i < n; i++)
            if (buf[i] != '\n' && buf[i] != '\r' && buf[i] != ' ')
                ok = false;
        for (int i = 0; ok && i < SIEVE_KEY_BYTES; i++) {
            int hi = rt_hexval((unsigned char)buf[2 * i]), lo = rt_hexval((unsigned char)buf[2 * i + 1]);
            if (hi < 0 || lo < 0)
                ok = false;
            else
                key[i] = (uint8_t)(hi << 4 | lo);
        }
        if (ok)
            return 0;
    }
    snprintf(err, errlen, "key file %s: expected 64 hex digits or 32 bytes", path);
    return -1;
}
