/* mac: the keyed MAC that marks a shared object as written by sievec.
 *
 * The tag is HMAC-SHA256 over every byte of the file before the trailer;
 * the trailer (40 bytes) is appended to the ELF file, which ELF loaders
 * ignore:  tag (32 bytes) | "SIEVEMAC" (8 bytes).
 * sievec signs with rt_mac_sign_file; the loader verifies the bytes it read
 * (and later maps through the same descriptor) with rt_mac_verify.
 * Stateless and thread-safe.
 */
#ifndef SIEVE_RT_MAC_H
#define SIEVE_RT_MAC_H

#include <stddef.h>
#include <stdint.h>

#define RT_MAC_MAGIC "SIEVEMAC"
#define RT_MAC_MAGIC_LEN 8
#define RT_MAC_TAG_LEN 32
#define RT_MAC_TRAILER_LEN (RT_MAC_TAG_LEN + RT_MAC_MAGIC_LEN)

/* Appends the trailer to the file at path (not yet signed). */
int rt_mac_sign_file(const char *path, const uint8_t key[32], char *err, size_t errlen);
/* 0 when buf ends with a valid trailer for key; *payload_len_r gets the
 * length without it. -1 with a message (no trailer, wrong key or altered
 * file) otherwise. */
int rt_mac_verify(const void *buf, size_t len, const uint8_t key[32], size_t *payload_len_r,
                  char *err, size_t errlen);

#endif
