/*
 * The fast path against the general one (fuzz.h, ipc_differential):
 * every vg_ipc of the fast path's shape is tried on it first, with the
 * whole of storage and the core's generations saved.  If it declines,
 * nothing may have changed.  If it takes the call, its state is kept
 * aside, the saved state put back, and the general path (ipc) runs the
 * same call: its result must be VG_OK, and storage, the generations and
 * the platform events it leaves must be the fast path's, byte for byte.
 */
#include <stdlib.h>
#include <string.h>

#include "cache.h"
#include "hosted.h"
#include "ipc_fast.h"
#include "virt_fast.h"
#include "storage.h"

#include "fuzz.h"

static uint8_t *before, *fast;
static size_t bytes;
static struct hosted_event fast_events[64];
unsigned long fuzz_fast_taken, fuzz_fast_fault_answers;

static void
buffers(void)
{
	size_t need = (size_t)storage_nframes * FRAME_SIZE;

	if (need == bytes)
		return;
	free(before);
	free(fast);
	before = malloc(need);
	fast = malloc(need);
	if (before == NULL || fast == NULL)
		die("fastpath: no memory for the copies of storage");
	bytes = need;
}

enum vg_err
ipc_differential(struct thread *t, const struct vg_ipc_args *a)
{
	uint64_t epoch = cap_epoch, gen = as_generation, fepoch, fgen;
	size_t n0, n1, nfast;
	const struct hosted_event *ev;
	const struct messenger *s = t->mcache[1].m;
	struct thread *to;
	enum vg_err err;
	bool fault;

	if (!ipc_fast_any_shape((uint64_t)a->flags |
	    (uint64_t)a->reserved << 32))
		return ipc(t, a);
	/* An answer to a FAULT request, if the fast path takes it (S and
	 * its target may be stale: frames all the same). */
	fault = (a->flags & VG_IPC_INLINE_CAP) && s != NULL &&
	    s->target_object != NULL && ((const struct messenger *)
	    s->target_object)->cont.phase == CONT_FAULT;
	buffers();
	memcpy(before, storage_base, bytes);
	(void)hosted_events(&n0);
	to = ipc_fast_any(t, a);
	ev = hosted_events(&n1);
	if (to == NULL) {
		if (memcmp(before, storage_base, bytes) != 0 || n1 != n0 ||
		    cap_epoch != epoch || as_generation != gen)
			die("fastpath: declined a call, but changed the state");
		return ipc(t, a);
	}
	fuzz_fast_taken++;
	fuzz_fast_fault_answers += fault;
	nfast = n1 - n0;
	if (nfast > sizeof(fast_events) / sizeof(fast_events[0]))
		die("fastpath: %zu platform events for one call", nfast);
	memcpy(fast_events, ev + n0, nfast * sizeof(*ev));
	memcpy(fast, storage_base, bytes);
	fepoch = cap_epoch;
	fgen = as_generation;

	/* The same call again, from the same state, the general way. */
	memcpy(storage_base, before, bytes);
	cap_epoch = epoch;
	as_generation = gen;
	hosted_events_truncate(n0);
	err = ipc(t, a);
	ev = hosted_events(&n1);
	if (err != VG_OK)
		die("fastpath: took a call the general path fails (%d)", err);
	if (cap_epoch != fepoch || as_generation != fgen)
		die("fastpath: the generations differ from the general path's");
	if (n1 - n0 != nfast ||
	    memcmp(fast_events, ev + n0, nfast * sizeof(*ev)) != 0)
		die("fastpath: the platform events differ from the general "
		    "path's");
	if (memcmp(fast, storage_base, bytes) != 0) {
		size_t i = 0;

		while (fast[i] == ((const uint8_t *)storage_base)[i])
			i++;
		die("fastpath: storage differs from the general path's at "
		    "frame %zu, byte %zu", i / FRAME_SIZE, i % FRAME_SIZE);
	}
	return err;
}
