/*
 * kprintf and friends (see kprintf.h) over the shared formatting engine
 * and console line buffer (lib/fmt, which libvg uses too): kprintf
 * collects output in a small stack buffer written to arch_console_write
 * a line at a time, and what is left when it returns.  No allocation, no
 * floating point, no libc.
 */
#include <stdbool.h>
#include <stdint.h>

#include "arch.h"
#include "format.h"
#include "kprintf.h"
#include "line.h"

int
kvprintf(const char *fmt, va_list ap)
{
	char buf[128];
	struct fmt_line line = { .write = arch_console_write, .buf = buf,
	    .size = sizeof(buf) };
	int n = fmt_line_vprintf(&line, fmt, ap);

	fmt_line_flush(&line);
	return n;
}

int
kprintf(const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = kvprintf(fmt, ap);
	va_end(ap);
	return n;
}

int
kvsnprintf(char *buf, size_t size, const char *fmt, va_list ap)
{
	return fmt_vsnprintf(buf, size, fmt, ap);
}

int
ksnprintf(char *buf, size_t size, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = kvsnprintf(buf, size, fmt, ap);
	va_end(ap);
	return n;
}
