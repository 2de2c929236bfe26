/*
 * The IOAPICs: where device interrupts (GSIs) become vectors.  Every pin
 * starts masked, routed to its vector T_GSI0 + gsi (the ISA IRQs' GSIs
 * with the trigger and polarity of the MADT's overrides) at the boot
 * processor; the interrupt objects of a later layer unmask what drivers
 * wait for.  A GSI is on the IOAPIC whose pins cover it.
 */
#ifndef VG_X86_64_IOAPIC_H
#define VG_X86_64_IOAPIC_H

#include <stdbool.h>
#include <stdint.h>

#include "madt.h"

/* Map the MADT's IOAPICs and route and mask every pin (boot, after
 * lapic_init), except the MADT's NMI sources, which become NMIs. */
void ioapic_init(void);

/*
 * Send GSI to VECTOR (not an exception's) at the boot processor, as
 * TRIGGER and POLARITY say it signals, masked; false if no IOAPIC has
 * the GSI or the vector is an exception's.
 */
bool ioapic_route(uint32_t gsi, uint8_t vector, enum irq_trigger trigger,
    enum irq_polarity polarity);

/* Whether an IOAPIC has GSI. */
bool ioapic_has(uint32_t gsi);

/* Stop and let through GSI's interrupts; false if no IOAPIC has it. */
bool ioapic_mask(uint32_t gsi);
bool ioapic_unmask(uint32_t gsi);

/* ISA IRQ (0..15): its GSI, trigger and polarity (the MADT's overrides,
 * or the defaults). */
struct madt_isa ioapic_isa(unsigned irq);

#endif /* VG_X86_64_IOAPIC_H */
