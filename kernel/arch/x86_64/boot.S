/*
 * The multiboot v1 entry: from 32-bit protected mode to kmain in the
 * higher half.
 *
 * The boot loader (QEMU -kernel, GRUB) enters _start in 32-bit protected
 * mode with paging off, EAX = the multiboot magic and EBX = the physical
 * address of the multiboot information.  The image is linked at
 * KERNEL_VIRT_BASE + 1 MiB but loaded at 1 MiB, so until paging is on,
 * every absolute address here is written as PHYS(symbol); relative jumps
 * and calls need no care.
 *
 * Steps: check the magic and the CPU (long mode, NX), zero .bss, build
 * the boot page tables, enable PAE, EFER.LME/NXE/SCE and paging, far-jump
 * into 64-bit code, jump to the higher half, reload the GDT there, and
 * call kmain(magic, mbinfo_phys) on the 16 KiB boot stack.
 *
 * Boot page tables (all in .bss, 4 KiB aligned, 2 MiB pages that allow
 * everything; kmain's protect_init gives the kernel's pages their
 * permissions and removes the identity map, mmu.c):
 *	boot_pml4[0]   -> boot_pdpt_low	identity: virtual 0..4 GiB
 *	boot_pml4[256] -> boot_pdpt_low	DIRECT_MAP_BASE + 0..4 GiB
 *	boot_pml4[511] -> boot_pdpt_high	[510] -> boot_pd[0]:
 *					KERNEL_VIRT_BASE + 0..1 GiB
 *	boot_pdpt_low[0..3] -> boot_pd + 0..3 pages, each 512 x 2 MiB
 */
#include "x86.h"

#define PHYS(sym)	((sym) - KERNEL_VIRT_BASE)

#define MULTIBOOT_HEADER_MAGIC		0x1badb002
#define MULTIBOOT_BOOTLOADER_MAGIC	0x2badb002
#define MULTIBOOT_PAGE_ALIGN		(1 << 0)	/* modules page-aligned */
#define MULTIBOOT_MEMORY_INFO		(1 << 1)	/* mem_* and mmap_* */
#define MULTIBOOT_FLAGS	(MULTIBOOT_PAGE_ALIGN | MULTIBOOT_MEMORY_INFO)

#define PTE_P		0x001	/* present */
#define PTE_W		0x002	/* writable */
#define PTE_PS		0x080	/* 2 MiB page (in a page directory) */

#define COM1		0x3f8

/* Selectors of the boot GDT; gdt.c keeps the same two for the kernel. */
#define BOOT_CS		0x08
#define BOOT_DS		0x10

	/* Must lie within the first 8 KiB of the file: linker.ld puts it first. */
	.section .multiboot, "a"
	.balign 4
multiboot_header:
	.long MULTIBOOT_HEADER_MAGIC
	.long MULTIBOOT_FLAGS
	.long -(MULTIBOOT_HEADER_MAGIC + MULTIBOOT_FLAGS)

	.text
	.code32
	.globl _start
_start:
	cli
	cld
	movl	%eax, %ebp		/* magic: kept in EBP until kmain */
	movl	%ebx, %esi		/* mbinfo_phys: kept in ESI */
	movl	$PHYS(boot_stack_top), %esp
	pushl	$0
	popfl

	cmpl	$MULTIBOOT_BOOTLOADER_MAGIC, %ebp
	jne	.Lno_multiboot

	/* Long mode and NX (CPUID 0x80000001 EDX bits 29 and 20). */
	movl	$0x80000000, %eax
	cpuid
	cmpl	$0x80000001, %eax
	jb	.Lno_long_mode
	movl	$0x80000001, %eax
	cpuid
	testl	$(1 << 29), %edx
	jz	.Lno_long_mode
	testl	$(1 << 20), %edx
	jz	.Lno_nx

	/*
	 * Zero .bss.  The boot loader put the multiboot information and the
	 * modules above the image's end, .bss included, so this is safe.
	 */
	movl	$PHYS(__bss_start), %edi
	movl	$PHYS(__bss_end), %ecx
	subl	%edi, %ecx
	shrl	$2, %ecx
	xorl	%eax, %eax
	rep stosl

	/* Four page directories: 2048 x 2 MiB = physical 0..4 GiB. */
	movl	$PHYS(boot_pd), %edi
	movl	$(PTE_P | PTE_W | PTE_PS), %eax
	movl	$2048, %ecx
1:	movl	%eax, (%edi)		/* the high half stays zero */
	addl	$0x200000, %eax
	addl	$8, %edi
	loop	1b

	movl	$PHYS(boot_pdpt_low), %edi
	movl	$(PHYS(boot_pd) + PTE_P + PTE_W), %eax
	movl	%eax, 0(%edi)
	addl	$PAGE_SIZE, %eax
	movl	%eax, 8(%edi)
	addl	$PAGE_SIZE, %eax
	movl	%eax, 16(%edi)
	addl	$PAGE_SIZE, %eax
	movl	%eax, 24(%edi)

	movl	$(PHYS(boot_pd) + PTE_P + PTE_W), %eax
	movl	%eax, PHYS(boot_pdpt_high) + 510 * 8

	movl	$(PHYS(boot_pdpt_low) + PTE_P + PTE_W), %eax
	movl	%eax, PHYS(boot_pml4) + 0 * 8
	movl	%eax, PHYS(boot_pml4) + 256 * 8
	movl	$(PHYS(boot_pdpt_high) + PTE_P + PTE_W), %eax
	movl	%eax, PHYS(boot_pml4) + 511 * 8

	/* PAE, and SSE usable by user programs (the kernel never uses it). */
	movl	%cr4, %eax
	orl	$(CR4_PAE | CR4_OSFXSR | CR4_OSXMMEXCPT), %eax
	movl	%eax, %cr4

	movl	$PHYS(boot_pml4), %eax
	movl	%eax, %cr3

	movl	$MSR_EFER, %ecx
	rdmsr
	orl	$(EFER_LME | EFER_NXE | EFER_SCE), %eax
	wrmsr

	/* Paging on: long mode becomes active (compatibility mode for now). */
	movl	%cr0, %eax
	andl	$~(CR0_EM | CR0_TS), %eax
	orl	$(CR0_PG | CR0_WP | CR0_NE | CR0_MP | CR0_PE), %eax
	movl	%eax, %cr0

	lgdt	PHYS(boot_gdt_ptr32)
	ljmp	$BOOT_CS, $PHYS(start64)

/* 32-bit failure paths: say why on COM1 (usable without set-up) and stop. */
.Lno_multiboot:
	movl	$PHYS(msg_no_multiboot), %ebx
	jmp	.Lfail32
.Lno_long_mode:
	movl	$PHYS(msg_no_long_mode), %ebx
	jmp	.Lfail32
.Lno_nx:
	movl	$PHYS(msg_no_nx), %ebx
.Lfail32:
	movw	$(COM1 + 5), %dx	/* line status: wait for THR empty */
2:	inb	%dx, %al
	testb	$0x20, %al
	jz	2b
	movb	(%ebx), %al
	testb	%al, %al
	jz	3f
	movw	$COM1, %dx
	outb	%al, %dx
	incl	%ebx
	jmp	.Lfail32
3:	movw	$QEMU_EXIT_PORT, %dx	/* under QEMU with isa-debug-exit: fail */
	movl	$QEMU_EXIT_FAILURE, %eax
	outl	%eax, %dx
4:	hlt
	jmp	4b

	.code64
start64:
	/* Still running at the identity-mapped physical address. */
	movabsq	$start64_high, %rax
	jmp	*%rax

start64_high:
	/* The boot GDT again, through its higher-half address. */
	lgdt	boot_gdt_ptr64(%rip)
	movw	$BOOT_DS, %ax
	movw	%ax, %ds
	movw	%ax, %es
	movw	%ax, %ss
	xorl	%eax, %eax
	movw	%ax, %fs
	movw	%ax, %gs

	/* Upper register halves are undefined after the mode switch. */
	movl	%ebp, %edi		/* kmain(magic, */
	movl	%esi, %esi		/*       mbinfo_phys) */
	movabsq	$boot_stack_top, %rsp
	xorl	%ebp, %ebp		/* ends frame-pointer backtraces */
	call	kmain

	/* kmain does not return; if it does, stop here. */
5:	cli
	hlt
	jmp	5b

	.section .rodata
msg_no_multiboot:
	.asciz	"vg: not booted by a multiboot loader\r\n"
msg_no_long_mode:
	.asciz	"vg: this CPU has no long mode\r\n"
msg_no_nx:
	.asciz	"vg: this CPU has no NX bit\r\n"

	/* The boot GDT: null, 64-bit kernel code, kernel data. */
	.balign 16
boot_gdt:
	.quad	0
	.quad	0x00af9a000000ffff	/* BOOT_CS: P, DPL 0, code, L, G */
	.quad	0x00cf92000000ffff	/* BOOT_DS: P, DPL 0, data, RW, G */
boot_gdt_end:

	/* lgdt operands: a 32-bit base before paging, a 64-bit one after. */
	.balign 8
	.word	0, 0, 0			/* align the base fields */
boot_gdt_ptr32:
	.word	boot_gdt_end - boot_gdt - 1
	.long	PHYS(boot_gdt)
	.balign 8
	.word	0, 0, 0
boot_gdt_ptr64:
	.word	boot_gdt_end - boot_gdt - 1
	.quad	boot_gdt

	.bss
	.balign PAGE_SIZE
boot_pml4:
	.skip	PAGE_SIZE
boot_pdpt_low:
	.skip	PAGE_SIZE
boot_pdpt_high:
	.skip	PAGE_SIZE
boot_pd:
	.skip	4 * PAGE_SIZE

	/* The boot stack; kmain and, until threads exist, traps run on it. */
	.balign	PAGE_SIZE
	.globl	boot_stack_bottom, boot_stack_top
boot_stack_bottom:
	.skip	16384
boot_stack_top:

	.section .note.GNU-stack, "", @progbits
