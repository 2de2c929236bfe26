/*
 * The world an input runs in (fuzz.h): booting the hosted core, building
 * the processes, the supervisor, the storage playground and their spaces,
 * rebuilding what an input destroyed, finding a process's objects; and
 * the storage window, the core's storage kept from one input to the next.
 */
#include <string.h>

#include <vg/types.h>

#include "activity.h"
#include "as.h"
#include "cappage.h"
#include "hosted.h"
#include "kernel.h"
#include "object.h"

#include "fuzz.h"

struct proc procs[NTHREADS];

static struct kernel_roots roots;
static struct activity *root_activity;

/* The storage playground: activities A and B, their folios F and G. */
static struct vg_cap act_cap, subact_cap, afolio_cap, bfolio_cap;

/* --- objects -------------------------------------------------------------- */

void *
obj(int p, int idx)
{
	return object_lookup(&procs[p].obj[idx]);
}

struct messenger *
msgr(int p, int i)
{
	return obj(p, OBJ_MSGR + i);
}

struct thread *
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

const struct kernel_roots *
world_roots(void)
{
	return &roots;
}

struct activity *
play_act(void)
{
	return object_lookup(&act_cap);
}

struct activity *
play_subact(void)
{
	return object_lookup(&subact_cap);
}

struct folio *
play_afolio(void)
{
	return object_lookup(&afolio_cap);
}

struct folio *
play_bfolio(void)
{
	return object_lookup(&bfolio_cap);
}

struct thread *
runnable(int p)
{
	struct thread *t = thread_of(p);

	return t != NULL && t->state == VG_THREAD_RUNNABLE ? t : NULL;
}

struct vg_utcb *
utcb_of_thread(struct thread *t)
{
	const struct vg_cap *c = &t->slot[VG_THREAD_SLOT_UTCB];

	return c->type == VG_TYPE_PAGE ? object_lookup(c) : NULL;
}

struct messenger *
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
	sp->slot[SL_ACT] = cur(act_cap);
	sp->slot[SL_SUBACT] = cur(subact_cap);
	sp->slot[SL_SUBACT_OWN] = cur(subact_cap);
	sp->slot[SL_SUBACT_OWN].rights &= (uint8_t)~VG_CAP_LIMIT;
	sp->slot[SL_AFOLIO] = cur(afolio_cap);
	sp->slot[SL_BFOLIO] = cur(bfolio_cap);
	sp->slot[SL_CONSOLE] = roots.console;
	sp->slot[SL_POWER] = roots.power;
	sp->slot[SL_IRQ_CONTROL] = roots.irq_control;
	sp->slot[SL_IOPORT_CONTROL] = roots.ioport_control;
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

bool
repair_proc(int p)
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
	ledger_untracked_writes();	/* new objects are zeroed frames */
	for (idx = 0; idx < nstd(p); idx++) {
		struct folio_ret r;

		if (object_lookup(&pr->obj[idx]) != NULL)
			continue;
		r = folio_object_alloc(f, (unsigned)idx,
		    (enum vg_type)std_type[idx], 0);
		/* The reaper may not have the slot's frame back yet
		 * (op_reap): the object stays missing until it has. */
		if (r.err == VG_ERR_BUSY)
			continue;
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

/*
 * A in the supervisor's folio (a child of the root), with its quota; F
 * from A; B in F; G from B.  What is there stays; what cannot be made
 * (A's quota, no storage) stays missing.
 */
bool
repair_play(void)
{
	struct folio *sf = object_lookup(&procs[SUPER].folio);
	struct folio_ret r;

	ledger_untracked_writes();	/* new objects are zeroed frames */
	if (play_act() == NULL) {
		if (sf == NULL)
			return false;
		r = folio_object_alloc(sf, ACT_INDEX, VG_TYPE_ACTIVITY, 0);
		if (r.err == VG_ERR_BUSY)
			return false;	/* the reaper has it still */
		if (r.err != VG_OK)
			die("repair: the playground's activity: %d", r.err);
		act_cap = r.cap;
		play_act()->quota = (uint64_t)ACT_QUOTA_FOLIOS * FOLIO_FRAMES;
	}
	if (play_afolio() == NULL) {
		r = folio_alloc(play_act());
		if (r.err != VG_OK)
			return false;
		afolio_cap = r.cap;
	}
	if (play_subact() == NULL) {
		r = folio_object_alloc(play_afolio(), SUBACT_INDEX,
		    VG_TYPE_ACTIVITY, 0);
		if (r.err != VG_OK)
			return false;
		subact_cap = r.cap;
	}
	if (play_bfolio() == NULL) {
		r = folio_alloc(play_subact());
		if (r.err != VG_OK)
			return false;
		bfolio_cap = r.cap;
	}
	return true;
}

void
link_all(void)
{
	int p;

	for (p = 0; p < NTHREADS; p++)
		fill_space(p);
}

void
world_reset(void)
{
	hosted_reclaim_later = false;
	memset(procs, 0, sizeof(procs));
	act_cap = subact_cap = afolio_cap = bfolio_cap = VG_CAP_VOID;
}

void
world_boot(void)
{
	int p;

	roots = hosted_boot(CHUNKS);
	if (roots.err != VG_OK)
		die("hosted_boot: %d", roots.err);
	root_activity = object_lookup(&roots.root_activity);
	for (p = 0; p < NTHREADS; p++) {
		if (!repair_proc(p))
			die("boot: no storage for process %d", p);
	}
	if (!repair_play())
		die("boot: no storage for the storage playground");
	roottask_boot();
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
}

/* --- the storage window --------------------------------------------------- */

static void *window;

void *
window_alloc(size_t align, size_t size, void *(*real_alloc)(size_t, size_t))
{
	if (size != hosted_storage_bytes(CHUNKS))
		return real_alloc(align, size);
	if (window == NULL) {
		window = real_alloc(align, size);
		if (window != NULL)
			memset(window, 0, size);
	}
	return window;
}

/* "Freeing" the window zeroes what the core wrote in object frames
 * (headers are rewritten by every boot), so that every input starts from
 * the same memory. */
NO_COVERAGE
void
window_free(void *p, void (*real_free)(void *))
{
	uint32_t chunk, i;

	if (p == NULL || p != window) {
		real_free(p);
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
