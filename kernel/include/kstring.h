/*
 * The memory functions the core uses.  In freestanding builds kernel/lib
 * defines them; in the hosted build the C library does (so that ASan sees
 * every access).  The prototypes are the standard ones either way.
 */
#ifndef VG_KERNEL_KSTRING_H
#define VG_KERNEL_KSTRING_H

#include <stddef.h>

void *memcpy(void *restrict dst, const void *restrict src, size_t n);
void *memmove(void *dst, const void *src, size_t n);
void *memset(void *dst, int c, size_t n);
int memcmp(const void *a, const void *b, size_t n);

/*
 * -ffreestanding turns the compiler's knowledge of these off, so that a
 * small copy of known size became a call and a loop.  Through the
 * builtins it is a few moves again, and anything else still calls
 * kernel/lib (which defines them, so it must not see these).
 */
#if !defined(VG_KSTRING_IMPL)
#define memcpy(d, s, n)		__builtin_memcpy((d), (s), (n))
#define memmove(d, s, n)	__builtin_memmove((d), (s), (n))
#define memset(d, c, n)		__builtin_memset((d), (c), (n))
#define memcmp(a, b, n)		__builtin_memcmp((a), (b), (n))
#endif

#endif /* VG_KERNEL_KSTRING_H */
