/*
 * The parts of ELF64 (System V gABI) that vg's loaders read: the file
 * header, program headers, section headers and symbols.  Header only and
 * freestanding, shared by the kernel's root-task builder
 * (kernel/core/roottask.c) and libvg's loader (lib/vg/elf.c), and by
 * their tests.
 */
#ifndef VG_ELF_ELF64_H
#define VG_ELF_ELF64_H

#include <stdint.h>

struct elf64_ehdr {
	uint8_t ident[16];
	uint16_t type, machine;
	uint32_t version;
	uint64_t entry, phoff, shoff;
	uint32_t flags;
	uint16_t ehsize, phentsize, phnum, shentsize, shnum, shstrndx;
};

struct elf64_phdr {
	uint32_t type, flags;
	uint64_t offset, vaddr, paddr, filesz, memsz, align;
};

struct elf64_shdr {
	uint32_t name, type;
	uint64_t flags, addr, offset, size;
	uint32_t link, info;
	uint64_t addralign, entsize;
};

struct elf64_sym {
	uint32_t name;
	uint8_t info, other;
	uint16_t shndx;
	uint64_t value, size;
};

#define ELF_PT_LOAD	1	/* phdr type */
#define ELF_PF_X	1	/* phdr flags */
#define ELF_PF_W	2
#define ELF_ET_EXEC	2	/* ehdr type */
#define ELF_EM_X86_64	62	/* ehdr machine */
#define ELF_SHT_SYMTAB	2	/* shdr type */

#endif /* VG_ELF_ELF64_H */
