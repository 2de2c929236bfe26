/*
 * tiso's parts: the fault attacks (iso.c, which dispatches on the
 * argument), the resource attacks (resources.c) and the bystanders that
 * watch them (watch.c).  Each records what it got in the mailbox and
 * returns; main then ends the program (t_finish).
 */
#ifndef TISO_H
#define TISO_H

#include "../common/tlib.h"

/* resources.c */
void iso_quota_lift(void);
void iso_grandchild(void);
void iso_priority(void);
void iso_thread_bomb(void);
void iso_objects(void);
void iso_pt_bomb(void);

/* watch.c */
void iso_pt_keep(void);
void iso_watch(void);

/* Report T_ISO_STEP STEP and wait (spinning) until the root writes STEP
 * to mailbox value[T_ISO_CONTINUE]; false if it never does. */
bool iso_step(uint64_t step);

/* Suspend for good: the root destroys me. */
_Noreturn void iso_park(void);

#endif /* TISO_H */
