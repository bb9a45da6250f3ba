/* Tests of single-purpose extensions: body (RFC 5173), spamtest and
 * virustest (RFC 5235), mailboxexists (RFC 5490 3.1), environment
 * (RFC 5183), duplicate (RFC 7352), ihave and error (RFC 5463),
 * mailboxidexists (RFC 9042 4). */
#include "ext_tables.h"

#include <string.h>
#include <strings.h>

#include "sema_ext.h"

#define P(n, t) { n, t, false }
#define T(n, id, g, p, e) { n, id, g, p, e, REG_TAG_NONE, 0 }
#define END { NULL, REG_TAG_NONE, REG_G_NONE, REG_T_NONE, REG_EXT_CORE, REG_TAG_NONE, 0 }

/* RFC 5173 5 */
static const reg_tag body_tags[] = {
    T("raw", REG_TAG_RAW, REG_G_BODY_TRANSFORM, REG_T_NONE, REG_EXT_BODY),
    T("content", REG_TAG_CONTENT, REG_G_BODY_TRANSFORM, REG_T_STRING_LIST, REG_EXT_BODY),
    T("text", REG_TAG_TEXT, REG_G_BODY_TRANSFORM, REG_T_NONE, REG_EXT_BODY),
    END
};

/* RFC 5235 3.2 */
static const reg_tag spamtest_tags[] = {
    T("percent", REG_TAG_PERCENT, REG_G_NONE, REG_T_NONE, REG_EXT_SPAMTESTPLUS),
    END
};

/* RFC 7352 3 */
static const reg_tag duplicate_tags[] = {
    T("handle", REG_TAG_HANDLE, REG_G_NONE, REG_T_STRING, REG_EXT_DUPLICATE),
    T("header", REG_TAG_HEADER, REG_G_DUPLICATE_ID, REG_T_STRING, REG_EXT_DUPLICATE),
    T("uniqueid", REG_TAG_UNIQUEID, REG_G_DUPLICATE_ID, REG_T_STRING, REG_EXT_DUPLICATE),
    T("seconds", REG_TAG_SECONDS, REG_G_NONE, REG_T_NUMBER, REG_EXT_DUPLICATE),
    T("last", REG_TAG_LAST, REG_G_NONE, REG_T_NONE, REG_EXT_DUPLICATE),
    END
};

const reg_def ext_defs_tests[] = {
    { .id = REG_DEF_BODY, .name = "body", .kind = REG_TEST, .ext = REG_EXT_BODY,
      .params = { P("key-list", REG_T_STRING_LIST) }, .nparams = 1,
      .tagsets = { body_tags, reg_tags_match }, .flags = REG_F_MATCH | REG_F_READS_BODY },
    { .id = REG_DEF_SPAMTEST, .name = "spamtest", .kind = REG_TEST, .ext = REG_EXT_SPAMTEST,
      .params = { P("value", REG_T_STRING) }, .nparams = 1,
      .tagsets = { spamtest_tags, reg_tags_match }, .flags = REG_F_MATCH | REG_F_READS_HEADERS,
      .check = ext_check_spamtest },
    { .id = REG_DEF_VIRUSTEST, .name = "virustest", .kind = REG_TEST, .ext = REG_EXT_VIRUSTEST,
      .params = { P("value", REG_T_STRING) }, .nparams = 1,
      .tagsets = { reg_tags_match }, .flags = REG_F_MATCH | REG_F_READS_HEADERS,
      .check = ext_check_spamtest },
    { .id = REG_DEF_MAILBOXEXISTS, .name = "mailboxexists", .kind = REG_TEST, .ext = REG_EXT_MAILBOX,
      .params = { P("mailbox-names", REG_T_STRING_LIST) }, .nparams = 1,
      .check = ext_check_mailbox_names },
    { .id = REG_DEF_ENVIRONMENT, .name = "environment", .kind = REG_TEST, .ext = REG_EXT_ENVIRONMENT,
      .params = { P("name", REG_T_STRING), P("key-list", REG_T_STRING_LIST) }, .nparams = 2,
      .tagsets = { reg_tags_match }, .flags = REG_F_MATCH, .check = ext_check_environment },
    { .id = REG_DEF_DUPLICATE, .name = "duplicate", .kind = REG_TEST, .ext = REG_EXT_DUPLICATE,
      /* Message-ID, or the :header field (RFC 7352 3.1) */
      .tagsets = { duplicate_tags }, .flags = REG_F_READS_HEADERS, .check = ext_check_duplicate },
    { .id = REG_DEF_IHAVE, .name = "ihave", .kind = REG_TEST, .ext = REG_EXT_IHAVE,
      .params = { P("capabilities", REG_T_STRING_LIST) }, .nparams = 1 },
    { .id = REG_DEF_ERROR, .name = "error", .kind = REG_COMMAND, .ext = REG_EXT_IHAVE,
      .params = { P("message", REG_T_STRING) }, .nparams = 1 },
    { .id = REG_DEF_MAILBOXIDEXISTS, .name = "mailboxidexists", .kind = REG_TEST, .ext = REG_EXT_MAILBOXID,
      .params = { P("mailbox-objectids", REG_T_STRING_LIST) }, .nparams = 1 },
};
const size_t ext_ndefs_tests = sizeof ext_defs_tests / sizeof ext_defs_tests[0];

/* RFC 7352 3: :header names a header field; the test keeps per-user
 * state, so its answer differs between recipients. */
bool ext_check_duplicate(struct sema_ctx *ctx, struct ast_node *node)
{
    sema_res(ctx)->recipient_dependent = true;
    sema_res(ctx)->reads_headers = true;
    const sema_tagval *h = sema_node_tag(node->sema, REG_TAG_HEADER);
    if (!h) {
        sema_add_header_name(ctx, "message-id", 10);
        return true;
    }
    const ast_string *s = &h->param->u.string;
    if (!sema_string_is_constant(ctx, s)) {
        sema_res(ctx)->headers_dynamic = true;
        return true;
    }
    if (!sema_is_header_name(s->text, s->len)) {
        /* A warning, as in Pigeonhole: the test then never matches. */
        sema_warning(ctx, s->span, "invalid-header-name", "'%s' is not a valid header field name",
                     s->text);
        return true;
    }
    sema_add_header_name(ctx, s->text, s->len);
    return true;
}

/* Which headers spamtest/virustest read is server configuration. */
bool ext_check_spamtest(struct sema_ctx *ctx, struct ast_node *node)
{
    (void)node;
    sema_res(ctx)->headers_dynamic = true;
    return true;
}

/* Mailboxes are per user. */
bool ext_check_mailbox_names(struct sema_ctx *ctx, struct ast_node *node)
{
    (void)node;
    sema_res(ctx)->recipient_dependent = true;
    return true;
}

/* RFC 5183 4: these items are the same for every recipient of one
 * transaction; any other (or a variable name) may not be. */
bool ext_check_environment(struct sema_ctx *ctx, struct ast_node *node)
{
    static const char *const fixed[] = {
        "domain", "host", "location", "name", "phase", "remote-host", "remote-ip", "version",
    };
    const ast_string *s = &node->sema->pos[0]->u.string;
    bool known = false;
    if (sema_string_is_constant(ctx, s))
        for (size_t i = 0; i < sizeof fixed / sizeof fixed[0]; i++)
            if (strcasecmp(s->text, fixed[i]) == 0)
                known = true;
    if (!known)
        sema_res(ctx)->recipient_dependent = true;
    return true;
}
