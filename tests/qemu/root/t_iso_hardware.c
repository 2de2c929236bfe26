/*
 * Isolation by the hardware: "tfault" (tests/qemu/fault/fault.c) attacks
 * the protections the kernel turns on (kernel/arch/x86_64/protect.c),
 * one attack per program, with this task as its exception handler:
 *
 *	code it wrote to its heap, stack or .data	no execute right: the
 *							fetch faults
 *	the kernel's text, written or jumped into	supervisor pages
 *	the kernel's data, read				supervisor pages
 *	sgdt, sidt					UMIP: #GP
 *
 * Each attack must reach this task as one fault activation, with the
 * error, vector and address it should have and the thread stopped at the
 * instruction (the fetch: at its target); this task resumes it after the
 * instruction, and the program checks that its registers survived and
 * exits.  A bystander (t_bystander.c) must answer after every attack.
 *
 * SMEP and SMAP concern the kernel running or reading user pages, which
 * no program can make it do (a handler or ip in the kernel's half is the
 * thread's #GP before the kernel returns to it, entry.c): the boot probes
 * of tests/build/boot.sh show those.  The kernel data the attacker reads
 * is x86_ticks, whose address tests/build/qemu.sh passes as "kdata=".
 */
#include "troot.h"

enum { R_BYSTANDER, R_KIND0, R_N = R_KIND0 + T_ISO_KINDS };

static const char *const names[R_N] = {
	"hardware: the bystander (tipc in its own space) answers before the "
	    "attacks",
	"hardware: code written to a heap page does not run: one page fault "
	    "at the page, VG_ERR_NO_EXECUTE; the bystander answers",
	"hardware: code written to the stack does not run: one page fault at "
	    "it, VG_ERR_NO_EXECUTE; the bystander answers",
	"hardware: code written to .data does not run: one page fault at it, "
	    "VG_ERR_NO_EXECUTE; the bystander answers",
	"hardware: a write to the kernel's text: one page fault at it, "
	    "VG_ERR_ADDR; the bystander answers",
	"hardware: a read of the kernel's data (x86_ticks): one page fault at "
	    "it, VG_ERR_ADDR; the bystander answers",
	"hardware: sgdt in ring 3 (UMIP): one general protection fault "
	    "(vector 13) at the instruction, nothing stored; the bystander "
	    "answers",
	"hardware: sidt in ring 3 (UMIP): one general protection fault "
	    "(vector 13) at the instruction, nothing stored; the bystander "
	    "answers",
	"hardware: a jump into the kernel's text: one page fault at it, "
	    "VG_ERR_ADDR, the thread stopped there; the bystander answers",
};

static const struct {
	enum vg_err err;
	uint32_t vector;	/* checked with VG_ERR_EXCEPTION only */
	bool addr_target;	/* the fault's address: the target, else the
				 * instruction */
	bool ip_target;		/* where it stopped: the target (a fetch),
				 * else the instruction */
} cases[T_ISO_KINDS] = {
	[T_ISO_EXEC_HEAP] = { VG_ERR_NO_EXECUTE, 14, true, true },
	[T_ISO_EXEC_STACK] = { VG_ERR_NO_EXECUTE, 14, true, true },
	[T_ISO_EXEC_DATA] = { VG_ERR_NO_EXECUTE, 14, true, true },
	[T_ISO_WRITE_KTEXT] = { VG_ERR_ADDR, 14, true, false },
	[T_ISO_READ_KDATA] = { VG_ERR_ADDR, 14, true, false },
	[T_ISO_SGDT] = { VG_ERR_EXCEPTION, 13, false, false },
	[T_ISO_SIDT] = { VG_ERR_EXCEPTION, 13, false, false },
	[T_ISO_JUMP_KTEXT] = { VG_ERR_ADDR, 14, true, true },
};

static struct tchild kid;

/* The kernel data address on the command line (kdata=0x...), else the
 * kernel's image through the direct map. */
static uint64_t
kdata(void)
{
	char buf[24];
	uint64_t v = 0;
	const char *p = buf;

	if (!vg_cmdline_value(t_boot()->cmdline, "kdata", buf, sizeof(buf))) {
		t_diag("no kdata= on the command line: reading the direct "
		    "map's kernel image instead");
		return 0xffff800000100000ull;
	}
	if (p[0] == '0' && (p[1] == 'x' || p[1] == 'X'))
		p += 2;
	for (; *p != '\0'; p++) {
		unsigned d = *p >= '0' && *p <= '9' ? (unsigned)(*p - '0') :
		    *p >= 'a' && *p <= 'f' ? (unsigned)(*p - 'a' + 10) : 16;

		if (d == 16)
			break;
		v = v << 4 | d;
	}
	return v;
}

/* One attack, K: what the attacker got, and that it resumes. */
static bool
attack(unsigned k, uint64_t kd)
{
	const struct vg_activation *a = &kid.fault;
	uint64_t args[2] = { T_ISO_JOB + k, kd };
	uint64_t insn, resume, target, want, want_ip;
	struct vg_exregs x = { .control = 0 };
	struct vg_exregs_old old = { 0 };
	char name[24];
	enum vg_err err;
	bool ok;

	err = child_load(&kid, "tfault", 2, 2, args, true);
	if (err == VG_OK)
		err = child_start(&kid);
	if (!t_expect(err == VG_OK, "attack %u: start: %s", k,
	    vg_strerror(err))) {
		child_destroy(&kid);
		return false;
	}
	snprintf(name, sizeof(name), "t_insn_%u", T_ISO_BODY + k);
	insn = child_symbol(&kid, name);
	snprintf(name, sizeof(name), "t_resume_%u", T_ISO_BODY + k);
	resume = child_symbol(&kid, name);
	/* Its fault, or its exit if nothing stopped it. */
	t_wait_for(&kid.events, 1);
	target = kid.mb->value[2];
	want = cases[k].addr_target ? target : insn;
	want_ip = cases[k].ip_target ? target : insn;
	ok = t_expect(insn != 0 && resume > insn, "attack %u: no symbols", k);
	if (!t_expect(kid.faults == 1 && kid.exited == 0,
	    "attack %u: %lu faults, %lu exits: the attack got through "
	    "(stage %lu, sgdt/sidt stored %#lx)", k,
	    (unsigned long)kid.faults, (unsigned long)kid.exited,
	    (unsigned long)kid.mb->stage, (unsigned long)kid.mb->value[3])) {
		child_destroy(&kid);
		return false;
	}
	t_diag("attack %u: the attacker's fault: address %#lx, error %s, "
	    "vector %u", k, (unsigned long)a->fault_address,
	    vg_strerror(a->error), a->exception);
	ok &= t_expect(a->reason == (VG_ACTIVATION_FAULT | VG_ACTIVATION_ERROR),
	    "attack %u: reason %#x", k, a->reason);
	ok &= t_expect(a->error == (int32_t)cases[k].err,
	    "attack %u: error %s, want %s", k, vg_strerror(a->error),
	    vg_strerror(cases[k].err));
	if (cases[k].err == VG_ERR_EXCEPTION)
		ok &= t_expect(a->exception == cases[k].vector,
		    "attack %u: vector %u, want %u", k, a->exception,
		    cases[k].vector);
	ok &= t_expect(a->fault_address == want && want != 0,
	    "attack %u: fault address %#lx, want %#lx", k,
	    (unsigned long)a->fault_address, (unsigned long)want);
	ok &= t_expect(kid.mb->stage == T_FAULT_STAGE_ABOUT,
	    "attack %u: the program is at stage %lu", k,
	    (unsigned long)kid.mb->stage);
	err = vg_thread_exregs(vg_kcall(), kid.sp.thread, &x, &old);
	ok &= t_expect(err == VG_OK && old.state == VG_THREAD_SUSPENDED &&
	    old.ip == want_ip,
	    "attack %u: THREAD_EXREGS: %s, state %lu, ip %#lx, want %#lx", k,
	    vg_strerror(err), (unsigned long)old.state,
	    (unsigned long)old.ip, (unsigned long)want_ip);

	/* Back after the instruction: it checks its registers and exits. */
	x = (struct vg_exregs){
		.control = VG_EXREGS_START | VG_EXREGS_SET_IP,
		.ip = resume,
	};
	err = vg_thread_exregs(vg_kcall(), kid.sp.thread, &x, NULL);
	ok &= t_expect(err == VG_OK, "attack %u: resume: %s", k,
	    vg_strerror(err));
	t_wait_for(&kid.events, 2);
	ok &= t_expect(kid.exited == 1 && kid.status == 0 &&
	    kid.faults == 1 && kid.mb->stage == T_FAULT_STAGE_RECOVERED &&
	    kid.mb->value[1] == 0,
	    "attack %u: %lu exits (status %ld), %lu faults, stage %lu, "
	    "registers %s", k, (unsigned long)kid.exited, (long)kid.status,
	    (unsigned long)kid.faults, (unsigned long)kid.mb->stage,
	    kid.mb->value[1] == 0 ? "intact" : "changed");
	/* sgdt and sidt stored nothing: the buffer is as it was. */
	if (k == T_ISO_SGDT || k == T_ISO_SIDT)
		ok &= t_expect(kid.mb->value[3] == 0,
		    "attack %u: the descriptor table's base %#lx leaked", k,
		    (unsigned long)kid.mb->value[3]);
	ok &= child_mailbox_ok(&kid);
	child_destroy(&kid);
	return ok;
}

static void
run(struct t_group *g)
{
	uint64_t kd = kdata();

	t_ok(g, R_BYSTANDER, t_bystander_start());
	for (unsigned k = 0; k < T_ISO_KINDS; k++) {
		bool ok = attack(k, kd);

		t_ok(g, R_KIND0 + k, t_bystander_ok() && ok);
	}
}

struct t_group t_group_iso_hardware = {
	.name = "isolation",
	.n = R_N,
	.names = names,
	.run = run,
};
