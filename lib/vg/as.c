/*
 * The capability address space (libvg/as.h): slots, objects, and the
 * cappage trees of vg/boot.h's layout, built with kernel methods only.
 */
#include <stdbool.h>
#include <stdint.h>

#include <vg/boot.h>
#include <vg/method.h>

#include <libvg/as.h>
#include <libvg/call.h>
#include <libvg/methods.h>

vg_addr_t
vg_as_local(vg_addr_t a)
{
	unsigned depth = vg_addr_depth(a);
	uint64_t prefix = vg_addr_prefix(a);
	unsigned rest;

	if (vg_addr_is_void(a) || depth <= VG_AS_GUARD_DEPTH)
		return VG_ADDR_VOID;
	rest = depth - VG_AS_GUARD_DEPTH;
	if ((prefix >> rest) != 0)
		return VG_ADDR_VOID;	/* the guard bits are not zero */
	return vg_addr(prefix & vg_bits_mask(rest), rest);
}

/* --- slots ---------------------------------------------------------------- */

void
vg_slots_init(struct vg_slots *s, unsigned first, unsigned end)
{
	*s = (struct vg_slots){ .first = first,
	    .end = end < VG_CAPPAGE_SLOTS ? end : VG_CAPPAGE_SLOTS };
}

vg_addr_t
vg_slot_alloc(struct vg_slots *s)
{
	for (unsigned i = s->first; i < s->end; i++) {
		uint64_t bit = UINT64_C(1) << (i % 64);

		if (!(s->used[i / 64] & bit)) {
			s->used[i / 64] |= bit;
			return vg_boot_slot(i);
		}
	}
	return VG_ADDR_VOID;
}

int
vg_slot_index(vg_addr_t slot)
{
	if (vg_addr_depth(slot) != VG_AS_ROOT_SLOT_DEPTH)
		return -1;
	return (int)vg_addr_prefix(slot);
}

void
vg_slot_free(struct vg_slots *s, vg_addr_t slot)
{
	int i = vg_slot_index(slot);

	if (i >= (int)s->first && i < (int)s->end)
		s->used[i / 64] &= ~(UINT64_C(1) << (i % 64));
}

/* --- objects ---------------------------------------------------------------- */

/* vg_obj_alloc, with FOLIO_OBJECT_ALLOC's FLAGS. */
static enum vg_err
obj_alloc(struct vg_call *c, struct vg_objalloc *a, enum vg_type type,
    unsigned flags, vg_addr_t slot)
{
	enum vg_err err;

	if (vg_addr_is_void(a->folio) || a->next >= VG_FOLIO_OBJECTS) {
		vg_addr_t f;

		if (a->slots == NULL || vg_addr_is_void(a->activity))
			return VG_ERR_NO_STORAGE;
		f = vg_slot_alloc(a->slots);
		if (vg_addr_is_void(f))
			return VG_ERR_NO_STORAGE;
		err = vg_activity_folio_alloc(c, a->activity, f);
		if (err != VG_OK) {
			vg_slot_free(a->slots, f);
			return err;
		}
		a->folio = f;
		a->next = 0;
		a->folios++;
	}
	err = vg_folio_object_alloc(c, a->folio, a->next, type, flags, slot);
	if (err == VG_OK || err == VG_ERR_EXHAUSTED)
		a->next++;	/* an exhausted index is skipped for good */
	if (err == VG_OK)
		a->objects++;
	return err;
}

enum vg_err
vg_obj_alloc(struct vg_call *c, struct vg_objalloc *a, enum vg_type type,
    vg_addr_t slot)
{
	return obj_alloc(c, a, type, 0, slot);
}

/* --- spaces ------------------------------------------------------------------ */

struct vg_call *
vg_as_call(const struct vg_as *as)
{
	return as->call != NULL ? as->call : vg_kcall();
}

void
vg_as_init_self(struct vg_as *as, struct vg_call *c, vg_addr_t self_root,
    struct vg_objalloc *alloc, struct vg_slots *slots)
{
	*as = (struct vg_as){
		.call = c,
		.self_root = self_root,
		.alloc = alloc,
		.slots = slots,
		.base = vg_addr(0, VG_AS_GUARD_DEPTH),
	};
}

enum vg_err
vg_as_create(struct vg_as *as, struct vg_call *c, vg_addr_t self_root,
    struct vg_objalloc *alloc, struct vg_slots *slots)
{
	vg_addr_t root = vg_slot_alloc(slots);
	enum vg_err err;

	*as = (struct vg_as){
		.call = c,
		.self_root = self_root,
		.alloc = alloc,
		.slots = slots,
		.base = root,
	};
	if (vg_addr_is_void(root))
		return VG_ERR_NO_STORAGE;
	err = vg_obj_alloc(c, alloc, VG_TYPE_CAPPAGE, root);
	if (err != VG_OK) {
		vg_slot_free(slots, root);
		as->base = VG_ADDR_VOID;
	}
	return err;
}

vg_addr_t
vg_as_root_slot(const struct vg_as *as, unsigned i)
{
	return vg_addr_extend(as->base, i, 8);
}

vg_addr_t
vg_as_region_slot(const struct vg_as *as, uint64_t va)
{
	return vg_as_root_slot(as, vg_as_region(va));
}

vg_addr_t
vg_as_range_slot(const struct vg_as *as, uint64_t va)
{
	return vg_addr_extend(as->base,
	    (uint64_t)vg_as_region(va) << 8 | vg_as_range(va), 16);
}

vg_addr_t
vg_as_page_slot(const struct vg_as *as, uint64_t va)
{
	return vg_addr_extend(as->base,
	    (va >> VG_PAGE_SHIFT) & vg_bits_mask(VG_AS_PAGE_BITS),
	    VG_AS_PAGE_BITS);
}

enum vg_err
vg_as_copy(struct vg_call *c, vg_addr_t self_root, vg_addr_t dst,
    vg_addr_t src, unsigned flags, struct vg_cap_translator tr)
{
	vg_addr_t d = vg_as_local(dst), s = vg_as_local(src);

	if (vg_addr_is_void(d) || vg_addr_is_void(s))
		return VG_ERR_ADDR;
	return vg_cap_copy(c, self_root, d, s, flags, tr, VG_ADDR_VOID, NULL);
}

enum vg_err
vg_as_read(struct vg_call *c, vg_addr_t self_root, vg_addr_t a,
    enum vg_type *type, struct vg_cap_translator *tr)
{
	vg_addr_t l = vg_as_local(a);

	if (vg_addr_is_void(l))
		return VG_ERR_ADDR;
	return vg_cap_read(c, self_root, l, type, tr, NULL);
}

enum vg_err
vg_as_rubout(struct vg_call *c, vg_addr_t self_root, vg_addr_t a)
{
	vg_addr_t l = vg_as_local(a);

	if (vg_addr_is_void(l))
		return VG_ERR_ADDR;
	return vg_cap_rubout(c, self_root, l, NULL);
}

/* Give the range slot of VA 1/64 of a leaf cappage. */
static enum vg_err
new_leaf_part(struct vg_as *as, uint64_t va)
{
	enum vg_err err;

	if (vg_addr_is_void(as->leaf) || as->leaf_next == VG_AS_LEAF_PARTS) {
		if (vg_addr_is_void(as->leaf)) {
			as->leaf = vg_slot_alloc(as->slots);
			if (vg_addr_is_void(as->leaf))
				return VG_ERR_NO_STORAGE;
		}
		err = vg_obj_alloc(vg_as_call(as), as->alloc, VG_TYPE_CAPPAGE,
		    as->leaf);
		if (err != VG_OK)
			return err;
		as->leaf_next = 0;
	}
	err = vg_as_copy(vg_as_call(as), as->self_root,
	    vg_as_range_slot(as, va), as->leaf, VG_CAP_COPY_SUBPAGE,
	    (struct vg_cap_translator){
		.subpage_log2 = VG_AS_LEAF_LOG2,
		.subpage = (uint8_t)as->leaf_next });
	if (err == VG_OK)
		as->leaf_next++;
	return err;
}

enum vg_err
vg_as_ensure(struct vg_as *as, uint64_t va)
{
	uint64_t key = (va >> VG_BOOT_LEAF_SHIFT) + 1;
	enum vg_type type = VG_TYPE_VOID;
	bool fresh = false;
	enum vg_err err;

	if (va >= VG_BOOT_USER_LIMIT)
		return VG_ERR_INVALID;
	if (as->last_range == key)
		return VG_OK;
	err = vg_as_read(vg_as_call(as), as->self_root,
	    vg_as_region_slot(as, va), &type, NULL);
	if (err != VG_OK)
		return err;
	if (type == VG_TYPE_VOID) {
		err = vg_obj_alloc(vg_as_call(as), as->alloc, VG_TYPE_CAPPAGE,
		    vg_as_region_slot(as, va));
		if (err != VG_OK)
			return err;
		fresh = true;
	} else if (type != VG_TYPE_CAPPAGE) {
		return VG_ERR_TYPE;
	}
	if (!fresh) {
		err = vg_as_read(vg_as_call(as), as->self_root,
		    vg_as_range_slot(as, va), &type, NULL);
		if (err != VG_OK)
			return err;
	}
	if (fresh || type == VG_TYPE_VOID)
		err = new_leaf_part(as, va);
	else if (type != VG_TYPE_CAPPAGE)
		err = VG_ERR_TYPE;
	if (err == VG_OK)
		as->last_range = key;
	return err;
}

enum vg_err
vg_as_page_type(struct vg_as *as, uint64_t va, enum vg_type *type)
{
	return vg_as_read(vg_as_call(as), as->self_root,
	    vg_as_page_slot(as, va), type, NULL);
}

enum vg_err
vg_as_weaken_page(struct vg_as *as, uint64_t va)
{
	vg_addr_t slot = vg_as_page_slot(as, va);

	return vg_as_copy(vg_as_call(as), as->self_root, slot, slot,
	    VG_CAP_COPY_WEAKEN, (struct vg_cap_translator){ 0 });
}

enum vg_err
vg_as_map_new(struct vg_as *as, uint64_t va, uint64_t size, unsigned prot)
{
	uint64_t p = va & ~(uint64_t)(VG_PAGE_SIZE - 1);
	uint64_t end = va + size;

	if (end < va || end > VG_BOOT_USER_LIMIT)
		return VG_ERR_INVALID;
	for (; p < end; p += VG_PAGE_SIZE) {
		enum vg_type type;
		enum vg_err err = vg_as_ensure(as, p);

		if (err == VG_OK)
			err = vg_as_page_type(as, p, &type);
		if (err != VG_OK)
			return err;
		if (type != VG_TYPE_VOID)
			continue;
		/* Only code asks for the execute right: data never has it. */
		err = obj_alloc(vg_as_call(as), as->alloc, VG_TYPE_PAGE,
		    (prot & VG_AS_EXECUTE) ? VG_FOLIO_ALLOC_EXECUTE : 0,
		    vg_as_page_slot(as, p));
		if (err == VG_OK && !(prot & VG_AS_WRITE))
			err = vg_as_weaken_page(as, p);
		if (err != VG_OK)
			return err;
	}
	return VG_OK;
}

void *
vg_as_map_temp(struct vg_as *self, unsigned i, vg_addr_t page)
{
	uint64_t va = VG_AS_SCRATCH + (uint64_t)i * VG_PAGE_SIZE;

	if (i >= VG_AS_SCRATCH_PAGES || vg_as_ensure(self, va) != VG_OK)
		return NULL;
	if (vg_as_copy(vg_as_call(self), self->self_root,
	    vg_as_page_slot(self, va), page, 0,
	    (struct vg_cap_translator){ 0 }) != VG_OK)
		return NULL;
	return VG_PTR(va);
}

enum vg_err
vg_as_unmap_temp(struct vg_as *self, unsigned i)
{
	uint64_t va = VG_AS_SCRATCH + (uint64_t)i * VG_PAGE_SIZE;

	if (i >= VG_AS_SCRATCH_PAGES)
		return VG_ERR_INVALID;
	return vg_as_rubout(vg_as_call(self), self->self_root,
	    vg_as_page_slot(self, va));
}
