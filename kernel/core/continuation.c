/*
 * The continuation machine (see continuation.h; docs/design.md §5).
 *
 * A suspension saves the walk that met the virtualized level, builds the
 * request in the messenger's kernel request area and sends it; the
 * messenger is then on the virtualizer's list of askers until the answer
 * comes, the work is abandoned, or the virtualizer is destroyed.  An
 * answer resumes the walk from the capability it names, and the result
 * goes back to the kind of work that was suspended: the send
 * (messenger_send_resolved), the delivery (messenger_deliver_resume), or
 * the fault (thread_fault_resolved).
 */
#include <stddef.h>

#include <vg/method.h>
#include <vg/utcb.h>

#include "activation.h"
#include "as.h"
#include "continuation.h"
#include "kassert.h"
#include "kstring.h"
#include "messenger.h"
#include "object.h"
#include "queue.h"
#include "thread.h"
#include "transfer.h"

static void
askers_append(struct messenger *v, struct messenger *m)
{
	m->cont.asked = v;
	QUEUE_APPEND(&v->askers, m, cont.asked_link);
}

static void
askers_unlink(struct messenger *m)
{
	struct messenger *v = m->cont.asked;

	if (v == NULL)
		return;
	QUEUE_REMOVE(&v->askers, m, cont.asked_link);
	m->cont.asked = NULL;
}

/* Everything but the delivery's VALUE[], which each delivery writes
 * before it reads (sources first, then target slots): clearing 512
 * bytes per message was a quarter of the IPC path. */
void
cont_clear(struct continuation *c)
{
	memset(c, 0, offsetof(struct continuation, delivery.value));
}

void
cont_suspend(struct messenger *m, const struct as_result *at, uint64_t method)
{
	struct continuation *c = &m->cont;
	struct messenger *v = object_frame(&at->cap);
	struct vg_cap reply = m->self;

	VG_ASSERT(v != NULL && m->target == NULL && c->phase != CONT_NONE);
	c->walk = at->walk;
	c->walk.slot = NULL;
	c->awaiting = 1;
	c->requests++;

	reply.type = VG_TYPE_RMESSENGER;
	m->kreq_words[0] = method;
	m->kreq_words[1] = cont_walk_residual(&c->walk).raw;
	if (method == VG_METHOD_FAULT) {
		m->kreq_words[2] = c->fault_access;
		m->kreq_nwords = 3;
	} else if (method == VG_METHOD_INDEX) {
		/* What the capability is for: a tracer proxies targets only. */
		m->kreq_words[2] = c->phase == CONT_TARGET ?
		    VG_INDEX_FOR_TARGET : VG_INDEX_FOR_CAPABILITY;
		m->kreq_words[3] = c->phase == CONT_TARGET ? 0 :
		    c->delivery.index;
		m->kreq_nwords = 4;
	} else {
		m->kreq_nwords = 2;
	}
	m->kreq_caps[0] = reply;
	m->kreq_ncaps = 1;
	if (method == VG_METHOD_STORE) {
		m->kreq_caps[1] = c->delivery.value[c->delivery.index];
		m->kreq_ncaps = 2;
	}
	m->kflags |= MSGR_KREQ;
	askers_append(v, m);
	(void)messenger_send(m, v, false);
}

void
cont_suspend_target(struct messenger *m, const struct as_result *at,
    bool nonblocking)
{
	struct continuation *c = &m->cont;

	c->phase = CONT_TARGET;
	c->nonblocking = nonblocking;
	cont_suspend(m, at, VG_METHOD_INDEX);
}

void
cont_suspend_fault(struct messenger *e, struct thread *t, uint64_t addr,
    enum vg_fault_access access, const struct as_result *at)
{
	struct continuation *c = &e->cont;

	cont_clear(c);
	c->phase = CONT_FAULT;
	c->thread = t;
	c->fault_addr = addr;
	c->fault_access = (uint8_t)access;
	t->fault_messenger = e;
	thread_set_state(t, VG_THREAD_FAULTED);
	cont_suspend(e, at, VG_METHOD_FAULT);
}

/*
 * M's suspended work has the result R of its walk (STORED: a
 * virtualizer's "stored" for a delivery's target slot): hand it back to
 * the work, or suspend again on the next virtualized level.
 */
static void
cont_resume(struct messenger *m, const struct as_result *r, bool stored)
{
	struct continuation *c = &m->cont;

	switch ((enum cont_phase)c->phase) {
	case CONT_TARGET: {
		bool nonblocking = c->nonblocking;
		enum vg_err err;

		if (r->err == AS_VIRTUALIZED) {
			cont_suspend(m, r, VG_METHOD_INDEX);
			return;
		}
		cont_clear(c);
		err = messenger_send_resolved(m, r, nonblocking, NULL);
		if (err != VG_OK)
			activation_post(m, VG_ACTIVATION_ERROR, err);
		return;
	}
	case CONT_DELIVERY:
		messenger_deliver_resume(m, r, stored);
		return;
	case CONT_FAULT: {
		struct thread *t = c->thread;
		uint64_t addr = c->fault_addr;
		enum vg_fault_access access =
		    (enum vg_fault_access)c->fault_access;
		enum vg_err err;

		if (r->err == AS_VIRTUALIZED) {
			cont_suspend(m, r, VG_METHOD_FAULT);
			return;
		}
		cont_clear(c);
		t->fault_messenger = NULL;
		err = thread_fault_resolved(t, addr, access, r);
		if (err != VG_OK) {
			struct fault_detail d;

			/* Its handler runs and sees why. */
			fault_detail_of(&d, t, addr, access, r);
			thread_set_state(t, VG_THREAD_SUSPENDED);
			activation_fault(m, &d, err);
		}
		return;
	}
	default:
		kpanic("cont_resume: no work in progress");
	}
}

void
fault_detail_of(struct fault_detail *d, const struct thread *t,
    uint64_t addr, enum vg_fault_access access, const struct as_result *r)
{
	*d = (struct fault_detail){
		.addr = addr,
		.ip = arch_thread_ip_sp(t).ip,
		.info = VG_FAULT_INFO_ACCESS,
		.access = (uint8_t)access,
	};
	if (r->err != VG_OK) {
		d->info |= VG_FAULT_INFO_TRANSLATION;
		d->consumed = r->fault.consumed;
		d->remaining = r->fault.remaining;
	}
}

/*
 * The capability FROM's answer names at ADDR in FROM's space, void if the
 * lookup fails.  A virtualizer answers with the same one again and again:
 * the lookup is kept in FROM (struct answer_lookup).
 */
static struct vg_cap
answer_cap(struct messenger *from, vg_addr_t addr)
{
	struct answer_lookup *l = &from->answer_lookup;
	struct vg_cap *root = &from->slot[VG_MESSENGER_SLOT_ASPACE];
	struct as_memo memo;
	struct as_found found;
	struct as_result r;
	uint32_t n;

	if (answer_lookup_holds(l, addr, object_deaths))
		return from->answer_cap;
	l->deaths = 0;
	/* A straight walk says which slots it went through. */
	as_memo_clear(&memo);
	if (as_walk_straight(root, addr, &memo, &found, true)) {
		n = memo.npath;
		if ((n != 0 || found.slot == root) && n < ANSWER_PATH) {
			for (uint32_t i = 0; i < n; i++) {
				l->slot[i] = memo.path[i];
				l->seen[i] = *memo.path[i];
			}
			l->slot[n] = found.slot;
			l->seen[n] = *found.slot;
			l->n = n + 1;
			l->addr = addr;
			l->deaths = object_deaths;
			from->answer_cap = found.cap;
			from->answer_object = object_frame(&found.cap);
		}
		return found.cap;
	}
	r = as_walk_run(as_walk_start(root, addr));
	return r.err == VG_OK ? r.cap : VG_CAP_VOID;
}

/* A virtualizer's answer failed the walk where it stood. */
static void
cont_failed_at(struct as_result *r, const struct continuation *c,
    unsigned remaining)
{
	r->fault.consumed = (uint8_t)c->walk.consumed;
	r->fault.remaining = (uint8_t)remaining;
}

bool
cont_answer(struct messenger *from, struct messenger *m)
{
	struct continuation *c = &m->cont;
	struct msg_source s;
	uint64_t err, consumed;
	struct vg_cap cap = VG_CAP_VOID;
	struct as_result r;
	bool stored = false;
	unsigned remaining;

	if (!c->awaiting)
		return false;
	/* Read the answer: word 0 the error, word 1 the bits consumed,
	 * capability 0 what was found. */
	msg_source_of(from, &s);
	err = s.len >= 8 ? ((const uint64_t *)(const void *)s.data)[0] :
	    VG_ERR_VIRTUALIZER;
	consumed = s.len >= 16 ? ((const uint64_t *)(const void *)s.data)[1] :
	    0;
	if (s.ncaps > 0) {
		if (s.values != NULL) {
			cap = cap_validate(s.values[0]);
		} else {
			cap = answer_cap(from, s.addr[0]);
		}
	}
	/* FROM's message is consumed: as far as FROM knows, delivered. */
	from->kflags &= ~(uint32_t)MSGR_KMSG;
	if (from->flags & VG_MESSENGER_ACTIVATE_ON_SEND)
		activation_post(from, VG_ACTIVATION_DELIVERED, VG_OK);
	messenger_send_ended(from);

	/* An answer can overtake its own request (anyone M gave a send
	 * right to can answer): the request is withdrawn. */
	if (m->target != NULL)
		messenger_wait_unlink(m);
	m->kflags &= ~(uint32_t)MSGR_KREQ;
	askers_unlink(m);
	c->awaiting = 0;

	remaining = vg_addr_depth(c->walk.addr) - c->walk.consumed;
	if (err != VG_OK) {
		/* Only the ABI's codes: anything else is malformed. */
		r = (struct as_result){ .err = err < VG_ERR_COUNT ?
		    (enum vg_err)err : VG_ERR_VIRTUALIZER };
		cont_failed_at(&r, c, remaining);
	} else if (consumed == 0 || consumed > remaining) {
		r = (struct as_result){ .err = VG_ERR_VIRTUALIZER };
		cont_failed_at(&r, c, remaining);
	} else if (c->phase == CONT_DELIVERY &&
	    c->delivery.stage == DELIVERY_SLOTS && consumed == remaining) {
		r = (struct as_result){ .err = VG_OK };
		stored = true;
	} else if (consumed == remaining && cap.guard_depth == 0 &&
	    cap.guard == 0) {
		/* Every bit consumed, no guard to check: the walk ends at CAP
		 * (as_walk_resume would find just that, with no slot). */
		if (object_frame(&cap) == NULL)
			cap = VG_CAP_VOID;
		else if (c->walk.weak)
			cap = cap_weaken(cap);
		r = (struct as_result){ .err = VG_OK, .cap = cap,
		    .weak = c->walk.weak != 0 };
	} else {
		r = as_walk_resume(c->walk, cap, (unsigned)consumed);
	}
	cont_resume(m, &r, stored);
	messenger_send_ended(m);
	return true;
}

bool
cont_abort(struct messenger *m, enum vg_err err, bool tell)
{
	struct continuation *c = &m->cont;
	enum cont_phase phase = (enum cont_phase)c->phase;
	struct messenger *dst = c->delivery.dst;
	struct thread *t = c->thread;
	uint64_t addr = c->fault_addr;
	uint8_t access = c->fault_access;

	if (phase == CONT_NONE)
		return false;
	if (m->kflags & MSGR_KREQ) {
		if (m->target != NULL)
			messenger_wait_unlink(m);
		m->kflags &= ~(uint32_t)MSGR_KREQ;
	}
	/* A kernel reply whose delivery is abandoned is dropped with it. */
	if (phase == CONT_DELIVERY)
		m->kflags &= ~(uint32_t)MSGR_KMSG;
	askers_unlink(m);
	cont_clear(c);
	if (phase == CONT_FAULT) {
		t->fault_messenger = NULL;
		thread_set_state(t, VG_THREAD_SUSPENDED);
		if (tell) {
			struct fault_detail d = { .addr = addr,
			    .ip = arch_thread_ip_sp(t).ip,
			    .info = VG_FAULT_INFO_ACCESS,
			    .access = access };

			activation_fault(m, &d, err);
		}
		messenger_send_ended(m);
		return true;
	}
	if (phase == CONT_DELIVERY && dst != NULL && dst->reserved_by == m) {
		/* DST was receiving when the delivery began: it is again,
		 * and the next sender in line gets its turn. */
		dst->reserved_by = NULL;
		(void)messenger_receive(dst, false);
	}
	if (tell)
		activation_post(m, VG_ACTIVATION_ERROR, err);
	messenger_send_ended(m);
	return true;
}

bool
cont_messenger_destroy_step(struct messenger *m)
{
	/* Its own work: there is nobody left to tell (a faulting thread it
	 * served is left suspended). */
	(void)cont_abort(m, VG_ERR_DESTROYED, false);
	/* A sender delivering to it. */
	if (m->reserved_by != NULL) {
		struct messenger *s = m->reserved_by;

		m->reserved_by = NULL;
		s->cont.delivery.dst = NULL;
		(void)cont_abort(s, VG_ERR_DESTROYED, true);
	}
	/* Those awaiting its answer as a virtualizer: one per step. */
	if (m->askers.head != NULL) {
		(void)cont_abort(m->askers.head, VG_ERR_DESTROYED, true);
		return m->askers.head == NULL;
	}
	return true;
}

void
cont_thread_destroyed(struct thread *t)
{
	if (t->fault_messenger != NULL)
		(void)cont_abort(t->fault_messenger, VG_ERR_DESTROYED, false);
}
