/*
 * Entering and leaving the kernel from user mode: system calls, user
 * traps, interrupts, and the one way back to user mode.
 *
 * vg has one kernel stack.  The kernel never waits (docs/design.md §1),
 * so every entry runs to completion: it saves the user registers into
 * the current thread, does its work with interrupts off, picks the thread
 * to run, and returns to it through trap_return_to, never through the
 * path it came in by.  Only the idle loop runs with interrupts on.
 *
 * A system call's meaning is the portable core's (syscall.h): here is
 * only the register convention (vg/syscall.h).
 */
#include <stddef.h>

#include <vg/addr.h>
#include <vg/ipc.h>
#include <vg/method.h>
#include <vg/syscall.h>

#include "activation.h"
#include "arch.h"
#include "entry.h"
#include "fault.h"
#include "folio.h"
#include "gdt.h"
#include "ioapic.h"
#include "irqoff.h"
#include "kassert.h"
#include "kprintf.h"
#include "lapic.h"
#include "mmu.h"
#include "reclaim.h"
#include "sched.h"
#include "syscall.h"
#include "syscall_shape.h"
#include "trap.h"
#include "x86.h"
#include "xthread.h"

uint64_t x86_ticks;
bool x86_log_user_tick;
bool x86_need_resched;

/* The one kernel stack: every entry from user mode starts at its top. */
static _Alignas(16) uint8_t kstack[X86_KSTACK_SIZE];
uint64_t x86_kstack_top;
/* Until the first thread runs, a frame nobody reads. */
static struct trap_frame no_thread_frame;
uint64_t x86_syscall_frame = (uint64_t)(uintptr_t)(&no_thread_frame + 1);

void
syscall_init(void)
{
	x86_kstack_top = (uint64_t)(uintptr_t)(kstack + sizeof(kstack));
	tss_set_rsp0(x86_kstack_top);
	wrmsr(MSR_STAR, GDT_STAR);
	wrmsr(MSR_LSTAR, (uint64_t)(uintptr_t)syscall_entry);
	/* Enter with interrupts, tracing and alignment checks off, the
	 * direction flag clear, and NT clear: user code can set NT, and an
	 * iretq with NT set in the kernel raises #GP. */
	wrmsr(MSR_FMASK, RFLAGS_IF | RFLAGS_TF | RFLAGS_DF | RFLAGS_AC |
	    RFLAGS_NT);
}

/* Save the user registers F holds into the current thread. */
static void
save_user(const struct trap_frame *f)
{
	if (x86_current != NULL)
		xthread(x86_current)->frame = *f;
}

static void user_exception(struct thread *t, const struct fault_detail *d,
    unsigned vector, enum vg_err err);

/*
 * The log of user faults is bounded: at most FAULT_LOG_BURST lines per
 * FAULT_LOG_TICKS timer ticks, and then one line saying how many were
 * left out.  A program that faults in a loop must not flood the polled
 * console, whose output runs with interrupts off.
 */
#define FAULT_LOG_BURST	8
#define FAULT_LOG_TICKS	100	/* a second */

static bool
fault_log_may(void)
{
	static uint64_t window;
	static unsigned logged, dropped;

	if (x86_ticks - window >= FAULT_LOG_TICKS) {
		if (dropped != 0)
			kprintf("vg: %u more user faults not logged\n",
			    dropped);
		window = x86_ticks;
		logged = dropped = 0;
	}
	if (logged < FAULT_LOG_BURST) {
		logged++;
		return true;
	}
	dropped++;
	return false;
}

void
arch_reclaim_wake(void)
{
	sched_reaper_wake();
}

/* True while the reaper runs: a tick is then its. */
static bool reaping;

/*
 * The reaper's turn: bounded steps, each followed by a moment with
 * interrupts on, so no interrupt waits longer than one step; a tick ends
 * the turn.
 */
static void
reap(void)
{
	x86_current = NULL;
	x86_need_resched = false;
	reaping = true;
	while (reclaim_pending() && !x86_need_resched) {
		folio_reclaim_step();
		irqoff_end();
		irq_window();
		irqoff_begin();
	}
	reaping = false;
	if (!reclaim_pending())
		sched_reaper_idle();
}

/* The time halted in the idle loop, in TSC ticks, and the halts; when
 * the current halt began (0: none). */
static uint64_t idle_ticks, idle_halts, idle_since;

void
x86_idle_wake(uint64_t now)
{
	if (idle_since != 0) {
		idle_ticks += now - idle_since;
		idle_since = 0;
	}
}

/*
 * Nothing to run: wait for an interrupt to change that.  Nor anything
 * to preempt, so the timer stops meanwhile: a tick would only wake the
 * processor to find nothing to do (and, under QEMU's -icount with
 * sleep=off, end the clock's jump over the wait every 10 ms).  It starts
 * again, with a whole tick, before anything can run.  The time halted
 * is from just before the sti to the interrupt that ends the wait, as
 * its dispatch begins (x86_idle_wake): its handler's work is not idle.
 */
static void
idle(void)
{
	lapic_timer_stop();
	irqoff_end();
	idle_since = rdtsc();
	/* One statement, so that nothing comes between: an interrupt
	 * after the sti is held off for one instruction, so it wakes the
	 * hlt rather than coming before it, and no tick comes now to end a
	 * halt that missed it. */
	__asm__ volatile("sti; hlt" : : : "memory");
	cli();
	/* Woken by an interrupt, whose dispatch counted the halt; the
	 * rest is for a wake that dispatched nothing. */
	x86_idle_wake(rdtsc());
	idle_halts++;
	irqoff_begin();
	lapic_timer_start();
}

void
arch_idle_read(uint64_t *ticks, uint64_t *halts)
{
	*ticks = idle_ticks;
	*halts = idle_halts;
}

/* The thread the entry woke, if it did, to the run queues. */
static inline void
wakee_queue(void)
{
	struct thread *w = x86_wakee;

	if (w != NULL) {
		x86_wakee = NULL;
		sched_enqueue(w);
	}
}


/*
 * The system call woke a thread: if it also suspended its caller T, the
 * woken thread may run next without the run queues (sched.h,
 * sched_may_hand_off); otherwise it joins them.
 */
static __attribute__((noinline)) _Noreturn void
wakee_handoff(struct thread *t)
{
	struct thread *w = x86_wakee;

	x86_wakee = NULL;
	if (t->state != VG_THREAD_RUNNABLE && sched_may_hand_off(t, w)) {
		x86_current = w;
		x86_return_to_user();
	}
	sched_enqueue(w);
	x86_return_to_user();
}

_Noreturn void
x86_return_to_user(void)
{
	struct thread *t = x86_current;

	for (;;) {
		/* Whatever this entry, the reaper's steps or an interrupt
		 * in the idle loop woke, to the queues before a pick. */
		wakee_queue();
		if (t == NULL || t->state != VG_THREAD_RUNNABLE) {
			t = sched_pick();
		} else if (x86_need_resched) {
			/* A tick: it rejoins its queue and the scheduler
			 * says who runs (sched.h). */
			sched_enqueue(t);
			t = sched_pick();
		}
		x86_need_resched = false;
		if (t == SCHED_REAPER) {
			reap();
			t = NULL;
			continue;
		}
		if (t == NULL) {
			x86_current = NULL;
			idle();
			continue;
		}
		x86_current = t;
		x86_syscall_frame = (uint64_t)(uintptr_t)(&xthread(t)->frame + 1);
		/* An ip or sp outside the user half (set through exregs or
		 * an activation handler) would make iretq fault in the
		 * kernel: it is the thread's general-protection fault. */
		if (xthread(t)->frame.rip < USER_VA_LIMIT &&
		    xthread(t)->frame.rsp <= USER_VA_LIMIT)
			break;
		struct fault_detail d = { .addr = xthread(t)->frame.rip,
		    .ip = xthread(t)->frame.rip, .vector = 13 };

		user_exception(t, &d, 13, VG_ERR_EXCEPTION);
		t = x86_current;
	}
	x86_resume(t);
}

/*
 * Every system call but the fast path's (fastpath.c).  Apart from
 * x86_syscall, so that its calls pay nothing for the fast path's
 * registers.
 */
__attribute__((noipa)) void
x86_syscall_general(struct trap_frame *f)
{
	struct thread *t = x86_current;
	struct x86_thread *x = xthread(t);
	enum vg_err err;

	/* syscall_entry built F in the thread itself: nothing to save, and
	 * its argument registers are in the ABI's order (trap.h). */
	err = syscall_dispatch(t, f->rax, &f->args);
	/* The call may have destroyed the caller (x86_current is then
	 * NULL).  If it activated the caller, its rip now points at its
	 * handler, which saves RAX with the rest and restores it when it
	 * resumes the interrupted code: the result still arrives. */
	if (x86_current != t)
		x86_return_to_user();
	x->frame.rax = (uint64_t)err;
	/* The same thread goes on, as it is: no scheduler, no page-table
	 * or FPU work.  Its rip is the one the system call saved, which is
	 * canonical (USER_MAP_LIMIT), or one the kernel checked was a user
	 * address (an activation's handler, THREAD_EXREGS); its rsp is its
	 * own, as the user left it or as the kernel checked it. */
	if (x86_wakee == NULL && t->state == VG_THREAD_RUNNABLE &&
	    !x86_need_resched && mmu_is_current(t)) {
		irqoff_end();
		syscall_return(&x->frame);
	}
	if (x86_wakee != NULL)
		wakee_handoff(t);
	x86_return_to_user();
}

/*
 * x86_syscall (syscall_entry.S) is syscall_fast_shape in assembly.  Only
 * a thread runs in user mode, and it is x86_current until the kernel
 * next leaves for user mode: never NULL in a system call.  None of the
 * ways it jumps to returns; they are not declared _Noreturn, nor may the
 * compiler find out (noipa), so that it jumps on from them: a call to a
 * function that does not return is never a tail call.
 */
_Static_assert(X86_SYSCALL_IPC == VG_SYSCALL_IPC &&
    X86_FAST_ALLOWS == IPC_FAST_ALLOWS && X86_FAST_ANSWER == VG_IPC_INLINE_CAP,
    "syscall_shape.h is syscall_fast_shape's");
_Static_assert(offsetof(struct trap_frame, args) == TF_RDI &&
    offsetof(struct trap_frame, rax) == TF_RAX, "the shape's words");

/* A fault the kernel could not resolve: to the exception messenger. */
static void
user_exception(struct thread *t, const struct fault_detail *d, unsigned vector,
    enum vg_err err)
{
	static const char *const access_name[] = {
		[VG_FAULT_READ] = "read", [VG_FAULT_WRITE] = "write",
		[VG_FAULT_EXECUTE] = "execute",
	};
	bool told = thread_exception(t, d, err);
	char how[64] = "";

	if (!fault_log_may())
		return;
	if (d->info & VG_FAULT_INFO_TRANSLATION)
		ksnprintf(how, sizeof(how), ", translation stopped after %u "
		    "bits with %u left", d->consumed, d->remaining);
	kprintf("vg: thread %u: %s: %s at %lx (rip %lx): error %d%s: %s\n",
	    storage_oid(t), trap_name(vector),
	    (d->info & VG_FAULT_INFO_ACCESS) && d->access <= VG_FAULT_EXECUTE ?
	    access_name[d->access] : "access", (unsigned long)d->addr,
	    (unsigned long)d->ip, (int)err, how,
	    !told ? "no exception messenger, thread stopped" :
	    t->state == VG_THREAD_STOPPED ? "its own handler faulted, thread "
	    "stopped, the report queued on its exception messenger" :
	    "delivered to its exception messenger");
}

void
x86_user_trap(struct trap_frame *f)
{
	struct thread *t = x86_current;

	save_user(f);
	if (t == NULL)
		kpanic("x86_user_trap: no current thread");
	if (f->vector == 14) {
		uint64_t addr = read_cr2();
		enum vg_fault_access access = (f->error & PF_I) ?
		    VG_FAULT_EXECUTE : (f->error & PF_W) ? VG_FAULT_WRITE :
		    VG_FAULT_READ;
		/* Only the lower half is user memory, less its last page
		 * (mmu.h): no translation of a kernel address can be
		 * mapped. */
		struct fault_detail d = { .addr = addr, .ip = f->rip,
		    .vector = 14, .info = VG_FAULT_INFO_ACCESS,
		    .access = (uint8_t)access };
		enum vg_err err = addr >= USER_MAP_LIMIT ? VG_ERR_ADDR :
		    fault_resolve(t, addr, access, &d);

		d.vector = 14;
		if (err != VG_OK)
			user_exception(t, &d, 14, err);
		/* A pager asked: it may run in the waiting thread's place,
		 * as after a system call. */
		if (x86_wakee != NULL)
			wakee_handoff(t);
	} else if (f->vector == 7 && x86_fpu_ts) {
		/* Device not available: its first FPU instruction since
		 * another thread's (lazy switching, xthread.h). */
		x86_fpu_trap(t);
	} else {
		struct fault_detail d = { .addr = f->rip, .ip = f->rip,
		    .vector = (uint32_t)f->vector };

		user_exception(t, &d, (unsigned)f->vector, VG_ERR_EXCEPTION);
	}
	x86_return_to_user();
}

void
x86_irq(struct trap_frame *f, unsigned vector)
{
	bool from_user = (f->cs & 3) == 3;

	if (from_user)
		save_user(f);
	if (vector == T_LAPIC_TIMER) {
		static bool told;

		x86_ticks++;
		x86_need_resched = true;
		if (x86_current != NULL)
			sched_tick(x86_current);
		else if (reaping)
			sched_tick_reaper();
		/* For the boot test: the tick does take the processor from
		 * ring 3. */
		if (unlikely(from_user && !told) && x86_log_user_tick) {
			told = true;
			kprintf("vg: timer: tick %lu interrupted ring 3\n",
			    (unsigned long)x86_ticks);
		}
	} else
		x86_irq_device(vector - T_GSI0);
	/* trap_dispatch sent the EOI already. */
	if (from_user)
		x86_return_to_user();
	/* From the idle loop: back to it, which looks at the queues. */
}
