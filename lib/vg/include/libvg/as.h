/*
 * libvg: the capability address space.
 *
 * One tree holds data and capabilities (docs/design.md §3).  libvg uses
 * the layout vg/boot.h gives the root task, for every program:
 *
 *	root cappage, guard of 34 zero bits (so data addresses are 52 deep)
 *	  slot (va >> 22), 0..127: a cappage for 4 MiB of memory, whose
 *	    slot ((va >> 14) & 255) holds 1/64 of a "leaf" cappage: 4 slots,
 *	    one per page ((va >> 12) & 3).  One leaf cappage serves 64 ranges.
 *	  slots 128..255: capabilities (vg/boot.h, libvg/env.h)
 *
 * Two views of an address.  The THREAD VIEW is how a thread or messenger
 * of the space resolves it, from the root capability with its 34-bit
 * guard: slot i of the root cappage is vg_boot_slot(i) (depth 42), the
 * page holding byte p is vg_addr_of_data(p) (depth 52).  vg_ipc, message
 * capabilities and reply slots use it.  Capability operations (CAP_COPY,
 * CAP_READ, CAP_RUBOUT) invoked on the root cappage resolve addresses
 * from the cappage itself, without that guard: vg_as_local() converts.
 *
 * struct vg_as describes a space being built or managed by the caller:
 * its own (base = the guard prefix) or another program's, whose root
 * cappage the caller holds in one of its own slots (base = that slot),
 * so that the other space's slots are reachable as addresses of the
 * caller's space: root slot i is base + 8 bits, the page slot of va is
 * base + 18 bits (region 8, range 8, page 2).
 */
#ifndef LIBVG_AS_H
#define LIBVG_AS_H

#include <stdbool.h>
#include <stdint.h>

#include <vg/addr.h>
#include <vg/boot.h>
#include <vg/cap.h>
#include <vg/error.h>
#include <vg/types.h>

#include <libvg/call.h>

/*
 * Memory the kernel shares with the program (buffer pages, the UTCB, pages
 * mapped temporarily) is reached through VG_PTR(va): the address itself in
 * a program; a lookup in the hosted kernel when libvg is tested on Linux.
 */
#ifdef LIBVG_HOSTED
void *vg_hosted_ptr(uint64_t va);
#define VG_PTR(va)	vg_hosted_ptr((uint64_t)(va))
#else
#define VG_PTR(va)	((void *)(uintptr_t)(va))
#endif

#define VG_AS_GUARD_DEPTH	VG_BOOT_ROOT_GUARD_DEPTH	/* 34 */
#define VG_AS_ROOT_SLOT_DEPTH	(VG_AS_GUARD_DEPTH + 8)		/* 42 */
#define VG_AS_PAGE_BITS		18	/* root slot 8, range 8, page 2 */
#define VG_AS_LEAF_PARTS	64	/* 1/64 of a leaf cappage per range */
#define VG_AS_LEAF_LOG2		6

/* Region (root slot), 16 KiB range and page-in-range of VA. */
static inline unsigned
vg_as_region(uint64_t va)
{
	return (unsigned)(va >> VG_BOOT_REGION_SHIFT) & 0xff;
}

static inline unsigned
vg_as_range(uint64_t va)
{
	return (unsigned)(va >> VG_BOOT_LEAF_SHIFT) & 0xff;
}

static inline unsigned
vg_as_page(uint64_t va)
{
	return (unsigned)(va >> VG_PAGE_SHIFT) & 3;
}

/*
 * An address of the thread view as seen from the root cappage itself: the
 * 34 guard bits dropped.  Void if A is not below the guard (depth 34 or
 * less, or guard bits not zero).
 */
vg_addr_t vg_as_local(vg_addr_t a);

/* The thread-view address of slot I of the cappage whose own slot is AT. */
static inline vg_addr_t
vg_as_sub(vg_addr_t at, uint64_t i, unsigned bits)
{
	return vg_addr_extend(at, i, bits);
}

/* --- capability slots of the caller's root cappage ------------------------ */

struct vg_slots {
	unsigned first, end;		/* slots [first, end) are managed */
	uint64_t used[4];		/* bit i: slot i is taken */
};

void vg_slots_init(struct vg_slots *s, unsigned first, unsigned end);
/* A free slot's address (vg_boot_slot(i)), or void if none is left. */
vg_addr_t vg_slot_alloc(struct vg_slots *s);
void vg_slot_free(struct vg_slots *s, vg_addr_t slot);
/* The index of a root-slot address, or -1. */
int vg_slot_index(vg_addr_t slot);

/* --- objects ---------------------------------------------------------------- */

/*
 * Where new objects come from: the next free index of a folio, then new
 * folios from an activity (their capabilities go in slots from SLOTS).
 */
struct vg_objalloc {
	vg_addr_t activity;
	vg_addr_t folio;		/* void: none yet */
	unsigned next;			/* its next free index */
	struct vg_slots *slots;
	uint32_t objects;		/* allocated, ever */
	uint32_t folios;
};

/* A new object of TYPE; its capability is stored at SLOT (my space). */
enum vg_err vg_obj_alloc(struct vg_call *c, struct vg_objalloc *a,
    enum vg_type type, vg_addr_t slot);

/* --- address spaces --------------------------------------------------------- */

struct vg_as {
	struct vg_call *call;		/* kernel calls */
	vg_addr_t self_root;		/* the caller's root cappage capability
					 * (capability operations are invoked
					 * on it) */
	struct vg_objalloc *alloc;	/* this space's cappages and pages */
	struct vg_slots *slots;		/* the caller's spare slots */
	vg_addr_t base;			/* see above */
	vg_addr_t leaf;			/* caller's slot with the current leaf
					 * cappage (void: none yet) */
	unsigned leaf_next;		/* its next free 1/64 part */
	uint64_t last_range;		/* cache: va >> 14 known present, +1 */
};

/* The call context of AS's kernel calls: AS->call, or if that is NULL
 * the running code's (vg_kcall()). */
struct vg_call *vg_as_call(const struct vg_as *as);

/* The caller's own space. */
void vg_as_init_self(struct vg_as *as, struct vg_call *c, vg_addr_t self_root,
    struct vg_objalloc *alloc, struct vg_slots *slots);

/*
 * A new, empty space: a root cappage allocated from ALLOC, held in a slot
 * of the caller's (from SLOTS).
 */
enum vg_err vg_as_create(struct vg_as *as, struct vg_call *c,
    vg_addr_t self_root, struct vg_objalloc *alloc, struct vg_slots *slots);

/* Thread-view addresses, in the caller's space, of this space's slots. */
vg_addr_t vg_as_root_slot(const struct vg_as *as, unsigned i);
vg_addr_t vg_as_region_slot(const struct vg_as *as, uint64_t va);
vg_addr_t vg_as_range_slot(const struct vg_as *as, uint64_t va);
vg_addr_t vg_as_page_slot(const struct vg_as *as, uint64_t va);

/* Make sure the cappages above the page slot of VA exist. */
enum vg_err vg_as_ensure(struct vg_as *as, uint64_t va);

/* What vg_as_map_new's pages allow, besides reading. */
enum vg_as_prot {
	VG_AS_READ = 0,
	VG_AS_WRITE = 1u << 0,		/* pages, not rpages */
	VG_AS_EXECUTE = 1u << 1,	/* the execute right (code) */
};

/*
 * Fresh zeroed pages for [VA, VA + SIZE) where there are none yet
 * (existing pages are kept), weakened to rpages unless PROT has
 * VG_AS_WRITE, with the execute right only if it has VG_AS_EXECUTE
 * (enum vg_as_prot).
 */
enum vg_err vg_as_map_new(struct vg_as *as, uint64_t va, uint64_t size,
    unsigned prot);

/* The type of the capability in the page slot of VA (void if none). */
enum vg_err vg_as_page_type(struct vg_as *as, uint64_t va, enum vg_type *type);

/* Replace the page at VA by its weak variant (read-only data). */
enum vg_err vg_as_weaken_page(struct vg_as *as, uint64_t va);

/*
 * CAP_COPY within the caller's space, both addresses in the thread view
 * (converted with vg_as_local and invoked on the caller's root cappage).
 */
enum vg_err vg_as_copy(struct vg_call *c, vg_addr_t self_root, vg_addr_t dst,
    vg_addr_t src, unsigned flags, struct vg_cap_translator tr);

/* CAP_READ / CAP_RUBOUT in the caller's space, thread-view address. */
enum vg_err vg_as_read(struct vg_call *c, vg_addr_t self_root, vg_addr_t a,
    enum vg_type *type, struct vg_cap_translator *tr);
enum vg_err vg_as_rubout(struct vg_call *c, vg_addr_t self_root, vg_addr_t a);

/*
 * Temporary mappings: VG_AS_SCRATCH_PAGES page slots of the caller's own
 * space at VG_AS_SCRATCH.  vg_as_map_temp copies the page capability at
 * PAGE (thread view of the caller's space, e.g. vg_as_page_slot of another
 * space) into scratch slot I and returns where it can be read (and, for a
 * page, written); the kernel maps it on the first access.  NULL on error.
 */
#define VG_AS_SCRATCH		0x1f800000u	/* region 126 */
#define VG_AS_SCRATCH_PAGES	8u
/* Free for programs: windows where received pages can be stored. */
#define VG_AS_WINDOWS		0x1f900000u
#define VG_AS_WINDOWS_END	0x1fc00000u

void *vg_as_map_temp(struct vg_as *self, unsigned i, vg_addr_t page);
enum vg_err vg_as_unmap_temp(struct vg_as *self, unsigned i);

#endif /* LIBVG_AS_H */
