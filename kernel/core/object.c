/*
 * From capabilities to objects, and the per-type creation and destruction
 * hooks (see object.h).
 */
#include <stddef.h>

#include "activity.h"
#include "folio.h"
#include "messenger.h"
#include "object.h"
#include "storage.h"
#include "thread.h"

void *
object_lookup(const struct vg_cap *cap)
{
	struct folio *f;
	int index;

	if (cap->type == VG_TYPE_VOID || cap->type >= VG_TYPE_COUNT ||
	    !storage_oid_valid(cap->oid))
		return NULL;
	f = storage_owner(cap->oid);
	index = storage_owner_index(cap->oid);
	if (index < 0) {
		if (cap->type != VG_TYPE_FOLIO || !f->in_use ||
		    f->version != cap->version)
			return NULL;
		return f;
	}
	if (f->object[index].type != vg_type_strong(cap->type) ||
	    f->object[index].version != cap->version)
		return NULL;
	return storage_frame(cap->oid);
}

struct vg_cap
cap_validate(struct vg_cap cap)
{
	if (cap.type != VG_TYPE_VOID && object_lookup(&cap) != NULL)
		return cap;
	return (struct vg_cap){
		.guard = cap.guard,
		.guard_depth = cap.guard_depth,
	};
}

struct vg_cap
object_cap_of(const void *frame)
{
	uint32_t oid = storage_oid(frame);
	struct folio *f = storage_owner(oid);
	int index = storage_owner_index(oid);

	return index < 0 ? folio_cap(f) : folio_object_cap(f, (unsigned)index);
}

struct vg_cap
cap_weaken(struct vg_cap cap)
{
	cap.type = (uint8_t)vg_type_weaken(cap.type);
	if (cap.type == VG_TYPE_VOID)
		return (struct vg_cap){ .guard = cap.guard,
		    .guard_depth = cap.guard_depth };
	return cap;
}

/* A new activity is a child of the activity that pays for its folio. */
static void
activity_init(void *frame, struct folio *f, unsigned index)
{
	struct activity *a = frame;
	struct activity *parent = f->activity;

	(void)index;
	a->parent = parent;
	a->depth = parent->depth + 1;
}

/*
 * The activity's folios die with it.  Its charges were settled by whoever
 * started the destruction (folio.c), so the folios just leave its list.
 */
static void
activity_destroy(void *frame, struct folio **doomed)
{
	struct activity *a = frame;

	while (a->folios != NULL) {
		struct folio *g = a->folios;

		a->folios = g->next;
		g->activity = NULL;
		g->prev = NULL;
		g->next = *doomed;
		*doomed = g;
	}
	a->nfolios = 0;
	a->usage = 0;
}

const struct object_ops object_ops[VG_TYPE_COUNT] = {
	[VG_TYPE_ACTIVITY] = { .init = activity_init,
	    .destroy = activity_destroy },
	[VG_TYPE_THREAD] = { .init = thread_init, .destroy = thread_destroy },
	[VG_TYPE_MESSENGER] = { .init = messenger_init,
	    .destroy = messenger_destroy },
};
