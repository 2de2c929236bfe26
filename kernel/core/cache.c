/*
 * The translation caches' generations and marks (see cache.h).
 *
 * A mark is per object frame and kind of cache, kept in the frame's
 * folio header: the generation in which a cached translation last went
 * through one of the object's slots, and which slots: exactly, in a slot
 * map of that generation, or by 32nds of the frame once the maps have
 * run out.  Deciding whether a store invalidates anything is a few loads
 * and a bit test; nothing is searched.
 */
#include <stddef.h>

#include "cache.h"
#include "storage.h"

uint64_t as_generation = 1;	/* 0: never (the platform's caches) */
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

/*
 * Per kind of cache, the slot maps of its current generation: one bit
 * per capability slot of a frame, handed out to the objects marked in
 * that generation and all given back at once when it moves (a map whose
 * STAMP is not the generation's holds nothing).  When they run out, an
 * object is marked by 32nds only.
 */
#define MARK_MAPS	CACHE_MARK_MAPS
#define MARK_MAP_NONE	0xffffu
#define MAP_SLOTS	(FRAME_SIZE / sizeof(struct vg_cap))

_Static_assert(MARK_MAPS < MARK_MAP_NONE, "a map's index fits mark_map");

static struct {
	uint32_t stamp;
	uint32_t used;
	uint64_t bits[MARK_MAPS][MAP_SLOTS / 64];
} maps[CACHE_KINDS];

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

/* The slot of its frame that P lies in. */
static unsigned
slot_of(const void *p)
{
	return (unsigned)(((uintptr_t)p & (FRAME_SIZE - 1)) /
	    sizeof(struct vg_cap));
}

/* Cache C's slot map of the object with mark index INDEX in F, or NULL
 * if it has none of this generation (ST).  Only a map handed out in
 * this generation counts: a mark that matches a stale one (32-bit
 * stamps) may name a map not handed out yet. */
static uint64_t *
map_of(const struct folio *f, int index, enum cache_kind c, uint32_t st)
{
	unsigned i = f->mark_map[c][index];

	if (i >= maps[c].used || maps[c].stamp != st)
		return NULL;
	return maps[c].bits[i];
}

/* A new slot map for cache C in generation ST, cleared, as its index;
 * MARK_MAP_NONE if they have run out. */
static uint16_t
map_take(enum cache_kind c, uint32_t st)
{
	uint64_t *b;

	if (maps[c].stamp != st) {
		maps[c].stamp = st;
		maps[c].used = 0;
	}
	if (maps[c].used == MARK_MAPS)
		return MARK_MAP_NONE;
	b = maps[c].bits[maps[c].used];
	for (unsigned i = 0; i < MAP_SLOTS / 64; i++)
		b[i] = 0;
	return (uint16_t)maps[c].used++;
}

uint64_t *
cache_note_map(const void *p, enum cache_kind c)
{
	int index;
	struct folio *f = owner_of(p, &index);
	uint32_t st = stamp(c);
	uint64_t *b;

	if (f == NULL)
		return NULL;
	if (f->mark[c][index] != st) {
		f->mark[c][index] = st;
		f->mark_parts[c][index] = 0;
		f->mark_map[c][index] = map_take(c, st);
	}
	/* With a map of this generation the 32nds are never read. */
	b = map_of(f, index, c, st);
	if (b != NULL) {
		cache_note_in(b, p);
		return b;
	}
	/* Its 32nds only, from now on in this generation, even if the
	 * index comes to name a map handed out later. */
	f->mark_parts[c][index] |= part_of(p);
	f->mark_map[c][index] = MARK_MAP_NONE;
	return NULL;
}

void
cache_note(const void *p, enum cache_kind c)
{
	(void)cache_note_map(p, c);
}

/* Did cache C keep a translation through the slot at P (any of the
 * object's if WHOLE) of the object with mark index INDEX in folio F? */
static inline bool
touches(const struct folio *f, int index, const void *p, bool whole,
    enum cache_kind c)
{
	uint32_t st = stamp(c);
	const uint64_t *b;
	unsigned s;

	if (f->mark[c][index] != st)
		return false;
	if (whole)
		return true;
	b = map_of(f, index, c, st);
	if (b == NULL)
		return (f->mark_parts[c][index] & part_of(p)) != 0;
	s = slot_of(p);
	return (b[s / 64] >> (s % 64)) & 1;
}

static void
changed(const void *p, bool whole)
{
	int index;
	const struct folio *f = owner_of(p, &index);

	/* Outside an object frame we cannot tell: assume the worst. */
	if (f == NULL)
		goto all;
	/* Dropping the page tables moves cap_epoch too. */
	if (touches(f, index, p, whole, CACHE_PAGES))
		goto all;
	if (touches(f, index, p, whole, CACHE_LOOKUPS))
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

/* Did cache C keep a translation through any of the slots [LO, HI) of
 * one frame, of the object with mark index INDEX in folio F? */
static bool
touches_run(const struct folio *f, int index, unsigned lo, unsigned hi,
    enum cache_kind c)
{
	uint32_t st = stamp(c);
	const uint64_t *b;

	if (f->mark[c][index] != st)
		return false;
	b = map_of(f, index, c, st);
	for (unsigned s = lo; s < hi; s++) {
		if (b == NULL ? (f->mark_parts[c][index] &
		    (1u << (s * sizeof(struct vg_cap) / PART_BYTES))) != 0 :
		    ((b[s / 64] >> (s % 64)) & 1) != 0)
			return true;
	}
	return false;
}

void
cache_slots_changed(const void *p, size_t len)
{
	const uint8_t *b = p, *end = b + len;

	/* One owner and one mark per frame the run covers, then its
	 * slots' bits. */
	while (b < end) {
		const uint8_t *next = (const uint8_t *)
		    (((uintptr_t)b | (FRAME_SIZE - 1)) + 1);
		int index;
		const struct folio *f = owner_of(b, &index);
		unsigned lo, hi;

		if (next > end)
			next = end;
		if (f == NULL) {
			cache_invalidate_all();
			return;
		}
		lo = slot_of(b);
		hi = slot_of(next - 1) + 1;
		if (touches_run(f, index, lo, hi, CACHE_PAGES)) {
			cache_invalidate_all();
			return;
		}
		if (touches_run(f, index, lo, hi, CACHE_LOOKUPS))
			cap_epoch++;
		b = next;
	}
}
