/*
 * Proxies: messengers of mine that stand for the capabilities the
 * tracee invokes, and the forwarding behind them.
 *
 * A target proxy is made for one send (vroot.c answers the target's
 * INDEX with it).  When the message arrives:
 *
 *  - the real capability is a kernel object: the call is made from my
 *    own messengers with my reply messenger as capability 0 (the kernel
 *    answers at once), logged, and the reply -- words and capabilities
 *    -- relayed to the tracee's capability 0;
 *  - it is an rmessenger (a server): the message is forwarded as it is,
 *    except that capability 0, if it is a messenger, is replaced by a
 *    return proxy: the first message that arrives there is logged as
 *    the reply and forwarded to the real capability 0.
 *
 * Nothing waits: every step runs in the activation handler, sends go
 * from a pool of senders that are busy until the kernel reports them
 * delivered, and a proxy whose capabilities a queued send still names
 * stays taken until then.
 */
#include "rpctrace.h"

/* A free sender, for invocation SEQ's message of kind JOB. */
static struct sender *
sender_take(enum sender_job job, uint64_t seq)
{
	for (unsigned i = 0; i < NSENDERS; i++)
		if (!tr.sender[i].busy) {
			tr.sender[i].busy = true;
			tr.sender[i].release = NULL;
			tr.sender[i].job = job;
			tr.sender[i].seq = seq;
			return &tr.sender[i];
		}
	return NULL;
}

static const char *
job_name(enum sender_job job)
{
	return job == SENDER_FORWARD ? "forward" : "relay";
}

static void
on_sender(struct vg_act_handler *h, const struct vg_activation *a)
{
	struct sender *s = (struct sender *)(void *)h;
	uint64_t ts = event_now();

	if (!(a->reason & (VG_ACTIVATION_DELIVERED | VG_ACTIVATION_ERROR)))
		return;
	if (a->reason & VG_ACTIVATION_ERROR) {
		printf("rpctrace: a forwarded message failed: %s\n",
		    vg_strerror((enum vg_err)a->error));
		event_failed(ts, s->seq, job_name(s->job),
		    vg_strerror((enum vg_err)a->error));
	} else {
		event_delivered(ts, s);
	}
	if (s->release != NULL)
		proxy_free(s->release);
	s->release = NULL;
	s->busy = false;
}

/* Send S's page to TARGET (my space); S is busy until delivered. */
static enum vg_err
sender_send(struct sender *s, vg_addr_t target)
{
	struct vg_ipc_args a = {
		.flags = VG_IPC_SEND | VG_IPC_SEND_ACTIVATE | VG_IPC_RETURN,
		.target = target,
		.send_messenger = s->m,
	};
	uint64_t ts = event_now();
	enum vg_err err = vg_ipc(&a);

	if (err != VG_OK) {
		event_failed(ts, s->seq, job_name(s->job), vg_strerror(err));
		if (s->release != NULL)
			proxy_free(s->release);
		s->release = NULL;
		s->busy = false;
		return err;
	}
	event_sent(ts, s);
	return VG_OK;
}

struct proxy *
proxy_take(enum proxy_kind kind)
{
	for (unsigned i = 0; i < NPROXIES; i++)
		if (tr.proxy[i].kind == PROXY_FREE) {
			tr.proxy[i].kind = kind;
			return &tr.proxy[i];
		}
	return NULL;
}

void
proxy_free(struct proxy *p)
{
	p->kind = PROXY_FREE;
	p->armed = false;
}

enum vg_err
proxy_arm(struct proxy *p)
{
	struct vg_ipc_args a = {
		.flags = VG_IPC_RECEIVE | VG_IPC_RECEIVE_ACTIVATE |
		    VG_IPC_RETURN,
		.recv_messenger = p->m,
	};

	vg_msg_preload(p->page, p->slot, PROXY_CAPS);
	p->armed = true;
	return vg_ipc(&a);
}

/* Copy the message M into S's page with capability addresses CAPS. */
static void
compose(struct sender *s, const struct vg_message *m, const vg_addr_t *caps)
{
	uint32_t n = vg_msg_ncaps(m), len = vg_msg_len(m);

	vg_message_clear(s->page);
	for (uint32_t i = 0; i < n && i < PROXY_CAPS; i++)
		(void)vg_msg_put_cap(s->page, vg_msg_cap_arrived(m, i) ?
		    caps[i] : VG_ADDR_VOID);
	memcpy((uint8_t *)&s->page->caps[s->page->cap_count],
	    vg_msg_data(m), len);
	s->page->data_count = (uint16_t)len;
}

/* A kernel object: call it, log, relay the reply to capability 0. */
static void
forward_kernel(struct proxy *p, uint64_t seq)
{
	struct vg_runtime *rt = vg_self();
	const struct vg_message *m = p->page;
	struct vg_call *c = &tr.fwd;
	struct sender *s = sender_take(SENDER_RELAY, seq);
	bool reply_to = vg_msg_cap_arrived(m, 0);
	struct trace_result res;
	enum vg_err err;
	uint64_t ts;

	if (s == NULL) {
		printf("rpctrace: %lu: no sender left; the call is dropped\n",
		    (unsigned long)seq);
		event_failed(event_now(), seq, "call", "no sender left");
		proxy_free(p);
		return;
	}
	vg_call_begin(c, vg_msg_word(m, 0));
	for (uint32_t i = 1; i < vg_msg_nwords(m); i++)
		vg_call_word(c, vg_msg_word(m, i));
	for (uint32_t i = 1; i < vg_msg_ncaps(m) && i < PROXY_CAPS; i++)
		vg_call_cap(c, vg_msg_cap_arrived(m, i) ? p->slot[i] :
		    VG_ADDR_VOID);
	for (uint32_t i = 0; i < VG_CALL_SLOTS; i++)
		vg_call_expect(c, s->slot[i]);
	err = vg_call_kernel(c, p->real);
	ts = event_now();
	if (err != VG_OK && vg_call_nresults(c) == 0) {
		/* The call itself failed: say so as the object would. */
		vg_message_clear(c->reply_buf);
		(void)vg_message_append_word(c->reply_buf, (uint64_t)err);
	}
	trace_reply(seq, c->reply_buf, s->slot, &res);
	event_reply(ts, seq, &res);

	if (reply_to)
		err = vg_as_copy(vg_kcall(), rt->self_root, p->c0w, p->slot[0],
		    VG_CAP_COPY_WEAKEN, (struct vg_cap_translator){ 0 });
	if (!reply_to || err != VG_OK) {
		if (reply_to)
			event_failed(event_now(), seq, "relay",
			    vg_strerror(err));
		s->busy = false;
		proxy_free(p);
		return;
	}
	compose(s, c->reply_buf, s->slot);
	err = sender_send(s, p->c0w);
	if (err != VG_OK)
		printf("rpctrace: %lu: cannot relay the reply: %s\n",
		    (unsigned long)seq, vg_strerror(err));
	proxy_free(p);
}

/* Forward P's message to DST as it is, capability 0 replaced by C0:
 * JOB says whether it is a message or a reply. */
static void
forward_message(struct proxy *p, uint64_t seq, vg_addr_t dst, vg_addr_t c0,
    enum sender_job job)
{
	struct sender *s = sender_take(job, seq);
	vg_addr_t caps[PROXY_CAPS];
	enum vg_err err;

	if (s == NULL) {
		printf("rpctrace: %lu: no sender left; the message is "
		    "dropped\n", (unsigned long)seq);
		event_failed(event_now(), seq, job_name(job),
		    "no sender left");
		proxy_free(p);
		return;
	}
	for (unsigned i = 0; i < PROXY_CAPS; i++)
		caps[i] = p->slot[i];
	caps[0] = c0;
	compose(s, p->page, caps);
	s->release = p;		/* its slots are read when it is delivered */
	err = sender_send(s, dst);
	if (err != VG_OK)
		printf("rpctrace: %lu: cannot forward: %s\n",
		    (unsigned long)seq, vg_strerror(err));
}

/* A server: wrap capability 0 in a return proxy, forward. */
static void
forward_server(struct proxy *p, uint64_t seq)
{
	struct vg_runtime *rt = vg_self();
	vg_addr_t c0 = p->slot[0];
	enum vg_type t = VG_TYPE_VOID;
	struct proxy *r = NULL;

	tr.to_servers++;
	if (vg_msg_cap_arrived(p->page, 0))
		(void)vg_as_read(vg_kcall(), rt->self_root, p->slot[0], &t,
		    NULL);
	if (t == VG_TYPE_MESSENGER || t == VG_TYPE_RMESSENGER)
		r = proxy_take(PROXY_RETURN);
	if (r != NULL && vg_as_copy(vg_kcall(), rt->self_root, r->real,
	    p->slot[0], VG_CAP_COPY_WEAKEN, (struct vg_cap_translator){ 0 }) ==
	    VG_OK && proxy_arm(r) == VG_OK) {
		r->real_type = VG_TYPE_RMESSENGER;
		r->seq = seq;
		c0 = r->weak;
	} else if (r != NULL) {
		proxy_free(r);
	}
	forward_message(p, seq, p->real, c0, SENDER_FORWARD);
}

static void
on_proxy(struct vg_act_handler *h, const struct vg_activation *a)
{
	struct proxy *p = (struct proxy *)(void *)h;
	uint64_t ts = event_now(), seq;
	struct trace_result res;
	struct trace_call call;

	if (a->reason & VG_ACTIVATION_ERROR)
		printf("rpctrace: error on a proxy: %s\n",
		    vg_strerror((enum vg_err)a->error));
	if (!(a->reason & VG_ACTIVATION_RECEIVED) || !p->armed)
		return;
	p->armed = false;
	if (p->kind == PROXY_RETURN) {
		trace_reply(p->seq, p->page, p->slot, &res);
		event_reply(ts, p->seq, &res);
		forward_message(p, p->seq, p->real, p->slot[0], SENDER_RELAY);
		return;
	}
	if (p->kind != PROXY_TARGET)
		return;
	seq = ++tr.seq;
	trace_request(p, seq, &call);
	event_call(ts, seq, &call);
	if (vg_addr_depth(p->addr) >= 24)
		tr.deep++;
	tr.methods |= 1ull << vg_method_index(vg_msg_word(p->page, 0));
	if (p->real_type == VG_TYPE_RMESSENGER)
		forward_server(p, seq);
	else
		forward_kernel(p, seq);
}

enum vg_err
proxies_init(void)
{
	uint64_t pages = vg_page_alloc(NPROXIES + NSENDERS + 2);
	vg_addr_t fs, fr;
	enum vg_err err;

	if (pages == 0)
		return VG_ERR_NO_STORAGE;
	for (unsigned i = 0; i < NPROXIES; i++) {
		struct proxy *p = &tr.proxy[i];

		p->h = (struct vg_act_handler){ .fn = on_proxy,
		    .name = "rpctrace.proxy" };
		p->page = VG_PTR(pages + (uint64_t)i * VG_PAGE_SIZE);
		for (unsigned k = 0; k < PROXY_CAPS; k++)
			p->slot[k] = trace_slot();
		p->real = trace_slot();
		p->c0w = trace_slot();
		if (vg_addr_is_void(p->c0w))
			return VG_ERR_NO_STORAGE;
		err = vg_messenger_new(&p->m, (uint64_t)(uintptr_t)p->page,
		    vg_act_id(&p->h));
		if (err == VG_OK)
			err = vg_weak_copy(p->m, &p->weak);
		if (err != VG_OK)
			return err;
		vg_act_register(&p->h);
	}
	pages += (uint64_t)NPROXIES * VG_PAGE_SIZE;
	for (unsigned i = 0; i < NSENDERS; i++) {
		struct sender *s = &tr.sender[i];

		s->h = (struct vg_act_handler){ .fn = on_sender,
		    .name = "rpctrace.sender" };
		s->page = VG_PTR(pages + (uint64_t)i * VG_PAGE_SIZE);
		for (unsigned k = 0; k < PROXY_CAPS; k++)
			s->slot[k] = trace_slot();
		if (vg_addr_is_void(s->slot[PROXY_CAPS - 1]))
			return VG_ERR_NO_STORAGE;
		err = vg_messenger_new(&s->m, (uint64_t)(uintptr_t)s->page,
		    vg_act_id(&s->h));
		if (err != VG_OK)
			return err;
		vg_act_register(&s->h);
	}
	pages += (uint64_t)NSENDERS * VG_PAGE_SIZE;
	err = vg_messenger_new(&fs, pages, 0);
	if (err == VG_OK)
		err = vg_messenger_new(&fr, pages + VG_PAGE_SIZE, 0);
	if (err != VG_OK)
		return err;
	vg_call_init(&tr.fwd, "rpctrace.forward", fs, fr, VG_ADDR_VOID,
	    VG_PTR(pages), VG_PTR(pages + VG_PAGE_SIZE));
	return VG_OK;
}
