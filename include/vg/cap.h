/*
 * vg public ABI: capabilities.
 *
 * A capability is 16 bytes: which object (id and version), what kind of
 * access (type), and an address translator used when the capability is
 * met while translating an address (docs/design.md §3):
 *
 *	guard		guard_depth bits that the address must match before
 *			the object is indexed.  Only the low 32 bits are
 *			stored; a deeper guard's upper bits are zero.
 *	subpage		a cappage capability may designate 1/2^subpage_log2
 *			of the cappage (at most 1/128, so that indexing
 *			always consumes a bit): part SUBPAGE of that many.
 *
 * Pages and activities have no subpages; their capabilities keep rights
 * in the same two bytes instead:
 *
 *	rights		page, rpage: VG_CAP_EXECUTE, a thread may run
 *			code from the page.  A data fault maps the page
 *			no-execute unless the capability found carries it.
 *			VG_CAP_DMA, the holder may learn the page's
 *			physical address (PAGE_DMA_ADDRESS) to give it to
 *			a device.  activity: VG_CAP_LIMIT, the holder may
 *			set the activity's limits (ACTIVITY_SET_LIMIT).
 *
 * Like the subpage, the rights belong to the capability: a copy or a
 * transfer keeps them, weakening keeps them (an rpage with the right is
 * read-only code), VG_CAP_COPY_NO_EXECUTE, VG_CAP_COPY_NO_DMA and
 * VG_CAP_COPY_NO_LIMIT drop them, and nothing but FOLIO_OBJECT_ALLOC
 * makes a capability that has one -- with VG_FOLIO_ALLOC_EXECUTE for a
 * page, always for an activity -- except the DMA right, which only the
 * DMA control adds (DMA_CONTROL_GRANT).
 * A program is given its own activity without VG_CAP_LIMIT, so it cannot
 * lift the limits its parent set.
 *
 * A capability whose version differs from its object's current version
 * (the object was destroyed) reads as void everywhere.
 */
#ifndef VG_CAP_H
#define VG_CAP_H

#include <stddef.h>
#include <stdint.h>

#include <vg/types.h>

struct vg_cap {
	uint32_t oid;		/* object id: the object's frame in storage */
	uint32_t version;	/* must equal the object's current version */
	uint32_t guard;		/* low 32 bits of the guard value */
	uint8_t type;		/* enum vg_type */
	uint8_t guard_depth;	/* guard length in bits, 0..63 */
	union {
		struct {	/* cappage, rcappage */
			uint8_t subpage_log2;	/* split into 2^n parts, 0..7 */
			uint8_t subpage;	/* which part, < 2^subpage_log2 */
		};
		struct {	/* page, rpage, activity; 0 for the rest */
			uint8_t rights;		/* enum vg_cap_rights */
			uint8_t rights_reserved; /* zero */
		};
	};
};

_Static_assert(sizeof(struct vg_cap) == 16, "vg_cap is 16 bytes of ABI");
_Static_assert(offsetof(struct vg_cap, version) == 4, "vg_cap layout");
_Static_assert(offsetof(struct vg_cap, guard) == 8, "vg_cap layout");
_Static_assert(offsetof(struct vg_cap, type) == 12, "vg_cap layout");
_Static_assert(offsetof(struct vg_cap, subpage) == 15, "vg_cap layout");
_Static_assert(offsetof(struct vg_cap, rights) == 14, "vg_cap layout");

#define VG_CAP_VOID		((struct vg_cap){ 0 })

/* The rights of a capability (struct vg_cap.rights). */
enum vg_cap_rights {
	VG_CAP_EXECUTE = 1u << 0,	/* page, rpage: code on it may run */
	VG_CAP_LIMIT = 1u << 1,		/* activity: its limits may be set */
	VG_CAP_DMA = 1u << 2,		/* page, rpage: its physical address
					 * may be read, for a device */
	VG_CAP_RIGHTS_ALL = 0x7u
};

#define VG_GUARD_STORED_BITS	32	/* guard bits kept in a capability */
#define VG_GUARD_DEPTH_MAX	63	/* deepest guard (addresses have 63 bits) */

/* Object geometry: how many bits indexing each kind of object consumes. */
#define VG_CAPPAGE_SLOTS_LOG2	8
#define VG_CAPPAGE_SLOTS	256	/* 256 x 16 bytes = one 4 KiB frame */
#define VG_FOLIO_OBJECTS_LOG2	7
#define VG_FOLIO_OBJECTS	128	/* object frames in a folio */
#define VG_OBJECT_SLOTS_LOG2	2	/* threads and messengers: 4 slots */
#define VG_OBJECT_SLOTS		4

/* A thread's slots, reached by indexing a thread capability. */
enum vg_thread_slot {
	VG_THREAD_SLOT_ASPACE = 0,	/* root of its address space */
	VG_THREAD_SLOT_ACTIVITY = 1,	/* activity its work is charged to */
	VG_THREAD_SLOT_EXCEPTION = 2,	/* messenger that receives its faults */
	VG_THREAD_SLOT_UTCB = 3,	/* page shared with the kernel */
};

/* A messenger's slots, reached by indexing a strong messenger capability. */
enum vg_messenger_slot {
	VG_MESSENGER_SLOT_THREAD = 0,	/* thread activated on transfer */
	VG_MESSENGER_SLOT_ASPACE = 1,	/* where its message's addresses resolve */
	VG_MESSENGER_SLOT_BUFFER = 2,	/* page that holds its message */
	VG_MESSENGER_SLOT_ACTIVITY = 3,	/* activity charged for its work */
};

/*
 * cap_copy flags.  The guard belongs to the slot: by default the target
 * slot keeps its own guard, so storing a capability never moves the
 * addresses below it.  The subpage belongs to the capability (it limits
 * authority): by default the copy keeps the source's selection, and
 * VG_CAP_COPY_SUBPAGE selects a part *within* it, so a copy can narrow a
 * cappage capability but never widen it.  The rights of a page belong to
 * the capability too: a copy keeps them or, with VG_CAP_COPY_NO_EXECUTE,
 * drops the execute right; no flag adds it.  An activity's limit right
 * likewise: VG_CAP_COPY_NO_LIMIT drops it, and a page's DMA right:
 * VG_CAP_COPY_NO_DMA.
 */
enum vg_cap_copy_flags {
	VG_CAP_COPY_WEAKEN = 1u << 0,	    /* store the weak variant */
	VG_CAP_COPY_GUARD = 1u << 1,	    /* use the guard given in the call */
	VG_CAP_COPY_SOURCE_GUARD = 1u << 2, /* use the source capability's guard */
	VG_CAP_COPY_SUBPAGE = 1u << 3,	    /* select a part of the source's slots */
	VG_CAP_COPY_NO_EXECUTE = 1u << 4,   /* drop a page's execute right */
	VG_CAP_COPY_NO_LIMIT = 1u << 5,	    /* drop an activity's limit right */
	VG_CAP_COPY_NO_DMA = 1u << 6,	    /* drop a page's DMA right */
	VG_CAP_COPY_FLAGS_ALL = 0x7fu
};

/* The address translator that cap_copy may apply to the copy. */
struct vg_cap_translator {
	uint32_t guard;
	uint8_t guard_depth;
	uint8_t subpage_log2;
	uint8_t subpage;
	uint8_t reserved;	/* must be zero */
};

#endif /* VG_CAP_H */
