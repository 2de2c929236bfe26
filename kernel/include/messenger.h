/*
 * Messengers: sending, queueing, receiving and delivering through them
 * (messenger.c; docs/design.md §4).  A messenger's state is in
 * messenger_object.h.
 *
 * A messenger is blocked (not receiving) or unblocked.  Sending to a
 * blocked messenger queues the sender on it; unblocking it delivers the
 * first queued sender at once; every delivery blocks the receiver again.
 * All queues are intrusive, FIFO and O(1).
 *
 * A send resolves its target (kept, for the next send to the same
 * address), then delivers, queues, or invokes a kernel object
 * (invoke.h).  Delivery moves the words and capabilities (transfer.h).
 * Only where a translation meets a virtualized level does the work enter
 * the continuation machine (continuation.h).
 *
 * Invariants:
 *  - an unblocked messenger has no queued senders unless its own message
 *    is pending (messenger_message_pending): meanwhile nothing is
 *    delivered into it -- its message and capability slots belong to its
 *    send -- but the answer to its own suspended work;
 *  - a messenger is on at most one wait queue (TARGET says which) and on
 *    at most one activation queue (ACT_THREAD says which);
 *  - destroying a messenger unlinks it from both and tells every sender
 *    queued on it (VG_ERR_DESTROYED activation).
 */
#ifndef VG_KERNEL_MESSENGER_H
#define VG_KERNEL_MESSENGER_H

#include <stdbool.h>
#include <stdint.h>

#include <vg/addr.h>
#include <vg/cap.h>
#include <vg/error.h>
#include <vg/message.h>
#include <vg/method.h>

#include "as.h"
#include "messenger_object.h"

/*
 * The send phase after M is loaded with its message: resolve TARGET in
 * M's space and deliver, queue or invoke -- or, if NONBLOCKING and the
 * receiver is blocked, fail with VG_ERR_WOULDBLOCK.  Returns the error if
 * the send failed at once; VG_OK if it is done or suspended (a later
 * failure is reported by an error activation).
 */
enum vg_err messenger_send_to(struct messenger *m, vg_addr_t target,
    bool nonblocking);

/*
 * The same once the target is resolved to R (DST: its messenger, if the
 * caller knows it): used by the continuation machine when an answer
 * resolved it.
 */
enum vg_err messenger_send_resolved(struct messenger *m,
    const struct as_result *r, bool nonblocking, struct messenger *dst);

/*
 * Send SRC's message to DST: deliver it now if DST is unblocked, else
 * queue SRC on DST -- or, if NONBLOCKING, fail with VG_ERR_WOULDBLOCK.
 * Requires: SRC is not queued.
 */
enum vg_err messenger_send(struct messenger *src, struct messenger *dst,
    bool nonblocking);

/*
 * Continue the delivery in SRC's continuation area: R_IN and STORED are
 * as for transfer_run (an answer's result).  Commits it, or suspends it
 * again on the next virtualized level.
 */
void messenger_deliver_resume(struct messenger *src,
    const struct as_result *r_in, bool stored);

/*
 * The receive phase for M: unblock it and deliver its first queued
 * sender -- or, if NONBLOCKING and nothing can be delivered now,
 * VG_ERR_WOULDBLOCK.  While M's own send is pending, the first sender
 * waits for that send to end.
 */
enum vg_err messenger_receive(struct messenger *m, bool nonblocking);

/* Why messenger_receive(M, NONBLOCKING) would fail, with no effect:
 * VG_ERR_BUSY, VG_ERR_WOULDBLOCK, or VG_OK. */
static inline enum vg_err
messenger_receive_check(const struct messenger *m, bool nonblocking)
{
	if (m->reserved_by != NULL)
		return VG_ERR_BUSY;	/* a delivery to it is under way */
	/* Non-blocking: something must be delivered now, and nothing is
	 * while M's own message is pending. */
	if (nonblocking && (m->waiters.head == NULL ||
	    messenger_message_pending(m)))
		return VG_ERR_WOULDBLOCK;
	return VG_OK;
}

/* messenger_receive once messenger_receive_check said VG_OK. */
void messenger_receive_checked(struct messenger *m);

/* M is to get its first waiting sender, if it takes deliveries now
 * (messenger_send_ended). */
void messenger_reopen(struct messenger *m);

/*
 * M's send (or the kernel message it carried, or its suspended work) is
 * over: if deliveries to it waited meanwhile and it is receiving, the
 * first is delivered now.
 */
static inline void
messenger_send_ended(struct messenger *m)
{
	if (m->waiters.head != NULL)
		messenger_reopen(m);
}

/* Stop M receiving. */
void messenger_block(struct messenger *m);

/*
 * Withdraw M's pending send (and any kernel message it carries); its
 * thread gets an error activation with ERR.  False if nothing was pending.
 */
bool messenger_cancel(struct messenger *m, enum vg_err err);

/*
 * Creation and destruction (lifecycle.c): a new messenger is blocked; a
 * destroyed one leaves nothing pointing at it.  Destruction goes in
 * bounded steps, each telling one waiting sender or asker (true once it
 * is complete); it is short if nobody waits on it.
 */
struct folio;
void messenger_init(void *frame, struct folio *f, unsigned index);
bool messenger_destroy_step(void *frame);
bool messenger_destroy_is_short(const struct messenger *m);

/* Take M off the wait queue it is on. Requires: M is queued. */
void messenger_wait_unlink(struct messenger *m);

#endif /* VG_KERNEL_MESSENGER_H */
