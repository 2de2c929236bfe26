/*
 * The x86-64 part of a thread: its saved user registers and its place in
 * the page-table cache.  Lives in struct thread's arch area
 * (kernel/include/arch.h), which the core never looks into.
 */
#ifndef VG_X86_XTHREAD_H
#define VG_X86_XTHREAD_H

#include <stdbool.h>
#include <stdint.h>

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
	struct thread *pt_next;		/* threads that have page tables */
	struct thread *pt_prev;
	/* Its x87/SSE state (fxsave format).  The kernel never touches
	 * these registers, so they are only saved and restored when the
	 * processor switches from one thread's to another's. */
	_Alignas(16) uint8_t fpu[512];
};

_Static_assert(sizeof(struct x86_thread) <= ARCH_THREAD_STATE_SIZE,
    "x86 thread state fits the arch area");

static inline struct x86_thread *
xthread(struct thread *t)
{
	return (struct x86_thread *)(void *)t->arch;
}

/* The thread whose registers the current kernel entry saved, if any. */
extern struct thread *x86_current;

/* Put T's x87/SSE state in the registers (saving the previous owner's). */
void x86_fpu_switch(struct thread *t);

#endif /* VG_X86_XTHREAD_H */
