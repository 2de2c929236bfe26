/*
 * libvg: formatted output to the program's console (libvg/console.h).
 *
 * Conversions: %s %c %d %i %u %x %X %p %% with the length modifiers hh,
 * h, l, ll, z and j, a field width (number or *), the flags '-' (left
 * align) and '0' (zero pad), and a precision for %s (.N or .*).
 *
 * printf writes through vg_debug_write with a line buffer: a line goes
 * out in one console request when it ends, when the buffer fills, or at
 * vg_flush().  Code running in the activation handler has its own line
 * buffer, so that a handler that prints never mixes its text into a line
 * the interrupted code was building.
 */
#ifndef LIBVG_STDIO_H
#define LIBVG_STDIO_H

#include <stdarg.h>
#include <stddef.h>

/* The formatting core: like vsnprintf; the prefix keeps it apart from a
 * hosted C library's when libvg is tested on the host. */
int vg_vsnprintf(char *buf, size_t size, const char *fmt, va_list ap)
    __attribute__((format(printf, 3, 0)));
int vg_snprintf(char *buf, size_t size, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
int vg_vprintf(const char *fmt, va_list ap)
    __attribute__((format(printf, 1, 0)));
int vg_printf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
int vg_puts(const char *s);
/* Write out what the line buffers hold. */
void vg_flush(void);

#ifndef LIBVG_HOSTED
/* The standard names, for the programs. */
int vsnprintf(char *buf, size_t size, const char *fmt, va_list ap)
    __attribute__((format(printf, 3, 0)));
int snprintf(char *buf, size_t size, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
int vprintf(const char *fmt, va_list ap)
    __attribute__((format(printf, 1, 0)));
int printf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
int puts(const char *s);
int putchar(int c);
#endif

#endif /* LIBVG_STDIO_H */
