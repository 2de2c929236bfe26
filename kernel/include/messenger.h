/*
 * Messengers (DESIGN.md section 4): message buffers as kernel objects.
 *
 * A messenger is blocked (not receiving) or unblocked.  Sending to a
 * blocked messenger queues the sender on it; unblocking it delivers the
 * first queued sender at once; every delivery blocks the receiver again.
 * All queues are intrusive, FIFO and O(1): a messenger holds the links of
 * the queue it heads (senders waiting for it), of the queue it sits on
 * (as a sender), and of its thread's activation queue.
 *
 * A messenger can carry a message built by the kernel (a method's reply),
 * whose capabilities are values rather than addresses; that is how a
 * reply to a blocked reply messenger waits without any allocation.
 *
 * Invariants:
 *  - an unblocked messenger has no queued senders;
 *  - a messenger is on at most one wait queue (TARGET says which) and on
 *    at most one activation queue (ACT_THREAD says which);
 *  - destroying a messenger unlinks it from both and tells every sender
 *    queued on it (VG_ERR_DESTROYED activation).
 *
 * The slots come first so that address translation can index a messenger
 * without knowing the rest of its layout.
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

#include "storage.h"

struct thread;

/* A kernel-built message: at most this many words and capabilities. */
#define KMSG_WORDS	8
#define KMSG_CAPS	2

/* Kernel-private state bits (messenger.kflags). */
enum messenger_kflags {
	MSGR_KMSG = 1u << 0,	/* carries a kernel-built message */
};

struct messenger {
	struct vg_cap slot[VG_OBJECT_SLOTS];	/* enum vg_messenger_slot */
	uint64_t id;				/* user-visible */
	uint32_t flags;				/* enum vg_messenger_flags */
	uint32_t kflags;			/* enum messenger_kflags */

	/* Senders queued on this messenger, oldest first. */
	struct messenger *wait_head;
	struct messenger *wait_tail;
	uint32_t wait_count;
	uint32_t reserved;

	/* As a sender: the messenger this one is queued on, and links. */
	struct messenger *target;
	struct messenger *wait_next;
	struct messenger *wait_prev;

	/* Its pending activation of a thread, and links on that queue. */
	struct thread *act_thread;
	struct messenger *act_next;
	struct messenger *act_prev;
	uint32_t act_reason;			/* vg_activation_reason bits */
	int32_t act_error;

	/*
	 * The inline message.  Sending: the words and the capability
	 * address given to vg_ipc.  Receiving: the words and the slot
	 * address the capability is stored at.
	 */
	uint64_t inline_words[VG_INLINE_WORDS];
	vg_addr_t inline_cap;
	uint8_t inline_nwords;
	uint8_t inline_ncaps;
	uint8_t send_inline;			/* the message to send is inline */
	uint8_t reserved2;
	uint32_t inline_cap_void;		/* receipt: cap arrived void */

	/* The kernel-built message it carries (MSGR_KMSG). */
	uint8_t kmsg_nwords;
	uint8_t kmsg_ncaps;
	uint8_t reserved3[6];
	uint64_t kmsg_words[KMSG_WORDS];
	struct vg_cap kmsg_caps[KMSG_CAPS];
};

_Static_assert(sizeof(struct messenger) <= FRAME_SIZE,
    "a messenger fits a frame");

/* The messenger CAP designates, through a weak or a strong capability. */
struct messenger *messenger_lookup(const struct vg_cap *cap);

/*
 * Send SRC's message to DST: deliver it now if DST is unblocked, else
 * queue SRC on DST -- or, if NONBLOCKING, fail with VG_ERR_WOULDBLOCK.
 * Requires: SRC is not queued.
 */
enum vg_err messenger_send(struct messenger *src, struct messenger *dst,
    bool nonblocking);

/*
 * The receive phase for M: deliver its first queued sender, or unblock
 * it -- or, if NONBLOCKING and nothing is queued, VG_ERR_WOULDBLOCK.
 */
enum vg_err messenger_receive(struct messenger *m, bool nonblocking);

/* Stop M receiving. */
void messenger_block(struct messenger *m);

/*
 * Withdraw M's pending send (and any kernel message it carries); its
 * thread gets an error activation with ERR.  False if nothing was pending.
 */
bool messenger_cancel(struct messenger *m, enum vg_err err);

/* Object hooks (object.c): a new messenger is blocked. */
struct folio;
void messenger_init(void *frame, struct folio *f, unsigned index);
void messenger_destroy(void *frame, struct folio **doomed);

/* Deliver SRC's message to DST and block DST (transfer.c). */
void messenger_transfer(struct messenger *src, struct messenger *dst);

#endif /* VG_KERNEL_MESSENGER_H */
