/*
 * How long destruction keeps interrupts off: an activity holding N
 * objects is made, destroyed with one call, and reclaimed by the kernel's
 * reaper while this thread polls its slot; the kernel's longest
 * interrupts-off stretch over all of it is the sample (irqoff_destroy).
 * Destruction commits in bounded work and the reaper works in bounded
 * steps with interrupts on between them, so the figure must not grow
 * with N.
 *
 * Only a kernel built to measure the stretches answers CONSOLE_IRQOFF
 * (kernel/arch/x86_64/irqoff.h); bench/run.sh boots one with only=irqoff
 * for this group alone.  Under any other kernel the group says so and
 * measures nothing.
 */
#include "broot.h"

/* The sizes measured. */
static const unsigned sizes[] = { 1000, 10000, 100000 };

/* The kinds of object the activity holds, in turn: a thread and a
 * messenger are the objects whose destruction has the most to undo. */
static const enum vg_type kinds[] = {
	VG_TYPE_THREAD, VG_TYPE_MESSENGER, VG_TYPE_CAPPAGE, VG_TYPE_PAGE,
};
#define NKINDS	(sizeof(kinds) / sizeof(kinds[0]))

/* Polls of the destroyed slot before giving up: far more than the
 * reaper needs for the largest size. */
#define POLLS_MAX	100000000u

/* The activity's slot: index 0 of a folio of mine, HOME. */
static vg_addr_t home, act, folio;

static uint64_t
usage_of(vg_addr_t a)
{
	uint64_t u = 0;

	must(vg_activity_info(kc, a, &u, NULL, NULL), "ACTIVITY_INFO");
	return u;
}

static void
destroy_one(unsigned n)
{
	uint64_t before, made = 0, folios = 0, longest, stretches, t0, commit;
	uint64_t polls = 0, make_longest;
	enum vg_err err;

	before = usage_of(rt->activity);
	must(vg_folio_object_alloc(kc, home, 0, VG_TYPE_ACTIVITY, 0, act),
	    "the activity");
	/* Its folios' capabilities are dropped (one slot, reused): the
	 * folios stay, charged to it, until it goes. */
	while (made < n) {
		must(vg_activity_folio_alloc(kc, act, folio), "a folio");
		folios++;
		for (unsigned i = 0; i < VG_FOLIO_OBJECTS && made < n; i++) {
			err = vg_folio_object_alloc(kc, folio, i,
			    kinds[made % NKINDS], 0, VG_ADDR_VOID);
			if (err != VG_OK)
				die("irqoff: object %lu of %u: %s",
				    (unsigned long)made, n, vg_strerror(err));
			made++;
		}
	}
	must(vg_console_irqoff(kc, rt->console, &make_longest, NULL),
	    "CONSOLE_IRQOFF");

	t0 = bench_tsc();
	must(vg_folio_object_alloc(kc, home, 0, VG_TYPE_VOID, 0, VG_ADDR_VOID),
	    "destroying the activity");
	commit = bench_tsc() - t0;
	/* The slot is busy until the reaper has reclaimed all of it. */
	do
		err = vg_folio_object_alloc(kc, home, 0, VG_TYPE_VOID, 0,
		    VG_ADDR_VOID);
	while (err == VG_ERR_BUSY && ++polls < POLLS_MAX);
	t0 = bench_tsc() - t0;
	must(err, "the destroyed activity's slot");
	must(vg_console_irqoff(kc, rt->console, &longest, &stretches),
	    "CONSOLE_IRQOFF");
	if (usage_of(rt->activity) != before)
		die("irqoff: %lu frames charged before, %lu after reclaiming",
		    (unsigned long)before,
		    (unsigned long)usage_of(rt->activity));

	printf("# bench: irqoff: %u objects in %lu folios: the destroying "
	    "call %lu, the whole reclaim %lu, %lu stretches, the longest %lu "
	    "(while making them: %lu)\n", n, (unsigned long)folios,
	    (unsigned long)commit, (unsigned long)t0,
	    (unsigned long)stretches, (unsigned long)longest,
	    (unsigned long)make_longest);
	print_stats("irqoff_destroy", (int)n, (struct stats){ .median = longest,
	    .min = longest, .max = longest, .n = 1 });
}

static void
bench_irqoff(void)
{
	enum vg_err err = vg_console_irqoff(kc, rt->console, NULL, NULL);

	if (err == VG_ERR_METHOD) {
		printf("# bench: irqoff: this kernel does not measure "
		    "interrupts-off stretches (bench/run.sh boots one that "
		    "does)\n");
		return;
	}
	must(err, "CONSOLE_IRQOFF");
	home = root_slot();
	act = root_slot();
	folio = root_slot();
	must(vg_activity_folio_alloc(kc, rt->activity, home), "a folio");
	for (unsigned i = 0; i < sizeof(sizes) / sizeof(sizes[0]); i++)
		destroy_one(sizes[i]);
	must(vg_folio_free(kc, home), "FOLIO_FREE");
}

const struct bench_group bench_group_irqoff = { "irqoff", bench_irqoff };
