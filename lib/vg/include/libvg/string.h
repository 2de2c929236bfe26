/*
 * libvg: the string and memory functions of a freestanding C library.
 * The compiler may emit calls to memcpy, memmove, memset and memcmp on
 * its own (structure copies): libvg provides them.
 */
#ifndef LIBVG_STRING_H
#define LIBVG_STRING_H

#include <stddef.h>

void *memcpy(void *restrict dst, const void *restrict src, size_t n);
void *memmove(void *dst, const void *src, size_t n);
void *memset(void *dst, int c, size_t n);
int memcmp(const void *a, const void *b, size_t n);
void *memchr(const void *s, int c, size_t n);
size_t strlen(const char *s);
size_t strnlen(const char *s, size_t max);
int strcmp(const char *a, const char *b);
int strncmp(const char *a, const char *b, size_t n);
char *strncpy(char *restrict dst, const char *restrict src, size_t n);
char *strchr(const char *s, int c);
char *strrchr(const char *s, int c);
/* Copy SRC into DST of SIZE bytes, always terminated; returns strlen(SRC). */
size_t strlcpy(char *restrict dst, const char *restrict src, size_t size);
/* C's strtoul (stdlib.h there): BASE 0 takes 0x for hexadecimal and a
 * leading 0 for octal; no locale, no errno (an overflow wraps). */
unsigned long strtoul(const char *restrict s, char **restrict end, int base);

#endif /* LIBVG_STRING_H */
