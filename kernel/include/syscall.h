/*
 * System calls, decoded in the portable core.
 *
 * The platform's entry path keeps only the register convention: it puts
 * the system call number and the argument registers into a union
 * syscall_args, in the ABI's order (vg/syscall.h names each platform's
 * registers), and calls syscall_dispatch.  Everything from there on --
 * which call, what its arguments mean, validating them -- is here.
 */
#ifndef VG_KERNEL_SYSCALL_H
#define VG_KERNEL_SYSCALL_H

#include <stdbool.h>
#include <stdint.h>

#include <vg/error.h>
#include <vg/ipc.h>
#include <vg/syscall.h>

#include "ipc.h"

struct thread;

/* Argument words a system call takes. */
#define SYSCALL_ARGS	10

/*
 * The argument words, as the entry path stored them, read as each call's
 * arguments.  VG_SYSCALL_IPC's words are struct vg_ipc_args in order
 * (flags and reserved in word 0, then recv_messenger, recv_inline_cap,
 * target, send_messenger, the four inline words, inline_cap).
 */
union syscall_args {
	uint64_t word[SYSCALL_ARGS];
	struct vg_ipc_args ipc;
};

_Static_assert(sizeof(struct vg_ipc_args) == SYSCALL_ARGS * sizeof(uint64_t),
    "vg_ipc_args is the argument words");
_Static_assert(__builtin_offsetof(struct vg_ipc_args, target) ==
    3 * sizeof(uint64_t) &&
    __builtin_offsetof(struct vg_ipc_args, inline_words) ==
    5 * sizeof(uint64_t) &&
    __builtin_offsetof(struct vg_ipc_args, inline_cap) ==
    9 * sizeof(uint64_t), "vg_ipc_args word order");

/*
 * System call NR with arguments A, on behalf of the current thread T.
 * Returns its result for T's result register.  The call may have
 * destroyed T, or activated it (then its result is restored by its
 * handler when it resumes the interrupted code).  Inline: it is the
 * entry path's one switch, and vg_ipc's path is the one that counts.
 * vg_ipc is the only call: everything else, the console and the
 * machine's power included, is an object reached by capability.
 */
static inline enum vg_err
syscall_dispatch(struct thread *t, uint64_t nr, const union syscall_args *a)
{
	switch (nr) {
	case VG_SYSCALL_IPC:
		return ipc(t, &a->ipc);
	default:
		return VG_ERR_METHOD;
	}
}

/*
 * Which of the fast system calls (ipc_fast.h, virt_fast.h) system call
 * NR with arguments A has the shape of, which the platform then tries
 * before syscall_dispatch: 0 the fast path's (or a virtualizer's
 * request), VG_IPC_INLINE_CAP a virtualizer's answer, anything else
 * neither.  One test for every shape: the answer's is the fast path's
 * with VG_IPC_INLINE_CAP, which the mask keeps.  (Off, ipc_fast_needs
 * sets every IPC_FAST_ALLOWS bit the mask clears: neither value.)
 */
static inline uint64_t
syscall_fast_shape(uint64_t nr, const union syscall_args *a)
{
	_Static_assert(!(IPC_FAST_ALLOWS & VG_IPC_INLINE_CAP) &&
	    !(IPC_FAST_NEEDS & VG_IPC_INLINE_CAP), "the answer's bit");
	return (nr ^ VG_SYSCALL_IPC) |
	    ((a->word[0] & ~(uint64_t)IPC_FAST_ALLOWS) ^ ipc_fast_needs);
}

#endif /* VG_KERNEL_SYSCALL_H */
