/* One call from script file to output file; contract in compile.h. */
#include "compile.h"
#include "registry.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "codegen.h"
#include "incl.h"
#include "parse.h"
#include "sema.h"
#include "sha256.h"
#include "sieve/sieve.h"

#ifndef SIEVEC_VERSION
#define SIEVEC_VERSION "0"
#endif
#ifndef SIEVEC_LLVM_VERSION
#define SIEVEC_LLVM_VERSION "unknown"
#endif

const char *sievec_compiler_version(void)
{
    return "sievec " SIEVEC_VERSION " (LLVM " SIEVEC_LLVM_VERSION ")";
}

static int fail(diag_sink *diag, const char *id, const char *msg)
{
    diag_error(diag, NULL, src_span_make(0, 0), id, "%s", msg);
    return COMPILE_FAILED;
}

static int load_key(const compile_options *opt, uint8_t key[SIEVE_KEY_BYTES], diag_sink *diag)
{
    char path[4096], err[512];
    const char *kf = opt->key_file;
    if (!kf) {
        /* sievec makes a personal key the first time; the loader never. */
        if (sieve_key_path(path, sizeof path, true, err, sizeof err) != 0)
            return fail(diag, "key-error", err);
        kf = path;
    }
    if (sieve_key_read(kf, key, err, sizeof err) != 0)
        return fail(diag, "key-error", err);
    return COMPILE_OK;
}

int sievec_compile_source(const source *src, const char *out, const compile_options *opt,
                          diag_sink *diag)
{
    sieve_limits deflim;
    const sieve_limits *lim = opt->limits;
    if (!lim) {
        sieve_limits_default(&deflim);
        lim = &deflim;
    }
    ast_script *script = NULL;
    sema_result *checked = NULL;
    incl_set *includes = NULL;
    emit_unit *u = NULL;
    int status = COMPILE_OK;
    char err[1024];
    uint8_t key[SIEVE_KEY_BYTES];

    /* vnd.dovecot.testsuite exists only for this compile (registry.h). */
    bool ts_prev = reg_testsuite_mode(opt->testsuite);
    if (parse_script(src, lim, diag, &script) == 0)
        sema_check(script, lim, diag, &checked);
    if (diag_error_count(diag) == 0) {
        /* RFC 6609: included scripts are compiled into this filter. */
        incl_options io = { opt->include_dir_personal, opt->include_dir_global };
        incl_resolve(src, script, checked, &io, lim, diag, &includes);
    }
    reg_testsuite_mode(ts_prev);
    if (diag_error_count(diag) != 0) {
        status = COMPILE_SCRIPT_ERRORS;
        goto done;
    }
    for (size_t i = 0; opt->on_dependency && i < includes->nscripts; i++)
        opt->on_dependency(includes->scripts[i].path, opt->dependency_ctx);
    if (opt->dependencies_only)
        goto done;
    /* The key before any work, so a missing key fails fast. */
    if (opt->output == EMIT_SHARED && (status = load_key(opt, key, diag)) != COMPILE_OK)
        goto done;

    emit_target target = { .cpu = opt->cpu, .opt_level = opt->opt_level };
    if (emit_unit_new(src->name, &target, &u, err, sizeof err) != 0) {
        status = fail(diag, "codegen-failed", err);
        goto done;
    }
    cg_info info;
    info.compiler_version = sievec_compiler_version();
    info.includes = includes;
    rt_sha256(src->text, src->len, info.source_sha256);
    int rc = cg_generate(u, script, checked, &info, diag, err, sizeof err);
    if (rc > 0 || diag_error_count(diag) != 0) {
        status = COMPILE_SCRIPT_ERRORS;
        goto done;
    }
    if (rc < 0) {
        status = fail(diag, "codegen-failed", err);
        goto done;
    }
    if (emit_optimize(u, err, sizeof err) != 0) {
        status = fail(diag, "codegen-failed", err);
        goto done;
    }
    if (emit_write(u, opt->output, out, opt->output == EMIT_SHARED ? key : NULL, err, sizeof err) != 0) {
        status = fail(diag, "output-failed", err);
        goto done;
    }
done:
    memset(key, 0, sizeof key);
    emit_unit_free(&u);
    incl_set_free(&includes);
    sema_result_free(&checked);
    ast_script_free(&script);
    return status;
}

int sievec_compile_file(const char *script, const char *out, const compile_options *opt,
                        diag_sink *diag, source **src_r)
{
    if (src_r)
        *src_r = NULL;
    sieve_limits deflim;
    const sieve_limits *lim = opt->limits;
    if (!lim) {
        sieve_limits_default(&deflim);
        lim = &deflim;
    }
    source *src = NULL;
    char msg[1024];
    switch (source_read_file(script, lim->max_script_size, &src)) {
    case SOURCE_OK:
        break;
    case SOURCE_IO_ERROR:
        snprintf(msg, sizeof msg, "%s: %s", script, strerror(errno));
        return fail(diag, "io-error", msg);
    case SOURCE_TOO_LARGE:
        snprintf(msg, sizeof msg, "%s: script is larger than the limit of %zu bytes", script,
                 lim->max_script_size);
        diag_error(diag, NULL, src_span_make(0, 0), "limit-exceeded", "%s", msg);
        return COMPILE_SCRIPT_ERRORS;
    }
    int status = sievec_compile_source(src, out, opt, diag);
    if (src_r)
        *src_r = src;
    else
        source_free(&src);
    return status;
}
