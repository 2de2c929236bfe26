/*
 * The interrupts-off stretches (irqoff.h) and arch_irqoff_take.  The
 * time stamp counter is the clock: under QEMU's -icount shift=0 it counts
 * guest instructions.
 */
#include "arch.h"
#include "irqoff.h"
#include "kprintf.h"
#include "ksyms.h"
#include "x86.h"

#ifdef VG_MEASURE_IRQOFF

static uint64_t began, longest, stretches;
/* Where the open stretch began, and where the longest began and ended
 * (the callers of irqoff_begin and irqoff_end): the console says so at
 * each take, to tell which entry to look at. */
static uint64_t began_at, longest_from, longest_to;
/* Whether a stretch is open: the first one begins at the first entry,
 * not at boot. */
static bool open;

void
irqoff_begin(void)
{
	began = rdtsc();
	began_at = (uint64_t)(uintptr_t)__builtin_return_address(0);
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
	if (d > longest) {
		longest = d;
		longest_from = began_at;
		longest_to = (uint64_t)(uintptr_t)__builtin_return_address(0);
	}
}

static void
print_site(const char *what, uint64_t pc)
{
	const char *name;
	uint64_t start;

	/* A return address is named after the call before it. */
	if (pc != 0 && ksym_lookup(pc - 1, &name, &start))
		kprintf(" %s %s+0x%lx", what, name, pc - start);
	else
		kprintf(" %s %016lx", what, pc);
}

bool
arch_irqoff_take(uint64_t *longest_out, uint64_t *stretches_out)
{
	*longest_out = longest;
	*stretches_out = stretches;
	kprintf("vg: irqoff: longest %lu of %lu stretches:", longest,
	    stretches);
	print_site("from", longest_from);
	print_site("to", longest_to);
	kprintf("\n");
	longest = stretches = 0;
	longest_from = longest_to = 0;
	/* The stretch open now, this call's, starts after the printing,
	 * which no other kernel entry does. */
	began = rdtsc();
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
