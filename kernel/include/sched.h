/*
 * The scheduler: CPU time divided down the activity tree
 * (docs/design.md §6, "Scheduling").
 *
 * Every activity runs a round of turns among its members: each child
 * activity with runnable threads below it, and its own runnable threads
 * as one member.  A member's turn is its weight in timer ticks (a
 * child's weight is set by whoever holds its limit right; an activity's
 * own threads have weight VG_ACTIVITY_WEIGHT_DEFAULT).  A member that has
 * used its turn waits for the next round, which starts when no member
 * has turn left, so over a round every member gets its weight's share of
 * its parent's time, however many threads it has.  Within a round the
 * member with the highest priority runs first (a child's priority is
 * that of its best runnable thread, capped by its priority limit);
 * among an activity's own threads, the highest priority runs, round
 * robin within a priority.
 *
 * Picking descends from the root, accounting climbs to it: both are
 * bounded by ACTIVITY_DEPTH_MAX levels of SCHED_PRIORITIES queues, O(1)
 * in the number of threads and activities.
 *
 * The thread on the processor is on no queue: the platform takes it off
 * with sched_pick and puts it back with sched_enqueue when it is
 * preempted.
 */
#ifndef VG_KERNEL_SCHED_H
#define VG_KERNEL_SCHED_H

#include <stdbool.h>
#include <stdint.h>

#include <vg/method.h>

#include "sched_state.h"

struct activity;
struct thread;

/* Set up A's state (a new activity; ROOT for the root). */
void sched_activity_init(struct activity *a);

/* Make T eligible to run: it is runnable and not on the processor. */
void sched_enqueue(struct thread *t);

/* Take T off the queues, if it is on them. */
void sched_dequeue(struct thread *t);

/*
 * Take the thread to run next off the queues; NULL if none is runnable,
 * SCHED_REAPER if it is the reaper's turn: the platform then runs
 * reclaim_step until the reaper has no work (sched_reaper_idle) or a
 * tick (sched_tick_reaper) says its turn is over.
 */
#define SCHED_REAPER	((struct thread *)(uintptr_t)1)
struct thread *sched_pick(void);

/*
 * FROM, on the processor, stops being runnable and TO has just become
 * runnable (not queued): true if TO may run at once, in the rest of
 * FROM's turn, without the queues -- it is of FROM's activity, and no
 * thread waiting in that activity's queues, nor FROM, has a higher
 * priority (FROM's own priority, even above its activity's limit: false
 * there only costs the queues).  The shares are unchanged: the same
 * activity runs on.
 */
static inline bool sched_may_hand_off(const struct thread *from,
    const struct thread *to);

/* The reaper has work: it joins the root activity's rounds, as one
 * member of weight VG_ACTIVITY_WEIGHT_DEFAULT at the lowest priority. */
void sched_reaper_wake(void);
void sched_reaper_idle(void);
void sched_tick_reaper(void);

/*
 * A timer tick while T ran: charge it to T's activity and its ancestors'
 * turns.  The platform then puts T back and picks again, so threads and
 * members of one priority take turns tick by tick.
 */
void sched_tick(struct thread *t);

/* A's weight or priority limit changed (its threads keep their queues
 * until they next join one). */
void sched_limits_changed(struct activity *a);

/* T's priority is to change: it leaves its queue and joins another. */
void sched_priority_changed(struct thread *t, uint32_t priority);

/*
 * A is being destroyed: it leaves its parent's rounds at once (O(1)), so
 * nothing below it runs again, while its threads are reclaimed one by one.
 */
void sched_activity_detach(struct activity *a);

/* The activity whose time T's running is charged to: the one that pays
 * for its storage. */
struct activity *sched_thread_activity(const struct thread *t);

/* Inline: the IPC fast path asks on every call. */
#include "activity.h"
#include "thread.h"

/* The queue of A's that T runs at: its priority, within A's limit,
 * which is never above VG_THREAD_PRIORITY_MAX (activity_set_limit). */
static inline unsigned
sched_thread_queue(const struct thread *t, const struct activity *a)
{
	_Static_assert(SCHED_PRIORITIES == VG_THREAD_PRIORITY_MAX + 1,
	    "a limit is a queue");
	return t->priority < a->priority ? t->priority : a->priority;
}

static inline __attribute__((always_inline)) bool
sched_may_hand_off(const struct thread *from, const struct thread *to)
{
	const struct activity *a = to->paying;
	unsigned p = sched_thread_queue(to, a);

	/* FROM's queue is at most its priority: comparing that is enough
	 * for the common case and spares the second limit.  Nothing
	 * queued in A above P: its bit mask, below P's bit. */
	return from->paying == a && p >= from->priority &&
	    (a->sched.threads_mask >> p) <= 1;
}

#endif /* VG_KERNEL_SCHED_H */
