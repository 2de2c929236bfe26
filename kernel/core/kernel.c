/*
 * Core bring-up: storage, then the root of the resource tree and the
 * kernel's devices: the console, the machine's power, and the controls
 * of interrupts, I/O ports, device memory and DMA.
 */
#include <stddef.h>

#include "cache.h"
#include "folio.h"
#include "irq.h"
#include "kernel.h"
#include "storage.h"

#ifdef VG_DEBUG
const bool kernel_checked = true;
#else
const bool kernel_checked = false;
#endif

struct kernel_roots
kernel_init(void *storage, uint32_t nchunks)
{
	struct folio *root_folio;
	struct vg_cap root_activity;

	irq_boot();
	if (!storage_init(storage, nchunks))
		return (struct kernel_roots){ .err = VG_ERR_NO_STORAGE };
	/* The slot maps of the cache marks start empty, whatever a former
	 * window (a test's, a fuzzer input's) left in them. */
	cache_invalidate_all();
	root_folio = folio_boot();
	if (root_folio == NULL)
		return (struct kernel_roots){ .err = VG_ERR_NO_STORAGE };
	/* Nothing is above the root task: its activity's limits are its. */
	root_activity = folio_object_cap(root_folio, 0);
	root_activity.rights = VG_CAP_LIMIT;
	return (struct kernel_roots){
		.err = VG_OK,
		.root_activity = root_activity,
		.root_folio = folio_cap(root_folio),
		.console = folio_object_cap(root_folio, FOLIO_BOOT_CONSOLE),
		.power = folio_object_cap(root_folio, FOLIO_BOOT_POWER),
		.irq_control = folio_object_cap(root_folio,
		    FOLIO_BOOT_IRQ_CONTROL),
		.ioport_control = folio_object_cap(root_folio,
		    FOLIO_BOOT_IOPORT_CONTROL),
		.devmem_control = folio_object_cap(root_folio,
		    FOLIO_BOOT_DEVMEM_CONTROL),
		.dma_control = folio_object_cap(root_folio,
		    FOLIO_BOOT_DMA_CONTROL),
	};
}
