/*
 * libvg inside: how deep the activation dispatcher is nested
 * (activation_depth.c).  The dispatcher counts, inline, on its way in
 * and out of handler code; everybody else asks vg_in_activation
 * (libvg/activation.h).
 */
#ifndef LIBVG_ACTIVATION_DEPTH_H
#define LIBVG_ACTIVATION_DEPTH_H

#include <stdbool.h>

extern int vg_act_depth;

/* Declared for users in libvg/activation.h; here too, so that its
 * definition does not depend on the dispatcher's header (activation.c
 * includes both, and the compiler checks that they agree). */
bool vg_in_activation(void);

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
