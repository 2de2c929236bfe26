/*
 * From a booted machine to the root task: storage, the core, the root
 * task from the first boot module, the timer, and off to user mode.
 */
#include <stddef.h>

#include "boot_info.h"
#include "entry.h"
#include "kernel.h"
#include "kassert.h"
#include "kprintf.h"
#include "mmu.h"
#include "physmem.h"
#include "protect.h"
#include "roottask.h"
#include "storage.h"
#include "x86.h"
#include "xthread.h"

/* The root task, then the programs it is to start. */
static struct roottask_module modules[BOOT_MODULES_MAX];

void
x86_start(struct boot_info *bi)
{
	struct mmu_storage s;
	struct kernel_roots roots;
	struct roottask_ret rt;
	unsigned i, n = 0;

	/* A kernel-mode exception and a panic, to test their reports. */
	if (boot_cmdline_has(bi, "test-ud2")) {
		kprintf("vg: executing ud2\n");
		__asm__ volatile("ud2");
	}
	if (boot_cmdline_has(bi, "test-panic"))
		kpanic("x86_start: test-panic on the command line");
	s = mmu_init(bi);
	physmem_init(bi);
	protect_probe(bi);

	kprintf("vg: storage: %u folios of 128 objects (%lu MiB at %lx)\n",
	    s.nchunks, (unsigned long)(((uint64_t)s.nchunks * FOLIO_FRAMES *
	    FRAME_SIZE) >> 20), (unsigned long)s.phys);
	roots = kernel_init(s.base, s.nchunks);
	if (roots.err != VG_OK)
		kpanic("x86_start: the core refused the storage window");
	if (bi->nmodules == 0)
		kpanic("x86_start: no root task (boot module 1)");
	for (i = 1; i < bi->nmodules; i++) {
		modules[n].data = phys_to_virt(bi->module[i].start);
		modules[n].size = bi->module[i].end - bi->module[i].start;
		modules[n].name = bi->module[i].name;
		n++;
	}
	rt = roottask_load(&roots, phys_to_virt(bi->module[0].start),
	    bi->module[0].end - bi->module[0].start, modules, n, bi->cmdline);
	if (rt.err != VG_OK)
		kpanic("x86_start: the root task image is not usable");
	kprintf("vg: root task '%s' loaded with %u modules\n",
	    bi->module[0].name, n);

	syscall_init();
	kprintf("vg: entering user mode (rdtsc %lu)\n",
	    (unsigned long)rdtsc());
	x86_current = NULL;
	x86_return_to_user();
}
