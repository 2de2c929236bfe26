/*
 * From capabilities to objects and back (see object.h).
 */
#include <stddef.h>

#include "object.h"
#include "storage.h"

const uint8_t object_strong_type[VG_TYPE_COUNT] = {
	[VG_TYPE_PAGE] = VG_TYPE_PAGE, [VG_TYPE_RPAGE] = VG_TYPE_PAGE,
	[VG_TYPE_CAPPAGE] = VG_TYPE_CAPPAGE,
	[VG_TYPE_RCAPPAGE] = VG_TYPE_CAPPAGE,
	[VG_TYPE_FOLIO] = VG_TYPE_FOLIO, [VG_TYPE_ACTIVITY] = VG_TYPE_ACTIVITY,
	[VG_TYPE_THREAD] = VG_TYPE_THREAD,
	[VG_TYPE_MESSENGER] = VG_TYPE_MESSENGER,
	[VG_TYPE_RMESSENGER] = VG_TYPE_MESSENGER,
	[VG_TYPE_CONSOLE] = VG_TYPE_CONSOLE, [VG_TYPE_POWER] = VG_TYPE_POWER,
	[VG_TYPE_IRQ_CONTROL] = VG_TYPE_IRQ_CONTROL, [VG_TYPE_IRQ] = VG_TYPE_IRQ,
	[VG_TYPE_IOPORT_CONTROL] = VG_TYPE_IOPORT_CONTROL,
	[VG_TYPE_IOPORT] = VG_TYPE_IOPORT,
	[VG_TYPE_DEVMEM_CONTROL] = VG_TYPE_DEVMEM_CONTROL,
	[VG_TYPE_DEVMEM] = VG_TYPE_DEVMEM,
	[VG_TYPE_DMA_CONTROL] = VG_TYPE_DMA_CONTROL,
};

uint64_t object_deaths = 1;	/* 0: a lookup never kept */

void *
object_lookup(const struct vg_cap *cap)
{
	return object_frame(cap);
}

struct vg_cap
cap_validate(struct vg_cap cap)
{
	if (cap.type != VG_TYPE_VOID && object_lookup(&cap) != NULL)
		return cap;
	return (struct vg_cap){
		.guard = cap.guard,
		.guard_depth = cap.guard_depth,
	};
}

struct vg_cap
object_cap_of(const void *frame)
{
	uint32_t oid = storage_oid(frame);
	struct folio *f = storage_owner(oid);
	int index = storage_owner_index(oid);

	return index < 0 ? folio_cap(f) : folio_object_cap(f, (unsigned)index);
}

struct vg_cap
cap_weaken(struct vg_cap cap)
{
	cap.type = (uint8_t)vg_type_weaken(cap.type);
	if (cap.type == VG_TYPE_VOID)
		return (struct vg_cap){ .guard = cap.guard,
		    .guard_depth = cap.guard_depth };
	return cap;
}
