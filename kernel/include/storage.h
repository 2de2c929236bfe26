/*
 * Storage: the frames that hold every object a user can name, and the
 * header of each chunk of them.
 *
 * The platform hands the core one virtually contiguous window of storage,
 * cut into equal chunks of FOLIO_FRAMES frames: a folio's header followed
 * by its 128 object frames.  An object's id is its frame number in the
 * window, so the object behind a capability is found by arithmetic alone:
 *
 *	oid = chunk * FOLIO_FRAMES + 1 + index	  (index 0..127)
 *	oid = chunk * FOLIO_FRAMES		  (the folio itself)
 *
 * A frame therefore always belongs to exactly one folio slot (its owner),
 * and since every chunk has the same size, the free pool never fragments.
 * Free chunks are linked through their headers; a free header keeps its
 * version counters, so capabilities to a folio's earlier contents stay
 * stale after the chunk is reused.
 */
#ifndef VG_KERNEL_STORAGE_H
#define VG_KERNEL_STORAGE_H

#include <stdbool.h>
#include <stdint.h>

#include <vg/cap.h>

#include "queue.h"

#define FRAME_SIZE	4096u
#define FOLIO_FRAMES	(1u + VG_FOLIO_OBJECTS)	/* header + objects: 129 */

/* The kinds of translation cache (enum cache_kind, cache.h). */
#define CACHE_KINDS	2

struct activity;

/* What a chunk's header knows about one object frame. */
struct folio_object {
	uint32_t version;	/* bumped when the object is destroyed */
	uint8_t type;		/* strong enum vg_type; VOID if empty */
	uint8_t dying;		/* destroyed, its frame not yet reclaimed */
	uint8_t reserved[2];
};

/*
 * The header of a chunk: the folio.  It lives here, below the folio
 * operations (folio.c), because everything under them reads it: the free
 * list (storage.c), capability lookup (object.c) and the translation
 * caches' marks (cache.c).
 */
struct folio {
	uint32_t version;		/* of the folio; bumped when freed */
	uint8_t in_use;			/* allocated to an activity */
	uint8_t doomed;			/* freed, its objects being reclaimed */
	uint8_t reaping;		/* on the reaper's stack (reclaim.c) */
	uint8_t reap_index;		/* the reaper's next slot */
	/* Charged for it; NULL when free, and for a freed folio whose
	 * charge was settled when it was freed. */
	struct activity *activity;
	/* On its activity's folio list; NEXT alone links the free list. */
	QUEUE_LINK(folio) link;
	QUEUE_LINK(folio) reap_link;	/* the reaper's stack */
	struct folio_object object[VG_FOLIO_OBJECTS];
	/*
	 * Per object and kind of cache (enum cache_kind: page tables, the
	 * IPC path's lookups): 1 + the generation of that cache in which a
	 * translation through one of its slots was cached (0: never; kept
	 * to 32 bits: a stale mark that matches again only costs an
	 * invalidation); the slots it went through, exactly, in a slot map
	 * of that generation (MARK_MAP_NONE: none could be had); and, for
	 * want of a map, which 32nds of its frame -- runs of 8 of a
	 * cappage's 256 slots -- they lie in.  A store anywhere else cannot
	 * invalidate anything cached (cache_slot_changed).
	 */
	uint32_t mark[CACHE_KINDS][VG_FOLIO_OBJECTS];
	uint32_t mark_parts[CACHE_KINDS][VG_FOLIO_OBJECTS];
	uint16_t mark_map[CACHE_KINDS][VG_FOLIO_OBJECTS];
};

/* The header must fit in its frame. */
_Static_assert(sizeof(struct folio) <= FRAME_SIZE, "folio header fits a frame");

/* The storage window; read-only after storage_init. */
extern uint8_t *storage_base;
extern uint32_t storage_nchunks;
extern uint32_t storage_nframes;	/* storage_nchunks * FOLIO_FRAMES */

/*
 * Take over NCHUNKS chunks at BASE (FRAME_SIZE aligned, NCHUNKS *
 * FOLIO_FRAMES frames).  All chunks start free.  Returns false if the
 * window is unusable (misaligned, empty, or too large for 32-bit ids).
 */
bool storage_init(void *base, uint32_t nchunks);

/* Chunks not in use by any folio. */
uint32_t storage_free_chunks(void);

/* Remove a free chunk from the pool; NULL if none is left. */
struct folio *storage_chunk_take(void);

/* Return a chunk whose folio has been freed. */
void storage_chunk_give(struct folio *f);

/* True if OID names a frame inside the window. */
static inline bool
storage_oid_valid(uint32_t oid)
{
	return oid < storage_nframes;
}

/* The frame with id OID.  Requires: storage_oid_valid(oid). */
static inline void *
storage_frame(uint32_t oid)
{
	return storage_base + (uint64_t)oid * FRAME_SIZE;
}

/* The id of the frame at FRAME. */
static inline uint32_t
storage_oid(const void *frame)
{
	return (uint32_t)(((const uint8_t *)frame - storage_base) / FRAME_SIZE);
}

/* The folio (header) that owns frame OID. */
static inline struct folio *
storage_owner(uint32_t oid)
{
	return (struct folio *)storage_frame(oid - oid % FOLIO_FRAMES);
}

/* OID's slot in its folio (0..127), or -1 if OID is the folio itself. */
static inline int
storage_owner_index(uint32_t oid)
{
	return (int)(oid % FOLIO_FRAMES) - 1;
}

/* The id of F's object frame INDEX, and the frame itself. */
static inline uint32_t
folio_object_oid(const struct folio *f, unsigned index)
{
	return storage_oid(f) + 1 + index;
}

static inline void *
folio_object_frame(const struct folio *f, unsigned index)
{
	return storage_frame(folio_object_oid(f, index));
}

/* The capability that names folio F. */
static inline struct vg_cap
folio_cap(const struct folio *f)
{
	return (struct vg_cap){
		.oid = storage_oid(f),
		.version = f->version,
		.type = VG_TYPE_FOLIO,
	};
}

/* The capability that names F's slot INDEX as it is now (void if empty). */
static inline struct vg_cap
folio_object_cap(const struct folio *f, unsigned index)
{
	const struct folio_object *o = &f->object[index];

	if (o->type == VG_TYPE_VOID)
		return VG_CAP_VOID;
	return (struct vg_cap){
		.oid = folio_object_oid(f, index),
		.version = o->version,
		.type = o->type,
	};
}

#endif /* VG_KERNEL_STORAGE_H */
