/*
 * Measuring how long the kernel keeps interrupts off (bench/README.md,
 * irqoff_destroy).  vg runs every entry with interrupts off, so a
 * stretch is one entry: from the C entry point of a system call, a user
 * trap or an interrupt, or from the cli that ends one of the reaper's
 * or the idle loop's windows, to the return to user mode or the next
 * sti.  The entry and exit assembly around it (about 50 instructions)
 * is not in the figure.
 *
 * Only a kernel built with -DVG_MEASURE_IRQOFF measures (make bench
 * builds one for this metric alone); in the others the marks are empty
 * and the console's IRQOFF method answers VG_ERR_METHOD.
 */
#ifndef VG_X86_IRQOFF_H
#define VG_X86_IRQOFF_H

#ifdef VG_MEASURE_IRQOFF
/* Interrupts went off (or an entry began with them off). */
void irqoff_begin(void);
/* They are about to come on, or the kernel returns to user mode. */
void irqoff_end(void);
#else
static inline void irqoff_begin(void) {}
static inline void irqoff_end(void) {}
#endif

#endif
