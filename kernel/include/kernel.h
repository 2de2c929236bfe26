/*
 * Bringing the core up: the platform describes its storage and the core
 * creates the root of the resource tree.
 */
#ifndef VG_KERNEL_KERNEL_H
#define VG_KERNEL_KERNEL_H

#include <stdbool.h>
#include <stdint.h>

#include <vg/cap.h>
#include <vg/error.h>

/* What exists after kernel_init: all storage belongs to the root activity. */
struct kernel_roots {
	enum vg_err err;		/* VG_ERR_NO_STORAGE: window unusable */
	struct vg_cap root_activity;	/* in slot 0 of the root folio */
	struct vg_cap root_folio;	/* charged to the root activity */
	struct vg_cap console;		/* in the root folio, for good */
	struct vg_cap power;		/* in the root folio, for good */
	struct vg_cap irq_control;	/* in the root folio, for good */
	struct vg_cap ioport_control;	/* in the root folio, for good */
	struct vg_cap devmem_control;	/* in the root folio, for good */
	struct vg_cap dma_control;	/* in the root folio, for good */
};

/*
 * Take over the storage window (see storage.h) and create the root folio
 * with the root activity, the console, the power object and the device
 * controls in it.
 */
struct kernel_roots kernel_init(void *storage, uint32_t nchunks);

/* True in a checked core: its assertions (VG_ASSERT) are compiled in. */
extern const bool kernel_checked;

#endif /* VG_KERNEL_KERNEL_H */
