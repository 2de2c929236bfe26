/*
 * Channels (see libvg/channel.h).
 */
#include <stddef.h>

#include <vg/ipc.h>

#include <libvg/channel.h>
#include <libvg/env.h>
#include <libvg/syscall.h>

/* The channel whose on_recv H is. */
static struct vg_channel *
channel_of(struct vg_act_handler *h)
{
	return (struct vg_channel *)(void *)((char *)h -
	    offsetof(struct vg_channel, on_recv));
}

static void
on_recv(struct vg_act_handler *h, const struct vg_activation *a)
{
	struct vg_channel *ch = channel_of(h);
	uint32_t n;

	if (a->reason & VG_ACTIVATION_ERROR) {
		ch->error = a->error;
	} else if (a->reason & VG_ACTIVATION_RECEIVED) {
		n = a->inline_nwords < VG_INLINE_WORDS ? a->inline_nwords :
		    VG_INLINE_WORDS;
		/* All of them: the kernel zeroes those not sent. */
		_Static_assert(VG_INLINE_WORDS == 4, "the words, one by one");
		ch->in[0] = a->inline_words[0];
		ch->in[1] = a->inline_words[1];
		ch->in[2] = a->inline_words[2];
		ch->in[3] = a->inline_words[3];
		ch->nwords = n;
		ch->error = VG_OK;
	} else {
		return;
	}
	ch->received++;
	ch->arrived = 1;
	if (ch->serve != NULL)
		ch->serve(ch);
}

void
vg_channel_init(struct vg_channel *ch, const char *name,
    vg_channel_serve_fn *serve)
{
	*ch = (struct vg_channel){
		.on_recv = { .fn = on_recv, .name = name },
		.send = VG_ADDR_VOID,
		.recv = VG_ADDR_VOID,
		.recv_weak = VG_ADDR_VOID,
		.peer = VG_ADDR_VOID,
		.serve = serve,
	};
	vg_act_register(&ch->on_recv);
}

enum vg_err
vg_channel_open(struct vg_channel *ch, const char *name,
    vg_channel_serve_fn *serve)
{
	enum vg_err err;

	vg_channel_init(ch, name, serve);
	err = vg_messenger_new(&ch->recv, 0, vg_channel_id(ch));
	if (err == VG_OK)
		err = vg_messenger_new(&ch->send, 0, 0);
	if (err == VG_OK)
		err = vg_weak_copy(ch->recv, &ch->recv_weak);
	return err;
}

/* The call's flags without its word count: receive inline on RECV with
 * activation, send inline from SEND to the peer -- the fast path's
 * shape. */
#define CHANNEL_CALL	(VG_IPC_RECEIVE | VG_IPC_RECEIVE_ACTIVATE | \
    VG_IPC_RECEIVE_INLINE | VG_IPC_SEND | VG_IPC_SEND_INLINE)

void
vg_channel_connect(struct vg_channel *ch, vg_addr_t peer)
{
	ch->peer = peer;
	ch->call = (struct vg_ipc_args){
		.flags = CHANNEL_CALL,
		.recv_messenger = ch->recv,
		.target = peer,
		.send_messenger = ch->send,
	};
}

/* CH's call with the N words at W, and EXTRA flags. */
static enum vg_err
exchange(struct vg_channel *ch, const uint64_t *w, uint32_t n,
    uint32_t extra)
{
	struct vg_ipc_args *a = &ch->call;

	if (n > VG_INLINE_WORDS)
		return VG_ERR_INVALID;
	a->flags = CHANNEL_CALL | VG_IPC_INLINE_WORDS(n) | extra;
	for (uint32_t i = 0; i < n; i++)
		a->inline_words[i] = w[i];
	return vg_ipc(a);
}

enum vg_err
vg_channel_call(struct vg_channel *ch, const uint64_t *w, uint32_t n)
{
	enum vg_err err;

	/* In activated mode activations only queue: return at once and
	 * collect them (vg_activation_poll). */
	ch->arrived = 0;
	err = exchange(ch, w, n, vg_in_activation() ? VG_IPC_RETURN : 0);
	if (err != VG_OK)
		return err;
	vg_channel_wait(ch);
	return (enum vg_err)ch->error;
}

enum vg_err
vg_channel_listen(struct vg_channel *ch)
{
	struct vg_ipc_args a = {
		.flags = VG_IPC_RECEIVE | VG_IPC_RECEIVE_ACTIVATE |
		    VG_IPC_RECEIVE_INLINE | VG_IPC_RETURN,
		.recv_messenger = ch->recv,
	};

	ch->arrived = 0;
	return vg_ipc(&a);
}

void
vg_channel_wait(struct vg_channel *ch)
{
	while (ch->arrived == 0) {
		if (vg_in_activation())
			vg_activation_poll();
		else
			vg_wait_nonzero(&ch->arrived);
	}
}

enum vg_err
vg_channel_reply(struct vg_channel *ch, const uint64_t *w, uint32_t n)
{
	ch->arrived = 0;
	return exchange(ch, w, n, VG_IPC_RETURN);
}
