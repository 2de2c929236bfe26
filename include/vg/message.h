/*
 * vg public ABI: the message format.
 *
 * A message is a count of capability addresses, a count of data bytes,
 * the addresses, then the data, all in one 4 KiB page: the buffer page of
 * a messenger (docs/design.md §4).  A sender fills in its buffer page;
 * the kernel reads it when the message is delivered.  A receiver loads its
 * buffer page with the addresses of the slots where arriving capabilities
 * are to be stored; on delivery the kernel overwrites the counts, keeps
 * those addresses, writes the data after the arrived ones, and sets one
 * bit of cap_void for every capability that arrived as void.
 *
 * Small messages need no page: VG_INLINE_WORDS words and VG_INLINE_CAPS
 * capability address travel inline, in the messenger itself.
 */
#ifndef VG_MESSAGE_H
#define VG_MESSAGE_H

#include <stdint.h>

#include <vg/addr.h>

#define VG_MESSAGE_SIZE		4096u	/* one page */
#define VG_MESSAGE_CAPS_MAX	32u	/* capability addresses per message */
#define VG_INLINE_WORDS		4u	/* data words of an inline message */
#define VG_INLINE_CAPS		1u	/* capabilities of an inline message */

struct vg_message {
	uint16_t cap_count;	/* capability addresses that follow */
	uint16_t data_count;	/* bytes of data after the addresses */
	uint32_t cap_void;	/* on receipt: bit i set if cap i arrived void */
	vg_addr_t caps[];	/* cap_count addresses, then data_count bytes */
};

_Static_assert(sizeof(struct vg_message) == 8, "message header is 8 bytes");

/* Bytes of data a message with NCAPS capabilities can hold. */
static inline uint32_t
vg_message_data_max(uint32_t ncaps)
{
	if (ncaps > VG_MESSAGE_CAPS_MAX)
		return 0;
	return VG_MESSAGE_SIZE - (uint32_t)sizeof(struct vg_message) -
	    ncaps * (uint32_t)sizeof(vg_addr_t);
}

/* The data of MSG: right after its capability addresses. */
static inline uint8_t *
vg_message_data(struct vg_message *msg)
{
	return (uint8_t *)&msg->caps[msg->cap_count];
}

/* Empty MSG. */
static inline void
vg_message_clear(struct vg_message *msg)
{
	msg->cap_count = 0;
	msg->data_count = 0;
	msg->cap_void = 0;
}

/*
 * Append capability address ADDR; existing data moves up.  Returns 0, or
 * -1 if the message has no room left.
 */
static inline int
vg_message_append_cap(struct vg_message *msg, vg_addr_t addr)
{
	uint8_t *data = vg_message_data(msg);
	uint32_t i;

	if (msg->cap_count >= VG_MESSAGE_CAPS_MAX ||
	    msg->data_count > vg_message_data_max(msg->cap_count + 1u))
		return -1;
	for (i = msg->data_count; i-- > 0;)
		data[i + sizeof(vg_addr_t)] = data[i];
	msg->caps[msg->cap_count++] = addr;
	return 0;
}

/* Append N bytes of DATA.  Returns 0, or -1 if they do not fit. */
static inline int
vg_message_append_data(struct vg_message *msg, const void *data, uint32_t n)
{
	uint8_t *dst = vg_message_data(msg) + msg->data_count;
	const uint8_t *src = data;
	uint32_t i;

	if (n > vg_message_data_max(msg->cap_count) - msg->data_count)
		return -1;
	for (i = 0; i < n; i++)
		dst[i] = src[i];
	msg->data_count = (uint16_t)(msg->data_count + n);
	return 0;
}

/* Append the word W.  Returns 0, or -1 if it does not fit. */
static inline int
vg_message_append_word(struct vg_message *msg, uint64_t w)
{
	return vg_message_append_data(msg, &w, sizeof(w));
}

/* Data word I of MSG, or 0 if the message is shorter. */
static inline uint64_t
vg_message_word(struct vg_message *msg, uint32_t i)
{
	const uint8_t *p = vg_message_data(msg) + i * sizeof(uint64_t);
	uint64_t w = 0;
	uint32_t b;

	if ((i + 1u) * sizeof(uint64_t) > msg->data_count)
		return 0;
	for (b = 0; b < sizeof(w); b++)
		w |= (uint64_t)p[b] << (8 * b);
	return w;
}

#endif /* VG_MESSAGE_H */
