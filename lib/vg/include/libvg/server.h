/*
 * libvg: serving requests at user level.
 *
 * A receiver is a messenger that clients hold rmessenger capabilities
 * to.  Its buffer page is loaded with the slots where a request's
 * capabilities are to be stored (slot 0: the reply messenger the client
 * names as capability 0), and it receives with activation.  When a
 * request arrives the thread is activated; the dispatcher calls SERVE in
 * activated mode with the request, SERVE answers with vg_reply_*, and the
 * receiver is re-armed for the next request (a request that queued
 * meanwhile is delivered at once and its activation collected).
 *
 * Replies go out from the receiver's own send messenger, non-blocking:
 * a client that is not waiting for its reply does not hold the server.
 */
#ifndef LIBVG_SERVER_H
#define LIBVG_SERVER_H

#include <stdint.h>

#include <vg/addr.h>
#include <vg/error.h>
#include <vg/message.h>

#include <libvg/activation.h>
#include <libvg/msg.h>

#define VG_RECEIVER_SLOTS	4	/* capabilities a request can carry */

struct vg_receiver;
typedef void vg_serve_fn(struct vg_receiver *r, const struct vg_message *req,
    const struct vg_activation *a);

struct vg_receiver {
	struct vg_act_handler on_request;	/* id of MSGR */
	struct vg_act_handler on_reply;		/* id of RSEND */
	const char *name;
	vg_addr_t msgr;			/* strong: receives requests */
	vg_addr_t weak;			/* an rmessenger to it, to give away */
	struct vg_message *buf;		/* its buffer page */
	vg_addr_t slot[VG_RECEIVER_SLOTS];
	uint32_t nslots;
	vg_addr_t rsend;		/* sends the replies */
	struct vg_message *rbuf;
	vg_serve_fn *serve;
	void *cookie;
	uint64_t requests;		/* served, ever */
	int trace;			/* log requests and replies */
};

/*
 * Create R: its messenger, an rmessenger to it (R->weak), its reply
 * messenger, their buffer pages, and a slot for the reply capability.
 * SLOTS (N of them, at most VG_RECEIVER_SLOTS - 1) are where request
 * capabilities 1..N go.  Does not arm it.
 */
enum vg_err vg_receiver_create(struct vg_receiver *r, const char *name,
    const vg_addr_t *slots, uint32_t n, vg_serve_fn *serve, void *cookie);

/* Load the slots and receive (with activation): ready for a request. */
enum vg_err vg_receiver_arm(struct vg_receiver *r);

/* Start the reply to the current request with ERR as word 0. */
struct vg_message *vg_reply_begin(struct vg_receiver *r, enum vg_err err);
/* Send it to the reply messenger the request named.  With a DELIVERED
 * activation when it arrives. */
enum vg_err vg_reply_send(struct vg_receiver *r);

#endif /* LIBVG_SERVER_H */
