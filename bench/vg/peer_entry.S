/*
 * The entries of the partner threads (bench.h, peer.c).
 */
	.text

/*
 * A partner thread's entry, and every activation's: RSP is its struct
 * bsrv (handler_sp).  The time stamp first (bsrv.t1, offset 0), then
 * bsrv_step, which never returns.  RSP is 16-byte aligned here, so the
 * call leaves it as the ABI wants it at a function's entry.
 */
	.globl	bsrv_entry
	.type	bsrv_entry, @function
bsrv_entry:
	lfence
	rdtsc
	lfence
	shlq	$32, %rdx
	orq	%rdx, %rax
	movq	%rax, (%rsp)
	movq	%rsp, %rdi
	call	bsrv_step
	ud2
	.size	bsrv_entry, . - bsrv_entry

/* The COLLECT server: a loop that never takes an upcall. */
	.globl	bcoll_entry
	.type	bcoll_entry, @function
bcoll_entry:
	movq	%rsp, %rdi
	call	bcoll_run
	ud2
	.size	bcoll_entry, . - bcoll_entry

	.section .note.GNU-stack, "", @progbits
