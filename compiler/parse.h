/* parse: Sieve source text -> syntax tree (RFC 5228 section 8).
 *
 * One call runs the reentrant flex scanner and the pure bison parser. Syntax
 * errors go to the sink (IDs "syntax-error", "unterminated-string",
 * "unclosed-bracket", "invalid-utf8", "number-too-large", "limit-exceeded",
 * ...); the parser recovers at ';' and '}' so one typo gives one error.
 * Returns the number of errors; *script_r gets the tree (possibly partial
 * when there were errors; callers run later phases only on zero). The
 * caller frees it with ast_script_free. Thread-safe: no global state.
 */
#ifndef SIEVEC_PARSE_H
#define SIEVEC_PARSE_H

#include <stddef.h>

#include "ast.h"
#include "diag.h"
#include "limits.h"

size_t parse_script(const source *src, const sieve_limits *lim, diag_sink *diag,
                    ast_script **script_r);

#endif
