/*
 * Stopping the machine: halt, exit QEMU (isa-debug-exit), and the power
 * off and panic hooks the core calls.
 */
#include <stdbool.h>

#include "arch.h"
#include "kprintf.h"
#include "x86.h"

_Noreturn void
x86_halt(void)
{
	for (;;) {
		cli();
		hlt();
	}
}

_Noreturn void
x86_qemu_exit(unsigned value)
{
	cli();
	outl(QEMU_EXIT_PORT, value);
	/* Not under QEMU, or no isa-debug-exit device. */
	x86_halt();
}

void
arch_power_off(uint64_t status)
{
	kprintf("vg: power off with status %lu (rdtsc %lu)\n",
	    (unsigned long)status, (unsigned long)rdtsc());
	x86_qemu_exit((unsigned)status);
}

/*
 * Report and stop, ending the QEMU run with a failure status whatever
 * the command line, so that whoever runs it sees the panic at once
 * instead of waiting for a timeout (without isa-debug-exit the machine
 * halts).  A panic while panicking (say, a fault in the report) just
 * stops.
 */
_Noreturn void
arch_panic(const char *why, const char *file, int line)
{
	static bool panicking;

	cli();
	if (!panicking) {
		panicking = true;
		kprintf("vg panic: %s (%s:%d)\n", why, file, line);
	}
	x86_qemu_exit(QEMU_EXIT_FAILURE);
}
