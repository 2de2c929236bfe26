/*
 * Per-type creation and destruction (see lifecycle.h).
 *
 * Destroying a thread or a messenger must leave nothing in the kernel
 * pointing at it: suspended work that depends on it is abandoned
 * (continuation.c), queued activations and sends are unlinked and their
 * owners told, and the platform forgets the thread.
 */
#include <stddef.h>

#include "activation.h"
#include "activity.h"
#include "arch.h"
#include "continuation.h"
#include "irq.h"
#include "lifecycle.h"
#include "messenger.h"
#include "sched.h"
#include "storage.h"
#include "thread.h"

void
object_init(enum vg_type type, void *frame, struct folio *f, unsigned index)
{
	switch (type) {
	case VG_TYPE_ACTIVITY:
		/* A new activity is a child of the activity that pays for
		 * its folio. */
		activity_init_child(frame, f->activity);
		sched_activity_init(frame);
		break;
	case VG_TYPE_THREAD:
		thread_init(frame, f, index);
		break;
	case VG_TYPE_MESSENGER:
		messenger_init(frame, f, index);
		break;
	default:
		break;
	}
}

void
object_dying(enum vg_type type, void *frame)
{
	switch (type) {
	case VG_TYPE_ACTIVITY:
		sched_activity_detach(frame);
		break;
	case VG_TYPE_THREAD:
		/* Its pager's answer can no longer come. */
		cont_thread_destroyed(frame);
		thread_set_state(frame, VG_THREAD_STOPPED);
		break;
	case VG_TYPE_MESSENGER: {
		struct messenger *m = frame;

		/* Its send, or the kernel reply it carries, is withdrawn now
		 * (O(1)): a receiver must not take a dying messenger's
		 * message off its queue before the reaper comes to it.  A
		 * kernel request is the continuation's to end, in steps. */
		if (m->target != NULL && !(m->kflags & MSGR_KREQ)) {
			messenger_wait_unlink(m);
			m->kflags &= ~(uint32_t)MSGR_KMSG;
		}
		break;
	}
	case VG_TYPE_IRQ:
		/* Unbound and masked now; nothing of it outlives this. */
		irq_destroy(frame);
		break;
	default:
		break;
	}
}

bool
object_destroy_is_short(enum vg_type type, const void *frame)
{
	switch (type) {
	case VG_TYPE_ACTIVITY:
		return ((const struct activity *)frame)->folios.head == NULL;
	case VG_TYPE_THREAD:
		return ((const struct thread *)frame)->acts.head == NULL;
	case VG_TYPE_MESSENGER:
		return messenger_destroy_is_short(frame);
	default:
		return true;
	}
}

/* Leave nothing pointing at thread T, one queued activation per step
 * (object_dying already abandoned its fault). */
static bool
thread_destroy_step(struct thread *t)
{
	if (!activation_drop_one(t))
		return false;
	sched_dequeue(t);
	arch_thread_destroyed(t);
	return true;
}

bool
object_destroy_step(enum vg_type type, void *frame, struct folio **next)
{
	switch (type) {
	case VG_TYPE_ACTIVITY:
		return activity_destroy_step(frame, next);
	case VG_TYPE_THREAD:
		return thread_destroy_step(frame);
	case VG_TYPE_MESSENGER:
		return messenger_destroy_step(frame);
	default:
		return true;
	}
}
