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
#include "sched_state.h"
#include "storage.h"

/* The tree is at most this deep, which bounds every walk to the root. */
#define ACTIVITY_DEPTH_MAX	32

struct folio;

/* Bytes reserved in every activity for the platform's accounting. */
#define ACTIVITY_ARCH_SIZE	64

struct activity {
	struct activity *parent;	/* NULL for the root activity */
	QUEUE_HEAD(folio) folios;	/* its folios, newest first */
	uint64_t quota;			/* frame limit for the subtree; 0: none */
	uint64_t usage;			/* frames charged to the subtree */
	uint32_t depth;			/* root is 0 */
	uint32_t nfolios;		/* folios on its own list */
	/* The limits its parent sets (enum vg_activity_limit). */
	uint32_t weight;		/* its turn in its parent's rounds */
	uint32_t priority;		/* highest priority below it */
	uint64_t pt_quota;		/* page-table frames; 0: none */
	uint64_t pt_usage;		/* page-table frames of the subtree */
	/* Scheduling (sched.c): its rounds, its own threads as one of
	 * their members, itself as a member of its parent's. */
	struct sched_activity sched;
	struct sched_member sched_own;
	struct sched_member sched_child;
	_Alignas(8) uint8_t arch[ACTIVITY_ARCH_SIZE];
};

/* The root of the tree (folio_boot makes it). */
extern struct activity *activity_root;

_Static_assert(sizeof(struct activity) <= FRAME_SIZE,
    "an activity fits a frame");

/*
 * Charge FRAMES to A and its ancestors; VG_ERR_QUOTA, with nothing
 * charged, if that would take any of them past its quota.
 */
enum vg_err activity_charge(struct activity *a, uint64_t frames);

/* Undo activity_charge(A, FRAMES). */
void activity_uncharge(struct activity *a, uint64_t frames);

/*
 * Set A's LIMIT (enum vg_activity_limit) to VALUE and store the old one
 * in *OLD.  VG_ERR_INVALID for an unknown limit or a value out of range,
 * VG_ERR_LIMIT for a priority above the parent's; nothing changes on
 * failure.  The caller tells the scheduler (sched_limits_changed).  A quota below the current usage is allowed: it only stops
 * further allocation.
 */
enum vg_err activity_set_limit(struct activity *a, uint64_t limit,
    uint64_t value, uint64_t *old);

/* Charge one page-table frame to A and its ancestors; VG_ERR_QUOTA,
 * with nothing charged, if that would take any past its page-table
 * quota.  activity_pt_uncharge(A, N) undoes N of them. */
enum vg_err activity_pt_charge(struct activity *a);
void activity_pt_uncharge(struct activity *a, uint64_t frames);

/* Make the object in frame A the root activity (at boot only); the
 * caller sets up its scheduling state (sched_activity_init), as for a
 * child. */
void activity_init_root(struct activity *a);

/* Make the new activity A a child of PARENT, the activity that pays for
 * its folio. */
void activity_init_child(struct activity *a, struct activity *parent);

/*
 * One step of destroying A (lifecycle.c): the folio the reaper is to
 * finish next in *NEXT (the first on its list: to doom, or doomed before
 * and to come to the top), or true once A owns none and is gone.
 */
bool activity_destroy_step(struct activity *a, struct folio **next);

#endif /* VG_KERNEL_ACTIVITY_H */
