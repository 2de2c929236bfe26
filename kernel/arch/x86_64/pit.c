/*
 * The 8254 programmable interval timer (see pit.h).  Both channels are
 * used in mode 0, "interrupt on terminal count": the output rises once,
 * when the count runs out, and stays up; it does not count again until a
 * new count is written.  Channel 2's gate and output are in port 0x61
 * (with the speaker's enable, kept off).
 */
#include <stdbool.h>

#include "kassert.h"
#include "pit.h"
#include "x86.h"

#define PIT_CH0		0x40
#define PIT_CH2		0x42
#define PIT_CMD		0x43
#define PIT_PORTB	0x61
#define PORTB_GATE2	0x01	/* channel 2 counts */
#define PORTB_SPEAKER	0x02	/* channel 2 drives the speaker */
#define PORTB_OUT2	0x20	/* channel 2's output */

/* Channel N, low byte then high byte, mode 0, binary. */
#define PIT_CMD_CH0_ONESHOT	0x30
#define PIT_CMD_CH2_ONESHOT	0xb0

/*
 * Firmware leaves channel 0 periodic (SeaBIOS: 18.2 Hz, mode 3).  With
 * the 8259 masked it interrupts nobody, but QEMU keeps a timer for it
 * all the same, which wakes QEMU every 55 ms of virtual time and, under
 * -icount with sleep=off, cuts every jump of a halted processor's clock
 * at its deadline.  A count of 1 in mode 0 ends at once and does not
 * start again: QEMU then keeps no timer for channel 0 at all.
 */
void
pit_stop(void)
{
	outb(PIT_CMD, PIT_CMD_CH0_ONESHOT);
	outb(PIT_CH0, 1);
	outb(PIT_CH0, 0);
}

void
pit_delay_start(unsigned us)
{
	uint64_t count = ((uint64_t)us * PIT_INPUT_HZ + 500000) / 1000000;

	if (count == 0 || count > 0xffff)
		kpanic("pit_delay_start: out of the 16-bit count");
	/* Gate up first: in mode 0 the count starts when it is written. */
	outb(PIT_PORTB, (uint8_t)((inb(PIT_PORTB) & ~PORTB_SPEAKER) |
	    PORTB_GATE2));
	outb(PIT_CMD, PIT_CMD_CH2_ONESHOT);
	outb(PIT_CH2, (uint8_t)count);
	outb(PIT_CH2, (uint8_t)(count >> 8));
}

bool
pit_delay_over(void)
{
	return (inb(PIT_PORTB) & PORTB_OUT2) != 0;
}
