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
    /* The SMTP client of this transaction, for the environment items
     * "remote-host" and "remote-ip" (RFC 5183 4.1); NULL: unknown, and
     * the test is false. */
    const char *remote_host;   /* its name as the MTA resolved it */
    const char *remote_ip;     /* its address, IPv4 dotted or IPv6 text */
} sieve_envelope;

/* What the mail store holds, for mailbox (RFC 5490), special-use (RFC
 * 8579) and mailboxid (RFC 9042): the caller answers, since only it knows
 * the recipient's mailboxes. Callbacks run on the thread of sieve_run,
 * during the run; strings are UTF-8, NUL-terminated, valid only for the
 * call. A NULL callback answers false. */
typedef struct sieve_mailboxes {
    void *data;
    /* RFC 5490 3.1: the mailbox exists and may be delivered into. */
    bool (*exists)(void *data, const char *mailbox);
    /* RFC 8579 3: mailbox has the special-use attribute `use` ("\\Junk",
     * compared case-insensitively); mailbox NULL: some mailbox has it. */
    bool (*specialuse_exists)(void *data, const char *mailbox, const char *use);
    /* RFC 9042 3: a mailbox with this object id exists. */
    bool (*mailboxid_exists)(void *data, const char *id);
} sieve_mailboxes;

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
    /* The "local" time zone of date and currentdate (RFC 5260 4.1) as an
     * offset east of UTC in minutes (-1439..1439): the runtime never reads
     * the process TZ, so the answer does not depend on the host. 0: UTC. */
    int zone_offset;
    /* Environment items (RFC 5183 4.1). domain and host: NULL is unknown
     * (the test is false). location: NULL is "MTA", since filters run
     * inside the MTA during the SMTP dialogue; phase: NULL is "pre", since
     * that is before final delivery (RFC 5183 4.1: "pre", "during" and
     * "post" are relative to final delivery). Callers running elsewhere
     * (an MDA, an offline replay) may say so. */
    const char *env_domain, *env_host, *env_location, *env_phase;
    /* vacation (RFC 5230 4.1, RFC 6131): the reply period is clamped to
     * [min, max]; 0 for min: 1 day, 0 for max: no maximum, 0 for the
     * default: 7 days. A :seconds 0 stays 0 (always reply) only when
     * min is SIEVE_PERIOD_ZERO. */
    uint64_t vacation_min_period, vacation_max_period, vacation_default_period;
    /* vacation (RFC 5230 4.5): also count the original recipient (ORCPT)
     * as one of the user's addresses; reply without checking that the
     * user was addressed at all (Pigeonhole's settings of these names). */
    bool vacation_use_original_recipient, vacation_dont_check_recipient;
    /* duplicate (RFC 7352 3.3): 0 for the default: 12 hours, 0 for the
     * maximum: 2 days (Pigeonhole's defaults). */
    uint64_t duplicate_default_period, duplicate_max_period;
    /* editheader (RFC 5293): header field names scripts may neither add
     * nor delete, separated by spaces or commas (case-insensitive), on top
     * of Received and Auto-Submitted, which can never be deleted. Such an
     * edit does nothing, as in Pigeonhole. NULL: none. Must outlive the
     * session. */
    const char *editheader_protected;
    /* mailboxexists, specialuse_exists, mailboxidexists; NULL: no mailbox
     * information, so each of those tests is false. Must outlive the
     * session. */
    const sieve_mailboxes *mailboxes;
} sieve_settings;

/* A vacation_min_period of no minimum at all (0 means "the default"). */
#define SIEVE_PERIOD_ZERO UINT64_MAX

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
    const char *name, *value;  /* addheader/deleteheader; value as the script
                                  gave it (the header holds it RFC 2047-encoded
                                  when it is not ASCII) */
    uint64_t period;           /* vacation seconds */
    bool period_in_days;
    uint32_t index;            /* deleteheader :index */
    unsigned line;             /* script line of the action */
    /* vacation (RFC 5230 4.5-4.7): why no reply would be sent
     * ("not-addressed", "list", "bulk", "auto-submitted", "own-address",
     * "already-replied"), NULL when it would be sent. notify (RFC 5436
     * 2.7): why no notification would be sent ("auto-submitted"). */
    const char *suppressed;
    /* notify (RFC 5435 3): :importance "1".."3" or NULL, :options. */
    const char *importance;
    const char *const *options;
    size_t noptions;
    /* vacation: the Message-ID of the message replied to (In-Reply-To,
     * References of the reply), NULL when it had none. */
    const char *in_reply_to;
    /* vacation: the References of the reply: the original's References
     * (or In-Reply-To) and its Message-ID (RFC 5322 3.6.4); NULL: none. */
    const char *references;
    /* vacation: the user's address the message was addressed to (the
     * envelope recipient or one of :addresses), the reply's From when
     * :from is absent; NULL when unknown. */
    const char *recipient;
    /* vacation: the response-tracking key (sieve/store.h) and the time the
     * record expires; sieve_result_commit records it. store_keylen 0:
     * nothing to record (suppressed, or a period of 0). */
    uint8_t store_key[32];
    size_t store_keylen;
    int64_t store_expires;
    /* deleteheader value-patterns (RFC 5293 5), NULL when none were given:
     * then every field of the name (or the :index one) goes. */
    const char *const *patterns;
    size_t npatterns;
} sieve_action;

size_t sieve_result_count(const sieve_result *r);
const sieve_action *sieve_result_action(const sieve_result *r, size_t i);
/* NULL when the run had no run-time error; else the message (with the
 * script line) and the result holds only the implicit keep. */
const char *sieve_result_error(const sieve_result *r);
/* The message's header block after the script's addheader/deleteheader
 * actions (RFC 5293): every field with its line end, without the empty
 * line that ends the header; the body is unchanged. *len_r bytes, not
 * NUL-terminated. NULL when the run changed no header or failed. Lives as
 * long as the result. A caller that
 * delivers the message can use this instead of replaying the edits. */
const char *sieve_result_header(const sieve_result *r, size_t *len_r);

struct sieve_store;
/* Records what the run must remember once its actions were performed: the
 * replies of its vacation actions that are not suppressed (RFC 5230 4.2:
 * call it when the reply was actually sent) and the duplicate marks of the
 * run (RFC 7352 3: only a run that completed without error leaves marks).
 * Records already expired at `now` are skipped. store NULL: nothing to do.
 * 0, or -1 with the store's error in err (the caller's policy decides). */
int sieve_result_commit(const sieve_result *r, const struct sieve_store *store, int64_t now,
                        char *err, size_t errlen);

/* The message a vacation or notify action sends (RFC 5230 5, RFC 5436 2),
 * headers and body with CRLF line ends, in *msg_r (malloc'd, the caller
 * frees it), its length in *len_r, the envelope recipients in rcpt
 * (comma-separated addr-specs, NUL-terminated, cut to rcptlen) and the
 * envelope sender in mail_from ("" for the null path <>). A vacation reply
 * goes from <> (RFC 3834 3.3) and is From :from, else the action's
 * recipient, else the recipient of env. A notification goes from <> when
 * the message had a null sender, else from :from, else from postmaster of
 * the recipient's domain (RFC 5436 2.7); each recipient should get its own
 * copy. now dates the message. 0, or -1 when the action sends nothing
 * (another kind, suppressed) or out of memory. */
int sieve_action_message(const sieve_action *a, const sieve_envelope *env, int64_t now,
                         char **msg_r, size_t *len_r, char *rcpt, size_t rcptlen,
                         char *mail_from, size_t mail_from_len);

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
