/*
 * Methods every object has, and the capability operations invoked on a
 * capability-space root (cappage, thread, messenger, folio).
 */
#include <stddef.h>

#include <vg/method.h>

#include "as.h"
#include "capops.h"
#include "cappage.h"
#include "invocation.h"
#include "kstring.h"
#include "methods.h"
#include "object.h"

/* Reply with where a capability operation failed: side, then fault. */
static void
reply_capop(struct invocation *inv, struct capop_ret r)
{
	invoke_error(inv, r.err);
	if (r.err == VG_OK)
		return;
	invoke_reply_word(inv, (uint64_t)r.side);
	invoke_reply_word(inv, (uint64_t)r.fault.step |
	    (uint64_t)r.fault.consumed << 8 |
	    (uint64_t)r.fault.remaining << 16 |
	    (uint64_t)r.fault.found_type << 24);
}

void
object_methods(struct invocation *inv)
{
	enum vg_type type = (enum vg_type)inv->target.type;

	switch (inv->word[0]) {
	case VG_METHOD_OBJECT_STATUS:
		invoke_error(inv, VG_OK);
		invoke_reply_word(inv, type);
		invoke_reply_word(inv, inv->target.oid);
		invoke_reply_word(inv, inv->target.version);
		return;
	case VG_METHOD_OBJECT_DISCARD:
		if (type == VG_TYPE_RPAGE || type == VG_TYPE_RCAPPAGE) {
			invoke_error(inv, VG_ERR_WEAK);
			return;
		}
		if (type != VG_TYPE_PAGE && type != VG_TYPE_CAPPAGE) {
			invoke_error(inv, VG_ERR_TYPE);
			return;
		}
		/* commit: no failure past here */
		if (type == VG_TYPE_CAPPAGE) {
			/* Only the slots this capability selects. */
			unsigned n = VG_CAPPAGE_SLOTS >> inv->target.subpage_log2;
			struct cappage *cp = inv->object;

			memset(&cp->slot[inv->target.subpage * n], 0,
			    n * sizeof(struct vg_cap));
		} else {
			memset(inv->object, 0, FRAME_SIZE);
		}
		/* A page keeps its frame: its mappings stay valid. */
		if (inv->target.type != VG_TYPE_PAGE)
			cache_object_changed(inv->object);
		invoke_error(inv, VG_OK);
		return;
	default:
		invoke_error(inv, VG_ERR_METHOD);
		return;
	}
}

/* True if capabilities of TYPE can root a capability-space walk. */
static bool
is_space_root(enum vg_type type)
{
	switch (type) {
	case VG_TYPE_CAPPAGE:
	case VG_TYPE_RCAPPAGE:
	case VG_TYPE_THREAD:
	case VG_TYPE_MESSENGER:
	case VG_TYPE_FOLIO:
		return true;
	default:
		return false;
	}
}

/* Fail a capability operation before any lookup: same reply shape as a
 * failed lookup (side: none, fault: zero). */
static void
capop_reject(struct invocation *inv, enum vg_err err)
{
	reply_capop(inv, (struct capop_ret){ .err = err });
}

/* CAP as the root of a method's addresses: its object, without the
 * guard that belongs to the slot it was found in. */
static struct vg_cap
method_root(struct vg_cap cap)
{
	cap.guard = 0;
	cap.guard_depth = 0;
	return cap;
}

void
cap_methods(struct invocation *inv)
{
	struct vg_cap root = method_root(inv->target);
	struct vg_cap src_root = root;
	vg_addr_t addr = { inv->word[1] };
	uint64_t method = inv->word[0];

	if (method != VG_METHOD_CAP_READ && method != VG_METHOD_CAP_RUBOUT &&
	    method != VG_METHOD_CAP_COPY) {
		invoke_error(inv, VG_ERR_METHOD);
		return;
	}
	if (!is_space_root((enum vg_type)inv->target.type)) {
		capop_reject(inv, VG_ERR_TYPE);
		return;
	}
	if (inv->nwords < (method == VG_METHOD_CAP_COPY ? 5u : 2u)) {
		capop_reject(inv, VG_ERR_INVALID);
		return;
	}
	switch (method) {
	case VG_METHOD_CAP_READ: {
		struct capop_ret r = cap_read(&root, addr);

		reply_capop(inv, r);
		if (r.err != VG_OK)
			return;
		invoke_reply_word(inv, r.cap.type);
		invoke_reply_word(inv, vg_translator_pack(
		    (struct vg_cap_translator){
			.guard = r.cap.guard,
			.guard_depth = r.cap.guard_depth,
			.subpage_log2 = r.cap.subpage_log2,
			.subpage = r.cap.subpage,
		    }));
		return;
	}
	case VG_METHOD_CAP_RUBOUT:
		/* The root slot here is the request's own copy. */
		if (vg_addr_depth(addr) == 0) {
			capop_reject(inv, VG_ERR_ADDR);
			return;
		}
		reply_capop(inv, cap_rubout(&root, addr));
		return;
	default: {	/* VG_METHOD_CAP_COPY */
		vg_addr_t from = { inv->word[2] };

		if (vg_addr_depth(addr) == 0) {
			capop_reject(inv, VG_ERR_ADDR);
			return;
		}
		if (inv->word[3] > UINT32_MAX) {
			capop_reject(inv, VG_ERR_INVALID);
			return;
		}
		if (inv->ncaps > 1 && !vg_addr_is_void(inv->cap[1])) {
			struct as_result r = invoke_request_cap(inv, 1);

			if (r.err != VG_OK) {
				reply_capop(inv, (struct capop_ret){
				    .err = r.err, .side = CAPOP_SOURCE,
				    .fault = r.fault });
				return;
			}
			src_root = method_root(r.cap);
		}
		reply_capop(inv, cap_copy(&root, addr, &src_root, from,
		    (unsigned)inv->word[3],
		    vg_translator_unpack(inv->word[4])));
		return;
	}
	}
}
