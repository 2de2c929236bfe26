/*
 * The operations on objects rather than through vg_ipc (fuzz.h): data
 * faults and exceptions, cancellation, allocating over and freeing
 * objects and folios, the reaper's steps,
 * repair, activation handling, the supervisor's exregs, and programs
 * scribbling on their own buffer pages.
 */
#include <vg/method.h>
#include <vg/types.h>

#include "activation.h"
#include "continuation.h"
#include "fault.h"
#include "hosted.h"
#include "lifecycle.h"
#include "object.h"
#include "reclaim.h"

#include "fuzz.h"

/* A data fault of a running thread. */
void
op_fault(void)
{
	int p = take8() % NPROC;
	struct thread *t = runnable(p);
	uint64_t vaddr = pick_vaddr();
	enum vg_fault_access access = (enum vg_fault_access)(take8() % 3);
	static const char *const names[] = { "read", "write", "execute" };
	struct fault_detail d;
	enum vg_err err;

	if (t == NULL)
		return;
	err = fault_resolve(t, vaddr, access, &d);
	note("fault of thread %u at %#llx (%s) -> %d", oid_of(t),
	    (unsigned long long)vaddr, names[access], err);
	if ((unsigned)err >= VG_ERR_COUNT)
		die("fault_resolve returned %d, which is no error code", err);
}

/*
 * What the platform does with a running thread's fault it cannot serve:
 * a processor exception (vector, VG_ERR_EXCEPTION), or a data fault that
 * fault_resolve fails, reported with its error (thread_exception): the
 * thread's exception messenger gets a fault activation, or the thread
 * stops.
 */
void
op_exception(void)
{
	int p = take8() % NPROC;
	struct thread *t = runnable(p);
	uint8_t k = take8();
	uint64_t vaddr = pick_vaddr();
	enum vg_err err = VG_ERR_EXCEPTION;
	uint32_t vector = take8() % 32;
	struct fault_detail d = { .addr = vaddr, .ip = vaddr };
	bool told;

	if (t == NULL)
		return;
	if (k & 1) {
		vector = 14;	/* a page fault */
		err = fault_resolve(t, vaddr,
		    (enum vg_fault_access)((k >> 1) % 3), &d);
		if (err == VG_OK)
			return;
	}
	d.vector = vector;
	told = thread_exception(t, &d, err);
	note("exception of thread %u at %#llx, vector %u, error %d -> %d",
	    oid_of(t), (unsigned long long)vaddr, vector, err, told);
}

/* A messenger's work is cancelled, as the kernel would on a program's
 * behalf. */
void
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
void
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
	ledger_untracked_writes();
	r = folio_object_alloc(f, idx, type, 0);
	note("folio_object_alloc(proc %d, %u, type %d) -> %d", p, idx, type,
	    r.err);
	if ((unsigned)r.err >= VG_ERR_COUNT)
		die("folio_object_alloc returned %d", r.err);
}

/* A process's folio is freed, and every object in it destroyed. */
void
op_folio_free(void)
{
	int p = take8() % NPROC;
	struct folio *f = object_lookup(&procs[p].folio);
	enum vg_err err;

	if (f == NULL)
		return;
	ledger_untracked_writes();
	err = folio_free(f);
	note("folio_free(proc %d) -> %d", p, err);
}

/*
 * The reaper (folio.c, reclaim.h).  Hosted, it finishes every
 * destruction inside the call that started it; from the first of these
 * operations on, for the rest of the input, it runs only here, in as many
 * bounded steps as the input says -- so that everything else meets
 * destruction in progress: objects whose capabilities read as void but
 * whose frames are not back, slots that are busy, storage not yet free.
 */
void
op_reap(void)
{
	uint8_t b = take8();
	unsigned steps = b == 0xff ? UINT32_MAX : b % 16;
	unsigned done = 0;

	hosted_reclaim_later = true;
	ledger_untracked_writes();
	while (done < steps && reclaim_pending()) {
		folio_reclaim_step();
		done++;
	}
	note("reaper: %u steps, %s", done, reclaim_pending() ? "more to do" :
	    "done");
}

/* P's program leaves activated mode (or, rarely, scribbles the mode). */
void
op_mode(void)
{
	int p = take8() % NTHREADS;
	struct vg_utcb *u = obj(p, OBJ_UTCB);
	uint8_t b = take8();

	if (u == NULL)
		return;
	u->mode = (b & 7) == 0 ? VG_UTCB_ACTIVATED : 0;
	ledger_page_written(u);
	note("utcb mode of proc %d := %llu", p, (unsigned long long)u->mode);
}

/* P's program collects the activations queued for its thread. */
void
op_collect(void)
{
	int p = take8() % NTHREADS;
	struct thread *t = thread_of(p);
	bool r;

	if (t == NULL)
		return;
	ledger_page_written(utcb_of_thread(t));
	r = activation_collect(t);
	note("activation_collect(proc %d) -> %d", p, r);
}

/* A supervisor rebuilds what of a process is gone (repair_proc). */
void
op_repair(void)
{
	int p = take8() % NPROC;
	bool r;

	r = repair_proc(p);
	(void)repair_play();
	link_all();
	note("repair proc %d -> %d", p, r);
}

/* The supervisor restarts (or stops) a thread with exregs. */
void
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
void
op_scribble(void)
{
	int p = take8() % NPROC, i = take8() % NMSGR;
	struct vg_message *page = obj(p, OBJ_BUF + i);

	if (page == NULL)
		return;
	page->cap_count = take16();
	page->data_count = take16();
	page->caps[0].raw = take64();
	ledger_page_written(page);
	note("scribble on the buffer page of messenger %d of proc %d", i, p);
}
