/*
 * The IPC fast path's system call (kernel/include/ipc_fast.h): x86_syscall
 * jumps here for a call of its shape.
 *
 * It never returns -- it leaves for user mode through trap_return_to, or
 * goes on into the general path -- so it has no registers of its caller
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
__attribute__((noipa)) void
x86_syscall_fast(struct trap_frame *f)
{
	struct thread *t = x86_current;
	/* x86_syscall checked the shape. */
	struct thread *to = ipc_fast_any(t, &f->args.ipc);

	if (to == NULL)
		x86_syscall_general(f);
	xthread(t)->frame.rax = VG_OK;
	if (unlikely(x86_need_resched)) {
		sched_enqueue(to);
		x86_return_to_user();
	}
	x86_resume(to);
}
