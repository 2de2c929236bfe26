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

#endif /* VG_KERNEL_KSTRING_H */
