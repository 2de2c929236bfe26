/*
 * Kernel formatted output (kernel/lib/printf.c), over arch_console_write.
 *
 * Conversions: %s %c %d %i %u %x %X %p %%, with the length modifiers l,
 * ll and z, the flags '-' (left-justify), '0' (zero padding) and '#'
 * (0x prefix), a width and a precision ('*' for either).  %p prints 0x
 * and 16 hex digits.  Portable C, built into the x86-64 kernel (the
 * hosted core does not use it).
 */
#ifndef VG_KERNEL_KPRINTF_H
#define VG_KERNEL_KPRINTF_H

#include <stdarg.h>
#include <stddef.h>

#define KPRINTF_FORMAT(f, a) __attribute__((format(printf, f, a)))

/* Print to the console; returns the number of characters written. */
int kprintf(const char *fmt, ...) KPRINTF_FORMAT(1, 2);
int kvprintf(const char *fmt, va_list ap) KPRINTF_FORMAT(1, 0);

/*
 * Format into BUF (SIZE bytes, always NUL-terminated when SIZE > 0);
 * returns the length the whole output would have had, as snprintf does.
 */
int ksnprintf(char *buf, size_t size, const char *fmt, ...)
    KPRINTF_FORMAT(3, 4);
int kvsnprintf(char *buf, size_t size, const char *fmt, va_list ap)
    KPRINTF_FORMAT(3, 0);

#endif /* VG_KERNEL_KPRINTF_H */
