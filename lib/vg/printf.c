/*
 * Formatted output (libvg/stdio.h): a small printf over vg_debug_write.
 */
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <libvg/activation.h>
#include <libvg/stdio.h>
#include <libvg/syscall.h>

#include "format.h"

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
 * activation handler, each written out in one system call per line.
 */
#define LINE_MAX_LEN	256

struct line {
	char buf[LINE_MAX_LEN];
	size_t len;
};

static struct line lines[2];

static struct line *
current_line(void)
{
	return &lines[vg_in_activation() ? 1 : 0];
}

static void
line_flush(struct line *l)
{
	if (l->len > 0)
		(void)vg_debug_write(l->buf, l->len);
	l->len = 0;
}

static void
put_console(struct fmt_sink *s, char c)
{
	struct line *l = (struct line *)(void *)s->buf;

	l->buf[l->len++] = c;
	if (c == '\n' || l->len == LINE_MAX_LEN)
		line_flush(l);
}

int
vg_vprintf(const char *fmt, va_list ap)
{
	struct fmt_sink s = { .put = put_console,
	    .buf = (char *)(void *)current_line() };

	fmt_format(&s, fmt, ap);
	return (int)s.len;
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
	line_flush(current_line());
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
