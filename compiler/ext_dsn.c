/* RFC 6009: envelope-dsn, envelope-deliverby (new envelope parts, and
 * :zone for "bytimeabsolute"), redirect-dsn (:notify, :ret) and
 * redirect-deliverby (:bytimerelative / :bytimeabsolute, :bymode,
 * :bytrace). The tags are rows of redirect and envelope (ext_core.c);
 * this file holds their tables and the checks no table expresses. */
#include "ext_tables.h"

#include <string.h>
#include <strings.h>

#include "sema_ext.h"

#define T(n, id, g, p, e) { n, id, g, p, e, REG_TAG_NONE, 0 }
#define END { NULL, REG_TAG_NONE, REG_G_NONE, REG_T_NONE, REG_EXT_CORE, REG_TAG_NONE, 0 }

const reg_tag ext_tags_redirect_dsn[] = {
    T("notify", REG_TAG_DSN_NOTIFY, REG_G_NONE, REG_T_STRING, REG_EXT_REDIRECT_DSN),
    T("ret", REG_TAG_RET, REG_G_NONE, REG_T_STRING, REG_EXT_REDIRECT_DSN),
    T("bytimerelative", REG_TAG_BYTIMERELATIVE, REG_G_BYTIME, REG_T_NUMBER, REG_EXT_REDIRECT_DELIVERBY),
    T("bytimeabsolute", REG_TAG_BYTIMEABSOLUTE, REG_G_BYTIME, REG_T_STRING, REG_EXT_REDIRECT_DELIVERBY),
    T("bymode", REG_TAG_BYMODE, REG_G_NONE, REG_T_STRING, REG_EXT_REDIRECT_DELIVERBY),
    T("bytrace", REG_TAG_BYTRACE, REG_G_NONE, REG_T_NONE, REG_EXT_REDIRECT_DELIVERBY),
    END
};

/* RFC 6009 example: envelope :zone "+0000" "bytimeabsolute" ... */
const reg_tag ext_tags_envelope_deliverby[] = {
    T("zone", REG_TAG_ZONE, REG_G_ZONE, REG_T_STRING, REG_EXT_ENVELOPE_DELIVERBY),
    END
};

static const struct {
    const char *name;
    reg_ext_id ext;
} env_parts[] = {
    { "from", REG_EXT_CORE }, { "to", REG_EXT_CORE },
    /* Pigeonhole's own part */
    { "auth", REG_EXT_CORE },
    { "notify", REG_EXT_ENVELOPE_DSN }, { "orcpt", REG_EXT_ENVELOPE_DSN },
    { "bytimeabsolute", REG_EXT_ENVELOPE_DELIVERBY },
    { "bytimerelative", REG_EXT_ENVELOPE_DELIVERBY },
    { "bymode", REG_EXT_ENVELOPE_DELIVERBY }, { "bytrace", REG_EXT_ENVELOPE_DELIVERBY },
};

int ext_dsn_envelope_part(const char *s, size_t len)
{
    for (size_t k = 0; k < sizeof env_parts / sizeof env_parts[0]; k++)
        if (strlen(env_parts[k].name) == len && strncasecmp(env_parts[k].name, s, len) == 0)
            return (int)env_parts[k].ext;
    return -1;
}

bool ext_dsn_check_envelope_part(struct sema_ctx *ctx, const ast_string *s)
{
    int ext = memchr(s->text, '\0', s->len) ? -1 : ext_dsn_envelope_part(s->text, s->len);
    if (ext < 0) {
        sema_error(ctx, s->span, "invalid-value", "unknown envelope part '%s'", s->text);
        bool dsn = sema_has_ext(ctx, REG_EXT_ENVELOPE_DSN);
        bool by = sema_has_ext(ctx, REG_EXT_ENVELOPE_DELIVERBY);
        sema_note(ctx, s->span, "envelope parts are \"from\", \"to\"%s\"auth\"%s%s",
                  dsn || by ? ", " : " and ", dsn ? ", \"notify\", \"orcpt\"" : "",
                  by ? ", \"bytimeabsolute\", \"bytimerelative\", \"bymode\", \"bytrace\"" : "");
        return false;
    }
    if (ext != REG_EXT_CORE && !sema_has_ext(ctx, (reg_ext_id)ext)) {
        sema_error(ctx, s->span, "missing-require", "envelope part '%s' needs require \"%s\"",
                   s->text, reg_ext_get((reg_ext_id)ext)->name);
        return false;
    }
    if (ext != REG_EXT_CORE)
        sema_use_ext(ctx, (reg_ext_id)ext);
    return true;
}

/* RFC 5260 4.1.1's zone syntax, "+hhmm" / "-hhmm". */
static bool zone_ok(const char *s, size_t len)
{
    if (len != 5 || (s[0] != '+' && s[0] != '-'))
        return false;
    for (size_t i = 1; i < 5; i++)
        if (s[i] < '0' || s[i] > '9')
            return false;
    return (s[1] - '0') * 10 + (s[2] - '0') <= 23 && (s[3] - '0') * 10 + (s[4] - '0') <= 59;
}

bool ext_dsn_check_envelope_zone(struct sema_ctx *ctx, struct ast_node *node)
{
    const sema_tagval *z = sema_node_tag(node->sema, REG_TAG_ZONE);
    if (!z || !z->param)
        return true;
    const ast_string *zs = &z->param->u.string;
    if (sema_string_is_constant(ctx, zs) && !zone_ok(zs->text, zs->len)) {
        sema_error(ctx, zs->span, "invalid-zone", "'%s' is not a time zone offset", zs->text);
        sema_note(ctx, zs->span, "write the zone as \"+hhmm\" or \"-hhmm\", e.g. \"+0100\"");
        return false;
    }
    return true;
}

/* RFC 3461 4.1: NOTIFY is "NEVER" or a comma list of SUCCESS, FAILURE and
 * DELAY (keywords, so case-insensitive); each at most once. */
static bool notify_ok(const char *s, size_t len)
{
    if (len == 5 && strncasecmp(s, "NEVER", 5) == 0)
        return true;
    unsigned seen = 0;
    size_t i = 0;
    while (i <= len) {
        size_t j = i;
        while (j < len && s[j] != ',')
            j++;
        static const char *const kw[] = { "SUCCESS", "FAILURE", "DELAY" };
        unsigned bit = 0;
        for (unsigned k = 0; k < 3; k++)
            if (strlen(kw[k]) == j - i && strncasecmp(kw[k], s + i, j - i) == 0)
                bit = 1u << k;
        if (!bit || (seen & bit))
            return false;
        seen |= bit;
        i = j + 1;
    }
    return seen != 0;
}

static bool digits(const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (s[i] < '0' || s[i] > '9')
            return false;
    return true;
}

/* RFC 3339 5.6 date-time: full-date "T" partial-time time-offset. */
bool ext_dsn_rfc3339_ok(const char *s, size_t len)
{
    if (len < 20 || !digits(s, 4) || s[4] != '-' || !digits(s + 5, 2) || s[7] != '-' ||
        !digits(s + 8, 2) || (s[10] != 'T' && s[10] != 't') || !digits(s + 11, 2) ||
        s[13] != ':' || !digits(s + 14, 2) || s[16] != ':' || !digits(s + 17, 2))
        return false;
    size_t i = 19;
    if (s[i] == '.') {
        size_t j = ++i;
        while (i < len && s[i] >= '0' && s[i] <= '9')
            i++;
        if (i == j)
            return false;
    }
    if (i + 1 == len && (s[i] == 'Z' || s[i] == 'z'))
        return true;
    return i + 6 == len && (s[i] == '+' || s[i] == '-') && digits(s + i + 1, 2) &&
           s[i + 3] == ':' && digits(s + i + 4, 2);
}

static const ast_string *const_param(struct sema_ctx *ctx, const sema_node *sn, reg_tag_id id)
{
    const sema_tagval *tv = sema_node_tag(sn, id);
    if (!tv || !tv->param || tv->param->kind != AST_ARG_STRING)
        return NULL;
    return sema_string_is_constant(ctx, &tv->param->u.string) ? &tv->param->u.string : NULL;
}

/* The redirect tags of RFC 6009 (redirect-dsn, redirect-deliverby). */
bool ext_dsn_check_redirect(struct sema_ctx *ctx, struct ast_node *node)
{
    const sema_node *sn = node->sema;
    bool ok = true;
    const ast_string *s;
    if ((s = const_param(ctx, sn, REG_TAG_DSN_NOTIFY)) && !notify_ok(s->text, s->len)) {
        sema_error(ctx, s->span, "invalid-value", "invalid :notify value '%s'", s->text);
        sema_note(ctx, s->span, ":notify takes \"NEVER\" or a comma-separated list of "
                                "\"SUCCESS\", \"FAILURE\" and \"DELAY\" (RFC 3461 4.1)");
        ok = false;
    }
    if ((s = const_param(ctx, sn, REG_TAG_RET)) &&
        !(s->len == 4 && (strncasecmp(s->text, "FULL", 4) == 0 || strncasecmp(s->text, "HDRS", 4) == 0))) {
        sema_error(ctx, s->span, "invalid-value", "invalid :ret value '%s'", s->text);
        sema_note(ctx, s->span, ":ret takes \"FULL\" or \"HDRS\" (RFC 3461 4.3)");
        ok = false;
    }
    if ((s = const_param(ctx, sn, REG_TAG_BYTIMEABSOLUTE)) && !ext_dsn_rfc3339_ok(s->text, s->len)) {
        sema_error(ctx, s->span, "invalid-value", "invalid :bytimeabsolute value '%s'", s->text);
        sema_note(ctx, s->span, "write an RFC 3339 date-time such as \"2010-10-01T20:00:00-07:00\"");
        ok = false;
    }
    if ((s = const_param(ctx, sn, REG_TAG_BYMODE)) &&
        !((s->len == 6 && strncasecmp(s->text, "notify", 6) == 0) ||
          (s->len == 6 && strncasecmp(s->text, "return", 6) == 0))) {
        sema_error(ctx, s->span, "invalid-value", "invalid :bymode value '%s'", s->text);
        sema_note(ctx, s->span, ":bymode takes \"notify\" or \"return\" (RFC 6009)");
        ok = false;
    }
    bool bytime = sema_node_tag(sn, REG_TAG_BYTIMERELATIVE) || sema_node_tag(sn, REG_TAG_BYTIMEABSOLUTE);
    static const reg_tag_id needs_time[] = { REG_TAG_BYMODE, REG_TAG_BYTRACE };
    for (size_t i = 0; i < 2 && !bytime; i++) {
        const sema_tagval *tv = sema_node_tag(sn, needs_time[i]);
        if (!tv)
            continue;
        sema_error(ctx, tv->arg->span, "tag-needs-tag",
                   "':%s' needs ':bytimerelative' or ':bytimeabsolute' as well",
                   tv->tag->name);
        sema_note(ctx, tv->arg->span, "RFC 6009: the deliver-by mode and trace go with a deliver-by time");
        ok = false;
    }
    return ok;
}
