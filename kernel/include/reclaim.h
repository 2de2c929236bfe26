/*
 * The reaper's work (docs/design.md §2, "Destruction"): a stack of
 * folios whose objects are being reclaimed -- freed folios, whose every
 * object goes, and live ones holding a dying object.  The steps that
 * work through it are folio.c's (folio_reclaim_step).
 *
 * The stack runs depth first: a dying activity's folios go on top of the
 * folio that holds it and are finished before the activity itself, whose
 * frame they are charged through.
 */
#ifndef VG_KERNEL_RECLAIM_H
#define VG_KERNEL_RECLAIM_H

#include <stdbool.h>

struct folio;

/* F is doomed or holds a dying object: put it on top (moving it there if
 * it is already on the stack), to be scanned from its first slot.  The
 * first work wakes the platform's reaper (arch_reclaim_wake). */
void reclaim_push(struct folio *f);

/* The folio on top; NULL when there is no work. */
struct folio *reclaim_top(void);

/* Take F, the top, off the stack: all its dying objects are gone. */
void reclaim_pop(struct folio *f);

/* True while there is work. */
bool reclaim_pending(void);

#endif /* VG_KERNEL_RECLAIM_H */
