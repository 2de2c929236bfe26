/*
 * Activations (activation.c; docs/design.md §6): how a thread learns
 * that a message arrived or was delivered, or that a thread faulted.
 *
 * An activation names a messenger and a reason.  If the messenger's thread
 * is not in activated mode, the kernel writes the activation into the
 * thread's UTCB, saves its ip/sp there, points it at its activation
 * handler and puts it in activated mode.  Otherwise the messenger is
 * queued on the thread (FIFO, through the messenger's own links; a
 * messenger already queued just adds its reason) and the thread collects
 * it later with VG_METHOD_THREAD_ACTIVATION_COLLECT.
 */
#ifndef VG_KERNEL_ACTIVATION_H
#define VG_KERNEL_ACTIVATION_H

#include <stdbool.h>
#include <stdint.h>

#include <vg/error.h>
#include <vg/utcb.h>

#include "messenger_object.h"

struct messenger;
struct thread;

/* Activate M's thread (if it has one) for REASON; ERR with an error. */
void activation_post(struct messenger *m, uint32_t reason, enum vg_err err);

/* True if T is in activated mode (running its handler), as its UTCB
 * says: a hint, which T itself can write. */
bool activation_in_handler(struct thread *t);

/* Move T's oldest queued activation into its UTCB; false if none. */
bool activation_collect(struct thread *t);

/* Take M off the activation queue it is on, if any. */
void activation_unlink(struct messenger *m);

/* Drop the first activation queued on T (T is being destroyed, one
 * step at a time); true once none is left. */
bool activation_drop_one(struct thread *t);

/*
 * Report a fault through messenger E: a fault activation of E's thread
 * carrying ADDR, the exception VECTOR (0 for a failed data fault) and
 * ERR.  The address travels with the activation: E's thread may be a
 * pager rather than the thread that faulted.
 */
static inline void
activation_fault(struct messenger *e, uint64_t addr, uint32_t vector,
    enum vg_err err)
{
	e->act_fault_addr = addr;
	e->act_exception = vector;
	activation_post(e, VG_ACTIVATION_FAULT | VG_ACTIVATION_ERROR, err);
}

#endif /* VG_KERNEL_ACTIVATION_H */
