/*
 * Activity accounting (see activity.h).  Every walk here goes from an
 * activity to the root, at most ACTIVITY_DEPTH_MAX steps.
 */
#include <stddef.h>

#include <vg/method.h>

#include "activity.h"
#include "kassert.h"
#include "storage.h"

struct activity *activity_root;

enum vg_err
activity_charge(struct activity *a, uint64_t frames)
{
	struct activity *x;

	for (x = a; x != NULL; x = x->parent) {
		if (x->quota != 0 && (x->usage + frames > x->quota ||
		    x->usage + frames < x->usage))
			return VG_ERR_QUOTA;
	}
	/* commit: no failure past here */
	for (x = a; x != NULL; x = x->parent)
		x->usage += frames;
	return VG_OK;
}

void
activity_uncharge(struct activity *a, uint64_t frames)
{
	struct activity *x;

	for (x = a; x != NULL; x = x->parent) {
		if (x->usage < frames)
			kpanic("activity_uncharge: usage underflow");
		x->usage -= frames;
	}
}

enum vg_err
activity_pt_charge(struct activity *a)
{
	struct activity *x;

	for (x = a; x != NULL; x = x->parent) {
		if (x->pt_quota != 0 && x->pt_usage >= x->pt_quota)
			return VG_ERR_QUOTA;
	}
	for (x = a; x != NULL; x = x->parent)
		x->pt_usage++;
	return VG_OK;
}

void
activity_pt_uncharge(struct activity *a, uint64_t frames)
{
	struct activity *x;

	for (x = a; x != NULL; x = x->parent) {
		if (x->pt_usage < frames)
			kpanic("activity_pt_uncharge: usage underflow");
		x->pt_usage -= frames;
	}
}

enum vg_err
activity_set_limit(struct activity *a, uint64_t limit, uint64_t value,
    uint64_t *old)
{
	switch (limit) {
	case VG_ACTIVITY_LIMIT_QUOTA:
		*old = a->quota;
		a->quota = value;
		return VG_OK;
	case VG_ACTIVITY_LIMIT_WEIGHT:
		if (value < 1 || value > VG_ACTIVITY_WEIGHT_MAX)
			return VG_ERR_INVALID;
		*old = a->weight;
		a->weight = (uint32_t)value;
		return VG_OK;
	case VG_ACTIVITY_LIMIT_PRIORITY:
		if (value > VG_THREAD_PRIORITY_MAX)
			return VG_ERR_INVALID;
		/* Only the root may have them all. */
		if (a->parent != NULL && value > a->parent->priority)
			return VG_ERR_LIMIT;
		*old = a->priority;
		a->priority = (uint32_t)value;
		return VG_OK;
	case VG_ACTIVITY_LIMIT_PAGE_TABLES:
		*old = a->pt_quota;
		a->pt_quota = value;
		return VG_OK;
	default:
		return VG_ERR_INVALID;
	}
}

void
activity_init_root(struct activity *a)
{
	a->parent = NULL;
	a->depth = 0;
	a->weight = VG_ACTIVITY_WEIGHT_DEFAULT;
	a->priority = VG_THREAD_PRIORITY_MAX;
	activity_root = a;
}

void
activity_init_child(struct activity *a, struct activity *parent)
{
	a->parent = parent;
	a->depth = parent->depth + 1;
	a->weight = VG_ACTIVITY_WEIGHT_DEFAULT;
	/* What its parent may use, until the parent's holder says less. */
	a->priority = parent->priority;
}

bool
activity_destroy_step(struct activity *a, struct folio **next)
{
	struct folio *g = a->folios.head;

	/* Each folio leaves the list when the reaper has its frames back
	 * (folio.c), so the head is the next to doom, or one doomed before
	 * that is to finish first. */
	if (g == NULL) {
		VG_ASSERT(a->usage == 0 && a->pt_usage == 0);
		return true;
	}
	*next = g;
	return false;
}
