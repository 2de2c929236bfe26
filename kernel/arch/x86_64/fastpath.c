/*
 * The IPC fast path's system calls (kernel/include/ipc_fast.h,
 * virt_fast.h): x86_syscall jumps here for a call of either shape.
 *
 * None returns -- each leaves for user mode through trap_return_to, or
 * goes on into the general path -- so none has registers of its caller
 * to keep: this file is compiled with every register but RBP
 * call-clobbered (arch.mk), which spares the path the saving of five
 * registers that nothing would ever restore.  Nothing else may live
 * here.
 */
#include <vg/error.h>

#include "entry.h"
#include "ipc_fast.h"
#include "virt_fast.h"
#include "sched.h"
#include "xthread.h"

/*
 * Done, and the thread it woke runs next unless a tick is due (its
 * activation set its ip and sp to its handler's, which exregs checked
 * are user addresses).  Any miss goes to the general path.
 */
static inline __attribute__((always_inline)) void
x86_syscall_fast_end(struct trap_frame *f, struct thread *t,
    struct thread *to)
{
	/* A jump (entry.c, x86_syscall): nothing to keep for after. */
	if (to == NULL) {
		x86_syscall_general(f);
		return;
	}
	xthread(t)->frame.rax = VG_OK;
	if (unlikely(x86_need_resched)) {
		sched_enqueue(to);
		x86_return_to_user();
	}
	x86_resume(to);
}

/*
 * A virtualizer's request (virt_fast_index_checked): out of line, so
 * that the plain call's code is compiled as if it were not there.
 */
static __attribute__((noipa)) void
x86_syscall_fast_index(struct trap_frame *f)
{
	struct thread *t = x86_current;

	x86_syscall_fast_end(f, t, virt_fast_index_checked(t, &f->args.ipc));
}

/* A call of the fast path's shape (x86_syscall checked it), or a
 * virtualizer's request. */
__attribute__((noipa)) void
x86_syscall_fast(struct trap_frame *f)
{
	struct thread *t = x86_current;
	struct thread *to = ipc_fast_shaped(t, &f->args.ipc);

	if (unlikely(to == IPC_FAST_VIRTUAL)) {
		x86_syscall_fast_index(f);
		return;
	}
	x86_syscall_fast_end(f, t, to);
}

/* A virtualizer's answer (x86_syscall checked its shape). */
__attribute__((noipa)) void
x86_syscall_fast_answer(struct trap_frame *f)
{
	struct thread *t = x86_current;

	x86_syscall_fast_end(f, t, virt_fast_answer(t, &f->args.ipc));
}
