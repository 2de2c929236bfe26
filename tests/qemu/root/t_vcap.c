/*
 * Virtual cappages served by a program: this task starts vcapd
 * (user/vcapd, libvg/vcappage.h), which registers its service with me,
 * and "tvcap" (tests/qemu/vcap/vcap.c), to which I give that service.
 * tvcap asks vcapd for a cappage of 2^32 slots and uses it through the
 * kernel's translation: the kernel sends vcapd an INDEX or STORE request
 * for every capability address, target slot or send target that goes
 * through it.  tvcap checks what it gets and writes its results and the
 * requests it caused in its mailbox; I ask vcapd for its counters myself
 * and compare.
 */
#include <libvg/vcapd.h>

#include "troot.h"
#include "../vcap/vcap.h"

extern struct t_group t_group_vcap;

enum {
	R_SERVICE, R_STORE, R_READ, R_UNSET, R_DELETE, R_TARGET, R_DEEP,
	R_SHORT, R_HOSTILE, R_COUNTS, R_EXIT, R_N
};

static const char *const names[R_N] = {
	[R_SERVICE] = "vcapd registers its service with its parent and makes "
	    "virtual cappages of 2^32 and 2^8 slots on request, refusing "
	    "other sizes and methods",
	[R_STORE] = "STORE: 64 capabilities (62 pages, 2 messengers) stored "
	    "through IPC target slots at indices spread over the whole 2^32 "
	    "range (0, 1, 2^31-1, 2^31, 2^32-2, 2^32-1 and 58 pseudo-random)",
	[R_READ] = "INDEX: all 64 read back as the same capabilities (each "
	    "page mapped and its contents checked, a write through one seen "
	    "in the original; each messenger receives a message sent to it), "
	    "twice",
	[R_UNSET] = "an index never stored reads back void (its cap_void bit "
	    "set, the target slot emptied)",
	[R_DELETE] = "storing void empties a virtual slot, and storing over "
	    "one replaces what it held",
	[R_TARGET] = "a send whose target lies in the virtual cappage is "
	    "delivered to the messenger stored there",
	[R_DEEP] = "addresses longer than the virtual cappage go on into what "
	    "is stored there: a real cappage (the kernel stores into it "
	    "itself) and a second virtual cappage (nested requests)",
	[R_SHORT] = "an address that ends inside the 32 index bits fails as on "
	    "a real cappage (VG_ERR_ADDR_SHORT: the capability arrives void, "
	    "the target slot is not stored)",
	[R_HOSTILE] = "malformed requests sent to the virtual cappage are "
	    "refused (VG_ERR_INVALID) or ignored, a forged well-formed one "
	    "is served, and vcapd keeps serving",
	[R_COUNTS] = "vcapd counted exactly the INDEX and STORE requests, "
	    "errors and malformed messages tvcap caused, and holds exactly "
	    "the entries left",
	[R_EXIT] = "tvcap exits cleanly and vcapd never faulted",
};

static struct tchild vc, tv;

/* vcapd's counters over all its cappages, asked by me. */
static enum vg_err
vcapd_stats(uint64_t *w)
{
	struct vg_call *c = &vg_self()->ucall;
	enum vg_err err;

	vg_call_begin(c, VCAPD_STATS);
	vg_call_word(c, 0);
	err = vg_call(c, vc.service);
	for (unsigned i = 0; i < VCAPD_STAT_COUNT; i++)
		w[i] = vg_call_result(c, 1 + i);
	return err;
}

static void
run(struct t_group *g)
{
	uint64_t w[VCAPD_STAT_COUNT] = { 0 };
	const uint64_t *val;
	enum vg_err err;
	bool ok;

	err = child_load(&vc, "vcapd", 4, 0, NULL, true);
	if (err == VG_OK)
		err = child_start(&vc);
	if (err == VG_OK && !t_wait_child(&vc, &vc.registered, 1))
		err = VG_ERR_INVALID;
	ok = t_expect(err == VG_OK && vc.reg_value == VCAPD_SERVICE_ID &&
	    !vg_addr_is_void(vc.service), "vcapd: %s, registered %lu (id "
	    "%#lx)", vg_strerror(err), (unsigned long)vc.registered,
	    (unsigned long)vc.reg_value);
	if (!ok)
		goto out;
	err = child_load(&tv, "tvcap", 6, 0, NULL, true);
	if (err == VG_OK)
		err = child_give(&tv, VG_SLOT_SERVICE, vc.service, false);
	if (err == VG_OK)
		err = child_start(&tv);
	if (!t_expect(err == VG_OK, "tvcap: %s", vg_strerror(err)))
		goto out;
	while (tv.exited == 0 && tv.faults == 0 && vc.faults == 0) {
		t_wake = 0;
		if (tv.exited != 0 || tv.faults != 0 || vc.faults != 0)
			break;
		vg_wait_nonzero(&t_wake);
	}
	val = tv.mb->value;
	ok = child_mailbox_ok(&tv);
	t_expect(val[TV_DONE] == 1, "tvcap stopped before the end: exited "
	    "%lu (status %ld), faulted %lu (%s at %#lx)",
	    (unsigned long)tv.exited, (long)tv.status, (unsigned long)tv.faults,
	    vg_strerror(tv.fault.error),
	    (unsigned long)tv.fault.fault_address);

	t_ok(g, R_SERVICE, t_expect(val[TV_CREATE] == 1, "creating failed"));
	t_ok(g, R_STORE, t_expect(val[TV_STORED] == T_VCAP_ENTRIES,
	    "%lu of %u stored", (unsigned long)val[TV_STORED],
	    T_VCAP_ENTRIES));
	t_ok(g, R_READ, t_expect(val[TV_READ] == T_VCAP_ENTRIES &&
	    val[TV_SAME_PAGE] == 1, "%lu of %u read back, same page %lu",
	    (unsigned long)val[TV_READ], T_VCAP_ENTRIES,
	    (unsigned long)val[TV_SAME_PAGE]));
	t_ok(g, R_UNSET, val[TV_UNSET] == 1);
	t_ok(g, R_DELETE, t_expect(val[TV_DELETE] == 1 &&
	    val[TV_OVERWRITE] == 1, "delete %lu, overwrite %lu",
	    (unsigned long)val[TV_DELETE], (unsigned long)val[TV_OVERWRITE]));
	t_ok(g, R_TARGET, val[TV_TARGET] == 1);
	t_ok(g, R_DEEP, t_expect(val[TV_DEEP] == 1 && val[TV_NESTED] == 1,
	    "real cappage below %lu, virtual below %lu",
	    (unsigned long)val[TV_DEEP], (unsigned long)val[TV_NESTED]));
	t_ok(g, R_SHORT, val[TV_SHORT] == 1);
	t_ok(g, R_HOSTILE, val[TV_HOSTILE] == 1);

	/* The counters, from vcapd itself: tvcap's two cappages are all
	 * it has. */
	err = vcapd_stats(w);
	t_diag("vcapd served %lu INDEX and %lu STORE requests (%lu walked "
	    "on from its answer), answered %lu with an error, ignored or "
	    "refused %lu malformed ones; it holds %lu entries in %lu "
	    "cappages", (unsigned long)w[VCAPD_STAT_INDEX],
	    (unsigned long)w[VCAPD_STAT_STORE],
	    (unsigned long)w[VCAPD_STAT_PASSED],
	    (unsigned long)w[VCAPD_STAT_ERRORS],
	    (unsigned long)w[VCAPD_STAT_MALFORMED],
	    (unsigned long)w[VCAPD_STAT_ENTRIES],
	    (unsigned long)w[VCAPD_STAT_CAPPAGES]);
	ok &= t_expect(err == VG_OK, "STATS: %s", vg_strerror(err));
	t_ok(g, R_COUNTS, t_expect(err == VG_OK && val[TV_STATS] == 1 &&
	    w[VCAPD_STAT_CAPPAGES] == 2 &&
	    w[VCAPD_STAT_INDEX] == val[TV_INDEX] &&
	    w[VCAPD_STAT_STORE] == val[TV_STORE] &&
	    w[VCAPD_STAT_FAULT] == 0 &&
	    w[VCAPD_STAT_ERRORS] == val[TV_ERRORS] &&
	    w[VCAPD_STAT_MALFORMED] == val[TV_MALFORMED] &&
	    w[VCAPD_STAT_ENTRIES] == val[TV_ENTRIES] &&
	    w[VCAPD_STAT_PASSED] == val[TV_PASSED], "tvcap expected %lu "
	    "INDEX, %lu STORE, %lu errors, %lu malformed, %lu entries, %lu "
	    "walked on (its own check of each cappage: %s)",
	    (unsigned long)val[TV_INDEX], (unsigned long)val[TV_STORE],
	    (unsigned long)val[TV_ERRORS], (unsigned long)val[TV_MALFORMED],
	    (unsigned long)val[TV_ENTRIES], (unsigned long)val[TV_PASSED],
	    val[TV_STATS] ? "matched" : "did not match"));
	t_ok(g, R_EXIT, t_expect(tv.exited == 1 && tv.status == 0 &&
	    tv.faults == 0 && vc.faults == 0 && vc.exited == 0,
	    "tvcap: exited %lu, status %ld, faults %lu; vcapd: faults %lu, "
	    "exited %lu", (unsigned long)tv.exited, (long)tv.status,
	    (unsigned long)tv.faults, (unsigned long)vc.faults,
	    (unsigned long)vc.exited) && ok);
out:
	child_destroy(&tv);
	child_destroy(&vc);
}

struct t_group t_group_vcap = {
	.name = "vcap",
	.n = R_N,
	.names = names,
	.run = run,
};
