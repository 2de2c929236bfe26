/*
 * Device memory (devmem.h) on the fault path: a data fault whose walk
 * ends at a device-memory object, or indexes into one, maps the physical
 * page its address selects, uncached and never executable, read or
 * written alike; a weak path reaches nothing; destroying the object
 * makes it unreachable and drops the page tables.  The methods' side
 * (creation and its refusals, the DMA right) is in methods_test.c.
 */
#include "devmem.h"
#include "vgtest.h"

static struct fault_detail fd;

struct fixture {
	struct vgtest t;
	struct vgtest_proc p;
	struct cappage *top;	/* P's slot TOP_SLOT, guard 28 */
	struct vg_cap top_cap;
	struct vg_cap dev;	/* 16 pages from DEV_BASE */
	struct vg_cap one;	/* one page at ONE_BASE */
	unsigned dev_index;
};

#define TOP_SLOT	VGTEST_PROC_FIRST_SLOT
#define DEV_BASE	0xfebf0000ull
#define ONE_BASE	0xfd000000ull

static struct vg_cap
devmem_make(struct fixture *x, uint64_t base, unsigned log2, unsigned *index)
{
	unsigned i = x->p.next_object++;
	struct folio_ret r = folio_device_alloc(x->p.folio, i, VG_TYPE_DEVMEM);
	struct devmem *d;

	assert_int_equal(r.err, VG_OK);
	d = object_lookup(&r.cap);
	d->base = base;
	d->log2 = log2;
	if (index != NULL)
		*index = i;
	return r.cap;
}

static int
setup(void **state)
{
	struct fixture *x = test_malloc(sizeof(*x));

	x->t = vgtest_boot(VGTEST_CHUNKS);
	x->p = vgtest_proc(x->t.root_activity);
	x->top_cap = vgtest_proc_object(&x->p, VG_TYPE_CAPPAGE, NULL);
	x->top = vgtest_cappage(x->top_cap);
	x->p.space->slot[TOP_SLOT] = vgtest_guarded(x->top_cap, 0, 28);
	x->dev = devmem_make(x, DEV_BASE, 4, &x->dev_index);
	x->one = devmem_make(x, ONE_BASE, 0, NULL);
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

static const struct hosted_event *
mapped(void)
{
	size_t n;
	const struct hosted_event *ev = hosted_events(&n);
	const struct hosted_event *last = NULL;

	for (size_t i = 0; i < n; i++)
		if (ev[i].kind == HOSTED_EVENT_MAPPED)
			last = &ev[i];
	return last;
}

static enum vg_err
fault(struct fixture *x, uint64_t addr, enum vg_fault_access access,
    const struct hosted_event **m)
{
	enum vg_err err;

	hosted_events_clear();
	err = fault_resolve(x->p.thread, addr | 0x18, access, &fd);
	*m = mapped();
	return err;
}

/*
 * The top cappage consumes 8 bits after a 28-bit guard: its slot S then
 * has 8 bits left.  A slot for a 16-page object keeps 4 of them in its
 * guard (G) and leaves 4 for the object's index (PAGE).
 */
static uint64_t
dev_va(unsigned s, unsigned g, unsigned page)
{
	return (((uint64_t)TOP_SLOT << 36 | s) << 8 | g << 4 | page) << 12;
}

/* Indexing into it maps the page the address selects, uncached,
 * writable, never executable. */
static void
test_devmem_fault_maps_page(void **state)
{
	struct fixture *x = *state;
	const struct hosted_event *m;

	x->top->slot[5] = vgtest_guarded(x->dev, 0x3, 4);
	for (unsigned i = 0; i < 16; i += 5) {
		assert_int_equal(fault(x, dev_va(5, 3, i), VG_FAULT_WRITE, &m),
		    VG_OK);
		assert_non_null(m);
		assert_int_equal(m->phys, DEV_BASE + i * 4096ull);
		assert_int_equal(m->vaddr, dev_va(5, 3, i));
		assert_true(m->uncached);
		assert_true(m->writable);
		assert_false(m->executable);
		assert_int_equal(fault(x, dev_va(5, 3, i), VG_FAULT_READ, &m),
		    VG_OK);
		assert_int_equal(m->phys, DEV_BASE + i * 4096ull);
	}
	assert_int_equal(fault(x, dev_va(5, 3, 2), VG_FAULT_EXECUTE, &m),
	    VG_ERR_NO_EXECUTE);
	assert_null(m);
	/* Another guard: not this object's addresses. */
	assert_int_equal(fault(x, dev_va(5, 2, 2), VG_FAULT_READ, &m),
	    VG_ERR_GUARD_MISMATCH);
	assert_null(m);
	vgtest_check_invariants();
}

/* A one-page object is a leaf, as a page is; a larger one at a slot
 * that leaves too many bits cannot be indexed. */
static void
test_devmem_fault_leaf_and_depth(void **state)
{
	struct fixture *x = *state;
	const struct hosted_event *m;

	x->top->slot[6] = vgtest_guarded(x->one, 0x42, 8);
	assert_int_equal(fault(x, dev_va(6, 4, 2), VG_FAULT_WRITE, &m),
	    VG_OK);
	assert_int_equal(m->phys, ONE_BASE);
	assert_true(m->uncached);
	/* 8 bits left, the object takes 4. */
	x->top->slot[7] = x->dev;
	assert_int_equal(fault(x, dev_va(7, 1, 1), VG_FAULT_READ, &m),
	    VG_ERR_NOT_INDEXABLE);
	assert_null(m);
	/* Storage pages are mapped cached, with their physical address. */
	{
		struct vg_cap page = vgtest_proc_object(&x->p, VG_TYPE_PAGE,
		    NULL);

		x->top->slot[8] = vgtest_guarded(page, 0, 8);
		assert_int_equal(fault(x, dev_va(8, 0, 0), VG_FAULT_READ, &m),
		    VG_OK);
		assert_false(m->uncached);
		assert_int_equal(m->phys, HOSTED_STORAGE_PHYS +
		    (uint64_t)((char *)object_lookup(&page) -
		    (char *)storage_base));
	}
	vgtest_check_invariants();
}

/* Through a weak path the object reads as void: no device authority. */
static void
test_devmem_fault_weak_path(void **state)
{
	struct fixture *x = *state;
	struct vg_cap cp = vgtest_proc_object(&x->p, VG_TYPE_CAPPAGE, NULL);
	const struct hosted_event *m;

	vgtest_cappage(cp)->slot[3] = x->one;
	vgtest_cappage(cp)->slot[4] = x->one;
	x->top->slot[9] = cap_weaken(cp);
	x->top->slot[10] = cp;
	assert_int_equal(fault(x, dev_va(9, 0, 3), VG_FAULT_READ, &m),
	    VG_ERR_VOID);
	assert_null(m);
	assert_int_equal(fault(x, dev_va(10, 0, 4), VG_FAULT_READ, &m),
	    VG_OK);
	assert_int_equal(m->phys, ONE_BASE);
	vgtest_check_invariants();
}

/* Destroying the object: its capabilities go void, the page tables
 * are dropped (as_generation moves), the next fault fails. */
static void
test_devmem_revoked(void **state)
{
	struct fixture *x = *state;
	const struct hosted_event *m;
	uint64_t gen;

	x->top->slot[5] = vgtest_guarded(x->dev, 0x3, 4);
	assert_int_equal(fault(x, dev_va(5, 3, 1), VG_FAULT_READ, &m), VG_OK);
	gen = as_generation;
	assert_int_equal(folio_object_alloc(x->p.folio, x->dev_index,
	    VG_TYPE_VOID, 0).err, VG_OK);
	assert_true(as_generation != gen);
	assert_null(object_lookup(&x->dev));
	assert_int_equal(fault(x, dev_va(5, 3, 1), VG_FAULT_READ, &m),
	    VG_ERR_VOID);
	assert_null(m);
	vgtest_check_invariants();
}

int
main(void)
{
#define T(fn) cmocka_unit_test_setup_teardown(fn, setup, teardown)
	const struct CMUnitTest tests[] = {
		T(test_devmem_fault_maps_page),
		T(test_devmem_fault_leaf_and_depth),
		T(test_devmem_fault_weak_path),
		T(test_devmem_revoked),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
