/*
 * The message ledger (fuzz.h): every message a program sent, and what
 * became of it.  The hooks report sends, deliveries, invocations,
 * answers and activations as the core makes them; ledger_balance(),
 * after every operation, finds messages that went missing or came from
 * nowhere.  It also follows writes to pages, so that it knows whether a
 * message that arrives can have changed since it was sent, and records
 * what each standard messenger last received, for the virtualizers.
 */
#include <string.h>

#include <vg/method.h>
#include <vg/types.h>

#include "activity.h"
#include "continuation.h"
#include "fault.h"
#include "lifecycle.h"
#include "object.h"

#include "fuzz.h"

/* The fates of a message a program sent. */
enum fate {
	F_PENDING,	/* queued, or its transfer is under way */
	F_DELIVERED,
	F_INVOKED,	/* consumed by a kernel object's method */
	F_ANSWERED,	/* consumed as an answer to a request */
	F_FAILED,	/* vg_ipc returned the error */
	F_ERROR,	/* an error activation told the sender */
	F_DESTROYED,	/* its messenger was destroyed */
	F_COUNT
};

static const char *const fate_name[F_COUNT] = {
	"pending", "delivered", "invoked", "answered", "failed",
	"error-activation", "destroyed",
};

struct sent {
	uint32_t tag;
	uint32_t oid, version;	/* the messenger that carries it */
	int tagpos;		/* the data word holding the tag, or -1 */
	bool inline_msg;	/* inline: nobody can change it after sending */
	uint32_t page;		/* else its buffer page's oid (or ~0) */
	uint32_t page_gen;	/* ... and the page's write generation */
	uint32_t epoch;
	uint64_t sum;		/* the message as the kernel saw it */
	uint8_t fate;
	uint8_t err;
};

static struct sent sent[MAX_SENDS];
static unsigned nsent;
static uint32_t next_tag;
static uint64_t stats[F_COUNT];

/* The send that the next messenger_send_to belongs to. */
static struct {
	bool on;
	uint32_t tag;
	int tagpos;
} armed;

/* Writes to pages: per-frame generations, and an epoch for writes whose
 * page we do not track (a method that zeroes or creates objects). */
static uint32_t page_gen[NFRAMES];
static uint32_t epoch;

/* UTCB frames written by activations during the commit in progress. */
static struct {
	bool on;
	unsigned n;
	const void *frame[16];
} commit_probe;

static struct rx rx[NPROC][NMSGR];

void
ledger_reset(void)
{
	memset(rx, 0, sizeof(rx));
	memset(page_gen, 0, sizeof(page_gen));
	memset(stats, 0, sizeof(stats));
	nsent = 0;
	next_tag = 0;
	epoch = 0;
	armed.on = false;
	commit_probe.on = false;
}

uint32_t
ledger_new_tag(void)
{
	return ++next_tag;
}

void
ledger_arm(uint32_t tag, int tagpos)
{
	armed.on = true;
	armed.tag = tag;
	armed.tagpos = tagpos;
}

void
ledger_disarm(void)
{
	armed.on = false;
}

void
ledger_page_written(const void *frame)
{
	uint32_t oid;

	if (frame == NULL)
		return;
	oid = oid_of(frame);
	if (oid < NFRAMES)
		page_gen[oid]++;
}

void
ledger_untracked_writes(void)
{
	epoch++;
}

const struct rx *
last_received(int p, int i)
{
	return &rx[p][i];
}

void
ledger_print_stats(FILE *f)
{
	int i;

	fprintf(f, "%u messages:", nsent);
	for (i = 0; i < F_COUNT; i++)
		fprintf(f, " %s %llu", fate_name[i],
		    (unsigned long long)stats[i]);
}

/* --- the messages --------------------------------------------------------- */

NO_COVERAGE
static uint64_t
source_sum(const struct msg_source *s)
{
	uint64_t h = FNV_BASIS;
	uint32_t i;

	h = fnv(h, &s->ncaps, sizeof(s->ncaps));
	h = fnv(h, &s->len, sizeof(s->len));
	if (s->values == NULL) {
		for (i = 0; i < s->ncaps; i++)
			h = fnv(h, &s->addr[i], sizeof(s->addr[i]));
	}
	if (s->data != NULL)
		h = fnv(h, s->data, s->len);
	return h;
}

NO_COVERAGE
static bool
is_user_phase(const struct messenger *m)
{
	return m->cont.phase == CONT_TARGET ||
	    m->cont.phase == CONT_DELIVERY;
}

/* M is busy with a program's message (not a kernel reply or request). */
NO_COVERAGE
static bool
user_busy(const struct messenger *m)
{
	if (m->kflags & MSGR_KMSG)
		return false;
	return (m->target != NULL && !(m->kflags & MSGR_KREQ)) ||
	    is_user_phase(m);
}

/* The pending message M carries, if any. */
NO_COVERAGE
static struct sent *
outstanding(const struct messenger *m)
{
	struct vg_cap cap = object_cap_of(m);
	unsigned i;

	for (i = 0; i < nsent; i++) {
		if (sent[i].fate == F_PENDING && sent[i].oid == cap.oid &&
		    sent[i].version == cap.version)
			return &sent[i];
	}
	return NULL;
}

static void
settle(struct sent *s, enum fate fate, int err)
{
	s->fate = (uint8_t)fate;
	s->err = (uint8_t)err;
	stats[fate]++;
}

/* M's page, and that page's write generation, as the ledger tracks it. */
static uint32_t
page_of(struct messenger *m)
{
	struct vg_message *page = m->send_inline ? NULL :
	    msg_buffer_page(m, false);

	return page == NULL ? UINT32_MAX : oid_of(page);
}

static uint32_t
gen_of(uint32_t oid)
{
	return oid < NFRAMES ? page_gen[oid] : 0;
}

/* Whether S's message can have changed since it was sent. */
static bool
may_have_changed(const struct sent *s, struct messenger *m)
{
	uint32_t page;

	if (s->inline_msg)
		return false;
	page = page_of(m);
	return page != s->page || gen_of(page) != s->page_gen ||
	    epoch != s->epoch;
}

/* --- balancing ------------------------------------------------------------ */

/* A destroyed messenger's pending message is gone with it. */
NO_COVERAGE
static void
settle_destroyed(void)
{
	unsigned i;

	for (i = 0; i < nsent; i++) {
		struct sent *s = &sent[i];
		struct vg_cap cap = { .oid = s->oid, .version = s->version,
		    .type = VG_TYPE_MESSENGER };

		if (s->fate == F_PENDING && object_lookup(&cap) == NULL)
			settle(s, F_DESTROYED, 0);
	}
}

/* True if M is on the wait queue of its target. */
NO_COVERAGE
static bool
found_on_queue(const struct messenger *m)
{
	const struct messenger *s;
	unsigned n = 0;

	for (s = m->target->waiters.head; s != NULL && n < NFRAMES;
	    s = s->wait_link.next, n++) {
		if (s == m)
			return true;
	}
	return false;
}

NO_COVERAGE
void
ledger_balance(void)
{
	uint32_t chunk, i;

	settle_destroyed();
	for (i = 0; i < nsent; i++) {
		struct sent *s = &sent[i];
		struct vg_cap cap = { .oid = s->oid, .version = s->version,
		    .type = VG_TYPE_MESSENGER };
		struct messenger *m;

		if (s->fate != F_PENDING)
			continue;
		m = object_lookup(&cap);
		if (!user_busy(m))
			die("message tag %u of messenger %u is lost: the "
			    "messenger is not busy with it (target %u, phase "
			    "%u, awaiting %u, kflags %#x) and its sender was "
			    "never told", s->tag, s->oid,
			    m->target ? oid_of(m->target) : 0, m->cont.phase,
			    m->cont.awaiting, m->kflags);
		if (m->target != NULL && !(m->kflags & MSGR_KREQ) &&
		    !found_on_queue(m))
			die("message tag %u of messenger %u: queued on %u but "
			    "not found on its wait queue", s->tag, s->oid,
			    oid_of(m->target));
	}
	for (chunk = 0; chunk < storage_nchunks; chunk++) {
		struct folio *f = storage_frame(chunk * FOLIO_FRAMES);

		if (!f->in_use)
			continue;
		for (i = 0; i < VG_FOLIO_OBJECTS; i++) {
			struct messenger *m;

			/* A dying messenger's message went with its
			 * capabilities (settle_destroyed); the reaper has
			 * yet to take it off its target's queue. */
			if (f->object[i].type != VG_TYPE_MESSENGER ||
			    f->object[i].dying || f->doomed)
				continue;
			m = slot_frame(f, i);
			if (user_busy(m) && outstanding(m) == NULL)
				die("messenger %u is busy with a program's "
				    "message (target %u, phase %u) that was "
				    "never sent or was already accounted for",
				    oid_of(m), m->target ? oid_of(m->target) :
				    0, m->cont.phase);
		}
	}
}

/* --- sends (messenger_send_to) ---------------------------------------------------- */

/* A send is starting: M's message joins the ledger. */
struct sent *
ledger_send_begin(struct messenger *m)
{
	struct sent *old = outstanding(m);
	struct msg_source src;
	struct sent *s;

	if (old != NULL)
		die("messenger %u accepted a new send while its message tag %u "
		    "is still unaccounted for", oid_of(m), old->tag);
	if (!armed.on)
		die("messenger_send_to without a vg_ipc send by the fuzzer");
	if (nsent == MAX_SENDS)
		die("ledger full (MAX_SENDS too small)");
	s = &sent[nsent++];
	msg_source_of(m, &src);
	*s = (struct sent){
		.tag = armed.tag,
		.oid = oid_of(m),
		.version = object_cap_of(m).version,
		.tagpos = armed.tagpos,
		.inline_msg = m->send_inline != 0,
		.page = page_of(m),
		.epoch = epoch,
		.sum = source_sum(&src),
		.fate = F_PENDING,
	};
	s->page_gen = gen_of(s->page);
	/* The program wrote the tag, but a receive in the same vg_ipc may
	 * have overwritten its page since: then only the ledger knows it. */
	if (s->tagpos >= 0) {
		uint64_t w = 0;

		if (src.data != NULL &&
		    (uint32_t)(s->tagpos + 1) * 8 <= src.len)
			memcpy(&w, src.data + s->tagpos * 8, sizeof(w));
		if (w != (TAG_MAGIC | s->tag))
			s->tagpos = -1;
	}
	armed.on = false;
	return s;
}

/* The send returned ERR: an error is the sender told, once. */
void
ledger_send_end(struct sent *s, enum vg_err err)
{
	if (err == VG_OK)
		return;
	if (s->fate != F_PENDING)
		die("vg_ipc returned error %d for message tag %u, which was "
		    "also %s", err, s->tag, fate_name[s->fate]);
	settle(s, F_FAILED, err);
}

/* --- invocations (invoke_kernel) ------------------------------------------ */

/* SRC's message is consumed by the method of TARGET it names. */
void
ledger_invoke(struct messenger *src, struct vg_cap target)
{
	struct sent *s = outstanding(src);
	struct msg_source m;
	uint64_t method = 0;

	if (s == NULL)
		die("messenger %u invoked object %u with a message nobody sent",
		    oid_of(src), target.oid);
	msg_source_of(src, &m);
	if (m.len >= 8)
		memcpy(&method, m.data, sizeof(method));
	/* Methods that write pages we do not follow one by one. */
	if (method == VG_METHOD_OBJECT_DISCARD ||
	    method == VG_METHOD_FOLIO_OBJECT_ALLOC ||
	    method == VG_METHOD_FOLIO_FREE ||
	    method == VG_METHOD_THREAD_ACTIVATION_COLLECT)
		epoch++;
	settle(s, F_INVOKED, 0);
}

/* --- answers (cont_answer) ------------------------------------------------ */

void
ledger_answer_begin(struct answer_watch *w, struct messenger *from)
{
	w->user = !(from->kflags & (MSGR_KMSG | MSGR_KREQ));
	w->s = w->user ? outstanding(from) : NULL;
}

/* If TAKEN, FROM's message was consumed as the answer M waited for: it
 * must have been a program's, and pending. */
void
ledger_answer_end(const struct answer_watch *w, struct messenger *from,
    struct messenger *m, bool taken)
{
	if (!taken)
		return;
	if (!w->user)
		die("a kernel %s carried by %u was taken as the answer for %u",
		    (from->kflags & MSGR_KREQ) ? "request" : "reply",
		    oid_of(from), oid_of(m));
	if (w->s == NULL)
		die("messenger %u answered %u with a message nobody sent",
		    oid_of(from), oid_of(m));
	if (w->s->fate != F_PENDING)
		die("message tag %u was taken as an answer but was already %s",
		    w->s->tag, fate_name[w->s->fate]);
	settle(w->s, F_ANSWERED, 0);
}

/* --- activations (activation_post) ---------------------------------------- */

void
ledger_activation_begin(struct activation_watch *w, struct messenger *m,
    uint32_t reason, enum vg_err err)
{
	struct thread *t = thread_lookup(&m->slot[VG_MESSENGER_SLOT_THREAD]);

	/* A pending activation is never dropped while its messenger and a
	 * thread to tell live: if the messenger now names another thread,
	 * the event moves with it (checked after the call).  Found as
	 * fuzz/crashes/rebind-drops-activation. */
	w->t = t;
	w->moved = 0;
	if (t != NULL && m->act_thread != NULL && m->act_thread != t)
		w->moved = m->act_reason;

	/* An activation writes its thread's UTCB (this one's or, queued
	 * behind, an older one's: the same page). */
	if (t != NULL) {
		struct vg_utcb *u = utcb_of_thread(t);

		ledger_page_written(u);
		if (commit_probe.on && u != NULL && commit_probe.n < 16)
			commit_probe.frame[commit_probe.n++] = u;
	}
	if ((reason & VG_ACTIVATION_ERROR) && !(reason & VG_ACTIVATION_FAULT)) {
		struct sent *s = outstanding(m);

		if (s != NULL)
			settle(s, F_ERROR, err);
	}
}

void
ledger_activation_end(const struct activation_watch *w, struct messenger *m)
{
	struct vg_utcb *u;
	bool kept;

	if (w->moved == 0)
		return;
	u = utcb_of_thread(w->t);
	kept = (m->act_thread == w->t &&
	    (m->act_reason & w->moved) == w->moved) ||
	    (u != NULL && u->messenger_id == m->id &&
	    (u->reason & w->moved) == w->moved);
	if (!kept)
		die("messenger %u's pending activation (reasons %#x) was "
		    "dropped when it moved to thread %u", oid_of(m), w->moved,
		    oid_of(w->t));
}

/* --- deliveries (msg_commit) ---------------------------------------------- */

/* Where msg_commit put what DST received: its page, or NULL for the
 * inline area. */
static struct vg_message *
received_page(struct messenger *dst)
{
	if (dst->flags & VG_MESSENGER_RECEIVE_INLINE)
		return NULL;
	return msg_buffer_page(dst, true);
}

NO_COVERAGE
static void
record_rx(struct messenger *dst, uint32_t kind, const uint8_t *data,
    uint32_t len, uint32_t n)
{
	int p, i;

	for (p = 0; p < NPROC; p++) {
		for (i = 0; i < NMSGR; i++) {
			struct rx *r = &rx[p][i];

			if (msgr(p, i) != dst)
				continue;
			r->seq++;
			r->kind = kind;
			memset(r->word, 0, sizeof(r->word));
			memcpy(r->word, data, len < sizeof(r->word) ? len :
			    sizeof(r->word));
			r->len = len;
			r->ncaps = n;
		}
	}
}

/* SRC's message is about to be delivered to DST: if it is a program's,
 * it must be pending and unchanged since it was sent. */
void
ledger_delivery_begin(struct commit_watch *d, struct messenger *src,
    struct messenger *dst)
{
	struct sent *rec;
	uint64_t sum;

	d->kflags = src->kflags;
	msg_source_of(src, &d->s);
	d->blen = d->s.len < sizeof(d->before) ? d->s.len :
	    (uint32_t)sizeof(d->before);
	if (d->s.data != NULL)
		memcpy(d->before, d->s.data, d->blen);
	else
		d->blen = 0;
	sum = source_sum(&d->s);
	if (!(d->kflags & (MSGR_KMSG | MSGR_KREQ))) {
		rec = outstanding(src);
		if (rec == NULL)
			die("messenger %u delivered a message to %u that was "
			    "never sent or was already accounted for",
			    oid_of(src), oid_of(dst));
		if (!may_have_changed(rec, src) && sum != rec->sum)
			die("message tag %u of messenger %u changed between "
			    "its send and its delivery, and nobody wrote it",
			    rec->tag, rec->oid);
		if (!may_have_changed(rec, src) && rec->tagpos >= 0 &&
		    (uint32_t)(rec->tagpos + 1) * 8 <= d->blen) {
			uint64_t w;

			memcpy(&w, d->before + rec->tagpos * 8, sizeof(w));
			if (w != (TAG_MAGIC | rec->tag))
				die("message tag %u of messenger %u carries "
				    "word %#llx where its tag was", rec->tag,
				    rec->oid, (unsigned long long)w);
		}
		settle(rec, F_DELIVERED, 0);
	}
	commit_probe.on = true;
	commit_probe.n = 0;
}

/* The delivery is done: N capabilities (CAP_VOID of them void) and the
 * data that was sent must have arrived where DST receives. */
void
ledger_delivery_end(const struct commit_watch *d, struct messenger *src,
    struct messenger *dst, uint32_t n, uint32_t cap_void)
{
	uint32_t glen, want, cap, i;
	const uint8_t *got;
	struct vg_message *page;
	bool aliased = false;

	commit_probe.on = false;
	if (n > VG_MESSAGE_CAPS_MAX ||
	    (n < 32 && (cap_void >> n) != 0))
		die("delivery to %u: %u capabilities, void mask %#x",
		    oid_of(dst), n, cap_void);
	page = received_page(dst);
	if (page != NULL) {
		got = (const uint8_t *)&page->caps[n];
		glen = page->data_count;
		cap = vg_message_data_max(n);
	} else {
		got = (const uint8_t *)dst->inline_words;
		glen = (uint32_t)dst->inline_nwords * 8;
		cap = VG_INLINE_WORDS * 8;
	}
	want = d->s.len < cap ? d->s.len : cap;
	/* An activation during the commit may have written the page, if it
	 * is also a UTCB. */
	for (i = 0; i < commit_probe.n; i++)
		aliased |= commit_probe.frame[i] == (const void *)page;
	if (!aliased) {
		if (page != NULL && page->cap_count != n)
			die("delivery to %u: %u capabilities arrived, the page "
			    "says %u", oid_of(dst), n, page->cap_count);
		if (glen < want || (page != NULL && glen != want))
			die("delivery from %u to %u: %u bytes sent, %u fit, %u "
			    "arrived", oid_of(src), oid_of(dst), d->s.len, want,
			    glen);
		if (memcmp(got, d->before, want < d->blen ? want : d->blen) !=
		    0)
			die("delivery from %u to %u: the data that arrived is "
			    "not what was sent", oid_of(src), oid_of(dst));
	}
	ledger_page_written(page);

	if (d->kflags & MSGR_KREQ) {
		uint64_t w0 = 0;

		memcpy(&w0, d->before, d->blen >= 8 ? 8 : 0);
		if (d->s.len < 16 || (w0 != VG_METHOD_INDEX &&
		    w0 != VG_METHOD_STORE && w0 != VG_METHOD_FAULT))
			die("a kernel request from %u to %u is malformed "
			    "(%u bytes, method %#llx)", oid_of(src),
			    oid_of(dst), d->s.len, (unsigned long long)w0);
		record_rx(dst, RX_REQUEST, d->before, d->blen, n);
	} else if (d->kflags & MSGR_KMSG) {
		uint64_t w0 = 0;

		memcpy(&w0, d->before, d->blen >= 8 ? 8 : 0);
		/* An interrupt object's message: its carrier is the start
		 * of the object's frame (irq.h). */
		if (w0 == VG_METHOD_IRQ_FIRED && d->s.len == 32 &&
		    storage_owner(storage_oid(src))->object[
		    storage_owner_index(storage_oid(src))].type == VG_TYPE_IRQ)
			record_rx(dst, RX_USER, d->before, d->blen, n);
		else if (d->s.len < 8 || w0 >= VG_ERR_COUNT)
			die("a kernel reply from %u to %u has error word %#llx",
			    oid_of(src), oid_of(dst), (unsigned long long)w0);
		else
			record_rx(dst, RX_REPLY, d->before, d->blen, n);
	} else {
		record_rx(dst, RX_USER, d->before, d->blen, n);
	}
}

/* --- failed methods change nothing ---------------------------------------- */

/* What object O of TYPE is, as its methods see and change it. */
NO_COVERAGE
static uint64_t
object_state_sum(const void *o, enum vg_type type)
{
	uint64_t h = FNV_BASIS;

	/* Only what methods change: the reply itself may land in the
	 * invoked object (a page that is a receiver's buffer, the blocked
	 * state or queue of a messenger that is the reply messenger). */
	switch (vg_type_strong(type)) {
	case VG_TYPE_CAPPAGE:
		return fnv(h, o, FRAME_SIZE);
	case VG_TYPE_FOLIO: {
		const struct folio *f = o;

		h = fnv(h, &f->version, sizeof(f->version));
		h = fnv(h, &f->in_use, sizeof(f->in_use));
		return fnv(h, f->object, sizeof(f->object));
	}
	case VG_TYPE_ACTIVITY: {
		const struct activity *a = o;

		h = fnv(h, &a->quota, sizeof(a->quota));
		h = fnv(h, &a->usage, sizeof(a->usage));
		h = fnv(h, &a->weight, sizeof(a->weight));
		h = fnv(h, &a->priority, sizeof(a->priority));
		h = fnv(h, &a->pt_quota, sizeof(a->pt_quota));
		h = fnv(h, &a->pt_usage, sizeof(a->pt_usage));
		return fnv(h, &a->nfolios, sizeof(a->nfolios));
	}
	case VG_TYPE_THREAD: {
		const struct thread *t = o;

		/* Not its run state, ip or sp: the reply may activate it. */
		h = fnv(h, t->slot, sizeof(t->slot));
		h = fnv(h, &t->priority, sizeof(t->priority));
		return fnv(h, &t->handler_ip, 4 * sizeof(uint64_t));
	}
	case VG_TYPE_MESSENGER: {
		const struct messenger *m = o;

		uint32_t flags = m->flags & VG_MESSENGER_USER_FLAGS;

		h = fnv(h, m->slot, sizeof(m->slot));
		h = fnv(h, &m->id, sizeof(m->id));
		return fnv(h, &flags, sizeof(flags));
	}
	default:
		return h;
	}
}

void
ledger_method_begin(struct commit_check *c, struct messenger *src,
    struct vg_cap target)
{
	const void *o = object_lookup(&target);
	struct msg_source m;

	*c = (struct commit_check){ .on = o != NULL };
	if (!c->on)
		return;
	msg_source_of(src, &m);
	if (m.len >= 8)
		memcpy(&c->method, m.data, sizeof(c->method));
	c->sum = object_state_sum(o, (enum vg_type)target.type);
	c->free_chunks = storage_free_chunks();
	c->src_cap = object_cap_of(src);
	/* Set again by the reply, if the method makes one. */
	src->kmsg_nwords = 0;
}

void
ledger_method_end(const struct commit_check *c, struct messenger *src,
    struct vg_cap target)
{
	const void *o;

	/* A method that destroyed its caller succeeded at something. */
	if (!c->on || object_lookup(&c->src_cap) != src ||
	    src->kmsg_nwords == 0 || src->kmsg_words[0] == VG_OK)
		return;
	o = object_lookup(&target);
	if (o == NULL)
		die("method %#lx failed with error %lu but destroyed object "
		    "%u", (unsigned long)c->method,
		    (unsigned long)src->kmsg_words[0], target.oid);
	if (object_state_sum(o, (enum vg_type)target.type) != c->sum)
		die("method %#lx failed with error %lu but changed object %u "
		    "(type %u)", (unsigned long)c->method,
		    (unsigned long)src->kmsg_words[0], target.oid,
		    target.type);
	if (storage_free_chunks() != c->free_chunks)
		die("method %#lx failed with error %lu but the free storage "
		    "went from %u to %u chunks", (unsigned long)c->method,
		    (unsigned long)src->kmsg_words[0], c->free_chunks,
		    storage_free_chunks());
}
