/*
 * Storage, folios, objects and activities: creation, destruction,
 * versions, ownership and quotas.
 */
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
	assert_ptr_equal(t->root_folio->activity, t->root_activity);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_storage_boot_state,
		    vgtest_setup, vgtest_teardown),
	};

	return cmocka_run_group_tests_name("storage", tests, NULL, NULL);
}
