/*
 * Capabilities: the 16-byte format, the type helpers, and how the core
 * decides what a capability designates (object_lookup, cap_validate),
 * checks guards (cap_guard_check) and narrows subpages
 * (cap_subpage_narrow).
 */
#include <string.h>

#include "vgtest.h"

/* ---- format ------------------------------------------------------------ */

/* The layout is ABI: user space builds and reads these bytes. */
static void
test_cap_layout(void **state)
{
	(void)state;
	assert_int_equal(sizeof(struct vg_cap), 16);
	assert_int_equal(offsetof(struct vg_cap, oid), 0);
	assert_int_equal(offsetof(struct vg_cap, version), 4);
	assert_int_equal(offsetof(struct vg_cap, guard), 8);
	assert_int_equal(offsetof(struct vg_cap, type), 12);
	assert_int_equal(offsetof(struct vg_cap, guard_depth), 13);
	assert_int_equal(offsetof(struct vg_cap, subpage_log2), 14);
	assert_int_equal(offsetof(struct vg_cap, subpage), 15);
	/* Field widths: a wider field would overlap the next offset. */
	assert_int_equal(sizeof(((struct vg_cap *)0)->oid), 4);
	assert_int_equal(sizeof(((struct vg_cap *)0)->version), 4);
	assert_int_equal(sizeof(((struct vg_cap *)0)->guard), 4);
	assert_int_equal(sizeof(((struct vg_cap *)0)->type), 1);
	/* Every type value fits in the type byte. */
	assert_true(VG_TYPE_COUNT <= 256);
}

/* The void capability is all-zero bytes and has the void type. */
static void
test_cap_void_is_zero(void **state)
{
	static const unsigned char zero[sizeof(struct vg_cap)];
	struct vg_cap v = VG_CAP_VOID;

	(void)state;
	assert_memory_equal(&v, zero, sizeof(v));
	assert_int_equal(v.type, VG_TYPE_VOID);
	assert_int_equal(VG_TYPE_VOID, 0);
}

/* ---- type helpers ------------------------------------------------------ */

struct type_row {
	enum vg_type type;
	bool weak;
	enum vg_type strong;
	enum vg_type weakened;
	bool subpage;
};

/* What docs/design.md §2 and types.h say about each type, one row per value. */
static const struct type_row type_table[] = {
	{ VG_TYPE_VOID, false, VG_TYPE_VOID, VG_TYPE_VOID, false },
	{ VG_TYPE_PAGE, false, VG_TYPE_PAGE, VG_TYPE_RPAGE, false },
	{ VG_TYPE_RPAGE, true, VG_TYPE_PAGE, VG_TYPE_RPAGE, false },
	{ VG_TYPE_CAPPAGE, false, VG_TYPE_CAPPAGE, VG_TYPE_RCAPPAGE, true },
	{ VG_TYPE_RCAPPAGE, true, VG_TYPE_CAPPAGE, VG_TYPE_RCAPPAGE, true },
	{ VG_TYPE_FOLIO, false, VG_TYPE_FOLIO, VG_TYPE_VOID, false },
	{ VG_TYPE_ACTIVITY, false, VG_TYPE_ACTIVITY, VG_TYPE_VOID, false },
	{ VG_TYPE_THREAD, false, VG_TYPE_THREAD, VG_TYPE_VOID, false },
	{ VG_TYPE_MESSENGER, false, VG_TYPE_MESSENGER, VG_TYPE_RMESSENGER,
	    false },
	{ VG_TYPE_RMESSENGER, true, VG_TYPE_MESSENGER, VG_TYPE_RMESSENGER,
	    false },
	{ VG_TYPE_CONSOLE, false, VG_TYPE_CONSOLE, VG_TYPE_VOID, false },
	{ VG_TYPE_POWER, false, VG_TYPE_POWER, VG_TYPE_VOID, false },
	{ VG_TYPE_IRQ_CONTROL, false, VG_TYPE_IRQ_CONTROL, VG_TYPE_VOID,
	    false },
	{ VG_TYPE_IRQ, false, VG_TYPE_IRQ, VG_TYPE_VOID, false },
	{ VG_TYPE_IOPORT_CONTROL, false, VG_TYPE_IOPORT_CONTROL, VG_TYPE_VOID,
	    false },
	{ VG_TYPE_IOPORT, false, VG_TYPE_IOPORT, VG_TYPE_VOID, false },
	{ VG_TYPE_DEVMEM_CONTROL, false, VG_TYPE_DEVMEM_CONTROL, VG_TYPE_VOID,
	    false },
	{ VG_TYPE_DEVMEM, false, VG_TYPE_DEVMEM, VG_TYPE_VOID, false },
	{ VG_TYPE_DMA_CONTROL, false, VG_TYPE_DMA_CONTROL, VG_TYPE_VOID,
	    false },
};

/* A new type must get a row here. */
_Static_assert(sizeof(type_table) / sizeof(type_table[0]) == VG_TYPE_COUNT,
    "type_table covers every type");

static void
test_cap_type_table(void **state)
{
	unsigned i;

	(void)state;
	for (i = 0; i < VG_TYPE_COUNT; i++) {
		const struct type_row *r = &type_table[i];

		assert_int_equal(r->type, i);
		assert_int_equal(vg_type_is_weak(r->type), r->weak);
		assert_int_equal(vg_type_strong(r->type), r->strong);
		assert_int_equal(vg_type_weaken(r->type), r->weakened);
		assert_int_equal(vg_type_has_subpage(r->type), r->subpage);
	}
}

/* Relations that must hold whatever the table says. */
static void
test_cap_type_properties(void **state)
{
	unsigned i;

	(void)state;
	for (i = 0; i < VG_TYPE_COUNT; i++) {
		enum vg_type t = (enum vg_type)i;
		enum vg_type w = vg_type_weaken(t);

		/* Strong types are fixed points of vg_type_strong. */
		assert_int_equal(vg_type_strong(t) == t, !vg_type_is_weak(t));
		assert_false(vg_type_is_weak(vg_type_strong(t)));
		/* Weakening is idempotent and yields weak or void. */
		assert_int_equal(vg_type_weaken(w), w);
		assert_true(w == VG_TYPE_VOID || vg_type_is_weak(w));
		/* Weakening keeps the object: same strong type, or none. */
		if (w != VG_TYPE_VOID)
			assert_int_equal(vg_type_strong(w), vg_type_strong(t));
		/* A weak cappage still carries its subpage selection. */
		assert_int_equal(vg_type_has_subpage(t),
		    vg_type_has_subpage(vg_type_strong(t)));
	}
}

/* Out-of-range type bytes (a corrupt cap) get no authority. */
static void
test_cap_type_out_of_range(void **state)
{
	unsigned i;

	(void)state;
	for (i = VG_TYPE_COUNT; i < 256; i++) {
		enum vg_type t = (enum vg_type)i;

		assert_false(vg_type_is_weak(t));
		assert_false(vg_type_has_subpage(t));
		assert_int_equal(vg_type_weaken(t), VG_TYPE_VOID);
	}
}

/* ---- object_lookup and cap_validate -------------------------------------- */

/* What cap_validate must return for CAP when CAP designates nothing. */
static struct vg_cap
void_keeping_guard(struct vg_cap cap)
{
	return (struct vg_cap){ .guard = cap.guard,
	    .guard_depth = cap.guard_depth };
}

/* CAP designates nothing: lookup fails and validation keeps only the guard. */
static void
assert_stale(struct vg_cap cap)
{
	struct vg_cap want = void_keeping_guard(cap);
	struct vg_cap got = cap_validate(cap);

	assert_null(object_lookup(&cap));
	assert_memory_equal(&got, &want, sizeof(got));
}

/* CAP designates FRAME: lookup finds it and validation keeps CAP whole. */
static void
assert_designates(struct vg_cap cap, void *frame)
{
	struct vg_cap got = cap_validate(cap);

	assert_non_null(frame);
	assert_ptr_equal(object_lookup(&cap), frame);
	assert_memory_equal(&got, &cap, sizeof(got));
}

/* The capability a new object comes with designates its own frame. */
static void
test_cap_fresh_object_designates_frame(void **state)
{
	static const enum vg_type types[] = { VG_TYPE_PAGE, VG_TYPE_CAPPAGE,
	    VG_TYPE_ACTIVITY, VG_TYPE_THREAD, VG_TYPE_MESSENGER };
	struct vgtest *t = *state;
	unsigned i;

	for (i = 0; i < sizeof(types) / sizeof(types[0]); i++) {
		unsigned index = 1 + i;
		struct vg_cap cap = vgtest_object(t->root_folio, index,
		    types[i]);
		void *frame = folio_object_frame(t->root_folio, index);

		assert_int_equal(cap.type, types[i]);
		assert_int_equal(cap.oid, folio_object_oid(t->root_folio,
		    index));
		assert_int_equal(cap.guard, 0);
		assert_int_equal(cap.guard_depth, 0);
		/* An activity's maker gets the right to set its limits. */
		assert_int_equal(cap.subpage_log2, types[i] == VG_TYPE_ACTIVITY ?
		    VG_CAP_LIMIT : 0);
		assert_int_equal(cap.subpage, 0);
		assert_ptr_equal(frame, storage_frame(cap.oid));
		assert_designates(cap, frame);
		/* Distinct slots are distinct frames. */
		if (i > 0)
			assert_ptr_not_equal(frame, folio_object_frame(
			    t->root_folio, index - 1));
	}
}

/* The boot capabilities designate the root folio, the root activity,
 * and the console and power objects in the root folio. */
static void
test_cap_boot_caps_designate_roots(void **state)
{
	struct vgtest *t = *state;

	assert_designates(t->roots.root_folio, t->root_folio);
	assert_designates(t->roots.root_activity,
	    folio_object_frame(t->root_folio, 0));
	assert_int_equal(t->roots.console.type, VG_TYPE_CONSOLE);
	assert_designates(t->roots.console,
	    folio_object_frame(t->root_folio, FOLIO_BOOT_CONSOLE));
	assert_int_equal(t->roots.power.type, VG_TYPE_POWER);
	assert_designates(t->roots.power,
	    folio_object_frame(t->root_folio, FOLIO_BOOT_POWER));
	/* A weak path gives neither. */
	assert_int_equal(cap_weaken(t->roots.console).type, VG_TYPE_VOID);
	assert_int_equal(cap_weaken(t->roots.power).type, VG_TYPE_VOID);
}

/* A guard or subpage on a valid cap does not change what it designates. */
static void
test_cap_translator_does_not_affect_designation(void **state)
{
	struct vgtest *t = *state;
	struct vg_cap cp = vgtest_object(t->root_folio, 1, VG_TYPE_CAPPAGE);
	struct vg_cap pg = vgtest_object(t->root_folio, 2, VG_TYPE_PAGE);

	assert_designates(vgtest_subpage(vgtest_guarded(cp, 0x5, 3), 2, 3),
	    folio_object_frame(t->root_folio, 1));
	assert_designates(vgtest_guarded(pg, 0xffffffffu, 63),
	    folio_object_frame(t->root_folio, 2));
}

/* Any version but the current one reads as void. */
static void
test_cap_wrong_version_is_stale(void **state)
{
	struct vgtest *t = *state;
	struct vg_cap cap = vgtest_guarded(vgtest_object(t->root_folio, 3,
	    VG_TYPE_PAGE), 0x2a, 9);
	static const uint32_t deltas[] = { 1, UINT32_MAX, 2, 0x80000000u };
	unsigned i;

	for (i = 0; i < sizeof(deltas) / sizeof(deltas[0]); i++) {
		struct vg_cap bad = cap;

		bad.version += deltas[i];
		assert_stale(bad);
	}
	/* The original is unaffected. */
	assert_designates(cap, folio_object_frame(t->root_folio, 3));
}

/* The type field must match the object (or be its weak variant). */
static void
test_cap_wrong_type_is_stale(void **state)
{
	struct vgtest *t = *state;
	struct vg_cap page = vgtest_guarded(vgtest_object(t->root_folio, 4,
	    VG_TYPE_PAGE), 1, 1);
	struct vg_cap cappage = vgtest_object(t->root_folio, 5,
	    VG_TYPE_CAPPAGE);
	unsigned ty;

	for (ty = 0; ty < 256; ty++) {
		struct vg_cap bad = page;

		if (ty == VG_TYPE_PAGE || ty == VG_TYPE_RPAGE)
			continue;
		bad.type = (uint8_t)ty;
		assert_stale(bad);
	}
	for (ty = 0; ty < 256; ty++) {
		struct vg_cap bad = cappage;

		if (ty == VG_TYPE_CAPPAGE || ty == VG_TYPE_RCAPPAGE)
			continue;
		bad.type = (uint8_t)ty;
		assert_stale(bad);
	}
}

/* Ids outside the storage window designate nothing. */
static void
test_cap_oid_out_of_range_is_stale(void **state)
{
	struct vgtest *t = *state;
	struct vg_cap cap = vgtest_guarded(vgtest_object(t->root_folio, 6,
	    VG_TYPE_PAGE), 7, 3);
	uint32_t end = storage_nchunks * FOLIO_FRAMES;
	const uint32_t beyond[] = { end, end + 1, end + FOLIO_FRAMES,
	    0x7fffffffu, UINT32_MAX - 1, UINT32_MAX };
	unsigned i;

	(void)t;
	assert_int_equal(storage_nchunks, VGTEST_CHUNKS);
	assert_true(storage_oid_valid(end - 1));
	for (i = 0; i < sizeof(beyond) / sizeof(beyond[0]); i++) {
		struct vg_cap bad = cap;

		bad.oid = beyond[i];
		assert_stale(bad);
	}
	/* The same for a folio-typed capability. */
	cap.type = VG_TYPE_FOLIO;
	cap.oid = end;
	assert_stale(cap);
}

/* Folio ids and object ids are not interchangeable. */
static void
test_cap_folio_and_object_ids_do_not_mix(void **state)
{
	struct vgtest *t = *state;
	struct vg_cap page = vgtest_object(t->root_folio, 7, VG_TYPE_PAGE);
	struct vg_cap folio = folio_cap(t->root_folio);
	struct vg_cap bad;

	assert_designates(folio, t->root_folio);
	/* A folio-typed cap naming an object frame. */
	bad = page;
	bad.type = VG_TYPE_FOLIO;
	assert_stale(bad);
	/* A page-typed cap naming a folio header, at the folio's version. */
	bad = folio;
	bad.type = VG_TYPE_PAGE;
	assert_stale(bad);
}

/* Ids in a chunk that was never allocated designate nothing. */
static void
test_cap_oid_in_free_folio_is_stale(void **state)
{
	struct vgtest *t = *state;
	uint32_t chunk = VGTEST_CHUNKS - 1;
	uint32_t header = chunk * FOLIO_FRAMES;
	struct folio *f = storage_owner(header);
	unsigned ty, v;

	(void)t;
	assert_false(f->in_use);
	for (v = 0; v < 2; v++) {
		assert_stale((struct vg_cap){ .oid = header, .version = v,
		    .type = VG_TYPE_FOLIO, .guard = 3, .guard_depth = 2 });
		for (ty = 0; ty < VG_TYPE_COUNT; ty++) {
			assert_stale((struct vg_cap){ .oid = header + 1,
			    .version = v, .type = (uint8_t)ty });
			assert_stale((struct vg_cap){ .oid = header + 128,
			    .version = v, .type = (uint8_t)ty });
		}
	}
}

/* Replacing an object makes the old cap stale; the new one is valid. */
static void
test_cap_replaced_object_is_stale(void **state)
{
	struct vgtest *t = *state;
	struct vg_cap old = vgtest_guarded(vgtest_object(t->root_folio, 8,
	    VG_TYPE_PAGE), 0x15, 5);
	struct vg_cap fresh;
	void *frame = folio_object_frame(t->root_folio, 8);

	assert_designates(old, frame);
	fresh = vgtest_object(t->root_folio, 8, VG_TYPE_CAPPAGE);
	assert_int_equal(fresh.oid, old.oid);
	assert_true(fresh.version > old.version);
	assert_stale(old);
	/* Old id and version with the fresh type: still stale. */
	old.type = VG_TYPE_CAPPAGE;
	assert_stale(old);
	assert_designates(fresh, frame);

	/* Same type again: versions alone tell them apart. */
	old = fresh;
	fresh = vgtest_object(t->root_folio, 8, VG_TYPE_CAPPAGE);
	assert_true(fresh.version > old.version);
	assert_stale(old);
	assert_designates(fresh, frame);
}

/* Destroying with VG_TYPE_VOID leaves nothing designated. */
static void
test_cap_destroyed_object_is_stale(void **state)
{
	struct vgtest *t = *state;
	struct vg_cap cap = vgtest_object(t->root_folio, 9, VG_TYPE_MESSENGER);
	struct vg_cap weak = cap;
	struct vg_cap gone, now, again;

	weak.type = VG_TYPE_RMESSENGER;
	gone = vgtest_object(t->root_folio, 9, VG_TYPE_VOID);
	assert_memory_equal(&gone, &VG_CAP_VOID, sizeof(gone));
	assert_stale(cap);
	assert_stale(weak);
	now = folio_object_cap(t->root_folio, 9);
	assert_memory_equal(&now, &VG_CAP_VOID, sizeof(now));
	assert_int_equal(t->root_folio->object[9].version, cap.version + 1);
	assert_int_equal(t->root_folio->object[9].type, VG_TYPE_VOID);

	/* A new object in the slot does not revive the old cap. */
	again = vgtest_object(t->root_folio, 9, VG_TYPE_MESSENGER);
	assert_true(again.version > cap.version);
	assert_stale(cap);
	assert_designates(again, folio_object_frame(t->root_folio, 9));
}

/* A weak cap designates the same frame as its strong type. */
static void
test_cap_weak_cap_designates_same_frame(void **state)
{
	struct vgtest *t = *state;
	static const enum vg_type types[] = { VG_TYPE_PAGE, VG_TYPE_CAPPAGE,
	    VG_TYPE_MESSENGER };
	unsigned i;

	for (i = 0; i < sizeof(types) / sizeof(types[0]); i++) {
		unsigned index = 10 + i;
		struct vg_cap cap = vgtest_object(t->root_folio, index,
		    types[i]);
		struct vg_cap weak = cap;

		weak.type = (uint8_t)vg_type_weaken(types[i]);
		assert_int_not_equal(weak.type, cap.type);
		assert_designates(weak, folio_object_frame(t->root_folio,
		    index));
		/* A stale weak cap is as dead as a stale strong one. */
		weak.version++;
		assert_stale(weak);
	}
}

/* A weak type of another object's kind designates nothing. */
static void
test_cap_weak_cap_of_wrong_kind_is_stale(void **state)
{
	struct vgtest *t = *state;
	struct vg_cap page = vgtest_object(t->root_folio, 13, VG_TYPE_PAGE);
	struct vg_cap act = vgtest_object(t->root_folio, 14, VG_TYPE_ACTIVITY);

	page.type = VG_TYPE_RCAPPAGE;
	assert_stale(page);
	page.type = VG_TYPE_RMESSENGER;
	assert_stale(page);
	act.type = VG_TYPE_RPAGE;
	assert_stale(act);
}

/* Folio caps live exactly as long as the folio is allocated. */
static void
test_cap_folio_cap_stale_after_free(void **state)
{
	struct vgtest *t = *state;
	struct folio *f = vgtest_folio(t->root_activity);
	struct vg_cap fcap = vgtest_guarded(folio_cap(f), 0x3, 2);
	struct vg_cap obj = vgtest_object(f, 5, VG_TYPE_PAGE);
	struct folio *g;
	struct vg_cap gcap;

	assert_designates(fcap, f);
	assert_designates(obj, folio_object_frame(f, 5));
	assert_int_equal(folio_free(f), VG_OK);
	assert_stale(fcap);
	assert_stale(obj);
	/* Even at its current version, a free folio designates nothing. */
	assert_stale(folio_cap(f));

	/* The pool hands the same chunk out again; old caps stay stale. */
	g = vgtest_folio(t->root_activity);
	assert_ptr_equal(g, f);
	gcap = folio_cap(g);
	assert_int_equal(gcap.oid, fcap.oid);
	assert_true(gcap.version > fcap.version);
	assert_designates(gcap, g);
	assert_stale(fcap);
	assert_stale(obj);
	/* Even once the slot holds an object of the same type again. */
	assert_designates(vgtest_object(g, 5, VG_TYPE_PAGE),
	    folio_object_frame(g, 5));
	assert_stale(obj);
}

/* cap_validate of the void cap (with or without a guard) is itself. */
static void
test_cap_validate_void(void **state)
{
	struct vg_cap v = VG_CAP_VOID;
	struct vg_cap got = cap_validate(v);

	(void)state;
	assert_memory_equal(&got, &v, sizeof(v));
	assert_null(object_lookup(&v));
	/* Junk in a void-typed cap is dropped, the guard kept. */
	assert_stale((struct vg_cap){ .oid = 1, .version = 0, .guard = 9,
	    .type = VG_TYPE_VOID, .guard_depth = 4, .subpage_log2 = 1,
	    .subpage = 1 });
}

/* ---- cap_guard_check ----------------------------------------------------- */

/* Depths 0..63 are accepted with an empty guard; 64 and beyond are not. */
static void
test_cap_guard_depth_limit(void **state)
{
	static const unsigned bad[] = { 64, 65, 100, 255, 256, 0x80000000u,
	    ~0u };
	unsigned d, i;

	(void)state;
	for (d = 0; d <= VG_GUARD_DEPTH_MAX; d++)
		assert_int_equal(cap_guard_check(0, d), VG_OK);
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		assert_int_equal(cap_guard_check(0, bad[i]), VG_ERR_GUARD);
		assert_int_equal(cap_guard_check(1, bad[i]), VG_ERR_GUARD);
	}
}

/* A guard shallower than 32 bits must fit in its depth. */
static void
test_cap_guard_value_fits_depth(void **state)
{
	unsigned d, b;

	(void)state;
	for (d = 0; d < VG_GUARD_STORED_BITS; d++) {
		assert_int_equal(cap_guard_check(vg_bits_mask(d), d), VG_OK);
		for (b = d; b < 64; b++)
			assert_int_equal(cap_guard_check(UINT64_C(1) << b, d),
			    VG_ERR_GUARD);
		assert_int_equal(cap_guard_check(~UINT64_C(0), d),
		    VG_ERR_GUARD);
	}
}

/*
 * Deeper guards accept any 32-bit value; bits above 32 cannot be stored
 * (cap.h: a deeper guard's upper bits are zero), so they are rejected.
 */
static void
test_cap_guard_deep_stores_32_bits(void **state)
{
	unsigned d, b;

	(void)state;
	for (d = VG_GUARD_STORED_BITS; d <= VG_GUARD_DEPTH_MAX; d++) {
		assert_int_equal(cap_guard_check(0xffffffffu, d), VG_OK);
		assert_int_equal(cap_guard_check(0x80000001u, d), VG_OK);
		for (b = VG_GUARD_STORED_BITS; b < 64; b++)
			assert_int_equal(cap_guard_check(UINT64_C(1) << b, d),
			    VG_ERR_GUARD);
	}
}

/* ---- cap_subpage_narrow -------------------------------------------------- */

/* A cappage cap with distinctive values in every other field. */
static struct vg_cap
marked_cappage(enum vg_type type, unsigned log2, unsigned index)
{
	return (struct vg_cap){ .oid = 0x1234, .version = 0x5678,
	    .guard = 0x9a, .type = (uint8_t)type, .guard_depth = 11,
	    .subpage_log2 = (uint8_t)log2, .subpage = (uint8_t)index };
}

/* Narrowing must fail with VG_ERR_SUBPAGE and leave *CAP untouched. */
static void
assert_narrow_fails(struct vg_cap cap, unsigned log2, unsigned index)
{
	struct vg_cap before = cap;

	assert_int_equal(cap_subpage_narrow(&cap, log2, index),
	    VG_ERR_SUBPAGE);
	assert_memory_equal(&cap, &before, sizeof(cap));
}

/* The worked example: half 1, then half 0 of that, is quarter 2. */
static void
test_cap_subpage_narrow_composes(void **state)
{
	struct vg_cap cap = marked_cappage(VG_TYPE_CAPPAGE, 1, 1);
	struct vg_cap want = marked_cappage(VG_TYPE_CAPPAGE, 2, 2);

	(void)state;
	assert_int_equal(cap_subpage_narrow(&cap, 1, 0), VG_OK);
	assert_memory_equal(&cap, &want, sizeof(cap));
	/* Then the upper half of quarter 2 is eighth 5. */
	assert_int_equal(cap_subpage_narrow(&cap, 1, 1), VG_OK);
	assert_int_equal(cap.subpage_log2, 3);
	assert_int_equal(cap.subpage, 5);
}

/* First slot and slot count of a selection. */
static unsigned
sel_first(unsigned log2, unsigned index)
{
	return index << (VG_CAPPAGE_SLOTS_LOG2 - log2);
}

static unsigned
sel_count(unsigned log2)
{
	return VG_CAPPAGE_SLOTS >> log2;
}

/*
 * Exhaustively: narrowing any selection by any part gives a selection
 * inside the original, at the right place, and never finer than 1/128.
 */
static void
test_cap_subpage_narrow_exhaustive(void **state)
{
	unsigned a, i, b, j, ok = 0;

	(void)state;
	for (a = 0; a < VG_CAPPAGE_SLOTS_LOG2; a++) {
		for (i = 0; i < (1u << a); i++) {
			for (b = 0; b < VG_CAPPAGE_SLOTS_LOG2; b++) {
				for (j = 0; j < (1u << b); j++) {
					struct vg_cap cap = marked_cappage(
					    VG_TYPE_CAPPAGE, a, i);
					unsigned f, n;

					if (a + b >= VG_CAPPAGE_SLOTS_LOG2) {
						assert_narrow_fails(cap, b, j);
						continue;
					}
					assert_int_equal(cap_subpage_narrow(
					    &cap, b, j), VG_OK);
					assert_int_equal(cap.subpage_log2,
					    a + b);
					assert_true(cap.subpage <
					    (1u << cap.subpage_log2));
					f = sel_first(cap.subpage_log2,
					    cap.subpage);
					n = sel_count(cap.subpage_log2);
					/* Part j of the old selection. */
					assert_int_equal(f, sel_first(a, i) +
					    j * n);
					assert_int_equal(n * (1u << b),
					    sel_count(a));
					assert_int_equal(cap.oid, 0x1234);
					assert_int_equal(cap.guard, 0x9a);
					assert_int_equal(cap.guard_depth, 11);
					ok++;
				}
			}
		}
	}
	/* sum over totals t < 8 of (t + 1) * 2^t selections. */
	assert_int_equal(ok, 1793);
}

/* Narrowing by one part (0/0) changes nothing, even at 1/128. */
static void
test_cap_subpage_narrow_by_whole_is_identity(void **state)
{
	unsigned a, i;

	(void)state;
	for (a = 0; a < VG_CAPPAGE_SLOTS_LOG2; a++) {
		for (i = 0; i < (1u << a); i += 1 + i) {
			struct vg_cap cap = marked_cappage(VG_TYPE_RCAPPAGE,
			    a, i);
			struct vg_cap before = cap;

			assert_int_equal(cap_subpage_narrow(&cap, 0, 0), VG_OK);
			assert_memory_equal(&cap, &before, sizeof(cap));
		}
	}
}

/* 1/256 and finer, in one step or several, are rejected. */
static void
test_cap_subpage_narrow_too_fine(void **state)
{
	static const unsigned big[] = { 8, 9, 16, 31, 32, 33, 64, 0x80000000u,
	    ~0u };
	unsigned i;

	(void)state;
	for (i = 0; i < sizeof(big) / sizeof(big[0]); i++) {
		assert_narrow_fails(marked_cappage(VG_TYPE_CAPPAGE, 0, 0),
		    big[i], 0);
		assert_narrow_fails(marked_cappage(VG_TYPE_RCAPPAGE, 0, 0),
		    big[i], 1);
	}
	assert_narrow_fails(marked_cappage(VG_TYPE_CAPPAGE, 7, 127), 1, 0);
	assert_narrow_fails(marked_cappage(VG_TYPE_CAPPAGE, 4, 3), 4, 0);
	assert_narrow_fails(marked_cappage(VG_TYPE_CAPPAGE, 1, 0), 7, 0);
}

/* The part index must be below 2^log2. */
static void
test_cap_subpage_narrow_index_range(void **state)
{
	unsigned b;

	(void)state;
	for (b = 0; b < VG_CAPPAGE_SLOTS_LOG2; b++) {
		struct vg_cap cap = marked_cappage(VG_TYPE_CAPPAGE, 0, 0);

		assert_narrow_fails(cap, b, 1u << b);
		assert_narrow_fails(cap, b, (1u << b) + 1);
		assert_narrow_fails(cap, b, 255);
		assert_narrow_fails(cap, b, 256);
		assert_narrow_fails(cap, b, ~0u);
		assert_int_equal(cap_subpage_narrow(&cap, b, (1u << b) - 1),
		    VG_OK);
	}
}

/* Types without subpages accept only the trivial selection. */
static void
test_cap_subpage_narrow_other_types(void **state)
{
	unsigned ty;

	(void)state;
	for (ty = 0; ty < 256; ty++) {
		struct vg_cap cap = marked_cappage((enum vg_type)ty, 0, 0);
		struct vg_cap before = cap;

		if (ty == VG_TYPE_CAPPAGE || ty == VG_TYPE_RCAPPAGE)
			continue;
		assert_int_equal(cap_subpage_narrow(&cap, 0, 0), VG_OK);
		assert_memory_equal(&cap, &before, sizeof(cap));
		assert_narrow_fails(cap, 1, 0);
		assert_narrow_fails(cap, 0, 1);
		assert_narrow_fails(cap, 1, 1);
		assert_narrow_fails(cap, 7, 0);
		assert_narrow_fails(cap, ~0u, ~0u);
	}
}

int
main(void)
{
#define CORE(f)	cmocka_unit_test_setup_teardown(f, vgtest_setup, \
	    vgtest_teardown)
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_cap_layout),
		cmocka_unit_test(test_cap_void_is_zero),
		cmocka_unit_test(test_cap_type_table),
		cmocka_unit_test(test_cap_type_properties),
		cmocka_unit_test(test_cap_type_out_of_range),
		CORE(test_cap_fresh_object_designates_frame),
		CORE(test_cap_boot_caps_designate_roots),
		CORE(test_cap_translator_does_not_affect_designation),
		CORE(test_cap_wrong_version_is_stale),
		CORE(test_cap_wrong_type_is_stale),
		CORE(test_cap_oid_out_of_range_is_stale),
		CORE(test_cap_folio_and_object_ids_do_not_mix),
		CORE(test_cap_oid_in_free_folio_is_stale),
		CORE(test_cap_replaced_object_is_stale),
		CORE(test_cap_destroyed_object_is_stale),
		CORE(test_cap_weak_cap_designates_same_frame),
		CORE(test_cap_weak_cap_of_wrong_kind_is_stale),
		CORE(test_cap_folio_cap_stale_after_free),
		CORE(test_cap_validate_void),
		cmocka_unit_test(test_cap_guard_depth_limit),
		cmocka_unit_test(test_cap_guard_value_fits_depth),
		cmocka_unit_test(test_cap_guard_deep_stores_32_bits),
		cmocka_unit_test(test_cap_subpage_narrow_composes),
		cmocka_unit_test(test_cap_subpage_narrow_exhaustive),
		cmocka_unit_test(test_cap_subpage_narrow_by_whole_is_identity),
		cmocka_unit_test(test_cap_subpage_narrow_too_fine),
		cmocka_unit_test(test_cap_subpage_narrow_index_range),
		cmocka_unit_test(test_cap_subpage_narrow_other_types),
	};
#undef CORE

	return cmocka_run_group_tests_name("cap", tests, NULL, NULL);
}
