/* registry: lookups over the constant tables, the extension and comparator
 * tables, and the tag tables several commands share. */
#include "registry.h"

#include <string.h>
#include <strings.h>

#include "ext_tables.h"

#define BIT REG_EXT_BIT

/* ---- Extensions ------------------------------------------------------ */

static const reg_ext exts[] = {
    { REG_EXT_CORE, "", "RFC 5228", false, NULL, 0 },
    { REG_EXT_FILEINTO, "fileinto", "RFC 5228 4.1", false, NULL, 0 },
    { REG_EXT_REJECT, "reject", "RFC 5429 2.2", false, NULL, 0 },
    { REG_EXT_EREJECT, "ereject", "RFC 5429 2.1", false, NULL, 0 },
    { REG_EXT_ENVELOPE, "envelope", "RFC 5228 5.4", false, NULL, 0 },
    { REG_EXT_ENCODED_CHARACTER, "encoded-character", "RFC 5228 2.4.2.4", false, NULL, 0 },
    { REG_EXT_COMPARATOR_OCTET, "comparator-i;octet", "RFC 4790 9.3", false, NULL, 0 },
    { REG_EXT_COMPARATOR_ASCII_CASEMAP, "comparator-i;ascii-casemap", "RFC 4790 9.2", false, NULL, 0 },
    { REG_EXT_COMPARATOR_ASCII_NUMERIC, "comparator-i;ascii-numeric", "RFC 4790 9.1", false, NULL, 0 },
    { REG_EXT_COMPARATOR_UNICODE_CASEMAP, "comparator-i;unicode-casemap", "RFC 5051", false, NULL, 0 },
    { REG_EXT_COPY, "copy", "RFC 3894", false, NULL, 0 },
    { REG_EXT_BODY, "body", "RFC 5173", false, NULL, 0 },
    { REG_EXT_VARIABLES, "variables", "RFC 5229", false, NULL, 0 },
    { REG_EXT_VACATION, "vacation", "RFC 5230", false, NULL, 0 },
    /* RFC 6131 2: vacation-seconds extends vacation; Pigeonhole loads
     * vacation along with it. */
    { REG_EXT_VACATION_SECONDS, "vacation-seconds", "RFC 6131", false, NULL, BIT(REG_EXT_VACATION) },
    { REG_EXT_RELATIONAL, "relational", "RFC 5231", false, NULL, 0 },
    { REG_EXT_SUBADDRESS, "subaddress", "RFC 5233", false, NULL, 0 },
    { REG_EXT_IMAP4FLAGS, "imap4flags", "RFC 5232", false, NULL, 0 },
    { REG_EXT_IMAPFLAGS, "imapflags", "draft-melnikov-sieve-imapflags-03", true, "imap4flags", 0 },
    { REG_EXT_EDITHEADER, "editheader", "RFC 5293", false, NULL, 0 },
    { REG_EXT_DATE, "date", "RFC 5260", false, NULL, 0 },
    { REG_EXT_INDEX, "index", "RFC 5260 6", false, NULL, 0 },
    { REG_EXT_REGEX, "regex", "draft-ietf-sieve-regex-01", false, NULL, 0 },
    { REG_EXT_SPAMTEST, "spamtest", "RFC 5235 3.1", false, NULL, 0 },
    /* RFC 5235 3.2: spamtestplus adds :percent to the spamtest test. */
    { REG_EXT_SPAMTESTPLUS, "spamtestplus", "RFC 5235 3.2", false, NULL, BIT(REG_EXT_SPAMTEST) },
    { REG_EXT_VIRUSTEST, "virustest", "RFC 5235 3.3", false, NULL, 0 },
    { REG_EXT_MAILBOX, "mailbox", "RFC 5490 3", false, NULL, 0 },
    { REG_EXT_ENVIRONMENT, "environment", "RFC 5183", false, NULL, 0 },
    { REG_EXT_DUPLICATE, "duplicate", "RFC 7352", false, NULL, 0 },
    { REG_EXT_ENOTIFY, "enotify", "RFC 5435", false, NULL, 0 },
    { REG_EXT_NOTIFY, "notify", "draft-martin-sieve-notify-01", true, "enotify", 0 },
    { REG_EXT_MIME, "mime", "RFC 5703 4", false, NULL, 0 },
    { REG_EXT_FOREVERYPART, "foreverypart", "RFC 5703 3", false, NULL, 0 },
    { REG_EXT_REPLACE, "replace", "RFC 5703 5", false, NULL, 0 },
    { REG_EXT_ENCLOSE, "enclose", "RFC 5703 6", false, NULL, 0 },
    { REG_EXT_EXTRACTTEXT, "extracttext", "RFC 5703 7", false, NULL, 0 },
    { REG_EXT_INCLUDE, "include", "RFC 6609", false, NULL, 0 },
    { REG_EXT_IHAVE, "ihave", "RFC 5463", false, NULL, 0 },
    { REG_EXT_SPECIAL_USE, "special-use", "RFC 8579", false, NULL, 0 },
    { REG_EXT_FCC, "fcc", "RFC 8580", false, NULL, 0 },
    { REG_EXT_MAILBOXID, "mailboxid", "RFC 9042", false, NULL, 0 },
    /* RFC 6009: the "envelope-*" ones add envelope parts (and :zone) to
     * the envelope test, the "redirect-*" ones tags to redirect; neither
     * makes envelope available without require "envelope". */
    { REG_EXT_ENVELOPE_DSN, "envelope-dsn", "RFC 6009", false, NULL, 0 },
    { REG_EXT_REDIRECT_DSN, "redirect-dsn", "RFC 6009", false, NULL, 0 },
    { REG_EXT_ENVELOPE_DELIVERBY, "envelope-deliverby", "RFC 6009", false, NULL, 0 },
    { REG_EXT_REDIRECT_DELIVERBY, "redirect-deliverby", "RFC 6009", false, NULL, 0 },
    { REG_EXT_EXTLISTS, "extlists", "RFC 6134", false, NULL, 0 },
    { REG_EXT_MBOXMETADATA, "mboxmetadata", "RFC 5490 3", false, NULL, 0 },
    { REG_EXT_SERVERMETADATA, "servermetadata", "RFC 5490 4", false, NULL, 0 },
    { REG_EXT_VND_DEBUG, "vnd.dovecot.debug", "Pigeonhole", false, NULL, 0 },
    /* Pigeonhole loads environment along with it. */
    { REG_EXT_VND_ENVIRONMENT, "vnd.dovecot.environment", "Pigeonhole", false, NULL,
      BIT(REG_EXT_ENVIRONMENT) },
    { REG_EXT_TESTSUITE, "vnd.dovecot.testsuite", "Pigeonhole testsuite", false, NULL, 0 },
};
_Static_assert(sizeof exts / sizeof exts[0] == REG_EXT__COUNT, "one row per extension");
_Static_assert(REG_EXT__COUNT <= 64, "extension mask is 64 bits");

/* Capability names are compared exactly, as Pigeonhole does
 * (require "FileInto" is refused). */
static _Thread_local bool testsuite_mode;

bool reg_testsuite_mode(bool on)
{
    bool prev = testsuite_mode;
    testsuite_mode = on;
    return prev;
}

const reg_ext *reg_ext_lookup(const char *name)
{
    if (!name || !*name)
        return NULL;
    for (size_t i = 1; i < REG_EXT__COUNT; i++)
        if (strcmp(exts[i].name, name) == 0)
            return i == REG_EXT_TESTSUITE && !testsuite_mode ? NULL : &exts[i];
    return NULL;
}

const reg_ext *reg_ext_get(reg_ext_id id)
{
    return (unsigned)id < REG_EXT__COUNT ? &exts[id] : NULL;
}

reg_ext_mask reg_ext_closure(reg_ext_mask m)
{
    reg_ext_mask prev;
    do {
        prev = m;
        for (size_t i = 0; i < REG_EXT__COUNT; i++)
            if (m & BIT(i))
                m |= exts[i].implies;
    } while (m != prev);
    return m;
}

size_t reg_ext_count(void) { return REG_EXT__COUNT; }
const reg_ext *reg_ext_at(size_t i) { return i < REG_EXT__COUNT ? &exts[i] : NULL; }

/* ---- Comparators ------------------------------------------------------ */

#define ALLCAPS (REG_CMP_EQUALITY | REG_CMP_ORDERING | REG_CMP_SUBSTRING)
static const reg_comparator comparators[] = {
    { REG_CMP_OCTET, "i;octet", REG_EXT_CORE, ALLCAPS },
    { REG_CMP_ASCII_CASEMAP, "i;ascii-casemap", REG_EXT_CORE, ALLCAPS },
    /* RFC 4790 9.1.1: equality and ordering, no substring operation. */
    { REG_CMP_ASCII_NUMERIC, "i;ascii-numeric", REG_EXT_COMPARATOR_ASCII_NUMERIC,
      REG_CMP_EQUALITY | REG_CMP_ORDERING },
    { REG_CMP_UNICODE_CASEMAP, "i;unicode-casemap", REG_EXT_COMPARATOR_UNICODE_CASEMAP, ALLCAPS },
};

const reg_comparator *reg_comparator_lookup(const char *name)
{
    for (size_t i = 0; i < sizeof comparators / sizeof comparators[0]; i++)
        if (strcasecmp(comparators[i].name, name) == 0)
            return &comparators[i];
    return NULL;
}

const reg_comparator *reg_comparator_get(reg_cmp_id id)
{
    return (unsigned)id < sizeof comparators / sizeof comparators[0] ? &comparators[id] : NULL;
}

unsigned reg_match_needs(reg_match_type mt)
{
    switch (mt) {
    case REG_MATCH_IS:
        return REG_CMP_EQUALITY;
    case REG_MATCH_CONTAINS:
    case REG_MATCH_MATCHES:
    case REG_MATCH_REGEX:
        return REG_CMP_SUBSTRING;
    case REG_MATCH_COUNT:
    case REG_MATCH_VALUE:
        return REG_CMP_ORDERING;
    case REG_MATCH_LIST:
        /* RFC 6134 2.3: the list decides membership; no comparator
         * operation is used. */
        return 0;
    }
    return 0;
}

/* ---- Relational operators, date parts ---------------------------------- */

static const char *const relops[] = { NULL, "gt", "ge", "lt", "le", "eq", "ne" };

/* RFC 5231 5: the operator strings are ABNF literals, hence
 * case-insensitive (RFC 5234 2.3). */
reg_relop reg_relop_parse(const char *s, size_t len)
{
    if (len != 2)
        return REG_REL_NONE;
    for (size_t i = 1; i < sizeof relops / sizeof relops[0]; i++)
        if (strncasecmp(relops[i], s, 2) == 0)
            return (reg_relop)i;
    return REG_REL_NONE;
}

const char *reg_relop_name(reg_relop op)
{
    return (unsigned)op < sizeof relops / sizeof relops[0] && op ? relops[op] : "";
}

static const char *const dateparts[] = {
    NULL, "year", "month", "day", "date", "julian", "hour", "minute", "second",
    "time", "iso8601", "std11", "zone", "weekday",
};

/* RFC 5260 4.2: date-part names are case-insensitive. */
reg_datepart reg_datepart_parse(const char *s, size_t len)
{
    for (size_t i = 1; i < sizeof dateparts / sizeof dateparts[0]; i++)
        if (strlen(dateparts[i]) == len && strncasecmp(dateparts[i], s, len) == 0)
            return (reg_datepart)i;
    return REG_DP_NONE;
}

const char *reg_datepart_name(reg_datepart dp)
{
    return (unsigned)dp < sizeof dateparts / sizeof dateparts[0] && dp ? dateparts[dp] : "";
}

const char *reg_type_name(reg_type t)
{
    switch (t) {
    case REG_T_NONE: return "nothing";
    case REG_T_STRING: return "string";
    case REG_T_STRING_LIST: return "string list";
    case REG_T_NUMBER: return "number";
    }
    return "?";
}

const char *reg_tag_group_name(reg_tag_group g)
{
    switch (g) {
    case REG_G_NONE: return "";
    case REG_G_COMPARATOR: return "comparator";
    case REG_G_MATCH_TYPE: return "match type";
    case REG_G_ADDRESS_PART: return "address part";
    case REG_G_BODY_TRANSFORM: return "body transform";
    case REG_G_SIZE: return "size comparison";
    case REG_G_ZONE: return "time zone";
    case REG_G_DUPLICATE_ID: return "duplicate identifier";
    case REG_G_INCLUDE_LOCATION: return "script location";
    case REG_G_MIME_OPTION: return "MIME option";
    case REG_G_VACATION_PERIOD: return "vacation period";
    case REG_G_MOD_40: case REG_G_MOD_30: case REG_G_MOD_20:
    case REG_G_MOD_15: case REG_G_MOD_10:
        return "modifier precedence";
    case REG_G_BYTIME: return "deliver-by time";
    case REG_G_TS_SOURCE: return "message source";
    }
    return "";
}

/* ---- Shared tag tables -------------------------------------------------- */

#define TAG(n, id, g, p, e) { n, id, g, p, e, REG_TAG_NONE, 0 }
#define TAGN(n, id, g, p, e, needs) { n, id, g, p, e, needs, 0 }
#define END { NULL, REG_TAG_NONE, REG_G_NONE, REG_T_NONE, REG_EXT_CORE, REG_TAG_NONE, 0 }

/* RFC 5228 2.7.1, 2.7.3; RFC 5231 4; draft-ietf-sieve-regex 3. */
const reg_tag reg_tags_match[] = {
    TAG("comparator", REG_TAG_COMPARATOR, REG_G_COMPARATOR, REG_T_STRING, REG_EXT_CORE),
    TAG("is", REG_TAG_IS, REG_G_MATCH_TYPE, REG_T_NONE, REG_EXT_CORE),
    TAG("contains", REG_TAG_CONTAINS, REG_G_MATCH_TYPE, REG_T_NONE, REG_EXT_CORE),
    TAG("matches", REG_TAG_MATCHES, REG_G_MATCH_TYPE, REG_T_NONE, REG_EXT_CORE),
    TAG("regex", REG_TAG_REGEX, REG_G_MATCH_TYPE, REG_T_NONE, REG_EXT_REGEX),
    TAG("count", REG_TAG_COUNT, REG_G_MATCH_TYPE, REG_T_STRING, REG_EXT_RELATIONAL),
    TAG("value", REG_TAG_VALUE, REG_G_MATCH_TYPE, REG_T_STRING, REG_EXT_RELATIONAL),
    TAG("list", REG_TAG_LIST, REG_G_MATCH_TYPE, REG_T_NONE, REG_EXT_EXTLISTS),
    END
};

/* RFC 5228 2.7.4; RFC 5233 4. */
const reg_tag reg_tags_addrpart[] = {
    TAG("all", REG_TAG_ALL, REG_G_ADDRESS_PART, REG_T_NONE, REG_EXT_CORE),
    TAG("localpart", REG_TAG_LOCALPART, REG_G_ADDRESS_PART, REG_T_NONE, REG_EXT_CORE),
    TAG("domain", REG_TAG_DOMAIN, REG_G_ADDRESS_PART, REG_T_NONE, REG_EXT_CORE),
    TAG("user", REG_TAG_USER, REG_G_ADDRESS_PART, REG_T_NONE, REG_EXT_SUBADDRESS),
    TAG("detail", REG_TAG_DETAIL, REG_G_ADDRESS_PART, REG_T_NONE, REG_EXT_SUBADDRESS),
    END
};

/* RFC 5260 6: ":last" only together with ":index". */
const reg_tag reg_tags_index[] = {
    TAG("index", REG_TAG_INDEX, REG_G_NONE, REG_T_NUMBER, REG_EXT_INDEX),
    TAGN("last", REG_TAG_LAST, REG_G_NONE, REG_T_NONE, REG_EXT_INDEX, REG_TAG_INDEX),
    END
};

/* RFC 5703 4.1. */
const reg_tag reg_tags_mime_any[] = {
    TAG("mime", REG_TAG_MIME, REG_G_NONE, REG_T_NONE, REG_EXT_MIME),
    TAGN("anychild", REG_TAG_ANYCHILD, REG_G_NONE, REG_T_NONE, REG_EXT_MIME, REG_TAG_MIME),
    END
};

/* RFC 5703 4.2 (header test only). */
const reg_tag reg_tags_mime_opts[] = {
    TAGN("type", REG_TAG_TYPE, REG_G_MIME_OPTION, REG_T_NONE, REG_EXT_MIME, REG_TAG_MIME),
    TAGN("subtype", REG_TAG_SUBTYPE, REG_G_MIME_OPTION, REG_T_NONE, REG_EXT_MIME, REG_TAG_MIME),
    TAGN("contenttype", REG_TAG_CONTENTTYPE, REG_G_MIME_OPTION, REG_T_NONE, REG_EXT_MIME, REG_TAG_MIME),
    TAGN("param", REG_TAG_PARAM, REG_G_MIME_OPTION, REG_T_STRING_LIST, REG_EXT_MIME, REG_TAG_MIME),
    END
};

/* RFC 8580 3: the mailbox companions of :fcc need :fcc, and each needs its
 * own extension (mailbox, imap4flags, special-use, mailboxid). */
const reg_tag reg_tags_fcc[] = {
    TAG("fcc", REG_TAG_FCC, REG_G_NONE, REG_T_STRING, REG_EXT_FCC),
    TAGN("create", REG_TAG_CREATE, REG_G_NONE, REG_T_NONE, REG_EXT_MAILBOX, REG_TAG_FCC),
    TAGN("flags", REG_TAG_FLAGS, REG_G_NONE, REG_T_STRING_LIST, REG_EXT_IMAP4FLAGS, REG_TAG_FCC),
    TAGN("specialuse", REG_TAG_SPECIALUSE, REG_G_NONE, REG_T_STRING, REG_EXT_SPECIAL_USE, REG_TAG_FCC),
    TAGN("mailboxid", REG_TAG_MAILBOXID, REG_G_NONE, REG_T_STRING, REG_EXT_MAILBOXID, REG_TAG_FCC),
    END
};

/* RFC 5229 4.1 precedence: 40 :lower/:upper, 30 :lowerfirst/:upperfirst,
 * 20 :quotewildcard (and :quoteregex, regex draft 4), 15 :encodeurl
 * (RFC 5435 6), 10 :length. */
#define MOD(n, id, g, e, r) { n, id, g, REG_T_NONE, e, REG_TAG_NONE, r }
const reg_tag reg_tags_modifiers[] = {
    MOD("lower", REG_TAG_LOWER, REG_G_MOD_40, REG_EXT_VARIABLES, 40),
    MOD("upper", REG_TAG_UPPER, REG_G_MOD_40, REG_EXT_VARIABLES, 40),
    MOD("lowerfirst", REG_TAG_LOWERFIRST, REG_G_MOD_30, REG_EXT_VARIABLES, 30),
    MOD("upperfirst", REG_TAG_UPPERFIRST, REG_G_MOD_30, REG_EXT_VARIABLES, 30),
    MOD("quotewildcard", REG_TAG_QUOTEWILDCARD, REG_G_MOD_20, REG_EXT_VARIABLES, 20),
    MOD("quoteregex", REG_TAG_QUOTEREGEX, REG_G_MOD_20, REG_EXT_REGEX, 20),
    MOD("encodeurl", REG_TAG_ENCODEURL, REG_G_MOD_15, REG_EXT_ENOTIFY, 15),
    MOD("length", REG_TAG_LENGTH, REG_G_MOD_10, REG_EXT_VARIABLES, 10),
    END
};

/* ---- Commands and tests ------------------------------------------------- */

typedef struct def_table {
    const reg_def *defs;
    const size_t *n;
} def_table;

static const def_table tables[] = {
    { ext_defs_core, &ext_ndefs_core },
    { ext_defs_actions, &ext_ndefs_actions },
    { ext_defs_variables, &ext_ndefs_variables },
    { ext_defs_vacation, &ext_ndefs_vacation },
    { ext_defs_imap4flags, &ext_ndefs_imap4flags },
    { ext_defs_editheader, &ext_ndefs_editheader },
    { ext_defs_date, &ext_ndefs_date },
    { ext_defs_tests, &ext_ndefs_tests },
    { ext_defs_enotify, &ext_ndefs_enotify },
    { ext_defs_mime, &ext_ndefs_mime },
    { ext_defs_include, &ext_ndefs_include },
    { ext_defs_extlists, &ext_ndefs_extlists },
    { ext_defs_metadata, &ext_ndefs_metadata },
    { ext_defs_vnd, &ext_ndefs_vnd },
    { ext_defs_testsuite, &ext_ndefs_testsuite },
};
/* Outside testsuite mode the testsuite table (the last) does not exist:
 * lookups, iteration and typo hints never see it. */
#define NTABLES (sizeof tables / sizeof tables[0] - (testsuite_mode ? 0 : 1))

size_t reg_def_count(void)
{
    size_t n = 0;
    for (size_t t = 0; t < NTABLES; t++)
        n += *tables[t].n;
    return n;
}

const reg_def *reg_def_at(size_t i)
{
    for (size_t t = 0; t < NTABLES; t++) {
        if (i < *tables[t].n)
            return &tables[t].defs[i];
        i -= *tables[t].n;
    }
    return NULL;
}

const reg_def *reg_def_lookup(reg_kind kind, const char *name)
{
    if (!name)
        return NULL;
    for (size_t t = 0; t < NTABLES; t++)
        for (size_t i = 0; i < *tables[t].n; i++) {
            const reg_def *d = &tables[t].defs[i];
            if (d->kind == kind && strcasecmp(d->name, name) == 0)
                return d;
        }
    return NULL;
}

const reg_def *reg_def_lookup_any(const char *name)
{
    const reg_def *d = reg_def_lookup(REG_COMMAND, name);
    return d ? d : reg_def_lookup(REG_TEST, name);
}

const reg_def *reg_def_get(reg_def_id id)
{
    for (size_t i = 0, n = reg_def_count(); i < n; i++) {
        const reg_def *d = reg_def_at(i);
        if (d->id == id)
            return d;
    }
    return NULL;
}

const reg_tag *reg_def_find_tag(const reg_def *def, const char *name)
{
    if (!def || !name)
        return NULL;
    for (size_t s = 0; s < REG_MAX_TAGSETS && def->tagsets[s]; s++)
        for (const reg_tag *t = def->tagsets[s]; t->name; t++)
            if (strcasecmp(t->name, name) == 0)
                return t;
    return NULL;
}

bool reg_tag_known(const char *name)
{
    for (size_t i = 0, n = reg_def_count(); i < n; i++)
        if (reg_def_find_tag(reg_def_at(i), name))
            return true;
    return false;
}
