/* address: parsing of mail addresses in header fields (RFC 5322 3.4 and the
 * obsolete forms of 4.4) and in the SMTP envelope (RFC 5321 4.1.2), and
 * extraction of the address parts Sieve compares (RFC 5228 2.7.4, RFC 5233).
 *
 * Input is an unfolded header value (rt_hdr_value) or an envelope path;
 * results live in the caller's arena and may point into the input, which
 * must stay valid as long as the results are used. Nothing fails on bad
 * input: what can be parsed is returned, the rest comes back as entries
 * marked invalid with the text they were made of. Thread-safe (no state).
 *
 * What the address test sees follows Pigeonhole 0.5.19 (checked with its
 * trace output); rt_addr_parse_header() implements that policy:
 *   - when the value holds at least one valid address, only the valid ones
 *     are returned (invalid pieces between commas are dropped);
 *   - when it holds none but is not empty, one invalid entry whose raw text
 *     is the whole value: :all yields that text, :localpart/:domain/:user/
 *     :detail yield nothing (RFC 5228 5.1: not syntactically valid, so not
 *     matched);
 *   - at most RT_ADDR_HEADER_MAX entries (valid or not) are parsed per
 *     value, the rest ignored (Pigeonhole's limit: 256);
 *   - an empty value gives one entry marked RT_ADDR_NULL, every part of
 *     which is the empty string (Pigeonhole matches "" for :all and
 *     :localpart there);
 *   - a value with only comments or separators gives no entry at all;
 *   - junk right after a complete mailbox or group ("x@y@z, a@b",
 *     "a@b c@d", "G: a@b; H: c@d") ends the list: what came before is kept,
 *     the rest dropped; an unparsable piece between commas is skipped and
 *     parsing goes on after the comma.
 * Deliberate differences, where RFC 5322 allows what Dovecot refuses:
 * comments and whitespace inside an addr-spec ("a(x)@b", "joe . \"s\" @ x")
 * parse as CFWS. Dovecot reads "<a,b@c.d>" as b@c.d; here it is invalid.
 * Like Pigeonhole, a local part with 8-bit bytes makes the address invalid
 * (SMTP local parts are ASCII), while 8-bit domains and display names are
 * accepted. Parse the raw (undecoded) value: RFC 2047 words are only
 * decoded in the display name (rt_addr_display_name), never before parsing,
 * so decoded text cannot inject specials.
 *
 * Local parts are returned unquoted (quoted-pairs resolved): :localpart of
 * "\"john doe\"@example.org" is "john doe"; :all re-quotes a local part that
 * is not a dot-atom ("\"john doe\"@example.org"), as Pigeonhole does.
 * Domains are returned without CFWS, literals with their brackets; case is
 * left alone (comparison is the comparator's job).
 */
#ifndef SIEVE_RT_ADDRESS_H
#define SIEVE_RT_ADDRESS_H

#include <stdbool.h>
#include <stddef.h>

#include "rt_arena.h"
#include "rt_str.h"

enum {
    RT_ADDR_VALID = 1u << 0,  /* local part and domain parsed */
    RT_ADDR_NULL  = 1u << 1,  /* "<>" path or empty value: all parts "" */
    RT_ADDR_GROUP = 1u << 2,  /* group marker (raw: the group's name) */
};

/* Entries rt_addr_parse_header() parses from one value at most. */
#define RT_ADDR_HEADER_MAX 256

typedef struct rt_addr {
    rt_str local_part;        /* unquoted; valid entries only */
    rt_str domain;            /* valid entries only; "" for a path without one */
    rt_str raw;               /* the entry as written, trimmed */
    rt_str phrase;            /* display name as written (undecoded), or empty */
    unsigned flags;
} rt_addr;

typedef struct rt_addr_list {
    rt_addr *v;
    size_t n;
} rt_addr_list;

/* Every entry of an RFC 5322 address-list (mailboxes, group markers and
 * invalid pieces), in order. Returns false only when the arena is
 * exhausted. */
bool rt_addr_parse_list(rt_arena *a, const char *in, size_t len,
                        rt_addr_list *out_r);

/* The list the Sieve address test iterates (policy above). */
bool rt_addr_parse_header(rt_arena *a, const char *in, size_t len,
                          rt_addr_list *out_r);

/* An SMTP path (RFC 5321 4.1.2) as the envelope test sees it: always one
 * entry. "<>" (or an empty string) is the null path (RT_ADDR_NULL, RFC 5228
 * 5.4: matched as "" whatever the address part). Angle brackets may be
 * missing; a source route ("<@a,@b:u@d>") is skipped; "<Postmaster>" without
 * a domain is valid with an empty domain (RFC 5321 4.5.1). Anything else
 * unparsable is one invalid entry. */
bool rt_addr_parse_path(rt_arena *a, const char *in, size_t len,
                        rt_addr_list *out_r);

typedef enum rt_addr_part {
    RT_ADDR_PART_ALL,
    RT_ADDR_PART_LOCALPART,
    RT_ADDR_PART_DOMAIN,
    RT_ADDR_PART_USER,        /* RFC 5233 */
    RT_ADDR_PART_DETAIL,
} rt_addr_part;

/* Default RFC 5233 separator (Pigeonhole's recipient_delimiter default). */
#define RT_ADDR_DEFAULT_DELIMS "+"

/* The value of an address part, in *out_r (may point into the input or be
 * an arena copy). Returns false when the part has no value, so nothing may
 * match it: :localpart/:domain/:user/:detail of an invalid entry, and
 * :detail of a local part without a separator (RFC 5233 section 4; an
 * empty detail, "user+@d", is the empty string and returns true). delims
 * is a set of separator characters (NULL or empty: "+"); the local part is
 * split at the first occurrence of any of them. Arena exhaustion also
 * returns false. */
bool rt_addr_get_part(rt_arena *a, const rt_addr *ad, rt_addr_part part,
                      const char *delims, size_t delims_len, rt_str *out_r);

/* The display name with quotes and comments removed, whitespace runs
 * collapsed, RFC 2047 words decoded; UTF-8. Empty when there is none. */
bool rt_addr_display_name(rt_arena *a, const rt_addr *ad, rt_str *out_r);

#endif
