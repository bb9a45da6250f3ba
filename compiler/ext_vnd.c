/* Pigeonhole's vendor extensions: vnd.dovecot.debug (the debug_log
 * command) and vnd.dovecot.environment (environment items
 * "vnd.dovecot.default-mailbox" and "vnd.dovecot.username", and the
 * variable namespace "env": ${env.NAME} is the environment item NAME,
 * read-only). Checked against Pigeonhole 0.5.19. */
#include "ext_tables.h"

#define P(n, t) { n, t, false }

const reg_def ext_defs_vnd[] = {
    /* debug_log <message: string>: only logs; no effect on the result. */
    { .id = REG_DEF_DEBUG_LOG, .name = "debug_log", .kind = REG_COMMAND,
      .ext = REG_EXT_VND_DEBUG, .params = { P("message", REG_T_STRING) }, .nparams = 1 },
};
const size_t ext_ndefs_vnd = sizeof ext_defs_vnd / sizeof ext_defs_vnd[0];
