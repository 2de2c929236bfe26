/*
 * pci-list: a driver's first steps with the PCI bus program (user/pci),
 * whose service its parent put in its slot VG_SLOT_SERVICE:
 *
 *	make run APP="pci pci-list"
 *
 * It claims QEMU's virtio-blk function (1af4:1001, or the modern
 * 1af4:1042) -- or, on a machine without one, the host bridge -- and
 * reads its ids back through the function's own receiver, gets each of
 * its BARs (an I/O port range it reads a register through, or a
 * device-memory object) and its interrupt object, and asks the DMA
 * right for a page of its own.  Then it checks what it must not get:
 * the same function twice, configuration dwords beyond its function's
 * 256 bytes, a BAR written, a function that is not there.
 */
#include <libvg/libvg.h>
#include <libvg/pci.h>

static struct vg_call *c;
static vg_addr_t pci, fn;
static unsigned failures;

static enum vg_err
claim(uint16_t vendor, uint16_t device, vg_addr_t slot, uint64_t *addr,
    uint64_t *class)
{
	enum vg_err err;

	vg_call_begin(c, PCI_CLAIM);
	vg_call_word(c, vendor);
	vg_call_word(c, device);
	vg_call_word(c, 0);
	vg_call_expect(c, slot);
	err = vg_call(c, pci);
	if (err == VG_OK && !vg_call_cap_arrived(c, 0))
		err = VG_ERR_VOID;
	*addr = vg_call_result(c, 1);
	*class = vg_call_result(c, 2);
	return err;
}

static enum vg_err
config_read(unsigned offset, uint32_t *v)
{
	enum vg_err err;

	vg_call_begin(c, PCI_CONFIG_READ);
	vg_call_word(c, offset);
	err = vg_call(c, fn);
	*v = (uint32_t)vg_call_result(c, 1);
	return err;
}

static enum vg_err
config_write(unsigned offset, uint32_t v)
{
	vg_call_begin(c, PCI_CONFIG_WRITE);
	vg_call_word(c, offset);
	vg_call_word(c, v);
	return vg_call(c, fn);
}

/* Check that ERR is WANT: a refusal the protocol promises. */
static void
refused(const char *what, enum vg_err err, enum vg_err want)
{
	printf("pci-list: %s: %s%s\n", what, err == want ? "refused, " :
	    "NOT REFUSED AS IT SHOULD BE: ", vg_strerror(err));
	if (err != want)
		failures++;
}

/* BAR I: what it is, and its capability, used once. */
static void
bar(unsigned i, bool legacy_virtio)
{
	struct vg_runtime *rt = vg_self();
	vg_addr_t slot = vg_slot_alloc(&rt->slots);
	uint64_t kind, base, size, dbase = 0;
	unsigned log2 = 0;
	uint32_t v = 0;
	enum vg_err err;

	vg_call_begin(c, PCI_BAR);
	vg_call_word(c, i);
	vg_call_expect(c, slot);
	err = vg_call(c, fn);
	if (err == VG_ERR_INVALID)
		return;		/* no such BAR */
	if (err != VG_OK || !vg_call_cap_arrived(c, 0)) {
		printf("pci-list: BAR%u: %s\n", i, vg_strerror(err));
		failures++;
		return;
	}
	kind = vg_call_result(c, 1);
	base = vg_call_result(c, 2);
	size = vg_call_result(c, 3);
	if (kind & PCI_BAR_IO) {
		/* A legacy virtio device's first register: the features
		 * it offers. */
		err = vg_ioport_in(vg_kcall(), slot, (uint32_t)base, 4, &v);
		printf("pci-list: BAR%u: I/O ports %#lx, %lu of them: a port "
		    "range; its first dword reads %#x (%s)\n", i,
		    (unsigned long)base, (unsigned long)size, v,
		    legacy_virtio ? "the device's features" :
		    vg_strerror(err));
	} else {
		err = vg_devmem_info(vg_kcall(), slot, &dbase, &log2);
		printf("pci-list: BAR%u: memory %#lx, %#lx bytes: a "
		    "device-memory object of %u page%s at %#lx (%s)\n", i,
		    (unsigned long)base, (unsigned long)size, 1u << log2,
		    log2 == 0 ? "" : "s",
		    (unsigned long)dbase, vg_strerror(err));
	}
	if (err != VG_OK)
		failures++;
}

static void
irq(void)
{
	struct vg_runtime *rt = vg_self();
	vg_addr_t slot = vg_slot_alloc(&rt->slots);
	enum vg_err err;

	vg_call_begin(c, PCI_IRQ);
	vg_call_expect(c, slot);
	err = vg_call(c, fn);
	if (err == VG_OK && vg_call_cap_arrived(c, 0)) {
		printf("pci-list: interrupt: line %lu, an interrupt object\n",
		    (unsigned long)vg_call_result(c, 1));
		return;
	}
	printf("pci-list: interrupt: none to have (%s)\n", vg_strerror(err));
}

/* Ask the DMA right for a page of mine; WANT is what should come. */
static void
dma(enum vg_err want)
{
	struct vg_runtime *rt = vg_self();
	vg_addr_t slot = vg_slot_alloc(&rt->slots);
	uint64_t page = vg_page_alloc(1), phys = 0;
	enum vg_err err;

	vg_call_begin(c, PCI_DMA);
	vg_call_cap(c, vg_addr_of_data(page));
	vg_call_expect(c, slot);
	err = vg_call(c, fn);
	if (want != VG_OK) {
		refused("the DMA right for a page", err, want);
		return;
	}
	if (err == VG_OK)
		err = vg_page_dma_address(vg_kcall(), slot, &phys, NULL);
	printf("pci-list: DMA: my page with the DMA right is at physical "
	    "%#lx (%s)\n", (unsigned long)phys, vg_strerror(err));
	if (err != VG_OK)
		failures++;
}

int
main(void)
{
	struct vg_runtime *rt = vg_self();
	vg_addr_t again = vg_slot_alloc(&rt->slots);
	uint64_t addr = 0, class = 0, a2, c2;
	uint32_t id = 0, v;
	bool virtio = true, legacy = false;
	enum vg_err err;

	c = &rt->ucall;
	pci = vg_boot_slot(VG_SLOT_SERVICE);
	fn = vg_slot_alloc(&rt->slots);
	err = claim(0x1af4, 0x1001, fn, &addr, &class);
	legacy = err == VG_OK;
	if (err == VG_ERR_INVALID)
		err = claim(0x1af4, 0x1042, fn, &addr, &class);
	if (err == VG_ERR_INVALID) {
		printf("pci-list: no virtio-blk function here; I claim the "
		    "host bridge instead.\n");
		virtio = false;
		err = claim(0x8086, 0x1237, fn, &addr, &class);
	}
	if (err != VG_OK) {
		printf("pci-list: cannot claim a function: %s\n",
		    vg_strerror(err));
		return 1;
	}
	err = config_read(PCI_CFG_ID, &id);
	if (err == VG_OK)
		err = config_read(PCI_CFG_CLASS, &v);
	printf("pci-list: claimed %02lx:%02lx.%lx: %04x:%04x, class %06x "
	    "(read through PCI_CONFIG_READ: %s)\n",
	    (unsigned long)PCI_ADDR_BUS(addr), (unsigned long)PCI_ADDR_DEV(addr),
	    (unsigned long)PCI_ADDR_FN(addr), id & 0xffff, id >> 16,
	    (unsigned)(class >> 8), vg_strerror(err));
	if (err != VG_OK || v != class)
		failures++;
	for (unsigned i = 0; i < 6; i++)
		bar(i, legacy);
	irq();
	dma(virtio ? VG_OK : VG_ERR_RIGHTS);

	refused("claiming it again", claim((uint16_t)id,
	    (uint16_t)(id >> 16), again, &a2, &c2), VG_ERR_IN_USE);
	refused("claiming 1234:5678, which is not there", claim(0x1234,
	    0x5678, again, &a2, &c2), VG_ERR_INVALID);
	refused("config offset 0x100, past my function's space",
	    config_read(0x100, &v), VG_ERR_INVALID);
	refused("config offset 0x1000 (another function's, in PCIe's "
	    "layout)", config_read(0x1000, &v), VG_ERR_INVALID);
	refused("config offset 0x2, unaligned", config_read(2, &v),
	    VG_ERR_INVALID);
	refused("writing BAR0", config_write(PCI_CFG_BAR0, 0), VG_ERR_RIGHTS);
	refused("writing the expansion ROM's BAR", config_write(0x30, 0),
	    VG_ERR_RIGHTS);
	if (!virtio) {
		(void)config_read(PCI_CFG_COMMAND, &v);
		refused("setting bus mastering without DMA",
		    config_write(PCI_CFG_COMMAND, (v & 0xffff) |
		    PCI_COMMAND_MASTER), VG_ERR_RIGHTS);
	}
	if (failures != 0) {
		printf("pci-list: %u checks failed.\n", failures);
		return 1;
	}
	printf("pci-list: done: my function's ids, BARs and line, and "
	    "nothing of any other.\n");
	return 0;
}
