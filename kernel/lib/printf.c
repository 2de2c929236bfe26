/*
 * kprintf and friends (see kprintf.h) over the shared formatting engine
 * (lib/fmt/format.c, which libvg uses too): kprintf collects output in a
 * small stack buffer flushed to arch_console_write.  No allocation, no
 * floating point, no libc.
 */
#include <stdbool.h>
#include <stdint.h>

#include "arch.h"
#include "format.h"
#include "kprintf.h"

/* The console sink: BUF is a line of console output being collected. */
struct console_line {
	char buf[128];
	size_t pos;
};

static void
console_put(struct fmt_sink *s, char c)
{
	struct console_line *l = (struct console_line *)(void *)s->buf;

	if (l->pos == sizeof(l->buf)) {
		arch_console_write(l->buf, l->pos);
		l->pos = 0;
	}
	l->buf[l->pos++] = c;
}

int
kvprintf(const char *fmt, va_list ap)
{
	struct console_line line = { .pos = 0 };
	struct fmt_sink s = { .put = console_put, .buf = (char *)&line };

	fmt_format(&s, fmt, ap);
	if (line.pos > 0)
		arch_console_write(line.buf, line.pos);
	return (int)s.len;
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
