/*
 * The interrupt lines programs may have (arch.h), over the IOAPICs:
 * line N is GSI N, for the GSIs the IOAPICs have (up to T_NGSIS).  The
 * kernel keeps the lines of ISA IRQ 0 (the PIT, stopped; its GSI is 2
 * on a PC), of ISA IRQ 4 (COM1, its console, which runs polled) and
 * GSI 0 (the 8259's ExtINT wire); every other line goes to the core's
 * interrupt objects (irq_raise), masked until a driver acknowledges
 * it.  An ISA device's line is its IRQ's GSI (the MADT's overrides,
 * docs/drivers.md).  This file alone knows the controller.
 */
#include <stdbool.h>

#include "arch.h"
#include "entry.h"
#include "ioapic.h"
#include "irq.h"
#include "trap.h"

#define EXTINT_GSI	0
#define TIMER_IRQ	0
#define CONSOLE_IRQ	4	/* COM1 */

unsigned
arch_irq_lines(void)
{
	return T_NGSIS;
}

bool
arch_irq_available(unsigned line)
{
	return line < T_NGSIS && ioapic_has(line) && line != EXTINT_GSI &&
	    line != ioapic_isa(TIMER_IRQ).gsi &&
	    line != ioapic_isa(CONSOLE_IRQ).gsi;
}

void
arch_irq_mask(unsigned line)
{
	(void)ioapic_mask(line);
}

void
arch_irq_unmask(unsigned line)
{
	(void)ioapic_unmask(line);
}

uint64_t x86_irq_stamp;

void
x86_irq_device(unsigned line)
{
	if (!arch_irq_available(line))
		return;		/* the kernel's, masked: never here */
	irq_raise(line, x86_irq_stamp);
	/* A driver woken by its interrupt runs as soon as the scheduler
	 * lets it, not after the time slice. */
	x86_need_resched = true;
}
