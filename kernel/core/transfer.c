/*
 * Moving messages (see transfer.h): where a messenger's outgoing message
 * lives (buffer page, inline area, kernel reply, virtualization request),
 * where an incoming one goes, resolving its capabilities, and the final
 * copy of a delivery.
 *
 * Delivery cannot fail as a whole.  Data is copied up to what the
 * receiver can hold; each capability that cannot be looked up in the
 * sender's space, or whose target slot cannot be found in the receiver's,
 * arrives as void and is reported in cap_void.  Everything the
 * sender's or receiver's pages say is read once into locals and clamped,
 * so a message page that user space rewrites concurrently cannot push the
 * kernel out of bounds, and a sender and receiver that share a page
 * cannot corrupt the copy.
 */
#include <stddef.h>

#include <vg/utcb.h>

#include "activation.h"
#include "as.h"
#include "capops.h"
#include "kassert.h"
#include "kstring.h"
#include "messenger_object.h"
#include "object.h"
#include "transfer.h"

#define INLINE_BYTES	((uint32_t)(VG_INLINE_WORDS * sizeof(uint64_t)))

struct vg_message *
msg_buffer_page(struct messenger *m, bool write)
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
	if (src->kflags & MSGR_KREQ) {
		s->data = (const uint8_t *)src->kreq_words;
		s->len = src->kreq_nwords * (uint32_t)sizeof(uint64_t);
		s->ncaps = src->kreq_ncaps;
		s->values = src->kreq_caps;
		return;
	}
	if (src->kflags & MSGR_KMSG) {
		s->data = (const uint8_t *)src->kmsg_words;
		s->len = src->kmsg_nwords * (uint32_t)sizeof(uint64_t);
		s->ncaps = src->kmsg_ncaps;
		s->values = src->kmsg_caps;
		return;
	}
	if (src->send_inline) {
		s->data = (const uint8_t *)src->send_words;
		s->len = src->send_nwords * (uint32_t)sizeof(uint64_t);
		s->ncaps = src->send_ncaps;
		s->addr[0] = src->send_cap;
		return;
	}
	page = msg_buffer_page(src, false);
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

void
msg_source_caps(struct messenger *src, struct msg_caps *c)
{
	const struct vg_message *page;

	c->addr = NULL;
	c->value = NULL;
	c->n = 0;
	if (src->kflags & MSGR_KREQ) {
		c->value = src->kreq_caps;
		c->n = src->kreq_ncaps;
		return;
	}
	if (src->kflags & MSGR_KMSG) {
		c->value = src->kmsg_caps;
		c->n = src->kmsg_ncaps;
		return;
	}
	if (src->send_inline) {
		c->addr = &src->send_cap;
		c->n = src->send_ncaps;
		return;
	}
	page = msg_buffer_page(src, false);
	if (page == NULL)
		return;
	c->addr = page->caps;
	c->n = page->cap_count < VG_MESSAGE_CAPS_MAX ? page->cap_count :
	    VG_MESSAGE_CAPS_MAX;
}

uint32_t
msg_target_slots(struct messenger *dst)
{
	struct vg_message *page = NULL;

	if (!(dst->flags & VG_MESSENGER_RECEIVE_INLINE))
		page = msg_buffer_page(dst, true);
	if (page == NULL)
		return vg_addr_is_void(dst->inline_cap) ? 0 : 1;
	return page->cap_count < VG_MESSAGE_CAPS_MAX ? page->cap_count :
	    VG_MESSAGE_CAPS_MAX;
}

void
msg_target_caps(struct messenger *dst, struct msg_caps *c)
{
	struct vg_message *page = NULL;

	c->value = NULL;
	if (!(dst->flags & VG_MESSENGER_RECEIVE_INLINE))
		page = msg_buffer_page(dst, true);
	if (page == NULL) {
		c->addr = &dst->inline_cap;
		c->n = 1;
		return;
	}
	c->addr = page->caps;
	c->n = page->cap_count < VG_MESSAGE_CAPS_MAX ? page->cap_count :
	    VG_MESSAGE_CAPS_MAX;
}

void
msg_commit(struct messenger *src, struct messenger *dst, uint32_t n,
    uint32_t cap_void)
{
	struct msg_source s;
	struct vg_message *page = NULL;
	bool request = (src->kflags & MSGR_KREQ) != 0;
	uint32_t len;

	msg_source_of(src, &s);
	if (!(dst->flags & VG_MESSENGER_RECEIVE_INLINE))
		page = msg_buffer_page(dst, true);
	if (page != NULL) {
		len = s.len;
		if (len > vg_message_data_max(n))
			len = vg_message_data_max(n);
		memmove(&page->caps[n], s.data, len);
		page->cap_count = (uint16_t)n;
		page->data_count = (uint16_t)len;
		page->cap_void = cap_void;
		dst->received_inline = 0;
	} else {
		/* No buffer page (or an inline receipt): what fits inline. */
		len = s.len < INLINE_BYTES ? s.len : INLINE_BYTES;
		for (uint32_t i = 0; i < VG_INLINE_WORDS; i++)
			dst->inline_words[i] = 0;
		/* Whole words as words; the source is a send area or a page,
		 * both word aligned. */
		for (uint32_t i = 0; i < len / 8; i++)
			dst->inline_words[i] =
			    ((const uint64_t *)(const void *)s.data)[i];
		if (len & 7u)
			memmove((uint8_t *)dst->inline_words + (len & ~7u),
			    s.data + (len & ~7u), len & 7u);
		dst->inline_nwords = (uint8_t)((len + 7) / 8);
		dst->inline_ncaps = (uint8_t)(n < VG_INLINE_CAPS ? n :
		    VG_INLINE_CAPS);
		dst->inline_cap_void = cap_void;
		dst->received_inline = 1;
	}
	/* What was delivered is gone: the request if one was carried (a
	 * kernel reply behind it is still on its way), else the reply. */
	src->kflags &= ~(uint32_t)(request ? MSGR_KREQ : MSGR_KMSG);
	dst->flags |= VG_MESSENGER_BLOCKED;
	dst->reserved_by = NULL;

	if (dst->flags & VG_MESSENGER_ACTIVATE_ON_RECEIVE)
		activation_post(dst, VG_ACTIVATION_RECEIVED, VG_OK);
	/* A virtualization request is the kernel's business: the thread
	 * whose send it serves hears only of the send's own outcome. */
	if (!request && (src->flags & VG_MESSENGER_ACTIVATE_ON_SEND))
		activation_post(src, VG_ACTIVATION_DELIVERED, VG_OK);
}

void
transfer_begin(struct messenger *src, struct messenger *dst,
    struct delivery *d, uint32_t slots)
{
	struct msg_caps c;

	msg_source_caps(src, &c);
	d->stage = DELIVERY_SOURCES;
	d->index = 0;
	d->ncaps = (uint8_t)(c.n < slots ? c.n : slots);
	d->cap_void = 0;
	d->dst = dst;
	/* Reserved: nobody else delivers to DST until this is done. */
	dst->flags |= VG_MESSENGER_BLOCKED;
	dst->reserved_by = src;
}

bool
transfer_run(struct messenger *src, struct delivery *d,
    const struct as_result *r_in, bool stored, bool suspend,
    struct as_result *at)
{
	struct msg_caps sources, targets;
	struct vg_cap *dst_root = &d->dst->slot[VG_MESSENGER_SLOT_ASPACE];
	struct as_memo memo;

	/* Where the addresses are, read once (the addresses themselves as
	 * each is used, as the user may rewrite them meanwhile). */
	msg_source_caps(src, &sources);
	msg_target_caps(d->dst, &targets);
	as_memo_clear(&memo);
	for (;;) {
		bool slots = d->stage == DELIVERY_SLOTS;
		const struct msg_caps *c = slots ? &targets : &sources;
		struct vg_cap *root = slots ? dst_root :
		    &src->slot[VG_MESSENGER_SLOT_ASPACE];
		unsigned i = d->index;
		struct as_result r;
		struct as_found f;
		enum vg_err err = VG_OK;
		bool walked = false;

		if (i == d->ncaps) {
			if (slots) {
				d->stage = DELIVERY_RESOLVED;
				return true;
			}
			d->stage = DELIVERY_SLOTS;
			d->index = 0;
			as_memo_clear(&memo);
			continue;
		}
		if (r_in != NULL) {
			r = *r_in;
			r_in = NULL;
			walked = true;
		} else if (i >= c->n) {
			err = VG_ERR_ADDR;
		} else if (c->value != NULL) {
			f.cap = cap_validate(c->value[i]);
			f.slot = NULL;	/* (sources only: never stored to) */
		} else if (slots && vg_addr_depth(c->addr[i]) == 0) {
			/* The root address names the receiver's own ASPACE
			 * slot, which a message must not overwrite (and void
			 * names nothing). */
			err = VG_ERR_ADDR;
		} else if (!as_memo_walk(root, c->addr[i], &memo, &f, !slots) &&
		    !as_walk_straight(root, c->addr[i], &memo, &f, !slots)) {
			/* Anything unusual: the reference walk says what. */
			struct as_walk w = as_walk_start(root, c->addr[i]);

			w.suspend = suspend;
			r = as_walk_run(w);
			walked = true;
		}
		if (walked) {
			/* Below a weak capability nothing may be stored, so
			 * no virtualizer is asked to store either. */
			if (r.err == AS_VIRTUALIZED && slots && r.walk.weak)
				r.err = VG_ERR_WEAK;
			if (r.err == AS_VIRTUALIZED) {
				VG_ASSERT(suspend);
				*at = r;
				return false;
			}
			err = r.err;
			f.cap = r.cap;
			f.slot = r.slot;
			f.weak = r.weak;
		}

		if (!slots) {
			d->value[i] = err == VG_OK ? f.cap : VG_CAP_VOID;
			if (d->value[i].type == VG_TYPE_VOID)
				d->cap_void |= 1u << i;
		} else if (stored) {
			stored = false;
		} else if (err == VG_OK && f.slot != NULL && !f.weak &&
		    f.slot != dst_root) {
			/* Never the receiver's ASPACE slot, however the
			 * address names it: the root's guard alone ends there
			 * as the root address does, and so does a path
			 * through the receiver's own messenger. */
			cap_store(f.slot, d->value[i]);
			as_memo_slot_changed(&memo, f.slot);
		} else {
			d->cap_void |= 1u << i;
		}
		d->index++;
	}
}
