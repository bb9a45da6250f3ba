/* hplan: turns a Sieve run's header edits (editheader, RFC 5293) into the
 * milter's header changes.
 *
 * The runtime gives the final header block of a run (sieve_result_header);
 * the milter has the block the filters ran on. RFC 5293 allows only two
 * kinds of change: addheader puts a field first or (:last) last, and
 * deleteheader removes existing fields. So the final block is always
 *     new fields on top + a subsequence of the original fields + new fields
 *     at the bottom,
 * and hp_plan finds such a split: the original fields missing from the
 * final block are deleted (smfi_chgheader with a NULL value), the top ones
 * inserted at index 0 and the bottom ones appended. Any split that
 * reproduces the final block gives the same delivered header; the one with
 * fewest new fields is chosen, bounded by the number of addheader actions
 * the run performed (max_added), which also bounds the work to
 * O(max_added * fields).
 *
 * Input is untrusted (message fields, script values): the number of fields
 * is bounded (HP_MAX_FIELDS), a field without a name cannot be deleted, and
 * hp_split refuses a new field whose value is not safe for SMTP (a line end
 * other than a fold, control or 8-bit bytes). Pure; thread-safe.
 */
#ifndef SIEVE_MILTER_HPLAN_H
#define SIEVE_MILTER_HPLAN_H

#include <stdbool.h>
#include <stddef.h>

#define HP_MAX_FIELDS 10000u
/* Longest field name handled (the runtime's own limit for edits). */
#define HP_NAME_MAX 256u

typedef struct hp_field {
    const char *p;      /* the field with its line end (points into a block) */
    size_t len;
    size_t namelen;     /* bytes before ':' (trailing blanks not counted); 0: none */
} hp_field;

typedef struct hp_plan {
    hp_field *orig, *fin;
    size_t norig, nfin;
    bool *deleted;      /* per original field */
    size_t ndeleted;
    size_t ntop;        /* fin[0, ntop) are new, on top */
    size_t nbottom;     /* fin[nfin - nbottom, nfin) are new, at the bottom */
} hp_plan;

/* Splits a header block (fields with their line ends; stops at an empty
 * line or the end) into fields. Returns the count, or -1 when there are
 * more than max or memory runs out. *v_r is malloc'd (NULL when empty). */
long hp_fields(const char *block, size_t len, hp_field **v_r, size_t max);

/* Plans the change from orig to fin. Returns 0, or -1 (p cleared) when fin
 * is not orig edited as RFC 5293 allows with at most max_added new fields,
 * or out of memory. */
int hp_plan_make(const char *orig, size_t olen, const char *fin, size_t flen, size_t max_added,
                 hp_plan *p);
void hp_plan_free(hp_plan *p);

/* Is f named name (case-insensitive)? */
bool hp_is(const hp_field *f, const char *name);

/* The name (NUL-terminated, into name[namecap]) and the value as libmilter
 * takes it (malloc'd in *value_r: the blank after ':' removed, folds as LF
 * + blank, no final line end) of a field. -1 when the name or the value is
 * not SMTP-safe, or too long, or out of memory. */
int hp_split(const hp_field *f, char *name, size_t namecap, char **value_r);

/* The 1-based number of orig[j] among the original fields of its name, as
 * smfi_chgheader counts them. */
int hp_occurrence(const hp_plan *p, size_t j);

#endif
