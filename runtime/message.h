/* message: the runtime's read-only view of one message (header fields,
 * body bytes, size) and of its SMTP envelope.
 *
 * Ownership: the message bytes belong to the caller and must stay unchanged
 * until the arena is reset; nothing here copies them except values that need
 * rewriting (unfolding, decoding), which go to the per-message arena. An
 * rt_hdr_set is built once per loaded filter from the header names the
 * script uses as constants, is immutable afterwards and may be shared by any
 * number of threads. An rt_msg lives in one arena and is used by one thread.
 *
 * Cost model: rt_msg_open() makes one pass over the header block. It finds
 * where the header ends and records, for every field whose name is in the
 * set, where it is (a chain per name, in order of appearance, and a count).
 * Nothing else is done per field until a script asks: the unfolded value
 * and the RFC 2047-decoded value are built on first use and cached in the
 * field, so a value is decoded at most once per message. Names not in the
 * set (names computed from variables) are found by rescanning the header
 * block. With a warm arena and warm charset cache none of this calls malloc.
 * rt_msg_open() also caps the iconv_open calls the message may cause on this
 * thread (rt_charset_limit_opens), so one message is processed by one thread
 * at a time, from rt_msg_open() on.
 *
 * Parsing follows RFC 5322 section 2.2 with the tolerance real mail needs:
 *   - a line ends at LF; a CR right before the LF belongs to the line end,
 *     any other CR is an ordinary byte;
 *   - the header ends at the first empty line (LF or CRLF); a message
 *     without one is all header; a message starting with an empty line has
 *     no header;
 *   - a line starting with SP or HTAB continues the field before it (RFC 5322
 *     2.2.3); one that does not follow a field is ignored;
 *   - a line without a colon, or with nothing before it, is ignored (it is
 *     not a field and does not end the header); names are not otherwise
 *     checked ("Bad Name: x" is the field "Bad Name", as in Dovecot);
 *   - the obsolete "Name :" (RFC 5322 4.5) is the field "Name";
 *   - NUL and 8-bit bytes are kept as they are in raw values and in
 *     rt_hdr_value(); rt_hdr_value_utf8() holds valid UTF-8 without NUL;
 *     no line length limit.
 *
 * Values (what Sieve tests compare, checked against Pigeonhole 0.5.19): the
 * field body unfolded by removing each CRLF/LF (the whitespace after it
 * stays, RFC 5322 2.2.3) except that a TAB starting a continuation line
 * becomes a space, as in Dovecot; leading and trailing whitespace removed,
 * since RFC 5228 5.7 has the header test match "the value of any of the
 * named headers, ignoring leading and trailing whitespace". (Pigeonhole
 * keeps whitespace that follows a fold placed right after the colon:
 * "X:\n\tv" is " v" there, "v" here, as the RFC text says.)
 */
#ifndef SIEVE_RT_MESSAGE_H
#define SIEVE_RT_MESSAGE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "rt_arena.h"
#include "rt_str.h"

/* Most names one header set holds; more is a bug in the compiler. */
#define RT_HDR_SET_MAX 4096
/* Longest header name the set accepts. */
#define RT_HDR_NAME_MAX 256

/* ---- header set: once per loaded filter ----------------------------- */

typedef struct rt_hdr_set rt_hdr_set;

/* names[i] gets id i (lens may be NULL for NUL-terminated names); ids of a
 * name repeated case-insensitively are aliases (same fields); lookups by
 * name return the first one. NULL
 * when out of memory, n > RT_HDR_SET_MAX, or a name is empty or longer than
 * RT_HDR_NAME_MAX. */
rt_hdr_set *rt_hdr_set_new(const char *const *names, const size_t *lens,
                           size_t n);
void rt_hdr_set_free(rt_hdr_set **set_r);
/* The id of name (case-insensitive), or -1. */
int rt_hdr_set_id(const rt_hdr_set *set, const char *name, size_t len);
size_t rt_hdr_set_size(const rt_hdr_set *set);

/* ---- envelope: filled by the caller --------------------------------- */

/* Addresses as given in the SMTP dialogue (RFC 5321 paths, with or without
 * angle brackets, "<>" for the null reverse-path); an empty p means "not
 * known" (has_* false). Parse them with rt_addr_parse_path(). The strings
 * belong to the caller. */
typedef struct rt_envelope {
    rt_str mail_from;     /* MAIL FROM reverse-path */
    rt_str rcpt_to;       /* RCPT TO forward-path of the recipient being run */
    rt_str orig_rcpt;     /* ORCPT (RFC 3461), xtext-decoded, addr-type removed */
    rt_str auth;          /* AUTH= identity of MAIL FROM (RFC 4954), or SASL login */
    bool has_mail_from, has_rcpt_to, has_orig_rcpt, has_auth;
} rt_envelope;

/* ---- message --------------------------------------------------------- */

typedef struct rt_msg rt_msg;

/* One header field. Fields of the index live until the arena is reset;
 * the cache members are private to this module. */
typedef struct rt_hdr_field {
    const char *name;       /* as written, trailing WSP before ':' removed */
    size_t name_len;
    const char *raw;        /* after the ':' to the end of the field's last
                               line, folding kept, final line end excluded */
    size_t raw_len;
    int32_t id;             /* header set id, or -1 */
    uint32_t next;          /* private: next field with the same id */
    uint32_t flags;         /* private: cache state */
    rt_str value;           /* private: cached unfolded value */
    rt_str decoded;         /* private: cached decoded value */
    const struct rt_addr *addrs;  /* private: cached address list */
    size_t naddrs;
} rt_hdr_field;

/* Parses the header block of data[0..size) (not copied; must outlive the
 * arena's current cycle). set may be NULL (then every lookup scans).
 * Returns NULL only when the arena is exhausted. */
rt_msg *rt_msg_open(rt_arena *a, const rt_hdr_set *set, const char *data,
                    size_t size);

/* The header block of a MIME part of the message being run (RFC 5703
 * :mime): a view as rt_msg_open(a, NULL, ...) gives, sharing the
 * message's charset budget instead of starting a new one. */
rt_msg *rt_msg_open_part(rt_arena *a, const char *data, size_t size);

rt_arena *rt_msg_arena(const rt_msg *m);
/* The header block including the line end of its last line, without the
 * empty separator line; and the body after the separator (empty when there
 * is none). Slices of the caller's bytes. */
rt_str rt_msg_header_block(const rt_msg *m);
rt_str rt_msg_body(const rt_msg *m);
/* Every field in the header, not just indexed ones. */
size_t rt_msg_field_total(const rt_msg *m);

/* RFC 5228 5.9 size. By default the number of octets handed to
 * rt_msg_open(), as Pigeonhole does (sieve-test counts the file's bytes, LF
 * line ends and all: 29 for a 4-line LF message whose CRLF form has 33).
 * The milter hands over the message as received, in CRLF form, which is
 * the size as delivered; a caller that knows better (an ESMTP SIZE, a
 * stored message with LF line ends) sets it or uses rt_msg_size_crlf(). */
uint64_t rt_msg_size(const rt_msg *m);
void rt_msg_set_size(rt_msg *m, uint64_t size);
/* The size with every bare LF counted as CRLF (RFC 5321 2.3.8 wire form). */
uint64_t rt_msg_size_crlf(const rt_msg *m);

/* Number of fields with the set's name id (0 for a bad id). */
size_t rt_msg_hdr_count(const rt_msg *m, int id);
/* Same for any name (indexed when in the set, else a scan). */
size_t rt_msg_hdr_count_name(rt_msg *m, const char *name, size_t len);

/* Iterates the fields of one name in order of appearance. The iterator
 * lives on the caller's stack; a field it returns stays valid until the
 * next call for scanned (non-set) names, until arena reset for set names. */
typedef struct rt_hdr_iter {
    rt_msg *m;
    int id;                 /* >= 0: walk the index */
    uint32_t next;
    const char *name;       /* scan mode */
    size_t name_len;
    size_t pos;
    rt_hdr_field tmp;
} rt_hdr_iter;

void rt_msg_hdr_iter_id(rt_msg *m, int id, rt_hdr_iter *it);
void rt_msg_hdr_iter_name(rt_msg *m, const char *name, size_t len,
                          rt_hdr_iter *it);
/* Every field (any name), in order; uses scan mode. */
void rt_msg_hdr_iter_all(rt_msg *m, rt_hdr_iter *it);
rt_hdr_field *rt_hdr_iter_next(rt_hdr_iter *it);

/* The unfolded, trimmed value (raw bytes, may hold 8-bit and NUL). Often a
 * slice of the message, so not NUL-terminated. Cached per field. Returns
 * false only when the arena is exhausted. */
bool rt_hdr_value(rt_msg *m, rt_hdr_field *f, rt_str *out_r);
/* The value with RFC 2047 words decoded, as valid UTF-8 (raw 8-bit bytes
 * that are not UTF-8 become U+FFFD), trailing SP/TAB produced by decoding
 * removed as Pigeonhole does. Cached per field. Not necessarily
 * NUL-terminated. Address headers are parsed from rt_hdr_value instead. */
bool rt_hdr_value_utf8(rt_msg *m, rt_hdr_field *f, rt_str *out_r);

/* The addresses of the field as the Sieve address test sees them
 * (rt_addr_parse_header() on rt_hdr_value()), parsed once per field and
 * cached. *v_r stays valid until the arena is reset. */
struct rt_addr;
bool rt_hdr_addresses(rt_msg *m, rt_hdr_field *f, const struct rt_addr **v_r,
                      size_t *n_r);

/* Convenience: first field of the name, NULL when absent. */
rt_hdr_field *rt_msg_hdr_first(rt_msg *m, const char *name, size_t len);

#endif
