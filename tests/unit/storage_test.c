/*
 * Storage, folios, objects and activities: creation, destruction,
 * versions, frame ownership and quotas.
 */
#include <string.h>

#include "vgtest.h"

/* Boot leaves exactly one folio in use, charged to the root activity. */
static void
test_storage_boot_state(void **state)
{
	struct vgtest *t = *state;

	assert_int_equal(storage_free_chunks(), VGTEST_CHUNKS - 1);
	assert_int_equal(t->roots.root_activity.type, VG_TYPE_ACTIVITY);
	assert_int_equal(t->roots.root_folio.type, VG_TYPE_FOLIO);
	assert_int_equal(t->root_activity->usage, FOLIO_FRAMES);
	assert_int_equal(t->root_activity->nfolios, 1);
	assert_null(t->root_activity->parent);
	assert_int_equal(t->root_activity->depth, 0);
	assert_ptr_equal(t->root_folio->activity, t->root_activity);
	/* The root activity is the first object of the first chunk. */
	assert_int_equal(t->roots.root_folio.oid, 0);
	assert_int_equal(t->roots.root_activity.oid, 1);
}

/* A window that is empty, misaligned or too large is refused. */
static void
test_storage_init_rejects_bad_windows(void **state)
{
	static uint8_t raw[3 * FRAME_SIZE];
	uint8_t *aligned = raw + (FRAME_SIZE - (uintptr_t)raw % FRAME_SIZE);

	(void)state;
	assert_false(storage_init(NULL, 1));
	assert_false(storage_init(aligned, 0));
	assert_false(storage_init(aligned + 8, 1));
	/* 2^32 / 129 + 1 chunks would overflow 32-bit object ids. */
	assert_false(storage_init(aligned, UINT32_MAX / FOLIO_FRAMES + 1));
	assert_int_equal(hosted_boot(0).err, VG_ERR_NO_STORAGE);
}

/* Folio allocation charges the activity; freeing undoes everything. */
static void
test_folio_alloc_and_free(void **state)
{
	struct vgtest *t = *state;
	struct folio_ret r = folio_alloc(t->root_activity);
	struct folio *f;
	uint32_t version;

	assert_int_equal(r.err, VG_OK);
	assert_int_equal(r.cap.type, VG_TYPE_FOLIO);
	assert_int_equal(r.cap.oid % FOLIO_FRAMES, 0);
	f = object_lookup(&r.cap);
	assert_non_null(f);
	assert_true(f->in_use);
	assert_int_equal(storage_free_chunks(), VGTEST_CHUNKS - 2);
	assert_int_equal(t->root_activity->usage, 2 * FOLIO_FRAMES);
	assert_int_equal(t->root_activity->nfolios, 2);

	version = f->version;
	assert_int_equal(folio_free(f), VG_OK);
	assert_false(f->in_use);
	assert_int_equal(f->version, version + 1);
	assert_null(object_lookup(&r.cap));
	assert_int_equal(storage_free_chunks(), VGTEST_CHUNKS - 1);
	assert_int_equal(t->root_activity->usage, FOLIO_FRAMES);
	assert_int_equal(t->root_activity->nfolios, 1);
}

/* Running out of chunks fails cleanly and charges nothing. */
static void
test_folio_alloc_exhausts_storage(void **state)
{
	struct vgtest *t = *state;
	unsigned n = 0;
	struct folio_ret r;

	while ((r = folio_alloc(t->root_activity)).err == VG_OK)
		n++;
	assert_int_equal(r.err, VG_ERR_NO_STORAGE);
	assert_int_equal(n, VGTEST_CHUNKS - 1);
	assert_int_equal(storage_free_chunks(), 0);
	assert_int_equal(t->root_activity->usage,
	    (uint64_t)VGTEST_CHUNKS * FOLIO_FRAMES);
}

/* A freed chunk is reused, and capabilities to its old contents stay
 * stale because the header kept its versions. */
static void
test_folio_reuse_keeps_versions(void **state)
{
	struct vgtest *t = *state;
	struct folio *f = vgtest_folio(t->root_activity);
	struct vg_cap folio_old = folio_cap(f);
	struct vg_cap page_old = vgtest_object(f, 5, VG_TYPE_PAGE);
	struct folio *g;
	struct vg_cap page_new;

	assert_int_equal(folio_free(f), VG_OK);
	g = vgtest_folio(t->root_activity);
	assert_ptr_equal(g, f);		/* LIFO free list: same chunk */
	assert_null(object_lookup(&folio_old));
	assert_null(object_lookup(&page_old));
	assert_int_equal(g->object[5].type, VG_TYPE_VOID);
	page_new = vgtest_object(g, 5, VG_TYPE_PAGE);
	assert_int_equal(page_new.oid, page_old.oid);
	assert_true(page_new.version > page_old.version);
	assert_null(object_lookup(&page_old));
	assert_non_null(object_lookup(&page_new));
}

/* Bad arguments to folio_object_alloc change nothing. */
static void
test_folio_object_alloc_rejects(void **state)
{
	struct vgtest *t = *state;
	struct folio *f = vgtest_folio(t->root_activity);
	struct vg_cap page = vgtest_object(f, 0, VG_TYPE_PAGE);
	static const enum vg_type bad_types[] = {
		VG_TYPE_FOLIO, VG_TYPE_RPAGE, VG_TYPE_RCAPPAGE,
		VG_TYPE_RMESSENGER, VG_TYPE_COUNT, (enum vg_type)200,
	};
	size_t i;

	assert_int_equal(folio_object_alloc(f, VG_FOLIO_OBJECTS,
	    VG_TYPE_PAGE, 0).err, VG_ERR_INVALID);
	assert_int_equal(folio_object_alloc(f, UINT32_MAX, VG_TYPE_PAGE, 0).err,
	    VG_ERR_INVALID);
	for (i = 0; i < sizeof(bad_types) / sizeof(bad_types[0]); i++) {
		assert_int_equal(folio_object_alloc(f, 0, bad_types[i], 0).err,
		    VG_ERR_INVALID);
	}
	assert_non_null(object_lookup(&page));
	assert_int_equal(f->object[0].type, VG_TYPE_PAGE);
}

/* Bytes at the start of an object's frame that its init may write. */
static size_t
kernel_struct_size(enum vg_type type)
{
	switch (type) {
	case VG_TYPE_ACTIVITY:
		return sizeof(struct activity);
	case VG_TYPE_THREAD:
		return sizeof(struct thread);
	case VG_TYPE_MESSENGER:
		return sizeof(struct messenger);
	default:
		return 0;	/* pages and cappages: all user content */
	}
}

/* Each object type can be created; each gets a zeroed frame, and the
 * capability names the frame its folio owns. */
static void
test_object_create_every_type(void **state)
{
	struct vgtest *t = *state;
	struct folio *f = vgtest_folio(t->root_activity);
	static const enum vg_type types[] = {
		VG_TYPE_PAGE, VG_TYPE_CAPPAGE, VG_TYPE_ACTIVITY,
		VG_TYPE_THREAD, VG_TYPE_MESSENGER,
	};
	size_t i;

	for (i = 0; i < sizeof(types) / sizeof(types[0]); i++) {
		uint8_t *frame = folio_object_frame(f, (unsigned)i);
		struct vg_cap cap;
		size_t j;

		memset(frame, 0xa5, FRAME_SIZE);
		cap = vgtest_object(f, (unsigned)i, types[i]);
		assert_int_equal(cap.type, types[i]);
		assert_int_equal(cap.oid, folio_object_oid(f, (unsigned)i));
		assert_int_equal(cap.guard_depth, 0);
		assert_int_equal(cap.subpage_log2, types[i] == VG_TYPE_ACTIVITY ?
		    VG_CAP_LIMIT : 0);
		assert_ptr_equal(object_lookup(&cap), frame);
		assert_ptr_equal(storage_owner(cap.oid), f);
		assert_int_equal(storage_owner_index(cap.oid), (int)i);
		/* Beyond the kernel's own structure the frame is zero. */
		for (j = kernel_struct_size(types[i]); j < FRAME_SIZE; j++)
			assert_int_equal(frame[j], 0);
	}
	assert_int_equal(storage_owner_index(folio_cap(f).oid), -1);
	assert_ptr_equal(storage_owner(folio_cap(f).oid), f);
}

/* Replacing an object bumps its version; VOID destroys it. */
static void
test_object_replace_and_destroy(void **state)
{
	struct vgtest *t = *state;
	struct folio *f = vgtest_folio(t->root_activity);
	struct vg_cap a = vgtest_object(f, 9, VG_TYPE_PAGE);
	struct vg_cap b = vgtest_object(f, 9, VG_TYPE_CAPPAGE);
	struct folio_ret r;

	assert_int_equal(b.version, a.version + 1);
	assert_null(object_lookup(&a));
	assert_non_null(object_lookup(&b));
	r = folio_object_alloc(f, 9, VG_TYPE_VOID, 0);
	assert_int_equal(r.err, VG_OK);
	assert_int_equal(r.cap.type, VG_TYPE_VOID);
	assert_null(object_lookup(&b));
	assert_int_equal(f->object[9].type, VG_TYPE_VOID);
	assert_int_equal(f->object[9].version, b.version + 1);
	/* Destroying an empty slot is a no-op: the version stays. */
	assert_int_equal(folio_object_alloc(f, 9, VG_TYPE_VOID, 0).err, VG_OK);
	assert_int_equal(f->object[9].version, b.version + 1);
	/* So is a capability to the slot as it is now. */
	assert_int_equal(folio_object_cap(f, 9).type, VG_TYPE_VOID);
}

/* A slot whose version space is used up is retired. */
static void
test_object_version_exhausted(void **state)
{
	struct vgtest *t = *state;
	struct folio *f = vgtest_folio(t->root_activity);
	struct vg_cap cap;

	f->object[3].version = UINT32_MAX - 1;
	cap = vgtest_object(f, 3, VG_TYPE_PAGE);
	assert_int_equal(cap.version, UINT32_MAX - 1);
	/* Replacing would need version UINT32_MAX for the new object. */
	assert_int_equal(folio_object_alloc(f, 3, VG_TYPE_PAGE, 0).err,
	    VG_ERR_EXHAUSTED);
	assert_non_null(object_lookup(&cap));
	f->object[4].version = UINT32_MAX;
	assert_int_equal(folio_object_alloc(f, 4, VG_TYPE_PAGE, 0).err,
	    VG_ERR_EXHAUSTED);
	/* Destroying needs no new version: the last object can still go. */
	assert_int_equal(folio_object_alloc(f, 3, VG_TYPE_VOID, 0).err, VG_OK);
	assert_null(object_lookup(&cap));
	assert_int_equal(f->object[3].version, UINT32_MAX);
	assert_int_equal(folio_object_alloc(f, 3, VG_TYPE_PAGE, 0).err,
	    VG_ERR_EXHAUSTED);
}

/* A folio whose own version is used up never returns to the pool. */
static void
test_folio_version_exhausted_is_retired(void **state)
{
	struct vgtest *t = *state;
	struct folio *f = vgtest_folio(t->root_activity);
	uint32_t before;

	f->version = UINT32_MAX - 1;
	before = storage_free_chunks();
	assert_int_equal(folio_free(f), VG_OK);
	assert_int_equal(f->version, UINT32_MAX);
	assert_int_equal(storage_free_chunks(), before);
}

/* A new activity is a child of the activity its folio is charged to. */
static void
test_activity_tree(void **state)
{
	struct vgtest *t = *state;
	struct folio *f = vgtest_folio(t->root_activity);
	struct vg_cap ca = vgtest_object(f, 0, VG_TYPE_ACTIVITY);
	struct activity *a = object_lookup(&ca);
	struct folio *fa = vgtest_folio(a);
	struct vg_cap cb = vgtest_object(fa, 0, VG_TYPE_ACTIVITY);
	struct activity *b = object_lookup(&cb);

	assert_ptr_equal(a->parent, t->root_activity);
	assert_int_equal(a->depth, 1);
	assert_ptr_equal(b->parent, a);
	assert_int_equal(b->depth, 2);
	assert_ptr_equal(fa->activity, a);
	/* The root counts its descendants' folios too. */
	assert_int_equal(a->usage, FOLIO_FRAMES);
	assert_int_equal(b->usage, 0);
	assert_int_equal(t->root_activity->usage, 3 * FOLIO_FRAMES);
}

static void
set_quota(struct activity *a, uint64_t frames)
{
	uint64_t old;

	assert_int_equal(activity_set_limit(a, VG_ACTIVITY_LIMIT_QUOTA, frames,
	    &old), VG_OK);
}

/* Quotas bound a subtree; a failed charge leaves every usage alone. */
static void
test_activity_quota(void **state)
{
	struct vgtest *t = *state;
	struct folio *f = vgtest_folio(t->root_activity);
	struct vg_cap ca = vgtest_object(f, 0, VG_TYPE_ACTIVITY);
	struct activity *a = object_lookup(&ca);
	uint64_t root_usage = t->root_activity->usage;

	set_quota(a, 2 * FOLIO_FRAMES);
	vgtest_folio(a);
	vgtest_folio(a);
	assert_int_equal(folio_alloc(a).err, VG_ERR_QUOTA);
	assert_int_equal(a->usage, 2 * FOLIO_FRAMES);
	assert_int_equal(t->root_activity->usage, root_usage + 2 * FOLIO_FRAMES);

	/* An ancestor's quota binds a descendant with none of its own. */
	set_quota(a, 0);
	set_quota(t->root_activity, t->root_activity->usage);
	assert_int_equal(folio_alloc(a).err, VG_ERR_QUOTA);
	assert_int_equal(a->usage, 2 * FOLIO_FRAMES);
	set_quota(t->root_activity, t->root_activity->usage +
	    FOLIO_FRAMES);
	assert_int_equal(folio_alloc(a).err, VG_OK);
	/* A quota below the usage only stops further allocation. */
	set_quota(a, FOLIO_FRAMES);
	assert_int_equal(a->usage, 3 * FOLIO_FRAMES);
	assert_int_equal(folio_alloc(a).err, VG_ERR_QUOTA);
}

/* The activity tree has a depth limit, so root walks are bounded. */
static void
test_activity_depth_limit(void **state)
{
	struct vgtest t = vgtest_boot(ACTIVITY_DEPTH_MAX + 2);
	struct activity *a = t.root_activity;
	struct folio *top = NULL, *f;
	struct vg_cap deepest = VG_CAP_VOID;
	unsigned depth;

	(void)state;
	for (depth = 1; depth < ACTIVITY_DEPTH_MAX; depth++) {
		f = vgtest_folio(a);
		if (top == NULL)
			top = f;
		deepest = vgtest_object(f, 0, VG_TYPE_ACTIVITY);
		a = object_lookup(&deepest);
		assert_int_equal(a->depth, depth);
	}
	f = vgtest_folio(a);
	assert_int_equal(folio_object_alloc(f, 0, VG_TYPE_ACTIVITY, 0).err,
	    VG_ERR_DEPTH);
	assert_int_equal(f->object[0].type, VG_TYPE_VOID);
	assert_int_equal(storage_free_chunks(), 1);

	/* Destroying the chain from the top needs no recursion. */
	assert_int_equal(folio_free(top), VG_OK);
	assert_null(object_lookup(&deepest));
	assert_int_equal(storage_free_chunks(), ACTIVITY_DEPTH_MAX + 1);
	assert_int_equal(t.root_activity->usage, FOLIO_FRAMES);
	hosted_shutdown();
}

/*
 * Destroying an activity destroys its folios, and every activity in them,
 * and so on; charges go back to the living ancestors exactly once.
 */
static void
test_activity_destroy_cascades(void **state)
{
	struct vgtest *t = *state;
	struct folio *f = vgtest_folio(t->root_activity);
	struct vg_cap ca = vgtest_object(f, 7, VG_TYPE_ACTIVITY);
	struct activity *a = object_lookup(&ca);
	struct folio *fa1 = vgtest_folio(a);
	struct folio *fa2 = vgtest_folio(a);
	struct vg_cap cb = vgtest_object(fa1, 0, VG_TYPE_ACTIVITY);
	struct activity *b = object_lookup(&cb);
	struct folio *fb = vgtest_folio(b);
	struct vg_cap page = vgtest_object(fb, 1, VG_TYPE_PAGE);
	struct vg_cap cfa2 = folio_cap(fa2), cfb = folio_cap(fb);
	uint32_t free_before = storage_free_chunks();
	uint64_t root_before = t->root_activity->usage;

	assert_int_equal(a->usage, 3 * FOLIO_FRAMES);
	assert_int_equal(folio_object_alloc(f, 7, VG_TYPE_VOID, 0).err, VG_OK);
	assert_null(object_lookup(&ca));
	assert_null(object_lookup(&cb));
	assert_null(object_lookup(&page));
	assert_null(object_lookup(&cfa2));
	assert_null(object_lookup(&cfb));
	assert_int_equal(storage_free_chunks(), free_before + 3);
	assert_int_equal(t->root_activity->usage,
	    root_before - 3 * FOLIO_FRAMES);
	/* The folio that held the activity is untouched. */
	assert_true(f->in_use);
	assert_int_equal(t->root_activity->nfolios, 2);
}

/* Freeing a folio that holds an activity takes the subtree with it. */
static void
test_folio_free_cascades(void **state)
{
	struct vgtest *t = *state;
	uint32_t free0 = storage_free_chunks();
	uint64_t usage0 = t->root_activity->usage;
	struct folio *f = vgtest_folio(t->root_activity);
	struct vg_cap ca = vgtest_object(f, 0, VG_TYPE_ACTIVITY);
	struct vg_cap cb = vgtest_object(f, 1, VG_TYPE_ACTIVITY);
	struct activity *a = object_lookup(&ca);
	struct activity *b = object_lookup(&cb);
	struct folio *fa = vgtest_folio(a);
	struct vg_cap caa = vgtest_object(fa, 0, VG_TYPE_ACTIVITY);

	vgtest_folio(object_lookup(&caa));
	vgtest_folio(b);
	assert_int_equal(storage_free_chunks(), free0 - 4);
	assert_int_equal(folio_free(f), VG_OK);
	assert_int_equal(storage_free_chunks(), free0);
	assert_int_equal(t->root_activity->usage, usage0);
	assert_null(object_lookup(&ca));
	assert_null(object_lookup(&caa));
	assert_null(object_lookup(&cb));
}

/* The root folio, the root activity, the console and the power object
 * are not destructible. */
static void
test_root_is_permanent(void **state)
{
	struct vgtest *t = *state;

	assert_int_equal(folio_free(t->root_folio), VG_ERR_INVALID);
	assert_int_equal(folio_object_alloc(t->root_folio, 0,
	    VG_TYPE_VOID, 0).err, VG_ERR_INVALID);
	assert_non_null(object_lookup(&t->roots.root_activity));
	assert_non_null(object_lookup(&t->roots.root_folio));
	/* Nor are the console and the power object, and no folio makes
	 * another. */
	assert_int_equal(folio_object_alloc(t->root_folio, FOLIO_BOOT_CONSOLE,
	    VG_TYPE_VOID, 0).err, VG_ERR_INVALID);
	assert_int_equal(folio_object_alloc(t->root_folio, FOLIO_BOOT_POWER,
	    VG_TYPE_PAGE, 0).err, VG_ERR_INVALID);
	assert_int_equal(folio_object_alloc(t->root_folio, 1,
	    VG_TYPE_CONSOLE, 0).err, VG_ERR_INVALID);
	assert_int_equal(folio_object_alloc(vgtest_folio(t->root_activity),
	    0, VG_TYPE_POWER, 0).err, VG_ERR_INVALID);
	assert_non_null(object_lookup(&t->roots.console));
	assert_non_null(object_lookup(&t->roots.power));
	/* Other slots of the root folio are ordinary. */
	assert_int_equal(folio_object_alloc(t->root_folio, 1,
	    VG_TYPE_PAGE, 0).err, VG_OK);
	vgtest_check_invariants();
}

int
main(void)
{
#define T(fn) cmocka_unit_test_setup_teardown(fn, vgtest_setup, vgtest_teardown)
	const struct CMUnitTest tests[] = {
		T(test_storage_boot_state),
		cmocka_unit_test(test_storage_init_rejects_bad_windows),
		T(test_folio_alloc_and_free),
		T(test_folio_alloc_exhausts_storage),
		T(test_folio_reuse_keeps_versions),
		T(test_folio_object_alloc_rejects),
		T(test_object_create_every_type),
		T(test_object_replace_and_destroy),
		T(test_object_version_exhausted),
		T(test_folio_version_exhausted_is_retired),
		T(test_activity_tree),
		T(test_activity_quota),
		cmocka_unit_test(test_activity_depth_limit),
		T(test_activity_destroy_cascades),
		T(test_folio_free_cascades),
		T(test_root_is_permanent),
	};
#undef T

	return cmocka_run_group_tests_name("storage", tests, NULL, NULL);
}
