# x86-64 kernel code generation.  Kernel code never touches SSE or x87
# registers (so user floating-point state survives a kernel entry as it
# is), takes interrupts on its own stack without a red zone, and is linked
# in the top 2 GiB of the address space.
ARCH_CFLAGS := -m64 -mno-red-zone -mgeneral-regs-only -mcmodel=kernel

# The fast path's system call (fastpath.c) never returns to its caller,
# so it need not keep registers for it: all call-clobbered but RBP,
# which GCC will not let go.
X86_FASTPATH_CFLAGS := -fcall-used-rbx -fcall-used-r12 \
	-fcall-used-r13 -fcall-used-r14 -fcall-used-r15
