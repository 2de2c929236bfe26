/*
 * The MADT parser of the x86-64 kernel (kernel/arch/x86_64/madt.c) on
 * the host: a table like QEMU's read right, and every kind of malformed
 * table refused whole, the PC defaults standing and the log saying why.
 * The file is compiled into this test; acpi_table hands it the table
 * the test built, and what it prints goes through the kernel's own
 * kprintf (compiled in too) to the hosted console.
 */
#include <stdio.h>
#include <string.h>

#include "vgtest.h"

#include "../../kernel/arch/x86_64/madt.c"
/* The kernel's kprintf, so the log is formatted as the kernel formats
 * it. */
#include "../../kernel/lib/printf.c"
#include "../../lib/fmt/format.c"
#include "../../lib/fmt/line.c"

static uint8_t table[ACPI_TABLE_MAX];
static uint32_t table_len;
static bool have_table;

const struct acpi_header *
acpi_table(const char *sig, uint32_t minlen, uint64_t *pa)
{
	assert_memory_equal(sig, "APIC", 4);
	if (!have_table || table_len < minlen)
		return NULL;
	*pa = 0x1ffe1a00;
	return (const struct acpi_header *)(const void *)table;
}

/* madt_init, and what it printed (terminated) in LOGGED. */
static char logged[HOSTED_CONSOLE_MAX + 1];

static void
madt_read(void)
{
	const char *c;
	size_t n;

	hosted_console_clear();
	madt_init();
	c = hosted_console(&n);
	memcpy(logged, c, n);
	logged[n] = '\0';
}

/* --- building tables ----------------------------------------------------- */

static void
put(const void *p, uint32_t n)
{
	assert_true(table_len + n <= sizeof(table));
	memcpy(table + table_len, p, n);
	table_len += n;
}

static void
put8(uint8_t v)
{
	put(&v, 1);
}

static void
put16(uint16_t v)
{
	put8((uint8_t)v);
	put8((uint8_t)(v >> 8));
}

static void
put32(uint32_t v)
{
	put16((uint16_t)v);
	put16((uint16_t)(v >> 16));
}

/* A MADT header with the local APIC at LAPIC and the 8259 pair. */
static void
begin(uint32_t lapic)
{
	struct acpi_header h = { .signature = "APIC", .revision = 3 };

	memset(table, 0, sizeof(table));
	table_len = 0;
	have_table = true;
	put(&h, sizeof(h));
	put32(lapic);
	put32(MADT_PCAT_COMPAT);
}

/* The length and checksum in, as acpi_table would have checked them. */
static void
end(void)
{
	struct acpi_header *h = (struct acpi_header *)(void *)table;
	uint8_t s = 0;

	h->length = table_len;
	h->checksum = 0;
	for (uint32_t i = 0; i < table_len; i++)
		s = (uint8_t)(s + table[i]);
	h->checksum = (uint8_t)-s;
}

static void
lapic(uint8_t acpi_id, uint8_t apic_id, uint32_t flags)
{
	put8(E_LAPIC);
	put8(8);
	put8(acpi_id);
	put8(apic_id);
	put32(flags);
}

static void
ioapic(uint8_t id, uint32_t addr, uint32_t gsi_base)
{
	put8(E_IOAPIC);
	put8(12);
	put8(id);
	put8(0);
	put32(addr);
	put32(gsi_base);
}

static void
override(uint8_t bus, uint8_t irq, uint32_t gsi, uint16_t flags)
{
	put8(E_OVERRIDE);
	put8(10);
	put8(bus);
	put8(irq);
	put32(gsi);
	put16(flags);
}

static void
lapic_nmi(uint8_t acpi_id, uint16_t flags, uint8_t lint)
{
	put8(E_LAPIC_NMI);
	put8(6);
	put8(acpi_id);
	put16(flags);
	put8(lint);
}

/* What QEMU's pc machine gives with two processors. */
static void
qemu_pc(void)
{
	begin(0xfee00000);
	lapic(0, 0, CPU_ENABLED);
	lapic(1, 1, CPU_ENABLED);
	ioapic(0, 0xfec00000, 0);
	override(0, 0, 2, 0);
	override(0, 5, 5, 0xd);
	override(0, 9, 9, 0xd);
	lapic_nmi(0xff, 0, 1);
}

/* The defaults stand, and the log says the table was ignored for WHY. */
static void
assert_refused(const char *why)
{
	madt_read();
	assert_false(madt.present);
	assert_int_equal(madt.ncpus, 0);
	assert_int_equal(madt.lapic_addr, 0);
	assert_int_equal(madt.nioapics, 1);
	assert_int_equal(madt.ioapic[0].addr, MADT_DEFAULT_IOAPIC);
	assert_int_equal(madt.ioapic[0].gsi_base, 0);
	assert_int_equal(madt.noverrides, 0);
	assert_int_equal(madt.nlapic_nmis, 0);
	for (unsigned i = 0; i < MADT_ISA_IRQS; i++) {
		assert_int_equal(madt.isa[i].gsi, i);
		assert_int_equal(madt.isa[i].trigger, IRQ_EDGE);
		assert_int_equal(madt.isa[i].polarity, IRQ_HIGH);
		assert_false(madt.isa[i].overridden);
	}
	assert_non_null(strstr(logged, "ignored"));
	if (strstr(logged, why) == NULL)
		fail_msg("log \"%s\" lacks \"%s\"", logged, why);
}

/* --- the tests ----------------------------------------------------------- */

static void
test_madt_qemu_pc(void **state)
{
	(void)state;
	qemu_pc();
	end();
	madt_read();
	assert_true(madt.present);
	assert_true(madt.pcat_compat);
	assert_int_equal(madt.lapic_addr, 0xfee00000);
	assert_int_equal(madt.ncpus, 2);
	assert_int_equal(madt.cpu[0].apic_id, 0);
	assert_int_equal(madt.cpu[1].apic_id, 1);
	assert_int_equal(madt.cpu[1].acpi_id, 1);
	assert_int_equal(madt.nioapics, 1);
	assert_int_equal(madt.ioapic[0].addr, 0xfec00000);
	assert_int_equal(madt.noverrides, 3);
	assert_int_equal(madt.isa[0].gsi, 2);
	assert_int_equal(madt.isa[0].trigger, IRQ_EDGE);
	assert_true(madt.isa[0].overridden);
	assert_int_equal(madt.isa[9].trigger, IRQ_LEVEL);
	assert_int_equal(madt.isa[9].polarity, IRQ_HIGH);
	assert_int_equal(madt.isa[1].gsi, 1);
	assert_false(madt.isa[1].overridden);
	assert_int_equal(madt.nlapic_nmis, 1);
	assert_int_equal(madt.lapic_nmi[0].acpi_id, MADT_ALL_CPUS);
	assert_int_equal(madt.lapic_nmi[0].lint, 1);
	assert_non_null(strstr(logged, "irq 0 -> gsi 2 edge high"));
}

static void
test_madt_none_gives_the_defaults(void **state)
{
	(void)state;
	have_table = false;
	madt_read();
	assert_false(madt.present);
	assert_int_equal(madt.nioapics, 1);
	assert_int_equal(madt.ioapic[0].addr, MADT_DEFAULT_IOAPIC);
	assert_int_equal(madt.isa[0].gsi, 0);
	assert_non_null(strstr(logged, "no madt"));
}

static void
test_madt_flags_and_kinds(void **state)
{
	(void)state;
	qemu_pc();
	/* A disabled processor, a low-active level override, an NMI
	 * source, an x2APIC processor, a 64-bit local APIC address, a
	 * kind interrupts do not need. */
	lapic(2, 2, 0);
	override(0, 11, 20, 0xf);
	put8(E_NMI);
	put8(8);
	put16(0xd);
	put32(23);
	put8(E_X2APIC);
	put8(16);
	put16(0);
	put32(300);
	put32(CPU_ENABLED);
	put32(7);
	put8(E_LAPIC_ADDR);
	put8(12);
	put16(0);
	put32(0xfee00000);
	put32(1);
	put8(0x7f);
	put8(4);
	put16(0);
	end();
	madt_read();
	assert_true(madt.present);
	assert_int_equal(madt.ncpus, 3);
	assert_int_equal(madt.cpu[2].apic_id, 300);
	assert_int_equal(madt.cpu[2].acpi_id, 7);
	assert_int_equal(madt.isa[11].gsi, 20);
	assert_int_equal(madt.isa[11].trigger, IRQ_LEVEL);
	assert_int_equal(madt.isa[11].polarity, IRQ_LOW);
	assert_int_equal(madt.nnmis, 1);
	assert_int_equal(madt.nmi[0].gsi, 23);
	assert_int_equal(madt.nmi[0].trigger, IRQ_LEVEL);
	assert_int_equal(madt.lapic_addr, 0x1fee00000ull);
}

static void
test_madt_many_processors_kept_to_the_limit(void **state)
{
	(void)state;
	begin(0xfee00000);
	for (unsigned i = 0; i < MADT_CPUS_MAX + 5; i++)
		lapic((uint8_t)i, (uint8_t)i, CPU_ENABLED);
	end();
	madt_read();
	assert_true(madt.present);
	assert_int_equal(madt.ncpus, MADT_CPUS_MAX);
	assert_int_equal(madt.cpus_left_out, 5);
	assert_int_equal(madt.cpu[MADT_CPUS_MAX - 1].apic_id,
	    MADT_CPUS_MAX - 1);
}

static void
test_madt_bad_entry_lengths(void **state)
{
	(void)state;
	qemu_pc();
	put8(E_LAPIC);
	put8(0);
	end();
	assert_refused("an entry length out of the table");

	qemu_pc();
	put8(E_IOAPIC);
	put8(40);		/* past the end */
	put16(0);
	end();
	assert_refused("an entry length out of the table");

	qemu_pc();
	put8(E_LAPIC);		/* one byte left */
	end();
	assert_refused("a truncated entry");

	qemu_pc();
	put8(E_LAPIC);
	put8(6);		/* too short for its type */
	put32(0);
	end();
	assert_refused("an entry too short for its type");

	qemu_pc();
	put8(E_LAPIC_ADDR);
	put8(8);
	put16(0);
	put32(0);
	end();
	assert_refused("an entry too short for its type");
}

static void
test_madt_bad_overrides(void **state)
{
	(void)state;
	qemu_pc();
	override(0, 16, 16, 0);
	end();
	assert_refused("an override of no ISA IRQ");

	qemu_pc();
	override(1, 3, 3, 0);
	end();
	assert_refused("an override of no ISA IRQ");

	qemu_pc();
	override(0, 3, 3, 0x2);	/* reserved polarity */
	end();
	assert_refused("an override with reserved flags");

	qemu_pc();
	override(0, 3, 3, 0x8);	/* reserved trigger */
	end();
	assert_refused("an override with reserved flags");
}

static void
test_madt_bad_ioapics(void **state)
{
	(void)state;
	qemu_pc();
	ioapic(1, 0, 24);
	end();
	assert_refused("an IOAPIC address that is no register block");

	qemu_pc();
	ioapic(1, 0xfec00004, 24);
	end();
	assert_refused("an IOAPIC address that is no register block");

	qemu_pc();
	ioapic(1, 0xfec00ff0, 24);	/* IOWIN in the next page */
	end();
	assert_refused("an IOAPIC address that is no register block");

	qemu_pc();
	for (unsigned i = 1; i < MADT_IOAPICS_MAX + 1; i++)
		ioapic((uint8_t)i, 0xfec00000 + i * 0x1000, i * 24);
	end();
	assert_refused("too many IOAPICs");
}

static void
test_madt_bad_nmis_and_addresses(void **state)
{
	(void)state;
	qemu_pc();
	lapic_nmi(0, 0, 2);
	end();
	assert_refused("a local APIC NMI on no LINT pin");

	qemu_pc();
	put8(E_NMI);
	put8(8);
	put16(0x2);
	put32(3);
	end();
	assert_refused("an NMI source with reserved flags");

	qemu_pc();
	put8(E_LAPIC_ADDR);
	put8(12);
	put16(0);
	put32(0xfee00800);
	put32(0);
	end();
	assert_refused("a local APIC address that is no page");

	begin(0);
	lapic(0, 0, CPU_ENABLED);
	end();
	assert_refused("a local APIC address that is no page");

	begin(0xfee00000);
	lapic(0, 0, 0);
	ioapic(0, 0xfec00000, 0);
	end();
	assert_refused("no enabled processor");
}

/* A good table read after a bad one: nothing of the bad one stays. */
static void
test_madt_refusal_leaves_nothing_behind(void **state)
{
	(void)state;
	qemu_pc();
	override(0, 4, 12, 0xf);
	put8(E_LAPIC);
	put8(0);
	end();
	assert_refused("an entry length out of the table");
	qemu_pc();
	end();
	madt_read();
	assert_true(madt.present);
	assert_int_equal(madt.isa[4].gsi, 4);
	assert_false(madt.isa[4].overridden);
	assert_int_equal(madt.noverrides, 3);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_madt_qemu_pc),
		cmocka_unit_test(test_madt_none_gives_the_defaults),
		cmocka_unit_test(test_madt_flags_and_kinds),
		cmocka_unit_test(test_madt_many_processors_kept_to_the_limit),
		cmocka_unit_test(test_madt_bad_entry_lengths),
		cmocka_unit_test(test_madt_bad_overrides),
		cmocka_unit_test(test_madt_bad_ioapics),
		cmocka_unit_test(test_madt_bad_nmis_and_addresses),
		cmocka_unit_test(test_madt_refusal_leaves_nothing_behind),
	};

	return cmocka_run_group_tests_name("madt", tests, NULL, NULL);
}
