/*
 * The IOAPICs (see ioapic.h).  Two registers each: IOREGSEL selects an
 * internal register and IOWIN reads or writes it.  A redirection entry
 * is 64 bits, two internal registers; its destination is in the high
 * half, so an entry is written high half first, with the low half (the
 * mask) last.
 */
#include <stdbool.h>
#include <stdint.h>

#include "ioapic.h"
#include "kassert.h"
#include "kprintf.h"
#include "lapic.h"
#include "madt.h"
#include "mmu.h"
#include "trap.h"

#define IOREGSEL	0x00	/* byte offsets */
#define IOWIN		0x10

#define IOAPIC_ID	0x00	/* internal registers */
#define IOAPIC_VERSION	0x01	/* version 0..7, last entry 16..23 */
#define IOAPIC_REDIR(n)	(0x10 + 2 * (n))

#define REDIR_NMI	(4u << 8)	/* delivery mode; 0 is fixed */
#define REDIR_LOW	(1u << 13)	/* active low */
#define REDIR_LEVEL	(1u << 15)
#define REDIR_MASKED	(1u << 16)

struct ioapic {
	volatile uint32_t *regs;
	uint8_t id;
	uint32_t gsi_base;
	unsigned npins;
};

static struct ioapic ioapics[MADT_IOAPICS_MAX];
static unsigned nioapics;

static uint32_t
ioapic_read(const struct ioapic *io, unsigned reg)
{
	io->regs[IOREGSEL / 4] = reg;
	return io->regs[IOWIN / 4];
}

static void
ioapic_write(const struct ioapic *io, unsigned reg, uint32_t v)
{
	io->regs[IOREGSEL / 4] = reg;
	io->regs[IOWIN / 4] = v;
}

/* The IOAPIC that has GSI, and its pin in *PIN; NULL if none has. */
static const struct ioapic *
ioapic_of(uint32_t gsi, unsigned *pin)
{
	for (unsigned i = 0; i < nioapics; i++) {
		const struct ioapic *io = &ioapics[i];

		if (gsi >= io->gsi_base && gsi - io->gsi_base < io->npins) {
			*pin = gsi - io->gsi_base;
			return io;
		}
	}
	return NULL;
}

bool
ioapic_has(uint32_t gsi)
{
	unsigned pin;

	return ioapic_of(gsi, &pin) != NULL;
}

static void
redir_write(const struct ioapic *io, unsigned pin, uint32_t low)
{
	/* Masked while the destination changes. */
	ioapic_write(io, IOAPIC_REDIR(pin), REDIR_MASKED);
	ioapic_write(io, IOAPIC_REDIR(pin) + 1, lapic_id() << 24);
	ioapic_write(io, IOAPIC_REDIR(pin), low);
}

static uint32_t
redir_mode(enum irq_trigger trigger, enum irq_polarity polarity)
{
	return (trigger == IRQ_LEVEL ? REDIR_LEVEL : 0) |
	    (polarity == IRQ_LOW ? REDIR_LOW : 0);
}

bool
ioapic_route(uint32_t gsi, uint8_t vector, enum irq_trigger trigger,
    enum irq_polarity polarity)
{
	const struct ioapic *io;
	unsigned pin;

	if (vector < T_NEXCEPTIONS ||
	    (io = ioapic_of(gsi, &pin)) == NULL)
		return false;
	redir_write(io, pin, REDIR_MASKED | redir_mode(trigger, polarity) |
	    vector);
	return true;
}

static bool
set_mask(uint32_t gsi, bool masked)
{
	const struct ioapic *io;
	unsigned pin;
	uint32_t low;

	if ((io = ioapic_of(gsi, &pin)) == NULL)
		return false;
	low = ioapic_read(io, IOAPIC_REDIR(pin));
	low = masked ? low | REDIR_MASKED : low & ~REDIR_MASKED;
	ioapic_write(io, IOAPIC_REDIR(pin), low);
	return true;
}

bool
ioapic_mask(uint32_t gsi)
{
	return set_mask(gsi, true);
}

bool
ioapic_unmask(uint32_t gsi)
{
	return set_mask(gsi, false);
}

struct madt_isa
ioapic_isa(unsigned irq)
{
	if (irq >= MADT_ISA_IRQS)
		kpanic("ioapic_isa: not an ISA IRQ");
	return madt.isa[irq];
}

/* Take the MADT's IOAPIC M if its registers answer and its pins overlap
 * no other's; false, saying why, if not. */
static bool
add(const struct madt_ioapic *m)
{
	struct ioapic *io = &ioapics[nioapics];
	uint32_t version;
	unsigned i;

	io->regs = mmu_map_device(m->addr, IOWIN + 4);
	version = ioapic_read(io, IOAPIC_VERSION);
	/* Nothing there reads as all ones. */
	if (version == 0xffffffffu) {
		kprintf("vg: ioapic: warning: nothing answers at 0x%x, "
		    "ignored\n", m->addr);
		return false;
	}
	io->id = (uint8_t)((ioapic_read(io, IOAPIC_ID) >> 24) & 0xf);
	io->gsi_base = m->gsi_base;
	io->npins = ((version >> 16) & 0xff) + 1;
	for (i = 0; i < nioapics; i++) {
		if (io->gsi_base < ioapics[i].gsi_base + ioapics[i].npins &&
		    ioapics[i].gsi_base < io->gsi_base + io->npins) {
			kprintf("vg: ioapic: warning: the one at 0x%x has GSIs "
			    "of another's, ignored\n", m->addr);
			return false;
		}
	}
	nioapics++;
	kprintf("vg: ioapic %u at 0x%x (version 0x%x): %u pins, gsi %u-%u\n",
	    io->id, m->addr, version & 0xff, io->npins, io->gsi_base,
	    io->gsi_base + io->npins - 1);
	return true;
}

/* Every pin masked at its vector, the ISA ones as the MADT says; how
 * many have a vector. */
static unsigned
route_all(const struct ioapic *io)
{
	unsigned routed = 0;

	for (unsigned pin = 0; pin < io->npins; pin++) {
		uint32_t gsi = io->gsi_base + pin;
		uint32_t low = REDIR_MASKED;

		if (gsi < T_NGSIS) {
			low |= (uint32_t)(T_GSI0 + gsi);
			routed++;
		}
		redir_write(io, pin, low);
	}
	for (unsigned irq = 0; irq < MADT_ISA_IRQS; irq++) {
		const struct madt_isa *s = &madt.isa[irq];

		if (s->gsi < T_NGSIS)
			(void)ioapic_route(s->gsi, (uint8_t)(T_GSI0 + s->gsi),
			    s->trigger, s->polarity);
	}
	return routed;
}

void
ioapic_init(void)
{
	unsigned i, nmis = 0, routed = 0, pin;
	struct madt_isa irq0;

	for (i = 0; i < madt.nioapics; i++) {
		if (add(&madt.ioapic[i]))
			routed += route_all(&ioapics[nioapics - 1]);
	}
	if (nioapics == 0) {
		kprintf("vg: ioapic: none: no device interrupts\n");
		return;
	}
	/* NMI sources, as the MADT says: NMIs, unmasked. */
	for (i = 0; i < madt.nnmis; i++) {
		const struct madt_nmi *n = &madt.nmi[i];
		const struct ioapic *io = ioapic_of(n->gsi, &pin);

		if (io == NULL)
			continue;
		redir_write(io, pin, REDIR_NMI | redir_mode(n->trigger,
		    n->polarity));
		nmis++;
	}
	irq0 = ioapic_isa(0);
	kprintf("vg: ioapic: %u gsis on vectors %u + gsi, masked; irq 0 -> "
	    "gsi %u; %u nmi source%s\n", routed, T_GSI0, irq0.gsi, nmis,
	    nmis == 1 ? "" : "s");
}
