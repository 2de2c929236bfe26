/*
 * The kernel's devices: the console and the machine's power, one object
 * each, made at boot in the root folio (folio.h) and reached by
 * capability like any other object.  Nobody has them but the root task,
 * until it gives them away.
 */
#include <stddef.h>

#include <vg/method.h>

#include "arch.h"
#include "invocation.h"
#include "methods.h"
#include "transfer.h"

/*
 * CONSOLE_WRITE: w1 bytes from byte VG_CONSOLE_WRITE_DATA of the request's
 * data.  The request words the dispatcher copied stop at INVOKE_WORDS, so
 * the bytes are read from the sender's message itself, once.
 */
static void
console_write(struct invocation *inv, struct messenger *src)
{
	struct msg_source s;
	uint64_t n;

	if (!invoke_need(inv, 2))
		return;
	n = inv->word[1];
	msg_source_of(src, &s);
	if (s.len < VG_CONSOLE_WRITE_DATA ||
	    n > s.len - VG_CONSOLE_WRITE_DATA) {
		invoke_error(inv, VG_ERR_INVALID);
		return;
	}
	/* commit: no failure past here */
	arch_console_write((const char *)s.data + VG_CONSOLE_WRITE_DATA,
	    (size_t)n);
	invoke_error(inv, VG_OK);
}

/* CONSOLE_IRQOFF: what the platform measured (arch.h), if it does. */
static void
console_irqoff(struct invocation *inv)
{
	uint64_t longest, stretches;

	if (!arch_irqoff_take(&longest, &stretches)) {
		invoke_error(inv, VG_ERR_METHOD);
		return;
	}
	invoke_error(inv, VG_OK);
	invoke_reply_word(inv, longest);
	invoke_reply_word(inv, stretches);
}

static void
console_methods(struct invocation *inv, struct messenger *src)
{
	switch (inv->word[0]) {
	case VG_METHOD_CONSOLE_WRITE:
		console_write(inv, src);
		return;
	case VG_METHOD_CONSOLE_IRQOFF:
		console_irqoff(inv);
		return;
	default:
		invoke_error(inv, VG_ERR_METHOD);
		return;
	}
}

static void
power_methods(struct invocation *inv)
{
	switch (inv->word[0]) {
	case VG_METHOD_POWER_OFF:
		if (!invoke_need(inv, 2))
			return;
		if (inv->word[1] > VG_POWER_STATUS_MAX) {
			invoke_error(inv, VG_ERR_INVALID);
			return;
		}
		/* commit: no failure past here */
		arch_power_off(inv->word[1]);
		/* Still here: a platform that cannot stop (hosted). */
		invoke_error(inv, VG_OK);
		return;
	default:
		invoke_error(inv, VG_ERR_METHOD);
		return;
	}
}

void
device_methods(struct invocation *inv, struct messenger *src)
{
	switch ((enum vg_type)inv->target.type) {
	case VG_TYPE_CONSOLE:
		console_methods(inv, src);
		return;
	case VG_TYPE_POWER:
		power_methods(inv);
		return;
	default:
		invoke_error(inv, VG_ERR_METHOD);
		return;
	}
}
