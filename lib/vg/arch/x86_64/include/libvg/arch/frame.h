/*
 * libvg on x86-64: the interrupted state as the activation handler
 * (arch/x86_64/activation.S) saves it, for the dispatcher
 * (libvg/activation.h).  The handler leaves activated mode with popfq and
 * a "ret $128" below the interrupted code's red zone, which stays safe.
 */
#ifndef LIBVG_ARCH_FRAME_H
#define LIBVG_ARCH_FRAME_H

#include <stdint.h>

struct vg_act_frame {
	uint64_t rax, rbx, rcx, rdx, rsi, rdi, rbp;
	uint64_t r8, r9, r10, r11, r12, r13, r14, r15;
	/* As an iretq frame; CS and SS, which user mode never changes,
	 * stored once (vg_act_frame_init), not on every entry. */
	uint64_t rip, cs, rflags, rsp, ss;
};

#define VG_ACT_FRAME_SIZE	160	/* activation.S knows it */

_Static_assert(sizeof(struct vg_act_frame) == VG_ACT_FRAME_SIZE,
    "activation.S layout");

/* The fields of F that every activation leaves as they are. */
static inline void
vg_act_frame_init(struct vg_act_frame *f)
{
	uint16_t cs, ss;

	__asm__ volatile("movw %%cs, %0\n\tmovw %%ss, %1"
	    : "=r"(cs), "=r"(ss));
	f->cs = cs;
	f->ss = ss;
}

/* Where the interrupted code was, and is to go on. */
static inline uint64_t *
vg_act_frame_ip(struct vg_act_frame *f)
{
	return &f->rip;
}

#endif /* LIBVG_ARCH_FRAME_H */
