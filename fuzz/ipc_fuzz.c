/*
 * ipc_fuzz's libFuzzer entry (fuzz.h says what the target does): for
 * each input, a fresh world, then its operations one by one, each
 * followed by every check; and the input reader and the reporting that
 * all the other files use.
 *
 * VG_FUZZ_TRACE=1 prints every operation as it runs, and a summary of
 * what became of the messages; VG_FUZZ_HOOKS=1 prints at exit how often
 * each --wrap hook ran (hooks.c).
 */
#include <stdarg.h>
#include <stdlib.h>

#include "folio.h"
#include "hosted.h"

#include "invariants.h"

#include "fuzz.h"

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static struct {
	const uint8_t *p;
	size_t n;
} in;

static unsigned opno;
static bool trace;

/* --- reading the input ---------------------------------------------------- */

uint8_t
take8(void)
{
	if (in.n == 0)
		return 0;
	in.n--;
	return *in.p++;
}

uint16_t
take16(void)
{
	uint16_t lo = take8();

	return (uint16_t)(lo | (uint16_t)take8() << 8);
}

uint32_t
take32(void)
{
	uint32_t lo = take16();

	return lo | (uint32_t)take16() << 16;
}

uint64_t
take64(void)
{
	uint64_t lo = take32();

	return lo | (uint64_t)take32() << 32;
}

/* --- reporting ------------------------------------------------------------ */

void
note(const char *fmt, ...)
{
	va_list ap;

	if (!trace)
		return;
	va_start(ap, fmt);
	fprintf(stderr, "  [%u] ", opno);
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
	va_end(ap);
}

void
die(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	fprintf(stderr, "ipc_fuzz: FINDING at operation %u: ", opno);
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
	va_end(ap);
	fprintf(stderr, "ipc_fuzz: rerun the input with VG_FUZZ_TRACE=1 for "
	    "the operations that led here\n");
	fflush(stderr);
	abort();
}

/* --- libFuzzer ------------------------------------------------------------ */

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	trace = getenv("VG_FUZZ_TRACE") != NULL;
	if (getenv("VG_FUZZ_HOOKS") != NULL)
		atexit(hooks_report);
	return 0;
}

/* What must hold after every operation: the kernel's invariants, the
 * ledger's balance, and the dead frames untouched. */
NO_COVERAGE
static void
check_all(void)
{
	const char *why = vg_check_invariants();

	if (why != NULL)
		die("invariant violated: %s", why);
	ledger_balance();
	dead_check();
	hosted_events_clear();
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	in.p = data;
	in.n = size;
	opno = 0;
	world_reset();
	ledger_reset();
	dead_reset();
	virt_reset();
	world_boot();
	check_all();
	while (in.n > 0 && opno < MAX_OPS) {
		opno++;
		run_op();
		check_all();
	}
	/* What the reaper has left (op_reap) is finished, and checked: its
	 * work points into this input's storage. */
	if (hosted_reclaim_later) {
		hosted_reclaim_later = false;
		ledger_untracked_writes();
		folio_reclaim_drain();
		check_all();
	}
	if (trace) {
		fprintf(stderr, "ipc_fuzz: %u operations, ", opno);
		ledger_print_stats(stderr);
		fputc('\n', stderr);
	}
	hosted_shutdown();
	return 0;
}
