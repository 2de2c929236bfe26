/*
 * Console output of any length (vg_debug_write, libvg/syscall.h): the
 * kernel's DEBUG_WRITE reads within one page per call, so the bytes go
 * out page piece by page piece.
 */
#include <stdint.h>

#include <libvg/syscall.h>

enum vg_err
vg_debug_write(const void *buf, size_t len)
{
	const char *p = buf;

	while (len > 0) {
		uint64_t in_page = 4096 - ((uint64_t)(uintptr_t)p & 4095);
		uint64_t n = len < in_page ? len : in_page;
		enum vg_err err = vg_debug_write_page(p, n);

		if (err != VG_OK)
			return err;
		p += n;
		len -= n;
	}
	return VG_OK;
}
