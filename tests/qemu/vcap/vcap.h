/*
 * The virtual cappage test: what the test root (tests/qemu/root/t_vcap.c)
 * and "tvcap" (tests/qemu/vcap/vcap.c) agree on.  The root starts vcapd
 * (user/vcapd) and gives tvcap vcapd's service in VG_SLOT_SERVICE; tvcap
 * writes its results in its mailbox, at these indices of value[].
 */
#ifndef TESTS_QEMU_VCAP_H
#define TESTS_QEMU_VCAP_H

#include <stdint.h>

#define T_VCAP_ENTRIES		64	/* capabilities stored and read back */

enum t_vcap_value {
	TV_CREATE,	/* 1: a 2^32 and a 2^8 cappage made, bad sizes refused */
	TV_STORED,	/* capabilities stored without a failure (of 64) */
	TV_READ,	/* ... read back and found identical (of 64) */
	TV_SAME_PAGE,	/* 1: a write through a page read back shows in mine */
	TV_UNSET,	/* 1: an index never stored reads back void */
	TV_DELETE,	/* 1: storing void empties a slot */
	TV_OVERWRITE,	/* 1: storing over a slot replaces what it held */
	TV_TARGET,	/* 1: a send whose target is in the cappage arrives */
	TV_DEEP,	/* 1: a real cappage in a virtual slot is walked into */
	TV_NESTED,	/* 1: a virtual cappage in a virtual slot, too */
	TV_SHORT,	/* 1: addresses ending inside the index bits fail */
	TV_HOSTILE,	/* 1: malformed requests refused, the server goes on */
	TV_STATS,	/* 1: vcapd's counters for each cappage as expected */
	/* What tvcap caused, over both its cappages: */
	TV_INDEX,	/* INDEX requests */
	TV_STORE,	/* STORE requests */
	TV_ERRORS,	/* requests answered with an error */
	TV_MALFORMED,	/* messages that were not requests */
	TV_ENTRIES,	/* slots holding something at the end */
	TV_PASSED,	/* answers after which the kernel walked on */
	TV_DONE,	/* 1: it got to the end */
};

#endif /* TESTS_QEMU_VCAP_H */
