/* extlist: external lists (RFC 6134 extlists) for the offline tools,
 * read from files: `--list=URI=FILE` defines the list URI (":x" is short
 * for "urn:ietf:params:sieve:x", RFC 6134 2.1) with one member per line
 * of FILE (CR LF or LF; empty lines and lines starting with '#' are
 * skipped). xl_exists and xl_contains are sieve_lists callbacks (data:
 * the xl_table); members compare ASCII case-insensitively, as addresses
 * do by default. Not thread-safe while adding; read-only afterwards.
 */
#ifndef SIEVE_TOOLS_EXTLIST_H
#define SIEVE_TOOLS_EXTLIST_H

#include <stdbool.h>
#include <stddef.h>

typedef struct xl_list {
    char *name;
    char **members;
    size_t n;
} xl_list;

typedef struct xl_table {
    xl_list *v;
    size_t n;
} xl_table;

/* Reads "URI=FILE"; false with a reason in err (malformed argument,
 * unreadable file, out of memory). A second definition replaces the
 * first. */
bool xl_add(xl_table *t, const char *arg, char *err, size_t errlen);
bool xl_exists(void *data, const char *list);
bool xl_contains(void *data, const char *list, const char *value);
void xl_free(xl_table *t);

#endif
