/*
 * In-VM test program "ttraced": an ordinary program that rpctrace can
 * trace.  The test root (tests/qemu/root/t_trace.c) runs it twice, on
 * its own and under rpctrace, and compares what it writes to its
 * console: everything it prints goes there (never to the kernel's debug
 * console), and nothing it prints depends on where its storage came
 * from, so the two outputs must be the same, byte for byte.
 *
 * It invokes kernel objects it owns (its folio, root cappage, thread,
 * messengers), objects in the cappages it is given -- one of them two
 * cappages deep, both by address and after copying it out -- and a
 * server (the console) reached both ways, and it sends itself a message
 * that carries capabilities.
 */
#include <libvg/libvg.h>

#include "../common/tproto.h"

#define WINDOW		VG_AS_WINDOWS

static vg_addr_t given;		/* C1 */
static unsigned failures;
static struct vg_act_handler on_r;
static volatile uint64_t arrived;

static void
r_received(struct vg_act_handler *h, const struct vg_activation *a)
{
	(void)h;
	if (a->reason & VG_ACTIVATION_RECEIVED)
		arrived = 1;
}

static vg_addr_t
c1(unsigned i)
{
	return vg_addr_extend(given, i, 8);
}

static vg_addr_t
c2(unsigned i)
{
	return vg_addr_extend(c1(T_TR_C2), i, 8);
}

/* Print to the console at CONSOLE. */
static void __attribute__((format(printf, 2, 3)))
out(vg_addr_t console, const char *fmt, ...)
{
	struct vg_call *c = &vg_self()->ucall;
	char line[200];
	va_list ap;
	enum vg_err err;

	va_start(ap, fmt);
	vg_vsnprintf(line, sizeof(line), fmt, ap);
	va_end(ap);
	vg_call_begin(c, T_TR_WRITE);
	vg_msg_put_str(c->send_buf, line);
	err = vg_call(c, console);
	if (err != VG_OK || vg_call_result(c, 1) != strlen(line))
		failures++;
}

static void
check(bool ok, const char *what)
{
	out(c1(T_TR_CONSOLE), "ttraced: %s: %s\n", ok ? "ok" : "FAILED",
	    what);
	if (!ok)
		failures++;
}

int
main(void)
{
	struct vg_runtime *rt = vg_self();
	struct vg_call *k = vg_kcall();
	vg_addr_t mine = vg_slot_alloc(&rt->slots);
	vg_addr_t third = vg_slot_alloc(&rt->slots);
	/* Addresses have at most 63 bits: the page in C3 is reached from a
	 * copy of C3 in a slot of mine. */
	vg_addr_t deep = vg_addr_extend(third, T_TR_PAGE, 8);
	vg_addr_t s, r, rw, got;
	enum vg_type t[4];
	struct vg_cap_translator tr;
	uint64_t page, id = 0;
	struct vg_message *sp, *rp;
	const char *text;
	enum vg_err err;

	given = vg_boot_slot(VG_SLOT_SERVICE);
	out(c1(T_TR_CONSOLE), "ttraced: hello; my console is slot %u of the "
	    "cappage I was given\n", T_TR_CONSOLE);

	/* What I was given: read C1's slots (CAP_READ on C1). */
	for (unsigned i = 0; i < 4; i++) {
		t[i] = VG_TYPE_COUNT;
		(void)vg_cap_read(k, given, vg_addr_extend(VG_ADDR_ROOT, i,
		    8), &t[i], &tr, NULL);
	}
	out(c1(T_TR_CONSOLE), "ttraced: the cappage I was given holds: %s, "
	    "%s, %s, %s\n", vg_type_name(t[0]), vg_type_name(t[1]),
	    vg_type_name(t[2]), vg_type_name(t[3]));
	check(t[0] == VG_TYPE_RMESSENGER && t[1] == VG_TYPE_CAPPAGE &&
	    t[2] == VG_TYPE_VOID, "the given cappage's slots");

	/* Two cappages deep, by address: CAP_READ on C3 (C1 -> C2 -> C3). */
	err = vg_cap_read(k, c2(T_TR_C3), vg_addr_extend(VG_ADDR_ROOT,
	    T_TR_PAGE, 8), &t[0], NULL, NULL);
	check(err == VG_OK && t[0] == VG_TYPE_PAGE, "a cappage two cappages "
	    "deep says its slot 0 holds a page");

	/* ... and copied out: C3 into a slot of mine, the page from there
	 * into my window, then read. */
	err = vg_as_copy(k, rt->self_root, third, c2(T_TR_C3), 0,
	    (struct vg_cap_translator){ 0 });
	if (err == VG_OK)
		err = vg_as_ensure(&rt->as, WINDOW);
	if (err == VG_OK)
		err = vg_as_copy(k, rt->self_root, vg_addr_of_data(WINDOW), deep,
		    0, (struct vg_cap_translator){ 0 });
	text = VG_PTR(WINDOW);
	check(err == VG_OK && strcmp(text, T_TR_TEXT) == 0, "copied the "
	    "page out of the third cappage and read it");
	if (err == VG_OK)
		out(c1(T_TR_CONSOLE), "ttraced: it says \"%s\"\n", text);

	/* C2 copied into a slot of mine, then used from there. */
	err = vg_as_copy(k, rt->self_root, mine, c1(T_TR_C2), 0,
	    (struct vg_cap_translator){ 0 });
	if (err == VG_OK)
		err = vg_cap_read(k, mine, vg_addr_extend(VG_ADDR_ROOT,
		    T_TR_CONSOLE2, 8), &t[1], NULL, NULL);
	check(err == VG_OK && t[1] == VG_TYPE_RMESSENGER, "a copy of the "
	    "second cappage, in a slot of mine, holds the console too");
	out(c2(T_TR_CONSOLE2), "ttraced: this line went to the console "
	    "through two cappages\n");
	out(vg_addr_extend(mine, T_TR_CONSOLE2, 8), "ttraced: and this one "
	    "through my copy of the second\n");

	/* Objects of my own. */
	err = vg_thread_id(k, rt->thread, &id);
	check(err == VG_OK && id != 0, "my thread has an id");
	page = vg_page_alloc(2);
	if (page != 0) {
		for (unsigned i = 0; i < 2 * VG_PAGE_SIZE / 8; i++)
			((uint64_t *)VG_PTR(page))[i] = i * 7;
	}
	check(page != 0 && ((uint64_t *)VG_PTR(page))[1000] == 7000,
	    "two new pages of my folio, written and read");

	/* A message to myself carrying a page capability: where it lands
	 * is resolved in my space (by the kernel, or by my tracer). */
	err = page != 0 ? VG_OK : VG_ERR_NO_STORAGE;
	got = vg_slot_alloc(&rt->slots);
	if (err == VG_OK)
		err = vg_messenger_new(&s, page, 0);
	on_r = (struct vg_act_handler){ .fn = r_received, .name = "r" };
	vg_act_register(&on_r);
	if (err == VG_OK)
		err = vg_messenger_new(&r, page + VG_PAGE_SIZE,
		    vg_act_id(&on_r));
	if (err == VG_OK)
		err = vg_weak_copy(r, &rw);
	if (err == VG_OK) {
		struct vg_ipc_args a = {
			.flags = VG_IPC_RECEIVE | VG_IPC_RECEIVE_ACTIVATE |
			    VG_IPC_SEND | VG_IPC_RETURN,
			.recv_messenger = r,
			.target = rw,
			.send_messenger = s,
		};

		sp = VG_PTR(page);
		rp = VG_PTR(page + VG_PAGE_SIZE);
		vg_msg_preload(rp, &got, 1);
		vg_message_clear(sp);
		vg_msg_put_cap(sp, deep);
		vg_msg_put_word(sp, 0x1234);
		err = vg_ipc(&a);
		/* Delivered when the send's lookups are done: wait. */
		if (err == VG_OK)
			vg_wait_nonzero(&arrived);
		t[2] = VG_TYPE_COUNT;
		(void)vg_as_read(k, rt->self_root, got, &t[2], NULL);
		check(err == VG_OK && vg_msg_word(rp, 0) == 0x1234 &&
		    rp->cap_count == 1 && rp->cap_void == 0 &&
		    t[2] == VG_TYPE_PAGE, "a message to myself carried the "
		    "deep page into a slot of mine");
	} else {
		check(false, "messengers for a message to myself");
	}

	out(c1(T_TR_CONSOLE), "ttraced: done, %u failures\n", failures);
	return failures == 0 ? 0 : 1;
}
