/*
 * virtio-blk: a driver for a virtio block device that serves the block
 * protocol (libvg/blk.h).
 *
 *	virtio-blk [instance=N]
 *
 * Its parent starts it after the PCI bus program, whose service is in
 * its VG_SLOT_SERVICE.  It claims the N-th virtio-blk function (0: the
 * first; QEMU's transitional 1af4:1001 or modern 1af4:1042), maps the
 * BARs of its modern interface, takes its interrupt object and the DMA
 * control (PCI_DMA_CONTROL: the bus program's dma= line must name the
 * function), sets up one virtqueue, and registers with its parent an
 * rmessenger to its request messenger.
 *
 * The data is never copied.  A READ or WRITE names the client's own
 * pages (capabilities 1 .. n of the request); the driver gives each the
 * DMA right, learns its physical address, and puts those addresses in
 * the request's descriptor chain, so the device moves the sectors
 * straight between the disk and the client's pages.  The request's
 * capabilities land in the slots of a tag, one of TAGS requests the
 * device may hold at once; with all of them in the device the request
 * messenger is not re-armed, and further requests queue on it until a
 * completion frees a tag.
 *
 * Everything happens in the activation handler, driven by two kinds of
 * message: requests, and the line's IRQ_FIRED.  Nothing waits.
 */
#include <libvg/libvg.h>
#include <libvg/blk.h>
#include <libvg/pci.h>

#include "transport.h"
#include "virtq.h"

/* The block device's interface (virtio 1.x, 5.2). */
#define VIRTIO_BLK_F_RO		(1ull << 5)
#define VIRTIO_BLK_F_FLUSH	(1ull << 9)
#define VIRTIO_BLK_T_IN		0u
#define VIRTIO_BLK_T_OUT	1u
#define VIRTIO_BLK_T_FLUSH	4u
#define VIRTIO_BLK_S_OK		0u
#define VIRTIO_BLK_S_UNSUPP	2u
#define VIRTIO_BLK_CAPACITY	0	/* device configuration: sectors */

#define PCI_COMMAND_INTX_OFF	(1u << 10)

/* Requests the device holds at once, each with its own run of
 * descriptors: a header, the pages, the status byte. */
#define TAGS			8u
#define TAG_DESCS		(VIRTQ_SIZE / TAGS)
_Static_assert(TAG_DESCS >= BLK_PAGES_MAX + 2, "a tag's chain is too short");

/* A request's header, which the device reads, and the status byte it
 * writes, for each tag: TAG_HEADER bytes apiece in one page. */
struct blk_header {
	uint32_t type;
	uint32_t reserved;
	uint64_t sector;
};
#define TAG_HEADER		32u
#define TAG_STATUS		16u	/* the status byte's offset */

struct tag {
	vg_addr_t slot[1 + BLK_PAGES_MAX];	/* the reply, the pages */
	bool busy;			/* in the device */
	bool answer;			/* a reply messenger came */
	uint32_t count;			/* sectors */
};

static struct virtio_pci dev;
static struct virtq queue;
static uint8_t *headers;		/* the tags' headers and statuses */
static uint64_t headers_phys;
static struct tag tags[TAGS];
static unsigned armed = TAGS;		/* whose slots the request fills;
					 * TAGS: none, every tag is busy */
static uint64_t capacity;
static uint64_t info_flags;

static vg_addr_t dma_control, irq;
static struct vg_act_handler on_request_h, on_irq_h;
static vg_addr_t req_m, req_weak, irq_m, rsend;
static struct vg_message *req_page, *irq_page, *rbuf;

static enum vg_err
receive(vg_addr_t m)
{
	struct vg_ipc_args a = {
		.flags = VG_IPC_RECEIVE | VG_IPC_RECEIVE_ACTIVATE |
		    VG_IPC_RETURN,
		.recv_messenger = m,
	};

	return vg_ipc(&a);
}

/*
 * Receive the line's next message and acknowledge the interrupt, in one
 * system call: IRQ_ACK sent inline with no reply messenger, so nothing
 * comes back but vg_ipc's own error.
 */
static enum vg_err
receive_and_ack(void)
{
	struct vg_ipc_args a = {
		.flags = VG_IPC_RECEIVE | VG_IPC_RECEIVE_ACTIVATE |
		    VG_IPC_SEND | VG_IPC_SEND_INLINE | VG_IPC_INLINE_WORDS(1) |
		    VG_IPC_RETURN,
		.recv_messenger = irq_m,
		.target = irq,
		.send_messenger = rsend,
		.inline_words = { VG_METHOD_IRQ_ACK },
	};

	return vg_ipc(&a);
}

/* Receive the next request into tag T's slots. */
static void
arm_request(unsigned t)
{
	enum vg_err err;

	armed = t;
	vg_msg_preload(req_page, tags[t].slot, 1 + BLK_PAGES_MAX);
	err = receive(req_m);
	if (err != VG_OK)
		printf("virtio-blk: cannot receive: %s\n", vg_strerror(err));
}

static unsigned
free_tag(void)
{
	unsigned t;

	for (t = 0; t < TAGS && tags[t].busy; t++)
		;
	return t;
}

/*
 * Send RBUF, the reply built there, to tag T's reply messenger without
 * blocking, so a client that is not waiting loses its reply and never
 * holds the driver.  The reply messenger is the client's own
 * capability: were it not an rmessenger, the words would invoke an
 * object the client holds anyway.
 */
static void
send_reply(unsigned t)
{
	struct vg_ipc_args a = {
		.flags = VG_IPC_SEND | VG_IPC_SEND_NONBLOCKING | VG_IPC_RETURN,
		.target = tags[t].slot[0],
		.send_messenger = rsend,
	};

	if (tags[t].answer)
		(void)vg_ipc(&a);
}

/* Answer tag T's request with ERR and, if it is VG_OK, COUNT. */
static void
answer(unsigned t, enum vg_err err, uint64_t count)
{
	vg_message_clear(rbuf);
	(void)vg_message_append_word(rbuf, (uint64_t)err);
	if (err == VG_OK)
		(void)vg_message_append_word(rbuf, count);
	send_reply(t);
}

static void
answer_info(unsigned t)
{
	vg_message_clear(rbuf);
	(void)vg_message_append_word(rbuf, VG_OK);
	(void)vg_message_append_word(rbuf, capacity);
	(void)vg_message_append_word(rbuf, BLK_SECTOR_SIZE);
	(void)vg_message_append_word(rbuf, BLK_PAGES_MAX);
	(void)vg_message_append_word(rbuf, info_flags);
	send_reply(t);
}

/*
 * Page capability I of tag T's request, with the DMA right: its physical
 * address in *PHYS.  A read writes the page, so it must not be an rpage.
 */
static enum vg_err
page_address(unsigned t, unsigned i, bool device_writes, uint64_t *phys)
{
	vg_addr_t slot = tags[t].slot[1 + i];
	bool writable = false;
	enum vg_err err;

	if (!vg_msg_cap_arrived(req_page, 1 + i))
		return VG_ERR_VOID;
	err = vg_dma_control_grant_address(vg_kcall(), dma_control, slot,
	    slot, phys, &writable);
	if (err == VG_ERR_TYPE)
		return VG_ERR_VOID;	/* not a page */
	if (err == VG_OK && device_writes && !writable)
		return VG_ERR_RIGHTS;
	return err;
}

/* Tag T's header and status descriptors around N data descriptors, and
 * the chain handed to the device. */
static void
submit(unsigned t, uint32_t type, uint64_t sector, unsigned n)
{
	struct blk_header *h = (struct blk_header *)(void *)(headers +
	    t * TAG_HEADER);
	unsigned d = t * TAG_DESCS;
	uint64_t hp = headers_phys + t * TAG_HEADER;

	h->type = type;
	h->reserved = 0;
	h->sector = sector;
	headers[t * TAG_HEADER + TAG_STATUS] = 0xff;
	virtq_set(&queue, d, hp, sizeof(*h), VIRTQ_DESC_F_NEXT,
	    (uint16_t)(d + 1));
	virtq_set(&queue, d + n + 1, hp + TAG_STATUS, 1, VIRTQ_DESC_F_WRITE,
	    0);
	tags[t].busy = true;
	virtq_offer(&queue, (uint16_t)d);
	virtio_queue_notify(&dev);
}

/* A READ or WRITE in tag T: its chain, or the error to answer. */
static enum vg_err
transfer(unsigned t, bool read, uint64_t sector, uint64_t count)
{
	unsigned d = t * TAG_DESCS, n;
	uint64_t phys;
	enum vg_err err;

	if (count == 0 || count > BLK_PAGES_MAX * BLK_SECTORS_PER_PAGE ||
	    sector > capacity || count > capacity - sector)
		return VG_ERR_INVALID;
	if (!read && (info_flags & BLK_INFO_READ_ONLY))
		return VG_ERR_RIGHTS;
	n = (unsigned)((count + BLK_SECTORS_PER_PAGE - 1) /
	    BLK_SECTORS_PER_PAGE);
	if (vg_msg_ncaps(req_page) < 1 + n)
		return VG_ERR_INVALID;	/* fewer pages than sectors */
	for (unsigned i = 0; i < n; i++) {
		uint64_t left = count - (uint64_t)i * BLK_SECTORS_PER_PAGE;
		uint32_t len = (uint32_t)(left >= BLK_SECTORS_PER_PAGE ?
		    VG_PAGE_SIZE : left * BLK_SECTOR_SIZE);

		err = page_address(t, i, read, &phys);
		if (err != VG_OK)
			return err;
		virtq_set(&queue, d + 1 + i, phys, len, (uint16_t)(
		    VIRTQ_DESC_F_NEXT | (read ? VIRTQ_DESC_F_WRITE : 0)),
		    (uint16_t)(d + 2 + i));
	}
	tags[t].count = (uint32_t)count;
	submit(t, read ? VIRTIO_BLK_T_IN : VIRTIO_BLK_T_OUT, sector, n);
	return VG_OK;
}

static void
on_request(struct vg_act_handler *h, const struct vg_activation *a)
{
	unsigned t = armed;
	enum vg_err err;

	(void)h;
	if (!(a->reason & VG_ACTIVATION_RECEIVED) || t >= TAGS)
		return;
	tags[t].answer = vg_msg_cap_arrived(req_page, 0);
	switch (vg_msg_word(req_page, 0)) {
	case BLK_INFO:
		answer_info(t);
		break;
	case BLK_READ:
	case BLK_WRITE:
		err = transfer(t, vg_msg_word(req_page, 0) == BLK_READ,
		    vg_msg_word(req_page, 1), vg_msg_word(req_page, 2));
		if (err != VG_OK)
			answer(t, err, 0);
		break;
	case BLK_FLUSH:
		if (!(info_flags & BLK_INFO_FLUSH)) {
			answer(t, VG_ERR_METHOD, 0);
			break;
		}
		tags[t].count = 0;
		submit(t, VIRTIO_BLK_T_FLUSH, 0, 0);
		break;
	default:
		answer(t, VG_ERR_METHOD, 0);
		break;
	}
	t = free_tag();
	if (t < TAGS)
		arm_request(t);
	else
		armed = TAGS;	/* held: the next completion re-arms */
}

static void
on_irq(struct vg_act_handler *h, const struct vg_activation *a)
{
	uint16_t head;
	uint32_t len;
	enum vg_err err;

	(void)h;
	if (!(a->reason & VG_ACTIVATION_RECEIVED) ||
	    vg_msg_word(irq_page, 0) != VG_METHOD_IRQ_FIRED)
		return;
	/* Reading the status drops the line (it may be another
	 * function's on a shared line, and read 0). */
	(void)virtio_isr(&dev);
	while (virtq_take(&queue, &head, &len)) {
		unsigned t = head / TAG_DESCS;
		uint8_t status;

		if (t >= TAGS || head % TAG_DESCS != 0 || !tags[t].busy)
			continue;	/* not a chain of mine */
		status = headers[t * TAG_HEADER + TAG_STATUS];
		tags[t].busy = false;
		answer(t, status == VIRTIO_BLK_S_OK ? VG_OK :
		    status == VIRTIO_BLK_S_UNSUPP ? VG_ERR_METHOD : VG_ERR_IO,
		    tags[t].count);
		if (armed == TAGS)
			arm_request(t);
	}
	err = receive_and_ack();
	if (err != VG_OK)
		printf("virtio-blk: cannot take interrupts: %s\n",
		    vg_strerror(err));
}

/* --- setting up ------------------------------------------------------------ */

/* Claim the INSTANCE-th virtio-blk function into FN. */
static enum vg_err
claim(struct vg_call *c, uint64_t instance, vg_addr_t fn, uint64_t *addr)
{
	static const uint16_t ids[] = { 0x1001, 0x1042 };
	enum vg_err err = VG_ERR_INVALID;

	for (unsigned i = 0; i < 2 && err == VG_ERR_INVALID; i++) {
		vg_call_begin(c, PCI_CLAIM);
		vg_call_word(c, 0x1af4);
		vg_call_word(c, ids[i]);
		vg_call_word(c, instance);
		vg_call_expect(c, fn);
		err = vg_call(c, vg_boot_slot(VG_SLOT_SERVICE));
		if (err == VG_OK && !vg_call_cap_arrived(c, 0))
			err = VG_ERR_VOID;
		*addr = vg_call_result(c, 1);
	}
	return err;
}

/* PCI method METHOD on the function, its capability into SLOT. */
static enum vg_err
fn_cap(struct vg_call *c, vg_addr_t fn, uint64_t method, vg_addr_t slot,
    uint64_t *w1)
{
	enum vg_err err;

	vg_call_begin(c, method);
	vg_call_expect(c, slot);
	err = vg_call(c, fn);
	if (err == VG_OK && !vg_call_cap_arrived(c, 0))
		err = VG_ERR_VOID;
	if (w1 != NULL)
		*w1 = vg_call_result(c, 1);
	return err;
}

/* A page of mine the device reads and writes: at *VA, physical *PHYS. */
static enum vg_err
dma_page(uint8_t **va, uint64_t *phys)
{
	struct vg_runtime *rt = vg_self();
	uint64_t page = vg_page_alloc(1);
	vg_addr_t slot = vg_slot_alloc(&rt->slots);
	enum vg_err err;

	if (page == 0 || vg_addr_is_void(slot))
		return VG_ERR_NO_STORAGE;
	err = vg_dma_control_grant(vg_kcall(), dma_control,
	    vg_addr_of_data(page), slot);
	if (err == VG_OK)
		err = vg_page_dma_address(vg_kcall(), slot, phys, NULL);
	*va = VG_PTR(page);
	return err;
}

/* The device, by the steps of virtio 1.x, 3.1.1. */
static enum vg_err
device_init(void)
{
	uint64_t features, qphys;
	uint8_t *qva;
	enum vg_err err;

	virtio_reset(&dev);
	virtio_status_set(&dev, VIRTIO_STATUS_ACKNOWLEDGE);
	virtio_status_set(&dev, VIRTIO_STATUS_DRIVER);
	features = virtio_features(&dev);
	if (!(features & VIRTIO_F_VERSION_1))
		return VG_ERR_INVALID;
	features &= VIRTIO_F_VERSION_1 | VIRTIO_BLK_F_RO | VIRTIO_BLK_F_FLUSH;
	virtio_features_accept(&dev, features);
	virtio_status_set(&dev, VIRTIO_STATUS_FEATURES_OK);
	if (!(virtio_status(&dev) & VIRTIO_STATUS_FEATURES_OK))
		return VG_ERR_INVALID;
	info_flags = ((features & VIRTIO_BLK_F_RO) ? BLK_INFO_READ_ONLY : 0) |
	    ((features & VIRTIO_BLK_F_FLUSH) ? BLK_INFO_FLUSH : 0);

	err = dma_page(&qva, &qphys);
	if (err == VG_OK)
		err = dma_page(&headers, &headers_phys);
	if (err != VG_OK)
		return err;
	virtq_init(&queue, qva, qphys);
	err = virtio_queue_setup(&dev, 0, VIRTQ_SIZE,
	    qphys + VIRTQ_DESC_OFFSET, qphys + VIRTQ_AVAIL_OFFSET,
	    qphys + VIRTQ_USED_OFFSET);
	if (err != VG_OK)
		return err;
	capacity = virtio_config64(&dev, VIRTIO_BLK_CAPACITY);
	return VG_OK;
}

static enum vg_err
messengers(void)
{
	struct vg_runtime *rt = vg_self();
	uint64_t pages = vg_page_alloc(3);
	enum vg_err err;

	if (pages == 0)
		return VG_ERR_NO_STORAGE;
	req_page = VG_PTR(pages);
	irq_page = VG_PTR(pages + VG_PAGE_SIZE);
	rbuf = VG_PTR(pages + 2 * VG_PAGE_SIZE);
	for (unsigned t = 0; t < TAGS; t++)
		for (unsigned i = 0; i < 1 + BLK_PAGES_MAX; i++)
			tags[t].slot[i] = vg_slot_alloc(&rt->slots);
	if (vg_addr_is_void(tags[TAGS - 1].slot[BLK_PAGES_MAX]))
		return VG_ERR_NO_STORAGE;
	err = vg_messenger_handled(&req_m, pages, &on_request_h, on_request,
	    "virtio-blk.request");
	if (err == VG_OK)
		err = vg_messenger_handled(&irq_m, pages + VG_PAGE_SIZE,
		    &on_irq_h, on_irq, "virtio-blk.irq");
	if (err == VG_OK)
		err = vg_messenger_new(&rsend, pages + 2 * VG_PAGE_SIZE, 0);
	if (err == VG_OK)
		err = vg_weak_copy(req_m, &req_weak);
	return err;
}

static enum vg_err
setup(uint64_t instance, uint64_t *addr, uint64_t *line)
{
	struct vg_runtime *rt = vg_self();
	struct vg_call *c = &rt->ucall;
	vg_addr_t fn = vg_slot_alloc(&rt->slots);
	uint32_t cmd;
	enum vg_err err;

	dma_control = vg_slot_alloc(&rt->slots);
	irq = vg_slot_alloc(&rt->slots);
	if (vg_addr_is_void(irq))
		return VG_ERR_NO_STORAGE;
	err = claim(c, instance, fn, addr);
	if (err == VG_OK)
		err = virtio_pci_open(&dev, c, fn, VG_AS_WINDOWS);
	if (err == VG_OK)
		err = fn_cap(c, fn, PCI_DMA_CONTROL, dma_control, NULL);
	if (err == VG_OK)
		err = fn_cap(c, fn, PCI_IRQ, irq, line);
	if (err == VG_OK)
		err = virtio_pci_config_read(&dev, PCI_CFG_COMMAND, &cmd);
	/* Its memory decoded, bus mastering (its DMA) on, INTx not
	 * disabled; the status half written as 0 clears nothing. */
	if (err == VG_OK)
		err = virtio_pci_config_write(&dev, PCI_CFG_COMMAND,
		    ((cmd & 0xffff) & ~PCI_COMMAND_INTX_OFF) |
		    PCI_COMMAND_MEMORY | PCI_COMMAND_MASTER);
	if (err == VG_OK)
		err = device_init();
	if (err == VG_OK)
		err = messengers();
	if (err == VG_OK)
		err = vg_irq_bind(vg_kcall(), irq, irq_m);
	if (err == VG_OK)
		err = receive_and_ack();
	if (err != VG_OK) {
		if (dev.common != NULL)
			virtio_status_set(&dev, VIRTIO_STATUS_FAILED);
		return err;
	}
	virtio_status_set(&dev, VIRTIO_STATUS_DRIVER_OK);
	arm_request(0);
	return VG_OK;
}

int
main(int argc, char **argv)
{
	static volatile uint64_t never;
	uint64_t instance = 0, addr = 0, line = 0;
	enum vg_err err;

	for (int i = 1; i < argc; i++)
		(void)vg_cmdline_number(argv[i], "instance", &instance);
	err = setup(instance, &addr, &line);
	if (err == VG_OK)
		err = vg_parent_send(VG_PARENT_REGISTER, BLK_SERVICE_ID,
		    req_weak);
	if (err != VG_OK) {
		printf("virtio-blk: no disk to serve (the PCI bus program in "
		    "my slot %u, a virtio-blk function it lets do DMA): %s\n",
		    VG_SLOT_SERVICE, vg_strerror(err));
		return 1;
	}
	printf("virtio-blk: %02lx:%02lx.%lx, line %lu: %lu sectors (%lu "
	    "KiB)%s%s; %u requests at once, the data by DMA into the "
	    "clients' pages.  I serve the block protocol.\n",
	    (unsigned long)PCI_ADDR_BUS(addr),
	    (unsigned long)PCI_ADDR_DEV(addr),
	    (unsigned long)PCI_ADDR_FN(addr), (unsigned long)line,
	    (unsigned long)capacity, (unsigned long)(capacity / 2),
	    (info_flags & BLK_INFO_READ_ONLY) ? ", read-only" : "",
	    (info_flags & BLK_INFO_FLUSH) ? ", write cache" : "", TAGS);
	/* Everything else is the activation handler's. */
	vg_wait_nonzero(&never);
	return 0;
}
