/*
 * A bystander for the isolation tests: "tipc" (tests/qemu/ipc/ipc.c) in
 * an address space of its own, which answers echo requests.  Each attack
 * of the isolation group is made by another program; the bystander is
 * asked for an echo before and after, and must answer every time, with
 * every request accounted for: an attack that hangs the kernel, starves
 * the others or corrupts a message shows here.
 */
#include "troot.h"

static struct tchild by;
static struct probe by_s, by_r;
static bool by_up;
static uint64_t by_count;

bool
t_bystander_start(void)
{
	enum vg_err err;

	if (by_up)
		return true;
	err = probe_init(&by_s, "bystander.s", false);
	if (err == VG_OK)
		err = probe_init(&by_r, "bystander.r", false);
	if (err == VG_OK)
		err = child_load(&by, "tipc", 4, 0, NULL, true);
	if (err == VG_OK)
		err = child_start(&by);
	if (!t_expect(err == VG_OK, "bystander: %s", vg_strerror(err)))
		return false;
	t_wait_child(&by, &by.registered, 1);
	by_up = t_expect(!vg_addr_is_void(by.service),
	    "bystander: tipc registered no messenger");
	return by_up && t_bystander_ok();
}

bool
t_bystander_ok(void)
{
	uint64_t before = by_r.received, x = 0x5eed0000 + ++by_count;
	struct vg_ipc_args a = {
		.flags = VG_IPC_SEND | VG_IPC_SEND_INLINE |
		    VG_IPC_INLINE_WORDS(4) | VG_IPC_INLINE_CAP |
		    VG_IPC_RETURN,
		.target = by.service,
		.send_messenger = by_s.m,
		.inline_words = { T_IPC_ECHO, x, by_count, by_count },
		.inline_cap = by_r.weak,
	};
	enum vg_err err;
	const uint64_t *w = by_r.last_received.inline_words;

	if (!t_expect(by_up, "bystander: not running"))
		return false;
	err = probe_arm_inline(&by_r, VG_ADDR_VOID);
	if (err == VG_OK)
		err = vg_ipc(&a);
	if (!t_expect(err == VG_OK, "bystander: echo: %s", vg_strerror(err)))
		return false;
	if (!t_expect(t_wait_child(&by, &by_r.received, before + 1),
	    "bystander: no answer (exited %lu, faults %lu)",
	    (unsigned long)by.exited, (unsigned long)by.faults))
		return false;
	/* It counts requests: every one of mine arrived, none twice. */
	return t_expect(by_r.received == before + 1 && w[0] == VG_OK &&
	    w[1] == x + 1 && w[2] == ~by_count &&
	    ((w[3] >> 24) & 0xffff) == (by_count & 0xffff),
	    "bystander: echo %lu: reply %#lx %#lx %#lx %#lx",
	    (unsigned long)by_count, (unsigned long)w[0], (unsigned long)w[1],
	    (unsigned long)w[2], (unsigned long)w[3]);
}

void
t_bystander_stop(void)
{
	if (!by_up)
		return;
	child_destroy(&by);
	probe_fini(&by_s);
	probe_fini(&by_r);
	by_up = false;
	by_count = 0;
}
