/*
 * Helpers shared by the hosted unit tests: boot a fresh core per test and
 * build objects and capability trees through the core's own API.
 */
#ifndef VG_TESTS_VGTEST_H
#define VG_TESTS_VGTEST_H

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <vg/addr.h>
#include <vg/cap.h>
#include <vg/error.h>
#include <vg/types.h>

#include "activity.h"
#include "as.h"
#include "cappage.h"
#include "capops.h"
#include "folio.h"
#include "hosted.h"
#include "kernel.h"
#include "messenger.h"
#include "object.h"
#include "storage.h"
#include "thread.h"

/* Chunks of storage a test core gets unless it asks for another amount. */
#define VGTEST_CHUNKS 16

/* The core a test runs against. */
struct vgtest {
	struct kernel_roots roots;
	struct activity *root_activity;
	struct folio *root_folio;
};

/* Boot a fresh core with NCHUNKS chunks; fails the test if it cannot. */
struct vgtest vgtest_boot(uint32_t nchunks);

/* cmocka setup/teardown that boot a VGTEST_CHUNKS core into *state. */
int vgtest_setup(void **state);
int vgtest_teardown(void **state);

/* Allocate a folio from A; fails the test on error. */
struct folio *vgtest_folio(struct activity *a);

/* Create an object of TYPE in F's slot INDEX; fails the test on error. */
struct vg_cap vgtest_object(struct folio *f, unsigned index, enum vg_type type);

/* CAP with the given guard. */
struct vg_cap vgtest_guarded(struct vg_cap cap, uint32_t guard, unsigned depth);

/* CAP with the given subpage selection. */
struct vg_cap vgtest_subpage(struct vg_cap cap, unsigned log2, unsigned index);

/* The cappage CAP designates; fails the test if it designates none. */
struct cappage *vgtest_cappage(struct vg_cap cap);

#endif /* VG_TESTS_VGTEST_H */
