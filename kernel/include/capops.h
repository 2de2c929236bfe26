/*
 * Capability operations at the core's internal API level (docs/design.md
 *  §3): the work behind the cap_copy, cap_read and cap_rubout
 * methods.  Each validates everything first and changes nothing on
 * failure.
 */
#ifndef VG_KERNEL_CAPOPS_H
#define VG_KERNEL_CAPOPS_H

#include <vg/addr.h>
#include <vg/cap.h>
#include <vg/error.h>

#include "as.h"

/* Which address of a cap_copy failed. */
enum capop_side {
	CAPOP_NONE = 0,
	CAPOP_SOURCE,
	CAPOP_TARGET,
};

struct capop_ret {
	enum vg_err err;
	enum capop_side side;	/* which lookup failed, if one did */
	struct as_fault fault;	/* details of that lookup's failure */
	struct vg_cap cap;	/* cap_read: what is there; cap_copy: what was stored */
};

/*
 * Copy the capability at SRC (in the space rooted at SRC_ROOT) into the
 * slot at DST (in the space rooted at DST_ROOT).  FLAGS are enum
 * vg_cap_copy_flags; TR supplies the guard and subpage they ask for.
 */
struct capop_ret cap_copy(struct vg_cap *dst_root, vg_addr_t dst,
    struct vg_cap *src_root, vg_addr_t src, unsigned flags,
    struct vg_cap_translator tr);

/* The capability at ADDR, weakened if it was reached through a weak path. */
struct capop_ret cap_read(struct vg_cap *root, vg_addr_t addr);

/* Make the slot at ADDR void; it keeps its guard. */
struct capop_ret cap_rubout(struct vg_cap *root, vg_addr_t addr);

/*
 * The capability CAP with the subpage selection LOG2/INDEX applied within
 * its current one; VG_ERR_SUBPAGE if the result would be finer than 1/128,
 * or if CAP is no cappage and the selection is not the whole (0/0).
 */
enum vg_err cap_subpage_narrow(struct vg_cap *cap, unsigned log2,
    unsigned index);

/*
 * Store CAP in SLOT as a transfer does: the slot keeps its own guard, the
 * capability brings its type, object and subpage (void if CAP is void).
 * CAP must already be validated and weakened as the path requires.
 */
void cap_store(struct vg_cap *slot, struct vg_cap cap);

/* VG_OK if GUARD fits in DEPTH bits (and DEPTH is at most 63). */
enum vg_err cap_guard_check(uint64_t guard, unsigned depth);

#endif /* VG_KERNEL_CAPOPS_H */
