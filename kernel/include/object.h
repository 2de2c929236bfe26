/*
 * Objects: from a capability to the object it designates.
 *
 * A capability designates an object if its id names a frame, its version
 * equals that frame's current version, and its (strong) type equals the
 * type of the object there.  Anything else reads as void
 * (docs/design.md §1, invariant 6).  All of this is arithmetic on the storage
 * window: no search, no allocation.
 */
#ifndef VG_KERNEL_OBJECT_H
#define VG_KERNEL_OBJECT_H

#include <stdbool.h>

#include <vg/cap.h>

#include "storage.h"

/* The strong type of each type (vg_type_strong as a table). */
extern const uint8_t object_strong_type[VG_TYPE_COUNT];

/*
 * The frame CAP designates, or NULL if CAP is void or stale.  For a folio
 * capability this is the folio header.  Inline: every step of every walk
 * does one.
 */
static inline void *
object_frame(const struct vg_cap *cap)
{
	uint32_t oid = cap->oid, chunk, index;
	const struct folio *f;

	if (cap->type == VG_TYPE_VOID || cap->type >= VG_TYPE_COUNT ||
	    oid >= storage_nframes)
		return NULL;
	chunk = oid / FOLIO_FRAMES;
	index = oid - chunk * FOLIO_FRAMES;
	f = (const struct folio *)(const void *)(storage_base +
	    (uint64_t)chunk * FOLIO_FRAMES * FRAME_SIZE);
	if (index == 0) {
		if (cap->type != VG_TYPE_FOLIO || !f->in_use ||
		    f->version != cap->version)
			return NULL;
		return (void *)(uintptr_t)f;
	}
	if (f->object[index - 1].type != object_strong_type[cap->type] ||
	    f->object[index - 1].version != cap->version)
		return NULL;
	return storage_base + (uint64_t)oid * FRAME_SIZE;
}

/*
 * Moves whenever an object or a folio dies (its version moves): a lookup
 * kept without marks (messenger_object.h, struct answer_lookup) holds
 * only while it has not.
 */
extern uint64_t object_deaths;

/* object_frame, out of line (for callers off the hot paths). */
void *object_lookup(const struct vg_cap *cap);

/* CAP as the kernel sees it: itself if it designates an object, else void
 * keeping only its guard (a slot's guard outlives its contents). */
struct vg_cap cap_validate(struct vg_cap cap);

/* A capability (strong, no guard) to the object whose frame is FRAME. */
struct vg_cap object_cap_of(const void *frame);

/* CAP as read through a weak path: the weak variant, or void (keeping
 * only the guard) for types that have none. */
struct vg_cap cap_weaken(struct vg_cap cap);

#endif /* VG_KERNEL_OBJECT_H */
