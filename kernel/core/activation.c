/*
 * Activations and fault reports (see activation.h).
 *
 * The UTCB is a page the thread can write, so everything read from it is
 * only a hint (the mode bit); nothing the kernel relies on is kept there.
 */
#include <stddef.h>

#include <vg/utcb.h>

#include "activation.h"
#include "arch.h"
#include "kassert.h"
#include "kstring.h"
#include "messenger_object.h"
#include "object.h"
#include "queue.h"
#include "thread.h"

/* T's UTCB, if its UTCB slot holds a (strong) page. */
static inline struct vg_utcb *
utcb_of(struct thread *t)
{
	const struct vg_cap *cap = &t->slot[VG_THREAD_SLOT_UTCB];

	if (t->utcb_epoch != cap_epoch) {
		t->utcb = cap->type == VG_TYPE_PAGE ? object_lookup(cap) : NULL;
		/* Only a UTCB is kept: the fast path need not test for
		 * none. */
		t->utcb_epoch = t->utcb != NULL ? cap_epoch : 0;
		cache_note(cap, CACHE_LOOKUPS);
	}
	return t->utcb;
}

static void
act_queue_append(struct thread *t, struct messenger *m)
{
	m->act_thread = t;
	QUEUE_APPEND(&t->acts, m, act_link);
	t->act_count++;
}

void
activation_unlink(struct messenger *m)
{
	struct thread *t = m->act_thread;

	if (t == NULL)
		return;
	QUEUE_REMOVE(&t->acts, m, act_link);
	t->act_count--;
	m->act_thread = NULL;
	m->act_reason = 0;
	m->act_error = 0;
}

void
activation_now(struct thread *t, struct vg_utcb *u, struct messenger *m,
    uint32_t reason, enum vg_err err)
{
	activation_write(t, u, m, reason, err, arch_thread_ip_sp(t));
	if (t->state == VG_THREAD_SUSPENDED)
		thread_set_state(t, VG_THREAD_RUNNABLE);
	arch_thread_activated(t);
}

void
activation_post(struct messenger *m, uint32_t reason, enum vg_err err)
{
	struct thread *t;
	struct vg_utcb *u;

	if (m->thread_epoch != cap_epoch) {
		m->thread = thread_lookup(&m->slot[VG_MESSENGER_SLOT_THREAD]);
		/* Only a thread is kept (as for the UTCB). */
		m->thread_epoch = m->thread != NULL ? cap_epoch : 0;
		cache_note(&m->slot[VG_MESSENGER_SLOT_THREAD], CACHE_LOOKUPS);
	}
	t = m->thread;
	if (t == NULL)
		return;		/* nobody to tell */
	if (m->act_thread == t) {
		/* Already queued here: one entry carries both reasons. */
		m->act_reason |= reason;
		if (err != VG_OK)
			m->act_error = (int32_t)err;
		if (t->state == VG_THREAD_SUSPENDED)
			thread_set_state(t, VG_THREAD_RUNNABLE);
		return;
	}
	/* Queued on a thread it no longer names: the event moves with the
	 * messenger to its new thread rather than being lost. */
	if (m->act_thread != NULL) {
		reason |= m->act_reason;
		if (err == VG_OK)
			err = (enum vg_err)m->act_error;
		activation_unlink(m);
	}

	u = utcb_of(t);
	if (u != NULL && !(u->mode & VG_UTCB_ACTIVATED) && t->acts.head == NULL) {
		activation_now(t, u, m, reason, err);
		return;
	}
	m->act_reason = reason;
	m->act_error = (int32_t)err;
	act_queue_append(t, m);
	/* A thread that waits for its next activation gets to run and
	 * collect this one, even in activated mode. */
	if (t->state == VG_THREAD_SUSPENDED)
		thread_set_state(t, VG_THREAD_RUNNABLE);
	if (u != NULL) {
		u->pending = t->act_count;
		/* It left activated mode with activations still queued:
		 * deliver the oldest now, in order. */
		if (!(u->mode & VG_UTCB_ACTIVATED)) {
			struct messenger *first = t->acts.head;
			uint32_t r = first->act_reason;
			enum vg_err e = (enum vg_err)first->act_error;

			activation_unlink(first);
			activation_now(t, u, first, r, e);
		}
	}
}

bool
activation_in_handler(struct thread *t)
{
	struct vg_utcb *u = utcb_of(t);

	return u != NULL && (u->mode & VG_UTCB_ACTIVATED);
}

bool
activation_collect(struct thread *t)
{
	struct messenger *m = t->acts.head;
	struct vg_utcb *u = utcb_of(t);
	uint32_t reason;
	enum vg_err err;

	if (m == NULL || u == NULL)
		return false;
	reason = m->act_reason;
	err = (enum vg_err)m->act_error;
	activation_unlink(m);
	activation_utcb_fill(u, t, m, reason, err);
	return true;
}

bool
activation_drop_one(struct thread *t)
{
	if (t->acts.head != NULL)
		activation_unlink(t->acts.head);
	return t->acts.head == NULL;
}
