/*
 * The kernel's devices: the console, the machine's power and the
 * controls of interrupts and I/O ports, one object each, made at boot in
 * the root folio (folio.h) and reached by capability like any other
 * object.  Nobody has them but the root task, until it gives them away.
 * The controls make the device objects drivers hold: interrupt objects
 * (irq.h) and I/O port ranges (ioport.h), in storage of the caller's.
 */
#include <stddef.h>

#include <vg/method.h>

#include "arch.h"
#include "as.h"
#include "folio.h"
#include "invocation.h"
#include "ioport.h"
#include "irq.h"
#include "messenger_object.h"
#include "methods.h"
#include "object.h"
#include "transfer.h"

/*
 * CONSOLE_WRITE: w1 bytes from byte VG_CONSOLE_WRITE_DATA of the request's
 * data.  The request words the dispatcher copied stop at INVOKE_WORDS, so
 * the bytes are read from the sender's message itself, once.
 */
static void
console_write(struct invocation *inv, struct messenger *src)
{
	struct msg_source s;
	uint64_t n;

	if (!invoke_need(inv, 2))
		return;
	n = inv->word[1];
	msg_source_of(src, &s);
	if (s.len < VG_CONSOLE_WRITE_DATA ||
	    n > s.len - VG_CONSOLE_WRITE_DATA) {
		invoke_error(inv, VG_ERR_INVALID);
		return;
	}
	/* commit: no failure past here */
	arch_console_write((const char *)s.data + VG_CONSOLE_WRITE_DATA,
	    (size_t)n);
	invoke_error(inv, VG_OK);
}

/* CONSOLE_IRQOFF: what the platform measured (arch.h), if it does. */
static void
console_irqoff(struct invocation *inv)
{
	uint64_t longest, stretches;

	if (!arch_irqoff_take(&longest, &stretches)) {
		invoke_error(inv, VG_ERR_METHOD);
		return;
	}
	invoke_error(inv, VG_OK);
	invoke_reply_word(inv, longest);
	invoke_reply_word(inv, stretches);
}

/* CONSOLE_IDLE: the time halted with nothing to run (arch.h); every
 * kernel answers. */
static void
console_idle(struct invocation *inv)
{
	uint64_t ticks, halts;

	arch_idle_read(&ticks, &halts);
	invoke_error(inv, VG_OK);
	invoke_reply_word(inv, ticks);
	invoke_reply_word(inv, halts);
}

static void
console_methods(struct invocation *inv, struct messenger *src)
{
	switch (inv->word[0]) {
	case VG_METHOD_CONSOLE_WRITE:
		console_write(inv, src);
		return;
	case VG_METHOD_CONSOLE_IRQOFF:
		console_irqoff(inv);
		return;
	case VG_METHOD_CONSOLE_IDLE:
		console_idle(inv);
		return;
	default:
		invoke_error(inv, VG_ERR_METHOD);
		return;
	}
}

static void
power_methods(struct invocation *inv)
{
	switch (inv->word[0]) {
	case VG_METHOD_POWER_OFF:
		if (!invoke_need(inv, 2))
			return;
		if (inv->word[1] > VG_POWER_STATUS_MAX) {
			invoke_error(inv, VG_ERR_INVALID);
			return;
		}
		/* commit: no failure past here */
		arch_power_off(inv->word[1]);
		/* Still here: a platform that cannot stop (hosted). */
		invoke_error(inv, VG_OK);
		return;
	default:
		invoke_error(inv, VG_ERR_METHOD);
		return;
	}
}

struct folio *
device_request_folio(struct invocation *inv)
{
	struct as_result r = invoke_request_cap(inv, 1);
	struct folio *f;

	if (r.err != VG_OK) {
		/* A virtualized level on the way: a method cannot ask. */
		invoke_error(inv, r.err == AS_VIRTUALIZED ? VG_ERR_VIRTUAL :
		    r.err);
		return NULL;
	}
	if (r.cap.type == VG_TYPE_VOID) {
		invoke_error(inv, VG_ERR_VOID);
		return NULL;
	}
	f = r.cap.type == VG_TYPE_FOLIO ? object_lookup(&r.cap) : NULL;
	if (f == NULL)
		invoke_error(inv, VG_ERR_TYPE);
	return f;
}

/* IRQ_CONTROL_CREATE: line w1's interrupt object in slot w2 of cap 1. */
static void
irq_control_methods(struct invocation *inv)
{
	struct folio_ret r;
	struct folio *f;
	enum vg_err err;

	if (inv->word[0] != VG_METHOD_IRQ_CONTROL_CREATE) {
		invoke_error(inv, VG_ERR_METHOD);
		return;
	}
	if (!invoke_need(inv, 3))
		return;
	err = irq_line_check(inv->word[1]);
	if (err == VG_OK && inv->word[2] >= VG_FOLIO_OBJECTS)
		err = VG_ERR_INVALID;
	if (err != VG_OK) {
		invoke_error(inv, err);
		return;
	}
	if ((f = device_request_folio(inv)) == NULL)
		return;
	r = folio_device_alloc(f, (unsigned)inv->word[2], VG_TYPE_IRQ);
	invoke_error(inv, r.err);
	if (r.err != VG_OK)
		return;
	/* commit: the object exists; it is the line's. */
	irq_init(object_lookup(&r.cap), (unsigned)inv->word[1]);
	invoke_reply_cap(inv, r.cap);
}

static void
irq_methods(struct invocation *inv)
{
	struct irq *q = inv->object;

	switch (inv->word[0]) {
	case VG_METHOD_IRQ_BIND: {
		struct as_result r = invoke_request_cap(inv, 1);

		if (r.err != VG_OK) {
			invoke_error(inv, r.err == AS_VIRTUALIZED ?
			    VG_ERR_VIRTUAL : r.err);
			return;
		}
		if (r.cap.type == VG_TYPE_VOID) {
			invoke_error(inv, VG_ERR_VOID);
			return;
		}
		if (messenger_lookup(&r.cap) == NULL) {
			invoke_error(inv, VG_ERR_TYPE);
			return;
		}
		invoke_error(inv, irq_bind(q, r.cap));
		return;
	}
	case VG_METHOD_IRQ_ACK:
		irq_ack(q);
		invoke_error(inv, VG_OK);
		return;
	case VG_METHOD_IRQ_UNBIND:
		irq_unbind(q);
		invoke_error(inv, VG_OK);
		return;
	default:
		invoke_error(inv, VG_ERR_METHOD);
		return;
	}
}

/* IOPORT_CONTROL_CREATE: ports w1 .. w1 + w2 - 1 in slot w3 of cap 1. */
static void
ioport_control_methods(struct invocation *inv)
{
	struct folio_ret r;
	struct ioport *io;
	struct folio *f;

	if (inv->word[0] != VG_METHOD_IOPORT_CONTROL_CREATE) {
		invoke_error(inv, VG_ERR_METHOD);
		return;
	}
	if (!invoke_need(inv, 4))
		return;
	if (inv->word[1] > 0xffff || inv->word[2] == 0 ||
	    inv->word[2] > 0x10000 - inv->word[1] ||
	    inv->word[3] >= VG_FOLIO_OBJECTS ||
	    !arch_ioport_available((uint32_t)inv->word[1],
	    (uint32_t)inv->word[2])) {
		invoke_error(inv, VG_ERR_INVALID);
		return;
	}
	if ((f = device_request_folio(inv)) == NULL)
		return;
	r = folio_device_alloc(f, (unsigned)inv->word[3], VG_TYPE_IOPORT);
	invoke_error(inv, r.err);
	if (r.err != VG_OK)
		return;
	/* commit: the range is its for good. */
	io = object_lookup(&r.cap);
	io->first = (uint32_t)inv->word[1];
	io->count = (uint32_t)inv->word[2];
	invoke_reply_cap(inv, r.cap);
}

/*
 * IOPORT_OUTS: w2 bytes to port w1, from byte VG_IOPORT_STRING_DATA of
 * the request's data, read from the sender's message as CONSOLE_WRITE's.
 */
static void
ioport_outs(struct invocation *inv, struct messenger *src,
    const struct ioport *io)
{
	struct msg_source s;
	uint64_t port, n;

	if (!invoke_need(inv, 3))
		return;
	port = inv->word[1];
	n = inv->word[2];
	msg_source_of(src, &s);
	if (port < io->first || port - io->first >= io->count || n == 0 ||
	    n > VG_IOPORT_STRING_MAX || s.len < VG_IOPORT_STRING_DATA ||
	    n > s.len - VG_IOPORT_STRING_DATA) {
		invoke_error(inv, VG_ERR_INVALID);
		return;
	}
	/* commit: no failure past here */
	for (uint64_t i = 0; i < n; i++)
		arch_ioport_out((uint16_t)port, 1,
		    s.data[VG_IOPORT_STRING_DATA + i]);
	invoke_error(inv, VG_OK);
}

/* IOPORT_IN, IOPORT_OUT: port w1, width w2 (and the value w3). */
static void
ioport_methods(struct invocation *inv, struct messenger *src)
{
	const struct ioport *io = inv->object;
	bool out = inv->word[0] == VG_METHOD_IOPORT_OUT;
	uint64_t port, width;

	if (inv->word[0] == VG_METHOD_IOPORT_OUTS) {
		ioport_outs(inv, src, io);
		return;
	}
	if (!out && inv->word[0] != VG_METHOD_IOPORT_IN) {
		invoke_error(inv, VG_ERR_METHOD);
		return;
	}
	if (!invoke_need(inv, out ? 4 : 3))
		return;
	port = inv->word[1];
	width = inv->word[2];
	/* Every byte it touches is in the range. */
	if ((width != 1 && width != 2 && width != 4) || port < io->first ||
	    port - io->first >= io->count ||
	    width > io->count - (port - io->first) ||
	    (out && (inv->word[3] >> (width * 8)) != 0)) {
		invoke_error(inv, VG_ERR_INVALID);
		return;
	}
	if (out) {
		arch_ioport_out((uint16_t)port, (unsigned)width,
		    (uint32_t)inv->word[3]);
		invoke_error(inv, VG_OK);
		return;
	}
	invoke_error(inv, VG_OK);
	invoke_reply_word(inv, arch_ioport_in((uint16_t)port,
	    (unsigned)width));
}

void
device_methods(struct invocation *inv, struct messenger *src)
{
	switch ((enum vg_type)inv->target.type) {
	case VG_TYPE_CONSOLE:
		console_methods(inv, src);
		return;
	case VG_TYPE_POWER:
		power_methods(inv);
		return;
	case VG_TYPE_IRQ_CONTROL:
		irq_control_methods(inv);
		return;
	case VG_TYPE_IRQ:
		irq_methods(inv);
		return;
	case VG_TYPE_IOPORT_CONTROL:
		ioport_control_methods(inv);
		return;
	case VG_TYPE_IOPORT:
		ioport_methods(inv, src);
		return;
	case VG_TYPE_DEVMEM_CONTROL:
	case VG_TYPE_DEVMEM:
	case VG_TYPE_DMA_CONTROL:
	case VG_TYPE_PAGE:
	case VG_TYPE_RPAGE:
		devmem_methods(inv);
		return;
	default:
		invoke_error(inv, VG_ERR_METHOD);
		return;
	}
}
