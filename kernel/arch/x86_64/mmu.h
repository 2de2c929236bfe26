/*
 * Memory on x86-64: the storage window and the hardware page tables,
 * which are only a cache of each thread's capability address space
 * (docs/design.md §3): filled one page at a time on page faults,
 * dropped wholesale whenever a translation may have changed
 * (as_generation) or the page-table pool runs dry.
 */
#ifndef VG_X86_MMU_H
#define VG_X86_MMU_H

#include <stdbool.h>
#include <stdint.h>

#include "arch.h"
#include "cache.h"
#include "x86.h"
#include "xthread.h"

struct thread;
struct boot_info;

#define PTE_P		(1ull << 0)
#define PTE_W		(1ull << 1)
#define PTE_U		(1ull << 2)
#define PTE_PWT		(1ull << 3)	/* write-through */
#define PTE_PCD		(1ull << 4)	/* no caching: UC with PWT */
#define PTE_PS		(1ull << 7)	/* a 2 MiB page, in a page directory */
#define PTE_G		(1ull << 8)	/* global: kept across CR3 loads */
#define PTE_NX		(1ull << 63)	/* no instruction fetch (EFER.NXE) */
#define PTE_ADDR	0x000ffffffffff000ull

#define USER_VA_LIMIT	0x0000800000000000ull	/* the lower half */
/*
 * Pages are mapped only below this: the last page of the lower half never
 * is, so no syscall instruction can end there, and the rip a system call
 * saves is always canonical -- sysret with a non-canonical rip would
 * fault in the kernel (syscall_return).
 */
#define USER_MAP_LIMIT	(USER_VA_LIMIT - 0x1000ull)

/* Where storage is: a physically contiguous run of RAM, seen through the
 * direct map. */
struct mmu_storage {
	void *base;		/* kernel virtual */
	uint64_t phys;
	uint32_t nchunks;
};

/*
 * Choose the RAM for storage (the largest region, above the kernel image
 * and the boot modules) and carve the page-table pool out of it.
 */
struct mmu_storage mmu_init(const struct boot_info *bi);

/*
 * True if physical [PA, END) touches memory the kernel itself uses: its
 * image, the page-table pool and the storage window, and the device
 * registers it mapped for itself (mmu_map_device).  Device-memory
 * objects may not (physmem.c).
 */
bool mmu_kernel_phys(uint64_t pa, uint64_t end);

/* mmu_activate's work when T's CR3 value is not ready to load. */
void mmu_activate_slow(struct thread *t);

/*
 * The thread whose page tables are loaded.  mmu_is_current(t) says that
 * T may return to user mode as it is, without mmu_activate: its tables
 * are in CR3 and were filled under the current as_generation.
 */
extern const struct thread *mmu_active;

static inline bool
mmu_is_current(struct thread *t)
{
	return mmu_active == t &&
	    xthread(t)->pml4_generation == as_generation;
}

/* CR3's no-flush bit when PCIDs are on (mmu_init), else 0. */
extern uint64_t mmu_cr3_noflush;

/*
 * Make T's page tables current (load CR3), dropping them first if the
 * capability address space changed since they were filled.  Inline for
 * the common switch, whose tables are ready: one CR3 write, which with
 * PCIDs keeps T's TLB entries from its last turn.
 */
static inline __attribute__((always_inline)) void
mmu_activate(struct thread *t)
{
	struct x86_thread *x = xthread(t);

	/* (Decided in this generation: its tables were filled in it.) */
	if (__builtin_expect(x->cr3_generation == as_generation, 1)) {
		if (mmu_active != t) {
			write_cr3(x->cr3);
			x->cr3 |= mmu_cr3_noflush;
			mmu_active = t;
		}
		return;
	}
	mmu_activate_slow(t);
}

/* PCIDs on, if the processor has them (boot, after the kernel's own
 * mappings are final); whether they are. */
/*
 * The entry for user address VADDR in T's tables if they are current and
 * hold every table above it: what arch_map_page would write without
 * making or dropping anything.  NULL otherwise, having changed nothing.
 */
static inline __attribute__((always_inline)) uint64_t *
mmu_pte_present(struct thread *t, uint64_t vaddr)
{
	const struct x86_thread *x = xthread(t);
	uint64_t *table = x->pml4;

	if (table == NULL || x->pml4_generation != as_generation ||
	    vaddr >= USER_MAP_LIMIT)
		return NULL;
	for (int level = 4; level > 1; level--) {
		uint64_t e = table[(vaddr >> (12 + 9 * (level - 1))) & 511];

		if (!(e & PTE_P))
			return NULL;
		table = phys_to_virt(e & PTE_ADDR);
	}
	return &table[(vaddr >> 12) & 511];
}

/* Write ENTRY into T's entry PTE for VADDR, the TLB told. */
static inline __attribute__((always_inline)) void
mmu_pte_write(struct thread *t, uint64_t *pte, uint64_t vaddr, uint64_t entry)
{
	uint64_t old = *pte;

	*pte = entry;
	/* A mapping replaced in tables not loaded: their next load
	 * flushes (with PCIDs it would otherwise keep the old one). */
	if (mmu_active == t)
		invlpg(vaddr);
	else if (old & PTE_P)
		xthread(t)->cr3 &= ~mmu_cr3_noflush;
}

/* Map FRAME at VADDR for T (arch_map_page's FLAGS) in its entry PTE. */
static inline __attribute__((always_inline)) void
mmu_pte_set(struct thread *t, uint64_t *pte, uint64_t vaddr, void *frame,
    unsigned flags)
{
	/* No-execute unless the capability has the execute right. */
	mmu_pte_write(t, pte, vaddr, virt_to_phys(frame) | PTE_P | PTE_U |
	    ((flags & ARCH_MAP_WRITE) ? PTE_W : 0) |
	    ((flags & ARCH_MAP_EXECUTE) ? 0 : PTE_NX));
}

void mmu_pcid_init(void);
bool mmu_pcid_enabled(void);

/* Forget T's page tables (T is being destroyed). */
void mmu_thread_gone(struct thread *t);

/*
 * Give the kernel's own mappings their permissions (boot, before
 * mmu_init): text r-x, rodata r--, data r-w no-execute, the direct map
 * no-execute (the image's text and rodata read-only in it), no identity
 * map.
 */
void mmu_protect_kernel(void);

/*
 * Map SIZE bytes of device registers at physical PA into the kernel's
 * device window (x86.h): uncached, supervisor-only, no-execute, global,
 * for good.  Boot only (after mmu_protect_kernel); returns PA's kernel
 * address, and panics when the window is full.
 */
volatile void *mmu_map_device(uint64_t pa, uint64_t size);

/*
 * For the boot probes of protect.c only: a frame from the pool, and one
 * mapped as a user page at VADDR in the kernel's own tables (the current
 * ones before the first thread runs).  Both return the frame's kernel
 * address.
 */
void *mmu_probe_frame(void);
void *mmu_probe_user_page(uint64_t vaddr);

#endif /* VG_X86_MMU_H */
