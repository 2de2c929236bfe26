/*
 * The IDT: the 32 exception vectors and the interrupts (32..127: the
 * 8259s, the GSIs, the local APIC's; trap.h), all interrupt gates
 * (interrupts off on entry) into trap.S.  Every other vector, 0x80
 * included, is not present: "int n" on it faults (#GP from user mode).
 * Only #BP (int3) may be raised from ring 3 directly.
 */
#ifndef VG_X86_64_IDT_H
#define VG_X86_64_IDT_H

void idt_init(void);

#endif /* VG_X86_64_IDT_H */
