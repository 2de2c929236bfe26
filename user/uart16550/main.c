/*
 * uart16550: a driver for a 16550 UART that serves the console.
 *
 *	uart16550 port=0x2f8 irq=3 [baud=115200]
 *
 * Its parent (the root task, told so with console= on the kernel
 * command line) gives it the device its arguments name: an I/O port
 * range over port .. port + 7 in VG_SLOT_IOPORT and the interrupt object
 * of the line in VG_SLOT_IRQ.  It binds the interrupt to a messenger of
 * its own, programs the UART, and registers with its parent a send right
 * to a messenger on which it answers the console object's own request,
 * CONSOLE_WRITE, as the kernel's console does -- so that a program given
 * that right in its VG_SLOT_CONSOLE prints through the UART unchanged --
 * and CONSOLE_READ and CONSOLE_SYNC besides (vg/method.h).
 *
 * Everything happens in the activation handler, driven by two kinds of
 * message: requests, and the line's IRQ_FIRED.  Nothing waits: a WRITE
 * whose bytes do not all fit the transmit ring is held (its receiver not
 * re-armed, so other clients queue) until THR-empty interrupts have made
 * room; a READ with nothing received, or a SYNC with bytes still to go,
 * keeps its reply capability and is answered from the interrupt that
 * brings the bytes, or sends the last.
 */
#include <libvg/libvg.h>

#include "request.h"
#include "uart.h"

#define CONSOLE_SERVICE_ID	0x656c6f736e6f63ull	/* "console" */
#define BAUD_DEFAULT		115200u

static struct uart u;
static vg_addr_t irq;
static struct vg_act_handler on_request_h, on_irq_h;
static vg_addr_t req_m, req_weak, irq_m, rsend;
static struct vg_message *req_page, *irq_page, *rbuf;

/* Where a request's reply capability lands, and where a waiting READ
 * and SYNC keep theirs. */
static vg_addr_t reply_slot, reader, syncer;

static struct {
	const uint8_t *p;	/* a WRITE's bytes not yet queued */
	uint32_t left;
	bool held;		/* the request is still in its page */
} wr;
static bool reading, syncing;
static uint64_t read_max;

/* Receive the next request, its capability 0 into REPLY_SLOT. */
static enum vg_err
arm_request(void)
{
	struct vg_ipc_args a = {
		.flags = VG_IPC_RECEIVE | VG_IPC_RECEIVE_ACTIVATE |
		    VG_IPC_RETURN,
		.recv_messenger = req_m,
	};

	vg_msg_preload(req_page, &reply_slot, 1);
	return vg_ipc(&a);
}

static enum vg_err
arm_irq(void)
{
	struct vg_ipc_args a = {
		.flags = VG_IPC_RECEIVE | VG_IPC_RECEIVE_ACTIVATE |
		    VG_IPC_RETURN,
		.recv_messenger = irq_m,
	};

	vg_msg_preload(irq_page, NULL, 0);
	return vg_ipc(&a);
}

/*
 * Send RBUF, the reply built there, to TO without blocking: a client
 * that is not waiting loses its reply, and never holds the driver.  Only
 * to an rmessenger: a send to anything else would invoke it, with
 * whatever authority the client pointed me at.
 */
static void
send_reply(vg_addr_t to)
{
	struct vg_ipc_args a = {
		.flags = VG_IPC_SEND | VG_IPC_SEND_NONBLOCKING | VG_IPC_RETURN,
		.target = to,
		.send_messenger = rsend,
	};
	enum vg_type type = VG_TYPE_VOID;

	if (vg_as_read(vg_kcall(), vg_self()->self_root, to, &type, NULL) !=
	    VG_OK || type != VG_TYPE_RMESSENGER)
		return;
	(void)vg_ipc(&a);
}

static void
reply_error(vg_addr_t to, enum vg_err err)
{
	vg_message_clear(rbuf);
	(void)vg_message_append_word(rbuf, (uint64_t)err);
	send_reply(to);
}

/* Keep the current request's reply capability in SLOT, for later. */
static bool
keep_reply(vg_addr_t slot)
{
	struct vg_runtime *rt = vg_self();

	return vg_msg_cap_arrived(req_page, 0) &&
	    vg_as_copy(vg_kcall(), rt->self_root, slot, reply_slot, 0,
	    (struct vg_cap_translator){ 0 }) == VG_OK;
}

/* Answer what the rings now allow: a held WRITE, a waiting READ, a
 * waiting SYNC. */
static void
progress(void)
{
	enum vg_err err;

	if (wr.held) {
		uint32_t k = uart_write(&u, wr.p, wr.left);

		wr.p += k;
		wr.left -= k;
		if (wr.left == 0) {
			wr.held = false;
			if (vg_msg_cap_arrived(req_page, 0))
				reply_error(reply_slot, VG_OK);
			err = arm_request();
			if (err != VG_OK)
				printf("uart16550: cannot receive: %s\n",
				    vg_strerror(err));
		}
	}
	if (reading && ring_len(&u.rx) > 0) {
		reading = false;
		(void)console_read_reply(rbuf, &u.rx, read_max);
		send_reply(reader);
	}
	if (syncing && uart_tx_idle(&u)) {
		syncing = false;
		reply_error(syncer, VG_OK);
	}
}

static void
on_request(struct vg_act_handler *h, const struct vg_activation *a)
{
	struct console_req q;
	enum vg_err err;

	(void)h;
	if (!(a->reason & VG_ACTIVATION_RECEIVED))
		return;
	err = console_req_parse(req_page, &q);
	if (err == VG_OK && q.method == VG_METHOD_CONSOLE_WRITE) {
		/* Held until queued: progress() answers and re-arms. */
		wr.p = q.data;
		wr.left = (uint32_t)q.n;
		wr.held = true;
		progress();
		return;
	}
	if (err != VG_OK) {
		if (vg_msg_cap_arrived(req_page, 0))
			reply_error(reply_slot, err);
	} else if (q.method == VG_METHOD_CONSOLE_READ) {
		if (reading) {
			reply_error(reply_slot, VG_ERR_BUSY);
		} else if (ring_len(&u.rx) > 0) {
			(void)console_read_reply(rbuf, &u.rx, q.n);
			send_reply(reply_slot);
		} else if (keep_reply(reader)) {
			reading = true;
			read_max = q.n;
		}
	} else if (q.method == VG_METHOD_CONSOLE_SYNC) {
		if (uart_tx_idle(&u))
			reply_error(reply_slot, VG_OK);
		else if (syncing)
			reply_error(reply_slot, VG_ERR_BUSY);
		else if (keep_reply(syncer))
			syncing = true;
	}
	err = arm_request();
	if (err != VG_OK)
		printf("uart16550: cannot receive: %s\n", vg_strerror(err));
}

static void
on_irq(struct vg_act_handler *h, const struct vg_activation *a)
{
	enum vg_err err;

	(void)h;
	if (!(a->reason & VG_ACTIVATION_RECEIVED) ||
	    vg_msg_word(irq_page, 0) != VG_METHOD_IRQ_FIRED)
		return;
	uart_serve(&u);
	progress();
	/* Served: the UART's condition is clear, let the line through. */
	err = arm_irq();
	if (err == VG_OK)
		err = vg_irq_ack(vg_kcall(), irq);
	if (err != VG_OK)
		printf("uart16550: cannot take interrupts: %s\n",
		    vg_strerror(err));
}

/* Is one of my arguments KEY=N?  Its N in *V. */
static bool
arg(int argc, char **argv, const char *key, uint64_t *v)
{
	for (int i = 1; i < argc; i++)
		if (vg_cmdline_number(argv[i], key, v))
			return true;
	return false;
}

static enum vg_err
setup(uint32_t baud)
{
	struct vg_runtime *rt = vg_self();
	uint64_t pages = vg_page_alloc(3);
	enum vg_err err;

	if (pages == 0)
		return VG_ERR_NO_STORAGE;
	req_page = VG_PTR(pages);
	irq_page = VG_PTR(pages + VG_PAGE_SIZE);
	rbuf = VG_PTR(pages + 2 * VG_PAGE_SIZE);
	reply_slot = vg_slot_alloc(&rt->slots);
	reader = vg_slot_alloc(&rt->slots);
	syncer = vg_slot_alloc(&rt->slots);
	if (vg_addr_is_void(syncer))
		return VG_ERR_NO_STORAGE;
	err = vg_messenger_handled(&req_m, pages, &on_request_h, on_request,
	    "uart16550.console");
	if (err == VG_OK)
		err = vg_messenger_handled(&irq_m, pages + VG_PAGE_SIZE,
		    &on_irq_h, on_irq, "uart16550.irq");
	if (err == VG_OK)
		err = vg_messenger_new(&rsend, pages + 2 * VG_PAGE_SIZE, 0);
	if (err == VG_OK)
		err = vg_weak_copy(req_m, &req_weak);
	if (err == VG_OK)
		err = vg_irq_bind(vg_kcall(), irq, irq_m);
	if (err == VG_OK)
		err = uart_init(&u, baud);
	if (err == VG_OK)
		err = arm_irq();
	if (err == VG_OK)
		err = vg_irq_ack(vg_kcall(), irq);
	if (err == VG_OK)
		err = arm_request();
	return err;
}

int
main(int argc, char **argv)
{
	static volatile uint64_t never;
	uint64_t port = 0, line = 0, baud = BAUD_DEFAULT;
	enum vg_err err;

	if (!arg(argc, argv, "port", &port) || !arg(argc, argv, "irq",
	    &line) || port > 0xfff8) {
		printf("uart16550: which UART?  Arguments port=N irq=N "
		    "[baud=N], as the root task's console= gives them.\n");
		return 2;
	}
	(void)arg(argc, argv, "baud", &baud);
	u.ports = vg_boot_slot(VG_SLOT_IOPORT);
	u.base = (uint32_t)port;
	irq = vg_boot_slot(VG_SLOT_IRQ);
	err = setup((uint32_t)baud);
	if (err == VG_OK)
		err = vg_parent_send(VG_PARENT_REGISTER, CONSOLE_SERVICE_ID,
		    req_weak);
	if (err != VG_OK) {
		printf("uart16550: the UART at %#lx, line %lu: %s\n",
		    (unsigned long)port, (unsigned long)line,
		    vg_strerror(err));
		return 1;
	}
	printf("uart16550: the UART at %#lx, line %lu, %lu baud 8N1, "
	    "interrupt-driven; I serve the console.\n", (unsigned long)port,
	    (unsigned long)line, (unsigned long)baud);
	/* Everything else is the activation handler's. */
	vg_wait_nonzero(&never);
	return 0;
}
