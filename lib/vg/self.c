/*
 * The program's run-time record (struct vg_runtime, libvg/env.h):
 * vg_self(), and vg_kcall(), the call context the running code makes its
 * kernel calls with.  runtime.c fills the record in at start-up; what
 * only reads it (the address-space builder, the loader, the servers)
 * needs no more than this file.
 */
#include <stdbool.h>

#include <libvg/activation.h>
#include <libvg/call.h>
#include <libvg/env.h>

static struct vg_runtime rt;

struct vg_runtime *
vg_self(void)
{
	return &rt;
}

struct vg_call *
vg_kcall(void)
{
	/* Until the contexts exist (vg_runtime_init), the boot context. */
	if (!rt.ready)
		return &rt.bcall;
	if (vg_in_activation())
		return &rt.hcall;
	return &rt.kcall;
}
