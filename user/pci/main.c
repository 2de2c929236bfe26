/*
 * pci: the PCI bus program, the device manager.
 *
 *	pci [dma=VVVV:DDDD ...]
 *
 * Its parent (the root task, told so with devices= on the kernel command
 * line) gives it the interrupt, I/O port, device-memory and DMA controls
 * in the slots where the root task holds them.  It makes itself a range
 * over the configuration ports (0xcf8 .. 0xcff, mechanism 1), finds every
 * function on the bus, sizes its BARs, says what it found, and registers
 * a service on which a driver claims a function (libvg/pci.h): each
 * function is handed out once, as a receiver of its own, and what comes
 * through that receiver is that function's only -- its configuration
 * dwords (BARs and expansion ROM read-only), the port range or
 * device-memory object of each BAR, the interrupt object of its line,
 * and the DMA right for pages the driver presents if an argument dma=
 * names the function's vendor:device.
 *
 * Storage: every object made for a function (its BARs', its interrupt
 * object) is in a folio of the program's own, one per claimed function;
 * since a function is claimed once, what drivers can make it spend is
 * bounded by the bus.
 */
#include <libvg/libvg.h>
#include <libvg/pci.h>

#include "config.h"

#define IRQ_INDEX	PCI_BARS	/* the folio slot of a function's line */
#define DMA_IDS_MAX	8

/* What a claimed function holds. */
struct claim {
	struct vg_receiver rx;
	struct pci_fn *fn;
	vg_addr_t folio;
	vg_addr_t bar[PCI_BARS];	/* void until asked for */
	vg_addr_t irq;
	vg_addr_t page;			/* PCI_DMA's c1 lands here */
	bool dma;
};

static struct pci_bus bus;
static struct claim *claims[PCI_FUNCTIONS_MAX];
static struct vg_receiver service;
static uint32_t dma_ids[DMA_IDS_MAX];	/* vendor | device << 16 */
static unsigned ndma;
static bool line_taken[256];

static vg_addr_t
control(unsigned slot)
{
	return vg_boot_slot(slot);
}

static bool
may_dma(const struct pci_fn *f)
{
	for (unsigned i = 0; i < ndma; i++)
		if (dma_ids[i] == ((uint32_t)f->vendor | (uint32_t)f->device <<
		    16))
			return true;
	return false;
}

/* May the driver write the dword at OFFSET of F?  The BARs and the ROM
 * are the manager's: they say where the device is, which is what the
 * capabilities it handed out are made from. */
static bool
writable(const struct pci_fn *f, unsigned offset)
{
	if (f->header == 0)
		return !(offset >= 0x10 && offset < 0x28) && offset != 0x30;
	/* A bridge's BARs, bus numbers, windows and ROM. */
	return offset < 0x10 || offset >= 0x3c;
}

/* The pages of memory BAR B: [*first, *first + 2^*log2 pages). */
static void
bar_pages(const struct pci_bar *b, uint64_t *first, unsigned *log2)
{
	uint64_t pages = (b->size + VG_PAGE_SIZE - 1) / VG_PAGE_SIZE;
	unsigned k = 0;

	while ((1ull << k) < pages)
		k++;
	*first = b->base & ~(uint64_t)(VG_PAGE_SIZE - 1);
	*log2 = k;
}

/* Does a memory BAR of a function other than F touch a page of B? */
static bool
page_shared(const struct pci_fn *f, const struct pci_bar *b)
{
	uint64_t first, last;
	unsigned k;

	bar_pages(b, &first, &k);
	last = first + (VG_PAGE_SIZE << k);
	for (unsigned i = 0; i < bus.nfns; i++) {
		const struct pci_fn *g = &bus.fn[i];

		if (g == f)
			continue;
		for (unsigned j = 0; j < g->nbars; j++) {
			const struct pci_bar *c = &g->bar[j];

			if ((c->kind & PCI_BAR_MEM) && c->base < last &&
			    c->base + c->size > first)
				return true;
		}
	}
	return false;
}

static enum vg_err
make_bar(struct claim *c, unsigned i)
{
	struct vg_runtime *rt = vg_self();
	const struct pci_bar *b = &c->fn->bar[i];
	vg_addr_t slot;
	uint64_t first;
	unsigned k;
	enum vg_err err;

	if (!vg_addr_is_void(c->bar[i]))
		return VG_OK;
	if (b->kind == 0)
		return VG_ERR_INVALID;
	if ((b->kind & PCI_BAR_MEM) && page_shared(c->fn, b))
		return VG_ERR_IN_USE;
	slot = vg_slot_alloc(&rt->slots);
	if (vg_addr_is_void(slot))
		return VG_ERR_NO_STORAGE;
	if (b->kind & PCI_BAR_IO) {
		err = vg_ioport_control_create(vg_kcall(),
		    control(VG_SLOT_IOPORT_CONTROL), (uint32_t)b->base,
		    (uint32_t)b->size, c->folio, i, slot);
	} else {
		bar_pages(b, &first, &k);
		err = vg_devmem_control_create(vg_kcall(),
		    control(VG_SLOT_DEVMEM_CONTROL), first, k, c->folio, i,
		    slot);
	}
	if (err != VG_OK) {
		vg_slot_free(&rt->slots, slot);
		return err;
	}
	c->bar[i] = slot;
	return VG_OK;
}

static enum vg_err
make_irq(struct claim *c)
{
	struct vg_runtime *rt = vg_self();
	const struct pci_fn *f = c->fn;
	vg_addr_t slot;
	enum vg_err err;

	if (!vg_addr_is_void(c->irq))
		return VG_OK;
	/* Pin 0: none.  Line 0xff: the firmware routed none. */
	if (f->pin == 0 || f->line == 0xff || f->line == 0)
		return VG_ERR_INVALID;
	if (line_taken[f->line])
		return VG_ERR_IN_USE;
	slot = vg_slot_alloc(&rt->slots);
	if (vg_addr_is_void(slot))
		return VG_ERR_NO_STORAGE;
	/* The line register holds the legacy IRQ the firmware routed the
	 * pin to; its GSI is the same number unless the MADT remaps it,
	 * which on a PC it does for IRQ 0 only.  The kernel programs the
	 * trigger and polarity the MADT gives. */
	err = vg_irq_control_create(vg_kcall(), control(VG_SLOT_IRQ_CONTROL),
	    f->line, c->folio, IRQ_INDEX, slot);
	if (err != VG_OK) {
		vg_slot_free(&rt->slots, slot);
		return err;
	}
	line_taken[f->line] = true;
	c->irq = slot;
	return VG_OK;
}

/* A request on a claimed function's receiver. */
static void
serve_fn(struct vg_receiver *r, const struct vg_message *req,
    const struct vg_activation *a)
{
	struct claim *c = r->cookie;
	const struct pci_fn *f = c->fn;
	uint64_t off = vg_msg_word(req, 1), v = vg_msg_word(req, 2);
	struct vg_message *m;
	enum vg_err err;

	(void)a;
	switch (vg_msg_word(req, 0)) {
	case PCI_CONFIG_READ:
		if (off >= PCI_CFG_SIZE || (off & 3) != 0) {
			vg_reply_begin(r, VG_ERR_INVALID);
			break;
		}
		m = vg_reply_begin(r, VG_OK);
		vg_msg_put_word(m, pci_read(&bus, f->addr, (unsigned)off));
		break;
	case PCI_CONFIG_WRITE:
		if (off >= PCI_CFG_SIZE || (off & 3) != 0 || v > UINT32_MAX)
			err = VG_ERR_INVALID;
		else if (!writable(f, (unsigned)off) ||
		    (off == PCI_CFG_COMMAND && (v & PCI_COMMAND_MASTER) &&
		    !c->dma))
			err = VG_ERR_RIGHTS;
		else
			err = pci_write(&bus, f->addr, (unsigned)off,
			    (uint32_t)v);
		vg_reply_begin(r, err);
		break;
	case PCI_BAR:
		err = off < f->nbars ? make_bar(c, (unsigned)off) :
		    VG_ERR_INVALID;
		m = vg_reply_begin(r, err);
		if (err != VG_OK)
			break;
		vg_msg_put_word(m, f->bar[off].kind);
		vg_msg_put_word(m, f->bar[off].base);
		vg_msg_put_word(m, f->bar[off].size);
		vg_msg_put_cap(m, c->bar[off]);
		break;
	case PCI_IRQ:
		err = make_irq(c);
		m = vg_reply_begin(r, err);
		if (err != VG_OK)
			break;
		vg_msg_put_word(m, f->line);
		vg_msg_put_cap(m, c->irq);
		break;
	case PCI_DMA:
		if (!c->dma)
			err = VG_ERR_RIGHTS;
		else if (!vg_msg_cap_arrived(req, 1))
			err = VG_ERR_VOID;
		else
			err = vg_dma_control_grant(vg_kcall(),
			    control(VG_SLOT_DMA_CONTROL), c->page, c->page);
		m = vg_reply_begin(r, err);
		if (err == VG_OK)
			vg_msg_put_cap(m, c->page);
		break;
	case PCI_DMA_CONTROL:
		m = vg_reply_begin(r, c->dma ? VG_OK : VG_ERR_RIGHTS);
		if (c->dma)
			vg_msg_put_cap(m, control(VG_SLOT_DMA_CONTROL));
		break;
	default:
		vg_reply_begin(r, VG_ERR_METHOD);
		break;
	}
	(void)vg_reply_send(r);
	/* Keep nothing the driver sent. */
	if (vg_msg_word(req, 0) == PCI_DMA)
		(void)vg_as_rubout(vg_kcall(), vg_self()->self_root, c->page);
}

static void
say(const struct pci_fn *f, const char *what)
{
	printf("pci: %02x:%02x.%x %04x:%04x %s\n", PCI_ADDR_BUS(f->addr),
	    PCI_ADDR_DEV(f->addr), PCI_ADDR_FN(f->addr), f->vendor,
	    f->device, what);
}

static enum vg_err
claim(struct pci_fn *f, struct claim **out)
{
	struct vg_runtime *rt = vg_self();
	struct claim *c;
	uint64_t page;
	enum vg_err err;

	page = vg_page_alloc(1);
	if (page == 0)
		return VG_ERR_NO_STORAGE;
	c = VG_PTR(page);
	*c = (struct claim){ .fn = f, .irq = VG_ADDR_VOID,
	    .dma = may_dma(f) };
	for (unsigned i = 0; i < PCI_BARS; i++)
		c->bar[i] = VG_ADDR_VOID;
	c->folio = vg_slot_alloc(&rt->slots);
	c->page = vg_slot_alloc(&rt->slots);
	if (vg_addr_is_void(c->page))
		return VG_ERR_NO_STORAGE;
	err = vg_activity_folio_alloc(vg_kcall(), rt->activity, c->folio);
	if (err == VG_OK)
		err = vg_receiver_create(&c->rx, "pci.function", &c->page, 1,
		    serve_fn, c);
	if (err == VG_OK)
		err = vg_receiver_arm(&c->rx);
	if (err == VG_OK)
		*out = c;
	return err;
}

/* A request on the service: PCI_CLAIM. */
static void
serve(struct vg_receiver *r, const struct vg_message *req,
    const struct vg_activation *a)
{
	uint64_t vendor = vg_msg_word(req, 1), device = vg_msg_word(req, 2);
	uint64_t instance = vg_msg_word(req, 3);
	enum vg_err err = VG_ERR_INVALID;
	struct vg_message *m;
	unsigned i;

	(void)a;
	if (vg_msg_word(req, 0) != PCI_CLAIM) {
		vg_reply_begin(r, VG_ERR_METHOD);
		(void)vg_reply_send(r);
		return;
	}
	for (i = 0; i < bus.nfns; i++)
		if (bus.fn[i].vendor == vendor && bus.fn[i].device ==
		    device && instance-- == 0)
			break;
	if (i < bus.nfns && claims[i] != NULL)
		err = VG_ERR_IN_USE;
	else if (i < bus.nfns)
		err = claim(&bus.fn[i], &claims[i]);
	m = vg_reply_begin(r, err);
	if (err == VG_OK) {
		vg_msg_put_word(m, bus.fn[i].addr);
		vg_msg_put_word(m, bus.fn[i].class);
		vg_msg_put_cap(m, claims[i]->rx.weak);
		say(&bus.fn[i], claims[i]->dma ? "claimed (may do DMA)" :
		    "claimed");
	} else if (i < bus.nfns) {
		say(&bus.fn[i], "claimed again: refused");
	}
	(void)vg_reply_send(r);
}

static void
print_bus(void)
{
	for (unsigned i = 0; i < bus.nfns; i++) {
		const struct pci_fn *f = &bus.fn[i];
		const char *name = pci_class_name(f->class);
		char what[96];

		snprintf(what, sizeof(what), "class %06x%s%s, header %u",
		    (unsigned)(f->class >> 8), name != NULL ? " " : "",
		    name != NULL ? name : "", f->header);
		say(f, what);
		for (unsigned j = 0; j < f->nbars; j++) {
			const struct pci_bar *b = &f->bar[j];

			if (b->kind == 0)
				continue;
			printf("pci:   BAR%u %s%s%s %#lx, %#lx bytes\n", j,
			    (b->kind & PCI_BAR_IO) ? "I/O" : "memory",
			    (b->kind & PCI_BAR_64) ? " 64-bit" : "",
			    (b->kind & PCI_BAR_PREFETCH) ? " prefetchable" :
			    "", (unsigned long)b->base,
			    (unsigned long)b->size);
		}
		if (f->pin != 0)
			printf("pci:   interrupt pin INT%c, line %u\n",
			    'A' + f->pin - 1, f->line);
	}
}

/* The dma=VVVV:DDDD arguments. */
static void
parse_dma(int argc, char **argv)
{
	for (int i = 1; i < argc && ndma < DMA_IDS_MAX; i++) {
		char *p, *e;
		unsigned long v, d;

		if (strncmp(argv[i], "dma=", 4) != 0)
			continue;
		p = argv[i] + 4;
		v = strtoul(p, &e, 16);
		if (*e != ':' || v > 0xffff)
			continue;
		d = strtoul(e + 1, &e, 16);
		if (*e != '\0' || d > 0xffff)
			continue;
		dma_ids[ndma++] = (uint32_t)v | (uint32_t)d << 16;
	}
}

int
main(int argc, char **argv)
{
	static volatile uint64_t never;
	struct vg_runtime *rt = vg_self();
	vg_addr_t folio = vg_slot_alloc(&rt->slots);
	enum vg_err err;

	parse_dma(argc, argv);
	bus.ports = vg_slot_alloc(&rt->slots);
	err = vg_activity_folio_alloc(vg_kcall(), rt->activity, folio);
	if (err == VG_OK)
		err = vg_ioport_control_create(vg_kcall(),
		    control(VG_SLOT_IOPORT_CONTROL), PCI_CONFIG_PORT,
		    PCI_CONFIG_PORTS, folio, 0, bus.ports);
	if (err != VG_OK) {
		printf("pci: no configuration ports (the root task's devices= "
		    "gives me the I/O port control): %s\n", vg_strerror(err));
		return 1;
	}
	pci_enumerate(&bus);
	printf("pci: %u functions on the bus:\n", bus.nfns);
	print_bus();
	err = vg_receiver_create(&service, "pci", NULL, 0, serve, NULL);
	if (err == VG_OK)
		err = vg_receiver_arm(&service);
	if (err == VG_OK)
		err = vg_parent_send(VG_PARENT_REGISTER, PCI_SERVICE_ID,
		    service.weak);
	if (err != VG_OK) {
		printf("pci: cannot serve: %s\n", vg_strerror(err));
		return 1;
	}
	printf("pci: ready: drivers claim their function (PCI_CLAIM); %u "
	    "vendor:device ids may do DMA.\n", ndma);
	vg_wait_nonzero(&never);
	return 0;
}
