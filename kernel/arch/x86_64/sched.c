/*
 * Priority round robin (see sched.h).  Queues are intrusive lists
 * through the threads' arch areas: O(1) to add, remove and pick.
 */
#include <stddef.h>

#include <vg/method.h>

#include "sched.h"
#include "xthread.h"

static struct thread *head[SCHED_PRIORITIES];
static struct thread *tail[SCHED_PRIORITIES];

static unsigned
prio(const struct thread *t)
{
	return t->priority < SCHED_PRIORITIES ? t->priority :
	    SCHED_PRIORITIES - 1;
}

void
sched_enqueue(struct thread *t)
{
	struct x86_thread *x = xthread(t);
	unsigned p = prio(t);

	if (x->on_rq || t->state != VG_THREAD_RUNNABLE)
		return;
	x->rq_next = NULL;
	x->rq_prev = tail[p];
	if (tail[p] != NULL)
		xthread(tail[p])->rq_next = t;
	else
		head[p] = t;
	tail[p] = t;
	x->on_rq = true;
}

void
sched_dequeue(struct thread *t)
{
	struct x86_thread *x = xthread(t);
	unsigned p = prio(t);

	if (!x->on_rq)
		return;
	if (x->rq_prev != NULL)
		xthread(x->rq_prev)->rq_next = x->rq_next;
	else
		head[p] = x->rq_next;
	if (x->rq_next != NULL)
		xthread(x->rq_next)->rq_prev = x->rq_prev;
	else
		tail[p] = x->rq_prev;
	x->rq_next = x->rq_prev = NULL;
	x->on_rq = false;
}

struct thread *
sched_pick(void)
{
	unsigned p;

	for (p = SCHED_PRIORITIES; p-- > 0;) {
		struct thread *t = head[p];

		if (t != NULL) {
			sched_dequeue(t);
			return t;
		}
	}
	return NULL;
}

bool
sched_should_preempt(struct thread *t)
{
	unsigned p;

	for (p = SCHED_PRIORITIES; p-- > prio(t);) {
		if (head[p] != NULL)
			return true;
	}
	return false;
}
