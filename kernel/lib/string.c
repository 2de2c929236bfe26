/*
 * Freestanding memory functions for kernel builds.  The compiler may emit
 * calls to these even where the source has none (structure copies), so a
 * kernel without libc must define them.  The kernel is built with
 * -mgeneral-regs-only, so they move eight bytes at a time through general
 * registers when both ends are aligned, and bytes otherwise.  (Guest
 * instructions are what vg is measured in: frames are zeroed and message
 * pages copied word by word.)
 */
#include <stdint.h>

#define VG_KSTRING_IMPL
#include "kstring.h"

#define WORD	sizeof(uint64_t)

static int
aligned(const void *a, const void *b)
{
	return (((uintptr_t)a | (uintptr_t)b) & (WORD - 1)) == 0;
}

void *
memcpy(void *restrict dst, const void *restrict src, size_t n)
{
	uint8_t *d = dst;
	const uint8_t *s = src;

	if (aligned(d, s)) {
		for (; n >= WORD; n -= WORD, d += WORD, s += WORD)
			*(uint64_t *)(void *)d = *(const uint64_t *)(const void *)s;
	}
	while (n-- > 0)
		*d++ = *s++;
	return dst;
}

void *
memmove(void *dst, const void *src, size_t n)
{
	uint8_t *d = dst;
	const uint8_t *s = src;

	if (d == s || n == 0)
		return dst;
	if (d < s || d >= s + n)
		return memcpy(dst, src, n);
	/* Overlapping, destination above: copy from the end. */
	d += n;
	s += n;
	if (aligned(d, s)) {
		for (; n >= WORD; n -= WORD) {
			d -= WORD;
			s -= WORD;
			*(uint64_t *)(void *)d = *(const uint64_t *)(const void *)s;
		}
	}
	while (n-- > 0)
		*--d = *--s;
	return dst;
}

void *
memset(void *dst, int c, size_t n)
{
	uint8_t *d = dst;
	uint64_t w = (uint8_t)c * UINT64_C(0x0101010101010101);

	if (aligned(d, d)) {
		for (; n >= WORD; n -= WORD, d += WORD)
			*(uint64_t *)(void *)d = w;
	}
	while (n-- > 0)
		*d++ = (uint8_t)c;
	return dst;
}

int
memcmp(const void *a, const void *b, size_t n)
{
	const uint8_t *x = a, *y = b;

	for (; n > 0; n--, x++, y++) {
		if (*x != *y)
			return *x < *y ? -1 : 1;
	}
	return 0;
}
