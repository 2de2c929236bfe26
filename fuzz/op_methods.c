/*
 * The kernel methods op_invoke does not pick (fuzz.h): a thread's
 * priority, the console's CONSOLE_WRITE and the power object's POWER_OFF
 * (hosted, the machine stays on), each with arguments in range or not,
 * too few words, and a method the object does not have.  Each call goes
 * through call_method, so a method that fails must have changed nothing.
 */
#include <vg/method.h>

#include "hosted.h"
#include "irq.h"

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

/*
 * The device objects: the controls' CREATEs (lines and ranges in range
 * or not, folios or not), the interrupt objects' BIND, ACK and UNBIND
 * and the port ranges' IN and OUT on whatever landed in SL_NEW, and lines
 * raised as the platform's interrupt handler would (hosted: by hand).
 */
void
op_devices(void)
{
	int p = take8() % NPROC;
	uint8_t k = take8(), b = take8();
	uint64_t w[4] = { 0 };
	vg_addr_t obj = slot_addr(SL_NEW + b % NNEW);
	vg_addr_t folio = b & 0x80 ? pick_addr() :
	    slot_addr(b & 0x40 ? SL_BFOLIO : SL_AFOLIO);
	enum vg_err err;

	switch (k % 8) {
	case 0:
		w[0] = VG_METHOD_IRQ_CONTROL_CREATE;
		w[1] = take8() % (HOSTED_IRQ_LINES + 2);
		w[2] = take8() % (VG_FOLIO_OBJECTS + 2);
		err = call_method_cap(p, slot_addr(SL_IRQ_CONTROL), w,
		    k & 0x80 ? 2 : 3, folio);
		break;
	case 1:
		w[0] = VG_METHOD_IOPORT_CONTROL_CREATE;
		w[1] = take8() < 200 ? 0x2f0 + take8() % 32 : take16();
		w[2] = take8() % 20;
		w[3] = take8() % (VG_FOLIO_OBJECTS + 2);
		err = call_method_cap(p, slot_addr(SL_IOPORT_CONTROL), w, 4,
		    folio);
		break;
	case 2:
		w[0] = VG_METHOD_IRQ_BIND;
		err = call_method_cap(p, obj, w, 1, k & 0x80 ? pick_addr() :
		    slot_addr(SL_MSGR + take8() % NMSGR));
		break;
	case 3:
		w[0] = k & 0x80 ? VG_METHOD_IRQ_UNBIND : VG_METHOD_IRQ_ACK;
		err = call_method(p, obj, w, 1, !(k & 0x40));
		break;
	case 4:
		w[0] = k & 0x80 ? VG_METHOD_IOPORT_OUT : VG_METHOD_IOPORT_IN;
		w[1] = 0x2f0 + take8() % 32;
		w[2] = take8() % 6;
		w[3] = take8() < 200 ? take8() : take64();
		err = call_method(p, obj, w, 1 + take8() % 4, !(k & 0x40));
		break;
	case 5:
		/* The wrong method for the object, any word. */
		w[0] = take8() < 128 ? 0x900 + take16() % 0x400 : take16();
		err = call_method(p, b & 1 ? slot_addr(SL_IRQ_CONTROL) :
		    b & 2 ? slot_addr(SL_IOPORT_CONTROL) : obj, w, 4, true);
		break;
	default: {
		unsigned line = take8() % (HOSTED_IRQ_LINES + 1);

		irq_raise(line, 0);
		note("raise line %u", line);
		return;
	}
	}
	note("device method %#llx by proc %d -> %d",
	    (unsigned long long)w[0], p, err);
}
