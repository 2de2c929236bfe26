/*
 * cap_copy, cap_read, cap_rubout (see capops.h).  Each decodes and looks
 * up everything first; the single store at the end is the commit.
 */
#include <stddef.h>

#include "as.h"
#include "capops.h"
#include "object.h"

enum vg_err
cap_guard_check(uint64_t guard, unsigned depth)
{
	if (depth > VG_GUARD_DEPTH_MAX)
		return VG_ERR_GUARD;
	/* Stored bits are 32; deeper guards have zero upper bits. */
	if ((guard & ~vg_bits_mask(depth < VG_GUARD_STORED_BITS ?
	    depth : VG_GUARD_STORED_BITS)) != 0)
		return VG_ERR_GUARD;
	return VG_OK;
}

enum vg_err
cap_subpage_narrow(struct vg_cap *cap, unsigned log2, unsigned index)
{
	unsigned total;

	if (!vg_type_has_subpage(cap->type))
		return (log2 == 0 && index == 0) ? VG_OK : VG_ERR_SUBPAGE;
	total = cap->subpage_log2 + log2;
	/* At most 1/128: every index must consume at least one bit. */
	if (log2 >= VG_CAPPAGE_SLOTS_LOG2 || total >= VG_CAPPAGE_SLOTS_LOG2 ||
	    index >= (1u << log2))
		return VG_ERR_SUBPAGE;
	cap->subpage_log2 = (uint8_t)total;
	cap->subpage = (uint8_t)((cap->subpage << log2) | index);
	return VG_OK;
}

/*
 * The one store of a capability into a slot.  A store that leaves the
 * slot as it was -- a client's reply right delivered again to where its
 * server replies from -- changes no translation, and must not drop the
 * caches that end at that slot.
 */
static void
cap_put(struct vg_cap *slot, struct vg_cap cap)
{
	if (cap_same(slot, &cap))
		return;
	*slot = cap;
	cache_slot_changed(slot);
}

void
cap_store(struct vg_cap *slot, struct vg_cap cap)
{
	uint32_t guard = slot->guard;
	uint8_t depth = slot->guard_depth;

	if (cap.type == VG_TYPE_VOID)
		cap = VG_CAP_VOID;
	cap.guard = guard;
	cap.guard_depth = depth;
	cap_put(slot, cap);
}

static struct capop_ret
capop_fail(enum vg_err err, enum capop_side side, const struct as_result *r)
{
	struct capop_ret ret = { .err = err, .side = side };

	if (r != NULL)
		ret.fault = r->fault;
	return ret;
}

struct capop_ret
cap_copy(struct vg_cap *dst_root, vg_addr_t dst, struct vg_cap *src_root,
    vg_addr_t src, unsigned flags, struct vg_cap_translator tr)
{
	struct as_result s, t;
	struct vg_cap cap;
	enum vg_err err;

	if ((flags & ~(unsigned)VG_CAP_COPY_FLAGS_ALL) != 0 ||
	    tr.reserved != 0 ||
	    ((flags & VG_CAP_COPY_GUARD) && (flags & VG_CAP_COPY_SOURCE_GUARD)))
		return capop_fail(VG_ERR_INVALID, CAPOP_NONE, NULL);
	if ((flags & VG_CAP_COPY_GUARD) &&
	    cap_guard_check(tr.guard, tr.guard_depth) != VG_OK)
		return capop_fail(VG_ERR_GUARD, CAPOP_NONE, NULL);

	s = as_walk_run(as_walk_start(src_root, src));
	if (s.err != VG_OK)
		return capop_fail(s.err, CAPOP_SOURCE, &s);
	t = as_lookup_slot(dst_root, dst, true);
	if (t.err != VG_OK)
		return capop_fail(t.err, CAPOP_TARGET, &t);

	cap = s.cap;	/* validated, and weakened if the path was weak */
	if (flags & VG_CAP_COPY_WEAKEN)
		cap = cap_weaken(cap);
	if ((flags & VG_CAP_COPY_NO_EXECUTE) && !vg_type_has_subpage(cap.type))
		cap.rights &= (uint8_t)~VG_CAP_EXECUTE;
	if ((flags & VG_CAP_COPY_NO_LIMIT) && !vg_type_has_subpage(cap.type))
		cap.rights &= (uint8_t)~VG_CAP_LIMIT;
	if ((flags & VG_CAP_COPY_NO_DMA) && !vg_type_has_subpage(cap.type))
		cap.rights &= (uint8_t)~VG_CAP_DMA;
	if (flags & VG_CAP_COPY_SUBPAGE) {
		err = cap_subpage_narrow(&cap, tr.subpage_log2, tr.subpage);
		if (err != VG_OK)
			return capop_fail(err, CAPOP_NONE, NULL);
	}
	if (flags & VG_CAP_COPY_GUARD) {
		cap.guard = tr.guard;
		cap.guard_depth = tr.guard_depth;
	} else if (!(flags & VG_CAP_COPY_SOURCE_GUARD)) {
		cap.guard = t.slot->guard;
		cap.guard_depth = t.slot->guard_depth;
	}

	/* commit: no failure past here */
	cap_put(t.slot, cap);
	return (struct capop_ret){ .err = VG_OK, .cap = cap };
}

struct capop_ret
cap_read(struct vg_cap *root, vg_addr_t addr)
{
	struct as_result r = as_walk_run(as_walk_start(root, addr));

	if (r.err != VG_OK)
		return capop_fail(r.err, CAPOP_SOURCE, &r);
	return (struct capop_ret){ .err = VG_OK, .cap = r.cap };
}

struct capop_ret
cap_rubout(struct vg_cap *root, vg_addr_t addr)
{
	struct as_result t = as_lookup_slot(root, addr, true);

	if (t.err != VG_OK)
		return capop_fail(t.err, CAPOP_TARGET, &t);
	/* commit: no failure past here */
	cap_put(t.slot, (struct vg_cap){ .guard = t.slot->guard,
	    .guard_depth = t.slot->guard_depth });
	return (struct capop_ret){ .err = VG_OK, .cap = *t.slot };
}
