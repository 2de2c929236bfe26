/*
 * Folios: allocation, object creation and destruction (see folio.h).
 *
 * Destroying is split in two.  The commit, here, is bounded: every
 * capability to what dies reads as void at once, threads stop, activities
 * leave the scheduler.  Reclaiming the frames -- which for an activity
 * means every folio it owns, and everything in those -- is the reaper's
 * (reclaim.c), in bounded steps with interrupts allowed between them.
 * An object whose destruction is short (no folios, no queue of others
 * waiting on it) is still destroyed in place.
 */
#include <stddef.h>

#include <vg/method.h>

#include "activity.h"
#include "cache.h"
#include "folio.h"
#include "kassert.h"
#include "kstring.h"
#include "lifecycle.h"
#include "reclaim.h"
#include "sched.h"
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

/* Destroy the short-lived object in F's slot INDEX in place. */
static void
object_kill(struct folio *f, unsigned index)
{
	struct folio_object *o = &f->object[index];
	void *frame = folio_object_frame(f, index);

	if (o->type == VG_TYPE_VOID)
		return;
	object_dying((enum vg_type)o->type, frame);
	while (!object_destroy_step((enum vg_type)o->type, frame, NULL))
		;
	o->type = VG_TYPE_VOID;
	o->version++;
	object_deaths++;
	cache_invalidate_all();	/* its frame may be mapped */
}

/*
 * The object O, whose frame is FRAME, dies but its frame is the reaper's:
 * its capabilities go void now, what it would still run stops.
 */
static void
object_doom(struct folio_object *o, void *frame)
{
	if (o->type == VG_TYPE_VOID || o->dying)
		return;
	o->version++;
	object_deaths++;
	o->dying = 1;
	object_dying((enum vg_type)o->type, frame);
}

void
folio_doom(struct folio *f)
{
	/* The frames follow each other: one step apart, not each found
	 * from its index (this loop is the reaper's longest step). */
	uint8_t *frame = folio_object_frame(f, 0);
	unsigned i;

	VG_ASSERT(f->in_use && !f->doomed);
	for (i = 0; i < VG_FOLIO_OBJECTS; i++, frame += FRAME_SIZE)
		object_doom(&f->object[i], frame);
	f->doomed = 1;
	f->version++;
	object_deaths++;
	cache_invalidate_all();	/* its frames may be mapped */
	reclaim_push(f);
}

/* F's objects are all gone: its chunk goes back, and its charge leaves
 * its activity and every ancestor. */
static void
folio_reclaimed(struct folio *f)
{
	struct activity *a = f->activity;

	VG_ASSERT(f->doomed);
	f->doomed = 0;
	f->in_use = 0;
	folio_list_remove(f);
	activity_uncharge(a, FOLIO_FRAMES);
	storage_chunk_give(f);
}

void
folio_reclaim_step(void)
{
	struct folio *f = reclaim_top();

	if (f == NULL)
		return;
	/* Past the empty and the living slots: at most a folio's worth. */
	while (f->reap_index < VG_FOLIO_OBJECTS) {
		unsigned i = f->reap_index;
		struct folio_object *o = &f->object[i];
		struct folio *next = NULL;

		if (o->type == VG_TYPE_VOID || (!f->doomed && !o->dying)) {
			f->reap_index++;
			continue;
		}
		if (object_destroy_step((enum vg_type)o->type,
		    folio_object_frame(f, i), &next)) {
			o->type = VG_TYPE_VOID;
			o->dying = 0;
			f->reap_index++;
		} else if (next != NULL && !next->doomed) {
			/* A dying activity's next folio: it runs next. */
			folio_doom(next);
		} else if (next != NULL) {
			/* One freed before: to the top, to finish first. */
			reclaim_push(next);
		}
		return;
	}
	reclaim_pop(f);
	if (f->doomed)
		folio_reclaimed(f);
}

void
folio_reclaim_drain(void)
{
	while (reclaim_pending())
		folio_reclaim_step();
}

/*
 * True if F's slot INDEX holds an object nobody may destroy: the activity
 * F is charged to (only the root folio's slot 0 does), the console, the
 * power object or a device control (only the root folio holds them).
 */
static bool
folio_slot_permanent(const struct folio *f, unsigned index)
{
	enum vg_type type = (enum vg_type)f->object[index].type;

	return (type == VG_TYPE_ACTIVITY &&
	    folio_object_frame(f, index) == (void *)f->activity) ||
	    type == VG_TYPE_CONSOLE || type == VG_TYPE_POWER ||
	    type == VG_TYPE_IRQ_CONTROL || type == VG_TYPE_IOPORT_CONTROL ||
	    type == VG_TYPE_DEVMEM_CONTROL || type == VG_TYPE_DMA_CONTROL;
}

/* Types only the kernel makes: its devices at boot, and the device
 * objects their controls make (folio_device_alloc). */
static bool
kernel_made(enum vg_type type)
{
	return type == VG_TYPE_CONSOLE || type == VG_TYPE_POWER ||
	    type == VG_TYPE_IRQ_CONTROL || type == VG_TYPE_IRQ ||
	    type == VG_TYPE_IOPORT_CONTROL || type == VG_TYPE_IOPORT ||
	    type == VG_TYPE_DEVMEM_CONTROL || type == VG_TYPE_DEVMEM ||
	    type == VG_TYPE_DMA_CONTROL;
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
	/* commit: no failure past here.  It stays on its activity's list,
	 * and charged, until the reaper has its frames back. */
	folio_doom(f);
	return VG_OK;
}

static struct folio_ret object_alloc(struct folio *f, unsigned index,
    enum vg_type type, unsigned flags);

struct folio_ret
folio_object_alloc(struct folio *f, unsigned index, enum vg_type type,
    unsigned flags)
{
	/* The kernel's devices are made once; device objects only by
	 * their controls. */
	if (type < VG_TYPE_COUNT && kernel_made(type))
		return (struct folio_ret){ .err = VG_ERR_INVALID };
	return object_alloc(f, index, type, flags);
}

struct folio_ret
folio_device_alloc(struct folio *f, unsigned index, enum vg_type type)
{
	VG_ASSERT(type == VG_TYPE_IRQ || type == VG_TYPE_IOPORT ||
	    type == VG_TYPE_DEVMEM);
	return object_alloc(f, index, type, 0);
}

static struct folio_ret
object_alloc(struct folio *f, unsigned index, enum vg_type type,
    unsigned flags)
{
	struct folio_object *o;
	struct vg_cap cap;
	void *frame;

	if (index >= VG_FOLIO_OBJECTS || type >= VG_TYPE_COUNT ||
	    type == VG_TYPE_FOLIO || vg_type_is_weak(type) ||
	    type == VG_TYPE_CONSOLE || type == VG_TYPE_POWER ||
	    type == VG_TYPE_IRQ_CONTROL || type == VG_TYPE_IOPORT_CONTROL ||
	    type == VG_TYPE_DEVMEM_CONTROL || type == VG_TYPE_DMA_CONTROL ||
	    (flags & ~(unsigned)VG_FOLIO_ALLOC_FLAGS_ALL) != 0 ||
	    ((flags & VG_FOLIO_ALLOC_EXECUTE) && type != VG_TYPE_PAGE))
		return (struct folio_ret){ .err = VG_ERR_INVALID };
	VG_ASSERT(f->in_use);
	o = &f->object[index];
	/* The frame is still the reaper's. */
	if (o->dying)
		return (struct folio_ret){ .err = VG_ERR_BUSY };
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

	/* Long destruction is the reaper's, and the frame is not free
	 * until it is done: destroy first (allocate VOID), then create. */
	if (o->type != VG_TYPE_VOID && !object_destroy_is_short(
	    (enum vg_type)o->type, folio_object_frame(f, index))) {
		if (type != VG_TYPE_VOID)
			return (struct folio_ret){ .err = VG_ERR_BUSY };
		/* commit: no failure past here */
		object_doom(o, folio_object_frame(f, index));
		cache_invalidate_all();	/* its frame may be mapped */
		reclaim_push(f);
		return (struct folio_ret){ .err = VG_OK, .cap = VG_CAP_VOID };
	}

	/* commit: no failure past here */
	object_kill(f, index);
	if (type == VG_TYPE_VOID)
		return (struct folio_ret){ .err = VG_OK, .cap = VG_CAP_VOID };

	frame = folio_object_frame(f, index);
	memset(frame, 0, FRAME_SIZE);
	o->type = (uint8_t)type;
	object_init(type, frame, f, index);
	cap = folio_object_cap(f, index);
	if (flags & VG_FOLIO_ALLOC_EXECUTE)
		cap.rights = VG_CAP_EXECUTE;
	/* Its maker sets its limits; the program it runs gets a copy
	 * without the right (VG_CAP_COPY_NO_LIMIT). */
	if (type == VG_TYPE_ACTIVITY)
		cap.rights = VG_CAP_LIMIT;
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
	/* The console, the power object and the device controls have no
	 * state: a zero frame. */
	memset(folio_object_frame(f, FOLIO_BOOT_CONSOLE), 0, FRAME_SIZE);
	f->object[FOLIO_BOOT_CONSOLE].type = VG_TYPE_CONSOLE;
	memset(folio_object_frame(f, FOLIO_BOOT_POWER), 0, FRAME_SIZE);
	f->object[FOLIO_BOOT_POWER].type = VG_TYPE_POWER;
	memset(folio_object_frame(f, FOLIO_BOOT_IRQ_CONTROL), 0, FRAME_SIZE);
	f->object[FOLIO_BOOT_IRQ_CONTROL].type = VG_TYPE_IRQ_CONTROL;
	memset(folio_object_frame(f, FOLIO_BOOT_IOPORT_CONTROL), 0,
	    FRAME_SIZE);
	f->object[FOLIO_BOOT_IOPORT_CONTROL].type = VG_TYPE_IOPORT_CONTROL;
	memset(folio_object_frame(f, FOLIO_BOOT_DEVMEM_CONTROL), 0,
	    FRAME_SIZE);
	f->object[FOLIO_BOOT_DEVMEM_CONTROL].type = VG_TYPE_DEVMEM_CONTROL;
	memset(folio_object_frame(f, FOLIO_BOOT_DMA_CONTROL), 0, FRAME_SIZE);
	f->object[FOLIO_BOOT_DMA_CONTROL].type = VG_TYPE_DMA_CONTROL;
	activity_init_root(root);
	sched_activity_init(root);
	folio_list_add(root, f);
	if (activity_charge(root, FOLIO_FRAMES) != VG_OK)
		kpanic("folio_boot: the root activity has no quota");
	return f;
}
