/*
 * Isolation of page tables: the x86-64 kernel charges each page-table
 * frame to the activity of the thread it serves, within the limit the
 * activity's parent set (VG_ACTIVITY_LIMIT_PAGE_TABLES), and an activity
 * at its limit loses only its own threads' tables (kernel/arch/x86_64/
 * mmu.c).  A bystander ("tiso" T_ISO_PT_KEEP) touches pages in a few 2
 * MiB regions and waits; then an attacker (T_ISO_PT_BOMB) with a small
 * limit touches pages in many more regions, pass after pass, each region
 * needing a page table of its own.  Sampled from here all along, the
 * bystander's page-table usage stays what it was, and the attacker's
 * never passes its limit, while its passes go on and read back right.
 */
#include "troot.h"

enum { R_PAGE_TABLES, R_N };

static const char *const names[R_N] = {
	[R_PAGE_TABLES] = "page tables: an attacker limited to 16 page "
	    "tables that touches 96 2 MiB regions again and again stays "
	    "within its limit and goes on; a bystander's page-table usage "
	    "stays the same all along",
};

#define KEEP_REGIONS	6u
#define KEEP_PT		32u
#define BOMB_REGIONS	96u
#define BOMB_PT		16u
#define BOMB_PASSES	8u		/* at least, while sampling */
#define SAMPLES		40u		/* at least */
#define SAMPLE_CYCLES	1000000ull	/* between samples */
#define TIMEOUT_CYCLES	12000000000ull
#define REAP_CYCLES	8000000000ull

static struct tchild keep, att;

static enum vg_err
pt(struct tchild *ch, uint64_t *usage)
{
	struct vg_activity_limits l = { 0 };
	enum vg_err err = vg_activity_limits(vg_kcall(), ch->sp.activity, &l);

	*usage = l.pt_usage;
	return err;
}

static bool
start(struct tchild *ch, uint64_t kind, uint64_t regions, uint64_t limit)
{
	uint64_t args[2] = { kind, regions };
	struct t_limits lim = { .page_tables = limit };
	enum vg_err err = child_load_limited(ch, "tiso", 4, &lim, 2, args,
	    true);

	if (err == VG_OK)
		err = child_start(ch);
	return t_expect(err == VG_OK, "tiso %lu: %s", (unsigned long)kind,
	    vg_strerror(err)) && t_expect(t_wait_child(ch, &ch->reports, 1) &&
	    ch->report[0] == T_ISO_READY, "tiso %lu never got ready",
	    (unsigned long)kind);
}

static bool
attack(void)
{
	uint64_t before = 0, kmin = ~0ull, kmax = 0, amax = 0, after = 0;
	uint64_t samples = 0, first, during, seen, t0, u;
	const volatile uint64_t *passes;
	bool ok;

	if (!start(&keep, T_ISO_PT_KEEP, KEEP_REGIONS, KEEP_PT))
		return false;
	ok = t_expect(pt(&keep, &before) == VG_OK && before > 0 &&
	    before <= KEEP_PT, "the bystander's page tables: %lu (limit %u)",
	    (unsigned long)before, KEEP_PT);
	if (!start(&att, T_ISO_PT_BOMB, BOMB_REGIONS, BOMB_PT))
		return false;
	passes = &att.mb->value[2];
	first = seen = *passes;
	t0 = t_rdtsc();
	/* The attacker's usage changes only while it runs: samples count
	 * once it ran since the last. */
	while ((samples < SAMPLES || *passes < first + BOMB_PASSES) &&
	    t_rdtsc() - t0 < TIMEOUT_CYCLES && att.exited == 0 &&
	    att.faults == 0) {
		uint64_t t1 = t_rdtsc(), p = *passes;

		if (p == seen)
			continue;
		seen = p;
		if (pt(&att, &u) == VG_OK && u > amax)
			amax = u;
		if (pt(&keep, &u) == VG_OK) {
			kmin = u < kmin ? u : kmin;
			kmax = u > kmax ? u : kmax;
		}
		samples++;
		while (t_rdtsc() - t1 < SAMPLE_CYCLES)
			;
	}
	during = *passes - first;
	att.mb->value[T_ISO_STOP] = 1;
	ok &= t_expect(t_wait_child(&att, &att.exited, 1) &&
	    att.status == 0, "the attacker: %lu exits (status %ld), %lu "
	    "faults", (unsigned long)att.exited, (long)att.status,
	    (unsigned long)att.faults) & child_mailbox_ok(&att);
	t_diag("page tables: the bystander holds %lu (limit %u), %lu..%lu "
	    "in %lu samples; the attacker at most %lu (limit %u), %lu passes "
	    "over %u regions (%lu while sampled), %lu words wrong",
	    (unsigned long)before, KEEP_PT, (unsigned long)kmin,
	    (unsigned long)kmax, (unsigned long)samples, (unsigned long)amax,
	    BOMB_PT, (unsigned long)att.mb->value[2], BOMB_REGIONS,
	    (unsigned long)during, (unsigned long)att.mb->value[3]);
	ok &= t_expect(during >= BOMB_PASSES && att.mb->value[3] == 0,
	    "the attacker made %lu passes while sampled, %lu words wrong",
	    (unsigned long)during, (unsigned long)att.mb->value[3]);
	/* At its limit, not past it. */
	ok &= t_expect(amax <= BOMB_PT && amax >= BOMB_PT / 2, "the "
	    "attacker held up to %lu page tables, limit %u",
	    (unsigned long)amax, BOMB_PT);
	ok &= t_expect(samples > 0 && kmin == before && kmax == before,
	    "the bystander's page tables went %lu..%lu, from %lu",
	    (unsigned long)kmin, (unsigned long)kmax, (unsigned long)before);
	ok &= child_destroy_reaped(&att, REAP_CYCLES, NULL);
	ok &= t_expect(pt(&keep, &after) == VG_OK && after == before,
	    "the bystander's page tables after the attacker: %lu, from %lu",
	    (unsigned long)after, (unsigned long)before);
	return ok;
}

static void
run(struct t_group *g)
{
	bool by = t_bystander_start(), ok;

	ok = attack();
	if (att.loaded)
		ok &= child_destroy_reaped(&att, REAP_CYCLES, NULL);
	if (keep.loaded)
		ok &= child_destroy_reaped(&keep, REAP_CYCLES, NULL);
	t_ok(g, R_PAGE_TABLES, ok && by && t_bystander_ok());
	t_bystander_stop();
}

struct t_group t_group_iso_pages = {
	.name = "isolation",
	.n = R_N,
	.names = names,
	.run = run,
};
