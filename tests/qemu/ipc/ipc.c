/*
 * In-VM test program "tipc": the other address space of the IPC tests
 * (tests/qemu/root/t_ipc.c; the protocol is in tproto.h).
 *
 * Its messengers:
 *	CTL	receives inline requests (4 words and the reply messenger),
 *		with activation;
 *	BUF	receives requests in its buffer page, with activation;
 *	FIFO	a blocked messenger that senders queue on; it receives
 *		only when told to (T_IPC_DRAIN), without blocking;
 *	RS	sends the replies (inline or from its page), with a
 *		DELIVERED activation.
 * The activations it gets are counted and reported back.
 */
#include "../common/tlib.h"

static struct t_msgr ctl, buf, fifo, rs;
static vg_addr_t ctl_reply, buf_reply;	/* where c0 of a request lands */
static volatile uint64_t ctl_received, buf_received, rs_delivered, rs_errors;
static volatile uint64_t done;

static enum vg_err
arm_ctl(void)
{
	return t_msgr_arm_inline(&ctl, ctl_reply);
}

static enum vg_err
arm_buf(void)
{
	return t_msgr_arm_page(&buf, &buf_reply, 1);
}

static void
reply_inline(uint64_t w0, uint64_t w1, uint64_t w2, uint64_t w3)
{
	struct vg_ipc_args a = {
		.flags = VG_IPC_SEND | VG_IPC_SEND_INLINE |
		    VG_IPC_INLINE_WORDS(4) | VG_IPC_SEND_ACTIVATE |
		    VG_IPC_RETURN,
		.target = ctl_reply,
		.send_messenger = rs.m,
		.inline_words = { w0, w1, w2, w3 },
	};
	enum vg_err err = vg_ipc(&a);

	t_check(err == VG_OK, "inline reply: vg_ipc: %s", vg_strerror(err));
}

static void
reply_page(vg_addr_t to)
{
	struct vg_ipc_args a = {
		.flags = VG_IPC_SEND | VG_IPC_SEND_ACTIVATE | VG_IPC_RETURN,
		.target = to,
		.send_messenger = rs.m,
	};
	enum vg_err err = vg_ipc(&a);

	t_check(err == VG_OK, "page reply: vg_ipc: %s", vg_strerror(err));
}

/* Receive the N messages queued on FIFO, and try once more. */
static void
drain(uint64_t n)
{
	uint64_t order = 0, got = 0, good = 0;
	enum vg_err last = VG_OK;

	for (uint64_t i = 0; i <= n && i < 32; i++) {
		struct vg_ipc_args a = {
			.flags = VG_IPC_RECEIVE | VG_IPC_RECEIVE_NONBLOCKING |
			    VG_IPC_RETURN,
			.recv_messenger = fifo.m,
		};
		uint64_t idx, nonce;

		vg_msg_preload(fifo.page, NULL, 0);
		last = vg_ipc(&a);
		if (last != VG_OK)
			break;
		idx = vg_msg_word(fifo.page, 1);
		nonce = vg_msg_word(fifo.page, 2);
		if (got < 16)
			order |= (idx & 0xf) << (4 * got);
		got++;
		if (vg_msg_word(fifo.page, 0) == T_IPC_FIFO_MAGIC &&
		    nonce == 0xfeed0000ull + idx * 0x101 &&
		    vg_msg_ncaps(fifo.page) == 0 &&
		    vg_msg_len(fifo.page) == 24)
			good++;
	}
	reply_inline(VG_OK, order, got | (uint64_t)last << 32, good);
}

static void
on_ctl(struct vg_act_handler *h, const struct vg_activation *a)
{
	const uint64_t *w = a->inline_words;
	uint64_t obs;
	enum vg_err err;

	(void)h;
	if (a->reason & VG_ACTIVATION_ERROR)
		t_check(false, "CTL: error activation %d", a->error);
	if (!(a->reason & VG_ACTIVATION_RECEIVED))
		return;
	ctl_received++;
	switch (w[0]) {
	case T_IPC_ECHO:
		obs = a->inline_nwords | (uint64_t)a->inline_ncaps << 8 |
		    (uint64_t)(a->cap_void & 0xff) << 16 |
		    (ctl_received & 0xffff) << 24 |
		    (rs_delivered & 0xffff) << 40;
		reply_inline(VG_OK, w[1] + 1, ~w[2], obs);
		break;
	case T_IPC_GETCAPS:
		vg_message_clear(rs.page);
		vg_msg_put_cap(rs.page, buf.weak);
		vg_msg_put_cap(rs.page, fifo.weak);
		vg_msg_put_word(rs.page, VG_OK);
		reply_page(ctl_reply);
		break;
	case T_IPC_DRAIN:
		drain(w[1]);
		break;
	case T_IPC_STATS:
		reply_inline(VG_OK, ctl_received, buf_received,
		    rs_delivered | rs_errors << 32);
		break;
	case T_IPC_BYE:
		reply_inline(VG_OK, 0, 0, 0);
		done = 1;
		break;
	default:
		t_check(false, "CTL: unknown command %#lx",
		    (unsigned long)w[0]);
		reply_inline(VG_ERR_METHOD, 0, 0, 0);
		break;
	}
	err = arm_ctl();
	t_check(err == VG_OK, "CTL: cannot receive again: %s",
	    vg_strerror(err));
}

static void
on_buf(struct vg_act_handler *h, const struct vg_activation *a)
{
	const struct vg_message *req = buf.page;
	uint32_t len = vg_msg_len(req);
	const uint8_t *data = vg_msg_data(req);
	uint8_t *dst;
	uint32_t plen;
	enum vg_err err;

	(void)h;
	if (a->reason & VG_ACTIVATION_ERROR)
		t_check(false, "BUF: error activation %d", a->error);
	if (!(a->reason & VG_ACTIVATION_RECEIVED))
		return;
	buf_received++;
	if (!t_check(vg_msg_word(req, 0) == T_IPC_ECHO_PAGE && len >= 8,
	    "BUF: unexpected request %#lx (%u bytes)",
	    (unsigned long)vg_msg_word(req, 0), len)) {
		vg_message_clear(rs.page);
		vg_msg_put_word(rs.page, VG_ERR_METHOD);
	} else {
		vg_message_clear(rs.page);
		vg_msg_put_word(rs.page, VG_OK);
		vg_msg_put_word(rs.page, len);
		vg_msg_put_word(rs.page, t_hash(data, len));
		vg_msg_put_word(rs.page, vg_msg_ncaps(req) |
		    (uint64_t)(req->cap_void & 0xff) << 8);
		/* The payload, reversed, as far as it fits. */
		plen = len - 8;
		if (plen > vg_message_data_max(0) - rs.page->data_count)
			plen = vg_message_data_max(0) - rs.page->data_count;
		dst = vg_message_data(rs.page) + rs.page->data_count;
		for (uint32_t i = 0; i < plen; i++)
			dst[i] = data[len - 1 - i];
		rs.page->data_count = (uint16_t)(rs.page->data_count + plen);
	}
	reply_page(buf_reply);
	err = arm_buf();
	t_check(err == VG_OK, "BUF: cannot receive again: %s",
	    vg_strerror(err));
}

static void
on_rs(struct vg_act_handler *h, const struct vg_activation *a)
{
	(void)h;
	if (a->reason & VG_ACTIVATION_DELIVERED)
		rs_delivered++;
	if (a->reason & VG_ACTIVATION_ERROR)
		rs_errors++;
}

int
main(void)
{
	struct vg_runtime *rt = vg_self();
	enum vg_err err;

	ctl_reply = vg_slot_alloc(&rt->slots);
	buf_reply = vg_slot_alloc(&rt->slots);
	err = t_msgr_new(&ctl, "ctl", false, on_ctl);
	if (err == VG_OK)
		err = t_msgr_new(&buf, "buf", true, on_buf);
	if (err == VG_OK)
		err = t_msgr_new(&fifo, "fifo", true, NULL);
	if (err == VG_OK)
		err = t_msgr_new(&rs, "rs", true, on_rs);
	if (err == VG_OK)
		err = arm_ctl();
	if (err == VG_OK)
		err = arm_buf();
	if (!t_check(err == VG_OK, "set-up: %s", vg_strerror(err)))
		t_finish();
	err = vg_parent_send(VG_PARENT_REGISTER, 0x1c, ctl.weak);
	if (!t_check(err == VG_OK, "register: %s", vg_strerror(err)))
		t_finish();
	vg_wait_nonzero(&done);
	t_value(0, ctl_received);
	t_value(1, buf_received);
	t_value(2, rs_delivered);
	t_value(3, rs_errors);
	t_finish();
}
