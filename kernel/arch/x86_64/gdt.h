/*
 * The GDT and the TSS.
 *
 * Selector layout, fixed by syscall/sysret (SDM vol. 2, SYSCALL/SYSRET):
 *   syscall:        CS = STAR[47:32],      SS = STAR[47:32] + 8
 *   sysret (64-bit): CS = STAR[63:48] + 16, SS = STAR[63:48] + 8 (RPL 3)
 * With STAR[47:32] = 0x08 and STAR[63:48] = 0x18 (GDT_STAR below):
 *
 *   0x00  null
 *   0x08  GDT_KERNEL_CS   64-bit code, DPL 0    (syscall CS)
 *   0x10  GDT_KERNEL_DS   data, DPL 0           (syscall SS)
 *   0x18  (null)          sysret base; would be 32-bit user code, which
 *                         vg does not support, so it stays null and a far
 *                         jump to it faults
 *   0x20  GDT_USER_DS     data, DPL 3           (sysret SS = 0x23)
 *   0x28  GDT_USER_CS     64-bit code, DPL 3    (sysret CS = 0x2b)
 *   0x30  GDT_TSS         64-bit TSS (two slots: 0x30 and 0x38)
 *
 * The user selectors include RPL 3: they are the values of CS and SS in
 * a user-mode trap frame, and what to put there to enter user mode.
 */
#ifndef VG_X86_64_GDT_H
#define VG_X86_64_GDT_H

#define GDT_KERNEL_CS	0x08
#define GDT_KERNEL_DS	0x10
#define GDT_SYSRET_BASE	(0x18 | 3)
#define GDT_USER_DS	(0x20 | 3)
#define GDT_USER_CS	(0x28 | 3)
#define GDT_TSS		0x30

/* The value for MSR_STAR (the low 32 bits, the 32-bit entry, unused). */
#define GDT_STAR	((uint64_t)GDT_SYSRET_BASE << 48 | \
			 (uint64_t)GDT_KERNEL_CS << 32)

/* Interrupt stack table slots (TSS IST1..IST7), used by idt.c. */
#define IST_DOUBLE_FAULT	1
#define IST_NMI			2
#define IST_MACHINE_CHECK	3

#ifndef __ASSEMBLER__

#include <stdbool.h>
#include <stdint.h>

/*
 * Load the GDT, reload every segment register (FS and GS become 0, which
 * clears their bases: set MSR_GS_BASE/MSR_KERNEL_GS_BASE afterwards) and
 * load the task register.  RSP0 starts as the boot stack's top.
 */
void gdt_init(void);

/*
 * The stack the CPU switches to on an interrupt or exception from user
 * mode: set it to the top of the current thread's kernel stack (or its
 * trap frame's end) before returning to user mode.
 */
void tss_set_rsp0(uint64_t rsp0);

/* Whether SP lies on an IST stack, and that stack's bounds if so (for
 * backtraces). */
bool gdt_ist_stack(uint64_t sp, uint64_t *lo, uint64_t *hi);

#endif /* !__ASSEMBLER__ */

#endif /* VG_X86_64_GDT_H */
