/*
 * Address translation (see as.h and docs/design.md §3).
 *
 * The loop body is the whole algorithm; everything it needs is in the
 * struct as_walk it was given, which is what lets a virtualized level
 * suspend the walk and a reply resume it.
 */
#include <stddef.h>

#include "as.h"
#include "cache.h"
#include "cappage.h"
#include "devmem.h"
#include "kassert.h"
#include "object.h"
#include "storage.h"

/*
 * Bits START..START+N of address A, for START + N within its depth: the
 * prefix is stored left-aligned (vg/addr.h), so two shifts, instead of
 * vg_addr_bits recomputing depth and prefix at every step of a walk.
 */
static inline uint64_t
walk_bits(vg_addr_t a, unsigned start, unsigned n)
{
	return n == 0 ? 0 : (a.raw << start) >> (64 - n);
}

struct as_walk
as_walk_start_cached(struct vg_cap *root_slot, vg_addr_t addr,
    enum cache_kind c)
{
	struct as_walk w = as_walk_start(root_slot, addr);

	w.caches = (uint8_t)(1u << c);
	return w;
}

struct as_walk
as_walk_start(struct vg_cap *root_slot, vg_addr_t addr)
{
	return (struct as_walk){
		.addr = addr,
		.cap = *root_slot,
		.slot = root_slot,
	};
}

static struct as_result
walk_fail(const struct as_walk *w, enum vg_err err, unsigned remaining,
    uint64_t addr_bits)
{
	return (struct as_result){
		.err = err,
		.fault = {
			.step = w->steps,
			.consumed = w->consumed,
			.remaining = (uint8_t)remaining,
			.found_type = w->cap.type,
			.found_guard_depth = w->cap.guard_depth,
			.found_guard = w->cap.guard,
			.addr_bits = addr_bits,
		},
	};
}

/*
 * Index the object that W's capability designates with the next bits of
 * the address; on success W moves to the capability found.  The caller
 * has checked that W's capability is valid (FRAME is its object) and that
 * bits remain.
 */
static enum vg_err
walk_index(struct as_walk *w, unsigned remaining, uint64_t *bits_out,
    void *frame)
{
	const struct vg_cap *cap = &w->cap;
	unsigned n;
	uint64_t bits;

	switch ((enum vg_type)cap->type) {
	case VG_TYPE_CAPPAGE:
	case VG_TYPE_RCAPPAGE:
		/* Slots only hold well-formed selections, but a resumed walk
		 * starts from a capability a virtualizer chose. */
		if (cap->subpage_log2 >= VG_CAPPAGE_SLOTS_LOG2 ||
		    (cap->subpage >> cap->subpage_log2) != 0)
			return VG_ERR_SUBPAGE;
		n = VG_CAPPAGE_SLOTS_LOG2 - cap->subpage_log2;
		break;
	case VG_TYPE_FOLIO:
		n = VG_FOLIO_OBJECTS_LOG2;
		break;
	case VG_TYPE_THREAD:
	case VG_TYPE_MESSENGER:
		n = VG_OBJECT_SLOTS_LOG2;
		break;
	case VG_TYPE_DEVMEM:
		/* Indexing selects one of its pages and ends the walk: the
		 * address's last bits are its page's (devmem.h).  A one-page
		 * object is a leaf, as a page is. */
		n = ((const struct devmem *)frame)->log2;
		if (n == 0 || n < remaining)
			return VG_ERR_NOT_INDEXABLE;
		break;
	case VG_TYPE_RMESSENGER:
		return VG_ERR_VIRTUAL;
	case VG_TYPE_VOID:
		return VG_ERR_VOID;
	default:
		return VG_ERR_NOT_INDEXABLE;
	}
	if (n > remaining)
		return VG_ERR_ADDR_SHORT;
	bits = walk_bits(w->addr, w->consumed, n);
	*bits_out = bits;
	/* The slot whose capability is indexed is on the path: a cache
	 * filled by this walk depends on it. */
	if (w->caches != 0 && w->slot != NULL) {
		if (w->caches & (1u << CACHE_PAGES))
			cache_note(w->slot, CACHE_PAGES);
		if (w->caches & (1u << CACHE_LOOKUPS))
			cache_note(w->slot, CACHE_LOOKUPS);
	}

	switch ((enum vg_type)cap->type) {
	case VG_TYPE_RCAPPAGE:
		w->weak = 1;
		/* FALLTHROUGH */
	case VG_TYPE_CAPPAGE: {
		struct cappage *cp = frame;
		unsigned index = ((unsigned)cap->subpage << n) | (unsigned)bits;

		w->slot = &cp->slot[index];
		break;
	}
	case VG_TYPE_FOLIO:
		/* A folio's objects are not stored caps: synthesize one. */
		w->slot = NULL;
		w->cap = folio_object_cap(frame, (unsigned)bits);
		break;
	case VG_TYPE_THREAD:
	case VG_TYPE_MESSENGER:
		/* Their slots come first (thread.h, messenger.h). */
		w->slot = &((struct vg_cap *)frame)[bits];
		break;
	case VG_TYPE_DEVMEM:
		/* The object itself, with no guard: the fault path takes
		 * the page from the address. */
		w->slot = NULL;
		w->cap.guard = 0;
		w->cap.guard_depth = 0;
		break;
	default:
		kpanic("walk_index: type changed under us");
	}
	if (w->slot != NULL)
		w->cap = *w->slot;

	w->consumed = (uint8_t)(w->consumed + n);
	w->steps++;
	return VG_OK;
}

struct as_result
as_walk_run(struct as_walk w)
{
	unsigned depth = vg_addr_depth(w.addr);

	if (vg_addr_is_void(w.addr)) {
		w.cap = cap_validate(w.cap);
		return walk_fail(&w, VG_ERR_ADDR, 0, 0);
	}
	/* The root address names the root slot itself, guard or not. */
	if (depth == 0 && w.steps == 0) {
		w.cap = cap_validate(w.cap);
		return (struct as_result){ .err = VG_OK, .cap = w.cap,
		    .slot = w.slot };
	}

	for (;;) {
		unsigned remaining = depth - w.consumed;
		unsigned gd;
		uint64_t bits = 0;
		enum vg_err err;
		/* One lookup validates the capability and finds its object. */
		void *frame = w.cap.type == VG_TYPE_VOID ? NULL :
		    object_lookup(&w.cap);

		if (frame == NULL)
			w.cap = (struct vg_cap){ .guard = w.cap.guard,
			    .guard_depth = w.cap.guard_depth };
		if (w.weak)
			w.cap = cap_weaken(w.cap);

		gd = w.cap.guard_depth;
		if (gd > remaining)
			return walk_fail(&w, VG_ERR_GUARD_DEPTH, remaining, 0);
		bits = walk_bits(w.addr, w.consumed, gd);
		if (bits != w.cap.guard)
			return walk_fail(&w, VG_ERR_GUARD_MISMATCH, remaining,
			    bits);
		w.consumed = (uint8_t)(w.consumed + gd);
		if (w.consumed == depth) {
			/* A page table maps what the last slot holds; the
			 * IPC path's caches check that slot themselves. */
			if ((w.caches & (1u << CACHE_PAGES)) &&
			    w.slot != NULL)
				cache_note(w.slot, CACHE_PAGES);
			return (struct as_result){ .err = VG_OK, .cap = w.cap,
			    .slot = w.slot, .weak = w.weak != 0 };
		}

		/* The guard is consumed; a failure below is about indexing. */
		remaining = depth - w.consumed;
		err = walk_index(&w, remaining, &bits, frame);
		if (err == VG_ERR_VIRTUAL)
			return (struct as_result){ .err = w.suspend ?
			    AS_VIRTUALIZED : VG_ERR_VIRTUAL,
			    .cap = w.cap, .weak = w.weak != 0, .walk = w };
		if (err != VG_OK)
			return walk_fail(&w, err, remaining, 0);
	}
}

static inline __attribute__((always_inline)) bool
walk_straight(struct vg_cap *root_slot, vg_addr_t addr, struct as_memo *m,
    struct as_found *out, bool want_cap, bool note)
{
	unsigned depth = vg_addr_depth(addr), consumed, np;
	struct vg_cap *slot;
	void *frame;
	bool weak;
	/* What the memo becomes: the last index, if this walk makes one. */
	struct as_memo next;

	next.npath = 0;
	if (as_memo_leads(m, root_slot, addr, depth)) {
		/* The same way as the last walk up to its last index: the
		 * same bits, so every guard on the way matched, and no slot
		 * on the way has changed since. */
		consumed = m->consumed;
		slot = m->base + walk_bits(addr, consumed, m->n);
		consumed += m->n;
		weak = m->weak != 0;
		np = m->npath;
	} else {
		if (depth == 0)		/* void, or the root address */
			return false;
		m->npath = 0;		/* its path is rewritten below */
		slot = root_slot;
		consumed = 0;
		weak = false;
		np = 0;
	}

	/* as_walk_run's loop, for the capabilities it indexes without a
	 * second thought; the guard reads the same valid or not, weak or
	 * not, so the capability is only rebuilt where the walk ends. */
	for (;;) {
		unsigned gd = slot->guard_depth, n, type;
		struct vg_cap *base;

		if (gd > depth - consumed ||
		    walk_bits(addr, consumed, gd) != slot->guard)
			return false;
		consumed += gd;
		if (consumed == depth)
			break;
		frame = object_frame(slot);
		if (frame == NULL)
			return false;
		type = slot->type;
		if (type == VG_TYPE_CAPPAGE || type == VG_TYPE_RCAPPAGE) {
			unsigned sublog = slot->subpage_log2;

			if (sublog >= VG_CAPPAGE_SLOTS_LOG2 ||
			    (slot->subpage >> sublog) != 0)
				return false;
			n = VG_CAPPAGE_SLOTS_LOG2 - sublog;
			base = &((struct cappage *)frame)->slot[
			    (unsigned)slot->subpage << n];
			weak = weak || type == VG_TYPE_RCAPPAGE;
		} else if (!weak && (type == VG_TYPE_THREAD ||
		    type == VG_TYPE_MESSENGER)) {
			/* (Weakened, these are void and an rmessenger.) */
			n = VG_OBJECT_SLOTS_LOG2;
			base = frame;
		} else {
			return false;
		}
		if (n > depth - consumed)
			return false;
		/* As walk_index notes it: the same slots, the same order. */
		if (note)
			cache_note(slot, CACHE_LOOKUPS);
		if (np < AS_MEMO_PATH)
			m->path[np] = slot;
		np++;
		next.npath = (uint8_t)(np <= AS_MEMO_PATH ? np : 0);
		next.base = base;
		next.consumed = (uint8_t)consumed;
		next.n = (uint8_t)n;
		next.weak = weak;
		slot = base + walk_bits(addr, consumed, n);
		consumed += n;
	}

	out->slot = slot;
	out->weak = weak;
	/* The capability found, valid or void, weakened on a weak path:
	 * a walk for a slot to store into does not need it. */
	if (want_cap) {
		if (object_frame(slot) == NULL)
			out->cap = (struct vg_cap){ .guard = slot->guard,
			    .guard_depth = slot->guard_depth };
		else
			out->cap = weak ? cap_weaken(*slot) : *slot;
	}
	if (next.npath != 0) {
		m->addr = addr;
		m->base = next.base;
		m->consumed = next.consumed;
		m->n = next.n;
		m->weak = next.weak;
		m->npath = next.npath;
	}
	return true;
}

bool
as_walk_straight(struct vg_cap *root_slot, vg_addr_t addr, struct as_memo *m,
    struct as_found *out, bool want_cap)
{
	return walk_straight(root_slot, addr, m, out, want_cap, false);
}

bool
as_walk_straight_noted(struct vg_cap *root_slot, vg_addr_t addr,
    struct as_memo *m, struct as_found *out)
{
	return walk_straight(root_slot, addr, m, out, false, true);
}

struct as_result
as_walk_resume(struct as_walk w, struct vg_cap cap, unsigned bits)
{
	unsigned depth = vg_addr_depth(w.addr);

	/* Each virtualized level consumes at least a bit, which bounds
	 * nesting by the address's depth. */
	if (bits == 0 || bits > depth - w.consumed)
		return walk_fail(&w, VG_ERR_INVALID, depth - w.consumed, 0);
	w.consumed = (uint8_t)(w.consumed + bits);
	w.cap = cap;
	w.slot = NULL;
	w.steps++;
	return as_walk_run(w);
}

/* The walk of as_walk_keep and as_walk_keep_noted; *END the slot it
 * ended at, or NULL. */
static struct as_result
walk_keep(struct vg_cap *root_slot, vg_addr_t addr, bool suspend,
    struct vg_cap **end)
{
	struct as_walk w = as_walk_start_cached(root_slot, addr, CACHE_LOOKUPS);
	struct as_result r;

	w.suspend = suspend;
	r = as_walk_run(w);
	*end = r.err == VG_OK ? r.slot : r.err == AS_VIRTUALIZED ?
	    r.walk.slot : NULL;
	return r;
}

struct as_result
as_walk_keep(struct cache_lookup *l, struct vg_cap *root_slot, vg_addr_t addr,
    bool suspend)
{
	struct vg_cap *end;
	struct as_result r = walk_keep(root_slot, addr, suspend, &end);

	if (end != NULL)
		cache_lookup_keep(l, addr, end);
	else
		cache_lookup_forget(l);
	return r;
}

struct as_result
as_walk_keep_noted(struct cache_lookup_noted *l, struct vg_cap *root_slot,
    vg_addr_t addr, bool suspend)
{
	struct vg_cap *end;
	struct as_result r = walk_keep(root_slot, addr, suspend, &end);

	if (end != NULL) {
		/* What the slot holds is the result: a store there must
		 * drop it too. */
		cache_note(end, CACHE_LOOKUPS);
		cache_lookup_noted_keep(l, addr);
	} else {
		cache_lookup_noted_forget(l);
	}
	return r;
}

struct as_result
as_result_want_slot(struct as_result r, bool write)
{
	if (r.err != VG_OK)
		return r;
	if (r.slot == NULL)
		r.err = VG_ERR_NOT_INDEXABLE;
	else if (write && r.weak)
		r.err = VG_ERR_WEAK;
	return r;
}

struct as_result
as_result_want_object(struct as_result r, enum vg_type type)
{
	if (r.err != VG_OK)
		return r;
	if (r.cap.type == VG_TYPE_VOID)
		r.err = VG_ERR_VOID;
	else if (r.cap.type != type)
		r.err = VG_ERR_TYPE;
	return r;
}

struct as_result
as_lookup_slot(struct vg_cap *root_slot, vg_addr_t addr, bool write)
{
	return as_result_want_slot(as_walk_run(as_walk_start(root_slot, addr)),
	    write);
}

struct as_result
as_lookup_object(struct vg_cap *root_slot, vg_addr_t addr, enum vg_type type)
{
	return as_result_want_object(
	    as_walk_run(as_walk_start(root_slot, addr)), type);
}
