/*
 * In-VM test program "tcow": memory served by a user-level pager, the
 * test root (tests/qemu/root/t_cow.c, with libvg/pager.h).  Root slots
 * T_COW_REGION_A and _B of this space are copy-on-write copies of the
 * same template pages; T_COW_REGION_Z is demand-zero.  Every first access
 * faults, and the kernel sends the pager a FAULT request through this
 * thread's exception messenger.
 *
 *	A, B	read all 8 pages: the template
 *		(writes cover half a page: the other half must be the
 *		template, copied, or zeros)
 *		write A0: B0 still the template; write B1: A1 still the
 *		template; write B0: A0 still what I wrote in A
 *		write A2..A5: B2..B5 still the template
 *	Z	read 0..3 and 15: zero; write 1 and 2; 0, 3, 15 still zero
 *	again	everything once more
 *	A	two messages that are not requests, sent to the region itself
 */
#include "../common/tlib.h"
#include "cow.h"

static volatile uint64_t *
pg(unsigned region, unsigned i)
{
	return VG_PTR(t_cow_base(region) + (uint64_t)i * VG_PAGE_SIZE);
}

static const char *
region_name(unsigned region)
{
	return region == T_COW_REGION_A ? "A" : region == T_COW_REGION_B ?
	    "B" : "Z";
}

/* Does page I of REGION hold what WHO wrote (t_cow_expect)? */
static bool
holds(unsigned region, unsigned i, unsigned who)
{
	volatile uint64_t *p = pg(region, i);

	for (unsigned k = 0; k < VG_PAGE_SIZE / 8; k++) {
		uint64_t want = t_cow_expect(who, i, k);

		if (p[k] != want)
			return t_check(false, "%s%u: word %u is %#lx, not %#lx",
			    region_name(region), i, k, (unsigned long)p[k],
			    (unsigned long)want);
	}
	return true;
}

static void
fill(unsigned region, unsigned i, unsigned who)
{
	volatile uint64_t *p = pg(region, i);

	/* Half: the other half shows what the pager gave me first. */
	for (unsigned k = 0; k < T_COW_HALF; k++)
		p[k] = t_cow_word(who, i, k);
}

/* What page I of A, B or Z should hold at the end. */
static unsigned
final(unsigned region, unsigned i)
{
	switch (region) {
	case T_COW_REGION_A:
		return T_COW_WRITTEN_A & (1u << i) ? T_COW_A : T_COW_T;
	case T_COW_REGION_B:
		return T_COW_WRITTEN_B & (1u << i) ? T_COW_B : T_COW_T;
	default:
		return i < 16 && (T_COW_WRITTEN_Z & (1u << i)) ? T_COW_Z : 0;
	}
}

/* Inline words to the region itself, without a reply messenger. */
static bool
not_a_request(vg_addr_t m, uint64_t w0, uint64_t w1, uint64_t w2)
{
	struct vg_ipc_args a = {
		.flags = VG_IPC_SEND | VG_IPC_SEND_INLINE |
		    VG_IPC_INLINE_WORDS(3) | VG_IPC_RETURN,
		.target = vg_boot_slot(T_COW_REGION_A),
		.send_messenger = m,
		.inline_words = { w0, w1, w2 },
	};
	enum vg_err err;

	/* The previous one may still be queued on the region. */
	for (unsigned tries = 0;; tries++) {
		err = vg_ipc(&a);
		if (err != VG_ERR_BUSY || tries == 1000000)
			break;
	}
	return t_check(err == VG_OK, "sending region A %#lx: %s",
	    (unsigned long)w0, vg_strerror(err));
}

int
main(void)
{
	struct t_mailbox *mb = t_mailbox();
	static const unsigned regions[] = { T_COW_REGION_A, T_COW_REGION_B,
	    T_COW_REGION_Z };
	vg_addr_t m = VG_ADDR_VOID;
	bool ok;

	printf("tcow: reading and writing two copy-on-write regions and a "
	    "demand-zero one, served by my pager\n");
	mb->stage = 1;
	ok = true;
	for (unsigned i = 0; i < T_COW_PAGES; i++)
		ok &= holds(T_COW_REGION_A, i, T_COW_T) &
		    holds(T_COW_REGION_B, i, T_COW_T);
	t_value(TC_READ, ok);

	mb->stage = 2;
	fill(T_COW_REGION_A, 0, T_COW_A);
	ok = holds(T_COW_REGION_A, 0, T_COW_A) &
	    holds(T_COW_REGION_B, 0, T_COW_T);
	fill(T_COW_REGION_B, 1, T_COW_B);
	ok &= holds(T_COW_REGION_B, 1, T_COW_B) &
	    holds(T_COW_REGION_A, 1, T_COW_T);
	fill(T_COW_REGION_B, 0, T_COW_B);
	ok &= holds(T_COW_REGION_B, 0, T_COW_B) &
	    holds(T_COW_REGION_A, 0, T_COW_A);
	t_value(TC_APART, ok);

	mb->stage = 3;
	for (unsigned i = 2; i <= 5; i++)
		fill(T_COW_REGION_A, i, T_COW_A);
	ok = true;
	for (unsigned i = 2; i <= 5; i++)
		ok &= holds(T_COW_REGION_A, i, T_COW_A) &
		    holds(T_COW_REGION_B, i, T_COW_T);
	t_value(TC_SEVERAL, ok);

	mb->stage = 4;
	ok = holds(T_COW_REGION_Z, 0, 0) & holds(T_COW_REGION_Z, 1, 0) &
	    holds(T_COW_REGION_Z, 2, 0) & holds(T_COW_REGION_Z, 3, 0) &
	    holds(T_COW_REGION_Z, 15, 0);
	fill(T_COW_REGION_Z, 1, T_COW_Z);
	fill(T_COW_REGION_Z, 2, T_COW_Z);
	ok &= holds(T_COW_REGION_Z, 1, T_COW_Z) &
	    holds(T_COW_REGION_Z, 2, T_COW_Z) & holds(T_COW_REGION_Z, 0, 0) &
	    holds(T_COW_REGION_Z, 3, 0) & holds(T_COW_REGION_Z, 15, 0);
	t_value(TC_ZERO, ok);

	/* Once more, after the pager's work changed my space many times
	 * over (every capability store drops the page tables). */
	mb->stage = 5;
	ok = true;
	for (unsigned r = 0; r < 3; r++)
		for (unsigned i = 0; i < T_COW_PAGES; i++)
			ok &= holds(regions[r], i, final(regions[r], i));
	ok &= holds(T_COW_REGION_Z, 15, 0);
	t_value(TC_AGAIN, ok);

	/* Not requests: a stray method, and a FAULT without a reply
	 * messenger.  The pager counts them and goes on. */
	mb->stage = 6;
	ok = t_check(vg_messenger_new(&m, 0, 0) == VG_OK, "no messenger");
	if (ok) {
		(void)not_a_request(m, 0x999, 0, 0);
		(void)not_a_request(m, VG_METHOD_FAULT, vg_addr(1, 10).raw, 1);
	}
	t_value(TC_DONE, 1);
	mb->stage = 7;
	t_finish();
}
