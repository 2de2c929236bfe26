/*
 * The smallest root task: no library, only the system call ABI of
 * vg/syscall.h.  It proves the path from boot to ring 3 and back: its
 * text and stack are reached through page faults that the kernel
 * resolves by translating the capability address space; it spins in user
 * mode across timer interrupts (preemption and return); it writes to the
 * console and stops the machine with status 0.
 */
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
	movq	$2, %rax		/* VG_SYSCALL_DEBUG_EXIT */
	xorq	%rdi, %rdi
	syscall
fail:
	movq	$2, %rax
	movq	$1, %rdi
	syscall
	ud2

/* write(rdi = bytes, rsi = length): VG_SYSCALL_DEBUG_WRITE. */
write:
	movq	$1, %rax
	syscall
	testq	%rax, %rax
	jnz	fail
	ret

	.section .rodata
hello:	.ascii	"smoke: hello from ring 3\n"
	hello_len = . - hello
done:	.ascii	"smoke: preempted by the timer and resumed; exiting\n"
	done_len = . - done

	.section .note.GNU-stack, "", @progbits
