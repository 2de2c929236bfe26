/*
 * The fuzzer's operations (vmfuzz.h), their weights, and the oracles
 * that need no model: every system call returns an error code, a call
 * the kernel must refuse is refused, a fault of mine has the outcome its
 * address gives.
 */
#include <vg/ipc.h>
#include <vg/method.h>

#include "vmfuzz.h"

/* The weights of the operations (their names are in tproto.h). */
static unsigned weights[OP_KINDS] = {
	[OP_IPC] = 170,
	[OP_INVOKE] = 230,
	[OP_COPY] = 70,
	[OP_CREATE] = 60,
	[OP_DESTROY] = 20,
	[OP_SELF] = 60,
	[OP_PROBE] = 40,
	[OP_GUEST] = 60,
	[OP_VIRT] = 40,
	[OP_ANSWER] = 50,
	[OP_PAGE] = 80,
	[OP_THREAD] = 40,
	[OP_SYSCALL] = 20,
	[OP_HOSTILE] = 30,
	[OP_REPAIR] = 5,
};

_Static_assert(OP_KINDS == T_VF_NKINDS, "tproto.h names every kind");

const char *
vf_op_name(enum vf_op op)
{
	return t_vf_kind_name(op);
}

void
vf_profile(uint64_t seed)
{
	/* Bits 32.. of the seed weigh two kinds four times as much, so that
	 * open-ended runs explore other mixes (0: the weights above). */
	if ((seed >> 32) == 0)
		return;
	weights[(seed >> 32) % OP_KINDS] *= 4;
	weights[(seed >> 40) % OP_KINDS] *= 4;
}

enum vf_op
vf_pick_op(void)
{
	static unsigned total;
	unsigned r;

	if (total == 0)
		for (unsigned k = 0; k < OP_KINDS; k++)
			total += weights[k];
	r = (unsigned)vf_below(total);
	for (unsigned k = 0; k < OP_KINDS; k++) {
		if (r < weights[k])
			return (enum vf_op)k;
		r -= weights[k];
	}
	return OP_IPC;
}

#define NONE	((struct vg_cap_translator){ 0 })
#define ROOT_GUARD ((struct vg_cap_translator){ \
	.guard_depth = VG_BOOT_ROOT_GUARD_DEPTH })

/* --- system calls -------------------------------------------------------------- */

_Static_assert(T_VF_RESULTS + VG_ERR_COUNT < T_VALUES, "the results fit");

#define IPC_USER_FLAGS	(VG_IPC_FLAGS_ALL | VG_IPC_INLINE_WORDS_MASK | \
	VG_IPC_INLINE_CAP)

/* vg_ipc with A, through the raw stub; checks what must come back. */
static uint64_t
raw_ipc(const struct vg_ipc_args *a)
{
	uint64_t regs[11] = {
		VG_SYSCALL_IPC,
		(uint64_t)a->flags | (uint64_t)a->reserved << 32,
		a->recv_messenger.raw, a->recv_inline_cap.raw, a->target.raw,
		a->send_messenger.raw, a->inline_cap.raw,
		a->inline_words[0], a->inline_words[1], a->inline_words[2],
		a->inline_words[3],
	};
	uint32_t nwords = (a->flags & VG_IPC_INLINE_WORDS_MASK) >>
	    VG_IPC_INLINE_WORDS_SHIFT;
	bool invalid = (a->flags & ~IPC_USER_FLAGS) != 0 ||
	    a->reserved != 0 || nwords > VG_INLINE_WORDS;
	uint64_t r;

	/* A call that may suspend me: my waker ends it (without one, the
	 * call returns). */
	if (!(a->flags & VG_IPC_RETURN) && !invalid) {
		vf_wake_early = 0;
		vf_wake_armed = 1;
		if (vf_wake_arm() != VG_OK) {
			regs[1] |= VG_IPC_RETURN;
			vf_wake_armed = 0;
		}
	}
	vf_count_syscall();
	r = vf_syscall(regs);
	vf_wake_armed = 0;
	vf_wake_early = 0;
	vf_trace_result(r);
	t_mailbox()->value[T_VF_RESULTS + (r < VG_ERR_COUNT ? r :
	    VG_ERR_COUNT)]++;
	if (r == VF_SKIPPED)
		return r;
	if (r >= VG_ERR_COUNT)
		vf_oracle("vg_ipc(flags %#x, reserved %#x) returned %#lx",
		    a->flags, a->reserved, (unsigned long)r);
	else if (invalid && r != VG_ERR_INVALID)
		vf_oracle("vg_ipc(flags %#x, reserved %#x) returned %s, not "
		    "INVALID", a->flags, a->reserved,
		    vg_strerror((enum vg_err)r));
	return r;
}

/* Random vg_ipc flags; BIND_SPACE allows the _SET_ASROOT_TO_CALLERS
 * ones, BIND_THREAD the _SET_THREAD_TO_CALLER ones (neither for my own
 * thread, vmfuzz.h). */
static uint32_t
ipc_flags(bool bind_space, bool bind_thread)
{
	uint32_t f = 0;

	if (vf_chance(50))
		f |= VG_IPC_RECEIVE;
	if (vf_chance(30))
		f |= VG_IPC_RECEIVE_NONBLOCKING;
	if (vf_chance(50))
		f |= VG_IPC_RECEIVE_ACTIVATE;
	if (vf_chance(30))
		f |= VG_IPC_RECEIVE_INLINE;
	if (vf_chance(70))
		f |= VG_IPC_SEND;
	if (vf_chance(40))
		f |= VG_IPC_SEND_NONBLOCKING;
	if (vf_chance(40))
		f |= VG_IPC_SEND_ACTIVATE;
	if (vf_chance(50))
		f |= VG_IPC_SEND_INLINE;
	if (vf_chance(92))
		f |= VG_IPC_RETURN;
	if (vf_chance(30))
		f |= VG_IPC_INLINE_CAP;
	f |= VG_IPC_INLINE_WORDS(vf_chance(2) ? 5 + vf_below(3) :
	    vf_below(5));
	if (vf_chance(20))
		f |= VG_IPC_RECEIVE_SET_THREAD_TO_CALLER;
	if (vf_chance(20))
		f |= VG_IPC_RECEIVE_SET_ASROOT_TO_CALLERS;
	if (vf_chance(20))
		f |= VG_IPC_SEND_SET_THREAD_TO_CALLER;
	if (vf_chance(20))
		f |= VG_IPC_SEND_SET_ASROOT_TO_CALLERS;
	if (vf_chance(3))
		f |= 1u << (6 + vf_below(26));
	if (!bind_space)
		f &= ~(uint32_t)(VG_IPC_RECEIVE_SET_ASROOT_TO_CALLERS |
		    VG_IPC_SEND_SET_ASROOT_TO_CALLERS);
	if (!bind_thread)
		f &= ~(uint32_t)(VG_IPC_RECEIVE_SET_THREAD_TO_CALLER |
		    VG_IPC_SEND_SET_THREAD_TO_CALLER);
	return f;
}

/* A target in SB's view: a messenger to send to, an object to invoke,
 * or anything. */
static vg_addr_t
target_sb(void)
{
	static const enum vg_type types[] = {
		VG_TYPE_RMESSENGER, VG_TYPE_RMESSENGER, VG_TYPE_MESSENGER,
		VG_TYPE_THREAD, VG_TYPE_FOLIO, VG_TYPE_CAPPAGE, VG_TYPE_PAGE,
		VG_TYPE_ACTIVITY,
	};

	if (vf_chance(80))
		return vf_addr_sb_typed(types[vf_below(8)]);
	return vf_addr_sb();
}

/* A messenger of the playground (or an MB) for my own vg_ipc: my view
 * of it, and its buffer page (victim page + 1; 0: not known). */
struct msgr {
	vg_addr_t mine;
	unsigned page;
};

static struct msgr
pick_msgr(void)
{
	int j;

	if (vf_chance(30)) {
		unsigned k = (unsigned)vf_below(VF_MB);

		return (struct msgr){ vf.p_mb[k], k + 1 };
	}
	j = vf_pick_slot(VG_TYPE_MESSENGER);
	if (j >= 0 && vf_chance(90))
		return (struct msgr){ vf_my_slot((unsigned)j),
		    vf.slot[j].page };
	return (struct msgr){ vf_addr_my_messenger(), 0 };
}

/* Write a message into victim page PAGE (+ 1): hostile counts, random
 * addresses, random data; true if the page was there. */
static bool
write_message(unsigned page, const uint64_t *words, unsigned nwords,
    const vg_addr_t *caps, unsigned ncaps)
{
	static uint64_t buf[VG_PAGE_SIZE / 8];
	struct vg_message *m = (struct vg_message *)(void *)buf;
	uint64_t n;

	if (page == 0)
		return false;
	vg_message_clear(m);
	if (words != NULL) {
		for (unsigned i = 0; i < ncaps; i++)
			vg_message_append_cap(m, caps[i]);
		for (unsigned i = 0; i < nwords; i++)
			vg_message_append_word(m, words[i]);
		n = 8 + 8 * (uint64_t)ncaps + 8 * (uint64_t)nwords;
	} else {
		static const uint16_t counts[] = { 0, 1, 2, 3, 4, 31, 32, 33,
		    200, 0xffff };
		uint32_t nc = vf_chance(80) ? (uint32_t)vf_below(5) :
		    counts[vf_below(10)];
		uint32_t len = vf_chance(80) ? (uint32_t)vf_below(200) :
		    (uint32_t)vf_below(0x10000);

		m->cap_count = (uint16_t)nc;
		m->data_count = (uint16_t)len;
		m->cap_void = (uint32_t)vf_rand();
		for (uint32_t i = 0; i < nc && i < VG_MESSAGE_CAPS_MAX; i++)
			m->caps[i] = vf_addr_sb();
		n = vf_chance(10) ? VG_PAGE_SIZE : 8 + 8 * 32 + 256;
		vf_fill((uint8_t *)buf + 8 + 8 * (nc < 32 ? nc : 32),
		    n - 8 - 8 * (nc < 32 ? nc : 32));
	}
	return vf_probe_copy(vf_victim(page - 1), buf, n) != VF_FAULTED;
}

/* Load victim page PAGE (+ 1) with N slots to receive capabilities at. */
static void
preload(unsigned page, unsigned n)
{
	vg_addr_t slots[VG_MESSAGE_CAPS_MAX];
	uint64_t head;

	if (page == 0)
		return;
	if (n > VG_MESSAGE_CAPS_MAX)
		n = VG_MESSAGE_CAPS_MAX;
	for (unsigned i = 0; i < n; i++)
		slots[i] = vf_chance(60) ? vf_sb_slot(vf_pick_dyn_slot()) :
		    vf_addr_sb();
	head = n;
	if (vf_chance(5))
		head = vf_below(0x10000);
	(void)vf_probe_copy(vf_victim(page - 1), &head, 8);
	(void)vf_probe_copy(vf_victim(page - 1) + 8, slots, 8 * (uint64_t)n);
}

static void
op_ipc(void)
{
	struct msgr s = pick_msgr(), r = pick_msgr();
	struct vg_ipc_args a = {
		.flags = ipc_flags(false, false),
		.reserved = vf_chance(2) ? (uint32_t)vf_rand() : 0,
		.recv_messenger = r.mine,
		.recv_inline_cap = vf_chance(70) ?
		    vf_sb_slot(vf_pick_dyn_slot()) : vf_addr_sb(),
		.target = target_sb(),
		.send_messenger = s.mine,
		.inline_cap = vf_addr_sb(),
	};

	for (unsigned i = 0; i < VG_INLINE_WORDS; i++)
		a.inline_words[i] = vf_word();
	if (vf_chance(30))
		(void)write_message(s.page, NULL, 0, NULL, 0);
	if ((a.flags & VG_IPC_RECEIVE) && vf_chance(40))
		preload(r.page, (unsigned)vf_below(5));
	vf_trace(OP_IPC, a.flags, a.target.raw);
	(void)raw_ipc(&a);
}

/* --- kernel methods, from the playground's messengers --------------------------- */

struct request {
	uint64_t w[8];
	unsigned nwords;	/* the words it needs */
	vg_addr_t c[4];
	unsigned ncaps;
};

static uint64_t
exregs_control(void)
{
	uint64_t c = vf_below(VG_EXREGS_CONTROL_ALL + 1);

	if (vf_chance(5))
		c |= 1ull << (6 + vf_below(58));
	/* The playground's threads do not run (vmfuzz.h). */
	if (!vf.run_threads)
		c &= ~(uint64_t)VG_EXREGS_START;
	return c;
}

static uint64_t
translator(void)
{
	struct vg_cap_translator tr = { 0 };

	tr.guard_depth = (uint8_t)(vf_chance(90) ? vf_below(11) :
	    vf_below(256));
	tr.guard = (uint32_t)(vf_chance(90) && tr.guard_depth < 32 ?
	    vf_below(1ull << tr.guard_depth) : vf_rand());
	tr.subpage_log2 = (uint8_t)(vf_chance(90) ? vf_below(8) :
	    vf_below(256));
	tr.subpage = (uint8_t)(vf_chance(90) && tr.subpage_log2 < 8 ?
	    vf_below(1u << tr.subpage_log2) : vf_below(256));
	if (vf_chance(3))
		tr.reserved = (uint8_t)(1 + vf_below(255));
	return vg_translator_pack(tr);
}

static unsigned
copy_flags(void)
{
	unsigned f = 0;

	if (vf_chance(25))
		f |= VG_CAP_COPY_WEAKEN;
	if (vf_chance(25))
		f |= VG_CAP_COPY_GUARD;
	if (vf_chance(10))
		f |= VG_CAP_COPY_SOURCE_GUARD;
	if (vf_chance(20))
		f |= VG_CAP_COPY_SUBPAGE;
	if (vf_chance(3))
		f |= 1u << (4 + vf_below(28));
	return f;
}

/* The method for an object of TYPE, and its words. */
static void
method_for(enum vg_type type, struct request *q)
{
	static const uint64_t by_type[VG_TYPE_COUNT][8] = {
		[VG_TYPE_PAGE] = { 0x001, 0x002, 0x001 },
		[VG_TYPE_RPAGE] = { 0x001, 0x002 },
		[VG_TYPE_CAPPAGE] = { 0x001, 0x002, 0x100, 0x100, 0x101,
		    0x102 },
		[VG_TYPE_RCAPPAGE] = { 0x001, 0x002, 0x100, 0x101, 0x102 },
		[VG_TYPE_FOLIO] = { 0x001, 0x100, 0x101, 0x200, 0x200, 0x200,
		    0x201 },
		[VG_TYPE_ACTIVITY] = { 0x001, 0x300, 0x300, 0x301, 0x302 },
		[VG_TYPE_THREAD] = { 0x001, 0x100, 0x101, 0x400, 0x400, 0x401,
		    0x402, 0x403 },
		[VG_TYPE_MESSENGER] = { 0x001, 0x100, 0x101, 0x500, 0x501,
		    0x502, 0x503, 0x504 },
		[VG_TYPE_RMESSENGER] = { 0x505, 0x503, 0x600, 0x601, 0x602 },
	};
	const uint64_t *list = type < VG_TYPE_COUNT ? by_type[type] : NULL;
	unsigned n = 0;
	uint64_t m;

	while (list != NULL && n < 8 && list[n] != 0)
		n++;
	if (n == 0 || vf_chance(15))
		m = vf_chance(50) ? vf_word() : 0x100u * vf_below(8) +
		    vf_below(8);
	else
		m = list[vf_below(n)];
	q->w[0] = m;
	q->nwords = 1;
	for (unsigned i = 1; i < 8; i++)
		q->w[i] = vf_word();
	switch (m) {
	case VG_METHOD_CAP_COPY:
		q->w[1] = vf_addr_rel().raw;
		q->w[2] = vf_addr_rel().raw;
		q->w[3] = copy_flags();
		q->w[4] = translator();
		q->nwords = 5;
		if (vf_chance(30))
			q->c[q->ncaps++] = vf_addr_sb();
		break;
	case VG_METHOD_CAP_READ:
	case VG_METHOD_CAP_RUBOUT:
		q->w[1] = vf_addr_rel().raw;
		q->nwords = 2;
		break;
	case VG_METHOD_FOLIO_OBJECT_ALLOC:
		q->w[1] = vf_chance(90) ? vf_below(VG_FOLIO_OBJECTS) :
		    vf_word();
		q->w[2] = vf_chance(90) ? vf_below(VG_TYPE_COUNT) : vf_word();
		q->nwords = 3;
		break;
	case VG_METHOD_ACTIVITY_SET_LIMIT:
		q->w[1] = vf_chance(90) ? vf_below(VG_ACTIVITY_LIMIT_COUNT) :
		    vf_word();
		q->w[2] = vf_chance(50) ? 129 * vf_below(16) :
		    vf_chance(50) ? vf_below(8) : vf_word();
		q->nwords = 3;
		break;
	case VG_METHOD_THREAD_EXREGS:
		q->w[1] = exregs_control();
		q->w[2] = vf_ip();
		q->w[3] = vf_sp();
		q->w[4] = vf_ip();
		q->w[5] = vf_sp();
		q->w[6] = vf_ip();
		q->w[7] = q->w[6] + vf_below(256);
		q->nwords = 8;
		break;
	case VG_METHOD_THREAD_PRIORITY:
		/* 0, or refused: no thread of the playground gets above
		 * the others, which could starve the run. */
		q->w[1] = vf_chance(70) ? 0 : 4 + vf_below(1000);
		q->nwords = 2;
		break;
	case VG_METHOD_MESSENGER_ID_SET:
		q->nwords = 2;
		break;
	case VG_METHOD_MESSENGER_FLAGS:
		q->w[1] = vf_chance(90) ? vf_below(16) : vf_word();
		q->w[2] = vf_chance(90) ? vf_below(16) : vf_word();
		q->nwords = 3;
		break;
	case VG_METHOD_INDEX:
	case VG_METHOD_STORE:
	case VG_METHOD_FAULT:
		q->w[1] = vf_addr_sb().raw;
		q->nwords = 4;
		break;
	default:
		q->nwords = 1;
		break;
	}
	/* Fewer words than it needs, or all eight. */
	if (vf_chance(8))
		q->nwords = (unsigned)vf_below(q->nwords + 1);
	else if (vf_chance(8))
		q->nwords = 8;
}

/* A reply messenger in SB's view: an MB (which receives), a messenger of
 * the playground, my virtualizer, or nothing that is one. */
static vg_addr_t
reply_sb(void)
{
	unsigned r = (unsigned)vf_below(100);

	if (r < 55)
		return vf_sb_slot(VF_SB_MB + (unsigned)vf_below(VF_MB));
	if (r < 75)
		return vf_addr_sb_typed(VG_TYPE_MESSENGER);
	if (r < 80)
		return vf_sb_slot(VF_SB_VZ);
	if (r < 90)
		return vf_addr_sb_typed(VG_TYPE_RMESSENGER);
	return vf_addr_sb();
}

static void
op_invoke(void)
{
	static const enum vg_type types[] = {
		VG_TYPE_PAGE, VG_TYPE_CAPPAGE, VG_TYPE_FOLIO,
		VG_TYPE_ACTIVITY, VG_TYPE_THREAD, VG_TYPE_THREAD,
		VG_TYPE_MESSENGER, VG_TYPE_MESSENGER, VG_TYPE_RCAPPAGE,
		VG_TYPE_RMESSENGER,
	};
	enum vg_type type = types[vf_below(10)];
	struct request q = { .ncaps = 1 };
	struct msgr s = pick_msgr();
	struct vg_ipc_args a = {
		.flags = VG_IPC_SEND | (vf_chance(95) ? VG_IPC_RETURN : 0),
		.send_messenger = s.mine,
	};

	a.target = vf_addr_sb_typed(type);
	method_for(type, &q);
	q.c[0] = reply_sb();
	if (vf_chance(10))
		q.ncaps = (unsigned)vf_below(5);
	for (unsigned i = 1; i < q.ncaps; i++)
		if (vg_addr_is_void(q.c[i]))
			q.c[i] = vf_addr_sb();
	if (vf_chance(20))
		a.flags |= VG_IPC_SEND_NONBLOCKING;
	if (vf_chance(30))
		a.flags |= VG_IPC_SEND_ACTIVATE;
	if ((q.nwords <= VG_INLINE_WORDS && q.ncaps <= 1 && vf_chance(60)) ||
	    !write_message(s.page, q.w, q.nwords, q.c, q.ncaps)) {
		unsigned n = q.nwords < VG_INLINE_WORDS ? q.nwords :
		    VG_INLINE_WORDS;

		a.flags |= VG_IPC_SEND_INLINE | VG_IPC_INLINE_WORDS(n) |
		    (q.ncaps > 0 ? VG_IPC_INLINE_CAP : 0);
		for (unsigned i = 0; i < n; i++)
			a.inline_words[i] = q.w[i];
		a.inline_cap = q.c[0];
	}
	/* The reply may be for an MB that is not receiving: let it. */
	if (vf_chance(30)) {
		unsigned k = (unsigned)vf_below(VF_MB);

		a.flags |= VG_IPC_RECEIVE | VG_IPC_RECEIVE_ACTIVATE;
		a.recv_messenger = vf.p_mb[k];
	}
	vf_trace(OP_INVOKE, q.w[0], a.target.raw);
	(void)raw_ipc(&a);
}

/* --- capability copies, creation, destruction ----------------------------------- */

/* A place of the playground in my view: a slot of SB's, or a slot of an
 * object I made there. */
static vg_addr_t
my_place(bool dyn)
{
	unsigned j = dyn ? vf_pick_dyn_slot() : 128 + (unsigned)vf_below(128);
	vg_addr_t a = vf_my_slot(j);

	switch (vf.slot[j].type) {
	case VG_TYPE_CAPPAGE:
		if (vf_chance(50))
			a = vg_addr_extend(a, vf_below(256), 8);
		break;
	case VG_TYPE_THREAD:
	case VG_TYPE_MESSENGER:
		if (vf_chance(50))
			a = vg_addr_extend(a, vf_below(4), 2);
		break;
	case VG_TYPE_FOLIO:
		if (vf_chance(30))
			a = vg_addr_extend(a, vf_below(128), 7);
		break;
	default:
		break;
	}
	return a;
}

/* A source for a copy into the playground: of the playground, or of
 * mine that may go there weakened (vmfuzz.h).  *WEAK: it must be. */
static vg_addr_t
copy_source(bool *weak)
{
	struct vg_runtime *rt = vg_self();

	*weak = false;
	switch (vf_below(12)) {
	case 0:
		*weak = true;
		return vf.p_mb[vf_below(VF_MB)];
	case 1:
		*weak = true;
		switch (vf_below(5)) {
		case 0:
			return rt->thread;
		case 1:
			return rt->activity;
		case 2:
			return rt->folio;
		case 3:
			return vg_addr_of_data(vf.print_va);
		default:
			return vg_addr_of_data(VF_TRAP_VA(vf_below(
			    VF_TRAP_PAGES)));
		}
	case 2:
		return vg_addr_of_data(vf_victim((unsigned)vf_below(
		    VF_VICTIM_PAGES)));
	case 3:
		return vf.p_sb;
	default:
		return my_place(false);
	}
}

static void
op_copy(void)
{
	struct vg_runtime *rt = vg_self();
	bool weak;
	vg_addr_t src = copy_source(&weak);
	vg_addr_t dst;
	unsigned flags = copy_flags();
	uint64_t trw = translator();
	enum vg_err err;

	switch (vf_below(10)) {
	case 0:		/* a page slot of SB's victim region */
		dst = vg_as_page_slot(&vf.sb, vf_victim((unsigned)vf_below(
		    VF_VICTIM_PAGES)));
		break;
	case 1:
		dst = vf.p_x[vf_below(VF_PX)];
		break;
	case 2:		/* SB's region for virtual faults */
		dst = vf_my_slot(VF_VIRT_VA >> VG_BOOT_REGION_SHIFT);
		break;
	default:
		dst = my_place(vf_chance(60));
		break;
	}
	if (weak)
		flags |= VG_CAP_COPY_WEAKEN;
	/* SB itself goes where spaces go, with the root's guard. */
	if (vg_addr_eq(src, vf.p_sb) && vf_chance(70)) {
		flags = (flags | VG_CAP_COPY_GUARD) & ~(unsigned)
		    VG_CAP_COPY_SOURCE_GUARD;
		trw = vg_translator_pack(ROOT_GUARD);
	}
	vf_trace(OP_COPY, dst.raw, src.raw);
	vf_count_syscall();
	err = vg_cap_copy(vf_kc(), rt->self_root, vg_as_local(dst),
	    vg_as_local(src), flags, vg_translator_unpack(trw), VG_ADDR_VOID,
	    NULL);
	vf_trace_result(err);
}

static const enum vg_type new_types[] = {
	VG_TYPE_PAGE, VG_TYPE_CAPPAGE, VG_TYPE_CAPPAGE, VG_TYPE_THREAD,
	VG_TYPE_MESSENGER, VG_TYPE_MESSENGER, VG_TYPE_MESSENGER,
	VG_TYPE_ACTIVITY, VG_TYPE_VOID,
};

static void
op_create(void)
{
	struct vg_runtime *rt = vg_self();
	unsigned j = vf_pick_dyn_slot();
	int f;
	enum vg_err err;

	switch (vf_below(10)) {
	case 0: {	/* a folio from my sub-activity, or another */
		int act = vf_pick_slot(VG_TYPE_ACTIVITY);

		vg_addr_t from = act >= 0 && vf_chance(50) ?
		    vf_my_slot((unsigned)act) : vf.p_act;

		if (!vf_target_ok(from))
			return;
		vf_count_syscall();
		err = vg_activity_folio_alloc(vf_kc(), from, vf_my_slot(j));
		if (err == VG_OK)
			vf.slot[j] = (struct vf_slot){ .type = VG_TYPE_FOLIO };
		vf_trace(OP_CREATE, VG_TYPE_FOLIO, j);
		vf_trace_result(err);
		return;
	}
	case 1: {	/* one from mine (the oldest of those goes) */
		unsigned k = (unsigned)vf_below(VF_OWN);

		vf_trace(OP_CREATE, VG_TYPE_FOLIO | 0x100, j);
		err = vf_own_folio(k);
		if (err == VG_OK) {
			vf_count_syscall();
			err = vg_as_copy(vf_kc(), rt->self_root, vf_my_slot(j),
			    vf.p_own[k], 0, NONE);
		}
		if (err == VG_OK)
			vf.slot[j] = (struct vf_slot){ .type = VG_TYPE_FOLIO };
		vf_trace_result(err);
		return;
	}
	default:
		break;
	}
	/* An object of a folio of the playground. */
	f = vf_chance(60) ? VF_SB_PF : vf_pick_slot(VG_TYPE_FOLIO);
	if (f < 0)
		f = VF_SB_PF;
	{
		enum vg_type type = new_types[vf_below(sizeof(new_types) /
		    sizeof(new_types[0]))];
		unsigned index;

		if (f == VF_SB_PF) {
			/* Mostly past what the world is made of. */
			if (vf_chance(95))
				index = 1 + VF_VICTIM_PAGES + 8 + (unsigned)
				    vf_below(VG_FOLIO_OBJECTS - 1 -
				    VF_VICTIM_PAGES - 8);
			else
				index = (unsigned)vf_below(VG_FOLIO_OBJECTS);
		} else {
			index = (unsigned)vf_below(VG_FOLIO_OBJECTS);
		}
		vf_trace(OP_CREATE, type | (uint64_t)index << 8, j);
		if (!vf_target_ok(vf_folio_addr((unsigned)f)))
			return;
		vf_count_syscall();
		err = vg_folio_object_alloc(vf_kc(), vf_folio_addr((unsigned)f),
		    index, type, 0, vf_my_slot(j));
		vf_trace_result(err);
		if (err == VG_OK) {
			vf.slot[j] = (struct vf_slot){ .type = (uint8_t)type,
			    .folio = (uint8_t)f, .index = (uint8_t)index };
			vf_setup_object(j);
		}
	}
}

static void
op_destroy(void)
{
	unsigned r = (unsigned)vf_below(100);
	enum vg_err err = VG_OK;

	if (r < 50) {		/* one object I made */
		unsigned j = 128 + (unsigned)vf_below(128);
		struct vf_slot *s = &vf.slot[j];

		if (s->folio == 0 || s->type == VG_TYPE_VOID)
			return;
		vf_trace(OP_DESTROY, s->folio, s->index);
		if (!vf_target_ok(vf_folio_addr(s->folio)))
			return;
		vf_count_syscall();
		err = vg_folio_object_alloc(vf_kc(), vf_folio_addr(s->folio),
		    s->index, VG_TYPE_VOID, 0, VG_ADDR_VOID);
		s->type = VG_TYPE_VOID;
	} else if (r < 75) {	/* a folio, and all in it */
		int j = vf_pick_slot(VG_TYPE_FOLIO);

		if (j < 0 || (j == VF_SB_PF && vf_chance(80)))
			return;
		vf_trace(OP_DESTROY, 0x201, (uint64_t)j);
		if (!vf_target_ok(vf_folio_addr((unsigned)j)))
			return;
		vf_count_syscall();
		err = vg_folio_free(vf_kc(), vf_folio_addr((unsigned)j));
		vf.slot[j].type = VG_TYPE_VOID;
	} else if (r < 85) {	/* my sub-activity: all it has */
		vf_trace(OP_DESTROY, 0x300, VF_SB_ACT);
		if (!vf_target_ok(vf.p_pf))
			return;
		vf_count_syscall();
		err = vg_folio_object_alloc(vf_kc(), vf.p_pf, 0,
		    VG_TYPE_ACTIVITY, 0, vf.p_act);
		if (err == VG_OK)
			(void)vf_sb_put(VF_SB_ACT, vf.p_act, 0, NONE);
	} else {		/* in use by me: an MB, G, the virtualizer */
		unsigned i = (unsigned)vf_below(VF_MF_AM + 1);

		if (i == VF_MF_SB)
			return;
		vf_trace(OP_DESTROY, 0x400, i);
		vf_count_syscall();
		err = vg_folio_object_alloc(vf_kc(), vf.p_mf, i, VG_TYPE_VOID, 0,
		    VG_ADDR_VOID);
		vf.broken = true;
	}
	vf_trace_result(err);
}

/* --- my own objects ------------------------------------------------------------- */

static void
op_self(void)
{
	struct vg_runtime *rt = vg_self();
	struct vg_call *c = vf_kc();
	enum vg_type type;
	struct vg_cap_translator tr;
	uint64_t w1 = 0, w2 = 0, w3 = 0;
	uint32_t oid, version;
	enum vg_err err = VG_OK;
	unsigned what = (unsigned)vf_below(16);

	vf_trace(OP_SELF, what, 0);
	vf_count_syscall();
	switch (what) {
	case 0: {	/* my thread: read it, or ask what it must refuse */
		struct vg_exregs x = { .control = 0 };
		struct vg_exregs_old old;

		if (vf_chance(30))
			x.control = vf_chance(50) ? (VG_EXREGS_STOP |
			    VG_EXREGS_START) : 1ull << (6 + vf_below(58));
		err = vg_thread_exregs(c, rt->thread, &x, &old);
		if (x.control != 0 && err != VG_ERR_INVALID)
			vf_oracle("THREAD_EXREGS(%#lx) on me: %s",
			    (unsigned long)x.control, vg_strerror(err));
		break;
	}
	case 1:
		err = vg_thread_id(c, rt->thread, &w1);
		break;
	case 2:
		err = vg_thread_priority(c, rt->thread, vf_chance(50) ? 0 :
		    4 + vf_below(100), &w1);
		break;
	case 3:		/* nothing is queued on me here */
		err = vg_thread_activation_collect(c, rt->thread, &w1, &w2);
		if (err == VG_OK && w1 != 0)
			vf_oracle("COLLECT on me moved an activation");
		break;
	case 4:
		err = vg_activity_info(c, rt->activity, &w1, &w2, &w3);
		break;
	case 5:		/* my own limits are my parent's to set */
		err = vg_activity_set_quota(c, rt->activity, vf.quota);
		if (err != VG_ERR_RIGHTS)
			vf_oracle("a program set its own activity's quota");
		break;
	case 6:
		err = vg_object_status(c, vf_chance(50) ? rt->self_root :
		    vf_chance(50) ? rt->folio : rt->thread, &type, &oid,
		    &version);
		break;
	case 7:		/* read any slot of my space */
		err = vg_cap_read(c, rt->self_root, vf_addr_rel(), &type, &tr,
		    NULL);
		break;
	case 8:		/* read what my folio holds */
		err = vg_cap_read(c, rt->folio, vg_addr(vf_below(128), 7),
		    &type, &tr, NULL);
		break;
	case 9:
		err = vg_cap_read(c, rt->thread, vg_addr(vf_below(4), 2),
		    &type, &tr, NULL);
		break;
	case 10: {	/* an MB's flags */
		uint32_t flags;

		err = vg_messenger_flags(c, vf.p_mb[vf_below(VF_MB)],
		    (uint32_t)vf_below(16), (uint32_t)vf_below(16), &flags);
		break;
	}
	case 11:
		err = vf_chance(50) ? vg_messenger_block(c,
		    vf.p_mb[vf_below(VF_MB)]) : vg_messenger_unblock(c,
		    vf.p_mb[vf_below(VF_MB)]);
		break;
	case 12:
		err = vg_messenger_cancel(c, vf.p_mb[vf_below(VF_MB)]);
		break;
	case 13:	/* an MB's id: another MB's until the next check (not
			 * nobody's: the dispatcher would print a line) */
		if (vf_chance(80))
			err = vg_messenger_id_get(c, vf.p_mb[vf_below(VF_MB)],
			    &w1);
		else
			err = vg_messenger_id_set(c, vf.p_mb[vf_below(VF_MB)],
			    vf_mb_id((unsigned)vf_below(VF_MB)));
		break;
	case 14:	/* a folio from my activity, freed when the next comes */
		err = vf_own_folio((unsigned)vf_below(VF_OWN));
		break;
	default:	/* my boot messenger */
		err = vg_messenger_flags(c, rt->messenger, 0, 0, NULL);
		break;
	}
	vf_trace_result(err);
	if ((uint64_t)err >= VG_ERR_COUNT)
		vf_oracle("a method on my own object returned %d", err);
}

/* --- faults of mine -------------------------------------------------------------- */

/* A probe at VA that must fault with ERR (and VECTOR, if not 0). */
static void
expect_fault(uint64_t r, const char *what, uint64_t va, enum vg_err err,
    uint32_t vector)
{
	struct vf_fault f = vf_last_fault();

	if (r != VF_FAULTED) {
		vf_oracle("%s at %#lx did not fault", what, (unsigned long)va);
		return;
	}
	/* A page fault says its vector, 14, or (as the kernel does now)
	 * 0: docs/abi.md 11.3 and vg/utcb.h differ. */
	if (vector == 14 && f.vector == 0)
		vector = 0;
	if (f.error != (int32_t)err || (vector != 0 && f.vector != vector))
		vf_oracle("%s at %#lx: %s vector %u, want %s vector %u", what,
		    (unsigned long)va, vg_strerror(f.error), f.vector,
		    vg_strerror(err), vector);
}

/* The vector a trap byte raises. */
static uint32_t
trap_vector(uint8_t b)
{
	switch (b) {
	case 0xcc:
		return 3;
	case 0xf4: case 0xfa: case 0xfb: case 0xec: case 0xed: case 0x6c:
	case 0x6d:
		return 13;
	default:
		return 6;
	}
}

static void
op_probe(void)
{
	uint64_t va, r;
	unsigned what = (unsigned)vf_below(12);

	switch (what) {
	case 0:		/* a hole in my space */
		va = VF_HOLE_VA + vf_below(1u << 22);
		vf_trace(OP_PROBE, what, va);
		expect_fault(vf_probe_load(va), "load", va, VG_ERR_VOID, 0);
		break;
	case 1:		/* the kernel's half */
		va = 0xffff800000000000ull + vf_below(1ull << 40);
		vf_trace(OP_PROBE, what, va);
		expect_fault(vf_probe_load(va), "load", va, VG_ERR_ADDR, 14);
		break;
	case 2:		/* read-only: a trap page, my code */
		va = vf_chance(50) ? VF_TRAP_VA(vf_below(VF_TRAP_PAGES)) :
		    (uint64_t)(uintptr_t)vf_trap_bytes;
		va += 8 * vf_below(64);
		vf_trace(OP_PROBE, what, va);
		expect_fault(vf_probe_store(va, vf_rand()), "store", va,
		    VG_ERR_WEAK, 0);
		break;
	case 3: {	/* a jump onto a trap byte */
		unsigned t = (unsigned)vf_below(VF_TRAP_PAGES);
		unsigned off = (unsigned)vf_below(VG_PAGE_SIZE);
		const uint8_t *p = VG_PTR(VF_TRAP_VA(t));

		va = VF_TRAP_VA(t) + off;
		vf_trace(OP_PROBE, what, va);
		r = vf_probe_jump(va);
		expect_fault(r, "jump", va, VG_ERR_EXCEPTION,
		    trap_vector(p[off]));
		break;
	}
	case 4:		/* a jump nowhere */
		va = vf_chance(50) ? VF_HOLE_VA + vf_below(1u << 22) :
		    vf_below(4096);
		vf_trace(OP_PROBE, what, va);
		expect_fault(vf_probe_jump(va), "jump", va, VG_ERR_VOID, 0);
		break;
	case 5: {	/* an instruction that faults */
		static const uint32_t vectors[VF_PROBE_INSNS] = {
			6, 3, 0, 13, 13, 13 };
		unsigned k = (unsigned)vf_below(VF_PROBE_INSNS);

		vf_trace(OP_PROBE, what, k);
		expect_fault(vf_probe_insn(k), "instruction", k,
		    VG_ERR_EXCEPTION, vectors[k]);
		break;
	}
	case 6:		/* a victim page: there or destroyed */
	case 7:
		va = vf_victim((unsigned)vf_below(VF_VICTIM_PAGES)) +
		    8 * vf_below(512);
		vf_trace(OP_PROBE, what, va);
		r = what == 6 ? vf_probe_load(va) : vf_probe_store(va,
		    vf_rand());
		(void)r;
		break;
	case 8:		/* my own data, read */
		va = (uint64_t)(uintptr_t)&vf + 8 * vf_below(64);
		vf_trace(OP_PROBE, what, va);
		if (vf_probe_load(va) == VF_FAULTED)
			vf_oracle("a load of my own data at %#lx faulted",
			    (unsigned long)va);
		break;
	case 9:		/* a non-canonical jump */
		va = (vf_rand() & ~(1ull << 62)) | 1ull << 63;
		vf_trace(OP_PROBE, what, va);
		expect_fault(vf_probe_jump(va), "jump", va, VG_ERR_EXCEPTION,
		    13);
		break;
	case 10:	/* SB's virtual region is not mine: a hole here */
		va = VF_VIRT_VA + vf_below(1u << 22);
		vf_trace(OP_PROBE, what, va);
		expect_fault(vf_probe_load(va), "load", va, VG_ERR_VOID, 0);
		break;
	default:	/* a store to the kernel's half */
		va = 0xffffffff80000000ull + 8 * vf_below(1u << 20);
		vf_trace(OP_PROBE, what, va);
		expect_fault(vf_probe_store(va, 0), "store", va, VG_ERR_ADDR,
		    14);
		break;
	}
}

/* --- the guest, the virtualizer, pages, threads ---------------------------------- */

static void
op_guest(void)
{
	struct vf_greq *q = vf.req;
	uint64_t seq = q->seq + 1 + vf_below(1000);

	if (vf_chance(70)) {
		struct vg_ipc_args a = {
			.flags = ipc_flags(true, vf.run_threads),
			.recv_messenger = vf_addr_sb_typed(VG_TYPE_MESSENGER),
			.recv_inline_cap = vf_addr_sb(),
			.target = target_sb(),
			.send_messenger = vf_addr_sb_typed(VG_TYPE_MESSENGER),
			.inline_cap = vf_addr_sb(),
		};

		q->kind = VF_G_IPC;
		q->regs[0] = a.flags | (vf_chance(2) ? vf_rand() << 32 : 0);
		q->regs[1] = a.recv_messenger.raw;
		q->regs[2] = a.recv_inline_cap.raw;
		q->regs[3] = a.target.raw;
		q->regs[4] = a.send_messenger.raw;
		q->regs[5] = a.inline_cap.raw;
		for (unsigned i = 6; i < 10; i++)
			q->regs[i] = vf_word();
	} else {
		q->kind = vf_chance(50) ? VF_G_LOAD : VF_G_STORE;
		switch (vf_below(4)) {
		case 0:
			q->regs[0] = VF_VIRT_VA + 8 * vf_below(1u << 19);
			break;
		case 1:
			q->regs[0] = vf_victim((unsigned)vf_below(
			    VF_VICTIM_PAGES)) + 8 * vf_below(512);
			break;
		case 2:
			q->regs[0] = VF_HOLE_VA + 8 * vf_below(1u << 19);
			break;
		default:
			q->regs[0] = vf_word() & ~7ull;
			break;
		}
	}
	q->seq = seq;
	vf_trace(OP_GUEST, q->kind, q->regs[q->kind == VF_G_IPC ? 3 : 0]);
	t_mailbox()->value[T_VF_GUEST] = q->taken;
	vf_guest_kick();
}

static void
op_page(void)
{
	unsigned page = 1 + (unsigned)vf_below(VF_VICTIM_PAGES);

	vf_trace(OP_PAGE, page, 0);
	if (vf_chance(40))
		preload(page, (unsigned)vf_below(6));
	else
		(void)write_message(page, NULL, 0, NULL, 0);
}

static void
op_thread(void)
{
	/* G too, if the playground's threads may run (vmfuzz.h). */
	bool guest = vf.run_threads && vf_chance(30);
	int j = guest ? VF_SB_G : vf_pick_slot(VG_TYPE_THREAD);
	vg_addr_t t;
	enum vg_err err;
	uint64_t w1, w2;

	if (j < 0)
		return;
	t = guest ? vf.p_g : vf_my_slot((unsigned)j);
	vf_trace(OP_THREAD, (uint64_t)j, 0);
	if (!vf_target_ok(t))
		return;
	vf_count_syscall();
	switch (vf_below(6)) {
	case 0:
	case 1: {
		struct vg_exregs x = {
			.control = exregs_control(),
			.ip = vf_ip(), .sp = vf_sp(),
			.handler_ip = vf_ip(), .handler_sp = vf_sp(),
			.exit_start = vf_ip(),
		};
		struct vg_exregs_old old;

		x.exit_end = x.exit_start + vf_below(64);
		err = vg_thread_exregs(vf_kc(), t, &x, &old);
		break;
	}
	case 2:
		err = vg_thread_priority(vf_kc(), t, vf_chance(70) ? 0 :
		    4 + vf_below(10), &w1);
		break;
	case 3:
		err = vg_thread_activation_collect(vf_kc(), t, &w1, &w2);
		break;
	case 4:
		err = vg_thread_id(vf_kc(), t, &w1);
		break;
	default:
		if (!guest)
			vf_setup_object((unsigned)j);
		err = VG_OK;
		break;
	}
	vf_trace_result(err);
}

static void
op_virt(void)
{
	struct msgr s = pick_msgr();
	struct vg_ipc_args a = {
		.flags = VG_IPC_SEND | VG_IPC_RETURN,
		.send_messenger = s.mine,
	};
	vg_addr_t through = vg_addr_extend(vf_sb_slot(VF_SB_VZ),
	    vf_below(256), 1 + (unsigned)vf_below(8));

	switch (vf_below(4)) {
	case 0:		/* somewhere walks will meet it */
		vf_trace(OP_VIRT, 0, 0);
		vf_virt_place();
		return;
	case 1:		/* a send whose target is virtual: INDEX */
		a.target = vf_chance(80) ? through : vf_addr_sb();
		a.flags |= VG_IPC_SEND_INLINE | VG_IPC_INLINE_WORDS(1);
		a.inline_words[0] = VG_METHOD_OBJECT_STATUS;
		break;
	case 2:		/* a capability of a message that is: INDEX */
		a.target = vf_addr_sb_typed(VG_TYPE_RMESSENGER);
		a.flags |= VG_IPC_SEND_INLINE | VG_IPC_INLINE_WORDS(2) |
		    VG_IPC_INLINE_CAP;
		a.inline_cap = through;
		break;
	default: {	/* a receiver's slot that is: STORE */
		struct msgr r = pick_msgr();
		vg_addr_t slot = through;
		uint64_t head = 1;

		if (r.page != 0) {
			(void)vf_probe_copy(vf_victim(r.page - 1), &head, 8);
			(void)vf_probe_copy(vf_victim(r.page - 1) + 8, &slot,
			    8);
		}
		a.flags |= VG_IPC_RECEIVE | VG_IPC_RECEIVE_ACTIVATE;
		a.recv_messenger = r.mine;
		break;
	}
	}
	vf_trace(OP_VIRT, a.flags, a.target.raw);
	(void)raw_ipc(&a);
}

/* --- other system calls ------------------------------------------------------------ */

static void
op_syscall(void)
{
	uint64_t regs[11];
	uint64_t r;

	for (unsigned i = 1; i < 11; i++)
		regs[i] = vf_word();
	/* A number that is no call: any but vg_ipc's, 0 (the two debug
	 * calls' numbers, 1 and 2, are no calls any more: their authority
	 * is the console's and the power object's capability). */
	do
		regs[0] = vf_chance(50) ? vf_below(300) : vf_rand();
	while ((regs[0] & 0xffffffffu) == VG_SYSCALL_IPC);
	vf_trace(OP_SYSCALL, regs[0], regs[1]);
	vf_count_syscall();
	r = vf_syscall(regs);
	vf_trace_result(r);
	if (r != VG_ERR_METHOD)
		vf_oracle("system call %#lx returned %#lx, not METHOD",
		    (unsigned long)regs[0], (unsigned long)r);
}

/*
 * A target for my own kernel calls: my slots, and SB's slots named
 * directly, never a path below one (it can go through an rmessenger,
 * where the send of my call would suspend, and my call context with it,
 * until my virtualizer answers), and never an rmessenger (vmfuzz.h).
 */
static vg_addr_t
kcall_safe(vg_addr_t a)
{
	if (vg_addr_depth(a) <= VG_AS_ROOT_SLOT_DEPTH + 8 && vf_target_ok(a))
		return a;
	return vf.p_mb[vf_below(VF_MB)];
}

/* --- hostile sequences ---------------------------------------------------------------- */

static void
op_hostile(void)
{
	struct vg_call *c = vf_kc();
	struct msgr s = pick_msgr();
	vg_addr_t through = vg_addr_extend(vf_sb_slot(VF_SB_VZ),
	    vf_below(256), 8);
	unsigned what = (unsigned)vf_below(5);
	struct vg_ipc_args a = {
		.flags = VG_IPC_SEND | VG_IPC_RETURN,
		.send_messenger = s.mine,
	};

	vf_trace(OP_HOSTILE, what, s.mine.raw);
	switch (what) {
	case 0:		/* a send suspended on my virtualizer, cancelled */
		a.target = through;
		(void)raw_ipc(&a);
		vf_count_syscall();
		(void)vg_messenger_cancel(c, kcall_safe(s.mine));
		break;
	case 1: {	/* a delivery reserved on a STORE, its receiver gone */
		int j = vf_pick_slot(VG_TYPE_MESSENGER);
		unsigned w = vf_pick_dyn_slot();
		uint64_t head = 1;

		if (j < 0 || vf.slot[j].page == 0 || vf.slot[j].folio == 0)
			return;
		(void)vf_probe_copy(vf_victim(vf.slot[j].page - 1), &head, 8);
		(void)vf_probe_copy(vf_victim(vf.slot[j].page - 1) + 8,
		    &through, 8);
		a.flags |= VG_IPC_RECEIVE | VG_IPC_SEND_INLINE |
		    VG_IPC_INLINE_WORDS(1) | VG_IPC_INLINE_CAP;
		a.recv_messenger = vf_my_slot((unsigned)j);
		vf_count_syscall();
		(void)vg_as_copy(c, vg_self()->self_root, vf_my_slot(w),
		    vf_my_slot((unsigned)j), VG_CAP_COPY_WEAKEN,
		    (struct vg_cap_translator){ 0 });
		vf.slot[w].type = VG_TYPE_RMESSENGER;
		a.target = vf_sb_slot(w);
		a.inline_cap = vf_addr_sb();
		(void)raw_ipc(&a);
		vf_count_syscall();
		if (vf_chance(50) && vf_target_ok(vf_folio_addr(
		    vf.slot[j].folio)))
			(void)vg_folio_object_alloc(c,
			    vf_folio_addr(vf.slot[j].folio), vf.slot[j].index,
			    VG_TYPE_VOID, 0, VG_ADDR_VOID);
		else
			(void)vg_messenger_cancel(c, kcall_safe(s.mine));
		break;
	}
	case 2: {	/* the guest faults on my virtualizer, then is stopped */
		struct vg_exregs stop = { .control = VG_EXREGS_STOP };

		vf.req->kind = VF_G_LOAD;
		vf.req->regs[0] = VF_VIRT_VA + 8 * vf_below(1u << 19);
		vf.req->seq++;
		vf_guest_kick();
		vf_count_syscall();
		(void)vg_thread_exregs(c, vf.p_g, &stop, NULL);
		break;
	}
	case 3: {	/* a queued sender's folio freed */
		int f = vf_pick_slot(VG_TYPE_FOLIO);

		a.target = vf_addr_sb_typed(VG_TYPE_RMESSENGER);
		a.flags |= VG_IPC_SEND_INLINE | VG_IPC_INLINE_WORDS(4);
		(void)raw_ipc(&a);
		if ((f > VF_SB_PF || (f == VF_SB_PF && vf_chance(10))) &&
		    vf_target_ok(vf_folio_addr((unsigned)f))) {
			vf_count_syscall();
			(void)vg_folio_free(c, vf_folio_addr((unsigned)f));
			vf.slot[f].type = VG_TYPE_VOID;
		}
		break;
	}
	default:	/* answered twice */
		vf_virt_answer();
		vf_virt_answer();
		break;
	}
}

void
vf_op(enum vf_op op)
{
	switch (op) {
	case OP_IPC:
		op_ipc();
		break;
	case OP_INVOKE:
		op_invoke();
		break;
	case OP_COPY:
		op_copy();
		break;
	case OP_CREATE:
		op_create();
		break;
	case OP_DESTROY:
		op_destroy();
		break;
	case OP_SELF:
		op_self();
		break;
	case OP_PROBE:
		op_probe();
		break;
	case OP_GUEST:
		op_guest();
		break;
	case OP_VIRT:
		op_virt();
		break;
	case OP_ANSWER:
		vf_virt_answer();
		break;
	case OP_PAGE:
		op_page();
		break;
	case OP_THREAD:
		op_thread();
		break;
	case OP_SYSCALL:
		op_syscall();
		break;
	case OP_HOSTILE:
		op_hostile();
		break;
	default:
		vf_trace(OP_REPAIR, 0, 0);
		(void)vf_repair(vf_chance(20));
		break;
	}
}
