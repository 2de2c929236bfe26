/*
 * Isolation of storage and priorities: a program's limits are set from
 * above, and nothing it holds can raise them.  The loader gives each
 * program its own activity without the limit right (VG_CAP_LIMIT), so
 * "tiso" (tests/qemu/iso/resources.c) tries every limit of its own
 * activity, fills its quota directly and through an activity it makes
 * itself, and tries priorities above the limit it was started with.
 * This task reads the program's activity from outside (ACTIVITY_INFO)
 * and checks that the bystander (t_bystander.c) still answers.
 */
#include "troot.h"

enum { R_QUOTA_LIFT, R_GRANDCHILD, R_PRIORITY, R_N };

static const char *const names[R_N] = {
	[R_QUOTA_LIFT] = "resources: a program cannot lift its own limits "
	    "(ACTIVITY_SET_LIMIT on its activity, a copy of it or its "
	    "thread's: VG_ERR_RIGHTS), its quota reads the same from "
	    "outside, it gets folios up to it and then VG_ERR_QUOTA; the "
	    "root task still allocates, the bystander answers",
	[R_GRANDCHILD] = "resources: a sub-activity a program makes (with "
	    "every right, and no quota of its own) is charged to the "
	    "program too: its folios show in the program's usage, and the "
	    "program's quota stops them with VG_ERR_QUOTA",
	[R_PRIORITY] = "resources: started with a priority limit of 1, a "
	    "program gets VG_ERR_LIMIT for priority 2 or 3 on its thread "
	    "and 1 works; a sub-activity's priority limit above its own is "
	    "VG_ERR_LIMIT, and a thread that sub-activity pays for is held "
	    "to the sub-activity's",
};

#define FRAMES		129u	/* a folio's frames, its charge */
#define REAP_CYCLES	8000000000ull

static struct tchild ch;

/* Run tiso's ATTACK with QUOTA folios and LIMITS; true if it started. */
static bool
attack(uint64_t kind, unsigned quota, const struct t_limits *limits)
{
	enum vg_err err = child_load_limited(&ch, "tiso", quota, limits, 1,
	    &kind, true);

	if (err == VG_OK)
		err = child_start(&ch);
	return t_expect(err == VG_OK, "tiso %lu: %s", (unsigned long)kind,
	    vg_strerror(err));
}

/* It exited with status 0, no fault, its own checks passed. */
static bool
ended_well(void)
{
	t_wait_child(&ch, &ch.exited, 1);
	return t_expect(ch.exited == 1 && ch.status == 0 && ch.faults == 0,
	    "tiso: %lu exits (status %ld), %lu faults",
	    (unsigned long)ch.exited, (long)ch.status,
	    (unsigned long)ch.faults) & child_mailbox_ok(&ch);
}

/* Its activity as seen from here. */
static bool
info(uint64_t *usage, uint64_t *quota)
{
	enum vg_err err = vg_activity_info(vg_kcall(), ch.sp.activity, usage,
	    quota, NULL);

	return t_expect(err == VG_OK, "ACTIVITY_INFO: %s", vg_strerror(err));
}

static bool
is(unsigned i, enum vg_err want)
{
	enum vg_err got = (enum vg_err)ch.mb->value[i];

	return t_expect(got == want, "attempt %u: %s, want %s", i,
	    vg_strerror(got), vg_strerror(want));
}

/* The root task's own activity still has room: a folio, freed again. */
static bool
root_allocates(void)
{
	vg_addr_t f = t_slot();
	enum vg_err err = vg_activity_folio_alloc(vg_kcall(),
	    vg_self()->activity, f);

	if (err == VG_OK)
		err = vg_folio_free(vg_kcall(), f);
	t_slot_free(&f);
	return t_expect(err == VG_OK, "the root task's folio: %s",
	    vg_strerror(err));
}

static bool
quota_lift(void)
{
	const unsigned folios = 3;
	const uint64_t *v;
	struct vg_activity_limits l = { 0 };
	uint64_t usage = 0, quota = 0;
	bool ok;

	if (!attack(T_ISO_QUOTA_LIFT, folios, NULL))
		return false;
	v = ch.mb->value;
	ok = ended_well();
	for (unsigned i = 1; i <= 7; i++)
		ok &= is(i, VG_ERR_RIGHTS);
	ok &= is(9, VG_ERR_QUOTA);
	ok &= info(&usage, &quota) &&
	    t_expect(vg_activity_limits(vg_kcall(), ch.sp.activity, &l) ==
	    VG_OK, "ACTIVITY_INFO: its limits");
	t_diag("quota lift: %lu folios before VG_ERR_QUOTA; usage %lu of "
	    "quota %lu frames", (unsigned long)v[8], (unsigned long)usage,
	    (unsigned long)quota);
	ok &= t_expect(quota == folios * FRAMES && v[11] == quota,
	    "its quota is %lu (it read %lu), want %u", (unsigned long)quota,
	    (unsigned long)v[11], folios * FRAMES);
	ok &= t_expect(l.weight == VG_ACTIVITY_WEIGHT_DEFAULT &&
	    l.priority == VG_THREAD_PRIORITY_MAX && l.pt_quota == 0,
	    "its limits changed: weight %lu, priority %lu, page tables %lu",
	    (unsigned long)l.weight, (unsigned long)l.priority,
	    (unsigned long)l.pt_quota);
	/* Full: no room for another folio, and not past the quota. */
	ok &= t_expect(v[8] >= 1 && usage == v[10] && usage <= quota &&
	    quota - usage < FRAMES, "%lu folios, usage %lu (it read %lu)",
	    (unsigned long)v[8], (unsigned long)usage, (unsigned long)v[10]);
	return ok;
}

/* Let tiso, waiting at STEP, go on; false if it never got there. */
static bool
step(uint64_t n)
{
	if (!t_expect(t_wait_child(&ch, &ch.reports, n) &&
	    ch.report[0] == T_ISO_STEP && ch.report[1] == n,
	    "tiso did not reach step %lu", (unsigned long)n))
		return false;
	return true;
}

static void
go_on(uint64_t n)
{
	ch.mb->value[T_ISO_CONTINUE] = n;
}

static bool
grandchild(void)
{
	const unsigned folios = 4;
	const uint64_t *v;
	uint64_t u0 = 0, u1 = 0, u2 = 0, quota = 0;
	bool ok;

	if (!attack(T_ISO_GRANDCHILD, folios, NULL))
		return false;
	v = ch.mb->value;
	/* Its sub-activity S is made; S has nothing yet. */
	ok = step(1) && info(&u0, NULL);
	go_on(1);
	/* S's first folio. */
	ok = ok && step(2) && info(&u1, NULL);
	go_on(2);
	ok &= ended_well() && info(&u2, &quota);
	ok &= is(1, VG_OK) & is(4, VG_OK) & is(6, VG_ERR_QUOTA);
	t_diag("grandchild: the program's usage %lu, %lu with its "
	    "sub-activity's first folio, %lu after %lu more (quota %lu); the "
	    "sub-activity's usage %lu", (unsigned long)u0, (unsigned long)u1,
	    (unsigned long)u2, (unsigned long)v[5], (unsigned long)quota,
	    (unsigned long)v[7]);
	ok &= t_expect(v[2] == 0 && v[3] == 1, "the sub-activity: quota %lu, "
	    "%lu below the program", (unsigned long)v[2], (unsigned long)v[3]);
	ok &= t_expect(u1 - u0 == FRAMES, "a folio of the sub-activity "
	    "added %lu frames to the program's usage, want %u",
	    (unsigned long)(u1 - u0), FRAMES);
	ok &= t_expect(v[5] >= 1 && u2 == u1 + v[5] * FRAMES && v[8] == u2 &&
	    v[7] == (v[5] + 1) * FRAMES, "%lu more folios: the program's "
	    "usage %lu (it read %lu), the sub-activity's %lu",
	    (unsigned long)v[5], (unsigned long)u2, (unsigned long)v[8],
	    (unsigned long)v[7]);
	ok &= t_expect(quota == folios * FRAMES && u2 <= quota &&
	    quota - u2 < FRAMES, "the program's quota %lu, usage %lu",
	    (unsigned long)quota, (unsigned long)u2);
	return ok;
}

static bool
priority(void)
{
	struct t_limits lim = { .priority = 1 + 1 };	/* the highest: 1 */
	struct vg_activity_limits l = { 0 };
	const uint64_t *v;
	bool ok;

	if (!attack(T_ISO_PRIORITY, 2, &lim))
		return false;
	v = ch.mb->value;
	ok = ended_well();
	ok &= is(1, VG_ERR_LIMIT) & is(2, VG_ERR_LIMIT) & is(3, VG_OK);
	ok &= t_expect(v[4] == 1, "the priority it had: %lu, want 1",
	    (unsigned long)v[4]);
	ok &= is(5, VG_ERR_RIGHTS);
	ok &= t_expect(v[6] == 1, "a new sub-activity's priority limit: %lu, "
	    "want 1 (its parent's)", (unsigned long)v[6]);
	ok &= is(7, VG_ERR_LIMIT) & is(8, VG_ERR_LIMIT) & is(9, VG_OK);
	ok &= t_expect(v[10] == 0, "the sub-activity's limit read back: %lu",
	    (unsigned long)v[10]);
	ok &= is(11, VG_ERR_LIMIT) & is(12, VG_OK);
	ok &= t_expect(vg_activity_limits(vg_kcall(), ch.sp.activity, &l) ==
	    VG_OK && l.priority == 1, "its priority limit from outside: %lu",
	    (unsigned long)l.priority);
	return ok;
}

static void
run(struct t_group *g)
{
	bool by = t_bystander_start(), ok;

	ok = quota_lift();
	ok &= child_destroy_reaped(&ch, REAP_CYCLES, NULL);
	t_ok(g, R_QUOTA_LIFT, ok && root_allocates() && by &&
	    t_bystander_ok());

	ok = grandchild();
	ok &= child_destroy_reaped(&ch, REAP_CYCLES, NULL);
	t_ok(g, R_GRANDCHILD, ok && root_allocates() && by &&
	    t_bystander_ok());

	ok = priority();
	ok &= child_destroy_reaped(&ch, REAP_CYCLES, NULL);
	t_ok(g, R_PRIORITY, ok && by && t_bystander_ok());
	t_bystander_stop();
}

struct t_group t_group_iso_resources = {
	.name = "isolation",
	.n = R_N,
	.names = names,
	.run = run,
};
