/*
 * The fuzzer's PRNG and its generators of words, addresses and pointers
 * (vmfuzz.h).  Addresses come valid (a slot I filled, a path into the
 * object I think is there, a data page), near-valid (one of those
 * mutated: a bit flipped, bits cut or added, the root's guard alone, the
 * root address) or garbage.  None names SB's guarded slots 1..7 where it
 * can tell.
 */
#include "vmfuzz.h"

static uint64_t state;

void
vf_seed(uint64_t seed)
{
	state = seed ^ 0x76666d7a75667a7aull;	/* "vmfuzz" */
}

/* splitmix64 */
uint64_t
vf_rand(void)
{
	uint64_t z = (state += 0x9e3779b97f4a7c15ull);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
	return z ^ (z >> 31);
}

uint64_t
vf_below(uint64_t n)
{
	return n == 0 ? 0 : vf_rand() % n;
}

bool
vf_chance(unsigned p)
{
	return vf_below(100) < p;
}

uint64_t
vf_word(void)
{
	switch (vf_below(10)) {
	case 0:
		return vf_below(4);
	case 1:
		return vf_below(256);
	case 2: {
		static const uint64_t edges[] = {
			0, 1, 2, 7, 8, 63, 64, 127, 128, 255, 256, 4095, 4096,
			0x7fffffff, 0x80000000, 0xffffffff, 0x100000000ull,
			0x7fffffffffffffffull, 0x8000000000000000ull,
			~0ull, ~0ull - 1,
		};

		return edges[vf_below(sizeof(edges) / sizeof(edges[0]))];
	}
	case 3:
		return vf_addr_sb().raw;
	case 4:
		return VF_VICTIM_VA + vf_below(VF_VICTIM_PAGES * VG_PAGE_SIZE);
	case 5:
		return vf_below(VG_ERR_COUNT + 2);
	case 6:
		return 1ull << vf_below(64);
	default:
		return vf_rand();
	}
}

/* --- addresses --------------------------------------------------------------- */

static bool
guarded_slot(uint64_t j)
{
	return j >= 1 && j <= 7;
}

vg_addr_t
vf_sb_slot(unsigned j)
{
	return vg_boot_slot(j & 0xff);
}

vg_addr_t
vf_my_slot(unsigned j)
{
	return vg_addr_extend(vf.p_sb, j & 0xff, 8);
}

/* The bits to index an object of TYPE (cappages as I make them: whole). */
static unsigned
index_bits(enum vg_type type)
{
	switch (type) {
	case VG_TYPE_CAPPAGE:
	case VG_TYPE_RCAPPAGE:
		return 8;
	case VG_TYPE_FOLIO:
		return 7;
	case VG_TYPE_THREAD:
	case VG_TYPE_MESSENGER:
		return 2;
	default:
		return 0;
	}
}

int
vf_pick_slot(enum vg_type type)
{
	unsigned start = (unsigned)vf_below(128);

	for (unsigned k = 0; k < 128; k++) {
		unsigned j = 128 + (start + k) % 128;

		if (vf.slot[j].type == type)
			return (int)j;
	}
	return -1;
}

/* A slot of SB I think holds something, mostly. */
static unsigned
pick_full_slot(void)
{
	unsigned start = (unsigned)vf_below(128);

	if (vf_chance(85))
		for (unsigned k = 0; k < 128; k++) {
			unsigned j = 128 + (start + k) % 128;

			if (vf.slot[j].type != VG_TYPE_VOID)
				return j;
		}
	return 128 + start;
}

unsigned
vf_pick_dyn_slot(void)
{
	if (vf_chance(60))
		return VF_SB_DYN + (unsigned)vf_below(VF_SB_ANSWER - VF_SB_DYN);
	return VF_SB_DYN2 + (unsigned)vf_below(256 - VF_SB_DYN2);
}

/* A slot (SB's view), maybe with a path into what I think is there. */
static vg_addr_t
path_from(unsigned j)
{
	vg_addr_t a = vf_sb_slot(j);
	enum vg_type t = (enum vg_type)vf.slot[j].type;

	for (unsigned depth = 0; depth < 2 && vf_chance(40); depth++) {
		unsigned n = index_bits(t);
		vg_addr_t b;

		if (n == 0)
			break;
		b = vg_addr_extend(a, vf_below(1ull << n), n);
		if (vg_addr_is_void(b))
			break;
		a = b;
		t = (enum vg_type)(vf_below(VG_TYPE_COUNT));
	}
	return a;
}

static vg_addr_t
mutate(vg_addr_t a)
{
	unsigned depth = vg_addr_depth(a);

	switch (vf_below(8)) {
	case 0:		/* a bit flipped, below the guard */
		if (depth > VG_AS_GUARD_DEPTH) {
			unsigned bit = VG_AS_GUARD_DEPTH +
			    (unsigned)vf_below(depth - VG_AS_GUARD_DEPTH);

			return vg_addr(vg_addr_prefix(a) ^
			    (1ull << (depth - 1 - bit)), depth);
		}
		return a;
	case 1:		/* a bit of the guard flipped */
		if (depth > 0) {
			unsigned bit = (unsigned)vf_below(depth <
			    VG_AS_GUARD_DEPTH ? depth : VG_AS_GUARD_DEPTH);

			return vg_addr(vg_addr_prefix(a) ^
			    (1ull << (depth - 1 - bit)), depth);
		}
		return a;
	case 2:		/* cut short */
		return vg_addr_chop(a, 1 + (unsigned)vf_below(8));
	case 3:		/* longer */
		return vg_addr_extend(a, vf_below(256), 1 +
		    (unsigned)vf_below(8));
	case 4:		/* the root's guard alone: names the root slot */
		return vg_addr(0, VG_AS_GUARD_DEPTH);
	case 5:
		return VG_ADDR_ROOT;
	case 6:		/* inside the root cappage's index */
		return vg_addr(vf_below(1ull << 4), VG_AS_GUARD_DEPTH + 4);
	default: {	/* shorter, the same leading bits */
		unsigned cut = depth > 1 ? (unsigned)vf_below(depth) : 0;

		return vg_addr(vg_addr_prefix(a) >> cut, depth - cut);
	}
	}
}

static vg_addr_t
garbage(void)
{
	switch (vf_below(5)) {
	case 0:
		return (vg_addr_t){ vf_rand() };
	case 1:
		return (vg_addr_t){ ~0ull };
	case 2:
		return (vg_addr_t){ 1 };
	case 3:
		return vg_addr(vf_rand() & vg_bits_mask(6), 6);
	default:
		return vg_addr(vf_rand() >> 1, 63);
	}
}

vg_addr_t
vf_sanitize_sb(vg_addr_t a)
{
	unsigned depth = vg_addr_depth(a);
	uint64_t prefix = vg_addr_prefix(a);
	unsigned rest;
	uint64_t j;

	if (depth < VG_AS_ROOT_SLOT_DEPTH ||
	    (prefix >> (depth - VG_AS_GUARD_DEPTH)) != 0)
		return a;
	rest = depth - VG_AS_ROOT_SLOT_DEPTH;
	j = (prefix >> rest) & 0xff;
	if (!guarded_slot(j))
		return a;
	/* Region 0 instead: nothing there matters. */
	return vg_addr(prefix & vg_bits_mask(rest), depth);
}

vg_addr_t
vf_sanitize_rel(vg_addr_t a)
{
	unsigned depth = vg_addr_depth(a);
	uint64_t prefix = vg_addr_prefix(a);

	if (depth < 8 || !guarded_slot(prefix >> (depth - 8)))
		return a;
	return vg_addr(prefix & vg_bits_mask(depth - 8), depth);
}

/* A data address of SB's. */
static vg_addr_t
data_addr(void)
{
	uint64_t va;

	switch (vf_below(4)) {
	case 0:
	case 1:
		va = vf_victim((unsigned)vf_below(VF_VICTIM_PAGES));
		break;
	case 2:
		va = VF_VIRT_VA + vf_below(64) * VG_PAGE_SIZE;
		break;
	default:
		va = VF_HOLE_VA + vf_below(1u << 22);
		break;
	}
	return vg_addr_of_data(va);
}

vg_addr_t
vf_addr_sb(void)
{
	vg_addr_t a;
	unsigned r = (unsigned)vf_below(100);

	if (r < 50) {
		a = path_from(pick_full_slot());
	} else if (r < 62) {
		a = data_addr();
	} else if (r < 82) {
		a = mutate(vf_chance(70) ? path_from(pick_full_slot()) :
		    data_addr());
	} else if (r < 94) {
		a = garbage();
	} else {
		a = VG_ADDR_VOID;
	}
	return vf_sanitize_sb(a);
}

vg_addr_t
vf_addr_sb_typed(enum vg_type type)
{
	int j = vf_pick_slot(type);

	if (j < 0 || vf_chance(10))
		return vf_addr_sb();
	if (vf_chance(10))
		return vf_sanitize_sb(mutate(vf_sb_slot((unsigned)j)));
	return vf_sb_slot((unsigned)j);
}

vg_addr_t
vf_addr_rel(void)
{
	vg_addr_t a;

	switch (vf_below(10)) {
	case 0:
		a = VG_ADDR_ROOT;
		break;
	case 1:
		a = VG_ADDR_VOID;
		break;
	case 2:			/* a thread's or a messenger's slot */
		a = vg_addr(vf_below(4), 2);
		break;
	case 3:			/* a folio's object */
		a = vg_addr(vf_below(128), 7);
		break;
	case 4:			/* a slot and one below it */
		a = vg_addr(vf_below(1u << 10), 10);
		break;
	case 5:
		a = vg_addr(vf_below(1u << 16), 16);
		break;
	case 6:
		a = garbage();
		break;
	default:		/* a slot of a cappage */
		a = vg_addr(128 + vf_below(128), 8);
		break;
	}
	return vf_sanitize_rel(a);
}

vg_addr_t
vf_addr_my_messenger(void)
{
	unsigned r = (unsigned)vf_below(100);
	int j;

	if (r < 30)
		return vf.p_mb[vf_below(VF_MB)];
	if (r < 85) {
		j = vf_pick_slot(VG_TYPE_MESSENGER);
		if (j >= 0)
			return vf_my_slot((unsigned)j);
		return vf.p_mb[vf_below(VF_MB)];
	}
	if (r < 90)
		return vf.p_x[vf_below(VF_PX)];
	if (r < 95)		/* any slot of SB: often no messenger */
		return vf_my_slot(128 + (unsigned)vf_below(128));
	/* Garbage that stays in my P slots or fails at my guard. */
	switch (vf_below(3)) {
	case 0:
		return vg_addr_extend(vf.p_sb, vf_below(1u << 10), 10);
	case 1:
		return VG_ADDR_VOID;
	default:
		return (vg_addr_t){ vf_rand() | 1ull << 63 };
	}
}

/* --- pointers ------------------------------------------------------------------ */

uint64_t
vf_ip(void)
{
	switch (vf_below(10)) {
	case 0:
	case 1:
	case 2:
		return VF_TRAP_VA(vf_below(VF_TRAP_PAGES)) +
		    vf_below(VG_PAGE_SIZE);
	case 3:
		return (uint64_t)(uintptr_t)vf_g_entry;
	case 4:
		return VF_HOLE_VA + vf_below(1u << 22);
	case 5:
		return 0xffff800000000000ull + vf_below(1u << 20);
	case 6:
		return 0x8000000000000000ull | vf_rand();
	case 7:
		return 0;
	case 8:
		return vf_below(4096);
	default:
		return VF_VIRT_VA + vf_below(1u << 16);
	}
}

uint64_t
vf_sp(void)
{
	switch (vf_below(6)) {
	case 0:
	case 1:
		return vf_victim((unsigned)vf_below(VF_VICTIM_PAGES)) +
		    VG_PAGE_SIZE - 8 * vf_below(64);
	case 2:
		return VF_HOLE_VA + vf_below(1u << 22);
	case 3:
		return 0;
	case 4:
		return 0x800000000000ull - 8 * vf_below(4);
	default:
		return vf_rand();
	}
}

void
vf_fill(void *p, uint64_t n)
{
	uint8_t *b = p;

	for (uint64_t i = 0; i < n; i += 8) {
		uint64_t w = vf_chance(30) ? vf_word() : vf_rand();

		for (unsigned k = 0; k < 8 && i + k < n; k++)
			b[i + k] = (uint8_t)(w >> (8 * k));
	}
	/* Whoever runs these bytes makes no system call with them. */
	for (uint64_t i = 0; i + 1 < n; i++)
		if (b[i] == 0x0f && b[i + 1] == 0x05)
			b[i + 1] = 0x04;
}
