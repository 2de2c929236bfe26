/*
 * libvg: a sparse virtual cappage served in user space.
 *
 * A virtual cappage of 2^BITS slots (BITS 1..32) is a receiver made with
 * libvg/virt.h; an rmessenger to it (vg_vcappage_cap) goes wherever a
 * cappage could: in a slot of somebody's cappage tree, or as the root of
 * a messenger's space.  When the kernel's translation reaches it, the
 * kernel sends it INDEX, STORE or FAULT requests (vg/method.h), which
 * this library answers the way a real cappage of 2^BITS slots would be
 * indexed:
 *
 *	INDEX, FAULT	the capability stored at the next BITS bits of the
 *			residual (void for a slot never stored); if more
 *			bits remain, the kernel walks on from it.
 *	STORE		residual of exactly BITS bits: keep the capability
 *			that came with the request (a void one empties the
 *			slot).  Deeper: answer with the slot's capability,
 *			so that the kernel walks on and stores below it
 *			itself (VG_ERR_VOID if the slot is empty).
 *	either		a residual shorter than BITS: VG_ERR_ADDR_SHORT, as
 *			a real walk that ends inside an index.
 *
 * Only the slots that hold something cost anything.  The slots are a hash
 * table in the server's memory (open addressing, linear probing, O(1)
 * expected), mapping a slot index to a real capability slot of the
 * server, taken from an arena shared by every virtual cappage of the
 * program: a directory cappage in one root slot whose slots hold cappages
 * made on demand (VG_VCAP_ARENA_SLOTS real slots in all).  The guards of
 * virtual slots are always zero (a message cannot set one).
 *
 * Requests are served in the activation handler (libvg/server.h).  A
 * program message to the receiver is treated like the kernel's: a
 * malformed one is counted and, if it named a reply messenger, answered
 * with VG_ERR_INVALID.  Whoever holds the rmessenger holds the cappage
 * (like a strong cappage capability: it can read and store), so give it
 * only to those who may.
 *
 * The handler allocates pages (the table grows), objects and slots from
 * the program's run time (vg_self()): the program's main code must not
 * allocate at the same time, which a server that only waits satisfies.
 */
#ifndef LIBVG_VCAPPAGE_H
#define LIBVG_VCAPPAGE_H

#include <stdbool.h>
#include <stdint.h>

#include <vg/addr.h>
#include <vg/error.h>

#include <libvg/virt.h>

#define VG_VCAP_BITS_MAX	32u
/* Real slots for stored capabilities, for all virtual cappages. */
#define VG_VCAP_ARENA_SLOTS	(256u * 256u)

/* What a virtual cappage has done (every counter since its creation). */
struct vg_vcappage_stats {
	uint64_t index;		/* INDEX requests answered */
	uint64_t store;		/* STORE requests answered */
	uint64_t fault;		/* FAULT requests answered */
	uint64_t stored;	/* STOREs that kept a capability */
	uint64_t replaced;	/* ... over one already there */
	uint64_t deleted;	/* STOREs of void that emptied a slot */
	uint64_t passed;	/* answers with bits left: the kernel walked on */
	uint64_t errors;	/* requests answered with an error */
	uint64_t malformed;	/* messages that were not requests */
	uint64_t answer_failures; /* answers the kernel did not take */
};

struct vg_vcap_entry;

struct vg_vcappage {
	struct vg_virtualizer virt;	/* its receiver, and its answers */
	unsigned bits;			/* slots: 2^bits */
	/* The table: CAPACITY entries (a power of 2), COUNT in use. */
	struct vg_vcap_entry *table;
	uint32_t capacity, count;
	uint64_t table_va;		/* its pages */
	unsigned table_pages;
	struct vg_vcappage_stats stats;
};

/*
 * Make V, a virtual cappage of 2^BITS slots, all empty, and start
 * serving it (its receiver is armed).  NAME (kept, not copied) is for
 * logs.  VG_ERR_INVALID if BITS is not 1..32; VG_ERR_NO_STORAGE if slots,
 * pages or objects run out.  V must stay where it is while it serves.
 */
enum vg_err vg_vcappage_create(struct vg_vcappage *v, const char *name,
    unsigned bits);

/* The rmessenger to V (a slot of mine): what stands for the cappage. */
vg_addr_t vg_vcappage_cap(const struct vg_vcappage *v);

/*
 * The real slot (an address in my space) that holds what V's slot INDEX
 * holds, or void if that slot is empty or INDEX is out of range.
 */
vg_addr_t vg_vcappage_lookup(const struct vg_vcappage *v, uint64_t index);

/*
 * Store a copy of the capability at CAP (my space) in V's slot INDEX,
 * as a STORE request would; a void CAP address (or a void capability)
 * empties it.  For a server that fills its virtual cappages itself.
 */
enum vg_err vg_vcappage_set(struct vg_vcappage *v, uint64_t index,
    vg_addr_t cap);

/* The number of slots of V that hold something. */
uint32_t vg_vcappage_entries(const struct vg_vcappage *v);

/* V's counters. */
const struct vg_vcappage_stats *vg_vcappage_stats(const struct vg_vcappage *v);

/* Real slots in use by all virtual cappages of the program. */
uint32_t vg_vcap_arena_used(void);

#endif /* LIBVG_VCAPPAGE_H */
