/*
 * Folios: the unit of storage allocation (DESIGN.md section 2).
 *
 * A folio is allocated from an activity, which is charged FOLIO_FRAMES
 * frames for it.  Its header records, for each of its 128 object frames,
 * the type of the object there and its version; the header itself is
 * kernel memory and never mapped to user space.
 *
 * Invariants:
 *  - a folio in use is on exactly one activity's folio list;
 *  - slot versions only grow; a version of UINT32_MAX is retired and the
 *    slot can no longer hold objects (VG_ERR_EXHAUSTED);
 *  - a slot's object frame is zeroed before the object is created.
 */
#ifndef VG_KERNEL_FOLIO_H
#define VG_KERNEL_FOLIO_H

#include <stdbool.h>
#include <stdint.h>

#include <vg/cap.h>
#include <vg/error.h>

#include "storage.h"

#define AS_CACHES	2	/* enum as_cache (as.h) */

struct activity;

/* What the header knows about one object frame. */
struct folio_object {
	uint32_t version;	/* bumped when the object is destroyed */
	uint8_t type;		/* strong enum vg_type; VOID if empty */
	uint8_t reserved[3];
};

struct folio {
	uint32_t version;		/* of the folio; bumped when freed */
	uint8_t in_use;			/* allocated to an activity */
	uint8_t reserved[3];
	struct activity *activity;	/* charged for it; NULL when free */
	struct folio *next;		/* activity's list, or free/doomed list */
	struct folio *prev;		/* activity's list only */
	struct folio_object object[VG_FOLIO_OBJECTS];
	/*
	 * Per object and kind of cache (enum as_cache: page tables, the IPC
	 * path's lookups): 1 + the generation of that cache in which a
	 * translation that indexed one of its slots was cached (0: never;
	 * kept to 32 bits: a stale mark that matches again only costs an
	 * invalidation), and which 32nds of its frame -- of its slots: a
	 * cappage's 256 slots are 32 runs of 8 -- it indexed.  A store
	 * anywhere else cannot invalidate anything cached
	 * (as_slot_changed).
	 */
	uint32_t mark[AS_CACHES][VG_FOLIO_OBJECTS];
	uint32_t mark_parts[AS_CACHES][VG_FOLIO_OBJECTS];
};

/* The header must fit in its frame. */
_Static_assert(sizeof(struct folio) <= FRAME_SIZE, "folio header fits a frame");

/* The result of creating an object or a folio: a capability to it. */
struct folio_ret {
	enum vg_err err;
	struct vg_cap cap;
};

/* Allocate a folio charged to ACTIVITY. */
struct folio_ret folio_alloc(struct activity *activity);

/*
 * Free folio F: destroy every object in it (and, for an activity in it,
 * everything that activity owns), uncharge its activity, bump its version.
 * VG_ERR_INVALID for the root folio, which holds the activity it is
 * charged to.
 */
enum vg_err folio_free(struct folio *f);

/*
 * Requires: F is in use (as every folio found through object_lookup is).
 * Create an object of TYPE in F's slot INDEX, destroying what was there.
 * TYPE must be a strong type other than folio; VG_TYPE_VOID only destroys.
 * Returns a capability with no guard and the whole object.  The root
 * activity (slot 0 of the root folio) cannot be replaced: VG_ERR_INVALID.
 */
struct folio_ret folio_object_alloc(struct folio *f, unsigned index,
    enum vg_type type);

/* The capability that names F's slot INDEX as it is now (void if empty). */
struct vg_cap folio_object_cap(const struct folio *f, unsigned index);

/* The capability that names folio F. */
struct vg_cap folio_cap(const struct folio *f);

/*
 * At boot: take the first folio, create the root activity in its slot 0
 * and charge the folio to it.  NULL if there is no storage at all.
 */
struct folio *folio_boot(void);

/* The id of F's object frame INDEX, and the frame itself. */
uint32_t folio_object_oid(const struct folio *f, unsigned index);
void *folio_object_frame(const struct folio *f, unsigned index);

#endif /* VG_KERNEL_FOLIO_H */
