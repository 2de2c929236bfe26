/*
 * Threads: creation, run state, and mapping the page a
 * resolved data fault found, storage or device memory (see thread.h).
 */
#include <stdbool.h>
#include <stddef.h>

#include "arch.h"
#include "as.h"
#include "devmem.h"
#include "object.h"
#include "thread.h"

struct thread *
thread_lookup(const struct vg_cap *cap)
{
	if (cap->type != VG_TYPE_THREAD)
		return NULL;
	return object_lookup(cap);
}

void
thread_set_state(struct thread *t, enum vg_thread_state state)
{
	if (t->state == (uint32_t)state)
		return;
	t->state = state;
	arch_thread_state_changed(t);
}

void
thread_init(void *frame, struct folio *f, unsigned index)
{
	struct thread *t = frame;

	t->state = VG_THREAD_STOPPED;
	t->self = folio_object_cap(f, index);
	t->paying = f->activity;
	arch_thread_init(t);
}

enum vg_err
thread_fault_resolved(struct thread *t, uint64_t addr,
    enum vg_fault_access access, const struct as_result *r)
{
	enum vg_err err = r->err;
	void *frame = NULL;
	bool page = r->cap.type == VG_TYPE_PAGE;
	bool dev = r->cap.type == VG_TYPE_DEVMEM;
	/* Only the capability found counts: the cappages above it have
	 * no rights to give (docs/capabilities.md, "The execute right"). */
	bool exec = (page || r->cap.type == VG_TYPE_RPAGE) &&
	    (r->cap.rights & VG_CAP_EXECUTE) != 0;

	if (err == VG_OK) {
		/* Device memory is data only, whatever the capability. */
		if (dev && access == VG_FAULT_EXECUTE)
			err = VG_ERR_NO_EXECUTE;
		else if (dev)
			frame = object_lookup(&r->cap);
		else if (!page && r->cap.type != VG_TYPE_RPAGE)
			err = r->cap.type == VG_TYPE_VOID ? VG_ERR_VOID :
			    VG_ERR_TYPE;
		else if (access == VG_FAULT_WRITE && !page)
			err = VG_ERR_WEAK;
		else if (access == VG_FAULT_EXECUTE && !exec)
			err = VG_ERR_NO_EXECUTE;
		else
			frame = object_lookup(&r->cap);
	}
	if (frame == NULL)
		return err;
	/* Its activity's page tables are all in use by this thread. */
	if (dev ? !arch_map_device(t, addr & ~(uint64_t)(VG_PAGE_SIZE - 1),
	    devmem_page(frame, addr), ARCH_MAP_WRITE) :
	    !arch_map_page(t, addr & ~(uint64_t)(VG_PAGE_SIZE - 1), frame,
	    (page ? ARCH_MAP_WRITE : 0u) | (exec ? ARCH_MAP_EXECUTE : 0u)))
		return VG_ERR_QUOTA;
	thread_set_state(t, VG_THREAD_RUNNABLE);
	return VG_OK;
}
