/*
 * What the kernel learned from the boot loader, copied out of the
 * multiboot information by multiboot_parse before anything can overwrite
 * it.  Memory management must keep the modules (and the kernel image,
 * see __kernel_phys_start/end in x86.h) out of the free memory.
 */
#ifndef VG_X86_64_BOOT_INFO_H
#define VG_X86_64_BOOT_INFO_H

#include <stdbool.h>
#include <stdint.h>

#define BOOT_REGIONS_MAX	32
#define BOOT_MODULES_MAX	16
#define BOOT_MODULE_NAME_MAX	128
#define BOOT_CMDLINE_MAX	256

/* Usable RAM (multiboot memory type 1), physical. */
struct boot_region {
	uint64_t base;
	uint64_t length;
};

/* A boot module: physical [start, end) and its command line. */
struct boot_module {
	uint64_t start;
	uint64_t end;
	char name[BOOT_MODULE_NAME_MAX];	/* truncated, NUL-terminated */
};

struct boot_info {
	struct boot_region region[BOOT_REGIONS_MAX];
	unsigned nregions;
	/* Every region the memory map lists, of any type (RAM, reserved,
	 * ACPI): none of it is a device's (physmem.c). */
	struct boot_region mapped[BOOT_REGIONS_MAX];
	unsigned nmapped;
	struct boot_module module[BOOT_MODULES_MAX];
	unsigned nmodules;
	char cmdline[BOOT_CMDLINE_MAX];		/* truncated, NUL-terminated */
};

/*
 * True if the kernel command line has WORD as one of its blank-separated
 * words ("test" matches "a test b", not "testing").
 */
bool boot_cmdline_has(const struct boot_info *bi, const char *word);

/*
 * The entry from boot.S: MAGIC and MBINFO_PHYS are EAX and EBX as the
 * multiboot loader left them.
 */
_Noreturn void kmain(uint32_t magic, uint32_t mbinfo_phys);

/*
 * Called by kmain once the console, GDT, TSS, IDT, the interrupt
 * controllers and the local APIC timer are set up, with interrupts
 * disabled.  Never returns
 * (start.c: the core, the root task, then user mode).
 */
void x86_start(struct boot_info *bi);

#endif /* VG_X86_64_BOOT_INFO_H */
