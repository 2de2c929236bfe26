/*
 * Address translation, case by case: guards, subpages, each kind of
 * indexable object, weakness, the precise error report, and suspending
 * and resuming a walk at a virtualized level.  (translate_random_test.c
 * checks the same rules against a reference model on random trees.)
 */
#include "vgtest.h"

struct fixture {
	struct vgtest t;
	struct folio *f;
	struct vg_cap root;	/* the root slot: a cappage, no guard */
	struct cappage *top;
};

static int
setup(void **state)
{
	struct fixture *x = test_malloc(sizeof(*x));

	x->t = vgtest_boot(VGTEST_CHUNKS);
	x->f = vgtest_folio(x->t.root_activity);
	x->root = vgtest_object(x->f, 0, VG_TYPE_CAPPAGE);
	x->top = vgtest_cappage(x->root);
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

static struct as_result
walk(struct fixture *x, uint64_t prefix, unsigned depth)
{
	return as_walk_run(as_walk_start(&x->root, vg_addr(prefix, depth)));
}

/* Depth 8 names a slot of the top cappage directly. */
static void
test_as_cappage_slot(void **state)
{
	struct fixture *x = *state;
	struct vg_cap page = vgtest_object(x->f, 1, VG_TYPE_PAGE);
	struct as_result r;

	x->top->slot[0x5a] = page;
	r = walk(x, 0x5a, 8);
	assert_int_equal(r.err, VG_OK);
	assert_ptr_equal(r.slot, &x->top->slot[0x5a]);
	assert_memory_equal(&r.cap, &page, sizeof(page));
	assert_false(r.weak);
	/* An empty slot is found too; it holds void. */
	r = walk(x, 0x5b, 8);
	assert_int_equal(r.err, VG_OK);
	assert_ptr_equal(r.slot, &x->top->slot[0x5b]);
	assert_int_equal(r.cap.type, VG_TYPE_VOID);
}

/* The root address names the root slot, even if its cap has a guard. */
static void
test_as_root_address(void **state)
{
	struct fixture *x = *state;
	struct as_result r;

	x->root = vgtest_guarded(x->root, 0x3, 4);
	r = as_walk_run(as_walk_start(&x->root, VG_ADDR_ROOT));
	assert_int_equal(r.err, VG_OK);
	assert_ptr_equal(r.slot, &x->root);
	assert_int_equal(r.cap.type, VG_TYPE_CAPPAGE);
	/* An address exactly as deep as the guard also ends at the root. */
	r = walk(x, 0x3, 4);
	assert_int_equal(r.err, VG_OK);
	assert_ptr_equal(r.slot, &x->root);
}

/* The void address is refused before anything is looked at. */
static void
test_as_void_address(void **state)
{
	struct fixture *x = *state;
	struct as_result r = as_walk_run(as_walk_start(&x->root,
	    VG_ADDR_VOID));

	assert_int_equal(r.err, VG_ERR_ADDR);
	assert_int_equal(as_lookup_slot(&x->root, VG_ADDR_VOID, false).err,
	    VG_ERR_ADDR);
}

/* A guard is matched and consumed before the object is indexed. */
static void
test_as_guard_match(void **state)
{
	struct fixture *x = *state;
	struct vg_cap page = vgtest_object(x->f, 1, VG_TYPE_PAGE);
	struct as_result r;

	x->root = vgtest_guarded(x->root, 0x15, 5);	/* 10101 */
	x->top->slot[0xff] = page;
	r = walk(x, (0x15u << 8) | 0xff, 13);
	assert_int_equal(r.err, VG_OK);
	assert_ptr_equal(r.slot, &x->top->slot[0xff]);
	assert_int_equal(r.cap.type, VG_TYPE_PAGE);
}

/* A mismatch reports where, what was expected and what the address had. */
static void
test_as_guard_mismatch(void **state)
{
	struct fixture *x = *state;
	struct as_result r;

	x->root = vgtest_guarded(x->root, 0x15, 5);
	r = walk(x, (0x14u << 8) | 0xff, 13);
	assert_int_equal(r.err, VG_ERR_GUARD_MISMATCH);
	assert_int_equal(r.fault.step, 0);
	assert_int_equal(r.fault.consumed, 0);
	assert_int_equal(r.fault.remaining, 13);
	assert_int_equal(r.fault.found_type, VG_TYPE_CAPPAGE);
	assert_int_equal(r.fault.found_guard, 0x15);
	assert_int_equal(r.fault.found_guard_depth, 5);
	assert_int_equal(r.fault.addr_bits, 0x14);
}

/* A guard deeper than the bits that remain fails, and says so. */
static void
test_as_guard_deeper_than_remaining(void **state)
{
	struct fixture *x = *state;
	struct vg_cap inner = vgtest_object(x->f, 1, VG_TYPE_CAPPAGE);
	struct as_result r;

	x->top->slot[1] = vgtest_guarded(inner, 0, 20);
	r = walk(x, (1u << 10) | 0, 18);	/* 8 + only 10 bits left */
	assert_int_equal(r.err, VG_ERR_GUARD_DEPTH);
	assert_int_equal(r.fault.step, 1);
	assert_int_equal(r.fault.consumed, 8);
	assert_int_equal(r.fault.remaining, 10);
	assert_int_equal(r.fault.found_guard_depth, 20);
}

/* Guards deeper than the 32 stored bits: the upper bits must be zero. */
static void
test_as_guard_deeper_than_stored_bits(void **state)
{
	struct fixture *x = *state;
	struct vg_cap page = vgtest_object(x->f, 1, VG_TYPE_PAGE);
	uint64_t guard_ok = 0xdeadbeefu;	/* 40-bit guard, top 8 zero */
	uint64_t guard_bad = guard_ok | (UINT64_C(1) << 39);
	struct as_result r;

	x->root = vgtest_guarded(x->root, 0xdeadbeef, 40);
	x->top->slot[7] = page;
	r = walk(x, (guard_ok << 8) | 7, 48);
	assert_int_equal(r.err, VG_OK);
	assert_ptr_equal(r.slot, &x->top->slot[7]);
	r = walk(x, (guard_bad << 8) | 7, 48);
	assert_int_equal(r.err, VG_ERR_GUARD_MISMATCH);
	assert_int_equal(r.fault.addr_bits, guard_bad);
	/* A 63-bit guard consumes the deepest address entirely. */
	x->root = vgtest_guarded(x->root, 0x1234, 63);
	r = walk(x, 0x1234, 63);
	assert_int_equal(r.err, VG_OK);
	assert_ptr_equal(r.slot, &x->root);
}

/* A subpage capability indexes only its part of the cappage. */
static void
test_as_subpage(void **state)
{
	struct fixture *x = *state;
	struct vg_cap inner = vgtest_object(x->f, 1, VG_TYPE_CAPPAGE);
	struct cappage *cp = vgtest_cappage(inner);
	struct as_result r;

	/* Quarter 2 (slots 128..191) consumes 6 bits. */
	x->top->slot[3] = vgtest_subpage(inner, 2, 2);
	r = walk(x, (3u << 6) | 5, 14);
	assert_int_equal(r.err, VG_OK);
	assert_ptr_equal(r.slot, &cp->slot[128 + 5]);
	/* 1/128: part 127 is slots 254 and 255, one bit. */
	x->top->slot[3] = vgtest_subpage(inner, 7, 127);
	r = walk(x, (3u << 1) | 1, 9);
	assert_int_equal(r.err, VG_OK);
	assert_ptr_equal(r.slot, &cp->slot[255]);
}

/* A folio index synthesizes a capability to the object in that slot. */
static void
test_as_folio_index(void **state)
{
	struct fixture *x = *state;
	struct vg_cap msgr = vgtest_object(x->f, 77, VG_TYPE_MESSENGER);
	struct as_result r;

	x->top->slot[2] = folio_cap(x->f);
	r = walk(x, (2u << 7) | 77, 15);
	assert_int_equal(r.err, VG_OK);
	assert_null(r.slot);
	assert_memory_equal(&r.cap, &msgr, sizeof(msgr));
	/* A synthesized capability is no slot to write. */
	r = as_lookup_slot(&x->root, vg_addr((2u << 7) | 77, 15), false);
	assert_int_equal(r.err, VG_ERR_NOT_INDEXABLE);
	r = as_lookup_object(&x->root, vg_addr((2u << 7) | 77, 15),
	    VG_TYPE_MESSENGER);
	assert_int_equal(r.err, VG_OK);
	/* An empty folio slot reads as void. */
	r = as_lookup_object(&x->root, vg_addr((2u << 7) | 78, 15),
	    VG_TYPE_PAGE);
	assert_int_equal(r.err, VG_ERR_VOID);
}

/* Threads and strong messengers expose their four slots. */
static void
test_as_thread_and_messenger_slots(void **state)
{
	struct fixture *x = *state;
	struct vg_cap th = vgtest_object(x->f, 1, VG_TYPE_THREAD);
	struct vg_cap m = vgtest_object(x->f, 2, VG_TYPE_MESSENGER);
	struct thread *tp = object_lookup(&th);
	struct messenger *mp = object_lookup(&m);
	struct as_result r;

	x->top->slot[4] = th;
	x->top->slot[5] = m;
	r = as_lookup_slot(&x->root, vg_addr((4u << 2) |
	    VG_THREAD_SLOT_EXCEPTION, 10), true);
	assert_int_equal(r.err, VG_OK);
	assert_ptr_equal(r.slot, &tp->slot[VG_THREAD_SLOT_EXCEPTION]);
	r = as_lookup_slot(&x->root, vg_addr((5u << 2) |
	    VG_MESSENGER_SLOT_BUFFER, 10), true);
	assert_int_equal(r.err, VG_OK);
	assert_ptr_equal(r.slot, &mp->slot[VG_MESSENGER_SLOT_BUFFER]);
	/* An address ending inside the index bits is too short. */
	r = walk(x, (5u << 1) | 1, 9);
	assert_int_equal(r.err, VG_ERR_ADDR_SHORT);
	assert_int_equal(r.fault.found_type, VG_TYPE_MESSENGER);
	assert_int_equal(r.fault.consumed, 8);
	assert_int_equal(r.fault.remaining, 1);
}

/* Indexing an rcappage makes the rest of the path weak. */
static void
test_as_weak_path(void **state)
{
	struct fixture *x = *state;
	struct vg_cap inner = vgtest_object(x->f, 1, VG_TYPE_CAPPAGE);
	struct vg_cap page = vgtest_object(x->f, 2, VG_TYPE_PAGE);
	struct vg_cap th = vgtest_object(x->f, 3, VG_TYPE_THREAD);
	struct vg_cap deeper = vgtest_object(x->f, 4, VG_TYPE_CAPPAGE);
	struct cappage *cp = vgtest_cappage(inner);
	struct as_result r;

	inner.type = VG_TYPE_RCAPPAGE;
	x->top->slot[9] = inner;
	cp->slot[1] = page;
	cp->slot[2] = th;
	cp->slot[3] = deeper;
	vgtest_cappage(deeper)->slot[0] = page;

	r = walk(x, (9u << 8) | 1, 16);
	assert_int_equal(r.err, VG_OK);
	assert_true(r.weak);
	assert_int_equal(r.cap.type, VG_TYPE_RPAGE);
	assert_int_equal(as_lookup_slot(&x->root, vg_addr((9u << 8) | 1, 16),
	    true).err, VG_ERR_WEAK);
	assert_int_equal(as_lookup_slot(&x->root, vg_addr((9u << 8) | 1, 16),
	    false).err, VG_OK);
	/* No weak thread exists: through a weak path it is void. */
	r = walk(x, (9u << 8) | 2, 16);
	assert_int_equal(r.cap.type, VG_TYPE_VOID);
	/* A strong cappage below a weak one is indexed weakly. */
	r = walk(x, (9u << 16) | (3u << 8) | 0, 24);
	assert_int_equal(r.err, VG_OK);
	assert_true(r.weak);
	assert_int_equal(r.cap.type, VG_TYPE_RPAGE);
	/* The rcappage itself, reached through a strong path, is writable. */
	r = as_lookup_slot(&x->root, vg_addr(9, 8), true);
	assert_int_equal(r.err, VG_OK);
	assert_int_equal(r.cap.type, VG_TYPE_RCAPPAGE);
}

/* Objects that cannot be indexed, void and stale capabilities fail. */
static void
test_as_not_indexable(void **state)
{
	struct fixture *x = *state;
	struct vg_cap page = vgtest_object(x->f, 1, VG_TYPE_PAGE);
	struct vg_cap act = vgtest_object(x->f, 2, VG_TYPE_ACTIVITY);
	struct vg_cap stale = vgtest_object(x->f, 3, VG_TYPE_CAPPAGE);
	struct as_result r;

	x->top->slot[1] = page;
	x->top->slot[2] = act;
	x->top->slot[3] = stale;
	vgtest_object(x->f, 3, VG_TYPE_CAPPAGE);	/* stale now */

	r = walk(x, (1u << 4) | 1, 12);
	assert_int_equal(r.err, VG_ERR_NOT_INDEXABLE);
	assert_int_equal(r.fault.found_type, VG_TYPE_PAGE);
	assert_int_equal(r.fault.step, 1);
	r = walk(x, (2u << 4) | 1, 12);
	assert_int_equal(r.err, VG_ERR_NOT_INDEXABLE);
	assert_int_equal(r.fault.found_type, VG_TYPE_ACTIVITY);
	r = walk(x, (3u << 4) | 1, 12);
	assert_int_equal(r.err, VG_ERR_VOID);
	assert_int_equal(r.fault.found_type, VG_TYPE_VOID);
	r = walk(x, (4u << 4) | 1, 12);
	assert_int_equal(r.err, VG_ERR_VOID);
	/* Ending at a stale capability finds the slot, which reads void. */
	r = walk(x, 3, 8);
	assert_int_equal(r.err, VG_OK);
	assert_int_equal(r.cap.type, VG_TYPE_VOID);
	assert_ptr_equal(r.slot, &x->top->slot[3]);
}

/* as_lookup_object demands exactly the type asked for. */
static void
test_as_lookup_object_type(void **state)
{
	struct fixture *x = *state;
	struct vg_cap m = vgtest_object(x->f, 1, VG_TYPE_MESSENGER);
	struct as_result r;

	x->top->slot[1] = m;
	r = as_lookup_object(&x->root, vg_addr(1, 8), VG_TYPE_MESSENGER);
	assert_int_equal(r.err, VG_OK);
	r = as_lookup_object(&x->root, vg_addr(1, 8), VG_TYPE_RMESSENGER);
	assert_int_equal(r.err, VG_ERR_TYPE);
	r = as_lookup_object(&x->root, vg_addr(2, 8), VG_TYPE_MESSENGER);
	assert_int_equal(r.err, VG_ERR_VOID);
}

/* A cycle in the tree cannot make a walk loop: every index eats bits. */
static void
test_as_cycle_terminates(void **state)
{
	struct fixture *x = *state;
	struct as_result r;
	uint64_t prefix = 0;
	unsigned depth;

	/* Slot 1 of the 1/128 subpage holds the cappage itself. */
	x->top->slot[1] = vgtest_subpage(x->root, 7, 0);
	for (depth = 8; depth < 63; depth++)
		prefix = (depth == 8) ? 1 : ((prefix << 1) | 1);
	r = walk(x, prefix, 62);
	assert_int_equal(r.err, VG_OK);
	assert_int_equal(r.cap.type, VG_TYPE_CAPPAGE);
	assert_ptr_equal(r.slot, &x->top->slot[1]);
}

/*
 * The straight walk answers as the reference does, and its memo makes a
 * second walk into the same cappage start there -- until a slot on the
 * way changes.
 */
static void
test_as_straight_memo(void **state)
{
	struct fixture *x = *state;
	struct vg_cap b = vgtest_object(x->f, 1, VG_TYPE_CAPPAGE);
	struct vg_cap c = vgtest_object(x->f, 2, VG_TYPE_CAPPAGE);
	struct cappage *bp = vgtest_cappage(b), *cp = vgtest_cappage(c);
	struct as_memo m;
	struct as_found f;
	struct as_result r;

	x->top->slot[0x12] = b;
	bp->slot[3] = vgtest_object(x->f, 3, VG_TYPE_PAGE);
	bp->slot[4] = vgtest_object(x->f, 4, VG_TYPE_PAGE);
	cp->slot[4] = vgtest_object(x->f, 5, VG_TYPE_PAGE);

	as_memo_clear(&m);
	assert_true(as_walk_straight(&x->root, vg_addr(0x1203, 16), &m,
	    &f, true));
	r = walk(x, 0x1203, 16);
	assert_ptr_equal(f.slot, r.slot);
	assert_memory_equal(&f.cap, &r.cap, sizeof(f.cap));
	/* It remembers B: the way there is the root slot and top[0x12]. */
	assert_int_equal(m.npath, 2);
	assert_ptr_equal(m.path[0], &x->root);
	assert_ptr_equal(m.path[1], &x->top->slot[0x12]);
	assert_ptr_equal(m.base, &bp->slot[0]);
	assert_int_equal(m.consumed, 8);
	assert_int_equal(m.n, 8);

	/* The next slot of B, from the memo; a store elsewhere keeps it. */
	as_memo_slot_changed(&m, &bp->slot[5]);
	assert_int_equal(m.npath, 2);
	assert_true(as_memo_walk(&x->root, vg_addr(0x1204, 16), &m, &f, true));
	assert_ptr_equal(f.slot, &bp->slot[4]);
	assert_int_equal(f.cap.oid, bp->slot[4].oid);
	/* Not past the slot it reaches, not for a shorter address. */
	assert_false(as_memo_walk(&x->root, vg_addr(0x12040, 20), &m, &f,
	    true));
	assert_false(as_memo_walk(&x->root, vg_addr(0x12, 8), &m, &f, true));
	assert_true(as_walk_straight(&x->root, vg_addr(0x1204, 16), &m,
	    &f, true));
	assert_ptr_equal(f.slot, &bp->slot[4]);

	/* Another root, or another way, does not take it. */
	{
		struct vg_cap other = x->root;
		struct as_memo kept = m;

		assert_true(as_walk_straight(&other, vg_addr(0x1204, 16), &m,
		    &f, true));
		assert_ptr_equal(f.slot, &bp->slot[4]);
		assert_ptr_equal(m.path[0], &other);
		m = kept;
	}

	/* top[0x12] changes to C: the memo is forgotten, the walk finds
	 * C's slot. */
	x->top->slot[0x12] = c;
	as_memo_slot_changed(&m, &x->top->slot[0x12]);
	assert_int_equal(m.npath, 0);
	assert_false(as_memo_walk(&x->root, vg_addr(0x1204, 16), &m, &f,
	    true));
	assert_true(as_walk_straight(&x->root, vg_addr(0x1204, 16), &m,
	    &f, true));
	assert_ptr_equal(f.slot, &cp->slot[4]);
	assert_int_equal(f.cap.oid, cp->slot[4].oid);

	/* What it cannot take it leaves to the reference: a guard that does
	 * not match, a folio's object, the root address. */
	assert_false(as_walk_straight(&x->root, vg_addr(0x13, 8 + 3), &m,
	    &f, true));
	assert_false(as_walk_straight(&x->root, VG_ADDR_ROOT, &m, &f, true));
	x->top->slot[0x20] = folio_cap(x->f);
	assert_false(as_walk_straight(&x->root, vg_addr(0x2001, 15), &m,
	    &f, true));
	r = walk(x, 0x2001, 15);
	assert_true(r.err != VG_OK || r.slot == NULL);
}

/*
 * An rmessenger where a cappage would be indexed suspends the walk; the
 * state handed back resumes it with the virtualizer's answer.
 */
static void
test_as_virtual_suspend_and_resume(void **state)
{
	struct fixture *x = *state;
	struct vg_cap m = vgtest_object(x->f, 1, VG_TYPE_MESSENGER);
	struct vg_cap inner = vgtest_object(x->f, 2, VG_TYPE_CAPPAGE);
	struct vg_cap page = vgtest_object(x->f, 3, VG_TYPE_PAGE);
	struct as_result r;

	m.type = VG_TYPE_RMESSENGER;
	x->top->slot[6] = vgtest_guarded(m, 1, 2);
	vgtest_cappage(inner)->slot[0x42] = page;

	/* 8 bits: slot 6; 2 guard bits; then 4 + 8 residual bits. */
	r = walk(x, (6u << 14) | (1u << 12) | (0x9u << 8) | 0x42, 22);
	assert_int_equal(r.err, VG_ERR_VIRTUAL);
	assert_int_equal(r.cap.type, VG_TYPE_RMESSENGER);
	assert_int_equal(r.walk.consumed, 10);
	assert_int_equal(r.walk.steps, 1);
	assert_false(r.walk.weak);

	/* The virtualizer consumed 4 bits and answered with a cappage. */
	r = as_walk_resume(r.walk, inner, 4);
	assert_int_equal(r.err, VG_OK);
	assert_ptr_equal(r.slot, &vgtest_cappage(inner)->slot[0x42]);
	assert_int_equal(r.cap.type, VG_TYPE_PAGE);

	/* Reaching the rmessenger itself is an ordinary lookup. */
	r = as_lookup_object(&x->root, vg_addr((6u << 2) | 1, 10),
	    VG_TYPE_RMESSENGER);
	assert_int_equal(r.err, VG_OK);
}

/* Resuming with a hostile answer fails without touching anything. */
static void
test_as_resume_rejects_bad_answers(void **state)
{
	struct fixture *x = *state;
	struct vg_cap m = vgtest_object(x->f, 1, VG_TYPE_MESSENGER);
	struct vg_cap page = vgtest_object(x->f, 2, VG_TYPE_PAGE);
	struct as_result r, again;

	m.type = VG_TYPE_RMESSENGER;
	x->top->slot[6] = m;
	r = walk(x, (6u << 12) | 0xabc, 20);
	assert_int_equal(r.err, VG_ERR_VIRTUAL);
	/* More bits consumed than remain. */
	again = as_walk_resume(r.walk, page, 13);
	assert_int_equal(again.err, VG_ERR_INVALID);
	/* A page with bits left to index. */
	again = as_walk_resume(r.walk, page, 4);
	assert_int_equal(again.err, VG_ERR_NOT_INDEXABLE);
	/* A void answer. */
	again = as_walk_resume(r.walk, VG_CAP_VOID, 4);
	assert_int_equal(again.err, VG_ERR_VOID);
	/* No bits consumed: nesting would not be bounded by the address. */
	again = as_walk_resume(r.walk, page, 0);
	assert_int_equal(again.err, VG_ERR_INVALID);
	/* A cappage capability with a malformed subpage selection. */
	{
		struct vg_cap bad = x->root;

		bad.subpage_log2 = 1;
		bad.subpage = 2;	/* part 2 of 2 does not exist */
		again = as_walk_resume(r.walk, bad, 2);
		assert_int_equal(again.err, VG_ERR_SUBPAGE);
		bad.subpage_log2 = 8;	/* would consume no bits */
		bad.subpage = 0;
		again = as_walk_resume(r.walk, bad, 2);
		assert_int_equal(again.err, VG_ERR_SUBPAGE);
	}
	/* All remaining bits consumed: the answer is the result. */
	again = as_walk_resume(r.walk, page, 12);
	assert_int_equal(again.err, VG_OK);
	assert_null(again.slot);
	assert_int_equal(again.cap.type, VG_TYPE_PAGE);
}

/*
 * Caches of translations: a walk made to fill one notes the slots it
 * indexes, each exactly.  A store there moves that cache's generation
 * (as_generation for page tables, which moves cap_epoch too; cap_epoch
 * for the IPC path's lookups); a store anywhere else, even into the next
 * slot, moves neither, and so does a store that leaves a slot as it was;
 * destruction moves both.
 */
static void
test_as_cache_marks(void **state)
{
	struct fixture *x = *state;
	struct vg_cap page = vgtest_object(x->f, 1, VG_TYPE_PAGE);
	struct vg_cap inner = vgtest_object(x->f, 2, VG_TYPE_CAPPAGE);
	struct vg_cap other = vgtest_object(x->f, 3, VG_TYPE_CAPPAGE);
	struct cappage *cp = vgtest_cappage(inner);
	struct cache_lookup l = { 0 };
	struct cache_lookup_noted n = { 0 };
	uint64_t gen, epoch;
	struct as_result r;

	x->top->slot[0x21] = inner;
	cp->slot[0x07] = page;
	cache_slot_changed(&x->top->slot[0x21]);
	cache_slot_changed(&cp->slot[0x07]);
	r = as_walk_run(as_walk_start_cached(&x->root, vg_addr(0x2107, 16),
	    CACHE_PAGES));
	assert_int_equal(r.err, VG_OK);
	assert_int_equal(r.cap.type, VG_TYPE_PAGE);

	/* Elsewhere: another object, other slots of the same ones, however
	 * near; and the same capability stored again. */
	gen = as_generation;
	epoch = cap_epoch;
	cap_store(&vgtest_cappage(other)->slot[0x21], page);
	cap_store(&x->top->slot[0x80], page);
	cap_store(&x->top->slot[0x20], page);
	cap_store(&x->top->slot[0x22], page);
	cap_store(&cp->slot[0x06], page);
	cap_store(&cp->slot[0x08], page);
	cap_store(&cp->slot[0xe0], page);
	cap_store(&cp->slot[0x07], page);
	cap_store(&x->top->slot[0x21], inner);
	assert_true(as_generation == gen && cap_epoch == epoch);

	/* Where the walk went: the slot it ended at, one it indexed. */
	cap_store(&cp->slot[0x07], other);
	assert_true(as_generation == gen + 1 && cap_epoch == epoch + 1);
	r = as_walk_run(as_walk_start_cached(&x->root, vg_addr(0x2107, 16),
	    CACHE_PAGES));
	gen = as_generation;
	cap_rubout(&x->root, vg_addr(0x21, 8));
	assert_true(as_generation == gen + 1);
	x->top->slot[0x21] = inner;
	cache_slot_changed(&x->top->slot[0x21]);

	/* After a flush the marks are old: nothing is cached any more. */
	gen = as_generation;
	epoch = cap_epoch;
	cap_store(&cp->slot[0x07], page);
	assert_true(as_generation == gen && cap_epoch == epoch);

	/* A lookup kept by the IPC path: only cap_epoch moves, and only for
	 * the slots it went through; a new capability in the slot it ended
	 * at stops it holding (it compares that slot) and moves nothing. */
	r = as_walk_keep(&l, &x->root, vg_addr(0x2107, 16), false);
	assert_int_equal(r.err, VG_OK);
	assert_ptr_equal(l.slot, &cp->slot[0x07]);
	assert_true(cache_lookup_holds(&l, vg_addr(0x2107, 16)));
	cap_store(&x->top->slot[0x90], page);
	cap_store(&cp->slot[0x06], other);
	cap_store(&cp->slot[0x08], other);
	cap_store(&cp->slot[0x07], page);
	assert_true(as_generation == gen && cap_epoch == epoch);
	assert_true(cache_lookup_holds(&l, vg_addr(0x2107, 16)));
	cap_store(&cp->slot[0x07], other);
	assert_true(as_generation == gen && cap_epoch == epoch);
	assert_false(cache_lookup_holds(&l, vg_addr(0x2107, 16)));
	cap_store(&cp->slot[0x07], page);
	r = as_walk_keep(&l, &x->root, vg_addr(0x2107, 16), false);
	assert_true(cache_lookup_holds(&l, vg_addr(0x2107, 16)));
	cap_store(&x->top->slot[0x21], other);
	assert_true(as_generation == gen && cap_epoch == epoch + 1);
	assert_false(cache_lookup_holds(&l, vg_addr(0x2107, 16)));
	x->top->slot[0x21] = inner;
	cache_slot_changed(&x->top->slot[0x21]);

	/* A noted lookup marks the slot it ended at too: a store there
	 * moves cap_epoch, one beside it does not. */
	r = as_walk_keep_noted(&n, &x->root, vg_addr(0x2107, 16), false);
	assert_int_equal(r.err, VG_OK);
	assert_true(cache_lookup_noted_holds(&n, vg_addr(0x2107, 16)));
	epoch = cap_epoch;
	cap_store(&cp->slot[0x06], page);
	cap_store(&cp->slot[0x08], page);
	cap_store(&cp->slot[0x07], page);
	assert_true(as_generation == gen && cap_epoch == epoch);
	assert_true(cache_lookup_noted_holds(&n, vg_addr(0x2107, 16)));
	cap_store(&cp->slot[0x07], other);
	assert_true(as_generation == gen && cap_epoch == epoch + 1);
	assert_false(cache_lookup_noted_holds(&n, vg_addr(0x2107, 16)));

	/* Destroying an object always drops both. */
	epoch = cap_epoch;
	(void)folio_object_alloc(x->f, 3, VG_TYPE_VOID, 0);
	assert_true(as_generation == gen + 1 && cap_epoch == epoch + 1);
}

/*
 * The exact marks of a generation come from a bounded number of slot
 * maps; an object marked once they have run out is marked by 32nds of
 * its frame (8 slots of a cappage), which still catches every store
 * through it.
 */
static void
test_as_cache_marks_run_out(void **state)
{
	struct fixture *x = *state;
	uint32_t first = folio_object_oid(x->f, 0);
	struct cappage *last = NULL;
	uint64_t epoch;

	assert_true(storage_nchunks * VG_FOLIO_OBJECTS >
	    CACHE_MARK_MAPS + 2 * FOLIO_FRAMES);
	cache_invalidate_all();
	/* One object frame after another, past the folio headers. */
	for (uint32_t oid = first, n = 0; n <= CACHE_MARK_MAPS; oid++) {
		if (storage_owner_index(oid) < 0)
			continue;
		last = storage_frame(oid);
		cache_note(&last->slot[0x10], CACHE_LOOKUPS);
		n++;
	}
	epoch = cap_epoch;
	cache_slot_changed(&last->slot[0x20]);
	assert_true(cap_epoch == epoch);
	cache_slot_changed(&last->slot[0x17]);
	assert_true(cap_epoch == epoch + 1);
	/* A new generation has every map again. */
	cache_note(&last->slot[0x10], CACHE_LOOKUPS);
	epoch = cap_epoch;
	cache_slot_changed(&last->slot[0x17]);
	assert_true(cap_epoch == epoch);
	cache_slot_changed(&last->slot[0x10]);
	assert_true(cap_epoch == epoch + 1);
}

int
main(void)
{
#define T(fn) cmocka_unit_test_setup_teardown(fn, setup, teardown)
	const struct CMUnitTest tests[] = {
		T(test_as_cappage_slot),
		T(test_as_root_address),
		T(test_as_void_address),
		T(test_as_guard_match),
		T(test_as_guard_mismatch),
		T(test_as_guard_deeper_than_remaining),
		T(test_as_guard_deeper_than_stored_bits),
		T(test_as_subpage),
		T(test_as_folio_index),
		T(test_as_thread_and_messenger_slots),
		T(test_as_weak_path),
		T(test_as_not_indexable),
		T(test_as_lookup_object_type),
		T(test_as_cycle_terminates),
		T(test_as_straight_memo),
		T(test_as_virtual_suspend_and_resume),
		T(test_as_resume_rejects_bad_answers),
		T(test_as_cache_marks),
		T(test_as_cache_marks_run_out),
	};
#undef T

	return cmocka_run_group_tests_name("as", tests, NULL, NULL);
}
