/*
 * libvg on x86-64: the interrupted state as the activation handler
 * (arch/x86_64/activation.S) saves it, for the dispatcher
 * (libvg/activation.h).  The handler leaves activated mode with iretq,
 * which loads rip, rsp and rflags in one instruction: no register and no
 * stack word of the interrupted code is needed to jump back, so its red
 * zone is safe too.
 */
#ifndef LIBVG_ARCH_FRAME_H
#define LIBVG_ARCH_FRAME_H

#include <stdint.h>

struct vg_act_frame {
	uint64_t rax, rbx, rcx, rdx, rsi, rdi, rbp;
	uint64_t r8, r9, r10, r11, r12, r13, r14, r15;
	uint64_t rip, cs, rflags, rsp, ss;	/* an iretq frame */
};

#define VG_ACT_FRAME_SIZE	160	/* activation.S knows it */

_Static_assert(sizeof(struct vg_act_frame) == VG_ACT_FRAME_SIZE,
    "activation.S layout");

/* Where the interrupted code was, and is to go on. */
static inline uint64_t *
vg_act_frame_ip(struct vg_act_frame *f)
{
	return &f->rip;
}

#endif /* LIBVG_ARCH_FRAME_H */
