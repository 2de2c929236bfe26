/*
 * vg public ABI: the root task's starting environment.
 *
 * The kernel loads one program, the root task, and starts it with the
 * capabilities below; the root task starts everything else (docs/design.md
 *  §7).
 *
 * Address space.  The root task's address-space root is a cappage with a
 * guard of VG_BOOT_ROOT_GUARD_DEPTH zero bits, so that data addresses (52
 * bits deep) and capability slots share one space:
 *
 *	slots 0..127	data: slot i holds the tree of the 4 MiB of virtual
 *			memory at i << 22 (so programs live below 512 MiB).
 *			Each is a cappage indexing 16 KiB ranges whose
 *			slots hold 1/64 of a cappage (4 slots: 4 pages).
 *	slots 128..255	capabilities: VG_BOOT_SLOT_* below; the rest are
 *			free for the root task.
 *
 * The address of capability slot i is vg_boot_slot(i).
 *
 * Memory.  The ELF image is loaded at its link addresses; the stack, the
 * UTCB, the boot information page and the modules are at the addresses
 * below.  struct vg_boot_info describes the modules.
 */
#ifndef VG_BOOT_H
#define VG_BOOT_H

#include <stdint.h>

#include <vg/addr.h>

#define VG_BOOT_ROOT_GUARD_DEPTH	34	/* VA bits 63..30 are zero */
#define VG_BOOT_DATA_SLOTS		128	/* slots 0..127: data */
#define VG_BOOT_REGION_SHIFT		22	/* each data slot: 4 MiB */
#define VG_BOOT_LEAF_SHIFT		14	/* each leaf group: 16 KiB */

/* Capability slots of the root cappage. */
enum vg_boot_slot {
	VG_BOOT_SLOT_ACTIVITY = 128,	/* the root activity */
	VG_BOOT_SLOT_THREAD = 129,	/* the root task's thread */
	VG_BOOT_SLOT_ROOT = 130,	/* its root cappage (no guard) */
	VG_BOOT_SLOT_FOLIO = 131,	/* the first folio holding its objects */
	VG_BOOT_SLOT_UTCB = 132,	/* its UTCB page */
	/* A messenger bound to its thread and address space whose buffer
	 * page is mapped at VG_BOOT_MESSAGE: every invocation is sent from
	 * a messenger, and this is the one to create the others with. */
	VG_BOOT_SLOT_MESSENGER = 133,
	/* The kernel's console and the machine's power (VG_TYPE_CONSOLE,
	 * VG_TYPE_POWER): nobody else has them until the root task gives
	 * them away. */
	VG_BOOT_SLOT_CONSOLE = 134,
	VG_BOOT_SLOT_POWER = 135,
	/* 136, 137: libvg's parent and service slots (libvg/env.h). */
	/* The interrupt control and the I/O port control
	 * (VG_TYPE_IRQ_CONTROL, VG_TYPE_IOPORT_CONTROL): the authority over
	 * the machine's devices, which the root task hands out to drivers
	 * as interrupt objects and port ranges (docs/drivers.md). */
	VG_BOOT_SLOT_IRQ_CONTROL = 138,
	VG_BOOT_SLOT_IOPORT_CONTROL = 139,
	/* The device-memory control and the DMA control
	 * (VG_TYPE_DEVMEM_CONTROL, VG_TYPE_DMA_CONTROL): device memory to
	 * map, and the right to learn pages' physical addresses for a
	 * device's DMA (docs/drivers.md). */
	VG_BOOT_SLOT_DEVMEM_CONTROL = 140,
	VG_BOOT_SLOT_DMA_CONTROL = 141,
	VG_BOOT_SLOT_FIRST_FREE = 142,	/* first slot free for its own use */
};

#define VG_BOOT_STACK_TOP	0x1ff00000u	/* stack grows down from here */
#define VG_BOOT_STACK_SIZE	0x10000u	/* 64 KiB */
#define VG_BOOT_UTCB		0x1ff10000u
#define VG_BOOT_INFO		0x1ff20000u	/* struct vg_boot_info */
#define VG_BOOT_MESSAGE		0x1ff30000u	/* its messenger's buffer page */
#define VG_BOOT_MODULES		0x10000000u	/* first module, page aligned */
#define VG_BOOT_USER_LIMIT	0x20000000u	/* 512 MiB */

#define VG_BOOT_MODULES_MAX	16
#define VG_BOOT_MODULE_LINE	112	/* bytes of vg_boot_module name */

struct vg_boot_module {
	uint64_t start;			/* virtual address in the root task */
	uint64_t size;			/* bytes */
	/* The module's command line from the boot loader, NUL-terminated
	 * (truncated to fit): by vg's convention its file, the program's
	 * name, then the program's arguments, separated by spaces. */
	char name[VG_BOOT_MODULE_LINE];
};

struct vg_boot_info {
	uint64_t magic;			/* VG_BOOT_MAGIC */
	uint32_t nmodules;
	uint32_t reserved;
	uint64_t storage_frames;	/* frames of storage in the machine */
	char cmdline[256];		/* the kernel's command line */
	struct vg_boot_module module[VG_BOOT_MODULES_MAX];
};

_Static_assert(sizeof(struct vg_boot_info) <= 4096,
    "the boot information is one page");

#define VG_BOOT_MAGIC	0x76672d626f6f7421ull	/* "vg-boot!" */

/* The address of slot I of the root cappage (0..255). */
static inline vg_addr_t
vg_boot_slot(unsigned i)
{
	return vg_addr(i, VG_BOOT_ROOT_GUARD_DEPTH + 8);
}

#endif /* VG_BOOT_H */
