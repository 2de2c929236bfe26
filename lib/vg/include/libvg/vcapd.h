/*
 * The protocol of vcapd (user/vcapd), the server of virtual cappages
 * (libvg/vcappage.h).
 *
 * vcapd registers its service with its parent (VG_PARENT_REGISTER, word
 * VCAPD_SERVICE_ID, an rmessenger to its service receiver).  Requests to
 * that receiver follow vg/method.h's convention: word 0 the method,
 * capability 0 the reply messenger; the reply's word 0 is an enum vg_err
 * and the results follow.  A request without a reply messenger is
 * ignored.
 *
 *	VCAPD_CREATE	in:  w1 bits (1..VG_VCAP_BITS_MAX)
 *			out: w1 the new cappage's id (1..VCAPD_MAX),
 *			     c0 an rmessenger to it: put it where a
 *			     cappage of 2^bits slots should be
 *			errors: INVALID (bits), NO_STORAGE (VCAPD_MAX
 *			     made already, or no slots/storage left)
 *	VCAPD_STATS	in:  w1 an id, or 0 for the sum over all of them
 *			out: the words of enum vcapd_stat, from w1
 *			errors: INVALID (no such id)
 *	other		out: VG_ERR_METHOD
 */
#ifndef LIBVG_VCAPD_H
#define LIBVG_VCAPD_H

#define VCAPD_SERVICE_ID	0x70616376ull	/* "vcap" */
#define VCAPD_MAX		8	/* virtual cappages one vcapd serves */

enum vcapd_method {
	VCAPD_CREATE = 0x7601,
	VCAPD_STATS = 0x7602,
};

/* The results of VCAPD_STATS: reply word 1 + the value. */
enum vcapd_stat {
	VCAPD_STAT_INDEX,	/* INDEX requests answered */
	VCAPD_STAT_STORE,	/* STORE requests answered */
	VCAPD_STAT_FAULT,	/* FAULT requests answered */
	VCAPD_STAT_ENTRIES,	/* slots that hold something now */
	VCAPD_STAT_STORED,	/* capabilities stored (replacements too) */
	VCAPD_STAT_DELETED,	/* slots emptied by storing void */
	VCAPD_STAT_PASSED,	/* answers after which the kernel walked on */
	VCAPD_STAT_ERRORS,	/* requests answered with an error */
	VCAPD_STAT_MALFORMED,	/* messages that were not requests */
	VCAPD_STAT_CAPPAGES,	/* virtual cappages (1 for an id) */
	VCAPD_STAT_COUNT
};

#endif /* LIBVG_VCAPD_H */
