/*
 * The interrupt lines programs may have (arch.h), over the 8259 PIC pair:
 * lines are the ISA IRQs 0..15.  The kernel keeps IRQ 0 (its timer),
 * IRQ 2 (the slave's cascade) and IRQ 4 (COM1, its console, which runs
 * polled); every other line goes to the core's interrupt objects
 * (irq_raise), masked until a driver acknowledges it.  This file alone
 * knows the controller: moving the lines to an IOAPIC changes only it.
 */
#include <stdbool.h>

#include "arch.h"
#include "entry.h"
#include "irq.h"
#include "pic.h"
#include "trap.h"

#define PIC_LINES	16
#define TIMER_IRQ	0
#define CASCADE_IRQ	2
#define CONSOLE_IRQ	4	/* COM1 */

unsigned
arch_irq_lines(void)
{
	return PIC_LINES;
}

bool
arch_irq_available(unsigned line)
{
	return line < PIC_LINES && line != TIMER_IRQ &&
	    line != CASCADE_IRQ && line != CONSOLE_IRQ;
}

void
arch_irq_mask(unsigned line)
{
	pic_mask(line);
}

void
arch_irq_unmask(unsigned line)
{
	pic_unmask(line);
}

void
x86_irq_device(unsigned irq)
{
	if (!arch_irq_available(irq))
		return;		/* the kernel's, masked: never here */
	irq_raise(irq);
	/* A driver woken by its interrupt runs as soon as the scheduler
	 * lets it, not after the time slice. */
	x86_need_resched = true;
}
