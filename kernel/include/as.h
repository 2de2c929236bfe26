/*
 * Address translation in the capability address space (DESIGN.md
 * section 3).
 *
 * A walk starts at a root capability and repeats: check and consume the
 * current capability's guard; stop if no bits remain; otherwise index the
 * object (a cappage consumes 8 - subpage_log2 bits, a folio 7, a thread or
 * strong messenger 2) and continue with the capability found.  A weak
 * capability on the path makes everything below it weak.
 *
 * The whole state of a walk is the value struct as_walk: no pointer into
 * the C stack, no recursion.  When a walk meets an rmessenger where it
 * would index, it stops with VG_ERR_VIRTUAL and hands back its state; the
 * virtualization layer saves that state in a messenger, asks the
 * virtualizer, and calls as_walk_resume with the answer (DESIGN.md
 * section 5).
 *
 * Every index consumes at least one bit (subpage_log2 is at most 7), so a
 * walk takes at most 63 indexing steps even on a cyclic tree.
 */
#ifndef VG_KERNEL_AS_H
#define VG_KERNEL_AS_H

#include <stdbool.h>
#include <stdint.h>

#include <vg/addr.h>
#include <vg/cap.h>
#include <vg/error.h>

/*
 * Bumped whenever a translation may have changed: a slot written, an
 * object destroyed.  Platforms that cache translations (hardware page
 * tables) drop their caches when it moves.
 */
extern uint64_t as_generation;

/*
 * Bumped by every capability store and every object destruction: a
 * lookup's result (a capability, the object it names) stays valid while
 * it has not moved.  The IPC path caches its lookups against it
 * (thread.h, messenger.h).
 */
extern uint64_t cap_epoch;

static inline void
as_changed(void)
{
	as_generation++;
	cap_epoch++;
}

/* The caches of translations, each with its own generation. */
enum as_cache {
	AS_CACHE_PAGES = 0,	/* hardware page tables: as_generation */
	AS_CACHE_LOOKUPS = 1,	/* the IPC path's lookups: cap_epoch */
};

/*
 * A translation through slot P is about to be kept in cache C: mark it
 * (its object and the 32nd of the object it lies in), so that a store
 * there moves C's generation.  For a cache of what one slot holds, this
 * is cheaper on every use than comparing the slot (struct as_lookup).
 */
void as_note(const void *p, enum as_cache c);

/* Capabilities are two words: compare them as such. */
static inline bool
as_same_cap(const struct vg_cap *a, const struct vg_cap *b)
{
	uint64_t x[2], y[2];

	__builtin_memcpy(x, a, sizeof(x));
	__builtin_memcpy(y, b, sizeof(y));
	return x[0] == y[0] && x[1] == y[1];
}

/*
 * One lookup the IPC path keeps (its result is kept next to it): the
 * address looked up, the slot the lookup ended at and what that slot
 * held.  It holds while cap_epoch has not moved -- no store into a slot
 * the walk went through (as_walk_start_cached marks them), no object
 * destroyed -- and the slot still holds the same capability.
 */
struct as_lookup {
	uint64_t epoch;			/* 0: never filled */
	vg_addr_t addr;
	struct vg_cap *slot;
	struct vg_cap seen;
};

static inline bool
as_lookup_holds(const struct as_lookup *l, vg_addr_t addr)
{
	return l->epoch == cap_epoch && l->addr.raw == addr.raw &&
	    as_same_cap(l->slot, &l->seen);
}

/* Keep a lookup of ADDR that ended at SLOT. */
static inline void
as_lookup_keep(struct as_lookup *l, vg_addr_t addr, struct vg_cap *slot)
{
	l->epoch = cap_epoch;
	l->addr = addr;
	l->slot = slot;
	l->seen = *slot;
}

/*
 * A slot (or the object that contains P) changed: drop the cached
 * translations if any may have gone through it.  Every write of a slot
 * must be followed by this (cap_store and the capability operations do
 * it), or cached lookups go stale.  Stores into slots no cached
 * translation indexed (to a 32nd of the object: 8 slots of a
 * cappage) -- the common case for the slots messages deliver
 * capabilities to -- leave every page table in place.
 */
void as_slot_changed(const void *p);

/* The same for a change to any slots of the object at FRAME. */
void as_object_changed(const void *frame);

/* Where a walk is: enough to continue it later. */
struct as_walk {
	vg_addr_t addr;		/* the address being translated */
	struct vg_cap cap;	/* the capability at the current step */
	struct vg_cap *slot;	/* where CAP is stored; NULL if synthesized */
	uint8_t consumed;	/* prefix bits consumed before CAP's guard */
	uint8_t weak;		/* a weak capability was indexed */
	uint8_t steps;		/* capabilities indexed so far */
	uint8_t caches;		/* 1 << enum as_cache: whose slots it notes */
};

/* Why a walk failed: the lookup fault, as data (STYLE.md, rec. 6). */
struct as_fault {
	uint8_t step;		/* capabilities indexed before the failure */
	uint8_t consumed;	/* bits consumed before the failing step: for
				 * guard errors, before that capability's
				 * guard; for indexing errors, including it */
	uint8_t remaining;	/* bits left at that point */
	uint8_t found_type;	/* type of the capability where it failed */
	uint8_t found_guard_depth;
	uint32_t found_guard;
	uint64_t addr_bits;	/* the address bits that were compared */
};

/* The outcome of a walk. */
struct as_result {
	enum vg_err err;	/* VG_OK, VG_ERR_VIRTUAL, or why it failed */
	struct vg_cap cap;	/* what was found (weakened on a weak path) */
	struct vg_cap *slot;	/* where it is stored; NULL if synthesized */
	bool weak;		/* the slot is read-only */
	struct as_walk walk;	/* VG_ERR_VIRTUAL: the state to resume */
	struct as_fault fault;	/* other errors: what went wrong */
};

/* A walk of ADDR from the capability in ROOT_SLOT, not yet started. */
struct as_walk as_walk_start(struct vg_cap *root_slot, vg_addr_t addr);
/*
 * The same, for a walk whose result will be kept in cache C.  It marks
 * every slot whose capability it indexes (the slot's object and the 32nd
 * of the object it lies in), so that a store there invalidates cache C;
 * for page tables it marks the slot it ends at too.  The IPC path's
 * lookups compare that slot on every use instead (struct as_lookup), so
 * that storing a new capability where a program sends to -- a reply
 * right -- costs them nothing.
 */
struct as_walk as_walk_start_cached(struct vg_cap *root_slot, vg_addr_t addr,
    enum as_cache c);

/* Run W until it finds the slot, fails, or meets a virtualized level. */
struct as_result as_walk_run(struct as_walk w);

/*
 * Continue a walk that stopped with VG_ERR_VIRTUAL: the virtualizer
 * answered with CAP after consuming BITS of the residual address.  CAP is
 * synthesized (it lives in no slot).  An answer that consumes no bits, or
 * more bits than remain, fails with VG_ERR_INVALID.
 */
struct as_result as_walk_resume(struct as_walk w, struct vg_cap cap,
    unsigned bits);

/* Translate ADDR from ROOT_SLOT to a slot; if WRITE, it must be writable. */
struct as_result as_lookup_slot(struct vg_cap *root_slot, vg_addr_t addr,
    bool write);

/*
 * Translate ADDR from ROOT_SLOT to a capability of exactly TYPE, as it reads
 * after weakening: asking for a messenger through a weak path finds an
 * rmessenger and fails with VG_ERR_TYPE.
 */
struct as_result as_lookup_object(struct vg_cap *root_slot, vg_addr_t addr,
    enum vg_type type);

/* Check a result from as_walk_run against what the caller wants. */
struct as_result as_result_want_slot(struct as_result r, bool write);
struct as_result as_result_want_object(struct as_result r, enum vg_type type);

#endif /* VG_KERNEL_AS_H */
