/*
 * The bench root task's activation handler for its round trips
 * (../bench.h says what it does; client.c installs it).
 */
	.text

/*
 * The client's handler for the round trips (bench.h): back to
 * UTCB.saved_ip with UTCB.saved_sp, out of activated mode.  RSP points at
 * the UTCB's address.  RCX is free: the thread was suspended in a system
 * call.
 */
	.set	UTCB_MODE, 0
	.set	UTCB_SAVED_IP, 8
	.set	UTCB_SAVED_SP, 16

	.globl	bench_resume_entry
	.type	bench_resume_entry, @function
bench_resume_entry:
	movq	(%rsp), %rcx
	movq	UTCB_SAVED_SP(%rcx), %rsp
	.globl	bench_resume_exit_start
bench_resume_exit_start:
	andq	$-2, UTCB_MODE(%rcx)
	jmpq	*UTCB_SAVED_IP(%rcx)
	.globl	bench_resume_exit_end
bench_resume_exit_end:
	.size	bench_resume_entry, . - bench_resume_entry

	.section .note.GNU-stack, "", @progbits
