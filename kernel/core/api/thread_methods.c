/*
 * Thread methods: register control, identity, collecting activations.
 */
#include <stddef.h>

#include <vg/method.h>

#include "activation.h"
#include "arch.h"
#include "continuation.h"
#include "invocation.h"
#include "methods.h"
#include "object.h"
#include "activity.h"
#include "sched.h"
#include "thread.h"

/* A stack pointer or the end of a range: a user address, or just past
 * the last (0 too, for a thread that has none yet). */
static bool
user_end(uint64_t va)
{
	return va == 0 || arch_user_address(va - 1);
}

static void
thread_exregs(struct invocation *inv, struct thread *t)
{
	uint64_t control = inv->word[1];
	struct arch_ip_sp was = arch_thread_ip_sp(t);
	struct arch_ip_sp now = was;

	/* The words a control asks to be read must be there. */
	if (!invoke_need(inv, (control & VG_EXREGS_SET_EXIT_RANGE) ? 8 :
	    (control & VG_EXREGS_SET_HANDLER) ? 6 :
	    (control & VG_EXREGS_SET_SP) ? 4 :
	    (control & VG_EXREGS_SET_IP) ? 3 : 2))
		return;
	if ((control & ~(uint64_t)VG_EXREGS_CONTROL_ALL) != 0 ||
	    ((control & VG_EXREGS_STOP) && (control & VG_EXREGS_START))) {
		invoke_error(inv, VG_ERR_INVALID);
		return;
	}
	/* Every pointer the thread will run at must be a user address: a
	 * kernel or non-canonical one would fault on the way to user mode,
	 * in the kernel, on every attempt. */
	if (((control & VG_EXREGS_SET_IP) && !arch_user_address(inv->word[2])) ||
	    ((control & VG_EXREGS_SET_SP) && !user_end(inv->word[3])) ||
	    ((control & VG_EXREGS_SET_HANDLER) &&
	    (!arch_user_address(inv->word[4]) || !user_end(inv->word[5]))) ||
	    ((control & VG_EXREGS_SET_EXIT_RANGE) &&
	    (!user_end(inv->word[6]) || !user_end(inv->word[7])))) {
		invoke_error(inv, VG_ERR_INVALID);
		return;
	}
	/* commit: no failure past here */
	invoke_error(inv, VG_OK);
	invoke_reply_word(inv, t->state);
	invoke_reply_word(inv, was.ip);
	invoke_reply_word(inv, was.sp);
	invoke_reply_word(inv, t->handler_ip);
	invoke_reply_word(inv, t->handler_sp);

	if (control & VG_EXREGS_SET_IP)
		now.ip = inv->word[2];
	if (control & VG_EXREGS_SET_SP)
		now.sp = inv->word[3];
	if (control & (VG_EXREGS_SET_IP | VG_EXREGS_SET_SP))
		arch_thread_set_ip_sp(t, now);
	if (control & VG_EXREGS_SET_HANDLER) {
		t->handler_ip = inv->word[4];
		t->handler_sp = inv->word[5];
	}
	if (control & VG_EXREGS_SET_EXIT_RANGE) {
		t->exit_start = inv->word[6];
		t->exit_end = inv->word[7];
	}
	/* A thread waiting for its pager stays waiting when started; when
	 * stopped, its fault is withdrawn and it faults again when next
	 * started. */
	if ((control & VG_EXREGS_STOP) && t->fault_messenger != NULL)
		(void)cont_abort(t->fault_messenger, VG_ERR_CANCELED, false);
	if (control & VG_EXREGS_STOP)
		thread_set_state(t, VG_THREAD_STOPPED);
	if ((control & VG_EXREGS_START) && t->state != VG_THREAD_FAULTED)
		thread_set_state(t, VG_THREAD_RUNNABLE);
}

void
thread_methods(struct invocation *inv)
{
	struct thread *t = inv->object;

	switch (inv->word[0]) {
	case VG_METHOD_THREAD_EXREGS:
		thread_exregs(inv, t);
		return;
	case VG_METHOD_THREAD_PRIORITY: {
		uint32_t old = t->priority;

		if (!invoke_need(inv, 2))
			return;
		if (inv->word[1] > VG_THREAD_PRIORITY_MAX) {
			invoke_error(inv, VG_ERR_INVALID);
			return;
		}
		/* Its activity's limit, set from above, bounds it. */
		if (inv->word[1] > sched_thread_activity(t)->priority) {
			invoke_error(inv, VG_ERR_LIMIT);
			return;
		}
		/* commit: no failure past here */
		sched_priority_changed(t, (uint32_t)inv->word[1]);
		invoke_error(inv, VG_OK);
		invoke_reply_word(inv, old);
		return;
	}
	case VG_METHOD_THREAD_ID:
		invoke_error(inv, VG_OK);
		invoke_reply_word(inv, inv->target.oid);
		return;
	case VG_METHOD_THREAD_ACTIVATION_COLLECT: {
		bool got = activation_collect(t);

		invoke_error(inv, VG_OK);
		invoke_reply_word(inv, got);
		invoke_reply_word(inv, t->act_count);
		return;
	}
	default:
		invoke_error(inv, VG_ERR_METHOD);
		return;
	}
}
