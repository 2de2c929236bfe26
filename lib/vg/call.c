/*
 * Calls (libvg/call.h): a request built in the send page, sent to a
 * kernel object or a server, and the reply read from the reply page.  A
 * call to a server waits for its reply through activations (the
 * dispatcher, activation.c).
 */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <vg/ipc.h>
#include <vg/utcb.h>

#include <libvg/activation.h>
#include <libvg/call.h>
#include <libvg/msg.h>
#include <libvg/stdio.h>
#include <libvg/syscall.h>

void
vg_call_on_reply(struct vg_act_handler *h, const struct vg_activation *a)
{
	struct vg_call *c = (struct vg_call *)(void *)h;	/* first member */

	if (c->trace)
		vg_printf("%s: activation: the reply to my request arrived "
		    "(reply messenger, %s)\n", c->name,
		    (a->reason & VG_ACTIVATION_ERROR) ? "error" : "received");
	if (a->reason & VG_ACTIVATION_ERROR)
		c->error = a->error != 0 ? a->error : VG_ERR_INVALID;
	if (a->reason & (VG_ACTIVATION_RECEIVED | VG_ACTIVATION_ERROR))
		c->done = 1;
}

void
vg_call_on_send(struct vg_act_handler *h, const struct vg_activation *a)
{
	struct vg_call *c = (struct vg_call *)(void *)((char *)h -
	    offsetof(struct vg_call, on_send));

	if (c->trace && (a->reason & VG_ACTIVATION_DELIVERED))
		vg_printf("%s: activation: my request was delivered to the "
		    "server (send messenger)\n", c->name);
	if (a->reason & VG_ACTIVATION_ERROR) {
		if (c->trace)
			vg_printf("%s: activation: my request failed (error "
			    "%d)\n", c->name, a->error);
		c->error = a->error != 0 ? a->error : VG_ERR_INVALID;
		c->done = 1;
	}
}

void
vg_call_init(struct vg_call *c, const char *name, vg_addr_t send,
    vg_addr_t reply, vg_addr_t reply_weak, struct vg_message *send_buf,
    struct vg_message *reply_buf)
{
	*c = (struct vg_call){
		.on_reply = { .fn = vg_call_on_reply, .name = name },
		.on_send = { .fn = vg_call_on_send, .name = name },
		.send = send,
		.reply = reply,
		.reply_weak = reply_weak,
		.send_buf = send_buf,
		.reply_buf = reply_buf,
		.name = name,
	};
}

struct vg_message *
vg_call_begin(struct vg_call *c, uint64_t method)
{
	struct vg_message *m = c->send_buf;

	vg_message_clear(m);
	c->overflow = 0;
	c->nslots = 0;
	(void)vg_message_append_cap(m, vg_addr_is_void(c->reply_weak) ?
	    c->reply : c->reply_weak);
	(void)vg_message_append_word(m, method);
	return m;
}

void
vg_call_word(struct vg_call *c, uint64_t w)
{
	if (vg_message_append_word(c->send_buf, w) != 0)
		c->overflow = 1;
}

void
vg_call_data(struct vg_call *c, const void *buf, size_t n)
{
	if (n > VG_MESSAGE_SIZE ||
	    vg_message_append_data(c->send_buf, buf, (uint32_t)n) != 0)
		c->overflow = 1;
}

void
vg_call_cap(struct vg_call *c, vg_addr_t a)
{
	if (vg_message_append_cap(c->send_buf, a) != 0)
		c->overflow = 1;
}

void
vg_call_expect(struct vg_call *c, vg_addr_t slot)
{
	if (c->nslots < VG_CALL_SLOTS)
		c->slot[c->nslots++] = slot;
	else
		c->overflow = 1;
}

/*
 * Put the request in A: inline if it fits (at most VG_INLINE_WORDS words
 * and capability 0 alone: no page is read), else from the send page.  Load
 * the reply page with the reply slots (which also marks it "no reply
 * yet": data_count 0).  Returns false if the request cannot be sent.
 *
 * One messenger may serve as both (the boot messenger): then a request
 * that is not inline is in the very page the reply lands in, and the
 * reply may not carry capabilities, or they would be stored at the
 * request's capability addresses.
 */
static bool
prepare(struct vg_call *c, struct vg_ipc_args *a)
{
	const struct vg_message *req = c->send_buf;
	uint32_t nwords = vg_msg_nwords(req);
	bool shared = c->send_buf == c->reply_buf;

	if (c->overflow)
		return false;
	if (req->cap_count == 1 && nwords <= VG_INLINE_WORDS &&
	    vg_msg_len(req) == nwords * sizeof(uint64_t)) {
		a->flags |= VG_IPC_SEND_INLINE | VG_IPC_INLINE_WORDS(nwords) |
		    VG_IPC_INLINE_CAP;
		a->inline_cap = req->caps[0];
		for (uint32_t i = 0; i < nwords; i++)
			a->inline_words[i] = vg_msg_word(req, i);
	} else if (shared) {
		if (c->nslots > 0)
			return false;
		return true;	/* the reply overwrites the request */
	}
	vg_msg_preload(c->reply_buf, c->slot, c->nslots);
	return true;
}

enum vg_err
vg_call_kernel(struct vg_call *c, vg_addr_t target)
{
	struct vg_ipc_args a = {
		.flags = VG_IPC_RECEIVE | VG_IPC_SEND | VG_IPC_RETURN,
		.recv_messenger = c->reply,
		.target = target,
		.send_messenger = c->send,
	};
	enum vg_err err;
	bool inline_req;

	if (c->async)
		return vg_call(c, target);
	if (!prepare(c, &a))
		return VG_ERR_INVALID;
	inline_req = (a.flags & VG_IPC_SEND_INLINE) != 0;
	err = vg_ipc(&a);
	if (err != VG_OK)
		return err;
	/* No reply: the page still says what prepare() left there. */
	if (vg_msg_nwords(c->reply_buf) == 0 ||
	    (!inline_req && c->send_buf == c->reply_buf &&
	    c->reply_buf->cap_count != 0))
		return VG_ERR_INVALID;
	return (enum vg_err)vg_msg_word(c->reply_buf, 0);
}

enum vg_err
vg_call(struct vg_call *c, vg_addr_t target)
{
	struct vg_ipc_args a = {
		.flags = VG_IPC_RECEIVE | VG_IPC_RECEIVE_ACTIVATE |
		    VG_IPC_RECEIVE_SET_THREAD_TO_CALLER |
		    VG_IPC_SEND | VG_IPC_SEND_ACTIVATE |
		    VG_IPC_SEND_SET_THREAD_TO_CALLER,
		.recv_messenger = c->reply,
		.target = target,
		.send_messenger = c->send,
	};
	enum vg_err err;
	bool nested = vg_in_activation();

	if (c->send_buf == c->reply_buf || !prepare(c, &a))
		return VG_ERR_INVALID;
	c->done = 0;
	c->error = VG_OK;
	/*
	 * In activated mode activations only queue: return at once and
	 * collect them here (see vg_activation_poll).
	 */
	if (nested)
		a.flags |= VG_IPC_RETURN;
	err = vg_ipc(&a);
	if (err != VG_OK)
		return err;
	/* Suspended until an activation: it may be another messenger's. */
	while (!c->done) {
		if (nested)
			vg_activation_poll();
		else
			vg_wait_nonzero(&c->done);
	}
	if (c->error != VG_OK)
		return (enum vg_err)c->error;
	if (vg_msg_nwords(c->reply_buf) == 0)
		return VG_ERR_INVALID;
	return (enum vg_err)vg_msg_word(c->reply_buf, 0);
}

uint64_t
vg_call_result(const struct vg_call *c, uint32_t i)
{
	return vg_msg_word(c->reply_buf, i);
}

uint32_t
vg_call_nresults(const struct vg_call *c)
{
	return vg_msg_nwords(c->reply_buf);
}

bool
vg_call_cap_arrived(const struct vg_call *c, uint32_t i)
{
	return vg_msg_cap_arrived(c->reply_buf, i);
}
