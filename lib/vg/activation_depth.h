/*
 * libvg inside: how deep the activation dispatcher is nested
 * (activation_depth.c).  The dispatcher counts, inline, on its way in
 * and out of handler code; everybody else asks vg_in_activation
 * (libvg/activation.h).
 */
#ifndef LIBVG_ACTIVATION_DEPTH_H
#define LIBVG_ACTIVATION_DEPTH_H

extern int vg_act_depth;

static inline void
vg_act_enter(void)
{
	vg_act_depth++;
}

static inline void
vg_act_leave(void)
{
	vg_act_depth--;
}

#endif /* LIBVG_ACTIVATION_DEPTH_H */
