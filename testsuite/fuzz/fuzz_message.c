/* fuzz_message: libFuzzer target for the message path of the runtime.
 *
 * Each input is one message, byte for byte. The harness recovers its
 * envelope as sieve-replay does (Return-Path, Delivered-To, X-Original-To:
 * tools/common/envelope.c), then runs each of the scripts of
 * testsuite/fuzz/message-scripts/ on it through libsieve-rt: the lazy
 * header index and unfolding, RFC 2047 decoding, the address parser (every
 * address part, subaddress), the envelope parser, comparators and match
 * types, :regex, match variables, the MIME parser and body decoding
 * (transfer encodings, charsets, HTML), and the result with its conflicts.
 * Every string of every action is read back, so a dangling or unterminated
 * result string is a finding too. Crashes, sanitizer reports and leaks are
 * findings; a run-time error is not (the filter keeps the message).
 *
 * The scripts are compiled by sievec at build time into objects whose
 * descriptor symbol is renamed fuzz_message_desc_N (CMakeLists.txt) and
 * linked in; rt_filter_from_descriptor() prepares them without a file or
 * dlopen. One session is reused for all inputs, as a milter would, so state
 * that leaks from one message into the next is exercised as well.
 *
 * Built like fuzz_frontend.c: with libFuzzer (clang), and with
 * replay_main.c for any compiler. Not thread-safe; libFuzzer runs one input
 * at a time.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "envelope.h"
#include "program.h"
#include "sieve/abi.h"
#include "sieve/sieve.h"

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* FUZZ_MESSAGE_DESCRIPTORS expands to X(0) X(1) ...: one per script. */
#define X(n) extern const sieve_abi_descriptor fuzz_message_desc_##n;
FUZZ_MESSAGE_DESCRIPTORS
#undef X

#define X(n) &fuzz_message_desc_##n,
static const sieve_abi_descriptor *const descs[] = { FUZZ_MESSAGE_DESCRIPTORS };
#undef X
#define NDESCS (sizeof descs / sizeof descs[0])

static sieve_filter *filters[NDESCS];
static sieve_session *session;
static volatile size_t sink;

static void fuzz_cleanup(void)
{
    for (size_t i = 0; i < NDESCS; i++)
        sieve_filter_unref(&filters[i]);
    sieve_session_free(&session);
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    char err[512];
    for (size_t i = 0; i < NDESCS; i++) {
        if (rt_filter_from_descriptor(descs[i], &filters[i], err, sizeof err) != 0) {
            fprintf(stderr, "fuzz_message: script %zu does not load: %s\n", i, err);
            abort();
        }
    }
    /* The defaults, but a smaller arena cap: a finding should be a bug, not
     * a large message meeting libFuzzer's memory limit. */
    sieve_settings st = { .max_message_memory = 64u << 20 };
    session = sieve_session_new(&st);
    if (!session) {
        fprintf(stderr, "fuzz_message: no session\n");
        abort();
    }
    atexit(fuzz_cleanup);
    return 0;
}

static size_t touch(const char *s)
{
    return s ? strlen(s) : 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (!session)
        LLVMFuzzerInitialize(NULL, NULL);
    const char *msg = (const char *)data;
    envx_result ex;
    envx_extract(msg, size, &ex);
    sieve_envelope env = {
        .mail_from = ex.has_sender ? ex.sender : NULL,
        .rcpt_to = ex.has_recipient ? ex.recipient : "bob+fuzz@example.org",
        .orig_rcpt = ex.has_orig ? ex.orig : NULL,
    };
    for (size_t i = 0; i < NDESCS; i++) {
        const sieve_result *r = NULL;
        char err[512];
        if (sieve_run(session, filters[i], msg, size, &env, &r, err, sizeof err) != 0)
            continue;
        size_t n = touch(sieve_result_error(r));
        for (size_t k = 0; k < sieve_result_count(r); k++) {
            const sieve_action *a = sieve_result_action(r, k);
            n += touch(a->mailbox) + touch(a->address) + touch(a->reason) + touch(a->subject) +
                 touch(a->from) + touch(a->name) + touch(a->value);
            for (size_t f = 0; a->flags && f < a->nflags; f++)
                n += touch(a->flags[f]);
        }
        sink += n;
    }
    return 0;
}
