/*
 * Whether the running code is in the activation handler
 * (vg_in_activation, libvg/activation.h): how deep the dispatcher is
 * nested (activation_depth.h).  A file of its own because the console
 * (printf.c), the calls (call.c) and the run time ask it, and none of
 * them need depend on the dispatcher for that.
 */
#include <stdbool.h>

#include "activation_depth.h"

int vg_act_depth;

bool
vg_in_activation(void)
{
	return vg_act_depth > 0;
}
