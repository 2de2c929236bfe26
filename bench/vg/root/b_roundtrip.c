/*
 * Round trips between address spaces: the client in my space and echo
 * servers in P1, with the reply right given once or carried by each
 * request, with capabilities in the request, and with libvg's dispatcher
 * in place of the fast handler.  Every variation is against "roundtrip",
 * the cheapest.
 */
#include "broot.h"

/* The servers of the variations ("roundtrip"'s is echo_plain's). */
static struct echo e_rcap, e_rcap_off, e_page[3];
static const unsigned page_caps[3] = { 0, 4, 16 };

static void
bench_roundtrip(void)
{
	vg_addr_t rw = p1_reply_right();
	struct echo *e_inline = echo_plain();
	struct stats st;

	echo_new(&e_rcap, &p1, false, 0, ANS_ROOT, VG_ADDR_VOID);
	echo_new(&e_rcap_off, &p1, false, 0, ANS_OFFPATH, VG_ADDR_VOID);
	for (unsigned k = 0; k < 3; k++)
		echo_new(&e_page[k], &p1, true, page_caps[k], ANS_STATIC, rw);

	handler_fast();
	st = roundtrip_plain(samples2);
	print_stats("roundtrip", -1, st);
	report("oneway_inline", -1, samples2, iters);

	rtt_loop("roundtrip_reply_cap", REQ_INLINE_CAP, 0, e_rcap.req_weak,
	    e_rcap.p.s, samples2, samples, CLIENT_BENCH);
	partner_check(&e_rcap.p, "roundtrip_reply_cap");
	report("roundtrip_reply_cap", -1, samples, iters);

	rtt_loop("roundtrip_reply_cap_offpath", REQ_INLINE_CAP, 0,
	    e_rcap_off.req_weak, e_rcap_off.p.s, samples2, samples, CLIENT_BENCH);
	partner_check(&e_rcap_off.p, "roundtrip_reply_cap_offpath");
	report("roundtrip_reply_cap_offpath", -1, samples, iters);

	for (unsigned k = 0; k < 3; k++) {
		rtt_loop("oneway_page_caps", REQ_PAGE, page_caps[k],
		    e_page[k].req_weak, e_page[k].p.s, samples2, samples,
		    CLIENT_BENCH);
		partner_check(&e_page[k].p, "oneway_page_caps");
		report("oneway_page_caps", (int)page_caps[k], samples2, iters);
		report("roundtrip_page_caps", (int)page_caps[k], samples,
		    iters);
	}

	/* The same round trip as "roundtrip", the client's activation
	 * taken by libvg's dispatcher. */
	handler_libvg();
	rtt_loop("roundtrip_libvg_client", REQ_INLINE, 0, e_inline->req_weak,
	    e_inline->p.s, NULL, samples, CLIENT_DISPATCH);
	partner_check(&e_inline->p, "roundtrip_libvg_client");
	report("roundtrip_libvg_client", -1, samples, iters);
	/* And the call libvg's: its channel stub. */
	rtt_loop("roundtrip_libvg_channel", REQ_INLINE, 0, e_inline->req_weak,
	    e_inline->p.s, NULL, samples, CLIENT_CHANNEL);
	partner_check(&e_inline->p, "roundtrip_libvg_channel");
	report("roundtrip_libvg_channel", -1, samples, iters);
}

const struct bench_group bench_group_roundtrip = { "roundtrip",
	bench_roundtrip };
