/* regex: the :regex match type (draft-ietf-sieve-regex-01) on TRE.
 *
 * Patterns are POSIX extended regular expressions, matched leftmost-longest
 * with POSIX submatch rules (TRE's parallel matcher: time linear in the
 * value for a given pattern). Patterns are compiled once per loaded filter.
 * The runtime trusts nothing the compiler checked: it refuses patterns
 * longer than RT_REGEX_MAX_LEN, back-references (they would force TRE's
 * exponential backtracking matcher), TRE's approximate-matching syntax, and
 * bounded repetitions that expand beyond RT_REGEX_MAX_EXPANSION atoms
 * (TRE copies each repeated atom, so "((a{255}){255}){255}" would take
 * gigabytes at compile time).
 * Speed: the literals every match must contain (regex_prefilter.h) are
 * searched first; a value without them does not reach TRE. A pattern no
 * match of which can contain a line feed or depends on its context (no ".",
 * no negated or space/control classes, no escaped letters, no anchors) is
 * matched only on the lines holding one of those literals, which gives the
 * same leftmost match and submatches.
 * i;ascii-casemap compiles with REG_ICASE; i;octet matches bytes as they
 * are. TRE works on bytes as long as the process keeps the C locale
 * (MB_CUR_MAX == 1), which the runtime assumes: "." is one octet, as in
 * Pigeonhole with the system regex library in Dovecot's C locale.
 *
 * Memory: an rt_regex is on the heap (TRE allocates its automaton there),
 * freed by rt_regex_free. rt_regex_exec itself allocates TRE's working
 * state for the duration of the call (TRE's own malloc; released before it
 * returns), so :regex is the one match type that touches the heap per
 * message.
 * Thread-safety: a compiled rt_regex is read-only after rt_regex_compile;
 * TRE's regexec keeps all match state in per-call memory and never writes
 * the compiled automaton, so one rt_regex may be matched from many threads
 * at once.
 */
#ifndef SIEVE_RT_REGEX_H
#define SIEVE_RT_REGEX_H

#include <stdbool.h>
#include <stddef.h>

#include "rt_arena.h"
#include "rt_str.h"

#define RT_REGEX_MAX_LEN 4096u
#define RT_REGEX_MAX_EXPANSION 20000u

typedef struct rt_regex rt_regex;

enum {
    RT_REGEX_ICASE = 1,  /* i;ascii-casemap */
};

/* Compiles pattern[0..len). NULL on refusal or error, with a message in err
 * (NUL-terminated, when errsize > 0). */
rt_regex *rt_regex_compile(const char *pattern, size_t len, int flags,
                           char *err, size_t errsize);
void rt_regex_free(rt_regex **re_r);

/* Parenthesised groups in the pattern. */
size_t rt_regex_ngroups(const rt_regex *re);

/* Matches anywhere in value (not anchored unless the pattern says so).
 * Returns 1 on a match, 0 on none, -1 when TRE fails (out of memory).
 * When caps is not NULL, caps[0] is the whole match and caps[i] group i,
 * for i < ncaps; groups that did not take part are empty strings; *nset_r
 * (when not NULL) gets min(ncaps, groups + 1). The strings point into value. */
int rt_regex_exec(const rt_regex *re, rt_str value, rt_str *caps, size_t ncaps,
                  size_t *nset_r);

/* Escapes every POSIX ERE metacharacter ( \ . [ ] ( ) { } * + ? ^ $ | ) with
 * a backslash, for the :quoteregex modifier of the variables extension
 * (draft-ietf-sieve-regex-01 4). */
bool rt_regex_quote(rt_arena *a, rt_str in, rt_str *out_r);

#endif
