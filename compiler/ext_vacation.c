/* RFC 5230 vacation, RFC 6131 :seconds, RFC 8580 :fcc. */
#include "ext_tables.h"

#include <string.h>
#include <strings.h>

#include "sema_ext.h"

#define P(n, t) { n, t, false }
#define T(n, id, g, p, e) { n, id, g, p, e, REG_TAG_NONE, 0 }
#define END { NULL, REG_TAG_NONE, REG_G_NONE, REG_T_NONE, REG_EXT_CORE, REG_TAG_NONE, 0 }

/* RFC 5230 4; RFC 6131 2 (:seconds excludes :days). */
static const reg_tag vacation_tags[] = {
    T("days", REG_TAG_DAYS, REG_G_VACATION_PERIOD, REG_T_NUMBER, REG_EXT_VACATION),
    T("seconds", REG_TAG_SECONDS, REG_G_VACATION_PERIOD, REG_T_NUMBER, REG_EXT_VACATION_SECONDS),
    T("subject", REG_TAG_SUBJECT, REG_G_NONE, REG_T_STRING, REG_EXT_VACATION),
    T("from", REG_TAG_FROM, REG_G_NONE, REG_T_STRING, REG_EXT_VACATION),
    T("addresses", REG_TAG_ADDRESSES, REG_G_NONE, REG_T_STRING_LIST, REG_EXT_VACATION),
    T("mime", REG_TAG_VACATION_MIME, REG_G_NONE, REG_T_NONE, REG_EXT_VACATION),
    T("handle", REG_TAG_HANDLE, REG_G_NONE, REG_T_STRING, REG_EXT_VACATION),
    END
};

const reg_def ext_defs_vacation[] = {
    { .id = REG_DEF_VACATION, .name = "vacation", .kind = REG_COMMAND, .ext = REG_EXT_VACATION,
      .params = { P("reason", REG_T_STRING) }, .nparams = 1,
      .tagsets = { vacation_tags, reg_tags_fcc },
      /* the reply rules read List-*, Auto-Submitted, To/Cc, Message-ID (RFC 5230 4.5-4.7) */
      .flags = REG_F_ACTION | REG_F_READS_HEADERS,
      .check = ext_check_vacation },
};
const size_t ext_ndefs_vacation = sizeof ext_defs_vacation / sizeof ext_defs_vacation[0];

/* Checks an address-valued tag parameter when it is a constant. */
static bool check_address_tag(struct sema_ctx *ctx, const sema_tagval *tv, const char *cmd)
{
    if (!tv || !sema_string_is_constant(ctx, &tv->param->u.string))
        return true;
    const ast_string *s = &tv->param->u.string;
    if (sema_is_addr_spec(s->text, s->len))
        return true;
    sema_error(ctx, s->span, "invalid-address", "':%s' of '%s' is not a valid address: '%s'",
               tv->tag->name, cmd, s->text);
    return false;
}

/* RFC 5230 4.4 (:from must be a valid address); RFC 8580 (:fcc mailbox).
 * A vacation reply depends on who the recipient is (RFC 5230 4.5). */
bool ext_check_vacation(struct sema_ctx *ctx, struct ast_node *node)
{
    sema_res(ctx)->recipient_dependent = true;
    return check_address_tag(ctx, sema_node_tag(node->sema, REG_TAG_FROM), "vacation");
}

/* replace :from (RFC 5703 5). */
bool ext_check_from_address(struct sema_ctx *ctx, struct ast_node *node)
{
    return check_address_tag(ctx, sema_node_tag(node->sema, REG_TAG_FROM), node->def->name);
}
