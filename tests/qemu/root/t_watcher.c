/*
 * The watcher of the processor-share tests (troot.h, t_iso_cpu.c): tiso
 * as T_ISO_WATCH (tests/qemu/iso/watch.c), driven through its mailbox.
 */
#include "troot.h"

/* The kernel's timer: 100 Hz (kernel/arch/x86_64/lapic.h). */
#define TICK_CMS	1000u		/* a tick in hundredths of a ms */

bool
t_watcher_start(struct tchild *w, uint32_t weight, uint64_t ticks)
{
	uint64_t args[2] = { T_ISO_WATCH, ticks };
	struct t_limits lim = { .weight = weight };
	enum vg_err err = child_load_limited(w, "tiso", 2, &lim, 2, args,
	    true);

	if (err == VG_OK)
		err = child_start(w);
	if (!t_expect(err == VG_OK, "the watcher: %s", vg_strerror(err)))
		return false;
	return t_expect(t_wait_child(w, &w->reports, 1) &&
	    w->report[0] == T_ISO_CALIBRATED && w->report[1] != 0,
	    "the watcher did not calibrate (%lu reports)",
	    (unsigned long)w->reports) & child_mailbox_ok(w);
}

void
t_watcher_go(struct tchild *w)
{
	volatile uint64_t *watching = &w->mb->value[T_IW_WATCHING];
	uint64_t t0 = t_rdtsc();

	w->mb->value[T_IW_GO] = 1;
	/* Its own turn may be a few ticks away. */
	while (*watching == 0 && w->exited == 0 && t_rdtsc() - t0 <
	    4000000000ull)
		;
	t_expect(*watching != 0, "the watcher did not begin its watch");
}

bool
t_watcher_end(struct tchild *w, bool stop, struct t_watch *out)
{
	const uint64_t *v = w->mb->value;

	if (stop)
		w->mb->value[T_ISO_STOP] = 1;
	if (!t_expect(t_wait_child(w, &w->exited, 1) && w->status == 0,
	    "the watcher: %lu exits (status %ld)", (unsigned long)w->exited,
	    (long)w->status) || !child_mailbox_ok(w))
		return false;
	*out = (struct t_watch){
		.tick = v[T_IW_TICK], .cluster = v[T_IW_CLUSTER],
		.cal_pause = v[T_IW_CAL_PAUSE],
		.max = v[T_IW_MAX], .max_at = v[T_IW_MAX_AT],
		.span = v[T_IW_SPAN], .ran = v[T_IW_RAN],
		.pauses = v[T_IW_PAUSES], .reads = v[T_IW_READS],
		.second = v[T_IW_SECOND],
		.noise = v[T_IW_NOISE], .noise_max = v[T_IW_NOISE_MAX],
	};
	for (unsigned k = 0; k < T_IW_HIST_N; k++)
		out->hist[k] = v[T_IW_HIST + k];
	return out->tick != 0;
}

uint64_t
t_watch_cms(const struct t_watch *r, uint64_t cycles)
{
	return r->tick == 0 ? 0 : cycles * TICK_CMS / r->tick;
}
