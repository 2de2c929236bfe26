/*
 * Decoding console requests and building READ's reply (request.h).
 */
#include <vg/method.h>

#include "request.h"

/* Data word I (the caller checked that it is there). */
static uint64_t
word(const uint8_t *data, uint32_t i)
{
	uint64_t w = 0;

	for (unsigned b = 0; b < 8; b++)
		w |= (uint64_t)data[i * 8 + b] << (8 * b);
	return w;
}

enum vg_err
console_req_parse(const struct vg_message *m, struct console_req *q)
{
	uint32_t ncaps = m->cap_count, len = m->data_count;
	const uint8_t *data = (const uint8_t *)&m->caps[0];

	*q = (struct console_req){ 0 };
	/* What the kernel's receive wrote is bounded; a page a client
	 * could write is not, so bound it again. */
	if (ncaps > VG_MESSAGE_CAPS_MAX)
		return VG_ERR_INVALID;
	if (len > vg_message_data_max(ncaps))
		len = vg_message_data_max(ncaps);
	data += ncaps * sizeof(vg_addr_t);
	if (len < 8)
		return VG_ERR_METHOD;
	q->method = word(data, 0);
	switch (q->method) {
	case VG_METHOD_CONSOLE_WRITE:
		if (len < VG_CONSOLE_WRITE_DATA)
			return VG_ERR_INVALID;
		q->n = word(data, 1);
		if (q->n > len - VG_CONSOLE_WRITE_DATA)
			return VG_ERR_INVALID;
		q->data = data + VG_CONSOLE_WRITE_DATA;
		return VG_OK;
	case VG_METHOD_CONSOLE_READ:
		if (len < 16)
			return VG_ERR_INVALID;
		q->n = word(data, 1);
		if (q->n == 0 || q->n > VG_CONSOLE_WRITE_MAX)
			return VG_ERR_INVALID;
		return VG_OK;
	case VG_METHOD_CONSOLE_SYNC:
		return VG_OK;
	default:
		return VG_ERR_METHOD;
	}
}

uint32_t
console_read_reply(struct vg_message *m, struct ring *rx, uint64_t max)
{
	uint32_t n = ring_len(rx);
	uint8_t *data;

	if (max > VG_CONSOLE_WRITE_MAX)
		max = VG_CONSOLE_WRITE_MAX;
	if (n > max)
		n = (uint32_t)max;
	vg_message_clear(m);
	(void)vg_message_append_word(m, VG_OK);
	(void)vg_message_append_word(m, n);
	data = vg_message_data(m) + m->data_count;
	n = ring_get(rx, data, n);
	m->data_count += (uint16_t)n;
	return n;
}
