/*
 * The one path by which every kernel object is invoked (see invoke.h):
 * read the request, find the reply messenger, dispatch on the method and
 * the object's type, and send the reply.
 */
#include <stddef.h>

#include <vg/method.h>

#include "as.h"
#include "invocation.h"
#include "invoke.h"
#include "kstring.h"
#include "messenger.h"
#include "methods.h"
#include "object.h"
#include "transfer.h"

_Static_assert(INVOKE_REPLY_WORDS == KMSG_WORDS &&
    INVOKE_REPLY_CAPS == KMSG_CAPS, "a reply fits a kernel message");

/* Copy the request out of SRC's message: words, then addresses. */
static void
read_request(struct invocation *inv, struct messenger *src)
{
	struct msg_source s;
	uint32_t i;

	msg_source_of(src, &s);
	inv->nwords = s.len / (uint32_t)sizeof(uint64_t);
	if (inv->nwords > INVOKE_WORDS)
		inv->nwords = INVOKE_WORDS;
	memset(inv->word, 0, sizeof(inv->word));
	memcpy(inv->word, s.data, inv->nwords * sizeof(uint64_t));
	/* A kernel message never invokes anything: it only replies. */
	inv->ncaps = s.values != NULL ? 0 : s.ncaps;
	if (inv->ncaps > INVOKE_CAPS)
		inv->ncaps = INVOKE_CAPS;
	for (i = 0; i < inv->ncaps; i++)
		inv->cap[i] = s.addr[i];
}

/* Pick the methods of the invoked object's kind; SRC sent the request. */
static void
dispatch(struct invocation *inv, struct messenger *src)
{
	uint64_t method = inv->word[0];

	if (inv->nwords == 0) {
		invoke_error(inv, VG_ERR_METHOD);
		return;
	}
	if (method < 0x100) {
		object_methods(inv);
		return;
	}
	if (method < 0x200) {
		cap_methods(inv);
		return;
	}
	switch ((enum vg_type)inv->target.type) {
	case VG_TYPE_FOLIO:
		folio_methods(inv);
		break;
	case VG_TYPE_ACTIVITY:
		activity_methods(inv);
		break;
	case VG_TYPE_THREAD:
		thread_methods(inv);
		break;
	case VG_TYPE_MESSENGER:
		messenger_methods(inv);
		break;
	default:
		/* The console, the power object, or no methods at all: apart,
		 * so that the switch above stays the one it was. */
		device_methods(inv, src);
		break;
	}
}

void
invoke_kernel(struct messenger *src, struct vg_cap target)
{
	struct invocation inv = { .space = &src->slot[VG_MESSENGER_SLOT_ASPACE],
	    .target = target };
	struct vg_cap src_cap = src->self;
	struct vg_cap reply_cap = VG_CAP_VOID;
	struct messenger *reply = NULL;
	uint64_t epoch;
	uint32_t i;

	read_request(&inv, src);
	if (inv.ncaps > 0 && cache_lookup_holds(&src->reply_lookup, inv.cap[0])) {
		/* A caller replies to the same messenger call after call. */
		reply_cap = src->reply_cap;
		reply = src->reply;
	} else if (inv.ncaps > 0) {
		struct as_result r = as_walk_keep(&src->reply_lookup,
		    inv.space, inv.cap[0], false);

		if (r.err == VG_OK)
			reply = messenger_lookup(&r.cap);
		if (reply != NULL) {
			reply_cap = r.cap;
			src->reply_cap = reply_cap;
			src->reply = reply;
		} else {
			cache_lookup_forget(&src->reply_lookup);
		}
	}
	epoch = cap_epoch;

	inv.object = object_lookup(&inv.target);
	if (inv.object == NULL)
		invoke_error(&inv, VG_ERR_VOID);
	else
		dispatch(&inv, src);

	/*
	 * The method may have destroyed the sending messenger or the reply
	 * messenger (a folio method can destroy anything): look both up
	 * again.  With either gone, there is nobody to carry the reply or
	 * nobody to get it, and the reply is dropped.
	 */
	if (cap_epoch != epoch) {
		/* Something was stored or destroyed: look again. */
		if (object_lookup(&src_cap) != src)
			return;
		reply = messenger_lookup(&reply_cap);
	}
	if (reply == NULL)
		return;
	src->kmsg_nwords = (uint8_t)inv.nreply;
	memcpy(src->kmsg_words, inv.reply, inv.nreply * sizeof(uint64_t));
	src->kmsg_ncaps = (uint8_t)inv.nreply_caps;
	for (i = 0; i < inv.nreply_caps; i++)
		src->kmsg_caps[i] = inv.reply_cap[i];
	src->kflags |= MSGR_KMSG;
	/* A kernel reply never fails for want of a receiver: it queues. */
	(void)messenger_send(src, reply, false);
}
