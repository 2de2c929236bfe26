/*
 * Kernel formatted output (kernel/lib/printf.c) over arch_console_write.
 * The conversions are those of the shared engine, lib/fmt/format.h
 * (%d %i %u %x %X %o %c %s %p %%; flags, width, precision, '*'; length
 * modifiers hh h l ll z j t).  Built into the x86-64 kernel.
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
