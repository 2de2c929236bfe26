/*
 * The fuzzer's virtualizer VZ (vmfuzz.h): a messenger of mine in MF that
 * the playground meets as an rmessenger (a slot of SB, a cappage's slot,
 * SB's region at VF_VIRT_VA), so that the kernel sends it INDEX, STORE
 * and FAULT requests.  Its handler only notes each request (the reply
 * right lands in one of SB's answer slots, a STORE's capability in one of
 * its store slots) and receives again; my operations answer later, from
 * a messenger in SB: right, wrong, twice, unasked, or never.
 */
#include <vg/method.h>

#include "vmfuzz.h"

static struct vg_act_handler h_vz;

/* Receive the next request: its reply right and its capability go to
 * the next answer and store slots (in SB, VZ's space). */
void
vf_virt_arm(void)
{
	struct vg_message *page = VG_PTR(vf.vz_va);
	struct vg_ipc_args a = {
		.flags = VG_IPC_RECEIVE | VG_IPC_RECEIVE_ACTIVATE |
		    VG_IPC_RETURN,
		.recv_messenger = vf.p_vz,
	};
	unsigned i = vf.next_answer % VF_PENDING;
	vg_addr_t slots[2] = {
		vf_sb_slot(VF_SB_ANSWER + i), vf_sb_slot(VF_SB_STORE + i),
	};

	vg_msg_preload(page, slots, 2);
	(void)vg_ipc(&a);
}

static void
on_request(struct vg_act_handler *h, const struct vg_activation *a)
{
	const struct vg_message *page = VG_PTR(vf.vz_va);
	unsigned i = vf.next_answer % VF_PENDING;
	struct vf_pending *p = &vf.pending[i];

	(void)h;
	t_mailbox()->value[T_VF_ACTIVATIONS]++;
	if (!(a->reason & VG_ACTIVATION_RECEIVED))
		return;
	t_mailbox()->value[T_VF_REQUESTS]++;
	/* Whatever came (a program may send anything), its reply right
	 * is in the answer slot if it had one. */
	*p = (struct vf_pending){
		.live = vg_msg_ncaps(page) >= 1 && !(page->cap_void & 1),
		.method = vg_msg_word(page, 0),
		.residual = (vg_addr_t){ vg_msg_word(page, 1) },
		.slot = VF_SB_ANSWER + i,
	};
	vf.slot[p->slot].type = VG_TYPE_RMESSENGER;
	vf.next_answer++;
	vf_virt_arm();
}

enum vg_err
vf_virt_init(void)
{
	struct vg_runtime *rt = vg_self();
	struct vg_cap_translator none = { 0 };
	struct vg_cap_translator guard = {
		.guard_depth = VG_BOOT_ROOT_GUARD_DEPTH };
	vg_addr_t m = vf.p_vz;
	enum vg_err err;

	h_vz = (struct vg_act_handler){ .fn = on_request,
	    .name = "vmfuzz.virtualizer" };
	vg_act_register(&h_vz);
	vf_count_syscall();
	err = vg_folio_object_alloc(vf_kc(), vf.p_mf, VF_MF_VZ,
	    VG_TYPE_MESSENGER, 0, m);
	if (err == VG_OK)
		err = vg_as_copy(vf_kc(), rt->self_root,
		    vg_addr_extend(m, VG_MESSENGER_SLOT_THREAD, 2), rt->thread,
		    0, none);
	if (err == VG_OK)
		err = vg_as_copy(vf_kc(), rt->self_root,
		    vg_addr_extend(m, VG_MESSENGER_SLOT_ASPACE, 2), vf.p_sb,
		    VG_CAP_COPY_GUARD, guard);
	if (err == VG_OK)
		err = vg_as_copy(vf_kc(), rt->self_root,
		    vg_addr_extend(m, VG_MESSENGER_SLOT_BUFFER, 2),
		    vg_addr_of_data(vf.vz_va), 0, none);
	if (err == VG_OK)
		err = vg_messenger_id_set(vf_kc(), m, vg_act_id(&h_vz));
	/* Where walks meet it: its slot of SB, and SB's virtual region. */
	if (err == VG_OK)
		err = vf_sb_put(VF_SB_VZ, m, VG_CAP_COPY_WEAKEN, none);
	if (err == VG_OK)
		err = vf_sb_put(VF_VIRT_VA >> VG_BOOT_REGION_SHIFT, m,
		    VG_CAP_COPY_WEAKEN, none);
	vf_count_syscall();
	vf.slot[VF_SB_VZ].type = VG_TYPE_RMESSENGER;
	if (err == VG_OK)
		vf_virt_arm();
	return err;
}

void
vf_virt_place(void)
{
	struct vg_runtime *rt = vg_self();
	struct vg_cap_translator tr = { 0 };
	vg_addr_t dst;
	int j;

	/* In a slot of SB, in a slot of a cappage I made, or at SB's
	 * virtual region; sometimes with a guard. */
	switch (vf_below(3)) {
	case 0:
		j = (int)vf_pick_dyn_slot();
		dst = vf_my_slot((unsigned)j);
		vf.slot[j].type = VG_TYPE_RMESSENGER;
		break;
	case 1:
		j = vf_pick_slot(VG_TYPE_CAPPAGE);
		if (j < 0)
			return;
		dst = vg_addr_extend(vf_my_slot((unsigned)j),
		    128 + vf_below(128), 8);
		break;
	default:
		dst = vf_my_slot(VF_VIRT_VA >> VG_BOOT_REGION_SHIFT);
		break;
	}
	if (vf_chance(20)) {
		tr.guard_depth = (uint8_t)vf_below(4);
		tr.guard = (uint32_t)vf_below(1u << tr.guard_depth);
	}
	vf_count_syscall();
	(void)vg_as_copy(vf_kc(), rt->self_root, dst, vf.p_vz,
	    VG_CAP_COPY_WEAKEN | (tr.guard_depth ? VG_CAP_COPY_GUARD : 0), tr);
}

/* A capability to answer with, in SB's view. */
static vg_addr_t
answer_cap(uint64_t method)
{
	if (method == VG_METHOD_FAULT && vf_chance(70))
		return vg_addr_of_data(vf_victim((unsigned)vf_below(
		    VF_VICTIM_PAGES)));
	if (vf_chance(60)) {
		static const enum vg_type types[] = {
			VG_TYPE_CAPPAGE, VG_TYPE_MESSENGER, VG_TYPE_RMESSENGER,
			VG_TYPE_PAGE, VG_TYPE_FOLIO, VG_TYPE_THREAD,
		};

		return vf_addr_sb_typed(types[vf_below(6)]);
	}
	return vf_addr_sb();
}

void
vf_virt_answer(void)
{
	unsigned start = (unsigned)vf_below(VF_PENDING), depth;
	struct vf_pending *p = NULL;
	struct vg_ipc_args a = {
		.flags = VG_IPC_SEND | VG_IPC_SEND_INLINE | VG_IPC_RETURN,
		.send_messenger = vf.p_am,
	};
	uint64_t r;
	unsigned nwords = 2;

	for (unsigned k = 0; k < VF_PENDING; k++) {
		struct vf_pending *q = &vf.pending[(start + k) % VF_PENDING];

		if (q->live) {
			p = q;
			break;
		}
	}
	/* Unasked: an answer to any messenger of SB. */
	if (p == NULL || vf_chance(5)) {
		a.target = vf_addr_sb_typed(VG_TYPE_RMESSENGER);
		depth = 8;
	} else {
		a.target = vf_sb_slot(p->slot);
		depth = vg_addr_depth(p->residual);
		/* Answered once, mostly; sometimes again later. */
		if (vf_chance(90))
			p->live = false;
	}
	a.inline_words[0] = VG_OK;
	a.inline_words[1] = depth < 8 || p == NULL ||
	    p->method != VG_METHOD_INDEX ? depth : 8;
	if (p != NULL && p->method == VG_METHOD_FAULT)
		a.inline_words[1] = depth;
	a.inline_cap = answer_cap(p != NULL ? p->method : 0);
	switch (vf_below(12)) {
	case 0:		/* an error, as a lookup would fail */
		a.inline_words[0] = 1 + vf_below(VG_ERR_COUNT - 1);
		break;
	case 1:		/* not an error code */
		a.inline_words[0] = VG_ERR_COUNT + vf_below(1000);
		break;
	case 2:		/* no words */
		nwords = 0;
		break;
	case 3:		/* no bit count */
		nwords = 1;
		break;
	case 4:		/* no bits, or too many */
		a.inline_words[1] = vf_chance(50) ? 0 : depth + 1 +
		    vf_below(64);
		break;
	case 5:		/* any number of bits */
		a.inline_words[1] = vf_word();
		break;
	case 6:		/* no capability */
		a.inline_cap = VG_ADDR_VOID;
		break;
	default:
		break;
	}
	a.flags |= VG_IPC_INLINE_WORDS(nwords) |
	    (vf_chance(90) ? VG_IPC_INLINE_CAP : 0) |
	    (vf_chance(50) ? VG_IPC_SEND_NONBLOCKING : 0);
	vf_trace(OP_ANSWER, a.target.raw, a.inline_words[0] |
	    a.inline_words[1] << 32);
	{
		uint64_t regs[11] = { VG_SYSCALL_IPC, a.flags, 0, 0,
		    a.target.raw, a.send_messenger.raw, a.inline_cap.raw,
		    a.inline_words[0], a.inline_words[1], a.inline_words[2],
		    a.inline_words[3] };

		vf_count_syscall();
		r = vf_syscall(regs);
	}
	if (r >= VG_ERR_COUNT && r != VF_SKIPPED)
		vf_oracle("vg_ipc returned %#lx (an answer)", (unsigned long)r);
	vf_trace_result(r);
	t_mailbox()->value[T_VF_ANSWERS]++;
}
