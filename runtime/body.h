/* body: the strings a "body" test (RFC 5173) compares its keys against.
 *
 * A body transform is prepared once per test at load time
 * (rt_body_spec_new); per message the generated code walks the selected
 * strings with an iterator and hands each one to rt_match_value():
 *
 *     rt_body_iter it;
 *     rt_str s;
 *     int r;
 *     rt_body_begin(&it, arena, mime, spec);
 *     while ((r = rt_body_next(&it, &s)) > 0)
 *         if (rt_match_value(keys, arena, s, NULL) == RT_MATCH_YES) ...
 *     if (r < 0) ... run-time error (arena exhausted)
 *
 * What each transform yields (RFC 5173 5, checked against Pigeonhole 0.5.19):
 *   :raw      the message body after the header, undecoded, as one string;
 *   :content  for every MIME part whose type matches one of the listed
 *             types ("" matches every part, "text" every text/..., and
 *             "text/html" only that; case-insensitive), in document order:
 *               multipart:      its preamble and its epilogue, as two
 *                               strings (nested parts only when their own
 *                               type matches, RFC 5173 5.2);
 *               message/rfc822: the header of the encapsulated message
 *                               (its body only when its own type matches);
 *               anything else:  the content, transfer-decoded, and for
 *                               text parts converted to UTF-8;
 *   :text     (the default transform) every text part, decoded and in
 *             UTF-8; text/html is reduced to its text (tags, comments,
 *             script and style removed, common entities decoded), as
 *             Pigeonhole does.
 * Parts whose Content-Transfer-Encoding is unknown are application/
 * octet-stream (RFC 2045 6.4), so :text never sees them.
 *
 * Memory: a spec lives in the arena it was made in (the filter's load
 * arena); decoded text goes to the message arena and is cached in the
 * rt_mime, so several body tests decode each part once.
 * Thread-safety: a spec is read-only after creation (shareable); an
 * iterator and its rt_mime belong to one thread.
 */
#ifndef SIEVE_RT_BODY_H
#define SIEVE_RT_BODY_H

#include <stdbool.h>
#include <stddef.h>

#include "mime.h"
#include "rt_arena.h"
#include "rt_str.h"

typedef enum rt_body_transform {
    RT_BODY_RAW,
    RT_BODY_CONTENT,
    RT_BODY_TEXT,
} rt_body_transform;

typedef struct rt_body_type {
    rt_str type;     /* lower case; "" matches every part */
    rt_str subtype;  /* lower case; "" matches every subtype */
} rt_body_type;

typedef struct rt_body_spec {
    rt_body_transform transform;
    size_t ntypes;
    const rt_body_type *types;
} rt_body_spec;

/* types/ntypes: the :content list (ignored for the other transforms).
 * NULL when the arena is exhausted. */
rt_body_spec *rt_body_spec_new(rt_arena *a, rt_body_transform transform,
                               const rt_str *types, size_t ntypes);

/* True when part p is selected by a :content type list. */
bool rt_body_type_matches(const rt_body_spec *spec, const rt_mime_part *p);

typedef struct rt_body_iter {
    rt_arena *arena;
    rt_mime *mime;
    const rt_body_spec *spec;
    size_t part;   /* next part to look at */
    int stage;     /* within a part: 0 first string, 1 second (epilogue) */
    bool done;
} rt_body_iter;

/* mime: from rt_mime_parse over the whole message. */
void rt_body_begin(rt_body_iter *it, rt_arena *a, rt_mime *mime, const rt_body_spec *spec);
/* 1: *text_r is the next string; 0: no more; -1: arena exhausted. */
int rt_body_next(rt_body_iter *it, rt_str *text_r);

/* Text of an HTML document (what :text searches for text/html). */
bool rt_body_html_to_text(rt_arena *a, rt_str html, rt_str *out_r);

#endif
