/*
 * Moving a message: words and capabilities from a sender to a receiver
 * (transfer.c; docs/design.md §4, "Capability transfer").
 *
 * This is the one place that knows where a messenger's outgoing message
 * lives -- its buffer page, its inline send area, a kernel-built reply or
 * a virtualization request -- and where an incoming one goes, and it
 * clamps everything user space wrote there.  It also resolves a
 * message's capabilities: each source address in the sender's space,
 * each target slot in the receiver's.  Where a walk meets a virtualized
 * level it stops and says where (the caller suspends the delivery in the
 * continuation machine, continuation.h); it never sends anything itself.
 */
#ifndef VG_KERNEL_TRANSFER_H
#define VG_KERNEL_TRANSFER_H

#include <stdbool.h>
#include <stdint.h>

#include <vg/addr.h>
#include <vg/cap.h>
#include <vg/message.h>

#include "as.h"
#include "messenger_object.h"

struct messenger;

struct msg_source {
	const uint8_t *data;
	uint32_t len;
	uint32_t ncaps;
	vg_addr_t addr[VG_MESSAGE_CAPS_MAX];	/* in the sender's space */
	const struct vg_cap *values;		/* or: capabilities by value */
};

/* The message SRC would send now. */
void msg_source_of(struct messenger *src, struct msg_source *s);

/* M's buffer page, if its BUFFER slot holds a page (or, unless WRITE, an
 * rpage). */
struct vg_message *msg_buffer_page(struct messenger *m, bool write);

/*
 * Where a message's capabilities are: N addresses at ADDR (in the
 * sender's space for a source, the receiver's for a target), or, for a
 * kernel-built message, N values at VALUE.  ADDR points into the message
 * as the user wrote it: read each address once, when it is used.
 */
struct msg_caps {
	const vg_addr_t *addr;
	const struct vg_cap *value;
	uint32_t n;
};

/* The capabilities of the message SRC would send now. */
void msg_source_caps(struct messenger *src, struct msg_caps *c);

/* How many capabilities DST can receive (msg_target_slots), and where
 * they go as its buffer page or inline area says now (msg_target_caps:
 * the inline area names one slot, even if void). */
uint32_t msg_target_slots(struct messenger *dst);
void msg_target_caps(struct messenger *dst, struct msg_caps *c);

/*
 * Finish delivering SRC's message to DST: copy the data, record that N
 * capabilities arrived (CAP_VOID: which of them void), block DST, end its
 * reservation, and activate whoever asked to be.
 */
void msg_commit(struct messenger *src, struct messenger *dst, uint32_t n,
    uint32_t cap_void);

/*
 * Begin delivering SRC's message, which has capabilities, to DST, which
 * can receive SLOTS of them: DST is reserved for SRC and blocked at once.
 */
void transfer_begin(struct messenger *src, struct messenger *dst,
    struct delivery *d, uint32_t slots);

/*
 * Resolve D's capabilities from where D stands.  R_IN, if not NULL, is the
 * result of the current step's walk as a virtualizer's answer produced it;
 * STORED says that the answer was a virtualizer's "stored" for the current
 * target slot.  If SUSPEND, a walk that meets a virtualized level stops
 * there: false is returned and *AT is the walk to suspend on (an INDEX
 * request for a source, a STORE for a target slot, as D's stage says).
 * Otherwise such a capability arrives void.  True when every capability
 * is resolved (D's stage is DELIVERY_RESOLVED): the caller commits.
 */
bool transfer_run(struct messenger *src, struct delivery *d,
    const struct as_result *r_in, bool stored, bool suspend,
    struct as_result *at);

#endif /* VG_KERNEL_TRANSFER_H */
