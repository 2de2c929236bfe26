/*
 * The execute right of page capabilities (vg/cap.h): who hands it out
 * (FOLIO_OBJECT_ALLOC, only when asked), what keeps it (copies,
 * transfers, weakening, the walk), what drops it (VG_CAP_COPY_NO_EXECUTE,
 * destruction) and what never adds it; and the data fault, which maps a
 * page executable only when the capability found has it.  The methods'
 * side is in methods_test.c (test_method_execute_right), a virtualized
 * fault in virt_test.c, the loaders in roottask_test.c and libvg_test.c.
 */
#include "vgtest.h"

/* What a failed fault_resolve describes (the tests look at it where
 * they say). */
static struct fault_detail fd;

struct fixture {
	struct vgtest t;
	struct vgtest_proc p;
	struct cappage *top;	/* the pages: P's slot TOP_SLOT, guard 36 */
	struct vg_cap top_cap;
	struct vg_cap data;	/* a page without the right */
	struct vg_cap code;	/* a page with it */
};

#define TOP_SLOT	VGTEST_PROC_FIRST_SLOT

static int
setup(void **state)
{
	struct fixture *x = test_malloc(sizeof(*x));
	struct folio_ret r;

	x->t = vgtest_boot(VGTEST_CHUNKS);
	x->p = vgtest_proc(x->t.root_activity);
	x->top_cap = vgtest_proc_object(&x->p, VG_TYPE_CAPPAGE, NULL);
	x->top = vgtest_cappage(x->top_cap);
	x->p.space->slot[TOP_SLOT] = vgtest_guarded(x->top_cap, 0, 36);
	x->data = vgtest_proc_object(&x->p, VG_TYPE_PAGE, NULL);
	r = folio_object_alloc(x->p.folio, x->p.next_object++, VG_TYPE_PAGE,
	    VG_FOLIO_ALLOC_EXECUTE);
	assert_int_equal(r.err, VG_OK);
	x->code = r.cap;
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

/* The user address of page I of the top cappage. */
static uint64_t
va(unsigned i)
{
	return (((uint64_t)TOP_SLOT << 44) | i) << 12;
}

/* The last mapping recorded, or NULL if nothing was mapped. */
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

/* Fault on page I with ACCESS; returns the error and leaves in *M what
 * was mapped (NULL if nothing). */
static enum vg_err
fault(struct fixture *x, unsigned i, enum vg_fault_access access,
    const struct hosted_event **m)
{
	enum vg_err err;

	hosted_events_clear();
	err = fault_resolve(x->p.thread, va(i) | 0x24, access, &fd);
	*m = mapped();
	return err;
}

/* Only FOLIO_OBJECT_ALLOC with VG_FOLIO_ALLOC_EXECUTE, and only for a
 * page, makes a capability with the right. */
static void
test_exec_alloc(void **state)
{
	struct fixture *x = *state;
	unsigned idx = x->p.next_object++;
	struct folio_ret r;

	assert_int_equal(x->data.rights, 0);
	assert_int_equal(x->code.type, VG_TYPE_PAGE);
	assert_int_equal(x->code.rights, VG_CAP_EXECUTE);
	/* The folio's own view of the object has no rights. */
	assert_int_equal(folio_object_cap(x->p.folio,
	    storage_owner_index(x->code.oid)).rights, 0);
	assert_int_equal(folio_object_alloc(x->p.folio, idx, VG_TYPE_CAPPAGE,
	    VG_FOLIO_ALLOC_EXECUTE).err, VG_ERR_INVALID);
	assert_int_equal(folio_object_alloc(x->p.folio, idx, VG_TYPE_THREAD,
	    VG_FOLIO_ALLOC_EXECUTE).err, VG_ERR_INVALID);
	assert_int_equal(folio_object_alloc(x->p.folio, idx, VG_TYPE_PAGE,
	    1u << 9).err, VG_ERR_INVALID);
	assert_int_equal(x->p.folio->object[idx].type, VG_TYPE_VOID);
	r = folio_object_alloc(x->p.folio, idx, VG_TYPE_PAGE, 0);
	assert_int_equal(r.err, VG_OK);
	assert_int_equal(r.cap.rights, 0);
	vgtest_check_invariants();
}

/* Copies keep it, weakening keeps it, NO_EXECUTE drops it, and no flag
 * or translator adds it; a transfer keeps it; destruction ends it. */
static void
test_exec_copy(void **state)
{
	struct fixture *x = *state;
	struct vg_cap root = x->p.root;
	struct vg_cap_translator none = { 0 };
	struct capop_ret r;

	x->p.space->slot[10] = x->code;
	x->p.space->slot[11] = x->data;
	r = cap_copy(&root, vgtest_slot(12), &root, vgtest_slot(10), 0, none);
	assert_int_equal(r.err, VG_OK);
	assert_int_equal(x->p.space->slot[12].rights, VG_CAP_EXECUTE);
	r = cap_copy(&root, vgtest_slot(13), &root, vgtest_slot(10),
	    VG_CAP_COPY_WEAKEN, none);
	assert_int_equal(x->p.space->slot[13].type, VG_TYPE_RPAGE);
	assert_int_equal(x->p.space->slot[13].rights, VG_CAP_EXECUTE);
	r = cap_copy(&root, vgtest_slot(14), &root, vgtest_slot(13),
	    VG_CAP_COPY_NO_EXECUTE, none);
	assert_int_equal(r.err, VG_OK);
	assert_int_equal(x->p.space->slot[14].type, VG_TYPE_RPAGE);
	assert_int_equal(x->p.space->slot[14].rights, 0);
	assert_int_equal(r.cap.rights, 0);
	/* The source keeps what it had. */
	assert_int_equal(x->p.space->slot[13].rights, VG_CAP_EXECUTE);
	/* Nothing adds it. */
	for (unsigned fl = 0; fl <= VG_CAP_COPY_FLAGS_ALL; fl++) {
		if ((fl & VG_CAP_COPY_GUARD) && (fl & VG_CAP_COPY_SOURCE_GUARD))
			continue;
		r = cap_copy(&root, vgtest_slot(15), &root, vgtest_slot(11),
		    fl, none);
		assert_int_equal(r.err, VG_OK);
		assert_int_equal(x->p.space->slot[15].rights, 0);
	}
	/* A page has no subpage: narrowing it is refused, not a way in. */
	r = cap_copy(&root, vgtest_slot(15), &root, vgtest_slot(11),
	    VG_CAP_COPY_SUBPAGE, (struct vg_cap_translator){
	    .subpage_log2 = 1, .subpage = 1 });
	assert_int_equal(r.err, VG_ERR_SUBPAGE);
	/* A message's capability (cap_store) brings its rights along. */
	cap_store(&x->p.space->slot[16], x->code);
	assert_int_equal(x->p.space->slot[16].rights, VG_CAP_EXECUTE);
	cap_store(&x->p.space->slot[16], VG_CAP_VOID);
	assert_int_equal(x->p.space->slot[16].rights, 0);
	/* Rubbed out, the slot has none. */
	assert_int_equal(cap_rubout(&root, vgtest_slot(12)).err, VG_OK);
	assert_int_equal(x->p.space->slot[12].rights, 0);
	/* Stale, the capability reads as void, rights and all. */
	assert_int_equal(folio_object_alloc(x->p.folio,
	    storage_owner_index(x->code.oid), VG_TYPE_VOID, 0).err, VG_OK);
	assert_int_equal(cap_read(&root, vgtest_slot(13)).cap.type,
	    VG_TYPE_VOID);
	assert_int_equal(cap_read(&root, vgtest_slot(13)).cap.rights, 0);
	vgtest_check_invariants();
}

/* The walk hands back the capability found with its rights, through a
 * weak path too (an rpage with the right: read-only code). */
static void
test_exec_walk(void **state)
{
	struct fixture *x = *state;
	struct vg_cap weak = x->top_cap;
	struct as_result r;
	const struct hosted_event *m;

	x->top->slot[1] = x->code;
	r = as_walk_run(as_walk_start(&x->p.thread->slot[VG_THREAD_SLOT_ASPACE],
	    vg_addr_of_data(va(1))));
	assert_int_equal(r.err, VG_OK);
	assert_int_equal(r.cap.type, VG_TYPE_PAGE);
	assert_int_equal(r.cap.rights, VG_CAP_EXECUTE);

	weak.type = VG_TYPE_RCAPPAGE;
	x->p.space->slot[TOP_SLOT] = vgtest_guarded(weak, 0, 36);
	r = as_walk_run(as_walk_start(&x->p.thread->slot[VG_THREAD_SLOT_ASPACE],
	    vg_addr_of_data(va(1))));
	assert_int_equal(r.err, VG_OK);
	assert_true(r.weak);
	assert_int_equal(r.cap.type, VG_TYPE_RPAGE);
	assert_int_equal(r.cap.rights, VG_CAP_EXECUTE);
	assert_int_equal(fault(x, 1, VG_FAULT_EXECUTE, &m), VG_OK);
	assert_non_null(m);
	assert_false(m->writable);
	assert_true(m->executable);
	assert_int_equal(fault(x, 1, VG_FAULT_WRITE, &m), VG_ERR_WEAK);
	assert_null(m);

	/* Through a folio, an object reads without rights: holding the
	 * folio is no execute right to what it holds. */
	x->p.space->slot[TOP_SLOT] = vgtest_guarded(folio_cap(x->p.folio), 0,
	    37);
	r = as_walk_run(as_walk_start(&x->p.thread->slot[VG_THREAD_SLOT_ASPACE],
	    vg_addr_of_data((((uint64_t)TOP_SLOT << 44) |
	    (uint64_t)storage_owner_index(x->code.oid)) << 12)));
	assert_int_equal(r.err, VG_OK);
	assert_int_equal(r.cap.oid, x->code.oid);
	assert_int_equal(r.cap.rights, 0);
	vgtest_check_invariants();
}

/* A data fault maps the page executable exactly when the capability
 * found has the right; an instruction fetch without it fails. */
static void
test_exec_fault(void **state)
{
	struct fixture *x = *state;
	struct vg_cap rcode = x->code, rdata = x->data;
	const struct hosted_event *m;

	rcode.type = VG_TYPE_RPAGE;
	rdata.type = VG_TYPE_RPAGE;
	x->top->slot[1] = x->data;
	x->top->slot[2] = x->code;
	x->top->slot[3] = rcode;
	x->top->slot[4] = rdata;

	/* Data: mapped no-execute whatever the access; no fetch. */
	assert_int_equal(fault(x, 1, VG_FAULT_READ, &m), VG_OK);
	assert_true(m != NULL && m->writable && !m->executable);
	assert_int_equal(fault(x, 1, VG_FAULT_WRITE, &m), VG_OK);
	assert_true(m != NULL && m->writable && !m->executable);
	assert_int_equal(fault(x, 1, VG_FAULT_EXECUTE, &m),
	    VG_ERR_NO_EXECUTE);
	assert_null(m);
	/* Code: mapped executable whatever the access. */
	assert_int_equal(fault(x, 2, VG_FAULT_READ, &m), VG_OK);
	assert_true(m != NULL && m->writable && m->executable);
	assert_int_equal(fault(x, 2, VG_FAULT_EXECUTE, &m), VG_OK);
	assert_true(m != NULL && m->writable && m->executable);
	assert_int_equal(m->vaddr, va(2));
	assert_int_equal(m->page, x->code.oid);
	/* Read-only code, read-only data. */
	assert_int_equal(fault(x, 3, VG_FAULT_EXECUTE, &m), VG_OK);
	assert_true(m != NULL && !m->writable && m->executable);
	assert_int_equal(fault(x, 3, VG_FAULT_WRITE, &m), VG_ERR_WEAK);
	assert_int_equal(fault(x, 4, VG_FAULT_READ, &m), VG_OK);
	assert_true(m != NULL && !m->writable && !m->executable);
	assert_int_equal(fault(x, 4, VG_FAULT_EXECUTE, &m),
	    VG_ERR_NO_EXECUTE);
	assert_null(m);
	/* Not a page at all: the old errors, whatever the access. */
	assert_int_equal(fault(x, 5, VG_FAULT_EXECUTE, &m), VG_ERR_VOID);
	x->top->slot[5] = x->top_cap;
	assert_int_equal(fault(x, 5, VG_FAULT_EXECUTE, &m), VG_ERR_TYPE);
	/* Dropping the right: the next fault maps no-execute. */
	x->top->slot[2].rights = 0;
	assert_int_equal(fault(x, 2, VG_FAULT_EXECUTE, &m),
	    VG_ERR_NO_EXECUTE);
	vgtest_check_invariants();
}

int
main(void)
{
#define T(fn) cmocka_unit_test_setup_teardown(fn, setup, teardown)
	const struct CMUnitTest tests[] = {
		T(test_exec_alloc),
		T(test_exec_copy),
		T(test_exec_walk),
		T(test_exec_fault),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
