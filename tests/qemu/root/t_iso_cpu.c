/*
 * Isolation of the processor: an activity gets its weight's share of its
 * parent's time however many threads it has, and destroying a large
 * activity is the reaper's work, done in bounded steps within the
 * reaper's own share.  A watcher (t_watcher.c) in an activity of its own
 * spins reading the time stamp counter, and its longest pause is what
 * the attack cost it.
 *
 * The bound.  The root activity's rounds (kernel/core/sched.c) have as
 * members the attacker and the watcher (weight WEIGHT each, set here),
 * this task's own threads (weight 1: they handle the programs' console
 * lines, reports, and the polling below) and, while it has work, the
 * reaper (weight 1).  A member whose turn is used waits for the next
 * round, and comes back in the order it used its turn, so between two
 * turns of the watcher every other member runs once at most: its pause
 * is at most the sum of their turns.  Turns are counted in whole ticks
 * at the tick that ends them, so a pause may also hold the rest of a
 * tick in which a member blocked early: one slice more.  The watcher's
 * longest pause must be within
 *
 *	the attacker's turn (WEIGHT ticks, or the reaper's, 1)
 *	+ this task's turn (1 tick) + one slice		= 3 ticks
 *
 * (every program here is destroyed with child_destroy_reaped, so the
 * reaper has no work during the bomb's watch, and the destroyed attacker
 * is no member during the reaper's), plus SLACK for the kernel's own
 * work at the switches.  The ticks are the watcher's: it calibrates the
 * time stamp counter against the timer tick itself (watch.c).
 * tests/build/qemu.sh runs the machine on QEMU's instruction count, so
 * the host cannot stop it; on the host's clock (VG_QEMU_CLOCK=) it may,
 * for a few ms, which the watcher sees as gaps inside its own runs: a
 * watch past the bound with such gaps is made again (TRIES), one
 * without them fails.
 */
#include "troot.h"

enum { R_BOMB, R_DESTROY, R_N };

static const char *const names[R_N] = {
	[R_BOMB] = "cpu: a thread bomb (hundreds of spinning threads, all "
	    "its quota allows, above the watcher's priority) keeps a "
	    "watcher of the same weight off the processor no longer than "
	    "the attacker's turn and two slices",
	[R_DESTROY] = "cpu: destroying an activity of some 50,000 threads "
	    "and messengers returns at once, its slot is VG_ERR_BUSY (for a "
	    "page, for void) while the reaper works, the storage all comes "
	    "back, and the watcher is kept off the processor no longer than "
	    "the reaper's turn and two slices",
};

#define WEIGHT		1u
#define BOUND_TICKS	(WEIGHT + 1u + 1u)
#define SLACK_CMS	300u		/* 3 ms */
#define BOMB_FOLIOS	4u
#define BOMB_PT		256u		/* page tables: enough for the
					 * threads that run at once */
#define BOMB_WATCH	100u		/* ticks: a second */
#define OBJ_FOLIOS	400u		/* 51,200 objects */
#define OBJ_WATCH	1000u		/* ticks, at most */
#define OBJ_TIMEOUT	600u		/* ticks for the reaper */
#define REAP_CYCLES	8000000000ull
#define TRIES		3	/* watches, if the host stopped the machine */

static struct tchild att, wat;

static bool
wait_ready(struct tchild *ch)
{
	return t_expect(t_wait_child(ch, &ch->reports, 1) &&
	    ch->report[0] == T_ISO_READY, "%s never got ready (%lu reports)",
	    ch->name, (unsigned long)ch->reports);
}

/*
 * Whether the watch R kept within the bound; printed.  A watch that did
 * not, while the host stopped the whole machine now and then (gaps in
 * the watcher's runs that no tick explains), proves nothing: *AGAIN.
 */
static bool
within_bound(const char *what, const struct t_watch *r, bool *again)
{
	uint64_t max = t_watch_cms(r, r->max);
	uint64_t second = t_watch_cms(r, r->second);
	uint64_t noise = t_watch_cms(r, r->noise_max);
	uint64_t bound = BOUND_TICKS * 1000u + SLACK_CMS;

	t_diag("%s: the watcher's longest pause %lu.%02lu ms (%lu cycles, "
	    "%lu.%02lu ms into a watch of %lu ms; the next longest %lu.%02lu "
	    "ms), bound %lu.%02lu ms (%u ticks + %u.%02u ms)", what,
	    (unsigned long)(max / 100), (unsigned long)(max % 100),
	    (unsigned long)r->max,
	    (unsigned long)(t_watch_cms(r, r->max_at) / 100),
	    (unsigned long)(t_watch_cms(r, r->max_at) % 100),
	    (unsigned long)(t_watch_cms(r, r->span) / 100),
	    (unsigned long)(second / 100), (unsigned long)(second % 100),
	    (unsigned long)(bound / 100), (unsigned long)(bound % 100),
	    BOUND_TICKS, SLACK_CMS / 100, SLACK_CMS % 100);
	t_diag("%s: it ran %lu%% of the watch; %lu pauses of about 1, 2, 3, "
	    "4, more ticks: %lu %lu %lu %lu %lu; the host's gaps %lu (up to "
	    "%lu.%02lu ms); tick %lu cycles (%lu runs agreed; pauses of %lu "
	    "while calibrating)", what,
	    (unsigned long)(r->span ? r->ran * 100 / r->span : 0),
	    (unsigned long)r->pauses, (unsigned long)r->hist[0],
	    (unsigned long)r->hist[1], (unsigned long)r->hist[2],
	    (unsigned long)r->hist[3], (unsigned long)r->hist[4],
	    (unsigned long)r->noise, (unsigned long)(noise / 100),
	    (unsigned long)(noise % 100), (unsigned long)r->tick,
	    (unsigned long)r->cluster, (unsigned long)r->cal_pause);
	*again = max > bound && r->noise > 0;
	if (*again)
		t_diag("%s: the host stopped the machine during the watch: "
		    "watching again", what);
	return max <= bound;
}

/* 4. Spinning threads, as many as the quota allows. */
static bool
bomb(void)
{
	uint64_t args[1] = { T_ISO_THREAD_BOMB };
	struct t_limits lim = { .weight = WEIGHT, .page_tables = BOMB_PT };
	uint64_t shared = t_page(), seen = 0, spins;
	struct t_watch r = { 0 };
	bool ok, fits = false, again = true;
	enum vg_err err;

	if (!t_expect(shared != 0, "no page for the bomb"))
		return false;
	if (!t_watcher_start(&wat, WEIGHT, BOMB_WATCH)) {
		t_page_free(shared);
		return false;
	}
	err = child_load_limited(&att, "tiso", BOMB_FOLIOS, &lim, 1, args,
	    true);
	if (err == VG_OK)
		err = child_map(&att, T_SHARED, shared);
	/* The first watch covers the bomb's making too. */
	t_watcher_go(&wat);
	if (err == VG_OK)
		err = child_start(&att);
	ok = t_expect(err == VG_OK, "the bomb: %s", vg_strerror(err)) &&
	    wait_ready(&att);
	for (unsigned i = 0; ok && i < TRIES && !fits && again; i++) {
		if (i > 0) {
			ok &= child_destroy_reaped(&wat, REAP_CYCLES, NULL) &&
			    t_watcher_start(&wat, WEIGHT, BOMB_WATCH);
			if (!ok)
				break;
			t_watcher_go(&wat);
		}
		ok &= t_watcher_end(&wat, false, &r);
		fits = ok && within_bound("thread bomb", &r, &again);
	}
	ok &= t_expect(fits, "thread bomb: a pause past the bound");
	spins = *(volatile uint64_t *)VG_PTR(shared);
	for (unsigned i = T_ISO_SEEN; i < VG_PAGE_SIZE; i++)
		seen += ((volatile uint8_t *)VG_PTR(shared))[i] != 0;
	t_diag("thread bomb: %lu threads made (then %s), %lu of them ran, "
	    "%lu spins", (unsigned long)att.mb->value[1],
	    vg_strerror((enum vg_err)att.mb->value[2]), (unsigned long)seen,
	    (unsigned long)spins);
	ok &= t_expect(att.mb->value[1] >= 200 &&
	    att.mb->value[2] == VG_ERR_QUOTA && seen > 1 && spins > 0,
	    "the bomb made %lu threads (%s), %lu ran",
	    (unsigned long)att.mb->value[1],
	    vg_strerror((enum vg_err)att.mb->value[2]), (unsigned long)seen);
	/* It had its share, and no more. */
	ok &= t_expect(r.span != 0 && r.ran * 4 >= r.span, "the watcher ran "
	    "%lu%% of the time", (unsigned long)(r.span ? r.ran * 100 /
	    r.span : 0));
	ok &= child_destroy_reaped(&att, REAP_CYCLES, NULL);
	ok &= child_destroy_reaped(&wat, REAP_CYCLES, NULL);
	t_page_free(shared);
	return ok;
}

/*
 * 5. Destroying a large activity, once: true if everything but the
 * watch was right; *R the watch.
 */
static bool
destroy_once(struct t_watch *r)
{
	struct vg_runtime *rt = vg_self();
	struct vg_call *c = vg_kcall();
	uint64_t args[1] = { T_ISO_OBJECTS };
	struct t_limits lim = { .weight = WEIGHT };
	uint64_t ua = 0, ur = 0, left = 0, last, t0, t_commit, t_done = 0;
	uint64_t busy = 0, grew = 0, objects, timeout;
	enum vg_err busy_page;
	vg_addr_t folio;
	unsigned index;
	enum vg_err err;
	bool ok;

	*r = (struct t_watch){ 0 };
	err = child_load_limited(&att, "tiso", OBJ_FOLIOS, &lim, 1, args,
	    true);
	if (err == VG_OK)
		err = child_start(&att);
	if (!t_expect(err == VG_OK, "the objects: %s", vg_strerror(err)) ||
	    !wait_ready(&att))
		return false;
	objects = att.mb->value[2];
	if (!t_watcher_start(&wat, WEIGHT, OBJ_WATCH))
		return false;
	/* What this task's activity holds besides the attacker's. */
	err = vg_activity_info(c, att.sp.activity, &ua, NULL, NULL);
	if (err == VG_OK)
		err = vg_activity_info(c, rt->activity, &ur, NULL, NULL);
	if (!t_expect(err == VG_OK, "ACTIVITY_INFO: %s", vg_strerror(err)))
		return false;
	ok = t_expect(objects >= 50000 &&
	    att.mb->value[3] == VG_ERR_QUOTA, "%lu objects in %lu folios, "
	    "then %s", (unsigned long)objects,
	    (unsigned long)att.mb->value[1],
	    vg_strerror((enum vg_err)att.mb->value[3]));

	/* Its activity's slot, in a folio of mine. */
	folio = att.sp.activity_folio;
	index = att.sp.activity_index;
	timeout = OBJ_TIMEOUT * wat.mb->value[T_IW_TICK];
	t_watcher_go(&wat);
	t0 = t_rdtsc();
	child_destroy(&att);
	t_commit = t_rdtsc() - t0;
	/* Nothing new in the slot while the reaper has its frame. */
	busy_page = vg_folio_object_alloc(c, folio, index, VG_TYPE_PAGE, 0,
	    VG_ADDR_VOID);
	/* The storage comes back as the reaper reclaims it: never more
	 * than before, until all of it is. */
	last = ur;
	for (;;) {
		uint64_t u = 0;

		err = vg_folio_object_alloc(c, folio, index, VG_TYPE_VOID, 0,
		    VG_ADDR_VOID);
		if (vg_activity_info(c, rt->activity, &u, NULL, NULL) != VG_OK)
			break;
		grew += u > last;
		last = u;
		if (err == VG_ERR_BUSY)
			busy++;
		t_done = t_rdtsc() - t0;
		if (err != VG_ERR_BUSY || t_done > timeout)
			break;
	}
	left = last - (ur - ua);
	ok &= t_watcher_end(&wat, true, r);
	t_diag("destroy: %lu objects; the destroying call took %lu.%02lu ms, "
	    "the reaper %lu.%02lu ms (%lu polls saw VG_ERR_BUSY); %lu of %lu "
	    "frames not back", (unsigned long)objects,
	    (unsigned long)(t_watch_cms(r, t_commit) / 100),
	    (unsigned long)(t_watch_cms(r, t_commit) % 100),
	    (unsigned long)(t_watch_cms(r, t_done) / 100),
	    (unsigned long)(t_watch_cms(r, t_done) % 100),
	    (unsigned long)busy, (unsigned long)left, (unsigned long)ua);
	/* At once: well within a tick. */
	ok &= t_expect(t_commit < r->tick / 2, "the destroying call took %lu "
	    "cycles", (unsigned long)t_commit);
	ok &= t_expect(busy > 0 && err == VG_OK, "the slot: %s after %lu "
	    "busy polls", vg_strerror(err), (unsigned long)busy);
	ok &= t_expect(busy_page == VG_ERR_BUSY, "a page in the slot at once: "
	    "%s", vg_strerror(busy_page));
	if (busy_page == VG_OK)
		(void)vg_folio_object_alloc(c, folio, index, VG_TYPE_VOID, 0,
		    VG_ADDR_VOID);
	ok &= t_expect(left == 0 && grew == 0, "%lu frames not back, usage "
	    "grew %lu times", (unsigned long)left, (unsigned long)grew);
	/* The reaper had its share, and no more. */
	ok &= t_expect(r->span != 0 && r->ran * 4 >= r->span, "the watcher "
	    "ran %lu%% of the time", (unsigned long)(r->span ? r->ran * 100 /
	    r->span : 0));
	ok &= child_destroy_reaped(&wat, REAP_CYCLES, NULL);
	return ok;
}

static bool
destroy(void)
{
	struct t_watch r;
	bool ok = true, fits = false, again = true;

	for (unsigned i = 0; ok && i < TRIES && !fits && again; i++) {
		ok = destroy_once(&r);
		fits = r.tick != 0 && within_bound("destroy", &r, &again);
	}
	return ok && t_expect(fits, "destroy: a pause past the bound");
}

/* Whatever a failed test left. */
static bool
cleanup(void)
{
	bool ok = true;

	if (att.loaded)
		ok &= child_destroy_reaped(&att, REAP_CYCLES, NULL);
	if (wat.loaded)
		ok &= child_destroy_reaped(&wat, REAP_CYCLES, NULL);
	return ok;
}

static void
run(struct t_group *g)
{
	bool by = t_bystander_start(), ok;

	ok = bomb();
	ok &= cleanup();
	t_ok(g, R_BOMB, ok && by && t_bystander_ok());
	ok = destroy();
	ok &= cleanup();
	t_ok(g, R_DESTROY, ok && by && t_bystander_ok());
	t_bystander_stop();
}

struct t_group t_group_iso_cpu = {
	.name = "isolation",
	.n = R_N,
	.names = names,
	.run = run,
};
