/* ext_mime: the run-time half of RFC 5703 (foreverypart, the :mime
 * options of header/address/exists, extracttext), internal to libsieve-rt.
 *
 * The message's MIME structure comes from mime.c (rt_mime_parse, bounded by
 * RT_MIME_MAX_DEPTH and RT_MIME_MAX_PARTS), parsed once per message on
 * first use. A foreverypart loop is a frame on a fixed stack in the run
 * (RT_LOOP_MAX deep; deeper is a run-time error, never an overrun):
 *   - the outermost loop visits every part in document order, the message
 *     itself first (part 0), encapsulated messages and their parts
 *     included, as Pigeonhole does;
 *   - a nested loop visits the parts below the enclosing loop's current
 *     part (not that part itself).
 * Tests with :mime look at the current part's header (the message header
 * outside any loop); with :anychild at the current part and every part
 * below it (outside any loop: every part of the message, as RFC 5703 4.1
 * says and Pigeonhole's own test suite expects; Debian's sieve-test 0.5.19
 * matched nothing there and lost track of the subtree inside loops in our
 * trials, which we do not copy). Tests without :mime always
 * see the message header.
 *
 * A host may replace the message while a loop runs (sieve-testsuite's
 * test_set): the loops go on over the old part numbers but stop where the
 * new message's parts end, and a part that is gone has no header and no
 * text; nothing reads past either message.
 *
 * replace and enclose (RFC 5703 5, 6) are result actions for the caller:
 * replace records the part it replaces (rt_mime_current_part), enclose its
 * header lines, checked to be header fields so a variable cannot inject
 * lines.
 *
 * Memory: part header views and values live in the run's arena; nothing
 * is allocated outside it. Thread-safety: as the rt_run it works on.
 */
#ifndef SIEVE_RT_EXT_MIME_H
#define SIEVE_RT_EXT_MIME_H

#include <stdint.h>

#include "exec.h"

/* ops->loop_begin/next/end (sieve/abi.h). */
int32_t rt_mime_loop_begin(rt_run *r, uint32_t loop);
int32_t rt_mime_loop_next(rt_run *r, uint32_t loop);
int32_t rt_mime_loop_end(rt_run *r, uint32_t loop);

/* header (address false) / address (true) with SIEVE_TF_MIME. */
int32_t rt_mime_test_fields(rt_run *r, const rt_ptest *t, bool address);
/* exists with SIEVE_TF_MIME: true when every named field is in one of the
 * parts considered (not necessarily the same one). */
int32_t rt_mime_test_exists(rt_run *r, const rt_ptest *t);
/* SIEVE_ACT_EXTRACTTEXT (RFC 5703 7). */
int32_t rt_mime_extracttext(rt_run *r, const uint32_t *rec);

/* The MIME part foreverypart is at (document order); 0 outside loops. */
uint32_t rt_mime_current_part(const rt_run *r);
/* enclose :headers: the expanded list as act->headers (RFC 5703 6);
 * lines that are not "Name: value" are run-time errors. */
int32_t rt_mime_header_lines(rt_run *r, uint32_t list, uint32_t line, sieve_action *act);

/* The first n characters (not bytes) of UTF-8 text s: never splits a
 * character (RFC 5703 7 counts characters). */
rt_str rt_mime_first_chars(rt_str s, uint64_t n);

#endif
