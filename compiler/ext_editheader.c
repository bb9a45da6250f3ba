/* RFC 5293: addheader (4), deleteheader (5). Their :index/:last belong to
 * editheader itself, not to the index extension. */
#include "ext_tables.h"

#include <string.h>
#include <strings.h>

#include "sema_ext.h"

#define P(n, t) { n, t, false }
#define O(n, t) { n, t, true }
#define END { NULL, REG_TAG_NONE, REG_G_NONE, REG_T_NONE, REG_EXT_CORE, REG_TAG_NONE, 0 }

static const reg_tag addheader_tags[] = {
    { "last", REG_TAG_LAST, REG_G_NONE, REG_T_NONE, REG_EXT_EDITHEADER, REG_TAG_NONE, 0 },
    END
};

static const reg_tag deleteheader_tags[] = {
    { "index", REG_TAG_INDEX, REG_G_NONE, REG_T_NUMBER, REG_EXT_EDITHEADER, REG_TAG_NONE, 0 },
    { "last", REG_TAG_LAST, REG_G_NONE, REG_T_NONE, REG_EXT_EDITHEADER, REG_TAG_INDEX, 0 },
    END
};

const reg_def ext_defs_editheader[] = {
    { .id = REG_DEF_ADDHEADER, .name = "addheader", .kind = REG_COMMAND, .ext = REG_EXT_EDITHEADER,
      .params = { P("field-name", REG_T_STRING), P("value", REG_T_STRING) }, .nparams = 2,
      .tagsets = { addheader_tags }, .check = ext_check_addheader },
    { .id = REG_DEF_DELETEHEADER, .name = "deleteheader", .kind = REG_COMMAND, .ext = REG_EXT_EDITHEADER,
      .params = { P("field-name", REG_T_STRING), O("value-patterns", REG_T_STRING_LIST) }, .nparams = 2,
      .tagsets = { deleteheader_tags, reg_tags_match }, .flags = REG_F_MATCH,
      .check = ext_check_deleteheader },
};
const size_t ext_ndefs_editheader = sizeof ext_defs_editheader / sizeof ext_defs_editheader[0];

static bool check_field_name(struct sema_ctx *ctx, struct ast_node *node)
{
    const ast_string *s = &node->sema->pos[0]->u.string;
    if (!sema_string_is_constant(ctx, s))
        return true;
    /* RFC 5293 4/5: the field name must be a valid RFC 5322 field-name. */
    if (!sema_is_header_name(s->text, s->len) || memchr(s->text, '\0', s->len)) {
        sema_error(ctx, s->span, "invalid-header-name", "'%s' is not a valid header field name",
                   s->text);
        return false;
    }
    return true;
}

bool ext_check_addheader(struct sema_ctx *ctx, struct ast_node *node)
{
    return check_field_name(ctx, node);
}

/* RFC 5293 6 lets implementations protect fields; like Pigeonhole we refuse
 * to delete Received and Auto-Submitted at run time, and warn now. */
bool ext_check_deleteheader(struct sema_ctx *ctx, struct ast_node *node)
{
    if (!check_field_name(ctx, node))
        return false;
    const ast_string *s = &node->sema->pos[0]->u.string;
    if (sema_string_is_constant(ctx, s) &&
        (strcasecmp(s->text, "received") == 0 || strcasecmp(s->text, "auto-submitted") == 0))
        sema_warning(ctx, s->span, "protected-header",
                     "'%s' header fields cannot be deleted; this command will do nothing", s->text);
    return true;
}
