/*
 * The in-VM fuzzer: "tvmfuzz" (tests/qemu/vmfuzz/) makes random system
 * calls, method invocations, faults and virtualizer answers on what it
 * holds, while two bystanders, "tvmpeer" (tests/qemu/vmpeer/) in spaces
 * of their own, exchange numbered messages.  The kernel must not panic
 * (tests/build/qemu.sh checks), the fuzzer must reach its end with its
 * oracles holding, and the bystanders must lose nothing, keep going
 * throughout, and still run at the end.
 *
 * The kernel command line may say vmfuzz_seed=N (default 0x5eed2026),
 * vmfuzz_calls=N (operations; 0: no limit) and vmfuzz_threads=0 (keep
 * the fuzzer's threads stopped: see tests/qemu/vmfuzz/vmfuzz.h) and
 * vmfuzz_check=1 (its oracles after every operation, to find the one
 * that broke something); make fuzz-vm sets them.  The peers send me a heartbeat now and then: if the
 * fuzzer makes no progress over STALL_BEATS of them, it has hung.
 */
#include "troot.h"

#define FUZZ_QUOTA	48	/* folios of the fuzzer */
#define PEER_QUOTA	4
#define DEFAULT_SEED	0x5eed2026ull
#define DEFAULT_CALLS	200000ull
#define STALL_BEATS	40

enum { R_RAN, R_CLEAN, R_BALANCE, R_THROUGHOUT, R_ALIVE, R_N };

static const char *const names[R_N] = {
	[R_RAN] = "the fuzzer made all its operations (random system calls, "
	    "methods, copies, faults, guest calls, virtualizer answers, "
	    "destruction) and reached its end",
	[R_CLEAN] = "the fuzzer's oracles held: every call answered an error "
	    "code, refused what it must, faulted where it must, and no "
	    "message stored into a receiver's own ASPACE slot",
	[R_BALANCE] = "the bystanders' messages are all accounted for: what "
	    "each sent the other received, in order and intact",
	[R_THROUGHOUT] = "the bystanders exchanged messages throughout the "
	    "fuzzer's run",
	[R_ALIVE] = "the bystanders still ran at the end: they stopped when "
	    "told, exchanged their counts and exited cleanly",
};

static struct tchild fuzz, peer[2];
static struct probe ctl;
static vg_addr_t shared;
static uint64_t trace_va;

static uint64_t
cmdline_u64(const char *key, uint64_t def)
{
	char buf[32];
	uint64_t v = 0;
	const char *p = buf;
	unsigned base = 10;

	if (!vg_cmdline_value(t_boot()->cmdline, key, buf, sizeof(buf)))
		return def;
	if (p[0] == '0' && (p[1] == 'x' || p[1] == 'X')) {
		base = 16;
		p += 2;
	}
	for (; *p != '\0'; p++) {
		unsigned d;

		if (*p >= '0' && *p <= '9')
			d = (unsigned)(*p - '0');
		else if (base == 16 && *p >= 'a' && *p <= 'f')
			d = (unsigned)(*p - 'a' + 10);
		else if (base == 16 && *p >= 'A' && *p <= 'F')
			d = (unsigned)(*p - 'A' + 10);
		else
			return def;
		v = v * base + d;
	}
	return v;
}

static enum vg_err
tell(struct tchild *ch, uint64_t what)
{
	struct vg_ipc_args a = {
		.flags = VG_IPC_SEND | VG_IPC_SEND_INLINE |
		    VG_IPC_INLINE_WORDS(1) | VG_IPC_RETURN,
		.target = ch->service,
		.send_messenger = ctl.m,
		.inline_words = { what },
	};
	enum vg_err err;

	/* My last word to the other may still be on its way. */
	for (unsigned tries = 0;; tries++) {
		err = vg_ipc(&a);
		if (err != VG_ERR_BUSY || tries == 100000)
			return err;
	}
}

static uint64_t
peer_value(unsigned r, unsigned i)
{
	return peer[r].mb != NULL ? peer[r].mb->value[i] : 0;
}

/* The fuzzer's last operations, for a run that hung or failed. */
static void
show_trace(void)
{
	const struct t_vf_trace *t = VG_PTR(trace_va);
	uint64_t ops = fuzz.mb->value[T_VF_OPS];

	t_diag("vmfuzz: stage %lu, %lu operations, %lu system calls; its "
	    "last operations:",
	    (unsigned long)fuzz.mb->value[T_VF_STAGE], (unsigned long)ops,
	    (unsigned long)fuzz.mb->value[T_VF_SYSCALLS]);
	for (uint64_t s = ops > 12 ? ops - 12 : 0; s <= ops; s++) {
		const struct t_vf_trace *e = &t[s % T_VF_TRACE];

		if (e->seq != s)
			continue;
		t_diag("vmfuzz:   %lu %s: result %#lx, %#lx %#lx",
		    (unsigned long)e->seq, t_vf_kind_name(e->kind &
		    0xffffffffu), (unsigned long)(e->kind >> 32),
		    (unsigned long)e->a, (unsigned long)e->b);
	}
}

static void
run(struct t_group *g)
{
	struct vg_runtime *rt = vg_self();
	uint64_t seed = cmdline_u64("vmfuzz_seed", DEFAULT_SEED);
	uint64_t calls = cmdline_u64("vmfuzz_calls", DEFAULT_CALLS);
	uint64_t args[3] = { seed, calls,
	    (cmdline_u64("vmfuzz_threads", 1) ? T_VF_FLAG_RUN_THREADS : 0) |
	    (cmdline_u64("vmfuzz_check", 0) ? T_VF_FLAG_CHECK_ALL : 0) };
	uint64_t seen = 0, beats = 0, last_ops = 0, last_msgs = 0, t0;
	unsigned stalls = 0, intervals = 0, moved = 0;
	bool hung = false, ran, clean, alive = true, ok;
	enum vg_err err;

	t_diag("vmfuzz: seed %#lx, %lu operations (make fuzz-vm "
	    "FUZZ_SEED=%#lx VMFUZZ_CALLS=%lu runs it again)",
	    (unsigned long)seed, (unsigned long)calls, (unsigned long)seed,
	    (unsigned long)calls);
	shared = t_slot();
	err = probe_init(&ctl, "vmfuzz.ctl", false);
	if (err == VG_OK)
		err = vg_obj_alloc(vg_kcall(), &rt->alloc, VG_TYPE_CAPPAGE,
		    shared);
	for (unsigned r = 0; r < 2 && err == VG_OK; r++) {
		uint64_t role = r;

		err = child_load(&peer[r], "tvmpeer", PEER_QUOTA, 1, &role,
		    true);
		if (err == VG_OK)
			err = child_give(&peer[r], VG_SLOT_SERVICE, shared,
			    false);
		if (err == VG_OK)
			err = child_start(&peer[r]);
	}
	for (unsigned r = 0; r < 2 && err == VG_OK; r++)
		if (!t_wait_child(&peer[r], &peer[r].registered, 1) ||
		    vg_addr_is_void(peer[r].service))
			err = VG_ERR_INVALID;
	if (err == VG_OK)
		err = child_load(&fuzz, "tvmfuzz", FUZZ_QUOTA, 3, args, true);
	trace_va = err == VG_OK ? t_page() : 0;
	if (err == VG_OK && trace_va == 0)
		err = VG_ERR_NO_STORAGE;
	if (err == VG_OK)
		err = child_map(&fuzz, T_SHARED, trace_va);
	for (unsigned r = 0; r < 2 && err == VG_OK; r++)
		err = tell(&peer[r], T_VP_GO);
	if (err == VG_OK)
		err = child_start(&fuzz);
	if (!t_expect(err == VG_OK, "vmfuzz: set-up: %s", vg_strerror(err)))
		goto out;

	/* Until it ends: its progress, the bystanders' heartbeats. */
	t0 = t_rdtsc();
	for (;;) {
		uint64_t ops = fuzz.mb->value[T_VF_OPS];

		t_wake = 0;
		if (fuzz.exited || fuzz.faults)
			break;
		if (fuzz.reports > seen) {
			uint64_t msgs = peer_value(0, T_VP_RECEIVED) +
			    peer_value(1, T_VP_RECEIVED);

			seen = fuzz.reports;
			intervals++;
			if (msgs > last_msgs)
				moved++;
			last_msgs = msgs;
			if (fuzz.report[1] % (5 * T_VF_PROGRESS_EVERY) == 0)
				t_diag("vmfuzz: %lu operations, %lu system "
				    "calls, %lu Mcycles; the bystanders at %lu "
				    "messages", (unsigned long)fuzz.report[1],
				    (unsigned long)fuzz.report[2],
				    (unsigned long)((t_rdtsc() - t0) >> 20),
				    (unsigned long)msgs);
		}
		if (peer[0].reports + peer[1].reports > beats) {
			beats = peer[0].reports + peer[1].reports;
			stalls = ops == last_ops ? stalls + 1 : 0;
			last_ops = ops;
			if (stalls >= STALL_BEATS) {
				hung = true;
				break;
			}
		}
		vg_wait_nonzero(&t_wake);
	}
	if (hung)
		t_diag("vmfuzz: the fuzzer made no progress over %u of the "
		    "bystanders' heartbeats: it hangs", STALL_BEATS);
	if (fuzz.faults)
		t_diag("vmfuzz: the fuzzer faulted: %s, vector %u at %#lx",
		    vg_strerror(fuzz.fault.error), fuzz.fault.exception,
		    (unsigned long)fuzz.fault.fault_address);
	ran = t_expect(!hung && fuzz.exited == 1 &&
	    fuzz.mb->value[T_VF_DONE] == 1 &&
	    (calls == 0 || fuzz.mb->value[T_VF_OPS] == calls),
	    "vmfuzz: exited %lu (status %ld), done %lu, %lu operations of %lu",
	    (unsigned long)fuzz.exited, (long)fuzz.status,
	    (unsigned long)fuzz.mb->value[T_VF_DONE],
	    (unsigned long)fuzz.mb->value[T_VF_OPS], (unsigned long)calls);
	clean = child_mailbox_ok(&fuzz);
	clean &= t_expect(fuzz.exited == 1 && fuzz.status == 0 &&
	    fuzz.mb->value[T_VF_ORACLE] == 0 &&
	    fuzz.mb->value[T_VF_UNEXPECTED] == 0, "vmfuzz: status %ld, %lu "
	    "oracle failures, %lu unexpected faults", (long)fuzz.status,
	    (unsigned long)fuzz.mb->value[T_VF_ORACLE],
	    (unsigned long)fuzz.mb->value[T_VF_UNEXPECTED]);
	if (!ran || !clean)
		show_trace();
	{
		char line[200];
		size_t n = 0;

		for (unsigned k = 0; k < T_VF_NKINDS; k++)
			n += (size_t)snprintf(line + n, n < sizeof(line) ?
			    sizeof(line) - n : 0, " %s %lu", t_vf_kind_name(k),
			    (unsigned long)fuzz.mb->value[T_VF_KINDS + k]);
		t_diag("vmfuzz: operations:%s", line);
		n = 0;
		for (unsigned e = 0; e <= VG_ERR_COUNT; e++) {
			uint64_t v = fuzz.mb->value[T_VF_RESULTS + e];

			if (v != 0)
				n += (size_t)snprintf(line + n, n < sizeof(line) ?
				    sizeof(line) - n : 0, " %s %lu", e ==
				    VG_ERR_COUNT ? "skipped" : vg_strerror(
				    (enum vg_err)e), (unsigned long)v);
		}
		t_diag("vmfuzz: its vg_ipc calls returned:%s", line);
	}
	t_ok(g, R_RAN, ran);
	t_ok(g, R_CLEAN, clean);

	/* The bystanders: stop, their counts, their exit. */
	for (unsigned r = 0; r < 2; r++)
		alive &= t_expect(tell(&peer[r], T_VP_STOP) == VG_OK,
		    "vmfuzz: cannot tell bystander %u to stop", r);
	for (unsigned r = 0; r < 2; r++) {
		alive &= t_expect(t_wait_child(&peer[r], &peer[r].exited, 1) &&
		    peer[r].status == 0, "vmfuzz: bystander %u: exit status "
		    "%ld", r, (long)peer[r].status);
		alive &= child_mailbox_ok(&peer[r]);
	}
	ok = true;
	for (unsigned r = 0; r < 2; r++) {
		uint64_t sent = peer_value(r, T_VP_SENT);
		uint64_t got = peer_value(1 - r, T_VP_RECEIVED);

		ok &= t_expect(sent == got && got == peer_value(1 - r,
		    T_VP_IN_ORDER) && peer_value(1 - r, T_VP_BAD) == 0 &&
		    peer_value(1 - r, T_VP_OTHER_SENT) == sent &&
		    peer_value(1 - r, T_VP_CAPS) == (sent + 7) / 8 &&
		    peer_value(r, T_VP_ERRORS) == 0, "vmfuzz: bystander %u "
		    "sent %lu; %u received %lu, %lu in order, %lu bad (first "
		    "%lu), %lu capabilities, told %lu; %lu errors", r,
		    (unsigned long)sent, 1 - r, (unsigned long)got,
		    (unsigned long)peer_value(1 - r, T_VP_IN_ORDER),
		    (unsigned long)peer_value(1 - r, T_VP_BAD),
		    (unsigned long)peer_value(1 - r, T_VP_FIRST_BAD),
		    (unsigned long)peer_value(1 - r, T_VP_CAPS),
		    (unsigned long)peer_value(1 - r, T_VP_OTHER_SENT),
		    (unsigned long)peer_value(r, T_VP_ERRORS));
	}
	t_diag("vmfuzz: the bystanders exchanged %lu and %lu messages",
	    (unsigned long)peer_value(0, T_VP_SENT),
	    (unsigned long)peer_value(1, T_VP_SENT));
	t_ok(g, R_BALANCE, ok && peer[0].exited && peer[1].exited);
	t_ok(g, R_THROUGHOUT, t_expect(moved == intervals &&
	    peer_value(0, T_VP_SENT) > 0 && peer_value(1, T_VP_SENT) > 0,
	    "vmfuzz: the bystanders moved on in %u of %u progress intervals",
	    moved, intervals));
	t_ok(g, R_ALIVE, alive);
out:
	child_destroy(&fuzz);
	for (unsigned r = 0; r < 2; r++)
		child_destroy(&peer[r]);
	probe_fini(&ctl);
	t_slot_free(&shared);
	t_page_free(trace_va);
	trace_va = 0;
}

struct t_group t_group_vmfuzz = {
	.name = "vmfuzz",
	.n = R_N,
	.names = names,
	.run = run,
};
