/*
 * Program entry.  The kernel (root task) or libvg's loader starts the
 * thread here with RSP at the top of its stack (16-byte aligned) and no
 * other register defined.  The loaders zero every page beyond the file's
 * bytes, so .bss is zero already; it is cleared again anyway, cheaply,
 * so that a program does not depend on how it was loaded.
 */
	.text
	.globl	_start
	.type	_start, @function
_start:
	xorl	%ebp, %ebp		/* the end of the frame chain */
	andq	$-16, %rsp
	leaq	__bss_start(%rip), %rdi
	leaq	__bss_end(%rip), %rcx
	subq	%rdi, %rcx
	xorl	%eax, %eax
	cld
	rep stosb
	call	vg_runtime_init
	movl	vg_argc(%rip), %edi	/* main(argc, argv): libvg/args.h */
	leaq	vg_argv(%rip), %rsi
	call	main
	movl	%eax, %edi
	call	vg_exit
	ud2
	.size	_start, . - _start

	.section .note.GNU-stack, "", @progbits
