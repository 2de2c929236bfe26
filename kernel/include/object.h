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

/*
 * The frame CAP designates, or NULL if CAP is void or stale.  For a folio
 * capability this is the folio header.
 */
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
