/* fuzz_frontend: libFuzzer target for the whole front end on script text.
 *
 * Each input is one script, byte for byte: the harness runs it through
 * parse_script and, when that reports no error, sema_check and the lint
 * checks (lint_check, as sieve-lint runs them), renders the
 * diagnostics (so spans from every phase go through the line map and the
 * caret printer), dumps the tree, and frees everything. Crashes, sanitizer
 * reports and leaks are findings. Inputs longer than the script-size limit
 * are skipped, as sievec refuses them before parsing.
 *
 * Built two ways (testsuite/fuzz/CMakeLists.txt): with clang's libFuzzer,
 * which supplies main(), and with replay_main.c for any compiler, which
 * runs the given files once (reproducing a finding without clang).
 * Not thread-safe (the /dev/null stream is shared); libFuzzer runs one
 * input at a time.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include "ast.h"
#include "diag.h"
#include "limits.h"
#include "lint.h"
#include "parse.h"
#include "sema.h"
#include "source.h"

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static FILE *fuzz_sink_out;

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    fuzz_sink_out = fopen("/dev/null", "w");
    if (!fuzz_sink_out) {
        perror("fuzz_frontend: /dev/null");
        abort();
    }
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    sieve_limits lim;
    sieve_limits_default(&lim);
    if (size > lim.max_script_size)
        return 0;

    source *src = source_from_memory("fuzz.sieve", (const char *)data, size);
    diag_sink *diag = diag_sink_new(lim.max_errors);
    ast_script *script = NULL;

    size_t nerr = parse_script(src, &lim, diag, &script);
    if (nerr == 0 && script) {
        /* As sieve-lint does: lint also runs after checker errors, on what
         * the checker could annotate. */
        sema_result *res = NULL;
        sema_check(script, &lim, diag, &res);
        lint_check(script, res, diag);
        sema_result_free(&res);
    }
    if (script)
        ast_dump(script, fuzz_sink_out);
    diag_print_text(diag, fuzz_sink_out, true);
    diag_print_jsonl(diag, fuzz_sink_out);

    ast_script_free(&script);
    diag_sink_free(&diag);
    source_free(&src);
    return 0;
}
