/*
 * The 8254 programmable interval timer: channel 0 as a rate generator
 * (mode 2) on IRQ 0.  The input clock is 1.193182 MHz, so rates below
 * 19 Hz do not fit the 16-bit divisor.
 */
#include "kassert.h"
#include "pic.h"
#include "pit.h"
#include "x86.h"

#define PIT_CH0		0x40
#define PIT_CMD		0x43
#define PIT_INPUT_HZ	1193182u

/* Channel 0, low byte then high byte, mode 2, binary. */
#define PIT_CMD_CH0_RATE	0x34

static unsigned current_hz;

void
pit_init(unsigned hz)
{
	unsigned divisor;

	if (hz == 0 || hz > PIT_INPUT_HZ)
		kpanic("pit_init: rate out of range");
	divisor = (PIT_INPUT_HZ + hz / 2) / hz;
	if (divisor > 0xffff)
		kpanic("pit_init: rate too low for the 16-bit divisor");
	if (divisor < 2)
		divisor = 2;	/* mode 2 does not count from 1 */

	outb(PIT_CMD, PIT_CMD_CH0_RATE);
	outb(PIT_CH0, divisor & 0xff);
	outb(PIT_CH0, divisor >> 8);
	current_hz = hz;
	pic_unmask(0);
}

unsigned
pit_hz(void)
{
	return current_hz;
}
