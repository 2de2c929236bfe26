/*
 * The translation caches' generations and marks (see cache.h).
 *
 * A mark is per object frame and kind of cache, kept in the frame's
 * folio header: the generation in which a cached translation last
 * indexed one of the object's slots, and which 32nds of the frame it
 * indexed.  Deciding whether a store invalidates anything is two loads
 * and a compare; nothing is searched.
 */
#include <stddef.h>

#include "cache.h"
#include "storage.h"

uint64_t as_generation;
uint64_t cap_epoch = 1;	/* 0: a cache entry never filled */

/* The folio whose object frame holds P and the object's index there, or
 * NULL if P is not in an object frame (a folio header, or outside
 * storage). */
static struct folio *
owner_of(const void *p, int *index)
{
	const uint8_t *b = p;
	uint32_t oid;

	if (b < storage_base || b >= storage_base +
	    (uint64_t)storage_nframes * FRAME_SIZE)
		return NULL;
	oid = storage_oid(b);
	*index = storage_owner_index(oid);
	return *index < 0 ? NULL : storage_owner(oid);
}

/* Cache C's mark of the object whose frame holds P, or NULL if P is not
 * in an object frame; *PARTS its parts. */
static uint32_t *
mark_of(const void *p, enum cache_kind c, uint32_t **parts)
{
	int index;
	struct folio *f = owner_of(p, &index);

	if (f == NULL)
		return NULL;
	*parts = &f->mark_parts[c][index];
	return &f->mark[c][index];
}

/* Cache C's generation, plus one (0 marks nothing). */
static uint32_t
stamp(enum cache_kind c)
{
	return (uint32_t)((c == CACHE_PAGES ? as_generation : cap_epoch) +
	    1);
}

/* A mark's part: a 32nd of a frame (8 slots of a cappage). */
#define PART_BYTES	(FRAME_SIZE / 32)

/* The part of its frame that P lies in, as a bit. */
static uint32_t
part_of(const void *p)
{
	return 1u << (((uintptr_t)p & (FRAME_SIZE - 1)) / PART_BYTES);
}

void
cache_note(const void *p, enum cache_kind c)
{
	uint32_t *parts;
	uint32_t *m = mark_of(p, c, &parts);

	if (m == NULL)
		return;
	if (*m != stamp(c)) {
		*m = stamp(c);
		*parts = 0;
	}
	*parts |= part_of(p);
}

/* Did cache C keep a translation through the slots at P (PART: their
 * 32nd of the frame; all of them if 0) of the object with mark index
 * INDEX in folio F? */
static inline bool
touches(const struct folio *f, int index, uint32_t part, enum cache_kind c)
{
	return f->mark[c][index] == stamp(c) &&
	    (part == 0 || (f->mark_parts[c][index] & part));
}

static void
changed(const void *p, bool whole)
{
	int index;
	const struct folio *f = owner_of(p, &index);
	uint32_t part;

	/* Outside an object frame we cannot tell: assume the worst. */
	if (f == NULL)
		goto all;
	part = whole ? 0 : part_of(p);
	/* Dropping the page tables moves cap_epoch too. */
	if (touches(f, index, part, CACHE_PAGES))
		goto all;
	if (touches(f, index, part, CACHE_LOOKUPS))
		cap_epoch++;
	return;
all:
	cache_invalidate_all();
}

void
cache_slot_changed(const void *p)
{
	changed(p, false);
}

void
cache_object_changed(const void *frame)
{
	changed(frame, true);
}


void
cache_slots_changed(const void *p, size_t len)
{
	const uint8_t *b = p, *end = b + len;

	/* A mark covers a whole part: one check per part does. */
	while (b < end) {
		changed(b, false);
		b = (const uint8_t *)(((uintptr_t)b | (PART_BYTES - 1)) + 1);
	}
}
