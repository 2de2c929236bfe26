/*
 * Isolation: no ambient authority for the console and the machine's
 * power.  Both are kernel objects reached by capability (vg/method.h
 * CONSOLE_WRITE, POWER_OFF), the old debug system calls are gone, and
 * only troot holds the real ones: a program under test prints through a
 * console of troot's that labels its lines (t_console.c).  Each attack is
 * made by "tfault" (tests/qemu/fault/fault.c, T_FAULT_NO_CONSOLE,
 * _NO_POWER, _FORGE), which records what every attempt returned; the
 * bystander (t_bystander.c) must answer after each one.
 */
#include "troot.h"

enum { R_CONSOLE, R_POWER, R_FORGE, R_N };

static const char *const names[R_N] = {
	[R_CONSOLE] = "a program without a console capability prints "
	    "nothing: vg_debug_write and CONSOLE_WRITE fail with "
	    "VG_ERR_VOID, the old DEBUG_WRITE number with VG_ERR_METHOD; "
	    "the bystander keeps running",
	[R_POWER] = "a program without the power capability cannot end the "
	    "machine: vg_halt fails with VG_ERR_VOID, the old DEBUG_EXIT "
	    "number and POWER_OFF to its console with VG_ERR_METHOD; the "
	    "run and the bystander go on",
	[R_FORGE] = "a program's lines that look like TAP results reach the "
	    "serial line only as troot's labelled diagnostics (\"# tfault: "
	    "ok 1 - ...\"), which the harness never takes for results; the "
	    "bystander keeps running",
};

static struct tchild ch;

/*
 * Run tfault's attack KIND to its exit, without a console unless
 * CONSOLE, and check that it ended normally, with its checks passed.
 */
static bool
attack(uint64_t kind, bool console)
{
	struct vg_runtime *rt = vg_self();
	enum vg_err err = child_load(&ch, "tfault", 2, 1, &kind, true);

	/* The console child_load gave it goes again. */
	if (err == VG_OK && !console)
		err = vg_as_rubout(vg_kcall(), rt->self_root,
		    vg_as_root_slot(&ch.sp.as, VG_SLOT_CONSOLE));
	if (err == VG_OK)
		err = child_start(&ch);
	if (!t_expect(err == VG_OK, "attack %lu: %s", (unsigned long)kind,
	    vg_strerror(err)))
		return false;
	return t_expect(t_wait_child(&ch, &ch.exited, 1) && ch.status == 0,
	    "attack %lu: exited %lu (status %ld), faults %lu",
	    (unsigned long)kind, (unsigned long)ch.exited, (long)ch.status,
	    (unsigned long)ch.faults) & child_mailbox_ok(&ch);
}

/* What attempt I (1..3) of the attack returned (VG_ERR_COUNT: it has
 * no mailbox). */
static enum vg_err
got(unsigned i)
{
	return ch.mb != NULL ? (enum vg_err)ch.mb->value[i] : VG_ERR_COUNT;
}

static void
run(struct t_group *g)
{
	bool by = t_bystander_start(), ok;

	ok = attack(T_FAULT_NO_CONSOLE, false);
	ok &= t_expect(got(1) == VG_ERR_VOID && got(2) == VG_ERR_METHOD &&
	    got(3) == VG_ERR_VOID && ch.lines == 0, "without a console: "
	    "vg_debug_write %s, system call 1 %s, CONSOLE_WRITE %s; %lu "
	    "lines reached my console", vg_strerror(got(1)),
	    vg_strerror(got(2)), vg_strerror(got(3)),
	    (unsigned long)ch.lines);
	t_ok(g, R_CONSOLE, ok && by && t_bystander_ok());
	child_destroy(&ch);

	ok = attack(T_FAULT_NO_POWER, true);
	ok &= t_expect(got(1) == VG_ERR_VOID && got(2) == VG_ERR_METHOD &&
	    got(3) == VG_ERR_METHOD, "without the power: vg_halt %s, "
	    "system call 2 %s, POWER_OFF to the console %s",
	    vg_strerror(got(1)), vg_strerror(got(2)), vg_strerror(got(3)));
	t_ok(g, R_POWER, ok && by && t_bystander_ok());
	child_destroy(&ch);

	/* Every forged line came through my console, labelled: the
	 * harness's plan check would catch one taken for a result. */
	ok = attack(T_FAULT_FORGE, true);
	ok &= t_expect(got(1) == VG_OK &&
	    ch.tap_lines == T_FAULT_FORGED_LINES && ch.lines >= 5,
	    "forging: vg_debug_write %s; %lu of %lu lines looked like "
	    "results (want %u)", vg_strerror(got(1)),
	    (unsigned long)ch.tap_lines, (unsigned long)ch.lines,
	    T_FAULT_FORGED_LINES);
	t_ok(g, R_FORGE, ok && by && t_bystander_ok());
	child_destroy(&ch);
	t_bystander_stop();
}

struct t_group t_group_iso_authority = {
	.name = "isolation",
	.n = R_N,
	.names = names,
	.run = run,
};
