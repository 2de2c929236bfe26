/*
 * In-VM test program "tcaps": receives one message of 16 capabilities
 * from the test root (tests/qemu/root/t_caps.c) and checks, from its own
 * address space, which arrived and that the ones that did work.
 *
 * Its receive buffer offers these target slots (tproto.h says which
 * fail):
 *	0	a slot: the root's reply messenger (rmessenger)
 *	1..5	the page slots of window pages 1..5: pages
 *	6	window page 6: the source is a void slot -> void
 *	7	a slot: the source address mismatches a guard -> void
 *	8	an address below the UTCB page (a page cannot be indexed)
 *	9	a slot: an rmessenger to the root's "ping" service
 *	10	a slot below an rcappage of mine: read-only, nothing stored
 *	11	a slot: a cappage whose slot 7 holds a page
 *	12	window page 12: an rpage
 *	13	a slot: a strong messenger whose id is T_CAPS_ID_MAGIC
 *	14	the root address (never a target)
 *	15	window page 15: a page
 */
#include "../common/tlib.h"

#define WINDOW(i)	(VG_AS_WINDOWS + (uint64_t)(i) * VG_PAGE_SIZE)

static struct vg_act_handler rx_h;
static vg_addr_t rx, rx_weak;
static struct vg_message *rx_page;
static volatile uint64_t received;
static struct vg_activation rx_act;

static void
on_rx(struct vg_act_handler *h, const struct vg_activation *a)
{
	(void)h;
	if (a->reason & VG_ACTIVATION_RECEIVED) {
		rx_act = *a;
		received = 1;
	}
	if (a->reason & VG_ACTIVATION_ERROR)
		t_check(false, "RX: error activation: %s",
		    vg_strerror((enum vg_err)a->error));
}

/* The page at VA holds the words of source I. */
static bool
page_is(uint64_t va, unsigned i)
{
	const volatile uint64_t *p = VG_PTR(va);

	for (unsigned k = 0; k < VG_PAGE_SIZE / 8; k += 37)
		if (p[k] != t_caps_word(i, k))
			return t_check(false, "page at %#lx (source %u): word "
			    "%u is %#lx", (unsigned long)va, i, k,
			    (unsigned long)p[k]);
	return p[511] == t_caps_word(i, 511);
}

static enum vg_type
type_at(vg_addr_t a)
{
	enum vg_type t = VG_TYPE_COUNT;
	enum vg_err err = vg_as_read(vg_kcall(), vg_self()->self_root, a, &t,
	    NULL);

	if (err != VG_OK)
		t_check(false, "CAP_READ %#lx: %s", (unsigned long)a.raw,
		    vg_strerror(err));
	return t;
}

int
main(void)
{
	struct vg_runtime *rt = vg_self();
	vg_addr_t slot_reply = vg_slot_alloc(&rt->slots);
	vg_addr_t slot_bad = vg_slot_alloc(&rt->slots);
	vg_addr_t slot_ping = vg_slot_alloc(&rt->slots);
	vg_addr_t slot_k = vg_slot_alloc(&rt->slots);
	vg_addr_t slot_kweak = VG_ADDR_VOID;
	vg_addr_t slot_cappage = vg_slot_alloc(&rt->slots);
	vg_addr_t slot_msgr = vg_slot_alloc(&rt->slots);
	vg_addr_t targets[T_CAPS_N];
	uint64_t page, usable = 0, id = 0;
	enum vg_err err;
	const struct vg_message *m;

	/* The window pages' cappages, a cappage with a weak copy (its
	 * slots are read-only through it), the receiver. */
	err = VG_OK;
	for (unsigned i = 0; i < T_CAPS_N && err == VG_OK; i++)
		err = vg_as_ensure(&rt->as, WINDOW(i));
	if (err == VG_OK)
		err = vg_obj_alloc(vg_kcall(), &rt->alloc, VG_TYPE_CAPPAGE,
		    slot_k);
	if (err == VG_OK)
		err = vg_weak_copy(slot_k, &slot_kweak);
	page = vg_page_alloc(1);
	rx_h = (struct vg_act_handler){ .fn = on_rx, .name = "rx" };
	vg_act_register(&rx_h);
	if (err == VG_OK)
		err = page != 0 ? vg_messenger_new(&rx, page,
		    vg_act_id(&rx_h)) : VG_ERR_NO_STORAGE;
	if (err == VG_OK)
		err = vg_weak_copy(rx, &rx_weak);
	if (!t_check(err == VG_OK, "set-up: %s", vg_strerror(err)))
		t_finish();
	rx_page = VG_PTR(page);

	targets[0] = slot_reply;
	for (unsigned i = 1; i <= 6; i++)
		targets[i] = vg_addr_of_data(WINDOW(i));
	targets[7] = slot_bad;
	targets[8] = vg_addr_extend(vg_addr_of_data(VG_BOOT_UTCB), 5, 4);
	targets[9] = slot_ping;
	targets[10] = vg_addr_extend(slot_kweak, 3, 8);
	targets[11] = slot_cappage;
	targets[12] = vg_addr_of_data(WINDOW(12));
	targets[13] = slot_msgr;
	targets[14] = VG_ADDR_ROOT;
	targets[15] = vg_addr_of_data(WINDOW(15));
	vg_msg_preload(rx_page, targets, T_CAPS_N);
	{
		struct vg_ipc_args a = {
			.flags = VG_IPC_RECEIVE | VG_IPC_RECEIVE_ACTIVATE |
			    VG_IPC_RETURN,
			.recv_messenger = rx,
		};

		err = vg_ipc(&a);
	}
	if (err == VG_OK)
		err = vg_parent_send(VG_PARENT_REGISTER, T_CAPS_MAGIC, rx_weak);
	if (!t_check(err == VG_OK, "receive, register: %s", vg_strerror(err)))
		t_finish();
	vg_wait_nonzero(&received);

	/* What arrived. */
	m = rx_page;
	t_value(0, m->cap_count);
	t_value(1, m->cap_void);
	t_check(rx_act.messenger_id == vg_act_id(&rx_h) &&
	    rx_act.reason == VG_ACTIVATION_RECEIVED,
	    "activation: id %#lx, reason %#x",
	    (unsigned long)rx_act.messenger_id, rx_act.reason);
	t_check(m->cap_count == T_CAPS_N, "%u capabilities arrived, not 16",
	    m->cap_count);
	t_check(m->cap_void == T_CAPS_VOID_EXPECTED,
	    "cap_void is %#x, not %#x", m->cap_void, T_CAPS_VOID_EXPECTED);
	t_check(vg_msg_nwords(m) == 2 && vg_msg_word(m, 0) == T_CAPS_MAGIC,
	    "data: %u words, w0 %#lx", vg_msg_nwords(m),
	    (unsigned long)vg_msg_word(m, 0));
	t_value(2, vg_msg_word(m, 1));
	for (unsigned i = 0; i < T_CAPS_N; i++)
		t_check(vg_addr_eq(m->caps[i], targets[i]),
		    "target address %u was changed", i);

	/* Pages: read them where they landed. */
	if (type_at(targets[1]) == VG_TYPE_PAGE && page_is(WINDOW(1), 1) &&
	    type_at(targets[2]) == VG_TYPE_PAGE && page_is(WINDOW(2), 2) &&
	    type_at(targets[3]) == VG_TYPE_PAGE && page_is(WINDOW(3), 3) &&
	    type_at(targets[4]) == VG_TYPE_PAGE && page_is(WINDOW(4), 4) &&
	    type_at(targets[5]) == VG_TYPE_PAGE && page_is(WINDOW(5), 5) &&
	    type_at(targets[15]) == VG_TYPE_PAGE && page_is(WINDOW(15), 15))
		usable |= 1;
	else
		t_check(false, "pages 1..5, 15 did not arrive readable");
	if (t_check(type_at(targets[12]) == VG_TYPE_RPAGE,
	    "capability 12 is not an rpage") && page_is(WINDOW(12), 12))
		usable |= 2;

	/* Failed ones: nothing where they were to go. */
	t_check(type_at(targets[6]) == VG_TYPE_VOID,
	    "the void source 6 left a %s", vg_type_name(type_at(targets[6])));
	t_check(type_at(targets[7]) == VG_TYPE_VOID,
	    "the bad source 7 left a %s", vg_type_name(type_at(targets[7])));
	t_check(type_at(vg_addr_extend(slot_k, 3, 8)) == VG_TYPE_VOID,
	    "something was stored below my rcappage");

	/* The cappage: copy its slot 7 into a window and read it. */
	if (t_check(type_at(slot_cappage) == VG_TYPE_CAPPAGE,
	    "capability 11 is not a cappage")) {
		err = vg_as_copy(vg_kcall(), rt->self_root,
		    vg_addr_of_data(WINDOW(11)),
		    vg_addr_extend(slot_cappage, T_CAPS_CAPPAGE_SLOT, 8), 0,
		    (struct vg_cap_translator){ 0 });
		if (t_check(err == VG_OK, "copying from the received cappage: "
		    "%s", vg_strerror(err)) && page_is(WINDOW(11), 0x40))
			usable |= 4;
	}

	/* The strong messenger: a kernel method on it. */
	if (t_check(type_at(slot_msgr) == VG_TYPE_MESSENGER,
	    "capability 13 is not a messenger")) {
		err = vg_messenger_id_get(vg_kcall(), slot_msgr, &id);
		if (t_check(err == VG_OK && id == T_CAPS_ID_MAGIC,
		    "MESSENGER_ID_GET on it: %s, id %#lx", vg_strerror(err),
		    (unsigned long)id))
			usable |= 8;
	}

	/* The rmessenger: call the service behind it. */
	if (t_check(type_at(slot_ping) == VG_TYPE_RMESSENGER,
	    "capability 9 is not an rmessenger")) {
		struct vg_call *c = &rt->ucall;
		uint64_t nonce = vg_msg_word(m, 1);

		vg_call_begin(c, T_CAPS_MAGIC + 1);
		vg_call_word(c, nonce);
		err = vg_call(c, slot_ping);
		if (t_check(err == VG_OK && vg_call_result(c, 1) == nonce + 1,
		    "the call through capability 9: %s, %#lx",
		    vg_strerror(err), (unsigned long)vg_call_result(c, 1)))
			usable |= 16;
	}

	/* The reply messenger: report to it, inline. */
	if (t_check(type_at(slot_reply) == VG_TYPE_RMESSENGER,
	    "capability 0 is not an rmessenger")) {
		struct vg_ipc_args a = {
			.flags = VG_IPC_SEND | VG_IPC_SEND_INLINE |
			    VG_IPC_INLINE_WORDS(4) | VG_IPC_RETURN,
			.target = slot_reply,
			.send_messenger = rt->kcall.send,
			.inline_words = { T_CAPS_MAGIC, m->cap_void, usable,
			    t_mailbox()->failures },
		};

		err = vg_ipc(&a);
		t_check(err == VG_OK, "the report through capability 0: %s",
		    vg_strerror(err));
	}
	t_value(3, usable);
	t_finish();
}
