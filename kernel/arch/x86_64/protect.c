/*
 * The hardware protections (see protect.h): what boot.S turned on is
 * checked, the kernel's own mappings get their permissions, and SMEP,
 * SMAP and UMIP are enabled where the CPU has them.
 *
 * The kernel reaches every byte it touches through the direct map or its
 * image, never through a user address (docs/design.md §1, invariant 6):
 * SMAP costs it nothing but a clac on entries from ring 3, which may
 * arrive with RFLAGS.AC set (syscall clears AC through MSR_FMASK).
 */
#include <stdint.h>

#include "boot_info.h"
#include "kassert.h"
#include "kprintf.h"
#include "mmu.h"
#include "protect.h"
#include "x86.h"

bool x86_smap;

/* Run by the test-nx probe: kernel data, so no-execute. */
static uint8_t probe_ret_data[1] = { 0xc3 };	/* ret */

static const char *
on_off(bool on)
{
	return on ? "on" : "off (not on this CPU)";
}

void
protect_init(void)
{
	uint32_t r[4];
	bool smep = false, smap = false, umip = false;
	uint64_t cr4 = read_cr4();

	/* boot.S set both; nothing below means anything without them. */
	if (!(read_cr0() & CR0_WP))
		kpanic("protect: CR0.WP is off");
	if (!(rdmsr(MSR_EFER) & EFER_NXE))
		kpanic("protect: EFER.NXE is off");
	mmu_protect_kernel();

	cpuid(0, 0, r);
	if (r[0] >= 7) {
		cpuid(7, 0, r);
		smep = (r[1] & CPUID7_EBX_SMEP) != 0;
		smap = (r[1] & CPUID7_EBX_SMAP) != 0;
		umip = (r[2] & CPUID7_ECX_UMIP) != 0;
	}
	if (smep)
		cr4 |= CR4_SMEP;
	if (smap)
		cr4 |= CR4_SMAP;
	if (umip)
		cr4 |= CR4_UMIP;
	/* The kernel's mappings are final: global, so that no CR3 load
	 * flushes them (setting PGE flushes the TLB whole). */
	cr4 |= CR4_PGE;
	write_cr4(cr4);
	x86_smap = smap;
	mmu_pcid_init();

	kprintf("vg: protection: cr0.wp on, efer.nxe on, smep %s, smap %s, "
	    "umip %s\n", on_off(smep), on_off(smap), on_off(umip));
	kprintf("vg: kernel pages: text r-x, rodata r--, data rw- nx, "
	    "direct map rw- nx (the image's text and rodata r-- nx), "
	    "no identity map; global\n");
	kprintf("vg: tlb: global kernel pages on, pcid %s, fpu switched "
	    "lazily\n", mmu_pcid_enabled() ? "on" : "off (not offered by "
	    "this processor)");
}

/* Call the code at P, a byte that says ret. */
static void
probe_call(const void *p)
{
	void (*fn)(void) = (void (*)(void))(uintptr_t)p;

	fn();
}

void
protect_probe(const struct boot_info *bi)
{
	static const uint64_t user_va = 0x400000;
	const char *what = NULL;

	if (boot_cmdline_has(bi, "test-smep")) {
		uint8_t *p = mmu_probe_user_page(user_va);

		p[0] = 0xc3;	/* through the direct map */
		kprintf("vg: probe: the kernel calls a user page at %lx\n",
		    (unsigned long)user_va);
		probe_call((const void *)(uintptr_t)user_va);
		what = "SMEP is off: the kernel ran a user page";
	} else if (boot_cmdline_has(bi, "test-smap")) {
		(void)mmu_probe_user_page(user_va);
		kprintf("vg: probe: the kernel reads a user page at %lx\n",
		    (unsigned long)user_va);
		(void)*(volatile uint64_t *)(uintptr_t)user_va;
		what = "SMAP is off: the kernel read a user page";
	} else if (boot_cmdline_has(bi, "test-wp")) {
		volatile uint8_t *p =
		    (volatile uint8_t *)(uintptr_t)protect_probe;

		kprintf("vg: probe: the kernel writes its text at %p\n",
		    (void *)(uintptr_t)p);
		*p = *p;
		what = "kernel text is writable";
	} else if (boot_cmdline_has(bi, "test-wp-dmap")) {
		volatile uint8_t *p = phys_to_virt(virt_to_phys(
		    (const void *)(uintptr_t)protect_probe));

		kprintf("vg: probe: the kernel writes its text through the "
		    "direct map at %p\n", (void *)(uintptr_t)p);
		*p = *p;
		what = "kernel text is writable through the direct map";
	} else if (boot_cmdline_has(bi, "test-nx")) {
		kprintf("vg: probe: the kernel calls its data at %p\n",
		    (void *)probe_ret_data);
		probe_call(probe_ret_data);
		what = "kernel data is executable";
	} else if (boot_cmdline_has(bi, "test-nx-dmap")) {
		uint8_t *p = mmu_probe_frame();

		p[0] = 0xc3;
		kprintf("vg: probe: the kernel calls the direct map at %p\n",
		    (void *)p);
		probe_call(p);
		what = "the direct map is executable";
	}
	if (what != NULL)
		kpanic(what);
}
