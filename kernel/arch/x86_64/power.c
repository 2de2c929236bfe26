/*
 * Stopping the machine: halt, exit QEMU (isa-debug-exit), the power off
 * and panic hooks the core calls, and the kernel-trap panic.
 */
#include <stdbool.h>

#include "arch.h"
#include "backtrace.h"
#include "kprintf.h"
#include "x86.h"

static bool panicking;

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
 * Report and stop: the reason, a backtrace, and the end of the QEMU run
 * with a failure status, whatever the command line, so that whoever runs
 * it sees the panic at once instead of waiting for a timeout (without
 * isa-debug-exit the machine halts).  A panic while panicking (say, a
 * fault in the report) just stops.
 */
_Noreturn void
arch_panic(const char *why, const char *file, int line)
{
	struct unwind_frame f;

	cli();
	backtrace_here(&f);
	if (!panicking) {
		panicking = true;
		kprintf("vg panic: %s (%s:%d)\n", why, file, line);
		/* From the caller: frame #0 is where kpanic was. */
		backtrace_print(&f, 1);
	}
	x86_qemu_exit(QEMU_EXIT_FAILURE);
}

_Noreturn void
x86_panic_trap(const struct trap_frame *tf, const char *why,
    const char *file, int line)
{
	cli();
	if (!panicking) {
		panicking = true;
		kprintf("vg panic: %s (%s:%d)\n", why, file, line);
		backtrace_print_trap(tf);
	}
	x86_qemu_exit(QEMU_EXIT_FAILURE);
}
