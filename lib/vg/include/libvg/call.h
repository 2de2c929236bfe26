/*
 * libvg: calls.
 *
 * struct vg_call is the context of a remote procedure call: a send
 * messenger and a reply messenger, each with a buffer page mapped in the
 * caller's address space.
 *
 * A request is a message whose word 0 is the method and whose capability
 * 0 is the reply messenger (vg/method.h).  The reply's word 0 is an enum
 * vg_err, followed by the results; its capabilities are stored in the
 * slots the caller named in advance (vg_call_expect).
 *
 *	vg_call_begin(c, VG_METHOD_THREAD_ID);
 *	err = vg_call_kernel(c, thread);
 *	id = vg_call_result(c, 1);
 */
#ifndef LIBVG_CALL_H
#define LIBVG_CALL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <vg/addr.h>
#include <vg/error.h>
#include <vg/message.h>

#include <libvg/activation.h>
#include <libvg/msg.h>

#define VG_CALL_SLOTS	4	/* reply capabilities a call can receive */

struct vg_call {
	/* The dispatcher's view: activations of the reply and the send
	 * messenger (their ids are the addresses of these). */
	struct vg_act_handler on_reply;
	struct vg_act_handler on_send;

	vg_addr_t send;			/* strong messenger, in my space */
	vg_addr_t reply;		/* strong messenger, in my space */
	vg_addr_t reply_weak;		/* rmessenger to REPLY: capability 0 of
					 * requests (void: REPLY itself) */
	struct vg_message *send_buf;	/* their buffer pages, mapped */
	struct vg_message *reply_buf;

	/* Where reply capabilities go (vg_call_expect). */
	vg_addr_t slot[VG_CALL_SLOTS];
	uint32_t nslots;
	uint32_t overflow;		/* a request did not fit */

	/* vg_call: set by the dispatcher. */
	volatile uint64_t done;
	volatile int32_t error;		/* an ERROR activation's error */
	uint32_t trace;			/* log the activations of this call */
	bool async;			/* kernel replies may come late
					 * (vg_call_kernel waits as vg_call) */
	const char *name;
};

/* The kernel-call context for the running code (handler or main; kept
 * in the run-time record, self.c). */
struct vg_call *vg_kcall(void);

/*
 * Set up C over messengers SEND and REPLY whose buffer pages are mapped at
 * SEND_BUF and REPLY_BUF.  The messengers' BUFFER slots must already hold
 * those pages (runtime.c creates contexts this way).
 */
void vg_call_init(struct vg_call *c, const char *name, vg_addr_t send,
    vg_addr_t reply, vg_addr_t reply_weak, struct vg_message *send_buf,
    struct vg_message *reply_buf);

/*
 * Start a request for METHOD: capability 0 is the reply messenger, word
 * 0 the method; no reply slots.  Returns the request message.
 */
struct vg_message *vg_call_begin(struct vg_call *c, uint64_t method);

/* Append an argument word / capability address (capability 1, 2, ...). */
void vg_call_word(struct vg_call *c, uint64_t w);
void vg_call_cap(struct vg_call *c, vg_addr_t a);
/* Append N bytes at BUF after the words (CONSOLE_WRITE's text). */
void vg_call_data(struct vg_call *c, const void *buf, size_t n);
/* Reply capability I (in order) is to be stored at SLOT (my space). */
void vg_call_expect(struct vg_call *c, vg_addr_t slot);

/*
 * Invoke the kernel object at TARGET with the request built in C, and
 * return the reply's error (word 0).
 *
 * One system call: RECEIVE on the reply messenger (buffer mode, no
 * activation), SEND from the send messenger, RETURN.  A kernel object
 * executes the method at once, and the reply, sent to the reply
 * messenger that the receive phase has just unblocked, is in its buffer
 * page when vg_ipc returns.  Needs no activation; works in the handler.
 *
 * Returns vg_ipc's error if the call failed, VG_ERR_INVALID if the
 * request did not fit or no reply arrived.
 *
 * A context whose messengers resolve addresses through a virtualized
 * root (C->async: a tracer stands between the program and the kernel
 * objects) is called as vg_call does, since the reply comes when the
 * virtualizer has forwarded the call.
 */
enum vg_err vg_call_kernel(struct vg_call *c, vg_addr_t target);

/*
 * Call TARGET, which may be served by a user-level server: the reply
 * comes later.  One system call: RECEIVE with activation on the reply
 * messenger, SEND (with a DELIVERED activation), no RETURN: the thread is
 * suspended until it is activated.  The dispatcher marks the call done
 * when the reply messenger's activation arrives (or an ERROR one on
 * either messenger), and the thread resumes here.  Returns the reply's
 * word 0, or the error of an ERROR activation.
 */
enum vg_err vg_call(struct vg_call *c, vg_addr_t target);

/* Reply word I (0 is the error), or 0 if the reply is shorter. */
uint64_t vg_call_result(const struct vg_call *c, uint32_t i);
/* Reply words, and whether reply capability I arrived in its slot. */
uint32_t vg_call_nresults(const struct vg_call *c);
bool vg_call_cap_arrived(const struct vg_call *c, uint32_t i);

/* The dispatcher's handlers for a call (used by vg_call_init). */
void vg_call_on_reply(struct vg_act_handler *h, const struct vg_activation *a);
void vg_call_on_send(struct vg_act_handler *h, const struct vg_activation *a);

#endif /* LIBVG_CALL_H */
