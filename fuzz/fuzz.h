/*
 * ipc_fuzz: a libFuzzer target for messengers, IPC and the resumable
 * kernel (docs/design.md §4 and §5), against the hosted core.  This
 * header is what its files share.
 *
 * Each input boots a fresh core, builds a small world (world.c) and reads
 * its bytes as a program (ops.c and op_*.c): operations by simulated
 * threads -- vg_ipc with any flags, kernel method invocations,
 * cancellation, data faults, destruction of objects and folios,
 * activation handling -- and virtualizer steps, in which a process
 * serving virtual cappages and pagers answers the kernel's INDEX, STORE
 * and FAULT requests correctly or as badly as the input says (wrong
 * capability, bad bit counts, void, errors, twice, unasked, never).
 *
 * After every operation (ipc_fuzz.c):
 *  - vg_check_invariants() (tests/support/invariants.c) must hold;
 *  - the message ledger (ledger.c) must balance.  Every message a program
 *    sends gets a unique tag (in its data, and in the ledger), and must
 *    end up delivered exactly once, consumed by a kernel object or as an
 *    answer, failed with an error the sender is told of, gone with its
 *    destroyed messenger, or still be queued or suspended -- and a
 *    messenger busy with a program's message must have one the ledger
 *    knows.  Delivered data must be what the sender had, and what it had
 *    must not change unless someone wrote it;
 *  - no destroyed messenger or thread may have been written (dead.c).
 * A violation prints what broke and aborts; VG_FUZZ_TRACE=1 in the
 * environment prints every operation as it runs, which turns a crashing
 * input into a readable reproducer.
 *
 * The ledger hears of kernel events through the linker: the Makefile
 * links with --wrap=NAME for every NAME in FUZZ_WRAP, so that the core's
 * calls of those functions come through the __wrap_NAME hooks of hooks.c,
 * which tell the ledger (or dead.c, or the storage window) and call the
 * real function.  Only calls between object files are wrapped.
 *
 * Everything is decided by the input: no clock, no unseeded randomness.
 */
#ifndef FUZZ_H
#define FUZZ_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include <vg/addr.h>
#include <vg/cap.h>
#include <vg/error.h>
#include <vg/ipc.h>
#include <vg/message.h>
#include <vg/utcb.h>

#include "folio.h"
#include "kernel.h"
#include "messenger.h"
#include "transfer.h"
#include "storage.h"
#include "thread.h"

/* The checks run after every operation and scan all of storage: they
 * are not what coverage feedback should be about. */
#define NO_COVERAGE __attribute__((no_sanitize("coverage")))

/* --- the world -------------------------------------------------------------
 *
 * NPROC processes, each a thread with a one-cappage address space, a
 * UTCB, four messengers and some pages, all in a folio of its own; and a
 * supervisor that is never destroyed and can restart threads.  Any
 * process can act as a virtualizer: its messenger 3 ("served") receives
 * the requests for the virtual levels that other spaces route to it, and
 * its backing cappage holds what a correct virtualizer answers with.
 *
 * Beside them, a storage playground that every process can reach: an
 * activity A (a child of the root, in the supervisor's folio) with a
 * quota, its folio F, which holds A's child activity B, and B's folio G;
 * the objects the processes make there, and root tasks built from the
 * input, are charged to A and B and die with them.  The storage window is
 * small (CHUNKS), so that storage runs out as well as quotas.  Every
 * space also holds the console and the power object, and the world has a
 * root task built at boot (roottask.c's success path, every input).
 * fuzz/mkseeds.py knows some of these numbers: keep it in step.
 */

#define CHUNKS		16
#define NPROC		4
#define SUPER		NPROC		/* the supervisor's index */
#define NTHREADS	(NPROC + 1)
#define NMSGR		4
#define NPAGE		4
#define MAX_OPS		512
#define MAX_SENDS	(MAX_OPS * 2 + 8)
#define NFRAMES		(CHUNKS * FOLIO_FRAMES)

/* Messenger roles: 0 has a buffer page, 1 is inline only, 2 is the
 * thread's exception messenger, 3 is served (receives requests). */
#define M_INLINE	1
#define M_EXCEPTION	2
#define M_SERVED	3

/* The standard objects of a process, at these indices of its folio. */
enum {
	OBJ_SPACE,
	OBJ_THREAD,
	OBJ_UTCB,
	OBJ_MSGR,			/* + i: messenger i */
	OBJ_BUF = OBJ_MSGR + NMSGR,	/* + i: messenger i's buffer page */
	OBJ_PAGE = OBJ_BUF + NMSGR,	/* + k: data page k */
	OBJ_INNER = OBJ_PAGE + NPAGE,	/* a cappage of its own */
	OBJ_BACKING,			/* what it serves as a virtualizer */
	OBJ_STD
};

/* The layout of a process's space (slots of its root cappage). */
enum {
	SL_SPACE = 0,
	SL_THREAD = 1,
	SL_FOLIO = 2,
	SL_UTCB = 3,
	SL_MSGR = 4,		/* + i: its messenger i, strong */
	SL_RIGHT = 8,		/* + 4q + i: send right to messenger i of q */
	SL_PAGE = 24,		/* + k: data page k */
	SL_INNER = 28,
	SL_RINNER = 29,		/* the inner cappage, weak */
	SL_BACKING = 30,
	SL_VIRT = 32,		/* + q: q's served messenger as a level */
	SL_VIRT_GUARDED = 36,	/* p+1's served messenger, guard 5/4 */
	SL_DATA_DIRECT = 40,	/* data: page 0 behind a 44-bit guard */
	SL_DATA_VIRT = 41,	/* data: p+2's served messenger, a pager */
	SL_DATA_INNER = 43,	/* data: the inner cappage, 28-bit guard */
	SL_OTHERS = 48,		/* + 4q + i: messenger i of q, strong */
	SL_RECV = 100,		/* 100..131: where arriving caps go */
	SL_REPLY = 132,		/* a request's capability 0 */
	SL_STORED = 133,	/* a STORE request's capability 1 */
	SL_EMPTY = 250,		/* never written: void */
	SL_THREADS = 140,	/* supervisor: + q: thread of q */
	/* The storage playground and the devices, in every process's
	 * space: above everything pick_addr's small slot numbers reach, so
	 * that the inputs written before them mean what they meant. */
	SL_ACT = 64,		/* activity A */
	SL_SUBACT = 65,		/* activity B, A's child */
	SL_AFOLIO = 66,		/* A's folio F, which holds B */
	SL_BFOLIO = 67,		/* B's folio G */
	SL_CONSOLE = 68,
	SL_POWER = 69,
	SL_SUBACT_OWN = 70,	/* B without VG_CAP_LIMIT, as its program
				 * has its own activity */
	SL_IRQ_CONTROL = 71,	/* the interrupt control */
	SL_IOPORT_CONTROL = 80,	/* the I/O port control */
	SL_NEW = 72,		/* + k (k < NNEW): what storage replies make */
};
#define NNEW		8

/* Where B lives in F, where A lives in the supervisor's folio. */
#define SUBACT_INDEX	0
#define ACT_INDEX	(VG_FOLIO_OBJECTS - 1)
/* A's quota at boot, in folios: more than storage has left, so that
 * storage runs out first unless an input lowers it. */
#define ACT_QUOTA_FOLIOS	12

struct proc {
	struct vg_cap folio;
	struct vg_cap obj[OBJ_STD];
};

/* The processes (and, at SUPER, the supervisor) as last built. */
extern struct proc procs[NTHREADS];

/* Forget the last input's world; boot a fresh core and build the world
 * on it, with the virtualizers receiving. */
void world_reset(void);
void world_boot(void);

/* The kernel's roots as the world booted them. */
const struct kernel_roots *world_roots(void);

/* The storage playground's objects (NULL if gone); rebuild what of it
 * is gone (false if there is no storage for it). */
struct activity *play_act(void);
struct activity *play_subact(void);
struct folio *play_afolio(void);
struct folio *play_bfolio(void);
bool repair_play(void);

/* The root task image the world boots with (op_roottask.c), and the root
 * task world_boot builds from it. */
void roottask_boot(void);

/*
 * (Re)create whatever of P's standard objects no longer exists -- its
 * folio too, if that was freed -- as a supervisor restarting a process
 * would.  False if there is no storage left.  link_all() then writes
 * every space again, so that it names the new objects.
 */
bool repair_proc(int p);
void link_all(void);

/* --- objects -------------------------------------------------------------- */

static inline uint32_t
oid_of(const void *frame)
{
	return storage_oid(frame);
}

/* The frame of F's slot I (folio_object_frame, without a call into the
 * instrumented core from the scans). */
static inline void *
slot_frame(const struct folio *f, unsigned i)
{
	return storage_frame(storage_oid(f) + 1 + i);
}

/* FNV-1a of the N bytes at P, going on from H (FNV_BASIS to start):
 * how the ledger and dead.c fingerprint messages and frames. */
#define FNV_BASIS	UINT64_C(0xcbf29ce484222325)

NO_COVERAGE
static inline uint64_t
fnv(uint64_t h, const void *p, size_t n)
{
	const uint8_t *b = p;
	size_t i;

	for (i = 0; i < n; i++)
		h = (h ^ b[i]) * UINT64_C(0x100000001b3);
	return h;
}

/* Standard object IDX of process P, messenger I, the thread: NULL if it
 * is gone. */
void *obj(int p, int idx);
struct messenger *msgr(int p, int i);
struct thread *thread_of(int p);

/* The thread of P if it exists and runs (only running threads make
 * system calls or fault). */
struct thread *runnable(int p);

/* The page T's UTCB slot holds, or NULL. */
struct vg_utcb *utcb_of_thread(struct thread *t);

/* The strong messenger ADDR names in T's space, as its program knows. */
struct messenger *resolve_msgr(struct thread *t, vg_addr_t addr);

/* --- the storage window ----------------------------------------------------
 *
 * hosted_boot's storage is allocated once and reused: a fresh
 * multi-megabyte mapping per input costs more than the input.  The hooks
 * of aligned_alloc and free come here, with the real functions for every
 * other size and pointer.
 */

void *window_alloc(size_t align, size_t size,
    void *(*real_alloc)(size_t, size_t));
void window_free(void *p, void (*real_free)(void *));

/* --- the ledger ----------------------------------------------------------- */

struct sent;

/* What a standard messenger last received (the served one's requests). */
struct rx {
	uint32_t seq;
	uint32_t kind;		/* RX_* */
	uint64_t word[4];
	uint32_t len;
	uint32_t ncaps;
};

enum { RX_USER, RX_REQUEST, RX_REPLY };

/* The tag in a program's message is TAG_MAGIC | its tag. */
#define TAG_MAGIC	UINT64_C(0x7a67000000000000)

void ledger_reset(void);

/* A fresh tag for the next message a program sends. */
uint32_t ledger_new_tag(void);

/* The next messenger_send_to is the send of message TAG, whose data word TAGPOS
 * holds it (-1: none does); until ledger_disarm(). */
void ledger_arm(uint32_t tag, int tagpos);
void ledger_disarm(void);

/* Someone wrote the page at FRAME (may be NULL); or pages the ledger
 * does not follow one by one (new objects, zeroed ones). */
void ledger_page_written(const void *frame);
void ledger_untracked_writes(void);

/* What messenger I of process P last received. */
const struct rx *last_received(int p, int i);

/* Every message is accounted for, and every busy messenger's is known;
 * else a finding. */
void ledger_balance(void);

/* "N messages: FATE COUNT ..." for the trace's summary line. */
void ledger_print_stats(FILE *f);

/*
 * What the hooks tell the ledger, before or after the real function (or
 * both: then _begin keeps in *W or *D what _end needs).
 */
struct sent *ledger_send_begin(struct messenger *m);
void ledger_send_end(struct sent *s, enum vg_err err);

void ledger_invoke(struct messenger *src, struct vg_cap target);

struct answer_watch {
	bool user;		/* FROM carried a program's message */
	struct sent *s;		/* ... and this is it */
};
void ledger_answer_begin(struct answer_watch *w, struct messenger *from);
void ledger_answer_end(const struct answer_watch *w, struct messenger *from,
    struct messenger *m, bool taken);

struct activation_watch {
	struct thread *t;	/* the thread the messenger names */
	uint32_t moved;		/* reasons pending on another thread */
};
void ledger_activation_begin(struct activation_watch *w, struct messenger *m,
    uint32_t reason, enum vg_err err);
void ledger_activation_end(const struct activation_watch *w,
    struct messenger *m);

struct commit_watch {
	uint32_t kflags;	/* the source's, before the commit */
	struct msg_source s;
	uint8_t before[64];	/* the start of its data */
	uint32_t blen;
};
void ledger_delivery_begin(struct commit_watch *d, struct messenger *src,
    struct messenger *dst);
void ledger_delivery_end(const struct commit_watch *d, struct messenger *src,
    struct messenger *dst, uint32_t n, uint32_t cap_void);

/*
 * Decode, then commit: a method that fails changes nothing.  Around each
 * invocation, what the invoked object's state sums to (its slots and the
 * fields its methods change; a page's or cappage's whole frame) and the
 * free storage; if the reply's error is not VG_OK, both must be as they
 * were.
 */
struct commit_check {
	bool on;		/* the target named a live object */
	uint64_t method;
	uint64_t sum;
	uint32_t free_chunks;
	struct vg_cap src_cap;	/* to tell if the method destroyed SRC */
};
void ledger_method_begin(struct commit_check *c, struct messenger *src,
    struct vg_cap target);
void ledger_method_end(const struct commit_check *c, struct messenger *src,
    struct vg_cap target);

/* --- destroyed objects ---------------------------------------------------- */

void dead_reset(void);

/* The object at FRAME has just been destroyed: fingerprint its frame. */
void dead_note(void *frame);

/* Nothing wrote a destroyed messenger or thread; else a finding. */
void dead_check(void);

/* --- the hooks ------------------------------------------------------------ */

/* Print how often each hook ran (VG_FUZZ_HOOKS=1, at exit). */
void hooks_report(void);

/* --- operations ----------------------------------------------------------- */

/* Read one operation from the input and run it. */
void run_op(void);

/* Choosing addresses (ops.c). */
vg_addr_t slot_addr(unsigned i);
uint64_t pick_vaddr(void);
vg_addr_t pick_addr(void);
vg_addr_t own_msgr_addr(void);
vg_addr_t pick_target(void);

/*
 * vg_ipc by T, with the fast path checked against the general one
 * (fastpath.c); the calls the fast path took.
 */
enum vg_err ipc_differential(struct thread *t, const struct vg_ipc_args *a);
extern unsigned long fuzz_fast_taken, fuzz_fast_fault_answers;

/* Messages (ops.c). */
bool write_page_msg(struct messenger *m, const vg_addr_t *caps,
    uint32_t ncaps, const uint64_t *w, uint32_t nw, bool force);
void rearm(struct messenger *m, bool force);
enum vg_err do_ipc(struct thread *t, struct vg_ipc_args *a, uint32_t tag,
    int tagpos);
enum vg_err send_msg(int p, vg_addr_t send, vg_addr_t target, uint64_t *w,
    uint32_t nw, int tagpos, const vg_addr_t *caps, uint32_t ncaps,
    bool inline_msg, uint32_t extra);
enum vg_err call_method(int p, vg_addr_t target, const uint64_t *w,
    uint32_t nw, bool inline_msg);
/* The same with capability CAP1 after the reply's (in the buffer page). */
enum vg_err call_method_cap(int p, vg_addr_t target, const uint64_t *w,
    uint32_t nw, vg_addr_t cap1);

/* The operations, by group: through vg_ipc (op_ipc.c), the virtualizer
 * step (op_virt.c), on objects (op_objects.c), storage methods on the
 * playground (op_storage.c), the methods op_invoke leaves out
 * (op_methods.c), building root tasks (op_roottask.c). */
void op_ipc(void);
void op_devices(void);
void op_send(void);
void op_receive(void);
void op_invoke(void);
void op_virtualizer(void);
void op_page_in(void);
void op_fault(void);
void op_cancel(void);
void op_alloc(void);
void op_folio_free(void);
void op_scribble(void);
void op_mode(void);
void op_converse(void);
void op_collect(void);
void op_repair(void);
void op_wake(void);
void op_exception(void);
void op_reap(void);
void op_storage(void);
void op_methods(void);
void op_roottask(void);

/* Forget which requests the virtualizers took (op_virt.c). */
void virt_reset(void);

/* --- reading the input and reporting -------------------------------------- */

/* The next bytes of the input, little-endian; 0 once it is used up. */
uint8_t take8(void);
uint16_t take16(void);
uint32_t take32(void);
uint64_t take64(void);

/* A trace line (VG_FUZZ_TRACE=1); a finding, which aborts. */
void note(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
_Noreturn void die(const char *fmt, ...)
    __attribute__((format(printf, 1, 2)));

#endif /* FUZZ_H */
