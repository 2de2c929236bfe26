/*
 * Trap entry and exit (see trap.h for the frame and the conventions).
 *
 * Each stub makes the stack uniform -- pushing a zero error code where
 * the CPU pushes none, then the vector -- and jumps to trap_common, which
 * saves the general-purpose registers and calls trap_dispatch(frame).
 * The CPU aligns RSP to 16 bytes before pushing its frame and the frame
 * is 176 bytes, so the call is made with the ABI's alignment.
 */
#include "trap.h"

/* Vectors for which the CPU pushes an error code. */
#define HAS_ERROR(v) ((v) == 8 || ((v) >= 10 && (v) <= 14) || (v) == 17 || \
	(v) == 21 || (v) == 29 || (v) == 30)

	.text

.macro STUB vec
	.p2align 4
trap_stub_\vec:
	.if HAS_ERROR(\vec)
	/* The CPU pushed an error code. */
	.else
	pushq	$0
	.endif
	pushq	$\vec
	jmp	trap_common
.endm

	.altmacro
.set vec, 0
.rept T_NVECTORS
	STUB %vec
	.set vec, vec + 1
.endr

	.p2align 4
trap_common:
	/* From user mode (saved CS, above vector, error and RIP): swapgs. */
	testb	$3, 24(%rsp)
	jz	1f
	swapgs
1:	PUSH_GPRS
	cld				/* the C ABI wants DF clear */
	movq	%rsp, %rdi
	call	trap_dispatch
	/* FALLTHROUGH */

	/* The common exit path: RSP points at a struct trap_frame. */
	.globl	trap_return
trap_return:
	POP_GPRS
	addq	$(TF_RIP - TF_VECTOR), %rsp	/* vector, error */
	testb	$3, 8(%rsp)			/* CS: back to user mode? */
	jz	2f
	swapgs
2:	iretq

/*
 * Into user mode from the frame at RSP, interrupts already off
 * (x86_resume jumps here): trap_return without the test of CS.
 */
	.globl	trap_return_user
	.p2align 4
trap_return_user:
	POP_GPRS
	addq	$(TF_RIP - TF_VECTOR), %rsp	/* vector, error */
	swapgs
	iretq
/* _Noreturn void trap_return_to(const struct trap_frame *f) */
	.globl	trap_return_to
	.p2align 4
trap_return_to:
	cli
	movq	%rdi, %rsp
	jmp	trap_return

	.section .rodata
	.p2align 3
	.globl	trap_stubs
trap_stubs:
.macro STUB_ADDR vec
	.quad	trap_stub_\vec
.endm
.set vec, 0
.rept T_NVECTORS
	STUB_ADDR %vec
	.set vec, vec + 1
.endr

	.section .note.GNU-stack, "", @progbits
