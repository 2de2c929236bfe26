/*
 * Isolation: no program can make the kernel loop on its faults, and a
 * call that fails changes nothing.  Each attack is made by "tiso"
 * (tests/qemu/iso/iso.c) with what every program holds; each case shows
 * what the attacker gets and that a bystander (t_bystander.c) still
 * answers.  (The console, power and hardware cases are in the other
 * t_iso_*.c files: all are the group "isolation".)
 */
#include "troot.h"

enum {
	R_HANDLER_KERNEL,
	R_HANDLER_UNMAPPED,
	R_TRAP_FLAG,
	R_FAILED_RECEIVE,
	R_PENDING_SEND,
	R_N
};

static const char *const names[R_N] = {
	[R_HANDLER_KERNEL] = "an activation handler at a kernel or "
	    "non-canonical address is refused (VG_ERR_INVALID) where it is "
	    "set; the program goes on",
	[R_HANDLER_UNMAPPED] = "a handler at an unmapped address, faults "
	    "reported to the program itself: the handler's fault stops it "
	    "once, no loop",
	[R_TRAP_FLAG] = "RFLAGS.TF set, faults reported to itself: one #DB "
	    "activation, the handler runs without TF, the program ends",
	[R_FAILED_RECEIVE] = "a receive that fails (VG_ERR_WOULDBLOCK) "
	    "changes nothing, not even the messenger's options",
	[R_PENDING_SEND] = "a virtualizer that aims a kernel reply at the "
	    "messenger whose send it holds cannot change that send: the "
	    "receiver gets what was sent, the reply comes after",
};

static struct tchild ch;

/* Run tiso with ATTACK; true if it loaded and started. */
static bool
attack(unsigned attack_kind)
{
	uint64_t arg = attack_kind;
	enum vg_err err = child_load(&ch, "tiso", 2, 1, &arg, true);

	if (err == VG_OK)
		err = child_start(&ch);
	return t_expect(err == VG_OK, "tiso %u: %s", attack_kind,
	    vg_strerror(err));
}

/* It ran to its end: exit status 0, no fault reached me. */
static bool
ended_well(void)
{
	t_wait_child(&ch, &ch.exited, 1);
	return t_expect(ch.exited == 1 && ch.status == 0 && ch.faults == 0,
	    "tiso: %lu exits (status %ld), %lu faults reported to me",
	    (unsigned long)ch.exited, (long)ch.status,
	    (unsigned long)ch.faults) & child_mailbox_ok(&ch);
}

/* Wait until *C >= N, for a while: an attack that hangs the victim must
 * not hang the harness.  True if it got there. */
static bool
wait_bounded(volatile uint64_t *c, uint64_t n)
{
	uint64_t t0 = t_rdtsc();

	while (*c < n && t_rdtsc() - t0 < 800000000ull)
		;
	return *c >= n;
}

/* T's run state, read with an exregs that sets nothing. */
static uint64_t
thread_state(vg_addr_t t)
{
	struct vg_exregs_old was = { .state = ~0ull };

	(void)vg_thread_exregs(vg_kcall(), t,
	    &(struct vg_exregs){ .control = 0 }, &was);
	return was.state;
}

static void
run(struct t_group *g)
{
	bool ok;

	if (!t_bystander_start())
		return;		/* every result of the group unset: failed */

	/* 1. Handlers the kernel could not run at. */
	ok = attack(T_ISO_HANDLER_KERNEL) && ended_well();
	ok &= t_expect(ch.mb->value[1] == VG_ERR_INVALID &&
	    ch.mb->value[2] == VG_ERR_INVALID &&
	    ch.mb->value[3] == VG_ERR_INVALID,
	    "exregs answered %s, %s, %s",
	    vg_strerror((enum vg_err)ch.mb->value[1]),
	    vg_strerror((enum vg_err)ch.mb->value[2]),
	    vg_strerror((enum vg_err)ch.mb->value[3]));
	child_destroy(&ch);
	t_ok(g, R_HANDLER_KERNEL, ok & t_bystander_ok());

	/* 2. A handler where nothing is mapped: its activation faults, and
	 * that fault would be activated again, for ever. */
	ok = attack(T_ISO_HANDLER_UNMAPPED);
	if (ok) {
		uint64_t t0 = t_rdtsc(), state = 0;

		/* It stops on its own; nobody is told but itself. */
		while (t_rdtsc() - t0 < 400000000ull) {
			state = thread_state(ch.sp.thread);
			if (state == VG_THREAD_STOPPED)
				break;
		}
		ok = t_expect(state == VG_THREAD_STOPPED, "tiso's thread is "
		    "in state %lu, not stopped", (unsigned long)state);
		ok &= t_expect(ch.exited == 0 && ch.faults == 0 &&
		    ch.mb->stage == T_FAULT_STAGE_ABOUT &&
		    ch.mb->value[1] == VG_OK, "exits %lu, faults %lu, stage "
		    "%lu, handler set: %s", (unsigned long)ch.exited,
		    (unsigned long)ch.faults, (unsigned long)ch.mb->stage,
		    vg_strerror((enum vg_err)ch.mb->value[1]));
		/* And it stays stopped: the kernel is not busy with it. */
		ok &= t_bystander_ok();
		ok &= t_expect(thread_state(ch.sp.thread) == VG_THREAD_STOPPED,
		    "tiso's thread is no longer stopped");
	}
	child_destroy(&ch);
	t_ok(g, R_HANDLER_UNMAPPED, ok & t_bystander_ok());

	/* 3. The trap flag. */
	ok = attack(T_ISO_TRAP_FLAG) && ended_well();
	ok &= t_expect(ch.mb->value[1] == 1 && ch.mb->value[2] == 1,
	    "%lu fault activations, the last for vector %lu",
	    (unsigned long)ch.mb->value[1], (unsigned long)ch.mb->value[2]);
	child_destroy(&ch);
	t_ok(g, R_TRAP_FLAG, ok & t_bystander_ok());

	/* 4. A receive that fails: a non-blocking one with nothing to
	 * deliver, asking for new options. */
	{
		struct probe p;
		uint32_t before = 0, after = 0;
		enum vg_err err = probe_init(&p, "iso.receive", false);
		struct vg_ipc_args a = {
			.flags = VG_IPC_RECEIVE | VG_IPC_RECEIVE_NONBLOCKING |
			    VG_IPC_RECEIVE_INLINE | VG_IPC_RETURN,
			.recv_messenger = p.m,
		};

		ok = t_expect(err == VG_OK, "probe: %s", vg_strerror(err));
		if (ok) {
			/* No ACTIVATE_ON_RECEIVE, blocked, nothing queued. */
			err = vg_messenger_flags(vg_kcall(), p.m, 0,
			    VG_MESSENGER_ACTIVATE_ON_RECEIVE, &before);
			ok &= t_expect(err == VG_OK, "flags: %s",
			    vg_strerror(err));
			a.flags |= VG_IPC_RECEIVE_ACTIVATE;
			err = vg_ipc(&a);
			ok &= t_expect(err == VG_ERR_WOULDBLOCK, "the receive "
			    "returned %s", vg_strerror(err));
			err = vg_messenger_flags(vg_kcall(), p.m, 0, 0, &after);
			ok &= t_expect(err == VG_OK && after == before,
			    "flags %#x before, %#x after", before, after);
			probe_fini(&p);
		}
		t_ok(g, R_FAILED_RECEIVE, ok & t_bystander_ok());
	}
	/* 5. A pending send is immutable. */
	ok = attack(T_ISO_PENDING_SEND) &&
	    t_wait_child(&ch, &ch.registered, 1) &&
	    t_expect(!vg_addr_is_void(ch.service), "tiso registered nothing");
	if (ok) {
		struct probe s, r;
		vg_addr_t land = t_slot();
		uint64_t rs = 0, ss = 0;
		enum vg_err err = probe_init(&s, "iso.client", true);
		struct vg_ipc_args a = {
			.flags = VG_IPC_RECEIVE | VG_IPC_RECEIVE_ACTIVATE |
			    VG_IPC_SEND | VG_IPC_RETURN,
		};

		if (err == VG_OK)
			err = probe_init(&r, "iso.receiver", true);
		if (err == VG_OK)
			err = probe_arm_page(&r, &land, 1);
		ok = t_expect(err == VG_OK, "probes: %s", vg_strerror(err));
		if (ok) {
			/* A call: receive and send on S, whose page holds
			 * the message; its capability is found through
			 * tiso's virtual cappage. */
			vg_message_clear(s.page);
			vg_message_append_cap(s.page,
			    vg_addr_extend(ch.service, T_ISO_VINDEX, 8));
			vg_message_append_word(s.page, 0x5eed1e55);
			a.recv_messenger = a.send_messenger = s.m;
			a.target = r.weak;
			rs = r.received;
			ss = s.received;
			err = vg_ipc(&a);
			ok = t_expect(err == VG_OK, "the call: %s",
			    vg_strerror(err));
		}
		if (ok) {
			ok = t_expect(wait_bounded(&r.received, rs + 1),
			    "the receiver got nothing (tiso: %lu requests, "
			    "%lu provoked; S: %lu received, %lu errors)",
			    (unsigned long)ch.mb->value[1],
			    (unsigned long)ch.mb->value[2],
			    (unsigned long)(s.received - ss),
			    (unsigned long)s.errors);
			ok &= t_expect(wait_bounded(&s.received, ss + 1),
			    "S got no reply");
			ok &= t_expect(r.page->cap_count == 1 &&
			    r.page->cap_void == 0 &&
			    vg_message_word(r.page, 0) == 0x5eed1e55,
			    "the receiver got %u caps (void %#x), word %#lx",
			    r.page->cap_count, r.page->cap_void,
			    (unsigned long)vg_message_word(r.page, 0));
			ok &= t_expect(vg_message_word(s.page, 0) == VG_OK &&
			    s.page->data_count == 16, "the reply to S: %#lx, "
			    "%u bytes", (unsigned long)vg_message_word(s.page,
			    0), s.page->data_count);
			ok &= t_expect(ch.mb->value[1] == 1 &&
			    ch.mb->value[2] == 1, "tiso: %lu requests, %lu "
			    "kernel replies provoked",
			    (unsigned long)ch.mb->value[1],
			    (unsigned long)ch.mb->value[2]);
		}
		/* The virtualizer goes first: nothing is left waiting on
		 * it for the probes. */
		child_destroy(&ch);
		probe_fini(&r);
		probe_fini(&s);
		t_slot_free(&land);
	}
	child_destroy(&ch);
	t_ok(g, R_PENDING_SEND, ok & t_bystander_ok());
	t_bystander_stop();
}

struct t_group t_group_iso_faults = {
	.name = "isolation",
	.n = R_N,
	.names = names,
	.run = run,
};
