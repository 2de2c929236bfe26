/*
 * The copy-on-write test: what the test root (tests/qemu/root/t_cow.c,
 * the pager, with libvg/pager.h) and "tcow" (tests/qemu/cow/cow.c) agree
 * on.  Three root slots of tcow's space are regions of the root's pager:
 * A and B copy-on-write copies of the same template of T_COW_PAGES
 * pages, Z demand-zero.  tcow writes its results in its mailbox, at
 * these indices of value[].
 */
#ifndef TESTS_QEMU_COW_H
#define TESTS_QEMU_COW_H

#include <stdint.h>

#include <vg/boot.h>

#define T_COW_REGION_A		64
#define T_COW_REGION_B		65
#define T_COW_REGION_Z		66
#define T_COW_PAGES		8	/* template pages, pages of A and B */
#define T_COW_ZERO_PAGES	16	/* pages of Z */

static inline uint64_t
t_cow_base(unsigned region)
{
	return (uint64_t)region << VG_BOOT_REGION_SHIFT;
}

/* The words of the template (T), and of what tcow writes in A, B, Z. */
#define T_COW_T		0xc0e0u
#define T_COW_A		0xaaaau
#define T_COW_B		0xbbbbu
#define T_COW_Z		0x2e20u
static inline uint64_t
t_cow_word(unsigned who, unsigned page, unsigned k)
{
	return (uint64_t)who << 48 | (uint64_t)page << 32 | k;
}

/*
 * tcow writes only the first half of a page, so that the other half shows
 * what the pager put there first: the template's words in A and B (the
 * copy), zeros in Z.  Word K of page I of a region that WHO wrote (0 for
 * zeros, T_COW_T for the template, else T_COW_A, _B or _Z):
 */
#define T_COW_HALF	256
static inline uint64_t
t_cow_expect(unsigned who, unsigned page, unsigned k)
{
	if (who == 0 || (who == T_COW_Z && k >= T_COW_HALF))
		return 0;
	if (who != T_COW_T && k >= T_COW_HALF)
		who = T_COW_T;
	return t_cow_word(who, page, k);
}

/* tcow writes these pages: A 0 and 2..5, B 0 and 1, Z 1 and 2. */
#define T_COW_WRITTEN_A	0x3du
#define T_COW_WRITTEN_B	0x03u
#define T_COW_WRITTEN_Z	0x06u
/* Messages it sends region A that are not requests. */
#define T_COW_MALFORMED	2

enum t_cow_value {
	TC_READ,	/* 1: A and B read the template */
	TC_APART,	/* 1: a write in A or B does not show in the other */
	TC_SEVERAL,	/* 1: several pages of A written, B unchanged */
	TC_ZERO,	/* 1: Z reads zero, keeps writes, others stay zero */
	TC_AGAIN,	/* 1: everything checked once more at the end */
	TC_DONE,	/* 1: it got to the end */
};

#endif /* TESTS_QEMU_COW_H */
