/*
 * Threads (DESIGN.md section 6).  The slots come first so that address
 * translation can index a thread without knowing the rest of its layout.
 */
#ifndef VG_KERNEL_THREAD_H
#define VG_KERNEL_THREAD_H

#include <vg/cap.h>

#include "storage.h"

struct thread {
	struct vg_cap slot[VG_OBJECT_SLOTS];	/* enum vg_thread_slot */
};

_Static_assert(sizeof(struct thread) <= FRAME_SIZE, "a thread fits a frame");

#endif /* VG_KERNEL_THREAD_H */
