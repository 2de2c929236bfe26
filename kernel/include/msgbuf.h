/*
 * Reading a messenger's outgoing message (transfer.c): the one place that
 * knows where a message lives -- buffer page, inline area, or a kernel
 * message -- and clamps what user space wrote there.
 */
#ifndef VG_KERNEL_MSGBUF_H
#define VG_KERNEL_MSGBUF_H

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

#endif /* VG_KERNEL_MSGBUF_H */
