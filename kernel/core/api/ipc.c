/*
 * vg_ipc: receive, then send, then return (vg/ipc.h, docs/design.md §4).
 * This file validates and decodes; messenger.c sends, queues and
 * delivers, transfer.c moves the message, invoke.c runs kernel methods.
 */
#include <stddef.h>

#include <vg/ipc.h>
#include <vg/method.h>

#include "as.h"
#include "cache.h"
#include "ipc.h"
#include "kstring.h"
#include "messenger.h"
#include "object.h"
#include "thread.h"

uint64_t ipc_fast_needs = IPC_FAST_NEEDS;

void
ipc_fast_set_enabled(bool on)
{
	ipc_fast_needs = on ? IPC_FAST_NEEDS : ~(uint64_t)0;
}

/* The strong messenger at ADDR in CALLER's address space, looked up and
 * kept in entry WHICH of the caller's cache. */
static __attribute__((noinline)) enum vg_err
caller_messenger_walk(struct thread *caller, vg_addr_t addr,
    struct messenger **m, unsigned which)
{
	struct cache_lookup_noted *l = &caller->mcache[which].l;
	struct vg_cap *root = &caller->slot[VG_THREAD_SLOT_ASPACE];
	struct as_memo *memo = &caller->mmemo;
	struct vg_cap *slot = NULL;
	struct as_result r;
	struct as_found f;
	bool weak = false;

	/* Straight, often from the memo: no slot on its way has changed
	 * while cap_epoch has not moved (its slots are noted). */
	if (caller->mmemo_epoch != cap_epoch) {
		as_memo_clear(memo);
		caller->mmemo_map = NULL;
		caller->mmemo_epoch = cap_epoch;
	}
	if (memo->npath != 0 && memo->path[0] == root) {
		struct as_memo_fast q;

		as_memo_fast_load(&q, memo);
		slot = as_memo_fast_slot(&q, addr);
		weak = q.weak != 0;
	}
	if (slot == NULL) {
		/* The memo may move to another cappage. */
		caller->mmemo_map = NULL;
		if (as_walk_straight_noted(root, addr, memo, &f)) {
			slot = f.slot;
			weak = f.weak;
		}
	}
	if (slot != NULL && !weak && slot->type == VG_TYPE_MESSENGER &&
	    (*m = object_frame(slot)) != NULL) {
		/* The slot it ends at too, as as_walk_keep_noted notes it:
		 * one bit in the map of the memo's cappage, once known. */
		if (caller->mmemo_map != NULL)
			cache_note_in(caller->mmemo_map, slot);
		else if (memo->npath != 0 && slot >= memo->base &&
		    slot < memo->base + ((size_t)1 << memo->n))
			caller->mmemo_map = cache_note_map(slot,
			    CACHE_LOOKUPS);
		else
			cache_note(slot, CACHE_LOOKUPS);
		cache_lookup_noted_keep(l, addr);
		caller->mcache[which].m = *m;
		return VG_OK;
	}
	r = as_result_want_object(as_walk_keep_noted(l, root, addr, false),
	    VG_TYPE_MESSENGER);
	if (r.err != VG_OK) {
		cache_lookup_noted_forget(l);
		return r.err;
	}
	*m = object_lookup(&r.cap);
	caller->mcache[which].m = *m;
	return VG_OK;
}

/* The same, from the cache if it can be: WHICH is 0 for the receive
 * phase, 1 for the send phase, and a program uses the same messengers
 * call after call. */
static inline enum vg_err
caller_messenger(struct thread *caller, vg_addr_t addr, struct messenger **m,
    unsigned which)
{
	if (cache_lookup_noted_holds(&caller->mcache[which].l, addr)) {
		*m = caller->mcache[which].m;
		return VG_OK;
	}
	return caller_messenger_walk(caller, addr, m, which);
}

/* The _SET_THREAD_TO_CALLER and _SET_ASROOT_TO_CALLERS options. */
static inline void
bind_to_caller(struct messenger *m, struct thread *caller, bool thread,
    bool asroot)
{
	struct vg_cap *t = &m->slot[VG_MESSENGER_SLOT_THREAD];
	struct vg_cap *a = &m->slot[VG_MESSENGER_SLOT_ASPACE];
	bool changed = false;

	if (thread && !cap_same(t, &caller->self)) {
		*t = caller->self;
		changed = true;
	}
	if (asroot && !cap_same(a, &caller->slot[VG_THREAD_SLOT_ASPACE])) {
		*a = caller->slot[VG_THREAD_SLOT_ASPACE];
		changed = true;
	}
	/* A messenger's slots can lie on a translation path; rebinding it
	 * to what it already names (the common case) changes nothing. */
	if (changed)
		cache_object_changed(m);
}

static enum vg_err
receive_phase(struct thread *caller, const struct vg_ipc_args *a)
{
	uint32_t f = a->flags;
	struct messenger *m;
	enum vg_err err = caller_messenger(caller, a->recv_messenger, &m, 0);

	if (err != VG_OK)
		return err;
	/* A receive that fails changes nothing: not even the options. */
	err = messenger_receive_check(m, f & VG_IPC_RECEIVE_NONBLOCKING);
	if (err != VG_OK)
		return err;
	/* commit: no failure past here; the options stick even if nothing
	 * is queued */
	bind_to_caller(m, caller, f & VG_IPC_RECEIVE_SET_THREAD_TO_CALLER,
	    f & VG_IPC_RECEIVE_SET_ASROOT_TO_CALLERS);
	ipc_load_receive(m, a, a->flags);
	messenger_receive_checked(m);
	return VG_OK;
}

static enum vg_err
send_phase(struct thread *caller, const struct vg_ipc_args *a)
{
	uint32_t f = a->flags;
	struct messenger *s;
	enum vg_err err = caller_messenger(caller, a->send_messenger, &s, 1);

	if (err != VG_OK)
		return err;
	if (messenger_busy(s))
		return VG_ERR_BUSY;

	/* commit: the message and options are loaded into the messenger */
	bind_to_caller(s, caller, f & VG_IPC_SEND_SET_THREAD_TO_CALLER,
	    f & VG_IPC_SEND_SET_ASROOT_TO_CALLERS);
	ipc_load_send(s, a, a->flags);

	return messenger_send_to(s, a->target, f & VG_IPC_SEND_NONBLOCKING);
}

enum vg_err
ipc_phases(struct thread *caller, const struct vg_ipc_args *a)
{
	uint32_t f = a->flags;
	uint64_t activations = caller->activations;
	uint64_t epoch = cap_epoch;
	struct vg_cap self = caller->self;
	enum vg_err err = VG_OK;

	if (f & VG_IPC_RECEIVE)
		err = receive_phase(caller, a);
	if (err == VG_OK && (f & VG_IPC_SEND))
		err = send_phase(caller, a);
	/* A method may have destroyed the caller itself (destruction moves
	 * cap_epoch). */
	if (cap_epoch != epoch && object_lookup(&self) != caller)
		return err;
	/* Without RETURN the caller waits for its next activation -- unless
	 * that already came during this very call.  An activation already
	 * queued on it is one it can collect now: no reason to wait. */
	if (err == VG_OK && !(f & VG_IPC_RETURN) &&
	    caller->activations == activations && caller->acts.head == NULL)
		thread_set_state(caller, VG_THREAD_SUSPENDED);
	return err;
}

__attribute__((cold)) enum vg_err
ipc_wait_idle(struct thread *caller)
{
	if (caller->acts.head == NULL)
		thread_set_state(caller, VG_THREAD_SUSPENDED);
	return VG_OK;
}
