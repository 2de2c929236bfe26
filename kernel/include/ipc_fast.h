/*
 * vg_ipc's fast path: the call and the reply of a conversation between
 * two threads, in one pass (docs/design.md §4, "The fast path").
 *
 * The shape it takes: receive on one messenger and send inline words,
 * without a capability, from another, to a send right whose messenger is
 * receiving inline and activates a thread that waits for just that; the
 * caller then waits too, and the thread it woke may run in its place
 * (sched_may_hand_off).  Every lookup comes from a cache the general path
 * filled.  Everything is checked before anything is written, so that a
 * miss leaves no trace and the general path (ipc.c), which stays the
 * definition, takes the call from the start; what is written is exactly
 * what the general path writes for the same call, in the same order
 * (tests/unit/ipc_fast_test.c and the fuzzer compare the two).
 *
 * Inline, in a header: the platform's system call entry includes it, so
 * that the whole path is one function without calls.  The platform's own
 * arch_fast.h gives it, inline, what arch.h's hooks would do:
 *
 *   arch_fast_ip_sp(t)		 arch_thread_ip_sp
 *   arch_fast_set_ip_sp(t, ip, sp) arch_thread_set_ip_sp
 *   arch_fast_handoff(from, to)	 FROM was set suspended and TO, which
 *				 it activated, runnable: what
 *				 arch_thread_state_changed(TO),
 *				 arch_thread_activated(TO) and
 *				 arch_thread_state_changed(FROM) would
 *				 do, in that order, except that TO joins
 *				 no run queue where the platform runs it
 *				 next (x86-64's entry switches to it).
 *   arch_fast_resume(from, to)	 the same for TO made runnable without
 *				 an activation (a resolved fault):
 *				 arch_thread_state_changed(TO), then
 *				 (FROM).
 *   arch_fast_map_probe(t, va)	 what arch_map_page(T, VA, ...) would
 *				 write, if it can map it without a
 *				 change to the tables above the entry,
 *				 else NULL (the fast path declines)
 *   arch_fast_map(t, e, va, frame, flags)  arch_map_page at that entry
 */
#ifndef VG_KERNEL_IPC_FAST_H
#define VG_KERNEL_IPC_FAST_H

#include <stddef.h>

#include <vg/ipc.h>
#include <vg/method.h>
#include <vg/utcb.h>

#include "activation.h"
#include "arch.h"
#include "arch_fast.h"
#include "cache.h"
#include "ipc.h"
#include "kassert.h"
#include "messenger.h"
#include "sched.h"
#include "thread.h"

/* Which of the inline words a message of N words keeps. */
static const uint64_t ipc_fast_keep[VG_INLINE_WORDS + 1][VG_INLINE_WORDS] = {
	{ 0, 0, 0, 0 },
	{ ~0ull, 0, 0, 0 },
	{ ~0ull, ~0ull, 0, 0 },
	{ ~0ull, ~0ull, ~0ull, 0 },
	{ ~0ull, ~0ull, ~0ull, ~0ull },
};

/* A continuation's phase and awaiting flag, side by side: nonzero if
 * either is (one load for both). */
static inline __attribute__((always_inline)) uint16_t
ipc_fast_cont_busy(const struct continuation *c)
{
	uint16_t v;

	_Static_assert(offsetof(struct continuation, awaiting) ==
	    offsetof(struct continuation, phase) + 1, "phase, awaiting");
	__builtin_memcpy(&v, &c->phase, sizeof(v));
	return v;
}

/* The binding options change nothing: M is bound as they ask already. */
static inline __attribute__((always_inline)) bool
ipc_fast_bound(const struct messenger *m, const struct thread *caller,
    uint32_t f, uint32_t thread_flag, uint32_t asroot_flag)
{
	return (!(f & thread_flag) ||
	    cap_same(&m->slot[VG_MESSENGER_SLOT_THREAD], &caller->self)) &&
	    (!(f & asroot_flag) ||
	    cap_same(&m->slot[VG_MESSENGER_SLOT_ASPACE],
	    &caller->slot[VG_THREAD_SLOT_ASPACE]));
}

/* What ipc_fast_shaped returns, having changed nothing, for a call
 * whose messengers pass its checks and whose sending messenger's target
 * cache keeps a virtualized level: virt_fast_index's call, perhaps. */
#define IPC_FAST_VIRTUAL	((struct thread *)1)

/*
 * The checks every fast call makes of the caller's messengers, R
 * (receive) and S (send), F the flags as the shape has them: both
 * lookups kept, R receives and nobody waits to be delivered to it, S has
 * nothing under way (messenger_busy) and nobody waits for its send to
 * end, the binding options change nothing.  True with *R and *S.
 */
static inline __attribute__((always_inline)) bool
ipc_fast_messengers(struct thread *caller, const struct vg_ipc_args *a,
    uint32_t f, uint64_t epoch, struct messenger **rp, struct messenger **sp)
{
	struct messenger *r, *s;

	if (!cache_lookup_noted_holds_at(&caller->mcache[0].l, a->recv_messenger,
	    epoch) ||
	    !cache_lookup_noted_holds_at(&caller->mcache[1].l, a->send_messenger,
	    epoch))
		return false;
	r = caller->mcache[0].m;
	s = caller->mcache[1].m;
	if (r == s || ((uintptr_t)r->reserved_by | (uintptr_t)r->waiters.head |
	    (uintptr_t)s->target | (uintptr_t)s->waiters.head |
	    (s->kflags & (MSGR_KMSG | MSGR_KREQ)) | s->cont.phase) != 0)
		return false;
	if (unlikely(f & (VG_IPC_RECEIVE_SET_THREAD_TO_CALLER |
	    VG_IPC_RECEIVE_SET_ASROOT_TO_CALLERS |
	    VG_IPC_SEND_SET_THREAD_TO_CALLER |
	    VG_IPC_SEND_SET_ASROOT_TO_CALLERS)) &&
	    (!ipc_fast_bound(r, caller, f, VG_IPC_RECEIVE_SET_THREAD_TO_CALLER,
	    VG_IPC_RECEIVE_SET_ASROOT_TO_CALLERS) ||
	    !ipc_fast_bound(s, caller, f, VG_IPC_SEND_SET_THREAD_TO_CALLER,
	    VG_IPC_SEND_SET_ASROOT_TO_CALLERS)))
		return false;
	*rp = r;
	*sp = s;
	return true;
}

/*
 * ARGS has the shape (ipc_fast_shape).  If everything it needs is cached
 * and ready, do all of it -- receive phase, send, delivery, the
 * receiver's activation, the caller's wait -- and return the thread it
 * activated, which the platform runs next (arch_fast_handoff); VG_OK is
 * the caller's result.
 * Otherwise return NULL, having changed nothing: ipc() does the call; or
 * IPC_FAST_VIRTUAL, for virt_fast_index_checked to try (the test is
 * made only where the target's fails, off the plain call's way).
 */
static inline __attribute__((always_inline)) struct thread *
ipc_fast_shaped(struct thread *caller, const struct vg_ipc_args *a)
{
	/* The flags as the shape has them: what it needs set, what it does
	 * not allow clear, so that the tests on them fold. */
	uint32_t f = (a->flags & (IPC_FAST_ALLOWS & ~IPC_FAST_NEEDS)) |
	    IPC_FAST_NEEDS;
	uint32_t n = (f & VG_IPC_INLINE_WORDS_MASK) >>
	    VG_IPC_INLINE_WORDS_SHIFT;
	uint64_t epoch = cap_epoch;
	struct messenger *r, *s, *dst;
	struct thread *to;
	struct vg_utcb *u;
	struct arch_ip_sp was;

	/* --- checks: nothing is written until all have passed.  Tests of
	 * fields that must all be zero are or-ed, one branch for each
	 * object. --- */
	if (n > VG_INLINE_WORDS ||
	    !ipc_fast_messengers(caller, a, f, epoch, &r, &s))
		return NULL;
	/* The target: a send right, as S's target cache keeps it (its
	 * lookup's epoch, kept apart for a send right) ... */
	if (s->target_send_epoch != epoch ||
	    s->target_lookup.addr.raw != a->target.raw ||
	    !cap_same(s->target_lookup.slot, &s->target_lookup.seen))
		return unlikely(s->target_virtual) ? IPC_FAST_VIRTUAL : NULL;
	dst = s->target_object;
	/* ... to a messenger that receives inline now, activating its
	 * thread, with nothing of its own under way (no message pending,
	 * no virtualizer's answer awaited), nobody waiting on it and no
	 * activation queued. */
	if (dst == r || dst == s ||
	    (dst->flags & (VG_MESSENGER_BLOCKED |
	    VG_MESSENGER_ACTIVATE_ON_RECEIVE | VG_MESSENGER_RECEIVE_INLINE)) !=
	    (VG_MESSENGER_ACTIVATE_ON_RECEIVE | VG_MESSENGER_RECEIVE_INLINE) ||
	    ((uintptr_t)dst->target | (uintptr_t)dst->waiters.head |
	    (uintptr_t)dst->reserved_by | (uintptr_t)dst->act_thread |
	    ipc_fast_cont_busy(&dst->cont) |
	    (dst->thread_epoch ^ epoch)) != 0)
		return NULL;
	/* Its thread waits for an activation, and gets this one now: not
	 * in activated mode, nothing queued, its UTCB known.  The caller
	 * waits (nothing is queued for it to collect). */
	to = dst->thread;	/* kept only if there is one */
	/* (Not the caller, which runs: never suspended here.) */
	VG_ASSERT(caller->state != VG_THREAD_SUSPENDED);
	if (to->state != VG_THREAD_SUSPENDED ||
	    ((uintptr_t)to->acts.head | (uintptr_t)caller->acts.head |
	    (to->utcb_epoch ^ epoch)) != 0)
		return NULL;
	u = to->utcb;		/* the same */
	if (u->mode & VG_UTCB_ACTIVATED)
		return NULL;
	/* The thread it wakes may run in its place. */
	if (!sched_may_hand_off(caller, to))
		return NULL;

	/* --- commit: the receive phase, the send, the delivery --- */
	/* Read before the stores, which the call would make reload. */
	was = arch_fast_ip_sp(to);
	ipc_load_receive(r, a, f);
	r->flags &= ~(uint32_t)VG_MESSENGER_BLOCKED;
	ipc_load_send(s, a, f);

	/* The words sent, the rest zero (msg_commit): masked, without a
	 * branch. */
	_Static_assert(VG_INLINE_WORDS == 4, "the words, one by one");
	dst->inline_words[0] = a->inline_words[0] & ipc_fast_keep[n][0];
	dst->inline_words[1] = a->inline_words[1] & ipc_fast_keep[n][1];
	dst->inline_words[2] = a->inline_words[2] & ipc_fast_keep[n][2];
	dst->inline_words[3] = a->inline_words[3] & ipc_fast_keep[n][3];
	dst->inline_nwords = (uint8_t)n;
	dst->inline_ncaps = 0;
	dst->inline_cap_void = 0;
	dst->received_inline = 1;
	dst->flags |= VG_MESSENGER_BLOCKED;

	activation_write_utcb(to, u, dst, VG_ACTIVATION_RECEIVED, VG_OK, was);
	arch_fast_set_ip_sp(to, to->handler_ip, to->handler_sp);
	to->state = VG_THREAD_RUNNABLE;
	caller->state = VG_THREAD_SUSPENDED;
	arch_fast_handoff(caller, to);
	return to;
}

#endif /* VG_KERNEL_IPC_FAST_H */
