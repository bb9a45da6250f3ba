#define _GNU_SOURCE
#include "onthefly.h"

#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define MAX_ARGS 32

/* The sievec to run: $SIEVEC, the one beside /proc/self/exe, else "sievec"
 * for execvp's PATH search. */
static void find_sievec(char *buf, size_t len)
{
    const char *env = getenv("SIEVEC");
    if (env && *env) {
        snprintf(buf, len, "%s", env);
        return;
    }
    char self[PATH_MAX];
    ssize_t n = readlink("/proc/self/exe", self, sizeof self - 1);
    if (n > 0) {
        self[n] = '\0';
        char *slash = strrchr(self, '/');
        if (slash) {
            *slash = '\0';
            snprintf(buf, len, "%s/sievec", self);
            if (access(buf, X_OK) == 0)
                return;
        }
    }
    snprintf(buf, len, "sievec");
}

static double now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

/* Runs sievec; OTF_OK, OTF_SCRIPT_ERRORS or OTF_FAILED. */
static int run_sievec(const otf_options *o, const char *script, const char *out)
{
    char sievec[PATH_MAX + 16], olevel[8];
    find_sievec(sievec, sizeof sievec);
    snprintf(olevel, sizeof olevel, "-O%d", o->opt_level < 0 || o->opt_level > 3 ? 2 : o->opt_level);
    /* A script named "-x" would read as an option. */
    char *path = NULL;
    if (script[0] == '-' && script[1] != '\0' && asprintf(&path, "./%s", script) < 0)
        path = NULL;
    const char *argv[MAX_ARGS + 8];
    size_t n = 0;
    argv[n++] = sievec;
    argv[n++] = olevel;
    if (o->key_file) {
        argv[n++] = "--key-file";
        argv[n++] = o->key_file;
    }
    for (size_t i = 0; o->extra_args && o->extra_args[i] && i < MAX_ARGS; i++)
        argv[n++] = o->extra_args[i];
    argv[n++] = "-o";
    argv[n++] = out;
    argv[n++] = path ? path : script;
    argv[n] = NULL;

    fflush(NULL);
    pid_t pid = fork();
    if (pid < 0) {
        fprintf(stderr, "%s: cannot start sievec: %s\n", o->tool, strerror(errno));
        free(path);
        return OTF_FAILED;
    }
    if (pid == 0) {
        /* sievec writes nothing on success; its diagnostics belong on our
         * standard error, never in a tool's report on standard output. */
        dup2(STDERR_FILENO, STDOUT_FILENO);
        execvp(sievec, (char *const *)argv);
        fprintf(stderr, "%s: cannot run %s: %s (set SIEVEC to the compiler)\n", o->tool, sievec,
                strerror(errno));
        _exit(127);
    }
    free(path);
    int status;
    while (waitpid(pid, &status, 0) < 0) {
        if (errno != EINTR) {
            fprintf(stderr, "%s: waiting for sievec: %s\n", o->tool, strerror(errno));
            return OTF_FAILED;
        }
    }
    if (WIFEXITED(status) && WEXITSTATUS(status) == 0)
        return OTF_OK;
    if (WIFEXITED(status) && WEXITSTATUS(status) == 1)
        return OTF_SCRIPT_ERRORS;
    if (WIFSIGNALED(status))
        fprintf(stderr, "%s: sievec was killed by signal %d\n", o->tool, WTERMSIG(status));
    else if (WEXITSTATUS(status) != 127)
        fprintf(stderr, "%s: sievec failed (exit status %d)\n", o->tool, WEXITSTATUS(status));
    return OTF_FAILED;
}

int otf_compile_load(const otf_options *o, const char *script, const sieve_load_options *lo,
                     sieve_filter **f_r, double *compile_ms_r)
{
    if (compile_ms_r)
        *compile_ms_r = 0;
    struct stat st;
    if (strcmp(script, "-") != 0 && stat(script, &st) != 0) {
        fprintf(stderr, "%s: %s: %s\n", o->tool, script, strerror(errno));
        return OTF_FAILED;
    }
    const char *tmp = getenv("TMPDIR");
    char dir[4096];
    snprintf(dir, sizeof dir, "%s/%s.XXXXXX", tmp && *tmp ? tmp : "/tmp", o->tool);
    if (!mkdtemp(dir)) {
        fprintf(stderr, "%s: cannot create a temporary directory: %s\n", o->tool, strerror(errno));
        return OTF_FAILED;
    }
    char out[4200];
    snprintf(out, sizeof out, "%s/filter.so", dir);
    double t0 = now_ms();
    int rc = run_sievec(o, script, out);
    if (compile_ms_r)
        *compile_ms_r = now_ms() - t0;
    if (rc == OTF_OK) {
        char err[1024];
        if (sieve_filter_load(out, lo, f_r, err, sizeof err) != 0) {
            fprintf(stderr, "%s: %s\n", o->tool, err);
            rc = OTF_FAILED;
        }
    }
    unlink(out);
    rmdir(dir);
    return rc;
}
