/*
 * The round trip without upcalls, for the programs that would rather take
 * their activations when they choose: how much more the explicit
 * THREAD_ACTIVATION_COLLECT costs than being activated.
 */
#include "broot.h"

static struct echo e_coll;

/*
 * No upcalls: both threads stay in activated mode, so an activation only
 * queues and wakes the thread where it suspended; each side then takes
 * it with THREAD_ACTIVATION_COLLECT (a kernel invocation).
 */
static void
bench_collect(void)
{
	struct bsrv *b;
	vg_addr_t req, rsnd, ks, kr, req_c, rw;
	uint64_t kp = shared_page();
	struct vg_ipc_args a = {
		.flags = VG_IPC_RECEIVE | VG_IPC_RECEIVE_ACTIVATE |
		    VG_IPC_RECEIVE_INLINE | VG_IPC_SEND | VG_IPC_SEND_INLINE |
		    VG_IPC_INLINE_WORDS(1),
		.recv_messenger = reply,
		.send_messenger = sender,
	};
	struct vg_ipc_args col = {
		.flags = VG_IPC_RECEIVE | VG_IPC_SEND | VG_IPC_SEND_INLINE |
		    VG_IPC_INLINE_WORDS(1) | VG_IPC_INLINE_CAP | VG_IPC_RETURN,
		.recv_messenger = krecv,
		.target = rt->thread,
		.send_messenger = ksend,
		.inline_words = { VG_METHOD_THREAD_ACTIVATION_COLLECT },
		.inline_cap = krecv,
	};

	partner_new(&e_coll.p, &p1, "bcoll_entry");
	b = e_coll.p.s;
	req = msgr_new(&p1, e_coll.p.thread, 0, 0, false);
	rsnd = msgr_new(&p1, e_coll.p.thread, 0, 0, false);
	ks = msgr_new(&p1, e_coll.p.thread, 0, 0, false);
	kr = msgr_new(&p1, e_coll.p.thread, kp, 0, false);
	req_c = give(&p1, req, 0);
	rw = give(&p1, reply, VG_CAP_COPY_WEAKEN);
	e_coll.req_weak = weak_of(req, true);
	b->kind = BSRV_COLLECT;
	b->kpage = VG_PTR(kp);
	b->arm = (struct vg_ipc_args){
		.flags = VG_IPC_RECEIVE | VG_IPC_RECEIVE_ACTIVATE |
		    VG_IPC_RECEIVE_INLINE,
		.recv_messenger = req_c,
	};
	b->call = b->arm;
	b->call.flags |= VG_IPC_SEND | VG_IPC_SEND_INLINE |
	    VG_IPC_INLINE_WORDS(1);
	b->call.target = rw;
	b->call.send_messenger = give(&p1, rsnd, 0);
	b->collect = (struct vg_ipc_args){
		.flags = col.flags,
		.recv_messenger = give(&p1, kr, 0),
		.target = give(&p1, e_coll.p.thread, 0),
		.send_messenger = give(&p1, ks, 0),
		.inline_words = { VG_METHOD_THREAD_ACTIVATION_COLLECT },
	};
	b->collect.inline_cap = b->collect.recv_messenger;
	partner_start(&e_coll.p);

	a.target = e_coll.req_weak;
	utcb->mode |= VG_UTCB_ACTIVATED;
	for (unsigned i = 0; i < warmup + iters; i++) {
		prof("roundtrip_collect", -1, i, warmup);
		uint64_t v = 0x1000 + i, t0, t2;
		enum vg_err err, err2;

		a.inline_words[0] = v;
		t0 = bench_tsc();
		err = vg_ipc(&a);
		err2 = vg_ipc(&col);
		t2 = bench_tsc();
		if (err != VG_OK || err2 != VG_OK ||
		    vg_msg_word(kpage, 0) != VG_OK ||
		    vg_msg_word(kpage, 1) != 1 ||
		    utcb->reason != VG_ACTIVATION_RECEIVED ||
		    utcb->inline_words[0] != v + 1)
			die("roundtrip_collect: iteration %u: %s, %s, collect "
			    "%s/%lu, reason %#x, reply %#lx", i,
			    vg_strerror(err), vg_strerror(err2),
			    vg_strerror((enum vg_err)vg_msg_word(kpage, 0)),
			    (unsigned long)vg_msg_word(kpage, 1), utcb->reason,
			    (unsigned long)utcb->inline_words[0]);
		if (i >= warmup)
			samples[i - warmup] = t2 - t0;
	}
	utcb->mode &= ~(uint64_t)VG_UTCB_ACTIVATED;
	partner_check(&e_coll.p, "roundtrip_collect");
	report("roundtrip_collect", -1, samples, iters);
}

const struct bench_group bench_group_collect = { "collect", bench_collect };
