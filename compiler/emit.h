/* emit: the LLVM back end of sievec. An emit_unit owns, together, the LLVM
 * context, the module, the IR builder and the target machine of one
 * compilation (created by emit_unit_new, destroyed by emit_unit_free);
 * the code generator (codegen.c) fills the module, then the emitter
 * verifies it, runs the new-pass-manager pipeline for -O0..-O3, and writes
 * LLVM IR text, a PIC object, or a shared object linked with the system
 * linker and signed with the MAC trailer (runtime/mac.h).
 *
 * Every output is written to a temporary file in the output's directory
 * and renamed into place, so a reader never sees a half-written file;
 * temporaries are removed on every error path.
 *
 * Units share nothing (no global LLVM context): several may run on
 * different threads. LLVM's target registration happens once per process.
 * Errors come back as text in the caller's buffer (err, errlen).
 */
#ifndef SIEVEC_EMIT_H
#define SIEVEC_EMIT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef enum emit_kind {
    EMIT_SHARED,     /* .so: object, linked, MAC-signed */
    EMIT_OBJECT,     /* .o (-c) */
    EMIT_LLVM_IR,    /* .ll (--emit-llvm) */
} emit_kind;

typedef struct emit_target {
    /* NULL or "generic": the baseline CPU of the host architecture, so a
     * .so runs on every host of that architecture. "native": this host's
     * CPU and features (recorded as CPU-specific). Anything else is
     * refused. */
    const char *cpu;
    unsigned opt_level;   /* 0..3 */
} emit_target;

typedef struct emit_unit emit_unit;

int emit_unit_new(const char *module_name, const emit_target *target, emit_unit **unit_r,
                  char *err, size_t errlen);
void emit_unit_free(emit_unit **unit_r);

/* What the target machine was made for, for the descriptor. */
const char *emit_triple(const emit_unit *u);
const char *emit_cpu(const emit_unit *u);
const char *emit_features(const emit_unit *u);
bool emit_cpu_specific(const emit_unit *u);
/* "14.0.6": the LLVM this sievec was built with. */
const char *emit_llvm_version(void);

/* For very large modules: keep the IR pipeline of the -O level but select
 * instructions and allocate registers the fast way (FastISel, as -O0),
 * which is linear in the code size. The generated code is glue between
 * runtime calls, so this costs little at run time and keeps a
 * 10,000-rule script within seconds. Call before emit_optimize. */
int emit_prefer_fast_isel(emit_unit *u, char *err, size_t errlen);

/* Verifies the module, then runs default<On>. */
int emit_optimize(emit_unit *u, char *err, size_t errlen);

/* Writes the output. key (32 bytes) signs EMIT_SHARED outputs; it is
 * ignored for the other kinds. The linker is $SIEVEC_LD, else the one found
 * at build time. */
int emit_write(emit_unit *u, emit_kind kind, const char *out, const uint8_t *key,
               char *err, size_t errlen);

#endif
