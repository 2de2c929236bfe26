/*
 * Processor exceptions of user threads: "tfault" (tests/qemu/fault/
 * fault.c) raises one kind per program, in a thread whose exception
 * messenger is a messenger of this task (its parent messenger).  Each
 * must reach this task as a VG_ACTIVATION_FAULT | VG_ACTIVATION_ERROR
 * activation with the right error, vector and address, with the thread
 * suspended at the instruction (after it, for the int3 trap); this task
 * then resumes it after the faulting instruction and the program checks
 * that its registers survived and exits.  Programs run five at a time.
 */
#include "troot.h"

enum { R_KIND0, R_REFAULT = T_FAULT_KINDS, R_SELF, R_ALIVE, R_N };

static const char *const names[R_N] = {
	"NULL read: a page fault at 0, VG_ERR_VOID",
	"write to read-only data: a page fault at the word, VG_ERR_WEAK",
	"read of a kernel address: a page fault, VG_ERR_ADDR",
	"ud2: invalid opcode (vector 6) at the instruction",
	"divide by zero: divide error (vector 0) at the instruction",
	"hlt in ring 3: general protection (vector 13) at the "
	    "instruction",
	"cli in ring 3: general protection (vector 13) at the "
	    "instruction",
	"int $0x80 (a gate closed to ring 3): general protection "
	    "(vector 13) at the instruction",
	"a non-canonical address: general protection (vector 13) at "
	    "the instruction",
	"int3: breakpoint (vector 3), a trap: reported and resumed "
	    "after the instruction",
	"a thread started again without a new ip re-executes the faulting "
	    "instruction and faults again",
	"a program whose own messenger is its exception messenger handles "
	    "its ud2 in its activation handler and resumes after it",
	"the kernel keeps running: every faulted program resumed, checked "
	    "its registers and exited, and no stray activation arrived",
};

enum where { AT_FIXED, AT_INSN, AT_RESUME, AT_RODATA };

static const struct {
	enum vg_err err;
	uint32_t vector;
	enum where where;	/* fault_address */
	uint64_t addr;		/* ... if AT_FIXED */
	bool trap;		/* the thread stopped after the instruction */
} cases[T_FAULT_KINDS] = {
	[T_FAULT_NULL_READ] = { VG_ERR_VOID, 14, AT_FIXED, 0, false },
	[T_FAULT_RODATA_WRITE] = { VG_ERR_WEAK, 14, AT_RODATA, 0, false },
	[T_FAULT_KERNEL_READ] = { VG_ERR_ADDR, 14, AT_FIXED,
	    0xffff800000000000ull, false },
	[T_FAULT_UD2] = { VG_ERR_EXCEPTION, 6, AT_INSN, 0, false },
	[T_FAULT_DIV0] = { VG_ERR_EXCEPTION, 0, AT_INSN, 0, false },
	[T_FAULT_HLT] = { VG_ERR_EXCEPTION, 13, AT_INSN, 0, false },
	[T_FAULT_CLI] = { VG_ERR_EXCEPTION, 13, AT_INSN, 0, false },
	[T_FAULT_INT80] = { VG_ERR_EXCEPTION, 13, AT_INSN, 0, false },
	[T_FAULT_NONCANONICAL] = { VG_ERR_EXCEPTION, 13, AT_INSN, 0, false },
	[T_FAULT_INT3] = { VG_ERR_EXCEPTION, 3, AT_RESUME, 0, true },
};

#define BATCH	5

static struct tchild kids[BATCH];

static uint64_t
symbol(struct tchild *ch, const char *prefix, unsigned k)
{
	char name[32];

	snprintf(name, sizeof(name), "%s%u", prefix, k);
	return child_symbol(ch, name);
}

/* Check the fault activation of CH, kind K, its FAULTS-th. */
static bool
check_fault(struct tchild *ch, unsigned k, uint64_t n)
{
	const struct vg_activation *a = &ch->fault;
	uint64_t insn = symbol(ch, "t_insn_", k);
	uint64_t resume = symbol(ch, "t_resume_", k);
	uint64_t want = cases[k].addr;
	struct vg_exregs x = { .control = 0 };
	struct vg_exregs_old old = { 0 };
	enum vg_err err;
	bool ok;

	if (cases[k].where == AT_INSN)
		want = insn;
	else if (cases[k].where == AT_RESUME)
		want = resume;
	else if (cases[k].where == AT_RODATA)
		want = child_symbol(ch, "t_rodata_word");
	ok = t_expect(insn != 0 && resume > insn &&
	    (want != 0 || cases[k].where == AT_FIXED),
	    "kind %u: no symbols in the image", k);
	ok &= t_expect(ch->faults == n, "kind %u: %lu fault activations, "
	    "want %lu", k, (unsigned long)ch->faults, (unsigned long)n);
	ok &= t_expect(a->messenger_id == vg_act_id(&ch->h) &&
	    a->reason == (VG_ACTIVATION_FAULT | VG_ACTIVATION_ERROR),
	    "kind %u: activation of %#lx, reason %#x", k,
	    (unsigned long)a->messenger_id, a->reason);
	ok &= t_expect(a->error == (int32_t)cases[k].err,
	    "kind %u: error %s, want %s", k, vg_strerror(a->error),
	    vg_strerror(cases[k].err));
	/* A page fault that fails at once: vg/utcb.h gives the vector only
	 * with VG_ERR_EXCEPTION, docs/abi.md 11.3 says 14.  Either. */
	if (cases[k].err == VG_ERR_EXCEPTION)
		ok &= t_expect(a->exception == cases[k].vector,
		    "kind %u: vector %u, want %u", k, a->exception,
		    cases[k].vector);
	else if (t_expect(a->exception == 14 || a->exception == 0,
	    "kind %u: vector %u for a page fault", k, a->exception)) {
		if (n == 1 && a->exception != 14)
			t_diag("kind %u: page fault reported with vector %u "
			    "(docs/abi.md 11.3 says 14, vg/utcb.h only with "
			    "VG_ERR_EXCEPTION)", k, a->exception);
	} else {
		ok = false;
	}
	ok &= t_expect(a->fault_address == want,
	    "kind %u: fault address %#lx, want %#lx", k,
	    (unsigned long)a->fault_address, (unsigned long)want);
	ok &= t_expect(ch->mb->stage == T_FAULT_STAGE_ABOUT,
	    "kind %u: the program is at stage %lu", k,
	    (unsigned long)ch->mb->stage);
	err = vg_thread_exregs(vg_kcall(), ch->sp.thread, &x, &old);
	ok &= t_expect(err == VG_OK && old.state == VG_THREAD_SUSPENDED &&
	    old.ip == (cases[k].trap ? resume : insn),
	    "kind %u: THREAD_EXREGS: %s, state %lu, ip %#lx (insn %#lx)", k,
	    vg_strerror(err), (unsigned long)old.state,
	    (unsigned long)old.ip, (unsigned long)insn);
	return ok;
}

static enum vg_err
resume(struct tchild *ch, uint64_t ip)
{
	struct vg_exregs x = {
		.control = VG_EXREGS_START | (ip != 0 ? VG_EXREGS_SET_IP : 0),
		.ip = ip,
	};

	return vg_thread_exregs(vg_kcall(), ch->sp.thread, &x, NULL);
}

static void
run(struct t_group *g)
{
	bool alive = true, refault = false;

	for (unsigned first = 0; first < T_FAULT_KINDS; first += BATCH) {
		unsigned n = T_FAULT_KINDS - first < BATCH ?
		    T_FAULT_KINDS - first : BATCH;
		bool ok[BATCH];
		enum vg_err err;

		for (unsigned i = 0; i < n; i++) {
			uint64_t arg = first + i;

			err = child_load(&kids[i], "tfault", 2, 1, &arg, true);
			if (err == VG_OK)
				err = child_start(&kids[i]);
			ok[i] = t_expect(err == VG_OK, "kind %u: start: %s",
			    first + i, vg_strerror(err));
		}
		for (unsigned i = 0; i < n; i++) {
			unsigned k = first + i;
			struct tchild *ch = &kids[i];

			if (!ok[i])
				continue;
			/* Its fault, or its exit if it did not fault. */
			t_wait_for(&ch->events, 1);
			ok[i] = check_fault(ch, k, 1);
			if (k == T_FAULT_UD2 && ok[i]) {
				/* Started again as it is: the same fault. */
				err = resume(ch, 0);
				t_wait_for(&ch->events, 2);
				refault = t_expect(err == VG_OK,
				    "restart: %s", vg_strerror(err)) &&
				    check_fault(ch, k, 2);
			}
			/* Resume after the instruction (a trap is there
			 * already). */
			if (ch->exited)
				continue;
			err = resume(ch, cases[k].trap ? 0 :
			    symbol(ch, "t_resume_", k));
			ok[i] &= t_expect(err == VG_OK, "kind %u: resume: %s",
			    k, vg_strerror(err));
		}
		for (unsigned i = 0; i < n; i++) {
			unsigned k = first + i;
			struct tchild *ch = &kids[i];
			bool done = false;

			if (ch->loaded) {
				/* Its exit, or another fault. */
				t_wait_for(&ch->events, ch->faults + 1);
				done = t_expect(ch->status == 0 &&
				    ch->mb->stage == T_FAULT_STAGE_RECOVERED &&
				    ch->mb->value[1] == 0,
				    "kind %u: exit status %ld, stage %lu, "
				    "registers %s", k, (long)ch->status,
				    (unsigned long)ch->mb->stage,
				    ch->mb->value[1] == 0 ? "intact" :
				    "changed");
				done &= child_mailbox_ok(ch);
				done &= t_expect(ch->faults ==
				    (k == T_FAULT_UD2 ? 2u : 1u) &&
				    ch->exited == 1 && ch->reports == 0,
				    "kind %u: %lu faults, %lu exits, %lu "
				    "reports", k, (unsigned long)ch->faults,
				    (unsigned long)ch->exited,
				    (unsigned long)ch->reports);
			}
			alive &= done;
			t_ok(g, R_KIND0 + k, ok[i] && done);
			child_destroy(ch);
		}
	}
	t_ok(g, R_REFAULT, refault);

	/* Its own handler. */
	{
		struct tchild *ch = &kids[0];
		uint64_t arg = T_FAULT_SELF;
		enum vg_err err = child_load(ch, "tfault", 2, 1, &arg, true);
		bool ok;

		if (err == VG_OK)
			err = child_start(ch);
		ok = t_expect(err == VG_OK, "self: start: %s",
		    vg_strerror(err));
		if (ok) {
			t_wait_for(&ch->events, 1);
			ok = t_expect(ch->exited == 1 && ch->status == 0 &&
			    ch->faults == 0, "self: %lu exits (status %ld), "
			    "%lu faults reported to me",
			    (unsigned long)ch->exited, (long)ch->status,
			    (unsigned long)ch->faults);
			ok &= t_expect(ch->mb->stage ==
			    T_FAULT_STAGE_RECOVERED && ch->mb->value[2] == 1 &&
			    ch->mb->value[3] == symbol(ch, "t_insn_", 3),
			    "self: stage %lu, %lu faults, address %#lx",
			    (unsigned long)ch->mb->stage,
			    (unsigned long)ch->mb->value[2],
			    (unsigned long)ch->mb->value[3]);
			ok &= child_mailbox_ok(ch);
		}
		alive &= ok;
		t_ok(g, R_SELF, ok);
		child_destroy(ch);
	}
	t_ok(g, R_ALIVE, alive);
}

struct t_group t_group_fault = {
	.name = "fault",
	.n = R_N,
	.names = names,
	.run = run,
};
