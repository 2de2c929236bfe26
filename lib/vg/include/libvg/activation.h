/*
 * libvg: the activation dispatcher (docs/design.md §6, vg/utcb.h).
 *
 * A thread learns that a message arrived or was delivered by being
 * activated: the kernel saves the interrupted ip and sp in the UTCB, sets
 * VG_UTCB_ACTIVATED and restarts the thread at its handler.  libvg's
 * handler (arch/x86_64/activation.S) saves every register, calls
 * vg_activation_dispatch, which hands each activation to the handler
 * registered for its messenger id and collects the activations that
 * queued meanwhile, then restores the registers and leaves activated mode
 * through the exit range (vg/utcb.h):
 *
 *	frame := the interrupted registers (on entry)
 *	utcb->saved_ip := VG_ACT_RESTART_MARK      (still activated)
 *   exit_start:
 *	utcb->mode &= ~VG_UTCB_ACTIVATED
 *	if (utcb->pending != 0) { utcb->mode |= ACTIVATED; dispatch again }
 *	load the registers from the frame and jump back (in one instruction)
 *   exit_end:
 *
 * An activation that arrives inside the range restarts the handler with
 * registers that are no longer the interrupted ones, and the kernel keeps
 * saved_ip.  The handler tells this case apart by the mark it left in
 * saved_ip (a fresh activation always overwrites it with a real address)
 * and then takes the interrupted state from the frame, which nothing in
 * the range writes.  The jump back restores the ip, the stack pointer
 * and the flags at once, so that no register and no stack word of the
 * interrupted code is needed for it (libvg/arch/frame.h).
 *
 * Leaving with activations still queued would leave them queued until
 * some later post (docs/abi.md 11.11); the pending check inside the range
 * closes that window.
 */
#ifndef LIBVG_ACTIVATION_H
#define LIBVG_ACTIVATION_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <vg/addr.h>
#include <vg/error.h>
#include <vg/utcb.h>

#include <libvg/arch/frame.h>

struct vg_call;

/* One activation, as the dispatcher read it from the UTCB. */
struct vg_activation {
	uint64_t messenger_id;
	uint32_t reason;		/* enum vg_activation_reason */
	int32_t error;			/* enum vg_err, with ERROR */
	uint32_t pending;		/* activations still queued */
	uint16_t inline_nwords;		/* an inline message: its words */
	uint8_t inline_ncaps;		/* ... and capabilities (0..1) */
	uint8_t reserved;
	uint32_t cap_void;
	uint32_t reserved2;
	uint64_t inline_words[VG_INLINE_WORDS];
	uint64_t fault_address;
	uint32_t exception;
	uint8_t fault_info;		/* with FAULT: vg/utcb.h */
	uint8_t fault_access;
	uint8_t fault_consumed;
	uint8_t fault_remaining;
	uint64_t fault_ip;
	uint64_t interrupted_ip;	/* where the thread was */
};

/*
 * A handler for the activations of one or more messengers.  Its address
 * is the messenger id (VG_METHOD_MESSENGER_ID_SET): vg_act_id(h).
 * FN runs in activated mode, on the handler stack; it may make kernel
 * calls with vg_kcall() (which then is the handler's own call context)
 * and print.
 */
struct vg_act_handler {
	void (*fn)(struct vg_act_handler *h, const struct vg_activation *a);
	const char *name;		/* for the trace */
};

static inline uint64_t
vg_act_id(const struct vg_act_handler *h)
{
	return (uint64_t)(uintptr_t)h;
}

/* Register H so that activations with its id reach it; -1 if full. */
int vg_act_register(struct vg_act_handler *h);
void vg_act_unregister(struct vg_act_handler *h);

/*
 * The per-thread state at the handler's stack pointer (handler_sp points
 * at it; the handler stack grows down below it).  activation.S knows the
 * offsets of FRAME and UTCB.
 */
struct vg_act_state {
	struct vg_act_frame frame;	/* offset 0: the interrupted state */
	struct vg_utcb *utcb;		/* offset VG_ACT_FRAME_SIZE */
	uint64_t seen;			/* utcb->activations last handled */
	struct vg_call *call;		/* kernel calls made by the handler */
	vg_addr_t thread;		/* the thread, for COLLECT */
	uint64_t dispatches;		/* handler runs, ever */
	uint64_t restarts;		/* ... of which restarts in the range */
	uint64_t handled;		/* activations handled, ever */
};

#define VG_ACT_STATE_FRAME	0
#define VG_ACT_STATE_UTCB	VG_ACT_FRAME_SIZE
#define VG_ACT_STACK_SIZE	16384

_Static_assert(offsetof(struct vg_act_state, utcb) == VG_ACT_STATE_UTCB,
    "activation.S knows this offset");

/* The handler stack and state of the (one) thread of a program. */
struct vg_act_stack {
	_Alignas(16) uint8_t stack[VG_ACT_STACK_SIZE];
	struct vg_act_state state;
};

extern struct vg_act_stack vg_act_stack;

/* The handler: entry, and the exit range (arch/x86_64/activation.S). */
extern char vg_activation_entry[];
extern char vg_activation_exit_start[];
extern char vg_activation_exit_end[];

/*
 * Set up the dispatcher for the calling thread: record its UTCB, the
 * thread's address (for COLLECT) and the handler's call context HCALL,
 * then THREAD_EXREGS(SET_HANDLER | SET_EXIT_RANGE) through KCALL.
 */
enum vg_err vg_activation_init(struct vg_call *kcall, vg_addr_t thread,
    struct vg_utcb *utcb, struct vg_call *hcall);

/* Called by activation.S with the state, in activated mode (RESTART:
 * entered again after a restart inside the exit range). */
void vg_activation_dispatch(struct vg_act_state *st, int restart);

/* True while the calling code runs in the activation handler. */
bool vg_in_activation(void);

/*
 * Handle the activations queued on the thread (COLLECT until none is
 * left).  For code already in activated mode that waits for something
 * (a nested vg_call): activations queue then and nothing delivers them.
 */
void vg_activation_poll(void);

/*
 * Suspend the thread until *FLAG is non-zero.  Race-free: if an
 * activation sets the flag after the test but before the system call,
 * the dispatcher restarts the sequence at the test (the flag is checked
 * again) instead of letting the thread suspend with it set.
 */
void vg_wait_nonzero(volatile uint64_t *flag);

/* The restartable sequence of vg_wait_nonzero (arch/x86_64/activation.S). */
extern char vg_wait_begin[];
extern char vg_wait_syscall[];

/* Print one line per activation (for demos and debugging). */
extern int vg_act_trace;

/* "RECEIVED|DELIVERED" etc. into BUF. */
const char *vg_act_reason_str(uint32_t reason, char *buf, size_t size);

#endif /* LIBVG_ACTIVATION_H */
