/*
 * vg public ABI: system call numbers and the x86-64 register convention.
 *
 * A program enters the kernel with the `syscall` instruction.  RAX holds
 * the system call number; arguments are in registers (the kernel never
 * reads a program's memory through its virtual addresses: everything it
 * reads from user memory it reaches through capabilities).  The kernel
 * returns the result, an enum vg_err, in RAX; RCX and R11 are clobbered
 * by the instruction itself; every other register is preserved.
 *
 * VG_SYSCALL_IPC (vg/ipc.h), struct vg_ipc_args in registers:
 *	RDI flags (bits 32..63: vg_ipc_args.reserved, must be zero)
 *				RSI recv_messenger	RDX recv_inline_cap
 *	R10 target		R8  send_messenger	R9  inline_cap
 *	R12..R15 inline_words[0..3]
 *
 * Numbers 1 and 2 are reserved: they were DEBUG_WRITE and DEBUG_EXIT,
 * which needed no capability.  The console and the machine's power are
 * kernel objects now (VG_TYPE_CONSOLE, VG_TYPE_POWER; vg/method.h), used
 * through capabilities like any other; numbers 1 and 2, like every other
 * unknown number, fail with VG_ERR_METHOD.
 */
#ifndef VG_SYSCALL_H
#define VG_SYSCALL_H

enum vg_syscall {
	VG_SYSCALL_IPC = 0,
	/* 1, 2: reserved (DEBUG_WRITE, DEBUG_EXIT until they were taken out) */
	VG_SYSCALL_COUNT = 3
};

#endif /* VG_SYSCALL_H */
