/*
 * Address translation in the capability address space (docs/design.md
 * §3).
 *
 * A walk starts at a root capability and repeats: check and consume the
 * current capability's guard; stop if no bits remain; otherwise index the
 * object (a cappage consumes 8 - subpage_log2 bits, a folio 7, a thread or
 * strong messenger 2) and continue with the capability found.  A weak
 * capability on the path makes everything below it weak.
 *
 * The whole state of a walk is the value struct as_walk: no pointer into
 * the C stack, no recursion.  When a walk meets an rmessenger where it
 * would index, it stops and hands back its state.  A walk its caller can
 * suspend (the target of a send, the capabilities of a delivery, a data
 * fault) stops with AS_VIRTUALIZED; the continuation machine saves the
 * state in a messenger, asks the virtualizer, and calls as_walk_resume
 * with the answer (docs/design.md §5).  Any other walk fails there with
 * VG_ERR_VIRTUAL, an error like the others.
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

#include "cache.h"
#include "object.h"

/*
 * Not an error of the ABI (vg/error.h): a suspendable walk met a
 * virtualized level and stopped there, and struct as_result's WALK says
 * where.  It never reaches user space: only the continuation machine
 * starts such walks, and it suspends on it.
 */
#define AS_VIRTUALIZED	((enum vg_err)0x100)

/* Where a walk is: enough to continue it later. */
struct as_walk {
	vg_addr_t addr;		/* the address being translated */
	struct vg_cap cap;	/* the capability at the current step */
	struct vg_cap *slot;	/* where CAP is stored; NULL if synthesized */
	uint8_t consumed;	/* prefix bits consumed before CAP's guard */
	uint8_t weak;		/* a weak capability was indexed */
	uint8_t steps;		/* capabilities indexed so far */
	uint8_t caches;		/* 1 << enum cache_kind: whose slots it notes */
	uint8_t suspend;	/* stop with AS_VIRTUALIZED, not an error */
};

/* Why a walk failed: the lookup fault, as data. */
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
	enum vg_err err;	/* VG_OK, AS_VIRTUALIZED, or why it failed */
	struct vg_cap cap;	/* what was found (weakened on a weak path) */
	struct vg_cap *slot;	/* where it is stored; NULL if synthesized */
	bool weak;		/* the slot is read-only */
	struct as_walk walk;	/* AS_VIRTUALIZED: the state to resume */
	struct as_fault fault;	/* other errors: what went wrong */
};

/*
 * What a straight walk remembers of the last cappage (or thread or
 * messenger) it indexed, so that the next walk to another of its slots
 * costs one index, as a single CNode lookup does in seL4.  It holds while
 * none of the slots on the way there changes: whoever stores into a slot
 * while keeping a memo calls as_memo_slot_changed.  Objects are not
 * destroyed while one is kept (a memo lives within one kernel operation).
 */
#define AS_MEMO_PATH	6	/* slots on the way; deeper walks keep none */
struct as_memo {
	vg_addr_t addr;		/* the address that led there */
	struct vg_cap *base;	/* the object's first slot its index reaches */
	uint8_t consumed;	/* bits of ADDR before the index */
	uint8_t n;		/* bits the index takes */
	uint8_t weak;		/* a weak capability is on the way */
	uint8_t npath;		/* slots in PATH; 0: the memo is empty */
	const struct vg_cap *path[AS_MEMO_PATH];
};

static inline void
as_memo_clear(struct as_memo *m)
{
	m->npath = 0;
}

/* Slot S changed: forget M if its way went through S. */
static inline void
as_memo_slot_changed(struct as_memo *m, const struct vg_cap *s)
{
	for (unsigned i = 0; i < m->npath; i++)
		if (m->path[i] == s)
			m->npath = 0;
}

/* What a straight walk found: as_walk_run's result when it is VG_OK. */
struct as_found {
	struct vg_cap cap;	/* weakened on a weak path */
	struct vg_cap *slot;	/* where it is stored; never NULL */
	bool weak;
};

/*
 * Translate ADDR from ROOT_SLOT when nothing on the way is unusual: every
 * capability indexed is a cappage, rcappage, thread or strong messenger
 * with a well-formed selection, every guard matches, and the walk ends at
 * a slot.  True with *OUT as as_walk_run would report it.  False for
 * anything else -- a failure, a virtualized level, a folio's synthesized
 * capability, the root address -- and the caller runs as_walk_run, the
 * reference, which says what happened.  M (not NULL; empty or kept from
 * earlier walks from ROOT_SLOT or elsewhere) lets a walk through the
 * cappage the last one indexed start there; it is updated.  No cache is
 * marked: the result is not kept.  OUT's CAP is filled only if WANT_CAP
 * (a walk to a slot to store into needs none).
 */
bool as_walk_straight(struct vg_cap *root_slot, vg_addr_t addr,
    struct as_memo *m, struct as_found *out, bool want_cap);

/*
 * as_walk_straight for a lookup the IPC path keeps (OUT's capability not
 * filled): every slot whose capability it indexes is noted for
 * CACHE_LOOKUPS as as_walk_keep notes them, so that M, and a lookup
 * ending at OUT's slot, hold while cap_epoch does not move (OUT's slot
 * itself is not noted: a noted lookup notes it, cache_lookup_noted_keep).
 * M must be empty or kept from such walks since cap_epoch last moved (its
 * way is noted).  A walk that declines may have noted a prefix of the
 * slots as_walk_keep then notes again.
 */
bool as_walk_straight_noted(struct vg_cap *root_slot, vg_addr_t addr,
    struct as_memo *m, struct as_found *out);

/* M leads ADDR (of depth DEPTH) from ROOT_SLOT to its object: the same
 * bits as M's address up to the object, and at least its index beyond. */
static inline bool
as_memo_leads(const struct as_memo *m, const struct vg_cap *root_slot,
    vg_addr_t addr, unsigned depth)
{
	return m->npath != 0 && m->path[0] == root_slot &&
	    depth >= (unsigned)m->consumed + m->n &&
	    (m->consumed == 0 ||
	    ((addr.raw ^ m->addr.raw) >> (64 - m->consumed)) == 0);
}

/*
 * The memo's short way, in the form a loop over the addresses of one
 * message keeps in registers (as_memo_fast_load after every walk that may
 * have changed the memo): an address into the memo's object costs a
 * compare, an index and the found slot's guard.  Only for walks from the
 * root slot the memo was made from.
 */
struct as_memo_fast {
	uint64_t prefix;	/* the memo's address: its bits up to the index */
	uint64_t mask;		/* which of them count (0: none) */
	struct vg_cap *base;	/* as struct as_memo's */
	uint8_t consumed;	/* bits before the index */
	uint8_t end;		/* bits up to the found slot's guard; 64: none */
	uint8_t rshift;		/* 64 - the index's bits */
	uint8_t weak;
	uint8_t inside;		/* a slot on the way lies in the object */
};

static inline void
as_memo_fast_load(struct as_memo_fast *q, const struct as_memo *m)
{
	const struct vg_cap *top;

	if (m->npath == 0) {
		/* No address is 64 bits deep. */
		*q = (struct as_memo_fast){ .end = 64, .rshift = 63 };
		return;
	}
	q->prefix = m->addr.raw;
	q->mask = m->consumed == 0 ? 0 : ~0ull << (64 - m->consumed);
	q->base = m->base;
	q->consumed = m->consumed;
	q->end = (uint8_t)(m->consumed + m->n);
	q->rshift = (uint8_t)(64 - m->n);
	q->weak = m->weak;
	/* A store into the object forgets the memo only if its way goes
	 * through the object itself (a cyclic tree). */
	top = m->base + (1u << m->n);
	q->inside = 0;
	for (unsigned i = 0; i < m->npath; i++)
		if (m->path[i] >= m->base && m->path[i] < top)
			q->inside = 1;
}

/*
 * The slot ADDR ends at if it goes through Q's object to a slot there
 * whose guard takes the rest of it, as as_walk_straight would find it;
 * NULL: ask as_walk_straight.
 */
static inline __attribute__((always_inline)) struct vg_cap *
as_memo_fast_slot(const struct as_memo_fast *q, vg_addr_t addr)
{
	unsigned depth = vg_addr_depth(addr), gd;
	struct vg_cap *slot;

	if (depth < q->end || ((addr.raw ^ q->prefix) & q->mask) != 0)
		return NULL;
	slot = q->base + ((addr.raw << q->consumed) >> q->rshift);
	gd = slot->guard_depth;
	if (gd != depth - q->end || (gd != 0 &&
	    ((addr.raw << q->end) >> (64 - gd)) != slot->guard))
		return NULL;
	return slot;
}

/* The capability in SLOT as a walk finds it: valid or void (keeping the
 * guard), weakened on a weak path. */
static inline __attribute__((always_inline)) struct vg_cap
as_found_cap(const struct vg_cap *slot, bool weak)
{
	if (object_frame(slot) == NULL)
		return (struct vg_cap){ .guard = slot->guard,
		    .guard_depth = slot->guard_depth };
	return weak ? cap_weaken(*slot) : *slot;
}

/*
 * The memo's short way for one walk: ADDR goes through M's object (the
 * same bits lead there from ROOT_SLOT) to a slot there whose guard takes
 * the rest of it.  True with *OUT as as_walk_straight would give it (M
 * unchanged); false: ask as_walk_straight, which may still take the memo.
 */
static inline bool
as_memo_walk(struct vg_cap *root_slot, vg_addr_t addr, const struct as_memo *m,
    struct as_found *out, bool want_cap)
{
	struct as_memo_fast q;
	struct vg_cap *slot;

	if (m->npath == 0 || m->path[0] != root_slot)
		return false;
	as_memo_fast_load(&q, m);
	slot = as_memo_fast_slot(&q, addr);
	if (slot == NULL)
		return false;
	out->slot = slot;
	out->weak = q.weak != 0;
	if (want_cap)
		out->cap = as_found_cap(slot, q.weak != 0);
	return true;
}

/* A walk of ADDR from the capability in ROOT_SLOT, not yet started. */
struct as_walk as_walk_start(struct vg_cap *root_slot, vg_addr_t addr);
/*
 * The same, for a walk whose result will be kept in cache C.  It marks
 * every slot whose capability it indexes, so that a store there
 * invalidates cache C; for page tables it marks the slot it ends at too,
 * and so does as_walk_keep_noted for the IPC path's noted lookups.
 */
struct as_walk as_walk_start_cached(struct vg_cap *root_slot, vg_addr_t addr,
    enum cache_kind c);

/* W, to stop with AS_VIRTUALIZED at a virtualized level. */
static inline struct as_walk
as_walk_suspendable(struct as_walk w)
{
	w.suspend = 1;
	return w;
}

/* Run W until it finds the slot, fails, or meets a virtualized level. */
struct as_result as_walk_run(struct as_walk w);

/*
 * Continue a walk that stopped at a virtualized level: the virtualizer
 * answered with CAP after consuming BITS of the residual address.  CAP is
 * synthesized (it lives in no slot).  An answer that consumes no bits, or
 * more bits than remain, fails with VG_ERR_INVALID.
 */
struct as_result as_walk_resume(struct as_walk w, struct vg_cap cap,
    unsigned bits);

/*
 * The lookups the IPC path keeps (cache.h), in one place: walk ADDR from
 * ROOT_SLOT (marking for CACHE_LOOKUPS; suspendable if SUSPEND) and keep
 * in L the slot the walk ended at -- the capability found, or the
 * virtualized level met -- and what it holds, or forget L if it ended at
 * none.  The caller keeps what it needs of the result next to L, and
 * forgets L if it does not want the result kept.
 */
struct as_result as_walk_keep(struct cache_lookup *l, struct vg_cap *root_slot,
    vg_addr_t addr, bool suspend);

/* The same for a noted lookup: the slot it ends at is marked too. */
struct as_result as_walk_keep_noted(struct cache_lookup_noted *l,
    struct vg_cap *root_slot, vg_addr_t addr, bool suspend);

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
