/*
 * A user-level pager with copy-on-write and demand-zero regions
 * (libvg/pager.h): this task is the pager of "tcow" (tests/qemu/cow).
 * Two root slots of tcow's space are copy-on-write copies of the same
 * template pages of mine (filled with a pattern), a third is
 * demand-zero.  The kernel sends every fault there to my regions as a
 * FAULT request, carried by tcow's exception messenger E (mine, so that
 * a refused fault would reach me).  tcow checks what it reads; I check
 * afterwards that my template is unchanged, what the pager made (one
 * copy per written page, none for pages only read) and what is in the
 * pages it made.
 */
#include <libvg/pager.h>

#include "troot.h"
#include "../cow/cow.h"

extern struct t_group t_group_cow;

enum {
	R_READ, R_APART, R_ONE_COPY, R_TEMPLATE, R_ZERO, R_HOSTILE, R_EXIT, R_N
};

static const char *const names[R_N] = {
	[R_READ] = "copy-on-write: two regions copied from one template read "
	    "its contents, and read faults are answered with read-only pages "
	    "of the template (no copy for a page only read)",
	[R_APART] = "copy-on-write pages keep their contents apart after a "
	    "write",
	[R_ONE_COPY] = "exactly one copy per written copy-on-write page (5 in "
	    "one region, 2 in the other), each holding what the child wrote",
	[R_TEMPLATE] = "the template pages are unchanged after the child "
	    "wrote to both copies",
	[R_ZERO] = "demand-zero: reads see zeros through one shared read-only "
	    "zero page (still zero), a write gets a private zeroed page that "
	    "keeps the data",
	[R_HOSTILE] = "messages to a region that are not requests are counted "
	    "and ignored; nothing was refused or failed",
	[R_EXIT] = "tcow's own checks passed and it exits cleanly, never "
	    "faulting",
};

static struct tchild ch;
static struct probe e;
static struct vg_pager pager;
static struct vg_pager_template tmpl;
static struct vg_pager_region ra, rb, rz;
static uint64_t tpl[T_COW_PAGES];

/* Does the page whose capability is at PAGE (my space) hold what WHO
 * wrote in page I (t_cow_expect)? */
static bool
page_holds(vg_addr_t page, unsigned who, unsigned i)
{
	struct vg_runtime *rt = vg_self();
	const volatile uint64_t *w;
	bool ok;

	if (vg_addr_is_void(page))
		return false;
	w = vg_as_map_temp(&rt->as, 1, page);
	ok = w != NULL;
	for (unsigned k = 0; ok && k < VG_PAGE_SIZE / 8; k++)
		ok = w[k] == t_cow_expect(who, i, k);
	(void)vg_as_unmap_temp(&rt->as, 1);
	return ok;
}

/* The pages of G in state PRIVATE, as a bit mask (pages 0..31). */
static uint32_t
private_mask(const struct vg_pager_region *g)
{
	uint32_t m = 0;

	for (unsigned i = 0; i < 32 && i < g->npages; i++)
		if (vg_pager_page_state(g, i) == VG_PAGER_PRIVATE)
			m |= 1u << i;
	return m;
}

/* Every private page of G holds WHO's words, every other one it was
 * asked for is shared; no refusals, no failures. */
static bool
region_ok(const struct vg_pager_region *g, const char *name, unsigned who,
    uint32_t written, uint32_t read)
{
	const struct vg_pager_stats *s = vg_pager_region_stats(g);
	bool ok;

	ok = t_expect(private_mask(g) == written, "%s: private pages %#x, "
	    "want %#x", name, private_mask(g), written);
	for (unsigned i = 0; i < 32 && i < g->npages; i++) {
		if (written & (1u << i))
			ok &= t_expect(page_holds(vg_pager_private_page(g, i),
			    who, i), "%s%u: my private page does not hold "
			    "what the child wrote", name, i);
		else if (read & (1u << i))
			ok &= t_expect(vg_pager_page_state(g, i) ==
			    VG_PAGER_SHARED && vg_addr_is_void(
			    vg_pager_private_page(g, i)), "%s%u: only read, "
			    "yet state %u", name, i, vg_pager_page_state(g, i));
	}
	ok &= t_expect(s->reads + s->writes == s->faults &&
	    s->faults == s->shared + s->privates + s->copies + s->zero_fills,
	    "%s: %lu faults (%lu reads, %lu writes) but %lu shared, %lu "
	    "private, %lu copies, %lu zero fills", name,
	    (unsigned long)s->faults, (unsigned long)s->reads,
	    (unsigned long)s->writes, (unsigned long)s->shared,
	    (unsigned long)s->privates, (unsigned long)s->copies,
	    (unsigned long)s->zero_fills);
	t_diag("region %s: %lu faults (%lu reads, %lu writes): %lu answered "
	    "with a read-only shared page, %lu with a private one, %lu "
	    "copies, %lu zero fills", name, (unsigned long)s->faults,
	    (unsigned long)s->reads, (unsigned long)s->writes,
	    (unsigned long)s->shared, (unsigned long)s->privates,
	    (unsigned long)s->copies, (unsigned long)s->zero_fills);
	return ok;
}

static enum vg_err
setup(void)
{
	struct vg_runtime *rt = vg_self();
	struct vg_cap_translator none = { 0 };
	vg_addr_t src[T_COW_PAGES];
	enum vg_err err = VG_OK;

	for (unsigned i = 0; i < T_COW_PAGES; i++) {
		tpl[i] = t_page();
		if (tpl[i] == 0)
			return VG_ERR_NO_STORAGE;
		for (unsigned k = 0; k < VG_PAGE_SIZE / 8; k++)
			((uint64_t *)VG_PTR(tpl[i]))[k] =
			    t_cow_word(T_COW_T, i, k);
		src[i] = vg_addr_of_data(tpl[i]);
	}
	err = vg_pager_init(&pager, NULL);
	if (err == VG_OK)
		err = vg_pager_template_create(&pager, &tmpl, src,
		    T_COW_PAGES);
	if (err == VG_OK)
		err = vg_pager_region_create(&pager, &ra, "cow.a", T_COW_PAGES,
		    &tmpl);
	if (err == VG_OK)
		err = vg_pager_region_create(&pager, &rb, "cow.b", T_COW_PAGES,
		    &tmpl);
	if (err == VG_OK)
		err = vg_pager_region_create(&pager, &rz, "cow.z",
		    T_COW_ZERO_PAGES, NULL);
	if (err == VG_OK)
		err = probe_init(&e, "cow.exception", false);
	if (err == VG_OK)
		err = child_load(&ch, "tcow", 4, 0, NULL, false);
	if (err == VG_OK)
		err = vg_as_copy(vg_kcall(), rt->self_root,
		    vg_as_root_slot(&ch.sp.as, T_COW_REGION_A),
		    vg_pager_region_cap(&ra), 0, none);
	if (err == VG_OK)
		err = vg_as_copy(vg_kcall(), rt->self_root,
		    vg_as_root_slot(&ch.sp.as, T_COW_REGION_B),
		    vg_pager_region_cap(&rb), 0, none);
	if (err == VG_OK)
		err = vg_as_copy(vg_kcall(), rt->self_root,
		    vg_as_root_slot(&ch.sp.as, T_COW_REGION_Z),
		    vg_pager_region_cap(&rz), 0, none);
	/* Its faults: requests carried by E, errors reported to E. */
	if (err == VG_OK)
		err = vg_as_copy(vg_kcall(), rt->self_root,
		    vg_addr_extend(ch.sp.thread, VG_THREAD_SLOT_EXCEPTION, 2),
		    e.m, 0, none);
	return err;
}

static void
run(struct t_group *g)
{
	const struct vg_pager_stats *sa = vg_pager_region_stats(&ra);
	const struct vg_pager_stats *sb = vg_pager_region_stats(&rb);
	const struct vg_pager_stats *sz = vg_pager_region_stats(&rz);
	const uint64_t *val;
	enum vg_err err;
	bool ok, mb_ok, same;

	err = setup();
	if (err == VG_OK)
		err = child_start(&ch);
	if (!t_expect(err == VG_OK, "set-up: %s", vg_strerror(err)))
		goto out;
	while (ch.exited == 0 && e.faults == 0) {
		t_wake = 0;
		if (ch.exited != 0 || e.faults != 0)
			break;
		vg_wait_nonzero(&t_wake);
	}
	val = ch.mb->value;
	mb_ok = child_mailbox_ok(&ch);
	t_expect(val[TC_DONE] == 1, "tcow stopped at stage %lu (%lu exits; "
	    "%lu faults: %s at %#lx)", (unsigned long)ch.mb->stage,
	    (unsigned long)ch.exited, (unsigned long)e.faults,
	    vg_strerror(e.last_fault.error),
	    (unsigned long)e.last_fault.fault_address);

	/* Pages A1, A6, A7 and B2..B7 were only read. */
	ok = region_ok(&ra, "A", T_COW_A, T_COW_WRITTEN_A, 0xff);
	ok &= region_ok(&rb, "B", T_COW_B, T_COW_WRITTEN_B, 0xff);
	t_ok(g, R_READ, t_expect(val[TC_READ] == 1 && val[TC_AGAIN] == 1,
	    "the child read %s the template (again: %s)",
	    val[TC_READ] ? "" : "not", val[TC_AGAIN] ? "yes" : "no") &&
	    t_expect(sa->shared >= T_COW_PAGES && sb->shared >= T_COW_PAGES,
	    "read faults answered with the template: %lu in A, %lu in B",
	    (unsigned long)sa->shared, (unsigned long)sb->shared) && ok);
	t_ok(g, R_APART, t_expect(val[TC_APART] == 1 && val[TC_SEVERAL] == 1,
	    "the child saw a write in one copy in the other (%lu, %lu)",
	    (unsigned long)val[TC_APART], (unsigned long)val[TC_SEVERAL]) &&
	    t_expect(page_holds(vg_pager_private_page(&ra, 0), T_COW_A, 0) &&
	    page_holds(vg_pager_private_page(&rb, 0), T_COW_B, 0),
	    "the private pages of A0 and B0 are not apart"));
	t_ok(g, R_ONE_COPY, t_expect(sa->copies == 5 && sb->copies == 2 &&
	    sz->copies == 0 && sa->zero_fills + sb->zero_fills == 0,
	    "copies: %lu in A (want 5), %lu in B (want 2), %lu in Z; zero "
	    "fills in A and B: %lu", (unsigned long)sa->copies,
	    (unsigned long)sb->copies, (unsigned long)sz->copies,
	    (unsigned long)(sa->zero_fills + sb->zero_fills)) && ok);

	same = true;
	for (unsigned i = 0; i < T_COW_PAGES; i++)
		for (unsigned k = 0; k < VG_PAGE_SIZE / 8; k++)
			same &= ((const uint64_t *)VG_PTR(tpl[i]))[k] ==
			    t_cow_word(T_COW_T, i, k);
	t_ok(g, R_TEMPLATE, t_expect(same, "my template pages changed"));

	ok = region_ok(&rz, "Z", T_COW_Z, T_COW_WRITTEN_Z, 0x800f);
	ok &= t_expect(page_holds(pager.zero, 0, 0), "the zero page is not "
	    "zero");
	t_ok(g, R_ZERO, t_expect(val[TC_ZERO] == 1, "the child's zero "
	    "region checks failed") && t_expect(sz->zero_fills == 2 &&
	    sz->shared >= 3, "Z: %lu zero fills (want 2), %lu shared "
	    "answers", (unsigned long)sz->zero_fills,
	    (unsigned long)sz->shared) && ok);

	t_ok(g, R_HOSTILE, t_expect(sa->malformed == T_COW_MALFORMED &&
	    pager.stats.malformed == T_COW_MALFORMED &&
	    pager.stats.refused == 0 && pager.stats.errors == 0,
	    "malformed %lu in A, %lu in all (want %u); %lu refused, %lu "
	    "failed", (unsigned long)sa->malformed,
	    (unsigned long)pager.stats.malformed, T_COW_MALFORMED,
	    (unsigned long)pager.stats.refused,
	    (unsigned long)pager.stats.errors));
	t_diag("the pager: %lu FAULT requests, %lu copies, %lu zero fills",
	    (unsigned long)pager.stats.faults,
	    (unsigned long)pager.stats.copies,
	    (unsigned long)pager.stats.zero_fills);
	t_ok(g, R_EXIT, t_expect(ch.exited == 1 && ch.status == 0 &&
	    e.faults == 0 && val[TC_DONE] == 1, "tcow: exited %lu, status "
	    "%ld, %lu faults", (unsigned long)ch.exited, (long)ch.status,
	    (unsigned long)e.faults) && mb_ok);
out:
	child_destroy(&ch);
	vg_pager_region_destroy(&ra);
	vg_pager_region_destroy(&rb);
	vg_pager_region_destroy(&rz);
	vg_pager_template_destroy(&tmpl);
	vg_pager_fini(&pager);
	probe_fini(&e);
	for (unsigned i = 0; i < T_COW_PAGES; i++)
		t_page_free(tpl[i]);
}

struct t_group t_group_cow = {
	.name = "cow",
	.n = R_N,
	.names = names,
	.run = run,
};
