/*
 * Formatted output (libvg/stdio.h): a small printf over vg_debug_write,
 * with the formatting engine and the line buffer of lib/fmt.
 */
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <libvg/activation.h>
#include <libvg/console.h>
#include <libvg/stdio.h>

#include "format.h"
#include "line.h"

int
vg_vsnprintf(char *buf, size_t size, const char *fmt, va_list ap)
{
	return fmt_vsnprintf(buf, size, fmt, ap);
}

int
vg_snprintf(char *buf, size_t size, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vg_vsnprintf(buf, size, fmt, ap);
	va_end(ap);
	return n;
}

/*
 * The console: one line buffer for the main code and one for the
 * activation handler, each written out in one console request per line
 * (lib/fmt/line.c).
 */
#define LINE_MAX_LEN	256

static void
console_write(const char *s, size_t n)
{
	(void)vg_debug_write(s, n);
}

static char line_buf[2][LINE_MAX_LEN];
static struct fmt_line lines[2] = {
	{ .write = console_write, .buf = line_buf[0], .size = LINE_MAX_LEN },
	{ .write = console_write, .buf = line_buf[1], .size = LINE_MAX_LEN },
};

static struct fmt_line *
current_line(void)
{
	return &lines[vg_in_activation() ? 1 : 0];
}

int
vg_vprintf(const char *fmt, va_list ap)
{
	return fmt_line_vprintf(current_line(), fmt, ap);
}

int
vg_printf(const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vg_vprintf(fmt, ap);
	va_end(ap);
	return n;
}

int
vg_puts(const char *str)
{
	return vg_printf("%s\n", str);
}

void
vg_flush(void)
{
	fmt_line_flush(current_line());
}

#ifndef LIBVG_HOSTED
int
vsnprintf(char *buf, size_t size, const char *fmt, va_list ap)
{
	return vg_vsnprintf(buf, size, fmt, ap);
}

int
snprintf(char *buf, size_t size, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vg_vsnprintf(buf, size, fmt, ap);
	va_end(ap);
	return n;
}

int
vprintf(const char *fmt, va_list ap)
{
	return vg_vprintf(fmt, ap);
}

int
printf(const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vg_vprintf(fmt, ap);
	va_end(ap);
	return n;
}

int
puts(const char *str)
{
	return vg_puts(str);
}

int
putchar(int c)
{
	vg_printf("%c", c);
	return (unsigned char)c;
}
#endif
