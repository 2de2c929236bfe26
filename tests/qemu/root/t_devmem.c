/*
 * Device memory and DMA (docs/drivers.md): troot makes a device-memory
 * object for the page of QEMU's VGA text buffer (0xb8000, in the hole of
 * the memory map below 1 MiB), stores it in the page slot of a page of
 * its own in place of the page, and reads back what it wrote there: the data fault mapped
 * the device's page.  RAM, the kernel's local APIC and a range that is
 * not page-aligned are refused.  A page of its own tells its physical
 * address only once the DMA control granted the right.
 */
#include "troot.h"

enum { R_REFUSED, R_MAPPED, R_INFO, R_DMA, R_GONE, R_N };

static const char *const names[R_N] = {
	[R_REFUSED] = "the device-memory control refuses RAM, the local "
	    "APIC's page and an unaligned base (VG_ERR_INVALID)",
	[R_MAPPED] = "a device-memory object in a page slot maps the VGA "
	    "text buffer: what is written there reads back",
	[R_INFO] = "DEVMEM_INFO gives the object's base and size",
	[R_DMA] = "PAGE_DMA_ADDRESS is VG_ERR_RIGHTS without the DMA right; "
	    "with it, a page-aligned address in RAM",
	[R_GONE] = "destroyed, the object's capability is void",
};

#define VGA_TEXT	0xb8000ull

static void
run(struct t_group *g)
{
	struct vg_runtime *rt = vg_self();
	struct vg_call *kc = vg_kcall();
	vg_addr_t dctl = vg_as_root_slot(&rt->as, VG_SLOT_DEVMEM_CONTROL);
	vg_addr_t mctl = vg_as_root_slot(&rt->as, VG_SLOT_DMA_CONTROL);
	vg_addr_t folio = t_slot(), tmp = t_slot(), dslot, dma = t_slot();
	volatile uint16_t *text;
	uint64_t base = 0, pa = 0, page, dev_va;
	unsigned log2 = 9;
	enum vg_err err, e1, e2, e3;
	uint16_t old;
	bool writable = false;

	err = vg_activity_folio_alloc(kc, rt->activity, folio);
	e1 = vg_devmem_control_create(kc, dctl, 0x100000, 0, folio, 0, tmp);
	e2 = vg_devmem_control_create(kc, dctl, 0xfee00000ull, 0, folio, 0,
	    tmp);
	e3 = vg_devmem_control_create(kc, dctl, VGA_TEXT + 0x10, 0, folio, 0,
	    tmp);
	t_ok(g, R_REFUSED, t_expect(err == VG_OK && e1 == VG_ERR_INVALID &&
	    e2 == VG_ERR_INVALID && e3 == VG_ERR_INVALID, "folio %s, RAM %s, "
	    "LAPIC %s, unaligned %s", vg_strerror(err), vg_strerror(e1),
	    vg_strerror(e2), vg_strerror(e3)));

	/* A page of mine whose slot the object takes over. */
	dev_va = vg_page_alloc(1);
	e1 = dev_va != 0 ? VG_OK : VG_ERR_NO_STORAGE;
	dslot = vg_as_page_slot(&rt->as, dev_va);
	text = (volatile uint16_t *)(uintptr_t)dev_va;
	err = e1;
	if (err == VG_OK)
		err = vg_devmem_control_create(kc, dctl, VGA_TEXT, 0, folio, 1,
		    dslot);
	if (err == VG_OK) {
		old = text[0];
		text[0] = 0x1f56;	/* 'V', white on blue */
		text[1] = 0x1f47;
		t_ok(g, R_MAPPED, t_expect(text[0] == 0x1f56 &&
		    text[1] == 0x1f47, "read back %#x %#x", text[0], text[1]));
		text[0] = old;
	} else {
		t_ok(g, R_MAPPED, t_expect(false, "making it: %s (the "
		    "space: %s)", vg_strerror(err), vg_strerror(e1)));
	}
	err = vg_devmem_info(kc, dslot, &base, &log2);
	t_ok(g, R_INFO, t_expect(err == VG_OK && base == VGA_TEXT &&
	    log2 == 0, "%s: base %#lx, log2 %u", vg_strerror(err),
	    (unsigned long)base, log2));

	page = vg_page_alloc(1);
	e1 = page != 0 ? vg_page_dma_address(kc, vg_addr_of_data(page), &pa,
	    NULL) :
	    VG_ERR_NO_STORAGE;
	err = page != 0 ? vg_dma_control_grant(kc, mctl,
	    vg_addr_of_data(page), dma) : VG_ERR_NO_STORAGE;
	if (err == VG_OK)
		err = vg_page_dma_address(kc, dma, &pa, &writable);
	t_ok(g, R_DMA, t_expect(e1 == VG_ERR_RIGHTS && err == VG_OK &&
	    pa != 0 && (pa & 0xfff) == 0 && pa < 512ull << 20 && writable,
	    "without %s, with %s: %#lx, writable %d", vg_strerror(e1),
	    vg_strerror(err), (unsigned long)pa, writable));

	/* Destroyed: its slot reads void (the page tables went with it). */
	err = vg_folio_object_alloc(kc, folio, 1, VG_TYPE_VOID, 0,
	    VG_ADDR_VOID);
	e1 = vg_devmem_info(kc, dslot, &base, &log2);
	t_ok(g, R_GONE, t_expect(err == VG_OK && e1 != VG_OK,
	    "destroy %s, info after %s", vg_strerror(err), vg_strerror(e1)));
	(void)vg_folio_free(kc, folio);
}

struct t_group t_group_devmem = {
	.name = "devmem",
	.n = R_N,
	.names = names,
	.run = run,
};
