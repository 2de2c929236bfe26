/*
 * The protocol of the PCI bus program (user/pci), the device manager
 * that hands each driver capabilities for its own PCI function only
 * (docs/drivers.md, "The PCI bus program").
 *
 * The program registers its service with its parent (VG_PARENT_REGISTER,
 * word PCI_SERVICE_ID, an rmessenger to its service receiver).  Requests
 * follow vg/method.h's convention: word 0 the method, capability 0 the
 * reply messenger; the reply's word 0 is an enum vg_err and the results
 * follow.  A request without a reply messenger is ignored.  The numbers
 * are a user-level protocol's (0x75xx), apart from every kernel method.
 *
 * On the service:
 *
 *	PCI_CLAIM	in:  w1 vendor, w2 device, w3 instance (0: the
 *			     first function with those ids, in bus order)
 *			out: w1 the function's address (PCI_ADDR), w2 its
 *			     class dword (config 0x08: class, subclass,
 *			     prog-if, revision), c0 an rmessenger to a
 *			     receiver of that function's own
 *			errors: INVALID (no such function), IN_USE (it was
 *			     claimed already: a function is handed out once)
 *
 * On a function's receiver (what PCI_CLAIM answered):
 *
 *	PCI_CONFIG_READ	in:  w1 offset (dword-aligned, below 256)
 *			out: w1 the dword of the function's configuration
 *			     space at that offset
 *			errors: INVALID (offset)
 *	PCI_CONFIG_WRITE in: w1 offset, w2 the dword
 *			errors: INVALID (offset), RIGHTS (a BAR, the
 *			     expansion ROM, a bridge's bus numbers or
 *			     windows; the command register's bus-master
 *			     bit for a function not allowed DMA)
 *	PCI_BAR		in:  w1 the BAR's index (0..5; a 64-bit BAR is
 *			     named by its low half)
 *			out: w1 PCI_BAR_IO or PCI_BAR_MEM (| PCI_BAR_64,
 *			     PCI_BAR_PREFETCH), w2 its base (port or
 *			     physical address), w3 its size in bytes, c0 an
 *			     I/O port range over it, or a device-memory
 *			     object over the pages that hold it (the first
 *			     page is w2's, rounded down)
 *			errors: INVALID (no such BAR, or it is empty),
 *			     IN_USE (a memory BAR sharing a page with
 *			     another function's)
 *	PCI_IRQ		out: w1 the line (GSI), c0 the interrupt object
 *			errors: INVALID (no interrupt pin, or no line
 *			     routed), IN_USE (another function on the same
 *			     line has it: one line, one object)
 *	PCI_DMA		in:  c1 a page capability of the driver's
 *			out: c0 it with the DMA right (VG_CAP_DMA)
 *			errors: RIGHTS (the function may not do DMA:
 *			     the program's dma= arguments decide), VOID
 *			     (no page came), what DMA_CONTROL_GRANT says
 *	PCI_DMA_CONTROL	out: c0 the DMA control itself, for a driver that
 *			     grants the right to its clients' pages request
 *			     by request (a block driver) without a round
 *			     trip here each time
 *			errors: RIGHTS (the function may not do DMA)
 *
 * PCI_DMA_CONTROL gives no authority over memory that the function's
 * driver lacks: without an IOMMU a device that may master the bus
 * reaches every physical address, whatever its driver was told.  With
 * an IOMMU it would answer the function's own I/O space instead, which
 * maps only the pages granted (docs/drivers.md, "DMA").
 *
 * Everything else: VG_ERR_METHOD.
 */
#ifndef LIBVG_PCI_H
#define LIBVG_PCI_H

#define PCI_SERVICE_ID	0x696370ull	/* "pci" */

enum pci_method {
	PCI_CLAIM = 0x7501,
	PCI_CONFIG_READ = 0x7502,
	PCI_CONFIG_WRITE = 0x7503,
	PCI_BAR = 0x7504,
	PCI_IRQ = 0x7505,
	PCI_DMA = 0x7506,
	PCI_DMA_CONTROL = 0x7507,
};

/* PCI_BAR's w1. */
enum pci_bar_kind {
	PCI_BAR_IO = 1,
	PCI_BAR_MEM = 2,
	PCI_BAR_64 = 4,		/* a 64-bit memory BAR (with the next) */
	PCI_BAR_PREFETCH = 8,
};

/* A function's address, as PCI_CLAIM answers it: bus, device, function. */
#define PCI_ADDR(bus, dev, fn)	((unsigned)(bus) << 8 | (unsigned)(dev) << 3 | \
				    (unsigned)(fn))
#define PCI_ADDR_BUS(a)		(((a) >> 8) & 0xff)
#define PCI_ADDR_DEV(a)		(((a) >> 3) & 0x1f)
#define PCI_ADDR_FN(a)		((a) & 7)

/* Configuration-space offsets a driver reads. */
#define PCI_CFG_ID		0x00	/* vendor (low 16), device (high) */
#define PCI_CFG_COMMAND		0x04	/* command (low 16), status (high) */
#define PCI_CFG_CLASS		0x08	/* revision, prog-if, subclass, class */
#define PCI_CFG_HEADER		0x0c	/* header type in bits 16..23 */
#define PCI_CFG_BAR0		0x10
#define PCI_CFG_INTERRUPT	0x3c	/* line (low 8), pin (next 8) */
#define PCI_CFG_SIZE		256

#define PCI_COMMAND_IO		0x1
#define PCI_COMMAND_MEMORY	0x2
#define PCI_COMMAND_MASTER	0x4	/* bus mastering: the device's DMA */

#endif /* LIBVG_PCI_H */
