/*
 * The debug system calls of tests and demos (the switch is in
 * syscall.h; vg_ipc is ipc.c).
 */
#include <stddef.h>

#include <vg/addr.h>
#include <vg/syscall.h>

#include "arch.h"
#include "as.h"
#include "object.h"
#include "syscall.h"
#include "thread.h"

/* DEBUG_WRITE: LEN bytes of the caller's page at data address VA. */
enum vg_err
syscall_debug_write(struct thread *t, uint64_t va, uint64_t len)
{
	struct as_result r = as_walk_run(as_walk_start(
	    &t->slot[VG_THREAD_SLOT_ASPACE], vg_addr_of_data(va)));
	uint64_t off = va & (VG_PAGE_SIZE - 1);
	const char *page;

	if (r.err != VG_OK)
		return r.err;
	if (r.cap.type != VG_TYPE_PAGE && r.cap.type != VG_TYPE_RPAGE)
		return VG_ERR_TYPE;
	if (len > VG_PAGE_SIZE - off)
		return VG_ERR_INVALID;
	page = object_lookup(&r.cap);
	arch_console_write(page + off, (size_t)len);
	return VG_OK;
}
