/*
 * Configuration mechanism 1, enumeration and BAR sizing (config.h).
 */
#include <libvg/libvg.h>
#include <libvg/pci.h>

#include "config.h"

#define CONFIG_ENABLE	0x80000000u
#define HEADER_MULTI	0x80	/* header type's multi-function bit */
#define BRIDGE_BUSES	0x18	/* primary, secondary, subordinate */

static uint32_t
config_address(unsigned addr, unsigned offset)
{
	return CONFIG_ENABLE | (uint32_t)addr << 8 | (offset & 0xfc);
}

uint32_t
pci_read(struct pci_bus *b, unsigned addr, unsigned offset)
{
	struct vg_call *kc = vg_kcall();
	uint32_t v = 0xffffffffu;

	if (vg_ioport_out(kc, b->ports, PCI_CONFIG_PORT, 4,
	    config_address(addr, offset)) != VG_OK ||
	    vg_ioport_in(kc, b->ports, PCI_CONFIG_PORT + 4, 4, &v) != VG_OK)
		return 0xffffffffu;
	return v;
}

enum vg_err
pci_write(struct pci_bus *b, unsigned addr, unsigned offset, uint32_t value)
{
	struct vg_call *kc = vg_kcall();
	enum vg_err err;

	err = vg_ioport_out(kc, b->ports, PCI_CONFIG_PORT, 4,
	    config_address(addr, offset));
	if (err == VG_OK)
		err = vg_ioport_out(kc, b->ports, PCI_CONFIG_PORT + 4, 4,
		    value);
	return err;
}

/* Write all ones to the BAR at OFFSET, read back what sticks, restore. */
static uint32_t
probe(struct pci_bus *b, unsigned addr, unsigned offset, uint32_t *orig)
{
	uint32_t v;

	*orig = pci_read(b, addr, offset);
	(void)pci_write(b, addr, offset, 0xffffffffu);
	v = pci_read(b, addr, offset);
	(void)pci_write(b, addr, offset, *orig);
	return v;
}

/* Size F's BARs, its decoding off meanwhile: a BAR half-written to all
 * ones must not claim addresses that are someone else's. */
static void
size_bars(struct pci_bus *b, struct pci_fn *f)
{
	uint32_t cmd = pci_read(b, f->addr, PCI_CFG_COMMAND);

	(void)pci_write(b, f->addr, PCI_CFG_COMMAND, cmd & 0xffffu &
	    ~(uint32_t)(PCI_COMMAND_IO | PCI_COMMAND_MEMORY));
	for (unsigned i = 0; i < f->nbars; i++) {
		unsigned off = PCI_CFG_BAR0 + 4 * i;
		struct pci_bar *bar = &f->bar[i];
		uint32_t lo, lo_orig, hi = 0xffffffffu, hi_orig = 0;
		uint64_t mask;

		lo = probe(b, f->addr, off, &lo_orig);
		if (lo == 0 || lo == 0xffffffffu)
			continue;
		if (lo_orig & 1) {
			/* I/O: bits 2..31 (16 used on x86). */
			mask = lo & 0xfffcu;
			if (mask == 0)
				continue;
			bar->kind = PCI_BAR_IO;
			bar->base = lo_orig & 0xfffcu;
			bar->size = (~mask + 1) & 0xffffu;
			continue;
		}
		bar->kind = PCI_BAR_MEM | ((lo_orig & 8) ? PCI_BAR_PREFETCH :
		    0);
		bar->base = lo_orig & ~0xfu;
		mask = lo & ~0xfu;
		if (((lo_orig >> 1) & 3) == 2 && i + 1 < f->nbars) {
			bar->kind |= PCI_BAR_64;
			hi = probe(b, f->addr, off + 4, &hi_orig);
			bar->base |= (uint64_t)hi_orig << 32;
			mask |= (uint64_t)hi << 32;
		} else {
			mask |= 0xffffffff00000000ull;
		}
		bar->size = ~mask + 1;
		if (mask == 0xffffffff00000000ull || bar->size == 0)
			bar->kind = 0;
		if (bar->kind & PCI_BAR_64)
			i++;	/* its high half is no BAR of its own */
	}
	(void)pci_write(b, f->addr, PCI_CFG_COMMAND, cmd & 0xffffu);
}

static void scan_bus(struct pci_bus *b, unsigned bus, uint64_t *seen);

static void
add_function(struct pci_bus *b, unsigned addr, uint32_t id, uint64_t *seen)
{
	struct pci_fn *f;
	uint32_t irq;

	if (b->nfns == PCI_FUNCTIONS_MAX)
		return;
	f = &b->fn[b->nfns++];
	*f = (struct pci_fn){
		.addr = (uint16_t)addr,
		.vendor = (uint16_t)id,
		.device = (uint16_t)(id >> 16),
		.class = pci_read(b, addr, PCI_CFG_CLASS),
		.header = (uint8_t)(pci_read(b, addr, PCI_CFG_HEADER) >> 16) &
		    0x7f,
	};
	if (f->header != 0 && f->header != 1)
		return;		/* a CardBus bridge, or unknown: no BARs */
	f->nbars = f->header == 0 ? 6 : 2;
	irq = pci_read(b, addr, PCI_CFG_INTERRUPT);
	f->line = (uint8_t)irq;
	f->pin = (uint8_t)(irq >> 8);
	size_bars(b, f);
	if (f->header == 1) {
		unsigned sec = (pci_read(b, addr, BRIDGE_BUSES) >> 8) & 0xff;

		if (sec != 0)
			scan_bus(b, sec, seen);
	}
}

/* SEEN: a bit per bus, so that a loop of bridges ends. */
static void
scan_bus(struct pci_bus *b, unsigned bus, uint64_t *seen)
{
	if (seen[bus / 64] & (1ull << (bus % 64)))
		return;
	seen[bus / 64] |= 1ull << (bus % 64);
	for (unsigned dev = 0; dev < 32; dev++) {
		unsigned nfn = 1;

		for (unsigned fn = 0; fn < nfn; fn++) {
			unsigned addr = PCI_ADDR(bus, dev, fn);
			uint32_t id = pci_read(b, addr, PCI_CFG_ID);

			if ((id & 0xffff) == 0xffff)
				continue;
			if (fn == 0 && (pci_read(b, addr, PCI_CFG_HEADER) >>
			    16) & HEADER_MULTI)
				nfn = 8;
			add_function(b, addr, id, seen);
		}
	}
}

void
pci_enumerate(struct pci_bus *b)
{
	uint64_t seen[4] = { 0 };

	b->nfns = 0;
	scan_bus(b, 0, seen);
}

const char *
pci_class_name(uint32_t class)
{
	static const struct {
		uint16_t cs;
		const char *name;
	} names[] = {
		{ 0x0100, "SCSI controller" }, { 0x0101, "IDE controller" },
		{ 0x0106, "SATA controller" }, { 0x0108, "NVMe controller" },
		{ 0x0180, "storage controller" },
		{ 0x0200, "Ethernet controller" },
		{ 0x0300, "VGA controller" }, { 0x0380, "display controller" },
		{ 0x0600, "host bridge" }, { 0x0601, "ISA bridge" },
		{ 0x0604, "PCI bridge" }, { 0x0680, "bridge" },
		{ 0x0c03, "USB controller" }, { 0x0c05, "SMBus controller" },
	};

	for (unsigned i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (names[i].cs == class >> 16)
			return names[i].name;
	return NULL;
}
