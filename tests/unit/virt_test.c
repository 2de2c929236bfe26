/*
 * Virtualization and the resumable kernel (docs/design.md §5): indexes
 * served by user-level virtualizers at every position a transfer
 * translates (target, source capability, target slot, data fault), at
 * nesting depths 1, 2 and 4; equivalence with real cappage trees;
 * transparent object virtualization; hostile virtualizers; cancellation.
 *
 * The virtualizers here are played by the test: a server process whose
 * messengers receive the kernel's requests and whose answers are sent
 * with vg_ipc like any program's.  Each virtualizer serves one virtual
 * cappage level backed by a real cappage in the server's space.
 */
#include <string.h>

#include "continuation.h"
#include "vgtest.h"

/* What a failed fault_resolve describes (the tests look at it where
 * they say). */
static struct fault_detail fd;

/* Slots of the server's space that receive a request's capabilities. */
#define RX_REPLY	240	/* capability 0: the reply right */
#define RX_STORE	241	/* capability 1 of STORE: what to store */

enum behaviour {
	ANSWER,			/* index 8 bits, as a cappage would */
	WRONG_TYPE,		/* answer with a page where more bits remain */
	BAD_BITS,		/* claim more bits than there are */
	ZERO_BITS,		/* claim no bits */
	VOID_CAP,		/* answer with a void capability */
	ERROR,			/* answer with an error */
	TWICE,			/* answer, then answer again */
	NEVER,			/* take the request, never answer */
};

struct virt {
	struct messenger *m;	/* receives requests */
	unsigned slot;		/* its slot in the server's space */
	unsigned backing;	/* slot of the real cappage behind it */
	struct cappage *cp;
	enum behaviour how;
	bool receiving;		/* we unblocked it and wait for a message */
	unsigned served;	/* requests answered (or taken) */
	uint64_t last_method;
	vg_addr_t last_residual;
	uint64_t last_word2;	/* FAULT: the access */
};

struct fixture {
	struct vgtest t;
	struct vgtest_proc client;
	struct vgtest_proc server;
	struct vgtest_proc other;	/* a receiver */
	struct messenger *answer;	/* the server's answering messenger */
	unsigned answer_slot;
	struct virt v[8];
	unsigned nv;
};

static int
setup(void **state)
{
	struct fixture *x = test_malloc(sizeof(*x));

	memset(x, 0, sizeof(*x));
	x->t = vgtest_boot(64);
	x->client = vgtest_proc(x->t.root_activity);
	x->server = vgtest_proc(x->t.root_activity);
	x->other = vgtest_proc(x->t.root_activity);
	x->answer = vgtest_messenger(&x->server, 999, false, &x->answer_slot);
	*state = x;
	return 0;
}

static int
teardown(void **state)
{
	vgtest_check_invariants();
	hosted_shutdown();
	test_free(*state);
	return 0;
}

/* A new virtualizer in the server, backed by a fresh real cappage. */
static struct virt *
virt_new(struct fixture *x, enum behaviour how)
{
	struct virt *v = &x->v[x->nv++];
	struct vg_message *buf;
	struct vg_cap cp;

	v->m = vgtest_messenger(&x->server, 100 + x->nv, true, &v->slot);
	cp = vgtest_proc_object(&x->server, VG_TYPE_CAPPAGE, &v->backing);
	v->cp = vgtest_cappage(cp);
	v->how = how;
	buf = vgtest_buffer(v->m);
	vg_message_clear(buf);
	vg_message_append_cap(buf, vgtest_slot(RX_REPLY));
	vg_message_append_cap(buf, vgtest_slot(RX_STORE));
	assert_int_equal(vgtest_receive(&x->server, v->slot, 0), VG_OK);
	v->receiving = true;
	return v;
}

/* The server answers the request V holds: ERR, BITS, and the capability
 * at slot CAP_INDEX of V's backing cappage (or none, if negative). */
static void
virt_reply(struct fixture *x, struct virt *v, uint64_t err, uint64_t bits,
    int cap_index)
{
	struct vg_ipc_args a = {
		.flags = VG_IPC_SEND | VG_IPC_RETURN | VG_IPC_SEND_INLINE |
		    VG_IPC_INLINE_WORDS(2),
		.target = vgtest_slot(RX_REPLY),
		.send_messenger = vgtest_slot(x->answer_slot),
		.inline_words = { err, bits },
	};

	if (cap_index >= 0) {
		/* A slot's address includes the guard of what it holds. */
		const struct vg_cap *at = &v->cp->slot[cap_index];

		a.flags |= VG_IPC_INLINE_CAP;
		a.inline_cap = vg_addr((((uint64_t)v->backing << 8 |
		    (unsigned)cap_index) << at->guard_depth) | at->guard,
		    16 + at->guard_depth);
	}
	assert_int_equal(ipc(x->server.thread, &a), VG_OK);
}

/* Answer V's request as its behaviour says.  Returns false if V holds
 * no request. */
static bool
virt_serve_one(struct fixture *x, struct virt *v)
{
	struct vg_message *req;
	uint64_t method;
	vg_addr_t residual;
	unsigned depth, index;

	if (!v->receiving || !(v->m->flags & VG_MESSENGER_BLOCKED))
		return false;
	v->receiving = false;
	req = vgtest_buffer(v->m);
	method = vg_message_word(req, 0);
	residual.raw = vg_message_word(req, 1);
	v->last_method = method;
	v->last_residual = residual;
	v->last_word2 = vg_message_word(req, 2);
	v->served++;
	depth = vg_addr_depth(residual);
	assert_true(depth >= 8);
	index = (unsigned)vg_addr_bits(residual, 0, 8);

	switch (v->how) {
	case ANSWER:
	case TWICE:
		if (method == VG_METHOD_STORE && depth == 8) {
			struct capop_ret r = cap_copy(&x->server.root,
			    vg_addr((v->backing << 8) | index, 16),
			    &x->server.root, vgtest_slot(RX_STORE),
			    VG_CAP_COPY_SOURCE_GUARD,
			    (struct vg_cap_translator){ 0 });

			assert_int_equal(r.err, VG_OK);
			virt_reply(x, v, VG_OK, 8, -1);
		} else {
			virt_reply(x, v, VG_OK, 8, (int)index);
		}
		if (v->how == TWICE)
			virt_reply(x, v, VG_OK, 8, (int)index);
		break;
	case WRONG_TYPE:
		v->cp->slot[255] = x->server.space->slot[3];	/* a page */
		virt_reply(x, v, VG_OK, 8, 255);
		break;
	case BAD_BITS:
		virt_reply(x, v, VG_OK, 64, (int)index);
		break;
	case ZERO_BITS:
		virt_reply(x, v, VG_OK, 0, (int)index);
		break;
	case VOID_CAP:
		virt_reply(x, v, VG_OK, 8, 254);	/* an empty slot */
		break;
	case ERROR:
		virt_reply(x, v, VG_ERR_GUARD_MISMATCH, 0, -1);
		break;
	case NEVER:
		return true;	/* keeps it, stays blocked */
	}
	assert_int_equal(vgtest_receive(&x->server, v->slot, 0), VG_OK);
	v->receiving = true;
	return true;
}

/* Serve requests until no virtualizer holds one; returns how many. */
static unsigned
serve_all(struct fixture *x)
{
	unsigned n = 0, i;
	bool again = true;

	while (again) {
		again = false;
		for (i = 0; i < x->nv; i++) {
			if (virt_serve_one(x, &x->v[i])) {
				n++;
				again = true;
			}
		}
		assert_true(n < 1000);
	}
	return n;
}

/*
 * A chain of DEPTH virtualized levels: the client's slot CSLOT holds a
 * send right to the first virtualizer; level i's backing cappage holds,
 * at index IDX(i), a send right to level i+1's; the last holds LEAF at
 * IDX(DEPTH-1).  Returns the address prefix (depth 8 + 8*DEPTH) that
 * reaches LEAF through the chain.
 */
#define IDX(i) (17u + 31u * (unsigned)(i))
static uint64_t
chain(struct fixture *x, struct vgtest_proc *p, unsigned depth,
    struct vg_cap leaf, enum behaviour how, unsigned *cslot)
{
	struct virt *first = virt_new(x, ANSWER), *prev = first;
	uint64_t prefix;
	unsigned i;

	for (i = 1; i < depth; i++) {
		struct virt *v = virt_new(x, ANSWER);

		prev->cp->slot[IDX(i - 1)] = vgtest_send_right(v->m);
		prev = v;
	}
	prev->cp->slot[IDX(depth - 1)] = leaf;
	prev->how = how;
	*cslot = vgtest_give(p, vgtest_send_right(first->m));
	prefix = *cslot;
	for (i = 0; i < depth; i++)
		prefix = (prefix << 8) | IDX(i);
	return prefix;
}

/* Send a message from the client's messenger at SS to TARGET. */
static enum vg_err
client_send(struct fixture *x, unsigned ss, vg_addr_t target, uint64_t w0)
{
	struct vg_ipc_args a = {
		.flags = VG_IPC_SEND | VG_IPC_RETURN | VG_IPC_SEND_INLINE |
		    VG_IPC_INLINE_WORDS(1),
		.target = target,
		.send_messenger = vgtest_slot(ss),
		.inline_words = { w0 },
	};

	return ipc(x->client.thread, &a);
}

/* The target of a send, found through DEPTH virtualized levels. */
static void
target_through(void **state, unsigned depth)
{
	struct fixture *x = *state;
	unsigned rs, ss, cslot;
	struct messenger *r = vgtest_messenger(&x->other, 7, false, &rs);
	struct messenger *s = vgtest_messenger(&x->client, 8, false, &ss);
	uint64_t prefix = chain(x, &x->client, depth, vgtest_send_right(r), ANSWER,
	    &cslot);

	assert_int_equal(vgtest_receive(&x->other, rs, VG_IPC_RECEIVE_INLINE), VG_OK);
	assert_int_equal(client_send(x, ss, vg_addr(prefix, 8 + 8 * depth),
	    0xabc), VG_OK);
	/* Suspended: the client's thread runs on, its messenger waits. */
	assert_true(s->cont.awaiting);
	assert_int_equal(s->cont.phase, CONT_TARGET);
	assert_true(messenger_busy(s));
	assert_int_equal(x->client.thread->state, VG_THREAD_RUNNABLE);
	assert_false(r->flags & VG_MESSENGER_BLOCKED);
	vgtest_check_invariants();

	assert_int_equal(serve_all(x), depth);
	assert_int_equal(x->v[0].last_method, VG_METHOD_INDEX);
	assert_int_equal(vg_addr_depth(x->v[0].last_residual), 8 * depth);
	assert_true(r->flags & VG_MESSENGER_BLOCKED);
	assert_int_equal(r->inline_words[0], 0xabc);
	assert_false(messenger_busy(s));
	assert_int_equal(s->cont.phase, CONT_NONE);
}

static void test_virt_target_depth_1(void **s) { target_through(s, 1); }
static void test_virt_target_depth_2(void **s) { target_through(s, 2); }
static void test_virt_target_depth_4(void **s) { target_through(s, 4); }

/* Capability 1 of a message, found through DEPTH virtualized levels. */
static void
source_through(void **state, unsigned depth)
{
	struct fixture *x = *state;
	unsigned rs, ss, to, cslot, i;
	struct messenger *r = vgtest_messenger(&x->other, 7, true, &rs);
	struct messenger *s = vgtest_messenger(&x->client, 8, true, &ss);
	struct vg_cap leaf = vgtest_proc_object(&x->server, VG_TYPE_PAGE,
	    NULL);
	uint64_t prefix = chain(x, &x->client, depth, leaf, ANSWER, &cslot);
	struct vg_message *out = vgtest_buffer(s), *in = vgtest_buffer(r);
	struct vg_ipc_args a = {
		.flags = VG_IPC_SEND | VG_IPC_RETURN,
		.send_messenger = vgtest_slot(ss),
	};

	to = vgtest_give(&x->client, vgtest_send_right(r));
	a.target = vgtest_slot(to);
	vg_message_clear(out);
	vg_message_append_cap(out, vgtest_slot(1));	/* its thread */
	vg_message_append_cap(out, vg_addr(prefix, 8 + 8 * depth));
	vg_message_append_cap(out, vgtest_slot(0));	/* its root */
	vg_message_append_word(out, 0x5eed);
	vg_message_clear(in);
	for (i = 0; i < 3; i++)
		vg_message_append_cap(in, vgtest_slot(200 + i));

	assert_int_equal(vgtest_receive(&x->other, rs, 0), VG_OK);
	assert_int_equal(ipc(x->client.thread, &a), VG_OK);
	/* The receiver is reserved for this delivery meanwhile. */
	assert_ptr_equal(r->reserved_by, s);
	assert_int_equal(s->cont.phase, CONT_DELIVERY);
	assert_int_equal(s->cont.delivery.stage, DELIVERY_SOURCES);
	assert_int_equal(s->cont.delivery.index, 1);
	assert_int_equal(vgtest_receive(&x->other, rs, 0), VG_ERR_BUSY);
	vgtest_check_invariants();

	assert_int_equal(serve_all(x), depth);
	assert_null(r->reserved_by);
	assert_int_equal(in->cap_count, 3);
	assert_int_equal(in->cap_void, 0);
	assert_int_equal(vg_message_word(in, 0), 0x5eed);
	assert_int_equal(x->other.space->slot[200].type, VG_TYPE_THREAD);
	assert_int_equal(x->other.space->slot[201].oid, leaf.oid);
	assert_int_equal(x->other.space->slot[201].type, VG_TYPE_PAGE);
	assert_int_equal(x->other.space->slot[202].type, VG_TYPE_CAPPAGE);
}

static void test_virt_source_depth_1(void **s) { source_through(s, 1); }
static void test_virt_source_depth_2(void **s) { source_through(s, 2); }
static void test_virt_source_depth_4(void **s) { source_through(s, 4); }

/*
 * Target slot 0 of a message, found through DEPTH virtualized levels in
 * the receiver's space.  If LAST_REAL, the chain ends in a real cappage
 * whose slot the kernel stores into; otherwise the last level stores it
 * (a STORE request).
 */
static void
target_slot_through(void **state, unsigned depth, bool last_real)
{
	struct fixture *x = *state;
	unsigned rs, ss, to, rslot;
	struct messenger *r = vgtest_messenger(&x->other, 7, true, &rs);
	struct messenger *s = vgtest_messenger(&x->client, 8, true, &ss);
	struct vg_cap real = vgtest_proc_object(&x->server, VG_TYPE_CAPPAGE,
	    NULL);
	uint64_t prefix;
	unsigned bits;
	struct vg_message *out = vgtest_buffer(s), *in = vgtest_buffer(r);
	struct vg_ipc_args a = {
		.flags = VG_IPC_SEND | VG_IPC_RETURN,
		.send_messenger = vgtest_slot(ss),
	};

	if (last_real) {
		prefix = chain(x, &x->other, depth, real, ANSWER, &rslot);
		prefix = (prefix << 8) | 9;	/* slot 9 of the real one */
		bits = 8 + 8 * depth + 8;
	} else {
		/* The last level's backing slot IDX(depth-1) is the slot. */
		prefix = chain(x, &x->other, depth, VG_CAP_VOID, ANSWER,
		    &rslot);
		bits = 8 + 8 * depth;
	}
	to = vgtest_give(&x->client, vgtest_send_right(r));
	a.target = vgtest_slot(to);
	vg_message_clear(out);
	vg_message_append_cap(out, vgtest_slot(1));	/* the client thread */
	vg_message_clear(in);
	vg_message_append_cap(in, vg_addr(prefix, bits));

	assert_int_equal(vgtest_receive(&x->other, rs, 0), VG_OK);
	assert_int_equal(ipc(x->client.thread, &a), VG_OK);
	assert_int_equal(s->cont.phase, CONT_DELIVERY);
	assert_int_equal(s->cont.delivery.stage, DELIVERY_SLOTS);
	vgtest_check_invariants();
	assert_int_equal(serve_all(x), depth);
	/* Resolving a target slot always asks to store: a level that
	 * does not hold the slot answers like an index. */
	assert_int_equal(x->v[depth - 1].last_method, VG_METHOD_STORE);
	assert_int_equal(in->cap_void, 0);
	if (last_real) {
		assert_int_equal(vgtest_cappage(real)->slot[9].oid,
		    x->client.thread_cap.oid);
	} else {
		struct vg_cap got = x->v[depth - 1].cp->slot[IDX(depth - 1)];

		assert_int_equal(got.oid, x->client.thread_cap.oid);
		assert_int_equal(got.type, VG_TYPE_THREAD);
	}
	assert_null(r->reserved_by);
	assert_int_equal(s->cont.phase, CONT_NONE);
}

static void test_virt_store_depth_1(void **s) { target_slot_through(s, 1, false); }
static void test_virt_store_depth_2(void **s) { target_slot_through(s, 2, false); }
static void test_virt_store_depth_4(void **s) { target_slot_through(s, 4, false); }
static void test_virt_slot_depth_1(void **s) { target_slot_through(s, 1, true); }
static void test_virt_slot_depth_2(void **s) { target_slot_through(s, 2, true); }
static void test_virt_slot_depth_4(void **s) { target_slot_through(s, 4, true); }

/*
 * A data fault whose translation meets DEPTH virtualized levels: FAULT
 * requests go out through the thread's exception messenger, and the
 * answer maps the page.  With EXEC the fault is an instruction fetch
 * (FAULT's word 2 says so) and the page found has the execute right:
 * it is mapped executable.
 */
static void
fault_through_as(void **state, unsigned depth, bool exec)
{
	struct fixture *x = *state;
	unsigned es, cslot, i;
	struct messenger *e = vgtest_messenger(&x->client, 5, false, &es);
	struct vg_cap page = vgtest_proc_object(&x->server, VG_TYPE_PAGE, NULL);
	struct cappage *top;
	struct vg_cap top_cap;
	uint64_t prefix, addr;
	size_t n;
	const struct hosted_event *ev;

	/* Data addresses are 52 bits deep: the client's root (8 bits)
	 * plus DEPTH virtual levels (8 each) plus one real cappage that
	 * takes what is left as its guard and index. */
	prefix = chain(x, &x->client, depth, VG_CAP_VOID, ANSWER, &cslot);
	top_cap = vgtest_proc_object(&x->server, VG_TYPE_CAPPAGE, NULL);
	top = vgtest_cappage(top_cap);
	top->slot[0x42] = page;
	x->v[x->nv - 1].cp->slot[IDX(depth - 1)] = vgtest_guarded(top_cap, 0,
	    52 - 8 - 8 * depth - 8);
	prefix = (prefix << (52 - 8 - 8 * depth)) | 0x42;
	addr = (prefix << 12) | 0x123;
	x->client.thread->slot[VG_THREAD_SLOT_EXCEPTION] = object_cap_of(e);
	if (exec)
		top->slot[0x42].rights = VG_CAP_EXECUTE;

	assert_int_equal(fault_resolve(x->client.thread, addr, exec ?
	    VG_FAULT_EXECUTE : VG_FAULT_WRITE, &fd), VG_OK);
	assert_int_equal(x->client.thread->state, VG_THREAD_FAULTED);
	assert_ptr_equal(x->client.thread->fault_messenger, e);
	vgtest_check_invariants();
	hosted_events_clear();
	assert_int_equal(serve_all(x), depth);
	assert_int_equal(x->v[0].last_method, VG_METHOD_FAULT);
	assert_int_equal(x->v[0].last_word2, exec ? VG_FAULT_EXECUTE :
	    VG_FAULT_WRITE);
	assert_int_equal(x->client.utcb->reason, 0);
	assert_int_equal(x->client.thread->state, VG_THREAD_RUNNABLE);
	assert_null(x->client.thread->fault_messenger);
	ev = hosted_events(&n);
	for (i = 0; i < n && ev[i].kind != HOSTED_EVENT_MAPPED; i++)
		;
	assert_true(i < n);
	assert_int_equal(ev[i].page, page.oid);
	assert_int_equal(ev[i].vaddr, addr & ~(uint64_t)0xfff);
	assert_true(ev[i].writable);
	assert_int_equal(ev[i].executable, exec);
}

static void test_virt_fault_depth_1(void **s) { fault_through_as(s, 1, false); }
static void test_virt_fault_depth_2(void **s) { fault_through_as(s, 2, false); }
static void test_virt_fault_depth_4(void **s) { fault_through_as(s, 4, false); }
static void test_virt_fault_execute(void **s) { fault_through_as(s, 2, true); }

/*
 * An instruction fetch that a virtualizer answers with a page without
 * the execute right fails: nothing is mapped, and the thread's fault
 * activation says VG_ERR_NO_EXECUTE.
 */
static void
test_virt_fault_execute_refused(void **state)
{
	struct fixture *x = *state;
	unsigned es, cslot;
	struct messenger *e = vgtest_messenger(&x->client, 5, false, &es);
	struct vg_cap page = vgtest_proc_object(&x->server, VG_TYPE_PAGE, NULL);
	struct vg_cap top_cap;
	uint64_t prefix, addr;
	size_t n, i;
	const struct hosted_event *ev;

	prefix = chain(x, &x->client, 1, VG_CAP_VOID, ANSWER, &cslot);
	top_cap = vgtest_proc_object(&x->server, VG_TYPE_CAPPAGE, NULL);
	vgtest_cappage(top_cap)->slot[0x42] = page;
	x->v[x->nv - 1].cp->slot[IDX(0)] = vgtest_guarded(top_cap, 0, 28);
	addr = ((prefix << 36 | 0x42) << 12) | 0x10;
	x->client.thread->slot[VG_THREAD_SLOT_EXCEPTION] = object_cap_of(e);

	assert_int_equal(fault_resolve(x->client.thread, addr,
	    VG_FAULT_EXECUTE, &fd), VG_OK);
	hosted_events_clear();
	assert_int_equal(serve_all(x), 1);
	assert_int_equal(x->v[0].last_word2, VG_FAULT_EXECUTE);
	/* Its own messenger: its handler runs and sees why. */
	assert_null(x->client.thread->fault_messenger);
	assert_int_equal(x->client.utcb->error, VG_ERR_NO_EXECUTE);
	assert_int_equal(x->client.utcb->fault_address, addr);
	ev = hosted_events(&n);
	for (i = 0; i < n; i++)
		assert_int_not_equal(ev[i].kind, HOSTED_EVENT_MAPPED);
	vgtest_check_invariants();
}

/* A fault with no virtualized level is resolved at once. */
static void
test_virt_fault_without_virtualizer(void **state)
{
	struct fixture *x = *state;
	struct vg_cap page = vgtest_proc_object(&x->client, VG_TYPE_PAGE, NULL);
	struct vg_cap top = vgtest_proc_object(&x->client, VG_TYPE_CAPPAGE,
	    NULL);
	unsigned ts = x->client.next_slot - 1;
	uint64_t addr = (((uint64_t)ts << 44) | 7) << 12;

	vgtest_cappage(top)->slot[7] = page;
	x->client.space->slot[ts] = vgtest_guarded(top, 0, 36);
	assert_int_equal(fault_resolve(x->client.thread, addr, VG_FAULT_READ, &fd),
	    VG_OK);
	/* Nothing there: the fault fails, and says why. */
	assert_int_equal(fault_resolve(x->client.thread, addr + 4096,
	    VG_FAULT_READ, &fd), VG_ERR_VOID);
	/* No virtualizer to carry a request: none can be sent. */
	x->client.space->slot[ts] = vgtest_send_right(x->answer);
	assert_int_equal(fault_resolve(x->client.thread, addr, VG_FAULT_READ, &fd),
	    VG_ERR_VIRTUAL);
}

/*
 * The same message, sent once through real cappages and once through a
 * virtualized copy of them, leaves the receiver in the same state.
 */
static void
test_virt_equivalence(void **state)
{
	struct fixture *x = *state;
	struct vg_cap leaf = vgtest_proc_object(&x->server, VG_TYPE_PAGE,
	    NULL);
	struct vg_cap real2 = vgtest_proc_object(&x->client, VG_TYPE_CAPPAGE,
	    NULL);
	struct vg_cap real1 = vgtest_proc_object(&x->client, VG_TYPE_CAPPAGE,
	    NULL);
	unsigned real_slot = x->client.next_slot - 1, virt_slot, rs, ss, to;
	struct messenger *r = vgtest_messenger(&x->other, 7, true, &rs);
	struct messenger *s = vgtest_messenger(&x->client, 8, true, &ss);
	struct vg_message *out = vgtest_buffer(s), *in = vgtest_buffer(r);
	struct vg_message snapshot[2];
	struct vg_cap slots[2][4];
	int round, i;

	vgtest_cappage(real1)->slot[IDX(0)] = real2;
	vgtest_cappage(real2)->slot[IDX(1)] = leaf;
	(void)chain(x, &x->client, 2, leaf, ANSWER, &virt_slot);
	to = vgtest_give(&x->client, vgtest_send_right(r));
	for (round = 0; round < 2; round++) {
		uint64_t base = round == 0 ? real_slot : virt_slot;
		struct vg_ipc_args a = {
			.flags = VG_IPC_SEND | VG_IPC_RETURN,
			.send_messenger = vgtest_slot(ss),
			.target = vgtest_slot(to),
		};

		vg_message_clear(out);
		vg_message_append_cap(out, vg_addr((((base << 8) | IDX(0)) <<
		    8) | IDX(1), 24));
		vg_message_append_cap(out, vg_addr((base << 8) | IDX(0), 16));
		vg_message_append_cap(out, vg_addr((base << 8) | 3, 16));
		vg_message_append_word(out, 77);
		vg_message_clear(in);
		for (i = 0; i < 4; i++)
			vg_message_append_cap(in, vgtest_slot(210 + i));
		for (i = 0; i < 4; i++)
			x->other.space->slot[210 + i] = VG_CAP_VOID;
		assert_int_equal(vgtest_receive(&x->other, rs, 0), VG_OK);
		assert_int_equal(ipc(x->client.thread, &a), VG_OK);
		serve_all(x);
		memcpy(&snapshot[round], in, sizeof(struct vg_message));
		for (i = 0; i < 4; i++)
			slots[round][i] = x->other.space->slot[210 + i];
	}
	assert_memory_equal(&snapshot[0], &snapshot[1],
	    sizeof(struct vg_message));
	assert_int_equal(vg_message_word(in, 0), 77);
	for (i = 0; i < 3; i++)
		assert_int_equal(slots[0][i].type != VG_TYPE_VOID, i != 2);
	/* The interior cappage differs (a real one vs a virtualizer's
	 * answer); the leaf capabilities are the same. */
	assert_memory_equal(&slots[0][0], &slots[1][0], sizeof(struct vg_cap));
	assert_memory_equal(&slots[0][2], &slots[1][2], sizeof(struct vg_cap));
	assert_memory_equal(&slots[0][3], &slots[1][3], sizeof(struct vg_cap));
}

/*
 * Transparent object virtualization: a caller invokes CAP_READ on a
 * cappage, once directly and once through an rmessenger whose server
 * forwards the request to the same cappage and relays the kernel's
 * reply.  The caller's view is the same.
 */
static void
test_virt_object_is_transparent(void **state)
{
	struct fixture *x = *state;
	struct vg_cap cp = vgtest_proc_object(&x->client, VG_TYPE_CAPPAGE,
	    NULL);
	unsigned real_slot = x->client.next_slot - 1, vslot, rs, ss, fs, ps;
	unsigned rws;
	struct messenger *reply = vgtest_messenger(&x->client, 3, false, &rs);
	struct messenger *proxy = vgtest_messenger(&x->server, 4, false, &ps);
	struct messenger *fwd = vgtest_messenger(&x->server, 5, false, &fs);
	uint64_t words[2][VG_INLINE_WORDS];
	uint32_t flags[2];
	struct vg_utcb utcb[2];
	int round;

	vgtest_cappage(cp)->slot[6] = vgtest_guarded(x->client.thread_cap, 1,
	    1);
	vgtest_messenger(&x->client, 8, false, &ss);
	vslot = vgtest_give(&x->client, vgtest_send_right(proxy));
	/* Callers name their reply messenger by a send right: a request
	 * may go to a server, which needs no more than that. */
	rws = vgtest_give(&x->client, vgtest_send_right(reply));
	/* The server holds the real cappage too: it is what it serves. */
	x->server.space->slot[230] = cp;

	for (round = 0; round < 2; round++) {
		struct vg_ipc_args call = {
			.flags = VG_IPC_RECEIVE | VG_IPC_RECEIVE_INLINE |
			    VG_IPC_RECEIVE_ACTIVATE | VG_IPC_SEND |
			    VG_IPC_RETURN | VG_IPC_SEND_INLINE |
			    VG_IPC_INLINE_WORDS(2) | VG_IPC_INLINE_CAP,
			.recv_messenger = vgtest_slot(rs),
			.target = vgtest_slot(round == 0 ? real_slot : vslot),
			.send_messenger = vgtest_slot(ss),
			.inline_words = { VG_METHOD_CAP_READ,
			    vg_addr((6 << 1) | 1, 9).raw },
			.inline_cap = vgtest_slot(rws),
		};

		x->client.utcb->mode = 0;
		if (round == 1) {
			/* The proxy is receiving, its reply right lands in
			 * RX_REPLY. */
			struct vg_ipc_args prx = {
				.flags = VG_IPC_RECEIVE | VG_IPC_RETURN |
				    VG_IPC_RECEIVE_INLINE,
				.recv_messenger = vgtest_slot(ps),
				.recv_inline_cap = vgtest_slot(RX_REPLY),
			};

			assert_int_equal(ipc(x->server.thread, &prx), VG_OK);
		}
		assert_int_equal(ipc(x->client.thread, &call), VG_OK);
		if (round == 1) {
			/* The proxy got the request unchanged; it forwards
			 * it to the real cappage, receiving the reply on
			 * FWD, and relays that reply verbatim. */
			struct vg_ipc_args fw = {
				.flags = VG_IPC_RECEIVE | VG_IPC_RECEIVE_INLINE |
				    VG_IPC_SEND | VG_IPC_RETURN |
				    VG_IPC_SEND_INLINE |
				    VG_IPC_INLINE_WORDS(2) | VG_IPC_INLINE_CAP,
				.recv_messenger = vgtest_slot(fs),
				.target = vgtest_slot(230),
				.send_messenger = vgtest_slot(x->answer_slot),
				.inline_cap = vgtest_slot(fs),
			};
			struct vg_ipc_args relay = {
				.flags = VG_IPC_SEND | VG_IPC_RETURN |
				    VG_IPC_SEND_INLINE,
				.target = vgtest_slot(RX_REPLY),
				.send_messenger = vgtest_slot(x->answer_slot),
			};

			assert_int_equal(proxy->inline_nwords, 2);
			assert_int_equal(proxy->inline_words[0],
			    VG_METHOD_CAP_READ);
			assert_int_equal(proxy->inline_words[1],
			    vg_addr((6 << 1) | 1, 9).raw);
			assert_int_equal(x->server.space->slot[RX_REPLY].type,
			    VG_TYPE_RMESSENGER);
			memcpy(fw.inline_words, proxy->inline_words,
			    sizeof(fw.inline_words));
			assert_int_equal(ipc(x->server.thread, &fw), VG_OK);
			relay.flags |= VG_IPC_INLINE_WORDS(fwd->inline_nwords);
			memcpy(relay.inline_words, fwd->inline_words,
			    sizeof(relay.inline_words));
			assert_int_equal(ipc(x->server.thread, &relay), VG_OK);
		}
		memcpy(words[round], reply->inline_words, sizeof(words[0]));
		flags[round] = reply->flags;
		memcpy(&utcb[round], x->client.utcb, sizeof(utcb[0]));
		assert_int_equal(reply->inline_words[0], VG_OK);
	}
	assert_memory_equal(words[0], words[1], sizeof(words[0]));
	assert_int_equal(words[0][1], VG_TYPE_THREAD);
	/* The translator: guard 1, one bit deep. */
	assert_int_equal(words[0][2], vg_translator_pack(
	    (struct vg_cap_translator){ .guard = 1, .guard_depth = 1 }));
	assert_int_equal(flags[0], flags[1]);
	assert_int_equal(utcb[0].messenger_id, utcb[1].messenger_id);
	assert_int_equal(utcb[0].reason, utcb[1].reason);
	assert_memory_equal(utcb[0].inline_words, utcb[1].inline_words,
	    sizeof(utcb[0].inline_words));
}

/* A hostile virtualizer on the path of a source capability: that
 * capability arrives void; the message and the others arrive. */
static void
hostile_source(void **state, enum behaviour how)
{
	struct fixture *x = *state;
	unsigned rs, ss, to, cslot;
	struct messenger *r = vgtest_messenger(&x->other, 7, true, &rs);
	struct messenger *s = vgtest_messenger(&x->client, 8, true, &ss);
	struct vg_cap leaf = vgtest_proc_object(&x->server, VG_TYPE_CAPPAGE,
	    NULL);
	/* Two levels below the virtualizer: its answer must be indexable. */
	uint64_t prefix = chain(x, &x->client, 1, leaf, how, &cslot);
	struct vg_message *out = vgtest_buffer(s), *in = vgtest_buffer(r);
	struct vg_ipc_args a = {
		.flags = VG_IPC_SEND | VG_IPC_RETURN,
		.send_messenger = vgtest_slot(ss),
	};

	vgtest_cappage(leaf)->slot[4] = x->client.thread_cap;
	to = vgtest_give(&x->client, vgtest_send_right(r));
	a.target = vgtest_slot(to);
	vg_message_clear(out);
	vg_message_append_cap(out, vg_addr((prefix << 8) | 4, 24));
	vg_message_append_cap(out, vgtest_slot(1));
	vg_message_append_word(out, 31337);
	vg_message_clear(in);
	vg_message_append_cap(in, vgtest_slot(220));
	vg_message_append_cap(in, vgtest_slot(221));

	assert_int_equal(vgtest_receive(&x->other, rs, 0), VG_OK);
	assert_int_equal(ipc(x->client.thread, &a), VG_OK);
	serve_all(x);
	if (how == NEVER) {
		/* Still waiting: the sender can cancel (below). */
		assert_true(s->cont.awaiting);
		assert_ptr_equal(r->reserved_by, s);
		return;
	}
	assert_int_equal(in->cap_count, 2);
	assert_int_equal(in->cap_void, how == TWICE ? 0 : 1);
	assert_int_equal(vg_message_word(in, 0), 31337);
	assert_int_equal(x->other.space->slot[221].type, VG_TYPE_THREAD);
	assert_int_equal(s->cont.phase, CONT_NONE);
	if (how == TWICE) {
		/* The second answer is just a message for S, which is not
		 * receiving: it waits there and harms nobody else. */
		assert_int_equal(s->wait_count, 1);
	}
}

static void test_virt_hostile_wrong_type(void **s) { hostile_source(s, WRONG_TYPE); }
static void test_virt_hostile_bad_bits(void **s) { hostile_source(s, BAD_BITS); }
static void test_virt_hostile_zero_bits(void **s) { hostile_source(s, ZERO_BITS); }
static void test_virt_hostile_void_cap(void **s) { hostile_source(s, VOID_CAP); }
static void test_virt_hostile_error(void **s) { hostile_source(s, ERROR); }
static void test_virt_hostile_twice(void **s) { hostile_source(s, TWICE); }

/* A virtualizer that never answers: the sender cancels, and nothing of
 * the transfer is left anywhere; the receiver takes the next sender. */
static void
test_virt_never_answers_then_cancel(void **state)
{
	struct fixture *x = *state;
	struct messenger *s, *r, *s2;
	unsigned ss2, to;

	hostile_source(state, NEVER);
	/* Find the parties: the sender is the one the virtualizer holds. */
	s = x->v[0].m->askers.head;
	assert_non_null(s);
	r = s->cont.delivery.dst;
	assert_non_null(r);

	/* Another sender queues on the reserved receiver meanwhile. */
	s2 = vgtest_messenger(&x->client, 9, false, &ss2);
	to = vgtest_give(&x->client, vgtest_send_right(r));
	assert_int_equal(client_send(x, ss2, vgtest_slot(to), 4242), VG_OK);
	assert_ptr_equal(s2->target, r);

	x->client.utcb->mode = 0;
	assert_true(messenger_cancel(s, VG_ERR_CANCELED));
	assert_int_equal(x->client.utcb->reason, VG_ACTIVATION_ERROR);
	assert_int_equal(x->client.utcb->error, VG_ERR_CANCELED);
	/* No trace: continuation clear, on no list, carrying nothing. */
	assert_int_equal(s->cont.phase, CONT_NONE);
	assert_false(s->cont.awaiting);
	assert_null(s->cont.asked);
	assert_null(s->target);
	assert_false(s->kflags & (MSGR_KREQ | MSGR_KMSG));
	assert_null(x->v[0].m->askers.head);
	assert_false(messenger_busy(s));
	/* The receiver was released and took the next sender at once. */
	assert_null(r->reserved_by);
	assert_null(s2->target);
	assert_true(r->flags & VG_MESSENGER_BLOCKED);
	vgtest_check_invariants();
	/* A late answer is an ordinary message to S now. */
	x->v[0].how = ANSWER;
	virt_reply(x, &x->v[0], VG_OK, 8, 1);
	assert_int_equal(s->cont.phase, CONT_NONE);
	assert_int_equal(s->wait_count, 1);
}

/* Cancelling a send whose target lookup is suspended (the request still
 * queued on a busy virtualizer) leaves nothing queued. */
static void
test_virt_cancel_queued_request(void **state)
{
	struct fixture *x = *state;
	unsigned rs, ss, cslot;
	struct messenger *r = vgtest_messenger(&x->other, 7, false, &rs);
	struct messenger *s = vgtest_messenger(&x->client, 8, false, &ss);
	uint64_t prefix = chain(x, &x->client, 1, vgtest_send_right(r), ANSWER,
	    &cslot);

	/* The virtualizer is not receiving: the request queues on it. */
	messenger_block(x->v[0].m);
	x->v[0].receiving = false;
	assert_int_equal(client_send(x, ss, vg_addr(prefix, 16), 1), VG_OK);
	assert_ptr_equal(s->target, x->v[0].m);
	assert_true(s->kflags & MSGR_KREQ);
	assert_true(messenger_cancel(s, VG_ERR_CANCELED));
	assert_null(s->target);
	assert_int_equal(x->v[0].m->wait_count, 0);
	assert_null(x->v[0].m->askers.head);
	assert_false(messenger_busy(s));
}

/* Destroying the virtualizer's messenger fails what awaits it: both the
 * request it holds and one still queued on it. */
static void
test_virt_destroy_virtualizer(void **state)
{
	struct fixture *x = *state;
	unsigned rs, ss[2], cslot, i;
	struct messenger *r = vgtest_messenger(&x->other, 7, false, &rs);
	struct messenger *s[2];
	uint64_t prefix = chain(x, &x->client, 1, vgtest_send_right(r), NEVER,
	    &cslot);
	struct messenger *v = x->v[0].m;
	struct folio *vf = storage_owner(storage_oid(v));

	for (i = 0; i < 2; i++) {
		s[i] = vgtest_messenger(&x->client, 20 + i, false, &ss[i]);
		assert_int_equal(client_send(x, ss[i], vg_addr(prefix, 16), i),
		    VG_OK);
	}
	serve_all(x);		/* takes the first, never answers */
	assert_ptr_equal(s[1]->target, v);
	x->client.utcb->mode = VG_UTCB_ACTIVATED;	/* queue activations */
	assert_int_equal(folio_object_alloc(vf,
	    (unsigned)storage_owner_index(storage_oid(v)), VG_TYPE_VOID, 0).err,
	    VG_OK);
	for (i = 0; i < 2; i++) {
		assert_false(messenger_busy(s[i]));
		assert_int_equal(s[i]->act_reason, VG_ACTIVATION_ERROR);
		assert_int_equal(s[i]->act_error, VG_ERR_DESTROYED);
	}
	vgtest_check_invariants();
}

/* Destroying the sender or the receiver of a suspended delivery. */
static void
test_virt_destroy_parties(void **state)
{
	struct fixture *x = *state;
	struct messenger *s, *r;
	struct folio *f;

	hostile_source(state, NEVER);
	s = x->v[0].m->askers.head;
	r = s->cont.delivery.dst;
	/* The receiver goes: the sender is told, and stops waiting. */
	x->client.utcb->mode = 0;
	f = storage_owner(storage_oid(r));
	assert_int_equal(folio_object_alloc(f,
	    (unsigned)storage_owner_index(storage_oid(r)), VG_TYPE_VOID, 0).err,
	    VG_OK);
	assert_false(messenger_busy(s));
	assert_int_equal(x->client.utcb->error, VG_ERR_DESTROYED);
	assert_null(x->v[0].m->askers.head);
	vgtest_check_invariants();
}

/* Destroying a sender mid-delivery releases its receiver. */
static void
test_virt_destroy_sender(void **state)
{
	struct fixture *x = *state;
	struct messenger *s, *r;
	struct folio *f;

	hostile_source(state, NEVER);
	s = x->v[0].m->askers.head;
	r = s->cont.delivery.dst;
	f = storage_owner(storage_oid(s));
	assert_int_equal(folio_object_alloc(f,
	    (unsigned)storage_owner_index(storage_oid(s)), VG_TYPE_VOID, 0).err,
	    VG_OK);
	assert_null(r->reserved_by);
	assert_false(r->flags & VG_MESSENGER_BLOCKED);	/* receiving again */
	assert_null(x->v[0].m->askers.head);
	vgtest_check_invariants();
}

/* A hostile answer while resolving a send's target fails the send with
 * an error activation; the caller's thread never waited. */
static void
test_virt_hostile_target(void **state)
{
	struct fixture *x = *state;
	unsigned rs, ss, cslot;
	struct messenger *r = vgtest_messenger(&x->other, 7, false, &rs);
	struct messenger *s = vgtest_messenger(&x->client, 8, false, &ss);
	uint64_t prefix = chain(x, &x->client, 1, vgtest_send_right(r), ERROR,
	    &cslot);

	x->client.utcb->mode = 0;
	assert_int_equal(client_send(x, ss, vg_addr(prefix, 16), 1), VG_OK);
	serve_all(x);
	assert_int_equal(x->client.utcb->reason, VG_ACTIVATION_ERROR);
	assert_int_equal(x->client.utcb->error, VG_ERR_GUARD_MISMATCH);
	assert_false(messenger_busy(s));
	assert_true(r->flags & VG_MESSENGER_BLOCKED);
	assert_int_equal(r->wait_count, 0);
}

/* An answer whose error is VG_ERR_VIRTUAL is an error like any other:
 * the send fails with it and nothing is left suspended.  (Found by the
 * fuzzer, when the kernel took that code for its own "suspend here".) */
static void
test_virt_answer_error_virtual(void **state)
{
	struct fixture *x = *state;
	unsigned rs, ss, cslot;
	struct messenger *r = vgtest_messenger(&x->other, 7, false, &rs);
	struct messenger *s = vgtest_messenger(&x->client, 8, false, &ss);
	uint64_t prefix = chain(x, &x->client, 1, vgtest_send_right(r), NEVER,
	    &cslot);

	x->client.utcb->mode = 0;
	assert_int_equal(client_send(x, ss, vg_addr(prefix, 16), 1), VG_OK);
	serve_all(x);
	virt_reply(x, &x->v[0], VG_ERR_VIRTUAL, 8, 1);
	assert_int_equal(x->client.utcb->error, VG_ERR_VIRTUAL);
	assert_false(messenger_busy(s));
}

/*
 * While a send is suspended, nothing but its answer writes the sender's
 * message or slots.  The client calls (receives and sends on one
 * messenger S, whose page holds the outgoing message); the send waits on
 * a virtualizer, which holds a reply right to S and aims a kernel reply
 * at it.  The reply waits like any delivery: the outgoing message and
 * the slot its capability 0 names stay as they were, the receiver gets
 * exactly what was sent, and the reply arrives after.
 */
static void
test_virt_pending_send_immutable(void **state)
{
	struct fixture *x = *state;
	unsigned rs, ss, ps, to, cslot, scratch;
	struct messenger *r = vgtest_messenger(&x->other, 7, true, &rs);
	struct messenger *s = vgtest_messenger(&x->client, 8, true, &ss);
	struct messenger *p = vgtest_messenger(&x->server, 9, false, &ps);
	struct vg_cap leaf = vgtest_proc_object(&x->server, VG_TYPE_PAGE,
	    NULL);
	struct vg_cap mine = vgtest_proc_object(&x->client, VG_TYPE_PAGE,
	    NULL);
	uint64_t prefix = chain(x, &x->client, 1, leaf, ANSWER, &cslot);
	struct vg_message *out = vgtest_buffer(s), *in = vgtest_buffer(r);
	static uint8_t before[VG_PAGE_SIZE];
	struct vg_ipc_args call = {
		.flags = VG_IPC_RECEIVE | VG_IPC_SEND | VG_IPC_RETURN,
		.recv_messenger = vgtest_slot(ss),
		.send_messenger = vgtest_slot(ss),
	};
	struct vg_ipc_args provoke = {
		.flags = VG_IPC_SEND | VG_IPC_RETURN | VG_IPC_SEND_INLINE |
		    VG_IPC_INLINE_WORDS(3) | VG_IPC_INLINE_CAP,
		.target = vgtest_slot(2),		/* the server's folio */
		.send_messenger = vgtest_slot(ps),
		.inline_words = { VG_METHOD_FOLIO_OBJECT_ALLOC, 100,
		    VG_TYPE_PAGE },
		.inline_cap = vgtest_slot(RX_REPLY),	/* a reply right to S */
	};

	scratch = vgtest_give(&x->client, mine);
	to = vgtest_give(&x->client, vgtest_send_right(r));
	call.target = vgtest_slot(to);
	vg_message_clear(out);
	vg_message_append_cap(out, vgtest_slot(scratch));
	vg_message_append_cap(out, vg_addr(prefix, 16));
	vg_message_append_word(out, 0x5eed);
	vg_message_clear(in);
	vg_message_append_cap(in, vgtest_slot(200));
	vg_message_append_cap(in, vgtest_slot(201));
	assert_int_equal(vgtest_receive(&x->other, rs, 0), VG_OK);
	assert_int_equal(ipc(x->client.thread, &call), VG_OK);
	assert_int_equal(s->cont.phase, CONT_DELIVERY);
	assert_false(s->flags & VG_MESSENGER_BLOCKED);	/* it receives */
	memcpy(before, out, sizeof(before));

	/* The virtualizer provokes a kernel reply to S. */
	assert_int_equal(ipc(x->server.thread, &provoke), VG_OK);
	assert_ptr_equal(p->target, s);			/* it waits */
	assert_memory_equal(out, before, sizeof(before));
	assert_true(cap_same(&x->client.space->slot[scratch], &mine));
	vgtest_check_invariants();

	/* The answer: the delivery ends, then the reply is delivered. */
	assert_int_equal(serve_all(x), 1);
	assert_int_equal(in->cap_count, 2);
	assert_int_equal(in->cap_void, 0);
	assert_int_equal(vg_message_word(in, 0), 0x5eed);
	assert_true(cap_same(&x->other.space->slot[200], &mine));
	assert_null(p->target);
	assert_int_equal(vg_message_word(out, 0), VG_OK);
	assert_int_equal(out->cap_count, 1);
	assert_int_equal(x->client.space->slot[scratch].type, VG_TYPE_PAGE);
	assert_false(cap_same(&x->client.space->slot[scratch], &mine));
	assert_false(messenger_busy(s));
	vgtest_check_invariants();
}

/* Starting a thread that waits for its pager leaves it waiting; stopping
 * it withdraws the fault.  (Found by the fuzzer.) */
static void
test_virt_exregs_on_faulted_thread(void **state)
{
	struct fixture *x = *state;
	unsigned es, cslot;
	struct messenger *e = vgtest_messenger(&x->client, 5, false, &es);
	uint64_t prefix = chain(x, &x->client, 1, VG_CAP_VOID, NEVER, &cslot);
	struct invocation inv = { .nwords = 2 };

	x->client.thread->slot[VG_THREAD_SLOT_EXCEPTION] = object_cap_of(e);
	assert_int_equal(fault_resolve(x->client.thread,
	    (prefix << 36) << 12, VG_FAULT_READ, &fd), VG_OK);
	assert_int_equal(x->client.thread->state, VG_THREAD_FAULTED);
	inv.object = x->client.thread;
	inv.target = x->client.thread_cap;
	inv.word[0] = VG_METHOD_THREAD_EXREGS;
	inv.word[1] = VG_EXREGS_START;
	thread_methods(&inv);
	assert_int_equal(inv.reply[0], VG_OK);
	assert_int_equal(x->client.thread->state, VG_THREAD_FAULTED);
	vgtest_check_invariants();
	inv.word[1] = VG_EXREGS_STOP;
	thread_methods(&inv);
	assert_int_equal(x->client.thread->state, VG_THREAD_STOPPED);
	assert_null(x->client.thread->fault_messenger);
	assert_false(messenger_busy(e));
	vgtest_check_invariants();
}

int
main(void)
{
#define T(fn) cmocka_unit_test_setup_teardown(fn, setup, teardown)
	const struct CMUnitTest tests[] = {
		T(test_virt_target_depth_1),
		T(test_virt_target_depth_2),
		T(test_virt_target_depth_4),
		T(test_virt_source_depth_1),
		T(test_virt_source_depth_2),
		T(test_virt_source_depth_4),
		T(test_virt_store_depth_1),
		T(test_virt_store_depth_2),
		T(test_virt_store_depth_4),
		T(test_virt_slot_depth_1),
		T(test_virt_slot_depth_2),
		T(test_virt_slot_depth_4),
		T(test_virt_fault_depth_1),
		T(test_virt_fault_depth_2),
		T(test_virt_fault_depth_4),
		T(test_virt_fault_execute),
		T(test_virt_fault_execute_refused),
		T(test_virt_fault_without_virtualizer),
		T(test_virt_equivalence),
		T(test_virt_object_is_transparent),
		T(test_virt_hostile_wrong_type),
		T(test_virt_hostile_bad_bits),
		T(test_virt_hostile_zero_bits),
		T(test_virt_hostile_void_cap),
		T(test_virt_hostile_error),
		T(test_virt_hostile_twice),
		T(test_virt_never_answers_then_cancel),
		T(test_virt_cancel_queued_request),
		T(test_virt_destroy_virtualizer),
		T(test_virt_destroy_parties),
		T(test_virt_destroy_sender),
		T(test_virt_hostile_target),
		T(test_virt_answer_error_virtual),
		T(test_virt_pending_send_immutable),
		T(test_virt_exregs_on_faulted_thread),
	};
#undef T

	return cmocka_run_group_tests_name("virt", tests, NULL, NULL);
}
