/*
 * Page tables are a cache of the capability space (docs/architecture.md):
 * a store into a slot that a cached translation went through must drop
 * it, while stores elsewhere need not.  This task maps page A at a
 * window, reads it (the fault caches the translation), stores
 * capabilities elsewhere, reads A again, then replaces A by B in the
 * window's page slot and must read B at once -- and A again after
 * putting it back.
 */
#include "troot.h"

enum { R_ELSEWHERE, R_REPLACED, R_N };

static const char *const names[R_N] = {
	[R_ELSEWHERE] = "stores into slots off the translation path leave a "
	    "mapped page as it was",
	[R_REPLACED] = "a page replaced in the slot a mapping came from is "
	    "seen at once, and so is the old one put back",
};

#define WINDOW	(VG_AS_WINDOWS + 0x200000u)

static uint64_t
word_at(uint64_t va)
{
	return *(volatile uint64_t *)VG_PTR(va);
}

static void
run(struct t_group *g)
{
	struct vg_runtime *rt = vg_self();
	struct vg_cap_translator none = { 0 };
	uint64_t a = t_page(), b = t_page();
	vg_addr_t spare = t_slot(), slot;
	enum vg_err err = a != 0 && b != 0 ? VG_OK : VG_ERR_NO_STORAGE;
	uint64_t seen[5] = { 0 };
	bool ok;

	if (err == VG_OK) {
		*(uint64_t *)VG_PTR(a) = 0xaaaa;
		*(uint64_t *)VG_PTR(b) = 0xbbbb;
		err = vg_as_ensure(&rt->as, WINDOW);
	}
	slot = vg_as_page_slot(&rt->as, WINDOW);
	if (err == VG_OK)
		err = vg_as_copy(vg_kcall(), rt->self_root, slot,
		    vg_addr_of_data(a), 0, none);
	if (!t_expect(err == VG_OK, "set-up: %s", vg_strerror(err)))
		goto out;
	seen[0] = word_at(WINDOW);
	/* Elsewhere: a root slot of mine, a page slot of another page. */
	err = vg_as_copy(vg_kcall(), rt->self_root, spare,
	    vg_addr_of_data(b), 0, none);
	if (err == VG_OK)
		err = vg_as_rubout(vg_kcall(), rt->self_root, spare);
	seen[1] = word_at(WINDOW);
	ok = t_expect(err == VG_OK && seen[0] == 0xaaaa && seen[1] == 0xaaaa,
	    "%s; read %#lx, then %#lx", vg_strerror(err),
	    (unsigned long)seen[0], (unsigned long)seen[1]);
	t_ok(g, R_ELSEWHERE, ok);

	err = vg_as_copy(vg_kcall(), rt->self_root, slot, vg_addr_of_data(b),
	    0, none);
	seen[2] = word_at(WINDOW);
	if (err == VG_OK)
		err = vg_as_copy(vg_kcall(), rt->self_root, slot,
		    vg_addr_of_data(a), 0, none);
	seen[3] = word_at(WINDOW);
	t_ok(g, R_REPLACED, t_expect(err == VG_OK && seen[2] == 0xbbbb &&
	    seen[3] == 0xaaaa, "%s; read %#lx after B, %#lx after A",
	    vg_strerror(err), (unsigned long)seen[2], (unsigned long)seen[3]));
	(void)vg_as_rubout(vg_kcall(), rt->self_root, slot);
out:
	t_slot_free(&spare);
	if (a != 0)
		t_page_free(a);
	if (b != 0)
		t_page_free(b);
}

struct t_group t_group_remap = {
	.name = "remap",
	.n = R_N,
	.names = names,
	.run = run,
};
