/*
 * Interrupt objects (see irq.h).
 *
 * The message is preallocated: it lives in the carrier, a messenger
 * inside the interrupt object, and goes through the one send path every
 * kernel reply takes (messenger_send with MSGR_KMSG), so that it queues,
 * waits its turn behind other senders and is dropped with a destroyed
 * receiver exactly as a reply would be.  Nothing is allocated when a
 * line fires; an interrupt that finds its message still queued only
 * counts up the message's count word in place.
 */
#include <stddef.h>

#include <vg/method.h>

#include "activation.h"
#include "arch.h"
#include "irq.h"
#include "kassert.h"
#include "messenger.h"
#include "object.h"

static struct irq *irq_line[IRQ_LINES_MAX];

void
irq_boot(void)
{
	for (unsigned i = 0; i < IRQ_LINES_MAX; i++)
		irq_line[i] = NULL;
}

struct irq *
irq_of_line(unsigned line)
{
	return line < IRQ_LINES_MAX ? irq_line[line] : NULL;
}

enum vg_err
irq_line_check(uint64_t line)
{
	if (line >= IRQ_LINES_MAX || line >= arch_irq_lines() ||
	    !arch_irq_available((unsigned)line))
		return VG_ERR_INVALID;
	if (irq_line[line] != NULL)
		return VG_ERR_IN_USE;
	return VG_OK;
}

static void
line_mask(struct irq *q)
{
	q->masked = true;
	arch_irq_mask(q->line);
}

void
irq_init(struct irq *q, unsigned line)
{
	VG_ASSERT(irq_line_check(line) == VG_OK);
	/* Blocked: it never receives; nothing can name it to send to. */
	q->carrier.flags = VG_MESSENGER_BLOCKED;
	q->line = line;
	irq_line[line] = q;
	line_mask(q);
}

/* The carrier's message, if it is still queued, back into PENDING. */
static void
withdraw(struct irq *q)
{
	struct messenger *c = &q->carrier;

	if (c->target == NULL)
		return;
	if (q->pending == 0)
		q->stamp = c->kmsg_words[IRQ_MSG_STAMP];
	q->pending += (uint32_t)c->kmsg_words[IRQ_MSG_COUNT];
	messenger_wait_unlink(c);
	c->kflags &= ~(uint32_t)MSGR_KMSG;
}

/* Send the pending count to the bound messenger, if there is one. */
static void
deliver(struct irq *q)
{
	struct messenger *c = &q->carrier;
	struct messenger *dst = messenger_lookup(&q->bound);

	if (dst == NULL || q->pending == 0)
		return;
	VG_ASSERT(c->target == NULL && !(c->kflags & MSGR_KMSG));
	c->kmsg_words[IRQ_MSG_METHOD] = VG_METHOD_IRQ_FIRED;
	c->kmsg_words[IRQ_MSG_LINE] = q->line;
	c->kmsg_words[IRQ_MSG_COUNT] = q->pending;
	c->kmsg_words[IRQ_MSG_STAMP] = q->stamp;
	c->kmsg_nwords = IRQ_MSG_WORDS;
	c->kmsg_ncaps = 0;
	c->kflags |= MSGR_KMSG;
	q->pending = 0;
	/* No capabilities: delivered now, or queued; never suspended. */
	(void)messenger_send(c, dst, false);
}

void
irq_destroy(struct irq *q)
{
	withdraw(q);
	activation_unlink(&q->carrier);
	q->bound = VG_CAP_VOID;
	q->pending = 0;
	line_mask(q);
	if (irq_line[q->line] == q)
		irq_line[q->line] = NULL;
}

enum vg_err
irq_bind(struct irq *q, struct vg_cap m)
{
	if (messenger_lookup(&q->bound) != NULL)
		return VG_ERR_IN_USE;
	/* commit: no failure past here */
	q->bound = m;
	deliver(q);
	return VG_OK;
}

void
irq_ack(struct irq *q)
{
	q->masked = false;
	arch_irq_unmask(q->line);
}

void
irq_unbind(struct irq *q)
{
	withdraw(q);
	q->bound = VG_CAP_VOID;
	line_mask(q);
}

void
irq_raise(unsigned line, uint64_t stamp)
{
	struct irq *q = irq_of_line(line);

	if (q == NULL) {
		/* Nobody's: keep it quiet. */
		if (line < arch_irq_lines() && arch_irq_available(line))
			arch_irq_mask(line);
		return;
	}
	line_mask(q);
	/* Its message still waits on the receiver: count it there. */
	if (q->carrier.kflags & MSGR_KMSG) {
		q->carrier.kmsg_words[IRQ_MSG_COUNT]++;
		return;
	}
	if (q->pending++ == 0)
		q->stamp = stamp;
	deliver(q);
}
