/*
 * Messengers: wait queues, blocking, cancellation, destruction (see
 * messenger.h).  Delivery itself is in transfer.c.
 */
#include <stddef.h>

#include <vg/utcb.h>

#include "activation.h"
#include "continuation.h"
#include "kassert.h"
#include "messenger.h"
#include "object.h"

struct messenger *
messenger_lookup(const struct vg_cap *cap)
{
	if (cap->type != VG_TYPE_MESSENGER && cap->type != VG_TYPE_RMESSENGER)
		return NULL;
	return object_lookup(cap);
}

static void
wait_append(struct messenger *dst, struct messenger *src)
{
	src->target = dst;
	src->wait_next = NULL;
	src->wait_prev = dst->wait_tail;
	if (dst->wait_tail != NULL)
		dst->wait_tail->wait_next = src;
	else
		dst->wait_head = src;
	dst->wait_tail = src;
	dst->wait_count++;
	src->flags |= VG_MESSENGER_QUEUED;
}

void
messenger_wait_unlink(struct messenger *src)
{
	struct messenger *dst = src->target;

	if (src->wait_prev != NULL)
		src->wait_prev->wait_next = src->wait_next;
	else
		dst->wait_head = src->wait_next;
	if (src->wait_next != NULL)
		src->wait_next->wait_prev = src->wait_prev;
	else
		dst->wait_tail = src->wait_prev;
	dst->wait_count--;
	src->target = NULL;
	src->wait_next = src->wait_prev = NULL;
	src->flags &= ~(uint32_t)VG_MESSENGER_QUEUED;
}

enum vg_err
messenger_send(struct messenger *src, struct messenger *dst, bool nonblocking)
{
	VG_ASSERT(src->target == NULL);
	/* An answer to a virtualization request resumes DST's work.  Only
	 * a program's message can be one: a kernel request or reply that
	 * happens to arrive meanwhile is an ordinary message. */
	if (!(src->kflags & (MSGR_KREQ | MSGR_KMSG)) && dst->cont.awaiting &&
	    xfer_answer(src, dst))
		return VG_OK;
	if (dst->flags & VG_MESSENGER_BLOCKED) {
		if (nonblocking)
			return VG_ERR_WOULDBLOCK;
		wait_append(dst, src);
		return VG_OK;
	}
	VG_ASSERT(dst->wait_head == NULL);
	messenger_transfer(src, dst);
	return VG_OK;
}

enum vg_err
messenger_receive(struct messenger *m, bool nonblocking)
{
	struct messenger *first = m->wait_head;

	if (m->reserved_by != NULL)
		return VG_ERR_BUSY;	/* a delivery to it is under way */
	if (first != NULL) {
		messenger_wait_unlink(first);
		m->flags &= ~(uint32_t)VG_MESSENGER_BLOCKED;
		messenger_transfer(first, m);
		return VG_OK;
	}
	if (nonblocking)
		return VG_ERR_WOULDBLOCK;
	m->flags &= ~(uint32_t)VG_MESSENGER_BLOCKED;
	return VG_OK;
}

void
messenger_block(struct messenger *m)
{
	m->flags |= VG_MESSENGER_BLOCKED;
}

bool
messenger_cancel(struct messenger *m, enum vg_err err)
{
	bool pending;

	if (xfer_abort(m, err, true))
		return true;
	pending = m->target != NULL || (m->kflags & MSGR_KMSG);

	if (m->target != NULL)
		messenger_wait_unlink(m);
	m->kflags &= ~(uint32_t)MSGR_KMSG;
	if (pending)
		activation_post(m, VG_ACTIVATION_ERROR, err);
	return pending;
}

void
messenger_init(void *frame, struct folio *f, unsigned index)
{
	struct messenger *m = frame;

	m->flags = VG_MESSENGER_BLOCKED;
	m->self = folio_object_cap(f, index);
}

/*
 * Leave nothing pointing at M: off the queue it waits on, off its
 * thread's activation queue, and every sender waiting on it told.
 */
void
messenger_destroy(void *frame, struct folio **doomed)
{
	struct messenger *m = frame;

	(void)doomed;
	/* Off the queue it waits on first: aborting the work of others can
	 * reopen that receiver, which must not pick M up again. */
	if (m->target != NULL)
		messenger_wait_unlink(m);
	xfer_messenger_destroyed(m);
	activation_unlink(m);
	while (m->wait_head != NULL) {
		struct messenger *s = m->wait_head;

		messenger_wait_unlink(s);
		s->kflags &= ~(uint32_t)MSGR_KMSG;
		activation_post(s, VG_ACTIVATION_ERROR, VG_ERR_DESTROYED);
	}
}
