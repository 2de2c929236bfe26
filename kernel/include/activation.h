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

#include "arch.h"
#include "messenger_object.h"
#include "thread.h"

struct messenger;
struct thread;

/* Activate M's thread (if it has one) for REASON; ERR with an error. */
void activation_post(struct messenger *m, uint32_t reason, enum vg_err err);

/* Write M's activation of T into U, its UTCB (for REASON, ERR). */
static inline __attribute__((always_inline)) void
activation_utcb_fill(struct vg_utcb *u, struct thread *t, struct messenger *m,
    uint32_t reason, enum vg_err err)
{
	u->messenger_id = m->id;
	u->reason = reason;
	u->error = (int32_t)err;
	u->pending = t->act_count;
	u->inline_nwords = 0;
	u->inline_ncaps = 0;
	u->cap_void = 0;
	u->fault_address = (reason & VG_ACTIVATION_FAULT) ?
	    m->act_fault_addr : 0;
	u->exception = (reason & VG_ACTIVATION_FAULT) ? m->act_exception : 0;
	if (reason & VG_ACTIVATION_FAULT) {
		u->fault_info = m->act_fault_info;
		u->fault_access = m->act_fault_access;
		u->fault_consumed = m->act_fault_consumed;
		u->fault_remaining = m->act_fault_remaining;
		u->fault_ip = m->act_fault_ip;
	}
	if ((reason & VG_ACTIVATION_RECEIVED) && m->received_inline) {
		u->inline_nwords = m->inline_nwords;
		u->inline_ncaps = m->inline_ncaps;
		u->cap_void = m->inline_cap_void;
		for (unsigned i = 0; i < VG_INLINE_WORDS; i++)
			u->inline_words[i] = m->inline_words[i];
	}
	u->activations = ++t->activations;
}

/*
 * The activation itself in U, without the run state: U filled in, the
 * interrupted ip/sp (WAS, arch_thread_ip_sp) saved there, T in activated
 * mode.  Its handler's ip/sp are then T's (activation_write).
 * Inline, so that the IPC fast path's constant REASON folds.
 */
static inline __attribute__((always_inline)) void
activation_write_utcb(struct thread *t, struct vg_utcb *u, struct messenger *m,
    uint32_t reason, enum vg_err err, struct arch_ip_sp was)
{
	activation_utcb_fill(u, t, m, reason, err);
	/* Caught leaving its handler: the saved state is still the one it
	 * is about to return to. */
	if (!(was.ip >= t->exit_start && was.ip < t->exit_end)) {
		u->saved_ip = was.ip;
		u->saved_sp = was.sp;
	}
	u->mode |= VG_UTCB_ACTIVATED;
}

/* The whole activation: U written, T at its handler. */
static inline __attribute__((always_inline)) void
activation_write(struct thread *t, struct vg_utcb *u, struct messenger *m,
    uint32_t reason, enum vg_err err, struct arch_ip_sp was)
{
	activation_write_utcb(t, u, m, reason, err, was);
	arch_thread_set_ip_sp(t, (struct arch_ip_sp){ t->handler_ip,
	    t->handler_sp });
}

/*
 * Activate T now for M, REASON and ERR: T is not in activated mode, has
 * nothing queued, and U is its UTCB (activation_post decides that).
 */
void activation_now(struct thread *t, struct vg_utcb *u, struct messenger *m,
    uint32_t reason, enum vg_err err);

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
 * What a fault activation tells (vg/utcb.h): the address, the faulting
 * thread's ip, the exception vector (0 for a failed data fault) and, by
 * INFO (enum vg_fault_info), the access and how far the capability
 * translation of the address got.
 */
struct fault_detail {
	uint64_t addr;
	uint64_t ip;
	uint32_t vector;
	uint8_t info;
	uint8_t access;		/* enum vg_fault_access */
	uint8_t consumed;
	uint8_t remaining;
};

/*
 * Report a fault through messenger E: a fault activation of E's thread
 * carrying D (its vector only with ERR VG_ERR_EXCEPTION) and ERR.  The address travels with the activation: E's thread may be a
 * pager rather than the thread that faulted.
 */
static inline void
activation_fault(struct messenger *e, const struct fault_detail *d,
    enum vg_err err)
{
	e->act_fault_addr = d->addr;
	e->act_exception = err == VG_ERR_EXCEPTION ? d->vector : 0;
	e->act_fault_info = d->info;
	e->act_fault_access = d->access;
	e->act_fault_consumed = d->consumed;
	e->act_fault_remaining = d->remaining;
	e->act_fault_ip = d->ip;
	activation_post(e, VG_ACTIVATION_FAULT | VG_ACTIVATION_ERROR, err);
}

#endif /* VG_KERNEL_ACTIVATION_H */
