/*
 * libvg: typed stubs for every kernel method of vg/method.h.
 *
 * Each takes the call context C and the address OBJ of the invoked
 * capability in the caller's address space, builds the request, invokes
 * it with vg_call_kernel (so it works in the activation handler too) and
 * returns the reply's enum vg_err; results come back through the
 * out-parameters, which may be NULL.  Out-parameters are written only on
 * success.
 *
 * Capability operations resolve their addresses from the invoked object
 * (a cappage, thread, messenger or folio), without the guard of the slot
 * it was found in: addresses "relative to OBJ" (see vg_as_local in
 * libvg/as.h for converting an address of the caller's space).
 */
#ifndef LIBVG_METHODS_H
#define LIBVG_METHODS_H

#include <stddef.h>
#include <stdint.h>

#include <vg/addr.h>
#include <vg/cap.h>
#include <vg/error.h>
#include <vg/method.h>
#include <vg/types.h>

#include <libvg/call.h>

/* Where a failed capability operation failed (docs/abi.md 8.4). */
struct vg_capop_fault {
	uint32_t side;		/* 0 argument, 1 source, 2 target */
	uint8_t step;		/* capabilities indexed before the failure */
	uint8_t consumed;	/* address bits consumed */
	uint8_t remaining;	/* bits left */
	uint8_t found_type;	/* the capability where it failed */
};

/* OBJECT_STATUS: the invoked capability's type, object id and version. */
enum vg_err vg_object_status(struct vg_call *c, vg_addr_t obj,
    enum vg_type *type, uint32_t *oid, uint32_t *version);
/* OBJECT_DISCARD: zero a page, void the slots of a cappage (part). */
enum vg_err vg_object_discard(struct vg_call *c, vg_addr_t obj);

/*
 * CAP_COPY: copy the capability at SOURCE to the slot at TARGET, both
 * relative to ROOT; with SOURCE_ROOT not void, SOURCE is relative to the
 * capability at SOURCE_ROOT (an address in the caller's space) instead.
 * FLAGS: enum vg_cap_copy_flags; TR: the guard and subpage they use.
 */
enum vg_err vg_cap_copy(struct vg_call *c, vg_addr_t root, vg_addr_t target,
    vg_addr_t source, unsigned flags, struct vg_cap_translator tr,
    vg_addr_t source_root, struct vg_capop_fault *fault);
/* CAP_READ: the type and translator of the capability at ADDR. */
enum vg_err vg_cap_read(struct vg_call *c, vg_addr_t root, vg_addr_t addr,
    enum vg_type *type, struct vg_cap_translator *tr,
    struct vg_capop_fault *fault);
/* CAP_RUBOUT: make the slot at ADDR void (it keeps its guard). */
enum vg_err vg_cap_rubout(struct vg_call *c, vg_addr_t root, vg_addr_t addr,
    struct vg_capop_fault *fault);

/*
 * FOLIO_OBJECT_ALLOC: create an object of TYPE in slot INDEX of the
 * folio (destroying what was there) and store its capability at SLOT, an
 * address in the caller's space (void: drop it).  FLAGS: enum
 * vg_folio_alloc_flags (VG_FOLIO_ALLOC_EXECUTE: a page that may hold
 * code), or 0.
 */
enum vg_err vg_folio_object_alloc(struct vg_call *c, vg_addr_t folio,
    unsigned index, enum vg_type type, unsigned flags, vg_addr_t slot);
/* FOLIO_FREE: destroy the folio's objects and return its storage. */
enum vg_err vg_folio_free(struct vg_call *c, vg_addr_t folio);

/* ACTIVITY_FOLIO_ALLOC: a new folio charged to the activity, at SLOT. */
enum vg_err vg_activity_folio_alloc(struct vg_call *c, vg_addr_t activity,
    vg_addr_t slot);
/* ACTIVITY_SET_LIMIT: set LIMIT to VALUE (needs VG_CAP_LIMIT). */
enum vg_err vg_activity_set_limit(struct vg_call *c, vg_addr_t activity,
    enum vg_activity_limit limit, uint64_t value);
/* ACTIVITY_SET_LIMIT of the quota: at most FRAMES frames for the subtree
 * (0: none of its own). */
enum vg_err vg_activity_set_quota(struct vg_call *c, vg_addr_t activity,
    uint64_t frames);
/* ACTIVITY_INFO: frames used by the subtree, its quota, its depth. */
enum vg_err vg_activity_info(struct vg_call *c, vg_addr_t activity,
    uint64_t *usage, uint64_t *quota, uint64_t *depth);
/* ACTIVITY_INFO's other results: the limits and page-table usage. */
struct vg_activity_limits {
	uint64_t weight, priority;
	uint64_t pt_usage, pt_quota;
};
enum vg_err vg_activity_limits(struct vg_call *c, vg_addr_t activity,
    struct vg_activity_limits *out);

/* THREAD_EXREGS's arguments (the fields CONTROL selects) and results. */
struct vg_exregs {
	uint64_t control;	/* enum vg_exregs_control */
	uint64_t ip, sp;
	uint64_t handler_ip, handler_sp;
	uint64_t exit_start, exit_end;
};

struct vg_exregs_old {
	uint64_t state;		/* enum vg_thread_state */
	uint64_t ip, sp;
	uint64_t handler_ip, handler_sp;
};

enum vg_err vg_thread_exregs(struct vg_call *c, vg_addr_t thread,
    const struct vg_exregs *in, struct vg_exregs_old *old);
/* THREAD_ID: the thread's id (its object id). */
enum vg_err vg_thread_id(struct vg_call *c, vg_addr_t thread, uint64_t *id);
/* THREAD_PRIORITY: set the priority (0..VG_THREAD_PRIORITY_MAX); *OLD
 * (if not NULL) gets the previous one. */
enum vg_err vg_thread_priority(struct vg_call *c, vg_addr_t thread,
    uint64_t priority, uint64_t *old);
/* THREAD_ACTIVATION_COLLECT: move the next queued activation into the
 * UTCB; *GOT 1 if one was moved, *LEFT how many are still queued. */
enum vg_err vg_thread_activation_collect(struct vg_call *c, vg_addr_t thread,
    uint64_t *got, uint64_t *left);

/* Messenger methods (through a strong messenger capability). */
enum vg_err vg_messenger_id_get(struct vg_call *c, vg_addr_t m, uint64_t *id);
enum vg_err vg_messenger_id_set(struct vg_call *c, vg_addr_t m, uint64_t id);
/* Set, then clear, user flags; *FLAGS: the result (all flags). */
enum vg_err vg_messenger_flags(struct vg_call *c, vg_addr_t m, uint32_t set,
    uint32_t clear, uint32_t *flags);
enum vg_err vg_messenger_unblock(struct vg_call *c, vg_addr_t m);
enum vg_err vg_messenger_block(struct vg_call *c, vg_addr_t m);
enum vg_err vg_messenger_cancel(struct vg_call *c, vg_addr_t m);

/* CONSOLE_WRITE: LEN (at most VG_CONSOLE_WRITE_MAX) bytes at BUF.  A
 * program prints with vg_debug_write (libvg/console.h), which splits
 * longer text and waits for a console served at user level too. */
enum vg_err vg_console_write(struct vg_call *c, vg_addr_t console,
    const void *buf, size_t len);
/* CONSOLE_IRQOFF: the longest interrupts-off stretch since the last
 * call and how many there were (VG_ERR_METHOD from a kernel that does
 * not measure them). */
enum vg_err vg_console_irqoff(struct vg_call *c, vg_addr_t console,
    uint64_t *longest, uint64_t *stretches);
/* CONSOLE_IDLE: the time-stamp-counter ticks the processor spent
 * halted with nothing to run since boot, and how many times it halted
 * (vg/method.h). */
enum vg_err vg_console_idle(struct vg_call *c, vg_addr_t console,
    uint64_t *ticks, uint64_t *halts);
/* POWER_OFF with STATUS: returns only if the machine did not stop. */
enum vg_err vg_power_off(struct vg_call *c, vg_addr_t power,
    uint64_t status);

/*
 * IRQ_CONTROL_CREATE: the interrupt object of LINE in slot INDEX of
 * FOLIO (an address in the caller's space), its capability stored at
 * SLOT.
 */
enum vg_err vg_irq_control_create(struct vg_call *c, vg_addr_t control,
    unsigned line, vg_addr_t folio, unsigned index, vg_addr_t slot);
/* IRQ_BIND: deliver the line's interrupts to MESSENGER (my address). */
enum vg_err vg_irq_bind(struct vg_call *c, vg_addr_t irq,
    vg_addr_t messenger);
/* IRQ_ACK: let the line through again.  IRQ_UNBIND: mask it, forget
 * the messenger. */
enum vg_err vg_irq_ack(struct vg_call *c, vg_addr_t irq);
enum vg_err vg_irq_unbind(struct vg_call *c, vg_addr_t irq);

/* IOPORT_CONTROL_CREATE: a range of COUNT ports from FIRST in slot INDEX
 * of FOLIO, its capability stored at SLOT. */
enum vg_err vg_ioport_control_create(struct vg_call *c, vg_addr_t control,
    uint32_t first, uint32_t count, vg_addr_t folio, unsigned index,
    vg_addr_t slot);
/* IOPORT_IN, IOPORT_OUT: WIDTH (1, 2, 4) bytes at PORT. */
enum vg_err vg_ioport_in(struct vg_call *c, vg_addr_t range, uint32_t port,
    unsigned width, uint32_t *value);
enum vg_err vg_ioport_out(struct vg_call *c, vg_addr_t range, uint32_t port,
    unsigned width, uint32_t value);
/* IOPORT_OUTS: the N bytes at BUF (1 .. VG_IOPORT_STRING_MAX) to PORT. */
enum vg_err vg_ioport_outs(struct vg_call *c, vg_addr_t range, uint32_t port,
    const void *buf, size_t n);

/*
 * DEVMEM_CONTROL_CREATE: a device-memory object for the 2^LOG2 pages from
 * physical BASE in slot INDEX of FOLIO, its capability stored at SLOT.
 */
enum vg_err vg_devmem_control_create(struct vg_call *c, vg_addr_t control,
    uint64_t base, unsigned log2, vg_addr_t folio, unsigned index,
    vg_addr_t slot);
/* DEVMEM_INFO: the object's physical base and log2 of its pages (either
 * pointer may be NULL). */
enum vg_err vg_devmem_info(struct vg_call *c, vg_addr_t devmem,
    uint64_t *base, unsigned *log2);
/* DMA_CONTROL_GRANT: the page capability at PAGE with the DMA right,
 * stored at SLOT (which may be PAGE itself). */
enum vg_err vg_dma_control_grant(struct vg_call *c, vg_addr_t control,
    vg_addr_t page, vg_addr_t slot);
/* PAGE_DMA_ADDRESS: the physical address of the page at PAGE (its
 * capability needs the DMA right), and whether it is a page a device
 * may write (not an rpage).  Either pointer may be NULL. */
/* DMA_CONTROL_GRANT into DST, and what PAGE_DMA_ADDRESS would say of it
 * (either pointer may be NULL). */
enum vg_err vg_dma_control_grant_address(struct vg_call *c, vg_addr_t control,
    vg_addr_t page, vg_addr_t dst, uint64_t *phys, bool *writable);
enum vg_err vg_page_dma_address(struct vg_call *c, vg_addr_t page,
    uint64_t *phys, bool *writable);

#endif /* LIBVG_METHODS_H */
