/*
 * Reading a messenger's outgoing message (transfer.c): the one place that
 * knows where a message lives -- buffer page, inline area, or a kernel
 * message -- and clamps what user space wrote there.
 */
#ifndef VG_KERNEL_MSGBUF_H
#define VG_KERNEL_MSGBUF_H

#include <stdbool.h>
#include <stdint.h>

#include <vg/addr.h>
#include <vg/cap.h>
#include <vg/message.h>

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
 * Capability I of the message SRC would send now: its value (kernel
 * messages carry values) in *VALUE, else its address in *ADDR.  False if
 * the message has no capability I.  Reads that one address only.
 */
bool msg_source_cap(struct messenger *src, uint32_t i, vg_addr_t *addr,
    const struct vg_cap **value);

/* How many capabilities DST can receive, and where capability I goes (in
 * DST's space), as its buffer page or inline area says now. */
uint32_t msg_target_slots(struct messenger *dst);
vg_addr_t msg_target_addr(struct messenger *dst, uint32_t i);

/*
 * Finish delivering SRC's message to DST: copy the data, record that N
 * capabilities arrived (CAP_VOID: which of them void), block DST, end its
 * reservation, and activate whoever asked to be.
 */
void msg_commit(struct messenger *src, struct messenger *dst, uint32_t n,
    uint32_t cap_void);

#endif /* VG_KERNEL_MSGBUF_H */
