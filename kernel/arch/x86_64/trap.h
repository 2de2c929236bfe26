/*
 * Traps: exceptions (vectors 0..31) and interrupts (32..127, below).
 *
 * Every entry stub in trap.S builds a struct trap_frame on the stack it
 * was entered on (the TSS rsp0 stack when coming from user mode, an IST
 * stack for #DF, NMI and #MC, the current stack otherwise) and calls
 * trap_dispatch with it.  When trap_dispatch returns, trap_return
 * restores every register from the frame and executes iretq, so C code
 * may edit the frame to change where and how the trap returns.
 *
 * Entering user mode: fill in a frame (all registers, rip, rsp,
 * cs = GDT_USER_CS, ss = GDT_USER_DS, rflags = RFLAGS_RESERVED |
 * RFLAGS_IF), set the TSS rsp0 (tss_set_rsp0) to the kernel stack the
 * next trap from user mode should use, and call trap_return_to(frame)
 * with interrupts disabled.  The frame may live anywhere in kernel memory
 * (say, in the thread); it is only read.
 *
 * GS: the stubs execute swapgs on entry from user mode (saved cs & 3)
 * and trap_return executes it on the way back to user mode, so a GS base
 * the kernel keeps in MSR_KERNEL_GS_BASE while user code runs is the
 * active one inside the kernel.  Unused today; harmless if never set.
 */
#ifndef VG_X86_64_TRAP_H
#define VG_X86_64_TRAP_H

/* Byte offsets in struct trap_frame, for assembly. */
#define TF_RBX		0
#define TF_RCX		8
#define TF_RBP		16
#define TF_R11		24
#define TF_RDI		32
#define TF_RSI		40
#define TF_RDX		48
#define TF_R10		56
#define TF_R8		64
#define TF_R12		72
#define TF_R13		80
#define TF_R14		88
#define TF_R15		96
#define TF_R9		104
#define TF_RAX		112
#define TF_VECTOR	120
#define TF_ERROR	128
#define TF_RIP		136
#define TF_CS		144
#define TF_RFLAGS	152
#define TF_RSP		160
#define TF_SS		168
#define TF_SIZE		176

/* Vectors. */
#define T_DE		0	/* divide error */
#define T_DB		1	/* debug */
#define T_NMI		2	/* non-maskable interrupt */
#define T_BP		3	/* breakpoint (int3; allowed from ring 3) */
#define T_OF		4	/* overflow */
#define T_BR		5	/* bound range exceeded */
#define T_UD		6	/* invalid opcode */
#define T_NM		7	/* device not available */
#define T_DF		8	/* double fault */
#define T_TS		10	/* invalid TSS */
#define T_NP		11	/* segment not present */
#define T_SS		12	/* stack-segment fault */
#define T_GP		13	/* general protection */
#define T_PF		14	/* page fault */
#define T_MF		16	/* x87 floating point */
#define T_AC		17	/* alignment check */
#define T_MC		18	/* machine check */
#define T_XM		19	/* SIMD floating point */
#define T_VE		20	/* virtualization */
#define T_CP		21	/* control protection */
#define T_NEXCEPTIONS	32
/*
 * Interrupts.  The 8259 pair is remapped above the exceptions and masked:
 * what arrives there is a stray, ignored.  The IOAPICs' GSIs follow, one
 * vector each, then the local APIC's own; everything from 0x80 on has no
 * gate.  The local APIC's priority class is the vector's high nibble, so
 * the timer outranks every device.
 */
#define T_PIC0		32	/* 8259 IRQ n (a stray) at T_PIC0 + n */
#define T_NPIC		16
#define T_GSI0		48	/* GSI n at T_GSI0 + n */
#define T_NGSIS		64
#define T_LAPIC_TIMER	112	/* the preemption tick */
#define T_LAPIC_SPURIOUS 127	/* low nibble all ones, as old APICs need */
#define T_NVECTORS	128	/* vectors with a stub */

/* Page-fault error code bits. */
#define PF_P		(1 << 0)	/* protection violation (else not present) */
#define PF_W		(1 << 1)	/* write */
#define PF_U		(1 << 2)	/* user mode */
#define PF_RSVD		(1 << 3)	/* reserved bit set in an entry */
#define PF_I		(1 << 4)	/* instruction fetch */

#ifdef __ASSEMBLER__
/*
 * Push the general-purpose registers in struct trap_frame order (rbx
 * ends up lowest): the trap stubs and the syscall entry share it.
 */
.macro PUSH_GPRS
	pushq	%rax
	pushq	%r9
	pushq	%r15
	pushq	%r14
	pushq	%r13
	pushq	%r12
	pushq	%r8
	pushq	%r10
	pushq	%rdx
	pushq	%rsi
	pushq	%rdi
	pushq	%r11
	pushq	%rbp
	pushq	%rcx
	pushq	%rbx
.endm

/* The registers PUSH_GPRS saved, back from the frame at RSP. */
.macro POP_GPRS
	popq	%rbx
	popq	%rcx
	popq	%rbp
	popq	%r11
	popq	%rdi
	popq	%rsi
	popq	%rdx
	popq	%r10
	popq	%r8
	popq	%r12
	popq	%r13
	popq	%r14
	popq	%r15
	popq	%r9
	popq	%rax
.endm
#endif

#ifndef __ASSEMBLER__

#include <stddef.h>
#include <stdint.h>

#include "syscall.h"

struct trap_frame {
	/* Pushed by PUSH_GPRS, in reverse: rbx last, so first here. */
	uint64_t rbx;		/*   0 */
	uint64_t rcx;		/*   8 */
	uint64_t rbp;		/*  16 */
	uint64_t r11;		/*  24 */
	/* A system call's argument registers, in the ABI's order
	 * (vg/syscall.h): the portable core reads them as ARGS. */
	union {
		struct {
			uint64_t rdi;	/*  32 */
			uint64_t rsi;	/*  40 */
			uint64_t rdx;	/*  48 */
			uint64_t r10;	/*  56 */
			uint64_t r8;	/*  64 */
			uint64_t r12;	/*  72 */
			uint64_t r13;	/*  80 */
			uint64_t r14;	/*  88 */
			uint64_t r15;	/*  96 */
			uint64_t r9;	/* 104 */
		};
		union syscall_args args;
	};
	uint64_t rax;		/* 112 */
	/* Pushed by the vector's stub. */
	uint64_t vector;	/* 120 */
	uint64_t error;		/* 128: the CPU's error code, else 0 */
	/* Pushed by the CPU: the iretq frame. */
	uint64_t rip;		/* 136 */
	uint64_t cs;		/* 144 */
	uint64_t rflags;	/* 152 */
	uint64_t rsp;		/* 160 */
	uint64_t ss;		/* 168 */
};				/* 176 */

_Static_assert(offsetof(struct trap_frame, r15) == TF_R15, "r15");
_Static_assert(offsetof(struct trap_frame, r14) == TF_R14, "r14");
_Static_assert(offsetof(struct trap_frame, r13) == TF_R13, "r13");
_Static_assert(offsetof(struct trap_frame, r12) == TF_R12, "r12");
_Static_assert(offsetof(struct trap_frame, r11) == TF_R11, "r11");
_Static_assert(offsetof(struct trap_frame, r10) == TF_R10, "r10");
_Static_assert(offsetof(struct trap_frame, r9) == TF_R9, "r9");
_Static_assert(offsetof(struct trap_frame, r8) == TF_R8, "r8");
_Static_assert(offsetof(struct trap_frame, rbp) == TF_RBP, "rbp");
_Static_assert(offsetof(struct trap_frame, rdi) == TF_RDI, "rdi");
_Static_assert(offsetof(struct trap_frame, rsi) == TF_RSI, "rsi");
_Static_assert(offsetof(struct trap_frame, rdx) == TF_RDX, "rdx");
_Static_assert(offsetof(struct trap_frame, rcx) == TF_RCX, "rcx");
_Static_assert(offsetof(struct trap_frame, rbx) == TF_RBX, "rbx");
_Static_assert(offsetof(struct trap_frame, rax) == TF_RAX, "rax");
_Static_assert(offsetof(struct trap_frame, vector) == TF_VECTOR, "vector");
_Static_assert(offsetof(struct trap_frame, error) == TF_ERROR, "error");
_Static_assert(offsetof(struct trap_frame, rip) == TF_RIP, "rip");
_Static_assert(offsetof(struct trap_frame, cs) == TF_CS, "cs");
_Static_assert(offsetof(struct trap_frame, rflags) == TF_RFLAGS, "rflags");
_Static_assert(offsetof(struct trap_frame, rsp) == TF_RSP, "rsp");
_Static_assert(offsetof(struct trap_frame, ss) == TF_SS, "ss");
_Static_assert(offsetof(struct trap_frame, args) == TF_RDI &&
    sizeof(union syscall_args) == TF_RAX - TF_RDI, "the arguments");
_Static_assert(sizeof(struct trap_frame) == TF_SIZE, "trap frame size");
_Static_assert(TF_SIZE % 16 == 0, "the frame keeps the stack 16-aligned");
_Static_assert(T_PIC0 + T_NPIC <= T_GSI0 && T_GSI0 + T_NGSIS <=
    T_LAPIC_TIMER && T_LAPIC_SPURIOUS < T_NVECTORS,
    "the interrupt vectors overlap");

/* trap.S: the stubs, in vector order (idt.c installs them). */
extern const uint64_t trap_stubs[T_NVECTORS];

/*
 * Restore every register from F and iretq: the common exit path of
 * every trap, callable from C to enter (or re-enter) user mode or to
 * resume any saved frame.  Requires: interrupts disabled; F's cs/ss are
 * a valid pair (GDT_USER_CS/GDT_USER_DS, or kernel ones).  Does not
 * return; the current stack is abandoned.
 */
_Noreturn void trap_return_to(const struct trap_frame *f);
/* The same, by sysret, for the thread whose system call F is
 * (syscall_entry.S says when it may be used). */
_Noreturn void syscall_return(const struct trap_frame *f);

/* Called by every stub with interrupts disabled. */
void trap_dispatch(struct trap_frame *f);

/*
 * An exception (vector < 32) from user mode.  Runs on the rsp0 stack
 * with interrupts disabled; never returns (entry.c: it switches to the
 * next thread through trap_return_to).
 */
void x86_user_trap(struct trap_frame *f);

/*
 * Interrupt VECTOR arrived, in user or kernel mode: the local APIC's
 * timer or a GSI.  The EOI is already sent, so this may switch threads
 * (trap_return_to) instead of returning; interrupts stay disabled until
 * the iretq.  Spurious and stray interrupts never get here.
 */
void x86_irq(struct trap_frame *f, unsigned vector);

/*
 * A device's IRQ (not the timer's) arrived: to the core's interrupt
 * objects (irq.c of this directory, the one file that knows which
 * controller routes the lines).
 */
void x86_irq_device(unsigned line);
/* The time stamp counter as the device interrupt being taken entered
 * dispatch: its IRQ_FIRED message's w3. */
extern uint64_t x86_irq_stamp;
/* An interrupt is taken at time NOW: if it ended a halt of the idle
 * loop, the halt ends here (entry.c). */
void x86_idle_wake(uint64_t now);

/* Print F's registers (and CR2, CR3) to the console. */
void trap_print_frame(const struct trap_frame *f);

/* "#PF page fault" for T_PF, ...; "unknown" for vectors without a name. */
const char *trap_name(uint64_t vector);

#endif /* !__ASSEMBLER__ */

#endif /* VG_X86_64_TRAP_H */
