/* sha256: SHA-256 (FIPS 180-4) and HMAC-SHA256 (RFC 2104).
 *
 * Used for the source hash in a filter's descriptor, the content address of
 * loaded objects and the MAC that proves sievec wrote a .so. Pure functions
 * on caller-owned state: thread-safe, no allocation.
 */
#ifndef SIEVE_RT_SHA256_H
#define SIEVE_RT_SHA256_H

#include <stddef.h>
#include <stdint.h>

#define RT_SHA256_BYTES 32

typedef struct rt_sha256_ctx {
    uint32_t h[8];
    uint64_t total;          /* bytes hashed so far */
    uint8_t block[64];
    size_t fill;             /* bytes waiting in block */
} rt_sha256_ctx;

void rt_sha256_init(rt_sha256_ctx *c);
void rt_sha256_update(rt_sha256_ctx *c, const void *p, size_t n);
void rt_sha256_final(rt_sha256_ctx *c, uint8_t out[RT_SHA256_BYTES]);
void rt_sha256(const void *p, size_t n, uint8_t out[RT_SHA256_BYTES]);

void rt_hmac_sha256(const uint8_t *key, size_t keylen, const void *p, size_t n,
                    uint8_t out[RT_SHA256_BYTES]);

/* Lower-case hex of n bytes into out (2n+1 bytes with the NUL). */
void rt_hex(const uint8_t *bytes, size_t n, char *out);
/* Compares without an early exit, so timing does not leak the MAC. */
int rt_consttime_equal(const uint8_t *a, const uint8_t *b, size_t n);

#endif
