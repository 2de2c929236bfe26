/*
 * vg public ABI: the user thread control block and activations.
 *
 * Each thread names a page in its UTCB slot; the kernel writes an
 * activation there (docs/design.md §6): which messenger caused it, why,
 * and, for a message received inline, the message itself.  While
 * VG_UTCB_ACTIVATED is set in MODE the thread is in activated mode and
 * further activations queue on the thread (PENDING counts them); the
 * thread collects them with VG_METHOD_THREAD_ACTIVATION_COLLECT and leaves
 * activated mode by clearing the bit.
 *
 * Leaving without a race: the handler clears the bit and then jumps back
 * to SAVED_IP/SAVED_SP.  An activation that arrives in between would
 * overwrite them, so the thread declares the instructions of that exit
 * sequence as its exit range (VG_EXREGS_SET_EXIT_RANGE): an activation
 * that finds the thread inside the range restarts the handler but keeps
 * SAVED_IP/SAVED_SP, as if the handler had never left.
 */
#ifndef VG_UTCB_H
#define VG_UTCB_H

#include <stdint.h>

#include <vg/addr.h>
#include <vg/message.h>

/* Why a thread was activated (bits of vg_utcb.reason). */
enum vg_activation_reason {
	VG_ACTIVATION_RECEIVED = 1u << 0,  /* the messenger got a message */
	VG_ACTIVATION_DELIVERED = 1u << 1, /* the messenger's message arrived */
	VG_ACTIVATION_ERROR = 1u << 2,	   /* its send failed: see error */
	VG_ACTIVATION_FAULT = 1u << 3,	   /* its thread faulted and the
					    * kernel could not resolve it */
};

#define VG_UTCB_ACTIVATED	1u	/* vg_utcb.mode: in activated mode */

struct vg_utcb {
	uint64_t mode;		/* VG_UTCB_ACTIVATED; user clears it */
	uint64_t saved_ip;	/* where the thread was when activated */
	uint64_t saved_sp;
	uint64_t messenger_id;	/* the messenger that caused the activation */
	uint32_t reason;	/* enum vg_activation_reason bits */
	int32_t error;		/* enum vg_err, with VG_ACTIVATION_ERROR */
	uint32_t pending;	/* activations queued on the thread */
	uint16_t inline_nwords;	/* inline message received: data words */
	uint8_t inline_ncaps;	/* ... and capabilities (0 or 1) */
	uint8_t reserved;
	uint32_t cap_void;	/* ... bit 0: the capability arrived void */
	uint32_t reserved2;
	uint64_t inline_words[VG_INLINE_WORDS];
	uint64_t activations;	/* activations delivered, ever */
	uint64_t fault_address;	/* VG_ACTIVATION_FAULT: the address (the
				 * instruction's, for an exception) */
	uint32_t exception;	/* ... and the processor exception vector,
				 * if error is VG_ERR_EXCEPTION */
	/* VG_ACTIVATION_FAULT: what the faulting thread did.  The rest of
	 * the fields below are valid only with that reason. */
	uint8_t fault_info;	/* enum vg_fault_info bits */
	uint8_t fault_access;	/* VG_FAULT_INFO_ACCESS: enum vg_fault_access */
	uint8_t fault_consumed;	/* VG_FAULT_INFO_TRANSLATION: bits of the
				 * address translated before the failure */
	uint8_t fault_remaining; /* ... and bits left to translate then */
	uint64_t fault_ip;	/* the faulting thread's ip (it may not be
				 * the thread activated: a pager's) */
};

/* What vg_utcb fault_info says is known of a fault. */
enum vg_fault_info {
	/* A data fault (or instruction fetch): fault_access holds the
	 * access and fault_address the address touched. */
	VG_FAULT_INFO_ACCESS = 1u << 0,
	/* The capability translation of the address failed part way:
	 * fault_consumed and fault_remaining say where.  Without it, a
	 * data fault translated the whole address and what it found does
	 * not allow the access (error says why). */
	VG_FAULT_INFO_TRANSLATION = 1u << 1,
};

#endif /* VG_UTCB_H */
