/*
 * Storage methods on the playground (fuzz.h): a process invokes the
 * activity and folio methods on A, B, F, G, its own folio, or what
 * earlier calls made (SL_NEW) -- allocating folios until a quota or the
 * storage window runs out, setting limits (quotas around the current
 * usage, weights, priorities, page-table quotas; through a capability
 * with VG_CAP_LIMIT and one without), reading the accounting, making objects of every type (activities too,
 * so that destroying one takes folios with it), freeing folios and
 * destroying B with everything it paid for; a call now and then again
 * and again, as a program's loop would.  Each call goes through
 * call_method, so a method that fails must have changed nothing.
 */
#include <vg/method.h>
#include <vg/types.h>

#include "activity.h"
#include "object.h"

#include "fuzz.h"

/* The activity a target slot names, for quotas around its usage. */
static struct activity *
target_activity(unsigned slot)
{
	return slot == SL_ACT ? play_act() : slot == SL_SUBACT ||
	    slot == SL_SUBACT_OWN ? play_subact() : NULL;
}

/* A quota: none, around the usage (a folio more or less), or any. */
static uint64_t
pick_quota(const struct activity *a)
{
	uint8_t k = take8();
	uint64_t usage = a != NULL ? a->usage : 0;

	switch (k % 4) {
	case 0:
		return 0;
	case 1:
		return usage + (uint64_t)(take8() % 4) * FOLIO_FRAMES;
	case 2:
		return usage > FOLIO_FRAMES ? usage - FOLIO_FRAMES : 1;
	default:
		return take8() < 128 ? take16() : take64();
	}
}

/* SET_LIMIT's limit and value: each limit with values in its range and
 * just outside it (a weight of 0 or one too many, a priority one too
 * high), an unknown limit, or anything. */
static void
pick_limit(const struct activity *a, uint64_t *limit, uint64_t *value)
{
	uint8_t k = take8();

	*limit = k % (VG_ACTIVITY_LIMIT_COUNT + 1);
	switch (*limit) {
	case VG_ACTIVITY_LIMIT_QUOTA:
		*value = pick_quota(a);
		break;
	case VG_ACTIVITY_LIMIT_WEIGHT:
		*value = take8() % (VG_ACTIVITY_WEIGHT_MAX + 2);
		break;
	case VG_ACTIVITY_LIMIT_PRIORITY:
		*value = take8() % (VG_THREAD_PRIORITY_MAX + 2);
		break;
	case VG_ACTIVITY_LIMIT_PAGE_TABLES:
		*value = take8() < 200 ? take8() % 8 : take64();
		break;
	default:
		*value = take8();
		break;
	}
	if (k == 0xff)
		*limit = take64();
}

/* FOLIO_OBJECT_ALLOC's second word: a type (or none that is one), now
 * and then with the execute flag or bits that are no flag. */
static uint64_t
pick_alloc_type(void)
{
	uint8_t k = take8();
	uint64_t w = take8() % (VG_TYPE_COUNT + 1);

	if ((k & 7) == 0)
		w |= VG_FOLIO_ALLOC_EXECUTE;
	if (k == 0xff)
		w |= take64() & ~(uint64_t)VG_FOLIO_ALLOC_TYPE_MASK;
	return w;
}

void
op_storage(void)
{
	int p = take8() % NPROC;
	uint8_t b = take8(), k = take8();
	uint64_t w[4] = { 0 };
	uint32_t nw = 1;
	unsigned slot, reps;
	vg_addr_t target;
	enum vg_err err;
	static const unsigned slots[] = {
		SL_ACT, SL_SUBACT, SL_AFOLIO, SL_BFOLIO, SL_FOLIO, SL_NEW,
		SL_NEW, SL_SUBACT_OWN,
	};

	slot = slots[b & 7];
	if (slot == SL_NEW)
		slot += take8() % NNEW;
	target = slot_addr(slot);
	if ((b & 0xc0) == 0xc0)
		target = pick_addr();
	switch (k % 8) {
	case 0:
		w[0] = VG_METHOD_ACTIVITY_FOLIO_ALLOC;
		break;
	case 1:
		w[0] = VG_METHOD_ACTIVITY_SET_LIMIT;
		pick_limit(target_activity(slot), &w[1], &w[2]);
		nw = 3;
		break;
	case 2:
		w[0] = VG_METHOD_ACTIVITY_INFO;
		break;
	case 3:
	case 4:
		/* Mostly the first few objects: B is F's object 0. */
		w[0] = VG_METHOD_FOLIO_OBJECT_ALLOC;
		w[1] = take8() < 200 ? take8() % 8 : take8();
		w[2] = pick_alloc_type();
		nw = 3;
		break;
	case 5:
		w[0] = VG_METHOD_FOLIO_FREE;
		break;
	case 6:
		w[0] = take8() & 1 ? VG_METHOD_OBJECT_STATUS :
		    VG_METHOD_OBJECT_DISCARD;
		break;
	default: {
		/* Too few words for the method, or any method at all. */
		static const uint64_t short_of[] = {
			VG_METHOD_ACTIVITY_SET_LIMIT,
			VG_METHOD_FOLIO_OBJECT_ALLOC,
		};
		uint8_t x = take8();

		w[0] = x < 200 ? short_of[x & 1] : take16();
		w[1] = take8() % VG_ACTIVITY_LIMIT_COUNT;
		nw = take8() % 3;
		break;
	}
	}
	/* A program's loop: the same call again and again, until a quota
	 * or the storage runs out. */
	reps = (b & 0x30) == 0x30 ? 2 + take8() % 15 : 1;
	while (reps-- > 0) {
		ledger_untracked_writes();	/* new objects: zeroed frames */
		err = call_method(p, target, w, nw, !(b & 0x08));
		note("storage method %#llx by proc %d on slot %u -> %d",
		    (unsigned long long)w[0], p, slot, err);
	}
}
