/* A hand-made compiled filter for the loader tests: a descriptor, a
 * program table with one keep action, and an entry that performs it.
 * Built -nostdlib -shared with only the descriptor exported, like sievec's
 * output. FX_ABI and FX_NAME vary per fixture. */
#include "sieve/abi.h"

#ifndef FX_ABI
#define FX_ABI SIEVE_ABI_VERSION
#endif
#ifndef FX_NAME
#define FX_NAME "fixture v1"
#endif

#define HW SIEVE_META_HEADER_WORDS
/* header | action record | pool (empty, one padding word) */
static const uint32_t meta[HW + SIEVE_ACTION_WORDS + 1] = {
    [SIEVE_META_MAGIC] = SIEVE_ABI_MAGIC,
    [SIEVE_META_STRPOOL] = HW + SIEVE_ACTION_WORDS,
    [SIEVE_META_STRPOOL_BYTES] = 0,
    [SIEVE_META_TESTS] = HW,
    [SIEVE_META_NTESTS] = 0,
    [SIEVE_META_ACTIONS] = HW,
    [SIEVE_META_NACTIONS] = 1,
    [SIEVE_META_LOOPS] = HW,
    [SIEVE_META_INCLUDES] = HW,
    [HW + SIEVE_AR_KIND] = SIEVE_ACT_KEEP,
    [HW + SIEVE_AR_LINE] = 1,
};

static const uint8_t sha[32] = { 1, 2, 3 };

static int32_t entry(sieve_abi_ctx *ctx)
{
    return ctx->ops->action(ctx, 0) == SIEVE_ERROR ? SIEVE_ERROR : SIEVE_OK;
}

__attribute__((visibility("default")))
const sieve_abi_descriptor sieve_filter_descriptor = {
    .magic = SIEVE_ABI_MAGIC,
    .abi_version = FX_ABI,
    .descriptor_size = sizeof(sieve_abi_descriptor),
    .meta_words = sizeof meta / sizeof meta[0],
    .compiler_version = FX_NAME,
    .target_triple = "x86_64-pc-linux-gnu",
    .target_cpu = "generic",
    .target_features = "",
    .source_sha256 = sha,
    .meta = meta,
    .entry = entry,
};
