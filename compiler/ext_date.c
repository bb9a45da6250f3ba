/* RFC 5260: date (4.1), currentdate (5). :index/:last on date come from
 * the index extension (6). */
#include "ext_tables.h"

#include <string.h>
#include <strings.h>

#include "sema_ext.h"

#define P(n, t) { n, t, false }
#define T(n, id, g, p, e) { n, id, g, p, e, REG_TAG_NONE, 0 }
#define END { NULL, REG_TAG_NONE, REG_G_NONE, REG_T_NONE, REG_EXT_CORE, REG_TAG_NONE, 0 }

static const reg_tag date_tags[] = {
    T("zone", REG_TAG_ZONE, REG_G_ZONE, REG_T_STRING, REG_EXT_DATE),
    T("originalzone", REG_TAG_ORIGINALZONE, REG_G_ZONE, REG_T_NONE, REG_EXT_DATE),
    END
};

static const reg_tag currentdate_tags[] = {
    T("zone", REG_TAG_ZONE, REG_G_ZONE, REG_T_STRING, REG_EXT_DATE),
    END
};

const reg_def ext_defs_date[] = {
    { .id = REG_DEF_DATE, .name = "date", .kind = REG_TEST, .ext = REG_EXT_DATE,
      .params = { P("header-name", REG_T_STRING), P("date-part", REG_T_STRING),
                  P("key-list", REG_T_STRING_LIST) }, .nparams = 3,
      .tagsets = { date_tags, reg_tags_match, reg_tags_index },
      .flags = REG_F_MATCH | REG_F_READS_HEADERS | REG_F_HEADER_LIST, .check = ext_check_date },
    { .id = REG_DEF_CURRENTDATE, .name = "currentdate", .kind = REG_TEST, .ext = REG_EXT_DATE,
      .params = { P("date-part", REG_T_STRING), P("key-list", REG_T_STRING_LIST) }, .nparams = 2,
      .tagsets = { currentdate_tags, reg_tags_match }, .flags = REG_F_MATCH,
      .check = ext_check_date },
};
const size_t ext_ndefs_date = sizeof ext_defs_date / sizeof ext_defs_date[0];

/* RFC 5260 4.1.1: zone = ("+" / "-") 4DIGIT (hhmm). */
static bool parse_zone(const char *s, size_t len, int *minutes_r)
{
    if (len != 5 || (s[0] != '+' && s[0] != '-'))
        return false;
    for (size_t i = 1; i < 5; i++)
        if (s[i] < '0' || s[i] > '9')
            return false;
    int h = (s[1] - '0') * 10 + (s[2] - '0');
    int m = (s[3] - '0') * 10 + (s[4] - '0');
    *minutes_r = (s[0] == '-' ? -1 : 1) * (h * 60 + m);
    return true;
}

/* Unknown date parts and malformed zones are warnings, as in Pigeonhole:
 * the test then never matches (RFC 5260 4.2 leaves the compile-time
 * treatment open). */
bool ext_check_date(struct sema_ctx *ctx, struct ast_node *node)
{
    sema_node *sn = node->sema;
    bool is_date = node->def->id == REG_DEF_DATE;
    const ast_string *dp = &sn->pos[is_date ? 1 : 0]->u.string;
    if (sema_string_is_constant(ctx, dp)) {
        sn->match.datepart = reg_datepart_parse(dp->text, dp->len);
        if (sn->match.datepart == REG_DP_NONE) {
            sema_warning(ctx, dp->span, "invalid-date-part", "unknown date part '%s'", dp->text);
            sema_note(ctx, dp->span, "date parts: year, month, day, date, julian, hour, minute, "
                                     "second, time, iso8601, std11, zone, weekday (RFC 5260 4.2)");
        }
    }
    const sema_tagval *z = sema_node_tag(sn, REG_TAG_ZONE);
    if (z) {
        sn->match.zone_arg = z->param;
        const ast_string *zs = &z->param->u.string;
        if (!sema_string_is_constant(ctx, zs)) {
            sn->match.zone = SEMA_ZONE_VARIABLE;
        } else if (parse_zone(zs->text, zs->len, &sn->match.offset_minutes)) {
            sn->match.zone = SEMA_ZONE_FIXED;
        } else {
            sema_warning(ctx, zs->span, "invalid-zone", "'%s' is not a time zone offset", zs->text);
            sema_note(ctx, zs->span, "write the zone as \"+hhmm\" or \"-hhmm\", e.g. \"+0100\"");
            sn->match.zone = SEMA_ZONE_LOCAL;
        }
    } else if (sema_node_tag(sn, REG_TAG_ORIGINALZONE)) {
        sn->match.zone = SEMA_ZONE_ORIGINAL;
    }
    return true;
}
