/*
 * Activities: resource principals arranged in a tree (docs/design.md §2).
 *
 * An activity is charged for the folios allocated from it.  Its usage
 * counts the frames of its own folios and of all its descendants', so a
 * quota bounds a whole subtree.  A child activity always lives in a folio
 * of its parent (folio_object_alloc makes the folio's activity the new
 * activity's parent), which gives the tree's key property: destroying an
 * activity's folios destroys its children, and a parent pointer can never
 * dangle.
 */
#ifndef VG_KERNEL_ACTIVITY_H
#define VG_KERNEL_ACTIVITY_H

#include <stdint.h>

#include <vg/error.h>

#include "queue.h"
#include "storage.h"

/* The tree is at most this deep, which bounds every walk to the root. */
#define ACTIVITY_DEPTH_MAX	32

struct folio;

struct activity {
	struct activity *parent;	/* NULL for the root activity */
	QUEUE_HEAD(folio) folios;	/* its folios, newest first */
	uint64_t quota;			/* frame limit for the subtree; 0: none */
	uint64_t usage;			/* frames charged to the subtree */
	uint32_t depth;			/* root is 0 */
	uint32_t nfolios;		/* folios on its own list */
};

_Static_assert(sizeof(struct activity) <= FRAME_SIZE,
    "an activity fits a frame");

/*
 * Charge FRAMES to A and its ancestors; VG_ERR_QUOTA, with nothing
 * charged, if that would take any of them past its quota.
 */
enum vg_err activity_charge(struct activity *a, uint64_t frames);

/* Undo activity_charge(A, FRAMES). */
void activity_uncharge(struct activity *a, uint64_t frames);

/* Set A's quota (0 = no limit of its own).  A quota below the current
 * usage is allowed: it only stops further allocation. */
void activity_set_quota(struct activity *a, uint64_t quota);

/* Make the object in frame A the root activity (at boot only). */
void activity_init_root(struct activity *a);

/* Make the new activity A a child of PARENT, the activity that pays for
 * its folio. */
void activity_init_child(struct activity *a, struct activity *parent);

/*
 * A is being destroyed: push its folios onto *DOOMED for the caller to
 * reclaim (folio.c), so that destruction needs neither recursion nor
 * allocation.  Its charges are settled by the caller.
 */
void activity_destroy(struct activity *a, struct folio **doomed);

#endif /* VG_KERNEL_ACTIVITY_H */
