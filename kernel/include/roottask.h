/*
 * Loading the root task (docs/design.md §7, vg/boot.h).
 *
 * Portable: the platform hands over the ELF image and the modules as
 * bytes in kernel memory; this builds the root task's objects in storage
 * charged to the root activity -- its thread, UTCB, capability tree,
 * pages holding the image, stack, boot information and modules -- exactly
 * as vg/boot.h describes, gives it the capabilities of ROOTS (the root
 * activity, the console, the power object, the device controls), and
 * leaves the thread
 * runnable.
 */
#ifndef VG_KERNEL_ROOTTASK_H
#define VG_KERNEL_ROOTTASK_H

#include <stddef.h>
#include <stdint.h>

#include <vg/error.h>

#include "kernel.h"

struct thread;

struct roottask_module {
	const void *data;
	uint64_t size;
	const char *name;
};

struct roottask_ret {
	enum vg_err err;	/* VG_ERR_INVALID: not a usable ELF image */
	struct thread *thread;
};

struct roottask_ret roottask_load(const struct kernel_roots *roots,
    const void *elf, size_t elf_size, const struct roottask_module *mods,
    unsigned nmods, const char *cmdline);

#endif /* VG_KERNEL_ROOTTASK_H */
