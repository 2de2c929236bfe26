/*
 * vg public ABI: object types.
 *
 * Every kernel object occupies one 4 KiB frame of a folio.  The "r" types
 * are the weak variants: they designate the same object as their strong
 * type but grant only read access, and anything read through them is
 * weakened in turn (docs/design.md §2).
 */
#ifndef VG_TYPES_H
#define VG_TYPES_H

#include <stdbool.h>
#include <stdint.h>

/* The type of an object or of the capability that designates it. */
enum vg_type {
	VG_TYPE_VOID = 0,	/* no object; all-zero capability */
	VG_TYPE_PAGE,		/* 4 KiB of data, read/write */
	VG_TYPE_RPAGE,		/* weak page: read-only data */
	VG_TYPE_CAPPAGE,	/* 256 capability slots */
	VG_TYPE_RCAPPAGE,	/* weak cappage: slots are read-only */
	VG_TYPE_FOLIO,		/* unit of storage: 128 object frames */
	VG_TYPE_ACTIVITY,	/* resource principal with a quota */
	VG_TYPE_THREAD,		/* register state and four slots */
	VG_TYPE_MESSENGER,	/* message buffer: operate on it */
	VG_TYPE_RMESSENGER,	/* weak messenger: send a message to it */
	VG_TYPE_CONSOLE,	/* the kernel's console: write bytes to it */
	VG_TYPE_POWER,		/* the machine's power: turn it off */
	VG_TYPE_IRQ_CONTROL,	/* makes interrupt objects (one, the kernel's) */
	VG_TYPE_IRQ,		/* one interrupt line, delivered as messages */
	VG_TYPE_IOPORT_CONTROL,	/* makes I/O port ranges (one, the kernel's) */
	VG_TYPE_IOPORT,		/* a range of I/O ports: read and write them */
	VG_TYPE_DEVMEM_CONTROL,	/* makes device-memory objects (one) */
	VG_TYPE_DEVMEM,		/* physical pages that are not RAM: map them */
	VG_TYPE_DMA_CONTROL,	/* adds the DMA right to pages (one) */
	VG_TYPE_COUNT
};

/* True if TYPE is one of the weak ("r") variants. */
static inline bool
vg_type_is_weak(enum vg_type type)
{
	return type == VG_TYPE_RPAGE || type == VG_TYPE_RCAPPAGE ||
	    type == VG_TYPE_RMESSENGER;
}

/* The strong type of TYPE: the type the object itself has. */
static inline enum vg_type
vg_type_strong(enum vg_type type)
{
	switch (type) {
	case VG_TYPE_RPAGE:
		return VG_TYPE_PAGE;
	case VG_TYPE_RCAPPAGE:
		return VG_TYPE_CAPPAGE;
	case VG_TYPE_RMESSENGER:
		return VG_TYPE_MESSENGER;
	default:
		return type;
	}
}

/*
 * The weak type of TYPE.  Types without a weak variant (folio, activity,
 * thread, console, power, the interrupt, I/O port and device-memory
 * objects and the controls) weaken to void: a read-only path never
 * yields the authority to allocate storage, control a thread, write to
 * the console, stop the machine or touch a device.
 */
static inline enum vg_type
vg_type_weaken(enum vg_type type)
{
	switch (type) {
	case VG_TYPE_PAGE:
	case VG_TYPE_RPAGE:
		return VG_TYPE_RPAGE;
	case VG_TYPE_CAPPAGE:
	case VG_TYPE_RCAPPAGE:
		return VG_TYPE_RCAPPAGE;
	case VG_TYPE_MESSENGER:
	case VG_TYPE_RMESSENGER:
		return VG_TYPE_RMESSENGER;
	default:
		return VG_TYPE_VOID;
	}
}

/* True if capabilities of TYPE may carry a subpage selection. */
static inline bool
vg_type_has_subpage(enum vg_type type)
{
	return type == VG_TYPE_CAPPAGE || type == VG_TYPE_RCAPPAGE;
}

#endif /* VG_TYPES_H */
