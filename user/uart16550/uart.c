/*
 * The 16550 (uart.h).  The transmitter is fed only when the UART asks
 * for it: a THR-empty interrupt means its FIFO is empty, so up to
 * UART_FIFO bytes go in without a look at the line status; the first
 * bytes after it went idle are written the same way.  The receiver is
 * drained on its data-available and timeout interrupts, while the line
 * status says a byte is there.
 */
#include <libvg/libvg.h>

#include "uart.h"

enum {
	UART_RBR = 0,		/* read: receive buffer */
	UART_THR = 0,		/* write: transmit holding register */
	UART_DLL = 0,		/* with LCR_DLAB: the divisor's low byte */
	UART_IER = 1,
	UART_DLM = 1,
	UART_IIR = 2,		/* read: interrupt identification */
	UART_FCR = 2,		/* write: FIFO control */
	UART_LCR = 3,
	UART_MCR = 4,
	UART_LSR = 5,
	UART_MSR = 6,
};

#define IER_RDA		0x01	/* received data available (and timeout) */
#define IER_THRE	0x02	/* transmit holding register empty */
#define IIR_NONE	0x01	/* no interrupt pending */
#define IIR_ID		0x0e
#define IIR_MSR		0x00
#define IIR_THRE	0x02
#define IIR_RDA		0x04
#define IIR_LSR		0x06
#define IIR_TIMEOUT	0x0c
/* FIFOs on and cleared; receive interrupt at 1 byte: a console's reader
 * wants each key as it comes. */
#define FCR_INIT	0x07
#define LCR_8N1		0x03
#define LCR_DLAB	0x80
#define MCR_DTR_RTS	0x03
#define MCR_OUT2	0x08
#define LSR_DR		0x01	/* a received byte is there */
#define LSR_OE		0x02	/* the UART dropped one */

/* An interrupt condition is served at most this often per message: a
 * device gone wrong does not keep the driver forever. */
#define SERVE_MAX	64

static uint32_t
in(struct uart *u, unsigned reg)
{
	uint32_t v = 0;

	(void)vg_ioport_in(vg_kcall(), u->ports, u->base + reg, 1, &v);
	return v;
}

static enum vg_err
out(struct uart *u, unsigned reg, uint32_t v)
{
	return vg_ioport_out(vg_kcall(), u->ports, u->base + reg, 1, v);
}

enum vg_err
uart_init(struct uart *u, uint32_t baud)
{
	uint32_t div = baud != 0 && baud <= UART_CLOCK ? UART_CLOCK / baud : 1;
	enum vg_err err;

	u->tx_busy = false;
	err = out(u, UART_IER, 0);
	if (err != VG_OK)
		return err;
	(void)out(u, UART_LCR, LCR_DLAB);
	(void)out(u, UART_DLL, div & 0xff);
	(void)out(u, UART_DLM, (div >> 8) & 0xff);
	(void)out(u, UART_LCR, LCR_8N1);
	(void)out(u, UART_FCR, FCR_INIT);
	(void)out(u, UART_MCR, MCR_DTR_RTS | MCR_OUT2);
	/* Whatever was pending before us. */
	(void)in(u, UART_LSR);
	(void)in(u, UART_RBR);
	(void)in(u, UART_IIR);
	(void)in(u, UART_MSR);
	/* The THR is empty: enabling its interrupt raises it once, and
	 * the first serve finds the transmitter idle. */
	return out(u, UART_IER, IER_RDA | IER_THRE);
}

/* The FIFO is empty: give it what TX holds, up to its size, in one
 * call (IOPORT_OUTS: the bytes to THR in turn). */
static void
feed(struct uart *u)
{
	uint8_t b[UART_FIFO];
	uint32_t n = ring_get(&u->tx, b, UART_FIFO);

	if (n > 0)
		(void)vg_ioport_outs(vg_kcall(), u->ports, u->base + UART_THR,
		    b, n);
	u->tx_busy = n > 0;
}

static void
receive(struct uart *u)
{
	uint32_t lsr;

	for (int i = 0; i < SERVE_MAX &&
	    ((lsr = in(u, UART_LSR)) & LSR_DR); i++) {
		uint8_t c = (uint8_t)in(u, UART_RBR);

		if (lsr & LSR_OE)
			u->overruns++;
		if (ring_put(&u->rx, &c, 1) == 0)
			u->overruns++;
	}
}

void
uart_serve(struct uart *u)
{
	u->interrupts++;
	for (int i = 0; i < SERVE_MAX; i++) {
		uint32_t iir = in(u, UART_IIR);

		if (iir & IIR_NONE)
			return;
		switch (iir & IIR_ID) {
		case IIR_LSR:
			if (in(u, UART_LSR) & LSR_OE)
				u->overruns++;
			break;
		case IIR_RDA:
		case IIR_TIMEOUT:
			receive(u);
			break;
		case IIR_THRE:
			/* Reading IIR cleared it; feeding sets it again. */
			feed(u);
			break;
		case IIR_MSR:
			(void)in(u, UART_MSR);
			break;
		}
	}
}

uint32_t
uart_write(struct uart *u, const uint8_t *p, uint32_t n)
{
	static const uint8_t crlf[2] = { '\r', '\n' };
	uint32_t i;

	for (i = 0; i < n; i++) {
		if (p[i] == '\n') {
			if (ring_space(&u->tx) < 2)
				break;
			(void)ring_put(&u->tx, crlf, 2);
		} else if (ring_put(&u->tx, &p[i], 1) == 0) {
			break;
		}
	}
	/* Idle: its FIFO is empty and no interrupt will ask; start it. */
	if (!u->tx_busy)
		feed(u);
	return i;
}
