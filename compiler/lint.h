/* lint: warnings about Sieve constructs that are valid but probably not
 * what the author meant, on top of the front end's errors.
 *
 * lint_check() reads a parsed and checked script (ast.h with the sema.h
 * annotations) and reports warnings with stable IDs (the published list is
 * lint_warning_at(); `sieve-lint --list-warnings` prints it) into the
 * diagnostics sink, in source order. It never reports an error and never
 * changes the tree. Where the checker already reported the same ID at the
 * same place (sema warns about some invalid header names, and refuses
 * deprecated extensions), lint stays silent so nothing is said twice.
 * Which warnings are shown is the sink's business: a lint_config is the
 * -W/-Wno set, and lint_warning_filter() plugs it into the sink.
 *
 * Memory: lint allocates only while it runs and frees everything before
 * returning; the tree, the result and the sink stay owned by the caller.
 * No global state: different scripts may be linted on different threads.
 */
#ifndef SIEVEC_LINT_H
#define SIEVEC_LINT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "ast.h"
#include "diag.h"
#include "limits.h"
#include "sema.h"

/* One warning ID of the published list. */
typedef struct lint_warning_info {
    const char *id;        /* kebab-case, as in diagnostics and -W options */
    const char *summary;   /* one line, for --list-warnings */
    bool front_end;        /* reported by the parser/checker, lint only filters it */
} lint_warning_info;

size_t lint_warning_count(void);
const lint_warning_info *lint_warning_at(size_t i);
/* NULL when id is not in the list. */
const lint_warning_info *lint_warning_find(const char *id);

/* The set of enabled warnings (-W / -Wno- / -Wall). Plain data: copy it
 * freely. IDs that are not in the list (a newer checker's) stay enabled. */
typedef struct lint_config {
    uint64_t disabled;     /* bit i: lint_warning_at(i) is off */
} lint_config;

/* Every warning on (the default, as the man page says). */
void lint_config_default(lint_config *cfg);
/* Returns false for an unknown ID (cfg unchanged). */
bool lint_config_set(lint_config *cfg, const char *id, bool on);
void lint_config_set_all(lint_config *cfg, bool on);
bool lint_config_enabled(const lint_config *cfg, const char *id);
/* For diag_set_warning_filter(sink, lint_warning_filter, cfg). */
bool lint_warning_filter(const char *id, void *cfg);

/* Reports lint warnings for a parsed script. res may be NULL (then only
 * the checks that need no checker facts run); nodes the checker could not
 * annotate are skipped. Returns the number of warnings reported (before
 * the sink's filter). */
size_t lint_check(const ast_script *script, const sema_result *res, diag_sink *diag);

/* The whole front end for one source: parse, check and, when the parse
 * succeeded, lint. Returns the number of errors in the sink. lim may be
 * NULL for the defaults. */
size_t lint_source(const source *src, const sieve_limits *lim, diag_sink *diag);

#endif
