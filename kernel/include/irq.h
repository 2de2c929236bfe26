/*
 * Interrupt objects (irq.c; docs/design.md §2, "Interrupt objects";
 * docs/drivers.md): one interrupt line, delivered as messages to the
 * messenger it is bound to.
 *
 * When a line fires the platform calls irq_raise, with interrupts off.
 * The kernel masks the line and sends the bound messenger a kernel-built
 * message (VG_METHOD_IRQ_FIRED: the line, and how often it fired).  The
 * message is carried by a messenger inside the interrupt object itself,
 * made with it: raising a line allocates nothing and does O(1) work --
 * a table look-up, a mask, and one send of a message without
 * capabilities, which is delivered at once or queued on the receiver.
 * While it is queued (the receiver is blocked or busy) further raises
 * only count up the message's count: nothing is lost, nothing more is
 * queued.
 *
 * Invariants:
 *  - a line has at most one interrupt object, and the table names it;
 *  - the carrier has a kernel message exactly while it is queued on a
 *    receiver, and then it is the bound messenger (or was: a destroyed
 *    receiver drops it);
 *  - the line is masked whenever no ACK came since the kernel last
 *    masked it, and whenever the object is unbound or gone.
 */
#ifndef VG_KERNEL_IRQ_H
#define VG_KERNEL_IRQ_H

#include <stdbool.h>
#include <stdint.h>

#include <vg/cap.h>
#include <vg/error.h>

#include "messenger_object.h"

/* The most lines the core keeps a table for (arch_irq_lines is less). */
#define IRQ_LINES_MAX	256

/* The words of the message (vg/method.h VG_METHOD_IRQ_FIRED). */
enum irq_msg_word {
	IRQ_MSG_METHOD = 0,
	IRQ_MSG_LINE = 1,
	IRQ_MSG_COUNT = 2,
	IRQ_MSG_STAMP = 3,
	IRQ_MSG_WORDS = 4,
};

struct irq {
	/* First, so that the queue it waits on finds a messenger at the
	 * start of a frame.  It has no slots, no thread, no capability:
	 * nobody but this object sends with it. */
	struct messenger carrier;
	struct vg_cap bound;		/* the receiver, or void */
	uint32_t line;
	/* Raises not yet in a message: none was bound, or it went. */
	uint32_t pending;
	uint64_t stamp;			/* the first pending one's */
	bool masked;			/* as the kernel last set it */
};

_Static_assert(sizeof(struct irq) <= FRAME_SIZE, "an interrupt object fits");
_Static_assert(IRQ_MSG_WORDS <= KMSG_WORDS, "its message is a kernel message");

/* Forget every line's object (a new core is booting). */
void irq_boot(void);

/* Why line LINE cannot get an interrupt object now: VG_ERR_INVALID (no
 * such line for programs), VG_ERR_IN_USE (it has one), else VG_OK. */
enum vg_err irq_line_check(uint64_t line);

/* The new interrupt object Q (its frame zeroed) is line LINE's, which
 * irq_line_check allowed.  The line stays masked. */
void irq_init(struct irq *q, unsigned line);

/* Q dies: withdraw its message, mask its line, free the line. */
void irq_destroy(struct irq *q);

/* Deliver to messenger capability M (valid); VG_ERR_IN_USE if Q is
 * bound to a messenger that still exists.  A count kept from before is
 * sent at once. */
enum vg_err irq_bind(struct irq *q, struct vg_cap m);
void irq_ack(struct irq *q);
void irq_unbind(struct irq *q);

/* Line LINE fired (the platform's interrupt handler, interrupts off). */
void irq_raise(unsigned line, uint64_t stamp);

/* The object of LINE, or NULL (tests and invariant checks). */
struct irq *irq_of_line(unsigned line);

#endif /* VG_KERNEL_IRQ_H */
