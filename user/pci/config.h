/*
 * PCI configuration space through configuration mechanism 1 (ports
 * 0xcf8 and 0xcfc), what the bus holds, and its BARs.
 */
#ifndef PCI_CONFIG_H
#define PCI_CONFIG_H

#include <stdbool.h>
#include <stdint.h>

#include <vg/addr.h>
#include <vg/error.h>

#define PCI_CONFIG_PORT		0xcf8	/* CONFIG_ADDRESS, then CONFIG_DATA */
#define PCI_CONFIG_PORTS	8	/* 0xcf8 .. 0xcff */
#define PCI_FUNCTIONS_MAX	64
#define PCI_BARS		6

struct pci_bar {
	uint32_t kind;		/* enum pci_bar_kind, 0: none */
	uint64_t base, size;
};

struct pci_fn {
	uint16_t addr;		/* PCI_ADDR(bus, dev, fn) */
	uint16_t vendor, device;
	uint32_t class;		/* config 0x08 */
	uint8_t header;		/* header type, without the multi-function bit */
	uint8_t pin, line;	/* interrupt pin (0: none, 1: INTA) and line */
	uint8_t nbars;		/* 6 for header 0, 2 for a bridge */
	struct pci_bar bar[PCI_BARS];
};

struct pci_bus {
	vg_addr_t ports;	/* a range over 0xcf8 .. 0xcff */
	unsigned nfns;
	struct pci_fn fn[PCI_FUNCTIONS_MAX];
};

/* The dword at OFFSET (aligned, < 256) of function ADDR; all ones if the
 * access failed, as for a function that is not there. */
uint32_t pci_read(struct pci_bus *b, unsigned addr, unsigned offset);
enum vg_err pci_write(struct pci_bus *b, unsigned addr, unsigned offset,
    uint32_t value);

/* Find every function: bus 0 and the secondary bus of every bridge
 * found, each device's function 0 and, if it says it is multi-function,
 * 1..7; size their BARs. */
void pci_enumerate(struct pci_bus *b);

/* A name for a class dword, or NULL. */
const char *pci_class_name(uint32_t class);

#endif /* PCI_CONFIG_H */
