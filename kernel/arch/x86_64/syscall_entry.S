/*
 * The `syscall` instruction lands here: RCX holds the user RIP, R11 the
 * user RFLAGS, RSP is still the user's; interrupts are off (MSR_FMASK).
 * Build a struct trap_frame (trap.h) on the kernel stack exactly as a
 * trap from user mode would, and hand it to x86_syscall, which returns
 * to user mode through trap_return_to (iretq), never back here.
 */
#include "gdt.h"
#include "trap.h"

	.text
	.globl	syscall_entry
	.type	syscall_entry, @function
syscall_entry:
	swapgs				/* trap_return swaps back */
	movq	%rsp, syscall_user_rsp(%rip)
	movq	x86_kstack_top(%rip), %rsp
	pushq	$GDT_USER_DS		/* ss */
	pushq	syscall_user_rsp(%rip)	/* rsp */
	pushq	%r11			/* rflags */
	pushq	$GDT_USER_CS		/* cs */
	pushq	%rcx			/* rip */
	pushq	$0			/* error */
	pushq	$0x100			/* vector: a system call */
	PUSH_GPRS
	movq	%rsp, %rdi
	cld
	call	x86_syscall
	ud2
	.size	syscall_entry, . - syscall_entry

	.bss
	.align	8
syscall_user_rsp:
	.quad	0

	.section .note.GNU-stack, "", @progbits
