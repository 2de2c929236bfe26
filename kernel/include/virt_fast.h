/*
 * The two system calls of a virtualized index, in one pass each, beside
 * the IPC fast path (ipc_fast.h; docs/virtualization.md 2.9, "The fast
 * delivery of a request and its answer").
 *
 * The request: a call of the fast path's shape whose target the sending
 * messenger's target cache keeps as a virtualized level.  The send is
 * suspended (CONT_TARGET) and its INDEX request, a small fixed kernel
 * message, delivered inline to the virtualizer, which receives inline
 * with no slot for the reply right and activates a thread that waits for
 * just that.  The answer: the virtualizer's call that receives again and
 * sends the inline answer -- VG_OK, every residual bit consumed, the
 * inline capability a send right -- to the messenger that awaits it; its
 * capability comes from the answering messenger's answer lookup, and the
 * resumed send is delivered inline, as the fast path delivers, to a
 * receiver that activates a thread waiting for it.
 *
 * Like the fast path: every lookup from a cache the general path filled,
 * every check before the first write, a miss changes nothing and the
 * general path takes the call from the start, and what is written is
 * exactly what the general path writes (the fuzzer compares the two,
 * fuzz/fastpath.c).
 */
#ifndef VG_KERNEL_VIRT_FAST_H
#define VG_KERNEL_VIRT_FAST_H

#include "continuation.h"
#include "ipc_fast.h"

/*
 * D receives inline now and activates its thread, which waits for just
 * that (ipc_fast_shaped's conditions on its receiver): the thread, its
 * UTCB in *UP, or NULL.
 */
static inline __attribute__((always_inline)) struct thread *
virt_fast_receiver(struct thread *caller, struct messenger *d,
    uint64_t epoch, struct vg_utcb **up)
{
	struct thread *to;
	struct vg_utcb *u;

	if ((d->flags & (VG_MESSENGER_BLOCKED |
	    VG_MESSENGER_ACTIVATE_ON_RECEIVE | VG_MESSENGER_RECEIVE_INLINE)) !=
	    (VG_MESSENGER_ACTIVATE_ON_RECEIVE | VG_MESSENGER_RECEIVE_INLINE) ||
	    ((uintptr_t)d->target | (uintptr_t)d->waiters.head |
	    (uintptr_t)d->reserved_by | (uintptr_t)d->act_thread |
	    ipc_fast_cont_busy(&d->cont) |
	    (d->thread_epoch ^ epoch)) != 0)
		return NULL;
	/* Kept only if there is one, and so is its UTCB; not the caller,
	 * which runs. */
	to = d->thread;
	VG_ASSERT(caller->state != VG_THREAD_SUSPENDED);
	if (to->state != VG_THREAD_SUSPENDED ||
	    ((uintptr_t)to->acts.head | (uintptr_t)caller->acts.head |
	    (to->utcb_epoch ^ epoch)) != 0)
		return NULL;
	u = to->utcb;
	if (u->mode & VG_UTCB_ACTIVATED)
		return NULL;
	if (!sched_may_hand_off(caller, to))
		return NULL;
	*up = u;
	return to;
}

/* The end of both: D's thread TO activated for the message just
 * delivered (WAS its ip and sp before), the caller waiting. */
static inline __attribute__((always_inline)) void
virt_fast_activate(struct thread *caller, struct thread *to,
    struct vg_utcb *u, struct messenger *d, struct arch_ip_sp was)
{
	d->inline_ncaps = 0;
	d->inline_cap_void = 0;
	d->received_inline = 1;
	d->flags |= VG_MESSENGER_BLOCKED;
	activation_write_utcb(to, u, d, VG_ACTIVATION_RECEIVED, VG_OK, was);
	arch_fast_set_ip_sp(to, to->handler_ip, to->handler_sp);
	to->state = VG_THREAD_RUNNABLE;
	caller->state = VG_THREAD_SUSPENDED;
	arch_fast_handoff(caller, to);
}

/* One word of WHAT at OFFSET: a single move (a larger copy or clear of
 * a structure would be a rep movs or rep stos, which counts one
 * instruction per four bytes). */
#define VIRT_FAST_WORD_COPY(to, from, offset) \
	__builtin_memcpy((char *)(to) + (offset), \
	    (const char *)(from) + (offset), 8)
#define VIRT_FAST_WORD_CLEAR(what, offset) \
	__builtin_memset((char *)(what) + (offset), 0, 8)

/* *TO = *FROM, its slot NULL. */
static inline __attribute__((always_inline)) void
virt_fast_walk_copy(struct as_walk *to, const struct as_walk *from)
{
	_Static_assert(sizeof(struct as_walk) == 40 &&
	    offsetof(struct as_walk, slot) == 24, "as_walk's words");
	VIRT_FAST_WORD_COPY(to, from, 0);
	VIRT_FAST_WORD_COPY(to, from, 8);
	VIRT_FAST_WORD_COPY(to, from, 16);
	to->slot = NULL;
	VIRT_FAST_WORD_COPY(to, from, 32);
}

/* cont_clear, in line, word by word. */
static inline __attribute__((always_inline)) void
virt_fast_cont_clear(struct continuation *c)
{
	_Static_assert(offsetof(struct continuation, delivery.value) == 13 * 8,
	    "the cleared part's words");
	VIRT_FAST_WORD_CLEAR(c, 0);
	VIRT_FAST_WORD_CLEAR(c, 8);
	VIRT_FAST_WORD_CLEAR(c, 16);
	VIRT_FAST_WORD_CLEAR(c, 24);
	VIRT_FAST_WORD_CLEAR(c, 32);
	VIRT_FAST_WORD_CLEAR(c, 40);
	VIRT_FAST_WORD_CLEAR(c, 48);
	VIRT_FAST_WORD_CLEAR(c, 56);
	VIRT_FAST_WORD_CLEAR(c, 64);
	VIRT_FAST_WORD_CLEAR(c, 72);
	VIRT_FAST_WORD_CLEAR(c, 80);
	VIRT_FAST_WORD_CLEAR(c, 88);
	VIRT_FAST_WORD_CLEAR(c, 96);
}

/*
 * The request: ARGS has the fast path's shape, its messengers passed
 * ipc_fast_shaped's checks (it returned IPC_FAST_VIRTUAL), and the
 * sending messenger's target is a virtualized level.  Suspend the send
 * and deliver its INDEX request to the virtualizer (messenger_send_to,
 * cont_suspend_target, messenger_send, msg_commit).
 */
static inline __attribute__((always_inline)) struct thread *
virt_fast_index_checked(struct thread *caller, const struct vg_ipc_args *a)
{
	uint32_t f = (a->flags & (IPC_FAST_ALLOWS & ~IPC_FAST_NEEDS)) |
	    IPC_FAST_NEEDS;
	uint64_t epoch = cap_epoch;
	/* As ipc_fast_shaped found them. */
	struct messenger *r = caller->mcache[0].m, *s = caller->mcache[1].m;
	struct messenger *v;
	struct continuation *c;
	struct thread *to;
	struct vg_utcb *u;
	struct arch_ip_sp was;
	struct vg_cap reply;
	uint64_t residual;

	if (!cache_lookup_holds_at(&s->target_lookup, a->target, epoch) ||
	    !s->target_virtual)
		return NULL;
	/* The virtualizer takes the request inline and keeps no reply
	 * right: nothing to store in its space. */
	v = s->target_object;
	if (v == r || v == s || !vg_addr_is_void(v->inline_cap))
		return NULL;
	to = virt_fast_receiver(caller, v, epoch, &u);
	if (to == NULL)
		return NULL;

	/* --- commit: the receive phase, the send's suspension, the
	 * request's delivery --- */
	was = arch_fast_ip_sp(to);
	ipc_load_receive(r, a, f);
	r->flags &= ~(uint32_t)VG_MESSENGER_BLOCKED;
	ipc_load_send(s, a, f);

	/* The continuation was clear (no work in progress). */
	c = &s->cont;
	c->phase = CONT_TARGET;
	c->nonblocking = (f & VG_IPC_SEND_NONBLOCKING) != 0;
	virt_fast_walk_copy(&c->walk, &s->target_walk);
	c->awaiting = 1;
	c->requests++;
	residual = s->target_residual;
	/* The request, built where cont_suspend builds it; MSGR_KREQ would
	 * be set and cleared again by its delivery. */
	s->kreq_words[0] = VG_METHOD_INDEX;
	s->kreq_words[1] = residual;
	s->kreq_words[2] = VG_INDEX_FOR_TARGET;
	s->kreq_words[3] = 0;
	s->kreq_nwords = 4;
	reply = s->self;
	reply.type = VG_TYPE_RMESSENGER;
	s->kreq_caps[0] = reply;
	s->kreq_ncaps = 1;
	c->asked = v;
	QUEUE_APPEND(&v->askers, s, cont.asked_link);

	_Static_assert(VG_INLINE_WORDS == 4, "the request fills the words");
	v->inline_words[0] = VG_METHOD_INDEX;
	v->inline_words[1] = residual;
	v->inline_words[2] = VG_INDEX_FOR_TARGET;
	v->inline_words[3] = 0;
	v->inline_nwords = 4;
	virt_fast_activate(caller, to, u, v, was);
	return to;
}

/*
 * The answer to a FAULT request that M carried: the page CAP (S's answer
 * lookup keeps it, without a guard, every bit consumed) for M's faulting
 * thread, which runs again where it faulted.  Map it, make the thread
 * runnable, and the caller wait (cont_answer, cont_resume,
 * thread_fault_resolved, ipc_phases).  A capability that fails the fault
 * -- no page, a write through an rpage, a fetch without the execute
 * right -- or a mapping that needs a table is the general path's.
 */
static inline __attribute__((always_inline)) struct thread *
virt_fast_fault_answer(struct thread *caller, const struct vg_ipc_args *a,
    uint32_t f, struct messenger *r, struct messenger *s, struct messenger *m,
    struct vg_cap cap)
{
	struct continuation *c = &m->cont;
	struct thread *t = c->thread;
	uint64_t vaddr = c->fault_addr & ~(uint64_t)(VG_PAGE_SIZE - 1);
	unsigned access = c->fault_access;
	void *frame = s->answer_object, *entry;
	bool page, exec;

	if (t == NULL || t == caller || t->state != VG_THREAD_FAULTED ||
	    t->fault_messenger != m || caller->acts.head != NULL)
		return NULL;
	/* As the walk found it: weakened by a weak path. */
	if (c->walk.weak)
		cap.type = (uint8_t)vg_type_weaken(cap.type);
	page = cap.type == VG_TYPE_PAGE;
	exec = (cap.rights & VG_CAP_EXECUTE) != 0;
	if ((!page && cap.type != VG_TYPE_RPAGE) ||
	    (access == VG_FAULT_WRITE && !page) ||
	    (access == VG_FAULT_EXECUTE && !exec))
		return NULL;
	entry = arch_fast_map_probe(t, vaddr);
	if (entry == NULL || !sched_may_hand_off(caller, t))
		return NULL;

	/* --- commit: the receive phase, the answer, the mapping --- */
	ipc_load_receive(r, a, f);
	r->flags &= ~(uint32_t)VG_MESSENGER_BLOCKED;
	ipc_load_send(s, a, f);

	QUEUE_REMOVE(&c->asked->askers, m, cont.asked_link);
	virt_fast_cont_clear(c);
	t->fault_messenger = NULL;
	arch_fast_map(t, entry, vaddr, frame,
	    (page ? ARCH_MAP_WRITE : 0u) | (exec ? ARCH_MAP_EXECUTE : 0u));
	t->state = VG_THREAD_RUNNABLE;
	caller->state = VG_THREAD_SUSPENDED;
	arch_fast_resume(caller, t);
	return t;
}

/*
 * The answer: ARGS has the answer's shape (virt_fast_answer_shape), to a
 * messenger whose send or fault awaits it.  Resume that send and deliver it
 * (cont_answer, cont_resume, messenger_send_resolved, msg_commit).
 */
static inline __attribute__((always_inline)) struct thread *
virt_fast_answer(struct thread *caller, const struct vg_ipc_args *a)
{
	uint32_t f = (a->flags & (IPC_FAST_ALLOWS & ~IPC_FAST_NEEDS)) |
	    IPC_FAST_NEEDS | VG_IPC_INLINE_CAP;
	uint32_t n = (f & VG_IPC_INLINE_WORDS_MASK) >>
	    VG_IPC_INLINE_WORDS_SHIFT;
	uint64_t epoch = cap_epoch;
	struct messenger *r, *s, *m, *d;
	struct continuation *c;
	struct thread *to;
	struct vg_utcb *u;
	struct arch_ip_sp was;
	struct vg_cap cap;
	unsigned remaining, nw;

	if (n < 2 || n > VG_INLINE_WORDS ||
	    !ipc_fast_messengers(caller, a, f, epoch, &r, &s))
		return NULL;
	/* To a send right, as S's target cache keeps it, to M, whose send
	 * awaits an answer, its request delivered (queued nowhere). */
	if (!cache_lookup_holds_at(&s->target_lookup, a->target, epoch) ||
	    s->target_virtual || s->target_cap.type != VG_TYPE_RMESSENGER)
		return NULL;
	m = s->target_object;
	c = &m->cont;
	if (m == r || m == s || !c->awaiting || c->asked == NULL ||
	    ((uintptr_t)m->target | (uintptr_t)m->waiters.head |
	    (m->kflags & (MSGR_KMSG | MSGR_KREQ))) != 0)
		return NULL;
	/* VG_OK, every bit consumed, and the capability, as S's answer
	 * lookup keeps it, without a guard: the walk ends there. */
	remaining = vg_addr_depth(c->walk.addr) - c->walk.consumed;
	if (a->inline_words[0] != VG_OK || remaining == 0 ||
	    a->inline_words[1] != remaining ||
	    !answer_lookup_holds(&s->answer_lookup, a->inline_cap,
	    object_deaths))
		return NULL;
	cap = s->answer_cap;
	if (cap.guard_depth != 0 || cap.guard != 0)
		return NULL;
	if (c->phase == CONT_FAULT)
		return virt_fast_fault_answer(caller, a, f, r, s, m, cap);
	/* A send right: the send's target. */
	if (c->phase != CONT_TARGET || cap.type != VG_TYPE_RMESSENGER)
		return NULL;
	/* M's message: inline, without a capability, and M's thread asked
	 * to hear of nothing. */
	d = s->answer_object;
	nw = m->send_nwords;
	if (d == r || d == s || d == m || !m->send_inline ||
	    m->send_ncaps != 0 || nw > VG_INLINE_WORDS ||
	    (m->flags & VG_MESSENGER_ACTIVATE_ON_SEND))
		return NULL;
	to = virt_fast_receiver(caller, d, epoch, &u);
	if (to == NULL)
		return NULL;

	/* --- commit: the receive phase, the answer, the resumed send's
	 * delivery --- */
	was = arch_fast_ip_sp(to);
	ipc_load_receive(r, a, f);
	r->flags &= ~(uint32_t)VG_MESSENGER_BLOCKED;
	ipc_load_send(s, a, f);

	QUEUE_REMOVE(&c->asked->askers, m, cont.asked_link);
	virt_fast_cont_clear(c);

	d->inline_words[0] = nw > 0 ? m->send_words[0] : 0;
	d->inline_words[1] = nw > 1 ? m->send_words[1] : 0;
	d->inline_words[2] = nw > 2 ? m->send_words[2] : 0;
	d->inline_words[3] = nw > 3 ? m->send_words[3] : 0;
	d->inline_nwords = (uint8_t)nw;
	virt_fast_activate(caller, to, u, d, was);
	return to;
}

/*
 * A fast system call for ARGS of either shape (ipc_fast_any_shape): the
 * fast path, or the request or the answer of a virtualized index; NULL,
 * having changed nothing, for the general path.  The platform makes the
 * same choices in its own entry (x86-64: x86_syscall, fastpath.c), so
 * that each is compiled on its own.
 */
static inline __attribute__((always_inline)) struct thread *
ipc_fast_any(struct thread *caller, const struct vg_ipc_args *a)
{
	struct thread *to;

	if (a->flags & VG_IPC_INLINE_CAP)
		return virt_fast_answer(caller, a);
	to = ipc_fast_shaped(caller, a);
	if (to == IPC_FAST_VIRTUAL)
		to = virt_fast_index_checked(caller, a);
	return to;
}

#endif /* VG_KERNEL_VIRT_FAST_H */
