/* The 8254 PIT, channel 0, as the periodic timer on IRQ 0. */
#ifndef VG_X86_64_PIT_H
#define VG_X86_64_PIT_H

#define PIT_HZ_DEFAULT	100

/*
 * Make channel 0 interrupt HZ times a second (19..1193182) and unmask
 * IRQ 0; ticks arrive once interrupts are enabled.
 */
void pit_init(unsigned hz);

/* The rate pit_init set (0 before). */
unsigned pit_hz(void);

#endif /* VG_X86_64_PIT_H */
