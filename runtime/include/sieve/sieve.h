/* sieve/sieve.h: the public API of libsieve-rt, for programs that run
 * compiled Sieve filters (sieve-replay, sieve-bench, sieve-milter,
 * sieve-testsuite, and anyone embedding the runtime).
 *
 *   sieve_filter   a compiled filter (.so written by sievec), verified,
 *                  loaded and prepared once; immutable and reference-counted,
 *                  so any number of threads may run it at once and a reload
 *                  never pulls it from under a run in flight.
 *   sieve_session  per-thread execution state: the per-message arena and
 *                  caches. Reused across messages; in the steady state a run
 *                  makes no heap allocation. One thread at a time.
 *   sieve_result   the ordered action list of the last run of a session,
 *                  owned by the session and valid until its next run.
 *
 * Every function that can fail returns 0 on success and -1 on failure with
 * a message in the caller's buffer (err, errlen); none aborts the process
 * on bad input.
 */
#ifndef SIEVE_SIEVE_H
#define SIEVE_SIEVE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "sieve/abi.h"

#ifdef __cplusplus
extern "C" {
#endif

/* ---- Loading ----------------------------------------------------------- */

typedef struct sieve_filter sieve_filter;

typedef struct sieve_load_options {
    /* The key sievec MACs its output with. NULL: $SIEVEC_KEY_FILE, else
     * /etc/sievec/mac.key, else ~/.config/sievec/mac.key. */
    const char *key_file;
    /* Where verified objects are copied under their content hash before
     * dlopen, so a new generation never aliases an old one. NULL:
     * $SIEVEC_CACHE_DIR, else $XDG_RUNTIME_DIR/sievec, else /tmp/sievec-UID. */
    const char *cache_dir;
    /* The file must be owned by this user (and not writable by group or
     * others) unless check_owner is false. */
    bool check_owner;
    uid_t owner;
} sieve_load_options;

/* Verifies (owner, permissions, ELF shape, no constructors, no text
 * relocations, no needed libraries, MAC), dlopens a content-addressed copy,
 * checks the descriptor (magic, ABI version, CPU features) and prepares the
 * program table. opt may be NULL for the defaults. */
int sieve_filter_load(const char *path, const sieve_load_options *opt,
                      sieve_filter **filter_r, char *err, size_t errlen);
void sieve_filter_ref(sieve_filter *f);
/* Drops a reference and clears *f_r; the object is unloaded with the last. */
void sieve_filter_unref(sieve_filter **f_r);
const sieve_abi_descriptor *sieve_filter_descriptor(const sieve_filter *f);
/* Hex SHA-256 of the .so file (its content address). */
const char *sieve_filter_id(const sieve_filter *f);

/* include (RFC 6609): one include command compiled into the filter (the
 * include records of sieve/abi.h). A tool that wants to know whether the
 * filter is out of date hashes DIR/NAME.sieve (the personal or global
 * script directory by `global`) and compares it with sha256; a missing
 * script (only ever :optional) has sha256 NULL. */
typedef struct sieve_include_info {
    const char *name;          /* the script name, as written */
    bool global;               /* :global, else :personal */
    bool once, optional;
    const uint8_t *sha256;     /* 32 bytes, or NULL: missing when compiled */
    unsigned line;             /* of the include command, in its script */
    unsigned script;           /* the included script's number (1...) */
} sieve_include_info;

/* Fills out[0..max) with the filter's include commands in compile order;
 * returns how many there are (may exceed max). */
size_t sieve_filter_includes(const sieve_filter *f, sieve_include_info *out, size_t max);

/* ---- Running ----------------------------------------------------------- */

typedef struct sieve_session sieve_session;

typedef struct sieve_envelope {
    const char *mail_from;     /* NULL: unknown; "" is the null path <> */
    const char *rcpt_to;       /* the recipient being filtered for */
    const char *orig_rcpt;     /* ORCPT, or NULL */
    const char *auth;          /* authenticated sender, or NULL */
} sieve_envelope;

typedef struct sieve_settings {
    unsigned max_actions;          /* 0: 32 (RFC 5228 leaves the limit open) */
    unsigned max_redirects;        /* 0: 4 */
    const char *subaddress_separators; /* NULL: "+"; each byte is one (RFC 5233) */
    int64_t now;                   /* seconds since the epoch; 0: the clock */
    uint64_t max_message_memory;   /* arena cap per message; 0: 256 MiB */
    /* Performs the host records of filters compiled in testsuite mode
     * (sieve/host.h); NULL: such records are run-time errors. */
    const struct sieve_host *host;
    /* Memory for vacation and duplicate between messages (sieve/store.h);
     * NULL: nothing is remembered (every lookup is absent). */
    const struct sieve_store *store;
    /* How spamtest/virustest read scores (sieve/spamtest.h); NULL: they
     * answer "0" (not tested). Not copied: must outlive the session. */
    const struct sieve_spamtest_conf *spamtest;
} sieve_settings;

/* settings may be NULL for the defaults; the session copies them. */
sieve_session *sieve_session_new(const sieve_settings *settings);
void sieve_session_free(sieve_session **s_r);

typedef struct sieve_result sieve_result;

/* Runs the filter on one message. The message bytes and the envelope
 * strings must stay valid until the next run. Returns 0 when the filter ran
 * (even when it hit a run-time error: the result then holds the implicit
 * keep and sieve_result_error() says why), -1 only when the session cannot
 * run at all (err says why). */
int sieve_run(sieve_session *s, const sieve_filter *f, const char *msg, size_t len,
              const sieve_envelope *env, const sieve_result **result_r,
              char *err, size_t errlen);
/* Heap allocations the session made so far (for the no-allocation check). */
uint64_t sieve_session_mallocs(const sieve_session *s);

/* ---- The result -------------------------------------------------------- */

typedef struct sieve_action {
    sieve_action_kind kind;    /* SIEVE_ACT_KEEP ... from abi.h */
    bool implicit;             /* keep: the implicit keep (RFC 5228 2.10.2) */
    bool copy;                 /* fileinto/redirect :copy */
    bool create;               /* fileinto :create */
    bool last;                 /* addheader/deleteheader :last */
    bool mime;                 /* vacation :mime */
    const char *mailbox;       /* fileinto, fcc */
    const char *address;       /* redirect target; vacation reply-to */
    const char *reason;        /* reject/ereject/vacation */
    const char *subject, *from, *handle;      /* vacation, notify :from */
    const char *specialuse, *mailboxid;       /* fileinto */
    const char *const *flags;  /* imap4flags; NULL when none were set */
    size_t nflags;
    const char *name, *value;  /* addheader/deleteheader */
    uint64_t period;           /* vacation seconds */
    bool period_in_days;
    uint32_t index;            /* deleteheader :index; replace: the MIME part
                                  (document order, 0: the whole message body) */
    unsigned line;             /* script line of the action */
    /* enclose :headers (RFC 5703 6): header field lines for the new
       message; NULL when none. replace/enclose keep their text in value,
       :subject/:from in subject/from, replace :mime in mime. */
    const char *const *headers;
    size_t nheaders;
} sieve_action;

size_t sieve_result_count(const sieve_result *r);
const sieve_action *sieve_result_action(const sieve_result *r, size_t i);
/* NULL when the run had no run-time error; else the message (with the
 * script line) and the result holds only the implicit keep. */
const char *sieve_result_error(const sieve_result *r);

/* ---- Helpers shared with the compiler ---------------------------------- */

/* The key file used when none is given (see sieve_load_options.key_file);
 * writes the path into buf. create: make ~/.config/sievec/mac.key with a
 * fresh random key when no key exists (sievec does; the loader never). */
int sieve_key_path(char *buf, size_t buflen, bool create, char *err, size_t errlen);
#define SIEVE_KEY_BYTES 32
/* Reads a key file (must not be readable by group or others). */
int sieve_key_read(const char *path, uint8_t key[SIEVE_KEY_BYTES], char *err, size_t errlen);

#ifdef __cplusplus
}
#endif

#endif
