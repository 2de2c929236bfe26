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

/*
 * The slots a delivery stored into and has not yet told the caches about:
 * one contiguous run, told with one call (cache_slots_changed) when the
 * next store falls elsewhere or the run of the delivery ends.  Nothing in
 * between reads a cached translation.
 */
struct stored_run {
	struct vg_cap *lo, *hi;		/* [lo, hi); empty if lo == hi */
};

static void
stored_flush(struct stored_run *s)
{
	if (s->lo != s->hi)
		cache_slots_changed(s->lo,
		    (size_t)((uint8_t *)s->hi - (uint8_t *)s->lo));
	s->lo = s->hi = NULL;
}

/* *FROM to *TO as two words (a struct copy is built field by field). */
static inline void
cap_move(struct vg_cap *to, const struct vg_cap *from)
{
	cap_word_t *t = (cap_word_t *)(void *)to;
	const cap_word_t *f = (const cap_word_t *)(const void *)from;

	t[0] = f[0];
	t[1] = f[1];
}

/* Store *CAP into SLOT as cap_store does, telling the caches later. */
static inline void
stored_put(struct stored_run *s, struct vg_cap *slot, const struct vg_cap *cap)
{
	static const struct vg_cap none = VG_CAP_VOID;
	uint32_t guard = slot->guard;
	uint8_t depth = slot->guard_depth;

	cap_move(slot, cap->type == VG_TYPE_VOID ? &none : cap);
	slot->guard = guard;
	slot->guard_depth = depth;
	if (slot != s->hi) {
		stored_flush(s);
		s->lo = slot;
	}
	s->hi = slot + 1;
}

/* The reference walk of ADDR from ROOT, for anything unusual. */
static struct as_result
general_walk(struct vg_cap *root, vg_addr_t addr, bool suspend)
{
	struct as_walk w = as_walk_start(root, addr);

	w.suspend = suspend;
	return as_walk_run(w);
}

/*
 * Target slot I of D gets D's value I (R: where its address led), or
 * arrives void.  Never the receiver's ASPACE slot, however the address
 * names it: the root's guard alone ends there as the root address does,
 * and so does a path through the receiver's own messenger.
 */
static inline void
target_put(struct delivery *d, unsigned i, enum vg_err err,
    const struct as_found *f, struct stored_run *s, struct as_memo *memo)
{
	struct vg_cap *dst_root = &d->dst->slot[VG_MESSENGER_SLOT_ASPACE];

	if (err == VG_OK && f->slot != NULL && !f->weak && f->slot != dst_root) {
		stored_put(s, f->slot, &d->value[i]);
		as_memo_slot_changed(memo, f->slot);
	} else {
		d->cap_void |= 1u << i;
	}
}

/* Source capability I of D is CAP (void if it failed). */
static inline void
source_put(struct delivery *d, unsigned i, struct vg_cap cap)
{
	d->value[i] = cap;
	if (cap.type == VG_TYPE_VOID)
		d->cap_void |= 1u << i;
}

/*
 * Two loops, the sources and then the target slots, each walking its
 * addresses straight through the memo (as.h) while nothing is unusual, so
 * that the consecutive slots of one cappage cost one index each; anything
 * else goes to the reference walk, which may suspend.
 */
bool
transfer_run(struct messenger *src, struct delivery *d,
    const struct as_result *r_in, bool stored, bool suspend,
    struct as_result *at)
{
	struct msg_caps sources, targets;
	struct vg_cap *src_root = &src->slot[VG_MESSENGER_SLOT_ASPACE];
	struct vg_cap *dst_root = &d->dst->slot[VG_MESSENGER_SLOT_ASPACE];
	struct stored_run run = { NULL, NULL };
	struct as_memo memo;
	struct as_memo_fast q;
	struct as_result r;
	struct as_found f;
	struct vg_cap *slot;
	unsigned i, n = d->ncaps;

	/* Where the addresses are, read once (the addresses themselves as
	 * each is used, as the user may rewrite them meanwhile). */
	msg_source_caps(src, &sources);
	msg_target_caps(d->dst, &targets);
	as_memo_clear(&memo);
	as_memo_fast_load(&q, &memo);
	i = d->index;
	if (r_in != NULL) {
		/* The current step, as a virtualizer's answer ended it. */
		r = *r_in;
		goto walked;
	}

	for (;;) {
		if (d->stage == DELIVERY_SOURCES) {
			for (; i < n; i++) {
				vg_addr_t a;

				if (i >= sources.n) {
					source_put(d, i, VG_CAP_VOID);
					continue;
				}
				if (sources.value != NULL) {
					source_put(d, i,
					    cap_validate(sources.value[i]));
					continue;
				}
				a = sources.addr[i];
				slot = as_memo_fast_slot(&q, a);
				if (slot != NULL && !q.weak &&
				    object_frame(slot) != NULL) {
					/* Valid, as it is. */
					cap_move(&d->value[i], slot);
					continue;
				}
				if (slot != NULL) {
					source_put(d, i,
					    as_found_cap(slot, q.weak != 0));
					continue;
				}
				if (as_walk_straight(src_root, a, &memo, &f,
				    true)) {
					if (i + 1 < n)	/* (more to come) */
						as_memo_fast_load(&q, &memo);
					source_put(d, i, f.cap);
					continue;
				}
				r = general_walk(src_root, a, suspend);
				goto walked;
			}
			d->stage = DELIVERY_SLOTS;
			i = 0;
			as_memo_clear(&memo);
			as_memo_fast_load(&q, &memo);
		}
		for (; i < n; i++) {
			vg_addr_t a;

			if (i >= targets.n) {
				d->cap_void |= 1u << i;
				continue;
			}
			a = targets.addr[i];
			if (vg_addr_depth(a) == 0) {
				/* The root address names the receiver's own
				 * ASPACE slot, which a message must not
				 * overwrite (and void names nothing). */
				d->cap_void |= 1u << i;
				continue;
			}
			slot = as_memo_fast_slot(&q, a);
			if (slot != NULL) {
				/* (Never the receiver's ASPACE slot: see
				 * target_put.) */
				if (q.weak || slot == dst_root) {
					d->cap_void |= 1u << i;
					continue;
				}
				stored_put(&run, slot, &d->value[i]);
				if (q.inside) {
					as_memo_slot_changed(&memo, slot);
					as_memo_fast_load(&q, &memo);
				}
				continue;
			}
			if (as_walk_straight(dst_root, a, &memo, &f, false)) {
				target_put(d, i, VG_OK, &f, &run, &memo);
				if (i + 1 < n)
					as_memo_fast_load(&q, &memo);
				continue;
			}
			r = general_walk(dst_root, a, suspend);
			goto walked;
		}
		stored_flush(&run);
		d->stage = DELIVERY_RESOLVED;
		d->index = (uint8_t)i;
		return true;

walked:
		/* Step I ended in the reference walk R. */
		if (d->stage == DELIVERY_SLOTS) {
			/* Below a weak capability nothing may be stored, so
			 * no virtualizer is asked to store either. */
			if (r.err == AS_VIRTUALIZED && r.walk.weak)
				r.err = VG_ERR_WEAK;
		}
		if (r.err == AS_VIRTUALIZED) {
			VG_ASSERT(suspend);
			stored_flush(&run);
			d->index = (uint8_t)i;
			*at = r;
			return false;
		}
		if (d->stage == DELIVERY_SOURCES) {
			source_put(d, i, r.err == VG_OK ? r.cap : VG_CAP_VOID);
		} else if (stored) {
			stored = false;
		} else {
			f.slot = r.slot;
			f.weak = r.weak;
			target_put(d, i, r.err, &f, &run, &memo);
			if (i + 1 < n)
				as_memo_fast_load(&q, &memo);
		}
		i++;
	}
}
