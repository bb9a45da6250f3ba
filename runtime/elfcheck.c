#include "elfcheck.h"

#include <elf.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "sieve/abi.h"

#if defined(__x86_64__)
#define HOST_MACHINE EM_X86_64
#define RELATIVE_RELOC R_X86_64_RELATIVE
#elif defined(__aarch64__)
#define HOST_MACHINE EM_AARCH64
#define RELATIVE_RELOC R_AARCH64_RELATIVE
#else
#error "elfcheck: add this architecture's machine and RELATIVE relocation"
#endif

typedef struct elf_view {
    const unsigned char *buf;
    size_t len;
    const Elf64_Ehdr *eh;
    const Elf64_Phdr *ph;
    const Elf64_Shdr *sh;
} elf_view;

static bool in_file(const elf_view *v, uint64_t off, uint64_t size)
{
    return off <= v->len && size <= v->len - off;
}

/* Turns an address in the loaded image into a file offset through the
 * PT_LOAD segments, checking that [addr, addr+size) is backed by the file. */
static bool vaddr_to_off(const elf_view *v, uint64_t addr, uint64_t size, uint64_t *off_r)
{
    for (unsigned i = 0; i < v->eh->e_phnum; i++) {
        const Elf64_Phdr *p = &v->ph[i];
        if (p->p_type != PT_LOAD)
            continue;
        if (addr >= p->p_vaddr && addr - p->p_vaddr <= p->p_filesz &&
            size <= p->p_filesz - (addr - p->p_vaddr)) {
            *off_r = p->p_offset + (addr - p->p_vaddr);
            return in_file(v, *off_r, size);
        }
    }
    return false;
}

static int fail(char *err, size_t errlen, const char *msg)
{
    snprintf(err, errlen, "%s", msg);
    return -1;
}

static int check_relocs(const elf_view *v, uint64_t addr, uint64_t size, uint64_t entsize,
                        bool rela, char *err, size_t errlen)
{
    if (size == 0)
        return 0;
    uint64_t want = rela ? sizeof(Elf64_Rela) : sizeof(Elf64_Rel);
    uint64_t off;
    if (entsize != want || size % want || !vaddr_to_off(v, addr, size, &off))
        return fail(err, errlen, "relocation table outside the file or malformed");
    for (uint64_t i = 0; i < size / want; i++) {
        uint64_t info;
        if (rela) {
            Elf64_Rela r;
            memcpy(&r, v->buf + off + i * want, sizeof r);
            info = r.r_info;
        } else {
            Elf64_Rel r;
            memcpy(&r, v->buf + off + i * want, sizeof r);
            info = r.r_info;
        }
        if (ELF64_R_TYPE(info) != RELATIVE_RELOC) {
            snprintf(err, errlen, "relocation of type %u: only RELATIVE relocations are allowed "
                     "(nothing may be resolved or run at load time)", (unsigned)ELF64_R_TYPE(info));
            return -1;
        }
    }
    return 0;
}

static int check_dynamic(const elf_view *v, const Elf64_Phdr *dyn, char *err, size_t errlen)
{
    if (!in_file(v, dyn->p_offset, dyn->p_filesz) || dyn->p_filesz % sizeof(Elf64_Dyn))
        return fail(err, errlen, "dynamic section outside the file");
    uint64_t rela = 0, relasz = 0, relaent = sizeof(Elf64_Rela);
    uint64_t rel = 0, relsz = 0, relent = sizeof(Elf64_Rel);
    uint64_t jmprel = 0, pltrelsz = 0;
    size_t n = dyn->p_filesz / sizeof(Elf64_Dyn);
    for (size_t i = 0; i < n; i++) {
        Elf64_Dyn d;
        memcpy(&d, v->buf + dyn->p_offset + i * sizeof d, sizeof d);
        switch (d.d_tag) {
        case DT_NULL:
            i = n;
            break;
        case DT_NEEDED:
            return fail(err, errlen, "needs another library (DT_NEEDED): compiled filters need none");
        case DT_AUXILIARY: case DT_FILTER: case DT_AUDIT: case DT_DEPAUDIT:
            return fail(err, errlen, "pulls in other objects (filter or audit entries)");
        case DT_INIT: case DT_FINI: case DT_PREINIT_ARRAY: case DT_PREINIT_ARRAYSZ:
            return fail(err, errlen, "has constructors or destructors (code that runs at load or unload)");
        case DT_INIT_ARRAYSZ: case DT_FINI_ARRAYSZ:
            if (d.d_un.d_val)
                return fail(err, errlen, "has constructors or destructors (code that runs at load or unload)");
            break;
        case DT_TEXTREL:
            return fail(err, errlen, "has text relocations");
        case DT_FLAGS:
            if (d.d_un.d_val & DF_TEXTREL)
                return fail(err, errlen, "has text relocations");
            break;
        case DT_RELA: rela = d.d_un.d_ptr; break;
        case DT_RELASZ: relasz = d.d_un.d_val; break;
        case DT_RELAENT: relaent = d.d_un.d_val; break;
        case DT_REL: rel = d.d_un.d_ptr; break;
        case DT_RELSZ: relsz = d.d_un.d_val; break;
        case DT_RELENT: relent = d.d_un.d_val; break;
        case DT_JMPREL: jmprel = d.d_un.d_ptr; break;
        case DT_PLTRELSZ: pltrelsz = d.d_un.d_val; break;
        default:
            break;
        }
    }
    if (jmprel && pltrelsz)
        return fail(err, errlen, "has PLT relocations (calls to outside functions)");
    if (check_relocs(v, rela, relasz, relaent, true, err, errlen) != 0)
        return -1;
    return check_relocs(v, rel, relsz, relent, false, err, errlen);
}

static int check_symbols(const elf_view *v, char *err, size_t errlen)
{
    const Elf64_Ehdr *eh = v->eh;
    if (eh->e_shnum == 0 || eh->e_shentsize != sizeof(Elf64_Shdr) ||
        !in_file(v, eh->e_shoff, (uint64_t)eh->e_shnum * sizeof(Elf64_Shdr)))
        return fail(err, errlen, "section headers missing or outside the file");
    int exported = 0;
    for (unsigned i = 0; i < eh->e_shnum; i++) {
        const Elf64_Shdr *s = &v->sh[i];
        if (s->sh_type != SHT_DYNSYM)
            continue;
        if (s->sh_entsize != sizeof(Elf64_Sym) || !in_file(v, s->sh_offset, s->sh_size) ||
            s->sh_link >= eh->e_shnum)
            return fail(err, errlen, "dynamic symbol table malformed");
        const Elf64_Shdr *str = &v->sh[s->sh_link];
        if (!in_file(v, str->sh_offset, str->sh_size) || str->sh_size == 0 ||
            v->buf[str->sh_offset + str->sh_size - 1] != '\0')
            return fail(err, errlen, "dynamic string table malformed");
        size_t nsym = s->sh_size / sizeof(Elf64_Sym);
        for (size_t j = 1; j < nsym; j++) {
            Elf64_Sym sym;
            memcpy(&sym, v->buf + s->sh_offset + j * sizeof sym, sizeof sym);
            if (sym.st_name >= str->sh_size)
                return fail(err, errlen, "symbol name outside the string table");
            const char *name = (const char *)v->buf + str->sh_offset + sym.st_name;
            if (ELF64_ST_TYPE(sym.st_info) == STT_GNU_IFUNC)
                return fail(err, errlen, "has an IFUNC symbol (a resolver that runs at load time)");
            if (sym.st_shndx == SHN_UNDEF) {
                if (*name) {
                    snprintf(err, errlen, "needs the outside symbol '%.80s': compiled filters resolve nothing", name);
                    return -1;
                }
                continue;
            }
            if (ELF64_ST_BIND(sym.st_info) == STB_LOCAL || ELF64_ST_TYPE(sym.st_info) == STT_SECTION)
                continue;
            if (strcmp(name, SIEVE_ABI_DESCRIPTOR_SYMBOL) != 0) {
                snprintf(err, errlen, "exports '%.80s': a compiled filter exports only %s",
                         name, SIEVE_ABI_DESCRIPTOR_SYMBOL);
                return -1;
            }
            exported++;
        }
    }
    if (exported != 1)
        return fail(err, errlen, "does not export the descriptor " SIEVE_ABI_DESCRIPTOR_SYMBOL);
    return 0;
}

int rt_elf_check(const unsigned char *buf, size_t len, char *err, size_t errlen)
{
    elf_view v = { .buf = buf, .len = len };
    if (len < sizeof(Elf64_Ehdr) || memcmp(buf, ELFMAG, SELFMAG) != 0)
        return fail(err, errlen, "not an ELF file");
    /* The buffer comes from malloc: suitably aligned for the headers. */
    v.eh = (const Elf64_Ehdr *)buf;
    const Elf64_Ehdr *eh = v.eh;
    if (eh->e_ident[EI_CLASS] != ELFCLASS64)
        return fail(err, errlen, "ELF class is not 64-bit: not for this machine");
#if __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
    if (eh->e_ident[EI_DATA] != ELFDATA2LSB)
#else
    if (eh->e_ident[EI_DATA] != ELFDATA2MSB)
#endif
        return fail(err, errlen, "ELF byte order is not this machine's");
    if (eh->e_ident[EI_VERSION] != EV_CURRENT || eh->e_version != EV_CURRENT)
        return fail(err, errlen, "unknown ELF version");
    if (eh->e_machine != HOST_MACHINE)
        return fail(err, errlen, "ELF file for another machine architecture");
    if (eh->e_type != ET_DYN)
        return fail(err, errlen, "not a shared object");
    if (eh->e_phentsize != sizeof(Elf64_Phdr) || eh->e_phnum == 0 ||
        !in_file(&v, eh->e_phoff, (uint64_t)eh->e_phnum * sizeof(Elf64_Phdr)) || eh->e_phoff % 8)
        return fail(err, errlen, "program headers missing or outside the file (truncated?)");
    v.ph = (const Elf64_Phdr *)(buf + eh->e_phoff);
    if (eh->e_shoff % 8)
        return fail(err, errlen, "section headers misaligned");
    v.sh = (const Elf64_Shdr *)(buf + eh->e_shoff);

    const Elf64_Phdr *dyn = NULL;
    for (unsigned i = 0; i < eh->e_phnum; i++) {
        const Elf64_Phdr *p = &v.ph[i];
        switch (p->p_type) {
        case PT_INTERP:
            return fail(err, errlen, "asks for a program interpreter");
        case PT_DYNAMIC:
            dyn = p;
            break;
        case PT_LOAD:
            if ((p->p_flags & PF_W) && (p->p_flags & PF_X))
                return fail(err, errlen, "has a segment that is both writable and executable");
            if (!in_file(&v, p->p_offset, p->p_filesz) || p->p_filesz > p->p_memsz)
                return fail(err, errlen, "a loadable segment lies outside the file (truncated?)");
            break;
        case PT_GNU_STACK:
            if (p->p_flags & PF_X)
                return fail(err, errlen, "asks for an executable stack");
            break;
        case PT_TLS:
            return fail(err, errlen, "has thread-local storage: compiled filters keep no state");
        default:
            break;
        }
    }
    if (!dyn)
        return fail(err, errlen, "has no dynamic section");
    if (check_dynamic(&v, dyn, err, errlen) != 0)
        return -1;
    return check_symbols(&v, err, errlen);
}
