/*
 * Reading the multiboot v1 information into struct boot_info.  All of
 * the loader's structures live in physical memory below 4 GiB, which the
 * boot page tables map at DIRECT_MAP_BASE.  What does not fit boot_info
 * is dropped with a warning rather than trusted.
 */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "boot_info.h"
#include "kprintf.h"
#include "multiboot.h"
#include "x86.h"

/* Copy the C string at physical PA into DST (SIZE bytes, truncating). */
static void
copy_phys_string(char *dst, size_t size, uint32_t pa)
{
	const char *src = phys_to_virt(pa);
	size_t i = 0;

	if (pa != 0) {
		for (; i + 1 < size && src[i] != '\0'; i++)
			dst[i] = src[i];
	}
	dst[i] = '\0';
}

static void
add_region(struct boot_info *bi, uint64_t base, uint64_t length)
{
	if (length == 0)
		return;
	if (bi->nregions == BOOT_REGIONS_MAX) {
		kprintf("vg: warning: more than %d RAM regions; ignoring "
		    "0x%lx+0x%lx\n", BOOT_REGIONS_MAX, base, length);
		return;
	}
	bi->region[bi->nregions].base = base;
	bi->region[bi->nregions].length = length;
	bi->nregions++;
}

/* Any region of the map: not a device's. */
static void
add_mapped(struct boot_info *bi, uint64_t base, uint64_t length)
{
	if (length == 0)
		return;
	if (bi->nmapped == BOOT_REGIONS_MAX) {
		/* Then the whole physical space above it is refused too
		 * (physmem.c): better no device memory than RAM as one. */
		bi->mapped[BOOT_REGIONS_MAX - 1].length = ~0ull -
		    bi->mapped[BOOT_REGIONS_MAX - 1].base;
		return;
	}
	bi->mapped[bi->nmapped].base = base;
	bi->mapped[bi->nmapped].length = length;
	bi->nmapped++;
}

static void
parse_mmap(const struct multiboot_info *mbi, struct boot_info *bi)
{
	uint64_t pa = mbi->mmap_addr;
	uint64_t end = pa + mbi->mmap_length;

	while (pa + sizeof(struct multiboot_mmap_entry) <= end) {
		const struct multiboot_mmap_entry *e = phys_to_virt(pa);

		if (e->type == MULTIBOOT_MEMORY_AVAILABLE)
			add_region(bi, e->addr, e->len);
		add_mapped(bi, e->addr, e->len);
		pa += (uint64_t)e->size + sizeof(e->size);
	}
}

void
multiboot_parse(uint32_t mbinfo_phys, struct boot_info *bi)
{
	const struct multiboot_info *mbi = phys_to_virt(mbinfo_phys);

	*bi = (struct boot_info){ .nregions = 0 };

	if (mbi->flags & MBI_MMAP) {
		parse_mmap(mbi, bi);
	} else if (mbi->flags & MBI_MEMORY) {
		/* No map: the two classic ranges. */
		add_region(bi, 0, (uint64_t)mbi->mem_lower << 10);
		add_region(bi, 0x100000, (uint64_t)mbi->mem_upper << 10);
		add_mapped(bi, 0, (uint64_t)mbi->mem_lower << 10);
		add_mapped(bi, 0x100000, (uint64_t)mbi->mem_upper << 10);
	}

	if (mbi->flags & MBI_CMDLINE)
		copy_phys_string(bi->cmdline, sizeof(bi->cmdline),
		    mbi->cmdline);

	if (mbi->flags & MBI_MODS) {
		const struct multiboot_module *m =
		    phys_to_virt(mbi->mods_addr);

		for (uint32_t i = 0; i < mbi->mods_count; i++) {
			struct boot_module *bm;

			if (bi->nmodules == BOOT_MODULES_MAX) {
				kprintf("vg: warning: more than %d modules; "
				    "ignoring the rest\n", BOOT_MODULES_MAX);
				break;
			}
			bm = &bi->module[bi->nmodules++];
			bm->start = m[i].mod_start;
			bm->end = m[i].mod_end;
			copy_phys_string(bm->name, sizeof(bm->name),
			    m[i].string);
		}
	}
}

bool
boot_cmdline_has(const struct boot_info *bi, const char *word)
{
	const char *p = bi->cmdline;

	for (;;) {
		size_t i;

		while (*p == ' ' || *p == '\t')
			p++;
		if (*p == '\0')
			return false;
		for (i = 0; word[i] != '\0' && p[i] == word[i]; i++)
			continue;
		if (word[i] == '\0' &&
		    (p[i] == '\0' || p[i] == ' ' || p[i] == '\t'))
			return true;
		while (*p != '\0' && *p != ' ' && *p != '\t')
			p++;
	}
}
