/*
 * Threads: creation, destruction, run state (see thread.h).
 */
#include <stdbool.h>
#include <stddef.h>

#include "activation.h"
#include "arch.h"
#include "continuation.h"
#include "object.h"
#include "thread.h"

struct thread *
thread_lookup(const struct vg_cap *cap)
{
	if (cap->type != VG_TYPE_THREAD)
		return NULL;
	return object_lookup(cap);
}

void
thread_set_state(struct thread *t, enum vg_thread_state state)
{
	if (t->state == (uint32_t)state)
		return;
	t->state = state;
	arch_thread_state_changed(t);
}

void
thread_set_priority(struct thread *t, uint32_t priority)
{
	bool runnable = t->state == VG_THREAD_RUNNABLE;

	/* The platform's run queues are per priority: leave, then join. */
	if (runnable)
		thread_set_state(t, VG_THREAD_STOPPED);
	t->priority = priority;
	if (runnable)
		thread_set_state(t, VG_THREAD_RUNNABLE);
}

void
thread_init(void *frame, struct folio *f, unsigned index)
{
	struct thread *t = frame;

	t->state = VG_THREAD_STOPPED;
	t->self = folio_object_cap(f, index);
	arch_thread_init(t);
}

void
thread_destroy(void *frame, struct folio **doomed)
{
	struct thread *t = frame;

	(void)doomed;
	xfer_thread_destroyed(t);
	activation_drop_all(t);
	arch_thread_destroyed(t);
}
