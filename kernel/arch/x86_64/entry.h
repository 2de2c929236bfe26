/*
 * Kernel entry and exit on x86-64 (entry.c, syscall_entry.S).
 */
#ifndef VG_X86_ENTRY_H
#define VG_X86_ENTRY_H

#include <stdbool.h>
#include <stdint.h>

#include "irqoff.h"
#include "mmu.h"
#include "trap.h"
#include "xthread.h"

struct boot_info;

extern uint64_t x86_ticks;		/* timer interrupts so far */
/* Boot tests: say once that a tick took the processor from ring 3. */
extern bool x86_log_user_tick;
extern bool x86_need_resched;		/* the time slice is over */
extern uint64_t x86_kstack_top;		/* the kernel stack (its top) */
#define X86_KSTACK_SIZE	16384		/* and its size */
/* The end of the current thread's saved frame: syscall_entry pushes the
 * user registers there, into the thread itself. */
extern uint64_t x86_syscall_frame;

/* The `syscall` instruction lands here (syscall_entry.S). */
void syscall_entry(void);

/* Called by syscall_entry with the user registers saved in F. */
void x86_syscall(struct trap_frame *f);	/* never returns */

/*
 * The two ways x86_syscall goes, neither of which returns (they are not
 * declared _Noreturn, and noipa keeps the compiler from finding out, so
 * that x86_syscall jumps to them): the fast path (fastpath.c) for a
 * call of its shape and the virtualizer's answer for one of that shape,
 * either of which may still hand it to the general path, and
 * the general path (entry.c) for every other.
 */
void x86_syscall_fast(struct trap_frame *f);
void x86_syscall_fast_answer(struct trap_frame *f);
void x86_syscall_general(struct trap_frame *f);

/* Run the next thread: the current one if it may go on, else the next
 * runnable (idling with interrupts on while there is none). */
_Noreturn void x86_return_to_user(void);

/*
 * Run T, a runnable thread whose ip and sp are user addresses, with
 * interrupts off.  Inline: the fast path's last step.
 */
static inline __attribute__((always_inline)) _Noreturn void
x86_resume(struct thread *t)
{
	x86_current = t;
	x86_syscall_frame = (uint64_t)(uintptr_t)(&xthread(t)->frame + 1);
	mmu_activate(t);
	x86_fpu_switch(t);
	irqoff_end();
	/* trap_return_to without its call and cli: every path here runs
	 * with interrupts off, and T returns to user mode. */
	__asm__ volatile("movq %0, %%rsp\n\tjmp trap_return_user"
	    : : "r"(&xthread(t)->frame) : "memory");
	__builtin_unreachable();
}

/* Program the syscall MSRs. */
void syscall_init(void);

#endif /* VG_X86_ENTRY_H */
