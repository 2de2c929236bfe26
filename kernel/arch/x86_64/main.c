/*
 * kmain: the first C code.  boot.S calls it in 64-bit mode on the boot
 * stack, with the boot page tables (identity, direct map, kernel image)
 * and interrupts disabled.  It brings up the console, reads the
 * multiboot information, sets up the descriptor tables, the hardware
 * protections (protect.c) and the timer, and hands over to x86_start.
 *
 * x86_start (start.c) then brings up the core and the root task.
 */
#include <stdint.h>

#include "boot_info.h"
#include "console.h"
#include "gdt.h"
#include "idt.h"
#include "ipc_fast.h"
#include "kernel.h"
#include "kassert.h"
#include "kprintf.h"
#include "multiboot.h"
#include "pic.h"
#include "pit.h"
#include "protect.h"
#include "trap.h"
#include "x86.h"

/* The release, from VERSION (mk/version.mk): the banner's first line. */
#ifndef VG_VERSION
#error "VG_VERSION is not defined: the Makefile passes it (mk/version.mk)"
#endif

static struct boot_info boot_info;

static void
print_boot_info(const struct boot_info *bi)
{
	uint64_t total = 0;

	kprintf("vg: %s kernel: the core's assertions are %s\n",
	    kernel_checked ? "checked" : "release",
	    kernel_checked ? "on" : "off");
	kprintf("vg: command line \"%s\"\n", bi->cmdline);
	for (unsigned i = 0; i < bi->nregions; i++)
		total += bi->region[i].length;
	kprintf("vg: memory map: %u regions, %lu KiB usable\n", bi->nregions,
	    total >> 10);
	for (unsigned i = 0; i < bi->nregions; i++) {
		const struct boot_region *r = &bi->region[i];

		kprintf("vg:   ram 0x%016lx-0x%016lx %9lu KiB\n", r->base,
		    r->base + r->length - 1, r->length >> 10);
	}
	kprintf("vg: modules: %u\n", bi->nmodules);
	for (unsigned i = 0; i < bi->nmodules; i++) {
		const struct boot_module *m = &bi->module[i];

		kprintf("vg:   module 0x%016lx-0x%016lx \"%s\"\n", m->start,
		    m->end, m->name);
	}
	kprintf("vg: kernel image 0x%lx-0x%lx (at %p)\n",
	    (uint64_t)(uintptr_t)__kernel_phys_start,
	    (uint64_t)(uintptr_t)__kernel_phys_end,
	    (void *)__kernel_virt_start);
}

_Noreturn void
kmain(uint32_t magic, uint32_t mbinfo_phys)
{
	console_init();
	kprintf("\nvg %s\nvg: booting\n", VG_VERSION);
	if (magic != MULTIBOOT_BOOTLOADER_MAGIC)
		kpanic("kmain: not booted by a multiboot loader");

	multiboot_parse(mbinfo_phys, &boot_info);
	/* The general IPC path alone: the tests run both ways. */
	if (boot_cmdline_has(&boot_info, "fastpath=off"))
		ipc_fast_set_enabled(false);
	print_boot_info(&boot_info);

	gdt_init();
	idt_init();
	protect_init();
	pic_init();
	pit_init(PIT_HZ_DEFAULT);
	kprintf("vg: gdt, tss, idt, pic, pit (%u Hz) ready\n", pit_hz());
	kprintf("vg: ipc fast path %s\n", ipc_fast_needs == IPC_FAST_NEEDS ? "on" : "off");

	x86_start(&boot_info);
	kpanic("kmain: x86_start returned");
}
