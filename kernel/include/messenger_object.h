/*
 * The messenger object: the kernel state of a message buffer
 * (docs/design.md §2 and §4), including the continuation area in which
 * the kernel keeps the work it may have to suspend (docs/design.md §5).
 *
 * The layout is here, apart from what operates on it -- sending and
 * delivery (messenger.h), moving messages (transfer.h), the
 * continuation machine (continuation.h), activations (activation.h) --
 * so that each of those can read a messenger without depending on the
 * others.
 *
 * The slots come first so that address translation can index a messenger
 * without knowing the rest of its layout.
 */
#ifndef VG_KERNEL_MESSENGER_OBJECT_H
#define VG_KERNEL_MESSENGER_OBJECT_H

#include <stdbool.h>
#include <stdint.h>

#include <vg/addr.h>
#include <vg/cap.h>
#include <vg/error.h>
#include <vg/message.h>
#include <vg/method.h>

#include "as.h"
#include "cache.h"
#include "object.h"
#include "queue.h"
#include "storage.h"

struct thread;

/* A kernel-built message: at most this many words and capabilities. */
#define KMSG_WORDS	8
#define KMSG_CAPS	2

/* Kernel-private state bits (messenger.kflags). */
enum messenger_kflags {
	MSGR_KMSG = 1u << 0,	/* carries a kernel-built reply */
	MSGR_KREQ = 1u << 1,	/* carries a virtualization request */
};

/* A kernel-built virtualization request: at most this big. */
#define KREQ_WORDS	4
#define KREQ_CAPS	2

/*
 * The lookup of the capability a virtualizer answers with, in its space:
 * it answers with the same one again and again (continuation.c).  Kept
 * without marks -- a virtualizer stores each request's reply right beside
 * the slots it answers from, and marks there would drop every lookup the
 * IPC path keeps -- so it holds while no object has died (object_deaths)
 * and the slots of the walk, the root slot, those indexed and the one it
 * ended at, hold what they held.
 */
#define ANSWER_PATH	4
struct answer_lookup {
	uint64_t deaths;		/* object_deaths then; 0: never kept */
	vg_addr_t addr;
	uint32_t n;			/* slots in SLOT */
	uint32_t reserved;
	const struct vg_cap *slot[ANSWER_PATH];
	struct vg_cap seen[ANSWER_PATH];
};

/* L holds for a lookup of ADDR (DEATHS: object_deaths, read once). */
static inline __attribute__((always_inline)) bool
answer_lookup_holds(const struct answer_lookup *l, vg_addr_t addr,
    uint64_t deaths)
{
	bool same = l->deaths == deaths && l->addr.raw == addr.raw;

	for (uint32_t i = 0; same && i < l->n; i++)
		same = cap_same(l->slot[i], &l->seen[i]);
	return same;
}

/* What a continuation is doing: the work of its messenger that the
 * kernel has started and may have to suspend. */
enum cont_phase {
	CONT_NONE = 0,
	CONT_TARGET,		/* resolving the target of a send */
	CONT_DELIVERY,		/* delivering: DELIVERY says how far */
	CONT_FAULT,		/* resolving a thread's data fault */
};

/* Where a delivery's capabilities stand (transfer.c). */
enum delivery_stage {
	DELIVERY_SOURCES = 0,	/* resolving source capability INDEX */
	DELIVERY_SLOTS,		/* resolving (storing in) target slot INDEX */
	DELIVERY_RESOLVED,	/* every capability is resolved and stored */
};

/*
 * A delivery of a message with capabilities, under way.  It lives in the
 * sender's continuation area so that it can be suspended where a level
 * is virtualized; a delivery that cannot be suspended (a kernel
 * request's) keeps it on the stack.  VALUE is last: it is written before
 * it is read, and not cleared.
 */
struct delivery {
	uint8_t stage;			/* enum delivery_stage */
	uint8_t index;			/* which capability of the message */
	uint8_t ncaps;			/* capabilities being delivered */
	uint8_t reserved;
	uint32_t cap_void;		/* void arrivals so far */
	struct messenger *dst;		/* the reserved receiver */
	struct vg_cap value[VG_MESSAGE_CAPS_MAX]; /* resolved source caps */
};

/*
 * The continuation area (continuation.c).  Everything the kernel needs
 * to resume is here, and nothing else in the kernel remembers it
 * (docs/design.md §1, invariant 5).  While AWAITING, a request is out
 * and the next message that arrives for this messenger is taken as the
 * answer.
 */
struct continuation {
	uint8_t phase;			/* enum cont_phase */
	uint8_t awaiting;		/* a request is out */
	uint8_t nonblocking;		/* CONT_TARGET: the send's flag */
	uint8_t fault_access;		/* CONT_FAULT: enum vg_fault_access */
	uint32_t requests;		/* requests sent for this operation */
	struct as_walk walk;		/* where translation stopped */
	struct thread *thread;		/* CONT_FAULT: the faulting thread */
	uint64_t fault_addr;
	/* The virtualizer asked, and links on its list of askers. */
	struct messenger *asked;
	QUEUE_LINK(messenger) asked_link;
	struct delivery delivery;	/* CONT_DELIVERY; last: see there */
};

struct messenger {
	struct vg_cap slot[VG_OBJECT_SLOTS];	/* enum vg_messenger_slot; first */
	uint64_t id;				/* user-visible */
	uint32_t flags;				/* enum vg_messenger_flags */
	uint32_t kflags;			/* enum messenger_kflags */

	/* Senders queued on this messenger, oldest first. */
	QUEUE_HEAD(messenger) waiters;
	uint32_t wait_count;
	uint32_t reserved;

	/* As a sender: the messenger this one is queued on, and links. */
	struct messenger *target;
	QUEUE_LINK(messenger) wait_link;

	/* Its pending activation of a thread, and links on that queue. */
	struct thread *act_thread;
	QUEUE_LINK(messenger) act_link;
	uint32_t act_reason;			/* vg_activation_reason bits */
	int32_t act_error;
	uint64_t act_fault_addr;		/* with VG_ACTIVATION_FAULT */
	uint32_t act_exception;			/* ... its exception vector */
	uint8_t act_fault_info;			/* ... vg_utcb fault_info etc. */
	uint8_t act_fault_access;
	uint8_t act_fault_consumed;
	uint8_t act_fault_remaining;
	uint64_t act_fault_ip;

	/* The inline message it sends: words and a capability address
	 * given to vg_ipc.  Separate from what it receives, so that one
	 * messenger can have a send pending and receive meanwhile. */
	uint64_t send_words[VG_INLINE_WORDS];
	vg_addr_t send_cap;
	uint8_t send_nwords;
	uint8_t send_ncaps;
	uint8_t send_inline;			/* the message to send is inline */
	uint8_t reserved1;

	/* The inline message it received, and the slot address (in its
	 * space) where an inline receipt's capability is stored. */
	uint64_t inline_words[VG_INLINE_WORDS];
	vg_addr_t inline_cap;
	uint8_t inline_nwords;
	/* Next to each other, so that a receipt's stores merge. */
	uint8_t inline_ncaps;
	uint8_t received_inline;		/* the last receipt was inline */
	uint8_t reserved2;
	uint32_t inline_cap_void;		/* receipt: cap arrived void */

	/* The kernel-built reply it carries (MSGR_KMSG). */
	uint8_t kmsg_nwords;
	uint8_t kmsg_ncaps;
	uint8_t kreq_nwords;
	uint8_t kreq_ncaps;
	uint8_t reserved3[4];
	uint64_t kmsg_words[KMSG_WORDS];
	struct vg_cap kmsg_caps[KMSG_CAPS];
	/* The virtualization request it carries (MSGR_KREQ). */
	uint64_t kreq_words[KREQ_WORDS];
	struct vg_cap kreq_caps[KREQ_CAPS];

	/* Its own suspendable work, and, as a receiver, the sender whose
	 * delivery to it is in progress (it is reserved for that one). */
	struct continuation cont;
	struct messenger *reserved_by;
	/* Deliveries to it waited while its own send was pending: it is on
	 * the list of messengers to reopen (messenger.c) if ON_REOPEN. */
	struct messenger *reopen_next;
	bool on_reopen;
	/* As a virtualizer: the messengers awaiting its answer. */
	QUEUE_HEAD(messenger) askers;

	/* Lookups the IPC path repeats, with their results: the thread its
	 * THREAD slot names, while cap_epoch is THREAD_EPOCH (the slot is
	 * marked); kept as struct cache_lookup (compared: the slots replies
	 * are delivered to change often), the last target it sent to
	 * (where translation ended: the target, or a virtualized level and
	 * the walk to resume); the reply messenger (capability 0) of its
	 * last invocation. */
	uint64_t thread_epoch;
	struct thread *thread;
	struct cache_lookup target_lookup;
	struct vg_cap target_cap;
	void *target_object;			/* TARGET_CAP's object */
	bool target_weak;
	bool target_virtual;
	struct as_walk target_walk;
	/* TARGET_WALK's residual (cont_walk_residual), the INDEX request's
	 * word 1: kept for the fast path (virt_fast.h). */
	uint64_t target_residual;
	/* TARGET_LOOKUP's epoch if it resolved to a send right, else 0:
	 * the fast path's one test for both (ipc_fast.h). */
	uint64_t target_send_epoch;
	struct cache_lookup reply_lookup;
	struct vg_cap reply_cap;
	struct messenger *reply;
	/* As a virtualizer's answering messenger: the lookup of its last
	 * answer's capability, the capability found and its object. */
	struct answer_lookup answer_lookup;
	struct vg_cap answer_cap;
	void *answer_object;
	struct vg_cap self;			/* a capability to itself */
};

_Static_assert(sizeof(struct messenger) <= FRAME_SIZE,
    "a messenger fits a frame");
_Static_assert(__builtin_offsetof(struct messenger, slot) == 0,
    "translation indexes a messenger's slots without its layout (as.c)");

/* The messenger CAP designates, through a weak or a strong capability. */
static inline struct messenger *
messenger_lookup(const struct vg_cap *cap)
{
	if (cap->type != VG_TYPE_MESSENGER && cap->type != VG_TYPE_RMESSENGER)
		return NULL;
	return object_lookup(cap);
}

/* True if M has a send or other kernel work in progress. */
static inline bool
messenger_busy(const struct messenger *m)
{
	return m->target != NULL || (m->kflags & (MSGR_KMSG | MSGR_KREQ)) ||
	    m->cont.phase != CONT_NONE;
}

/*
 * True if M's own message -- the one in its buffer page or inline send
 * area, with the capability addresses there -- is still to be read: it
 * is queued on a receiver, or its delivery or target is suspended.  Then
 * nothing may be delivered into M (messenger_send).  A kernel message M
 * carries lives in M's kernel area, which deliveries never write.
 */
static inline bool
messenger_message_pending(const struct messenger *m)
{
	return m->cont.phase != CONT_NONE || (m->target != NULL &&
	    !(m->kflags & (MSGR_KMSG | MSGR_KREQ)));
}

#endif /* VG_KERNEL_MESSENGER_OBJECT_H */
