/*
 * Threads (thread.c; docs/design.md §6).
 *
 * A thread never blocks in IPC; it learns of messages by being activated.
 * Activations that arrive while it is in activated mode queue on it, in
 * order, through links in the messengers themselves (activation.c), so
 * queuing never allocates.
 *
 * The slots come first so that address translation can index a thread
 * without knowing the rest of its layout.
 */
#ifndef VG_KERNEL_THREAD_H
#define VG_KERNEL_THREAD_H

#include <stdint.h>

#include <vg/addr.h>
#include <vg/cap.h>
#include <vg/method.h>

#include "arch.h"
#include "as.h"
#include "cache.h"
#include "queue.h"
#include "storage.h"

struct activity;
struct messenger;

struct thread {
	struct vg_cap slot[VG_OBJECT_SLOTS];	/* enum vg_thread_slot; first */
	uint32_t state;				/* enum vg_thread_state */
	uint32_t priority;
	uint64_t handler_ip;			/* activation entry point */
	uint64_t handler_sp;			/* ... and its stack */
	uint64_t exit_start;			/* handler exit range */
	uint64_t exit_end;
	/* Activations queued while the thread was in activated mode. */
	QUEUE_HEAD(messenger) acts;
	uint32_t act_count;
	uint32_t reserved;
	uint64_t activations;			/* delivered, ever */
	/* On its activity's run queue (sched.c) at RUN_PRIO. */
	QUEUE_LINK(thread) run_link;
	uint8_t run_queued;
	uint8_t run_prio;
	uint8_t run_reserved[6];
	struct messenger *fault_messenger;	/* resolving its fault */
	/* The activity that pays for its folio, which its time is charged
	 * to (sched.h): a folio never changes activity, and an activity
	 * outlives every object in its folios. */
	struct activity *paying;
	struct vg_cap self;			/* a capability to itself */
	/* Lookups kept (as.h): vg_ipc's messengers (0: receive, 1: send;
	 * noted: their slots are marked); its UTCB while cap_epoch is
	 * UTCB_EPOCH (its slot is marked). */
	struct {
		struct cache_lookup_noted l;
		struct messenger *m;
	} mcache[2];
	/* The last cappage those lookups indexed, while cap_epoch is
	 * MMEMO_EPOCH: a program's messengers lie side by side. */
	uint64_t mmemo_epoch;
	struct as_memo mmemo;
	/* The slot map (cache_note_map) of the memo's cappage, in which
	 * they note the slots they end at; NULL: none known. */
	uint64_t *mmemo_map;
	uint64_t utcb_epoch;
	struct vg_utcb *utcb;
	/* Where its last data fault met a virtualized level (fault.c):
	 * the walk there, kept while as_generation + 1 is VFAULT_GEN (the
	 * walk marked every slot it indexed for the page tables) and the
	 * level's slot holds VFAULT_SEEN.  A pager's region faults page by
	 * page through the same level. */
	uint64_t vfault_gen;
	struct as_walk vfault_walk;
	struct vg_cap vfault_seen;
	_Alignas(16) uint8_t arch[ARCH_THREAD_STATE_SIZE];
};

_Static_assert(sizeof(struct thread) <= FRAME_SIZE, "a thread fits a frame");
_Static_assert(__builtin_offsetof(struct thread, slot) == 0,
    "translation indexes a thread's slots without its layout (as.c)");

/* Change T's run state and tell the platform. */
void thread_set_state(struct thread *t, enum vg_thread_state state);

/*
 * T's data fault at ADDR (an ACCESS of enum vg_fault_access) was
 * translated to R: map the page R found and make T runnable, or return
 * why not (R's error, or the capability found is not a page T may access
 * that way: VG_ERR_WEAK for a write to an rpage, VG_ERR_NO_EXECUTE for an
 * instruction fetch without the execute right).  The page is mapped
 * writable only for a page, and executable only if its capability has
 * the execute right, whatever the access.  VG_ERR_QUOTA if the page
 * tables to map it cannot be had within T's activity's page-table limit.
 */
enum vg_err thread_fault_resolved(struct thread *t, uint64_t addr,
    enum vg_fault_access access, const struct as_result *r);

/* Creation (lifecycle.c): a new thread is stopped. */
struct folio;
void thread_init(void *frame, struct folio *f, unsigned index);

/* The thread a capability designates, if it is a (strong) thread cap. */
struct thread *thread_lookup(const struct vg_cap *cap);

#endif /* VG_KERNEL_THREAD_H */
