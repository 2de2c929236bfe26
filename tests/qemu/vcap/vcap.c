/*
 * In-VM test program "tvcap": a virtual cappage of 2^32 slots, served by
 * vcapd (user/vcapd, libvg/vcappage.h), used through the kernel's own
 * translation.  The test root (tests/qemu/root/t_vcap.c) starts vcapd and
 * gives this program its service in VG_SLOT_SERVICE.
 *
 * An address has at most 63 bits, and every address of a program's own
 * space starts with the 34-bit guard and 8 bits of root slot: no root
 * slot can hold a cappage that takes 32 more bits and still leave room
 * for anything after them.  So the messengers used here, S (sends) and R
 * (receives), resolve their addresses in a space of their own, C: a
 * cappage without a guard, whose slot CV is the virtual cappage V and
 * whose slot CO is my own root cappage.  Slot i of V is the 40-bit
 * address CV.i; my own address a is CO.(a without the guard).
 *
 * A message from S whose capability addresses lie in V makes the kernel
 * send V INDEX requests; one whose target slots (R's buffer page) lie in
 * V makes it send STORE requests; a send whose target lies in V makes it
 * send an INDEX for the target.  Everything below goes that way.
 */
#include <libvg/vcapd.h>

#include "../common/tlib.h"
#include "vcap.h"

#define CV		0	/* slot of C: V */
#define CO		1	/* slot of C: my root cappage */
#define BATCH		32	/* capabilities per message */
#define WINDOW(i)	(VG_AS_WINDOWS + (uint64_t)(i) * VG_PAGE_SIZE)

/* Indices for the other tests, kept apart from the 64. */
#define IDX_UNSET	0x12345678u
#define IDX_DEEP	0x40000000u
#define IDX_NEST	0xc0000000u
#define DEEP_SUB	5	/* a slot of the real cappage at IDX_DEEP */
#define NEST_SUB	0x77	/* a slot of W, stored at IDX_NEST */
/* The entries that hold messengers (Q0, Q1) instead of pages. */
#define MSGR_A		10
#define MSGR_B		40
#define NONE		0xffffffffu	/* content: nothing (deleted) */

static struct vg_act_handler s_h, r_h, q_h[2];
static vg_addr_t s, r, r_weak, q[2], qw[2];
static struct vg_message *s_page, *r_page;
static volatile uint64_t received, delivered, errors;
static volatile uint64_t q_received[2];
#define QLOG	16
static uint64_t q_log[2][QLOG][2];	/* words 0 and 1 received */
static int32_t last_error;

static vg_addr_t svc, slot_c, slot_v, slot_w, slot_k, slot_empty;
static vg_addr_t slot_rb[2];		/* where read-back messengers go */
static uint64_t id_v, id_w;
static uint64_t pages;			/* page e holds entry e's words */
static uint32_t idx[T_VCAP_ENTRIES];
static uint32_t content[T_VCAP_ENTRIES];	/* what idx[e] holds now */

/* What vcapd should have counted, for V (0) and W (1). */
static struct {
	uint64_t index, store, errors, malformed, passed, stored, deleted,
	    entries;
} ex[2];

static uint64_t
word(unsigned e, unsigned k)
{
	return 0x7663000000000000ull | (uint64_t)e << 32 | k;
}

static uint64_t
page_va(unsigned e)
{
	return pages + (uint64_t)e * VG_PAGE_SIZE;
}

/* --- activations -------------------------------------------------------- */

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

static enum vg_err
q_arm(unsigned i)
{
	struct vg_ipc_args a = {
		.flags = VG_IPC_RECEIVE | VG_IPC_RECEIVE_ACTIVATE |
		    VG_IPC_RECEIVE_INLINE | VG_IPC_RETURN,
		.recv_messenger = q[i],
	};

	return vg_ipc(&a);
}

/* Q0 and Q1: receive inline, log words 0 and 1, receive again. */
static void
on_q(struct vg_act_handler *h, const struct vg_activation *a)
{
	unsigned i = h == &q_h[0] ? 0 : 1;

	if (a->reason & VG_ACTIVATION_RECEIVED) {
		uint64_t n = q_received[i];

		if (n < QLOG) {
			q_log[i][n][0] = a->inline_words[0];
			q_log[i][n][1] = a->inline_words[1];
		}
		q_received[i] = n + 1;
		if (q_arm(i) != VG_OK)
			errors++;
	}
	if (a->reason & VG_ACTIVATION_ERROR) {
		last_error = a->error;
		errors++;
	}
	t_wake = 1;
}

/* --- addresses -------------------------------------------------------------- */

/* Slot I of V, as S and R see it. */
static vg_addr_t
vaddr(uint64_t i)
{
	return vg_addr((uint64_t)CV << 32 | i, 40);
}

/* My own address A (thread view), as S and R see it. */
static vg_addr_t
own(vg_addr_t a)
{
	vg_addr_t l = vg_as_local(a);
	unsigned d = vg_addr_depth(l);

	return vg_addr((uint64_t)CO << d | vg_addr_prefix(l), 8 + d);
}

static vg_addr_t
own_page(uint64_t va)
{
	return own(vg_addr_of_data(va));
}

static enum vg_type
type_at(vg_addr_t a)
{
	enum vg_type t = VG_TYPE_COUNT;

	(void)vg_as_read(vg_kcall(), vg_self()->self_root, a, &t, NULL);
	return t;
}

/* --- messages ---------------------------------------------------------------- */

/*
 * S sends N capabilities (addresses SRC) and the word TAG to TARGET; R
 * receives them at DST (M addresses).  Waits until R has it and S was
 * told; false (and a failed check) if that did not happen.
 */
static bool
deliver(vg_addr_t target, const vg_addr_t *src, unsigned n,
    const vg_addr_t *dst, unsigned m, uint64_t tag)
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
	uint64_t want_r = received + 1, want_d = delivered + 1;
	enum vg_err err;

	vg_message_clear(s_page);
	for (unsigned i = 0; i < n; i++)
		vg_msg_put_cap(s_page, src[i]);
	vg_msg_put_word(s_page, tag);
	vg_msg_preload(r_page, dst, m);
	err = vg_ipc(&rcv);
	if (err == VG_OK)
		err = vg_ipc(&snd);
	/* The kernel resumes the transfer as vcapd answers. */
	if (err == VG_OK) {
		t_wait(&received, want_r, &errors);
		t_wait(&delivered, want_d, &errors);
	}
	return t_check(err == VG_OK && received == want_r &&
	    delivered == want_d && vg_msg_word(r_page, 0) == tag &&
	    r_page->cap_count == n, "message %#lx: %s, %lu received, %lu "
	    "delivered, %lu errors (%s), %u capabilities",
	    (unsigned long)tag, vg_strerror(err), (unsigned long)received,
	    (unsigned long)delivered, (unsigned long)errors,
	    vg_strerror((enum vg_err)last_error), r_page->cap_count);
}

/* One capability from SRC to DST; R's cap_void afterwards (or ~0). */
static uint32_t
deliver1(vg_addr_t src, vg_addr_t dst, uint64_t tag)
{
	return deliver(own(r_weak), &src, 1, &dst, 1, tag) ?
	    r_page->cap_void : ~0u;
}

/* S sends NW words (and CAP unless void) inline to TARGET; waits until
 * S is told it was delivered. */
static bool
send_inline(vg_addr_t target, const uint64_t *w, unsigned nw, vg_addr_t cap)
{
	struct vg_ipc_args a = {
		.flags = VG_IPC_SEND | VG_IPC_SEND_INLINE |
		    VG_IPC_INLINE_WORDS(nw) | VG_IPC_SEND_ACTIVATE |
		    VG_IPC_RETURN,
		.target = target,
		.send_messenger = s,
	};
	uint64_t want_d = delivered + 1;
	enum vg_err err;

	for (unsigned i = 0; i < nw && i < VG_INLINE_WORDS; i++)
		a.inline_words[i] = w[i];
	if (!vg_addr_is_void(cap)) {
		a.flags |= VG_IPC_INLINE_CAP;
		a.inline_cap = cap;
	}
	err = vg_ipc(&a);
	if (err == VG_OK)
		t_wait(&delivered, want_d, &errors);
	return t_check(err == VG_OK && delivered == want_d,
	    "inline send %#lx: %s, %lu errors (%s)", (unsigned long)w[0],
	    vg_strerror(err), (unsigned long)errors,
	    vg_strerror((enum vg_err)last_error));
}

/* --- checks ------------------------------------------------------------------ */

/* Does the page at VA hold entry E's words? */
static bool
page_is(uint64_t va, unsigned e, const char *what)
{
	const volatile uint64_t *p = VG_PTR(va);

	for (unsigned k = 0; k < VG_PAGE_SIZE / 8; k++)
		if (p[k] != word(e, k))
			return t_check(false, "%s: word %u is %#lx, not %#lx",
			    what, k, (unsigned long)p[k],
			    (unsigned long)word(e, k));
	return true;
}

/* Send to the messenger read back into my slot SLOT (as S sees it): it
 * is Q(WHICH) if it arrives there with E in word 1. */
static bool
messenger_is(vg_addr_t slot, unsigned which, unsigned e)
{
	uint64_t n = q_received[which];
	uint64_t w[2] = { 0x5155, e };

	if (!send_inline(own(slot), w, 2, VG_ADDR_VOID))
		return false;
	t_wait(&q_received[which], n + 1, &errors);
	return t_check(q_received[which] == n + 1 && (n >= QLOG ||
	    q_log[which][n][1] == e), "entry %u: the messenger read back is "
	    "not Q%u", e, which);
}

/* The messenger entry E names: 0 or 1 (Q0, Q1), or -1 for a page. */
static int
msgr_of(unsigned e)
{
	return e == MSGR_A ? 0 : e == MSGR_B ? 1 : -1;
}

/* Store entries [FIRST, FIRST + BATCH) at their indices in V. */
static unsigned
store_batch(unsigned first)
{
	vg_addr_t src[BATCH], dst[BATCH];

	for (unsigned i = 0; i < BATCH; i++) {
		unsigned e = first + i;
		int m = msgr_of(e);

		src[i] = m >= 0 ? own(qw[m]) : own_page(page_va(e));
		dst[i] = vaddr(idx[e]);
	}
	ex[0].store += BATCH;
	ex[0].stored += BATCH;
	ex[0].entries += BATCH;
	if (!deliver(own(r_weak), src, BATCH, dst, BATCH, 0x5707e + first))
		return 0;
	if (!t_check(r_page->cap_void == 0, "store %u..%u: cap_void %#x",
	    first, first + BATCH - 1, r_page->cap_void))
		return 0;
	return BATCH;
}

/*
 * Read entries [FIRST, FIRST + BATCH) back from V: pages into windows,
 * messengers into my slots; count those that are what CONTENT says
 * (void for NONE).
 */
static unsigned
read_batch(unsigned first)
{
	vg_addr_t src[BATCH], dst[BATCH];
	unsigned good = 0;

	for (unsigned i = 0; i < BATCH; i++) {
		unsigned e = first + i;
		int m = msgr_of(e);

		src[i] = vaddr(idx[e]);
		dst[i] = m >= 0 ? own(slot_rb[m]) : own_page(WINDOW(i));
	}
	ex[0].index += BATCH;
	if (!deliver(own(r_weak), src, BATCH, dst, BATCH, 0x7ead + first))
		return 0;
	for (unsigned i = 0; i < BATCH; i++) {
		unsigned e = first + i, c = content[e];
		int m = msgr_of(e);
		bool is_void = (r_page->cap_void >> i) & 1;
		bool ok;

		if (c == NONE) {
			ok = t_check(is_void, "entry %u (deleted) did not read "
			    "back void", e);
		} else if (m >= 0) {
			ok = t_check(!is_void && type_at(slot_rb[m]) ==
			    VG_TYPE_RMESSENGER, "entry %u: not a messenger",
			    e) && messenger_is(slot_rb[m], (unsigned)m, e);
		} else {
			ok = t_check(!is_void && type_at(vg_addr_of_data(
			    WINDOW(i))) == VG_TYPE_PAGE, "entry %u (index "
			    "%#x): not a page (cap_void %#x)", e, idx[e],
			    r_page->cap_void) &&
			    page_is(WINDOW(i), c, "a page read back");
		}
		good += ok;
	}
	return good;
}

/* vcapd's counters for cappage ID; false if the call failed. */
static bool
stats(uint64_t id, uint64_t *w)
{
	struct vg_call *c = &vg_self()->ucall;
	enum vg_err err;

	vg_call_begin(c, VCAPD_STATS);
	vg_call_word(c, id);
	err = vg_call(c, svc);
	for (unsigned i = 0; i < VCAPD_STAT_COUNT; i++)
		w[i] = vg_call_result(c, 1 + i);
	return t_check(err == VG_OK, "STATS %lu: %s", (unsigned long)id,
	    vg_strerror(err));
}

static bool
stats_match(unsigned which, uint64_t id)
{
	uint64_t w[VCAPD_STAT_COUNT];
	bool ok;

	if (!stats(id, w))
		return false;
	ok = t_check(w[VCAPD_STAT_INDEX] == ex[which].index &&
	    w[VCAPD_STAT_STORE] == ex[which].store &&
	    w[VCAPD_STAT_FAULT] == 0, "cappage %lu: %lu INDEX, %lu STORE, "
	    "%lu FAULT; want %lu, %lu, 0", (unsigned long)id,
	    (unsigned long)w[VCAPD_STAT_INDEX],
	    (unsigned long)w[VCAPD_STAT_STORE],
	    (unsigned long)w[VCAPD_STAT_FAULT],
	    (unsigned long)ex[which].index, (unsigned long)ex[which].store);
	ok &= t_check(w[VCAPD_STAT_ENTRIES] == ex[which].entries &&
	    w[VCAPD_STAT_STORED] == ex[which].stored &&
	    w[VCAPD_STAT_DELETED] == ex[which].deleted &&
	    w[VCAPD_STAT_PASSED] == ex[which].passed, "cappage %lu: %lu "
	    "entries, %lu stored, %lu deleted, %lu passed on; want %lu, %lu, "
	    "%lu, %lu", (unsigned long)id,
	    (unsigned long)w[VCAPD_STAT_ENTRIES],
	    (unsigned long)w[VCAPD_STAT_STORED],
	    (unsigned long)w[VCAPD_STAT_DELETED],
	    (unsigned long)w[VCAPD_STAT_PASSED],
	    (unsigned long)ex[which].entries, (unsigned long)ex[which].stored,
	    (unsigned long)ex[which].deleted, (unsigned long)ex[which].passed);
	ok &= t_check(w[VCAPD_STAT_ERRORS] == ex[which].errors &&
	    w[VCAPD_STAT_MALFORMED] == ex[which].malformed &&
	    w[VCAPD_STAT_CAPPAGES] == 1, "cappage %lu: %lu errors, %lu "
	    "malformed; want %lu, %lu", (unsigned long)id,
	    (unsigned long)w[VCAPD_STAT_ERRORS],
	    (unsigned long)w[VCAPD_STAT_MALFORMED],
	    (unsigned long)ex[which].errors,
	    (unsigned long)ex[which].malformed);
	return ok;
}

/* --- set-up -------------------------------------------------------------------- */

/* Ask vcapd for a cappage of 2^BITS slots, into SLOT (void: none
 * expected); its error, and its id in *ID. */
static enum vg_err
create(uint64_t bits, vg_addr_t slot, uint64_t *id)
{
	struct vg_call *c = &vg_self()->ucall;
	enum vg_err err;

	vg_call_begin(c, VCAPD_CREATE);
	vg_call_word(c, bits);
	if (!vg_addr_is_void(slot))
		vg_call_expect(c, slot);
	err = vg_call(c, svc);
	if (err == VG_OK && id != NULL)
		*id = vg_call_result(c, 1);
	if (err == VG_OK && !vg_addr_is_void(slot) &&
	    type_at(slot) != VG_TYPE_RMESSENGER)
		err = VG_ERR_VOID;
	return err;
}

/* A call to vcapd that must fail with WANT. */
static bool
refused(uint64_t method, uint64_t arg, enum vg_err want)
{
	struct vg_call *c = &vg_self()->ucall;
	enum vg_err err;

	vg_call_begin(c, method);
	vg_call_word(c, arg);
	err = vg_call(c, svc);
	return t_check(err == want, "vcapd %#lx %lu: %s, want %s",
	    (unsigned long)method, (unsigned long)arg, vg_strerror(err),
	    vg_strerror(want));
}

/*
 * A messenger of mine resolving its addresses in C (no guard), made here
 * rather than by vg_messenger_new: once an ASPACE slot holds a capability
 * with the 34-bit guard, no address of my space is deep enough to name
 * that slot again (the guard bits would have to follow it).
 */
static enum vg_err
messenger_in_c(vg_addr_t *m, uint64_t buffer_va, struct vg_act_handler *h)
{
	struct vg_runtime *rt = vg_self();
	struct vg_cap_translator none = { 0 };
	vg_addr_t slot = vg_slot_alloc(&rt->slots);
	enum vg_err err;

	if (vg_addr_is_void(slot))
		return VG_ERR_NO_STORAGE;
	err = vg_obj_alloc(vg_kcall(), &rt->alloc, VG_TYPE_MESSENGER, slot);
	if (err == VG_OK)
		err = vg_as_copy(vg_kcall(), rt->self_root,
		    vg_addr_extend(slot, VG_MESSENGER_SLOT_THREAD, 2),
		    rt->thread, 0, none);
	if (err == VG_OK)
		err = vg_as_copy(vg_kcall(), rt->self_root,
		    vg_addr_extend(slot, VG_MESSENGER_SLOT_ASPACE, 2), slot_c,
		    VG_CAP_COPY_GUARD, none);
	if (err == VG_OK)
		err = vg_as_copy(vg_kcall(), rt->self_root,
		    vg_addr_extend(slot, VG_MESSENGER_SLOT_BUFFER, 2),
		    vg_addr_of_data(buffer_va), 0, none);
	if (err == VG_OK)
		err = vg_messenger_id_set(vg_kcall(), slot, vg_act_id(h));
	*m = slot;
	return err;
}

/* The 64 indices: the ends and middle of the range, then pseudo-random
 * ones (xorshift32), all distinct and apart from the other tests'. */
static void
make_indices(void)
{
	static const uint32_t fixed[] = { 0, 1, 0x7fffffffu, 0x80000000u,
	    0xfffffffeu, 0xffffffffu };
	uint32_t x = 0x2545f491u;
	unsigned n = 0;

	for (unsigned i = 0; i < sizeof(fixed) / sizeof(fixed[0]); i++)
		idx[n++] = fixed[i];
	while (n < T_VCAP_ENTRIES) {
		bool dup = false;

		x ^= x << 13;
		x ^= x >> 17;
		x ^= x << 5;
		dup = x == IDX_UNSET || x == IDX_DEEP || x == IDX_NEST;
		for (unsigned i = 0; i < n && !dup; i++)
			dup = idx[i] == x;
		if (!dup)
			idx[n++] = x;
	}
	for (unsigned e = 0; e < T_VCAP_ENTRIES; e++)
		content[e] = e;
}

static enum vg_err
setup(void)
{
	struct vg_runtime *rt = vg_self();
	struct vg_cap_translator none = { 0 };
	vg_addr_t *slots[] = { &slot_c, &slot_v, &slot_w, &slot_k,
	    &slot_empty, &slot_rb[0], &slot_rb[1] };
	uint64_t msg_pages;
	enum vg_err err = VG_OK;

	svc = vg_boot_slot(VG_SLOT_SERVICE);
	for (unsigned i = 0; i < sizeof(slots) / sizeof(slots[0]); i++) {
		*slots[i] = vg_slot_alloc(&rt->slots);
		if (vg_addr_is_void(*slots[i]))
			return VG_ERR_NO_STORAGE;
	}
	for (unsigned i = 0; i < BATCH && err == VG_OK; i++)
		err = vg_as_ensure(&rt->as, WINDOW(i));
	pages = vg_page_alloc(T_VCAP_ENTRIES);
	msg_pages = vg_page_alloc(2);
	if (err == VG_OK && (pages == 0 || msg_pages == 0))
		err = VG_ERR_NO_STORAGE;
	if (err != VG_OK)
		return err;
	for (unsigned e = 0; e < T_VCAP_ENTRIES; e++)
		for (unsigned k = 0; k < VG_PAGE_SIZE / 8; k++)
			((uint64_t *)VG_PTR(page_va(e)))[k] = word(e, k);

	/* C: V in slot CV (below), my root in slot CO. */
	err = vg_obj_alloc(vg_kcall(), &rt->alloc, VG_TYPE_CAPPAGE, slot_c);
	if (err == VG_OK)
		err = vg_as_copy(vg_kcall(), rt->self_root,
		    vg_addr_extend(slot_c, CO, 8), rt->self_root, 0, none);
	if (err == VG_OK)
		err = vg_obj_alloc(vg_kcall(), &rt->alloc, VG_TYPE_CAPPAGE,
		    slot_k);

	s_h = (struct vg_act_handler){ .fn = on_s, .name = "s" };
	r_h = (struct vg_act_handler){ .fn = on_r, .name = "r" };
	vg_act_register(&s_h);
	vg_act_register(&r_h);
	if (err == VG_OK)
		err = messenger_in_c(&s, msg_pages, &s_h);
	if (err == VG_OK)
		err = messenger_in_c(&r, msg_pages + VG_PAGE_SIZE, &r_h);
	if (err == VG_OK)
		err = vg_weak_copy(r, &r_weak);
	for (unsigned i = 0; i < 2 && err == VG_OK; i++) {
		q_h[i] = (struct vg_act_handler){ .fn = on_q,
		    .name = i ? "q1" : "q0" };
		vg_act_register(&q_h[i]);
		err = vg_messenger_new(&q[i], 0, vg_act_id(&q_h[i]));
		if (err == VG_OK)
			err = vg_weak_copy(q[i], &qw[i]);
		if (err == VG_OK)
			err = q_arm(i);
	}
	s_page = VG_PTR(msg_pages);
	r_page = VG_PTR(msg_pages + VG_PAGE_SIZE);
	return err;
}

/* --- the tests ------------------------------------------------------------------ */

static void
test_create(void)
{
	enum vg_err ev, ew;
	bool ok;

	ev = create(32, slot_v, &id_v);
	ew = create(8, slot_w, &id_w);
	ok = t_check(ev == VG_OK && ew == VG_OK && id_v != 0 && id_w != 0 &&
	    id_v != id_w, "create: 2^32: %s (id %lu), 2^8: %s (id %lu)",
	    vg_strerror(ev), (unsigned long)id_v, vg_strerror(ew),
	    (unsigned long)id_w);
	ok &= refused(VCAPD_CREATE, 0, VG_ERR_INVALID);
	ok &= refused(VCAPD_CREATE, 33, VG_ERR_INVALID);
	ok &= refused(VCAPD_CREATE, 1ull << 32 | 8, VG_ERR_INVALID);
	ok &= refused(VCAPD_STATS, 99, VG_ERR_INVALID);
	ok &= refused(0x7777, 0, VG_ERR_METHOD);
	if (ev == VG_OK)
		ok &= t_check(vg_as_copy(vg_kcall(), vg_self()->self_root,
		    vg_addr_extend(slot_c, CV, 8), slot_v, 0,
		    (struct vg_cap_translator){ 0 }) == VG_OK,
		    "cannot put V in C");
	t_value(TV_CREATE, ok);
}

/* Store all 64, read them back, and check that a page read back is
 * the very page (a write through it shows in mine). */
static void
test_store_and_read(void)
{
	unsigned stored = 0, read = 0;
	volatile uint64_t *win = VG_PTR(WINDOW(1));
	volatile uint64_t *mine = VG_PTR(page_va(1));
	bool same;

	printf("tvcap: storing %u capabilities in a virtual cappage of 2^32 "
	    "slots, indices %#x .. %#x\n", T_VCAP_ENTRIES, idx[0], idx[5]);
	for (unsigned f = 0; f < T_VCAP_ENTRIES; f += BATCH)
		stored += store_batch(f);
	t_value(TV_STORED, stored);
	for (unsigned f = 0; f < T_VCAP_ENTRIES; f += BATCH) {
		read += read_batch(f);
		if (f == 0) {
			/* Entry 1 is in window 1. */
			win[7] = 0x5a3e;
			same = mine[7] == 0x5a3e;
			win[7] = word(1, 7);
			t_value(TV_SAME_PAGE, t_check(same && mine[7] ==
			    word(1, 7), "a write to the page read back did "
			    "not reach my page"));
		}
	}
	t_value(TV_READ, read);
	t_check(stored == T_VCAP_ENTRIES && read == T_VCAP_ENTRIES,
	    "%u stored, %u read back", stored, read);
}

static void
test_unset_delete_overwrite(void)
{
	vg_addr_t w0 = own_page(WINDOW(0));
	uint32_t v;
	bool ok;

	/* Never stored: arrives void, and the window is emptied. */
	ex[0].index++;
	v = deliver1(vaddr(IDX_UNSET), w0, 0x0);
	t_value(TV_UNSET, t_check(v == 1 && type_at(vg_addr_of_data(
	    WINDOW(0))) == VG_TYPE_VOID, "an unset index: cap_void %#x", v));

	/* Void over entry 2 (from an empty slot of mine). */
	ex[0].store++;
	ex[0].deleted++;
	ex[0].entries--;
	v = deliver1(own(slot_empty), vaddr(idx[2]), 0xde1);
	ok = t_check(v == 1, "storing void: cap_void %#x", v);
	content[2] = NONE;
	ex[0].index++;
	v = deliver1(vaddr(idx[2]), w0, 0xde2);
	ok &= t_check(v == 1, "a deleted index: cap_void %#x", v);
	t_value(TV_DELETE, ok);

	/* Page 1 over entry 0. */
	ex[0].store++;
	ex[0].stored++;
	v = deliver1(own_page(page_va(1)), vaddr(idx[0]), 0x0e1);
	ok = t_check(v == 0, "overwriting: cap_void %#x", v);
	content[0] = 1;
	ex[0].index++;
	v = deliver1(vaddr(idx[0]), w0, 0x0e2);
	ok &= t_check(v == 0, "an overwritten index: cap_void %#x", v) &&
	    page_is(WINDOW(0), 1, "an overwritten index");
	t_value(TV_OVERWRITE, ok);
}

static void
test_target(void)
{
	uint64_t n = q_received[0];
	uint64_t w[2] = { 0x7a6e, 0x7a6e };
	bool ok;

	/* The kernel asks V for the target (an INDEX for a target). */
	ex[0].index++;
	ok = send_inline(vaddr(idx[MSGR_A]), w, 2, VG_ADDR_VOID);
	if (ok)
		t_wait(&q_received[0], n + 1, &errors);
	ok = ok && t_check(q_received[0] == n + 1 && n < QLOG &&
	    q_log[0][n][0] == 0x7a6e, "the send to V's slot %#x did not "
	    "reach Q0", idx[MSGR_A]);
	t_value(TV_TARGET, ok);
}

/* Longer addresses: through a real cappage K, and through W. */
static void
test_deep_and_nested(void)
{
	vg_addr_t w0 = own_page(WINDOW(0));
	vg_addr_t deep = vg_addr_extend(vaddr(IDX_DEEP), DEEP_SUB, 8);
	vg_addr_t nest = vg_addr_extend(vaddr(IDX_NEST), NEST_SUB, 8);
	uint32_t v;
	bool ok;

	ex[0].store++;
	ex[0].stored++;
	ex[0].entries++;
	v = deliver1(own(slot_k), vaddr(IDX_DEEP), 0xd0);
	ok = t_check(v == 0, "storing a cappage: cap_void %#x", v);
	/* vcapd answers with K after 32 bits; the kernel stores in K. */
	ex[0].store++;
	ex[0].passed++;
	v = deliver1(own_page(page_va(3)), deep, 0xd1);
	ok &= t_check(v == 0 && type_at(vg_addr_extend(slot_k, DEEP_SUB, 8))
	    == VG_TYPE_PAGE, "a store below V's slot: cap_void %#x, my "
	    "cappage's slot holds a %s", v, vg_type_name(type_at(
	    vg_addr_extend(slot_k, DEEP_SUB, 8))));
	ex[0].index++;
	ex[0].passed++;
	v = deliver1(deep, w0, 0xd2);
	ok &= t_check(v == 0, "a read below V's slot: cap_void %#x", v) &&
	    page_is(WINDOW(0), 3, "a page below V's slot");
	t_value(TV_DEEP, ok);

	ex[0].store++;
	ex[0].stored++;
	ex[0].entries++;
	v = deliver1(own(slot_w), vaddr(IDX_NEST), 0xe0);
	ok = t_check(v == 0, "storing W in V: cap_void %#x", v);
	ex[0].store++;
	ex[0].passed++;
	ex[1].store++;
	ex[1].stored++;
	ex[1].entries++;
	v = deliver1(own_page(page_va(4)), nest, 0xe1);
	ok &= t_check(v == 0, "a store through V and W: cap_void %#x", v);
	ex[0].index++;
	ex[0].passed++;
	ex[1].index++;
	v = deliver1(nest, w0, 0xe2);
	ok &= t_check(v == 0, "a read through V and W: cap_void %#x", v) &&
	    page_is(WINDOW(0), 4, "a page through V and W");
	t_value(TV_NESTED, ok);
}

/* 24-bit addresses: they end 16 bits into V's 32. */
static void
test_short(void)
{
	uint32_t v1, v2;

	ex[0].index++;
	ex[0].errors++;
	v1 = deliver1(vg_addr((uint64_t)CV << 16 | 0x1234, 24),
	    own_page(WINDOW(0)), 0x5401);
	ex[0].store++;
	ex[0].errors++;
	v2 = deliver1(own_page(page_va(5)),
	    vg_addr((uint64_t)CV << 16 | 0x4321, 24), 0x5402);
	t_value(TV_SHORT, t_check(v1 == 1 && v2 == 1, "short addresses: "
	    "cap_void %#x (source), %#x (target)", v1, v2));
}

/*
 * Send V itself the NW words W, with Q1 as the reply messenger if REPLY;
 * with REPLY, wait for the answer (vcapd's answers do not wait for a
 * receiver: Q1 must be receiving again before the next one) and check
 * its words 0 and 1.
 */
static bool
to_v(const uint64_t *w, unsigned nw, bool reply, enum vg_err want,
    uint64_t want_bits)
{
	uint64_t n = q_received[1];
	bool ok;

	ok = send_inline(vg_addr(CV, 8), w, nw, reply ? own(qw[1]) :
	    VG_ADDR_VOID);
	if (!ok || !reply)
		return ok;
	t_wait(&q_received[1], n + 1, &errors);
	return t_check(q_received[1] == n + 1 && n < QLOG &&
	    q_log[1][n][0] == (uint64_t)want && (want != VG_OK ||
	    q_log[1][n][1] == want_bits), "request %#lx: answered %s, %lu "
	    "bits; want %s", (unsigned long)w[0], n < QLOG ?
	    vg_strerror((enum vg_err)q_log[1][n][0]) : "?", n < QLOG ?
	    (unsigned long)q_log[1][n][1] : 0ul, vg_strerror(want));
}

/* Messages that are not the kernel's, sent to V itself. */
static void
test_hostile(void)
{
	uint64_t bad_method[1] = { 0x999 };
	uint64_t no_reply[2] = { VG_METHOD_INDEX, vaddr(0).raw };
	uint64_t void_residual[2] = { VG_METHOD_STORE, 0 };
	uint64_t bad_purpose[4] = { VG_METHOD_INDEX, vg_addr(5, 32).raw, 7,
	    0 };
	uint64_t forged[4] = { VG_METHOD_INDEX,
	    vg_addr(idx[MSGR_A], 32).raw, VG_INDEX_FOR_CAPABILITY, 0 };
	bool ok;

	ok = to_v(bad_method, 1, true, VG_ERR_INVALID, 0);
	ok &= to_v(no_reply, 2, false, VG_OK, 0);
	ok &= to_v(void_residual, 2, true, VG_ERR_INVALID, 0);
	ok &= to_v(bad_purpose, 4, true, VG_ERR_INVALID, 0);
	ex[0].malformed += 4;
	ex[0].errors += 3;
	/* Well formed: served like the kernel's (the rmessenger is the
	 * authority). */
	ok &= to_v(forged, 4, true, VG_OK, 32);
	ex[0].index++;
	t_value(TV_HOSTILE, ok);
}

int
main(void)
{
	unsigned again = 0;
	enum vg_err err;

	make_indices();
	err = setup();
	if (!t_check(err == VG_OK, "set-up: %s", vg_strerror(err)))
		t_finish();
	test_create();
	test_store_and_read();
	test_unset_delete_overwrite();
	test_target();
	test_deep_and_nested();
	test_short();
	test_hostile();
	/* Everything once more, after all that. */
	for (unsigned f = 0; f < T_VCAP_ENTRIES; f += BATCH)
		again += read_batch(f);
	t_check(again == T_VCAP_ENTRIES, "the second read-back: %u of %u "
	    "as expected", again, T_VCAP_ENTRIES);
	t_value(TV_STATS, stats_match(0, id_v) & stats_match(1, id_w));

	t_value(TV_INDEX, ex[0].index + ex[1].index);
	t_value(TV_STORE, ex[0].store + ex[1].store);
	t_value(TV_ERRORS, ex[0].errors + ex[1].errors);
	t_value(TV_MALFORMED, ex[0].malformed + ex[1].malformed);
	t_value(TV_ENTRIES, ex[0].entries + ex[1].entries);
	t_value(TV_PASSED, ex[0].passed + ex[1].passed);
	t_value(TV_DONE, 1);
	printf("tvcap: %lu INDEX and %lu STORE requests to vcapd\n",
	    (unsigned long)(ex[0].index + ex[1].index),
	    (unsigned long)(ex[0].store + ex[1].store));
	t_finish();
}
