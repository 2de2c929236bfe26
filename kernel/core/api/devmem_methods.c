/*
 * Device memory and DMA (docs/drivers.md): the device-memory control,
 * which makes device-memory objects (devmem.h) for physical ranges that
 * are not memory, the objects themselves, the DMA control, which adds
 * the DMA right to page capabilities, and the one method of a page, its
 * physical address for a device, which needs that right.
 */
#include <stddef.h>

#include <vg/method.h>

#include "arch.h"
#include "as.h"
#include "devmem.h"
#include "folio.h"
#include "invocation.h"
#include "methods.h"
#include "object.h"

/* Page-aligned, as high as x86-64 physical addresses go. */
#define DEVMEM_PHYS_LIMIT	(1ull << 52)

/* DEVMEM_CONTROL_CREATE: 2^w2 pages from w1 in slot w3 of cap 1. */
static void
devmem_control_methods(struct invocation *inv)
{
	struct folio_ret r;
	struct devmem *d;
	struct folio *f;
	uint64_t base, log2;

	if (inv->word[0] != VG_METHOD_DEVMEM_CONTROL_CREATE) {
		invoke_error(inv, VG_ERR_METHOD);
		return;
	}
	if (!invoke_need(inv, 4))
		return;
	base = inv->word[1];
	log2 = inv->word[2];
	if ((base & (VG_PAGE_SIZE - 1)) != 0 || log2 > VG_DEVMEM_LOG2_MAX ||
	    base >= DEVMEM_PHYS_LIMIT ||
	    (DEVMEM_PHYS_LIMIT - base) >> VG_PAGE_SHIFT < 1ull << log2 ||
	    inv->word[3] >= VG_FOLIO_OBJECTS ||
	    !arch_devmem_available(base, 1ull << log2)) {
		invoke_error(inv, VG_ERR_INVALID);
		return;
	}
	if ((f = device_request_folio(inv)) == NULL)
		return;
	r = folio_device_alloc(f, (unsigned)inv->word[3], VG_TYPE_DEVMEM);
	invoke_error(inv, r.err);
	if (r.err != VG_OK)
		return;
	/* commit: the range is its for good. */
	d = object_lookup(&r.cap);
	d->base = base;
	d->log2 = (uint32_t)log2;
	invoke_reply_cap(inv, r.cap);
}

static void
devmem_object_methods(struct invocation *inv)
{
	const struct devmem *d = inv->object;

	if (inv->word[0] != VG_METHOD_DEVMEM_INFO) {
		invoke_error(inv, VG_ERR_METHOD);
		return;
	}
	invoke_error(inv, VG_OK);
	invoke_reply_word(inv, d->base);
	invoke_reply_word(inv, d->log2);
}

/* DMA_CONTROL_GRANT: capability 1, a page's, with the DMA right. */
static void
dma_control_methods(struct invocation *inv)
{
	struct as_result r;
	void *frame;

	if (inv->word[0] != VG_METHOD_DMA_CONTROL_GRANT) {
		invoke_error(inv, VG_ERR_METHOD);
		return;
	}
	r = invoke_request_cap(inv, 1);
	if (r.err != VG_OK) {
		invoke_error(inv, r.err == AS_VIRTUALIZED ? VG_ERR_VIRTUAL :
		    r.err);
		return;
	}
	if (r.cap.type == VG_TYPE_VOID) {
		invoke_error(inv, VG_ERR_VOID);
		return;
	}
	if (r.cap.type != VG_TYPE_PAGE && r.cap.type != VG_TYPE_RPAGE) {
		invoke_error(inv, VG_ERR_TYPE);
		return;
	}
	frame = object_lookup(&r.cap);
	if (frame == NULL) {
		invoke_error(inv, VG_ERR_VOID);
		return;
	}
	/* commit: no failure past here */
	r.cap.rights |= VG_CAP_DMA;
	invoke_error(inv, VG_OK);
	/* What PAGE_DMA_ADDRESS would say, saving the driver that call. */
	invoke_reply_word(inv, arch_frame_phys(frame));
	invoke_reply_word(inv, r.cap.type == VG_TYPE_PAGE);
	invoke_reply_cap(inv, r.cap);
}

/* PAGE_DMA_ADDRESS: only through a capability with the DMA right. */
static void
page_methods(struct invocation *inv)
{
	if (inv->word[0] != VG_METHOD_PAGE_DMA_ADDRESS) {
		invoke_error(inv, VG_ERR_METHOD);
		return;
	}
	if (!(inv->target.rights & VG_CAP_DMA)) {
		invoke_error(inv, VG_ERR_RIGHTS);
		return;
	}
	invoke_error(inv, VG_OK);
	invoke_reply_word(inv, arch_frame_phys(inv->object));
	invoke_reply_word(inv, inv->target.type == VG_TYPE_PAGE);
}

void
devmem_methods(struct invocation *inv)
{
	switch ((enum vg_type)inv->target.type) {
	case VG_TYPE_DEVMEM_CONTROL:
		devmem_control_methods(inv);
		return;
	case VG_TYPE_DEVMEM:
		devmem_object_methods(inv);
		return;
	case VG_TYPE_DMA_CONTROL:
		dma_control_methods(inv);
		return;
	case VG_TYPE_PAGE:
	case VG_TYPE_RPAGE:
		page_methods(inv);
		return;
	default:
		invoke_error(inv, VG_ERR_METHOD);
		return;
	}
}
