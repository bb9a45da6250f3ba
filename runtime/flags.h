/* flags: imap4flags flag lists (RFC 5232), as strings of space-separated
 * flag names kept in variables and in the run's internal flags variable.
 *
 * RFC 5232 3 makes every flag action work on the list of flags a string
 * holds: split at spaces, duplicates removed. Names compare ASCII
 * case-insensitively, system flags ("\Seen") and keywords ("$Junk") alike,
 * as IMAP servers and Pigeonhole 0.5.19 do (checked: setflag
 * "$Foo \\Seen $foo \\SEEN" keeps "$Foo \Seen"; removeflag "$junk"
 * removes "$Junk"). The first spelling of a flag is the one kept.
 *
 * Limits (untrusted scripts): a resulting list holds at most
 * RT_FLAGS_MAX flags and RT_FLAGS_MAX_BYTES bytes (Pigeonhole's variable
 * size); flags beyond are dropped, never an error, so the cost of one
 * operation is bounded by (input tokens) x RT_FLAGS_MAX comparisons.
 *
 * Every result lives in the caller's arena; inputs are never modified.
 * Pure functions: thread-safe with one arena per thread.
 */
#ifndef SIEVE_RT_FLAGS_H
#define SIEVE_RT_FLAGS_H

#include <stdbool.h>
#include <stddef.h>

#include "rt_arena.h"
#include "rt_str.h"

#define RT_FLAGS_MAX 256u
#define RT_FLAGS_MAX_BYTES 4096u

typedef enum rt_flags_op {
    RT_FLAGS_SET,      /* the list becomes the given flags (RFC 5232 3.1) */
    RT_FLAGS_ADD,      /* union (3.2) */
    RT_FLAGS_REMOVE,   /* difference (3.3) */
} rt_flags_op;

/* Applies op to the list cur with the n strings in: each string is itself
 * a space-separated list. *out_r is normalised: single spaces, no
 * duplicates, no leading/trailing space. Flags of `in` that an IMAP store
 * would refuse (rt_flags_storable: "\Recent", "\Bogus", "bad(x", a TAB
 * inside) are dropped by SET and ADD, while the flags already in cur stay
 * as they are, as Pigeonhole 0.5.19 does (checked: setflag "w" "\\Bogus
 * bad(x \\Recent ok" leaves "ok"; addflag to a variable `set` to
 * "\\Bogus x y" keeps "\Bogus"). False only when the arena is exhausted. */
bool rt_flags_apply(rt_arena *a, rt_str cur, rt_flags_op op, const rt_str *in, size_t n,
                    rt_str *out_r);

/* Next flag of s from *pos (advanced past it); false at the end. */
bool rt_flags_next(rt_str s, size_t *pos, rt_str *flag_r);

/* Same flag name (ASCII case-insensitive). */
bool rt_flags_same(rt_str x, rt_str y);

/* Whether an IMAP store may set this flag (RFC 3501 9 flag syntax, RFC
 * 5232 3: "\Recent" cannot be set): one of the five settable system flags
 * in any case, or a keyword atom (no atom-specials, CTL or 8-bit). */
bool rt_flags_storable(rt_str flag);

#endif
