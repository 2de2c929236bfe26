/*
 * The x86-64 hardware protections (docs/architecture.md, "The x86-64
 * protections"): CR0.WP and EFER.NXE (set by boot.S, checked here), the
 * permissions of the kernel's own pages (mmu.c), and SMEP, SMAP and UMIP
 * when CPUID says the CPU has them.
 */
#ifndef VG_X86_PROTECT_H
#define VG_X86_PROTECT_H

struct boot_info;

/* Turn them on and log which are on (kmain, after the GDT and IDT). */
void protect_init(void);

/*
 * The boot probes: with one of the command-line words test-smep,
 * test-smap, test-wp, test-wp-dmap, test-nx or test-nx-dmap the kernel
 * breaks that protection on purpose, which must end in a kernel trap
 * (tests/build/boot.sh); it panics if the access succeeds.  Needs the
 * page-table pool (after mmu_init).
 */
void protect_probe(const struct boot_info *bi);

#endif /* VG_X86_PROTECT_H */
