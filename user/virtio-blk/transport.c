/*
 * The virtio PCI transport's modern interface (transport.h).  The
 * register layout is the common configuration structure's (virtio 1.x,
 * 4.1.4.3); every register is little-endian, as x86-64 is.
 */
#include <libvg/libvg.h>
#include <libvg/pci.h>

#include "transport.h"

/* Vendor capability types (4.1.4). */
#define CAP_VENDOR		0x09
#define CAP_COMMON		1
#define CAP_NOTIFY		2
#define CAP_ISR			3
#define CAP_DEVICE		4
#define CAPS_MAX		48	/* a loop in the list ends here */
#define PCI_STATUS_CAPS		(1u << 20)	/* in the command dword */
#define PCI_CFG_CAPS		0x34

/* The common configuration's registers. */
#define DEVICE_FEATURE_SELECT	0x00
#define DEVICE_FEATURE		0x04
#define DRIVER_FEATURE_SELECT	0x08
#define DRIVER_FEATURE		0x0c
#define DEVICE_STATUS		0x14
#define CONFIG_GENERATION	0x15
#define QUEUE_SELECT		0x16
#define QUEUE_SIZE		0x18
#define QUEUE_MSIX_VECTOR	0x1a
#define QUEUE_ENABLE		0x1c
#define QUEUE_NOTIFY_OFF	0x1e
#define QUEUE_DESC		0x20
#define QUEUE_DRIVER		0x28
#define QUEUE_DEVICE		0x30

#define BAR_WINDOW_LOG2		2	/* pages: a 16 KiB range slot */
#define BAR_WINDOW		(VG_PAGE_SIZE << BAR_WINDOW_LOG2)

static inline void
w8(volatile uint8_t *p, unsigned off, uint8_t v)
{
	*(volatile uint8_t *)(p + off) = v;
}

static inline void
w16(volatile uint8_t *p, unsigned off, uint16_t v)
{
	*(volatile uint16_t *)(void *)(p + off) = v;
}

static inline void
w32(volatile uint8_t *p, unsigned off, uint32_t v)
{
	*(volatile uint32_t *)(void *)(p + off) = v;
}

static inline uint8_t
r8(volatile uint8_t *p, unsigned off)
{
	return *(volatile uint8_t *)(p + off);
}

static inline uint16_t
r16(volatile uint8_t *p, unsigned off)
{
	return *(volatile uint16_t *)(void *)(p + off);
}

static inline uint32_t
r32(volatile uint8_t *p, unsigned off)
{
	return *(volatile uint32_t *)(void *)(p + off);
}

/* 64-bit registers as two 32-bit halves, which the interface allows. */
static void
w64(volatile uint8_t *p, unsigned off, uint64_t v)
{
	w32(p, off, (uint32_t)v);
	w32(p, off + 4, (uint32_t)(v >> 32));
}

enum vg_err
virtio_pci_config_read(struct virtio_pci *v, unsigned offset,
    uint32_t *value)
{
	enum vg_err err;

	vg_call_begin(v->call, PCI_CONFIG_READ);
	vg_call_word(v->call, offset);
	err = vg_call(v->call, v->fn);
	*value = err == VG_OK ? (uint32_t)vg_call_result(v->call, 1) : 0;
	return err;
}

enum vg_err
virtio_pci_config_write(struct virtio_pci *v, unsigned offset,
    uint32_t value)
{
	vg_call_begin(v->call, PCI_CONFIG_WRITE);
	vg_call_word(v->call, offset);
	vg_call_word(v->call, value);
	return vg_call(v->call, v->fn);
}

/* BARs mapped so far: which, and where. */
struct bar_map {
	int bar;
	volatile uint8_t *va;
};

/*
 * Map memory BAR I at VA (16 KiB-aligned): the device-memory object
 * PCI_BAR answers goes in VA's range slot, with a guard for the bits an
 * object smaller than the range leaves.  *AT is where the BAR's first
 * byte is.
 */
static enum vg_err
map_bar(struct virtio_pci *v, unsigned i, uint64_t va,
    volatile uint8_t **at)
{
	struct vg_runtime *rt = vg_self();
	struct vg_call *kc = vg_kcall();
	vg_addr_t obj = vg_slot_alloc(&rt->slots);
	uint64_t kind, base, size, dbase = 0;
	unsigned log2 = 0;
	enum vg_err err;

	if (vg_addr_is_void(obj))
		return VG_ERR_NO_STORAGE;
	vg_call_begin(v->call, PCI_BAR);
	vg_call_word(v->call, i);
	vg_call_expect(v->call, obj);
	err = vg_call(v->call, v->fn);
	if (err == VG_OK && !vg_call_cap_arrived(v->call, 0))
		err = VG_ERR_VOID;
	kind = vg_call_result(v->call, 1);
	base = vg_call_result(v->call, 2);
	size = vg_call_result(v->call, 3);
	if (err == VG_OK && !(kind & PCI_BAR_MEM))
		err = VG_ERR_INVALID;
	if (err == VG_OK)
		err = vg_devmem_info(kc, obj, &dbase, &log2);
	if (err == VG_OK && (log2 > BAR_WINDOW_LOG2 || base - dbase + size >
	    BAR_WINDOW))
		err = VG_ERR_INVALID;
	if (err == VG_OK)
		err = vg_as_ensure(&rt->as, va);
	if (err == VG_OK)
		err = vg_as_copy(kc, rt->self_root, vg_as_range_slot(&rt->as,
		    va), obj, VG_CAP_COPY_GUARD, (struct vg_cap_translator){
		    .guard = 0, .guard_depth = (uint8_t)(BAR_WINDOW_LOG2 -
		    log2) });
	(void)vg_as_rubout(kc, rt->self_root, obj);
	vg_slot_free(&rt->slots, obj);
	if (err == VG_OK)
		*at = (volatile uint8_t *)(uintptr_t)(va + (base - dbase));
	return err;
}

enum vg_err
virtio_pci_open(struct virtio_pci *v, struct vg_call *c, vg_addr_t fn,
    uint64_t window)
{
	struct bar_map maps[6];
	unsigned nmaps = 0;
	uint32_t d, ptr;
	enum vg_err err;

	*v = (struct virtio_pci){ .call = c, .fn = fn };
	err = virtio_pci_config_read(v, PCI_CFG_COMMAND, &d);
	if (err != VG_OK)
		return err;
	if (!(d & PCI_STATUS_CAPS))
		return VG_ERR_INVALID;
	err = virtio_pci_config_read(v, PCI_CFG_CAPS, &ptr);
	ptr &= 0xfc;
	for (unsigned n = 0; err == VG_OK && ptr != 0 && n < CAPS_MAX; n++) {
		uint32_t head, where, offset, mult = 0;
		unsigned type, bar, j;
		volatile uint8_t *at = NULL;

		err = virtio_pci_config_read(v, ptr, &head);
		if (err == VG_OK)
			err = virtio_pci_config_read(v, ptr + 4, &where);
		if (err == VG_OK)
			err = virtio_pci_config_read(v, ptr + 8, &offset);
		if (err != VG_OK)
			break;
		type = head >> 24;
		bar = where & 0xff;
		if ((head & 0xff) == CAP_VENDOR && type >= CAP_COMMON &&
		    type <= CAP_DEVICE && bar < 6) {
			if (type == CAP_NOTIFY)
				err = virtio_pci_config_read(v, ptr + 16,
				    &mult);
			for (j = 0; j < nmaps && maps[j].bar != (int)bar; j++)
				;
			if (err == VG_OK && j == nmaps) {
				err = map_bar(v, bar, window + nmaps *
				    BAR_WINDOW, &maps[nmaps].va);
				maps[nmaps].bar = (int)bar;
				if (err == VG_OK)
					nmaps++;
			}
			if (err == VG_OK)
				at = maps[j].va + offset;
			if (type == CAP_COMMON)
				v->common = at;
			else if (type == CAP_NOTIFY)
				v->notify = at, v->notify_multiplier = mult;
			else if (type == CAP_ISR)
				v->isr = at;
			else if (type == CAP_DEVICE)
				v->device = at;
		}
		ptr = (head >> 8) & 0xfc;
	}
	if (err != VG_OK)
		return err;
	if (v->common == NULL || v->notify == NULL || v->isr == NULL ||
	    v->device == NULL)
		return VG_ERR_INVALID;
	return VG_OK;
}

void
virtio_reset(struct virtio_pci *v)
{
	w8(v->common, DEVICE_STATUS, 0);
	/* The device is reset once it reads 0 back (4.1.4.3.2). */
	while (r8(v->common, DEVICE_STATUS) != 0)
		;
}

void
virtio_status_set(struct virtio_pci *v, uint8_t bits)
{
	w8(v->common, DEVICE_STATUS, (uint8_t)(r8(v->common, DEVICE_STATUS) |
	    bits));
}

uint8_t
virtio_status(struct virtio_pci *v)
{
	return r8(v->common, DEVICE_STATUS);
}

uint64_t
virtio_features(struct virtio_pci *v)
{
	uint64_t lo, hi;

	w32(v->common, DEVICE_FEATURE_SELECT, 0);
	lo = r32(v->common, DEVICE_FEATURE);
	w32(v->common, DEVICE_FEATURE_SELECT, 1);
	hi = r32(v->common, DEVICE_FEATURE);
	return hi << 32 | lo;
}

void
virtio_features_accept(struct virtio_pci *v, uint64_t features)
{
	w32(v->common, DRIVER_FEATURE_SELECT, 0);
	w32(v->common, DRIVER_FEATURE, (uint32_t)features);
	w32(v->common, DRIVER_FEATURE_SELECT, 1);
	w32(v->common, DRIVER_FEATURE, (uint32_t)(features >> 32));
}

enum vg_err
virtio_queue_setup(struct virtio_pci *v, uint16_t index, uint16_t size,
    uint64_t desc, uint64_t driver, uint64_t device)
{
	uint16_t max;

	w16(v->common, QUEUE_SELECT, index);
	max = r16(v->common, QUEUE_SIZE);
	if (max == 0 || max < size)
		return VG_ERR_INVALID;
	w16(v->common, QUEUE_SIZE, size);
	/* No MSI-X: the interrupt is the function's line (INTx). */
	w16(v->common, QUEUE_MSIX_VECTOR, 0xffff);
	w64(v->common, QUEUE_DESC, desc);
	w64(v->common, QUEUE_DRIVER, driver);
	w64(v->common, QUEUE_DEVICE, device);
	v->queue_notify = (volatile uint16_t *)(void *)(v->notify +
	    (unsigned)r16(v->common, QUEUE_NOTIFY_OFF) * v->notify_multiplier);
	v->queue_index = index;
	w16(v->common, QUEUE_ENABLE, 1);
	return VG_OK;
}

void
virtio_queue_notify(struct virtio_pci *v)
{
	*v->queue_notify = v->queue_index;
}

uint8_t
virtio_isr(struct virtio_pci *v)
{
	return r8(v->isr, 0);
}

uint32_t
virtio_config32(struct virtio_pci *v, unsigned offset)
{
	return r32(v->device, offset);
}

uint64_t
virtio_config64(struct virtio_pci *v, unsigned offset)
{
	uint32_t lo, hi;
	uint8_t gen;

	do {
		gen = r8(v->common, CONFIG_GENERATION);
		lo = r32(v->device, offset);
		hi = r32(v->device, offset + 4);
	} while (gen != r8(v->common, CONFIG_GENERATION));
	return (uint64_t)hi << 32 | lo;
}
