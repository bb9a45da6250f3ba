/* program: a compiled filter's program table, validated and prepared once
 * at load time, and the loaded-filter object that owns it.
 *
 * rt_program_prepare() checks every offset, count and string reference of
 * the descriptor's meta words against their bounds (the MAC says sievec
 * wrote the file; the checks make a bug in either side a clear error
 * instead of a wild read), then does the per-filter work once: interns the
 * header names into a header set for the message index, folds constant keys
 * for their comparator, analyses :matches patterns, compiles regexes.
 * A prepared program is immutable: runs on many threads share it.
 *
 * The loader (loader.c) owns struct sieve_filter; exec.c reaches the
 * program through rt_filter_program(). rt_filter_from_descriptor() wraps a
 * descriptor linked into the calling program (no file, no dlopen): for unit
 * tests of the runtime only, never for untrusted objects.
 */
#ifndef SIEVE_RT_PROGRAM_H
#define SIEVE_RT_PROGRAM_H

#include <stddef.h>

#include "sieve/abi.h"
#include "sieve/sieve.h"

typedef struct rt_program rt_program;

int rt_program_prepare(const sieve_abi_descriptor *desc, rt_program **program_r,
                       char *err, size_t errlen);
void rt_program_free(rt_program **program_r);

const rt_program *rt_filter_program(const sieve_filter *f);
int rt_filter_from_descriptor(const sieve_abi_descriptor *desc, sieve_filter **filter_r,
                              char *err, size_t errlen);

#endif
