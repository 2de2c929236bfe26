/*
 * tiso's resource attacks (tests/qemu/root/t_iso_resources.c,
 * t_iso_cpu.c, t_iso_pages.c): a program that holds its own activity
 * without the limit right tries to lift its limits, to escape its quota
 * through an activity of its own, to raise its priority, to take the
 * processor with threads, and to take page tables from others.  What
 * each attempt returned goes in the mailbox (value[1..], as each
 * function says).
 */
#include "iso.h"

/* A bound for waiting on the root: far longer than any test. */
#define WAIT_CYCLES	40000000000ull

/* Folios and objects: no program may make more than its quota allows,
 * so the loops end there (the bound only stops a broken kernel). */
#define MANY		1000000u

bool
iso_step(uint64_t step)
{
	volatile uint64_t *go = &t_mailbox()->value[T_ISO_CONTINUE];
	uint64_t t0 = t_rdtsc_now();
	enum vg_err err = t_parent_report(T_ISO_STEP, step, 0);

	if (!t_check(err == VG_OK, "report step %lu: %s", (unsigned long)step,
	    vg_strerror(err)))
		return false;
	while (*go < step)
		if (t_rdtsc_now() - t0 > WAIT_CYCLES)
			return t_check(false, "the root never let step %lu go on",
			    (unsigned long)step);
	return true;
}

_Noreturn void
iso_park(void)
{
	static volatile uint64_t never;

	for (;;)
		vg_wait_nonzero(&never);
}

/* New folios charged to ACTIVITY, their capabilities dropped (one slot
 * reused), until it refuses: how many; *ERR what refused. */
static uint64_t
fill_folios(vg_addr_t activity, vg_addr_t slot, enum vg_err *err)
{
	uint64_t n = 0;

	while (n < MANY && (*err = vg_activity_folio_alloc(vg_kcall(),
	    activity, slot)) == VG_OK)
		n++;
	return n;
}

/*
 * T_ISO_QUOTA_LIFT: every limit of my own activity, set through every
 * capability to it I have: value[1] the quota lifted (0), [2] a larger
 * quota, [3] the page tables, [4] the weight, [5] the priority, [6] the
 * quota through a plain copy of the capability, [7] through my thread's
 * ACTIVITY slot.  Then folios until refused: [8] how many, [9] what
 * refused, [10] my usage and [11] my quota as I read them.
 */
void
iso_quota_lift(void)
{
	struct vg_runtime *rt = vg_self();
	struct vg_call *c = vg_kcall();
	vg_addr_t self = rt->activity, copy = vg_slot_alloc(&rt->slots);
	vg_addr_t slot = vg_slot_alloc(&rt->slots);
	uint64_t usage = 0, quota = 0, n;
	enum vg_err err;

	t_value(1, vg_activity_set_quota(c, self, 0));
	t_value(2, vg_activity_set_quota(c, self, 1ull << 40));
	t_value(3, vg_activity_set_limit(c, self,
	    VG_ACTIVITY_LIMIT_PAGE_TABLES, 0));
	t_value(4, vg_activity_set_limit(c, self, VG_ACTIVITY_LIMIT_WEIGHT,
	    VG_ACTIVITY_WEIGHT_MAX));
	t_value(5, vg_activity_set_limit(c, self, VG_ACTIVITY_LIMIT_PRIORITY,
	    VG_THREAD_PRIORITY_MAX));
	/* A copy has at most the rights of its source. */
	err = vg_as_copy(c, rt->self_root, copy, self, 0,
	    (struct vg_cap_translator){ 0 });
	t_value(6, err == VG_OK ? vg_activity_set_quota(c, copy, 0) : err);
	t_value(7, vg_activity_set_quota(c, vg_addr_extend(rt->thread,
	    VG_THREAD_SLOT_ACTIVITY, 2), 0));

	n = fill_folios(self, slot, &err);
	t_value(8, n);
	t_value(9, err);
	if (vg_activity_info(c, self, &usage, &quota, NULL) == VG_OK) {
		t_value(10, usage);
		t_value(11, quota);
	}
	t_check(err == VG_ERR_QUOTA, "%lu folios, then %s",
	    (unsigned long)n, vg_strerror(err));
}

/*
 * T_ISO_GRANDCHILD: an activity of my own, S, made in my folio, with
 * every right (I made it) and no quota: value[1] making it, [2] S's
 * quota, [3] S's depth less mine.  Step 1: S made, none of its folios.
 * [4] S's first folio; step 2.  Then folios of S until refused: [5] how
 * many more, [6] what refused; [7] S's usage, [8] mine, [9] my quota.
 */
void
iso_grandchild(void)
{
	struct vg_runtime *rt = vg_self();
	struct vg_call *c = vg_kcall();
	vg_addr_t sub = vg_slot_alloc(&rt->slots);
	vg_addr_t slot = vg_slot_alloc(&rt->slots);
	uint64_t quota = ~0ull, depth = 0, mine = 0, usage = 0, n;
	enum vg_err err;

	err = vg_obj_alloc(c, &rt->alloc, VG_TYPE_ACTIVITY, sub);
	t_value(1, err);
	if (!t_check(err == VG_OK, "my sub-activity: %s", vg_strerror(err)))
		return;
	if (vg_activity_info(c, sub, NULL, &quota, &depth) == VG_OK &&
	    vg_activity_info(c, rt->activity, NULL, NULL, &mine) == VG_OK) {
		t_value(2, quota);
		t_value(3, depth - mine);
	}
	if (!iso_step(1))
		return;
	err = vg_activity_folio_alloc(c, sub, slot);
	t_value(4, err);
	if (!t_check(err == VG_OK, "S's first folio: %s", vg_strerror(err)) ||
	    !iso_step(2))
		return;
	n = fill_folios(sub, slot, &err);
	t_value(5, n);
	t_value(6, err);
	if (vg_activity_info(c, sub, &usage, NULL, NULL) == VG_OK)
		t_value(7, usage);
	if (vg_activity_info(c, rt->activity, &usage, &quota, NULL) ==
	    VG_OK) {
		t_value(8, usage);
		t_value(9, quota);
	}
}

/*
 * T_ISO_PRIORITY, started with a priority limit of 1: my thread's
 * priority set to value[1] 2, [2] 3 (both above the limit), [3] 1 (at
 * it), [4] the old priority a following 0 reports (1 if [3] took);
 * [5] my own priority limit set to 3 (without the right).  A
 * sub-activity S: [6] its priority limit as made (my own), set to [7] 2,
 * [8] 3 (above mine), [9] 0, [10] read back.  A thread in a folio of S
 * (so S pays for it): its priority set to [11] 1 (above S's 0), [12] 0.
 */
void
iso_priority(void)
{
	struct vg_runtime *rt = vg_self();
	struct vg_call *c = vg_kcall();
	vg_addr_t sub = vg_slot_alloc(&rt->slots);
	vg_addr_t folio = vg_slot_alloc(&rt->slots);
	vg_addr_t thread = vg_slot_alloc(&rt->slots);
	struct vg_activity_limits l = { .priority = ~0ull };
	uint64_t old = ~0ull;
	enum vg_err err;

	t_value(1, vg_thread_priority(c, rt->thread, 2, NULL));
	t_value(2, vg_thread_priority(c, rt->thread, 3, NULL));
	t_value(3, vg_thread_priority(c, rt->thread, 1, NULL));
	if (vg_thread_priority(c, rt->thread, 0, &old) == VG_OK)
		t_value(4, old);
	t_value(5, vg_activity_set_limit(c, rt->activity,
	    VG_ACTIVITY_LIMIT_PRIORITY, 3));

	err = vg_obj_alloc(c, &rt->alloc, VG_TYPE_ACTIVITY, sub);
	if (!t_check(err == VG_OK, "my sub-activity: %s", vg_strerror(err)))
		return;
	if (vg_activity_limits(c, sub, &l) == VG_OK)
		t_value(6, l.priority);
	t_value(7, vg_activity_set_limit(c, sub, VG_ACTIVITY_LIMIT_PRIORITY,
	    2));
	t_value(8, vg_activity_set_limit(c, sub, VG_ACTIVITY_LIMIT_PRIORITY,
	    3));
	t_value(9, vg_activity_set_limit(c, sub, VG_ACTIVITY_LIMIT_PRIORITY,
	    0));
	l.priority = ~0ull;
	if (vg_activity_limits(c, sub, &l) == VG_OK)
		t_value(10, l.priority);

	err = vg_activity_folio_alloc(c, sub, folio);
	if (err == VG_OK)
		err = vg_folio_object_alloc(c, folio, 0, VG_TYPE_THREAD, 0,
		    thread);
	if (!t_check(err == VG_OK, "a thread of S: %s", vg_strerror(err)))
		return;
	t_value(11, vg_thread_priority(c, thread, 1, NULL));
	t_value(12, vg_thread_priority(c, thread, 0, NULL));
}

/*
 * A spinning thread of the bomb, started with RSP at its byte of the
 * T_SHARED page: it marks the byte, then increments the page's counter
 * for ever.  It needs no stack, no UTCB and makes no system call.
 */
__asm__(
	".text\n"
	".globl t_iso_spin\n"
	".type t_iso_spin, @function\n"
	"t_iso_spin:\n"
	"	movb $1, (%rsp)\n"
	"	movq %rsp, %rax\n"
	"	andq $-4096, %rax\n"
	"1:	lock incq (%rax)\n"
	"	jmp 1b\n"
	".size t_iso_spin, . - t_iso_spin\n");
extern char t_iso_spin[];

/*
 * T_ISO_THREAD_BOMB: spinning threads at priority T_ISO_BOMB_PRIORITY,
 * each started as soon as it is made, as many as my quota allows (my own
 * thread, above them, goes on making them): value[1] threads started,
 * [2] what refused the next.  Then READY (a: threads) and I wait.
 */
void
iso_thread_bomb(void)
{
	struct vg_runtime *rt = vg_self();
	struct vg_call *c = vg_kcall();
	struct vg_cap_translator guard = {
		.guard_depth = VG_BOOT_ROOT_GUARD_DEPTH };
	vg_addr_t t = vg_slot_alloc(&rt->slots);
	uint64_t n = 0;
	enum vg_err err;

	err = vg_thread_priority(c, rt->thread, VG_THREAD_PRIORITY_MAX, NULL);
	if (!t_check(err == VG_OK, "my own priority: %s", vg_strerror(err)))
		return;
	/* One slot for all: a thread lives on when its capability goes. */
	while (n < MANY) {
		struct vg_exregs x = {
			.control = VG_EXREGS_SET_IP | VG_EXREGS_SET_SP,
			.ip = (uint64_t)(uintptr_t)t_iso_spin,
			.sp = T_SHARED + T_ISO_SEEN +
			    (n < T_ISO_SEEN_MAX ? n : T_ISO_SEEN_MAX - 1),
		};

		err = vg_obj_alloc(c, &rt->alloc, VG_TYPE_THREAD, t);
		if (err != VG_OK)
			break;
		err = vg_as_copy(c, rt->self_root,
		    vg_addr_extend(t, VG_THREAD_SLOT_ASPACE, 2), rt->self_root,
		    VG_CAP_COPY_GUARD, guard);
		if (err == VG_OK)
			err = vg_thread_exregs(c, t, &x, NULL);
		if (err == VG_OK)
			err = vg_thread_priority(c, t, T_ISO_BOMB_PRIORITY,
			    NULL);
		x.control = VG_EXREGS_START;
		if (err == VG_OK)
			err = vg_thread_exregs(c, t, &x, NULL);
		if (err != VG_OK)
			break;
		n++;
	}
	t_value(1, n);
	t_value(2, err);
	t_check(err == VG_ERR_QUOTA, "%lu threads, then %s", (unsigned long)n,
	    vg_strerror(err));
	if (t_parent_report(T_ISO_READY, n, 0) == VG_OK)
		iso_park();
}

/*
 * T_ISO_OBJECTS: folios until my quota refuses, each filled with threads
 * and messengers, one of each in turn (their capabilities dropped: the
 * objects stay): value[1] folios, [2] objects, [3] what refused the next
 * folio.  Then READY (a: objects, b: folios) and I wait to be destroyed.
 */
void
iso_objects(void)
{
	struct vg_runtime *rt = vg_self();
	struct vg_call *c = vg_kcall();
	vg_addr_t folio = vg_slot_alloc(&rt->slots);
	uint64_t folios = 0, objects = 0;
	enum vg_err err = VG_OK;

	while (folios < MANY &&
	    (err = vg_activity_folio_alloc(c, rt->activity, folio)) == VG_OK) {
		folios++;
		for (unsigned i = 0; i < VG_FOLIO_OBJECTS && err == VG_OK;
		    i++) {
			err = vg_folio_object_alloc(c, folio, i, i % 2 ?
			    VG_TYPE_MESSENGER : VG_TYPE_THREAD, 0,
			    VG_ADDR_VOID);
			objects += err == VG_OK;
		}
		if (!t_check(err == VG_OK, "object %lu: %s",
		    (unsigned long)objects, vg_strerror(err)))
			break;
	}
	t_value(1, folios);
	t_value(2, objects);
	t_value(3, err);
	t_check(err == VG_ERR_QUOTA, "%lu folios, then %s",
	    (unsigned long)folios, vg_strerror(err));
	if (t_parent_report(T_ISO_READY, objects, folios) == VG_OK)
		iso_park();
}

/*
 * T_ISO_PT_BOMB: a page in each of N (argument 1) 2 MiB regions, each
 * needing a page table of its own, far more than my page-table limit;
 * READY (a: N) once they are mapped, then passes over them until the
 * root's STOP, each writing the pass number and checking the last:
 * value[1] pages, [2] passes, [3] words that did not read back.
 */
void
iso_pt_bomb(void)
{
	struct vg_runtime *rt = vg_self();
	volatile struct t_mailbox *mb = t_mailbox();	/* STOP */
	uint64_t n = t_arg(1, 0), bad = 0;
	enum vg_err err = VG_OK;

	if (n > T_ISO_PT_MAX)
		n = T_ISO_PT_MAX;
	for (uint64_t k = 0; k < n && err == VG_OK; k++)
		err = vg_as_map_new(&rt->as, T_ISO_PT_BASE +
		    k * T_ISO_PT_REGION, VG_PAGE_SIZE, VG_AS_WRITE);
	t_value(1, n);
	if (!t_check(err == VG_OK, "mapping %lu pages: %s", (unsigned long)n,
	    vg_strerror(err)) || t_parent_report(T_ISO_READY, n, 0) != VG_OK)
		return;
	for (uint64_t pass = 1; mb->value[T_ISO_STOP] == 0; pass++) {
		for (uint64_t k = 0; k < n; k++) {
			volatile uint64_t *w = VG_PTR(T_ISO_PT_BASE +
			    k * T_ISO_PT_REGION);

			bad += *w != (pass - 1) * n + k && pass > 1;
			*w = pass * n + k;
		}
		mb->value[2] = pass;
		mb->value[3] = bad;
	}
	t_check(bad == 0, "%lu words did not read back", (unsigned long)bad);
}
