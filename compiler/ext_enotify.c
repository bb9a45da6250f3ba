/* RFC 5435: notify (3), valid_notify_method (4), notify_method_capability
 * (5); :encodeurl is a set modifier (6) in reg_tags_modifiers. */
#include "ext_tables.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "sema_ext.h"

#define P(n, t) { n, t, false }
#define T(n, id, g, p, e) { n, id, g, p, e, REG_TAG_NONE, 0 }
#define END { NULL, REG_TAG_NONE, REG_G_NONE, REG_T_NONE, REG_EXT_CORE, REG_TAG_NONE, 0 }

static const reg_tag notify_tags[] = {
    T("from", REG_TAG_FROM, REG_G_NONE, REG_T_STRING, REG_EXT_ENOTIFY),
    T("importance", REG_TAG_IMPORTANCE, REG_G_NONE, REG_T_STRING, REG_EXT_ENOTIFY),
    T("options", REG_TAG_OPTIONS, REG_G_NONE, REG_T_STRING_LIST, REG_EXT_ENOTIFY),
    T("message", REG_TAG_MESSAGE, REG_G_NONE, REG_T_STRING, REG_EXT_ENOTIFY),
    END
};

const reg_def ext_defs_enotify[] = {
    { .id = REG_DEF_NOTIFY, .name = "notify", .kind = REG_COMMAND, .ext = REG_EXT_ENOTIFY,
      .params = { P("method", REG_T_STRING) }, .nparams = 1,
      .tagsets = { notify_tags, reg_tags_fcc },
      /* RFC 5436 2.7: no notification about auto-submitted mail */
      .flags = REG_F_ACTION | REG_F_READS_HEADERS,
      .check = ext_check_notify },
    { .id = REG_DEF_VALID_NOTIFY_METHOD, .name = "valid_notify_method", .kind = REG_TEST,
      .ext = REG_EXT_ENOTIFY,
      .params = { P("notification-uris", REG_T_STRING_LIST) }, .nparams = 1 },
    { .id = REG_DEF_NOTIFY_METHOD_CAPABILITY, .name = "notify_method_capability", .kind = REG_TEST,
      .ext = REG_EXT_ENOTIFY,
      .params = { P("notification-uri", REG_T_STRING), P("notification-capability", REG_T_STRING),
                  P("key-list", REG_T_STRING_LIST) }, .nparams = 3,
      .tagsets = { reg_tags_match }, .flags = REG_F_MATCH, .check = ext_check_notify_capability },
};
const size_t ext_ndefs_enotify = sizeof ext_defs_enotify / sizeof ext_defs_enotify[0];

/* RFC 3986 3.1: scheme = ALPHA *( ALPHA / DIGIT / "+" / "-" / "." ) ":" */
static size_t uri_scheme(const char *s, size_t len)
{
    size_t i = 0;
    if (!len || !((s[0] >= 'a' && s[0] <= 'z') || (s[0] >= 'A' && s[0] <= 'Z')))
        return 0;
    while (i < len && s[i] != ':') {
        char c = s[i];
        if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
              c == '+' || c == '-' || c == '.'))
            return 0;
        i++;
    }
    return i < len ? i : 0;
}

static bool check_mailto(struct sema_ctx *ctx, const ast_string *s);

/* The methods this implementation can deliver (RFC 5436 mailto). */
static bool check_method(struct sema_ctx *ctx, const ast_string *s)
{
    if (!sema_string_is_constant(ctx, s))
        return true;
    size_t n = uri_scheme(s->text, s->len);
    if (!n) {
        sema_error(ctx, s->span, "invalid-uri", "'%s' is not a notification URI", s->text);
        sema_note(ctx, s->span, "a method is a URI such as \"mailto:user@example.org\"");
        return false;
    }
    if (n != 6 || strncasecmp(s->text, "mailto", 6) != 0) {
        sema_error(ctx, s->span, "invalid-uri", "unsupported notification method '%.*s'", (int)n,
                   s->text);
        sema_note(ctx, s->span, "only \"mailto\" (RFC 5436) is supported");
        return false;
    }
    return check_mailto(ctx, s);
}

/* Percent-decodes [p, end) into buf; false on a malformed escape. */
static bool pct_decode(const char *p, const char *end, char *buf, size_t cap, size_t *len_r)
{
    size_t o = 0;
    for (const char *q = p; q < end; q++) {
        if (o + 1 >= cap)
            return false;
        if (*q == '%') {
            if (end - q < 3 || !isxdigit((unsigned char)q[1]) || !isxdigit((unsigned char)q[2]))
                return false;
            char hex[3] = { q[1], q[2], 0 };
            buf[o++] = (char)strtol(hex, NULL, 16);
            q += 2;
        } else {
            buf[o++] = *q;
        }
    }
    buf[o] = 0;
    *len_r = o;
    return true;
}

/* Comma-separated, percent-encoded addr-specs (RFC 6068 2 "to"). */
static bool check_recipients(struct sema_ctx *ctx, const ast_string *s, const char *p, const char *end)
{
    while (p < end) {
        /* A separator is ',' or its encoding "%2C" (Pigeonhole splits
         * after decoding too). */
        const char *comma = NULL;
        size_t seplen = 1;
        for (const char *c = p; c < end && !comma; c++) {
            if (*c == ',')
                comma = c;
            else if (*c == '%' && end - c >= 3 && c[1] == '2' && (c[2] == 'c' || c[2] == 'C')) {
                comma = c;
                seplen = 3;
            }
        }
        const char *stop = comma ? comma : end;
        char buf[1024];
        size_t n;
        if (!pct_decode(p, stop, buf, sizeof buf, &n) || (n && !sema_is_addr_spec(buf, n))) {
            sema_error(ctx, s->span, "invalid-uri", "'%.*s' in the mailto URI is not a valid address",
                       (int)(stop - p), p);
            return false;
        }
        p = comma ? comma + seplen : end;
    }
    return true;
}

/* qchar = unreserved / pct-encoded / some-delims (RFC 6068 2). */
static bool is_qchar(char c)
{
    return isalnum((unsigned char)c) || (c && strchr("-._~%!$'()*+,;:@", c));
}

/* RFC 6068 2: mailtoURI = "mailto:" [ to ] [ hfields ]; the recipients
 * must be addr-specs (RFC 5436 2.1), header names valid field names. */
static bool check_mailto(struct sema_ctx *ctx, const ast_string *s)
{
    const char *p = s->text + 7, *end = s->text + s->len;
    const char *q = memchr(p, '?', (size_t)(end - p));
    if (!check_recipients(ctx, s, p, q ? q : end))
        return false;
    while (q && q < end) {
        const char *f = q + 1;
        const char *amp = memchr(f, '&', (size_t)(end - f));
        const char *fend = amp ? amp : end;
        const char *eq = memchr(f, '=', (size_t)(fend - f));
        for (const char *c = f; c < fend; c++) {
            if (c != eq && !is_qchar(*c)) {
                sema_error(ctx, s->span, "invalid-uri",
                           "invalid character '%c' in a header field of the mailto URI", *c);
                return false;
            }
        }
        char name[256];
        size_t nlen;
        if (!eq || !pct_decode(f, eq, name, sizeof name, &nlen) ||
            !sema_is_header_name(name, nlen)) {
            sema_error(ctx, s->span, "invalid-uri", "invalid header field '%.*s' in the mailto URI",
                       (int)(fend - f), f);
            return false;
        }
        if ((strcasecmp(name, "to") == 0 || strcasecmp(name, "cc") == 0 ||
             strcasecmp(name, "bcc") == 0) && !check_recipients(ctx, s, eq + 1, fend))
            return false;
        q = amp;
    }
    return true;
}

/* RFC 5435 3.7: each option is "optionname=value", where optionname
 * starts with a letter or digit. */
static bool check_options(struct sema_ctx *ctx, const ast_arg *a)
{
    size_t n = a->kind == AST_ARG_STRING ? 1 : a->u.list.count;
    const ast_string *it = a->kind == AST_ARG_STRING ? &a->u.string : a->u.list.items;
    for (size_t i = 0; i < n; i++) {
        if (!sema_string_is_constant(ctx, &it[i]))
            continue;
        const char *eq = memchr(it[i].text, '=', it[i].len);
        bool ok = eq && eq > it[i].text && isalnum((unsigned char)it[i].text[0]);
        for (const char *q = it[i].text; ok && q < eq; q++)
            if (!isalnum((unsigned char)*q) && !strchr("-_.+", *q))
                ok = false;
        if (!ok) {
            sema_error(ctx, it[i].span, "invalid-value", "notify option '%s' is not of the form name=value",
                       it[i].text);
            return false;
        }
        if (memchr(eq, '\r', it[i].len - (size_t)(eq - it[i].text)) ||
            memchr(eq, '\n', it[i].len - (size_t)(eq - it[i].text)) ||
            memchr(eq, '\0', it[i].len - (size_t)(eq - it[i].text))) {
            sema_error(ctx, it[i].span, "invalid-value", "the value of notify option '%.*s' contains a line break",
                       (int)(eq - it[i].text), it[i].text);
            return false;
        }
    }
    return true;
}

/* RFC 5435 3.1-3.5. */
bool ext_check_notify(struct sema_ctx *ctx, struct ast_node *node)
{
    sema_node *sn = node->sema;
    bool ok = check_method(ctx, &sn->pos[0]->u.string);
    const sema_tagval *imp = sema_node_tag(sn, REG_TAG_IMPORTANCE);
    if (imp && sema_string_is_constant(ctx, &imp->param->u.string)) {
        const ast_string *s = &imp->param->u.string;
        if (s->len != 1 || s->text[0] < '1' || s->text[0] > '3') {
            sema_error(ctx, s->span, "invalid-value", "':importance' must be \"1\", \"2\" or \"3\", not \"%s\"",
                       s->text);
            ok = false;
        }
    }
    const sema_tagval *opts = sema_node_tag(sn, REG_TAG_OPTIONS);
    if (opts && !check_options(ctx, opts->param))
        ok = false;
    const sema_tagval *from = sema_node_tag(sn, REG_TAG_FROM);
    if (from && sema_string_is_constant(ctx, &from->param->u.string)) {
        const ast_string *s = &from->param->u.string;
        if (!sema_is_addr_spec(s->text, s->len)) {
            sema_error(ctx, s->span, "invalid-address", "':from' of 'notify' is not a valid address: '%s'",
                       s->text);
            ok = false;
        }
    }
    return ok;
}

bool ext_check_notify_capability(struct sema_ctx *ctx, struct ast_node *node)
{
    (void)ctx;
    (void)node;
    return true;
}
