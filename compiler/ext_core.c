/* RFC 5228: the base language (control commands 3, actions 4, tests 5)
 * and envelope (5.4), which is in the base RFC but needs a require. */
#include "ext_tables.h"

#include <string.h>
#include <strings.h>

#include "sema_ext.h"

#define P(n, t) { n, t, false }
#define END { NULL, REG_TAG_NONE, REG_G_NONE, REG_T_NONE, REG_EXT_CORE, REG_TAG_NONE, 0 }

/* keep [:flags] (RFC 5232 5). */
static const reg_tag keep_tags[] = {
    { "flags", REG_TAG_FLAGS, REG_G_NONE, REG_T_STRING_LIST, REG_EXT_IMAP4FLAGS, REG_TAG_NONE, 0 },
    END
};

/* redirect [:copy] (RFC 3894 3). */
static const reg_tag redirect_tags[] = {
    { "copy", REG_TAG_COPY, REG_G_NONE, REG_T_NONE, REG_EXT_COPY, REG_TAG_NONE, 0 },
    END
};

/* RFC 5228 5.9: size :over / :under, exactly one (checked by the hook). */
static const reg_tag size_tags[] = {
    { "over", REG_TAG_OVER, REG_G_SIZE, REG_T_NONE, REG_EXT_CORE, REG_TAG_NONE, 0 },
    { "under", REG_TAG_UNDER, REG_G_SIZE, REG_T_NONE, REG_EXT_CORE, REG_TAG_NONE, 0 },
    END
};

const reg_def ext_defs_core[] = {
    /* 3.2 */
    { .id = REG_DEF_REQUIRE, .name = "require", .kind = REG_COMMAND,
      .params = { P("capabilities", REG_T_STRING_LIST) }, .nparams = 1,
      .flags = REG_F_REQUIRE, .check = ext_check_require },
    /* 3.1 */
    { .id = REG_DEF_IF, .name = "if", .kind = REG_COMMAND,
      .sub = REG_SUB_TEST, .flags = REG_F_BLOCK | REG_F_IF },
    { .id = REG_DEF_ELSIF, .name = "elsif", .kind = REG_COMMAND,
      .sub = REG_SUB_TEST, .flags = REG_F_BLOCK | REG_F_ELSIF },
    { .id = REG_DEF_ELSE, .name = "else", .kind = REG_COMMAND,
      .flags = REG_F_BLOCK | REG_F_ELSE },
    /* 3.3 */
    { .id = REG_DEF_STOP, .name = "stop", .kind = REG_COMMAND, .flags = REG_F_CONTROL },
    /* 4.3, 4.4, 4.2 */
    { .id = REG_DEF_KEEP, .name = "keep", .kind = REG_COMMAND,
      .tagsets = { keep_tags }, .flags = REG_F_ACTION | REG_F_CANCELS_KEEP },
    { .id = REG_DEF_DISCARD, .name = "discard", .kind = REG_COMMAND,
      .flags = REG_F_ACTION | REG_F_CANCELS_KEEP },
    { .id = REG_DEF_REDIRECT, .name = "redirect", .kind = REG_COMMAND,
      .params = { P("address", REG_T_STRING) }, .nparams = 1,
      .tagsets = { redirect_tags, ext_tags_redirect_dsn, ext_tags_redirect_list }, .flags = REG_F_ACTION | REG_F_CANCELS_KEEP,
      .check = ext_check_redirect },
    /* 5.1 */
    { .id = REG_DEF_ADDRESS, .name = "address", .kind = REG_TEST,
      .params = { P("header-list", REG_T_STRING_LIST), P("key-list", REG_T_STRING_LIST) }, .nparams = 2,
      .tagsets = { reg_tags_match, reg_tags_addrpart, reg_tags_index, reg_tags_mime_any },
      .flags = REG_F_MATCH | REG_F_ADDRESS_PART | REG_F_READS_HEADERS | REG_F_HEADER_LIST,
      .check = ext_check_header_index },
    /* 5.2, 5.3 */
    { .id = REG_DEF_ALLOF, .name = "allof", .kind = REG_TEST, .sub = REG_SUB_TEST_LIST },
    { .id = REG_DEF_ANYOF, .name = "anyof", .kind = REG_TEST, .sub = REG_SUB_TEST_LIST },
    /* 5.4 */
    { .id = REG_DEF_ENVELOPE, .name = "envelope", .kind = REG_TEST, .ext = REG_EXT_ENVELOPE,
      .params = { P("envelope-part", REG_T_STRING_LIST), P("key-list", REG_T_STRING_LIST) }, .nparams = 2,
      .tagsets = { reg_tags_match, reg_tags_addrpart, ext_tags_envelope_deliverby },
      .flags = REG_F_MATCH | REG_F_ADDRESS_PART | REG_F_READS_ENVELOPE,
      .check = ext_check_envelope },
    /* 5.5 */
    { .id = REG_DEF_EXISTS, .name = "exists", .kind = REG_TEST,
      .params = { P("header-names", REG_T_STRING_LIST) }, .nparams = 1,
      .tagsets = { reg_tags_mime_any },
      .flags = REG_F_READS_HEADERS | REG_F_HEADER_LIST, .check = ext_check_header_index },
    /* 5.6, 5.10 */
    { .id = REG_DEF_FALSE, .name = "false", .kind = REG_TEST },
    { .id = REG_DEF_TRUE, .name = "true", .kind = REG_TEST },
    /* 5.7 */
    { .id = REG_DEF_HEADER, .name = "header", .kind = REG_TEST,
      .params = { P("header-names", REG_T_STRING_LIST), P("key-list", REG_T_STRING_LIST) }, .nparams = 2,
      .tagsets = { reg_tags_match, reg_tags_index, reg_tags_mime_any, reg_tags_mime_opts },
      .flags = REG_F_MATCH | REG_F_READS_HEADERS | REG_F_HEADER_LIST,
      .check = ext_check_header_index },
    /* 5.8 */
    { .id = REG_DEF_NOT, .name = "not", .kind = REG_TEST, .sub = REG_SUB_TEST },
    /* 5.9 */
    { .id = REG_DEF_SIZE, .name = "size", .kind = REG_TEST,
      .params = { P("limit", REG_T_NUMBER) }, .nparams = 1,
      .tagsets = { size_tags }, .check = ext_check_size },
};
const size_t ext_ndefs_core = sizeof ext_defs_core / sizeof ext_defs_core[0];

/* Items of a string or string-list argument. */
static const ast_string *items_of(const ast_arg *a, size_t *n_r)
{
    if (!a) {
        *n_r = 0;
        return NULL;
    }
    *n_r = a->kind == AST_ARG_STRING ? 1 : a->u.list.count;
    return a->kind == AST_ARG_STRING ? &a->u.string : a->u.list.items;
}

/* RFC 5228 3.2: unknown capabilities are errors; obsolete drafts name
 * their replacement. */
bool ext_check_require(struct sema_ctx *ctx, struct ast_node *node)
{
    size_t n;
    const ast_string *it = items_of(node->sema->pos[0], &n);
    bool ok = true;
    for (size_t i = 0; i < n; i++) {
        const reg_ext *e = memchr(it[i].text, '\0', it[i].len) ? NULL : reg_ext_lookup(it[i].text);
        if (!e) {
            sema_error(ctx, it[i].span, "unknown-extension", "unknown extension \"%s\"", it[i].text);
            const reg_def *d = reg_def_lookup_any(it[i].text);
            if (d && d->ext == REG_EXT_CORE)
                sema_note(ctx, it[i].span, "'%s' is part of the base language and needs no require",
                          d->name);
            else if (d)
                sema_note(ctx, it[i].span, "'%s' is provided by require \"%s\"", d->name,
                          reg_ext_get(d->ext)->name);
            ok = false;
        } else if (e->deprecated) {
            sema_error(ctx, it[i].span, "deprecated-extension",
                       "\"%s\" is an obsolete draft extension (%s)", e->name, e->rfc);
            sema_note(ctx, it[i].span, "use require \"%s\" instead", e->replacement);
            ok = false;
        } else if (e->id == REG_EXT_EXTRACTTEXT && !ext_extracttext_deps(ctx, it[i].span)) {
            ok = false;
        }
    }
    return ok;
}

/* RFC 5228 4.2: the address must be syntactically valid; with variables it
 * can only be checked at run time. */
bool ext_check_redirect(struct sema_ctx *ctx, struct ast_node *node)
{
    const ast_string *s = &node->sema->pos[0]->u.string;
    if (!ext_dsn_check_redirect(ctx, node))
        return false;
    /* RFC 6134 2.4: with :list the argument names a list, not an address. */
    if (sema_node_tag(node->sema, REG_TAG_REDIRECT_LIST))
        return ext_extlists_check_names(ctx, node->sema->pos[0]);
    if (!sema_string_is_constant(ctx, s) || sema_is_addr_spec(s->text, s->len))
        return true;
    sema_error(ctx, s->span, "invalid-address", "'%s' is not a valid address to redirect to",
               s->text);
    sema_note(ctx, s->span, "redirect needs a mail address such as \"user@example.org\"");
    return false;
}

/* RFC 5228 5.4: "from" and "to"; Pigeonhole also knows "auth"; RFC 6009
 * adds parts with envelope-dsn and envelope-deliverby (ext_dsn.c). */
bool ext_check_envelope(struct sema_ctx *ctx, struct ast_node *node)
{
    size_t n;
    const ast_string *it = items_of(node->sema->pos[0], &n);
    bool ok = ext_dsn_check_envelope_zone(ctx, node);
    for (size_t i = 0; i < n; i++) {
        if (!sema_string_is_constant(ctx, &it[i])) {
            sema_res(ctx)->recipient_dependent = true;
            continue;
        }
        if (!ext_dsn_check_envelope_part(ctx, &it[i]))
            ok = false;
        else if (strcasecmp(it[i].text, "to") == 0 || strcasecmp(it[i].text, "notify") == 0 ||
                 strcasecmp(it[i].text, "orcpt") == 0)
            sema_res(ctx)->recipient_dependent = true;
    }
    return ok;
}

/* RFC 5228 5.9: exactly one of :over and :under (two is caught as a
 * conflict by the tag group). */
bool ext_check_size(struct sema_ctx *ctx, struct ast_node *node)
{
    sema_res(ctx)->reads_size = true;
    if (sema_node_tag(node->sema, REG_TAG_OVER) || sema_node_tag(node->sema, REG_TAG_UNDER))
        return true;
    sema_error(ctx, node->name_span, "missing-argument", "'size' needs ':over' or ':under'");
    return false;
}

/* RFC 5228 5.1: "Implementations MUST restrict the address test to headers
 * that contain addresses, but MUST include at least From, To, Cc, Bcc,
 * Sender, Resent-From, and Resent-To." The list is Pigeonhole's, so the
 * same scripts pass. */
static const char *const address_headers[] = {
    "from", "sender", "reply-to", "to", "cc", "bcc",
    "resent-from", "resent-sender", "resent-to", "resent-cc", "resent-bcc", "resent-reply-to",
    "delivered-to", "x-original-to", "errors-to", "mail-followup-to", "mail-reply-to",
    "apparently-to", "x-beenthere", "return-receipt-to", "abuse-reports-to",
};

bool ext_check_header_index(struct sema_ctx *ctx, struct ast_node *node)
{
    if (node->def->id != REG_DEF_ADDRESS)
        return true;
    size_t n;
    const ast_string *it = items_of(node->sema->pos[0], &n);
    bool ok = true;
    for (size_t i = 0; i < n; i++) {
        if (!sema_string_is_constant(ctx, &it[i]))
            continue;
        bool known = false;
        for (size_t k = 0; k < sizeof address_headers / sizeof address_headers[0]; k++)
            if (strcasecmp(it[i].text, address_headers[k]) == 0)
                known = true;
        if (!known) {
            sema_error(ctx, it[i].span, "not-an-address-header",
                       "'%s' is not a header field that holds addresses", it[i].text);
            sema_note(ctx, it[i].span, "use 'header' to match its text, or an address field such as "
                                       "\"from\", \"to\", \"cc\", \"sender\", \"reply-to\"");
            ok = false;
        }
    }
    return ok;
}
