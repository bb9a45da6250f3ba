/* mailsource: iterate over the messages of a corpus path, the input side of
 * sieve-replay and sieve-bench.
 *
 * A source is one path given on the command line:
 *   - a regular file that begins with a "From " line: an mbox (mboxrd by
 *     default, mboxo on request; RFC 4155 and the corpus README);
 *   - any other regular file: a single message;
 *   - a directory with cur/ or new/: a Maildir (plus its Maildir++
 *     subfolders ".Sub.Folder" when recursive);
 *   - "-": standard input, read whole, then treated like a file.
 * Messages come out in a deterministic order: mbox order; for a Maildir,
 * each folder (the root first, then subfolders by name) with cur/ and new/
 * merged and sorted by file name, digit runs compared as numbers (so by
 * delivery time for the usual <time>.M<usec>P<pid>... names).
 *
 * Memory: an mbox file is mapped, and a message points into the mapping
 * unless mbox unquoting needs a copy (only when a ">From " line exists).
 * Maildir and single files are read into one buffer the source reuses. So
 * a message (its bytes, id, flags) stays valid only until the next
 * ms_next() or ms_close(). Not thread-safe; one source per thread.
 *
 * Problems with the path itself (missing, unreadable, a directory that is
 * not a Maildir, a forced mbox that is not one) fail ms_open(). A problem
 * with one message (a Maildir file that vanished or cannot be read, one
 * larger than the cap, an empty mbox entry) is reported in that message's
 * `error` and iteration goes on.
 */
#ifndef SIEVE_TOOLS_MAILSOURCE_H
#define SIEVE_TOOLS_MAILSOURCE_H

#include <stdbool.h>
#include <stddef.h>

typedef enum ms_format {
    MS_FORMAT_AUTO = 0,   /* a file starting with "From " is an mbox */
    MS_FORMAT_MBOX,       /* a regular file must be an mbox */
    MS_FORMAT_MESSAGE,    /* a regular file is one message, whatever it holds */
} ms_format;

typedef enum ms_quoting {
    MS_MBOXRD = 0,        /* ">>From " -> ">From ", ">From " -> "From " */
    MS_MBOXO,             /* only ">From " -> "From " */
} ms_quoting;

typedef enum ms_kind {
    MS_KIND_MBOX,
    MS_KIND_MAILDIR,
    MS_KIND_MESSAGE,
} ms_kind;

typedef struct ms_options {
    bool recursive;            /* Maildir++ subfolders */
    ms_format format;
    ms_quoting quoting;
    size_t max_message_size;   /* 0: 256 MiB */
} ms_options;

typedef struct ms_message {
    const char *id;          /* spec/replay-jsonl.md "msg" */
    const char *data;        /* NULL when error is set */
    size_t len;
    const char *error;       /* why this message could not be read, or NULL */
    /* Maildir only: the Maildir++ folder ("" for the root), the flags of the
     * info part after ":2," ("" when none), and whether it is in new/. */
    const char *folder;
    const char *flags;
    bool is_new;
    /* mbox only: the sender word of the "From " line (not NUL-terminated). */
    const char *mbox_sender;
    size_t mbox_sender_len;
    size_t index;            /* 1-based position in the source */
} ms_message;

typedef struct ms_source ms_source;

/* Opens path ("-" is standard input). opt may be NULL for the defaults. */
int ms_open(const char *path, const ms_options *opt, ms_source **src_r, char *err, size_t errlen);
/* A source over bytes in memory that the caller keeps valid (name is used
 * for ids). Detection and parsing as for a regular file. */
int ms_open_memory(const char *name, const char *data, size_t len, const ms_options *opt,
                   ms_source **src_r, char *err, size_t errlen);
/* 1: *m_r holds the next message (possibly with m_r->error); 0: the end. */
int ms_next(ms_source *src, ms_message *m_r);
ms_kind ms_source_kind(const ms_source *src);
void ms_close(ms_source **src_r);

/* strcmp, except that runs of digits compare by numeric value. */
int ms_natural_compare(const char *a, const char *b);

#endif
