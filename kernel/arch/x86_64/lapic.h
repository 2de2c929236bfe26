/*
 * The boot processor's local APIC, in xAPIC mode: enabled, its timer
 * periodic at LAPIC_TIMER_HZ on T_LAPIC_TIMER (the preemption tick),
 * spurious interrupts on T_LAPIC_SPURIOUS.  The idle loop stops the
 * timer while the processor is halted (entry.c): with nothing to run
 * there is nothing to preempt.
 */
#ifndef VG_X86_64_LAPIC_H
#define VG_X86_64_LAPIC_H

#include <stdint.h>

#define LAPIC_TIMER_HZ	100

#define LAPIC_EOI	0x0b0	/* register offsets */
#define LAPIC_TIMER_INIT 0x380

/*
 * Map and enable it, mask the 8259's virtual wire (LINT0), make the
 * MADT's LINT pins NMIs, and start the timer, calibrated against the
 * PIT (boot, after madt_init; ticks arrive once interrupts are on).
 */
void lapic_init(void);

/* Its registers (lapic_init maps them). */
extern volatile uint32_t *lapic_regs;

/* End of interrupt: the next one of the same or a lower class may come. */
static inline void
lapic_eoi(void)
{
	lapic_regs[LAPIC_EOI / 4] = 0;
}

/* The timer's count of one tick (lapic_init calibrates it). */
extern uint32_t lapic_tick_count;

/*
 * Stop the timer, and start it again with a whole tick: a write of the
 * initial count restarts it, one of 0 stops it (and QEMU then keeps no
 * timer for it).
 */
static inline void
lapic_timer_stop(void)
{
	lapic_regs[LAPIC_TIMER_INIT / 4] = 0;
}

static inline void
lapic_timer_start(void)
{
	lapic_regs[LAPIC_TIMER_INIT / 4] = lapic_tick_count;
}

/* The boot processor's APIC id (after lapic_init). */
uint32_t lapic_id(void);

#endif /* VG_X86_64_LAPIC_H */
