/*
 * Folio and activity methods: storage allocation and accounting.
 */
#include <stddef.h>

#include <vg/method.h>

#include "activity.h"
#include "folio.h"
#include "invocation.h"
#include "methods.h"
#include "sched.h"

void
folio_methods(struct invocation *inv)
{
	struct folio *f = inv->object;

	switch (inv->word[0]) {
	case VG_METHOD_FOLIO_OBJECT_ALLOC: {
		struct folio_ret r;

		if (!invoke_need(inv, 3))
			return;
		if (inv->word[1] >= VG_FOLIO_OBJECTS ||
		    (inv->word[2] & ~(uint64_t)(VG_FOLIO_ALLOC_TYPE_MASK |
		    VG_FOLIO_ALLOC_FLAGS_ALL)) != 0) {
			invoke_error(inv, VG_ERR_INVALID);
			return;
		}
		r = folio_object_alloc(f, (unsigned)inv->word[1],
		    (enum vg_type)(inv->word[2] & VG_FOLIO_ALLOC_TYPE_MASK),
		    (unsigned)inv->word[2] & VG_FOLIO_ALLOC_FLAGS_ALL);
		invoke_error(inv, r.err);
		if (r.err == VG_OK)
			invoke_reply_cap(inv, r.cap);
		return;
	}
	case VG_METHOD_FOLIO_FREE:
		invoke_error(inv, folio_free(f));
		return;
	default:
		invoke_error(inv, VG_ERR_METHOD);
		return;
	}
}

void
activity_methods(struct invocation *inv)
{
	struct activity *a = inv->object;

	switch (inv->word[0]) {
	case VG_METHOD_ACTIVITY_FOLIO_ALLOC: {
		struct folio_ret r = folio_alloc(a);

		invoke_error(inv, r.err);
		if (r.err == VG_OK)
			invoke_reply_cap(inv, r.cap);
		return;
	}
	case VG_METHOD_ACTIVITY_SET_LIMIT: {
		uint64_t old;
		enum vg_err err;

		if (!invoke_need(inv, 3))
			return;
		/* Limits are set from above: a program's own activity
		 * comes without the right. */
		if (!(inv->target.rights & VG_CAP_LIMIT)) {
			invoke_error(inv, VG_ERR_RIGHTS);
			return;
		}
		err = activity_set_limit(a, inv->word[1], inv->word[2], &old);
		if (err == VG_OK)
			sched_limits_changed(a);
		invoke_error(inv, err);
		if (err == VG_OK)
			invoke_reply_word(inv, old);
		return;
	}
	case VG_METHOD_ACTIVITY_INFO:
		invoke_error(inv, VG_OK);
		invoke_reply_word(inv, a->usage);
		invoke_reply_word(inv, a->quota);
		invoke_reply_word(inv, a->depth);
		invoke_reply_word(inv, a->weight);
		invoke_reply_word(inv, a->priority);
		invoke_reply_word(inv, a->pt_usage);
		invoke_reply_word(inv, a->pt_quota);
		return;
	default:
		invoke_error(inv, VG_ERR_METHOD);
		return;
	}
}
