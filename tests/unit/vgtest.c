/*
 * Test helpers (see vgtest.h).
 */
#include <stdlib.h>

#include "vgtest.h"

struct vgtest
vgtest_boot(uint32_t nchunks)
{
	struct vgtest t = { .roots = hosted_boot(nchunks) };

	assert_int_equal(t.roots.err, VG_OK);
	t.root_activity = object_lookup(&t.roots.root_activity);
	t.root_folio = object_lookup(&t.roots.root_folio);
	assert_non_null(t.root_activity);
	assert_non_null(t.root_folio);
	return t;
}

int
vgtest_setup(void **state)
{
	struct vgtest *t = malloc(sizeof(*t));

	if (t == NULL)
		return -1;
	*t = vgtest_boot(VGTEST_CHUNKS);
	*state = t;
	return 0;
}

int
vgtest_teardown(void **state)
{
	hosted_shutdown();
	free(*state);
	return 0;
}

struct folio *
vgtest_folio(struct activity *a)
{
	struct folio_ret r = folio_alloc(a);
	struct folio *f;

	assert_int_equal(r.err, VG_OK);
	f = object_lookup(&r.cap);
	assert_non_null(f);
	return f;
}

struct vg_cap
vgtest_object(struct folio *f, unsigned index, enum vg_type type)
{
	struct folio_ret r = folio_object_alloc(f, index, type);

	assert_int_equal(r.err, VG_OK);
	return r.cap;
}

struct vg_cap
vgtest_guarded(struct vg_cap cap, uint32_t guard, unsigned depth)
{
	assert_int_equal(cap_guard_check(guard, depth), VG_OK);
	cap.guard = guard;
	cap.guard_depth = (uint8_t)depth;
	return cap;
}

struct vg_cap
vgtest_subpage(struct vg_cap cap, unsigned log2, unsigned index)
{
	cap.subpage_log2 = 0;
	cap.subpage = 0;
	assert_int_equal(cap_subpage_narrow(&cap, log2, index), VG_OK);
	return cap;
}

struct cappage *
vgtest_cappage(struct vg_cap cap)
{
	struct cappage *cp = object_lookup(&cap);

	assert_non_null(cp);
	assert_true(cap.type == VG_TYPE_CAPPAGE || cap.type == VG_TYPE_RCAPPAGE);
	return cp;
}
