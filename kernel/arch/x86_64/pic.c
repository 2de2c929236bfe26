/*
 * The 8259A PIC pair in its classic PC wiring: the slave cascades into
 * the master's IRQ 2.  Initialisation uses the standard ICW sequence;
 * afterwards only the masks change.
 */
#include <stdbool.h>
#include <stdint.h>

#include "pic.h"
#include "trap.h"
#include "x86.h"

#define PIC1_CMD	0x20
#define PIC1_DATA	0x21
#define PIC2_CMD	0xa0
#define PIC2_DATA	0xa1

#define ICW1_INIT	0x10
#define ICW1_ICW4	0x01	/* an ICW4 follows */
#define ICW4_8086	0x01
#define OCW2_EOI	0x20	/* non-specific end of interrupt */
#define OCW3_READ_ISR	0x0b

#define CASCADE_IRQ	2

/* The masks as last written (a set bit masks the line). */
static uint8_t mask1 = 0xff, mask2 = 0xff;

void
pic_init(void)
{
	outb(PIC1_DATA, 0xff);
	outb(PIC2_DATA, 0xff);

	outb(PIC1_CMD, ICW1_INIT | ICW1_ICW4);
	io_wait();
	outb(PIC2_CMD, ICW1_INIT | ICW1_ICW4);
	io_wait();
	outb(PIC1_DATA, T_IRQ0);		/* ICW2: vector base */
	io_wait();
	outb(PIC2_DATA, T_IRQ0 + 8);
	io_wait();
	outb(PIC1_DATA, 1 << CASCADE_IRQ);	/* ICW3: slave on IRQ 2 */
	io_wait();
	outb(PIC2_DATA, CASCADE_IRQ);		/* ICW3: slave identity */
	io_wait();
	outb(PIC1_DATA, ICW4_8086);
	io_wait();
	outb(PIC2_DATA, ICW4_8086);
	io_wait();

	mask1 = 0xff;
	mask2 = 0xff;
	outb(PIC1_DATA, mask1);
	outb(PIC2_DATA, mask2);
}

void
pic_unmask(unsigned irq)
{
	if (irq >= 8) {
		mask2 &= (uint8_t)~(1 << (irq - 8));
		outb(PIC2_DATA, mask2);
		irq = CASCADE_IRQ;
	}
	mask1 &= (uint8_t)~(1 << irq);
	outb(PIC1_DATA, mask1);
}

void
pic_mask(unsigned irq)
{
	/* The cascade stays open: the slave's other lines need it. */
	if (irq >= 8) {
		mask2 |= (uint8_t)(1 << (irq - 8));
		outb(PIC2_DATA, mask2);
		return;
	}
	mask1 |= (uint8_t)(1 << irq);
	outb(PIC1_DATA, mask1);
}

void
pic_eoi(unsigned irq)
{
	if (irq >= 8)
		outb(PIC2_CMD, OCW2_EOI);
	outb(PIC1_CMD, OCW2_EOI);
}

bool
pic_spurious(unsigned irq)
{
	uint16_t cmd = irq >= 8 ? PIC2_CMD : PIC1_CMD;

	if ((irq & 7) != 7)
		return false;
	outb(cmd, OCW3_READ_ISR);
	return (inb(cmd) & 0x80) == 0;
}
