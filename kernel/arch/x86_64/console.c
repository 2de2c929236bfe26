/*
 * The serial console on COM1 (a 16550 UART): polled output only, with
 * "\n" sent as "\r\n".  Safe to call with interrupts disabled and from
 * trap and panic paths; there is no lock (one CPU, no preemption inside
 * the kernel).
 */
#include <stddef.h>
#include <stdint.h>

#include "arch.h"
#include "console.h"
#include "x86.h"

#define COM1		0x3f8
#define UART_DATA	0	/* THR / RBR; DLL when DLAB = 1 */
#define UART_IER	1	/* interrupt enable; DLM when DLAB = 1 */
#define UART_FCR	2	/* FIFO control */
#define UART_LCR	3	/* line control */
#define UART_MCR	4	/* modem control */
#define UART_LSR	5	/* line status */

#define LCR_8N1		0x03
#define LCR_DLAB	0x80
#define LSR_THRE	0x20	/* transmit holding register empty */

/* 115200 baud = 115200 / 1. */
#define BAUD_DIVISOR	1

/* Give up waiting for the UART after this many polls (no COM1 at all). */
#define TX_SPIN_LIMIT	100000

void
console_init(void)
{
	outb(COM1 + UART_IER, 0x00);		/* no UART interrupts */
	outb(COM1 + UART_LCR, LCR_DLAB);
	outb(COM1 + UART_DATA, BAUD_DIVISOR & 0xff);
	outb(COM1 + UART_IER, BAUD_DIVISOR >> 8);
	outb(COM1 + UART_LCR, LCR_8N1);
	outb(COM1 + UART_FCR, 0xc7);		/* FIFOs on, cleared, 14 B */
	outb(COM1 + UART_MCR, 0x03);		/* DTR, RTS; OUT2 (IRQ) off */
}

static void
serial_putc(char c)
{
	for (int i = 0; i < TX_SPIN_LIMIT; i++) {
		if (inb(COM1 + UART_LSR) & LSR_THRE)
			break;
		__asm__ volatile("pause");
	}
	outb(COM1 + UART_DATA, (uint8_t)c);
}

void
arch_console_write(const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		if (s[i] == '\n')
			serial_putc('\r');
		serial_putc(s[i]);
	}
}
