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
 * VG_SYSCALL_DEBUG_WRITE: write bytes to the kernel console.
 *	RDI the address of a byte in the caller's address space (its page
 *	    is found by translation, like any data access), RSI a length
 *	    (at most to the end of that page).
 *
 * VG_SYSCALL_DEBUG_EXIT: stop the machine with a status (tests and
 *	demos; QEMU's isa-debug-exit device).  RDI the status (0: success).
 *
 * The DEBUG calls need no capability: they are for tests, demos and
 * bring-up, and a production configuration would take them out (they
 * are always built in today).
 */
#ifndef VG_SYSCALL_H
#define VG_SYSCALL_H

enum vg_syscall {
	VG_SYSCALL_IPC = 0,
	VG_SYSCALL_DEBUG_WRITE = 1,
	VG_SYSCALL_DEBUG_EXIT = 2,
	VG_SYSCALL_COUNT
};

#endif /* VG_SYSCALL_H */
