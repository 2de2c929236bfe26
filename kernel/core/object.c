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

/* vg_type_strong as a table: object_lookup is on every path. */
static const uint8_t strong_of[VG_TYPE_COUNT] = {
	[VG_TYPE_PAGE] = VG_TYPE_PAGE, [VG_TYPE_RPAGE] = VG_TYPE_PAGE,
	[VG_TYPE_CAPPAGE] = VG_TYPE_CAPPAGE,
	[VG_TYPE_RCAPPAGE] = VG_TYPE_CAPPAGE,
	[VG_TYPE_FOLIO] = VG_TYPE_FOLIO, [VG_TYPE_ACTIVITY] = VG_TYPE_ACTIVITY,
	[VG_TYPE_THREAD] = VG_TYPE_THREAD,
	[VG_TYPE_MESSENGER] = VG_TYPE_MESSENGER,
	[VG_TYPE_RMESSENGER] = VG_TYPE_MESSENGER,
};

void *
object_lookup(const struct vg_cap *cap)
{
	uint32_t oid = cap->oid, chunk, index;
	struct folio *f;

	if (cap->type == VG_TYPE_VOID || cap->type >= VG_TYPE_COUNT ||
	    oid >= storage_nframes)
		return NULL;
	chunk = oid / FOLIO_FRAMES;
	index = oid - chunk * FOLIO_FRAMES;
	f = (struct folio *)(void *)(storage_base +
	    (uint64_t)chunk * FOLIO_FRAMES * FRAME_SIZE);
	if (index == 0) {
		if (cap->type != VG_TYPE_FOLIO || !f->in_use ||
		    f->version != cap->version)
			return NULL;
		return f;
	}
	if (f->object[index - 1].type != strong_of[cap->type] ||
	    f->object[index - 1].version != cap->version)
		return NULL;
	return storage_base + (uint64_t)oid * FRAME_SIZE;
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
