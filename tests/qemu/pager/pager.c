/*
 * In-VM test program "tpager": uses memory that a user-level pager, the
 * test root (tests/qemu/root/t_pager.c), serves.  Its root slot
 * T_PAGER_REGION is an rmessenger to the pager, so every access to the
 * 4 MiB at T_PAGER_BASE faults and the kernel sends a FAULT request
 * through this thread's exception messenger; the pager answers with a
 * page (demand-zero), or refuses.
 *
 *	pages 0..7	read page 0, write all, read them back
 *	pages 8..11	read: zero; then write page 8 and read it back
 *	page 30		read (the pager answers an rpage), then write (a
 *			write fault: the pager answers the page)
 *	page 63		the last page served: write, read back
 *	page 300	refused: the thread is suspended for good
 */
#include "../common/tlib.h"

static volatile uint64_t *
page(unsigned i)
{
	return VG_PTR(T_PAGER_BASE + (uint64_t)i * VG_PAGE_SIZE);
}

static bool
is_zero(unsigned i)
{
	volatile uint64_t *p = page(i);

	for (unsigned k = 0; k < VG_PAGE_SIZE / 8; k++)
		if (p[k] != 0)
			return t_check(false, "page %u: word %u is %#lx, not 0",
			    i, k, (unsigned long)p[k]);
	return true;
}

static void
fill(unsigned i)
{
	volatile uint64_t *p = page(i);

	for (unsigned k = 0; k < VG_PAGE_SIZE / 8; k++)
		p[k] = t_pager_word(i, k);
}

static bool
filled(unsigned i)
{
	volatile uint64_t *p = page(i);

	for (unsigned k = 0; k < VG_PAGE_SIZE / 8; k++)
		if (p[k] != t_pager_word(i, k))
			return t_check(false, "page %u: word %u is %#lx, not "
			    "%#lx", i, k, (unsigned long)p[k],
			    (unsigned long)t_pager_word(i, k));
	return true;
}

int
main(void)
{
	struct t_mailbox *mb = t_mailbox();
	uint64_t ok = 0;
	volatile uint64_t *bad;

	printf("tpager: touching memory at %#lx, served by my pager\n",
	    (unsigned long)T_PAGER_BASE);
	mb->stage = 1;
	if (is_zero(0))
		ok |= 1;
	for (unsigned i = 0; i < 8; i++)
		fill(i);
	for (unsigned i = 0; i < 8; i++)
		if (filled(i))
			ok |= 2u << i;		/* bits 1..8 */
	if (is_zero(8) && is_zero(9) && is_zero(10) && is_zero(11))
		ok |= 1u << 9;
	fill(8);
	if (filled(8))
		ok |= 1u << 10;
	if (is_zero(T_PAGER_RPAGE))
		ok |= 1u << 11;
	fill(T_PAGER_RPAGE);
	if (filled(T_PAGER_RPAGE))
		ok |= 1u << 12;
	fill(T_PAGER_PAGES - 1);
	if (filled(T_PAGER_PAGES - 1))
		ok |= 1u << 13;
	/* And all of it once more, after the pager's work changed my
	 * space many times over. */
	for (unsigned i = 0; i <= 8; i++)
		if (!filled(i))
			ok &= ~(2u << i);
	t_value(0, ok);
	t_check(ok == 0x3fff, "accesses: %#lx, want 0x3fff",
	    (unsigned long)ok);
	mb->stage = 2;
	(void)t_parent_report(1, ok, mb->failures);

	/* Refused: this never returns. */
	bad = page(T_PAGER_BAD) + 3;
	mb->stage = 3;
	mb->value[1] = *bad;
	mb->stage = 4;
	t_check(false, "read %#lx from a page the pager refused",
	    (unsigned long)mb->value[1]);
	t_finish();
}
