/*
 * x86-64's part of the IPC fast path (kernel/include/ipc_fast.h says
 * what each does), inline, so that the path has no calls.
 */
#ifndef VG_X86_ARCH_FAST_H
#define VG_X86_ARCH_FAST_H

#include "arch.h"
#include "mmu.h"
#include "x86.h"
#include "xthread.h"

static inline __attribute__((always_inline)) struct arch_ip_sp
arch_fast_ip_sp(struct thread *t)
{
	const struct x86_thread *x = xthread(t);

	return (struct arch_ip_sp){ x->frame.rip, x->frame.rsp };
}

static inline __attribute__((always_inline)) void
arch_fast_set_ip_sp(struct thread *t, uint64_t ip, uint64_t sp)
{
	struct x86_thread *x = xthread(t);

	x->frame.rip = ip;
	x->frame.rsp = sp;
}

/* TO joins no run queue (entry.c runs it next); its handler starts
 * without the trap flag (arch_thread_activated). */
static inline __attribute__((always_inline)) void
arch_fast_handoff(struct thread *from, struct thread *to)
{
	(void)from;
	xthread(to)->frame.rflags &= ~(uint64_t)RFLAGS_TF;
}

/* The page-table entry arch_map_page would write, if it would make or
 * drop no table. */
static inline __attribute__((always_inline)) void *
arch_fast_map_probe(struct thread *t, uint64_t vaddr)
{
	return mmu_pte_present(t, vaddr);
}

static inline __attribute__((always_inline)) void
arch_fast_map(struct thread *t, void *entry, uint64_t vaddr, void *frame,
    unsigned flags)
{
	mmu_pte_set(t, entry, vaddr, frame, flags);
}

/* TO, made runnable without an activation, joins no run queue (entry.c
 * runs it next, as it left it). */
static inline __attribute__((always_inline)) void
arch_fast_resume(struct thread *from, struct thread *to)
{
	(void)from;
	(void)to;
}

#endif /* VG_X86_ARCH_FAST_H */
