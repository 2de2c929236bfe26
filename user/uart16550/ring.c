/*
 * The driver's ring buffers (ring.h).
 */
#include "ring.h"

uint32_t
ring_put(struct ring *r, const uint8_t *p, uint32_t n)
{
	uint32_t space = ring_space(r);

	if (n > space)
		n = space;
	for (uint32_t i = 0; i < n; i++)
		r->buf[(r->head + i) & (RING_SIZE - 1)] = p[i];
	r->head += n;
	return n;
}

uint32_t
ring_get(struct ring *r, uint8_t *p, uint32_t n)
{
	uint32_t len = ring_len(r);

	if (n > len)
		n = len;
	for (uint32_t i = 0; i < n; i++)
		p[i] = r->buf[(r->tail + i) & (RING_SIZE - 1)];
	r->tail += n;
	return n;
}
