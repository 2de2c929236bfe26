/*
 * vg public ABI: capability addresses.
 *
 * An address names a slot in a capability address space by a prefix of
 * up to 63 bits and the prefix's length, its depth.  Both fit in one word:
 * the prefix bits come first (most significant), then a single 1 bit, then
 * zeros.  The depth is therefore 63 minus the number of trailing zeros.
 *
 *	depth 3, prefix 101:   101 1 000...0
 *	root (depth 0):        1 000...0
 *	void:                  0          (no marker bit: not an address)
 *
 * Data and capabilities share one space: the page holding byte P is the
 * address of depth 52 whose prefix is P >> 12 (VG_ADDR_PAGE_DEPTH).
 *
 * Every helper is total: a malformed argument yields VG_ADDR_VOID, never
 * undefined behaviour, so user code and the kernel can use them on
 * untrusted values.
 */
#ifndef VG_ADDR_H
#define VG_ADDR_H

#include <stdbool.h>
#include <stdint.h>

/* A capability address.  A struct so that it never mixes with integers. */
typedef struct {
	uint64_t raw;
} vg_addr_t;

#define VG_ADDR_BITS		64	/* bits in the encoding */
#define VG_ADDR_DEPTH_MAX	63	/* deepest address: one bit is the marker */
#define VG_PAGE_SHIFT		12	/* bits of byte offset within a page */
#define VG_PAGE_SIZE		4096u
#define VG_ADDR_PAGE_DEPTH	(VG_ADDR_BITS - VG_PAGE_SHIFT)	/* 52 */

#define VG_ADDR_VOID		((vg_addr_t){ 0 })
#define VG_ADDR_ROOT		((vg_addr_t){ UINT64_C(1) << 63 })

/* Mask of the low N bits, for 0 <= N <= 64. */
static inline uint64_t
vg_bits_mask(unsigned n)
{
	return n >= 64 ? ~UINT64_C(0) : (UINT64_C(1) << n) - 1;
}

static inline bool
vg_addr_is_void(vg_addr_t a)
{
	return a.raw == 0;
}

static inline bool
vg_addr_eq(vg_addr_t a, vg_addr_t b)
{
	return a.raw == b.raw;
}

/* The address with PREFIX (DEPTH bits) or void if either is out of range. */
static inline vg_addr_t
vg_addr(uint64_t prefix, unsigned depth)
{
	if (depth > VG_ADDR_DEPTH_MAX || (prefix & ~vg_bits_mask(depth)) != 0)
		return VG_ADDR_VOID;
	if (depth == 0)
		return VG_ADDR_ROOT;
	return (vg_addr_t){ (prefix << (64 - depth)) |
	    (UINT64_C(1) << (63 - depth)) };
}

/* The depth of A (0..63); void has no depth and reports 0. */
static inline unsigned
vg_addr_depth(vg_addr_t a)
{
	if (a.raw == 0)
		return 0;
	return 63u - (unsigned)__builtin_ctzll(a.raw);
}

/* The prefix of A, right-aligned; 0 for the root and void. */
static inline uint64_t
vg_addr_prefix(vg_addr_t a)
{
	unsigned depth = vg_addr_depth(a);

	return depth == 0 ? 0 : a.raw >> (64 - depth);
}

/* A followed by the N bits BITS; void if it would exceed depth 63. */
static inline vg_addr_t
vg_addr_extend(vg_addr_t a, uint64_t bits, unsigned n)
{
	unsigned depth = vg_addr_depth(a);

	if (a.raw == 0 || n > VG_ADDR_DEPTH_MAX - depth)
		return VG_ADDR_VOID;
	if (n == 0)
		return (bits == 0) ? a : VG_ADDR_VOID;
	if ((bits & ~vg_bits_mask(n)) != 0)
		return VG_ADDR_VOID;
	return vg_addr((vg_addr_prefix(a) << n) | bits, depth + n);
}

/* A without its last N bits; void if A has fewer than N. */
static inline vg_addr_t
vg_addr_chop(vg_addr_t a, unsigned n)
{
	unsigned depth = vg_addr_depth(a);

	if (a.raw == 0 || n > depth)
		return VG_ADDR_VOID;
	if (n == depth)
		return VG_ADDR_ROOT;
	return vg_addr(vg_addr_prefix(a) >> n, depth - n);
}

/* The last N bits of A's prefix (N is clipped to the depth). */
static inline uint64_t
vg_addr_extract(vg_addr_t a, unsigned n)
{
	return vg_addr_prefix(a) & vg_bits_mask(n);
}

/*
 * N bits of A's prefix starting START bits from its most significant end,
 * right-aligned.  A read that runs past the depth returns only the bits
 * that exist (still right-aligned); one that starts at or past it returns
 * 0.  Translation reads addresses with this, never past the depth.
 */
static inline uint64_t
vg_addr_bits(vg_addr_t a, unsigned start, unsigned n)
{
	unsigned depth = vg_addr_depth(a);

	if (n == 0 || start >= depth)
		return 0;
	if (n > depth - start)
		n = depth - start;
	return (vg_addr_prefix(a) >> (depth - start - n)) & vg_bits_mask(n);
}

/* The address of the page that holds byte P (depth 52). */
static inline vg_addr_t
vg_addr_of_data(uint64_t p)
{
	return vg_addr(p >> VG_PAGE_SHIFT, VG_ADDR_PAGE_DEPTH);
}

/* The first byte of the page A names, if A has depth 52; else 0. */
static inline uint64_t
vg_addr_to_data(vg_addr_t a)
{
	if (vg_addr_depth(a) != VG_ADDR_PAGE_DEPTH || a.raw == 0)
		return 0;
	return vg_addr_prefix(a) << VG_PAGE_SHIFT;
}

#endif /* VG_ADDR_H */
