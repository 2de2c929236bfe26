/*
 * The virtio PCI transport, modern interface (virtio 1.x, section 4.1),
 * over what the PCI bus program hands a driver for its function
 * (libvg/pci.h): configuration dwords through the function's receiver,
 * and each memory BAR as a device-memory object mapped into this
 * program's space.  The function's vendor capabilities say where in its
 * BARs the common configuration, the notification area, the interrupt
 * status and the device's own configuration are.
 */
#ifndef VIRTIO_BLK_TRANSPORT_H
#define VIRTIO_BLK_TRANSPORT_H

#include <stdbool.h>
#include <stdint.h>

#include <vg/addr.h>
#include <vg/error.h>

/* Device status bits (section 2.1). */
#define VIRTIO_STATUS_ACKNOWLEDGE	1u
#define VIRTIO_STATUS_DRIVER		2u
#define VIRTIO_STATUS_DRIVER_OK		4u
#define VIRTIO_STATUS_FEATURES_OK	8u
#define VIRTIO_STATUS_FAILED		128u

#define VIRTIO_F_VERSION_1		(1ull << 32)

struct virtio_pci {
	struct vg_call *call;		/* for the function's receiver */
	vg_addr_t fn;			/* that receiver */
	volatile uint8_t *common;	/* the structures, mapped */
	volatile uint8_t *notify;
	volatile uint8_t *isr;
	volatile uint8_t *device;
	uint32_t notify_multiplier;
	volatile uint16_t *queue_notify;	/* the queue set up last */
	uint16_t queue_index;
};

/*
 * Find the structures of the function at FN (a receiver of the PCI bus
 * program) and map the BARs that hold them at WINDOW on (16 KiB per
 * BAR).  VG_ERR_INVALID if the function has no modern interface, or a
 * BAR the interface is in is larger than 16 KiB.
 */
enum vg_err virtio_pci_open(struct virtio_pci *v, struct vg_call *c,
    vg_addr_t fn, uint64_t window);

/* PCI configuration dword at OFFSET of the function, and a write. */
enum vg_err virtio_pci_config_read(struct virtio_pci *v, unsigned offset,
    uint32_t *value);
enum vg_err virtio_pci_config_write(struct virtio_pci *v, unsigned offset,
    uint32_t value);

/* Reset the device, and wait until it says it is. */
void virtio_reset(struct virtio_pci *v);
void virtio_status_set(struct virtio_pci *v, uint8_t bits);
uint8_t virtio_status(struct virtio_pci *v);

/* The 64 feature bits the device offers; those the driver accepts. */
uint64_t virtio_features(struct virtio_pci *v);
void virtio_features_accept(struct virtio_pci *v, uint64_t features);

/*
 * Set up queue INDEX with SIZE descriptors whose table and rings are at
 * the physical addresses given, and enable it: it is the queue
 * virtio_queue_notify names.  VG_ERR_INVALID if the device has no such
 * queue or it is smaller than SIZE.
 */
enum vg_err virtio_queue_setup(struct virtio_pci *v, uint16_t index,
    uint16_t size, uint64_t desc, uint64_t driver, uint64_t device);

/* Tell the device the queue has new buffers: one store, no exit to the
 * kernel (the notification area is mapped). */
void virtio_queue_notify(struct virtio_pci *v);

/* The interrupt status; reading it acknowledges the interrupt, and
 * drops the line. */
uint8_t virtio_isr(struct virtio_pci *v);

/* The device's configuration: 32 bits at OFFSET, and a 64-bit field read
 * so that both halves are of one configuration generation. */
uint32_t virtio_config32(struct virtio_pci *v, unsigned offset);
uint64_t virtio_config64(struct virtio_pci *v, unsigned offset);

#endif /* VIRTIO_BLK_TRANSPORT_H */
