/* mime: the MIME structure of one message (RFC 2045, RFC 2046) and the
 * decoding of its parts, for the body test (RFC 5173) and friends.
 *
 * rt_mime_parse() makes one pass over the message and returns its parts in
 * document order (pre-order): part 0 is the message itself, a multipart's
 * children follow it, a message/rfc822 part is followed by the encapsulated
 * message as its one child. Nothing is decoded until asked
 * (rt_mime_decoded), and each part is decoded at most once per message.
 *
 * Real mail is taken as it comes, never refused:
 *   - lines end at LF (a CR before it belongs to the line end); a header
 *     block ends at the first empty line; without one the entity is all
 *     header and its body is empty (as the message model does);
 *   - a missing or unparsable Content-Type is text/plain (RFC 2045 5.2),
 *     message/rfc822 inside multipart/digest (RFC 2046 5.1.5);
 *   - a multipart without a boundary parameter, or whose boundary never
 *     occurs, has no children: its whole body is preamble; one without a
 *     close delimiter ends at the end of its body (and, nested, at the
 *     enclosing part's next delimiter, since each level only sees its own
 *     part's bytes); a delimiter line is "--" boundary, optionally "--",
 *     then only spaces or tabs (RFC 2046 5.1.1), so a longer boundary that
 *     starts with a shorter one does not end the outer part;
 *   - a delimiter line of a multipart's own boundary inside its header ends
 *     the header there (Dovecot does the same; some mail omits the empty
 *     line before the first part); raw_body still follows the plain rule;
 *   - two Content-Type fields: the first counts (as Dovecot);
 *   - nesting deeper than RT_MIME_MAX_DEPTH, or parts beyond
 *     RT_MIME_MAX_PARTS, are not split further (their bytes stay in the
 *     enclosing part) and rt_mime.truncated is set;
 *   - Content-Transfer-Encoding is 7bit, 8bit, binary, quoted-printable or
 *     base64 (case, surrounding space and comments ignored); any other value
 *     ("base9000", "8 bit", "quoted printable", "x-uuencode", an empty value)
 *     makes the part application/octet-stream, as RFC 2045 6.4 requires,
 *     and its decoded content empty: Pigeonhole never searches such a body
 *     with any transform but :raw;
 *   - base64 ignores every character outside its alphabet (RFC 2045 6.8)
 *     and stops at padding; leftover bits of a short last group are dropped.
 *     Pigeonhole (Dovecot's decoder) instead stops at the first bad byte;
 *   - quoted-printable: "=XX" (either case), soft line breaks (also with
 *     trailing blanks), trailing blanks on a line removed (RFC 2045 6.7);
 *     a "=" that starts nothing valid is kept as it is;
 *   - parts of type "text" are converted from their charset to UTF-8 with
 *     rt_charset_to_utf8 (unknown charsets are taken as UTF-8, bad bytes
 *     become U+FFFD); other parts stay bytes.
 *
 * Memory: everything (part table, lower-cased types, decoded text) lives in
 * the arena given to rt_mime_parse; part strings point into the message,
 * which must stay unchanged until the arena is reset.
 * Thread-safety: an rt_mime belongs to one message on one thread (decoding
 * fills its cache).
 */
#ifndef SIEVE_RT_MIME_H
#define SIEVE_RT_MIME_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "rt_arena.h"
#include "rt_str.h"

#define RT_MIME_MAX_DEPTH 16
#define RT_MIME_MAX_PARTS 2000

typedef enum rt_mime_cte {
    RT_MIME_CTE_7BIT,
    RT_MIME_CTE_8BIT,
    RT_MIME_CTE_BINARY,
    RT_MIME_CTE_QP,
    RT_MIME_CTE_BASE64,
    RT_MIME_CTE_UNKNOWN,
} rt_mime_cte;

typedef struct rt_mime_part {
    rt_str header;     /* header block, without the empty line after it */
    rt_str body;       /* raw content after the empty line */
    rt_str type;       /* lower case, effective (defaults, RFC 2045 6.4) */
    rt_str subtype;    /* lower case */
    rt_str charset;    /* parameter as written; "" when absent */
    rt_str boundary;   /* multipart: parameter; "" when absent */
    rt_str preamble;   /* multipart: before the first delimiter */
    rt_str epilogue;   /* multipart: after the close delimiter */
    rt_mime_cte cte;
    uint32_t depth;    /* 0 for the message */
    int32_t parent;    /* -1 for the message */
    uint32_t end;      /* index just past this part's subtree */
    bool multipart;    /* type "multipart" (with or without children) */
    bool message;      /* message/rfc822 (or message/global) with its child */
    bool has_body;     /* an empty line ended the header (else body is "") */
    bool decoded_ok;   /* cache below is filled */
    bool text_ok;      /* body.c's :text cache is filled */
    rt_str decoded;
    rt_str text;
} rt_mime_part;

typedef struct rt_mime {
    rt_arena *arena;
    rt_str raw_body;   /* the message body after its header's empty line */
    rt_mime_part *parts;
    size_t nparts;
    bool truncated;    /* a depth or part limit was reached */
} rt_mime;

/* Parses `msg` (the whole message: header and body). NULL only when the
 * arena is exhausted. */
rt_mime *rt_mime_parse(rt_arena *a, rt_str msg);

/* Content of part i with its transfer encoding removed and, for type "text",
 * converted to UTF-8 (cached). A multipart's content is its raw body; a
 * message/rfc822 part's is the encapsulated message as is. Not necessarily
 * NUL-terminated (often a slice of the message). False only when the arena
 * is exhausted (or i is out of range). */
bool rt_mime_decoded(rt_mime *m, size_t i, rt_str *out_r);

/* The transfer-encoding decoders, on their own. */
rt_mime_cte rt_mime_cte_parse(rt_str value);
bool rt_mime_decode_cte(rt_arena *a, rt_mime_cte cte, rt_str in, rt_str *out_r);
bool rt_mime_decode_base64(rt_arena *a, rt_str in, rt_str *out_r);
bool rt_mime_decode_qp(rt_arena *a, rt_str in, rt_str *out_r);

/* Parses a Content-Type value: type and subtype lower-cased into the arena
 * (false and both empty when it is not "token/token"). */
bool rt_mime_content_type(rt_arena *a, rt_str value, rt_str *type_r, rt_str *subtype_r);
/* Value of parameter `name` (case-insensitive) of a Content-Type or
 * Content-Disposition value; quoted strings are unquoted, RFC 2231
 * "name*=charset'lang'%XX" is percent-decoded (charset dropped). Result in
 * the arena or pointing into value. False when absent. */
bool rt_mime_param(rt_arena *a, rt_str value, const char *name, rt_str *out_r);

#endif
