/* rfc2047: decoding of MIME encoded words (RFC 2047) in header text.
 *
 * Works on unfolded header values (unstructured text such as Subject) and
 * on phrases (display names, after the address parser removed the quotes).
 * The result is always valid UTF-8 in the caller's arena; the input is
 * never modified. Nothing here fails on bad input: a malformed encoded
 * word stays as it was written, undecodable bytes become U+FFFD.
 *
 * What is decoded follows Dovecot (Pigeonhole's message layer), checked
 * with Pigeonhole 0.5.19:
 *   - "=?charset?Q|B?text?=" is recognised anywhere, even inside a word
 *     ("abc=?utf-8?q?x?=def" reads "abcxdef"); text runs to the next '?'
 *     and may hold spaces;
 *   - whitespace between two encoded words is dropped (RFC 2047 6.2);
 *   - B text without padding is accepted; decoding stops at a bad base64
 *     character and keeps what came before;
 *   - plain text between words is kept, raw 8-bit bytes in it are taken as
 *     UTF-8 and invalid ones replaced;
 *   - the result holds no NUL: a raw NUL byte (run) becomes U+FFFD, a NUL
 *     that decoding produced becomes a space (both as in Pigeonhole), so
 *     decoded values are safe as C strings.
 * Beyond Dovecot 2.3: the RFC 2231 language suffix ("iso-8859-1*sv") is
 * honoured, and adjacent words in the same charset are converted together,
 * so a character split across two words decodes (RFC 2047 section 5 forbids
 * the split, real mailers do it).
 *
 * Thread-safe (state is per call; charset conversion caches per thread).
 */
#ifndef SIEVE_RT_RFC2047_H
#define SIEVE_RT_RFC2047_H

#include <stdbool.h>
#include <stddef.h>

#include "rt_arena.h"
#include "rt_str.h"

/* Longest charset token (with any *lang suffix) taken as an encoded word. */
#define RT_RFC2047_CHARSET_MAX 64

/* Decodes in[0..len) into *out_r (UTF-8). When there is nothing to decode
 * and the input is valid UTF-8, *out_r points at the input (no copy, not
 * NUL-terminated); otherwise it is a NUL-terminated arena copy. Returns
 * false only when the arena is exhausted (*out_r is then empty). */
bool rt_rfc2047_decode(rt_arena *a, const char *in, size_t len, rt_str *out_r);

/* True when in[0..len) contains "=?", i.e. decoding may change it. */
bool rt_rfc2047_has_encoded(const char *in, size_t len);

#endif
