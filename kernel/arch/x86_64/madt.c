/*
 * Reading the MADT (see madt.h).  The table is checked whole before any
 * of it is believed: it is parsed into a scratch copy, and only a table
 * whose every entry is well formed replaces the defaults.
 */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "acpi.h"
#include "kprintf.h"
#include "madt.h"

/* The MADT's own fields after the header, then its entries. */
struct madt_table {
	struct acpi_header h;
	uint32_t lapic_addr;
	uint32_t flags;
} __attribute__((packed));

#define MADT_PCAT_COMPAT	(1u << 0)

/* Entry types and the least length each must have. */
enum {
	E_LAPIC = 0,		/* acpi_id(8) apic_id(8) flags(32) */
	E_IOAPIC = 1,		/* id(8) -(8) addr(32) gsi_base(32) */
	E_OVERRIDE = 2,		/* bus(8) source(8) gsi(32) flags(16) */
	E_NMI = 3,		/* flags(16) gsi(32) */
	E_LAPIC_NMI = 4,	/* acpi_id(8) flags(16) lint(8) */
	E_LAPIC_ADDR = 5,	/* -(16) addr(64) */
	E_X2APIC = 9,		/* -(16) apic_id(32) flags(32) uid(32) */
};

static const uint8_t entry_min[10] = {
	[E_LAPIC] = 8, [E_IOAPIC] = 12, [E_OVERRIDE] = 10, [E_NMI] = 8,
	[E_LAPIC_NMI] = 6, [E_LAPIC_ADDR] = 12, [E_X2APIC] = 16,
};

#define CPU_ENABLED		(1u << 0)
/* MPS INTI flags: polarity in bits 0..1, trigger in 2..3 (00: as the
 * bus says, 10: reserved). */
#define INTI_POLARITY(f)	((f) & 3)
#define INTI_TRIGGER(f)		(((f) >> 2) & 3)
#define INTI_CONFORMS		0
#define INTI_RESERVED		2
#define INTI_LOW		3	/* polarity: active low */
#define INTI_LEVEL		3	/* trigger: level */

struct madt madt;
static struct madt scratch;

static uint32_t
rd32(const uint8_t *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 |
	    (uint32_t)p[3] << 24;
}

static uint16_t
rd16(const uint8_t *p)
{
	return (uint16_t)(p[0] | p[1] << 8);
}

static void
set_defaults(struct madt *m)
{
	*m = (struct madt){ .pcat_compat = true, .nioapics = 1 };
	m->ioapic[0] = (struct madt_ioapic){ .addr = MADT_DEFAULT_IOAPIC };
	for (unsigned i = 0; i < MADT_ISA_IRQS; i++)
		m->isa[i] = (struct madt_isa){ .gsi = i };
}

/* An ISA line's or NMI's trigger and polarity from INTI flags; false
 * if they use a reserved value.  ISA lines conform to edge, active high. */
static bool
inti(uint16_t flags, enum irq_trigger *t, enum irq_polarity *p)
{
	if (INTI_POLARITY(flags) == INTI_RESERVED ||
	    INTI_TRIGGER(flags) == INTI_RESERVED)
		return false;
	*t = INTI_TRIGGER(flags) == INTI_LEVEL ? IRQ_LEVEL : IRQ_EDGE;
	*p = INTI_POLARITY(flags) == INTI_LOW ? IRQ_LOW : IRQ_HIGH;
	return true;
}

static void
add_cpu(struct madt *m, uint32_t apic_id, uint32_t acpi_id)
{
	if (m->ncpus == MADT_CPUS_MAX) {
		m->cpus_left_out++;
		return;
	}
	m->cpu[m->ncpus++] = (struct madt_cpu){ apic_id, acpi_id };
}

/* One entry, TYPE of LEN bytes at E (LEN checked against entry_min);
 * NULL if it is good, else what is wrong with it. */
static const char *
entry(struct madt *m, unsigned type, const uint8_t *e)
{
	enum irq_trigger t;
	enum irq_polarity p;
	uint64_t a;

	switch (type) {
	case E_LAPIC:
		if (rd32(e + 4) & CPU_ENABLED)
			add_cpu(m, e[3], e[2]);
		return NULL;
	case E_X2APIC:
		if (rd32(e + 8) & CPU_ENABLED)
			add_cpu(m, rd32(e + 4), rd32(e + 12));
		return NULL;
	case E_IOAPIC:
		if (m->nioapics == MADT_IOAPICS_MAX)
			return "too many IOAPICs";
		a = rd32(e + 4);
		/* Its two registers, 16 bytes apart, in one page. */
		if (a == 0 || (a & 0xf) != 0 || (a & 0xfff) > 0xfe0)
			return "an IOAPIC address that is no register block";
		m->ioapic[m->nioapics++] = (struct madt_ioapic){ .id = e[2],
		    .addr = (uint32_t)a, .gsi_base = rd32(e + 8) };
		return NULL;
	case E_OVERRIDE:
		if (e[2] != 0 || e[3] >= MADT_ISA_IRQS)
			return "an override of no ISA IRQ";
		if (!inti(rd16(e + 8), &t, &p))
			return "an override with reserved flags";
		m->isa[e[3]] = (struct madt_isa){ .gsi = rd32(e + 4),
		    .trigger = t, .polarity = p, .overridden = true };
		m->noverrides++;
		return NULL;
	case E_NMI:
		if (m->nnmis == MADT_NMIS_MAX)
			return "too many NMI sources";
		if (!inti(rd16(e + 2), &t, &p))
			return "an NMI source with reserved flags";
		m->nmi[m->nnmis++] = (struct madt_nmi){ .gsi = rd32(e + 4),
		    .trigger = t, .polarity = p };
		return NULL;
	case E_LAPIC_NMI:
		if (m->nlapic_nmis == MADT_NMIS_MAX)
			return "too many local APIC NMIs";
		if (e[5] > 1 || !inti(rd16(e + 3), &t, &p))
			return "a local APIC NMI on no LINT pin";
		m->lapic_nmi[m->nlapic_nmis++] = (struct madt_lapic_nmi){
		    .acpi_id = e[2] == 0xff ? MADT_ALL_CPUS : e[2],
		    .lint = e[5], .polarity = p };
		return NULL;
	case E_LAPIC_ADDR:
		a = (uint64_t)rd32(e + 4) | (uint64_t)rd32(e + 8) << 32;
		if (a == 0 || (a & 0xfff) != 0)
			return "a local APIC address that is no page";
		m->lapic_addr = a;
		return NULL;
	}
	return NULL;	/* a kind interrupts do not need */
}

/* Parse the good table T into M; NULL or what is wrong, at *AT. */
static const char *
parse(struct madt *m, const struct madt_table *t, uint32_t *at)
{
	const uint8_t *b = (const uint8_t *)t;
	uint32_t off = sizeof(*t), len = t->h.length;

	set_defaults(m);
	m->present = true;
	m->nioapics = 0;	/* only those it lists */
	m->pcat_compat = (t->flags & MADT_PCAT_COMPAT) != 0;
	m->lapic_addr = t->lapic_addr;
	while (off < len) {
		const char *why;
		unsigned type, elen;

		*at = off;
		if (len - off < 2)
			return "a truncated entry";
		type = b[off];
		elen = b[off + 1];
		if (elen < 2 || elen > len - off)
			return "an entry length out of the table";
		if (type < sizeof(entry_min) && elen < entry_min[type])
			return "an entry too short for its type";
		if ((why = entry(m, type, b + off)) != NULL)
			return why;
		off += elen;
	}
	if (m->ncpus == 0)
		return "no enabled processor";
	if (m->lapic_addr == 0 || (m->lapic_addr & 0xfff) != 0)
		return "a local APIC address that is no page";
	return NULL;
}

static void
log_madt(uint64_t pa)
{
	static char line[400];
	unsigned n = 0, i;

	for (i = 0; i < madt.ncpus && n < sizeof(line); i++)
		n += (unsigned)ksnprintf(line + n, sizeof(line) - n, "%s%u",
		    i == 0 ? "" : " ", madt.cpu[i].apic_id);
	kprintf("vg: acpi: madt at 0x%lx: %u processor%s (apic ids %s%s), "
	    "local apic at 0x%lx, %u ioapic%s, %u nmi source%s, %u local "
	    "apic nmi%s%s\n", (unsigned long)pa, madt.ncpus,
	    madt.ncpus == 1 ? "" : "s", line,
	    madt.cpus_left_out != 0 ? " and more, left out" : "",
	    (unsigned long)madt.lapic_addr, madt.nioapics,
	    madt.nioapics == 1 ? "" : "s", madt.nnmis,
	    madt.nnmis == 1 ? "" : "s", madt.nlapic_nmis,
	    madt.nlapic_nmis == 1 ? "" : "s",
	    madt.pcat_compat ? ", 8259 pair" : "");
	n = 0;
	line[0] = '\0';
	for (i = 0; i < MADT_ISA_IRQS && n < sizeof(line); i++) {
		const struct madt_isa *s = &madt.isa[i];

		if (!s->overridden)
			continue;
		n += (unsigned)ksnprintf(line + n, sizeof(line) - n,
		    "%sirq %u -> gsi %u %s %s", n == 0 ? "" : ", ", i, s->gsi,
		    s->trigger == IRQ_LEVEL ? "level" : "edge",
		    s->polarity == IRQ_LOW ? "low" : "high");
	}
	kprintf("vg: acpi: %u isa irq override%s%s%s\n", madt.noverrides,
	    madt.noverrides == 1 ? "" : "s", n != 0 ? ": " : "", line);
}

void
madt_init(void)
{
	const struct acpi_header *h;
	const char *why;
	uint64_t pa;
	uint32_t at = 0;

	set_defaults(&madt);
	h = acpi_table("APIC", sizeof(struct madt_table), &pa);
	if (h == NULL) {
		kprintf("vg: acpi: no madt: one processor, the ioapic at "
		    "0x%x, isa irq n on gsi n\n", MADT_DEFAULT_IOAPIC);
		return;
	}
	why = parse(&scratch, (const struct madt_table *)(const void *)h,
	    &at);
	if (why != NULL) {
		kprintf("vg: acpi: madt at 0x%lx: %s (at byte %u), ignored: "
		    "one processor, the ioapic at 0x%x, isa irq n on gsi n\n",
		    (unsigned long)pa, why, at, MADT_DEFAULT_IOAPIC);
		return;
	}
	/* commit: the table is good */
	madt = scratch;
	log_madt(pa);
}
