/*
 * The bench root task's harness (broot.h): main, the table of groups and
 * the only= selection, and what every measurement shares -- the sample
 * buffers, the statistics and the BENCH lines, the profiling marks, and
 * the one way to fail.  The groups measure; this file decides what runs
 * and how it is reported, so that every metric is reported the same way.
 */
#include <stdarg.h>

#include "broot.h"

unsigned warmup = WARMUP, iters = ITERS;
uint64_t samples[ITERS], samples2[ITERS];

struct vg_runtime *rt;
struct vg_call *kc;

/* --- reporting --------------------------------------------------------- */

_Noreturn void
die(const char *fmt, ...)
{
	char line[200];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(line, sizeof(line), fmt, ap);
	va_end(ap);
	printf("# bench: %s\nBENCH vg error %s\n", line, line);
	vg_flush();
	vg_exit(1);
}

void
must(enum vg_err err, const char *what)
{
	if (err != VG_OK)
		die("%s: %s", what, vg_strerror(err));
}

/* Shell sort (Ciura's gaps): n log n enough for 2000 samples. */
static void
sort_u64(uint64_t *a, unsigned n)
{
	static const unsigned gaps[] = { 701, 301, 132, 57, 23, 10, 4, 1 };

	for (unsigned g = 0; g < sizeof(gaps) / sizeof(gaps[0]); g++) {
		unsigned gap = gaps[g];

		for (unsigned i = gap; i < n; i++) {
			uint64_t v = a[i];
			unsigned j = i;

			for (; j >= gap && a[j - gap] > v; j -= gap)
				a[j] = a[j - gap];
			a[j] = v;
		}
	}
}

struct stats
stats_of(uint64_t *s, unsigned n)
{
	sort_u64(s, n);
	return (struct stats){ .median = s[(n - 1) / 2], .min = s[0],
	    .max = s[n - 1], .n = n };
}

void
print_stats(const char *metric, int param, struct stats st)
{
	char p[24] = "";

	if (param >= 0)
		snprintf(p, sizeof(p), " param=%d", param);
	printf("BENCH vg %s%s median=%lu min=%lu max=%lu iters=%u\n", metric, p,
	    (unsigned long)st.median, (unsigned long)st.min,
	    (unsigned long)st.max, st.n);
	vg_flush();
}

struct stats
report(const char *metric, int param, uint64_t *s, unsigned n)
{
	struct stats st = stats_of(s, n);

	print_stats(metric, param, st);
	return st;
}

/* --- profiling (bench/profile.sh) -------------------------------------- */

/*
 * The kernel command line word "profile=METRIC" makes every loop's
 * iterations few, and brackets one iteration of METRIC's loop, the first
 * after the warm-up, with calls of bench_profile_mark, then stops the
 * machine after it.
 */
static char profile[48];

/* Called right before the profiled iteration and right after it; the
 * profiler finds its address in my symbol table. */
void bench_profile_mark(void);
void __attribute__((noinline))
bench_profile_mark(void)
{
	__asm__ volatile("" : : : "memory");
}

void
prof(const char *metric, int param, unsigned i, unsigned first)
{
	char name[48];

	if (profile[0] == '\0' || (i != first && i != first + 1))
		return;
	if (param >= 0)
		snprintf(name, sizeof(name), "%s@%d", metric, param);
	else
		snprintf(name, sizeof(name), "%s", metric);
	if (strcmp(name, profile) != 0)
		return;
	bench_profile_mark();
	if (i == first + 1) {
		printf("# bench: profiled iteration %u of %s\n", first, name);
		vg_flush();
		vg_exit(0);
	}
}

static void
profile_init(void)
{
	if (!vg_cmdline_value(rt->boot->cmdline, "profile", profile,
	    sizeof(profile)))
		return;
	warmup = 20;
	iters = 20;
	printf("# bench: profiling %s\n", profile);
}

/* --- the groups -------------------------------------------------------- */

/*
 * In the order they run.  The order is part of what is measured: the
 * objects each group makes take the next slots, and the kernel's caches
 * and marks depend on which slots a path goes through.
 */
static const struct bench_group *const groups[] = {
	&bench_group_syscall, &bench_group_invoke, &bench_group_roundtrip,
	&bench_group_collect, &bench_group_virt, &bench_group_pager,
	&bench_group_queue, &bench_group_irq, &bench_group_irqoff,
};
#define NGROUPS	(sizeof(groups) / sizeof(groups[0]))

/* The value of "only=" on the kernel command line ("": every group). */
static char only[64];

static bool
selected(const struct bench_group *g)
{
	return only[0] == '\0' ||
	    vg_cmdline_lists(rt->boot->cmdline, "only", g->name) == 1;
}

/* The group named by the LEN characters at W; NULL if none is. */
static const struct bench_group *
group_named(const char *w, size_t len)
{
	for (unsigned i = 0; i < NGROUPS; i++)
		if (strlen(groups[i]->name) == len &&
		    strncmp(groups[i]->name, w, len) == 0)
			return groups[i];
	return NULL;
}

/*
 * Every name in only= must be a group's: a misspelt one would measure
 * nothing and say nothing.  Only a run that selects says which groups it
 * runs: in a full run, the instructions spent before a loop decide where
 * the timer's interrupts land in it (and so its max), and a line more
 * would move them.
 */
static void
only_init(void)
{
	const char *e;

	if (!vg_cmdline_value(rt->boot->cmdline, "only", only, sizeof(only)))
		return;
	for (const char *w = only; *w != '\0'; w = *e == ',' ? e + 1 : e) {
		for (e = w; *e != '\0' && *e != ','; e++)
			;
		if (group_named(w, (size_t)(e - w)) == NULL) {
			char names[80] = "";
			size_t n = 0;

			for (unsigned i = 0; i < NGROUPS && n < sizeof(names);
			    i++)
				n += (size_t)snprintf(names + n,
				    sizeof(names) - n, " %s", groups[i]->name);
			die("only=%s: no group is named \"%.*s\" (the groups:"
			    "%s)", only, (int)(e - w), w, names);
		}
	}
	printf("# bench: groups:");
	for (unsigned i = 0; i < NGROUPS; i++)
		if (selected(groups[i]))
			printf(" %s", groups[i]->name);
	printf("\n");
}

/* --- main -------------------------------------------------------------- */

int
main(void)
{
	rt = vg_self();
	kc = vg_kcall();
	profile_init();
	printf("# bench: vg's benchmarks; every number is guest instructions "
	    "(rdtsc under QEMU -icount shift=0)\n");
	vg_flush();
	only_init();

	must(vg_as_map_new(&rt->as, BENCH_SHARED_VA,
	    BENCH_SHARED_PAGES * VG_PAGE_SIZE, VG_AS_WRITE),
	    "the shared region");
	load_peer(&p1);
	load_peer(&p2);
	client_init();

	for (unsigned i = 0; i < NGROUPS; i++)
		if (selected(groups[i]))
			groups[i]->run();

	printf("BENCH vg done\n");
	vg_flush();
	vg_exit(0);
}
