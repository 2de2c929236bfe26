/*
 * Messages and calls (libvg/msg.h).
 */
#include <stdbool.h>
#include <stdint.h>

#include <vg/ipc.h>
#include <vg/utcb.h>

#include <libvg/activation.h>
#include <libvg/msg.h>
#include <libvg/stdio.h>
#include <libvg/syscall.h>

/* --- message helpers ------------------------------------------------------ */

uint64_t
vg_msg_word(const struct vg_message *m, uint32_t i)
{
	const uint8_t *p = vg_msg_data(m) + (uint64_t)i * sizeof(uint64_t);
	uint64_t w = 0;

	if (i >= vg_msg_nwords(m))
		return 0;
	for (unsigned b = 0; b < sizeof(w); b++)
		w |= (uint64_t)p[b] << (8 * b);
	return w;
}

vg_addr_t
vg_msg_cap(const struct vg_message *m, uint32_t i)
{
	if (i >= vg_msg_ncaps(m))
		return VG_ADDR_VOID;
	return m->caps[i];
}

bool
vg_msg_cap_arrived(const struct vg_message *m, uint32_t i)
{
	return i < vg_msg_ncaps(m) && !(m->cap_void & (1u << i));
}

int
vg_msg_put_word(struct vg_message *m, uint64_t w)
{
	return vg_message_append_word(m, w);
}

int
vg_msg_put_words(struct vg_message *m, const uint64_t *w, uint32_t n)
{
	if ((uint64_t)n * sizeof(uint64_t) >
	    vg_message_data_max(m->cap_count) - m->data_count)
		return -1;
	for (uint32_t i = 0; i < n; i++)
		(void)vg_message_append_word(m, w[i]);
	return 0;
}

int
vg_msg_put_cap(struct vg_message *m, vg_addr_t a)
{
	return vg_message_append_cap(m, a);
}

void
vg_words_from_str(uint64_t *w, uint32_t n, const char *s)
{
	uint32_t i, end = 0;

	for (i = 0; i < n; i++)
		w[i] = 0;
	for (i = 0; i < n * 8; i++) {
		if (end || s[i] == '\0') {
			end = 1;
			continue;
		}
		w[i / 8] |= (uint64_t)(uint8_t)s[i] << (8 * (i % 8));
	}
}

void
vg_words_to_str(const uint64_t *w, uint32_t n, char *buf, uint32_t size)
{
	uint32_t i;

	if (size == 0)
		return;
	for (i = 0; i < n * 8 && i + 1 < size; i++) {
		char c = (char)(w[i / 8] >> (8 * (i % 8)));

		if (c == '\0')
			break;
		buf[i] = c;
	}
	buf[i] = '\0';
}

int
vg_msg_put_str(struct vg_message *m, const char *s)
{
	uint32_t len = 0, words;
	uint8_t *dst;

	while (s[len] != '\0')
		len++;
	words = (len + 7) / 8;
	if ((uint64_t)(1 + words) * 8 >
	    vg_message_data_max(m->cap_count) - m->data_count)
		return -1;
	(void)vg_message_append_word(m, len);
	dst = vg_message_data(m) + m->data_count;
	for (uint32_t i = 0; i < words * 8; i++)
		dst[i] = i < len ? (uint8_t)s[i] : 0;
	m->data_count = (uint16_t)(m->data_count + words * 8);
	return 0;
}

uint32_t
vg_msg_get_str(const struct vg_message *m, uint32_t i, char *buf,
    uint32_t size)
{
	uint32_t nwords = vg_msg_nwords(m);
	uint64_t len;
	const uint8_t *p;
	uint32_t n;

	if (size > 0)
		buf[0] = '\0';
	if (i >= nwords)
		return 0;
	len = vg_msg_word(m, i);
	if (len > (uint64_t)(nwords - i - 1) * 8)
		return 0;
	p = vg_msg_data(m) + (uint64_t)(i + 1) * 8;
	n = (uint32_t)len;
	if (size > 0) {
		uint32_t c = n < size - 1 ? n : size - 1;

		for (uint32_t k = 0; k < c; k++)
			buf[k] = (char)p[k];
		buf[c] = '\0';
	}
	return i + 1 + (n + 7) / 8;
}

void
vg_msg_preload(struct vg_message *m, const vg_addr_t *slots, uint32_t n)
{
	if (n > VG_MESSAGE_CAPS_MAX)
		n = VG_MESSAGE_CAPS_MAX;
	m->cap_count = (uint16_t)n;
	m->data_count = 0;
	m->cap_void = 0;
	for (uint32_t i = 0; i < n; i++)
		m->caps[i] = slots[i];
}

/* --- calls ------------------------------------------------------------------ */

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
