/*
 * Device-memory objects (devmem_methods.c; docs/drivers.md): the
 * authority to map the 2^LOG2 physical pages from BASE, registers or
 * buffers of a device, not RAM.  Made by the device-memory control,
 * which refuses what the platform says is memory (arch_devmem_available);
 * the range never changes.  A data fault whose translation ends at one
 * maps the page its address selects, uncached and never executable
 * (thread_fault_resolved); destroying it drops the page tables as for
 * any page.
 */
#ifndef VG_KERNEL_DEVMEM_H
#define VG_KERNEL_DEVMEM_H

#include <stdint.h>

struct devmem {
	uint64_t base;		/* physical, page-aligned */
	uint32_t log2;		/* 2^log2 pages */
};

/*
 * The physical address of the page of device-memory object D that a
 * data fault at user address VADDR maps: an object of 2^k pages covers
 * an aligned 2^k-page span of the address space, like a large page, and
 * the page number's low k bits select the page.
 */
static inline uint64_t
devmem_page(const struct devmem *d, uint64_t vaddr)
{
	uint64_t pn = vaddr >> 12;

	return d->base + ((pn & ((1ull << d->log2) - 1)) << 12);
}

#endif /* VG_KERNEL_DEVMEM_H */
