/*
 * The scheduler's state in an activity (sched.h has the policy): types
 * only, so that an activity can hold them without depending on the
 * scheduler that uses them.
 */
#ifndef VG_KERNEL_SCHED_STATE_H
#define VG_KERNEL_SCHED_STATE_H

#include <stdint.h>

#include <vg/method.h>

#include "queue.h"

#define SCHED_PRIORITIES	(VG_THREAD_PRIORITY_MAX + 1)

struct thread;

/* A member of an activity's rounds: a child, or the activity's own
 * threads (struct activity's sched_child and sched_own). */
struct sched_member {
	QUEUE_LINK(sched_member) link;
	uint32_t round;		/* the round its turn belongs to */
	int32_t turn;		/* ticks left of it */
	uint8_t prio;		/* the queue it is on */
	uint8_t queued;
	uint8_t own;		/* child, own threads or the reaper */
	uint8_t reserved;
};

/* An activity's scheduling state (struct activity.sched). */
struct sched_activity {
	/* Members by priority: [current] this round's, [!current] those
	 * that used their turn and wait for the next. */
	QUEUE_HEAD(sched_member) members[2][SCHED_PRIORITIES];
	QUEUE_HEAD(thread) threads[SCHED_PRIORITIES];	/* its own, runnable */
	uint32_t round;
	uint8_t current;
	uint8_t detached;	/* being destroyed: never picked again */
	uint8_t threads_mask;	/* bit p: threads[p] is not empty */
	uint8_t reserved;
	uint64_t ticks;		/* charged to it and its descendants */
	struct sched_member reaper;	/* the root's only: the reaper */
};

#endif /* VG_KERNEL_SCHED_STATE_H */
