/*
 * bblk: the block benchmark's client, started by the ordinary root task
 * after the PCI bus program and the block driver (bench/run.sh boots
 * them with a disk image made by tools/disk-image.sh), with the
 * driver's service in its VG_SLOT_SERVICE:
 *
 *	BENCH vg blk_read_4k median=<n> min=<n> max=<n> iters=<n>
 *
 * One sample is one 4 KiB read (BLK_READ of 8 sectors into a page of
 * mine, by DMA) from the request to the reply in my hands: the client's
 * call, the driver's request handler, the device's interrupt, the
 * driver's completion and the reply -- every instruction the processor
 * executes for it, kernel and user.  While the device works the
 * processor has nothing to do and halts; QEMU -icount then moves the
 * clock on without executing anything, so the time stamp counter's
 * ticks spent halted (the kernel console's CONSOLE_IDLE, read on either
 * side of the sample) are taken out.  Each read is checked against the
 * image's pattern (a wrong read fails the run), outside the window.
 *
 * A read takes one of two paths.  Usually the processor has nothing to
 * do before the device is done and halts (blk_read_4k: the reads with a
 * halt); sometimes QEMU completes the request before that, and the
 * interrupt comes while the driver or the kernel is still busy
 * (blk_read_4k_early).  Each path costs the same every time; how many
 * reads take which depends on the host, so the two are kept apart.
 */
#include <libvg/libvg.h>
#include <libvg/blk.h>

#define WARMUP		50u
#define ITERS		1000u
#define SPAN		256u	/* 4 KiB blocks read in turn: 1 MiB */

static uint64_t samples[ITERS], raw[ITERS], idle[ITERS], halts[ITERS];
static uint64_t waited[ITERS], early[ITERS];
static unsigned nwaited, nearly;

static inline uint64_t
tsc(void)
{
	uint32_t lo, hi;

	__asm__ volatile("lfence; rdtsc; lfence" : "=a"(lo), "=d"(hi) ::
	    "memory");
	return (uint64_t)hi << 32 | lo;
}

static void
sort(uint64_t *s, unsigned n)
{
	for (unsigned i = 1; i < n; i++) {
		uint64_t v = s[i];
		unsigned j = i;

		for (; j > 0 && s[j - 1] > v; j--)
			s[j] = s[j - 1];
		s[j] = v;
	}
}

/* The lower of the two middle samples, as every vg and Linux metric. */
static uint64_t
median(uint64_t *s, unsigned n)
{
	sort(s, n);
	return s[(n - 1) / 2];
}

/* METRIC's line over the N samples S (none: no line). */
static void
report(const char *metric, uint64_t *s, unsigned n)
{
	uint64_t m;

	if (n == 0)
		return;
	m = median(s, n);	/* sorts them: min and max after */
	printf("BENCH vg %s median=%lu min=%lu max=%lu iters=%u\n", metric,
	    (unsigned long)m, (unsigned long)s[0], (unsigned long)s[n - 1],
	    n);
}

/* Does PAGE hold block B of the image (its first sector's line)? */
static bool
holds(const char *page, unsigned b)
{
	char want[40];
	int n = snprintf(want, sizeof(want), "sector %06u of vg's disk image ",
	    b * BLK_SECTORS_PER_PAGE);

	return memcmp(page, want, (size_t)n) == 0;
}

int
main(void)
{
	struct vg_runtime *rt = vg_self();
	struct vg_call *c = &rt->ucall;
	vg_addr_t blk = vg_boot_slot(VG_SLOT_SERVICE), page;
	uint64_t va = vg_page_alloc(1), i0, i1, t0, t1, h0, h1;
	struct vg_blk_info info;
	uint32_t done;
	enum vg_err err;

	err = va != 0 ? vg_blk_info(c, blk, &info) : VG_ERR_NO_STORAGE;
	if (err == VG_OK && info.sectors < SPAN * BLK_SECTORS_PER_PAGE)
		err = VG_ERR_INVALID;
	if (err != VG_OK) {
		printf("bblk: no block driver with a disk of %u KiB: %s\n",
		    SPAN * 4, vg_strerror(err));
		return 1;
	}
	page = vg_addr_of_data(va);
	for (unsigned i = 0; i < WARMUP + ITERS; i++) {
		unsigned b = i % SPAN;

		err = vg_console_idle(vg_kcall(), rt->console, &i0, &h0);
		t0 = tsc();
		if (err == VG_OK)
			err = vg_blk_read(c, blk, (uint64_t)b *
			    BLK_SECTORS_PER_PAGE, BLK_SECTORS_PER_PAGE, &page, 1,
			    &done);
		t1 = tsc();
		if (err == VG_OK)
			err = vg_console_idle(vg_kcall(), rt->console, &i1,
			    &h1);
		if (err == VG_OK && (done != BLK_SECTORS_PER_PAGE ||
		    !holds(VG_PTR(va), b)))
			err = VG_ERR_IO;
		if (err != VG_OK) {
			printf("bblk: read %u (block %u): %s\n", i, b,
			    vg_strerror(err));
			return 1;
		}
		if (i < WARMUP)
			continue;
		raw[i - WARMUP] = t1 - t0;
		idle[i - WARMUP] = i1 - i0;
		halts[i - WARMUP] = h1 - h0;
		samples[i - WARMUP] = (t1 - t0) - (i1 - i0);
	}
	printf("# blk_read_4k: before the halted ticks are taken out, the "
	    "median read is %lu ticks, of which the median halted is %lu\n",
	    (unsigned long)median(raw, ITERS), (unsigned long)median(idle,
	    ITERS));
	/* The two paths, apart: each is the same count every time, but
	 * which a read takes is the host's doing. */
	for (unsigned i = 0; i < ITERS; i++)
		if (halts[i] > 0)
			waited[nwaited++] = samples[i];
		else
			early[nearly++] = samples[i];
	report("blk_read_4k", waited, nwaited);
	report("blk_read_4k_early", early, nearly);
	printf("BENCH vg done\n");
	return 0;
}
