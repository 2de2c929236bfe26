/*
 * The client (broot.h): my main thread is the client of every
 * measurement, and these are its messengers and activation handlers.
 * They are made once, before any group runs, so that every group sends
 * from the same slots whichever groups run, and the handlers are
 * registered in the same order (libvg's dispatcher, which
 * roundtrip_libvg_client measures, looks them up).
 */
#include "broot.h"

volatile struct vg_utcb *utcb;

/* The word at the fast handler's handler_sp: the UTCB. */
static struct {
	volatile struct vg_utcb *utcb;
	uint64_t pad;
} resume_state __attribute__((aligned(16)));

/* libvg's channel over my REPLY and SENDER messengers, for
 * roundtrip_libvg_client: its calls are libvg's, its activations taken by
 * libvg's dispatcher. */
struct vg_channel chan;

/* Faults of mine the pager could not resolve. */
volatile uint64_t my_faults;
struct vg_activation my_fault;

static void
on_my_fault(struct vg_act_handler *h, const struct vg_activation *a)
{
	(void)h;
	my_fault = *a;
	my_faults++;
}

struct vg_act_handler fault_h = { .fn = on_my_fault,
	.name = "bench.exception" };

void
handler_fast(void)
{
	resume_state.utcb = utcb;
	exregs(rt->thread, VG_EXREGS_SET_HANDLER | VG_EXREGS_SET_EXIT_RANGE,
	    0, 0, (uint64_t)(uintptr_t)bench_resume_entry,
	    (uint64_t)(uintptr_t)&resume_state,
	    (uint64_t)(uintptr_t)bench_resume_exit_start,
	    (uint64_t)(uintptr_t)bench_resume_exit_end);
}

void
handler_libvg(void)
{
	exregs(rt->thread, VG_EXREGS_SET_HANDLER | VG_EXREGS_SET_EXIT_RANGE,
	    0, 0, (uint64_t)(uintptr_t)vg_activation_entry,
	    (uint64_t)(uintptr_t)&vg_act_stack.state,
	    (uint64_t)(uintptr_t)vg_activation_exit_start,
	    (uint64_t)(uintptr_t)vg_activation_exit_end);
}

vg_addr_t reply, reply_weak, sender, psender;
struct vg_message *psend_page;
vg_addr_t ksend, krecv;
struct vg_message *kpage;
vg_addr_t capsrc;

void
client_init(void)
{
	uint64_t pp = vg_page_alloc(1), kp = vg_page_alloc(1);

	utcb = rt->utcb;
	if (pp == 0 || kp == 0)
		die("no pages for the client");
	psend_page = VG_PTR(pp);
	kpage = VG_PTR(kp);
	vg_channel_init(&chan, "bench.reply", NULL);
	vg_act_register(&fault_h);
	reply = msgr_new(&self, rt->thread, 0, vg_channel_id(&chan), true);
	reply_weak = weak_of(reply, true);
	sender = msgr_new(&self, rt->thread, 0, 0, true);
	chan.recv = reply;
	chan.recv_weak = reply_weak;
	chan.send = sender;
	psender = msgr_new(&self, rt->thread, pp, 0, true);
	ksend = msgr_new(&self, rt->thread, 0, 0, true);
	krecv = msgr_new(&self, rt->thread, kp, 0, true);
	capsrc = obj_new(VG_TYPE_CAPPAGE, "capability sources");
	for (unsigned i = 0; i < BSRV_PRELOAD_MAX; i++)
		must(vg_obj_alloc(kc, &rt->alloc, VG_TYPE_PAGE,
		    vg_addr_extend(capsrc, i, 8)), "a page to send");
}
