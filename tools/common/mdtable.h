/* mdtable: IMAP METADATA entries (RFC 5464) for the offline tools, so the
 * metadata tests of RFC 5490 have something to read: `--metadata=
 * [MAILBOX]ENTRY=VALUE`, where ENTRY starts with "/private" or "/shared"
 * and an empty MAILBOX means the server. md_lookup is the
 * sieve_mailboxes.metadata callback (data: the md_table): entry names
 * compare case-insensitively, INBOX too, other mailbox names exactly.
 * Not thread-safe while adding; read-only afterwards.
 */
#ifndef SIEVE_TOOLS_MDTABLE_H
#define SIEVE_TOOLS_MDTABLE_H

#include <stdbool.h>
#include <stddef.h>

typedef struct md_entry {
    char *mailbox;             /* NULL: the server */
    char *entry, *value;
} md_entry;

typedef struct md_table {
    md_entry *v;
    size_t n;
} md_table;

/* False when arg is malformed (no "/private" or "/shared" entry, no '=')
 * or memory runs out. A later definition of the same entry wins. */
bool md_add(md_table *t, const char *arg);
const char *md_lookup(void *data, const char *mailbox, const char *entry);
void md_free(md_table *t);

#endif
