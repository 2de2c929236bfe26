/*
 * Echo servers in P1 and the client's round trip to them (broot.h).  The
 * round trips and the virtualized round trips share them: a virtualized
 * round trip is the plain one with a virtual cappage on its way, so it
 * ends at the same server and is measured by the same loop, and its
 * extra cost is over the plain round trip's figures.
 */
#include "broot.h"

void
echo_new(struct echo *e, struct space *s, bool page, unsigned ncaps,
    enum answer how, vg_addr_t reply_to)
{
	struct bsrv *b;
	vg_addr_t req, rsnd, req_c, rsnd_c, rslot;
	uint64_t rbuf = 0;
	uint32_t recv;

	partner_new(&e->p, s, "bsrv_entry");
	b = e->p.s;
	if (page) {
		vg_addr_t tc = obj_new(VG_TYPE_CAPPAGE, "target cappage");
		vg_addr_t tc_c = give(s, tc, 0);

		rbuf = shared_page();
		b->rbuf = VG_PTR(rbuf);
		b->npreload = ncaps;
		for (unsigned i = 0; i < ncaps; i++)
			b->preload[i] = vg_addr_extend(tc_c, i, 8);
		vg_msg_preload(b->rbuf, b->preload, ncaps);
	}
	req = msgr_new(s, e->p.thread, rbuf, 0, false);
	rsnd = msgr_new(s, e->p.thread, 0, 0, false);
	req_c = give(s, req, 0);
	rsnd_c = give(s, rsnd, 0);
	e->req_weak = weak_of(req, true);
	rslot = answer_slot(s, how);
	recv = VG_IPC_RECEIVE | VG_IPC_RECEIVE_ACTIVATE |
	    (page ? 0 : VG_IPC_RECEIVE_INLINE);
	b->kind = BSRV_ECHO;
	b->arm = (struct vg_ipc_args){
		.flags = recv,
		.recv_messenger = req_c,
		.recv_inline_cap = rslot,
	};
	b->call = (struct vg_ipc_args){
		.flags = recv | VG_IPC_SEND | VG_IPC_SEND_INLINE |
		    VG_IPC_INLINE_WORDS(1),
		.recv_messenger = req_c,
		.recv_inline_cap = rslot,
		.target = how == ANS_STATIC ? reply_to : rslot,
		.send_messenger = rsnd_c,
	};
	partner_start(&e->p);
}

vg_addr_t
p1_reply_right(void)
{
	static vg_addr_t rw;
	static bool given;

	if (!given) {
		rw = give(&p1, reply, VG_CAP_COPY_WEAKEN);
		given = true;
	}
	return rw;
}

struct echo *
echo_plain(void)
{
	static struct echo e;
	static bool made;

	if (!made) {
		echo_new(&e, &p1, false, 0, ANS_STATIC, p1_reply_right());
		made = true;
	}
	return &e;
}

void
rtt_loop(const char *what, enum req_form form, unsigned ncaps,
    vg_addr_t target, struct bsrv *srv, uint64_t *oneway, uint64_t *rtt,
    enum client client)
{
	struct vg_ipc_args a = {
		.flags = VG_IPC_RECEIVE | VG_IPC_RECEIVE_ACTIVATE |
		    VG_IPC_RECEIVE_INLINE | VG_IPC_SEND,
		.recv_messenger = reply,
		.target = target,
		.send_messenger = sender,
	};
	uint64_t *data = NULL;

	switch (form) {
	case REQ_INLINE_CAP:
		a.flags |= VG_IPC_INLINE_CAP;
		a.inline_cap = reply_weak;
		/* FALLTHROUGH */
	case REQ_INLINE:
		a.flags |= VG_IPC_SEND_INLINE | VG_IPC_INLINE_WORDS(1);
		break;
	case REQ_PAGE:
		/* NCAPS capabilities, then 4 data words. */
		a.send_messenger = psender;
		vg_message_clear(psend_page);
		for (unsigned i = 0; i < ncaps; i++)
			(void)vg_message_append_cap(psend_page,
			    vg_addr_extend(capsrc, i, 8));
		for (unsigned i = 0; i < 4; i++)
			(void)vg_message_append_word(psend_page, 0);
		data = (uint64_t *)(void *)vg_message_data(psend_page);
		break;
	}

	if (client == CLIENT_CHANNEL)
		vg_channel_connect(&chan, target);
	for (unsigned i = 0; i < warmup + iters; i++) {
		prof(what, form == REQ_PAGE ? (int)ncaps : -1, i, warmup);
		uint64_t v = 0x1000 + i, t0, t2, got;
		enum vg_err err;

		if (data != NULL)
			data[0] = v;
		else
			a.inline_words[0] = v;
		t0 = bench_tsc();
		if (client == CLIENT_CHANNEL)
			err = vg_channel_call(&chan, &v, 1);
		else
			err = vg_ipc(&a);
		t2 = bench_tsc();
		got = client == CLIENT_BENCH ? utcb->inline_words[0] :
		    chan.in[0];
		if (err != VG_OK || got != v + 1)
			die("%s: iteration %u: %s, reply %#lx (want %#lx)",
			    what, i, vg_strerror(err), (unsigned long)got,
			    (unsigned long)(v + 1));
		if (i < warmup)
			continue;
		if (oneway != NULL)
			oneway[i - warmup] = srv->t1 - t0;
		rtt[i - warmup] = t2 - t0;
	}
}

/* The plain round trip's figures, once measured. */
static struct stats plain;
static bool plain_measured;

struct stats
roundtrip_plain(uint64_t *oneway)
{
	struct echo *e = echo_plain();

	rtt_loop("roundtrip", REQ_INLINE, 0, e->req_weak, e->p.s, oneway,
	    samples, CLIENT_BENCH);
	partner_check(&e->p, "roundtrip");
	plain = stats_of(samples, iters);
	plain_measured = true;
	return plain;
}

struct stats
roundtrip_plain_stats(void)
{
	if (!plain_measured)
		(void)roundtrip_plain(NULL);
	return plain;
}
