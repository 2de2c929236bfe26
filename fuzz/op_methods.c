/*
 * The kernel methods op_invoke does not pick (fuzz.h): a thread's
 * priority, the console's CONSOLE_WRITE and the power object's POWER_OFF
 * (hosted, the machine stays on), each with arguments in range or not,
 * too few words, and a method the object does not have.  Each call goes
 * through call_method, so a method that fails must have changed nothing.
 */
#include <vg/method.h>

#include "fuzz.h"

/* A thread to set the priority of: the caller's, or one made in the
 * playground (SL_NEW), or anything. */
static vg_addr_t
pick_thread(void)
{
	uint8_t x = take8();

	if (x < 160)
		return slot_addr(SL_THREAD);
	if (x < 230)
		return slot_addr(SL_NEW + x % NNEW);
	return pick_addr();
}

void
op_methods(void)
{
	int p = take8() % NPROC;
	uint8_t k = take8(), b = take8();
	uint64_t w[8] = { 0 };
	uint32_t nw = 2, i;
	vg_addr_t target;
	enum vg_err err;

	switch (k % 4) {
	case 0:
		target = pick_thread();
		w[0] = VG_METHOD_THREAD_PRIORITY;
		w[1] = b < 240 ? b % (VG_THREAD_PRIORITY_MAX + 2) : take64();
		break;
	case 1:
		/* The bytes follow w0 and the count: up to 6 words of them,
		 * a count that fits them or not. */
		target = slot_addr(SL_CONSOLE);
		w[0] = VG_METHOD_CONSOLE_WRITE;
		nw = 2 + b % 7;
		for (i = 2; i < nw; i++)
			w[i] = take64();
		w[1] = take8() < 220 ? take8() % (8 * (nw - 2) + 1) : take64();
		break;
	case 2:
		target = slot_addr(SL_POWER);
		w[0] = VG_METHOD_POWER_OFF;
		w[1] = b;		/* above VG_POWER_STATUS_MAX: refused */
		break;
	default:
		/* The wrong method, or too few words for the right one. */
		target = slot_addr(b & 1 ? SL_CONSOLE : b & 2 ? SL_POWER :
		    SL_THREAD);
		w[0] = b & 4 ? take16() : b & 1 ? VG_METHOD_CONSOLE_WRITE :
		    b & 2 ? VG_METHOD_POWER_OFF : VG_METHOD_THREAD_PRIORITY;
		nw = 1;
		break;
	}
	if ((k & 0xc0) == 0xc0)
		target = pick_addr();
	err = call_method(p, target, w, nw, !(k & 0x20));
	note("method %#llx by proc %d -> %d", (unsigned long long)w[0], p,
	    err);
}
