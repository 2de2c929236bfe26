/*
 * x86-64 machine definitions: the kernel's address-space layout, control
 * register and MSR bits, and static inline wrappers for the privileged
 * instructions.  The constants are also used from assembly (boot.S,
 * trap.S), so everything C-only sits under #ifndef __ASSEMBLER__.
 *
 * Layout set up by boot.S, with 2 MiB pages that allow everything, then
 * given its permissions by mmu_protect_kernel (mmu.c):
 *
 *	0x0000000000000000	identity map of physical 0..4 GiB (boot.S
 *				only: removed)
 *	0xffff800000000000	DIRECT_MAP_BASE: physical 0..4 GiB, no-execute
 *				(the kernel image's text and rodata in it
 *				read-only)
 *	0xffffffff80000000	KERNEL_VIRT_BASE: the kernel image, linked at
 *				+1 MiB, in 4 KiB pages: text r-x, rodata r--,
 *				data and bss rw- no-execute; nothing else
 */
#ifndef VG_X86_64_X86_H
#define VG_X86_64_X86_H

#ifdef __ASSEMBLER__
#define X86_UL(x)	x
#else
#define X86_UL(x)	x##UL
#endif

#define KERNEL_VIRT_BASE	X86_UL(0xffffffff80000000)
#define KERNEL_PHYS_BASE	X86_UL(0x100000)	/* image load address */
#define DIRECT_MAP_BASE		X86_UL(0xffff800000000000)

#define PAGE_SIZE		4096

/* CR0. */
#define CR0_PE		(X86_UL(1) << 0)	/* protected mode */
#define CR0_MP		(X86_UL(1) << 1)	/* monitor coprocessor */
#define CR0_EM		(X86_UL(1) << 2)	/* x87 emulation (must be clear) */
#define CR0_TS		(X86_UL(1) << 3)	/* task switched: lazy FPU trap */
#define CR0_NE		(X86_UL(1) << 5)	/* native x87 error reporting */
#define CR0_WP		(X86_UL(1) << 16)	/* ring 0 honours read-only pages */
#define CR0_PG		(X86_UL(1) << 31)	/* paging */

/* CR4. */
#define CR4_PAE		(X86_UL(1) << 5)
#define CR4_PGE		(X86_UL(1) << 7)	/* global pages */
#define CR4_OSFXSR	(X86_UL(1) << 9)	/* fxsave/fxrstor, SSE enabled */
#define CR4_OSXMMEXCPT	(X86_UL(1) << 10)	/* SIMD exceptions as #XM */
#define CR4_UMIP	(X86_UL(1) << 11)	/* sgdt, sidt, sldt, smsw, str: ring 0 */
#define CR4_PCIDE	(X86_UL(1) << 17)	/* CR3 carries a PCID */
#define CR4_SMEP	(X86_UL(1) << 20)	/* ring 0 never runs user pages */
#define CR4_SMAP	(X86_UL(1) << 21)	/* ring 0 never reads user pages */

/* CPUID leaf 7, subleaf 0: the features above. */
#define CPUID1_ECX_PCID	(1u << 17)
#define CPUID7_EBX_SMEP	(1u << 7)
#define CPUID7_EBX_SMAP	(1u << 20)
#define CPUID7_ECX_UMIP	(1u << 2)

/* Model-specific registers. */
#define MSR_EFER		0xc0000080
#define MSR_STAR		0xc0000081	/* syscall/sysret selectors */
#define MSR_LSTAR		0xc0000082	/* 64-bit syscall entry */
#define MSR_CSTAR		0xc0000083	/* compat syscall entry */
#define MSR_FMASK		0xc0000084	/* RFLAGS bits cleared by syscall */
#define MSR_FS_BASE		0xc0000100
#define MSR_GS_BASE		0xc0000101
#define MSR_KERNEL_GS_BASE	0xc0000102	/* swapped in by swapgs */

#define EFER_SCE	(X86_UL(1) << 0)	/* syscall/sysret */
#define EFER_LME	(X86_UL(1) << 8)	/* long mode enable */
#define EFER_LMA	(X86_UL(1) << 10)	/* long mode active (read-only) */
#define EFER_NXE	(X86_UL(1) << 11)	/* no-execute bit in page tables */

/* RFLAGS. */
#define RFLAGS_CF	(X86_UL(1) << 0)
#define RFLAGS_RESERVED	(X86_UL(1) << 1)	/* always 1 */
#define RFLAGS_TF	(X86_UL(1) << 8)
#define RFLAGS_IF	(X86_UL(1) << 9)
#define RFLAGS_DF	(X86_UL(1) << 10)
#define RFLAGS_IOPL	(X86_UL(3) << 12)
#define RFLAGS_NT	(X86_UL(1) << 14)
#define RFLAGS_AC	(X86_UL(1) << 18)

/* QEMU's isa-debug-exit device (-device isa-debug-exit,iobase=0xf4). */
#define QEMU_EXIT_PORT		0xf4
#define QEMU_EXIT_SUCCESS	0	/* QEMU exits with status 1 */
#define QEMU_EXIT_FAILURE	1	/* QEMU exits with status 3 */

#ifndef __ASSEMBLER__

#include <stdbool.h>
#include <stdint.h>

#include "arch.h"

/* Linker symbols (linker.ld): take their addresses, never their values. */
extern char __kernel_virt_start[], __kernel_virt_end[];	/* whole image */
extern char __kernel_phys_start[], __kernel_phys_end[];	/* same, physical */
extern char __kernel_text_start[], __kernel_text_end[];	/* R-X */
extern char __kernel_rodata_start[], __kernel_rodata_end[];	/* R-- */
extern char __kernel_data_start[], __kernel_data_end[];	/* RW-, with .bss */
/* The unwinder's tables, in rodata (unwind.c). */
extern char __eh_frame_hdr_start[], __eh_frame_hdr_end[];
extern char __eh_frame_start[], __eh_frame_end[];

/* The boot/kernel stack boot.S runs kmain on (16 KiB). */
extern char boot_stack_bottom[], boot_stack_top[];

/* The direct-map address of physical address PA. */
static inline void *
phys_to_virt(uint64_t pa)
{
	return (void *)(uintptr_t)(pa + DIRECT_MAP_BASE);
}

/*
 * The physical address of kernel pointer P: either inside the kernel
 * image mapping or in the direct map.  Anything else is a kernel bug.
 */
static inline uint64_t
virt_to_phys(const void *p)
{
	uint64_t va = (uint64_t)(uintptr_t)p;

	if (va >= KERNEL_VIRT_BASE)
		return va - KERNEL_VIRT_BASE;
	if (va >= DIRECT_MAP_BASE)
		return va - DIRECT_MAP_BASE;
	arch_panic("virt_to_phys: not a kernel address", __FILE__, __LINE__);
}

static inline uint8_t
inb(uint16_t port)
{
	uint8_t v;

	__asm__ volatile("inb %1, %0" : "=a"(v) : "Nd"(port));
	return v;
}

static inline void
outb(uint16_t port, uint8_t v)
{
	__asm__ volatile("outb %0, %1" : : "a"(v), "Nd"(port));
}

static inline uint16_t
inw(uint16_t port)
{
	uint16_t v;

	__asm__ volatile("inw %1, %0" : "=a"(v) : "Nd"(port));
	return v;
}

static inline void
outw(uint16_t port, uint16_t v)
{
	__asm__ volatile("outw %0, %1" : : "a"(v), "Nd"(port));
}

static inline uint32_t
inl(uint16_t port)
{
	uint32_t v;

	__asm__ volatile("inl %1, %0" : "=a"(v) : "Nd"(port));
	return v;
}

static inline void
outl(uint16_t port, uint32_t v)
{
	__asm__ volatile("outl %0, %1" : : "a"(v), "Nd"(port));
}

/* A short delay for old ISA devices (the PIC): a write to POST port 0x80. */
static inline void
io_wait(void)
{
	outb(0x80, 0);
}

static inline uint64_t
rdmsr(uint32_t msr)
{
	uint32_t lo, hi;

	__asm__ volatile("rdmsr" : "=a"(lo), "=d"(hi) : "c"(msr));
	return (uint64_t)hi << 32 | lo;
}

static inline void
wrmsr(uint32_t msr, uint64_t v)
{
	__asm__ volatile("wrmsr"
	    : : "c"(msr), "a"((uint32_t)v), "d"((uint32_t)(v >> 32))
	    : "memory");
}

static inline uint64_t
read_cr0(void)
{
	uint64_t v;

	__asm__ volatile("mov %%cr0, %0" : "=r"(v));
	return v;
}

static inline void
write_cr0(uint64_t v)
{
	__asm__ volatile("mov %0, %%cr0" : : "r"(v) : "memory");
}

static inline uint64_t
read_cr2(void)
{
	uint64_t v;

	__asm__ volatile("mov %%cr2, %0" : "=r"(v));
	return v;
}

static inline uint64_t
read_cr3(void)
{
	uint64_t v;

	__asm__ volatile("mov %%cr3, %0" : "=r"(v));
	return v;
}

/* Load a new top-level page table (flushes non-global TLB entries). */
static inline void
write_cr3(uint64_t v)
{
	__asm__ volatile("mov %0, %%cr3" : : "r"(v) : "memory");
}

static inline uint64_t
read_cr4(void)
{
	uint64_t v;

	__asm__ volatile("mov %%cr4, %0" : "=r"(v));
	return v;
}

static inline void
write_cr4(uint64_t v)
{
	__asm__ volatile("mov %0, %%cr4" : : "r"(v) : "memory");
}

static inline void
cpuid(uint32_t leaf, uint32_t subleaf, uint32_t r[4])
{
	__asm__ volatile("cpuid"
	    : "=a"(r[0]), "=b"(r[1]), "=c"(r[2]), "=d"(r[3])
	    : "a"(leaf), "c"(subleaf));
}

/* RFLAGS.AC off: supervisor accesses to user pages fault again (SMAP;
 * only on a CPU that has it). */
static inline void
clac(void)
{
	__asm__ volatile("clac" : : : "memory");
}

static inline void
invlpg(uint64_t va)
{
	__asm__ volatile("invlpg (%0)" : : "r"(va) : "memory");
}

static inline uint64_t
read_rflags(void)
{
	uint64_t v;

	__asm__ volatile("pushfq; popq %0" : "=r"(v));
	return v;
}

static inline void
cli(void)
{
	__asm__ volatile("cli" : : : "memory");
}

static inline void
sti(void)
{
	__asm__ volatile("sti" : : : "memory");
}

/* Let a pending interrupt in: sti holds them off for one more
 * instruction, then the nop is where one is taken. */
static inline void
irq_window(void)
{
	__asm__ volatile("sti; nop; cli" : : : "memory");
}

static inline void
hlt(void)
{
	__asm__ volatile("hlt" : : : "memory");
}

static inline uint64_t
rdtsc(void)
{
	uint32_t lo, hi;

	__asm__ volatile("rdtsc" : "=a"(lo), "=d"(hi));
	return (uint64_t)hi << 32 | lo;
}

/* The operand of lgdt and lidt. */
struct x86_dtr {
	uint16_t limit;
	uint64_t base;
} __attribute__((packed));

static inline void
lgdt(const void *base, uint16_t limit)
{
	struct x86_dtr d = { limit, (uint64_t)(uintptr_t)base };

	__asm__ volatile("lgdt %0" : : "m"(d) : "memory");
}

static inline void
lidt(const void *base, uint16_t limit)
{
	struct x86_dtr d = { limit, (uint64_t)(uintptr_t)base };

	__asm__ volatile("lidt %0" : : "m"(d) : "memory");
}

static inline void
ltr(uint16_t sel)
{
	__asm__ volatile("ltr %0" : : "r"(sel) : "memory");
}

/* protect.c */

/* SMAP is on: kernel entries from ring 3 clear RFLAGS.AC (clac). */
extern bool x86_smap;

/* power.c */

struct trap_frame;

/*
 * Panic on a kernel-mode trap: arch_panic's report, with the backtrace
 * of the code TF interrupted (trap.c).
 */
_Noreturn void x86_panic_trap(const struct trap_frame *tf, const char *why,
    const char *file, int line);

/*
 * Exit QEMU through isa-debug-exit: QEMU's status is (VALUE << 1) | 1,
 * so QEMU_EXIT_SUCCESS gives 1.  Off QEMU, halts instead.
 */
_Noreturn void x86_qemu_exit(unsigned value);

/* Disable interrupts and halt forever. */
_Noreturn void x86_halt(void);

#endif /* !__ASSEMBLER__ */

#endif /* VG_X86_64_X86_H */
