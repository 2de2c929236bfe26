/*
 * The resumable kernel: work suspended on a virtualizer (continuation.c;
 * docs/design.md §5).
 *
 * Three kinds of work can meet a virtualized level -- an rmessenger where
 * translation would index: resolving the target of a send (messenger.c),
 * delivering a message's capabilities (transfer.c), and resolving a
 * thread's data fault (fault.c).  Each then hands its walk to this
 * machine, which saves it in the messenger the work belongs to (its
 * continuation area, below), builds an INDEX, STORE or FAULT request in
 * that same messenger, sends it to the virtualizer naming the messenger
 * itself as the reply messenger, and returns: nothing waits, nothing is
 * allocated.  The next message that arrives for the messenger is the
 * answer; the machine resumes the walk and hands the result back to the
 * kind of work it came from.  It may suspend again, once per virtualized
 * level.
 *
 * This is where the one inherent dependency circle of the core closes:
 * a request is itself a send (continuation -> messenger), and a resumed
 * send may invoke a kernel object, whose reply is a send again
 * (messenger -> invoke -> messenger).  docs/architecture.md, "Modules".
 *
 * Invariants (checked by tests/support/invariants.c):
 *  - a messenger awaiting an answer is on exactly one virtualizer's asker
 *    list (ASKED), and carries its request or has delivered it;
 *  - a receiver reserved for a delivery (reserved_by) is blocked and is
 *    the delivery.dst of exactly that sender, whose phase is
 *    CONT_DELIVERY;
 *  - a thread in VG_THREAD_FAULTED is the THREAD of its fault_messenger,
 *    whose phase is CONT_FAULT.
 */
#ifndef VG_KERNEL_CONTINUATION_H
#define VG_KERNEL_CONTINUATION_H

#include <stdbool.h>
#include <stdint.h>

#include <vg/addr.h>
#include <vg/error.h>

#include "as.h"
#include "messenger_object.h"

struct messenger;
struct thread;

/* The residual of a suspended walk W: the bits not yet translated, the
 * request's word 1. */
static inline vg_addr_t
cont_walk_residual(const struct as_walk *w)
{
	unsigned rest = vg_addr_depth(w->addr) - w->consumed;

	return vg_addr(vg_addr_prefix(w->addr) & vg_bits_mask(rest), rest);
}

/* Clear C, all but the values its delivery writes before it reads. */
void cont_clear(struct continuation *c);

/*
 * Suspend M's work on the virtualized level the walk AT met: save the
 * walk and send METHOD (INDEX, STORE or FAULT) to the messenger behind
 * it, carried by M, answered to M.  M's phase is set already.
 */
void cont_suspend(struct messenger *m, const struct as_result *at,
    uint64_t method);

/* The same for the target of M's send (a NONBLOCKING one or not). */
void cont_suspend_target(struct messenger *m, const struct as_result *at,
    bool nonblocking);

/*
 * The same for T's data fault at ADDR (an ACCESS, the FAULT request's
 * word 2), carried by T's exception messenger E (not busy): T waits in
 * VG_THREAD_FAULTED.
 */
void cont_suspend_fault(struct messenger *e, struct thread *t, uint64_t addr,
    enum vg_fault_access access, const struct as_result *at);

/*
 * FROM's message arrived for M while M awaits an answer: take it as the
 * answer and resume M's work.  False if M awaits nothing.
 */
bool cont_answer(struct messenger *from, struct messenger *m);

/*
 * Abandon M's suspended work (cancel, or something it depends on is being
 * destroyed): unlink it from everything, release the receiver it
 * reserved, clear the continuation, and, if TELL, give its thread an
 * error activation with ERR.  False if M had no work in progress.
 */
bool cont_abort(struct messenger *m, enum vg_err err, bool tell);

/*
 * Object destruction: the messenger or thread going away may be what
 * other messengers' suspended work depends on.  A messenger is let go in
 * steps, one asker aborted each (true once none is left).
 */
bool cont_messenger_destroy_step(struct messenger *m);
void cont_thread_destroyed(struct thread *t);

/* *D for a data fault of ACCESS at ADDR that failed as R says (r->err
 * VG_OK: the whole address translated), by thread T. */
struct fault_detail;
void fault_detail_of(struct fault_detail *d, const struct thread *t,
    uint64_t addr, enum vg_fault_access access, const struct as_result *r);

#endif /* VG_KERNEL_CONTINUATION_H */
