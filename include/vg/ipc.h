/*
 * vg public ABI: the IPC system call.
 *
 * vg_ipc does up to three phases, in order, each optional (docs/design.md
 *  §4).  A phase that fails stops the call: later phases do not run
 * and the error is returned.
 *
 * RECEIVE (VG_IPC_RECEIVE): set RECV_MESSENGER's receive options (the
 *   _ACTIVATE, _INLINE and _SET_* flags; they stick whatever follows),
 *   then unblock it.  If senders are queued on it, the first is delivered
 *   at once (and the messenger is blocked again, as every delivery does).
 *   With VG_IPC_RECEIVE_NONBLOCKING, a messenger with no queued sender is
 *   left as it was and the call fails with VG_ERR_WOULDBLOCK.  A
 *   messenger that a delivery is still being resolved into (section 5 of
 *   the design) fails with VG_ERR_BUSY.
 *
 * SEND (VG_IPC_SEND): SEND_MESSENGER's message is sent by invoking
 *   TARGET.  If TARGET is an rmessenger, the message is delivered to that
 *   messenger now if it is unblocked, and otherwise SEND_MESSENGER is
 *   queued on it (FIFO) -- or, with VG_IPC_SEND_NONBLOCKING, the call fails
 *   with VG_ERR_WOULDBLOCK.  If TARGET is any other capability, the kernel
 *   executes the method the message names (word 0) on that object and
 *   replies to the message's capability 0 (see vg/method.h).  The sending
 *   thread never blocks.  A messenger with a send still in progress fails
 *   with VG_ERR_BUSY.  If resolving TARGET meets a virtualized level, the
 *   call returns VG_OK at once and the send completes when the
 *   virtualizer answers; if it then fails, the send messenger's thread
 *   gets an error activation (VG_ACTIVATION_ERROR) with the error instead
 *   of a return value.
 *
 * RETURN (VG_IPC_RETURN): return to the caller.  Without it the caller is
 *   suspended until its next activation -- unless a phase failed (the
 *   error is returned) or an activation already arrived during the call.
 *   An activation that queues because the thread is in activated mode
 *   wakes it too, so that it can collect it.
 *
 * Where addresses resolve: RECV_MESSENGER and SEND_MESSENGER in the
 * calling thread's address space; TARGET, and every capability address of
 * the message, in the address space of SEND_MESSENGER (its ASPACE slot; the
 * _SET_ASROOT_TO_CALLERS flags copy the caller's root there first).
 */
#ifndef VG_IPC_H
#define VG_IPC_H

#include <stdint.h>

#include <vg/addr.h>
#include <vg/message.h>

enum vg_ipc_flags {
	VG_IPC_RECEIVE = 1u << 0,		/* do the receive phase */
	VG_IPC_RECEIVE_NONBLOCKING = 1u << 1,	/* fail if nothing is queued */
	VG_IPC_RECEIVE_ACTIVATE = 1u << 2,	/* activate its thread on receipt */
	VG_IPC_RECEIVE_SET_THREAD_TO_CALLER = 1u << 3,
	VG_IPC_RECEIVE_SET_ASROOT_TO_CALLERS = 1u << 4,
	VG_IPC_RECEIVE_INLINE = 1u << 5,	/* receive into the inline area */

	VG_IPC_SEND = 1u << 8,			/* do the send phase */
	VG_IPC_SEND_NONBLOCKING = 1u << 9,	/* fail rather than queue */
	VG_IPC_SEND_ACTIVATE = 1u << 10,	/* activate its thread on delivery */
	VG_IPC_SEND_SET_THREAD_TO_CALLER = 1u << 11,
	VG_IPC_SEND_SET_ASROOT_TO_CALLERS = 1u << 12,
	VG_IPC_SEND_INLINE = 1u << 13,		/* send the inline words and cap */

	VG_IPC_RETURN = 1u << 16,		/* return to the caller */

	VG_IPC_FLAGS_ALL = 0x13f3fu
};

/*
 * With VG_IPC_SEND_INLINE: how many inline words and capabilities to send
 * (bits 20..22: words 0..4; bit 24: capability 0..1).
 */
#define VG_IPC_INLINE_WORDS_SHIFT	20
#define VG_IPC_INLINE_WORDS_MASK	(7u << VG_IPC_INLINE_WORDS_SHIFT)
#define VG_IPC_INLINE_WORDS(n)		((uint32_t)(n) << VG_IPC_INLINE_WORDS_SHIFT)
#define VG_IPC_INLINE_CAP		(1u << 24)

/* The arguments of vg_ipc (passed in registers on x86-64). */
struct vg_ipc_args {
	uint32_t flags;			/* enum vg_ipc_flags and inline counts */
	uint32_t reserved;		/* must be zero */
	vg_addr_t recv_messenger;	/* RECEIVE: the messenger to unblock */
	vg_addr_t recv_inline_cap;	/* RECEIVE_INLINE: slot for capability 0 */
	vg_addr_t target;		/* SEND: what to invoke */
	vg_addr_t send_messenger;	/* SEND: the messenger carrying the message */
	uint64_t inline_words[VG_INLINE_WORDS];	/* SEND_INLINE: data words */
	vg_addr_t inline_cap;		/* SEND_INLINE: capability 0's address */
};

#endif /* VG_IPC_H */
