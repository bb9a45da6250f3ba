/* RFC 5703: foreverypart and break (3), replace (5), enclose (6),
 * extracttext (7). The :mime options of header/address/exists are shared
 * tables in registry.c. */
#include "ext_tables.h"

#include <string.h>
#include <strings.h>

#include "sema_ext.h"

#define P(n, t) { n, t, false }
#define T(n, id, g, p, e) { n, id, g, p, e, REG_TAG_NONE, 0 }
#define END { NULL, REG_TAG_NONE, REG_G_NONE, REG_T_NONE, REG_EXT_CORE, REG_TAG_NONE, 0 }

static const reg_tag loop_tags[] = {
    T("name", REG_TAG_NAME, REG_G_NONE, REG_T_STRING, REG_EXT_FOREVERYPART),
    END
};

static const reg_tag replace_tags[] = {
    T("mime", REG_TAG_MIME, REG_G_NONE, REG_T_NONE, REG_EXT_REPLACE),
    T("subject", REG_TAG_SUBJECT, REG_G_NONE, REG_T_STRING, REG_EXT_REPLACE),
    T("from", REG_TAG_FROM, REG_G_NONE, REG_T_STRING, REG_EXT_REPLACE),
    END
};

static const reg_tag enclose_tags[] = {
    T("subject", REG_TAG_SUBJECT, REG_G_NONE, REG_T_STRING, REG_EXT_ENCLOSE),
    T("headers", REG_TAG_HEADERS, REG_G_NONE, REG_T_STRING_LIST, REG_EXT_ENCLOSE),
    END
};

static const reg_tag extracttext_tags[] = {
    T("first", REG_TAG_FIRST, REG_G_NONE, REG_T_NUMBER, REG_EXT_EXTRACTTEXT),
    END
};

const reg_def ext_defs_mime[] = {
    { .id = REG_DEF_FOREVERYPART, .name = "foreverypart", .kind = REG_COMMAND,
      .ext = REG_EXT_FOREVERYPART, .tagsets = { loop_tags },
      .flags = REG_F_BLOCK | REG_F_READS_BODY, .check = ext_check_foreverypart },
    { .id = REG_DEF_BREAK, .name = "break", .kind = REG_COMMAND, .ext = REG_EXT_FOREVERYPART,
      .tagsets = { loop_tags }, .flags = REG_F_CONTROL, .check = ext_check_break },
    { .id = REG_DEF_REPLACE, .name = "replace", .kind = REG_COMMAND, .ext = REG_EXT_REPLACE,
      .params = { P("replacement", REG_T_STRING) }, .nparams = 1,
      .tagsets = { replace_tags }, .flags = REG_F_ACTION, .check = ext_check_from_address },
    { .id = REG_DEF_ENCLOSE, .name = "enclose", .kind = REG_COMMAND, .ext = REG_EXT_ENCLOSE,
      .params = { P("text", REG_T_STRING) }, .nparams = 1,
      .tagsets = { enclose_tags }, .flags = REG_F_ACTION },
    { .id = REG_DEF_EXTRACTTEXT, .name = "extracttext", .kind = REG_COMMAND, .ext = REG_EXT_EXTRACTTEXT,
      .params = { P("varname", REG_T_STRING) }, .nparams = 1,
      .tagsets = { extracttext_tags, reg_tags_modifiers }, .flags = REG_F_READS_BODY,
      .check = ext_check_extracttext },
};
const size_t ext_ndefs_mime = sizeof ext_defs_mime / sizeof ext_defs_mime[0];

bool ext_check_foreverypart(struct sema_ctx *ctx, struct ast_node *node)
{
    /* The bound is --limit loop_nesting (default Pigeonhole's 4). */
    size_t max = sema_limits(ctx)->max_loop_nesting;
    if (sema_loop_depth(ctx) < max)
        return true;
    sema_error(ctx, node->name_span, "limit-exceeded",
               "'foreverypart' nested more than %zu deep (limit loop_nesting=%zu)", max, max);
    return false;
}

/* RFC 5703 3.2: break leaves the innermost foreverypart, or the enclosing
 * one with that :name; outside any, it is an error. */
bool ext_check_break(struct sema_ctx *ctx, struct ast_node *node)
{
    const sema_tagval *nm = sema_node_tag(node->sema, REG_TAG_NAME);
    const char *name = nm ? nm->param->u.string.text : NULL;
    node->sema->loop = sema_find_loop(ctx, name);
    if (node->sema->loop)
        return true;
    if (name)
        sema_error(ctx, nm->param->span, "break-outside-foreverypart",
                   "'break' names no enclosing 'foreverypart :name \"%s\"'", name);
    else
        sema_error(ctx, node->name_span, "break-outside-foreverypart",
                   "'break' outside of 'foreverypart'");
    return false;
}
