/*
 * Programs that end while running: "tfault" (tests/qemu/fault/fault.c)
 * spinning in a loop, destroyed by this task while its thread is
 * runnable; and freeing the folio that holds its own thread, code, stack
 * and UTCB in a system call.  The kernel must take the thread off its run
 * queue and drop its page tables, even when it is the thread that made
 * the call, and go on.
 */
#include "troot.h"

enum { R_SPINNING, R_STOPPED, R_FREE_SELF, R_RUNS_ON, R_N };

static const char *const names[R_N] = {
	[R_SPINNING] = "a spinning program is scheduled round robin with "
	    "others (its counter moves while another program runs)",
	[R_STOPPED] = "destroying it while its thread is runnable stops it "
	    "for good (its counter stays still while others run)",
	[R_FREE_SELF] = "a program that frees the folio holding its own "
	    "thread, code and stack in a system call is gone, and its "
	    "thread capability reads void",
	[R_RUNS_ON] = "the kernel runs on: programs started afterwards run "
	    "and exit normally",
};

static struct tchild spinner, suicide, other;

/* Run a short program (a fault it handles itself) to its end: it takes
 * a few time slices, which the others get to share. */
static bool
run_other(void)
{
	uint64_t arg = T_FAULT_SELF;
	enum vg_err err = child_load(&other, "tfault", 2, 1, &arg, true);
	bool ok;

	if (err == VG_OK)
		err = child_start(&other);
	ok = t_expect(err == VG_OK, "another program: %s", vg_strerror(err));
	if (ok) {
		t_wait_for(&other.events, 1);
		ok = t_expect(other.exited == 1 && other.status == 0,
		    "another program: %lu exits (status %ld), %lu faults",
		    (unsigned long)other.exited, (long)other.status,
		    (unsigned long)other.faults);
	}
	child_destroy(&other);
	return ok;
}

static void
run(struct t_group *g)
{
	uint64_t arg = T_FAULT_SPIN, c0, c1, c2;
	volatile uint64_t *counter;
	enum vg_type type = VG_TYPE_COUNT;
	bool ok, runs_on = true;
	enum vg_err err;

	/* The spinner. */
	err = child_load(&spinner, "tfault", 2, 1, &arg, true);
	if (err == VG_OK)
		err = child_start(&spinner);
	ok = t_expect(err == VG_OK, "spinner: %s", vg_strerror(err)) &&
	    t_wait_child(&spinner, &spinner.reports, 1);
	counter = &spinner.mb->value[5];
	c0 = *counter;
	/* While another program runs (and I wait), the spinner gets time
	 * slices: at the latest at the next timer tick. */
	for (unsigned tries = 0; ok && tries < 8 && *counter == c0; tries++)
		runs_on &= run_other();
	c1 = *counter;
	t_ok(g, R_SPINNING, t_expect(ok && c1 > c0, "the spinner's counter: "
	    "%lu, then %lu", (unsigned long)c0, (unsigned long)c1));
	/* Destroy it: it is runnable, on a run queue, with page tables. */
	{
		struct vg_exregs x = { .control = 0 };
		struct vg_exregs_old old = { 0 };

		err = vg_thread_exregs(vg_kcall(), spinner.sp.thread, &x, &old);
		ok = t_expect(err == VG_OK && old.state == VG_THREAD_RUNNABLE,
		    "the spinner: %s, state %lu", vg_strerror(err),
		    (unsigned long)old.state);
	}
	/* Keep its mailbox page: destroying the program frees my pages. */
	{
		uint64_t mailbox = spinner.mailbox_va;

		spinner.mailbox_va = 0;
		child_destroy(&spinner);
		c1 = *counter;
		runs_on &= run_other();
		runs_on &= run_other();
		c2 = *counter;
		t_page_free(mailbox);
	}
	t_ok(g, R_STOPPED, t_expect(ok && c2 == c1, "after its destruction "
	    "the counter went from %lu to %lu", (unsigned long)c1,
	    (unsigned long)c2));

	/* The one that frees its own folio. */
	arg = T_FAULT_FREE_SELF;
	err = child_load(&suicide, "tfault", 2, 1, &arg, true);
	if (err == VG_OK)
		err = child_start(&suicide);
	ok = t_expect(err == VG_OK, "start: %s", vg_strerror(err)) &&
	    t_wait_child(&suicide, &suicide.reports, 1);
	/* It frees its folio right after its report, when it next runs. */
	err = VG_OK;
	for (unsigned tries = 0; ok && tries < 8 && err != VG_ERR_VOID;
	    tries++) {
		runs_on &= run_other();
		err = vg_object_status(vg_kcall(), suicide.sp.thread, &type,
		    NULL, NULL);
	}
	if (ok) {
		ok = t_expect(err == VG_ERR_VOID, "OBJECT_STATUS on its "
		    "thread: %s (%s)", vg_strerror(err),
		    err == VG_OK ? vg_type_name(type) : "-");
		ok &= t_expect(suicide.mb->value[6] == 0 &&
		    suicide.exited == 0 && suicide.faults == 0,
		    "it came back from FOLIO_FREE (%s), %lu exits, %lu faults",
		    suicide.mb->value[6] ? vg_strerror((enum vg_err)
		    (suicide.mb->value[6] - 1)) : "no",
		    (unsigned long)suicide.exited,
		    (unsigned long)suicide.faults);
	}
	t_ok(g, R_FREE_SELF, ok);
	child_destroy(&suicide);
	runs_on &= run_other();
	t_ok(g, R_RUNS_ON, runs_on);
}

struct t_group t_group_lifecycle = {
	.name = "lifecycle",
	.n = R_N,
	.names = names,
	.run = run,
};
