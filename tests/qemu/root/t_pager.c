/*
 * A user-level pager: this task serves the 4 MiB region T_PAGER_REGION of
 * "tpager" (tests/qemu/pager/pager.c).  That root slot of the child's
 * space holds an rmessenger to PG, a messenger of mine, so the kernel
 * cannot resolve the child's accesses there: it sends a FAULT request to
 * PG, carried by the child thread's exception messenger E (also mine).
 * The pager answers with a page of mine, made on demand (zero filled),
 * or, for a first read of page T_PAGER_RPAGE, a read-only rpage, or
 * refuses pages past T_PAGER_PAGES; a refused fault reaches E's thread
 * (this task) as FAULT | ERROR with the address.
 */
#include "troot.h"

enum {
	R_ZERO, R_RW, R_WRITEFLAG, R_REQUESTS, R_REFUSED, R_CHECKS, R_N
};

static const char *const names[R_N] = {
	[R_ZERO] = "demand-zero: pages the child only read are zero, each "
	    "made by this task's pager when the child first touched it",
	[R_RW] = "the child writes and reads back 10 pager pages, and the "
	    "pager finds the child's data in its own pages",
	[R_WRITEFLAG] = "FAULT requests carry the access: a read answered "
	    "with an rpage, then a write fault on that page answered with the "
	    "page",
	[R_REQUESTS] = "every FAULT request came through the child's "
	    "exception messenger for a page it touched, with a 10-bit "
	    "residual and a reply right",
	[R_REFUSED] = "a page the pager refuses: the child is suspended and "
	    "its exception messenger's thread gets FAULT | ERROR with the "
	    "address and the pager's error",
	[R_CHECKS] = "the child saw its own writes and zeros everywhere else",
};

static struct tchild ch;
static struct probe pg, e, ans;
static vg_addr_t bk, bkw, c0;

#define PAGES_LOG	(T_PAGER_PAGES + 1)	/* the last one: refused */
static struct {
	uint32_t requests, reads, writes;
	uint32_t first_write;		/* 1: the first request was a write */
	uint32_t rpages;		/* answered with an rpage */
} pages[PAGES_LOG];
static uint64_t bad_requests, answer_errors, alloc_errors, other_pages;

static unsigned
log_index(uint64_t idx)
{
	return idx < T_PAGER_PAGES ? (unsigned)idx : T_PAGER_PAGES;
}

/* In the activation handler: a FAULT request. */
static void
pager_hook(struct probe *p, const struct vg_activation *a)
{
	struct vg_runtime *rt = vg_self();
	uint64_t method = vg_msg_word(p->page, 0);
	vg_addr_t res = { vg_msg_word(p->page, 1) };
	uint64_t write = vg_msg_word(p->page, 2);
	uint64_t idx = vg_addr_prefix(res);
	struct vg_ipc_args r = {
		.flags = VG_IPC_SEND | VG_IPC_SEND_INLINE |
		    VG_IPC_INLINE_WORDS(2) | VG_IPC_RETURN,
		.target = c0,
		.send_messenger = ans.m,
		.inline_words = { VG_OK, 10 },
	};
	unsigned li;

	if (!(a->reason & VG_ACTIVATION_RECEIVED))
		return;
	if (method != VG_METHOD_FAULT || vg_addr_depth(res) != 10 ||
	    vg_msg_nwords(p->page) != 3 || !vg_msg_cap_arrived(p->page, 0) ||
	    write > 1) {
		bad_requests++;
		goto rearm;
	}
	li = log_index(idx);
	if (li == T_PAGER_PAGES && idx != T_PAGER_BAD)
		other_pages++;
	if (pages[li].requests++ == 0)
		pages[li].first_write = (uint32_t)write;
	if (write)
		pages[li].writes++;
	else
		pages[li].reads++;
	if (idx >= T_PAGER_PAGES) {
		r.inline_words[0] = VG_ERR_VOID;
	} else {
		vg_addr_t slot = vg_addr_extend(bk, idx, 8);
		vg_addr_t weak = vg_addr_extend(bkw, idx, 8);
		enum vg_type type = VG_TYPE_VOID;
		enum vg_err err;

		(void)vg_as_read(vg_kcall(), rt->self_root, slot, &type, NULL);
		if (type == VG_TYPE_VOID) {
			/* Demand zero: a new page. */
			err = vg_obj_alloc(vg_kcall(), &rt->alloc,
			    VG_TYPE_PAGE, slot);
			if (err == VG_OK)
				err = vg_as_copy(vg_kcall(), rt->self_root,
				    weak, slot, VG_CAP_COPY_WEAKEN,
				    (struct vg_cap_translator){ 0 });
			if (err != VG_OK) {
				alloc_errors++;
				r.inline_words[0] = err;
				goto answer;
			}
		}
		r.flags |= VG_IPC_INLINE_CAP;
		r.inline_cap = slot;
		/* Page T_PAGER_RPAGE: reads get an rpage. */
		if (idx == T_PAGER_RPAGE && !write) {
			r.inline_cap = weak;
			pages[li].rpages++;
		}
	}
answer:
	if (vg_ipc(&r) != VG_OK)
		answer_errors++;
rearm:
	(void)probe_arm_page(p, &c0, 1);
}

/* My page I, or NULL if there is none. */
static const volatile uint64_t *
backing(unsigned i)
{
	struct vg_runtime *rt = vg_self();
	enum vg_type type = VG_TYPE_VOID;

	(void)vg_as_read(vg_kcall(), rt->self_root, vg_addr_extend(bk, i, 8),
	    &type, NULL);
	if (type != VG_TYPE_PAGE)
		return NULL;
	return vg_as_map_temp(&rt->as, 1, vg_addr_extend(bk, i, 8));
}

static void
run(struct t_group *g)
{
	struct vg_runtime *rt = vg_self();
	struct vg_cap_translator none = { 0 };
	const struct vg_activation *fa = &e.last_fault;
	struct vg_exregs x = { .control = 0 };
	struct vg_exregs_old old = { 0 };
	uint64_t bad_addr = T_PAGER_BASE + (uint64_t)T_PAGER_BAD *
	    VG_PAGE_SIZE + 3 * 8;
	enum vg_err err;
	bool ok;

	memset(pages, 0, sizeof(pages));
	bad_requests = answer_errors = alloc_errors = other_pages = 0;
	bk = t_slot();
	bkw = t_slot();
	c0 = t_slot();
	err = probe_init(&pg, "pager", true);
	pg.hook = pager_hook;
	if (err == VG_OK)
		err = probe_init(&e, "pager.exception", false);
	if (err == VG_OK)
		err = probe_init(&ans, "pager.answer", false);
	if (err == VG_OK)
		err = vg_obj_alloc(vg_kcall(), &rt->alloc, VG_TYPE_CAPPAGE, bk);
	if (err == VG_OK)
		err = vg_obj_alloc(vg_kcall(), &rt->alloc, VG_TYPE_CAPPAGE,
		    bkw);
	if (err == VG_OK)
		err = probe_arm_page(&pg, &c0, 1);
	if (err == VG_OK)
		err = child_load(&ch, "tpager", 2, 0, NULL, false);
	/* Its region: my pager.  Its exception messenger: E. */
	if (err == VG_OK)
		err = vg_as_copy(vg_kcall(), rt->self_root,
		    vg_as_root_slot(&ch.sp.as, T_PAGER_REGION), pg.weak, 0,
		    none);
	if (err == VG_OK)
		err = vg_as_copy(vg_kcall(), rt->self_root,
		    vg_addr_extend(ch.sp.thread, VG_THREAD_SLOT_EXCEPTION, 2),
		    e.m, 0, none);
	if (err == VG_OK)
		err = child_start(&ch);
	if (!t_expect(err == VG_OK, "set-up: %s", vg_strerror(err)))
		goto out;

	/* Its report after the good accesses, then its fault: or, if
	 * something went wrong, an earlier fault or an exit.  (Not the
	 * report: the fault may still be to come.) */
	while (e.faults == 0 && ch.exited == 0) {
		t_wake = 0;
		if (e.faults != 0 || ch.exited != 0)
			break;
		vg_wait_nonzero(&t_wake);
	}
	if (!t_expect(ch.reports == 1 && ch.mb->stage == 3,
	    "the child stopped at stage %lu (%lu reports, %lu exits, %s at "
	    "%#lx)", (unsigned long)ch.mb->stage, (unsigned long)ch.reports,
	    (unsigned long)ch.exited, vg_strerror(e.last_fault.error),
	    (unsigned long)e.last_fault.fault_address))
		(void)child_mailbox_ok(&ch);

	/* Zero pages: 9..11 only read (8 was written after). */
	ok = t_expect(ch.report[1] & 1 && ch.report[1] & (1u << 9) &&
	    ch.report[1] & (1u << 11), "the child found data in pages it "
	    "never wrote (%#lx)", (unsigned long)ch.report[1]);
	for (unsigned i = 9; i <= 11; i++) {
		const volatile uint64_t *w = backing(i);
		bool zero = w != NULL;

		for (unsigned k = 0; zero && k < VG_PAGE_SIZE / 8; k++)
			zero = w[k] == 0;
		ok &= t_expect(zero, "my page %u is not zero", i);
		ok &= t_expect(pages[i].requests >= 1 &&
		    pages[i].writes == 0 && pages[i].first_write == 0,
		    "page %u: %u requests, %u writes", i, pages[i].requests,
		    pages[i].writes);
	}
	t_ok(g, R_ZERO, ok);

	/* The data, seen from both sides. */
	ok = t_expect((ch.report[1] & 0x7fe) == 0x7fe && (ch.report[1] &
	    (1u << 13)), "the child's read-backs: %#lx",
	    (unsigned long)ch.report[1]);
	for (unsigned n = 0; n < 10; n++) {
		unsigned i = n < 9 ? n : T_PAGER_PAGES - 1;
		const volatile uint64_t *w = backing(i);
		bool same = w != NULL;

		for (unsigned k = 0; same && k < VG_PAGE_SIZE / 8; k++)
			same = w[k] == t_pager_word(i, k);
		ok &= t_expect(same, "my page %u does not hold what the child "
		    "wrote", i);
		ok &= t_expect(pages[i].first_write == (i == 0 || i == 8 ?
		    0u : 1u), "page %u: first request was a %s", i,
		    pages[i].first_write ? "write" : "read");
	}
	t_ok(g, R_RW, ok);

	/* Page T_PAGER_RPAGE: read, rpage; write, page. */
	{
		const volatile uint64_t *w = backing(T_PAGER_RPAGE);
		unsigned i = T_PAGER_RPAGE;

		ok = t_expect(pages[i].first_write == 0 &&
		    pages[i].rpages >= 1 && pages[i].writes >= 1,
		    "page %u: first a %s, %u rpages, %u writes", i,
		    pages[i].first_write ? "write" : "read", pages[i].rpages,
		    pages[i].writes);
		ok &= t_expect((ch.report[1] & (3u << 11)) == (3u << 11) &&
		    w != NULL && w[0] == t_pager_word(i, 0) &&
		    w[511] == t_pager_word(i, 511),
		    "page %u: the write did not land", i);
		t_ok(g, R_WRITEFLAG, ok);
	}

	/* The requests: only pages it touched, all well formed. */
	{
		uint64_t total = 0;
		unsigned distinct = 0;

		for (unsigned i = 0; i < PAGES_LOG; i++) {
			total += pages[i].requests;
			distinct += pages[i].requests != 0;
		}
		ok = t_expect(distinct == 15 && other_pages == 0,
		    "requests for %u pages (want 15), %lu for pages never "
		    "touched", distinct, (unsigned long)other_pages);
		ok &= t_expect(bad_requests == 0 && answer_errors == 0 &&
		    alloc_errors == 0 && ans.events == 0,
		    "%lu malformed requests, %lu answers refused, %lu "
		    "allocation errors", (unsigned long)bad_requests,
		    (unsigned long)answer_errors, (unsigned long)alloc_errors);
		ok &= t_expect(pg.received == total && pg.errors == 0,
		    "the pager got %lu requests, counted %lu",
		    (unsigned long)pg.received, (unsigned long)total);
		t_diag("%lu FAULT requests for 15 pages (the page tables are "
		    "a cache: they are dropped whenever any slot changes)",
		    (unsigned long)total);
		t_ok(g, R_REQUESTS, ok);
	}

	/* The refused page. */
	err = vg_thread_exregs(vg_kcall(), ch.sp.thread, &x, &old);
	ok = t_expect(e.faults == 1 && e.received == 0 && e.delivered == 0 &&
	    fa->reason == (VG_ACTIVATION_FAULT | VG_ACTIVATION_ERROR),
	    "E: %lu faults, %lu received, %lu delivered, reason %#x",
	    (unsigned long)e.faults, (unsigned long)e.received,
	    (unsigned long)e.delivered, fa->reason);
	ok &= t_expect(fa->error == VG_ERR_VOID && fa->fault_address ==
	    bad_addr && fa->exception == 0, "E: error %s, address %#lx "
	    "(want %#lx), vector %u", vg_strerror(fa->error),
	    (unsigned long)fa->fault_address, (unsigned long)bad_addr,
	    fa->exception);
	ok &= t_expect(pages[T_PAGER_PAGES].requests == 1,
	    "%u requests for the refused page",
	    pages[T_PAGER_PAGES].requests);
	ok &= t_expect(err == VG_OK && old.state == VG_THREAD_SUSPENDED &&
	    ch.mb->stage == 3, "the child: %s, state %lu, stage %lu",
	    vg_strerror(err), (unsigned long)old.state,
	    (unsigned long)ch.mb->stage);
	t_ok(g, R_REFUSED, ok);

	ok = child_mailbox_ok(&ch);
	t_ok(g, R_CHECKS, t_expect(ch.report[1] == 0x3fff && ch.report[2] == 0,
	    "the child's accesses %#lx, %lu failed checks",
	    (unsigned long)ch.report[1], (unsigned long)ch.report[2]) && ok);
out:
	(void)vg_as_unmap_temp(&rt->as, 1);
	child_destroy(&ch);
	probe_fini(&pg);
	probe_fini(&e);
	probe_fini(&ans);
	t_slot_free(&bk);
	t_slot_free(&bkw);
	t_slot_free(&c0);
}

struct t_group t_group_pager = {
	.name = "pager",
	.n = R_N,
	.names = names,
	.run = run,
};
