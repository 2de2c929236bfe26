/*
 * Messengers and vg_ipc (docs/design.md §4): delivery, queueing, FIFO
 * order, non-blocking errors, capability transfer, activations, kernel
 * replies to blocked reply messengers, and destruction with queues.
 */
#include <string.h>

#include "continuation.h"
#include "vgtest.h"

struct fixture {
	struct vgtest t;
	struct vgtest_proc client;
	struct vgtest_proc server;
};

static int
setup(void **state)
{
	struct fixture *x = test_malloc(sizeof(*x));

	x->t = vgtest_boot(64);
	x->client = vgtest_proc(x->t.root_activity);
	x->server = vgtest_proc(x->t.root_activity);
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

/* P sends W0, W1 inline from the messenger at slot SRC to TARGET. */
static enum vg_err
send_words(struct vgtest_proc *p, unsigned src, unsigned target,
    uint32_t flags, uint64_t w0, uint64_t w1)
{
	struct vg_ipc_args a = {
		.flags = VG_IPC_SEND | VG_IPC_RETURN | VG_IPC_SEND_INLINE |
		    VG_IPC_INLINE_WORDS(2) | flags,
		.target = vgtest_slot(target),
		.send_messenger = vgtest_slot(src),
		.inline_words = { w0, w1 },
	};

	return ipc(p->thread, &a);
}

/* An inline message to an unblocked messenger is delivered at once; the
 * receiver blocks again and both threads are activated. */
static void
test_ipc_inline_delivery_and_activations(void **state)
{
	struct fixture *x = *state;
	unsigned rs, ss, to;
	struct messenger *r = vgtest_messenger(&x->server, 77, false, &rs);
	struct messenger *s = vgtest_messenger(&x->client, 5, false, &ss);

	to = vgtest_give(&x->client, vgtest_send_right(r));
	assert_int_equal(vgtest_receive(&x->server, rs, VG_IPC_RECEIVE_INLINE |
	    VG_IPC_RECEIVE_ACTIVATE), VG_OK);
	assert_false(r->flags & VG_MESSENGER_BLOCKED);

	assert_int_equal(send_words(&x->client, ss, to, VG_IPC_SEND_ACTIVATE,
	    0x1111, 0x2222), VG_OK);
	assert_true(r->flags & VG_MESSENGER_BLOCKED);
	assert_int_equal(r->inline_nwords, 2);
	assert_int_equal(r->inline_words[0], 0x1111);
	assert_int_equal(r->inline_words[1], 0x2222);

	/* The server learns of the message from its UTCB... */
	assert_int_equal(vgtest_activations(&x->server), 1);
	assert_true(x->server.utcb->mode & VG_UTCB_ACTIVATED);
	assert_int_equal(x->server.utcb->messenger_id, 77);
	assert_int_equal(x->server.utcb->reason, VG_ACTIVATION_RECEIVED);
	assert_int_equal(x->server.utcb->inline_nwords, 2);
	assert_int_equal(x->server.utcb->inline_words[0], 0x1111);
	/* ...and it now runs at its handler, its old ip/sp saved. */
	assert_int_equal(arch_thread_ip_sp(x->server.thread).ip,
	    x->server.thread->handler_ip);
	/* The client learns its message was delivered. */
	assert_int_equal(vgtest_activations(&x->client), 1);
	assert_int_equal(x->client.utcb->messenger_id, 5);
	assert_int_equal(x->client.utcb->reason, VG_ACTIVATION_DELIVERED);
	assert_null(s->target);
}

/*
 * A sender's target lookup compares the slot it ended at: a new send
 * right stored where the client sends to makes the next send look the
 * target up again and reach the new messenger, and moves no cap_epoch
 * (no other lookup is dropped); a store into the next slot, or the same
 * right stored again, leaves the lookup in place.
 */
static void
test_ipc_target_cache_marks(void **state)
{
	struct fixture *x = *state;
	unsigned r1s, r2s, ss, to, next;
	struct messenger *r1 = vgtest_messenger(&x->server, 1, false, &r1s);
	struct messenger *r2 = vgtest_messenger(&x->server, 2, false, &r2s);
	struct messenger *s = vgtest_messenger(&x->client, 5, false, &ss);
	uint64_t epoch;

	to = vgtest_give(&x->client, vgtest_send_right(r1));
	next = vgtest_give(&x->client, VG_CAP_VOID);
	assert_int_equal(next, to + 1);
	assert_int_equal(vgtest_receive(&x->server, r1s,
	    VG_IPC_RECEIVE_INLINE), VG_OK);
	assert_int_equal(send_words(&x->client, ss, to, 0, 1, 0), VG_OK);
	assert_int_equal(r1->inline_words[0], 1);
	assert_true(cache_lookup_holds(&s->target_lookup, vgtest_slot(to)));

	/* Beside it, or the same again: nothing moves. */
	epoch = cap_epoch;
	cap_store(&x->client.space->slot[next], vgtest_send_right(r2));
	cap_store(&x->client.space->slot[to], vgtest_send_right(r1));
	assert_true(cap_epoch == epoch);
	assert_true(cache_lookup_holds(&s->target_lookup, vgtest_slot(to)));

	/* Into the slot it ended at: the lookup no longer holds, nothing
	 * else is dropped, and the next send finds the new right. */
	cap_store(&x->client.space->slot[to], vgtest_send_right(r2));
	assert_true(cap_epoch == epoch);
	assert_false(cache_lookup_holds(&s->target_lookup, vgtest_slot(to)));
	assert_true(cache_lookup_noted_holds(&x->client.thread->mcache[1].l,
	    vgtest_slot(ss)));
	assert_int_equal(vgtest_receive(&x->server, r2s,
	    VG_IPC_RECEIVE_INLINE), VG_OK);
	assert_int_equal(send_words(&x->client, ss, to, 0, 2, 0), VG_OK);
	assert_int_equal(r2->inline_words[0], 2);
	assert_int_equal(r1->inline_words[0], 1);
	assert_ptr_equal(s->target_object, r2);
	assert_true(cache_lookup_holds(&s->target_lookup, vgtest_slot(to)));
}

/*
 * vg_ipc's messenger lookups mark the slot they end at: a store there
 * moves cap_epoch, and the next call looks the messenger up again and
 * uses the new one; a store beside it moves nothing.
 */
static void
test_ipc_messenger_lookup_noted(void **state)
{
	struct fixture *x = *state;
	unsigned rs, s1s, s2s, to, spare;
	struct messenger *r = vgtest_messenger(&x->server, 1, false, &rs);
	struct messenger *s1 = vgtest_messenger(&x->client, 5, false, &s1s);
	struct messenger *s2 = vgtest_messenger(&x->client, 6, false, &s2s);
	struct cache_lookup_noted *l = &x->client.thread->mcache[1].l;
	struct vg_cap s1_cap = x->client.space->slot[s1s];
	uint64_t epoch;

	to = vgtest_give(&x->client, vgtest_send_right(r));
	spare = vgtest_give(&x->client, VG_CAP_VOID);
	assert_int_equal(vgtest_receive(&x->server, rs,
	    VG_IPC_RECEIVE_INLINE), VG_OK);
	assert_int_equal(send_words(&x->client, s1s, to, 0, 1, 0), VG_OK);
	assert_true(cache_lookup_noted_holds(l, vgtest_slot(s1s)));
	assert_ptr_equal(x->client.thread->mcache[1].m, s1);

	/* Elsewhere in its cappage: nothing moves. */
	epoch = cap_epoch;
	cap_store(&x->client.space->slot[spare], s1_cap);
	assert_true(cap_epoch == epoch);
	assert_true(cache_lookup_noted_holds(l, vgtest_slot(s1s)));

	/* Into it: every lookup kept in this generation is dropped, and the
	 * next call sends from the messenger now there. */
	cap_store(&x->client.space->slot[s1s], x->client.space->slot[s2s]);
	assert_true(cap_epoch != epoch);
	assert_false(cache_lookup_noted_holds(l, vgtest_slot(s1s)));
	assert_int_equal(vgtest_receive(&x->server, rs,
	    VG_IPC_RECEIVE_INLINE), VG_OK);
	assert_int_equal(send_words(&x->client, s1s, to, 0, 2, 0), VG_OK);
	assert_int_equal(r->inline_words[0], 2);
	assert_ptr_equal(x->client.thread->mcache[1].m, s2);
	assert_true(cache_lookup_noted_holds(l, vgtest_slot(s1s)));
}

/* Sending to a blocked messenger queues the sender; receiving delivers
 * the first at once.  Non-blocking variants fail instead. */
static void
test_ipc_queue_and_nonblocking(void **state)
{
	struct fixture *x = *state;
	unsigned rs, ss, to;
	struct messenger *r = vgtest_messenger(&x->server, 1, false, &rs);
	struct messenger *s = vgtest_messenger(&x->client, 2, false, &ss);

	to = vgtest_give(&x->client, vgtest_send_right(r));
	/* Nothing queued, nonblocking receive: stays blocked. */
	assert_int_equal(vgtest_receive(&x->server, rs, VG_IPC_RECEIVE_NONBLOCKING),
	    VG_ERR_WOULDBLOCK);
	assert_true(r->flags & VG_MESSENGER_BLOCKED);
	/* Receiver blocked, nonblocking send: nothing queued. */
	assert_int_equal(send_words(&x->client, ss, to,
	    VG_IPC_SEND_NONBLOCKING, 1, 2), VG_ERR_WOULDBLOCK);
	assert_null(s->target);
	assert_int_equal(r->wait_count, 0);
	/* Blocking send: queued, and the sending thread goes on. */
	assert_int_equal(send_words(&x->client, ss, to, 0, 3, 4), VG_OK);
	assert_ptr_equal(s->target, r);
	assert_int_equal(r->wait_count, 1);
	assert_int_equal(x->client.thread->state, VG_THREAD_RUNNABLE);
	/* A queued messenger cannot send again. */
	assert_int_equal(send_words(&x->client, ss, to, 0, 5, 6), VG_ERR_BUSY);
	vgtest_check_invariants();
	/* Receiving delivers it at once and blocks the receiver again. */
	assert_int_equal(vgtest_receive(&x->server, rs, VG_IPC_RECEIVE_INLINE |
	    VG_IPC_RECEIVE_NONBLOCKING), VG_OK);
	assert_null(s->target);
	assert_int_equal(r->wait_count, 0);
	assert_true(r->flags & VG_MESSENGER_BLOCKED);
	assert_int_equal(r->inline_words[0], 3);
	assert_int_equal(r->inline_words[1], 4);
}

/* 1,000 senders on one receiver are delivered in FIFO order, each once. */
static void
test_ipc_fifo_1000_senders(void **state)
{
	struct fixture *x = *state;
	enum { N = 1000 };
	unsigned rs, to, i;
	struct messenger *r = vgtest_messenger(&x->server, 1, false, &rs);
	static unsigned slot[N];
	static struct vgtest_proc procs[N / 200];

	/* Five client processes of 200 messengers each. */
	for (i = 0; i < N / 200; i++)
		procs[i] = vgtest_proc(x->t.root_activity);
	for (i = 0; i < N; i++) {
		struct vgtest_proc *p = &procs[i / 200];

		if (i % 200 == 0)
			to = vgtest_give(p, vgtest_send_right(r));
		vgtest_messenger(p, 1000 + i, false, &slot[i]);
		/* The send-right slot is the first one each proc got. */
		assert_int_equal(send_words(p, slot[i],
		    VGTEST_PROC_FIRST_SLOT, 0, i, ~(uint64_t)i), VG_OK);
	}
	(void)to;
	assert_int_equal(r->wait_count, N);
	vgtest_check_invariants();
	for (i = 0; i < N; i++) {
		assert_int_equal(vgtest_receive(&x->server, rs,
		    VG_IPC_RECEIVE_INLINE | VG_IPC_RECEIVE_NONBLOCKING), VG_OK);
		assert_int_equal(r->inline_words[0], i);
		assert_int_equal(r->inline_words[1], ~(uint64_t)i);
	}
	assert_int_equal(r->wait_count, 0);
	/* Nothing left: nothing is delivered twice. */
	assert_int_equal(vgtest_receive(&x->server, rs, VG_IPC_RECEIVE_INLINE |
	    VG_IPC_RECEIVE_NONBLOCKING), VG_ERR_WOULDBLOCK);
}

/*
 * The sending messenger is looked up through the thread's memo of the
 * cappage its last lookup indexed (its messengers lie side by side): a
 * store into the slot a send names, or into a slot on the way there,
 * must be seen by the next send.
 */
static void
test_ipc_messenger_lookup_follows_stores(void **state)
{
	struct fixture *x = *state;
	struct vgtest_proc *c = &x->client;
	unsigned rs, s1, s2, s3, to, sp;
	struct messenger *r = vgtest_messenger(&x->server, 1, false, &rs);
	struct messenger *m1 = vgtest_messenger(c, 2, false, &s1);
	struct messenger *m2 = vgtest_messenger(c, 3, false, &s2);
	struct messenger *m3 = vgtest_messenger(c, 4, false, &s3);
	struct messenger *m4 = vgtest_messenger(c, 5, false, &sp);
	struct vg_cap other;
	struct cappage *op;

	to = vgtest_give(c, vgtest_send_right(r));
	/* R is blocked: each send queues its messenger on R. */
	assert_int_equal(send_words(c, s1, to, 0, 1, 0), VG_OK);
	assert_ptr_equal(m1->target, r);
	/* Slot S2 now names M3: the send is M3's. */
	cap_store(&c->space->slot[s2], m3->self);
	assert_int_equal(send_words(c, s2, to, 0, 2, 0), VG_OK);
	assert_ptr_equal(m3->target, r);
	assert_null(m2->target);
	/* Another root cappage, whose slot S1 names M4: the thread's ASPACE
	 * slot is on the way to every messenger. */
	other = vgtest_proc_object(c, VG_TYPE_CAPPAGE, NULL);
	op = vgtest_cappage(other);
	op->slot[s1] = m4->self;
	op->slot[to] = vgtest_send_right(r);
	cap_store(&c->thread->slot[VG_THREAD_SLOT_ASPACE], other);
	assert_int_equal(send_words(c, s1, to, 0, 3, 0), VG_OK);
	assert_ptr_equal(m4->target, r);
	assert_int_equal(r->wait_count, 3);
	(void)sp;
}

/*
 * A buffer-page message with data and 16 capabilities, some of which
 * cannot be looked up in the sender's space or cannot be stored in the
 * receiver's: those arrive void and are reported; the rest arrive, weak
 * if read through a weak path, and keep the target slot's guard.
 */
static void
test_ipc_transfer_16_caps(void **state)
{
	struct fixture *x = *state;
	unsigned rs, ss, to, i, weak_slot;
	struct messenger *r = vgtest_messenger(&x->server, 1, true, &rs);
	struct messenger *s = vgtest_messenger(&x->client, 2, true, &ss);
	struct vg_message *out = vgtest_buffer(s), *in = vgtest_buffer(r);
	struct vg_cap page[16];
	struct vg_cap inner = vgtest_proc_object(&x->client, VG_TYPE_CAPPAGE,
	    NULL);
	struct cappage *inner_cp = vgtest_cappage(inner);
	unsigned first_target = 100;
	char text[] = "sixteen capabilities and some text";
	struct vg_ipc_args a = {
		.flags = VG_IPC_SEND | VG_IPC_RETURN,
		.send_messenger = vgtest_slot(ss),
	};

	to = vgtest_give(&x->client, vgtest_send_right(r));
	a.target = vgtest_slot(to);
	inner.type = VG_TYPE_RCAPPAGE;
	weak_slot = vgtest_give(&x->client, inner);

	vg_message_clear(out);
	for (i = 0; i < 16; i++) {
		page[i] = vgtest_proc_object(&x->client, VG_TYPE_PAGE, NULL);
		if (i == 5) {
			/* Source 5: found through the weak cappage. */
			inner_cp->slot[9] = page[i];
			assert_int_equal(vg_message_append_cap(out,
			    vg_addr((weak_slot << 8) | 9, 16)), 0);
		} else if (i == 7) {
			/* Source 7: a page is not indexable. */
			assert_int_equal(vg_message_append_cap(out,
			    vg_addr((x->client.next_slot - 1) << 4, 12)), 0);
		} else {
			assert_int_equal(vg_message_append_cap(out,
			    vgtest_slot(x->client.next_slot - 1)), 0);
		}
	}
	assert_int_equal(vg_message_append_data(out, text, sizeof(text)), 0);

	vg_message_clear(in);
	for (i = 0; i < 16; i++) {
		vg_addr_t where = vgtest_slot(first_target + i);

		/* Target 11 does not resolve: a void address. */
		if (i == 11)
			where = VG_ADDR_VOID;
		/* Target slot 3 has a guard of its own (1/1), which is part
		 * of its address and which it keeps. */
		if (i == 3)
			where = vg_addr(((first_target + i) << 1) | 1, 9);
		assert_int_equal(vg_message_append_cap(in, where), 0);
	}
	x->server.space->slot[first_target + 3] =
	    vgtest_guarded(VG_CAP_VOID, 1, 1);

	assert_int_equal(vgtest_receive(&x->server, rs, 0), VG_OK);
	assert_int_equal(ipc(x->client.thread, &a), VG_OK);

	assert_int_equal(in->cap_count, 16);
	assert_int_equal(in->data_count, sizeof(text));
	assert_memory_equal(vg_message_data(in), text, sizeof(text));
	assert_int_equal(in->cap_void, (1u << 7) | (1u << 11));
	for (i = 0; i < 16; i++) {
		struct vg_cap got = x->server.space->slot[first_target + i];

		if (i == 7 || i == 11) {
			assert_int_equal(got.type, VG_TYPE_VOID);
			continue;
		}
		assert_int_equal(got.oid, page[i].oid);
		assert_int_equal(got.version, page[i].version);
		assert_int_equal(got.type, i == 5 ? VG_TYPE_RPAGE :
		    VG_TYPE_PAGE);
		assert_int_equal(got.guard_depth, i == 3 ? 1 : 0);
	}
}

/*
 * A message never stores into its receiver's own ASPACE slot: not
 * through the root address, and not through an address that the root
 * capability's guard consumes whole -- with a guarded root, as every
 * program's is (vg/boot.h), that address names the ASPACE slot too.
 * The in-VM fuzzer found the second: such a target replaced the
 * receiver's space with the capability the message carried.
 */
static void
test_ipc_transfer_not_into_receivers_space(void **state)
{
	struct fixture *x = *state;
	unsigned rs, ss, to;
	struct messenger *r = vgtest_messenger(&x->server, 1, true, &rs);
	struct messenger *s = vgtest_messenger(&x->client, 2, true, &ss);
	struct vg_message *out = vgtest_buffer(s), *in = vgtest_buffer(r);
	struct vg_cap page = vgtest_proc_object(&x->client, VG_TYPE_PAGE,
	    NULL);
	unsigned page_slot = x->client.next_slot - 1;
	struct vg_cap space = vgtest_guarded(x->server.root, 0, 4);
	struct vg_ipc_args a = {
		.flags = VG_IPC_SEND | VG_IPC_RETURN,
		.send_messenger = vgtest_slot(ss),
	};
	struct vg_cap got;

	/* The receiver's space behind a guard of 4 zero bits; its slot 101
	 * holds the receiver itself. */
	r->slot[VG_MESSENGER_SLOT_ASPACE] = space;
	x->server.space->slot[101] = r->self;
	to = vgtest_give(&x->client, vgtest_send_right(r));
	a.target = vgtest_slot(to);
	vg_message_clear(out);
	for (unsigned i = 0; i < 4; i++)
		assert_int_equal(vg_message_append_cap(out,
		    vgtest_slot(page_slot)), 0);
	/* Targets: the guard alone, the root address, a slot below, and
	 * the ASPACE slot through the receiver's own messenger. */
	vg_message_clear(in);
	assert_int_equal(vg_message_append_cap(in, vg_addr(0, 4)), 0);
	assert_int_equal(vg_message_append_cap(in, VG_ADDR_ROOT), 0);
	assert_int_equal(vg_message_append_cap(in, vg_addr(100, 12)), 0);
	assert_int_equal(vg_message_append_cap(in, vg_addr(101 << 2 |
	    VG_MESSENGER_SLOT_ASPACE, 14)), 0);

	assert_int_equal(vgtest_receive(&x->server, rs, 0), VG_OK);
	assert_int_equal(ipc(x->client.thread, &a), VG_OK);

	assert_int_equal(in->cap_count, 4);
	assert_int_equal(in->cap_void, (1u << 0) | (1u << 1) | (1u << 3));
	assert_memory_equal(&r->slot[VG_MESSENGER_SLOT_ASPACE], &space,
	    sizeof(space));
	got = x->server.space->slot[100];
	assert_int_equal(got.type, VG_TYPE_PAGE);
	assert_int_equal(got.oid, page.oid);
}

/*
 * A capability stored on the way to the next target.  Cappage D's slot 7
 * holds D itself; target 0 goes through it (d.7.5), target 1 replaces it
 * with cappage E (d.7.7), so target 2 (d.7.6) goes through E.  (The
 * kernel's memo of the last cappage indexed, D, must not outlive the
 * store.)
 */
static void
test_ipc_transfer_store_on_the_way(void **state)
{
	struct fixture *x = *state;
	unsigned rs, ss, to, d_slot;
	struct messenger *r = vgtest_messenger(&x->server, 1, true, &rs);
	struct messenger *s = vgtest_messenger(&x->client, 2, true, &ss);
	struct vg_message *out = vgtest_buffer(s), *in = vgtest_buffer(r);
	struct vg_cap d = vgtest_proc_object(&x->server, VG_TYPE_CAPPAGE,
	    &d_slot);
	struct cappage *dp = vgtest_cappage(d);
	struct vg_cap p, e, q;
	struct cappage *ep;
	unsigned p_slot, e_slot, q_slot, i;
	struct vg_ipc_args a = {
		.flags = VG_IPC_SEND | VG_IPC_RETURN,
		.send_messenger = vgtest_slot(ss),
	};

	dp->slot[7] = d;
	p = vgtest_proc_object(&x->client, VG_TYPE_PAGE, &p_slot);
	e = vgtest_proc_object(&x->client, VG_TYPE_CAPPAGE, &e_slot);
	q = vgtest_proc_object(&x->client, VG_TYPE_PAGE, &q_slot);
	ep = vgtest_cappage(e);
	to = vgtest_give(&x->client, vgtest_send_right(r));
	a.target = vgtest_slot(to);
	vg_message_clear(out);
	assert_int_equal(vg_message_append_cap(out, vgtest_slot(p_slot)), 0);
	assert_int_equal(vg_message_append_cap(out, vgtest_slot(e_slot)), 0);
	assert_int_equal(vg_message_append_cap(out, vgtest_slot(q_slot)), 0);
	vg_message_clear(in);
	for (i = 5; i <= 7; i++)
		assert_int_equal(vg_message_append_cap(in,
		    vg_addr((d_slot << 16) | (7 << 8) | (i == 5 ? 5 :
		    i == 6 ? 7 : 6), 24)), 0);

	assert_int_equal(vgtest_receive(&x->server, rs, 0), VG_OK);
	assert_int_equal(ipc(x->client.thread, &a), VG_OK);

	assert_int_equal(in->cap_count, 3);
	assert_int_equal(in->cap_void, 0);
	assert_int_equal(dp->slot[5].oid, p.oid);
	assert_int_equal(dp->slot[7].oid, e.oid);
	assert_int_equal(ep->slot[6].type, VG_TYPE_PAGE);
	assert_int_equal(ep->slot[6].oid, q.oid);
	assert_int_equal(dp->slot[6].type, VG_TYPE_VOID);
}

/* More capabilities than the receiver has slots for, more data than
 * its inline area holds: delivered up to what fits. */
static void
test_ipc_truncation(void **state)
{
	struct fixture *x = *state;
	unsigned rs, ss, to;
	struct messenger *r = vgtest_messenger(&x->server, 1, false, &rs);
	struct messenger *s = vgtest_messenger(&x->client, 2, true, &ss);
	struct vg_message *out = vgtest_buffer(s);
	uint64_t w;
	struct vg_ipc_args a = {
		.flags = VG_IPC_SEND | VG_IPC_RETURN,
		.send_messenger = vgtest_slot(ss),
	};

	to = vgtest_give(&x->client, vgtest_send_right(r));
	a.target = vgtest_slot(to);
	vg_message_clear(out);
	vg_message_append_cap(out, vgtest_slot(1));
	vg_message_append_cap(out, vgtest_slot(1));
	for (w = 0; w < 10; w++)
		vg_message_append_word(out, 100 + w);

	/* An inline receipt with one target slot. */
	{
		struct vg_ipc_args ra = {
			.flags = VG_IPC_RECEIVE | VG_IPC_RETURN |
			    VG_IPC_RECEIVE_INLINE,
			.recv_messenger = vgtest_slot(rs),
			.recv_inline_cap = vgtest_slot(200),
		};

		assert_int_equal(ipc(x->server.thread, &ra), VG_OK);
	}
	assert_int_equal(ipc(x->client.thread, &a), VG_OK);
	assert_int_equal(r->inline_nwords, VG_INLINE_WORDS);
	assert_int_equal(r->inline_words[0], 100);
	assert_int_equal(r->inline_words[3], 103);
	assert_int_equal(r->inline_ncaps, 1);
	assert_int_equal(r->inline_cap_void, 0);
	assert_int_equal(x->server.space->slot[200].type, VG_TYPE_THREAD);
	assert_int_equal(x->server.space->slot[201].type, VG_TYPE_VOID);
}

/* A sender's buffer page claiming absurd counts is clamped, not trusted. */
static void
test_ipc_hostile_counts_are_clamped(void **state)
{
	struct fixture *x = *state;
	unsigned rs, ss, to;
	struct messenger *r = vgtest_messenger(&x->server, 1, true, &rs);
	struct messenger *s = vgtest_messenger(&x->client, 2, true, &ss);
	struct vg_message *out = vgtest_buffer(s), *in = vgtest_buffer(r);
	struct vg_ipc_args a = {
		.flags = VG_IPC_SEND | VG_IPC_RETURN,
		.send_messenger = vgtest_slot(ss),
	};

	to = vgtest_give(&x->client, vgtest_send_right(r));
	a.target = vgtest_slot(to);
	out->cap_count = 0xffff;
	out->data_count = 0xffff;
	in->cap_count = 0xfff0;	/* receiver's own page is untrusted too */
	assert_int_equal(vgtest_receive(&x->server, rs, 0), VG_OK);
	assert_int_equal(ipc(x->client.thread, &a), VG_OK);
	assert_true(in->cap_count <= VG_MESSAGE_CAPS_MAX);
	assert_true(in->data_count <= vg_message_data_max(in->cap_count));
}

/*
 * Activations that arrive in activated mode queue on the thread, in
 * order, and are collected explicitly; leaving activated mode with
 * activations queued gets the oldest delivered at the next one.
 */
static void
test_ipc_activations_queue_in_activated_mode(void **state)
{
	struct fixture *x = *state;
	unsigned rs[3], ss, to[3], i;
	struct messenger *r[3];

	vgtest_messenger(&x->client, 9, false, &ss);
	for (i = 0; i < 3; i++) {
		r[i] = vgtest_messenger(&x->server, 10 + i, false, &rs[i]);
		to[i] = vgtest_give(&x->client, vgtest_send_right(r[i]));
		assert_int_equal(vgtest_receive(&x->server, rs[i],
		    VG_IPC_RECEIVE_INLINE | VG_IPC_RECEIVE_ACTIVATE), VG_OK);
	}
	x->server.utcb->mode = VG_UTCB_ACTIVATED;	/* busy in its handler */
	for (i = 0; i < 3; i++) {
		assert_int_equal(send_words(&x->client, ss, to[i], 0, i, 0),
		    VG_OK);
	}
	assert_int_equal(vgtest_activations(&x->server), 0);
	assert_int_equal(x->server.thread->act_count, 3);
	assert_int_equal(x->server.utcb->pending, 3);
	vgtest_check_invariants();

	assert_true(activation_collect(x->server.thread));
	assert_int_equal(x->server.utcb->messenger_id, 10);
	assert_int_equal(x->server.utcb->inline_words[0], 0);
	assert_int_equal(x->server.utcb->pending, 2);
	/* Leaving activated mode with two queued: the next activation
	 * delivers the oldest first, and the new one queues behind. */
	x->server.utcb->mode = 0;
	assert_int_equal(vgtest_receive(&x->server, rs[0], VG_IPC_RECEIVE_INLINE |
	    VG_IPC_RECEIVE_ACTIVATE), VG_OK);
	assert_int_equal(send_words(&x->client, ss, to[0], 0, 3, 0), VG_OK);
	assert_int_equal(vgtest_activations(&x->server), 1);
	assert_int_equal(x->server.utcb->messenger_id, 11);
	assert_true(activation_collect(x->server.thread));
	assert_int_equal(x->server.utcb->messenger_id, 12);
	assert_true(activation_collect(x->server.thread));
	assert_int_equal(x->server.utcb->messenger_id, 10);
	assert_int_equal(x->server.utcb->inline_words[0], 3);
	assert_false(activation_collect(x->server.thread));
}

/* A messenger that is both queued for activation and activated again
 * carries one entry with both reasons. */
static void
test_ipc_activation_reasons_merge(void **state)
{
	struct fixture *x = *state;
	unsigned ms, ss, rs, to_m, to_r;
	struct messenger *m = vgtest_messenger(&x->client, 4, false, &ms);
	struct messenger *r = vgtest_messenger(&x->server, 5, false, &rs);

	vgtest_messenger(&x->client, 6, false, &ss);
	to_m = vgtest_give(&x->client, vgtest_send_right(m));
	to_r = vgtest_give(&x->client, vgtest_send_right(r));
	x->client.utcb->mode = VG_UTCB_ACTIVATED;
	/* M receives a message: one activation queued. */
	assert_int_equal(vgtest_receive(&x->client, ms, VG_IPC_RECEIVE_INLINE |
	    VG_IPC_RECEIVE_ACTIVATE), VG_OK);
	assert_int_equal(send_words(&x->client, ss, to_m, 0, 1, 2), VG_OK);
	assert_int_equal(x->client.thread->act_count, 1);
	assert_int_equal(m->act_reason, VG_ACTIVATION_RECEIVED);
	/* M's own send is delivered: the same entry gains the reason. */
	assert_int_equal(vgtest_receive(&x->server, rs, VG_IPC_RECEIVE_INLINE), VG_OK);
	assert_int_equal(send_words(&x->client, ms, to_r, VG_IPC_SEND_ACTIVATE,
	    3, 4), VG_OK);
	assert_int_equal(x->client.thread->act_count, 1);
	assert_int_equal(m->act_reason,
	    VG_ACTIVATION_RECEIVED | VG_ACTIVATION_DELIVERED);
	assert_true(activation_collect(x->client.thread));
	assert_int_equal(x->client.utcb->reason,
	    VG_ACTIVATION_RECEIVED | VG_ACTIVATION_DELIVERED);
	/* A messenger sending to itself gets both at once. */
	x->client.utcb->mode = 0;
	assert_int_equal(vgtest_receive(&x->client, ms, VG_IPC_RECEIVE_INLINE |
	    VG_IPC_RECEIVE_ACTIVATE), VG_OK);
	assert_int_equal(send_words(&x->client, ms, to_m, VG_IPC_SEND_ACTIVATE,
	    5, 6), VG_OK);
	assert_int_equal(x->client.utcb->reason, VG_ACTIVATION_RECEIVED);
	assert_int_equal(x->client.thread->act_count, 1);
	assert_int_equal(m->act_reason, VG_ACTIVATION_DELIVERED);
}

/* A messenger rebound to another thread while an activation of it was
 * queued: the event moves with it instead of being lost.  (Found by the
 * fuzzer.) */
static void
test_ipc_activation_follows_rebind(void **state)
{
	struct fixture *x = *state;
	unsigned ms, ss, to;
	struct messenger *m = vgtest_messenger(&x->client, 4, false, &ms);

	vgtest_messenger(&x->client, 6, false, &ss);
	to = vgtest_give(&x->client, vgtest_send_right(m));
	x->client.utcb->mode = VG_UTCB_ACTIVATED;
	assert_int_equal(vgtest_receive(&x->client, ms, VG_IPC_RECEIVE_INLINE |
	    VG_IPC_RECEIVE_ACTIVATE), VG_OK);
	assert_int_equal(send_words(&x->client, ss, to, 0, 1, 2), VG_OK);
	assert_ptr_equal(m->act_thread, x->client.thread);

	/* Rebound to the server's thread, then activated again. */
	m->slot[VG_MESSENGER_SLOT_THREAD] = x->server.thread_cap;
	cache_slot_changed(m);	/* what every store in the kernel does */
	x->server.utcb->mode = 0;
	activation_post(m, VG_ACTIVATION_DELIVERED, VG_OK);
	assert_int_equal(x->client.thread->act_count, 0);
	assert_int_equal(x->server.utcb->messenger_id, 4);
	assert_int_equal(x->server.utcb->reason,
	    VG_ACTIVATION_RECEIVED | VG_ACTIVATION_DELIVERED);
}

/* Without VG_IPC_RETURN the caller is suspended until an activation. */
static void
test_ipc_suspend_without_return(void **state)
{
	struct fixture *x = *state;
	unsigned rs, ss, to;
	struct messenger *r = vgtest_messenger(&x->server, 1, false, &rs);
	struct vg_ipc_args a = {
		.flags = VG_IPC_RECEIVE | VG_IPC_RECEIVE_ACTIVATE |
		    VG_IPC_RECEIVE_INLINE,
	};

	vgtest_messenger(&x->client, 2, false, &ss);
	to = vgtest_give(&x->client, vgtest_send_right(r));
	a.recv_messenger = vgtest_slot(rs);
	assert_int_equal(ipc(x->server.thread, &a), VG_OK);
	assert_int_equal(x->server.thread->state, VG_THREAD_SUSPENDED);
	assert_int_equal(send_words(&x->client, ss, to, 0, 1, 2), VG_OK);
	assert_int_equal(x->server.thread->state, VG_THREAD_RUNNABLE);
	/* Already activated during the call itself: not suspended. */
	x->server.utcb->mode = 0;
	assert_int_equal(send_words(&x->client, ss, to, 0, 3, 4), VG_OK);
	assert_int_equal(ipc(x->server.thread, &a), VG_OK);
	assert_int_equal(x->server.thread->state, VG_THREAD_RUNNABLE);
}

/* An activation that catches the thread inside its handler's exit range
 * restarts the handler and keeps the state it was returning to. */
static void
test_ipc_activation_in_exit_range(void **state)
{
	struct fixture *x = *state;
	unsigned rs, ss, to;
	struct thread *t = x->server.thread;

	vgtest_messenger(&x->server, 1, false, &rs);
	vgtest_messenger(&x->client, 2, false, &ss);
	to = vgtest_give(&x->client, vgtest_send_right(
	    object_lookup(&x->server.space->slot[rs])));
	t->exit_start = 0x5000;
	t->exit_end = 0x5010;

	/* Outside the range: the interrupted ip/sp are saved. */
	arch_thread_set_ip_sp(t, (struct arch_ip_sp){ 0x4444, 0x8888 });
	assert_int_equal(vgtest_receive(&x->server, rs, VG_IPC_RECEIVE_ACTIVATE |
	    VG_IPC_RECEIVE_INLINE), VG_OK);
	assert_int_equal(send_words(&x->client, ss, to, 0, 1, 0), VG_OK);
	assert_int_equal(x->server.utcb->saved_ip, 0x4444);
	assert_int_equal(x->server.utcb->saved_sp, 0x8888);
	/* The handler cleared the mode and is at its exit jump. */
	x->server.utcb->mode = 0;
	arch_thread_set_ip_sp(t, (struct arch_ip_sp){ 0x500c, 0x2000 });
	assert_int_equal(vgtest_receive(&x->server, rs, VG_IPC_RECEIVE_ACTIVATE |
	    VG_IPC_RECEIVE_INLINE), VG_OK);
	assert_int_equal(send_words(&x->client, ss, to, 0, 2, 0), VG_OK);
	assert_int_equal(x->server.utcb->saved_ip, 0x4444);
	assert_int_equal(x->server.utcb->saved_sp, 0x8888);
	assert_int_equal(arch_thread_ip_sp(t).ip, t->handler_ip);
	assert_int_equal(x->server.utcb->inline_words[0], 2);
}

/* A processor exception is reported through the exception messenger;
 * without one the thread is stopped. */
static void
test_ipc_exception_reported(void **state)
{
	struct fixture *x = *state;
	unsigned es;
	struct messenger *e = vgtest_messenger(&x->client, 66, false, &es);
	struct thread *t = x->client.thread;
	struct fault_detail d = { .addr = 0x1000, .ip = 0x1000, .vector = 6 };

	assert_false(thread_exception(x->server.thread, &d,
	    VG_ERR_EXCEPTION));
	assert_int_equal(x->server.thread->state, VG_THREAD_STOPPED);

	t->slot[VG_THREAD_SLOT_EXCEPTION] = object_cap_of(e);
	x->client.utcb->mode = 0;
	d = (struct fault_detail){ .addr = 0x401234, .ip = 0x401234,
	    .vector = 13 };
	assert_true(thread_exception(t, &d, VG_ERR_EXCEPTION));
	assert_int_equal(x->client.utcb->reason,
	    VG_ACTIVATION_FAULT | VG_ACTIVATION_ERROR);
	assert_int_equal(x->client.utcb->error, VG_ERR_EXCEPTION);
	assert_int_equal(x->client.utcb->fault_address, 0x401234);
	assert_int_equal(x->client.utcb->exception, 13);
	assert_int_equal(x->client.utcb->fault_ip, 0x401234);
	assert_int_equal(x->client.utcb->fault_info, 0);
	assert_int_equal(x->client.utcb->messenger_id, 66);
	/* Its handler runs. */
	assert_int_equal(t->state, VG_THREAD_RUNNABLE);
	assert_int_equal(arch_thread_ip_sp(t).ip, t->handler_ip);

	/* The handler itself faults: another activation would run the
	 * handler that faulted.  The thread stops; the report is queued,
	 * once, and the UTCB keeps the first. */
	assert_true(x->client.utcb->mode & VG_UTCB_ACTIVATED);
	d = (struct fault_detail){ .addr = t->handler_ip, .ip = t->handler_ip,
	    .vector = 14, .info = VG_FAULT_INFO_ACCESS,
	    .access = VG_FAULT_EXECUTE };
	assert_true(thread_exception(t, &d, VG_ERR_VOID));
	assert_int_equal(t->state, VG_THREAD_STOPPED);
	assert_ptr_equal(t->acts.head, e);
	assert_int_equal(t->act_count, 1);
	assert_int_equal(e->act_reason,
	    VG_ACTIVATION_FAULT | VG_ACTIVATION_ERROR);
	assert_int_equal(x->client.utcb->fault_address, 0x401234);
	assert_int_equal(arch_thread_ip_sp(t).ip, t->handler_ip);
	vgtest_check_invariants();
}

/* exregs takes only user addresses for what a thread runs at: a kernel
 * or non-canonical handler, ip or stack is refused, and nothing
 * changes. */
static void
test_ipc_exregs_user_addresses(void **state)
{
	struct fixture *x = *state;
	struct thread *t = x->client.thread;
	const uint64_t bad[] = { 0xffffffff80100000ull, 0x0000800000000000ull,
	    0x8000000000000000ull, ~0ull };
	struct invocation inv = { .nwords = 8, .object = t,
	    .target = x->client.thread_cap };

	for (unsigned i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		uint64_t hip = t->handler_ip, hsp = t->handler_sp;
		struct arch_ip_sp was = arch_thread_ip_sp(t);

		inv.word[0] = VG_METHOD_THREAD_EXREGS;
		inv.word[1] = VG_EXREGS_SET_HANDLER;
		inv.word[4] = bad[i];
		inv.word[5] = 0x2000;
		thread_methods(&inv);
		assert_int_equal(inv.reply[0], VG_ERR_INVALID);
		inv.word[1] = VG_EXREGS_SET_IP;
		inv.word[2] = bad[i];
		thread_methods(&inv);
		assert_int_equal(inv.reply[0], VG_ERR_INVALID);
		/* A stack pointer may be the end of the user half, not
		 * past it. */
		inv.word[1] = VG_EXREGS_SET_SP;
		inv.word[3] = bad[i] | 0x1000;
		thread_methods(&inv);
		assert_int_equal(inv.reply[0], VG_ERR_INVALID);
		assert_int_equal(t->handler_ip, hip);
		assert_int_equal(t->handler_sp, hsp);
		assert_int_equal(arch_thread_ip_sp(t).ip, was.ip);
		assert_int_equal(arch_thread_ip_sp(t).sp, was.sp);
	}
	/* A stack may start at the very end of the user half. */
	inv.word[1] = VG_EXREGS_SET_SP;
	inv.word[3] = 0x0000800000000000ull;
	thread_methods(&inv);
	assert_int_equal(inv.reply[0], VG_OK);
}

/* vg_ipc rejects malformed arguments before doing anything. */
static void
test_ipc_rejects_bad_arguments(void **state)
{
	struct fixture *x = *state;
	unsigned ss, ps;
	struct vg_ipc_args a = { .flags = VG_IPC_RETURN | (1u << 30) };

	vgtest_messenger(&x->client, 2, false, &ss);
	assert_int_equal(ipc(x->client.thread, &a), VG_ERR_INVALID);
	a.flags = VG_IPC_RETURN;
	a.reserved = 1;
	assert_int_equal(ipc(x->client.thread, &a), VG_ERR_INVALID);
	a.reserved = 0;
	a.flags = VG_IPC_SEND | VG_IPC_SEND_INLINE | VG_IPC_INLINE_WORDS(5);
	assert_int_equal(ipc(x->client.thread, &a), VG_ERR_INVALID);
	/* The send messenger must be a strong messenger. */
	vgtest_proc_object(&x->client, VG_TYPE_PAGE, &ps);
	assert_int_equal(send_words(&x->client, ps, ss, 0, 0, 0),
	    VG_ERR_TYPE);
	assert_int_equal(send_words(&x->client, 250, ss, 0, 0, 0),
	    VG_ERR_VOID);
	/* Sending to a void slot. */
	assert_int_equal(send_words(&x->client, ss, 251, 0, 0, 0),
	    VG_ERR_VOID);
	/* A target address that cannot be translated. */
	{
		struct vg_ipc_args b = {
			.flags = VG_IPC_SEND | VG_IPC_RETURN,
			.send_messenger = vgtest_slot(ss),
			.target = vg_addr(ps << 4, 12),
		};

		assert_int_equal(ipc(x->client.thread, &b),
		    VG_ERR_NOT_INDEXABLE);
	}
}

/*
 * A kernel reply to a reply messenger that is blocked is not lost: the
 * invoking messenger carries it, queued, and it arrives when the reply
 * messenger is unblocked.  Meanwhile the invoking messenger is busy.
 */
static void
test_ipc_kernel_reply_to_blocked_messenger(void **state)
{
	struct fixture *x = *state;
	unsigned rs, ss, tid_slot = 1;	/* slot 1: the client's thread */
	struct messenger *reply = vgtest_messenger(&x->client, 3, false, &rs);
	struct messenger *s = vgtest_messenger(&x->client, 4, false, &ss);
	struct vg_ipc_args a = {
		.flags = VG_IPC_SEND | VG_IPC_RETURN | VG_IPC_SEND_INLINE |
		    VG_IPC_INLINE_WORDS(1) | VG_IPC_INLINE_CAP |
		    VG_IPC_SEND_ACTIVATE,
		.target = vgtest_slot(tid_slot),
		.send_messenger = vgtest_slot(ss),
		.inline_words = { VG_METHOD_THREAD_ID },
		.inline_cap = vgtest_slot(rs),
	};

	assert_true(reply->flags & VG_MESSENGER_BLOCKED);
	assert_int_equal(ipc(x->client.thread, &a), VG_OK);
	/* Executed at once; the reply waits, carried by S. */
	assert_ptr_equal(s->target, reply);
	assert_true(s->kflags & MSGR_KMSG);
	assert_int_equal(reply->wait_count, 1);
	assert_int_equal(ipc(x->client.thread, &a), VG_ERR_BUSY);
	assert_int_equal(vgtest_activations(&x->client), 0);

	assert_int_equal(vgtest_receive(&x->client, rs, VG_IPC_RECEIVE_INLINE), VG_OK);
	assert_null(s->target);
	assert_false(s->kflags & MSGR_KMSG);
	assert_int_equal(reply->inline_nwords, 2);
	assert_int_equal(reply->inline_words[0], VG_OK);
	assert_int_equal(reply->inline_words[1], x->client.thread_cap.oid);
	/* S's thread learns its message (the reply) was delivered. */
	assert_int_equal(vgtest_activations(&x->client), 1);
	assert_int_equal(x->client.utcb->reason, VG_ACTIVATION_DELIVERED);
	/* And S can be used again. */
	assert_int_equal(ipc(x->client.thread, &a), VG_OK);
}

/* A kernel reply to an unblocked reply messenger arrives at once, with
 * its capability stored where the receiver asked. */
static void
test_ipc_kernel_reply_with_capability(void **state)
{
	struct fixture *x = *state;
	unsigned rs, ss;
	struct messenger *reply = vgtest_messenger(&x->client, 3, false, &rs);
	struct vg_ipc_args a = {
		.flags = VG_IPC_RECEIVE | VG_IPC_RECEIVE_INLINE |
		    VG_IPC_SEND | VG_IPC_RETURN | VG_IPC_SEND_INLINE |
		    VG_IPC_INLINE_WORDS(3) | VG_IPC_INLINE_CAP,
		.recv_inline_cap = vgtest_slot(150),
		.target = vgtest_slot(2),	/* the client's folio */
		.inline_words = { VG_METHOD_FOLIO_OBJECT_ALLOC, 100,
		    VG_TYPE_CAPPAGE },
		.inline_cap = vgtest_slot(rs),
	};

	vgtest_messenger(&x->client, 4, false, &ss);
	a.recv_messenger = vgtest_slot(rs);
	a.send_messenger = vgtest_slot(ss);
	assert_int_equal(ipc(x->client.thread, &a), VG_OK);
	assert_int_equal(reply->inline_words[0], VG_OK);
	assert_int_equal(reply->inline_cap_void, 0);
	assert_int_equal(x->client.space->slot[150].type, VG_TYPE_CAPPAGE);
	assert_non_null(object_lookup(&x->client.space->slot[150]));
}

/* Destroying a messenger with senders queued on it tells each sender;
 * destroying a queued sender takes it out of the queue. */
static void
test_ipc_destroy_with_queues(void **state)
{
	struct fixture *x = *state;
	unsigned rs, ss[4], to, i;
	struct messenger *r = vgtest_messenger(&x->server, 1, false, &rs);
	struct messenger *s[4];
	struct folio *rf = storage_owner(storage_oid(r));
	int ri = storage_owner_index(storage_oid(r));

	to = vgtest_give(&x->client, vgtest_send_right(r));
	for (i = 0; i < 4; i++) {
		s[i] = vgtest_messenger(&x->client, 20 + i, false, &ss[i]);
		assert_int_equal(send_words(&x->client, ss[i], to, 0, i, 0),
		    VG_OK);
	}
	/* Destroy the second sender: the queue closes up. */
	{
		struct folio *sf = storage_owner(storage_oid(s[1]));

		assert_int_equal(folio_object_alloc(sf,
		    (unsigned)storage_owner_index(storage_oid(s[1])),
		    VG_TYPE_VOID, 0).err, VG_OK);
	}
	assert_int_equal(r->wait_count, 3);
	assert_ptr_equal(r->waiters.head, s[0]);
	assert_ptr_equal(s[0]->wait_link.next, s[2]);
	vgtest_check_invariants();

	/* Destroy the receiver: the three left are told. */
	x->client.utcb->mode = VG_UTCB_ACTIVATED;	/* queue them */
	assert_int_equal(folio_object_alloc(rf, (unsigned)ri,
	    VG_TYPE_VOID, 0).err, VG_OK);
	assert_null(s[0]->target);
	assert_null(s[2]->target);
	assert_null(s[3]->target);
	assert_int_equal(x->client.thread->act_count, 3);
	assert_int_equal(s[0]->act_reason, VG_ACTIVATION_ERROR);
	assert_int_equal(s[0]->act_error, VG_ERR_DESTROYED);
	vgtest_check_invariants();
	/* The send right is stale now. */
	assert_int_equal(send_words(&x->client, ss[0], to, 0, 0, 0),
	    VG_ERR_VOID);
}

/* Destroying a thread drops its queued activations; the messengers that
 * were queued are left with no dangling link. */
static void
test_ipc_destroy_thread_with_activations(void **state)
{
	struct fixture *x = *state;
	unsigned ms[2], to[2], ss, i;
	struct messenger *m[2];
	struct folio *f = storage_owner(storage_oid(x->server.thread));

	vgtest_messenger(&x->client, 9, false, &ss);
	x->server.utcb->mode = VG_UTCB_ACTIVATED;
	for (i = 0; i < 2; i++) {
		m[i] = vgtest_messenger(&x->server, i, false, &ms[i]);
		to[i] = vgtest_give(&x->client, vgtest_send_right(m[i]));
		assert_int_equal(vgtest_receive(&x->server, ms[i],
		    VG_IPC_RECEIVE_ACTIVATE | VG_IPC_RECEIVE_INLINE), VG_OK);
		assert_int_equal(send_words(&x->client, ss, to[i], 0, 0, 0),
		    VG_OK);
	}
	assert_int_equal(x->server.thread->act_count, 2);
	assert_int_equal(folio_object_alloc(f,
	    (unsigned)storage_owner_index(storage_oid(x->server.thread)),
	    VG_TYPE_VOID, 0).err, VG_OK);
	assert_null(m[0]->act_thread);
	assert_null(m[1]->act_thread);
	vgtest_check_invariants();
	/* Messages to a messenger whose thread is gone still arrive;
	 * there is just nobody to activate. */
	assert_int_equal(messenger_receive(m[0], false), VG_OK);
	assert_int_equal(send_words(&x->client, ss, to[0], 0, 42, 0), VG_OK);
	assert_int_equal(m[0]->inline_words[0], 42);
	assert_true(m[0]->flags & VG_MESSENGER_BLOCKED);
	assert_null(m[0]->act_thread);
}

/* Cancelling a queued send withdraws it and tells the sender. */
static void
test_ipc_cancel(void **state)
{
	struct fixture *x = *state;
	unsigned rs, ss, to;
	struct messenger *r = vgtest_messenger(&x->server, 1, false, &rs);
	struct messenger *s = vgtest_messenger(&x->client, 2, false, &ss);

	to = vgtest_give(&x->client, vgtest_send_right(r));
	assert_int_equal(send_words(&x->client, ss, to, 0, 1, 2), VG_OK);
	assert_true(messenger_cancel(s, VG_ERR_CANCELED));
	assert_null(s->target);
	assert_int_equal(r->wait_count, 0);
	assert_int_equal(x->client.utcb->reason, VG_ACTIVATION_ERROR);
	assert_int_equal(x->client.utcb->error, VG_ERR_CANCELED);
	assert_false(messenger_cancel(s, VG_ERR_CANCELED));
	/* Nothing arrives later. */
	assert_int_equal(vgtest_receive(&x->server, rs, VG_IPC_RECEIVE_NONBLOCKING),
	    VG_ERR_WOULDBLOCK);
}

/* The _SET_*_TO_CALLER options bind a messenger to the caller. */
static void
test_ipc_set_thread_and_asroot(void **state)
{
	struct fixture *x = *state;
	unsigned ms;
	struct messenger *m = vgtest_messenger(&x->client, 1, false, &ms);

	m->slot[VG_MESSENGER_SLOT_THREAD] = VG_CAP_VOID;
	m->slot[VG_MESSENGER_SLOT_ASPACE] = VG_CAP_VOID;
	assert_int_equal(vgtest_receive(&x->client, ms,
	    VG_IPC_RECEIVE_SET_THREAD_TO_CALLER |
	    VG_IPC_RECEIVE_SET_ASROOT_TO_CALLERS), VG_OK);
	assert_memory_equal(&m->slot[VG_MESSENGER_SLOT_THREAD],
	    &x->client.thread_cap, sizeof(struct vg_cap));
	assert_memory_equal(&m->slot[VG_MESSENGER_SLOT_ASPACE],
	    &x->client.root, sizeof(struct vg_cap));
}

int
main(void)
{
#define T(fn) cmocka_unit_test_setup_teardown(fn, setup, teardown)
	const struct CMUnitTest tests[] = {
		T(test_ipc_inline_delivery_and_activations),
		T(test_ipc_messenger_lookup_noted),
		T(test_ipc_target_cache_marks),
		T(test_ipc_queue_and_nonblocking),
		T(test_ipc_fifo_1000_senders),
		T(test_ipc_messenger_lookup_follows_stores),
		T(test_ipc_transfer_16_caps),
		T(test_ipc_transfer_not_into_receivers_space),
		T(test_ipc_transfer_store_on_the_way),
		T(test_ipc_truncation),
		T(test_ipc_hostile_counts_are_clamped),
		T(test_ipc_activations_queue_in_activated_mode),
		T(test_ipc_activation_reasons_merge),
		T(test_ipc_activation_follows_rebind),
		T(test_ipc_suspend_without_return),
		T(test_ipc_activation_in_exit_range),
		T(test_ipc_exception_reported),
		T(test_ipc_exregs_user_addresses),
		T(test_ipc_rejects_bad_arguments),
		T(test_ipc_kernel_reply_to_blocked_messenger),
		T(test_ipc_kernel_reply_with_capability),
		T(test_ipc_destroy_with_queues),
		T(test_ipc_destroy_thread_with_activations),
		T(test_ipc_cancel),
		T(test_ipc_set_thread_and_asroot),
	};
#undef T

	return cmocka_run_group_tests_name("ipc", tests, NULL, NULL);
}
