/*
 * vg public ABI: methods of kernel objects.
 *
 * Every kernel object interface is a message interface (docs/design.md
 * §1, invariant 4): a request is a message whose data word 0 is the method
 * number and whose capability 0 names the reply messenger.  The kernel
 * executes the method at once and sends a reply, without blocking, to that
 * messenger; a request without capability 0 gets no reply.  A user-level
 * server that virtualizes an object receives exactly the same request and
 * answers with exactly the same reply, so a caller cannot tell the two
 * apart.
 *
 * A reply's word 0 is an enum vg_err; the words and capabilities after it
 * are the method's results.  Arguments and results are listed for each
 * method below as "in:" (request words 1.., request caps 1..) and "out:"
 * (reply words 1.., reply caps 0..).  docs/abi.md is the full reference.
 */
#ifndef VG_METHOD_H
#define VG_METHOD_H

#include <stdint.h>

#include <vg/cap.h>
#include <vg/message.h>

enum vg_method {
	/* Any kernel object, through a weak or strong capability (an
	 * rmessenger is never invoked by the kernel: it is sent to). */
	VG_METHOD_OBJECT_STATUS = 0x001,  /* out: type, oid, version */
	/* Page: zero it.  Cappage: make every slot the capability selects
	 * void (guards too).  Strong only. */
	VG_METHOD_OBJECT_DISCARD = 0x002,

	/*
	 * Capability operations.  Invoked on a cappage, thread, messenger or
	 * folio capability: its object is the root the addresses are
	 * resolved from (the capability's own guard belongs to the slot it
	 * was found in and is not applied).  A weak root allows reads only.
	 * Every reply that fails carries two more words: which address
	 * failed (enum capop_side: 1 source, 2 target) and the lookup fault
	 * packed as step | consumed << 8 | remaining << 16 | type << 24.
	 */
	VG_METHOD_CAP_COPY = 0x100,	/* in: target, source, flags,
					 *     translator; cap 1: source root
					 *     (else the invoked object)
					 * out: side, fault */
	VG_METHOD_CAP_READ = 0x101,	/* in: address
					 * out: type, translator (packed as
					 *      vg_translator_pack; a page's
					 *      rights where a cappage's
					 *      subpage_log2 is) */
	VG_METHOD_CAP_RUBOUT = 0x102,	/* in: address  out: side, fault */

	/* Folio. */
	VG_METHOD_FOLIO_OBJECT_ALLOC = 0x200, /* in: index, type (with
					       * enum vg_folio_alloc_flags)
					       * out cap: it */
	VG_METHOD_FOLIO_FREE = 0x201,

	/* Activity. */
	VG_METHOD_ACTIVITY_FOLIO_ALLOC = 0x300,	/* out cap: the folio */
	/* Set one of the activity's limits (enum vg_activity_limit); needs
	 * the capability's VG_CAP_LIMIT right.  in: limit, value  out: the
	 * old value */
	VG_METHOD_ACTIVITY_SET_LIMIT = 0x301,
	/* out: usage, quota, depth, weight, priority, page-table usage,
	 * page-table quota (frames for the usages and quotas) */
	VG_METHOD_ACTIVITY_INFO = 0x302,

	/* Thread. */
	VG_METHOD_THREAD_EXREGS = 0x400,  /* in: control, ip, sp, handler ip,
					   *     handler sp, exit start, exit end
					   * out: state, ip, sp, handler ip,
					   *      handler sp (the old values) */
	VG_METHOD_THREAD_ID = 0x401,	  /* out: the thread's id */
	/* Move the next queued activation into the UTCB.  out: 1 if one
	 * was moved (else 0), activations still queued. */
	VG_METHOD_THREAD_ACTIVATION_COLLECT = 0x402,
	/* Set the scheduling priority (0 lowest .. VG_THREAD_PRIORITY_MAX;
	 * round robin within a priority); VG_ERR_LIMIT above the
	 * VG_ACTIVITY_LIMIT_PRIORITY of the activity that pays for the
	 * thread.  in: priority  out: the old one */
	VG_METHOD_THREAD_PRIORITY = 0x403,

	/* Messenger (through a strong messenger capability). */
	VG_METHOD_MESSENGER_ID_GET = 0x500,	/* out: id */
	VG_METHOD_MESSENGER_ID_SET = 0x501,	/* in: id */
	VG_METHOD_MESSENGER_FLAGS = 0x502,	/* in: set, clear  out: flags */
	/* Unblock: deliver the first queued sender, if any (VG_ERR_BUSY
	 * while a delivery into it is being resolved). */
	VG_METHOD_MESSENGER_UNBLOCK = 0x503,
	VG_METHOD_MESSENGER_BLOCK = 0x504,	/* stop receiving */
	/* Withdraw the messenger's pending send: it leaves the queue it is
	 * on and its thread gets a VG_ERR_CANCELED error activation. */
	VG_METHOD_MESSENGER_CANCEL = 0x505,

	/*
	 * The virtualization protocol (docs/design.md §5): requests the
	 * kernel itself sends to an rmessenger that it met where it had to
	 * index a capability during translation.  Each is carried by the
	 * messenger on whose behalf the kernel was translating, which is
	 * also the reply messenger (capability 0).  The kernel resumes its
	 * work when the reply arrives.
	 *
	 * in:  residual (a vg_addr_t: the address bits not yet translated,
	 *      as prefix and depth); for FAULT the access (enum
	 *      vg_fault_access); for
	 *      INDEX what the capability is for (enum vg_index_purpose)
	 *      and, for a capability the message carries, its index.
	 *      STORE: capability 1 is the capability to store.
	 * out: bits consumed (1..depth of the residual); capability 0: the
	 *      capability found after consuming them.  When all bits are
	 *      consumed, INDEX and FAULT return what is at the address (for
	 *      FAULT: the page) and STORE has stored capability 1 there.
	 *      Otherwise the kernel continues translating from capability 0.
	 *      A reply with an error, or with 0 or too many bits, fails the
	 *      step (VG_ERR_VIRTUALIZER for malformed answers).
	 *
	 * While a messenger awaits an answer, the next message a program
	 * sends it is taken as the answer; whoever it gave a send right to
	 * (the virtualizer among them) can answer.  A kernel reply or
	 * request arriving meanwhile is an ordinary message.  STORE is never
	 * sent below a weak capability: such a slot is read-only.
	 */
	VG_METHOD_INDEX = 0x600,
	VG_METHOD_STORE = 0x601,
	VG_METHOD_FAULT = 0x602,

	/*
	 * The console (one object, the kernel's; strong only: it weakens to
	 * void).  in: the length n, then the n bytes themselves, from byte
	 * VG_CONSOLE_WRITE_DATA of the request's data on (w2, w3, ...): 16
	 * bytes in an inline request, up to VG_CONSOLE_WRITE_MAX in a buffer
	 * page.  VG_ERR_INVALID if the data holds fewer than n bytes there.
	 */
	VG_METHOD_CONSOLE_WRITE = 0x700,
	/*
	 * The longest stretch the kernel kept interrupts off since the
	 * previous call, in time-stamp-counter ticks (guest instructions
	 * under QEMU -icount shift=0), and how many stretches there were;
	 * both start again from zero.  out: w1 the longest, w2 the count.
	 * VG_ERR_METHOD unless the kernel was built to measure them (make
	 * bench builds one: bench/README.md, irqoff_destroy).
	 */
	VG_METHOD_CONSOLE_IRQOFF = 0x701,
	/*
	 * Consoles served at user level (a driver's: docs/drivers.md); the
	 * kernel's console answers neither, VG_ERR_METHOD.  READ: in w1 the
	 * most bytes wanted, 1 .. VG_CONSOLE_WRITE_MAX.  out: w1 the count n
	 * (1 .. w1), then the n bytes from byte VG_CONSOLE_WRITE_DATA of the
	 * reply's data on, as CONSOLE_WRITE's request carries them.  The
	 * reply comes once at least one byte has arrived: a reader waits
	 * for its activation, not in the server.  VG_ERR_BUSY if another
	 * read is waiting already.  SYNC: the reply comes once every byte
	 * written before it has left the device.
	 */
	VG_METHOD_CONSOLE_READ = 0x702,
	VG_METHOD_CONSOLE_SYNC = 0x703,
	/*
	 * The time the processor spent halted in the kernel's idle loop,
	 * with nothing to run, since boot.  out: w1 its time-stamp-counter
	 * ticks (under QEMU -icount with sleep=off, the virtual time QEMU
	 * skipped while the processor waited: what to subtract from a
	 * count of guest instructions), w2 how many times it halted.  A
	 * halt ends as the interrupt that ends it is dispatched: that
	 * interrupt's handler is not in w1.  Unlike
	 * IRQOFF, every kernel answers (the hosted platform, which never
	 * halts, with 0 and 0).
	 */
	VG_METHOD_CONSOLE_IDLE = 0x704,

	/*
	 * The machine's power (one object, the kernel's; strong only).
	 * in: the status, 0 (success) .. VG_POWER_STATUS_MAX, else
	 * VG_ERR_INVALID.  The machine stops: no reply comes.
	 */
	VG_METHOD_POWER_OFF = 0x800,

	/*
	 * The interrupt control (one object, the kernel's; strong only).
	 * Make the interrupt object of line w1 in slot w2 of the folio that
	 * capability 1 designates (its storage, charged as any object's),
	 * destroying what was there.  in: line, index; cap 1: the folio.
	 * out cap: the interrupt object.  VG_ERR_INVALID for a line the
	 * machine does not have or the kernel keeps for itself, or an index
	 * beyond the folio; VG_ERR_IN_USE if the line has an interrupt
	 * object already; VG_ERR_TYPE if capability 1 is no folio; and the
	 * errors of FOLIO_OBJECT_ALLOC for the slot.
	 */
	VG_METHOD_IRQ_CONTROL_CREATE = 0x900,

	/*
	 * An interrupt object (strong only).  BIND: deliver the line's
	 * interrupts to the messenger (or rmessenger) capability 1
	 * designates, VG_ERR_IN_USE if one is bound already, VG_ERR_TYPE
	 * if capability 1 is no messenger.  ACK: let the line through again
	 * (the kernel masks it each time it fires; a new object's line is
	 * masked until its first ACK).  UNBIND: mask the line and forget the
	 * messenger; a message not yet delivered is withdrawn and its count
	 * kept for the next BIND.  None takes words; every one replies with
	 * the error only.
	 */
	VG_METHOD_IRQ_BIND = 0xa00,
	VG_METHOD_IRQ_ACK = 0xa01,
	VG_METHOD_IRQ_UNBIND = 0xa02,
	/*
	 * Not a method but the message the kernel sends the bound messenger
	 * when the line fired: w0 VG_METHOD_IRQ_FIRED, w1 the line, w2 how
	 * many times it fired since the last message was delivered (at least
	 * 1), w3 the time stamp counter when the kernel took the first of
	 * those interrupts (read as its interrupt path begins, before the
	 * line is masked: what a driver's latency is measured from).  It
	 * has no capabilities and wants no reply.  Invoked on an
	 * interrupt object it is VG_ERR_METHOD.
	 */
	VG_METHOD_IRQ_FIRED = 0xa80,

	/*
	 * The I/O port control (one object, the kernel's; strong only).
	 * Make an I/O port range object for ports w1 .. w1 + w2 - 1 in slot
	 * w3 of the folio capability 1 designates.  in: first port, count,
	 * index; cap 1: the folio.  out cap: the range.  VG_ERR_INVALID for
	 * an empty range, one past port 0xffff, one holding a port the
	 * kernel keeps for itself (its console, timer, interrupt
	 * controllers), or an index beyond the folio; VG_ERR_TYPE if
	 * capability 1 is no folio; and FOLIO_OBJECT_ALLOC's errors.
	 */
	VG_METHOD_IOPORT_CONTROL_CREATE = 0xb00,

	/*
	 * An I/O port range (strong only): read or write port w1, w2 bytes
	 * wide (1, 2 or 4).  IN: out w1 the value.  OUT: in w3 the value,
	 * which must fit the width.  VG_ERR_INVALID for another width, a
	 * value too wide, or an access whose ports (port .. port + width -
	 * 1) are not all in the range.
	 */
	VG_METHOD_IOPORT_IN = 0xc00,
	VG_METHOD_IOPORT_OUT = 0xc01,
	/*
	 * The same range: write n bytes to port w1 in turn, as OUTSB does
	 * (a UART's transmit FIFO filled in one call).  in: w1 the port, w2
	 * n, 1 .. VG_IOPORT_STRING_MAX, then the n bytes from byte
	 * VG_IOPORT_STRING_DATA of the request's data on (w3, ...).
	 * VG_ERR_INVALID for a port not in the range, an n of 0 or above
	 * the most, or data holding fewer than n bytes there.  The most is
	 * small so that one call's accesses, slow on a legacy bus, keep
	 * interrupts off briefly.
	 */
	VG_METHOD_IOPORT_OUTS = 0xc02,

	/*
	 * The device-memory control (one object, the kernel's; strong
	 * only).  Make a device-memory object for the 2^w2 physical pages
	 * from address w1 in slot w3 of the folio capability 1 designates.
	 * in: base, log2 of the pages, index; cap 1: the folio.  out cap:
	 * the object.  VG_ERR_INVALID for a base that is not page-aligned,
	 * a log2 above VG_DEVMEM_LOG2_MAX, a range past the machine's
	 * physical addresses or touching memory the platform says is not a
	 * device's (any region of the boot memory map, the storage window,
	 * the kernel's image and its own device registers), or an index
	 * beyond the folio; VG_ERR_TYPE if capability 1 is no folio; and
	 * FOLIO_OBJECT_ALLOC's errors.
	 */
	VG_METHOD_DEVMEM_CONTROL_CREATE = 0xd00,

	/*
	 * A device-memory object (strong only): its range.  out: w1 the
	 * physical base, w2 log2 of its pages.
	 */
	VG_METHOD_DEVMEM_INFO = 0xd80,

	/*
	 * The DMA control (one object, the kernel's; strong only).  The
	 * page or rpage capability that capability 1 designates, with the
	 * DMA right (VG_CAP_DMA) added.  out: w1 the page's physical
	 * address and w2 1 for a page, 0 for an rpage, as PAGE_DMA_ADDRESS
	 * gives them; out cap: that capability.
	 * VG_ERR_TYPE if capability 1 is no page or rpage, VG_ERR_VOID if
	 * void.
	 */
	VG_METHOD_DMA_CONTROL_GRANT = 0xe00,

	/*
	 * A page or rpage capability with the DMA right: the page's
	 * physical address, where a device reads and writes it.  out: w1
	 * the address, w2 1 if the capability is a page (the device may
	 * write it), 0 if an rpage (a driver must not let a device write
	 * it).  VG_ERR_RIGHTS without the right.
	 */
	VG_METHOD_PAGE_DMA_ADDRESS = 0xe80,
};

/* The largest device-memory object: 2^20 pages (4 GiB). */
#define VG_DEVMEM_LOG2_MAX	20

/* FAULT word 2: the access that faulted. */
enum vg_fault_access {
	VG_FAULT_READ = 0,
	VG_FAULT_WRITE = 1,
	VG_FAULT_EXECUTE = 2,		/* an instruction fetch */
};

/*
 * FOLIO_OBJECT_ALLOC word 2: the type in bits 0..7, and these flags.
 * VG_FOLIO_ALLOC_EXECUTE (pages only) gives the new page's capability
 * the execute right (vg/cap.h): a folio's holder may run code in its
 * own storage, but asks for it, so that data pages never have it.
 */
enum vg_folio_alloc_flags {
	VG_FOLIO_ALLOC_EXECUTE = 1u << 8,
	VG_FOLIO_ALLOC_TYPE_MASK = 0xffu,
	VG_FOLIO_ALLOC_FLAGS_ALL = 1u << 8,
};

/* Where CONSOLE_WRITE's bytes start in the request's data (after w0 and
 * w1), and the most one request carries: a buffer page whose only
 * capability is capability 0. */
/* IOPORT_OUTS: where its bytes start, and the most in one call. */
#define VG_IOPORT_STRING_DATA	24u
#define VG_IOPORT_STRING_MAX	64u

#define VG_CONSOLE_WRITE_DATA	16u
#define VG_CONSOLE_WRITE_MAX	(VG_MESSAGE_SIZE - 8u - 8u - \
				 VG_CONSOLE_WRITE_DATA)	/* 4064 */

/* POWER_OFF's highest status.  A status is 7 bits so that no platform
 * need fold two of them into one (QEMU's isa-debug-exit makes its exit
 * code (status << 1) | 1 of 8 bits: 128 would read as 0). */
#define VG_POWER_STATUS_MAX	127u

/*
 * INDEX word 2: why the kernel is translating.  A virtual cappage can
 * ignore it; a tracer (user/rpctrace) proxies the targets of sends and
 * passes capabilities that messages carry through unchanged.
 */
enum vg_index_purpose {
	VG_INDEX_FOR_TARGET = 0,	/* the target of a send (word 3: 0) */
	VG_INDEX_FOR_CAPABILITY = 1,	/* capability word 3 of a message */
};

/* A messenger's user-visible flags (VG_METHOD_MESSENGER_FLAGS). */
enum vg_messenger_flags {
	VG_MESSENGER_BLOCKED = 1u << 0,		  /* read-only: not receiving */
	VG_MESSENGER_ACTIVATE_ON_SEND = 1u << 1,  /* activate on delivery */
	VG_MESSENGER_ACTIVATE_ON_RECEIVE = 1u << 2, /* activate on receipt */
	VG_MESSENGER_RECEIVE_INLINE = 1u << 3,	  /* receive into inline area */
	VG_MESSENGER_QUEUED = 1u << 4,		  /* read-only: send pending */
	VG_MESSENGER_USER_FLAGS = (1u << 1) | (1u << 2) | (1u << 3),
};

/* VG_METHOD_THREAD_EXREGS control bits. */
enum vg_exregs_control {
	VG_EXREGS_SET_IP = 1u << 0,
	VG_EXREGS_SET_SP = 1u << 1,
	VG_EXREGS_SET_HANDLER = 1u << 2,  /* activation handler ip and sp */
	VG_EXREGS_STOP = 1u << 3,	  /* stop the thread */
	VG_EXREGS_START = 1u << 4,	  /* make it runnable */
	VG_EXREGS_SET_EXIT_RANGE = 1u << 5, /* handler exit range: words 6, 7 */
	VG_EXREGS_CONTROL_ALL = 0x3fu,
};

#define VG_THREAD_PRIORITY_MAX	3

/*
 * An activity's limits (ACTIVITY_SET_LIMIT), set from above: by whoever
 * holds a capability to it with VG_CAP_LIMIT -- the program that made it,
 * never (unless that program chose so) the program running on it.
 */
enum vg_activity_limit {
	/* Storage frames the activity and its descendants may hold; 0:
	 * none of its own (its ancestors' quotas still bound it). */
	VG_ACTIVITY_LIMIT_QUOTA = 0,
	/* Its share of its parent's CPU time, against its siblings' weights
	 * and its parent's own threads' (1 .. VG_ACTIVITY_WEIGHT_MAX). */
	VG_ACTIVITY_LIMIT_WEIGHT = 1,
	/* The highest priority its threads and its children's limits may
	 * have: at most its parent's (VG_ERR_LIMIT above it). */
	VG_ACTIVITY_LIMIT_PRIORITY = 2,
	/* Page-table frames its threads and its descendants' may hold at
	 * once; 0: none of its own. */
	VG_ACTIVITY_LIMIT_PAGE_TABLES = 3,
	VG_ACTIVITY_LIMIT_COUNT
};

#define VG_ACTIVITY_WEIGHT_DEFAULT	1	/* a new activity's weight */
#define VG_ACTIVITY_WEIGHT_MAX		64

/* A thread's run state (VG_METHOD_THREAD_EXREGS "state"). */
enum vg_thread_state {
	VG_THREAD_STOPPED = 0,		/* created, or stopped by exregs */
	VG_THREAD_RUNNABLE = 1,		/* running or ready to run */
	VG_THREAD_SUSPENDED = 2,	/* waiting for its next activation */
	VG_THREAD_FAULTED = 3,		/* waiting for a pager's answer */
};

/*
 * CAP_COPY's translator word: guard in bits 0..31, guard depth in bits
 * 32..39, subpage log2 in bits 40..47, subpage in bits 48..55; bits 56..63
 * must be zero.
 */
static inline uint64_t
vg_translator_pack(struct vg_cap_translator tr)
{
	return (uint64_t)tr.guard | (uint64_t)tr.guard_depth << 32 |
	    (uint64_t)tr.subpage_log2 << 40 | (uint64_t)tr.subpage << 48 |
	    (uint64_t)tr.reserved << 56;
}

static inline struct vg_cap_translator
vg_translator_unpack(uint64_t w)
{
	return (struct vg_cap_translator){
		.guard = (uint32_t)w,
		.guard_depth = (uint8_t)(w >> 32),
		.subpage_log2 = (uint8_t)(w >> 40),
		.subpage = (uint8_t)(w >> 48),
		.reserved = (uint8_t)(w >> 56),
	};
}

#endif /* VG_METHOD_H */
