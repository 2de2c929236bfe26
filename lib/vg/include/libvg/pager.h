/*
 * libvg: a user-level pager with demand-zero and copy-on-write regions.
 *
 * A region is a virtualizer (libvg/virt.h) whose rmessenger
 * (vg_pager_region_cap) stands where a client's memory should be,
 * typically in a root slot of the client's space (libvg/as.h layout: 4
 * MiB, 1024 pages).  The kernel cannot resolve the client's accesses
 * there: it sends the region a FAULT request (vg/method.h), carried by
 * the faulting thread's EXCEPTION messenger, whose residual is the page
 * index within the region.  The pager answers with a page, and the
 * kernel maps it and restarts the thread.
 *
 *	demand-zero	a read is answered with a read-only page (rpage) of
 *			the pager's one zero page, shared by every region;
 *			a write with a fresh private page (zeroed).
 *	copy-on-write	a region copies a template (source pages): a read
 *			is answered with an rpage of the source page; the
 *			first write makes a private page, copies the source
 *			into it and answers with it, writable.
 *
 * Clients only ever get rpages of the zero page and of sources, so their
 * writes can never reach them; a page, once private, is the client's
 * alone.  Each region keeps a state per page (untouched, shared,
 * private) and counters; a write fault on a page that is already private
 * makes no new copy (the kernel's page tables are a cache, so faults on
 * the same page come again).
 *
 * Requests are served in the activation handler.  A malformed request is
 * counted and, if it named a reply messenger, answered VG_ERR_INVALID; a
 * fault past the region's pages is refused with VG_ERR_VOID; INDEX and
 * STORE are refused with VG_ERR_NOT_INDEXABLE (a region holds data, not
 * capabilities).  The handler allocates objects from the pager's
 * allocator and maps pages at two scratch pages of libvg/as.h
 * (VG_PAGER_SCRATCH_SRC and _DST): the program's main code must not use
 * those, nor allocate from the same allocator while faults are served.
 */
#ifndef LIBVG_PAGER_H
#define LIBVG_PAGER_H

#include <stdbool.h>
#include <stdint.h>

#include <vg/addr.h>
#include <vg/error.h>

#include <libvg/as.h>
#include <libvg/virt.h>

#define VG_PAGER_REGION_PAGES	1024u	/* the pages a region can serve */
#define VG_PAGER_SCRATCH_SRC	6u	/* scratch pages of vg_as_map_temp */
#define VG_PAGER_SCRATCH_DST	7u

/* Counters, of a region or (summed) of the pager. */
struct vg_pager_stats {
	uint64_t faults;	/* FAULT requests */
	uint64_t reads, writes;	/* ... by access */
	uint64_t shared;	/* answered with an rpage (zero page, source) */
	uint64_t privates;	/* answered with a private page made before */
	uint64_t zero_fills;	/* private pages made zeroed */
	uint64_t copies;	/* private pages made as copies of a source */
	uint64_t refused;	/* faults past the region, INDEX, STORE */
	uint64_t errors;	/* faults that failed for lack of storage */
	uint64_t malformed;	/* messages that were not requests */
};

struct vg_pager {
	struct vg_objalloc *alloc;	/* where private pages come from */
	vg_addr_t zero;			/* the zero page (my slot) */
	vg_addr_t zero_weak;		/* an rpage to it: what clients get */
	struct vg_pager_stats stats;	/* all regions */
};

/* Source pages for copy-on-write regions, as rpages in a tree of mine. */
struct vg_pager_template {
	vg_addr_t tree;			/* my slot: a cappage of cappages */
	unsigned npages;
};

enum vg_pager_page {
	VG_PAGER_UNTOUCHED = 0,		/* never asked for */
	VG_PAGER_SHARED = 1,		/* read: an rpage of zero or source */
	VG_PAGER_PRIVATE = 2,		/* written: a page of its own */
};

struct vg_pager_region {
	struct vg_virtualizer virt;	/* its receiver, and its answers */
	struct vg_pager *pager;
	const struct vg_pager_template *tmpl;	/* NULL: demand-zero */
	unsigned npages;
	vg_addr_t priv;			/* my slot: a tree of private pages */
	uint32_t leaves;		/* bit k: its cappage k exists */
	uint8_t state[VG_PAGER_REGION_PAGES];	/* enum vg_pager_page */
	struct vg_pager_stats stats;
};

/*
 * Set P up: its zero page (and an rpage to it), private pages from
 * ALLOC (NULL: the run time's).
 */
enum vg_err vg_pager_init(struct vg_pager *p, struct vg_objalloc *alloc);

/* Give P's slots back (its regions and templates first). */
void vg_pager_fini(struct vg_pager *p);

/*
 * A template of NPAGES (1..VG_PAGER_REGION_PAGES) source pages: PAGES[i]
 * is the address (my space) of a page or rpage capability.  Only rpages
 * of them are kept, and given out: the pager never writes a source, and
 * neither can a client.  The owner may still change them through its
 * own capabilities (what regions have not copied yet shows the change).
 */
enum vg_err vg_pager_template_create(struct vg_pager *p,
    struct vg_pager_template *t, const vg_addr_t *pages, unsigned npages);

/* Give T's slot back (no region may use it any more). */
void vg_pager_template_destroy(struct vg_pager_template *t);

/*
 * Make G, a region of NPAGES pages (1..VG_PAGER_REGION_PAGES) served by
 * P, and start serving it: demand-zero if T is NULL, else a
 * copy-on-write copy of T's first NPAGES pages (at most T->npages).
 * NAME (kept) is for logs.  G and T must stay where they are while G
 * serves.
 */
enum vg_err vg_pager_region_create(struct vg_pager *p,
    struct vg_pager_region *g, const char *name, unsigned npages,
    const struct vg_pager_template *t);

/*
 * Stop serving G: its handlers are unregistered and its slots given back
 * (the messengers and pages stay allocated until their storage is
 * freed).  The clients' regions must be gone first.
 */
void vg_pager_region_destroy(struct vg_pager_region *g);

/* The rmessenger to G (my slot): what goes where the memory should be. */
vg_addr_t vg_pager_region_cap(const struct vg_pager_region *g);

/* The state of page I of G. */
enum vg_pager_page vg_pager_page_state(const struct vg_pager_region *g,
    unsigned i);

/* The slot (my space) of G's private page I, or void if it has none. */
vg_addr_t vg_pager_private_page(const struct vg_pager_region *g, unsigned i);

/* G's counters. */
const struct vg_pager_stats *vg_pager_region_stats(
    const struct vg_pager_region *g);

#endif /* LIBVG_PAGER_H */
