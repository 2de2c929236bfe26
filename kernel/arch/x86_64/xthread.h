/*
 * The x86-64 part of a thread: its saved user registers and its place in
 * the page-table cache.  Lives in struct thread's arch area
 * (kernel/include/arch.h), which the core never looks into.
 */
#ifndef VG_X86_XTHREAD_H
#define VG_X86_XTHREAD_H

#include <stdbool.h>
#include <stdint.h>

#include "activity.h"
#include "thread.h"
#include "trap.h"

struct x86_thread {
	/* The user registers as the last kernel entry saved them; the
	 * kernel returns to user mode by restoring exactly these. */
	struct trap_frame frame;
	/* Its hardware page tables: a cache of its capability address
	 * space (mmu.c), valid while as_generation has not moved. */
	uint64_t *pml4;
	uint64_t pml4_generation;
	/* What to load into CR3 for them, 0 until mmu.c has decided
	 * (a new PML4, a PCID to take, a flush due), and the
	 * as_generation it was decided in (0 while it is 0): one compare
	 * says it may be loaded as it is. */
	uint64_t cr3;
	uint64_t cr3_generation;
	uint16_t pcid;			/* its PCID, 0: none */
	uint32_t pt_frames;		/* frames in them, charged to its
					 * activity */
	/* The threads that have page tables, oldest first: all of them,
	 * and its activity's own (struct x86_activity). */
	struct thread *pt_next;
	struct thread *pt_prev;
	struct thread *apt_next;
	struct thread *apt_prev;
	/* Its x87/SSE state (fxsave format).  The kernel never touches
	 * these registers, so they are only saved and restored when the
	 * processor switches from one thread's to another's. */
	_Alignas(16) uint8_t fpu[512];
};

_Static_assert(sizeof(struct x86_thread) <= ARCH_THREAD_STATE_SIZE,
    "x86 thread state fits the arch area");

/* The x86-64 part of an activity, in its arch area. */
struct x86_activity {
	struct thread *pt_head;		/* its threads with page tables, */
	struct thread *pt_tail;		/* oldest first */
};

_Static_assert(sizeof(struct x86_activity) <= ACTIVITY_ARCH_SIZE,
    "x86 activity state fits the arch area");

static inline struct x86_activity *
xactivity(struct activity *a)
{
	return (struct x86_activity *)(void *)a->arch;
}

static inline struct x86_thread *
xthread(struct thread *t)
{
	return (struct x86_thread *)(void *)t->arch;
}

/* The thread whose registers the current kernel entry saved, if any. */
extern struct thread *x86_current;
/*
 * The first thread a kernel entry makes runnable is kept here instead of
 * in the run queues: when a system call suspends its caller, the kernel
 * may switch to that thread directly (entry.c, x86_syscall); otherwise it
 * joins the queues when the entry leaves (x86_return_to_user).
 */
extern struct thread *x86_wakee;

/*
 * x87/SSE state is switched lazily: the thread whose state is in the
 * registers (x86_fpu_owner) runs with CR0.TS clear, any other with it
 * set, and its first FPU instruction traps (#NM) into x86_fpu_trap,
 * which moves the state.  The kernel itself never uses the FPU.
 */
extern struct thread *x86_fpu_owner;
extern bool x86_fpu_ts;			/* CR0.TS as last written */

void x86_fpu_set_ts(bool ts);

/* T runs next: CR0.TS set unless its state is in the registers. */
static inline void
x86_fpu_switch(struct thread *t)
{
	bool ts = t != x86_fpu_owner;

	if (ts != x86_fpu_ts)
		x86_fpu_set_ts(ts);
}

/* The current thread T used the FPU with CR0.TS set: its state in. */
void x86_fpu_trap(struct thread *t);

#endif /* VG_X86_XTHREAD_H */
