/*
 * Stress: T_STRESS_PROGRAMS copies of "tstress" (tests/qemu/stress/
 * stress.c), T_STRESS_WORKERS threads and as many messengers each (1000
 * of both), exchange messages across address spaces: every sender of
 * program p sends M numbered messages, one at a time, to a receiver of
 * program p + 1.  Every message is counted on both sides; per-sender
 * sequence numbers show that nothing was lost, duplicated, reordered or
 * corrupted.
 *
 * This task gives each program two cappages: its own (strong), where it
 * puts rmessengers to its receivers, and the next program's (weak), where
 * its senders find their receivers; it starts the senders only when all
 * programs have registered (GO), so that every receiver exists.
 */
#include "troot.h"

#define P	T_STRESS_PROGRAMS
#define M	32	/* messages per sender */
#define CAP_EVERY	4	/* ... of which every fourth carries a capability */

enum {
	R_CREATED, R_DELIVERED, R_SEQUENCES, R_CAPS, R_FINISHED, R_EXIT, R_N
};

static const char *const names[R_N] = {
	[R_CREATED] = "1000 threads and 1000 messengers made in 4 address "
	    "spaces, 40 of them receivers",
	[R_DELIVERED] = "every message (960 senders x 32) was delivered, and "
	    "each sender told so once, with no failed send",
	[R_SEQUENCES] = "the receivers got every message exactly once, each "
	    "sender's sequence complete and in order, none corrupted",
	[R_CAPS] = "every fourth message carried a capability (a read-only "
	    "page) that its receiver could read through",
	[R_FINISHED] = "all 1000 workers reported that they finished, each "
	    "exactly once",
	[R_EXIT] = "the programs exit cleanly",
};

static struct tchild kids[P];
static struct probe gos[P];
static vg_addr_t mine[P], links[P];

static void
run(struct t_group *g)
{
	struct vg_runtime *rt = vg_self();
	uint64_t total[T_VALUES] = { 0 }, t0, t1;
	enum vg_err err = VG_OK;
	bool ok, exits = true, sane = true;

	for (unsigned p = 0; p < P && err == VG_OK; p++) {
		mine[p] = t_slot();
		links[p] = t_slot();
		err = vg_obj_alloc(vg_kcall(), &rt->alloc, VG_TYPE_CAPPAGE,
		    mine[p]);
		if (err == VG_OK)
			err = vg_obj_alloc(vg_kcall(), &rt->alloc,
			    VG_TYPE_CAPPAGE, links[p]);
		if (err == VG_OK)
			err = probe_init(&gos[p], "stress.go", false);
	}
	/* Links of program p: its own receivers' cappage, strong, and the
	 * next program's, weak. */
	for (unsigned p = 0; p < P && err == VG_OK; p++) {
		err = vg_as_copy(vg_kcall(), rt->self_root,
		    vg_addr_extend(links[p], T_STRESS_LINK_MINE, 8), mine[p],
		    0, (struct vg_cap_translator){ 0 });
		if (err == VG_OK)
			err = vg_as_copy(vg_kcall(), rt->self_root,
			    vg_addr_extend(links[p], T_STRESS_LINK_NEXT, 8),
			    mine[(p + 1) % P], VG_CAP_COPY_WEAKEN,
			    (struct vg_cap_translator){ 0 });
	}
	for (unsigned p = 0; p < P && err == VG_OK; p++) {
		uint64_t args[2] = { p, M };

		err = child_load(&kids[p], "tstress", 12, 2, args, true);
		if (err == VG_OK)
			err = child_give(&kids[p], VG_SLOT_SERVICE, links[p],
			    false);
	}
	t0 = t_rdtsc();
	for (unsigned p = 0; p < P && err == VG_OK; p++)
		err = child_start(&kids[p]);
	if (!t_expect(err == VG_OK, "set-up: %s", vg_strerror(err)))
		goto out;

	/* Every program has made its workers and registered: GO. */
	for (unsigned p = 0; p < P; p++) {
		t_wait_for(&kids[p].events, 1);
		sane &= t_expect(kids[p].registered == 1 &&
		    !vg_addr_is_void(kids[p].service),
		    "tstress %u did not register (exit status %ld)", p,
		    (long)kids[p].status);
	}
	t1 = t_rdtsc();
	t_diag("the programs made their workers in %lu Mcycles",
	    (unsigned long)((t1 - t0) >> 20));
	for (unsigned p = 0; p < P && sane; p++) {
		struct vg_ipc_args a = {
			.flags = VG_IPC_SEND | VG_IPC_SEND_INLINE |
			    VG_IPC_INLINE_WORDS(1) | VG_IPC_RETURN,
			.target = kids[p].service,
			.send_messenger = gos[p].m,
			.inline_words = { T_STRESS_GO },
		};

		err = vg_ipc(&a);
		sane &= t_expect(err == VG_OK, "GO to %u: %s", p,
		    vg_strerror(err));
	}
	for (unsigned p = 0; p < P; p++) {
		const uint64_t *v = kids[p].mb->value;

		t_wait_for(&kids[p].events, sane ? 2 : 1);
		exits &= t_expect(kids[p].exited == 1 &&
		    kids[p].status == 0,
		    "tstress %u exited with status %ld", p,
		    (long)kids[p].status);
		exits &= child_mailbox_ok(&kids[p]);
		for (unsigned k = 0; k < T_VALUES; k++)
			total[k] += v[k];
		if (v[T_SV_FIRST_ERROR] != 0)
			t_diag("tstress %u: first error %s", p,
			    vg_strerror((enum vg_err)v[T_SV_FIRST_ERROR]));
	}
	t_diag("%lu messages in %lu Mcycles", (unsigned long)total[T_SV_RECEIVED],
	    (unsigned long)((t_rdtsc() - t1) >> 20));

	t_ok(g, R_CREATED, t_expect(total[T_SV_THREADS] == P * T_STRESS_WORKERS &&
	    total[T_SV_MESSENGERS] == P * T_STRESS_WORKERS &&
	    total[T_SV_SETUP_ERRORS] == 0, "%lu threads, %lu messengers, %lu "
	    "errors", (unsigned long)total[T_SV_THREADS],
	    (unsigned long)total[T_SV_MESSENGERS],
	    (unsigned long)total[T_SV_SETUP_ERRORS]) && sane);
	t_ok(g, R_DELIVERED, t_expect(total[T_SV_SENT] ==
	    (uint64_t)P * T_STRESS_SENDERS * M && total[T_SV_SEND_ERRORS] == 0,
	    "%lu messages delivered to their senders' knowledge (want %u), "
	    "%lu errors", (unsigned long)total[T_SV_SENT],
	    P * T_STRESS_SENDERS * M, (unsigned long)total[T_SV_SEND_ERRORS]));
	ok = t_expect(total[T_SV_RECEIVED] == (uint64_t)P * T_STRESS_SENDERS * M &&
	    total[T_SV_IN_ORDER] == total[T_SV_RECEIVED] &&
	    total[T_SV_BAD] == 0, "%lu received, %lu in sequence, %lu bad",
	    (unsigned long)total[T_SV_RECEIVED],
	    (unsigned long)total[T_SV_IN_ORDER],
	    (unsigned long)total[T_SV_BAD]);
	ok &= t_expect(total[T_SV_COMPLETE] == (uint64_t)P * T_STRESS_SENDERS,
	    "%lu of %u senders' sequences complete",
	    (unsigned long)total[T_SV_COMPLETE], P * T_STRESS_SENDERS);
	t_ok(g, R_SEQUENCES, ok);
	t_ok(g, R_CAPS, t_expect(total[T_SV_CAPS] ==
	    (uint64_t)P * T_STRESS_SENDERS * (M / CAP_EVERY),
	    "%lu tokens read through, want %u",
	    (unsigned long)total[T_SV_CAPS],
	    P * T_STRESS_SENDERS * (M / CAP_EVERY)));
	t_ok(g, R_FINISHED, t_expect(total[T_SV_FINISHED] == P * T_STRESS_WORKERS &&
	    total[T_SV_FINISH_DUPS] == 0, "%lu workers finished, %lu twice",
	    (unsigned long)total[T_SV_FINISHED],
	    (unsigned long)total[T_SV_FINISH_DUPS]));
	t_ok(g, R_EXIT, exits);
out:
	for (unsigned p = 0; p < P; p++) {
		child_destroy(&kids[p]);
		probe_fini(&gos[p]);
		t_slot_free(&mine[p]);
		t_slot_free(&links[p]);
	}
}

struct t_group t_group_stress = {
	.name = "stress",
	.n = R_N,
	.names = names,
	.run = run,
};
