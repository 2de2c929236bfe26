/*
 * Drivers: an interrupt line delivered as messages, and I/O ports
 * reached through a port range (docs/drivers.md).  troot plays the
 * driver of QEMU's second serial port, COM2 (ports 0x2f8..0x2ff, IRQ
 * 3; tests/build/qemu.sh gives the machine one): it makes the port
 * range and the interrupt object in a folio of its own, binds the
 * object to a probe messenger, and makes the UART interrupt with its
 * transmit-holding-register-empty condition: enabling it raises IRQ 3
 * at once (the register is empty), and so does every byte written once
 * it is sent; reading the interrupt identification register clears it.
 *
 * Then the kernel's idle loop: troot drives the RTC's periodic
 * interrupt (IRQ 8, ports 0x70..0x71) and waits, suspended, from one
 * interrupt to the next, a quarter of a second with nothing to run.  The
 * processor halts there, and the timer is stopped while it does, so it
 * halts once or twice, not once a tick (25), and the console's
 * CONSOLE_IDLE counts most of the wait as halted.  That needs the RTC on
 * the processor's clock, QEMU's virtual one (tests/build/qemu.sh's "-rtc
 * clock=vm"; by default it counts the host's, which under -icount runs on
 * while the guest's stands still).
 * QEMU 7.2 with -icount sleep=off wakes the halted processor only at the
 * RTC's period after (the wait is 500 ms, in one halt all the same);
 * with sleep=on, or without -icount, at the first.
 */
#include "troot.h"

enum { R_BOUND, R_DELIVERED, R_ACKED, R_BLOCKED, R_TWICE, R_GONE, R_RANGE,
    R_IDLE_HALTS, R_IDLE_TIME, R_N };

static const char *const names[R_N] = {
	[R_BOUND] = "the interrupt control makes line 3's interrupt object "
	    "in my folio, and it binds to my messenger",
	[R_DELIVERED] = "COM2's interrupt arrives as a message: "
	    "VG_METHOD_IRQ_FIRED, line 3, count 1, with an activation",
	[R_ACKED] = "after IRQ_ACK the line fires again: a byte written, "
	    "a second message",
	[R_BLOCKED] = "interrupts while my messenger is blocked are not "
	    "lost: two of them arrive as one message with count 2 when it "
	    "receives",
	[R_TWICE] = "a second object for line 3 is VG_ERR_IN_USE, a second "
	    "BIND too; the kernel's lines 0 and 4 are VG_ERR_INVALID",
	[R_GONE] = "destroyed, the object's capability is void, no message "
	    "comes, and the line can have a new object",
	[R_RANGE] = "ports outside the range, and ranges over the "
	    "kernel's ports, are VG_ERR_INVALID",
	[R_IDLE_HALTS] = "waiting suspended, with nothing to run, for the "
	    "RTC's next periodic interrupt (250 ms or more: 25 ticks), the "
	    "processor halts 1 to 3 times (CONSOLE_IDLE): no tick wakes it "
	    "while it is idle",
	[R_IDLE_TIME] = "CONSOLE_IDLE counts at least half of that wait's "
	    "time-stamp-counter ticks as halted",
};

#define COM2		0x2f8u
#define COM2_IRQ	3
#define UART_THR	0	/* write: transmit holding register */
#define UART_IER	1	/* interrupt enable */
#define UART_IIR	2	/* read: interrupt identification */
#define UART_LCR	3
#define UART_MCR	4
#define UART_LSR	5
#define IER_THRE	0x02
#define MCR_OUT2	0x08	/* the PC wires the IRQ through OUT2 */
#define LSR_THRE	0x20

/* A little under a second of TCG: long enough for any interrupt. */
#define WAIT_CYCLES	2000000000ull

static vg_addr_t folio, ports, irq, irq2;
static struct probe p;

static uint32_t
in(unsigned reg)
{
	uint32_t v = 0;

	(void)vg_ioport_in(vg_kcall(), ports, COM2 + reg, 1, &v);
	return v;
}

static void
out(unsigned reg, uint32_t v)
{
	(void)vg_ioport_out(vg_kcall(), ports, COM2 + reg, 1, v);
}

/* Spin until P has received N messages, or a while; true if it did. */
static bool
wait_received(uint64_t n)
{
	uint64_t t0 = t_rdtsc();

	while (p.received < n && t_rdtsc() - t0 < WAIT_CYCLES)
		;
	return p.received >= n;
}

/* Send one byte and wait until the UART has sent it: its interrupt is
 * raised then, and taken before this returns to user mode. */
static void
kick(void)
{
	uint64_t t0 = t_rdtsc();

	out(UART_THR, 'x');
	while (!(in(UART_LSR) & LSR_THRE) && t_rdtsc() - t0 < WAIT_CYCLES)
		;
	/* A few more kernel entries, for good measure. */
	for (int i = 0; i < 4; i++)
		(void)in(UART_LSR);
}

/* The last message P received: line and count, if it is an interrupt's. */
static bool
last_message(uint64_t *line, uint64_t *count)
{
	if (vg_msg_word(p.page, 0) != VG_METHOD_IRQ_FIRED)
		return false;
	*line = vg_msg_word(p.page, 1);
	*count = vg_msg_word(p.page, 2);
	return true;
}

static bool
message_is(uint64_t want_count, const char *what)
{
	uint64_t line = 0, count = 0;
	bool ok = last_message(&line, &count);

	return t_expect(ok && line == COM2_IRQ && count == want_count,
	    "%s: word 0 %#lx, line %lu, count %lu (want %lu)", what,
	    (unsigned long)vg_msg_word(p.page, 0), (unsigned long)line,
	    (unsigned long)count, (unsigned long)want_count);
}

#define RTC_INDEX	0x70
#define RTC_IRQ		8
#define RTC_A		0x0a	/* divider and rate */
#define RTC_B		0x0b
#define RTC_C		0x0c	/* read: the flags, which it clears */
#define RTC_A_32KHZ	0x20	/* the divider of the 32.768 kHz crystal */
#define RTC_RATE_4HZ	14	/* 32768 >> (14 - 1): 250 ms */
#define RTC_B_PIE	0x40	/* periodic interrupt enable */
#define IDLE_HALTS_MAX	3

static uint32_t
rtc_in(vg_addr_t rtc, unsigned reg)
{
	uint32_t v = 0;

	(void)vg_ioport_out(vg_kcall(), rtc, RTC_INDEX, 1, reg);
	(void)vg_ioport_in(vg_kcall(), rtc, RTC_INDEX + 1, 1, &v);
	return v;
}

static void
rtc_out(vg_addr_t rtc, unsigned reg, uint32_t v)
{
	(void)vg_ioport_out(vg_kcall(), rtc, RTC_INDEX, 1, reg);
	(void)vg_ioport_out(vg_kcall(), rtc, RTC_INDEX + 1, 1, v);
}

/*
 * The idle loop, across a period of the RTC.  The first interrupt is
 * waited for spinning (bounded: it proves the RTC interrupts at all),
 * the second suspended, which is the wait measured: it comes a period
 * after the first (or two, above), however long that one took to come.
 * Each time the flags are read after the line is unmasked, so that the
 * next period's flag raises the line again, an edge the IOAPIC sees.
 */
static void
idle_wait(struct t_group *g)
{
	struct vg_runtime *rt = vg_self();
	struct vg_call *kc = vg_kcall();
	vg_addr_t ictl = vg_as_root_slot(&rt->as, VG_SLOT_IRQ_CONTROL);
	vg_addr_t pctl = vg_as_root_slot(&rt->as, VG_SLOT_IOPORT_CONTROL);
	vg_addr_t f = t_slot(), rtc = t_slot(), line = t_slot();
	uint64_t idle0 = 0, halts0 = 0, idle1 = 0, halts1 = 0, t0, t1;
	uint64_t line_no = 0, count = 0, spins = 0, s0;
	enum vg_err err, e1;
	uint32_t a = 0, b = 0;
	bool ok, pie = false;

	memset(&p, 0, sizeof(p));
	err = vg_activity_folio_alloc(kc, rt->activity, f);
	if (err == VG_OK)
		err = vg_ioport_control_create(kc, pctl, RTC_INDEX, 2, f, 0,
		    rtc);
	if (err == VG_OK)
		err = vg_irq_control_create(kc, ictl, RTC_IRQ, f, 1, line);
	if (err == VG_OK)
		err = probe_init(&p, "drivers.rtc", true);
	if (err == VG_OK)
		err = vg_irq_bind(kc, line, p.m);
	if (!t_expect(err == VG_OK, "the RTC's line and ports: %s",
	    vg_strerror(err)))
		goto out;

	/* Four interrupts a second; then the first. */
	a = rtc_in(rtc, RTC_A);
	b = rtc_in(rtc, RTC_B);
	rtc_out(rtc, RTC_A, RTC_A_32KHZ | RTC_RATE_4HZ);
	rtc_out(rtc, RTC_B, b | RTC_B_PIE);
	pie = true;
	err = probe_arm_page(&p, NULL, 0);
	if (err == VG_OK)
		err = vg_irq_ack(kc, line);
	(void)rtc_in(rtc, RTC_C);
	s0 = t_rdtsc();
	while (err == VG_OK && p.received < 1 &&
	    (++spins % 1024 != 0 || t_rdtsc() - s0 < WAIT_CYCLES))
		;
	if (!t_expect(err == VG_OK && p.received == 1, "arm, ack: %s; the "
	    "RTC's first interrupt %s", vg_strerror(err), p.received == 1 ?
	    "came" : "never came"))
		goto out;

	/* The second, suspended: nothing else runs meanwhile. */
	err = probe_arm_page(&p, NULL, 0);
	if (err == VG_OK)
		err = vg_irq_ack(kc, line);
	(void)rtc_in(rtc, RTC_C);
	e1 = vg_console_idle(kc, rt->console, &idle0, &halts0);
	t0 = t_rdtsc();
	if (err == VG_OK && e1 == VG_OK)
		t_wait_for(&p.received, 2);
	t1 = t_rdtsc();
	if (e1 == VG_OK)
		e1 = vg_console_idle(kc, rt->console, &idle1, &halts1);
	ok = t_expect(err == VG_OK && e1 == VG_OK, "arm, ack: %s; "
	    "CONSOLE_IDLE: %s", vg_strerror(err), vg_strerror(e1));
	if (vg_msg_word(p.page, 0) == VG_METHOD_IRQ_FIRED) {
		line_no = vg_msg_word(p.page, 1);
		count = vg_msg_word(p.page, 2);
	}
	ok &= t_expect(p.received == 2 && line_no == RTC_IRQ && count == 1,
	    "the second message: line %lu, count %lu (%lu received)",
	    (unsigned long)line_no, (unsigned long)count,
	    (unsigned long)p.received);
	t_diag("idle wait: %lu tsc ticks, %lu of them halted, in %lu halts",
	    (unsigned long)(t1 - t0), (unsigned long)(idle1 - idle0),
	    (unsigned long)(halts1 - halts0));
	t_ok(g, R_IDLE_HALTS, ok & t_expect(halts1 > halts0 &&
	    halts1 - halts0 <= IDLE_HALTS_MAX, "%lu halts across the wait "
	    "(want 1 .. %u)", (unsigned long)(halts1 - halts0),
	    IDLE_HALTS_MAX));
	t_ok(g, R_IDLE_TIME, ok & t_expect(idle1 >= idle0 &&
	    idle1 - idle0 >= (t1 - t0) / 2 && idle1 - idle0 <= t1 - t0,
	    "%lu of %lu ticks halted", (unsigned long)(idle1 - idle0),
	    (unsigned long)(t1 - t0)));

out:
	/* As the firmware left it. */
	if (pie) {
		rtc_out(rtc, RTC_B, b & ~RTC_B_PIE);
		rtc_out(rtc, RTC_A, a);
		(void)rtc_in(rtc, RTC_C);
	}
	(void)vg_folio_free(kc, f);
	if (!vg_addr_is_void(p.m))
		probe_fini(&p);
	t_slot_free(&f);
	t_slot_free(&rtc);
	t_slot_free(&line);
}

static void
run(struct t_group *g)
{
	struct vg_runtime *rt = vg_self();
	struct vg_call *kc = vg_kcall();
	vg_addr_t ictl = vg_as_root_slot(&rt->as, VG_SLOT_IRQ_CONTROL);
	vg_addr_t pctl = vg_as_root_slot(&rt->as, VG_SLOT_IOPORT_CONTROL);
	enum vg_err err, e1, e2, e3, e4;
	uint64_t n;
	uint32_t v = 0;
	bool ok;

	folio = t_slot();
	ports = t_slot();
	irq = t_slot();
	irq2 = t_slot();
	err = vg_activity_folio_alloc(kc, rt->activity, folio);
	if (err == VG_OK)
		err = vg_ioport_control_create(kc, pctl, COM2, 8, folio, 0,
		    ports);
	if (err == VG_OK)
		err = vg_irq_control_create(kc, ictl, COM2_IRQ, folio, 1, irq);
	if (err == VG_OK)
		err = probe_init(&p, "drivers.com2", true);
	if (err == VG_OK)
		err = vg_irq_bind(kc, irq, p.m);
	t_ok(g, R_BOUND, t_expect(err == VG_OK, "setting up: %s",
	    vg_strerror(err)));
	if (err != VG_OK)
		goto out;

	/* Refusals. */
	e1 = vg_irq_control_create(kc, ictl, COM2_IRQ, folio, 2, irq2);
	e2 = vg_irq_bind(kc, irq, p.m);
	e3 = vg_irq_control_create(kc, ictl, 0, folio, 2, irq2);
	e4 = vg_irq_control_create(kc, ictl, 4, folio, 2, irq2);
	t_ok(g, R_TWICE, t_expect(e1 == VG_ERR_IN_USE && e2 == VG_ERR_IN_USE &&
	    e3 == VG_ERR_INVALID && e4 == VG_ERR_INVALID, "line 3 again %s, "
	    "BIND again %s, line 0 %s, line 4 %s", vg_strerror(e1),
	    vg_strerror(e2), vg_strerror(e3), vg_strerror(e4)));
	e1 = vg_ioport_in(kc, ports, COM2 - 1, 1, &v);
	e2 = vg_ioport_in(kc, ports, COM2 + 8, 1, &v);
	e3 = vg_ioport_out(kc, ports, COM2 + 6, 4, 0);
	e4 = vg_ioport_control_create(kc, pctl, 0x3f8, 8, folio, 3, irq2);
	err = vg_ioport_control_create(kc, pctl, 0x20, 2, folio, 3, irq2);
	t_ok(g, R_RANGE, t_expect(e1 == VG_ERR_INVALID &&
	    e2 == VG_ERR_INVALID && e3 == VG_ERR_INVALID &&
	    e4 == VG_ERR_INVALID && err == VG_ERR_INVALID, "port 0x2f7 %s, "
	    "0x300 %s, 4 bytes at 0x2fe %s, a range over COM1 %s, over the "
	    "PIC %s", vg_strerror(e1), vg_strerror(e2), vg_strerror(e3),
	    vg_strerror(e4), vg_strerror(err)));

	/* The UART: 8N1, its IRQ wired through, quiet. */
	out(UART_LCR, 0x03);
	out(UART_MCR, 0x03 | MCR_OUT2);
	out(UART_IER, 0);
	(void)in(UART_IIR);
	(void)in(UART_LSR);

	/* Delivered: enabling the interrupt raises it (the register is
	 * empty). */
	err = probe_arm_page(&p, NULL, 0);
	if (err == VG_OK)
		err = vg_irq_ack(kc, irq);
	out(UART_IER, IER_THRE);
	ok = t_expect(err == VG_OK, "arm, ack: %s", vg_strerror(err));
	ok &= t_expect(wait_received(1), "no message came (%lu)",
	    (unsigned long)p.received);
	ok &= message_is(1, "the first");
	ok &= t_expect(p.last_received.reason & VG_ACTIVATION_RECEIVED,
	    "the activation's reasons are %#x", p.last_received.reason);
	t_ok(g, R_DELIVERED, ok);

	/* Acknowledged: served (IIR read), ACK, a byte, a message. */
	(void)in(UART_IIR);
	err = probe_arm_page(&p, NULL, 0);
	if (err == VG_OK)
		err = vg_irq_ack(kc, irq);
	kick();
	ok = t_expect(err == VG_OK, "arm, ack: %s", vg_strerror(err));
	ok &= t_expect(wait_received(2), "no second message (%lu)",
	    (unsigned long)p.received);
	t_ok(g, R_ACKED, ok && message_is(1, "the second"));

	/* Not lost while blocked: two interrupts, my messenger not
	 * receiving; then it receives one message counting both. */
	n = p.received;
	(void)in(UART_IIR);
	err = vg_irq_ack(kc, irq);
	kick();
	(void)in(UART_IIR);
	if (err == VG_OK)
		err = vg_irq_ack(kc, irq);
	kick();
	ok = t_expect(p.received == n, "a message came while blocked");
	if (err == VG_OK)
		err = probe_arm_page(&p, NULL, 0);
	ok &= t_expect(err == VG_OK, "ack, arm: %s", vg_strerror(err));
	ok &= t_expect(wait_received(n + 1), "the queued message never came");
	t_ok(g, R_BLOCKED, ok && message_is(2, "the coalesced one"));

	/* Gone: void over it; its line free for a new object. */
	(void)in(UART_IIR);
	(void)vg_irq_ack(kc, irq);
	err = probe_arm_page(&p, NULL, 0);
	n = p.received;
	e1 = vg_folio_object_alloc(kc, folio, 1, VG_TYPE_VOID, 0,
	    VG_ADDR_VOID);
	e2 = vg_irq_ack(kc, irq);
	kick();
	ok = t_expect(err == VG_OK && e1 == VG_OK && e2 == VG_ERR_VOID,
	    "arm %s, destroy %s, ACK after %s", vg_strerror(err),
	    vg_strerror(e1), vg_strerror(e2));
	ok &= t_expect(!wait_received(n + 1) || p.received == n,
	    "a message came after destruction");
	e3 = vg_irq_control_create(kc, ictl, COM2_IRQ, folio, 2, irq2);
	t_ok(g, R_GONE, ok & t_expect(e3 == VG_OK, "line 3 again: %s",
	    vg_strerror(e3)));

out:
	if (!vg_addr_is_void(ports))
		out(UART_IER, 0);
	/* The folio and everything in it: the second object, the range. */
	(void)vg_folio_free(kc, folio);
	if (!vg_addr_is_void(p.m))
		probe_fini(&p);
	t_slot_free(&folio);
	t_slot_free(&ports);
	t_slot_free(&irq);
	t_slot_free(&irq2);
	idle_wait(g);
}

struct t_group t_group_drivers = {
	.name = "drivers",
	.n = R_N,
	.names = names,
	.run = run,
};
