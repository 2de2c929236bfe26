/*
 * Backtraces for the panic report: the frames on the kernel stack,
 * walked by the unwinder (unwind.h) from a trap frame or from where the
 * report is made, and named from the kernel's symbol table (ksyms.h):
 *
 *	vg: backtrace:
 *	  #0 ffffffff80103a5e x86_start+0x1e
 *	  #1 ffffffff80101d6b kmain+0x10b
 *	  #2 ffffffff80100172 start64_high+0x26
 *	  (end: no unwind information)
 *
 * A frame's address is where it goes on (the return address; for the
 * first frame of a trap, the trapping instruction), its name that of
 * the function holding the call.  The last line says why the walk
 * stopped: assembly without unwind information, the outermost frame,
 * the depth limit, or a stack pointer off the kernel's stacks.
 */
#ifndef VG_X86_64_BACKTRACE_H
#define VG_X86_64_BACKTRACE_H

#include "trap.h"
#include "unwind.h"

/* The most frames printed. */
#define BACKTRACE_DEPTH		32

/*
 * Print the backtrace from F, leaving out its first SKIP frames.  The
 * stack read is the one F's stack pointer is on (the boot stack, the
 * kernel stack or an IST stack); F is left as the walk ends.
 */
void backtrace_print(struct unwind_frame *f, unsigned skip);

/* Print the backtrace of the kernel code a trap interrupted, from its
 * rip and rsp in TF. */
void backtrace_print_trap(const struct trap_frame *tf);

/*
 * F: the frame of the code this is written in.  Inline, so that the
 * frame is that of the function calling it, its pc an instruction of
 * its own.
 */
static inline __attribute__((always_inline)) void
backtrace_here(struct unwind_frame *f)
{
	uint64_t ip, sp, bp;

	/* Early clobbers: ip's register may not be rbp before it is read. */
	__asm__ volatile(
	    "movq %%rsp, %1\n\t"
	    "movq %%rbp, %2\n\t"
	    "leaq 0(%%rip), %0"
	    : "=&r"(ip), "=&r"(sp), "=&r"(bp));
	f->reg[UNWIND_RIP] = ip;
	f->reg[UNWIND_RSP] = sp;
	f->reg[UNWIND_RBP] = bp;
	f->known = 1u << UNWIND_RIP | 1u << UNWIND_RSP | 1u << UNWIND_RBP;
	f->exact = true;
}

#endif /* VG_X86_64_BACKTRACE_H */
