/*
 * Address encoding helpers (include/vg/addr.h): the prefix/depth word,
 * its edge cases, and the properties translation relies on.  The helpers
 * must be total, so every malformed argument is tried; UBSan turns any
 * out-of-range shift into a failure.
 */
#include <stdlib.h>
#include <string.h>

#include "vgtest.h"

/* Fixed-seed xorshift64: reproducible "random" prefixes. */
static uint64_t
xorshift64(uint64_t *s)
{
	uint64_t x = *s;

	x ^= x << 13;
	x ^= x >> 7;
	x ^= x << 17;
	*s = x;
	return x;
}

#define SEED		UINT64_C(0x9e3779b97f4a7c15)
#define NRANDOM		16	/* random prefixes per depth */
#define ALTERNATING	UINT64_C(0x5555555555555555)

/* Fill OUT with the prefixes to try at DEPTH; returns how many. */
static unsigned
sample_prefixes(unsigned depth, uint64_t *rng, uint64_t *out)
{
	uint64_t m = vg_bits_mask(depth);
	unsigned n = 0;
	unsigned i;

	out[n++] = 0;
	out[n++] = m;				/* all ones */
	out[n++] = ALTERNATING & m;
	out[n++] = ~ALTERNATING & m;
	if (depth > 0) {
		out[n++] = UINT64_C(1) << (depth - 1);	/* first bit only */
		out[n++] = 1;				/* last bit only */
	}
	for (i = 0; i < NRANDOM; i++)
		out[n++] = xorshift64(rng) & m;
	return n;
}

#define MAX_SAMPLES	(6 + NRANDOM)

/* Bit I of X counted from the least significant end. */
static unsigned
bit_at(uint64_t x, unsigned i)
{
	return (unsigned)((x >> i) & 1u);
}

/* vg_addr_bits written the slow way, one bit at a time. */
static uint64_t
ref_bits(uint64_t prefix, unsigned depth, unsigned start, unsigned n)
{
	uint64_t r = 0;
	unsigned i;

	for (i = 0; i < n && start + i < depth; i++)
		r = (r << 1) | bit_at(prefix, depth - 1 - (start + i));
	return r;
}

/* The constants are distinct, and only void is void. */
static void
test_addr_void_and_root_constants(void **state)
{
	(void)state;
	assert_int_equal(VG_ADDR_VOID.raw, 0);
	assert_int_equal(VG_ADDR_ROOT.raw, UINT64_C(1) << 63);
	assert_true(vg_addr_is_void(VG_ADDR_VOID));
	assert_false(vg_addr_is_void(VG_ADDR_ROOT));
	assert_false(vg_addr_eq(VG_ADDR_VOID, VG_ADDR_ROOT));
	assert_true(vg_addr_eq(VG_ADDR_ROOT, VG_ADDR_ROOT));
	assert_true(vg_addr_eq(VG_ADDR_VOID, VG_ADDR_VOID));
	assert_int_equal(vg_addr_depth(VG_ADDR_ROOT), 0);
	assert_int_equal(vg_addr_prefix(VG_ADDR_ROOT), 0);
	assert_int_equal(VG_ADDR_DEPTH_MAX, 63);
	assert_int_equal(VG_ADDR_PAGE_DEPTH, 52);
}

/* eq compares whole words; is_void is true for raw 0 alone. */
static void
test_addr_eq_and_is_void(void **state)
{
	uint64_t rng = SEED;
	unsigned i;

	(void)state;
	for (i = 0; i < 1000; i++) {
		vg_addr_t a = { xorshift64(&rng) };
		vg_addr_t b = { a.raw ^ (UINT64_C(1) << (i % 64)) };

		assert_false(vg_addr_is_void(a));
		assert_true(vg_addr_eq(a, a));
		assert_false(vg_addr_eq(a, b));
		assert_false(vg_addr_eq(b, a));
	}
	for (i = 0; i < 64; i++)
		assert_false(vg_addr_is_void((vg_addr_t){ UINT64_C(1) << i }));
}

/* The mask is defined for 0..64 and saturates beyond. */
static void
test_addr_bits_mask(void **state)
{
	unsigned n;

	(void)state;
	assert_int_equal(vg_bits_mask(0), 0);
	assert_int_equal(vg_bits_mask(1), 1);
	assert_int_equal(vg_bits_mask(12), 0xfff);
	assert_int_equal(vg_bits_mask(52), UINT64_C(0xfffffffffffff));
	assert_int_equal(vg_bits_mask(63), UINT64_C(0x7fffffffffffffff));
	assert_int_equal(vg_bits_mask(64), ~UINT64_C(0));
	assert_int_equal(vg_bits_mask(65), ~UINT64_C(0));
	assert_int_equal(vg_bits_mask(128), ~UINT64_C(0));
	assert_int_equal(vg_bits_mask(~0u), ~UINT64_C(0));
	for (n = 1; n <= 64; n++) {
		assert_int_equal(vg_bits_mask(n), ~UINT64_C(0) >> (64 - n));
		assert_int_equal(__builtin_popcountll(vg_bits_mask(n)), n);
	}
}

/* The worked example in addr.h: depth 3, prefix 101 is 1011 0...0. */
static void
test_addr_documented_encoding(void **state)
{
	(void)state;
	assert_int_equal(vg_addr(5, 3).raw, UINT64_C(0xb000000000000000));
	assert_int_equal(vg_addr(0, 0).raw, UINT64_C(0x8000000000000000));
}

/* Depth 0 is the root and admits only the empty prefix. */
static void
test_addr_make_depth0(void **state)
{
	(void)state;
	assert_true(vg_addr_eq(vg_addr(0, 0), VG_ADDR_ROOT));
	assert_true(vg_addr_is_void(vg_addr(1, 0)));
	assert_true(vg_addr_is_void(vg_addr(~UINT64_C(0), 0)));
	assert_true(vg_addr_is_void(vg_addr(UINT64_C(1) << 63, 0)));
}

/* Depth 1: one prefix bit, the marker just below it. */
static void
test_addr_make_depth1(void **state)
{
	(void)state;
	assert_int_equal(vg_addr(0, 1).raw, UINT64_C(0x4000000000000000));
	assert_int_equal(vg_addr(1, 1).raw, UINT64_C(0xc000000000000000));
	assert_true(vg_addr_is_void(vg_addr(2, 1)));
	assert_true(vg_addr_is_void(vg_addr(3, 1)));
	assert_int_equal(vg_addr_depth(vg_addr(1, 1)), 1);
	assert_int_equal(vg_addr_prefix(vg_addr(1, 1)), 1);
	assert_int_equal(vg_addr_depth(vg_addr(0, 1)), 1);
	assert_int_equal(vg_addr_prefix(vg_addr(0, 1)), 0);
}

/* Depth 52 is a page: the prefix fills bits 63..12, the marker is bit 11. */
static void
test_addr_make_depth52(void **state)
{
	uint64_t top = vg_bits_mask(52);

	(void)state;
	assert_int_equal(vg_addr(0, 52).raw, UINT64_C(1) << 11);
	assert_int_equal(vg_addr(1, 52).raw, (UINT64_C(1) << 12) |
	    (UINT64_C(1) << 11));
	assert_int_equal(vg_addr(top, 52).raw, ~UINT64_C(0) << 11);
	assert_int_equal(vg_addr_prefix(vg_addr(top, 52)), top);
	assert_int_equal(vg_addr_depth(vg_addr(top, 52)), 52);
	assert_true(vg_addr_is_void(vg_addr(top + 1, 52)));
	assert_true(vg_addr_is_void(vg_addr(~UINT64_C(0), 52)));
}

/* The two deepest levels: at 63 the marker is bit 0. */
static void
test_addr_make_depth62_63(void **state)
{
	uint64_t m62 = vg_bits_mask(62), m63 = vg_bits_mask(63);

	(void)state;
	assert_int_equal(vg_addr(0, 63).raw, 1);
	assert_int_equal(vg_addr(m63, 63).raw, ~UINT64_C(0));
	assert_int_equal(vg_addr(0, 62).raw, 2);
	assert_int_equal(vg_addr(m62, 62).raw, ~UINT64_C(0) << 1);
	assert_int_equal(vg_addr_depth(vg_addr(m63, 63)), 63);
	assert_int_equal(vg_addr_prefix(vg_addr(m63, 63)), m63);
	assert_int_equal(vg_addr_depth(vg_addr(0, 63)), 63);
	assert_int_equal(vg_addr_prefix(vg_addr(0, 63)), 0);
	assert_int_equal(vg_addr_depth(vg_addr(m62, 62)), 62);
	assert_int_equal(vg_addr_prefix(vg_addr(m62, 62)), m62);
	assert_true(vg_addr_is_void(vg_addr(UINT64_C(1) << 62, 62)));
	assert_true(vg_addr_is_void(vg_addr(UINT64_C(1) << 63, 63)));
	assert_true(vg_addr_is_void(vg_addr(~UINT64_C(0), 63)));
}

/* Depth 64 needs 65 bits (prefix + marker): never an address. */
static void
test_addr_make_too_deep_is_void(void **state)
{
	static const unsigned depths[] = { 64, 65, 100, 127, 128, 255, 256,
	    0x7fffffffu, 0x80000000u, ~0u };
	static const uint64_t prefixes[] = { 0, 1, UINT64_C(0x7fffffffffffffff),
	    ~UINT64_C(0) };
	size_t i, j;

	(void)state;
	for (i = 0; i < sizeof(depths) / sizeof(depths[0]); i++)
		for (j = 0; j < sizeof(prefixes) / sizeof(prefixes[0]); j++)
			assert_true(vg_addr_is_void(vg_addr(prefixes[j],
			    depths[i])));
}

/* Any prefix bit at or above the depth makes the pair malformed. */
static void
test_addr_make_prefix_too_wide_is_void(void **state)
{
	unsigned d, b;

	(void)state;
	for (d = 0; d <= VG_ADDR_DEPTH_MAX; d++) {
		assert_false(vg_addr_is_void(vg_addr(vg_bits_mask(d), d)));
		for (b = d; b < 64; b++) {
			uint64_t stray = UINT64_C(1) << b;

			assert_true(vg_addr_is_void(vg_addr(stray, d)));
			assert_true(vg_addr_is_void(vg_addr(stray |
			    vg_bits_mask(d), d)));
		}
	}
}

/* All-ones prefixes: ones down to and including the marker. */
static void
test_addr_all_ones_prefix(void **state)
{
	unsigned d;

	(void)state;
	for (d = 0; d <= VG_ADDR_DEPTH_MAX; d++) {
		vg_addr_t a = vg_addr(vg_bits_mask(d), d);

		assert_int_equal(a.raw, ~UINT64_C(0) << (63 - d));
		assert_int_equal(vg_addr_depth(a), d);
		assert_int_equal(vg_addr_prefix(a), vg_bits_mask(d));
		assert_int_equal(vg_addr_extract(a, 64), vg_bits_mask(d));
		assert_int_equal(vg_addr_bits(a, 0, 64), vg_bits_mask(d));
	}
}

/* Void goes in, void (or 0) comes out, from every helper. */
static void
test_addr_void_inputs(void **state)
{
	vg_addr_t v = VG_ADDR_VOID;
	unsigned n;

	(void)state;
	assert_int_equal(vg_addr_depth(v), 0);
	assert_int_equal(vg_addr_prefix(v), 0);
	assert_int_equal(vg_addr_to_data(v), 0);
	for (n = 0; n <= 65; n++) {
		assert_true(vg_addr_is_void(vg_addr_extend(v, 0, n)));
		assert_true(vg_addr_is_void(vg_addr_extend(v,
		    vg_bits_mask(n), n)));
		assert_true(vg_addr_is_void(vg_addr_chop(v, n)));
		assert_int_equal(vg_addr_extract(v, n), 0);
		assert_int_equal(vg_addr_bits(v, 0, n), 0);
		assert_int_equal(vg_addr_bits(v, n, 1), 0);
	}
	assert_true(vg_addr_is_void(vg_addr_chop(v, ~0u)));
	assert_true(vg_addr_is_void(vg_addr_extend(v, 0, ~0u)));
	assert_int_equal(vg_addr_bits(v, ~0u, ~0u), 0);
	assert_int_equal(vg_addr_extract(v, ~0u), 0);
}

/* Extending: up to depth 63 exactly, never past; bits must fit in N. */
static void
test_addr_extend_edges(void **state)
{
	vg_addr_t a10 = vg_addr(0x2a5, 10);
	vg_addr_t a62 = vg_addr(vg_bits_mask(62), 62);
	vg_addr_t a63 = vg_addr(vg_bits_mask(63), 63);

	(void)state;
	/* n = 0 is identity, but only with no bits. */
	assert_true(vg_addr_eq(vg_addr_extend(VG_ADDR_ROOT, 0, 0),
	    VG_ADDR_ROOT));
	assert_true(vg_addr_eq(vg_addr_extend(a10, 0, 0), a10));
	assert_true(vg_addr_eq(vg_addr_extend(a63, 0, 0), a63));
	assert_true(vg_addr_is_void(vg_addr_extend(a10, 1, 0)));
	assert_true(vg_addr_is_void(vg_addr_extend(VG_ADDR_ROOT,
	    ~UINT64_C(0), 0)));

	/* From the root to exactly 63 in one step, not 64. */
	assert_true(vg_addr_eq(vg_addr_extend(VG_ADDR_ROOT, vg_bits_mask(63),
	    63), a63));
	assert_true(vg_addr_eq(vg_addr_extend(VG_ADDR_ROOT, 0, 63),
	    vg_addr(0, 63)));
	assert_true(vg_addr_is_void(vg_addr_extend(VG_ADDR_ROOT, 0, 64)));
	assert_true(vg_addr_is_void(vg_addr_extend(VG_ADDR_ROOT,
	    ~UINT64_C(0), 64)));

	/* From depth 10: 53 more bits is the limit. */
	assert_int_equal(vg_addr_depth(vg_addr_extend(a10, 0, 53)), 63);
	assert_int_equal(vg_addr_prefix(vg_addr_extend(a10, 1, 53)),
	    (UINT64_C(0x2a5) << 53) | 1);
	assert_true(vg_addr_is_void(vg_addr_extend(a10, 0, 54)));

	/* One bit from 62 to 63, none from 63. */
	assert_true(vg_addr_eq(vg_addr_extend(a62, 1, 1), a63));
	assert_true(vg_addr_eq(vg_addr_extend(a62, 0, 1),
	    (vg_addr_t){ ~UINT64_C(0) ^ 2 }));
	assert_true(vg_addr_is_void(vg_addr_extend(a63, 0, 1)));
	assert_true(vg_addr_is_void(vg_addr_extend(a63, 1, 1)));

	/* Bits that do not fit in N. */
	assert_true(vg_addr_is_void(vg_addr_extend(a10, 2, 1)));
	assert_true(vg_addr_is_void(vg_addr_extend(a10, 4, 2)));
	assert_true(vg_addr_is_void(vg_addr_extend(VG_ADDR_ROOT,
	    UINT64_C(1) << 63, 63)));
	assert_true(vg_addr_is_void(vg_addr_extend(a10, 0x100, 8)));

	/* Huge N must not wrap the depth check. */
	assert_true(vg_addr_is_void(vg_addr_extend(a10, 0, ~0u)));
	assert_true(vg_addr_is_void(vg_addr_extend(VG_ADDR_ROOT, 0, ~0u)));
	assert_true(vg_addr_is_void(vg_addr_extend(a10, 0, 0x80000000u)));
}

/* Chopping: by 0 is identity, by the depth gives the root, beyond is void. */
static void
test_addr_chop_edges(void **state)
{
	vg_addr_t a6 = vg_addr(0x35, 6);	/* 110101 */
	vg_addr_t a63 = vg_addr(vg_bits_mask(63), 63);

	(void)state;
	assert_true(vg_addr_eq(vg_addr_chop(a6, 0), a6));
	assert_true(vg_addr_eq(vg_addr_chop(a63, 0), a63));
	assert_true(vg_addr_eq(vg_addr_chop(VG_ADDR_ROOT, 0), VG_ADDR_ROOT));

	assert_true(vg_addr_eq(vg_addr_chop(a6, 1), vg_addr(0x1a, 5)));
	assert_true(vg_addr_eq(vg_addr_chop(a6, 2), vg_addr(0xd, 4)));
	assert_true(vg_addr_eq(vg_addr_chop(a6, 5), vg_addr(1, 1)));
	assert_true(vg_addr_eq(vg_addr_chop(a63, 62), vg_addr(1, 1)));
	assert_true(vg_addr_eq(vg_addr_chop(a63, 1),
	    vg_addr(vg_bits_mask(62), 62)));

	assert_true(vg_addr_eq(vg_addr_chop(a6, 6), VG_ADDR_ROOT));
	assert_true(vg_addr_eq(vg_addr_chop(a63, 63), VG_ADDR_ROOT));
	assert_true(vg_addr_eq(vg_addr_chop(vg_addr(0, 63), 63),
	    VG_ADDR_ROOT));

	assert_true(vg_addr_is_void(vg_addr_chop(a6, 7)));
	assert_true(vg_addr_is_void(vg_addr_chop(a63, 64)));
	assert_true(vg_addr_is_void(vg_addr_chop(VG_ADDR_ROOT, 1)));
	assert_true(vg_addr_is_void(vg_addr_chop(a6, ~0u)));
	assert_true(vg_addr_is_void(vg_addr_chop(a63, ~0u)));
}

/* Extracting: the last N bits, N clipped to the depth. */
static void
test_addr_extract_edges(void **state)
{
	vg_addr_t a4 = vg_addr(0xb, 4);		/* 1011 */
	vg_addr_t a63 = vg_addr(vg_bits_mask(63), 63);

	(void)state;
	assert_int_equal(vg_addr_extract(a4, 0), 0);
	assert_int_equal(vg_addr_extract(a4, 1), 1);
	assert_int_equal(vg_addr_extract(a4, 2), 3);
	assert_int_equal(vg_addr_extract(a4, 3), 3);
	assert_int_equal(vg_addr_extract(a4, 4), 0xb);
	assert_int_equal(vg_addr_extract(a4, 5), 0xb);
	assert_int_equal(vg_addr_extract(a4, 64), 0xb);
	assert_int_equal(vg_addr_extract(a4, ~0u), 0xb);

	assert_int_equal(vg_addr_extract(VG_ADDR_ROOT, 0), 0);
	assert_int_equal(vg_addr_extract(VG_ADDR_ROOT, 5), 0);
	assert_int_equal(vg_addr_extract(VG_ADDR_ROOT, 64), 0);

	assert_int_equal(vg_addr_extract(a63, 0), 0);
	assert_int_equal(vg_addr_extract(a63, 63), vg_bits_mask(63));
	assert_int_equal(vg_addr_extract(a63, 64), vg_bits_mask(63));
	assert_int_equal(vg_addr_extract(a63, 100), vg_bits_mask(63));
	/* The marker never leaks into the result. */
	assert_int_equal(vg_addr_extract(vg_addr(0, 63), 64), 0);
	assert_int_equal(vg_addr_extract(vg_addr(0, 10), 64), 0);
}

/*
 * vg_addr_bits reads from the most significant end.  A read that reaches
 * past the depth is clipped to the bits that exist (right-aligned); one
 * that starts at or past the depth reads 0.
 */
static void
test_addr_bits_edges(void **state)
{
	vg_addr_t a6 = vg_addr(0x35, 6);	/* 110101 */
	vg_addr_t a63 = vg_addr(vg_bits_mask(63), 63);

	(void)state;
	/* start 0 */
	assert_int_equal(vg_addr_bits(a6, 0, 0), 0);
	assert_int_equal(vg_addr_bits(a6, 0, 1), 1);
	assert_int_equal(vg_addr_bits(a6, 0, 3), 6);
	assert_int_equal(vg_addr_bits(a6, 0, 6), 0x35);
	/* the middle */
	assert_int_equal(vg_addr_bits(a6, 2, 2), 1);
	assert_int_equal(vg_addr_bits(a6, 3, 3), 5);
	assert_int_equal(vg_addr_bits(a6, 1, 4), 0xa);
	assert_int_equal(vg_addr_bits(a6, 5, 1), 1);
	assert_int_equal(vg_addr_bits(a6, 4, 0), 0);
	/* reaching past the end: clipped */
	assert_int_equal(vg_addr_bits(a6, 0, 7), 0x35);
	assert_int_equal(vg_addr_bits(a6, 0, 64), 0x35);
	assert_int_equal(vg_addr_bits(a6, 0, ~0u), 0x35);
	assert_int_equal(vg_addr_bits(a6, 4, 10), 1);
	assert_int_equal(vg_addr_bits(a6, 5, 64), 1);
	/* start at or beyond the depth */
	assert_int_equal(vg_addr_bits(a6, 6, 1), 0);
	assert_int_equal(vg_addr_bits(a6, 7, 1), 0);
	assert_int_equal(vg_addr_bits(a6, 63, 64), 0);
	assert_int_equal(vg_addr_bits(a6, ~0u, ~0u), 0);
	assert_int_equal(vg_addr_bits(VG_ADDR_ROOT, 0, 1), 0);
	assert_int_equal(vg_addr_bits(VG_ADDR_ROOT, 0, 64), 0);
	/* depth 63 */
	assert_int_equal(vg_addr_bits(a63, 0, 63), vg_bits_mask(63));
	assert_int_equal(vg_addr_bits(a63, 0, 64), vg_bits_mask(63));
	assert_int_equal(vg_addr_bits(a63, 1, 64), vg_bits_mask(62));
	assert_int_equal(vg_addr_bits(a63, 62, 5), 1);
	assert_int_equal(vg_addr_bits(a63, 63, 1), 0);
	assert_int_equal(vg_addr_bits(vg_addr(1, 63), 62, 1), 1);
	assert_int_equal(vg_addr_bits(vg_addr(1, 63), 61, 1), 0);
	assert_int_equal(vg_addr_bits(vg_addr(UINT64_C(1) << 62, 63), 0, 1),
	    1);
}

/* vg_addr_bits and vg_addr_extract against bit-by-bit references. */
static void
test_addr_bits_match_reference(void **state)
{
	uint64_t rng = SEED;
	uint64_t prefixes[MAX_SAMPLES];
	unsigned d, k, count, start, n;

	(void)state;
	for (d = 0; d <= VG_ADDR_DEPTH_MAX; d++) {
		count = sample_prefixes(d, &rng, prefixes);
		for (k = 0; k < count; k += 3) {
			vg_addr_t a = vg_addr(prefixes[k], d);

			for (start = 0; start <= 66; start++)
				for (n = 0; n <= 66; n++)
					assert_int_equal(vg_addr_bits(a, start,
					    n), ref_bits(prefixes[k], d, start,
					    n));
			for (n = 0; n <= 66; n++)
				assert_int_equal(vg_addr_extract(a, n),
				    ref_bits(prefixes[k], d,
				    n < d ? d - n : 0, n));
		}
	}
}

/*
 * For every depth and many prefixes: make -> depth/prefix round-trips and
 * the marker is the lowest set bit, at position 63 - depth, with the
 * prefix above it.
 */
static void
test_addr_roundtrip_and_marker(void **state)
{
	uint64_t rng = SEED;
	uint64_t prefixes[MAX_SAMPLES];
	unsigned d, k, count;

	(void)state;
	for (d = 0; d <= VG_ADDR_DEPTH_MAX; d++) {
		count = sample_prefixes(d, &rng, prefixes);
		for (k = 0; k < count; k++) {
			uint64_t p = prefixes[k];
			vg_addr_t a = vg_addr(p, d);

			assert_false(vg_addr_is_void(a));
			assert_int_equal(vg_addr_depth(a), d);
			assert_int_equal(vg_addr_prefix(a), p);
			assert_int_equal(__builtin_ctzll(a.raw), 63 - d);
			assert_int_equal(a.raw & vg_bits_mask(63 - d), 0);
			assert_int_equal(a.raw >> (63 - d), (p << 1) | 1);
		}
	}
}

/* Every nonzero word is an address: decode then encode is identity. */
static void
test_addr_every_nonzero_word_decodes(void **state)
{
	uint64_t rng = SEED;
	unsigned i;

	(void)state;
	for (i = 0; i < 64; i++) {
		vg_addr_t a = { UINT64_C(1) << i };

		assert_int_equal(vg_addr_depth(a), 63 - i);
		assert_int_equal(vg_addr_prefix(a), 0);
		assert_true(vg_addr_eq(vg_addr(0, 63 - i), a));
	}
	for (i = 0; i < 4096; i++) {
		vg_addr_t a = { xorshift64(&rng) >> (i % 64) };

		if (a.raw == 0)
			continue;
		assert_true(vg_addr_eq(vg_addr(vg_addr_prefix(a),
		    vg_addr_depth(a)), a));
	}
}

/* extend(a, bits, n) then chop(n) gives back a, and extract gives bits. */
static void
test_addr_extend_then_chop_is_identity(void **state)
{
	uint64_t rng = SEED;
	uint64_t prefixes[MAX_SAMPLES];
	unsigned d, k, n, count;

	(void)state;
	for (d = 0; d <= VG_ADDR_DEPTH_MAX; d++) {
		count = sample_prefixes(d, &rng, prefixes);
		for (k = 0; k < count; k++) {
			uint64_t p = prefixes[k];
			vg_addr_t a = vg_addr(p, d);

			for (n = 0; n <= VG_ADDR_DEPTH_MAX - d; n++) {
				uint64_t bits = xorshift64(&rng) &
				    vg_bits_mask(n);
				vg_addr_t e = vg_addr_extend(a, bits, n);

				assert_false(vg_addr_is_void(e));
				assert_int_equal(vg_addr_depth(e), d + n);
				assert_int_equal(vg_addr_prefix(e),
				    n == 0 ? p : (p << n) | bits);
				assert_true(vg_addr_eq(vg_addr_chop(e, n), a));
				assert_int_equal(vg_addr_extract(e, n), bits);
				assert_int_equal(vg_addr_bits(e, d, n), bits);
				assert_int_equal(vg_addr_bits(e, 0, d), p);
			}
			/* One bit too many is void. */
			assert_true(vg_addr_is_void(vg_addr_extend(a, 0,
			    VG_ADDR_DEPTH_MAX - d + 1)));
		}
	}
}

/* chop(a, n) extended by extract(a, n) gives back a. */
static void
test_addr_chop_then_extend_is_identity(void **state)
{
	uint64_t rng = SEED;
	uint64_t prefixes[MAX_SAMPLES];
	unsigned d, k, n, count;

	(void)state;
	for (d = 0; d <= VG_ADDR_DEPTH_MAX; d++) {
		count = sample_prefixes(d, &rng, prefixes);
		for (k = 0; k < count; k++) {
			uint64_t p = prefixes[k];
			vg_addr_t a = vg_addr(p, d);

			for (n = 0; n <= d; n++) {
				vg_addr_t c = vg_addr_chop(a, n);
				uint64_t x = vg_addr_extract(a, n);

				assert_false(vg_addr_is_void(c));
				assert_int_equal(vg_addr_depth(c), d - n);
				assert_int_equal(vg_addr_prefix(c), p >> n);
				assert_true(vg_addr_eq(vg_addr_extend(c, x, n),
				    a));
			}
			assert_true(vg_addr_is_void(vg_addr_chop(a, d + 1)));
		}
	}
}

/* Exhaustively for depths 0..12: all (prefix, depth) pairs are distinct. */
#define INJ_DEPTH	12
/* How many pairs have depth <= INJ_DEPTH. */
#define INJ_TOTAL	((1u << (INJ_DEPTH + 1)) - 1)

static void
test_addr_injective_small_depths(void **state)
{
	/* Such addresses only use the top 13 bits: index a bitmap by them. */
	static unsigned char seen[1u << (INJ_DEPTH + 1)];
	unsigned d, count = 0;
	uint64_t p;

	(void)state;
	memset(seen, 0, sizeof(seen));
	for (d = 0; d <= INJ_DEPTH; d++) {
		for (p = 0; p < (UINT64_C(1) << d); p++) {
			vg_addr_t a = vg_addr(p, d);
			unsigned idx = (unsigned)(a.raw >> (63 - INJ_DEPTH));

			assert_false(vg_addr_is_void(a));
			assert_int_equal(a.raw & vg_bits_mask(63 - INJ_DEPTH),
			    0);
			assert_int_equal(seen[idx], 0);
			seen[idx] = 1;
			count++;
		}
	}
	assert_int_equal(count, INJ_TOTAL);
	/* Only raw 0 (void) is left over. */
	assert_int_equal(seen[0], 0);
}

struct pair {
	uint64_t raw;
	uint64_t prefix;
	unsigned depth;
};

static int
cmp_pair(const void *x, const void *y)
{
	uint64_t a = ((const struct pair *)x)->raw;
	uint64_t b = ((const struct pair *)y)->raw;

	return (a > b) - (a < b);
}

/* Across all depths: equal encodings only come from equal pairs. */
static void
test_addr_injective_random_pairs(void **state)
{
	enum { N = 8192 };
	static struct pair pairs[N];
	uint64_t rng = SEED;
	unsigned i, dups = 0;

	(void)state;
	for (i = 0; i < N; i++) {
		unsigned d = (unsigned)(xorshift64(&rng) % 64);
		/* Short prefixes, so that equal and near pairs are common. */
		uint64_t p = xorshift64(&rng) & vg_bits_mask(d) & 0xf;

		pairs[i] = (struct pair){ vg_addr(p, d).raw, p, d };
		assert_int_not_equal(pairs[i].raw, 0);
	}
	qsort(pairs, N, sizeof(pairs[0]), cmp_pair);
	for (i = 1; i < N; i++) {
		if (pairs[i].raw != pairs[i - 1].raw)
			continue;
		dups++;
		assert_int_equal(pairs[i].prefix, pairs[i - 1].prefix);
		assert_int_equal(pairs[i].depth, pairs[i - 1].depth);
	}
	/* The sample did exercise equal pairs. */
	assert_true(dups > 0);
	/* Same prefix value, different depth: different addresses. */
	for (i = 0; i < 63; i++) {
		assert_false(vg_addr_eq(vg_addr(0, i), vg_addr(0, i + 1)));
		if (i < 62)
			assert_false(vg_addr_eq(vg_addr(1, i + 1),
			    vg_addr(1, i + 2)));
	}
}

/* The page of byte P is the depth-52 address with prefix P >> 12. */
static void
test_addr_data_page_of_byte(void **state)
{
	static const uint64_t bytes[] = { 0, 1, 4095, 4096, 4097, 8191, 8192,
	    0x12345678, UINT64_C(0x7ffffffff000), UINT64_C(0x7ffffffffffe),
	    UINT64_C(0x7fffffffffff) };
	uint64_t rng = SEED;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(bytes) / sizeof(bytes[0]) + 1000; i++) {
		uint64_t p = i < sizeof(bytes) / sizeof(bytes[0]) ? bytes[i] :
		    xorshift64(&rng) & UINT64_C(0x7fffffffffff);
		vg_addr_t a = vg_addr_of_data(p);

		assert_int_equal(vg_addr_depth(a), VG_ADDR_PAGE_DEPTH);
		assert_int_equal(vg_addr_prefix(a), p >> 12);
		assert_true(vg_addr_eq(a, vg_addr(p >> 12, 52)));
		/* Page base with the marker in bit 11. */
		assert_int_equal(a.raw, (p & ~UINT64_C(0xfff)) | 0x800);
		assert_int_equal(vg_addr_to_data(a), p & ~UINT64_C(0xfff));
		assert_true(vg_addr_eq(vg_addr_of_data(vg_addr_to_data(a)), a));
	}
	assert_true(vg_addr_eq(vg_addr_of_data(0), vg_addr_of_data(4095)));
	assert_false(vg_addr_eq(vg_addr_of_data(4095), vg_addr_of_data(4096)));
	assert_int_equal(vg_addr_prefix(vg_addr_of_data(4096)), 1);
	assert_int_equal(vg_addr_to_data(vg_addr_of_data(
	    UINT64_C(0x7fffffffffff))), UINT64_C(0x7ffffffff000));
}

/* Data and capability addresses share one space: pages extend shallower
 * addresses.  Upper-half bytes still map to well-formed addresses. */
static void
test_addr_data_shares_the_space(void **state)
{
	uint64_t p = UINT64_C(0x00007f0123456abc);
	vg_addr_t page = vg_addr_of_data(p);

	(void)state;
	assert_true(vg_addr_eq(vg_addr_chop(page, 12), vg_addr(p >> 24, 40)));
	assert_true(vg_addr_eq(vg_addr_extend(vg_addr(p >> 24, 40),
	    (p >> 12) & 0xfff, 12), page));
	assert_int_equal(vg_addr_bits(page, 0, 16), 0);
	assert_int_equal(vg_addr_bits(page, 16, 8), 0x7f);

	page = vg_addr_of_data(~UINT64_C(0));
	assert_int_equal(vg_addr_depth(page), 52);
	assert_int_equal(vg_addr_prefix(page), vg_bits_mask(52));
	assert_int_equal(vg_addr_to_data(page), ~UINT64_C(0xfff));
	page = vg_addr_of_data(UINT64_C(0xffff800000000000));
	assert_int_equal(vg_addr_prefix(page), UINT64_C(0xffff800000000));
}

/* Only depth-52 addresses name pages; everything else reads as 0. */
static void
test_addr_to_data_wrong_depth(void **state)
{
	unsigned d;

	(void)state;
	assert_int_equal(vg_addr_to_data(VG_ADDR_VOID), 0);
	assert_int_equal(vg_addr_to_data(VG_ADDR_ROOT), 0);
	for (d = 0; d <= VG_ADDR_DEPTH_MAX; d++) {
		vg_addr_t a = vg_addr(vg_bits_mask(d), d);

		if (d == VG_ADDR_PAGE_DEPTH)
			assert_int_equal(vg_addr_to_data(a),
			    ~UINT64_C(0) << 12);
		else
			assert_int_equal(vg_addr_to_data(a), 0);
	}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_addr_void_and_root_constants),
		cmocka_unit_test(test_addr_eq_and_is_void),
		cmocka_unit_test(test_addr_bits_mask),
		cmocka_unit_test(test_addr_documented_encoding),
		cmocka_unit_test(test_addr_make_depth0),
		cmocka_unit_test(test_addr_make_depth1),
		cmocka_unit_test(test_addr_make_depth52),
		cmocka_unit_test(test_addr_make_depth62_63),
		cmocka_unit_test(test_addr_make_too_deep_is_void),
		cmocka_unit_test(test_addr_make_prefix_too_wide_is_void),
		cmocka_unit_test(test_addr_all_ones_prefix),
		cmocka_unit_test(test_addr_void_inputs),
		cmocka_unit_test(test_addr_extend_edges),
		cmocka_unit_test(test_addr_chop_edges),
		cmocka_unit_test(test_addr_extract_edges),
		cmocka_unit_test(test_addr_bits_edges),
		cmocka_unit_test(test_addr_bits_match_reference),
		cmocka_unit_test(test_addr_roundtrip_and_marker),
		cmocka_unit_test(test_addr_every_nonzero_word_decodes),
		cmocka_unit_test(test_addr_extend_then_chop_is_identity),
		cmocka_unit_test(test_addr_chop_then_extend_is_identity),
		cmocka_unit_test(test_addr_injective_small_depths),
		cmocka_unit_test(test_addr_injective_random_pairs),
		cmocka_unit_test(test_addr_data_page_of_byte),
		cmocka_unit_test(test_addr_data_shares_the_space),
		cmocka_unit_test(test_addr_to_data_wrong_depth),
	};

	return cmocka_run_group_tests_name("addr", tests, NULL, NULL);
}
