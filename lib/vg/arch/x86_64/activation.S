/*
 * The activation handler and the race-free exit from activated mode
 * (libvg/activation.h, vg/utcb.h).
 *
 * The kernel starts the handler at vg_activation_entry with RSP =
 * handler_sp = &vg_act_stack.state and every other register as the
 * interrupted code left it -- except after a restart inside the exit
 * range, when they are whatever the exit sequence had loaded.  The
 * handler tells the two apart by UTCB.saved_ip: before entering the range
 * it stores there the address of vg_activation_exit_start, which the
 * kernel never writes there itself (it keeps saved_ip when it catches the
 * thread inside the range, and an ip outside the range is never that
 * address).  On a restart the interrupted state is still intact in the
 * frame, which nothing in the range writes.
 *
 * The exit returns without iretq: it puts the interrupted rip on the
 * interrupted stack just below its red zone (as a signal frame would),
 * restores rflags with popfq, and ends with "ret $128", which pops the
 * rip and skips the red zone.  (QEMU 7.2's TCG reads iretq's frame in
 * user mode as a supervisor access, which faults with SMAP on.)
 */

/* struct vg_utcb */
	.set	UTCB_MODE, 0
	.set	UTCB_SAVED_IP, 8
	.set	UTCB_SAVED_SP, 16
	.set	UTCB_PENDING, 40
/* struct vg_act_state: the frame (struct vg_act_frame), then the UTCB */
	.set	F_RAX, 0
	.set	F_RBX, 8
	.set	F_RCX, 16
	.set	F_RDX, 24
	.set	F_RSI, 32
	.set	F_RDI, 40
	.set	F_RBP, 48
	.set	F_R8, 56
	.set	F_R9, 64
	.set	F_R10, 72
	.set	F_R11, 80
	.set	F_R12, 88
	.set	F_R13, 96
	.set	F_R14, 104
	.set	F_R15, 112
	.set	F_RIP, 120		/* rip, cs, rflags, rsp, ss */
	.set	F_CS, 128
	.set	F_RFLAGS, 136
	.set	F_RSP, 144
	.set	F_SS, 152
	.set	ST_UTCB, 160

	.text
	.globl	vg_activation_entry
	.type	vg_activation_entry, @function
vg_activation_entry:
	pushfq				/* rsp = state - 8 */
	pushq	%rax			/* rsp = state - 16 */
	movq	16+ST_UTCB(%rsp), %rax
	cmpq	$vg_activation_exit_start, UTCB_SAVED_IP(%rax)
	je	.Lrestart

	/* A fresh activation: the registers are the interrupted code's,
	 * RAX (the UTCB's address now) and the flags on the stack.  CS and
	 * SS never change: vg_activation_init stores them once. */
	movq	%rbx, 16+F_RBX(%rsp)
	movq	%rcx, 16+F_RCX(%rsp)
	movq	%rdx, 16+F_RDX(%rsp)
	movq	%rsi, 16+F_RSI(%rsp)
	movq	%rdi, 16+F_RDI(%rsp)
	movq	%rbp, 16+F_RBP(%rsp)
	movq	%r8, 16+F_R8(%rsp)
	movq	%r9, 16+F_R9(%rsp)
	movq	%r10, 16+F_R10(%rsp)
	movq	%r11, 16+F_R11(%rsp)
	movq	%r12, 16+F_R12(%rsp)
	movq	%r13, 16+F_R13(%rsp)
	movq	%r14, 16+F_R14(%rsp)
	movq	%r15, 16+F_R15(%rsp)
	movq	UTCB_SAVED_IP(%rax), %rbx
	movq	%rbx, 16+F_RIP(%rsp)
	movq	UTCB_SAVED_SP(%rax), %rbx
	movq	%rbx, 16+F_RSP(%rsp)
	/* (A pop's memory operand is addressed with RSP after the pop.) */
	popq	8+F_RAX(%rsp)		/* rsp = state - 8 */
	popq	F_RFLAGS(%rsp)		/* rsp = state */
	xorl	%esi, %esi		/* not a restart */
	jmp	.Lcall

.Lrestart:
	addq	$16, %rsp		/* rsp = state; the frame is intact */
	movl	$1, %esi
.Lcall:
	cld
	movq	%rsp, %rdi		/* rsp = state: 16-byte aligned */
	call	vg_activation_dispatch

	/* Leave activated mode.  Mark saved_ip first (see above). */
	movq	ST_UTCB(%rsp), %rax
	movq	$vg_activation_exit_start, UTCB_SAVED_IP(%rax)

	.globl	vg_activation_exit_start
vg_activation_exit_start:
	andq	$-2, UTCB_MODE(%rax)	/* clear VG_UTCB_ACTIVATED */
	/* Activations that queued before the clear would stay queued:
	 * go back in and collect them. */
	cmpl	$0, UTCB_PENDING(%rax)
	jne	1f
	/* The rip below the interrupted code's red zone (128 bytes). */
	movq	F_RSP(%rsp), %rax
	movq	F_RIP(%rsp), %rbx
	movq	%rbx, -136(%rax)
	movq	F_RBX(%rsp), %rbx
	movq	F_RCX(%rsp), %rcx
	movq	F_RDX(%rsp), %rdx
	movq	F_RSI(%rsp), %rsi
	movq	F_RDI(%rsp), %rdi
	movq	F_RBP(%rsp), %rbp
	movq	F_R8(%rsp), %r8
	movq	F_R9(%rsp), %r9
	movq	F_R10(%rsp), %r10
	movq	F_R11(%rsp), %r11
	movq	F_R12(%rsp), %r12
	movq	F_R13(%rsp), %r13
	movq	F_R14(%rsp), %r14
	movq	F_R15(%rsp), %r15
	pushq	F_RFLAGS(%rsp)
	popfq				/* from here on nothing sets a flag */
	movq	F_RAX(%rsp), %rax
	movq	F_RSP(%rsp), %rsp
	leaq	-136(%rsp), %rsp
	ret	$128			/* rip, then rsp as it was */
1:	orq	$1, UTCB_MODE(%rax)	/* activated again: they only queue */
	.globl	vg_activation_exit_end
vg_activation_exit_end:
	xorl	%esi, %esi
	jmp	.Lcall
	.size	vg_activation_entry, . - vg_activation_entry

/*
 * void vg_wait_nonzero(volatile uint64_t *flag): suspend until *flag is
 * not 0.  [vg_wait_begin, vg_wait_syscall] is a restartable sequence: the
 * dispatcher moves an interrupted ip in it back to vg_wait_begin, so an
 * activation that sets the flag after the test makes the test run again
 * rather than the thread suspend.  RDX (ignored by a call with no receive
 * phase) holds FLAG across the sequence.
 */
	.globl	vg_wait_nonzero
	.type	vg_wait_nonzero, @function
vg_wait_nonzero:
	movq	%rdi, %rdx
	.globl	vg_wait_begin
vg_wait_begin:
	cmpq	$0, (%rdx)
	jne	1f
	xorl	%eax, %eax		/* VG_SYSCALL_IPC */
	xorl	%edi, %edi		/* no phase, no RETURN: suspend */
	.globl	vg_wait_syscall
vg_wait_syscall:
	syscall
	jmp	vg_wait_begin		/* woken: test again */
1:	ret
	.size	vg_wait_nonzero, . - vg_wait_nonzero

	.section .note.GNU-stack, "", @progbits
