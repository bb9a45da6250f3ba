/* elfcheck: decides whether bytes are a shared object sievec could have
 * written, before anything maps or runs them.
 *
 * dlopen runs code (constructors, IFUNC resolvers) before a descriptor can
 * be checked, so the loader first requires, from the file bytes alone: an
 * ELF shared object for this machine (class, byte order, e_machine), every
 * header and table inside the file, no interpreter, no segment both
 * writable and executable, no needed libraries or other objects pulled in
 * (DT_NEEDED, DT_AUXILIARY, DT_FILTER, DT_AUDIT), no constructors or
 * destructors (DT_INIT*, DT_PREINIT_ARRAY, DT_FINI*), no text relocations,
 * no relocation other than RELATIVE (so nothing is resolved and no IFUNC
 * resolver runs), no undefined symbols, and exactly one defined exported
 * symbol, the descriptor. Pure function of the bytes: thread-safe.
 */
#ifndef SIEVE_RT_ELFCHECK_H
#define SIEVE_RT_ELFCHECK_H

#include <stddef.h>

/* 0 when acceptable, else -1 with the first problem in err. */
int rt_elf_check(const unsigned char *buf, size_t len, char *err, size_t errlen);

#endif
