/*
 * Walking and printing a backtrace (see backtrace.h).
 */
#include <stdbool.h>
#include <stdint.h>

#include "backtrace.h"
#include "entry.h"
#include "gdt.h"
#include "kprintf.h"
#include "ksyms.h"
#include "x86.h"

static bool
within(uint64_t sp, uint64_t lo, uint64_t hi, struct unwind_stack *s)
{
	if (sp < lo || sp > hi)
		return false;
	s->lo = lo;
	s->hi = hi;
	return true;
}

/* The kernel stack SP is on: the walk reads that one alone. */
static bool
stack_of(uint64_t sp, struct unwind_stack *s)
{
	if (within(sp, (uint64_t)(uintptr_t)boot_stack_bottom,
	    (uint64_t)(uintptr_t)boot_stack_top, s))
		return true;
	/* Set once the system calls are (syscall_init). */
	if (x86_kstack_top != 0 && within(sp, x86_kstack_top -
	    X86_KSTACK_SIZE, x86_kstack_top, s))
		return true;
	return gdt_ist_stack(sp, &s->lo, &s->hi);
}

static void
print_frame(unsigned n, uint64_t pc, bool exact)
{
	const char *name;
	uint64_t start;

	/* A return address is named after the call before it, which may
	 * end its function. */
	if (ksym_lookup(exact ? pc : pc - 1, &name, &start))
		kprintf("  #%u %016lx %s+0x%lx\n", n, pc, name, pc - start);
	else
		kprintf("  #%u %016lx ?\n", n, pc);
}

void
backtrace_print(struct unwind_frame *f, unsigned skip)
{
	struct unwind_stack s;
	enum unwind_status st;
	unsigned n = 0;

	kprintf("vg: backtrace:\n");
	if (!stack_of(f->reg[UNWIND_RSP], &s)) {
		if (skip == 0)
			print_frame(0, f->reg[UNWIND_RIP], f->exact);
		kprintf("  (end: the stack pointer %016lx is on no kernel "
		    "stack)\n", f->reg[UNWIND_RSP]);
		return;
	}
	/* Each step moves up the stack, so the walk ends even unprinted. */
	for (;;) {
		if (skip > 0) {
			skip--;
		} else if (n == BACKTRACE_DEPTH) {
			kprintf("  (end: %u frames, the most printed)\n", n);
			return;
		} else {
			print_frame(n++, f->reg[UNWIND_RIP], f->exact);
		}
		st = unwind_step(f, &s);
		if (st != UNWIND_OK)
			break;
	}
	kprintf("  (end: %s)\n", unwind_status_name(st));
}

void
backtrace_print_trap(const struct trap_frame *tf)
{
	struct unwind_frame f;

	f.reg[UNWIND_RAX] = tf->rax;
	f.reg[UNWIND_RDX] = tf->rdx;
	f.reg[UNWIND_RCX] = tf->rcx;
	f.reg[UNWIND_RBX] = tf->rbx;
	f.reg[UNWIND_RSI] = tf->rsi;
	f.reg[UNWIND_RDI] = tf->rdi;
	f.reg[UNWIND_RBP] = tf->rbp;
	f.reg[UNWIND_RSP] = tf->rsp;
	f.reg[UNWIND_R8] = tf->r8;
	f.reg[UNWIND_R9] = tf->r9;
	f.reg[UNWIND_R10] = tf->r10;
	f.reg[UNWIND_R11] = tf->r11;
	f.reg[UNWIND_R12] = tf->r12;
	f.reg[UNWIND_R13] = tf->r13;
	f.reg[UNWIND_R14] = tf->r14;
	f.reg[UNWIND_R15] = tf->r15;
	f.reg[UNWIND_RIP] = tf->rip;
	f.known = (1u << UNWIND_NREGS) - 1;
	/* The trapping instruction itself, not a return address. */
	f.exact = true;
	backtrace_print(&f, 0);
}
