/* RFC 5232: setflag, addflag, removeflag (3), hasflag (4). The :flags tag
 * on keep and fileinto lives with those commands. */
#include "ext_tables.h"

#include <string.h>
#include <strings.h>

#include "sema_ext.h"

#define P(n, t) { n, t, false }
#define O(n, t) { n, t, true }

const reg_def ext_defs_imap4flags[] = {
    { .id = REG_DEF_SETFLAG, .name = "setflag", .kind = REG_COMMAND, .ext = REG_EXT_IMAP4FLAGS,
      .params = { O("variablename", REG_T_STRING), P("list-of-flags", REG_T_STRING_LIST) },
      .nparams = 2, .check = ext_check_flags },
    { .id = REG_DEF_ADDFLAG, .name = "addflag", .kind = REG_COMMAND, .ext = REG_EXT_IMAP4FLAGS,
      .params = { O("variablename", REG_T_STRING), P("list-of-flags", REG_T_STRING_LIST) },
      .nparams = 2, .check = ext_check_flags },
    { .id = REG_DEF_REMOVEFLAG, .name = "removeflag", .kind = REG_COMMAND, .ext = REG_EXT_IMAP4FLAGS,
      .params = { O("variablename", REG_T_STRING), P("list-of-flags", REG_T_STRING_LIST) },
      .nparams = 2, .check = ext_check_flags },
    { .id = REG_DEF_HASFLAG, .name = "hasflag", .kind = REG_TEST, .ext = REG_EXT_IMAP4FLAGS,
      .params = { O("variable-list", REG_T_STRING_LIST), P("list-of-flags", REG_T_STRING_LIST) },
      .nparams = 2, .tagsets = { reg_tags_match }, .flags = REG_F_MATCH, .check = ext_check_flags },
};
const size_t ext_ndefs_imap4flags = sizeof ext_defs_imap4flags / sizeof ext_defs_imap4flags[0];

/* RFC 5232 3/4: the optional variable name(s) need "variables". */
bool ext_check_flags(struct sema_ctx *ctx, struct ast_node *node)
{
    const ast_arg *v = node->sema->pos[0];
    if (!v)
        return true;
    if (!sema_has_ext(ctx, REG_EXT_VARIABLES)) {
        sema_error(ctx, v->span, "missing-require",
                   "a variable argument to '%s' needs the variables extension", node->def->name);
        sema_note(ctx, v->span, "add require \"variables\", or give only the flag list");
        return false;
    }
    if (node->def->id == REG_DEF_HASFLAG) {
        size_t n = v->kind == AST_ARG_STRING ? 1 : v->u.list.count;
        const ast_string *it = v->kind == AST_ARG_STRING ? &v->u.string : v->u.list.items;
        for (size_t i = 0; i < n; i++)
            if (!ext_check_variable_name(ctx, &it[i]))
                return false;
        return true;
    }
    return ext_check_variable_name(ctx, &v->u.string);
}
