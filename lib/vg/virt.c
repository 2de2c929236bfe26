/*
 * Writing virtualizers (libvg/virt.h): decoding the kernel's requests,
 * answering them, and the serve function that does both for the
 * virtualizers of libvg (pager.c, vcappage.c).
 */
#include <vg/method.h>

#include <libvg/as.h>
#include <libvg/env.h>
#include <libvg/msg.h>
#include <libvg/virt.h>

bool
vg_virt_decode(const struct vg_receiver *r, struct vg_vreq *q)
{
	const struct vg_message *m = r->buf;
	uint64_t method = vg_msg_word(m, 0);
	uint32_t n = vg_msg_nwords(m);

	*q = (struct vg_vreq){
		.method = (enum vg_method)method,
		.residual = { vg_msg_word(m, 1) },
		.store = VG_ADDR_VOID,
	};
	/* The reply right must have arrived, and the residual must be a
	 * real address with at least one bit. */
	if (!vg_msg_cap_arrived(m, 0) || n < 2 ||
	    vg_addr_is_void(q->residual) || vg_addr_depth(q->residual) == 0)
		return false;
	switch (method) {
	case VG_METHOD_INDEX:
		if (n < 4 || vg_msg_word(m, 2) > VG_INDEX_FOR_CAPABILITY ||
		    vg_msg_word(m, 3) >= VG_MESSAGE_CAPS_MAX)
			return false;
		q->purpose = (enum vg_index_purpose)vg_msg_word(m, 2);
		q->cap_index = (uint32_t)vg_msg_word(m, 3);
		return true;
	case VG_METHOD_STORE:
		/* The capability to store: slot 1, if it arrived (void
		 * capabilities are stored too: they arrive void). */
		if (r->nslots < 2)
			return false;
		q->store = r->slot[1];
		return true;
	case VG_METHOD_FAULT:
		if (n < 3 || vg_msg_word(m, 2) > VG_FAULT_EXECUTE)
			return false;
		q->write = vg_msg_word(m, 2) == VG_FAULT_WRITE;
		q->execute = vg_msg_word(m, 2) == VG_FAULT_EXECUTE;
		return true;
	default:
		return false;
	}
}

enum vg_err
vg_virt_answer(struct vg_receiver *r, enum vg_err err, unsigned bits,
    vg_addr_t cap)
{
	struct vg_message *m = vg_reply_begin(r, err);

	(void)vg_message_append_word(m, bits);
	(void)vg_message_append_cap(m, cap);
	return vg_reply_send(r);
}

enum vg_err
vg_virt_receiver_create(struct vg_receiver *r, const char *name,
    vg_serve_fn *serve, void *cookie)
{
	vg_addr_t store = vg_slot_alloc(&vg_self()->slots);

	if (vg_addr_is_void(store))
		return VG_ERR_NO_STORAGE;
	return vg_receiver_create(r, name, &store, 1, serve, cookie);
}

void
vg_virt_serve(struct vg_receiver *r, const struct vg_message *req,
    const struct vg_activation *a)
{
	struct vg_virtualizer *v = (struct vg_virtualizer *)(void *)r;
	struct vg_vreq q;
	struct vg_vanswer ans;
	enum vg_err err;

	(void)req;
	(void)a;
	if (vg_virt_decode(r, &q)) {
		ans = v->answer(v, &q);
	} else {
		if (v->malformed != NULL)
			v->malformed(v);
		/* Answered only if it named a reply messenger. */
		if (!vg_msg_cap_arrived(r->buf, 0))
			return;
		ans = (struct vg_vanswer){ VG_ERR_INVALID, 0, VG_ADDR_VOID };
	}
	err = vg_virt_answer(r, ans.err, ans.bits, ans.cap);
	if (v->answered != NULL)
		v->answered(v, &ans, err);
}

const char *
vg_virt_method_name(enum vg_method m)
{
	switch (m) {
	case VG_METHOD_INDEX:
		return "index";
	case VG_METHOD_STORE:
		return "store";
	case VG_METHOD_FAULT:
		return "fault";
	default:
		return "?";
	}
}
