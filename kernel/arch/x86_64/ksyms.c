/*
 * Looking up the kernel's symbol table (ksyms.h) by binary search.
 */
#include <stdbool.h>
#include <stdint.h>

#include "ksyms.h"
#include "x86.h"

bool
ksym_lookup(uint64_t addr, const char **name, uint64_t *start)
{
	uint32_t lo = 0, hi = ksym_count, mid;
	uint64_t off;

	if (addr < (uint64_t)(uintptr_t)__kernel_text_start ||
	    addr >= (uint64_t)(uintptr_t)__kernel_text_end)
		return false;
	off = addr - KERNEL_VIRT_BASE;
	/* The first entry above ADDR; the one before it holds ADDR. */
	while (lo < hi) {
		mid = lo + (hi - lo) / 2;
		if (ksym_table[mid].addr <= off)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (lo == 0)
		return false;
	*name = &ksym_names[ksym_table[lo - 1].name];
	*start = KERNEL_VIRT_BASE + ksym_table[lo - 1].addr;
	return true;
}
