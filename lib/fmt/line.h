/*
 * A console line buffer over the formatting engine (format.h), shared by
 * the kernel (kernel/lib/printf.c) and libvg (lib/vg/printf.c):
 * formatted output is collected in BUF and handed to WRITE a line at a
 * time -- when a line ends, when the buffer is full, or when the owner
 * flushes it -- so that a line reaches the console in one write.
 */
#ifndef VG_FMT_LINE_H
#define VG_FMT_LINE_H

#include <stdarg.h>
#include <stddef.h>

struct fmt_line {
	void (*write)(const char *s, size_t n);
	char *buf;
	size_t size;		/* BUF's room, at least 1 */
	size_t len;		/* what it holds */
};

/* Format FMT with AP into L; returns the characters produced. */
int fmt_line_vprintf(struct fmt_line *l, const char *fmt, va_list ap);

/* Write out what L holds. */
void fmt_line_flush(struct fmt_line *l);

#endif /* VG_FMT_LINE_H */
