/*
 * tiso's bystanders for the resource attacks: the watcher, which
 * measures how long it is kept off the processor (t_iso_cpu.c), and a
 * program whose page tables the page-table attack must leave alone
 * (t_iso_pages.c).
 */
#include "iso.h"

#define WAIT_CYCLES	40000000000ull	/* for the root's GO */

#define CAL_PAUSES	33
#define CAL_TRIES	3	/* a busy host splits runs: again */
#define CAL_CYCLES_MAX	20000000000ull

/* The calibration's second thread: no stack, no system call. */
__asm__(
	".text\n"
	".globl t_iso_idle\n"
	".type t_iso_idle, @function\n"
	"t_iso_idle:\n"
	"1:	jmp 1b\n"
	".size t_iso_idle, . - t_iso_idle\n");
extern char t_iso_idle[];

static void
sort(uint64_t *v, unsigned n)
{
	for (unsigned i = 1; i < n; i++) {
		uint64_t x = v[i];
		unsigned j = i;

		for (; j > 0 && v[j - 1] > x; j--)
			v[j] = v[j - 1];
		v[j] = x;
	}
}

/* The middle of the largest cluster of V's N values that lie within an
 * eighth of each other; *COUNT its size.  V is sorted. */
static uint64_t
cluster(uint64_t *v, unsigned n, unsigned *count)
{
	unsigned best = 0, best_i = 0;

	sort(v, n);
	for (unsigned i = 0, j = 0; i < n; i++) {
		if (j < i)
			j = i;
		while (j + 1 < n && v[j + 1] <= v[i] + v[i] / 8)
			j++;
		if (j - i + 1 > best) {
			best = j - i + 1;
			best_i = i;
		}
	}
	*count = best;
	return n == 0 ? 0 : v[best_i + best / 2];
}

/* A second thread of mine, spinning at my priority. */
static enum vg_err
idle_thread(vg_addr_t t)
{
	struct vg_runtime *rt = vg_self();
	struct vg_call *c = vg_kcall();
	struct vg_cap_translator guard = {
		.guard_depth = VG_BOOT_ROOT_GUARD_DEPTH };
	struct vg_exregs x = {
		.control = VG_EXREGS_SET_IP | VG_EXREGS_START,
		.ip = (uint64_t)(uintptr_t)t_iso_idle,
	};
	enum vg_err err = vg_obj_alloc(c, &rt->alloc, VG_TYPE_THREAD, t);

	if (err == VG_OK)
		err = vg_as_copy(c, rt->self_root,
		    vg_addr_extend(t, VG_THREAD_SLOT_ASPACE, 2), rt->self_root,
		    VG_CAP_COPY_GUARD, guard);
	if (err == VG_OK)
		err = vg_thread_exregs(c, t, &x, NULL);
	return err;
}

/*
 * Cycles per tick: with my second thread taking every other tick, the
 * runs between my pauses each last one tick (however long the pauses).
 */
static uint64_t
calibrate(void)
{
	uint64_t at[CAL_PAUSES], len[CAL_PAUSES], runs[CAL_PAUSES];
	uint64_t prev = t_rdtsc_now(), t0 = prev, tick, pause;
	unsigned n = 0, count = 0, pcount = 0;

	while (n < CAL_PAUSES && prev - t0 < CAL_CYCLES_MAX) {
		uint64_t now = t_rdtsc_now();

		if (now - prev >= T_IW_GAP_MIN) {
			at[n] = prev;
			len[n++] = now - prev;
		}
		prev = now;
	}
	for (unsigned i = 0; i + 1 < n; i++)
		runs[i] = at[i + 1] - (at[i] + len[i]);
	tick = cluster(runs, n > 0 ? n - 1 : 0, &count);
	pause = cluster(len, n, &pcount);
	t_value(T_IW_TICK, tick);
	t_value(T_IW_CLUSTER, count);
	t_value(T_IW_CAL_PAUSE, pause);
	if (n == CAL_PAUSES && count >= CAL_PAUSES / 3)
		return tick;
	printf("calibration: %u pauses, %u runs of %lu cycles agreed\n", n,
	    count, (unsigned long)tick);
	return 0;
}

/* T_ISO_WATCH (mailbox values: tproto.h, enum t_iso_watch_value). */
void
iso_watch(void)
{
	struct vg_runtime *rt = vg_self();
	/* The root writes GO and STOP while I read. */
	volatile struct t_mailbox *mb = t_mailbox();
	uint64_t ticks = t_arg(1, 100), tick = 0, start, prev, limit;
	uint64_t max = 0, max_at = 0, ran = 0, pauses = 0, reads = 0;
	uint64_t second = 0, hist[T_IW_HIST_N] = { 0 }, noise = 0;
	uint64_t noise_max = 0;
	vg_addr_t idle = vg_slot_alloc(&rt->slots);
	enum vg_err err = idle_thread(idle);

	if (!t_check(err == VG_OK, "my second thread: %s", vg_strerror(err)))
		return;
	for (unsigned i = 0; i < CAL_TRIES && tick == 0; i++)
		tick = calibrate();
	t_check(tick != 0, "no calibration in %u tries", CAL_TRIES);
	err = vg_thread_exregs(vg_kcall(), idle,
	    &(struct vg_exregs){ .control = VG_EXREGS_STOP }, NULL);
	if (!t_check(err == VG_OK, "stopping my second thread: %s",
	    vg_strerror(err)) || tick == 0 ||
	    t_parent_report(T_ISO_CALIBRATED, tick,
	    mb->value[T_IW_CLUSTER]) != VG_OK)
		return;

	start = t_rdtsc_now();
	while (mb->value[T_IW_GO] == 0)
		if (t_rdtsc_now() - start > WAIT_CYCLES) {
			t_check(false, "no GO from the root");
			return;
		}
	limit = ticks * tick;
	start = prev = t_rdtsc_now();
	mb->value[T_IW_WATCHING] = 1;
	for (;;) {
		uint64_t now = t_rdtsc_now(), d = now - prev;

		if (d > max) {
			second = max;
			max = d;
			max_at = prev - start;
		} else if (d > second) {
			second = d;
		}
		if (d < tick / 4)
			ran += d;
		if (d >= T_IW_GAP_MIN && d <= tick / 2) {
			noise++;
			noise_max = d > noise_max ? d : noise_max;
		} else if (d > tick / 2) {
			uint64_t k = (d + tick / 2) / tick;

			hist[k < T_IW_HIST_N ? k - 1 : T_IW_HIST_N - 1]++;
			pauses++;
		}
		reads++;
		prev = now;
		if (mb->value[T_ISO_STOP] != 0 || now - start >= limit)
			break;
	}
	t_value(T_IW_MAX, max);
	t_value(T_IW_MAX_AT, max_at);
	t_value(T_IW_SPAN, prev - start);
	t_value(T_IW_RAN, ran);
	t_value(T_IW_PAUSES, pauses);
	t_value(T_IW_READS, reads);
	t_value(T_IW_SECOND, second);
	t_value(T_IW_NOISE, noise);
	t_value(T_IW_NOISE_MAX, noise_max);
	for (unsigned k = 0; k < T_IW_HIST_N; k++)
		t_value(T_IW_HIST + k, hist[k]);
}

/*
 * T_ISO_PT_KEEP: a page in each of N (argument 1) 2 MiB regions,
 * written, so that my thread holds page tables for them; READY (a: N),
 * and I wait: my tables stay as they are unless someone else's needs
 * take them.  value[1] pages.
 */
void
iso_pt_keep(void)
{
	struct vg_runtime *rt = vg_self();
	uint64_t n = t_arg(1, 0);
	enum vg_err err = VG_OK;

	if (n > T_ISO_PT_MAX)
		n = T_ISO_PT_MAX;
	for (uint64_t k = 0; k < n && err == VG_OK; k++) {
		uint64_t va = T_ISO_PT_BASE + k * T_ISO_PT_REGION;

		err = vg_as_map_new(&rt->as, va, VG_PAGE_SIZE, VG_AS_WRITE);
		if (err == VG_OK)
			*(volatile uint64_t *)VG_PTR(va) = k;
	}
	t_value(1, n);
	if (t_check(err == VG_OK, "mapping %lu pages: %s", (unsigned long)n,
	    vg_strerror(err)) && t_parent_report(T_ISO_READY, n, 0) == VG_OK)
		iso_park();
}
