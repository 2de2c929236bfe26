/*
 * From a device's interrupt to its driver's activation
 * (irq_to_activation), on QEMU's COM2 (0x2f8, line 3; bench/run.sh gives
 * the machine one).  The driver is an echo partner in P1 whose request
 * messenger is bound to line 3's interrupt object: the kernel's
 * IRQ_FIRED message activates it, its entry reads the time stamp
 * counter first thing (bsrv.t1), and it answers word 0 + 1 to my reply
 * messenger as for a round trip.
 *
 * I make the interrupt: the UART's transmit-holding-register-empty
 * condition is enabled, so a byte written to THR raises the line as soon
 * as the byte is gone -- under QEMU, within the OUT itself.  One sample
 * is from my rdtsc before the one vg_ipc that writes the byte
 * (IOPORT_OUT invoked inline on my port range, no reply asked for;
 * RECEIVE on R, no RETURN: I am suspended) to the driver's first
 * instruction.  The window therefore holds my system call and the
 * kernel's OUT (ioport_out measures that call alone, with RETURN), my
 * suspension, the kernel's switch to the idle loop, where the pending
 * interrupt is taken at its sti, the interrupt's entry, masking the
 * line at the IOAPIC and its EOI, the IRQ_FIRED message's delivery to
 * the driver's messenger, its activation, the switch to P1 and the
 * return to user mode at its entry.  Between samples, outside the
 * window, I clear the UART's condition (IIR) and let the line through
 * again (IRQ_ACK), as a driver does.
 *
 * irq_entry_to_activation is the kernel's part of the same samples: from
 * the time stamp the kernel puts in the IRQ_FIRED message (w3: read as
 * its interrupt path begins, after the entry stub's register saves) to
 * the driver's first instruction.  The driver's UTCB, in the shared
 * region, still holds the message when I have its answer.
 */
#include "broot.h"

#define COM2		0x2f8u
#define COM2_LINE	3u
#define UART_THR	0u
#define UART_IER	1u
#define UART_IIR	2u
#define UART_LCR	3u
#define UART_MCR	4u
#define UART_LSR	5u
#define UART_SCR	7u	/* scratch: an OUT that raises nothing */
#define IER_THRE	0x02u
#define MCR_OUT2	0x08u

static vg_addr_t folio, ports, irq;
static struct echo drv;

/*
 * The other way to give a driver ports, measured by its parts
 * (docs/drivers.md, "I/O ports"): with an I/O permission bitmap in the
 * TSS an access is the one IN or OUT instruction, but every switch to a
 * thread with ports copies its bitmap into the TSS, up to the byte of
 * the highest port it holds.  iopb_copy is that copy, rep movsq as a
 * kernel would do it, for COM2's ports (0x2f8: 96 bytes) and for the
 * whole bitmap (8 KiB: a port near 0xffff, where PCI I/O BARs are).
 */
#define IOPB_BYTES	8192u
static uint64_t iopb_src[IOPB_BYTES / 8], iopb_tss[IOPB_BYTES / 8];

static void
bench_iopb_copy(unsigned bytes)
{
	for (unsigned i = 0; i < warmup + iters; i++) {
		uint64_t t0, t2, n = bytes / 8;
		void *d = iopb_tss, *s = iopb_src;

		t0 = bench_tsc();
		__asm__ volatile("rep movsq" : "+D"(d), "+S"(s), "+c"(n) ::
		    "memory");
		t2 = bench_tsc();
		if (i >= warmup)
			samples[i - warmup] = t2 - t0;
	}
	report("iopb_copy", (int)bytes, samples, iters);
}

static uint32_t
in(unsigned reg)
{
	uint32_t v = 0;

	must(vg_ioport_in(kc, ports, COM2 + reg, 1, &v), "IOPORT_IN");
	return v;
}

static void
out(unsigned reg, uint32_t v)
{
	must(vg_ioport_out(kc, ports, COM2 + reg, 1, v), "IOPORT_OUT");
}

/* The one vg_ipc of a sample: OUT REG, V on my range from SENDER, and,
 * if WAIT, receive on R without RETURN. */
static struct vg_ipc_args
out_call(unsigned reg, uint32_t v, bool wait)
{
	struct vg_ipc_args a = {
		.flags = VG_IPC_SEND | VG_IPC_SEND_INLINE |
		    VG_IPC_INLINE_WORDS(4),
		.target = ports,
		.send_messenger = sender,
		.inline_words = { VG_METHOD_IOPORT_OUT, COM2 + reg, 1, v },
	};

	if (wait) {
		a.flags |= VG_IPC_RECEIVE | VG_IPC_RECEIVE_ACTIVATE |
		    VG_IPC_RECEIVE_INLINE;
		a.recv_messenger = reply;
	} else {
		a.flags |= VG_IPC_RETURN;
	}
	return a;
}

static void
bench_irq(void)
{
	vg_addr_t ictl = vg_as_root_slot(&rt->as, VG_SLOT_IRQ_CONTROL);
	vg_addr_t pctl = vg_as_root_slot(&rt->as, VG_SLOT_IOPORT_CONTROL);
	struct vg_ipc_args a;
	uint64_t t0, t2;
	enum vg_err err;

	folio = root_slot();
	ports = root_slot();
	irq = root_slot();
	must(vg_activity_folio_alloc(kc, rt->activity, folio), "a folio");
	must(vg_ioport_control_create(kc, pctl, COM2, 8, folio, 0, ports),
	    "COM2's ports");
	must(vg_irq_control_create(kc, ictl, COM2_LINE, folio, 1, irq),
	    "line 3's interrupt object");
	if (in(UART_LSR) == 0xff) {
		printf("# bench: irq: no UART at %#x (bench/run.sh gives the "
		    "machine a second serial port)\n", COM2);
		must(vg_folio_free(kc, folio), "FOLIO_FREE");
		return;
	}
	echo_new(&drv, &p1, false, 0, ANS_STATIC, p1_reply_right());
	must(vg_irq_bind(kc, irq, drv.req_weak), "IRQ_BIND");
	out(UART_LCR, 0x03);
	out(UART_MCR, 0x03 | MCR_OUT2);
	out(UART_IER, 0);
	(void)in(UART_IIR);
	(void)in(UART_LSR);
	must(vg_irq_ack(kc, irq), "IRQ_ACK");

	handler_fast();
	for (unsigned i = 0; i < warmup + iters; i++) {
		prof("irq_to_activation", -1, i, warmup);
		/* The first sample enables the condition: with THR empty,
		 * that raises it as a byte sent does. */
		a = i == 0 ? out_call(UART_IER, IER_THRE, true) :
		    out_call(UART_THR, 'x', true);
		t0 = bench_tsc();
		err = vg_ipc(&a);
		if (err != VG_OK || utcb->inline_words[0] !=
		    VG_METHOD_IRQ_FIRED + 1)
			die("irq_to_activation: sample %u: %s, the driver "
			    "answered %#lx", i, vg_strerror(err),
			    (unsigned long)utcb->inline_words[0]);
		if (i >= warmup) {
			samples[i - warmup] = drv.p.s->t1 - t0;
			samples2[i - warmup] = drv.p.s->t1 -
			    drv.p.s->utcb->inline_words[3];
		}
		(void)in(UART_IIR);
		must(vg_irq_ack(kc, irq), "IRQ_ACK");
	}
	partner_check(&drv.p, "irq_to_activation");
	report("irq_to_activation", -1, samples, iters);
	report("irq_entry_to_activation", -1, samples2, iters);

	/* The OUT alone, returning at once: the first part of the window. */
	a = out_call(UART_SCR, 0x5a, false);
	for (unsigned i = 0; i < warmup + iters; i++) {
		prof("ioport_out", -1, i, warmup);
		t0 = bench_tsc();
		err = vg_ipc(&a);
		t2 = bench_tsc();
		if (err != VG_OK)
			die("ioport_out: sample %u: %s", i, vg_strerror(err));
		if (i >= warmup)
			samples[i - warmup] = t2 - t0;
	}
	report("ioport_out", -1, samples, iters);

	/* A FIFO's worth, 16 bytes, in one IOPORT_OUTS to the scratch
	 * register: what the UART driver's transmit costs per interrupt. */
	for (unsigned i = 0; i < warmup + iters; i++) {
		static const uint8_t fifo[16] = "0123456789abcdef";

		t0 = bench_tsc();
		err = vg_ioport_outs(kc, ports, COM2 + UART_SCR, fifo,
		    sizeof(fifo));
		t2 = bench_tsc();
		if (err != VG_OK)
			die("ioport_outs: sample %u: %s", i, vg_strerror(err));
		if (i >= warmup)
			samples[i - warmup] = t2 - t0;
	}
	report("ioport_outs", 16, samples, iters);

	bench_iopb_copy(96);
	bench_iopb_copy(IOPB_BYTES);

	out(UART_IER, 0);
	handler_libvg();
	/* The objects and the range go with the folio. */
	must(vg_folio_free(kc, folio), "FOLIO_FREE");
}

const struct bench_group bench_group_irq = { "irq", bench_irq };
