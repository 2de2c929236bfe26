/*
 * Folios: allocation, object creation and destruction (see folio.h).
 *
 * Destruction never recurses.  Freeing a folio can destroy an activity,
 * which owns folios, which can hold activities, and so on without bound;
 * instead of recursing, doomed folios are pushed on a list threaded
 * through their own headers and reclaimed in a loop.  Charges are settled
 * once, at the top: the activity charged for the first folio loses that
 * folio and the whole usage of every activity destroyed with it, and
 * nothing below is uncharged again.
 */
#include <stddef.h>

#include <vg/method.h>

#include "activity.h"
#include "cache.h"
#include "folio.h"
#include "kassert.h"
#include "kstring.h"
#include "lifecycle.h"
#include "storage.h"

static void
folio_list_remove(struct folio *f)
{
	struct activity *a = f->activity;

	QUEUE_REMOVE(&a->folios, f, link);
	a->nfolios--;
	f->activity = NULL;
}

static void
folio_list_add(struct activity *a, struct folio *f)
{
	f->activity = a;
	QUEUE_PREPEND(&a->folios, f, link);
	a->nfolios++;
}

struct folio_ret
folio_alloc(struct activity *a)
{
	struct folio *f;
	enum vg_err err;

	err = activity_charge(a, FOLIO_FRAMES);
	if (err != VG_OK)
		return (struct folio_ret){ .err = err };
	f = storage_chunk_take();
	if (f == NULL) {
		activity_uncharge(a, FOLIO_FRAMES);
		return (struct folio_ret){ .err = VG_ERR_NO_STORAGE };
	}
	VG_ASSERT(!f->in_use);
	f->in_use = 1;
	folio_list_add(a, f);
	return (struct folio_ret){ .err = VG_OK, .cap = folio_cap(f) };
}

/*
 * Destroy the object in F's slot INDEX: run its type's hook, then bump the
 * version so every capability to it reads as void.  Folios the object
 * owned go onto *DOOMED.
 */
static void
object_kill(struct folio *f, unsigned index, struct folio **doomed)
{
	struct folio_object *o = &f->object[index];

	if (o->type == VG_TYPE_VOID)
		return;
	object_destroy((enum vg_type)o->type, folio_object_frame(f, index),
	    doomed);
	o->type = VG_TYPE_VOID;
	o->version++;
	cache_invalidate_all();	/* its frame may be mapped */
}

/* Destroy everything in the folios on DOOMED and return their chunks. */
static void
folio_reclaim(struct folio *doomed)
{
	while (doomed != NULL) {
		struct folio *f = doomed;
		unsigned i;

		doomed = f->link.next;
		f->link.next = NULL;
		for (i = 0; i < VG_FOLIO_OBJECTS; i++)
			object_kill(f, i, &doomed);
		f->in_use = 0;
		f->version++;
		storage_chunk_give(f);
	}
}

/* Before destroying the activity in F's slot INDEX from the top: settle
 * the charges of its whole subtree with its (living) ancestors. */
static void
settle_activity(struct folio *f, unsigned index)
{
	struct activity *a;

	if (f->object[index].type != VG_TYPE_ACTIVITY)
		return;
	a = folio_object_frame(f, index);
	if (a->parent != NULL)
		activity_uncharge(a->parent, a->usage);
}

/*
 * True if F's slot INDEX holds an object nobody may destroy: the activity
 * F is charged to (only the root folio's slot 0 does), the console or the
 * power object (only the root folio holds them).
 */
static bool
folio_slot_permanent(const struct folio *f, unsigned index)
{
	enum vg_type type = (enum vg_type)f->object[index].type;

	return (type == VG_TYPE_ACTIVITY &&
	    folio_object_frame(f, index) == (void *)f->activity) ||
	    type == VG_TYPE_CONSOLE || type == VG_TYPE_POWER;
}

enum vg_err
folio_free(struct folio *f)
{
	unsigned i;

	VG_ASSERT(f->in_use);
	for (i = 0; i < VG_FOLIO_OBJECTS; i++) {
		if (folio_slot_permanent(f, i))
			return VG_ERR_INVALID;
	}
	/* commit: no failure past here */
	for (i = 0; i < VG_FOLIO_OBJECTS; i++)
		settle_activity(f, i);
	activity_uncharge(f->activity, FOLIO_FRAMES);
	folio_list_remove(f);
	folio_reclaim(f);
	return VG_OK;
}

struct folio_ret
folio_object_alloc(struct folio *f, unsigned index, enum vg_type type,
    unsigned flags)
{
	struct folio_object *o;
	struct folio *doomed = NULL;
	struct vg_cap cap;
	void *frame;

	/* The console and the power object are the kernel's, made once. */
	if (index >= VG_FOLIO_OBJECTS || type >= VG_TYPE_COUNT ||
	    type == VG_TYPE_FOLIO || vg_type_is_weak(type) ||
	    type == VG_TYPE_CONSOLE || type == VG_TYPE_POWER ||
	    (flags & ~(unsigned)VG_FOLIO_ALLOC_FLAGS_ALL) != 0 ||
	    ((flags & VG_FOLIO_ALLOC_EXECUTE) && type != VG_TYPE_PAGE))
		return (struct folio_ret){ .err = VG_ERR_INVALID };
	VG_ASSERT(f->in_use);
	o = &f->object[index];
	/* Destroying bumps the version; a new object needs one left. */
	if (type != VG_TYPE_VOID &&
	    o->version >= UINT32_MAX - (o->type != VG_TYPE_VOID))
		return (struct folio_ret){ .err = VG_ERR_EXHAUSTED };
	if (type == VG_TYPE_ACTIVITY && f->activity->depth + 1 >= ACTIVITY_DEPTH_MAX)
		return (struct folio_ret){ .err = VG_ERR_DEPTH };
	/* The root activity would free its own folio from under us; the
	 * console and the power object exist once, for good. */
	if (folio_slot_permanent(f, index))
		return (struct folio_ret){ .err = VG_ERR_INVALID };

	/* commit: no failure past here */
	settle_activity(f, index);
	object_kill(f, index, &doomed);
	folio_reclaim(doomed);
	if (type == VG_TYPE_VOID)
		return (struct folio_ret){ .err = VG_OK, .cap = VG_CAP_VOID };

	frame = folio_object_frame(f, index);
	memset(frame, 0, FRAME_SIZE);
	o->type = (uint8_t)type;
	object_init(type, frame, f, index);
	cap = folio_object_cap(f, index);
	if (flags & VG_FOLIO_ALLOC_EXECUTE)
		cap.rights = VG_CAP_EXECUTE;
	return (struct folio_ret){ .err = VG_OK, .cap = cap };
}

struct folio *
folio_boot(void)
{
	struct folio *f = storage_chunk_take();
	struct activity *root;

	if (f == NULL)
		return NULL;
	f->in_use = 1;
	root = folio_object_frame(f, 0);
	memset(root, 0, FRAME_SIZE);
	f->object[0].type = VG_TYPE_ACTIVITY;
	/* The console and the power object have no state: a zero frame. */
	memset(folio_object_frame(f, FOLIO_BOOT_CONSOLE), 0, FRAME_SIZE);
	f->object[FOLIO_BOOT_CONSOLE].type = VG_TYPE_CONSOLE;
	memset(folio_object_frame(f, FOLIO_BOOT_POWER), 0, FRAME_SIZE);
	f->object[FOLIO_BOOT_POWER].type = VG_TYPE_POWER;
	activity_init_root(root);
	folio_list_add(root, f);
	if (activity_charge(root, FOLIO_FRAMES) != VG_OK)
		kpanic("folio_boot: the root activity has no quota");
	return f;
}
