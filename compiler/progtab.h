/* progtab: builds the program table ("meta" words, sieve/abi.h) of one
 * compiled script: the header, the deduplicated string pool, values and
 * string lists (with their variable parts), the test and action records.
 *
 * The code generator appends records while it walks the tree and gets back
 * the record index it passes to ctx->ops->test/action; pt_finish lays the
 * table out as
 *     header | values and lists | string pool | test records | action records
 * so that every operand offset is final the moment it is handed out.
 *
 * A builder owns its memory (heap, freed by pt_free); pt_finish hands the
 * words to the caller (free()). No LLVM here. Not thread-safe; one builder
 * per compilation.
 */
#ifndef SIEVEC_PROGTAB_H
#define SIEVEC_PROGTAB_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "sema.h"
#include "sieve/abi.h"

typedef struct pt_builder pt_builder;

pt_builder *pt_new(void);
void pt_free(pt_builder **pt_r);

/* Byte offset of a string in the pool (each string is stored once). */
uint32_t pt_string(pt_builder *pt, const char *s, size_t len);
/* The slot of a variable (name already lower-cased), allocated on first
 * use, in the current variable scope. */
uint32_t pt_var_slot(pt_builder *pt, const char *name, size_t len);
/* include (RFC 6609 3.4): the scope of the script compiled next. Local
 * names get `prefix` (NULL for the main script) so that each script has
 * its own; "global.x" and the names in globals[] (declared `global` in
 * that script) map to the shared slot "global.x". The strings must live
 * until the scope changes. */
void pt_set_var_scope(pt_builder *pt, const char *prefix, const char *const *globals, size_t n);
uint32_t pt_nvars(const pt_builder *pt);
/* Slots [0, n) are global (SIEVE_META_NGLOBALS). */
void pt_set_nglobals(pt_builder *pt, uint32_t n);
/* Appends an include record; returns its index. pt_include_record gives
 * it back for patching until pt_finish. */
uint32_t pt_add_include(pt_builder *pt, const uint32_t rec[SIEVE_INCLUDE_WORDS]);
uint32_t *pt_include_record(pt_builder *pt, uint32_t i);

/* Word offset of a value: the constant text, or the parts of split when it
 * is non-NULL (RFC 5229 3). */
uint32_t pt_value(pt_builder *pt, const char *text, size_t len, const sema_str *split);
/* Word offset of a string list built from n values already emitted. */
uint32_t pt_list(pt_builder *pt, const uint32_t *values, size_t n);
/* A list of constant C strings (header names, extension names, slot names). */
uint32_t pt_list_cstrings(pt_builder *pt, const char *const *s, size_t n);

/* Appends a record; returns its index. */
uint32_t pt_add_test(pt_builder *pt, const uint32_t rec[SIEVE_TEST_WORDS]);
uint32_t pt_add_action(pt_builder *pt, const uint32_t rec[SIEVE_ACTION_WORDS]);
/* foreverypart (RFC 5703 3): a loop record (SIEVE_LR_*); returns its index. */
uint32_t pt_add_loop(pt_builder *pt, const uint32_t rec[SIEVE_LOOP_WORDS]);
uint32_t pt_ntests(const pt_builder *pt);
uint32_t pt_nactions(const pt_builder *pt);

/* Lays out the table. headers/extensions are word offsets of string lists
 * (0 for none); the variable names list is built here from the slots.
 * *words_r is malloc'ed; returns false only when the table would not fit
 * in 32-bit offsets. */
bool pt_finish(pt_builder *pt, uint32_t headers, uint32_t extensions,
               uint32_t **words_r, size_t *nwords_r);

#endif
