/* Delivery and refusal actions: fileinto (RFC 5228 4.1) with :copy
 * (RFC 3894), :flags (RFC 5232), :create (RFC 5490 3.2), :specialuse
 * (RFC 8579 4), :mailboxid (RFC 9042 3); reject and ereject (RFC 5429);
 * and the specialuse_exists test (RFC 8579 3). */
#include "ext_tables.h"

#include <string.h>
#include <strings.h>

#include "sema_ext.h"

#define P(n, t) { n, t, false }
#define O(n, t) { n, t, true }
#define END { NULL, REG_TAG_NONE, REG_G_NONE, REG_T_NONE, REG_EXT_CORE, REG_TAG_NONE, 0 }

static const reg_tag fileinto_tags[] = {
    { "copy", REG_TAG_COPY, REG_G_NONE, REG_T_NONE, REG_EXT_COPY, REG_TAG_NONE, 0 },
    { "flags", REG_TAG_FLAGS, REG_G_NONE, REG_T_STRING_LIST, REG_EXT_IMAP4FLAGS, REG_TAG_NONE, 0 },
    { "create", REG_TAG_CREATE, REG_G_NONE, REG_T_NONE, REG_EXT_MAILBOX, REG_TAG_NONE, 0 },
    { "specialuse", REG_TAG_SPECIALUSE, REG_G_NONE, REG_T_STRING, REG_EXT_SPECIAL_USE, REG_TAG_NONE, 0 },
    { "mailboxid", REG_TAG_MAILBOXID, REG_G_NONE, REG_T_STRING, REG_EXT_MAILBOXID, REG_TAG_NONE, 0 },
    END
};

const reg_def ext_defs_actions[] = {
    { .id = REG_DEF_FILEINTO, .name = "fileinto", .kind = REG_COMMAND, .ext = REG_EXT_FILEINTO,
      .params = { P("mailbox", REG_T_STRING) }, .nparams = 1,
      .tagsets = { fileinto_tags }, .flags = REG_F_ACTION | REG_F_CANCELS_KEEP,
      .check = ext_check_fileinto },
    /* RFC 5429 2.2 */
    { .id = REG_DEF_REJECT, .name = "reject", .kind = REG_COMMAND, .ext = REG_EXT_REJECT,
      .params = { P("reason", REG_T_STRING) }, .nparams = 1,
      .flags = REG_F_ACTION | REG_F_CANCELS_KEEP },
    /* RFC 5429 2.1 */
    { .id = REG_DEF_EREJECT, .name = "ereject", .kind = REG_COMMAND, .ext = REG_EXT_EREJECT,
      .params = { P("reason", REG_T_STRING) }, .nparams = 1,
      .flags = REG_F_ACTION | REG_F_CANCELS_KEEP },
    { .id = REG_DEF_SPECIALUSE_EXISTS, .name = "specialuse_exists", .kind = REG_TEST,
      .ext = REG_EXT_SPECIAL_USE,
      .params = { O("mailbox", REG_T_STRING), P("special-use-attrs", REG_T_STRING_LIST) },
      .nparams = 2, .check = ext_check_specialuse_exists },
};
const size_t ext_ndefs_actions = sizeof ext_defs_actions / sizeof ext_defs_actions[0];

/* RFC 8579 3: a special-use attribute is "\" followed by an atom. */
static bool special_use_ok(const char *s)
{
    if (s[0] != '\\' || !s[1])
        return false;
    for (const char *p = s + 1; *p; p++)
        if ((unsigned char)*p <= ' ' || strchr("(){%*\"\\]", *p))
            return false;
    return true;
}

bool ext_check_specialuse_exists(struct sema_ctx *ctx, struct ast_node *node)
{
    const ast_arg *a = node->sema->pos[1];
    size_t n = a->kind == AST_ARG_STRING ? 1 : a->u.list.count;
    const ast_string *it = a->kind == AST_ARG_STRING ? &a->u.string : a->u.list.items;
    sema_res(ctx)->recipient_dependent = true;   /* per-user mailboxes */
    for (size_t i = 0; i < n; i++) {
        if (sema_string_is_constant(ctx, &it[i]) && !special_use_ok(it[i].text)) {
            sema_error(ctx, it[i].span, "invalid-value", "'%s' is not a special-use attribute",
                       it[i].text);
            sema_note(ctx, it[i].span, "attributes look like \"\\\\Junk\" (RFC 6154)");
            return false;
        }
    }
    return true;
}

bool ext_check_fileinto(struct sema_ctx *ctx, struct ast_node *node)
{
    const sema_tagval *su = sema_node_tag(node->sema, REG_TAG_SPECIALUSE);
    if (su && sema_string_is_constant(ctx, &su->param->u.string) &&
        !special_use_ok(su->param->u.string.text)) {
        sema_error(ctx, su->param->span, "invalid-value",
                   "'%s' is not a special-use attribute", su->param->u.string.text);
        sema_note(ctx, su->param->span, "attributes look like \"\\\\Junk\" (RFC 6154)");
        return false;
    }
    return true;
}
