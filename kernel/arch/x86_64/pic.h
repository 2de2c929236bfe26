/*
 * The two 8259A PICs, remapped to vectors T_IRQ0..T_IRQ0 + 15 (32..47)
 * and every line masked until pic_unmask.
 */
#ifndef VG_X86_64_PIC_H
#define VG_X86_64_PIC_H

#include <stdbool.h>

void pic_init(void);

/* Let IRQ (0..15) through; a slave IRQ also unmasks the cascade (2). */
void pic_unmask(unsigned irq);

/* Hold IRQ (0..15) back; the cascade stays as it is. */
void pic_mask(unsigned irq);

/* End of interrupt for IRQ: to the slave (IRQ >= 8), then the master. */
void pic_eoi(unsigned irq);

/*
 * IRQ 7 or 15 fired, but the PIC has no such interrupt in service: a
 * spurious interrupt, which must not be acknowledged on its own PIC (for
 * a spurious 15 the master still needs its EOI for the cascade).
 */
bool pic_spurious(unsigned irq);

#endif /* VG_X86_64_PIC_H */
