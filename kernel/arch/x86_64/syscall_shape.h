/*
 * What x86_syscall (syscall_entry.S) tests a system call's shape with:
 * syscall_fast_shape (kernel/include/syscall.h) in assembly, so that each
 * way it goes is one conditional jump.  entry.c checks that these are
 * the C definitions' values.
 */
#ifndef VG_X86_64_SYSCALL_SHAPE_H
#define VG_X86_64_SYSCALL_SHAPE_H

#define X86_SYSCALL_IPC		0		/* VG_SYSCALL_IPC */
#define X86_FAST_ALLOWS		0x701a38	/* IPC_FAST_ALLOWS */
#define X86_FAST_ANSWER		0x1000000	/* VG_IPC_INLINE_CAP */

#endif
