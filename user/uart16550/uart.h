/*
 * The 16550 itself: its registers, and the driver's side of its
 * interrupts.  Every register access is an IOPORT_IN or IOPORT_OUT on
 * the driver's port range (docs/drivers.md).
 */
#ifndef UART_UART_H
#define UART_UART_H

#include <stdbool.h>
#include <stdint.h>

#include <vg/addr.h>
#include <vg/error.h>

#include "ring.h"

#define UART_FIFO	16	/* bytes the transmitter takes at once */
#define UART_CLOCK	115200u	/* the divisor latch's base rate */

struct uart {
	vg_addr_t ports;	/* the range over BASE .. BASE + 7 */
	uint32_t base;
	struct ring rx, tx;
	bool tx_busy;		/* bytes given to the FIFO, its THR-empty
				 * interrupt still to come */
	uint64_t overruns;	/* bytes dropped: RX full, or the UART's */
	uint64_t interrupts;
};

/* Program U's device: BAUD, 8N1, FIFOs, the receive and transmit
 * interrupts, OUT2 (which wires them to the line on a PC). */
enum vg_err uart_init(struct uart *u, uint32_t baud);

/* The line fired: serve every condition the UART has pending, moving
 * bytes between it and the rings. */
void uart_serve(struct uart *u);

/* Queue N bytes at P for sending, CR before each LF as the kernel's
 * console does; how many of the N were taken (all, unless TX is full). */
uint32_t uart_write(struct uart *u, const uint8_t *p, uint32_t n);

/* Has every byte queued left the ring and the FIFO? */
static inline bool
uart_tx_idle(const struct uart *u)
{
	return !u->tx_busy && ring_len(&u->tx) == 0;
}

#endif /* UART_UART_H */
