/*
 * libvg: channels, the fast way to make small calls.
 *
 * A channel joins two endpoints, typically a client and a server, for
 * messages of at most VG_INLINE_WORDS words and no capability.  Each
 * endpoint has a messenger that receives inline (RECV), one that sends
 * (SEND), and a standing send right to the other end's RECV (PEER),
 * handed over once when the channel is set up.  Since the right to
 * answer is already in place, no message carries a reply capability, and
 * a call is one vg_ipc of the shape the kernel's fast path takes
 * (docs/design.md section 4): receive on my RECV with activation, send
 * the words from SEND to PEER, and wait.  The server's answer is the
 * same call the other way round: reply, and wait for the next request.
 *
 *	client				server
 *	vg_channel_open(&c, ...)	vg_channel_open(&s, ...)
 *	  (give c.recv_weak to the server, s.recv_weak to the client,
 *	   and vg_channel_connect each end to the other's)
 *					vg_channel_listen(&s); wait
 *	vg_channel_call(&c, w, n)  ->	s.in[] holds the request
 *	c.in[] holds the reply     <-	vg_channel_call(&s, reply, m)
 *
 * A server may instead answer from the dispatcher (SERVE, in activated
 * mode) with vg_channel_reply; that takes the general path, since a
 * thread in activated mode cannot wait.
 */
#ifndef LIBVG_CHANNEL_H
#define LIBVG_CHANNEL_H

#include <stdint.h>

#include <vg/addr.h>
#include <vg/error.h>
#include <vg/message.h>

#include <vg/ipc.h>

#include <libvg/activation.h>

struct vg_channel;
typedef void vg_channel_serve_fn(struct vg_channel *ch);

struct vg_channel {
	struct vg_act_handler on_recv;	/* RECV's id is the address of this */
	vg_addr_t send;			/* strong messenger: sends */
	vg_addr_t recv;			/* strong messenger: receives inline */
	vg_addr_t recv_weak;		/* a send right to RECV: the peer's */
	vg_addr_t peer;			/* a send right to the peer's RECV */
	vg_channel_serve_fn *serve;	/* NULL: messages wait for a call */
	struct vg_ipc_args call;	/* the call, built by vg_channel_connect */

	/* The last message received (set by the dispatcher). */
	volatile uint64_t arrived;	/* one since the last call or listen */
	uint64_t received;		/* messages received, ever */
	volatile int32_t error;		/* an ERROR activation's error */
	uint32_t nwords;
	uint64_t in[VG_INLINE_WORDS];
};

/*
 * Set CH up with a handler for its RECV (registered with the
 * dispatcher); SEND, RECV and RECV_WEAK are the caller's to fill, RECV's
 * messenger id being vg_channel_id(CH).  SERVE, if not NULL, is called
 * in activated mode for each message received.
 */
void vg_channel_init(struct vg_channel *ch, const char *name,
    vg_channel_serve_fn *serve);

/* RECV's messenger id. */
static inline uint64_t
vg_channel_id(const struct vg_channel *ch)
{
	return vg_act_id(&ch->on_recv);
}

/* vg_channel_init, and the two messengers and the send right made
 * (vg_messenger_new, no buffer pages). */
enum vg_err vg_channel_open(struct vg_channel *ch, const char *name,
    vg_channel_serve_fn *serve);

/* PEER is the other end's RECV_WEAK: CH is ready for calls. */
void vg_channel_connect(struct vg_channel *ch, vg_addr_t peer);

/*
 * Send the N words at W (N <= VG_INLINE_WORDS) to the peer and wait for
 * its next message, which is in CH->in when this returns VG_OK: a
 * client's call, or a server's reply and wait for the next request.
 * From activated mode it returns to poll for the answer (the general
 * path). Returns vg_ipc's error, an ERROR activation's, or
 * VG_ERR_INVALID if N is too large.
 */
enum vg_err vg_channel_call(struct vg_channel *ch, const uint64_t *w,
    uint32_t n);

/* Receive on RECV, with activation, and return: a server ready for its
 * first request (or a SERVE answer's next one). */
enum vg_err vg_channel_listen(struct vg_channel *ch);

/* Wait until a message has arrived since the last call or listen. */
void vg_channel_wait(struct vg_channel *ch);

/* From SERVE: answer with N words and listen again, in one call. */
enum vg_err vg_channel_reply(struct vg_channel *ch, const uint64_t *w,
    uint32_t n);

#endif /* LIBVG_CHANNEL_H */
