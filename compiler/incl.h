/* incl: include (RFC 6609) resolved at compile time.
 *
 * Every script a checked main script includes, directly or through other
 * included scripts, is found, read, parsed and checked here, so that the
 * code generator can compile them all into the same .so. A script name is
 * looked up as DIR/NAME.sieve, DIR being the personal directory (default:
 * the main script's directory) or the global one (no default: a :global
 * include without it is an error).
 *
 * Errors (IDs): invalid-include-name (not a script name, RFC 6609 3.2 /
 * RFC 5804 1.6), include-name-not-constant (a variable in the name: it
 * must be known when compiling), include-not-found, include-cycle (a
 * script includes itself, directly or not, without :once), limit-exceeded
 * (nesting deeper than max_include_depth, more than max_includes scripts),
 * include-failed (the included script has errors, reported above it),
 * io-error; plus whatever parsing and checking an included script reports.
 * An error inside an included script is reported against that script,
 * with notes naming the include chain.
 *
 * The sources of included scripts are handed to the diagnostics sink
 * (diag_adopt_source), so they live as long as the sink; the set owns the
 * trees and check results of included scripts, not those of the main
 * script. Not thread-safe per set; separate sets are independent.
 */
#ifndef SIEVEC_INCL_H
#define SIEVEC_INCL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "ast.h"
#include "diag.h"
#include "limits.h"
#include "sema.h"
#include "source.h"

typedef struct incl_options {
    const char *personal_dir;   /* NULL: the main script's directory */
    const char *global_dir;     /* NULL: none */
} incl_options;

typedef struct incl_script {
    char *name;                 /* as included; the main script: its path */
    char *path;                 /* the file read */
    unsigned location;          /* 0 personal, 1 global */
    const source *src;
    ast_script *ast;
    sema_result *res;
    uint8_t sha256[32];
} incl_script;

/* One include command of some script. */
typedef struct incl_ref {
    const ast_node *node;
    unsigned location;          /* 0 personal, 1 global */
    bool once, optional;
    int target;                 /* index in scripts; -1: optional and missing */
} incl_ref;

typedef struct incl_set {
    incl_script *scripts;       /* [0] is the main script */
    size_t nscripts;
    incl_ref *refs;
    size_t nrefs;
} incl_set;

/* Resolves the includes of a main script that sema_check accepted. Returns
 * the number of errors reported (0: *set_r is complete); *set_r is set in
 * any case (free it with incl_set_free). */
size_t incl_resolve(const source *main_src, ast_script *main_ast, sema_result *main_res,
                    const incl_options *opt, const sieve_limits *lim, diag_sink *diag,
                    incl_set **set_r);

/* The reference of an include command node, or NULL. */
const incl_ref *incl_ref_of(const incl_set *set, const ast_node *node);

void incl_set_free(incl_set **set_r);

/* RFC 6609 3.2 (script names are those of RFC 5804 1.6): non-empty UTF-8
 * without control characters, U+2028/U+2029; and, since it names a file
 * here, without '/', not "." or "..", at most 200 bytes. */
bool incl_valid_name(const char *name, size_t len);

#endif
