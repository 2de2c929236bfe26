/*
 * The scheduler: priority round robin over runnable threads, preempted
 * by the timer (docs/design.md §6).
 */
#ifndef VG_X86_SCHED_H
#define VG_X86_SCHED_H

#include <stdbool.h>

struct thread;

#define SCHED_PRIORITIES 4

/* Put T at the tail of its priority's queue (if it is runnable). */
void sched_enqueue(struct thread *t);

/* Take T off its queue, if it is on one. */
void sched_dequeue(struct thread *t);

/* Take the next thread to run off the queues; NULL if none is runnable. */
struct thread *sched_pick(void);

/* True if some thread of priority at least that of T is waiting. */
bool sched_should_preempt(struct thread *t);

#endif /* VG_X86_SCHED_H */
