/*
 * Randomized address translation (docs/design.md §3, as.h).
 *
 * Each seed builds a random capability tree -- cappages with random guards
 * (0..40 bits) and subpages (1/1 .. 1/128), cycles back to ancestors, weak
 * (rcappage) edges, folios, threads and messengers as inner nodes, pages,
 * activities, rmessengers, void, stale and mistyped leaves -- and mirrors it
 * in a reference model kept by this file.  Every address is translated by
 * both and everything the kernel reports must agree with the model.
 *
 * The model is deliberately naive and shares nothing with the kernel's
 * translation code: the tree is plain arrays, and addresses, guards and
 * subpages are strings of '0'/'1' characters consumed one character at a
 * time, so a slip in the kernel's bit arithmetic cannot be mirrored here.
 * Kernel values enter only when the model's answer is turned into the
 * capability and slot pointer the kernel should report.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "vgtest.h"

#define NTREES		64	/* seeds 1..NTREES */
#define TREE_CHUNKS	16	/* storage per tree; it uses 4 folios */
#define PATHS_PER_TREE	240	/* each checked at every prefix */
#define RANDOM_PER_TREE	2000	/* uniformly random addresses */
#define MAX_BITS	VG_ADDR_DEPTH_MAX
#define MAX_OBJS	256
#define MAX_CHUNKS	8
#define MAX_SOURCES	256

/* --- a small PRNG (xorshift64*), so runs repeat everywhere --------------- */

struct rng {
	uint64_t s;
};

static uint64_t
rng_next(struct rng *r)
{
	r->s ^= r->s >> 12;
	r->s ^= r->s << 25;
	r->s ^= r->s >> 27;
	return r->s * UINT64_C(2685821657736338717);
}

/* Uniform in [0, N); N > 0.  The high bits are the good ones. */
static unsigned
rng_below(struct rng *r, unsigned n)
{
	return (unsigned)((rng_next(r) >> 32) % n);
}

static bool
rng_percent(struct rng *r, unsigned p)
{
	return rng_below(r, 100) < p;
}

static char
rng_bit(struct rng *r)
{
	return rng_below(r, 2) ? '1' : '0';
}

/* --- bit strings ---------------------------------------------------------- */

/* The number the N '0'/'1' characters at S spell, most significant first. */
static uint64_t
bits_value(const char *s, unsigned n)
{
	uint64_t v = 0;
	unsigned i;

	for (i = 0; i < n; i++)
		v = v * 2 + (s[i] == '1');
	return v;
}

/* Spell V in N characters at S. */
static void
bits_spell(char *s, uint64_t v, unsigned n)
{
	unsigned i;

	for (i = n; i-- > 0;) {
		s[i] = (v % 2) ? '1' : '0';
		v /= 2;
	}
}

/*
 * The kernel encoding of the address BITS/DEPTH, built character by
 * character from addr.h's description (prefix, a 1, then zeros) rather
 * than with vg_addr, which check_translation then cross-checks.
 */
static vg_addr_t
addr_from_bits(const char *bits, unsigned depth)
{
	uint64_t raw = 0;
	unsigned i;

	for (i = 0; i < VG_ADDR_BITS; i++)
		raw = raw * 2 + (i < depth ? bits[i] == '1' : i == depth);
	return (vg_addr_t){ raw };
}

/* --- the reference model ------------------------------------------------ */

enum ref_kind {
	REF_NONE = 0,	/* void: designates nothing */
	REF_OBJ,	/* an object: index into world.obj */
	REF_CHUNK,	/* a folio: index into world.chunk */
};

/* A capability as the model sees it. */
struct mcap {
	uint8_t type;			/* enum vg_type, as stored */
	uint8_t ref_kind;		/* enum ref_kind */
	uint16_t ref;
	uint32_t gen;			/* REF's generation when made */
	uint8_t gdepth;
	uint8_t sublog;
	char guard[MAX_BITS];		/* GDEPTH characters */
	char sub[VG_CAPPAGE_SLOTS_LOG2];	/* SUBLOG characters */
};

/* One object frame of a folio, across the objects it has held. */
struct mobj {
	uint8_t type;		/* strong type now; VOID when destroyed */
	uint32_t gen;		/* bumped each time an object here dies */
	uint16_t chunk;
	uint16_t index;		/* in the folio */
	struct vg_cap kcap;	/* the kernel's capability to it now */
	struct mcap *slot;	/* live cappage: 256; thread, messenger: 4 */
};

/* One folio-sized chunk of storage, across the folios it has been. */
struct mchunk {
	struct folio *f;
	bool in_use;
	uint32_t gen;		/* bumped each time its folio is freed */
	struct vg_cap kcap;
	int obj[VG_FOLIO_OBJECTS];	/* model object per frame; -1: none */
};

/* Something a tree slot may be given a capability to. */
struct source {
	struct mcap m;		/* strong type, no guard, no subpage */
	struct vg_cap k;	/* the kernel capability made with it */
};

enum loc_kind {
	LOC_NONE = 0,	/* synthesized: stored nowhere */
	LOC_ROOT,	/* the root slot */
	LOC_SLOT,	/* slot INDEX of object OBJ */
};

struct mloc {
	uint8_t kind;
	uint16_t obj;
	uint16_t index;
};

/* Coverage: what the checks went through, so no test passes vacuously. */
struct stats {
	unsigned long checks;
	unsigned long err[VG_ERR_COUNT];
	unsigned long ok_weak;		/* success through an rcappage */
	unsigned long ok_synth;		/* success on a folio's object */
	unsigned long ok_thread;	/* success in a thread's slot */
	unsigned long ok_messenger;	/* success in a messenger's slot */
	unsigned long ok_depth52;
	unsigned long ok_depth63;
	unsigned long ok_deep_guard;	/* success past a > 32-bit guard */
	unsigned long ok_weak_void;	/* found a type weakened to void */
	unsigned long deep_guard_mismatch; /* mismatch on a > 32-bit guard */
	unsigned long cycles;		/* a walk revisited a cappage */
	unsigned long stale;		/* met a stale or mistyped cap */
	unsigned long stale_reused;	/* ... stale, its frame live again */
	unsigned long chunk_reuse;	/* a freed folio's chunk came back */
	unsigned long folio_steps;	/* a walk indexed a folio */
	unsigned long virtual_weak;	/* rmessenger reached by weakening */
	unsigned long lookup_weak;	/* as_lookup_slot: VG_ERR_WEAK */
	unsigned long lookup_synth;	/* as_lookup_slot: synthesized */
	unsigned long object_ok;	/* as_lookup_object: found */
	unsigned long object_type;	/* as_lookup_object: VG_ERR_TYPE */
	unsigned long object_void;	/* as_lookup_object: VG_ERR_VOID */
	unsigned long straight;		/* as_walk_straight answered */
	unsigned long straight_memo;	/* ... starting from its memo */
	unsigned long straight_declined; /* ... not, though a slot was found */
	unsigned long memo_short;	/* as_memo_walk answered */
};

struct world {
	unsigned seed;
	struct rng rng;
	struct vgtest t;
	struct mobj obj[MAX_OBJS];
	unsigned nobj;
	struct mchunk chunk[MAX_CHUNKS];
	unsigned nchunk;
	struct source src[MAX_SOURCES];
	unsigned nsrc;
	struct mcap root_m;	/* the root slot, in the model ... */
	struct vg_cap root_k;	/* ... and in the kernel */
	struct as_memo memo;	/* kept across the translations of a tree */
	struct stats *st;
};

/*
 * The world under test.  File scope, not the stack (it is ~40 KiB) and not
 * malloc: the teardown frees its slot arrays even when a test fails.
 */
static struct world the_world;

/* The model's own copy of the type lattice of types.h. */
static const uint8_t model_strong_of[VG_TYPE_COUNT] = {
	[VG_TYPE_VOID] = VG_TYPE_VOID,
	[VG_TYPE_PAGE] = VG_TYPE_PAGE,
	[VG_TYPE_RPAGE] = VG_TYPE_PAGE,
	[VG_TYPE_CAPPAGE] = VG_TYPE_CAPPAGE,
	[VG_TYPE_RCAPPAGE] = VG_TYPE_CAPPAGE,
	[VG_TYPE_FOLIO] = VG_TYPE_FOLIO,
	[VG_TYPE_ACTIVITY] = VG_TYPE_ACTIVITY,
	[VG_TYPE_THREAD] = VG_TYPE_THREAD,
	[VG_TYPE_MESSENGER] = VG_TYPE_MESSENGER,
	[VG_TYPE_RMESSENGER] = VG_TYPE_MESSENGER,
	[VG_TYPE_CONSOLE] = VG_TYPE_CONSOLE,
	[VG_TYPE_POWER] = VG_TYPE_POWER,
	[VG_TYPE_IRQ_CONTROL] = VG_TYPE_IRQ_CONTROL,
	[VG_TYPE_IRQ] = VG_TYPE_IRQ,
	[VG_TYPE_IOPORT_CONTROL] = VG_TYPE_IOPORT_CONTROL,
	[VG_TYPE_IOPORT] = VG_TYPE_IOPORT,
	[VG_TYPE_DEVMEM_CONTROL] = VG_TYPE_DEVMEM_CONTROL,
	[VG_TYPE_DEVMEM] = VG_TYPE_DEVMEM,
	[VG_TYPE_DMA_CONTROL] = VG_TYPE_DMA_CONTROL,
};

/* Folio, activity, thread, console, power and the device types have no
 * weak variant: they weaken to void. */
static const uint8_t model_weak_of[VG_TYPE_COUNT] = {
	[VG_TYPE_PAGE] = VG_TYPE_RPAGE,
	[VG_TYPE_RPAGE] = VG_TYPE_RPAGE,
	[VG_TYPE_CAPPAGE] = VG_TYPE_RCAPPAGE,
	[VG_TYPE_RCAPPAGE] = VG_TYPE_RCAPPAGE,
	[VG_TYPE_MESSENGER] = VG_TYPE_RMESSENGER,
	[VG_TYPE_RMESSENGER] = VG_TYPE_RMESSENGER,
};

/* A void capability that keeps C's guard: a slot's guard outlives it. */
static struct mcap
model_void_keeping_guard(const struct mcap *c)
{
	struct mcap v = { .gdepth = c->gdepth };

	memcpy(v.guard, c->guard, c->gdepth);
	return v;
}

/* True if C designates the object (or folio) it names, as it is now. */
static bool
model_valid(const struct world *w, const struct mcap *c)
{
	if (c->ref_kind == REF_CHUNK)
		return c->type == VG_TYPE_FOLIO && w->chunk[c->ref].in_use &&
		    w->chunk[c->ref].gen == c->gen;
	if (c->ref_kind == REF_OBJ)
		return c->type != VG_TYPE_VOID &&
		    w->obj[c->ref].gen == c->gen &&
		    model_strong_of[c->type] == w->obj[c->ref].type;
	return false;
}

/*
 * C as a walk sees it: void (keeping the guard) unless valid, then
 * weakened if the path is WEAK.  *WEAKENED_VOID says a valid capability
 * became void only by weakening.
 */
static struct mcap
model_view(const struct world *w, const struct mcap *c, bool weak,
    bool *weakened_void)
{
	struct mcap v;

	*weakened_void = false;
	if (!model_valid(w, c))
		return model_void_keeping_guard(c);
	v = *c;
	if (weak) {
		v.type = model_weak_of[c->type];
		if (v.type == VG_TYPE_VOID) {
			*weakened_void = true;
			return model_void_keeping_guard(c);
		}
	}
	return v;
}

/* How many bits indexing C takes, or why C cannot be indexed. */
static enum vg_err
model_width(const struct mcap *c, unsigned *n)
{
	switch (c->type) {
	case VG_TYPE_CAPPAGE:
	case VG_TYPE_RCAPPAGE:
		*n = VG_CAPPAGE_SLOTS_LOG2 - c->sublog;
		return VG_OK;
	case VG_TYPE_FOLIO:
		*n = VG_FOLIO_OBJECTS_LOG2;
		return VG_OK;
	case VG_TYPE_THREAD:
	case VG_TYPE_MESSENGER:
		*n = VG_OBJECT_SLOTS_LOG2;
		return VG_OK;
	case VG_TYPE_RMESSENGER:
		return VG_ERR_VIRTUAL;
	case VG_TYPE_VOID:
		return VG_ERR_VOID;
	default:
		return VG_ERR_NOT_INDEXABLE;
	}
}

/*
 * What indexing the valid, indexable C with the N index characters IDX
 * finds, and where that lives.  A cappage slot's number is C's subpage
 * characters followed by the index characters.
 */
static struct mcap
model_child(const struct world *w, const struct mcap *c, const char *idx,
    unsigned n, struct mloc *loc)
{
	char full[VG_CAPPAGE_SLOTS_LOG2];
	unsigned i;
	int o;

	switch (c->type) {
	case VG_TYPE_CAPPAGE:
	case VG_TYPE_RCAPPAGE:
		memcpy(full, c->sub, c->sublog);
		memcpy(full + c->sublog, idx, n);
		i = (unsigned)bits_value(full, VG_CAPPAGE_SLOTS_LOG2);
		*loc = (struct mloc){ LOC_SLOT, c->ref, (uint16_t)i };
		return w->obj[c->ref].slot[i];
	case VG_TYPE_FOLIO:
		/* A folio's objects have capabilities made up on the spot. */
		o = w->chunk[c->ref].obj[bits_value(idx, n)];
		*loc = (struct mloc){ LOC_NONE, 0, 0 };
		if (o < 0 || w->obj[o].type == VG_TYPE_VOID)
			return (struct mcap){ .type = VG_TYPE_VOID };
		return (struct mcap){ .type = w->obj[o].type,
		    .ref_kind = REF_OBJ, .ref = (uint16_t)o,
		    .gen = w->obj[o].gen };
	default:
		i = (unsigned)bits_value(idx, n);
		*loc = (struct mloc){ LOC_SLOT, c->ref, (uint16_t)i };
		return w->obj[c->ref].slot[i];
	}
}

/* What the model expects a translation to report. */
struct mres {
	enum vg_err err;
	struct mcap cap;	/* found (OK, VIRTUAL) or failing capability */
	bool weakened_void;	/* CAP is void because it was weakened */
	struct mloc loc;	/* OK, VIRTUAL: where CAP is stored */
	bool weak;
	unsigned steps;
	unsigned consumed;
	unsigned remaining;
	uint64_t addr_bits;	/* GUARD_MISMATCH: address bits compared */
	bool cycle, stale, stale_reused, deep_guard, folio_step;
};

/* Translate the DEPTH characters BITS from the root slot. */
static struct mres
model_translate(const struct world *w, const char *bits, unsigned depth)
{
	struct mres r = { .loc = { LOC_ROOT, 0, 0 } };
	struct mcap cur = w->root_m;
	uint8_t seen[MAX_OBJS] = { 0 };
	unsigned pos = 0, steps = 0;
	bool weak = false;

	/* The root address names the root slot itself: no guard check. */
	if (depth == 0) {
		r.err = VG_OK;
		r.cap = model_view(w, &cur, false, &r.weakened_void);
		r.stale = cur.type != VG_TYPE_VOID &&
		    r.cap.type == VG_TYPE_VOID;
		return r;
	}
	for (;;) {
		struct mcap c = model_view(w, &cur, weak, &r.weakened_void);
		unsigned i, n = 0;
		enum vg_err err = VG_OK;

		if (cur.type != VG_TYPE_VOID && !model_valid(w, &cur)) {
			r.stale = true;
			/* Same oid as a live object, older version. */
			if (cur.ref_kind == REF_OBJ &&
			    w->obj[cur.ref].type != VG_TYPE_VOID &&
			    w->obj[cur.ref].gen != cur.gen)
				r.stale_reused = true;
		}
		r.cap = c;
		r.weak = weak;
		r.steps = steps;
		r.consumed = pos;
		r.remaining = depth - pos;

		/* The guard: it must fit in what is left, then match. */
		if (c.gdepth > depth - pos) {
			r.err = VG_ERR_GUARD_DEPTH;
			return r;
		}
		for (i = 0; i < c.gdepth; i++) {
			if (bits[pos + i] != c.guard[i]) {
				r.err = VG_ERR_GUARD_MISMATCH;
				r.addr_bits = bits_value(bits + pos, c.gdepth);
				return r;
			}
		}
		pos += c.gdepth;
		if (c.gdepth > VG_GUARD_STORED_BITS)
			r.deep_guard = true;
		if (pos == depth) {
			r.err = VG_OK;
			return r;
		}

		/* The guard is consumed: what follows is about indexing. */
		r.consumed = pos;
		r.remaining = depth - pos;
		err = model_width(&c, &n);
		if (err == VG_OK && n > depth - pos)
			err = VG_ERR_ADDR_SHORT;
		if (err != VG_OK) {
			r.err = err;
			return r;
		}
		if (c.type == VG_TYPE_CAPPAGE || c.type == VG_TYPE_RCAPPAGE) {
			if (seen[c.ref])
				r.cycle = true;
			seen[c.ref] = 1;
		}
		if (c.type == VG_TYPE_RCAPPAGE)
			weak = true;
		if (c.type == VG_TYPE_FOLIO)
			r.folio_step = true;
		cur = model_child(w, &c, bits + pos, n, &r.loc);
		pos += n;
		steps++;
	}
}

/* --- building a tree in the kernel and the model at once --------------- */

static void world_add_source(struct world *w, uint8_t ref_kind, unsigned ref,
    uint8_t type, uint32_t gen, struct vg_cap k);

static void
world_boot(struct world *w, unsigned seed, struct stats *st)
{
	struct mchunk *root;
	struct mobj *act;
	unsigned i;

	memset(w, 0, sizeof(*w));
	w->seed = seed;
	w->rng.s = UINT64_C(0x9e3779b97f4a7c15) * seed + 1;
	w->st = st;
	w->t = vgtest_boot(TREE_CHUNKS);

	/* Boot leaves the root folio with the root activity in frame 0. */
	root = &w->chunk[w->nchunk++];
	root->f = w->t.root_folio;
	root->in_use = true;
	root->kcap = w->t.roots.root_folio;
	for (i = 0; i < VG_FOLIO_OBJECTS; i++)
		root->obj[i] = -1;
	root->obj[0] = (int)w->nobj;
	act = &w->obj[w->nobj++];
	act->type = VG_TYPE_ACTIVITY;
	act->kcap = w->t.roots.root_activity;
	/* ... and the console and the power object, for good: capabilities
	 * to them go into the trees too. */
	for (i = 0; i < 2; i++) {
		unsigned index = i == 0 ? FOLIO_BOOT_CONSOLE : FOLIO_BOOT_POWER;
		struct vg_cap k = i == 0 ? w->t.roots.console :
		    w->t.roots.power;
		struct mobj *dev;

		root->obj[index] = (int)w->nobj;
		dev = &w->obj[w->nobj++];
		dev->type = (uint8_t)k.type;
		dev->kcap = k;
		dev->chunk = 0;
		dev->index = (uint16_t)index;
		world_add_source(w, REF_OBJ, (unsigned)root->obj[index],
		    dev->type, dev->gen, k);
	}
}

static void
world_free(struct world *w)
{
	unsigned i;

	for (i = 0; i < w->nobj; i++) {
		free(w->obj[i].slot);
		w->obj[i].slot = NULL;
	}
}

static void
world_add_source(struct world *w, uint8_t ref_kind, unsigned ref,
    uint8_t type, uint32_t gen, struct vg_cap k)
{
	struct source *s;

	assert_true(w->nsrc < MAX_SOURCES);
	s = &w->src[w->nsrc++];
	s->m = (struct mcap){ .type = type, .ref_kind = ref_kind,
	    .ref = (uint16_t)ref, .gen = gen };
	s->k = k;
}

/* Allocate a folio; a freed chunk that comes back keeps its model entry. */
static unsigned
world_folio(struct world *w)
{
	struct folio *f = vgtest_folio(w->t.root_activity);
	struct mchunk *ch = NULL;
	unsigned c, i;

	for (c = 0; c < w->nchunk; c++) {
		if (w->chunk[c].f == f) {
			ch = &w->chunk[c];
			w->st->chunk_reuse++;
			break;
		}
	}
	if (ch == NULL) {
		assert_true(w->nchunk < MAX_CHUNKS);
		c = w->nchunk++;
		ch = &w->chunk[c];
		ch->f = f;
		for (i = 0; i < VG_FOLIO_OBJECTS; i++)
			ch->obj[i] = -1;
	}
	assert_false(ch->in_use);
	ch->in_use = true;
	ch->kcap = folio_cap(f);
	world_add_source(w, REF_CHUNK, c, VG_TYPE_FOLIO, ch->gen, ch->kcap);
	return c;
}

/* Free folio C: its objects die, and so do capabilities to it. */
static void
world_folio_free(struct world *w, unsigned c)
{
	struct mchunk *ch = &w->chunk[c];
	unsigned i;

	assert_int_equal(folio_free(ch->f), VG_OK);
	for (i = 0; i < VG_FOLIO_OBJECTS; i++) {
		struct mobj *o;

		if (ch->obj[i] < 0)
			continue;
		o = &w->obj[ch->obj[i]];
		if (o->type != VG_TYPE_VOID)
			o->gen++;
		o->type = VG_TYPE_VOID;
	}
	ch->in_use = false;
	ch->gen++;
}

/* Create TYPE (VOID: just destroy) in frame INDEX of chunk C. */
static unsigned
world_object(struct world *w, unsigned c, unsigned index, enum vg_type type)
{
	struct mchunk *ch = &w->chunk[c];
	struct mobj *o;
	struct folio_ret r;
	int n = ch->obj[index];

	if (n < 0) {
		assert_true(w->nobj < MAX_OBJS);
		n = (int)w->nobj++;
		ch->obj[index] = n;
		w->obj[n].chunk = (uint16_t)c;
		w->obj[n].index = (uint16_t)index;
	}
	o = &w->obj[n];
	r = folio_object_alloc(ch->f, index, type, 0);
	assert_int_equal(r.err, VG_OK);
	/* Replacing an object kills the old one: its capabilities go stale. */
	if (o->type != VG_TYPE_VOID)
		o->gen++;
	o->type = (uint8_t)type;
	o->kcap = r.cap;
	if (type != VG_TYPE_VOID)
		world_add_source(w, REF_OBJ, (unsigned)n, (uint8_t)type, o->gen,
		    r.cap);
	return (unsigned)n;
}

/*
 * A frame of chunk C that holds no live object (never frame 0 of root).
 * Half the time, one that held an object before, if there is one: then
 * capabilities to the dead object share the new one's oid.
 */
static unsigned
world_free_index(struct world *w, unsigned c)
{
	unsigned i, dead[VG_FOLIO_OBJECTS], ndead = 0;

	for (i = 0; i < VG_FOLIO_OBJECTS; i++) {
		int n = w->chunk[c].obj[i];

		if (n >= 0 && w->obj[n].type == VG_TYPE_VOID)
			dead[ndead++] = i;
	}
	if (ndead > 0 && rng_percent(&w->rng, 50))
		return dead[rng_below(&w->rng, ndead)];
	for (;;) {
		int n;

		i = rng_below(&w->rng, VG_FOLIO_OBJECTS);
		n = w->chunk[c].obj[i];
		if (c == 0 && i == 0)
			continue;
		if (n < 0 || w->obj[n].type == VG_TYPE_VOID)
			return i;
	}
}

/* The kernel slot that the model location LOC stands for. */
static struct vg_cap *
kernel_slot(struct world *w, const struct mloc *loc)
{
	const struct mobj *o;
	void *frame;

	if (loc->kind == LOC_NONE)
		return NULL;
	if (loc->kind == LOC_ROOT)
		return &w->root_k;
	o = &w->obj[loc->obj];
	frame = folio_object_frame(w->chunk[o->chunk].f, o->index);
	switch (o->type) {
	case VG_TYPE_CAPPAGE:
		return &vgtest_cappage(o->kcap)->slot[loc->index];
	case VG_TYPE_THREAD:
		return &((struct thread *)frame)->slot[loc->index];
	case VG_TYPE_MESSENGER:
		return &((struct messenger *)frame)->slot[loc->index];
	default:
		fail_msg("kernel_slot: object %u is no container", loc->obj);
		return NULL;
	}
}

/* The kernel capability for the model capability M made from source S. */
static struct vg_cap
kernel_cap(const struct source *s, const struct mcap *m)
{
	struct vg_cap k = VG_CAP_VOID;

	if (s != NULL) {
		k = s->k;
		k.type = m->type;
		k = vgtest_subpage(k, m->sublog,
		    (unsigned)bits_value(m->sub, m->sublog));
	}
	return vgtest_guarded(k, (uint32_t)bits_value(m->guard, m->gdepth),
	    m->gdepth);
}

/* A random guard: mostly none, sometimes deeper than the 32 stored bits. */
static void
random_guard(struct world *w, struct mcap *m, unsigned maxdepth)
{
	unsigned p = rng_below(&w->rng, 100), i;

	if (p < 55)
		m->gdepth = 0;
	else if (p < 80)
		m->gdepth = (uint8_t)(1 + rng_below(&w->rng, 8));
	else if (p < 90)
		m->gdepth = (uint8_t)(9 + rng_below(&w->rng, 16));
	else
		m->gdepth = (uint8_t)(25 + rng_below(&w->rng, 16));
	if (m->gdepth > maxdepth)
		m->gdepth = (uint8_t)maxdepth;
	/* Only 32 bits are stored: a deeper guard's upper bits are zero. */
	for (i = 0; i < m->gdepth; i++)
		m->guard[i] = (m->gdepth - i > VG_GUARD_STORED_BITS) ? '0' :
		    rng_bit(&w->rng);
}

static void
random_subpage(struct world *w, struct mcap *m, unsigned maxlog)
{
	unsigned i;

	m->sublog = 0;
	if (m->type != VG_TYPE_CAPPAGE && m->type != VG_TYPE_RCAPPAGE)
		return;
	if (rng_percent(&w->rng, 50))
		m->sublog = (uint8_t)(1 + rng_below(&w->rng, maxlog));
	for (i = 0; i < m->sublog; i++)
		m->sub[i] = rng_bit(&w->rng);
}

/* Kinds of capability a slot can get. */
enum pick {
	PICK_VOID,
	PICK_CAPPAGE,
	PICK_RCAPPAGE,
	PICK_PAGE,
	PICK_FOLIO,
	PICK_THREAD,
	PICK_MESSENGER,
	PICK_RMESSENGER,
	PICK_ACTIVITY,
	PICK_STALE,
	PICK_MISTYPED,
};

/* A random source whose capability is currently valid, of strong TYPE. */
static int
pick_live(struct world *w, uint8_t type)
{
	unsigned tries;

	for (tries = 0; tries < 64; tries++) {
		unsigned i = rng_below(&w->rng, w->nsrc);

		if (w->src[i].m.type == type && model_valid(w, &w->src[i].m))
			return (int)i;
	}
	return -1;
}

static int
pick_stale(struct world *w)
{
	unsigned tries;

	for (tries = 0; tries < 64; tries++) {
		unsigned i = rng_below(&w->rng, w->nsrc);

		if (!model_valid(w, &w->src[i].m))
			return (int)i;
	}
	return -1;
}

static enum pick
random_pick(struct world *w)
{
	static const struct {
		enum pick pick;
		unsigned weight;
	} table[] = {
		{ PICK_VOID, 28 }, { PICK_CAPPAGE, 26 }, { PICK_RCAPPAGE, 7 },
		{ PICK_PAGE, 6 }, { PICK_FOLIO, 5 }, { PICK_THREAD, 5 },
		{ PICK_MESSENGER, 5 }, { PICK_RMESSENGER, 3 },
		{ PICK_ACTIVITY, 3 }, { PICK_STALE, 9 }, { PICK_MISTYPED, 3 },
	};
	unsigned total = 0, i, x;

	for (i = 0; i < sizeof(table) / sizeof(table[0]); i++)
		total += table[i].weight;
	x = rng_below(&w->rng, total);
	for (i = 0; x >= table[i].weight; i++)
		x -= table[i].weight;
	return table[i].pick;
}

/* Make a random capability of kind P in *M and return its source (or NULL). */
static const struct source *
random_cap(struct world *w, enum pick p, struct mcap *m)
{
	static const uint8_t any_type[] = {
		VG_TYPE_PAGE, VG_TYPE_RPAGE, VG_TYPE_CAPPAGE, VG_TYPE_RCAPPAGE,
		VG_TYPE_FOLIO, VG_TYPE_ACTIVITY, VG_TYPE_THREAD,
		VG_TYPE_MESSENGER, VG_TYPE_RMESSENGER,
	};
	const struct source *s = NULL;
	int i = -1;
	uint8_t type = VG_TYPE_VOID;

	switch (p) {
	case PICK_VOID:
		break;
	case PICK_CAPPAGE:
	case PICK_RCAPPAGE:
		i = pick_live(w, VG_TYPE_CAPPAGE);
		type = p == PICK_CAPPAGE ? VG_TYPE_CAPPAGE : VG_TYPE_RCAPPAGE;
		break;
	case PICK_PAGE:
		i = pick_live(w, VG_TYPE_PAGE);
		type = rng_percent(&w->rng, 50) ? VG_TYPE_PAGE : VG_TYPE_RPAGE;
		break;
	case PICK_FOLIO:
		i = pick_live(w, VG_TYPE_FOLIO);
		type = VG_TYPE_FOLIO;
		break;
	case PICK_THREAD:
		i = pick_live(w, VG_TYPE_THREAD);
		type = VG_TYPE_THREAD;
		break;
	case PICK_MESSENGER:
	case PICK_RMESSENGER:
		i = pick_live(w, VG_TYPE_MESSENGER);
		type = p == PICK_MESSENGER ? VG_TYPE_MESSENGER :
		    VG_TYPE_RMESSENGER;
		break;
	case PICK_ACTIVITY:
		i = pick_live(w, VG_TYPE_ACTIVITY);
		type = VG_TYPE_ACTIVITY;
		break;
	case PICK_STALE:
		i = pick_stale(w);
		if (i >= 0)
			type = (rng_percent(&w->rng, 70) ||
			    model_weak_of[w->src[i].m.type] == VG_TYPE_VOID) ?
			    w->src[i].m.type : model_weak_of[w->src[i].m.type];
		break;
	case PICK_MISTYPED:
		/* Right object and version, wrong type: reads as void. */
		i = (int)rng_below(&w->rng, w->nsrc);
		do {
			type = any_type[rng_below(&w->rng, sizeof(any_type))];
		} while (model_strong_of[type] == w->src[i].m.type);
		break;
	}
	*m = (struct mcap){ 0 };
	if (i >= 0) {
		s = &w->src[i];
		*m = s->m;
		m->type = type;
	}
	random_guard(w, m, 40);
	random_subpage(w, m, VG_CAPPAGE_SLOTS_LOG2 - 1);
	return s;
}

/* Store M (from source S) in the model slot LOC and its kernel slot. */
static void
world_store(struct world *w, const struct mloc *loc, const struct source *s,
    const struct mcap *m)
{
	*kernel_slot(w, loc) = kernel_cap(s, m);
	if (loc->kind == LOC_ROOT)
		w->root_m = *m;
	else
		w->obj[loc->obj].slot[loc->index] = *m;
}

/* Give every live cappage, thread and messenger its model slots. */
static void
world_slots(struct world *w)
{
	unsigned i;

	for (i = 0; i < w->nobj; i++) {
		struct mobj *o = &w->obj[i];
		unsigned n = o->type == VG_TYPE_CAPPAGE ? VG_CAPPAGE_SLOTS :
		    (o->type == VG_TYPE_THREAD ||
		    o->type == VG_TYPE_MESSENGER) ? VG_OBJECT_SLOTS : 0;

		if (n == 0)
			continue;
		o->slot = calloc(n, sizeof(*o->slot));
		assert_non_null(o->slot);
	}
}

/* Fill every slot of every live container at random; FILL percent non-void. */
static void
world_fill(struct world *w, unsigned fill)
{
	unsigned i, j;

	for (i = 0; i < w->nobj; i++) {
		const struct mobj *o = &w->obj[i];
		unsigned n = o->type == VG_TYPE_CAPPAGE ? VG_CAPPAGE_SLOTS :
		    (o->type == VG_TYPE_THREAD ||
		    o->type == VG_TYPE_MESSENGER) ? VG_OBJECT_SLOTS : 0;

		for (j = 0; j < n; j++) {
			struct mloc loc = { LOC_SLOT, (uint16_t)i,
			    (uint16_t)j };
			enum pick p = rng_percent(&w->rng, fill) ?
			    random_pick(w) : PICK_VOID;
			struct mcap m;
			const struct source *s = random_cap(w, p, &m);

			/* Most void slots have no guard; some keep one. */
			if (s == NULL && rng_percent(&w->rng, 70))
				m.gdepth = 0;
			world_store(w, &loc, s, &m);
		}
	}
}

/* Create COUNT objects of TYPE in chunk C at free frames. */
static void
world_objects(struct world *w, unsigned c, enum vg_type type, unsigned count)
{
	while (count-- > 0)
		world_object(w, c, world_free_index(w, c), type);
}

/*
 * A whole random tree: two live folios plus the root folio, a folio that
 * died (its chunk usually comes back as the second live folio, so its
 * frames are reused at new versions), objects replaced in place, and a
 * root slot that is usually a cappage.
 */
static void
world_build(struct world *w)
{
	static const uint8_t replace_with[] = {
		VG_TYPE_VOID, VG_TYPE_CAPPAGE, VG_TYPE_PAGE, VG_TYPE_THREAD,
		VG_TYPE_MESSENGER,
	};
	struct mloc root = { LOC_ROOT, 0, 0 };
	unsigned a, b, d, i, n;
	const struct source *s = NULL;
	struct mcap m;
	enum pick p;

	a = world_folio(w);
	world_objects(w, a, VG_TYPE_CAPPAGE, 3 + rng_below(&w->rng, 6));
	world_objects(w, a, VG_TYPE_PAGE, 1 + rng_below(&w->rng, 3));
	world_objects(w, a, VG_TYPE_THREAD, 1 + rng_below(&w->rng, 2));
	world_objects(w, a, VG_TYPE_MESSENGER, 1 + rng_below(&w->rng, 2));
	world_objects(w, a, VG_TYPE_ACTIVITY, rng_below(&w->rng, 2));

	d = world_folio(w);
	world_objects(w, d, VG_TYPE_CAPPAGE, 1 + rng_below(&w->rng, 2));
	world_objects(w, d, VG_TYPE_PAGE, 1);
	world_objects(w, d, VG_TYPE_THREAD, 1);
	world_objects(w, d, VG_TYPE_MESSENGER, 1);
	world_folio_free(w, d);

	b = world_folio(w);
	world_objects(w, b, VG_TYPE_CAPPAGE, 2 + rng_below(&w->rng, 4));
	world_objects(w, b, VG_TYPE_PAGE, 1);
	world_objects(w, b, VG_TYPE_THREAD, rng_below(&w->rng, 2));
	world_objects(w, b, VG_TYPE_MESSENGER, rng_below(&w->rng, 2));

	/* Replace a few objects in place: old capabilities go stale. */
	n = 1 + rng_below(&w->rng, 3);
	for (i = 0; i < n; i++) {
		unsigned o = rng_below(&w->rng, w->nobj);
		const struct mobj *obj = &w->obj[o];

		if (obj->type == VG_TYPE_VOID ||
		    obj->type == VG_TYPE_ACTIVITY || obj->chunk == 0 ||
		    !w->chunk[obj->chunk].in_use)
			continue;
		world_object(w, obj->chunk, obj->index,
		    replace_with[rng_below(&w->rng, sizeof(replace_with))]);
	}

	world_slots(w);
	world_fill(w, 30 + rng_below(&w->rng, 50));

	/* The root: mostly a cappage with a short guard; sometimes odd. */
	i = rng_below(&w->rng, 100);
	p = i < 80 ? PICK_CAPPAGE : i < 85 ? PICK_RCAPPAGE :
	    i < 89 ? PICK_FOLIO : i < 93 ? PICK_THREAD :
	    i < 97 ? PICK_MESSENGER : PICK_STALE;
	s = random_cap(w, p, &m);
	random_guard(w, &m, rng_below(&w->rng, 5));
	random_subpage(w, &m, 2);
	world_store(w, &root, s, &m);
}

/* --- comparing the kernel with the model -------------------------------- */

static void
mismatch(const struct world *w, const char *bits, unsigned depth,
    const char *what, uint64_t model, uint64_t kernel)
{
	fail_msg("seed %u, address %.*s/%u: %s: model %" PRIu64
	    ", kernel %" PRIu64, w->seed, (int)depth, bits, depth, what, model,
	    kernel);
}

#define EXPECT(what, model, kernel) do {				\
	uint64_t m_ = (uint64_t)(model), k_ = (uint64_t)(kernel);	\
	if (m_ != k_)							\
		mismatch(w, bits, depth, (what), m_, k_);		\
} while (0)

/* The kernel oid and version of what the (valid or void) M designates. */
static uint32_t
model_oid(const struct world *w, const struct mcap *m)
{
	if (m->ref_kind == REF_OBJ)
		return w->obj[m->ref].kcap.oid;
	if (m->ref_kind == REF_CHUNK)
		return w->chunk[m->ref].kcap.oid;
	return 0;
}

static uint32_t
model_version(const struct world *w, const struct mcap *m)
{
	if (m->ref_kind == REF_OBJ)
		return w->obj[m->ref].kcap.version;
	if (m->ref_kind == REF_CHUNK)
		return w->chunk[m->ref].kcap.version;
	return 0;
}

/*
 * K must be the capability the model found, field for field: void
 * (stale, mistyped or weakened to void) is all zero but its guard.
 */
static void
expect_cap(const struct world *w, const char *bits, unsigned depth,
    const struct mres *m, const struct vg_cap *k)
{
	EXPECT("cap.type", m->cap.type, k->type);
	EXPECT("cap.guard_depth", m->cap.gdepth, k->guard_depth);
	EXPECT("cap.guard", bits_value(m->cap.guard, m->cap.gdepth), k->guard);
	EXPECT("cap.oid", model_oid(w, &m->cap), k->oid);
	EXPECT("cap.version", model_version(w, &m->cap), k->version);
	EXPECT("cap.subpage_log2", m->cap.sublog, k->subpage_log2);
	EXPECT("cap.subpage", bits_value(m->cap.sub, m->cap.sublog),
	    k->subpage);
}

/*
 * The straight walk of A, with the memo the translations before left
 * (every path is checked at each of its prefixes, so the memo is often
 * taken), must answer only where the reference walk R found a slot, and
 * then exactly as R does.
 */
static void
check_straight(struct world *w, const char *bits, unsigned depth,
    vg_addr_t a, const struct as_result *r)
{
	const struct as_memo *m = &w->memo;
	/* What as.h promises about when the memo is used. */
	bool from_memo = m->npath != 0 && m->path[0] == &w->root_k &&
	    depth >= (unsigned)m->consumed + m->n &&
	    (m->consumed == 0 ||
	    ((a.raw ^ m->addr.raw) >> (64 - m->consumed)) == 0);
	struct as_found f, g, h;
	struct as_memo copy = w->memo;
	/* The memo's inline short way, where it answers. */
	bool short_way = as_memo_walk(&w->root_k, a, &w->memo, &h, true);
	/* Without the capability, for a slot to store into: the same
	 * answer otherwise. */
	bool slot_only = as_walk_straight(&w->root_k, a, &copy, &g, false);

	if (!as_walk_straight(&w->root_k, a, &w->memo, &f, true)) {
		EXPECT("straight: slot only", 0, slot_only);
		EXPECT("memo: answered", 0, short_way);
		w->st->straight_declined += r->err == VG_OK && r->slot != NULL;
		return;
	}
	w->st->straight++;
	w->st->straight_memo += from_memo;
	EXPECT("straight: err", VG_OK, r->err);
	EXPECT("straight: slot", (uintptr_t)r->slot, (uintptr_t)f.slot);
	EXPECT("straight: weak", r->weak, f.weak);
	EXPECT("straight: cap", 0, memcmp(&r->cap, &f.cap, sizeof(f.cap)));
	EXPECT("straight: slot only", 1, slot_only);
	EXPECT("straight: slot only: slot", (uintptr_t)f.slot,
	    (uintptr_t)g.slot);
	EXPECT("straight: slot only: weak", f.weak, g.weak);
	if (short_way) {
		w->st->memo_short++;
		EXPECT("memo: slot", (uintptr_t)f.slot, (uintptr_t)h.slot);
		EXPECT("memo: weak", f.weak, h.weak);
		EXPECT("memo: cap", 0, memcmp(&f.cap, &h.cap, sizeof(h.cap)));
	}
}

/* Translate BITS/DEPTH with the kernel and the model; all must agree. */
static void
check_translation(struct world *w, const char *bits, unsigned depth)
{
	struct stats *st = w->st;
	vg_addr_t a = addr_from_bits(bits, depth);
	struct mres m = model_translate(w, bits, depth);
	struct as_result r, l;
	struct vg_cap *mslot = kernel_slot(w, &m.loc);
	enum vg_err want;
	uint8_t type;

	/* The hand-built encoding must be the ABI's. */
	EXPECT("vg_addr", addr_from_bits(bits, depth).raw,
	    vg_addr(bits_value(bits, depth), depth).raw);
	EXPECT("vg_addr_depth", depth, vg_addr_depth(a));

	r = as_walk_run(as_walk_start(&w->root_k, a));
	EXPECT("err", m.err, r.err);
	check_straight(w, bits, depth, a, &r);
	st->checks++;
	st->err[m.err]++;
	st->cycles += m.cycle;
	st->stale += m.stale;
	st->stale_reused += m.stale_reused;
	st->folio_steps += m.folio_step;

	switch (m.err) {
	case VG_OK:
		EXPECT("slot", (uintptr_t)mslot, (uintptr_t)r.slot);
		EXPECT("weak", m.weak, r.weak);
		expect_cap(w, bits, depth, &m, &r.cap);
		st->ok_weak += m.weak;
		st->ok_synth += m.loc.kind == LOC_NONE;
		st->ok_depth52 += depth == VG_ADDR_PAGE_DEPTH;
		st->ok_depth63 += depth == VG_ADDR_DEPTH_MAX;
		st->ok_deep_guard += m.deep_guard;
		st->ok_weak_void += m.weakened_void;
		if (m.loc.kind == LOC_SLOT) {
			st->ok_thread +=
			    w->obj[m.loc.obj].type == VG_TYPE_THREAD;
			st->ok_messenger +=
			    w->obj[m.loc.obj].type == VG_TYPE_MESSENGER;
		}
		break;
	case VG_ERR_VIRTUAL:
		/* The state to resume: just past the rmessenger's guard. */
		expect_cap(w, bits, depth, &m, &r.cap);
		EXPECT("weak", m.weak, r.weak);
		EXPECT("walk.addr", a.raw, r.walk.addr.raw);
		EXPECT("walk.slot", (uintptr_t)mslot, (uintptr_t)r.walk.slot);
		EXPECT("walk.consumed", m.consumed, r.walk.consumed);
		EXPECT("walk.steps", m.steps, r.walk.steps);
		EXPECT("walk.weak", m.weak, r.walk.weak);
		expect_cap(w, bits, depth, &m, &r.walk.cap);
		st->virtual_weak += m.weak;
		break;
	default:
		EXPECT("fault.step", m.steps, r.fault.step);
		EXPECT("fault.consumed", m.consumed, r.fault.consumed);
		EXPECT("fault.remaining", m.remaining, r.fault.remaining);
		EXPECT("fault.found_type", m.cap.type, r.fault.found_type);
		EXPECT("fault.found_guard_depth", m.cap.gdepth,
		    r.fault.found_guard_depth);
		EXPECT("fault.found_guard",
		    bits_value(m.cap.guard, m.cap.gdepth), r.fault.found_guard);
		EXPECT("fault.addr_bits", m.addr_bits, r.fault.addr_bits);
		if (m.err == VG_ERR_GUARD_MISMATCH &&
		    m.cap.gdepth > VG_GUARD_STORED_BITS)
			st->deep_guard_mismatch++;
		break;
	}

	/* A slot to write: not synthesized, not behind a weak capability. */
	l = as_lookup_slot(&w->root_k, a, true);
	want = m.err != VG_OK ? m.err : m.loc.kind == LOC_NONE ?
	    VG_ERR_NOT_INDEXABLE : m.weak ? VG_ERR_WEAK : VG_OK;
	EXPECT("as_lookup_slot(write)", want, l.err);
	if (want == VG_OK)
		EXPECT("as_lookup_slot(write).slot", (uintptr_t)mslot,
		    (uintptr_t)l.slot);
	st->lookup_weak += want == VG_ERR_WEAK;
	st->lookup_synth += m.err == VG_OK && m.loc.kind == LOC_NONE;

	l = as_lookup_slot(&w->root_k, a, false);
	want = m.err != VG_OK ? m.err : m.loc.kind == LOC_NONE ?
	    VG_ERR_NOT_INDEXABLE : VG_OK;
	EXPECT("as_lookup_slot(read)", want, l.err);
	if (want == VG_OK)
		EXPECT("as_lookup_slot(read).slot", (uintptr_t)mslot,
		    (uintptr_t)l.slot);

	/* An object of exactly the type found (after weakening), or not. */
	type = rng_percent(&w->rng, 50) ? m.cap.type :
	    (uint8_t)rng_below(&w->rng, VG_TYPE_COUNT);
	l = as_lookup_object(&w->root_k, a, type);
	want = m.err != VG_OK ? m.err : m.cap.type == VG_TYPE_VOID ?
	    VG_ERR_VOID : m.cap.type != type ? VG_ERR_TYPE : VG_OK;
	EXPECT("as_lookup_object", want, l.err);
	if (want == VG_OK)
		expect_cap(w, bits, depth, &m, &l.cap);
	st->object_ok += want == VG_OK;
	st->object_type += want == VG_ERR_TYPE;
	st->object_void += m.err == VG_OK && want == VG_ERR_VOID;
}

#undef EXPECT

/* --- choosing addresses ------------------------------------------------- */

/* True if the walk can go on below C. */
static bool
indexable(const struct mcap *c)
{
	unsigned n;

	return model_width(c, &n) == VG_OK;
}

/*
 * Choose the N index characters IDX for indexing C at LEN bits.  Prefer
 * a child whose guard ends exactly at depth 52 or 63 (so successes happen
 * there), else one the walk can go on through.
 */
static void
choose_index(struct world *w, const struct mcap *c, bool weak, unsigned len,
    unsigned n, char *idx)
{
	unsigned aim = len + n <= VG_ADDR_PAGE_DEPTH ? VG_ADDR_PAGE_DEPTH :
	    VG_ADDR_DEPTH_MAX;
	unsigned count = 1u << n, i, found = 0, tries;
	char cand[VG_CAPPAGE_SLOTS_LOG2];
	struct mloc loc;
	bool wv;

	for (i = 0; i < count; i++) {
		struct mcap child, v;

		bits_spell(cand, i, n);
		child = model_child(w, c, cand, n, &loc);
		v = model_view(w, &child, weak, &wv);
		if (len + n + v.gdepth == aim &&
		    rng_below(&w->rng, ++found) == 0)
			memcpy(idx, cand, n);
	}
	if (found > 0 && rng_percent(&w->rng, 60))
		return;
	for (tries = 0; tries < 12; tries++) {
		struct mcap child, v;

		for (i = 0; i < n; i++)
			idx[i] = rng_bit(&w->rng);
		if (rng_percent(&w->rng, 20))
			return;
		child = model_child(w, c, idx, n, &loc);
		v = model_view(w, &child, weak, &wv);
		if (indexable(&v) && len + n + v.gdepth <= MAX_BITS)
			return;
	}
}

/* An address that follows the tree from the root; returns its depth. */
static unsigned
path_address(struct world *w, char *bits)
{
	struct mcap cur = w->root_m;
	unsigned len = 0;
	bool weak = false;

	for (;;) {
		bool wv;
		struct mcap c = model_view(w, &cur, weak, &wv);
		char idx[VG_CAPPAGE_SLOTS_LOG2];
		struct mloc loc;
		unsigned i, n;

		for (i = 0; i < c.gdepth; i++) {
			if (len == MAX_BITS)
				return len;
			bits[len++] = c.guard[i];
		}
		if (model_width(&c, &n) != VG_OK)
			return len;
		if (c.type == VG_TYPE_RCAPPAGE)
			weak = true;
		choose_index(w, &c, weak, len, n, idx);
		for (i = 0; i < n; i++) {
			if (len == MAX_BITS)
				return len;
			bits[len++] = idx[i];
		}
		cur = model_child(w, &c, idx, n, &loc);
	}
}

/* Random trees, random addresses: check each path at every prefix depth. */
static void
check_tree(struct world *w)
{
	char bits[MAX_BITS];
	unsigned i, j, len;

	for (i = 0; i < PATHS_PER_TREE; i++) {
		len = path_address(w, bits);
		/* Go on past where the tree ended, or stray off the path. */
		if (len < MAX_BITS && rng_percent(&w->rng, 40)) {
			unsigned to = len +
			    rng_below(&w->rng, MAX_BITS - len + 1);

			while (len < to)
				bits[len++] = rng_bit(&w->rng);
		}
		if (len > 0 && rng_percent(&w->rng, 25)) {
			j = rng_below(&w->rng, len);
			bits[j] = bits[j] == '0' ? '1' : '0';
		}
		for (j = 0; j <= len; j++)
			check_translation(w, bits, j);
	}
	for (i = 0; i < RANDOM_PER_TREE; i++) {
		len = rng_below(&w->rng, MAX_BITS + 1);
		for (j = 0; j < len; j++)
			bits[j] = rng_bit(&w->rng);
		check_translation(w, bits, len);
	}
}

/* --- the tests ---------------------------------------------------------- */

static int
translate_teardown(void **state)
{
	(void)state;
	world_free(&the_world);
	hosted_shutdown();
	return 0;
}

/* Store in LOC a capability of TYPE from source SRC (-1: void). */
static void
world_put(struct world *w, struct mloc loc, int src, uint8_t type,
    const char *guard, const char *sub)
{
	struct mcap m = { 0 };

	if (src >= 0) {
		m = w->src[src].m;
		m.type = type;
	}
	m.gdepth = (uint8_t)strlen(guard);
	memcpy(m.guard, guard, m.gdepth);
	m.sublog = (uint8_t)strlen(sub);
	memcpy(m.sub, sub, m.sublog);
	world_store(w, &loc, src >= 0 ? &w->src[src] : NULL, &m);
}

/*
 * A small tree worked out by hand:
 *
 *	root	= P, guard 1
 *	P[1]	= the folio; frame 4 holds thread T, frame 5 messenger M
 *	P[2]	= rmessenger M
 *	P[5]	= Q, guard of 40 bits (8 zeros, 0xa5a5a5a5), subpage 6/8
 *	P[254]	= rcappage Q, guard 1
 *	P[255]	= rcappage Q
 *	Q[0]	= page G, guard 01
 *	Q[4]	= T
 *	Q[195]	= P (195 = 110 00011: subpage 6, index 3): a cycle
 *	T[2]	= M;  M[1] = void
 */
#define G40 "00000000" "10100101101001011010010110100101"
#define G40_TOP_FLIPPED "10000000" "10100101101001011010010110100101"

struct known {
	const char *bits;
	enum vg_err err;
	unsigned steps;
	unsigned consumed;	/* failures only */
	uint8_t type;		/* found, or failing, type */
	bool weak;
	uint8_t loc;		/* successes: enum loc_kind */
};

static const struct known known[] = {
	{ "", VG_OK, 0, 0, VG_TYPE_CAPPAGE, false, LOC_ROOT },
	{ "1", VG_OK, 0, 0, VG_TYPE_CAPPAGE, false, LOC_ROOT },
	{ "0", VG_ERR_GUARD_MISMATCH, 0, 0, VG_TYPE_CAPPAGE, false, 0 },
	{ "1" "0000010", VG_ERR_ADDR_SHORT, 0, 1, VG_TYPE_CAPPAGE, false, 0 },
	{ "1" "00000101", VG_ERR_GUARD_DEPTH, 1, 9, VG_TYPE_CAPPAGE, false, 0 },
	{ "1" "00000101" G40_TOP_FLIPPED, VG_ERR_GUARD_MISMATCH, 1, 9,
	    VG_TYPE_CAPPAGE, false, 0 },
	{ "1" "00000101" G40, VG_OK, 1, 0, VG_TYPE_CAPPAGE, false, LOC_SLOT },
	{ "1" "00000101" G40 "00011", VG_OK, 2, 0, VG_TYPE_CAPPAGE, false,
	    LOC_SLOT },
	{ "1" "00000101" G40 "00011" "00000101", VG_ERR_GUARD_DEPTH, 3, 62,
	    VG_TYPE_CAPPAGE, false, 0 },
	{ "1" "00000101" G40 "00011" "11111110" "1", VG_OK, 3, 0,
	    VG_TYPE_RCAPPAGE, false, LOC_SLOT },
	{ "1" "00000101" G40 "00011" "11111110" "0", VG_ERR_GUARD_MISMATCH,
	    3, 62, VG_TYPE_RCAPPAGE, false, 0 },
	{ "1" "00000101" G40 "00011" "00000010", VG_OK, 3, 0,
	    VG_TYPE_RMESSENGER, false, LOC_SLOT },
	{ "1" "00000101" G40 "00011" "00000010" "1", VG_ERR_VIRTUAL, 3, 62,
	    VG_TYPE_RMESSENGER, false, 0 },
	{ "1" "11111111", VG_OK, 1, 0, VG_TYPE_RCAPPAGE, false, LOC_SLOT },
	{ "1" "11111111" "00000000", VG_ERR_GUARD_DEPTH, 2, 17,
	    VG_TYPE_RPAGE, true, 0 },
	{ "1" "11111111" "00000000" "01", VG_OK, 2, 0, VG_TYPE_RPAGE, true,
	    LOC_SLOT },
	{ "1" "11111111" "00000000" "010", VG_ERR_NOT_INDEXABLE, 2, 19,
	    VG_TYPE_RPAGE, true, 0 },
	{ "1" "11111111" "00000100", VG_OK, 2, 0, VG_TYPE_VOID, true,
	    LOC_SLOT },
	{ "1" "11111111" "00000100" "1", VG_ERR_VOID, 2, 17, VG_TYPE_VOID,
	    true, 0 },
	{ "1" "00000001" "0000100", VG_OK, 2, 0, VG_TYPE_THREAD, false,
	    LOC_NONE },
	{ "1" "00000001" "0000100" "10", VG_OK, 3, 0, VG_TYPE_MESSENGER, false,
	    LOC_SLOT },
	{ "1" "00000001" "0000100" "10" "0", VG_ERR_ADDR_SHORT, 3, 18,
	    VG_TYPE_MESSENGER, false, 0 },
	{ "1" "00000001" "0000100" "10" "01", VG_OK, 4, 0, VG_TYPE_VOID,
	    false, LOC_SLOT },
	{ "1" "00000001" "0000100" "10" "01" "1", VG_ERR_VOID, 4, 20,
	    VG_TYPE_VOID, false, 0 },
	{ "1" "00000010" "1", VG_ERR_VIRTUAL, 1, 9, VG_TYPE_RMESSENGER, false,
	    0 },
};

/* Build the hand-worked tree above in W. */
static void
known_tree(struct world *w)
{
	unsigned a, p, q, t, m, i;
	int sp, sq, sg, st, sm, sa;

	a = world_folio(w);
	sa = (int)w->nsrc - 1;
	p = world_object(w, a, 1, VG_TYPE_CAPPAGE);
	sp = (int)w->nsrc - 1;
	q = world_object(w, a, 2, VG_TYPE_CAPPAGE);
	sq = (int)w->nsrc - 1;
	world_object(w, a, 3, VG_TYPE_PAGE);
	sg = (int)w->nsrc - 1;
	t = world_object(w, a, 4, VG_TYPE_THREAD);
	st = (int)w->nsrc - 1;
	m = world_object(w, a, 5, VG_TYPE_MESSENGER);
	sm = (int)w->nsrc - 1;
	world_slots(w);
	/* The rest void, no guards, whatever creation left there. */
	for (i = 0; i < w->nobj; i++) {
		unsigned j, n = w->obj[i].type == VG_TYPE_CAPPAGE ?
		    VG_CAPPAGE_SLOTS : VG_OBJECT_SLOTS;

		for (j = 0; w->obj[i].slot != NULL && j < n; j++)
			world_put(w, (struct mloc){ LOC_SLOT, (uint16_t)i,
			    (uint16_t)j }, -1, VG_TYPE_VOID, "", "");
	}

	world_put(w, (struct mloc){ LOC_ROOT, 0, 0 }, sp, VG_TYPE_CAPPAGE,
	    "1", "");
	world_put(w, (struct mloc){ LOC_SLOT, (uint16_t)p, 1 }, sa,
	    VG_TYPE_FOLIO, "", "");
	world_put(w, (struct mloc){ LOC_SLOT, (uint16_t)p, 2 }, sm,
	    VG_TYPE_RMESSENGER, "", "");
	world_put(w, (struct mloc){ LOC_SLOT, (uint16_t)p, 5 }, sq,
	    VG_TYPE_CAPPAGE, G40, "110");
	world_put(w, (struct mloc){ LOC_SLOT, (uint16_t)p, 254 }, sq,
	    VG_TYPE_RCAPPAGE, "1", "");
	world_put(w, (struct mloc){ LOC_SLOT, (uint16_t)p, 255 }, sq,
	    VG_TYPE_RCAPPAGE, "", "");
	world_put(w, (struct mloc){ LOC_SLOT, (uint16_t)q, 0 }, sg,
	    VG_TYPE_PAGE, "01", "");
	world_put(w, (struct mloc){ LOC_SLOT, (uint16_t)q, 4 }, st,
	    VG_TYPE_THREAD, "", "");
	world_put(w, (struct mloc){ LOC_SLOT, (uint16_t)q, 195 }, sp,
	    VG_TYPE_CAPPAGE, "", "");
	world_put(w, (struct mloc){ LOC_SLOT, (uint16_t)t, 2 }, sm,
	    VG_TYPE_MESSENGER, "", "");
	world_put(w, (struct mloc){ LOC_SLOT, (uint16_t)m, 1 }, -1,
	    VG_TYPE_VOID, "", "");
}

/* The model gives the hand-worked answers, and the kernel agrees with it. */
static void
test_translate_known_answers(void **state)
{
	struct stats st = { 0 };
	struct world *w = &the_world;
	unsigned i;

	(void)state;
	world_boot(w, 0, &st);
	known_tree(w);
	for (i = 0; i < sizeof(known) / sizeof(known[0]); i++) {
		const struct known *k = &known[i];
		unsigned depth = (unsigned)strlen(k->bits);
		struct mres m = model_translate(w, k->bits, depth);

		bool ok = m.err == k->err && m.steps == k->steps &&
		    m.cap.type == k->type && m.weak == k->weak &&
		    (k->err == VG_OK ? m.loc.kind == k->loc :
		    m.consumed == k->consumed);

		if (!ok)
			fail_msg("known answer %u (%s/%u): model says err %d, "
			    "steps %u, consumed %u, type %u, weak %d, loc %u",
			    i, k->bits, depth, m.err, m.steps, m.consumed,
			    m.cap.type, m.weak, m.loc.kind);
		check_translation(w, k->bits, depth);
	}
	/* Mismatch inside the zero upper bits of the 40-bit guard. */
	{
		const char *bits = known[5].bits;
		struct mres m = model_translate(w, bits,
		    (unsigned)strlen(bits));

		assert_int_equal(m.addr_bits,
		    UINT64_C(0x8000000000) | UINT64_C(0xa5a5a5a5));
	}
	assert_int_equal(strlen(known[9].bits), VG_ADDR_DEPTH_MAX);
}

/*
 * A thread (or folio, or activity) reached through a weak path weakens to
 * void.  Void is one capability: all zero but the slot's guard, as
 * cap_validate makes it; it must not carry the object's id and version
 * (which a read-only path must not reveal), neither from a walk nor from
 * cap_read.
 */
static void
test_translate_weak_void_is_canonical(void **state)
{
	struct stats st = { 0 };
	struct world *w = &the_world;
	/* Through rcappage Q (P[255]) to thread T (Q[4]). */
	const char *bits = "1" "11111111" "00000100";
	vg_addr_t a = addr_from_bits(bits, (unsigned)strlen(bits));
	struct as_result r;
	struct capop_ret c;

	(void)state;
	world_boot(w, 0, &st);
	known_tree(w);
	r = as_walk_run(as_walk_start(&w->root_k, a));
	c = cap_read(&w->root_k, a);
	assert_int_equal(r.err, VG_OK);
	assert_int_equal(r.cap.type, VG_TYPE_VOID);
	assert_int_equal(r.cap.oid, 0);
	assert_int_equal(r.cap.version, 0);
	assert_int_equal(c.err, VG_OK);
	assert_int_equal(c.cap.type, VG_TYPE_VOID);
	assert_int_equal(c.cap.oid, 0);
	assert_int_equal(c.cap.version, 0);
}

/* Random trees: every translation agrees with the model. */
static void
test_translate_random_trees(void **state)
{
	struct stats st = { 0 };
	struct world *w = &the_world;
	unsigned seed;

	(void)state;
	for (seed = 1; seed <= NTREES; seed++) {
		struct as_result r;

		world_boot(w, seed, &st);
		world_build(w);
		check_tree(w);

		/* The void address is no address at all. */
		r = as_walk_run(as_walk_start(&w->root_k, VG_ADDR_VOID));
		assert_int_equal(r.err, VG_ERR_ADDR);
		assert_int_equal(r.fault.step, 0);
		assert_int_equal(r.fault.consumed, 0);
		st.checks++;
		st.err[VG_ERR_ADDR]++;
		world_free(w);
	}

	print_message("# %lu translations: ok %lu (weak %lu, synthesized %lu, "
	    "thread %lu, messenger %lu, depth 52 %lu, depth 63 %lu, "
	    "guard > 32 bits %lu, weakened to void %lu)\n",
	    st.checks, st.err[VG_OK], st.ok_weak, st.ok_synth, st.ok_thread,
	    st.ok_messenger, st.ok_depth52, st.ok_depth63, st.ok_deep_guard,
	    st.ok_weak_void);
	print_message("# mismatch %lu (guard > 32 bits %lu), guard depth %lu, "
	    "not indexable %lu, void %lu, virtual %lu (weak %lu), "
	    "short %lu, addr %lu\n",
	    st.err[VG_ERR_GUARD_MISMATCH], st.deep_guard_mismatch,
	    st.err[VG_ERR_GUARD_DEPTH], st.err[VG_ERR_NOT_INDEXABLE],
	    st.err[VG_ERR_VOID], st.err[VG_ERR_VIRTUAL], st.virtual_weak,
	    st.err[VG_ERR_ADDR_SHORT], st.err[VG_ERR_ADDR]);
	print_message("# cycles %lu, stale %lu (frame reused %lu; chunks "
	    "reused %lu), folio steps %lu, slot weak %lu, slot synthesized "
	    "%lu, object ok %lu, type %lu, void %lu\n",
	    st.cycles, st.stale, st.stale_reused, st.chunk_reuse,
	    st.folio_steps, st.lookup_weak, st.lookup_synth, st.object_ok,
	    st.object_type, st.object_void);
	print_message("# straight walks %lu (from the memo %lu, its short "
	    "way %lu), declined though a slot was found %lu\n", st.straight,
	    st.straight_memo, st.memo_short, st.straight_declined);

	/*
	 * Enough of everything that agreement means something.  The counts
	 * depend only on the seeds, so these floors (about half of what the
	 * seeds give) catch a generator that stopped reaching somewhere.
	 */
	assert_true(st.checks >= 400000);
	assert_true(st.straight >= 14000);
	assert_true(st.straight_memo >= 5000);
	assert_true(st.memo_short >= 70);
	assert_true(st.err[VG_OK] >= 20000);
	assert_true(st.err[VG_ERR_GUARD_MISMATCH] >= 20000);
	assert_true(st.err[VG_ERR_GUARD_DEPTH] >= 20000);
	assert_true(st.err[VG_ERR_NOT_INDEXABLE] >= 2000);
	assert_true(st.err[VG_ERR_VOID] >= 20000);
	assert_true(st.err[VG_ERR_VIRTUAL] >= 1000);
	assert_true(st.err[VG_ERR_ADDR_SHORT] >= 20000);
	assert_true(st.err[VG_ERR_ADDR] == NTREES);
	assert_true(st.ok_weak >= 1500);
	assert_true(st.ok_synth >= 700);
	assert_true(st.ok_thread >= 600);
	assert_true(st.ok_messenger >= 600);
	assert_true(st.ok_depth52 >= 600);
	assert_true(st.ok_depth63 >= 150);
	assert_true(st.ok_deep_guard >= 800);
	assert_true(st.ok_weak_void >= 50);
	assert_true(st.deep_guard_mismatch >= 1000);
	assert_true(st.cycles >= 10000);
	assert_true(st.stale >= 10000);
	assert_true(st.stale_reused >= 1000);
	assert_true(st.chunk_reuse >= NTREES / 2);
	assert_true(st.folio_steps >= 10000);
	assert_true(st.virtual_weak >= 250);
	assert_true(st.lookup_weak >= 1500);
	assert_true(st.lookup_synth >= 700);
	assert_true(st.object_ok >= 7000);
	assert_true(st.object_type >= 6000);
	assert_true(st.object_void >= 4000);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_teardown(test_translate_known_answers,
		    translate_teardown),
		cmocka_unit_test_teardown(test_translate_weak_void_is_canonical,
		    translate_teardown),
		cmocka_unit_test_teardown(test_translate_random_trees,
		    translate_teardown),
	};

	return cmocka_run_group_tests_name("translate_random", tests, NULL,
	    NULL);
}
