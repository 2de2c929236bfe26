/*
 * The interrupts-off stretches (irqoff.h) and arch_irqoff_take.  The
 * time stamp counter is the clock: under QEMU's -icount shift=0 it counts
 * guest instructions.
 */
#include "arch.h"
#include "irqoff.h"
#include "x86.h"

#ifdef VG_MEASURE_IRQOFF

static uint64_t began, longest, stretches;
/* Whether a stretch is open: the first one begins at the first entry,
 * not at boot. */
static bool open;

void
irqoff_begin(void)
{
	began = rdtsc();
	open = true;
}

void
irqoff_end(void)
{
	uint64_t d = rdtsc() - began;

	if (!open)
		return;
	open = false;
	stretches++;
	if (d > longest)
		longest = d;
}

bool
arch_irqoff_take(uint64_t *longest_out, uint64_t *stretches_out)
{
	*longest_out = longest;
	*stretches_out = stretches;
	longest = stretches = 0;
	return true;
}

#else

bool
arch_irqoff_take(uint64_t *longest_out, uint64_t *stretches_out)
{
	(void)longest_out;
	(void)stretches_out;
	return false;
}

#endif
