/*
 * The hosted platform's part of the IPC fast path (kernel/include/
 * ipc_fast.h says what each does): the arch.h hooks themselves, so that
 * the tests see the same events as from the general path.
 */
#ifndef VG_HOSTED_ARCH_FAST_H
#define VG_HOSTED_ARCH_FAST_H

#include "arch.h"

static inline struct arch_ip_sp
arch_fast_ip_sp(struct thread *t)
{
	return arch_thread_ip_sp(t);
}

static inline void
arch_fast_set_ip_sp(struct thread *t, uint64_t ip, uint64_t sp)
{
	arch_thread_set_ip_sp(t, (struct arch_ip_sp){ ip, sp });
}

/* Nothing runs here: TO waits on the queues like any woken thread. */
static inline void
arch_fast_handoff(struct thread *from, struct thread *to)
{
	arch_thread_state_changed(to);
	arch_thread_activated(to);
	arch_thread_state_changed(from);
}

/* Any page can be mapped here. */
static inline void *
arch_fast_map_probe(struct thread *t, uint64_t vaddr)
{
	(void)vaddr;
	return t;
}

static inline void
arch_fast_map(struct thread *t, void *entry, uint64_t vaddr, void *frame,
    unsigned flags)
{
	(void)entry;
	(void)arch_map_page(t, vaddr, frame, flags);
}

static inline void
arch_fast_resume(struct thread *from, struct thread *to)
{
	arch_thread_state_changed(to);
	arch_thread_state_changed(from);
}

#endif /* VG_HOSTED_ARCH_FAST_H */
