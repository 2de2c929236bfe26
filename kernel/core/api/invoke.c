/*
 * The one path by which every kernel object is invoked (see invoke.h).
 */
#include <stddef.h>

#include <vg/method.h>

#include "as.h"
#include "invoke.h"
#include "kstring.h"
#include "messenger.h"
#include "msgbuf.h"
#include "object.h"

void
invoke_error(struct invocation *inv, enum vg_err err)
{
	inv->reply[0] = (uint64_t)err;
	inv->nreply = 1;
	inv->nreply_caps = 0;
}

bool
invoke_need(struct invocation *inv, uint32_t n)
{
	if (inv->nwords >= n)
		return true;
	invoke_error(inv, VG_ERR_INVALID);
	return false;
}

void
invoke_reply_word(struct invocation *inv, uint64_t w)
{
	if (inv->nreply < KMSG_WORDS)
		inv->reply[inv->nreply++] = w;
}

void
invoke_reply_cap(struct invocation *inv, struct vg_cap cap)
{
	if (inv->nreply_caps < KMSG_CAPS)
		inv->reply_cap[inv->nreply_caps++] = cap;
}

struct as_result
invoke_request_cap(struct invocation *inv, uint32_t i)
{
	if (i >= inv->ncaps)
		return (struct as_result){ .err = VG_ERR_INVALID };
	return as_walk_run(as_walk_start(
	    &inv->src->slot[VG_MESSENGER_SLOT_ASPACE], inv->cap[i]));
}

/* Copy the request out of SRC's message: words, then addresses. */
static void
read_request(struct invocation *inv)
{
	struct msg_source s;
	uint32_t i;

	msg_source_of(inv->src, &s);
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

/* Pick the methods of the invoked object's kind. */
static void
dispatch(struct invocation *inv)
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
		invoke_error(inv, VG_ERR_METHOD);
		break;
	}
}

void
invoke_kernel(struct messenger *src, struct vg_cap target)
{
	struct invocation inv = { .src = src, .target = target };
	struct vg_cap src_cap = src->self;
	struct vg_cap reply_cap = VG_CAP_VOID;
	struct messenger *reply = NULL;
	uint64_t epoch;
	uint32_t i;

	read_request(&inv);
	if (inv.ncaps > 0 && as_lookup_holds(&src->reply_lookup, inv.cap[0])) {
		/* A caller replies to the same messenger call after call. */
		reply_cap = src->reply_cap;
		reply = src->reply;
	} else if (inv.ncaps > 0) {
		struct as_result r = as_walk_run(as_walk_start_cached(
		    &src->slot[VG_MESSENGER_SLOT_ASPACE], inv.cap[0],
		    AS_CACHE_LOOKUPS));

		if (r.err == VG_OK)
			reply = messenger_lookup(&r.cap);
		if (reply != NULL)
			reply_cap = r.cap;
		if (reply != NULL && r.slot != NULL) {
			as_lookup_keep(&src->reply_lookup, inv.cap[0], r.slot);
			src->reply_cap = reply_cap;
			src->reply = reply;
		}
	}
	epoch = cap_epoch;

	inv.object = object_lookup(&inv.target);
	if (inv.object == NULL)
		invoke_error(&inv, VG_ERR_VOID);
	else
		dispatch(&inv);

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
