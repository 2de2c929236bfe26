/*
 * Linux's IPC costs, measured as the peer of vg's benchmarks.
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
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <linux/futex.h>
#include <sched.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/eventfd.h>
#include <sys/io.h>
#include <sys/mman.h>
#include <sys/mount.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/utsname.h>
#include <sys/wait.h>
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

static void report(const char *metric)
{
	qsort(samples, ITERS, sizeof samples[0], cmp_u64);
	printf("BENCH linux %s median=%llu min=%llu max=%llu iters=%d\n",
	       metric, (unsigned long long)samples[(ITERS - 1) / 2],
	       (unsigned long long)samples[0],
	       (unsigned long long)samples[ITERS - 1], ITERS);
	fflush(stdout);
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
	printf("BENCH linux done\n");
	finish(1);
}
