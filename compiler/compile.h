/* compile: the whole of sievec behind one call, for the sievec driver and
 * for tools that compile on the fly (sieve-replay, tests): read the
 * script, parse, check, generate, optimise, write the output (.so signed
 * with the MAC key, .o, or .ll) atomically.
 *
 * Script problems go to the caller's diagnostics sink (its warning filter
 * and -Werror setting apply); failures of the machinery (I/O, LLVM, the
 * linker, the key) go to the sink too, without a location, with the IDs
 * "io-error", "codegen-failed", "output-failed" (writing, linking,
 * signing) or "key-error". The records
 * point into the script's source, so the caller takes that source
 * (src_r) and frees it after printing the sink.
 *
 * No global state beyond LLVM's one-time target registration: compiles on
 * separate threads with separate sinks are safe.
 */
#ifndef SIEVEC_COMPILE_H
#define SIEVEC_COMPILE_H

#include <stdbool.h>

#include "diag.h"
#include "emit.h"
#include "limits.h"
#include "source.h"

typedef struct compile_options {
    emit_kind output;            /* EMIT_SHARED (default), EMIT_OBJECT, EMIT_LLVM_IR */
    unsigned opt_level;          /* 0..3; the driver's default is 2 */
    const char *cpu;             /* NULL/"generic" or "native" */
    const char *key_file;        /* NULL: sieve_key_path() (created if missing) */
    const sieve_limits *limits;  /* NULL: the defaults */
    /* Accept require "vnd.dovecot.testsuite" (sieve-testsuite only): its
     * commands compile to host records (sieve/host.h). */
    bool testsuite;
    /* include (RFC 6609): where :personal and :global scripts are found
     * (incl.h); NULL: the main script's directory / none. */
    const char *include_dir_personal;
    const char *include_dir_global;
    /* Called with the path of every script read: the main script, then
     * each included one (for sievec -M). */
    void (*on_dependency)(const char *path, void *ctx);
    void *dependency_ctx;
    /* Stop after resolving the includes: check and list dependencies only,
     * write nothing. */
    bool dependencies_only;
} compile_options;

enum {
    COMPILE_OK = 0,
    COMPILE_SCRIPT_ERRORS = 1,   /* the script has errors (see the sink) */
    COMPILE_FAILED = 2,          /* I/O, LLVM, linker or key failure */
};

/* Compiles the file at script ("-" is standard input) to out. Returns a
 * COMPILE_* status. *src_r gets the source (NULL when it could not be
 * read); free it with source_free after printing the sink. With src_r
 * NULL the source is freed here, so the sink's records must then not be
 * printed with their source lines (diag_count() == 0 is always safe). */
int sievec_compile_file(const char *script, const char *out, const compile_options *opt,
                        diag_sink *diag, source **src_r);

/* The same for a source already in memory (not freed here). */
int sievec_compile_source(const source *src, const char *out, const compile_options *opt,
                          diag_sink *diag);

/* "sievec 0.1.0 (LLVM 14.0.6)", as recorded in descriptors. */
const char *sievec_compiler_version(void);

#endif
