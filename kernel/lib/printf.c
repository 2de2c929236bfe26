/*
 * kprintf and friends (see kprintf.h): one formatter writing into a
 * sink, which is either a caller's buffer (ksnprintf) or a small stack
 * buffer flushed to arch_console_write (kprintf).  No allocation, no
 * floating point, no libc: the same file builds freestanding and hosted.
 */
#include <stdbool.h>
#include <stdint.h>

#include "arch.h"
#include "kprintf.h"

struct sink {
	char *buf;
	size_t size;		/* capacity of buf */
	size_t pos;		/* bytes now in buf */
	size_t total;		/* bytes produced, including any dropped */
	bool console;		/* flush buf to the console when full */
};

static void
sink_flush(struct sink *s)
{
	if (s->console && s->pos > 0)
		arch_console_write(s->buf, s->pos);
	s->pos = 0;
}

static void
sink_put(struct sink *s, char c)
{
	s->total++;
	if (s->console) {
		if (s->pos == s->size)
			sink_flush(s);
		s->buf[s->pos++] = c;
	} else if (s->pos + 1 < s->size) {
		/* Keep one byte for the terminating NUL. */
		s->buf[s->pos++] = c;
	}
}

static void
sink_pad(struct sink *s, char c, int n)
{
	while (n-- > 0)
		sink_put(s, c);
}

/* How one conversion is to be laid out. */
struct spec {
	bool left;		/* '-' */
	bool zero;		/* '0' */
	bool alt;		/* '#' */
	int width;		/* -1: none */
	int prec;		/* -1: none */
};

static void
put_string(struct sink *s, const char *str, const struct spec *sp)
{
	int len = 0;

	if (str == NULL)
		str = "(null)";
	while (str[len] != '\0' && (sp->prec < 0 || len < sp->prec))
		len++;
	if (!sp->left)
		sink_pad(s, ' ', sp->width - len);
	for (int i = 0; i < len; i++)
		sink_put(s, str[i]);
	if (sp->left)
		sink_pad(s, ' ', sp->width - len);
}

static void
put_number(struct sink *s, unsigned long long v, bool negative,
    unsigned base, bool upper, const struct spec *sp)
{
	const char *digits = upper ? "0123456789ABCDEF" : "0123456789abcdef";
	char tmp[24];
	int ndigits = 0, nzeros, nprefix, len;
	const char *prefix = negative ? "-" : "";

	do {
		tmp[ndigits++] = digits[v % base];
		v /= base;
	} while (v != 0);

	if (sp->alt && base == 16)
		prefix = upper ? "0X" : "0x";
	nprefix = prefix[0] == '\0' ? 0 : prefix[1] == '\0' ? 1 : 2;

	/* Leading zeros: from the precision, or from '0' filling the width. */
	nzeros = 0;
	if (sp->prec >= 0) {
		if (sp->prec > ndigits)
			nzeros = sp->prec - ndigits;
	} else if (sp->zero && !sp->left && sp->width > nprefix + ndigits) {
		nzeros = sp->width - nprefix - ndigits;
	}
	len = nprefix + nzeros + ndigits;

	if (!sp->left)
		sink_pad(s, ' ', sp->width - len);
	for (int i = 0; i < nprefix; i++)
		sink_put(s, prefix[i]);
	sink_pad(s, '0', nzeros);
	while (ndigits > 0)
		sink_put(s, tmp[--ndigits]);
	if (sp->left)
		sink_pad(s, ' ', sp->width - len);
}

static int
format(struct sink *s, const char *fmt, va_list ap)
{
	for (; *fmt != '\0'; fmt++) {
		struct spec sp = { false, false, false, -1, -1 };
		int lng = 0;		/* 1: l or z, 2: ll */
		char c;

		if (*fmt != '%') {
			sink_put(s, *fmt);
			continue;
		}
		fmt++;

		for (;; fmt++) {
			if (*fmt == '-')
				sp.left = true;
			else if (*fmt == '0')
				sp.zero = true;
			else if (*fmt == '#')
				sp.alt = true;
			else
				break;
		}
		if (*fmt == '*') {
			sp.width = va_arg(ap, int);
			if (sp.width < 0) {
				sp.left = true;
				sp.width = -sp.width;
			}
			fmt++;
		} else {
			for (; *fmt >= '0' && *fmt <= '9'; fmt++)
				sp.width = (sp.width < 0 ? 0 : sp.width * 10) +
				    (*fmt - '0');
		}
		if (*fmt == '.') {
			fmt++;
			sp.prec = 0;
			if (*fmt == '*') {
				sp.prec = va_arg(ap, int);
				fmt++;
			} else {
				for (; *fmt >= '0' && *fmt <= '9'; fmt++)
					sp.prec = sp.prec * 10 + (*fmt - '0');
			}
		}
		if (*fmt == 'l') {
			lng = 1;
			if (*++fmt == 'l') {
				lng = 2;
				fmt++;
			}
		} else if (*fmt == 'z') {
			lng = 1;
			fmt++;
		}

		c = *fmt;
		switch (c) {
		case 'd':
		case 'i': {
			long long v = lng == 2 ? va_arg(ap, long long) :
			    lng == 1 ? va_arg(ap, long) : va_arg(ap, int);
			unsigned long long mag = v < 0 ?
			    0ULL - (unsigned long long)v :
			    (unsigned long long)v;

			put_number(s, mag, v < 0, 10, false, &sp);
			break;
		}
		case 'u':
		case 'x':
		case 'X': {
			unsigned long long v =
			    lng == 2 ? va_arg(ap, unsigned long long) :
			    lng == 1 ? va_arg(ap, unsigned long) :
			    va_arg(ap, unsigned int);

			put_number(s, v, false, c == 'u' ? 10 : 16, c == 'X',
			    &sp);
			break;
		}
		case 'p': {
			struct spec psp = { sp.left, true, true, 18, -1 };

			if (sp.width > psp.width)
				psp.width = sp.width;
			put_number(s, (uintptr_t)va_arg(ap, void *), false, 16,
			    false, &psp);
			break;
		}
		case 'c': {
			char ch[2] = { (char)va_arg(ap, int), '\0' };

			sp.prec = 1;
			if (ch[0] == '\0') {
				/* put_string would print nothing: do it here. */
				if (!sp.left)
					sink_pad(s, ' ', sp.width - 1);
				sink_put(s, '\0');
				if (sp.left)
					sink_pad(s, ' ', sp.width - 1);
			} else {
				put_string(s, ch, &sp);
			}
			break;
		}
		case 's':
			put_string(s, va_arg(ap, const char *), &sp);
			break;
		case '%':
			sink_put(s, '%');
			break;
		case '\0':
			/* A lone '%' at the end: print it and stop. */
			sink_put(s, '%');
			return (int)s->total;
		default:
			/* Unknown conversion: print it as written. */
			sink_put(s, '%');
			sink_put(s, c);
			break;
		}
	}
	return (int)s->total;
}

int
kvprintf(const char *fmt, va_list ap)
{
	char buf[128];
	struct sink s = { buf, sizeof(buf), 0, 0, true };
	int n;

	n = format(&s, fmt, ap);
	sink_flush(&s);
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
	struct sink s = { buf, size, 0, 0, false };
	int n;

	n = format(&s, fmt, ap);
	if (size > 0)
		buf[s.pos] = '\0';
	return n;
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
