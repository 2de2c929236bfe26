/*
 * The resumable kernel (see continuation.h and DESIGN.md section 5).
 *
 * cont_advance is the machine.  Each step starts a walk, or takes the
 * walk result an answer produced, and either finishes the step, or, on
 * VG_ERR_VIRTUAL, saves the walk in the continuation and sends a request.
 * Deliveries of the kernel's own requests cannot suspend (the carrying
 * messenger's continuation is the one waiting for them): they run on a
 * continuation on the C stack, and a virtualized level there just fails
 * that capability.
 *
 * Invariants (checked by the fuzzer's invariant checker):
 *  - a messenger awaiting an answer is on exactly one virtualizer's asker
 *    list (cont.asked), and carries its request or has delivered it;
 *  - a receiver reserved for a delivery (reserved_by) is blocked and is
 *    the cont.dst of exactly that sender, whose phase is a delivery phase;
 *  - a thread in VG_THREAD_FAULTED is the cont.thread of its
 *    fault_messenger, whose phase is CONT_FAULT.
 */
#include <stddef.h>

#include <vg/method.h>
#include <vg/utcb.h>

#include "activation.h"
#include "arch.h"
#include "as.h"
#include "capops.h"
#include "continuation.h"
#include "invoke.h"
#include "kassert.h"
#include "kstring.h"
#include "messenger.h"
#include "msgbuf.h"
#include "object.h"
#include "thread.h"

static void
askers_append(struct messenger *v, struct messenger *m)
{
	struct continuation *c = &m->cont;

	c->asked = v;
	c->asked_next = NULL;
	c->asked_prev = v->askers_tail;
	if (v->askers_tail != NULL)
		v->askers_tail->cont.asked_next = m;
	else
		v->askers_head = m;
	v->askers_tail = m;
}

static void
askers_unlink(struct messenger *m)
{
	struct continuation *c = &m->cont;
	struct messenger *v = c->asked;

	if (v == NULL)
		return;
	if (c->asked_prev != NULL)
		c->asked_prev->cont.asked_next = c->asked_next;
	else
		v->askers_head = c->asked_next;
	if (c->asked_next != NULL)
		c->asked_next->cont.asked_prev = c->asked_prev;
	else
		v->askers_tail = c->asked_prev;
	c->asked = c->asked_next = c->asked_prev = NULL;
}

/* Everything but VALUE[], which each delivery writes before it reads
 * (sources first, then target slots): clearing 512 bytes per message
 * was a quarter of the IPC path. */
static void
cont_clear(struct continuation *c)
{
	memset(c, 0, offsetof(struct continuation, value));
}

/* The residual of a suspended walk: the bits not yet translated. */
static vg_addr_t
walk_residual(const struct as_walk *w)
{
	unsigned depth = vg_addr_depth(w->addr);
	unsigned rest = depth - w->consumed;

	return vg_addr(vg_addr_prefix(w->addr) & vg_bits_mask(rest), rest);
}

/*
 * Suspend M's step: save the walk R stopped in and send METHOD to the
 * messenger behind the rmessenger R met, carried by M, replies to M.
 */
static void
cont_suspend(struct messenger *m, const struct as_result *r,
    enum vg_method method)
{
	struct continuation *c = &m->cont;
	struct messenger *v = object_lookup(&r->cap);
	struct vg_cap reply = object_cap_of(m);

	VG_ASSERT(v != NULL && m->target == NULL);
	c->walk = r->walk;
	c->walk.slot = NULL;
	c->awaiting = 1;
	c->requests++;

	reply.type = VG_TYPE_RMESSENGER;
	m->kreq_words[0] = method;
	m->kreq_words[1] = walk_residual(&c->walk).raw;
	if (method == VG_METHOD_FAULT) {
		m->kreq_words[2] = c->fault_write;
		m->kreq_nwords = 3;
	} else if (method == VG_METHOD_INDEX) {
		/* What the capability is for: a tracer proxies targets only. */
		m->kreq_words[2] = c->phase == CONT_TARGET ?
		    VG_INDEX_FOR_TARGET : VG_INDEX_FOR_CAPABILITY;
		m->kreq_words[3] = c->phase == CONT_TARGET ? 0 : c->index;
		m->kreq_nwords = 4;
	} else {
		m->kreq_nwords = 2;
	}
	m->kreq_caps[0] = reply;
	m->kreq_ncaps = 1;
	if (method == VG_METHOD_STORE) {
		m->kreq_caps[1] = c->value[c->index];
		m->kreq_ncaps = 2;
	}
	m->kflags |= MSGR_KREQ;
	askers_append(v, m);
	(void)messenger_send(m, v, false);
}

/* The walk for M's current step, started afresh. */
static struct as_result
step_walk(struct messenger *m, struct continuation *c)
{
	switch ((enum cont_phase)c->phase) {
	case CONT_SOURCE_CAP: {
		vg_addr_t addr;
		const struct vg_cap *value;

		if (!msg_source_cap(m, c->index, &addr, &value))
			return (struct as_result){ .err = VG_ERR_ADDR };
		if (value != NULL)
			return (struct as_result){ .err = VG_OK,
			    .cap = cap_validate(*value) };
		return as_walk_run(as_walk_start(
		    &m->slot[VG_MESSENGER_SLOT_ASPACE], addr));
	}
	case CONT_TARGET_SLOT: {
		vg_addr_t addr = msg_target_addr(c->dst, c->index);

		/* The root address would name the receiver's own ASPACE
		 * slot, which a message must not overwrite. */
		if (vg_addr_depth(addr) == 0)
			return (struct as_result){ .err = VG_ERR_ADDR };
		return as_walk_run(as_walk_start(
		    &c->dst->slot[VG_MESSENGER_SLOT_ASPACE], addr));
	}
	case CONT_FAULT:
		return as_walk_run(as_walk_start_cached(
		    &c->thread->slot[VG_THREAD_SLOT_ASPACE],
		    vg_addr_of_data(c->fault_addr), AS_CACHE_PAGES));
	default:
		kpanic("step_walk: no walk for this phase");
	}
}

/* The send's target is resolved (R; DST its messenger if known): deliver,
 * queue or invoke. */
static enum vg_err
send_resolved(struct messenger *m, const struct as_result *r, bool nonblocking,
    struct messenger *dst)
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
		return VG_OK;
	}
}

/* The same for a target an answer resolved: M's work ends here. */
static enum vg_err
target_done(struct messenger *m, struct as_result r)
{
	bool nonblocking = m->cont.nonblocking;

	cont_clear(&m->cont);
	return send_resolved(m, &r, nonblocking, NULL);
}

/* T's fault at ADDR is resolved to R (or not): map the page, or say why
 * not.  T runs again if the page was mapped. */
static enum vg_err
fault_finish(struct thread *t, uint64_t addr, bool write, struct as_result r)
{
	enum vg_err err = r.err;
	void *frame = NULL;

	if (err == VG_OK) {
		if (r.cap.type == VG_TYPE_PAGE ||
		    (!write && r.cap.type == VG_TYPE_RPAGE))
			frame = object_lookup(&r.cap);
		else
			err = r.cap.type == VG_TYPE_RPAGE ? VG_ERR_WEAK :
			    r.cap.type == VG_TYPE_VOID ? VG_ERR_VOID :
			    VG_ERR_TYPE;
	}
	if (frame == NULL)
		return err;
	arch_map_page(t, addr & ~(uint64_t)(VG_PAGE_SIZE - 1), frame,
	    r.cap.type == VG_TYPE_PAGE);
	thread_set_state(t, VG_THREAD_RUNNABLE);
	return VG_OK;
}

/*
 * Report T's failed fault at ADDR through its exception messenger E.  The
 * address travels with the activation: E's thread may be a pager rather
 * than T.
 */
static void
fault_report(struct messenger *e, uint64_t addr, enum vg_err err)
{
	e->act_fault_addr = addr;
	e->act_exception = 0;
	activation_post(e, VG_ACTIVATION_FAULT | VG_ACTIVATION_ERROR, err);
}

bool
thread_exception(struct thread *t, uint64_t addr, uint32_t vector,
    enum vg_err err)
{
	const struct vg_cap *ecap = &t->slot[VG_THREAD_SLOT_EXCEPTION];
	struct messenger *e = ecap->type == VG_TYPE_MESSENGER ?
	    object_lookup(ecap) : NULL;

	thread_set_state(t, VG_THREAD_SUSPENDED);
	if (e == NULL) {
		thread_set_state(t, VG_THREAD_STOPPED);
		return false;
	}
	e->act_fault_addr = addr;
	e->act_exception = err == VG_ERR_EXCEPTION ? vector : 0;
	activation_post(e, VG_ACTIVATION_FAULT | VG_ACTIVATION_ERROR, err);
	return true;
}

/*
 * Advance M's work as far as it goes without help.  R_IN is the result of
 * the current step's walk if an answer produced it; STORED says that the
 * answer was a virtualizer's "stored" for the current target slot.  C is
 * M's continuation, or one on the caller's stack if !MAY_SUSPEND.
 * Returns the error of a send or fault that failed; VG_OK otherwise.
 */
static enum vg_err
cont_advance(struct messenger *m, struct continuation *c,
    struct as_result *r_in, bool stored, bool may_suspend)
{
	struct as_result r;

	for (;;) {
		enum cont_phase phase = (enum cont_phase)c->phase;

		if (phase == CONT_SOURCE_CAP && c->index == c->ncaps) {
			c->phase = CONT_TARGET_SLOT;
			c->index = 0;
			continue;
		}
		if (phase == CONT_TARGET_SLOT && c->index == c->ncaps) {
			struct messenger *dst = c->dst;
			uint32_t n = c->ncaps, cap_void = c->cap_void;

			if (may_suspend)
				cont_clear(c);
			msg_commit(m, dst, n, cap_void);
			return VG_OK;
		}

		if (r_in != NULL) {
			r = *r_in;
			r_in = NULL;
		} else if (phase == CONT_TARGET) {
			kpanic("cont_advance: target phase without a walk");
		} else {
			r = step_walk(m, c);
		}

		/* Below a weak capability nothing may be stored, so no
		 * virtualizer is asked to store either. */
		if (r.err == VG_ERR_VIRTUAL && phase == CONT_TARGET_SLOT &&
		    r.walk.weak)
			r.err = VG_ERR_WEAK;
		if (r.err == VG_ERR_VIRTUAL && may_suspend) {
			cont_suspend(m, &r, phase == CONT_TARGET_SLOT ?
			    VG_METHOD_STORE : phase == CONT_FAULT ?
			    VG_METHOD_FAULT : VG_METHOD_INDEX);
			return VG_OK;
		}

		switch (phase) {
		case CONT_TARGET:
			return target_done(m, r);
		case CONT_FAULT: {
			struct thread *t = c->thread;
			uint64_t addr = c->fault_addr;
			bool write = c->fault_write;
			enum vg_err err;

			cont_clear(c);
			t->fault_messenger = NULL;
			err = fault_finish(t, addr, write, r);
			if (err != VG_OK) {
				/* Its handler runs and sees why. */
				thread_set_state(t, VG_THREAD_SUSPENDED);
				fault_report(m, addr, err);
			}
			return VG_OK;
		}
		case CONT_SOURCE_CAP:
			c->value[c->index] = r.err == VG_OK ? r.cap : VG_CAP_VOID;
			if (c->value[c->index].type == VG_TYPE_VOID)
				c->cap_void |= 1u << c->index;
			c->index++;
			break;
		case CONT_TARGET_SLOT:
			if (stored) {
				stored = false;
			} else if (r.err == VG_OK && r.slot != NULL && !r.weak) {
				cap_store(r.slot, c->value[c->index]);
			} else {
				c->cap_void |= 1u << c->index;
			}
			c->index++;
			break;
		default:
			kpanic("cont_advance: no work in progress");
		}
	}
}

enum vg_err
xfer_send(struct messenger *m, vg_addr_t target, bool nonblocking)
{
	struct continuation *c = &m->cont;
	struct as_result r;
	struct messenger *dst = NULL;

	/*
	 * Senders send to the same target again and again.  The cache keeps
	 * where the walk ended -- the target, or the virtualized level on
	 * its way, with the walk to resume -- and compares that slot on use.
	 */
	if (as_lookup_holds(&m->target_lookup, target)) {
		if (m->target_virtual)
			r = (struct as_result){ .err = VG_ERR_VIRTUAL,
			    .cap = m->target_cap, .weak = m->target_weak,
			    .walk = m->target_walk };
		else
			r = (struct as_result){ .err = VG_OK,
			    .cap = m->target_cap, .slot = m->target_lookup.slot,
			    .weak = m->target_weak };
		dst = m->target_object;
	} else {
		struct vg_cap *end;

		r = as_walk_run(as_walk_start_cached(
		    &m->slot[VG_MESSENGER_SLOT_ASPACE], target,
		    AS_CACHE_LOOKUPS));
		end = r.err == VG_OK ? r.slot : r.err == VG_ERR_VIRTUAL ?
		    r.walk.slot : NULL;
		if (r.err == VG_OK || r.err == VG_ERR_VIRTUAL)
			dst = object_lookup(&r.cap);
		if (end != NULL) {
			as_lookup_keep(&m->target_lookup, target, end);
			m->target_cap = r.cap;
			m->target_object = dst;
			m->target_weak = r.weak;
			m->target_virtual = r.err == VG_ERR_VIRTUAL;
			if (m->target_virtual)
				m->target_walk = r.walk;
		}
	}
	VG_ASSERT(c->phase == CONT_NONE);
	/* Resolved without help: nothing to remember in the continuation. */
	if (r.err != VG_ERR_VIRTUAL)
		return send_resolved(m, &r, nonblocking, dst);
	c->phase = CONT_TARGET;
	c->nonblocking = nonblocking;
	return cont_advance(m, c, &r, false, true);
}

void
messenger_transfer(struct messenger *src, struct messenger *dst)
{
	struct continuation local;
	struct msg_source s;
	bool request = (src->kflags & MSGR_KREQ) != 0;
	struct continuation *c = request ? &local : &src->cont;
	uint32_t slots = 0;
	const struct vg_cap *value;
	vg_addr_t addr;

	VG_ASSERT(request || c->phase == CONT_NONE);
	/* No capability to resolve: nothing can suspend, so the machine
	 * below would go straight to the commit. */
	if (msg_source_cap(src, 0, &addr, &value))
		slots = msg_target_slots(dst);
	if (slots == 0) {
		msg_commit(src, dst, 0, 0);
		return;
	}
	msg_source_of(src, &s);
	cont_clear(c);
	c->phase = CONT_SOURCE_CAP;
	c->ncaps = (uint8_t)(s.ncaps < slots ? s.ncaps : slots);
	c->dst = dst;
	/* Reserved: nobody else delivers to DST until this is done. */
	dst->flags |= VG_MESSENGER_BLOCKED;
	dst->reserved_by = src;
	(void)cont_advance(src, c, NULL, false, !request);
}

bool
xfer_answer(struct messenger *from, struct messenger *m)
{
	struct continuation *c = &m->cont;
	struct msg_source s;
	uint64_t err, consumed;
	struct vg_cap cap = VG_CAP_VOID;
	struct as_result r;
	bool stored = false;
	unsigned remaining;
	enum vg_err result;

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
			struct as_result rc = as_walk_run(as_walk_start(
			    &from->slot[VG_MESSENGER_SLOT_ASPACE], s.addr[0]));

			if (rc.err == VG_OK)
				cap = rc.cap;
		}
	}
	/* FROM's message is consumed: as far as FROM knows, delivered. */
	from->kflags &= ~(uint32_t)MSGR_KMSG;
	if (from->flags & VG_MESSENGER_ACTIVATE_ON_SEND)
		activation_post(from, VG_ACTIVATION_DELIVERED, VG_OK);

	/* An answer can overtake its own request (anyone M gave a send
	 * right to can answer): the request is withdrawn. */
	if (m->target != NULL)
		messenger_wait_unlink(m);
	m->kflags &= ~(uint32_t)MSGR_KREQ;
	askers_unlink(m);
	c->awaiting = 0;

	remaining = vg_addr_depth(c->walk.addr) - c->walk.consumed;
	if (err != VG_OK) {
		/* VG_ERR_VIRTUAL means "suspend" inside the kernel: from a
		 * virtualizer it is as malformed as an unknown code. */
		r = (struct as_result){ .err = err < VG_ERR_COUNT &&
		    err != VG_ERR_VIRTUAL ? (enum vg_err)err :
		    VG_ERR_VIRTUALIZER };
	} else if (consumed == 0 || consumed > remaining) {
		r = (struct as_result){ .err = VG_ERR_VIRTUALIZER };
	} else if (c->phase == CONT_TARGET_SLOT && consumed == remaining) {
		r = (struct as_result){ .err = VG_OK };
		stored = true;
	} else {
		r = as_walk_resume(c->walk, cap, (unsigned)consumed);
	}
	result = cont_advance(m, c, &r, stored, true);
	if (result != VG_OK)
		activation_post(m, VG_ACTIVATION_ERROR, result);
	return true;
}

bool
xfer_abort(struct messenger *m, enum vg_err err, bool tell)
{
	struct continuation *c = &m->cont;
	enum cont_phase phase = (enum cont_phase)c->phase;
	struct messenger *dst = c->dst;
	struct thread *t = c->thread;
	uint64_t addr = c->fault_addr;

	if (phase == CONT_NONE)
		return false;
	if (m->kflags & MSGR_KREQ) {
		if (m->target != NULL)
			messenger_wait_unlink(m);
		m->kflags &= ~(uint32_t)MSGR_KREQ;
	}
	/* A kernel reply whose delivery is abandoned is dropped with it. */
	if (phase == CONT_SOURCE_CAP || phase == CONT_TARGET_SLOT)
		m->kflags &= ~(uint32_t)MSGR_KMSG;
	askers_unlink(m);
	cont_clear(c);
	if (phase == CONT_FAULT) {
		t->fault_messenger = NULL;
		thread_set_state(t, VG_THREAD_SUSPENDED);
		if (tell)
			fault_report(m, addr, err);
		return true;
	}
	if (dst != NULL && dst->reserved_by == m) {
		/* DST was receiving when the delivery began: it is again,
		 * and the next sender in line gets its turn. */
		dst->reserved_by = NULL;
		(void)messenger_receive(dst, false);
	}
	if (tell)
		activation_post(m, VG_ACTIVATION_ERROR, err);
	return true;
}

void
xfer_messenger_destroyed(struct messenger *m)
{
	/* Its own work: there is nobody left to tell (a faulting thread it
	 * served is left suspended). */
	(void)xfer_abort(m, VG_ERR_DESTROYED, false);
	/* A sender delivering to it. */
	if (m->reserved_by != NULL) {
		struct messenger *s = m->reserved_by;

		m->reserved_by = NULL;
		s->cont.dst = NULL;
		(void)xfer_abort(s, VG_ERR_DESTROYED, true);
	}
	/* Everyone awaiting its answer as a virtualizer. */
	while (m->askers_head != NULL)
		(void)xfer_abort(m->askers_head, VG_ERR_DESTROYED, true);
}

void
xfer_thread_destroyed(struct thread *t)
{
	if (t->fault_messenger != NULL)
		(void)xfer_abort(t->fault_messenger, VG_ERR_DESTROYED, false);
}

enum vg_err
fault_resolve(struct thread *t, uint64_t addr, bool write)
{
	const struct vg_cap *ecap = &t->slot[VG_THREAD_SLOT_EXCEPTION];
	struct as_result r = as_walk_run(as_walk_start_cached(
	    &t->slot[VG_THREAD_SLOT_ASPACE], vg_addr_of_data(addr),
	    AS_CACHE_PAGES));
	struct messenger *e;

	if (r.err != VG_ERR_VIRTUAL)
		return fault_finish(t, addr, write, r);
	e = ecap->type == VG_TYPE_MESSENGER ? object_lookup(ecap) : NULL;
	if (e == NULL)
		return VG_ERR_VIRTUAL;	/* nobody to carry the request */
	if (messenger_busy(e) || t->fault_messenger != NULL)
		return VG_ERR_BUSY;
	cont_clear(&e->cont);
	e->cont.phase = CONT_FAULT;
	e->cont.thread = t;
	e->cont.fault_addr = addr;
	e->cont.fault_write = write;
	t->fault_messenger = e;
	thread_set_state(t, VG_THREAD_FAULTED);
	return cont_advance(e, &e->cont, &r, false, true);
}
