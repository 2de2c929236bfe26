/*
 * Finding the ACPI tables (see acpi.h).  Firmware data is checked before
 * it is used: every address and length against the direct map's 4 GiB,
 * every checksum, and nothing is read outside the bytes a check allowed.
 */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "acpi.h"
#include "kprintf.h"
#include "kstring.h"
#include "x86.h"

/* The root pointer (ACPI 6.5, 5.2.5.3); the fields from length on are
 * there from revision 2. */
struct acpi_rsdp {
	char signature[8];	/* "RSD PTR " */
	uint8_t checksum;	/* the first 20 bytes add up to 0 */
	char oem[6];
	uint8_t revision;
	uint32_t rsdt;
	uint32_t length;
	uint64_t xsdt;
	uint8_t xchecksum;	/* the whole LENGTH bytes add up to 0 */
	uint8_t reserved[3];
} __attribute__((packed));

_Static_assert(sizeof(struct acpi_rsdp) == 36, "ACPI RSDP");

#define RSDP_V1_SIZE	20
#define BDA_EBDA_SEG	0x40e	/* the BIOS data area's EBDA segment */
#define EBDA_LOW	0x80000	/* where an EBDA can be */
#define EBDA_HIGH	0xa0000
#define EBDA_SCAN	1024	/* the RSDP is in its first KiB */
#define BIOS_LOW	0xe0000	/* or in the BIOS area */
#define BIOS_HIGH	0x100000

/* The root table and the size of its entries (4: RSDT, 8: XSDT); none
 * while root_entry is 0. */
static const struct acpi_header *root;
static unsigned root_entry;

/* [PA, PA + LEN) lies in the direct map. */
static bool
in_direct_map(uint64_t pa, uint64_t len)
{
	return pa < DIRECT_MAP_LIMIT && len <= DIRECT_MAP_LIMIT - pa;
}

static uint8_t
sum(const void *p, size_t len)
{
	const uint8_t *b = p;
	uint8_t s = 0;

	while (len-- > 0)
		s = (uint8_t)(s + *b++);
	return s;
}

/* A good RSDP at physical PA (in the direct map, 16-byte aligned). */
static const struct acpi_rsdp *
rsdp_at(uint64_t pa)
{
	const struct acpi_rsdp *r = phys_to_virt(pa);

	if (memcmp(r->signature, "RSD PTR ", 8) != 0 ||
	    sum(r, RSDP_V1_SIZE) != 0)
		return NULL;
	if (r->revision >= 2 && (r->length < sizeof(*r) ||
	    r->length > ACPI_TABLE_MAX || !in_direct_map(pa, r->length) ||
	    sum(r, r->length) != 0))
		return NULL;
	return r;
}

static const struct acpi_rsdp *
rsdp_scan(uint64_t from, uint64_t to, uint64_t *pa)
{
	const struct acpi_rsdp *r;

	for (; from + sizeof(struct acpi_rsdp) <= to; from += 16) {
		if ((r = rsdp_at(from)) != NULL) {
			*pa = from;
			return r;
		}
	}
	return NULL;
}

static const struct acpi_rsdp *
rsdp_find(uint64_t *pa)
{
	uint64_t ebda = (uint64_t)*(const uint16_t *)phys_to_virt(
	    BDA_EBDA_SEG) << 4;
	const struct acpi_rsdp *r = NULL;

	if (ebda >= EBDA_LOW && ebda < EBDA_HIGH)
		r = rsdp_scan(ebda, ebda + EBDA_SCAN < EBDA_HIGH ?
		    ebda + EBDA_SCAN : EBDA_HIGH, pa);
	if (r == NULL)
		r = rsdp_scan(BIOS_LOW, BIOS_HIGH, pa);
	return r;
}

/*
 * The table at PA if it is good: its header and then its whole LENGTH
 * in the direct map, LENGTH at least MINLEN and at most ACPI_TABLE_MAX,
 * and its checksum right; SIG, if not NULL, its signature.
 */
static const struct acpi_header *
table_at(uint64_t pa, const char *sig, uint32_t minlen)
{
	const struct acpi_header *h;

	if (!in_direct_map(pa, sizeof(*h)))
		return NULL;
	h = phys_to_virt(pa);
	if (sig != NULL && memcmp(h->signature, sig, 4) != 0)
		return NULL;
	if (h->length < sizeof(*h) || h->length < minlen ||
	    h->length > ACPI_TABLE_MAX || !in_direct_map(pa, h->length)) {
		kprintf("vg: acpi: warning: table %.4s at 0x%lx: length %u "
		    "out of bounds, ignored\n", h->signature,
		    (unsigned long)pa, h->length);
		return NULL;
	}
	if (sum(h, h->length) != 0) {
		kprintf("vg: acpi: warning: table %.4s at 0x%lx: bad "
		    "checksum, ignored\n", h->signature, (unsigned long)pa);
		return NULL;
	}
	return h;
}

/* The physical address in root entry I (of a good root). */
static uint64_t
root_entry_pa(unsigned i)
{
	const uint8_t *p = (const uint8_t *)(root + 1) + i * root_entry;
	uint32_t pa32;
	uint64_t pa;

	/* A table may sit at any byte, so its entries are copied out. */
	if (root_entry == 4) {
		memcpy(&pa32, p, sizeof(pa32));
		return pa32;
	}
	memcpy(&pa, p, sizeof(pa));
	return pa;
}

void
acpi_init(void)
{
	const struct acpi_rsdp *r;
	uint64_t pa, tpa;

	if ((r = rsdp_find(&pa)) == NULL) {
		kprintf("vg: acpi: no RSDP in the EBDA or at "
		    "0xe0000-0xfffff\n");
		return;
	}
	/* The XSDT when there is one (revision 2), else the RSDT. */
	if (r->revision >= 2 && r->xsdt != 0 &&
	    (root = table_at(r->xsdt, "XSDT", sizeof(*root))) != NULL) {
		root_entry = 8;
		tpa = r->xsdt;
	} else if ((root = table_at(r->rsdt, "RSDT", sizeof(*root))) !=
	    NULL) {
		root_entry = 4;
		tpa = r->rsdt;
	} else {
		kprintf("vg: acpi: rsdp at 0x%lx (revision %u): no good RSDT "
		    "or XSDT\n", (unsigned long)pa, r->revision);
		return;
	}
	kprintf("vg: acpi: rsdp at 0x%lx (revision %u, oem \"%.6s\"), %s at "
	    "0x%lx with %u tables\n", (unsigned long)pa, r->revision, r->oem,
	    root_entry == 8 ? "xsdt" : "rsdt", (unsigned long)tpa,
	    (unsigned)((root->length - sizeof(*root)) / root_entry));
}

const struct acpi_header *
acpi_table(const char *sig, uint32_t minlen, uint64_t *pa)
{
	unsigned i, n;

	if (root_entry == 0)
		return NULL;
	n = (unsigned)((root->length - sizeof(*root)) / root_entry);
	for (i = 0; i < n; i++) {
		uint64_t tpa = root_entry_pa(i);
		const struct acpi_header *h = table_at(tpa, sig, minlen);

		if (h != NULL) {
			*pa = tpa;
			return h;
		}
	}
	return NULL;
}
