/*
 * Virtualized cappage indexing: the plain round trip with a virtual
 * cappage on the way to the server, a partner in P2 answering the
 * kernel's INDEX requests in each of the three ways.  What it costs more
 * than the plain round trip is the price of user-level virtualization of
 * the address space.
 */
#include "broot.h"

/*
 * A virtual cappage in a root slot of mine: an rmessenger to V, a raw
 * thread in P2, which answers INDEX requests from a backing cappage of
 * its own whose slot VIRT_IDX holds the request rmessenger of the plain
 * echo server (echo_plain).  A send to (that root slot, VIRT_IDX)
 * suspends at the rmessenger, the kernel sends V an INDEX request
 * carried by my sending messenger, and V's answer resumes the send.  V
 * answers as HOW says: ANS_STATIC, through an rmessenger to my sending
 * messenger given once.
 */
#define VIRT_IDX	5

static vg_addr_t
virt_new(struct partner *v, enum answer how)
{
	struct bsrv *b;
	vg_addr_t vm, va, bk, bk_c, vm_c, slot, rslot;

	partner_new(v, &p2, "bsrv_entry");
	b = v->s;
	vm = msgr_new(&p2, v->thread, 0, 0, false);
	va = msgr_new(&p2, v->thread, 0, 0, false);
	bk = obj_new(VG_TYPE_CAPPAGE, "backing cappage");
	copy(vg_addr_extend(bk, VIRT_IDX, 8), echo_plain()->req_weak, 0,
	    NONE, "backing slot");
	bk_c = give(&p2, bk, 0);
	vm_c = give(&p2, vm, 0);
	rslot = answer_slot(&p2, how);
	b->backing = bk_c;
	virtualizer_arm(b, BSRV_VIRT, vm_c, rslot, how, sender, va);
	partner_start(v);

	/* The virtual cappage: a root slot of mine. */
	slot = root_slot();
	copy(slot, vm, VG_CAP_COPY_WEAKEN, NONE, "virtual cappage");
	return vg_addr_extend(slot, VIRT_IDX, 8);
}

static struct partner virt_p[3];

static void
bench_virt(void)
{
	static const char *const names[3] = {
		[ANS_STATIC] = "virt_index_rtt_static",
		[ANS_ROOT] = "virt_index_rtt",
		[ANS_OFFPATH] = "virt_index_rtt_offpath",
	};
	static const char *const extra[3] = {
		[ANS_STATIC] = "virt_index_extra_static",
		[ANS_ROOT] = "virt_index_extra",
		[ANS_OFFPATH] = "virt_index_extra_offpath",
	};
	static const enum answer order[3] = { ANS_ROOT, ANS_OFFPATH,
	    ANS_STATIC };
	struct echo *e = echo_plain();
	vg_addr_t target[3];
	struct stats plain;

	for (unsigned k = 0; k < 3; k++)
		target[order[k]] = virt_new(&virt_p[order[k]], order[k]);
	handler_fast();
	/* The extra costs are over the plain round trip: measured now if
	 * the roundtrip group did not run (only=). */
	plain = roundtrip_plain_stats();
	for (unsigned k = 0; k < 3; k++) {
		enum answer how = order[k];
		struct partner *v = &virt_p[how];
		struct stats st;

		rtt_loop(names[how], REQ_INLINE, 0, target[how], e->p.s,
		    samples2, samples, CLIENT_BENCH);
		partner_check(v, names[how]);
		partner_check(&e->p, names[how]);
		if (v->s->served != warmup + iters ||
		    v->s->last_word != vg_addr(VIRT_IDX, 8).raw)
			die("%s: the virtualizer answered %lu requests",
			    names[how], (unsigned long)v->s->served);
		st = report(names[how], -1, samples, iters);
		print_stats(extra[how], -1, (struct stats){
		    .median = st.median - plain.median,
		    .min = st.min - plain.min, .max = st.max - plain.max,
		    .n = iters });
	}
	handler_libvg();
}

const struct bench_group bench_group_virt = { "virt", bench_virt };
