/*
 * The world the groups measure in (broot.h): where my capabilities go,
 * the partners' address spaces P1 and P2, the shared region, messengers,
 * and the partner threads.  Which slot a capability lands in is part of
 * what a path costs (an address of depth 42 or 50, the kernel's caches
 * and their marks), so every placement is decided here, explicitly,
 * rather than by libvg's allocators.
 */
#include "broot.h"

/* --- objects and slots of mine ----------------------------------------- */

/* Capabilities of mine that are not in root slots: in cappages. */
static vg_addr_t objpages[16];
static unsigned nobj;

vg_addr_t
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

vg_addr_t
root_slot(void)
{
	vg_addr_t a = vg_slot_alloc(&rt->slots);

	if (vg_addr_is_void(a))
		die("out of root slots");
	return a;
}

vg_addr_t
obj_new_at(enum vg_type type, vg_addr_t a, const char *what)
{
	must(vg_obj_alloc(kc, &rt->alloc, type, a), what);
	return a;
}

vg_addr_t
obj_new(enum vg_type type, const char *what)
{
	return obj_new_at(type, obj_slot(), what);
}

void
copy(vg_addr_t dst, vg_addr_t src, unsigned flags, struct vg_cap_translator tr,
    const char *what)
{
	must(vg_as_copy(kc, rt->self_root, dst, src, flags, tr), what);
}

vg_addr_t
weak_of(vg_addr_t a, bool root)
{
	vg_addr_t w = root ? root_slot() : obj_slot();

	copy(w, a, VG_CAP_COPY_WEAKEN, NONE, "weak copy");
	return w;
}

/* --- address spaces ---------------------------------------------------- */

struct space self = { .name = "root", .own = true };
struct space p1 = { .name = "P1" };
struct space p2 = { .name = "P2" };

vg_addr_t
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

vg_addr_t
space_slot(struct space *s)
{
	if (s->own)
		return vg_slot_alloc(&rt->slots);
	return vg_boot_slot(peer_slot(s));
}

vg_addr_t
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

uint64_t
shared_page(void)
{
	uint64_t va = shared_next;

	if (va >= BENCH_SHARED_VA + BENCH_SHARED_PAGES * VG_PAGE_SIZE)
		die("out of shared pages");
	shared_next += VG_PAGE_SIZE;
	memset(VG_PTR(va), 0, VG_PAGE_SIZE);
	return va;
}

void
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

/* --- messengers and partner threads ------------------------------------ */

vg_addr_t
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

void
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

void
partner_new(struct partner *p, struct space *s, const char *entry)
{
	uint64_t utcb_va = shared_page();
	uint64_t page = shared_page();
	uint64_t ip = vg_elf_symbol(&s->sp.elf, entry);

	if (ip == 0)
		die("bpeer has no symbol %s", entry);
	p->sp = s;
	p->s = VG_PTR(page + 2048);	/* the stack below it */
	p->s->utcb = VG_PTR(utcb_va);
	p->thread = obj_new(VG_TYPE_THREAD, "thread");
	copy(vg_addr_extend(p->thread, VG_THREAD_SLOT_ASPACE, 2),
	    space_root(s), VG_CAP_COPY_GUARD, GUARD34, "thread space");
	copy(vg_addr_extend(p->thread, VG_THREAD_SLOT_UTCB, 2),
	    vg_addr_of_data(utcb_va), 0, NONE, "thread UTCB");
	exregs(p->thread, VG_EXREGS_SET_IP | VG_EXREGS_SET_SP |
	    VG_EXREGS_SET_HANDLER, ip, (uint64_t)(uintptr_t)p->s, ip,
	    (uint64_t)(uintptr_t)p->s, 0, 0);
}

void
partner_start(struct partner *p)
{
	exregs(p->thread, VG_EXREGS_START, 0, 0, 0, 0, 0, 0);
}

void
partner_check(const struct partner *p, const char *what)
{
	const struct bsrv *s = p->s;

	if (s->bad != 0 || s->errors != 0)
		die("%s: the partner saw %lu bad requests, %lu errors (last "
		    "%s)", what, (unsigned long)s->bad,
		    (unsigned long)s->errors,
		    vg_strerror((enum vg_err)s->last_error));
}

void
virtualizer_arm(struct bsrv *b, enum bsrv_kind kind, vg_addr_t recv,
    vg_addr_t rslot, enum answer how, vg_addr_t stat, vg_addr_t send)
{
	b->kind = kind;
	b->arm = (struct vg_ipc_args){
		.flags = VG_IPC_RECEIVE | VG_IPC_RECEIVE_ACTIVATE |
		    VG_IPC_RECEIVE_INLINE,
		.recv_messenger = recv,
		.recv_inline_cap = rslot,
	};
	b->call = b->arm;
	b->call.flags |= VG_IPC_SEND | VG_IPC_SEND_INLINE |
	    VG_IPC_INLINE_WORDS(2) | VG_IPC_INLINE_CAP;
	b->call.target = how == ANS_STATIC ?
	    give(&p2, stat, VG_CAP_COPY_WEAKEN) : rslot;
	b->call.send_messenger = give(&p2, send, 0);
}

vg_addr_t
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
