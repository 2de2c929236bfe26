/*
 * fault-handled: handles its own faults.  Its handler puts a fresh page
 * wherever it touches memory that has none, and the faulting instruction
 * runs again: memory on demand, at user level.
 */
#include <libvg/libvg.h>

#define LAZY	0x08000000u	/* region 32: nothing there yet */

static unsigned handled;

/* In the activation handler, for a fault of mine. */
static bool
on_fault(const struct vg_fault *f, struct vg_act_frame *regs)
{
	char what[160];

	(void)regs;	/* resume where it faulted, registers unchanged */
	vg_fault_describe(f, what, sizeof(what));
	printf("fault-handled: my handler sees a fault: %s\n", what);
	if (f->error == VG_ERR_EXCEPTION || f->address < LAZY ||
	    f->address >= LAZY + 16 * VG_PAGE_SIZE)
		return false;	/* not mine to fix: the default reports it */
	if (vg_as_map_new(&vg_self()->as, f->address &
	    ~(uint64_t)(VG_PAGE_SIZE - 1), VG_PAGE_SIZE, VG_AS_WRITE) != VG_OK)
		return false;
	handled++;
	return true;
}

int
main(void)
{
	volatile uint64_t *p = (volatile uint64_t *)(uintptr_t)LAZY;

	vg_fault_handler_set(on_fault);
	printf("fault-handled: writing to %#x, where I have no page yet.\n",
	    LAZY);
	p[0] = 42;
	p[VG_PAGE_SIZE / 8] = 43;	/* the next page: another fault */
	printf("fault-handled: the writes went through after %u faults; "
	    "the pages hold %lu and %lu.\n", handled, (unsigned long)p[0],
	    (unsigned long)p[VG_PAGE_SIZE / 8]);
	return handled == 2 && p[0] == 42 ? 0 : 1;
}
