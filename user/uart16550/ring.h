/*
 * A ring buffer of bytes: what the UART driver keeps between its clients
 * and the device, one for each direction.  Free-running indices (their
 * difference is the fill, wrapping included); no locking: the driver
 * touches its rings from its activation handler alone.
 */
#ifndef UART_RING_H
#define UART_RING_H

#include <stdint.h>

#define RING_SIZE	4096u	/* a power of two */

struct ring {
	uint32_t head;		/* where the next byte goes */
	uint32_t tail;		/* where the next byte comes from */
	uint8_t buf[RING_SIZE];
};

static inline uint32_t
ring_len(const struct ring *r)
{
	return r->head - r->tail;
}

static inline uint32_t
ring_space(const struct ring *r)
{
	return RING_SIZE - ring_len(r);
}

/* Append as many of the N bytes at P as fit; how many did. */
uint32_t ring_put(struct ring *r, const uint8_t *p, uint32_t n);
/* Take up to N bytes into P; how many there were. */
uint32_t ring_get(struct ring *r, uint8_t *p, uint32_t n);

#endif /* UART_RING_H */
