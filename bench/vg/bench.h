/*
 * vg's benchmarks: what the bench root task (root/) and the partner
 * threads it makes in other address spaces (peer.c, peer_entry.S) share.
 *
 * The root task builds every partner itself.  It loads "bpeer" (the same
 * module twice: two address spaces of their own, P1 and P2) with libvg's
 * loader but never starts its main thread; instead it creates raw threads
 * in those spaces whose code is bpeer's (bsrv_entry, bcoll_entry: found
 * in its symbol table), and messengers bound to them.  A thread's UTCB
 * and its state (struct bsrv, with its stack below it) are pages of the
 * shared region BENCH_SHARED_VA, a 4 MiB region of the root task's whose
 * cappage is also put in the same root slot of P1 and P2: the same
 * memory at the same address in all three spaces, so that the pointers
 * in struct bsrv are valid everywhere and the client can read the time
 * a server was activated.  P1 and P2 have nothing else of the root's:
 * their own image, their own slots.
 *
 * A partner thread is a state machine, not a program: every activation
 * restarts it at its entry with RSP at its struct bsrv (its handler_sp);
 * the entry reads the time stamp counter into bsrv.t1 first thing, then
 * bsrv_step reads the activation from the UTCB, leaves activated mode,
 * and makes the one vg_ipc that answers and waits for the next request
 * (no RETURN: the thread is suspended until it is activated again).
 */
#ifndef BENCH_VG_BENCH_H
#define BENCH_VG_BENCH_H

#include <stdint.h>

#include <vg/addr.h>
#include <vg/ipc.h>
#include <vg/message.h>
#include <vg/utcb.h>

/* The shared region: root slot (4 MiB region) 96 of every space. */
#define BENCH_SHARED_REGION	96u
#define BENCH_SHARED_VA		((uint64_t)BENCH_SHARED_REGION << 22)
#define BENCH_SHARED_PAGES	64u

/* What a partner thread does with a request (struct bsrv.kind). */
enum bsrv_kind {
	/* Echo: reply inline with word 0 of the request + 1 (word 0 of the
	 * inline message, or data word 0 of the buffer page). */
	BSRV_ECHO = 1,
	/* A virtual cappage: answer an INDEX request with the capability
	 * in slot (residual's first 8 bits) of the backing cappage. */
	BSRV_VIRT = 2,
	/* A pager: answer a FAULT request with the backing page, all the
	 * residual's bits consumed. */
	BSRV_PAGER = 3,
	/* Echo without upcalls: the thread stays in activated mode, so an
	 * arriving request only queues its activation and wakes the thread
	 * where it suspended; it takes it with THREAD_ACTIVATION_COLLECT. */
	BSRV_COLLECT = 4,
};

#define BSRV_PRELOAD_MAX	16u

/*
 * A partner thread's state, at its handler_sp (16-byte aligned); its stack
 * grows down below it.  T1 must stay at offset 0 (peer_entry.S writes
 * it).
 */
struct bsrv {
	uint64_t t1;			/* rdtsc at the handler's entry */
	volatile struct vg_utcb *utcb;
	uint32_t kind;			/* enum bsrv_kind */
	uint32_t started;		/* the first run armed the receiver */
	/* The first run: receive only, no RETURN (wait for a request). */
	struct vg_ipc_args arm;
	/* Every request: receive again (re-arm) and answer, no RETURN.
	 * bsrv_step fills in the inline words (and, for VIRT, the inline
	 * capability). */
	struct vg_ipc_args call;
	/* COLLECT: the THREAD_ACTIVATION_COLLECT invocation (with RETURN),
	 * its reply in KPAGE. */
	struct vg_ipc_args collect;
	struct vg_message *kpage;
	/* A request received into a buffer page (ECHO): the page, and the
	 * target slots to preload in it again after each one. */
	struct vg_message *rbuf;
	uint32_t npreload;
	uint32_t reserved;
	vg_addr_t preload[BSRV_PRELOAD_MAX];
	/* VIRT: my address of the backing cappage; PAGER: of the page. */
	vg_addr_t backing;
	/* Counters, for the root's checks. */
	uint64_t served;		/* requests answered */
	uint64_t bad;			/* malformed or unexpected activations */
	uint64_t errors;		/* vg_ipc returned (it should not) */
	int64_t last_error;
	uint64_t last_word;		/* word 0 (ECHO) or residual (VIRT,
					 * PAGER) of the last request */
};

/* The entries (peer_entry.S), and what they call (peer.c). */
extern char bsrv_entry[];
extern char bcoll_entry[];
_Noreturn void bsrv_step(struct bsrv *s);
_Noreturn void bcoll_run(struct bsrv *s);

/*
 * The client's activation handler for the measured round trips
 * (root/resume.S): it leaves activated mode and resumes the interrupted code
 * at UTCB.saved_ip with UTCB.saved_sp, nothing else -- the activation's
 * data stays in the UTCB for the interrupted code to read.  HANDLER_SP
 * points at a word holding the UTCB's address.  It uses RCX as scratch,
 * which is only right where the thread was interrupted right after a
 * system call (the instruction clobbers RCX): the round trips are the
 * only place it is installed, and there the client is only ever
 * activated while suspended in vg_ipc.  [exit_start, exit_end) is its
 * exit range: an activation that arrives in it restarts the handler with
 * saved_ip and saved_sp kept.
 */
extern char bench_resume_entry[];
extern char bench_resume_exit_start[];
extern char bench_resume_exit_end[];

/* The time stamp counter, which QEMU's -icount makes count retired guest
 * instructions.  lfence on both sides keeps the timed code inside the
 * window (the same sequence as the Linux peer's). */
static inline uint64_t
bench_tsc(void)
{
	uint32_t lo, hi;

	__asm__ volatile("lfence\n\trdtsc\n\tlfence"
	    : "=a"(lo), "=d"(hi) : : "memory");
	return (uint64_t)hi << 32 | lo;
}

#endif /* BENCH_VG_BENCH_H */
