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

bool
msg_source_cap(struct messenger *src, uint32_t i, vg_addr_t *addr,
    const struct vg_cap **value)
{
	const struct vg_message *page;

	*value = NULL;
	if (src->kflags & MSGR_KREQ) {
		if (i >= src->kreq_ncaps)
			return false;
		*value = &src->kreq_caps[i];
		return true;
	}
	if (src->kflags & MSGR_KMSG) {
		if (i >= src->kmsg_ncaps)
			return false;
		*value = &src->kmsg_caps[i];
		return true;
	}
	if (src->send_inline) {
		if (i >= src->send_ncaps)
			return false;
		*addr = src->send_cap;
		return true;
	}
	page = msg_buffer_page(src, false);
	if (page == NULL || i >= page->cap_count || i >= VG_MESSAGE_CAPS_MAX)
		return false;
	*addr = page->caps[i];
	return true;
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

vg_addr_t
msg_target_addr(struct messenger *dst, uint32_t i)
{
	struct vg_message *page = NULL;

	if (!(dst->flags & VG_MESSENGER_RECEIVE_INLINE))
		page = msg_buffer_page(dst, true);
	if (page == NULL)
		return i == 0 ? dst->inline_cap : VG_ADDR_VOID;
	return i < page->cap_count && i < VG_MESSAGE_CAPS_MAX ?
	    page->caps[i] : VG_ADDR_VOID;
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
	struct msg_source s;

	msg_source_of(src, &s);
	d->stage = DELIVERY_SOURCES;
	d->index = 0;
	d->ncaps = (uint8_t)(s.ncaps < slots ? s.ncaps : slots);
	d->cap_void = 0;
	d->dst = dst;
	/* Reserved: nobody else delivers to DST until this is done. */
	dst->flags |= VG_MESSENGER_BLOCKED;
	dst->reserved_by = src;
}

/* The walk for D's current step, started afresh. */
static struct as_result
step_walk(struct messenger *src, struct delivery *d, bool suspend)
{
	struct as_walk w;

	if (d->stage == DELIVERY_SOURCES) {
		vg_addr_t addr;
		const struct vg_cap *value;

		if (!msg_source_cap(src, d->index, &addr, &value))
			return (struct as_result){ .err = VG_ERR_ADDR };
		if (value != NULL)
			return (struct as_result){ .err = VG_OK,
			    .cap = cap_validate(*value) };
		w = as_walk_start(&src->slot[VG_MESSENGER_SLOT_ASPACE], addr);
	} else {
		vg_addr_t addr = msg_target_addr(d->dst, d->index);

		/* The root address names the receiver's own ASPACE slot,
		 * which a message must not overwrite (transfer_run refuses
		 * the other addresses that end there). */
		if (vg_addr_depth(addr) == 0)
			return (struct as_result){ .err = VG_ERR_ADDR };
		w = as_walk_start(&d->dst->slot[VG_MESSENGER_SLOT_ASPACE],
		    addr);
	}
	w.suspend = suspend;
	return as_walk_run(w);
}

bool
transfer_run(struct messenger *src, struct delivery *d,
    const struct as_result *r_in, bool stored, bool suspend,
    struct as_result *at)
{
	struct as_result r;

	for (;;) {
		if (d->index == d->ncaps) {
			if (d->stage == DELIVERY_SLOTS) {
				d->stage = DELIVERY_RESOLVED;
				return true;
			}
			d->stage = DELIVERY_SLOTS;
			d->index = 0;
			continue;
		}
		if (r_in != NULL) {
			r = *r_in;
			r_in = NULL;
		} else {
			r = step_walk(src, d, suspend);
		}

		/* Below a weak capability nothing may be stored, so no
		 * virtualizer is asked to store either. */
		if (r.err == AS_VIRTUALIZED && d->stage == DELIVERY_SLOTS &&
		    r.walk.weak)
			r.err = VG_ERR_WEAK;
		if (r.err == AS_VIRTUALIZED) {
			VG_ASSERT(suspend);
			*at = r;
			return false;
		}

		if (d->stage == DELIVERY_SOURCES) {
			d->value[d->index] = r.err == VG_OK ? r.cap :
			    VG_CAP_VOID;
			if (d->value[d->index].type == VG_TYPE_VOID)
				d->cap_void |= 1u << d->index;
		} else if (stored) {
			stored = false;
		} else if (r.err == VG_OK && r.slot != NULL && !r.weak &&
		    r.slot != &d->dst->slot[VG_MESSENGER_SLOT_ASPACE]) {
			/* Never the receiver's ASPACE slot, however the
			 * address names it: the root's guard alone ends there
			 * as the root address does, and so does a path
			 * through the receiver's own messenger. */
			cap_store(r.slot, d->value[d->index]);
		} else {
			d->cap_void |= 1u << d->index;
		}
		d->index++;
	}
}
