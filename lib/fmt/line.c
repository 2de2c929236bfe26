/*
 * The console line buffer (see line.h).
 */
#include <stdarg.h>
#include <stddef.h>

#include "format.h"
#include "line.h"

static void
line_put(struct fmt_sink *s, char c)
{
	struct fmt_line *l = (struct fmt_line *)(void *)s->buf;

	l->buf[l->len++] = c;
	if (c == '\n' || l->len == l->size)
		fmt_line_flush(l);
}

int
fmt_line_vprintf(struct fmt_line *l, const char *fmt, va_list ap)
{
	struct fmt_sink s = { .put = line_put, .buf = (char *)(void *)l };

	fmt_format(&s, fmt, ap);
	return (int)s.len;
}

void
fmt_line_flush(struct fmt_line *l)
{
	if (l->len > 0)
		l->write(l->buf, l->len);
	l->len = 0;
}
