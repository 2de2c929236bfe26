/*
 * A sparse virtual cappage served in user space (libvg/vcappage.h).
 */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <vg/cap.h>
#include <vg/method.h>
#include <vg/types.h>

#include <libvg/as.h>
#include <libvg/env.h>
#include <libvg/methods.h>
#include <libvg/msg.h>
#include <libvg/stdio.h>
#include <libvg/string.h>
#include <libvg/vcappage.h>
#include <libvg/virt.h>

/* --- the arena of real slots ---------------------------------------------- */

/*
 * Real slot J is slot J & 255 of leaf cappage J >> 8, which is held in
 * slot J >> 8 of the directory cappage, which is held in root slot DIR:
 * the address DIR + 16 bits.  Leaves are made when first needed, and
 * slots are handed out lowest first, so a few entries cost one leaf.
 */
#define ARENA_WORDS	(VG_VCAP_ARENA_SLOTS / 64)

static struct {
	vg_addr_t dir;			/* void until the first store */
	uint64_t leaf_made[4];		/* bit k: leaf k exists */
	uint64_t used[ARENA_WORDS];	/* bit j: real slot j is taken */
	uint64_t full[ARENA_WORDS / 64]; /* bit w: used[w] is all ones */
	uint32_t inuse;
} arena;

static vg_addr_t
arena_slot(uint32_t j)
{
	return vg_addr_extend(arena.dir, j, 16);
}

/* A free real slot (made available), or -1 with *ERR set. */
static int64_t
arena_alloc(enum vg_err *err)
{
	struct vg_runtime *rt = vg_self();
	uint32_t w = ARENA_WORDS, j, k;

	if (vg_addr_is_void(arena.dir)) {
		vg_addr_t dir = vg_slot_alloc(&rt->slots);

		if (vg_addr_is_void(dir)) {
			*err = VG_ERR_NO_STORAGE;
			return -1;
		}
		*err = vg_obj_alloc(vg_kcall(), &rt->alloc, VG_TYPE_CAPPAGE,
		    dir);
		if (*err != VG_OK) {
			vg_slot_free(&rt->slots, dir);
			return -1;
		}
		arena.dir = dir;
	}
	for (uint32_t f = 0; f < ARENA_WORDS / 64; f++) {
		if (arena.full[f] != ~UINT64_C(0)) {
			w = f * 64 + (uint32_t)__builtin_ctzll(~arena.full[f]);
			break;
		}
	}
	if (w >= ARENA_WORDS) {
		*err = VG_ERR_NO_STORAGE;
		return -1;
	}
	j = w * 64 + (uint32_t)__builtin_ctzll(~arena.used[w]);
	k = j >> 8;
	if (!(arena.leaf_made[k / 64] & (UINT64_C(1) << (k % 64)))) {
		*err = vg_obj_alloc(vg_kcall(), &rt->alloc, VG_TYPE_CAPPAGE,
		    vg_addr_extend(arena.dir, k, 8));
		if (*err != VG_OK)
			return -1;
		arena.leaf_made[k / 64] |= UINT64_C(1) << (k % 64);
	}
	arena.used[w] |= UINT64_C(1) << (j % 64);
	if (arena.used[w] == ~UINT64_C(0))
		arena.full[w / 64] |= UINT64_C(1) << (w % 64);
	arena.inuse++;
	*err = VG_OK;
	return j;
}

/* Empty real slot J and give it back. */
static void
arena_free(uint32_t j)
{
	uint32_t w = j / 64;

	(void)vg_as_rubout(vg_kcall(), vg_self()->self_root, arena_slot(j));
	arena.used[w] &= ~(UINT64_C(1) << (j % 64));
	arena.full[w / 64] &= ~(UINT64_C(1) << (w % 64));
	arena.inuse--;
}

uint32_t
vg_vcap_arena_used(void)
{
	return arena.inuse;
}

/* --- the table ------------------------------------------------------------------ */

/* VAL 0: empty; otherwise the real slot + 1. */
struct vg_vcap_entry {
	uint32_t key;
	uint32_t val;
};

#define ENTRIES_PER_PAGE	(VG_PAGE_SIZE / sizeof(struct vg_vcap_entry))
/* At most as many entries as real slots, at most 3/4 full. */
#define CAPACITY_MAX		(2u * VG_VCAP_ARENA_SLOTS)

/*
 * Tables outgrown by one virtual cappage, for another's (the heap has no
 * free): sizes are powers of two, so they fit exactly.
 */
#define SPARE_MAX	16
static struct {
	uint64_t va;
	unsigned pages;
} spare[SPARE_MAX];

static uint64_t
table_pages_alloc(unsigned pages)
{
	for (unsigned i = 0; i < SPARE_MAX; i++) {
		if (spare[i].va != 0 && spare[i].pages == pages) {
			uint64_t va = spare[i].va;

			spare[i].va = 0;
			memset(VG_PTR(va), 0, (size_t)pages * VG_PAGE_SIZE);
			return va;
		}
	}
	return vg_page_alloc(pages);	/* fresh pages are zero */
}

static void
table_pages_free(uint64_t va, unsigned pages)
{
	for (unsigned i = 0; i < SPARE_MAX; i++) {
		if (spare[i].va == 0) {
			spare[i].va = va;
			spare[i].pages = pages;
			return;
		}
	}
	/* No room to remember it: it stays unused. */
}

/* Where KEY's search starts (Fibonacci hashing: spreads nearby keys). */
static uint32_t
home(const struct vg_vcappage *v, uint32_t key)
{
	return (uint32_t)(((uint64_t)key * UINT64_C(0x9e3779b97f4a7c15)) >>
	    32) & (v->capacity - 1);
}

/* The position of KEY in V's table, or -1. */
static int64_t
find(const struct vg_vcappage *v, uint32_t key)
{
	uint32_t mask = v->capacity - 1;

	for (uint32_t i = home(v, key);; i = (i + 1) & mask) {
		if (v->table[i].val == 0)
			return -1;
		if (v->table[i].key == key)
			return i;
	}
}

/* Put KEY -> VAL in a table known not to hold KEY and not to be full. */
static void
put(struct vg_vcappage *v, uint32_t key, uint32_t val)
{
	uint32_t mask = v->capacity - 1, i = home(v, key);

	while (v->table[i].val != 0)
		i = (i + 1) & mask;
	v->table[i] = (struct vg_vcap_entry){ key, val };
	v->count++;
}

/* Make room for one more entry: keep the table at most 3/4 full. */
static enum vg_err
reserve(struct vg_vcappage *v)
{
	struct vg_vcap_entry *old = v->table;
	uint64_t old_va = v->table_va;
	uint32_t old_cap = v->capacity;
	unsigned old_pages = v->table_pages;
	uint32_t cap = old_cap * 2;
	unsigned pages = old_pages * 2;
	uint64_t va;

	if ((uint64_t)(v->count + 1) * 4 <= (uint64_t)old_cap * 3)
		return VG_OK;
	if (cap > CAPACITY_MAX)
		return VG_ERR_NO_STORAGE;
	va = table_pages_alloc(pages);
	if (va == 0)
		return VG_ERR_NO_STORAGE;
	v->table = VG_PTR(va);
	v->table_va = va;
	v->capacity = cap;
	v->table_pages = pages;
	v->count = 0;
	for (uint32_t i = 0; i < old_cap; i++)
		if (old[i].val != 0)
			put(v, old[i].key, old[i].val);
	table_pages_free(old_va, old_pages);
	return VG_OK;
}

/* Remove the entry at position I (backward shift: no tombstones). */
static void
remove_at(struct vg_vcappage *v, uint32_t i)
{
	uint32_t mask = v->capacity - 1;

	for (uint32_t j = (i + 1) & mask;; j = (j + 1) & mask) {
		uint32_t h;

		if (v->table[j].val == 0)
			break;
		/* The entry at J may move to the hole at I unless its home
		 * lies cyclically in (I, J]. */
		h = home(v, v->table[j].key);
		if ((i <= j) ? (i < h && h <= j) : (i < h || h <= j))
			continue;
		v->table[i] = v->table[j];
		i = j;
	}
	v->table[i] = (struct vg_vcap_entry){ 0, 0 };
	v->count--;
}

/* --- slots ---------------------------------------------------------------------- */

/* Store the capability at SRC (my space) in slot KEY. */
static enum vg_err
slot_store(struct vg_vcappage *v, uint32_t key, vg_addr_t src)
{
	int64_t i = find(v, key);
	uint32_t j;
	enum vg_err err;

	if (i >= 0) {
		j = v->table[i].val - 1;
	} else {
		int64_t n;

		err = reserve(v);
		if (err != VG_OK)
			return err;
		n = arena_alloc(&err);
		if (n < 0)
			return err;
		j = (uint32_t)n;
	}
	/* The real slot keeps its guard (none), as a cappage slot does. */
	err = vg_as_copy(vg_kcall(), vg_self()->self_root, arena_slot(j), src,
	    0, (struct vg_cap_translator){ 0 });
	if (err != VG_OK) {
		if (i < 0)
			arena_free(j);
		return err;
	}
	if (i < 0)
		put(v, key, j + 1);
	else
		v->stats.replaced++;
	v->stats.stored++;
	return VG_OK;
}

/* Empty slot KEY. */
static void
slot_delete(struct vg_vcappage *v, uint32_t key)
{
	int64_t i = find(v, key);

	if (i < 0)
		return;
	arena_free(v->table[i].val - 1);
	remove_at(v, (uint32_t)i);
	v->stats.deleted++;
}

static vg_addr_t
slot_of(const struct vg_vcappage *v, uint32_t key)
{
	int64_t i = find(v, key);

	return i < 0 ? VG_ADDR_VOID : arena_slot(v->table[i].val - 1);
}

/* --- serving ---------------------------------------------------------------------- */

/* The answer to a request of V's (struct vg_virtualizer). */
static struct vg_vanswer
request(struct vg_virtualizer *virt, const struct vg_vreq *q)
{
	struct vg_vcappage *v = virt->r.cookie;
	unsigned depth;
	uint32_t key;
	vg_addr_t slot;

	switch (q->method) {
	case VG_METHOD_INDEX:
		v->stats.index++;
		break;
	case VG_METHOD_STORE:
		v->stats.store++;
		break;
	default:
		v->stats.fault++;
		break;
	}
	depth = vg_addr_depth(q->residual);
	if (depth < v->bits) {
		/* The address ends inside my index bits. */
		return (struct vg_vanswer){ VG_ERR_ADDR_SHORT, v->bits,
		    VG_ADDR_VOID };
	}
	key = (uint32_t)(vg_addr_prefix(q->residual) >> (depth - v->bits)) &
	    (uint32_t)vg_bits_mask(v->bits);
	slot = slot_of(v, key);

	if (q->method == VG_METHOD_STORE && depth == v->bits) {
		enum vg_err err = VG_OK;

		/* A void capability arrives void: storing it empties the
		 * slot, as the kernel does with a real one. */
		if (vg_msg_cap_arrived(virt->r.buf, 1))
			err = slot_store(v, key, q->store);
		else
			slot_delete(v, key);
		return (struct vg_vanswer){ err, v->bits, VG_ADDR_VOID };
	}
	if (q->method == VG_METHOD_STORE && vg_addr_is_void(slot)) {
		/* Below an empty slot: what a real walk meets. */
		return (struct vg_vanswer){ VG_ERR_VOID, v->bits,
		    VG_ADDR_VOID };
	}
	/* INDEX or FAULT, or a STORE below my slot: the kernel takes what
	 * the slot holds (void for an empty one) and walks on if bits are
	 * left. */
	if (depth > v->bits)
		v->stats.passed++;
	return (struct vg_vanswer){ VG_OK, v->bits, slot };
}

/* Not a kernel request: anybody holding the rmessenger can send
 * anything. */
static void
malformed(struct vg_virtualizer *virt)
{
	struct vg_vcappage *v = virt->r.cookie;

	v->stats.malformed++;
}

static void
answered(struct vg_virtualizer *virt, const struct vg_vanswer *a,
    enum vg_err err)
{
	struct vg_vcappage *v = virt->r.cookie;

	if (a->err != VG_OK)
		v->stats.errors++;
	if (err != VG_OK)
		v->stats.answer_failures++;
}

/* --- the interface -------------------------------------------------------------- */

enum vg_err
vg_vcappage_create(struct vg_vcappage *v, const char *name, unsigned bits)
{
	enum vg_err err;
	uint64_t va;

	*v = (struct vg_vcappage){
		.virt = { .answer = request, .malformed = malformed,
		    .answered = answered },
		.bits = bits,
	};
	if (bits < 1 || bits > VG_VCAP_BITS_MAX)
		return VG_ERR_INVALID;
	va = table_pages_alloc(1);
	if (va == 0)
		return VG_ERR_NO_STORAGE;
	v->table = VG_PTR(va);
	v->table_va = va;
	v->table_pages = 1;
	v->capacity = (uint32_t)ENTRIES_PER_PAGE;
	err = vg_virt_receiver_create(&v->virt.r, name, vg_virt_serve, v);
	if (err == VG_OK)
		err = vg_receiver_arm(&v->virt.r);
	if (err != VG_OK) {
		/* Not served: V holds nothing (its slots stay taken). */
		table_pages_free(va, 1);
		v->table = NULL;
	}
	return err;
}

vg_addr_t
vg_vcappage_cap(const struct vg_vcappage *v)
{
	return v->virt.r.weak;
}

vg_addr_t
vg_vcappage_lookup(const struct vg_vcappage *v, uint64_t index)
{
	if (v->table == NULL || index > vg_bits_mask(v->bits))
		return VG_ADDR_VOID;
	return slot_of(v, (uint32_t)index);
}

enum vg_err
vg_vcappage_set(struct vg_vcappage *v, uint64_t index, vg_addr_t cap)
{
	enum vg_type type = VG_TYPE_VOID;
	enum vg_err err;

	if (v->table == NULL || index > vg_bits_mask(v->bits))
		return VG_ERR_INVALID;
	if (!vg_addr_is_void(cap)) {
		err = vg_as_read(vg_kcall(), vg_self()->self_root, cap, &type,
		    NULL);
		if (err != VG_OK)
			return err;
	}
	if (type == VG_TYPE_VOID) {
		slot_delete(v, (uint32_t)index);
		return VG_OK;
	}
	return slot_store(v, (uint32_t)index, cap);
}

uint32_t
vg_vcappage_entries(const struct vg_vcappage *v)
{
	return v->count;
}

const struct vg_vcappage_stats *
vg_vcappage_stats(const struct vg_vcappage *v)
{
	return &v->stats;
}
