/*
 * The bench root task: vg's benchmarks (bench/README.md says what each
 * metric covers exactly).
 *
 * The kernel starts it as the root task; it builds its partners (raw
 * threads in two other address spaces, P1 and P2, running bpeer's code:
 * bench.h), measures, and prints one line per metric on the console:
 *
 *	BENCH vg <metric> [param=<k>] median=<n> min=<n> max=<n> iters=<n>
 *	...
 *	BENCH vg done
 *
 * then stops the machine with status 0 (QEMU exits 1), or, on any error,
 * prints "BENCH vg error ..." and stops it with status 1.  Under QEMU's
 * -icount shift=0 the time stamp counter counts retired guest
 * instructions: every number is an instruction count.  Each iteration is
 * timed on its own (WARMUP iterations first, not kept); the median is the
 * lower of the two middle samples, as the Linux peer computes it.
 *
 * The measured loops call vg_ipc (libvg/syscall.h) directly, never
 * libvg's call or server helpers, so that they measure the kernel's path;
 * roundtrip_libvg_client is the exception that measures libvg's
 * activation dispatcher.
 */
#include <stdarg.h>

#include <libvg/libvg.h>

#include "bench.h"

#define WARMUP	200u
#define ITERS	2000u

/*
 * Iterations of every loop.  The kernel command line word
 * "profile=METRIC" (bench/profile.sh) makes them few, and brackets one
 * iteration of METRIC's loop, the first after the warm-up, with calls of
 * bench_profile_mark, then stops the machine after it.
 */
static unsigned warmup = WARMUP, iters = ITERS;
static char profile[48];

static struct vg_runtime *rt;
static struct vg_call *kc;
static uint64_t samples[ITERS], samples2[ITERS];

#define NONE	((struct vg_cap_translator){ 0 })
#define GUARD34	((struct vg_cap_translator){ \
	.guard_depth = VG_BOOT_ROOT_GUARD_DEPTH })

/* --- reporting -------------------------------------------------------------- */

struct stats {
	uint64_t median, min, max;
	unsigned n;
};

static _Noreturn void
die(const char *fmt, ...)
{
	char line[200];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(line, sizeof(line), fmt, ap);
	va_end(ap);
	printf("# bench: %s\nBENCH vg error %s\n", line, line);
	vg_flush();
	vg_debug_exit(1);
}

static void
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

static struct stats
stats_of(uint64_t *s, unsigned n)
{
	sort_u64(s, n);
	return (struct stats){ .median = s[(n - 1) / 2], .min = s[0],
	    .max = s[n - 1], .n = n };
}

static void
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

static struct stats
report(const char *metric, int param, uint64_t *s, unsigned n)
{
	struct stats st = stats_of(s, n);

	print_stats(metric, param, st);
	return st;
}

/* --- profiling (bench/profile.sh) -------------------------------------------- */

/* Called right before the profiled iteration and right after it; the
 * profiler finds its address in my symbol table. */
void bench_profile_mark(void);
void __attribute__((noinline))
bench_profile_mark(void)
{
	__asm__ volatile("" : : : "memory");
}

/* At the top of iteration I of METRIC (PARAM < 0: none), whose first
 * measured iteration is FIRST. */
static void
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
		vg_debug_exit(0);
	}
}

/* "profile=METRIC" on the kernel command line. */
static void
profile_init(void)
{
	const char *s = rt->boot->cmdline;

	while (*s != '\0') {
		while (*s == ' ')
			s++;
		if (strncmp(s, "profile=", 8) == 0) {
			unsigned n = 0;

			s += 8;
			while (*s != '\0' && *s != ' ' &&
			    n + 1 < sizeof(profile))
				profile[n++] = *s++;
			profile[n] = '\0';
			warmup = 20;
			iters = 20;
			printf("# bench: profiling %s\n", profile);
		}
		while (*s != '\0' && *s != ' ')
			s++;
	}
}

/* --- objects, slots, spaces ------------------------------------------------- */

/* Capabilities of mine that are not in root slots: in cappages. */
static vg_addr_t objpages[16];
static unsigned nobj;

static vg_addr_t
obj_slot(void)
{
	unsigned page = nobj / VG_CAPPAGE_SLOTS;

	if (page >= sizeof(objpages) / sizeof(objpages[0]))
		die("out of object slots");
	if (nobj % VG_CAPPAGE_SLOTS == 0) {
		objpages[page] = vg_slot_alloc(&rt->slots);
		if (vg_addr_is_void(objpages[page]))
			die("out of root slots");
		must(vg_obj_alloc(kc, &rt->alloc, VG_TYPE_CAPPAGE,
		    objpages[page]), "object cappage");
	}
	return vg_addr_extend(objpages[page], nobj++ % VG_CAPPAGE_SLOTS, 8);
}

/* A root slot of mine: what the measured paths name (an address of
 * depth 42, one cappage to index); other capabilities go in cappages
 * (depth 50, two). */
static vg_addr_t
root_slot(void)
{
	vg_addr_t a = vg_slot_alloc(&rt->slots);

	if (vg_addr_is_void(a))
		die("out of root slots");
	return a;
}

static vg_addr_t
obj_new_at(enum vg_type type, vg_addr_t a, const char *what)
{
	must(vg_obj_alloc(kc, &rt->alloc, type, a), what);
	return a;
}

static vg_addr_t
obj_new(enum vg_type type, const char *what)
{
	return obj_new_at(type, obj_slot(), what);
}

static void
copy(vg_addr_t dst, vg_addr_t src, unsigned flags, struct vg_cap_translator tr,
    const char *what)
{
	must(vg_as_copy(kc, rt->self_root, dst, src, flags, tr), what);
}

/* A weak copy of A, in a root slot if ROOT. */
static vg_addr_t
weak_of(vg_addr_t a, bool root)
{
	vg_addr_t w = root ? root_slot() : obj_slot();

	copy(w, a, VG_CAP_COPY_WEAKEN, NONE, "weak copy");
	return w;
}

/* An address space: mine, or one of the partners'. */
struct space {
	const char *name;
	bool own;
	struct vg_spawn sp;
	unsigned next_slot;		/* its next free root slot */
};

static struct space self = { .name = "root", .own = true };
static struct space p1 = { .name = "P1" };
static struct space p2 = { .name = "P2" };

/* The root cappage of S, as an address of mine. */
static vg_addr_t
space_root(const struct space *s)
{
	return s->own ? rt->self_root : s->sp.as.base;
}

/* A free root slot of partner space S (its index). */
static unsigned
peer_slot(struct space *s)
{
	if (s->next_slot >= VG_CAPPAGE_SLOTS)
		die("%s: out of root slots", s->name);
	return s->next_slot++;
}

/* A fresh empty root slot of S, as S names it. */
static vg_addr_t
space_slot(struct space *s)
{
	if (s->own)
		return vg_slot_alloc(&rt->slots);
	return vg_boot_slot(peer_slot(s));
}

/* Put the capability at MINE (WEAKENed if asked) in a slot of S; its
 * address as S names it. */
static vg_addr_t
give(struct space *s, vg_addr_t mine, unsigned flags)
{
	unsigned i;

	if (s->own)
		return flags & VG_CAP_COPY_WEAKEN ? weak_of(mine, false) : mine;
	i = peer_slot(s);
	copy(vg_as_root_slot(&s->sp.as, i), mine, flags, NONE, "give");
	return vg_boot_slot(i);
}

/* The shared region: pages of mine at BENCH_SHARED_VA, the same memory
 * at the same address in P1 and P2. */
static uint64_t shared_next = BENCH_SHARED_VA;

static uint64_t
shared_page(void)
{
	uint64_t va = shared_next;

	if (va >= BENCH_SHARED_VA + BENCH_SHARED_PAGES * VG_PAGE_SIZE)
		die("out of shared pages");
	shared_next += VG_PAGE_SIZE;
	memset(VG_PTR(va), 0, VG_PAGE_SIZE);
	return va;
}

static void
load_peer(struct space *s)
{
	const struct vg_boot_module *mod = vg_boot_find_module(rt->boot,
	    "bpeer");

	if (mod == NULL)
		die("no boot module is named bpeer");
	s->sp.name = s->name;
	s->sp.image = VG_PTR(mod->start);
	s->sp.size = mod->size;
	must(vg_spawn_load(&s->sp, &rt->as), "loading bpeer");
	/* The shared region, writable, at the same address. */
	copy(vg_as_root_slot(&s->sp.as, BENCH_SHARED_REGION),
	    vg_boot_slot(BENCH_SHARED_REGION), 0, NONE, "sharing the region");
	s->next_slot = 160;
}

/* A messenger in my storage whose messages resolve in S, activating
 * THREAD (mine; void: none), with the page at BUF_VA (0: none); its
 * capability in a root slot of mine if ROOT. */
static vg_addr_t
msgr_new(struct space *s, vg_addr_t thread, uint64_t buf_va, uint64_t id,
    bool root)
{
	vg_addr_t m = obj_new_at(VG_TYPE_MESSENGER,
	    root ? root_slot() : obj_slot(), "messenger");

	if (!vg_addr_is_void(thread))
		copy(vg_addr_extend(m, VG_MESSENGER_SLOT_THREAD, 2), thread, 0,
		    NONE, "messenger thread");
	copy(vg_addr_extend(m, VG_MESSENGER_SLOT_ASPACE, 2), space_root(s),
	    VG_CAP_COPY_GUARD, GUARD34, "messenger space");
	if (buf_va != 0)
		copy(vg_addr_extend(m, VG_MESSENGER_SLOT_BUFFER, 2),
		    vg_addr_of_data(buf_va), 0, NONE, "messenger page");
	if (id != 0)
		must(vg_messenger_id_set(kc, m, id), "messenger id");
	return m;
}

static void
exregs(vg_addr_t thread, uint64_t control, uint64_t ip, uint64_t sp,
    uint64_t hip, uint64_t hsp, uint64_t xs, uint64_t xe)
{
	struct vg_exregs x = {
		.control = control, .ip = ip, .sp = sp,
		.handler_ip = hip, .handler_sp = hsp,
		.exit_start = xs, .exit_end = xe,
	};

	must(vg_thread_exregs(kc, thread, &x, NULL), "exregs");
}

/* A partner: a raw thread in S running bpeer's ENTRY, its UTCB and its
 * state in the shared region. */
struct partner {
	struct space *sp;
	vg_addr_t thread;		/* mine */
	vg_addr_t self;			/* its own thread, as it names it */
	struct bsrv *s;
};

static void
partner_new(struct partner *p, struct space *s, const char *entry)
{
	uint64_t utcb = shared_page();
	uint64_t page = shared_page();
	uint64_t ip = vg_elf_symbol(&s->sp.elf, entry);

	if (ip == 0)
		die("bpeer has no symbol %s", entry);
	p->sp = s;
	p->s = VG_PTR(page + 2048);	/* the stack below it */
	p->s->utcb = VG_PTR(utcb);
	p->thread = obj_new(VG_TYPE_THREAD, "thread");
	copy(vg_addr_extend(p->thread, VG_THREAD_SLOT_ASPACE, 2),
	    space_root(s), VG_CAP_COPY_GUARD, GUARD34, "thread space");
	copy(vg_addr_extend(p->thread, VG_THREAD_SLOT_UTCB, 2),
	    vg_addr_of_data(utcb), 0, NONE, "thread UTCB");
	exregs(p->thread, VG_EXREGS_SET_IP | VG_EXREGS_SET_SP |
	    VG_EXREGS_SET_HANDLER, ip, (uint64_t)(uintptr_t)p->s, ip,
	    (uint64_t)(uintptr_t)p->s, 0, 0);
}

static void
partner_start(struct partner *p)
{
	exregs(p->thread, VG_EXREGS_START, 0, 0, 0, 0, 0, 0);
}

static void
partner_check(const struct partner *p, const char *what)
{
	const struct bsrv *s = p->s;

	if (s->bad != 0 || s->errors != 0)
		die("%s: the partner saw %lu bad requests, %lu errors (last "
		    "%s)", what, (unsigned long)s->bad,
		    (unsigned long)s->errors,
		    vg_strerror((enum vg_err)s->last_error));
}

/* Data word I of a message received into a buffer page. */
static uint64_t
page_word(const struct vg_message *m, uint32_t i)
{
	return vg_msg_word(m, i);
}

/* --- the client's messengers and handlers ----------------------------------- */

static volatile struct vg_utcb *utcb;

/* The word at the fast handler's handler_sp: the UTCB. */
static struct {
	volatile struct vg_utcb *utcb;
	uint64_t pad;
} resume_state __attribute__((aligned(16)));

/* libvg's dispatcher, for roundtrip_libvg_client. */
static volatile uint64_t lv_word, lv_count;

static void
lv_on_reply(struct vg_act_handler *h, const struct vg_activation *a)
{
	(void)h;
	if (a->reason == VG_ACTIVATION_RECEIVED)
		lv_word = a->inline_words[0];
	lv_count++;
}

static struct vg_act_handler lv_h = { .fn = lv_on_reply,
	.name = "bench.reply" };

/* Faults of mine the pager could not resolve. */
static volatile uint64_t my_faults;
static struct vg_activation my_fault;

static void
on_my_fault(struct vg_act_handler *h, const struct vg_activation *a)
{
	(void)h;
	my_fault = *a;
	my_faults++;
}

static struct vg_act_handler fault_h = { .fn = on_my_fault,
	.name = "bench.exception" };

/* Install the fast handler (bench.h) / libvg's again. */
static void
handler_fast(void)
{
	resume_state.utcb = utcb;
	exregs(rt->thread, VG_EXREGS_SET_HANDLER | VG_EXREGS_SET_EXIT_RANGE,
	    0, 0, (uint64_t)(uintptr_t)bench_resume_entry,
	    (uint64_t)(uintptr_t)&resume_state,
	    (uint64_t)(uintptr_t)bench_resume_exit_start,
	    (uint64_t)(uintptr_t)bench_resume_exit_end);
}

static void
handler_libvg(void)
{
	exregs(rt->thread, VG_EXREGS_SET_HANDLER | VG_EXREGS_SET_EXIT_RANGE,
	    0, 0, (uint64_t)(uintptr_t)vg_activation_entry,
	    (uint64_t)(uintptr_t)&vg_act_stack.state,
	    (uint64_t)(uintptr_t)vg_activation_exit_start,
	    (uint64_t)(uintptr_t)vg_activation_exit_end);
}

static vg_addr_t reply;		/* R: the replies come here (inline) */
static vg_addr_t reply_weak;	/* an rmessenger to it, in my space */
static vg_addr_t sender;	/* S: sends the requests (inline) */
static vg_addr_t psender;	/* sends from its buffer page */
static struct vg_message *psend_page;
static vg_addr_t ksend, krecv;	/* kernel invocations; reply in KPAGE */
static struct vg_message *kpage;
static vg_addr_t capsrc;	/* a cappage of 16 pages: sent capabilities */

static void
client_init(void)
{
	uint64_t pp = vg_page_alloc(1), kp = vg_page_alloc(1);

	if (pp == 0 || kp == 0)
		die("no pages for the client");
	psend_page = VG_PTR(pp);
	kpage = VG_PTR(kp);
	vg_act_register(&lv_h);
	vg_act_register(&fault_h);
	reply = msgr_new(&self, rt->thread, 0, vg_act_id(&lv_h), true);
	reply_weak = weak_of(reply, true);
	sender = msgr_new(&self, rt->thread, 0, 0, true);
	psender = msgr_new(&self, rt->thread, pp, 0, true);
	ksend = msgr_new(&self, rt->thread, 0, 0, true);
	krecv = msgr_new(&self, rt->thread, kp, 0, true);
	capsrc = obj_new(VG_TYPE_CAPPAGE, "capability sources");
	for (unsigned i = 0; i < BSRV_PRELOAD_MAX; i++)
		must(vg_obj_alloc(kc, &rt->alloc, VG_TYPE_PAGE,
		    vg_addr_extend(capsrc, i, 8)), "a page to send");
}

/* --- the empty window and null system calls --------------------------------- */

static void
bench_null(void)
{
	struct vg_ipc_args a = { .flags = VG_IPC_RETURN };

	for (unsigned i = 0; i < warmup + iters; i++) {
		prof("empty_window", -1, i, warmup);
		uint64_t t0 = bench_tsc(), t1 = bench_tsc();

		if (i >= warmup)
			samples[i - warmup] = t1 - t0;
	}
	report("empty_window", -1, samples, iters);

	for (unsigned i = 0; i < warmup + iters; i++) {
		prof("null_syscall", -1, i, warmup);
		uint64_t t0 = bench_tsc(), t1;
		enum vg_err err = vg_ipc(&a);

		t1 = bench_tsc();
		if (err != VG_OK)
			die("null_syscall: %s", vg_strerror(err));
		if (i >= warmup)
			samples[i - warmup] = t1 - t0;
	}
	report("null_syscall", -1, samples, iters);

	/* The same call as a bare syscall instruction (no stub). */
	for (unsigned i = 0; i < warmup + iters; i++) {
		prof("null_syscall_asm", -1, i, warmup);
		register uint64_t rax __asm__("rax");
		register uint64_t rdi __asm__("rdi") = VG_IPC_RETURN;
		uint64_t t0 = bench_tsc(), t1;

		rax = VG_SYSCALL_IPC;
		__asm__ volatile("syscall" : "+r"(rax) : "r"(rdi)
		    : "rcx", "r11", "memory");
		t1 = bench_tsc();
		if (rax != VG_OK)
			die("null_syscall_asm: %s", vg_strerror(rax));
		if (i >= warmup)
			samples[i - warmup] = t1 - t0;
	}
	report("null_syscall_asm", -1, samples, iters);

	/* An unknown system call number: the kernel's entry and exit and
	 * nothing else. */
	for (unsigned i = 0; i < warmup + iters; i++) {
		prof("syscall_unknown", -1, i, warmup);
		register uint64_t rax __asm__("rax");
		uint64_t t0 = bench_tsc(), t1;

		rax = VG_SYSCALL_COUNT;
		__asm__ volatile("syscall" : "+r"(rax) : : "rcx", "r11",
		    "memory");
		t1 = bench_tsc();
		if (rax != VG_ERR_METHOD)
			die("syscall_unknown: %s", vg_strerror(rax));
		if (i >= warmup)
			samples[i - warmup] = t1 - t0;
	}
	report("syscall_unknown", -1, samples, iters);
}

/* --- kernel invocations and translation ------------------------------------ */

/* Invoke CAP_READ at TARGET with address ADDR and check the type read:
 * RECEIVE on KRECV (buffer page), inline SEND, RETURN. */
static struct stats
cap_read_loop(const char *metric, int param, vg_addr_t target, vg_addr_t addr,
    enum vg_type want)
{
	struct vg_ipc_args a = {
		.flags = VG_IPC_RECEIVE | VG_IPC_SEND | VG_IPC_SEND_INLINE |
		    VG_IPC_INLINE_WORDS(2) | VG_IPC_INLINE_CAP | VG_IPC_RETURN,
		.recv_messenger = krecv,
		.target = target,
		.send_messenger = ksend,
		.inline_words = { VG_METHOD_CAP_READ, addr.raw },
		.inline_cap = krecv,
	};

	for (unsigned i = 0; i < warmup + iters; i++) {
		prof(metric, param, i, warmup);
		uint64_t t0, t1;
		enum vg_err err;

		kpage->cap_count = 0;
		kpage->data_count = 0;
		t0 = bench_tsc();
		err = vg_ipc(&a);
		t1 = bench_tsc();
		if (err != VG_OK || page_word(kpage, 0) != VG_OK ||
		    page_word(kpage, 1) != want)
			die("%s %d: %s, reply %s, type %lu", metric, param,
			    vg_strerror(err),
			    vg_strerror((enum vg_err)page_word(kpage, 0)),
			    (unsigned long)page_word(kpage, 1));
		if (i >= warmup)
			samples[i - warmup] = t1 - t0;
	}
	return report(metric, param, samples, iters);
}

#define CHAIN	8

static void
bench_invoke(void)
{
	struct vg_cap_translator half = { .subpage_log2 = 1, .subpage = 0 };
	vg_addr_t c[CHAIN], head = root_slot();
	struct stats d1 = { 0 }, d8 = { 0 };
	uint64_t page = vg_page_alloc(1);

	(void)cap_read_loop("kernel_invoke_cap_read", -1, rt->self_root,
	    vg_as_local(vg_boot_slot(VG_BOOT_SLOT_THREAD)), VG_TYPE_THREAD);

	/*
	 * A chain of CHAIN cappages, each capability selecting half of its
	 * cappage (7 index bits, so that 8 levels fit in an address): slot 0
	 * of level k holds level k+1, slot 0 of the last a page.  CAP_READ
	 * invoked on HEAD (level 1) with 7 * d zero bits reads the
	 * capability after d indexing steps.
	 */
	if (page == 0)
		die("no page for the chain");
	for (unsigned k = 0; k < CHAIN; k++)
		c[k] = obj_new(VG_TYPE_CAPPAGE, "chain");
	copy(head, c[0], VG_CAP_COPY_SUBPAGE, half, "chain head");
	for (unsigned k = 0; k + 1 < CHAIN; k++)
		copy(vg_addr_extend(c[k], 0, 8), c[k + 1], VG_CAP_COPY_SUBPAGE,
		    half, "chain link");
	copy(vg_addr_extend(c[CHAIN - 1], 0, 8), vg_addr_of_data(page), 0,
	    NONE, "chain end");
	for (unsigned d = 1; d <= CHAIN; d++) {
		struct stats st = cap_read_loop("translate_depth", (int)d,
		    head, vg_addr(0, 7 * d),
		    d < CHAIN ? VG_TYPE_CAPPAGE : VG_TYPE_PAGE);

		if (d == 1)
			d1 = st;
		if (d == CHAIN)
			d8 = st;
	}
	/* The slope: what one more level costs. */
	print_stats("translate_per_level", -1, (struct stats){
	    .median = (d8.median - d1.median) / (CHAIN - 1),
	    .min = (d8.min - d1.min) / (CHAIN - 1),
	    .max = (d8.max - d1.max) / (CHAIN - 1), .n = iters });
}

/* --- round trips ------------------------------------------------------------ */

/*
 * Where a partner sends its answer (the reply of an echo server, a
 * virtualizer's or a pager's answer):
 *
 *	ANS_STATIC	to a capability it was given once (an rmessenger to
 *			the messenger that waits for the answer)
 *	ANS_ROOT	to the reply capability each request carries (c0),
 *			which it receives into a slot of its root cappage
 *			(what libvg's receivers do)
 *	ANS_OFFPATH	the same, into a slot of a cappage of its own that no
 *			data access translates through
 */
enum answer { ANS_STATIC, ANS_ROOT, ANS_OFFPATH };

/* Where a partner in S receives the reply capability of requests, as S
 * names it (void: nowhere). */
static vg_addr_t
answer_slot(struct space *s, enum answer how)
{
	switch (how) {
	case ANS_ROOT:
		return space_slot(s);
	case ANS_OFFPATH:
		return vg_addr_extend(give(s, obj_new(VG_TYPE_CAPPAGE,
		    "reply cappage"), 0), 0, 8);
	default:
		return VG_ADDR_VOID;
	}
}

/* An echo server in P1: its request messenger, as I can send to it. */
struct echo {
	struct partner p;
	vg_addr_t req_weak;	/* mine: an rmessenger to its requests */
	unsigned ncaps;		/* page requests: capabilities (else -1) */
	bool page;
};

/*
 * Server E in space S: receives inline (or into a page of its own with
 * NCAPS target slots preloaded, if PAGE) and answers as HOW says:
 * REPLY_TO (as S names it) if ANS_STATIC.
 */
static void
echo_new(struct echo *e, struct space *s, bool page, unsigned ncaps,
    enum answer how, vg_addr_t reply_to)
{
	struct bsrv *b;
	vg_addr_t req, rsnd, req_c, rsnd_c, rslot;
	uint64_t rbuf = 0;
	uint32_t recv;

	partner_new(&e->p, s, "bsrv_entry");
	b = e->p.s;
	e->page = page;
	e->ncaps = ncaps;
	if (page) {
		vg_addr_t tc = obj_new(VG_TYPE_CAPPAGE, "target cappage");
		vg_addr_t tc_c = give(s, tc, 0);

		rbuf = shared_page();
		b->rbuf = VG_PTR(rbuf);
		b->npreload = ncaps;
		for (unsigned i = 0; i < ncaps; i++)
			b->preload[i] = vg_addr_extend(tc_c, i, 8);
		vg_msg_preload(b->rbuf, b->preload, ncaps);
	}
	req = msgr_new(s, e->p.thread, rbuf, 0, false);
	rsnd = msgr_new(s, e->p.thread, 0, 0, false);
	req_c = give(s, req, 0);
	rsnd_c = give(s, rsnd, 0);
	e->req_weak = weak_of(req, true);
	rslot = answer_slot(s, how);
	recv = VG_IPC_RECEIVE | VG_IPC_RECEIVE_ACTIVATE |
	    (page ? 0 : VG_IPC_RECEIVE_INLINE);
	b->kind = BSRV_ECHO;
	b->arm = (struct vg_ipc_args){
		.flags = recv,
		.recv_messenger = req_c,
		.recv_inline_cap = rslot,
	};
	b->call = (struct vg_ipc_args){
		.flags = recv | VG_IPC_SEND | VG_IPC_SEND_INLINE |
		    VG_IPC_INLINE_WORDS(1),
		.recv_messenger = req_c,
		.recv_inline_cap = rslot,
		.target = how == ANS_STATIC ? reply_to : rslot,
		.send_messenger = rsnd_c,
	};
	partner_start(&e->p);
}

/*
 * The client's round trip: one vg_ipc -- RECEIVE on R (inline, with
 * activation), SEND to TARGET, no RETURN -- which suspends the thread
 * until the reply's activation resumes it.  ONEWAY gets the time from
 * before that call until the server's handler started (SRV->t1, if SRV),
 * RTT the time until the client holds the reply.  The reply must be word
 * 0 + 1.
 */
enum req_form { REQ_INLINE, REQ_INLINE_CAP, REQ_PAGE };

static void
rtt_loop(const char *what, enum req_form form, unsigned ncaps,
    vg_addr_t target, struct bsrv *srv, uint64_t *oneway, uint64_t *rtt,
    bool libvg)
{
	struct vg_ipc_args a = {
		.flags = VG_IPC_RECEIVE | VG_IPC_RECEIVE_ACTIVATE |
		    VG_IPC_RECEIVE_INLINE | VG_IPC_SEND,
		.recv_messenger = reply,
		.target = target,
		.send_messenger = sender,
	};
	uint64_t *data = NULL;

	switch (form) {
	case REQ_INLINE_CAP:
		a.flags |= VG_IPC_INLINE_CAP;
		a.inline_cap = reply_weak;
		/* FALLTHROUGH */
	case REQ_INLINE:
		a.flags |= VG_IPC_SEND_INLINE | VG_IPC_INLINE_WORDS(1);
		break;
	case REQ_PAGE:
		/* NCAPS capabilities, then 4 data words. */
		a.send_messenger = psender;
		vg_message_clear(psend_page);
		for (unsigned i = 0; i < ncaps; i++)
			(void)vg_message_append_cap(psend_page,
			    vg_addr_extend(capsrc, i, 8));
		for (unsigned i = 0; i < 4; i++)
			(void)vg_message_append_word(psend_page, 0);
		data = (uint64_t *)(void *)vg_message_data(psend_page);
		break;
	}

	for (unsigned i = 0; i < warmup + iters; i++) {
		prof(what, form == REQ_PAGE ? (int)ncaps : -1, i, warmup);
		uint64_t v = 0x1000 + i, t0, t2, got;
		enum vg_err err;

		if (data != NULL)
			data[0] = v;
		else
			a.inline_words[0] = v;
		t0 = bench_tsc();
		err = vg_ipc(&a);
		t2 = bench_tsc();
		got = libvg ? lv_word : utcb->inline_words[0];
		if (err != VG_OK || got != v + 1)
			die("%s: iteration %u: %s, reply %#lx (want %#lx)",
			    what, i, vg_strerror(err), (unsigned long)got,
			    (unsigned long)(v + 1));
		if (i < warmup)
			continue;
		if (oneway != NULL)
			oneway[i - warmup] = srv->t1 - t0;
		rtt[i - warmup] = t2 - t0;
	}
}

static struct echo e_inline, e_rcap, e_rcap_off, e_page[3], e_coll;
static const unsigned page_caps[3] = { 0, 4, 16 };
static struct stats st_rtt;

static void
bench_roundtrips(void)
{
	vg_addr_t rw;

	rw = give(&p1, reply, VG_CAP_COPY_WEAKEN);
	echo_new(&e_inline, &p1, false, 0, ANS_STATIC, rw);
	echo_new(&e_rcap, &p1, false, 0, ANS_ROOT, VG_ADDR_VOID);
	echo_new(&e_rcap_off, &p1, false, 0, ANS_OFFPATH, VG_ADDR_VOID);
	for (unsigned k = 0; k < 3; k++)
		echo_new(&e_page[k], &p1, true, page_caps[k], ANS_STATIC, rw);

	handler_fast();
	rtt_loop("roundtrip", REQ_INLINE, 0, e_inline.req_weak, e_inline.p.s,
	    samples2, samples, false);
	partner_check(&e_inline.p, "roundtrip");
	st_rtt = report("roundtrip", -1, samples, iters);
	report("oneway_inline", -1, samples2, iters);

	rtt_loop("roundtrip_reply_cap", REQ_INLINE_CAP, 0, e_rcap.req_weak,
	    e_rcap.p.s, samples2, samples, false);
	partner_check(&e_rcap.p, "roundtrip_reply_cap");
	report("roundtrip_reply_cap", -1, samples, iters);

	rtt_loop("roundtrip_reply_cap_offpath", REQ_INLINE_CAP, 0,
	    e_rcap_off.req_weak, e_rcap_off.p.s, samples2, samples, false);
	partner_check(&e_rcap_off.p, "roundtrip_reply_cap_offpath");
	report("roundtrip_reply_cap_offpath", -1, samples, iters);

	for (unsigned k = 0; k < 3; k++) {
		rtt_loop("oneway_page_caps", REQ_PAGE, page_caps[k],
		    e_page[k].req_weak, e_page[k].p.s, samples2, samples,
		    false);
		partner_check(&e_page[k].p, "oneway_page_caps");
		report("oneway_page_caps", (int)page_caps[k], samples2, iters);
		report("roundtrip_page_caps", (int)page_caps[k], samples,
		    iters);
	}

	/* The same round trip as "roundtrip", the client's activation
	 * taken by libvg's dispatcher. */
	handler_libvg();
	rtt_loop("roundtrip_libvg_client", REQ_INLINE, 0, e_inline.req_weak,
	    e_inline.p.s, NULL, samples, true);
	partner_check(&e_inline.p, "roundtrip_libvg_client");
	report("roundtrip_libvg_client", -1, samples, iters);
}

/*
 * No upcalls: both threads stay in activated mode, so an activation only
 * queues and wakes the thread where it suspended; each side then takes
 * it with THREAD_ACTIVATION_COLLECT (a kernel invocation).
 */
static void
bench_collect(void)
{
	struct bsrv *b;
	vg_addr_t req, rsnd, ks, kr, req_c, rw;
	uint64_t kp = shared_page();
	struct vg_ipc_args a = {
		.flags = VG_IPC_RECEIVE | VG_IPC_RECEIVE_ACTIVATE |
		    VG_IPC_RECEIVE_INLINE | VG_IPC_SEND | VG_IPC_SEND_INLINE |
		    VG_IPC_INLINE_WORDS(1),
		.recv_messenger = reply,
		.send_messenger = sender,
	};
	struct vg_ipc_args col = {
		.flags = VG_IPC_RECEIVE | VG_IPC_SEND | VG_IPC_SEND_INLINE |
		    VG_IPC_INLINE_WORDS(1) | VG_IPC_INLINE_CAP | VG_IPC_RETURN,
		.recv_messenger = krecv,
		.target = rt->thread,
		.send_messenger = ksend,
		.inline_words = { VG_METHOD_THREAD_ACTIVATION_COLLECT },
		.inline_cap = krecv,
	};

	partner_new(&e_coll.p, &p1, "bcoll_entry");
	b = e_coll.p.s;
	req = msgr_new(&p1, e_coll.p.thread, 0, 0, false);
	rsnd = msgr_new(&p1, e_coll.p.thread, 0, 0, false);
	ks = msgr_new(&p1, e_coll.p.thread, 0, 0, false);
	kr = msgr_new(&p1, e_coll.p.thread, kp, 0, false);
	req_c = give(&p1, req, 0);
	rw = give(&p1, reply, VG_CAP_COPY_WEAKEN);
	e_coll.req_weak = weak_of(req, true);
	b->kind = BSRV_COLLECT;
	b->kpage = VG_PTR(kp);
	b->arm = (struct vg_ipc_args){
		.flags = VG_IPC_RECEIVE | VG_IPC_RECEIVE_ACTIVATE |
		    VG_IPC_RECEIVE_INLINE,
		.recv_messenger = req_c,
	};
	b->call = b->arm;
	b->call.flags |= VG_IPC_SEND | VG_IPC_SEND_INLINE |
	    VG_IPC_INLINE_WORDS(1);
	b->call.target = rw;
	b->call.send_messenger = give(&p1, rsnd, 0);
	b->collect = (struct vg_ipc_args){
		.flags = col.flags,
		.recv_messenger = give(&p1, kr, 0),
		.target = give(&p1, e_coll.p.thread, 0),
		.send_messenger = give(&p1, ks, 0),
		.inline_words = { VG_METHOD_THREAD_ACTIVATION_COLLECT },
	};
	b->collect.inline_cap = b->collect.recv_messenger;
	partner_start(&e_coll.p);

	a.target = e_coll.req_weak;
	utcb->mode |= VG_UTCB_ACTIVATED;
	for (unsigned i = 0; i < warmup + iters; i++) {
		prof("roundtrip_collect", -1, i, warmup);
		uint64_t v = 0x1000 + i, t0, t2;
		enum vg_err err, err2;

		a.inline_words[0] = v;
		t0 = bench_tsc();
		err = vg_ipc(&a);
		err2 = vg_ipc(&col);
		t2 = bench_tsc();
		if (err != VG_OK || err2 != VG_OK ||
		    page_word(kpage, 0) != VG_OK || page_word(kpage, 1) != 1 ||
		    utcb->reason != VG_ACTIVATION_RECEIVED ||
		    utcb->inline_words[0] != v + 1)
			die("roundtrip_collect: iteration %u: %s, %s, collect "
			    "%s/%lu, reason %#x, reply %#lx", i,
			    vg_strerror(err), vg_strerror(err2),
			    vg_strerror((enum vg_err)page_word(kpage, 0)),
			    (unsigned long)page_word(kpage, 1), utcb->reason,
			    (unsigned long)utcb->inline_words[0]);
		if (i >= warmup)
			samples[i - warmup] = t2 - t0;
	}
	utcb->mode &= ~(uint64_t)VG_UTCB_ACTIVATED;
	partner_check(&e_coll.p, "roundtrip_collect");
	report("roundtrip_collect", -1, samples, iters);
}

/* --- virtualized cappage indexing ------------------------------------------ */

/*
 * A virtual cappage in a root slot of mine: an rmessenger to V, a raw
 * thread in P2, which answers INDEX requests from a backing cappage of
 * its own whose slot VIRT_IDX holds the echo server's request
 * rmessenger.  A send to (that root slot, VIRT_IDX) suspends at the
 * rmessenger, the kernel sends V an INDEX request carried by my sending
 * messenger, and V's answer resumes the send.  V answers as HOW says:
 * ANS_STATIC, through an rmessenger to my sending messenger given once.
 */
#define VIRT_IDX	5

static vg_addr_t
virt_new(struct partner *v, enum answer how)
{
	struct bsrv *b;
	vg_addr_t vm, va, bk, bk_c, vm_c, slot, rslot;

	partner_new(v, &p2, "bsrv_entry");
	b = v->s;
	vm = msgr_new(&p2, v->thread, 0, 0, false);
	va = msgr_new(&p2, v->thread, 0, 0, false);
	bk = obj_new(VG_TYPE_CAPPAGE, "backing cappage");
	copy(vg_addr_extend(bk, VIRT_IDX, 8), e_inline.req_weak, 0, NONE,
	    "backing slot");
	bk_c = give(&p2, bk, 0);
	vm_c = give(&p2, vm, 0);
	rslot = answer_slot(&p2, how);
	b->kind = BSRV_VIRT;
	b->backing = bk_c;
	b->arm = (struct vg_ipc_args){
		.flags = VG_IPC_RECEIVE | VG_IPC_RECEIVE_ACTIVATE |
		    VG_IPC_RECEIVE_INLINE,
		.recv_messenger = vm_c,
		.recv_inline_cap = rslot,
	};
	b->call = b->arm;
	b->call.flags |= VG_IPC_SEND | VG_IPC_SEND_INLINE |
	    VG_IPC_INLINE_WORDS(2) | VG_IPC_INLINE_CAP;
	b->call.target = how == ANS_STATIC ?
	    give(&p2, sender, VG_CAP_COPY_WEAKEN) : rslot;
	b->call.send_messenger = give(&p2, va, 0);
	partner_start(v);

	/* The virtual cappage: a root slot of mine. */
	slot = root_slot();
	copy(slot, vm, VG_CAP_COPY_WEAKEN, NONE, "virtual cappage");
	return vg_addr_extend(slot, VIRT_IDX, 8);
}

static struct partner virt_p[3];

static void
bench_virt(void)
{
	static const char *const names[3] = {
		[ANS_STATIC] = "virt_index_rtt_static",
		[ANS_ROOT] = "virt_index_rtt",
		[ANS_OFFPATH] = "virt_index_rtt_offpath",
	};
	static const char *const extra[3] = {
		[ANS_STATIC] = "virt_index_extra_static",
		[ANS_ROOT] = "virt_index_extra",
		[ANS_OFFPATH] = "virt_index_extra_offpath",
	};
	static const enum answer order[3] = { ANS_ROOT, ANS_OFFPATH,
	    ANS_STATIC };
	vg_addr_t target[3];

	for (unsigned k = 0; k < 3; k++)
		target[order[k]] = virt_new(&virt_p[order[k]], order[k]);
	handler_fast();
	for (unsigned k = 0; k < 3; k++) {
		enum answer how = order[k];
		struct partner *v = &virt_p[how];
		struct stats st;

		rtt_loop(names[how], REQ_INLINE, 0, target[how], e_inline.p.s,
		    samples2, samples, false);
		partner_check(v, names[how]);
		partner_check(&e_inline.p, names[how]);
		if (v->s->served != warmup + iters ||
		    v->s->last_word != vg_addr(VIRT_IDX, 8).raw)
			die("%s: the virtualizer answered %lu requests",
			    names[how], (unsigned long)v->s->served);
		st = report(names[how], -1, samples, iters);
		print_stats(extra[how], -1, (struct stats){
		    .median = st.median - st_rtt.median,
		    .min = st.min - st_rtt.min, .max = st.max - st_rtt.max,
		    .n = iters });
	}
	handler_libvg();
}

/* --- a user-level pager ------------------------------------------------------ */

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
	b->kind = BSRV_PAGER;
	b->backing = give(&p2, vg_addr_of_data(page), 0);
	b->arm = (struct vg_ipc_args){
		.flags = VG_IPC_RECEIVE | VG_IPC_RECEIVE_ACTIVATE |
		    VG_IPC_RECEIVE_INLINE,
		.recv_messenger = pm_c,
		.recv_inline_cap = rslot,
	};
	b->call = b->arm;
	b->call.flags |= VG_IPC_SEND | VG_IPC_SEND_INLINE |
	    VG_IPC_INLINE_WORDS(2) | VG_IPC_INLINE_CAP;
	b->call.target = how == ANS_STATIC ?
	    give(&p2, exc, VG_CAP_COPY_WEAKEN) : rslot;
	b->call.send_messenger = give(&p2, pa, 0);
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

/* --- queues ------------------------------------------------------------------- */

/*
 * N sending messengers (of mine; no threads of their own are needed:
 * a messenger is the unit that queues) each send one inline message
 * (4 words) to Q, which is blocked, so each joins its queue; then N
 * receives on Q (into its buffer page, no activation) each take the
 * first in line.  queue_per_msg: the whole cycle, timed as one, divided
 * by N; queue_send and queue_recv: each send and each receive timed on
 * its own, over the same kind of cycles.  The senders rotate through all
 * QMAX messengers from one message to the next, so that no send is from
 * the messenger the previous one used, whatever N is (the kernel caches
 * a thread's last messengers: with one sender used again and again, N = 1
 * would measure that cache, not the queue).
 */
#define QMAX	1000u

static vg_addr_t qsend[QMAX];
static uint64_t qgot[QMAX];

static void
bench_queue(void)
{
	static const unsigned ns[] = { 1, 10, 100, 1000 };
	uint64_t qp = vg_page_alloc(1);
	struct vg_message *qpage = VG_PTR(qp);
	vg_addr_t q, qw;
	struct vg_ipc_args s = {
		.flags = VG_IPC_SEND | VG_IPC_SEND_INLINE |
		    VG_IPC_INLINE_WORDS(4) | VG_IPC_RETURN,
	};
	struct vg_ipc_args r = { .flags = VG_IPC_RECEIVE | VG_IPC_RETURN };
	unsigned next = 0;

	if (qp == 0)
		die("no page for the queue");
	q = msgr_new(&self, VG_ADDR_VOID, qp, 0, true);
	qw = weak_of(q, true);
	for (unsigned i = 0; i < QMAX; i++)
		qsend[i] = msgr_new(&self, VG_ADDR_VOID, 0, 0, false);
	s.target = qw;
	r.recv_messenger = q;

	for (unsigned k = 0; k < sizeof(ns) / sizeof(ns[0]); k++) {
		unsigned n = ns[k];
		/* Whole cycles: at least 2000 messages and 15 cycles. */
		unsigned reps = iters / n > 15 ? iters / n : 15;
		/* Every sender once before the measured cycles. */
		unsigned warm = QMAX / n + 1;
		/* One-by-one: 2000 samples of each. */
		unsigned cycles = iters / n >= 1 ? iters / n : 1;

		for (unsigned c = 0; c < warm + reps; c++) {
			uint64_t t0, t1;

			prof("queue_per_msg", (int)n, c, warm);
			t0 = bench_tsc();
			for (unsigned i = 0; i < n; i++) {
				s.send_messenger = qsend[next++ % QMAX];
				s.inline_words[0] = i;
				if (vg_ipc(&s) != VG_OK)
					die("queue: send %u of %u", i, n);
			}
			for (unsigned i = 0; i < n; i++) {
				if (vg_ipc(&r) != VG_OK)
					die("queue: receive %u of %u", i, n);
				qgot[i] = ((uint64_t *)(void *)qpage->caps)[0];
			}
			t1 = bench_tsc();
			for (unsigned i = 0; i < n; i++)
				if (qgot[i] != i)
					die("queue: message %u of %u was "
					    "sender %lu's", i, n,
					    (unsigned long)qgot[i]);
			if (c >= warm)
				samples[c - warm] = (t1 - t0 + n / 2) / n;
		}
		report("queue_per_msg", (int)n, samples, reps);

		for (unsigned c = 0; c < 1 + cycles; c++) {
			for (unsigned i = 0; i < n; i++) {
				uint64_t t0, t1;
				enum vg_err err;

				s.send_messenger = qsend[next++ % QMAX];
				s.inline_words[0] = i;
				t0 = bench_tsc();
				err = vg_ipc(&s);
				t1 = bench_tsc();
				if (err != VG_OK)
					die("queue: send %u of %u", i, n);
				if (c > 0)
					samples[(c - 1) * n + i] = t1 - t0;
			}
			for (unsigned i = 0; i < n; i++) {
				uint64_t t0, t1;
				enum vg_err err;

				t0 = bench_tsc();
				err = vg_ipc(&r);
				t1 = bench_tsc();
				if (err != VG_OK || page_word(qpage, 0) != i)
					die("queue: receive %u of %u", i, n);
				if (c > 0)
					samples2[(c - 1) * n + i] = t1 - t0;
			}
		}
		report("queue_send", (int)n, samples, cycles * n);
		report("queue_recv", (int)n, samples2, cycles * n);
	}
}

/* --- main ------------------------------------------------------------------------ */

int
main(void)
{
	rt = vg_self();
	kc = vg_kcall();
	utcb = rt->utcb;
	profile_init();
	printf("# bench: vg's benchmarks; every number is guest instructions "
	    "(rdtsc under QEMU -icount shift=0)\n");
	vg_flush();

	must(vg_as_map_new(&rt->as, BENCH_SHARED_VA,
	    BENCH_SHARED_PAGES * VG_PAGE_SIZE, true), "the shared region");
	load_peer(&p1);
	load_peer(&p2);
	client_init();

	bench_null();
	bench_invoke();
	bench_roundtrips();
	bench_collect();
	bench_virt();
	bench_pager();
	bench_queue();

	printf("BENCH vg done\n");
	vg_flush();
	vg_debug_exit(0);
}
