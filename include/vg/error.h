/*
 * vg public ABI: error codes.
 *
 * Every failure a system call or method can report is one of these.  The
 * list is append-only: a value, once released, never changes meaning.
 */
#ifndef VG_ERROR_H
#define VG_ERROR_H

enum vg_err {
	VG_OK = 0,		/* success */
	VG_ERR_INVALID,		/* an argument is malformed or out of range */
	VG_ERR_ADDR,		/* the address is void or malformed */
	VG_ERR_GUARD_MISMATCH,	/* a guard did not match the address bits */
	VG_ERR_GUARD_DEPTH,	/* a guard is deeper than the bits that remain */
	VG_ERR_NOT_INDEXABLE,	/* bits remain but the object cannot be indexed */
	VG_ERR_VOID,		/* met a void (or stale) capability */
	VG_ERR_TYPE,		/* the object is not of the expected type */
	VG_ERR_WEAK,		/* a write was attempted through a weak path */
	VG_ERR_GUARD,		/* a guard value does not fit in its depth */
	VG_ERR_SUBPAGE,		/* a subpage selection is malformed */
	VG_ERR_QUOTA,		/* an activity's storage quota is exhausted */
	VG_ERR_NO_STORAGE,	/* no free storage is left */
	VG_ERR_EXHAUSTED,	/* an object slot's version space is used up */
	VG_ERR_DEPTH,		/* the activity tree is too deep */
	VG_ERR_VIRTUAL,		/* translation met a virtualized (rmessenger)
				 * level where this operation cannot ask
				 * its virtualizer (e.g. a capability
				 * operation, a messenger address) */
	VG_ERR_ADDR_SHORT,	/* the address ends inside an object's index bits */
	VG_ERR_WOULDBLOCK,	/* non-blocking: the messenger is blocked / empty */
	VG_ERR_BUSY,		/* the messenger is already sending */
	VG_ERR_CANCELED,	/* the send was withdrawn (messenger_cancel) */
	VG_ERR_DESTROYED,	/* the messenger it was queued on was destroyed */
	VG_ERR_METHOD,		/* the object has no such method */
	VG_ERR_VIRTUALIZER,	/* a virtualizer's answer was malformed */
	VG_ERR_EXCEPTION,	/* the thread raised a processor exception */
	VG_ERR_NO_EXECUTE,	/* an instruction fetch from a page whose
				 * capability has no execute right */
	VG_ERR_RIGHTS,		/* the capability lacks the right the
				 * operation needs (VG_CAP_LIMIT) */
	VG_ERR_LIMIT,		/* the value is beyond what the activity's
				 * parent allows (a priority above its
				 * maximum) */
	VG_ERR_IN_USE,		/* the interrupt line already has an
				 * interrupt object, or the object is
				 * already bound */
	VG_ERR_IO,		/* a device reported that it failed the
				 * transfer (user-level drivers' answer) */
	VG_ERR_COUNT		/* number of codes; not an error */
};

#endif /* VG_ERROR_H */
