/*
 * Slots for rpctrace's pools: the run time hands out root slots only
 * (about 120), and every proxy needs a dozen, so they come from cappages
 * of mine, 256 at a time.
 */
#include "rpctrace.h"

static vg_addr_t page;
static unsigned next = VG_CAPPAGE_SLOTS;

vg_addr_t
trace_slot(void)
{
	struct vg_runtime *rt = vg_self();

	if (next == VG_CAPPAGE_SLOTS) {
		vg_addr_t s = vg_slot_alloc(&rt->slots);

		if (vg_addr_is_void(s) || vg_obj_alloc(vg_kcall(), &rt->alloc,
		    VG_TYPE_CAPPAGE, s) != VG_OK)
			return VG_ADDR_VOID;
		page = s;
		next = 0;
	}
	return vg_addr_extend(page, next++, 8);
}
