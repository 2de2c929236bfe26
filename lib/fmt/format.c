/*
 * The printf formatting engine (see format.h).
 */
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "format.h"


static void
emit(struct fmt_sink *s, char c)
{
	s->put(s, c);
	s->len++;
}

static void
emit_n(struct fmt_sink *s, char c, int n)
{
	while (n-- > 0)
		emit(s, c);
}

struct spec {
	bool left, zero, plus, space, alt;
	int width;
	int prec;		/* -1: none */
};

/* Format the magnitude V in BASE with the sign NEG into S per SP. */
static void
emit_number(struct fmt_sink *s, const struct spec *sp, uint64_t v, unsigned base,
    bool upper, bool neg, const char *prefix)
{
	const char *digits = upper ? "0123456789ABCDEF" : "0123456789abcdef";
	char tmp[24];
	int n = 0, ndigits, pad, plen = 0;
	char sign = 0;

	do {
		tmp[n++] = digits[v % base];
		v /= base;
	} while (v != 0);
	if (sp->prec == 0 && n == 1 && tmp[0] == '0')
		n = 0;		/* "%.0d" of 0 prints nothing */
	ndigits = n;
	if (sp->prec > ndigits)
		ndigits = sp->prec;
	if (neg)
		sign = '-';
	else if (sp->plus)
		sign = '+';
	else if (sp->space)
		sign = ' ';
	if (prefix != NULL) {
		while (prefix[plen] != '\0')
			plen++;
	}
	pad = sp->width - ndigits - plen - (sign != 0);
	if (!sp->left && !(sp->zero && sp->prec < 0))
		emit_n(s, ' ', pad);
	if (sign != 0)
		emit(s, sign);
	for (int i = 0; i < plen; i++)
		emit(s, prefix[i]);
	if (!sp->left && sp->zero && sp->prec < 0)
		emit_n(s, '0', pad);
	emit_n(s, '0', ndigits - n);
	while (n > 0)
		emit(s, tmp[--n]);
	if (sp->left)
		emit_n(s, ' ', pad);
}

static void
emit_string(struct fmt_sink *s, const struct spec *sp, const char *str)
{
	int n = 0;

	if (str == NULL)
		str = "(null)";
	while ((sp->prec < 0 || n < sp->prec) && str[n] != '\0')
		n++;
	if (!sp->left)
		emit_n(s, ' ', sp->width - n);
	for (int i = 0; i < n; i++)
		emit(s, str[i]);
	if (sp->left)
		emit_n(s, ' ', sp->width - n);
}

enum length { LEN_INT, LEN_CHAR, LEN_SHORT, LEN_LONG, LEN_LLONG, LEN_SIZE };

static uint64_t
arg_unsigned(va_list *ap, enum length len)
{
	switch (len) {
	case LEN_CHAR:
		return (unsigned char)va_arg(*ap, unsigned int);
	case LEN_SHORT:
		return (unsigned short)va_arg(*ap, unsigned int);
	case LEN_LONG:
		return va_arg(*ap, unsigned long);
	case LEN_LLONG:
		return va_arg(*ap, unsigned long long);
	case LEN_SIZE:
		return va_arg(*ap, size_t);
	default:
		return va_arg(*ap, unsigned int);
	}
}

static int64_t
arg_signed(va_list *ap, enum length len)
{
	switch (len) {
	case LEN_CHAR:
		return (signed char)va_arg(*ap, int);
	case LEN_SHORT:
		return (short)va_arg(*ap, int);
	case LEN_LONG:
		return va_arg(*ap, long);
	case LEN_LLONG:
		return va_arg(*ap, long long);
	case LEN_SIZE:
		return (int64_t)va_arg(*ap, size_t);
	default:
		return va_arg(*ap, int);
	}
}

void
fmt_format(struct fmt_sink *s, const char *fmt, va_list ap0)
{
	va_list ap;

	va_copy(ap, ap0);
	while (*fmt != '\0') {
		struct spec sp = { .prec = -1 };
		enum length len = LEN_INT;
		char c = *fmt++;

		if (c != '%') {
			emit(s, c);
			continue;
		}
		for (;; fmt++) {
			if (*fmt == '-')
				sp.left = true;
			else if (*fmt == '0')
				sp.zero = true;
			else if (*fmt == '+')
				sp.plus = true;
			else if (*fmt == ' ')
				sp.space = true;
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
			while (*fmt >= '0' && *fmt <= '9')
				sp.width = sp.width * 10 + (*fmt++ - '0');
		}
		if (*fmt == '.') {
			fmt++;
			sp.prec = 0;
			if (*fmt == '*') {
				sp.prec = va_arg(ap, int);
				if (sp.prec < 0)
					sp.prec = -1;
				fmt++;
			} else {
				while (*fmt >= '0' && *fmt <= '9')
					sp.prec = sp.prec * 10 + (*fmt++ - '0');
			}
		}
		switch (*fmt) {
		case 'h':
			fmt++;
			len = LEN_SHORT;
			if (*fmt == 'h') {
				fmt++;
				len = LEN_CHAR;
			}
			break;
		case 'l':
			fmt++;
			len = LEN_LONG;
			if (*fmt == 'l') {
				fmt++;
				len = LEN_LLONG;
			}
			break;
		case 'z':
		case 'j':
		case 't':
			fmt++;
			len = LEN_SIZE;
			break;
		default:
			break;
		}
		c = *fmt;
		if (c == '\0')
			break;
		fmt++;
		switch (c) {
		case 'd':
		case 'i': {
			int64_t v = arg_signed(&ap, len);
			uint64_t mag = v < 0 ? (uint64_t)0 - (uint64_t)v :
			    (uint64_t)v;

			emit_number(s, &sp, mag, 10, false, v < 0, NULL);
			break;
		}
		case 'u':
			emit_number(s, &sp, arg_unsigned(&ap, len), 10, false,
			    false, NULL);
			break;
		case 'x':
		case 'X': {
			uint64_t v = arg_unsigned(&ap, len);

			emit_number(s, &sp, v, 16, c == 'X', false,
			    sp.alt && v != 0 ? (c == 'X' ? "0X" : "0x") : NULL);
			break;
		}
		case 'o':
			emit_number(s, &sp, arg_unsigned(&ap, len), 8, false,
			    false, sp.alt ? "0" : NULL);
			break;
		case 'p':
			emit_number(s, &sp,
			    (uint64_t)(uintptr_t)va_arg(ap, void *), 16, false,
			    false, "0x");
			break;
		case 'c': {
			char ch = (char)va_arg(ap, int);

			if (!sp.left)
				emit_n(s, ' ', sp.width - 1);
			emit(s, ch);
			if (sp.left)
				emit_n(s, ' ', sp.width - 1);
			break;
		}
		case 's':
			emit_string(s, &sp, va_arg(ap, const char *));
			break;
		case '%':
			emit(s, '%');
			break;
		default:	/* unknown: show it as written */
			emit(s, '%');
			emit(s, c);
			break;
		}
	}
	va_end(ap);
}

static void
put_buffer(struct fmt_sink *s, char c)
{
	if (s->len + 1 < s->size)
		s->buf[s->len] = c;
}

int
fmt_vsnprintf(char *buf, size_t size, const char *fmt, va_list ap)
{
	struct fmt_sink s = { .put = put_buffer, .buf = buf, .size = size };

	fmt_format(&s, fmt, ap);
	if (size > 0)
		buf[s.len < size ? s.len : size - 1] = '\0';
	return (int)s.len;
}
