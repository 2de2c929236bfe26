/*
 * Messenger methods, through a strong messenger capability (a weak one
 * means "send to it" and never reaches here).
 */
#include <stddef.h>

#include <vg/method.h>

#include "invocation.h"
#include "messenger.h"
#include "methods.h"

void
messenger_methods(struct invocation *inv)
{
	struct messenger *m = inv->object;

	switch (inv->word[0]) {
	case VG_METHOD_MESSENGER_ID_GET:
		invoke_error(inv, VG_OK);
		invoke_reply_word(inv, m->id);
		return;
	case VG_METHOD_MESSENGER_ID_SET:
		if (!invoke_need(inv, 2))
			return;
		m->id = inv->word[1];
		invoke_error(inv, VG_OK);
		return;
	case VG_METHOD_MESSENGER_FLAGS: {
		uint64_t set = inv->word[1], clear = inv->word[2];

		if (!invoke_need(inv, 3))
			return;
		if (((set | clear) & ~(uint64_t)VG_MESSENGER_USER_FLAGS) != 0) {
			invoke_error(inv, VG_ERR_INVALID);
			return;
		}
		/* commit: no failure past here */
		m->flags = (m->flags | (uint32_t)set) & ~(uint32_t)clear;
		invoke_error(inv, VG_OK);
		invoke_reply_word(inv, m->flags);
		return;
	}
	case VG_METHOD_MESSENGER_UNBLOCK:
		invoke_error(inv, messenger_receive(m, false));
		return;
	case VG_METHOD_MESSENGER_BLOCK:
		messenger_block(m);
		invoke_error(inv, VG_OK);
		return;
	case VG_METHOD_MESSENGER_CANCEL:
		invoke_error(inv, messenger_cancel(m, VG_ERR_CANCELED) ?
		    VG_OK : VG_ERR_INVALID);
		return;
	default:
		invoke_error(inv, VG_ERR_METHOD);
		return;
	}
}
