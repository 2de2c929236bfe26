/*
 * The fuzzer's main loop (vmfuzz.h): arguments, the world, the
 * operations one after another, repairs and oracles every so often,
 * progress reports to the parent, the trace, and the end.
 */
#include <stdarg.h>

#include "vmfuzz.h"

#define CHECK_EVERY	256u	/* operations between oracle checks */
#define REPAIR_EVERY	1024u	/* ... between full repairs */

static struct t_vf_trace scratch_trace[T_VF_TRACE];
static struct t_vf_trace *trace;
static uint64_t ops, syscalls, oracles;

struct vg_call *
vf_kc(void)
{
	return vg_kcall();
}

void
vf_count_syscall(void)
{
	syscalls++;
}

void
vf_trace(enum vf_op op, uint64_t a, uint64_t b)
{
	struct t_vf_trace *t = &trace[ops % T_VF_TRACE];

	*t = (struct t_vf_trace){ .seq = ops, .kind = op, .a = a, .b = b };
}

void
vf_trace_result(uint64_t r)
{
	struct t_vf_trace *t = &trace[ops % T_VF_TRACE];

	t->kind = (t->kind & 0xffffffffu) | r << 32;
}

void
vf_diag(const char *fmt, ...)
{
	char line[200];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(line, sizeof(line), fmt, ap);
	va_end(ap);
	printf("# %s\n", line);
}

/* A failed check, in the mailbox's log for my parent and as a "# "
 * line (all I print: nothing of mine may look like a test result). */
static void
vfail(const char *fmt, va_list ap)
{
	struct t_mailbox *m = t_mailbox();
	char line[200];
	int n;

	n = vsnprintf(line, sizeof(line), fmt, ap);
	if (n < 0)
		n = 0;
	if ((unsigned)n >= sizeof(line))
		n = sizeof(line) - 1;
	m->checks++;
	m->failures++;
	printf("# vmfuzz: operation %lu: %s\n", (unsigned long)ops, line);
	/* The first time, what led there. */
	if (m->failures == 1) {
		for (uint64_t s = ops > 8 ? ops - 8 : 0; s <= ops; s++) {
			const struct t_vf_trace *e = &trace[s % T_VF_TRACE];

			if (e->seq == s)
				printf("# vmfuzz:   operation %lu: %s (%lu), "
				    "result %#lx, %#lx %#lx\n",
				    (unsigned long)s, vf_op_name((enum vf_op)
				    (e->kind & 0xffffffffu)),
				    (unsigned long)(e->kind & 0xffffffffu),
				    (unsigned long)(e->kind >> 32),
				    (unsigned long)e->a, (unsigned long)e->b);
		}
	}
	if (m->log_len + (unsigned)n + 2 < T_LOG_SIZE) {
		memcpy(m->log + m->log_len, line, (size_t)n);
		m->log_len += (uint32_t)n;
		m->log[m->log_len++] = '\n';
		m->log[m->log_len] = '\0';
	}
}

void
vf_fail(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vfail(fmt, ap);
	va_end(ap);
}

void
vf_oracle(const char *fmt, ...)
{
	char line[180];
	va_list ap;

	oracles++;
	t_mailbox()->value[T_VF_ORACLE] = oracles;
	/* The first few in full; after that only counted. */
	if (oracles > 8)
		return;
	va_start(ap, fmt);
	vsnprintf(line, sizeof(line), fmt, ap);
	va_end(ap);
	vf_fail("ORACLE: %s", line);
}

/* The root's page at T_SHARED, if it mapped one. */
static struct t_vf_trace *
find_trace(void)
{
	enum vg_type type = VG_TYPE_VOID;

	if (vg_as_page_type(&vg_self()->as, T_SHARED, &type) == VG_OK &&
	    type == VG_TYPE_PAGE)
		return VG_PTR(T_SHARED);
	return scratch_trace;
}

int
main(void)
{
	struct t_mailbox *mb = t_mailbox();
	uint64_t seed = t_arg(0, 1), limit = t_arg(1, 1000);
	uint64_t t0 = t_rdtsc_now();
	bool check_all = (t_arg(2, 0) & T_VF_FLAG_CHECK_ALL) != 0;
	enum vg_err err;

	trace = find_trace();
	vf_seed(seed);
	vf_profile(seed);
	vf_diag("vmfuzz: seed %#lx, %lu operations%s", (unsigned long)seed,
	    (unsigned long)limit, limit == 0 ? " (no limit)" : "");
	mb->value[T_VF_STAGE] = 1;
	err = vf_build();
	if (err != VG_OK) {
		vf_fail("building my world: %s", vg_strerror(err));
		vg_exit(1);
	}
	mb->value[T_VF_STAGE] = 2;
	if (!vf_check_oracles())
		vf_diag("vmfuzz: my world fails its own checks at the start");

	for (ops = 0; limit == 0 || ops < limit; ops++) {
		enum vf_op op = vf_pick_op();

		vf_trace(op, 0, 0);
		vf_op(op);
		mb->value[T_VF_KINDS + op]++;
		mb->value[T_VF_OPS] = ops + 1;
		mb->value[T_VF_SYSCALLS] = syscalls;
		if (check_all)
			(void)vf_check_oracles();
		if ((ops + 1) % CHECK_EVERY == 0) {
			(void)vf_repair((ops + 1) % REPAIR_EVERY == 0 ||
			    vf.broken);
			(void)vf_check_oracles();
		}
		if ((ops + 1) % T_VF_PROGRESS_EVERY == 0)
			(void)t_parent_report(T_VF_PROGRESS, ops + 1,
			    syscalls);
	}
	mb->value[T_VF_STAGE] = 3;
	(void)vf_repair(true);
	(void)vf_check_oracles();
	mb->value[T_VF_DONE] = 1;
	mb->value[T_VF_OPS] = ops;
	mb->value[T_VF_SYSCALLS] = syscalls;
	vf_diag("vmfuzz: %lu operations, %lu system calls in %lu Mcycles; "
	    "%lu faults caught, %lu activations, %lu requests, %lu answers, "
	    "%lu repairs, %lu guest requests; %lu oracle failures",
	    (unsigned long)ops, (unsigned long)syscalls,
	    (unsigned long)((t_rdtsc_now() - t0) >> 20),
	    (unsigned long)mb->value[T_VF_FAULTS],
	    (unsigned long)mb->value[T_VF_ACTIVATIONS],
	    (unsigned long)mb->value[T_VF_REQUESTS],
	    (unsigned long)mb->value[T_VF_ANSWERS],
	    (unsigned long)mb->value[T_VF_REPAIRS],
	    (unsigned long)vf.req->taken, (unsigned long)oracles);
	vg_exit(mb->failures == 0 ? 0 : 1);
}
