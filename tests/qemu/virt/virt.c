/*
 * In-VM test program "tvirt": sends messages whose capability addresses,
 * target slots and target go through a virtual cappage that the test
 * root serves (tests/qemu/root/t_virt.c): root slot T_VIRT_SLOT of this
 * program's space holds an rmessenger where a cappage would be indexed.
 *
 *	V(i) = vg_addr_extend(vg_boot_slot(T_VIRT_SLOT), i, 8)
 *
 * Message 1, from S to R (both mine, R reached through a real slot):
 *	source			target
 *	V(1)			window 0 (a page of the root's, "virt-one")
 *	V(3) then slot 2	window 1 (V(3) is a second virtual level;
 *				its slot 2 a page, "virt-two")
 *	page X of mine		V(5): stored by the root
 *	an rmessenger to R	V(6): stored by the root
 *	V(9)			a real slot: V(9) is void, so it arrives void
 * Message 2, from S to V(6) (R, as stored by message 1):
 *	V(5) (my page X)	window 2
 */
#include "../common/tlib.h"

#define WINDOW(i)	(VG_AS_WINDOWS + (uint64_t)(i) * VG_PAGE_SIZE)

static struct vg_act_handler s_h, r_h;
static vg_addr_t s, r, r_weak;
static struct vg_message *s_page, *r_page;
static volatile uint64_t received, delivered, errors;
static int32_t last_error;

static void
on_s(struct vg_act_handler *h, const struct vg_activation *a)
{
	(void)h;
	if (a->reason & VG_ACTIVATION_DELIVERED)
		delivered++;
	if (a->reason & VG_ACTIVATION_ERROR) {
		last_error = a->error;
		errors++;
	}
	t_wake = 1;
}

static void
on_r(struct vg_act_handler *h, const struct vg_activation *a)
{
	(void)h;
	if (a->reason & VG_ACTIVATION_RECEIVED)
		received++;
	if (a->reason & VG_ACTIVATION_ERROR) {
		last_error = a->error;
		errors++;
	}
	t_wake = 1;
}

static vg_addr_t
vslot(unsigned i)
{
	return vg_addr_extend(vg_boot_slot(T_VIRT_SLOT), i, 8);
}

static bool
page_is(uint64_t va, uint64_t word, const char *what)
{
	const volatile uint64_t *p = VG_PTR(va);

	for (unsigned k = 0; k < VG_PAGE_SIZE / 8; k += 31)
		if (p[k] != word + k)
			return t_check(false, "%s: word %u is %#lx, not %#lx",
			    what, k, (unsigned long)p[k],
			    (unsigned long)(word + k));
	return true;
}

static enum vg_type
type_at(vg_addr_t a)
{
	enum vg_type t = VG_TYPE_COUNT;

	(void)vg_as_read(vg_kcall(), vg_self()->self_root, a, &t, NULL);
	return t;
}

/* Receive into R with TARGETS preloaded and send S's message to TARGET.
 * The caller waits for it to arrive. */
static enum vg_err
transfer(vg_addr_t target, const vg_addr_t *targets, uint32_t n)
{
	struct vg_ipc_args rcv = {
		.flags = VG_IPC_RECEIVE | VG_IPC_RECEIVE_ACTIVATE |
		    VG_IPC_RETURN,
		.recv_messenger = r,
	};
	struct vg_ipc_args snd = {
		.flags = VG_IPC_SEND | VG_IPC_SEND_ACTIVATE | VG_IPC_RETURN,
		.target = target,
		.send_messenger = s,
	};
	enum vg_err err;

	vg_msg_preload(r_page, targets, n);
	err = vg_ipc(&rcv);
	if (err == VG_OK)
		err = vg_ipc(&snd);
	/* The send returns at once; the kernel resumes it as the root
	 * answers.  It is done when R gets it (or the send fails). */
	return err;
}

int
main(void)
{
	struct vg_runtime *rt = vg_self();
	vg_addr_t slot_d = vg_slot_alloc(&rt->slots);
	uint64_t pages, x;
	vg_addr_t targets[5];
	enum vg_err err = VG_OK;

	for (unsigned i = 0; i < 3 && err == VG_OK; i++)
		err = vg_as_ensure(&rt->as, WINDOW(i));
	pages = vg_page_alloc(3);
	if (err == VG_OK && pages == 0)
		err = VG_ERR_NO_STORAGE;
	s_h = (struct vg_act_handler){ .fn = on_s, .name = "s" };
	r_h = (struct vg_act_handler){ .fn = on_r, .name = "r" };
	vg_act_register(&s_h);
	vg_act_register(&r_h);
	if (err == VG_OK)
		err = vg_messenger_new(&s, pages, vg_act_id(&s_h));
	if (err == VG_OK)
		err = vg_messenger_new(&r, pages + VG_PAGE_SIZE,
		    vg_act_id(&r_h));
	if (err == VG_OK)
		err = vg_weak_copy(r, &r_weak);
	if (!t_check(err == VG_OK, "set-up: %s", vg_strerror(err)))
		t_finish();
	s_page = VG_PTR(pages);
	r_page = VG_PTR(pages + VG_PAGE_SIZE);
	x = pages + 2 * VG_PAGE_SIZE;
	for (unsigned k = 0; k < VG_PAGE_SIZE / 8; k++)
		((uint64_t *)VG_PTR(x))[k] = T_VIRT_WORD_CHILD + k;

	/* Message 1. */
	vg_message_clear(s_page);
	vg_msg_put_cap(s_page, vslot(T_VIRT_ONE));
	vg_msg_put_cap(s_page, vg_addr_extend(vslot(T_VIRT_NEST),
	    T_VIRT_NEST_TWO, 8));
	vg_msg_put_cap(s_page, vg_addr_of_data(x));
	vg_msg_put_cap(s_page, r_weak);
	vg_msg_put_cap(s_page, vslot(T_VIRT_VOID));
	vg_msg_put_word(s_page, T_VIRT_DATA);
	vg_msg_put_word(s_page, 1);
	targets[0] = vg_addr_of_data(WINDOW(0));
	targets[1] = vg_addr_of_data(WINDOW(1));
	targets[2] = vslot(T_VIRT_STORE_PAGE);
	targets[3] = vslot(T_VIRT_STORE_MSGR);
	targets[4] = slot_d;
	printf("tvirt: message 1: 5 capabilities, 4 through the virtual "
	    "cappage\n");
	err = transfer(r_weak, targets, 5);
	if (err == VG_OK)
		t_wait(&received, 1, &errors);
	if (t_check(err == VG_OK && received == 1 && errors == 0,
	    "message 1: %s, %lu received, %lu errors (%s)", vg_strerror(err),
	    (unsigned long)received, (unsigned long)errors,
	    vg_strerror((enum vg_err)last_error))) {
		t_value(0, r_page->cap_count);
		t_value(1, r_page->cap_void);
		t_check(r_page->cap_count == 5 && r_page->cap_void == 1u << 4,
		    "message 1: %u capabilities, cap_void %#x",
		    r_page->cap_count, r_page->cap_void);
		t_check(vg_msg_nwords(r_page) == 2 &&
		    vg_msg_word(r_page, 0) == T_VIRT_DATA &&
		    vg_msg_word(r_page, 1) == 1, "message 1: data");
		if (t_check(type_at(targets[0]) == VG_TYPE_PAGE,
		    "virtual slot 1 did not arrive as a page"))
			t_value(2, page_is(WINDOW(0), T_VIRT_WORD_ONE,
			    "virtual slot 1"));
		if (t_check(type_at(targets[1]) == VG_TYPE_PAGE,
		    "the nested virtual slot did not arrive as a page"))
			t_value(3, page_is(WINDOW(1), T_VIRT_WORD_TWO,
			    "the nested virtual slot"));
		t_value(4, type_at(slot_d) == VG_TYPE_VOID);
		t_check(type_at(slot_d) == VG_TYPE_VOID,
		    "the void virtual slot stored a %s",
		    vg_type_name(type_at(slot_d)));
	}

	/* Message 2: to V(6), which now holds R. */
	vg_message_clear(s_page);
	vg_msg_put_cap(s_page, vslot(T_VIRT_STORE_PAGE));
	vg_msg_put_word(s_page, T_VIRT_DATA);
	vg_msg_put_word(s_page, 2);
	targets[0] = vg_addr_of_data(WINDOW(2));
	printf("tvirt: message 2: to a target through the virtual cappage\n");
	err = transfer(vslot(T_VIRT_STORE_MSGR), targets, 1);
	if (err == VG_OK)
		t_wait(&received, 2, &errors);
	if (t_check(err == VG_OK && received == 2 && errors == 0,
	    "message 2: %s, %lu received, %lu errors (%s)", vg_strerror(err),
	    (unsigned long)received, (unsigned long)errors,
	    vg_strerror((enum vg_err)last_error))) {
		t_value(5, r_page->cap_count | (uint64_t)r_page->cap_void << 8);
		t_check(r_page->cap_count == 1 && r_page->cap_void == 0,
		    "message 2: %u capabilities, cap_void %#x",
		    r_page->cap_count, r_page->cap_void);
		t_check(vg_msg_nwords(r_page) == 2 &&
		    vg_msg_word(r_page, 1) == 2, "message 2: data");
		if (t_check(type_at(targets[0]) == VG_TYPE_PAGE,
		    "virtual slot 5 did not come back as a page"))
			t_value(6, page_is(WINDOW(2), T_VIRT_WORD_CHILD,
			    "virtual slot 5 (my page, round trip)"));
	}
	/* Both sends were delivered, and told so. */
	t_wait(&delivered, 2, &errors);
	t_check(delivered == 2 && errors == 0, "S: %lu DELIVERED, %lu errors",
	    (unsigned long)delivered, (unsigned long)errors);
	t_value(7, delivered);
	t_finish();
}
