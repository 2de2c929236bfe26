/*
 * The smallest root task: no library, only the system call ABI of
 * vg/syscall.h and the boot slots of vg/boot.h.  It proves the path from
 * boot to ring 3 and back: its text and stack are reached through page
 * faults that the kernel resolves by translating the capability address
 * space; it spins in user mode across timer interrupts (preemption and
 * return); it writes to the console and stops the machine with status 0
 * by invoking the console and power objects the kernel gave it, with
 * vg_ipc from its boot messenger.
 */
	/* vg_boot_slot(i): address i << 22 | 1 << 21 (34 guard bits and
	 * 8 index bits deep). */
	.set	SLOT_MESSENGER, (133 << 22) | (1 << 21)	/* its page below */
	.set	SLOT_CONSOLE, (134 << 22) | (1 << 21)
	.set	SLOT_POWER, (135 << 22) | (1 << 21)
	.set	MESSAGE, 0x1ff30000		/* VG_BOOT_MESSAGE */
	.set	CONSOLE_WRITE, 0x700		/* VG_METHOD_CONSOLE_WRITE */
	.set	POWER_OFF, 0x800		/* VG_METHOD_POWER_OFF */
	.set	SEND_RETURN, 0x10100		/* VG_IPC_SEND | VG_IPC_RETURN */

	.text
	.globl	_start
_start:
	leaq	hello(%rip), %rdi
	movq	$hello_len, %rsi
	call	write

	/* Spin across timer interrupts: 200M cycles of rdtsc. */
	rdtsc
	shlq	$32, %rdx
	orq	%rax, %rdx
	movq	%rdx, %rbx
	addq	$200000000, %rbx
1:	rdtsc
	shlq	$32, %rdx
	orq	%rax, %rdx
	cmpq	%rbx, %rdx
	jb	1b

	/* The stack is there (its first touch faulted it in). */
	pushq	$0x5a
	popq	%rax
	cmpq	$0x5a, %rax
	jne	fail

	leaq	done(%rip), %rdi
	movq	$done_len, %rsi
	call	write
	xorq	%rdi, %rdi
	jmp	power_off
fail:
	movq	$1, %rdi
	/* FALLTHROUGH */

/* power_off(rdi = status): POWER_OFF on the power object; no return. */
power_off:
	movq	$MESSAGE, %rdx
	movl	$16 << 16, (%rdx)	/* no capability: no reply; 16 bytes */
	movl	$0, 4(%rdx)
	movq	$POWER_OFF, 8(%rdx)	/* w0 */
	movq	%rdi, 16(%rdx)		/* w1: the status */
	movq	$SLOT_POWER, %r10
	call	send
	ud2				/* the machine did not stop */

/*
 * write(rdi = bytes, rsi = length): CONSOLE_WRITE on the console, the
 * bytes after w0 (the method) and w1 (the length) in the boot
 * messenger's page.  No reply is asked for: the kernel writes at once.
 */
write:
	movq	$MESSAGE, %rdx
	movw	$0, (%rdx)		/* no capability: no reply */
	leaq	16(%rsi), %rax
	movw	%ax, 2(%rdx)		/* data: w0, w1, the bytes */
	movl	$0, 4(%rdx)
	movq	$CONSOLE_WRITE, 8(%rdx)
	movq	%rsi, 16(%rdx)
	movq	%rsi, %rcx
	movq	%rdi, %rsi
	leaq	24(%rdx), %rdi
	rep movsb
	movq	$SLOT_CONSOLE, %r10
	call	send
	testq	%rax, %rax
	jnz	fail
	ret

/* send(r10 = target): vg_ipc sending the boot messenger's page; RAX the
 * result. */
send:
	xorl	%eax, %eax		/* VG_SYSCALL_IPC */
	movl	$SEND_RETURN, %edi
	movq	$SLOT_MESSENGER, %r8
	syscall
	ret

	.section .rodata
hello:	.ascii	"smoke: hello from ring 3\n"
	hello_len = . - hello
done:	.ascii	"smoke: preempted by the timer and resumed; exiting\n"
	done_len = . - done

	.section .note.GNU-stack, "", @progbits
