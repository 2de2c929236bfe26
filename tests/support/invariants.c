/*
 * The kernel's structural invariants (see invariants.h).
 *
 * Every check starts from an object that is alive (its folio slot holds
 * an object of its type) and never follows a link before checking that
 * the link lands on a live object of the right type, so a corrupt kernel
 * state is reported rather than crashing the checker.  Lists are walked
 * with a bound, so a cycle is reported too.
 *
 * Per-object checks see one list at a time; totals gathered on the way
 * then show that every object that names a list (a sender's target, a
 * messenger's act_thread, an asker's cont.asked) is on exactly that one.
 */
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include <vg/method.h>

#include "activity.h"
#include "folio.h"
#include "hosted.h"
#include "irq.h"
#include "messenger.h"
#include "reclaim.h"
#include "storage.h"
#include "thread.h"

#include "invariants.h"

static char why[512];

static const char *fail(const char *fmt, ...)
    __attribute__((format(printf, 1, 2)));

static const char *
fail(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(why, sizeof(why), fmt, ap);
	va_end(ap);
	return why;
}

#define CHECK(expr)                                                     \
	do {                                                            \
		const char *why_ = (expr);                              \
		if (why_ != NULL)                                       \
			return why_;                                    \
	} while (0)

/* What the walk adds up, to compare lists with the links into them. */
struct totals {
	uint64_t queued_named;		/* messengers with a target */
	uint64_t queued_listed;		/* entries on wait queues */
	uint64_t act_named;		/* messengers with an act_thread */
	uint64_t act_listed;		/* entries on activation queues */
	uint64_t awaiting;		/* messengers awaiting an answer */
	uint64_t askers_listed;		/* entries on asker lists */
	uint64_t folios_in_use;
	uint64_t folios_listed;		/* entries on activities' lists */
	uint64_t folios_doomed;		/* in use, but the reaper's */
	uint64_t folios_reaping;	/* marked as on the reaper's stack */
};

static uint64_t
window_bytes(void)
{
	return (uint64_t)storage_nchunks * FOLIO_FRAMES * FRAME_SIZE;
}

/* The id of the frame P points at; UINT32_MAX if P is no frame start. */
static uint32_t
frame_oid(const void *p)
{
	uintptr_t base = (uintptr_t)storage_base, q = (uintptr_t)p;

	if (q < base || q - base >= window_bytes() ||
	    (q - base) % FRAME_SIZE != 0)
		return UINT32_MAX;
	return (uint32_t)((q - base) / FRAME_SIZE);
}

/* What P's folio slot holds now: its type, or -1 if P is not the frame
 * of a folio slot (outside the window, misaligned, a folio header). */
static int
frame_type(const void *p)
{
	uint32_t oid = frame_oid(p);
	struct folio *f;
	int i;

	if (oid == UINT32_MAX)
		return -1;
	i = storage_owner_index(oid);
	if (i < 0)
		return -1;
	f = storage_owner(oid);
	if (!f->in_use)
		return VG_TYPE_VOID;
	return f->object[i].type;
}

static bool
is_live(const void *p, enum vg_type type)
{
	return frame_type(p) == (int)type;
}

/* True if P is the header of a folio (in use or not). */
static bool
is_folio_header(const void *p)
{
	uint32_t oid = frame_oid(p);

	return oid != UINT32_MAX && oid % FOLIO_FRAMES == 0;
}

static const char *
type_name(int type)
{
	static const char *const names[VG_TYPE_COUNT] = {
		"void", "page", "rpage", "cappage", "rcappage", "folio",
		"activity", "thread", "messenger", "rmessenger", "console",
		"power", "irq_control", "irq", "ioport_control", "ioport",
		"devmem_control", "devmem", "dma_control",
	};

	if (type < 0)
		return "no object frame";
	if (type >= VG_TYPE_COUNT)
		return "a bad type";
	return names[type];
}

/* A sender on a wait queue: a messenger, or the messenger that carries
 * an interrupt object's message at the start of its frame (irq.h).
 * As check_link's TYPE: either. */
#define SENDER	VG_TYPE_COUNT

static bool
is_sender(const void *p)
{
	int t = frame_type(p);

	return t == VG_TYPE_MESSENGER || t == VG_TYPE_IRQ;
}

/* The link WHAT of object ID (an OWNER) is NULL or a live TYPE. */
static const char *
check_link(const char *owner, uint32_t id, const char *what, const void *p,
    enum vg_type type)
{
	int t;

	if (p == NULL)
		return NULL;
	t = frame_type(p);
	if (t == (int)type || (type == SENDER && is_sender(p)))
		return NULL;
	return fail("%s %u: %s points at frame %u, which holds %s, not a %s "
	    "(a destroyed object is still reachable)", owner, id, what,
	    frame_oid(p), type_name(t), type_name(type));
}

/* The oid of P for messages, or 0 for NULL. */
static uint32_t
oid_or_0(const void *p)
{
	return p == NULL ? 0 : frame_oid(p);
}

static bool
delivering(const struct messenger *m)
{
	return m->cont.phase == CONT_DELIVERY;
}

/* Bound on any list: there cannot be more objects than frames. */
static uint64_t
list_bound(void)
{
	return (uint64_t)storage_nchunks * VG_FOLIO_OBJECTS;
}

static const char *
check_messenger_links(const struct messenger *m, uint32_t id)
{
	const struct continuation *c = &m->cont;
	static const char me[] = "messenger";

	CHECK(check_link(me, id, "waiters.head", m->waiters.head, SENDER));
	CHECK(check_link(me, id, "waiters.tail", m->waiters.tail, SENDER));
	CHECK(check_link(me, id, "target", m->target, VG_TYPE_MESSENGER));
	CHECK(check_link(me, id, "wait_link.next", m->wait_link.next, SENDER));
	CHECK(check_link(me, id, "wait_link.prev", m->wait_link.prev, SENDER));
	CHECK(check_link(me, id, "act_thread", m->act_thread,
	    VG_TYPE_THREAD));
	CHECK(check_link(me, id, "act_link.next", m->act_link.next, VG_TYPE_MESSENGER));
	CHECK(check_link(me, id, "act_link.prev", m->act_link.prev, VG_TYPE_MESSENGER));
	CHECK(check_link(me, id, "reserved_by", m->reserved_by,
	    VG_TYPE_MESSENGER));
	CHECK(check_link(me, id, "askers.head", m->askers.head,
	    VG_TYPE_MESSENGER));
	CHECK(check_link(me, id, "askers.tail", m->askers.tail,
	    VG_TYPE_MESSENGER));
	CHECK(check_link(me, id, "cont.delivery.dst", c->delivery.dst,
	    VG_TYPE_MESSENGER));
	CHECK(check_link(me, id, "cont.asked", c->asked, VG_TYPE_MESSENGER));
	CHECK(check_link(me, id, "cont.asked_link.next", c->asked_link.next,
	    VG_TYPE_MESSENGER));
	CHECK(check_link(me, id, "cont.asked_link.prev", c->asked_link.prev,
	    VG_TYPE_MESSENGER));
	CHECK(check_link(me, id, "cont.thread", c->thread, VG_TYPE_THREAD));
	return NULL;
}

/* True if the object at FRAME is destroyed and waits for the reaper. */
static bool
slot_dying(const void *frame)
{
	uint32_t oid = frame_oid(frame);
	const struct folio *f = storage_owner(oid);

	return f->doomed || f->object[storage_owner_index(oid)].dying;
}

/* The senders queued on M. */
static const char *
check_wait_queue(const struct messenger *m, uint32_t id, struct totals *tot)
{
	const struct messenger *s, *prev = NULL;
	uint32_t n = 0;

	for (s = m->waiters.head; s != NULL; prev = s, s = s->wait_link.next) {
		uint32_t sid = frame_oid(s);

		if (!is_sender(s))
			return fail("messenger %u: its wait queue holds frame "
			    "%u, which holds %s", id, sid,
			    type_name(frame_type(s)));
		if (++n > m->wait_count)
			return fail("messenger %u: its wait queue holds more "
			    "than wait_count (%u) senders, or loops", id,
			    m->wait_count);
		if (s->target != m)
			return fail("messenger %u: sender %u on its wait queue "
			    "names %u as its target", id, sid,
			    oid_or_0(s->target));
		if (s->wait_link.prev != prev)
			return fail("messenger %u: sender %u's wait_link.prev is %u, "
			    "not %u", id, sid, oid_or_0(s->wait_link.prev),
			    oid_or_0(prev));
		if (!(s->flags & VG_MESSENGER_QUEUED))
			return fail("messenger %u: sender %u is on its wait "
			    "queue without VG_MESSENGER_QUEUED", id, sid);
	}
	if (m->waiters.tail != prev)
		return fail("messenger %u: waiters.tail is %u, the last sender is "
		    "%u", id, oid_or_0(m->waiters.tail), oid_or_0(prev));
	if (n != m->wait_count)
		return fail("messenger %u: wait_count is %u, its queue holds %u",
		    id, m->wait_count, n);
	/* Senders wait on an unblocked messenger only while its own send
	 * is pending (messenger.h), or while it is dying: the reaper tells
	 * them one per step. */
	if (!(m->flags & VG_MESSENGER_BLOCKED) && n != 0 &&
	    !messenger_message_pending(m) && !slot_dying(m))
		return fail("messenger %u is unblocked, sends nothing, and has "
		    "%u senders queued", id, n);
	if (m->on_reopen)
		return fail("messenger %u is left on the reopen list", id);
	tot->queued_listed += n;
	return NULL;
}

/* The messengers awaiting M's answer as a virtualizer. */
static const char *
check_askers(const struct messenger *m, uint32_t id, struct totals *tot)
{
	const struct messenger *a, *prev = NULL;
	uint64_t n = 0;

	for (a = m->askers.head; a != NULL; prev = a, a = a->cont.asked_link.next) {
		uint32_t aid = frame_oid(a);

		if (!is_live(a, VG_TYPE_MESSENGER))
			return fail("messenger %u: its asker list holds frame "
			    "%u, which holds %s", id, aid,
			    type_name(frame_type(a)));
		if (++n > list_bound())
			return fail("messenger %u: its asker list loops", id);
		if (a->cont.asked != m)
			return fail("messenger %u: asker %u on its list names "
			    "%u as the virtualizer it asked", id, aid,
			    oid_or_0(a->cont.asked));
		if (a->cont.asked_link.prev != prev)
			return fail("messenger %u: asker %u's asked_link.prev is %u, "
			    "not %u", id, aid, oid_or_0(a->cont.asked_link.prev),
			    oid_or_0(prev));
		if (!a->cont.awaiting)
			return fail("messenger %u: asker %u is on its list but "
			    "awaits no answer", id, aid);
	}
	if (m->askers.tail != prev)
		return fail("messenger %u: askers.tail is %u, the last asker is "
		    "%u", id, oid_or_0(m->askers.tail), oid_or_0(prev));
	tot->askers_listed += n;
	return NULL;
}

/* M's own suspended work, and the delivery it is reserved for. */
static const char *
check_continuation(const struct messenger *m, uint32_t id,
    struct totals *tot)
{
	const struct continuation *c = &m->cont;

	if (c->phase > CONT_FAULT)
		return fail("messenger %u: continuation phase %u is no phase",
		    id, c->phase);
	if (c->phase == CONT_NONE) {
		if (c->awaiting || c->delivery.dst != NULL || c->thread != NULL ||
		    c->asked != NULL || c->asked_link.next != NULL ||
		    c->asked_link.prev != NULL)
			return fail("messenger %u has no work in progress but a "
			    "continuation that is not clear (awaiting %u, dst "
			    "%u, thread %u, asked %u)", id, c->awaiting,
			    oid_or_0(c->delivery.dst), oid_or_0(c->thread),
			    oid_or_0(c->asked));
	} else if (!c->awaiting) {
		/* Work only rests in the kernel while a request is out. */
		return fail("messenger %u: work in progress (phase %u) but no "
		    "request out, so nothing will ever resume it", id,
		    c->phase);
	}
	if (c->awaiting) {
		tot->awaiting++;
		if (c->asked == NULL)
			return fail("messenger %u awaits an answer but is on no "
			    "virtualizer's asker list", id);
	}
	if (m->kflags & MSGR_KREQ) {
		if (!c->awaiting)
			return fail("messenger %u carries a request (MSGR_KREQ) "
			    "but awaits no answer", id);
		if (m->target != c->asked)
			return fail("messenger %u carries a request for %u but "
			    "is queued on %u", id, oid_or_0(c->asked),
			    oid_or_0(m->target));
	} else if (c->awaiting && m->target != NULL) {
		return fail("messenger %u awaits an answer to a request that "
		    "was delivered, yet is queued on %u", id,
		    oid_or_0(m->target));
	}
	if (m->kflags & ~(uint32_t)(MSGR_KMSG | MSGR_KREQ))
		return fail("messenger %u: unknown kflags %#x", id, m->kflags);

	if (delivering(m)) {
		if (c->delivery.dst == NULL)
			return fail("messenger %u is delivering (phase %u) to no "
			    "receiver", id, c->phase);
		if (c->delivery.dst->reserved_by != m)
			return fail("messenger %u is delivering to %u, which is "
			    "reserved by %u", id, oid_or_0(c->delivery.dst),
			    oid_or_0(c->delivery.dst->reserved_by));
		if (c->delivery.ncaps > VG_MESSAGE_CAPS_MAX ||
		    c->delivery.index > c->delivery.ncaps ||
		    c->delivery.stage > DELIVERY_SLOTS)
			return fail("messenger %u: delivering capability %u of "
			    "%u (stage %u)", id, c->delivery.index,
			    c->delivery.ncaps, c->delivery.stage);
	} else if (c->delivery.dst != NULL) {
		return fail("messenger %u names receiver %u outside a delivery "
		    "(phase %u)", id, oid_or_0(c->delivery.dst), c->phase);
	}
	if (c->phase == CONT_FAULT) {
		if (c->thread == NULL)
			return fail("messenger %u resolves the fault of no "
			    "thread", id);
		if (c->thread->fault_messenger != m)
			return fail("messenger %u resolves the fault of thread "
			    "%u, whose fault_messenger is %u", id,
			    oid_or_0(c->thread),
			    oid_or_0(c->thread->fault_messenger));
		if (c->thread->state != VG_THREAD_FAULTED)
			return fail("messenger %u resolves the fault of thread "
			    "%u, which is in state %u, not FAULTED", id,
			    oid_or_0(c->thread), c->thread->state);
	} else if (c->thread != NULL) {
		return fail("messenger %u names thread %u outside a fault "
		    "(phase %u)", id, oid_or_0(c->thread), c->phase);
	}

	if (m->reserved_by != NULL) {
		const struct messenger *s = m->reserved_by;

		if (s->cont.delivery.dst != m)
			return fail("messenger %u is reserved by %u, which "
			    "delivers to %u", id, oid_or_0(s),
			    oid_or_0(s->cont.delivery.dst));
		if (!delivering(s))
			return fail("messenger %u is reserved by %u, which is "
			    "not delivering (phase %u)", id, oid_or_0(s),
			    s->cont.phase);
		if (!(m->flags & VG_MESSENGER_BLOCKED))
			return fail("messenger %u is reserved by %u but "
			    "unblocked", id, oid_or_0(s));
	}
	/* A kernel message in no queue and no delivery goes nowhere, and
	 * keeps its messenger busy for ever. */
	if ((m->kflags & MSGR_KMSG) && m->target == NULL && !delivering(m))
		return fail("messenger %u carries a kernel message that is "
		    "neither queued nor being delivered", id);
	return NULL;
}

static const char *
check_messenger(const struct messenger *m, struct totals *tot)
{
	uint32_t id = frame_oid(m);

	CHECK(check_messenger_links(m, id));
	CHECK(check_wait_queue(m, id, tot));
	if ((m->target != NULL) != ((m->flags & VG_MESSENGER_QUEUED) != 0))
		return fail("messenger %u: VG_MESSENGER_QUEUED is %s but its "
		    "target is %u", id,
		    (m->flags & VG_MESSENGER_QUEUED) ? "set" : "clear",
		    oid_or_0(m->target));
	if (m->target != NULL)
		tot->queued_named++;
	if (m->act_thread != NULL)
		tot->act_named++;
	CHECK(check_askers(m, id, tot));
	CHECK(check_continuation(m, id, tot));
	return NULL;
}

static const char *
check_thread(const struct thread *t, struct totals *tot)
{
	uint32_t id = frame_oid(t);
	const struct messenger *m, *prev = NULL;
	const struct messenger *fm = t->fault_messenger;
	uint32_t n = 0;

	CHECK(check_link("thread", id, "acts.head", t->acts.head,
	    VG_TYPE_MESSENGER));
	CHECK(check_link("thread", id, "acts.tail", t->acts.tail,
	    VG_TYPE_MESSENGER));
	CHECK(check_link("thread", id, "fault_messenger", fm,
	    VG_TYPE_MESSENGER));
	if (t->paying != storage_owner(id)->activity)
		return fail("thread %u: charged to an activity its folio is "
		    "not charged to", id);

	for (m = t->acts.head; m != NULL; prev = m, m = m->act_link.next) {
		uint32_t mid = frame_oid(m);

		if (!is_live(m, VG_TYPE_MESSENGER))
			return fail("thread %u: its activation queue holds "
			    "frame %u, which holds %s", id, mid,
			    type_name(frame_type(m)));
		if (++n > t->act_count)
			return fail("thread %u: its activation queue holds more "
			    "than act_count (%u), or loops", id, t->act_count);
		if (m->act_thread != t)
			return fail("thread %u: messenger %u on its activation "
			    "queue names thread %u", id, mid,
			    oid_or_0(m->act_thread));
		if (m->act_link.prev != prev)
			return fail("thread %u: messenger %u's act_link.prev is %u, "
			    "not %u", id, mid, oid_or_0(m->act_link.prev),
			    oid_or_0(prev));
	}
	if (t->acts.tail != prev)
		return fail("thread %u: acts.tail is %u, the last entry is %u",
		    id, oid_or_0(t->acts.tail), oid_or_0(prev));
	if (n != t->act_count)
		return fail("thread %u: act_count is %u, its queue holds %u",
		    id, t->act_count, n);
	tot->act_listed += n;

	if (t->state > VG_THREAD_FAULTED)
		return fail("thread %u: state %u is no state", id, t->state);
	if ((t->state == VG_THREAD_FAULTED) != (fm != NULL))
		return fail("thread %u is in state %u with fault_messenger %u",
		    id, t->state, oid_or_0(fm));
	if (fm != NULL && (fm->cont.phase != CONT_FAULT ||
	    fm->cont.thread != t))
		return fail("thread %u: its fault_messenger %u is in phase %u "
		    "for thread %u", id, oid_or_0(fm), fm->cont.phase,
		    oid_or_0(fm->cont.thread));
	return NULL;
}

static const char *
check_activity(const struct activity *a, struct totals *tot)
{
	uint32_t id = frame_oid(a);
	const struct folio *f, *prev = NULL;
	uint32_t n = 0;

	CHECK(check_link("activity", id, "parent", a->parent,
	    VG_TYPE_ACTIVITY));
	for (unsigned p = 0; p < SCHED_PRIORITIES; p++)
		if ((a->sched.threads[p].head != NULL) !=
		    ((a->sched.threads_mask >> p) & 1))
			return fail("activity %u: threads_mask says queue %u "
			    "is%s empty", id, p,
			    a->sched.threads[p].head != NULL ? "" : " not");
	for (f = a->folios.head; f != NULL; prev = f, f = f->link.next) {
		if (!is_folio_header(f))
			return fail("activity %u: its folio list holds frame "
			    "%u, which is no folio", id, frame_oid(f));
		if (++n > a->nfolios)
			return fail("activity %u: its folio list holds more "
			    "than nfolios (%u), or loops", id, a->nfolios);
		/* A freed folio stays on the list, charged, until the
		 * reaper has its frames back. */
		if (!f->in_use || f->activity != a || f->link.prev != prev)
			return fail("activity %u: folio %u on its list is %s, "
			    "charged to %u, prev %u", id, frame_oid(f),
			    !f->in_use ? "free" : f->doomed ? "doomed" :
			    "in use", oid_or_0(f->activity),
			    oid_or_0(f->link.prev));
	}
	if (a->folios.tail != prev)
		return fail("activity %u: its folio list ends at %u, its tail "
		    "is %u", id, oid_or_0(prev), oid_or_0(a->folios.tail));
	if (n != a->nfolios)
		return fail("activity %u: nfolios is %u, its list holds %u", id,
		    a->nfolios, n);
	tot->folios_listed += n;
	return NULL;
}

/* An interrupt object: its line's, and its carrier sends only while it
 * carries its message (irq.h). */
static const char *
check_irq(const struct irq *q, struct totals *tot)
{
	const struct messenger *c = &q->carrier;
	uint32_t id = frame_oid(q);

	if (irq_of_line(q->line) != q)
		return fail("interrupt object %u: line %u's table entry is "
		    "frame %u", id, q->line, oid_or_0(irq_of_line(q->line)));
	CHECK(check_link("interrupt object", id, "carrier.target", c->target,
	    VG_TYPE_MESSENGER));
	CHECK(check_link("interrupt object", id, "carrier.wait_link.next",
	    c->wait_link.next, SENDER));
	CHECK(check_link("interrupt object", id, "carrier.wait_link.prev",
	    c->wait_link.prev, SENDER));
	if ((c->target != NULL) != ((c->kflags & MSGR_KMSG) != 0) ||
	    (c->kflags & ~(uint32_t)MSGR_KMSG) != 0 || c->act_thread != NULL ||
	    c->cont.phase != CONT_NONE || c->waiters.head != NULL)
		return fail("interrupt object %u: its carrier is queued on %u "
		    "with kflags %x", id, oid_or_0(c->target), c->kflags);
	if (c->target != NULL) {
		tot->queued_named++;
		/* UNBIND withdraws it first; a destroyed receiver drops it
		 * when the reaper comes to it. */
		if (object_lookup(&q->bound) != c->target &&
		    !slot_dying(c->target))
			return fail("interrupt object %u: its message waits on "
			    "%u, not on the messenger it is bound to", id,
			    oid_or_0(c->target));
	}
	if (!q->masked && hosted_irq_masked(q->line))
		return fail("interrupt object %u: line %u is masked, the "
		    "object says not", id, q->line);
	if (q->masked && !hosted_irq_masked(q->line))
		return fail("interrupt object %u: line %u is let through, "
		    "the object says masked", id, q->line);
	return NULL;
}

static const char *
check_object(void *frame, int type, struct totals *tot)
{
	switch (type) {
	case VG_TYPE_IRQ:
		return check_irq(frame, tot);
	case VG_TYPE_MESSENGER:
		return check_messenger(frame, tot);
	case VG_TYPE_THREAD:
		return check_thread(frame, tot);
	case VG_TYPE_ACTIVITY:
		return check_activity(frame, tot);
	default:
		return NULL;
	}
}

typedef const char *(*visit_fn)(void *frame, int type, struct totals *tot);

/* Call FN for every live object in storage, until one fails. */
static const char *
walk_storage(visit_fn fn, struct totals *tot)
{
	uint32_t chunk, i;

	for (chunk = 0; chunk < storage_nchunks; chunk++) {
		struct folio *f = storage_frame(chunk * FOLIO_FRAMES);

		if (!f->in_use)
			continue;
		for (i = 0; i < VG_FOLIO_OBJECTS; i++) {
			int type = f->object[i].type;

			if (type == VG_TYPE_VOID)
				continue;
			if (type >= VG_TYPE_COUNT || vg_type_is_weak(type) ||
			    type == VG_TYPE_FOLIO)
				return fail("folio %u: slot %u holds type %d",
				    storage_oid(f), i, type);
			/* The kernel's console, power and device controls,
			 * made once. */
			if ((type == VG_TYPE_CONSOLE && (chunk != 0 ||
			    i != FOLIO_BOOT_CONSOLE)) ||
			    (type == VG_TYPE_POWER && (chunk != 0 ||
			    i != FOLIO_BOOT_POWER)) ||
			    (type == VG_TYPE_IRQ_CONTROL && (chunk != 0 ||
			    i != FOLIO_BOOT_IRQ_CONTROL)) ||
			    (type == VG_TYPE_IOPORT_CONTROL && (chunk != 0 ||
			    i != FOLIO_BOOT_IOPORT_CONTROL)) ||
			    (type == VG_TYPE_DEVMEM_CONTROL && (chunk != 0 ||
			    i != FOLIO_BOOT_DEVMEM_CONTROL)) ||
			    (type == VG_TYPE_DMA_CONTROL && (chunk != 0 ||
			    i != FOLIO_BOOT_DMA_CONTROL)))
				return fail("folio %u: slot %u holds a %s",
				    storage_oid(f), i, type_name(type));
			/* The frame by arithmetic (storage.h), as the core
			 * finds it. */
			CHECK(fn(storage_frame(storage_oid(f) + 1 + i), type,
			    tot));
		}
	}
	return NULL;
}

/* The second pass, once totals disagree: find who names a list it is
 * not on. */
static const char *
find_unlisted(void *frame, int type, struct totals *tot)
{
	const struct messenger *m = frame, *s;
	uint32_t id = frame_oid(frame);

	(void)tot;
	if (type != VG_TYPE_MESSENGER)
		return NULL;
	if (m->target != NULL) {
		for (s = m->target->waiters.head; s != NULL && s != m;
		    s = s->wait_link.next)
			;
		if (s == NULL)
			return fail("messenger %u names %u as its target but is "
			    "not on its wait queue", id, oid_or_0(m->target));
	}
	if (m->act_thread != NULL) {
		for (s = m->act_thread->acts.head; s != NULL && s != m;
		    s = s->act_link.next)
			;
		if (s == NULL)
			return fail("messenger %u names thread %u but is not on "
			    "its activation queue", id,
			    oid_or_0(m->act_thread));
	}
	if (m->cont.awaiting && m->cont.asked != NULL) {
		for (s = m->cont.asked->askers.head; s != NULL && s != m;
		    s = s->cont.asked_link.next)
			;
		if (s == NULL)
			return fail("messenger %u awaits an answer from %u but "
			    "is not on its asker list", id,
			    oid_or_0(m->cont.asked));
	}
	return NULL;
}

static const char *
check_folios(struct totals *tot)
{
	uint32_t chunk;

	for (chunk = 0; chunk < storage_nchunks; chunk++) {
		struct folio *f = storage_frame(chunk * FOLIO_FRAMES);

		if (f->reaping)
			tot->folios_reaping++;
		if (!f->in_use) {
			if (f->reaping || f->doomed)
				return fail("folio %u is free but the "
				    "reaper's", storage_oid(f));
			continue;
		}
		tot->folios_in_use++;
		/* Freed, its objects being reclaimed: on the reaper's
		 * stack, and still on its activity's list, charged. */
		if (f->doomed) {
			tot->folios_doomed++;
			if (!f->reaping)
				return fail("folio %u is doomed but not on the "
				    "reaper's stack", storage_oid(f));
		}
		if (!is_live(f->activity, VG_TYPE_ACTIVITY))
			return fail("folio %u is charged to frame %u, which "
			    "holds %s", storage_oid(f), oid_or_0(f->activity),
			    f->activity == NULL ? "nothing" :
			    type_name(frame_type(f->activity)));
	}
	return NULL;
}

/* The reaper's stack (reclaim.h) holds the folios marked as on it,
 * each once. */
static const char *
check_reclaim(const struct totals *tot)
{
	const struct folio *f, *prev = NULL;
	uint64_t n = 0;

	for (f = reclaim_top(); f != NULL; prev = f, f = f->reap_link.next) {
		if (!is_folio_header(f))
			return fail("the reaper's stack holds frame %u, which "
			    "is no folio", frame_oid(f));
		if (++n > tot->folios_reaping || !f->reaping ||
		    f->reap_link.prev != prev)
			return fail("the reaper's stack: folio %u is not "
			    "marked as on it, or the stack loops", frame_oid(f));
	}
	if (n != tot->folios_reaping)
		return fail("the reaper's stack holds %llu folios, %llu are "
		    "marked as on it", (unsigned long long)n,
		    (unsigned long long)tot->folios_reaping);
	return NULL;
}

/* The root folio holds the console and the power object for good. */
static const char *
check_devices(void)
{
	struct folio *root = storage_frame(0);

	if (!root->in_use ||
	    root->object[FOLIO_BOOT_CONSOLE].type != VG_TYPE_CONSOLE ||
	    root->object[FOLIO_BOOT_POWER].type != VG_TYPE_POWER ||
	    root->object[FOLIO_BOOT_IRQ_CONTROL].type != VG_TYPE_IRQ_CONTROL ||
	    root->object[FOLIO_BOOT_IOPORT_CONTROL].type !=
	    VG_TYPE_IOPORT_CONTROL ||
	    root->object[FOLIO_BOOT_DEVMEM_CONTROL].type !=
	    VG_TYPE_DEVMEM_CONTROL ||
	    root->object[FOLIO_BOOT_DMA_CONTROL].type != VG_TYPE_DMA_CONTROL)
		return fail("the root folio lost its console or its power "
		    "object (slots %u, %u hold %s, %s)", FOLIO_BOOT_CONSOLE,
		    FOLIO_BOOT_POWER,
		    type_name(root->object[FOLIO_BOOT_CONSOLE].type),
		    type_name(root->object[FOLIO_BOOT_POWER].type));
	return NULL;
}

const char *
vg_check_invariants(void)
{
	struct totals tot = { 0 };

	if (storage_base == NULL)
		return NULL;
	CHECK(check_folios(&tot));
	CHECK(check_reclaim(&tot));
	CHECK(check_devices());
	CHECK(walk_storage(check_object, &tot));
	if (tot.queued_named != tot.queued_listed ||
	    tot.act_named != tot.act_listed ||
	    tot.awaiting != tot.askers_listed) {
		CHECK(walk_storage(find_unlisted, &tot));
		return fail("lists disagree with the links into them: %llu "
		    "queued senders named, %llu listed; %llu pending "
		    "activations named, %llu listed; %llu awaiting, %llu "
		    "askers listed",
		    (unsigned long long)tot.queued_named,
		    (unsigned long long)tot.queued_listed,
		    (unsigned long long)tot.act_named,
		    (unsigned long long)tot.act_listed,
		    (unsigned long long)tot.awaiting,
		    (unsigned long long)tot.askers_listed);
	}
	if (tot.folios_in_use != tot.folios_listed)
		return fail("%llu folios in use, %llu on activities' lists "
		    "(%llu of them doomed)",
		    (unsigned long long)tot.folios_in_use,
		    (unsigned long long)tot.folios_listed,
		    (unsigned long long)tot.folios_doomed);
	return NULL;
}
