/* onthefly: a tool given a Sieve script instead of a compiled filter
 * compiles it with sievec(1) and loads the result.
 *
 * sievec runs as a child process writing into a private temporary
 * directory (mkdtemp under $TMPDIR or /tmp), which is removed again once
 * the filter is loaded. Running sievec rather than linking the compiler
 * keeps libLLVM out of the tools: sieve-replay and sieve-bench given a .so
 * start without loading or relocating it. The child's diagnostics go to
 * standard error as sievec prints them.
 *
 * sievec is $SIEVEC when set, else the sievec beside the running program
 * (the build tree's bin/ and the installed bindir hold both), else the
 * first on PATH.
 */
#ifndef SIEVE_TOOLS_ONTHEFLY_H
#define SIEVE_TOOLS_ONTHEFLY_H

#include "sieve/sieve.h"

enum {
    OTF_OK = 0,
    OTF_SCRIPT_ERRORS = 1,   /* sievec reported errors in the script */
    OTF_FAILED = 2,          /* anything else; a message was printed */
};

typedef struct otf_options {
    const char *tool;        /* program name for messages */
    int opt_level;           /* -O level, 0..3 */
    const char *key_file;    /* --key-file, or NULL for sievec's default */
    const char *const *extra_args;  /* more sievec options, NULL-terminated, or NULL */
} otf_options;

/* Compiles script and loads it with lo into *f_r. compile_ms_r (may be
 * NULL) gets the wall time sievec took, process start included. */
int otf_compile_load(const otf_options *o, const char *script, const sieve_load_options *lo,
                     sieve_filter **f_r, double *compile_ms_r);

#endif
