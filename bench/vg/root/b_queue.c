/*
 * Message queues: many senders to one blocked messenger, then as many
 * receives, at 1 to 1,000 senders.  The kernel's queue should cost the
 * same per message however long it is.
 */
#include "broot.h"

/*
 * N sending messengers (of mine; no threads of their own are needed:
 * a messenger is the unit that queues) each send one inline message
 * (4 words) to Q, which is blocked, so each joins its queue; then N
 * receives on Q (into its buffer page, no activation) each take the
 * first in line.  queue_per_msg: the whole cycle, timed as one, divided
 * by N; queue_send and queue_recv: each send and each receive timed on
 * its own, over the same kind of cycles.  The senders rotate through all
 * QMAX messengers from one message to the next, so that no send is from
 * the messenger the previous one used, whatever N is (the kernel caches
 * a thread's last messengers: with one sender used again and again, N = 1
 * would measure that cache, not the queue).
 */
#define QMAX	1000u

static vg_addr_t qsend[QMAX];
static uint64_t qgot[QMAX];

static void
bench_queue(void)
{
	static const unsigned ns[] = { 1, 10, 100, 1000 };
	uint64_t qp = vg_page_alloc(1);
	struct vg_message *qpage = VG_PTR(qp);
	vg_addr_t q, qw;
	struct vg_ipc_args s = {
		.flags = VG_IPC_SEND | VG_IPC_SEND_INLINE |
		    VG_IPC_INLINE_WORDS(4) | VG_IPC_RETURN,
	};
	struct vg_ipc_args r = { .flags = VG_IPC_RECEIVE | VG_IPC_RETURN };
	unsigned next = 0;

	if (qp == 0)
		die("no page for the queue");
	q = msgr_new(&self, VG_ADDR_VOID, qp, 0, true);
	qw = weak_of(q, true);
	for (unsigned i = 0; i < QMAX; i++)
		qsend[i] = msgr_new(&self, VG_ADDR_VOID, 0, 0, false);
	s.target = qw;
	r.recv_messenger = q;

	for (unsigned k = 0; k < sizeof(ns) / sizeof(ns[0]); k++) {
		unsigned n = ns[k];
		/* Whole cycles: at least 2000 messages and 15 cycles. */
		unsigned reps = iters / n > 15 ? iters / n : 15;
		/* Every sender once before the measured cycles. */
		unsigned warm = QMAX / n + 1;
		/* One-by-one: 2000 samples of each. */
		unsigned cycles = iters / n >= 1 ? iters / n : 1;

		for (unsigned c = 0; c < warm + reps; c++) {
			uint64_t t0, t1;

			prof("queue_per_msg", (int)n, c, warm);
			t0 = bench_tsc();
			for (unsigned i = 0; i < n; i++) {
				s.send_messenger = qsend[next++ % QMAX];
				s.inline_words[0] = i;
				if (vg_ipc(&s) != VG_OK)
					die("queue: send %u of %u", i, n);
			}
			for (unsigned i = 0; i < n; i++) {
				if (vg_ipc(&r) != VG_OK)
					die("queue: receive %u of %u", i, n);
				qgot[i] = ((uint64_t *)(void *)qpage->caps)[0];
			}
			t1 = bench_tsc();
			/* A 64-bit index, as wide as the words it checks: with
			 * an unsigned one the compiler bounds this loop by the
			 * receive loop's last counter, and the timed receive
			 * loop pays an instruction per message for it. */
			for (uint64_t i = 0; i < n; i++)
				if (qgot[i] != i)
					die("queue: message %u of %u was "
					    "sender %lu's", (unsigned)i, n,
					    (unsigned long)qgot[i]);
			if (c >= warm)
				samples[c - warm] = (t1 - t0 + n / 2) / n;
		}
		report("queue_per_msg", (int)n, samples, reps);

		for (unsigned c = 0; c < 1 + cycles; c++) {
			for (unsigned i = 0; i < n; i++) {
				uint64_t t0, t1;
				enum vg_err err;

				s.send_messenger = qsend[next++ % QMAX];
				s.inline_words[0] = i;
				t0 = bench_tsc();
				err = vg_ipc(&s);
				t1 = bench_tsc();
				if (err != VG_OK)
					die("queue: send %u of %u", i, n);
				if (c > 0)
					samples[(c - 1) * n + i] = t1 - t0;
			}
			for (unsigned i = 0; i < n; i++) {
				uint64_t t0, t1;
				enum vg_err err;

				t0 = bench_tsc();
				err = vg_ipc(&r);
				t1 = bench_tsc();
				if (err != VG_OK || vg_msg_word(qpage, 0) != i)
					die("queue: receive %u of %u", i, n);
				if (c > 0)
					samples2[(c - 1) * n + i] = t1 - t0;
			}
		}
		report("queue_send", (int)n, samples, cycles * n);
		report("queue_recv", (int)n, samples2, cycles * n);
	}
}

const struct bench_group bench_group_queue = { "queue", bench_queue };
