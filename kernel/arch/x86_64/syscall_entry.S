/*
 * The `syscall` instruction lands here: RCX holds the user RIP, R11 the
 * user RFLAGS, RSP is still the user's; interrupts are off (MSR_FMASK).
 * Build a struct trap_frame (trap.h) exactly as a trap from user mode
 * would, but in the current thread's own saved frame (x86_syscall_frame
 * is its end), so that nothing has to be copied there later; then take
 * the kernel stack and hand the frame to x86_syscall, which returns to
 * user mode through trap_return_to (iretq), never back here.
 */
#include "gdt.h"
#include "syscall_shape.h"
#include "trap.h"

	.text
	.globl	syscall_entry
	.type	syscall_entry, @function
syscall_entry:
	swapgs				/* trap_return swaps back */
	movq	%rsp, syscall_user_rsp(%rip)
	movq	x86_syscall_frame(%rip), %rsp
	pushq	$GDT_USER_DS		/* ss */
	pushq	syscall_user_rsp(%rip)	/* rsp */
	pushq	%r11			/* rflags */
	pushq	$GDT_USER_CS		/* cs */
	pushq	%rcx			/* rip */
	pushq	$0			/* error */
	pushq	$0x100			/* vector: a system call */
	PUSH_GPRS
	movq	%rsp, %rdi
	movq	x86_kstack_top(%rip), %rsp
	/* No cld: MSR_FMASK cleared DF (syscall_init). */
	call	x86_syscall
	ud2
	.size	syscall_entry, . - syscall_entry

/*
 * void x86_syscall(struct trap_frame *f): syscall_fast_shape, and a jump
 * to the way it picks -- x86_syscall_fast (0), x86_syscall_fast_answer
 * (the answer's bit) or x86_syscall_general -- none of which returns.
 * In assembly for the conditional jumps to them, which GCC does not
 * make: each way is one jump after the one test.  IPC's number is 0,
 * and the word masked keeps the answer's bit: X86_FAST_ALLOWS does not
 * have it.
 */
	.globl	x86_syscall
	.type	x86_syscall, @function
	.p2align 4
x86_syscall:
#ifdef VG_MEASURE_IRQOFF
	pushq	%rdi			/* (aligns the stack for the call) */
	call	irqoff_begin
	popq	%rdi
#endif
	movq	TF_RDI(%rdi), %rax	/* the first argument word */
	andq	$~X86_FAST_ALLOWS, %rax
	xorq	ipc_fast_needs(%rip), %rax
	orq	TF_RAX(%rdi), %rax	/* the number, VG_SYSCALL_IPC */
	jz	x86_syscall_fast
	cmpq	$X86_FAST_ANSWER, %rax
	jne	x86_syscall_general
	jmp	x86_syscall_fast_answer
	.size	x86_syscall, . - x86_syscall

/*
 * _Noreturn void syscall_return(const struct trap_frame *f): back to the
 * thread that made the system call, with sysret.  Only for a frame whose
 * rip is a canonical user address (sysret with a non-canonical RCX faults
 * in ring 0) and whose rflags are the user's own, as syscall_entry saved
 * them: x86_syscall checks.  RCX and R11 are the system call's to
 * clobber; they come back as rip and rflags.
 */
	.globl	syscall_return
	.type	syscall_return, @function
	.p2align 4
syscall_return:
	movq	%rdi, %rsp
	POP_GPRS			/* RCX and R11 overwritten below */
	movq	TF_RIP - TF_VECTOR(%rsp), %rcx
	movq	TF_RFLAGS - TF_VECTOR(%rsp), %r11
	movq	TF_RSP - TF_VECTOR(%rsp), %rsp
	swapgs
	sysretq
	.size	syscall_return, . - syscall_return

	.bss
	.align	8
syscall_user_rsp:
	.quad	0

	.section .note.GNU-stack, "", @progbits
