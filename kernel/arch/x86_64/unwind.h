/*
 * A DWARF call-frame (CFI) unwinder over the image's .eh_frame, for
 * backtraces: from one frame's registers to its caller's.  The kernel is
 * built without frame pointers, but GCC's asynchronous unwind tables say
 * at every instruction where the return address and the saved registers
 * are; .eh_frame_hdr (ld --eh-frame-hdr, linker.ld) indexes them.
 *
 * It runs in a panic, on whatever state the kernel was in: it reads the
 * stack only inside the bounds it is given, at aligned addresses, and the
 * tables only inside their sections, so it never faults.  Hand-written
 * assembly (boot.S, trap.S, syscall_entry.S) has no CFI: a frame there
 * ends the walk.
 */
#ifndef VG_X86_64_UNWIND_H
#define VG_X86_64_UNWIND_H

#include <stdbool.h>
#include <stdint.h>

/* DWARF's x86-64 register numbers; column 16 is the return address. */
enum unwind_reg {
	UNWIND_RAX, UNWIND_RDX, UNWIND_RCX, UNWIND_RBX,
	UNWIND_RSI, UNWIND_RDI, UNWIND_RBP, UNWIND_RSP,
	UNWIND_R8, UNWIND_R9, UNWIND_R10, UNWIND_R11,
	UNWIND_R12, UNWIND_R13, UNWIND_R14, UNWIND_R15,
	UNWIND_RIP,
	UNWIND_NREGS
};

/* One frame: the registers known there, in DWARF's numbering. */
struct unwind_frame {
	uint64_t reg[UNWIND_NREGS];
	uint32_t known;		/* bit N: reg[N] holds a value */
	/*
	 * reg[UNWIND_RIP] is the instruction that was about to run (a
	 * trap's, or where the walk began), not a return address, which
	 * may lie just past a call that ends its function.
	 */
	bool exact;
};

/* Where the stack lies: every read is of 8 aligned bytes in [lo, hi). */
struct unwind_stack {
	uint64_t lo, hi;
};

enum unwind_status {
	UNWIND_OK,		/* F is now its caller's frame */
	UNWIND_END,		/* the outermost frame: no return address */
	UNWIND_NO_FDE,		/* no unwind information for the pc */
	UNWIND_BAD_CFI,		/* unwind information not understood */
	UNWIND_BAD_STACK,	/* a read outside the stack, or misaligned */
};

/*
 * Replace F by its caller's frame, the stack pointer being that frame's
 * canonical frame address, which must lie above F's and on S.
 */
enum unwind_status unwind_step(struct unwind_frame *f,
    const struct unwind_stack *s);

/* Why a walk stopped, in a few words. */
const char *unwind_status_name(enum unwind_status st);

#endif /* VG_X86_64_UNWIND_H */
