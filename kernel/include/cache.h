/*
 * The translation caches: how the kernel keeps the results of walks and
 * knows when they go stale (docs/design.md §3; docs/architecture.md,
 * "The translation caches").
 *
 * Two kinds of cache keep translations: the platform's hardware page
 * tables, and the lookups the IPC path repeats call after call (a
 * program's messengers, a messenger's last target and reply messenger,
 * a thread's UTCB).  Each kind has a generation; moving it drops every
 * translation of that kind.  A walk whose result will be cached marks
 * the slots it went through, each exactly, so that a store elsewhere
 * moves no generation at all.
 *
 * Every write of a slot must be followed by cache_slot_changed (or
 * cache_object_changed for a whole object), or cached translations go
 * stale; a store that leaves a slot as it was needs neither.
 */
#ifndef VG_KERNEL_CACHE_H
#define VG_KERNEL_CACHE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <vg/addr.h>
#include <vg/cap.h>

#include "storage.h"

/*
 * Bumped whenever a translation may have changed: a slot written, an
 * object destroyed.  Platforms that cache translations (hardware page
 * tables) drop their caches when it moves.  Never 0, which a platform
 * may keep for "none".
 */
extern uint64_t as_generation;

/*
 * Bumped by every capability store and every object destruction that may
 * touch a kept lookup: a lookup's result (a capability, the object it
 * names) stays valid while it has not moved.  The IPC path keeps its
 * lookups against it (thread.h, messenger.h).
 */
extern uint64_t cap_epoch;

/* The kinds of cache, each with its own generation. */
enum cache_kind {
	CACHE_PAGES = 0,	/* hardware page tables: as_generation */
	CACHE_LOOKUPS = 1,	/* the IPC path's lookups: cap_epoch */
};

_Static_assert(CACHE_KINDS == CACHE_LOOKUPS + 1, "CACHE_KINDS");

/*
 * Exact marks come from slot maps, this many per kind of cache and
 * generation; an object marked once they have run out is marked by
 * 32nds of its frame (8 slots of a cappage) instead.
 */
#define CACHE_MARK_MAPS	512

/* Drop every cached translation of both kinds. */
static inline void
cache_invalidate_all(void)
{
	as_generation++;
	cap_epoch++;
}

/*
 * A translation through slot P is about to be kept in cache C: mark it
 * (exactly that slot of its object), so that a store there moves C's
 * generation.  For a cache of what one slot holds, where that slot
 * rarely changes, this is cheaper on every use than comparing the slot
 * (struct cache_lookup_noted).
 */
void cache_note(const void *p, enum cache_kind c);

/*
 * cache_note, and the slot map that marks P's object in C's generation
 * now, or NULL if it has none (outside an object frame, or the maps have
 * run out).  Until C's generation moves, cache_note_in(MAP, Q) marks
 * another slot Q of the same object as cache_note would: for a caller
 * that notes many slots of one object, as the messenger lookups do from
 * their memo.
 */
uint64_t *cache_note_map(const void *p, enum cache_kind c);

static inline void
cache_note_in(uint64_t *map, const void *q)
{
	unsigned s = (unsigned)(((uintptr_t)q & (FRAME_SIZE - 1)) /
	    sizeof(struct vg_cap));

	map[s / 64] |= (uint64_t)1 << (s % 64);
}

/*
 * A slot (or the object that contains P) changed: drop the cached
 * translations if any may have gone through it.  Stores into slots no
 * cached translation indexed -- the common case for the slots messages
 * deliver capabilities to -- leave every page table in place.
 */
void cache_slot_changed(const void *p);

/* The same for a change to any slots of the object at FRAME. */
void cache_object_changed(const void *frame);

/* The same as cache_slot_changed for every slot of the LEN bytes at P,
 * one check per part of a frame they cover (a delivery's stores). */
void cache_slots_changed(const void *p, size_t len);

/* Capabilities are two words: compare them as such, in registers. */
typedef uint64_t __attribute__((may_alias)) cap_word_t;

_Static_assert(sizeof(struct vg_cap) == 2 * sizeof(uint64_t),
    "a capability is two words");

static inline bool
cap_same(const struct vg_cap *a, const struct vg_cap *b)
{
	const cap_word_t *x = (const cap_word_t *)(const void *)a;
	const cap_word_t *y = (const cap_word_t *)(const void *)b;

	return ((x[0] ^ y[0]) | (x[1] ^ y[1])) == 0;
}

/*
 * The IPC path keeps two kinds of lookups (their results are kept next
 * to them), which differ in how they learn of a store into the slot they
 * end at.  Both hold only while cap_epoch has not moved -- no store into
 * a slot the walk indexed (the walk marks them), no object destroyed --
 * and only for the address they were made for.
 *
 * A lookup whose final slot rarely changes (vg_ipc's messengers: struct
 * cache_lookup_noted) marks that slot too, and so costs two compares on
 * use.  One whose final slot often takes a new capability (a send's
 * target, an invocation's reply messenger: the slots replies are
 * delivered to) compares the slot instead (struct cache_lookup): marking
 * it would make every delivery of another reply right there move
 * cap_epoch and drop every lookup in the system.
 */
struct cache_lookup {
	uint64_t epoch;			/* 0: never filled */
	vg_addr_t addr;
	struct vg_cap *slot;
	struct vg_cap seen;		/* what SLOT held */
};

struct cache_lookup_noted {
	uint64_t epoch;			/* 0: never filled */
	vg_addr_t addr;
};

/* cache_lookup_holds with cap_epoch as EPOCH, read once by a caller
 * that checks several lookups. */
static inline __attribute__((always_inline)) bool
cache_lookup_holds_at(const struct cache_lookup *l, vg_addr_t addr,
    uint64_t epoch)
{
	return l->epoch == epoch && l->addr.raw == addr.raw &&
	    cap_same(l->slot, &l->seen);
}

static inline bool
cache_lookup_holds(const struct cache_lookup *l, vg_addr_t addr)
{
	return cache_lookup_holds_at(l, addr, cap_epoch);
}

/* Keep a lookup of ADDR that ended at SLOT (not marked: compared). */
static inline void
cache_lookup_keep(struct cache_lookup *l, vg_addr_t addr, struct vg_cap *slot)
{
	l->epoch = cap_epoch;
	l->addr = addr;
	l->slot = slot;
	l->seen = *slot;
}

/* Forget L: it holds nothing until kept again. */
static inline void
cache_lookup_forget(struct cache_lookup *l)
{
	l->epoch = 0;
}

/* The same for a noted lookup. */
static inline __attribute__((always_inline)) bool
cache_lookup_noted_holds_at(const struct cache_lookup_noted *l,
    vg_addr_t addr, uint64_t epoch)
{
	return l->epoch == epoch && l->addr.raw == addr.raw;
}

static inline bool
cache_lookup_noted_holds(const struct cache_lookup_noted *l, vg_addr_t addr)
{
	return cache_lookup_noted_holds_at(l, addr, cap_epoch);
}

/* Keep a lookup of ADDR whose every slot, the final one too, the caller
 * has marked (cache_note). */
static inline void
cache_lookup_noted_keep(struct cache_lookup_noted *l, vg_addr_t addr)
{
	l->epoch = cap_epoch;
	l->addr = addr;
}

static inline void
cache_lookup_noted_forget(struct cache_lookup_noted *l)
{
	l->epoch = 0;
}

#endif /* VG_KERNEL_CACHE_H */
