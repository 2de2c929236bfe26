/*
 * libvg on x86-64: a clock for logs and traces.  vg leaves the time
 * stamp counter readable in ring 3 (CR4.TSD is clear: docs/abi.md
 * 11.4), so reading it costs no system call.
 */
#ifndef LIBVG_ARCH_CLOCK_H
#define LIBVG_ARCH_CLOCK_H

#include <stdint.h>

/*
 * The time stamp counter: it never goes back, and counts at the
 * machine's rate (under QEMU with -icount, one tick per guest
 * instruction).  Not a wall clock: its unit is a tick, whatever that is
 * in seconds on this machine.
 */
static inline uint64_t
vg_clock_ticks(void)
{
	uint32_t lo, hi;

	__asm__ volatile("rdtsc" : "=a"(lo), "=d"(hi));
	return (uint64_t)hi << 32 | lo;
}

#endif /* LIBVG_ARCH_CLOCK_H */
