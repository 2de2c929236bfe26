# x86-64 kernel code generation.  Kernel code never touches SSE or x87
# registers (so user floating-point state survives a kernel entry as it
# is), takes interrupts on its own stack without a red zone, and is linked
# in the top 2 GiB of the address space.
ARCH_CFLAGS := -m64 -mno-red-zone -mgeneral-regs-only -mcmodel=kernel
