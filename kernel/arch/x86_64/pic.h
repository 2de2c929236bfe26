/*
 * The two 8259A PICs, remapped to vectors T_PIC0..T_PIC0 + 15 (32..47)
 * and every line masked: nothing is expected from them.
 */
#ifndef VG_X86_64_PIC_H
#define VG_X86_64_PIC_H

void pic_init(void);

/*
 * IRQ (0..15) arrived anyway: acknowledge it where the PIC needs it
 * (not at all for its spurious IRQs 7 and 15, but the cascade for 15),
 * and nothing else.
 */
void pic_stray(unsigned irq);

#endif /* VG_X86_64_PIC_H */
