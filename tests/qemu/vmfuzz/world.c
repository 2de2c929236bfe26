/*
 * The fuzzer's world (vmfuzz.h): building it, the handlers of my own
 * messengers, checking it, and rebuilding what the playground broke.
 */
#include <vg/method.h>

#include "vmfuzz.h"

struct vf_world vf;

#define NONE	((struct vg_cap_translator){ 0 })
#define ROOT_GUARD ((struct vg_cap_translator){ \
	.guard_depth = VG_BOOT_ROOT_GUARD_DEPTH })

static enum vg_err
kc_copy(vg_addr_t dst, vg_addr_t src, unsigned flags,
    struct vg_cap_translator tr)
{
	vf_count_syscall();
	return vg_as_copy(vf_kc(), vg_self()->self_root, dst, src, flags, tr);
}

bool
vf_target_ok(vg_addr_t a)
{
	enum vg_type type = VG_TYPE_VOID;

	/* My own slots hold what I put there (but for SB's, and the
	 * scratch slots my self ops copy anything into). */
	if (vg_addr_depth(a) == VG_AS_ROOT_SLOT_DEPTH &&
	    !vg_addr_eq(a, vf.p_sb)) {
		bool scratch = false;

		for (unsigned k = 0; k < VF_PX; k++)
			scratch |= vg_addr_eq(a, vf.p_x[k]);
		if (!scratch)
			return true;
	}
	vf_count_syscall();
	return vg_as_read(vf_kc(), vg_self()->self_root, a, &type, NULL) ==
	    VG_OK && type != VG_TYPE_VOID && type != VG_TYPE_RMESSENGER;
}

static uint32_t
oid_of(vg_addr_t a, enum vg_type want)
{
	enum vg_type type = VG_TYPE_VOID;
	uint32_t oid = 0;

	if (!vf_target_ok(a))
		return 0;
	vf_count_syscall();
	if (vg_object_status(vf_kc(), a, &type, &oid, NULL) != VG_OK ||
	    type != want)
		return 0;
	return oid;
}

/* --- my handlers ---------------------------------------------------------------- */

static struct vf_fault last_fault;

static void
on_exception(struct vg_act_handler *h, const struct vg_activation *a)
{
	struct vg_act_frame *f = &vg_act_stack.state.frame;
	struct t_mailbox *mb = t_mailbox();

	(void)h;
	mb->value[T_VF_ACTIVATIONS]++;
	if (!(a->reason & VG_ACTIVATION_FAULT))
		return;
	last_fault = (struct vf_fault){ a->error, a->exception,
	    a->fault_address, a->interrupted_ip };
	if (vf_probe_armed) {
		mb->value[T_VF_FAULTS]++;
		f->rip = (uint64_t)(uintptr_t)vf_probe_recover;
		f->rsp = vf_probe_sp;
		return;
	}
	mb->value[T_VF_UNEXPECTED]++;
	vf_diag("vmfuzz: my thread faulted where it did not ask to (vector "
	    "%u); stopping", a->exception);
	vf_fail("unexpected fault: %s at %#lx (ip %#lx)",
	    vg_strerror(a->error), (unsigned long)a->fault_address,
	    (unsigned long)a->interrupted_ip);
	vg_exit(2);
}

struct vf_fault
vf_last_fault(void)
{
	return last_fault;
}

static enum vg_err
arm_inline(vg_addr_t m)
{
	struct vg_ipc_args a = {
		.flags = VG_IPC_RECEIVE | VG_IPC_RECEIVE_ACTIVATE |
		    VG_IPC_RECEIVE_INLINE | VG_IPC_RETURN,
		.recv_messenger = m,
	};

	return vg_ipc(&a);
}

static enum vg_err
arm_page(vg_addr_t m)
{
	struct vg_ipc_args a = {
		.flags = VG_IPC_RECEIVE | VG_IPC_RECEIVE_ACTIVATE |
		    VG_IPC_RETURN,
		.recv_messenger = m,
	};

	return vg_ipc(&a);
}

/* My waker's word: it ends a suspension of mine, or, if it came before
 * the call that was to suspend, skips that call (it would never end). */
static void
on_wake(struct vg_act_handler *h, const struct vg_activation *a)
{
	struct vg_act_frame *f = &vg_act_stack.state.frame;

	(void)h;
	t_mailbox()->value[T_VF_ACTIVATIONS]++;
	if (!(a->reason & VG_ACTIVATION_RECEIVED))
		return;
	t_mailbox()->value[T_VF_WAKES]++;
	if (vf_wake_armed) {
		/* Before the call: it would wait for a wake already gone. */
		if (f->rip >= (uint64_t)(uintptr_t)vf_sys_begin &&
		    f->rip <= (uint64_t)(uintptr_t)vf_sys_insn)
			f->rip = (uint64_t)(uintptr_t)vf_sys_skipped;
		else if (f->rip != (uint64_t)(uintptr_t)vf_sys_after)
			vf_wake_early = 1;
	}
	(void)arm_inline(vf.p_mw);
}

/* A main-bound messenger's activation: counted, and it receives again. */
static struct mb_handler {
	struct vg_act_handler h;
	unsigned k;
	uint64_t received, delivered, errors;
} mb_handlers[VF_MB];

static void
on_mb(struct vg_act_handler *h, const struct vg_activation *a)
{
	struct mb_handler *m = (struct mb_handler *)(void *)h;

	t_mailbox()->value[T_VF_ACTIVATIONS]++;
	if (a->reason & VG_ACTIVATION_DELIVERED)
		m->delivered++;
	if (a->reason & VG_ACTIVATION_ERROR)
		m->errors++;
	if ((a->reason & ~0xfu) != 0 || (a->reason & VG_ACTIVATION_ERROR &&
	    (a->error <= 0 || a->error >= VG_ERR_COUNT)))
		vf_oracle("an activation of MB %u with reason %#x, error %d",
		    m->k, a->reason, a->error);
	if (a->reason & VG_ACTIVATION_RECEIVED) {
		m->received++;
		(void)arm_page(vf.p_mb[m->k]);
	}
}

uint64_t
vf_mb_id(unsigned k)
{
	return vg_act_id(&mb_handlers[k % VF_MB].h);
}

/* --- building ---------------------------------------------------------------- */

/* Is VA's page in my space a page (not void)? */
static bool
mapped(uint64_t va)
{
	enum vg_type type = VG_TYPE_VOID;

	vf_count_syscall();
	return vg_as_page_type(&vg_self()->as, va, &type) == VG_OK &&
	    (type == VG_TYPE_PAGE || type == VG_TYPE_RPAGE);
}

/* SB's guarded slot of VA: the page itself, with a 10-bit guard. */
static enum vg_err
guard_page(uint64_t va)
{
	unsigned slot = (unsigned)(va >> VG_BOOT_REGION_SHIFT);
	uint32_t g = (uint32_t)(va >> VG_PAGE_SHIFT) & 0x3ff;
	struct vg_cap_translator tr = { .guard = g, .guard_depth = 10 };
	enum vg_err err;

	/* Named with the guard if it still holds what I put there. */
	err = kc_copy(vg_addr_extend(vf_my_slot(slot), g, 10),
	    vg_addr_of_data(va), VG_CAP_COPY_GUARD, tr);
	if (err != VG_OK)
		err = vf_sb_put(slot, vg_addr_of_data(va), VG_CAP_COPY_GUARD,
		    tr);
	return err;
}

/* Empty SB's slots J and its neighbour, guards too: my view cannot name
 * a slot whose capability has a guard I do not know. */
static enum vg_err
sb_clear(unsigned j)
{
	struct vg_cap_translator tr = { .subpage_log2 = 7,
	    .subpage = (uint8_t)(j / 2) };
	enum vg_err err = kc_copy(vf.p_check, vf.p_sb, VG_CAP_COPY_SUBPAGE,
	    tr);

	if (err != VG_OK)
		return err;
	vf_count_syscall();
	return vg_object_discard(vf_kc(), vf.p_check);
}

enum vg_err
vf_sb_put(unsigned j, vg_addr_t src, unsigned flags,
    struct vg_cap_translator tr)
{
	enum vg_err err = kc_copy(vf_my_slot(j), src, flags, tr);

	if (err != VG_OK && sb_clear(j) == VG_OK)
		err = kc_copy(vf_my_slot(j), src, flags, tr);
	return err;
}

vg_addr_t
vf_folio_addr(unsigned j)
{
	return j == VF_SB_PF ? vf.p_pf : vf_my_slot(j);
}

static enum vg_err
guard_pages(void)
{
	enum vg_err err = guard_page(vf.g_page_va);

	if (err == VG_OK)
		err = guard_page(VF_REQ_VA);
	if (err == VG_OK)
		err = guard_page(VF_GUTCB_VA);
	for (unsigned i = 0; i < VF_TRAP_PAGES && err == VG_OK; i++)
		err = guard_page(VF_TRAP_VA(i));
	return err;
}

/* Slot K of the object at my address A. */
static vg_addr_t
sub(vg_addr_t a, unsigned k)
{
	return vg_addr_extend(a, k, 2);
}

/* A messenger of MF at index I, in my slot M: thread T (void: none), space
 * SB, buffer BUF (0: none), id ID. */
static enum vg_err
mf_messenger(unsigned i, vg_addr_t m, vg_addr_t t, uint64_t buf, uint64_t id)
{
	enum vg_err err;

	vf_count_syscall();
	err = vg_folio_object_alloc(vf_kc(), vf.p_mf, i, VG_TYPE_MESSENGER, 0, m);
	if (err == VG_OK && !vg_addr_is_void(t))
		err = kc_copy(sub(m, VG_MESSENGER_SLOT_THREAD), t, 0, NONE);
	if (err == VG_OK)
		err = kc_copy(sub(m, VG_MESSENGER_SLOT_ASPACE), vf.p_sb,
		    VG_CAP_COPY_GUARD, ROOT_GUARD);
	if (err == VG_OK && buf != 0)
		err = kc_copy(sub(m, VG_MESSENGER_SLOT_BUFFER),
		    vg_addr_of_data(buf), 0, NONE);
	if (err == VG_OK && id != 0) {
		vf_count_syscall();
		err = vg_messenger_id_set(vf_kc(), m, id);
	}
	return err;
}

static enum vg_err
make_mb(unsigned k)
{
	enum vg_err err = mf_messenger(VF_MF_MB + k, vf.p_mb[k],
	    vg_self()->thread, vf_victim(k), vg_act_id(&mb_handlers[k].h));

	if (err == VG_OK)
		err = arm_page(vf.p_mb[k]);
	if (err == VG_OK)
		err = vf_sb_put(VF_SB_MB + k, vf.p_mb[k], VG_CAP_COPY_WEAKEN,
		    NONE);
	vf.mb_oid[k] = oid_of(vf.p_mb[k], VG_TYPE_MESSENGER);
	vf.slot[VF_SB_MB + k].type = VG_TYPE_RMESSENGER;
	return err;
}

/* G in SB, for G itself, behind its guard: too deep to name from my
 * space, so named from SB itself (with the guard if the slot has it,
 * or emptied first). */
static enum vg_err
make_guest_slot(void)
{
	struct vg_cap_translator gg = { .guard = VF_G_GUARD,
	    .guard_depth = VF_G_GUARD_DEPTH };
	vg_addr_t at = vg_addr(VF_SB_G, 8);

	vf.slot[VF_SB_G].type = VG_TYPE_VOID;	/* out of reach */
	vf_count_syscall();
	if (vg_cap_copy(vf_kc(), vf.p_sb, vg_addr_extend(at, VF_G_GUARD,
	    VF_G_GUARD_DEPTH), VG_ADDR_ROOT, VG_CAP_COPY_GUARD, gg, vf.p_g,
	    NULL) == VG_OK)
		return VG_OK;
	(void)sb_clear(VF_SB_G);
	vf_count_syscall();
	return vg_cap_copy(vf_kc(), vf.p_sb, at, VG_ADDR_ROOT,
	    VG_CAP_COPY_GUARD, gg, vf.p_g, NULL);
}

static enum vg_err
make_guest(void)
{
	vg_addr_t g = vf.p_g, gm = vf.p_gm;
	struct vg_exregs x = {
		.control = VG_EXREGS_STOP | VG_EXREGS_SET_IP |
		    VG_EXREGS_SET_HANDLER,
		.ip = (uint64_t)(uintptr_t)vf_g_entry,
		.handler_ip = (uint64_t)(uintptr_t)vf_g_entry,
	};
	enum vg_err err;

	vf_count_syscall();
	err = vg_folio_object_alloc(vf_kc(), vf.p_mf, VF_MF_G,
	    VG_TYPE_THREAD, 0, g);
	if (err == VG_OK)
		err = kc_copy(sub(g, VG_THREAD_SLOT_ASPACE), vf.p_sb,
		    VG_CAP_COPY_GUARD, ROOT_GUARD);
	if (err == VG_OK)
		err = kc_copy(sub(g, VG_THREAD_SLOT_UTCB),
		    vg_addr_of_data(VF_GUTCB_VA), 0, NONE);
	if (err == VG_OK && vf_target_ok(g)) {
		vf_count_syscall();
		err = vg_thread_exregs(vf_kc(), g, &x, NULL);
	}
	if (err == VG_OK)
		err = mf_messenger(VF_MF_GM, gm, VG_ADDR_VOID, 0, 0);
	if (err == VG_OK)
		err = vf_sb_put(VF_SB_GM, gm, 0, NONE);
	if (err == VG_OK)
		err = make_guest_slot();
	vf.g_oid = oid_of(g, VG_TYPE_THREAD);
	vf.slot[VF_SB_GM].type = VG_TYPE_MESSENGER;
	vf.req->self = vg_addr_extend(vf_sb_slot(VF_SB_G), VF_G_GUARD,
	    VF_G_GUARD_DEPTH).raw;
	vf.req->gm = vf_sb_slot(VF_SB_GM).raw;
	return err;
}

/* The playground folio, its sub-activity and the victim pages (mapped
 * in my space and in SB). */
static enum vg_err
make_playground(void)
{
	struct vg_runtime *rt = vg_self();
	enum vg_err err;

	vf_count_syscall();
	err = vg_activity_folio_alloc(vf_kc(), rt->activity, vf.p_pf);
	if (err != VG_OK)
		return err;
	(void)vf_sb_put(VF_SB_PF, vf.p_pf, 0, NONE);
	vf.slot[VF_SB_PF].type = VG_TYPE_FOLIO;
	vf.pf = (struct vg_objalloc){ .folio = vf.p_pf };
	/* Its sub-activity, first: index 0. */
	vf_count_syscall();
	err = vg_folio_object_alloc(vf_kc(), vf.p_pf, 0, VG_TYPE_ACTIVITY, 0,
	    vf.p_act);
	if (err != VG_OK)
		return err;
	vf.pf.next = 1;
	(void)vf_sb_put(VF_SB_ACT, vf.p_act, 0, NONE);
	vf.slot[VF_SB_ACT] = (struct vf_slot){ .type = VG_TYPE_ACTIVITY,
	    .folio = VF_SB_PF };
	/* SB's cappages for its victim region come from it too. */
	vf.sb.alloc = &vf.pf;
	vf.sb.last_range = 0;
	vf.sb.leaf_next = VG_AS_LEAF_PARTS;	/* a fresh leaf */
	for (unsigned i = 0; i < VF_VICTIM_PAGES && err == VG_OK; i++) {
		uint64_t va = vf_victim(i);
		vg_addr_t mine = vg_as_page_slot(&rt->as, va);

		vf_count_syscall();
		err = vg_folio_object_alloc(vf_kc(), vf.pf.folio, vf.pf.next++,
		    VG_TYPE_PAGE, 0, mine);
		/* In SB too, where the playground may have changed the
		 * region: then it goes without (or its slot is emptied). */
		if (err == VG_OK) {
			vf_count_syscall();
			if (vg_as_ensure(&vf.sb, va) != VG_OK) {
				(void)sb_clear(vg_as_region(va));
				vf.sb.last_range = 0;
				vf_count_syscall();
				(void)vg_as_ensure(&vf.sb, va);
			}
			(void)kc_copy(vg_as_page_slot(&vf.sb, va), mine, 0,
			    NONE);
		}
	}
	return err;
}

enum vg_err
vf_pf_alloc(enum vg_type type, unsigned j)
{
	enum vg_err err;

	if (vf.pf.next >= VG_FOLIO_OBJECTS)
		vf.pf.next = 1 + VF_VICTIM_PAGES;
	vf_count_syscall();
	err = vg_folio_object_alloc(vf_kc(), vf.pf.folio, vf.pf.next, type, 0,
	    vf_my_slot(j));
	if (err == VG_OK) {
		vf.slot[j] = (struct vf_slot){ .type = (uint8_t)type,
		    .folio = VF_SB_PF, .index = (uint8_t)vf.pf.next };
		vf_setup_object(j);
	}
	vf.pf.next++;
	return err;
}

void
vf_setup_object(unsigned j)
{
	vg_addr_t a = vf_my_slot(j);
	struct vf_slot *s = &vf.slot[j];

	switch (s->type) {
	case VG_TYPE_MESSENGER: {
		unsigned page = (unsigned)vf_below(VF_VICTIM_PAGES);
		int t = vf_pick_slot(VG_TYPE_THREAD);

		(void)kc_copy(sub(a, VG_MESSENGER_SLOT_ASPACE), vf.p_sb,
		    VG_CAP_COPY_GUARD, ROOT_GUARD);
		(void)kc_copy(sub(a, VG_MESSENGER_SLOT_BUFFER),
		    vg_addr_of_data(vf_victim(page)), 0, NONE);
		/* Bound to a thread of the playground, or, only if they may
		 * run, to G (which then is within its reach). */
		if (vf.run_threads && vf_chance(50))
			(void)kc_copy(sub(a, VG_MESSENGER_SLOT_THREAD), vf.p_g,
			    0, NONE);
		else if (t >= 0 && vf_chance(80))
			(void)kc_copy(sub(a, VG_MESSENGER_SLOT_THREAD),
			    vf_my_slot((unsigned)t), 0, NONE);
		s->page = (uint8_t)(page + 1);
		break;
	}
	case VG_TYPE_THREAD: {
		int e = vf_pick_slot(VG_TYPE_MESSENGER);

		(void)kc_copy(sub(a, VG_THREAD_SLOT_ASPACE), vf.p_sb,
		    VG_CAP_COPY_GUARD, ROOT_GUARD);
		if (vf_chance(70))
			(void)kc_copy(sub(a, VG_THREAD_SLOT_UTCB),
			    vg_addr_of_data(vf_victim((unsigned)
			    vf_below(VF_VICTIM_PAGES))), 0, NONE);
		if (e >= 0 && vf_chance(50))
			(void)kc_copy(sub(a, VG_THREAD_SLOT_EXCEPTION),
			    vf_my_slot((unsigned)e), 0, NONE);
		break;
	}
	case VG_TYPE_ACTIVITY:
		if (!vf_target_ok(a))
			break;
		vf_count_syscall();
		(void)vg_activity_set_quota(vf_kc(), a, vf_chance(50) ? 0 :
		    129 * (1 + vf_below(8)));
		break;
	default:
		break;
	}
}

enum vg_err
vf_build(void)
{
	struct vg_runtime *rt = vg_self();
	struct vg_call *c = vf_kc();
	static struct vg_act_handler h_e = { .fn = on_exception,
	    .name = "vmfuzz.exception" };
	static struct vg_act_handler h_mw = { .fn = on_wake,
	    .name = "vmfuzz.wake" };
	uint64_t usage = 0, depth = 0;
	enum vg_err err;
	char *line;

	vf.run_threads = (t_arg(2, 0) & T_VF_FLAG_RUN_THREADS) != 0;
	err = vg_activity_info(c, rt->activity, &usage, &vf.quota, &depth);
	if (err != VG_OK)
		return err;
	vf.p_sb0 = vg_slot_alloc(&rt->slots);
	vf.p_mf = vg_slot_alloc(&rt->slots);
	for (unsigned k = 0; k < VF_MB; k++)
		vf.p_mb[k] = vg_slot_alloc(&rt->slots);
	for (unsigned k = 0; k < VF_PX; k++)
		vf.p_x[k] = vg_slot_alloc(&rt->slots);
	vf.p_w = vg_slot_alloc(&rt->slots);
	vf.p_vz = vg_slot_alloc(&rt->slots);
	vf.p_am = vg_slot_alloc(&rt->slots);
	vf.p_check = vg_slot_alloc(&rt->slots);
	vf.p_g = vg_slot_alloc(&rt->slots);
	for (unsigned k = 0; k < VF_OWN; k++)
		vf.p_own[k] = vg_slot_alloc(&rt->slots);
	vf.p_pf = vg_slot_alloc(&rt->slots);
	vf.p_gm = vg_slot_alloc(&rt->slots);
	vf.p_act = vg_slot_alloc(&rt->slots);
	if (vg_addr_is_void(vf.p_act))
		return VG_ERR_NO_STORAGE;

	/* My exception messenger. */
	vg_act_register(&h_e);
	err = vg_messenger_new(&vf.p_e, 0, vg_act_id(&h_e));
	if (err == VG_OK)
		err = vg_as_copy(c, rt->self_root,
		    vg_addr_extend(rt->thread, VG_THREAD_SLOT_EXCEPTION, 2),
		    vf.p_e, 0, NONE);
	if (err != VG_OK)
		return err;

	/* Pages of mine at the addresses SB shares. */
	err = vg_as_map_new(&rt->as, VF_REQ_VA, VG_PAGE_SIZE, true);
	if (err == VG_OK)
		err = vg_as_map_new(&rt->as, VF_GUTCB_VA, VG_PAGE_SIZE, true);
	for (unsigned i = 0; i < VF_TRAP_PAGES && err == VG_OK; i++) {
		uint8_t *p = VG_PTR(VF_TRAP_VA(i));

		/* Code to jump onto: they carry the execute right. */
		err = vg_as_map_new(&rt->as, VF_TRAP_VA(i), VG_PAGE_SIZE,
		    VG_AS_WRITE | VG_AS_EXECUTE);
		if (err != VG_OK)
			break;
		for (unsigned b = 0; b < VG_PAGE_SIZE; b++)
			p[b] = vf_trap_bytes[vf_below(vf_ntrap_bytes)];
		err = vg_as_weaken_page(&rt->as, VF_TRAP_VA(i));
	}
	for (unsigned i = 0; i < VF_VICTIM_PAGES && err == VG_OK; i++)
		err = vg_as_ensure(&rt->as, vf_victim(i));
	if (err != VG_OK)
		return err;
	vf.req = VG_PTR(VF_REQ_VA);
	vf.print_va = vg_page_alloc(1);
	vf.vz_va = vg_page_alloc(1);
	if (vf.print_va == 0 || vf.vz_va == 0)
		return VG_ERR_NO_STORAGE;
	line = VG_PTR(vf.print_va);
	strlcpy(line, "# vmfuzz: a line written by DEBUG_WRITE\n",
	    VG_PAGE_SIZE);
	vf.g_page_va = (uint64_t)(uintptr_t)vf_g_page;
	if ((vf.g_page_va >> VG_BOOT_REGION_SHIFT) != 1 ||
	    (vf.g_page_va & (VG_PAGE_SIZE - 1)) != 0 || !mapped(vf.g_page_va))
		return VG_ERR_INVALID;

	/* MF, and SB in it. */
	err = vg_activity_folio_alloc(c, rt->activity, vf.p_mf);
	if (err != VG_OK)
		return err;
	vf.mf = (struct vg_objalloc){ .folio = vf.p_mf, .next = VF_MF_SB };
	err = vg_as_create(&vf.sb, c, rt->self_root, &vf.mf, &rt->slots);
	if (err != VG_OK)
		return err;
	vf.mf.next = VF_MF_FIRST_FREE;
	vf.p_sb = vf.sb.base;
	err = kc_copy(vf.p_sb0, vf.p_sb, 0, NONE);
	if (err == VG_OK)
		err = guard_pages();
	if (err != VG_OK)
		return err;
	vf.sb_oid = oid_of(vf.p_sb, VG_TYPE_CAPPAGE);

	/* The playground, the guest, my main-bound messengers. */
	err = make_playground();
	if (err == VG_OK)
		err = make_guest();
	for (unsigned k = 0; k < VF_MB && err == VG_OK; k++) {
		mb_handlers[k] = (struct mb_handler){
			.h = { .fn = on_mb, .name = "vmfuzz.mb" }, .k = k };
		vg_act_register(&mb_handlers[k].h);
		err = make_mb(k);
	}
	if (err == VG_OK)
		err = mf_messenger(VF_MF_AM, vf.p_am, VG_ADDR_VOID, 0, 0);
	if (err == VG_OK)
		err = vf_virt_init();
	if (err != VG_OK)
		return err;

	/* The waker: a thread of mine in my space, and its messengers. */
	vg_act_register(&h_mw);
	err = vg_messenger_new(&vf.p_mw, 0, vg_act_id(&h_mw));
	if (err == VG_OK)
		err = vg_weak_copy(vf.p_mw, &vf.p_mw_r);
	if (err == VG_OK)
		err = vg_messenger_new(&vf.p_wm, 0, 0);
	if (err == VG_OK)
		err = arm_inline(vf.p_mw);
	if (err == VG_OK)
		err = vg_obj_alloc(c, &rt->alloc, VG_TYPE_THREAD, vf.p_w);
	if (err == VG_OK)
		err = vg_as_copy(c, rt->self_root,
		    vg_addr_extend(vf.p_w, VG_THREAD_SLOT_ASPACE, 2),
		    rt->self_root, VG_CAP_COPY_GUARD, ROOT_GUARD);
	if (err == VG_OK) {
		struct vg_exregs x = { .control = VG_EXREGS_SET_IP,
		    .ip = (uint64_t)(uintptr_t)vf_w_entry };

		vf_w_args[0] = vf.p_mw_r.raw;
		vf_w_args[1] = vf.p_wm.raw;
		vf_w_args[2] = 0x77616b65ull;	/* "wake" */
		err = vg_thread_exregs(c, vf.p_w, &x, NULL);
	}
	return err;
}

enum vg_err
vf_own_folio(unsigned k)
{
	struct vg_runtime *rt = vg_self();
	vg_addr_t at = vf.p_own[k % VF_OWN];

	if (oid_of(at, VG_TYPE_FOLIO) != 0) {
		vf_count_syscall();
		(void)vg_folio_free(vf_kc(), at);
	}
	vf_count_syscall();
	return vg_activity_folio_alloc(vf_kc(), rt->activity, at);
}

enum vg_err
vf_wake_arm(void)
{
	struct vg_exregs x = { .control = VG_EXREGS_START };

	vf_count_syscall();
	return vg_thread_exregs(vf_kc(), vf.p_w, &x, NULL);
}

void
vf_guest_kick(void)
{
	vg_addr_t g = vf.p_g;
	struct vg_exregs stop = { .control = VG_EXREGS_STOP };
	struct vg_exregs go = {
		.control = VG_EXREGS_SET_IP | VG_EXREGS_SET_HANDLER |
		    VG_EXREGS_START,
		.ip = (uint64_t)(uintptr_t)vf_g_entry,
		.handler_ip = (uint64_t)(uintptr_t)vf_g_entry,
	};
	volatile uint64_t *mode = VG_PTR(VF_GUTCB_VA);

	if (!vf_target_ok(g)) {
		vf.broken = true;
		return;
	}
	/* Stopped first: a fault it waits on is withdrawn. */
	vf_count_syscall();
	(void)vg_thread_exregs(vf_kc(), g, &stop, NULL);
	/* Its faults stop it (the kernel's fault loop, vmfuzz.h). */
	if (!vf.run_threads)
		(void)vg_as_rubout(vf_kc(), vg_self()->self_root,
		    sub(g, VG_THREAD_SLOT_EXCEPTION));
	*mode &= ~(uint64_t)VG_UTCB_ACTIVATED;
	vf_count_syscall();
	(void)vg_thread_exregs(vf_kc(), g, &go, NULL);
}

/* --- checking and repairing -------------------------------------------------- */

/* MB K's space slot, named from MB K itself: the root's guard follows
 * the slot's index. */
static vg_addr_t
mb_space_slot(void)
{
	return vg_addr_extend(vg_addr(VG_MESSENGER_SLOT_ASPACE, 2), 0,
	    VG_BOOT_ROOT_GUARD_DEPTH);
}

/* What MB K's space slot holds now: its type and (a cappage) oid. */
static uint32_t
mb_space(unsigned k, enum vg_type *type)
{
	struct vg_cap_translator none = { 0 };
	uint32_t oid = 0;

	*type = VG_TYPE_VOID;
	vf_count_syscall();
	if (vg_cap_read(vf_kc(), vf.p_mb[k], mb_space_slot(), type, NULL,
	    NULL) != VG_OK)
		return 0;
	/* A copy without the guard, to ask its oid. */
	vf_count_syscall();
	if (vg_cap_copy(vf_kc(), vg_self()->self_root,
	    vg_as_local(vf.p_check), mb_space_slot(), VG_CAP_COPY_GUARD, none,
	    vf.p_mb[k], NULL) != VG_OK)
		return 0;
	vf_count_syscall();
	if (vg_object_status(vf_kc(), vf.p_check, type, &oid, NULL) != VG_OK)
		return 0;
	return oid;
}

/* Put SB back in MB K's space slot. */
static void
mb_space_restore(unsigned k)
{
	vf_count_syscall();
	(void)vg_cap_copy(vf_kc(), vf.p_mb[k], mb_space_slot(), VG_ADDR_ROOT,
	    VG_CAP_COPY_GUARD, ROOT_GUARD, vf.p_sb, NULL);
}

bool
vf_check_oracles(void)
{
	struct vg_runtime *rt = vg_self();
	struct vg_exregs_old old = { 0 };
	struct vg_exregs x = { .control = 0 };
	enum vg_type type = VG_TYPE_VOID;
	uint64_t usage = 0, quota = 0, depth = 0;
	bool ok = true;

	/* My kernel calls work (a send of theirs that suspended would make
	 * them BUSY: a bug of mine, since they never go below SB's slots). */
	vf_count_syscall();
	if (vg_thread_id(vf_kc(), rt->thread, &usage) == VG_ERR_BUSY) {
		vf_fail("my kernel calls are stuck: BUSY");
		(void)vg_messenger_cancel(&rt->bcall, rt->kcall.send);
		ok = false;
	}
	/* My exception messenger is where I put it. */
	vf_count_syscall();
	if (vg_as_read(vf_kc(), rt->self_root, vg_addr_extend(rt->thread,
	    VG_THREAD_SLOT_EXCEPTION, 2), &type, NULL) != VG_OK ||
	    type != VG_TYPE_MESSENGER) {
		vf_oracle("my exception slot holds %s", vg_type_name(type));
		ok = false;
		(void)kc_copy(vg_addr_extend(rt->thread,
		    VG_THREAD_SLOT_EXCEPTION, 2), vf.p_e, 0, NONE);
	}
	/* I run, and my activity stays within its quota. */
	vf_count_syscall();
	if (vg_thread_exregs(vf_kc(), rt->thread, &x, &old) != VG_OK ||
	    old.state != VG_THREAD_RUNNABLE ||
	    old.handler_ip != (uint64_t)(uintptr_t)vg_activation_entry ||
	    old.handler_sp != (uint64_t)(uintptr_t)&vg_act_stack.state) {
		vf_oracle("my own thread reads as state %lu, handler %#lx "
		    "sp %#lx", (unsigned long)old.state,
		    (unsigned long)old.handler_ip,
		    (unsigned long)old.handler_sp);
		ok = false;
	}
	vf_count_syscall();
	if (vg_activity_info(vf_kc(), rt->activity, &usage, &quota,
	    &depth) != VG_OK || quota != vf.quota ||
	    (quota != 0 && usage > quota)) {
		vf_oracle("my activity: usage %lu, quota %lu (was %lu)",
		    (unsigned long)usage, (unsigned long)quota,
		    (unsigned long)vf.quota);
		ok = false;
	}
	/* Only I change what my main-bound messengers resolve in: a message
	 * must never store into the receiver's ASPACE slot. */
	for (unsigned k = 0; k < VF_MB; k++) {
		uint32_t space;

		if (vf.mb_oid[k] == 0 ||
		    oid_of(vf.p_mb[k], VG_TYPE_MESSENGER) != vf.mb_oid[k])
			continue;
		space = mb_space(k, &type);
		if (space != vf.sb_oid) {
			vf_oracle("MB %u's ASPACE slot changed (now %s, oid "
			    "%u; SB is %u): a delivery stored into the "
			    "receiver's own ASPACE slot", k,
			    vg_type_name(type), space, vf.sb_oid);
			ok = false;
			mb_space_restore(k);
		}
		/* Its id, which my operations may have led astray. */
		vf_count_syscall();
		(void)vg_messenger_id_set(vf_kc(), vf.p_mb[k], vf_mb_id(k));
	}
	return ok;
}

/* What SB's slots hold now, 32 at a time: my picture goes stale as the
 * playground works. */
static void
refresh_model(void)
{
	static unsigned next;

	for (unsigned k = 0; k < 32; k++) {
		unsigned j = 128 + next++ % 128;
		enum vg_type type = VG_TYPE_VOID;
		struct vf_slot *s = &vf.slot[j];

		if (j == VF_SB_G)
			continue;
		vf_count_syscall();
		if (vg_as_read(vf_kc(), vg_self()->self_root, vf_my_slot(j),
		    &type, NULL) != VG_OK)
			type = VG_TYPE_VOID;	/* a guard: not reachable so */
		if (type != s->type)
			*s = (struct vf_slot){ .type = (uint8_t)type };
	}
}

unsigned
vf_repair(bool full)
{
	struct vg_runtime *rt = vg_self();
	struct vg_exregs_old old = { 0 };
	struct vg_exregs x = { .control = 0 };
	uint64_t usage = 0, quota = 0, depth = 0;
	unsigned n = 0;
	enum vg_err err;

	/* SB where I reach it. */
	if (oid_of(vf.p_sb, VG_TYPE_CAPPAGE) != vf.sb_oid) {
		(void)kc_copy(vf.p_sb, vf.p_sb0, 0, NONE);
		n++;
	}
	if (full || vf.broken) {
		if (guard_pages() != VG_OK)
			vf_diag("vmfuzz: cannot put SB's pages back");
		/* SB's fixed slots (a slot emptied for one may have taken
		 * its neighbour with it). */
		(void)vf_sb_put(VF_SB_PF, vf.p_pf, 0, NONE);
		(void)vf_sb_put(VF_SB_GM, vf.p_gm, 0, NONE);
		(void)vf_sb_put(VF_SB_ACT, vf.p_act, 0, NONE);
		for (unsigned k = 0; k < VF_MB; k++)
			(void)vf_sb_put(VF_SB_MB + k, vf.p_mb[k],
			    VG_CAP_COPY_WEAKEN, NONE);
		(void)make_guest_slot();
		n++;
	}
	/* My waker, if it faulted (it should not). */
	vf_count_syscall();
	if (vg_thread_exregs(vf_kc(), vf.p_w, &x, &old) == VG_OK &&
	    old.state == VG_THREAD_STOPPED && vf_w_fired > 0) {
		vf_oracle("my waker stopped (ip %#lx)", (unsigned long)old.ip);
		n++;
	}
	/* The storage the playground took: its folio goes, and all in it
	 * (its sub-activity, with all that has, and the activities it
	 * holds), to be made again below. */
	vf_count_syscall();
	if (vg_activity_info(vf_kc(), rt->activity, &usage, &quota,
	    &depth) == VG_OK && quota != 0 && usage + 8 * 129 > quota) {
		for (unsigned k = 0; k < VF_OWN; k++)
			if (oid_of(vf.p_own[k], VG_TYPE_FOLIO) != 0) {
				vf_count_syscall();
				(void)vg_folio_free(vf_kc(), vf.p_own[k]);
			}
		if (oid_of(vf.p_pf, VG_TYPE_FOLIO) != 0) {
			vf_count_syscall();
			(void)vg_folio_free(vf_kc(), vf.p_pf);
		}
		n++;
	}
	/* Victim pages the playground destroyed: new ones from its folio. */
	if (oid_of(vf.p_pf, VG_TYPE_FOLIO) != 0) {
		for (unsigned i = 0; i < VF_VICTIM_PAGES; i++) {
			uint64_t va = vf_victim(i);
			vg_addr_t mine = vg_as_page_slot(&rt->as, va);

			if (mapped(va))
				continue;
			if (vf.pf.next >= VG_FOLIO_OBJECTS)
				vf.pf.next = 1 + VF_VICTIM_PAGES;
			vf_count_syscall();
			if (vg_folio_object_alloc(vf_kc(), vf.pf.folio,
			    vf.pf.next++, VG_TYPE_PAGE, 0, mine) == VG_OK &&
			    vg_as_ensure(&vf.sb, va) == VG_OK)
				(void)kc_copy(vg_as_page_slot(&vf.sb, va), mine,
				    0, NONE);
			n++;
		}
	}
	/* The playground: its folio and victim pages, the guest, my MBs. */
	if (oid_of(vf.p_pf, VG_TYPE_FOLIO) == 0 || !mapped(vf_victim(0))) {
		/* A folio still there goes, not to add up. */
		if (oid_of(vf.p_pf, VG_TYPE_FOLIO) != 0) {
			vf_count_syscall();
			(void)vg_folio_free(vf_kc(), vf.p_pf);
		}
		err = make_playground();
		if (err != VG_OK) {
			static unsigned said;

			vf.broken = true;
			vf_count_syscall();
			(void)vg_activity_info(vf_kc(), rt->activity, &usage,
			    &quota, &depth);
			if (said++ < 4)
				vf_diag("vmfuzz: cannot make the playground "
				    "again: %s (usage %lu of %lu)",
				    vg_strerror(err), (unsigned long)usage,
				    (unsigned long)quota);
		}
		n++;
	}
	if (oid_of(vf.p_g, VG_TYPE_THREAD) != vf.g_oid ||
	    vf.g_oid == 0 || oid_of(vf.p_gm, VG_TYPE_MESSENGER) == 0) {
		(void)make_guest();
		n++;
	}
	for (unsigned k = 0; k < VF_MB; k++) {
		if (oid_of(vf.p_mb[k], VG_TYPE_MESSENGER) == vf.mb_oid[k] &&
		    vf.mb_oid[k] != 0) {
			if (full) {
				vf_count_syscall();
				(void)vg_messenger_id_set(vf_kc(), vf.p_mb[k],
				    vg_act_id(&mb_handlers[k].h));
				(void)arm_page(vf.p_mb[k]);
			}
			continue;
		}
		(void)make_mb(k);
		n++;
	}
	if (oid_of(vf.p_am, VG_TYPE_MESSENGER) == 0) {
		(void)mf_messenger(VF_MF_AM, vf.p_am, VG_ADDR_VOID, 0, 0);
		n++;
	}
	if (oid_of(vf.p_vz, VG_TYPE_MESSENGER) == 0) {
		(void)vf_virt_init();
		n++;
	} else if (full) {
		vf_virt_arm();
	}
	/* My wake messenger receives. */
	(void)arm_inline(vf.p_mw);
	refresh_model();
	vf.broken = false;
	t_mailbox()->value[T_VF_REPAIRS] += n;
	return n;
}
