/*
 * Trap dispatch (see trap.h).  Every stub in trap.S lands in
 * trap_dispatch with interrupts disabled:
 *
 *	exception from user mode	-> x86_user_trap
 *	exception from kernel mode	-> report and panic
 *	local APIC timer, GSI		-> EOI, then x86_irq
 *	local APIC spurious		-> nothing (it takes no EOI)
 *	8259 IRQ (masked: a stray)	-> the PIC's EOI, if any
 *
 * x86_user_trap and x86_irq are in entry.c.
 */
#include <stdint.h>

#include "ioapic.h"
#include "irqoff.h"
#include "kprintf.h"
#include "lapic.h"
#include "pic.h"
#include "trap.h"
#include "x86.h"

static const char *const exception_names[T_NEXCEPTIONS] = {
	[T_DE] = "#DE divide error",
	[T_DB] = "#DB debug",
	[T_NMI] = "NMI",
	[T_BP] = "#BP breakpoint",
	[T_OF] = "#OF overflow",
	[T_BR] = "#BR bound range exceeded",
	[T_UD] = "#UD invalid opcode",
	[T_NM] = "#NM device not available",
	[T_DF] = "#DF double fault",
	[9] = "coprocessor segment overrun",
	[T_TS] = "#TS invalid TSS",
	[T_NP] = "#NP segment not present",
	[T_SS] = "#SS stack-segment fault",
	[T_GP] = "#GP general protection",
	[T_PF] = "#PF page fault",
	[T_MF] = "#MF x87 floating-point error",
	[T_AC] = "#AC alignment check",
	[T_MC] = "#MC machine check",
	[T_XM] = "#XM SIMD floating-point error",
	[T_VE] = "#VE virtualization exception",
	[T_CP] = "#CP control protection",
	[28] = "hypervisor injection",
	[29] = "VMM communication",
	[30] = "security exception",
};

const char *
trap_name(uint64_t vector)
{
	if (vector < T_NEXCEPTIONS && exception_names[vector] != NULL)
		return exception_names[vector];
	if (vector >= T_PIC0 && vector < T_PIC0 + T_NPIC)
		return "8259 interrupt";
	if (vector >= T_GSI0 && vector < T_GSI0 + T_NGSIS)
		return "device interrupt";
	if (vector == T_LAPIC_TIMER)
		return "timer interrupt";
	if (vector == T_LAPIC_SPURIOUS)
		return "spurious interrupt";
	return "unknown";
}

void
trap_print_frame(const struct trap_frame *f)
{
	kprintf("  vector %lu (%s) error 0x%lx", f->vector,
	    trap_name(f->vector), f->error);
	if (f->vector == T_PF) {
		kprintf(" [%s %s %s%s%s]", f->error & PF_P ? "protection" :
		    "not-present", f->error & PF_W ? "write" : "read",
		    f->error & PF_U ? "user" : "kernel",
		    f->error & PF_RSVD ? " reserved-bit" : "",
		    f->error & PF_I ? " fetch" : "");
	}
	kprintf("\n");
	kprintf("  rip %016lx  cs %04lx  rflags %016lx\n", f->rip, f->cs,
	    f->rflags);
	kprintf("  rsp %016lx  ss %04lx\n", f->rsp, f->ss);
	kprintf("  rax %016lx  rbx %016lx  rcx %016lx\n", f->rax, f->rbx,
	    f->rcx);
	kprintf("  rdx %016lx  rsi %016lx  rdi %016lx\n", f->rdx, f->rsi,
	    f->rdi);
	kprintf("  rbp %016lx  r8  %016lx  r9  %016lx\n", f->rbp, f->r8,
	    f->r9);
	kprintf("  r10 %016lx  r11 %016lx  r12 %016lx\n", f->r10, f->r11,
	    f->r12);
	kprintf("  r13 %016lx  r14 %016lx  r15 %016lx\n", f->r13, f->r14,
	    f->r15);
	kprintf("  cr2 %016lx  cr3 %016lx  frame %p\n", read_cr2(),
	    read_cr3(), (const void *)f);
}

/*
 * An exception in the kernel is a kernel bug: report it and stop, with
 * the backtrace of the code it interrupted.
 */
static _Noreturn void
kernel_trap(struct trap_frame *f)
{
	static char why[64];

	kprintf("vg: kernel trap: %s\n", trap_name(f->vector));
	trap_print_frame(f);
	ksnprintf(why, sizeof(why), "kernel trap %lu (%s)", f->vector,
	    trap_name(f->vector));
	x86_panic_trap(f, why, __FILE__, __LINE__);
}

static void
dispatch(struct trap_frame *f)
{
	/* Ring 3 may have set AC, which would lift SMAP for this entry. */
	if (x86_smap && (f->cs & 3) == 3)
		clac();
	if (f->vector < T_NEXCEPTIONS) {
		if ((f->cs & 3) == 3)
			x86_user_trap(f);
		else
			kernel_trap(f);
		return;
	}
	if (f->vector == T_LAPIC_TIMER ||
	    (f->vector >= T_GSI0 && f->vector < T_GSI0 + T_NGSIS)) {
		/* A device's line is masked before the EOI, so that a
		 * level-triggered one still asserted does not come again;
		 * its interrupt object unmasks it when the driver
		 * acknowledges.  EOI first: x86_irq may switch threads and
		 * not return. */
		uint64_t now = rdtsc();

		x86_idle_wake(now);
		if (f->vector != T_LAPIC_TIMER) {
			x86_irq_stamp = now;
			(void)ioapic_mask((uint32_t)(f->vector - T_GSI0));
		}
		lapic_eoi();
		x86_irq(f, (unsigned)f->vector);
		return;
	}
	if (f->vector == T_LAPIC_SPURIOUS)
		return;
	if (f->vector < T_PIC0 + T_NPIC) {
		pic_stray((unsigned)(f->vector - T_PIC0));
		return;
	}
	kernel_trap(f);
}

void
trap_dispatch(struct trap_frame *f)
{
	irqoff_begin();
	dispatch(f);
	/* Back where the interrupt came in: the idle loop, a window of the
	 * reaper's, or user mode (a spurious or stray interrupt). */
	irqoff_end();
}
