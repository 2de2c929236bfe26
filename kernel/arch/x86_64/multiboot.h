/*
 * Multiboot v1 information as the loader hands it over (the spec's
 * layout; only the fields vg reads are named).
 */
#ifndef VG_X86_64_MULTIBOOT_H
#define VG_X86_64_MULTIBOOT_H

#include <stdint.h>

#include "boot_info.h"

#define MULTIBOOT_BOOTLOADER_MAGIC	0x2badb002

/* multiboot_info.flags: which fields are valid. */
#define MBI_MEMORY	(1 << 0)	/* mem_lower, mem_upper */
#define MBI_CMDLINE	(1 << 2)
#define MBI_MODS	(1 << 3)
#define MBI_MMAP	(1 << 6)

struct multiboot_info {
	uint32_t flags;
	uint32_t mem_lower;		/* KiB from 0 */
	uint32_t mem_upper;		/* KiB from 1 MiB */
	uint32_t boot_device;
	uint32_t cmdline;		/* physical, NUL-terminated */
	uint32_t mods_count;
	uint32_t mods_addr;		/* physical, struct multiboot_module[] */
	uint32_t syms[4];
	uint32_t mmap_length;		/* bytes */
	uint32_t mmap_addr;		/* physical */
} __attribute__((packed));

struct multiboot_module {
	uint32_t mod_start;
	uint32_t mod_end;		/* exclusive */
	uint32_t string;		/* physical, NUL-terminated */
	uint32_t reserved;
} __attribute__((packed));

/* A memory map entry; SIZE excludes itself: the next is SIZE + 4 on. */
struct multiboot_mmap_entry {
	uint32_t size;
	uint64_t addr;
	uint64_t len;
	uint32_t type;
} __attribute__((packed));

#define MULTIBOOT_MEMORY_AVAILABLE	1

/*
 * Copy the memory map, modules and command line from the multiboot
 * information at MBINFO_PHYS (reached through the direct map) into BI.
 * Requires: the boot page tables (direct map of 0..4 GiB).
 */
void multiboot_parse(uint32_t mbinfo_phys, struct boot_info *bi);

#endif /* VG_X86_64_MULTIBOOT_H */
