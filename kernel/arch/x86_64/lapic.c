/*
 * The local APIC (see lapic.h).  Its registers are 32 bits, 16 bytes
 * apart, in the page IA32_APIC_BASE says; mmu_map_device maps the page
 * uncached.
 *
 * The timer's input clock is not architectural, so it is measured: the
 * timer counts down from its largest value while the PIT's channel 2
 * counts CALIBRATE_US, and what it counted in that time, scaled, is the
 * count of one tick.  The timer is read on either side of the PIT's
 * start and of each look at its output, so a run knows the least and
 * the most it may have counted; when the processor was taken away there
 * (under QEMU, by a busy host) the two are far apart, and further runs
 * narrow them.  Both count virtual time under QEMU, so the tick is the
 * same 10 ms with or without -icount.
 */
#include <stdbool.h>
#include <stdint.h>

#include "kassert.h"
#include "kprintf.h"
#include "lapic.h"
#include "madt.h"
#include "mmu.h"
#include "pit.h"
#include "trap.h"
#include "x86.h"

#define MSR_APIC_BASE		0x1b
#define APIC_BASE_BSP		(1ull << 8)
#define APIC_BASE_X2APIC	(1ull << 10)
#define APIC_BASE_ENABLE	(1ull << 11)
#define APIC_BASE_ADDR		0x000ffffffffff000ull
#define CPUID1_EDX_APIC		(1u << 9)

#define LAPIC_ID	0x020	/* bits 24..31 in xAPIC mode */
#define LAPIC_VERSION	0x030	/* version 0..7, highest LVT 16..23 */
#define LAPIC_TPR	0x080
#define LAPIC_SVR	0x0f0
#define LAPIC_ESR	0x280
#define LAPIC_LVT_TIMER	0x320
#define LAPIC_LVT_THERMAL 0x330
#define LAPIC_LVT_PERF	0x340
#define LAPIC_LVT_LINT0	0x350
#define LAPIC_LVT_LINT1	0x360
#define LAPIC_LVT_ERROR	0x370
#define LAPIC_TIMER_CUR	0x390
#define LAPIC_TIMER_DIV	0x3e0

#define SVR_ENABLE	(1u << 8)
#define LVT_MASKED	(1u << 16)
#define LVT_NMI		(4u << 8)	/* delivery mode */
#define LVT_LOW		(1u << 13)	/* active low */
#define LVT_PERIODIC	(1u << 17)	/* timer mode */
#define TIMER_DIV_16	0x3

#define CALIBRATE_US	10000
#define CALIBRATE_RUNS	8	/* at most, while none is close enough */
#define CALIBRATE_SPINS	100000000u	/* a PIT that never runs out */

volatile uint32_t *lapic_regs;
uint32_t lapic_tick_count;
static uint32_t boot_id;

static uint32_t
lapic_read(unsigned reg)
{
	return lapic_regs[reg / 4];
}

static void
lapic_write(unsigned reg, uint32_t v)
{
	lapic_regs[reg / 4] = v;
}

uint32_t
lapic_id(void)
{
	return boot_id;
}

/* The physical page of the registers, enabled in the MSR. */
static uint64_t
lapic_base(void)
{
	uint32_t r[4];
	uint64_t msr, pa;

	cpuid(1, 0, r);
	if (!(r[3] & CPUID1_EDX_APIC))
		kpanic("lapic: this processor has no local APIC");
	msr = rdmsr(MSR_APIC_BASE);
	if (msr & APIC_BASE_X2APIC)
		kpanic("lapic: firmware left x2APIC mode on; vg drives the "
		    "xAPIC");
	if (!(msr & APIC_BASE_ENABLE))
		wrmsr(MSR_APIC_BASE, msr | APIC_BASE_ENABLE);
	pa = msr & APIC_BASE_ADDR;
	/* The MSR says where it decodes; the MADT only repeats it. */
	if (madt.lapic_addr != 0 && madt.lapic_addr != pa)
		kprintf("vg: lapic: warning: the MADT says 0x%lx, the MSR "
		    "0x%lx: the MSR's\n", (unsigned long)madt.lapic_addr,
		    (unsigned long)pa);
	return pa;
}

/* The MADT's NMI for this processor's LINT pin LINT, else masked. */
static uint32_t
lint_nmi(unsigned lint, uint32_t acpi_id, bool known)
{
	for (unsigned i = 0; i < madt.nlapic_nmis; i++) {
		const struct madt_lapic_nmi *n = &madt.lapic_nmi[i];

		if (n->lint == lint && (n->acpi_id == MADT_ALL_CPUS ||
		    (known && n->acpi_id == acpi_id)))
			return LVT_NMI | (n->polarity == IRQ_LOW ? LVT_LOW : 0);
	}
	/* Without a MADT, the PC's wiring: NMI on LINT1. */
	if (!madt.present && lint == 1)
		return LVT_NMI;
	return LVT_MASKED;
}

/*
 * One run: the bounds of the timer's count in CALIBRATE_US at divide
 * 16.  The PIT started between two reads of the timer and ran out
 * between two more (the look before the one that saw it out, and
 * after), so the count lies between the inner and the outer pair's.
 */
static void
calibrate_run(uint32_t *lo, uint32_t *hi)
{
	uint32_t before, after, last, a, end, spins = 0;

	lapic_write(LAPIC_TIMER_DIV, TIMER_DIV_16);
	lapic_write(LAPIC_LVT_TIMER, LVT_MASKED);
	lapic_write(LAPIC_TIMER_INIT, 0xffffffffu);
	before = lapic_read(LAPIC_TIMER_CUR);
	pit_delay_start(CALIBRATE_US);
	after = lapic_read(LAPIC_TIMER_CUR);
	last = after;
	for (;;) {
		a = lapic_read(LAPIC_TIMER_CUR);
		if (pit_delay_over())
			break;
		last = a;
		if (++spins == CALIBRATE_SPINS)
			kpanic("lapic: the PIT's channel 2 never ran out");
	}
	end = lapic_read(LAPIC_TIMER_CUR);
	lapic_write(LAPIC_TIMER_INIT, 0);
	if (end == 0)
		kpanic("lapic: the timer ran out while being calibrated");
	/* It counts down: before >= after >= last >= end. */
	*lo = after - last;
	*hi = before - end;
}

/*
 * The timer's count in CALIBRATE_US, within *SPREAD: the middle of what
 * the bounds of up to CALIBRATE_RUNS runs leave, the first time that is
 * within 1/512 of it.  Runs that disagree (a PIT clock's rounding) start
 * the bounds again.
 */
static uint32_t
calibrate(uint32_t *spread)
{
	uint32_t lo = 0, hi = 0xffffffffu, rlo, rhi;

	for (unsigned i = 0; i < CALIBRATE_RUNS; i++) {
		calibrate_run(&rlo, &rhi);
		if (rlo > lo)
			lo = rlo;
		if (rhi < hi)
			hi = rhi;
		if (lo > hi) {
			lo = rlo;
			hi = rhi;
		}
		if (hi - lo <= hi / 512)
			break;
	}
	*spread = hi - lo;
	return lo + (hi - lo) / 2;
}

void
lapic_init(void)
{
	uint64_t pa = lapic_base();
	uint32_t version, acpi_id = 0, counted, spread;
	uint64_t per_tick;
	unsigned maxlvt, i;
	bool known = false;

	lapic_regs = mmu_map_device(pa, PAGE_SIZE);
	boot_id = lapic_read(LAPIC_ID) >> 24;
	version = lapic_read(LAPIC_VERSION);
	maxlvt = (version >> 16) & 0xff;
	for (i = 0; i < madt.ncpus; i++) {
		if (madt.cpu[i].apic_id == boot_id) {
			acpi_id = madt.cpu[i].acpi_id;
			known = true;
		}
	}
	if (madt.present && !known)
		kprintf("vg: lapic: warning: apic id %u is no processor of "
		    "the MADT's\n", boot_id);

	/* Every source masked before the APIC is enabled. */
	lapic_write(LAPIC_LVT_TIMER, LVT_MASKED);
	lapic_write(LAPIC_LVT_LINT0, LVT_MASKED);
	lapic_write(LAPIC_LVT_LINT1, LVT_MASKED);
	lapic_write(LAPIC_LVT_ERROR, LVT_MASKED);
	if (maxlvt >= 4)
		lapic_write(LAPIC_LVT_PERF, LVT_MASKED);
	if (maxlvt >= 5)
		lapic_write(LAPIC_LVT_THERMAL, LVT_MASKED);
	lapic_write(LAPIC_TPR, 0);
	lapic_write(LAPIC_SVR, SVR_ENABLE | T_LAPIC_SPURIOUS);
	/* The error status reads what accumulated since the last write. */
	lapic_write(LAPIC_ESR, 0);
	lapic_write(LAPIC_ESR, 0);
	/* LINT0 stays masked: the 8259's virtual wire is not used. */
	lapic_write(LAPIC_LVT_LINT1, lint_nmi(1, acpi_id, known));
	if (lint_nmi(0, acpi_id, known) != LVT_MASKED)
		lapic_write(LAPIC_LVT_LINT0, lint_nmi(0, acpi_id, known));

	counted = calibrate(&spread);
	per_tick = (uint64_t)counted * 1000000 /
	    ((uint64_t)CALIBRATE_US * LAPIC_TIMER_HZ);
	if (per_tick < 100 || per_tick > 0xffffffffu)
		kpanic("lapic: the timer's clock is out of range");
	lapic_tick_count = (uint32_t)per_tick;
	lapic_write(LAPIC_TIMER_DIV, TIMER_DIV_16);
	lapic_write(LAPIC_LVT_TIMER, LVT_PERIODIC | T_LAPIC_TIMER);
	lapic_timer_start();
	kprintf("vg: lapic %u at 0x%lx (version 0x%x, %u lvt entries): "
	    "timer %u Hz, %lu counts a tick at divide 16 (%lu MHz, "
	    "calibrated within %u counts in %u)\n", boot_id,
	    (unsigned long)pa, version & 0xff, maxlvt + 1, LAPIC_TIMER_HZ,
	    (unsigned long)per_tick,
	    (unsigned long)((per_tick * 16 * LAPIC_TIMER_HZ + 500000) /
	    1000000), spread, counted);
}
