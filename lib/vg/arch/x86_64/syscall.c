/*
 * The system call instruction on x86-64 (libvg/syscall.h, vg/syscall.h).
 *
 * The kernel preserves every register but RAX (the result), RCX and R11
 * (the syscall instruction's), so the arguments are inputs only.  R12..R15
 * are callee-saved in the SysV ABI: as register variables used by the asm
 * they are saved in the prologue and restored in the epilogue by the
 * compiler.  An activation that interrupts a suspended vg_ipc resumes it
 * right after the syscall instruction with every register restored by the
 * handler, RAX holding the call's result as the kernel wrote it.
 */
#include <stdint.h>

#include <libvg/syscall.h>

enum vg_err
vg_ipc(const struct vg_ipc_args *a)
{
	register uint64_t rax __asm__("rax") = VG_SYSCALL_IPC;
	register uint64_t rdi __asm__("rdi") =
	    (uint64_t)a->flags | (uint64_t)a->reserved << 32;
	register uint64_t rsi __asm__("rsi") = a->recv_messenger.raw;
	register uint64_t rdx __asm__("rdx") = a->recv_inline_cap.raw;
	register uint64_t r10 __asm__("r10") = a->target.raw;
	register uint64_t r8 __asm__("r8") = a->send_messenger.raw;
	register uint64_t r9 __asm__("r9") = a->inline_cap.raw;
	register uint64_t r12 __asm__("r12") = a->inline_words[0];
	register uint64_t r13 __asm__("r13") = a->inline_words[1];
	register uint64_t r14 __asm__("r14") = a->inline_words[2];
	register uint64_t r15 __asm__("r15") = a->inline_words[3];

	__asm__ volatile("syscall"
	    : "+r"(rax)
	    : "r"(rdi), "r"(rsi), "r"(rdx), "r"(r10), "r"(r8), "r"(r9),
	      "r"(r12), "r"(r13), "r"(r14), "r"(r15)
	    : "rcx", "r11", "memory");
	return (enum vg_err)rax;
}
