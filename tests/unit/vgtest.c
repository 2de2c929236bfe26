/*
 * Test helpers (see vgtest.h).
 */
#include <stdlib.h>

#include "invariants.h"
#include "vgtest.h"

struct vgtest
vgtest_boot(uint32_t nchunks)
{
	struct vgtest t = { .roots = hosted_boot(nchunks) };

	assert_int_equal(t.roots.err, VG_OK);
	t.root_activity = object_lookup(&t.roots.root_activity);
	t.root_folio = object_lookup(&t.roots.root_folio);
	assert_non_null(t.root_activity);
	assert_non_null(t.root_folio);
	return t;
}

int
vgtest_setup(void **state)
{
	struct vgtest *t = malloc(sizeof(*t));

	if (t == NULL)
		return -1;
	*t = vgtest_boot(VGTEST_CHUNKS);
	*state = t;
	return 0;
}

int
vgtest_teardown(void **state)
{
	hosted_shutdown();
	free(*state);
	return 0;
}

struct folio *
vgtest_folio(struct activity *a)
{
	struct folio_ret r = folio_alloc(a);
	struct folio *f;

	assert_int_equal(r.err, VG_OK);
	f = object_lookup(&r.cap);
	assert_non_null(f);
	return f;
}

struct vg_cap
vgtest_object(struct folio *f, unsigned index, enum vg_type type)
{
	struct folio_ret r = folio_object_alloc(f, index, type, 0);

	assert_int_equal(r.err, VG_OK);
	return r.cap;
}

struct vg_cap
vgtest_guarded(struct vg_cap cap, uint32_t guard, unsigned depth)
{
	assert_int_equal(cap_guard_check(guard, depth), VG_OK);
	cap.guard = guard;
	cap.guard_depth = (uint8_t)depth;
	return cap;
}

struct vg_cap
vgtest_subpage(struct vg_cap cap, unsigned log2, unsigned index)
{
	cap.subpage_log2 = 0;
	cap.subpage = 0;
	assert_int_equal(cap_subpage_narrow(&cap, log2, index), VG_OK);
	return cap;
}

struct cappage *
vgtest_cappage(struct vg_cap cap)
{
	struct cappage *cp = object_lookup(&cap);

	assert_non_null(cp);
	assert_true(cap.type == VG_TYPE_CAPPAGE || cap.type == VG_TYPE_RCAPPAGE);
	return cp;
}

struct vgtest_proc
vgtest_proc(struct activity *a)
{
	struct vgtest_proc p = { .folio = vgtest_folio(a) };
	struct vg_cap utcb;

	p.root = vgtest_object(p.folio, 0, VG_TYPE_CAPPAGE);
	p.space = vgtest_cappage(p.root);
	p.thread_cap = vgtest_object(p.folio, 1, VG_TYPE_THREAD);
	p.thread = object_lookup(&p.thread_cap);
	utcb = vgtest_object(p.folio, 2, VG_TYPE_PAGE);
	p.utcb = object_lookup(&utcb);
	p.next_object = 3;
	p.next_slot = VGTEST_PROC_FIRST_SLOT;

	p.space->slot[0] = p.root;
	p.space->slot[1] = p.thread_cap;
	p.space->slot[2] = folio_cap(p.folio);
	p.space->slot[3] = utcb;
	p.thread->slot[VG_THREAD_SLOT_ASPACE] = p.root;
	p.thread->slot[VG_THREAD_SLOT_UTCB] = utcb;
	p.thread->handler_ip = 0x1000;
	p.thread->handler_sp = 0x2000;
	p.thread->state = VG_THREAD_RUNNABLE;
	return p;
}

unsigned
vgtest_give(struct vgtest_proc *p, struct vg_cap cap)
{
	unsigned slot = p->next_slot++;

	assert_true(slot < VG_CAPPAGE_SLOTS);
	p->space->slot[slot] = cap;
	cache_slot_changed(&p->space->slot[slot]);
	return slot;
}

struct vg_cap
vgtest_proc_object(struct vgtest_proc *p, enum vg_type type, unsigned *slot)
{
	struct vg_cap cap;
	unsigned s;

	if (p->next_object == VG_FOLIO_OBJECTS) {
		p->folio = vgtest_folio(p->folio->activity);
		p->next_object = 0;
	}
	cap = vgtest_object(p->folio, p->next_object++, type);
	s = vgtest_give(p, cap);
	if (slot != NULL)
		*slot = s;
	return cap;
}

struct messenger *
vgtest_messenger(struct vgtest_proc *p, uint64_t id, bool buffer,
    unsigned *slot)
{
	struct vg_cap cap = vgtest_proc_object(p, VG_TYPE_MESSENGER, slot);
	struct messenger *m = object_lookup(&cap);

	m->id = id;
	m->slot[VG_MESSENGER_SLOT_THREAD] = p->thread_cap;
	m->slot[VG_MESSENGER_SLOT_ASPACE] = p->root;
	if (buffer)
		m->slot[VG_MESSENGER_SLOT_BUFFER] =
		    vgtest_proc_object(p, VG_TYPE_PAGE, NULL);
	cache_slot_changed(m);
	return m;
}

struct vg_cap
vgtest_send_right(struct messenger *m)
{
	struct vg_cap cap = object_cap_of(m);

	cap.type = VG_TYPE_RMESSENGER;
	return cap;
}

enum vg_err
vgtest_receive(struct vgtest_proc *p, unsigned recv, uint32_t flags)
{
	struct vg_ipc_args a = {
		.flags = VG_IPC_RECEIVE | VG_IPC_RETURN | flags,
		.recv_messenger = vgtest_slot(recv),
	};

	return ipc(p->thread, &a);
}

struct vg_message *
vgtest_buffer(struct messenger *m)
{
	struct vg_message *msg = object_lookup(&m->slot[VG_MESSENGER_SLOT_BUFFER]);

	assert_non_null(msg);
	return msg;
}

size_t
vgtest_activations(const struct vgtest_proc *p)
{
	size_t n, i, count = 0;
	const struct hosted_event *ev = hosted_events(&n);
	uint32_t oid = storage_oid(p->thread);

	assert_int_equal(hosted_events_lost(), 0);
	for (i = 0; i < n; i++) {
		if (ev[i].kind == HOSTED_EVENT_ACTIVATED && ev[i].thread == oid)
			count++;
	}
	return count;
}

void
vgtest_check_invariants(void)
{
	const char *why = vg_check_invariants();

	if (why != NULL)
		fail_msg("kernel invariant violated: %s", why);
}
