/* vnd.dovecot.testsuite: the test harness language of Pigeonhole's
 * testsuite tool, as rows of the registry, so sieve-testsuite can compile
 * `.svtest` files unmodified. The signatures are Pigeonhole 0.5's (read
 * from its behaviour and documentation, doc/testsuite.txt); the extension
 * is only known while compiling in testsuite mode (reg_testsuite_mode), so
 * an ordinary script that requires it gets "unknown extension".
 *
 * The commands and tests do nothing in the runtime itself: the code
 * generator turns them into SIEVE_ACT_HOST / SIEVE_TEST_HOST records that
 * the runtime hands to the host program (sieve/host.h).
 */
#include "ext_tables.h"

#define P(n, t) { n, t, false }
#define O(n, t) { n, t, true }
#define TS REG_EXT_TESTSUITE
#define TAG(n, id, g, p) { n, id, g, p, TS, REG_TAG_NONE, 0 }
#define END { NULL, REG_TAG_NONE, REG_G_NONE, REG_T_NONE, REG_EXT_CORE, REG_TAG_NONE, 0 }

/* test_message :smtp N / :folder "name" N */
static const reg_tag message_tags[] = {
    TAG("smtp", REG_TAG_SMTP, REG_G_TS_SOURCE, REG_T_NONE),
    TAG("folder", REG_TAG_FOLDER, REG_G_TS_SOURCE, REG_T_STRING),
    END
};

/* test_result_action / test_error :index N (1-based; 0 or absent: any) */
static const reg_tag index_tags[] = {
    TAG("index", REG_TAG_INDEX, REG_G_NONE, REG_T_NUMBER),
    END
};

static const reg_tag run_tags[] = {
    TAG("append_result", REG_TAG_APPEND_RESULT, REG_G_NONE, REG_T_NONE),
    END
};

/* test_config_reload :extension "name": reload one extension's settings
 * (nothing to reload here, accepted for compatibility) */
static const reg_tag reload_tags[] = {
    TAG("extension", REG_TAG_TS_EXTENSION, REG_G_NONE, REG_T_STRING),
    END
};

/* test_imap_metadata_set [:mailbox <mailbox>] <annotation> <value>:
 * Pigeonhole's way to give a test metadata (RFC 5490); without :mailbox
 * the entry is the server's. */
static const reg_tag metadata_set_tags[] = {
    TAG("mailbox", REG_TAG_TS_MAILBOX, REG_G_NONE, REG_T_STRING),
    END
};

#define CMD(id_, name_) .id = id_, .name = name_, .kind = REG_COMMAND, .ext = TS
#define TST(id_, name_) .id = id_, .name = name_, .kind = REG_TEST, .ext = TS

const reg_def ext_defs_testsuite[] = {
    { CMD(REG_DEF_TS_TEST, "test"), .params = { P("test-name", REG_T_STRING) }, .nparams = 1,
      .flags = REG_F_BLOCK },
    { CMD(REG_DEF_TS_FAIL, "test_fail"), .params = { P("reason", REG_T_STRING) }, .nparams = 1,
      .flags = REG_F_CONTROL },
    { CMD(REG_DEF_TS_SET, "test_set"),
      .params = { P("object", REG_T_STRING), P("value", REG_T_STRING) }, .nparams = 2 },
    { CMD(REG_DEF_TS_MESSAGE, "test_message"), .params = { P("index", REG_T_NUMBER) },
      .nparams = 1, .tagsets = { message_tags } },
    { TST(REG_DEF_TS_MESSAGE_TEST, "test_message"), .params = { P("index", REG_T_NUMBER) },
      .nparams = 1, .tagsets = { message_tags } },
    { CMD(REG_DEF_TS_MAILBOX_CREATE, "test_mailbox_create"),
      .params = { P("mailbox", REG_T_STRING) }, .nparams = 1 },
    { CMD(REG_DEF_TS_RESULT_RESET, "test_result_reset") },
    { CMD(REG_DEF_TS_RESULT_PRINT, "test_result_print") },
    { CMD(REG_DEF_TS_CONFIG_SET, "test_config_set"),
      .params = { P("setting", REG_T_STRING), P("value", REG_T_STRING) }, .nparams = 2 },
    { CMD(REG_DEF_TS_CONFIG_UNSET, "test_config_unset"),
      .params = { P("setting", REG_T_STRING) }, .nparams = 1 },
    { CMD(REG_DEF_TS_CONFIG_RELOAD, "test_config_reload"), .tagsets = { reload_tags } },
    { CMD(REG_DEF_TS_BINARY_SAVE, "test_binary_save"), .params = { P("name", REG_T_STRING) },
      .nparams = 1 },
    { CMD(REG_DEF_TS_BINARY_LOAD, "test_binary_load"), .params = { P("name", REG_T_STRING) },
      .nparams = 1 },
    { TST(REG_DEF_TS_RESULT_ACTION, "test_result_action"),
      .params = { P("key-list", REG_T_STRING_LIST) }, .nparams = 1,
      .tagsets = { reg_tags_match, index_tags }, .flags = REG_F_MATCH },
    { TST(REG_DEF_TS_RESULT_EXECUTE, "test_result_execute") },
    { TST(REG_DEF_TS_ERROR, "test_error"), .params = { P("key-list", REG_T_STRING_LIST) },
      .nparams = 1, .tagsets = { reg_tags_match, index_tags }, .flags = REG_F_MATCH },
    { TST(REG_DEF_TS_SCRIPT_COMPILE, "test_script_compile"),
      .params = { P("script", REG_T_STRING) }, .nparams = 1 },
    { TST(REG_DEF_TS_SCRIPT_RUN, "test_script_run"), .tagsets = { run_tags } },
    { CMD(REG_DEF_TS_IMAP_METADATA_SET, "test_imap_metadata_set"),
      .params = { P("annotation", REG_T_STRING), P("value", REG_T_STRING) }, .nparams = 2,
      .tagsets = { metadata_set_tags } },
};
const size_t ext_ndefs_testsuite = sizeof ext_defs_testsuite / sizeof ext_defs_testsuite[0];
