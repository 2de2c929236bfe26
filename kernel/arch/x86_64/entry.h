/*
 * Kernel entry and exit on x86-64 (entry.c, syscall_entry.S).
 */
#ifndef VG_X86_ENTRY_H
#define VG_X86_ENTRY_H

#include <stdbool.h>
#include <stdint.h>

struct trap_frame;
struct boot_info;

extern uint64_t x86_ticks;		/* timer interrupts so far */
extern bool x86_need_resched;		/* the time slice is over */
extern uint64_t x86_kstack_top;		/* the kernel stack (its top) */
/* The end of the current thread's saved frame: syscall_entry pushes the
 * user registers there, into the thread itself. */
extern uint64_t x86_syscall_frame;

/* The `syscall` instruction lands here (syscall_entry.S). */
void syscall_entry(void);

/* Called by syscall_entry with the user registers saved in F. */
void x86_syscall(struct trap_frame *f);	/* never returns */

/* Run the next thread: the current one if it may go on, else the next
 * runnable (idling with interrupts on while there is none). */
_Noreturn void x86_return_to_user(void);

/* Program the syscall MSRs. */
void syscall_init(void);

#endif /* VG_X86_ENTRY_H */
