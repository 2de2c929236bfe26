/*
 * Storage and page tables on x86-64 (see mmu.h).
 *
 * Page tables come from a fixed pool of frames reserved at boot, never
 * from storage: the kernel allocates nothing on behalf of a request
 * (docs/design.md §1, invariant 2).  Each frame is charged to the
 * activity of the thread whose tables it is part of, within the
 * page-table limit its parent set (VG_ACTIVITY_LIMIT_PAGE_TABLES).
 * Because they are only a cache, running out is no error: the oldest
 * tables of that activity's own threads are dropped (of anyone's only
 * when the pool itself is empty), and the faults that follow refill
 * what is still in use.
 *
 * Each thread has its own PML4.  Its upper half is the kernel's (copied
 * from the boot PML4); its lower half maps the user's pages.
 */
#include <stddef.h>

#include <vg/boot.h>

#include "activity.h"
#include "arch.h"
#include "as.h"
#include "boot_info.h"
#include "kassert.h"
#include "kprintf.h"
#include "kstring.h"
#include "mmu.h"
#include "sched.h"
#include "storage.h"
#include "x86.h"
#include "xthread.h"

#define POOL_FRAMES	2048		/* 8 MiB of page-table pages */

static uint64_t *kernel_pml4;
static uint64_t *pool_free;		/* free list through the frames */
static uint32_t pool_nfree, pool_total;
/* The thread whose PML4 is in CR3 (mmu.h), or NULL. */
const struct thread *mmu_active;
/* The threads that have page tables, oldest first. */
static struct thread *pt_head, *pt_tail;

static void
pool_put(uint64_t *frame)
{
	*(uint64_t **)(void *)frame = pool_free;
	pool_free = frame;
	pool_nfree++;
}

/*
 * Dropped tables are freed lazily, so that dropping costs the same however
 * many a thread has: its PML4 goes on the scrub list whole (linked through
 * entry 511, in the kernel half nobody walks any more), and when the free
 * list is empty, the frame the pool hands out comes from walking one
 * dropped tree a step further.  A step scans on from where the last one
 * stopped, at most one table of each level, and ends with a frame: a page
 * table (its entries map data, not tables), or a table whose entries are
 * all cleared.
 */
static uint64_t *scrub_roots;
static struct {
	int level;			/* of the table walked; 0: none */
	uint64_t *table[5];		/* by level, from the PML4 down */
	unsigned next[5];		/* the next entry to look at */
} scrub;

static bool
pool_has_frames(void)
{
	return pool_free != NULL || scrub.level != 0 || scrub_roots != NULL;
}

static uint64_t *
scrub_take(void)
{
	for (;;) {
		uint64_t *table, *child;
		unsigned n, *i;
		int level;

		if (scrub.level == 0) {
			if (scrub_roots == NULL)
				return NULL;
			scrub.level = 4;
			scrub.table[4] = scrub_roots;
			scrub.next[4] = 0;
			scrub_roots = (uint64_t *)(uintptr_t)scrub_roots[511];
		}
		level = scrub.level;
		table = scrub.table[level];
		n = level == 4 ? 256 : 512;
		i = &scrub.next[level];
		while (*i < n && !(table[*i] & PTE_P))
			(*i)++;
		if (*i == n) {
			/* Nothing below it any more: it is the frame. */
			scrub.level = level == 4 ? 0 : level + 1;
			return table;
		}
		child = phys_to_virt(table[*i] & PTE_ADDR);
		table[(*i)++] = 0;
		if (level == 2)
			return child;
		scrub.level = level - 1;
		scrub.table[level - 1] = child;
		scrub.next[level - 1] = 0;
	}
}

static uint64_t *
pool_take(void)
{
	uint64_t *frame = pool_free;

	if (frame != NULL) {
		pool_free = *(uint64_t **)(void *)frame;
		pool_nfree--;
	} else if ((frame = scrub_take()) == NULL) {
		return NULL;
	}
	memset(frame, 0, FRAME_SIZE);
	return frame;
}

static void drop_thread_tables(struct thread *t);

/* The oldest thread on a list from HEAD (through NEXT) other than T. */
static struct thread *
oldest_but(struct thread *head, struct thread *t, bool activity_list)
{
	if (head == t)
		head = activity_list ? xthread(t)->apt_next :
		    xthread(t)->pt_next;
	return head;
}

/*
 * A page-table frame for T, charged to its activity.  When the activity
 * (or an ancestor) is at its page-table limit, its own threads' tables
 * make room, oldest first; when the pool is empty, the oldest anywhere.
 * Only T's own tables are never dropped here: NULL if nothing else is
 * left to drop (the caller may drop T's and start again).
 */
static uint64_t *
pool_get(struct thread *t)
{
	struct activity *a = sched_thread_activity(t);

	for (;;) {
		struct thread *victim;

		if (pool_has_frames() && activity_pt_charge(a) == VG_OK) {
			xthread(t)->pt_frames++;
			return pool_take();
		}
		victim = oldest_but(xactivity(a)->pt_head, t, true);
		if (victim == NULL && !pool_has_frames())
			victim = oldest_but(pt_head, t, false);
		if (victim == NULL)
			return NULL;
		drop_thread_tables(victim);
	}
}

static uint64_t
round_up(uint64_t x)
{
	return (x + FRAME_SIZE - 1) & ~(uint64_t)(FRAME_SIZE - 1);
}

/* The page-table pool and the storage window, physical (mmu_kernel_phys). */
static uint64_t storage_first, storage_end;

struct mmu_storage
mmu_init(const struct boot_info *bi)
{
	uint64_t low = round_up((uint64_t)(uintptr_t)__kernel_phys_end);
	uint64_t best_base = 0, best_len = 0, i;
	struct mmu_storage s = { 0 };

	kernel_pml4 = phys_to_virt(read_cr3() & PTE_ADDR);
	for (i = 0; i < bi->nmodules; i++) {
		if (bi->module[i].end > low)
			low = round_up(bi->module[i].end);
	}
	/* The largest usable run of RAM above everything boot left. */
	for (i = 0; i < bi->nregions; i++) {
		uint64_t base = bi->region[i].base;
		uint64_t end = base + bi->region[i].length;

		if (end > DIRECT_MAP_LIMIT)
			end = DIRECT_MAP_LIMIT;
		if (base < low)
			base = low;
		base = round_up(base);
		end &= ~(uint64_t)(FRAME_SIZE - 1);
		if (end > base && end - base > best_len) {
			best_base = base;
			best_len = end - base;
		}
	}
	if (best_len < (POOL_FRAMES + FOLIO_FRAMES) * (uint64_t)FRAME_SIZE)
		kpanic("mmu: not enough RAM for storage");
	storage_first = best_base;
	storage_end = best_base + best_len;
	for (i = 0; i < POOL_FRAMES; i++)
		pool_put(phys_to_virt(best_base + i * FRAME_SIZE));
	pool_total = POOL_FRAMES;
	best_base += POOL_FRAMES * (uint64_t)FRAME_SIZE;
	best_len -= POOL_FRAMES * (uint64_t)FRAME_SIZE;

	s.phys = best_base;
	s.base = phys_to_virt(best_base);
	s.nchunks = (uint32_t)(best_len / ((uint64_t)FOLIO_FRAMES * FRAME_SIZE));
	return s;
}

static void
drop_thread_tables(struct thread *t)
{
	struct x86_thread *x = xthread(t);
	struct x86_activity *xa;

	if (x->pml4 == NULL)
		return;
	xa = xactivity(sched_thread_activity(t));
	/* Never free the tables the CPU is walking. */
	if ((read_cr3() & PTE_ADDR) == virt_to_phys(x->pml4))
		write_cr3(virt_to_phys(kernel_pml4));
	/* Its next tables are loaded anew, flushing its PCID. */
	x->cr3 = 0;
	x->cr3_generation = 0;
	if (mmu_active == t)
		mmu_active = NULL;
	/* To the scrub list whole: O(1), whatever it maps. */
	x->pml4[511] = (uint64_t)(uintptr_t)scrub_roots;
	scrub_roots = x->pml4;
	x->pml4 = NULL;
	activity_pt_uncharge(sched_thread_activity(t), x->pt_frames);
	x->pt_frames = 0;
	if (x->pt_prev != NULL)
		xthread(x->pt_prev)->pt_next = x->pt_next;
	else
		pt_head = x->pt_next;
	if (x->pt_next != NULL)
		xthread(x->pt_next)->pt_prev = x->pt_prev;
	else
		pt_tail = x->pt_prev;
	if (x->apt_prev != NULL)
		xthread(x->apt_prev)->apt_next = x->apt_next;
	else
		xa->pt_head = x->apt_next;
	if (x->apt_next != NULL)
		xthread(x->apt_next)->apt_prev = x->apt_prev;
	else
		xa->pt_tail = x->apt_prev;
	x->pt_next = x->pt_prev = x->apt_next = x->apt_prev = NULL;
}

/*
 * T's PML4, made if it has none; NULL if its activity's page-table
 * limit leaves none for it.  Not inlined: mmu_activate, on every return
 * to user mode, is shorter with the call.
 */
static __attribute__((noinline)) uint64_t *
thread_pml4(struct thread *t)
{
	struct x86_thread *x = xthread(t);
	struct x86_activity *xa;
	uint64_t *pml4;

	if (x->pml4 != NULL)
		return x->pml4;
	pml4 = pool_get(t);
	if (pml4 == NULL)
		return NULL;
	x->pml4 = pml4;
	memcpy(&x->pml4[256], &kernel_pml4[256], 256 * sizeof(uint64_t));
	x->pml4_generation = as_generation;
	/* The newest, at the tails. */
	x->pt_next = NULL;
	x->pt_prev = pt_tail;
	if (pt_tail != NULL)
		xthread(pt_tail)->pt_next = t;
	else
		pt_head = t;
	pt_tail = t;
	xa = xactivity(sched_thread_activity(t));
	x->apt_next = NULL;
	x->apt_prev = xa->pt_tail;
	if (xa->pt_tail != NULL)
		xthread(xa->pt_tail)->apt_next = t;
	else
		xa->pt_head = t;
	xa->pt_tail = t;
	return x->pml4;
}

/*
 * The page-table entry for user address VADDR below the PML4 TOP, with
 * the tables above it made (from T's activity's share, or, for the boot
 * probes with T NULL, from the pool alone).  The upper levels allow
 * everything: the entry decides.  NULL if no frame could be had.
 */
static inline __attribute__((always_inline)) uint64_t *
user_pte(uint64_t *top, struct thread *t, uint64_t vaddr)
{
	uint64_t *table = top;
	int level;

	for (level = 4; level > 1; level--) {
		unsigned idx = (unsigned)(vaddr >> (12 + 9 * (level - 1))) &
		    511;

		if (!(table[idx] & PTE_P)) {
			uint64_t *next = t != NULL ? pool_get(t) : pool_take();

			if (next == NULL)
				return NULL;
			table[idx] = virt_to_phys(next) | PTE_P | PTE_W |
			    PTE_U;
		}
		table = phys_to_virt(table[idx] & PTE_ADDR);
	}
	return &table[(vaddr >> 12) & 511];
}

/* Put PTE at VADDR in T's page tables (user_pte makes them). */
static bool
map_pte(struct thread *t, uint64_t vaddr, uint64_t entry)
{
	uint64_t *top, *pte = NULL;
	unsigned attempt;

	if (vaddr >= USER_MAP_LIMIT)
		return true;
	if (xthread(t)->pml4 != NULL &&
	    xthread(t)->pml4_generation != as_generation)
		drop_thread_tables(t);
	/* With nothing else of its activity's left to drop, its own
	 * tables go and it starts again, once. */
	for (attempt = 0; attempt < 2 && pte == NULL; attempt++) {
		if (attempt > 0)
			drop_thread_tables(t);
		top = thread_pml4(t);
		if (top != NULL)
			pte = user_pte(top, t, vaddr);
	}
	if (pte == NULL)
		return false;
	mmu_pte_write(t, pte, vaddr, entry);
	return true;
}

bool
arch_map_page(struct thread *t, uint64_t vaddr, void *frame, unsigned flags)
{
	/* No-execute unless the capability has the execute right. */
	return map_pte(t, vaddr, virt_to_phys(frame) | PTE_P | PTE_U |
	    ((flags & ARCH_MAP_WRITE) ? PTE_W : 0) |
	    ((flags & ARCH_MAP_EXECUTE) ? 0 : PTE_NX));
}

bool
arch_map_device(struct thread *t, uint64_t vaddr, uint64_t phys,
    unsigned flags)
{
	/* Uncached as the kernel's own registers are (PCD|PWT: UC with
	 * the power-on PAT), never executable. */
	return map_pte(t, vaddr, (phys & PTE_ADDR) | PTE_P | PTE_U |
	    PTE_PCD | PTE_PWT | PTE_NX |
	    ((flags & ARCH_MAP_WRITE) ? PTE_W : 0));
}

uint64_t
arch_frame_phys(const void *frame)
{
	return virt_to_phys(frame);
}

void *
mmu_probe_user_page(uint64_t vaddr)
{
	uint64_t *frame = pool_take();

	*user_pte(kernel_pml4, NULL, vaddr) = virt_to_phys(frame) | PTE_P |
	    PTE_W | PTE_U;
	invlpg(vaddr);
	return frame;
}

void *
mmu_probe_frame(void)
{
	return pool_take();
}

/* --- the kernel's own mappings -------------------------------------------- */

/*
 * boot.S maps the kernel with 2 MiB pages that allow everything.
 * mmu_protect_kernel gives each part of the image only what it needs,
 * with 4 KiB pages where a 2 MiB page would mix kinds: the image's map
 * (KERNEL_VIRT_BASE + the image, nothing else) text r-x, rodata r--,
 * data and bss rw- no-execute; the direct map no-execute, the image's
 * text and rodata read-only in it too (4 KiB pages in the 2 MiB pages
 * that hold the image); no identity map.  Its tables are part of the
 * image (.bss): up to KIMAGE_PTS x 2 MiB of physical memory from 0 (the
 * linker script checks the image fits).
 */
#define KIMAGE_PTS	4
#define PD_SPAN		(1ull << 21)	/* what a page-directory entry maps */
static _Alignas(FRAME_SIZE) uint64_t kimage_pd[512];
static _Alignas(FRAME_SIZE) uint64_t kimage_pt[KIMAGE_PTS][512];
static _Alignas(FRAME_SIZE) uint64_t dmap_pt[KIMAGE_PTS][512];

static bool
image_in(uint64_t pa, const char *start, const char *end)
{
	return pa >= virt_to_phys(start) && pa < virt_to_phys(end);
}

/* The entry that maps physical PA in the image's map (0: not there). */
static uint64_t
image_pte(uint64_t pa)
{
	if (image_in(pa, __kernel_text_start, __kernel_text_end))
		return pa | PTE_P | PTE_G;
	if (image_in(pa, __kernel_rodata_start, __kernel_rodata_end))
		return pa | PTE_P | PTE_G | PTE_NX;
	if (image_in(pa, __kernel_data_start, __kernel_data_end))
		return pa | PTE_P | PTE_W | PTE_G | PTE_NX;
	return 0;
}

/* The entry that maps physical PA in the direct map. */
static uint64_t
dmap_pte(uint64_t pa)
{
	if (image_in(pa, __kernel_text_start, __kernel_rodata_end))
		return pa | PTE_P | PTE_G | PTE_NX;
	return pa | PTE_P | PTE_W | PTE_G | PTE_NX;
}

void
mmu_protect_kernel(void)
{
	uint64_t *pml4 = phys_to_virt(read_cr3() & PTE_ADDR);
	uint64_t *pdpt_high = phys_to_virt(pml4[511] & PTE_ADDR);
	uint64_t *pdpt_low = phys_to_virt(pml4[256] & PTE_ADDR);
	uint64_t end = virt_to_phys(__kernel_virt_end);
	unsigned npd = (unsigned)((end + PD_SPAN - 1) / PD_SPAN), i, k;

	if (npd > KIMAGE_PTS)
		kpanic("mmu: the kernel image is larger than its page tables");
	for (i = 0; i < npd; i++) {
		for (k = 0; k < 512; k++) {
			uint64_t pa = i * PD_SPAN + (uint64_t)k * FRAME_SIZE;

			kimage_pt[i][k] = image_pte(pa);
			dmap_pt[i][k] = dmap_pte(pa);
		}
		kimage_pd[i] = virt_to_phys(kimage_pt[i]) | PTE_P | PTE_W;
	}
	/* The image's map: the same frames at the same addresses, so the
	 * switch is seamless. */
	pdpt_high[510] = virt_to_phys(kimage_pd) | PTE_P | PTE_W;
	/* The identity map was for boot.S's jump to the higher half. */
	pml4[0] = 0;
	/* The direct map's four page directories (boot_pd), which only it
	 * uses now. */
	for (i = 0; i < 4; i++) {
		uint64_t *pd = phys_to_virt(pdpt_low[i] & PTE_ADDR);

		for (k = 0; k < 512; k++)
			pd[k] |= PTE_NX | ((pd[k] & PTE_PS) ? PTE_G : 0);
	}
	{
		uint64_t *pd = phys_to_virt(pdpt_low[0] & PTE_ADDR);

		for (i = 0; i < npd; i++)
			pd[i] = virt_to_phys(dmap_pt[i]) | PTE_P | PTE_W |
			    PTE_NX;
	}
	write_cr3(read_cr3());
}

/* --- device registers --------------------------------------------------- */

/*
 * Device registers (the local APIC, the IOAPICs) have their own window,
 * DEVICE_VIRT_BASE (x86.h): the direct map's pages are write-back, and a
 * register must be read and written as the program says, uncached
 * (PCD|PWT, which the power-on PAT makes UC).  Supervisor-only,
 * no-execute and global like every kernel mapping.  Devices are mapped at
 * boot and never unmapped, so the window is a bump allocator over one
 * page table: DEVICE_PAGES pages.  The direct map's write-back alias of
 * the same addresses is never used for a device (and the firmware's
 * MTRRs make that range uncached whatever a page table says).
 */
#define DEVICE_PAGES	512
static _Alignas(FRAME_SIZE) uint64_t device_pd[512];
static _Alignas(FRAME_SIZE) uint64_t device_pt[DEVICE_PAGES];
static unsigned device_next;

/* The physical ranges mapped there, for mmu_kernel_phys. */
#define DEVICE_RANGES	16
static struct {
	uint64_t first, end;
} device_range[DEVICE_RANGES];
static unsigned device_nranges;

volatile void *
mmu_map_device(uint64_t pa, uint64_t size)
{
	uint64_t first = pa & ~(uint64_t)(FRAME_SIZE - 1), n, i, va;

	if (size == 0 || pa > PTE_ADDR || size > PTE_ADDR - pa)
		kpanic("mmu_map_device: not a physical range");
	n = (round_up(pa + size) - first) / FRAME_SIZE;
	if (n > DEVICE_PAGES - device_next)
		kpanic("mmu_map_device: the device window is full");
	if (device_next == 0) {
		uint64_t *pml4 = phys_to_virt(read_cr3() & PTE_ADDR);
		uint64_t *pdpt_high = phys_to_virt(pml4[511] & PTE_ADDR);

		/* In the PDPT every PML4 shares: every thread sees it. */
		device_pd[0] = virt_to_phys(device_pt) | PTE_P | PTE_W;
		pdpt_high[511] = virt_to_phys(device_pd) | PTE_P | PTE_W;
	}
	if (device_nranges == DEVICE_RANGES)
		kpanic("mmu_map_device: too many device ranges");
	device_range[device_nranges].first = first;
	device_range[device_nranges].end = first + n * FRAME_SIZE;
	device_nranges++;
	va = DEVICE_VIRT_BASE + (uint64_t)device_next * FRAME_SIZE;
	for (i = 0; i < n; i++) {
		device_pt[device_next + i] = (first + i * FRAME_SIZE) | PTE_P |
		    PTE_W | PTE_PCD | PTE_PWT | PTE_G | PTE_NX;
		invlpg(va + i * FRAME_SIZE);
	}
	device_next += (unsigned)n;
	return (volatile void *)(uintptr_t)(va + (pa - first));
}

bool
mmu_kernel_phys(uint64_t pa, uint64_t end)
{
	uint64_t kfirst = (uint64_t)(uintptr_t)__kernel_phys_start &
	    PTE_ADDR;
	uint64_t kend = round_up((uint64_t)(uintptr_t)__kernel_phys_end);

	if (pa < kend && kfirst < end)
		return true;
	if (pa < storage_end && storage_first < end)
		return true;
	for (unsigned i = 0; i < device_nranges; i++)
		if (pa < device_range[i].end && device_range[i].first < end)
			return true;
	return false;
}

/* --- PCIDs --------------------------------------------------------------- */

/*
 * With PCIDs (if the processor has them), a CR3 write need not flush the
 * TLB: each thread's entries are tagged with its own PCID, taken round
 * robin from 1..PCID_COUNT-1 (0 is the kernel's tables').  A thread that
 * takes one flushes it with its first load; one whose PCID was taken
 * meanwhile, or whose tables were replaced, gets a new value to load
 * (x86_thread.cr3 = 0 sends it through mmu_activate_slow).
 */
#define PCID_COUNT	4096
#define CR3_NOFLUSH	(1ull << 63)

uint64_t mmu_cr3_noflush;
static bool pcid_on;
static struct thread *pcid_owner[PCID_COUNT];
static unsigned pcid_next = 1;

/* T's CR3 value for its PML4, with a PCID of its own: flushing, once. */
static uint64_t
pcid_cr3(struct thread *t)
{
	struct x86_thread *x = xthread(t);
	unsigned p = x->pcid;

	if (!pcid_on)
		return virt_to_phys(x->pml4);
	if (p == 0 || pcid_owner[p] != t) {
		struct thread *was;

		p = pcid_next;
		pcid_next = pcid_next + 1 < PCID_COUNT ? pcid_next + 1 : 1;
		was = pcid_owner[p];
		if (was != NULL) {
			xthread(was)->pcid = 0;
			xthread(was)->cr3 = 0;
			xthread(was)->cr3_generation = 0;
		}
		pcid_owner[p] = t;
		x->pcid = (uint16_t)p;
	}
	return virt_to_phys(x->pml4) | p;
}

/* T's PCID, if it has one, to nobody (T is gone). */
static void
pcid_release(struct thread *t)
{
	struct x86_thread *x = xthread(t);

	if (x->pcid != 0 && pcid_owner[x->pcid] == t)
		pcid_owner[x->pcid] = NULL;
	x->pcid = 0;
}

void
mmu_activate_slow(struct thread *t)
{
	struct x86_thread *x = xthread(t);
	uint64_t *top;

	if (x->pml4 != NULL && x->pml4_generation != as_generation)
		drop_thread_tables(t);
	top = thread_pml4(t);
	if (top == NULL) {
		/* None to be had within its activity's limit: it runs on
		 * the kernel's, faults at once, and the fault reports
		 * why. */
		write_cr3(virt_to_phys(kernel_pml4));
		mmu_active = NULL;
		return;
	}
	/* Its first load of these tables (or under a new PCID) flushes:
	 * a new PML4 may reuse the frame of the old. */
	x->cr3 = pcid_cr3(t);
	x->cr3_generation = as_generation;
	write_cr3(x->cr3);
	x->cr3 |= mmu_cr3_noflush;
	mmu_active = t;
}

void
mmu_pcid_init(void)
{
	uint32_t r[4];

	cpuid(1, 0, r);
	if (!(r[2] & CPUID1_ECX_PCID))
		return;
	/* CR4.PCIDE may be set only with CR3's PCID 0. */
	write_cr3(read_cr3() & PTE_ADDR);
	write_cr4(read_cr4() | CR4_PCIDE);
	pcid_on = true;
	mmu_cr3_noflush = CR3_NOFLUSH;
}

bool
mmu_pcid_enabled(void)
{
	return pcid_on;
}

void
mmu_thread_gone(struct thread *t)
{
	drop_thread_tables(t);
	pcid_release(t);
}
