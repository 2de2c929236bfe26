/*
 * I/O port range objects (device_methods.c; docs/drivers.md): the
 * authority to read and write the ports FIRST .. FIRST + COUNT - 1 with
 * IOPORT_IN and IOPORT_OUT.  Made by the I/O port control, which refuses
 * the kernel's own ports (arch_ioport_available); the range never
 * changes.  The method-based variant: every access is a kernel call, so
 * that a range can be virtualized and traced like any object.
 */
#ifndef VG_KERNEL_IOPORT_H
#define VG_KERNEL_IOPORT_H

#include <stdint.h>

struct ioport {
	uint32_t first;
	uint32_t count;
};

#endif /* VG_KERNEL_IOPORT_H */
