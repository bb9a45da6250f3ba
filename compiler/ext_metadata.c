/* RFC 5490: mboxmetadata (metadata 3.3, metadataexists 3.4) and
 * servermetadata (servermetadata 4.1, servermetadataexists 4.2). */
#include "ext_tables.h"

#include <string.h>
#include <strings.h>

#include "annotation.h"   /* runtime/: one rule for names */
#include "sema_ext.h"

#define P(n, t) { n, t, false }

static bool check_metadata(struct sema_ctx *ctx, struct ast_node *node);

const reg_def ext_defs_metadata[] = {
    { .id = REG_DEF_METADATA, .name = "metadata", .kind = REG_TEST, .ext = REG_EXT_MBOXMETADATA,
      .params = { P("mailbox", REG_T_STRING), P("annotation-name", REG_T_STRING),
                  P("key-list", REG_T_STRING_LIST) }, .nparams = 3,
      .tagsets = { reg_tags_match }, .flags = REG_F_MATCH, .check = check_metadata },
    { .id = REG_DEF_METADATAEXISTS, .name = "metadataexists", .kind = REG_TEST,
      .ext = REG_EXT_MBOXMETADATA,
      .params = { P("mailbox", REG_T_STRING), P("annotation-names", REG_T_STRING_LIST) },
      .nparams = 2, .check = check_metadata },
    { .id = REG_DEF_SERVERMETADATA, .name = "servermetadata", .kind = REG_TEST,
      .ext = REG_EXT_SERVERMETADATA,
      .params = { P("annotation-name", REG_T_STRING), P("key-list", REG_T_STRING_LIST) },
      .nparams = 2, .tagsets = { reg_tags_match }, .flags = REG_F_MATCH, .check = check_metadata },
    { .id = REG_DEF_SERVERMETADATAEXISTS, .name = "servermetadataexists", .kind = REG_TEST,
      .ext = REG_EXT_SERVERMETADATA,
      .params = { P("annotation-names", REG_T_STRING_LIST) }, .nparams = 1,
      .check = check_metadata },
};
const size_t ext_ndefs_metadata = sizeof ext_defs_metadata / sizeof ext_defs_metadata[0];

/* Invalid constant entry names are warnings, as in Pigeonhole 0.5.19 (the
 * test is then false at run time). Metadata belongs to the recipient's
 * store, so the answer may differ between recipients. */
static bool check_metadata(struct sema_ctx *ctx, struct ast_node *node)
{
    sema_res(ctx)->recipient_dependent = true;
    reg_def_id id = node->def->id;
    const ast_arg *names = node->sema->pos[id == REG_DEF_METADATA || id == REG_DEF_METADATAEXISTS ? 1 : 0];
    size_t n = names->kind == AST_ARG_STRING ? 1 : names->u.list.count;
    const ast_string *it = names->kind == AST_ARG_STRING ? &names->u.string : names->u.list.items;
    for (size_t i = 0; i < n; i++) {
        if (!sema_string_is_constant(ctx, &it[i]))
            continue;
        const char *why = rt_annotation_problem(it[i].text, it[i].len);
        if (!why)
            continue;
        sema_warning(ctx, it[i].span, "invalid-annotation", "'%s' is not a valid annotation name: %s",
                     it[i].text, why);
        sema_note(ctx, it[i].span, "annotations are named like \"/private/comment\" or "
                                   "\"/shared/vendor/example/x\" (RFC 5464 3.2); the test is false");
    }
    return true;
}
