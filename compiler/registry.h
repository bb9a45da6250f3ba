/* registry: what Sieve knows, as constant tables.
 *
 * Every command, test, tagged argument, comparator and extension the
 * compiler understands is a row in a constant table (ext_core.c, ext_*.c).
 * The checker (sema.c) and the code generator walk these tables
 * generically: a reg_def says which positional arguments a command or test
 * takes, which tags it accepts (each tag names its mutual-exclusion group,
 * its parameter and the extension that provides it), whether it needs a
 * test, a test list or a block, and optionally a hook for the checks that
 * no table can express. Adding an extension means adding rows and, where
 * needed, a hook; not editing a switch in five files.
 *
 * Everything here is immutable static data: thread-safe, nothing to free.
 * Command, test and tag lookups fold ASCII case (RFC 5228 8.1), and so do
 * comparator names (RFC 4790 3.1); capability names in require are
 * compared exactly, as Pigeonhole does.
 */
#ifndef SIEVEC_REGISTRY_H
#define SIEVEC_REGISTRY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct sema_ctx;   /* sema_ext.h: what a check hook may use */
struct ast_node;

/* ---- Extensions ------------------------------------------------------ */

/* One bit per extension in a reg_ext_mask. REG_EXT_CORE is the base
 * language (RFC 5228) and needs no require. */
typedef enum reg_ext_id {
    REG_EXT_CORE = 0,
    REG_EXT_FILEINTO,          /* RFC 5228 4.1 */
    REG_EXT_REJECT,            /* RFC 5429 2.2 */
    REG_EXT_EREJECT,           /* RFC 5429 2.1 */
    REG_EXT_ENVELOPE,          /* RFC 5228 5.4 */
    REG_EXT_ENCODED_CHARACTER, /* RFC 5228 2.4.2.4 */
    REG_EXT_COMPARATOR_OCTET,  /* RFC 5228 2.7.3: always present, requirable */
    REG_EXT_COMPARATOR_ASCII_CASEMAP,
    REG_EXT_COMPARATOR_ASCII_NUMERIC, /* RFC 4790 9.1 */
    REG_EXT_COMPARATOR_UNICODE_CASEMAP, /* RFC 5051 */
    REG_EXT_COPY,              /* RFC 3894 */
    REG_EXT_BODY,              /* RFC 5173 */
    REG_EXT_VARIABLES,         /* RFC 5229 */
    REG_EXT_VACATION,          /* RFC 5230 */
    REG_EXT_VACATION_SECONDS,  /* RFC 6131 */
    REG_EXT_RELATIONAL,        /* RFC 5231 */
    REG_EXT_SUBADDRESS,        /* RFC 5233 */
    REG_EXT_IMAP4FLAGS,        /* RFC 5232 */
    REG_EXT_IMAPFLAGS,         /* draft-melnikov-sieve-imapflags-03, deprecated */
    REG_EXT_EDITHEADER,        /* RFC 5293 */
    REG_EXT_DATE,              /* RFC 5260 4-5 */
    REG_EXT_INDEX,             /* RFC 5260 6 */
    REG_EXT_REGEX,             /* draft-ietf-sieve-regex-01 */
    REG_EXT_SPAMTEST,          /* RFC 5235 3.1 */
    REG_EXT_SPAMTESTPLUS,      /* RFC 5235 3.2 */
    REG_EXT_VIRUSTEST,         /* RFC 5235 3.3 */
    REG_EXT_MAILBOX,           /* RFC 5490 3 */
    REG_EXT_ENVIRONMENT,       /* RFC 5183 */
    REG_EXT_DUPLICATE,         /* RFC 7352 */
    REG_EXT_ENOTIFY,           /* RFC 5435 */
    REG_EXT_NOTIFY,            /* draft-martin-sieve-notify-01, deprecated */
    REG_EXT_MIME,              /* RFC 5703 4 */
    REG_EXT_FOREVERYPART,      /* RFC 5703 3 */
    REG_EXT_REPLACE,           /* RFC 5703 5 */
    REG_EXT_ENCLOSE,           /* RFC 5703 6 */
    REG_EXT_EXTRACTTEXT,       /* RFC 5703 7 */
    REG_EXT_INCLUDE,           /* RFC 6609 */
    REG_EXT_IHAVE,             /* RFC 5463 */
    REG_EXT_SPECIAL_USE,       /* RFC 8579 */
    REG_EXT_FCC,               /* RFC 8580 */
    REG_EXT_MAILBOXID,         /* RFC 9042 */
    REG_EXT_ENVELOPE_DSN,      /* RFC 6009: envelope parts notify, orcpt */
    REG_EXT_REDIRECT_DSN,      /* RFC 6009: redirect :notify :ret */
    REG_EXT_ENVELOPE_DELIVERBY, /* RFC 6009: bytime* envelope parts */
    REG_EXT_REDIRECT_DELIVERBY, /* RFC 6009: redirect :bytime* */
    REG_EXT_EXTLISTS,          /* RFC 6134 */
    REG_EXT_MBOXMETADATA,      /* RFC 5490 3.3-3.4 */
    REG_EXT_SERVERMETADATA,    /* RFC 5490 4 */
    REG_EXT_VND_DEBUG,         /* Pigeonhole: debug_log */
    REG_EXT_VND_ENVIRONMENT,   /* Pigeonhole: more environment items, ${env.*} */
    /* Dovecot's test harness language (ext_testsuite.c): known only while
     * compiling in testsuite mode (reg_testsuite_mode), else "unknown". */
    REG_EXT_TESTSUITE,
    REG_EXT__COUNT
} reg_ext_id;

typedef uint64_t reg_ext_mask;
#define REG_EXT_BIT(id) ((reg_ext_mask)1 << (id))

typedef struct reg_ext {
    reg_ext_id id;
    const char *name;          /* the require string, e.g. "fileinto" */
    const char *rfc;           /* "RFC 5228 4.1", for messages and lint */
    /* Obsolete drafts (imapflags, notify): refused with the error
     * "deprecated-extension" naming the replacement, as Pigeonhole refuses
     * them unless configured otherwise. */
    bool deprecated;
    const char *replacement;   /* for deprecated ones: what to require instead */
    reg_ext_mask implies;      /* requiring this makes these available too */
} reg_ext;

/* NULL for an unknown name (and for "vnd.dovecot.testsuite" outside
 * testsuite mode). */
const reg_ext *reg_ext_lookup(const char *name);
/* Testsuite mode for compiles on the calling thread (a thread-local flag,
 * so concurrent compiles do not see each other's mode); returns the
 * previous mode so a caller can restore it. */
bool reg_testsuite_mode(bool on);
const reg_ext *reg_ext_get(reg_ext_id id);
/* The closure of a mask under `implies`. */
reg_ext_mask reg_ext_closure(reg_ext_mask m);

/* ---- Comparators (RFC 4790, RFC 5228 2.7.3) ------------------------- */

typedef enum reg_cmp_id {
    REG_CMP_OCTET,
    REG_CMP_ASCII_CASEMAP,     /* the default (RFC 5228 2.7.3) */
    REG_CMP_ASCII_NUMERIC,
    REG_CMP_UNICODE_CASEMAP,
} reg_cmp_id;

/* What a comparator supports (RFC 4790 4.2): match types that need a
 * function it lacks are an error (RFC 5228 2.7.3: "an error ... if the
 * comparator does not support the match type"). */
enum {
    REG_CMP_EQUALITY  = 1u << 0,   /* :is, :count (the count compare) */
    REG_CMP_ORDERING  = 1u << 1,   /* :value, :count */
    REG_CMP_SUBSTRING = 1u << 2,   /* :contains, :matches, :regex */
};

typedef struct reg_comparator {
    reg_cmp_id id;
    const char *name;          /* "i;ascii-casemap" */
    reg_ext_id ext;            /* REG_EXT_CORE for the two always present */
    unsigned caps;
} reg_comparator;

const reg_comparator *reg_comparator_lookup(const char *name);
const reg_comparator *reg_comparator_get(reg_cmp_id id);

/* ---- Match types, relational operators, address parts --------------- */

typedef enum reg_match_type {
    REG_MATCH_IS,              /* default (RFC 5228 2.7.1) */
    REG_MATCH_CONTAINS,
    REG_MATCH_MATCHES,
    REG_MATCH_REGEX,           /* draft-ietf-sieve-regex */
    REG_MATCH_COUNT,           /* RFC 5231 */
    REG_MATCH_VALUE,           /* RFC 5231 */
    REG_MATCH_LIST,            /* RFC 6134 2.3: membership of external lists */
} reg_match_type;

/* The comparator capability a match type needs. */
unsigned reg_match_needs(reg_match_type mt);

typedef enum reg_relop {
    REG_REL_NONE,
    REG_REL_GT, REG_REL_GE, REG_REL_LT, REG_REL_LE, REG_REL_EQ, REG_REL_NE,
} reg_relop;

/* RFC 5231 5: "gt" "ge" "lt" "le" "eq" "ne", case-insensitive.
 * REG_REL_NONE for anything else. */
reg_relop reg_relop_parse(const char *s, size_t len);
const char *reg_relop_name(reg_relop op);

typedef enum reg_addrpart {
    REG_AP_ALL,                /* default (RFC 5228 2.7.4) */
    REG_AP_LOCALPART,
    REG_AP_DOMAIN,
    REG_AP_USER,               /* RFC 5233 */
    REG_AP_DETAIL,
} reg_addrpart;

typedef enum reg_transform {  /* RFC 5173 5 */
    REG_BT_TEXT,               /* default */
    REG_BT_RAW,
    REG_BT_CONTENT,
} reg_transform;

/* RFC 5260 4.2 date-part names. */
typedef enum reg_datepart {
    REG_DP_NONE,
    REG_DP_YEAR, REG_DP_MONTH, REG_DP_DAY, REG_DP_DATE, REG_DP_JULIAN,
    REG_DP_HOUR, REG_DP_MINUTE, REG_DP_SECOND, REG_DP_TIME, REG_DP_ISO8601,
    REG_DP_STD11, REG_DP_ZONE, REG_DP_WEEKDAY,
} reg_datepart;

reg_datepart reg_datepart_parse(const char *s, size_t len);
const char *reg_datepart_name(reg_datepart dp);

/* ---- Tagged arguments ------------------------------------------------ */

/* Argument types of positional parameters and of tag parameters. A
 * string-list parameter also takes a single string (RFC 5228 2.4.2.1: a
 * string list of one element). */
typedef enum reg_type {
    REG_T_NONE = 0,            /* tag without parameter */
    REG_T_STRING,
    REG_T_STRING_LIST,
    REG_T_NUMBER,
} reg_type;

const char *reg_type_name(reg_type t);   /* "string", "string list", "number" */

/* Tags in the same non-zero group exclude each other ("conflicting-tags"). */
typedef enum reg_tag_group {
    REG_G_NONE = 0,
    REG_G_COMPARATOR,
    REG_G_MATCH_TYPE,
    REG_G_ADDRESS_PART,
    REG_G_BODY_TRANSFORM,
    REG_G_SIZE,                /* :over / :under */
    REG_G_ZONE,                /* :zone / :originalzone */
    REG_G_DUPLICATE_ID,        /* :header / :uniqueid */
    REG_G_INCLUDE_LOCATION,    /* :personal / :global */
    REG_G_MIME_OPTION,         /* :type :subtype :contenttype :param */
    REG_G_VACATION_PERIOD,     /* :days / :seconds */
    REG_G_BYTIME,              /* redirect :bytimerelative / :bytimeabsolute */
    /* RFC 5229 4.1: one modifier per precedence level. */
    REG_G_MOD_40,              /* :lower :upper */
    REG_G_MOD_30,              /* :lowerfirst :upperfirst */
    REG_G_MOD_20,              /* :quotewildcard :quoteregex */
    REG_G_MOD_15,              /* :encodeurl (RFC 5435 6) */
    REG_G_MOD_10,              /* :length */
    REG_G_TS_SOURCE,           /* test_message :smtp / :folder */
} reg_tag_group;

/* Stable identity of a tag, for later phases (they switch on it or index
 * their own tables by it; names are for people). */
typedef enum reg_tag_id {
    REG_TAG_NONE = 0,
    /* match (RFC 5228 2.7) */
    REG_TAG_COMPARATOR, REG_TAG_IS, REG_TAG_CONTAINS, REG_TAG_MATCHES,
    REG_TAG_REGEX, REG_TAG_COUNT, REG_TAG_VALUE,
    /* address parts */
    REG_TAG_ALL, REG_TAG_LOCALPART, REG_TAG_DOMAIN, REG_TAG_USER, REG_TAG_DETAIL,
    /* size, body */
    REG_TAG_OVER, REG_TAG_UNDER, REG_TAG_RAW, REG_TAG_CONTENT, REG_TAG_TEXT,
    /* action modifiers */
    REG_TAG_COPY, REG_TAG_FLAGS, REG_TAG_CREATE, REG_TAG_SPECIALUSE,
    REG_TAG_MAILBOXID, REG_TAG_FCC,
    /* vacation */
    REG_TAG_DAYS, REG_TAG_SECONDS, REG_TAG_SUBJECT, REG_TAG_FROM,
    REG_TAG_ADDRESSES, REG_TAG_VACATION_MIME, REG_TAG_HANDLE,
    /* duplicate */
    REG_TAG_HEADER, REG_TAG_UNIQUEID,
    /* index, date */
    REG_TAG_INDEX, REG_TAG_LAST, REG_TAG_ZONE, REG_TAG_ORIGINALZONE,
    /* enotify, old notify */
    REG_TAG_IMPORTANCE, REG_TAG_OPTIONS, REG_TAG_MESSAGE,
    /* set modifiers */
    REG_TAG_LOWER, REG_TAG_UPPER, REG_TAG_LOWERFIRST, REG_TAG_UPPERFIRST,
    REG_TAG_QUOTEWILDCARD, REG_TAG_QUOTEREGEX, REG_TAG_ENCODEURL, REG_TAG_LENGTH,
    /* mime (RFC 5703) */
    REG_TAG_MIME, REG_TAG_ANYCHILD, REG_TAG_TYPE, REG_TAG_SUBTYPE,
    REG_TAG_CONTENTTYPE, REG_TAG_PARAM, REG_TAG_NAME, REG_TAG_HEADERS,
    REG_TAG_FIRST,
    /* include */
    REG_TAG_PERSONAL, REG_TAG_GLOBAL, REG_TAG_ONCE, REG_TAG_OPTIONAL,
    /* spamtestplus */
    REG_TAG_PERCENT,
    /* vnd.dovecot.testsuite */
    REG_TAG_SMTP, REG_TAG_FOLDER, REG_TAG_APPEND_RESULT, REG_TAG_TS_EXTENSION,
    /* RFC 6009 (redirect-dsn, redirect-deliverby) */
    REG_TAG_DSN_NOTIFY, REG_TAG_RET, REG_TAG_BYTIMERELATIVE, REG_TAG_BYTIMEABSOLUTE,
    REG_TAG_BYMODE, REG_TAG_BYTRACE,
    /* RFC 6134: the :list match type, and redirect :list */
    REG_TAG_LIST, REG_TAG_REDIRECT_LIST,
    /* test_imap_metadata_set :mailbox (vnd.dovecot.testsuite) */
    REG_TAG_TS_MAILBOX,
    REG_TAG__COUNT
} reg_tag_id;

typedef struct reg_tag {
    const char *name;          /* without ':' */
    reg_tag_id id;
    reg_tag_group group;
    reg_type param;            /* REG_T_NONE: a flag */
    reg_ext_id ext;            /* must be required to use the tag */
    reg_tag_id needs;          /* another tag that must be present too, or NONE */
    int rank;                  /* set modifiers: RFC 5229 4.1 precedence */
} reg_tag;

/* ---- Commands and tests ---------------------------------------------- */

typedef enum reg_kind { REG_COMMAND, REG_TEST } reg_kind;

typedef struct reg_param {
    const char *name;          /* for messages: "mailbox", "header-names" */
    reg_type type;
    /* Optional parameters are dropped in order from the first optional one
     * when fewer arguments are given (so a leading optional works too:
     * `hasflag [variable-list] flags`, RFC 5232 4). */
    bool optional;
} reg_param;

typedef enum reg_sub {
    REG_SUB_NONE,              /* no test allowed */
    REG_SUB_TEST,              /* exactly one test, not a test list */
    REG_SUB_TEST_LIST,         /* a parenthesised test list */
} reg_sub;

/* What a node does, for the checker's placement rules and later phases. */
enum {
    REG_F_ACTION       = 1u << 0,  /* an action (RFC 5228 4) */
    REG_F_BLOCK        = 1u << 1,  /* requires a block; others forbid one */
    REG_F_IF           = 1u << 2,
    REG_F_ELSIF        = 1u << 3,  /* must follow if/elsif */
    REG_F_ELSE         = 1u << 4,
    REG_F_REQUIRE      = 1u << 5,  /* only before other commands (RFC 5228 3.2) */
    REG_F_MATCH        = 1u << 6,  /* takes :comparator and a match type */
    REG_F_ADDRESS_PART = 1u << 7,  /* takes an address part */
    REG_F_READS_HEADERS  = 1u << 8,
    REG_F_READS_ENVELOPE = 1u << 9,
    REG_F_READS_BODY     = 1u << 10,
    REG_F_CANCELS_KEEP   = 1u << 11, /* RFC 5228 2.10.2 */
    REG_F_CONTROL      = 1u << 12,   /* stop, return, break */
    REG_F_HEADER_LIST  = 1u << 13,   /* params[0] lists header names */
};

typedef enum reg_def_id {
    /* RFC 5228 */
    REG_DEF_REQUIRE, REG_DEF_IF, REG_DEF_ELSIF, REG_DEF_ELSE, REG_DEF_STOP,
    REG_DEF_KEEP, REG_DEF_DISCARD, REG_DEF_REDIRECT, REG_DEF_FILEINTO,
    REG_DEF_ADDRESS, REG_DEF_ALLOF, REG_DEF_ANYOF, REG_DEF_ENVELOPE,
    REG_DEF_EXISTS, REG_DEF_FALSE, REG_DEF_TRUE, REG_DEF_HEADER, REG_DEF_NOT,
    REG_DEF_SIZE,
    /* extensions */
    REG_DEF_REJECT, REG_DEF_EREJECT, REG_DEF_BODY,
    REG_DEF_SET, REG_DEF_STRING,
    REG_DEF_VACATION,
    REG_DEF_SETFLAG, REG_DEF_ADDFLAG, REG_DEF_REMOVEFLAG, REG_DEF_HASFLAG,
    REG_DEF_ADDHEADER, REG_DEF_DELETEHEADER,
    REG_DEF_DATE, REG_DEF_CURRENTDATE,
    REG_DEF_SPAMTEST, REG_DEF_VIRUSTEST,
    REG_DEF_MAILBOXEXISTS,
    REG_DEF_ENVIRONMENT,
    REG_DEF_DUPLICATE,
    REG_DEF_NOTIFY, REG_DEF_VALID_NOTIFY_METHOD, REG_DEF_NOTIFY_METHOD_CAPABILITY,
    REG_DEF_FOREVERYPART, REG_DEF_BREAK, REG_DEF_REPLACE, REG_DEF_ENCLOSE,
    REG_DEF_EXTRACTTEXT,
    REG_DEF_INCLUDE, REG_DEF_RETURN, REG_DEF_GLOBAL,
    REG_DEF_IHAVE, REG_DEF_ERROR,
    REG_DEF_MAILBOXIDEXISTS, REG_DEF_SPECIALUSE_EXISTS,
    /* vnd.dovecot.testsuite (ext_testsuite.c) */
    REG_DEF_TS_TEST, REG_DEF_TS_FAIL, REG_DEF_TS_SET, REG_DEF_TS_MESSAGE,
    REG_DEF_TS_MESSAGE_TEST, REG_DEF_TS_MAILBOX_CREATE, REG_DEF_TS_RESULT_RESET,
    REG_DEF_TS_RESULT_PRINT, REG_DEF_TS_CONFIG_SET, REG_DEF_TS_CONFIG_UNSET,
    REG_DEF_TS_CONFIG_RELOAD, REG_DEF_TS_BINARY_SAVE, REG_DEF_TS_BINARY_LOAD,
    REG_DEF_TS_RESULT_ACTION, REG_DEF_TS_RESULT_EXECUTE, REG_DEF_TS_ERROR,
    REG_DEF_TS_SCRIPT_COMPILE, REG_DEF_TS_SCRIPT_RUN,
    REG_DEF_VALID_EXT_LIST,    /* RFC 6134 2.5 */
    REG_DEF_METADATA, REG_DEF_METADATAEXISTS,             /* RFC 5490 3.3, 3.4 */
    REG_DEF_SERVERMETADATA, REG_DEF_SERVERMETADATAEXISTS, /* RFC 5490 4.1, 4.2 */
    REG_DEF_TS_IMAP_METADATA_SET,  /* vnd.dovecot.testsuite */
    REG_DEF_DEBUG_LOG,             /* vnd.dovecot.debug */
    REG_DEF__COUNT
} reg_def_id;

/* A check hook runs after the generic checks passed for the node (types,
 * counts, tags, match spec). It reports through the sema_ctx API
 * (sema_ext.h) and returns false when it reported an error. */
typedef bool reg_check_fn(struct sema_ctx *ctx, struct ast_node *node);

#define REG_MAX_PARAMS 4
#define REG_MAX_TAGSETS 6

typedef struct reg_def {
    reg_def_id id;
    const char *name;
    reg_kind kind;
    reg_ext_id ext;            /* REG_EXT_CORE: always available */
    reg_param params[REG_MAX_PARAMS];
    size_t nparams;
    /* Tag tables this def accepts, up to the first NULL; each table ends
     * with a row whose name is NULL. Shared tables (match tags, address
     * parts, :index/:last, :mime ...) are listed by every def that takes
     * them; each tag carries its own extension. For REG_F_MATCH defs the
     * key list is the last positional parameter. */
    const reg_tag *tagsets[REG_MAX_TAGSETS];
    reg_sub sub;
    unsigned flags;            /* REG_F_* */
    reg_check_fn *check;       /* NULL when the tables say everything */
} reg_def;

/* Looks a command or test up by name (case-insensitive). NULL if unknown
 * under that kind; reg_def_lookup_any finds the other kind to say
 * "'true' is a test, not a command". */
const reg_def *reg_def_lookup(reg_kind kind, const char *name);
const reg_def *reg_def_lookup_any(const char *name);
const reg_def *reg_def_get(reg_def_id id);

/* Finds a tag among those a def accepts. NULL if the def takes no such tag. */
const reg_tag *reg_def_find_tag(const reg_def *def, const char *name);
/* Finds a tag by name in any def (to tell "unknown tag" from "tag not
 * valid here"). */
bool reg_tag_known(const char *name);
const char *reg_tag_group_name(reg_tag_group g);  /* "match type" ... */

/* All defs, for lint and tests. */
size_t reg_def_count(void);
const reg_def *reg_def_at(size_t i);
size_t reg_ext_count(void);
const reg_ext *reg_ext_at(size_t i);

#endif
