/*
 * The fuzzer's machine-level parts (vmfuzz.h): the raw system call, the
 * probes whose faults the handler catches, the waker W's loop, the guest
 * G's page, and the trap bytes.
 */
#include <vg/ipc.h>
#include <vg/method.h>

#include "vmfuzz.h"

/* The constants the assembly uses, spelled for the assembler. */
#define XSTR(x)	#x
#define STR(x)	XSTR(x)
#define A_REQ_VA	0x00955000
#define A_GUTCB_VA	0x00d6a000
/* W: SEND | SEND_NONBLOCKING | SEND_INLINE | one word, no RETURN (it
 * suspends until started again). */
#define A_W_FLAGS	0x102300
/* G: an inline invocation of one or two words, with RETURN. */
#define A_G_ONE		0x112100
#define A_G_TWO		0x212100
#define A_COLLECT	0x402
#define A_EXREGS	0x400
#define A_STOP		8

_Static_assert(A_REQ_VA == VF_REQ_VA && A_GUTCB_VA == VF_GUTCB_VA,
    "the assembly's addresses");
_Static_assert(A_W_FLAGS == (VG_IPC_SEND | VG_IPC_SEND_NONBLOCKING |
    VG_IPC_SEND_INLINE | VG_IPC_INLINE_WORDS(1)), "W's flags");
_Static_assert(A_G_ONE == (VG_IPC_SEND | VG_IPC_SEND_INLINE |
    VG_IPC_INLINE_WORDS(1) | VG_IPC_RETURN) && A_G_TWO == (VG_IPC_SEND |
    VG_IPC_SEND_INLINE | VG_IPC_INLINE_WORDS(2) | VG_IPC_RETURN),
    "G's flags");
_Static_assert(A_COLLECT == VG_METHOD_THREAD_ACTIVATION_COLLECT &&
    A_EXREGS == VG_METHOD_THREAD_EXREGS && A_STOP == VG_EXREGS_STOP,
    "G's methods");
_Static_assert(__builtin_offsetof(struct vf_greq, regs) == 24 &&
    __builtin_offsetof(struct vf_greq, self) == 104 &&
    __builtin_offsetof(struct vf_greq, gm) == 112 &&
    __builtin_offsetof(struct vf_greq, taken) == 128 &&
    __builtin_offsetof(struct vf_greq, stops) == 136, "G's request page");

volatile uint64_t vf_probe_sp, vf_probe_armed;
volatile uint64_t vf_wake_armed, vf_wake_early;
uint64_t vf_w_args[3];
volatile uint64_t vf_w_fired;

/*
 * vf_syscall(regs): a wake of my waker's that comes before the call
 * (vmfuzz.h) skips it: inside [vf_sys_begin, vf_sys_insn] the handler
 * moves the ip to vf_sys_skipped, and before that it sets vf_wake_early,
 * which vf_sys_begin tests.  rax 2 (DEBUG_EXIT) becomes 3, whatever the
 * caller asked.
 */
__asm__(
	".text\n"
	".globl vf_syscall\n"
	".type vf_syscall, @function\n"
	"vf_syscall:\n"
	"	pushq %rbx\n	pushq %rbp\n	pushq %r12\n"
	"	pushq %r13\n	pushq %r14\n	pushq %r15\n"
	"	movq %rdi, %rbx\n"
	".globl vf_sys_begin\n"
	"vf_sys_begin:\n"
	"	cmpq $0, vf_wake_early(%rip)\n"
	"	jne vf_sys_skipped\n"
	"	movq 8(%rbx), %rdi\n"
	"	movq 16(%rbx), %rsi\n"
	"	movq 24(%rbx), %rdx\n"
	"	movq 32(%rbx), %r10\n"
	"	movq 40(%rbx), %r8\n"
	"	movq 48(%rbx), %r9\n"
	"	movq 56(%rbx), %r12\n"
	"	movq 64(%rbx), %r13\n"
	"	movq 72(%rbx), %r14\n"
	"	movq 80(%rbx), %r15\n"
	"	movq 0(%rbx), %rax\n"
	"	cmpq $2, %rax\n"
	"	jne 1f\n"
	"	movl $3, %eax\n"
	"1:\n"
	".globl vf_sys_insn\n"
	"vf_sys_insn:\n"
	"	syscall\n"
	".globl vf_sys_after\n"
	"vf_sys_after:\n"
	"2:	popq %r15\n	popq %r14\n	popq %r13\n"
	"	popq %r12\n	popq %rbp\n	popq %rbx\n"
	"	ret\n"
	".globl vf_sys_skipped\n"
	"vf_sys_skipped:\n"
	"	movq $-1, %rax\n"
	"	jmp 2b\n"
	".size vf_syscall, . - vf_syscall\n");

/*
 * The probes.  Each records its stack pointer and arms itself; a fault
 * sends my handler to vf_probe_recover with that stack pointer, which
 * returns VF_FAULTED to the probe's caller.  Only caller-saved registers
 * are touched.
 */
#define PROBE_ARM							\
	"	movq %rsp, vf_probe_sp(%rip)\n"				\
	"	movq $1, vf_probe_armed(%rip)\n"
#define PROBE_DISARM							\
	"	movq $0, vf_probe_armed(%rip)\n"

__asm__(
	".text\n"
	".globl vf_probe_load\n"
	".type vf_probe_load, @function\n"
	"vf_probe_load:\n"
	PROBE_ARM
	"	movq (%rdi), %rax\n"
	PROBE_DISARM
	"	ret\n"
	".size vf_probe_load, . - vf_probe_load\n"

	".globl vf_probe_store\n"
	".type vf_probe_store, @function\n"
	"vf_probe_store:\n"
	PROBE_ARM
	"	movq %rsi, (%rdi)\n"
	PROBE_DISARM
	"	xorl %eax, %eax\n"
	"	ret\n"
	".size vf_probe_store, . - vf_probe_store\n"

	".globl vf_probe_jump\n"
	".type vf_probe_jump, @function\n"
	"vf_probe_jump:\n"
	PROBE_ARM
	"	jmp *%rdi\n"
	".size vf_probe_jump, . - vf_probe_jump\n"

	".globl vf_probe_copy\n"
	".type vf_probe_copy, @function\n"
	"vf_probe_copy:\n"
	PROBE_ARM
	"	movq %rdx, %rcx\n"
	"	cld\n"
	"	rep movsb\n"
	PROBE_DISARM
	"	xorl %eax, %eax\n"
	"	ret\n"
	".size vf_probe_copy, . - vf_probe_copy\n"

	".globl vf_probe_insn\n"
	".type vf_probe_insn, @function\n"
	"vf_probe_insn:\n"
	PROBE_ARM
	"	cmpl $0, %edi\n	je 10f\n"
	"	cmpl $1, %edi\n	je 11f\n"
	"	cmpl $2, %edi\n	je 12f\n"
	"	cmpl $3, %edi\n	je 13f\n"
	"	cmpl $4, %edi\n	je 14f\n"
	"	movabsq $0x8000000000000000, %rax\n"
	"	movq (%rax), %rax\n"		/* non-canonical: #GP */
	"	jmp 19f\n"
	"10:	ud2\n"
	"	jmp 19f\n"
	"11:	int3\n"
	"	jmp 19f\n"
	"12:	xorl %ecx, %ecx\n	xorl %edx, %edx\n	movl $7, %eax\n"
	"	divl %ecx\n"
	"	jmp 19f\n"
	"13:	hlt\n"
	"	jmp 19f\n"
	"14:	int $0x80\n"
	"19:\n"
	PROBE_DISARM
	"	xorl %eax, %eax\n"
	"	ret\n"
	".size vf_probe_insn, . - vf_probe_insn\n"

	".globl vf_probe_recover\n"
	"vf_probe_recover:\n"
	PROBE_DISARM
	"	movq $-2, %rax\n"
	"	ret\n");

_Static_assert(VF_FAULTED == (uint64_t)-2 && VF_SKIPPED == (uint64_t)-1,
    "the stubs' results");

/*
 * The waker W, a thread of mine in my space: send one inline word to my
 * wake messenger (without blocking) and suspend, until started again.
 * It needs no stack.
 */
__asm__(
	".text\n"
	".globl vf_w_entry\n"
	".type vf_w_entry, @function\n"
	"vf_w_entry:\n"
	"	movq vf_w_args(%rip), %r10\n"
	"	movq vf_w_args+8(%rip), %r8\n"
	"	movq vf_w_args+16(%rip), %r12\n"
	"	movl $" STR(A_W_FLAGS) ", %edi\n"
	"	xorl %eax, %eax\n"
	"	syscall\n"
	"	incq vf_w_fired(%rip)\n"
	"	jmp vf_w_entry\n"
	".size vf_w_entry, . - vf_w_entry\n");

/*
 * The guest G, in a page of its own that SB maps read-only.  It takes a
 * request from the page at VF_REQ_VA when its SEQ is new (a system call
 * with the registers given, rax 0 only; or a load or store at regs[0]),
 * and goes back for the next.  With nothing new it collects one queued
 * activation, leaves activated mode, and stops itself (or, if it cannot,
 * suspends): my operations start it again.  Every system call here sets
 * rax right before it, and its addresses are absolute, so the page may
 * be mapped nowhere else.
 */
__asm__(
	".section .text.vmf_guest, \"ax\", @progbits\n"
	".balign 4096\n"
	".globl vf_g_page\n"
	"vf_g_page:\n"
	".globl vf_g_entry\n"
	"vf_g_entry:\n"
	"	movabsq $" STR(A_REQ_VA) ", %rbx\n"
	"	movq 0(%rbx), %rax\n"
	"	cmpq 8(%rbx), %rax\n"
	"	je 5f\n"
	"	movq %rax, 8(%rbx)\n"
	"	incq 128(%rbx)\n"
	"	movq 16(%rbx), %rcx\n"
	"	cmpq $1, %rcx\n"
	"	je 3f\n"
	"	cmpq $2, %rcx\n"
	"	je 4f\n"
	"	movq 24(%rbx), %rdi\n"
	"	movq 32(%rbx), %rsi\n"
	"	movq 40(%rbx), %rdx\n"
	"	movq 48(%rbx), %r10\n"
	"	movq 56(%rbx), %r8\n"
	"	movq 64(%rbx), %r9\n"
	"	movq 72(%rbx), %r12\n"
	"	movq 80(%rbx), %r13\n"
	"	movq 88(%rbx), %r14\n"
	"	movq 96(%rbx), %r15\n"
	"	xorl %eax, %eax\n"
	"	syscall\n"
	"	jmp vf_g_entry\n"
	"3:	movq 24(%rbx), %rcx\n"
	"	movq (%rcx), %rax\n"
	"	jmp vf_g_entry\n"
	"4:	movq 24(%rbx), %rcx\n"
	"	movq %rbx, (%rcx)\n"
	"	jmp vf_g_entry\n"
	"5:	movl $" STR(A_G_ONE) ", %edi\n"
	"	movq 104(%rbx), %r10\n"
	"	movq 112(%rbx), %r8\n"
	"	movq $" STR(A_COLLECT) ", %r12\n"
	"	xorl %eax, %eax\n"
	"	syscall\n"
	"	movabsq $" STR(A_GUTCB_VA) ", %rcx\n"
	"	andq $-2, (%rcx)\n"
	"	incq 136(%rbx)\n"
	"	movl $" STR(A_G_TWO) ", %edi\n"
	"	movq 104(%rbx), %r10\n"
	"	movq 112(%rbx), %r8\n"
	"	movq $" STR(A_EXREGS) ", %r12\n"
	"	movq $" STR(A_STOP) ", %r13\n"
	"	xorl %eax, %eax\n"
	"	syscall\n"
	"	xorl %edi, %edi\n"
	"	xorl %eax, %eax\n"
	"	syscall\n"
	"	jmp vf_g_entry\n"
	".balign 4096\n"
	".text\n");

/*
 * Single-byte instructions that fault in ring 3 whatever the registers
 * hold: int3 (a trap), hlt, cli, sti, in (#GP: no I/O privilege), and
 * opcodes invalid in 64-bit mode (#UD).  No out: an I/O port that ring 3
 * could reach would let a wrong jump end the machine.
 */
const uint8_t vf_trap_bytes[] = {
	0xcc, 0xf4, 0xfa, 0xfb, 0xec, 0xed, 0x6c, 0x6d,
	0xce, 0x06, 0x07, 0x0e, 0x16, 0x17, 0x1e, 0x1f,
	0x27, 0x2f, 0x37, 0x3f, 0x60, 0x61, 0xd6, 0x82,
};
const unsigned vf_ntrap_bytes = sizeof(vf_trap_bytes);
