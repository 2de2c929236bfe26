/*
 * Folios: allocating storage, creating and destroying the objects in it
 * (docs/design.md §2).  The header layout is in storage.h.
 *
 * A folio is allocated from an activity, which is charged FOLIO_FRAMES
 * frames for it.  Its header records, for each of its 128 object frames,
 * the type of the object there and its version; the header itself is
 * kernel memory and never mapped to user space.
 *
 * Invariants:
 *  - a folio in use is on exactly one activity's folio list;
 *  - slot versions only grow; a version of UINT32_MAX is retired and the
 *    slot can no longer hold objects (VG_ERR_EXHAUSTED);
 *  - a slot's object frame is zeroed before the object is created.
 */
#ifndef VG_KERNEL_FOLIO_H
#define VG_KERNEL_FOLIO_H

#include <stdbool.h>
#include <stdint.h>

#include <vg/cap.h>
#include <vg/error.h>

#include "storage.h"

/* The result of creating an object or a folio: a capability to it. */
struct folio_ret {
	enum vg_err err;
	struct vg_cap cap;
};

/* Allocate a folio charged to ACTIVITY. */
struct folio_ret folio_alloc(struct activity *activity);

/*
 * Free folio F: bump its version and every object's, so that every
 * capability to it or in it reads as void, stop its threads, and hand it
 * to the reaper, which destroys the objects (and, for an activity in it,
 * everything that activity owns) and returns the chunk.  F stays on its
 * activity's list, charged, until then: storage returns to the activity
 * and its ancestors as it is reclaimed.  VG_ERR_INVALID for the root
 * folio, which holds the activity it is charged to.
 */
enum vg_err folio_free(struct folio *f);

/* folio_free's commit, for any folio in use (a dying activity's too). */
void folio_doom(struct folio *f);

/*
 * The reaper (reclaim.h): one bounded step of its work -- at most one
 * object destroyed, or one unit of a long destruction (one waiting
 * sender told, one folio of a dying activity doomed), and a scan of at
 * most one folio's slots -- so the work between two steps is bounded by
 * a constant, whatever is being destroyed.  folio_reclaim_drain does all
 * of it.
 */
void folio_reclaim_step(void);
void folio_reclaim_drain(void);

/*
 * Requires: F is in use (as every folio found through object_lookup is).
 * Create an object of TYPE in F's slot INDEX, destroying what was there.
 * An object whose destruction is long (an activity that owns folios, a
 * messenger others wait on) is the reaper's: allocating VOID over it
 * commits its destruction, anything else is VG_ERR_BUSY, as is any
 * allocation in the slot until the reaper has its frame back.
 * TYPE must be a strong type other than folio, console, power and the
 * device types (the controls, interrupt objects, I/O port ranges);
 * VG_TYPE_VOID only destroys.  Returns a capability with no guard and the
 * whole object; a page's has the execute right only with
 * VG_FOLIO_ALLOC_EXECUTE in FLAGS (enum vg_folio_alloc_flags; any other
 * flag, or that one with another type, is VG_ERR_INVALID).  The root
 * folio's permanent objects (the root activity, the console, the power
 * object, the device controls) cannot be replaced: VG_ERR_INVALID.
 */
struct folio_ret folio_object_alloc(struct folio *f, unsigned index,
    enum vg_type type, unsigned flags);

/*
 * folio_object_alloc for the objects only the kernel makes, on the
 * request of a device control: TYPE is VG_TYPE_IRQ, VG_TYPE_IOPORT or
 * VG_TYPE_DEVMEM (which folio_object_alloc refuses).  The caller initializes the new
 * object (zeroed) once this succeeded.
 */
struct folio_ret folio_device_alloc(struct folio *f, unsigned index,
    enum vg_type type);

/* The root folio's slots of the console, the power object and the
 * device controls (slot 0 holds the root activity). */
#define FOLIO_BOOT_DEVMEM_CONTROL	(VG_FOLIO_OBJECTS - 6)
#define FOLIO_BOOT_DMA_CONTROL		(VG_FOLIO_OBJECTS - 5)
#define FOLIO_BOOT_IRQ_CONTROL		(VG_FOLIO_OBJECTS - 4)
#define FOLIO_BOOT_IOPORT_CONTROL	(VG_FOLIO_OBJECTS - 3)
#define FOLIO_BOOT_CONSOLE		(VG_FOLIO_OBJECTS - 2)
#define FOLIO_BOOT_POWER		(VG_FOLIO_OBJECTS - 1)

/*
 * At boot: take the first folio, create the root activity in its slot 0,
 * the console, the power object, the interrupt control, the I/O port
 * control, the device-memory control and the DMA control (the only ones
 * there will ever be) in slots FOLIO_BOOT_*, and
 * charge the folio to the root activity.  NULL if there is no storage at
 * all.
 */
struct folio *folio_boot(void);


#endif /* VG_KERNEL_FOLIO_H */
