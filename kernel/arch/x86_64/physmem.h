/*
 * What the machine's physical address space holds, for the
 * device-memory objects (arch_devmem_available): the boot memory map's
 * regions, the kernel's own memory (mmu_kernel_phys) and how many
 * physical address bits the processor has.
 */
#ifndef VG_X86_PHYSMEM_H
#define VG_X86_PHYSMEM_H

struct boot_info;

/* At boot, before the root task: keep the memory map of BI. */
void physmem_init(const struct boot_info *bi);

#endif /* VG_X86_PHYSMEM_H */
