/*
 * ipc_fuzz: a libFuzzer target for messengers, IPC and the resumable
 * kernel (DESIGN.md sections 4 and 5), against the hosted core.
 *
 * Each input boots a fresh core, builds a small world (below) and reads
 * its bytes as a program: operations by simulated threads -- vg_ipc with
 * any flags, kernel method invocations, cancellation, data faults,
 * destruction of objects and folios, activation handling -- and
 * virtualizer steps, in which a process serving virtual cappages and
 * pagers answers the kernel's INDEX, STORE and FAULT requests correctly
 * or as badly as the input says (wrong capability, bad bit counts, void,
 * errors, twice, unasked, never).
 *
 * After every operation:
 *  - vg_check_invariants() (tests/support/invariants.c) must hold;
 *  - the message ledger must balance.  Every message a program sends
 *    gets a unique tag (in its data, and in the ledger), and must end up
 *    delivered exactly once, consumed by a kernel object or as an answer,
 *    failed with an error the sender is told of, gone with its destroyed
 *    messenger, or still be queued or suspended -- and a messenger busy
 *    with a program's message must have one the ledger knows.  Delivered
 *    data must be what the sender had, and what it had must not change
 *    unless someone wrote it.
 * A violation prints what broke and aborts; VG_FUZZ_TRACE=1 in the
 * environment prints every operation as it runs, which turns a crashing
 * input into a readable reproducer.
 *
 * The ledger hears of kernel events through the linker: the Makefile
 * links with --wrap so that the core's calls of msg_commit, messenger_send_to,
 * cont_answer, invoke_kernel and activation_post come through the
 * __wrap_ hooks here, which observe and call the real function.
 *
 * Destroyed objects must stay untouched: the frame of a messenger or
 * thread is fingerprinted when its destroy hook has run (object_destroy
 * is wrapped too) and checked at the end of the
 * operation; after that it is zeroed and must stay zero until the slot
 * holds an object again.  A kernel write through a dangling pointer shows
 * there.
 *
 * Known kernel bugs can be stepped around (see "guards" below) so that
 * the fuzzer looks further while they are open.
 *
 * The storage window is allocated once and reused (aligned_alloc and
 * free are wrapped too): a fresh multi-megabyte mapping per input costs
 * more than the input.  The frames an input used are zeroed before the
 * next boot, so every input starts from the same memory.
 *
 * Everything is decided by the input: no clock, no unseeded randomness.
 */
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <vg/addr.h>
#include <vg/cap.h>
#include <vg/error.h>
#include <vg/ipc.h>
#include <vg/message.h>
#include <vg/method.h>
#include <vg/types.h>
#include <vg/utcb.h>

#include "activation.h"
#include "activity.h"
#include "as.h"
#include "capops.h"
#include "cappage.h"
#include "continuation.h"
#include "fault.h"
#include "lifecycle.h"
#include "folio.h"
#include "hosted.h"
#include "invocation.h"
#include "invoke.h"
#include "methods.h"
#include "ipc.h"
#include "kernel.h"
#include "messenger.h"
#include "transfer.h"
#include "object.h"
#include "storage.h"
#include "thread.h"

#include "invariants.h"

/* The checks run after every operation and scan all of storage: they
 * are not what coverage feedback should be about. */
#define NO_COVERAGE __attribute__((no_sanitize("coverage")))

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* The hooks (see the top comment) and the functions they wrap. */
void __real_msg_commit(struct messenger *src, struct messenger *dst,
    uint32_t n, uint32_t cap_void);
void __wrap_msg_commit(struct messenger *src, struct messenger *dst,
    uint32_t n, uint32_t cap_void);
enum vg_err __real_messenger_send_to(struct messenger *m, vg_addr_t target,
    bool nonblocking);
enum vg_err __wrap_messenger_send_to(struct messenger *m, vg_addr_t target,
    bool nonblocking);
bool __real_cont_answer(struct messenger *from, struct messenger *m);
bool __wrap_cont_answer(struct messenger *from, struct messenger *m);
void __real_invoke_kernel(struct messenger *src, struct vg_cap target);
void __wrap_invoke_kernel(struct messenger *src, struct vg_cap target);
void __real_activation_post(struct messenger *m, uint32_t reason,
    enum vg_err err);
void __wrap_activation_post(struct messenger *m, uint32_t reason,
    enum vg_err err);
void __real_object_destroy(enum vg_type type, void *frame,
    struct folio **doomed);
void __wrap_object_destroy(enum vg_type type, void *frame,
    struct folio **doomed);
void *__real_aligned_alloc(size_t align, size_t size);
void *__wrap_aligned_alloc(size_t align, size_t size);
void __real_free(void *p);
void __wrap_free(void *p);

/* --- the world -------------------------------------------------------------
 *
 * NPROC processes, each a thread with a one-cappage address space, a
 * UTCB, four messengers and some pages, all in a folio of its own; and a
 * supervisor that is never destroyed and can restart threads.  Any
 * process can act as a virtualizer: its messenger 3 ("served") receives
 * the requests for the virtual levels that other spaces route to it, and
 * its backing cappage holds what a correct virtualizer answers with.
 */

#define CHUNKS		32
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
};

struct proc {
	struct vg_cap folio;
	struct vg_cap obj[OBJ_STD];
};

/* What a standard messenger last received (the served one's requests). */
struct rx {
	uint32_t seq;
	uint32_t kind;		/* RX_* */
	uint64_t word[4];
	uint32_t len;
	uint32_t ncaps;
};

enum { RX_USER, RX_REQUEST, RX_REPLY };

/* The fates of a message a program sent. */
enum fate {
	F_PENDING,	/* queued, or its transfer is under way */
	F_DELIVERED,
	F_INVOKED,	/* consumed by a kernel object's method */
	F_ANSWERED,	/* consumed as an answer to a request */
	F_FAILED,	/* vg_ipc returned the error */
	F_ERROR,	/* an error activation told the sender */
	F_DESTROYED,	/* its messenger was destroyed */
	F_COUNT
};

static const char *const fate_name[F_COUNT] = {
	"pending", "delivered", "invoked", "answered", "failed",
	"error-activation", "destroyed",
};

struct sent {
	uint32_t tag;
	uint32_t oid, version;	/* the messenger that carries it */
	int tagpos;		/* the data word holding the tag, or -1 */
	bool inline_msg;	/* inline: nobody can change it after sending */
	uint32_t page;		/* else its buffer page's oid (or ~0) */
	uint32_t page_gen;	/* ... and the page's write generation */
	uint32_t epoch;
	uint64_t sum;		/* the message as the kernel saw it */
	uint8_t fate;
	uint8_t err;
};

#define TAG_MAGIC	UINT64_C(0x7a67000000000000)

static struct {
	const uint8_t *p;
	size_t n;
} in;

static struct kernel_roots roots;
static struct activity *root_activity;
static struct proc procs[NTHREADS];
static struct rx rx[NPROC][NMSGR];
static uint32_t rx_seen[NPROC];
static struct sent sent[MAX_SENDS];
static unsigned nsent;
static uint32_t next_tag;
static unsigned opno;
static bool trace;

/* The send that the next messenger_send_to belongs to. */
static struct {
	bool on;
	uint32_t tag;
	int tagpos;
} armed;

/* Writes to pages: per-frame generations, and an epoch for writes whose
 * page we do not track (a method that zeroes or creates objects). */
static uint32_t page_gen[NFRAMES];
static uint32_t epoch;

/* UTCB frames written by activations during the commit in progress. */
static struct {
	bool on;
	unsigned n;
	const void *frame[16];
} commit_probe;

static uint64_t stats[F_COUNT];

/* Objects destroyed during this operation, as their destroy hook left
 * them; and the dead frames that were zeroed and must stay so. */
#define MAX_DEAD	1024
static struct {
	uint32_t oid;
	uint64_t sum;
} dead[MAX_DEAD];
static unsigned ndead;
static uint8_t poisoned[NFRAMES];
static uint32_t poisoned_list[MAX_DEAD];
static unsigned npoisoned;

/* The frame of F's slot I (folio_object_frame, without a call into the
 * instrumented core from the scans below). */
static inline void *
slot_frame(const struct folio *f, unsigned i)
{
	return storage_frame(storage_oid(f) + 1 + i);
}

/*
 * Guards step around known kernel bugs so that the fuzzer can look
 * further while they are open.  Each has a reproducer in fuzz/crashes/
 * named after it.  All three are fixed now, so every guard is off by
 * default; VG_FUZZ_NO_GUARDS keeps its meaning (turn off all of them,
 * "1", or those it names, "rebind,destroy"), and VG_FUZZ_GUARDS=1 turns
 * them all back on.
 */
enum guard {
	G_KREPLY_STORE = 1u << 0,	/* kreply-store-loses-reply */
	G_DESTROY = 1u << 1,		/* destroy-queued-virtualizer */
	G_REBIND = 1u << 2,		/* rebind-drops-activation */
};

static const struct {
	const char *name;
	unsigned bit;
} guard_names[] = {
	{ "kreply-store", G_KREPLY_STORE },
	{ "destroy", G_DESTROY },
	{ "rebind", G_REBIND },
};

static unsigned guards = ~0u;

static unsigned
guards_from_env(const char *off)
{
	unsigned g = ~0u;
	size_t i;

	if (off == NULL)
		return getenv("VG_FUZZ_GUARDS") != NULL ? g : 0;
	for (i = 0; i < sizeof(guard_names) / sizeof(guard_names[0]); i++) {
		if (strstr(off, guard_names[i].name) != NULL)
			g &= ~guard_names[i].bit;
	}
	return g == ~0u ? 0 : g;	/* named none: all off */
}

/* fuzz/crashes/kreply-store-loses-reply: delivering a STORE request
 * clears the carrier's MSGR_KMSG too, so a kernel reply whose delivery
 * suspended is replaced by the carrier's own message.  The guard puts
 * the flag back, as the fix would. */
static bool
guard_keep_kmsg(uint32_t kflags)
{
	return (guards & G_KREPLY_STORE) && (kflags & MSGR_KREQ) &&
	    (kflags & MSGR_KMSG);
}

/* fuzz/crashes/destroy-queued-virtualizer: destroying a messenger that
 * has askers and is itself queued as a sender starts its own delivery
 * in the middle of its destruction (aborting an asker re-opens the
 * receiver it is queued on), and leaves links to it behind.  The guard
 * cancels such a messenger's send before anything is destroyed. */
NO_COVERAGE
static void
guard_destroy(void)
{
	uint32_t chunk, i;

	if (!(guards & G_DESTROY))
		return;
	for (chunk = 0; chunk < storage_nchunks; chunk++) {
		struct folio *f = storage_frame(chunk * FOLIO_FRAMES);

		for (i = 0; f->in_use && i < VG_FOLIO_OBJECTS; i++) {
			struct messenger *m = slot_frame(f, i);

			if (f->object[i].type == VG_TYPE_MESSENGER &&
			    m->target != NULL && m->askers_head != NULL)
				(void)messenger_cancel(m, VG_ERR_CANCELED);
		}
	}
}

/* --- reading the input ---------------------------------------------------- */

static uint8_t
take8(void)
{
	if (in.n == 0)
		return 0;
	in.n--;
	return *in.p++;
}

static uint16_t
take16(void)
{
	uint16_t lo = take8();

	return (uint16_t)(lo | (uint16_t)take8() << 8);
}

static uint32_t
take32(void)
{
	uint32_t lo = take16();

	return lo | (uint32_t)take16() << 16;
}

static uint64_t
take64(void)
{
	uint64_t lo = take32();

	return lo | (uint64_t)take32() << 32;
}

/* --- reporting ------------------------------------------------------------ */

static void note(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static _Noreturn void die(const char *fmt, ...)
    __attribute__((format(printf, 1, 2)));

static void
note(const char *fmt, ...)
{
	va_list ap;

	if (!trace)
		return;
	va_start(ap, fmt);
	fprintf(stderr, "  [%u] ", opno);
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
	va_end(ap);
}

static void
die(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	fprintf(stderr, "ipc_fuzz: FINDING at operation %u: ", opno);
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
	va_end(ap);
	fprintf(stderr, "ipc_fuzz: rerun the input with VG_FUZZ_TRACE=1 for "
	    "the operations that led here\n");
	fflush(stderr);
	abort();
}

/* --- objects -------------------------------------------------------------- */

static uint32_t
oid_of(const void *frame)
{
	return storage_oid(frame);
}

static void *
obj(int p, int idx)
{
	return object_lookup(&procs[p].obj[idx]);
}

static struct messenger *
msgr(int p, int i)
{
	return obj(p, OBJ_MSGR + i);
}

static struct thread *
thread_of(int p)
{
	return obj(p, OBJ_THREAD);
}

static struct cappage *
space_of(int p)
{
	return obj(p, OBJ_SPACE);
}

/* CAP if it designates an object now, else void. */
static struct vg_cap
cur(struct vg_cap cap)
{
	return object_lookup(&cap) != NULL ? cap : VG_CAP_VOID;
}

static struct vg_cap
weak(struct vg_cap cap)
{
	return cap_weaken(cur(cap));
}

static struct vg_cap
guarded(struct vg_cap cap, uint32_t guard, unsigned depth)
{
	cap.guard = guard;
	cap.guard_depth = (uint8_t)depth;
	return cap;
}

static struct vg_cap
std_cap(int p, int idx)
{
	return cur(procs[p].obj[idx]);
}

/* The thread of P if it exists and runs (only running threads make
 * system calls or fault). */
static struct thread *
runnable(int p)
{
	struct thread *t = thread_of(p);

	return t != NULL && t->state == VG_THREAD_RUNNABLE ? t : NULL;
}

static void
bump_frame(const void *frame)
{
	uint32_t oid;

	if (frame == NULL)
		return;
	oid = oid_of(frame);
	if (oid < NFRAMES)
		page_gen[oid]++;
}

static struct vg_utcb *
utcb_of_thread(struct thread *t)
{
	const struct vg_cap *c = &t->slot[VG_THREAD_SLOT_UTCB];

	return c->type == VG_TYPE_PAGE ? object_lookup(c) : NULL;
}

/* The strong messenger ADDR names in T's space, as its program knows. */
static struct messenger *
resolve_msgr(struct thread *t, vg_addr_t addr)
{
	struct as_result r = as_lookup_object(&t->slot[VG_THREAD_SLOT_ASPACE],
	    addr, VG_TYPE_MESSENGER);

	return r.err == VG_OK ? object_lookup(&r.cap) : NULL;
}

/* --- building the world --------------------------------------------------- */

static const uint8_t std_type[OBJ_STD] = {
	[OBJ_SPACE] = VG_TYPE_CAPPAGE,
	[OBJ_THREAD] = VG_TYPE_THREAD,
	[OBJ_UTCB] = VG_TYPE_PAGE,
	[OBJ_MSGR] = VG_TYPE_MESSENGER,
	[OBJ_MSGR + 1] = VG_TYPE_MESSENGER,
	[OBJ_MSGR + 2] = VG_TYPE_MESSENGER,
	[OBJ_MSGR + 3] = VG_TYPE_MESSENGER,
	[OBJ_BUF] = VG_TYPE_PAGE,
	[OBJ_BUF + 1] = VG_TYPE_PAGE,
	[OBJ_BUF + 2] = VG_TYPE_PAGE,
	[OBJ_BUF + 3] = VG_TYPE_PAGE,
	[OBJ_PAGE] = VG_TYPE_PAGE,
	[OBJ_PAGE + 1] = VG_TYPE_PAGE,
	[OBJ_PAGE + 2] = VG_TYPE_PAGE,
	[OBJ_PAGE + 3] = VG_TYPE_PAGE,
	[OBJ_INNER] = VG_TYPE_CAPPAGE,
	[OBJ_BACKING] = VG_TYPE_CAPPAGE,
};

/* The supervisor has only its space, thread, UTCB and one messenger. */
static int
nstd(int p)
{
	return p == SUPER ? OBJ_MSGR + 1 : OBJ_STD;
}

/* The capabilities in P's space, inner and backing cappages. */
static void
fill_space(int p)
{
	struct cappage *sp = space_of(p);
	struct cappage *inner = obj(p, OBJ_INNER);
	struct cappage *back = obj(p, OBJ_BACKING);
	int q, i;

	if (sp == NULL)
		return;
	sp->slot[SL_SPACE] = std_cap(p, OBJ_SPACE);
	sp->slot[SL_THREAD] = std_cap(p, OBJ_THREAD);
	sp->slot[SL_FOLIO] = cur(procs[p].folio);
	sp->slot[SL_UTCB] = std_cap(p, OBJ_UTCB);
	if (p == SUPER) {
		sp->slot[SL_MSGR] = std_cap(p, OBJ_MSGR);
		for (q = 0; q < NPROC; q++)
			sp->slot[SL_THREADS + q] = std_cap(q, OBJ_THREAD);
		return;
	}
	for (i = 0; i < NMSGR; i++)
		sp->slot[SL_MSGR + i] = std_cap(p, OBJ_MSGR + i);
	for (q = 0; q < NPROC; q++) {
		for (i = 0; i < NMSGR; i++)
			sp->slot[SL_RIGHT + 4 * q + i] =
			    weak(procs[q].obj[OBJ_MSGR + i]);
		sp->slot[SL_VIRT + q] = weak(procs[q].obj[OBJ_MSGR + M_SERVED]);
	}
	for (i = 0; i < NPAGE; i++)
		sp->slot[SL_PAGE + i] = std_cap(p, OBJ_PAGE + i);
	sp->slot[SL_INNER] = std_cap(p, OBJ_INNER);
	sp->slot[SL_RINNER] = weak(procs[p].obj[OBJ_INNER]);
	sp->slot[SL_BACKING] = std_cap(p, OBJ_BACKING);
	sp->slot[SL_VIRT_GUARDED] = guarded(weak(procs[(p + 1) % NPROC].obj[
	    OBJ_MSGR + M_SERVED]), 5, 4);
	sp->slot[SL_DATA_DIRECT] = guarded(std_cap(p, OBJ_PAGE), 0, 44);
	sp->slot[SL_DATA_VIRT] = weak(procs[(p + 2) % NPROC].obj[
	    OBJ_MSGR + M_SERVED]);
	sp->slot[SL_DATA_INNER] = guarded(std_cap(p, OBJ_INNER), 0, 28);
	/* Strong caps to everyone's messengers: cooperating processes (or
	 * a confused one) rebind, block, cancel each other's. */
	for (q = 0; q < NPROC; q++) {
		for (i = 0; i < NMSGR; i++)
			sp->slot[SL_OTHERS + 4 * q + i] =
			    std_cap(q, OBJ_MSGR + i);
	}

	if (inner != NULL) {
		for (i = 0; i < NPAGE; i++) {
			inner->slot[i] = std_cap(p, OBJ_PAGE + i);
			inner->slot[4 + i] = guarded(std_cap(p, OBJ_PAGE + i),
			    0, 8);
		}
		for (q = 0; q < NPROC; q++) {
			inner->slot[8 + q] = std_cap(q, OBJ_MSGR + M_SERVED);
			inner->slot[12 + q] =
			    weak(procs[q].obj[OBJ_MSGR + M_SERVED]);
		}
		inner->slot[16] = std_cap(p, OBJ_INNER);
		inner->slot[17] = std_cap(p, OBJ_THREAD);
	}
	if (back != NULL) {
		for (q = 0; q < NPROC; q++) {
			for (i = 0; i < NMSGR; i++)
				back->slot[4 * q + i] =
				    weak(procs[q].obj[OBJ_MSGR + i]);
			back->slot[21 + q] =
			    weak(procs[q].obj[OBJ_MSGR + M_SERVED]);
		}
		for (i = 0; i < NPAGE; i++)
			back->slot[16 + i] = std_cap(p, OBJ_PAGE + i);
		back->slot[20] = std_cap(p, OBJ_INNER);
		back->slot[25] = std_cap(p, OBJ_THREAD);
		back->slot[26] = cur(procs[p].folio);
		back->slot[27] = std_cap(p, OBJ_BACKING);
		cache_object_changed(back);
	}
	/* Written behind the kernel's back: tell it (as.h). */
	cache_object_changed(sp);
	if (inner != NULL)
		cache_object_changed(inner);
}

/* P's thread and messengers name its current objects. */
static void
bind_proc(int p)
{
	struct thread *t = thread_of(p);
	int i;

	if (t != NULL) {
		t->slot[VG_THREAD_SLOT_ASPACE] = std_cap(p, OBJ_SPACE);
		t->slot[VG_THREAD_SLOT_UTCB] = std_cap(p, OBJ_UTCB);
		t->slot[VG_THREAD_SLOT_EXCEPTION] = p == SUPER ? VG_CAP_VOID :
		    std_cap(p, OBJ_MSGR + M_EXCEPTION);
	}
	for (i = 0; i < (p == SUPER ? 1 : NMSGR); i++) {
		struct messenger *m = msgr(p, i);

		if (m == NULL)
			continue;
		m->slot[VG_MESSENGER_SLOT_THREAD] = std_cap(p, OBJ_THREAD);
		m->slot[VG_MESSENGER_SLOT_ASPACE] = std_cap(p, OBJ_SPACE);
		m->slot[VG_MESSENGER_SLOT_BUFFER] = p == SUPER ||
		    i == M_INLINE ? VG_CAP_VOID : std_cap(p, OBJ_BUF + i);
		/* Written behind the kernel's back: tell it, as every store
		 * in the kernel does (as.h), or its caches go stale. */
		cache_object_changed(m);
	}
	if (t != NULL)
		cache_object_changed(t);
}

/*
 * (Re)create whatever of P's standard objects no longer exists -- its
 * folio too, if that was freed -- as a supervisor restarting a process
 * would.  False if there is no storage left.
 */
static bool
repair(int p)
{
	struct proc *pr = &procs[p];
	struct folio *f = object_lookup(&pr->folio);
	int idx;

	if (f == NULL) {
		struct folio_ret r = folio_alloc(root_activity);

		if (r.err != VG_OK)
			return false;
		pr->folio = r.cap;
		f = object_lookup(&r.cap);
	}
	epoch++;	/* new objects are zeroed frames */
	for (idx = 0; idx < nstd(p); idx++) {
		struct folio_ret r;

		if (object_lookup(&pr->obj[idx]) != NULL)
			continue;
		r = folio_object_alloc(f, (unsigned)idx,
		    (enum vg_type)std_type[idx]);
		if (r.err != VG_OK)
			die("repair: folio_object_alloc: %d", r.err);
		pr->obj[idx] = r.cap;
		if (idx == OBJ_THREAD) {
			struct thread *t = object_lookup(&r.cap);

			t->handler_ip = 0x1000;
			t->handler_sp = 0x2000 + (uint64_t)p;
			thread_set_state(t, VG_THREAD_RUNNABLE);
		}
		if (idx >= OBJ_MSGR && idx < OBJ_MSGR + NMSGR) {
			struct messenger *m = object_lookup(&r.cap);

			m->id = (uint64_t)p << 8 | (uint64_t)(idx - OBJ_MSGR);
		}
	}
	bind_proc(p);
	return true;
}

static void
link_all(void)
{
	int p;

	for (p = 0; p < NTHREADS; p++)
		fill_space(p);
}

/* --- the ledger ----------------------------------------------------------- */

NO_COVERAGE
static uint64_t
fnv(uint64_t h, const void *p, size_t n)
{
	const uint8_t *b = p;
	size_t i;

	for (i = 0; i < n; i++)
		h = (h ^ b[i]) * UINT64_C(0x100000001b3);
	return h;
}

NO_COVERAGE
static uint64_t
source_sum(const struct msg_source *s)
{
	uint64_t h = UINT64_C(0xcbf29ce484222325);
	uint32_t i;

	h = fnv(h, &s->ncaps, sizeof(s->ncaps));
	h = fnv(h, &s->len, sizeof(s->len));
	if (s->values == NULL) {
		for (i = 0; i < s->ncaps; i++)
			h = fnv(h, &s->addr[i], sizeof(s->addr[i]));
	}
	if (s->data != NULL)
		h = fnv(h, s->data, s->len);
	return h;
}

NO_COVERAGE
static bool
is_user_phase(const struct messenger *m)
{
	return m->cont.phase == CONT_TARGET ||
	    m->cont.phase == CONT_DELIVERY;
}

/* M is busy with a program's message (not a kernel reply or request). */
NO_COVERAGE
static bool
user_busy(const struct messenger *m)
{
	if (m->kflags & MSGR_KMSG)
		return false;
	return (m->target != NULL && !(m->kflags & MSGR_KREQ)) ||
	    is_user_phase(m);
}

/* The pending message M carries, if any. */
NO_COVERAGE
static struct sent *
outstanding(const struct messenger *m)
{
	struct vg_cap cap = object_cap_of(m);
	unsigned i;

	for (i = 0; i < nsent; i++) {
		if (sent[i].fate == F_PENDING && sent[i].oid == cap.oid &&
		    sent[i].version == cap.version)
			return &sent[i];
	}
	return NULL;
}

static void
settle(struct sent *s, enum fate fate, int err)
{
	s->fate = (uint8_t)fate;
	s->err = (uint8_t)err;
	stats[fate]++;
}

/* M's page, and that page's write generation, as the ledger tracks it. */
static uint32_t
page_of(struct messenger *m)
{
	struct vg_message *page = m->send_inline ? NULL :
	    msg_buffer_page(m, false);

	return page == NULL ? UINT32_MAX : oid_of(page);
}

static uint32_t
gen_of(uint32_t oid)
{
	return oid < NFRAMES ? page_gen[oid] : 0;
}

/* Whether S's message can have changed since it was sent. */
static bool
may_have_changed(const struct sent *s, struct messenger *m)
{
	uint32_t page;

	if (s->inline_msg)
		return false;
	page = page_of(m);
	return page != s->page || gen_of(page) != s->page_gen ||
	    epoch != s->epoch;
}

/* A destroyed messenger's pending message is gone with it. */
NO_COVERAGE
static void
settle_destroyed(void)
{
	unsigned i;

	for (i = 0; i < nsent; i++) {
		struct sent *s = &sent[i];
		struct vg_cap cap = { .oid = s->oid, .version = s->version,
		    .type = VG_TYPE_MESSENGER };

		if (s->fate == F_PENDING && object_lookup(&cap) == NULL)
			settle(s, F_DESTROYED, 0);
	}
}

/* True if M is on the wait queue of its target. */
NO_COVERAGE
static bool
found_on_queue(const struct messenger *m)
{
	const struct messenger *s;
	unsigned n = 0;

	for (s = m->target->wait_head; s != NULL && n < NFRAMES;
	    s = s->wait_next, n++) {
		if (s == m)
			return true;
	}
	return false;
}

/* Every message is accounted for, and every busy messenger's is known. */
NO_COVERAGE
static void
ledger_balance(void)
{
	uint32_t chunk, i;

	settle_destroyed();
	for (i = 0; i < nsent; i++) {
		struct sent *s = &sent[i];
		struct vg_cap cap = { .oid = s->oid, .version = s->version,
		    .type = VG_TYPE_MESSENGER };
		struct messenger *m;

		if (s->fate != F_PENDING)
			continue;
		m = object_lookup(&cap);
		if (!user_busy(m))
			die("message tag %u of messenger %u is lost: the "
			    "messenger is not busy with it (target %u, phase "
			    "%u, awaiting %u, kflags %#x) and its sender was "
			    "never told", s->tag, s->oid,
			    m->target ? oid_of(m->target) : 0, m->cont.phase,
			    m->cont.awaiting, m->kflags);
		if (m->target != NULL && !(m->kflags & MSGR_KREQ) &&
		    !found_on_queue(m))
			die("message tag %u of messenger %u: queued on %u but "
			    "not found on its wait queue", s->tag, s->oid,
			    oid_of(m->target));
	}
	for (chunk = 0; chunk < storage_nchunks; chunk++) {
		struct folio *f = storage_frame(chunk * FOLIO_FRAMES);

		if (!f->in_use)
			continue;
		for (i = 0; i < VG_FOLIO_OBJECTS; i++) {
			struct messenger *m;

			if (f->object[i].type != VG_TYPE_MESSENGER)
				continue;
			m = slot_frame(f, i);
			if (user_busy(m) && outstanding(m) == NULL)
				die("messenger %u is busy with a program's "
				    "message (target %u, phase %u) that was "
				    "never sent or was already accounted for",
				    oid_of(m), m->target ? oid_of(m->target) :
				    0, m->cont.phase);
		}
	}
}

/* A send is starting: M's message joins the ledger. */
static struct sent *
ledger_open(struct messenger *m)
{
	struct sent *old = outstanding(m);
	struct msg_source src;
	struct sent *s;

	if (old != NULL)
		die("messenger %u accepted a new send while its message tag %u "
		    "is still unaccounted for", oid_of(m), old->tag);
	if (!armed.on)
		die("messenger_send_to without a vg_ipc send by the fuzzer");
	if (nsent == MAX_SENDS)
		die("ledger full (MAX_SENDS too small)");
	s = &sent[nsent++];
	msg_source_of(m, &src);
	*s = (struct sent){
		.tag = armed.tag,
		.oid = oid_of(m),
		.version = object_cap_of(m).version,
		.tagpos = armed.tagpos,
		.inline_msg = m->send_inline != 0,
		.page = page_of(m),
		.epoch = epoch,
		.sum = source_sum(&src),
		.fate = F_PENDING,
	};
	s->page_gen = gen_of(s->page);
	/* The program wrote the tag, but a receive in the same vg_ipc may
	 * have overwritten its page since: then only the ledger knows it. */
	if (s->tagpos >= 0) {
		uint64_t w = 0;

		if (src.data != NULL &&
		    (uint32_t)(s->tagpos + 1) * 8 <= src.len)
			memcpy(&w, src.data + s->tagpos * 8, sizeof(w));
		if (w != (TAG_MAGIC | s->tag))
			s->tagpos = -1;
	}
	armed.on = false;
	return s;
}

/* --- the hooks ------------------------------------------------------------ */

enum vg_err
__wrap_messenger_send_to(struct messenger *m, vg_addr_t target, bool nonblocking)
{
	struct sent *s = ledger_open(m);
	unsigned idx = (unsigned)(s - sent);
	enum vg_err err = __real_messenger_send_to(m, target, nonblocking);

	s = &sent[idx];
	if (err != VG_OK) {
		if (s->fate != F_PENDING)
			die("vg_ipc returned error %d for message tag %u, which "
			    "was also %s", err, s->tag, fate_name[s->fate]);
		settle(s, F_FAILED, err);
	}
	return err;
}

void
__wrap_invoke_kernel(struct messenger *src, struct vg_cap target)
{
	struct sent *s = outstanding(src);
	struct msg_source m;
	uint64_t method = 0;

	if (s == NULL)
		die("messenger %u invoked object %u with a message nobody sent",
		    oid_of(src), target.oid);
	msg_source_of(src, &m);
	if (m.len >= 8)
		memcpy(&method, m.data, sizeof(method));
	/* Methods that write pages we do not follow one by one. */
	if (method == VG_METHOD_OBJECT_DISCARD ||
	    method == VG_METHOD_FOLIO_OBJECT_ALLOC ||
	    method == VG_METHOD_FOLIO_FREE ||
	    method == VG_METHOD_THREAD_ACTIVATION_COLLECT)
		epoch++;
	if (method == VG_METHOD_FOLIO_OBJECT_ALLOC ||
	    method == VG_METHOD_FOLIO_FREE)
		guard_destroy();
	settle(s, F_INVOKED, 0);
	__real_invoke_kernel(src, target);
}

bool
__wrap_cont_answer(struct messenger *from, struct messenger *m)
{
	bool user = !(from->kflags & (MSGR_KMSG | MSGR_KREQ));
	struct sent *s = user ? outstanding(from) : NULL;
	unsigned idx = s != NULL ? (unsigned)(s - sent) : 0;
	bool taken = __real_cont_answer(from, m);

	if (!taken)
		return false;
	if (!user)
		die("a kernel %s carried by %u was taken as the answer for %u",
		    (from->kflags & MSGR_KREQ) ? "request" : "reply",
		    oid_of(from), oid_of(m));
	if (s == NULL)
		die("messenger %u answered %u with a message nobody sent",
		    oid_of(from), oid_of(m));
	s = &sent[idx];
	if (s->fate != F_PENDING)
		die("message tag %u was taken as an answer but was already %s",
		    s->tag, fate_name[s->fate]);
	settle(s, F_ANSWERED, 0);
	return true;
}

void
__wrap_activation_post(struct messenger *m, uint32_t reason,
    enum vg_err err)
{
	struct thread *t = thread_lookup(&m->slot[VG_MESSENGER_SLOT_THREAD]);

	/* A pending activation is never dropped while its messenger and a
	 * thread to tell live: if the messenger now names another thread,
	 * the event moves with it (checked after the call).  Found as
	 * fuzz/crashes/rebind-drops-activation; the guard skips the check. */
	uint32_t moved = 0;

	if (!(guards & G_REBIND) && t != NULL && m->act_thread != NULL &&
	    m->act_thread != t)
		moved = m->act_reason;

	/* An activation writes its thread's UTCB (this one's or, queued
	 * behind, an older one's: the same page). */
	if (t != NULL) {
		struct vg_utcb *u = utcb_of_thread(t);

		bump_frame(u);
		if (commit_probe.on && u != NULL && commit_probe.n < 16)
			commit_probe.frame[commit_probe.n++] = u;
	}
	if ((reason & VG_ACTIVATION_ERROR) && !(reason & VG_ACTIVATION_FAULT)) {
		struct sent *s = outstanding(m);

		if (s != NULL)
			settle(s, F_ERROR, err);
	}
	__real_activation_post(m, reason, err);
	if (moved != 0) {
		struct vg_utcb *u = utcb_of_thread(t);
		bool kept = (m->act_thread == t &&
		    (m->act_reason & moved) == moved) ||
		    (u != NULL && u->messenger_id == m->id &&
		    (u->reason & moved) == moved);

		if (!kept)
			die("messenger %u's pending activation (reasons %#x) "
			    "was dropped when it moved to thread %u",
			    oid_of(m), moved, oid_of(t));
	}
}

/* Where msg_commit put what DST received: its page, or NULL for the
 * inline area. */
static struct vg_message *
received_page(struct messenger *dst)
{
	if (dst->flags & VG_MESSENGER_RECEIVE_INLINE)
		return NULL;
	return msg_buffer_page(dst, true);
}

NO_COVERAGE
static void
record_rx(struct messenger *dst, uint32_t kind, const uint8_t *data,
    uint32_t len, uint32_t n)
{
	int p, i;

	for (p = 0; p < NPROC; p++) {
		for (i = 0; i < NMSGR; i++) {
			struct rx *r = &rx[p][i];

			if (msgr(p, i) != dst)
				continue;
			r->seq++;
			r->kind = kind;
			memset(r->word, 0, sizeof(r->word));
			memcpy(r->word, data, len < sizeof(r->word) ? len :
			    sizeof(r->word));
			r->len = len;
			r->ncaps = n;
		}
	}
}

void
__wrap_msg_commit(struct messenger *src, struct messenger *dst, uint32_t n,
    uint32_t cap_void)
{
	uint32_t kflags = src->kflags;
	struct msg_source s;
	uint8_t before[64];
	uint32_t blen, glen, want, cap, i;
	uint64_t sum;
	const uint8_t *got;
	struct vg_message *page;
	bool aliased = false;
	struct sent *rec = NULL;

	msg_source_of(src, &s);
	blen = s.len < sizeof(before) ? s.len : (uint32_t)sizeof(before);
	if (s.data != NULL)
		memcpy(before, s.data, blen);
	else
		blen = 0;
	sum = source_sum(&s);
	if (!(kflags & (MSGR_KMSG | MSGR_KREQ))) {
		rec = outstanding(src);
		if (rec == NULL)
			die("messenger %u delivered a message to %u that was "
			    "never sent or was already accounted for",
			    oid_of(src), oid_of(dst));
		if (!may_have_changed(rec, src) && sum != rec->sum)
			die("message tag %u of messenger %u changed between "
			    "its send and its delivery, and nobody wrote it",
			    rec->tag, rec->oid);
		if (!may_have_changed(rec, src) && rec->tagpos >= 0 &&
		    (uint32_t)(rec->tagpos + 1) * 8 <= blen) {
			uint64_t w;

			memcpy(&w, before + rec->tagpos * 8, sizeof(w));
			if (w != (TAG_MAGIC | rec->tag))
				die("message tag %u of messenger %u carries "
				    "word %#llx where its tag was", rec->tag,
				    rec->oid, (unsigned long long)w);
		}
		settle(rec, F_DELIVERED, 0);
	}

	commit_probe.on = true;
	commit_probe.n = 0;
	__real_msg_commit(src, dst, n, cap_void);
	commit_probe.on = false;
	if (guard_keep_kmsg(kflags))
		src->kflags |= MSGR_KMSG;

	if (n > VG_MESSAGE_CAPS_MAX ||
	    (n < 32 && (cap_void >> n) != 0))
		die("delivery to %u: %u capabilities, void mask %#x",
		    oid_of(dst), n, cap_void);
	page = received_page(dst);
	if (page != NULL) {
		got = (const uint8_t *)&page->caps[n];
		glen = page->data_count;
		cap = vg_message_data_max(n);
	} else {
		got = (const uint8_t *)dst->inline_words;
		glen = (uint32_t)dst->inline_nwords * 8;
		cap = VG_INLINE_WORDS * 8;
	}
	want = s.len < cap ? s.len : cap;
	/* An activation during the commit may have written the page, if it
	 * is also a UTCB. */
	for (i = 0; i < commit_probe.n; i++)
		aliased |= commit_probe.frame[i] == (const void *)page;
	if (!aliased) {
		if (page != NULL && page->cap_count != n)
			die("delivery to %u: %u capabilities arrived, the page "
			    "says %u", oid_of(dst), n, page->cap_count);
		if (glen < want || (page != NULL && glen != want))
			die("delivery from %u to %u: %u bytes sent, %u fit, %u "
			    "arrived", oid_of(src), oid_of(dst), s.len, want,
			    glen);
		if (memcmp(got, before, want < blen ? want : blen) != 0)
			die("delivery from %u to %u: the data that arrived is "
			    "not what was sent", oid_of(src), oid_of(dst));
	}
	bump_frame(page);

	if (kflags & MSGR_KREQ) {
		uint64_t w0 = 0;

		memcpy(&w0, before, blen >= 8 ? 8 : 0);
		if (s.len < 16 || (w0 != VG_METHOD_INDEX &&
		    w0 != VG_METHOD_STORE && w0 != VG_METHOD_FAULT))
			die("a kernel request from %u to %u is malformed "
			    "(%u bytes, method %#llx)", oid_of(src),
			    oid_of(dst), s.len, (unsigned long long)w0);
		record_rx(dst, RX_REQUEST, before, blen, n);
	} else if (kflags & MSGR_KMSG) {
		uint64_t w0 = 0;

		memcpy(&w0, before, blen >= 8 ? 8 : 0);
		if (s.len < 8 || w0 >= VG_ERR_COUNT)
			die("a kernel reply from %u to %u has error word %#llx",
			    oid_of(src), oid_of(dst), (unsigned long long)w0);
		record_rx(dst, RX_REPLY, before, blen, n);
	} else {
		record_rx(dst, RX_USER, before, blen, n);
	}
}

NO_COVERAGE
static void
note_dead(void *frame)
{
	if (ndead == MAX_DEAD)
		return;
	dead[ndead].oid = oid_of(frame);
	dead[ndead].sum = fnv(UINT64_C(0xcbf29ce484222325), frame, FRAME_SIZE);
	ndead++;
}

void
__wrap_object_destroy(enum vg_type type, void *frame, struct folio **doomed)
{
	__real_object_destroy(type, frame, doomed);
	if (type == VG_TYPE_MESSENGER || type == VG_TYPE_THREAD)
		note_dead(frame);
}

/* True if frame OID holds no object now. */
NO_COVERAGE
static bool
frame_dead(uint32_t oid)
{
	struct folio *f = storage_owner(oid);
	int i = storage_owner_index(oid);

	return i >= 0 && (!f->in_use || f->object[i].type == VG_TYPE_VOID);
}

/* Nothing wrote a destroyed messenger or thread (the objects kernel
 * pointers lead to): during the operation that destroyed it, or since. */
NO_COVERAGE
static void
check_dead(void)
{
	static const uint8_t zero[FRAME_SIZE];
	unsigned d, n;

	for (d = 0; d < ndead; d++) {
		uint32_t oid = dead[d].oid;

		if (!frame_dead(oid))
			continue;	/* already reused */
		if (fnv(UINT64_C(0xcbf29ce484222325), storage_frame(oid),
		    FRAME_SIZE) != dead[d].sum)
			die("frame %u was written after its object was "
			    "destroyed", oid);
		if (!poisoned[oid] && npoisoned < MAX_DEAD) {
			poisoned[oid] = 1;
			poisoned_list[npoisoned++] = oid;
		}
		memset(storage_frame(oid), 0, FRAME_SIZE);
	}
	ndead = 0;
	for (d = n = 0; d < npoisoned; d++) {
		uint32_t oid = poisoned_list[d];

		if (!frame_dead(oid)) {
			poisoned[oid] = 0;
			continue;
		}
		if (memcmp(storage_frame(oid), zero, FRAME_SIZE) != 0)
			die("the frame of destroyed object %u was written",
			    oid);
		poisoned_list[n++] = oid;
	}
	npoisoned = n;
}

/* --- choosing addresses --------------------------------------------------- */

static vg_addr_t
slot_addr(unsigned i)
{
	return vg_addr(i, 8);
}

/* A data address: the direct page, the virtualized pager, the inner
 * cappage's pages and levels, or anything. */
static uint64_t
pick_vaddr(void)
{
	uint8_t k = take8(), y = take8(), z = take8();
	uint64_t off = take16() & 0xfff;

	switch (k % 5) {
	case 0:
		return (uint64_t)SL_DATA_DIRECT << 56 | off;
	case 1:
		return (uint64_t)SL_DATA_VIRT << 56 |
		    (take64() & ((UINT64_C(1) << 44) - 1)) << 12 | off;
	case 2:
		return (uint64_t)SL_DATA_INNER << 56 | (uint64_t)y << 20 |
		    (uint64_t)z << 12 | off;
	case 3:
		/* Through the inner cappage's virtual levels. */
		return (uint64_t)SL_DATA_INNER << 56 |
		    (uint64_t)(12 + y % 4) << 20 | (uint64_t)z << 12 | off;
	default:
		return take64();
	}
}

/* An address in a process's space: one of the interesting ones, or raw. */
static vg_addr_t
pick_addr(void)
{
	uint8_t k = take8(), x = take8();

	switch (k % 19) {
	case 0:
		return slot_addr(x < 200 ? SL_MSGR + x % NMSGR :
		    SL_OTHERS + x % 16);
	case 1:
		return slot_addr(SL_RIGHT + x % 16);
	case 2:
		return slot_addr(x % 48);
	case 3:
		return slot_addr(SL_RECV + x % 34);
	case 4:		/* a virtual level: INDEX or STORE with 8 bits left */
		return vg_addr((uint64_t)(SL_VIRT + x % 4) << 8 | take8(), 16);
	case 5:		/* ... with 16 bits left (nesting) */
		return vg_addr((uint64_t)(SL_VIRT + x % 4) << 16 | take16(), 24);
	case 6:		/* behind a guard */
		return vg_addr((uint64_t)((SL_VIRT_GUARDED << 4) | 5) << 8 | x,
		    20);
	case 7:
		return vg_addr((uint64_t)SL_INNER << 8 | x, 16);
	case 8:		/* below the inner cappage's messengers */
		return vg_addr(((uint64_t)SL_INNER << 8 | (8 + x % 8)) << 8 |
		    take8(), 24);
	case 9:		/* a weak path, to a virtual level or not */
		if (x & 1)
			return vg_addr((uint64_t)SL_RINNER << 8 | take8(), 16);
		return vg_addr(((uint64_t)SL_RINNER << 8 | (8 + x % 8)) << 8 |
		    take8(), 24);
	case 10:	/* a messenger's own slots */
		return vg_addr((uint64_t)(SL_MSGR + x % 4) << 2 | (x >> 2 & 3),
		    10);
	case 11:	/* the thread's slots */
		return vg_addr((uint64_t)SL_THREAD << 2 | (x & 3), 10);
	case 12:	/* the folio's objects */
		return vg_addr((uint64_t)SL_FOLIO << 7 | (x & 127), 15);
	case 13:
		return vg_addr((uint64_t)SL_BACKING << 8 | x, 16);
	case 14:
		return VG_ADDR_VOID;
	case 15:
		return VG_ADDR_ROOT;
	case 16:
		return vg_addr_of_data(pick_vaddr());
	case 17:
		return slot_addr(SL_EMPTY);
	default:
		return (vg_addr_t){ take64() };
	}
}

/* One of the caller's messengers, now and then someone else's. */
static vg_addr_t
own_msgr_addr(void)
{
	uint8_t x = take8();

	return slot_addr(x < 224 ? SL_MSGR + x % NMSGR : SL_OTHERS + x % 16);
}

/* Where an arriving capability should go: mostly the receive area. */
static vg_addr_t
pick_target(void)
{
	uint8_t k = take8();

	if (k < 140)
		return slot_addr(SL_RECV + k % 32);
	if (k < 180)	/* a virtualized slot: STORE */
		return vg_addr((uint64_t)(SL_VIRT + k % 4) << 8 | take8(), 16);
	return pick_addr();
}

/* --- messages ------------------------------------------------------------- */

static uint32_t
new_tag(void)
{
	return ++next_tag;
}

/*
 * Write a message into M's buffer page: NCAPS addresses CAPS, then NW
 * words W.  Only if M is not busy -- a program does not overwrite the
 * message it is still sending -- unless FORCE.
 */
static bool
write_page_msg(struct messenger *m, const vg_addr_t *caps, uint32_t ncaps,
    const uint64_t *w, uint32_t nw, bool force)
{
	struct vg_message *page = m != NULL ? msg_buffer_page(m, true) : NULL;
	uint32_t i;

	if (page == NULL || (messenger_busy(m) && !force))
		return false;
	vg_message_clear(page);
	for (i = 0; i < ncaps; i++)
		(void)vg_message_append_cap(page, caps[i]);
	for (i = 0; i < nw; i++)
		(void)vg_message_append_word(page, w[i]);
	bump_frame(page);
	return true;
}

/* Load M's buffer page with the slots arriving capabilities go to. */
static void
rearm(struct messenger *m, bool force)
{
	vg_addr_t caps[VG_MESSAGE_CAPS_MAX];
	uint32_t n = take8(), i;

	n = n >= 250 ? VG_MESSAGE_CAPS_MAX : n % 5;
	for (i = 0; i < n; i++)
		caps[i] = pick_target();
	(void)write_page_msg(m, caps, n, NULL, 0, force);
}

static enum vg_err
do_ipc(struct thread *t, struct vg_ipc_args *a, uint32_t tag, int tagpos)
{
	enum vg_err err;

	armed.on = true;
	armed.tag = tag;
	armed.tagpos = tagpos;
	note("ipc by thread %u flags %#x ...", oid_of(t), a->flags);
	err = ipc(t, a);
	armed.on = false;
	note("ipc by thread %u flags %#x recv %#llx send %#llx target %#llx "
	    "w %#llx %#llx %#llx cap %#llx tag %u -> %d", oid_of(t), a->flags,
	    (unsigned long long)a->recv_messenger.raw,
	    (unsigned long long)a->send_messenger.raw,
	    (unsigned long long)a->target.raw,
	    (unsigned long long)a->inline_words[0],
	    (unsigned long long)a->inline_words[1],
	    (unsigned long long)a->inline_words[2],
	    (unsigned long long)a->inline_cap.raw, tag, err);
	if ((unsigned)err >= VG_ERR_COUNT)
		die("vg_ipc returned %d, which is no error code", err);
	return err;
}

/*
 * Send from P's messenger at SEND to TARGET: NW words W (W[TAGPOS] is
 * replaced by a fresh tag unless TAGPOS < 0) and NCAPS capabilities,
 * inline or through the buffer page.  EXTRA are more vg_ipc flags.
 */
static enum vg_err
send_msg(int p, vg_addr_t send, vg_addr_t target, uint64_t *w, uint32_t nw,
    int tagpos, const vg_addr_t *caps, uint32_t ncaps, bool inline_msg,
    uint32_t extra)
{
	struct thread *t = runnable(p);
	uint32_t tag = new_tag();
	struct vg_ipc_args a = {
		.flags = VG_IPC_SEND | VG_IPC_RETURN | extra,
		.send_messenger = send,
		.target = target,
	};

	if (t == NULL)
		return VG_ERR_INVALID;
	if (tagpos >= 0 && (uint32_t)tagpos < nw)
		w[tagpos] = TAG_MAGIC | tag;
	else
		tagpos = -1;
	if (inline_msg) {
		if (nw > VG_INLINE_WORDS)
			nw = VG_INLINE_WORDS;
		memcpy(a.inline_words, w, nw * sizeof(uint64_t));
		a.flags |= VG_IPC_SEND_INLINE | VG_IPC_INLINE_WORDS(nw);
		if (ncaps > 0) {
			a.flags |= VG_IPC_INLINE_CAP;
			a.inline_cap = caps[0];
		}
	} else {
		(void)write_page_msg(resolve_msgr(t, send), caps, ncaps, w, nw,
		    false);
	}
	return do_ipc(t, &a, tag, tagpos);
}

/* --- operations ----------------------------------------------------------- */

/* vg_ipc with flags and addresses as the input says. */
static void
op_ipc(void)
{
	int p = take8() % NTHREADS;
	struct thread *t = runnable(p);
	uint8_t b1 = take8(), b2 = take8(), b3 = take8();
	uint32_t nwords = (uint32_t)(b2 >> 2 & 7), tag = new_tag(), i;
	int tagpos = -1;
	struct vg_ipc_args a = { .flags = 0 };

	if (t == NULL)
		return;
	a.flags |= (b1 & 1) ? VG_IPC_RECEIVE : 0;
	a.flags |= (b1 & 2) ? VG_IPC_SEND : 0;
	a.flags |= (b1 & 0x0c) != 0x0c ? VG_IPC_RETURN : 0;
	a.flags |= (b1 & 0x10) ? VG_IPC_RECEIVE_NONBLOCKING : 0;
	a.flags |= (b1 & 0x20) ? VG_IPC_RECEIVE_ACTIVATE : 0;
	a.flags |= (b1 & 0x40) ? VG_IPC_RECEIVE_INLINE : 0;
	a.flags |= (b1 & 0x80) ? VG_IPC_SEND_NONBLOCKING : 0;
	a.flags |= (b2 & 1) ? VG_IPC_SEND_ACTIVATE : 0;
	a.flags |= (b2 & 2) ? VG_IPC_SEND_INLINE : 0;
	a.flags |= (b2 & 0x20) ? VG_IPC_INLINE_CAP : 0;
	if (nwords > VG_INLINE_WORDS && !(b3 & 0x80))
		nwords = VG_INLINE_WORDS;
	a.flags |= VG_IPC_INLINE_WORDS(nwords);
	switch (b3 & 0x1f) {
	case 1:
		a.flags |= VG_IPC_RECEIVE_SET_THREAD_TO_CALLER;
		break;
	case 2:
		a.flags |= VG_IPC_RECEIVE_SET_ASROOT_TO_CALLERS;
		break;
	case 3:
		a.flags |= VG_IPC_SEND_SET_THREAD_TO_CALLER;
		break;
	case 4:
		a.flags |= VG_IPC_SEND_SET_ASROOT_TO_CALLERS;
		break;
	case 5:
		a.flags ^= take32();	/* anything at all */
		break;
	case 6:
		a.reserved = 1;
		break;
	default:
		break;
	}
	a.recv_messenger = (b3 & 0x40) ? pick_addr() : own_msgr_addr();
	a.send_messenger = (b3 & 0x20) ? pick_addr() : own_msgr_addr();
	a.recv_inline_cap = pick_target();
	a.target = pick_addr();
	a.inline_cap = pick_addr();
	for (i = 0; i < VG_INLINE_WORDS; i++)
		a.inline_words[i] = take8() < 128 ? take8() : take64();
	if (nwords > 0) {
		a.inline_words[0] = TAG_MAGIC | tag;
		tagpos = 0;
	}
	if ((a.flags & VG_IPC_SEND) && !(a.flags & VG_IPC_SEND_INLINE)) {
		vg_addr_t caps[VG_MESSAGE_CAPS_MAX];
		uint64_t w[8];
		uint32_t nc = take8() % 6, nw = take8() % 9;

		for (i = 0; i < nc; i++)
			caps[i] = pick_addr();
		for (i = 0; i < nw; i++)
			w[i] = take64();
		tagpos = -1;
		if (nw > 0) {
			w[0] = TAG_MAGIC | tag;
			tagpos = 0;
		}
		(void)write_page_msg(resolve_msgr(t, a.send_messenger), caps,
		    nc, w, nw, (b3 & 0xe0) == 0xe0);
	}
	if (a.flags & VG_IPC_RECEIVE)
		rearm(resolve_msgr(t, a.recv_messenger), false);
	(void)do_ipc(t, &a, tag, tagpos);
}

/* A tagged message from one of P's messengers to a send right or a
 * virtualized address, with capabilities. */
static void
op_send(void)
{
	int p = take8() % NPROC;
	uint8_t b = take8();
	vg_addr_t caps[VG_MESSAGE_CAPS_MAX];
	uint64_t w[6] = { 0 };
	uint32_t nc, i;
	vg_addr_t target;

	for (i = 1; i < 6; i++)
		w[i] = take64();
	nc = take8();

	nc = nc >= 250 ? 17 : nc % 4;
	for (i = 0; i < nc; i++)
		caps[i] = pick_addr();
	switch (b >> 5) {
	case 0:
	case 1:
	case 2:
		target = slot_addr(SL_RIGHT + take8() % 16);
		break;
	case 3:
		target = vg_addr((uint64_t)(SL_VIRT + take8() % 4) << 8 | 
		    take8(), 16);
		break;
	default:
		target = pick_addr();
		break;
	}
	(void)send_msg(p, slot_addr(SL_MSGR + b % NMSGR), target, w,
	    1 + (b >> 2 & 3) + ((b & 0x10) ? 2 : 0), 0, caps, nc,
	    (b & 0x08) != 0,
	    ((b & 0x04) ? VG_IPC_SEND_NONBLOCKING : 0) |
	    (take8() & 1 ? VG_IPC_SEND_ACTIVATE : 0));
}

/* P receives on one of its messengers. */
static void
op_receive(void)
{
	int p = take8() % NPROC;
	uint8_t b = take8();
	struct thread *t = runnable(p);
	struct vg_ipc_args a = {
		.flags = VG_IPC_RECEIVE | VG_IPC_RETURN,
		.recv_messenger = slot_addr(SL_MSGR + b % NMSGR),
	};

	if (t == NULL)
		return;
	a.flags |= (b & 0x04) ? VG_IPC_RECEIVE_NONBLOCKING : 0;
	a.flags |= (b & 0x08) ? VG_IPC_RECEIVE_ACTIVATE : 0;
	a.flags |= (b & 0x10) ? VG_IPC_RECEIVE_INLINE : 0;
	if (b & 0x10)
		a.recv_inline_cap = pick_target();
	rearm(msgr(p, b % NMSGR), (b & 0xe0) == 0xe0);
	(void)do_ipc(t, &a, 0, -1);
}

static const uint64_t methods[] = {
	VG_METHOD_OBJECT_STATUS, VG_METHOD_OBJECT_DISCARD,
	VG_METHOD_CAP_COPY, VG_METHOD_CAP_READ, VG_METHOD_CAP_RUBOUT,
	VG_METHOD_FOLIO_OBJECT_ALLOC, VG_METHOD_FOLIO_FREE,
	VG_METHOD_THREAD_EXREGS, VG_METHOD_THREAD_ID,
	VG_METHOD_THREAD_ACTIVATION_COLLECT,
	VG_METHOD_MESSENGER_ID_GET, VG_METHOD_MESSENGER_ID_SET,
	VG_METHOD_MESSENGER_FLAGS, VG_METHOD_MESSENGER_UNBLOCK,
	VG_METHOD_MESSENGER_BLOCK, VG_METHOD_MESSENGER_CANCEL,
	VG_METHOD_INDEX, VG_METHOD_STORE, VG_METHOD_FAULT,
	VG_METHOD_ACTIVITY_INFO,
};

/* A kernel object's method, invoked by one of P's messengers. */
static void
op_invoke(void)
{
	int p = take8() % NPROC;
	uint8_t b = take8(), k = take8();
	uint64_t w[6] = { 0 };
	vg_addr_t caps[2];
	uint32_t nc = 0, nw = 1;
	vg_addr_t target;
	static const unsigned targets[] = {
		SL_SPACE, SL_THREAD, SL_FOLIO, SL_UTCB, SL_MSGR, SL_MSGR + 1,
		SL_MSGR + 2, SL_MSGR + 3, SL_INNER, SL_RINNER, SL_PAGE,
		SL_BACKING, SL_RIGHT,
	};

	w[0] = k < 250 ? methods[k % (sizeof(methods) / sizeof(methods[0]))] :
	    take16();
	switch (w[0]) {
	case VG_METHOD_CAP_COPY:
		w[1] = pick_addr().raw;
		w[2] = pick_addr().raw;
		w[3] = take8() & 0x1f;
		if (take8() < 200) {
			w[4] = (uint64_t)(take8() & 7) << 32;
			w[4] |= take8() & 0x7f;
		} else {
			w[4] = take64();
		}
		nw = 5;
		break;
	case VG_METHOD_CAP_READ:
	case VG_METHOD_CAP_RUBOUT:
		w[1] = pick_addr().raw;
		nw = 2;
		break;
	case VG_METHOD_FOLIO_OBJECT_ALLOC:
		w[1] = take8() < 200 ? take8() % OBJ_STD : take8();
		w[2] = take8() % (VG_TYPE_COUNT + 1);
		nw = 3;
		break;
	case VG_METHOD_THREAD_EXREGS:
		w[1] = take8() < 240 ? take8() & VG_EXREGS_CONTROL_ALL : take64();
		w[2] = take64();
		w[3] = take64();
		w[4] = take64();
		w[5] = take64();
		nw = 6;
		break;
	case VG_METHOD_MESSENGER_ID_SET:
		w[1] = take64();
		nw = 2;
		break;
	case VG_METHOD_MESSENGER_FLAGS:
		w[1] = take8() < 240 ? take8() & 0x1f : take64();
		w[2] = take8() & 0x1f;
		nw = 3;
		break;
	case VG_METHOD_INDEX:
	case VG_METHOD_STORE:
	case VG_METHOD_FAULT:
		w[1] = pick_addr().raw;
		nw = 2;
		break;
	default:
		break;
	}
	/* Capability 0: the reply messenger (or none). */
	if (b & 0x40) {
		caps[nc++] = (b & 0x80) ? pick_addr() :
		    slot_addr(SL_MSGR + take8() % NMSGR);
		if (w[0] == VG_METHOD_CAP_COPY && (take8() & 1))
			caps[nc++] = pick_addr();
	}
	if (b & 0x20)
		target = pick_addr();
	else
		target = slot_addr(targets[take8() %
		    (sizeof(targets) / sizeof(targets[0]))] + (b & 3));
	note("invoke method %#llx", (unsigned long long)w[0]);
	(void)send_msg(p, slot_addr(SL_MSGR + (b >> 2 & 3)), target, w, nw, -1,
	    caps, nc, nw <= VG_INLINE_WORDS && nc <= 1 && !(b & 0x10),
	    (b & 0x08) ? VG_IPC_SEND_ACTIVATE : 0);
}

enum how {
	H_CORRECT,
	H_WRONG_TYPE,	/* a capability of another type */
	H_ZERO_BITS,
	H_TOO_MANY_BITS,
	H_VOID,		/* a void capability, or none */
	H_ERROR,	/* an error code, or not one */
	H_TWICE,	/* the answer, then again */
	H_UNASKED,	/* to a messenger that asked nothing */
	H_NEVER,	/* take the request, do not answer */
	H_RANDOM,	/* bits and capability from the input */
	H_SHORT,	/* fewer than two words */
	H_CORRECT2,	/* more weight on the right answer */
	H_COUNT
};

/*
 * A virtualizer step: process V takes the request its served messenger
 * received (receiving first if the input says so) and answers it.
 */
static void
op_virtualizer(void)
{
	int v = take8() % NPROC;
	struct thread *t = runnable(v);
	enum how how = (enum how)(take8() % H_COUNT);
	uint8_t b = take8();
	struct messenger *served = msgr(v, M_SERVED);
	struct rx req;
	bool have;
	uint64_t method, w[3];
	vg_addr_t residual, cap, target = slot_addr(SL_REPLY);
	unsigned depth, top;
	uint64_t err = VG_OK, consumed = 0;
	bool with_cap = true;
	uint32_t nw = 3;
	int round;

	if (t == NULL || served == NULL)
		return;
	if (b & 1) {
		struct vg_ipc_args a = {
			.flags = VG_IPC_RECEIVE | VG_IPC_RETURN,
			.recv_messenger = slot_addr(SL_MSGR + M_SERVED),
			.recv_inline_cap = slot_addr(SL_REPLY),
		};
		vg_addr_t slots[2] = { slot_addr(SL_REPLY),
		    slot_addr(SL_STORED) };

		a.flags |= (b & 2) ? VG_IPC_RECEIVE_NONBLOCKING : 0;
		a.flags |= (b & 4) ? VG_IPC_RECEIVE_INLINE : 0;
		a.flags |= (b & 8) ? VG_IPC_RECEIVE_ACTIVATE : 0;
		(void)write_page_msg(served, slots, 2, NULL, 0, false);
		(void)do_ipc(t, &a, 0, -1);
	}
	have = rx[v][M_SERVED].seq != rx_seen[v];
	req = rx[v][M_SERVED];
	rx_seen[v] = req.seq;
	if (!have && how != H_UNASKED && how != H_TWICE)
		return;

	method = req.word[0];
	residual.raw = req.word[1];
	depth = vg_addr_depth(residual);
	top = (unsigned)vg_addr_bits(residual, 0, 8);
	cap = vg_addr((uint64_t)SL_BACKING << 8 | top, 16);
	note("virtualizer %d: %s request %#llx residual %#llx (depth %u), "
	    "answers as %d", v, have ? "took" : "has no", 
	    (unsigned long long)method, (unsigned long long)residual.raw,
	    depth, how);

	/* What a correct virtualizer of a cappage (or a pager) says. */
	switch (method) {
	case VG_METHOD_INDEX:
	case VG_METHOD_STORE:
		if (depth < 8) {
			err = VG_ERR_ADDR_SHORT;
			with_cap = false;
			break;
		}
		consumed = 8;
		if (method == VG_METHOD_STORE && depth == 8) {
			struct vg_cap *root =
			    &t->slot[VG_THREAD_SLOT_ASPACE];

			(void)cap_copy(root, cap, root, slot_addr(SL_STORED),
			    0, (struct vg_cap_translator){ 0 });
			with_cap = false;
		}
		break;
	case VG_METHOD_FAULT:
		consumed = depth;
		cap = slot_addr(SL_PAGE + (top & 3));
		break;
	default:
		/* Not a request: a correct virtualizer ignores it. */
		if (how == H_CORRECT || how == H_CORRECT2)
			return;
		consumed = 8;
		break;
	}

	switch (how) {
	case H_WRONG_TYPE: {
		static const unsigned wrong[] = {
			SL_THREAD, SL_FOLIO, SL_UTCB, SL_MSGR, SL_RIGHT,
			SL_INNER, SL_RINNER, SL_PAGE, SL_VIRT,
		};

		cap = slot_addr(wrong[take8() % (sizeof(wrong) /
		    sizeof(wrong[0]))]);
		with_cap = true;
		break;
	}
	case H_ZERO_BITS:
		consumed = 0;
		break;
	case H_TOO_MANY_BITS:
		consumed = take8() < 128 ? depth + 1 + take8() % 64 : take64();
		break;
	case H_VOID:
		cap = slot_addr(SL_EMPTY);
		with_cap = take8() & 1;
		break;
	case H_ERROR:
		err = take8() < 128 ? take8() % (VG_ERR_COUNT + 2) : take64();
		break;
	case H_UNASKED:
		target = slot_addr(SL_RIGHT + take8() % 16);
		break;
	case H_NEVER:
		return;
	case H_RANDOM:
		consumed = take8();
		cap = pick_addr();
		if (take8() & 1)
			err = take8();
		break;
	case H_SHORT:
		nw = take8() % 2;
		break;
	default:
		break;
	}

	for (round = 0; round < (how == H_TWICE ? 2 : 1); round++) {
		uint8_t c = take8();
		static const int answerer[] = { M_SERVED, 0, M_INLINE, 0 };

		w[0] = err;
		w[1] = consumed;
		w[2] = 0;
		(void)send_msg(v, slot_addr(SL_MSGR + answerer[c & 3]), target,
		    w, nw, 2, &cap, with_cap ? 1 : 0,
		    answerer[c & 3] == M_INLINE || !(c & 4),
		    (c & 8) ? VG_IPC_SEND_ACTIVATE : 0);
	}
}

/* A data fault of a running thread. */
static void
op_fault(void)
{
	int p = take8() % NPROC;
	struct thread *t = runnable(p);
	uint64_t vaddr = pick_vaddr();
	bool write = take8() & 1;
	enum vg_err err;

	if (t == NULL)
		return;
	err = fault_resolve(t, vaddr, write);
	note("fault of thread %u at %#llx (%s) -> %d", oid_of(t),
	    (unsigned long long)vaddr, write ? "write" : "read", err);
	if ((unsigned)err >= VG_ERR_COUNT)
		die("fault_resolve returned %d, which is no error code", err);
}

static void
op_cancel(void)
{
	int p = take8() % NPROC, i = take8() % NMSGR;
	struct messenger *m = msgr(p, i);
	bool r;

	if (m == NULL)
		return;
	r = messenger_cancel(m, VG_ERR_CANCELED);
	note("cancel messenger %u -> %d", oid_of(m), r);
}

/* Replace or destroy an object in a process's folio. */
static void
op_alloc(void)
{
	int p = take8() % NPROC;
	uint8_t b = take8(), k = take8();
	struct folio *f = object_lookup(&procs[p].folio);
	static const uint8_t types[] = {
		VG_TYPE_VOID, VG_TYPE_VOID, VG_TYPE_MESSENGER, VG_TYPE_THREAD,
		VG_TYPE_PAGE, VG_TYPE_CAPPAGE, VG_TYPE_ACTIVITY,
		VG_TYPE_RMESSENGER, VG_TYPE_FOLIO,
	};
	unsigned idx = (b & 0x80) ? take8() % VG_FOLIO_OBJECTS : b % OBJ_STD;
	enum vg_type type = (enum vg_type)types[k % sizeof(types)];
	struct folio_ret r;

	if (f == NULL)
		return;
	epoch++;
	guard_destroy();
	r = folio_object_alloc(f, idx, type);
	note("folio_object_alloc(proc %d, %u, type %d) -> %d", p, idx, type,
	    r.err);
	if ((unsigned)r.err >= VG_ERR_COUNT)
		die("folio_object_alloc returned %d", r.err);
}

static void
op_folio_free(void)
{
	int p = take8() % NPROC;
	struct folio *f = object_lookup(&procs[p].folio);
	enum vg_err err;

	if (f == NULL)
		return;
	epoch++;
	guard_destroy();
	err = folio_free(f);
	note("folio_free(proc %d) -> %d", p, err);
}

/* P's program leaves activated mode (or, rarely, scribbles the mode). */
static void
op_mode(void)
{
	int p = take8() % NTHREADS;
	struct vg_utcb *u = obj(p, OBJ_UTCB);
	uint8_t b = take8();

	if (u == NULL)
		return;
	u->mode = (b & 7) == 0 ? VG_UTCB_ACTIVATED : 0;
	bump_frame(u);
	note("utcb mode of proc %d := %llu", p, (unsigned long long)u->mode);
}

static void
op_collect(void)
{
	int p = take8() % NTHREADS;
	struct thread *t = thread_of(p);
	bool r;

	if (t == NULL)
		return;
	bump_frame(utcb_of_thread(t));
	r = activation_collect(t);
	note("activation_collect(proc %d) -> %d", p, r);
}

static void
op_repair(void)
{
	int p = take8() % NPROC;
	bool r;

	guard_destroy();
	r = repair(p);

	link_all();
	note("repair proc %d -> %d", p, r);
}

/* The supervisor restarts (or stops) a thread with exregs. */
static void
op_wake(void)
{
	int q = take8() % NPROC;
	uint8_t b = take8();
	uint64_t w[6] = { VG_METHOD_THREAD_EXREGS,
	    (b & 7) == 0 ? VG_EXREGS_STOP : VG_EXREGS_START };
	vg_addr_t none = VG_ADDR_VOID;

	note("supervisor exregs thread of proc %d, control %#llx", q,
	    (unsigned long long)w[1]);
	(void)send_msg(SUPER, slot_addr(SL_MSGR), slot_addr(SL_THREADS + q),
	    w, 2, -1, &none, 0, true, 0);
}

/* A program writes nonsense into one of its buffer pages. */
static void
op_scribble(void)
{
	int p = take8() % NPROC, i = take8() % NMSGR;
	struct vg_message *page = obj(p, OBJ_BUF + i);

	if (page == NULL)
		return;
	page->cap_count = take16();
	page->data_count = take16();
	page->caps[0].raw = take64();
	bump_frame(page);
	note("scribble on the buffer page of messenger %d of proc %d", i, p);
}

static void
run_op(void)
{
	uint8_t op = take8();

	switch (op % 32) {
	case 0: case 1: case 2: case 3: case 4: case 5:
		op_ipc();
		break;
	case 6: case 7: case 8: case 9:
		op_send();
		break;
	case 10: case 11: case 12:
		op_receive();
		break;
	case 13: case 14:
		op_invoke();
		break;
	case 15: case 16: case 17: case 18: case 19: case 20:
		op_virtualizer();
		break;
	case 21: case 22:
		op_fault();
		break;
	case 23:
		op_cancel();
		break;
	case 24: case 25:
		op_alloc();
		break;
	case 26:
		if (op & 0x20)
			op_folio_free();
		else
			op_scribble();
		break;
	case 27:
		op_mode();
		break;
	case 28:
		op_collect();
		break;
	case 29:
		op_repair();
		break;
	default:
		op_wake();
		break;
	}
}

NO_COVERAGE
static void
check_all(void)
{
	const char *why = vg_check_invariants();

	if (why != NULL)
		die("invariant violated: %s", why);
	ledger_balance();
	check_dead();
	hosted_events_clear();
}

/* --- the storage window --------------------------------------------------- */

static void *window;

void *
__wrap_aligned_alloc(size_t align, size_t size)
{
	if (size != hosted_storage_bytes(CHUNKS))
		return __real_aligned_alloc(align, size);
	if (window == NULL) {
		window = __real_aligned_alloc(align, size);
		if (window != NULL)
			memset(window, 0, size);
	}
	return window;
}

/* "Freeing" the window zeroes what the core wrote in object frames
 * (headers are rewritten by every boot). */
NO_COVERAGE
void
__wrap_free(void *p)
{
	uint32_t chunk, i;

	if (p == NULL || p != window) {
		__real_free(p);
		return;
	}
	for (chunk = 0; chunk < storage_nchunks; chunk++) {
		struct folio *f = storage_frame(chunk * FOLIO_FRAMES);

		for (i = 0; i < VG_FOLIO_OBJECTS; i++) {
			if (f->object[i].type != VG_TYPE_VOID ||
			    f->object[i].version != 0)
				memset(slot_frame(f, i), 0, FRAME_SIZE);
		}
	}
}

/* --- libFuzzer ------------------------------------------------------------ */

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	trace = getenv("VG_FUZZ_TRACE") != NULL;
	guards = guards_from_env(getenv("VG_FUZZ_NO_GUARDS"));
	return 0;
}

static void
reset(void)
{
	memset(procs, 0, sizeof(procs));
	memset(rx, 0, sizeof(rx));
	memset(rx_seen, 0, sizeof(rx_seen));
	memset(page_gen, 0, sizeof(page_gen));
	memset(stats, 0, sizeof(stats));
	memset(poisoned, 0, sizeof(poisoned));
	ndead = 0;
	npoisoned = 0;
	nsent = 0;
	next_tag = 0;
	epoch = 0;
	opno = 0;
	armed.on = false;
	commit_probe.on = false;
}

static void
boot(void)
{
	int p;

	roots = hosted_boot(CHUNKS);
	if (roots.err != VG_OK)
		die("hosted_boot: %d", roots.err);
	root_activity = object_lookup(&roots.root_activity);
	for (p = 0; p < NTHREADS; p++) {
		if (!repair(p))
			die("boot: no storage for process %d", p);
	}
	link_all();
	/* The virtualizers start out receiving requests. */
	for (p = 0; p < NPROC; p++) {
		vg_addr_t slots[2] = { slot_addr(SL_REPLY),
		    slot_addr(SL_STORED) };
		struct vg_ipc_args a = {
			.flags = VG_IPC_RECEIVE | VG_IPC_RETURN,
			.recv_messenger = slot_addr(SL_MSGR + M_SERVED),
		};

		(void)write_page_msg(msgr(p, M_SERVED), slots, 2, NULL, 0,
		    false);
		if (do_ipc(thread_of(p), &a, 0, -1) != VG_OK)
			die("boot: the virtualizers cannot receive");
	}
	check_all();
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	in.p = data;
	in.n = size;
	reset();
	boot();
	while (in.n > 0 && opno < MAX_OPS) {
		opno++;
		run_op();
		check_all();
	}
	if (trace) {
		int f;

		fprintf(stderr, "ipc_fuzz: %u operations, %u messages:", opno,
		    nsent);
		for (f = 0; f < F_COUNT; f++)
			fprintf(stderr, " %s %llu", fate_name[f],
			    (unsigned long long)stats[f]);
		fputc('\n', stderr);
	}
	hosted_shutdown();
	return 0;
}
