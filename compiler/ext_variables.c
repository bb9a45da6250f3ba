/* RFC 5229: set (4) with modifiers (4.1), the string test (5). */
#include "ext_tables.h"

#include <string.h>
#include <strings.h>

#include "sema_ext.h"

#define P(n, t) { n, t, false }

const reg_def ext_defs_variables[] = {
    { .id = REG_DEF_SET, .name = "set", .kind = REG_COMMAND, .ext = REG_EXT_VARIABLES,
      .params = { P("name", REG_T_STRING), P("value", REG_T_STRING) }, .nparams = 2,
      .tagsets = { reg_tags_modifiers }, .check = ext_check_set },
    { .id = REG_DEF_STRING, .name = "string", .kind = REG_TEST, .ext = REG_EXT_VARIABLES,
      .params = { P("source", REG_T_STRING_LIST), P("key-list", REG_T_STRING_LIST) }, .nparams = 2,
      .tagsets = { reg_tags_match }, .flags = REG_F_MATCH },
};
const size_t ext_ndefs_variables = sizeof ext_defs_variables / sizeof ext_defs_variables[0];

/* Sorts the modifiers by precedence, highest first (RFC 5229 4.1). */
static void sort_modifiers(struct sema_ctx *ctx, sema_node *sn)
{
    size_t n = 0;
    for (size_t i = 0; i < sn->ntags; i++)
        n += sn->tags[i].tag->rank > 0;
    if (!n)
        return;
    const reg_tag **m = arena_calloc(sema_arena(ctx), n, sizeof *m);
    size_t k = 0;
    for (size_t i = 0; i < sn->ntags; i++)
        if (sn->tags[i].tag->rank > 0)
            m[k++] = sn->tags[i].tag;
    for (size_t i = 1; i < n; i++)
        for (size_t j = i; j > 0 && m[j]->rank > m[j - 1]->rank; j--) {
            const reg_tag *t = m[j];
            m[j] = m[j - 1];
            m[j - 1] = t;
        }
    sn->modifiers = m;
    sn->nmodifiers = n;
}

/* A name that set, extracttext, global or the flag commands assign to
 * (RFC 5229 4: "the name MUST be a constant" variable-name; namespaced
 * names need the namespace's extension: only "global", RFC 6609). */
bool ext_check_variable_name(struct sema_ctx *ctx, const ast_string *s)
{
    bool digits = s->len > 0;
    for (size_t i = 0; i < s->len; i++)
        digits = digits && s->text[i] >= '0' && s->text[i] <= '9';
    if (digits) {
        sema_error(ctx, s->span, "invalid-variable-name", "cannot assign to the match variable '%s'",
                   s->text);
        sema_note(ctx, s->span, "match variables are set by :matches and :regex (RFC 5229 3.2)");
        return false;
    }
    if (s->len > SEMA_MAX_VARIABLE_NAME) {
        sema_error(ctx, s->span, "limit-exceeded",
                   "variable name of %zu bytes is longer than the limit of %d", s->len,
                   SEMA_MAX_VARIABLE_NAME);
        return false;
    }
    if (!sema_valid_variable_name(s->text, s->len) || memchr(s->text, '\0', s->len)) {
        sema_error(ctx, s->span, "invalid-variable-name", "'%s' is not a valid variable name",
                   s->text);
        sema_note(ctx, s->span, "names start with a letter or '_' and go on with letters, "
                                "digits and '_' (RFC 5229 3)");
        return false;
    }
    const char *dot = memchr(s->text, '.', s->len);
    if (!dot) {
        sema_var_use(ctx, s->text, s->len);
        return true;
    }
    size_t nslen = (size_t)(dot - s->text);
    if (nslen == 6 && strncasecmp(s->text, "global", 6) == 0 && !memchr(dot + 1, '.', s->len - 7)) {
        if (sema_has_ext(ctx, REG_EXT_INCLUDE))
            return true;
        sema_error(ctx, s->span, "invalid-namespace", "the \"global\" namespace needs require \"include\"");
        return false;
    }
    if (nslen == 3 && strncasecmp(s->text, "env", 3) == 0 &&
        sema_has_ext(ctx, REG_EXT_VND_ENVIRONMENT)) {
        /* vnd.dovecot.environment: env.* are the environment's items. */
        sema_error(ctx, s->span, "invalid-namespace",
                   "variable '%s' cannot be set: the \"env\" namespace is read-only", s->text);
        return false;
    }
    sema_error(ctx, s->span, "invalid-namespace", "variable '%s' is in an unknown namespace '%.*s'",
               s->text, (int)nslen, s->text);
    return false;
}

bool ext_check_set(struct sema_ctx *ctx, struct ast_node *node)
{
    sort_modifiers(ctx, node->sema);
    return ext_check_variable_name(ctx, &node->sema->pos[0]->u.string);
}

/* RFC 5703 7: extracttext builds on variables and runs inside
 * foreverypart, so requiring it without them is an error (reported at the
 * require, as Pigeonhole does, or at the first use under ihave). */
bool ext_extracttext_deps(struct sema_ctx *ctx, src_span span)
{
    bool ok = true;
    if (!sema_has_ext(ctx, REG_EXT_VARIABLES)) {
        if (sema_first_time(ctx, "extracttext-dep", "variables")) {
            sema_error(ctx, span, "missing-require", "\"extracttext\" needs the variables extension");
            sema_note(ctx, span, "add require \"variables\"");
        }
        ok = false;
    }
    if (!sema_has_ext(ctx, REG_EXT_FOREVERYPART)) {
        if (sema_first_time(ctx, "extracttext-dep", "foreverypart")) {
            sema_error(ctx, span, "missing-require", "\"extracttext\" needs the foreverypart extension");
            sema_note(ctx, span, "add require \"foreverypart\"");
        }
        ok = false;
    }
    return ok;
}

bool ext_check_extracttext(struct sema_ctx *ctx, struct ast_node *node)
{
    sort_modifiers(ctx, node->sema);
    bool ok = ext_extracttext_deps(ctx, node->name_span);
    if (sema_has_ext(ctx, REG_EXT_FOREVERYPART) && !(node->sema->loop = sema_find_loop(ctx, NULL))) {
        sema_error(ctx, node->name_span, "break-outside-foreverypart",
                   "'extracttext' can only be used inside 'foreverypart'");
        ok = false;
    }
    if (ok)
        ok = ext_check_variable_name(ctx, &node->sema->pos[0]->u.string);
    return ok;
}
