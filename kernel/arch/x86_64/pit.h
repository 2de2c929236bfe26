/*
 * The 8254 PIT.  It is not the timer (the local APIC's is, lapic.c):
 * channel 0, which firmware leaves running, is stopped, and channel 2,
 * polled, times the local APIC timer's calibration.
 */
#ifndef VG_X86_64_PIT_H
#define VG_X86_64_PIT_H

#include <stdbool.h>

#define PIT_INPUT_HZ	1193182u

/* Channel 0 counts once more and stops: no IRQ 0 after it. */
void pit_stop(void);

/* Start channel 2 counting down US microseconds (at most 54925). */
void pit_delay_start(unsigned us);

/* Whether the count pit_delay_start began has run out. */
bool pit_delay_over(void);

#endif /* VG_X86_64_PIT_H */
