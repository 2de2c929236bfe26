/*
 * Linux's IPC and disk-read costs, measured as the peer of vg's benchmarks.
 *
 * Runs as PID 1 (/init) of an initramfs under QEMU with
 * -icount shift=0,align=off,sleep=off, where rdtsc counts retired guest
 * instructions: every number printed is an instruction count, not a time.
 * Each iteration is timed on its own; a metric prints its median (the
 * lower middle sample), min and max:
 *
 *	BENCH linux <metric> median=<n> min=<n> max=<n> iters=<n>
 *
 * and the run ends with "BENCH linux done".  As PID 1 it then stops QEMU
 * through isa-debug-exit with value 0 (QEMU status 1, as vg's tests) on
 * success or 1 (status 3) on any failure; run as any other PID (on the
 * host, to try it) it just exits.
 *
 * Round trips are timed in the client: from just before it sends one byte
 * (or eventfd count, or futex word) to the server, a forked process, until
 * it has the reply.  The server is on the same CPU (QEMU's default is one),
 * so a round trip is two context switches plus the two transfers.
 *
 * Last, blk_read_4k: /init loads the virtio modules run.sh put in
 * /lib/modules (in /lib/modules/order), opens the virtio-blk disk /dev/vda
 * O_DIRECT and times 4 KiB preads of it, checking each block's pattern.
 * While the device works the CPU may idle, and QEMU (-icount, sleep=off)
 * jumps its clock, so the TSC, over that idle time; Linux's own per-CPU
 * idle accounting (/proc/timer_list) gives how long, and each sample is
 * the window minus its idle part.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <linux/fs.h>
#include <linux/futex.h>
#include <sched.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/eventfd.h>
#include <sys/io.h>
#include <sys/ioctl.h>
#include <sys/klog.h>
#include <sys/mman.h>
#include <sys/mount.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/sysmacros.h>
#include <sys/utsname.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define WARMUP 200
#define ITERS 2000

/* isa-debug-exit (-device isa-debug-exit,iobase=0xf4): status (v<<1)|1. */
#define EXIT_PORT 0xf4
#define EXIT_OK 0	/* QEMU exits 1 */
#define EXIT_FAIL 1	/* QEMU exits 3 */

static uint64_t samples[ITERS];

static inline uint64_t tsc(void)
{
	uint32_t lo, hi;

	/* lfence on both sides keeps the timed code inside the window. */
	__asm__ __volatile__("lfence\n\trdtsc\n\tlfence"
			     : "=a"(lo), "=d"(hi) : : "memory");
	return (uint64_t)hi << 32 | lo;
}

static _Noreturn void finish(int ok)
{
	fflush(stdout);
	fflush(stderr);
	if (getpid() == 1) {
		/* PID 1 must not return: the kernel would panic. */
		if (ioperm(EXIT_PORT, 1, 1) == 0)
			outb(ok ? EXIT_OK : EXIT_FAIL, EXIT_PORT);
		/* No debug-exit device: power off, or at worst hang. */
		sync();
		syscall(SYS_reboot, 0xfee1dead, 672274793, 0x4321fedc, NULL);
		for (;;)
			pause();
	}
	exit(ok ? 0 : 1);
}

static _Noreturn void die(const char *fmt, ...)
{
	va_list ap;
	int err = errno;

	printf("BENCH linux error ");
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	printf(": %s\n", strerror(err));
	finish(0);
}

static int cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return (x > y) - (x < y);
}

/* The lower middle of n samples, which it sorts. */
static uint64_t median(uint64_t *v, int n)
{
	qsort(v, n, sizeof v[0], cmp_u64);
	return v[(n - 1) / 2];
}

static void report_n(const char *metric, int n)
{
	uint64_t med = median(samples, n);

	printf("BENCH linux %s median=%llu min=%llu max=%llu iters=%d\n",
	       metric, (unsigned long long)med,
	       (unsigned long long)samples[0],
	       (unsigned long long)samples[n - 1], n);
	fflush(stdout);
}

static void report(const char *metric)
{
	report_n(metric, ITERS);
}

static void must_write(int fd, const void *buf, size_t len)
{
	if (write(fd, buf, len) != (ssize_t)len)
		die("write(%d)", fd);
}

static void must_read(int fd, void *buf, size_t len)
{
	if (read(fd, buf, len) != (ssize_t)len)
		die("read(%d)", fd);
}

/*
 * A byte (or an 8-byte count) over fd pairs: the client writes to[1]
 * and reads back[0]; the server the other way round.  Pipes use four fds,
 * eventfds and socketpairs share one object per direction.
 */
struct chan {
	int c_tx, c_rx;		/* the client's ends */
	int s_tx, s_rx;		/* the server's */
	size_t len;		/* 1, or 8 for an eventfd */
};

static pid_t start_server(void (*serve)(void *), void *arg)
{
	pid_t pid;

	/* Nothing buffered may be written twice. */
	fflush(stdout);
	pid = fork();
	if (pid < 0)
		die("fork");
	if (pid == 0) {
		serve(arg);
		_exit(0);
	}
	return pid;
}

static void stop_server(pid_t pid)
{
	int status;

	if (waitpid(pid, &status, 0) != pid)
		die("waitpid");
	if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
		errno = 0;
		die("server exited with status 0x%x", status);
	}
}

static void chan_serve(void *arg)
{
	struct chan *ch = arg;
	uint64_t v = 1;

	for (int i = 0; i < WARMUP + ITERS; i++) {
		must_read(ch->s_rx, &v, ch->len);
		must_write(ch->s_tx, &v, ch->len);
	}
}

static void chan_bench(const char *metric, struct chan *ch)
{
	uint64_t v = 1;
	pid_t pid = start_server(chan_serve, ch);

	for (int i = 0; i < WARMUP + ITERS; i++) {
		uint64_t t0 = tsc();

		must_write(ch->c_tx, &v, ch->len);
		must_read(ch->c_rx, &v, ch->len);
		uint64_t t1 = tsc();

		if (i >= WARMUP)
			samples[i - WARMUP] = t1 - t0;
	}
	stop_server(pid);
	report(metric);
}

static void close_all(const int *fds, int n)
{
	for (int i = 0; i < n; i++)
		close(fds[i]);
}

static void bench_pipe(void)
{
	int a[2], b[2];

	if (pipe(a) || pipe(b))
		die("pipe");
	struct chan ch = { a[1], b[0], b[1], a[0], 1 };
	chan_bench("pipe_rtt", &ch);
	close_all(a, 2);
	close_all(b, 2);
}

static void bench_eventfd(void)
{
	int a = eventfd(0, 0), b = eventfd(0, 0);

	if (a < 0 || b < 0)
		die("eventfd");
	struct chan ch = { a, b, b, a, 8 };
	chan_bench("eventfd_rtt", &ch);
	close(a);
	close(b);
}

static void bench_unix(void)
{
	int sv[2];

	if (socketpair(AF_UNIX, SOCK_STREAM, 0, sv))
		die("socketpair");
	struct chan ch = { sv[0], sv[0], sv[1], sv[1], 1 };
	chan_bench("unix_rtt", &ch);
	close_all(sv, 2);
}

/* Futexes: one word each way in a page both processes share. */
struct futex_pair {
	_Atomic uint32_t req, rep;
};

static void fwait(_Atomic uint32_t *w)
{
	/* Shared (not PRIVATE) futexes: the two sides are processes. */
	while (*w == 0)
		if (syscall(SYS_futex, w, FUTEX_WAIT, 0, NULL, NULL, 0) &&
		    errno != EAGAIN && errno != EINTR)
			die("futex wait");
	*w = 0;
}

static void fwake(_Atomic uint32_t *w)
{
	*w = 1;
	if (syscall(SYS_futex, w, FUTEX_WAKE, 1, NULL, NULL, 0) < 0)
		die("futex wake");
}

static void futex_serve(void *arg)
{
	struct futex_pair *f = arg;

	for (int i = 0; i < WARMUP + ITERS; i++) {
		fwait(&f->req);
		fwake(&f->rep);
	}
}

static void bench_futex(void)
{
	struct futex_pair *f = mmap(NULL, 4096, PROT_READ | PROT_WRITE,
				    MAP_SHARED | MAP_ANONYMOUS, -1, 0);

	if (f == MAP_FAILED)
		die("mmap");
	f->req = f->rep = 0;
	pid_t pid = start_server(futex_serve, f);

	for (int i = 0; i < WARMUP + ITERS; i++) {
		uint64_t t0 = tsc();

		fwake(&f->req);
		fwait(&f->rep);
		uint64_t t1 = tsc();

		if (i >= WARMUP)
			samples[i - WARMUP] = t1 - t0;
	}
	stop_server(pid);
	report("futex_rtt");
	munmap(f, 4096);
}

static void bench_null_syscall(void)
{
	for (int i = 0; i < WARMUP + ITERS; i++) {
		uint64_t t0 = tsc();

		syscall(SYS_getppid);
		uint64_t t1 = tsc();

		if (i >= WARMUP)
			samples[i - WARMUP] = t1 - t0;
	}
	report("null_syscall");
}

/* --- blk_read_4k: one 4 KiB O_DIRECT read of the virtio-blk disk --------- */

#define BLK_WARMUP 50
#define BLK_ITERS 500
#define BLK_SIZE 4096
#define BLK_WORDS (BLK_SIZE / 4)
#define BLK_MAGIC 0x76670000u	/* word i of block b: BLK_MAGIC + b (run.sh) */
/* blk-mq's default request timeout; virtio_blk (6.1) keeps it, silently. */
#define BLK_TIMEOUT_NS 30000000000ull
#define MOD_DIR "/lib/modules"
#define SYSLOG_ACTION_READ_ALL 3	/* syslog(2) */
#define SYSLOG_ACTION_CLEAR 5

static uint32_t blkbuf[BLK_WORDS] __attribute__((aligned(BLK_SIZE)));
/* Per timed read: t1 - t0, idle ns, timer and virtio interrupts, sleeps. */
static uint64_t blk_raw[BLK_ITERS], blk_idle[BLK_ITERS];
static uint64_t blk_timer[BLK_ITERS], blk_virtio[BLK_ITERS];
static uint64_t blk_slept[BLK_ITERS];
static uint64_t kind[BLK_ITERS];
static char text[1 << 16];	/* /proc/timer_list, and other small files */

/* A file's text into text[] (NUL-terminated); its length, or -1. */
static ssize_t slurp_fd(int fd)
{
	size_t len = 0;
	ssize_t n;

	if (lseek(fd, 0, SEEK_SET) != 0)
		return -1;
	while ((n = read(fd, text + len, sizeof text - 1 - len)) > 0)
		len += n;
	if (n < 0 || len == sizeof text - 1)
		return -1;
	text[len] = 0;
	return len;
}

static ssize_t slurp(const char *path)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	ssize_t len;

	if (fd < 0)
		return -1;
	len = slurp_fd(fd);
	close(fd);
	return len;
}

/* The first line of a small file, for a '#' line. */
static const char *line_of(const char *path)
{
	if (slurp(path) < 0)
		return "?";
	text[strcspn(text, "\n")] = 0;
	return text;
}

/* Every module in /lib/modules/order, in order, with finit_module(2). */
static void load_modules(void)
{
	char order[1024], *name, *save;

	if (slurp(MOD_DIR "/order") < 0 || strlen(text) >= sizeof order)
		die("%s/order", MOD_DIR);
	strcpy(order, text);
	for (name = strtok_r(order, "\n", &save); name;
	     name = strtok_r(NULL, "\n", &save)) {
		char path[256];

		snprintf(path, sizeof path, "%s/%s.ko", MOD_DIR, name);
		int fd = open(path, O_RDONLY | O_CLOEXEC);
		if (fd < 0)
			die("open %s", path);
		if (syscall(SYS_finit_module, fd, "", 0) && errno != EEXIST)
			die("finit_module %s", path);
		close(fd);
	}
}

/* /dev/vda, once virtio_blk has found it: its fd, O_DIRECT. */
static int open_disk(void)
{
	unsigned maj, min;
	struct stat st;
	int fd;

	/* Loading virtio_blk probes the disk; give any async part time. */
	for (int i = 0; slurp("/sys/block/vda/dev") < 0; i++) {
		if (i == 100)
			die("no /sys/block/vda (is the disk attached?)");
		usleep(10000);
	}
	if (sscanf(text, "%u:%u", &maj, &min) != 2) {
		errno = 0;
		die("/sys/block/vda/dev: %s", text);
	}
	/*
	 * /dev is the kernel's built-in initramfs's (console only), not
	 * devtmpfs, unless ensure_console mounted that.
	 */
	if (stat("/dev/vda", &st) != 0 &&
	    mknod("/dev/vda", S_IFBLK | 0600, makedev(maj, min)) != 0 &&
	    errno != EEXIST)
		die("mknod /dev/vda");
	fd = open("/dev/vda", O_RDONLY | O_DIRECT | O_CLOEXEC);
	if (fd < 0)
		die("open /dev/vda");
	return fd;
}

/*
 * This CPU's idle + iowait time so far, in ns, from tick-sched's
 * accounting as /proc/timer_list prints it ("  .idle_sleeptime : N nsecs",
 * for each CPU; there is one).  Updated when idle ends (an interrupt, or
 * the idle loop's exit), so exact whenever this process runs.  /proc/stat
 * and /proc/uptime have the same sums, but only to 10 ms.
 */
static uint64_t idle_ns(int fd)
{
	static const char *const key[] = {
		".idle_sleeptime", ".iowait_sleeptime",
	};
	uint64_t sum = 0;

	if (slurp_fd(fd) < 0)
		die("read /proc/timer_list");
	for (size_t k = 0; k < sizeof key / sizeof key[0]; k++) {
		int seen = 0;

		for (char *p = text; (p = strstr(p, key[k])); seen++) {
			p = strchr(p, ':');
			if (!p)
				break;
			sum += strtoull(p + 1, &p, 10);
		}
		if (seen == 0) {
			errno = 0;
			die("no %s in /proc/timer_list", key[k]);
		}
	}
	return sum;
}

/* Local timer (LOC) and virtio interrupts so far, from /proc/interrupts. */
static void irqs(int fd, uint64_t *timer, uint64_t *virtio)
{
	*timer = *virtio = 0;
	if (slurp_fd(fd) < 0)
		die("read /proc/interrupts");
	for (char *l = text, *nl; *l; l = nl + 1) {
		nl = strchr(l, '\n');
		if (!nl)
			break;
		*nl = 0;
		char *c = strchr(l, ':');
		if (!c)
			continue;
		/* One CPU: one count after the colon. */
		uint64_t n = strtoull(c + 1, NULL, 10);
		if (strncmp(l + strspn(l, " "), "LOC:", 4) == 0)
			*timer += n;
		else if (strstr(c, "virtio"))
			*virtio += n;
	}
}

static uint64_t mono_ns(void)
{
	struct timespec ts;

	if (clock_gettime(CLOCK_MONOTONIC, &ts))
		die("clock_gettime");
	return (uint64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

/* The kernel's messages since the log was cleared, of level <= max. */
static void print_klog(int max)
{
	int n = klogctl(SYSLOG_ACTION_READ_ALL, text, sizeof text - 1);

	if (n < 0)
		die("klogctl");
	text[n] = 0;
	for (char *l = text, *nl; *l; l = nl + 1) {
		nl = strchr(l, '\n');
		if (nl)
			*nl = 0;
		if (l[0] == '<' && l[1] >= '0' && l[1] - '0' <= max &&
		    l[2] == '>')
			printf("# klog <%c> %s\n", l[1], l + 3);
		if (!nl)
			break;
	}
}

/* This process's voluntary context switches so far: its sleeps. */
static uint64_t sleeps(void)
{
	struct rusage ru;

	if (getrusage(RUSAGE_SELF, &ru))
		die("getrusage");
	return ru.ru_nvcsw;
}

/*
 * The timed reads fall in three kinds, by whether the process slept and
 * a timer interrupt came too: the median of those of kind k (0 if none).
 */
enum { NO_SLEEP, WOKEN_BY_DISK, TIMER_TOO, KINDS };

static uint64_t kind_median(int k, int *n, uint64_t *idle_med)
{
	static uint64_t v[BLK_ITERS], w[BLK_ITERS];
	int m = 0;

	for (int i = 0; i < BLK_ITERS; i++)
		if (kind[i] == (uint64_t)k) {
			v[m] = samples[i];
			w[m++] = blk_idle[i];
		}
	*n = m;
	if (idle_med)
		*idle_med = m ? median(w, m) : 0;
	return m ? median(v, m) : 0;
}

/* METRIC's line over the reads of kind K, if there are any: the other
 * samples go, so this is the last report of the run's samples. */
static void report_kind(const char *metric, int k)
{
	static uint64_t all[BLK_ITERS];
	int m = 0;

	for (int i = 0; i < BLK_ITERS; i++)
		all[i] = samples[i];
	for (int i = 0; i < BLK_ITERS; i++)
		if (kind[i] == (uint64_t)k)
			samples[m++] = all[i];
	if (m > 0)
		report_n(metric, m);
	for (int i = 0; i < BLK_ITERS; i++)
		samples[i] = all[i];
}

static void bench_blk(void)
{
	uint64_t m0, c0, m1, c1, nblocks, size;
	uint64_t idle_sum = 0, idle_max = 0, timers = 0, virtios = 0;
	int tl, ir, fd, overdue = 0, slept_idle = 0;

	if (access("/proc/self", F_OK) != 0) {
		mkdir("/proc", 0755);
		if (mount("proc", "/proc", "proc", 0, NULL))
			die("mount /proc");
	}
	/* From here on the kernel's log is this benchmark's (print_klog). */
	if (klogctl(SYSLOG_ACTION_CLEAR, NULL, 0) < 0)
		die("klogctl clear");
	load_modules();
	fd = open_disk();
	if (ioctl(fd, BLKGETSIZE64, &size))
		die("BLKGETSIZE64");
	nblocks = size / BLK_SIZE;
	if (nblocks < 2 || size % BLK_SIZE) {
		errno = 0;
		die("/dev/vda has %llu bytes", (unsigned long long)size);
	}
	printf("# disk /dev/vda: %llu blocks of %d bytes, scheduler %s",
	       (unsigned long long)nblocks, BLK_SIZE,
	       line_of("/sys/block/vda/queue/scheduler"));
	printf(", clocksource %s\n",
	       line_of("/sys/devices/system/clocksource/clocksource0/"
		       "current_clocksource"));
	tl = open("/proc/timer_list", O_RDONLY | O_CLOEXEC);
	ir = open("/proc/interrupts", O_RDONLY | O_CLOEXEC);
	if (tl < 0 || ir < 0)
		die("open /proc/timer_list, /proc/interrupts");

	m0 = c0 = 0;
	for (int i = 0; i < BLK_WARMUP + BLK_ITERS; i++) {
		uint64_t b = (uint64_t)i % nblocks, l0, l1, v0, v1;

		if (i == BLK_WARMUP) {
			m0 = mono_ns();
			c0 = tsc();
		}
		/* Idle first: reading /proc/interrupts does not idle. */
		uint64_t i0 = idle_ns(tl);
		irqs(ir, &l0, &v0);
		uint64_t s0 = sleeps();
		uint64_t t0 = tsc();
		ssize_t n = pread(fd, blkbuf, BLK_SIZE, b * BLK_SIZE);
		uint64_t t1 = tsc();
		uint64_t s1 = sleeps();
		irqs(ir, &l1, &v1);
		uint64_t i1 = idle_ns(tl);

		if (n != BLK_SIZE)
			die("pread block %llu: %zd", (unsigned long long)b, n);
		for (int w = 0; w < BLK_WORDS; w++)
			if (blkbuf[w] != BLK_MAGIC + b) {
				errno = 0;
				die("block %llu word %d is 0x%08x, not 0x%08llx",
				    (unsigned long long)b, w, blkbuf[w],
				    (unsigned long long)(BLK_MAGIC + b));
			}
		if (i >= BLK_WARMUP) {
			int j = i - BLK_WARMUP;

			blk_raw[j] = t1 - t0;
			blk_idle[j] = i1 - i0;
			blk_timer[j] = l1 - l0;
			blk_virtio[j] = v1 - v0;
			blk_slept[j] = s1 - s0;
		}
	}
	c1 = tsc();
	m1 = mono_ns();
	close(ir);
	close(tl);
	close(fd);

	/* TSC ticks per ns of CLOCK_MONOTONIC, over the timed reads. */
	double ratio = (double)(c1 - c0) / (double)(m1 - m0);
	printf("# blk_read_4k: %.6f TSC ticks per ns over %llu ns\n", ratio,
	       (unsigned long long)(m1 - m0));
	if (ratio < 0.99 || ratio > 1.01) {
		errno = 0;
		die("TSC ticks per ns %.6f, not 1 (is QEMU's -icount shift 0?)",
		    ratio);
	}
	for (int i = 0; i < BLK_ITERS; i++) {
		uint64_t idle = (uint64_t)(blk_idle[i] * ratio + 0.5);

		if (idle > blk_raw[i]) {
			errno = 0;
			die("read %d: idle %llu > window %llu", i,
			    (unsigned long long)idle,
			    (unsigned long long)blk_raw[i]);
		}
		samples[i] = blk_raw[i] - idle;
		kind[i] = blk_slept[i] == 0 ? NO_SLEEP :
			  blk_timer[i] == 0 ? WOKEN_BY_DISK : TIMER_TOO;
		slept_idle += blk_slept[i] == 0 && blk_idle[i] != 0;
		idle_sum += blk_idle[i];
		if (blk_idle[i] > idle_max)
			idle_max = blk_idle[i];
		overdue += blk_idle[i] >= BLK_TIMEOUT_NS;
		timers += blk_timer[i];
		virtios += blk_virtio[i];
	}

	int n[KINDS];
	uint64_t med[KINDS], woken_idle;
	med[NO_SLEEP] = kind_median(NO_SLEEP, &n[NO_SLEEP], NULL);
	med[WOKEN_BY_DISK] = kind_median(WOKEN_BY_DISK, &n[WOKEN_BY_DISK],
					 &woken_idle);
	med[TIMER_TOO] = kind_median(TIMER_TOO, &n[TIMER_TOO], NULL);
	printf("# blk_read_4k: raw t1-t0 median=%llu, idle median=%llu ns "
	       "(max %llu, sum %llu); a sample is t1-t0 - idle\n",
	       (unsigned long long)median(blk_raw, BLK_ITERS),
	       (unsigned long long)median(blk_idle, BLK_ITERS),
	       (unsigned long long)idle_max, (unsigned long long)idle_sum);
	printf("# blk_read_4k kinds: %d did not sleep (the disk was first) "
	       "median=%llu; %d slept, woken by the disk median=%llu "
	       "(idle median %llu ns); %d slept, a timer interrupt too "
	       "median=%llu\n",
	       n[NO_SLEEP], (unsigned long long)med[NO_SLEEP],
	       n[WOKEN_BY_DISK], (unsigned long long)med[WOKEN_BY_DISK],
	       (unsigned long long)woken_idle,
	       n[TIMER_TOO], (unsigned long long)med[TIMER_TOO]);
	printf("# blk_read_4k: %llu virtio and %llu timer interrupts in "
	       "%d reads; %d idled without sleeping; %d idled 30 s, "
	       "blk-mq's request timeout\n",
	       (unsigned long long)virtios, (unsigned long long)timers,
	       BLK_ITERS, slept_idle, overdue);
	/* Kind by kind, as vg's bench/vg/blk.c reports its paths: each
	 * kind's count repeats, how many reads take it is the host's
	 * doing.  blk_read_4k, the kind vg's own blk_read_4k is, is a read
	 * that slept until the disk's interrupt woke it. */
	report_kind("blk_read_4k", WOKEN_BY_DISK);
	report_kind("blk_read_4k_early", NO_SLEEP);
	report_kind("blk_read_4k_timer", TIMER_TOO);
	print_klog(5);
}

/* What an empty window costs; it is inside every number above. */
static void print_tsc_overhead(void)
{
	for (int i = 0; i < WARMUP + ITERS; i++) {
		uint64_t t0 = tsc();
		uint64_t t1 = tsc();

		if (i >= WARMUP)
			samples[i - WARMUP] = t1 - t0;
	}
	qsort(samples, ITERS, sizeof samples[0], cmp_u64);
	printf("# empty timing window: %llu instructions (in every number)\n",
	       (unsigned long long)samples[(ITERS - 1) / 2]);
}

/* The kernel gives PID 1 /dev/console only if its initramfs has one. */
static void ensure_console(void)
{
	if (fcntl(1, F_GETFD) >= 0)
		return;
	mkdir("/dev", 0755);
	mount("devtmpfs", "/dev", "devtmpfs", 0, NULL);
	int fd = open("/dev/console", O_RDWR);
	if (fd < 0)
		finish(0);	/* nowhere to say why: QEMU status 3 */
	for (int i = 0; i < 3; i++)
		if (fd != i)
			dup2(fd, i);
	if (fd > 2)
		close(fd);
}

/* Which kernel, and which speculation mitigations it chose (they cost). */
static void describe(void)
{
	struct utsname u;
	static const char *const vul[] = {
		"meltdown", "spectre_v1", "spectre_v2", "spec_store_bypass",
		"retbleed", "mds",
	};

	if (uname(&u) == 0)
		printf("# kernel %s %s %s\n", u.sysname, u.release, u.version);
	if (getpid() == 1) {
		mkdir("/sys", 0755);
		mount("sysfs", "/sys", "sysfs", 0, NULL);
	}
	for (size_t i = 0; i < sizeof vul / sizeof vul[0]; i++) {
		char path[128], line[256];

		snprintf(path, sizeof path,
			 "/sys/devices/system/cpu/vulnerabilities/%s", vul[i]);
		FILE *f = fopen(path, "r");
		if (!f)
			continue;
		if (fgets(line, sizeof line, f))
			printf("# %s: %s", vul[i], line);
		fclose(f);
	}
}

int main(void)
{
	cpu_set_t cpu0;

	ensure_console();
	setvbuf(stdout, NULL, _IOLBF, 0);
	describe();

	/* One CPU for both sides, whatever QEMU gives (its default is one). */
	CPU_ZERO(&cpu0);
	CPU_SET(0, &cpu0);
	if (sched_setaffinity(0, sizeof cpu0, &cpu0))
		die("sched_setaffinity");
	/* No page faults inside the timed windows (warm-up touches the rest). */
	memset(samples, 0, sizeof samples);
	if (mlockall(MCL_CURRENT | MCL_FUTURE) && getpid() == 1)
		die("mlockall");

	print_tsc_overhead();
	bench_null_syscall();
	bench_pipe();
	bench_eventfd();
	bench_futex();
	bench_unix();
	/* Last: the disk's timing depends on the host (see README.md). */
	bench_blk();
	printf("BENCH linux done\n");
	finish(1);
}
