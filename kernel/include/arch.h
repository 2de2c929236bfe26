/*
 * The contract between the portable core and a platform.
 *
 * The core calls only these hooks (plus memcpy/memset/memmove/memcmp, which
 * kernel/lib supplies in freestanding builds).  Every platform -- x86_64
 * for the real machine, hosted for tests on Linux -- implements all of
 * them; the core never includes a platform header.
 */
#ifndef VG_KERNEL_ARCH_H
#define VG_KERNEL_ARCH_H

#include <stddef.h>

/* Stop the machine (or the test process) after a kernel bug. */
_Noreturn void arch_panic(const char *why, const char *file, int line);

/* Write N bytes of kernel log text to the console. */
void arch_console_write(const char *s, size_t n);

#endif /* VG_KERNEL_ARCH_H */
