/*
 * Activity accounting (see activity.h).  Every walk here goes from an
 * activity to the root, at most ACTIVITY_DEPTH_MAX steps.
 */
#include <stddef.h>

#include "activity.h"
#include "kassert.h"
#include "storage.h"

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

void
activity_set_quota(struct activity *a, uint64_t quota)
{
	a->quota = quota;
}

void
activity_init_root(struct activity *a)
{
	a->parent = NULL;
	a->depth = 0;
}

void
activity_init_child(struct activity *a, struct activity *parent)
{
	a->parent = parent;
	a->depth = parent->depth + 1;
}

/*
 * The activity's folios die with it.  Its charges were settled by whoever
 * started the destruction (folio.c), so the folios just leave its list.
 */
void
activity_destroy(struct activity *a, struct folio **doomed)
{
	while (a->folios.head != NULL) {
		struct folio *g = a->folios.head;

		QUEUE_REMOVE(&a->folios, g, link);
		g->activity = NULL;
		g->link.next = *doomed;
		*doomed = g;
	}
	a->nfolios = 0;
	a->usage = 0;
}
