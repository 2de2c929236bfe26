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

enum vg_err
fault_resolve(struct thread *t, uint64_t addr, enum vg_fault_access access,
    struct fault_detail *d)
{
	const struct vg_cap *ecap = &t->slot[VG_THREAD_SLOT_EXCEPTION];
	struct as_result r = as_walk_run(as_walk_suspendable(
	    as_walk_start_cached(&t->slot[VG_THREAD_SLOT_ASPACE],
	    vg_addr_of_data(addr), CACHE_PAGES)));
	struct messenger *e;

	enum vg_err err;

	if (r.err != AS_VIRTUALIZED) {
		err = thread_fault_resolved(t, addr, access, &r);
		if (err != VG_OK)
			fault_detail_of(d, t, addr, access, &r);
		return err;
	}
	fault_detail_of(d, t, addr, access, &r);
	/* The walk stopped at the virtualized level, not at a failure. */
	d->info &= (uint8_t)~VG_FAULT_INFO_TRANSLATION;
	e = ecap->type == VG_TYPE_MESSENGER ? object_lookup(ecap) : NULL;
	if (e == NULL)
		return VG_ERR_VIRTUAL;	/* nobody to carry the request */
	if (messenger_busy(e) || t->fault_messenger != NULL)
		return VG_ERR_BUSY;
	cont_suspend_fault(e, t, addr, access, &r);
	return VG_OK;
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
