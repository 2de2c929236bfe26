/*
 * Messengers: sending, queueing, receiving and delivery (see
 * messenger.h).
 *
 * The common send -- nothing on its way is virtualized -- runs here from
 * start to end: the target is resolved (or taken from the messenger's
 * target cache), then the message is delivered (transfer.c moves it),
 * queued, or handed to a kernel object (invoke.c).  Only a walk that
 * meets a virtualized level goes to the continuation machine
 * (continuation.c), which comes back here when the answer has resolved
 * it.
 */
#include <stddef.h>

#include <vg/utcb.h>

#include "activation.h"
#include "as.h"
#include "continuation.h"
#include "invoke.h"
#include "kassert.h"
#include "messenger.h"
#include "object.h"
#include "queue.h"
#include "transfer.h"

static void
wait_append(struct messenger *dst, struct messenger *src)
{
	src->target = dst;
	QUEUE_APPEND(&dst->waiters, src, wait_link);
	dst->wait_count++;
	src->flags |= VG_MESSENGER_QUEUED;
}

void
messenger_wait_unlink(struct messenger *src)
{
	struct messenger *dst = src->target;

	QUEUE_REMOVE(&dst->waiters, src, wait_link);
	dst->wait_count--;
	src->target = NULL;
	src->flags &= ~(uint32_t)VG_MESSENGER_QUEUED;
}

/*
 * Messengers whose own send ended while deliveries to them waited: each
 * gets its first waiting sender if it is receiving.  A list, worked off
 * in a loop by whoever adds to it first, because a delivery ends a send
 * too and so can reopen another messenger: a chain of those must not
 * recurse on the kernel stack.
 */
static struct messenger *reopen_head, *reopen_tail;
static bool reopening;

/* The first waiting sender to M, if M takes deliveries now. */
static void reopen_one(struct messenger *m);

void
messenger_reopen(struct messenger *m)
{
	if (m->on_reopen)
		return;
	m->on_reopen = true;
	m->reopen_next = NULL;
	if (reopen_tail != NULL)
		reopen_tail->reopen_next = m;
	else
		reopen_head = m;
	reopen_tail = m;
	if (reopening)
		return;
	reopening = true;
	while (reopen_head != NULL) {
		struct messenger *x = reopen_head;

		reopen_head = x->reopen_next;
		if (reopen_head == NULL)
			reopen_tail = NULL;
		x->reopen_next = NULL;
		x->on_reopen = false;
		reopen_one(x);
	}
	reopening = false;
}

/* Off the reopen list (M is being destroyed). */
static void
reopen_unlink(struct messenger *m)
{
	struct messenger **p;

	if (!m->on_reopen)
		return;
	for (p = &reopen_head; *p != m; p = &(*p)->reopen_next)
		;
	*p = m->reopen_next;
	if (reopen_tail == m) {
		reopen_tail = NULL;
		for (struct messenger *x = reopen_head; x != NULL;
		    x = x->reopen_next)
			reopen_tail = x;
	}
	m->on_reopen = false;
	m->reopen_next = NULL;
}

/*
 * Run the delivery D of SRC's message on from where it stands (R_IN,
 * STORED: see transfer_run).  D is SRC's continuation's delivery if
 * SUSPEND; then a virtualized level suspends it.  Otherwise (a kernel
 * request's delivery: the carrier's continuation is the one waiting for
 * it) D is on the caller's stack and such a capability arrives void.
 */
static void
deliver_run(struct messenger *src, struct delivery *d,
    const struct as_result *r_in, bool stored, bool suspend)
{
	struct as_result at;
	struct messenger *dst;
	uint32_t n, cap_void;

	if (!transfer_run(src, d, r_in, stored, suspend, &at)) {
		cont_suspend(src, &at, d->stage == DELIVERY_SLOTS ?
		    VG_METHOD_STORE : VG_METHOD_INDEX);
		return;
	}
	dst = d->dst;
	n = d->ncaps;
	cap_void = d->cap_void;
	if (suspend)
		cont_clear(&src->cont);
	msg_commit(src, dst, n, cap_void);
	messenger_send_ended(src);
}

void
messenger_deliver_resume(struct messenger *src, const struct as_result *r_in,
    bool stored)
{
	deliver_run(src, &src->cont.delivery, r_in, stored, true);
}

/* Deliver SRC's message to DST, which is receiving. */
static void
deliver(struct messenger *src, struct messenger *dst)
{
	struct delivery local;
	bool request = (src->kflags & MSGR_KREQ) != 0;
	uint32_t slots = 0;
	struct msg_caps c;

	VG_ASSERT(request || src->cont.phase == CONT_NONE);
	/* No capability to resolve: nothing can suspend. */
	msg_source_caps(src, &c);
	if (c.n != 0)
		slots = msg_target_slots(dst);
	if (slots == 0) {
		msg_commit(src, dst, 0, 0);
		messenger_send_ended(src);
		return;
	}
	if (request) {
		transfer_begin(src, dst, &local, slots);
		deliver_run(src, &local, NULL, false, false);
		return;
	}
	cont_clear(&src->cont);
	src->cont.phase = CONT_DELIVERY;
	transfer_begin(src, dst, &src->cont.delivery, slots);
	deliver_run(src, &src->cont.delivery, NULL, false, true);
}

enum vg_err
messenger_send(struct messenger *src, struct messenger *dst, bool nonblocking)
{
	VG_ASSERT(src->target == NULL);
	/* An answer to a virtualization request resumes DST's work.  Only
	 * a program's message can be one: a kernel request or reply that
	 * happens to arrive meanwhile is an ordinary message. */
	if (!(src->kflags & (MSGR_KREQ | MSGR_KMSG)) && dst->cont.awaiting &&
	    cont_answer(src, dst))
		return VG_OK;
	/* Blocked, or its own message is pending (its buffer and slots are
	 * that send's): SRC waits on it. */
	if ((dst->flags & VG_MESSENGER_BLOCKED) ||
	    unlikely(messenger_message_pending(dst))) {
		if (nonblocking)
			return VG_ERR_WOULDBLOCK;
		wait_append(dst, src);
		return VG_OK;
	}
	/* Receiving, but senders that waited for its own send came first:
	 * they go first, SRC after them. */
	if (unlikely(dst->waiters.head != NULL)) {
		if (!nonblocking)
			wait_append(dst, src);
		messenger_reopen(dst);
		return nonblocking ? VG_ERR_WOULDBLOCK : VG_OK;
	}
	deliver(src, dst);
	return VG_OK;
}

enum vg_err
messenger_send_resolved(struct messenger *m, const struct as_result *r,
    bool nonblocking, struct messenger *dst)
{
	if (r->err != VG_OK)
		return r->err;
	switch ((enum vg_type)r->cap.type) {
	case VG_TYPE_VOID:
		return VG_ERR_VOID;
	case VG_TYPE_RMESSENGER:
		return messenger_send(m, dst != NULL ? dst :
		    object_lookup(&r->cap), nonblocking);
	default:
		invoke_kernel(m, r->cap);
		/* A reply that had nobody to go to was dropped: M's send is
		 * over. */
		messenger_send_ended(m);
		return VG_OK;
	}
}

enum vg_err
messenger_send_to(struct messenger *m, vg_addr_t target, bool nonblocking)
{
	struct as_result r;
	struct messenger *dst;

	VG_ASSERT(m->cont.phase == CONT_NONE);
	/*
	 * Senders send to the same target again and again.  The cache keeps
	 * where the walk ended -- the target, or the virtualized level on
	 * its way, with the walk to resume -- and compares that slot on use.
	 */
	if (cache_lookup_holds(&m->target_lookup, target)) {
		if (m->target_virtual)
			r = (struct as_result){ .err = AS_VIRTUALIZED,
			    .cap = m->target_cap, .weak = m->target_weak,
			    .walk = m->target_walk };
		else
			r = (struct as_result){ .err = VG_OK,
			    .cap = m->target_cap, .slot = m->target_lookup.slot,
			    .weak = m->target_weak };
		dst = m->target_object;
	} else {
		r = as_walk_keep(&m->target_lookup,
		    &m->slot[VG_MESSENGER_SLOT_ASPACE], target, true);
		dst = r.err == VG_OK || r.err == AS_VIRTUALIZED ?
		    object_lookup(&r.cap) : NULL;
		m->target_cap = r.cap;
		m->target_object = dst;
		m->target_weak = r.weak;
		m->target_virtual = r.err == AS_VIRTUALIZED;
		m->target_send_epoch = r.err == VG_OK &&
		    r.cap.type == VG_TYPE_RMESSENGER ?
		    m->target_lookup.epoch : 0;
		if (m->target_virtual) {
			m->target_walk = r.walk;
			m->target_residual = cont_walk_residual(&r.walk).raw;
		}
	}
	/* Resolved without help: nothing to remember in the continuation. */
	if (r.err != AS_VIRTUALIZED)
		return messenger_send_resolved(m, &r, nonblocking, dst);
	cont_suspend_target(m, &r, nonblocking);
	return VG_OK;
}

enum vg_err
messenger_receive(struct messenger *m, bool nonblocking)
{
	enum vg_err err = messenger_receive_check(m, nonblocking);

	if (err != VG_OK)
		return err;
	messenger_receive_checked(m);
	return VG_OK;
}

void
messenger_receive_checked(struct messenger *m)
{
	struct messenger *first = m->waiters.head;

	m->flags &= ~(uint32_t)VG_MESSENGER_BLOCKED;
	/* With its own send pending, the first sender waits for its end
	 * (messenger_send_ended). */
	if (first != NULL && !messenger_message_pending(m)) {
		messenger_wait_unlink(first);
		deliver(first, m);
	}
}

static void
reopen_one(struct messenger *m)
{
	struct messenger *first = m->waiters.head;

	if (first == NULL || (m->flags & VG_MESSENGER_BLOCKED) ||
	    m->reserved_by != NULL || messenger_message_pending(m))
		return;
	messenger_wait_unlink(first);
	deliver(first, m);
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

	if (cont_abort(m, err, true))
		return true;
	pending = m->target != NULL || (m->kflags & MSGR_KMSG);

	if (m->target != NULL)
		messenger_wait_unlink(m);
	m->kflags &= ~(uint32_t)MSGR_KMSG;
	if (pending)
		activation_post(m, VG_ACTIVATION_ERROR, err);
	messenger_send_ended(m);
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
bool
messenger_destroy_step(void *frame)
{
	struct messenger *m = frame;

	/* Off the queue it waits on first: aborting the work of others can
	 * reopen that receiver, which must not pick M up again. */
	if (m->target != NULL)
		messenger_wait_unlink(m);
	if (!cont_messenger_destroy_step(m))
		return false;
	activation_unlink(m);
	reopen_unlink(m);
	/* One waiter per step: a queue may be as long as storage allows. */
	if (m->waiters.head != NULL) {
		struct messenger *s = m->waiters.head;

		messenger_wait_unlink(s);
		s->kflags &= ~(uint32_t)MSGR_KMSG;
		activation_post(s, VG_ACTIVATION_ERROR, VG_ERR_DESTROYED);
		messenger_send_ended(s);
		return m->waiters.head == NULL;
	}
	return true;
}

bool
messenger_destroy_is_short(const struct messenger *m)
{
	return m->waiters.head == NULL && m->askers.head == NULL;
}
