/*
 * A user-level pager: demand-zero and copy-on-write regions
 * (libvg/pager.h).
 */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <vg/cap.h>
#include <vg/method.h>
#include <vg/types.h>

#include <libvg/as.h>
#include <libvg/env.h>
#include <libvg/methods.h>
#include <libvg/msg.h>
#include <libvg/pager.h>
#include <libvg/string.h>
#include <libvg/virt.h>

/*
 * Trees of up to 1024 pages: a cappage in one of my root slots whose
 * slot k holds a cappage for pages 256k..256k+255.  Page i is at the
 * slot's address + 16 bits.
 */
#define TREE_LEAVES	(VG_PAGER_REGION_PAGES / 256)

static vg_addr_t
tree_page(vg_addr_t tree, unsigned i)
{
	return vg_addr_extend(tree, i, 16);
}

/* Give back my slot *S (emptied). */
static void
slot_give_back(vg_addr_t *s)
{
	struct vg_runtime *rt = vg_self();

	if (vg_addr_is_void(*s))
		return;
	(void)vg_as_rubout(vg_kcall(), rt->self_root, *s);
	vg_slot_free(&rt->slots, *s);
	*s = VG_ADDR_VOID;
}

/* A new cappage in a new slot of mine. */
static enum vg_err
new_cappage(struct vg_objalloc *alloc, vg_addr_t *slot)
{
	struct vg_runtime *rt = vg_self();
	enum vg_err err;

	*slot = vg_slot_alloc(&rt->slots);
	if (vg_addr_is_void(*slot))
		return VG_ERR_NO_STORAGE;
	err = vg_obj_alloc(vg_kcall(), alloc, VG_TYPE_CAPPAGE, *slot);
	if (err != VG_OK) {
		vg_slot_free(&rt->slots, *slot);
		*slot = VG_ADDR_VOID;
	}
	return err;
}

/* Count F for region G and for its pager. */
#define COUNT(g, f)	((g)->stats.f++, (g)->pager->stats.f++)

/* --- the pager ------------------------------------------------------------ */

enum vg_err
vg_pager_init(struct vg_pager *p, struct vg_objalloc *alloc)
{
	struct vg_runtime *rt = vg_self();
	enum vg_err err;

	*p = (struct vg_pager){
		.alloc = alloc != NULL ? alloc : &rt->alloc,
		.zero = vg_slot_alloc(&rt->slots),
		.zero_weak = VG_ADDR_VOID,
	};
	if (vg_addr_is_void(p->zero))
		return VG_ERR_NO_STORAGE;
	/* A fresh page is zero, and nobody ever gets it writable. */
	err = vg_obj_alloc(vg_kcall(), p->alloc, VG_TYPE_PAGE, p->zero);
	if (err == VG_OK)
		err = vg_weak_copy(p->zero, &p->zero_weak);
	return err;
}

void
vg_pager_fini(struct vg_pager *p)
{
	slot_give_back(&p->zero_weak);
	slot_give_back(&p->zero);
}

enum vg_err
vg_pager_template_create(struct vg_pager *p, struct vg_pager_template *t,
    const vg_addr_t *pages, unsigned npages)
{
	struct vg_runtime *rt = vg_self();
	enum vg_err err;

	*t = (struct vg_pager_template){ .tree = VG_ADDR_VOID };
	if (npages < 1 || npages > VG_PAGER_REGION_PAGES)
		return VG_ERR_INVALID;
	err = new_cappage(p->alloc, &t->tree);
	for (unsigned k = 0; err == VG_OK && k * 256 < npages; k++)
		err = vg_obj_alloc(vg_kcall(), p->alloc, VG_TYPE_CAPPAGE,
		    vg_addr_extend(t->tree, k, 8));
	/* rpages only: what the tree holds is all a client can reach. */
	for (unsigned i = 0; err == VG_OK && i < npages; i++) {
		enum vg_type type = VG_TYPE_VOID;

		err = vg_as_read(vg_kcall(), rt->self_root, pages[i], &type,
		    NULL);
		if (err == VG_OK && type != VG_TYPE_PAGE &&
		    type != VG_TYPE_RPAGE)
			err = VG_ERR_TYPE;
		if (err == VG_OK)
			err = vg_as_copy(vg_kcall(), rt->self_root,
			    tree_page(t->tree, i), pages[i],
			    VG_CAP_COPY_WEAKEN,
			    (struct vg_cap_translator){ 0 });
	}
	if (err == VG_OK)
		t->npages = npages;
	else
		slot_give_back(&t->tree);
	return err;
}

void
vg_pager_template_destroy(struct vg_pager_template *t)
{
	slot_give_back(&t->tree);
	t->npages = 0;
}

/* --- serving faults ------------------------------------------------------------ */

/*
 * Make page I of G private: a new page, zero or a copy of the source.
 * Its slot, or void (and *ERR) if that failed.
 */
static vg_addr_t
make_private(struct vg_pager_region *g, unsigned i, enum vg_err *err)
{
	struct vg_runtime *rt = vg_self();
	struct vg_pager *p = g->pager;
	vg_addr_t slot = tree_page(g->priv, i);
	unsigned k = i / 256;
	const void *src;
	void *dst;

	if (!(g->leaves & (1u << k))) {
		*err = vg_obj_alloc(vg_kcall(), p->alloc, VG_TYPE_CAPPAGE,
		    vg_addr_extend(g->priv, k, 8));
		if (*err != VG_OK)
			return VG_ADDR_VOID;
		g->leaves |= 1u << k;
	}
	*err = vg_obj_alloc(vg_kcall(), p->alloc, VG_TYPE_PAGE, slot);
	if (*err != VG_OK)
		return VG_ADDR_VOID;
	if (g->tmpl == NULL) {
		COUNT(g, zero_fills);	/* a new page is zero */
		return slot;
	}
	/* Copy the source through two temporary mappings. */
	src = vg_as_map_temp(&rt->as, VG_PAGER_SCRATCH_SRC,
	    tree_page(g->tmpl->tree, i));
	dst = vg_as_map_temp(&rt->as, VG_PAGER_SCRATCH_DST, slot);
	if (src != NULL && dst != NULL)
		memcpy(dst, src, VG_PAGE_SIZE);
	(void)vg_as_unmap_temp(&rt->as, VG_PAGER_SCRATCH_SRC);
	(void)vg_as_unmap_temp(&rt->as, VG_PAGER_SCRATCH_DST);
	if (src == NULL || dst == NULL) {
		(void)vg_as_rubout(vg_kcall(), rt->self_root, slot);
		*err = VG_ERR_NO_STORAGE;
		return VG_ADDR_VOID;
	}
	COUNT(g, copies);
	return slot;
}

/* A message to a region that is not a kernel request. */
static void
malformed(struct vg_virtualizer *v)
{
	struct vg_pager_region *g = v->r.cookie;

	COUNT(g, malformed);
}

/* The answer to a request of a region (struct vg_virtualizer). */
static struct vg_vanswer
fault(struct vg_virtualizer *v, const struct vg_vreq *q)
{
	struct vg_pager_region *g = v->r.cookie;
	unsigned depth;
	uint64_t i;
	vg_addr_t page;
	enum vg_err err = VG_OK;

	depth = vg_addr_depth(q->residual);
	if (q->method != VG_METHOD_FAULT) {
		COUNT(g, refused);
		return (struct vg_vanswer){ VG_ERR_NOT_INDEXABLE, depth,
		    VG_ADDR_VOID };
	}
	COUNT(g, faults);
	if (q->write)
		COUNT(g, writes);
	else
		COUNT(g, reads);
	/* The residual is the page index (10 bits below a root slot). */
	i = vg_addr_prefix(q->residual);
	if (i >= g->npages) {
		COUNT(g, refused);
		return (struct vg_vanswer){ VG_ERR_VOID, depth, VG_ADDR_VOID };
	}
	if (g->state[i] == VG_PAGER_PRIVATE) {
		COUNT(g, privates);
		page = tree_page(g->priv, (unsigned)i);
	} else if (!q->write) {
		/* Shared until written: a read-only page that is not its. */
		COUNT(g, shared);
		g->state[i] = VG_PAGER_SHARED;
		page = g->tmpl != NULL ? tree_page(g->tmpl->tree, (unsigned)i) :
		    g->pager->zero_weak;
	} else {
		page = make_private(g, (unsigned)i, &err);
		if (vg_addr_is_void(page)) {
			COUNT(g, errors);
			return (struct vg_vanswer){ err, depth, VG_ADDR_VOID };
		}
		g->state[i] = VG_PAGER_PRIVATE;
	}
	return (struct vg_vanswer){ VG_OK, depth, page };
}

/* --- regions ------------------------------------------------------------------- */

enum vg_err
vg_pager_region_create(struct vg_pager *p, struct vg_pager_region *g,
    const char *name, unsigned npages, const struct vg_pager_template *t)
{
	enum vg_err err;

	*g = (struct vg_pager_region){
		.virt = { .answer = fault, .malformed = malformed },
		.pager = p,
		.tmpl = t,
		.npages = npages,
		.priv = VG_ADDR_VOID,
	};
	if (npages < 1 || npages > VG_PAGER_REGION_PAGES ||
	    (t != NULL && npages > t->npages))
		return VG_ERR_INVALID;
	err = new_cappage(p->alloc, &g->priv);
	/* FAULT requests carry no capability: the reply right is all. */
	if (err == VG_OK)
		err = vg_receiver_create(&g->virt.r, name, NULL, 0,
		    vg_virt_serve, g);
	if (err == VG_OK)
		err = vg_receiver_arm(&g->virt.r);
	return err;
}

void
vg_pager_region_destroy(struct vg_pager_region *g)
{
	/* Nothing more is delivered to handlers that are gone. */
	if (!vg_addr_is_void(g->virt.r.msgr))
		(void)vg_messenger_block(vg_kcall(), g->virt.r.msgr);
	vg_act_unregister(&g->virt.r.on_request);
	vg_act_unregister(&g->virt.r.on_reply);
	slot_give_back(&g->virt.r.weak);
	slot_give_back(&g->virt.r.msgr);
	slot_give_back(&g->virt.r.rsend);
	slot_give_back(&g->virt.r.slot[0]);
	slot_give_back(&g->priv);
}

vg_addr_t
vg_pager_region_cap(const struct vg_pager_region *g)
{
	return g->virt.r.weak;
}

enum vg_pager_page
vg_pager_page_state(const struct vg_pager_region *g, unsigned i)
{
	return i < g->npages ? (enum vg_pager_page)g->state[i] :
	    VG_PAGER_UNTOUCHED;
}

vg_addr_t
vg_pager_private_page(const struct vg_pager_region *g, unsigned i)
{
	if (i >= g->npages || g->state[i] != VG_PAGER_PRIVATE)
		return VG_ADDR_VOID;
	return tree_page(g->priv, i);
}

const struct vg_pager_stats *
vg_pager_region_stats(const struct vg_pager_region *g)
{
	return &g->stats;
}
