/*
 * Messengers (DESIGN.md section 4).  The slots come first so that address
 * translation can index a messenger without knowing the rest of its layout.
 */
#ifndef VG_KERNEL_MESSENGER_H
#define VG_KERNEL_MESSENGER_H

#include <vg/cap.h>

#include "storage.h"

struct messenger {
	struct vg_cap slot[VG_OBJECT_SLOTS];	/* enum vg_messenger_slot */
};

_Static_assert(sizeof(struct messenger) <= FRAME_SIZE,
    "a messenger fits a frame");

#endif /* VG_KERNEL_MESSENGER_H */
