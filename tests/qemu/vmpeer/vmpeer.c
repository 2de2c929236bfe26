/*
 * In-VM test program "tvmpeer": a bystander of the in-VM fuzzer
 * (tests/qemu/root/t_vmfuzz.c; the protocol is in tproto.h).  Two copies,
 * roles 0 and 1, in address spaces of their own, exchange numbered
 * messages for as long as the fuzzer runs: each sends message n to the
 * other only when message n - 1 was delivered, and checks every message
 * it receives (the next number, the payload its number gives, the
 * capability every eighth one carries).  Whatever the fuzzer does to the
 * kernel, the two must go on, lose nothing and see nothing corrupted.
 *
 * Its messengers:
 *	CTL	receives the root's GO and STOP, inline, with activation;
 *	R	receives the other's messages in its buffer page (a
 *		capability goes to a page slot of a window), with activation;
 *	S	sends mine, from its buffer page or inline, with a DELIVERED
 *		activation.
 */
#include "../common/tlib.h"

#define CAP_EVERY	8	/* every eighth message carries my page */
#define INLINE_EVERY	5	/* every fifth is inline */
#define MAX_WORDS	61	/* payload words of the longest message */
#define WINDOW		VG_AS_WINDOWS	/* where an arriving page is mapped */

static struct t_msgr ctl, rcv, snd;
static unsigned role;
static vg_addr_t other;			/* the other's receiver */
static vg_addr_t my_page;		/* my page, read-only, to send */
static vg_addr_t window_slot;		/* where the other's page lands */
static volatile uint64_t go, stop, delivered, send_errors;
static uint64_t expect;			/* the next number from the other */

static uint64_t *
value(unsigned i)
{
	return &t_mailbox()->value[i];
}

static enum vg_err
arm_ctl(void)
{
	return t_msgr_arm_inline(&ctl, VG_ADDR_VOID);
}

static enum vg_err
arm_rcv(void)
{
	return t_msgr_arm_page(&rcv, &window_slot, 1);
}

static void
bad(uint64_t n, const char *what)
{
	if (*value(T_VP_BAD) == 0) {
		*value(T_VP_FIRST_BAD) = n + 1;
		t_check(false, "message %lu from peer %u: %s",
		    (unsigned long)n, 1 - role, what);
	}
	(*value(T_VP_BAD))++;
}

/* Check a message of the other's: its words W (N of them), CAPS
 * capabilities, of which CAP_VOID says which arrived void. */
static void
check(const uint64_t *w, uint32_t n, uint32_t caps, uint32_t cap_void)
{
	unsigned from = 1 - role;
	uint64_t num, len;

	if (n == 2 && caps == 0 && w[0] == (T_VP_END | (uint64_t)from << 32)) {
		*value(T_VP_OTHER_SENT) = w[1];
		*value(T_VP_ENDED) = 1;
		t_wake = 1;
		return;
	}
	(*value(T_VP_RECEIVED))++;
	if (n < 2 || w[0] != (T_VP_MAGIC | (uint64_t)from << 32)) {
		bad(expect, "not a message of the protocol");
		return;
	}
	num = w[1];
	if (num != expect) {
		bad(num, num < expect ? "duplicated" :
		    "out of order (one lost)");
		expect = num + 1;
		return;
	}
	expect++;
	if (num % INLINE_EVERY == 0 && num % CAP_EVERY != 0) {
		if (n != 4 || caps != 0 || w[2] != t_vp_word(from, num, 0) ||
		    w[3] != t_vp_word(from, num, 1)) {
			bad(num, "inline message corrupt");
			return;
		}
		(*value(T_VP_IN_ORDER))++;
		return;
	}
	len = n > 2 ? w[2] : ~0ull;
	if (len != (num * 7) % (MAX_WORDS + 1) || n != 3 + len) {
		bad(num, "wrong length");
		return;
	}
	for (uint64_t i = 0; i < len; i++) {
		if (w[3 + i] != t_vp_word(from, num, (unsigned)i)) {
			bad(num, "payload corrupt");
			return;
		}
	}
	if (num % CAP_EVERY == 0) {
		const volatile uint64_t *p = VG_PTR(WINDOW);

		if (caps != 1 || (cap_void & 1) != 0) {
			bad(num, "its capability did not arrive");
			return;
		}
		if (p[0] != (T_VP_PAGE_WORD | (uint64_t)from << 32) ||
		    p[1] != t_vp_word(from, 0, 99)) {
			bad(num, "its page reads wrong");
			return;
		}
		(*value(T_VP_CAPS))++;
	} else if (caps != 0) {
		bad(num, "a capability it did not send");
		return;
	}
	(*value(T_VP_IN_ORDER))++;
}

static void
on_rcv(struct vg_act_handler *h, const struct vg_activation *a)
{
	uint64_t w[4 + MAX_WORDS];
	uint32_t n;
	enum vg_err err;

	(void)h;
	if (a->reason & VG_ACTIVATION_ERROR) {
		(*value(T_VP_ERRORS))++;
		t_check(false, "R: error activation %s", vg_strerror(a->error));
	}
	if (!(a->reason & VG_ACTIVATION_RECEIVED))
		return;
	/* Inline messages arrive in the page too (it is writable). */
	n = vg_msg_nwords(rcv.page);
	if (n > 4 + MAX_WORDS)
		n = 4 + MAX_WORDS;	/* too long either way */
	for (uint32_t i = 0; i < n; i++)
		w[i] = vg_msg_word(rcv.page, i);
	check(w, n, vg_msg_ncaps(rcv.page), rcv.page->cap_void);
	err = arm_rcv();
	t_check(err == VG_OK, "R: cannot receive again: %s", vg_strerror(err));
}

static void
on_snd(struct vg_act_handler *h, const struct vg_activation *a)
{
	(void)h;
	if (a->reason & VG_ACTIVATION_DELIVERED)
		delivered++;
	if (a->reason & VG_ACTIVATION_ERROR) {
		send_errors++;
		(*value(T_VP_ERRORS))++;
	}
	t_wake = 1;
}

static void
on_ctl(struct vg_act_handler *h, const struct vg_activation *a)
{
	enum vg_err err;

	(void)h;
	if (!(a->reason & VG_ACTIVATION_RECEIVED))
		return;
	if (a->inline_words[0] == T_VP_GO)
		go = 1;
	else if (a->inline_words[0] == T_VP_STOP)
		stop = 1;
	else
		t_check(false, "CTL: unknown command %#lx",
		    (unsigned long)a->inline_words[0]);
	t_wake = 1;
	err = arm_ctl();
	t_check(err == VG_OK, "CTL: cannot receive again: %s",
	    vg_strerror(err));
}

/* Send my message N (or, with END, the count N), and wait until it was
 * delivered or failed.  False if it failed. */
static bool
send(uint64_t n, bool end)
{
	struct vg_ipc_args a = {
		.flags = VG_IPC_SEND | VG_IPC_SEND_ACTIVATE | VG_IPC_RETURN,
		.target = other,
		.send_messenger = snd.m,
	};
	uint64_t before = delivered, errors = send_errors;
	enum vg_err err;

	if (end) {
		a.flags |= VG_IPC_SEND_INLINE | VG_IPC_INLINE_WORDS(2);
		a.inline_words[0] = T_VP_END | (uint64_t)role << 32;
		a.inline_words[1] = n;
	} else if (n % INLINE_EVERY == 0 && n % CAP_EVERY != 0) {
		a.flags |= VG_IPC_SEND_INLINE | VG_IPC_INLINE_WORDS(4);
		a.inline_words[0] = T_VP_MAGIC | (uint64_t)role << 32;
		a.inline_words[1] = n;
		a.inline_words[2] = t_vp_word(role, n, 0);
		a.inline_words[3] = t_vp_word(role, n, 1);
	} else {
		uint64_t len = (n * 7) % (MAX_WORDS + 1);

		vg_message_clear(snd.page);
		if (n % CAP_EVERY == 0)
			vg_msg_put_cap(snd.page, my_page);
		vg_msg_put_word(snd.page, T_VP_MAGIC | (uint64_t)role << 32);
		vg_msg_put_word(snd.page, n);
		vg_msg_put_word(snd.page, len);
		for (uint64_t i = 0; i < len; i++)
			vg_msg_put_word(snd.page, t_vp_word(role, n,
			    (unsigned)i));
	}
	err = vg_ipc(&a);
	if (!t_check(err == VG_OK, "send %lu: %s", (unsigned long)n,
	    vg_strerror(err))) {
		(*value(T_VP_ERRORS))++;
		return false;
	}
	while (delivered == before && send_errors == errors) {
		t_wake = 0;
		if (delivered != before || send_errors != errors)
			break;
		vg_wait_nonzero(&t_wake);
	}
	return delivered != before;
}

static enum vg_err
setup(void)
{
	struct vg_runtime *rt = vg_self();
	vg_addr_t service = vg_boot_slot(VG_SLOT_SERVICE);
	uint64_t page_va;
	uint64_t *pw;
	enum vg_err err;

	err = t_msgr_new(&ctl, "ctl", false, on_ctl);
	if (err == VG_OK)
		err = t_msgr_new(&rcv, "r", true, on_rcv);
	if (err == VG_OK)
		err = t_msgr_new(&snd, "s", true, on_snd);
	if (err != VG_OK)
		return err;
	/* My page: a pattern the other checks, sent read-only. */
	page_va = vg_page_alloc(1);
	if (page_va == 0)
		return VG_ERR_NO_STORAGE;
	pw = VG_PTR(page_va);
	pw[0] = T_VP_PAGE_WORD | (uint64_t)role << 32;
	pw[1] = t_vp_word(role, 0, 99);
	err = vg_weak_copy(vg_addr_of_data(page_va), &my_page);
	/* Where the other's page lands: a page slot I can read through. */
	if (err == VG_OK)
		err = vg_as_ensure(&rt->as, WINDOW);
	window_slot = vg_as_page_slot(&rt->as, WINDOW);
	/* My receiver in the shared cappage, for the other; its at 1 - r. */
	if (err == VG_OK)
		err = vg_as_copy(vg_kcall(), rt->self_root,
		    vg_addr_extend(service, role, 8), rcv.m,
		    VG_CAP_COPY_WEAKEN, (struct vg_cap_translator){ 0 });
	other = vg_addr_extend(service, 1 - role, 8);
	if (err == VG_OK)
		err = arm_ctl();
	if (err == VG_OK)
		err = arm_rcv();
	return err;
}

/* A heartbeat for my parent, dropped if it is not receiving. */
static void
beat(void)
{
	struct vg_runtime *rt = vg_self();
	struct vg_ipc_args a = {
		.flags = VG_IPC_SEND | VG_IPC_SEND_NONBLOCKING |
		    VG_IPC_SEND_INLINE | VG_IPC_INLINE_WORDS(4) | VG_IPC_RETURN,
		.target = rt->parent,
		.send_messenger = rt->messenger,
		.inline_words = { T_REPORT, T_VP_BEAT, *value(T_VP_SENT),
		    *value(T_VP_RECEIVED) },
	};

	(void)vg_ipc(&a);
}

int
main(void)
{
	uint64_t n = 0;
	enum vg_err err;

	role = (unsigned)t_arg(0, 0) & 1;
	err = setup();
	if (!t_check(err == VG_OK, "set-up: %s", vg_strerror(err)))
		t_finish();
	err = vg_parent_send(VG_PARENT_REGISTER, role, ctl.weak);
	if (!t_check(err == VG_OK, "register: %s", vg_strerror(err)))
		t_finish();
	t_wait(&go, 1, NULL);
	while (!stop) {
		if (!send(n, false))
			break;
		n++;
		*value(T_VP_SENT) = n;
		if (n % T_VP_BEAT_EVERY == 0)
			beat();
	}
	/* The count, then wait for the other's. */
	if (!send(n, true))
		t_check(false, "my END was not delivered");
	t_wait((volatile uint64_t *)value(T_VP_ENDED), 1, NULL);
	t_check(*value(T_VP_OTHER_SENT) == *value(T_VP_RECEIVED),
	    "the other sent %lu, I received %lu",
	    (unsigned long)*value(T_VP_OTHER_SENT),
	    (unsigned long)*value(T_VP_RECEIVED));
	(void)t_parent_report(T_VP_END, *value(T_VP_SENT),
	    *value(T_VP_RECEIVED));
	t_finish();
}
