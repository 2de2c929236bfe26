/*
 * Capability transfer between address spaces: one message of 16
 * capabilities from this root task to "tcaps" (tests/qemu/caps/caps.c).
 * Two sources are bad (a void slot, an address whose guard does not
 * match) and three targets are (below a page, below an rcappage, the root
 * address): exactly those arrive void, as cap_void says, and the others
 * work in the receiver's space: pages, an rpage, a cappage it reads
 * through, a strong messenger it invokes, an rmessenger to a service of
 * this task that it calls, and the reply messenger it reports to.
 */
#include "troot.h"

enum { R_DELIVERED, R_VOID, R_PAGES, R_MSGRS, R_EXIT, R_N };

static const char *const names[R_N] = {
	[R_DELIVERED] = "a message of 16 capabilities and data is delivered "
	    "to another address space",
	[R_VOID] = "exactly the 5 failed capabilities (2 bad sources, 3 bad "
	    "targets) arrive void, as cap_void reports, and store nothing",
	[R_PAGES] = "received pages, an rpage and a page reached through a "
	    "received cappage read back the sender's contents",
	[R_MSGRS] = "received messengers work: a call through an rmessenger "
	    "reaches this task, MESSENGER_ID_GET on a strong one, a report "
	    "through the reply messenger",
	[R_EXIT] = "the program exits cleanly",
};

static struct tchild ch;
static struct probe s, rr, ping, pingrs;
static vg_addr_t ping_reply;
static volatile uint64_t pings;
static uint64_t ping_nonce;

/* The ping service: answer w1 + 1 (in the activation handler). */
static void
ping_hook(struct probe *p, const struct vg_activation *a)
{
	struct vg_ipc_args r = {
		.flags = VG_IPC_SEND | VG_IPC_SEND_INLINE |
		    VG_IPC_INLINE_WORDS(2) | VG_IPC_RETURN,
		.target = ping_reply,
		.send_messenger = pingrs.m,
	};

	if (!(a->reason & VG_ACTIVATION_RECEIVED))
		return;
	ping_nonce = vg_msg_word(p->page, 1);
	r.inline_words[0] = vg_msg_word(p->page, 0) == T_CAPS_MAGIC + 1 &&
	    vg_msg_cap_arrived(p->page, 0) ? VG_OK : VG_ERR_METHOD;
	r.inline_words[1] = ping_nonce + 1;
	(void)vg_ipc(&r);
	pings++;
	(void)probe_arm_page(p, &ping_reply, 1);
}

static void
run(struct t_group *g)
{
	struct vg_runtime *rt = vg_self();
	struct vg_cap_translator none = { 0 };
	uint64_t pages[T_CAPS_N + 1] = { 0 }, nonce = 0x5eed1234;
	vg_addr_t void_slot = t_slot(), cappage = t_slot(), rpage = t_slot();
	vg_addr_t msgr = VG_ADDR_VOID, src[T_CAPS_N];
	struct vg_message *m;
	enum vg_err err;
	bool ok;

	ping_reply = t_slot();
	err = probe_init(&s, "caps.s", true);
	if (err == VG_OK)
		err = probe_init(&rr, "caps.rr", false);
	if (err == VG_OK)
		err = probe_init(&ping, "caps.ping", true);
	if (err == VG_OK)
		err = probe_init(&pingrs, "caps.pingrs", false);
	ping.hook = ping_hook;
	if (err == VG_OK)
		err = probe_arm_page(&ping, &ping_reply, 1);
	if (err == VG_OK)
		err = probe_arm_inline(&rr, VG_ADDR_VOID);

	/* The sources, in my space. */
	for (unsigned i = 0; i <= T_CAPS_N && err == VG_OK; i++) {
		uint64_t *w;

		pages[i] = t_page();
		if (pages[i] == 0) {
			err = VG_ERR_NO_STORAGE;
			break;
		}
		w = VG_PTR(pages[i]);
		for (unsigned k = 0; k < VG_PAGE_SIZE / 8; k++)
			w[k] = t_caps_word(i == T_CAPS_N ? 0x40 : i, k);
	}
	if (err == VG_OK)
		err = vg_obj_alloc(vg_kcall(), &rt->alloc, VG_TYPE_CAPPAGE,
		    cappage);
	if (err == VG_OK)
		err = vg_as_copy(vg_kcall(), rt->self_root,
		    vg_addr_extend(cappage, T_CAPS_CAPPAGE_SLOT, 8),
		    vg_addr_of_data(pages[T_CAPS_N]), 0, none);
	if (err == VG_OK)
		err = vg_as_copy(vg_kcall(), rt->self_root, rpage,
		    vg_addr_of_data(pages[12]), VG_CAP_COPY_WEAKEN, none);
	if (err == VG_OK)
		err = vg_messenger_new(&msgr, 0, T_CAPS_ID_MAGIC);
	if (!t_expect(err == VG_OK, "set-up: %s", vg_strerror(err)))
		goto out;
	src[0] = rr.weak;
	for (unsigned i = 1; i < T_CAPS_N; i++)
		src[i] = vg_addr_of_data(pages[i]);
	src[6] = void_slot;
	/* A slot address whose top bit fails my root's 34-bit zero guard. */
	src[7] = vg_addr(UINT64_C(1) << 41 | 0x88, 42);
	src[9] = ping.weak;
	src[11] = cappage;
	src[12] = rpage;
	src[13] = msgr;

	err = child_load(&ch, "tcaps", 4, 0, NULL, true);
	if (err == VG_OK)
		err = child_start(&ch);
	if (!t_expect(err == VG_OK, "tcaps: %s", vg_strerror(err)))
		goto out;
	t_wait_child(&ch, &ch.registered, 1);
	if (!t_expect(!vg_addr_is_void(ch.service) &&
	    ch.reg_value == T_CAPS_MAGIC, "tcaps registered no receiver"))
		goto out;

	/* The message: 16 capabilities and two words. */
	m = s.page;
	vg_message_clear(m);
	for (unsigned i = 0; i < T_CAPS_N; i++)
		vg_msg_put_cap(m, src[i]);
	vg_msg_put_word(m, T_CAPS_MAGIC);
	vg_msg_put_word(m, nonce);
	{
		struct vg_ipc_args a = {
			.flags = VG_IPC_SEND | VG_IPC_SEND_ACTIVATE |
			    VG_IPC_RETURN,
			.target = ch.service,
			.send_messenger = s.m,
		};

		err = vg_ipc(&a);
	}
	ok = t_expect(err == VG_OK, "the send: %s", vg_strerror(err));
	if (ok)
		ok = t_wait_child(&ch, &s.delivered, 1);
	/* REGISTER, then EXIT (or a fault). */
	if (ok)
		t_wait_for(&ch.events, 2);
	ok &= t_expect(s.delivered == 1 && s.errors == 0,
	    "my sender: %lu DELIVERED, %lu errors",
	    (unsigned long)s.delivered, (unsigned long)s.errors);
	ok &= t_expect(ch.mb->value[0] == T_CAPS_N &&
	    ch.mb->value[2] == nonce, "tcaps got %lu capabilities and "
	    "nonce %#lx", (unsigned long)ch.mb->value[0],
	    (unsigned long)ch.mb->value[2]);
	t_ok(g, R_DELIVERED, ok);

	ok = child_mailbox_ok(&ch);
	t_ok(g, R_EXIT, t_expect(ch.exited == 1 && ch.status == 0,
	    "tcaps exited %lu times, status %ld", (unsigned long)ch.exited,
	    (long)ch.status) && ok);
	{
		const uint64_t *w = rr.last_received.inline_words;
		uint64_t usable = ch.mb->value[3];

		t_ok(g, R_VOID, t_expect(ch.mb->value[1] ==
		    T_CAPS_VOID_EXPECTED, "cap_void %#lx, want %#x",
		    (unsigned long)ch.mb->value[1], T_CAPS_VOID_EXPECTED) &&
		    ok);
		t_ok(g, R_PAGES, t_expect((usable & 7) == 7,
		    "usable mask %#lx: pages %s, rpage %s, cappage %s",
		    (unsigned long)usable, usable & 1 ? "ok" : "bad",
		    usable & 2 ? "ok" : "bad", usable & 4 ? "ok" : "bad"));
		ok = t_expect((usable & 24) == 24, "usable mask %#lx: strong "
		    "messenger %s, rmessenger %s", (unsigned long)usable,
		    usable & 8 ? "ok" : "bad", usable & 16 ? "ok" : "bad");
		ok &= t_expect(pings == 1 && ping_nonce == nonce,
		    "my ping service was called %lu times (nonce %#lx)",
		    (unsigned long)pings, (unsigned long)ping_nonce);
		ok &= t_expect(rr.received == 1 && w[0] == T_CAPS_MAGIC &&
		    w[1] == T_CAPS_VOID_EXPECTED && w[2] == usable &&
		    w[3] == 0, "the report through the reply messenger: %lu "
		    "received, %#lx %#lx %#lx %#lx",
		    (unsigned long)rr.received, (unsigned long)w[0],
		    (unsigned long)w[1], (unsigned long)w[2],
		    (unsigned long)w[3]);
		t_ok(g, R_MSGRS, ok);
	}
out:
	child_destroy(&ch);
	probe_fini(&s);
	probe_fini(&rr);
	probe_fini(&ping);
	probe_fini(&pingrs);
	for (unsigned i = 0; i <= T_CAPS_N; i++)
		t_page_free(pages[i]);
	t_slot_free(&void_slot);
	t_slot_free(&cappage);
	t_slot_free(&rpage);
	t_slot_free(&msgr);
	t_slot_free(&ping_reply);
}

struct t_group t_group_caps = {
	.name = "caps",
	.n = R_N,
	.names = names,
	.run = run,
};
