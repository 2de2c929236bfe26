/*
 * The GDT (layout in gdt.h) and the one TSS: rsp0 for traps from user
 * mode, and IST stacks for the exceptions that must not trust the
 * current stack (double fault, NMI, machine check; the latter two can
 * arrive right after syscall, before the kernel has switched stacks).
 */
#include <stdint.h>

#include "gdt.h"
#include "x86.h"

/* The 64-bit TSS (SDM vol. 3, 8.7). */
struct tss {
	uint32_t reserved0;
	uint64_t rsp[3];	/* rsp[0]: stack for traps from ring 3 */
	uint64_t reserved1;
	uint64_t ist[7];	/* IST1..IST7 at ist[0..6] */
	uint64_t reserved2;
	uint16_t reserved3;
	uint16_t iomap_base;	/* past the limit: no I/O bitmap */
} __attribute__((packed));

_Static_assert(sizeof(struct tss) == 104, "64-bit TSS layout");

#define IST_STACK_SIZE	8192

static struct tss tss __attribute__((aligned(16)));
static uint8_t ist_stacks[3][IST_STACK_SIZE] __attribute__((aligned(16)));

/* Descriptor attributes for flat 64-bit segments. */
#define SEG_P		(1UL << 47)
#define SEG_DPL(n)	((uint64_t)(n) << 45)
#define SEG_S		(1UL << 44)	/* code or data (not system) */
#define SEG_CODE	(1UL << 43)
#define SEG_RW		(1UL << 41)	/* code: readable; data: writable */
#define SEG_L		(1UL << 53)	/* 64-bit code */
#define SEG_DB		(1UL << 54)
#define SEG_G		(1UL << 55)
#define SEG_LIMIT	(0xffffUL | 0xfUL << 48)
#define SEG_TSS_AVAIL	(0x9UL << 40)

#define CODE64(dpl)	(SEG_P | SEG_DPL(dpl) | SEG_S | SEG_CODE | SEG_RW | \
			 SEG_L | SEG_G | SEG_LIMIT)
#define DATA(dpl)	(SEG_P | SEG_DPL(dpl) | SEG_S | SEG_RW | SEG_DB | \
			 SEG_G | SEG_LIMIT)

static uint64_t gdt[8] __attribute__((aligned(16))) = {
	[GDT_KERNEL_CS >> 3] = CODE64(0),
	[GDT_KERNEL_DS >> 3] = DATA(0),
	[(GDT_SYSRET_BASE & ~3) >> 3] = 0,
	[(GDT_USER_DS & ~3) >> 3] = DATA(3),
	[(GDT_USER_CS & ~3) >> 3] = CODE64(3),
	/* GDT_TSS, two slots: filled in by gdt_init. */
};

_Static_assert((GDT_TSS >> 3) + 2 <= sizeof(gdt) / sizeof(gdt[0]),
    "the TSS descriptor fits");

static void
set_tss_descriptor(void)
{
	uint64_t base = (uint64_t)(uintptr_t)&tss;
	uint64_t limit = sizeof(tss) - 1;

	gdt[GDT_TSS >> 3] = (limit & 0xffff) | (base & 0xffffff) << 16 |
	    SEG_TSS_AVAIL | SEG_P | ((base >> 24) & 0xff) << 56;
	gdt[(GDT_TSS >> 3) + 1] = base >> 32;
}

void
gdt_init(void)
{
	tss.rsp[0] = (uint64_t)(uintptr_t)boot_stack_top;
	tss.ist[IST_DOUBLE_FAULT - 1] = (uint64_t)(uintptr_t)ist_stacks[0] +
	    IST_STACK_SIZE;
	tss.ist[IST_NMI - 1] = (uint64_t)(uintptr_t)ist_stacks[1] +
	    IST_STACK_SIZE;
	tss.ist[IST_MACHINE_CHECK - 1] = (uint64_t)(uintptr_t)ist_stacks[2] +
	    IST_STACK_SIZE;
	tss.iomap_base = sizeof(tss);
	set_tss_descriptor();

	lgdt(gdt, sizeof(gdt) - 1);

	/* Reload CS with a far return, then the data segments. */
	__asm__ volatile(
	    "pushq %[cs]\n\t"
	    "leaq 1f(%%rip), %%rax\n\t"
	    "pushq %%rax\n\t"
	    "lretq\n"
	    "1:\n\t"
	    "movw %w[ds], %%ds\n\t"
	    "movw %w[ds], %%es\n\t"
	    "movw %w[ds], %%ss\n\t"
	    "movw %w[null], %%fs\n\t"
	    "movw %w[null], %%gs"
	    :
	    : [cs] "i"(GDT_KERNEL_CS), [ds] "r"(GDT_KERNEL_DS), [null] "r"(0)
	    : "rax", "memory");

	ltr(GDT_TSS);
}

void
tss_set_rsp0(uint64_t rsp0)
{
	tss.rsp[0] = rsp0;
}

bool
gdt_ist_stack(uint64_t sp, uint64_t *lo, uint64_t *hi)
{
	for (unsigned i = 0; i < sizeof(ist_stacks) / sizeof(ist_stacks[0]);
	    i++) {
		uint64_t base = (uint64_t)(uintptr_t)ist_stacks[i];

		if (sp >= base && sp <= base + IST_STACK_SIZE) {
			*lo = base;
			*hi = base + IST_STACK_SIZE;
			return true;
		}
	}
	return false;
}
