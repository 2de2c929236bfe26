/*
 * Intrusive doubly linked FIFO queues, in the manner of BSD's
 * <sys/queue.h> TAILQ: the links live in the objects themselves, so
 * queueing never allocates (docs/design.md §1, invariant 2), and every
 * operation is O(1).  The kernel's queues -- the senders waiting on a
 * messenger, the activations queued on a thread, a virtualizer's askers
 * -- and an activity's folios all use these.
 *
 * A queue of TYPE is a QUEUE_HEAD(TYPE) member of its owner; each
 * element has a QUEUE_LINK(TYPE) member, named by LINK below (it may be
 * a path: cont.asked_link).  An element is on at most one queue through
 * a given link; its links are NULL when it is on none.  The macros
 * evaluate their arguments more than once: pass names, not expressions
 * with side effects.
 */
#ifndef VG_KERNEL_QUEUE_H
#define VG_KERNEL_QUEUE_H

#include <stddef.h>

#define QUEUE_HEAD(type)	struct { struct type *head, *tail; }
#define QUEUE_LINK(type)	struct { struct type *next, *prev; }

/* Append E to queue Q. */
#define QUEUE_APPEND(q, e, link)					\
	do {								\
		(e)->link.next = NULL;					\
		(e)->link.prev = (q)->tail;				\
		if ((q)->tail != NULL)					\
			(q)->tail->link.next = (e);			\
		else							\
			(q)->head = (e);				\
		(q)->tail = (e);					\
	} while (0)

/* Put E at the front of queue Q. */
#define QUEUE_PREPEND(q, e, link)					\
	do {								\
		(e)->link.prev = NULL;					\
		(e)->link.next = (q)->head;				\
		if ((q)->head != NULL)					\
			(q)->head->link.prev = (e);			\
		else							\
			(q)->tail = (e);				\
		(q)->head = (e);					\
	} while (0)

/* Take E, which is on queue Q, off it. */
#define QUEUE_REMOVE(q, e, link)					\
	do {								\
		if ((e)->link.prev != NULL)				\
			(e)->link.prev->link.next = (e)->link.next;	\
		else							\
			(q)->head = (e)->link.next;			\
		if ((e)->link.next != NULL)				\
			(e)->link.next->link.prev = (e)->link.prev;	\
		else							\
			(q)->tail = (e)->link.prev;			\
		(e)->link.next = (e)->link.prev = NULL;			\
	} while (0)

#endif /* VG_KERNEL_QUEUE_H */
