/* RFC 6134 extlists: the :list match type (a row of reg_tags_match),
 * redirect :list, and the valid_ext_list test; the check of list names. */
#include "ext_tables.h"

#include <string.h>

#include "sema_ext.h"

#define P(n, t) { n, t, false }
#define END { NULL, REG_TAG_NONE, REG_G_NONE, REG_T_NONE, REG_EXT_CORE, REG_TAG_NONE, 0 }

/* RFC 6134 2.4: redirect :list <ext-list-name> sends to every member. */
const reg_tag ext_tags_redirect_list[] = {
    { "list", REG_TAG_REDIRECT_LIST, REG_G_NONE, REG_T_NONE, REG_EXT_EXTLISTS, REG_TAG_NONE, 0 },
    END
};

static bool check_valid_ext_list(struct sema_ctx *ctx, struct ast_node *node)
{
    return ext_extlists_check_names(ctx, node->sema->pos[0]);
}

const reg_def ext_defs_extlists[] = {
    /* RFC 6134 2.5 */
    { .id = REG_DEF_VALID_EXT_LIST, .name = "valid_ext_list", .kind = REG_TEST,
      .ext = REG_EXT_EXTLISTS,
      .params = { P("ext-list-names", REG_T_STRING_LIST) }, .nparams = 1,
      .check = check_valid_ext_list },
};
const size_t ext_ndefs_extlists = sizeof ext_defs_extlists / sizeof ext_defs_extlists[0];

static bool alpha(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

/* RFC 6134 2.1: a list name is an absolute URI (RFC 3986 4.3: a scheme,
 * ':', and more), or the short form ":addrbook:default" for
 * "urn:ietf:params:sieve:addrbook:default"; no white space or controls. */
static bool name_ok(const char *s, size_t len)
{
    for (size_t i = 0; i < len; i++)
        if ((unsigned char)s[i] <= ' ' || s[i] == 0x7f)
            return false;
    if (len >= 2 && s[0] == ':')
        return true;
    if (len < 3 || !alpha(s[0]))
        return false;
    size_t i = 1;
    while (i < len && (alpha(s[i]) || (s[i] >= '0' && s[i] <= '9') || s[i] == '+' || s[i] == '-' ||
                       s[i] == '.'))
        i++;
    return i < len - 1 && s[i] == ':';
}

bool ext_extlists_check_names(struct sema_ctx *ctx, const struct ast_arg *names)
{
    if (!names)
        return true;
    size_t n = names->kind == AST_ARG_STRING ? 1 : names->u.list.count;
    const ast_string *it = names->kind == AST_ARG_STRING ? &names->u.string : names->u.list.items;
    bool ok = true;
    for (size_t i = 0; i < n; i++) {
        if (!sema_string_is_constant(ctx, &it[i]) || name_ok(it[i].text, it[i].len))
            continue;
        sema_error(ctx, it[i].span, "invalid-list-name", "'%s' is not an external list name",
                   it[i].text);
        sema_note(ctx, it[i].span, "a list is named by a URI such as "
                                   "\"tag:example.com,2010-05-28:mylist\" or \":addrbook:default\" "
                                   "(RFC 6134 2.1)");
        ok = false;
    }
    return ok;
}
