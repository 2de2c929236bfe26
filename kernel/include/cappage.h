/*
 * Cappages: 256 capability slots filling one frame.
 */
#ifndef VG_KERNEL_CAPPAGE_H
#define VG_KERNEL_CAPPAGE_H

#include <vg/cap.h>

#include "storage.h"

struct cappage {
	struct vg_cap slot[VG_CAPPAGE_SLOTS];
};

_Static_assert(sizeof(struct cappage) == FRAME_SIZE, "a cappage is a frame");

#endif /* VG_KERNEL_CAPPAGE_H */
