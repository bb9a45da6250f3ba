/* codegen: checked Sieve tree -> LLVM module (the entry function, the
 * program table, the descriptor), into an emit_unit's module.
 *
 * The generated `i32 entry(ptr ctx)` holds the script's control flow only:
 * if/elsif/else, allof/anyof (short-circuit), not, stop; every test becomes
 * ctx->ops->test(ctx, record) and every action ctx->ops->action(ctx,
 * record), and a negative return from either makes entry return
 * SIEVE_ERROR at once. The records (sieve/abi.h "meta") carry the operands;
 * the runtime prepares them once at load. The descriptor
 * `sieve_filter_descriptor` is the only symbol with external linkage.
 * Large scripts are cut into internal "part" functions of a few hundred
 * records each (entry calls them; a part returns SIEVE_OK to go on), so
 * that optimising and compiling stays near-linear in the script size.
 *
 * Only the extensions the runtime executes are compiled (the scope table
 * in codegen.c); a script using any other command, test or tag gets the
 * error "not-yet-compilable" with a caret on it, rather than code that
 * would fail at run time.
 *
 * Needs a tree that sema_check() accepted with no errors. Reports script
 * errors to the sink; nothing global, so separate units may be generated
 * on separate threads.
 */
#ifndef SIEVEC_CODEGEN_H
#define SIEVEC_CODEGEN_H

#include <stddef.h>
#include <stdint.h>

#include "ast.h"
#include "diag.h"
#include "emit.h"
#include "sema.h"

typedef struct cg_info {
    const char *compiler_version;   /* "sievec 0.1.0 (LLVM 14.0.6)" */
    uint8_t source_sha256[32];      /* SHA-256 of the script text */
    /* The scripts it includes (RFC 6609), resolved; NULL: none. */
    const struct incl_set *includes;
} cg_info;

/* Reports every construct outside the code generator's scope; returns how
 * many (0: the script can be compiled). */
size_t cg_check_scope(const ast_script *script, diag_sink *diag);

/* Fills u's module. Returns 0, 1 when script errors were reported to diag
 * (nothing useful was generated), -1 on an internal failure (err says). */
int cg_generate(emit_unit *u, const ast_script *script, const sema_result *res,
                const cg_info *info, diag_sink *diag, char *err, size_t errlen);

#endif
