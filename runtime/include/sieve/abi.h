/* sieve/abi.h: the binary interface between a compiled filter (.so written
 * by sievec) and the runtime (libsieve-rt) that loads and runs it.
 *
 * A compiled filter exports exactly one symbol, SIEVE_ABI_DESCRIPTOR_SYMBOL,
 * a const sieve_abi_descriptor. It holds:
 *   - identification: magic, ABI version, compiler version, SHA-256 of the
 *     source, target CPU and features;
 *   - what the filter needs (envelope only / headers / body, whether its
 *     result can depend on the recipient), so the milter can decide early;
 *   - a program table ("meta"): a flat array of 32-bit words describing
 *     every test and action of the script with its constant operands (header
 *     names, keys, mailbox names...). The runtime validates and *prepares*
 *     it once at load time (interns header names, folds keys for their
 *     comparator, analyses :matches patterns, compiles regexes);
 *   - the entry point, native code compiled from the script's control flow.
 *
 * The generated code calls the runtime only through the function table in
 * the context it is given (ctx->ops), never through symbols, so the .so
 * needs no libraries and resolves nothing. It keeps no state of its own:
 * everything per message lives behind ctx, so one filter runs on many
 * threads at once.
 *
 * Words, not C structs, carry the program table so that its layout is the
 * same for the code generator (which emits an LLVM i32 array) and for the
 * runtime on every architecture, and so the loader can bounds-check every
 * offset before use. All integers are in the host's byte order (a .so only
 * runs on the architecture it was compiled for anyway).
 *
 * Bump SIEVE_ABI_VERSION on any incompatible change; the loader refuses
 * other versions.
 */
#ifndef SIEVE_ABI_H
#define SIEVE_ABI_H

#include <stdint.h>

#define SIEVE_ABI_MAGIC 0x43455653u /* "SVEC" little-endian */
#define SIEVE_ABI_VERSION 1u
#define SIEVE_ABI_DESCRIPTOR_SYMBOL "sieve_filter_descriptor"

/* ---- The run-time context seen by generated code --------------------- */

typedef struct sieve_abi_ctx sieve_abi_ctx;

/* Return values of ops and of the entry point. */
enum {
    SIEVE_OK = 0,          /* test: false */
    SIEVE_TRUE = 1,        /* test: true */
    SIEVE_STOP = 2,        /* entry: the script executed `stop` */
    SIEVE_ERROR = -1,      /* a run-time error: the caller keeps the message
                              (RFC 5228 2.10.6); ops record the reason */
    /* Testsuite only (vnd.dovecot.testsuite): `test_fail` ended its `test`
     * block. Outlined parts return it to their callers like SIEVE_STOP, up
     * to the code of the enclosing `test` block, which goes on after the
     * block. Never returned by entry for a well-formed .svtest. */
    SIEVE_TEST_FAILED = 3,
    /* include (RFC 6609 3.3): `return` ended an included script. Parts pass
     * it up like SIEVE_STOP to the code of the `include` that ran the
     * script, where it means "go on after the include". Never returned by
     * entry (a `return` in the main script is compiled as `stop`). */
    SIEVE_RETURN = 4,
};

typedef struct sieve_abi_ops {
    uint32_t abi_version;  /* SIEVE_ABI_VERSION: generated code may check */
    uint32_t reserved;
    /* Evaluates test record `test` of the program table: SIEVE_TRUE,
     * SIEVE_OK (false) or SIEVE_ERROR. */
    int32_t (*test)(sieve_abi_ctx *ctx, uint32_t test);
    /* Performs action record `action` (adds to the result, sets a variable,
     * edits a header...): SIEVE_OK or SIEVE_ERROR. */
    int32_t (*action)(sieve_abi_ctx *ctx, uint32_t action);
    /* foreverypart (RFC 5703 3): starts iterating the MIME parts of the
     * current part for loop record `loop`, then next() moves to the next
     * part: SIEVE_TRUE while there is one, SIEVE_OK at the end;
     * loop_end() restores the enclosing part (also after `break`). */
    int32_t (*loop_begin)(sieve_abi_ctx *ctx, uint32_t loop);
    int32_t (*loop_next)(sieve_abi_ctx *ctx, uint32_t loop);
    int32_t (*loop_end)(sieve_abi_ctx *ctx, uint32_t loop);
    /* include (RFC 6609): called before running an included script's body,
     * SIEVE_TRUE to run it, SIEVE_OK to skip it (:once already ran it). */
    int32_t (*include_enter)(sieve_abi_ctx *ctx, uint32_t include);
    int32_t (*include_leave)(sieve_abi_ctx *ctx, uint32_t include);
} sieve_abi_ops;

/* The first member of the runtime's own context; generated code reads only
 * this. */
struct sieve_abi_ctx {
    const sieve_abi_ops *ops;
};

/* ---- The descriptor --------------------------------------------------- */

/* needs: the least the filter must see to decide. */
enum {
    SIEVE_NEEDS_ENVELOPE = 1u << 0,   /* envelope tests */
    SIEVE_NEEDS_HEADERS  = 1u << 1,   /* header fields */
    SIEVE_NEEDS_BODY     = 1u << 2,   /* body, mime parts */
    SIEVE_NEEDS_SIZE     = 1u << 3,   /* the message size */
};

/* flags */
enum {
    /* The result can differ between recipients of one transaction (it reads
     * envelope "to", the recipient's environment, per-user state...). */
    SIEVE_FLAG_RECIPIENT_DEPENDENT = 1u << 0,
    /* Compiled for a specific CPU (-mcpu=native): the loader checks the
     * host has target_features. */
    SIEVE_FLAG_CPU_SPECIFIC = 1u << 1,
};

typedef struct sieve_abi_descriptor {
    uint32_t magic;               /* SIEVE_ABI_MAGIC */
    uint32_t abi_version;         /* SIEVE_ABI_VERSION */
    uint32_t descriptor_size;     /* sizeof(sieve_abi_descriptor) */
    uint32_t needs;               /* SIEVE_NEEDS_* */
    uint32_t flags;               /* SIEVE_FLAG_* */
    uint32_t meta_words;          /* length of meta in 32-bit words */
    const char *compiler_version; /* e.g. "sievec 0.1.0 (LLVM 14.0.6)" */
    const char *target_triple;
    const char *target_cpu;       /* "generic", "x86-64", or the -mcpu value */
    const char *target_features;  /* "+sse4.2,..." or "" */
    const uint8_t *source_sha256; /* 32 bytes: SHA-256 of the main script */
    const uint32_t *meta;         /* the program table, see below */
    int32_t (*entry)(sieve_abi_ctx *ctx); /* SIEVE_OK, SIEVE_STOP or SIEVE_ERROR */
} sieve_abi_descriptor;

/* ---- The program table (meta) ------------------------------------------
 *
 * meta[0..SIEVE_META_HEADER_WORDS) is a header of word offsets and counts:
 */
enum {
    SIEVE_META_MAGIC,        /* SIEVE_ABI_MAGIC again */
    SIEVE_META_STRPOOL,      /* offset (in words) of the string pool */
    SIEVE_META_STRPOOL_BYTES,/* its length in bytes (padded to 4 in words) */
    SIEVE_META_TESTS,        /* offset of the test records */
    SIEVE_META_NTESTS,
    SIEVE_META_ACTIONS,      /* offset of the action records */
    SIEVE_META_NACTIONS,
    SIEVE_META_LOOPS,        /* offset of the loop records (foreverypart) */
    SIEVE_META_NLOOPS,
    SIEVE_META_INCLUDES,     /* offset of the include records */
    SIEVE_META_NINCLUDES,
    SIEVE_META_HEADERS,      /* offset of a string list: header names read */
    SIEVE_META_EXTENSIONS,   /* offset of a string list: extensions used */
    SIEVE_META_NVARS,        /* number of variable slots */
    SIEVE_META_VARNAMES,     /* offset of a string list: slot names (lower case) */
    SIEVE_META_NGLOBALS,     /* slots [0, nglobals) are `global` (RFC 6609) */
    SIEVE_META_HEADER_WORDS
};

/* A string reference: two words, byte offset into the string pool and
 * length. The pool bytes are followed by a NUL after each string, so a
 * string is also a C string when it holds no NUL itself.
 *
 * A *value* is a string that may contain variable references (RFC 5229);
 * it is encoded at some word offset as:
 *     nparts, then per part three words: kind, a, b
 *       SIEVE_PART_TEXT:  a = pool offset, b = length
 *       SIEVE_PART_VAR:   a = variable slot, b = 0
 *       SIEVE_PART_MATCH: a = match variable number 0..9, b = 0
 * A constant value has exactly one TEXT part (or zero parts: "").
 *
 * A *list* (string list) at a word offset is: count, then `count` word
 * offsets of values. Operand slots in records hold the word offset of a list
 * or value, or 0 for "absent" (offset 0 is the header, never an operand).
 */
enum {
    SIEVE_PART_TEXT = 0,
    SIEVE_PART_VAR = 1,
    SIEVE_PART_MATCH = 2,
};

/* Test record: SIEVE_TEST_WORDS words. */
enum {
    SIEVE_TR_KIND,        /* SIEVE_TEST_* */
    SIEVE_TR_MATCH,       /* SIEVE_MATCH_* */
    SIEVE_TR_COMPARATOR,  /* SIEVE_CMP_* */
    SIEVE_TR_RELOP,       /* SIEVE_REL_* (:count/:value) */
    SIEVE_TR_ADDRPART,    /* SIEVE_AP_* */
    SIEVE_TR_FLAGS,       /* SIEVE_TF_* */
    SIEVE_TR_INDEX,       /* :index N (RFC 5260 6), 0 = none */
    SIEVE_TR_EXTRA,       /* per kind: body transform, size limit, date part... */
    SIEVE_TR_ARG0,        /* operands, per kind (see SIEVE_TEST_*) */
    SIEVE_TR_ARG1,
    SIEVE_TR_ARG2,
    SIEVE_TR_ARG3,
    SIEVE_TR_LINE,        /* source line, for run-time error messages */
    SIEVE_TEST_WORDS
};

typedef enum sieve_test_kind {
    /* arg0 = header names (list), arg1 = keys (list) */
    SIEVE_TEST_HEADER = 1,
    /* arg0 = header names, arg1 = keys */
    SIEVE_TEST_ADDRESS,
    /* arg0 = envelope parts ("from", "to", "auth"...), arg1 = keys */
    SIEVE_TEST_ENVELOPE,
    /* arg0 = header names */
    SIEVE_TEST_EXISTS,
    /* extra = low 32 bits of the limit, arg0 = high 32 bits; OVER or UNDER */
    SIEVE_TEST_SIZE_OVER,
    SIEVE_TEST_SIZE_UNDER,
    /* extra = SIEVE_BT_*, arg0 = content types (list, :content), arg1 = keys */
    SIEVE_TEST_BODY,
    /* arg0 = source strings (list), arg1 = keys (RFC 5229 5) */
    SIEVE_TEST_STRING,
    /* arg0 = variable list (list of names) or 0, arg1 = flag keys (RFC 5232 4) */
    SIEVE_TEST_HASFLAG,
    /* arg0 = header name (value), arg1 = keys, arg2 = zone (value) or 0,
       extra = SIEVE_DP_*  (RFC 5260 4) */
    SIEVE_TEST_DATE,
    /* arg1 = keys, arg2 = zone or 0, extra = date part */
    SIEVE_TEST_CURRENTDATE,
    /* arg0 = mailbox names (list) (RFC 5490 3.1); with extra = 1 it is
       specialuse_exists (RFC 8579 3): arg0 = special-use attributes (list),
       arg1 = mailbox (value) or 0 */
    SIEVE_TEST_MAILBOXEXISTS,
    /* arg0 = item name (value), arg1 = keys (RFC 5183) */
    SIEVE_TEST_ENVIRONMENT,
    /* arg1 = keys; flags SIEVE_TF_PERCENT (RFC 5235) */
    SIEVE_TEST_SPAMTEST,
    SIEVE_TEST_VIRUSTEST,
    /* arg0 = handle (value) or 0, arg1 = header name (value) or 0,
       arg2 = uniqueid (value) or 0, extra = seconds (RFC 7352) */
    SIEVE_TEST_DUPLICATE,
    /* arg0 = notification URIs (list) (RFC 5435 5) */
    SIEVE_TEST_VALID_NOTIFY_METHOD,
    /* arg0 = URI (value), arg1 = capability (value), arg2 = keys */
    SIEVE_TEST_NOTIFY_METHOD_CAPABILITY,
    /* arg0 = extension names (list), for names only known at run time */
    SIEVE_TEST_IHAVE,
    /* arg0 = mailbox ids (list) (RFC 9042) */
    SIEVE_TEST_MAILBOXIDEXISTS,
    /* A test the host program decides (sieve/host.h), compiled only in
     * testsuite mode: extra = SIEVE_HOST_* id; the match fields, :index and
     * arg1 = keys as for other tests; arg0 = a value operand or 0 (folder,
     * script path), arg2 = a number (raw word, not an offset);
     * SIEVE_TF_APPEND_RESULT. The runtime without a host: an error. */
    SIEVE_TEST_HOST,
    SIEVE_TEST__COUNT
} sieve_test_kind;

typedef enum sieve_match {
    SIEVE_MATCH_IS = 0,
    SIEVE_MATCH_CONTAINS,
    SIEVE_MATCH_MATCHES,
    SIEVE_MATCH_REGEX,
    SIEVE_MATCH_COUNT,
    SIEVE_MATCH_VALUE,
} sieve_match;

typedef enum sieve_cmp {
    SIEVE_CMP_OCTET = 0,
    SIEVE_CMP_ASCII_CASEMAP,
    SIEVE_CMP_ASCII_NUMERIC,
    SIEVE_CMP_UNICODE_CASEMAP,
} sieve_cmp;

typedef enum sieve_rel {
    SIEVE_REL_NONE = 0,
    SIEVE_REL_GT, SIEVE_REL_GE, SIEVE_REL_LT, SIEVE_REL_LE, SIEVE_REL_EQ, SIEVE_REL_NE,
    /* The operator is a variable: arg3 holds its value; decided at run time. */
    SIEVE_REL_DYNAMIC,
} sieve_rel;

typedef enum sieve_addrpart {
    SIEVE_AP_ALL = 0,
    SIEVE_AP_LOCALPART,
    SIEVE_AP_DOMAIN,
    SIEVE_AP_USER,
    SIEVE_AP_DETAIL,
} sieve_addrpart;

typedef enum sieve_body_transform {
    SIEVE_BT_TEXT = 0,
    SIEVE_BT_RAW,
    SIEVE_BT_CONTENT,
} sieve_body_transform;

/* SIEVE_TR_FLAGS */
enum {
    SIEVE_TF_CAPTURE  = 1u << 0,  /* a successful :matches/:regex sets ${0}..${9} */
    SIEVE_TF_LAST     = 1u << 1,  /* :last with :index */
    SIEVE_TF_MIME     = 1u << 2,  /* :mime (RFC 5703 4) */
    SIEVE_TF_ANYCHILD = 1u << 3,
    SIEVE_TF_PERCENT  = 1u << 4,  /* spamtestplus :percent */
    SIEVE_TF_ORIGINALZONE = 1u << 5,
    SIEVE_TF_KEYS_CONSTANT = 1u << 6, /* arg1 holds no variable: prepare at load */
    SIEVE_TF_APPEND_RESULT = 1u << 7, /* host test: test_script_run :append_result */
};

/* Action record: SIEVE_ACTION_WORDS words. */
enum {
    SIEVE_AR_KIND,        /* SIEVE_ACT_* */
    SIEVE_AR_FLAGS,       /* SIEVE_AF_* */
    SIEVE_AR_NUMBER,      /* per kind: vacation period, :index, set modifiers */
    SIEVE_AR_ARG0,        /* operands, per kind */
    SIEVE_AR_ARG1,
    SIEVE_AR_ARG2,
    SIEVE_AR_ARG3,
    SIEVE_AR_ARG4,
    SIEVE_AR_ARG5,
    SIEVE_AR_ARG6,
    SIEVE_AR_LINE,        /* source line */
    SIEVE_ACTION_WORDS
};

typedef enum sieve_action_kind {
    /* arg0 = :flags list or 0 */
    SIEVE_ACT_KEEP = 1,
    /* arg0 = mailbox (value), arg1 = :flags list or 0, arg2 = :specialuse
       (value) or 0, arg3 = :mailboxid (value) or 0; AF_COPY, AF_CREATE */
    SIEVE_ACT_FILEINTO,
    /* arg0 = address (value); AF_COPY */
    SIEVE_ACT_REDIRECT,
    SIEVE_ACT_DISCARD,
    /* arg0 = reason (value) */
    SIEVE_ACT_REJECT,
    SIEVE_ACT_EREJECT,
    /* arg0 = variable name (value, lower case) or 0 for the internal
       variable, arg1 = flags (list) (RFC 5232) */
    SIEVE_ACT_SETFLAG,
    SIEVE_ACT_ADDFLAG,
    SIEVE_ACT_REMOVEFLAG,
    /* number = variable slot, extra modifiers in flags (SIEVE_AF_MOD_*),
       arg0 = value (RFC 5229 4) */
    SIEVE_ACT_SET,
    /* number = period in seconds (days * 86400 for :days) or UINT32_MAX for
       the default; arg0 = reason, arg1 = :subject, arg2 = :from,
       arg3 = :addresses list, arg4 = :handle, arg5 = :fcc mailbox;
       AF_MIME, AF_SECONDS (RFC 5230, RFC 6131) */
    SIEVE_ACT_VACATION,
    /* arg0 = method URI, arg1 = :from, arg2 = :importance, arg3 = :options
       list, arg4 = :message, arg5 = :fcc (RFC 5435) */
    SIEVE_ACT_NOTIFY,
    /* arg0 = field name, arg1 = value; AF_LAST (RFC 5293 4) */
    SIEVE_ACT_ADDHEADER,
    /* arg0 = field name, arg1 = value patterns list or 0, number = :index;
       AF_LAST; arg2 = index + 1 of a SIEVE_TEST_STRING record (never called
       by the code) whose match type, comparator and keys (= the patterns)
       apply, 0 when there are no patterns (RFC 5293 5) */
    SIEVE_ACT_DELETEHEADER,
    /* arg0 = message (RFC 5463 5): a run-time error */
    SIEVE_ACT_ERROR,
    /* RFC 5703 5-7: arg0 = replacement / enclosure text, arg1 = :subject,
       arg2 = :from (replace), arg3 = :headers list (enclose);
       extracttext: number = :first N, arg0 = variable slot name */
    SIEVE_ACT_REPLACE,
    SIEVE_ACT_ENCLOSE,
    SIEVE_ACT_EXTRACTTEXT,
    /* A command the host program performs (sieve/host.h), compiled only in
     * testsuite mode: number = SIEVE_HOST_* id, arg0..arg1 = value operands
     * or 0, arg2 = a number (raw word, not an offset). */
    SIEVE_ACT_HOST,
    SIEVE_ACT__COUNT
} sieve_action_kind;

/* SIEVE_AR_FLAGS */
enum {
    SIEVE_AF_COPY     = 1u << 0,
    SIEVE_AF_CREATE   = 1u << 1,
    SIEVE_AF_LAST     = 1u << 2,
    SIEVE_AF_MIME     = 1u << 3,
    SIEVE_AF_SECONDS  = 1u << 4,
    /* set modifiers (RFC 5229 4.1), applied highest precedence first */
    SIEVE_AF_MOD_LOWER         = 1u << 8,
    SIEVE_AF_MOD_UPPER         = 1u << 9,
    SIEVE_AF_MOD_LOWERFIRST    = 1u << 10,
    SIEVE_AF_MOD_UPPERFIRST    = 1u << 11,
    SIEVE_AF_MOD_QUOTEWILDCARD = 1u << 12,
    SIEVE_AF_MOD_QUOTEREGEX    = 1u << 13,
    SIEVE_AF_MOD_ENCODEURL     = 1u << 14,
    SIEVE_AF_MOD_LENGTH        = 1u << 15,
    SIEVE_AF_FLAGS_GIVEN       = 1u << 16, /* keep/fileinto had :flags */
};

/* What a host record asks for (vnd.dovecot.testsuite, Pigeonhole's test
 * language); operands per id: */
typedef enum sieve_host_id {
    /* commands (SIEVE_ACT_HOST) */
    SIEVE_HOST_TEST_BEGIN = 1,   /* arg0 = test name: a `test` block starts */
    SIEVE_HOST_TEST_END,         /* arg0 = test name: it ended (also after test_fail) */
    SIEVE_HOST_TEST_FAIL,        /* arg0 = reason */
    SIEVE_HOST_SET,              /* arg0 = object ("message", "envelope.from"...), arg1 = value */
    SIEVE_HOST_MESSAGE,          /* arg0 = folder or 0 for :smtp, arg2 = index */
    SIEVE_HOST_MAILBOX_CREATE,   /* arg0 = mailbox */
    SIEVE_HOST_RESULT_RESET,
    SIEVE_HOST_RESULT_PRINT,
    SIEVE_HOST_CONFIG_SET,       /* arg0 = setting, arg1 = value */
    SIEVE_HOST_CONFIG_UNSET,     /* arg0 = setting */
    SIEVE_HOST_CONFIG_RELOAD,
    SIEVE_HOST_BINARY_SAVE,      /* arg0 = name */
    SIEVE_HOST_BINARY_LOAD,      /* arg0 = name */
    /* tests (SIEVE_TEST_HOST) */
    SIEVE_HOST_MESSAGE_TEST,     /* as SIEVE_HOST_MESSAGE, false when missing */
    SIEVE_HOST_RESULT_ACTION,    /* match over the action names, :index */
    SIEVE_HOST_RESULT_EXECUTE,
    SIEVE_HOST_ERROR,            /* match over the last errors, :index */
    SIEVE_HOST_SCRIPT_COMPILE,   /* arg0 = script path */
    SIEVE_HOST_SCRIPT_RUN,       /* SIEVE_TF_APPEND_RESULT */
    SIEVE_HOST__COUNT
} sieve_host_id;

/* Date parts (RFC 5260 4.2), for SIEVE_TR_EXTRA of date tests; 0 means the
 * part is a variable given in arg3. */
typedef enum sieve_datepart {
    SIEVE_DP_DYNAMIC = 0,
    SIEVE_DP_YEAR, SIEVE_DP_MONTH, SIEVE_DP_DAY, SIEVE_DP_DATE, SIEVE_DP_JULIAN,
    SIEVE_DP_HOUR, SIEVE_DP_MINUTE, SIEVE_DP_SECOND, SIEVE_DP_TIME,
    SIEVE_DP_ISO8601, SIEVE_DP_STD11, SIEVE_DP_ZONE, SIEVE_DP_WEEKDAY,
} sieve_datepart;

/* Loop record (foreverypart): 2 words: name (value) or 0, source line. */
enum { SIEVE_LR_NAME, SIEVE_LR_LINE, SIEVE_LOOP_WORDS };

/* Include record (RFC 6609), one per `include` command of every script
 * compiled into the filter: 8 words: name (value, constant), location (0
 * personal, 1 global), flags (1 once, 2 optional), pool offset of the
 * included script's SHA-256 (32 bytes) or 0 when the include was optional
 * and the script missing at compile time, source line (in the including
 * script), the included script's number (the same for every include of
 * one script; 0 is the main script), and its local variable slots
 * [vars, vars + nvars), which are reset each time the script is entered
 * (its variables are its own, RFC 6609 3.4). The script number and the
 * slots are 0 when the script was missing. */
enum { SIEVE_IR_NAME, SIEVE_IR_LOCATION, SIEVE_IR_FLAGS, SIEVE_IR_SHA256,
       SIEVE_IR_LINE, SIEVE_IR_SCRIPT, SIEVE_IR_VARS, SIEVE_IR_NVARS,
       SIEVE_INCLUDE_WORDS };
enum { SIEVE_IF_ONCE = 1u, SIEVE_IF_OPTIONAL = 2u };

#endif
