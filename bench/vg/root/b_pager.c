/*
 * A user-level pager: first touches of pages in regions that a partner in
 * P2 serves, each answered in the three ways.  The other half of
 * user-level virtualization: a page fault resolved by a program, not by
 * the kernel.
 */
#include "broot.h"

/*
 * Regions (root slots) of mine whose 4 MiB are served by PG, a raw thread
 * in P2: each holds an rmessenger to it.  My thread's exception messenger
 * E carries the FAULT request of every first touch of a page there; PG
 * answers with its one backing page, and the kernel maps it.  Every
 * iteration touches a page not touched before (so the fault is real, not
 * a cached mapping); the regions hold 3072 pages for 2200 iterations.
 * PG answers as HOW says: ANS_STATIC, through an rmessenger to E given
 * once.
 */
#define PAGER_REGIONS	3
#define PAGER_MAGIC	0x72656761702d6762ull	/* "bg-pager" */

static vg_addr_t exc;

static uint64_t
pager_new(struct partner *pg, unsigned region, enum answer how)
{
	struct bsrv *b;
	vg_addr_t pm, pa, pm_c, rslot;
	uint64_t page = shared_page();

	*(uint64_t *)VG_PTR(page) = PAGER_MAGIC;
	partner_new(pg, &p2, "bsrv_entry");
	b = pg->s;
	pm = msgr_new(&p2, pg->thread, 0, 0, false);
	pa = msgr_new(&p2, pg->thread, 0, 0, false);
	pm_c = give(&p2, pm, 0);
	rslot = answer_slot(&p2, how);
	b->backing = give(&p2, vg_addr_of_data(page), 0);
	virtualizer_arm(b, BSRV_PAGER, pm_c, rslot, how, exc, pa);
	b->call.inline_cap = b->backing;
	partner_start(pg);
	for (unsigned r = 0; r < PAGER_REGIONS; r++)
		copy(vg_boot_slot(region + r), pm, VG_CAP_COPY_WEAKEN, NONE,
		    "pager region");
	return (uint64_t)region << VG_BOOT_REGION_SHIFT;
}

static struct partner pager_p[3];

static void
pager_loop(const char *metric, struct partner *pg, uint64_t base)
{
	for (unsigned i = 0; i < warmup + iters; i++) {
		prof(metric, -1, i, warmup);
		volatile uint64_t *p = VG_PTR(base + (uint64_t)i * VG_PAGE_SIZE);
		uint64_t t0, t1, v;

		t0 = bench_tsc();
		v = *p;
		t1 = bench_tsc();
		if (v != PAGER_MAGIC || my_faults != 0)
			die("%s: page %u reads %#lx, %lu faults (%s at %#lx)",
			    metric, i, (unsigned long)v,
			    (unsigned long)my_faults,
			    vg_strerror(my_fault.error),
			    (unsigned long)my_fault.fault_address);
		if (i >= warmup)
			samples[i - warmup] = t1 - t0;
	}
	partner_check(pg, metric);
	if (pg->s->served != warmup + iters)
		die("%s: the pager answered %lu requests for %u pages", metric,
		    (unsigned long)pg->s->served, warmup + iters);
	report(metric, -1, samples, iters);
}

static void
bench_pager(void)
{
	static const char *const names[3] = {
		[ANS_STATIC] = "pager_fault_static",
		[ANS_ROOT] = "pager_fault",
		[ANS_OFFPATH] = "pager_fault_offpath",
	};
	static const enum answer order[3] = { ANS_ROOT, ANS_OFFPATH,
	    ANS_STATIC };
	uint64_t base[3];

	_Static_assert(PAGER_REGIONS * 1024 >= WARMUP + ITERS, "pages");
	/* My exception messenger: carries my FAULT requests; a fault the
	 * pager refuses reaches me as FAULT | ERROR. */
	exc = msgr_new(&self, rt->thread, 0, vg_act_id(&fault_h), true);
	copy(vg_addr_extend(rt->thread, VG_THREAD_SLOT_EXCEPTION, 2), exc, 0,
	    NONE, "exception messenger");
	/* Regions 80.., 84.., 88.. (VA 0x14000000..): nothing else there. */
	for (unsigned k = 0; k < 3; k++)
		base[order[k]] = pager_new(&pager_p[order[k]],
		    80 + 4 * k, order[k]);
	for (unsigned k = 0; k < 3; k++)
		pager_loop(names[order[k]], &pager_p[order[k]],
		    base[order[k]]);
}

const struct bench_group bench_group_pager = { "pager", bench_pager };
