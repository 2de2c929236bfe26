/*
 * Folio and activity methods: storage allocation and accounting.
 */
#include <stddef.h>

#include <vg/method.h>

#include "activity.h"
#include "folio.h"
#include "invocation.h"
#include "methods.h"

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
	case VG_METHOD_ACTIVITY_SET_QUOTA:
		if (!invoke_need(inv, 2))
			return;
		activity_set_quota(a, inv->word[1]);
		invoke_error(inv, VG_OK);
		return;
	case VG_METHOD_ACTIVITY_INFO:
		invoke_error(inv, VG_OK);
		invoke_reply_word(inv, a->usage);
		invoke_reply_word(inv, a->quota);
		invoke_reply_word(inv, a->depth);
		return;
	default:
		invoke_error(inv, VG_ERR_METHOD);
		return;
	}
}
