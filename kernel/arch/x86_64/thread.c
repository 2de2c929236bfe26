/*
 * The arch_thread_* hooks of kernel/include/arch.h on x86-64: register
 * state, run state and destruction.
 */
#include <stddef.h>

#include <vg/method.h>

#include "arch.h"
#include "gdt.h"
#include "kstring.h"
#include "mmu.h"
#include "sched.h"
#include "x86.h"
#include "xthread.h"

struct thread *x86_current;
struct thread *x86_wakee;

/* The thread whose x87/SSE state is in the registers (NULL: none). */
struct thread *x86_fpu_owner;
bool x86_fpu_ts;
/* The state a new thread starts with: after fninit, MXCSR default. */
static _Alignas(16) uint8_t fpu_initial[512];
static bool fpu_initial_ready;

static void
fxsave(uint8_t *area)
{
	__asm__ volatile("fxsave64 (%0)" : : "r"(area) : "memory");
}

static void
fxrstor(const uint8_t *area)
{
	__asm__ volatile("fxrstor64 (%0)" : : "r"(area) : "memory");
}

void
x86_fpu_set_ts(bool ts)
{
	if (ts)
		write_cr0(read_cr0() | CR0_TS);
	else
		__asm__ volatile("clts" : : : "memory");
	x86_fpu_ts = ts;
}

void
x86_fpu_trap(struct thread *t)
{
	x86_fpu_set_ts(false);
	if (x86_fpu_owner != NULL)
		fxsave(xthread(x86_fpu_owner)->fpu);
	fxrstor(xthread(t)->fpu);
	x86_fpu_owner = t;
}

void
arch_thread_init(struct thread *t)
{
	struct x86_thread *x = xthread(t);

	memset(x, 0, sizeof(*x));
	if (!fpu_initial_ready) {
		uint32_t mxcsr = 0x1f80;	/* all exceptions masked */

		__asm__ volatile("fninit; ldmxcsr %0" : : "m"(mxcsr));
		fxsave(fpu_initial);
		x86_fpu_owner = NULL;	/* the registers were just reset */
		fpu_initial_ready = true;
	}
	memcpy(x->fpu, fpu_initial, sizeof(x->fpu));
	x->frame.cs = GDT_USER_CS;
	x->frame.ss = GDT_USER_DS;
	x->frame.rflags = RFLAGS_IF | RFLAGS_RESERVED;
}

struct arch_ip_sp
arch_thread_ip_sp(const struct thread *t)
{
	const struct x86_thread *x = (const void *)t->arch;

	return (struct arch_ip_sp){ x->frame.rip, x->frame.rsp };
}

void
arch_thread_set_ip_sp(struct thread *t, struct arch_ip_sp r)
{
	struct x86_thread *x = xthread(t);

	x->frame.rip = r.ip;
	x->frame.rsp = r.sp;
}

void
arch_thread_activated(struct thread *t)
{
	/* Its state change put it on a run queue; its handler starts
	 * without the interrupted code's trap flag. */
	xthread(t)->frame.rflags &= ~(uint64_t)RFLAGS_TF;
}

bool
arch_user_address(uint64_t va)
{
	return va < USER_VA_LIMIT;
}

void
arch_thread_state_changed(struct thread *t)
{
	if (t->state == VG_THREAD_RUNNABLE) {
		if (t == x86_current || t == x86_wakee)
			return;
		/* The first thread a kernel entry wakes waits for the end
		 * of the entry, which may run it at once (entry.c). */
		if (x86_wakee == NULL && !t->run_queued) {
			x86_wakee = t;
			return;
		}
		sched_enqueue(t);
	} else {
		if (t == x86_wakee)
			x86_wakee = NULL;
		sched_dequeue(t);
	}
}

void
arch_thread_destroyed(struct thread *t)
{
	mmu_thread_gone(t);
	if (x86_fpu_owner == t)
		x86_fpu_owner = NULL;
	if (t == x86_current)
		x86_current = NULL;
	if (t == x86_wakee)
		x86_wakee = NULL;
}
