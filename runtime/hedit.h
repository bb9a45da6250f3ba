/* hedit: the text side of editheader (RFC 5293): checking field names and
 * values, building the field an addheader inserts, and rewriting a header
 * block (the message's header fields with their line ends, as
 * rt_msg_header_block() returns it) with a field added or fields removed.
 *
 * The run keeps the edited block in its arena and reopens its message view
 * on it (editheader.c), so tests later in the run see the edits (RFC 5293
 * 3: "tests ... see the modified message"). Nothing here keeps state;
 * results live in the caller's arena. Thread-safe with one arena per thread.
 *
 * Hostile input: field names and values come from variables, so the
 * rules of RFC 5293 4 and RFC 5322 2.2 are enforced here, before any byte
 * reaches the block: a value never holds NUL (an error), a line end only
 * as a fold (a line end followed by SP or HTAB; other line ends are
 * removed, so a value cannot start a field or end the header), 8-bit text
 * only as valid UTF-8, written as RFC 2047 encoded-words (RFC 5293 4);
 * the length is bounded. What Pigeonhole 0.5.19 does with the same values
 * was checked with sieve-test: it joins "a\nBcc: x" into "aBcc: x", drops
 * a trailing line end and bytes that are not UTF-8, keeps folds.
 */
#ifndef SIEVE_RT_HEDIT_H
#define SIEVE_RT_HEDIT_H

#include <stdbool.h>
#include <stddef.h>

#include "rt_arena.h"
#include "rt_str.h"

/* Longest value addheader accepts (Pigeonhole's editheader_max_header_size
 * default is 2048 for the whole field; we bound the value alone). */
#define RT_HEDIT_MAX_VALUE 2048u
/* Longest field name: RFC 5322 sets none; the header index caps names at
 * RT_HDR_NAME_MAX (message.h), and so do we. */
#define RT_HEDIT_MAX_NAME 256u

typedef enum rt_hedit_status {
    RT_HEDIT_OK = 0,
    RT_HEDIT_NOMEM,
    RT_HEDIT_BAD_VALUE,    /* NUL */
    RT_HEDIT_TOO_LONG,
} rt_hedit_status;

/* RFC 5322 3.6.8: field-name = 1*ftext, ftext = %d33-57 / %d59-126. */
bool rt_hedit_name_ok(rt_str name);

/* The line end the block uses ("\r\n" when its first line ends in CRLF,
 * else "\n"; "\r\n" for an empty block). */
const char *rt_hedit_eol(rt_str block);

/* "Name: value" + eol, the value normalised as above (trailing whitespace
 * and line ends removed, folds rewritten with eol); a value with 8-bit
 * UTF-8 is unfolded and written as encoded-words ("=?UTF-8?B?...?=", RFC
 * 2047 2, at most 75 bytes each, never splitting a character) on folded
 * lines of at most 78 characters. */
rt_hedit_status rt_hedit_field(rt_arena *a, rt_str name, rt_str value, const char *eol,
                               rt_str *field_r);

/* The block with field inserted first, or last (RFC 5293 4 :last). A block
 * whose last line lacks a line end gets one first. */
bool rt_hedit_insert(rt_arena *a, rt_str block, rt_str field, bool last, rt_str *out_r);

/* The block without the byte ranges [start[i], end[i]) (ascending, not
 * overlapping, inside the block). */
bool rt_hedit_cut(rt_arena *a, rt_str block, const size_t *start, const size_t *end, size_t n,
                  rt_str *out_r);

/* Whether editheader may not touch field `name`. RFC 5293 lets an
 * implementation protect fields; like Pigeonhole 0.5.19 (checked with
 * sieve-test), deleting Received or Auto-Submitted is always refused
 * while adding them is allowed, and a name in `extra` (a
 * space-separated list, NULL for none: sieve_settings.editheader_protected)
 * can be neither added nor deleted. ASCII case-insensitive. */
bool rt_hedit_protected(rt_str name, const char *extra, bool deleting);

#endif
