/* loader: turns a .so path into a verified, loaded, prepared sieve_filter.
 * See "Loading compiled code safely" in DESIGN.md and sieve_filter_load()
 * in sieve/sieve.h. The order matters: nothing reaches dlopen before the
 * owner, the MAC and the ELF shape were checked on the bytes that dlopen
 * will map (a private, content-addressed copy that nobody else can write).
 */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <errno.h>
#include <fcntl.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "elfcheck.h"
#include "mac.h"
#include "program.h"
#include "sha256.h"
#include "sieve/sieve.h"

/* A compiled filter of a few thousand rules is well under 1 MiB; this only
 * stops a hostile file from making us read gigabytes. */
#define MAX_OBJECT_BYTES ((size_t)64 * 1024 * 1024)

struct sieve_filter {
    atomic_uint refs;
    void *handle;                      /* NULL for rt_filter_from_descriptor */
    const sieve_abi_descriptor *desc;
    rt_program *program;
    char id[2 * RT_SHA256_BYTES + 1];
};

static int read_fd(int fd, size_t size, unsigned char **buf_r)
{
    unsigned char *buf = malloc(size ? size : 1);
    if (!buf)
        return -1;
    size_t got = 0;
    while (got < size) {
        ssize_t n = read(fd, buf + got, size - got);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0) {
            free(buf);
            return -1;
        }
        got += (size_t)n;
    }
    *buf_r = buf;
    return 0;
}

static int default_cache_dir(char *buf, size_t buflen)
{
    const char *env = getenv("SIEVEC_CACHE_DIR");
    const char *xdg = getenv("XDG_RUNTIME_DIR");
    int n;
    if (env && *env == '/')
        n = snprintf(buf, buflen, "%s", env);
    else if (xdg && *xdg == '/')
        n = snprintf(buf, buflen, "%s/sievec", xdg);
    else
        n = snprintf(buf, buflen, "/tmp/sievec-%u", (unsigned)geteuid());
    return n < 0 || (size_t)n >= buflen ? -1 : 0;
}

/* The cache directory must be ours alone: whoever can write into it could
 * swap an object between our check and dlopen. */
static int ensure_cache_dir(const char *dir, char *err, size_t errlen)
{
    if (mkdir(dir, 0700) != 0 && errno != EEXIST) {
        snprintf(err, errlen, "cache directory %s: %s", dir, strerror(errno));
        return -1;
    }
    struct stat st;
    if (lstat(dir, &st) != 0 || !S_ISDIR(st.st_mode)) {
        snprintf(err, errlen, "cache directory %s: not a directory", dir);
        return -1;
    }
    if (st.st_uid != geteuid() || (st.st_mode & 077)) {
        snprintf(err, errlen, "cache directory %s: must be owned by uid %u with mode 0700",
                 dir, (unsigned)geteuid());
        return -1;
    }
    return 0;
}

/* Writes the verified bytes under their content hash, unless an earlier
 * load already did (same name means same bytes). */
static int place_copy(const char *dir, const char *id, const unsigned char *buf, size_t len,
                      char *path, size_t pathlen, char *err, size_t errlen)
{
    if ((size_t)snprintf(path, pathlen, "%s/%s.so", dir, id) >= pathlen) {
        snprintf(err, errlen, "cache path too long");
        return -1;
    }
    struct stat st;
    if (lstat(path, &st) == 0 && S_ISREG(st.st_mode) && (size_t)st.st_size == len &&
        st.st_uid == geteuid())
        return 0;
    char tmp[4200];
    snprintf(tmp, sizeof tmp, "%s/.%s.XXXXXX", dir, id);
    int fd = mkostemp(tmp, O_CLOEXEC);
    if (fd < 0) {
        snprintf(err, errlen, "cache directory %s: %s", dir, strerror(errno));
        return -1;
    }
    size_t done = 0;
    while (done < len) {
        ssize_t n = write(fd, buf + done, len - done);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            break;
        done += (size_t)n;
    }
    int ok = done == len && fchmod(fd, 0500) == 0;
    ok = close(fd) == 0 && ok;
    if (!ok || rename(tmp, path) != 0) {
        snprintf(err, errlen, "cannot write %s: %s", path, strerror(errno));
        unlink(tmp);
        return -1;
    }
    return 0;
}

static int check_descriptor(const sieve_abi_descriptor *d, void *handle, char *err, size_t errlen)
{
    if (d->magic != SIEVE_ABI_MAGIC) {
        snprintf(err, errlen, "descriptor has the wrong magic number");
        return -1;
    }
    if (d->abi_version != SIEVE_ABI_VERSION) {
        snprintf(err, errlen, "compiled for runtime ABI version %u, this runtime speaks version %u: "
                 "recompile the script with this sievec", d->abi_version, SIEVE_ABI_VERSION);
        return -1;
    }
    if (d->descriptor_size < sizeof *d || !d->entry || !d->meta || d->meta_words < SIEVE_META_HEADER_WORDS ||
        !d->compiler_version || !d->target_cpu || !d->target_features || !d->source_sha256) {
        snprintf(err, errlen, "descriptor is incomplete");
        return -1;
    }
    /* Every pointer must lead into the object itself. */
    Dl_info self, other;
    if (handle && (!dladdr(d, &self) || !dladdr((const void *)d->entry, &other) ||
                   self.dli_fbase != other.dli_fbase || !dladdr(d->meta, &other) ||
                   self.dli_fbase != other.dli_fbase)) {
        snprintf(err, errlen, "descriptor points outside its object");
        return -1;
    }
    if (d->flags & SIEVE_FLAG_CPU_SPECIFIC) {
        /* Features are recorded as LLVM spells them; check those the host
         * reports to the compiler's builtin. An unknown feature passes: the
         * object was compiled on a host that had it. */
#if defined(__x86_64__)
        static const char *const names[] = {
            "+avx", "+avx2", "+avx512f", "+sse4.1", "+sse4.2",
            "+ssse3", "+bmi", "+bmi2", "+popcnt", "+fma",
        };
        const int have[sizeof names / sizeof names[0]] = {
            __builtin_cpu_supports("avx"), __builtin_cpu_supports("avx2"),
            __builtin_cpu_supports("avx512f"), __builtin_cpu_supports("sse4.1"),
            __builtin_cpu_supports("sse4.2"), __builtin_cpu_supports("ssse3"),
            __builtin_cpu_supports("bmi"), __builtin_cpu_supports("bmi2"),
            __builtin_cpu_supports("popcnt"), __builtin_cpu_supports("fma"),
        };
        for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
            const char *p = strstr(d->target_features, names[i]);
            size_t n = strlen(names[i]);
            if (p && (p[n] == ',' || p[n] == '\0') && !have[i]) {
                snprintf(err, errlen, "compiled for CPU '%s' with %s, which this host lacks: "
                         "recompile without -mcpu", d->target_cpu, names[i] + 1);
                return -1;
            }
        }
#endif
    }
    return 0;
}

int sieve_filter_load(const char *path, const sieve_load_options *opt,
                      sieve_filter **filter_r, char *err, size_t errlen)
{
    static const sieve_load_options defaults = { 0 };
    if (!opt)
        opt = &defaults;
    *filter_r = NULL;
    char buf[256];

    int fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
    if (fd < 0) {
        snprintf(err, errlen, "%s: %s", path, errno == ELOOP ? "is a symbolic link (refused)" : strerror(errno));
        return -1;
    }
    struct stat st;
    if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
        snprintf(err, errlen, "%s: not a regular file", path);
        close(fd);
        return -1;
    }
    if (opt->check_owner && st.st_uid != opt->owner) {
        snprintf(err, errlen, "%s: owned by uid %u, expected uid %u", path, (unsigned)st.st_uid,
                 (unsigned)opt->owner);
        close(fd);
        return -1;
    }
    if (st.st_mode & 022) {
        snprintf(err, errlen, "%s: writable by group or others (mode %03o): refused", path,
                 (unsigned)(st.st_mode & 0777));
        close(fd);
        return -1;
    }
    if ((size_t)st.st_size > MAX_OBJECT_BYTES) {
        snprintf(err, errlen, "%s: larger than %zu bytes: not a compiled filter", path, MAX_OBJECT_BYTES);
        close(fd);
        return -1;
    }
    unsigned char *bytes;
    size_t len = (size_t)st.st_size;
    int rc = read_fd(fd, len, &bytes);
    close(fd);
    if (rc != 0) {
        snprintf(err, errlen, "%s: cannot read: %s", path, strerror(errno ? errno : EIO));
        return -1;
    }

    char keypath[4096];
    uint8_t key[SIEVE_KEY_BYTES];
    if (opt->key_file)
        snprintf(keypath, sizeof keypath, "%s", opt->key_file);
    else if (sieve_key_path(keypath, sizeof keypath, false, buf, sizeof buf) != 0) {
        snprintf(err, errlen, "%s: cannot verify: %s", path, buf);
        free(bytes);
        return -1;
    }
    if (sieve_key_read(keypath, key, buf, sizeof buf) != 0) {
        snprintf(err, errlen, "%s: cannot verify: %s", path, buf);
        free(bytes);
        return -1;
    }
    size_t payload;
    rc = rt_mac_verify(bytes, len, key, &payload, buf, sizeof buf);
    memset(key, 0, sizeof key);
    if (rc != 0 || rt_elf_check(bytes, payload, buf, sizeof buf) != 0) {
        snprintf(err, errlen, "%s: refused: %s", path, buf);
        free(bytes);
        return -1;
    }

    uint8_t digest[RT_SHA256_BYTES];
    char id[2 * RT_SHA256_BYTES + 1], dir[4096], copy[4400];
    rt_sha256(bytes, len, digest);
    rt_hex(digest, sizeof digest, id);
    if (opt->cache_dir)
        snprintf(dir, sizeof dir, "%s", opt->cache_dir);
    else if (default_cache_dir(dir, sizeof dir) != 0) {
        snprintf(err, errlen, "cache directory path too long");
        free(bytes);
        return -1;
    }
    if (ensure_cache_dir(dir, err, errlen) != 0 ||
        place_copy(dir, id, bytes, payload, copy, sizeof copy, err, errlen) != 0) {
        free(bytes);
        return -1;
    }
    free(bytes);

    void *handle = dlopen(copy, RTLD_NOW | RTLD_LOCAL);
    if (!handle) {
        const char *why = dlerror();
        snprintf(err, errlen, "%s: dlopen failed: %s", path, why ? why : "unknown error");
        return -1;
    }
    const sieve_abi_descriptor *desc = dlsym(handle, SIEVE_ABI_DESCRIPTOR_SYMBOL);
    if (!desc) {
        snprintf(err, errlen, "%s: no descriptor symbol", path);
        dlclose(handle);
        return -1;
    }
    if (check_descriptor(desc, handle, buf, sizeof buf) != 0) {
        snprintf(err, errlen, "%s: %s", path, buf);
        dlclose(handle);
        return -1;
    }
    sieve_filter *f = calloc(1, sizeof *f);
    if (!f) {
        snprintf(err, errlen, "out of memory");
        dlclose(handle);
        return -1;
    }
    if (rt_program_prepare(desc, &f->program, buf, sizeof buf) != 0) {
        snprintf(err, errlen, "%s: %s", path, buf);
        dlclose(handle);
        free(f);
        return -1;
    }
    atomic_init(&f->refs, 1);
    f->handle = handle;
    f->desc = desc;
    memcpy(f->id, id, sizeof id);
    *filter_r = f;
    return 0;
}

int rt_filter_from_descriptor(const sieve_abi_descriptor *desc, sieve_filter **filter_r,
                              char *err, size_t errlen)
{
    *filter_r = NULL;
    if (check_descriptor(desc, NULL, err, errlen) != 0)
        return -1;
    sieve_filter *f = calloc(1, sizeof *f);
    if (!f) {
        snprintf(err, errlen, "out of memory");
        return -1;
    }
    if (rt_program_prepare(desc, &f->program, err, errlen) != 0) {
        free(f);
        return -1;
    }
    atomic_init(&f->refs, 1);
    f->desc = desc;
    uint8_t digest[RT_SHA256_BYTES];
    rt_sha256(desc->source_sha256, RT_SHA256_BYTES, digest);
    rt_hex(digest, sizeof digest, f->id);
    *filter_r = f;
    return 0;
}

void sieve_filter_ref(sieve_filter *f)
{
    atomic_fetch_add_explicit(&f->refs, 1, memory_order_relaxed);
}

void sieve_filter_unref(sieve_filter **f_r)
{
    sieve_filter *f = *f_r;
    if (!f)
        return;
    *f_r = NULL;
    if (atomic_fetch_sub_explicit(&f->refs, 1, memory_order_acq_rel) != 1)
        return;
    rt_program_free(&f->program);
    if (f->handle)
        dlclose(f->handle);
    free(f);
}

const sieve_abi_descriptor *sieve_filter_descriptor(const sieve_filter *f)
{
    return f->desc;
}

const char *sieve_filter_id(const sieve_filter *f)
{
    return f->id;
}

const rt_program *rt_filter_program(const sieve_filter *f)
{
    return f->program;
}
