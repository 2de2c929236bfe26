/*
 * Storage: the frames that hold every object a user can name.
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

#define FRAME_SIZE	4096u
#define FOLIO_FRAMES	(1u + VG_FOLIO_OBJECTS)	/* header + objects: 129 */

struct folio;

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

#endif /* VG_KERNEL_STORAGE_H */
