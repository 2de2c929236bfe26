/*
 * Device memory on x86-64 (physmem.h): a range is a device's if it lies
 * below the processor's physical address limit and outside every region
 * the multiboot memory map lists -- RAM, reserved, ACPI -- and outside
 * the kernel's own memory and registers.  PCI BARs live in the holes
 * the map leaves (on QEMU's pc machine above the RAM below 4 GiB, and
 * the legacy VGA window at 0xa0000).
 */
#include <stdbool.h>
#include <stdint.h>

#include "arch.h"
#include "boot_info.h"
#include "mmu.h"
#include "physmem.h"
#include "x86.h"

static struct boot_region mapped[BOOT_REGIONS_MAX];
static unsigned nmapped;
static uint64_t phys_limit;

void
physmem_init(const struct boot_info *bi)
{
	uint32_t r[4];
	unsigned bits = 36;	/* without the leaf: the least x86-64 has */

	for (unsigned i = 0; i < bi->nmapped && i < BOOT_REGIONS_MAX; i++)
		mapped[nmapped++] = bi->mapped[i];
	cpuid(0x80000000u, 0, r);
	if (r[0] >= 0x80000008u) {
		cpuid(0x80000008u, 0, r);
		bits = r[0] & 0xff;
	}
	if (bits > 52)
		bits = 52;
	phys_limit = 1ull << bits;
}

bool
arch_devmem_available(uint64_t phys, uint64_t npages)
{
	uint64_t end = phys + npages * FRAME_SIZE;

	if (npages == 0 || end > phys_limit || end <= phys)
		return false;
	for (unsigned i = 0; i < nmapped; i++) {
		uint64_t b = mapped[i].base, e = b + mapped[i].length;

		if (e < b)	/* to the top */
			e = ~0ull;
		if (phys < e && b < end)
			return false;
	}
	return !mmu_kernel_phys(phys, end);
}
