/*
 * Message delivery: copy a message from one messenger to another and
 * transfer its capabilities (DESIGN.md section 4).
 *
 * Delivery cannot fail as a whole.  Data is copied up to what the
 * receiver can hold; each capability that cannot be looked up in the
 * sender's space, or whose target slot cannot be found in the receiver's,
 * arrives as void and is reported in cap_void.  Everything the sender's or
 * receiver's pages say is read once into locals and clamped, so a message
 * page that user space rewrites concurrently cannot push the kernel out of
 * bounds, and a sender and receiver that share a page cannot corrupt the
 * copy.
 */
#include <stddef.h>

#include <vg/utcb.h>

#include "activation.h"
#include "as.h"
#include "capops.h"
#include "kstring.h"
#include "messenger.h"
#include "msgbuf.h"
#include "object.h"

#define INLINE_BYTES	(VG_INLINE_WORDS * sizeof(uint64_t))

/* Where a delivered message goes. */
struct msg_target {
	struct vg_message *page;		/* NULL: the inline area */
	uint32_t nslots;
	vg_addr_t addr[VG_MESSAGE_CAPS_MAX];	/* in the receiver's space */
};

/* M's buffer page, if its BUFFER slot holds a page (weak if !WRITE). */
static struct vg_message *
buffer_page(struct messenger *m, bool write)
{
	const struct vg_cap *cap = &m->slot[VG_MESSENGER_SLOT_BUFFER];

	if (cap->type != VG_TYPE_PAGE && (write || cap->type != VG_TYPE_RPAGE))
		return NULL;
	return object_lookup(cap);
}

void
msg_source_of(struct messenger *src, struct msg_source *s)
{
	struct vg_message *page;
	uint32_t i;

	s->values = NULL;
	if (src->kflags & MSGR_KMSG) {
		s->data = (const uint8_t *)src->kmsg_words;
		s->len = src->kmsg_nwords * (uint32_t)sizeof(uint64_t);
		s->ncaps = src->kmsg_ncaps;
		s->values = src->kmsg_caps;
		return;
	}
	if (src->send_inline) {
		s->data = (const uint8_t *)src->inline_words;
		s->len = src->inline_nwords * (uint32_t)sizeof(uint64_t);
		s->ncaps = src->inline_ncaps;
		s->addr[0] = src->inline_cap;
		return;
	}
	page = buffer_page(src, false);
	if (page == NULL) {
		s->data = NULL;
		s->len = s->ncaps = 0;
		return;
	}
	s->ncaps = page->cap_count;
	if (s->ncaps > VG_MESSAGE_CAPS_MAX)
		s->ncaps = VG_MESSAGE_CAPS_MAX;
	s->len = page->data_count;
	if (s->len > vg_message_data_max(s->ncaps))
		s->len = vg_message_data_max(s->ncaps);
	for (i = 0; i < s->ncaps; i++)
		s->addr[i] = page->caps[i];
	s->data = (const uint8_t *)&page->caps[s->ncaps];
}

static void
target_of(struct messenger *dst, struct msg_target *t)
{
	uint32_t i;

	t->page = NULL;
	if (!(dst->flags & VG_MESSENGER_RECEIVE_INLINE))
		t->page = buffer_page(dst, true);
	if (t->page == NULL) {
		t->nslots = vg_addr_is_void(dst->inline_cap) ? 0 : 1;
		t->addr[0] = dst->inline_cap;
		return;
	}
	t->nslots = t->page->cap_count;
	if (t->nslots > VG_MESSAGE_CAPS_MAX)
		t->nslots = VG_MESSAGE_CAPS_MAX;
	for (i = 0; i < t->nslots; i++)
		t->addr[i] = t->page->caps[i];
}

/* Capability I of the message, as the receiver is to get it. */
static struct vg_cap
source_cap(struct messenger *src, const struct msg_source *s, uint32_t i,
    bool *ok)
{
	struct as_result r;

	if (s->values != NULL) {
		struct vg_cap cap = cap_validate(s->values[i]);

		*ok = cap.type != VG_TYPE_VOID || s->values[i].type == VG_TYPE_VOID;
		return cap;
	}
	r = as_walk_run(as_walk_start(&src->slot[VG_MESSENGER_SLOT_ASPACE],
	    s->addr[i]));
	*ok = r.err == VG_OK;
	return *ok ? r.cap : VG_CAP_VOID;
}

/* Transfer the first N capabilities; returns the void-arrival bits. */
static uint32_t
transfer_caps(struct messenger *src, struct messenger *dst,
    const struct msg_source *s, const struct msg_target *t, uint32_t n)
{
	uint32_t i, cap_void = 0;

	for (i = 0; i < n; i++) {
		bool ok;
		struct vg_cap cap = source_cap(src, s, i, &ok);
		struct as_result slot = as_lookup_slot(
		    &dst->slot[VG_MESSENGER_SLOT_ASPACE], t->addr[i], true);

		if (!ok || cap.type == VG_TYPE_VOID)
			cap_void |= 1u << i;
		if (slot.err != VG_OK) {
			cap_void |= 1u << i;
			continue;
		}
		cap_store(slot.slot, cap);
	}
	return cap_void;
}

void
messenger_transfer(struct messenger *src, struct messenger *dst)
{
	struct msg_source s;
	struct msg_target t;
	uint32_t n, len;

	msg_source_of(src, &s);
	target_of(dst, &t);
	n = s.ncaps < t.nslots ? s.ncaps : t.nslots;

	/* Data first: the capabilities may rewrite either messenger. */
	if (t.page != NULL) {
		len = s.len;
		if (len > vg_message_data_max(n))
			len = vg_message_data_max(n);
		memmove(&t.page->caps[n], s.data, len);
		t.page->cap_count = (uint16_t)n;
		t.page->data_count = (uint16_t)len;
		t.page->cap_void = 0;
	} else {
		len = s.len < INLINE_BYTES ? s.len : INLINE_BYTES;
		memset(dst->inline_words, 0, INLINE_BYTES);
		memmove(dst->inline_words, s.data, len);
		dst->inline_nwords = (uint8_t)((len + 7) / 8);
		dst->inline_ncaps = (uint8_t)n;
	}
	src->kflags &= ~(uint32_t)MSGR_KMSG;
	dst->flags |= VG_MESSENGER_BLOCKED;

	n = transfer_caps(src, dst, &s, &t, n);
	if (t.page != NULL) {
		/* The page may have been replaced while storing caps. */
		struct vg_message *page = buffer_page(dst, true);

		if (page == t.page)
			page->cap_void = n;
	} else {
		dst->inline_cap_void = n;
	}

	if (dst->flags & VG_MESSENGER_ACTIVATE_ON_RECEIVE)
		activation_post(dst, VG_ACTIVATION_RECEIVED, VG_OK);
	if (src->flags & VG_MESSENGER_ACTIVATE_ON_SEND)
		activation_post(src, VG_ACTIVATION_DELIVERED, VG_OK);
}
