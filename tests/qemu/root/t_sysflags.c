/*
 * Flags a program may set in ring 3 must not hurt the kernel.  POPF in
 * ring 3 can set RFLAGS.NT; SYSCALL keeps every flag that MSR_FMASK does
 * not clear, so the kernel runs with the program's NT unless it clears
 * it, and IRETQ with NT set raises #GP in 64-bit mode: the kernel's own
 * return path would fault.  (It did: the kernel panicked on the first
 * system call a program made with NT set, until commit 43a8fad added NT
 * to MSR_FMASK.)  This group runs last: if the kernel dies here, the
 * groups before it have reported already.
 */
#include "troot.h"

enum { R_NT, R_N };

static const char *const names[R_N] = {
	[R_NT] = "a system call made with RFLAGS.NT set (POPF in ring 3) "
	    "returns normally and the program goes on",
};

static struct tchild ch;

static void
run(struct t_group *g)
{
	uint64_t arg = T_FAULT_NT_SYSCALL;
	enum vg_err err = child_load(&ch, "tfault", 2, 1, &arg, true);
	bool ok;

	if (err == VG_OK)
		err = child_start(&ch);
	ok = t_expect(err == VG_OK, "start: %s", vg_strerror(err));
	if (ok) {
		t_wait_for(&ch.events, 1);
		ok = t_expect(ch.exited == 1 && ch.status == 0 &&
		    ch.faults == 0, "%lu exits (status %ld), %lu faults "
		    "(error %s, vector %u at %#lx)", (unsigned long)ch.exited,
		    (long)ch.status, (unsigned long)ch.faults,
		    vg_strerror(ch.fault.error), ch.fault.exception,
		    (unsigned long)ch.fault.fault_address);
		ok &= child_mailbox_ok(&ch);
		ok &= t_expect(ch.mb->stage == T_FAULT_STAGE_RECOVERED &&
		    (uint32_t)ch.mb->value[1] == VG_OK, "stage %lu, result "
		    "%#lx", (unsigned long)ch.mb->stage,
		    (unsigned long)ch.mb->value[1]);
	}
	t_ok(g, R_NT, ok);
	child_destroy(&ch);
}

struct t_group t_group_sysflags = {
	.name = "sysflags",
	.n = R_N,
	.names = names,
	.run = run,
};
