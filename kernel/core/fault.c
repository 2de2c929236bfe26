/*
 * Faults (see fault.h).  A data fault translates the faulting address
 * through the thread's address-space root; where the walk meets a
 * virtualized level, the thread's exception messenger carries a FAULT
 * request to the virtualizer (a pager) and the continuation machine
 * takes over.  What cannot be resolved becomes a fault activation.
 */
#include <stddef.h>

#include "activation.h"
#include "as.h"
#include "continuation.h"
#include "fault.h"
#include "messenger_object.h"
#include "object.h"
#include "thread.h"

/*
 * The walk of T's data fault at ADDR (of depth 52), from where T's last
 * fault met a virtualized level if ADDR goes there too: the same bits up
 * to it (every guard on the way matched them), no slot on the way
 * changed (their marks), the level's slot unchanged.
 */
static struct as_result
fault_walk(struct thread *t, vg_addr_t addr)
{
	struct as_walk *w = &t->vfault_walk;
	struct as_result r;

	if (t->vfault_gen == as_generation + 1 &&
	    ((addr.raw ^ w->addr.raw) >> (64 - w->consumed)) == 0 &&
	    cap_same(w->slot, &t->vfault_seen)) {
		r = (struct as_result){ .err = AS_VIRTUALIZED, .cap = w->cap,
		    .weak = w->weak != 0, .walk = *w };
		r.walk.addr = addr;
		return r;
	}
	r = as_walk_run(as_walk_suspendable(as_walk_start_cached(
	    &t->slot[VG_THREAD_SLOT_ASPACE], addr, CACHE_PAGES)));
	t->vfault_gen = 0;
	if (r.err == AS_VIRTUALIZED && r.walk.slot != NULL &&
	    r.walk.consumed != 0) {
		t->vfault_walk = r.walk;
		t->vfault_seen = *r.walk.slot;
		t->vfault_gen = as_generation + 1;
	}
	return r;
}

enum vg_err
fault_resolve(struct thread *t, uint64_t addr, enum vg_fault_access access,
    struct fault_detail *d)
{
	const struct vg_cap *ecap = &t->slot[VG_THREAD_SLOT_EXCEPTION];
	struct as_result r = fault_walk(t, vg_addr_of_data(addr));
	struct messenger *e;
	enum vg_err err;

	if (r.err != AS_VIRTUALIZED) {
		err = thread_fault_resolved(t, addr, access, &r);
		if (err != VG_OK)
			fault_detail_of(d, t, addr, access, &r);
		return err;
	}
	e = ecap->type == VG_TYPE_MESSENGER ? object_frame(ecap) : NULL;
	if (e == NULL)
		err = VG_ERR_VIRTUAL;	/* nobody to carry the request */
	else if (messenger_busy(e) || t->fault_messenger != NULL)
		err = VG_ERR_BUSY;
	else {
		cont_suspend_fault(e, t, addr, access, &r);
		return VG_OK;
	}
	fault_detail_of(d, t, addr, access, &r);
	/* The walk stopped at the virtualized level, not at a failure. */
	d->info &= (uint8_t)~VG_FAULT_INFO_TRANSLATION;
	return err;
}

bool
thread_exception(struct thread *t, const struct fault_detail *d,
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
	/* T reports to itself and faulted in its own handler: another
	 * activation would run the handler that faulted, and fault again.
	 * T stops; the report waits queued on E, once, for whoever starts
	 * T again (or collects it). */
	if (thread_lookup(&e->slot[VG_MESSENGER_SLOT_THREAD]) == t &&
	    activation_in_handler(t))
		thread_set_state(t, VG_THREAD_STOPPED);
	activation_fault(e, d, err);
	return true;
}
