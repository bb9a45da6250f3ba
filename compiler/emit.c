/* The emitter: target machine, passes, IR/object output, linking with the
 * system linker, MAC signing, temp + rename. Contract in emit.h. */
#define _GNU_SOURCE 1  /* mkostemp, pipe2 */
#include "emit_llvm.h"

#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <pthread.h>
#include <signal.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <llvm-c/Analysis.h>
#include <llvm-c/Error.h>
#include <llvm-c/Target.h>
#include <llvm-c/Transforms/PassBuilder.h>

#include "mac.h"

#ifndef SIEVEC_LLVM_VERSION
#define SIEVEC_LLVM_VERSION "unknown"
#endif
#ifndef SIEVEC_DEFAULT_LD
#define SIEVEC_DEFAULT_LD "ld"
#endif

extern char **environ;

static pthread_once_t init_once = PTHREAD_ONCE_INIT;
static int init_status;

/* Target registration is process-wide in LLVM; do it once. */
static void init_llvm(void)
{
    init_status = 0;
    if (LLVMInitializeNativeTarget() != 0 || LLVMInitializeNativeAsmPrinter() != 0)
        init_status = -1;
}

const char *emit_llvm_version(void) { return SIEVEC_LLVM_VERSION; }

static char *xstrdup(const char *s)
{
    char *c = strdup(s ? s : "");
    if (!c) {
        fputs("sievec: out of memory\n", stderr);
        abort();
    }
    return c;
}

int emit_unit_new(const char *module_name, const emit_target *target, emit_unit **unit_r,
                  char *err, size_t errlen)
{
    *unit_r = NULL;
    pthread_once(&init_once, init_llvm);
    if (init_status != 0) {
        snprintf(err, errlen, "LLVM has no native target for this host");
        return -1;
    }
    emit_unit *u = calloc(1, sizeof *u);
    if (!u) {
        snprintf(err, errlen, "out of memory");
        return -1;
    }
    u->opt_level = target->opt_level > 3 ? 3 : target->opt_level;
    u->triple = LLVMGetDefaultTargetTriple();

    const char *cpu = target->cpu;
    if (!cpu || !*cpu || strcmp(cpu, "generic") == 0) {
        u->cpu = xstrdup("generic");
        u->features = xstrdup("");
    } else if (strcmp(cpu, "native") == 0) {
        char *name = LLVMGetHostCPUName();
        char *feat = LLVMGetHostCPUFeatures();
        u->cpu = xstrdup(name);
        u->features = xstrdup(feat);
        LLVMDisposeMessage(name);
        LLVMDisposeMessage(feat);
        u->cpu_specific = true;
    } else {
        /* LLVM aborts the process on some unknown CPU names, and the C API
         * cannot tell which names it knows or which features a named CPU
         * implies (the loader needs them to refuse a host without them). */
        snprintf(err, errlen, "unsupported CPU '%s': use -mcpu=generic or -mcpu=native", cpu);
        emit_unit_free(&u);
        return -1;
    }

    LLVMTargetRef t = NULL;
    char *msg = NULL;
    if (LLVMGetTargetFromTriple(u->triple, &t, &msg) != 0) {
        snprintf(err, errlen, "no LLVM target for %s: %s", u->triple, msg ? msg : "?");
        LLVMDisposeMessage(msg);
        emit_unit_free(&u);
        return -1;
    }
    static const LLVMCodeGenOptLevel levels[] = {
        LLVMCodeGenLevelNone, LLVMCodeGenLevelLess, LLVMCodeGenLevelDefault, LLVMCodeGenLevelAggressive,
    };
    /* PIC: the object becomes a shared object the milter dlopens. */
    u->target = t;
    u->tm = LLVMCreateTargetMachine(t, u->triple, u->cpu, u->features, levels[u->opt_level],
                                    LLVMRelocPIC, LLVMCodeModelDefault);
    if (!u->tm) {
        snprintf(err, errlen, "LLVM cannot make a target machine for %s, CPU '%s'", u->triple, u->cpu);
        emit_unit_free(&u);
        return -1;
    }
    u->ctx = LLVMContextCreate();
    u->mod = LLVMModuleCreateWithNameInContext(module_name, u->ctx);
    u->builder = LLVMCreateBuilderInContext(u->ctx);
    LLVMSetTarget(u->mod, u->triple);
    LLVMTargetDataRef dl = LLVMCreateTargetDataLayout(u->tm);
    char *dls = LLVMCopyStringRepOfTargetData(dl);
    LLVMSetDataLayout(u->mod, dls);
    LLVMDisposeMessage(dls);
    LLVMDisposeTargetData(dl);
    *unit_r = u;
    return 0;
}

void emit_unit_free(emit_unit **unit_r)
{
    emit_unit *u = *unit_r;
    if (!u)
        return;
    if (u->builder)
        LLVMDisposeBuilder(u->builder);
    if (u->mod)
        LLVMDisposeModule(u->mod);
    if (u->ctx)
        LLVMContextDispose(u->ctx);
    if (u->tm)
        LLVMDisposeTargetMachine(u->tm);
    if (u->triple)
        LLVMDisposeMessage(u->triple);
    free(u->cpu);
    free(u->features);
    free(u);
    *unit_r = NULL;
}

int emit_prefer_fast_isel(emit_unit *u, char *err, size_t errlen)
{
    if (u->opt_level == 0)
        return 0;   /* already the fast path */
    LLVMTargetMachineRef tm = LLVMCreateTargetMachine(u->target, u->triple, u->cpu, u->features,
                                                      LLVMCodeGenLevelNone, LLVMRelocPIC,
                                                      LLVMCodeModelDefault);
    if (!tm) {
        snprintf(err, errlen, "LLVM cannot make a target machine for %s, CPU '%s'", u->triple, u->cpu);
        return -1;
    }
    LLVMDisposeTargetMachine(u->tm);
    u->tm = tm;
    return 0;
}

const char *emit_triple(const emit_unit *u) { return u->triple; }
const char *emit_cpu(const emit_unit *u) { return u->cpu; }
const char *emit_features(const emit_unit *u) { return u->features; }
bool emit_cpu_specific(const emit_unit *u) { return u->cpu_specific; }

int emit_optimize(emit_unit *u, char *err, size_t errlen)
{
    char *msg = NULL;
    if (LLVMVerifyModule(u->mod, LLVMReturnStatusAction, &msg) != 0) {
        snprintf(err, errlen, "internal error: the generated module does not verify: %s",
                 msg ? msg : "?");
        LLVMDisposeMessage(msg);
        return -1;
    }
    LLVMDisposeMessage(msg);
    char pipeline[32];
    snprintf(pipeline, sizeof pipeline, "default<O%u>", u->opt_level);
    LLVMPassBuilderOptionsRef po = LLVMCreatePassBuilderOptions();
    LLVMErrorRef e = LLVMRunPasses(u->mod, pipeline, u->tm, po);
    LLVMDisposePassBuilderOptions(po);
    if (e) {
        char *em = LLVMGetErrorMessage(e);
        snprintf(err, errlen, "LLVM passes failed: %s", em);
        LLVMDisposeErrorMessage(em);
        return -1;
    }
    return 0;
}

/* ---- Files -------------------------------------------------------------- */

/* A temp file beside out ("DIR/.BASE.XXXXXX"), so rename() is atomic. */
static int make_temp(const char *out, const char *suffix_tag, char **path_r, char *err, size_t errlen)
{
    *path_r = NULL;
    char *copy1 = xstrdup(out), *copy2 = xstrdup(out);
    const char *dir = dirname(copy1), *base = basename(copy2);
    size_t n = strlen(dir) + strlen(base) + strlen(suffix_tag) + 16;
    char *p = malloc(n);
    if (!p) {
        free(copy1);
        free(copy2);
        snprintf(err, errlen, "out of memory");
        return -1;
    }
    snprintf(p, n, "%s/.%s%s.XXXXXX", dir, base, suffix_tag);
    free(copy1);
    free(copy2);
    int fd = mkostemp(p, O_CLOEXEC);
    if (fd < 0) {
        snprintf(err, errlen, "cannot create a file beside %s: %s", out, strerror(errno));
        free(p);
        return -1;
    }
    *path_r = p;
    return fd;
}

static int write_all(int fd, const void *buf, size_t len)
{
    const char *p = buf;
    while (len) {
        ssize_t w = write(fd, p, len);
        if (w < 0) {
            if (errno == EINTR)
                continue;
            return -1;
        }
        p += w;
        len -= (size_t)w;
    }
    return 0;
}

/* fsync, chmod, rename into place, fsync the directory: the new file is
 * complete on disk before any name points to it. */
static int publish(const char *tmp, const char *out, mode_t mode, char *err, size_t errlen)
{
    int fd = open(tmp, O_RDONLY | O_CLOEXEC);
    if (fd < 0 || fsync(fd) != 0 || fchmod(fd, mode) != 0) {
        snprintf(err, errlen, "%s: %s", out, strerror(errno));
        if (fd >= 0)
            close(fd);
        return -1;
    }
    close(fd);
    if (rename(tmp, out) != 0) {
        snprintf(err, errlen, "cannot write %s: %s", out, strerror(errno));
        return -1;
    }
    char *copy = xstrdup(out);
    int dfd = open(dirname(copy), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    free(copy);
    if (dfd >= 0) {
        (void)fsync(dfd);
        close(dfd);
    }
    return 0;
}

static int write_bytes_to(const char *out, const char *tag, const void *buf, size_t len,
                          char **tmp_r, char *err, size_t errlen)
{
    int fd = make_temp(out, tag, tmp_r, err, errlen);
    if (fd < 0)
        return -1;
    if (write_all(fd, buf, len) != 0) {
        snprintf(err, errlen, "cannot write %s: %s", *tmp_r, strerror(errno));
        close(fd);
        return -1;
    }
    if (close(fd) != 0) {
        snprintf(err, errlen, "cannot write %s: %s", *tmp_r, strerror(errno));
        return -1;
    }
    return 0;
}

static void drop_temp(char **tmp_r)
{
    if (*tmp_r) {
        unlink(*tmp_r);
        free(*tmp_r);
        *tmp_r = NULL;
    }
}

/* ---- The linker --------------------------------------------------------- */

/* Runs the linker; its diagnostics end up in err. */
static int run_linker(const char *obj, const char *so, char *err, size_t errlen)
{
    const char *ld = getenv("SIEVEC_LD");
    if (!ld || !*ld)
        ld = SIEVEC_DEFAULT_LD;
    /* -nostdlib --no-undefined: the object calls nothing but the ops table,
     * so it needs no library and must resolve no symbol. -z now -z relro:
     * the descriptor's pointers are relocated at load and then read-only.
     * No build id: the same script and options give the same bytes. */
    const char *argv[] = {
        ld, "-shared", "-o", so, obj,
        "-z", "now", "-z", "relro", "-z", "noexecstack",
        "--hash-style=gnu", "--build-id=none", "-nostdlib", "--no-undefined",
        NULL,
    };
    int pipefd[2];
    if (pipe2(pipefd, O_CLOEXEC) != 0) {
        snprintf(err, errlen, "cannot run the linker: %s", strerror(errno));
        return -1;
    }
    posix_spawn_file_actions_t fa;
    posix_spawn_file_actions_init(&fa);
    posix_spawn_file_actions_adddup2(&fa, pipefd[1], STDOUT_FILENO);
    posix_spawn_file_actions_adddup2(&fa, pipefd[1], STDERR_FILENO);
    pid_t pid;
    int rc = posix_spawnp(&pid, ld, &fa, NULL, (char *const *)argv, environ);
    posix_spawn_file_actions_destroy(&fa);
    close(pipefd[1]);
    if (rc != 0) {
        close(pipefd[0]);
        snprintf(err, errlen, "cannot run the linker '%s': %s (set SIEVEC_LD)", ld, strerror(rc));
        return -1;
    }
    char out[2048];
    size_t n = 0;
    for (;;) {
        char buf[512];
        ssize_t r = read(pipefd[0], buf, sizeof buf);
        if (r < 0 && errno == EINTR)
            continue;
        if (r <= 0)
            break;
        size_t take = (size_t)r < sizeof out - 1 - n ? (size_t)r : sizeof out - 1 - n;
        memcpy(out + n, buf, take);
        n += take;
    }
    out[n] = '\0';
    close(pipefd[0]);
    int status;
    while (waitpid(pid, &status, 0) < 0) {
        if (errno != EINTR) {
            snprintf(err, errlen, "linker: %s", strerror(errno));
            return -1;
        }
    }
    if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
        while (n && (out[n - 1] == '\n' || out[n - 1] == ' '))
            out[--n] = '\0';
        snprintf(err, errlen, "the linker '%s' failed%s%s", ld, n ? ": " : "", out);
        return -1;
    }
    return 0;
}

/* ---- Output ------------------------------------------------------------- */

int emit_write(emit_unit *u, emit_kind kind, const char *out, const uint8_t *key,
               char *err, size_t errlen)
{
    char *tmp_obj = NULL, *tmp_so = NULL;
    int ret = -1;

    if (kind == EMIT_LLVM_IR) {
        char *text = LLVMPrintModuleToString(u->mod);
        int w = write_bytes_to(out, "", text, strlen(text), &tmp_obj, err, errlen);
        LLVMDisposeMessage(text);
        if (w == 0 && publish(tmp_obj, out, 0644, err, errlen) == 0) {
            free(tmp_obj);
            tmp_obj = NULL;
            ret = 0;
        }
        goto done;
    }

    char *msg = NULL;
    LLVMMemoryBufferRef mb = NULL;
    if (LLVMTargetMachineEmitToMemoryBuffer(u->tm, u->mod, LLVMObjectFile, &msg, &mb) != 0) {
        snprintf(err, errlen, "LLVM cannot emit the object: %s", msg ? msg : "?");
        LLVMDisposeMessage(msg);
        goto done;
    }
    LLVMDisposeMessage(msg);
    int w = write_bytes_to(out, kind == EMIT_SHARED ? ".o" : "", LLVMGetBufferStart(mb),
                           LLVMGetBufferSize(mb), &tmp_obj, err, errlen);
    LLVMDisposeMemoryBuffer(mb);
    if (w != 0)
        goto done;

    if (kind == EMIT_OBJECT) {
        if (publish(tmp_obj, out, 0644, err, errlen) != 0)
            goto done;
        free(tmp_obj);
        tmp_obj = NULL;
        ret = 0;
        goto done;
    }

    int fd = make_temp(out, "", &tmp_so, err, errlen);
    if (fd < 0)
        goto done;
    close(fd);
    if (run_linker(tmp_obj, tmp_so, err, errlen) != 0)
        goto done;
    if (!key) {
        snprintf(err, errlen, "internal error: no MAC key to sign %s", out);
        goto done;
    }
    if (rt_mac_sign_file(tmp_so, key, err, errlen) != 0)
        goto done;
    /* Not executable and not writable by others: the loader refuses
     * objects others could have changed. */
    if (publish(tmp_so, out, 0644, err, errlen) != 0)
        goto done;
    free(tmp_so);
    tmp_so = NULL;
    ret = 0;
done:
    drop_temp(&tmp_obj);
    drop_temp(&tmp_so);
    return ret;
}
