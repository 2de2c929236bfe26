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
#include "lifecycle.h"
#include "messenger.h"
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

/* Leave nothing pointing at thread T. */
static void
thread_destroy(struct thread *t)
{
	cont_thread_destroyed(t);
	activation_drop_all(t);
	arch_thread_destroyed(t);
}

void
object_destroy(enum vg_type type, void *frame, struct folio **doomed)
{
	switch (type) {
	case VG_TYPE_ACTIVITY:
		activity_destroy(frame, doomed);
		break;
	case VG_TYPE_THREAD:
		thread_destroy(frame);
		break;
	case VG_TYPE_MESSENGER:
		messenger_destroy(frame);
		break;
	default:
		break;
	}
}
