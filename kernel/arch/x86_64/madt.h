/*
 * What the MADT (ACPI's "APIC" table) says about interrupts: the
 * processors and their local APIC ids (for SMP later), the local APIC's
 * address, the IOAPICs, how ISA IRQs reach GSIs (the interrupt source
 * overrides), and where NMIs come in.  When there is no good MADT the
 * PC defaults stand (madt.present false): the local APIC where its MSR
 * says, the one IOAPIC at 0xfec00000 from GSI 0, ISA IRQ n on GSI n.
 */
#ifndef VG_X86_64_MADT_H
#define VG_X86_64_MADT_H

#include <stdbool.h>
#include <stdint.h>

#define MADT_CPUS_MAX		64
#define MADT_IOAPICS_MAX	8
#define MADT_NMIS_MAX		8
#define MADT_ISA_IRQS		16

#define MADT_DEFAULT_IOAPIC	0xfec00000u

/* How a line signals: as the MADT describes it and an IOAPIC or a local
 * APIC LVT entry is programmed. */
enum irq_trigger { IRQ_EDGE, IRQ_LEVEL };
enum irq_polarity { IRQ_HIGH, IRQ_LOW };

struct madt_cpu {
	uint32_t apic_id;
	uint32_t acpi_id;	/* the processor's ACPI UID */
};

struct madt_ioapic {
	uint8_t id;		/* as the MADT says (0 by default) */
	uint32_t addr;		/* physical, its registers */
	uint32_t gsi_base;	/* its first pin's GSI */
};

/* An ISA IRQ's GSI, and how it signals. */
struct madt_isa {
	uint32_t gsi;
	enum irq_trigger trigger;
	enum irq_polarity polarity;
	bool overridden;	/* by an override entry, not the default */
};

/* A GSI that is an NMI (IOAPIC NMI source). */
struct madt_nmi {
	uint32_t gsi;
	enum irq_trigger trigger;
	enum irq_polarity polarity;
};

/* A local APIC's LINT pin that is an NMI. */
struct madt_lapic_nmi {
	uint32_t acpi_id;	/* a processor, or MADT_ALL_CPUS */
	uint8_t lint;		/* 0 or 1 */
	enum irq_polarity polarity;
};

#define MADT_ALL_CPUS	0xffffffffu

struct madt {
	bool present;		/* a good MADT was read */
	bool pcat_compat;	/* an 8259 pair is there too */
	uint64_t lapic_addr;	/* physical; 0: not known, the MSR's */
	unsigned ncpus;		/* enabled processors (0: not known, the
				 * boot processor alone) */
	unsigned cpus_left_out;	/* beyond MADT_CPUS_MAX */
	struct madt_cpu cpu[MADT_CPUS_MAX];
	unsigned nioapics;
	struct madt_ioapic ioapic[MADT_IOAPICS_MAX];
	struct madt_isa isa[MADT_ISA_IRQS];
	unsigned noverrides;
	unsigned nnmis;
	struct madt_nmi nmi[MADT_NMIS_MAX];
	unsigned nlapic_nmis;
	struct madt_lapic_nmi lapic_nmi[MADT_NMIS_MAX];
};

extern struct madt madt;

/*
 * Read the MADT (after acpi_init), or take the defaults when there is
 * none or it is bad, and log what it says.
 */
void madt_init(void);

#endif /* VG_X86_64_MADT_H */
