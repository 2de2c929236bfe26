/*
 * cap_copy, cap_read and cap_rubout: success paths, every flag, and every
 * error path, each checked to leave the target unchanged on failure.
 */
#include <string.h>

#include "vgtest.h"

struct fixture {
	struct vgtest t;
	struct folio *f;
	struct vg_cap root;	/* root slot: cappage A */
	struct cappage *a;
	struct vg_cap other;	/* a second space's root: cappage B */
	struct cappage *b;
	struct vg_cap page;	/* a page at A[1] */
};

static const struct vg_cap_translator no_tr;

static int
setup(void **state)
{
	struct fixture *x = test_malloc(sizeof(*x));

	x->t = vgtest_boot(VGTEST_CHUNKS);
	x->f = vgtest_folio(x->t.root_activity);
	x->root = vgtest_object(x->f, 0, VG_TYPE_CAPPAGE);
	x->a = vgtest_cappage(x->root);
	x->other = vgtest_object(x->f, 1, VG_TYPE_CAPPAGE);
	x->b = vgtest_cappage(x->other);
	x->page = vgtest_object(x->f, 2, VG_TYPE_PAGE);
	x->a[0].slot[1] = x->page;
	*state = x;
	return 0;
}

static int
teardown(void **state)
{
	hosted_shutdown();
	test_free(*state);
	return 0;
}

static vg_addr_t
slot8(unsigned i)
{
	return vg_addr(i, 8);
}

/* A plain copy between two spaces. */
static void
test_cap_copy_between_spaces(void **state)
{
	struct fixture *x = *state;
	struct capop_ret r = cap_copy(&x->other, slot8(9), &x->root,
	    slot8(1), 0, no_tr);

	assert_int_equal(r.err, VG_OK);
	assert_memory_equal(&x->b->slot[9], &x->page, sizeof(x->page));
	assert_memory_equal(&r.cap, &x->page, sizeof(x->page));
}

/* The target slot keeps its guard unless the caller asks otherwise. */
static void
test_cap_copy_guard_flags(void **state)
{
	struct fixture *x = *state;
	struct vg_cap_translator tr = { .guard = 5, .guard_depth = 3 };
	struct capop_ret r;

	x->b->slot[9] = vgtest_guarded(VG_CAP_VOID, 2, 2);
	x->a->slot[1] = vgtest_guarded(x->page, 1, 1);
	/* Default: the slot's own guard (2/2), so addresses stay put. */
	r = cap_copy(&x->other, vg_addr((9u << 2) | 2, 10), &x->root,
	    vg_addr((1u << 1) | 1, 9), 0, no_tr);
	assert_int_equal(r.err, VG_OK);
	assert_int_equal(x->b->slot[9].guard, 2);
	assert_int_equal(x->b->slot[9].guard_depth, 2);
	assert_int_equal(x->b->slot[9].oid, x->page.oid);
	/* SOURCE_GUARD: the source's 1/1. */
	r = cap_copy(&x->other, vg_addr((9u << 2) | 2, 10), &x->root,
	    vg_addr((1u << 1) | 1, 9), VG_CAP_COPY_SOURCE_GUARD, no_tr);
	assert_int_equal(r.err, VG_OK);
	assert_int_equal(x->b->slot[9].guard, 1);
	assert_int_equal(x->b->slot[9].guard_depth, 1);
	/* GUARD: the caller's 5/3. */
	r = cap_copy(&x->other, vg_addr((9u << 1) | 1, 9), &x->root,
	    vg_addr((1u << 1) | 1, 9), VG_CAP_COPY_GUARD, tr);
	assert_int_equal(r.err, VG_OK);
	assert_int_equal(x->b->slot[9].guard, 5);
	assert_int_equal(x->b->slot[9].guard_depth, 3);
}

/* WEAKEN stores the weak variant; types without one become void. */
static void
test_cap_copy_weaken(void **state)
{
	struct fixture *x = *state;
	struct vg_cap th = vgtest_object(x->f, 3, VG_TYPE_THREAD);
	struct capop_ret r;

	r = cap_copy(&x->root, slot8(2), &x->root, slot8(1),
	    VG_CAP_COPY_WEAKEN, no_tr);
	assert_int_equal(r.err, VG_OK);
	assert_int_equal(x->a->slot[2].type, VG_TYPE_RPAGE);
	assert_int_equal(x->a->slot[2].oid, x->page.oid);
	x->a->slot[3] = th;
	r = cap_copy(&x->root, slot8(4), &x->root, slot8(3),
	    VG_CAP_COPY_WEAKEN, no_tr);
	assert_int_equal(r.err, VG_OK);
	assert_int_equal(x->a->slot[4].type, VG_TYPE_VOID);
	assert_int_equal(x->a->slot[4].oid, 0);
	assert_int_equal(x->a->slot[4].version, 0);
}

/* What is read through a weak path is copied weak. */
static void
test_cap_copy_through_weak_path(void **state)
{
	struct fixture *x = *state;
	struct vg_cap weak_b = x->other;
	struct capop_ret r;

	weak_b.type = VG_TYPE_RCAPPAGE;
	x->a->slot[5] = weak_b;
	x->b->slot[0] = x->page;
	r = cap_copy(&x->root, slot8(6), &x->root, vg_addr(5u << 8, 16), 0,
	    no_tr);
	assert_int_equal(r.err, VG_OK);
	assert_int_equal(x->a->slot[6].type, VG_TYPE_RPAGE);
	/* ... and nothing can be stored through it. */
	r = cap_copy(&x->root, vg_addr((5u << 8) | 1, 16), &x->root,
	    slot8(1), 0, no_tr);
	assert_int_equal(r.err, VG_ERR_WEAK);
	assert_int_equal(r.side, CAPOP_TARGET);
	assert_int_equal(x->b->slot[1].type, VG_TYPE_VOID);
}

/* SUBPAGE narrows within the source's selection, never widens. */
static void
test_cap_copy_subpage(void **state)
{
	struct fixture *x = *state;
	struct vg_cap_translator half1 = { .subpage_log2 = 1, .subpage = 1 };
	struct vg_cap_translator bad = { .subpage_log2 = 1, .subpage = 2 };
	struct vg_cap_translator too_fine = { .subpage_log2 = 7 };
	struct capop_ret r;

	x->a->slot[7] = x->other;
	r = cap_copy(&x->root, slot8(8), &x->root, slot8(7),
	    VG_CAP_COPY_SUBPAGE, half1);
	assert_int_equal(r.err, VG_OK);
	assert_int_equal(x->a->slot[8].subpage_log2, 1);
	assert_int_equal(x->a->slot[8].subpage, 1);
	/* Half of the second half: the fourth quarter. */
	r = cap_copy(&x->root, slot8(9), &x->root, slot8(8),
	    VG_CAP_COPY_SUBPAGE, half1);
	assert_int_equal(r.err, VG_OK);
	assert_int_equal(x->a->slot[9].subpage_log2, 2);
	assert_int_equal(x->a->slot[9].subpage, 3);
	/* Without the flag the copy keeps the source's selection. */
	r = cap_copy(&x->root, slot8(10), &x->root, slot8(9), 0, no_tr);
	assert_int_equal(r.err, VG_OK);
	assert_int_equal(x->a->slot[10].subpage_log2, 2);
	assert_int_equal(x->a->slot[10].subpage, 3);

	r = cap_copy(&x->root, slot8(11), &x->root, slot8(7),
	    VG_CAP_COPY_SUBPAGE, bad);
	assert_int_equal(r.err, VG_ERR_SUBPAGE);
	r = cap_copy(&x->root, slot8(11), &x->root, slot8(9),
	    VG_CAP_COPY_SUBPAGE, too_fine);
	assert_int_equal(r.err, VG_ERR_SUBPAGE);
	/* A page has no slots to select. */
	r = cap_copy(&x->root, slot8(11), &x->root, slot8(1),
	    VG_CAP_COPY_SUBPAGE, half1);
	assert_int_equal(r.err, VG_ERR_SUBPAGE);
	assert_int_equal(x->a->slot[11].type, VG_TYPE_VOID);
}

/* Malformed flags or translators are rejected before any lookup. */
static void
test_cap_copy_rejects_bad_arguments(void **state)
{
	struct fixture *x = *state;
	struct vg_cap_translator tr = { .guard = 8, .guard_depth = 3 };
	struct vg_cap_translator reserved = { .reserved = 1 };
	struct vg_cap_translator deep = { .guard_depth = 64 };
	struct vg_cap before = x->a->slot[12];

	assert_int_equal(cap_copy(&x->root, slot8(12), &x->root, slot8(1),
	    1u << 7, no_tr).err, VG_ERR_INVALID);
	assert_int_equal(cap_copy(&x->root, slot8(12), &x->root, slot8(1),
	    VG_CAP_COPY_GUARD | VG_CAP_COPY_SOURCE_GUARD, no_tr).err,
	    VG_ERR_INVALID);
	assert_int_equal(cap_copy(&x->root, slot8(12), &x->root, slot8(1),
	    0, reserved).err, VG_ERR_INVALID);
	assert_int_equal(cap_copy(&x->root, slot8(12), &x->root, slot8(1),
	    VG_CAP_COPY_GUARD, tr).err, VG_ERR_GUARD);
	assert_int_equal(cap_copy(&x->root, slot8(12), &x->root, slot8(1),
	    VG_CAP_COPY_GUARD, deep).err, VG_ERR_GUARD);
	assert_memory_equal(&x->a->slot[12], &before, sizeof(before));
}

/* A failed source or target lookup says which, and why. */
static void
test_cap_copy_lookup_failures(void **state)
{
	struct fixture *x = *state;
	struct capop_ret r;

	/* Source: indexing a page. */
	r = cap_copy(&x->root, slot8(13), &x->root, vg_addr(1u << 4, 12), 0,
	    no_tr);
	assert_int_equal(r.err, VG_ERR_NOT_INDEXABLE);
	assert_int_equal(r.side, CAPOP_SOURCE);
	assert_int_equal(r.fault.found_type, VG_TYPE_PAGE);
	assert_int_equal(r.fault.consumed, 8);
	/* Target: a void address. */
	r = cap_copy(&x->root, VG_ADDR_VOID, &x->root, slot8(1), 0, no_tr);
	assert_int_equal(r.err, VG_ERR_ADDR);
	assert_int_equal(r.side, CAPOP_TARGET);
	/* Target: a folio's objects are not slots. */
	x->a->slot[14] = folio_cap(x->f);
	r = cap_copy(&x->root, vg_addr((14u << 7) | 5, 15), &x->root,
	    slot8(1), 0, no_tr);
	assert_int_equal(r.err, VG_ERR_NOT_INDEXABLE);
	assert_int_equal(r.side, CAPOP_TARGET);
	assert_int_equal(x->a->slot[13].type, VG_TYPE_VOID);
}

/* Copying from a folio index yields a capability to that object. */
static void
test_cap_copy_from_folio(void **state)
{
	struct fixture *x = *state;
	struct capop_ret r;

	x->a->slot[14] = folio_cap(x->f);
	r = cap_copy(&x->root, slot8(15), &x->root,
	    vg_addr((14u << 7) | 2, 15), 0, no_tr);
	assert_int_equal(r.err, VG_OK);
	assert_memory_equal(&x->a->slot[15], &x->page, sizeof(x->page));
}

/* Copying a stale capability stores void. */
static void
test_cap_copy_stale_is_void(void **state)
{
	struct fixture *x = *state;

	vgtest_object(x->f, 2, VG_TYPE_PAGE);	/* x->page is stale now */
	assert_int_equal(cap_copy(&x->root, slot8(16), &x->root, slot8(1), 0,
	    no_tr).err, VG_OK);
	assert_int_equal(x->a->slot[16].type, VG_TYPE_VOID);
	assert_int_equal(x->a->slot[16].oid, 0);
}

/* cap_read returns what is there, weakened on a weak path. */
static void
test_cap_read(void **state)
{
	struct fixture *x = *state;
	struct vg_cap weak_b = x->other;
	struct capop_ret r;

	r = cap_read(&x->root, slot8(1));
	assert_int_equal(r.err, VG_OK);
	assert_memory_equal(&r.cap, &x->page, sizeof(x->page));
	weak_b.type = VG_TYPE_RCAPPAGE;
	x->a->slot[5] = weak_b;
	x->b->slot[3] = x->root;
	r = cap_read(&x->root, vg_addr((5u << 8) | 3, 16));
	assert_int_equal(r.err, VG_OK);
	assert_int_equal(r.cap.type, VG_TYPE_RCAPPAGE);
	assert_int_equal(r.cap.oid, x->root.oid);
	/* A thread read through a weak path is void, naming nothing. */
	x->b->slot[4] = vgtest_object(x->f, 3, VG_TYPE_THREAD);
	r = cap_read(&x->root, vg_addr((5u << 8) | 4, 16));
	assert_int_equal(r.err, VG_OK);
	assert_int_equal(r.cap.type, VG_TYPE_VOID);
	assert_int_equal(r.cap.oid, 0);
	assert_int_equal(r.cap.version, 0);
	r = cap_read(&x->root, vg_addr(1u << 4, 12));
	assert_int_equal(r.err, VG_ERR_NOT_INDEXABLE);
	assert_int_equal(r.side, CAPOP_SOURCE);
}

/* cap_rubout voids the slot, keeps its guard, and respects weakness. */
static void
test_cap_rubout(void **state)
{
	struct fixture *x = *state;
	struct vg_cap weak_b = x->other;
	struct capop_ret r;

	x->a->slot[1] = vgtest_guarded(x->page, 3, 2);
	r = cap_rubout(&x->root, vg_addr((1u << 2) | 3, 10));
	assert_int_equal(r.err, VG_OK);
	assert_int_equal(x->a->slot[1].type, VG_TYPE_VOID);
	assert_int_equal(x->a->slot[1].oid, 0);
	assert_int_equal(x->a->slot[1].guard, 3);
	assert_int_equal(x->a->slot[1].guard_depth, 2);
	/* The object itself lives on. */
	assert_non_null(object_lookup(&x->page));

	weak_b.type = VG_TYPE_RCAPPAGE;
	x->a->slot[5] = weak_b;
	x->b->slot[0] = x->page;
	r = cap_rubout(&x->root, vg_addr(5u << 8, 16));
	assert_int_equal(r.err, VG_ERR_WEAK);
	assert_int_equal(x->b->slot[0].type, VG_TYPE_PAGE);
	r = cap_rubout(&x->root, VG_ADDR_VOID);
	assert_int_equal(r.err, VG_ERR_ADDR);
}

int
main(void)
{
#define T(fn) cmocka_unit_test_setup_teardown(fn, setup, teardown)
	const struct CMUnitTest tests[] = {
		T(test_cap_copy_between_spaces),
		T(test_cap_copy_guard_flags),
		T(test_cap_copy_weaken),
		T(test_cap_copy_through_weak_path),
		T(test_cap_copy_subpage),
		T(test_cap_copy_rejects_bad_arguments),
		T(test_cap_copy_lookup_failures),
		T(test_cap_copy_from_folio),
		T(test_cap_copy_stale_is_void),
		T(test_cap_read),
		T(test_cap_rubout),
	};
#undef T

	return cmocka_run_group_tests_name("capops", tests, NULL, NULL);
}
