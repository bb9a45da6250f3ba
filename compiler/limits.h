/* limits: every bound the compiler puts on untrusted scripts, in one place.
 *
 * Scripts are written by users and compiled on the server, so each of these
 * turns a would-be crash or unbounded allocation into a clear error (ID
 * "limit-exceeded"). The defaults suit real filters with a wide margin (the
 * project benchmarks a 10,000-rule script); sievec and sieve-lint can change
 * them with --limit NAME=VALUE. Plain data, freely copied.
 */
#ifndef SIEVEC_LIMITS_H
#define SIEVEC_LIMITS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

typedef struct sieve_limits {
    size_t max_script_size;     /* bytes of script text */
    size_t max_string_len;      /* bytes of one decoded string */
    size_t max_nesting;         /* depth of blocks and of nested tests together */
    size_t max_commands;        /* commands in the whole script */
    size_t max_tests;           /* tests in the whole script */
    size_t max_list_items;      /* entries of one string list */
    size_t max_errors;          /* diagnostics kept and shown */
    size_t max_include_depth;   /* nested include (RFC 6609) */
    size_t max_includes;        /* distinct included scripts */
    size_t max_regex_len;       /* bytes of one :regex pattern */
    size_t max_loop_nesting;    /* foreverypart inside foreverypart (RFC 5703 3) */
} sieve_limits;

#define SIEVE_DEFAULT_MAX_SCRIPT_SIZE   (1024u * 1024u)
#define SIEVE_DEFAULT_MAX_STRING_LEN    (256u * 1024u)
#define SIEVE_DEFAULT_MAX_NESTING       32u
#define SIEVE_DEFAULT_MAX_COMMANDS      100000u
#define SIEVE_DEFAULT_MAX_TESTS         100000u
#define SIEVE_DEFAULT_MAX_LIST_ITEMS    10000u
#define SIEVE_DEFAULT_MAX_ERRORS        20u
#define SIEVE_DEFAULT_MAX_INCLUDE_DEPTH 10u
#define SIEVE_DEFAULT_MAX_INCLUDES      255u
#define SIEVE_DEFAULT_MAX_REGEX_LEN     4096u
/* Pigeonhole's bound; the runtime's loop stack holds 16 (more is refused
 * at run time with an error, never overrun). */
#define SIEVE_DEFAULT_MAX_LOOP_NESTING  4u

void sieve_limits_default(sieve_limits *lim);
/* Parses "name=value" (names as in the struct without max_, e.g.
 * "script_size=2M", "nesting=16"; K/M/G suffixes allowed). Returns false and
 * leaves *lim unchanged on a bad name or value. */
bool sieve_limits_set(sieve_limits *lim, const char *assignment);
/* Help text naming every limit and its default, one per line. */
void sieve_limits_print_help(FILE *out);

#endif
