/*
 * The ACPI tables, found and checked: the RSDP (in the EBDA or the BIOS
 * area), the RSDT or XSDT it points to, and the tables those list.  No
 * table is believed before its bounds and checksum are: a bad one is as
 * good as none.  Everything is read through the direct map, so only
 * tables below 4 GiB are seen.
 */
#ifndef VG_X86_64_ACPI_H
#define VG_X86_64_ACPI_H

#include <stdint.h>

/* The header every table (but the RSDP) starts with. */
struct acpi_header {
	char signature[4];
	uint32_t length;	/* the whole table, header included */
	uint8_t revision;
	uint8_t checksum;	/* the bytes of the whole table add up to 0 */
	char oem[6];
	char oem_table[8];
	uint32_t oem_revision;
	uint32_t creator;
	uint32_t creator_revision;
} __attribute__((packed));

_Static_assert(sizeof(struct acpi_header) == 36, "ACPI table header");

/* The largest table believed: far more than any MADT needs. */
#define ACPI_TABLE_MAX	0x10000u

/*
 * Find the RSDP and its RSDT or XSDT, and log where (boot, once).  When
 * there is none, or it is bad, every acpi_table is NULL.
 */
void acpi_init(void);

/*
 * The first table listed with signature SIG (4 characters) whose length
 * (at least MINLEN, at most ACPI_TABLE_MAX, below 4 GiB) and checksum
 * are good, and its physical address in *PA; NULL if there is none.
 */
const struct acpi_header *acpi_table(const char *sig, uint32_t minlen,
    uint64_t *pa);

#endif /* VG_X86_64_ACPI_H */
