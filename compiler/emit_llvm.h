/* emit_llvm: the inside of an emit_unit, shared by the two modules that
 * may include llvm-c/ (emit.c and codegen.c) and by nothing else. */
#ifndef SIEVEC_EMIT_LLVM_H
#define SIEVEC_EMIT_LLVM_H

#include <llvm-c/Core.h>
#include <llvm-c/TargetMachine.h>

#include "emit.h"

struct emit_unit {
    LLVMContextRef ctx;
    LLVMModuleRef mod;
    LLVMBuilderRef builder;
    LLVMTargetMachineRef tm;
    LLVMTargetRef target;
    char *triple;             /* LLVM-allocated (LLVMDisposeMessage) */
    char *cpu;                /* malloc'ed */
    char *features;           /* malloc'ed */
    bool cpu_specific;
    unsigned opt_level;
};

#endif
