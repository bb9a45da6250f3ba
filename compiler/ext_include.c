/* RFC 6609: include, return, global. */
#include "ext_tables.h"

#include <string.h>
#include <strings.h>

#include "sema_ext.h"

#define P(n, t) { n, t, false }
#define T(n, id, g, p, e) { n, id, g, p, e, REG_TAG_NONE, 0 }
#define END { NULL, REG_TAG_NONE, REG_G_NONE, REG_T_NONE, REG_EXT_CORE, REG_TAG_NONE, 0 }

static const reg_tag include_tags[] = {
    T("personal", REG_TAG_PERSONAL, REG_G_INCLUDE_LOCATION, REG_T_NONE, REG_EXT_INCLUDE),
    T("global", REG_TAG_GLOBAL, REG_G_INCLUDE_LOCATION, REG_T_NONE, REG_EXT_INCLUDE),
    T("once", REG_TAG_ONCE, REG_G_NONE, REG_T_NONE, REG_EXT_INCLUDE),
    T("optional", REG_TAG_OPTIONAL, REG_G_NONE, REG_T_NONE, REG_EXT_INCLUDE),
    END
};

const reg_def ext_defs_include[] = {
    { .id = REG_DEF_INCLUDE, .name = "include", .kind = REG_COMMAND, .ext = REG_EXT_INCLUDE,
      .params = { P("value", REG_T_STRING) }, .nparams = 1,
      .tagsets = { include_tags }, .check = ext_check_include },
    { .id = REG_DEF_RETURN, .name = "return", .kind = REG_COMMAND, .ext = REG_EXT_INCLUDE,
      .flags = REG_F_CONTROL },
    { .id = REG_DEF_GLOBAL, .name = "global", .kind = REG_COMMAND, .ext = REG_EXT_INCLUDE,
      .params = { P("value", REG_T_STRING_LIST) }, .nparams = 1, .check = ext_check_global },
};
const size_t ext_ndefs_include = sizeof ext_defs_include / sizeof ext_defs_include[0];

/* RFC 6609: a script name, not a path. */
bool ext_check_include(struct sema_ctx *ctx, struct ast_node *node)
{
    const ast_string *s = &node->sema->pos[0]->u.string;
    if (!sema_node_tag(node->sema, REG_TAG_GLOBAL))
        sema_res(ctx)->recipient_dependent = true;   /* a personal script */
    if (!sema_string_is_constant(ctx, s))
        return true;
    if (s->len == 0 || memchr(s->text, '/', s->len) || memchr(s->text, '\0', s->len)) {
        sema_error(ctx, s->span, "invalid-include-name", "'%s' is not a valid script name", s->text);
        sema_note(ctx, s->span, "name a script, without '/' (RFC 6609)");
        return false;
    }
    return true;
}

/* RFC 6609: global declares variables, so it needs "variables". */
bool ext_check_global(struct sema_ctx *ctx, struct ast_node *node)
{
    if (!sema_has_ext(ctx, REG_EXT_VARIABLES)) {
        sema_error(ctx, node->name_span, "missing-require", "'global' needs the variables extension");
        sema_note(ctx, node->name_span, "add require \"variables\"");
        return false;
    }
    const ast_arg *a = node->sema->pos[0];
    size_t n = a->kind == AST_ARG_STRING ? 1 : a->u.list.count;
    const ast_string *it = a->kind == AST_ARG_STRING ? &a->u.string : a->u.list.items;
    for (size_t i = 0; i < n; i++) {
        if (!sema_valid_variable_name(it[i].text, it[i].len) || memchr(it[i].text, '.', it[i].len)) {
            sema_error(ctx, it[i].span, "invalid-variable-name", "'%s' is not a valid variable name",
                       it[i].text);
            return false;
        }
        if (!sema_var_declare_global(ctx, it[i].text, it[i].len)) {
            sema_error(ctx, it[i].span, "global-after-local",
                       "'%s' was used as a local variable before this 'global' declaration", it[i].text);
            sema_note(ctx, it[i].span, "declare global variables before their first use");
            return false;
        }
    }
    return true;
}
