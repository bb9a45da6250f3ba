/* The code generator: control flow to LLVM IR, operands to program table
 * records, and the descriptor. Contract in codegen.h. */
#include "codegen.h"

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "emit_llvm.h"
#include "incl.h"
#include "progtab.h"
#include "sieve/abi.h"

typedef struct cg cg;
typedef void cg_fill_fn(cg *g, const ast_node *node, uint32_t *rec);

/* ---- Scope: what this code generator compiles ------------------------- */

/* Extensions whose tags may appear (a tag of any other extension is
 * refused). The commands and tests themselves are the rows of cg_defs. */
static const reg_ext_id cg_exts[] = {
    REG_EXT_CORE, REG_EXT_FILEINTO, REG_EXT_REJECT, REG_EXT_EREJECT, REG_EXT_ENVELOPE,
    REG_EXT_ENCODED_CHARACTER, REG_EXT_COMPARATOR_OCTET, REG_EXT_COMPARATOR_ASCII_CASEMAP,
    REG_EXT_COMPARATOR_ASCII_NUMERIC, REG_EXT_COMPARATOR_UNICODE_CASEMAP, REG_EXT_COPY,
    REG_EXT_BODY, REG_EXT_VARIABLES, REG_EXT_RELATIONAL, REG_EXT_SUBADDRESS, REG_EXT_REGEX,
    /* ihave: constant capabilities are folded at compile time, others are
     * SIEVE_TEST_IHAVE records answered by the runtime. */
    REG_EXT_IHAVE,
    /* RFC 5703, RFC 5235 */
    REG_EXT_FOREVERYPART, REG_EXT_MIME, REG_EXT_EXTRACTTEXT, REG_EXT_REPLACE, REG_EXT_ENCLOSE,
    REG_EXT_SPAMTEST, REG_EXT_SPAMTESTPLUS, REG_EXT_VIRUSTEST,
    /* RFC 6609: included scripts are compiled into the same filter. */
    REG_EXT_INCLUDE,
    /* testsuite mode only (the registry hides it otherwise) */
    REG_EXT_TESTSUITE,
    /* RFC 5260 (date, index), RFC 5183 */
    REG_EXT_DATE, REG_EXT_INDEX, REG_EXT_ENVIRONMENT,
    /* RFC 5230, RFC 6131, RFC 5435, RFC 7352, RFC 8580 (:fcc itself) */
    REG_EXT_VACATION, REG_EXT_VACATION_SECONDS, REG_EXT_ENOTIFY, REG_EXT_DUPLICATE, REG_EXT_FCC,
    /* cg_flags.inc */
    REG_EXT_IMAP4FLAGS, REG_EXT_EDITHEADER, REG_EXT_MAILBOX, REG_EXT_SPECIAL_USE,
    REG_EXT_MAILBOXID,
    /* RFC 6009 (cg_dsn.inc) */
    REG_EXT_ENVELOPE_DSN, REG_EXT_REDIRECT_DSN, REG_EXT_ENVELOPE_DELIVERBY,
    REG_EXT_REDIRECT_DELIVERBY,
    /* RFC 6134 (cg_dsn.inc), RFC 5490 3.3-4 (cg_dsn.inc) */
    REG_EXT_EXTLISTS, REG_EXT_MBOXMETADATA, REG_EXT_SERVERMETADATA,
    /* Pigeonhole's vnd.dovecot.debug and vnd.dovecot.environment */
    REG_EXT_VND_DEBUG, REG_EXT_VND_ENVIRONMENT,
};

typedef enum cg_role {
    CG_CONTROL,      /* folded or lowered to branches: no record */
    CG_TEST,         /* a test record, ops->test */
    CG_ACTION,       /* an action record, ops->action */
} cg_role;

typedef struct cg_def_row {
    reg_def_id def;
    cg_role role;
    uint32_t kind;           /* SIEVE_TEST_* / SIEVE_ACT_* */
    cg_fill_fn *fill;        /* operands of the record */
} cg_def_row;

static cg_fill_fn fill_header, fill_exists, fill_size, fill_body, fill_value_arg0,
    fill_redirect, fill_fileinto, fill_set, fill_host_command, fill_host_test, fill_ihave,
    fill_extracttext, fill_spamtest, fill_replace, fill_enclose, fill_date, fill_environment;
static cg_fill_fn fill_vacation, fill_notify, fill_duplicate, fill_valid_notify,
    fill_notify_capability;
/* imap4flags, editheader, mailbox, special-use, mailboxid: cg_flags.inc */
/* RFC 6009: cg_dsn.inc */
static cg_fill_fn fill_envelope, fill_metadata;
static void fill_redirect_dsn(cg *g, const ast_node *n, uint32_t *rec);
static cg_fill_fn fill_keep, fill_flag_action, fill_hasflag, fill_addheader, fill_deleteheader,
    fill_mailboxexists, fill_specialuse_exists;

/* The scope: every command and test this generator compiles. Anything not
 * listed here is refused with "not-yet-compilable". */
static const cg_def_row cg_defs[] = {
    { REG_DEF_REQUIRE, CG_CONTROL, 0, NULL },
    { REG_DEF_IF, CG_CONTROL, 0, NULL },
    { REG_DEF_ELSIF, CG_CONTROL, 0, NULL },
    { REG_DEF_ELSE, CG_CONTROL, 0, NULL },
    { REG_DEF_STOP, CG_CONTROL, 0, NULL },
    { REG_DEF_ALLOF, CG_CONTROL, 0, NULL },
    { REG_DEF_ANYOF, CG_CONTROL, 0, NULL },
    { REG_DEF_NOT, CG_CONTROL, 0, NULL },
    { REG_DEF_TRUE, CG_CONTROL, 0, NULL },
    { REG_DEF_FALSE, CG_CONTROL, 0, NULL },
    /* RFC 5463 4: folded when constant (const_value), else a record */
    { REG_DEF_IHAVE, CG_TEST, SIEVE_TEST_IHAVE, fill_ihave },
    /* RFC 5463 5 */
    { REG_DEF_ERROR, CG_ACTION, SIEVE_ACT_ERROR, fill_value_arg0 },
    /* RFC 6609: include and return are lowered by gen_commands; global
     * only changes which slot a name refers to (pt_set_var_scope). */
    { REG_DEF_INCLUDE, CG_CONTROL, 0, NULL },
    { REG_DEF_RETURN, CG_CONTROL, 0, NULL },
    { REG_DEF_GLOBAL, CG_CONTROL, 0, NULL },
    /* RFC 5228 5 */
    { REG_DEF_HEADER, CG_TEST, SIEVE_TEST_HEADER, fill_header },
    { REG_DEF_ADDRESS, CG_TEST, SIEVE_TEST_ADDRESS, fill_header },
    { REG_DEF_ENVELOPE, CG_TEST, SIEVE_TEST_ENVELOPE, fill_envelope },
    { REG_DEF_EXISTS, CG_TEST, SIEVE_TEST_EXISTS, fill_exists },
    { REG_DEF_SIZE, CG_TEST, SIEVE_TEST_SIZE_OVER, fill_size },
    /* RFC 5173, RFC 5229 5 */
    { REG_DEF_BODY, CG_TEST, SIEVE_TEST_BODY, fill_body },
    { REG_DEF_STRING, CG_TEST, SIEVE_TEST_STRING, fill_header },
    /* RFC 5260 4, 5; RFC 5183 4 */
    { REG_DEF_DATE, CG_TEST, SIEVE_TEST_DATE, fill_date },
    { REG_DEF_CURRENTDATE, CG_TEST, SIEVE_TEST_CURRENTDATE, fill_date },
    { REG_DEF_ENVIRONMENT, CG_TEST, SIEVE_TEST_ENVIRONMENT, fill_environment },
    /* RFC 5228 4, RFC 5429, RFC 5229 4 */
    { REG_DEF_KEEP, CG_ACTION, SIEVE_ACT_KEEP, fill_keep },
    { REG_DEF_DISCARD, CG_ACTION, SIEVE_ACT_DISCARD, NULL },
    { REG_DEF_REDIRECT, CG_ACTION, SIEVE_ACT_REDIRECT, fill_redirect },
    { REG_DEF_FILEINTO, CG_ACTION, SIEVE_ACT_FILEINTO, fill_fileinto },
    { REG_DEF_REJECT, CG_ACTION, SIEVE_ACT_REJECT, fill_value_arg0 },
    { REG_DEF_EREJECT, CG_ACTION, SIEVE_ACT_EREJECT, fill_value_arg0 },
    { REG_DEF_SET, CG_ACTION, SIEVE_ACT_SET, fill_set },
    /* RFC 5703 3, 7: foreverypart and break are lowered by gen_foreverypart
     * and the break case of gen_commands. */
    { REG_DEF_FOREVERYPART, CG_CONTROL, 0, NULL },
    { REG_DEF_BREAK, CG_CONTROL, 0, NULL },
    { REG_DEF_EXTRACTTEXT, CG_ACTION, SIEVE_ACT_EXTRACTTEXT, fill_extracttext },
    { REG_DEF_REPLACE, CG_ACTION, SIEVE_ACT_REPLACE, fill_replace },
    { REG_DEF_ENCLOSE, CG_ACTION, SIEVE_ACT_ENCLOSE, fill_enclose },
    /* RFC 5235 */
    { REG_DEF_SPAMTEST, CG_TEST, SIEVE_TEST_SPAMTEST, fill_spamtest },
    { REG_DEF_VIRUSTEST, CG_TEST, SIEVE_TEST_VIRUSTEST, fill_spamtest },
    /* RFC 5230, RFC 6131, RFC 5435, RFC 7352 */
    { REG_DEF_VACATION, CG_ACTION, SIEVE_ACT_VACATION, fill_vacation },
    { REG_DEF_NOTIFY, CG_ACTION, SIEVE_ACT_NOTIFY, fill_notify },
    { REG_DEF_VALID_NOTIFY_METHOD, CG_TEST, SIEVE_TEST_VALID_NOTIFY_METHOD, fill_valid_notify },
    { REG_DEF_NOTIFY_METHOD_CAPABILITY, CG_TEST, SIEVE_TEST_NOTIFY_METHOD_CAPABILITY,
      fill_notify_capability },
    { REG_DEF_DUPLICATE, CG_TEST, SIEVE_TEST_DUPLICATE, fill_duplicate },
    /* RFC 6134 2.5 */
    { REG_DEF_VALID_EXT_LIST, CG_TEST, SIEVE_TEST_VALID_EXT_LIST, fill_ihave },
    /* RFC 5490 3.3, 3.4, 4.1, 4.2 */
    { REG_DEF_METADATA, CG_TEST, SIEVE_TEST_METADATA, fill_metadata },
    { REG_DEF_METADATAEXISTS, CG_TEST, SIEVE_TEST_METADATAEXISTS, fill_metadata },
    { REG_DEF_SERVERMETADATA, CG_TEST, SIEVE_TEST_METADATA, fill_metadata },
    { REG_DEF_SERVERMETADATAEXISTS, CG_TEST, SIEVE_TEST_METADATAEXISTS, fill_metadata },
    /* vnd.dovecot.debug */
    { REG_DEF_DEBUG_LOG, CG_ACTION, SIEVE_ACT_DEBUG_LOG, fill_value_arg0 },
    /* RFC 5232, RFC 5293, RFC 5490, RFC 8579, RFC 9042 (cg_flags.inc) */
    { REG_DEF_SETFLAG, CG_ACTION, SIEVE_ACT_SETFLAG, fill_flag_action },
    { REG_DEF_ADDFLAG, CG_ACTION, SIEVE_ACT_ADDFLAG, fill_flag_action },
    { REG_DEF_REMOVEFLAG, CG_ACTION, SIEVE_ACT_REMOVEFLAG, fill_flag_action },
    { REG_DEF_HASFLAG, CG_TEST, SIEVE_TEST_HASFLAG, fill_hasflag },
    { REG_DEF_ADDHEADER, CG_ACTION, SIEVE_ACT_ADDHEADER, fill_addheader },
    { REG_DEF_DELETEHEADER, CG_ACTION, SIEVE_ACT_DELETEHEADER, fill_deleteheader },
    { REG_DEF_MAILBOXEXISTS, CG_TEST, SIEVE_TEST_MAILBOXEXISTS, fill_mailboxexists },
    { REG_DEF_SPECIALUSE_EXISTS, CG_TEST, SIEVE_TEST_MAILBOXEXISTS, fill_specialuse_exists },
    { REG_DEF_MAILBOXIDEXISTS, CG_TEST, SIEVE_TEST_MAILBOXIDEXISTS, fill_mailboxexists },
    /* vnd.dovecot.testsuite: test and test_fail are lowered by
     * gen_test_block and the test_fail case of gen_commands; the rest
     * are host records. */
    { REG_DEF_TS_TEST, CG_CONTROL, 0, NULL },
    { REG_DEF_TS_FAIL, CG_CONTROL, 0, NULL },
    { REG_DEF_TS_SET, CG_ACTION, SIEVE_ACT_HOST, fill_host_command },
    { REG_DEF_TS_MESSAGE, CG_ACTION, SIEVE_ACT_HOST, fill_host_command },
    { REG_DEF_TS_MAILBOX_CREATE, CG_ACTION, SIEVE_ACT_HOST, fill_host_command },
    { REG_DEF_TS_RESULT_RESET, CG_ACTION, SIEVE_ACT_HOST, fill_host_command },
    { REG_DEF_TS_RESULT_PRINT, CG_ACTION, SIEVE_ACT_HOST, fill_host_command },
    { REG_DEF_TS_CONFIG_SET, CG_ACTION, SIEVE_ACT_HOST, fill_host_command },
    { REG_DEF_TS_CONFIG_UNSET, CG_ACTION, SIEVE_ACT_HOST, fill_host_command },
    { REG_DEF_TS_CONFIG_RELOAD, CG_ACTION, SIEVE_ACT_HOST, fill_host_command },
    { REG_DEF_TS_BINARY_SAVE, CG_ACTION, SIEVE_ACT_HOST, fill_host_command },
    { REG_DEF_TS_BINARY_LOAD, CG_ACTION, SIEVE_ACT_HOST, fill_host_command },
    { REG_DEF_TS_MESSAGE_TEST, CG_TEST, SIEVE_TEST_HOST, fill_host_test },
    { REG_DEF_TS_RESULT_ACTION, CG_TEST, SIEVE_TEST_HOST, fill_host_test },
    { REG_DEF_TS_RESULT_EXECUTE, CG_TEST, SIEVE_TEST_HOST, fill_host_test },
    { REG_DEF_TS_ERROR, CG_TEST, SIEVE_TEST_HOST, fill_host_test },
    { REG_DEF_TS_SCRIPT_COMPILE, CG_TEST, SIEVE_TEST_HOST, fill_host_test },
    { REG_DEF_TS_SCRIPT_RUN, CG_TEST, SIEVE_TEST_HOST, fill_host_test },
    { REG_DEF_TS_IMAP_METADATA_SET, CG_ACTION, SIEVE_ACT_HOST, fill_host_command },
};

/* vnd.dovecot.testsuite command/test -> SIEVE_HOST_* id. */
static const struct { reg_def_id def; uint32_t host; } host_map[] = {
    { REG_DEF_TS_TEST, SIEVE_HOST_TEST_BEGIN }, { REG_DEF_TS_FAIL, SIEVE_HOST_TEST_FAIL },
    { REG_DEF_TS_SET, SIEVE_HOST_SET }, { REG_DEF_TS_MESSAGE, SIEVE_HOST_MESSAGE },
    { REG_DEF_TS_MAILBOX_CREATE, SIEVE_HOST_MAILBOX_CREATE },
    { REG_DEF_TS_RESULT_RESET, SIEVE_HOST_RESULT_RESET },
    { REG_DEF_TS_RESULT_PRINT, SIEVE_HOST_RESULT_PRINT },
    { REG_DEF_TS_CONFIG_SET, SIEVE_HOST_CONFIG_SET },
    { REG_DEF_TS_CONFIG_UNSET, SIEVE_HOST_CONFIG_UNSET },
    { REG_DEF_TS_CONFIG_RELOAD, SIEVE_HOST_CONFIG_RELOAD },
    { REG_DEF_TS_BINARY_SAVE, SIEVE_HOST_BINARY_SAVE },
    { REG_DEF_TS_BINARY_LOAD, SIEVE_HOST_BINARY_LOAD },
    { REG_DEF_TS_MESSAGE_TEST, SIEVE_HOST_MESSAGE_TEST },
    { REG_DEF_TS_RESULT_ACTION, SIEVE_HOST_RESULT_ACTION },
    { REG_DEF_TS_RESULT_EXECUTE, SIEVE_HOST_RESULT_EXECUTE },
    { REG_DEF_TS_ERROR, SIEVE_HOST_ERROR },
    { REG_DEF_TS_SCRIPT_COMPILE, SIEVE_HOST_SCRIPT_COMPILE },
    { REG_DEF_TS_SCRIPT_RUN, SIEVE_HOST_SCRIPT_RUN },
    { REG_DEF_TS_IMAP_METADATA_SET, SIEVE_HOST_IMAP_METADATA_SET },
};

static const cg_def_row *def_row(const reg_def *def)
{
    if (!def)
        return NULL;
    for (size_t i = 0; i < sizeof cg_defs / sizeof cg_defs[0]; i++)
        if (cg_defs[i].def == def->id)
            return &cg_defs[i];
    return NULL;
}

static bool ext_compiled(reg_ext_id id)
{
    for (size_t i = 0; i < sizeof cg_exts / sizeof cg_exts[0]; i++)
        if (cg_exts[i] == id)
            return true;
    return false;
}

/* ---- Registry enums -> ABI enums (tables, not arithmetic) -------------- */

static const struct { reg_match_type r; uint32_t a; } match_map[] = {
    { REG_MATCH_IS, SIEVE_MATCH_IS }, { REG_MATCH_CONTAINS, SIEVE_MATCH_CONTAINS },
    { REG_MATCH_MATCHES, SIEVE_MATCH_MATCHES }, { REG_MATCH_REGEX, SIEVE_MATCH_REGEX },
    { REG_MATCH_COUNT, SIEVE_MATCH_COUNT }, { REG_MATCH_VALUE, SIEVE_MATCH_VALUE },
    /* RFC 6134: SIEVE_TF_LIST on an :is record (fill_match) */
    { REG_MATCH_LIST, SIEVE_MATCH_IS },
};
static const struct { reg_cmp_id r; uint32_t a; } cmp_map[] = {
    { REG_CMP_OCTET, SIEVE_CMP_OCTET }, { REG_CMP_ASCII_CASEMAP, SIEVE_CMP_ASCII_CASEMAP },
    { REG_CMP_ASCII_NUMERIC, SIEVE_CMP_ASCII_NUMERIC },
    { REG_CMP_UNICODE_CASEMAP, SIEVE_CMP_UNICODE_CASEMAP },
};
static const struct { reg_relop r; uint32_t a; } rel_map[] = {
    { REG_REL_NONE, SIEVE_REL_NONE }, { REG_REL_GT, SIEVE_REL_GT }, { REG_REL_GE, SIEVE_REL_GE },
    { REG_REL_LT, SIEVE_REL_LT }, { REG_REL_LE, SIEVE_REL_LE }, { REG_REL_EQ, SIEVE_REL_EQ },
    { REG_REL_NE, SIEVE_REL_NE },
};
static const struct { reg_addrpart r; uint32_t a; } ap_map[] = {
    { REG_AP_ALL, SIEVE_AP_ALL }, { REG_AP_LOCALPART, SIEVE_AP_LOCALPART },
    { REG_AP_DOMAIN, SIEVE_AP_DOMAIN }, { REG_AP_USER, SIEVE_AP_USER },
    { REG_AP_DETAIL, SIEVE_AP_DETAIL },
};
static const struct { reg_transform r; uint32_t a; } bt_map[] = {
    { REG_BT_TEXT, SIEVE_BT_TEXT }, { REG_BT_RAW, SIEVE_BT_RAW }, { REG_BT_CONTENT, SIEVE_BT_CONTENT },
};
/* RFC 5229 4.1 modifiers. */
static const struct { reg_tag_id r; uint32_t a; } mod_map[] = {
    { REG_TAG_LOWER, SIEVE_AF_MOD_LOWER }, { REG_TAG_UPPER, SIEVE_AF_MOD_UPPER },
    { REG_TAG_LOWERFIRST, SIEVE_AF_MOD_LOWERFIRST }, { REG_TAG_UPPERFIRST, SIEVE_AF_MOD_UPPERFIRST },
    { REG_TAG_QUOTEWILDCARD, SIEVE_AF_MOD_QUOTEWILDCARD },
    { REG_TAG_QUOTEREGEX, SIEVE_AF_MOD_QUOTEREGEX }, { REG_TAG_ENCODEURL, SIEVE_AF_MOD_ENCODEURL },
    { REG_TAG_LENGTH, SIEVE_AF_MOD_LENGTH },
};

#define MAP(table, key, out)                                                  \
    do {                                                                      \
        for (size_t i_ = 0; i_ < sizeof table / sizeof table[0]; i_++)        \
            if (table[i_].r == (key))                                         \
                (out) = table[i_].a;                                          \
    } while (0)

/* ---- The generator state ------------------------------------------------ */

struct cg {
    emit_unit *u;
    LLVMContextRef c;
    LLVMModuleRef m;
    LLVMBuilderRef b;
    LLVMTypeRef i32, i8, i8p, i32p, ctx_ty, ctxp, op_fn, op_fnp, ops_ty, opsp, entry_ty;
    LLVMTypeRef part_ty;
    LLVMValueRef fn, entry_fn, ctxarg, test_fp, action_fp;
    LLVMBasicBlockRef err_bb;
    size_t fn_records;       /* records called from the current function */
    unsigned nparts;
    pt_builder *pt;
    const ast_script *script;
    const sema_result *res;
    diag_sink *diag;
    bool capture;            /* variables required: :matches/:regex capture */
    const ast_node **loops;  /* foreverypart nodes by loop record index */
    size_t nloops, caploops;
    /* include (RFC 6609) */
    const incl_set *incl;    /* NULL: no included scripts */
    size_t cur;              /* the script being compiled (0: main) */
    LLVMValueRef *script_fns;/* per included script: i32 (ctx, test, action) */
    uint32_t (*vars)[2];     /* per script: first local slot, count */
    struct cg_incl_rec { uint32_t rec; int target; } *irecs;
    size_t nirecs;
    /* What the descriptor says, over all the scripts */
    const char **hdrs;
    size_t nhdrs;
    reg_ext_mask used;
    uint32_t needs;
    bool recipient_dependent;
};

/* ---- Scope check -------------------------------------------------------- */

typedef enum cv { CV_UNKNOWN, CV_FALSE, CV_TRUE } cv;

static const ast_string *items_of(const ast_arg *a, size_t *n_r)
{
    if (!a) {
        *n_r = 0;
        return NULL;
    }
    if (a->kind == AST_ARG_STRING) {
        *n_r = 1;
        return &a->u.string;
    }
    if (a->kind == AST_ARG_STRING_LIST) {
        *n_r = a->u.list.count;
        return a->u.list.items;
    }
    *n_r = 0;
    return NULL;
}

/* RFC 5463 4: ihave is true when every named capability is executed by
 * this implementation, which for native code means compiled here. */
static cv ihave_value(const ast_node *t)
{
    size_t n;
    const ast_string *it = items_of(t->sema->pos[0], &n);
    for (size_t i = 0; i < n; i++) {
        if (sema_node_string(t->sema, &it[i]))
            return CV_UNKNOWN;
    }
    for (size_t i = 0; i < n; i++) {
        const reg_ext *e = memchr(it[i].text, '\0', it[i].len) ? NULL : reg_ext_lookup(it[i].text);
        /* RFC 5463 4: the test MUST fail for extensions that change how a
         * script is read (variables, encoded-character), as Pigeonhole. */
        if (!e || e->deprecated || !ext_compiled(e->id) || e->id == REG_EXT_VARIABLES ||
            e->id == REG_EXT_ENCODED_CHARACTER)
            return CV_FALSE;
    }
    return CV_TRUE;
}

/* The compile-time value of a test when it has no effect to keep (no test
 * record is skipped that could set match variables). */
static cv const_value(const ast_node *t)
{
    if (!t->def)
        return CV_UNKNOWN;
    switch (t->def->id) {
    case REG_DEF_TRUE:
        return CV_TRUE;
    case REG_DEF_FALSE:
        return CV_FALSE;
    case REG_DEF_NOT: {
        cv v = const_value(t->tests[0]);
        return v == CV_TRUE ? CV_FALSE : v == CV_FALSE ? CV_TRUE : CV_UNKNOWN;
    }
    case REG_DEF_ALLOF:
    case REG_DEF_ANYOF: {
        /* allof: the first non-true decides if it is a constant false;
         * anyof: the mirror image. */
        cv unit = t->def->id == REG_DEF_ALLOF ? CV_TRUE : CV_FALSE;
        for (size_t i = 0; i < t->ntests; i++) {
            cv v = const_value(t->tests[i]);
            if (v == unit)
                continue;
            return v;
        }
        return unit;
    }
    case REG_DEF_IHAVE:
        return ihave_value(t);
    default:
        return CV_UNKNOWN;
    }
}

/* `if`/`elsif` whose block is never compiled: sema skipped it (ihave of an
 * unknown capability) or its condition is a constant false. */
static bool block_dead(const ast_node *cmd)
{
    if (!cmd->def || !(cmd->def->flags & (REG_F_IF | REG_F_ELSIF)))
        return false;
    if (cmd->sema && cmd->sema->dead_block)
        return true;
    return cmd->ntests == 1 && const_value(cmd->tests[0]) == CV_FALSE;
}

typedef struct scope_ctx {
    const source *src;
    diag_sink *diag;
    reg_ext_mask noted;      /* extensions whose note was given once */
} scope_ctx;

static void not_compilable(scope_ctx *sc, src_span span, const char *what, const char *name,
                           reg_ext_id ext)
{
    const reg_ext *e = reg_ext_get(ext);
    diag_error(sc->diag, sc->src, span, "not-yet-compilable",
               "%s '%s' is not yet supported by the code generator (extension \"%s\", %s)",
               what, name, e ? e->name : "?", e ? e->rfc : "?");
    if (!(sc->noted & REG_EXT_BIT(ext))) {
        sc->noted |= REG_EXT_BIT(ext);
        diag_note(sc->diag, NULL, span, "sievec --check accepts the script; native code for "
                                        "this extension comes in a later version");
    }
}

static size_t scope_node(const ast_node *n, scope_ctx *sc);

/* RFC 6134 2.3: the tests whose run time matches through the shared
 * matcher (runtime/tests.c), where :list is implemented. */
static bool list_match_compiled(const cg_def_row *row)
{
    static const uint32_t kinds[] = {
        SIEVE_TEST_HEADER, SIEVE_TEST_ADDRESS, SIEVE_TEST_ENVELOPE, SIEVE_TEST_STRING,
        SIEVE_TEST_DATE, SIEVE_TEST_CURRENTDATE, SIEVE_TEST_ENVIRONMENT, SIEVE_TEST_METADATA,
    };
    for (size_t i = 0; i < sizeof kinds / sizeof kinds[0]; i++)
        if (row->role == CG_TEST && row->kind == kinds[i])
            return true;
    return false;
}

static size_t scope_block(const ast_block *b, scope_ctx *sc)
{
    size_t errors = 0;
    for (size_t i = 0; b && i < b->count; i++)
        errors += scope_node(b->cmds[i], sc);
    return errors;
}

static size_t scope_node(const ast_node *n, scope_ctx *sc)
{
    if (!n || !n->def || !n->sema)
        return 0;
    size_t errors = 0;
    const cg_def_row *row = def_row(n->def);
    if (!row) {
        not_compilable(sc, n->name_span, n->kind == AST_TEST ? "test" : "command", n->def->name,
                       n->def->ext);
        return 1;
    }
    for (size_t i = 0; i < n->sema->ntags; i++) {
        const sema_tagval *tv = &n->sema->tags[i];
        if (tv->tag->id == REG_TAG_LIST && !list_match_compiled(row)) {
            not_compilable(sc, tv->arg->span, "tag", ":list on this test", tv->tag->ext);
            errors++;
            continue;
        }
        if (!ext_compiled(tv->tag->ext)) {
            char buf[64];
            snprintf(buf, sizeof buf, ":%s", tv->tag->name);
            not_compilable(sc, tv->arg->span, "tag", buf, tv->tag->ext);
            errors++;
        }
    }
    for (size_t i = 0; i < n->ntests; i++)
        errors += scope_node(n->tests[i], sc);
    if (n->block && !block_dead(n))
        errors += scope_block(n->block, sc);
    return errors;
}

size_t cg_check_scope(const ast_script *script, diag_sink *diag)
{
    scope_ctx sc = { script->src, diag, 0 };
    return scope_block(&script->top, &sc);
}

/* The scope check of every script compiled into the filter. */
static size_t check_scope_all(const ast_script *script, const incl_set *set, diag_sink *diag)
{
    if (!set || set->nscripts < 2)
        return cg_check_scope(script, diag);
    scope_ctx sc = { NULL, diag, 0 };
    size_t errors = 0;
    for (size_t i = 0; i < set->nscripts; i++) {
        sc.src = set->scripts[i].ast->src;
        errors += scope_block(&set->scripts[i].ast->top, &sc);
    }
    return errors;
}

/* ---- Records ------------------------------------------------------------ */

static void fill_fileinto_tags(cg *g, const ast_node *n, uint32_t *rec);

static uint32_t value_of(cg *g, const ast_node *n, const ast_string *s)
{
    return pt_value(g->pt, s->text, s->len, sema_node_string(n->sema, s));
}

static uint32_t list_of(cg *g, const ast_node *n, const ast_arg *a, bool *constant_r)
{
    size_t count;
    const ast_string *it = items_of(a, &count);
    if (!a)
        return 0;
    uint32_t stackbuf[16] = { 0 };
    uint32_t *v = count <= 16 ? stackbuf : malloc(count * sizeof *v);
    if (!v) {
        fputs("sievec: out of memory\n", stderr);
        abort();
    }
    for (size_t i = 0; i < count; i++) {
        const sema_str *split = sema_node_string(n->sema, &it[i]);
        if (split && constant_r)
            *constant_r = false;
        v[i] = pt_value(g->pt, it[i].text, it[i].len, split);
    }
    uint32_t off = pt_list(g->pt, v, count);
    if (v != stackbuf)
        free(v);
    return off;
}

/* The match fields every REG_F_MATCH test shares (RFC 5228 2.7, RFC 5231,
 * draft-ietf-sieve-regex), with the keys (the last positional parameter)
 * in arg1. */
static void fill_match(cg *g, const ast_node *n, uint32_t *rec)
{
    const sema_node *sn = n->sema;
    if (!sn->has_match)
        return;
    const sema_match *m = &sn->match;
    MAP(match_map, m->match_type, rec[SIEVE_TR_MATCH]);
    if (m->match_type == REG_MATCH_LIST)
        rec[SIEVE_TR_FLAGS] |= SIEVE_TF_LIST;
    if (m->comparator)
        MAP(cmp_map, m->comparator->id, rec[SIEVE_TR_COMPARATOR]);
    MAP(rel_map, m->relop, rec[SIEVE_TR_RELOP]);
    if ((m->match_type == REG_MATCH_COUNT || m->match_type == REG_MATCH_VALUE) &&
        m->relop == REG_REL_NONE && m->relop_arg) {
        /* The operator is a variable: decided at run time. */
        rec[SIEVE_TR_RELOP] = SIEVE_REL_DYNAMIC;
        rec[SIEVE_TR_ARG3] = value_of(g, n, &m->relop_arg->u.string);
    }
    if (n->def->flags & REG_F_ADDRESS_PART)
        MAP(ap_map, m->addrpart, rec[SIEVE_TR_ADDRPART]);
    if (m->index) {
        rec[SIEVE_TR_INDEX] = m->index > UINT32_MAX ? UINT32_MAX : (uint32_t)m->index;
        if (m->last)
            rec[SIEVE_TR_FLAGS] |= SIEVE_TF_LAST;
    }
    /* RFC 5229 3.2: only a successful :matches/:regex sets ${0}..${9}. */
    if (g->capture && (m->match_type == REG_MATCH_MATCHES || m->match_type == REG_MATCH_REGEX))
        rec[SIEVE_TR_FLAGS] |= SIEVE_TF_CAPTURE;
    bool constant = true;
    rec[SIEVE_TR_ARG1] = list_of(g, n, sn->pos[sn->npos - 1], &constant);
    if (constant)
        rec[SIEVE_TR_FLAGS] |= SIEVE_TF_KEYS_CONSTANT;
}

/* RFC 5703 4: :mime, :anychild and the option (extra, SIEVE_MIME_OPT_*)
 * of header/address/exists; the :param names in arg2. */
static void fill_mime(cg *g, const ast_node *n, uint32_t *rec)
{
    const sema_tagval *mime = sema_node_tag(n->sema, REG_TAG_MIME);
    if (!mime)
        return;
    rec[SIEVE_TR_FLAGS] |= SIEVE_TF_MIME;
    if (sema_node_tag(n->sema, REG_TAG_ANYCHILD))
        rec[SIEVE_TR_FLAGS] |= SIEVE_TF_ANYCHILD;
    static const struct { reg_tag_id tag; uint32_t opt; } opts[] = {
        { REG_TAG_TYPE, SIEVE_MIME_OPT_TYPE }, { REG_TAG_SUBTYPE, SIEVE_MIME_OPT_SUBTYPE },
        { REG_TAG_CONTENTTYPE, SIEVE_MIME_OPT_CONTENTTYPE }, { REG_TAG_PARAM, SIEVE_MIME_OPT_PARAM },
    };
    for (size_t i = 0; i < sizeof opts / sizeof opts[0]; i++) {
        const sema_tagval *tv = sema_node_tag(n->sema, opts[i].tag);
        if (!tv)
            continue;
        rec[SIEVE_TR_EXTRA] = opts[i].opt;
        if (opts[i].tag == REG_TAG_PARAM && tv->param)
            rec[SIEVE_TR_ARG2] = list_of(g, n, tv->param, NULL);
    }
}

/* header/address/envelope/string: arg0 = names/parts/sources. */
static void fill_header(cg *g, const ast_node *n, uint32_t *rec)
{
    rec[SIEVE_TR_ARG0] = list_of(g, n, n->sema->pos[0], NULL);
    fill_match(g, n, rec);
    fill_mime(g, n, rec);
}

static void fill_exists(cg *g, const ast_node *n, uint32_t *rec)
{
    rec[SIEVE_TR_ARG0] = list_of(g, n, n->sema->pos[0], NULL);
    rec[SIEVE_TR_FLAGS] |= SIEVE_TF_KEYS_CONSTANT;
    fill_mime(g, n, rec);
}

/* RFC 5235 3.1, 3.2: the value to compare is the key list; :percent. */
static void fill_spamtest(cg *g, const ast_node *n, uint32_t *rec)
{
    fill_match(g, n, rec);
    if (sema_node_tag(n->sema, REG_TAG_PERCENT))
        rec[SIEVE_TR_FLAGS] |= SIEVE_TF_PERCENT;
}

/* RFC 5228 5.9 */
static void fill_size(cg *g, const ast_node *n, uint32_t *rec)
{
    (void)g;
    uint64_t limit = n->sema->pos[0]->u.number.value;
    rec[SIEVE_TR_KIND] = sema_node_tag(n->sema, REG_TAG_UNDER) ? SIEVE_TEST_SIZE_UNDER
                                                               : SIEVE_TEST_SIZE_OVER;
    rec[SIEVE_TR_EXTRA] = (uint32_t)limit;
    rec[SIEVE_TR_ARG0] = (uint32_t)(limit >> 32);
    rec[SIEVE_TR_FLAGS] |= SIEVE_TF_KEYS_CONSTANT;
}

/* RFC 5173 5 */
static void fill_body(cg *g, const ast_node *n, uint32_t *rec)
{
    const sema_match *m = &n->sema->match;
    MAP(bt_map, m->transform, rec[SIEVE_TR_EXTRA]);
    if (m->transform == REG_BT_CONTENT && m->content_types)
        rec[SIEVE_TR_ARG0] = list_of(g, n, m->content_types, NULL);
    fill_match(g, n, rec);
}

/* RFC 5260 4.2: the registry's date parts are numbered as the ABI's;
 * REG_DP_NONE (a variable or unknown part) is SIEVE_DP_DYNAMIC. */
static const struct { reg_datepart r; uint32_t a; } dp_map[] = {
    { REG_DP_NONE, SIEVE_DP_DYNAMIC }, { REG_DP_YEAR, SIEVE_DP_YEAR },
    { REG_DP_MONTH, SIEVE_DP_MONTH }, { REG_DP_DAY, SIEVE_DP_DAY }, { REG_DP_DATE, SIEVE_DP_DATE },
    { REG_DP_JULIAN, SIEVE_DP_JULIAN }, { REG_DP_HOUR, SIEVE_DP_HOUR },
    { REG_DP_MINUTE, SIEVE_DP_MINUTE }, { REG_DP_SECOND, SIEVE_DP_SECOND },
    { REG_DP_TIME, SIEVE_DP_TIME }, { REG_DP_ISO8601, SIEVE_DP_ISO8601 },
    { REG_DP_STD11, SIEVE_DP_STD11 }, { REG_DP_ZONE, SIEVE_DP_ZONE },
    { REG_DP_WEEKDAY, SIEVE_DP_WEEKDAY },
};

/* RFC 5260 4.1 (date: arg0 = header name) and 5 (currentdate): the date
 * part in extra, or its string in arg3 when it is a variable or unknown
 * (the runtime then looks it up, and an unknown part makes the test
 * false); :zone in arg2, even a malformed constant one (false at run
 * time, as the checker's warning says); :originalzone a flag. */
static void fill_date(cg *g, const ast_node *n, uint32_t *rec)
{
    const sema_node *sn = n->sema;
    bool is_date = n->def->id == REG_DEF_DATE;
    if (is_date)
        rec[SIEVE_TR_ARG0] = value_of(g, n, &sn->pos[0]->u.string);
    rec[SIEVE_TR_EXTRA] = SIEVE_DP_DYNAMIC;
    MAP(dp_map, sn->match.datepart, rec[SIEVE_TR_EXTRA]);
    fill_match(g, n, rec);
    /* arg3 is free: a variable relational operator, the other user of
     * arg3, is refused by the checker (constant-required). */
    if (rec[SIEVE_TR_EXTRA] == SIEVE_DP_DYNAMIC)
        rec[SIEVE_TR_ARG3] = value_of(g, n, &sn->pos[is_date ? 1 : 0]->u.string);
    if (sn->match.zone == SEMA_ZONE_ORIGINAL)
        rec[SIEVE_TR_FLAGS] |= SIEVE_TF_ORIGINALZONE;
    else if (sn->match.zone_arg)
        rec[SIEVE_TR_ARG2] = value_of(g, n, &sn->match.zone_arg->u.string);
}

/* RFC 5183 4: arg0 = the item name. */
static void fill_environment(cg *g, const ast_node *n, uint32_t *rec)
{
    rec[SIEVE_TR_ARG0] = value_of(g, n, &n->sema->pos[0]->u.string);
    fill_match(g, n, rec);
}

/* RFC 5463 4: capability names only known at run time. */
static void fill_ihave(cg *g, const ast_node *n, uint32_t *rec)
{
    rec[SIEVE_TR_ARG0] = list_of(g, n, n->sema->pos[0], NULL);
}

static void fill_value_arg0(cg *g, const ast_node *n, uint32_t *rec)
{
    rec[SIEVE_AR_ARG0] = value_of(g, n, &n->sema->pos[0]->u.string);
}

/* RFC 5228 4.2, RFC 3894 */
static void fill_redirect(cg *g, const ast_node *n, uint32_t *rec)
{
    fill_value_arg0(g, n, rec);
    if (sema_node_tag(n->sema, REG_TAG_COPY))
        rec[SIEVE_AR_FLAGS] |= SIEVE_AF_COPY;
    if (n->def->id == REG_DEF_REDIRECT)
        fill_redirect_dsn(g, n, rec);
}

/* RFC 5228 4.1 */
static void fill_fileinto(cg *g, const ast_node *n, uint32_t *rec)
{
    fill_redirect(g, n, rec);
    if (sema_node_tag(n->sema, REG_TAG_CREATE))
        rec[SIEVE_AR_FLAGS] |= SIEVE_AF_CREATE;
    fill_fileinto_tags(g, n, rec);
}

/* A variable name, lower-cased (RFC 5229 3: names are case-insensitive),
 * gets its slot (so the runtime finds it in the slot name list); value_r,
 * when not NULL, gets the name as a constant value. Returns the slot. */
static uint32_t var_name_slot(cg *g, const ast_string *name, uint32_t *value_r)
{
    char small[128] = { 0 };
    char *lower = name->len < sizeof small ? small : malloc(name->len + 1);
    if (!lower) {
        fputs("sievec: out of memory\n", stderr);
        abort();
    }
    for (size_t i = 0; i < name->len; i++) {
        char c = name->text[i];
        lower[i] = (c >= 'A' && c <= 'Z') ? (char)(c - 'A' + 'a') : c;
    }
    uint32_t slot = pt_var_slot(g->pt, lower, name->len);
    if (value_r)
        *value_r = pt_value(g->pt, lower, name->len, NULL);
    if (lower != small)
        free(lower);
    return slot;
}

/* RFC 5229 4: the name is a constant; modifiers become flags. */
static void fill_set(cg *g, const ast_node *n, uint32_t *rec)
{
    rec[SIEVE_AR_NUMBER] = var_name_slot(g, &n->sema->pos[0]->u.string, NULL);
    for (size_t i = 0; i < n->sema->nmodifiers; i++) {
        uint32_t bit = 0;
        MAP(mod_map, n->sema->modifiers[i]->id, bit);
        rec[SIEVE_AR_FLAGS] |= bit;
    }
    rec[SIEVE_AR_ARG0] = value_of(g, n, &n->sema->pos[1]->u.string);
}

/* RFC 5703 7: extracttext [:first N] [modifiers] varname. */
static void fill_extracttext(cg *g, const ast_node *n, uint32_t *rec)
{
    rec[SIEVE_AR_ARG1] = var_name_slot(g, &n->sema->pos[0]->u.string, &rec[SIEVE_AR_ARG0]);
    for (size_t i = 0; i < n->sema->nmodifiers; i++) {
        uint32_t bit = 0;
        MAP(mod_map, n->sema->modifiers[i]->id, bit);
        rec[SIEVE_AR_FLAGS] |= bit;
    }
    const sema_tagval *first = sema_node_tag(n->sema, REG_TAG_FIRST);
    rec[SIEVE_AR_NUMBER] = UINT32_MAX;
    if (first && first->param)
        rec[SIEVE_AR_NUMBER] = first->param->u.number.value >= UINT32_MAX
                                   ? UINT32_MAX - 1 : (uint32_t)first->param->u.number.value;
}

/* ---- vacation, notify, duplicate ---------------------------------------- */

/* The value of a string tag, 0 when the tag is absent. */
static uint32_t tag_value(cg *g, const ast_node *n, reg_tag_id id)
{
    const sema_tagval *tv = sema_node_tag(n->sema, id);
    return tv && tv->param ? value_of(g, n, &tv->param->u.string) : 0;
}

/* RFC 5703 5: replace [:mime] [:subject] [:from] replacement. */
static void fill_replace(cg *g, const ast_node *n, uint32_t *rec)
{
    fill_value_arg0(g, n, rec);
    rec[SIEVE_AR_ARG1] = tag_value(g, n, REG_TAG_SUBJECT);
    rec[SIEVE_AR_ARG2] = tag_value(g, n, REG_TAG_FROM);
    if (sema_node_tag(n->sema, REG_TAG_MIME))
        rec[SIEVE_AR_FLAGS] |= SIEVE_AF_MIME;
}

/* RFC 5703 6: enclose [:subject] [:headers] text. */
static void fill_enclose(cg *g, const ast_node *n, uint32_t *rec)
{
    fill_value_arg0(g, n, rec);
    rec[SIEVE_AR_ARG1] = tag_value(g, n, REG_TAG_SUBJECT);
    const sema_tagval *h = sema_node_tag(n->sema, REG_TAG_HEADERS);
    if (h && h->param)
        rec[SIEVE_AR_ARG3] = list_of(g, n, h->param, NULL);
}

static uint32_t tag_list(cg *g, const ast_node *n, reg_tag_id id)
{
    const sema_tagval *tv = sema_node_tag(n->sema, id);
    return tv && tv->param ? list_of(g, n, tv->param, NULL) : 0;
}

/* A number tag as a word; UINT32_MAX - 1 at most (UINT32_MAX: absent). */
static uint32_t tag_number(const ast_node *n, reg_tag_id id, uint64_t scale)
{
    const sema_tagval *tv = sema_node_tag(n->sema, id);
    if (!tv || !tv->param)
        return UINT32_MAX;
    uint64_t v = tv->param->u.number.value;
    if (v > (UINT32_MAX - 1) / scale)
        return UINT32_MAX - 1;
    return (uint32_t)(v * scale);
}

/* RFC 5230 4, RFC 6131 2, RFC 8580 4 */
static void fill_vacation(cg *g, const ast_node *n, uint32_t *rec)
{
    fill_value_arg0(g, n, rec);
    rec[SIEVE_AR_NUMBER] = tag_number(n, REG_TAG_DAYS, 86400);
    if (sema_node_tag(n->sema, REG_TAG_SECONDS)) {
        rec[SIEVE_AR_NUMBER] = tag_number(n, REG_TAG_SECONDS, 1);
        rec[SIEVE_AR_FLAGS] |= SIEVE_AF_SECONDS;
    }
    rec[SIEVE_AR_ARG1] = tag_value(g, n, REG_TAG_SUBJECT);
    rec[SIEVE_AR_ARG2] = tag_value(g, n, REG_TAG_FROM);
    rec[SIEVE_AR_ARG3] = tag_list(g, n, REG_TAG_ADDRESSES);
    rec[SIEVE_AR_ARG4] = tag_value(g, n, REG_TAG_HANDLE);
    rec[SIEVE_AR_ARG5] = tag_value(g, n, REG_TAG_FCC);
    if (sema_node_tag(n->sema, REG_TAG_VACATION_MIME))
        rec[SIEVE_AR_FLAGS] |= SIEVE_AF_MIME;
}

/* RFC 5435 3 */
static void fill_notify(cg *g, const ast_node *n, uint32_t *rec)
{
    fill_value_arg0(g, n, rec);
    rec[SIEVE_AR_ARG1] = tag_value(g, n, REG_TAG_FROM);
    rec[SIEVE_AR_ARG2] = tag_value(g, n, REG_TAG_IMPORTANCE);
    rec[SIEVE_AR_ARG3] = tag_list(g, n, REG_TAG_OPTIONS);
    rec[SIEVE_AR_ARG4] = tag_value(g, n, REG_TAG_MESSAGE);
    rec[SIEVE_AR_ARG5] = tag_value(g, n, REG_TAG_FCC);
}

/* RFC 7352 3 */
static void fill_duplicate(cg *g, const ast_node *n, uint32_t *rec)
{
    rec[SIEVE_TR_ARG0] = tag_value(g, n, REG_TAG_HANDLE);
    rec[SIEVE_TR_ARG1] = tag_value(g, n, REG_TAG_HEADER);
    rec[SIEVE_TR_ARG2] = tag_value(g, n, REG_TAG_UNIQUEID);
    rec[SIEVE_TR_EXTRA] = tag_number(n, REG_TAG_SECONDS, 1);
    if (sema_node_tag(n->sema, REG_TAG_LAST))
        rec[SIEVE_TR_FLAGS] |= SIEVE_TF_LAST;
}

/* RFC 5435 5 */
static void fill_valid_notify(cg *g, const ast_node *n, uint32_t *rec)
{
    rec[SIEVE_TR_ARG0] = list_of(g, n, n->sema->pos[0], NULL);
}

/* RFC 5435 6: uri, capability, then the keys in arg2 (abi.h). */
static void fill_notify_capability(cg *g, const ast_node *n, uint32_t *rec)
{
    fill_match(g, n, rec);
    rec[SIEVE_TR_ARG2] = rec[SIEVE_TR_ARG1];
    rec[SIEVE_TR_FLAGS] &= ~(uint32_t)SIEVE_TF_KEYS_CONSTANT;
    rec[SIEVE_TR_ARG0] = value_of(g, n, &n->sema->pos[0]->u.string);
    rec[SIEVE_TR_ARG1] = value_of(g, n, &n->sema->pos[1]->u.string);
}

/* ---- vnd.dovecot.testsuite host records -------------------------------- */

static uint32_t host_id(const ast_node *n)
{
    uint32_t id = 0;
    for (size_t i = 0; i < sizeof host_map / sizeof host_map[0]; i++)
        if (host_map[i].def == n->def->id)
            id = host_map[i].host;
    return id;
}

/* The operands every host record shares: the string positional
 * parameters as values (arg0, arg1), a number parameter or :index
 * (arg2), :folder in place of a first string. */
static void fill_host_operands(cg *g, const ast_node *n, uint32_t *args, uint32_t *number_r)
{
    const sema_node *sn = n->sema;
    size_t k = 0;
    const sema_tagval *folder = sema_node_tag(sn, REG_TAG_FOLDER);
    if (folder && folder->param)
        args[k++] = value_of(g, n, &folder->param->u.string);
    size_t npos = (n->def->flags & REG_F_MATCH) ? 0 : sn->npos;
    for (size_t i = 0; i < npos && k < 2; i++) {
        const ast_arg *a = sn->pos[i];
        if (!a)
            continue;
        if (a->kind == AST_ARG_NUMBER)
            *number_r = a->u.number.value > UINT32_MAX ? UINT32_MAX : (uint32_t)a->u.number.value;
        else if (a->kind == AST_ARG_STRING)
            args[k++] = value_of(g, n, &a->u.string);
    }
}

static void fill_host_command(cg *g, const ast_node *n, uint32_t *rec)
{
    uint32_t args[2] = { 0, 0 }, number = 0;
    fill_host_operands(g, n, args, &number);
    rec[SIEVE_AR_NUMBER] = host_id(n);
    rec[SIEVE_AR_ARG0] = args[0];
    rec[SIEVE_AR_ARG1] = args[1];
    rec[SIEVE_AR_ARG2] = number;
    /* test_imap_metadata_set :mailbox: host argument 2 (arg3) */
    const sema_tagval *mb = sema_node_tag(n->sema, REG_TAG_TS_MAILBOX);
    if (mb && mb->param)
        rec[SIEVE_AR_ARG3] = value_of(g, n, &mb->param->u.string);
}

static void fill_host_test(cg *g, const ast_node *n, uint32_t *rec)
{
    uint32_t args[2] = { 0, 0 }, number = 0;
    fill_host_operands(g, n, args, &number);
    rec[SIEVE_TR_EXTRA] = host_id(n);
    rec[SIEVE_TR_ARG0] = args[0];
    rec[SIEVE_TR_ARG2] = number;
    if (sema_node_tag(n->sema, REG_TAG_APPEND_RESULT))
        rec[SIEVE_TR_FLAGS] |= SIEVE_TF_APPEND_RESULT;
    if (n->def->flags & REG_F_MATCH) {
        fill_match(g, n, rec);
        /* Host keys are prepared per call (the runtime's 'l' operand). */
        rec[SIEVE_TR_FLAGS] &= ~(uint32_t)SIEVE_TF_KEYS_CONSTANT;
        const sema_tagval *ix = sema_node_tag(n->sema, REG_TAG_INDEX);
        if (ix && ix->param)
            rec[SIEVE_TR_INDEX] = ix->param->u.number.value > UINT32_MAX
                                      ? UINT32_MAX : (uint32_t)ix->param->u.number.value;
    }
}

static uint32_t line_of(cg *g, const ast_node *n)
{
    unsigned line = 0, col = 0;
    source_position(g->script->src, n->span.start, &line, &col);
    return line;
}

/* Kept in a file of its own so the extension engineers do not all edit
 * this one; it uses the helpers above, hence an include, not a unit. */
#include "cg_flags.inc"
#include "cg_dsn.inc"

/* ---- IR ----------------------------------------------------------------- */

static LLVMBasicBlockRef new_bb(cg *g, const char *name)
{
    return LLVMAppendBasicBlockInContext(g->c, g->fn, name);
}

static LLVMValueRef call_op(cg *g, LLVMValueRef fp, uint32_t index)
{
    LLVMValueRef args[2] = { g->ctxarg, LLVMConstInt(g->i32, index, 0) };
    return LLVMBuildCall2(g->b, g->op_fn, fp, args, 2, "");
}

/* A leaf test: ops->test; SIEVE_TRUE -> t, SIEVE_OK -> f, anything else
 * (SIEVE_ERROR) -> return SIEVE_ERROR. */
static void gen_leaf(cg *g, const ast_node *n, const cg_def_row *row, LLVMBasicBlockRef t,
                     LLVMBasicBlockRef f)
{
    uint32_t rec[SIEVE_TEST_WORDS] = { 0 };
    rec[SIEVE_TR_KIND] = row->kind;
    rec[SIEVE_TR_LINE] = line_of(g, n);
    if (row->fill)
        row->fill(g, n, rec);
    uint32_t idx = pt_add_test(g->pt, rec);
    g->fn_records++;
    LLVMValueRef r = call_op(g, g->test_fp, idx);
    LLVMValueRef sw = LLVMBuildSwitch(g->b, r, g->err_bb, 2);
    LLVMAddCase(sw, LLVMConstInt(g->i32, SIEVE_OK, 0), f);
    LLVMAddCase(sw, LLVMConstInt(g->i32, SIEVE_TRUE, 0), t);
}

/* RFC 5228 5.2, 5.3, 5.8: branches to t or f; allof/anyof short-circuit
 * left to right. */
static void gen_cond(cg *g, const ast_node *n, LLVMBasicBlockRef t, LLVMBasicBlockRef f)
{
    cv v = const_value(n);
    if (v != CV_UNKNOWN) {
        LLVMBuildBr(g->b, v == CV_TRUE ? t : f);
        return;
    }
    switch (n->def->id) {
    case REG_DEF_NOT:
        gen_cond(g, n->tests[0], f, t);
        return;
    case REG_DEF_ALLOF:
    case REG_DEF_ANYOF: {
        bool all = n->def->id == REG_DEF_ALLOF;
        for (size_t i = 0; i + 1 < n->ntests; i++) {
            cv sv = const_value(n->tests[i]);
            if (sv == (all ? CV_TRUE : CV_FALSE))
                continue;           /* neutral: no effect, no branch */
            if (sv != CV_UNKNOWN) {
                LLVMBuildBr(g->b, sv == CV_TRUE ? t : f);
                return;
            }
            LLVMBasicBlockRef next = new_bb(g, all ? "allof" : "anyof");
            if (all)
                gen_cond(g, n->tests[i], next, f);
            else
                gen_cond(g, n->tests[i], t, next);
            LLVMPositionBuilderAtEnd(g->b, next);
        }
        gen_cond(g, n->tests[n->ntests - 1], t, f);
        return;
    }
    default:
        gen_leaf(g, n, def_row(n->def), t, f);
        return;
    }
}

static bool gen_block(cg *g, const ast_block *b);
static bool gen_if_chain(cg *g, ast_node *const *chain, size_t n);
static bool gen_commands(cg *g, const ast_block *b, size_t *pos, size_t budget, bool top);
static void open_fn(cg *g, LLVMValueRef fn, bool is_entry);

/* Records per function. One function of 10,000 rules takes the O2
 * pipeline and the register allocator minutes; parts of a few hundred
 * records keep the whole compile near-linear. */
#define CG_PART_RECORDS 256

/* ---- Parts: outlined pieces of a large script ---------------------------
 *
 * A part is `i32 part(ctx, test, action)`: SIEVE_OK means "go on after
 * me", anything else (stop, error) is returned by every caller up to
 * entry. Parts keep functions small whatever the script's shape: the top
 * level is cut into a flat sequence of parts, and a long block or elsif
 * chain has its rest outlined into a part it calls. */

typedef struct cg_fnstate {
    LLVMValueRef fn, ctxarg, test_fp, action_fp;
    LLVMBasicBlockRef err_bb, at;
    size_t records;
} cg_fnstate;

static cg_fnstate fn_save(const cg *g)
{
    cg_fnstate s = { g->fn, g->ctxarg, g->test_fp, g->action_fp, g->err_bb,
                     LLVMGetInsertBlock(g->b), g->fn_records };
    return s;
}

static void fn_restore(cg *g, const cg_fnstate *s)
{
    g->fn = s->fn;
    g->ctxarg = s->ctxarg;
    g->test_fp = s->test_fp;
    g->action_fp = s->action_fp;
    g->err_bb = s->err_bb;
    g->fn_records = s->records;
    LLVMPositionBuilderAtEnd(g->b, s->at);
}

static LLVMValueRef new_part(cg *g)
{
    char name[32];
    snprintf(name, sizeof name, "sieve_part%u", g->nparts++);
    return LLVMAddFunction(g->m, name, g->part_ty);
}

/* Calls a part; returns whether control goes on here (the part can
 * return SIEVE_OK), with the builder at the continuation. */
static bool call_part(cg *g, LLVMValueRef part, bool part_live)
{
    LLVMValueRef args[3] = { g->ctxarg, g->test_fp, g->action_fp };
    LLVMValueRef r = LLVMBuildCall2(g->b, g->part_ty, part, args, 3, "");
    if (!part_live) {
        LLVMBuildRet(g->b, r);
        return false;
    }
    LLVMBasicBlockRef out = new_bb(g, "leave"), cont = new_bb(g, "");
    LLVMValueRef leave = LLVMBuildICmp(g->b, LLVMIntNE, r, LLVMConstInt(g->i32, SIEVE_OK, 0), "");
    LLVMBuildCondBr(g->b, leave, out, cont);
    LLVMPositionBuilderAtEnd(g->b, out);
    LLVMBuildRet(g->b, r);
    LLVMPositionBuilderAtEnd(g->b, cont);
    return true;
}

/* The rest of a block, b->cmds[pos...], as a part called from here. */
static bool outline_commands(cg *g, const ast_block *b, size_t pos)
{
    cg_fnstate saved = fn_save(g);
    LLVMValueRef part = new_part(g);
    open_fn(g, part, false);
    bool live = gen_commands(g, b, &pos, SIZE_MAX, false);
    if (live)
        LLVMBuildRet(g->b, LLVMConstInt(g->i32, SIEVE_OK, 0));
    fn_restore(g, &saved);
    return call_part(g, part, live);
}

/* The rest of an if chain (elsif... else) as a part called from here. */
static bool outline_chain(cg *g, ast_node *const *chain, size_t n)
{
    cg_fnstate saved = fn_save(g);
    LLVMValueRef part = new_part(g);
    open_fn(g, part, false);
    bool live = gen_if_chain(g, chain, n);
    if (live)
        LLVMBuildRet(g->b, LLVMConstInt(g->i32, SIEVE_OK, 0));
    fn_restore(g, &saved);
    return call_part(g, part, live);
}

/* RFC 5228 3.1: if, elsif..., else. Returns whether control can reach the
 * command after the chain. */
static bool gen_if_chain(cg *g, ast_node *const *chain, size_t n)
{
    LLVMBasicBlockRef join = new_bb(g, "endif");
    bool reach_join = false, open = true;
    for (size_t k = 0; k < n && open; k++) {
        const ast_node *c = chain[k];
        if (k > 0 && g->fn_records >= CG_PART_RECORDS) {
            if (outline_chain(g, chain + k, n - k)) {
                LLVMBuildBr(g->b, join);
                reach_join = true;
            }
            open = false;
            break;
        }
        cv v = CV_TRUE;
        if (c->def->id != REG_DEF_ELSE)
            v = block_dead(c) ? CV_FALSE : const_value(c->tests[0]);
        if (v == CV_FALSE)
            continue;
        if (v == CV_TRUE) {
            if (gen_block(g, c->block)) {
                LLVMBuildBr(g->b, join);
                reach_join = true;
            }
            open = false;
            break;
        }
        LLVMBasicBlockRef then_bb = new_bb(g, "then"), else_bb = new_bb(g, "else");
        gen_cond(g, c->tests[0], then_bb, else_bb);
        /* allof (x, false): x runs, but the block cannot: no records for it. */
        if (!LLVMGetFirstUse(LLVMBasicBlockAsValue(then_bb))) {
            LLVMDeleteBasicBlock(then_bb);
        } else {
            LLVMPositionBuilderAtEnd(g->b, then_bb);
            if (gen_block(g, c->block)) {
                LLVMBuildBr(g->b, join);
                reach_join = true;
            }
        }
        if (!LLVMGetFirstUse(LLVMBasicBlockAsValue(else_bb))) {
            LLVMDeleteBasicBlock(else_bb);
            open = false;
            break;
        }
        LLVMPositionBuilderAtEnd(g->b, else_bb);
    }
    if (open) {
        LLVMBuildBr(g->b, join);
        reach_join = true;
    }
    if (!reach_join) {
        LLVMDeleteBasicBlock(join);
        return false;
    }
    LLVMPositionBuilderAtEnd(g->b, join);
    return true;
}

static void gen_action(cg *g, const ast_node *n, const cg_def_row *row)
{
    uint32_t rec[SIEVE_ACTION_WORDS] = { 0 };
    rec[SIEVE_AR_KIND] = row->kind;
    rec[SIEVE_AR_LINE] = line_of(g, n);
    if (row->fill)
        row->fill(g, n, rec);
    uint32_t idx = pt_add_action(g->pt, rec);
    g->fn_records++;
    LLVMValueRef r = call_op(g, g->action_fp, idx);
    LLVMValueRef bad = LLVMBuildICmp(g->b, LLVMIntSLT, r, LLVMConstInt(g->i32, 0, 0), "");
    LLVMBasicBlockRef next = new_bb(g, "");
    LLVMBuildCondBr(g->b, bad, g->err_bb, next);
    LLVMPositionBuilderAtEnd(g->b, next);
}

/* ---- vnd.dovecot.testsuite: test blocks --------------------------------
 *
 * `test "name" { block }` is host(TEST_BEGIN); part(block); host(TEST_END)
 * with the block outlined into a part of its own, so `test_fail`, however
 * deep in nested (and possibly further outlined) blocks, ends the block by
 * returning SIEVE_TEST_FAILED, which every part passes up like stop, to
 * here, where it means "go on after the block". */

static void fill_host_end(cg *g, const ast_node *n, uint32_t *rec)
{
    fill_host_command(g, n, rec);
    rec[SIEVE_AR_NUMBER] = SIEVE_HOST_TEST_END;
}

static const cg_def_row ts_begin_row = { REG_DEF_TS_TEST, CG_ACTION, SIEVE_ACT_HOST,
                                         fill_host_command };
static const cg_def_row ts_end_row = { REG_DEF_TS_TEST, CG_ACTION, SIEVE_ACT_HOST, fill_host_end };
static const cg_def_row ts_fail_row = { REG_DEF_TS_FAIL, CG_ACTION, SIEVE_ACT_HOST,
                                        fill_host_command };

static void gen_test_block(cg *g, const ast_node *n)
{
    gen_action(g, n, &ts_begin_row);
    cg_fnstate saved = fn_save(g);
    LLVMValueRef part = new_part(g);
    open_fn(g, part, false);
    if (gen_block(g, n->block))
        LLVMBuildRet(g->b, LLVMConstInt(g->i32, SIEVE_OK, 0));
    fn_restore(g, &saved);
    LLVMValueRef args[3] = { g->ctxarg, g->test_fp, g->action_fp };
    LLVMValueRef r = LLVMBuildCall2(g->b, g->part_ty, part, args, 3, "");
    LLVMBasicBlockRef out = new_bb(g, "leave"), cont = new_bb(g, "endtest");
    LLVMValueRef sw = LLVMBuildSwitch(g->b, r, out, 2);
    LLVMAddCase(sw, LLVMConstInt(g->i32, SIEVE_OK, 0), cont);
    LLVMAddCase(sw, LLVMConstInt(g->i32, SIEVE_TEST_FAILED, 0), cont);
    LLVMPositionBuilderAtEnd(g->b, out);
    LLVMBuildRet(g->b, r);
    LLVMPositionBuilderAtEnd(g->b, cont);
    gen_action(g, n, &ts_end_row);
}

/* ---- include (RFC 6609) ---------------------------------------------------
 *
 * `include` is an include record and, when the script was found,
 *     r = ops->include_enter(ctx, record)    TRUE: run it, OK: skip (:once)
 *     s = script_k(ctx, test, action)         the included script's body
 *     ops->include_leave(ctx, record)
 * and s goes on after the include when SIEVE_OK or SIEVE_RETURN, else
 * (stop, error, test_fail) is returned to the caller like a part's. */

static LLVMValueRef load_op(cg *g, unsigned field)
{
    LLVMValueRef opsaddr = LLVMBuildStructGEP2(g->b, g->ctx_ty, g->ctxarg, 0, "");
    LLVMValueRef ops = LLVMBuildLoad2(g->b, g->opsp, opsaddr, "");
    LLVMValueRef fa = LLVMBuildStructGEP2(g->b, g->ops_ty, ops, field, "");
    return LLVMBuildLoad2(g->b, g->op_fnp, fa, "");
}

static void gen_include(cg *g, const ast_node *n)
{
    const incl_ref *ref = incl_ref_of(g->incl, n);
    if (!ref)
        return;
    uint32_t rec[SIEVE_INCLUDE_WORDS] = { 0 };
    rec[SIEVE_IR_NAME] = value_of(g, n, &n->sema->pos[0]->u.string);
    rec[SIEVE_IR_LOCATION] = ref->location;
    rec[SIEVE_IR_FLAGS] = (ref->once ? SIEVE_IF_ONCE : 0) | (ref->optional ? SIEVE_IF_OPTIONAL : 0);
    rec[SIEVE_IR_LINE] = line_of(g, n);
    if (ref->target >= 0) {
        rec[SIEVE_IR_SHA256] =
            pt_string(g->pt, (const char *)g->incl->scripts[ref->target].sha256, 32);
        rec[SIEVE_IR_SCRIPT] = (uint32_t)ref->target;
    }
    uint32_t idx = pt_add_include(g->pt, rec);
    g->irecs = realloc(g->irecs, (g->nirecs + 1) * sizeof *g->irecs);
    if (!g->irecs) {
        fputs("sievec: out of memory\n", stderr);
        abort();
    }
    g->irecs[g->nirecs].rec = idx;
    g->irecs[g->nirecs++].target = ref->target;
    /* Missing (:optional), or the main script reached by an include
     * :once (it has always run already): nothing to run. */
    if (ref->target <= 0)
        return;
    g->fn_records++;
    LLVMValueRef args[2] = { g->ctxarg, LLVMConstInt(g->i32, idx, 0) };
    LLVMValueRef r = LLVMBuildCall2(g->b, g->op_fn, load_op(g, 7), args, 2, "");
    LLVMBasicBlockRef run = new_bb(g, "include"), cont = new_bb(g, "endinclude");
    LLVMValueRef sw = LLVMBuildSwitch(g->b, r, g->err_bb, 2);
    LLVMAddCase(sw, LLVMConstInt(g->i32, SIEVE_TRUE, 0), run);
    LLVMAddCase(sw, LLVMConstInt(g->i32, SIEVE_OK, 0), cont);
    LLVMPositionBuilderAtEnd(g->b, run);
    LLVMValueRef pargs[3] = { g->ctxarg, g->test_fp, g->action_fp };
    LLVMValueRef s = LLVMBuildCall2(g->b, g->part_ty, g->script_fns[ref->target], pargs, 3, "");
    LLVMValueRef l = LLVMBuildCall2(g->b, g->op_fn, load_op(g, 8), args, 2, "");
    LLVMBasicBlockRef check = new_bb(g, "");
    LLVMValueRef bad = LLVMBuildICmp(g->b, LLVMIntSLT, l, LLVMConstInt(g->i32, 0, 0), "");
    LLVMBuildCondBr(g->b, bad, g->err_bb, check);
    LLVMPositionBuilderAtEnd(g->b, check);
    LLVMBasicBlockRef out = new_bb(g, "leave");
    LLVMValueRef sw2 = LLVMBuildSwitch(g->b, s, out, 2);
    LLVMAddCase(sw2, LLVMConstInt(g->i32, SIEVE_OK, 0), cont);
    LLVMAddCase(sw2, LLVMConstInt(g->i32, SIEVE_RETURN, 0), cont);
    LLVMPositionBuilderAtEnd(g->b, out);
    LLVMBuildRet(g->b, s);
    LLVMPositionBuilderAtEnd(g->b, cont);
}

/* ---- RFC 5703 3: foreverypart and break ---------------------------------
 *
 * The loop body is outlined into a part, called once per MIME part while
 * ops->loop_next says there is one. `break` returns CG_BREAK_BASE + the
 * loop's record index from the part (and from every part outlined inside
 * it, which pass non-OK results up like stop): the loop it names ends
 * there, a loop further in (break :name of an outer loop) restores its
 * part with loop_end and passes the code on. Stop, return, errors and
 * test_fail leave every loop the same way. The codes never leave entry:
 * sema only accepts a break inside the loop it names. */
#define CG_BREAK_BASE 0x100u

static uint32_t break_code(cg *g, const ast_node *loop)
{
    for (size_t i = 0; i < g->nloops; i++)
        if (g->loops[i] == loop)
            return CG_BREAK_BASE + (uint32_t)i;
    return CG_BREAK_BASE;  /* unreachable after sema */
}

static void gen_foreverypart(cg *g, const ast_node *n)
{
    uint32_t lrec[SIEVE_LOOP_WORDS] = { 0 };
    const sema_tagval *nm = sema_node_tag(n->sema, REG_TAG_NAME);
    if (nm && nm->param)
        lrec[SIEVE_LR_NAME] = value_of(g, n, &nm->param->u.string);
    lrec[SIEVE_LR_LINE] = line_of(g, n);
    uint32_t li = pt_add_loop(g->pt, lrec);
    if (g->nloops == g->caploops) {
        g->caploops = g->caploops ? 2 * g->caploops : 8;
        g->loops = realloc(g->loops, g->caploops * sizeof *g->loops);
        if (!g->loops) {
            fputs("sievec: out of memory\n", stderr);
            abort();
        }
    }
    g->loops[g->nloops++] = n;
    g->fn_records += 3;

    cg_fnstate saved = fn_save(g);
    LLVMValueRef part = new_part(g);
    open_fn(g, part, false);
    if (gen_block(g, n->block))
        LLVMBuildRet(g->b, LLVMConstInt(g->i32, SIEVE_OK, 0));
    fn_restore(g, &saved);

    LLVMValueRef r = call_op(g, load_op(g, 4), li);
    LLVMBasicBlockRef head = new_bb(g, "loop"), body = new_bb(g, "part"),
                      leave = new_bb(g, "leave"), done = new_bb(g, "endloop");
    LLVMValueRef bad = LLVMBuildICmp(g->b, LLVMIntNE, r, LLVMConstInt(g->i32, SIEVE_OK, 0), "");
    LLVMBuildCondBr(g->b, bad, g->err_bb, head);
    LLVMPositionBuilderAtEnd(g->b, head);
    r = call_op(g, load_op(g, 5), li);
    LLVMValueRef sw = LLVMBuildSwitch(g->b, r, g->err_bb, 2);
    LLVMAddCase(sw, LLVMConstInt(g->i32, SIEVE_TRUE, 0), body);
    LLVMAddCase(sw, LLVMConstInt(g->i32, SIEVE_OK, 0), done);
    LLVMPositionBuilderAtEnd(g->b, body);
    LLVMValueRef args[3] = { g->ctxarg, g->test_fp, g->action_fp };
    LLVMValueRef rc = LLVMBuildCall2(g->b, g->part_ty, part, args, 3, "");
    sw = LLVMBuildSwitch(g->b, rc, leave, 2);
    LLVMAddCase(sw, LLVMConstInt(g->i32, SIEVE_OK, 0), head);
    LLVMAddCase(sw, LLVMConstInt(g->i32, CG_BREAK_BASE + li, 0), done);
    LLVMPositionBuilderAtEnd(g->b, leave);
    call_op(g, load_op(g, 6), li);
    LLVMBuildRet(g->b, rc);
    LLVMPositionBuilderAtEnd(g->b, done);
    r = call_op(g, load_op(g, 6), li);
    LLVMBasicBlockRef next = new_bb(g, "");
    bad = LLVMBuildICmp(g->b, LLVMIntSLT, r, LLVMConstInt(g->i32, 0, 0), "");
    LLVMBuildCondBr(g->b, bad, g->err_bb, next);
    LLVMPositionBuilderAtEnd(g->b, next);
}

/* Generates b->cmds from *pos on. At the top level (top), stops when the
 * function holds `budget` records and leaves *pos at the next command;
 * inside a block, outlines the rest of the block into a part instead.
 * Returns false when control cannot go on (stop on every path). */
static bool gen_commands(cg *g, const ast_block *b, size_t *pos, size_t budget, bool top)
{
    for (size_t i = *pos; b && i < b->count; i++) {
        if (g->fn_records >= (top ? budget : CG_PART_RECORDS) && i > *pos) {
            if (top) {
                *pos = i;
                return true;
            }
            *pos = b->count;
            return outline_commands(g, b, i);
        }
        const ast_node *n = b->cmds[i];
        switch (n->def->id) {
        case REG_DEF_REQUIRE:
        case REG_DEF_ELSIF:    /* consumed by the chain of its if */
        case REG_DEF_ELSE:
            continue;
        case REG_DEF_STOP:     /* RFC 5228 3.3 */
            LLVMBuildRet(g->b, LLVMConstInt(g->i32, SIEVE_STOP, 0));
            *pos = b->count;
            return false;
        case REG_DEF_TS_TEST:
            gen_test_block(g, n);
            continue;
        case REG_DEF_FOREVERYPART:
            gen_foreverypart(g, n);
            continue;
        case REG_DEF_BREAK:    /* RFC 5703 3.2 */
            LLVMBuildRet(g->b, LLVMConstInt(g->i32, break_code(g, n->sema->loop), 0));
            *pos = b->count;
            return false;
        case REG_DEF_INCLUDE:
            gen_include(g, n);
            continue;
        case REG_DEF_RETURN:
            /* RFC 6609 3.3: ends the included script; in the main script
             * it is stop. */
            LLVMBuildRet(g->b, LLVMConstInt(g->i32, g->cur ? SIEVE_RETURN : SIEVE_STOP, 0));
            *pos = b->count;
            return false;
        case REG_DEF_TS_FAIL:
            gen_action(g, n, &ts_fail_row);
            LLVMBuildRet(g->b, LLVMConstInt(g->i32, SIEVE_TEST_FAILED, 0));
            *pos = b->count;
            return false;
        case REG_DEF_IF: {
            size_t k = i + 1;
            while (k < b->count && b->cmds[k]->def &&
                   (b->cmds[k]->def->id == REG_DEF_ELSIF || b->cmds[k]->def->id == REG_DEF_ELSE)) {
                bool is_else = b->cmds[k]->def->id == REG_DEF_ELSE;
                k++;
                if (is_else)
                    break;
            }
            if (!gen_if_chain(g, &b->cmds[i], k - i)) {
                *pos = b->count;
                return false;
            }
            i = k - 1;
            continue;
        }
        default: {
            const cg_def_row *row = def_row(n->def);
            if (row && row->role == CG_ACTION)
                gen_action(g, n, row);
            continue;
        }
        }
    }
    *pos = b ? b->count : 0;
    return true;
}

static bool gen_block(cg *g, const ast_block *b)
{
    size_t pos = 0;
    return gen_commands(g, b, &pos, SIZE_MAX, false);
}

/* ---- Globals ------------------------------------------------------------ */

static LLVMValueRef private_const(cg *g, LLVMValueRef init, const char *name)
{
    LLVMValueRef gv = LLVMAddGlobal(g->m, LLVMTypeOf(init), name);
    LLVMSetInitializer(gv, init);
    LLVMSetGlobalConstant(gv, 1);
    LLVMSetLinkage(gv, LLVMPrivateLinkage);
    LLVMSetUnnamedAddress(gv, LLVMGlobalUnnamedAddr);
    return gv;
}

static LLVMValueRef cstring(cg *g, const char *s, const char *name)
{
    LLVMValueRef init = LLVMConstStringInContext(g->c, s, (unsigned)strlen(s), 0);
    return LLVMConstPointerCast(private_const(g, init, name), g->i8p);
}

static void make_types(cg *g)
{
    g->i32 = LLVMInt32TypeInContext(g->c);
    g->i8 = LLVMInt8TypeInContext(g->c);
    g->i8p = LLVMPointerType(g->i8, 0);
    g->i32p = LLVMPointerType(g->i32, 0);
    /* struct sieve_abi_ctx { const sieve_abi_ops *ops; } and the ops table
     * (sieve/abi.h); typed pointers for LLVM 14, opaque from 17 on. */
    g->ctx_ty = LLVMStructCreateNamed(g->c, "sieve_abi_ctx");
    g->ctxp = LLVMPointerType(g->ctx_ty, 0);
    LLVMTypeRef params[2] = { g->ctxp, g->i32 };
    g->op_fn = LLVMFunctionType(g->i32, params, 2, 0);
    g->op_fnp = LLVMPointerType(g->op_fn, 0);
    LLVMTypeRef ops_fields[9] = { g->i32, g->i32, g->op_fnp, g->op_fnp, g->op_fnp,
                                  g->op_fnp, g->op_fnp, g->op_fnp, g->op_fnp };
    g->ops_ty = LLVMStructCreateNamed(g->c, "sieve_abi_ops");
    LLVMStructSetBody(g->ops_ty, ops_fields, 9, 0);
    g->opsp = LLVMPointerType(g->ops_ty, 0);
    LLVMTypeRef ctx_fields[1] = { g->opsp };
    LLVMStructSetBody(g->ctx_ty, ctx_fields, 1, 0);
    LLVMTypeRef eparams[1] = { g->ctxp };
    g->entry_ty = LLVMFunctionType(g->i32, eparams, 1, 0);
    LLVMTypeRef pparams[3] = { g->ctxp, g->op_fnp, g->op_fnp };
    g->part_ty = LLVMFunctionType(g->i32, pparams, 3, 0);
}

/* Starts a function: its error block, and where the op pointers come
 * from (loaded once from ctx in entry, parameters in a part). */
static void open_fn(cg *g, LLVMValueRef fn, bool is_entry)
{
    g->fn = fn;
    g->fn_records = 0;
    LLVMSetLinkage(fn, LLVMInternalLinkage);
    unsigned nounwind = LLVMGetEnumAttributeKindForName("nounwind", 8);
    LLVMAddAttributeAtIndex(fn, LLVMAttributeFunctionIndex, LLVMCreateEnumAttribute(g->c, nounwind, 0));
    if (!is_entry) {
        /* Parts exist to keep each function small for the optimiser and
         * the register allocator; inlining them back would undo that. */
        unsigned noinline = LLVMGetEnumAttributeKindForName("noinline", 8);
        LLVMAddAttributeAtIndex(fn, LLVMAttributeFunctionIndex,
                                LLVMCreateEnumAttribute(g->c, noinline, 0));
    }
    g->ctxarg = LLVMGetParam(fn, 0);
    LLVMBasicBlockRef start = new_bb(g, "start");
    g->err_bb = new_bb(g, "error");
    LLVMPositionBuilderAtEnd(g->b, g->err_bb);
    LLVMBuildRet(g->b, LLVMConstInt(g->i32, (unsigned long long)(long long)SIEVE_ERROR, 1));
    LLVMPositionBuilderAtEnd(g->b, start);
    if (is_entry) {
        LLVMValueRef opsaddr = LLVMBuildStructGEP2(g->b, g->ctx_ty, g->ctxarg, 0, "");
        LLVMValueRef ops = LLVMBuildLoad2(g->b, g->opsp, opsaddr, "ops");
        LLVMValueRef ta = LLVMBuildStructGEP2(g->b, g->ops_ty, ops, 2, "");
        g->test_fp = LLVMBuildLoad2(g->b, g->op_fnp, ta, "test");
        LLVMValueRef aa = LLVMBuildStructGEP2(g->b, g->ops_ty, ops, 3, "");
        g->action_fp = LLVMBuildLoad2(g->b, g->op_fnp, aa, "action");
    } else {
        g->test_fp = LLVMGetParam(fn, 1);
        g->action_fp = LLVMGetParam(fn, 2);
    }
}

/* Beyond this many records, machine code is generated the fast way
 * (emit_prefer_fast_isel): the optimising instruction selector and
 * register allocator would take most of the compile time of a huge
 * script for glue code whose cost is the runtime calls it makes. */
#define CG_FAST_ISEL_RECORDS 4096

/* The script body: straight in entry when small; else parts of top-level
 * commands, each `i32 part(ctx, test, action)` returning SIEVE_OK to go
 * on, called in order by entry, which returns the first non-OK result. */
static void gen_body(cg *g)
{
    const ast_block *top = &g->script->top;
    if (g->res->ncommands + g->res->ntests <= CG_PART_RECORDS) {
        open_fn(g, LLVMAddFunction(g->m, "sieve_entry", g->entry_ty), true);
        if (gen_block(g, top))   /* RFC 5228 2.10.2: the end is an implicit keep */
            LLVMBuildRet(g->b, LLVMConstInt(g->i32, SIEVE_OK, 0));
        g->entry_fn = g->fn;
        return;
    }
    LLVMValueRef *parts = NULL;
    size_t nparts = 0, cap = 0, pos = 0;
    bool live = true;
    while (live && pos < top->count) {
        LLVMValueRef fn = new_part(g);
        open_fn(g, fn, false);
        live = gen_commands(g, top, &pos, CG_PART_RECORDS, true);
        if (live)
            LLVMBuildRet(g->b, LLVMConstInt(g->i32, SIEVE_OK, 0));
        if (nparts == cap) {
            cap = cap ? 2 * cap : 16;
            parts = realloc(parts, cap * sizeof *parts);
            if (!parts) {
                fputs("sievec: out of memory\n", stderr);
                abort();
            }
        }
        parts[nparts++] = fn;
    }
    open_fn(g, LLVMAddFunction(g->m, "sieve_entry", g->entry_ty), true);
    g->entry_fn = g->fn;
    LLVMBasicBlockRef done = new_bb(g, "done");
    LLVMBasicBlockRef here = LLVMGetInsertBlock(g->b);
    LLVMPositionBuilderAtEnd(g->b, done);
    LLVMValueRef phi = LLVMBuildPhi(g->b, g->i32, "status");
    LLVMBuildRet(g->b, phi);
    LLVMPositionBuilderAtEnd(g->b, here);
    for (size_t i = 0; i < nparts; i++) {
        LLVMValueRef args[3] = { g->ctxarg, g->test_fp, g->action_fp };
        LLVMValueRef r = LLVMBuildCall2(g->b, g->part_ty, parts[i], args, 3, "");
        LLVMBasicBlockRef from = LLVMGetInsertBlock(g->b);
        LLVMAddIncoming(phi, &r, &from, 1);
        if (i + 1 < nparts || live) {
            LLVMBasicBlockRef next = new_bb(g, "");
            LLVMValueRef stop = LLVMBuildICmp(g->b, LLVMIntNE, r, LLVMConstInt(g->i32, SIEVE_OK, 0), "");
            LLVMBuildCondBr(g->b, stop, done, next);
            LLVMPositionBuilderAtEnd(g->b, next);
        } else {
            LLVMBuildBr(g->b, done);
        }
    }
    if (live || nparts == 0) {
        LLVMValueRef ok = LLVMConstInt(g->i32, SIEVE_OK, 0);
        LLVMBasicBlockRef from = LLVMGetInsertBlock(g->b);
        LLVMAddIncoming(phi, &ok, &from, 1);
        LLVMBuildBr(g->b, done);
    }
    free(parts);
}

static uint32_t needs_of(const sema_result *res);

/* ---- Scripts: the main one and those it includes (RFC 6609) ------------ */

typedef struct cg_names {
    char **v;
    size_t n;
} cg_names;

static void names_add(cg_names *l, const char *prefix, const char *s, size_t len)
{
    size_t plen = strlen(prefix);
    char *c = malloc(plen + len + 1);
    if (!c) {
        fputs("sievec: out of memory\n", stderr);
        abort();
    }
    memcpy(c, prefix, plen);
    for (size_t i = 0; i < len; i++)
        c[plen + i] = (s[i] >= 'A' && s[i] <= 'Z') ? (char)(s[i] - 'A' + 'a') : s[i];
    c[plen + len] = '\0';
    for (size_t i = 0; i < l->n; i++)
        if (strcmp(l->v[i], c) == 0) {
            free(c);
            return;
        }
    l->v = realloc(l->v, (l->n + 1) * sizeof *l->v);
    if (!l->v) {
        fputs("sievec: out of memory\n", stderr);
        abort();
    }
    l->v[l->n++] = c;
}

static void names_free(cg_names *l)
{
    for (size_t i = 0; i < l->n; i++)
        free(l->v[i]);
    free(l->v);
    l->v = NULL;
    l->n = 0;
}

typedef struct globals_ctx {
    cg_names *decl;          /* this script's `global` names */
    cg_names *all;           /* "global.x" over every script */
} globals_ctx;

static bool starts_global(const char *s, size_t len)
{
    return len > 7 && strncmp(s, "global.", 7) == 0;
}

static bool collect_globals(const ast_node *n, const ast_node *parent, unsigned depth, void *vctx)
{
    (void)parent;
    (void)depth;
    globals_ctx *gc = vctx;
    if (!n->def || !n->sema)
        return true;
    const sema_node *sn = n->sema;
    if (n->def->id == REG_DEF_GLOBAL && sn->npos && sn->pos[0]) {
        size_t k;
        const ast_string *it = items_of(sn->pos[0], &k);
        for (size_t i = 0; i < k; i++) {
            names_add(gc->decl, "", it[i].text, it[i].len);
            names_add(gc->all, "global.", it[i].text, it[i].len);
        }
    }
    if (n->def->id == REG_DEF_SET && sn->npos && sn->pos[0] && sn->pos[0]->kind == AST_ARG_STRING) {
        const ast_string *nm = &sn->pos[0]->u.string;
        if (starts_global(nm->text, nm->len))
            names_add(gc->all, "", nm->text, nm->len);
    }
    for (size_t i = 0; i < sn->nstrs; i++)
        for (size_t j = 0; j < sn->strs[i].nparts; j++) {
            const sema_part *p = &sn->strs[i].parts[j];
            if (p->kind == SEMA_PART_VAR && starts_global(p->text, strlen(p->text)))
                names_add(gc->all, "", p->text, strlen(p->text));
        }
    return true;
}

/* Makes script k the one being compiled: its tree, its facts, its
 * variable scope. */
static void enter_script(cg *g, size_t k, const cg_names *decl, char (*prefix)[24])
{
    const incl_script *s = &g->incl->scripts[k];
    g->cur = k;
    g->script = s->ast;
    g->res = s->res;
    g->capture = (s->res->required & REG_EXT_BIT(REG_EXT_VARIABLES)) != 0;
    pt_set_var_scope(g->pt, k ? prefix[k] : NULL, (const char *const *)decl[k].v, decl[k].n);
}

/* Globals first (slots [0, nglobals), sieve/abi.h), then the main
 * script into entry, then each included script into its own function,
 * its locals in one range of slots that include_enter resets. */
static void gen_scripts(cg *g)
{
    const incl_set *set = g->incl;
    size_t n = set->nscripts;
    cg_names all = { 0 };
    cg_names *decl = calloc(n, sizeof *decl);
    char (*prefix)[24] = calloc(n, sizeof *prefix);
    g->script_fns = calloc(n, sizeof *g->script_fns);
    g->vars = calloc(n, sizeof *g->vars);
    if (!decl || !prefix || !g->script_fns || !g->vars) {
        fputs("sievec: out of memory\n", stderr);
        abort();
    }
    for (size_t k = 0; k < n; k++) {
        globals_ctx gc = { &decl[k], &all };
        sema_walk(set->scripts[k].ast, collect_globals, &gc);
        snprintf(prefix[k], sizeof prefix[k], "%zu:", k);
    }
    pt_set_var_scope(g->pt, NULL, NULL, 0);
    for (size_t i = 0; i < all.n; i++)
        pt_var_slot(g->pt, all.v[i], strlen(all.v[i]));
    pt_set_nglobals(g->pt, pt_nvars(g->pt));
    for (size_t k = 1; k < n; k++) {
        char name[40];
        snprintf(name, sizeof name, "sieve_script%zu", k);
        g->script_fns[k] = LLVMAddFunction(g->m, name, g->part_ty);
    }
    enter_script(g, 0, decl, prefix);
    gen_body(g);
    for (size_t k = 1; k < n; k++) {
        enter_script(g, k, decl, prefix);
        uint32_t first = pt_nvars(g->pt);
        open_fn(g, g->script_fns[k], false);
        if (gen_block(g, &g->script->top))
            LLVMBuildRet(g->b, LLVMConstInt(g->i32, SIEVE_OK, 0));
        g->vars[k][0] = first;
        g->vars[k][1] = pt_nvars(g->pt) - first;
    }
    for (size_t i = 0; i < g->nirecs; i++) {
        uint32_t *rec = pt_include_record(g->pt, g->irecs[i].rec);
        int t = g->irecs[i].target;
        if (rec && t > 0) {
            rec[SIEVE_IR_VARS] = g->vars[t][0];
            rec[SIEVE_IR_NVARS] = g->vars[t][1];
        }
    }
    pt_set_var_scope(g->pt, NULL, NULL, 0);
    enter_script(g, 0, decl, prefix);
    for (size_t k = 0; k < n; k++)
        names_free(&decl[k]);
    free(decl);
    free(prefix);
    names_free(&all);
}

/* The descriptor's facts over every script: header names (deduplicated),
 * extensions used, needs, recipient dependence. */
static void union_facts(cg *g)
{
    size_t n = g->incl ? g->incl->nscripts : 1;
    size_t cap = 0;
    for (size_t k = 0; k < n; k++)
        cap += (g->incl ? g->incl->scripts[k].res : g->res)->nheader_names;
    g->hdrs = calloc(cap ? cap : 1, sizeof *g->hdrs);
    if (!g->hdrs) {
        fputs("sievec: out of memory\n", stderr);
        abort();
    }
    for (size_t k = 0; k < n; k++) {
        const sema_result *r = g->incl ? g->incl->scripts[k].res : g->res;
        g->used |= r->used;
        g->needs |= needs_of(r);
        g->recipient_dependent |= r->recipient_dependent;
        for (size_t i = 0; i < r->nheader_names; i++) {
            bool dup = false;
            for (size_t j = 0; j < g->nhdrs && !dup; j++)
                dup = strcmp(g->hdrs[j], r->header_names[i]) == 0;
            if (!dup)
                g->hdrs[g->nhdrs++] = r->header_names[i];
        }
    }
}

static uint32_t needs_of(const sema_result *res)
{
    return (res->reads_envelope ? SIEVE_NEEDS_ENVELOPE : 0) |
           (res->reads_headers ? SIEVE_NEEDS_HEADERS : 0) |
           (res->reads_body ? SIEVE_NEEDS_BODY : 0) | (res->reads_size ? SIEVE_NEEDS_SIZE : 0);
}

static int finish_module(cg *g, const cg_info *info, char *err, size_t errlen)
{
    /* Header names and extensions, for the runtime's header index and for
     * tools that show what a filter uses. */
    uint32_t headers = pt_list_cstrings(g->pt, g->hdrs, g->nhdrs);
    const char *exts[REG_EXT__COUNT];
    size_t nexts = 0;
    for (int id = 0; id < REG_EXT__COUNT; id++) {
        /* The base language and its two built-in comparators (RFC 5228
         * 2.7.3) are in every filter: not worth listing. */
        if (id == REG_EXT_CORE || id == REG_EXT_COMPARATOR_OCTET ||
            id == REG_EXT_COMPARATOR_ASCII_CASEMAP || !(g->used & REG_EXT_BIT(id)))
            continue;
        const reg_ext *e = reg_ext_get((reg_ext_id)id);
        if (e)
            exts[nexts++] = e->name;
    }
    uint32_t extensions = pt_list_cstrings(g->pt, exts, nexts);
    uint32_t *words = NULL;
    size_t nwords = 0;
    if (!pt_finish(g->pt, headers, extensions, &words, &nwords)) {
        snprintf(err, errlen, "the program table does not fit in 32-bit offsets");
        return -1;
    }
    /* As bytes (a ConstantDataArray, cheap for LLVM at any size) in host
     * order, aligned for the u32 reads of the runtime. */
    LLVMValueRef meta_init = LLVMConstStringInContext(g->c, (const char *)words,
                                                      (unsigned)(nwords * 4), 1);
    free(words);
    LLVMValueRef meta = private_const(g, meta_init, "sieve_meta");
    LLVMSetAlignment(meta, 4);

    LLVMValueRef shav[32];
    for (int i = 0; i < 32; i++)
        shav[i] = LLVMConstInt(g->i8, info->source_sha256[i], 0);
    LLVMValueRef sha = private_const(g, LLVMConstArray(g->i8, shav, 32), "sieve_source_sha256");

    uint32_t flags = g->recipient_dependent ? SIEVE_FLAG_RECIPIENT_DEPENDENT : 0;
    if (emit_cpu_specific(g->u))
        flags |= SIEVE_FLAG_CPU_SPECIFIC;
    LLVMTypeRef fields[13] = {
        g->i32, g->i32, g->i32, g->i32, g->i32, g->i32,
        g->i8p, g->i8p, g->i8p, g->i8p, g->i8p, g->i32p, LLVMPointerType(g->entry_ty, 0),
    };
    LLVMTypeRef desc_ty = LLVMStructCreateNamed(g->c, "sieve_abi_descriptor");
    LLVMStructSetBody(desc_ty, fields, 13, 0);
    LLVMValueRef vals[13] = {
        LLVMConstInt(g->i32, SIEVE_ABI_MAGIC, 0),
        LLVMConstInt(g->i32, SIEVE_ABI_VERSION, 0),
        LLVMConstInt(g->i32, sizeof(sieve_abi_descriptor), 0),
        LLVMConstInt(g->i32, g->needs, 0),
        LLVMConstInt(g->i32, flags, 0),
        LLVMConstInt(g->i32, nwords, 0),
        cstring(g, info->compiler_version, "sieve_compiler_version"),
        cstring(g, emit_triple(g->u), "sieve_target_triple"),
        cstring(g, emit_cpu(g->u), "sieve_target_cpu"),
        cstring(g, emit_features(g->u), "sieve_target_features"),
        LLVMConstPointerCast(sha, g->i8p),
        LLVMConstPointerCast(meta, g->i32p),
        g->entry_fn,
    };
    LLVMValueRef desc = LLVMAddGlobal(g->m, desc_ty, SIEVE_ABI_DESCRIPTOR_SYMBOL);
    LLVMSetInitializer(desc, LLVMConstNamedStruct(desc_ty, vals, 13));
    LLVMSetGlobalConstant(desc, 1);
    LLVMSetLinkage(desc, LLVMExternalLinkage);
    LLVMSetVisibility(desc, LLVMDefaultVisibility);
    return 0;
}

int cg_generate(emit_unit *u, const ast_script *script, const sema_result *res,
                const cg_info *info, diag_sink *diag, char *err, size_t errlen)
{
    if (check_scope_all(script, info->includes, diag) != 0)
        return 1;
    cg g = {
        .u = u, .c = u->ctx, .m = u->mod, .b = u->builder,
        .script = script, .res = res, .diag = diag,
        .capture = (res->required & REG_EXT_BIT(REG_EXT_VARIABLES)) != 0,
        .incl = info->includes,
    };
    g.pt = pt_new();
    make_types(&g);
    if (g.incl && (res->required & REG_EXT_BIT(REG_EXT_INCLUDE)))
        gen_scripts(&g);
    else
        gen_body(&g);
    union_facts(&g);
    int rc = 0;
    if (pt_ntests(g.pt) + pt_nactions(g.pt) > CG_FAST_ISEL_RECORDS)
        rc = emit_prefer_fast_isel(u, err, errlen);
    if (rc == 0)
        rc = finish_module(&g, info, err, errlen);
    pt_free(&g.pt);
    free(g.loops);
    free(g.script_fns);
    free(g.vars);
    free(g.irecs);
    free(g.hdrs);
    return rc;
}
