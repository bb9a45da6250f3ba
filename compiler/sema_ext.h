/* sema_ext: what extension check hooks (ext_*.c) may use of the checker.
 *
 * Internal to the checker and the registry: the code generator and lint use
 * sema.h only. A hook receives the context and the node after the generic
 * checks passed (node->sema is filled in) and reports through sema_error().
 * Not thread-safe beyond the one check the context belongs to.
 */
#ifndef SIEVEC_SEMA_EXT_H
#define SIEVEC_SEMA_EXT_H

#include <stdarg.h>

#include "sema.h"

typedef struct sema_ctx sema_ctx;

void sema_error(sema_ctx *ctx, src_span span, const char *id, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
void sema_warning(sema_ctx *ctx, src_span span, const char *id, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
void sema_note(sema_ctx *ctx, src_span span, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

arena *sema_arena(sema_ctx *ctx);
/* True the first time (kind, name) is passed: for reporting once. */
bool sema_first_time(sema_ctx *ctx, const char *kind, const char *name);
bool sema_has_ext(const sema_ctx *ctx, reg_ext_id ext);
/* Marks an extension used (a hook that discovers a use the tables miss). */
void sema_use_ext(sema_ctx *ctx, reg_ext_id ext);
sema_result *sema_res(sema_ctx *ctx);
const sieve_limits *sema_limits(const sema_ctx *ctx);

/* Whether a string contains variable references (only when variables is
 * required; otherwise every string is constant). */
bool sema_string_is_constant(sema_ctx *ctx, const ast_string *s);
/* The nearest enclosing foreverypart (with :name when name != NULL). */
const ast_node *sema_find_loop(sema_ctx *ctx, const char *name);
/* How many foreverypart loops enclose the node being checked. */
size_t sema_loop_depth(const sema_ctx *ctx);
/* The command enclosing the node being checked (NULL at top level). */
const ast_node *sema_parent_command(sema_ctx *ctx);

/* Variable scoping (RFC 6609 global): records a local use of a name; declares
 * a name global, returning false when it was used locally before. */
void sema_var_use(sema_ctx *ctx, const char *name, size_t len);
bool sema_var_declare_global(sema_ctx *ctx, const char *name, size_t len);

/* Records a constant header name the script reads. */
void sema_add_header_name(sema_ctx *ctx, const char *name, size_t len);

/* Shared validators (RFC text cited at their definitions). */
bool sema_is_header_name(const char *s, size_t len);        /* RFC 5322 2.2 */
bool sema_is_addr_spec(const char *s, size_t len);          /* RFC 5322 3.4.1 */

#endif
