/*
 * What each type of object needs when it is created and when it is
 * destroyed (lifecycle.c).
 *
 * Folios create and destroy objects (folio.c) without knowing what they
 * are; this layer, above both the folios and the objects built in them,
 * knows each type's needs -- as seL4's finaliseCap sits above its object
 * files -- so that neither depends on the other.
 */
#ifndef VG_KERNEL_LIFECYCLE_H
#define VG_KERNEL_LIFECYCLE_H

#include <stdbool.h>

#include <vg/cap.h>

struct folio;

/* The object of TYPE in F's slot INDEX (its frame FRAME, zeroed) is new. */
void object_init(enum vg_type type, void *frame, struct folio *f,
    unsigned index);

/*
 * The object of TYPE at FRAME dies (its capabilities already read as
 * void): what would still run stops -- a thread stops, an activity
 * leaves its parent's rounds.  Bounded.
 */
void object_dying(enum vg_type type, void *frame);

/* True if object_destroy_step finishes the object in one call. */
bool object_destroy_is_short(enum vg_type type, const void *frame);

/*
 * One bounded step of destroying the object of TYPE at FRAME (after
 * object_dying); true once nothing points at it and its frame may be
 * reused.  An activity owns folios: a step of its gives in *NEXT the
 * folio the reaper is to finish first -- the next one to doom, or one
 * already doomed that is to come back to the top -- and it is gone once
 * it owns none.  NEXT may be NULL for an object that owns no folios.
 */
struct folio;
bool object_destroy_step(enum vg_type type, void *frame,
    struct folio **next);

#endif /* VG_KERNEL_LIFECYCLE_H */
