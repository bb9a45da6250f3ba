/* sema: the semantic checker. Parsed tree -> checked, annotated tree.
 *
 * sema_check() resolves every command and test against the registry
 * (registry.h), checks requires, argument counts and types, tags, match
 * specifications, and each extension's own rules, resolves
 * encoded-character sequences in place (RFC 5228 2.4.2.4), and reports
 * problems to the diagnostics sink with stable IDs:
 *
 *   unknown-extension  missing-require  require-not-first  deprecated-extension
 *   unknown-command  unknown-test  not-a-command  not-a-test
 *   argument-type  too-many-arguments  missing-argument
 *   unknown-tag  duplicate-tag  conflicting-tags  tag-needs-tag  tag-order
 *   test-required  test-not-allowed  test-list-not-allowed  test-list-required
 *   block-required  block-not-allowed  else-without-if
 *   invalid-comparator  comparator-match-type  invalid-relational-operator
 *   invalid-regex  invalid-variable-name  invalid-namespace
 *   invalid-address  invalid-encoded-character  invalid-value
 *   invalid-header-name  invalid-date-part  invalid-zone  invalid-uri
 *   break-outside-foreverypart  invalid-include-name  limit-exceeded
 *   protected-header  constant-required  not-an-address-header
 *   global-after-local
 *
 * Warnings (the script still compiles, as in Pigeonhole): protected-header,
 * invalid-date-part, invalid-zone, invalid-header-name in tests that only
 * read (header, exists, duplicate :header; an error in address and
 * editheader), invalid-value for deleteheader :index 0.
 *
 * On success every ast_node gets node->def (the resolved reg_def) and
 * node->sema (struct sema_node below), so later phases never re-parse
 * arguments. All annotations live in the script's arena: they stay valid
 * until ast_script_free(). The sema_result is separate heap memory with its
 * own destructor, but its strings point into the arena too, so free the
 * result no later than the script.
 *
 * No global state: concurrent checks of different scripts are safe; one
 * script must not be checked twice or concurrently.
 */
#ifndef SIEVEC_SEMA_H
#define SIEVEC_SEMA_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "ast.h"
#include "diag.h"
#include "limits.h"
#include "registry.h"

/* RFC 5229 6 implementation limits, the same as Pigeonhole's so the same
 * scripts pass; the code generator and runtime must support at least
 * these. Exceeding one is a compile-time error ("limit-exceeded"), as
 * section 6 asks for match indices. */
#define SEMA_MAX_MATCH_INDEX     32    /* ${0} .. ${32} */
#define SEMA_MAX_VARIABLE_NAME   64    /* bytes of a variable name */
#define SEMA_MAX_VARIABLES       255   /* distinct local variable names */
/* foreverypart loops nested in each other: RFC 5703 3 leaves the bound to
 * the implementation; it is the limit loop_nesting (limits.h, default
 * Pigeonhole's 4). */

/* ---- Per-node annotations -------------------------------------------- */

/* A tag present on a node, with its parameter. */
typedef struct sema_tagval {
    const reg_tag *tag;
    const ast_arg *arg;        /* the tag itself (for spans) */
    const ast_arg *param;      /* its parameter, NULL for a flag tag */
} sema_tagval;

/* Where a date test takes its zone from (RFC 5260 4.1.1 / 4.1.2). */
typedef enum sema_zone_kind {
    SEMA_ZONE_LOCAL,           /* neither tag: the local time zone */
    SEMA_ZONE_FIXED,           /* :zone "+hhmm": offset_minutes */
    SEMA_ZONE_ORIGINAL,        /* :originalzone */
    SEMA_ZONE_VARIABLE,        /* :zone with a variable: decided at run time */
} sema_zone_kind;

/* RFC 5703 4.2: what :mime looks at in Content-* headers. */
typedef enum sema_mime_opt {
    SEMA_MIME_NONE,            /* no option: the whole header value */
    SEMA_MIME_TYPE,
    SEMA_MIME_SUBTYPE,
    SEMA_MIME_CONTENTTYPE,
    SEMA_MIME_PARAM,           /* mime_params lists the parameter names */
} sema_mime_opt;

/* Everything that decides how a test compares, normalised with defaults
 * filled in. Present (has_match) on every def with REG_F_MATCH. */
typedef struct sema_match {
    const reg_comparator *comparator;  /* default i;ascii-casemap */
    reg_match_type match_type;         /* default :is */
    reg_relop relop;                   /* :count/:value; REG_REL_NONE else,
                                          or when the operator is a variable */
    const ast_arg *relop_arg;          /* the operator string as written */
    reg_addrpart addrpart;             /* default :all */
    reg_transform transform;           /* body: default :text */
    const ast_arg *content_types;      /* body :content list, else NULL */
    bool mime, anychild;               /* RFC 5703 4 */
    sema_mime_opt mime_opt;
    const ast_arg *mime_params;        /* :param list */
    uint64_t index;                    /* RFC 5260 6: 0 = no :index */
    bool last;
    reg_datepart datepart;             /* date/currentdate; NONE if variable */
    sema_zone_kind zone;
    int offset_minutes;                /* SEMA_ZONE_FIXED */
    const ast_arg *zone_arg;
} sema_match;

/* A string that contains variable references, split into parts
 * (RFC 5229 3). Strings without references have no sema_str: their
 * ast_string text is the constant value. */
typedef enum sema_part_kind {
    SEMA_PART_TEXT,            /* literal bytes */
    SEMA_PART_VAR,             /* ${name} or ${ns.name}; name as written */
    SEMA_PART_MATCH,           /* ${N}: match variable N (0..9) */
} sema_part_kind;

typedef struct sema_part {
    sema_part_kind kind;
    const char *text;          /* TEXT: bytes; VAR: name, lower-cased, NUL-terminated */
    size_t len;
    unsigned index;            /* MATCH */
} sema_part;

typedef struct sema_str {
    const ast_string *str;
    sema_part *parts;
    size_t nparts;
} sema_str;

typedef struct sema_node {
    const reg_def *def;
    /* Positional arguments in signature order: pos[i] is def->params[i],
     * NULL for an absent optional parameter (and, when the node had
     * argument errors, possibly for any). npos == def->nparams. */
    const ast_arg **pos;
    size_t npos;
    sema_tagval *tags;         /* in source order */
    size_t ntags;
    bool has_match;
    sema_match match;
    /* Strings of this node (positional and tag parameters) that contain
     * variable references; see sema_node_string(). */
    sema_str *strs;
    size_t nstrs;
    /* Set-command modifiers (RFC 5229 4.1) sorted by application order
     * (highest precedence first). */
    const reg_tag **modifiers;
    size_t nmodifiers;
    /* The innermost foreverypart around this node (RFC 5703 3: tests and
     * actions inside apply to the current part), or for `break :name` the
     * loop it names; NULL outside any. */
    const ast_node *loop;
    /* `if ihave "x"` where x is not supported: the block is not checked
     * (RFC 5463 4) and must compile to nothing. */
    bool dead_block;
} sema_node;

/* The key list of a node with a match specification (the last positional
 * argument: a string or a string list), or NULL. */
const ast_arg *sema_node_keys(const sema_node *sn);
/* The tag with this id on the node, or NULL. */
const sema_tagval *sema_node_tag(const sema_node *sn, reg_tag_id id);
/* The variable split of a string of this node; NULL when the string is a
 * constant (or variables are not required). */
const sema_str *sema_node_string(const sema_node *sn, const ast_string *str);

/* ---- Whole-script facts ---------------------------------------------- */

typedef struct sema_result {
    reg_ext_mask required;     /* named in require (with implied ones) */
    /* A command, test, tag or comparator of it appears (encoded-character:
     * a sequence was decoded; variables: also any ${...} reference;
     * comparator-i;octet / -i;ascii-casemap: that comparator is used,
     * explicitly or as the default). Lint compares this to require_explicit
     * to find unused requires. */
    reg_ext_mask used;
    /* Span of the require string that named each extension (valid when the
     * bit is in `required` and not only implied). */
    src_span require_span[REG_EXT__COUNT];
    bool require_explicit[REG_EXT__COUNT];

    /* Constant header names the script reads (header, address, exists,
     * date, :mime tests, duplicate :header), lower-cased, without
     * duplicates, in first-use order; for the runtime's header index.
     * headers_dynamic is true when some header name is a variable, so the
     * index cannot be limited to this list. */
    const char **header_names;
    size_t nheader_names;
    bool headers_dynamic;

    bool reads_envelope;       /* envelope test */
    bool reads_headers;        /* any header/address/exists/date/mime test */
    bool reads_body;           /* body, foreverypart, extracttext */
    bool reads_size;           /* size test */
    /* The result can differ between recipients of one SMTP transaction:
     * envelope "to"/"orcpt", environment/variables that expose the
     * recipient, vacation (responds per recipient), duplicate (per-user
     * state), mailboxexists, include of a personal script. Conservative:
     * true when unsure (e.g. an envelope part given by a variable). */
    bool recipient_dependent;
    bool uses_variables;       /* some string holds a variable reference */
    size_t ncommands, ntests;
} sema_result;

/* Checks the script. Returns the number of errors reported (0: the tree is
 * fully annotated and may go to the code generator). *result_r is set even
 * when there were errors (lint reports what it can), and is freed with
 * sema_result_free. lim may be NULL for the defaults. */
size_t sema_check(ast_script *script, const sieve_limits *lim, diag_sink *diag,
                  sema_result **result_r);
void sema_result_free(sema_result **result_r);

/* ---- API for sieve-lint ---------------------------------------------- */

/* Visits every command and test in source order (depth-first, a node before
 * its tests and block); depth 0 is the top level. Stops and returns false
 * when the visitor returns false. Works on an unchecked tree too (then
 * def/sema are NULL). */
typedef bool sema_visit_fn(const ast_node *node, const ast_node *parent,
                           unsigned depth, void *ctx);
bool sema_walk(const ast_script *script, sema_visit_fn *visit, void *ctx);

/* Whether an extension was required explicitly (span_r gets the span of
 * the require string naming it, may be NULL) / used by some construct. */
bool sema_ext_required(const sema_result *res, reg_ext_id ext, src_span *span_r);
bool sema_ext_used(const sema_result *res, reg_ext_id ext);

/* RFC 5229 3 helpers, shared with the code generator and lint: whether
 * name is a valid variable name for `set` (identifier, or namespace.name
 * for a known namespace), and splitting a string into parts (NULL parts and
 * 0 when the string has no reference). Parts are allocated in a. */
bool sema_valid_variable_name(const char *name, size_t len);
size_t sema_split_variables(arena *a, const char *text, size_t len,
                            sema_part **parts_r);

#endif
