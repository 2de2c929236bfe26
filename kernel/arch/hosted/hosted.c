/*
 * The hosted platform (see hosted.h): arch hooks over the C library.
 */
#include <stdio.h>
#include <stdlib.h>

#include "arch.h"
#include "hosted.h"
#include "storage.h"

static void *storage;

_Noreturn void
arch_panic(const char *why, const char *file, int line)
{
	fprintf(stderr, "vg panic: %s (%s:%d)\n", why, file, line);
	fflush(stderr);
	abort();
}

void
arch_console_write(const char *s, size_t n)
{
	fwrite(s, 1, n, stderr);
}

uint64_t
hosted_storage_bytes(uint32_t nchunks)
{
	return (uint64_t)nchunks * FOLIO_FRAMES * FRAME_SIZE;
}

struct kernel_roots
hosted_boot(uint32_t nchunks)
{
	hosted_shutdown();
	storage = aligned_alloc(FRAME_SIZE, hosted_storage_bytes(nchunks));
	if (storage == NULL)
		return (struct kernel_roots){ .err = VG_ERR_NO_STORAGE };
	return kernel_init(storage, nchunks);
}

void
hosted_shutdown(void)
{
	free(storage);
	storage = NULL;
}
