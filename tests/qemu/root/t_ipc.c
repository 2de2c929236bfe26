/*
 * IPC between two address spaces: this root task and "tipc"
 * (tests/qemu/ipc/ipc.c).  Inline and buffer messages both ways, FIFO
 * delivery of several senders queued on one blocked receiver, a
 * non-blocking send to a blocked messenger, and the activations each
 * side gets.
 */
#include "troot.h"

enum {
	R_INLINE, R_GETCAPS, R_PAGE, R_FIFO, R_NONBLOCK, R_ACTIVATIONS,
	R_EXIT, R_N
};

static const char *const names[R_N] = {
	[R_INLINE] = "inline messages both ways between two address spaces "
	    "(words, counts, the reply capability)",
	[R_GETCAPS] = "capabilities sent back in a buffer page arrive in the "
	    "preloaded slots",
	[R_PAGE] = "a full-page buffer message and its full-page reply arrive "
	    "intact",
	[R_FIFO] = "8 senders queued on a blocked messenger are delivered in "
	    "FIFO order, each told once",
	[R_NONBLOCK] = "a non-blocking send to a blocked messenger fails with "
	    "VG_ERR_WOULDBLOCK and queues nothing",
	[R_ACTIVATIONS] = "each side got exactly the activations it asked for",
	[R_EXIT] = "the program exits cleanly",
};

#define NFIFO	8
#define PAYLOAD	4056	/* the reply (32 bytes + payload) fills a page */

static struct tchild ch;
static struct probe s1, r1, s2, r2, fs[NFIFO + 1];

/* An inline request W to CTL from S1, the reply inline at R1.  Returns
 * false if no reply arrived or the send failed. */
static bool
request(vg_addr_t ctl, uint64_t w0, uint64_t w1, uint64_t w2, uint64_t w3)
{
	uint64_t before = r1.received;
	struct vg_ipc_args a = {
		.flags = VG_IPC_SEND | VG_IPC_SEND_INLINE |
		    VG_IPC_INLINE_WORDS(4) | VG_IPC_INLINE_CAP |
		    VG_IPC_SEND_ACTIVATE | VG_IPC_RETURN,
		.target = ctl,
		.send_messenger = s1.m,
		.inline_words = { w0, w1, w2, w3 },
		.inline_cap = r1.weak,
	};
	enum vg_err err = probe_arm_inline(&r1, VG_ADDR_VOID);

	if (err == VG_OK)
		err = vg_ipc(&a);
	if (!t_expect(err == VG_OK, "request %#lx: %s", (unsigned long)w0,
	    vg_strerror(err)))
		return false;
	return t_wait_child(&ch, &r1.received, before + 1);
}

static const uint64_t *
reply_words(void)
{
	return r1.last_received.inline_words;
}

static void
run(struct t_group *g)
{
	struct vg_runtime *rt = vg_self();
	vg_addr_t ctl, slot_a = t_slot(), slot_b = t_slot();
	uint64_t x = 0x0123456789abcdefull, y = 0xfedcba9876543210ull;
	enum vg_err err;
	bool ok;

	err = probe_init(&s1, "ipc.s1", false);
	if (err == VG_OK)
		err = probe_init(&r1, "ipc.r1", false);
	if (err == VG_OK)
		err = probe_init(&s2, "ipc.s2", true);
	if (err == VG_OK)
		err = probe_init(&r2, "ipc.r2", true);
	for (unsigned i = 0; i <= NFIFO && err == VG_OK; i++)
		err = probe_init(&fs[i], "ipc.fifo", false);
	if (err == VG_OK)
		err = child_load(&ch, "tipc", 4, 0, NULL, true);
	if (err == VG_OK)
		err = child_start(&ch);
	if (!t_expect(err == VG_OK, "set-up: %s", vg_strerror(err)))
		goto out;
	t_wait_child(&ch, &ch.registered, 1);
	ctl = ch.service;
	if (!t_expect(!vg_addr_is_void(ctl), "tipc registered no messenger"))
		goto out;

	/* 1. Inline, twice: the reply carries what the child saw. */
	ok = true;
	for (unsigned round = 1; round <= 2; round++) {
		const uint64_t *w = reply_words();
		const struct vg_activation *ra = &r1.last_received;
		uint64_t obs;

		if (!request(ctl, T_IPC_ECHO, x + round, y, round)) {
			ok = false;
			break;
		}
		obs = w[3];
		ok &= t_expect(w[0] == VG_OK && w[1] == x + round + 1 &&
		    w[2] == ~y, "echo %u: reply %#lx %#lx %#lx", round,
		    (unsigned long)w[0], (unsigned long)w[1],
		    (unsigned long)w[2]);
		ok &= t_expect(ra->inline_nwords == 4 &&
		    ra->inline_ncaps == 0 && ra->cap_void == 0,
		    "echo %u: my receipt: %u words, %u caps, void %#x", round,
		    ra->inline_nwords, ra->inline_ncaps, ra->cap_void);
		ok &= t_expect((obs & 0xff) == 4 && ((obs >> 8) & 0xff) == 1 &&
		    ((obs >> 16) & 0xff) == 0 &&
		    ((obs >> 24) & 0xffff) == round &&
		    ((obs >> 40) & 0xffff) == round - 1,
		    "echo %u: the child saw %lu words, %lu caps, void %#lx, "
		    "request #%lu, %lu replies delivered", round,
		    (unsigned long)(obs & 0xff),
		    (unsigned long)((obs >> 8) & 0xff),
		    (unsigned long)((obs >> 16) & 0xff),
		    (unsigned long)((obs >> 24) & 0xffff),
		    (unsigned long)((obs >> 40) & 0xffff));
	}
	t_ok(g, R_INLINE, ok);

	/* 2. Two capabilities back in a buffer page. */
	{
		uint64_t before = r2.received;
		struct vg_ipc_args a = {
			.flags = VG_IPC_SEND | VG_IPC_SEND_INLINE |
			    VG_IPC_INLINE_WORDS(1) | VG_IPC_INLINE_CAP |
			    VG_IPC_SEND_ACTIVATE | VG_IPC_RETURN,
			.target = ctl,
			.send_messenger = s1.m,
			.inline_words = { T_IPC_GETCAPS },
			.inline_cap = r2.weak,
		};
		vg_addr_t slots[2] = { slot_a, slot_b };
		enum vg_type ta = VG_TYPE_VOID, tb = VG_TYPE_VOID;

		err = probe_arm_page(&r2, slots, 2);
		if (err == VG_OK)
			err = vg_ipc(&a);
		ok = t_expect(err == VG_OK, "GETCAPS: %s", vg_strerror(err));
		if (ok)
			ok = t_wait_child(&ch, &r2.received, before + 1);
		if (ok) {
			(void)vg_as_read(vg_kcall(), rt->self_root, slot_a, &ta,
			    NULL);
			(void)vg_as_read(vg_kcall(), rt->self_root, slot_b, &tb,
			    NULL);
			ok = t_expect(r2.page->cap_count == 2 &&
			    r2.page->cap_void == 0 &&
			    vg_msg_word(r2.page, 0) == VG_OK &&
			    vg_msg_nwords(r2.page) == 1,
			    "GETCAPS reply: %u caps, void %#x, %u words, w0 %lu",
			    r2.page->cap_count, r2.page->cap_void,
			    vg_msg_nwords(r2.page),
			    (unsigned long)vg_msg_word(r2.page, 0));
			ok &= t_expect(ta == VG_TYPE_RMESSENGER &&
			    tb == VG_TYPE_RMESSENGER,
			    "GETCAPS: my slots hold a %s and a %s",
			    vg_type_name(ta), vg_type_name(tb));
		}
		t_ok(g, R_GETCAPS, ok);
	}

	/* 3. A full page each way: 1 capability and 4064 bytes out, 4088
	 * bytes back. */
	{
		uint64_t before = r2.received, sent_hash;
		struct vg_message *m = s2.page;
		struct vg_ipc_args a = {
			.flags = VG_IPC_SEND | VG_IPC_SEND_ACTIVATE |
			    VG_IPC_RETURN,
			.target = slot_a,
			.send_messenger = s2.m,
		};
		const uint8_t *back;
		uint8_t *p;

		vg_message_clear(m);
		vg_msg_put_cap(m, r2.weak);
		vg_msg_put_word(m, T_IPC_ECHO_PAGE);
		p = vg_message_data(m) + m->data_count;
		for (unsigned i = 0; i < PAYLOAD; i++)
			p[i] = (uint8_t)(i * 7 + 3 + (i >> 8));
		m->data_count = (uint16_t)(m->data_count + PAYLOAD);
		sent_hash = t_hash(vg_message_data(m), m->data_count);
		err = probe_arm_page(&r2, NULL, 0);
		if (err == VG_OK)
			err = vg_ipc(&a);
		ok = t_expect(err == VG_OK, "ECHO_PAGE: %s", vg_strerror(err));
		if (ok)
			ok = t_wait_child(&ch, &r2.received, before + 1);
		if (ok) {
			const struct vg_message *r = r2.page;

			ok = t_expect(r->cap_count == 0 &&
			    r->data_count == 32 + PAYLOAD &&
			    vg_msg_word(r, 0) == VG_OK &&
			    vg_msg_word(r, 1) == 8 + PAYLOAD &&
			    vg_msg_word(r, 2) == sent_hash &&
			    vg_msg_word(r, 3) == 1,
			    "ECHO_PAGE reply: %u caps, %u bytes, w0 %lu, the "
			    "child got %lu bytes (hash %s), caps|void %#lx",
			    r->cap_count, r->data_count,
			    (unsigned long)vg_msg_word(r, 0),
			    (unsigned long)vg_msg_word(r, 1),
			    vg_msg_word(r, 2) == sent_hash ? "right" : "wrong",
			    (unsigned long)vg_msg_word(r, 3));
			back = vg_msg_data(r) + 32;
			for (unsigned i = 0; ok && i < PAYLOAD; i++) {
				uint8_t want = (uint8_t)((PAYLOAD - 1 - i) * 7 +
				    3 + ((PAYLOAD - 1 - i) >> 8));

				ok = t_expect(back[i] == want,
				    "ECHO_PAGE: byte %u is %#x, not %#x", i,
				    back[i], want);
			}
		}
		t_ok(g, R_PAGE, ok);
	}

	/* 4. and 5. Senders queue on FIFO, which is blocked; one more,
	 * non-blocking, is refused. */
	{
		uint32_t log0 = t_nlog, flags;
		uint64_t delivered = 0;
		bool fifo_ok = true, nb_ok;
		unsigned next = 0;
		const uint64_t *w = reply_words();

		for (unsigned i = 0; i < NFIFO; i++) {
			struct vg_ipc_args a = {
				.flags = VG_IPC_SEND | VG_IPC_SEND_INLINE |
				    VG_IPC_INLINE_WORDS(3) |
				    VG_IPC_SEND_ACTIVATE | VG_IPC_RETURN,
				.target = slot_b,
				.send_messenger = fs[i].m,
				.inline_words = { T_IPC_FIFO_MAGIC, i,
				    0xfeed0000ull + i * 0x101 },
			};

			err = vg_ipc(&a);
			fifo_ok &= t_expect(err == VG_OK, "FIFO send %u: %s",
			    i, vg_strerror(err));
			flags = 0;
			err = vg_messenger_flags(vg_kcall(), fs[i].m, 0, 0,
			    &flags);
			fifo_ok &= t_expect(err == VG_OK &&
			    (flags & VG_MESSENGER_QUEUED),
			    "FIFO sender %u is not queued (flags %#x, %s)", i,
			    flags, vg_strerror(err));
		}
		{
			struct vg_ipc_args a = {
				.flags = VG_IPC_SEND | VG_IPC_SEND_NONBLOCKING |
				    VG_IPC_SEND_INLINE |
				    VG_IPC_INLINE_WORDS(3) |
				    VG_IPC_SEND_ACTIVATE | VG_IPC_RETURN,
				.target = slot_b,
				.send_messenger = fs[NFIFO].m,
				.inline_words = { T_IPC_FIFO_MAGIC, NFIFO,
				    0xfeed0000ull + NFIFO * 0x101 },
			};

			err = vg_ipc(&a);
			nb_ok = t_expect(err == VG_ERR_WOULDBLOCK,
			    "non-blocking send to a blocked messenger: %s",
			    vg_strerror(err));
			flags = ~0u;
			err = vg_messenger_flags(vg_kcall(), fs[NFIFO].m, 0, 0,
			    &flags);
			nb_ok &= t_expect(err == VG_OK &&
			    !(flags & VG_MESSENGER_QUEUED),
			    "the refused sender is queued anyway (flags %#x)",
			    flags);
		}
		for (unsigned i = 0; i <= NFIFO; i++)
			fifo_ok &= t_expect(fs[i].delivered == 0 &&
			    fs[i].events == 0, "FIFO sender %u was told "
			    "something before any receive", i);

		/* The child receives them, then finds nothing more. */
		fifo_ok &= request(ctl, T_IPC_DRAIN, NFIFO, 0, 0);
		fifo_ok &= t_expect(w[0] == VG_OK && w[1] == 0x76543210 &&
		    (w[2] & 0xffffffff) == NFIFO && w[3] == NFIFO,
		    "DRAIN: order %#lx, %lu received, %lu intact",
		    (unsigned long)w[1], (unsigned long)(w[2] & 0xffffffff),
		    (unsigned long)w[3]);
		nb_ok &= t_expect((w[2] >> 32) == VG_ERR_WOULDBLOCK,
		    "DRAIN: a ninth non-blocking receive gave %s, not "
		    "WOULDBLOCK (the refused send was queued?)",
		    vg_strerror((enum vg_err)(w[2] >> 32)));
		for (unsigned i = 0; i < NFIFO; i++)
			t_wait_child(&ch, &fs[i].delivered, 1);
		for (unsigned i = 0; i < NFIFO; i++) {
			delivered += fs[i].delivered;
			fifo_ok &= t_expect(fs[i].delivered == 1 &&
			    fs[i].errors == 0, "FIFO sender %u: %lu DELIVERED, "
			    "%lu errors", i, (unsigned long)fs[i].delivered,
			    (unsigned long)fs[i].errors);
		}
		nb_ok &= t_expect(fs[NFIFO].events == 0,
		    "the refused sender got %lu activations",
		    (unsigned long)fs[NFIFO].events);
		/* The DELIVERED activations came in delivery order. */
		for (uint32_t k = log0; k < t_nlog && k < T_LOG_MAX; k++) {
			for (unsigned i = 0; i < NFIFO; i++) {
				if (t_log[k].id != vg_act_id(&fs[i].h))
					continue;
				fifo_ok &= t_expect(i == next, "DELIVERED of "
				    "sender %u came before sender %u's", i,
				    next);
				next = i + 1;
			}
		}
		fifo_ok &= t_expect(next == NFIFO, "only %u DELIVERED in "
		    "the log", next);
		t_ok(g, R_FIFO, fifo_ok);
		t_ok(g, R_NONBLOCK, nb_ok);
	}

	/* 6. The activations on both sides. */
	{
		const uint64_t *w = reply_words();

		ok = request(ctl, T_IPC_STATS, 0, 0, 0);
		/* Requests to CTL: 2 ECHO, GETCAPS, DRAIN, STATS; to BUF: 1.
		 * Replies before this one: 2 ECHO, GETCAPS, ECHO_PAGE,
		 * DRAIN. */
		ok &= t_expect(w[0] == VG_OK && w[1] == 5 && w[2] == 1 &&
		    (w[3] & 0xffffffff) == 5 && (w[3] >> 32) == 0,
		    "the child counted %lu CTL and %lu BUF receipts, %lu "
		    "replies delivered, %lu reply errors", (unsigned long)w[1],
		    (unsigned long)w[2], (unsigned long)(w[3] & 0xffffffff),
		    (unsigned long)(w[3] >> 32));
		ok &= t_expect(s1.delivered == 5 && s1.received == 0 &&
		    s1.errors == 0, "S1: %lu DELIVERED, %lu RECEIVED, %lu "
		    "errors (want 5, 0, 0)", (unsigned long)s1.delivered,
		    (unsigned long)s1.received, (unsigned long)s1.errors);
		ok &= t_expect(r1.received == 4 && r1.delivered == 0 &&
		    r1.errors == 0, "R1: %lu RECEIVED, %lu DELIVERED, %lu "
		    "errors (want 4, 0, 0)", (unsigned long)r1.received,
		    (unsigned long)r1.delivered, (unsigned long)r1.errors);
		ok &= t_expect(s2.delivered == 1 && s2.events == 1,
		    "S2: %lu DELIVERED of %lu activations",
		    (unsigned long)s2.delivered, (unsigned long)s2.events);
		ok &= t_expect(r2.received == 2 && r2.events == 2,
		    "R2: %lu RECEIVED of %lu activations",
		    (unsigned long)r2.received, (unsigned long)r2.events);
		t_ok(g, R_ACTIVATIONS, ok);
	}

	/* 7. Goodbye. */
	ok = request(ctl, T_IPC_BYE, 0, 0, 0);
	/* REGISTER, then EXIT (or a fault). */
	if (ok)
		t_wait_for(&ch.events, 2);
	ok &= t_expect(ch.exited == 1, "tipc did not exit");
	ok &= t_expect(ch.status == 0, "tipc exited with status %ld",
	    (long)ch.status);
	ok &= child_mailbox_ok(&ch);
	ok &= t_expect(ch.mb->value[0] == 6 && ch.mb->value[1] == 1,
	    "tipc's final counts: %lu CTL, %lu BUF receipts",
	    (unsigned long)ch.mb->value[0], (unsigned long)ch.mb->value[1]);
	t_ok(g, R_EXIT, ok);
out:
	child_destroy(&ch);
	probe_fini(&s1);
	probe_fini(&r1);
	probe_fini(&s2);
	probe_fini(&r2);
	for (unsigned i = 0; i <= NFIFO; i++)
		probe_fini(&fs[i]);
	t_slot_free(&slot_a);
	t_slot_free(&slot_b);
}

struct t_group t_group_ipc = {
	.name = "ipc",
	.n = R_N,
	.names = names,
	.run = run,
};
