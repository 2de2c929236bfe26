/*
 * The scheduler (see sched.h): rounds of weighted turns at every level of
 * the activity tree, priorities within a round.
 *
 * A member is in this round's queues if its round is the activity's, in
 * the next round's if it is one ahead (it used its turn); a member that
 * comes back after missing rounds starts a fresh turn in this one.  When
 * this round's queues are empty the next round's become current: a flip
 * of one index, never a walk over the members.
 */
#include <stddef.h>

#include "activity.h"
#include "kassert.h"
#include "sched.h"
#include "storage.h"
#include "thread.h"

#define NO_PRIO		(-1)

_Static_assert(SCHED_PRIORITIES <= 8, "threads_mask has a bit per priority");

enum member_kind { MEMBER_CHILD, MEMBER_OWN, MEMBER_REAPER };

/* The reaper (reclaim.h) is a member of the root activity's rounds
 * while it has work, so destruction takes a share, not the processor. */
#define REAPER	(&activity_root->sched.reaper)

/* The activity whose member in its parent's rounds M is. */
static struct activity *
child_activity(struct sched_member *m)
{
	return (struct activity *)(void *)((char *)m -
	    offsetof(struct activity, sched_child));
}

static int32_t
member_weight(struct sched_member *m)
{
	if (m->own == MEMBER_CHILD)
		return (int32_t)child_activity(m)->weight;
	return VG_ACTIVITY_WEIGHT_DEFAULT;
}

struct activity *
sched_thread_activity(const struct thread *t)
{
	return t->paying;
}

void
sched_activity_init(struct activity *a)
{
	/* The zeroed frame is empty queues, round 0; turns start full. */
	a->sched_own.own = MEMBER_OWN;
	a->sched.reaper.own = MEMBER_REAPER;
	a->sched.reaper.turn = VG_ACTIVITY_WEIGHT_DEFAULT;
	a->sched_own.turn = VG_ACTIVITY_WEIGHT_DEFAULT;
	a->sched_child.turn = (int32_t)a->weight;
}

/* The highest priority with a member queued in A, either round. */
static int
members_top(const struct activity *a)
{
	int p;

	for (p = SCHED_PRIORITIES; p-- > 0;) {
		if (a->sched.members[0][p].head != NULL ||
		    a->sched.members[1][p].head != NULL)
			return p;
	}
	return NO_PRIO;
}

/* The highest priority of A's own runnable threads: O(1). */
static int
threads_top(const struct activity *a)
{
	unsigned m = a->sched.threads_mask;

	return m == 0 ? NO_PRIO : 31 - __builtin_clz(m);
}

static void
member_remove(struct activity *a, struct sched_member *m)
{
	unsigned set = m->round == a->sched.round ? a->sched.current :
	    !a->sched.current;

	QUEUE_REMOVE(&a->sched.members[set][m->prio], m, link);
	m->queued = 0;
}

static void
member_insert(struct activity *a, struct sched_member *m, int prio)
{
	unsigned set;

	/* One round ahead: it used its turn and waits.  Anything else but
	 * this round: it missed rounds, and starts afresh in this one. */
	if (m->round == a->sched.round + 1) {
		set = !a->sched.current;
	} else {
		if (m->round != a->sched.round) {
			m->round = a->sched.round;
			m->turn = member_weight(m);
		}
		set = a->sched.current;
	}
	m->prio = (uint8_t)prio;
	QUEUE_APPEND(&a->sched.members[set][prio], m, link);
	m->queued = 1;
}

/* Put M in A's queues at PRIO (NO_PRIO: nothing runnable in it); false
 * if it was there already, so nothing above A changes. */
static bool
member_update(struct activity *a, struct sched_member *m, int prio)
{
	if (m->queued) {
		if (m->prio == prio)
			return false;
		member_remove(a, m);
	} else if (prio == NO_PRIO) {
		return false;
	}
	if (prio != NO_PRIO)
		member_insert(a, m, prio);
	return true;
}

/* A's members changed: requeue A in its parent's rounds, and so on up
 * while what an ancestor offers changes. */
static void
propagate(struct activity *a)
{
	while (a->parent != NULL && !a->sched.detached) {
		int top = members_top(a);

		if (top > (int)a->priority)
			top = (int)a->priority;
		if (!member_update(a->parent, &a->sched_child, top))
			return;
		a = a->parent;
	}
}

/* A's own threads changed. */
static void
refresh(struct activity *a)
{
	if (member_update(a, &a->sched_own, threads_top(a)))
		propagate(a);
}

void
sched_enqueue(struct thread *t)
{
	struct activity *a;

	if (t->run_queued || t->state != VG_THREAD_RUNNABLE)
		return;
	a = sched_thread_activity(t);
	t->run_prio = (uint8_t)sched_thread_queue(t, a);
	QUEUE_APPEND(&a->sched.threads[t->run_prio], t, run_link);
	a->sched.threads_mask |= (uint8_t)(1u << t->run_prio);
	t->run_queued = 1;
	refresh(a);
}

void
sched_dequeue(struct thread *t)
{
	struct activity *a;

	if (!t->run_queued)
		return;
	a = sched_thread_activity(t);
	QUEUE_REMOVE(&a->sched.threads[t->run_prio], t, run_link);
	if (a->sched.threads[t->run_prio].head == NULL)
		a->sched.threads_mask &= (uint8_t)~(1u << t->run_prio);
	t->run_queued = 0;
	refresh(a);
}

void
sched_priority_changed(struct thread *t, uint32_t priority)
{
	bool queued = t->run_queued;

	if (queued)
		sched_dequeue(t);
	t->priority = priority;
	if (queued)
		sched_enqueue(t);
}

/* The first member of A's round SET by priority; NULL if it has none. */
static struct sched_member *
round_first(struct activity *a, unsigned set)
{
	int p;

	for (p = SCHED_PRIORITIES; p-- > 0;) {
		if (a->sched.members[set][p].head != NULL)
			return a->sched.members[set][p].head;
	}
	return NULL;
}

/* The member of A that runs next; NULL if A has none. */
static struct sched_member *
next_member(struct activity *a)
{
	struct sched_member *m = round_first(a, a->sched.current);

	if (m != NULL)
		return m;
	m = round_first(a, !a->sched.current);
	/* Everyone has used this round's turn: the next begins. */
	if (m != NULL) {
		a->sched.current = !a->sched.current;
		a->sched.round++;
	}
	return m;
}

struct thread *
sched_pick(void)
{
	struct activity *a = activity_root;
	unsigned depth;

	for (depth = 0; depth <= ACTIVITY_DEPTH_MAX; depth++) {
		struct sched_member *m = next_member(a);

		if (m == NULL)
			return NULL;
		if (m == REAPER)
			return SCHED_REAPER;
		if (m->own == MEMBER_OWN) {
			int p = threads_top(a);
			struct thread *t;

			VG_ASSERT(p != NO_PRIO);
			t = a->sched.threads[p].head;
			sched_dequeue(t);
			return t;
		}
		a = child_activity(m);
	}
	kpanic("sched_pick: deeper than the activity tree may be");
}

/* M, a member of A, had a tick: at the end of its turn it waits for
 * A's next round. */
static void
member_charge(struct activity *a, struct sched_member *m)
{
	if (--m->turn > 0)
		return;
	m->turn = member_weight(m);
	if (m->queued) {
		member_remove(a, m);
		m->round = a->sched.round + 1;
		member_insert(a, m, m->prio);
	} else {
		m->round = a->sched.round + 1;
	}
}

void
sched_tick(struct thread *t)
{
	struct activity *a = sched_thread_activity(t);

	member_charge(a, &a->sched_own);
	for (; a != NULL; a = a->parent) {
		a->sched.ticks++;
		if (a->parent != NULL && !a->sched.detached)
			member_charge(a->parent, &a->sched_child);
	}
}

void
sched_reaper_wake(void)
{
	if (member_update(activity_root, REAPER, 0))
		propagate(activity_root);
}

void
sched_reaper_idle(void)
{
	if (member_update(activity_root, REAPER, NO_PRIO))
		propagate(activity_root);
}

void
sched_tick_reaper(void)
{
	activity_root->sched.ticks++;
	member_charge(activity_root, REAPER);
}

void
sched_limits_changed(struct activity *a)
{
	propagate(a);
}

void
sched_activity_detach(struct activity *a)
{
	if (a->sched.detached || a->parent == NULL)
		return;
	if (a->sched_child.queued) {
		member_remove(a->parent, &a->sched_child);
		propagate(a->parent);
	}
	a->sched.detached = 1;
}
