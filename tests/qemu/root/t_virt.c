/*
 * Virtualized cappage indexing end to end: this task serves a virtual
 * cappage in the address space of "tvirt" (tests/qemu/virt/virt.c): its
 * root slot T_VIRT_SLOT holds an rmessenger to V, a messenger of mine,
 * where a cappage would be indexed.  The kernel sends V an INDEX request
 * for every source capability or send target whose address goes through
 * it, and a STORE request for every target slot, carried by the child's
 * sending messenger; this task answers from a real cappage of its own
 * (the backing store), and the kernel resumes the transfer.  Virtual slot
 * 3 is a second virtual level (V2), so that one address suspends twice.
 */
#include "troot.h"

enum {
	R_INDEX, R_NESTED, R_VOID, R_STORE, R_TARGET, R_SEQUENCE, R_EXIT, R_N
};

static const char *const names[R_N] = {
	[R_INDEX] = "INDEX: a source capability behind the virtual cappage is "
	    "fetched from this task and arrives (a page of mine, readable)",
	[R_NESTED] = "nested virtual levels: an address through two "
	    "virtualizers resolves (two INDEX requests, one page)",
	[R_VOID] = "a void virtual slot makes exactly that capability arrive "
	    "void",
	[R_STORE] = "STORE: target slots behind the virtual cappage reach this "
	    "task with the capability, which it stores (a page the child "
	    "wrote, its rmessenger)",
	[R_TARGET] = "a send whose target is found through the virtual "
	    "cappage is delivered, carrying a capability fetched back through "
	    "it",
	[R_SEQUENCE] = "the virtualizers saw exactly the expected requests, "
	    "in order, with the right residual addresses, and every answer "
	    "was taken",
	[R_EXIT] = "the program exits cleanly",
};

/* One virtual level: its messenger, its backing cappage, the slots a
 * request's capabilities land in. */
struct vlevel {
	struct probe p;
	unsigned tag;
	vg_addr_t bk, c0, c1;
	uint64_t bad, answer_errors;
};

#define VLOG_MAX	32
struct vreq {
	unsigned tag;
	uint64_t method;
	vg_addr_t residual;
};
static struct vreq vlog[VLOG_MAX];
static unsigned nvlog;

static struct tchild ch;
static struct vlevel v1, v2;
static struct probe ans;

static enum vg_err
level_arm(struct vlevel *l)
{
	vg_addr_t slots[2] = { l->c0, l->c1 };

	return probe_arm_page(&l->p, slots, 2);
}

/* In the activation handler: a request for level L. */
static void
virt_hook(struct probe *p, const struct vg_activation *a)
{
	struct vlevel *l = p->cookie;
	struct vg_runtime *rt = vg_self();
	uint64_t method = vg_msg_word(p->page, 0);
	vg_addr_t res = { vg_msg_word(p->page, 1) };
	unsigned depth = vg_addr_depth(res);
	struct vg_ipc_args r = {
		.flags = VG_IPC_SEND | VG_IPC_SEND_INLINE |
		    VG_IPC_INLINE_WORDS(2) | VG_IPC_RETURN,
		.target = l->c0,
		.send_messenger = ans.m,
	};
	enum vg_err err = VG_OK;

	if (!(a->reason & VG_ACTIVATION_RECEIVED))
		return;
	if (nvlog < VLOG_MAX)
		vlog[nvlog] = (struct vreq){ l->tag, method, res };
	nvlog++;
	if (!vg_msg_cap_arrived(p->page, 0) || vg_msg_nwords(p->page) < 2) {
		l->bad++;
		goto rearm;
	}
	if (depth < 8) {
		err = VG_ERR_ADDR_SHORT;
	} else {
		unsigned idx = (unsigned)(vg_addr_prefix(res) >> (depth - 8)) &
		    0xff;
		vg_addr_t slot = vg_addr_extend(l->bk, idx, 8);

		switch (method) {
		case VG_METHOD_INDEX:
			/* The capability in my slot IDX, 8 bits consumed. */
			r.flags |= VG_IPC_INLINE_CAP;
			r.inline_cap = slot;
			break;
		case VG_METHOD_STORE:
			if (depth == 8) {
				err = vg_msg_cap_arrived(p->page, 1) ?
				    vg_as_copy(vg_kcall(), rt->self_root, slot,
				    l->c1, 0, (struct vg_cap_translator){ 0 }) :
				    VG_ERR_VOID;
			} else {
				/* Deeper: go on from the slot's content. */
				r.flags |= VG_IPC_INLINE_CAP;
				r.inline_cap = slot;
			}
			break;
		default:
			err = VG_ERR_METHOD;
			break;
		}
	}
	r.inline_words[0] = err;
	r.inline_words[1] = 8;
	if (vg_ipc(&r) != VG_OK)
		l->answer_errors++;
rearm:
	if (level_arm(l) != VG_OK)
		l->bad++;
}

static enum vg_err
level_init(struct vlevel *l, const char *name, unsigned tag)
{
	enum vg_err err;

	*l = (struct vlevel){ .tag = tag, .bk = t_slot(), .c0 = t_slot(),
	    .c1 = t_slot() };
	err = probe_init(&l->p, name, true);
	l->p.hook = virt_hook;
	l->p.cookie = l;
	if (err == VG_OK)
		err = vg_obj_alloc(vg_kcall(), &vg_self()->alloc,
		    VG_TYPE_CAPPAGE, l->bk);
	if (err == VG_OK)
		err = level_arm(l);
	return err;
}

static void
level_fini(struct vlevel *l)
{
	probe_fini(&l->p);
	t_slot_free(&l->bk);
	t_slot_free(&l->c0);
	t_slot_free(&l->c1);
}

/* Put the page at VA (words WORD + k) in slot I of L's backing cappage. */
static enum vg_err
back_page(struct vlevel *l, unsigned i, uint64_t va, uint64_t word)
{
	for (unsigned k = 0; k < VG_PAGE_SIZE / 8; k++)
		((uint64_t *)VG_PTR(va))[k] = word + k;
	return vg_as_copy(vg_kcall(), vg_self()->self_root,
	    vg_addr_extend(l->bk, i, 8), vg_addr_of_data(va), 0,
	    (struct vg_cap_translator){ 0 });
}

static bool
vlog_is(unsigned i, unsigned tag, uint64_t method, uint64_t prefix,
    unsigned depth)
{
	if (i >= nvlog || i >= VLOG_MAX)
		return t_expect(false, "request %u: missing", i);
	return t_expect(vlog[i].tag == tag && vlog[i].method == method &&
	    vg_addr_eq(vlog[i].residual, vg_addr(prefix, depth)),
	    "request %u: V%u %#lx residual %#lx/%u, want V%u %#lx %#lx/%u", i,
	    vlog[i].tag, (unsigned long)vlog[i].method,
	    (unsigned long)vg_addr_prefix(vlog[i].residual),
	    vg_addr_depth(vlog[i].residual), tag, (unsigned long)method,
	    (unsigned long)prefix, depth);
}

static void
run(struct t_group *g)
{
	struct vg_runtime *rt = vg_self();
	uint64_t p1 = t_page(), p2 = t_page();
	enum vg_type t5 = VG_TYPE_VOID, t6 = VG_TYPE_VOID;
	const uint64_t *val;
	enum vg_err err;
	bool ok;

	nvlog = 0;
	err = probe_init(&ans, "virt.answer", false);
	if (err == VG_OK)
		err = level_init(&v1, "virt.v1", 1);
	if (err == VG_OK)
		err = level_init(&v2, "virt.v2", 2);
	/* V1: slot 1 a page, slot 3 the second level; V2: slot 2 a page. */
	if (err == VG_OK)
		err = p1 != 0 && p2 != 0 ? back_page(&v1, T_VIRT_ONE, p1,
		    T_VIRT_WORD_ONE) : VG_ERR_NO_STORAGE;
	if (err == VG_OK)
		err = back_page(&v2, T_VIRT_NEST_TWO, p2, T_VIRT_WORD_TWO);
	if (err == VG_OK)
		err = vg_as_copy(vg_kcall(), rt->self_root,
		    vg_addr_extend(v1.bk, T_VIRT_NEST, 8), v2.p.weak, 0,
		    (struct vg_cap_translator){ 0 });
	if (err == VG_OK)
		err = child_load(&ch, "tvirt", 4, 0, NULL, true);
	if (err == VG_OK)
		err = child_give(&ch, T_VIRT_SLOT, v1.p.weak, false);
	if (err == VG_OK)
		err = child_start(&ch);
	if (!t_expect(err == VG_OK, "set-up: %s", vg_strerror(err)))
		goto out;
	/* Its exit (or its fault). */
	t_wait_for(&ch.events, 1);
	val = ch.mb->value;
	if (!t_expect(ch.exited == 1, "tvirt did not exit: %lu faults "
	    "(%s at %#lx)", (unsigned long)ch.faults,
	    vg_strerror(ch.fault.error),
	    (unsigned long)ch.fault.fault_address))
		(void)child_mailbox_ok(&ch);

	ok = child_mailbox_ok(&ch);
	t_ok(g, R_EXIT, t_expect(ch.status == 0, "tvirt exited with status %ld",
	    (long)ch.status) && ok);
	t_ok(g, R_INDEX, t_expect(val[0] == 5 && val[2] == 1,
	    "message 1: %lu capabilities, virtual slot 1 %s",
	    (unsigned long)val[0], val[2] ? "read back" : "not readable"));
	t_ok(g, R_NESTED, t_expect(val[3] == 1, "the nested slot was %s",
	    val[3] ? "read back" : "not readable"));
	t_ok(g, R_VOID, t_expect(val[1] == 1u << 4 && val[4] == 1,
	    "cap_void %#lx (want %#x), the target slot %s",
	    (unsigned long)val[1], 1u << 4, val[4] ? "void" : "not void"));

	/* What the STORE requests left in my backing cappage. */
	(void)vg_as_read(vg_kcall(), rt->self_root,
	    vg_addr_extend(v1.bk, T_VIRT_STORE_PAGE, 8), &t5, NULL);
	(void)vg_as_read(vg_kcall(), rt->self_root,
	    vg_addr_extend(v1.bk, T_VIRT_STORE_MSGR, 8), &t6, NULL);
	ok = t_expect(t5 == VG_TYPE_PAGE && t6 == VG_TYPE_RMESSENGER,
	    "stored: a %s and a %s", vg_type_name(t5), vg_type_name(t6));
	if (ok) {
		const volatile uint64_t *w = vg_as_map_temp(&rt->as, 1,
		    vg_addr_extend(v1.bk, T_VIRT_STORE_PAGE, 8));

		ok = t_expect(w != NULL && w[0] == T_VIRT_WORD_CHILD &&
		    w[511] == T_VIRT_WORD_CHILD + 511,
		    "the stored page does not hold what the child wrote");
		(void)vg_as_unmap_temp(&rt->as, 1);
	}
	t_ok(g, R_STORE, ok);
	t_ok(g, R_TARGET, t_expect(val[5] == 1 && val[6] == 1 &&
	    val[7] == 2, "message 2: caps|void %#lx, page %s, %lu delivered",
	    (unsigned long)val[5], val[6] ? "read back" : "not readable",
	    (unsigned long)val[7]));

	/* Message 1: sources 0, 1 (two levels), 4; targets 2, 3.
	 * Message 2: the target, then source 0. */
	ok = t_expect(nvlog == 8, "%u requests, want 8", nvlog);
	ok &= vlog_is(0, 1, VG_METHOD_INDEX, T_VIRT_ONE, 8);
	ok &= vlog_is(1, 1, VG_METHOD_INDEX,
	    T_VIRT_NEST << 8 | T_VIRT_NEST_TWO, 16);
	ok &= vlog_is(2, 2, VG_METHOD_INDEX, T_VIRT_NEST_TWO, 8);
	ok &= vlog_is(3, 1, VG_METHOD_INDEX, T_VIRT_VOID, 8);
	ok &= vlog_is(4, 1, VG_METHOD_STORE, T_VIRT_STORE_PAGE, 8);
	ok &= vlog_is(5, 1, VG_METHOD_STORE, T_VIRT_STORE_MSGR, 8);
	ok &= vlog_is(6, 1, VG_METHOD_INDEX, T_VIRT_STORE_MSGR, 8);
	ok &= vlog_is(7, 1, VG_METHOD_INDEX, T_VIRT_STORE_PAGE, 8);
	ok &= t_expect(v1.bad + v2.bad + v1.answer_errors + v2.answer_errors
	    == 0 && ans.events == 0, "malformed requests %lu/%lu, answers "
	    "not taken %lu/%lu, answer activations %lu",
	    (unsigned long)v1.bad, (unsigned long)v2.bad,
	    (unsigned long)v1.answer_errors, (unsigned long)v2.answer_errors,
	    (unsigned long)ans.events);
	ok &= t_expect(v1.p.errors + v2.p.errors == 0 &&
	    v1.p.received + v2.p.received == nvlog,
	    "virtualizer activations: %lu + %lu received, %lu errors",
	    (unsigned long)v1.p.received, (unsigned long)v2.p.received,
	    (unsigned long)(v1.p.errors + v2.p.errors));
	t_ok(g, R_SEQUENCE, ok);
out:
	child_destroy(&ch);
	level_fini(&v1);
	level_fini(&v2);
	probe_fini(&ans);
	t_page_free(p1);
	t_page_free(p2);
}

struct t_group t_group_virt = {
	.name = "virt",
	.n = R_N,
	.names = names,
	.run = run,
};
