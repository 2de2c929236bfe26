/*
 * I/O ports for the I/O port range objects (arch.h): the whole 64 KiB
 * port space but the ports the kernel drives itself.
 */
#include <stdbool.h>
#include <stdint.h>

#include "arch.h"
#include "x86.h"

/* The kernel's ports: first, count. */
static const struct {
	uint16_t first, count;
} kernel_ports[] = {
	{ 0x20, 2 },	/* master PIC */
	{ 0x40, 4 },	/* PIT */
	{ 0x80, 1 },	/* io_wait's delay port */
	{ 0xa0, 2 },	/* slave PIC */
	{ 0xf4, 4 },	/* QEMU's isa-debug-exit: the power object's */
	{ 0x3f8, 8 },	/* COM1: the console */
};

bool
arch_ioport_available(uint32_t first, uint32_t count)
{
	if (count == 0 || first > 0xffff || count > 0x10000 - first)
		return false;
	for (unsigned i = 0; i < sizeof(kernel_ports) / sizeof(kernel_ports[0]);
	    i++) {
		uint32_t kf = kernel_ports[i].first, kn = kernel_ports[i].count;

		if (first < kf + kn && kf < first + count)
			return false;
	}
	return true;
}

uint32_t
arch_ioport_in(uint16_t port, unsigned width)
{
	switch (width) {
	case 1:
		return inb(port);
	case 2:
		return inw(port);
	default:
		return inl(port);
	}
}

void
arch_ioport_out(uint16_t port, unsigned width, uint32_t value)
{
	switch (width) {
	case 1:
		outb(port, (uint8_t)value);
		return;
	case 2:
		outw(port, (uint16_t)value);
		return;
	default:
		outl(port, value);
		return;
	}
}
