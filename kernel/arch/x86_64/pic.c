/*
 * The 8259A PIC pair in its classic PC wiring: the slave cascades into
 * the master's IRQ 2.  Initialisation uses the standard ICW sequence and
 * leaves every line masked for good: the IOAPICs take the devices.  The
 * pair still exists, and a line it raised before the masks or a glitch
 * can still reach the processor, on a known vector.
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

void
pic_init(void)
{
	outb(PIC1_DATA, 0xff);
	outb(PIC2_DATA, 0xff);

	outb(PIC1_CMD, ICW1_INIT | ICW1_ICW4);
	io_wait();
	outb(PIC2_CMD, ICW1_INIT | ICW1_ICW4);
	io_wait();
	outb(PIC1_DATA, T_PIC0);		/* ICW2: vector base */
	io_wait();
	outb(PIC2_DATA, T_PIC0 + 8);
	io_wait();
	outb(PIC1_DATA, 1 << CASCADE_IRQ);	/* ICW3: slave on IRQ 2 */
	io_wait();
	outb(PIC2_DATA, CASCADE_IRQ);		/* ICW3: slave identity */
	io_wait();
	outb(PIC1_DATA, ICW4_8086);
	io_wait();
	outb(PIC2_DATA, ICW4_8086);
	io_wait();

	outb(PIC1_DATA, 0xff);
	outb(PIC2_DATA, 0xff);
}

/*
 * IRQ 7 or 15 with nothing in service is the PIC's own spurious
 * interrupt, which takes no EOI on its PIC.
 */
static bool
spurious(unsigned irq)
{
	uint16_t cmd = irq >= 8 ? PIC2_CMD : PIC1_CMD;

	if ((irq & 7) != 7)
		return false;
	outb(cmd, OCW3_READ_ISR);
	return (inb(cmd) & 0x80) == 0;
}

void
pic_stray(unsigned irq)
{
	bool own = spurious(irq);

	if (!own && irq >= 8)
		outb(PIC2_CMD, OCW2_EOI);
	/* The master raised the cascade line even for the slave's
	 * spurious one. */
	if (!own || irq >= 8)
		outb(PIC1_CMD, OCW2_EOI);
}
