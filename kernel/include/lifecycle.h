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

#include <vg/cap.h>

struct folio;

/* The object of TYPE in F's slot INDEX (its frame FRAME, zeroed) is new. */
void object_init(enum vg_type type, void *frame, struct folio *f,
    unsigned index);

/*
 * The object of TYPE at FRAME is being destroyed; its version has not
 * been bumped yet.  Nothing may point at it afterwards.  An object that
 * owns folios (an activity) pushes them onto *DOOMED instead of freeing
 * them.
 */
void object_destroy(enum vg_type type, void *frame, struct folio **doomed);

#endif /* VG_KERNEL_LIFECYCLE_H */
