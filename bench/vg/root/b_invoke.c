/*
 * Kernel objects invoked by message: CAP_READ on the root cappage, then
 * on a chain of cappages, so that the cost of one more level of address
 * translation can be read off the slope.
 */
#include "broot.h"

/* Invoke CAP_READ at TARGET with address ADDR and check the type read:
 * RECEIVE on KRECV (buffer page), inline SEND, RETURN. */
static struct stats
cap_read_loop(const char *metric, int param, vg_addr_t target, vg_addr_t addr,
    enum vg_type want)
{
	struct vg_ipc_args a = {
		.flags = VG_IPC_RECEIVE | VG_IPC_SEND | VG_IPC_SEND_INLINE |
		    VG_IPC_INLINE_WORDS(2) | VG_IPC_INLINE_CAP | VG_IPC_RETURN,
		.recv_messenger = krecv,
		.target = target,
		.send_messenger = ksend,
		.inline_words = { VG_METHOD_CAP_READ, addr.raw },
		.inline_cap = krecv,
	};

	for (unsigned i = 0; i < warmup + iters; i++) {
		prof(metric, param, i, warmup);
		uint64_t t0, t1;
		enum vg_err err;

		kpage->cap_count = 0;
		kpage->data_count = 0;
		t0 = bench_tsc();
		err = vg_ipc(&a);
		t1 = bench_tsc();
		if (err != VG_OK || vg_msg_word(kpage, 0) != VG_OK ||
		    vg_msg_word(kpage, 1) != want)
			die("%s %d: %s, reply %s, type %lu", metric, param,
			    vg_strerror(err),
			    vg_strerror((enum vg_err)vg_msg_word(kpage, 0)),
			    (unsigned long)vg_msg_word(kpage, 1));
		if (i >= warmup)
			samples[i - warmup] = t1 - t0;
	}
	return report(metric, param, samples, iters);
}

#define CHAIN	8

static void
bench_invoke(void)
{
	struct vg_cap_translator half = { .subpage_log2 = 1, .subpage = 0 };
	vg_addr_t c[CHAIN], head = root_slot();
	struct stats d1 = { 0 }, d8 = { 0 };
	uint64_t page = vg_page_alloc(1);

	(void)cap_read_loop("kernel_invoke_cap_read", -1, rt->self_root,
	    vg_as_local(vg_boot_slot(VG_BOOT_SLOT_THREAD)), VG_TYPE_THREAD);

	/*
	 * A chain of CHAIN cappages, each capability selecting half of its
	 * cappage (7 index bits, so that 8 levels fit in an address): slot 0
	 * of level k holds level k+1, slot 0 of the last a page.  CAP_READ
	 * invoked on HEAD (level 1) with 7 * d zero bits reads the
	 * capability after d indexing steps.
	 */
	if (page == 0)
		die("no page for the chain");
	for (unsigned k = 0; k < CHAIN; k++)
		c[k] = obj_new(VG_TYPE_CAPPAGE, "chain");
	copy(head, c[0], VG_CAP_COPY_SUBPAGE, half, "chain head");
	for (unsigned k = 0; k + 1 < CHAIN; k++)
		copy(vg_addr_extend(c[k], 0, 8), c[k + 1], VG_CAP_COPY_SUBPAGE,
		    half, "chain link");
	copy(vg_addr_extend(c[CHAIN - 1], 0, 8), vg_addr_of_data(page), 0,
	    NONE, "chain end");
	for (unsigned d = 1; d <= CHAIN; d++) {
		struct stats st = cap_read_loop("translate_depth", (int)d,
		    head, vg_addr(0, 7 * d),
		    d < CHAIN ? VG_TYPE_CAPPAGE : VG_TYPE_PAGE);

		if (d == 1)
			d1 = st;
		if (d == CHAIN)
			d8 = st;
	}
	/* The slope: what one more level costs.  Depth 1 and depth 8 are
	 * separate loops, so the extremes bound it: from the fastest depth-8
	 * read less the slowest depth-1 one, to the slowest less the
	 * fastest (a difference of extremes alone need not bracket the
	 * median). */
	print_stats("translate_per_level", -1, (struct stats){
	    .median = (d8.median - d1.median) / (CHAIN - 1),
	    .min = d8.min > d1.max ? (d8.min - d1.max) / (CHAIN - 1) : 0,
	    .max = (d8.max - d1.min) / (CHAIN - 1), .n = iters });
}

const struct bench_group bench_group_invoke = { "invoke", bench_invoke };
