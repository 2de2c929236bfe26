/*
 * The printf formatting engine, shared by the kernel (kernel/lib/printf.c)
 * and libvg (lib/vg/printf.c): freestanding C, no allocation, no libc.
 *
 * Conversions: %d %i %u %x %X %o %c %s %p %%, flags - 0 + space #, width
 * and precision (also '*'), length modifiers hh h l ll z j t.
 */
#ifndef VG_FMT_FORMAT_H
#define VG_FMT_FORMAT_H

#include <stdarg.h>
#include <stddef.h>

/* Where formatted characters go: PUT stores one (or not, past SIZE). */
struct fmt_sink {
	void (*put)(struct fmt_sink *s, char c);
	char *buf;		/* for buffers: where */
	size_t size;		/* ... and how much room */
	size_t len;		/* characters produced (not only stored) */
};

/* Format FMT with AP into S (S->len counts what was produced). */
void fmt_format(struct fmt_sink *s, const char *fmt, va_list ap);

/* vsnprintf: at most SIZE-1 characters and a NUL into BUF; returns the
 * length the whole output would have. */
int fmt_vsnprintf(char *buf, size_t size, const char *fmt, va_list ap);

#endif /* VG_FMT_FORMAT_H */
